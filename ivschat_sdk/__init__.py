"""ivschat-sdk: a typed Python SDK for Amazon IVS Chat.

``from ivschat_sdk import IvsChatClient, Room, ...`` is the whole public surface of the
control plane (``AsyncIvsChatClient`` needs the ``async`` extra, aiobotocore);
:mod:`ivschat_sdk.testing` holds the local IVS Chat for tests and :mod:`ivschat_sdk.local`
the emulator itself.

The names are imported when first used (PEP 562), so that ``import ivschat_sdk`` and its
light subpackages (a Lambda's review handler, the chat-log reader) do not pay for boto3.
"""

import typing as _typing

from ._lazy import lazy_attributes as _lazy_attributes
from ._redaction import install as _install_redaction
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

# Where each public name lives; imported on first access, then kept in the module.
_LAZY = {
    "IvsChatClient": "_client",
    "DEFAULT_MAX_ATTEMPTS": "_core",
    "DEFAULT_RETRY_MODE": "_core",
    "LoggingConfigurationIdentifier": "_core",
    "ResourceIdentifier": "_core",
    "RetryMode": "_core",
    "RoomIdentifier": "_core",
    "APIConnectionError": "_errors",
    "APIError": "_errors",
    "AccessDeniedError": "_errors",
    "ConfigurationError": "_errors",
    "ConflictError": "_errors",
    "CredentialsError": "_errors",
    "InternalServerError": "_errors",
    "IvsChatError": "_errors",
    "ParamValidationError": "_errors",
    "PendingVerificationError": "_errors",
    "ResourceNotFoundError": "_errors",
    "ResponseParseError": "_errors",
    "ServiceQuotaExceededError": "_errors",
    "ThrottlingError": "_errors",
    "ValidationError": "_errors",
    "ValidationExceptionField": "_errors",
    "ChatToken": "_models",
    "ChatTokenCapability": "_models",
    "CloudWatchLogsDestinationConfiguration": "_models",
    "DestinationConfiguration": "_models",
    "FallbackResult": "_models",
    "FirehoseDestinationConfiguration": "_models",
    "LoggingConfiguration": "_models",
    "LoggingConfigurationState": "_models",
    "LoggingConfigurationSummary": "_models",
    "MessageReviewHandler": "_models",
    "Room": "_models",
    "RoomSummary": "_models",
    "S3DestinationConfiguration": "_models",
    "UnknownDestinationConfiguration": "_models",
    "AsyncPaginator": "_pagination",
    "FIRST_PAGE": "_pagination",
    "Page": "_pagination",
    "Paginator": "_pagination",
    "StartingToken": "_pagination",
    "DEFAULT_NON_IDEMPOTENT_RETRIES": "_retries",
    "NON_IDEMPOTENT_OPERATIONS": "_retries",
    "NonIdempotentRetries": "_retries",
    "AsyncIvsChatClient": "_async_client",
}

if _typing.TYPE_CHECKING:
    from ._async_client import (
        AsyncIvsChatClient,
    )
    from ._client import (
        IvsChatClient,
    )
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
    from ._pagination import (
        FIRST_PAGE,
        AsyncPaginator,
        Page,
        Paginator,
        StartingToken,
    )
    from ._retries import (
        DEFAULT_NON_IDEMPOTENT_RETRIES,
        NON_IDEMPOTENT_OPERATIONS,
        NonIdempotentRetries,
    )


__getattr__, __dir__ = _lazy_attributes(__name__, globals(), _LAZY, __all__)


_install_redaction()
