"""The local IVS Chat's wire protocol: what a raw HTTP client sees."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from ivschat_sdk.local import TOKEN_LIFETIME, LocalIvsChat, WireRequest

from ..conftest import AUTHORIZATION, wire_request

TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
TCHAR = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


class Clock:
    """A clock tests move by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 1, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


def call(local: LocalIvsChat, operation: str, **params: Any) -> Any:
    answer = local.handle(wire_request(operation, params))
    assert answer.status in (200, 204), answer.body
    return answer.json()


def test_create_room_wire_format() -> None:
    """CreateRoom answers 200 JSON with an ARN, a 12-char id and RFC 3339 UTC times."""
    local = LocalIvsChat(account_id="111122223333")
    answer = local.handle(wire_request("CreateRoom", {"name": "r"}))
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "application/json"
    assert re.fullmatch(r"[0-9a-f-]{36}", answer.headers["x-amzn-RequestId"])
    body = answer.json()
    assert re.fullmatch(r"[A-Za-z0-9]{12}", body["id"])
    assert body["arn"] == f"arn:aws:ivschat:us-west-2:111122223333:room/{body['id']}"
    assert TIME.fullmatch(body["createTime"]) and TIME.fullmatch(body["updateTime"])
    assert "messageReviewHandler" not in body


def test_deletes_answer_204_with_empty_body() -> None:
    """DeleteRoom and DeleteLoggingConfiguration answer 204 and no body."""
    local = LocalIvsChat()
    room = call(local, "CreateRoom")
    config = call(
        local, "CreateLoggingConfiguration", destinationConfiguration={"s3": {"bucketName": "abc"}}
    )
    for operation, arn in (
        ("DeleteRoom", room["arn"]),
        ("DeleteLoggingConfiguration", config["arn"]),
    ):
        answer = local.handle(wire_request(operation, {"identifier": arn}))
        assert (answer.status, answer.body) == (204, b"")


def test_error_wire_format() -> None:
    """Errors carry x-amzn-ErrorType, the modeled status and members in a JSON body."""
    local = LocalIvsChat()
    answer = local.handle(
        wire_request(
            "GetRoom", {"identifier": "arn:aws:ivschat:us-west-2:123456789012:room/AbCdEfGh1234"}
        )
    )
    assert answer.status == 404
    assert answer.headers["x-amzn-ErrorType"] == "ResourceNotFoundException"
    assert answer.json() == {
        "message": "Room not found",
        "resourceId": "AbCdEfGh1234",
        "resourceType": "ROOM",
    }


def test_list_rooms_omits_next_token_on_last_page() -> None:
    """NextToken is present only while more rooms remain, and rooms is always present."""
    local = LocalIvsChat()
    assert call(local, "ListRooms") == {"rooms": []}
    for _ in range(3):
        call(local, "CreateRoom")
    first = call(local, "ListRooms", maxResults=2)
    assert len(first["rooms"]) == 2 and first["nextToken"]
    last = call(local, "ListRooms", maxResults=2, nextToken=first["nextToken"])
    assert len(last["rooms"]) == 1 and "nextToken" not in last
    assert "maximumMessageLength" not in last["rooms"][0]


def test_tag_routes_use_the_raw_encoded_arn() -> None:
    """/tags/<ARN with %3A and %2F> routes by method, and repeated tagKeys are all read."""
    local = LocalIvsChat()
    arn = call(local, "CreateRoom", tags={"a b/c&d=e": "1", "k:2": "2", "keep": "3"})["arn"]
    encoded = arn.replace(":", "%3A").replace("/", "%2F")
    headers = {"authorization": AUTHORIZATION}
    answer = local.handle(
        WireRequest(
            method="DELETE",
            path=f"/tags/{encoded}",
            query="tagKeys=a%20b%2Fc%26d%3De&tagKeys=k%3A2",
            headers=headers,
        )
    )
    assert answer.status == 200 and answer.json() == {}
    listed = local.handle(WireRequest(method="GET", path=f"/tags/{encoded}", headers=headers))
    assert listed.json() == {"tags": {"keep": "3"}}


def test_endpoint_path_prefix_is_accepted() -> None:
    """An endpoint URL with a path prefix still routes (clients keep the prefix)."""
    local = LocalIvsChat()
    request = wire_request("ListRooms", {})
    answer = local.handle(
        WireRequest(method="POST", path="/prefix/x/ListRooms", headers=request.headers, body=b"{}")
    )
    assert answer.status == 200


@pytest.mark.parametrize(
    ("request_", "status", "code"),
    [
        (WireRequest(method="POST", path="/ListRooms", body=b"{}"), 403, "MissingAuthenticationTokenException"),
        (WireRequest(method="POST", path="/ListRooms", headers={"authorization": "Bearer x"}), 403,
         "MissingAuthenticationTokenException"),
        (WireRequest(method="POST", path="/CreateRoom", headers={"authorization": AUTHORIZATION}, body=b"{bad"),
         400, "SerializationException"),
        (WireRequest(method="POST", path="/CreateRoom", headers={"authorization": AUTHORIZATION}, body=b"[1]"),
         400, "SerializationException"),
        (WireRequest(method="POST", path="/CreateRoom", headers={"authorization": AUTHORIZATION}, body=b'"\xff"'),
         400, "SerializationException"),
        (WireRequest(method="POST", path="/CreateRoom", headers={"authorization": AUTHORIZATION},
                     body=b'{"name": "' + b"a" * (1024 * 1024) + b'"}'), 413, "RequestEntityTooLargeException"),
        (WireRequest(method="POST", path="/NoSuchOperation", headers={"authorization": AUTHORIZATION}), 400,
         "ValidationException"),
        (WireRequest(method="GET", path="/ListRooms", headers={"authorization": AUTHORIZATION}), 400,
         "ValidationException"),
        (WireRequest(method="PUT", path="/tags/arn", headers={"authorization": AUTHORIZATION}), 400,
         "ValidationException"),
        (WireRequest(method="GET", path="/tags/%FF%FE", headers={"authorization": AUTHORIZATION}), 400,
         "ValidationException"),
        (WireRequest(method="POST", path="/CreateRoom", headers={"authorization": AUTHORIZATION},
                     body=b'{"maximumMessageLength": 5.5}'), 400, "ValidationException"),
        (WireRequest(method="POST", path="/CreateRoom", headers={"authorization": AUTHORIZATION},
                     body=b'{"tags": ["a"]}'), 400, "ValidationException"),
    ],
)  # fmt: skip
def test_bad_requests_get_4xx_and_change_nothing(
    request_: WireRequest, status: int, code: str
) -> None:
    """Malformed or unauthenticated requests are answered as AWS would; no room is made."""
    local = LocalIvsChat()
    answer = local.handle(request_)
    assert answer.status == status
    assert answer.headers["x-amzn-ErrorType"] == code
    assert answer.json()["message"]
    assert call(local, "ListRooms") == {"rooms": []}


def test_unknown_operation_reason() -> None:
    """An unknown operation is a ValidationException with reason UNKNOWN_OPERATION."""
    answer = LocalIvsChat().handle(wire_request("Frobnicate", {}))
    assert answer.json()["reason"] == "UNKNOWN_OPERATION"


def test_unknown_members_are_ignored() -> None:
    """Members the model does not have are ignored, as the service does."""
    assert call(LocalIvsChat(), "CreateRoom", name="r", futureMember=1)["name"] == "r"


def test_chat_tokens_are_opaque_single_use_and_expire() -> None:
    """Tokens are subprotocol-safe, unique, usable once, and only within one minute."""
    clock = Clock()
    local = LocalIvsChat(clock=clock)
    room = call(local, "CreateRoom")
    answers = [
        call(local, "CreateChatToken", roomIdentifier=room["arn"], userId="u") for _ in range(3)
    ]
    tokens = [a["token"] for a in answers]
    assert len(set(tokens)) == 3
    for a in answers:
        assert TCHAR.fullmatch(a["token"]) and len(a["token"]) >= 64
        assert a["tokenExpirationTime"] == "2026-01-01T00:01:00.000Z"
        assert a["sessionExpirationTime"] == "2026-01-01T01:00:00.000Z"
    assert local.redeem_chat_token(tokens[0]) is not None
    assert local.redeem_chat_token(tokens[0]) is None  # used
    clock.now += TOKEN_LIFETIME - timedelta(milliseconds=1)
    assert local.redeem_chat_token(tokens[1]) is not None  # just in time
    clock.now += timedelta(milliseconds=1)
    assert local.redeem_chat_token(tokens[2]) is None  # expired
    assert local.redeem_chat_token("never-issued") is None


def test_tokens_of_a_deleted_room_are_void() -> None:
    """Deleting a room voids its unused tokens."""
    local = LocalIvsChat()
    room = call(local, "CreateRoom")
    token = call(local, "CreateChatToken", roomIdentifier=room["arn"], userId="u")["token"]
    call(local, "DeleteRoom", identifier=room["arn"])
    assert local.redeem_chat_token(token) is None


def test_room_quota_when_configured() -> None:
    """With a room quota, the next CreateRoom gets 402 ServiceQuotaExceededException."""
    local = LocalIvsChat(room_quota=1)
    call(local, "CreateRoom")
    answer = local.handle(wire_request("CreateRoom", {}))
    assert answer.status == 402
    assert answer.json()["limit"] == 1


def test_fail_next_counts_down_and_validates() -> None:
    """fail_next fails exactly count calls of that operation, then the service answers."""
    local = LocalIvsChat()
    local.fail_next("ListRooms", count=2, error="InternalServerException")
    assert [local.handle(wire_request("ListRooms", {})).status for _ in range(3)] == [500, 500, 200]
    local.fail_next("*", error="AccessDeniedException")
    assert local.handle(wire_request("CreateRoom", {})).status == 403
    assert local.handle(wire_request("CreateRoom", {})).status == 200
    with pytest.raises(ValueError, match="unknown operation"):
        local.fail_next("CreateRooms")
    with pytest.raises(ValueError, match="unknown error"):
        local.fail_next("CreateRoom", error="Oops")
    with pytest.raises(ValueError, match="count"):
        local.fail_next("CreateRoom", count=0)


def test_reset_forgets_everything() -> None:
    """reset() empties rooms, faults and counts."""
    local = LocalIvsChat()
    call(local, "CreateRoom")
    local.fail_next("ListRooms")
    local.reset()
    assert local.call_counts == {}
    assert call(local, "ListRooms") == {"rooms": []}


def test_account_id_must_be_12_digits() -> None:
    """A bad account id is refused when the emulator is built."""
    with pytest.raises(ValueError, match="12 digits"):
        LocalIvsChat(account_id="abc")


def test_logging_configuration_errors_say_resource_type_room() -> None:
    """Errors about logging configurations carry resourceType ROOM, the model's only value.

    The service model declares ``resourceType`` required with the single enum value ``ROOM``
    on ResourceNotFoundException, ConflictException and ServiceQuotaExceededException.
    """
    local = LocalIvsChat(logging_configuration_quota=1)
    missing = "arn:aws:ivschat:us-west-2:123456789012:logging-configuration/AbCdEfGh1234"
    answer = local.handle(wire_request("GetLoggingConfiguration", {"identifier": missing}))
    assert (answer.status, answer.json()["resourceType"]) == (404, "ROOM")
    config = call(
        local, "CreateLoggingConfiguration", destinationConfiguration={"s3": {"bucketName": "abc"}}
    )
    answer = local.handle(
        wire_request(
            "CreateLoggingConfiguration",
            {"destinationConfiguration": {"s3": {"bucketName": "bcd"}}},
        )
    )
    assert (answer.status, answer.json()["resourceType"]) == (402, "ROOM")
    call(local, "CreateRoom", loggingConfigurationIdentifiers=[config["arn"]])
    answer = local.handle(wire_request("DeleteLoggingConfiguration", {"identifier": config["arn"]}))
    assert (answer.status, answer.json()["resourceType"]) == (409, "ROOM")
    answer = local.handle(
        wire_request("CreateRoom", {"loggingConfigurationIdentifiers": [missing]})
    )
    assert (answer.status, answer.json()["resourceType"]) == (404, "ROOM")


ARN = "arn:aws:ivschat:us-west-2:123456789012:room/AbCdEfGh1234"


@pytest.mark.parametrize(
    ("operation", "params", "message"),
    [
        ("CreateRoom", {"name": "x y"},
         "1 validation error detected: Value 'x y' at 'name' failed to satisfy constraint: "
         "Member must satisfy regular expression pattern: [a-zA-Z0-9-_]*"),
        ("CreateRoom", {"name": "x y", "maximumMessageLength": 0},
         "2 validation errors detected: Value 'x y' at 'name' failed to satisfy constraint: "
         "Member must satisfy regular expression pattern: [a-zA-Z0-9-_]*; "
         "Value 0 at 'maximumMessageLength' failed to satisfy constraint: "
         "Member must have value greater than or equal to 1"),
        ("CreateChatToken", {"roomIdentifier": ARN, "userId": "u" * 200},
         "1 validation error detected: Value at 'userId' failed to satisfy constraint: "
         "Member must have length less than or equal to 128"),
        ("CreateChatToken", {"roomIdentifier": ARN},
         "1 validation error detected: Value null at 'userId' failed to satisfy constraint: "
         "Member must not be null"),
    ],
)  # fmt: skip
def test_validation_messages_use_aws_wording(
    operation: str, params: dict[str, Any], message: str
) -> None:
    """ValidationException messages are worded as AWS services word constraint violations.

    "N validation error(s) detected: Value ... at '...' failed to satisfy constraint: ...",
    joined by "; ", with no value for sensitive members; reason and fieldList (in words) stay.
    """
    answer = LocalIvsChat().handle(wire_request(operation, params))
    assert answer.status == 400
    body = answer.json()
    assert body["message"] == message
    assert body["reason"] == "FIELD_VALIDATION_FAILED"
    assert [f["name"] for f in body["fieldList"]] == [
        part.split(" at '", 1)[1].split("'", 1)[0] for part in message.split("; ")
    ]
    assert all(f["message"] and "failed to satisfy" not in f["message"] for f in body["fieldList"])


def test_too_many_tags_in_all_is_worded_like_aws() -> None:
    """Tags beyond 50 on a resource in all get a ValidationException in AWS's wording."""
    local = LocalIvsChat()
    room = call(local, "CreateRoom", tags={f"k{i}": "v" for i in range(50)})
    answer = local.handle(
        wire_request("TagResource", {"resourceArn": room["arn"], "tags": {"one": "more"}})
    )
    assert answer.status == 400
    assert answer.json()["message"].startswith(
        "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must "
    )
    assert answer.json()["fieldList"][0]["name"] == "tags"


@pytest.mark.parametrize(
    ("operation", "params", "where"),
    [
        ("CreateRoom", {"tags": {"ok": "1", "aws:team": "x"}}, "tags"),
        ("CreateLoggingConfiguration",
         {"destinationConfiguration": {"s3": {"bucketName": "abc"}}, "tags": {"aws:k": "v"}}, "tags"),
        ("TagResource", {"resourceArn": "ROOM", "tags": {"aws:cloudformation:stack-name": "s"}},
         "tags"),
        ("UntagResource", {"resourceArn": "ROOM", "tagKeys": ["keep", "aws:k"]}, "tagKeys[1]"),
    ],
)  # fmt: skip
def test_tag_keys_with_the_reserved_aws_prefix_are_refused(
    operation: str, params: dict[str, Any], where: str
) -> None:
    """Tag keys beginning with aws: (reserved for AWS use) get a ValidationException.

    CreateRoom, CreateLoggingConfiguration and TagResource tags, and UntagResource keys (tags
    with the prefix cannot be removed); nothing changes.
    """
    local = LocalIvsChat()
    room = call(local, "CreateRoom", tags={"keep": "1"})
    if params.get("resourceArn") == "ROOM":
        params = {**params, "resourceArn": room["arn"]}
    answer = local.handle(wire_request(operation, params))
    assert answer.status == 400
    body = answer.json()
    assert answer.headers["x-amzn-ErrorType"] == "ValidationException"
    assert body["reason"] == "FIELD_VALIDATION_FAILED"
    assert [f["name"] for f in body["fieldList"]] == [where]
    assert "aws:" in body["fieldList"][0]["message"]
    assert body["message"].startswith("1 validation error detected: Value ")
    assert f" at '{where}' failed to satisfy constraint: " in body["message"]
    assert [r["arn"] for r in call(local, "ListRooms")["rooms"]] == [room["arn"]]
    assert call(local, "ListLoggingConfigurations")["loggingConfigurations"] == []
    assert call(local, "ListTagsForResource", resourceArn=room["arn"]) == {"tags": {"keep": "1"}}


def test_aws_prefix_is_only_reserved_at_the_start_of_keys() -> None:
    """Keys with aws: elsewhere, other cases (AWS:) and values beginning with aws: are accepted."""
    local = LocalIvsChat()
    tags = {"team:aws:x": "1", "AWS:k": "2", "k": "aws:value"}
    room = call(local, "CreateRoom", tags=tags)
    assert call(local, "ListTagsForResource", resourceArn=room["arn"]) == {"tags": tags}
