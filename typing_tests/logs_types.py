"""Pins the public types of ivschat_sdk.logs. Checked by `mypy --strict`, never run."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
from typing_extensions import assert_type

from ivschat_sdk import IvsChatError
from ivschat_sdk.logs import (
    DEFAULT_SLACK,
    LOG_VERSION,
    ChatLogError,
    FirehoseRecord,
    LogRecord,
    Transcript,
    cloudwatch_log_stream,
    decode_firehose_data,
    decode_firehose_event,
    format_log_record,
    iter_log_records,
    parse_log_record,
    read_cloudwatch_logs,
    read_log_dir,
    read_log_file,
    read_s3_logs,
    replay,
    s3_object_key,
    s3_room_prefix,
)
from ivschat_sdk.messaging import ChatEvent, ChatItem, ChatMessage, MessageDeletedEvent


def records(line: str, raw: bytes, start: datetime, end: datetime) -> None:
    record = parse_log_record(line, line_number=3, source="s3://b/k")
    assert_type(record, LogRecord)
    assert_type(parse_log_record(raw), LogRecord)
    assert_type(record.event_timestamp, datetime)
    assert_type(record.type, str)
    assert_type(record.version, str)
    assert_type(record.item, ChatItem | None)
    assert_type(record.payload, Mapping[str, Any])
    assert_type(iter_log_records([line, raw], start=start, end=end), Iterator[LogRecord])
    assert_type(format_log_record(raw, type="MESSAGE", event_timestamp=start), str)
    assert_type(LOG_VERSION, str)
    if isinstance(record.item, ChatMessage):
        assert_type(format_log_record(record.item), str)


def errors(line: str) -> None:
    def log(error: ChatLogError) -> None:
        assert_type(error.line_number, int | None)
        assert_type(error.source, str | None)
        assert_type(error.reason, str)
        assert_type(error.line, str)

    for _ in iter_log_records([line], on_error=log):
        pass
    as_sdk_error: IvsChatError = ChatLogError("bad", line=line)
    as_value_error: ValueError = ChatLogError("bad", line_number=1, source="s3://b/k")
    assert_type(as_sdk_error, IvsChatError)
    assert_type(as_value_error, ValueError)


def readers(room_arn: str, start: datetime, folder: Path, event: dict[str, Any]) -> None:
    s3 = boto3.client("s3")
    logs = boto3.client("logs")
    assert_type(read_s3_logs(s3, "bucket", room_arn, start=start), Iterator[LogRecord])
    assert_type(
        read_s3_logs(s3, "bucket", "g1H2I3j4k5L6", account_id="123456789012", region="us-west-2"),
        Iterator[LogRecord],
    )
    assert_type(
        read_cloudwatch_logs(logs, "group", room_arn, slack=DEFAULT_SLACK), Iterator[LogRecord]
    )
    assert_type(read_log_dir(folder, room_arn, slack=timedelta(0)), Iterator[LogRecord])
    assert_type(read_log_file(folder / "x.log.gz"), Iterator[LogRecord])
    with open(folder / "x.log.gz", "rb") as f:
        assert_type(read_log_file(f, source="x"), Iterator[LogRecord])
    assert_type(decode_firehose_data(b"{}"), list[LogRecord])
    assert_type(decode_firehose_data("e30="), list[LogRecord])
    for record in decode_firehose_event(event):
        assert_type(record, FirehoseRecord)
        assert_type(record.record_id, str)
        assert_type(record.approximate_arrival, datetime | None)
        assert_type(record.records, tuple[LogRecord, ...])
    assert_type(s3_room_prefix(room_arn), str)
    assert_type(s3_object_key(room_arn, start, unique="abcd0123"), str)
    assert_type(cloudwatch_log_stream(room_arn), str)


def transcripts(records: list[LogRecord], items: list[ChatItem], sync_time: float) -> None:
    transcript = replay(records, start=sync_time, hide_disconnected_users=True)
    assert_type(transcript, Transcript)
    assert_type(replay(items), Transcript)
    assert_type(transcript.messages, tuple[ChatMessage, ...])
    assert_type(transcript.events, tuple[ChatEvent, ...])
    assert_type(transcript.deleted, Mapping[str, MessageDeletedEvent])
    assert_type(transcript.until(sync_time), tuple[ChatMessage, ...])
    assert_type(transcript.between(sync_time, sync_time + 5), tuple[ChatMessage, ...])
    for message in transcript:
        assert_type(message, ChatMessage)
    assert_type(len(transcript), int)
