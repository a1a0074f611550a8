"""Pins the public types of ivschat_sdk.review. Checked by `mypy --strict`, never run."""

from __future__ import annotations

from collections.abc import Coroutine, Mapping
from typing import Any

from typing_extensions import assert_type

from ivschat_sdk.review import (
    Allow,
    Deny,
    LambdaReviewHandler,
    LocalLambdaContext,
    ReviewRequest,
    ReviewSender,
    Verdict,
    build_response,
    invoke_lambda_handler,
    review_handler,
)
from ivschat_sdk.review.testing import make_event, make_request


@review_handler
def sync_review(request: ReviewRequest) -> Allow | Deny:
    if "http" in request.content:
        return Deny(reason="no links")
    return Allow(request.content.upper(), attributes={**request.attributes, "checked": "1"})


@review_handler(on_error=Allow(), max_content_length=200)
async def async_review(request: ReviewRequest) -> Verdict:
    return Allow()


@review_handler
def allow_only(request: ReviewRequest) -> Allow:
    return Allow()


def pins(event: dict[str, Any], request: ReviewRequest) -> None:
    # The decorated handlers are Lambda handlers: (event, context) -> dict.
    assert_type(sync_review(event, None), dict[str, Any])
    assert_type(sync_review(event, LocalLambdaContext()), dict[str, Any])
    assert_type(async_review(event, object()), dict[str, Any])
    assert_type(invoke_lambda_handler(sync_review, event), dict[str, Any])
    assert_type(invoke_lambda_handler(async_review, make_event("hi")), dict[str, Any])

    # ... which keep the decorated function with its signature, sync or async.
    assert_type(sync_review.function(request), Allow | Deny)
    assert_type(allow_only.function(make_request("hi")), Allow)
    assert_type(sync_review.on_error, Allow | Deny | None)
    assert_type(sync_review.is_async, bool)

    # The models.
    assert_type(request.content, str)
    assert_type(request.attributes, Mapping[str, str])
    assert_type(request.sender, ReviewSender)
    assert_type(request.sender.ip, str)
    assert_type(ReviewRequest.from_event(event), ReviewRequest)
    assert_type(request.to_event(), dict[str, Any])
    assert_type(Allow().content, str | None)
    assert_type(Allow().attributes, Mapping[str, str] | None)
    assert_type(Deny().reason, str | None)
    assert_type(build_response(Deny(), request), dict[str, Any])


async def async_pins(event: dict[str, Any], request: ReviewRequest) -> None:
    pending = assert_type(async_review.function(request), Coroutine[Any, Any, Allow | Deny])
    assert_type(await pending, Allow | Deny)
    answer = assert_type(sync_review.call_async(event), Coroutine[Any, Any, dict[str, Any]])
    assert_type(await answer, dict[str, Any])
    assert_type(await async_review.call_async(event, None), dict[str, Any])


def handler_types() -> None:
    handler: LambdaReviewHandler[Any] = sync_review
    assert_type(handler(make_event(), None), dict[str, Any])


# A function of the wrong shape is refused.
@review_handler  # type: ignore[type-var]
def takes_a_dict(event: dict[str, Any]) -> Allow:
    return Allow()


@review_handler  # type: ignore[type-var]
def returns_a_dict(request: ReviewRequest) -> dict[str, str]:
    return {"ReviewResult": "ALLOW"}


def wrong_calls(request: ReviewRequest) -> None:
    Allow(content=3)  # type: ignore[arg-type]
    Allow(attributes={"a": 1})  # type: ignore[dict-item]
    Deny(reason=["x"])  # type: ignore[arg-type]
    review_handler(on_error="ALLOW")  # type: ignore[call-overload]
    sync_review(request)  # type: ignore[arg-type]
