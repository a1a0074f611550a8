"""Review handlers written for AWS Lambda, run in process by the local IVS Chat.

:meth:`LocalIvsChat.register_review_handler` takes a callable of the payload alone (the chat
hub's :data:`ReviewHandler`) or a Lambda handler ``(event, context) -> dict``, such as one made
by :func:`ivschat_sdk.review.review_handler`. This module tells them apart, turns a Lambda
handler into what the hub calls (the event in, the answer out, as Lambda would run it), and
loads one named ``package.module:function`` for ``ivschat-local --review-handler``.
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import re
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeAlias, cast

from ..review import LambdaReviewHandler, LocalLambdaContext, invoke_lambda_handler
from ._chat import REVIEW_TIMEOUT, ReviewHandler

__all__ = ["LambdaHandler", "as_review_handler", "is_lambda_handler", "load_handler"]

LambdaHandler: TypeAlias = Callable[[dict[str, Any], Any], dict[str, Any]]
"""A Python AWS Lambda handler: ``handler(event, context)`` returns the answer.

A :func:`ivschat_sdk.review.review_handler` handler is one; so is any plain function with
that signature.
"""

_TARGET = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*:[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")
_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
_BUDGET_MS = round(REVIEW_TIMEOUT * 1000)


def is_lambda_handler(handler: Callable[..., Any]) -> bool:
    """Whether ``handler`` is called as a Lambda handler ``(event, context)``.

    True for a :class:`~ivschat_sdk.review.LambdaReviewHandler`, and for a callable whose first
    two positional parameters are required, or whose second one is named ``context``. False
    for a callable of one argument (the payload), and for one whose signature cannot be read
    (called with the payload, as before Lambda handlers were accepted).

    Raises:
        TypeError: ``handler`` can be called neither way (no argument, or more than two
            required ones).

    """
    if isinstance(handler, LambdaReviewHandler):
        return True
    try:
        parameters = list(inspect.signature(handler).parameters.values())
    except (TypeError, ValueError):
        return False
    positional = [p for p in parameters if p.kind in _POSITIONAL]
    required = [p for p in positional if p.default is inspect.Parameter.empty]
    any_number = any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in parameters)
    if len(required) > 2:
        raise TypeError(
            f"a review handler takes (event, context) or (payload); {handler!r} requires "
            f"{len(required)} arguments"
        )
    if len(required) == 2 or (len(positional) >= 2 and positional[1].name == "context"):
        return True
    if positional or any_number:
        return False
    raise TypeError(
        f"a review handler takes (event, context) or (payload); {handler!r} takes no argument"
    )


def as_review_handler(uri: str, handler: ReviewHandler | LambdaHandler) -> ReviewHandler:
    """What the chat hub calls for ``handler``, registered for the Lambda ARN ``uri``.

    A callable of the payload is returned unchanged. A Lambda handler is wrapped so that each
    review invokes it as Lambda would (:func:`~ivschat_sdk.review.invoke_lambda_handler`): a
    JSON copy of the event, a new :class:`~ivschat_sdk.review.LocalLambdaContext` for ``uri``
    whose remaining time counts down from the 200 ms budget, and the answer sent back through
    JSON. A synchronous handler runs on a worker thread, like any synchronous review handler;
    an ``async def`` review function (or handler) is awaited on the server's event loop, one
    loop for every review, as on a warm Lambda container.

    Raises:
        TypeError: ``handler`` is not callable, or can be called neither way.

    """
    if not callable(handler):
        raise TypeError(f"a review handler must be callable, not {type(handler).__name__}")
    if not is_lambda_handler(handler):
        return cast(ReviewHandler, handler)
    lambda_handler = cast(LambdaHandler, handler)
    run_async: Callable[[dict[str, Any], Any], Awaitable[dict[str, Any]]]
    if isinstance(handler, LambdaReviewHandler) and handler.is_async:
        run_async = handler.call_async
    elif inspect.iscoroutinefunction(handler):
        run_async = cast(Callable[[dict[str, Any], Any], Awaitable[dict[str, Any]]], handler)
    else:

        def review(payload: dict[str, Any]) -> dict[str, Any]:
            context = LocalLambdaContext(invoked_function_arn=uri, timeout_ms=_BUDGET_MS)
            return invoke_lambda_handler(lambda_handler, payload, context)

        return review

    async def review_async(payload: dict[str, Any]) -> dict[str, Any]:
        event = json.loads(json.dumps(payload))
        context = LocalLambdaContext(invoked_function_arn=uri, timeout_ms=_BUDGET_MS)
        answer = await run_async(event, context)
        result: dict[str, Any] = json.loads(json.dumps(answer))
        return result

    return review_async


def load_handler(target: str) -> Callable[..., Any]:
    """Import the handler ``target`` names, ``package.module:function``.

    The module is looked for on ``sys.path``, with the current directory added (where a
    Lambda function's code usually sits); ``function`` may be a dotted path inside it.

    Raises:
        ValueError: ``target`` is not of that form, the module cannot be imported (missing,
            or raising while imported), it has no such attribute, or the attribute is not a
            review handler; with a one-line message saying which.

    """
    if not _TARGET.fullmatch(target):
        raise ValueError(f"expected package.module:function, not {target!r}")
    module_name, _, attribute = target.partition(":")
    here = os.getcwd()
    if "" not in sys.path and here not in sys.path:
        sys.path.append(here)
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as err:
        if err.name is not None and (module_name + ".").startswith(err.name + "."):
            raise ValueError(
                f"cannot import {target!r}: no module named {err.name!r} in the current "
                "directory or on PYTHONPATH"
            ) from None
        raise ValueError(f"cannot import {target!r}: {_one_line(err)}") from None
    except Exception as err:
        raise ValueError(f"cannot import {target!r}: {_one_line(err)}") from None
    found: object = module
    for part in attribute.split("."):
        try:
            found = getattr(found, part)
        except AttributeError:
            raise ValueError(
                f"cannot import {target!r}: {module_name!r} has no attribute {attribute!r}"
            ) from None
    if not callable(found):
        raise ValueError(f"{target!r} is not callable: it is a {type(found).__name__}")
    handler = cast(Callable[..., Any], found)
    try:
        is_lambda_handler(handler)
    except TypeError as err:
        raise ValueError(f"{target!r} is not a review handler: {err}") from None
    return handler


def _one_line(err: BaseException) -> str:
    """An exception as ``Type: message`` on one line."""
    text = " ".join(str(err).split())
    return f"{type(err).__name__}: {text}" if text else type(err).__name__
