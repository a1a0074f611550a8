"""Benchmark: chat fan-out of ivschat-local, and frame parsing of the Python chat client.

Part 1, fan-out: ivschat-local runs in a subprocess pinned to core 0. The receivers run in
``--procs`` other processes pinned to core 1, so that the clients' work is never counted as
the server's: each makes its own chat tokens over HTTP, connects its share of the N
receivers to one room with a minimal WebSocket client (it counts frames, notes when each
arrived and answers pings, nothing more), and reports back. One sender, in this process (also
on core 1), sends ``--rate`` messages per second (10, the room's default maximum) for
``--seconds``; the order in which its own messages come back is the room's broadcast order.
Delivery latency is each frame's arrival time less its message's send time, over every
delivery of every receiver; the arrival time is when the frame reached the receiver's socket
(the kernel's receive timestamp, ``SO_TIMESTAMPNS``), so that the receivers' own turn on a
busy CPU is not counted against the server. It prints, for each N: deliveries, delivered/expected (every
message to every receiver), p50/p99/max latency, and the server's CPU per delivery.
Targets: 10,000 receivers with p99 under 250 ms, 15,000 under 500 ms, all delivered.

Part 2, parsing: frames per second that ``ivschat_sdk.messaging`` turns into models, against
``json.loads`` alone on the same frames as the baseline. Target: at least 50,000 frames/s.

Run: ``python benchmarks/bench_chat.py [--sizes 1000,10000,15000] [--rate 10] [--seconds 10]``.
Needs ``ivschat-sdk[local]`` and an open-file limit above the largest size (``ulimit -n``).
Traffic goes only to 127.0.0.1; every loop is bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import resource
import shutil
import statistics
import struct
import subprocess
import sys
import time
import timeit
from typing import Any

import aiohttp
import boto3

from ivschat_sdk.messaging._frames import parse_frame

AUTHORIZATION = (
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261127/us-west-2/ivschat/aws4_request, "
    "SignedHeaders=content-type;host;x-amz-date, Signature=0"
)
PONG = b"\x8a\x80\x00\x00\x00\x00"  # a masked, empty pong (client frames are masked)
READ_PAUSE = float(os.environ.get("BENCH_READ_PAUSE", "0.02"))
"""Receivers read their sockets every 20 ms, as a browser's event loop would in spirit: the
latency is the kernel's arrival time, so the pause does not count in it."""
SO_TIMESTAMPNS = 35  # Linux: the kernel's receive time of the data, in recvmsg's ancillary data


def pinned(core: int) -> list[str]:
    return (
        ["taskset", "-c", str(core)]
        if shutil.which("taskset") and (os.cpu_count() or 1) > 1
        else []
    )


def split_frames(buffer: bytes) -> tuple[int, int, bytes]:
    """Count the whole WebSocket frames at the start of ``buffer``: (text frames, pings, rest).

    The receivers count frames without parsing them, so that the server is what is measured.
    """
    texts = pings = 0
    i, n = 0, len(buffer)
    while n - i >= 2:
        opcode, length = buffer[i] & 0x0F, buffer[i + 1] & 0x7F
        header = 2
        if length == 126:
            if n - i < 4:
                break
            length, header = int.from_bytes(buffer[i + 2 : i + 4], "big"), 4
        elif length == 127:
            if n - i < 10:
                break
            length, header = int.from_bytes(buffer[i + 2 : i + 10], "big"), 10
        if n - i < header + length:
            break
        if opcode == 1:
            texts += 1
        elif opcode == 9:
            pings += 1
        i += header + length
    return texts, pings, buffer[i:]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc (Linux)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def raise_nofile() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


# -- a receiver process --------------------------------------------------------------------


def _handshake(host: str, token: str) -> bytes:
    return (
        f"GET / HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}\r\n"
        f"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: {token}\r\n\r\n"
    ).encode()


async def _tokens(http_url: str, room: str, count: int) -> list[str]:
    headers = {"Authorization": AUTHORIZATION, "Content-Type": "application/json"}
    tokens: list[str] = []
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=32)) as session:

        async def token(i: int) -> str:
            body = json.dumps({"roomIdentifier": room, "userId": f"r{os.getpid()}-{i}"})
            async with session.post(http_url + "/CreateChatToken", data=body, headers=headers) as r:
                return str((await r.json())["token"])

        for start in range(0, count, 500):
            batch = range(start, min(count, start + 500))
            tokens += await asyncio.gather(*(token(i) for i in batch))
    return tokens


def receiver_main(http_url: str, room: str, count: int) -> None:
    """Connect ``count`` receivers, say "ready", count frames until each has what stdin says.

    The coordinator writes ``stop N`` once N messages were broadcast; the receivers read on
    until every socket has N frames (30 s at most), then write their arrival times.

    A bare epoll loop over non-blocking sockets: per readable socket one ``recv`` and a scan
    of the frame headers (text frames: note the arrival time; pings: answer), so that the
    clients cost as little as possible next to the server they measure.
    """
    import select
    import socket

    host, port = http_url.rsplit("/", 1)[1].rsplit(":", 1)
    tokens = asyncio.run(_tokens(http_url, room, count))
    poller = select.epoll()
    sockets: dict[int, socket.socket] = {}
    buffers: dict[int, bytes] = {}
    arrivals: dict[int, list[float]] = {}
    for token in tokens:
        sock = socket.create_connection((host, int(port)))
        sock.sendall(_handshake(f"{host}:{port}", token))
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += sock.recv(4096)
        assert answer.startswith(b"HTTP/1.1 101"), answer[:80]
        sock.setblocking(False)
        sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        fd = sock.fileno()
        sockets[fd], buffers[fd], arrivals[fd] = sock, answer.split(b"\r\n\r\n", 1)[1], []
        poller.register(fd, select.EPOLLIN)
    stdin = sys.stdin.fileno()
    poller.register(stdin, select.EPOLLIN)
    print("ready", flush=True)
    expected: int | None = None  # told at the end: then read until every socket has it
    deadline = float("inf")
    while time.monotonic() < deadline:
        if expected is not None and all(len(a) >= expected for a in arrivals.values()):
            break
        time.sleep(READ_PAUSE)  # read in rounds: fewer wakeups and ACKs, for both sides
        for fd, _ in poller.poll(0.2):
            if fd == stdin:
                expected = int(sys.stdin.readline().split()[1])  # "stop N"
                deadline = time.monotonic() + 30.0
                poller.unregister(stdin)
                continue
            sock = sockets[fd]
            try:
                data, ancillary, _, _ = sock.recvmsg(262144, 64)
            except BlockingIOError:
                continue
            now = time.time()
            for level, kind, value in ancillary:  # when the data reached the socket
                if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(value) == 16:
                    seconds, nanoseconds = struct.unpack("qq", value)
                    now = seconds + nanoseconds * 1e-9
            if not data:
                poller.unregister(fd)
                continue
            texts, pings, buffers[fd] = split_frames(buffers[fd] + data if buffers[fd] else data)
            arrivals[fd].extend([now] * texts)
            for _ in range(pings):
                sock.send(PONG)
    json.dump(list(arrivals.values()), sys.stdout)
    sys.stdout.flush()
    for sock in sockets.values():
        sock.close()


# -- the coordinator -----------------------------------------------------------------------


async def send_messages(ws_url: str, token: str, rate: float, seconds: float) -> dict[str, Any]:
    """Send ``rate`` messages a second; return send times by RequestId and the echo order."""
    sent: dict[str, float] = {}
    order: list[str] = []
    refused = 0
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(ws_url, protocols=[token]) as ws,
    ):

        async def answers() -> None:
            nonlocal refused
            async for message in ws:
                frame = json.loads(message.data)
                if frame["Type"] == "MESSAGE":
                    order.append(frame["RequestId"])
                elif frame["Type"] == "ERROR":
                    refused += 1

        reader = asyncio.create_task(answers())
        started = time.perf_counter()
        count = 0
        while (elapsed := time.perf_counter() - started) < seconds:
            if count < elapsed * rate:
                request_id = f"m{count}"
                sent[request_id] = time.time()
                await ws.send_str(
                    json.dumps(
                        {"Action": "SEND_MESSAGE", "RequestId": request_id, "Content": "x" * 40}
                    )
                )
                count += 1
            else:
                await asyncio.sleep(min(0.005, count / rate - elapsed))
        waited = time.perf_counter()  # until every message's echo is back (30 s at most)
        while len(order) + refused < count and time.perf_counter() - waited < 30:
            await asyncio.sleep(0.05)
        reader.cancel()
        await asyncio.gather(reader, return_exceptions=True)
    return {"sent": sent, "order": order, "refused": refused}


def fan_out(
    http_url: str,
    ws_url: str,
    server_pid: int,
    receivers: int,
    procs: int,
    rate: float,
    seconds: float,
    pin_receivers: bool = True,
) -> dict[str, Any]:
    control = boto3.client(
        "ivschat", region_name="us-west-2", endpoint_url=http_url,
        aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret",
    )  # fmt: skip
    # The room's quota is set high so that a late tick of the sender is never refused.
    room = control.create_room(maximumMessageRatePerSecond=100)["arn"]
    shares = [receivers // procs + (1 if i < receivers % procs else 0) for i in range(procs)]
    core = pinned(1) if pin_receivers else ["nice", "-n", "10"]
    children = [
        subprocess.Popen(
            [*core, sys.executable, __file__, "--receiver", http_url, room, str(share)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for share in shares
        if share
    ]
    try:
        for child in children:
            assert child.stdout is not None
            line = child.stdout.readline().strip()
            assert line == "ready", line
        token = control.create_chat_token(
            roomIdentifier=room, userId="sender", capabilities=["SEND_MESSAGE"]
        )["token"]
        print(f"{receivers} receivers connected; sending", file=sys.stderr, flush=True)
        before, started = cpu_seconds(server_pid), time.monotonic()
        result = asyncio.run(send_messages(ws_url, token, rate, seconds))
        server_cpu = cpu_seconds(server_pid) - before
        send_time = time.monotonic() - started
        arrivals: list[list[float]] = []
        for child in children:
            out, _ = child.communicate(f"stop {len(result['order'])}\n", timeout=120)
            arrivals += json.loads(out)
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.communicate(timeout=30)
    sent_at = [result["sent"][request_id] for request_id in result["order"]]
    latencies: list[float] = []
    for times in arrivals:
        latencies += [t - s for t, s in zip(times, sent_at, strict=False)]
    latencies.sort()
    delivered = sum(len(times) for times in arrivals)
    expected = len(sent_at) * receivers
    return {
        "sent": len(result["sent"]),
        "refused": result["refused"],
        "delivered": delivered,
        "expected": expected,
        "p50_ms": statistics.median(latencies) * 1e3 if latencies else float("nan"),
        "p99_ms": latencies[int(len(latencies) * 0.99)] * 1e3 if latencies else float("nan"),
        "max_ms": latencies[-1] * 1e3 if latencies else float("nan"),
        # Deliveries plus the echoes to the sender are what the server wrote.
        "cpu_us_per_delivery": server_cpu / max(1, delivered + len(sent_at)) * 1e6,
        "server_cpu_share": server_cpu / max(seconds, send_time),
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
    if len(sys.argv) > 1 and sys.argv[1] == "--receiver":
        raise_nofile()
        receiver_main(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,15000")
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--procs", type=int, default=4, help="receiver processes")
    parser.add_argument("--no-parsing", action="store_true", help="skip part 2")
    parser.add_argument("--server-args", default="", help="more options for ivschat-local")
    parser.add_argument(
        "--placement", choices=("pinned", "free"), default="pinned",
        help="pinned: server on core 0, clients on core 1; free: no pinning, receivers niced"
        " (on a machine shared with other work, pinning keeps the server off a free core)",
    )  # fmt: skip
    args = parser.parse_args()
    raise_nofile()
    pin = args.placement == "pinned" and bool(pinned(1))
    if pin:
        os.sched_setaffinity(0, {1})
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):  # a fresh server for each size
        server = subprocess.Popen(
            [*(pinned(0) if pin else []), sys.executable, "-m", "ivschat_sdk.local", "--port", "0", "--quiet", *args.server_args.split()],
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert server.stdout is not None
        http_url = server.stdout.readline().strip().rsplit(" ", 1)[1]
        ws_url = "ws" + http_url[4:]
        try:
            procs = max(1, min(args.procs, size // 100))
            result = fan_out(
                http_url, ws_url, server.pid, size, procs, args.rate, args.seconds,
                pin_receivers=pin,
            )  # fmt: skip
            rows.append((size, result))
        finally:
            server.terminate()
            server.wait(timeout=30)

    where = "server on core 0, receivers and sender on core 1" if pin else "no pinning"
    print(
        f"Chat fan-out: one room, {args.rate:g} messages/s for {args.seconds:g} s, receivers in"
        f" {args.procs} processes ({where})"
    )
    print(
        "  receivers  delivered/expected      p50 ms   p99 ms   max ms"
        "  server CPU/delivery  server CPU  sent (429)"
    )
    for size, r in rows:
        print(
            f"  {size:9d}  {r['delivered']:>9d}/{r['expected']:<9d}  {r['p50_ms']:7.1f}"
            f"  {r['p99_ms']:7.1f}  {r['max_ms']:7.1f}  {r['cpu_us_per_delivery']:12.1f} us"
            f"  {r['server_cpu_share']:9.0%}  {r['sent']} ({r['refused']})"
        )
    if args.no_parsing:
        return
    ours, floor = parsing()
    print("Frame parsing (MESSAGE frames into ChatMessage models)")
    print(f"  json.loads only (baseline): {floor:9.0f} frames/s")
    print(
        f"  ivschat_sdk.messaging:      {ours:9.0f} frames/s  ({ours / floor:.0%} of the baseline; target >= 50,000)"
    )


if __name__ == "__main__":
    main()
