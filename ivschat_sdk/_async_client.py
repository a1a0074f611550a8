"""The typed async control-plane client, :class:`AsyncIvsChatClient`.

This module is the one definition of the 17 operations: ``scripts/unasync.py`` writes the
sync client, ``_client.py``, from it (``async def`` to ``def``, no ``await``,
``AsyncPaginator`` to ``Paginator``...), and a test checks that the generated file is
current. Each method only names its arguments: the request is built and checked, and the
answer converted, by :mod:`ivschat_sdk._core`; the transport's client, or from an
operation's second call the direct path (:mod:`ivschat_sdk._direct`), sends it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from botocore.hooks import first_non_none_response

from . import _core, _direct
from ._async_transport import AsyncTransport
from ._core import LoggingConfigurationIdentifier, Operation, ResourceIdentifier, RoomIdentifier
from ._models import (
    ChatToken,
    ChatTokenCapability,
    DestinationConfiguration,
    LoggingConfiguration,
    LoggingConfigurationSummary,
    MessageReviewHandler,
    Room,
    RoomSummary,
)
from ._pagination import FIRST_PAGE, AsyncPaginator, Page, StartingToken

__all__ = ["AsyncIvsChatClient"]

_log = logging.getLogger("ivschat_sdk")
T = TypeVar("T")


class AsyncIvsChatClient(AsyncTransport):
    """A typed async client for the Amazon IVS Chat control plane.

    Methods mirror boto3's operation names in snake_case, with keyword-only arguments; every
    identifier accepts the model or its ARN. Each one checks its arguments against the
    service's documented limits before anything is sent (raising
    :class:`ParamValidationError`), and raises an :class:`APIError` subclass for an error
    the service answers.
    """

    # -- the one place that sends ---------------------------------------------------------

    async def _invoke(self, operation: Operation[T], **params: Any) -> T:
        client = self._open_client()
        wire = _core.prepare(operation, client.meta.region_name, params)
        _log.debug("ivschat %s: sending", operation.name)
        direct = self._direct
        plan = None if direct is None else direct.plan(operation.name)
        try:
            if direct is None or plan is None:
                response = await getattr(client, operation.method)(**wire)
            else:
                response = await self._send_direct(direct, plan, wire)
        except Exception as err:
            error = _core.translate_error(err, operation.name)
            if error is None:
                raise
            _log.debug("ivschat %s: %s", operation.name, error)
            raise error from err
        return _core.convert(operation, response)

    async def _send_direct(
        self, direct: _direct.DirectPath, plan: _direct.Plan, wire: dict[str, Any]
    ) -> dict[str, Any]:
        """Make one call on the direct path (see :mod:`._direct`).

        This is botocore's attempt loop (``Endpoint._send_request``) with its events: each
        attempt is signed anew and offered to ``before-send`` handlers before it is sent,
        and botocore's retry handler, on ``needs-retry``, decides whether and when to retry.
        """
        body = _direct.body(wire)
        context = direct.context()
        request_dict = direct.request_dict(plan, body, context)
        attempts = 1
        response: Any = None  # the last attempt's (http_response, parsed), or None
        while True:
            credentials = await direct.credentials.get_frozen_credentials()
            request = direct.request(plan, body, context, attempts, response, credentials)
            caught: Exception | None = None
            try:
                answer = None
                if plan.emit_before_send:
                    answer = first_non_none_response(
                        await direct.emit(plan.before_send, request=request)
                    )
                if answer is None:
                    answer = await direct.endpoint._send(request)
            except Exception as err:  # as botocore's endpoint: the retry handler decides
                response, caught = None, err
            else:
                response = (answer, direct.parse(plan, answer, await answer.content))
                if answer.status_code < 300 and not plan.retry_check_on_success:
                    break
            delay = first_non_none_response(
                await direct.emit(
                    plan.needs_retry,
                    response=response,
                    endpoint=direct.endpoint,
                    operation=plan.model,
                    attempts=attempts,
                    caught_exception=caught,
                    request_dict=request_dict,
                )
            )
            if delay is None or delay is False:
                break
            await asyncio.sleep(delay)
            attempts += 1
        if caught is not None:
            raise caught
        after_call = {
            "http_response": response[0],
            "parsed": response[1],
            "model": plan.model,
            "context": context,
        }
        if plan.after_call_handlers is None:
            await direct.emit(plan.after_call, **after_call)
        else:  # as the emitter would call them
            for handler in plan.after_call_handlers:
                handler(event_name=plan.after_call, **after_call)
        return direct.result(plan, response, attempts)

    def _paginate(
        self,
        operation: Operation[Page[T]],
        page_size: int | None,
        max_items: int | None,
        starting_token: StartingToken,
        **filters: Any,
    ) -> AsyncPaginator[T]:
        # Check everything now, at the call, rather than at the first iteration.
        _core.check_max_items(max_items)
        token = starting_token if isinstance(starting_token, str) else None
        _core.prepare(operation, None, {**filters, "page_size": page_size, "starting_token": token})

        async def fetch(token: str | None, size: int) -> Page[T]:
            return await self._invoke(operation, **filters, page_size=size, starting_token=token)

        return AsyncPaginator(
            fetch, page_size=page_size, max_items=max_items, starting_token=starting_token
        )

    # -- rooms ----------------------------------------------------------------------------

    async def create_room(
        self,
        *,
        name: str | None = None,
        maximum_message_rate_per_second: int | None = None,
        maximum_message_length: int | None = None,
        message_review_handler: MessageReviewHandler | None = None,
        tags: Mapping[str, str] | None = None,
        logging_configuration_identifiers: Sequence[LoggingConfigurationIdentifier] | None = None,
    ) -> Room:
        """Create a chat room.

        Args:
            name: The room's name (up to 128 of ``[a-zA-Z0-9-_]``); need not be unique.
            maximum_message_rate_per_second: Messages per second for all clients together,
                1 to 100 (service default 10).
            maximum_message_length: Longest message in code points, 1 to 500 (default 500).
            message_review_handler: A Lambda function that reviews every message.
            tags: Up to 50 tags.
            logging_configuration_identifiers: Up to 3 logging configurations (or ARNs).

        Returns:
            The new room.

        Raises:
            ParamValidationError: A parameter breaks a limit; nothing was sent.
            ResourceNotFoundError: A logging configuration does not exist.
            ServiceQuotaExceededError: The account has as many rooms as it may.
            APIError: Any other error from the service.

        Example::

            room = await client.create_room(name="lobby", maximum_message_length=200)

        """
        return await self._invoke(
            _core.CREATE_ROOM,
            name=name,
            maximum_message_rate_per_second=maximum_message_rate_per_second,
            maximum_message_length=maximum_message_length,
            message_review_handler=message_review_handler,
            tags=tags,
            logging_configuration_identifiers=logging_configuration_identifiers,
        )

    async def get_room(self, *, identifier: RoomIdentifier) -> Room:
        """Get a room.

        Args:
            identifier: The room, or its ARN.

        Raises:
            ResourceNotFoundError: The room does not exist.

        """
        return await self._invoke(_core.GET_ROOM, identifier=identifier)

    async def update_room(
        self,
        *,
        identifier: RoomIdentifier,
        name: str | None = None,
        maximum_message_rate_per_second: int | None = None,
        maximum_message_length: int | None = None,
        message_review_handler: MessageReviewHandler | None = None,
        logging_configuration_identifiers: Sequence[LoggingConfigurationIdentifier] | None = None,
    ) -> Room:
        """Change a room; parameters left as None keep their value.

        Pass ``message_review_handler=MessageReviewHandler(uri="")`` to remove the handler and
        ``logging_configuration_identifiers=[]`` to detach every logging configuration.

        Raises:
            ParamValidationError: A parameter breaks a limit; nothing was sent.
            ResourceNotFoundError: The room or a logging configuration does not exist.

        """
        return await self._invoke(
            _core.UPDATE_ROOM,
            identifier=identifier,
            name=name,
            maximum_message_rate_per_second=maximum_message_rate_per_second,
            maximum_message_length=maximum_message_length,
            message_review_handler=message_review_handler,
            logging_configuration_identifiers=logging_configuration_identifiers,
        )

    async def delete_room(self, *, identifier: RoomIdentifier) -> None:
        """Delete a room; its connected clients are disconnected.

        Raises:
            ResourceNotFoundError: The room does not exist.

        """
        await self._invoke(_core.DELETE_ROOM, identifier=identifier)

    def list_rooms(
        self,
        *,
        name: str | None = None,
        message_review_handler_uri: str | None = None,
        logging_configuration_identifier: LoggingConfigurationIdentifier | None = None,
        page_size: int | None = None,
        max_items: int | None = None,
        starting_token: StartingToken = FIRST_PAGE,
    ) -> AsyncPaginator[RoomSummary]:
        """List rooms, most recently updated first, lazily across pages.

        Nothing is requested until the result is iterated. The arguments are checked now.

        Args:
            name: Only rooms with this name.
            message_review_handler_uri: Only rooms with this review handler.
            logging_configuration_identifier: Only rooms with this logging configuration.
            page_size: Rooms per request, 1 to 50 (default 50).
            max_items: Stop after this many rooms in total.
            starting_token: Resume after a page: pass its ``next_token``. Left out, the
                listing starts at the first page; None (the ``next_token`` of a last page)
                means nothing is left, and the listing is empty.

        Example::

            async for room in client.list_rooms(name="lobby"):
                print(room.arn)
            async for page in client.list_rooms(page_size=10).pages():
                print(len(page.items), page.next_token)

        """
        return self._paginate(
            _core.LIST_ROOMS,
            page_size,
            max_items,
            starting_token,
            name=name,
            message_review_handler_uri=message_review_handler_uri,
            logging_configuration_identifier=logging_configuration_identifier,
        )

    # -- chat -----------------------------------------------------------------------------

    async def create_chat_token(
        self,
        *,
        room_identifier: RoomIdentifier,
        user_id: str,
        capabilities: Sequence[ChatTokenCapability | str] | None = None,
        session_duration_in_minutes: int | None = None,
        attributes: Mapping[str, str] | None = None,
    ) -> ChatToken:
        """Issue a chat token with which one client can connect to the room.

        Args:
            room_identifier: The room, or its ARN.
            user_id: Who the client is (1 to 128 characters); shown as the sender of its
                messages.
            capabilities: What the client may do besides reading: ``SEND_MESSAGE``,
                ``DELETE_MESSAGE``, ``DISCONNECT_USER``.
            session_duration_in_minutes: How long the connection may last, 1 to 180
                (default 60).
            attributes: Up to 1 KB of data attached to the user's messages.

        Returns:
            The token, valid for one connection within one minute.

        Raises:
            ParamValidationError: A parameter breaks a limit; nothing was sent.
            ResourceNotFoundError: The room does not exist.

        """
        return await self._invoke(
            _core.CREATE_CHAT_TOKEN,
            room_identifier=room_identifier,
            user_id=user_id,
            capabilities=capabilities,
            session_duration_in_minutes=session_duration_in_minutes,
            attributes=attributes,
        )

    async def send_event(
        self,
        *,
        room_identifier: RoomIdentifier,
        event_name: str,
        attributes: Mapping[str, str] | None = None,
    ) -> str:
        """Send an event to every client connected to the room.

        Args:
            room_identifier: The room, or its ARN.
            event_name: The event's name, 1 to 100 characters.
            attributes: Up to 1 KB of string data.

        Returns:
            The event's id.

        """
        return await self._invoke(
            _core.SEND_EVENT,
            room_identifier=room_identifier,
            event_name=event_name,
            attributes=attributes,
        )

    async def delete_message(
        self, *, room_identifier: RoomIdentifier, id: str, reason: str | None = None
    ) -> str:
        """Tell the room's clients to delete a message.

        Args:
            room_identifier: The room, or its ARN.
            id: The message's 12-character id.
            reason: Why, 1 to 256 characters; sent to the clients.

        Returns:
            The id of the delete operation.

        """
        return await self._invoke(
            _core.DELETE_MESSAGE, room_identifier=room_identifier, id=id, reason=reason
        )

    async def disconnect_user(
        self, *, room_identifier: RoomIdentifier, user_id: str, reason: str | None = None
    ) -> None:
        """Disconnect every connection of a user from the room.

        Args:
            room_identifier: The room, or its ARN.
            user_id: The user, as given to ``create_chat_token``.
            reason: Why, 1 to 256 characters; sent to the clients.

        """
        await self._invoke(
            _core.DISCONNECT_USER, room_identifier=room_identifier, user_id=user_id, reason=reason
        )

    # -- tags -----------------------------------------------------------------------------

    async def tag_resource(
        self, *, resource_arn: ResourceIdentifier, tags: Mapping[str, str]
    ) -> None:
        """Add or replace tags on a room or logging configuration (50 tags at most in all)."""
        await self._invoke(_core.TAG_RESOURCE, resource_arn=resource_arn, tags=tags)

    async def untag_resource(
        self, *, resource_arn: ResourceIdentifier, tag_keys: Sequence[str]
    ) -> None:
        """Remove tags, by key, from a room or logging configuration."""
        await self._invoke(_core.UNTAG_RESOURCE, resource_arn=resource_arn, tag_keys=tag_keys)

    async def list_tags_for_resource(self, *, resource_arn: ResourceIdentifier) -> dict[str, str]:
        """Return the tags of a room or logging configuration."""
        return await self._invoke(_core.LIST_TAGS_FOR_RESOURCE, resource_arn=resource_arn)

    # -- logging configurations ------------------------------------------------------------

    async def create_logging_configuration(
        self,
        *,
        destination_configuration: DestinationConfiguration,
        name: str | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> LoggingConfiguration:
        """Create a logging configuration (a destination for rooms' messages).

        Args:
            destination_configuration: Where the logs go: an S3 bucket, a CloudWatch Logs
                group or a Firehose stream.
            name: Its name (up to 128 of ``[a-zA-Z0-9-_]``).
            tags: Up to 50 tags.

        Raises:
            ParamValidationError: A parameter breaks a limit; nothing was sent.
            ServiceQuotaExceededError: The account has as many logging configurations as it
                may (10 per region by default).

        """
        return await self._invoke(
            _core.CREATE_LOGGING_CONFIGURATION,
            destination_configuration=destination_configuration,
            name=name,
            tags=tags,
        )

    async def get_logging_configuration(
        self, *, identifier: LoggingConfigurationIdentifier
    ) -> LoggingConfiguration:
        """Get a logging configuration.

        Raises:
            ResourceNotFoundError: It does not exist.

        """
        return await self._invoke(_core.GET_LOGGING_CONFIGURATION, identifier=identifier)

    async def update_logging_configuration(
        self,
        *,
        identifier: LoggingConfigurationIdentifier,
        name: str | None = None,
        destination_configuration: DestinationConfiguration | None = None,
    ) -> LoggingConfiguration:
        """Change a logging configuration's name or destination."""
        return await self._invoke(
            _core.UPDATE_LOGGING_CONFIGURATION,
            identifier=identifier,
            name=name,
            destination_configuration=destination_configuration,
        )

    async def delete_logging_configuration(
        self, *, identifier: LoggingConfigurationIdentifier
    ) -> None:
        """Delete a logging configuration.

        Raises:
            ResourceNotFoundError: It does not exist.
            ConflictError: It cannot be deleted now (the local IVS Chat refuses while a room
                uses it).

        """
        await self._invoke(_core.DELETE_LOGGING_CONFIGURATION, identifier=identifier)

    def list_logging_configurations(
        self,
        *,
        page_size: int | None = None,
        max_items: int | None = None,
        starting_token: StartingToken = FIRST_PAGE,
    ) -> AsyncPaginator[LoggingConfigurationSummary]:
        """List logging configurations, lazily across pages (see :meth:`list_rooms`)."""
        return self._paginate(
            _core.LIST_LOGGING_CONFIGURATIONS, page_size, max_items, starting_token
        )
