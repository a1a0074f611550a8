"""Chat replay: a room's transcript from its chat log records.

IVS Chat keeps no history; a replay beside a recorded stream is built from the logs. What a
viewer should see is every message in time order, minus the messages moderators deleted
(``aws:DELETE_MESSAGE`` names them by ``MessageID``), optionally minus everything said by
users moderators disconnected, up to the moment the video player shows (the IVS Player's
``getSyncTime()`` is that moment as UTC).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timezone
from types import MappingProxyType

import attrs

from .._timestamps import to_utc
from ..messaging._models import (
    ChatEvent,
    ChatItem,
    ChatMessage,
    MessageDeletedEvent,
    UserDisconnectedEvent,
)
from ._records import LogRecord

__all__ = ["Transcript", "replay"]

_UTC = timezone.utc


def _as_time(value: datetime | float) -> datetime:
    if isinstance(value, datetime):
        return to_utc(value)
    return datetime.fromtimestamp(value, _UTC)


@attrs.frozen(kw_only=True)
class Transcript:
    """What a room's viewers saw, as :func:`replay` rebuilt it from the logs.

    Iterating it gives :attr:`messages`. Times may be given as aware datetimes or as seconds
    since the Unix epoch (what the IVS Player's ``getSyncTime()`` returns).
    """

    messages: tuple[ChatMessage, ...]
    """The messages, in time order (``send_time``, then log order), deleted ones removed."""
    events: tuple[ChatEvent, ...]
    """The custom events (SendEvent's, and ``aws:`` events this SDK does not know), in time
    order, in the replay's window."""
    deleted: Mapping[str, MessageDeletedEvent] = attrs.field(hash=False)
    """The deletions found in the records, by the id of the deleted message."""
    disconnected: Mapping[str, UserDisconnectedEvent] = attrs.field(hash=False)
    """The last disconnection of each disconnected user, by user id."""
    _times: tuple[datetime, ...] = attrs.field(
        init=False, repr=False, eq=False, hash=False, alias="_times"
    )

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_times", tuple(m.send_time for m in self.messages))

    def __iter__(self) -> Iterator[ChatMessage]:
        return iter(self.messages)

    def __len__(self) -> int:
        return len(self.messages)

    def until(self, time: datetime | float) -> tuple[ChatMessage, ...]:
        """The messages sent at or before ``time``: what a viewer sees at that moment.

        Call it with the player's sync time on every ``SYNC_TIME_UPDATE``; a binary search,
        so cheap for any transcript length.
        """
        return self.messages[: bisect.bisect_right(self._times, _as_time(time))]

    def between(self, start: datetime | float, end: datetime | float) -> tuple[ChatMessage, ...]:
        """The messages sent in ``[start, end)``, e.g. those to add since the last update."""
        low = bisect.bisect_left(self._times, _as_time(start))
        high = bisect.bisect_left(self._times, _as_time(end))
        return self.messages[low:high]


def replay(
    records: Iterable[LogRecord | ChatItem],
    *,
    start: datetime | float | None = None,
    end: datetime | float | None = None,
    hide_disconnected_users: bool = False,
) -> Transcript:
    """Rebuild a room's transcript from its chat log records.

    Messages are put in time order (by ``send_time``; ties keep log order), a message logged
    twice (the same ``Id``, e.g. from two destinations or a redelivery) is kept once, and
    every message named by an ``aws:DELETE_MESSAGE`` anywhere in the records is removed,
    whether the deletion came before or after it in the logs or outside the window.

    Args:
        records: Chat log records (from any reader, several readers chained, or parsed
            lines), or the chat client's items themselves.
        start: Keep messages sent at or after this time (a video's start).
        end: Keep messages sent before this time (a video's end).
        hide_disconnected_users: Also remove every message of each user an
            ``aws:DISCONNECT_USER`` names (a ban: what they said before and after).

    Returns:
        The transcript; memory grows with the messages kept, not with the records read.
    """
    low = _as_time(start) if start is not None else None
    high = _as_time(end) if end is not None else None
    messages: dict[str, ChatMessage] = {}
    events: dict[str, ChatEvent] = {}
    deleted: dict[str, MessageDeletedEvent] = {}
    disconnected: dict[str, UserDisconnectedEvent] = {}
    for record in records:
        item = record.item if isinstance(record, LogRecord) else record
        if item is None:
            continue
        if isinstance(item, ChatMessage):
            if (low is None or item.send_time >= low) and (high is None or item.send_time < high):
                messages.setdefault(item.id, item)
        elif isinstance(item, MessageDeletedEvent):
            deleted.setdefault(item.message_id, item)
        elif isinstance(item, UserDisconnectedEvent):
            last = disconnected.get(item.user_id)
            if last is None or item.send_time >= last.send_time:
                disconnected[item.user_id] = item
        elif (low is None or item.send_time >= low) and (high is None or item.send_time < high):
            events.setdefault(item.id, item)
    kept = [
        message
        for message in messages.values()
        if message.id not in deleted
        and not (hide_disconnected_users and message.sender.user_id in disconnected)
    ]
    kept.sort(key=_send_time)
    ordered_events = sorted(events.values(), key=_send_time)
    return Transcript(
        messages=tuple(kept),
        events=tuple(ordered_events),
        deleted=MappingProxyType(deleted),
        disconnected=MappingProxyType(disconnected),
    )


def _send_time(item: ChatMessage | ChatEvent) -> datetime:
    return item.send_time
