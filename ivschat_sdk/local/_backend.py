"""The operations of the local IVS Chat, independent of any transport.

Each operation takes a validated request in wire names and returns the response body in
wire names (or None for the two 204 operations), or raises a :class:`ServiceError`. State is
kept per account and region, in memory, and, when the backend has a :class:`StateStore`,
written through to it: each operation's changes are collected and :meth:`Backend.commit`
writes them as one transaction before the request is answered. Where the service's
behaviour is not documented, the choice made here is listed in ``docs/local.md``
("Behaviour the emulator chooses").
"""

from __future__ import annotations

import base64
import binascii
import collections
import contextlib
import json
import logging
import random
import secrets
import sqlite3
import string
import threading
import time
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs

from .._constraints import Violation
from .._timestamps import format_timestamp
from ._chat import ChatHub
from ._chat_logs import LOGS_BUFFER, LOGS_INTERVAL, ChatLogWriter, chat_log_writer
from ._errors import (
    ServiceError,
    conflict,
    constraint_violations,
    not_found,
    quota_exceeded,
    validation_error,
)
from ._rates import RateLimiter
from ._records import (
    ChatSession,
    Clock,
    Context,
    LoggingConfiguration,
    RegionState,
    Room,
    epoch_ns,
    utc_now,
)
from ._store import Change, Regions, StateStore, state_from_json, state_to_json

__all__ = [
    "DEFAULT_ACCOUNT_ID",
    "DEFAULT_REGION",
    "LOGGING_CONFIGURATION_QUOTA",
    "LOGS_BUFFER",
    "LOGS_INTERVAL",
    "TOKEN_LIFETIME",
    "Backend",
    "ChatSession",
    "Context",
    "chat_log_writer",
]

_log = logging.getLogger("ivschat_sdk.local")

DEFAULT_ACCOUNT_ID = "123456789012"
"""The account the ARNs name when the request's access key does not say otherwise."""
DEFAULT_REGION = "us-east-1"
"""The region used when a request carries none."""
LOGGING_CONFIGURATION_QUOTA = 10
"""Logging configurations per account and region (the service's documented default)."""
TOKEN_LIFETIME = timedelta(minutes=1)
"""How long a chat token may be used to connect."""
DEFAULT_PAGE_SIZE = 50
ROOM = "ROOM"
"""The ``resourceType`` of every error, logging configurations' included: the service model
declares the member required with this single enum value, so model-generated clients expect it."""

_ALPHANUMERIC = string.ascii_letters + string.digits
_ROOM_KIND = "room"
_CONFIG_KIND = "logging-configuration"


@attrs.define
class _Token:
    session: ChatSession
    token_expiration_time: datetime


class Backend:
    """The IVS Chat's state and operations: rooms, logging configurations and chat tokens."""

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        room_quota: int | None = None,
        logging_configuration_quota: int = LOGGING_CONFIGURATION_QUOTA,
        rate_limits: bool = False,
        store: StateStore | None = None,
        chat_logs: ChatLogWriter | None = None,
    ) -> None:
        self.lock = threading.RLock()
        """Guards all state; the control plane and the chat connections both take it."""
        self.chat = ChatHub(self)
        """The chat connections of every room."""
        self._clock: Clock = clock or utc_now
        self._room_quota = room_quota
        self._api_rates = RateLimiter() if rate_limits else None
        self._logging_configuration_quota = logging_configuration_quota
        self._rng = random.Random(secrets.randbits(64))
        self._regions: Regions = {}
        # A token of a deleted room keeps only its expiry (its session is dropped), so that
        # it is refused with 404 rather than 401 until it would have expired anyway.
        self._tokens: dict[str, _Token | datetime] = {}
        # Tokens in the order they expire (all live TOKEN_LIFETIME): the sweep pops from the front.
        self._token_queue: collections.deque[tuple[datetime, str]] = collections.deque()
        self._seq = 0
        self._rates_pruned_at = datetime.min.replace(tzinfo=timezone.utc)
        self._store = store
        self._changes: dict[tuple[str, str, str, str], Room | LoggingConfiguration | None] = {}
        if store is not None:
            self._seq, self._regions = store.seq, store.regions
        self.chat_logs = chat_logs
        """Writes the chat logs of rooms with logging configurations, or None (off)."""
        if chat_logs is not None:
            chat_logs.attach(self, self.chat)

    # -- helpers ----------------------------------------------------------------------

    def now(self) -> datetime:
        """The emulator's current time (aware UTC)."""
        return self._clock()

    def now_ns(self) -> int:
        """The current time in nanoseconds since the Unix epoch, for chat frames' times.

        The default clock reads the system's nanosecond clock; a custom clock's time is used
        as it is (to its microsecond), so tests that move the clock see exactly its time.
        """
        if self._clock is utc_now:
            return time.time_ns()
        return epoch_ns(self._clock())

    def take_api_rate(self, account_id: str, region: str, operation: str) -> int | None:
        """Count one request of ``operation`` against its API rate quota, if quotas are on.

        Returns:
            None if the request may go on, else the quota (requests per second) it exceeds.

        """
        if self._api_rates is None:
            return None
        return self._api_rates.take(account_id, region, operation, self.now())

    def new_id(self) -> str:
        """A fresh 12-character alphanumeric id, as the service makes for rooms and messages."""
        return "".join(self._rng.choices(_ALPHANUMERIC, k=12))

    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def _state(self, ctx: Context) -> RegionState:
        """The region's state to read: an empty one, not kept, if it has none yet.

        Read-only requests (and refused writes) signed for any region leave nothing behind.
        """
        state = self._regions.get((ctx.account_id, ctx.region))
        return state if state is not None else RegionState(ctx.account_id, ctx.region)

    def _state_to_write(self, ctx: Context) -> RegionState:
        key = (ctx.account_id, ctx.region)
        state = self._regions.get(key)
        if state is None:
            state = self._regions[key] = RegionState(ctx.account_id, ctx.region)
        return state

    def _changed(self, ctx: Context, item: Room | LoggingConfiguration) -> None:
        kind = _ROOM_KIND if isinstance(item, Room) else _CONFIG_KIND
        self._changes[(ctx.account_id, ctx.region, kind, item.id)] = item

    def _removed(self, ctx: Context, kind: str, resource_id: str) -> None:
        self._changes[(ctx.account_id, ctx.region, kind, resource_id)] = None
        key = (ctx.account_id, ctx.region)
        state = self._regions.get(key)
        if state is not None and state.empty():
            del self._regions[key]

    def commit(self) -> None:
        """Write the changes of the operation just done to the store, in one transaction.

        Called before the operation is answered. Without a store it only forgets them.

        Raises:
            ServiceError: ``InternalServerException``: the store could not be written; the
                changes are undone in memory too, so what is served is what is stored.

        """
        if not self._changes:
            return
        changes, self._changes = self._changes, {}
        if self._store is None:
            return
        rows: list[Change] = [(*key, item) for key, item in changes.items()]
        try:
            self._store.write(self._seq, rows)
        except (sqlite3.Error, OSError) as err:
            _log.error("could not write the state file %s: %s", self._store.path, err)
            self._restore()
            raise ServiceError(
                "InternalServerException", f"The change could not be saved: {err}"
            ) from None

    def _restore(self) -> None:
        """Serve what the store holds, after a write that failed."""
        assert self._store is not None
        try:
            self._seq, self._regions = self._store.reload()
        except ValueError as err:  # pragma: no cover - the file broke under us
            _log.error("%s", err)

    def close(self) -> None:
        """Close the store, if any (idempotent)."""
        if self._store is not None:
            self._store.close()

    @property
    def store(self) -> StateStore | None:
        """The state store written through, if any."""
        return self._store

    def _arn(self, ctx: Context, kind: str, resource_id: str) -> str:
        return f"arn:aws:ivschat:{ctx.region}:{ctx.account_id}:{kind}/{resource_id}"

    def _room(self, ctx: Context, arn: str) -> Room:
        room_id = arn.rpartition("/")[2]
        room = self._state(ctx).rooms.get(room_id)
        if room is None or room.arn != arn:
            raise not_found(room_id, ROOM, "Room")
        return room

    def _logging_configuration(self, ctx: Context, arn: str) -> LoggingConfiguration:
        config_id = arn.rpartition("/")[2]
        config = self._state(ctx).logging_configurations.get(config_id)
        if config is None or config.arn != arn:
            raise not_found(config_id, ROOM, "Logging configuration")
        return config

    def _checked_logging_configurations(self, ctx: Context, arns: Iterable[str]) -> list[str]:
        out: list[str] = []
        for arn in arns:
            self._logging_configuration(ctx, arn)
            if arn not in out:
                out.append(arn)
        return out

    def room_by_arn(self, arn: str) -> Room | None:
        """The room an ARN names, in whichever account and region, or None."""
        parts = arn.split(":")
        if len(parts) != 6:
            return None
        state = self._regions.get((parts[4], parts[3]))
        room = state.rooms.get(arn.rpartition("/")[2]) if state is not None else None
        return room if room is not None and room.arn == arn else None

    def logging_configuration_by_arn(self, arn: str) -> LoggingConfiguration | None:
        """The logging configuration an ARN names, in whichever account and region, or None."""
        parts = arn.split(":")
        if len(parts) != 6:
            return None
        state = self._regions.get((parts[4], parts[3]))
        configs = state.logging_configurations if state is not None else {}
        config = configs.get(arn.rpartition("/")[2])
        return config if config is not None and config.arn == arn else None

    def fail_logging_configuration(self, arn: str) -> str | None:
        """Mark a logging configuration whose destination does not exist; return its state.

        ``CREATE_FAILED``, or ``UPDATE_FAILED`` once it was updated (chat logging found the
        destination missing at its first write; see ``docs/logging.md``). Written to the state
        file, if any. None if the configuration is gone.
        """
        config = self.logging_configuration_by_arn(arn)
        if config is None:
            return None
        config.state = (
            "CREATE_FAILED" if config.update_time == config.create_time else "UPDATE_FAILED"
        )
        _, _, _, region, account_id, _ = arn.split(":", 5)
        self._changed(Context(account_id=account_id, region=region), config)
        with contextlib.suppress(ServiceError):  # logged; what is served is what is stored
            self.commit()
        return config.state

    def reset(self) -> None:
        """Forget every resource and token; close every chat connection."""
        self.chat.close_all("Reset")
        self._regions = {}
        self._changes.clear()
        self._tokens.clear()
        self._token_queue.clear()
        if self._api_rates is not None:
            self._api_rates.clear()
        if self._store is not None:
            self._store.replace(self._seq, self._regions)

    def export_state(self) -> dict[str, Any]:
        """Rooms and logging configurations as JSON-ready data (tokens live a minute: left out)."""
        return state_to_json(self._seq, self._regions)

    def import_state(self, data: Any) -> None:
        """Replace all resources with those of :meth:`export_state`'s output.

        Raises:
            ValueError: The data is not a state this version wrote (a field of the wrong
                type included); nothing changes.
        """
        seq, regions = state_from_json(data)
        self.replace_state(seq, regions)

    def replace_state(self, seq: int, regions: Regions) -> None:
        """Replace all resources (and the store's, if any); tokens are forgotten."""
        if self._store is not None:
            self._store.replace(seq, regions)
        self._regions = regions
        self._changes.clear()
        self._tokens.clear()
        self._token_queue.clear()
        self._seq = seq

    def sweep(self) -> None:
        """Free expired chat tokens and idle rate windows (cheap: only what expired is touched)."""
        now = self.now()
        queue, tokens = self._token_queue, self._tokens
        while queue and queue[0][0] <= now:
            _, token = queue.popleft()
            tokens.pop(token, None)
        if self._api_rates is not None and now >= self._rates_pruned_at + timedelta(seconds=1):
            self._rates_pruned_at = now
            self._api_rates.prune(now)

    def token_count(self) -> int:
        """How many chat tokens hold a session (issued, unused, unexpired, room not deleted)."""
        return sum(1 for r in self._tokens.values() if isinstance(r, _Token))

    def region_count(self) -> int:
        """How many (account, region) pairs hold state."""
        return len(self._regions)

    # -- rooms --------------------------------------------------------------------------

    def create_room(self, ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
        """CreateRoom."""
        state = self._state(ctx)
        if self._room_quota is not None and len(state.rooms) >= self._room_quota:
            raise quota_exceeded(
                ctx.account_id, ROOM, self._room_quota,
                f"You have reached the maximum of {self._room_quota} rooms in {ctx.region}",
            )  # fmt: skip
        logging_ids = self._checked_logging_configurations(
            ctx, p.get("loggingConfigurationIdentifiers", ())
        )
        room_id = self.new_id()
        now = self.now()
        room = Room(
            arn=self._arn(ctx, "room", room_id),
            id=room_id,
            name=p.get("name", ""),
            create_time=now,
            update_time=now,
            update_seq=self._next_seq(),
            maximum_message_rate_per_second=p.get("maximumMessageRatePerSecond", 10),
            maximum_message_length=p.get("maximumMessageLength", 500),
            message_review_handler=_handler(p.get("messageReviewHandler")),
            tags=dict(p.get("tags", {})),
            logging_configuration_identifiers=logging_ids,
        )
        self._state_to_write(ctx).rooms[room_id] = room
        self._changed(ctx, room)
        return room.full()

    def get_room(self, ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
        """GetRoom."""
        return self._room(ctx, p["identifier"]).full()

    def update_room(self, ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
        """UpdateRoom: members left out keep their value."""
        room = self._room(ctx, p["identifier"])
        logging_ids = None
        if "loggingConfigurationIdentifiers" in p:
            logging_ids = self._checked_logging_configurations(
                ctx, p["loggingConfigurationIdentifiers"]
            )
        # Everything is checked; apply.
        if "name" in p:
            room.name = p["name"]
        if "maximumMessageRatePerSecond" in p:
            room.maximum_message_rate_per_second = p["maximumMessageRatePerSecond"]
        if "maximumMessageLength" in p:
            room.maximum_message_length = p["maximumMessageLength"]
        if "messageReviewHandler" in p:
            room.message_review_handler = _handler(p["messageReviewHandler"])
        if logging_ids is not None:
            room.logging_configuration_identifiers = logging_ids
        room.touch(self.now(), self._next_seq())
        self._changed(ctx, room)
        return room.full()

    def delete_room(self, ctx: Context, p: dict[str, Any]) -> None:
        """DeleteRoom."""
        room = self._room(ctx, p["identifier"])
        del self._state(ctx).rooms[room.id]
        self._removed(ctx, _ROOM_KIND, room.id)
        self.chat.close_room(room.arn)
        # Its tokens can no longer open anything: drop their sessions now.
        tokens = self._tokens
        for token, record in list(tokens.items()):
            if isinstance(record, _Token) and record.session.room_arn == room.arn:
                tokens[token] = record.token_expiration_time

    def list_rooms(self, ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
        """ListRooms: newest ``updateTime`` first; filters are exact matches, ANDed."""
        rooms: Iterable[Room] = self._state(ctx).rooms.values()
        if "name" in p:
            rooms = [r for r in rooms if r.name == p["name"]]
        if "messageReviewHandlerUri" in p:
            uri = p["messageReviewHandlerUri"]
            rooms = [r for r in rooms if (r.message_review_handler or {}).get("uri", "") == uri]
        if "loggingConfigurationIdentifier" in p:
            arn = p["loggingConfigurationIdentifier"]
            self._logging_configuration(ctx, arn)
            rooms = [r for r in rooms if arn in r.logging_configuration_identifiers]
        page, token = _page(rooms, p)
        out: dict[str, Any] = {"rooms": [r.summary() for r in page]}
        if token:
            out["nextToken"] = token
        return out

    # -- chat ---------------------------------------------------------------------------

    def create_chat_token(self, ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
        """CreateChatToken: an opaque, single-use token, valid for one minute."""
        room = self._room(ctx, p["roomIdentifier"])
        now = self.now()
        self.sweep()
        session_expiration = now + timedelta(minutes=p.get("sessionDurationInMinutes", 60))
        token_expiration = now + TOKEN_LIFETIME
        # URL-safe base64 ([A-Za-z0-9_-]): every character is an RFC 7230 tchar, so the
        # token can travel as a WebSocket subprotocol.
        token = secrets.token_urlsafe(96)
        self._tokens[token] = _Token(
            session=ChatSession(
                room_arn=room.arn,
                user_id=p["userId"],
                capabilities=tuple(dict.fromkeys(p.get("capabilities", ()))),
                attributes=dict(p.get("attributes", {})),
                session_expiration_time=session_expiration,
            ),
            token_expiration_time=token_expiration,
        )
        self._token_queue.append((token_expiration, token))
        return {
            "token": token,
            "tokenExpirationTime": format_timestamp(token_expiration),
            "sessionExpirationTime": format_timestamp(session_expiration),
        }

    def redeem_chat_token(self, token: str) -> ChatSession | int:
        """Use a token to open a connection: once, unexpired, for a room that still exists.

        Returns the session it grants, or the HTTP status that refuses the handshake: 401 for
        a token that is unknown, used or expired, 404 when its room was deleted. A used
        token is forgotten at once.
        """
        record = self._tokens.get(token)
        if record is None:
            return 401
        if not isinstance(record, _Token):  # its room was deleted
            return 401 if self.now() >= record else 404
        if self.now() >= record.token_expiration_time:
            return 401
        if self.room_by_arn(record.session.room_arn) is None:
            return 404
        del self._tokens[token]
        return record.session

    def send_event(self, ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
        """SendEvent: an EVENT to the room's connections; its Id is the response's id."""
        room = self._room(ctx, p["roomIdentifier"])
        event_id = self.new_id()
        self.chat.send_event(room.arn, p["eventName"], p.get("attributes", {}), event_id)
        return {"id": event_id}

    def delete_message(self, ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
        """DeleteMessage (the message id is not checked, as the service does not)."""
        room = self._room(ctx, p["roomIdentifier"])
        event_id = self.new_id()
        self.chat.delete_message(room.arn, p["id"], p.get("reason", ""), event_id)
        return {"id": event_id}

    def disconnect_user(self, ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
        """DisconnectUser: tell the room, then close the user's connections."""
        room = self._room(ctx, p["roomIdentifier"])
        self.chat.disconnect_user(room.arn, p["userId"], p.get("reason", ""))
        return {}

    # -- tags ---------------------------------------------------------------------------

    def _taggable(self, ctx: Context, arn: str) -> Room | LoggingConfiguration:
        if ":room/" in arn:
            return self._room(ctx, arn)
        return self._logging_configuration(ctx, arn)

    def tag_resource(self, ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
        """TagResource: at most 50 tags on a resource in all."""
        resource = self._taggable(ctx, p["resourceArn"])
        merged = {**resource.tags, **p["tags"]}
        if len(merged) > 50:
            raise constraint_violations(
                [
                    Violation(
                        "tags",
                        f"must leave the resource at most 50 tags in all, not {len(merged)}",
                        "Member must have length less than or equal to 50, counting the "
                        "resource's tags",
                    )
                ]
            )
        resource.tags = merged
        self._changed(ctx, resource)
        return {}

    def untag_resource(self, ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
        """UntagResource: keys that are not set are ignored."""
        resource = self._taggable(ctx, p["resourceArn"])
        for key in p["tagKeys"]:
            resource.tags.pop(key, None)
        self._changed(ctx, resource)
        return {}

    def list_tags_for_resource(self, ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
        """ListTagsForResource."""
        return {"tags": dict(self._taggable(ctx, p["resourceArn"]).tags)}

    # -- logging configurations -----------------------------------------------------------

    def create_logging_configuration(self, ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
        """CreateLoggingConfiguration: ``ACTIVE`` at once; 10 per account and region."""
        state = self._state(ctx)
        quota = self._logging_configuration_quota
        if len(state.logging_configurations) >= quota:
            raise quota_exceeded(
                ctx.account_id, ROOM, quota,
                f"You have reached the maximum of {quota} logging configurations in {ctx.region}",
            )  # fmt: skip
        config_id = self.new_id()
        now = self.now()
        config = LoggingConfiguration(
            arn=self._arn(ctx, "logging-configuration", config_id),
            id=config_id,
            name=p.get("name", ""),
            create_time=now,
            update_time=now,
            update_seq=self._next_seq(),
            destination_configuration=dict(p["destinationConfiguration"]),
            state="ACTIVE",
            tags=dict(p.get("tags", {})),
        )
        self._state_to_write(ctx).logging_configurations[config_id] = config
        self._changed(ctx, config)
        return config.full()

    def get_logging_configuration(self, ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
        """GetLoggingConfiguration."""
        return self._logging_configuration(ctx, p["identifier"]).full()

    def update_logging_configuration(self, ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
        """UpdateLoggingConfiguration: ``ACTIVE`` again, whatever a failed delivery made it."""
        config = self._logging_configuration(ctx, p["identifier"])
        if "name" in p:
            config.name = p["name"]
        if "destinationConfiguration" in p:
            config.destination_configuration = dict(p["destinationConfiguration"])
        config.state = "ACTIVE"  # set up again: chat logging tries the destination anew
        config.touch(self.now(), self._next_seq())
        self._changed(ctx, config)
        return config.full()

    def delete_logging_configuration(self, ctx: Context, p: dict[str, Any]) -> None:
        """DeleteLoggingConfiguration: refused (409) while a room uses the configuration."""
        config = self._logging_configuration(ctx, p["identifier"])
        state = self._state(ctx)
        users = [
            r.id for r in state.rooms.values() if config.arn in r.logging_configuration_identifiers
        ]
        if users:
            raise conflict(
                config.id, ROOM,
                f"Logging configuration is used by {len(users)} room(s), e.g. {users[0]}; "
                "detach it from them first",
            )  # fmt: skip
        del state.logging_configurations[config.id]
        self._removed(ctx, _CONFIG_KIND, config.id)

    def list_logging_configurations(self, ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
        """ListLoggingConfigurations: newest ``updateTime`` first."""
        page, token = _page(self._state(ctx).logging_configurations.values(), p)
        out: dict[str, Any] = {"loggingConfigurations": [c.full() for c in page]}
        if token:
            out["nextToken"] = token
        return out


def _handler(wire: dict[str, Any] | None) -> dict[str, str] | None:
    """The stored review handler; an empty ``uri`` means none."""
    if not wire or not wire.get("uri"):
        return None
    return {"uri": wire["uri"], "fallbackResult": wire.get("fallbackResult", "ALLOW")}


def _sort_key(item: Room | LoggingConfiguration) -> tuple[datetime, int]:
    return (item.update_time, item.update_seq)


def _page(items: Iterable[Any], p: dict[str, Any]) -> tuple[list[Any], str | None]:
    """One page, newest first, after the position a ``nextToken`` encodes."""
    ordered = sorted(items, key=_sort_key, reverse=True)
    token = p.get("nextToken")
    if token:
        after = _decode_token(token)
        ordered = [i for i in ordered if _sort_key(i) < after]
    size = p.get("maxResults", DEFAULT_PAGE_SIZE)
    page = ordered[:size]
    if len(ordered) > size:
        return page, _encode_token(_sort_key(page[-1]))
    return page, None


def _encode_token(key: tuple[datetime, int]) -> str:
    raw = json.dumps([key[0].isoformat(), key[1]]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_token(token: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        when, seq = json.loads(raw)
        key = (datetime.fromisoformat(when), int(seq))
        if key[0].tzinfo is None:
            raise ValueError("naive")
        return key
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise validation_error(
            "The nextToken is not valid; pass a nextToken from a previous response",
            [("nextToken", "Invalid pagination token")],
        ) from None
