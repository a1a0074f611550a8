"""ivschat-sdk: a typed Python SDK for Amazon IVS Chat.

``from ivschat_sdk import IvsChatClient, Room, ...`` is the whole public surface of the
control plane; :mod:`ivschat_sdk.testing` holds the local IVS Chat for tests and
:mod:`ivschat_sdk.local` the emulator itself.
"""

from ._client import (
    DEFAULT_MAX_ATTEMPTS,
    DEFAULT_NON_IDEMPOTENT_RETRIES,
    DEFAULT_RETRY_MODE,
    NON_IDEMPOTENT_OPERATIONS,
    IvsChatClient,
    LoggingConfigurationIdentifier,
    NonIdempotentRetries,
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
from ._pagination import Page, Paginator
from ._redaction import install as _install_redaction
from ._version import __version__

__all__ = [
    "DEFAULT_MAX_ATTEMPTS",
    "DEFAULT_NON_IDEMPOTENT_RETRIES",
    "DEFAULT_RETRY_MODE",
    "NON_IDEMPOTENT_OPERATIONS",
    "APIConnectionError",
    "APIError",
    "AccessDeniedError",
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
    "ThrottlingError",
    "UnknownDestinationConfiguration",
    "ValidationError",
    "ValidationExceptionField",
    "__version__",
]


_install_redaction()
