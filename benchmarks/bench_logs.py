"""Benchmark: reading chat logs, 1,000,000 records from gzip NDJSON files.

Writes ``--records`` log records (default 1,000,000) into ``--files`` gzip NDJSON files laid
out like the S3 bucket (``AWSLogs/.../room_<id>/YYYY/MM/DD/HH/....log.gz``), a realistic mix
(messages of 2,000 users with and without attributes, SendTime with 9 and 8 fractional
digits, custom events, deletions, disconnections), then reads them back:

* baseline: ``json.loads`` alone on every line, lines read with ``gzip.open`` (what hand-made
  readers do) and with the reader's own line splitting (to isolate the parse);
* ``ivschat_sdk.logs.read_log_dir``: typed records (``LogRecord`` with the chat client's
  models), every record's item touched.

It prints records per second (wall clock, and CPU time of this process), the peak RSS before
and after reading and the RSS sampled every 100,000 records (memory must stay flat), the
tracemalloc peak while reading one file, and PASS/MISS against the targets: at least
100,000 records/s, and RSS growing by less than 20 MB while reading.

Run: ``python benchmarks/bench_logs.py [--records N] [--files N] [--repeat N] [--dir DIR]``.
Nothing leaves the machine; the files go to a temporary folder unless ``--dir`` is given.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ivschat_sdk.logs import read_log_dir, read_log_file, s3_object_key
from ivschat_sdk.logs._readers import _stream_lines

ROOM_ARN = "arn:aws:ivschat:us-west-2:123456789012:room/g1H2I3j4k5L6"
TARGET_RATE = 100_000
TARGET_RSS_GROWTH = 20 * 1024 * 1024
START = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
WORDS = ["hello", "gg", "lol", "nice", "play", "what", "a", "shot", "🔥", "👏", "anyone", "here",
         "from", "Lisbon?", "this", "stream", "is", "great"]  # fmt: skip


def send_time(ns: int) -> str:
    """RFC3339Nano as the service writes it: up to 9 digits, trailing zeros trimmed."""
    seconds, fraction = divmod(ns, 1_000_000_000)
    text = f"{START + timedelta(seconds=seconds):%Y-%m-%dT%H:%M:%S}"
    if fraction:
        text += "." + f"{fraction:09d}".rstrip("0")
    return text + "Z"


def lines(count: int, rng: random.Random) -> Iterator[tuple[int, str]]:
    """``count`` log lines in time order, with their times in ns since START."""
    dumps = json.dumps
    ns = 0
    recent: list[str] = []
    for n in range(count):
        ns += rng.randint(1_000_000, 10_000_000)  # 100 to 1,000 records a second
        stamp = send_time(ns)
        event_timestamp = stamp[:23] + "Z" if len(stamp) > 23 else stamp[:-1] + ".000Z"
        pick = rng.random()
        if pick < 0.90:
            user = rng.randrange(2_000)
            message_id = f"M{n:011d}"
            recent.append(message_id)
            content = " ".join(rng.choices(WORDS, k=rng.randint(1, 12)))
            attributes = "null" if user % 5 == 0 else dumps({"color": f"#{user:06x}"})
            sender = dumps({"displayName": f"viewer {user}"}) if user % 2 else "{}"
            payload = (
                f'{{"Type":"MESSAGE","Id":"{message_id}","RequestId":"",'
                f'"Attributes":{attributes},"Content":{dumps(content, ensure_ascii=False)},'
                f'"SendTime":"{stamp}","Sender":{{"UserId":"user-{user}","Attributes":{sender}}}}}'
            )
            kind = "MESSAGE"
        else:
            if pick < 0.95:
                name, attributes = "app:reaction", dumps({"emoji": "👏", "count": str(n % 9)})
            elif pick < 0.99 and recent:
                target = recent[rng.randrange(max(0, len(recent) - 50), len(recent))]
                name = "aws:DELETE_MESSAGE"
                attributes = dumps({"MessageID": target, "Reason": "spam"})
            else:
                name = "aws:DISCONNECT_USER"
                attributes = dumps({"Reason": "rude", "UserId": f"user-{rng.randrange(2_000)}"})
            payload = (
                f'{{"Type":"EVENT","Id":"E{n:011d}","RequestId":"","EventName":"{name}",'
                f'"Attributes":{attributes},"SendTime":"{stamp}"}}'
            )
            kind = "EVENT"
        if len(recent) > 1_000:
            del recent[:500]
        yield (
            ns,
            (
                f'{{"event_timestamp":"{event_timestamp}","type":"{kind}","payload":{payload},'
                f'"version":"1.0"}}\n'
            ),
        )


def generate(root: Path, count: int, files: int) -> list[Path]:
    """Write the records into ``files`` gzip objects laid out like the bucket."""
    rng = random.Random(12)
    per_file = -(-count // files)
    paths: list[Path] = []
    out = None
    for n, (ns, line) in enumerate(lines(count, rng)):
        if n % per_file == 0:
            if out is not None:
                out.close()
            delivered = START + timedelta(microseconds=ns // 1000, minutes=5)
            path = root / s3_object_key(ROOM_ARN, delivered, unique=f"{len(paths):08x}")
            path.parent.mkdir(parents=True, exist_ok=True)
            paths.append(path)
            out = gzip.open(path, "wt", encoding="utf-8", compresslevel=6)  # noqa: SIM115
        assert out is not None
        out.write(line)
    if out is not None:
        out.close()
    return paths


def rss() -> int:
    """The resident memory of this process now, in bytes (Linux /proc)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def peak_rss() -> int:
    """The peak resident memory of this process so far, in bytes."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def timed(run: Callable[[], int], repeat: int) -> tuple[int, float, float]:
    """(records, best wall seconds, CPU seconds of that run)."""
    best = (0, float("inf"), 0.0)
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        count = run()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if wall < best[1]:
            best = (count, wall, cpu)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--files", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each reader; best kept")
    parser.add_argument("--dir", type=Path, help="where to write the files (kept)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        root = args.dir or Path(tmp)
        began = time.perf_counter()
        paths = generate(root, args.records, args.files)
        size = sum(p.stat().st_size for p in paths)
        print(
            f"Generated {args.records:,} records in {len(paths)} gzip files "
            f"({size / 1e6:.1f} MB) in {time.perf_counter() - began:.1f} s"
        )
        print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")

        def stdlib_json() -> int:
            count = 0
            for path in paths:
                with gzip.open(path, "rb") as f:
                    for line in f:
                        json.loads(line)
                        count += 1
            return count

        def split_json() -> int:
            count = 0
            for path in paths:
                with open(path, "rb") as f:
                    for line in _stream_lines(f):
                        json.loads(line)
                        count += 1
            return count

        samples: list[int] = []

        def typed() -> int:
            count = 0
            samples.clear()
            for record in read_log_dir(root, ROOM_ARN):
                if record.item is not None:
                    count += 1
                if count % 100_000 == 0:
                    samples.append(rss())
            return count

        base_count, base_wall, base_cpu = timed(stdlib_json, args.repeat)
        split_count, split_wall, split_cpu = timed(split_json, args.repeat)
        rss_before, peak_before = rss(), peak_rss()
        count, wall, cpu = timed(typed, args.repeat)
        rss_after, peak_after = rss(), peak_rss()
        assert count == base_count == split_count == args.records, (count, base_count)

        tracemalloc.start()
        one = sum(1 for _ in read_log_file(paths[0]))
        traced_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()

    rate = count / wall
    print()
    print(f"Reading {count:,} records           records/s (wall)   records/s (CPU)")
    print(
        f"  json.loads only, gzip.open lines     {base_count / base_wall:12,.0f}  {base_count / base_cpu:16,.0f}"
    )
    print(
        f"  json.loads only, reader's lines      {split_count / split_wall:12,.0f}  {split_count / split_cpu:16,.0f}"
    )
    print(f"  ivschat_sdk.logs (typed records)     {rate:12,.0f}  {count / cpu:16,.0f}")
    print(
        f"  typed / json.loads (gzip.open): {rate / (base_count / base_wall):.2f}x, "
        f"typed / json.loads (same lines): {rate / (split_count / split_wall):.2f}x"
    )
    print()
    growth = max(samples, default=rss_after) - rss_before
    print("Memory")
    print(
        f"  peak RSS before reading {peak_before / 2**20:7.1f} MB, after {peak_after / 2**20:7.1f} MB"
    )
    print(
        "  RSS every 100,000 records (MB): "
        + " ".join(f"{s / 2**20:.1f}" for s in samples)
        + f"; growth {growth / 2**20:+.1f} MB"
    )
    print(f"  tracemalloc peak reading one file ({one:,} records): {traced_peak / 1e6:.2f} MB")
    print()
    speed_ok = rate >= TARGET_RATE
    memory_ok = growth < TARGET_RSS_GROWTH
    print(f"{'PASS' if speed_ok else 'MISS'}: {rate:,.0f} records/s (target >= {TARGET_RATE:,})")
    print(
        f"{'PASS' if memory_ok else 'MISS'}: RSS grew {growth / 2**20:+.1f} MB while reading "
        f"(target < {TARGET_RSS_GROWTH / 2**20:.0f} MB, flat)"
    )
    return 0 if speed_ok and memory_ok else 1


if __name__ == "__main__":
    sys.exit(main())
