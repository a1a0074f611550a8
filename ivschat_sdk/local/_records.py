"""The records the local IVS Chat keeps, and its clock: the bottom layer of ``local/``.

Rooms, logging configurations and chat sessions are plain records here, so that the
operations (``_backend``), the chat hub (``_chat``) and the state store (``_store``) can all
use them without importing one another. Each record converts to and from the JSON-ready form
the state store keeps (:func:`record_data`, :func:`room_from_data`,
:func:`logging_configuration_from_data`); reading checks every field's type, so a file that
does not hold what this version wrote is refused with one line saying what is wrong, never
loaded into answers that fail later.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any

import attrs

from .._timestamps import format_timestamp, to_utc

__all__ = [
    "Clock",
    "Context",
    "LoggingConfiguration",
    "RegionState",
    "Room",
    "ChatSession",
    "epoch_ns",
    "logging_configuration_from_data",
    "record_data",
    "room_from_data",
    "utc_now",
]

Clock = Callable[[], datetime]
"""Returns the current time (aware UTC)."""

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def utc_now() -> datetime:
    """The system's current time, aware UTC (the default clock)."""
    return datetime.now(timezone.utc)


def epoch_ns(value: datetime) -> int:
    """Nanoseconds since the Unix epoch of an aware datetime (a naive one is taken as UTC)."""
    delta = to_utc(value) - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000_000 + delta.microseconds * 1000


@attrs.define
class Context:
    """Who is calling: the account and region a request is signed for."""

    account_id: str
    region: str


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
class Room(_Stamped):
    """A chat room."""

    arn: str = attrs.field(kw_only=True)
    id: str = attrs.field(kw_only=True)
    name: str = attrs.field(kw_only=True)
    maximum_message_rate_per_second: int = attrs.field(kw_only=True)
    maximum_message_length: int = attrs.field(kw_only=True)
    message_review_handler: dict[str, str] | None = attrs.field(kw_only=True)
    tags: dict[str, str] = attrs.field(kw_only=True)
    logging_configuration_identifiers: list[str] = attrs.field(kw_only=True)

    def summary(self) -> dict[str, Any]:
        """The room as ``ListRooms`` shows it."""
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
        """The room as ``GetRoom`` shows it."""
        out = self.summary()
        out["maximumMessageRatePerSecond"] = self.maximum_message_rate_per_second
        out["maximumMessageLength"] = self.maximum_message_length
        return out


@attrs.define
class LoggingConfiguration(_Stamped):
    """A logging configuration."""

    arn: str = attrs.field(kw_only=True)
    id: str = attrs.field(kw_only=True)
    name: str = attrs.field(kw_only=True)
    destination_configuration: dict[str, Any] = attrs.field(kw_only=True)
    state: str = attrs.field(kw_only=True)
    tags: dict[str, str] = attrs.field(kw_only=True)

    def full(self) -> dict[str, Any]:
        """The configuration as ``GetLoggingConfiguration`` shows it."""
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


# -- the stored form ----------------------------------------------------------------------


def record_data(item: Room | LoggingConfiguration) -> dict[str, Any]:
    """A record as JSON-ready data: its fields, times in ISO 8601 with their offset."""
    data = attrs.asdict(item, filter=lambda a, _: a.init)
    data["create_time"] = item.create_time.isoformat()
    data["update_time"] = item.update_time.isoformat()
    return data


class _Fields:
    """Reads a stored record's fields, checking each one's type; raises ValueError."""

    def __init__(self, raw: Any, what: str) -> None:
        if not isinstance(raw, Mapping):
            raise ValueError(f"{what} is not an object")
        self.raw = raw
        self.what = what
        self.seen: set[str] = set()

    def _get(self, name: str) -> Any:
        if name not in self.raw:
            raise ValueError(f"{self.what} has no field {name!r}")
        self.seen.add(name)
        return self.raw[name]

    def _wrong(self, name: str, expected: str) -> ValueError:
        value = repr(self.raw[name])
        if len(value) > 40:
            value = value[:37] + "..."
        return ValueError(f"{self.what}: field {name!r} must be {expected}, not {value}")

    def text(self, name: str) -> str:
        value = self._get(name)
        if not isinstance(value, str):
            raise self._wrong(name, "a string")
        return value

    def integer(self, name: str) -> int:
        value = self._get(name)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._wrong(name, "a whole number")
        return value

    def time(self, name: str) -> datetime:
        value = self._get(name)
        try:
            parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            parsed = None
        if parsed is None or parsed.utcoffset() is None:
            raise self._wrong(name, "an ISO 8601 time with its offset")
        return parsed

    def string_map(self, name: str) -> dict[str, str]:
        value = self._get(name)
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise self._wrong(name, "an object of strings")
        return dict(value)

    def string_list(self, name: str) -> list[str]:
        value = self._get(name)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self._wrong(name, "a list of strings")
        return list(value)

    def json_object(self, name: str) -> dict[str, Any]:
        value = self._get(name)
        if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
            raise self._wrong(name, "an object")
        copy: dict[str, Any] = json.loads(json.dumps(value))
        return copy

    def handler(self, name: str) -> dict[str, str] | None:
        value = self._get(name)
        if value is None:
            return None
        if (
            not isinstance(value, dict)
            or set(value) != {"uri", "fallbackResult"}
            or not isinstance(value["uri"], str)
            or not value["uri"]
            or value["fallbackResult"] not in ("ALLOW", "DENY")
        ):
            raise self._wrong(name, 'null or {"uri": ..., "fallbackResult": "ALLOW" or "DENY"}')
        return dict(value)

    def done(self) -> None:
        extra = sorted(set(self.raw) - self.seen)
        if extra:
            raise ValueError(f"{self.what} has unknown field {extra[0]!r}")


def _check_arn(arn: str, kind: str, account_id: str, region: str, resource_id: str) -> None:
    expected = f"arn:aws:ivschat:{region}:{account_id}:{kind}/{resource_id}"
    if arn != expected:
        raise ValueError(f"{kind} {resource_id}: its arn {arn[:80]!r} is not {expected!r}")


def room_from_data(raw: Any, account_id: str, region: str) -> Room:
    """A room from :func:`record_data`'s form, every field checked.

    Raises:
        ValueError: A field is missing, unknown, of the wrong type, or the ARN does not name
            this account, region and id.

    """
    what = f"a room in {account_id}/{region}"
    f = _Fields(raw, what)
    f.what = f"room {f.text('id')!r} in {account_id}/{region}"
    room = Room(
        create_time=f.time("create_time"),
        update_time=f.time("update_time"),
        update_seq=f.integer("update_seq"),
        arn=f.text("arn"),
        id=f.text("id"),
        name=f.text("name"),
        maximum_message_rate_per_second=f.integer("maximum_message_rate_per_second"),
        maximum_message_length=f.integer("maximum_message_length"),
        message_review_handler=f.handler("message_review_handler"),
        tags=f.string_map("tags"),
        logging_configuration_identifiers=f.string_list("logging_configuration_identifiers"),
    )
    f.done()
    _check_arn(room.arn, "room", account_id, region, room.id)
    return room


def logging_configuration_from_data(raw: Any, account_id: str, region: str) -> LoggingConfiguration:
    """A logging configuration from :func:`record_data`'s form, every field checked.

    Raises:
        ValueError: As :func:`room_from_data`.

    """
    f = _Fields(raw, f"a logging configuration in {account_id}/{region}")
    f.what = f"logging configuration {f.text('id')!r} in {account_id}/{region}"
    config = LoggingConfiguration(
        create_time=f.time("create_time"),
        update_time=f.time("update_time"),
        update_seq=f.integer("update_seq"),
        arn=f.text("arn"),
        id=f.text("id"),
        name=f.text("name"),
        destination_configuration=f.json_object("destination_configuration"),
        state=f.text("state"),
        tags=f.string_map("tags"),
    )
    f.done()
    _check_arn(config.arn, "logging-configuration", account_id, region, config.id)
    return config


@attrs.define
class RegionState:
    """The resources of one account in one region."""

    account_id: str
    region: str
    rooms: dict[str, Room] = attrs.Factory(dict)
    logging_configurations: dict[str, LoggingConfiguration] = attrs.Factory(dict)

    def empty(self) -> bool:
        """Whether it holds no resource."""
        return not self.rooms and not self.logging_configurations
