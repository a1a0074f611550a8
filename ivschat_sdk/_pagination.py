"""Lazy pagination over ``nextToken`` pages (botocore has no paginators for ivschat).

A :class:`Paginator` (sync client) or :class:`AsyncPaginator` (async client) is returned by
``list_rooms`` and ``list_logging_configurations``. Iterating it yields items across pages;
``pages()`` yields the pages themselves. Nothing is requested before iteration starts, and
every iteration starts again from the first page (or from ``starting_token``).

Which page to ask for next, and how large, is decided once, by :class:`_Cursor`; the two
paginators only perform the requests.
"""

from __future__ import annotations

import enum
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Generic, Literal, TypeAlias, TypeVar

import attrs

from ._models import model_repr

__all__ = [
    "FIRST_PAGE",
    "MAX_PAGE_SIZE",
    "AsyncPaginator",
    "Page",
    "Paginator",
    "StartingToken",
    "next_page_size",
]

T = TypeVar("T")

MAX_PAGE_SIZE = 50
"""The largest page the service returns (its ``maxResults`` limit)."""


class _Start(enum.Enum):
    FIRST_PAGE = "FIRST_PAGE"

    def __repr__(self) -> str:
        return "FIRST_PAGE"


FIRST_PAGE = _Start.FIRST_PAGE
"""The default ``starting_token``: start at the first page."""

StartingToken: TypeAlias = str | Literal[_Start.FIRST_PAGE] | None
"""Where a listing starts: :data:`FIRST_PAGE` (the default), a page's ``next_token`` to resume
after that page, or None, the ``next_token`` of a last page, after which nothing is left (the
listing is empty rather than silently starting over)."""


@attrs.frozen(kw_only=True, repr=False)
class Page(Generic[T]):
    """One page of a listing."""

    __repr__ = model_repr

    items: tuple[T, ...]
    """The page's items, in the service's order."""
    next_token: str | None
    """Pass as ``starting_token`` to resume after this page; None on the last page."""


FetchPage = Callable[[str | None, int], Page[T]]
"""Fetches the page at a token (None for the first) holding at most the given number of items."""
AsyncFetchPage = Callable[[str | None, int], Awaitable[Page[T]]]
"""The async twin of :data:`FetchPage`."""


def next_page_size(page_size: int | None, max_items: int | None, seen: int) -> int:
    """How many items to ask for next, so that a ``max_items`` cap ends on a page boundary."""
    size = page_size if page_size is not None else MAX_PAGE_SIZE
    if max_items is not None:
        size = min(size, max_items - seen)
    return size


class _Cursor:
    """The next-page step, shared by both paginators: where and how much to fetch next."""

    def __init__(
        self, page_size: int | None, max_items: int | None, starting_token: StartingToken
    ) -> None:
        self._page_size = page_size
        self._max_items = max_items
        self._token = None if starting_token is FIRST_PAGE else starting_token
        self._done = starting_token is None  # resuming after a last page: nothing is left
        self._seen = 0

    def next_request(self) -> tuple[str | None, int] | None:
        """The token and size of the next page to fetch, or None when the listing is over."""
        if self._done:
            return None
        size = next_page_size(self._page_size, self._max_items, self._seen)
        if size <= 0:
            return None
        return self._token, size

    def advance(self, page: Page[T]) -> None:
        """Take note of a fetched page."""
        self._seen += len(page.items)
        self._token = page.next_token
        self._done = not page.next_token


F = TypeVar("F")


class _Listing(Generic[F]):
    """What both paginators hold: how to fetch a page (``F``), and where and how far to go."""

    def __init__(
        self,
        fetch: F,
        *,
        page_size: int | None = None,
        max_items: int | None = None,
        starting_token: StartingToken = FIRST_PAGE,
    ) -> None:
        self._fetch = fetch
        self._page_size = page_size
        self._max_items = max_items
        self._starting_token = starting_token

    def _cursor(self) -> _Cursor:
        return _Cursor(self._page_size, self._max_items, self._starting_token)

    def __repr__(self) -> str:
        start = self._starting_token
        shown = start if start is None or start is FIRST_PAGE else "set"
        return (
            f"<{type(self).__name__} page_size={self._page_size} max_items={self._max_items}"
            f" starting_token={shown!r}>"
        )


class Paginator(_Listing[FetchPage[T]], Generic[T]):
    """A lazy, re-iterable listing across pages.

    Iterate it for the items (``for room in client.list_rooms(): ...``), or call
    :meth:`pages` for the pages. Requests are made as iteration advances; with
    ``max_items``, page sizes are chosen so that no item beyond the cap is fetched and the
    last page's ``next_token`` resumes exactly after the last item returned.
    """

    def pages(self) -> Iterator[Page[T]]:
        """Yield the pages, requesting each one when it is needed."""
        cursor = self._cursor()
        while (request := cursor.next_request()) is not None:
            page = self._fetch(*request)
            cursor.advance(page)
            yield page

    def __iter__(self) -> Iterator[T]:
        """Yield the items of every page, in order."""
        for page in self.pages():
            yield from page.items


class AsyncPaginator(_Listing[AsyncFetchPage[T]], Generic[T]):
    """A lazy, re-iterable listing across pages, for the async client.

    ``async for room in client.list_rooms(): ...`` for the items, ``async for page in
    client.list_rooms().pages(): ...`` for the pages; otherwise as :class:`Paginator`.
    """

    async def pages(self) -> AsyncIterator[Page[T]]:
        """Yield the pages, requesting each one when it is needed."""
        cursor = self._cursor()
        while (request := cursor.next_request()) is not None:
            page = await self._fetch(*request)
            cursor.advance(page)
            yield page

    async def __aiter__(self) -> AsyncIterator[T]:
        """Yield the items of every page, in order."""
        async for page in self.pages():
            for item in page.items:
                yield item
