"""parse_frame's fast paths give what json.loads and the models' own constructors give.

parse_frame decodes a frame with json.loads's scanner called directly, keeps senders per
user, copies string-only attribute maps as they are and builds models slot by slot: each of
these is checked against the plain way, results and errors alike.
"""

from __future__ import annotations

import json
import re
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ivschat_sdk.messaging import (
    ChatEvent,
    ChatMessage,
    MessageDeletedEvent,
    Sender,
    UserDisconnectedEvent,
    _frames,
)
from ivschat_sdk.messaging._frames import frame_item, parse_frame

SEND_TIME = "2024-01-01T00:00:00.123456789Z"
MESSAGE: dict[str, Any] = {
    "Type": "MESSAGE", "Id": "m", "Content": "c", "SendTime": SEND_TIME,
    "Sender": {"UserId": "u"},
}  # fmt: skip
EVENT: dict[str, Any] = {"Type": "EVENT", "Id": "e", "EventName": "app:x", "SendTime": SEND_TIME}


def _outcome(parse: Any, data: Any) -> tuple[Any, ...]:
    """What parsing gives: the model (its type, repr and fields' types), or the error."""
    try:
        item = parse(data)
    except Exception as err:  # compared, not handled
        return ("error", type(err), str(err))
    if item is None:
        return ("none",)
    fields = attrs.fields(type(item))
    return ("item", type(item), repr(item), item, [type(getattr(item, a.name)) for a in fields])


def _reference(data: str | bytes) -> Any:
    """parse_frame as it was: json.loads, then frame_item."""
    frame = json.loads(data)
    if not isinstance(frame, dict):
        raise ValueError("a chat frame must be a JSON object")
    return frame_item(frame)


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text()),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=5,
)
words = st.sampled_from(["", "u", "v", "MessageId", "MessageID", "Reason", "UserId", "1"])
attribute_maps = st.one_of(
    json_values, st.dictionaries(words, st.one_of(words, st.integers(0, 1), st.booleans()))
)
frame_fields = {
    "Type": st.one_of(st.sampled_from(["MESSAGE", "EVENT", "ERROR", "OTHER"]), json_values),
    "Id": st.one_of(words, json_values),
    "RequestId": st.one_of(words, json_values),
    "Content": st.one_of(words, json_values),
    "Attributes": attribute_maps,
    "SendTime": st.one_of(st.sampled_from([SEND_TIME, "2024-01-01", "now"]), json_values),
    "EventName": st.one_of(
        st.sampled_from(["aws:DELETE_MESSAGE", "aws:DISCONNECT_USER", "app:x"]), json_values
    ),
    "ErrorCode": st.one_of(st.integers(), json_values),
    "Sender": st.one_of(
        json_values,
        st.fixed_dictionaries(
            {}, optional={"UserId": st.one_of(words, json_values), "Attributes": attribute_maps}
        ),
    ),
}


@st.composite
def frame_texts(draw: st.DrawFn) -> str | bytes:
    """A frame, or another JSON value, with or without what json.loads skips or refuses."""
    value = draw(st.one_of(st.fixed_dictionaries({}, optional=frame_fields), json_values))
    text = json.dumps(value, separators=draw(st.sampled_from([(",", ":"), (", ", ": ")])))
    text = draw(st.sampled_from(["", " ", "\n", "\ufeff"])) + text
    text += draw(st.sampled_from(["", " ", "\r\n", "x", "{}", "]"]))
    text = text[: len(text) - draw(st.sampled_from([0, 0, 1, 3]))]
    return text.encode() if draw(st.booleans()) else text


@settings(max_examples=500, deadline=None)
@given(texts=st.lists(frame_texts(), min_size=1, max_size=6))
def test_parse_frame_gives_what_json_loads_and_frame_item_give(texts: list[str | bytes]) -> None:
    """Models and errors (JSON's included, with their messages) are json.loads + frame_item's."""
    for text in texts:
        assert _outcome(parse_frame, text) == _outcome(_reference, text)


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        ({**MESSAGE, "Sender": None}, "'NoneType' object is not subscriptable"),
        ({**MESSAGE, "Sender": "bob"}, "string indices must be integers, not 'str'"),
        ({**MESSAGE, "Sender": {}}, "'UserId'"),
        ({k: v for k, v in MESSAGE.items() if k != "Sender"}, "'Sender'"),
        ({k: v for k, v in MESSAGE.items() if k not in ("Id", "Sender")}, "'Sender'"),
        ({k: v for k, v in MESSAGE.items() if k not in ("Id", "Content")}, "'Id'"),
        ({k: v for k, v in MESSAGE.items() if k != "Content"}, "'Content'"),
        ({k: v for k, v in MESSAGE.items() if k != "SendTime"}, "'SendTime'"),
        ({k: v for k, v in EVENT.items() if k != "EventName"}, "'EventName'"),
        ({k: v for k, v in EVENT.items() if k != "Id"}, "'Id'"),
        ({k: v for k, v in EVENT.items() if k != "SendTime"}, "'SendTime'"),
        ({"Type": "ERROR"}, "'Id'"),
        ({"Type": "ERROR", "Id": "x"}, "'ErrorCode'"),
    ],
)
def test_malformed_frames_name_the_first_field_missing(frame: dict[str, Any], message: str) -> None:
    """The error names what the frame lacks, in the order the fields are read."""
    kind = frame["Type"]
    with pytest.raises(ValueError) as raised:  # noqa: PT011 - the message is checked below
        parse_frame(json.dumps(frame))
    assert str(raised.value) == f"malformed {kind} frame: missing or wrong {message}"


@pytest.mark.parametrize(
    "frame",
    [
        {**MESSAGE, "Attributes": [1]},
        {**MESSAGE, "Attributes": "x"},
        {**MESSAGE, "Sender": {"UserId": "u", "Attributes": [1]}},
        {**MESSAGE, "Sender": {"UserId": "u", "Attributes": "x"}},
        {**EVENT, "Attributes": 5},
    ],
)
def test_attributes_that_are_not_objects_do_not_parse(frame: dict[str, Any]) -> None:
    """A truthy Attributes that is not an object is refused, however the map is built."""
    with pytest.raises(ValueError, match=r"^attributes must be an object$"):
        parse_frame(json.dumps(frame))


@pytest.mark.parametrize(
    ("send_time", "message"),
    [
        ("yesterday", 'Invalid timestamp "yesterday": '),
        (None, 'Invalid timestamp "None": '),
        ("2024-13-01T00:00:00Z", 'Invalid timestamp "2024-13-01T00:00:00Z": '),
    ],
)
def test_bad_send_times_do_not_parse(send_time: Any, message: str) -> None:
    """A SendTime no parser reads is a ValueError naming it."""
    with pytest.raises(ValueError, match=f"^{re.escape(message)}"):
        parse_frame(json.dumps({**MESSAGE, "SendTime": send_time}))


def test_attribute_maps_are_copies_of_the_frame() -> None:
    """Changing a decoded frame (a log record's payload) later changes no model."""
    attributes = {"k": "v"}
    sender_attributes = {"displayName": "x"}
    frame = {**MESSAGE, "Attributes": attributes}
    frame["Sender"] = {"UserId": "copied", "Attributes": sender_attributes}
    message = frame_item(frame)
    event = frame_item({**EVENT, "Attributes": attributes})
    attributes["k"] = "changed"
    sender_attributes["displayName"] = "changed"
    assert isinstance(message, ChatMessage) and isinstance(event, ChatEvent)
    assert (message.attributes, event.attributes) == ({"k": "v"}, {"k": "v"})
    assert message.sender.attributes == {"displayName": "x"}
    again = frame_item(frame)  # the same user, other attributes now: not the kept sender
    assert isinstance(again, ChatMessage)
    assert again.sender.attributes == {"displayName": "changed"}


def test_senders_follow_the_frames(monkeypatch: pytest.MonkeyPatch) -> None:
    """A kept sender is given only for the same user id and the same attribute strings."""
    monkeypatch.setattr(_frames, "_SENDERS", {})

    def sender(user_id: Any, attributes: Any = ...) -> Sender:
        frame: dict[str, Any] = {"UserId": user_id}
        if attributes is not ...:
            frame["Attributes"] = attributes
        message = parse_frame(json.dumps({**MESSAGE, "Sender": frame}))
        assert isinstance(message, ChatMessage)
        return message.sender

    first = sender("u", {"n": "1"})
    assert sender("u", {"n": "1"}) is first  # kept
    assert sender("u", {"n": 1}).attributes == {"n": "1"}
    assert sender("u", {"n": True}).attributes == {"n": "True"}
    assert sender("u", {"n": 1.0}).attributes == {"n": "1.0"}
    assert sender("u", {"n": "1", "m": "2"}).attributes == {"n": "1", "m": "2"}
    assert sender("u", {"n": "2"}).attributes == {"n": "2"}
    assert sender("u").attributes == {}
    assert sender("u", None) is sender("u", {}) is sender("u")  # no attributes: all the same
    assert sender("u", {"n": "1"}) == first
    assert sender(1, {"n": "1"}) == Sender(user_id="1", attributes={"n": "1"})
    assert sender([1], {"n": "1"}) == Sender(user_id="[1]", attributes={"n": "1"})
    assert sender("1", {"n": "1"}) == Sender(user_id="1", attributes={"n": "1"})
    assert set(_frames._SENDERS) == {"u", "1"}  # string ids with string attributes only


def _built(item: Any) -> Any:
    """The same model, built by its class's __init__."""
    return type(item)(**attrs.asdict(item, recurse=False))


@pytest.mark.parametrize(
    ("frame", "cls"),
    [
        ({**MESSAGE, "RequestId": "r", "Attributes": {"a": "b"}}, ChatMessage),
        ({**EVENT, "Attributes": {"a": "b"}}, ChatEvent),
        ({**EVENT, "RequestId": ""}, ChatEvent),
        (
            {**EVENT, "EventName": "aws:DELETE_MESSAGE", "Attributes": {"MessageID": "m"}},
            MessageDeletedEvent,
        ),
        (
            {**EVENT, "EventName": "aws:DISCONNECT_USER", "RequestId": "r",
             "Attributes": {"UserId": "u", "Reason": "spam"}},
            UserDisconnectedEvent,
        ),
    ],
)  # fmt: skip
def test_models_built_slot_by_slot_are_the_models(frame: dict[str, Any], cls: type) -> None:
    """Equal, hashing and printing alike, frozen; and the fast builders are in use."""
    assert None not in (
        _frames._BUILD_MESSAGE,
        _frames._BUILD_EVENT,
        _frames._BUILD_DELETED,
        _frames._BUILD_DISCONNECTED,
    )
    item = parse_frame(json.dumps(frame))
    assert type(item) is cls
    built = _built(item)
    assert (item == built, hash(item) == hash(built), repr(item) == repr(built)) == (True,) * 3
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        item.id = "x"  # type: ignore[misc, union-attr]
