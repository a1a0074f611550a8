"""The review_handler decorator: a typed function becomes a checked Lambda handler."""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import re
import threading
import time
from typing import Any

import pytest

from ivschat_sdk.review import (
    DEFAULT_FUNCTION_ARN,
    Allow,
    Deny,
    InvalidVerdictError,
    LambdaReviewHandler,
    LocalLambdaContext,
    MalformedEventError,
    ReviewRequest,
    build_response,
    invoke_lambda_handler,
    review_handler,
)
from ivschat_sdk.review.testing import DEFAULT_MESSAGE_ID, make_event, make_request

SECRET = "my secret message"


@review_handler
def shout(request: ReviewRequest) -> Allow | Deny:
    """Deny links, shout everything else."""
    if "http" in request.content:
        return Deny("no links")
    return Allow(request.content.upper(), attributes={**request.attributes, "loud": "yes"})


@review_handler
async def shout_later(request: ReviewRequest) -> Allow | Deny:
    """The same, as a coroutine that really awaits."""
    await asyncio.sleep(0)
    return shout.function(request)


def test_the_handler_answers_exactly_the_service_shape() -> None:
    """Allow and Deny become the documented PascalCase answer, nothing more."""
    assert shout(make_event("hi", attributes={"a": "1"}), LocalLambdaContext()) == {
        "ReviewResult": "ALLOW",
        "Content": "HI",
        "Attributes": {"a": "1", "loud": "yes"},
    }
    assert shout(make_event("see http://x"), None) == {
        "ReviewResult": "DENY",
        "Attributes": {"Reason": "no links"},
    }


def test_an_async_function_gives_the_same_answers() -> None:
    """An async def review runs to completion inside the synchronous Lambda entry point."""
    assert shout_later.is_async
    assert not shout.is_async
    for content in ["hi", "see http://x"]:
        event = make_event(content)
        assert shout_later(event, None) == shout(event, None)


def test_an_async_function_reuses_its_loop_across_invocations() -> None:
    """Warm invocations share one event loop, so clients bound to it keep working."""
    loops: list[asyncio.AbstractEventLoop] = []

    @review_handler
    async def record(request: ReviewRequest) -> Allow:
        loops.append(asyncio.get_running_loop())
        return Allow()

    record(make_event(), None)
    record(make_event(), None)
    assert loops[0] is loops[1]
    assert not loops[0].is_running()


def test_an_async_review_runs_from_worker_threads_too() -> None:
    """Called from worker threads (as the local IVS Chat does), it runs on a fresh loop."""
    results: list[dict[str, Any]] = []
    threads = [
        threading.Thread(target=lambda: results.append(shout_later(make_event("hi"), None)))
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r["Content"] for r in results] == ["HI"] * 3


@pytest.mark.asyncio
async def test_call_async_awaits_in_the_running_loop() -> None:
    """Hosts with an event loop await call_async; sync functions work there too."""
    event = make_event("hi")
    assert await shout_later.call_async(event) == shout(event, None)
    assert await shout.call_async(event, None) == shout(event, None)


@pytest.mark.asyncio
async def test_calling_an_async_handler_inside_a_running_loop_says_what_to_do() -> None:
    """The synchronous entry point cannot nest loops: a clear error, whatever on_error says."""
    handler = review_handler(on_error=Allow())(shout_later.function)
    with pytest.raises(RuntimeError, match=r"await handler\.call_async\(event\)"):
        handler(make_event(), None)


def test_the_decorated_handler_keeps_the_function_and_its_metadata() -> None:
    """function is the original; name, docstring and __wrapped__ follow functools.wraps."""
    assert isinstance(shout, LambdaReviewHandler)
    assert shout.function(make_request("a")) == Allow("A", attributes={"loud": "yes"})
    assert shout.__name__ == "shout"  # type: ignore[attr-defined]
    assert shout.__doc__ == "Deny links, shout everything else."
    assert shout.__wrapped__ is shout.function  # type: ignore[attr-defined]
    assert "shout" in repr(shout)


def test_decorator_options_are_checked_when_decorating() -> None:
    """A bad on_error or max_content_length fails at import time, not at the first message."""
    with pytest.raises(InvalidVerdictError, match="Content: 501 characters"):
        review_handler(on_error=Allow("x" * 501))
    with pytest.raises(InvalidVerdictError, match="expected Allow or Deny, got str"):
        review_handler(on_error="DENY")  # type: ignore[call-overload]
    for bad in [0, 501, 2.5]:
        with pytest.raises(ValueError, match="max_content_length must be 1 to 500"):
            review_handler(max_content_length=bad)  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="needs a function"):
        review_handler("not a function")  # type: ignore[call-overload]


def test_max_content_length_applies_to_replacements() -> None:
    """A room with a lower limit: the handler refuses a replacement above it."""

    @review_handler(max_content_length=10)
    def pad(request: ReviewRequest) -> Allow:
        return Allow(request.content + "!" * 10)

    with pytest.raises(InvalidVerdictError, match="Content: 12 characters; at most 10"):
        pad(make_event("ab"), None)


def _records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "ivschat_sdk.review"]


def _text(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(r.getMessage() for r in _records(caplog))


def test_an_exception_is_logged_with_the_message_id_and_re_raised(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """By default the service's fallback applies: the error propagates, logged, no payload."""

    @review_handler
    def broken(request: ReviewRequest) -> Allow:
        raise ConnectionError("moderation API down")

    with pytest.raises(ConnectionError, match="moderation API down"):
        broken(make_event(SECRET, attributes={"a": SECRET}), None)
    [record] = _records(caplog)
    assert record.levelno == logging.ERROR
    assert record.getMessage() == (
        f"review of message {DEFAULT_MESSAGE_ID} failed with ConnectionError; "
        "re-raising, so the service applies the room's fallbackResult"
    )
    assert record.exc_info is not None
    assert SECRET not in caplog.text


@pytest.mark.parametrize("verdict", [Allow(), Deny("review unavailable")])
def test_on_error_answers_a_fixed_verdict(
    verdict: Allow | Deny, caplog: pytest.LogCaptureFixture
) -> None:
    """on_error: the exception is logged and the chosen verdict answered instead."""

    @review_handler(on_error=verdict)
    async def broken(request: ReviewRequest) -> Allow:
        raise TimeoutError

    event = make_event(SECRET)
    assert broken(event, None) == build_response(verdict, make_request(SECRET))
    assert f"failed with TimeoutError; answering {verdict!r}" in _text(caplog)
    assert SECRET not in caplog.text


def test_an_invalid_verdict_is_logged_and_raised_even_with_on_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An invalid verdict is a bug, not an outage: tests must see it, so on_error is not used."""

    @review_handler(on_error=Allow())
    def too_long(request: ReviewRequest) -> Allow:
        return Allow(request.content * 100)

    with pytest.raises(InvalidVerdictError, match="Content: 1700 characters") as caught:
        too_long(make_event(SECRET), None)
    assert caught.value.message_id == DEFAULT_MESSAGE_ID
    [record] = _records(caplog)
    assert record.levelno == logging.ERROR
    assert "fallbackResult" in record.getMessage()
    assert SECRET not in caplog.text


def test_returning_the_wire_dict_is_refused() -> None:
    """A function written for the raw contract is told to return a verdict."""

    @review_handler
    def raw(request: ReviewRequest) -> Allow:
        return {"ReviewResult": "ALLOW"}  # type: ignore[return-value]

    with pytest.raises(InvalidVerdictError, match=r"got dict \(return Allow"):
        raw(make_event(), None)


def test_a_malformed_event_is_logged_and_raised_without_calling_the_function(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A hand-written event with a lowercase key fails loudly, naming the key."""
    calls: list[ReviewRequest] = []

    @review_handler(on_error=Allow())
    def record(request: ReviewRequest) -> Allow:
        calls.append(request)
        return Allow()

    event = make_event(SECRET)
    event["content"] = event.pop("Content")
    with pytest.raises(MalformedEventError, match="Content: missing"):
        record(event, None)
    assert calls == []
    assert f"(message {DEFAULT_MESSAGE_ID}): Content: missing" in _text(caplog)
    assert SECRET not in caplog.text


def test_a_slow_review_logs_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    """More than 150 ms (by default) is close to the service's 200 ms: a warning says so."""

    @review_handler
    def slow(request: ReviewRequest) -> Allow:
        time.sleep(0.16)
        return Allow()

    @review_handler(slow_review_seconds=0.01)
    def fairly_slow(request: ReviewRequest) -> Deny:
        time.sleep(0.02)
        return Deny()

    with caplog.at_level(logging.WARNING, logger="ivschat_sdk.review"):
        slow(make_event(SECRET), None)
        fairly_slow(make_event(SECRET), None)
        shout(make_event(), None)
    records = _records(caplog)
    assert [r.levelno for r in records] == [logging.WARNING] * 2
    assert re.fullmatch(
        rf"review of message {DEFAULT_MESSAGE_ID} took \d+ ms; IVS Chat waits 200 ms at most, "
        "then applies the room's fallbackResult",
        records[0].getMessage(),
    )
    assert SECRET not in caplog.text


def test_a_slow_failing_review_logs_both(caplog: pytest.LogCaptureFixture) -> None:
    """The timing warning is logged whatever the outcome."""

    @review_handler
    def slow_and_broken(request: ReviewRequest) -> Allow:
        time.sleep(0.02)
        raise ValueError

    handler = review_handler(slow_review_seconds=0.01)(slow_and_broken.function)
    with pytest.raises(ValueError):  # noqa: PT011  # the function's own error, re-raised
        handler(make_event(), None)
    assert [r.levelno for r in _records(caplog)] == [logging.ERROR, logging.WARNING]


def test_invoke_lambda_handler_runs_a_handler_as_lambda_does() -> None:
    """A JSON copy of the event, a stand-in context, and a JSON round trip of the answer."""
    seen: list[tuple[Any, Any]] = []

    def plain(event: dict[str, Any], context: Any) -> dict[str, Any]:
        seen.append((event, context))
        event["Content"] = "mutated"
        return {"ReviewResult": "ALLOW", "Content": ("tuple", "becomes list")}

    original = make_event("hi")
    answer = invoke_lambda_handler(plain, original)
    assert answer == {"ReviewResult": "ALLOW", "Content": ["tuple", "becomes list"]}
    assert original["Content"] == "hi"
    [(_, context)] = seen
    assert isinstance(context, LocalLambdaContext)
    assert context.invoked_function_arn == DEFAULT_FUNCTION_ARN
    assert invoke_lambda_handler(shout, make_event("hi"))["Content"] == "HI"
    assert invoke_lambda_handler(shout_later, make_event("hi"), context="ctx")["Content"] == "HI"


def test_invoke_lambda_handler_fails_where_lambda_would() -> None:
    """What JSON cannot carry fails, in the event or in the answer."""
    with pytest.raises(TypeError):
        invoke_lambda_handler(shout, {**make_event(), "Extra": {1, 2}})
    with pytest.raises(TypeError):
        invoke_lambda_handler(lambda event, context: {"ReviewResult": object()}, make_event())


def test_the_stand_in_context_looks_like_lambdas() -> None:
    """The attributes a handler may read, and a countdown from the review budget."""
    context = LocalLambdaContext(
        invoked_function_arn="arn:aws:lambda:eu-west-1:123456789012:function:mod:live",
        aws_request_id="req-1",
    )
    assert context.function_name == "mod"
    assert context.function_version == "$LATEST"
    assert context.log_group_name == "/aws/lambda/mod"
    assert context.aws_request_id == "req-1"
    assert context.memory_limit_in_mb == 128
    assert context.identity is None
    assert context.client_context is None
    assert 150 < context.get_remaining_time_in_millis() <= 200
    assert LocalLambdaContext(timeout_ms=0).get_remaining_time_in_millis() == 0
    generated = LocalLambdaContext().aws_request_id
    assert re.fullmatch(
        r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", generated
    )
    assert generated != LocalLambdaContext().aws_request_id
    assert "req-1" in repr(context)


def test_the_handler_answer_is_json_as_lambda_returns_it() -> None:
    """The answer serializes to JSON unchanged (Lambda JSON-encodes what the handler returns)."""
    for content in ["hi", "http://x", "ünïcödé 🙂"]:
        answer = shout(make_event(content, attributes={"k": "v"}), None)
        assert json.loads(json.dumps(answer)) == answer


def test_a_partial_of_an_async_function_is_recognised() -> None:
    """functools.partial and other wrappers of async functions still run to completion."""

    async def review(request: ReviewRequest, suffix: str) -> Allow:
        return Allow(request.content + suffix)

    handler = review_handler(functools.partial(review, suffix="!"))
    assert handler.is_async
    assert handler(make_event("hi"), None)["Content"] == "hi!"

    class Reviewer:
        def __call__(self, request: ReviewRequest) -> Any:
            return review(request, "?")  # returns a coroutine without being async def

    odd = review_handler(Reviewer())
    assert not odd.is_async
    assert odd(make_event("hi"), None)["Content"] == "hi?"
