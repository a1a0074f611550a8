"""The example review handler, unchanged, in the local IVS Chat, with real chat clients.

The local IVS Chat's ``register_review_handler(uri, callable)`` takes today a callable of the
payload alone; a Lambda handler takes ``(event, context)``. The adapter below is the one line
that bridges them, with :func:`ivschat_sdk.review.invoke_lambda_handler` (a JSON copy of the
event, a stand-in context, a JSON round trip of the answer), until the local IVS Chat accepts
a Lambda handler itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterator
from typing import Any, TypeVar

import pytest

from examples.review_handler import moderation
from ivschat_sdk import ChatToken, FallbackResult, IvsChatClient, MessageReviewHandler, Room
from ivschat_sdk.local import LocalIvsChat, LocalServer
from ivschat_sdk.messaging import ChatClient, ChatErrorCode, ChatMessage, ChatRequestError
from ivschat_sdk.review import invoke_lambda_handler

LAMBDA_ARN = "arn:aws:lambda:us-west-2:123456789012:function:chat-moderation"
T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a scenario on a fresh event loop, failing it after 20 seconds."""
    return asyncio.run(asyncio.wait_for(coroutine, 20))


def as_local_review_handler(
    handler: Callable[[Any, Any], dict[str, Any]],
) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """The adapter: the local IVS Chat calls ``f(payload)``, Lambda calls ``f(event, context)``."""
    return lambda payload: invoke_lambda_handler(handler, payload)


@pytest.fixture
def chat() -> Iterator[tuple[LocalServer, IvsChatClient, Room]]:
    """A local IVS Chat running the example's handler for a room (fallback ALLOW).

    With ``fallbackResult=ALLOW``, a handler that failed or timed out would let the message
    through unmasked: the test would see it.
    """
    with LocalServer(LocalIvsChat()) as server:
        server.emulator.register_review_handler(
            LAMBDA_ARN, as_local_review_handler(moderation.handler)
        )
        control = IvsChatClient(
            region_name="us-west-2", endpoint_url=server.url,
            aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret",
        )  # fmt: skip
        room = control.create_room(
            name="moderated",
            message_review_handler=MessageReviewHandler(
                uri=LAMBDA_ARN, fallback_result=FallbackResult.ALLOW
            ),
        )
        yield server, control, room


async def next_message(client: ChatClient) -> ChatMessage:
    """The client's next chat message, skipping events; fails the test after 5 seconds."""

    async def first() -> ChatMessage:
        async for item in client:
            if isinstance(item, ChatMessage):
                return item
        raise AssertionError("the chat connection closed")

    return await asyncio.wait_for(first(), 5)


def test_a_chat_client_sees_masked_text_and_gets_406_for_a_link(
    chat: tuple[LocalServer, IvsChatClient, Room],
) -> None:
    """Alice's words arrive masked at Bob's; her link is refused with 406 and never delivered."""
    server, control, room = chat

    def tokens(user: str) -> Callable[[], ChatToken]:
        return lambda: control.create_chat_token(
            room_identifier=room, user_id=user, capabilities=["SEND_MESSAGE"]
        )

    async def scenario() -> None:
        async with ChatClient(url=server.ws_url, token_provider=tokens("alice")) as alice, \
                ChatClient(url=server.ws_url, token_provider=tokens("bob")) as bob:  # fmt: skip
            sent = await alice.send_message(
                "darn, the SPOILER is heckin' good", attributes={"c": "1"}
            )
            assert sent.content == "****, the ******* is heckin' good"
            got = await next_message(bob)
            assert (got.content, dict(got.attributes), got.id) == (
                sent.content,
                {"c": "1"},
                sent.id,
            )

            with pytest.raises(ChatRequestError) as refused:
                await alice.send_message("free followers at www.cheap-followers.example")
            assert refused.value.error_code == ChatErrorCode.NOT_ACCEPTABLE == 406

            await alice.send_message("back to the stream")
            assert (await next_message(bob)).content == "back to the stream"  # the link never came

    run(scenario())
