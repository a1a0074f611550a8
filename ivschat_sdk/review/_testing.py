"""The test helpers of :mod:`ivschat_sdk.review.testing` (see there)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._models import ReviewRequest, ReviewSender

__all__ = [
    "DEFAULT_CONTENT",
    "DEFAULT_IP",
    "DEFAULT_MESSAGE_ID",
    "DEFAULT_ROOM_ARN",
    "DEFAULT_USER_ID",
    "make_event",
    "make_request",
]

DEFAULT_CONTENT = "Hello, world!"
"""The content of a request built without one."""
DEFAULT_MESSAGE_ID = "5e7V1xGcRm2q"
"""The message id of a request built without one (12 characters, as IVS Chat's)."""
DEFAULT_ROOM_ARN = "arn:aws:ivschat:us-west-2:123456789012:room/g1H2i3J4k5L6"
"""The room of a request built without one."""
DEFAULT_USER_ID = "viewer-1"
"""The sender's ``userId`` in a request built without one."""
DEFAULT_IP = "203.0.113.10"
"""The sender's IP address in a request built without one (a documentation address)."""


def make_request(
    content: str = DEFAULT_CONTENT,
    *,
    attributes: Mapping[str, str] | None = None,
    message_id: str = DEFAULT_MESSAGE_ID,
    room_arn: str = DEFAULT_ROOM_ARN,
    user_id: str = DEFAULT_USER_ID,
    ip: str = DEFAULT_IP,
    sender_attributes: Mapping[str, str] | None = None,
) -> ReviewRequest:
    """A :class:`~ivschat_sdk.review.ReviewRequest` for a review function's unit tests.

    ``attributes`` are the message's; ``user_id``, ``ip`` and ``sender_attributes`` describe
    the sender as their chat token would.
    """
    return ReviewRequest(
        content=content,
        message_id=message_id,
        room_arn=room_arn,
        attributes=attributes or {},
        sender=ReviewSender(user_id=user_id, ip=ip, attributes=sender_attributes or {}),
    )


def make_event(
    content: str = DEFAULT_CONTENT,
    *,
    attributes: Mapping[str, str] | None = None,
    message_id: str = DEFAULT_MESSAGE_ID,
    room_arn: str = DEFAULT_ROOM_ARN,
    user_id: str = DEFAULT_USER_ID,
    ip: str = DEFAULT_IP,
    sender_attributes: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The Lambda event IVS Chat sends, as a new plain dict, for a Lambda handler's tests.

    The same arguments as :func:`make_request`. The dict may be changed freely to test how a
    handler copes with an unusual event (a missing key, a ``null`` attribute map).
    """
    return make_request(
        content,
        attributes=attributes,
        message_id=message_id,
        room_arn=room_arn,
        user_id=user_id,
        ip=ip,
        sender_attributes=sender_attributes,
    ).to_event()
