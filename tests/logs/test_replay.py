"""replay(): the transcript a viewer saw, rebuilt from chat log records."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from ivschat_sdk.logs import Transcript, format_log_record, parse_log_record, replay
from ivschat_sdk.messaging import ChatEvent, ChatMessage, MessageDeletedEvent, Sender

from .conftest import conversation
from .published import FIXTURE_2022_12

UTC = timezone.utc
T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def records(items: list[object]) -> list[object]:
    return [parse_log_record(format_log_record(item)) for item in items]  # type: ignore[arg-type]


def test_deleted_messages_are_removed_and_events_kept_apart() -> None:
    """The transcript is every message minus those an aws:DELETE_MESSAGE names."""
    items = conversation(T0)
    transcript = replay(records(items))  # type: ignore[arg-type]
    assert isinstance(transcript, Transcript)
    assert [m.id for m in transcript] == ["m1", "m3", "m4"]
    assert len(transcript) == 3
    assert [e.event_name for e in transcript.events] == ["app:poll-started"]
    assert set(transcript.deleted) == {"m2"}
    assert transcript.deleted["m2"].reason == "spam"
    assert set(transcript.disconnected) == {"bob"}


def test_the_published_deletion_removes_the_published_message() -> None:
    """The captured aws:DELETE_MESSAGE (MessageID only) deletes the captured message."""
    transcript = replay(parse_log_record(p.line) for p in FIXTURE_2022_12)
    assert transcript.messages == ()
    assert set(transcript.deleted) == {"M2YcHkgffEvU"}


def test_hiding_disconnected_users_removes_all_they_said() -> None:
    """A disconnected (banned) user's messages go, before and after the disconnection."""
    transcript = replay(conversation(T0), hide_disconnected_users=True)
    assert [m.id for m in transcript] == ["m1", "m4"]


def test_order_is_by_send_time_whatever_the_log_order() -> None:
    """Objects and streams interleave; the transcript is in time order, deletions still apply."""
    items = conversation(T0)
    shuffled = list(items)
    random.Random(7).shuffle(shuffled)
    assert [m.id for m in replay(shuffled)] == ["m1", "m3", "m4"]
    deletion_first = [items[2], *items[:2], *items[3:]]
    assert [m.id for m in replay(deletion_first)] == ["m1", "m3", "m4"]


def test_ties_keep_log_order_and_duplicates_count_once() -> None:
    """Same send_time: log order; the same Id from two destinations: once."""
    sender = Sender(user_id="u")
    first = ChatMessage(id="a", content="1", send_time=T0, sender=sender)
    second = ChatMessage(id="b", content="2", send_time=T0, sender=sender)
    transcript = replay([second, first, second, first])
    assert [m.id for m in transcript] == ["b", "a"]


def test_the_window_keeps_messages_in_it_but_deletions_from_anywhere() -> None:
    """[start, end) on send_time; a deletion after the window still removes its message."""
    items = conversation(T0)  # m1 at +0s, m2 at +1s (deleted at +2s), m3 at +4s, m4 at +6s
    transcript = replay(items, start=T0, end=T0 + timedelta(seconds=1, microseconds=123457))
    assert [m.id for m in transcript] == ["m1"]
    assert [e.id for e in replay(items, start=T0 + timedelta(seconds=3)).events] == ["e2"]
    epoch = replay(items, start=(T0 + timedelta(seconds=4)).timestamp())
    assert [m.id for m in epoch] == ["m3", "m4"]


def test_until_and_between_follow_a_players_clock() -> None:
    """until(sync time) is what a viewer sees then; between() what to add since last time."""
    transcript = replay(conversation(T0))
    assert transcript.until(T0 - timedelta(seconds=1)) == ()
    assert [m.id for m in transcript.until(T0 + timedelta(seconds=4, microseconds=123456))] == [
        "m1",
        "m3",
    ]
    sync_time = (T0 + timedelta(seconds=10)).timestamp()  # the IVS Player's getSyncTime()
    assert [m.id for m in transcript.until(sync_time)] == ["m1", "m3", "m4"]
    added = transcript.between(T0 + timedelta(seconds=1), T0 + timedelta(seconds=7))
    assert [m.id for m in added] == ["m3", "m4"]
    naive = datetime(2024, 5, 1, 12, 0, 5)  # naive times are UTC
    assert [m.id for m in transcript.until(naive)] == ["m1", "m3"]


def test_items_and_unknown_records_mix() -> None:
    """Records, bare items and records of unknown payloads can be given together."""
    unknown = parse_log_record(
        '{"event_timestamp":"2024-05-01T12:00:00.000Z","type":"PRESENCE","payload":{"Type":"PRESENCE"},"version":"1.0"}'
    )
    items = conversation(T0)
    transcript = replay([unknown, *records(items[:2]), *items[2:]])  # type: ignore[list-item]
    assert [m.id for m in transcript] == ["m1", "m3", "m4"]


def test_the_transcript_is_frozen() -> None:
    """A transcript cannot be changed, nor its maps."""
    transcript = replay(conversation(T0))
    with pytest.raises(AttributeError):
        transcript.messages = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        transcript.deleted["x"] = transcript.deleted["m2"]  # type: ignore[index]
    assert transcript == replay(conversation(T0))


def test_an_empty_log_is_an_empty_transcript() -> None:
    """No records: no messages, and until() is empty."""
    transcript = replay([])
    assert (transcript.messages, transcript.events) == ((), ())
    assert transcript.until(T0) == ()
    deletion = MessageDeletedEvent(id="e", message_id="gone", send_time=T0)
    deleted_only = replay([deletion, ChatEvent(id="c", event_name="x", send_time=T0)])
    assert deleted_only.messages == ()
    assert len(deleted_only.events) == 1
