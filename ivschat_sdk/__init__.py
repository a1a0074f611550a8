"""ivschat-sdk: a typed Python SDK for Amazon IVS Chat.

``from ivschat_sdk import IvsChatClient, Room, ...`` is the whole public surface of the
control plane (``AsyncIvsChatClient`` needs the ``async`` extra, aiobotocore); :mod:`ivschat_sdk.testing` holds the local IVS Chat for tests and
:mod:`ivschat_sdk.local` the emulator itself.
"""

import typing as _typing

from ._client import IvsChatClient
from ._core import (
    DEFAULT_MAX_ATTEMPTS,
    DEFAULT_RETRY_MODE,
    LoggingConfigurationIdentifier,
    ResourceIdentifier,
    RetryMode,
    RoomIdentifier,
)
from ._errors import (
    AccessDeniedError,
    APIConnectionError,
    APIError,
    ConfigurationError,
    ConflictError,
    CredentialsError,
    InternalServerError,
    IvsChatError,
    ParamValidationError,
    PendingVerificationError,
    ResourceNotFoundError,
    ResponseParseError,
    ServiceQuotaExceededError,
    ThrottlingError,
    ValidationError,
    ValidationExceptionField,
)
from ._models import (
    ChatToken,
    ChatTokenCapability,
    CloudWatchLogsDestinationConfiguration,
    DestinationConfiguration,
    FallbackResult,
    FirehoseDestinationConfiguration,
    LoggingConfiguration,
    LoggingConfigurationState,
    LoggingConfigurationSummary,
    MessageReviewHandler,
    Room,
    RoomSummary,
    S3DestinationConfiguration,
    UnknownDestinationConfiguration,
)
from ._pagination import FIRST_PAGE, AsyncPaginator, Page, Paginator, StartingToken
from ._redaction import install as _install_redaction
from ._retries import (
    DEFAULT_NON_IDEMPOTENT_RETRIES,
    NON_IDEMPOTENT_OPERATIONS,
    NonIdempotentRetries,
)
from ._version import __version__

__all__ = [
    "FIRST_PAGE",
    "DEFAULT_MAX_ATTEMPTS",
    "DEFAULT_NON_IDEMPOTENT_RETRIES",
    "DEFAULT_RETRY_MODE",
    "NON_IDEMPOTENT_OPERATIONS",
    "APIConnectionError",
    "APIError",
    "AccessDeniedError",
    "AsyncIvsChatClient",
    "AsyncPaginator",
    "ChatToken",
    "ChatTokenCapability",
    "CloudWatchLogsDestinationConfiguration",
    "ConfigurationError",
    "ConflictError",
    "CredentialsError",
    "DestinationConfiguration",
    "FallbackResult",
    "FirehoseDestinationConfiguration",
    "InternalServerError",
    "IvsChatClient",
    "IvsChatError",
    "LoggingConfiguration",
    "LoggingConfigurationIdentifier",
    "LoggingConfigurationState",
    "LoggingConfigurationSummary",
    "MessageReviewHandler",
    "NonIdempotentRetries",
    "Page",
    "Paginator",
    "ParamValidationError",
    "PendingVerificationError",
    "ResourceIdentifier",
    "ResourceNotFoundError",
    "ResponseParseError",
    "RetryMode",
    "Room",
    "RoomIdentifier",
    "RoomSummary",
    "S3DestinationConfiguration",
    "ServiceQuotaExceededError",
    "StartingToken",
    "ThrottlingError",
    "UnknownDestinationConfiguration",
    "ValidationError",
    "ValidationExceptionField",
    "__version__",
]


if _typing.TYPE_CHECKING:
    from ._async_client import AsyncIvsChatClient


def __getattr__(name: str) -> object:
    # AsyncIvsChatClient needs the optional aiobotocore: imported when first asked for.
    if name == "AsyncIvsChatClient":
        from ._async_client import AsyncIvsChatClient

        return AsyncIvsChatClient
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_install_redaction()
