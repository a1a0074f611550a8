"""The chat client's reconnect schedule: exponential backoff with full jitter.

All the constants of reconnection live here, so the schedule is read and tested in one place.
"""

from __future__ import annotations

import random

__all__ = [
    "BASE_DELAY",
    "DEFAULT_MAX_RECONNECT_ATTEMPTS",
    "MAX_DELAY",
    "backoff_ceiling",
    "backoff_delay",
]

BASE_DELAY = 0.25
"""Ceiling of the first retry's delay, in seconds."""
MAX_DELAY = 10.0
"""No retry waits longer than this, in seconds."""
DEFAULT_MAX_RECONNECT_ATTEMPTS = 5
"""Handshakes tried after a connection is lost, before giving up."""
_RNG = random.Random()


def backoff_ceiling(attempt: int) -> float:
    """The longest wait before reconnect ``attempt`` (0 for the first): 0.25, 0.5, 1, ... 10 s."""
    return min(MAX_DELAY, BASE_DELAY * 2.0**attempt)


def backoff_delay(attempt: int, rng: random.Random | None = None) -> float:
    """The wait before reconnect ``attempt``: uniform between 0 and its ceiling (full jitter)."""
    source = rng if rng is not None else _RNG
    delay: float = source.uniform(0.0, backoff_ceiling(attempt))
    return delay
