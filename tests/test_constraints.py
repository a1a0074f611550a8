"""Validation of every constrained parameter, on both sides.

Each case is checked twice: our client must refuse it before the network with a
ParamValidationError naming the parameter and the limit; and the local IVS Chat must answer
the same request, sent raw, with a ValidationException whose fieldList names the field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import pytest

from ivschat_sdk import (
    CloudWatchLogsDestinationConfiguration,
    FirehoseDestinationConfiguration,
    IvsChatClient,
    MessageReviewHandler,
    ParamValidationError,
    S3DestinationConfiguration,
)
from ivschat_sdk.local import LocalIvsChat

from .conftest import wire_request

ROOM = "arn:aws:ivschat:us-west-2:123456789012:room/AbCdEfGh1234"
CONFIG = "arn:aws:ivschat:us-west-2:123456789012:logging-configuration/AbCdEfGh1234"
LAMBDA = "arn:aws:lambda:us-west-2:123456789012:function:review"
BIG_ATTRIBUTES = {"k": "x" * 1024}
S3 = {"s3": {"bucketName": "abc"}}


@attrs.frozen
class Case:
    """One constraint: how our client is called, and the same request on the wire."""

    id: str
    call: Callable[[IvsChatClient], object]
    param: str  # the name our error gives
    fragment: str  # a piece of the message that names the limit
    operation: str
    wire: dict[str, Any]
    field: str  # the name the service's fieldList gives


CASES = [
    Case("room name too long", lambda c: c.create_room(name="a" * 129), "name", "at most 128",
         "CreateRoom", {"name": "a" * 129}, "name"),
    Case("room name pattern", lambda c: c.create_room(name="bad name!"), "name", "letters, digits, hyphens and underscores",
         "CreateRoom", {"name": "bad name!"}, "name"),
    Case("message length above 500", lambda c: c.create_room(maximum_message_length=501),
         "maximum_message_length", "at most 500", "CreateRoom", {"maximumMessageLength": 501},
         "maximumMessageLength"),
    Case("message length below 1", lambda c: c.create_room(maximum_message_length=0),
         "maximum_message_length", "at least 1", "CreateRoom", {"maximumMessageLength": 0},
         "maximumMessageLength"),
    Case("message rate above 100", lambda c: c.update_room(identifier=ROOM, maximum_message_rate_per_second=101),
         "maximum_message_rate_per_second", "at most 100", "UpdateRoom",
         {"identifier": ROOM, "maximumMessageRatePerSecond": 101}, "maximumMessageRatePerSecond"),
    Case("message rate below 1", lambda c: c.create_room(maximum_message_rate_per_second=0),
         "maximum_message_rate_per_second", "at least 1", "CreateRoom",
         {"maximumMessageRatePerSecond": 0}, "maximumMessageRatePerSecond"),
    Case("handler uri pattern", lambda c: c.create_room(message_review_handler=MessageReviewHandler(uri="https://x")),
         "message_review_handler.uri", "a Lambda function ARN", "CreateRoom",
         {"messageReviewHandler": {"uri": "https://x"}}, "messageReviewHandler.uri"),
    Case("handler uri too long", lambda c: c.create_room(message_review_handler=MessageReviewHandler(uri=LAMBDA + "x" * 150)),
         "message_review_handler.uri", "at most 170", "CreateRoom",
         {"messageReviewHandler": {"uri": LAMBDA + "x" * 150}}, "messageReviewHandler.uri"),
    Case("fallback enum", lambda c: c.create_room(message_review_handler=MessageReviewHandler(uri=LAMBDA, fallback_result="MAYBE")),
         "message_review_handler.fallback_result", "one of ALLOW, DENY", "CreateRoom",
         {"messageReviewHandler": {"uri": LAMBDA, "fallbackResult": "MAYBE"}},
         "messageReviewHandler.fallbackResult"),
    Case("51 tags", lambda c: c.create_room(tags={f"k{i}": "v" for i in range(51)}), "tags",
         "at most 50 entries", "CreateRoom", {"tags": {f"k{i}": "v" for i in range(51)}}, "tags"),
    Case("tag key too long", lambda c: c.tag_resource(resource_arn=ROOM, tags={"k" * 129: "v"}),
         "tags", "at most 128", "TagResource", {"resourceArn": ROOM, "tags": {"k" * 129: "v"}},
         "tags"),
    Case("tag key empty", lambda c: c.create_room(tags={"": "v"}), "tags", "key '' must be at least 1",
         "CreateRoom", {"tags": {"": "v"}}, "tags"),
    Case("tag value too long", lambda c: c.create_room(tags={"k": "v" * 257}), "tags['k']",
         "at most 256", "CreateRoom", {"tags": {"k": "v" * 257}}, "tags['k']"),
    Case("4 logging configurations", lambda c: c.create_room(logging_configuration_identifiers=[CONFIG] * 4),
         "logging_configuration_identifiers", "at most 3 items", "CreateRoom",
         {"loggingConfigurationIdentifiers": [CONFIG] * 4}, "loggingConfigurationIdentifiers"),
    Case("logging configuration ARN", lambda c: c.create_room(logging_configuration_identifiers=[ROOM]),
         "logging_configuration_identifiers[0]", "a logging configuration ARN", "CreateRoom",
         {"loggingConfigurationIdentifiers": [ROOM]}, "loggingConfigurationIdentifiers[0]"),
    Case("room id instead of ARN", lambda c: c.get_room(identifier="AbCdEfGh1234"), "identifier",
         "arn:aws:ivschat:us-west-2:<account-id>:room/AbCdEfGh1234", "GetRoom",
         {"identifier": "AbCdEfGh1234"}, "identifier"),
    Case("user id empty", lambda c: c.create_chat_token(room_identifier=ROOM, user_id=""), "user_id",
         "at least 1", "CreateChatToken", {"roomIdentifier": ROOM, "userId": ""}, "userId"),
    Case("user id too long", lambda c: c.create_chat_token(room_identifier=ROOM, user_id="u" * 129),
         "user_id", "at most 128", "CreateChatToken", {"roomIdentifier": ROOM, "userId": "u" * 129},
         "userId"),
    Case("session above 180", lambda c: c.create_chat_token(room_identifier=ROOM, user_id="u", session_duration_in_minutes=181),
         "session_duration_in_minutes", "at most 180", "CreateChatToken",
         {"roomIdentifier": ROOM, "userId": "u", "sessionDurationInMinutes": 181},
         "sessionDurationInMinutes"),
    Case("session below 1", lambda c: c.create_chat_token(room_identifier=ROOM, user_id="u", session_duration_in_minutes=0),
         "session_duration_in_minutes", "at least 1", "CreateChatToken",
         {"roomIdentifier": ROOM, "userId": "u", "sessionDurationInMinutes": 0},
         "sessionDurationInMinutes"),
    Case("capability enum", lambda c: c.create_chat_token(room_identifier=ROOM, user_id="u", capabilities=["BOGUS"]),
         "capabilities[0]", "one of SEND_MESSAGE", "CreateChatToken",
         {"roomIdentifier": ROOM, "userId": "u", "capabilities": ["BOGUS"]}, "capabilities[0]"),
    Case("token attributes over 1 KB", lambda c: c.create_chat_token(room_identifier=ROOM, user_id="u", attributes=BIG_ATTRIBUTES),
         "attributes", "at most 1024 bytes", "CreateChatToken",
         {"roomIdentifier": ROOM, "userId": "u", "attributes": BIG_ATTRIBUTES}, "attributes"),
    Case("event name empty", lambda c: c.send_event(room_identifier=ROOM, event_name=""), "event_name",
         "at least 1", "SendEvent", {"roomIdentifier": ROOM, "eventName": ""}, "eventName"),
    Case("event name too long", lambda c: c.send_event(room_identifier=ROOM, event_name="e" * 101),
         "event_name", "at most 100", "SendEvent", {"roomIdentifier": ROOM, "eventName": "e" * 101},
         "eventName"),
    Case("event attributes over 1 KB", lambda c: c.send_event(room_identifier=ROOM, event_name="e", attributes=BIG_ATTRIBUTES),
         "attributes", "at most 1024 bytes", "SendEvent",
         {"roomIdentifier": ROOM, "eventName": "e", "attributes": BIG_ATTRIBUTES}, "attributes"),
    Case("message id 13 chars", lambda c: c.delete_message(room_identifier=ROOM, id="A" * 13), "id",
         "exactly 12", "DeleteMessage", {"roomIdentifier": ROOM, "id": "A" * 13}, "id"),
    Case("message id 11 chars", lambda c: c.delete_message(room_identifier=ROOM, id="A" * 11), "id",
         "exactly 12", "DeleteMessage", {"roomIdentifier": ROOM, "id": "A" * 11}, "id"),
    Case("message id pattern", lambda c: c.delete_message(room_identifier=ROOM, id="AbCd-fGh1234"), "id",
         "letters and digits only", "DeleteMessage", {"roomIdentifier": ROOM, "id": "AbCd-fGh1234"}, "id"),
    Case("delete reason too long", lambda c: c.delete_message(room_identifier=ROOM, id="A" * 12, reason="r" * 257),
         "reason", "at most 256", "DeleteMessage",
         {"roomIdentifier": ROOM, "id": "A" * 12, "reason": "r" * 257}, "reason"),
    Case("disconnect reason empty", lambda c: c.disconnect_user(room_identifier=ROOM, user_id="u", reason=""),
         "reason", "at least 1", "DisconnectUser", {"roomIdentifier": ROOM, "userId": "u", "reason": ""},
         "reason"),
    Case("tag resource not ivschat", lambda c: c.list_tags_for_resource(resource_arn="arn:aws:s3:::bucket"),
         "resource_arn", "a room or logging configuration ARN", "ListTagsForResource", {"resourceArn": "arn:aws:s3:::bucket"},
         "resourceArn"),
    Case("51 tag keys", lambda c: c.untag_resource(resource_arn=ROOM, tag_keys=[f"k{i}" for i in range(51)]),
         "tag_keys", "at most 50 items", "UntagResource",
         {"resourceArn": ROOM, "tagKeys": [f"k{i}" for i in range(51)]}, "tagKeys"),
    Case("page size above 50", lambda c: c.list_rooms(page_size=51), "page_size", "at most 50",
         "ListRooms", {"maxResults": 51}, "maxResults"),
    Case("page size below 1", lambda c: c.list_logging_configurations(page_size=0), "page_size",
         "at least 1", "ListLoggingConfigurations", {"maxResults": 0}, "maxResults"),
    Case("list filter uri", lambda c: c.list_rooms(message_review_handler_uri="nope"),
         "message_review_handler_uri", "a Lambda function ARN", "ListRooms", {"messageReviewHandlerUri": "nope"},
         "messageReviewHandlerUri"),
    Case("list filter config", lambda c: c.list_rooms(logging_configuration_identifier=ROOM),
         "logging_configuration_identifier", "a logging configuration ARN", "ListRooms",
         {"loggingConfigurationIdentifier": ROOM}, "loggingConfigurationIdentifier"),
    Case("starting token too long", lambda c: c.list_rooms(starting_token="t" * 1025), "starting_token",
         "at most 1024", "ListRooms", {"nextToken": "t" * 1025}, "nextToken"),
    Case("bucket too short", lambda c: c.create_logging_configuration(destination_configuration=S3DestinationConfiguration(bucket_name="ab")),
         "destination_configuration.s3.bucket_name", "at least 3", "CreateLoggingConfiguration",
         {"destinationConfiguration": {"s3": {"bucketName": "ab"}}},
         "destinationConfiguration.s3.bucketName"),
    Case("bucket pattern", lambda c: c.create_logging_configuration(destination_configuration=S3DestinationConfiguration(bucket_name="UPPER")),
         "destination_configuration.s3.bucket_name", "an S3 bucket name", "CreateLoggingConfiguration",
         {"destinationConfiguration": {"s3": {"bucketName": "UPPER"}}},
         "destinationConfiguration.s3.bucketName"),
    Case("log group pattern", lambda c: c.create_logging_configuration(destination_configuration=CloudWatchLogsDestinationConfiguration(log_group_name="a b")),
         "destination_configuration.cloud_watch_logs.log_group_name", "a log group name",
         "CreateLoggingConfiguration", {"destinationConfiguration": {"cloudWatchLogs": {"logGroupName": "a b"}}},
         "destinationConfiguration.cloudWatchLogs.logGroupName"),
    Case("firehose too long", lambda c: c.update_logging_configuration(identifier=CONFIG, destination_configuration=FirehoseDestinationConfiguration(delivery_stream_name="f" * 65)),
         "destination_configuration.firehose.delivery_stream_name", "at most 64",
         "UpdateLoggingConfiguration",
         {"identifier": CONFIG, "destinationConfiguration": {"firehose": {"deliveryStreamName": "f" * 65}}},
         "destinationConfiguration.firehose.deliveryStreamName"),
    Case("logging name pattern", lambda c: c.create_logging_configuration(name="a/b", destination_configuration=S3DestinationConfiguration(bucket_name="abc")),
         "name", "letters, digits, hyphens and underscores", "CreateLoggingConfiguration", {"name": "a/b", "destinationConfiguration": S3},
         "name"),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_client_refuses_before_the_network(
    case: Case, client: IvsChatClient, local: LocalIvsChat
) -> None:
    """The client raises ParamValidationError naming the parameter and limit, and sends nothing."""
    with pytest.raises(ParamValidationError) as info:
        case.call(client)
    assert info.value.param == case.param
    assert case.fragment in info.value.problem
    assert case.param in str(info.value)
    assert isinstance(info.value, ValueError)
    assert sum(local.call_counts.values()) == 0


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_local_ivschat_answers_validation_exception(case: Case, local: LocalIvsChat) -> None:
    """The emulator answers the raw request with a 400 ValidationException and a fieldList."""
    answer = local.handle(wire_request(case.operation, case.wire))
    assert answer.status == 400
    assert answer.headers["x-amzn-ErrorType"] == "ValidationException"
    body = answer.json()
    assert body["reason"] == "FIELD_VALIDATION_FAILED"
    names = [f["name"] for f in body["fieldList"]]
    assert any(n == case.field or n.startswith(case.field) for n in names), names
    assert body["message"]


def test_raw_boto3_gets_service_validation_exception(raw: Any) -> None:
    """A plain boto3 client sending what botocore does not check gets the modeled error."""
    with pytest.raises(raw.exceptions.ValidationException) as info:
        raw.create_room(maximumMessageLength=501)
    response = info.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["reason"] == "FIELD_VALIDATION_FAILED"
    assert response["fieldList"][0]["name"] == "maximumMessageLength"
    assert "500" in response["fieldList"][0]["message"]


def test_rejected_request_leaves_state_unchanged(client: IvsChatClient, raw: Any) -> None:
    """A request the service rejects changes nothing."""
    room = client.create_room(name="keep", maximum_message_length=10)
    with pytest.raises(raw.exceptions.ValidationException):
        raw.update_room(identifier=room.arn, name="changed", maximumMessageLength=501)
    assert client.get_room(identifier=room) == room


def test_all_problems_are_reported(client: IvsChatClient) -> None:
    """Several bad parameters are all listed, the first one in param/problem."""
    with pytest.raises(ParamValidationError) as info:
        client.create_room(name="bad name", maximum_message_length=501)
    assert [p for p, _ in info.value.problems] == ["name", "maximum_message_length"]


def test_sensitive_values_are_not_echoed(client: IvsChatClient) -> None:
    """The value of a sensitive member (user id, attributes) never appears in the error."""
    secret = "s3cr3t-user-" + "x" * 120
    with pytest.raises(ParamValidationError) as info:
        client.create_chat_token(room_identifier=ROOM, user_id=secret)
    assert secret not in str(info.value)
    with pytest.raises(ParamValidationError) as info2:
        client.create_chat_token(room_identifier=ROOM, user_id="u", attributes={"hidden-key": 5})  # type: ignore[dict-item]
    assert "hidden-key" not in str(info2.value)


@pytest.mark.parametrize(
    ("kwargs", "param"),
    [
        ({"maximum_message_length": "5"}, "maximum_message_length"),
        ({"maximum_message_length": True}, "maximum_message_length"),
        ({"name": 5}, "name"),
        ({"tags": {"k": 1}}, "tags['k']"),
    ],
)
def test_wrong_types_are_refused(client: IvsChatClient, kwargs: dict[str, Any], param: str) -> None:
    """Values of the wrong type get a ParamValidationError, not a botocore error."""
    with pytest.raises(ParamValidationError) as info:
        client.create_room(**kwargs)
    assert info.value.param == param


def test_capabilities_as_a_string_is_refused(client: IvsChatClient) -> None:
    """A single string is not a list of capabilities (it would be split into letters)."""
    with pytest.raises(ParamValidationError, match="capabilities"):
        client.create_chat_token(room_identifier=ROOM, user_id="u", capabilities="SEND_MESSAGE")  # type: ignore[arg-type]


def test_max_items_must_be_positive(client: IvsChatClient) -> None:
    """max_items below 1 is refused at the call."""
    with pytest.raises(ParamValidationError, match="max_items"):
        client.list_rooms(max_items=0)


def test_limits_inclusive(client: IvsChatClient) -> None:
    """The bounds themselves are allowed: 500 characters, 100 per second, 50 tags, 1 KB."""
    room = client.create_room(
        name="n" * 128,
        maximum_message_length=500,
        maximum_message_rate_per_second=100,
        tags={f"k{i}": "v" * 256 for i in range(50)},
        message_review_handler=MessageReviewHandler(uri=""),
    )
    assert room.maximum_message_length == 500
    client.create_chat_token(room_identifier=room, user_id="u" * 128, attributes={"k": "x" * 1023})


@pytest.mark.parametrize("case", [c for c in CASES if "pattern" in c.id], ids=lambda c: c.id)
def test_pattern_violations_are_said_in_words(case: Case, client: IvsChatClient) -> None:
    """A pattern violation says what is expected in words, never as a regular expression."""
    with pytest.raises(ParamValidationError) as info:
        case.call(client)
    assert not any(ch in info.value.problem for ch in "[]*+$^\\"), info.value.problem
    assert "pattern" not in info.value.problem


def test_violations_carry_the_aws_wording() -> None:
    """Each violation also carries the constraint as AWS words it, for the local IVS Chat."""
    from ivschat_sdk._constraints import check_request, service_model

    by_path = {
        v.path: v
        for v in check_request(
            "CreateRoom",
            {
                "name": "bad name",
                "maximumMessageLength": 501,
                "loggingConfigurationIdentifiers": [],
            },
        )
    }
    pattern = service_model().shape_for("RoomName").metadata["pattern"]  # anchored in old models
    assert pattern.strip("^$") == "[a-zA-Z0-9-_]*"
    assert (
        by_path["name"].constraint == f"Member must satisfy regular expression pattern: {pattern}"
    )
    assert by_path["name"].value == "'bad name'"
    assert by_path["maximumMessageLength"].constraint == (
        "Member must have value less than or equal to 500"
    )
    assert by_path["maximumMessageLength"].value == "501"
    token = check_request("CreateChatToken", {"roomIdentifier": ROOM, "userId": ""})
    assert token[0].constraint == "Member must have length greater than or equal to 1"
    assert token[0].value is None  # userId is sensitive: never quoted


@pytest.mark.parametrize(
    ("call", "param"),
    [
        (lambda c: c.create_room(tags={"aws:team": "x"}), "tags"),
        (lambda c: c.tag_resource(resource_arn=ROOM, tags={"aws:team": "x"}), "tags"),
        (lambda c: c.untag_resource(resource_arn=ROOM, tag_keys=["ok", "aws:team"]), "tag_keys[1]"),
    ],
)
def test_reserved_tag_prefix_is_refused_before_sending(
    call: Callable[[IvsChatClient], object], param: str, client: IvsChatClient, local: LocalIvsChat
) -> None:
    """Tag keys beginning with aws: (reserved by AWS) are refused by the client, nothing sent."""
    with pytest.raises(ParamValidationError) as info:
        call(client)
    assert info.value.param == param
    assert "aws:" in info.value.problem
    assert sum(local.call_counts.values()) == 0
