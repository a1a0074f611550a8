"""An IVS Chat message review handler for AWS Lambda: mask blocked words, deny links.

Deploy this file as a Lambda function with the handler ``moderation.handler`` (Python 3.10 or
newer), next to the ``ivschat_sdk`` package, which needs nothing else (see ``README.md`` in
this folder). The words to mask come from the ``BLOCKED_WORDS`` environment variable
(comma-separated), or the short list below. A message with a link is denied: its sender's request fails with 406 and the
reason; nobody else sees it. Every other message is delivered with each blocked word (whole
words, any case) replaced by as many asterisks.

Run locally, in ``ivschat-local`` or a test, the handler is the same object: see
``docs/review.md``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping

from ivschat_sdk.review import Allow, Deny, ReviewRequest, review_handler

DEFAULT_BLOCKED_WORDS = ("darn", "heck", "spoiler")
"""The words masked when ``BLOCKED_WORDS`` is not set."""

LINK_REASON = "Links are not allowed in this chat"
"""The reason a message with a link is denied with (the sender sees it in the 406 error)."""

# A scheme or "www." link, or a bare domain with a common top-level domain.
LINK = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|gg|tv|ly|co|me|xyz|info|app|dev|link)\b",
    re.IGNORECASE,
)


def blocked_words_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern matching any of ``words`` as a whole word, in any case; None if no words."""
    cleaned = sorted({w.strip().lower() for w in words if w.strip()}, key=len, reverse=True)
    if not cleaned:
        return None
    return re.compile(r"\b(?:" + "|".join(map(re.escape, cleaned)) + r")\b", re.IGNORECASE)


def words_from_environment(environ: Mapping[str, str]) -> list[str]:
    """The words to mask: ``BLOCKED_WORDS`` (comma-separated) if set, else the default list."""
    value = environ.get("BLOCKED_WORDS")
    if value is None:
        return list(DEFAULT_BLOCKED_WORDS)
    return value.split(",")


# Built once per Lambda container (the cold start), used by every invocation.
BLOCKED = blocked_words_pattern(words_from_environment(os.environ))


def mask(text: str, pattern: re.Pattern[str] | None = BLOCKED) -> str:
    """``text`` with each match of ``pattern`` replaced by as many asterisks."""
    if pattern is None:
        return text
    return pattern.sub(lambda match: "*" * len(match.group()), text)


@review_handler
def handler(request: ReviewRequest) -> Allow | Deny:
    """The Lambda handler (``moderation.handler``): deny links, mask blocked words.

    ``handler.function`` is this function itself, for unit tests with a ``ReviewRequest``.
    """
    if LINK.search(request.content):
        return Deny(LINK_REASON)
    masked = mask(request.content)
    if masked == request.content:
        return Allow()
    return Allow(masked)
