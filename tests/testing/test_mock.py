"""mock_ivschat(): routing every boto3 ivschat client to the local IVS Chat."""

from __future__ import annotations

import asyncio
import os

import boto3
import pytest

from ivschat_sdk import IvsChatClient
from ivschat_sdk.local import LocalIvsChat
from ivschat_sdk.testing import FAKE_CREDENTIALS, MockIvsChat, mock_ivschat


def test_context_manager_yields_the_emulator() -> None:
    """`with mock_ivschat() as local` gives the emulator the clients talk to."""
    with mock_ivschat() as local:
        assert isinstance(local, LocalIvsChat)
        boto3.client("ivschat", region_name="us-west-2").create_room(name="x")
        assert local.call_counts["CreateRoom"] == 1


def test_bare_and_called_decorators() -> None:
    """@mock_ivschat and @mock_ivschat() both run the function with the mock active."""

    @mock_ivschat
    def bare() -> str:
        return str(boto3.client("ivschat", region_name="us-west-2").create_room(name="a")["name"])

    @mock_ivschat()
    def called() -> int:
        return len(boto3.client("ivschat", region_name="us-west-2").list_rooms()["rooms"])

    assert bare() == "a"
    assert called() == 0  # each activation starts from a fresh emulator


def test_async_functions_can_be_decorated() -> None:
    """An async test function keeps the mock active across its awaits."""

    @mock_ivschat
    async def body() -> str:
        await asyncio.sleep(0)
        return str(boto3.client("ivschat", region_name="us-west-2").create_room(name="z")["name"])

    assert asyncio.run(body()) == "z"


def test_credentials_are_faked_then_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials are set while active; the previous environment comes back after."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "real-key")
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    with mock_ivschat():
        for name, value in FAKE_CREDENTIALS.items():
            assert os.environ[name] == value
    assert os.environ["AWS_ACCESS_KEY_ID"] == "real-key"
    assert "AWS_SESSION_TOKEN" not in os.environ


def test_works_without_any_aws_configuration(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No credentials file, no profile, no keys: the mock still answers."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path) + "/none")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path) + "/none")
    with mock_ivschat():
        assert (
            IvsChatClient(region_name="eu-central-1")
            .create_room()
            .arn.startswith("arn:aws:ivschat:eu-central-1:123456789012:room/")
        )


def test_nested_mocks_use_the_innermost() -> None:
    """An inner activation shadows the outer one until it exits."""
    outer_emulator, inner_emulator = LocalIvsChat(), LocalIvsChat()
    with mock_ivschat(emulator=outer_emulator):
        client = boto3.client("ivschat", region_name="us-west-2")
        with mock_ivschat(emulator=inner_emulator):
            client.create_room()
        client.create_room()
        client.create_room()
    assert inner_emulator.call_counts["CreateRoom"] == 1
    assert outer_emulator.call_counts["CreateRoom"] == 2


def test_same_mock_object_is_reentrant() -> None:
    """One MockIvsChat can be entered again while active."""
    mock = MockIvsChat()
    with mock as first, mock as second:
        assert first is not second
        boto3.client("ivschat", region_name="us-west-2").create_room()
        assert second.call_counts["CreateRoom"] == 1


def test_inside_moto_mock_aws() -> None:
    """Inside moto's mock_aws(), ivschat goes to the local IVS Chat and S3 to moto."""
    moto = pytest.importorskip("moto")
    with moto.mock_aws(), mock_ivschat() as local:
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="chat-logs")
        client = IvsChatClient(region_name="us-east-1")
        room = client.create_room(name="with-moto")
        assert client.get_room(identifier=room).name == "with-moto"
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["chat-logs"]
        assert local.call_counts["CreateRoom"] == 1


def test_outside_the_mock_requests_are_not_intercepted() -> None:
    """With no mock active the handler lets the request go out (here: to a closed port)."""
    from ivschat_sdk import APIConnectionError

    client = IvsChatClient(
        region_name="us-west-2", endpoint_url="http://127.0.0.1:9",
        aws_access_key_id="a", aws_secret_access_key="b", max_attempts=1,
    )  # fmt: skip
    with pytest.raises(APIConnectionError):
        client.create_room()
