"""Pins the public types of ivschat_sdk.messaging. Checked by `mypy --strict`, never run."""

from __future__ import annotations

from typing_extensions import assert_type

from ivschat_sdk import ChatToken, IvsChatError
from ivschat_sdk.messaging import (
    DEFAULT_MAX_QUEUE,
    ChatClient,
    ChatClosedError,
    ChatConnectionError,
    ChatItem,
    ChatMessage,
    ChatRequestError,
    ConnectionState,
    MessageDeletedEvent,
    SyncChatClient,
    UserDisconnectedEvent,
)


async def async_client(token: ChatToken) -> None:
    async def provider() -> ChatToken:
        return token

    async with ChatClient(
        url="ws://127.0.0.1:1", token_provider=provider, max_queue=DEFAULT_MAX_QUEUE
    ) as chat:
        assert_type(chat.state, ConnectionState)
        assert_type(chat.max_queue, int)
        assert_type(chat.queued, int)
        assert_type(chat.close_reason, str | None)
        assert_type(await chat.send_message("hi", attributes={"k": "v"}), ChatMessage)
        assert_type(await chat.delete_message("AbCdEfGh1234"), MessageDeletedEvent)
        assert_type(await chat.disconnect_user("bob", reason="rude"), UserDisconnectedEvent)
        assert_type(await chat.receive(timeout=1.5), ChatItem)
        assert_type(await chat.receive(), ChatItem)
        async for item in chat:
            assert_type(item, ChatItem)
            if isinstance(item, ChatMessage):
                assert_type(item.sender.user_id, str)


def sync_client(token: ChatToken) -> None:
    with SyncChatClient(region="us-west-2", token_provider=lambda: token, max_queue=10) as chat:
        assert_type(chat.send_message("hi"), ChatMessage)
        assert_type(chat.receive(timeout=1), ChatItem)
        assert_type(chat.close_reason, str | None)
        assert_type(chat.queued, int)
        for item in chat:
            assert_type(item, ChatItem)
        try:
            chat.send_message("x")
        except ChatRequestError as err:
            assert_type(err.error_code, int)
        except ChatClosedError as closed:
            connection_error: ChatConnectionError = closed
            base: IvsChatError = connection_error
            assert_type(base, IvsChatError)
