"""A moderation bot: joins a chat room and deletes every message matching a pattern.

Against the local IVS Chat (default) it runs a short demo: it starts ivschat-local in process,
creates a room, lets a user send a few messages and shows the bot deleting the bad ones.
Against AWS it moderates a room of yours until Ctrl-C:

    python examples/moderation_bot.py
    python examples/moderation_bot.py --aws us-west-2 --room ROOM_ARN --pattern '(?i)buy now'
"""

from __future__ import annotations

import argparse
import asyncio
import re
from collections.abc import Callable

from ivschat_sdk import ChatToken, ChatTokenCapability, IvsChatClient, Room
from ivschat_sdk.local import LocalServer
from ivschat_sdk.messaging import ChatClient, ChatMessage, MessageDeletedEvent


def bot_tokens(client: IvsChatClient, room: Room | str) -> Callable[[], ChatToken]:
    """Fresh tokens for the bot: it may delete messages and nothing else."""
    return lambda: client.create_chat_token(
        room_identifier=room,
        user_id="moderation-bot",
        capabilities=[ChatTokenCapability.DELETE_MESSAGE],
    )


async def moderate(
    chat: ChatClient, pattern: re.Pattern[str], *, stop_after: int | None = None
) -> int:
    """Delete every message whose content matches; return how many were deleted."""
    deleted = 0
    async for item in chat:
        if isinstance(item, ChatMessage) and pattern.search(item.content):
            event = await chat.delete_message(item.id, reason=f"matched {pattern.pattern!r}")
            deleted += 1
            print(
                f"bot: deleted {item.id} from {item.sender.user_id}: {item.content!r} ({event.reason})"
            )
            if stop_after is not None and deleted >= stop_after:
                break
    return deleted


async def demo() -> None:
    with LocalServer() as server:
        client = IvsChatClient(
            region_name="us-west-2", endpoint_url=server.url,
            aws_access_key_id="local", aws_secret_access_key="local",
        )  # fmt: skip
        room = client.create_room(name="moderated")
        pattern = re.compile(r"(?i)buy now|free money")
        async with ChatClient(url=server.ws_url, token_provider=bot_tokens(client, room)) as bot:
            bot_task = asyncio.create_task(moderate(bot, pattern, stop_after=2))
            token = client.create_chat_token(
                room_identifier=room,
                user_id="visitor",
                capabilities=[ChatTokenCapability.SEND_MESSAGE],
            )
            async with ChatClient(url=server.ws_url, token=token) as visitor:
                for text in [
                    "hello everyone",
                    "BUY NOW cheap followers",
                    "nice stream",
                    "free money here",
                ]:
                    await visitor.send_message(text)
                    print(f"visitor: sent {text!r}")
                print(f"bot: deleted {await asyncio.wait_for(bot_task, 10)} messages")
                hidden = [i.message_id async for i in _deletions(visitor, 2)]
                print(f"visitor's client was told to hide {hidden}")


async def _deletions(chat: ChatClient, count: int):  # type: ignore[no-untyped-def]
    async for item in chat:
        if isinstance(item, MessageDeletedEvent):
            yield item
            count -= 1
            if count == 0:
                return


async def on_aws(region: str, room_arn: str, pattern: str) -> None:
    client = IvsChatClient(region_name=region)
    async with ChatClient(region=region, token_provider=bot_tokens(client, room_arn)) as bot:
        print(f"bot: moderating {room_arn} for {pattern!r}; Ctrl-C to stop")
        await moderate(bot, re.compile(pattern))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aws", metavar="REGION", help="moderate a room on AWS in this region")
    parser.add_argument("--room", help="the room's ARN (with --aws)")
    parser.add_argument("--pattern", default=r"(?i)buy now|free money", help="a regular expression")
    args = parser.parse_args()
    if args.aws:
        if not args.room:
            parser.error("--aws needs --room")
        asyncio.run(on_aws(args.aws, args.room, args.pattern))
    else:
        asyncio.run(demo())


if __name__ == "__main__":
    main()
