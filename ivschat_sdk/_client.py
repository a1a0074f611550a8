"""The typed control-plane client, :class:`IvsChatClient`.

Each method builds the request in wire names, checks it against the service's constraints
(so a bad request fails here, not on the network), calls the boto3 ``ivschat`` client and
converts the answer into models. botocore owns retries; this module never loops.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypeVar

import boto3
import botocore.exceptions
from botocore.config import Config
from botocore.parsers import ResponseParserFactory

from . import _constraints, _retries
from ._converter import CONVERTER, unstructure_destination
from ._errors import (
    APIConnectionError,
    ConfigurationError,
    CredentialsError,
    IvsChatError,
    ParamValidationError,
    ResponseParseError,
    api_error_from_client_error,
)
from ._models import (
    ChatToken,
    ChatTokenCapability,
    CloudWatchLogsDestinationConfiguration,
    DestinationConfiguration,
    FirehoseDestinationConfiguration,
    LoggingConfiguration,
    LoggingConfigurationSummary,
    MessageReviewHandler,
    Room,
    RoomSummary,
    S3DestinationConfiguration,
    UnknownDestinationConfiguration,
)
from ._pagination import Page, Paginator
from ._retries import (
    DEFAULT_NON_IDEMPOTENT_RETRIES,
    NON_IDEMPOTENT_OPERATIONS,
    NonIdempotentRetries,
)
from ._timestamps import parse_timestamp
from ._version import __version__

if TYPE_CHECKING:
    from types_boto3_ivschat import IvschatClient

__all__ = [
    "DEFAULT_MAX_ATTEMPTS",
    "DEFAULT_NON_IDEMPOTENT_RETRIES",
    "DEFAULT_RETRY_MODE",
    "NON_IDEMPOTENT_OPERATIONS",
    "IvsChatClient",
    "LoggingConfigurationIdentifier",
    "NonIdempotentRetries",
    "ResourceIdentifier",
    "RetryMode",
    "RoomIdentifier",
]

_log = logging.getLogger("ivschat_sdk")
T = TypeVar("T")

RetryMode = Literal["standard", "adaptive"]
"""botocore's retry modes the client accepts."""
DEFAULT_RETRY_MODE: RetryMode = "standard"
"""botocore's retry mode used unless the caller picks another ("standard" or "adaptive")."""
DEFAULT_MAX_ATTEMPTS = 3
"""Total attempts per call (the first one included) unless the caller picks another number."""

RoomIdentifier: TypeAlias = Room | RoomSummary | str
"""A room, or its ARN."""
LoggingConfigurationIdentifier: TypeAlias = LoggingConfiguration | LoggingConfigurationSummary | str
"""A logging configuration, or its ARN."""
ResourceIdentifier: TypeAlias = RoomIdentifier | LoggingConfigurationIdentifier
"""A taggable resource (room or logging configuration), or its ARN."""

_CLIENT_NAMES = {"maxResults": "page_size", "nextToken": "starting_token"}
_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])([A-Z])")
_CONNECTION_ERRORS = (botocore.exceptions.ConnectionError, botocore.exceptions.HTTPClientError)
_CREDENTIALS_ERRORS = (
    botocore.exceptions.NoCredentialsError,
    botocore.exceptions.PartialCredentialsError,
    botocore.exceptions.CredentialRetrievalError,
    botocore.exceptions.TokenRetrievalError,
    botocore.exceptions.SSOError,
)


@contextlib.contextmanager
def _configuration_errors() -> Iterator[None]:
    """Turn botocore's errors about the client's configuration into ConfigurationError."""
    try:
        yield
    except botocore.exceptions.NoRegionError as err:
        raise ConfigurationError(
            "no AWS region: pass region_name=..., or set AWS_REGION (or AWS_DEFAULT_REGION) "
            "or a region in the AWS config file"
        ) from err
    except botocore.exceptions.InvalidRegionError as err:
        raise ConfigurationError(
            f"region_name: {err.kwargs.get('region_name')!r} is not a valid AWS region name, "
            "e.g. us-west-2"
        ) from err
    except botocore.exceptions.ProfileNotFound as err:
        raise ConfigurationError(
            f"the AWS profile {err.kwargs.get('profile')!r} (AWS_PROFILE or boto3_session) is "
            "not in the AWS config or credentials file"
        ) from err
    except _CREDENTIALS_ERRORS as err:
        raise CredentialsError(f"AWS credentials: {err}") from err
    except ValueError as err:  # botocore: "Invalid endpoint: ..."
        if "endpoint" not in str(err).lower():
            raise
        raise ConfigurationError(f"endpoint_url: {err}") from err
    except botocore.exceptions.BotoCoreError as err:
        raise ConfigurationError(str(err)) from err


def _client_param(path: str) -> str:
    """Wire path -> the SDK's parameter name (``messageReviewHandler.uri`` -> snake_case)."""
    head, quote, rest = path.partition("'")
    for wire, name in _CLIENT_NAMES.items():
        if head == wire or head.startswith(wire + "["):
            head = name + head[len(wire) :]
    return _CAMEL_HUMP.sub(lambda m: "_" + m.group(1).lower(), head) + quote + rest


def _arn_of(value: object, param: str) -> str:
    arn = getattr(value, "arn", value)
    if not isinstance(arn, str):
        raise ParamValidationError(
            [(param, f"must be an ARN string or a model with an ARN, not {type(value).__name__}")]
        )
    return arn


def _arns_of(values: object, param: str) -> list[str] | None:
    """A list of ARNs from models or ARN strings; a lone string is refused, not split."""
    if values is None:
        return None
    return [_arn_of(v, f"{param}[{i}]") for i, v in enumerate(_items(values, param, "ARNs"))]


def _items(values: object, param: str, what: str) -> list[Any]:
    """The items of a list argument; a lone string or a non-iterable is refused."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise ParamValidationError(
            [(param, f"must be a list of {what}, not {type(values).__name__}")]
        )
    return list(values)


def _string_map(value: object, param: str) -> dict[Any, Any] | None:
    """A plain dict of a mapping argument (its keys and values are checked later)."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ParamValidationError(
            [(param, f"must be a mapping of strings to strings, not {type(value).__name__}")]
        )
    return dict(value)


def _is_positive_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _drop_none(**params: Any) -> dict[str, Any]:
    return {k: v for k, v in params.items() if v is not None}


def _handler_wire(handler: object) -> dict[str, Any] | None:
    if handler is None:
        return None
    if not isinstance(handler, MessageReviewHandler):
        raise ParamValidationError(
            [
                (
                    "message_review_handler",
                    "must be a MessageReviewHandler, e.g. MessageReviewHandler(uri="
                    f"'arn:aws:lambda:...'), not {type(handler).__name__}",
                )
            ]
        )
    return {
        "uri": handler.uri,
        "fallbackResult": str(getattr(handler.fallback_result, "value", handler.fallback_result)),
    }


_DESTINATIONS = (
    S3DestinationConfiguration,
    CloudWatchLogsDestinationConfiguration,
    FirehoseDestinationConfiguration,
    UnknownDestinationConfiguration,
)


def _destination_wire(value: object) -> dict[str, Any]:
    if not isinstance(value, _DESTINATIONS):
        raise ParamValidationError(
            [
                (
                    "destination_configuration",
                    "must be an S3DestinationConfiguration, CloudWatchLogsDestinationConfiguration"
                    f" or FirehoseDestinationConfiguration, not {type(value).__name__}",
                )
            ]
        )
    return unstructure_destination(value)


def _enum_values(values: object) -> list[Any] | None:
    if values is None:
        return None
    return [getattr(v, "value", v) for v in _items(values, "capabilities", "capabilities")]


@contextlib.contextmanager
def _fast_timestamp_parsing(session: boto3.Session) -> Iterator[None]:
    """Create clients whose parser uses :func:`parse_timestamp` instead of dateutil.

    botocore reads the parser factory from the session when a client is created, so the
    factory is swapped in only for that moment and the caller's session is left as it was.
    """
    botocore_session = session._session
    factory = ResponseParserFactory()
    factory.set_parser_defaults(timestamp_parser=parse_timestamp)
    previous = botocore_session.get_component("response_parser_factory")
    botocore_session.register_component("response_parser_factory", factory)
    try:
        yield
    finally:
        botocore_session.register_component("response_parser_factory", previous)


class IvsChatClient:
    """A typed client for the Amazon IVS Chat control plane.

    Build one from the usual boto3 settings, or wrap a boto3 ``ivschat`` client you already
    have::

        client = IvsChatClient(region_name="us-west-2")
        client = IvsChatClient(boto3_client=boto3.client("ivschat"))

    Args:
        region_name: The AWS region, e.g. ``us-west-2``; defaults to boto3's configuration.
        endpoint_url: Another endpoint, e.g. a running ``ivschat-local``.
        boto3_session: The boto3 session to build the client from.
        boto3_client: An existing boto3 ``ivschat`` client to wrap; its own configuration
            (retries included) is used as it is, and the other arguments must be left out.
        aws_access_key_id: Explicit credentials, as for ``boto3.Session``.
        aws_secret_access_key: Explicit credentials, as for ``boto3.Session``.
        aws_session_token: Explicit credentials, as for ``boto3.Session``.
        retry_mode: botocore's retry mode, ``"standard"`` (default) or ``"adaptive"``.
        max_attempts: Total attempts per call, the first included (default 3). botocore makes
            them; the SDK adds no retry loop of its own.
        non_idempotent_retries: When botocore may retry ``CreateRoom``,
            ``CreateLoggingConfiguration`` and ``SendEvent``, which create a new thing on
            every call: ``"when-unprocessed"`` (default) only after throttling or a connection
            that was refused or never established, so that a call is never carried out twice;
            ``"always"`` after any retryable failure, as for every other operation (a lost
            answer may then leave two rooms). See :data:`NON_IDEMPOTENT_OPERATIONS`.
        config: A botocore ``Config`` for everything else (timeouts, proxies, ...); the retry
            arguments above take precedence over its ``retries``.

    A client the SDK builds never repeats a call that may already have created something
    (see ``non_idempotent_retries``); a wrapped ``boto3_client`` keeps its own retry behaviour.

    Raises:
        ParamValidationError: ``boto3_client`` was combined with other arguments or is not an
            ``ivschat`` client, or a retry setting is out of range.
        ConfigurationError: No region is configured, the region or the profile is unknown,
            or ``endpoint_url`` is not a URL.

    """

    def __init__(
        self,
        *,
        region_name: str | None = None,
        endpoint_url: str | None = None,
        boto3_session: boto3.Session | None = None,
        boto3_client: IvschatClient | None = None,
        aws_access_key_id: str | None = None,
        aws_secret_access_key: str | None = None,
        aws_session_token: str | None = None,
        retry_mode: RetryMode = DEFAULT_RETRY_MODE,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        non_idempotent_retries: NonIdempotentRetries = DEFAULT_NON_IDEMPOTENT_RETRIES,
        config: Config | None = None,
    ) -> None:
        if boto3_client is not None:
            others = [
                region_name, endpoint_url, boto3_session, aws_access_key_id,
                aws_secret_access_key, aws_session_token, config,
            ]  # fmt: skip
            if any(o is not None for o in others):
                raise ParamValidationError(
                    [("boto3_client", "pass either boto3_client or the arguments to build one")]
                )
            service = getattr(getattr(boto3_client, "meta", None), "service_model", None)
            if getattr(service, "service_name", None) != "ivschat":
                raise ParamValidationError(
                    [("boto3_client", f"must be a boto3 ivschat client, not {boto3_client!r}")]
                )
            self._client = boto3_client
            self._owns_client = False
            return
        if retry_mode not in ("standard", "adaptive"):
            raise ParamValidationError(
                [("retry_mode", f"must be 'standard' or 'adaptive', not {retry_mode!r}")]
            )
        if not _is_positive_int(max_attempts):
            raise ParamValidationError(
                [("max_attempts", f"must be an integer of at least 1, not {max_attempts!r}")]
            )
        if non_idempotent_retries not in ("when-unprocessed", "always"):
            raise ParamValidationError(
                [
                    (
                        "non_idempotent_retries",
                        f"must be 'when-unprocessed' or 'always', not {non_idempotent_retries!r}",
                    )
                ]
            )
        if boto3_session is not None and any(
            (aws_access_key_id, aws_secret_access_key, aws_session_token)
        ):
            raise ParamValidationError(
                [("boto3_session", "pass credentials either in boto3_session or as arguments")]
            )
        ours = Config(
            retries={"mode": retry_mode, "total_max_attempts": max_attempts},
            user_agent_extra=f"ivschat-sdk/{__version__}",
        )
        final = config.merge(ours) if config is not None else ours
        with _configuration_errors():
            session = boto3_session or boto3.Session(
                aws_access_key_id=aws_access_key_id,
                aws_secret_access_key=aws_secret_access_key,
                aws_session_token=aws_session_token,
            )
            with _fast_timestamp_parsing(session):
                self._client = session.client(
                    "ivschat", region_name=region_name, endpoint_url=endpoint_url, config=final
                )
        if non_idempotent_retries == "when-unprocessed":
            _retries.install(self._client, max_attempts)
        self._owns_client = True

    @property
    def boto3_client(self) -> IvschatClient:
        """The underlying boto3 ``ivschat`` client, for anything this SDK does not cover."""
        return self._client

    @property
    def region_name(self) -> str:
        """The AWS region the client talks to."""
        return str(self._client.meta.region_name)

    def close(self) -> None:
        """Close the connections of a client this object built (a wrapped client is left open)."""
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> IvsChatClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<IvsChatClient region={self.region_name!r} endpoint={self._client.meta.endpoint_url!r}>"

    # -- the one place that talks to botocore -------------------------------------------

    def _check(self, operation: str, params: Mapping[str, Any]) -> None:
        violations = _constraints.check_request(operation, params)
        if violations:
            region = self._client.meta.region_name or "<region>"
            raise ParamValidationError(
                [(_client_param(v.path), v.message.replace("<region>", region)) for v in violations]
            )

    def _call(self, operation: str, method_name: str, params: dict[str, Any]) -> dict[str, Any]:
        self._check(operation, params)
        method = getattr(self._client, method_name)
        _log.debug("ivschat %s: sending", operation)
        try:
            response: dict[str, Any] = method(**params)
        except botocore.exceptions.ClientError as err:
            error = api_error_from_client_error(err, operation)
            _log.debug("ivschat %s: %s (request id %s)", operation, error.code, error.request_id)
            raise error from err
        except botocore.exceptions.ParamValidationError as err:
            raise ParamValidationError([("", str(err.kwargs.get("report", err)))]) from err
        except _CONNECTION_ERRORS as err:
            raise APIConnectionError(f"{operation}: could not reach IVS Chat: {err}") from err
        except _CREDENTIALS_ERRORS as err:
            raise CredentialsError(
                f"{operation}: {err}; configure credentials as for boto3 (environment, AWS "
                "config files, or the aws_access_key_id/aws_secret_access_key arguments)"
            ) from err
        except botocore.exceptions.BotoCoreError as err:
            raise IvsChatError(f"{operation}: {err}") from err
        _log.debug(
            "ivschat %s: ok (request id %s)",
            operation,
            response.get("ResponseMetadata", {}).get("RequestId"),
        )
        return response

    def _structure(self, operation: str, data: Mapping[str, Any], cls: type[T]) -> T:
        try:
            return CONVERTER.structure(data, cls)
        except Exception as err:
            raise ResponseParseError(f"{operation}: unexpected response: {err!r}") from err

    # -- rooms ----------------------------------------------------------------------------

    def create_room(
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

            room = client.create_room(name="lobby", maximum_message_length=200)

        """
        params = _drop_none(
            name=name,
            maximumMessageRatePerSecond=maximum_message_rate_per_second,
            maximumMessageLength=maximum_message_length,
            messageReviewHandler=_handler_wire(message_review_handler),
            tags=_string_map(tags, "tags"),
            loggingConfigurationIdentifiers=_arns_of(
                logging_configuration_identifiers, "logging_configuration_identifiers"
            ),
        )
        return self._structure("CreateRoom", self._call("CreateRoom", "create_room", params), Room)

    def get_room(self, *, identifier: RoomIdentifier) -> Room:
        """Get a room.

        Args:
            identifier: The room, or its ARN.

        Raises:
            ResourceNotFoundError: The room does not exist.

        """
        params = {"identifier": _arn_of(identifier, "identifier")}
        return self._structure("GetRoom", self._call("GetRoom", "get_room", params), Room)

    def update_room(
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
        params = _drop_none(
            identifier=_arn_of(identifier, "identifier"),
            name=name,
            maximumMessageRatePerSecond=maximum_message_rate_per_second,
            maximumMessageLength=maximum_message_length,
            messageReviewHandler=_handler_wire(message_review_handler),
            loggingConfigurationIdentifiers=_arns_of(
                logging_configuration_identifiers, "logging_configuration_identifiers"
            ),
        )
        return self._structure("UpdateRoom", self._call("UpdateRoom", "update_room", params), Room)

    def delete_room(self, *, identifier: RoomIdentifier) -> None:
        """Delete a room; its connected clients are disconnected.

        Raises:
            ResourceNotFoundError: The room does not exist.

        """
        self._call("DeleteRoom", "delete_room", {"identifier": _arn_of(identifier, "identifier")})

    def list_rooms(
        self,
        *,
        name: str | None = None,
        message_review_handler_uri: str | None = None,
        logging_configuration_identifier: LoggingConfigurationIdentifier | None = None,
        page_size: int | None = None,
        max_items: int | None = None,
        starting_token: str | None = None,
    ) -> Paginator[RoomSummary]:
        """List rooms, most recently updated first, lazily across pages.

        Nothing is requested until the result is iterated. The filters are checked now.

        Args:
            name: Only rooms with this name.
            message_review_handler_uri: Only rooms with this review handler.
            logging_configuration_identifier: Only rooms with this logging configuration.
            page_size: Rooms per request, 1 to 50 (default 50).
            max_items: Stop after this many rooms in total.
            starting_token: Resume after a page, from its ``next_token``.

        Example::

            for room in client.list_rooms(name="lobby"):
                print(room.arn)
            first_page = next(client.list_rooms(page_size=10).pages())

        """
        filters = _drop_none(
            name=name,
            messageReviewHandlerUri=message_review_handler_uri,
            loggingConfigurationIdentifier=None
            if logging_configuration_identifier is None
            else _arn_of(logging_configuration_identifier, "logging_configuration_identifier"),
        )
        return self._paginate(
            "ListRooms",
            "list_rooms",
            "rooms",
            RoomSummary,
            filters,
            page_size,
            max_items,
            starting_token,
        )

    # -- chat -----------------------------------------------------------------------------

    def create_chat_token(
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
        params = _drop_none(
            roomIdentifier=_arn_of(room_identifier, "room_identifier"),
            userId=user_id,
            capabilities=_enum_values(capabilities),
            sessionDurationInMinutes=session_duration_in_minutes,
            attributes=_string_map(attributes, "attributes"),
        )
        response = self._call("CreateChatToken", "create_chat_token", params)
        return self._structure("CreateChatToken", response, ChatToken)

    def send_event(
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
        params = _drop_none(
            roomIdentifier=_arn_of(room_identifier, "room_identifier"),
            eventName=event_name,
            attributes=_string_map(attributes, "attributes"),
        )
        return str(self._call("SendEvent", "send_event", params)["id"])

    def delete_message(
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
        params = _drop_none(
            roomIdentifier=_arn_of(room_identifier, "room_identifier"), id=id, reason=reason
        )
        return str(self._call("DeleteMessage", "delete_message", params)["id"])

    def disconnect_user(
        self, *, room_identifier: RoomIdentifier, user_id: str, reason: str | None = None
    ) -> None:
        """Disconnect every connection of a user from the room.

        Args:
            room_identifier: The room, or its ARN.
            user_id: The user, as given to ``create_chat_token``.
            reason: Why, 1 to 256 characters; sent to the clients.

        """
        params = _drop_none(
            roomIdentifier=_arn_of(room_identifier, "room_identifier"),
            userId=user_id,
            reason=reason,
        )
        self._call("DisconnectUser", "disconnect_user", params)

    # -- tags -----------------------------------------------------------------------------

    def tag_resource(self, *, resource_arn: ResourceIdentifier, tags: Mapping[str, str]) -> None:
        """Add or replace tags on a room or logging configuration (50 tags at most in all)."""
        params = {
            "resourceArn": _arn_of(resource_arn, "resource_arn"),
            "tags": _string_map(tags, "tags"),
        }
        self._call("TagResource", "tag_resource", params)

    def untag_resource(self, *, resource_arn: ResourceIdentifier, tag_keys: Sequence[str]) -> None:
        """Remove tags, by key, from a room or logging configuration."""
        params = {
            "resourceArn": _arn_of(resource_arn, "resource_arn"),
            "tagKeys": _items(tag_keys, "tag_keys", "keys"),
        }
        self._call("UntagResource", "untag_resource", params)

    def list_tags_for_resource(self, *, resource_arn: ResourceIdentifier) -> dict[str, str]:
        """Return the tags of a room or logging configuration."""
        params = {"resourceArn": _arn_of(resource_arn, "resource_arn")}
        return dict(self._call("ListTagsForResource", "list_tags_for_resource", params)["tags"])

    # -- logging configurations ------------------------------------------------------------

    def create_logging_configuration(
        self,
        *,
        destination_configuration: DestinationConfiguration,
        name: str | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> LoggingConfiguration:
        """Create a logging configuration (a destination for rooms' messages).

        Raises:
            ServiceQuotaExceededError: The account has as many logging configurations as it
                may (10 per region by default).

        """
        params = _drop_none(
            name=name,
            destinationConfiguration=_destination_wire(destination_configuration),
            tags=_string_map(tags, "tags"),
        )
        response = self._call("CreateLoggingConfiguration", "create_logging_configuration", params)
        return self._structure("CreateLoggingConfiguration", response, LoggingConfiguration)

    def get_logging_configuration(
        self, *, identifier: LoggingConfigurationIdentifier
    ) -> LoggingConfiguration:
        """Get a logging configuration.

        Raises:
            ResourceNotFoundError: It does not exist.

        """
        params = {"identifier": _arn_of(identifier, "identifier")}
        response = self._call("GetLoggingConfiguration", "get_logging_configuration", params)
        return self._structure("GetLoggingConfiguration", response, LoggingConfiguration)

    def update_logging_configuration(
        self,
        *,
        identifier: LoggingConfigurationIdentifier,
        name: str | None = None,
        destination_configuration: DestinationConfiguration | None = None,
    ) -> LoggingConfiguration:
        """Change a logging configuration's name or destination."""
        params = _drop_none(
            identifier=_arn_of(identifier, "identifier"),
            name=name,
            destinationConfiguration=None
            if destination_configuration is None
            else _destination_wire(destination_configuration),
        )
        response = self._call("UpdateLoggingConfiguration", "update_logging_configuration", params)
        return self._structure("UpdateLoggingConfiguration", response, LoggingConfiguration)

    def delete_logging_configuration(self, *, identifier: LoggingConfigurationIdentifier) -> None:
        """Delete a logging configuration.

        Raises:
            ResourceNotFoundError: It does not exist.
            ConflictError: It cannot be deleted now (the local IVS Chat refuses while a room
                uses it).

        """
        params = {"identifier": _arn_of(identifier, "identifier")}
        self._call("DeleteLoggingConfiguration", "delete_logging_configuration", params)

    def list_logging_configurations(
        self,
        *,
        page_size: int | None = None,
        max_items: int | None = None,
        starting_token: str | None = None,
    ) -> Paginator[LoggingConfigurationSummary]:
        """List logging configurations, lazily across pages (see :meth:`list_rooms`)."""
        return self._paginate(
            "ListLoggingConfigurations", "list_logging_configurations", "loggingConfigurations",
            LoggingConfigurationSummary, {}, page_size, max_items, starting_token,
        )  # fmt: skip

    def _paginate(
        self,
        operation: str,
        method_name: str,
        key: str,
        item_type: type[T],
        filters: dict[str, Any],
        page_size: int | None,
        max_items: int | None,
        starting_token: str | None,
    ) -> Paginator[T]:
        if max_items is not None and not _is_positive_int(max_items):
            raise ParamValidationError(
                [("max_items", f"must be an integer of at least 1, not {max_items!r}")]
            )
        # Check the filters and page size now, at the call, rather than at first iteration.
        self._check(
            operation, _drop_none(**filters, maxResults=page_size, nextToken=starting_token)
        )

        structure = CONVERTER.get_structure_hook(item_type)

        def fetch(token: str | None, size: int) -> Page[T]:
            params = _drop_none(**filters, maxResults=size, nextToken=token)
            response = self._call(operation, method_name, params)
            try:
                items = tuple([structure(item, item_type) for item in response[key]])
            except Exception as err:
                raise ResponseParseError(f"{operation}: unexpected response: {err!r}") from err
            return Page(items=items, next_token=response.get("nextToken") or None)

        return Paginator(
            fetch, page_size=page_size, max_items=max_items, starting_token=starting_token
        )
