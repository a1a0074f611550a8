"""The review contract: the request IVS Chat sends, the verdicts, and the answer's shape.

The wire request is ``{"Content", "MessageId", "RoomArn", "Attributes", "Sender": {"UserId",
"Ip", "Attributes"}}``; the answer is ``{"ReviewResult": "ALLOW" | "DENY", "Content",
"Attributes"}``. Everything here is plain Python: importing it loads neither attrs, boto3,
botocore nor asyncio.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias, cast

from ._errors import InvalidVerdictError, MalformedEventError

if TYPE_CHECKING:
    from typing_extensions import Self

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
    if type(value) is dict:  # what Lambda hands over: check it in one pass
        if not value:
            return _EMPTY
        for key, item in value.items():
            if type(item) is not str or type(key) is not str:
                break
        else:
            return MappingProxyType(value.copy())
    if value is None:
        return _EMPTY
    if not isinstance(value, Mapping):
        problem = f"expected an object of strings, got {_type_name(value)}"
        raise MalformedEventError(where, problem, message_id)
    for key, item in value.items():
        if not isinstance(key, str):
            raise MalformedEventError(where, f"key {key!r} is not a string", message_id)
        if not isinstance(item, str):
            problem = f"expected a string, got {_type_name(item)}"
            raise MalformedEventError(f"{where}[{key!r}]", problem, message_id)
    return MappingProxyType(dict(value))


class _Value:
    """Base of the immutable values: equality, hash, repr and copies from ``_fields``.

    The values are plain slotted classes with read-only properties rather than attrs
    classes: importing attrs alone takes most of the 50 ms import budget of a review
    handler's cold start (see docs/review.md).
    """

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    _maps: ClassVar[tuple[str, ...]] = ()
    """The fields holding attribute maps: shown as dicts, left out of the hash."""

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self._fields)

    def __hash__(self) -> int:
        values = (getattr(self, name) for name in self._fields if name not in self._maps)
        return hash((self.__class__.__name__, *values))

    def __repr__(self) -> str:
        parts = (f"{name}={_field_repr(getattr(self, name))}" for name in self._fields)
        return f"{self.__class__.__name__}({', '.join(parts)})"

    def __copy__(self) -> Self:
        return self

    def __deepcopy__(self, memo: object) -> Self:
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        state = {name: _plain(getattr(self, name)) for name in self._fields}
        return (_rebuild, (self.__class__, state))


def _field_repr(value: object) -> str:
    return repr(dict(value)) if isinstance(value, MappingProxyType) else repr(value)


def _plain(value: object) -> object:
    return value.copy() if isinstance(value, MappingProxyType) else value


def _as_dict(value: Mapping[str, str]) -> dict[str, str]:
    """A new plain dict of a map (a read-only view copies its dict fast; dict() is slow)."""
    if type(value) is MappingProxyType:
        return value.copy()
    return dict(value)


def _rebuild(cls: type[_Value], state: dict[str, Any]) -> _Value:
    """Unpickle a value (``MappingProxyType`` cannot be pickled, so maps travel as dicts)."""
    return cls(**state)


def _frozen_map(value: Mapping[str, str] | None) -> Mapping[str, str]:
    """A read-only copy, so that a value cannot be changed through its mapping."""
    if value is None:
        return _EMPTY
    if type(value) is MappingProxyType:
        return value
    return MappingProxyType(dict(value))


class ReviewSender(_Value):
    """Who sent the message under review, as their chat token says."""

    __slots__ = ("_attributes", "_ip", "_user_id")
    __match_args__ = ("user_id", "ip", "attributes")
    _fields = __match_args__
    _maps = ("attributes",)

    def __init__(
        self, *, user_id: str, ip: str, attributes: Mapping[str, str] | None = None
    ) -> None:
        self._user_id = user_id
        self._ip = ip
        self._attributes = _frozen_map(attributes)

    @property
    def user_id(self) -> str:
        """The ``userId`` of the sender's chat token."""
        return self._user_id

    @property
    def ip(self) -> str:
        """The IP address of the sender's client."""
        return self._ip

    @property
    def attributes(self) -> Mapping[str, str]:
        """The ``attributes`` of the sender's chat token (read-only; empty when it had none)."""
        return self._attributes


class ReviewRequest(_Value):
    """One message that IVS Chat asks the room's review handler about.

    Build it from a Lambda event with :meth:`from_event`, or in tests with
    :func:`ivschat_sdk.review.testing.make_request`. Immutable; equal to another request with
    the same fields.
    """

    __slots__ = ("_attributes", "_content", "_message_id", "_room_arn", "_sender")
    __match_args__ = ("content", "message_id", "room_arn", "sender", "attributes")
    _fields = __match_args__
    _maps = ("attributes",)

    def __init__(
        self,
        *,
        content: str,
        message_id: str,
        room_arn: str,
        sender: ReviewSender,
        attributes: Mapping[str, str] | None = None,
    ) -> None:
        self._content = content
        self._message_id = message_id
        self._room_arn = room_arn
        self._sender = sender
        self._attributes = _frozen_map(attributes)

    @property
    def content(self) -> str:
        """The message's content, as the client sent it."""
        return self._content

    @property
    def message_id(self) -> str:
        """The id IVS Chat gave the message (the ``Id`` of the delivered MESSAGE)."""
        return self._message_id

    @property
    def room_arn(self) -> str:
        """The ARN of the room the message was sent to."""
        return self._room_arn

    @property
    def sender(self) -> ReviewSender:
        """Who sent it."""
        return self._sender

    @property
    def attributes(self) -> Mapping[str, str]:
        """The message's attributes, as the client sent them (read-only; empty when none)."""
        return self._attributes

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
        if type(event) is not dict and not isinstance(cast(object, event), Mapping):
            problem = f"expected an object, got {_type_name(event)}"
            raise MalformedEventError("event", problem)
        raw_id = event.get("MessageId")
        message_id = raw_id if type(raw_id) is str else None
        content = _text(event, "Content", "Content", message_id)
        message_id = _text(event, "MessageId", "MessageId", message_id)
        room_arn = _text(event, "RoomArn", "RoomArn", message_id)
        attributes = _read_map(event.get("Attributes"), "Attributes", message_id)
        sender = event.get("Sender")
        if type(sender) is not dict and not isinstance(sender, Mapping):
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
            "Content": self._content,
            "MessageId": self._message_id,
            "RoomArn": self._room_arn,
            "Attributes": _as_dict(self._attributes),
            "Sender": {
                "Attributes": _as_dict(self._sender.attributes),
                "UserId": self._sender.user_id,
                "Ip": self._sender.ip,
            },
        }


class Allow(_Value):
    """Deliver the message, optionally with a new content and new attributes.

    ``Allow()`` delivers it as sent. ``Allow("new text")`` replaces the content (at most
    :data:`MAX_CONTENT_LENGTH` characters, not empty). ``attributes=`` replaces the whole
    attribute map: keep the sender's with ``{**request.attributes, "key": "value"}``.
    """

    __slots__ = ("_attributes", "_content")
    __match_args__ = ("content", "attributes")
    _fields = __match_args__
    _maps = ("attributes",)

    def __init__(
        self, content: str | None = None, attributes: Mapping[str, str] | None = None
    ) -> None:
        self._content = content
        # Anything but a mapping is kept as it is, for the check before answering to name.
        if attributes is not None and isinstance(attributes, Mapping):
            attributes = _frozen_map(attributes)
        self._attributes = attributes

    @property
    def content(self) -> str | None:
        """The content to deliver instead of the sent one; ``None`` keeps the sent one."""
        return self._content

    @property
    def attributes(self) -> Mapping[str, str] | None:
        """The attributes to deliver instead of the sent ones (read-only); ``None`` keeps them."""
        return self._attributes


class Deny(_Value):
    """Reject the message: nobody receives it, and the sender's request fails with 406.

    ``reason``, if given, is answered as the attribute ``Reason``, which the service passes
    to the sender in the 406 error's message.
    """

    __slots__ = ("_reason",)
    __match_args__ = ("reason",)
    _fields = __match_args__

    def __init__(self, reason: str | None = None) -> None:
        self._reason = reason

    @property
    def reason(self) -> str | None:
        """Why the message was rejected, for the sender; ``None`` answers no reason."""
        return self._reason


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
            answered = _as_dict(request.attributes)
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
