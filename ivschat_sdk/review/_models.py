"""The review contract: the request IVS Chat sends, the verdicts, and the answer's shape.

The wire request is ``{"Content", "MessageId", "RoomArn", "Attributes", "Sender": {"UserId",
"Ip", "Attributes"}}``; the answer is ``{"ReviewResult": "ALLOW" | "DENY", "Content",
"Attributes"}``. Everything here is plain Python plus attrs: importing it loads neither
boto3, botocore nor asyncio.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, TypeAlias, cast

import attrs

from ._errors import InvalidVerdictError, MalformedEventError

__all__ = [
    "ATTRIBUTES_MAX_BYTES",
    "MAX_CONTENT_LENGTH",
    "Allow",
    "Deny",
    "ReviewRequest",
    "ReviewSender",
    "Verdict",
    "build_response",
]

MAX_CONTENT_LENGTH = 500
"""The longest replacement content a verdict may carry, in characters (code points).

A review handler does not know its room's ``maximumMessageLength``; 500 is the largest any room
accepts (the local IVS Chat refuses longer replacements the same way). Pass a room's own limit
as ``review_handler(max_content_length=...)`` to check against it.
"""

ATTRIBUTES_MAX_BYTES = 1024
"""The largest attribute map, in UTF-8 bytes of its keys and values together (1 KB)."""

_EMPTY: Mapping[str, str] = MappingProxyType({})


def _type_name(value: object) -> str:
    """The JSON name of a value's type, as a message about an event reads best."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "an array"
    return type(value).__name__


def _frozen_map(value: Mapping[str, str] | None) -> Mapping[str, str]:
    """A read-only copy, so that a frozen model cannot be changed through its mapping."""
    if value is None:
        return _EMPTY
    if isinstance(value, MappingProxyType):
        return value
    return MappingProxyType(dict(value))


def _map_repr(value: Mapping[str, str] | None) -> str:
    return "None" if value is None else repr(dict(value))


def _map_field() -> Any:
    """A read-only ``Mapping[str, str]`` field, empty by default, left out of the hash."""
    return attrs.field(default=_EMPTY, converter=_frozen_map, repr=_map_repr, hash=False)


def _text(event: Mapping[str, Any], key: str, where: str, message_id: str | None) -> str:
    value = event.get(key)
    if type(value) is str:
        return value
    if isinstance(value, str):
        return str(value)
    problem = "missing" if key not in event else f"expected a string, got {_type_name(value)}"
    raise MalformedEventError(where, problem, message_id)


def _read_map(value: Any, where: str, message_id: str | None) -> Mapping[str, str]:
    """An attribute map of the event: ``null`` or absent reads as empty, strings only."""
    if not value:
        if value is None or isinstance(value, Mapping):
            return _EMPTY
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise MalformedEventError(where, f"key {key!r} is not a string", message_id)
            if type(item) is not str and not isinstance(item, str):
                problem = f"expected a string, got {_type_name(item)}"
                raise MalformedEventError(f"{where}[{key!r}]", problem, message_id)
        return MappingProxyType(dict(value))
    problem = f"expected an object of strings, got {_type_name(value)}"
    raise MalformedEventError(where, problem, message_id)


@attrs.frozen(kw_only=True)
class ReviewSender:
    """Who sent the message under review, as their chat token says."""

    user_id: str
    """The ``userId`` of the sender's chat token."""
    ip: str
    """The IP address of the sender's client."""
    attributes: Mapping[str, str] = _map_field()
    """The ``attributes`` of the sender's chat token (read-only; empty when it had none)."""


@attrs.frozen(kw_only=True)
class ReviewRequest:
    """One message that IVS Chat asks the room's review handler about.

    Build it from a Lambda event with :meth:`from_event`, or in tests with
    :func:`ivschat_sdk.review.testing.make_request`.
    """

    content: str
    """The message's content, as the client sent it."""
    message_id: str
    """The id IVS Chat gave the message (the ``Id`` of the delivered MESSAGE)."""
    room_arn: str
    """The ARN of the room the message was sent to."""
    sender: ReviewSender
    """Who sent it."""
    attributes: Mapping[str, str] = _map_field()
    """The message's attributes, as the client sent them (read-only; empty when none)."""

    @classmethod
    def from_event(cls, event: Mapping[str, Any]) -> ReviewRequest:
        """Read the event IVS Chat invokes the Lambda function with.

        Unknown keys are ignored and missing or ``null`` attribute maps read as empty.

        Raises:
            MalformedEventError: ``event`` is not an object, or ``Content``, ``MessageId``,
                ``RoomArn``, ``Sender.UserId`` or ``Sender.Ip`` is missing or not a string, or
                an attribute map holds something other than strings. The error names the
                field and carries the message id when there is one; never the content.

        """
        if not isinstance(cast(object, event), Mapping):
            problem = f"expected an object, got {_type_name(event)}"
            raise MalformedEventError("event", problem)
        raw_id = event.get("MessageId")
        message_id = raw_id if isinstance(raw_id, str) else None
        content = _text(event, "Content", "Content", message_id)
        message_id = _text(event, "MessageId", "MessageId", message_id)
        room_arn = _text(event, "RoomArn", "RoomArn", message_id)
        attributes = _read_map(event.get("Attributes"), "Attributes", message_id)
        sender = event.get("Sender")
        if not isinstance(sender, Mapping):
            problem = (
                "missing" if sender is None else f"expected an object, got {_type_name(sender)}"
            )
            raise MalformedEventError("Sender", problem, message_id)
        return cls(
            content=content,
            message_id=message_id,
            room_arn=room_arn,
            attributes=attributes,
            sender=ReviewSender(
                user_id=_text(sender, "UserId", "Sender.UserId", message_id),
                ip=_text(sender, "Ip", "Sender.Ip", message_id),
                attributes=_read_map(sender.get("Attributes"), "Sender.Attributes", message_id),
            ),
        )

    def to_event(self) -> dict[str, Any]:
        """The Lambda event IVS Chat would send for this request (a new, plain dict)."""
        return {
            "Content": self.content,
            "MessageId": self.message_id,
            "RoomArn": self.room_arn,
            "Attributes": dict(self.attributes),
            "Sender": {
                "Attributes": dict(self.sender.attributes),
                "UserId": self.sender.user_id,
                "Ip": self.sender.ip,
            },
        }


def _optional_map(value: Mapping[str, str] | None) -> Mapping[str, str] | None:
    """A read-only copy of a mapping; anything else is kept for the check before answering."""
    if value is None or isinstance(value, MappingProxyType) or not isinstance(value, Mapping):
        return value
    return MappingProxyType(dict(value))


@attrs.frozen
class Allow:
    """Deliver the message, optionally with a new content and new attributes.

    ``Allow()`` delivers it as sent. ``Allow("new text")`` replaces the content (at most
    :data:`MAX_CONTENT_LENGTH` characters, not empty). ``attributes=`` replaces the whole
    attribute map: keep the sender's with ``{**request.attributes, "key": "value"}``.
    """

    content: str | None = None
    """The content to deliver instead of the sent one; ``None`` keeps the sent one."""
    attributes: Mapping[str, str] | None = attrs.field(
        default=None, converter=_optional_map, repr=_map_repr, hash=False
    )
    """The attributes to deliver instead of the sent ones (read-only); ``None`` keeps them."""


@attrs.frozen
class Deny:
    """Reject the message: nobody receives it, and the sender's request fails with 406.

    ``reason``, if given, is answered as the attribute ``Reason``, which the service passes
    to the sender in the 406 error's message.
    """

    reason: str | None = None
    """Why the message was rejected, for the sender; ``None`` answers no reason."""


Verdict: TypeAlias = Allow | Deny
"""What a review function returns: :class:`Allow` or :class:`Deny`."""


def _check_map(value: object, where: str, message_id: str) -> dict[str, str]:
    if not isinstance(value, Mapping):
        problem = f"expected a mapping of strings, got {type(value).__name__}"
        raise InvalidVerdictError(where, problem, message_id)
    size = 0
    for key, item in value.items():
        if not isinstance(key, str):
            raise InvalidVerdictError(where, f"key {key!r} is not a string", message_id)
        if not isinstance(item, str):
            problem = f"the value of {key!r} is {type(item).__name__}, not a string"
            raise InvalidVerdictError(where, problem, message_id)
        size += len(key.encode()) + len(item.encode())
    if size > ATTRIBUTES_MAX_BYTES:
        problem = (
            f"{size} bytes of keys and values (UTF-8); the service accepts at most "
            f"{ATTRIBUTES_MAX_BYTES}"
        )
        raise InvalidVerdictError(where, problem, message_id)
    return dict(value)


def build_response(
    verdict: Verdict, request: ReviewRequest, *, max_content_length: int = MAX_CONTENT_LENGTH
) -> dict[str, Any]:
    """The answer to send IVS Chat for ``verdict``, checked against what the service accepts.

    ``Allow`` always answers ``Content`` and ``Attributes`` in full (the sent ones where the
    verdict keeps them), so the delivered message never depends on how the service fills in
    missing fields. ``Deny`` answers ``{"ReviewResult": "DENY"}``, with
    ``"Attributes": {"Reason": reason}`` when it has a reason; never a content.

    Raises:
        InvalidVerdictError: ``verdict`` is not an ``Allow`` or a ``Deny``; the replacement
            content is not a string, is empty or is longer than ``max_content_length``
            characters; attributes (or the reason) are not strings or hold more than
            :data:`ATTRIBUTES_MAX_BYTES` bytes.

    """
    subject = cast(object, verdict)  # checked: mypy cannot see what the function returned
    if isinstance(subject, Allow):
        content: object = subject.content
        if content is None:
            content = request.content
        elif not isinstance(content, str):
            problem = f"expected a string, got {type(content).__name__}"
            raise InvalidVerdictError("Content", problem, request.message_id)
        elif not 0 < len(content) <= max_content_length:
            problem = (
                "empty (to reject the message, answer Deny())"
                if not content
                else f"{len(content)} characters; at most {max_content_length} are accepted"
            )
            raise InvalidVerdictError("Content", problem, request.message_id)
        attributes = subject.attributes
        if attributes is None:
            answered = dict(request.attributes)
        else:
            answered = _check_map(attributes, "Attributes", request.message_id)
        return {"ReviewResult": "ALLOW", "Content": content, "Attributes": answered}
    if isinstance(subject, Deny):
        if subject.reason is None:
            return {"ReviewResult": "DENY"}
        reason = _check_map({"Reason": subject.reason}, "Deny.reason", request.message_id)
        return {"ReviewResult": "DENY", "Attributes": reason}
    got = "None" if subject is None else type(subject).__name__
    hint = (
        " (return Allow(...) or Deny(...): the handler writes the dict)"
        if isinstance(subject, Mapping)
        else ""
    )
    problem = f"expected Allow or Deny, got {got}{hint}"
    raise InvalidVerdictError("verdict", problem, request.message_id)
