"""The values the control plane takes and returns: rooms, chat tokens, logging configurations.

Models are frozen attrs classes with snake_case fields. They hold data only; conversion from
and to the wire lives in :mod:`ivschat_sdk._converter`. Enumerated fields of responses are
typed ``Enum | str``: a value this SDK does not know yet (the service added one) is kept as
the plain string instead of breaking the response.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any, TypeAlias

import attrs

__all__ = [
    "ChatToken",
    "ChatTokenCapability",
    "CloudWatchLogsDestinationConfiguration",
    "DestinationConfiguration",
    "FallbackResult",
    "FirehoseDestinationConfiguration",
    "LoggingConfiguration",
    "LoggingConfigurationState",
    "LoggingConfigurationSummary",
    "MessageReviewHandler",
    "Room",
    "RoomSummary",
    "S3DestinationConfiguration",
    "UnknownDestinationConfiguration",
]

_EMPTY: Mapping[str, str] = MappingProxyType({})


def _frozen_map(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """Store a read-only copy, so a frozen model cannot be changed through its mappings."""
    if isinstance(value, MappingProxyType):
        return value
    return MappingProxyType(dict(value or {}))


def _map_repr(value: Mapping[str, Any]) -> str:
    return repr(dict(value))


_showing = threading.local()


def model_repr(self: Any) -> str:
    """The ``repr`` of a model, as attrs generates it: ``Room(arn='...', id='...', ...)``.

    One function for every model, instead of one that attrs would compile for each class when
    the module is imported (a quarter of the time it takes to define a model). The output is
    attrs': each field that is shown, with its own ``repr``, and ``...`` for a model met again
    while it is being shown.
    """
    ids = getattr(_showing, "ids", None)
    if ids is None:
        ids = _showing.ids = set()
    if id(self) in ids:
        return "..."
    ids.add(id(self))
    try:
        cls = self.__class__
        fields = ", ".join(
            f"{a.name}={(repr if a.repr is True else a.repr)(getattr(self, a.name))}"
            for a in cls.__attrs_attrs__
            if a.repr is not False
        )
        return f"{cls.__qualname__.rsplit('>.', 1)[-1]}({fields})"
    finally:
        ids.discard(id(self))


def frozen_map_field() -> Any:
    """A read-only ``Mapping[str, str]`` field of a frozen model, empty by default.

    Left out of the hash (mappings are not hashable) but not out of equality.
    """
    return attrs.field(default=_EMPTY, converter=_frozen_map, repr=_map_repr, hash=False)


class ChatTokenCapability(str, enum.Enum):
    """What a chat token allows its holder to do besides reading messages."""

    SEND_MESSAGE = "SEND_MESSAGE"
    """Send messages to the room."""
    DISCONNECT_USER = "DISCONNECT_USER"
    """Disconnect other users from the room."""
    DELETE_MESSAGE = "DELETE_MESSAGE"
    """Delete messages from the room."""


class FallbackResult(str, enum.Enum):
    """What happens to a message when the review handler fails or times out."""

    ALLOW = "ALLOW"
    """Deliver the message unchanged."""
    DENY = "DENY"
    """Reject the message."""


class LoggingConfigurationState(str, enum.Enum):
    """The state of a logging configuration."""

    CREATING = "CREATING"
    CREATE_FAILED = "CREATE_FAILED"
    DELETING = "DELETING"
    DELETE_FAILED = "DELETE_FAILED"
    UPDATING = "UPDATING"
    UPDATE_FAILED = "UPDATE_FAILED"
    ACTIVE = "ACTIVE"


@attrs.frozen(kw_only=True, repr=False)
class MessageReviewHandler:
    """A Lambda function that reviews (allows, denies or rewrites) each message of a room."""

    __repr__ = model_repr

    uri: str = ""
    """The ARN of the Lambda function; the empty string removes the handler in ``update_room``."""
    fallback_result: FallbackResult | str = FallbackResult.ALLOW
    """What to do with a message when the handler fails or times out (200 ms)."""


@attrs.frozen(kw_only=True, repr=False)
class RoomSummary:
    """A room as ``list_rooms`` returns it (without the message limits)."""

    __repr__ = model_repr

    arn: str
    """The room's ARN: the identifier every other call takes."""
    id: str
    """The room's 12-character id (the last part of the ARN)."""
    name: str = ""
    """The room's name; not unique, may be empty."""
    create_time: datetime
    """When the room was created (timezone-aware, UTC)."""
    update_time: datetime
    """When the room was last updated (timezone-aware, UTC)."""
    message_review_handler: MessageReviewHandler | None = None
    """The room's review handler, or None if it has none."""
    tags: Mapping[str, str] = frozen_map_field()
    """The room's tags (read-only)."""
    logging_configuration_identifiers: tuple[str, ...] = ()
    """The ARNs of the logging configurations that record the room's messages."""


@attrs.frozen(kw_only=True, repr=False)
class Room(RoomSummary):
    """A chat room, as returned by ``create_room``, ``get_room`` and ``update_room``.

    It has every field of a :class:`RoomSummary`, plus the room's message limits.
    """

    maximum_message_rate_per_second: int
    """How many messages per second all clients together may send (1 to 100)."""
    maximum_message_length: int
    """The longest message the room accepts, in Unicode code points (1 to 500)."""


@attrs.frozen(kw_only=True, repr=False)
class ChatToken:
    """A chat token: the credential a chat client connects to a room with.

    A token can open one connection, within a minute of its creation; the session it opens
    then lasts until :attr:`session_expiration_time`. The token itself never appears in the
    ``repr`` or ``str`` of this object.
    """

    __repr__ = model_repr

    token: str = attrs.field(repr=False)
    """The secret token; pass it to a chat client, never log it."""
    token_expiration_time: datetime
    """When the token stops being accepted for a new connection (UTC)."""
    session_expiration_time: datetime
    """When a connection opened with the token is closed by the service (UTC)."""

    def to_client_dict(self) -> dict[str, str]:
        """The token as a web backend hands it to a browser.

        ``{"token", "tokenExpirationTime", "sessionExpirationTime"}`` with ISO-8601 UTC times
        (``2026-12-01T21:15:32.123Z``, as JavaScript's ``JSON.stringify`` writes a ``Date``):
        the shape the ``tokenProvider`` of AWS's JavaScript chat client
        (``amazon-ivs-chat-messaging``) takes once the times are read with ``new Date(...)``.
        The dict holds the secret token: send it only to the user it was made for.
        """
        from ._converter import chat_token_client_dict

        return chat_token_client_dict(self)


@attrs.frozen(kw_only=True, repr=False)
class S3DestinationConfiguration:
    """Log chat messages to an S3 bucket."""

    __repr__ = model_repr

    bucket_name: str
    """The bucket's name (3 to 63 characters of ``[a-z0-9-.]``)."""


@attrs.frozen(kw_only=True, repr=False)
class CloudWatchLogsDestinationConfiguration:
    """Log chat messages to a CloudWatch Logs log group."""

    __repr__ = model_repr

    log_group_name: str
    """The log group's name."""


@attrs.frozen(kw_only=True, repr=False)
class FirehoseDestinationConfiguration:
    """Log chat messages to a Kinesis Data Firehose delivery stream."""

    __repr__ = model_repr

    delivery_stream_name: str
    """The delivery stream's name."""


@attrs.frozen(kw_only=True, repr=False)
class UnknownDestinationConfiguration:
    """A destination kind this SDK does not know yet, kept as the service sent it."""

    __repr__ = model_repr

    kind: str
    """The destination's member name on the wire, e.g. ``s3``."""
    value: Mapping[str, Any] = attrs.field(converter=_frozen_map, repr=_map_repr, hash=False)
    """The destination's fields, as sent."""


DestinationConfiguration: TypeAlias = (
    S3DestinationConfiguration
    | CloudWatchLogsDestinationConfiguration
    | FirehoseDestinationConfiguration
    | UnknownDestinationConfiguration
)
"""Where a logging configuration sends the messages: exactly one destination."""


@attrs.frozen(kw_only=True, repr=False)
class LoggingConfigurationSummary:
    """A logging configuration as ``list_logging_configurations`` returns it."""

    __repr__ = model_repr

    arn: str
    """The configuration's ARN."""
    id: str
    """The configuration's 12-character id."""
    name: str = ""
    """The configuration's name."""
    create_time: datetime
    """When it was created (UTC)."""
    update_time: datetime
    """When it was last updated (UTC)."""
    destination_configuration: DestinationConfiguration
    """Where the messages go."""
    state: LoggingConfigurationState | str
    """The configuration's state; ``ACTIVE`` once it records."""
    tags: Mapping[str, str] = frozen_map_field()
    """The configuration's tags (read-only)."""


@attrs.frozen(kw_only=True, repr=False)
class LoggingConfiguration(LoggingConfigurationSummary):
    """A logging configuration: where the messages of the rooms attached to it are recorded.

    The service returns the same fields from ``get_logging_configuration`` as from the
    listing; the two classes tell apart where a value came from.
    """
