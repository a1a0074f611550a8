"""The pure core of both control-plane clients: no I/O here.

:class:`~ivschat_sdk.IvsChatClient` and :class:`~ivschat_sdk.AsyncIvsChatClient` differ only
in how they send a request. Everything else exists once, in this module:

* the client options (retry settings, credentials) and the botocore ``Config`` they make;
* each operation's request: the SDK's snake_case arguments to wire names, models and ARNs
  to wire values, then every documented constraint checked (:func:`prepare`);
* each operation's answer converted into models (:func:`convert`), pages included;
* botocore's (and aiobotocore's) exceptions mapped onto the SDK's error tree
  (:func:`translate_error`).
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Generic, Literal, TypeAlias, TypeVar

import attrs
import botocore.exceptions
from botocore.config import Config
from botocore.parsers import ResponseParserFactory

from . import _constraints
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
from ._fast_path import FastParserFactory
from ._models import (
    ChatToken,
    CloudWatchLogsDestinationConfiguration,
    FirehoseDestinationConfiguration,
    LoggingConfiguration,
    LoggingConfigurationSummary,
    MessageReviewHandler,
    Room,
    RoomSummary,
    S3DestinationConfiguration,
    UnknownDestinationConfiguration,
)
from ._pagination import Page
from ._retries import NonIdempotentRetries
from ._timestamps import parse_timestamp
from ._version import __version__

__all__ = [
    "DEFAULT_MAX_ATTEMPTS",
    "DEFAULT_RETRY_MODE",
    "LoggingConfigurationIdentifier",
    "Operation",
    "ResourceIdentifier",
    "RetryMode",
    "RoomIdentifier",
    "client_config",
    "configuration_errors",
    "convert",
    "parser_factory",
    "prepare",
    "translate_error",
]

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


# -- client options ---------------------------------------------------------------------------


def _is_positive_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def client_config(
    *,
    retry_mode: object,
    max_attempts: object,
    non_idempotent_retries: object,
    config: object,
    session_given: bool,
    credentials_given: bool,
) -> Config:
    """Check the options of a client the SDK builds; return the botocore ``Config`` to use.

    Raises:
        ParamValidationError: An option is out of range, or credentials were given twice.

    """
    problems = []
    if retry_mode not in ("standard", "adaptive"):
        problems.append(("retry_mode", f"must be 'standard' or 'adaptive', not {retry_mode!r}"))
    if not _is_positive_int(max_attempts):
        problems.append(("max_attempts", f"must be an integer of at least 1, not {max_attempts!r}"))
    if non_idempotent_retries not in ("when-unprocessed", "always"):
        problems.append(
            (
                "non_idempotent_retries",
                f"must be 'when-unprocessed' or 'always', not {non_idempotent_retries!r}",
            )
        )
    if config is not None and not isinstance(config, Config):
        problems.append(("config", f"must be a botocore Config, not {type(config).__name__}"))
    if session_given and credentials_given:
        problems.append(("session", "pass credentials either in the session or as arguments"))
    if problems:
        raise ParamValidationError(problems)
    retries: Any = {"mode": retry_mode, "total_max_attempts": max_attempts}
    ours = Config(retries=retries, user_agent_extra=f"ivschat-sdk/{__version__}")
    # Config.merge keeps the caller's class (aiobotocore's AioConfig keeps its own options).
    return config.merge(ours) if isinstance(config, Config) else ours


def wants_veto(non_idempotent_retries: NonIdempotentRetries) -> bool:
    """Whether retries of non-idempotent calls are limited to unprocessed failures."""
    return non_idempotent_retries == "when-unprocessed"


def check_wrapped_client(client: object, others: Iterable[object], param: str) -> None:
    """A client to wrap must be an ``ivschat`` client and come without building arguments."""
    if any(o is not None for o in others):
        raise ParamValidationError([(param, f"pass either {param} or the arguments to build one")])
    service = getattr(getattr(client, "meta", None), "service_model", None)
    if getattr(service, "service_name", None) != "ivschat":
        raise ParamValidationError([(param, f"must be an ivschat client, not {client!r}")])


def parser_factory() -> ResponseParserFactory:
    """The response parser factory of the clients the SDK builds.

    Its rest-json parser compiles each output shape once (see :mod:`._fast_path`), and its
    timestamps go through :func:`parse_timestamp` (botocore's default, dateutil, takes about
    25 µs each).
    """
    factory = FastParserFactory()
    factory.set_parser_defaults(timestamp_parser=parse_timestamp)
    return factory


def rest_json_parser() -> Any:
    """A rest-json parser of :func:`parser_factory` (synchronous: for the direct path)."""
    return parser_factory().create_parser("rest-json")


_CREDENTIALS_ERRORS = (
    botocore.exceptions.NoCredentialsError,
    botocore.exceptions.PartialCredentialsError,
    botocore.exceptions.CredentialRetrievalError,
    botocore.exceptions.TokenRetrievalError,
    botocore.exceptions.SSOError,
)
_CONNECTION_ERRORS = (botocore.exceptions.ConnectionError, botocore.exceptions.HTTPClientError)


@contextlib.contextmanager
def configuration_errors() -> Iterator[None]:
    """Turn botocore's errors about a client's configuration into ConfigurationError."""
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
            f"the AWS profile {err.kwargs.get('profile')!r} (AWS_PROFILE or the session's) is "
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


# -- requests ---------------------------------------------------------------------------------


def _arn_of(value: object, param: str) -> str:
    arn = getattr(value, "arn", value)
    if not isinstance(arn, str):
        raise ParamValidationError(
            [(param, f"must be an ARN string or a model with an ARN, not {type(value).__name__}")]
        )
    return arn


def _items(values: object, param: str, what: str) -> list[Any]:
    """The items of a list argument; a lone string or a non-iterable is refused."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise ParamValidationError(
            [(param, f"must be a list of {what}, not {type(values).__name__}")]
        )
    return list(values)


def _arns_of(values: object, param: str) -> list[str]:
    """A list of ARNs from models or ARN strings; a lone string is refused, not split."""
    return [_arn_of(v, f"{param}[{i}]") for i, v in enumerate(_items(values, param, "ARNs"))]


def _string_map(value: object, param: str) -> dict[Any, Any]:
    """A plain dict of a mapping argument (its keys and values are checked later)."""
    if not isinstance(value, Mapping):
        raise ParamValidationError(
            [(param, f"must be a mapping of strings to strings, not {type(value).__name__}")]
        )
    return dict(value)


def _handler_wire(handler: object, param: str) -> dict[str, Any]:
    if not isinstance(handler, MessageReviewHandler):
        raise ParamValidationError(
            [
                (
                    param,
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


def _destination_wire(value: object, param: str) -> dict[str, Any]:
    if not isinstance(value, _DESTINATIONS):
        raise ParamValidationError(
            [
                (
                    param,
                    "must be an S3DestinationConfiguration, CloudWatchLogsDestinationConfiguration"
                    f" or FirehoseDestinationConfiguration, not {type(value).__name__}",
                )
            ]
        )
    return unstructure_destination(value)


def _enum_values(values: object, param: str) -> list[Any]:
    return [getattr(v, "value", v) for v in _items(values, param, param)]


# How each argument becomes a wire value; arguments not named here go as they are.
_WIRE_VALUES: dict[str, Callable[[Any, str], Any]] = {
    "identifier": _arn_of,
    "room_identifier": _arn_of,
    "resource_arn": _arn_of,
    "logging_configuration_identifier": _arn_of,
    "logging_configuration_identifiers": _arns_of,
    "message_review_handler": _handler_wire,
    "destination_configuration": _destination_wire,
    "tags": _string_map,
    "attributes": _string_map,
    "tag_keys": lambda value, param: _items(value, param, "keys"),
    "capabilities": _enum_values,
}
_WIRE_NAMES = {"page_size": "maxResults", "starting_token": "nextToken"}
_SDK_NAMES = {wire: sdk for sdk, wire in _WIRE_NAMES.items()}
_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])([A-Z])")


@functools.cache
def _wire_name(param: str) -> str:
    """``maximum_message_length`` -> ``maximumMessageLength``."""
    if param in _WIRE_NAMES:
        return _WIRE_NAMES[param]
    head, *rest = param.split("_")
    return head + "".join(part.title() for part in rest)


def sdk_param(path: str) -> str:
    """Wire path -> the SDK's parameter name (``messageReviewHandler.uri`` -> snake_case)."""
    head, quote, rest = path.partition("'")
    for wire, name in _SDK_NAMES.items():
        if head == wire or head.startswith(wire + "["):
            head = name + head[len(wire) :]
    return _CAMEL_HUMP.sub(lambda m: "_" + m.group(1).lower(), head) + quote + rest


@attrs.frozen
class Operation(Generic[T]):
    """One IVS Chat operation: its name, its boto3 method and how its answer is read."""

    name: str
    """The operation's name, e.g. ``CreateRoom``."""
    method: str
    """The boto3 (and aiobotocore) client method, e.g. ``create_room``."""
    result: Callable[[Mapping[str, Any]], T]
    """Turns the parsed answer into what the client returns."""


def _model(cls: type[T]) -> Callable[[Mapping[str, Any]], T]:
    hook = CONVERTER.get_structure_hook(cls)
    return lambda response: hook(response, cls)


def _page(cls: type[T], key: str) -> Callable[[Mapping[str, Any]], Page[T]]:
    hook = CONVERTER.get_structure_hook(cls)

    def result(response: Mapping[str, Any]) -> Page[T]:
        items = tuple([hook(item, cls) for item in response[key]])
        return Page(items=items, next_token=response.get("nextToken") or None)

    return result


def _nothing(response: Mapping[str, Any]) -> None:
    return None


def _id(response: Mapping[str, Any]) -> str:
    return str(response["id"])


def _tags(response: Mapping[str, Any]) -> dict[str, str]:
    return dict(response["tags"])


CREATE_ROOM = Operation("CreateRoom", "create_room", _model(Room))
GET_ROOM = Operation("GetRoom", "get_room", _model(Room))
UPDATE_ROOM = Operation("UpdateRoom", "update_room", _model(Room))
DELETE_ROOM = Operation("DeleteRoom", "delete_room", _nothing)
LIST_ROOMS = Operation("ListRooms", "list_rooms", _page(RoomSummary, "rooms"))
CREATE_CHAT_TOKEN = Operation("CreateChatToken", "create_chat_token", _model(ChatToken))
SEND_EVENT = Operation("SendEvent", "send_event", _id)
DELETE_MESSAGE = Operation("DeleteMessage", "delete_message", _id)
DISCONNECT_USER = Operation("DisconnectUser", "disconnect_user", _nothing)
TAG_RESOURCE = Operation("TagResource", "tag_resource", _nothing)
UNTAG_RESOURCE = Operation("UntagResource", "untag_resource", _nothing)
LIST_TAGS_FOR_RESOURCE = Operation("ListTagsForResource", "list_tags_for_resource", _tags)
CREATE_LOGGING_CONFIGURATION = Operation(
    "CreateLoggingConfiguration", "create_logging_configuration", _model(LoggingConfiguration)
)
GET_LOGGING_CONFIGURATION = Operation(
    "GetLoggingConfiguration", "get_logging_configuration", _model(LoggingConfiguration)
)
UPDATE_LOGGING_CONFIGURATION = Operation(
    "UpdateLoggingConfiguration", "update_logging_configuration", _model(LoggingConfiguration)
)
DELETE_LOGGING_CONFIGURATION = Operation(
    "DeleteLoggingConfiguration", "delete_logging_configuration", _nothing
)
LIST_LOGGING_CONFIGURATIONS = Operation(
    "ListLoggingConfigurations",
    "list_logging_configurations",
    _page(LoggingConfigurationSummary, "loggingConfigurations"),
)


def prepare(
    operation: Operation[Any], region: str | None, params: Mapping[str, Any]
) -> dict[str, Any]:
    """The wire parameters of a call, checked against every documented constraint.

    Args:
        operation: The operation called.
        region: The client's region, shown in the ARN form suggested for a bare id.
        params: The SDK's snake_case arguments; None means "not given".

    Raises:
        ParamValidationError: An argument is of the wrong kind or breaks a limit.

    """
    wire: dict[str, Any] = {}
    for param, value in params.items():
        if value is None:
            continue
        to_wire = _WIRE_VALUES.get(param)
        wire[_wire_name(param)] = value if to_wire is None else to_wire(value, param)
    violations = _constraints.check_request(operation.name, wire)
    if violations:
        shown = region or "<region>"
        raise ParamValidationError(
            [(sdk_param(v.path), v.message.replace("<region>", shown)) for v in violations]
        )
    return wire


def check_max_items(max_items: int | None) -> None:
    """``max_items`` is None or a positive integer."""
    if max_items is not None and not _is_positive_int(max_items):
        raise ParamValidationError(
            [("max_items", f"must be an integer of at least 1, not {max_items!r}")]
        )


def convert(operation: Operation[T], response: Mapping[str, Any]) -> T:
    """What the client returns for an operation's parsed answer.

    Raises:
        ResponseParseError: The answer does not have the shape the model declares.

    """
    try:
        return operation.result(response)
    except Exception as err:
        raise ResponseParseError(f"{operation.name}: unexpected response: {err!r}") from err


def translate_error(err: Exception, operation: str) -> IvsChatError | None:
    """The SDK's error for an exception raised while sending a request, or None.

    None means the exception is not the transport's (a bug, a cancellation): re-raise it.
    """
    if isinstance(err, IvsChatError):
        return err
    if isinstance(err, botocore.exceptions.ClientError):
        return api_error_from_client_error(err, operation)
    if isinstance(err, botocore.exceptions.ParamValidationError):
        return ParamValidationError([("", str(err.kwargs.get("report", err)))])
    if isinstance(err, _CONNECTION_ERRORS):
        return APIConnectionError(f"{operation}: could not reach IVS Chat: {err}")
    if isinstance(err, _CREDENTIALS_ERRORS):
        return CredentialsError(
            f"{operation}: {err}; configure credentials as for boto3 (environment, AWS "
            "config files, or the aws_access_key_id/aws_secret_access_key arguments)"
        )
    if isinstance(err, botocore.exceptions.BotoCoreError):
        return IvsChatError(f"{operation}: {err}")
    # asyncio's TimeoutError is not the builtin one before Python 3.11; asyncio itself is not
    # imported here (it costs a sync-only program 40 ms at start).
    if isinstance(err, (OSError, TimeoutError)) or type(err).__module__.startswith(
        ("aiohttp", "aiobotocore", "asyncio")
    ):
        return APIConnectionError(f"{operation}: could not reach IVS Chat: {err!r}")
    return None
