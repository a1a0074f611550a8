"""Keeps chat tokens out of botocore's debug logs.

botocore logs every response body at DEBUG level (``botocore.parsers``: "Response body:
..."), and a ``CreateChatToken`` response body holds the token. This filter, installed on
that logger when ``ivschat_sdk`` is imported, replaces the token's value before any handler
sees the record. It runs only for records that are actually emitted.
"""

from __future__ import annotations

import logging
import re

__all__ = ["ChatTokenRedactingFilter", "install"]

_TOKEN_BYTES = re.compile(rb'("token"\s*:\s*")[^"]*(")')
_TOKEN_TEXT = re.compile(r'("token"\s*:\s*")[^"]*(")')
REDACTED = "<redacted>"


class ChatTokenRedactingFilter(logging.Filter):
    """Replace the value of every JSON ``"token"`` member in a record's arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact in place; never drops a record."""
        args = record.args
        if isinstance(args, tuple) and args:
            record.args = tuple(_redact(a) for a in args)
        return True


def _redact(value: object) -> object:
    if isinstance(value, bytes) and b'"token"' in value:
        return _TOKEN_BYTES.sub(rb"\1" + REDACTED.encode() + rb"\2", value)
    if isinstance(value, str) and '"token"' in value:
        return _TOKEN_TEXT.sub(r"\1" + REDACTED + r"\2", value)
    return value


def install() -> None:
    """Add the filter to ``botocore.parsers`` (once)."""
    logger = logging.getLogger("botocore.parsers")
    if not any(isinstance(f, ChatTokenRedactingFilter) for f in logger.filters):
        logger.addFilter(ChatTokenRedactingFilter())
