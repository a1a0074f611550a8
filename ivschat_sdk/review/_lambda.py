"""Running a Lambda handler outside AWS Lambda: a stand-in context and one invocation."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

__all__ = ["DEFAULT_FUNCTION_ARN", "LocalLambdaContext", "invoke_lambda_handler"]

R = TypeVar("R")

DEFAULT_FUNCTION_ARN = "arn:aws:lambda:us-west-2:123456789012:function:review-handler"
"""The function ARN a :class:`LocalLambdaContext` reports when given none."""


def _request_id() -> str:
    """A random id in the form of Lambda's ``aws_request_id`` (a UUID 4, without importing uuid)."""
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40
    raw[8] = (raw[8] & 0x3F) | 0x80
    text = raw.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


class LocalLambdaContext:
    """A stand-in for the ``context`` object AWS Lambda passes to a Python handler.

    It has the attributes and the method of the real one that a handler may read;
    :meth:`get_remaining_time_in_millis` counts down from ``timeout_ms`` (by default the 200 ms
    that IVS Chat waits for a review, rather than the function's own timeout).
    """

    def __init__(
        self,
        *,
        invoked_function_arn: str = DEFAULT_FUNCTION_ARN,
        timeout_ms: int = 200,
        memory_limit_in_mb: int = 128,
        aws_request_id: str | None = None,
    ) -> None:
        name = invoked_function_arn.rsplit(":function:", 1)[-1].split(":", 1)[0]
        self.invoked_function_arn = invoked_function_arn
        """The ARN the function was invoked with."""
        self.function_name = name
        """The function's name, taken from the ARN."""
        self.function_version = "$LATEST"
        """The function's version."""
        self.memory_limit_in_mb = memory_limit_in_mb
        """The memory configured for the function."""
        self.aws_request_id = aws_request_id or _request_id()
        """The invocation's id (random unless given)."""
        self.log_group_name = f"/aws/lambda/{name}"
        """The function's CloudWatch Logs group, as Lambda names it."""
        self.log_stream_name = "local"
        """The log stream (``local``)."""
        self.identity: Any = None
        """Cognito identity: ``None``, as for every invocation by an AWS service."""
        self.client_context: Any = None
        """Mobile client context: ``None``, as for every invocation by an AWS service."""
        self._deadline = time.monotonic() + timeout_ms / 1000

    def get_remaining_time_in_millis(self) -> int:
        """The milliseconds left before the deadline (never negative)."""
        return max(0, int((self._deadline - time.monotonic()) * 1000))

    def __repr__(self) -> str:
        return f"LocalLambdaContext({self.invoked_function_arn!r}, {self.aws_request_id!r})"


def invoke_lambda_handler(
    handler: Callable[[Any, Any], R],
    event: Mapping[str, Any],
    context: object | None = None,
) -> R:
    """Invoke a Python Lambda handler ``handler(event, context)`` once, as AWS Lambda would.

    Like Lambda, the handler gets its own copy of ``event`` (a JSON round trip, so an event
    that is not JSON fails here too) and a context (a new :class:`LocalLambdaContext` unless
    ``context`` is given). Its answer is returned as it came back through JSON, so an answer
    Lambda could not serialize fails here as well.

    This is how the local IVS Chat runs a review handler written for Lambda: a
    :func:`~ivschat_sdk.review.review_handler` handler, or any plain ``(event, context)``
    function.

    Raises:
        TypeError: ``event`` or the answer cannot be serialized as JSON.
        Exception: Whatever the handler raises.

    """
    import json

    copy = json.loads(json.dumps(event))
    answer = handler(copy, LocalLambdaContext() if context is None else context)
    result: R = json.loads(json.dumps(answer))
    return result
