"""Lazy pagination over ``nextToken`` pages (botocore has no paginators for ivschat).

A :class:`Paginator` is returned by ``list_rooms`` and ``list_logging_configurations``.
Iterating it yields items across pages; :meth:`Paginator.pages` yields the pages
themselves. Nothing is requested before iteration starts, and every iteration starts
again from the first page (or from ``starting_token``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

import attrs

__all__ = ["MAX_PAGE_SIZE", "Page", "Paginator", "next_page_size"]

T = TypeVar("T")

MAX_PAGE_SIZE = 50
"""The largest page the service returns (its ``maxResults`` limit)."""


@attrs.frozen(kw_only=True)
class Page(Generic[T]):
    """One page of a listing."""

    items: tuple[T, ...]
    """The page's items, in the service's order."""
    next_token: str | None
    """Pass as ``starting_token`` to resume after this page; None on the last page."""


FetchPage = Callable[[str | None, int], Page[T]]
"""Fetches the page at a token (None for the first) holding at most the given number of items."""


def next_page_size(page_size: int | None, max_items: int | None, seen: int) -> int:
    """How many items to ask for next, so that a ``max_items`` cap ends on a page boundary."""
    size = page_size if page_size is not None else MAX_PAGE_SIZE
    if max_items is not None:
        size = min(size, max_items - seen)
    return size


class Paginator(Generic[T]):
    """A lazy, re-iterable listing across pages.

    Iterate it for the items (``for room in client.list_rooms(): ...``), or call
    :meth:`pages` for the pages. Requests are made as iteration advances; with
    ``max_items``, page sizes are chosen so that no item beyond the cap is fetched and the
    last page's ``next_token`` resumes exactly after the last item returned.
    """

    def __init__(
        self,
        fetch: FetchPage[T],
        *,
        page_size: int | None = None,
        max_items: int | None = None,
        starting_token: str | None = None,
    ) -> None:
        self._fetch = fetch
        self._page_size = page_size
        self._max_items = max_items
        self._starting_token = starting_token

    def pages(self) -> Iterator[Page[T]]:
        """Yield the pages, requesting each one when it is needed."""
        token = self._starting_token
        seen = 0
        while True:
            size = next_page_size(self._page_size, self._max_items, seen)
            if size <= 0:
                return
            page = self._fetch(token, size)
            seen += len(page.items)
            yield page
            token = page.next_token
            if not token:
                return

    def __iter__(self) -> Iterator[T]:
        """Yield the items of every page, in order."""
        for page in self.pages():
            yield from page.items

    def __repr__(self) -> str:
        return (
            f"<Paginator page_size={self._page_size} max_items={self._max_items}"
            f" starting_token={'set' if self._starting_token else None}>"
        )
