"""Retries belong to botocore: configured explicitly, never wrapped in a second loop."""

from __future__ import annotations

import pytest

from ivschat_sdk import InternalServerError, IvsChatClient, ThrottlingError
from ivschat_sdk.local import LocalIvsChat


def test_throttled_call_is_retried_and_succeeds(
    client: IvsChatClient, local: LocalIvsChat, retry_delays: list[float]
) -> None:
    """Two throttles then success: the call succeeds after three requests and two backoffs."""
    room = client.create_room()
    local.call_counts.clear()
    local.fail_next("GetRoom", count=2)
    assert client.get_room(identifier=room) == room
    assert local.call_counts["GetRoom"] == 3
    assert len(retry_delays) == 2


def test_exhausted_retries_raise_throttling_error(
    client: IvsChatClient, local: LocalIvsChat, retry_delays: list[float]
) -> None:
    """With the default 3 attempts, a persistent throttle raises ThrottlingError after 3 requests."""
    local.fail_next("ListRooms", count=10)
    with pytest.raises(ThrottlingError) as info:
        list(client.list_rooms())
    assert local.call_counts["ListRooms"] == 3
    assert info.value.limit == 1


@pytest.mark.parametrize("attempts", [1, 5])
def test_max_attempts_is_configurable(
    attempts: int, local: LocalIvsChat, retry_delays: list[float], boto3_session: object
) -> None:
    """max_attempts counts every request, the first included."""
    client = IvsChatClient(
        region_name="us-west-2", max_attempts=attempts, boto3_session=boto3_session
    )  # type: ignore[arg-type]
    local.fail_next("CreateRoom", count=10, error="InternalServerException")
    with pytest.raises(InternalServerError):
        client.create_room()
    assert local.call_counts["CreateRoom"] == attempts


def test_client_errors_are_not_retried(
    client: IvsChatClient, local: LocalIvsChat, retry_delays: list[float]
) -> None:
    """A non-retryable error (404) is sent once."""
    from ivschat_sdk import ResourceNotFoundError

    with pytest.raises(ResourceNotFoundError):
        client.get_room(identifier="arn:aws:ivschat:us-west-2:123456789012:room/AbCdEfGh1234")
    assert local.call_counts["GetRoom"] == 1
    assert retry_delays == []


def test_bad_retry_settings_are_refused() -> None:
    """Retry settings are checked when the client is built."""
    with pytest.raises(ValueError, match="max_attempts"):
        IvsChatClient(region_name="us-west-2", max_attempts=0)
    with pytest.raises(ValueError, match="retry_mode"):
        IvsChatClient(region_name="us-west-2", retry_mode="forever")


def test_retry_config_reaches_botocore(boto3_session: object) -> None:
    """The mode and attempts given are the ones botocore uses."""
    client = IvsChatClient(
        region_name="us-west-2", retry_mode="adaptive", max_attempts=7, boto3_session=boto3_session
    )  # type: ignore[arg-type]
    retries = client.boto3_client.meta.config.retries
    assert retries is not None
    assert retries["mode"] == "adaptive"
    assert retries["total_max_attempts"] == 7
