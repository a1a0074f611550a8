"""Benchmark: the review toolkit's cold-start import and the decorator's cost per event.

IVS Chat gives a review handler 200 ms, and a Lambda's cold start counts against it. Prints,
each with PASS or MISS against its target (issue 11):

* the import cost of ``ivschat_sdk.review`` above a bare interpreter (target: at most 50 ms),
  measured in fresh interpreters, a bare one and an importing one in turn (so that load on
  the machine hits both alike), as the median of the paired differences; with, for scale,
  ``import attrs`` alone. The target is judged on CPU time (user + system), the work the
  import costs: on a shared machine the wall clock also counts the wait for a core, and its
  median swings by tens of ms (it is printed too). Two ways: as installed here (``python
  -c``: site and this venv's path hooks, already loaded in both), and clean (``python -S``:
  nothing preloaded, the worst case). Also the import time the interpreter itself reports
  (``-X importtime``);
* the decorator's overhead per event over calling the review function directly (target: at
  most 20 µs): ``handler(event, context)`` (read the event, call, check the verdict, build the
  answer, time it) against ``function(request)`` with a request already built, in alternating
  rounds, for three verdicts. An ``async def`` review is shown too, against running its
  coroutine on a loop directly (no target).

Run: ``python benchmarks/bench_review.py`` (``--rounds N`` for more interpreters,
``--number N`` for more calls per timing round).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import re
import resource
import statistics
import subprocess
import sys
import timeit
from collections.abc import Callable
from pathlib import Path

import attrs

from ivschat_sdk.review import Allow, Deny, ReviewRequest, Verdict, review_handler
from ivschat_sdk.review.testing import make_event

ROOT = Path(__file__).resolve().parent.parent
IMPORT_TARGET_MS = 50.0
OVERHEAD_TARGET_US = 20.0


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def spawn(code: str, *, clean: bool) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of a fresh interpreter running ``code``."""
    if clean:
        site_packages = str(Path(attrs.__file__).resolve().parent.parent)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), site_packages])}
        command = [sys.executable, "-S", "-c", code]
    else:
        env = dict(os.environ)
        command = [sys.executable, "-c", code]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = timeit.default_timer()
    subprocess.run(command, env=env, cwd=ROOT, check=True)
    wall = timeit.default_timer() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def import_cost_ms(
    modules: list[str], rounds: int, *, clean: bool
) -> dict[str, tuple[float, float]]:
    """Per module, (CPU time, wall clock): medians of the paired differences, in ms."""
    for module in modules:  # warm the file-system caches once
        spawn(f"import {module}", clean=clean)
    cpu: dict[str, list[float]] = {module: [] for module in modules}
    wall: dict[str, list[float]] = {module: [] for module in modules}
    for _ in range(rounds):
        for module in modules:
            bare_wall, bare_cpu = spawn("pass", clean=clean)
            module_wall, module_cpu = spawn(f"import {module}", clean=clean)
            cpu[module].append(module_cpu - bare_cpu)
            wall[module].append(module_wall - bare_wall)
    return {
        module: (statistics.median(cpu[module]) * 1000, statistics.median(wall[module]) * 1000)
        for module in modules
    }


def self_reported_ms(rounds: int) -> float:
    """Median of the interpreter's own cumulative import time of the package and review."""
    pattern = re.compile(r"import time:\s+\d+ \|\s+(\d+) \| (ivschat_sdk(?:\.review)?)$")
    totals = []
    for _ in range(rounds):
        result = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", "import ivschat_sdk.review"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        found = [pattern.search(line) for line in result.stderr.splitlines()]
        totals.append(sum(int(m.group(1)) for m in found if m) / 1000)
    return statistics.median(totals)


def paired(
    baseline: Callable[[], object], candidate: Callable[[], object], rounds: int, number: int
) -> tuple[float, float]:
    """Median seconds per call of each, measured in alternating rounds."""
    baseline()
    candidate()
    base, cand = [], []
    for _ in range(rounds):
        base.append(timeit.timeit(baseline, number=number) / number)
        cand.append(timeit.timeit(candidate, number=number) / number)
    return statistics.median(base), statistics.median(cand)


def overhead(rounds: int, number: int) -> bool:
    event = make_event(
        "a typical chat message, not too long", attributes={"color": "blue"},
        sender_attributes={"displayName": "Alice", "badge": "vip"},
    )  # fmt: skip
    request = ReviewRequest.from_event(event)
    cases: list[tuple[str, Verdict]] = [
        ("Allow()", Allow()),
        ("Allow(new content)", Allow("a typical chat message, with ****")),
        ("Deny(reason)", Deny("links are not allowed")),
    ]
    print("decorator overhead per event over calling the function directly:")
    worst = 0.0
    for name, answer in cases:

        def review(request: ReviewRequest, answer: Verdict = answer) -> Verdict:
            return answer

        handler = review_handler(review)
        direct, wrapped = paired(
            lambda: review(request),
            functools.partial(handler, event, None),
            rounds,
            number,
        )
        extra = (wrapped - direct) * 1e6
        worst = max(worst, extra)
        print(
            f"  {name:<20} direct {direct * 1e6:6.2f} µs   handler {wrapped * 1e6:6.2f} µs   "
            f"overhead {extra:6.2f} µs"
        )
    ok = worst <= OVERHEAD_TARGET_US
    print(f"  target <= {OVERHEAD_TARGET_US:.0f} µs: {verdict(ok)} (worst {worst:.2f} µs)")

    async def review_async(request: ReviewRequest) -> Verdict:
        return Allow()

    async_handler = review_handler(review_async)
    loop = asyncio.new_event_loop()
    try:
        direct, wrapped = paired(
            lambda: loop.run_until_complete(review_async(request)),
            lambda: async_handler(event, None),
            rounds,
            max(1, number // 10),
        )
    finally:
        loop.close()
    print(
        f"  {'async def, Allow()':<20} direct {direct * 1e6:6.2f} µs   handler "
        f"{wrapped * 1e6:6.2f} µs   overhead {(wrapped - direct) * 1e6:6.2f} µs "
        "(direct: run_until_complete on a loop; no target)"
    )
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=31, help="interpreters per figure")
    parser.add_argument("--number", type=int, default=20_000, help="calls per timing round")
    args = parser.parse_args()

    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    print(
        f"import ivschat_sdk.review above a bare interpreter "
        f"(medians of {args.rounds} paired fresh interpreters):"
    )
    print(f"  {'':<26} {'CPU time':>9} {'wall clock':>11}   {'import attrs alone (CPU, wall)':>30}")
    ok = True
    for label, clean in [("as installed (python -c)", False), ("clean (python -S)", True)]:
        costs = import_cost_ms(["ivschat_sdk.review", "attrs"], args.rounds, clean=clean)
        cpu, wall = costs["ivschat_sdk.review"]
        attrs_cpu, attrs_wall = costs["attrs"]
        ok = ok and cpu <= IMPORT_TARGET_MS
        print(
            f"  {label:<26} {cpu:6.1f} ms {wall:8.1f} ms   {verdict(cpu <= IMPORT_TARGET_MS)}"
            f"   ({attrs_cpu:.1f} ms, {attrs_wall:.1f} ms)"
        )
    reported = self_reported_ms(args.rounds)
    print(f"  -X importtime, in process  {reported:6.1f} ms")
    print(f"  target <= {IMPORT_TARGET_MS:.0f} ms (CPU time, both ways): {verdict(ok)}")
    print()
    ok = overhead(max(5, args.rounds // 3), args.number) and ok
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
