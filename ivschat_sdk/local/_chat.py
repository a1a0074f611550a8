"""The chat messaging side of the local IVS Chat: rooms' connections, actions, fan-out.

Transport-independent: a connection is anything with ``send(frame: bytes)`` (thread-safe,
never blocking) and ``close(code, reason)``; its class may add ``send_all(connections,
frame)`` to take a broadcast to many connections at once. The aiohttp server provides one per WebSocket.
Frames are PascalCase JSON with a fresh 12-character ``Id`` each, a ``SendTime`` in Go's
RFC3339Nano form (UTC, up to nine fractional digits, trailing zeros trimmed), string-only
attributes and a numeric ``ErrorCode``, as the service sends them.
A broadcast is serialized once and the same bytes go to every connection of the room.

Where the service is not documented, the choices are listed in ``docs/chat.md``.
"""

from __future__ import annotations

import asyncio
import collections
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol

import attrs

from .._constraints import ATTRIBUTES_MAX_BYTES
from ._records import ChatSession, Room, epoch_ns

__all__ = [
    "MAX_REQUEST_ID_LENGTH",
    "REVIEW_TIMEOUT",
    "ChatConnection",
    "ChatHub",
    "HubHost",
    "ReviewHandler",
    "epoch_ns",
    "format_send_time",
]

_log = logging.getLogger("ivschat_sdk.local.chat")

REVIEW_TIMEOUT = 0.2
"""The message review handler's time budget in seconds (the service's 200 ms)."""
DENIED_MESSAGE = "The message was rejected by the message review handler"
"""The ``ErrorMessage`` of a 406 whose denial gives no ``Attributes.Reason`` (or is the fallback)."""
MAX_REQUEST_ID_LENGTH = 128
"""The longest ``RequestId`` a chat request may carry. AWS's JS chat client sends a UUID (36
characters); 128 leaves room for any id an application makes, while a request with a longer
one gets an ERROR frame (400) instead of having it broadcast to the whole room."""
CLOSE_NORMAL = 1000
CLOSE_GOING_AWAY = 1001
_ONE_SECOND = timedelta(seconds=1)
_ACTIONS = ("SEND_MESSAGE", "DELETE_MESSAGE", "DISCONNECT_USER")
_REASON_MAX = 256
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

ReviewHandler = Callable[[dict[str, Any]], "dict[str, Any] | Awaitable[dict[str, Any]]"]
"""A message review handler: takes the service's payload, returns (or awaits) its answer."""


class ChatConnection(Protocol):
    """What the hub needs of a transport's connection."""

    def send(self, frame: bytes) -> None:
        """Queue one serialized frame; thread-safe, never blocks."""

    def close(self, code: int, reason: str) -> None:
        """Close the connection with a close frame; thread-safe, never blocks."""


class HubHost(Protocol):
    """What the hub needs of the backend that owns it (the backend imports the hub, not back)."""

    lock: Any
    """The lock that guards all state (a ``threading.RLock``)."""

    def now(self) -> datetime:
        """The current time (aware UTC)."""

    def now_ns(self) -> int:
        """The current time in nanoseconds since the Unix epoch."""

    def new_id(self) -> str:
        """A fresh 12-character id."""

    def room_by_arn(self, arn: str) -> Room | None:
        """The room an ARN names, or None."""

    def take_api_rate(self, account_id: str, region: str, operation: str) -> int | None:
        """Count one request against its API rate quota; the quota it exceeds, or None."""


def format_send_time(value: int | datetime) -> str:
    """A chat frame time as the service writes it: Go's RFC3339Nano in UTC.

    Up to nine fractional digits with trailing zeros trimmed, and no fraction at all for a
    whole second: ``2023-01-01T18:03:20.754555595Z``, ``2022-12-02T08:25:51.13691272Z``,
    ``2022-12-02T08:25:51Z``.

    Args:
        value: Nanoseconds since the Unix epoch, or a datetime (to its microsecond).

    """
    ns = epoch_ns(value) if isinstance(value, datetime) else value
    seconds, fraction = divmod(ns, 1_000_000_000)
    text = f"{_EPOCH + timedelta(seconds=seconds):%Y-%m-%dT%H:%M:%S}"
    if fraction:
        text += "." + f"{fraction:09d}".rstrip("0")
    return text + "Z"


def _dump(frame: dict[str, Any]) -> bytes:
    return json.dumps(frame, separators=(",", ":"), ensure_ascii=False).encode()


@attrs.define(eq=False)
class _Member:
    connection: ChatConnection
    session: ChatSession
    ip: str
    closing: bool = False


class _Refused(Exception):
    """An action is refused: answer an ERROR frame to the requester only."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class ChatHub:
    """Connections per room, and what each action and control-plane call does to them."""

    def __init__(self, backend: HubHost) -> None:
        self._backend = backend
        self._lock = backend.lock
        self._rooms: dict[str, set[_Member]] = {}
        self._rates: dict[str, collections.deque[datetime]] = {}
        self.review_handlers: dict[str, ReviewHandler] = {}
        """Message review handlers by Lambda ARN (``messageReviewHandler.uri``)."""
        self.chat_log: Callable[[str, bytes], None] | None = None
        """Chat logging's hook: called with the room's ARN and the frame of every MESSAGE and
        EVENT broadcast (under the lock; it only buffers), None when logging is off."""

    # -- connections ---------------------------------------------------------------------

    def join(self, session: ChatSession, connection: ChatConnection, ip: str = "") -> _Member:
        """Add a connection opened with a redeemed token."""
        member = _Member(connection=connection, session=session, ip=ip)
        with self._lock:
            self._rooms.setdefault(session.room_arn, set()).add(member)
        return member

    def leave(self, member: _Member) -> None:
        """Forget a closed connection."""
        with self._lock:
            members = self._rooms.get(member.session.room_arn)
            if members is not None:
                members.discard(member)
                if not members:
                    del self._rooms[member.session.room_arn]

    def connection_count(self, room_arn: str | None = None) -> int:
        """How many connections are open, in one room or in all."""
        if room_arn is not None:
            return len(self._rooms.get(room_arn, ()))
        return sum(len(m) for m in self._rooms.values())

    def _close(self, member: _Member, code: int, reason: str) -> None:
        if not member.closing:
            member.closing = True
            member.connection.close(code, reason)

    def expire_sessions(self) -> None:
        """Send ERROR 401 to, then close, every connection whose session has expired."""
        with self._lock:
            now = self._backend.now()
            for members in list(self._rooms.values()):
                for member in list(members):
                    self._expire(member, now)

    def expire(self, member: _Member) -> None:
        """Send ERROR 401 to, then close, one connection if its session has expired."""
        with self._lock:
            self._expire(member, self._backend.now())

    def _expire(self, member: _Member, now: datetime) -> None:
        if not member.closing and now >= member.session.session_expiration_time:
            member.connection.send(self._error(401, "The chat session has expired"))
            self._close(member, CLOSE_NORMAL, "Session expired")

    # -- frames --------------------------------------------------------------------------

    def _now_text(self) -> str:
        return format_send_time(self._backend.now_ns())

    def _error(self, code: int, message: str, request_id: str | None = None) -> bytes:
        frame: dict[str, Any] = {"Type": "ERROR", "Id": self._backend.new_id()}
        if request_id is not None:
            frame["RequestId"] = request_id
        frame["ErrorCode"] = code
        frame["ErrorMessage"] = message
        return _dump(frame)

    def _broadcast(self, room_arn: str, frame: bytes) -> int:
        """Send one frame to every open connection of the room.

        A transport whose connection class has ``send_all(connections, frame)`` takes the
        whole room at once (the aiohttp server queues one entry for thousands of peers);
        others get ``send(frame)`` each. Chat logging gets the frame first.
        """
        chat_log = self.chat_log
        if chat_log is not None:
            chat_log(room_arn, frame)
        members = self._rooms.get(room_arn)
        if not members:
            return 0
        connections = [m.connection for m in members if not m.closing]
        kinds = {type(c) for c in connections}
        for kind in kinds:
            group = connections if len(kinds) == 1 else [c for c in connections if type(c) is kind]
            send_all = getattr(kind, "send_all", None)
            if send_all is not None:
                send_all(group, frame)
            else:
                for connection in group:
                    connection.send(frame)
        return len(members)

    def _event(
        self,
        room_arn: str,
        name: str,
        attributes: Mapping[str, str],
        request_id: str,
        event_id: str,
    ) -> None:
        frame = {
            "Type": "EVENT",
            "Id": event_id,
            "RequestId": request_id,
            "EventName": name,
            "Attributes": dict(attributes),
            "SendTime": self._now_text(),
        }
        self._broadcast(room_arn, _dump(frame))

    # -- what the control plane does -----------------------------------------------------

    def send_event(
        self, room_arn: str, name: str, attributes: Mapping[str, str], event_id: str
    ) -> None:
        """SendEvent: an EVENT to every connection of the room."""
        self._event(room_arn, name, attributes, "", event_id)

    def delete_message(
        self, room_arn: str, message_id: str, reason: str, event_id: str, request_id: str = ""
    ) -> None:
        """DeleteMessage: ``aws:DELETE_MESSAGE`` to the room.

        Its attributes are ``MessageID`` and ``Reason``, as in the service's frames.
        """
        attributes = {"MessageID": message_id, "Reason": reason}
        self._event(room_arn, "aws:DELETE_MESSAGE", attributes, request_id, event_id)

    def disconnect_user(
        self, room_arn: str, user_id: str, reason: str, request_id: str = ""
    ) -> None:
        """DisconnectUser: ``aws:DISCONNECT_USER`` to the room, then close that user's connections."""
        attributes = {"UserId": user_id, "Reason": reason}
        self._event(room_arn, "aws:DISCONNECT_USER", attributes, request_id, self._backend.new_id())
        for member in list(self._rooms.get(room_arn, ())):
            if member.session.user_id == user_id:
                self._close(member, CLOSE_NORMAL, "Disconnected by moderator")

    def close_all(self, reason: str, code: int = CLOSE_NORMAL) -> None:
        """Close every connection of every room, and forget rates and review handlers."""
        with self._lock:
            for room_arn in list(self._rooms):
                for member in list(self._rooms.get(room_arn, ())):
                    self._close(member, code, reason)
            self._rates.clear()
            self.review_handlers.clear()

    def going_away(self) -> None:
        """Close every connection with 1001 (going away): the server is shutting down."""
        with self._lock:
            for members in list(self._rooms.values()):
                for member in list(members):
                    self._close(member, CLOSE_GOING_AWAY, "Server shutting down")

    def close_room(self, room_arn: str) -> None:
        """DeleteRoom: close every connection of the room."""
        for member in list(self._rooms.get(room_arn, ())):
            self._close(member, CLOSE_NORMAL, "Room deleted")
        self._rates.pop(room_arn, None)

    # -- what a connection asks --------------------------------------------------------------

    async def receive(self, member: _Member, data: str | bytes) -> None:
        """Handle one frame from a connection; errors go back to it as ERROR frames."""
        request_id: str | None = None
        self._lock.acquire()
        try:
            frame = _parse_request(data)
            raw_id = frame.get("requestid")
            request_id = raw_id if isinstance(raw_id, str) else None
            if raw_id is not None and request_id is None:
                raise _Refused(400, "RequestId must be a string")
            if request_id is not None and len(request_id) > MAX_REQUEST_ID_LENGTH:
                raise _Refused(
                    400, f"RequestId must be at most {MAX_REQUEST_ID_LENGTH} characters long"
                )
            action = frame.get("action")
            if action not in _ACTIONS:
                raise _Refused(400, f"Unknown or missing Action: {str(action)[:50]!r}")
            if action not in member.session.capabilities:
                raise _Refused(403, f"The chat token does not have the {action} capability")
            if action == "DELETE_MESSAGE":
                self._take_delete_rate(member.session.room_arn)
            room = self._backend.room_by_arn(member.session.room_arn)
            if room is None:
                raise _Refused(404, "The room does not exist")
            if action == "SEND_MESSAGE":
                await self._send_message(member, room, frame, request_id)
            elif action == "DELETE_MESSAGE":
                message_id = frame.get("id")
                if (
                    not isinstance(message_id, str)
                    or len(message_id) != 12
                    or not message_id.isalnum()
                ):
                    raise _Refused(400, "Id must be the 12-character id of a message")
                reason = _reason(frame)
                self.delete_message(
                    room.arn, message_id, reason, self._backend.new_id(), request_id or ""
                )
            else:
                user_id = frame.get("userid")
                if not isinstance(user_id, str) or not 1 <= len(user_id) <= 128:
                    raise _Refused(400, "UserId must be a string of 1 to 128 characters")
                self.disconnect_user(room.arn, user_id, _reason(frame), request_id or "")
        except _Refused as refused:
            member.connection.send(self._error(refused.code, refused.message, request_id))
        finally:
            self._lock.release()

    async def _send_message(
        self, member: _Member, room: Room, frame: dict[str, Any], request_id: str | None
    ) -> None:
        content = frame.get("content")
        if not isinstance(content, str):
            raise _Refused(400, "Content must be a string")
        if len(content) > room.maximum_message_length:
            raise _Refused(
                400, f"Messages must be at most {room.maximum_message_length} characters long"
            )
        attributes = _attributes(frame.get("attributes"))
        self._take_rate(room.arn, room.maximum_message_rate_per_second)
        message_id = self._backend.new_id()
        handler = room.message_review_handler
        if handler is not None:
            # The review may take up to 200 ms: let other requests in meanwhile.
            self._lock.release()
            try:
                reviewed = await self._review(
                    member, room.arn, handler, message_id, content, attributes
                )
            finally:
                self._lock.acquire()
            content, attributes = reviewed
        message = {
            "Type": "MESSAGE",
            "Id": message_id,
            "RequestId": request_id or "",
            "Content": content,
            "Attributes": attributes or None,
            "SendTime": self._now_text(),
            "Sender": {
                "UserId": member.session.user_id,
                "Attributes": dict(member.session.attributes),
            },
        }
        self._broadcast(room.arn, _dump(message))

    def _take_delete_rate(self, room_arn: str) -> None:
        """Count a DELETE_MESSAGE in the account's DeleteMessage quota, shared with the API."""
        _, _, _, region, account_id, _ = room_arn.split(":", 5)
        limit = self._backend.take_api_rate(account_id, region, "DeleteMessage")
        if limit is not None:
            raise _Refused(
                429,
                f"Rate exceeded: DeleteMessage allows {limit} requests per second, "
                "API calls and chat connections' DELETE_MESSAGE together",
            )

    def _take_rate(self, room_arn: str, limit: int) -> None:
        now = self._backend.now()
        window = self._rates.setdefault(room_arn, collections.deque())
        while window and now - window[0] >= _ONE_SECOND:
            window.popleft()
        if len(window) >= limit:
            raise _Refused(429, f"The room allows {limit} messages per second")
        window.append(now)

    async def _review(
        self,
        member: _Member,
        room_arn: str,
        handler: Mapping[str, str],
        message_id: str,
        content: str,
        attributes: dict[str, str],
    ) -> tuple[str, dict[str, str]]:
        payload = {
            "Content": content,
            "MessageId": message_id,
            "RoomArn": room_arn,
            "Attributes": dict(attributes),
            "Sender": {
                "Attributes": dict(member.session.attributes),
                "UserId": member.session.user_id,
                "Ip": member.ip,
            },
        }
        fallback = handler.get("fallbackResult", "ALLOW")
        function = self.review_handlers.get(handler["uri"])
        verdict: tuple[str, str, dict[str, str]] | None = None
        reason: str | None = None
        if function is None:
            # The service cannot invoke a function it has no permission for: the fallback.
            _log.warning(
                "no review handler registered for %s; applying %s", handler["uri"], fallback
            )
        else:
            try:
                answer = await asyncio.wait_for(_call(function, payload), REVIEW_TIMEOUT)
                verdict = _verdict(answer, content, attributes)
                if verdict is None:
                    _log.info(
                        "review handler %s answered no valid verdict; applying %s",
                        handler["uri"],
                        fallback,
                    )
                elif verdict[0] == "DENY":
                    reason = _deny_reason(answer)
            except asyncio.TimeoutError:
                _log.info("review handler %s timed out; applying %s", handler["uri"], fallback)
            except Exception as err:
                _log.info(
                    "review handler %s failed (%r); applying %s", handler["uri"], err, fallback
                )
        if verdict is None:
            verdict = (fallback, content, attributes)
        result, content, attributes = verdict
        if result == "DENY":
            raise _Refused(406, reason or DENIED_MESSAGE)
        return content, attributes


async def _call(function: ReviewHandler, payload: dict[str, Any]) -> Any:
    if asyncio.iscoroutinefunction(function):
        return await function(payload)
    result = await asyncio.to_thread(function, payload)
    if asyncio.iscoroutine(result):
        return await result
    return result


def _verdict(
    answer: Any, content: str, attributes: dict[str, str]
) -> tuple[str, str, dict[str, str]] | None:
    """The handler's answer, or None if it does not follow the documented shape."""
    if not isinstance(answer, Mapping):
        return None
    result = answer.get("ReviewResult")
    if result not in ("ALLOW", "DENY"):
        return None
    new_content = answer.get("Content", content)
    if not isinstance(new_content, str) or len(new_content) > 500:
        return None
    new_attributes = answer.get("Attributes", attributes)
    try:
        new_attributes = _attributes(new_attributes)
    except _Refused:
        return None
    return result, new_content, new_attributes


def _deny_reason(answer: Mapping[str, Any]) -> str | None:
    """The reason a handler's valid ``DENY`` answer gives, ``Attributes.Reason``, if any.

    The sender's ``ERROR 406`` carries it as its ``ErrorMessage``; see docs/local.md.
    """
    attributes = answer.get("Attributes")
    reason = attributes.get("Reason") if isinstance(attributes, Mapping) else None
    return reason if isinstance(reason, str) and reason else None


def _parse_request(data: str | bytes) -> dict[str, Any]:
    """A client frame with lower-cased keys (the service reads keys case-insensitively)."""
    try:
        text = data.decode() if isinstance(data, bytes) else data
        frame = json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _Refused(400, "The frame is not valid JSON") from None
    if not isinstance(frame, dict):
        raise _Refused(400, "The frame must be a JSON object")
    return {str(k).lower(): v for k, v in frame.items()}


def _attributes(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise _Refused(400, "Attributes must be an object of string values")
    if sum(len(k.encode()) + len(v.encode()) for k, v in value.items()) > ATTRIBUTES_MAX_BYTES:
        raise _Refused(413, f"Attributes must hold at most {ATTRIBUTES_MAX_BYTES} bytes in total")
    return dict(value)


def _reason(frame: Mapping[str, Any]) -> str:
    reason = frame.get("reason", "")
    if reason is None:
        return ""
    if not isinstance(reason, str) or len(reason) > _REASON_MAX:
        raise _Refused(400, f"Reason must be a string of at most {_REASON_MAX} characters")
    return reason
