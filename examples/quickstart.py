"""Quickstart: the main jobs of ivschat-sdk, end to end: the control plane, then chat.

By default it runs against the local IVS Chat (the control plane in process, chat over a
WebSocket on 127.0.0.1): no AWS account, no network.

    python examples/quickstart.py                 # local IVS Chat
    python examples/quickstart.py --aws us-west-2 # real AWS (uses your AWS credentials;
                                                  # creates rooms and deletes them again)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from collections.abc import Callable, Iterator
from typing import TypeVar

from ivschat_sdk import (
    ChatToken,
    ChatTokenCapability,
    FallbackResult,
    IvsChatClient,
    MessageReviewHandler,
    ParamValidationError,
    ResourceNotFoundError,
)
from ivschat_sdk.local import LocalIvsChat, LocalServer
from ivschat_sdk.messaging import (
    ChatClient,
    ChatErrorCode,
    ChatEvent,
    ChatMessage,
    ChatRequestError,
    MessageDeletedEvent,
)
from ivschat_sdk.testing import mock_ivschat

T = TypeVar("T")
REVIEW_LAMBDA = "arn:aws:lambda:us-west-2:123456789012:function:quickstart-review"


def run(client: IvsChatClient) -> None:
    # 1. A room with limits and tags.
    room = client.create_room(
        name="quickstart-lobby",
        maximum_message_length=200,
        maximum_message_rate_per_second=5,
        tags={"app": "quickstart"},
    )
    print(f"created room {room.id} ({room.name}): up to {room.maximum_message_length} characters,")
    print(f"  {room.maximum_message_rate_per_second} messages/s, tags {dict(room.tags)}")
    print(f"  ARN {room.arn}, created {room.create_time:%Y-%m-%d %H:%M:%S %Z}")

    # 2. More rooms, then list them lazily, a page of two at a time.
    extra = [
        client.create_room(name=f"quickstart-{i}", tags={"app": "quickstart"}) for i in range(3)
    ]
    listing = client.list_rooms(page_size=2)
    for number, page in enumerate(listing.pages(), start=1):
        names = ", ".join(r.name for r in page.items)
        more = "more to come" if page.next_token else "last page"
        print(f"page {number}: {names} ({more})")
    print(f"first two rooms only: {[r.name for r in client.list_rooms(max_items=2)]}")

    # 3. A chat token for a user who may send messages.
    token = client.create_chat_token(
        room_identifier=room,
        user_id="alice",
        capabilities=[ChatTokenCapability.SEND_MESSAGE],
        session_duration_in_minutes=30,
        attributes={"displayName": "Alice"},
    )
    print(f"chat token for alice: {token!r}")
    print(
        f"  (the secret is {len(token.token)} characters, never printed; connect before "
        f"{token.token_expiration_time:%H:%M:%S} UTC)"
    )

    # 4. An event to everyone in the room.
    event_id = client.send_event(
        room_identifier=room, event_name="app:stream-starting", attributes={"in": "5m"}
    )
    print(f"sent event app:stream-starting, id {event_id}")

    # 5. Tags.
    client.tag_resource(resource_arn=room, tags={"stage": "demo"})
    client.untag_resource(resource_arn=room, tag_keys=["app"])
    print(f"tags now: {client.list_tags_for_resource(resource_arn=room)}")

    # 6. Bad input fails before the network, with the parameter and the limit.
    try:
        client.update_room(identifier=room, maximum_message_length=1000)
    except ParamValidationError as err:
        print(f"refused before sending: {err}")
    try:
        client.get_room(identifier=room.id)
    except ParamValidationError as err:
        print(f"refused before sending: {err.problem}")

    # 7. Clean up.
    for r in [room, *extra]:
        client.delete_room(identifier=r)
    try:
        client.get_room(identifier=room)
    except ResourceNotFoundError as err:
        print(
            f"deleted {1 + len(extra)} rooms; get_room now raises {type(err).__name__} ({err.http_status})"
        )


def no_bad_words(payload: dict[str, object]) -> dict[str, object]:
    """A message review handler, as a Lambda function would be: deny one word."""
    if "spoiler" in str(payload["Content"]).lower():
        return {"ReviewResult": "DENY"}
    return {"ReviewResult": "ALLOW"}


async def chat(client: IvsChatClient, chat_url: str | None, local: LocalIvsChat | None) -> None:
    handler = None
    if local is not None:  # on AWS the handler would be a real Lambda function
        local.register_review_handler(REVIEW_LAMBDA, no_bad_words)
        handler = MessageReviewHandler(uri=REVIEW_LAMBDA, fallback_result=FallbackResult.DENY)
    room = client.create_room(name="quickstart-chat", message_review_handler=handler)

    def tokens(user: str, *capabilities: ChatTokenCapability) -> Callable[[], ChatToken]:
        # Called for every connection: a token opens one connection only.
        return lambda: client.create_chat_token(
            room_identifier=room, user_id=user, capabilities=list(capabilities),
            attributes={"displayName": user.title()},
        )  # fmt: skip

    where = {"url": chat_url} if chat_url else {"region": client.region_name}
    send = ChatTokenCapability.SEND_MESSAGE
    async with ChatClient(**where, token_provider=tokens("alice", send)) as alice, \
            ChatClient(**where, token_provider=tokens("bob", send)) as bob, \
            ChatClient(**where, token_provider=tokens("mod", ChatTokenCapability.DELETE_MESSAGE)) as mod:  # fmt: skip
        hello = await alice.send_message("hi bob!", attributes={"mood": "happy"})
        got = await next_of(bob, ChatMessage)
        print(f"chat: alice sent {hello.content!r} (id {hello.id}); bob received {got.content!r} "
              f"from {got.sender.attributes['displayName']}")  # fmt: skip
        reply = await bob.send_message("hi alice, the stream starts soon")
        print(f"chat: bob replied {reply.content!r}")
        deleted = await mod.delete_message(hello.id, reason="off topic")
        seen_by_alice = await next_of(alice, MessageDeletedEvent)
        print(f"chat: the moderator deleted message {deleted.message_id}; alice was told to hide "
              f"{seen_by_alice.message_id} ({seen_by_alice.reason!r})")  # fmt: skip
        await asyncio.to_thread(
            client.send_event,
            room_identifier=room,
            event_name="app:stream-starting",
            attributes={"in": "1m"},
        )
        event = await next_of(bob, ChatEvent)
        print(
            f"chat: the backend sent an event; bob got {event.event_name!r} {dict(event.attributes)}"
        )
        if handler is not None:
            try:
                await alice.send_message("SPOILER: it ends well")
            except ChatRequestError as err:
                if err.error_code != ChatErrorCode.NOT_ACCEPTABLE:
                    raise
                print(
                    f"chat: the review handler rejected alice's spoiler ({err.error_code}: {err.error_message})"
                )
    client.delete_room(identifier=room)


async def next_of(chat: ChatClient, kind: type[T]) -> T:
    """The next item of one kind, skipping the others (each client sees the whole room)."""
    async for item in chat:
        if isinstance(item, kind):
            return item
    raise RuntimeError("the chat connection closed")


@contextlib.contextmanager
def target(
    aws_region: str | None,
) -> Iterator[tuple[IvsChatClient, str | None, LocalIvsChat | None]]:
    if aws_region:
        print(f"using real AWS IVS Chat in {aws_region}")
        with IvsChatClient(region_name=aws_region) as client:
            yield client, None, None
        return
    print("using the local IVS Chat (no AWS account needed)")
    with (
        mock_ivschat() as local,
        LocalServer(local) as server,
        IvsChatClient(region_name="us-west-2") as client,
    ):
        yield client, server.ws_url, local


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aws", metavar="REGION", help="run against real AWS in this region")
    args = parser.parse_args()
    with target(args.aws) as (client, chat_url, local):
        run(client)
        asyncio.run(chat(client, chat_url, local))
    print("done")


if __name__ == "__main__":
    main()
