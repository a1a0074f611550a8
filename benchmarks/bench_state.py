"""Benchmark: the cost of durable state, CreateRoom and TagResource with ``--state`` on and off.

Three ``ivschat-local`` processes run pinned to core 0: one without ``--state``, one with
``--state FILE`` (``synchronous=NORMAL``, the default: survives any kill of the process) and
one with ``--state FILE --state-sync full`` (an fsync per write: survives power loss). A load
generator pinned to core 1 drives each in turn with C keep-alive connections, in paired
rounds whose order rotates, so that the machine's drift hits every mode alike. It prints the
median requests per second of each mode and the median of its per-round ratios to the
state-less server (the paired ratio, which the machine's drift between rounds cancels out of).

Run: ``python benchmarks/bench_state.py [--rounds 5] [--seconds 2] [--connections 16]``.
Needs ``ivschat-sdk[local]``. Traffic goes only to 127.0.0.1; every loop is bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import tempfile
from pathlib import Path
from urllib.parse import quote

import boto3
from bench_server import load, pinned, start_local


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if pinned(1):
        os.sched_setaffinity(0, {1})
    with tempfile.TemporaryDirectory() as tmp:
        modes = {
            "off": (),
            "on (normal)": ("--state", str(Path(tmp) / "normal.db")),
            "on (full)": ("--state", str(Path(tmp) / "full.db"), "--state-sync", "full"),
        }
        servers = {name: start_local(0, *extra) for name, extra in modes.items()}
        results: dict[tuple[str, str], list[float]] = {}
        try:
            cases = {}
            for name, (_, url) in servers.items():
                raw = boto3.client(
                    "ivschat", region_name="us-west-2", endpoint_url=url,
                    aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret",
                )  # fmt: skip
                arn = raw.create_room(name="tagged")["arn"]
                cases[name] = [
                    ("CreateRoom", "/CreateRoom", b'{"name":"bench"}'),
                    (
                        "TagResource",
                        "/tags/" + quote(arn, safe=""),
                        json.dumps({"tags": {"team": "chat"}}).encode(),
                    ),
                ]
            names = list(modes)
            for round_ in range(args.rounds):
                order = names[round_ % len(names) :] + names[: round_ % len(names)]
                for operation_index in range(2):
                    for name in order:
                        operation, path, body = cases[name][operation_index]
                        url = servers[name][1]
                        stats = asyncio.run(load(url, path, body, args.seconds, args.connections))
                        assert stats["ok"] > 0.99, (name, operation, stats)
                        results.setdefault((operation, name), []).append(stats["rps"])
        finally:
            for process, _ in servers.values():
                process.terminate()
                process.wait(timeout=30)

    where = "servers on core 0, load on core 1" if pinned(1) else "no pinning"
    print(
        f"Durable state: {args.rounds} paired rounds of {args.seconds:.0f} s per mode,"
        f" {args.connections} keep-alive connections ({where}); medians"
    )
    for operation in ("CreateRoom", "TagResource"):
        print(f"  {operation}")
        for name in names:
            rps = statistics.median(results[(operation, name)])
            rounds = ", ".join(f"{v:.0f}" for v in results[(operation, name)])
            # Each round's ratio to the state-less server of the same round, then their median.
            paired = statistics.median(
                on / base
                for on, base in zip(
                    results[(operation, name)], results[(operation, "off")], strict=True
                )
            )
            print(
                f"    --state {name:12s} {rps:8.0f} req/s  (paired ratio to off: {paired:.2f})"
                f"  rounds: {rounds}"
            )


if __name__ == "__main__":
    main()
