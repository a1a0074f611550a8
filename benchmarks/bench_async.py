"""Benchmark: AsyncIvsChatClient against the sync client on threads and raw aiobotocore.

Part 1, over HTTP: ``ivschat-local`` runs in a subprocess pinned to core 0 (``taskset``,
where available), and this process to core 1, so that client and server share neither a
core nor a GIL. In each round, C concurrent workers make N ``CreateChatToken`` calls (N and C
are ``--calls`` and ``--concurrency``, 2,000 and 50 by default) through:

1. ``AsyncIvsChatClient``, one client, C tasks;
2. ``IvsChatClient``, one client shared by C threads (boto3 clients are thread-safe);
3. raw aiobotocore, one client, C tasks: the baseline for the async client.

Every client has ``max_pool_connections=C`` (botocore ``Config``), so the connection pool is
not the bottleneck, and the baseline has the SDK's retry settings (standard mode, 3 attempts).
Each client is opened and warmed up once, before the rounds; the rounds run the three in
alternating order (forward, then reversed) so that drifting load affects them alike. It
prints, per client, the medians over rounds of requests per second, p50/p99 latency, the
client's CPU time per call, the client's and the server's CPU use as a share of one core
(a server near 100% set the pace instead of the client; a client well under 100% with the
server idle means other processes held its core, and req/s then say more about the
scheduler than about the client: its CPU time per call is the steadier figure), then the
medians of the per-round ratios.

Part 2, in process: ``mock_ivschat()`` answers every call from an in-memory emulator (no
socket). Each round, N sequential ``create_chat_token`` calls through the async client and
through the sync client, with raw aiobotocore and raw boto3 (standard retries) in the same
rounds as references: they show what aiobotocore costs over botocore by itself. The clients
take turns in short blocks (a tenth of a round each, order reversed every other block),
timed by this process's CPU time: short paired blocks pair far better than long rounds under
load that drifts within seconds, and the CPU clock leaves out time other processes hold the
core. The ratio is the median of the per-block ratios.

Targets (issue 9), each printed with PASS or MISS and the measured figure:

* over HTTP, the async client at least as fast as the sync client on threads (req/s ratio of
  at least 1.00);
* over HTTP, the async client within 10% of raw aiobotocore (req/s ratio of at least 0.90);
* in process, an async call within 10% of a sync call (time ratio of at most 1.10).

Run: ``python benchmarks/bench_async.py [--rounds 5] [--calls 2000] [--concurrency 50]``;
``--quick`` (3 rounds of 300 calls) is what ``nox -s examples`` runs. Needs
``ivschat-sdk[local,async]``. Traffic goes only to 127.0.0.1; every loop is bounded by its
call count, every call by botocore's timeouts, and the run by ``--max-seconds`` (240): no
round starts past it, and the rounds done are reported. About a minute and a half with the
defaults on an idle machine.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypedDict

import boto3
from botocore.config import Config

try:
    from aiobotocore.config import AioConfig
    from aiobotocore.session import AioSession
except ImportError:  # pragma: no cover - depends on the installed extras
    raise SystemExit(
        "bench_async.py needs aiobotocore: pip install 'ivschat-sdk[local,async]'"
    ) from None

from ivschat_sdk import AsyncIvsChatClient, IvsChatClient

REGION = "us-west-2"


class Keys(TypedDict):
    """Explicit fake credentials (ivschat-local accepts any signature)."""

    aws_access_key_id: str
    aws_secret_access_key: str


KEYS: Keys = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"}
USER = "bench-user"
# The SDK's own retry defaults, given to the baselines too.
RETRIES: Any = {"mode": "standard", "total_max_attempts": 3}

ASYNC = "AsyncIvsChatClient"
SYNC = "IvsChatClient"
RAW_AIO = "raw aiobotocore"
RAW_BOTO3 = "raw boto3"


# -- helpers ------------------------------------------------------------------------------


def pinned(core: int) -> list[str]:
    return (
        ["taskset", "-c", str(core)]
        if shutil.which("taskset") and (os.cpu_count() or 1) > 1
        else []
    )


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc (Linux; NaN elsewhere)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return math.nan
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def local_server(core: int) -> Iterator[tuple[str, int]]:
    """``ivschat-local`` in a subprocess pinned to ``core``: yields (url, pid); stops it.

    Its stderr goes to a temporary file, shown only if it fails to start.
    """
    with tempfile.TemporaryFile("w+") as errors:
        process = subprocess.Popen(
            [*pinned(core), sys.executable, "-m", "ivschat_sdk.local", "--port", "0", "--quiet"],
            stdout=subprocess.PIPE, stderr=errors, text=True,
        )  # fmt: skip
        try:
            assert process.stdout is not None
            line = process.stdout.readline().strip()
            if not line.startswith("ivschat-local listening on "):
                process.wait(timeout=30)
                errors.seek(0)
                raise SystemExit(f"ivschat-local did not start: {line!r} {errors.read()}")
            yield line.rsplit(" ", 1)[1], process.pid
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    return sorted_values[max(0, math.ceil(fraction * len(sorted_values)) - 1)]


def verdict(ok: bool, note: str = "") -> str:
    return ("PASS" if ok else "MISS") + (f" ({note})" if note else "")


# -- part 1: over HTTP --------------------------------------------------------------------


@dataclass
class Run:
    """One timed batch of calls by one client."""

    seconds: float
    latencies: list[float]  # sorted
    errors: int
    first_error: str
    client_cpu: float
    server_cpu: float

    @property
    def rps(self) -> float:
        """Calls per second."""
        return len(self.latencies) / self.seconds

    @property
    def p50_ms(self) -> float:
        """Median latency, milliseconds."""
        return percentile(self.latencies, 0.50) * 1e3

    @property
    def p99_ms(self) -> float:
        """99th-percentile latency, milliseconds."""
        return percentile(self.latencies, 0.99) * 1e3

    @property
    def client_us_per_call(self) -> float:
        """CPU time of this process per call, microseconds."""
        return self.client_cpu / len(self.latencies) * 1e6

    @property
    def client_share(self) -> float:
        """CPU time of this process as a share of the elapsed time (1.0: its core busy)."""
        return self.client_cpu / self.seconds

    @property
    def server_share(self) -> float:
        """The server's CPU time as a share of the elapsed time (1.0: one core busy)."""
        return self.server_cpu / self.seconds


class Tally:
    """Latencies and errors of one batch, filled in by its workers."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors = 0
        self.first_error = ""

    def failed(self, err: Exception) -> None:
        """Count a failed call, keeping the first error's message."""
        self.errors += 1
        self.first_error = self.first_error or f"{type(err).__name__}: {err}"


async def drive_tasks(call: Callable[[], Awaitable[object]], calls: int, concurrency: int) -> Tally:
    """``calls`` calls of ``call`` by ``concurrency`` tasks of this event loop."""
    tally = Tally()
    tickets = iter(range(calls))  # shared: each call is taken by exactly one task

    async def worker() -> None:
        for _ in tickets:
            start = time.perf_counter()
            try:
                await call()
            except Exception as err:
                tally.failed(err)
            tally.latencies.append(time.perf_counter() - start)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return tally


def drive_threads(call: Callable[[], object], calls: int, concurrency: int) -> Tally:
    """``calls`` calls of ``call`` by ``concurrency`` threads."""
    tally = Tally()
    tickets = iter(range(calls))
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                if next(tickets, None) is None:
                    return
            start = time.perf_counter()
            try:
                call()
            except Exception as err:
                with lock:
                    tally.failed(err)
            tally.latencies.append(time.perf_counter() - start)  # list.append is atomic

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


async def timed(batch: Callable[[], Awaitable[Tally]], server_pid: int) -> Run:
    server_before, cpu_before = cpu_seconds(server_pid), time.process_time()
    started = time.perf_counter()
    tally = await batch()
    seconds = time.perf_counter() - started
    return Run(
        seconds=seconds,
        latencies=sorted(tally.latencies),
        errors=tally.errors,
        first_error=tally.first_error,
        client_cpu=time.process_time() - cpu_before,
        server_cpu=cpu_seconds(server_pid) - server_before,
    )


async def over_http(
    url: str, server_pid: int, rounds: int, calls: int, concurrency: int, deadline: float
) -> dict[str, list[Run]]:
    pool = Config(max_pool_connections=concurrency, connect_timeout=10, read_timeout=30)
    control = boto3.client("ivschat", region_name=REGION, endpoint_url=url, **KEYS)
    room = control.create_room(name="bench-async")["arn"]
    control.close()
    sync_client = IvsChatClient(region_name=REGION, endpoint_url=url, config=pool, **KEYS)
    async with contextlib.AsyncExitStack() as stack:
        async_client = await stack.enter_async_context(
            AsyncIvsChatClient(region_name=REGION, endpoint_url=url, config=pool, **KEYS)
        )
        raw_aio = await stack.enter_async_context(
            AioSession().create_client(
                "ivschat",
                region_name=REGION,
                endpoint_url=url,
                config=AioConfig(
                    max_pool_connections=concurrency,
                    connect_timeout=10,
                    read_timeout=30,
                    retries=RETRIES,
                ),
                **KEYS,
            )
        )
        stack.callback(sync_client.close)

        def batches(n: int) -> dict[str, Callable[[], Awaitable[Tally]]]:
            return {
                ASYNC: lambda: drive_tasks(
                    lambda: async_client.create_chat_token(room_identifier=room, user_id=USER),
                    n,
                    concurrency,
                ),
                # The threads run while this event loop waits, idle, for them.
                SYNC: lambda: asyncio.to_thread(
                    drive_threads,
                    lambda: sync_client.create_chat_token(room_identifier=room, user_id=USER),
                    n,
                    concurrency,
                ),
                RAW_AIO: lambda: drive_tasks(
                    lambda: raw_aio.create_chat_token(roomIdentifier=room, userId=USER),
                    n,
                    concurrency,
                ),
            }

        # Warm-up, not timed: fills each connection pool and every lazy cache.
        for name, batch in batches(4 * concurrency).items():
            warm = await batch()
            if warm.errors:
                raise SystemExit(f"{name}: {warm.errors} calls failed: {warm.first_error}")

        results: dict[str, list[Run]] = {name: [] for name in (ASYNC, SYNC, RAW_AIO)}
        timed_batches = batches(calls)
        for r in range(rounds):
            if r and time.monotonic() > deadline:
                break  # the time budget: report the rounds done
            names = list(timed_batches) if r % 2 == 0 else list(reversed(timed_batches))
            for name in names:
                results[name].append(await timed(timed_batches[name], server_pid))
    return results


def report_http(
    results: dict[str, list[Run]], rounds: int, calls: int, concurrency: int
) -> list[tuple[str, bool, str]]:
    where = "ivschat-local pinned to core 0, this process to core 1" if pinned(1) else "no pinning"
    done = len(results[ASYNC])
    cut = f" (of {rounds}: time budget reached)" if done < rounds else ""
    print(
        f"CreateChatToken over HTTP: {calls:,} calls by {concurrency} concurrent workers, "
        f"{done} round{'s' if done != 1 else ''}{cut} in alternating order ({where})"
    )
    print(
        f"  {'medians over rounds':<38} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'client CPU/call':>16} {'client CPU':>11} {'server CPU':>11} {'errors':>7}"
    )
    labels = {
        ASYNC: f"AsyncIvsChatClient, {concurrency} tasks",
        SYNC: f"IvsChatClient, {concurrency} threads",
        RAW_AIO: f"raw aiobotocore, {concurrency} tasks (base)",
    }
    for name, runs in results.items():
        print(
            f"  {labels[name]:<38} {statistics.median(r.rps for r in runs):7.0f} "
            f"{statistics.median(r.p50_ms for r in runs):8.2f} "
            f"{statistics.median(r.p99_ms for r in runs):8.2f} "
            f"{statistics.median(r.client_us_per_call for r in runs):13.0f} µs "
            f"{statistics.median(r.client_share for r in runs):11.0%} "
            f"{statistics.median(r.server_share for r in runs):11.0%} "
            f"{sum(r.errors for r in runs):7d}"
        )
    errors = {name: runs for name, runs in results.items() if any(r.errors for r in runs)}
    for name, runs in errors.items():
        print(f"  {name}: first error: {next(r.first_error for r in runs if r.errors)}")

    def ratios(a: str, b: str) -> tuple[float, float, float]:
        pairs = list(zip(results[a], results[b], strict=True))
        return (
            statistics.median(x.rps / y.rps for x, y in pairs),
            statistics.median(x.p99_ms / y.p99_ms for x, y in pairs),
            statistics.median(x.client_us_per_call / y.client_us_per_call for x, y in pairs),
        )

    vs_sync, p99_vs_sync, cpu_vs_sync = ratios(ASYNC, SYNC)
    vs_raw, p99_vs_raw, cpu_vs_raw = ratios(ASYNC, RAW_AIO)
    print("  ratios, medians of the per-round ratios:")
    print(
        f"    async / sync on threads:   req/s {vs_sync:5.2f}x   p99 {p99_vs_sync:5.2f}x   "
        f"client CPU per call {cpu_vs_sync:5.2f}x"
    )
    print(
        f"    async / raw aiobotocore:   req/s {vs_raw:5.2f}x   p99 {p99_vs_raw:5.2f}x   "
        f"client CPU per call {cpu_vs_raw:5.2f}x"
    )
    server = statistics.median(r.server_share for runs in results.values() for r in runs)
    if server >= 0.9:
        print(
            f"  note: the server was busy {server:.0%} of the time: it, not the clients, may "
            "have set the pace, and the ratios then understate the clients' differences"
        )
    client = statistics.median(r.client_share for runs in results.values() for r in runs)
    if client < 0.8 and server < 0.9:
        print(
            f"  note: this process had {client:.0%} of its core while the server was mostly idle: "
            "other processes shared the core, and req/s then measure the scheduler as much as "
            "the clients; CPU per call is the steadier comparison"
        )
    clean = "" if not errors else "calls failed: the figures do not count"
    return [
        (
            "HTTP: async client at least as fast as the sync client on threads",
            vs_sync >= 1.0 and not errors,
            f"{vs_sync:.3f}x req/s, target >= 1.00x" + (f"; {clean}" if clean else ""),
        ),
        (
            "HTTP: async client within 10% of raw aiobotocore",
            vs_raw >= 0.9 and not errors,
            f"{vs_raw:.3f}x req/s, target >= 0.90x" + (f"; {clean}" if clean else ""),
        ),
    ]


# -- part 2: in process -------------------------------------------------------------------


BLOCKS_PER_ROUND = 10


async def in_process(rounds: int, calls: int, deadline: float) -> dict[str, list[float]]:
    """CPU seconds per sequential ``create_chat_token`` call of each client, per paired block.

    Each round of ``calls`` calls per client is cut into ``BLOCKS_PER_ROUND`` blocks, and the
    clients take turns block by block (the order reversed every other block): short paired
    blocks pair far better than long ones under load that drifts within seconds. The clock
    is this process's CPU time (the loop is CPU-bound and sequential, so it is the calls'
    cost), which leaves out the time other processes hold the core.
    """
    # Imported here: it adds its handler to every botocore session created afterwards, and
    # the HTTP clients of part 1 are to be plain ones.
    from ivschat_sdk.testing import mock_ivschat

    size = max(1, calls // BLOCKS_PER_ROUND)
    with mock_ivschat():
        sync_client = IvsChatClient(region_name=REGION, **KEYS)
        raw_boto3 = boto3.Session(**KEYS).client(
            "ivschat", region_name=REGION, config=Config(retries=RETRIES)
        )
        room = sync_client.create_room(name="bench-async").arn
        async with contextlib.AsyncExitStack() as stack:
            stack.callback(sync_client.close)
            stack.callback(raw_boto3.close)
            async_client = await stack.enter_async_context(
                AsyncIvsChatClient(region_name=REGION, **KEYS)
            )
            raw_aio = await stack.enter_async_context(
                AioSession().create_client(
                    "ivschat", region_name=REGION, config=AioConfig(retries=RETRIES), **KEYS
                )
            )

            async def run_async(call: Callable[[], Awaitable[object]], n: int) -> float:
                start = time.process_time()
                for _ in range(n):
                    await call()
                return (time.process_time() - start) / n

            async def run_sync(call: Callable[[], object], n: int) -> float:
                start = time.process_time()  # blocks the (otherwise idle) loop: sequential
                for _ in range(n):
                    call()
                return (time.process_time() - start) / n

            cases: dict[str, Callable[[int], Awaitable[float]]] = {
                ASYNC: lambda n: run_async(
                    lambda: async_client.create_chat_token(room_identifier=room, user_id=USER), n
                ),
                SYNC: lambda n: run_sync(
                    lambda: sync_client.create_chat_token(room_identifier=room, user_id=USER), n
                ),
                RAW_AIO: lambda n: run_async(
                    lambda: raw_aio.create_chat_token(roomIdentifier=room, userId=USER), n
                ),
                RAW_BOTO3: lambda n: run_sync(
                    lambda: raw_boto3.create_chat_token(roomIdentifier=room, userId=USER), n
                ),
            }
            for case in cases.values():  # warm-up, not timed
                await case(max(20, size))
            results: dict[str, list[float]] = {name: [] for name in cases}
            for block in range(rounds * BLOCKS_PER_ROUND):
                if block >= 2 and time.monotonic() > deadline:
                    break  # the time budget: report the blocks done
                names = list(cases) if block % 2 == 0 else list(reversed(cases))
                for name in names:
                    results[name].append(await cases[name](size))
    return results


def report_in_process(
    results: dict[str, list[float]], rounds: int, calls: int
) -> list[tuple[str, bool, str]]:
    blocks = len(results[ASYNC])
    cut = " (time budget reached)" if blocks < rounds * BLOCKS_PER_ROUND else ""
    print(
        f"create_chat_token in process (mock_ivschat, no socket): {rounds} rounds of {calls:,} "
        f"sequential calls per client, taking turns in {blocks} paired blocks{cut} of "
        f"{max(1, calls // BLOCKS_PER_ROUND):,} calls, alternating order; CPU time"
    )
    labels = {
        ASYNC: "AsyncIvsChatClient",
        SYNC: "IvsChatClient",
        RAW_AIO: "raw aiobotocore (reference)",
        RAW_BOTO3: "raw boto3 (reference)",
    }
    print(f"  {'µs per call':<30} {'median':>8} {'best':>8}")
    for name, times in results.items():
        print(f"  {labels[name]:<30} {statistics.median(times) * 1e6:8.1f} {min(times) * 1e6:8.1f}")

    def ratio(a: str, b: str) -> float:
        return statistics.median(x / y for x, y in zip(results[a], results[b], strict=True))

    async_vs_sync = ratio(ASYNC, SYNC)
    print("  time ratios, medians of the per-block ratios (above 1: the first is slower):")
    print(f"    AsyncIvsChatClient / IvsChatClient:   {async_vs_sync:5.2f}x")
    print(f"    raw aiobotocore / raw boto3:          {ratio(RAW_AIO, RAW_BOTO3):5.2f}x")
    print(f"    AsyncIvsChatClient / raw aiobotocore: {ratio(ASYNC, RAW_AIO):5.2f}x")
    print(f"    IvsChatClient / raw boto3:            {ratio(SYNC, RAW_BOTO3):5.2f}x")
    return [
        (
            "in process: async call within 10% of a sync call",
            async_vs_sync <= 1.1,
            f"{async_vs_sync:.3f}x the time, target <= 1.10x",
        )
    ]


# -- main ---------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, help="paired rounds (5; 3 with --quick)")
    parser.add_argument("--calls", type=int, help="calls per client per round (2000; 300 with --quick)")  # fmt: skip
    parser.add_argument("--concurrency", type=int, default=50, help="tasks or threads (50)")
    parser.add_argument("--quick", action="store_true", help="a short run, for nox")
    parser.add_argument(
        "--max-seconds", type=float, default=240.0,
        help="time budget (240): no new round starts past it (HTTP rounds past 60%% of it)",
    )  # fmt: skip
    args = parser.parse_args()
    rounds = args.rounds or (3 if args.quick else 5)
    calls = args.calls or (300 if args.quick else 2000)
    concurrency = args.concurrency
    if min(rounds, calls, concurrency) < 1:
        parser.error("--rounds, --calls and --concurrency must be at least 1")
    if args.max_seconds <= 0:
        parser.error("--max-seconds must be positive")
    if pinned(1):
        os.sched_setaffinity(0, {1})
    start = time.monotonic()

    with local_server(core=0) as (url, pid):
        http = asyncio.run(
            over_http(url, pid, rounds, calls, concurrency, start + 0.6 * args.max_seconds)
        )
    targets = report_http(http, rounds, calls, concurrency)
    print()
    local = asyncio.run(in_process(rounds, calls, start + args.max_seconds))
    targets += report_in_process(local, rounds, calls)
    print()
    print("Targets")
    for name, ok, figure in targets:
        print(f"  {verdict(ok):<5} {name}: {figure}")


if __name__ == "__main__":
    main()
