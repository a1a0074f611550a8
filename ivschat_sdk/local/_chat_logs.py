"""Chat logging in the local IVS Chat: each broadcast written to its room's logging configurations.

A room with logging configurations has every MESSAGE and EVENT it broadcasts (from chat
connections and from the SendEvent, DeleteMessage and DisconnectUser operations alike; ERROR
frames are never broadcast, so never logged) written to each configuration's destination, in
the service's record format (:func:`ivschat_sdk.logs.format_log_record` on the very bytes the
clients got).

The chat fan-out only appends ``(room ARN, its configurations, frame)`` to a bounded list
(:meth:`ChatLogWriter.record`, called by :class:`~ivschat_sdk.local.ChatHub` under the
emulator's lock). A background thread formats and writes the records every ``interval``
seconds, and on demand (:meth:`ChatLogWriter.flush`) and when the emulator is closed or its
server stopped. Where they go is the user's choice (a :class:`FolderSink` or an
:class:`AwsSink`); what happens to records that cannot be written is documented in
``docs/logging.md`` ("The local IVS Chat writes logs").
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import threading
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

import attrs

from ..logs._layout import cloudwatch_log_stream, s3_object_key
from ..logs._records import format_log_record
from ..messaging._frames import fast_timestamp
from ._records import LoggingConfiguration, Room

__all__ = [
    "DUMMY_ACCESS_KEY_ID",
    "LOGS_BUFFER",
    "LOGS_INTERVAL",
    "AwsSink",
    "ChatLogWriter",
    "FolderSink",
    "LogHost",
    "Outcome",
    "Sink",
    "Target",
    "chat_log_writer",
    "log_line",
]

_log = logging.getLogger("ivschat_sdk.local.chat_logs")

LOGS_INTERVAL = 2.0
"""Seconds between two writes of the buffered records. The service delivers after about five
minutes to S3 and about ten seconds to CloudWatch Logs and Firehose; locally, two seconds for
all, so that a test or a demo sees its logs at once (``flush_chat_logs()`` does not wait at all)."""
LOGS_BUFFER = 100_000
"""Records (messages and events) waiting to be written at most; beyond, new ones are dropped
(and counted in one warning per write), so that a stuck destination never grows the memory."""

DUMMY_ACCESS_KEY_ID = "ivschat-local"
"""The access key id an endpoint URL is called with when no credentials are set."""

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MILLISECOND = timedelta(milliseconds=1)
_DAY_MS = 24 * 3600 * 1000
# CloudWatch Logs' PutLogEvents and Firehose's PutRecordBatch limits (their API references).
_CW_MAX_EVENTS = 10_000
_CW_MAX_BYTES = 1_048_576
_CW_EVENT_OVERHEAD = 26
_FH_MAX_RECORDS = 500
_FH_MAX_BYTES = 4 * 1024 * 1024
_KINDS = {
    "s3": ("bucketName", "S3 bucket"),
    "cloudWatchLogs": ("logGroupName", "CloudWatch Logs group"),
    "firehose": ("deliveryStreamName", "Firehose delivery stream"),
}
# A folder destination's top folder for each kind: an S3 bucket's name; a name beginning
# with "_" for the others, which no bucket name can be ([a-z0-9-.]).
_FOLDERS = {"s3": "", "cloudWatchLogs": "_cloudwatch_logs", "firehose": "_firehose"}

Entry = tuple[str, tuple[str, ...], bytes]
"""A buffered broadcast: the room's ARN, its logging configurations' ARNs, the frame."""
Line = tuple[int, str, str]
"""A record ready to write: its ``event_timestamp`` in epoch milliseconds, its room's ARN,
the log line (without its line break)."""


class LogHost(Protocol):
    """What the writer needs of the emulator's backend."""

    lock: Any
    """The lock that guards all state (the chat fan-out holds it while it records)."""

    def now(self) -> datetime:
        """The emulator's current time (aware UTC)."""

    def room_by_arn(self, arn: str) -> Room | None:
        """The room an ARN names, or None."""

    def logging_configuration_by_arn(self, arn: str) -> LoggingConfiguration | None:
        """The logging configuration an ARN names, or None."""

    def fail_logging_configuration(self, arn: str) -> str | None:
        """Mark a configuration whose destination does not exist; return its new state."""


@attrs.frozen
class Target:
    """Where one logging configuration writes, as read at the start of a write."""

    arn: str
    """The logging configuration's ARN."""
    kind: str
    """``s3``, ``cloudWatchLogs`` or ``firehose``."""
    name: str
    """The bucket, log group or delivery stream."""
    region: str
    """The configuration's (and its rooms') region."""

    @property
    def key(self) -> tuple[str, str, str]:
        """The configuration and its destination: a new destination is a new key."""
        return self.arn, self.kind, self.name

    def __str__(self) -> str:
        return f"{_KINDS[self.kind][1]} {self.name!r} (logging configuration {self.arn})"


@attrs.define
class Outcome:
    """What one write to one destination did."""

    undelivered: list[Line] = attrs.Factory(list)
    """Records to try again at the next write."""
    error: str | None = None
    """Why some records were not written."""
    missing: bool = False
    """The destination does not exist: nothing was written, nothing is kept."""
    rejected: int = 0
    """Records the destination refused for good (CloudWatch Logs: too old or too new)."""


class Sink(Protocol):
    """Writes records to destinations."""

    def deliver(self, target: Target, lines: list[Line], now: datetime) -> Outcome:
        """Write ``lines`` (in time order) to ``target``; never raises."""

    def describe(self) -> str:
        """Where the records go, in words."""


def _by_room(lines: Iterable[Line]) -> dict[str, list[Line]]:
    rooms: dict[str, list[Line]] = {}
    for line in lines:
        rooms.setdefault(line[1], []).append(line)
    return rooms


def _ndjson_gzip(lines: Iterable[Line]) -> bytes:
    return gzip.compress("".join(line[2] + "\n" for line in lines).encode(), compresslevel=6)


def _folder_name(name: str) -> str:
    """A destination name as one folder name: ``/`` and ``#`` escaped, never ``.`` or ``..``."""
    quoted = quote(name, safe="")
    return quoted.replace(".", "%2E") if quoted in (".", "..") else quoted


class FolderSink:
    """Writes every destination into a folder laid out like the S3 bucket.

    An S3 configuration's records go to ``root/<bucket>/<S3 key>``; a CloudWatch Logs
    configuration's to ``root/_cloudwatch_logs/<log group>/<S3 key>``; a Firehose
    configuration's to ``root/_firehose/<delivery stream>/<S3 key>`` (names with ``/`` or
    ``#`` percent-encoded). Each write makes one gzip NDJSON file per room, named by
    :func:`~ivschat_sdk.logs.s3_object_key` for the write's time, written whole under a
    temporary name and then renamed, so that readers never see half a file. A folder
    destination always exists.
    """

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def describe(self) -> str:
        """Where the records go."""
        return f"the folder {str(self.root)!r}"

    def deliver(self, target: Target, lines: list[Line], now: datetime) -> Outcome:
        """Write one file per room under the target's folder."""
        top = self.root
        if _FOLDERS[target.kind]:
            top = top / _FOLDERS[target.kind]
        top = top / _folder_name(target.name)
        outcome = Outcome()
        for room, room_lines in _by_room(lines).items():
            key = s3_object_key(room, now)
            path = top.joinpath(*key.split("/"))
            temporary = top / f".{path.name}.tmp"
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                temporary.write_bytes(_ndjson_gzip(room_lines))
                os.replace(temporary, path)
            except OSError as err:
                outcome.undelivered += room_lines
                outcome.error = str(err)
        return outcome


def _error_code(err: BaseException) -> str:
    response = getattr(err, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return ""


class AwsSink:
    r"""Writes through boto3 clients to S3, CloudWatch Logs and Firehose.

    The clients are made by boto3 for each configuration's region (credentials from the
    default chain; inside moto's ``mock_aws()``, moto answers them). With ``endpoint_url``,
    every client goes there (a moto server, LocalStack), path-style for S3, and with dummy
    credentials (:data:`DUMMY_ACCESS_KEY_ID`) when there are none.

    - S3: one gzip NDJSON object per room and write, ``PutObject`` at
      :func:`~ivschat_sdk.logs.s3_object_key`; ``NoSuchBucket`` means missing.
    - CloudWatch Logs: the room's stream (:func:`~ivschat_sdk.logs.cloudwatch_log_stream`)
      is created when first written (``CreateLogStream``), then ``PutLogEvents`` in time
      order, one event a record (``timestamp`` = ``event_timestamp``), in batches within the
      API's limits; ``ResourceNotFoundException`` for the group means missing.
    - Firehose: ``PutRecordBatch``, one record a log record, its data the line and ``\n``,
      500 at most per call; records the answer lists as failed are tried again;
      ``ResourceNotFoundException`` means missing.
    """

    def __init__(self, endpoint_url: str | None = None) -> None:
        self.endpoint_url = endpoint_url
        self._session: Any = None
        self._clients: dict[tuple[str, str], Any] = {}
        self._streams: set[tuple[str, str, str]] = set()

    def describe(self) -> str:
        """Where the records go."""
        if self.endpoint_url:
            return f"S3, CloudWatch Logs and Firehose at {self.endpoint_url}"
        return "S3, CloudWatch Logs and Firehose through boto3's default endpoints"

    def client(self, service: str, region: str) -> Any:
        """The boto3 client of ``service`` in ``region`` (made once, then reused)."""
        client = self._clients.get((service, region))
        if client is None:
            import boto3
            from botocore.config import Config

            if self._session is None:
                self._session = boto3.session.Session()
            options: dict[str, Any] = {}
            config = Config(
                connect_timeout=3, read_timeout=10, retries={"mode": "standard", "max_attempts": 2}
            )
            if self.endpoint_url:
                options["endpoint_url"] = self.endpoint_url
                config = config.merge(Config(s3={"addressing_style": "path"}))
                if self._session.get_credentials() is None:
                    options["aws_access_key_id"] = DUMMY_ACCESS_KEY_ID
                    options["aws_secret_access_key"] = "ivschat-local"  # a dummy
            client = self._session.client(service, region_name=region, config=config, **options)
            self._clients[(service, region)] = client
        return client

    def deliver(self, target: Target, lines: list[Line], now: datetime) -> Outcome:
        """Write to the target's bucket, log group or delivery stream."""
        try:
            if target.kind == "s3":
                return self._s3(target, lines, now)
            if target.kind == "cloudWatchLogs":
                return self._cloudwatch(target, lines)
            return self._firehose(target, lines)
        except Exception as err:  # e.g. no credentials: everything is tried again
            return Outcome(undelivered=list(lines), error=str(err) or type(err).__name__)

    def _s3(self, target: Target, lines: list[Line], now: datetime) -> Outcome:
        s3 = self.client("s3", target.region)
        outcome = Outcome()
        for room, room_lines in _by_room(lines).items():
            try:
                s3.put_object(
                    Bucket=target.name, Key=s3_object_key(room, now), Body=_ndjson_gzip(room_lines)
                )
            except Exception as err:
                if _error_code(err) == "NoSuchBucket":
                    return Outcome(missing=True, error=str(err))
                outcome.undelivered += room_lines
                outcome.error = str(err)
        return outcome

    def _cloudwatch(self, target: Target, lines: list[Line]) -> Outcome:
        logs = self.client("logs", target.region)
        outcome = Outcome()
        for room, room_lines in _by_room(lines).items():
            stream = cloudwatch_log_stream(room)
            known = (target.region, target.name, stream)
            room_lines.sort(key=lambda line: line[0])  # PutLogEvents wants time order
            for batch in _cloudwatch_batches(room_lines):
                events = [{"timestamp": ms, "message": text} for ms, _, text in batch]
                try:
                    if known not in self._streams:
                        self._create_stream(logs, target.name, stream)
                        self._streams.add(known)
                    try:
                        answer = logs.put_log_events(
                            logGroupName=target.name, logStreamName=stream, logEvents=events
                        )
                    except Exception as err:
                        if _error_code(err) != "ResourceNotFoundException":
                            raise
                        self._streams.discard(known)  # deleted meanwhile: make it again
                        self._create_stream(logs, target.name, stream)
                        self._streams.add(known)
                        answer = logs.put_log_events(
                            logGroupName=target.name, logStreamName=stream, logEvents=events
                        )
                except _MissingGroup as err:
                    return Outcome(missing=True, error=str(err.__cause__))
                except Exception as err:
                    outcome.undelivered += batch
                    outcome.error = str(err)
                    continue
                outcome.rejected += _rejected(answer.get("rejectedLogEventsInfo"), len(batch))
        return outcome

    @staticmethod
    def _create_stream(logs: Any, group: str, stream: str) -> None:
        try:
            logs.create_log_stream(logGroupName=group, logStreamName=stream)
        except Exception as err:
            code = _error_code(err)
            if code == "ResourceNotFoundException":
                raise _MissingGroup from err
            if code != "ResourceAlreadyExistsException":
                raise

    def _firehose(self, target: Target, lines: list[Line]) -> Outcome:
        firehose = self.client("firehose", target.region)
        outcome = Outcome()
        for batch in _firehose_batches(lines):
            records = [{"Data": (text + "\n").encode()} for _, _, text in batch]
            try:
                answer = firehose.put_record_batch(DeliveryStreamName=target.name, Records=records)
            except Exception as err:
                if _error_code(err) == "ResourceNotFoundException":
                    return Outcome(missing=True, error=str(err))
                outcome.undelivered += batch
                outcome.error = str(err)
                continue
            if answer.get("FailedPutCount"):
                for line, result in zip(batch, answer.get("RequestResponses", []), strict=False):
                    if result.get("ErrorCode"):
                        outcome.undelivered.append(line)
                        outcome.error = f"{result['ErrorCode']}: {result.get('ErrorMessage', '')}"
        return outcome


class _MissingGroup(Exception):
    """CreateLogStream found no log group."""


def _rejected(info: Any, count: int) -> int:
    """How many events of a batch PutLogEvents' ``rejectedLogEventsInfo`` says it refused."""
    if not info:
        return 0
    rejected: set[int] = set()
    if "tooNewLogEventStartIndex" in info:
        rejected.update(range(info["tooNewLogEventStartIndex"], count))
    for end in ("tooOldLogEventEndIndex", "expiredLogEventEndIndex"):
        if end in info:
            rejected.update(range(info[end] + 1))
    return len(rejected)


def _cloudwatch_batches(lines: list[Line]) -> Iterable[list[Line]]:
    """PutLogEvents batches: at most 10,000 events, 1 MiB, and 24 hours each."""
    batch: list[Line] = []
    size = 0
    for line in lines:
        cost = len(line[2].encode()) + _CW_EVENT_OVERHEAD
        if batch and (
            len(batch) >= _CW_MAX_EVENTS
            or size + cost > _CW_MAX_BYTES
            or line[0] - batch[0][0] >= _DAY_MS
        ):
            yield batch
            batch, size = [], 0
        batch.append(line)
        size += cost
    if batch:
        yield batch


def _firehose_batches(lines: list[Line]) -> Iterable[list[Line]]:
    """PutRecordBatch batches: at most 500 records and 4 MiB each."""
    batch: list[Line] = []
    size = 0
    for line in lines:
        cost = len(line[2].encode()) + 1
        if batch and (len(batch) >= _FH_MAX_RECORDS or size + cost > _FH_MAX_BYTES):
            yield batch
            batch, size = [], 0
        batch.append(line)
        size += cost
    if batch:
        yield batch


def log_line(room_arn: str, frame: bytes) -> Line | None:
    """A broadcast frame as a record: its time in epoch milliseconds, room, log line.

    ``event_timestamp`` is the frame's ``SendTime`` cut to the millisecond, as in the
    service's records; the payload is the frame's bytes as they are. None for anything but a
    MESSAGE or EVENT frame.
    """
    try:
        payload = json.loads(frame)
        kind = payload["Type"]
        if kind not in ("MESSAGE", "EVENT"):
            return None
        at = fast_timestamp(payload["SendTime"])
        line = format_log_record(frame, type=kind, event_timestamp=at)
    except (ValueError, KeyError, TypeError) as err:  # pragma: no cover - our own frames
        _log.debug("chat logs: frame not logged (%s): %r", err, frame[:120])
        return None
    return (at - _EPOCH) // _MILLISECOND, room_arn, line


def _target(config: LoggingConfiguration | None) -> Target | None:
    """Where a configuration writes, or None if it is gone or not ACTIVE (it logs nothing)."""
    if config is None or config.state != "ACTIVE":
        return None
    for kind, (member, _) in _KINDS.items():
        destination = config.destination_configuration.get(kind)
        if isinstance(destination, dict) and isinstance(destination.get(member), str):
            return Target(config.arn, kind, destination[member], config.arn.split(":")[3])
    return None  # pragma: no cover - the control plane checks the union


class ChatLogWriter:
    """Buffers the broadcasts of rooms with logging configurations and writes them in batches.

    Args:
        sink: Where the records go.
        interval: Seconds between two writes (:data:`LOGS_INTERVAL`).
        capacity: Records waiting at most (:data:`LOGS_BUFFER`); beyond, new records are
            dropped and counted. Each destination also keeps at most this many records to
            try again after a failed write (the oldest are dropped first).

    Raises:
        ValueError: ``interval`` is not a positive number of seconds or ``capacity`` is
            below 1.
    """

    def __init__(
        self, sink: Sink, *, interval: float = LOGS_INTERVAL, capacity: int = LOGS_BUFFER
    ) -> None:
        if not interval > 0 or interval == float("inf"):
            raise ValueError(f"logs_interval must be a number of seconds > 0, not {interval!r}")
        if capacity < 1:
            raise ValueError(f"logs_buffer must be at least 1, not {capacity!r}")
        self.sink = sink
        self.interval = interval
        self.capacity = capacity
        self._host: LogHost | None = None
        self._room_by_arn: Callable[[str], Room | None] = lambda arn: None
        self._buffer: list[Entry] = []
        self._dropped = 0
        self._wake_at = max(1, capacity // 2)
        self._pending: dict[str, list[Line]] = {}
        self._reached: set[tuple[str, str, str]] = set()
        self._flush_lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    def attach(self, host: LogHost, hub: Any) -> None:
        """Serve ``host``'s rooms: ``hub`` (its :class:`ChatHub`) calls :meth:`record`."""
        self._host = host
        self._room_by_arn = host.room_by_arn
        hub.chat_log = self.record
        _log.info("chat logs: written to %s every %gs", self.sink.describe(), self.interval)

    # -- the hot path: called by the chat fan-out, under the emulator's lock ------------------

    def record(self, room_arn: str, frame: bytes) -> None:
        """Buffer one broadcast frame if its room has logging configurations; no I/O."""
        room = self._room_by_arn(room_arn)
        if room is None or not room.logging_configuration_identifiers:
            return
        buffer = self._buffer
        if len(buffer) >= self.capacity:
            self._dropped += 1
            return
        buffer.append((room_arn, tuple(room.logging_configuration_identifiers), frame))
        if len(buffer) == self._wake_at:
            self._wake.set()  # half full: write now rather than at the interval's end
        if self._thread is None and not self._stop.is_set():
            self._start()

    # -- writing -------------------------------------------------------------------------------

    def _start(self) -> None:
        self._thread = threading.Thread(
            target=self._run, name="ivschat-local-chat-logs", daemon=True
        )
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.interval)
            self._wake.clear()
            if self._stop.is_set():
                break
            try:
                self.flush()
            except Exception:  # pragma: no cover - a bug: keep the thread (and chat) alive
                _log.exception("chat logs: a write failed")

    def flush(self) -> None:
        """Write every buffered record now; returns once each destination was tried.

        A write already running is waited for first, so everything broadcast before the
        call is written (or failed, and logged) when it returns.
        """
        with self._flush_lock:
            self._flush()

    def _flush(self) -> None:
        host = self._host
        if host is None:
            return
        with host.lock:
            entries, self._buffer = self._buffer, []
            dropped, self._dropped = self._dropped, 0
            now = host.now()
            arns = set(self._pending)
            for entry in entries:
                arns.update(entry[1])
            targets = {arn: _target(host.logging_configuration_by_arn(arn)) for arn in arns}
        if dropped:
            _log.warning(
                "chat logs: the buffer of %d records was full; dropped %d record(s) since the "
                "last write (writes every %gs)",
                self.capacity, dropped, self.interval,
            )  # fmt: skip
        batches, self._pending = self._pending, {}
        for room_arn, config_arns, frame in entries:
            line = None
            for arn in config_arns:
                if targets.get(arn) is None:
                    continue  # gone, or not ACTIVE: the service logs only to active ones
                if line is None:
                    line = log_line(room_arn, frame)
                    if line is None:
                        break
                batches.setdefault(arn, []).append(line)
        for arn, lines in batches.items():
            target = targets.get(arn)
            if target is not None and lines:
                self._deliver(host, target, lines, now)

    def _deliver(self, host: LogHost, target: Target, lines: list[Line], now: datetime) -> None:
        outcome = self.sink.deliver(target, lines, now)
        if outcome.missing:
            self._missing(host, target, len(lines), outcome.error)
            return
        if len(outcome.undelivered) < len(lines):
            self._reached.add(target.key)
        if outcome.rejected:
            _log.warning(
                "chat logs: %s refused %d record(s) for good (too old or too new for it)",
                target, outcome.rejected,
            )  # fmt: skip
        if outcome.undelivered:
            kept = outcome.undelivered[-self.capacity :]
            self._pending[target.arn] = kept
            lost = len(outcome.undelivered) - len(kept)
            _log.warning(
                "chat logs: could not write %d record(s) to %s: %s; trying again in %gs%s",
                len(outcome.undelivered), target, outcome.error, self.interval,
                f" (dropped the {lost} oldest, above {self.capacity} waiting)" if lost else "",
            )  # fmt: skip

    def _missing(self, host: LogHost, target: Target, count: int, error: str | None) -> None:
        if target.key in self._reached:
            _log.warning(
                "chat logs: %s does not exist any more (%s); dropped %d record(s)",
                target, error, count,
            )  # fmt: skip
            return
        with host.lock:
            state = host.fail_logging_configuration(target.arn)
        _log.warning(
            "chat logs: %s does not exist (%s); the logging configuration is now %s and its "
            "%d record(s) were dropped; it logs nothing more until it is updated "
            "(UpdateLoggingConfiguration), as the service logs only to ACTIVE configurations",
            target, error, state, count,
        )  # fmt: skip

    def close(self) -> None:
        """Stop the background writes and write what is buffered (idempotent)."""
        self._stop.set()
        self._wake.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()
        self.flush()


def chat_log_writer(
    *,
    logs_dir: str | os.PathLike[str] | None = None,
    logs_to_aws: bool = False,
    logs_endpoint_url: str | None = None,
    interval: float = LOGS_INTERVAL,
    capacity: int = LOGS_BUFFER,
) -> ChatLogWriter | None:
    """The chat log writer ``LocalIvsChat``'s options ask for, or None when logging is off.

    ``logs_dir`` (created if missing) writes into a folder; ``logs_to_aws`` or
    ``logs_endpoint_url`` through boto3 clients; neither: logging configurations stay
    metadata only, as before.

    Raises:
        ValueError: Both kinds of destination, a folder that cannot be made or written, an
            endpoint that is not an http(s) URL, or a bad interval or capacity; in one line.
    """
    if logs_dir is not None and (logs_to_aws or logs_endpoint_url):
        raise ValueError(
            "chat logs go either to a folder (logs_dir) or through boto3 (logs_to_aws, "
            "logs_endpoint_url), not both"
        )
    sink: Sink | None = None
    if logs_dir is not None:
        root = Path(logs_dir)
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise ValueError(
                f"logs_dir {str(root)!r} cannot be made: {err.strerror or err}"
            ) from None
        if not os.access(root, os.W_OK | os.X_OK):
            raise ValueError(f"logs_dir {str(root)!r} is not writable")
        sink = FolderSink(root)
    elif logs_endpoint_url is not None or logs_to_aws:
        if logs_endpoint_url is not None and not logs_endpoint_url.startswith(
            ("http://", "https://")
        ):
            raise ValueError(f"logs_endpoint_url must be an http(s) URL, not {logs_endpoint_url!r}")
        sink = AwsSink(logs_endpoint_url)
    writer = ChatLogWriter(sink or FolderSink("."), interval=interval, capacity=capacity)
    return writer if sink is not None else None
