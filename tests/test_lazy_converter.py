"""The clients' converter needs no cattrs, and makes each model's function on its first call.

:data:`ivschat_sdk._converter.CONVERTER` structures the models with functions generated on
first use, and leaves cattrs unimported until something other than a model is asked of it;
what it returns must be what a cattrs converter from ``make_control_plane_converter`` returns.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import datetime, timezone
from typing import Any

import pytest

from ivschat_sdk import (
    ChatToken,
    CloudWatchLogsDestinationConfiguration,
    FirehoseDestinationConfiguration,
    LoggingConfiguration,
    LoggingConfigurationSummary,
    MessageReviewHandler,
    Room,
    RoomSummary,
    S3DestinationConfiguration,
)
from ivschat_sdk._converter import (
    CONVERTER,
    ControlPlaneConverter,
    make_control_plane_converter,
    unstructure_destination,
)
from ivschat_sdk._models import DestinationConfiguration

T0 = "2024-05-01T12:00:00.123Z"
ROOM: dict[str, Any] = {
    "arn": "arn:aws:ivschat:us-west-2:123456789012:room/AbCdEfGh1234",
    "id": "AbCdEfGh1234",
    "name": "lobby",
    "createTime": T0,
    "updateTime": datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc),
    "maximumMessageRatePerSecond": 10,
    "maximumMessageLength": 500,
    "messageReviewHandler": {"uri": "arn:aws:lambda:us-west-2:1:function:f", "fallbackResult": "X"},
    "tags": {"a": "b"},
    "loggingConfigurationIdentifiers": ["arn:aws:ivschat:us-west-2:1:logging-configuration/x"],
}
CONFIG: dict[str, Any] = {
    "arn": "arn:aws:ivschat:us-west-2:123456789012:logging-configuration/AbCdEfGh1234",
    "id": "AbCdEfGh1234",
    "createTime": T0,
    "updateTime": T0,
    "destinationConfiguration": {"s3": None, "cloudWatchLogs": {"logGroupName": "g"}},
    "state": "ACTIVE",
    "tags": {},
}
CASES: list[tuple[dict[str, Any], type[Any]]] = [
    (ROOM, Room),
    (ROOM, RoomSummary),
    ({k: v for k, v in ROOM.items() if k not in ("name", "messageReviewHandler")}, Room),
    ({"uri": "u"}, MessageReviewHandler),
    (CONFIG, LoggingConfiguration),
    ({**CONFIG, "destinationConfiguration": {"kafka": {"t": "x"}}}, LoggingConfigurationSummary),
    ({**CONFIG, "destinationConfiguration": {"firehose": {"deliveryStreamName": "f"}}},
     LoggingConfiguration),
    ({"token": "t", "tokenExpirationTime": T0, "sessionExpirationTime": 1714564800}, ChatToken),
]  # fmt: skip


@pytest.mark.parametrize(("data", "cls"), CASES)
def test_models_as_a_cattrs_converter_makes_them(data: dict[str, Any], cls: type[Any]) -> None:
    """A fresh converter's first call, later calls and a cattrs converter agree."""
    fresh = ControlPlaneConverter()
    expected = make_control_plane_converter().structure(data, cls)
    hook = fresh.get_structure_hook(cls)
    assert hook(data, cls) == expected  # the first call generates the function
    assert hook(data, cls) == expected
    assert fresh.structure(data, cls) == expected
    assert CONVERTER.structure(data, cls) == expected


def test_a_hook_becomes_the_generated_function() -> None:
    """A hook taken before its first call runs the generated code afterwards (no extra call)."""
    fresh = ControlPlaneConverter()
    hook: Any = fresh.get_structure_hook(RoomSummary)
    assert "before its first call" in hook.__code__.co_filename
    first = hook(ROOM, RoomSummary)
    assert hook.__code__.co_filename == "<ivschat_sdk structure RoomSummary>"
    assert fresh.get_structure_hook(RoomSummary) is hook
    assert hook(ROOM, RoomSummary) == first


def test_a_missing_field_raises_before_and_after_generation() -> None:
    """A response without a field the service always sends does not structure, first call too."""
    fresh = ControlPlaneConverter()
    data = {k: v for k, v in ROOM.items() if k != "arn"}
    hook = fresh.get_structure_hook(Room)
    for _ in range(2):
        with pytest.raises(KeyError):
            hook(data, Room)


def test_first_calls_from_many_threads_agree() -> None:
    """Threads that make the first call together all get the same, right answer."""
    fresh = ControlPlaneConverter()
    hook = fresh.get_structure_hook(Room)
    expected = make_control_plane_converter().structure(ROOM, Room)
    results: list[Any] = []
    barrier = threading.Barrier(8)

    def work() -> None:
        barrier.wait()
        results.append(hook(ROOM, Room))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 8


def test_other_types_go_through_one_cattrs_converter() -> None:
    """Containers and unstructuring use a cattrs converter built once, with the same models."""
    fresh = ControlPlaneConverter()
    rooms = fresh.structure([ROOM, ROOM], list[Room])
    assert rooms == [make_control_plane_converter().structure(ROOM, Room)] * 2
    conv = fresh.cattrs_converter
    assert fresh.cattrs_converter is conv
    assert conv.get_structure_hook(Room) is fresh.get_structure_hook(Room)
    assert conv.get_structure_hook(DestinationConfiguration) is fresh.get_structure_hook(
        DestinationConfiguration
    )
    assert fresh.unstructure(S3DestinationConfiguration(bucket_name="b")) == {"bucketName": "b"}


@pytest.mark.parametrize(
    "destination",
    [
        S3DestinationConfiguration(bucket_name="b"),
        CloudWatchLogsDestinationConfiguration(log_group_name="/aws/g"),
        FirehoseDestinationConfiguration(delivery_stream_name="s"),
    ],
)
def test_destinations_unstructure_as_cattrs_does(destination: Any) -> None:
    """A destination's wire form is what the cattrs converter gives, under its member name."""
    ((key, value),) = unstructure_destination(destination).items()
    assert value == make_control_plane_converter().unstructure(destination)
    assert CONVERTER.structure({key: value}, DestinationConfiguration) == destination


def test_the_client_path_does_not_import_cattrs() -> None:
    """Import, client, a model, a nested model and a destination: cattrs is never imported."""
    code = """
import io, json, sys
from ivschat_sdk import IvsChatClient, S3DestinationConfiguration
from botocore.awsrequest import AWSResponse
from botocore.compat import HTTPHeaders

ARN = "arn:aws:ivschat:us-west-2:123456789012:"
BODIES = {
    "CreateChatToken": {"token": "t", "tokenExpirationTime": "2024-05-01T12:00:00Z",
                        "sessionExpirationTime": "2024-05-01T13:00:00Z"},
    "GetRoom": {"arn": ARN + "room/AbCdEfGh1234", "id": "AbCdEfGh1234",
                "createTime": "2024-05-01T12:00:00Z", "updateTime": "2024-05-01T12:00:00Z",
                "maximumMessageRatePerSecond": 10, "maximumMessageLength": 500,
                "messageReviewHandler": {"uri": "", "fallbackResult": "ALLOW"}},
    "CreateLoggingConfiguration": {"arn": ARN + "logging-configuration/AbCdEfGh1234",
                "id": "AbCdEfGh1234", "createTime": "2024-05-01T12:00:00Z",
                "updateTime": "2024-05-01T12:00:00Z", "state": "CREATING",
                "destinationConfiguration": {"s3": {"bucketName": "bkt"}}},
}
sent = []

class Body(io.BytesIO):
    def stream(self, **_):
        data = self.read()
        if data:
            yield data

def answer(request, **_):
    sent.append(json.loads(request.body))
    body = json.dumps(BODIES[request.url.rsplit("/", 1)[-1]]).encode()
    headers = HTTPHeaders.from_dict({"content-type": "application/json"})
    return AWSResponse(request.url, 200, headers, Body(body))

client = IvsChatClient(region_name="us-west-2", aws_access_key_id="AKIDEXAMPLE",
                       aws_secret_access_key="secret")
client.boto3_client.meta.events.register("before-send.ivschat", answer)
for _ in range(2):
    token = client.create_chat_token(room_identifier=ARN + "room/AbCdEfGh1234", user_id="u")
    room = client.get_room(identifier=ARN + "room/AbCdEfGh1234")
    config = client.create_logging_configuration(
        destination_configuration=S3DestinationConfiguration(bucket_name="bkt"))
assert token.token == "t", token
assert room.message_review_handler.uri == "", room
assert config.destination_configuration == S3DestinationConfiguration(bucket_name="bkt"), config
assert sent[2]["destinationConfiguration"] == {"s3": {"bucketName": "bkt"}}, sent
print(sorted(m for m in sys.modules if m.split(".")[0] == "cattrs"))
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
