"""A chat client whose application stops reading: a bounded queue, then back-pressure."""

from __future__ import annotations

import asyncio

import pytest

from ivschat_sdk.messaging import (
    DEFAULT_MAX_QUEUE,
    ChatClient,
    ChatConnectionError,
    ChatEvent,
    ChatItem,
    ChatMessage,
    ChatTimeoutError,
)

from .conftest import Chat, run

EVENTS = 3_000
BOUND = 100


def test_default_bound() -> None:
    """The queue holds 1,000 items unless max_queue says otherwise."""
    assert DEFAULT_MAX_QUEUE == 1_000
    assert ChatClient(url="ws://127.0.0.1:9", token="t").max_queue == 1_000
    assert ChatClient(url="ws://127.0.0.1:9", token="t", max_queue=5).max_queue == 5


async def _wait_until_queued(client: ChatClient, count: int) -> None:
    for _ in range(200):
        if client.queued >= count:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"only {client.queued} items queued, expected {count}")


def test_a_client_that_stops_iterating_holds_at_most_max_queue_items(
    chat: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    """3,000 events while the application does not iterate: never more than max_queue queued.

    The client stops reading the socket; the server then either buffers or drops it as a
    slow consumer (more than 1 MiB behind). Iterating again delivers the frames the server did
    not drop, in order, and the client keeps working (reconnecting if it was dropped).
    """
    monkeypatch.setattr("ivschat_sdk.messaging._client.backoff_delay", lambda attempt: 0.0)
    padding = "x" * 900  # ~1.1 KB frames: 3,000 of them are more than the server keeps

    def send_all() -> list[str]:
        return [
            chat.control.send_event(
                room_identifier=chat.room, event_name="app:e", attributes={"p": padding}
            )
            for _ in range(EVENTS)
        ]

    async def scenario() -> None:
        client = ChatClient(
            url=chat.server.ws_url, token_provider=chat.provider("slow"), max_queue=BOUND
        )
        await client.connect()
        sending = asyncio.create_task(asyncio.to_thread(send_all))
        most = 0
        while not sending.done():
            most = max(most, client.queued)
            await asyncio.sleep(0.001)
        sent = await sending
        await asyncio.sleep(0.2)
        most = max(most, client.queued)
        assert most == BOUND  # full, and never more
        received: list[ChatItem] = []
        while True:
            try:
                received.append(await client.receive(timeout=1))
            except ChatTimeoutError:
                break
        assert len(received) > BOUND  # reading resumed once the application iterated again
        ids = [item.id for item in received]
        assert all(isinstance(item, ChatEvent) for item in received)
        position = {event_id: n for n, event_id in enumerate(sent)}
        assert [position[i] for i in ids] == sorted(position[i] for i in ids)  # in order
        message = await client.send_message("still here")
        assert isinstance(message, ChatMessage)
        await client.close()

    run(scenario())


def test_requests_wait_behind_a_full_queue(chat: Chat) -> None:
    """With the queue full, a request's answer is not read: it times out; the frame comes later.

    This is the documented trade-off of back-pressure: iterate in another task than the one
    awaiting requests (or raise max_queue) so that the queue does not fill.
    """

    async def scenario() -> None:
        async with ChatClient(url=chat.server.ws_url, token=chat.token("a"), max_queue=5) as client:
            for n in range(10):
                await asyncio.to_thread(
                    chat.control.send_event,
                    room_identifier=chat.room,
                    event_name="app:e",
                    attributes={"n": str(n)},
                )
            await _wait_until_queued(client, 5)
            with pytest.raises(ChatTimeoutError):
                await client.send_message("behind", timeout=0.5)
            items = [await client.receive(timeout=5) for _ in range(11)]
            assert [i.attributes["n"] for i in items[:10]] == [str(n) for n in range(10)]
            late = items[10]
            assert isinstance(late, ChatMessage)
            assert late.content == "behind"
            assert isinstance(await client.send_message("now"), ChatMessage)  # free again

    run(scenario())


def test_close_with_a_full_queue_does_not_hang(chat: Chat) -> None:
    """close() while the reader waits for room in the queue returns; the queued items remain."""

    async def scenario() -> None:
        client = ChatClient(url=chat.server.ws_url, token=chat.token("a"), max_queue=3)
        await client.connect()
        for _ in range(10):
            await asyncio.to_thread(
                chat.control.send_event, room_identifier=chat.room, event_name="app:e"
            )
        await _wait_until_queued(client, 3)
        await asyncio.wait_for(client.close(), 5)
        assert len([item async for item in client]) == 3
        with pytest.raises(ChatConnectionError):
            await client.send_message("x")

    run(scenario())
