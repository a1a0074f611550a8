"""Pins the public types of AsyncIvsChatClient. Checked by `mypy --strict`, never run."""

from __future__ import annotations

from collections.abc import AsyncIterator

from typing_extensions import assert_type

from ivschat_sdk import (
    FIRST_PAGE,
    AsyncIvsChatClient,
    AsyncPaginator,
    ChatToken,
    LoggingConfiguration,
    LoggingConfigurationSummary,
    Page,
    Room,
    RoomSummary,
    S3DestinationConfiguration,
)


async def operations() -> None:
    async with AsyncIvsChatClient(region_name="us-west-2") as client:
        assert_type(client, AsyncIvsChatClient)
        room = await client.create_room(name="a")
        assert_type(room, Room)
        assert_type(await client.get_room(identifier=room), Room)
        assert_type(await client.update_room(identifier=room.arn, name="b"), Room)
        assert_type(await client.delete_room(identifier=room), None)
        token = await client.create_chat_token(room_identifier=room, user_id="u")
        assert_type(token, ChatToken)
        assert_type(await client.send_event(room_identifier=room, event_name="e"), str)
        assert_type(await client.delete_message(room_identifier=room, id="x" * 12), str)
        assert_type(await client.disconnect_user(room_identifier=room, user_id="u"), None)
        assert_type(await client.list_tags_for_resource(resource_arn=room), dict[str, str])
        config = await client.create_logging_configuration(
            destination_configuration=S3DestinationConfiguration(bucket_name="bucket")
        )
        assert_type(config, LoggingConfiguration)

        rooms = client.list_rooms(page_size=10, max_items=20, starting_token=FIRST_PAGE)
        assert_type(rooms, AsyncPaginator[RoomSummary])
        assert_type(rooms.pages(), AsyncIterator[Page[RoomSummary]])
        async for summary in rooms:
            assert_type(summary, RoomSummary)
        async for page in rooms.pages():
            assert_type(page.next_token, str | None)
            client.list_rooms(starting_token=page.next_token)
        configs = client.list_logging_configurations()
        assert_type(configs, AsyncPaginator[LoggingConfigurationSummary])


def not_a_sync_iterable(client: AsyncIvsChatClient) -> None:
    for _ in client.list_rooms():  # type: ignore[attr-defined]
        pass
