"""The chat frames' fast path (used for every log record) gives what the frame converter gives."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ivschat_sdk.messaging import ChatEvent, ChatMessage, Sender, _frames
from ivschat_sdk.messaging._frames import frame_item, make_frame_converter

CONVERTER = make_frame_converter()

text = st.text(max_size=12)
scalars = st.one_of(text, st.integers(), st.booleans(), st.floats(allow_nan=False))
attribute_maps = st.one_of(
    st.none(), st.just({}), st.dictionaries(text, st.one_of(text, scalars), max_size=4)
)
times = st.sampled_from(
    ["2022-12-02T08:25:51.13691272Z", "2023-01-05T14:33:32.894089757Z", "2024-05-01T12:00:00Z",
     "2024-05-01T12:00:00.5+02:00", 1714564800]
)  # fmt: skip
request_ids = st.one_of(st.none(), st.just(""), text, st.integers())


def _maybe(frame: dict[str, Any], key: str, value: Any) -> None:
    if value is not ...:
        frame[key] = value


@settings(max_examples=300, deadline=None)
@given(
    id=st.one_of(text, st.integers()),
    content=st.one_of(text, st.integers()),
    attributes=st.one_of(st.just(...), attribute_maps),
    request_id=st.one_of(st.just(...), request_ids),
    send_time=times,
    user_id=st.one_of(text, st.integers()),
    sender_attributes=st.one_of(st.just(...), attribute_maps),
)
def test_messages_match_the_converter(
    id: Any,
    content: Any,
    attributes: Any,
    request_id: Any,
    send_time: Any,
    user_id: Any,
    sender_attributes: Any,
) -> None:
    """Any MESSAGE frame gives the ChatMessage the cattrs frame converter builds (and its sender)."""
    sender: dict[str, Any] = {"UserId": user_id}
    _maybe(sender, "Attributes", sender_attributes)
    frame: dict[str, Any] = {"Type": "MESSAGE", "Id": id, "Content": content}
    frame.update(SendTime=send_time, Sender=sender)
    _maybe(frame, "Attributes", attributes)
    _maybe(frame, "RequestId", request_id)
    expected = CONVERTER.structure(frame, ChatMessage)
    assert frame_item(frame) == expected
    assert frame_item(frame) == expected  # again, now from the sender cache


@settings(max_examples=200, deadline=None)
@given(
    id=st.one_of(text, st.integers()),
    name=st.one_of(text, st.sampled_from(["app:poll", "aws:NEW"])),
    attributes=st.one_of(st.just(...), attribute_maps),
    request_id=st.one_of(st.just(...), request_ids),
    send_time=times,
)
def test_custom_events_match_the_converter(
    id: Any, name: str, attributes: Any, request_id: Any, send_time: Any
) -> None:
    """Any EVENT frame not named for a system event gives the converter's ChatEvent."""
    frame: dict[str, Any] = {"Type": "EVENT", "Id": id, "EventName": name, "SendTime": send_time}
    _maybe(frame, "Attributes", attributes)
    _maybe(frame, "RequestId", request_id)
    assert frame_item(frame) == CONVERTER.structure(frame, ChatEvent)


def test_senders_with_equal_but_differently_typed_values_stay_apart() -> None:
    """1 == True, but their strings differ: a sender cached for one is not given for the other."""
    base = {"Type": "MESSAGE", "Id": "m", "Content": "c", "SendTime": "2024-01-01T00:00:00Z"}
    one = frame_item({**base, "Sender": {"UserId": "u", "Attributes": {"n": 1}}})
    true = frame_item({**base, "Sender": {"UserId": "u", "Attributes": {"n": True}}})
    text_one = frame_item({**base, "Sender": {"UserId": "u", "Attributes": {"n": "1"}}})
    assert isinstance(one, ChatMessage) and isinstance(true, ChatMessage)
    assert isinstance(text_one, ChatMessage)
    assert (one.sender.attributes["n"], true.sender.attributes["n"]) == ("1", "True")
    assert text_one.sender == one.sender


def test_the_sender_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past its bound the cache starts over; senders stay right."""
    monkeypatch.setattr(_frames, "_SENDERS", {})
    monkeypatch.setattr(_frames, "_SENDERS_MAX", 10)
    base = {"Type": "MESSAGE", "Id": "m", "Content": "c", "SendTime": "2024-01-01T00:00:00Z"}
    for n in range(25):
        item = frame_item({**base, "Sender": {"UserId": f"user-{n}"}})
        assert isinstance(item, ChatMessage)
        assert item.sender == Sender(user_id=f"user-{n}")
        assert len(_frames._SENDERS) <= 10


def test_slot_built_models_are_the_models() -> None:
    """Built slot by slot or by __init__, a message and a record are equal, hash and print alike."""
    import attrs

    from ivschat_sdk.logs import LogRecord, parse_log_record
    from ivschat_sdk.messaging._frames import _BUILD_MESSAGE, slot_builder

    assert _BUILD_MESSAGE is not None  # the fast path is in use
    item = frame_item(
        {"Type": "MESSAGE", "Id": "m", "Content": "c", "SendTime": "2024-01-01T00:00:00Z",
         "Attributes": {"a": "b"}, "Sender": {"UserId": "u"}}
    )  # fmt: skip
    assert isinstance(item, ChatMessage)
    built = ChatMessage(**attrs.asdict(item, recurse=False))
    assert (item == built, hash(item) == hash(built), repr(item) == repr(built)) == (True,) * 3
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        item.content = "x"  # type: ignore[misc]
    record = parse_log_record(
        '{"event_timestamp":"2024-01-01T00:00:00.000Z","type":"MESSAGE","payload":'
        '{"Type":"MESSAGE","Id":"m","Content":"c","SendTime":"2024-01-01T00:00:00Z",'
        '"Attributes":{"a":"b"},"Sender":{"UserId":"u"}},"version":"1.0"}'
    )
    again = LogRecord(**attrs.asdict(record, recurse=False))
    assert (record == again, hash(record) == hash(again), repr(record) == repr(again)) == (
        True,
    ) * 3
    assert slot_builder(LogRecord, ("event_timestamp", "type", "version", "item", "payload"))


def test_slot_builder_refuses_classes_it_would_build_wrong() -> None:
    """Other field names, validators, a post-init or no slots: None (use the class)."""
    import attrs

    from ivschat_sdk.messaging._frames import slot_builder

    @attrs.frozen
    class Plain:
        a: int
        b: int
        c: int
        d: int
        e: int

    @attrs.frozen
    class Checked:
        a: int = attrs.field(validator=attrs.validators.instance_of(int))
        b: int = 0
        c: int = 0
        d: int = 0
        e: int = 0

    @attrs.frozen
    class Post:
        a: int
        b: int
        c: int
        d: int
        e: int

        def __attrs_post_init__(self) -> None:
            pass

    @attrs.frozen(slots=False)
    class NoSlots:
        a: int
        b: int
        c: int
        d: int
        e: int

    names = ("a", "b", "c", "d", "e")
    build = slot_builder(Plain, names)
    assert build is not None
    assert build(1, 2, 3, 4, 5) == Plain(1, 2, 3, 4, 5)
    assert slot_builder(Plain, ("a", "b", "c", "d", "x")) is None
    assert slot_builder(Checked, names) is None
    assert slot_builder(Post, names) is None
    assert slot_builder(NoSlots, names) is None
