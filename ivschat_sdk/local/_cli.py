"""The ``ivschat-local`` command: serve the local IVS Chat over HTTP until stopped."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from ._emulator import LocalIvsChat
from ._errors import ERROR_STATUS
from ._server import DEFAULT_PORT, http_review_handler, start_site

__all__ = ["main", "parse_args"]

ACCESS_LOG_FORMAT = '%a "%r" %s %b %Tfs'


def _fault(text: str) -> tuple[str, int, str]:
    """``OPERATION[:COUNT[:ERROR]]`` -> (operation, count, error)."""
    parts = text.split(":")
    if not 1 <= len(parts) <= 3 or not parts[0]:
        raise argparse.ArgumentTypeError(f"expected OPERATION[:COUNT[:ERROR]], not {text!r}")
    try:
        count = int(parts[1]) if len(parts) > 1 else 1
    except ValueError:
        raise argparse.ArgumentTypeError(f"COUNT must be a whole number in {text!r}") from None
    error = parts[2] if len(parts) > 2 else "ThrottlingException"
    if error not in ERROR_STATUS:
        raise argparse.ArgumentTypeError(f"unknown error {error!r}; e.g. ThrottlingException")
    return parts[0], count, error


def _review_handler(text: str) -> tuple[str, str]:
    """``LAMBDA_ARN=URL`` -> (arn, url)."""
    arn, sep, url = text.partition("=")
    if (
        not sep
        or not arn.startswith("arn:aws:lambda:")
        or not url.startswith(("http://", "https://"))
    ):
        raise argparse.ArgumentTypeError(f"expected LAMBDA_ARN=http(s)://..., not {text!r}")
    return arn, url


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line of ``ivschat-local``."""
    parser = argparse.ArgumentParser(
        prog="ivschat-local",
        description="A local Amazon IVS Chat: the control plane over HTTP, for any AWS client.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port ({DEFAULT_PORT}; 0 picks a free one)"
    )
    parser.add_argument(
        "--region",
        help="serve every request as this region (default: the region each request is signed for)",
    )
    parser.add_argument(
        "--account-id", default="123456789012", help="the account the ARNs name (123456789012)"
    )
    parser.add_argument(
        "--rate-limits", action="store_true",
        help="enforce the service's API rate quotas (e.g. 5/s for room operations, 200/s for CreateChatToken)",
    )  # fmt: skip
    parser.add_argument("--room-quota", type=int, help="rooms per account and region (no limit)")
    parser.add_argument(
        "--logging-configuration-quota", type=int, default=10,
        help="logging configurations per account and region (10)",
    )  # fmt: skip
    parser.add_argument(
        "--fail", type=_fault, action="append", default=[], metavar="OPERATION[:COUNT[:ERROR]]",
        help="fail the next COUNT (1) calls of OPERATION ('*' for any) with ERROR "
        "(ThrottlingException); may be repeated",
    )  # fmt: skip
    parser.add_argument(
        "--state", type=Path, metavar="FILE",
        help="load rooms and logging configurations from FILE at start (if it exists), save them there at exit",
    )  # fmt: skip
    parser.add_argument(
        "--review-handler", type=_review_handler, action="append", default=[], metavar="LAMBDA_ARN=URL",
        help="serve the message review handler LAMBDA_ARN by POSTing its payload to URL "
        "(the JSON answer is the handler's); may be repeated",
    )  # fmt: skip
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    return parser.parse_args(argv)


async def _serve(args: argparse.Namespace, emulator: LocalIvsChat) -> None:
    access_log = None if args.quiet else logging.getLogger("ivschat_sdk.local.access")
    try:
        runner, url = await start_site(
            emulator, args.host, args.port,
            access_log=access_log, access_log_format=ACCESS_LOG_FORMAT,
        )  # fmt: skip
    except OSError as err:
        raise SystemExit(
            f"ivschat-local: cannot listen on {args.host}:{args.port}: {err.strerror or err}"
        ) from None
    print(f"ivschat-local listening on {url}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await runner.cleanup()


def main(argv: Sequence[str] | None = None) -> None:
    """Run ``ivschat-local`` until SIGINT or SIGTERM."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    try:
        emulator = LocalIvsChat(
            account_id=args.account_id,
            region=args.region,
            room_quota=args.room_quota,
            logging_configuration_quota=args.logging_configuration_quota,
            rate_limits=args.rate_limits,
        )
        for operation, count, error in args.fail:
            emulator.fail_next(operation, count=count, error=error)
        for arn, url in args.review_handler:
            emulator.register_review_handler(arn, http_review_handler(url))
        if args.state is not None and args.state.exists():
            emulator.load_state(args.state)
    except (ValueError, OSError) as err:
        raise SystemExit(f"ivschat-local: {err}") from None
    asyncio.run(_serve(args, emulator))
    if args.state is not None:
        emulator.save_state(args.state)
        print(f"ivschat-local saved its state to {args.state}", file=sys.stderr)
