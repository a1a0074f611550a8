"""Timestamps: a fast parser for botocore, UTC normalisation, and the wire format.

botocore parses each timestamp with dateutil (about 25 µs apiece); a ``ListRooms`` page of
50 rooms holds 100 of them. :func:`parse_timestamp` takes the ISO 8601 fast path of
``datetime.fromisoformat`` and falls back to botocore's own parser for anything else, so it
accepts everything botocore does. Every datetime the SDK returns is timezone-aware UTC,
whatever the host's local zone.
"""

from __future__ import annotations

import sys
from datetime import datetime, timezone

from botocore.utils import parse_timestamp as _botocore_parse_timestamp

__all__ = ["format_timestamp", "parse_timestamp", "to_utc"]

UTC = timezone.utc
_FROMISO_HANDLES_Z = sys.version_info >= (3, 11)


def to_utc(value: datetime) -> datetime:
    """Return ``value`` as an aware UTC datetime (a naive one is taken to be UTC)."""
    tz = value.tzinfo
    if tz is UTC:
        return value
    if tz is None or value.utcoffset() is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def parse_timestamp(value: str | int | float) -> datetime:
    """Parse a timestamp from the wire into an aware UTC datetime.

    Accepts RFC 3339 strings (any number of fractional digits, ``Z`` or an offset) fast, and
    everything botocore's default parser accepts (epoch numbers, other ISO forms) through it.
    """
    if isinstance(value, str):
        text = value
        if not _FROMISO_HANDLES_Z and text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            return to_utc(datetime.fromisoformat(text))
        except ValueError:
            pass
    return to_utc(_botocore_parse_timestamp(value))  # type: ignore[arg-type]  # botocore takes numbers too


def format_timestamp(value: datetime) -> str:
    """Format an aware datetime as RFC 3339 UTC with milliseconds, e.g. ``...T04:54:01.984Z``."""
    value = to_utc(value)
    return f"{value:%Y-%m-%dT%H:%M:%S}.{value.microsecond // 1000:03d}Z"
