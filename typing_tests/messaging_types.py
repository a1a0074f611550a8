"""Pins the public types of ivschat_sdk.messaging. Checked by `mypy --strict`, never run."""

from __future__ import annotations

from typing_extensions import assert_type

from ivschat_sdk import ChatToken
from ivschat_sdk.messaging import (
    ChatClient,
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

    async with ChatClient(url="ws://127.0.0.1:1", token_provider=provider) as chat:
        assert_type(chat.state, ConnectionState)
        assert_type(await chat.send_message("hi", attributes={"k": "v"}), ChatMessage)
        assert_type(await chat.delete_message("AbCdEfGh1234"), MessageDeletedEvent)
        assert_type(await chat.disconnect_user("bob", reason="rude"), UserDisconnectedEvent)
        async for item in chat:
            assert_type(item, ChatItem)
            if isinstance(item, ChatMessage):
                assert_type(item.sender.user_id, str)


def sync_client(token: ChatToken) -> None:
    with SyncChatClient(region="us-west-2", token_provider=lambda: token) as chat:
        assert_type(chat.send_message("hi"), ChatMessage)
        for item in chat:
            assert_type(item, ChatItem)
        try:
            chat.send_message("x")
        except ChatRequestError as err:
            assert_type(err.error_code, int)
