"""Benchmark: chat fan-out of ivschat-local, and frame parsing of the Python chat client.

Part 1, fan-out: ivschat-local runs in a subprocess pinned to core 0. In this process, pinned
to core 1, N receivers connect to one room and one sender sends messages at the room's
maximum rate (100 per second) for a fixed time; each message carries its send time. It prints,
for each N, deliveries per second, p50/p99 delivery latency (measured on a sample of the
receivers, which parse every frame; the others only count theirs), and the server's CPU use.
Targets: 1,000 connections receiving 100 messages per second (100,000 deliveries per second)
with p99 under 250 ms.

Part 2, parsing: frames per second that ``ivschat_sdk.messaging`` turns into models, against
``json.loads`` alone on the same frames as the baseline. Target: at least 50,000 frames/s.

Run: ``python benchmarks/bench_chat.py [--sizes 10,100,1000] [--seconds 5]``. Traffic goes
only to 127.0.0.1; every loop is bounded in time.
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
import timeit

import aiohttp
import boto3

from ivschat_sdk.messaging._frames import parse_frame

SAMPLED = 20  # receivers that parse every frame and measure latency


def pinned(core: int) -> list[str]:
    return (
        ["taskset", "-c", str(core)]
        if shutil.which("taskset") and (os.cpu_count() or 1) > 1
        else []
    )


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc (Linux)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def fan_out(http_url: str, ws_url: str, receivers: int, seconds: float) -> dict[str, float]:
    control = boto3.client(
        "ivschat", region_name="us-west-2", endpoint_url=http_url,
        aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret",
    )  # fmt: skip
    room = control.create_room(maximumMessageRatePerSecond=100)["arn"]

    def token(user: str, caps: list[str]) -> str:
        return str(
            control.create_chat_token(roomIdentifier=room, userId=user, capabilities=caps)["token"]
        )

    tokens = [token(f"r{i}", []) for i in range(receivers)]
    counts = [0] * receivers
    latencies: list[float] = []
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        sockets = []
        for i in range(0, receivers, 50):  # connect in batches
            batch = [
                session.ws_connect(ws_url, protocols=[t], autoping=False)
                for t in tokens[i : i + 50]
            ]
            sockets.extend(await asyncio.gather(*batch))

        async def receive(i: int, ws: aiohttp.ClientWebSocketResponse) -> None:
            sampled = i < SAMPLED
            async for message in ws:
                counts[i] += 1
                if sampled:
                    frame = json.loads(message.data)
                    latencies.append(time.time() - float(frame["Content"]))

        readers = [asyncio.create_task(receive(i, ws)) for i, ws in enumerate(sockets)]
        sender = await session.ws_connect(ws_url, protocols=[token("sender", ["SEND_MESSAGE"])])
        answers = {"MESSAGE": 0, "ERROR": 0}

        async def sender_answers() -> None:
            async for message in sender:
                kind = json.loads(message.data)["Type"]
                answers[kind] = answers.get(kind, 0) + 1

        readers.append(asyncio.create_task(sender_answers()))
        sent = 0
        started = time.perf_counter()
        while (elapsed := time.perf_counter() - started) < seconds:
            if sent < elapsed * 100:
                await sender.send_str(
                    json.dumps({"Action": "SEND_MESSAGE", "Content": repr(time.time())})
                )
                sent += 1
            else:
                await asyncio.sleep(0.002)
        await asyncio.sleep(1.0)  # let deliveries in flight arrive
        for reader in readers:
            reader.cancel()
        await asyncio.gather(*readers, return_exceptions=True)
        for ws in [*sockets, sender]:
            await ws.close()
    delivered = sum(counts)
    latencies.sort()
    return {
        "sent": sent,
        "refused": answers["ERROR"],  # above the room's rate, answered 429
        "delivered": delivered,
        "expected": answers["MESSAGE"] * receivers,
        "per_second": delivered / seconds,
        "p50_ms": statistics.median(latencies) * 1e3 if latencies else float("nan"),
        "p99_ms": latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1e3
        if latencies
        else float("nan"),
    }


def parsing() -> tuple[float, float]:
    frames = [
        json.dumps({
            "Type": "MESSAGE", "Id": f"AbCdEfGh{i:04d}", "RequestId": "8fe65e61-1fa2-4563-a90d-c53521e0e63c",
            "Content": f"message number {i}", "Attributes": {"color": "red"},
            "SendTime": "2026-11-27T05:57:08.634921Z",
            "Sender": {"UserId": "alice", "Attributes": {"displayName": "Alice"}},
        })
        for i in range(1000)
    ]  # fmt: skip
    ours = (
        min(timeit.repeat(lambda: [parse_frame(f) for f in frames], number=10, repeat=7)) / 10_000
    )
    floor = (
        min(timeit.repeat(lambda: [json.loads(f) for f in frames], number=10, repeat=7)) / 10_000
    )
    return 1 / ours, 1 / floor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    if pinned(1):
        os.sched_setaffinity(0, {1})
    server = subprocess.Popen(
        [*pinned(0), sys.executable, "-m", "ivschat_sdk.local", "--port", "0", "--quiet"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert server.stdout is not None
    http_url = server.stdout.readline().strip().rsplit(" ", 1)[1]
    ws_url = "ws" + http_url[4:]
    rows = []
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            before = cpu_seconds(server.pid)
            result = asyncio.run(fan_out(http_url, ws_url, size, args.seconds))
            result["server_cpu"] = (cpu_seconds(server.pid) - before) / (args.seconds + 1.0)
            rows.append((size, result))
    finally:
        server.terminate()
        server.wait(timeout=30)

    where = "server on core 0, clients on core 1" if pinned(1) else "no pinning"
    print(f"Chat fan-out: one room, 100 messages/s for {args.seconds:.0f} s ({where})")
    print(
        "  receivers  deliveries/s  delivered/expected   p50 ms   p99 ms  server CPU (1 core)  sent (429)"
    )
    for size, r in rows:
        print(
            f"  {size:9d}  {r['per_second']:12.0f}  {r['delivered']:>8.0f}/{r['expected']:<9.0f}"
            f"  {r['p50_ms']:7.1f}  {r['p99_ms']:7.1f}  {r['server_cpu']:8.0%}"
            f"             {r['sent']:.0f} ({r['refused']:.0f})"
        )
    ours, floor = parsing()
    print("Frame parsing (MESSAGE frames into ChatMessage models)")
    print(f"  json.loads only (baseline): {floor:9.0f} frames/s")
    print(
        f"  ivschat_sdk.messaging:      {ours:9.0f} frames/s  ({ours / floor:.0%} of the baseline; target >= 50,000)"
    )


if __name__ == "__main__":
    main()
