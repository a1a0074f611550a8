"""The exceptions raised by ivschat-sdk.

Every exception the SDK raises is an :class:`IvsChatError`::

    IvsChatError
    ├── ParamValidationError        bad input, caught before anything is sent (also a ValueError)
    ├── ConfigurationError          no region, an unknown region or profile, a bad endpoint
    │   └── CredentialsError        no AWS credentials, or they could not be loaded
    ├── APIConnectionError          the service could not be reached (DNS, refused, timeout)
    ├── ResponseParseError          the service answered something the SDK cannot read
    └── APIError                    the service answered with an error
        ├── AccessDeniedError               403 AccessDeniedException
        ├── ConflictError                   409 ConflictException
        ├── InternalServerError             500 InternalServerException
        ├── PendingVerificationError        403 PendingVerification
        ├── ResourceNotFoundError           404 ResourceNotFoundException
        ├── ServiceQuotaExceededError       402 ServiceQuotaExceededException
        ├── ThrottlingError                 429 ThrottlingException
        └── ValidationError                 400 ValidationException

An :class:`APIError` whose code the SDK does not know is raised as :class:`APIError` itself,
with the code in :attr:`APIError.code`. The botocore exception is always kept as
``__cause__``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from ._error_base import IvsChatError
from ._models import model_repr

if TYPE_CHECKING:
    from botocore.exceptions import ClientError

__all__ = [
    "APIConnectionError",
    "APIError",
    "AccessDeniedError",
    "ConfigurationError",
    "ConflictError",
    "CredentialsError",
    "InternalServerError",
    "IvsChatError",
    "ParamValidationError",
    "PendingVerificationError",
    "ResourceNotFoundError",
    "ResponseParseError",
    "ServiceQuotaExceededError",
    "ThrottlingError",
    "ValidationError",
    "ValidationExceptionField",
    "api_error_from_client_error",
]


class ParamValidationError(IvsChatError, ValueError):
    """A parameter breaks a constraint of the service; nothing was sent.

    Attributes:
        param: The first offending parameter, in the SDK's snake_case names
            (``maximum_message_length``, ``message_review_handler.uri``).
        problem: What is wrong with it, naming the limit.
        problems: Every ``(param, problem)`` pair found, the first one included.

    """

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        if not problems:
            raise ValueError("ParamValidationError needs at least one problem")
        self.problems: tuple[tuple[str, str], ...] = tuple(problems)
        self.param, self.problem = self.problems[0]
        lines = [f"{param}: {problem}" for param, problem in self.problems]
        super().__init__("Invalid parameter " + "; ".join(lines))


class ConfigurationError(IvsChatError):
    """The client cannot be built or used as configured; nothing was sent.

    Raised for a missing or unknown region, an unknown profile, an endpoint URL that is not a
    URL, and (as :class:`CredentialsError`) missing credentials. The message says what to set.
    """


class CredentialsError(ConfigurationError):
    """No AWS credentials were found, or they could not be loaded; nothing was sent."""


class APIConnectionError(IvsChatError):
    """The request did not get an answer: connection refused, DNS failure or timeout."""


class ResponseParseError(IvsChatError):
    """The service's answer could not be turned into the SDK's models."""


@attrs.frozen(repr=False)
class ValidationExceptionField:
    """One field the service rejected, from a ``ValidationException``'s ``fieldList``."""

    __repr__ = model_repr

    name: str
    """The name of the rejected field, as the service spells it."""
    message: str
    """Why the service rejected it."""


class APIError(IvsChatError):
    """The service answered with an error.

    Attributes:
        code: The AWS error code, e.g. ``ResourceNotFoundException``.
        message: The service's message.
        operation: The operation that failed, e.g. ``GetRoom``.
        http_status: The HTTP status of the answer.
        request_id: The AWS request id, for AWS support.

    """

    code_name: ClassVar[str] = ""

    def __init__(
        self,
        *,
        code: str,
        message: str,
        operation: str,
        http_status: int | None = None,
        request_id: str | None = None,
    ) -> None:
        self.code = code
        self.message = message
        self.operation = operation
        self.http_status = http_status
        self.request_id = request_id
        super().__init__(
            f"{operation} failed with {code} (HTTP {http_status}, request id {request_id}): "
            f"{message}"
        )

    def _set_members(self, response: Mapping[str, Any]) -> None:
        """Copy the modeled members of the error out of a botocore error response."""


class AccessDeniedError(APIError):
    """The caller's credentials may not perform the operation (``AccessDeniedException``)."""

    code_name = "AccessDeniedException"


class InternalServerError(APIError):
    """The service failed (``InternalServerException``); retrying later may succeed."""

    code_name = "InternalServerException"


class PendingVerificationError(APIError):
    """The AWS account is pending verification and may not use IVS Chat yet."""

    code_name = "PendingVerification"


class _ResourceError(APIError):
    """An error about one resource, carrying its id and type."""

    resource_id: str | None = None
    """The id of the resource concerned (e.g. the 12-character room id)."""
    resource_type: str | None = None
    """The type of the resource concerned, e.g. ``ROOM``."""

    def _set_members(self, response: Mapping[str, Any]) -> None:
        self.resource_id = response.get("resourceId")
        self.resource_type = response.get("resourceType")


class ConflictError(_ResourceError):
    """The resource is in a state that forbids the operation (``ConflictException``)."""

    code_name = "ConflictException"


class ResourceNotFoundError(_ResourceError):
    """The room or logging configuration does not exist (``ResourceNotFoundException``)."""

    code_name = "ResourceNotFoundException"


class _LimitError(_ResourceError):
    limit: int | None = None
    """The limit that was reached."""

    def _set_members(self, response: Mapping[str, Any]) -> None:
        super()._set_members(response)
        limit = response.get("limit")
        self.limit = limit if isinstance(limit, int) else None


class ServiceQuotaExceededError(_LimitError):
    """A service quota was reached, e.g. logging configurations per region (HTTP 402)."""

    code_name = "ServiceQuotaExceededException"


class ThrottlingError(_LimitError):
    """Too many requests, and botocore's retries did not get through (HTTP 429)."""

    code_name = "ThrottlingException"


class ValidationError(APIError):
    """The service rejected the input (``ValidationException``).

    The SDK checks every documented constraint before sending, so this means the service
    applied a rule the SDK does not know, or the request did not come from this SDK's checks.
    """

    code_name = "ValidationException"
    reason: str | None = None
    """``UNKNOWN_OPERATION``, ``FIELD_VALIDATION_FAILED`` or ``OTHER``."""
    field_list: tuple[ValidationExceptionField, ...] = ()
    """The fields the service rejected, with why."""

    def _set_members(self, response: Mapping[str, Any]) -> None:
        self.reason = response.get("reason")
        fields = response.get("fieldList") or ()
        self.field_list = tuple(
            ValidationExceptionField(name=str(f.get("name", "")), message=str(f.get("message", "")))
            for f in fields
            if isinstance(f, Mapping)
        )


_BY_CODE: dict[str, type[APIError]] = {
    cls.code_name: cls
    for cls in (
        AccessDeniedError,
        ConflictError,
        InternalServerError,
        PendingVerificationError,
        ResourceNotFoundError,
        ServiceQuotaExceededError,
        ThrottlingError,
        ValidationError,
    )
}


def api_error_from_client_error(err: ClientError, operation: str) -> APIError:
    """Build the typed error for a botocore ``ClientError`` (the caller raises it ``from err``)."""
    response: Mapping[str, Any] = err.response
    error = response.get("Error") or {}
    metadata = response.get("ResponseMetadata") or {}
    code = str(error.get("Code") or "Unknown")
    cls = _BY_CODE.get(code, APIError)
    exc = cls(
        code=code,
        message=str(error.get("Message") or ""),
        operation=operation,
        http_status=metadata.get("HTTPStatusCode"),
        request_id=metadata.get("RequestId"),
    )
    exc._set_members(response)
    return exc
