"""What a chat connection receives: messages and events, as frozen models.

Models hold data only; :mod:`ivschat_sdk.messaging._frames` converts the wire frames.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime
from typing import TypeAlias

import attrs

from .._models import frozen_map_field

__all__ = [
    "ChatEvent",
    "ChatItem",
    "ChatMessage",
    "ConnectionState",
    "MessageDeletedEvent",
    "Sender",
    "UserDisconnectedEvent",
]


class ConnectionState(str, enum.Enum):
    """Where a chat client's connection stands."""

    DISCONNECTED = "DISCONNECTED"
    """Not connected yet, or closed for good."""
    CONNECTING = "CONNECTING"
    """Opening the first connection."""
    CONNECTED = "CONNECTED"
    """Connected: requests can be sent."""
    RECONNECTING = "RECONNECTING"
    """The connection dropped or the session expired; opening a new one."""


@attrs.frozen(kw_only=True)
class Sender:
    """Who sent a message, as their chat token says."""

    user_id: str
    """The sender's user id."""
    attributes: Mapping[str, str] = frozen_map_field()
    """The attributes of the sender's token (e.g. a display name)."""


@attrs.frozen(kw_only=True)
class ChatMessage:
    """A message delivered to the room."""

    id: str
    """The message's 12-character id; pass it to ``delete_message``."""
    request_id: str | None = None
    """The sender's request id (only meaningful to the sender)."""
    content: str
    """The message text (as rewritten by the room's review handler, if any)."""
    attributes: Mapping[str, str] = frozen_map_field()
    """The message's attributes."""
    send_time: datetime
    """When the service received the message (UTC)."""
    sender: Sender
    """Who sent it."""


@attrs.frozen(kw_only=True)
class ChatEvent:
    """A custom event.

    One sent with ``send_event`` on the control plane, or an ``aws:`` event this SDK does not
    know yet.
    """

    id: str
    """The event's id."""
    request_id: str | None = None
    """The request that caused it, if any."""
    event_name: str
    """The event's name, e.g. ``app:poll-started``."""
    attributes: Mapping[str, str] = frozen_map_field()
    """The event's attributes."""
    send_time: datetime
    """When the service sent it (UTC)."""


@attrs.frozen(kw_only=True)
class MessageDeletedEvent:
    """``aws:DELETE_MESSAGE``: a moderator deleted a message; clients should hide it."""

    id: str
    """The event's id."""
    request_id: str | None = None
    """The request that caused it, if any."""
    message_id: str
    """The id of the deleted message."""
    reason: str = ""
    """Why, as the moderator said."""
    send_time: datetime
    """When the service sent it (UTC)."""
    attributes: Mapping[str, str] = frozen_map_field()
    """All of the event's attributes, as sent."""


@attrs.frozen(kw_only=True)
class UserDisconnectedEvent:
    """``aws:DISCONNECT_USER``: a user was disconnected from the room by a moderator."""

    id: str
    """The event's id."""
    request_id: str | None = None
    """The request that caused it, if any."""
    user_id: str
    """The disconnected user."""
    reason: str = ""
    """Why, as the moderator said."""
    send_time: datetime
    """When the service sent it (UTC)."""
    attributes: Mapping[str, str] = frozen_map_field()
    """All of the event's attributes, as sent."""


ChatItem: TypeAlias = ChatMessage | ChatEvent | MessageDeletedEvent | UserDisconnectedEvent
"""Anything a chat client receives: a message or an event."""
