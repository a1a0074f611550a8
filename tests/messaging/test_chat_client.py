"""ChatClient and SyncChatClient against ivschat-local's chat endpoint."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import pytest

from ivschat_sdk import MessageReviewHandler, ParamValidationError
from ivschat_sdk.messaging import (
    ChatClient,
    ChatConnectionError,
    ChatErrorCode,
    ChatEvent,
    ChatMessage,
    ChatRequestError,
    ConnectionState,
    MessageDeletedEvent,
    SyncChatClient,
    UserDisconnectedEvent,
)

from .conftest import Chat, next_item, nothing_arrives, run

LAMBDA = "arn:aws:lambda:us-west-2:123456789012:function:review"


def test_messages_reach_everyone_including_the_sender(chat: Chat) -> None:
    """send_message returns the delivered message; every connection receives the same one."""

    async def scenario() -> None:
        async with ChatClient(url=chat.server.ws_url, token=chat.token("alice", attributes={"name": "Alice"})) as a, \
                ChatClient(url=chat.server.ws_url, token=chat.token("bob")) as b:  # fmt: skip
            sent = await a.send_message("héllo 👋", attributes={"color": "red"})
            assert isinstance(sent, ChatMessage)
            assert sent.content == "héllo 👋"
            assert sent.attributes == {"color": "red"}
            assert sent.sender.user_id == "alice"
            assert sent.sender.attributes == {"name": "Alice"}
            assert len(sent.id) == 12
            assert sent.send_time.tzinfo is not None
            assert await next_item(a) == sent
            assert await next_item(b) == sent

    run(scenario())


def test_refusals_are_typed_and_go_to_the_requester_only(chat: Chat) -> None:
    """Missing capability (403) and an over-long message (400) raise ChatRequestError."""

    async def scenario() -> None:
        chat.control.update_room(identifier=chat.room, maximum_message_length=5)
        async with ChatClient(url=chat.server.ws_url, token=chat.token("reader", [])) as reader, \
                ChatClient(url=chat.server.ws_url, token=chat.token("writer")) as writer:  # fmt: skip
            with pytest.raises(ChatRequestError) as info:
                await reader.send_message("hi")
            assert info.value.error_code == ChatErrorCode.FORBIDDEN
            with pytest.raises(ChatRequestError) as info:
                await writer.send_message("123456")
            assert info.value.error_code == ChatErrorCode.BAD_REQUEST
            assert await writer.send_message("12345")  # the limit itself is allowed
            chat.control.update_room(identifier=chat.room, maximum_message_length=10)
            assert await writer.send_message("1234567890")  # updated limits apply at once
            assert [m.content for m in [await next_item(reader), await next_item(reader)]] == [
                "12345",
                "1234567890",
            ]
            assert await nothing_arrives(reader)

    run(scenario())


def test_room_rate_is_shared_by_all_clients(chat: Chat) -> None:
    """Above maximumMessageRatePerSecond (all clients together) a send gets 429."""

    async def scenario() -> None:
        chat.control.update_room(identifier=chat.room, maximum_message_rate_per_second=2)
        async with ChatClient(url=chat.server.ws_url, token=chat.token("a")) as a, \
                ChatClient(url=chat.server.ws_url, token=chat.token("b")) as b:  # fmt: skip
            await a.send_message("1")
            await b.send_message("2")
            with pytest.raises(ChatRequestError) as info:
                await a.send_message("3")
            assert info.value.error_code == ChatErrorCode.TOO_MANY_REQUESTS
            chat.clock.advance(seconds=1)
            await b.send_message("4")

    run(scenario())


@pytest.mark.parametrize(
    ("handler", "fallback", "expected"),
    [
        (lambda p: {"ReviewResult": "ALLOW", "Content": p["Content"].upper(), "Attributes": {"ok": "1"}}, "DENY", ("HELLO", {"ok": "1"})),
        (lambda p: {"ReviewResult": "ALLOW"}, "DENY", ("hello", {"a": "b"})),
        (lambda p: {"ReviewResult": "DENY"}, "ALLOW", 406),
        (lambda p: 1 / 0, "ALLOW", ("hello", {"a": "b"})),
        (lambda p: 1 / 0, "DENY", 406),
        (lambda p: {"ReviewResult": "MAYBE"}, "ALLOW", ("hello", {"a": "b"})),
        (lambda p: {"ReviewResult": "ALLOW", "Attributes": {"n": 1}}, "DENY", 406),
        (lambda p: __import__("time").sleep(0.5) or {"ReviewResult": "ALLOW"}, "DENY", 406),
    ],
    ids=["rewrite", "allow-as-is", "deny", "error-allow", "error-deny", "malformed", "bad-attributes", "timeout-deny"],
)  # fmt: skip
def test_message_review_handler(chat: Chat, handler: Any, fallback: str, expected: Any) -> None:
    """ALLOW delivers the returned content; DENY and failures (per fallback) answer 406."""
    chat.control.update_room(
        identifier=chat.room,
        message_review_handler=MessageReviewHandler(uri=LAMBDA, fallback_result=fallback),
    )
    seen: list[dict[str, Any]] = []

    def recording(payload: dict[str, Any]) -> Any:
        seen.append(payload)
        return handler(payload)

    chat.local.register_review_handler(LAMBDA, recording)

    async def scenario() -> None:
        async with ChatClient(url=chat.server.ws_url, token=chat.token("alice", attributes={"d": "A"})) as a, \
                ChatClient(url=chat.server.ws_url, token=chat.token("bob")) as b:  # fmt: skip
            if isinstance(expected, int):
                with pytest.raises(ChatRequestError) as info:
                    await a.send_message("hello", attributes={"a": "b"})
                assert info.value.error_code == expected
                assert await nothing_arrives(b)
            else:
                sent = await a.send_message("hello", attributes={"a": "b"})
                assert (sent.content, dict(sent.attributes)) == expected
                received = await next_item(b)
                assert received == sent
                assert seen[0]["MessageId"] == sent.id
        payload = seen[0]
        assert payload["Content"] == "hello"
        assert payload["RoomArn"] == chat.room.arn
        assert payload["Attributes"] == {"a": "b"}
        assert payload["Sender"]["UserId"] == "alice"
        assert payload["Sender"]["Attributes"] == {"d": "A"}
        assert payload["Sender"]["Ip"] == "127.0.0.1"

    run(scenario())


def test_async_review_handler(chat: Chat) -> None:
    """A coroutine handler is awaited."""
    chat.control.update_room(
        identifier=chat.room, message_review_handler=MessageReviewHandler(uri=LAMBDA)
    )

    async def review(payload: dict[str, Any]) -> dict[str, Any]:
        await asyncio.sleep(0.01)
        return {"ReviewResult": "ALLOW", "Content": payload["Content"][::-1]}

    chat.local.register_review_handler(LAMBDA, review)

    async def scenario() -> None:
        async with ChatClient(url=chat.server.ws_url, token=chat.token("a")) as a:
            assert (await a.send_message("abc")).content == "cba"

    run(scenario())


def test_moderation_from_the_chat_connection(chat: Chat) -> None:
    """delete_message and disconnect_user return their events; the kicked user is closed for good."""

    async def scenario() -> None:
        states: list[ConnectionState] = []
        async with ChatClient(url=chat.server.ws_url, token=chat.token("mod")) as mod:
            bob = ChatClient(url=chat.server.ws_url, token_provider=chat.provider("bob", ["SEND_MESSAGE"]),
                             on_state_change=states.append)  # fmt: skip
            await bob.connect()
            message = await bob.send_message("spam")
            assert await next_item(mod) == message
            deleted = await mod.delete_message(message.id, reason="no spam")
            assert isinstance(deleted, MessageDeletedEvent)
            assert (deleted.message_id, deleted.reason) == (message.id, "no spam")
            assert deleted.attributes["MessageID"] == message.id
            kicked = await mod.disconnect_user("bob", reason="rude")
            assert isinstance(kicked, UserDisconnectedEvent)
            assert (kicked.user_id, kicked.reason) == ("bob", "rude")
            items = [item async for item in bob]  # ends: a deliberate disconnect is not retried
            assert [type(i) for i in items] == [
                ChatMessage,
                MessageDeletedEvent,
                UserDisconnectedEvent,
            ]
            assert bob.state is ConnectionState.DISCONNECTED
            assert chat.provided["bob"] == 1
            assert states == [
                ConnectionState.CONNECTING,
                ConnectionState.CONNECTED,
                ConnectionState.DISCONNECTED,
            ]
            with pytest.raises(ChatConnectionError, match="DISCONNECTED"):
                await bob.send_message("again")

    run(scenario())


def test_control_plane_reaches_connected_clients(chat: Chat) -> None:
    """SendEvent, DeleteMessage and DisconnectUser on the control plane reach the room."""

    async def scenario() -> None:
        async with ChatClient(url=chat.server.ws_url, token=chat.token("viewer", [])) as viewer:
            event_id = await asyncio.to_thread(
                chat.control.send_event,
                room_identifier=chat.room,
                event_name="app:poll",
                attributes={"q": "1"},
            )
            event = await next_item(viewer)
            assert isinstance(event, ChatEvent)
            assert (event.id, event.event_name, dict(event.attributes), event.request_id) == (
                event_id,
                "app:poll",
                {"q": "1"},
                None,
            )
            delete_id = await asyncio.to_thread(
                chat.control.delete_message,
                room_identifier=chat.room,
                id="AbCdEfGh1234",
                reason="r",
            )
            deleted = await next_item(viewer)
            assert isinstance(deleted, MessageDeletedEvent)
            assert (deleted.id, deleted.message_id) == (delete_id, "AbCdEfGh1234")
            await asyncio.to_thread(
                chat.control.disconnect_user, room_identifier=chat.room, user_id="viewer"
            )
            assert isinstance(await next_item(viewer), UserDisconnectedEvent)
            with pytest.raises(StopAsyncIteration):
                await next_item(viewer)

    run(scenario())


def test_delete_room_closes_connections_and_refuses_handshakes(chat: Chat) -> None:
    """DeleteRoom closes the room's connections; a token for it is then refused with 404."""

    async def scenario() -> None:
        spare = chat.token("late")
        async with ChatClient(url=chat.server.ws_url, token=chat.token("a")) as a:
            await asyncio.to_thread(chat.control.delete_room, identifier=chat.room)
            with pytest.raises(StopAsyncIteration):
                await next_item(a)
        with pytest.raises(ChatConnectionError) as info:
            await ChatClient(url=chat.server.ws_url, token=spare).connect()
        assert info.value.status == 404

    run(scenario())


def test_handshake_refuses_bad_used_and_expired_tokens(chat: Chat) -> None:
    """Unknown, reused or expired tokens are refused at the handshake with 401."""

    async def scenario() -> None:
        token = chat.token("a")
        async with ChatClient(url=chat.server.ws_url, token=token):
            pass
        for bad in (token.token, "not-a-token"):
            with pytest.raises(ChatConnectionError) as info:
                await ChatClient(url=chat.server.ws_url, token=bad).connect()
            assert info.value.status == 401
            assert bad not in str(info.value)
        stale = chat.token("b")
        chat.clock.advance(seconds=61)
        with pytest.raises(ChatConnectionError) as info:
            await ChatClient(url=chat.server.ws_url, token=stale).connect()
        assert info.value.status == 401

    run(scenario())


def test_session_expiry_reconnects_with_a_fresh_token(
    chat: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ERROR 401 then close: the client fetches a new token, reconnects and keeps receiving."""
    monkeypatch.setattr("ivschat_sdk.messaging._client.backoff_delay", lambda attempt: 0.0)

    async def scenario() -> None:
        states: list[ConnectionState] = []
        client = ChatClient(
            url=chat.server.ws_url, token_provider=chat.provider("a"), on_state_change=states.append
        )
        await client.connect()
        chat.clock.advance(minutes=61)
        chat.local.chat.expire_sessions()
        for _ in range(100):
            if chat.provided["a"] == 2 and client.state is ConnectionState.CONNECTED:
                break
            await asyncio.sleep(0.05)
        assert states == [
            ConnectionState.CONNECTING,
            ConnectionState.CONNECTED,
            ConnectionState.RECONNECTING,
            ConnectionState.CONNECTED,
        ]
        sent = await client.send_message("after")
        assert await next_item(client) == sent
        await client.close()

    run(scenario())


def test_dropped_connection_reconnects(chat: Chat, monkeypatch: pytest.MonkeyPatch) -> None:
    """A TCP drop without a close frame is retried with a new token."""
    monkeypatch.setattr("ivschat_sdk.messaging._client.backoff_delay", lambda attempt: 0.0)

    async def scenario() -> None:
        client = ChatClient(url=chat.server.ws_url, token_provider=chat.provider("a"))
        await client.connect()
        assert client._ws is not None
        client._ws.transport.abort()  # the network drops the connection
        for _ in range(100):
            if chat.provided.get("a") == 2 and client.state is ConnectionState.CONNECTED:
                break
            await asyncio.sleep(0.05)
        assert client.state is ConnectionState.CONNECTED
        assert await client.send_message("still here")
        await client.close()

    run(scenario())


def test_reconnect_gives_up_after_bounded_attempts(
    chat: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When every reconnect fails, iteration raises ChatConnectionError after max attempts."""
    monkeypatch.setattr("ivschat_sdk.messaging._client.backoff_delay", lambda attempt: 0.0)
    calls = {"n": 0}

    def provider() -> str:
        calls["n"] += 1
        return chat.token("a").token if calls["n"] == 1 else "revoked-token"

    async def scenario() -> None:
        client = ChatClient(
            url=chat.server.ws_url, token_provider=provider, max_reconnect_attempts=3
        )
        await client.connect()
        assert client._ws is not None
        client._ws.transport.abort()
        with pytest.raises(ChatConnectionError) as info:
            await next_item(client)
        assert info.value.status == 401
        assert calls["n"] == 4
        assert client.state is ConnectionState.DISCONNECTED

    run(scenario())


def test_a_plain_token_cannot_reconnect(chat: Chat) -> None:
    """Without a token provider a lost connection ends the stream with an explanation."""

    async def scenario() -> None:
        client = ChatClient(url=chat.server.ws_url, token=chat.token("a"), max_reconnect_attempts=1)
        await client.connect()
        assert client._ws is not None
        client._ws.transport.abort()
        with pytest.raises(ChatConnectionError, match="token_provider"):
            await next_item(client)

    run(scenario())


def test_async_token_provider_and_bad_results(chat: Chat) -> None:
    """Async providers are awaited; a provider returning garbage is a clear error."""

    async def scenario() -> None:
        async def provide() -> str:
            return chat.token("a").token

        async with ChatClient(url=chat.server.ws_url, token_provider=provide) as client:
            assert client.state is ConnectionState.CONNECTED
        with pytest.raises(ChatConnectionError, match="ChatToken or a token string"):
            await ChatClient(url=chat.server.ws_url, token_provider=lambda: None).connect()  # type: ignore[arg-type, return-value]
        with pytest.raises(ChatConnectionError, match="token provider failed"):
            await ChatClient(url=chat.server.ws_url, token_provider=lambda: 1 / 0).connect()  # type: ignore[arg-type, return-value]

    run(scenario())


def test_bad_input_fails_before_sending(chat: Chat) -> None:
    """Over-long content, bad ids and non-string attributes raise ParamValidationError."""

    async def scenario() -> None:
        async with ChatClient(url=chat.server.ws_url, token=chat.token("a")) as client:
            with pytest.raises(ParamValidationError, match="content"):
                await client.send_message("x" * 501)
            with pytest.raises(ParamValidationError, match="attributes"):
                await client.send_message("x", attributes={"n": 1})  # type: ignore[dict-item]
            with pytest.raises(ParamValidationError, match="message_id"):
                await client.delete_message("short")
            with pytest.raises(ParamValidationError, match="user_id"):
                await client.disconnect_user("")
            assert await nothing_arrives(client)

    run(scenario())


def test_constructor_checks() -> None:
    """Exactly one endpoint and one token source; URLs must be ws(s)."""
    with pytest.raises(ValueError, match="region and url"):
        ChatClient(token="t")
    with pytest.raises(ValueError, match="token and token_provider"):
        ChatClient(region="us-west-2")
    with pytest.raises(ValueError, match="ws://"):
        ChatClient(url="http://x", token="t")
    assert (
        ChatClient(region="eu-west-1", token="t").url
        == "wss://edge.ivschat.eu-west-1.amazonaws.com"
    )


def test_token_never_in_logs_or_repr(chat: Chat, caplog: pytest.LogCaptureFixture) -> None:
    """With debug logging, the handshake's Sec-WebSocket-Protocol (the token) is redacted."""
    token = chat.token("a")

    async def scenario() -> None:
        client = ChatClient(url=chat.server.ws_url, token=token)
        with caplog.at_level(logging.DEBUG):
            await client.connect()
            await client.send_message("x")
            await client.close()
        assert token.token not in repr(client)

    run(scenario())
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "Sec-WebSocket-Protocol: <redacted>" in text
    assert token.token not in text


def test_sync_client(chat: Chat) -> None:
    """SyncChatClient sends, receives and iterates with the same behaviour."""
    with SyncChatClient(url=chat.server.ws_url, token_provider=chat.provider("s")) as client:
        sent = client.send_message("sync")
        assert client.receive(timeout=5) == sent
        chat.control.send_event(room_identifier=chat.room, event_name="app:e")
        assert isinstance(client.receive(timeout=5), ChatEvent)
        chat.control.disconnect_user(room_identifier=chat.room, user_id="s")
        items = list(client)
        assert [type(i) for i in items] == [UserDisconnectedEvent]
        assert client.state is ConnectionState.DISCONNECTED


def test_http_review_handler(chat: Chat) -> None:
    """A review handler served over HTTP (ivschat-local --review-handler ARN=URL) is called."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from ivschat_sdk.local import http_review_handler

    class Review(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            body = json.dumps(
                {"ReviewResult": "ALLOW", "Content": payload["Content"] + "!"}
            ).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    review_server = ThreadingHTTPServer(("127.0.0.1", 0), Review)
    threading.Thread(target=review_server.serve_forever, daemon=True).start()
    try:
        chat.control.update_room(
            identifier=chat.room, message_review_handler=MessageReviewHandler(uri=LAMBDA)
        )
        chat.local.register_review_handler(
            LAMBDA, http_review_handler(f"http://127.0.0.1:{review_server.server_port}/")
        )

        async def scenario() -> None:
            async with ChatClient(url=chat.server.ws_url, token=chat.token("a")) as a:
                assert (await a.send_message("wow")).content == "wow!"

        run(scenario())
    finally:
        review_server.shutdown()
        review_server.server_close()


def test_duplicates_unknown_and_malformed_frames_from_a_scripted_peer() -> None:
    """Frames repeating an Id are dropped; unknown types and malformed frames are skipped.

    An unknown event name still arrives, and a request without an answer times out.
    """
    from websockets.asyncio.server import ServerConnection, serve

    message = {
        "Type": "MESSAGE", "Id": "AbCdEfGh1234", "RequestId": "", "Content": "once",
        "Attributes": None, "SendTime": "2026-01-01T00:00:00.000001Z", "Sender": {"UserId": "u"},
    }  # fmt: skip

    async def peer(ws: ServerConnection) -> None:
        for frame in [message, message, {"Type": "PRESENCE", "Id": "x"}, "not json", {"Type": "MESSAGE"},
                      {"Type": "EVENT", "Id": "EvEvEvEvEv12", "EventName": "aws:NEW_THING", "SendTime": "2026-01-01T00:00:00Z"}]:  # fmt: skip
            await ws.send(frame if isinstance(frame, str) else json.dumps(frame))
        await ws.recv()  # a request the peer never answers
        await asyncio.sleep(1)

    async def scenario() -> None:
        async with serve(
            peer, "127.0.0.1", 0, select_subprotocol=lambda conn, offered: offered[0]
        ) as server:
            port = server.sockets[0].getsockname()[1]
            async with ChatClient(
                url=f"ws://127.0.0.1:{port}", token="scripted", request_timeout=0.3
            ) as client:
                first = await next_item(client)
                assert isinstance(first, ChatMessage)
                assert first.content == "once"
                second = await next_item(client)
                assert isinstance(second, ChatEvent)
                assert second.event_name == "aws:NEW_THING"
                from ivschat_sdk.messaging import ChatTimeoutError

                with pytest.raises(ChatTimeoutError):
                    await client.send_message("unanswered")
                with pytest.raises(TimeoutError):
                    await client.send_message("unanswered", timeout=0.1)

    run(scenario())


def test_reset_closes_chat_connections_and_forgets_review_handlers(chat: Chat) -> None:
    """LocalIvsChat.reset() (the fixtures call it between tests) leaves nothing behind."""
    chat.local.register_review_handler(LAMBDA, lambda p: {"ReviewResult": "ALLOW"})

    async def scenario() -> None:
        async with ChatClient(url=chat.server.ws_url, token=chat.token("a")) as client:
            await asyncio.to_thread(chat.local.reset)
            with pytest.raises(StopAsyncIteration):
                await next_item(client)
        assert chat.local.chat.review_handlers == {}
        assert chat.local.chat.connection_count() == 0

    run(scenario())


def test_closing_a_client_that_never_connected_ends_iteration() -> None:
    """close() before connect() leaves an iterator that ends, not one that hangs."""

    async def scenario() -> None:
        client = ChatClient(url="ws://127.0.0.1:9", token="t")
        await client.close()
        assert [item async for item in client] == []

    run(scenario())
