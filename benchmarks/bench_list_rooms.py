"""Benchmark: a 50-room ListRooms page through IvsChatClient versus raw boto3.

Both run in the same process against the same in-process local IVS Chat, so the emulator's
own cost is in both. Prints, from one run:

* the time of one ``ListRooms`` call returning 50 rooms with ``boto3.client("ivschat")``
  (the baseline), and with ``IvsChatClient.list_rooms`` (first page, typed models);
* the time to convert one already-parsed 50-room response into ``RoomSummary`` models, with
  the SDK's converter and, as the baseline, with cattrs' generic generated functions;
* the ratios against the targets (typed call at least 3x faster; conversion under 100 µs).

Run: ``python benchmarks/bench_list_rooms.py`` (add ``--rounds N`` for longer runs).
"""

from __future__ import annotations

import argparse
import statistics
import timeit
from collections.abc import Callable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any

import attrs
import boto3
import cattrs
from cattrs.gen import make_dict_structure_fn, override

from ivschat_sdk import IvsChatClient, RoomSummary
from ivschat_sdk._converter import (
    CONVERTER,
    _is_lenient_enum,
    _lenient_enum,
    camel_case,
)
from ivschat_sdk._timestamps import to_utc
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


def generic_cattrs_hook() -> Callable[[Any, Any], RoomSummary]:
    """What the converter would cost with cattrs' own generated structure functions.

    The same renames and per-type hooks as the SDK's converter; only the functions that
    build each model are cattrs' generic ones.
    """
    conv = cattrs.Converter(detailed_validation=False)
    conv.register_structure_hook(datetime, lambda v, _: to_utc(v))
    conv.register_structure_hook_func(
        lambda t: t == Mapping[str, str], lambda v, _: MappingProxyType(v)
    )
    conv.register_structure_hook_func(lambda t: t == tuple[str, ...], lambda v, _: tuple(v))

    def enum_hook(t: Any) -> Callable[[Any, Any], Any]:
        structure = _lenient_enum(t)
        return lambda v, _: structure(v)

    def model_hook(cls: Any) -> Callable[[Any, Any], Any]:
        renames = {a.name: override(rename=camel_case(a.name)) for a in attrs.fields(cls)}
        return make_dict_structure_fn(cls, conv, **renames)  # type: ignore[arg-type]

    conv.register_structure_hook_factory(_is_lenient_enum, enum_hook)
    conv.register_structure_hook_factory(attrs.has, model_hook)
    return conv.get_structure_hook(RoomSummary)


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
        ours = CONVERTER.get_structure_hook(RoomSummary)
        generic = generic_cattrs_hook()
        assert generic(parsed[1], RoomSummary) == ours(parsed[1], RoomSummary)
        generic_convert, convert = paired(
            lambda: tuple([generic(r, RoomSummary) for r in parsed]),
            lambda: tuple([ours(r, RoomSummary) for r in parsed]),
            args.rounds,
            200,
        )

    ratios = [b / c for b, c in zip(raw_call, typed_call, strict=True)]
    print("ListRooms, one page of 50 rooms (half with a review handler), in-process local IVS Chat")
    print(f"  raw boto3 list_rooms() (baseline), ms:   {summary(raw_call, 1e3)}")
    print(f"  IvsChatClient.list_rooms() first page, ms: {summary(typed_call, 1e3)}")
    print(
        f"  speed-up, raw / typed:  best-to-best {min(raw_call) / min(typed_call):.2f}x, "
        f"median of paired rounds {statistics.median(ratios):.2f}x   (target >= 3x)"
    )
    print("Converting one parsed 50-room response into RoomSummary models")
    print(f"  cattrs' generic generated functions (baseline), µs: {summary(generic_convert, 1e6)}")
    print(
        f"  the SDK's converter, µs:                            {summary(convert, 1e6)}   (target < 100 µs)"
    )
    conversion_ratios = [g / c for g, c in zip(generic_convert, convert, strict=True)]
    print(
        f"  speed-up over the baseline, median of paired rounds: {statistics.median(conversion_ratios):.2f}x"
    )


if __name__ == "__main__":
    main()
