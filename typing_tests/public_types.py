"""Pins the public types of ivschat-sdk. Checked by `mypy --strict`, never run."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime

from typing_extensions import assert_type

from ivschat_sdk import (
    APIError,
    ChatToken,
    ChatTokenCapability,
    DestinationConfiguration,
    FallbackResult,
    IvsChatClient,
    LoggingConfiguration,
    LoggingConfigurationState,
    LoggingConfigurationSummary,
    MessageReviewHandler,
    Page,
    Paginator,
    ParamValidationError,
    ResourceNotFoundError,
    Room,
    RoomSummary,
    S3DestinationConfiguration,
    ThrottlingError,
    ValidationError,
    ValidationExceptionField,
)
from ivschat_sdk.local import LocalIvsChat
from ivschat_sdk.testing import MockIvsChat, mock_ivschat


def rooms(client: IvsChatClient) -> None:
    room = client.create_room(name="a", tags={"k": "v"})
    assert_type(room, Room)
    assert_type(room.arn, str)
    assert_type(room.create_time, datetime)
    assert_type(room.maximum_message_length, int)
    assert_type(room.tags, Mapping[str, str])
    assert_type(room.message_review_handler, MessageReviewHandler | None)
    assert_type(room.logging_configuration_identifiers, tuple[str, ...])
    assert_type(client.get_room(identifier=room), Room)
    assert_type(client.get_room(identifier=room.arn), Room)
    assert_type(client.update_room(identifier=room, name="b"), Room)
    client.delete_room(identifier=room)

    paginator = client.list_rooms(name="a", page_size=10, max_items=20)
    assert_type(paginator, Paginator[RoomSummary])
    for summary in paginator:
        assert_type(summary, RoomSummary)
        assert_type(client.get_room(identifier=summary), Room)
    pages = paginator.pages()
    assert_type(pages, Iterator[Page[RoomSummary]])
    page = next(pages)
    assert_type(page.items, tuple[RoomSummary, ...])
    assert_type(page.next_token, str | None)


def chat(client: IvsChatClient, room: Room) -> None:
    token = client.create_chat_token(
        room_identifier=room,
        user_id="u",
        capabilities=[ChatTokenCapability.SEND_MESSAGE, "DELETE_MESSAGE"],
    )
    assert_type(token, ChatToken)
    assert_type(token.token, str)
    assert_type(token.session_expiration_time, datetime)
    assert_type(client.send_event(room_identifier=room, event_name="e"), str)
    assert_type(client.delete_message(room_identifier=room, id="AbCdEfGh1234"), str)
    client.disconnect_user(room_identifier=room, user_id="u")
    assert_type(client.list_tags_for_resource(resource_arn=room), dict[str, str])


def logging_configurations(client: IvsChatClient) -> None:
    config = client.create_logging_configuration(
        destination_configuration=S3DestinationConfiguration(bucket_name="b")
    )
    assert_type(config, LoggingConfiguration)
    assert_type(config.destination_configuration, DestinationConfiguration)
    assert_type(config.state, LoggingConfigurationState | str)
    for summary in client.list_logging_configurations():
        assert_type(summary, LoggingConfigurationSummary)
    client.create_room(logging_configuration_identifiers=[config, config.arn])


def handler_fields(handler: MessageReviewHandler) -> None:
    assert_type(handler.fallback_result, FallbackResult | str)


def errors(
    err: APIError,
    nf: ResourceNotFoundError,
    th: ThrottlingError,
    ve: ValidationError,
    pv: ParamValidationError,
) -> None:
    assert_type(err.code, str)
    assert_type(err.http_status, int | None)
    assert_type(nf.resource_id, str | None)
    assert_type(th.limit, int | None)
    assert_type(ve.field_list, tuple[ValidationExceptionField, ...])
    assert_type(pv.param, str)


def testing() -> None:
    with mock_ivschat() as local:
        assert_type(local, LocalIvsChat)
    assert_type(mock_ivschat(), MockIvsChat)

    @mock_ivschat
    def decorated(x: int) -> str:
        return str(x)

    assert_type(decorated(1), str)


def misuse(client: IvsChatClient, room: Room) -> None:
    client.get_room(room)  # type: ignore[call-arg]
    client.create_room(maximum_message_length="5")  # type: ignore[arg-type]
    room.name = "x"  # type: ignore[misc]
    room.tags["k"] = "v"  # type: ignore[index]
    IvsChatClient(retry_mode="forever")  # type: ignore[arg-type]
