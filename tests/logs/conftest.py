"""Helpers of the chat-log tests: a room's records, and boto3 clients inside moto."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import pytest

from ivschat_sdk.logs import format_log_record, parse_log_record
from ivschat_sdk.messaging import (
    ChatEvent,
    ChatItem,
    ChatMessage,
    MessageDeletedEvent,
    Sender,
    UserDisconnectedEvent,
)

UTC = timezone.utc
REGION = "us-west-2"
ACCOUNT = "123456789012"
ROOM_ID = "g1H2I3j4k5L6"
ROOM_ARN = f"arn:aws:ivschat:{REGION}:{ACCOUNT}:room/{ROOM_ID}"


def conversation(start: datetime) -> list[ChatItem]:
    """A short chat, one item a second from ``start``: said, deleted, kicked, an app event.

    The items are as a reader gives them back (system events with the service's attributes).
    """
    alice = Sender(user_id="alice", attributes={"displayName": "Alice"})
    bob = Sender(user_id="bob")

    def at(second: int) -> datetime:
        return start + timedelta(seconds=second, microseconds=123456)

    said: list[ChatItem] = [
        ChatMessage(id="m1", content="hello", send_time=at(0), sender=alice),
        ChatMessage(id="m2", content="buy cheap stuff", send_time=at(1), sender=bob),
        MessageDeletedEvent(id="e1", message_id="m2", reason="spam", send_time=at(2)),
        ChatEvent(id="e2", event_name="app:poll-started", attributes={"q": "?"}, send_time=at(3)),
        ChatMessage(id="m3", content="still here", send_time=at(4), sender=bob),
        UserDisconnectedEvent(id="e3", user_id="bob", reason="rude", send_time=at(5)),
        ChatMessage(id="m4", content="bye", send_time=at(6), sender=alice),
    ]
    # As read back: system events carry the attributes the service sends.
    return [parse_log_record(format_log_record(item)).item for item in said]  # type: ignore[misc]


def ndjson(items: list[ChatItem]) -> bytes:
    """Items as the service's log lines, newline-terminated."""
    return "".join(format_log_record(item) + "\n" for item in items).encode()


def gzipped(items: list[ChatItem]) -> bytes:
    """Items as a gzip NDJSON object."""
    return gzip.compress(ndjson(items))


class Spy:
    """A boto3 client that counts calls and pages one entry at a time (to test pagination)."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.calls: dict[str, int] = {}

    def __getattr__(self, name: str) -> Any:
        self.calls[name] = self.calls.get(name, 0) + 1
        return getattr(self.client, name)

    def get_paginator(self, name: str) -> Any:
        """A paginator whose pages hold one entry each."""
        paginator = self.client.get_paginator(name)
        spy = self

        class OnePerPage:
            def paginate(self, **kwargs: Any) -> Iterator[Any]:
                for page in paginator.paginate(**kwargs, PaginationConfig={"PageSize": 1}):
                    spy.calls["page"] = spy.calls.get("page", 0) + 1
                    yield page

        return OnePerPage()


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[boto3.Session]:
    """A boto3 session inside moto's mock_aws(), with fake credentials."""
    from moto import mock_aws

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    with mock_aws():
        yield boto3.Session(region_name=REGION)
