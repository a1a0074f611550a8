"""Build review requests and Lambda events in one call, for unit tests of review handlers.

Test the review function with a request, and the Lambda handler with an event::

    from ivschat_sdk.review import Allow, invoke_lambda_handler
    from ivschat_sdk.review.testing import make_event, make_request

    assert review(make_request("hello")) == Allow()
    assert invoke_lambda_handler(handler, make_event("hello"))["ReviewResult"] == "ALLOW"

Every field has a sensible default; the defaults are the constants below.
"""

from ._testing import (
    DEFAULT_CONTENT,
    DEFAULT_IP,
    DEFAULT_MESSAGE_ID,
    DEFAULT_ROOM_ARN,
    DEFAULT_USER_ID,
    make_event,
    make_request,
)

__all__ = [
    "DEFAULT_CONTENT",
    "DEFAULT_IP",
    "DEFAULT_MESSAGE_ID",
    "DEFAULT_ROOM_ARN",
    "DEFAULT_USER_ID",
    "make_event",
    "make_request",
]
