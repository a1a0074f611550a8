"""AsyncIvsChatClient: the same operations, models, errors and pagination as IvsChatClient."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import boto3
import pytest
import pytest_asyncio
from aiobotocore.session import AioSession

from ivschat_sdk import (
    AsyncIvsChatClient,
    AsyncPaginator,
    ChatTokenCapability,
    InternalServerError,
    IvsChatClient,
    IvsChatError,
    MessageReviewHandler,
    Page,
    ParamValidationError,
    ResourceNotFoundError,
    S3DestinationConfiguration,
    ThrottlingError,
    ValidationError,
)
from ivschat_sdk.local import LocalIvsChat

REGION = "us-west-2"
MISSING_ROOM = "arn:aws:ivschat:us-west-2:123456789012:room/AbCdEfGh1234"
ROOT = Path(__file__).resolve().parent.parent


@pytest_asyncio.fixture
async def aclient(local: LocalIvsChat) -> AsyncIterator[AsyncIvsChatClient]:
    """Our async client, on the in-process local IVS Chat."""
    async with AsyncIvsChatClient(region_name=REGION) as client:
        yield client


def test_generated_sync_client_is_current() -> None:
    """_client.py is exactly what scripts/unasync.py generates from _async_client.py."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "unasync.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_same_operations_and_signatures() -> None:
    """Both clients have the same public methods with the same parameters."""
    import inspect

    def methods(cls: type) -> dict[str, list[str]]:
        return {
            name: list(inspect.signature(getattr(cls, name)).parameters)
            for name in dir(cls)
            if not name.startswith("_") and callable(getattr(cls, name))
        }

    sync, async_ = methods(IvsChatClient), methods(AsyncIvsChatClient)
    operations = {name for name in sync if name not in ("close",)}
    assert len(operations) == 17
    assert {name: sync[name] for name in operations} == {name: async_[name] for name in operations}


@pytest.mark.asyncio
async def test_parity_models(client: IvsChatClient, aclient: AsyncIvsChatClient) -> None:
    """One scenario through both clients: what each returns for the same state is equal."""
    config = await aclient.create_logging_configuration(
        name="logs", destination_configuration=S3DestinationConfiguration(bucket_name="bucket")
    )
    room = await aclient.create_room(
        name="lobby",
        maximum_message_length=200,
        tags={"app": "web"},
        message_review_handler=MessageReviewHandler(
            uri="arn:aws:lambda:us-west-2:123456789012:function:f"
        ),
        logging_configuration_identifiers=[config],
    )
    assert client.get_room(identifier=room) == room == await aclient.get_room(identifier=room.arn)
    assert client.get_logging_configuration(identifier=config) == config
    assert await aclient.get_logging_configuration(identifier=config.arn) == config
    assert list(client.list_rooms()) == [r async for r in aclient.list_rooms()]
    assert list(client.list_logging_configurations()) == [
        c async for c in aclient.list_logging_configurations()
    ]
    assert await aclient.list_tags_for_resource(resource_arn=room) == {"app": "web"}
    await aclient.tag_resource(resource_arn=room, tags={"k": "v"})
    await aclient.untag_resource(resource_arn=room, tag_keys=["app"])
    assert client.list_tags_for_resource(resource_arn=room) == {"k": "v"}
    updated = await aclient.update_room(identifier=room, name="renamed")
    assert updated == client.get_room(identifier=room)
    token = await aclient.create_chat_token(
        room_identifier=room, user_id="u", capabilities=[ChatTokenCapability.SEND_MESSAGE]
    )
    assert token.token and token.token_expiration_time.tzinfo is not None
    assert len(await aclient.send_event(room_identifier=room, event_name="e")) == 12
    assert len(await aclient.delete_message(room_identifier=room, id="AbCdEfGh1234")) == 12
    assert await aclient.disconnect_user(room_identifier=room, user_id="u") is None
    await aclient.update_room(identifier=room, logging_configuration_identifiers=[])
    assert await aclient.delete_room(identifier=room) is None
    await aclient.delete_logging_configuration(identifier=config)
    assert list(client.list_rooms()) == []


def _error_fields(error: BaseException) -> tuple[Any, ...]:
    return (
        type(error),
        getattr(error, "code", None),
        getattr(error, "resource_id", None),
        getattr(error, "resource_type", None),
        getattr(error, "limit", None),
        getattr(error, "reason", None),
        getattr(error, "field_list", None),
        getattr(error, "problems", None),
    )


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("sync_call", "async_call", "error"),
    [
        (
            lambda c: c.get_room(identifier=MISSING_ROOM),
            lambda c: c.get_room(identifier=MISSING_ROOM),
            ResourceNotFoundError,
        ),
        (
            lambda c: c.create_room(maximum_message_length=501),
            lambda c: c.create_room(maximum_message_length=501),
            ParamValidationError,
        ),
        (
            lambda c: c.create_room(message_review_handler="arn:aws:lambda:x"),
            lambda c: c.create_room(message_review_handler="arn:aws:lambda:x"),
            ParamValidationError,
        ),
        (
            lambda c: c.get_room(identifier="AbCdEfGh1234"),
            lambda c: c.get_room(identifier="AbCdEfGh1234"),
            ParamValidationError,
        ),
    ],
)
async def test_parity_errors(
    sync_call: Any, async_call: Any, error: type[Exception], client: IvsChatClient, aclient: Any
) -> None:
    """The same mistake raises the same error class with the same fields from both clients."""
    with pytest.raises(error) as sync_info:
        sync_call(client)
    with pytest.raises(error) as async_info:
        await async_call(aclient)
    assert _error_fields(sync_info.value) == _error_fields(async_info.value)


@pytest.mark.asyncio
async def test_service_validation_error_has_its_fields(raw: Any, local: LocalIvsChat) -> None:
    """A ValidationException the service answers carries reason and fieldList in both."""
    wrapped = IvsChatClient(boto3_client=raw)
    local.fail_next("GetRoom", error="ValidationException")
    with pytest.raises(ValidationError) as sync_info:
        wrapped.get_room(identifier=MISSING_ROOM)
    local.fail_next("GetRoom", error="ValidationException")
    async with AsyncIvsChatClient(region_name=REGION) as aclient:
        with pytest.raises(ValidationError) as async_info:
            await aclient.get_room(identifier=MISSING_ROOM)
    assert _error_fields(sync_info.value) == _error_fields(async_info.value)


@pytest.mark.asyncio
async def test_async_paginator_is_lazy_and_pages(
    aclient: AsyncIvsChatClient, local: LocalIvsChat
) -> None:
    """Nothing is requested until iterated; pages(), page_size and max_items work."""
    arns = [(await aclient.create_room(name=f"r{i}")).arn for i in range(5)][::-1]
    local.call_counts.clear()
    paginator = aclient.list_rooms(page_size=2)
    assert isinstance(paginator, AsyncPaginator)
    assert local.call_counts["ListRooms"] == 0
    pages = [page async for page in paginator.pages()]
    assert all(isinstance(p, Page) for p in pages)
    assert [len(p.items) for p in pages] == [2, 2, 1]
    assert pages[-1].next_token is None
    assert [r.arn for p in pages for r in p.items] == arns
    capped = [r.arn async for r in aclient.list_rooms(page_size=2, max_items=3)]
    assert capped == arns[:3]
    resumed = [r.arn async for r in aclient.list_rooms(starting_token=pages[0].next_token)]
    assert resumed == arns[2:]


@pytest.mark.asyncio
async def test_arguments_are_checked_at_the_call(aclient: AsyncIvsChatClient) -> None:
    """A bad page size or filter fails when list_rooms() is called, not when iterated."""
    with pytest.raises(ParamValidationError, match="page_size"):
        aclient.list_rooms(page_size=51)
    with pytest.raises(ParamValidationError, match="max_items"):
        aclient.list_rooms(max_items=0)
    with pytest.raises(ParamValidationError, match="name"):
        aclient.list_rooms(name="bad name")


@pytest.mark.asyncio
async def test_starting_token_none_does_not_restart(
    client: IvsChatClient, aclient: AsyncIvsChatClient
) -> None:
    """Resuming after a last page (next_token None) yields nothing, in both paginators."""
    for i in range(3):
        client.create_room(name=f"r{i}")
    last = list(client.list_rooms().pages())[-1]
    assert last.next_token is None
    assert list(client.list_rooms(starting_token=last.next_token)) == []
    assert [r async for r in aclient.list_rooms(starting_token=last.next_token)] == []
    assert len(list(client.list_rooms())) == 3  # left out: from the first page


@pytest.mark.asyncio
async def test_unopened_and_closed_clients_raise_ivschat_error(local: LocalIvsChat) -> None:
    """Outside `async with`, or after close, a call raises a clear IvsChatError."""
    client = AsyncIvsChatClient(region_name=REGION)
    with pytest.raises(IvsChatError, match="not open"):
        await client.create_room()
    with pytest.raises(IvsChatError, match="not open"):
        [r async for r in client.list_rooms()]
    async with client:
        await client.create_room()
    with pytest.raises(IvsChatError, match="closed"):
        await client.create_room()
    with pytest.raises(IvsChatError, match="closed"):
        async with client:
            pass
    await client.close()  # idempotent


@pytest.mark.asyncio
async def test_wraps_an_open_aiobotocore_client(local: LocalIvsChat) -> None:
    """A user's own aiobotocore client is routed by mock_ivschat and wrapped as it is."""
    async with AioSession().create_client("ivschat", region_name="eu-west-1") as raw:
        client = AsyncIvsChatClient(aiobotocore_client=raw)
        room = await client.create_room(name="wrapped")
        assert room.arn.startswith("arn:aws:ivschat:eu-west-1:")
        assert client.aiobotocore_client is raw
        await client.close()
        assert (await raw.get_room(identifier=room.arn))["name"] == "wrapped"
    with pytest.raises(ParamValidationError, match="aiobotocore_client"):
        AsyncIvsChatClient(aiobotocore_client=raw, region_name="us-east-1")


@pytest.mark.asyncio
async def test_retries_are_botocore_s_with_the_same_veto(
    local: LocalIvsChat, aclient: AsyncIvsChatClient, retry_delays: list[float]
) -> None:
    """Throttling is retried; a 5xx on a creation is not (one request), as in the sync client."""
    local.fail_next("ListRooms", count=2)
    assert [r async for r in aclient.list_rooms()] == []
    assert local.call_counts["ListRooms"] == 3
    local.fail_next("CreateRoom", error="InternalServerException")
    with pytest.raises(InternalServerError):
        await aclient.create_room()
    assert local.call_counts["CreateRoom"] == 1
    local.fail_next("GetRoom", count=5)
    with pytest.raises(ThrottlingError):
        await aclient.get_room(identifier=MISSING_ROOM)
    assert local.call_counts["GetRoom"] == 3
    retries = aclient.aiobotocore_client.meta.config.retries
    assert retries is not None
    assert retries["mode"] == "standard"
    assert retries["total_max_attempts"] == 3


@pytest.mark.asyncio
async def test_timestamps_parsed_fast_and_utc(aclient: AsyncIvsChatClient) -> None:
    """The async client's parser uses the SDK's timestamp parser (aware UTC datetimes)."""
    from datetime import timezone

    from ivschat_sdk._timestamps import parse_timestamp

    room = await aclient.create_room()
    assert room.create_time.tzinfo is timezone.utc
    parser = aclient.aiobotocore_client._endpoint._response_parser_factory
    assert parser._defaults["timestamp_parser"] is parse_timestamp


@pytest.mark.asyncio
async def test_inside_moto_mock_aws() -> None:
    """mock_ivschat routes the async client inside moto's mock_aws(), as it does boto3's."""
    from moto import mock_aws

    from ivschat_sdk.testing import mock_ivschat

    with mock_aws(), mock_ivschat() as local:
        async with AsyncIvsChatClient(region_name=REGION) as client:
            await client.create_room(name="moto")
        assert local.call_counts["CreateRoom"] == 1
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="chat-logs")  # moto still answers S3
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["chat-logs"]


@pytest.mark.asyncio
async def test_token_from_in_process_opens_a_served_chat(local_ivschat_server: Any) -> None:
    """One emulator in process and over HTTP: a token made in process opens a WebSocket."""
    from ivschat_sdk.messaging import ChatClient

    async with AsyncIvsChatClient(region_name=REGION) as client:
        room = await client.create_room()
        token = await client.create_chat_token(room_identifier=room, user_id="u")
    async with ChatClient(token=token, url=local_ivschat_server.ws_url) as chat:
        assert chat.state.value == "CONNECTED"
