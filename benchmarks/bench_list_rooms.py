"""Benchmark: a 50-room ListRooms page through IvsChatClient versus raw boto3.

Both run in the same process against the same in-process local IVS Chat, so the emulator's
own cost is in both. Prints, from one run:

* the time of one ``ListRooms`` call returning 50 rooms with ``boto3.client("ivschat")``
  (the baseline), and with ``IvsChatClient.list_rooms`` (first page, typed models);
* the time to convert one already-parsed 50-room response into ``RoomSummary`` models;
* the ratios against the targets (typed call at least 3x faster; conversion under 100 µs).

Run: ``python benchmarks/bench_list_rooms.py`` (add ``--rounds N`` for longer runs).
"""

from __future__ import annotations

import argparse
import statistics
import timeit
from collections.abc import Callable

import boto3

from ivschat_sdk import IvsChatClient, RoomSummary
from ivschat_sdk._converter import CONVERTER
from ivschat_sdk.testing import mock_ivschat

LAMBDA = "arn:aws:lambda:us-west-2:123456789012:function:review"


def paired(
    baseline: Callable[[], object], candidate: Callable[[], object], rounds: int, number: int
) -> tuple[list[float], list[float]]:
    """Seconds per call of each, measured in alternating rounds so load affects both alike."""
    baseline()
    candidate()
    base, cand = [], []
    for _ in range(rounds):
        base.append(timeit.timeit(baseline, number=number) / number)
        cand.append(timeit.timeit(candidate, number=number) / number)
    return base, cand


def summary(times: list[float], unit: float) -> str:
    return f"best {min(times) * unit:8.3f}, median {statistics.median(times) * unit:8.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()

    with mock_ivschat():
        raw = boto3.client("ivschat", region_name="us-west-2")
        client = IvsChatClient(region_name="us-west-2")
        for i in range(50):
            raw.create_room(
                name=f"room-{i}",
                tags={"app": "bench", "n": str(i)},
                **({"messageReviewHandler": {"uri": LAMBDA}} if i % 2 else {}),
            )
        assert len(raw.list_rooms()["rooms"]) == 50
        assert len(next(client.list_rooms().pages()).items) == 50

        raw_call, typed_call = paired(
            lambda: raw.list_rooms(), lambda: next(client.list_rooms().pages()), args.rounds, 20
        )
        parsed = client.boto3_client.list_rooms()["rooms"]
        structure = CONVERTER.get_structure_hook(RoomSummary)
        convert = timeit.repeat(
            lambda: tuple([structure(r, RoomSummary) for r in parsed]),
            repeat=args.rounds,
            number=200,
        )
        convert = [t / 200 for t in convert]

    ratios = [b / c for b, c in zip(raw_call, typed_call, strict=True)]
    print("ListRooms, one page of 50 rooms (half with a review handler), in-process local IVS Chat")
    print(f"  raw boto3 list_rooms() (baseline), ms:   {summary(raw_call, 1e3)}")
    print(f"  IvsChatClient.list_rooms() first page, ms: {summary(typed_call, 1e3)}")
    print(
        f"  speed-up, raw / typed:  best-to-best {min(raw_call) / min(typed_call):.2f}x, "
        f"median of paired rounds {statistics.median(ratios):.2f}x   (target >= 3x)"
    )
    print(f"  convert 50 parsed rooms to models, µs: {summary(convert, 1e6)}   (target < 100 µs)")


if __name__ == "__main__":
    main()
