"""Which failures botocore may retry, per operation, so that no call creates a thing twice.

botocore's standard and adaptive retry modes retry a timed-out read, a connection reset and a
5xx answer of every operation. For most IVS Chat operations that is harmless: reading,
updating, deleting, tagging, disconnecting a user or deleting a message twice leaves the
service as once. But IVS Chat has no idempotency tokens, so a ``CreateRoom`` whose answer was
lost may already have created a room, and retrying it creates another.

For the operations in :data:`NON_IDEMPOTENT_OPERATIONS`, the clients the SDK builds therefore
let botocore retry only failures that prove the request was not processed: throttling (the
service refused it) and a connection that was refused or never established (nothing was
sent). A read timeout, a connection closed after sending and a 5xx answer are raised at once.
botocore still owns every retry, its backoff and its attempt count: the SDK only vetoes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import botocore.exceptions
from botocore.retries import standard

__all__ = [
    "DEFAULT_NON_IDEMPOTENT_RETRIES",
    "NON_IDEMPOTENT_OPERATIONS",
    "NonIdempotentRetries",
    "install",
    "is_unprocessed_failure",
]

NON_IDEMPOTENT_OPERATIONS = frozenset({"CreateRoom", "CreateLoggingConfiguration", "SendEvent"})
"""Operations that make a new thing on every call: a second room, logging configuration or
event. ``CreateChatToken`` is not among them: a repeated call mints a second token that is
never handed out and expires unused within a minute, so nothing the service keeps changes."""

NonIdempotentRetries = Literal["when-unprocessed", "always"]
"""How the operations in :data:`NON_IDEMPOTENT_OPERATIONS` are retried:

* ``"when-unprocessed"`` (default): only after throttling or a connection that was refused or
  never established, failures in which the service certainly did not act;
* ``"always"``: like every other operation, which may create a thing twice when an answer is
  lost (a read timeout, a reset after sending, a 5xx).
"""

DEFAULT_NON_IDEMPOTENT_RETRIES: NonIdempotentRetries = "when-unprocessed"
"""The safe default: never repeat a call that may already have created something."""

# The request never reached the service: refused, unresolvable, or not connected in time.
_UNSENT = (botocore.exceptions.EndpointConnectionError, botocore.exceptions.ConnectTimeoutError)
_THROTTLING_CODES = frozenset(
    {"ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded"}
)
_UNIQUE_ID = "retry-config-{service}"  # the id botocore registers its retry handler under
_OUR_ID = "ivschat-sdk-retries"


def is_unprocessed_failure(response: Any, caught_exception: BaseException | None) -> bool:
    """Whether a failed attempt certainly left the service unchanged.

    Args:
        response: botocore's ``(http_response, parsed)`` pair, or None when no answer came.
        caught_exception: The exception the attempt raised, if any.

    """
    if caught_exception is not None:
        return isinstance(caught_exception, _UNSENT)
    if response is None:
        return False
    http_response, parsed = response
    if getattr(http_response, "status_code", None) == 429:
        return True
    error = parsed.get("Error") if isinstance(parsed, dict) else None
    return isinstance(error, dict) and error.get("Code") in _THROTTLING_CODES


def _vetoing(handler: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap botocore's retry handler: unsafe retries of non-idempotent calls are refused."""

    def needs_retry(**kwargs: Any) -> Any:
        operation = kwargs.get("operation")
        if getattr(operation, "name", None) in NON_IDEMPOTENT_OPERATIONS and not (
            is_unprocessed_failure(kwargs.get("response"), kwargs.get("caught_exception"))
        ):
            return None
        return handler(**kwargs)

    return needs_retry


def install(
    client: Any,
    max_attempts: int,
    register: Callable[..., Any] = standard.register_retry_handler,
) -> None:
    """Put the veto in front of the standard retry handler of a client the SDK just built.

    botocore registers its handler under a known id and keeps no public reference to it, so
    a fresh one is made with botocore's own ``register_retry_handler`` (same attempts, same
    backoff, same retry quota rules), taken out again and registered wrapped. aiobotocore
    clients pass aiobotocore's ``register_retry_handler``; the wrapper returns whatever the
    handler returns, awaitable or not, and aiobotocore awaits it.
    """
    events = client.meta.events
    service = client.meta.service_model.service_id.hyphenize()
    event = f"needs-retry.{service}"
    unique_id = _UNIQUE_ID.format(service=service)
    events.unregister(event, unique_id=unique_id)
    # The first handler's retry quota goes with it: its refill on after-call, too.
    handlers = getattr(getattr(events, "_emitter", None), "_handlers", None)
    if handlers is not None:
        for stale in list(handlers.prefix_search(f"after-call.{service}")):
            if getattr(stale, "__qualname__", "") == "RetryQuotaChecker.release_retry_quota":
                events.unregister(f"after-call.{service}", stale)
    handler = register(client, max_attempts=max_attempts)
    events.unregister(event, unique_id=unique_id)
    events.register(event, _vetoing(handler.needs_retry), unique_id=_OUR_ID)
