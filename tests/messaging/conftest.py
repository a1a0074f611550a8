"""Fixtures for the chat tests: a running ivschat-local and a room with token factories."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any, TypeVar

import attrs
import pytest

from ivschat_sdk import ChatToken, IvsChatClient, Room
from ivschat_sdk.local import LocalIvsChat, LocalServer
from ivschat_sdk.messaging import ChatClient, ChatItem

ALL = ["SEND_MESSAGE", "DELETE_MESSAGE", "DISCONNECT_USER"]
T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a test scenario on a fresh event loop, failing it after 20 seconds."""
    return asyncio.run(asyncio.wait_for(coroutine, 20))


async def next_item(client: ChatClient, timeout: float = 5) -> ChatItem:
    """The client's next item, failing the test if none arrives in time."""
    return await asyncio.wait_for(client.__anext__(), timeout)


async def nothing_arrives(client: ChatClient, wait: float = 0.3) -> bool:
    """True if the client receives nothing for `wait` seconds."""
    try:
        await asyncio.wait_for(client.__anext__(), wait)
    except asyncio.TimeoutError:
        return True
    return False


class Clock:
    """A clock the test moves by hand (starts at the real time, so timers stay sane)."""

    def __init__(self) -> None:
        self.now = datetime.now(timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@attrs.define
class Chat:
    """A server, a control-plane client on it, and a room."""

    server: LocalServer
    control: IvsChatClient
    room: Room
    clock: Clock
    provided: dict[str, int] = attrs.Factory(dict)

    @property
    def local(self) -> LocalIvsChat:
        return self.server.emulator

    def token(
        self, user: str, capabilities: list[str] | None = None, **kwargs: object
    ) -> ChatToken:
        return self.control.create_chat_token(
            room_identifier=self.room, user_id=user, capabilities=ALL if capabilities is None else capabilities,
            **kwargs,  # type: ignore[arg-type]
        )  # fmt: skip

    def provider(self, user: str, capabilities: list[str] | None = None) -> Callable[[], ChatToken]:
        """A token provider that counts its calls in `provided[user]`."""

        def provide() -> ChatToken:
            self.provided[user] = self.provided.get(user, 0) + 1
            return self.token(user, capabilities)

        return provide


@pytest.fixture
def chat() -> Iterator[Chat]:
    clock = Clock()
    with LocalServer(LocalIvsChat(clock=clock)) as server:
        control = IvsChatClient(
            region_name="us-west-2", endpoint_url=server.url,
            aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret",
        )  # fmt: skip
        yield Chat(
            server=server, control=control, room=control.create_room(name="chat"), clock=clock
        )
