"""Chat logs: read, parse and replay what IVS Chat logged for a room.

A room with logging configurations has every message and event written to S3 (gzip NDJSON
objects), CloudWatch Logs (one log event per record) or Firehose (the records as data). This
package reads them back as the chat client's own models::

    import boto3
    from ivschat_sdk.logs import read_s3_logs, replay

    records = read_s3_logs(boto3.client("s3"), "my-chat-logs", room_arn, start=t0, end=t1)
    for message in replay(records):
        print(message.send_time, message.sender.user_id, message.content)

- :func:`parse_log_record` parses one line into a :class:`LogRecord`;
  :func:`iter_log_records` parses a stream of lines.
- :func:`read_s3_logs`, :func:`read_cloudwatch_logs`, :func:`read_log_dir` and
  :func:`read_log_file` stream a room's records from where they went;
  :func:`decode_firehose_event` and :func:`decode_firehose_data` decode Firehose records.
- :func:`replay` rebuilds the room's :class:`Transcript`.
- :func:`format_log_record`, :func:`s3_object_key` and :func:`cloudwatch_log_stream` write
  logs in the same format and places (the local IVS Chat uses them).

Needs only the core install: neither the ``chat`` extra (websockets) nor the ``local`` extra
(aiohttp). The readers take your boto3 clients, so they also work in moto's ``mock_aws()``.
See ``docs/logging.md``.
"""

from ._layout import cloudwatch_log_stream, s3_object_key, s3_room_prefix
from ._readers import (
    DEFAULT_SLACK,
    FirehoseRecord,
    decode_firehose_data,
    decode_firehose_event,
    read_cloudwatch_logs,
    read_log_dir,
    read_log_file,
    read_s3_logs,
)
from ._records import (
    LOG_VERSION,
    ChatLogError,
    ErrorHandler,
    LogRecord,
    format_log_record,
    iter_log_records,
    parse_log_record,
)
from ._replay import Transcript, replay

__all__ = [
    "DEFAULT_SLACK",
    "LOG_VERSION",
    "ChatLogError",
    "ErrorHandler",
    "FirehoseRecord",
    "LogRecord",
    "Transcript",
    "cloudwatch_log_stream",
    "decode_firehose_data",
    "decode_firehose_event",
    "format_log_record",
    "iter_log_records",
    "parse_log_record",
    "read_cloudwatch_logs",
    "read_log_dir",
    "read_log_file",
    "read_s3_logs",
    "replay",
    "s3_object_key",
    "s3_room_prefix",
]
