"""Timestamps: UTC on every host, and the fast parser agrees with botocore's."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest
from botocore.utils import parse_timestamp as botocore_parse

from ivschat_sdk import IvsChatClient
from ivschat_sdk._timestamps import format_timestamp, parse_timestamp


@pytest.fixture
def new_york_tz() -> Iterator[None]:
    """Run the test with the process in a non-UTC local zone."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    try:
        yield
    finally:
        if old is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = old
        time.tzset()


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-27T04:54:01.984Z",
        "2026-11-27T04:54:01Z",
        "2026-11-27T04:54:01.984653Z",
        "2022-12-02T08:21:20.754555595Z",
        "2026-11-27T04:54:01+00:00",
        "2026-11-27T06:54:01.5+02:00",
        "2026-11-27T04:54:01",
        "1795755241",
    ],
)
def test_fast_parser_matches_botocore(text: str) -> None:
    """Every form botocore parses gives the same instant, always as aware UTC."""
    ours = parse_timestamp(text)
    theirs = botocore_parse(text)
    if theirs.tzinfo is None:
        theirs = theirs.replace(tzinfo=timezone.utc)
    assert ours.tzinfo is timezone.utc
    assert abs(ours - theirs) < timedelta(microseconds=1)


def test_epoch_numbers_are_utc() -> None:
    """Epoch numbers parse to UTC, not the host's local zone."""
    assert parse_timestamp(0) == datetime(1970, 1, 1, tzinfo=timezone.utc)
    assert parse_timestamp(1.5).tzinfo is timezone.utc


def test_format_is_rfc3339_utc_milliseconds() -> None:
    """The emulator's wire format: milliseconds and Z, whatever the input zone."""
    when = datetime(2026, 1, 2, 5, 4, 3, 987654, tzinfo=timezone(timedelta(hours=2)))
    assert format_timestamp(when) == "2026-01-02T03:04:03.987Z"


def test_models_are_utc_under_a_non_utc_zone(new_york_tz: None, client: IvsChatClient) -> None:
    """Room and token times are aware UTC even when the host's zone is New York."""
    before = datetime.now(timezone.utc) - timedelta(seconds=1)
    room = client.create_room()
    token = client.create_chat_token(room_identifier=room, user_id="u")
    for value in (room.create_time, room.update_time, token.token_expiration_time):
        assert value.tzinfo is timezone.utc
        assert value.utcoffset() == timedelta(0)
    assert before <= room.create_time <= datetime.now(timezone.utc)


def test_wrapped_client_times_are_utc_in_a_fresh_process() -> None:
    """A user's own boto3 client (dateutil parser, tzlocal) still yields UTC models."""
    code = (
        "import boto3, datetime\n"
        "from ivschat_sdk import IvsChatClient\n"
        "from ivschat_sdk.testing import mock_ivschat\n"
        "with mock_ivschat():\n"
        "    c = IvsChatClient(boto3_client=boto3.client('ivschat', region_name='us-west-2'))\n"
        "    r = c.create_room()\n"
        "    assert r.create_time.tzinfo is datetime.timezone.utc, r.create_time.tzinfo\n"
        "    print('ok')\n"
    )
    env = dict(os.environ, TZ="Asia/Tokyo")
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
