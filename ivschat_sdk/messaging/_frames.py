"""The chat WebSocket's wire format: frames to and from the service.

Server frames are JSON objects with PascalCase keys and a ``Type`` of ``MESSAGE``, ``EVENT``
or ``ERROR``; :func:`parse_frame` turns one into a model, leniently (unknown fields are
ignored, an unknown ``Type`` gives None, an unknown event name a :class:`ChatEvent`), and
:func:`frame_item` does the same for a frame already decoded from JSON (the payload of a chat
log record). :func:`request_frame` builds a client frame. Conversion lives here, not in the
models, with its own converter (:func:`make_frame_converter`), separate from the control
plane's. ``MESSAGE`` and ``EVENT``, the frames a busy room (or a chat log) is made of, take a
hand-written path with the converter's exact rules (``str()`` of required strings, an empty
``RequestId`` as None, string-only attribute maps), about twice as fast: models built slot by
slot, senders kept per user, attribute maps of strings copied as they are. :func:`parse_frame`
decodes a frame with the scanner of ``json.loads`` itself, called directly.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from json.scanner import make_scanner
from types import MappingProxyType, MemberDescriptorType
from typing import Any, TypeVar

import attrs
import cattrs
from attrs import AttrsInstance

from .._timestamps import parse_timestamp
from ._models import (
    ChatEvent,
    ChatItem,
    ChatMessage,
    MessageDeletedEvent,
    Sender,
    UserDisconnectedEvent,
)

__all__ = [
    "ErrorFrame",
    "fast_timestamp",
    "frame_item",
    "make_frame_converter",
    "parse_frame",
    "request_frame",
    "slot_builder",
]

T = TypeVar("T", bound=AttrsInstance)


@attrs.frozen(kw_only=True)
class ErrorFrame:
    """An ``ERROR`` frame: the answer to a refused request, or a session expiry (401)."""

    id: str
    request_id: str | None = None
    error_code: int
    error_message: str = ""


def _pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


_EMPTY_MAP: Mapping[str, str] = MappingProxyType({})


def _string_map(value: Any) -> Mapping[str, str]:
    """A read-only map of strings; the models keep a MappingProxyType as it is (no copy)."""
    if not value:
        return _EMPTY_MAP
    if type(value) is dict:  # a JSON object of strings (the rule) is copied as it is
        for key, item in value.items():
            if type(item) is not str or type(key) is not str:
                break
        else:
            return MappingProxyType(value.copy())
    if not isinstance(value, Mapping):
        raise ValueError("attributes must be an object")
    return MappingProxyType({str(k): str(v) for k, v in value.items()})


def _request_id(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def make_frame_converter() -> cattrs.Converter:
    """Build the converter for server frames (PascalCase keys, string-only attributes)."""
    conv = cattrs.Converter(detailed_validation=False)
    conv.register_structure_hook(datetime, lambda v, _: parse_timestamp(v))
    conv.register_structure_hook_func(lambda t: t == Mapping[str, str], lambda v, _: _string_map(v))
    conv.register_structure_hook_func(lambda t: t == (str | None), lambda v, _: _request_id(v))

    def factory(cls: Any) -> Any:
        from cattrs.gen import make_dict_structure_fn, override

        renames: dict[str, Any] = {
            a.name: override(rename=_pascal(a.name)) for a in attrs.fields(cls)
        }
        return make_dict_structure_fn(cls, conv, **renames)

    conv.register_structure_hook_factory(attrs.has, factory)
    return conv


_CONVERTER = make_frame_converter()
_ERROR = _CONVERTER.get_structure_hook(ErrorFrame)


_DECODER: Any = json.JSONDecoder()  # the options of json.loads (typeshed wants a scanner here)
_SCAN = make_scanner(_DECODER)
"""The scanner that ``json.loads`` runs (C, same options), called without the wrapper around it."""


def parse_frame(data: str | bytes) -> ChatItem | ErrorFrame | None:
    """Parse one server frame; None for a frame type this SDK does not know.

    Raises:
        ValueError: The frame is not JSON, or a known frame misses a required field.
    """
    if type(data) is str and data[:1] == "{":
        # An object with nothing around it (every frame the service sends): json.loads's own
        # scanner, without the BOM check and the two whitespace matches of json.loads, about
        # a third of its time. Anything else, errors included, is left to json.loads itself.
        try:
            frame, end = _SCAN(data, 0)
        except Exception:  # json.loads raises it again, below
            end = -1
        if end == len(data):  # else whitespace or more after the object
            return frame_item(frame)
    frame = json.loads(data)
    if not isinstance(frame, dict):
        raise ValueError("a chat frame must be a JSON object")
    return frame_item(frame)


def frame_item(frame: Mapping[str, Any], kind: Any = None) -> ChatItem | ErrorFrame | None:
    """Turn a decoded server frame into a model; None for a frame type this SDK does not know.

    Args:
        frame: The frame's JSON object.
        kind: The frame type to use when the frame has no ``Type`` (a chat log record names
            it outside its payload); the frame's own ``Type`` wins.

    Raises:
        ValueError: A known frame misses a required field or has one of the wrong shape.
    """
    kind = frame.get("Type", kind)
    try:
        if kind == "MESSAGE":
            return _message(frame)
        if kind == "EVENT":
            return _event(frame)
        if kind == "ERROR":
            error: ErrorFrame = _ERROR(frame, ErrorFrame)
            return error
    except (KeyError, TypeError) as err:
        raise ValueError(f"malformed {kind} frame: missing or wrong {err}") from err
    return None


_UTC = timezone.utc
_FROMISO = datetime.fromisoformat


def fast_timestamp(value: Any) -> datetime:
    """:func:`parse_timestamp`, with its most common case (an RFC 3339 UTC string) inline."""
    if type(value) is str:
        try:
            parsed = _FROMISO(value)
        except ValueError:
            pass
        else:
            if parsed.tzinfo is _UTC:
                return parsed
    return parse_timestamp(value)


def slot_builder(cls: type[T], names: tuple[str, ...]) -> Callable[..., T] | None:
    """A faster constructor of a frozen, slotted attrs class: its slots set directly.

    ``build(*values)`` (values in ``names`` order) skips ``__init__``: the frozen
    ``object.__setattr__`` path and the fields' converters. So it is only for values already
    in their final form (maps as ``MappingProxyType``), and only when ``names`` are exactly the
    class's fields, each a slot, with no validator and no post-init; otherwise None (use the
    class itself).
    """
    fields = attrs.fields(cls)
    slots = [cls.__dict__.get(name) for name in names]
    if (
        sorted(names) != sorted(a.name for a in fields)
        or any(a.validator is not None for a in fields)
        or hasattr(cls, "__attrs_post_init__")
        or not all(isinstance(slot, MemberDescriptorType) for slot in slots)
    ):
        return None
    setters = tuple(slot.__set__ for slot in slots)  # type: ignore[union-attr]
    new = object.__new__

    if len(setters) == 5:
        s1, s2, s3, s4, s5 = setters

        def build5(v1: Any, v2: Any, v3: Any, v4: Any, v5: Any) -> T:
            instance = new(cls)
            s1(instance, v1)
            s2(instance, v2)
            s3(instance, v3)
            s4(instance, v4)
            s5(instance, v5)
            return instance

        return build5
    if len(setters) == 6:
        t1, t2, t3, t4, t5, t6 = setters

        def build6(v1: Any, v2: Any, v3: Any, v4: Any, v5: Any, v6: Any) -> T:
            instance = new(cls)
            t1(instance, v1)
            t2(instance, v2)
            t3(instance, v3)
            t4(instance, v4)
            t5(instance, v5)
            t6(instance, v6)
            return instance

        return build6
    return None


# Messages are most of a chat log: built slot by slot, about 0.4 µs faster than ChatMessage().
_BUILD_MESSAGE = slot_builder(
    ChatMessage, ("id", "request_id", "content", "attributes", "send_time", "sender")
)


def _message(frame: Mapping[str, Any]) -> ChatMessage:
    sender = frame["Sender"]
    request_id = frame.get("RequestId")
    attributes = frame.get("Attributes")
    id = str(frame["Id"])
    request_id = request_id if type(request_id) is str and request_id else None
    content = str(frame["Content"])
    attributes = _string_map(attributes) if attributes else _EMPTY_MAP
    send_time = fast_timestamp(frame["SendTime"])
    if _BUILD_MESSAGE is not None:
        return _BUILD_MESSAGE(id, request_id, content, attributes, send_time, _sender(sender))
    return ChatMessage(
        id=id,
        request_id=request_id,
        content=content,
        attributes=attributes,
        send_time=send_time,
        sender=_sender(sender),
    )


_SENDERS: dict[str, Sender] = {}
_SENDERS_MAX = 4096


def _sender(frame: Any) -> Sender:
    """A message's sender; the same (frozen) Sender for the same user and attributes.

    A room's users send many messages each, so senders are kept by user id (up to a bound,
    then the cache starts over): a hit, a sender whose attributes equal the frame's, skips
    building the attribute map and the model.
    """
    user_id = frame["UserId"]
    attributes = frame.get("Attributes")
    try:
        sender = _SENDERS.get(user_id)
    except TypeError:  # an unhashable user id
        return Sender(user_id=str(user_id), attributes=_string_map(attributes))
    # Kept senders have string attributes only, and no other JSON value equals a string (as
    # 1 == True would): equal attributes are the same strings.
    if sender is not None and (
        sender.attributes == attributes if attributes else not sender.attributes
    ):
        return sender
    sender = Sender(user_id=str(user_id), attributes=_string_map(attributes))
    # Only all-string senders are kept, so that a frame's user id and attributes match a
    # kept one only if they are the same strings.
    if type(user_id) is str and (
        not attributes or all(type(v) is str for v in attributes.values())
    ):
        if len(_SENDERS) >= _SENDERS_MAX:
            _SENDERS.clear()
        _SENDERS[user_id] = sender
    return sender


# Built slot by slot too (see _BUILD_MESSAGE); the classes themselves when that is not safe.
_BUILD_EVENT = slot_builder(
    ChatEvent, ("id", "request_id", "event_name", "attributes", "send_time")
)
_BUILD_DELETED = slot_builder(
    MessageDeletedEvent, ("id", "request_id", "message_id", "reason", "send_time", "attributes")
)
_BUILD_DISCONNECTED = slot_builder(
    UserDisconnectedEvent, ("id", "request_id", "user_id", "reason", "send_time", "attributes")
)


def _event(frame: Mapping[str, Any]) -> ChatEvent | MessageDeletedEvent | UserDisconnectedEvent:
    name = frame["EventName"]
    attributes = _string_map(frame.get("Attributes"))
    event_id = str(frame["Id"])
    request_id = _request_id(frame.get("RequestId"))
    send_time = fast_timestamp(frame["SendTime"])
    if name == "aws:DELETE_MESSAGE":
        message_id = attributes.get("MessageId") or attributes.get("MessageID")
        if message_id is not None:
            reason = attributes.get("Reason", "")
            if _BUILD_DELETED is not None:
                return _BUILD_DELETED(
                    event_id, request_id, message_id, reason, send_time, attributes
                )
            return MessageDeletedEvent(
                id=event_id,
                request_id=request_id,
                message_id=message_id,
                reason=reason,
                send_time=send_time,
                attributes=attributes,
            )
    elif name == "aws:DISCONNECT_USER" and "UserId" in attributes:
        user_id = attributes["UserId"]
        reason = attributes.get("Reason", "")
        if _BUILD_DISCONNECTED is not None:
            return _BUILD_DISCONNECTED(event_id, request_id, user_id, reason, send_time, attributes)
        return UserDisconnectedEvent(
            id=event_id,
            request_id=request_id,
            user_id=user_id,
            reason=reason,
            send_time=send_time,
            attributes=attributes,
        )
    event_name = str(name)
    if _BUILD_EVENT is not None:
        return _BUILD_EVENT(event_id, request_id, event_name, attributes, send_time)
    return ChatEvent(
        id=event_id,
        request_id=request_id,
        event_name=event_name,
        attributes=attributes,
        send_time=send_time,
    )


def request_frame(action: str, request_id: str, **fields: Any) -> str:
    """A client frame, e.g. ``{"Action":"SEND_MESSAGE","RequestId":...,"Content":...}``.

    Fields given as None are left out, as the official clients do.
    """
    frame: dict[str, Any] = {"Action": action, "RequestId": request_id}
    frame.update({_pascal(k): v for k, v in fields.items() if v is not None})
    return json.dumps(frame, separators=(",", ":"), ensure_ascii=False)
