"""Benchmark: ivschat-local over HTTP under concurrent keep-alive load on loopback.

Starts ``ivschat-local`` in a subprocess pinned to one core (the target is per core), and,
as the baseline measured in the same run, a bare aiohttp server on that core answering every
request with a fixed JSON body: the most any aiohttp-based emulator could do on it. A load
generator pinned to the other core drives each with C concurrent keep-alive connections for
a fixed time and prints requests per second and p50/p99 latency for ``CreateChatToken`` and
``ListRooms`` (50 rooms), and ivschat-local's throughput as a share of the baseline.

Target: at least 2,000 ``CreateChatToken`` requests per second on one core (ten times the
service's own quota of 200 TPS).

Run: ``python benchmarks/bench_server.py [--seconds 5] [--connections 32]``. Needs
``ivschat-sdk[local]``. Traffic goes only to 127.0.0.1; every loop is bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from typing import Any

import aiohttp
import boto3

AUTHORIZATION = (
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261127/us-west-2/ivschat/aws4_request, "
    "SignedHeaders=content-type;host;x-amz-date, Signature=0"
)
BASELINE = """
import sys
from aiohttp import web
async def handle(request):
    await request.read()
    return web.Response(body=b'{"id":"AbCdEfGh1234"}', content_type="application/json")
app = web.Application()
app.router.add_route("*", "/{tail:.*}", handle)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=lambda *a: print("ready", flush=True), access_log=None)
"""


def pinned(core: int) -> list[str]:
    return (
        ["taskset", "-c", str(core)]
        if shutil.which("taskset") and (os.cpu_count() or 1) > 1
        else []
    )


def start_local(core: int, *extra: str) -> tuple[subprocess.Popen[str], str]:
    """Start ivschat-local (with ``extra`` options) pinned to ``core``; return it and its URL."""
    process = subprocess.Popen(
        [*pinned(core), sys.executable, "-m", "ivschat_sdk.local", "--port", "0", "--quiet", *extra],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    return process, process.stdout.readline().strip().rsplit(" ", 1)[1]


def start_baseline(core: int, port: int) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [*pinned(core), sys.executable, "-c", BASELINE, str(port)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    process.stdout.readline()
    return process


async def load(
    url: str, path: str, body: bytes, seconds: float, connections: int
) -> dict[str, float]:
    """Drive POST url+path with `connections` keep-alive clients for `seconds`; return stats."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    headers = {"Authorization": AUTHORIZATION, "Content-Type": "application/json"}
    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(connector=connector) as session:
        deadline = time.perf_counter() + seconds

        async def worker() -> None:
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                async with session.post(url + path, data=body, headers=headers) as response:
                    await response.read()
                    statuses[response.status] = statuses.get(response.status, 0) + 1
                latencies.append(time.perf_counter() - start)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1e3,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1e3,
        "ok": statuses.get(200, 0) / max(1, len(latencies)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    if pinned(1):
        os.sched_setaffinity(0, {1})

    local, url = start_local(core=0)
    baseline = start_baseline(core=0, port=int(url.rsplit(":", 1)[1]) + 1)
    baseline_url = url.rsplit(":", 1)[0] + ":" + str(int(url.rsplit(":", 1)[1]) + 1)
    try:
        raw = boto3.client(
            "ivschat", region_name="us-west-2", endpoint_url=url,
            aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret",
        )  # fmt: skip
        rooms = [raw.create_room(name=f"room-{i}", tags={"n": str(i)})["arn"] for i in range(50)]
        token_body = json.dumps({"roomIdentifier": rooms[0], "userId": "bench-user"}).encode()
        cases: list[tuple[str, str, bytes]] = [
            ("CreateChatToken", "/CreateChatToken", token_body),
            ("ListRooms (50 rooms)", "/ListRooms", b"{}"),
        ]
        results: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
        for name, path, body in cases:
            ours = asyncio.run(load(url, path, body, args.seconds, args.connections))
            base = asyncio.run(load(baseline_url, path, body, args.seconds, args.connections))
            results.append((name, ours, base))
    finally:
        for process in (local, baseline):
            process.terminate()
            process.wait(timeout=30)

    cores = "server pinned to core 0, load generator to core 1" if pinned(1) else "no pinning"
    print(
        f"ivschat-local under {args.connections} keep-alive connections for {args.seconds:.0f} s each ({cores})"
    )
    for name, ours, base in results:
        print(f"  {name}")
        print(
            f"    ivschat-local:        {ours['rps']:8.0f} req/s  p50 {ours['p50_ms']:6.2f} ms  "
            f"p99 {ours['p99_ms']:6.2f} ms  ({ours['ok']:.0%} answered 200)"
        )
        print(
            f"    bare aiohttp (base):  {base['rps']:8.0f} req/s  p50 {base['p50_ms']:6.2f} ms  "
            f"p99 {base['p99_ms']:6.2f} ms"
        )
        print(f"    share of the baseline: {ours['rps'] / base['rps']:.0%}")
    token_rps = results[0][1]["rps"]
    print(
        f"CreateChatToken: {token_rps:.0f} req/s = {token_rps / 2000:.2f}x the 2,000 req/s target, "
        f"{token_rps / 200:.1f}x the service's 200 TPS quota"
    )


if __name__ == "__main__":
    main()
