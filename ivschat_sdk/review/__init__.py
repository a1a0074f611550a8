"""Message review handlers for IVS Chat, on the Lambda side: typed, checked, light to import.

A room's ``messageReviewHandler`` names a Lambda function that IVS Chat invokes for every
message, and waits 200 ms for its answer; an invalid answer, an error or a timeout silently
applies the room's ``fallbackResult``. This package types that contract::

    from ivschat_sdk.review import Allow, Deny, ReviewRequest, review_handler

    @review_handler
    def handler(request: ReviewRequest) -> Allow | Deny:
        if "http" in request.content:
            return Deny(reason="links are not allowed")
        return Allow(request.content.replace("darn", "d**n"))

``handler`` is the Lambda handler (``module.handler``). Importing this package loads the
standard library only: not boto3, botocore, aiohttp, websockets, attrs or asyncio, whose
import time would count against the 200 ms on a cold start. :mod:`ivschat_sdk.review.testing` builds
requests and events for unit tests.
"""

from ._errors import InvalidVerdictError, MalformedEventError, ReviewError
from ._handler import (
    REVIEW_TIMEOUT_SECONDS,
    SLOW_REVIEW_SECONDS,
    LambdaReviewHandler,
    ReviewFunction,
    review_handler,
)
from ._lambda import DEFAULT_FUNCTION_ARN, LocalLambdaContext, invoke_lambda_handler
from ._models import (
    ATTRIBUTES_MAX_BYTES,
    MAX_CONTENT_LENGTH,
    Allow,
    Deny,
    ReviewRequest,
    ReviewSender,
    Verdict,
    build_response,
)

__all__ = [
    "ATTRIBUTES_MAX_BYTES",
    "DEFAULT_FUNCTION_ARN",
    "MAX_CONTENT_LENGTH",
    "REVIEW_TIMEOUT_SECONDS",
    "SLOW_REVIEW_SECONDS",
    "Allow",
    "Deny",
    "InvalidVerdictError",
    "LambdaReviewHandler",
    "LocalLambdaContext",
    "MalformedEventError",
    "ReviewError",
    "ReviewFunction",
    "ReviewRequest",
    "ReviewSender",
    "Verdict",
    "build_response",
    "invoke_lambda_handler",
    "review_handler",
]
