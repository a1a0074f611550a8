"""Benchmark: chat fan-out of ivschat-local with chat logging off and on, in paired rounds.

Two ``ivschat-local`` processes run side by side, both pinned to core 0: one without chat
logs (its room's logging configuration is metadata only), one with ``--logs-dir`` (the same
room setup; every message goes to the folder). Each has ``N`` receivers (a bare epoll
WebSocket client in a process pinned to core 1 that counts text frames and answers pings) and
one sender (this process, also on core 1) that sends ``--rate`` messages per second for
``--seconds``. A round sends to both servers one after the other (the order alternates), and
measures each server's CPU time (every thread's, the chat-log writer's included, from
``/proc/<pid>/task/*/schedstat``, in nanoseconds) from the first message until every receiver
has every message and one more write interval has passed, so that the round's records are
written inside the round.

It prints, for each N and round, the server CPU per delivery without and with logging and
their ratio, then the median ratio over the rounds. Target: with logging within 10% of
without (ratio at most 1.10). At the end it checks that the logging server wrote one record
per message it broadcast.

Run: ``python benchmarks/bench_chat_logging.py [--sizes 10,1000] [--rounds 5] [--rate 50]
[--seconds 3]``. Needs ``ivschat-sdk[local,chat]``. Traffic goes only to 127.0.0.1; every
loop is bounded in time.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import select
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench_chat import PONG, pinned, split_frames  # the same receivers' frame counting
from websockets.sync.client import connect

from ivschat_sdk.logs import read_log_dir

AUTHORIZATION = (
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261127/us-west-2/ivschat/aws4_request, "
    "SignedHeaders=content-type;host;x-amz-date, Signature=0"
)
LOGS_INTERVAL = 0.5  # the logging server writes this often; each round waits one more after


def cpu_ns(pid: int) -> int:
    """CPU time of every thread of a process, in nanoseconds (Linux schedstat)."""
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                total += int(f.read().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            pass  # a thread that just ended
    return total


def call(http_url: str, operation: str, body: dict[str, Any]) -> dict[str, Any]:
    """One control-plane request (the emulator checks the signature's shape, not its value)."""
    host, port = http_url.rsplit("/", 1)[1].rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request(
            "POST", "/" + operation, json.dumps(body),
            {"Authorization": AUTHORIZATION, "Content-Type": "application/json"},
        )  # fmt: skip
        answer = connection.getresponse()
        data = answer.read()
        assert answer.status == 200, (operation, answer.status, data[:200])
        return json.loads(data)  # type: ignore[no-any-return]
    finally:
        connection.close()


def token(http_url: str, room: str, user: str, capabilities: list[str] | None = None) -> str:
    body: dict[str, Any] = {"roomIdentifier": room, "userId": user}
    if capabilities:
        body["capabilities"] = capabilities
    return str(call(http_url, "CreateChatToken", body)["token"])


# -- a receiver process ----------------------------------------------------------------------


def receiver_main(http_url: str, room: str, count: int) -> None:
    """Connect ``count`` receivers, say "ready"; on "expect N", count until each has N frames."""
    host, port = http_url.rsplit("/", 1)[1].rsplit(":", 1)
    poller = select.epoll()
    sockets: dict[int, socket.socket] = {}
    buffers: dict[int, bytes] = {}
    frames: dict[int, int] = {}
    for i in range(count):
        sock = socket.create_connection((host, int(port)))
        key = base64.b64encode(os.urandom(16)).decode()
        sock.sendall(
            f"GET / HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Sec-WebSocket-Protocol: {token(http_url, room, f'r{i}')}\r\n\r\n".encode()
        )
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += sock.recv(4096)
        assert answer.startswith(b"HTTP/1.1 101"), answer[:80]
        sock.setblocking(False)
        fd = sock.fileno()
        sockets[fd], buffers[fd], frames[fd] = sock, answer.split(b"\r\n\r\n", 1)[1], 0
        poller.register(fd, select.EPOLLIN)
    stdin = sys.stdin.fileno()
    poller.register(stdin, select.EPOLLIN)
    print("ready", flush=True)
    expected: int | None = None
    deadline = float("inf")
    while True:
        if expected is not None and (
            all(n >= expected for n in frames.values()) or time.monotonic() > deadline
        ):
            print(f"done {min(frames.values())}", flush=True)
            expected = None
        for fd, _ in poller.poll(0.2):
            if fd == stdin:
                command = sys.stdin.readline().split()
                if not command or command[0] == "quit":
                    return
                expected, deadline = int(command[1]), time.monotonic() + 60
                continue
            sock = sockets[fd]
            try:
                data = sock.recv(262144)
            except BlockingIOError:
                continue
            if not data:
                poller.unregister(fd)
                continue
            texts, pings, buffers[fd] = split_frames(buffers[fd] + data if buffers[fd] else data)
            frames[fd] += texts
            for _ in range(pings):
                sock.send(PONG)


# -- one server under load ------------------------------------------------------------------


class Server:
    """An ivschat-local process, its logged room, its receivers and its sender."""

    def __init__(self, name: str, extra: list[str], receivers: int, pin: bool) -> None:
        self.name = name
        self.process = subprocess.Popen(
            [*(pinned(0) if pin else []), sys.executable, "-m", "ivschat_sdk.local",
             "--port", "0", "--quiet", *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().strip().rsplit(" ", 1)[1]
        config = call(
            self.url, "CreateLoggingConfiguration",
            {"destinationConfiguration": {"s3": {"bucketName": "bench-chat-logs"}}},
        )  # fmt: skip
        self.room = call(
            self.url, "CreateRoom",
            {"maximumMessageRatePerSecond": 100, "loggingConfigurationIdentifiers": [config["arn"]]},
        )["arn"]  # fmt: skip
        self.receivers = subprocess.Popen(
            [*(pinned(1) if pin else []), sys.executable, __file__, "--receiver",
             self.url, self.room, str(receivers)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert self.receivers.stdout is not None
        line = self.receivers.stdout.readline().strip()
        assert line == "ready", line
        self.sender = connect(
            "ws" + self.url[len("http") :],
            subprotocols=[token(self.url, self.room, "sender", ["SEND_MESSAGE"])],  # type: ignore[list-item]
        )
        self.echoes = 0
        self.refused = 0
        self.sent = 0
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        """Drain the sender's own connection (its echoes), so the server never waits on it."""
        try:
            for message in self.sender:
                kind = json.loads(message)["Type"]
                if kind == "MESSAGE":
                    self.echoes += 1
                elif kind == "ERROR":
                    self.refused += 1
        except Exception:
            return

    def round(self, rate: float, seconds: float, settle: float) -> tuple[int, int]:
        """Send for ``seconds``, wait until all is delivered and ``settle`` more: (CPU ns, messages)."""
        assert self.receivers.stdin is not None and self.receivers.stdout is not None
        before = cpu_ns(self.process.pid)
        started = time.perf_counter()
        count = 0
        while (elapsed := time.perf_counter() - started) < seconds:
            if count < elapsed * rate:
                self.sender.send(json.dumps({"Action": "SEND_MESSAGE", "Content": "x" * 40}))
                count += 1
            else:
                time.sleep(min(0.005, count / rate - elapsed))
        self.sent += count
        self.receivers.stdin.write(f"expect {self.sent - self.refused}\n")
        self.receivers.stdin.flush()
        done = self.receivers.stdout.readline().split()
        assert done and done[0] == "done", done
        time.sleep(settle)
        return cpu_ns(self.process.pid) - before, count

    def close(self) -> str:
        """Stop everything; the server's stderr."""
        self.sender.close()
        if self.receivers.poll() is None:
            assert self.receivers.stdin is not None
            self.receivers.stdin.write("quit\n")
            self.receivers.stdin.flush()
            self.receivers.wait(timeout=30)
        self.process.terminate()
        _, err = self.process.communicate(timeout=30)
        return err


def compare(size: int, rounds: int, rate: float, seconds: float, pin: bool) -> float:
    """Paired rounds at one fan-out size; prints each and returns the median ratio."""
    logs = Path(tempfile.mkdtemp(prefix="bench-chat-logs-"))
    off = Server("off", [], size, pin)
    on = Server("on", ["--logs-dir", str(logs), "--logs-interval", str(LOGS_INTERVAL)], size, pin)
    ratios: list[float] = []
    print(f"{size} receivers, {rate:g} messages/s for {seconds:g} s a round:")
    print("  round  off: CPU/delivery   on: CPU/delivery   on/off")
    try:
        for i in range(rounds):
            order = (off, on) if i % 2 == 0 else (on, off)
            results: dict[str, tuple[int, int]] = {}
            for server in order:
                results[server.name] = server.round(rate, seconds, settle=2 * LOGS_INTERVAL)
            per = {
                name: cpu / max(1, count * (size + 1)) / 1e3
                for name, (cpu, count) in results.items()
            }
            ratio = results["on"][0] / results["off"][0]
            ratios.append(ratio)
            print(
                f"  {i + 1:5d}  {per['off']:11.2f} us       {per['on']:11.2f} us     {ratio:6.3f}",
                flush=True,
            )
    finally:
        on_err = on.close()
        off.close()
    logged = len(list(read_log_dir(logs / "bench-chat-logs", on.room)))
    shutil.rmtree(logs, ignore_errors=True)
    broadcast = on.sent - on.refused
    print(
        f"  records written by the logging server: {logged} of {broadcast} messages broadcast"
        f"{'' if logged == broadcast else ' (MISMATCH)'}; refused (429): off {off.refused}, "
        f"on {on.refused}"
    )
    if "WARNING" in on_err or "could not" in on_err:
        print("  logging server warnings:", on_err.strip()[-500:])
    median = statistics.median(ratios)
    print(
        f"  median on/off: {median:.3f}  (mean {statistics.mean(ratios):.3f}, "
        f"min {min(ratios):.3f}, max {max(ratios):.3f})  "
        f"{'PASS' if median <= 1.10 else 'MISS'} (target <= 1.10)"
    )
    return median


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--receiver":
        receiver_main(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,1000", help="receivers per room, comma-separated")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--rate", type=float, default=50.0, help="messages per second (<= 100)")
    parser.add_argument("--seconds", type=float, default=3.0, help="sending time per round")
    parser.add_argument("--placement", choices=("pinned", "free"), default="pinned")
    args = parser.parse_args()
    pin = args.placement == "pinned" and bool(pinned(1))
    if pin:
        os.sched_setaffinity(0, {1})
    where = "servers on core 0, receivers and sender on core 1" if pin else "no pinning"
    print(f"Chat fan-out with chat logging off and on ({where}; logs every {LOGS_INTERVAL:g} s)")
    for size in (int(s) for s in args.sizes.split(",")):
        compare(size, args.rounds, args.rate, args.seconds, pin)


if __name__ == "__main__":
    main()
