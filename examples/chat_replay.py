"""Chat replay: print a room's transcript from wherever its chat logs went.

IVS Chat keeps no history; a room's logging configurations write every message and event to
S3, CloudWatch Logs or Firehose. This reads them back, drops what moderators deleted and
prints what viewers saw, in time order:

    python examples/chat_replay.py --room ROOM_ARN --s3-bucket my-chat-logs
    python examples/chat_replay.py --room ROOM_ARN --log-group my-chat-logs --since 2h
    python examples/chat_replay.py --room ROOM_ARN --dir ./logs      # ivschat-local --logs-dir
    python examples/chat_replay.py --room ROOM_ARN --dir ./logs/my-chat-logs   # one bucket's
    python examples/chat_replay.py --demo                           # offline, in moto

``--start``/``--end`` (ISO 8601) or ``--since`` (e.g. ``90m``, ``2h``, ``1d``) pick the time
range, e.g. a recorded stream's; ``--hide-disconnected`` also drops everything said by users
moderators disconnected; ``--at`` prints only what a viewer saw at that moment (a video
player's sync time). ``--endpoint-url`` points the boto3 clients at an S3- or
CloudWatch-compatible endpoint (a moto server, LocalStack). ``--demo`` needs moto
(``pip install moto``): it writes a sample chat into moto's S3 bucket and log group, and into
a folder, then replays each.
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
import tempfile
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from ivschat_sdk.logs import (
    ChatLogError,
    LogRecord,
    Transcript,
    cloudwatch_log_stream,
    format_log_record,
    read_cloudwatch_logs,
    read_log_dir,
    read_s3_logs,
    replay,
    s3_object_key,
)
from ivschat_sdk.messaging import (
    ChatEvent,
    ChatItem,
    ChatMessage,
    MessageDeletedEvent,
    Sender,
    UserDisconnectedEvent,
)

UTC = timezone.utc
DEMO_ROOM = "arn:aws:ivschat:us-west-2:123456789012:room/g1H2I3j4k5L6"
_SPAN = re.compile(r"(\d+(?:\.\d+)?)([smhd])")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def print_transcript(transcript: Transcript, at: datetime | None = None) -> None:
    """One line a message (time, who, what) or app event, in time order, then a summary."""
    messages = transcript.until(at) if at is not None else transcript.messages
    events = [e for e in transcript.events if at is None or e.send_time <= at]
    shown: list[ChatMessage | ChatEvent] = [*messages, *events]
    for item in sorted(shown, key=lambda item: item.send_time):
        when = f"{item.send_time:%H:%M:%S.%f}"[:-3]
        if isinstance(item, ChatMessage):
            who = item.sender.attributes.get("displayName", item.sender.user_id)
            print(f"  {when}  {who}: {item.content}")
        else:
            attributes = ", ".join(f"{k}={v}" for k, v in item.attributes.items())
            print(f"  {when}  [{item.event_name}] {attributes}")
    print(
        f"  ({len(messages)} messages shown; deleted by moderators: {len(transcript.deleted)}, "
        f"users disconnected: {len(transcript.disconnected)})"
    )


def skip_bad_line(error: ChatLogError) -> None:
    """Say which line of which object is not a record, and go on."""
    print(f"  skipped: {error}", file=sys.stderr)


def show(records: Iterable[LogRecord], args: argparse.Namespace) -> None:
    """Replay the records for the chosen window and print the transcript."""
    transcript = replay(
        records, start=args.start, end=args.end, hide_disconnected_users=args.hide_disconnected
    )
    print_transcript(transcript, at=args.at)


def sample_chat(start: datetime) -> list[ChatItem]:
    """A short chat: greetings, spam a moderator deletes, a poll, a user kicked."""
    alice = Sender(user_id="alice", attributes={"displayName": "Alice"})
    bob = Sender(user_id="bob", attributes={"displayName": "Bob"})
    carol = Sender(user_id="carol")

    def at(seconds: float) -> datetime:
        return start + timedelta(seconds=seconds)

    return [
        ChatMessage(id="AbCdEfGh0001", content="hi all, stream starting", send_time=at(0), sender=alice),
        ChatMessage(id="AbCdEfGh0002", content="BUY NOW cheap followers", send_time=at(2.5), sender=bob),
        MessageDeletedEvent(id="EvEnT0000001", message_id="AbCdEfGh0002", reason="spam", send_time=at(3)),
        ChatEvent(id="EvEnT0000002", event_name="app:poll-started", attributes={"question": "Best map?"}, send_time=at(5)),
        ChatMessage(id="AbCdEfGh0003", content="dust2 obviously", send_time=at(6.25), sender=carol),
        ChatMessage(id="AbCdEfGh0004", content="you all are idiots", send_time=at(8), sender=bob),
        UserDisconnectedEvent(id="EvEnT0000003", user_id="bob", reason="rude", send_time=at(9)),
        ChatMessage(id="AbCdEfGh0005", content="thanks for watching!", send_time=at(12), sender=alice),
    ]  # fmt: skip


def demo(args: argparse.Namespace) -> None:
    """Write a sample chat as the service would (S3, CloudWatch Logs, a folder), replay each."""
    import gzip

    import boto3
    from moto import mock_aws

    start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=30)
    items = sample_chat(start)
    lines = [format_log_record(item) for item in items]
    with mock_aws():
        session = boto3.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-west-2"
        )
        s3 = session.client("s3")
        s3.create_bucket(
            Bucket="demo-chat-logs", CreateBucketConfiguration={"LocationConstraint": "us-west-2"}
        )
        # Two objects, delivered five minutes apart, as S3 logging batches them.
        for part, delivered in ((lines[:4], 5), (lines[4:], 10)):
            key = s3_object_key(DEMO_ROOM, start + timedelta(minutes=delivered))
            body = gzip.compress("".join(line + "\n" for line in part).encode())
            s3.put_object(Bucket="demo-chat-logs", Key=key, Body=body)
        logs = session.client("logs")
        stream = cloudwatch_log_stream(DEMO_ROOM)
        logs.create_log_group(logGroupName="demo-chat-logs")
        logs.create_log_stream(logGroupName="demo-chat-logs", logStreamName=stream)
        logs.put_log_events(
            logGroupName="demo-chat-logs",
            logStreamName=stream,
            logEvents=[
                {"timestamp": int(item.send_time.timestamp() * 1000), "message": line}
                for item, line in zip(items, lines, strict=True)
            ],
        )
        print("From S3 (bucket demo-chat-logs, two gzip objects):")
        show(read_s3_logs(s3, "demo-chat-logs", DEMO_ROOM, start=args.start, end=args.end), args)
        print(f"From CloudWatch Logs (demo-chat-logs, {stream}):")
        show(read_cloudwatch_logs(logs, "demo-chat-logs", DEMO_ROOM), args)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / s3_object_key(DEMO_ROOM, start + timedelta(minutes=5))
        path.parent.mkdir(parents=True)
        path.write_bytes(gzip.compress("".join(line + "\n" for line in lines).encode()))
        print("From a folder laid out like the bucket:")
        show(read_log_dir(folder, DEMO_ROOM), args)
        args.hide_disconnected = True
        print("From the folder, hiding disconnected users:")
        show(read_log_dir(folder, DEMO_ROOM), args)
        args.hide_disconnected = False
        args.at = start + timedelta(seconds=7)
        print(f"What a viewer saw at {args.at:%H:%M:%S} (a player's sync time):")
        show(read_log_dir(folder, DEMO_ROOM), args)


def read_folder(folder: str, room: str, **options: Any) -> Iterable[LogRecord]:
    """A folder laid out like a bucket, or ``ivschat-local --logs-dir``'s: one per destination.

    In the latter (``DIR/<bucket>/AWSLogs/...``, ``DIR/_cloudwatch_logs/<group>/AWSLogs/...``,
    ``DIR/_firehose/<stream>/AWSLogs/...``) every destination's records are read; a message
    logged to several is replayed once (``replay`` keeps one per Id).
    """
    root = Path(folder)
    if (root / "AWSLogs").is_dir():
        return read_log_dir(root, room, **options)
    tops = sorted(p.parent for p in [*root.glob("*/AWSLogs"), *root.glob("_*/*/AWSLogs")])
    return itertools.chain.from_iterable(read_log_dir(top, room, **options) for top in tops)


def parse_time(text: str) -> datetime:
    """An ISO 8601 time (naive = UTC)."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def parse_span(text: str) -> timedelta:
    """``90m``, ``2h``, ``1.5d``... as a timedelta."""
    match = _SPAN.fullmatch(text)
    if match is None:
        raise argparse.ArgumentTypeError(f"not a duration like 90m, 2h or 1d: {text!r}")
    return timedelta(**{_UNITS[match.group(2)]: float(match.group(1))})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--s3-bucket", help="the S3 logging configuration's bucket")
    where.add_argument("--log-group", help="the CloudWatch Logs logging configuration's group")
    where.add_argument(
        "--dir", help="a folder laid out like the bucket, or ivschat-local --logs-dir's folder"
    )
    where.add_argument("--demo", action="store_true", help="write sample logs into moto, replay")
    parser.add_argument("--room", help="the room's ARN")
    parser.add_argument("--start", type=parse_time, help="from this time (ISO 8601)")
    parser.add_argument("--end", type=parse_time, help="until this time (ISO 8601)")
    parser.add_argument("--since", type=parse_span, help="from this long ago, e.g. 2h")
    parser.add_argument("--at", type=parse_time, help="only what a viewer saw at this time")
    parser.add_argument("--hide-disconnected", action="store_true")
    parser.add_argument("--region", help="the clients' region (default: the room's)")
    parser.add_argument("--endpoint-url", help="an S3- or CloudWatch-compatible endpoint")
    args = parser.parse_args(argv)
    if args.since is not None:
        args.start = datetime.now(UTC) - args.since
    if args.demo:
        demo(args)
        return 0
    if not args.room:
        parser.error("--room ROOM_ARN is needed (except with --demo)")
    skip = skip_bad_line
    if args.dir:
        records = read_folder(args.dir, args.room, start=args.start, end=args.end, on_error=skip)
    else:
        import boto3

        region = args.region or args.room.split(":")[3]
        if args.s3_bucket:
            s3 = boto3.client("s3", region_name=region, endpoint_url=args.endpoint_url)
            records = read_s3_logs(
                s3, args.s3_bucket, args.room, start=args.start, end=args.end, on_error=skip
            )
        else:
            logs = boto3.client("logs", region_name=region, endpoint_url=args.endpoint_url)
            records = read_cloudwatch_logs(
                logs, args.log_group, args.room, start=args.start, end=args.end, on_error=skip
            )
    print(f"Chat replay of {args.room}:")
    show(records, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
