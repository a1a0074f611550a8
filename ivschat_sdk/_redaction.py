"""Keeps secrets out of the debug logs botocore, aiobotocore and urllib3 write for our calls.

At DEBUG level botocore logs the canonical request and the prepared request of every call,
both holding the ``X-Amz-Security-Token`` header (the session token of temporary
credentials), and every response body, where a ``CreateChatToken`` answer holds the chat
token. A filter, added to those loggers when ``ivschat_sdk`` is imported, rewrites each
record that would carry one, before any handler sees it: the session token, a secret access
key and the chat token become ``<redacted>``. It runs only for records that are emitted, so
it costs nothing while DEBUG logging is off.
"""

from __future__ import annotations

import logging
import re

__all__ = ["LOGGERS", "REDACTED", "SecretRedactingFilter", "install", "redact"]

REDACTED = "<redacted>"
"""What a secret is replaced with."""

LOGGERS = (
    "botocore.auth",
    "botocore.awsrequest",
    "botocore.client",
    "botocore.credentials",
    "botocore.endpoint",
    "botocore.hooks",
    "botocore.httpsession",
    "botocore.parsers",
    "botocore.retries.standard",
    "botocore.retryhandler",
    "botocore.utils",
    "urllib3.connectionpool",
    "aiobotocore.credentials",
    "aiobotocore.endpoint",
    "aiobotocore.hooks",
    "aiobotocore.httpsession",
    "aiobotocore.parsers",
    "aiobotocore.retries.standard",
    "aiobotocore.utils",
)
"""The loggers the filter is added to: every one botocore, aiobotocore and urllib3 write
requests, responses or credentials to."""

_SECRETS = re.compile(
    r"""(?ix)
    (   # the name of a secret and what separates it from the value:
        (?<![a-z0-9_-])["']?
        (?:x-amz-security-token|(?:aws_)?secret_?access_?key|(?:aws_)?session_?token)
        ["']?\s*[:=]\s*b?["']?           # a header, a canonical request line, a dict, JSON
      | "token"\s*:\s*"                  # a chat token in a JSON response body
      | <(?:SecretAccessKey|SessionToken)>  # temporary credentials in an STS answer
    )
    [^'"\s&,}<\\]+                       # the value
    """
)
_MARKERS = ("security-token", "secret", "token")


def redact(text: str) -> str:
    """Return ``text`` with the value of every secret it carries replaced by ``<redacted>``."""
    return _SECRETS.sub(lambda m: m.group(1) + REDACTED, text)


class SecretRedactingFilter(logging.Filter):
    """Rewrite a record whose message carries a secret; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the record in place and let it through."""
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is logging's to report, not ours
            return True
        lowered = message.lower()
        if any(marker in lowered for marker in _MARKERS):
            redacted = redact(message)
            if redacted != message:
                record.msg, record.args = redacted, None
        return True


def install() -> None:
    """Add the filter to each of :data:`LOGGERS` (once)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, SecretRedactingFilter) for f in logger.filters):
            logger.addFilter(SecretRedactingFilter())
