"""The reconnect schedule, as a table."""

from __future__ import annotations

import random

import pytest

from ivschat_sdk.messaging import BASE_DELAY, MAX_DELAY, backoff_ceiling, backoff_delay


@pytest.mark.parametrize(
    ("attempt", "ceiling"),
    [(0, 0.25), (1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 8.0), (6, 10.0), (20, 10.0)],
)
def test_ceiling_doubles_then_caps(attempt: int, ceiling: float) -> None:
    """Each attempt may wait twice as long as the one before, up to MAX_DELAY."""
    assert backoff_ceiling(attempt) == ceiling
    assert BASE_DELAY == 0.25
    assert MAX_DELAY == 10.0


@pytest.mark.parametrize("attempt", [0, 3, 9])
def test_delay_is_full_jitter_within_the_ceiling(attempt: int) -> None:
    """Delays spread over [0, ceiling], so reconnecting clients do not stampede together."""
    rng = random.Random(7)
    delays = [backoff_delay(attempt, rng) for _ in range(2000)]
    assert min(delays) >= 0.0
    assert max(delays) <= backoff_ceiling(attempt)
    assert min(delays) < backoff_ceiling(attempt) * 0.05
    assert max(delays) > backoff_ceiling(attempt) * 0.95
