"""The readers, against moto's S3, CloudWatch Logs and Firehose, local folders and files."""

from __future__ import annotations

import base64
import gzip
import io
import json
import tracemalloc
from datetime import datetime, timedelta, timezone
from pathlib import Path

import boto3
import pytest

from ivschat_sdk import ParamValidationError
from ivschat_sdk.logs import (
    ChatLogError,
    FirehoseRecord,
    cloudwatch_log_stream,
    decode_firehose_data,
    decode_firehose_event,
    format_log_record,
    read_cloudwatch_logs,
    read_log_dir,
    read_log_file,
    read_s3_logs,
    s3_object_key,
    s3_room_prefix,
)
from ivschat_sdk.logs._layout import key_may_hold, key_time

from .conftest import ACCOUNT, REGION, ROOM_ARN, ROOM_ID, Spy, conversation, gzipped, ndjson

UTC = timezone.utc
T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
BUCKET = "my-chat-logs"


def ids(records: object) -> list[str]:
    return [r.item.id for r in records]  # type: ignore[attr-defined]


def second(time: datetime) -> datetime:
    """The whole second of a time: records' event_timestamp is cut to the millisecond."""
    return time.replace(microsecond=0)


# -- the key layout --------------------------------------------------------------------------


def test_the_documented_names_and_the_chosen_key_layout() -> None:
    """Prefix and stream as the service documents them; the middle and name as we chose."""
    assert s3_room_prefix(ROOM_ARN) == f"AWSLogs/{ACCOUNT}/IVSChatLogs/1.0/{REGION}/room_{ROOM_ID}/"
    assert s3_room_prefix(ROOM_ID, account_id=ACCOUNT, region=REGION) == s3_room_prefix(ROOM_ARN)
    assert cloudwatch_log_stream(ROOM_ARN) == f"aws/IVSChatLogs/1.0/room_{ROOM_ID}"
    assert cloudwatch_log_stream(ROOM_ID) == cloudwatch_log_stream(ROOM_ARN)
    key = s3_object_key(ROOM_ARN, datetime(2024, 5, 1, 9, 7, 59, tzinfo=UTC), unique="0a1b2c3d")
    assert key == (
        f"AWSLogs/{ACCOUNT}/IVSChatLogs/1.0/{REGION}/room_{ROOM_ID}/2024/05/01/09/"
        f"{ACCOUNT}_IVSChatLogs_1.0_{REGION}_room_{ROOM_ID}_20240501T0907Z_0a1b2c3d.log.gz"
    )
    assert s3_object_key(ROOM_ARN, T0) != s3_object_key(ROOM_ARN, T0)  # random by default


@pytest.mark.parametrize(
    ("room", "extra"),
    [("not a room!", {}), (ROOM_ID, {}), (ROOM_ID, {"account_id": ACCOUNT})],
)
def test_a_room_the_layout_cannot_place_is_refused(room: str, extra: dict[str, str]) -> None:
    """Not an ARN nor an id, or an id without account and region: ParamValidationError."""
    with pytest.raises(ParamValidationError, match="room"):
        s3_room_prefix(room, **extra)


def test_key_times_and_which_objects_may_hold_a_range() -> None:
    """A name's minute wins over an hour's folders; keys naming no time are always read."""
    named = s3_object_key(ROOM_ARN, datetime(2024, 5, 1, 9, 7, tzinfo=UTC))
    assert key_time(named) == (datetime(2024, 5, 1, 9, 7, tzinfo=UTC), timedelta(minutes=1))
    assert key_time("room_x/2024/05/01/09/part-0.gz") == (
        datetime(2024, 5, 1, 9, tzinfo=UTC),
        timedelta(hours=1),
    )
    assert key_time("room_x/2024/13/01/09/part-0.gz") is None
    assert key_time("room_x/some-export.log.gz") is None
    slack = timedelta(minutes=15)
    at = datetime(2024, 5, 1, 9, 7, tzinfo=UTC)
    assert key_may_hold(named, None, None, slack)
    assert key_may_hold(named, at + timedelta(minutes=15), None, slack)
    assert not key_may_hold(named, at + timedelta(minutes=16), None, slack)
    assert key_may_hold(named, None, at - timedelta(minutes=14), slack)
    assert not key_may_hold(named, None, at - timedelta(minutes=15), slack)
    assert key_may_hold("room_x/some-export.log.gz", at, at, slack)


# -- S3 ----------------------------------------------------------------------------------------


def _bucket(aws: boto3.Session) -> object:
    s3 = aws.client("s3")
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    return s3


def test_s3_reader_reads_a_rooms_objects_page_by_page(aws: boto3.Session) -> None:
    """Every object under the room's prefix, in key order, gunzipped; other rooms left alone."""
    s3 = _bucket(aws)
    items = conversation(T0)
    for minute, part in enumerate([items[:3], items[3:5], items[5:]]):
        key = s3_object_key(ROOM_ARN, T0 + timedelta(minutes=5 + minute))
        s3.put_object(Bucket=BUCKET, Key=key, Body=gzipped(part))  # type: ignore[attr-defined]
    other = s3_object_key(ROOM_ARN.replace(ROOM_ID, "zzzzzzzzzzzz"), T0)
    s3.put_object(Bucket=BUCKET, Key=other, Body=gzipped(items[:1]))  # type: ignore[attr-defined]
    spy = Spy(s3)
    records = list(read_s3_logs(spy, BUCKET, ROOM_ARN))
    assert ids(records) == [item.id for item in items]
    assert [r.item for r in records] == items
    assert spy.calls["get_object"] == 3
    assert spy.calls["page"] >= 3  # one object a page


def test_s3_reader_skips_objects_outside_the_range_and_filters_records(aws: boto3.Session) -> None:
    """Keys far from [start, end) are not fetched; records are filtered by their own time."""
    s3 = _bucket(aws)
    early = conversation(T0)
    late = conversation(T0 + timedelta(hours=3))
    for items in (early, late):
        key = s3_object_key(ROOM_ARN, items[-1].send_time + timedelta(minutes=5))
        s3.put_object(Bucket=BUCKET, Key=key, Body=gzipped(items))  # type: ignore[attr-defined]
    spy = Spy(s3)
    start = second(late[1].send_time)
    end = second(late[4].send_time)
    records = list(read_s3_logs(spy, BUCKET, ROOM_ARN, start=start, end=end))
    assert [r.item for r in records] == late[1:4]
    assert spy.calls["get_object"] == 1


def test_s3_reader_reads_other_layouts_and_appended_gzip_members(aws: boto3.Session) -> None:
    """A middle naming no time is read and filtered by record; gzip members all count."""
    s3 = _bucket(aws)
    items = conversation(T0)
    body = gzipped(items[:2]) + gzipped(items[2:])  # two members, as appending writes
    key = s3_room_prefix(ROOM_ARN) + "exports/replay.log.gz"
    s3.put_object(Bucket=BUCKET, Key=key, Body=body)  # type: ignore[attr-defined]
    plain = s3_room_prefix(ROOM_ARN) + "exports/plain.log"
    s3.put_object(Bucket=BUCKET, Key=plain, Body=ndjson(items[:1]))  # type: ignore[attr-defined]
    s3.put_object(Bucket=BUCKET, Key=s3_room_prefix(ROOM_ARN) + "exports/", Body=b"")  # type: ignore[attr-defined]
    records = list(read_s3_logs(s3, BUCKET, ROOM_ID, account_id=ACCOUNT, region=REGION))
    assert ids(records) == ["m1"] + [item.id for item in items]
    window = read_s3_logs(s3, BUCKET, ROOM_ARN, start=T0 + timedelta(seconds=6))
    assert ids(window) == ["m4"]


def test_s3_reader_reports_bad_lines_with_their_object_and_line(aws: boto3.Session) -> None:
    """A bad line names s3://bucket/key and its line number; on_error skips it."""
    s3 = _bucket(aws)
    items = conversation(T0)
    key = s3_object_key(ROOM_ARN, T0)
    body = gzip.compress(ndjson(items[:1]) + b"{oops\n" + ndjson(items[1:2]))
    s3.put_object(Bucket=BUCKET, Key=key, Body=body)  # type: ignore[attr-defined]
    with pytest.raises(ChatLogError, match=f"chat log line 2 of s3://{BUCKET}/{key}: not JSON"):
        list(read_s3_logs(s3, BUCKET, ROOM_ARN))
    errors: list[ChatLogError] = []
    assert ids(read_s3_logs(s3, BUCKET, ROOM_ARN, on_error=errors.append)) == ["m1", "m2"]
    assert [(e.line_number, e.source) for e in errors] == [(2, f"s3://{BUCKET}/{key}")]


# -- CloudWatch Logs ----------------------------------------------------------------------------


def _log_group(aws: boto3.Session, lines: list[str], stamps: list[datetime]) -> object:
    logs = aws.client("logs")
    logs.create_log_group(logGroupName="chat-logs")
    stream = cloudwatch_log_stream(ROOM_ARN)
    logs.create_log_stream(logGroupName="chat-logs", logStreamName=stream)
    events = [
        {"timestamp": int(stamp.timestamp() * 1000), "message": line}
        for line, stamp in zip(lines, stamps, strict=True)
    ]
    logs.put_log_events(logGroupName="chat-logs", logStreamName=stream, logEvents=events)
    return logs


def test_cloudwatch_reader_pages_through_the_rooms_stream(aws: boto3.Session) -> None:
    """FilterLogEvents on aws/IVSChatLogs/1.0/room_<id>, every page, then filtered by time."""
    now = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=10)  # moto keeps recent
    items = conversation(now)
    lines = [format_log_record(item) for item in items]
    logs = _log_group(aws, lines, [item.send_time for item in items])
    spy = Spy(logs)
    assert [r.item for r in read_cloudwatch_logs(spy, "chat-logs", ROOM_ARN)] == items
    assert spy.calls["page"] >= len(items)
    window = read_cloudwatch_logs(
        logs, "chat-logs", ROOM_ID, start=second(items[2].send_time), end=second(items[5].send_time)
    )
    assert [r.item for r in window] == items[2:5]


def test_cloudwatch_reader_names_a_bad_event(aws: boto3.Session) -> None:
    """A log event that is not a record names its group, stream and event id."""
    now = datetime.now(UTC) - timedelta(minutes=1)
    item = conversation(now)[0]
    logs = _log_group(aws, ["not a record", format_log_record(item)], [now, now])
    with pytest.raises(ChatLogError, match=r"of chat-logs:aws/IVSChatLogs/1\.0/room_\w+ event"):
        list(read_cloudwatch_logs(logs, "chat-logs", ROOM_ARN))
    errors: list[ChatLogError] = []
    records = list(read_cloudwatch_logs(logs, "chat-logs", ROOM_ARN, on_error=errors.append))
    assert [r.item for r in records] == [item]
    assert len(errors) == 1


def test_cloudwatch_reader_of_a_missing_group_raises_the_client_error(aws: boto3.Session) -> None:
    """A log group that does not exist is CloudWatch's ResourceNotFoundException."""
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError, match="ResourceNotFoundException"):
        list(read_cloudwatch_logs(aws.client("logs"), "no-such-group", ROOM_ARN))


# -- Firehose -----------------------------------------------------------------------------------


def test_firehose_records_delivered_to_s3_decode(aws: boto3.Session) -> None:
    """Records put to a delivery stream (one log line each) read back from its bucket."""
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="fh-out", CreateBucketConfiguration={"LocationConstraint": REGION})
    firehose = aws.client("firehose")
    firehose.create_delivery_stream(
        DeliveryStreamName="chat",
        ExtendedS3DestinationConfiguration={
            "RoleARN": f"arn:aws:iam::{ACCOUNT}:role/firehose",
            "BucketARN": "arn:aws:s3:::fh-out",
        },
    )
    items = conversation(T0)
    firehose.put_record_batch(
        DeliveryStreamName="chat",
        Records=[{"Data": (format_log_record(item) + "\n").encode()} for item in items],
    )
    records = []
    for entry in s3.list_objects_v2(Bucket="fh-out")["Contents"]:
        data = s3.get_object(Bucket="fh-out", Key=entry["Key"])["Body"].read()
        records += decode_firehose_data(data, source=entry["Key"])
    assert [r.item for r in records] == items


def test_a_transformation_lambdas_event_decodes_per_record() -> None:
    """Base64 data, several records a line or back to back; the record id and arrival kept."""
    items = conversation(T0)
    lines = [format_log_record(item) for item in items]
    event = {
        "invocationId": "i",
        "deliveryStreamArn": f"arn:aws:firehose:{REGION}:{ACCOUNT}:deliverystream/chat",
        "region": REGION,
        "records": [
            {
                "recordId": "r1",
                "approximateArrivalTimestamp": 1714564800123,
                "data": base64.b64encode(("\n".join(lines[:3]) + "\n").encode()).decode(),
            },
            {"recordId": "r2", "data": base64.b64encode("".join(lines[3:]).encode()).decode()},
        ],
    }
    decoded = list(decode_firehose_event(event))
    assert [d.record_id for d in decoded] == ["r1", "r2"]
    assert isinstance(decoded[0], FirehoseRecord)
    assert decoded[0].approximate_arrival == datetime(2024, 5, 1, 12, 0, 0, 123000, tzinfo=UTC)
    assert decoded[1].approximate_arrival is None
    assert [r.item for d in decoded for r in d.records] == items


def test_firehose_data_errors_name_the_record() -> None:
    """Bad base64 or a bad record inside names the Firehose record; on_error skips it."""
    good = format_log_record(conversation(T0)[0])
    event = {
        "records": [
            {"recordId": "r1", "data": "%%% not base64"},
            {
                "recordId": "r2",
                "data": base64.b64encode(f"{good}\n{{bad\n{good}".encode()).decode(),
            },
        ]
    }
    with pytest.raises(ChatLogError, match="Firehose record r1: unreadable Firehose data"):
        list(decode_firehose_event(event))
    errors: list[ChatLogError] = []
    decoded = list(decode_firehose_event(event, on_error=errors.append))
    assert [len(d.records) for d in decoded] == [0, 2]
    assert [(e.source, e.line_number) for e in errors] == [
        ("Firehose record r1", None),
        ("Firehose record r2", 2),
    ]
    assert decode_firehose_data(gzip.compress(good.encode()))[0].item == conversation(T0)[0]


# -- folders and files ------------------------------------------------------------------------


def test_a_folder_laid_out_like_the_bucket_reads_like_it(tmp_path: Path) -> None:
    """root/AWSLogs/... files, in key order, with the same time rules; no folder, no records."""
    items = conversation(T0)
    for minute, part in enumerate([items[:4], items[4:]]):
        path = tmp_path / s3_object_key(ROOM_ARN, T0 + timedelta(minutes=5 + minute))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gzipped(part))
    assert [r.item for r in read_log_dir(tmp_path, ROOM_ARN)] == items
    assert ids(read_log_dir(str(tmp_path), ROOM_ARN, start=second(items[3].send_time))) == ["e2", "m3", "e3", "m4"]  # fmt: skip
    other = ROOM_ARN.replace(ROOM_ID, "zzzzzzzzzzzz")
    assert list(read_log_dir(tmp_path, other)) == []


def test_a_file_plain_or_gzipped_by_path_or_stream(tmp_path: Path) -> None:
    """Compression is sniffed, not taken from the name; a path names the errors' source."""
    items = conversation(T0)
    (tmp_path / "a.log").write_bytes(ndjson(items))
    (tmp_path / "b.txt").write_bytes(gzipped(items))
    assert [r.item for r in read_log_file(tmp_path / "a.log")] == items
    assert [r.item for r in read_log_file(str(tmp_path / "b.txt"))] == items
    assert [r.item for r in read_log_file(io.BytesIO(gzipped(items)))] == items
    assert list(read_log_file(io.BytesIO(b""))) == []
    no_final_newline = ndjson(items).rstrip(b"\n")
    assert [r.item for r in read_log_file(io.BytesIO(no_final_newline))] == items


@pytest.mark.parametrize("cut", [10, -5], ids=["header", "trailer"])
def test_cut_gzip_data_is_a_chat_log_error(tmp_path: Path, cut: int) -> None:
    """Gzip data that ends early names the file and the line it broke at; on_error goes on."""
    data = gzipped(conversation(T0))[:cut]
    path = tmp_path / "cut.log.gz"
    path.write_bytes(data)
    with pytest.raises(ChatLogError, match=f"of {path}: unreadable data") as info:
        list(read_log_file(path))
    assert info.value.line_number is not None
    errors: list[ChatLogError] = []
    list(read_log_file(path, on_error=errors.append))
    assert len(errors) == 1


def test_corrupt_gzip_data_is_a_chat_log_error() -> None:
    """A corrupt deflate stream is reported, not a zlib.error."""
    data = bytearray(gzipped(conversation(T0)))
    data[20:30] = b"\xff" * 10
    with pytest.raises(ChatLogError, match="unreadable data"):
        list(read_log_file(io.BytesIO(bytes(data)), source="x"))


def _peak_reading(path: Path) -> int:
    tracemalloc.start()
    try:
        count = sum(1 for _ in read_log_file(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count > 0
    return peak


def test_reading_holds_constant_memory(tmp_path: Path) -> None:
    """Ten times the records (about 6 MB of text) need no more memory, and well under 1 MB."""
    line = format_log_record(conversation(T0)[0]).replace('"hello"', '"%s"')
    peaks = []
    for count in (2_000, 20_000):
        path = tmp_path / f"{count}.log.gz"
        with gzip.open(path, "wb", compresslevel=1) as f:
            f.writelines((line % ("x" * (n % 200)) + "\n").encode() for n in range(count))
        peaks.append(_peak_reading(path))
    small, large = peaks
    assert large < small * 1.5 + 100_000, peaks
    assert large < 1_000_000, peaks


def test_records_read_back_as_written_by_json_tools(tmp_path: Path) -> None:
    """Lines written by any JSON tool (spaces, other key order) are records too."""
    line = json.loads(format_log_record(conversation(T0)[0]))
    path = tmp_path / "x.log"
    path.write_text(json.dumps(dict(reversed(list(line.items())))) + "\n")
    assert ids(read_log_file(path)) == ["m1"]
