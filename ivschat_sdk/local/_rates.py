"""The service's API rate quotas, counted for the control plane and chat connections alike.

The quotas are per account and region. DeleteMessage's is shared between the two APIs: the
service's quota page (IVS Chat User Guide, "IVS Chat Service Quotas", row "Rate of DeleteMessage
requests across all your rooms") says those requests "can come from either the Amazon IVS Chat
API or the Amazon IVS Chat Messaging API", so a WebSocket ``DELETE_MESSAGE`` counts in the same
window as a ``DeleteMessage`` call.
"""

from __future__ import annotations

import collections
from datetime import datetime, timedelta

__all__ = ["API_RATE_LIMITS", "RateLimiter"]

API_RATE_LIMITS: dict[str, int] = {
    **dict.fromkeys(("DeleteMessage", "DisconnectUser", "SendEvent"), 100),
    "CreateChatToken": 200,
    **dict.fromkeys(
        (
            "CreateLoggingConfiguration", "DeleteLoggingConfiguration", "GetLoggingConfiguration",
            "ListLoggingConfigurations", "UpdateLoggingConfiguration",
        ),
        3,
    ),
    **dict.fromkeys(("CreateRoom", "DeleteRoom", "GetRoom", "ListRooms", "UpdateRoom"), 5),
    **dict.fromkeys(("ListTagsForResource", "TagResource", "UntagResource"), 10),
}  # fmt: skip
"""The service's API rate quotas (requests per second, per account and region; not adjustable)."""

_ONE_SECOND = timedelta(seconds=1)


class RateLimiter:
    """Sliding one-second windows of requests per account, region and operation."""

    def __init__(self) -> None:
        self._windows: dict[tuple[str, str, str], collections.deque[datetime]] = {}

    def take(self, account_id: str, region: str, operation: str, now: datetime) -> int | None:
        """Count one request at ``now``; if it is over the quota, count nothing.

        Returns:
            None if the request is within the operation's quota, else the quota it exceeds.

        """
        limit = API_RATE_LIMITS[operation]
        window = self._windows.setdefault((account_id, region, operation), collections.deque())
        while window and now - window[0] >= _ONE_SECOND:
            window.popleft()
        if len(window) >= limit:
            return limit
        window.append(now)
        return None

    def prune(self, now: datetime) -> None:
        """Forget the windows with no request in the last second."""
        idle = [k for k, w in self._windows.items() if not w or now - w[-1] >= _ONE_SECOND]
        for key in idle:
            del self._windows[key]

    def clear(self) -> None:
        """Forget every request counted."""
        self._windows.clear()
