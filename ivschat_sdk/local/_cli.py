"""The ``ivschat-local`` command: serve the local IVS Chat over HTTP until stopped."""

from __future__ import annotations

import argparse
import asyncio
import logging
import re
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from .._constraints import service_model
from .._version import __version__
from ._emulator import LOGS_INTERVAL, LocalIvsChat
from ._errors import ERROR_STATUS
from ._lambda import load_handler
from ._server import (
    DEFAULT_PORT,
    HEADER_TIMEOUT,
    HEARTBEAT_INTERVAL,
    HEARTBEAT_TIMEOUT,
    ServerLimits,
    http_review_handler,
    raise_open_file_limit,
    start_site,
)
from ._store import SYNC_MODES

__all__ = ["main", "parse_args"]

ACCESS_LOG_FORMAT = '%a "%r" %s %b %Tfs'
_HANDLER_TARGET = re.compile(r"[A-Za-z_][\w.]*:[A-Za-z_][\w.]*")
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
"""Each stops the server the same way. SIGHUP too: its default meaning is to end the process
(the terminal is gone), and there is nothing to reload or reopen: the state is written at
each change, and the log goes to stderr, which the server does not own. Under ``nohup``
(SIGHUP ignored at start) it stays ignored."""
MISSING_AIOHTTP = (
    "ivschat-local: the server needs aiohttp, which is not installed:"
    " pip install 'ivschat-sdk[local]'"
)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line (status 2), without the usage."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _whole_number(minimum: int, maximum: int | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number from ``minimum`` (up to ``maximum``, a port)."""
    if maximum is None:
        expected = f"a whole number >= {minimum}"
    else:
        expected = f"a port number from {minimum} to {maximum}"

    def convert(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < minimum or (maximum is not None and value > maximum):
            raise argparse.ArgumentTypeError(f"must be {expected}, not {text!r}")
        return value

    return convert


def _account_id(text: str) -> str:
    """12 digits, as in an ARN (the emulator's own rule, checked before it starts)."""
    if not re.fullmatch(r"[0-9]{12}", text):
        raise argparse.ArgumentTypeError(f"must be 12 digits, not {text!r}")
    return text


def _region(text: str) -> str:
    """A region name, as the emulator accepts it (checked before it starts)."""
    if not re.fullmatch(r"[a-z0-9-]+", text):
        raise argparse.ArgumentTypeError(f"must look like us-west-2, not {text!r}")
    return text


def _state_file(text: str) -> Path:
    """A file path: not a directory, in a directory that exists (writability is tried at start)."""
    path = Path(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r} is a directory, not a file")
    parent = path.parent
    if not parent.is_dir():
        raise argparse.ArgumentTypeError(f"the directory {str(parent)!r} does not exist")
    return path


def _seconds(text: str) -> float:
    """A positive number of seconds."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number of seconds > 0, not {text!r}")
    return value


def _fault(text: str) -> tuple[str, int, str]:
    """``OPERATION[:COUNT[:ERROR]]`` -> (operation, count, error)."""
    parts = text.split(":")
    if not 1 <= len(parts) <= 3 or not parts[0]:
        raise argparse.ArgumentTypeError(f"expected OPERATION[:COUNT[:ERROR]], not {text!r}")
    operation = parts[0]
    if operation != "*" and operation not in service_model().operation_names:
        raise argparse.ArgumentTypeError(
            f"unknown operation {operation!r} in {text!r}; e.g. CreateRoom, or * for any"
        )
    try:
        count = int(parts[1]) if len(parts) > 1 else 1
    except ValueError:
        count = 0
    if count < 1:
        raise argparse.ArgumentTypeError(f"COUNT must be a whole number >= 1 in {text!r}")
    error = parts[2] if len(parts) > 2 else "ThrottlingException"
    if error not in ERROR_STATUS:
        raise argparse.ArgumentTypeError(
            f"unknown error {error!r} in {text!r}; one of {', '.join(sorted(ERROR_STATUS))}"
        )
    return operation, count, error


def _review_handler(text: str) -> tuple[str, str | Callable[..., Any]]:
    """``LAMBDA_ARN=URL`` -> (arn, url); ``LAMBDA_ARN=package.module:function`` -> (arn, handler).

    The handler is imported here, at start, so that a missing module or function is refused in
    one line before the server listens.
    """
    arn, sep, target = text.partition("=")
    if sep and arn.startswith("arn:aws:lambda:"):
        if target.startswith(("http://", "https://")):
            return arn, target
        if _HANDLER_TARGET.fullmatch(target):
            try:
                return arn, load_handler(target)
            except ValueError as err:
                raise argparse.ArgumentTypeError(str(err)) from None
    raise argparse.ArgumentTypeError(
        f"expected LAMBDA_ARN=http(s)://... or LAMBDA_ARN=package.module:function, not {text!r}"
    )


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line of ``ivschat-local``."""
    parser = _Parser(
        prog="ivschat-local",
        description="A local Amazon IVS Chat: the control plane over HTTP, for any AWS client.",
    )
    parser.add_argument("--version", action="version", version=f"ivschat-local {__version__}")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    parser.add_argument(
        "--port",
        type=_whole_number(0, 65535),
        default=DEFAULT_PORT,
        help=f"port ({DEFAULT_PORT}; 0 picks a free one)",
    )
    parser.add_argument(
        "--region",
        type=_region,
        help="serve every request as this region (default: the region each request is signed for)",
    )
    parser.add_argument(
        "--account-id",
        type=_account_id,
        default="123456789012",
        metavar="ID",
        help="the account the ARNs name (123456789012)",
    )
    parser.add_argument(
        "--rate-limits", action="store_true",
        help="enforce the service's API rate quotas (e.g. 5/s for room operations, 200/s for CreateChatToken)",
    )  # fmt: skip
    parser.add_argument(
        "--room-quota",
        type=_whole_number(0),
        metavar="N",
        help="rooms per account and region (no limit)",
    )
    parser.add_argument(
        "--logging-configuration-quota", type=_whole_number(0), default=10, metavar="N",
        help="logging configurations per account and region (10)",
    )  # fmt: skip
    parser.add_argument(
        "--fail", type=_fault, action="append", default=[], metavar="OPERATION[:COUNT[:ERROR]]",
        help="fail the next COUNT (1) calls of OPERATION ('*' for any) with ERROR "
        "(ThrottlingException); may be repeated",
    )  # fmt: skip
    parser.add_argument(
        "--state", type=_state_file, metavar="FILE",
        help="keep rooms and logging configurations in FILE (SQLite, created if missing): every change is "
        "written before it is answered, so it survives any kill; a JSON state of earlier versions is migrated",
    )  # fmt: skip
    parser.add_argument(
        "--state-sync", choices=SYNC_MODES, default="normal",
        help="normal (default): a write survives the process being killed in any way; "
        "full: it also waits for the disk, surviving power loss (one fsync per write)",
    )  # fmt: skip
    parser.add_argument(
        "--review-handler", type=_review_handler, action="append", default=[],
        metavar="LAMBDA_ARN=URL|MODULE:FUNCTION",
        help="serve the message review handler LAMBDA_ARN by POSTing its payload to URL "
        "(the JSON answer is the handler's), or by running the Lambda handler "
        "package.module:function in process (imported at start, from the current directory "
        "or PYTHONPATH); may be repeated",
    )  # fmt: skip
    parser.add_argument(
        "--strict-review-handlers", action="store_true",
        help="refuse CreateRoom and UpdateRoom naming a messageReviewHandler.uri that no "
        "--review-handler serves (ValidationException, 'invalid lambda permission', as the "
        "service answers when it may not invoke the function)",
    )  # fmt: skip
    parser.add_argument(
        "--heartbeat-interval", type=_seconds, default=HEARTBEAT_INTERVAL, metavar="SECONDS",
        help=f"ping a chat connection silent this long ({HEARTBEAT_INTERVAL:g})",
    )  # fmt: skip
    parser.add_argument(
        "--heartbeat-timeout", type=_seconds, default=HEARTBEAT_TIMEOUT, metavar="SECONDS",
        help=f"drop a pinged chat connection that stays silent this long ({HEARTBEAT_TIMEOUT:g})",
    )  # fmt: skip
    parser.add_argument(
        "--header-timeout", type=_seconds, default=HEADER_TIMEOUT, metavar="SECONDS",
        help="close a connection that has not sent a request's headers this long after opening "
        f"or after its previous answer ({HEADER_TIMEOUT:g})",
    )  # fmt: skip
    parser.add_argument(
        "--logs-dir", type=Path, metavar="DIR",
        help="write the chat logs of rooms with logging configurations into DIR (created if "
        "missing), laid out like the S3 bucket: DIR/<bucket>/AWSLogs/..., "
        "DIR/_cloudwatch_logs/<log group>/..., DIR/_firehose/<delivery stream>/...",
    )  # fmt: skip
    parser.add_argument(
        "--logs-endpoint-url", metavar="URL",
        help="write the chat logs to the configured S3 bucket, CloudWatch Logs group or "
        "Firehose delivery stream at URL (a moto server, LocalStack), with dummy credentials "
        "if none are set",
    )  # fmt: skip
    parser.add_argument(
        "--logs-to-aws", action="store_true",
        help="write the chat logs to the configured destinations through boto3's default "
        "endpoints and credentials (real AWS)",
    )  # fmt: skip
    parser.add_argument(
        "--logs-interval", type=_seconds, default=LOGS_INTERVAL, metavar="SECONDS",
        help=f"write the buffered chat logs this often ({LOGS_INTERVAL:g}; the service takes "
        "about 5 minutes for S3 and 10 seconds for the others); also at shutdown",
    )  # fmt: skip
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    return parser.parse_args(argv)


async def _serve(args: argparse.Namespace, emulator: LocalIvsChat) -> None:
    access_log = None if args.quiet else logging.getLogger("ivschat_sdk.local.access")
    limits = ServerLimits(
        heartbeat_interval=args.heartbeat_interval,
        heartbeat_timeout=args.heartbeat_timeout,
        header_timeout=args.header_timeout,
    )
    try:
        site = await start_site(
            emulator, args.host, args.port, limits, manage_gc=True,
            access_log=access_log, access_log_format=ACCESS_LOG_FORMAT,
        )  # fmt: skip
    except OSError as err:
        raise SystemExit(
            f"ivschat-local: cannot listen on {args.host}:{args.port}: {err.strerror or err}"
        ) from None
    print(f"ivschat-local listening on {site.url}", flush=True)
    received: list[signal.Signals] = []
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()

    def on_signal(sig: signal.Signals) -> None:
        received.append(sig)
        stop.set()

    for sig in STOP_SIGNALS:
        if sig == signal.SIGHUP and signal.getsignal(sig) == signal.SIG_IGN:
            continue  # started under nohup: keep ignoring it, as asked
        loop.add_signal_handler(sig, on_signal, sig)
    await stop.wait()
    logging.getLogger("ivschat_sdk.local").info(
        "ivschat-local: %s received: closing %d chat connection(s) and stopping",
        received[0].name,
        site.chat_connections,
    )
    await site.close()


def main(argv: Sequence[str] | None = None) -> None:
    """Run ``ivschat-local`` until SIGTERM, SIGINT or SIGHUP."""
    args = parse_args(argv)
    try:  # the server's optional dependency: say which extra adds it, not a traceback
        import aiohttp  # noqa: F401
    except ImportError:
        print(MISSING_AIOHTTP, file=sys.stderr)
        raise SystemExit(2) from None
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    raise_open_file_limit()  # as many connections as the hard limit allows
    try:
        emulator = LocalIvsChat(
            account_id=args.account_id,
            region=args.region,
            room_quota=args.room_quota,
            logging_configuration_quota=args.logging_configuration_quota,
            rate_limits=args.rate_limits,
            state_file=args.state,
            state_sync=args.state_sync,
            strict_review_handlers=args.strict_review_handlers,
            logs_dir=args.logs_dir,
            logs_to_aws=args.logs_to_aws,
            logs_endpoint_url=args.logs_endpoint_url,
            logs_interval=args.logs_interval,
        )
    except (ValueError, OSError) as err:
        print(f"ivschat-local: {err}", file=sys.stderr)
        raise SystemExit(2) from None
    try:
        for operation, count, error in args.fail:
            emulator.fail_next(operation, count=count, error=error)
        for arn, target in args.review_handler:
            handler = http_review_handler(target) if isinstance(target, str) else target
            emulator.register_review_handler(arn, handler)
        asyncio.run(_serve(args, emulator))
    finally:
        emulator.close()
