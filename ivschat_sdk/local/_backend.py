"""The state and the operations of the local IVS Chat, independent of any transport.

Each operation takes a validated request in wire names and returns the response body in
wire names (or None for the two 204 operations), or raises a :class:`ServiceError`. State is
kept per account and region. Where the service's behaviour is not documented, the choice made
here is listed in ``docs/local.md`` ("Behaviour the emulator chooses").
"""

from __future__ import annotations

import base64
import binascii
import json
import random
import secrets
import string
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs

from .._constraints import Violation
from .._timestamps import format_timestamp
from ._chat import ChatHub, epoch_ns
from ._errors import conflict, constraint_violations, not_found, quota_exceeded, validation_error
from ._rates import RateLimiter

__all__ = [
    "DEFAULT_ACCOUNT_ID",
    "DEFAULT_REGION",
    "LOGGING_CONFIGURATION_QUOTA",
    "TOKEN_LIFETIME",
    "Backend",
    "ChatSession",
]

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
Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


@attrs.define
class _Stamped:
    """A resource's times, with their wire forms formatted once rather than per listing."""

    create_time: datetime
    update_time: datetime
    update_seq: int
    create_time_text: str = attrs.field(init=False)
    update_time_text: str = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.create_time_text = format_timestamp(self.create_time)
        self.update_time_text = format_timestamp(self.update_time)

    def touch(self, now: datetime, seq: int) -> None:
        """Record an update at ``now``."""
        self.update_time = now
        self.update_time_text = format_timestamp(now)
        self.update_seq = seq


@attrs.define
class _Room(_Stamped):
    arn: str = attrs.field(kw_only=True)
    id: str = attrs.field(kw_only=True)
    name: str = attrs.field(kw_only=True)
    maximum_message_rate_per_second: int = attrs.field(kw_only=True)
    maximum_message_length: int = attrs.field(kw_only=True)
    message_review_handler: dict[str, str] | None = attrs.field(kw_only=True)
    tags: dict[str, str] = attrs.field(kw_only=True)
    logging_configuration_identifiers: list[str] = attrs.field(kw_only=True)

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "arn": self.arn,
            "id": self.id,
            "name": self.name,
            "createTime": self.create_time_text,
            "updateTime": self.update_time_text,
            "tags": dict(self.tags),
            "loggingConfigurationIdentifiers": list(self.logging_configuration_identifiers),
        }
        if self.message_review_handler is not None:
            out["messageReviewHandler"] = dict(self.message_review_handler)
        return out

    def full(self) -> dict[str, Any]:
        out = self.summary()
        out["maximumMessageRatePerSecond"] = self.maximum_message_rate_per_second
        out["maximumMessageLength"] = self.maximum_message_length
        return out


@attrs.define
class _LoggingConfiguration(_Stamped):
    arn: str = attrs.field(kw_only=True)
    id: str = attrs.field(kw_only=True)
    name: str = attrs.field(kw_only=True)
    destination_configuration: dict[str, Any] = attrs.field(kw_only=True)
    state: str = attrs.field(kw_only=True)
    tags: dict[str, str] = attrs.field(kw_only=True)

    def full(self) -> dict[str, Any]:
        return {
            "arn": self.arn,
            "id": self.id,
            "name": self.name,
            "createTime": self.create_time_text,
            "updateTime": self.update_time_text,
            "destinationConfiguration": json.loads(json.dumps(self.destination_configuration)),
            "state": self.state,
            "tags": dict(self.tags),
        }


@attrs.frozen(kw_only=True)
class ChatSession:
    """What a redeemed chat token grants: the room, the user and what they may do."""

    room_arn: str
    """The room the token is for."""
    user_id: str
    """The user the token names."""
    capabilities: tuple[str, ...]
    """The token's capabilities (``SEND_MESSAGE``, ``DELETE_MESSAGE``, ``DISCONNECT_USER``)."""
    attributes: dict[str, str] = attrs.field(repr=False)
    """The token's attributes, attached to the user's messages."""
    session_expiration_time: datetime
    """When the connection must be closed."""


@attrs.define
class _Token:
    session: ChatSession
    token_expiration_time: datetime
    used: bool = False


@attrs.define
class _RegionState:
    account_id: str
    region: str
    rooms: dict[str, _Room] = attrs.Factory(dict)
    logging_configurations: dict[str, _LoggingConfiguration] = attrs.Factory(dict)


@attrs.define
class Context:
    """Who is calling: the account and region a request is signed for."""

    account_id: str
    region: str


class Backend:
    """The in-memory IVS Chat: rooms, logging configurations and chat tokens."""

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        room_quota: int | None = None,
        logging_configuration_quota: int = LOGGING_CONFIGURATION_QUOTA,
        rate_limits: bool = False,
    ) -> None:
        self.lock = threading.RLock()
        """Guards all state; the control plane and the chat connections both take it."""
        self.chat = ChatHub(self)
        """The chat connections of every room."""
        self._clock: Clock = clock or _utc_now
        self._room_quota = room_quota
        self._api_rates = RateLimiter() if rate_limits else None
        self._logging_configuration_quota = logging_configuration_quota
        self._rng = random.Random(secrets.randbits(64))
        self._regions: dict[tuple[str, str], _RegionState] = {}
        self._tokens: dict[str, _Token] = {}
        self._prune_at = 1024
        self._seq = 0

    # -- helpers ----------------------------------------------------------------------

    def now(self) -> datetime:
        """The emulator's current time (aware UTC)."""
        return self._clock()

    def now_ns(self) -> int:
        """The current time in nanoseconds since the Unix epoch, for chat frames' times.

        The default clock reads the system's nanosecond clock; a custom clock's time is used
        as it is (to its microsecond), so tests that move the clock see exactly its time.
        """
        if self._clock is _utc_now:
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

    def _state(self, ctx: Context) -> _RegionState:
        key = (ctx.account_id, ctx.region)
        state = self._regions.get(key)
        if state is None:
            state = self._regions[key] = _RegionState(ctx.account_id, ctx.region)
        return state

    def _arn(self, ctx: Context, kind: str, resource_id: str) -> str:
        return f"arn:aws:ivschat:{ctx.region}:{ctx.account_id}:{kind}/{resource_id}"

    def _room(self, ctx: Context, arn: str) -> _Room:
        room_id = arn.rpartition("/")[2]
        room = self._state(ctx).rooms.get(room_id)
        if room is None or room.arn != arn:
            raise not_found(room_id, ROOM, "Room")
        return room

    def _logging_configuration(self, ctx: Context, arn: str) -> _LoggingConfiguration:
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

    def room_by_arn(self, arn: str) -> _Room | None:
        """The room an ARN names, in whichever account and region, or None."""
        parts = arn.split(":")
        if len(parts) != 6:
            return None
        state = self._regions.get((parts[4], parts[3]))
        room = state.rooms.get(arn.rpartition("/")[2]) if state is not None else None
        return room if room is not None and room.arn == arn else None

    def reset(self) -> None:
        """Forget every resource and token; close every chat connection."""
        self.chat.close_all("Reset")
        self._regions.clear()
        self._tokens.clear()
        if self._api_rates is not None:
            self._api_rates.clear()

    def export_state(self) -> dict[str, Any]:
        """Rooms and logging configurations as JSON-ready data (tokens live a minute: left out)."""

        def record(item: _Room | _LoggingConfiguration) -> dict[str, Any]:
            data = attrs.asdict(item, filter=lambda a, _: a.init)
            data["create_time"] = item.create_time.isoformat()
            data["update_time"] = item.update_time.isoformat()
            return data

        return {
            "version": 1,
            "seq": self._seq,
            "regions": [
                {
                    "account_id": state.account_id,
                    "region": state.region,
                    "rooms": [record(r) for r in state.rooms.values()],
                    "logging_configurations": [
                        record(c) for c in state.logging_configurations.values()
                    ],
                }
                for state in self._regions.values()
            ],
        }

    def import_state(self, data: Any) -> None:
        """Replace all resources with those of :meth:`export_state`'s output.

        Raises:
            ValueError: The data is not a state this version wrote.
        """
        if not isinstance(data, dict) or data.get("version") != 1:
            raise ValueError("not an ivschat-local state (version 1)")
        try:
            regions: dict[tuple[str, str], _RegionState] = {}
            for entry in data["regions"]:
                state = _RegionState(entry["account_id"], entry["region"])
                for raw in entry["rooms"]:
                    room = _Room(**_times(raw))
                    state.rooms[room.id] = room
                for raw in entry["logging_configurations"]:
                    config = _LoggingConfiguration(**_times(raw))
                    state.logging_configurations[config.id] = config
                regions[(state.account_id, state.region)] = state
            seq = int(data["seq"])
        except (KeyError, TypeError, ValueError) as err:
            raise ValueError(f"not an ivschat-local state: {err!r}") from err
        self._regions = regions
        self._tokens.clear()
        self._seq = seq

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
        room = _Room(
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
        state.rooms[room_id] = room
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
        return room.full()

    def delete_room(self, ctx: Context, p: dict[str, Any]) -> None:
        """DeleteRoom."""
        room = self._room(ctx, p["identifier"])
        del self._state(ctx).rooms[room.id]
        self.chat.close_room(room.arn)

    def list_rooms(self, ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
        """ListRooms: newest ``updateTime`` first; filters are exact matches, ANDed."""
        rooms: Iterable[_Room] = self._state(ctx).rooms.values()
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
        self._prune_tokens(now)
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
        return {
            "token": token,
            "tokenExpirationTime": format_timestamp(token_expiration),
            "sessionExpirationTime": format_timestamp(session_expiration),
        }

    def redeem_chat_token(self, token: str) -> ChatSession | int:
        """Use a token to open a connection: once, unexpired, for a room that still exists.

        Returns the session it grants, or the HTTP status that refuses the handshake: 401 for
        a token that is unknown, used or expired, 404 when its room was deleted.
        """
        record = self._tokens.get(token)
        if record is None or record.used or self.now() >= record.token_expiration_time:
            return 401
        if self.room_by_arn(record.session.room_arn) is None:
            return 404
        record.used = True
        return record.session

    def _prune_tokens(self, now: datetime) -> None:
        if len(self._tokens) < self._prune_at:
            return
        self._tokens = {
            t: r for t, r in self._tokens.items() if not r.used and r.token_expiration_time > now
        }
        self._prune_at = max(1024, 2 * len(self._tokens))

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

    def _taggable(self, ctx: Context, arn: str) -> _Room | _LoggingConfiguration:
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
        return {}

    def untag_resource(self, ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
        """UntagResource: keys that are not set are ignored."""
        resource = self._taggable(ctx, p["resourceArn"])
        for key in p["tagKeys"]:
            resource.tags.pop(key, None)
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
        config = _LoggingConfiguration(
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
        state.logging_configurations[config_id] = config
        return config.full()

    def get_logging_configuration(self, ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
        """GetLoggingConfiguration."""
        return self._logging_configuration(ctx, p["identifier"]).full()

    def update_logging_configuration(self, ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
        """UpdateLoggingConfiguration."""
        config = self._logging_configuration(ctx, p["identifier"])
        if "name" in p:
            config.name = p["name"]
        if "destinationConfiguration" in p:
            config.destination_configuration = dict(p["destinationConfiguration"])
        config.touch(self.now(), self._next_seq())
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

    def list_logging_configurations(self, ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
        """ListLoggingConfigurations: newest ``updateTime`` first."""
        page, token = _page(self._state(ctx).logging_configurations.values(), p)
        out: dict[str, Any] = {"loggingConfigurations": [c.full() for c in page]}
        if token:
            out["nextToken"] = token
        return out


def _times(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        **raw,
        "create_time": datetime.fromisoformat(raw["create_time"]),
        "update_time": datetime.fromisoformat(raw["update_time"]),
    }


def _handler(wire: dict[str, Any] | None) -> dict[str, str] | None:
    """The stored review handler; an empty ``uri`` means none."""
    if not wire or not wire.get("uri"):
        return None
    return {"uri": wire["uri"], "fallbackResult": wire.get("fallbackResult", "ALLOW")}


def _sort_key(item: _Room | _LoggingConfiguration) -> tuple[datetime, int]:
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
