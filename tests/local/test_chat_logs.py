"""The local IVS Chat writes chat logs: to moto's S3, CloudWatch Logs and Firehose, and to a folder.

Every MESSAGE and EVENT a room broadcasts (from chat connections and from the API alike) goes
to each ACTIVE logging configuration of the room in the service's format; the reading half
(``ivschat_sdk.logs``) reads it back and replays what viewers saw.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import logging
import signal
import subprocess
import sys
import time
from collections.abc import Coroutine, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar

import boto3
import pytest
from websockets.asyncio.client import ClientConnection, connect

from ivschat_sdk.local import LocalIvsChat, LocalServer
from ivschat_sdk.local._chat_logs import (
    DUMMY_ACCESS_KEY_ID,
    _cloudwatch_batches,
    _firehose_batches,
)
from ivschat_sdk.logs import (
    LogRecord,
    cloudwatch_log_stream,
    decode_firehose_data,
    format_log_record,
    parse_log_record,
    read_cloudwatch_logs,
    read_log_dir,
    read_s3_logs,
    replay,
    s3_room_prefix,
)
from ivschat_sdk.testing import mock_ivschat

T = TypeVar("T")
REGION = "us-west-2"
ACCOUNT = "123456789012"
BUCKET = "chat-logs"
GROUP = "/ivs/chat-logs"
STREAM = "chat-logs"
FIREHOSE_BUCKET = "firehose-out"
ALL = ["SEND_MESSAGE", "DELETE_MESSAGE", "DISCONNECT_USER"]
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "chat_replay.py"


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(asyncio.wait_for(coroutine, 30))


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[boto3.Session]:
    """moto's mock_aws() with a bucket, a log group and a delivery stream (into a bucket)."""
    from moto import mock_aws

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    with mock_aws():
        session = boto3.Session(region_name=REGION)
        s3 = session.client("s3")
        for bucket in (BUCKET, FIREHOSE_BUCKET):
            s3.create_bucket(
                Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
            )
        session.client("logs").create_log_group(logGroupName=GROUP)
        session.client("firehose").create_delivery_stream(
            DeliveryStreamName=STREAM,
            ExtendedS3DestinationConfiguration={
                "RoleARN": f"arn:aws:iam::{ACCOUNT}:role/firehose",
                "BucketARN": f"arn:aws:s3:::{FIREHOSE_BUCKET}",
            },
        )
        yield session


DESTINATIONS = [
    {"s3": {"bucketName": BUCKET}},
    {"cloudWatchLogs": {"logGroupName": GROUP}},
    {"firehose": {"deliveryStreamName": STREAM}},
]


def logged_room(ivschat: Any, destinations: list[dict[str, Any]]) -> tuple[str, list[str]]:
    """A room with one logging configuration per destination: its ARN and theirs."""
    configs = [
        ivschat.create_logging_configuration(destinationConfiguration=d)["arn"]
        for d in destinations
    ]
    return ivschat.create_room(loggingConfigurationIdentifiers=configs)["arn"], configs


async def frame(ws: ClientConnection) -> dict[str, Any]:
    return json.loads(await asyncio.wait_for(ws.recv(), 10))  # type: ignore[no-any-return]


async def chat(ws_url: str, ivschat: Any, room: str) -> list[bytes]:
    """Alice, Bob and a moderator chat; the API sends, deletes and disconnects too.

    Returns the MESSAGE and EVENT frames the moderator received, as received, in order.
    """

    def token(user: str, caps: list[str]) -> str:
        answer = ivschat.create_chat_token(roomIdentifier=room, userId=user, capabilities=caps)
        return str(answer["token"])

    alice = await connect(ws_url, subprotocols=[token("alice", ["SEND_MESSAGE"])])  # type: ignore[list-item]
    bob = await connect(ws_url, subprotocols=[token("bob", ["SEND_MESSAGE"])])  # type: ignore[list-item]
    mod = await connect(ws_url, subprotocols=[token("mod", ALL)])  # type: ignore[list-item]
    seen: list[bytes] = []

    async def next_frame() -> dict[str, Any]:
        raw = await asyncio.wait_for(mod.recv(), 10)
        data = raw.encode() if isinstance(raw, str) else raw
        seen.append(data)
        return json.loads(data)  # type: ignore[no-any-return]

    async def say(ws: ClientConnection, text: str) -> str:
        await ws.send(json.dumps({"Action": "SEND_MESSAGE", "Content": text}))
        message = await next_frame()
        assert message["Content"] == text
        return str(message["Id"])

    await say(alice, "hello")
    spam = await say(bob, "buy cheap stuff")
    await mod.send(json.dumps({"Action": "DELETE_MESSAGE", "Id": spam, "Reason": "spam"}))
    assert (await next_frame())["EventName"] == "aws:DELETE_MESSAGE"
    await alice.send(json.dumps({"Action": "DANCE"}))  # an ERROR frame, to Alice only
    while (await frame(alice))["Type"] != "ERROR":
        pass  # what the room said before it
    oops = await say(alice, "oops, wrong window")
    await asyncio.to_thread(
        ivschat.send_event, roomIdentifier=room, eventName="app:poll", attributes={"q": "map?"}
    )
    assert (await next_frame())["EventName"] == "app:poll"
    await asyncio.to_thread(ivschat.delete_message, roomIdentifier=room, id=oops, reason="typo")
    assert (await next_frame())["EventName"] == "aws:DELETE_MESSAGE"
    await mod.send(json.dumps({"Action": "DISCONNECT_USER", "UserId": "bob", "Reason": "rude"}))
    assert (await next_frame())["EventName"] == "aws:DISCONNECT_USER"
    await asyncio.to_thread(ivschat.disconnect_user, roomIdentifier=room, userId="carol")
    assert (await next_frame())["EventName"] == "aws:DISCONNECT_USER"
    await say(alice, "bye")
    for ws in (alice, bob, mod):
        await ws.close()
    assert all(json.loads(f)["Type"] in ("MESSAGE", "EVENT") for f in seen)
    return seen


def assert_replays_the_chat(records: list[LogRecord], frames: list[bytes]) -> None:
    """The records are the frames, in order; the replay is what was said less what was deleted."""
    decoded = [json.loads(f) for f in frames]
    assert [(r.type, r.item.id) for r in records] == [  # type: ignore[union-attr]
        (f["Type"], f["Id"]) for f in decoded
    ]
    deleted = {
        f["Attributes"]["MessageID"] for f in decoded if f.get("EventName") == "aws:DELETE_MESSAGE"
    }
    said = [f["Content"] for f in decoded if f["Type"] == "MESSAGE" and f["Id"] not in deleted]
    transcript = replay(records)
    assert [m.content for m in transcript.messages] == said == ["hello", "bye"]
    assert set(transcript.deleted) == deleted
    assert set(transcript.disconnected) == {"bob", "carol"}
    assert [e.event_name for e in transcript.events] == ["app:poll"]


# -- end to end -------------------------------------------------------------------------------


def test_chat_lands_in_moto_s3_cloudwatch_logs_and_firehose(aws: boto3.Session) -> None:
    """Chat in a room with three logging configurations lands in each of moto's destinations.

    Chat over the WebSocket and the API, then a flush: each destination holds every MESSAGE
    and EVENT (no ERROR) and replays the chat. The S3 objects hold the service's lines byte for byte: the frames clients got, as payload.
    """
    emulator = LocalIvsChat(logs_to_aws=True, logs_interval=600)
    with LocalServer(emulator) as server, mock_ivschat(emulator=emulator):
        ivschat = aws.client("ivschat")
        room, _ = logged_room(ivschat, DESTINATIONS)
        frames = run(chat(server.ws_url, ivschat, room))
        emulator.flush_chat_logs()
    emulator.close()

    s3 = aws.client("s3")
    assert_replays_the_chat(list(read_s3_logs(s3, BUCKET, room)), frames)
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert len(keys) == 1
    assert keys[0].startswith(s3_room_prefix(room))
    body = gzip.decompress(s3.get_object(Bucket=BUCKET, Key=keys[0])["Body"].read()).decode()
    assert body == "".join(format_log_record(f) + "\n" for f in frames)

    logs = aws.client("logs")
    assert_replays_the_chat(list(read_cloudwatch_logs(logs, GROUP, room)), frames)
    events = logs.get_log_events(logGroupName=GROUP, logStreamName=cloudwatch_log_stream(room))
    lines = [format_log_record(f) for f in frames]
    assert [e["message"] for e in events["events"]] == lines
    assert [e["timestamp"] for e in events["events"]] == [
        (parse_log_record(line).event_timestamp - EPOCH) // timedelta(milliseconds=1)
        for line in lines
    ]

    delivered: list[LogRecord] = []
    for entry in s3.list_objects_v2(Bucket=FIREHOSE_BUCKET)["Contents"]:
        data = s3.get_object(Bucket=FIREHOSE_BUCKET, Key=entry["Key"])["Body"].read()
        assert data.endswith(b"\n")
        delivered += decode_firehose_data(data, source=entry["Key"])
    assert_replays_the_chat(delivered, frames)


def test_ivschat_local_logs_dir_written_at_sigterm(tmp_path: Path) -> None:
    """``ivschat-local --logs-dir``: the chat is in the folder after SIGTERM.

    Laid out like the bucket (and a folder per log group and delivery stream), each replays
    the chat, and so does examples/chat_replay.py given the whole folder.
    """
    logs = tmp_path / "logs"
    process = subprocess.Popen(
        [sys.executable, "-m", "ivschat_sdk.local", "--port", "0", "--quiet",
         "--logs-dir", str(logs), "--logs-interval", "600"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip().rsplit(" ", 1)[1]
        ivschat = boto3.client(
            "ivschat", region_name=REGION, endpoint_url=url,
            aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret",
        )  # fmt: skip
        room, _ = logged_room(ivschat, DESTINATIONS)
        frames = run(chat("ws" + url[len("http") :], ivschat, room))
        assert not any(p.is_file() for p in logs.rglob("*"))  # buffered, not yet written
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "chat logs: written to the folder" in err
    assert "WARNING" not in err and "could not" not in err
    for top in (
        logs / BUCKET,
        logs / "_cloudwatch_logs" / "%2Fivs%2Fchat-logs",
        logs / "_firehose" / STREAM,
    ):
        assert_replays_the_chat(list(read_log_dir(top, room)), frames)
    assert sorted(p.name for p in logs.iterdir()) == ["_cloudwatch_logs", "_firehose", BUCKET]

    result = subprocess.run(
        [sys.executable, str(EXAMPLE), "--room", room, "--dir", str(logs)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "alice: hello" in out and "alice: bye" in out and "[app:poll] q=map?" in out
    assert "cheap stuff" not in out and "wrong window" not in out
    assert "(2 messages shown; deleted by moderators: 2, users disconnected: 2)" in out


# -- what cannot be written ------------------------------------------------------------------


def test_a_missing_bucket_fails_its_configuration_once_and_the_chat_goes_on(
    aws: boto3.Session, caplog: pytest.LogCaptureFixture
) -> None:
    """No such bucket: CREATE_FAILED at the first write, one warning, the chat goes on.

    Its records are dropped; the chat is delivered and the room's other configuration
    (CloudWatch Logs) gets everything. UpdateLoggingConfiguration makes it ACTIVE again and
    it logs from then on.
    """
    emulator = LocalIvsChat(logs_to_aws=True, logs_interval=600)
    with LocalServer(emulator) as server, mock_ivschat(emulator=emulator):
        ivschat: Any = aws.client("ivschat")
        room, (s3_config, _) = logged_room(
            ivschat, [{"s3": {"bucketName": "no-such-bucket"}}, DESTINATIONS[1]]
        )

        async def say(count: int) -> None:
            token = ivschat.create_chat_token(roomIdentifier=room, userId="a", capabilities=ALL)
            async with connect(server.ws_url, subprotocols=[token["token"]]) as ws:
                for i in range(count):
                    await ws.send(json.dumps({"Action": "SEND_MESSAGE", "Content": f"m{i}"}))
                    assert (await frame(ws))["Content"] == f"m{i}"  # delivered

        run(say(5))
        with caplog.at_level(logging.WARNING, logger="ivschat_sdk.local.chat_logs"):
            emulator.flush_chat_logs()
        warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
        assert len(warnings) == 1, warnings
        assert "S3 bucket 'no-such-bucket'" in warnings[0]
        assert "does not exist" in warnings[0] and "CREATE_FAILED" in warnings[0]
        assert "5 record(s) were dropped" in warnings[0]
        config = ivschat.get_logging_configuration(identifier=s3_config)
        assert config["state"] == "CREATE_FAILED"

        caplog.clear()
        run(say(3))
        with caplog.at_level(logging.WARNING, logger="ivschat_sdk.local.chat_logs"):
            emulator.flush_chat_logs()
        assert caplog.records == []  # not ACTIVE: nothing tried, nothing to say

        aws.client("s3").create_bucket(
            Bucket="no-such-bucket", CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        again = ivschat.update_logging_configuration(identifier=s3_config, name="again")
        assert again["state"] == "ACTIVE"
        run(say(2))
        emulator.flush_chat_logs()
    emulator.close()
    logs = aws.client("logs")
    assert len(list(read_cloudwatch_logs(logs, GROUP, room))) == 10
    s3_records = list(read_s3_logs(aws.client("s3"), "no-such-bucket", room))
    assert [r.item.content for r in s3_records] == ["m0", "m1"]  # type: ignore[union-attr]


def test_a_log_group_deleted_after_delivery_drops_the_batch_and_stays_active(
    aws: boto3.Session, caplog: pytest.LogCaptureFixture
) -> None:
    """A destination reached before and gone now: the write's records dropped, one warning.

    The configuration stays ACTIVE: only setting a destination up can fail it.
    """
    with mock_ivschat(emulator=LocalIvsChat(logs_to_aws=True, logs_interval=600)) as emulator:
        ivschat = aws.client("ivschat")
        room, (config,) = logged_room(ivschat, [DESTINATIONS[1]])
        ivschat.send_event(roomIdentifier=room, eventName="app:one")
        emulator.flush_chat_logs()
        aws.client("logs").delete_log_group(logGroupName=GROUP)
        for _ in range(4):
            ivschat.send_event(roomIdentifier=room, eventName="app:two")
        with caplog.at_level(logging.WARNING, logger="ivschat_sdk.local.chat_logs"):
            emulator.flush_chat_logs()
        messages = [r.getMessage() for r in caplog.records]
        assert len(messages) == 1
        assert messages[0].startswith(
            f"chat logs: CloudWatch Logs group {GROUP!r} (logging configuration {config}) does "
            "not exist any more (An error occurred (ResourceNotFoundException)"
        )
        assert messages[0].endswith("; dropped 4 record(s)")
        assert ivschat.get_logging_configuration(identifier=config)["state"] == "ACTIVE"
        emulator.close()


def test_an_unwritable_folder_keeps_the_records_and_writes_them_when_it_can(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A failed write keeps its records, says so once per write, and delivers them later.

    Here the fault is a file where the bucket's folder should be; once it is gone, the next
    write delivers everything kept, in order.
    """
    blocker = tmp_path / BUCKET
    blocker.write_text("not a folder")
    with mock_ivschat(emulator=LocalIvsChat(logs_dir=tmp_path, logs_interval=600)) as emulator:
        ivschat = boto3.client("ivschat", region_name=REGION)
        room, _ = logged_room(ivschat, [DESTINATIONS[0]])
        for name in ("app:a", "app:b"):
            ivschat.send_event(roomIdentifier=room, eventName=name)
        with caplog.at_level(logging.WARNING, logger="ivschat_sdk.local.chat_logs"):
            emulator.flush_chat_logs()
            ivschat.send_event(roomIdentifier=room, eventName="app:c")
            emulator.flush_chat_logs()
        messages = [r.getMessage() for r in caplog.records]
        assert len(messages) == 2
        assert messages[0].startswith(
            f"chat logs: could not write 2 record(s) to S3 bucket '{BUCKET}'"
        )
        assert messages[1].startswith(
            f"chat logs: could not write 3 record(s) to S3 bucket '{BUCKET}'"
        )
        assert "trying again in 600s" in messages[1]
        blocker.unlink()
        emulator.flush_chat_logs()
        names = [r.item.event_name for r in read_log_dir(tmp_path / BUCKET, room)]  # type: ignore[union-attr]
        assert names == ["app:a", "app:b", "app:c"]
        emulator.close()


def test_an_unreachable_endpoint_is_one_warning_per_write_and_no_crash(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """--logs-endpoint-url with nothing listening: the API call answers, one warning a write."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    emulator = LocalIvsChat(logs_endpoint_url=f"http://127.0.0.1:{port}", logs_interval=600)
    with mock_ivschat(emulator=emulator):
        ivschat = boto3.client("ivschat", region_name=REGION)
        room, _ = logged_room(ivschat, [DESTINATIONS[2]])
        for _ in range(3):
            assert ivschat.send_event(roomIdentifier=room, eventName="app:x")["id"]
        with caplog.at_level(logging.WARNING, logger="ivschat_sdk.local.chat_logs"):
            emulator.flush_chat_logs()
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 1
    assert messages[0].startswith(
        f"chat logs: could not write 3 record(s) to Firehose delivery stream '{STREAM}'"
    )
    assert "Could not connect to the endpoint URL" in messages[0]
    emulator.close()


def test_an_endpoint_url_gets_path_style_requests_with_dummy_credentials(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``logs_endpoint_url``: S3 requests go there, path-style, with dummy credentials.

    As ``--logs-endpoint-url`` with no credentials set: the request is signed with the dummy
    access key for the room's region, and the object is the gzip NDJSON of the records.
    """
    import http.server
    import threading

    received: list[tuple[str, str, str, bytes]] = []

    class FakeS3(http.server.BaseHTTPRequestHandler):
        def do_PUT(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.command, self.path, self.headers["Authorization"], body))
            self.send_response(200)
            self.send_header("ETag", '"0"')
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeS3)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        emulator = LocalIvsChat(logs_endpoint_url=url, logs_interval=600)
        with mock_ivschat(emulator=emulator):
            ivschat = boto3.client("ivschat", region_name=REGION)
            room, _ = logged_room(ivschat, [DESTINATIONS[0]])
            ivschat.send_event(roomIdentifier=room, eventName="app:x")
        for name in (
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_PROFILE",
        ):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
        monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
        monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
        emulator.close()
    finally:
        server.shutdown()
        server.server_close()
    assert len(received) == 1
    method, path, authorization, body = received[0]
    assert method == "PUT"
    assert path.startswith(f"/{BUCKET}/{s3_room_prefix(room)}")
    assert (
        f"Credential={DUMMY_ACCESS_KEY_ID}/" in authorization and f"/{REGION}/s3/" in authorization
    )
    lines = gzip.decompress(body).decode().splitlines()
    assert [json.loads(line)["payload"]["EventName"] for line in lines] == ["app:x"]


def test_a_full_buffer_drops_new_records_and_says_how_many(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """``logs_buffer`` bounds what waits: the records beyond it are dropped and counted."""
    emulator = LocalIvsChat(logs_dir=tmp_path, logs_interval=600, logs_buffer=3)
    with (
        mock_ivschat(emulator=emulator),
        caplog.at_level(logging.WARNING, logger="ivschat_sdk.local.chat_logs"),
    ):
        ivschat = boto3.client("ivschat", region_name=REGION)
        room, _ = logged_room(ivschat, [DESTINATIONS[0]])
        # Half full wakes the background write: hold the emulator's lock (the API calls of
        # this thread take it again) so that the five arrive before any write.
        with emulator._lock:
            for i in range(5):
                ivschat.send_event(roomIdentifier=room, eventName=f"app:{i}")
        emulator.flush_chat_logs()
    assert [r.getMessage() for r in caplog.records] == [
        "chat logs: the buffer of 3 records was full; dropped 2 record(s) since the last write "
        "(writes every 600s)"
    ]
    names = [r.item.event_name for r in read_log_dir(tmp_path / BUCKET, room)]  # type: ignore[union-attr]
    assert names == ["app:0", "app:1", "app:2"]
    emulator.close()


# -- when records are written ---------------------------------------------------------------


def test_records_are_written_on_the_interval_without_a_flush(tmp_path: Path) -> None:
    """The background write comes every ``logs_interval`` seconds, with nothing asked."""
    emulator = LocalIvsChat(logs_dir=tmp_path, logs_interval=0.1)
    with mock_ivschat(emulator=emulator):
        ivschat = boto3.client("ivschat", region_name=REGION)
        room, _ = logged_room(ivschat, [DESTINATIONS[0]])
        ivschat.send_event(roomIdentifier=room, eventName="app:tick")
        deadline = time.monotonic() + 10
        while not list(read_log_dir(tmp_path / BUCKET, room)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [r.item.event_name for r in read_log_dir(tmp_path / BUCKET, room)] == ["app:tick"]  # type: ignore[union-attr]
    emulator.close()


def test_local_server_stop_writes_what_is_buffered(tmp_path: Path) -> None:
    """LocalServer.stop() writes the buffered records, however long the interval."""
    emulator = LocalIvsChat(logs_dir=tmp_path, logs_interval=600)
    with LocalServer(emulator), mock_ivschat(emulator=emulator):
        ivschat = boto3.client("ivschat", region_name=REGION)
        room, _ = logged_room(ivschat, [DESTINATIONS[0]])
        ivschat.send_event(roomIdentifier=room, eventName="app:last")
        assert list(read_log_dir(tmp_path / BUCKET, room)) == []
    assert [r.item.event_name for r in read_log_dir(tmp_path / BUCKET, room)] == ["app:last"]  # type: ignore[union-attr]
    emulator.close()


def test_only_rooms_with_active_logging_configurations_are_logged(tmp_path: Path) -> None:
    """A room without logging configurations writes nothing; logging off writes nothing."""
    emulator = LocalIvsChat(logs_dir=tmp_path / "on", logs_interval=600)
    with mock_ivschat(emulator=emulator):
        ivschat = boto3.client("ivschat", region_name=REGION)
        plain = ivschat.create_room()["arn"]
        ivschat.send_event(roomIdentifier=plain, eventName="app:unlogged")
        emulator.flush_chat_logs()
    assert list((tmp_path / "on").iterdir()) == []
    emulator.close()
    off = LocalIvsChat()
    with mock_ivschat(emulator=off):
        ivschat = boto3.client("ivschat", region_name=REGION)
        room, _ = logged_room(ivschat, [DESTINATIONS[0]])
        ivschat.send_event(roomIdentifier=room, eventName="app:metadata-only")
        off.flush_chat_logs()  # a no-op
    assert off._chat_logs is None


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"logs_dir": ".", "logs_to_aws": True}, "not both"),
        ({"logs_dir": ".", "logs_endpoint_url": "http://x"}, "not both"),
        ({"logs_endpoint_url": "localhost:5000"}, "must be an http(s) URL"),
        ({"logs_interval": 0}, "logs_interval must be a number of seconds > 0"),
        ({"logs_buffer": 0}, "logs_buffer must be at least 1"),
    ],
)
def test_bad_logging_options_are_refused_in_one_line(options: dict[str, Any], message: str) -> None:
    """Contradictory or impossible chat-log options: ValueError before anything starts."""
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        LocalIvsChat(**options)


def test_a_logs_dir_that_is_a_file_is_refused(tmp_path: Path) -> None:
    """logs_dir must be (or become) a folder."""
    (tmp_path / "file").write_text("")
    with pytest.raises(ValueError, match="cannot be made"):
        LocalIvsChat(logs_dir=tmp_path / "file")


def test_batches_keep_within_the_apis_limits() -> None:
    """PutLogEvents: 10,000 events, 1 MiB, 24 hours a batch; PutRecordBatch: 500 records, 4 MiB."""
    small = [(i, "r", "x" * 10) for i in range(25_000)]
    assert [len(b) for b in _cloudwatch_batches(small)] == [10_000, 10_000, 5_000]
    big = [(i, "r", "x" * 200_000) for i in range(12)]
    assert [len(b) for b in _cloudwatch_batches(big)] == [5, 5, 2]
    day = 24 * 3600 * 1000
    assert [
        len(b) for b in _cloudwatch_batches([(0, "r", "a"), (day - 1, "r", "b"), (day, "r", "c")])
    ] == [2, 1]
    assert [len(b) for b in _firehose_batches(small[:1001])] == [500, 500, 1]
    huge = [(i, "r", "x" * 1_000_000) for i in range(10)]
    assert [len(b) for b in _firehose_batches(huge)] == [4, 4, 2]
