"""Every operation of IvsChatClient, run against the local IVS Chat."""

from __future__ import annotations

import re
from datetime import timedelta, timezone
from typing import Any

import boto3
import pytest

from ivschat_sdk import (
    ChatToken,
    ChatTokenCapability,
    CloudWatchLogsDestinationConfiguration,
    ConflictError,
    FallbackResult,
    FirehoseDestinationConfiguration,
    IvsChatClient,
    LoggingConfiguration,
    LoggingConfigurationState,
    MessageReviewHandler,
    ParamValidationError,
    ResourceNotFoundError,
    Room,
    RoomSummary,
    S3DestinationConfiguration,
)
from ivschat_sdk.local import LocalIvsChat

LAMBDA = "arn:aws:lambda:us-west-2:123456789012:function:review"
ROOM_ARN = re.compile(r"arn:aws:ivschat:us-west-2:123456789012:room/[A-Za-z0-9]{12}")


def test_create_room_returns_typed_room_with_defaults(client: IvsChatClient) -> None:
    """A room created with no arguments carries the service's defaults and a real ARN."""
    room = client.create_room()
    assert isinstance(room, Room)
    assert ROOM_ARN.fullmatch(room.arn)
    assert room.arn.endswith("/" + room.id)
    assert room.name == ""
    assert room.maximum_message_length == 500
    assert room.maximum_message_rate_per_second == 10
    assert room.message_review_handler is None
    assert room.tags == {}
    assert room.logging_configuration_identifiers == ()
    assert room.create_time.tzinfo is timezone.utc
    assert room.create_time == room.update_time


def test_create_room_with_everything(client: IvsChatClient) -> None:
    """Every CreateRoom parameter reaches the service and comes back in the model."""
    config = client.create_logging_configuration(
        destination_configuration=S3DestinationConfiguration(bucket_name="chat-logs")
    )
    room = client.create_room(
        name="lobby-1",
        maximum_message_rate_per_second=100,
        maximum_message_length=1,
        message_review_handler=MessageReviewHandler(
            uri=LAMBDA, fallback_result=FallbackResult.DENY
        ),
        tags={"team": "video"},
        logging_configuration_identifiers=[config],
    )
    assert room.name == "lobby-1"
    assert room.maximum_message_rate_per_second == 100
    assert room.maximum_message_length == 1
    assert room.message_review_handler == MessageReviewHandler(uri=LAMBDA, fallback_result="DENY")
    assert room.message_review_handler.fallback_result is FallbackResult.DENY
    assert dict(room.tags) == {"team": "video"}
    assert room.logging_configuration_identifiers == (config.arn,)


def test_room_is_frozen_and_its_tags_read_only(client: IvsChatClient) -> None:
    """Models cannot be changed, not even through their tag mapping."""
    room = client.create_room(tags={"a": "1"})
    with pytest.raises(AttributeError):
        room.name = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        room.tags["b"] = "2"  # type: ignore[index]
    assert hash(room) == hash(client.get_room(identifier=room))


def test_get_room_accepts_model_summary_or_arn(client: IvsChatClient) -> None:
    """get_room takes a Room, a RoomSummary or the ARN string, and returns the same room."""
    room = client.create_room(name="r")
    summary = next(iter(client.list_rooms()))
    assert isinstance(summary, RoomSummary)
    assert client.get_room(identifier=room) == room
    assert client.get_room(identifier=summary) == room
    assert client.get_room(identifier=room.arn) == room


def test_update_room_changes_only_what_is_given(client: IvsChatClient, local: LocalIvsChat) -> None:
    """Parameters left out keep their values; updateTime moves forward."""
    room = client.create_room(name="before", maximum_message_length=100, tags={"k": "v"})
    updated = client.update_room(identifier=room, maximum_message_rate_per_second=5)
    assert updated.name == "before"
    assert updated.maximum_message_length == 100
    assert updated.maximum_message_rate_per_second == 5
    assert updated.tags == {"k": "v"}
    assert updated.update_time >= room.update_time
    assert updated.create_time == room.create_time


def test_update_room_removes_review_handler_with_empty_uri(client: IvsChatClient) -> None:
    """An empty handler URI disassociates the handler, as the API documents."""
    room = client.create_room(message_review_handler=MessageReviewHandler(uri=LAMBDA))
    assert room.message_review_handler == MessageReviewHandler(uri=LAMBDA, fallback_result="ALLOW")
    cleared = client.update_room(
        identifier=room, message_review_handler=MessageReviewHandler(uri="")
    )
    assert cleared.message_review_handler is None


def test_update_room_detaches_logging_configurations(client: IvsChatClient) -> None:
    """An empty list detaches every logging configuration."""
    config = client.create_logging_configuration(
        destination_configuration=FirehoseDestinationConfiguration(delivery_stream_name="s")
    )
    room = client.create_room(logging_configuration_identifiers=[config.arn])
    assert (
        client.update_room(
            identifier=room, logging_configuration_identifiers=[]
        ).logging_configuration_identifiers
        == ()
    )


def test_delete_room_then_get_raises_not_found(client: IvsChatClient) -> None:
    """A deleted room is gone: get_room raises ResourceNotFoundError naming it."""
    room = client.create_room()
    assert client.delete_room(identifier=room) is None
    with pytest.raises(ResourceNotFoundError) as info:
        client.get_room(identifier=room)
    assert info.value.resource_id == room.id
    assert info.value.resource_type == "ROOM"
    assert info.value.http_status == 404
    assert info.value.operation == "GetRoom"


def test_list_rooms_newest_update_first_with_filters(client: IvsChatClient) -> None:
    """ListRooms sorts by updateTime descending and filters by name, handler and config."""
    config = client.create_logging_configuration(
        destination_configuration=S3DestinationConfiguration(bucket_name="abc")
    )
    a = client.create_room(name="a")
    b = client.create_room(name="b", message_review_handler=MessageReviewHandler(uri=LAMBDA))
    c = client.create_room(name="a", logging_configuration_identifiers=[config])
    client.update_room(identifier=a, maximum_message_length=10)
    assert [r.arn for r in client.list_rooms()] == [a.arn, c.arn, b.arn]
    assert [r.arn for r in client.list_rooms(name="a")] == [a.arn, c.arn]
    assert [r.arn for r in client.list_rooms(message_review_handler_uri=LAMBDA)] == [b.arn]
    assert [r.arn for r in client.list_rooms(logging_configuration_identifier=config)] == [c.arn]
    assert [
        r.arn for r in client.list_rooms(name="a", logging_configuration_identifier=config)
    ] == [c.arn]
    assert list(client.list_rooms(name="none")) == []


def test_create_chat_token(client: IvsChatClient, local: LocalIvsChat) -> None:
    """A token is issued with one-minute validity and the asked session duration."""
    room = client.create_room()
    token = client.create_chat_token(
        room_identifier=room,
        user_id="alice",
        capabilities=[ChatTokenCapability.SEND_MESSAGE, "DELETE_MESSAGE"],
        session_duration_in_minutes=180,
        attributes={"displayName": "Alice"},
    )
    assert isinstance(token, ChatToken)
    lifetime = token.token_expiration_time - token.session_expiration_time + timedelta(minutes=180)
    assert timedelta(seconds=59) <= lifetime <= timedelta(seconds=61)
    session = local.redeem_chat_token(token.token)
    assert session is not None
    assert session.user_id == "alice"
    assert session.capabilities == ("SEND_MESSAGE", "DELETE_MESSAGE")
    assert session.attributes == {"displayName": "Alice"}
    assert session.room_arn == room.arn


def test_create_chat_token_for_missing_room(client: IvsChatClient) -> None:
    """A token for a deleted room is refused with ResourceNotFoundError."""
    room = client.create_room()
    client.delete_room(identifier=room)
    with pytest.raises(ResourceNotFoundError):
        client.create_chat_token(room_identifier=room, user_id="u")


def test_send_event_delete_message_disconnect_user(client: IvsChatClient) -> None:
    """The messaging operations of the control plane return their 12-character ids."""
    room = client.create_room()
    event_id = client.send_event(room_identifier=room, event_name="app:poll", attributes={"q": "1"})
    assert re.fullmatch(r"[A-Za-z0-9]{12}", event_id)
    delete_id = client.delete_message(room_identifier=room, id="AbCdEfGh1234", reason="spam")
    assert re.fullmatch(r"[A-Za-z0-9]{12}", delete_id)
    assert delete_id != event_id
    assert client.disconnect_user(room_identifier=room, user_id="bob", reason="rude") is None


@pytest.mark.parametrize(
    "call",
    [
        lambda c, arn: c.send_event(room_identifier=arn, event_name="e"),
        lambda c, arn: c.delete_message(room_identifier=arn, id="AbCdEfGh1234"),
        lambda c, arn: c.disconnect_user(room_identifier=arn, user_id="u"),
        lambda c, arn: c.update_room(identifier=arn, name="x"),
        lambda c, arn: c.delete_room(identifier=arn),
    ],
)
def test_room_operations_on_missing_room(client: IvsChatClient, call: Any) -> None:
    """Each room operation raises ResourceNotFoundError for a room that does not exist."""
    with pytest.raises(ResourceNotFoundError):
        call(client, "arn:aws:ivschat:us-west-2:123456789012:room/AAAAAAAAAAAA")


def test_tags_round_trip_on_rooms_and_logging_configurations(client: IvsChatClient) -> None:
    """Tags can be added, listed and removed on both kinds of resource."""
    room = client.create_room(tags={"a": "1"})
    config = client.create_logging_configuration(
        destination_configuration=S3DestinationConfiguration(bucket_name="abc"), tags={"x": "y"}
    )
    client.tag_resource(resource_arn=room, tags={"b": "2", "a": "3"})
    assert client.list_tags_for_resource(resource_arn=room.arn) == {"a": "3", "b": "2"}
    client.untag_resource(resource_arn=room, tag_keys=["a", "missing"])
    assert client.list_tags_for_resource(resource_arn=room) == {"b": "2"}
    assert client.get_room(identifier=room).tags == {"b": "2"}
    client.tag_resource(resource_arn=config, tags={"k:2": "a b/c&d=e"})
    client.untag_resource(resource_arn=config, tag_keys=["x"])
    assert client.list_tags_for_resource(resource_arn=config) == {"k:2": "a b/c&d=e"}


def test_tag_keys_with_reserved_characters(client: IvsChatClient) -> None:
    """Keys the clients percent-encode in the query string are removed exactly."""
    keys = ["k:2", "a~b", "a*b", "ä", "a+b", "a'b(c)!", "a b/c&d=e"]
    room = client.create_room(tags=dict.fromkeys(keys, "v") | {"keep": "me"})
    client.untag_resource(resource_arn=room, tag_keys=keys)
    assert client.list_tags_for_resource(resource_arn=room) == {"keep": "me"}


def test_tagging_more_than_50_in_all_is_refused(client: IvsChatClient) -> None:
    """A resource holds at most 50 tags; a request that would exceed it changes nothing."""
    from ivschat_sdk import ValidationError

    room = client.create_room(tags={f"k{i}": "v" for i in range(40)})
    with pytest.raises(ValidationError):
        client.tag_resource(resource_arn=room, tags={f"n{i}": "v" for i in range(11)})
    assert len(client.list_tags_for_resource(resource_arn=room)) == 40


def test_logging_configuration_lifecycle(client: IvsChatClient) -> None:
    """Create, get, update, list and delete a logging configuration."""
    config = client.create_logging_configuration(
        name="logs",
        destination_configuration=CloudWatchLogsDestinationConfiguration(
            log_group_name="/ivs/chat"
        ),
        tags={"env": "test"},
    )
    assert isinstance(config, LoggingConfiguration)
    assert config.state is LoggingConfigurationState.ACTIVE
    assert re.fullmatch(
        r"arn:aws:ivschat:us-west-2:123456789012:logging-configuration/[A-Za-z0-9]{12}", config.arn
    )
    assert client.get_logging_configuration(identifier=config) == config
    updated = client.update_logging_configuration(
        identifier=config, destination_configuration=S3DestinationConfiguration(bucket_name="b-1.x")
    )
    assert updated.destination_configuration == S3DestinationConfiguration(bucket_name="b-1.x")
    assert updated.name == "logs"
    [summary] = client.list_logging_configurations()
    assert summary.arn == config.arn
    assert summary.destination_configuration == updated.destination_configuration
    client.delete_logging_configuration(identifier=config)
    with pytest.raises(ResourceNotFoundError):
        client.get_logging_configuration(identifier=config)


def test_logging_configuration_in_use_cannot_be_deleted(client: IvsChatClient) -> None:
    """The local IVS Chat refuses (409) to delete a configuration a room still uses."""
    config = client.create_logging_configuration(
        destination_configuration=S3DestinationConfiguration(bucket_name="abc")
    )
    room = client.create_room(logging_configuration_identifiers=[config])
    with pytest.raises(ConflictError) as info:
        client.delete_logging_configuration(identifier=config)
    assert info.value.resource_id == config.id
    client.update_room(identifier=room, logging_configuration_identifiers=[])
    client.delete_logging_configuration(identifier=config)


def test_room_with_missing_logging_configuration_is_not_created(client: IvsChatClient) -> None:
    """A room naming an unknown logging configuration fails with 404 and is not created."""
    missing = "arn:aws:ivschat:us-west-2:123456789012:logging-configuration/AAAAAAAAAAAA"
    with pytest.raises(ResourceNotFoundError):
        client.create_room(logging_configuration_identifiers=[missing])
    assert list(client.list_rooms()) == []


def test_wraps_existing_boto3_client(local: LocalIvsChat) -> None:
    """A user's boto3 client can be wrapped, and timestamps are still UTC."""
    raw = boto3.client("ivschat", region_name="eu-west-1")
    client = IvsChatClient(boto3_client=raw)
    room = client.create_room(name="wrapped")
    assert room.arn.startswith("arn:aws:ivschat:eu-west-1:")
    assert room.create_time.tzinfo is timezone.utc
    assert client.boto3_client is raw
    client.close()
    assert raw.get_room(identifier=room.arn)["name"] == "wrapped"


def test_wrapping_refuses_other_arguments_and_other_services(local: LocalIvsChat) -> None:
    """boto3_client excludes the building arguments and must be an ivschat client."""
    raw = boto3.client("ivschat", region_name="eu-west-1")
    with pytest.raises(ParamValidationError, match="either boto3_client"):
        IvsChatClient(boto3_client=raw, region_name="us-east-1")
    with pytest.raises(ParamValidationError, match="ivschat client"):
        IvsChatClient(boto3_client=boto3.client("sqs", region_name="us-east-1"))  # type: ignore[arg-type]


def test_client_from_session_keeps_session_parser(local: LocalIvsChat) -> None:
    """Building a client from a user's session does not change that session's other clients."""
    session = boto3.Session(region_name="us-west-2")
    before = session._session.get_component("response_parser_factory")
    IvsChatClient(boto3_session=session)
    assert session._session.get_component("response_parser_factory") is before


def test_state_is_per_region_and_account(local: LocalIvsChat) -> None:
    """Rooms live in the region and account that created them."""
    west = IvsChatClient(region_name="us-west-2")
    east = IvsChatClient(region_name="us-east-1")
    other_account = IvsChatClient(
        region_name="us-west-2", aws_access_key_id="210987654321", aws_secret_access_key="x"
    )
    room = west.create_room()
    assert [r.arn for r in west.list_rooms()] == [room.arn]
    assert list(east.list_rooms()) == []
    assert list(other_account.list_rooms()) == []
    assert other_account.create_room().arn.startswith(
        "arn:aws:ivschat:us-west-2:210987654321:room/"
    )
