"""Lazy pagination of list_rooms and list_logging_configurations."""

from __future__ import annotations

import pytest

from ivschat_sdk import IvsChatClient, Page, Paginator, S3DestinationConfiguration
from ivschat_sdk.local import LocalIvsChat


def _rooms(client: IvsChatClient, n: int) -> list[str]:
    """Create n rooms; return their ARNs newest first (the listing order)."""
    return [client.create_room(name=f"r{i}").arn for i in range(n)][::-1]


def test_nothing_is_requested_before_iteration(client: IvsChatClient, local: LocalIvsChat) -> None:
    """list_rooms() returns at once; requests happen only as iteration advances."""
    _rooms(client, 5)
    paginator = client.list_rooms(page_size=2)
    assert isinstance(paginator, Paginator)
    assert local.call_counts["ListRooms"] == 0
    it = iter(paginator)
    next(it)
    assert local.call_counts["ListRooms"] == 1
    next(it)
    assert local.call_counts["ListRooms"] == 1
    next(it)
    assert local.call_counts["ListRooms"] == 2


def test_items_across_pages_in_order(client: IvsChatClient, local: LocalIvsChat) -> None:
    """All items come back once, in the service's order, over ceil(n / page_size) requests."""
    arns = _rooms(client, 7)
    assert [r.arn for r in client.list_rooms(page_size=3)] == arns
    assert local.call_counts["ListRooms"] == 3


def test_pages_view(client: IvsChatClient) -> None:
    """pages() yields Page objects; the last page has no next token."""
    arns = _rooms(client, 5)
    pages = list(client.list_rooms(page_size=2).pages())
    assert [len(p.items) for p in pages] == [2, 2, 1]
    assert all(isinstance(p, Page) for p in pages)
    assert [p.next_token is None for p in pages] == [False, False, True]
    assert [r.arn for p in pages for r in p.items] == arns


def test_resume_from_a_page_token(client: IvsChatClient) -> None:
    """starting_token resumes exactly after the page it came from."""
    arns = _rooms(client, 5)
    first = next(client.list_rooms(page_size=2).pages())
    rest = client.list_rooms(page_size=2, starting_token=first.next_token)
    assert [r.arn for r in rest] == arns[2:]


def test_max_items_caps_and_asks_only_for_what_is_needed(
    client: IvsChatClient, local: LocalIvsChat
) -> None:
    """max_items stops iteration and shrinks the last request so nothing extra is fetched."""
    arns = _rooms(client, 10)
    pages = list(client.list_rooms(page_size=4, max_items=6).pages())
    assert [len(p.items) for p in pages] == [4, 2]
    assert [r.arn for p in pages for r in p.items] == arns[:6]
    assert local.call_counts["ListRooms"] == 2
    resumed = client.list_rooms(starting_token=pages[-1].next_token)
    assert [r.arn for r in resumed] == arns[6:]


def test_default_page_size_is_the_service_maximum(
    client: IvsChatClient, local: LocalIvsChat
) -> None:
    """Without page_size, 51 rooms take two requests (50 + 1)."""
    _rooms(client, 51)
    assert len(list(client.list_rooms())) == 51
    assert local.call_counts["ListRooms"] == 2


def test_paginator_is_reiterable(client: IvsChatClient, local: LocalIvsChat) -> None:
    """Iterating twice fetches afresh and sees new rooms."""
    _rooms(client, 1)
    paginator = client.list_rooms()
    assert len(list(paginator)) == 1
    client.create_room()
    assert len(list(paginator)) == 2


def test_logging_configurations_paginate(client: IvsChatClient) -> None:
    """list_logging_configurations pages the same way."""
    arns = [
        client.create_logging_configuration(
            destination_configuration=S3DestinationConfiguration(bucket_name=f"bucket-{i}")
        ).arn
        for i in range(5)
    ][::-1]
    pages = list(client.list_logging_configurations(page_size=2).pages())
    assert [len(p.items) for p in pages] == [2, 2, 1]
    assert [c.arn for p in pages for c in p.items] == arns
    assert [c.arn for c in client.list_logging_configurations(max_items=3)] == arns[:3]


def test_invalid_starting_token_is_a_validation_error(client: IvsChatClient) -> None:
    """A token the service did not issue is refused by the service."""
    from ivschat_sdk import ValidationError

    with pytest.raises(ValidationError) as info:
        list(client.list_rooms(starting_token="not-a-token"))
    assert info.value.field_list[0].name == "nextToken"
