"""The fast path of the clients the SDK builds gives exactly what botocore's own path gives."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.parsers import ResponseParserFactory

from ivschat_sdk import IvsChatClient, S3DestinationConfiguration, __version__
from ivschat_sdk._constraints import service_model
from ivschat_sdk._fast_path import FastParserFactory
from ivschat_sdk._timestamps import parse_timestamp
from ivschat_sdk.local import LocalIvsChat

from .conftest import wire_request

LAMBDA = "arn:aws:lambda:us-west-2:123456789012:function:review"


def _recorded() -> dict[str, list[tuple[int, dict[str, str], bytes]]]:
    """Answers of the local IVS Chat to every operation, successes and errors, rich in data."""
    local = LocalIvsChat()
    answers: dict[str, list[tuple[int, dict[str, str], bytes]]] = {}

    def call(operation: str, params: dict[str, Any]) -> dict[str, Any]:
        answer = local.handle(wire_request(operation, params))
        answers.setdefault(operation, []).append((answer.status, answer.headers, answer.body))
        return answer.json() if answer.body else {}

    configs = [
        call("CreateLoggingConfiguration", {"name": "s3", "destinationConfiguration": {"s3": {"bucketName": "bucket"}}, "tags": {"a": "b"}}),
        call("CreateLoggingConfiguration", {"destinationConfiguration": {"cloudWatchLogs": {"logGroupName": "group"}}}),
        call("CreateLoggingConfiguration", {"destinationConfiguration": {"firehose": {"deliveryStreamName": "stream"}}}),
    ]  # fmt: skip
    room = call("CreateRoom", {
        "name": "lobby", "maximumMessageLength": 200, "tags": {"app": "web", "k": ""},
        "messageReviewHandler": {"uri": LAMBDA, "fallbackResult": "DENY"},
        "loggingConfigurationIdentifiers": [c["arn"] for c in configs],
    })  # fmt: skip
    call("CreateRoom", {})
    arn = room["arn"]
    call("GetRoom", {"identifier": arn})
    call("UpdateRoom", {"identifier": arn, "name": "renamed"})
    call("ListRooms", {})
    call("ListRooms", {"maxResults": 1})
    call(
        "CreateChatToken", {"roomIdentifier": arn, "userId": "u", "capabilities": ["SEND_MESSAGE"]}
    )
    event = call("SendEvent", {"roomIdentifier": arn, "eventName": "e", "attributes": {"a": "b"}})
    call("DeleteMessage", {"roomIdentifier": arn, "id": event["id"], "reason": "r"})
    call("DisconnectUser", {"roomIdentifier": arn, "userId": "u"})
    call("TagResource", {"resourceArn": arn, "tags": {"t": "v"}})
    call("ListTagsForResource", {"resourceArn": arn})
    call("UntagResource", {"resourceArn": arn, "tagKeys": ["t"]})
    for config in configs:
        call("GetLoggingConfiguration", {"identifier": config["arn"]})
    call("UpdateLoggingConfiguration", {"identifier": configs[0]["arn"], "name": "new"})
    call("ListLoggingConfigurations", {})
    call("UpdateRoom", {"identifier": arn, "loggingConfigurationIdentifiers": []})
    call("DeleteLoggingConfiguration", {"identifier": configs[2]["arn"]})
    call("DeleteRoom", {"identifier": arn})
    call("GetRoom", {"identifier": arn})  # 404
    call("CreateRoom", {"maximumMessageLength": 501})  # 400 with fieldList
    local.fail_next("ListRooms", error="ThrottlingException")
    call("ListRooms", {})  # 429 with limit
    return answers


RECORDED = _recorded()


def _parse(factory: ResponseParserFactory, operation: str, answer: Any) -> Any:
    status, headers, body = answer
    model = service_model().operation_model(operation)
    parser = factory.create_parser("rest-json")
    response = {
        "status_code": status,
        "headers": {k.lower(): v for k, v in headers.items()},
        "body": body,
        "context": {"operation_name": operation},
    }
    return parser.parse(response, model.output_shape)


@pytest.mark.parametrize("timestamp_parser", [parse_timestamp, None], ids=["ours", "dateutil"])
@pytest.mark.parametrize("operation", sorted(RECORDED))
def test_fast_parser_equals_botocore_s(operation: str, timestamp_parser: Any) -> None:
    """Every recorded answer of every operation parses to the same dict on both paths."""
    assert len(RECORDED) == 17
    standard, fast = ResponseParserFactory(), FastParserFactory()
    if timestamp_parser is not None:
        standard.set_parser_defaults(timestamp_parser=timestamp_parser)
        fast.set_parser_defaults(timestamp_parser=timestamp_parser)
    for answer in RECORDED[operation]:
        ours, theirs = _parse(fast, operation, answer), _parse(standard, operation, answer)
        assert ours == theirs
        assert _ordered(ours) == _ordered(theirs)  # and the keys in the same order


def _ordered(value: Any) -> Any:
    """``value`` with every dict as its list of items, so that comparing sees key order."""
    if isinstance(value, dict):
        return [(key, _ordered(item)) for key, item in value.items()]
    if isinstance(value, list):
        return [_ordered(item) for item in value]
    return value


def test_unknown_union_member_is_reported_as_botocore_does() -> None:
    """A destination kind the model does not know: SDK_UNKNOWN_MEMBER on both paths."""
    body = json.dumps({
        "arn": "arn:aws:ivschat:us-west-2:123456789012:logging-configuration/AbCdEfGh1234",
        "id": "AbCdEfGh1234", "state": "ACTIVE", "tags": {},
        "destinationConfiguration": {"kinesis": {"streamName": "s"}},
        "createTime": "2026-01-02T03:04:05.678Z", "updateTime": "2026-01-02T03:04:05Z",
    }).encode()  # fmt: skip
    answer = (200, {"x-amzn-RequestId": "r"}, body)
    fast = _parse(FastParserFactory(), "GetLoggingConfiguration", answer)
    assert fast == _parse(ResponseParserFactory(), "GetLoggingConfiguration", answer)
    assert fast["destinationConfiguration"] == {"SDK_UNKNOWN_MEMBER": {"name": "kinesis"}}


def _capture_user_agents(client: Any) -> list[str]:
    """Record the User-Agent header of each request the client sends, features sorted.

    botocore joins the feature ids (``m/...``) from a set, so their order is arbitrary.
    """
    seen: list[str] = []

    def capture(request: Any, **_: Any) -> None:
        value = request.headers["User-Agent"]
        text = value.decode() if isinstance(value, bytes) else value
        seen.append(" ".join(
            "m/" + ",".join(sorted(part[2:].split(","))) if part.startswith("m/") else part
            for part in text.split(" ")
        ))  # fmt: skip

    client.meta.events.register_first("before-send.ivschat", capture)
    return seen


def test_user_agent_is_botocore_s_and_names_the_sdk(local: LocalIvsChat) -> None:
    """Cached, the User-Agent is the string botocore builds for the same client and call."""
    client = IvsChatClient(region_name="us-west-2").boto3_client
    seen = _capture_user_agents(client)
    client.list_rooms()
    client.list_rooms()
    cached = client._user_agent_creator
    inner = cached._inner
    if hasattr(inner, "rebuild_and_replace_user_agent_handler"):  # botocore >= 1.36
        event = "request-created.ivschat"
        client.meta.events.unregister(event, cached.rebuild_and_replace_user_agent_handler)
        client.meta.events.register_last(event, inner.rebuild_and_replace_user_agent_handler)
    client._user_agent_creator = inner  # botocore's own builder, as before the fast path
    client.list_rooms()
    assert len(seen) == 3
    assert seen[0] == seen[1] == seen[2]
    assert "Botocore/" in seen[0]
    assert seen[0].endswith(f" ivschat-sdk/{__version__}")


def test_escape_hatch_returns_what_a_plain_boto3_client_returns(local: LocalIvsChat) -> None:
    """client.boto3_client (fast path) answers exactly as a plain boto3 client does."""
    client = IvsChatClient(region_name="us-west-2")
    raw = boto3.client("ivschat", region_name="us-west-2")
    config = client.create_logging_configuration(
        destination_configuration=S3DestinationConfiguration(bucket_name="bucket")
    )
    room = client.create_room(name="r", tags={"a": "b"}, logging_configuration_identifiers=[config])

    def strip(response: dict[str, Any]) -> dict[str, Any]:
        response.pop("ResponseMetadata")
        return response

    assert strip(client.boto3_client.get_room(identifier=room.arn)) == strip(
        raw.get_room(identifier=room.arn)
    )
    assert strip(client.boto3_client.list_rooms()) == strip(raw.list_rooms())
    assert strip(client.boto3_client.get_logging_configuration(identifier=config.arn)) == strip(
        raw.get_logging_configuration(identifier=config.arn)
    )
