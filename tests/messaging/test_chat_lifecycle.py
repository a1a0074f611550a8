"""A chat client's life: checked arguments, closing, refusals, the end of iteration, receive()."""

from __future__ import annotations

import asyncio
import gc
import os
import threading
import warnings
from datetime import datetime, timezone

import pytest

from ivschat_sdk import ChatToken, IvsChatError, ParamValidationError
from ivschat_sdk.messaging import (
    ChatClient,
    ChatClosedError,
    ChatConnectionError,
    ChatEvent,
    ChatMessage,
    ChatTimeoutError,
    SyncChatClient,
    UserDisconnectedEvent,
)

from .conftest import Chat, next_item, run

NOW = datetime.now(timezone.utc)


def test_a_closed_sync_client_raises_a_typed_error_from_every_method(chat: Chat) -> None:
    """After close(), every method raises ChatClosedError, and no coroutine is left unawaited."""
    client = SyncChatClient(url=chat.server.ws_url, token_provider=chat.provider("a"))
    client.connect()
    client.close()
    calls = [
        client.connect,
        lambda: client.send_message("hi"),
        lambda: client.delete_message("AbCdEfGh1234"),
        lambda: client.disconnect_user("bob"),
        lambda: client.receive(timeout=1),
        lambda: next(iter(client)),
    ]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for call in calls:
            with pytest.raises(ChatClosedError, match="closed") as info:
                call()
            assert isinstance(info.value, ChatConnectionError)
            assert isinstance(info.value, IvsChatError)
        client.close()  # still idempotent
        gc.collect()
    assert [str(w.message) for w in caught] == []
    assert chat.provided["a"] == 1


def test_a_closed_async_client_refuses_requests_and_reconnection(chat: Chat) -> None:
    """After close(), requests and connect() raise ChatClosedError; iteration just ends."""

    async def scenario() -> None:
        client = ChatClient(url=chat.server.ws_url, token_provider=chat.provider("a"))
        await client.connect()
        await client.close()
        with pytest.raises(ChatClosedError):
            await client.send_message("hi")
        with pytest.raises(ChatClosedError):
            await client.connect()
        assert [item async for item in client] == []
        never = ChatClient(url=chat.server.ws_url, token_provider=chat.provider("b"))
        await never.close()
        with pytest.raises(ChatClosedError):
            await never.connect()
        assert "b" not in chat.provided

    run(scenario())


@pytest.mark.parametrize(
    "token",
    [
        "",
        123,
        b"bytes",
        ChatToken(token="", token_expiration_time=NOW, session_expiration_time=NOW),
    ],
    ids=["empty", "int", "bytes", "empty-chattoken"],
)
@pytest.mark.parametrize("cls", [ChatClient, SyncChatClient])
def test_a_bad_token_is_refused_at_construction(
    cls: type[ChatClient] | type[SyncChatClient], token: object
) -> None:
    """ChatClient and SyncChatClient check `token` when built: ParamValidationError naming it.

    The sync client starts no thread for a refused construction.
    """
    threads = threading.active_count()
    with pytest.raises(ParamValidationError) as info:
        cls(url="ws://127.0.0.1:9", token=token)  # type: ignore[arg-type]
    assert info.value.param == "token"
    assert "a non-empty string or a ChatToken" in info.value.problem
    assert threading.active_count() == threads


def test_other_constructor_arguments_are_checked() -> None:
    """A non-callable token_provider and a max_queue below 1 are ParamValidationErrors."""
    with pytest.raises(ParamValidationError) as info:
        ChatClient(url="ws://127.0.0.1:9", token_provider="t")  # type: ignore[arg-type]
    assert info.value.param == "token_provider"
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ParamValidationError) as info:
            ChatClient(url="ws://127.0.0.1:9", token="t", max_queue=bad)  # type: ignore[arg-type]
        assert info.value.param == "max_queue"
    with pytest.raises(ParamValidationError) as info:
        ChatClient(region="not a region", token="t")
    assert info.value.param == "region"


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc/self/fd")
def test_refused_handshakes_in_a_with_block_leak_no_thread_or_fd(chat: Chat) -> None:
    """A SyncChatClient whose handshake is refused in `with` stops its thread and loop."""

    def attempt() -> None:
        with (
            pytest.raises(ChatConnectionError) as info,
            SyncChatClient(url=chat.server.ws_url, token="not-a-token"),
        ):
            pass
        assert info.value.status == 401

    attempt()  # warm up: the server's first connection opens its own resources
    threads, fds = threading.active_count(), _open_fds()
    for _ in range(20):
        attempt()
    assert threading.active_count() == threads
    assert _open_fds() <= fds


def test_a_deleted_room_stops_the_token_provider(chat: Chat) -> None:
    """After a 404 handshake (room gone), connect() refuses again without calling the provider.

    A 401 (bad token) is worth another try, so there the provider is called each time.
    """
    calls = {"gone": 0, "bad": 0}
    token = chat.token("a")  # a real token, for a room deleted next: the handshake gets 404
    chat.control.delete_room(identifier=chat.room)

    def gone() -> ChatToken:
        calls["gone"] += 1
        return token

    def bad() -> str:
        calls["bad"] += 1
        return "not-a-token"

    async def scenario() -> None:
        client = ChatClient(url=chat.server.ws_url, token_provider=gone)
        for _ in range(3):
            with pytest.raises(ChatConnectionError, match="does not exist") as info:
                await client.connect()
            assert info.value.status == 404
        assert calls["gone"] == 1
        other = ChatClient(url=chat.server.ws_url, token_provider=bad)
        for _ in range(2):
            with pytest.raises(ChatConnectionError) as info:
                await other.connect()
            assert info.value.status == 401
        assert calls["bad"] == 2

    run(scenario())


def test_a_deleted_room_ends_reconnection_after_one_handshake(
    chat: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dropped connection whose reconnect gets 404 ends iteration; the provider is not retried."""
    monkeypatch.setattr("ivschat_sdk.messaging._client.backoff_delay", lambda attempt: 0.0)
    calls = 0

    def provider() -> ChatToken:
        nonlocal calls
        calls += 1
        token = chat.token("a")
        if calls == 2:  # the room goes away between the drop and the reconnect
            chat.control.delete_room(identifier=chat.room)
        return token

    async def scenario() -> None:
        client = ChatClient(url=chat.server.ws_url, token_provider=provider)
        await client.connect()
        assert client._ws is not None
        client._ws.transport.abort()
        with pytest.raises(ChatConnectionError) as info:
            await next_item(client)
        assert info.value.status == 404
        assert calls == 2
        with pytest.raises(ChatConnectionError):
            await client.send_message("x")
        assert calls == 2

    run(scenario())


def test_close_reason_after_disconnect_user(chat: Chat) -> None:
    """DisconnectUser ends iteration; close_reason holds the server's reason for closing.

    The moderator's own reason is on the UserDisconnectedEvent received just before the end.
    """

    async def scenario() -> None:
        async with ChatClient(url=chat.server.ws_url, token=chat.token("bob")) as bob:
            assert bob.close_reason is None
            await asyncio.to_thread(
                chat.control.disconnect_user,
                room_identifier=chat.room,
                user_id="bob",
                reason="rude",
            )
            items = [item async for item in bob]
            assert bob.close_reason == "Disconnected by moderator"
            last = items[-1]
            assert isinstance(last, UserDisconnectedEvent)
            assert (last.user_id, last.reason) == ("bob", "rude")

    run(scenario())


def test_close_reason_after_delete_room_and_not_after_our_close(chat: Chat) -> None:
    """DeleteRoom's close gives close_reason "Room deleted"; our own close() leaves it None."""

    async def scenario() -> None:
        async with ChatClient(url=chat.server.ws_url, token=chat.token("a")) as mine:
            pass
        assert mine.close_reason is None
        async with ChatClient(url=chat.server.ws_url, token=chat.token("b")) as client:
            await asyncio.to_thread(chat.control.delete_room, identifier=chat.room)
            assert [item async for item in client] == []
            assert client.close_reason == "Room deleted"

    run(scenario())


def test_sync_close_reason(chat: Chat) -> None:
    """SyncChatClient exposes the same close_reason."""
    with SyncChatClient(url=chat.server.ws_url, token=chat.token("s")) as client:
        chat.control.disconnect_user(room_identifier=chat.room, user_id="s", reason="bye")
        assert [type(i) for i in client] == [UserDisconnectedEvent]
        assert client.close_reason == "Disconnected by moderator"


def test_async_receive_with_a_timeout_beside_iteration(chat: Chat) -> None:
    """ChatClient.receive(timeout) returns the next item, times out typed, and ends like iteration."""

    async def scenario() -> None:
        client = ChatClient(url=chat.server.ws_url, token=chat.token("a"))
        await client.connect()
        with pytest.raises(ChatTimeoutError, match="within"):
            await client.receive(timeout=0.2)
        with pytest.raises(TimeoutError):
            await client.receive(timeout=0)
        first = await client.send_message("one")
        second = await client.send_message("two")
        await asyncio.sleep(0.1)
        assert await client.receive(timeout=0) == first  # already queued: no wait needed
        async for item in client:  # iteration and receive() read the same stream
            assert item == second
            break
        await asyncio.to_thread(
            chat.control.send_event, room_identifier=chat.room, event_name="app:e"
        )
        assert isinstance(await client.receive(timeout=5), ChatEvent)
        await client.close()
        for _ in range(2):
            with pytest.raises(StopAsyncIteration):
                await client.receive(timeout=1)

    run(scenario())


def test_sync_receive_wraps_the_async_one(chat: Chat) -> None:
    """SyncChatClient.receive times out with ChatTimeoutError and loses no item to a timeout."""
    with SyncChatClient(url=chat.server.ws_url, token=chat.token("a")) as client:
        for _ in range(5):
            with pytest.raises(ChatTimeoutError):
                client.receive(timeout=0.01)
        sent = client.send_message("kept")
        received = client.receive(timeout=5)
        assert isinstance(received, ChatMessage)
        assert received == sent
