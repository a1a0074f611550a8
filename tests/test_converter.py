"""The control-plane converter: responses that must and must not structure."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from ivschat_sdk import (
    ChatToken,
    FallbackResult,
    FirehoseDestinationConfiguration,
    LoggingConfiguration,
    LoggingConfigurationState,
    MessageReviewHandler,
    Room,
    RoomSummary,
    S3DestinationConfiguration,
    UnknownDestinationConfiguration,
)
from ivschat_sdk._converter import (
    CONVERTER,
    camel_case,
    make_control_plane_converter,
    unstructure_destination,
)

T0 = "2024-05-01T12:00:00.123Z"
ROOM: dict[str, Any] = {
    "arn": "arn:aws:ivschat:us-west-2:123456789012:room/AbCdEfGh1234",
    "id": "AbCdEfGh1234",
    "name": "lobby",
    "createTime": T0,
    "updateTime": T0,
    "maximumMessageRatePerSecond": 10,
    "maximumMessageLength": 500,
    "messageReviewHandler": {
        "uri": "arn:aws:lambda:us-west-2:123456789012:function:f",
        "fallbackResult": "DENY",
    },
    "tags": {"a": "b"},
    "loggingConfigurationIdentifiers": [],
}
CONFIG: dict[str, Any] = {
    "arn": "arn:aws:ivschat:us-west-2:123456789012:logging-configuration/AbCdEfGh1234",
    "id": "AbCdEfGh1234",
    "createTime": T0,
    "updateTime": T0,
    "destinationConfiguration": {"firehose": {"deliveryStreamName": "s"}},
    "state": "ACTIVE",
}


def test_room_structures_with_every_field() -> None:
    """A full GetRoom body becomes a Room with snake_case fields and UTC times."""
    room = CONVERTER.structure(ROOM, Room)
    assert room.create_time == datetime(2024, 5, 1, 12, 0, 0, 123000, tzinfo=timezone.utc)
    assert room.message_review_handler == MessageReviewHandler(
        uri="arn:aws:lambda:us-west-2:123456789012:function:f", fallback_result=FallbackResult.DENY
    )
    assert room.tags == {"a": "b"}


@pytest.mark.parametrize(
    ("change", "check"),
    [
        ({"brandNewField": {"x": 1}}, lambda r: r.name == "lobby"),
        ({"messageReviewHandler": {"uri": "", "fallbackResult": "QUARANTINE"}},
         lambda r: r.message_review_handler.fallback_result == "QUARANTINE"),
        ({"messageReviewHandler": {"uri": "u"}}, lambda r: r.message_review_handler.fallback_result is FallbackResult.ALLOW),
    ],
)  # fmt: skip
def test_lenient_parsing(change: dict[str, Any], check: Any) -> None:
    """New fields and unknown enum values from a newer service do not break parsing."""
    assert check(CONVERTER.structure({**ROOM, **change}, Room))


def test_missing_name_is_empty() -> None:
    """A room without a name (the service may leave it out) has the empty name."""
    assert CONVERTER.structure({k: v for k, v in ROOM.items() if k != "name"}, Room).name == ""


@pytest.mark.parametrize("missing", ["arn", "id", "createTime", "maximumMessageLength"])
def test_required_fields_must_be_present(missing: str) -> None:
    """A response without a field the service always sends does not structure."""
    data = {k: v for k, v in ROOM.items() if k != missing}
    with pytest.raises(Exception):  # noqa: B017, PT011 - cattrs raises KeyError here
        CONVERTER.structure(data, Room)


def test_summary_ignores_room_only_fields() -> None:
    """A RoomSummary has no message limits even if they are sent."""
    summary = CONVERTER.structure(ROOM, RoomSummary)
    assert not hasattr(summary, "maximum_message_length")


def test_logging_configuration_destinations() -> None:
    """Each destination kind structures to its class; an unknown kind is kept, not dropped."""
    config = CONVERTER.structure(CONFIG, LoggingConfiguration)
    assert config.destination_configuration == FirehoseDestinationConfiguration(
        delivery_stream_name="s"
    )
    assert config.state is LoggingConfigurationState.ACTIVE
    assert config.name == ""
    unknown = CONVERTER.structure(
        {**CONFIG, "destinationConfiguration": {"kafka": {"topic": "t"}}, "state": "MIGRATING"},
        LoggingConfiguration,
    )
    assert unknown.destination_configuration == UnknownDestinationConfiguration(
        kind="kafka", value={"topic": "t"}
    )
    assert unknown.state == "MIGRATING"


def test_empty_destination_does_not_structure() -> None:
    """A destination with no member is an error, not a silent None."""
    with pytest.raises(ValueError, match="no destination"):
        CONVERTER.structure({**CONFIG, "destinationConfiguration": {}}, LoggingConfiguration)


def test_destination_wire_form() -> None:
    """Destinations unstructure to the tagged union the API expects."""
    assert unstructure_destination(S3DestinationConfiguration(bucket_name="b")) == {
        "s3": {"bucketName": "b"}
    }
    assert unstructure_destination(UnknownDestinationConfiguration(kind="x", value={"a": 1})) == {
        "x": {"a": 1}
    }


def test_chat_token_from_botocore_datetimes() -> None:
    """Botocore hands datetimes (possibly tzlocal); the model holds UTC."""
    from dateutil.tz import tzoffset

    local = datetime(2024, 1, 1, 9, 0, tzinfo=tzoffset(None, 3600))
    token = CONVERTER.structure(
        {"token": "t", "tokenExpirationTime": local, "sessionExpirationTime": local}, ChatToken
    )
    assert token.token_expiration_time == datetime(2024, 1, 1, 8, 0, tzinfo=timezone.utc)
    assert token.token_expiration_time.tzinfo is timezone.utc


def test_converters_are_independent() -> None:
    """Each call builds a new converter; the module's one is not the cattrs global."""
    import cattrs

    assert make_control_plane_converter() is not CONVERTER
    assert CONVERTER is not cattrs.global_converter


@pytest.mark.parametrize(
    ("snake", "camel"),
    [
        ("maximum_message_length", "maximumMessageLength"),
        ("cloud_watch_logs", "cloudWatchLogs"),
        ("id", "id"),
    ],
)
def test_camel_case(snake: str, camel: str) -> None:
    """Field names map to the API's camelCase."""
    assert camel_case(snake) == camel


def test_chat_token_client_dict() -> None:
    """to_client_dict: the three keys the JS chat client uses, times as JavaScript's JSON."""
    from datetime import datetime, timedelta, timezone

    from ivschat_sdk import ChatToken

    east = timezone(timedelta(hours=-5))
    token = ChatToken(
        token="secret",
        token_expiration_time=datetime(2026, 12, 1, 21, 15, 32, 123456, tzinfo=timezone.utc),
        session_expiration_time=datetime(2026, 12, 1, 17, 0, 0, tzinfo=east),
    )
    assert token.to_client_dict() == {
        "token": "secret",
        "tokenExpirationTime": "2026-12-01T21:15:32.123Z",
        "sessionExpirationTime": "2026-12-01T22:00:00.000Z",
    }
