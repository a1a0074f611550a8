"""The ``review_handler`` decorator: a typed review function becomes a Lambda handler."""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeAlias, TypeVar, cast, overload

from ._errors import InvalidVerdictError, MalformedEventError
from ._models import (
    MAX_CONTENT_LENGTH,
    Allow,
    Deny,
    ReviewRequest,
    ReviewSender,
    Verdict,
    build_response,
)

if TYPE_CHECKING:
    import asyncio

__all__ = [
    "REVIEW_TIMEOUT_SECONDS",
    "SLOW_REVIEW_SECONDS",
    "LambdaReviewHandler",
    "ReviewFunction",
    "review_handler",
]

REVIEW_TIMEOUT_SECONDS = 0.2
"""How long IVS Chat waits for a review (200 ms, not adjustable) before the fallback applies."""

SLOW_REVIEW_SECONDS = 0.15
"""A review slower than this is logged as a warning: it is close to the service's 200 ms."""

ReviewFunction: TypeAlias = Callable[[ReviewRequest], "Verdict | Awaitable[Verdict]"]
"""What :func:`review_handler` decorates: ``def`` or ``async def`` (request) -> verdict."""

F = TypeVar("F", bound=ReviewFunction)

_log = logging.getLogger("ivschat_sdk.review")
_main_loop: asyncio.AbstractEventLoop | None = None
_CO_COROUTINE = 0x80  # inspect.CO_COROUTINE, without importing inspect (16 ms)


class _NestedLoopError(RuntimeError):
    """A handler of an ``async def`` function was called synchronously inside a running loop."""


def _is_coroutine_function(function: object) -> bool:
    while isinstance(function, functools.partial):
        function = function.func
    function = getattr(function, "__func__", function)
    code = getattr(function, "__code__", None)
    return code is not None and bool(code.co_flags & _CO_COROUTINE)


def _check_options(on_error: Verdict | None, max_content_length: int) -> None:
    """Refuse, when decorating, options that would fail at the first message."""
    if type(cast(object, max_content_length)) is not int or not 0 < max_content_length <= 500:
        raise ValueError(
            f"max_content_length must be 1 to 500 (a room's maximumMessageLength), "
            f"got {max_content_length!r}"
        )
    if on_error is not None:
        sender = ReviewSender(user_id="", ip="")
        probe = ReviewRequest(content="x", message_id="", room_arn="", sender=sender)
        build_response(on_error, probe, max_content_length=max_content_length)


def _pending(verdict: object) -> bool:
    """Whether the function's result is still to be awaited (an ``async def`` review)."""
    return (
        type(verdict) is not Allow and type(verdict) is not Deny and hasattr(verdict, "__await__")
    )


def _run(awaitable: Awaitable[Verdict]) -> Verdict:
    """Run an ``async def`` review to completion, outside any running event loop.

    On the main thread (where Lambda invokes handlers) one loop is kept across invocations,
    so that clients bound to it keep working on warm starts; it is closed at exit. On other
    threads each review gets a fresh loop, closed afterwards.
    """
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:
        close = getattr(awaitable, "close", None)
        if close is not None:
            close()  # never awaited, on purpose: no "never awaited" warning
        raise _NestedLoopError(
            "a review_handler of an async function was called inside a running event loop; "
            "await handler.call_async(event) there instead"
        )
    global _main_loop
    if threading.current_thread() is not threading.main_thread():
        return asyncio.run(_wrap(awaitable))
    if _main_loop is None or _main_loop.is_closed():
        import atexit

        _main_loop = asyncio.new_event_loop()
        atexit.register(_main_loop.close)
    return _main_loop.run_until_complete(awaitable)


async def _wrap(awaitable: Awaitable[Verdict]) -> Verdict:
    return await awaitable


class LambdaReviewHandler(Generic[F]):
    """A Lambda handler ``(event, context) -> dict`` around a typed review function.

    Made by :func:`review_handler`. Calling it reads the event into a
    :class:`~ivschat_sdk.review.ReviewRequest`, calls the function, checks its verdict and
    returns the answer in exactly the service's shape. ``function`` is the decorated function
    itself, with its signature, for unit tests and for hosts that call it directly.
    """

    def __init__(
        self,
        function: F,
        *,
        on_error: Verdict | None = None,
        max_content_length: int = MAX_CONTENT_LENGTH,
        slow_review_seconds: float = SLOW_REVIEW_SECONDS,
    ) -> None:
        if not callable(function):
            raise TypeError(f"review_handler needs a function, got {type(function).__name__}")
        _check_options(on_error, max_content_length)
        self.function: F = function
        """The decorated review function, unchanged."""
        self.on_error = on_error
        """The verdict answered when the function raises; ``None`` re-raises."""
        self.max_content_length = max_content_length
        """The longest replacement content accepted from the function, in characters."""
        self.slow_review_seconds = slow_review_seconds
        """Reviews slower than this are logged as warnings."""
        self.is_async = _is_coroutine_function(function)
        """Whether the function is an ``async def`` (the handler runs its coroutine to the end)."""
        functools.update_wrapper(self, function)

    def __repr__(self) -> str:
        name = getattr(self.function, "__qualname__", repr(self.function))
        return f"<review_handler {name} on_error={self.on_error!r}>"

    def __call__(self, event: Mapping[str, Any], context: object = None) -> dict[str, Any]:
        """Review one message: the Lambda entry point.

        Raises:
            MalformedEventError: The event is not an IVS Chat review request.
            InvalidVerdictError: The function's verdict is not one the service accepts.
            Exception: What the function raised, unless ``on_error`` is set.
            RuntimeError: The function is ``async def`` and this is called inside a running
                event loop (await :meth:`call_async` there).

        """
        start = time.perf_counter()
        request = self._read(event)
        try:
            try:
                verdict: object = self.function(request)
                if _pending(verdict):
                    verdict = _run(cast("Awaitable[Verdict]", verdict))
            except _NestedLoopError:
                raise
            except Exception as exc:
                self._log_failure(request, exc)
                if self.on_error is None:
                    raise
                verdict = self.on_error
            return self._answer(verdict, request)
        finally:
            self._check_time(start, request)

    async def call_async(self, event: Mapping[str, Any], context: object = None) -> dict[str, Any]:
        """Review one message from a running event loop (an ``async def`` function is awaited).

        The same as calling the handler, for hosts that run an event loop, such as the local
        IVS Chat and async tests. A plain ``def`` function runs inline, blocking the loop.
        """
        start = time.perf_counter()
        request = self._read(event)
        try:
            try:
                verdict: object = self.function(request)
                if _pending(verdict):
                    verdict = await cast("Awaitable[Verdict]", verdict)
            except Exception as exc:
                self._log_failure(request, exc)
                if self.on_error is None:
                    raise
                verdict = self.on_error
            return self._answer(verdict, request)
        finally:
            self._check_time(start, request)

    def _read(self, event: Mapping[str, Any]) -> ReviewRequest:
        try:
            return ReviewRequest.from_event(event)
        except MalformedEventError as err:
            _log.error("%s", err)
            raise

    def _answer(self, verdict: object, request: ReviewRequest) -> dict[str, Any]:
        try:
            return build_response(
                verdict,  # type: ignore[arg-type]  # checked by build_response
                request,
                max_content_length=self.max_content_length,
            )
        except InvalidVerdictError as err:
            _log.error(
                "%s (the service would apply the room's fallbackResult instead)",
                err,
            )
            raise

    def _log_failure(self, request: ReviewRequest, exc: Exception) -> None:
        then = (
            "re-raising, so the service applies the room's fallbackResult"
            if self.on_error is None
            else f"answering {self.on_error!r}"
        )
        _log.error(
            "review of message %s failed with %s; %s",
            request.message_id,
            type(exc).__name__,
            then,
            exc_info=exc,
        )

    def _check_time(self, start: float, request: ReviewRequest) -> None:
        took = time.perf_counter() - start
        if took > self.slow_review_seconds:
            _log.warning(
                "review of message %s took %.0f ms; IVS Chat waits %.0f ms at most, "
                "then applies the room's fallbackResult",
                request.message_id,
                took * 1000,
                REVIEW_TIMEOUT_SECONDS * 1000,
            )


@overload
def review_handler(function: F, /) -> LambdaReviewHandler[F]: ...


@overload
def review_handler(
    *,
    on_error: Verdict | None = None,
    max_content_length: int = MAX_CONTENT_LENGTH,
    slow_review_seconds: float = SLOW_REVIEW_SECONDS,
) -> Callable[[F], LambdaReviewHandler[F]]: ...


def review_handler(
    function: F | None = None,
    /,
    *,
    on_error: Verdict | None = None,
    max_content_length: int = MAX_CONTENT_LENGTH,
    slow_review_seconds: float = SLOW_REVIEW_SECONDS,
) -> LambdaReviewHandler[F] | Callable[[F], LambdaReviewHandler[F]]:
    """Turn a review function into an AWS Lambda handler for IVS Chat message review.

    Use it bare or with options::

        @review_handler
        def handler(request: ReviewRequest) -> Allow | Deny: ...

        @review_handler(on_error=Allow())
        async def handler(request: ReviewRequest) -> Allow | Deny: ...

    The result is called by Lambda as ``handler(event, context)`` and returns the service's
    answer, ``{"ReviewResult": "ALLOW", "Content": ..., "Attributes": {...}}`` or
    ``{"ReviewResult": "DENY"}`` (with ``"Attributes": {"Reason": ...}`` for a reason).

    Args:
        function: A ``def`` or ``async def`` taking a :class:`ReviewRequest` and returning
            :class:`Allow` or :class:`Deny`.
        on_error: What to answer when the function raises. By default the exception is logged
            (with the message id, never the content) and re-raised, so the service applies
            the room's ``fallbackResult``. A malformed event and an invalid verdict are always
            raised: they are bugs that tests must see.
        max_content_length: The longest replacement content to accept, 1 to 500 characters:
            pass your room's ``maximumMessageLength`` if it is lower than 500.
        slow_review_seconds: Reviews slower than this are logged as warnings (the service
            gives up after 200 ms).

    Raises:
        InvalidVerdictError: ``on_error`` is not a verdict the service accepts.
        ValueError: ``max_content_length`` is not 1 to 500.

    """
    _check_options(on_error, max_content_length)

    def decorate(function: F) -> LambdaReviewHandler[F]:
        return LambdaReviewHandler(
            function,
            on_error=on_error,
            max_content_length=max_content_length,
            slow_review_seconds=slow_review_seconds,
        )

    if function is not None:
        return decorate(function)
    return decorate
