"""The errors of the review toolkit.

They derive from :class:`ReviewError`, an :class:`ivschat_sdk.IvsChatError` (taken from a
module that imports nothing, since a Lambda's cold start is charged to the service's 200 ms
review budget). Both errors are also :class:`ValueError`.
"""

from __future__ import annotations

from typing import ClassVar

from .._error_base import IvsChatError

__all__ = ["InvalidVerdictError", "MalformedEventError", "ReviewError"]


class ReviewError(IvsChatError):
    """Base class of the errors raised by :mod:`ivschat_sdk.review`.

    Attributes:
        field: Where the problem is, in the wire's names: ``Sender.UserId``,
            ``Attributes['color']``, ``Content``; ``Deny.reason`` for a deny's reason;
            ``event`` or ``verdict`` for the whole value.
        problem: What is wrong there, naming the limit when there is one.
        message_id: The message's id, when it is known (never its content).

    """

    _what: ClassVar[str] = "review error"

    def __init__(self, field: str, problem: str, message_id: str | None = None) -> None:
        self.field = field
        self.problem = problem
        self.message_id = message_id
        about = f" (message {message_id})" if message_id else ""
        super().__init__(f"{self._what}{about}: {field}: {problem}")


class MalformedEventError(ReviewError, ValueError):
    """The Lambda event is not a message review request of IVS Chat.

    Raised by :meth:`ReviewRequest.from_event <ivschat_sdk.review.ReviewRequest.from_event>`
    and by a :func:`~ivschat_sdk.review.review_handler` handler when a required field
    (``Content``, ``MessageId``, ``RoomArn``, ``Sender.UserId``, ``Sender.Ip``) is missing or
    not a string, or an attribute map holds something other than strings. Missing or ``null``
    attribute maps are not an error: they read as empty.
    """

    _what = "malformed review event"


class InvalidVerdictError(ReviewError, ValueError):
    """The review function's verdict is not something the service accepts.

    The service would silently apply the room's ``fallbackResult`` instead, so the handler
    raises this error (and logs it) rather than answering: tests see it. Raised for a
    verdict that is neither :class:`~ivschat_sdk.review.Allow` nor
    :class:`~ivschat_sdk.review.Deny`, a replacement content that is empty or too long, and
    attributes that are not strings or exceed 1 KB in total.
    """

    _what = "invalid review verdict"
