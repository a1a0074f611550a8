"""The errors the local IVS Chat answers with, as the service puts them on the wire.

Each :class:`ServiceError` knows its AWS code (sent as ``x-amzn-ErrorType``), its HTTP status
and its modeled members (sent in the JSON body beside ``message``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._constraints import Violation

__all__ = [
    "ERROR_STATUS",
    "ServiceError",
    "conflict",
    "constraint_violations",
    "not_found",
    "quota_exceeded",
    "throttled",
    "validation_error",
    "violation_message",
]

ERROR_STATUS: dict[str, int] = {
    "AccessDeniedException": 403,
    "ConflictException": 409,
    "InternalServerException": 500,
    "PendingVerification": 403,
    "ResourceNotFoundException": 404,
    "ServiceQuotaExceededException": 402,
    "ThrottlingException": 429,
    "ValidationException": 400,
    # Not modeled for ivschat, but what AWS front ends answer for these cases.
    "MissingAuthenticationTokenException": 403,
    "SerializationException": 400,
    "UnknownOperationException": 404,
    "RequestEntityTooLargeException": 413,
}
"""HTTP status of each error code the emulator can send."""


class ServiceError(Exception):
    """An error answer of the service: code, HTTP status, message and modeled members."""

    def __init__(self, code: str, message: str, **members: Any) -> None:
        super().__init__(message)
        self.code = code
        self.status = ERROR_STATUS[code]
        self.message = message
        self.members = members

    def body(self) -> dict[str, Any]:
        """The JSON body: ``message`` and the modeled members."""
        return {"message": self.message, **self.members}


def validation_error(
    message: str, fields: Sequence[tuple[str, str]] = (), reason: str = "FIELD_VALIDATION_FAILED"
) -> ServiceError:
    """A ``ValidationException`` with its ``reason`` and ``fieldList``."""
    members: dict[str, Any] = {"reason": reason}
    if fields:
        members["fieldList"] = [{"name": n, "message": m} for n, m in fields]
    return ServiceError("ValidationException", message, **members)


def violation_message(problems: Sequence[Violation]) -> str:
    """The message AWS services send for constraint violations.

    ``1 validation error detected: Value 'x y' at 'name' failed to satisfy constraint: Member
    must satisfy regular expression pattern: [a-zA-Z0-9-_]*``; several are joined by ``; ``
    after ``N validation errors detected:``. A value that must not be shown (a sensitive
    member's, a container's) leaves just ``Value at 'userId' ...``.
    """
    parts = []
    for problem in problems:
        value = "Value" if problem.value is None else f"Value {problem.value}"
        constraint = problem.constraint or f"Member {problem.message}"
        parts.append(f"{value} at '{problem.path}' failed to satisfy constraint: {constraint}")
    count = len(problems)
    return f"{count} validation error{'' if count == 1 else 's'} detected: " + "; ".join(parts)


def constraint_violations(problems: Sequence[Violation]) -> ServiceError:
    """A ``ValidationException`` for broken constraints: AWS's message, a ``fieldList`` in words."""
    return validation_error(violation_message(problems), [(v.path, v.message) for v in problems])


def not_found(resource_id: str, resource_type: str, what: str) -> ServiceError:
    """A ``ResourceNotFoundException`` for one resource."""
    return ServiceError(
        "ResourceNotFoundException",
        f"{what} not found",
        resourceId=resource_id,
        resourceType=resource_type,
    )


def conflict(resource_id: str, resource_type: str, message: str) -> ServiceError:
    """A ``ConflictException`` about one resource."""
    return ServiceError(
        "ConflictException", message, resourceId=resource_id, resourceType=resource_type
    )


def quota_exceeded(resource_id: str, resource_type: str, limit: int, message: str) -> ServiceError:
    """A ``ServiceQuotaExceededException`` (HTTP 402)."""
    return ServiceError(
        "ServiceQuotaExceededException",
        message,
        resourceId=resource_id,
        resourceType=resource_type,
        limit=limit,
    )


def throttled(resource_id: str, resource_type: str, limit: int, message: str) -> ServiceError:
    """A ``ThrottlingException`` (HTTP 429)."""
    return ServiceError(
        "ThrottlingException",
        message,
        resourceId=resource_id,
        resourceType=resource_type,
        limit=limit,
    )
