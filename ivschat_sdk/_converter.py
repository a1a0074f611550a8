"""The one converter between control-plane wire data (camelCase) and the models.

:func:`make_control_plane_converter` builds a fresh cattrs converter (never the global one):
field names are renamed to camelCase, unknown response fields are ignored, unknown enum
values are kept as strings, datetimes become aware UTC, and a destination configuration
union is resolved by its single member name. :data:`CONVERTER` is the instance the client
uses.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Callable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.gen import make_dict_unstructure_fn, override

from ._models import (
    ChatToken,
    CloudWatchLogsDestinationConfiguration,
    DestinationConfiguration,
    FirehoseDestinationConfiguration,
    S3DestinationConfiguration,
    UnknownDestinationConfiguration,
)
from ._timestamps import UTC, parse_timestamp, to_utc

__all__ = ["CONVERTER", "camel_case", "make_control_plane_converter", "unstructure_destination"]

T = TypeVar("T")

_DESTINATION_KINDS: dict[str, type[Any]] = {
    "s3": S3DestinationConfiguration,
    "cloudWatchLogs": CloudWatchLogsDestinationConfiguration,
    "firehose": FirehoseDestinationConfiguration,
}
_DESTINATION_KEYS = {cls: key for key, cls in _DESTINATION_KINDS.items()}


def camel_case(name: str) -> str:
    """``maximum_message_length`` -> ``maximumMessageLength``."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _is_lenient_enum(t: Any) -> bool:
    """Tell whether ``t`` is ``SomeEnum | str``: the type of an enumerated response field."""
    if typing.get_origin(t) not in (typing.Union, types.UnionType):
        return False
    args = typing.get_args(t)
    return str in args and any(isinstance(a, type) and issubclass(a, enum.Enum) for a in args)


def _lenient_enum(t: Any) -> Callable[[Any], Any]:
    enum_cls = next(
        a for a in typing.get_args(t) if isinstance(a, type) and issubclass(a, enum.Enum)
    )
    members = {m.value: m for m in enum_cls}

    def structure(value: Any) -> Any:
        member = members.get(value)
        return member if member is not None else str(value)

    return structure


def _structure_datetime(value: Any) -> datetime:
    if value.__class__ is datetime and value.tzinfo is UTC:
        return value  # what the client's own timestamp parser returns
    if isinstance(value, datetime):
        return to_utc(value)
    return parse_timestamp(value)


def _optional_attrs_class(t: Any) -> type[Any] | None:
    if typing.get_origin(t) not in (typing.Union, types.UnionType):
        return None
    args = [a for a in typing.get_args(t) if a is not type(None)]
    if len(args) == 1 and len(typing.get_args(t)) == 2 and attrs.has(args[0]):
        cls: type[Any] = args[0]
        return cls
    return None


def _field_hook(conv: cattrs.Converter, t: Any) -> Callable[[Any], Any] | None:
    """The one-argument function that structures a field of type ``t``; None for as-is.

    Strings and integers are taken as they come: botocore has already parsed the response
    against the service model, so they have the right types.
    """
    if t in (str, int, bool):
        return None
    if t is datetime:
        return _structure_datetime
    if t in (Mapping[str, str], Mapping[str, Any]):
        return MappingProxyType
    if t == tuple[str, ...]:
        return tuple
    if _is_lenient_enum(t):
        return _lenient_enum(t)
    inner = _optional_attrs_class(t)
    if inner is not None:
        inner_hook = conv.get_structure_hook(inner)
        return lambda v: None if v is None else inner_hook(v, inner)
    hook = conv.get_structure_hook(t)
    return lambda v: hook(v, t)


def _make_structure_fn(conv: cattrs.Converter, cls: type[Any]) -> Callable[[Any, Any], Any]:
    """Generate the structure function of a model: one call of its ``__init__``.

    cattrs' generic generated functions cost about 5 µs per room; this one, specialised to
    the few field types the models use, about 2 µs, most of it the frozen ``__init__``.
    Response keys are the camelCase field names; unknown keys are ignored; a missing key
    takes the field's default, or raises ``KeyError`` for a field without one.
    """
    attrs.resolve_types(cls)
    env: dict[str, Any] = {"__cls": cls}
    args = []
    for a in attrs.fields(cls):
        key = camel_case(a.name)
        hook = _field_hook(conv, a.type)
        value = f"o[{key!r}]"
        if hook is not None:
            env[f"__h_{a.name}"] = hook
            value = f"__h_{a.name}({value})"
        if a.default is not attrs.NOTHING:
            if isinstance(a.default, attrs.Factory):  # type: ignore[arg-type]
                env[f"__f_{a.name}"] = a.default.factory
                default = f"__f_{a.name}()"
            else:
                env[f"__d_{a.name}"] = a.default
                default = f"__d_{a.name}"
            value = f"({value} if {key!r} in o else {default})"
        args.append(f"        {a.name}={value},")
    source = "def structure(o, _=None):\n    return __cls(\n" + "\n".join(args) + "\n    )\n"
    exec(compile(source, f"<ivschat_sdk structure {cls.__name__}>", "exec"), env)
    fn: Callable[[Any, Any], Any] = env["structure"]
    return fn


def make_control_plane_converter() -> cattrs.Converter:
    """Build the converter for control-plane payloads (the JSON of the ivschat API)."""
    conv = cattrs.Converter(detailed_validation=False)

    def structure_factory(cls: Any) -> Any:
        return _make_structure_fn(conv, cls)

    def unstructure_factory(cls: Any) -> Any:
        renames: dict[str, Any] = {
            a.name: override(rename=camel_case(a.name)) for a in attrs.fields(cls)
        }
        return make_dict_unstructure_fn(cls, conv, **renames)

    conv.register_structure_hook_factory(attrs.has, structure_factory)
    conv.register_unstructure_hook_factory(attrs.has, unstructure_factory)
    conv.register_unstructure_hook_func(lambda t: t == Mapping[str, str], lambda v: dict(v))

    def structure_destination(value: Any, _: Any) -> DestinationConfiguration:
        for key, member in value.items():
            if member is None:
                continue
            cls = _DESTINATION_KINDS.get(key)
            if cls is None:
                return UnknownDestinationConfiguration(kind=key, value=member)
            result: DestinationConfiguration = conv.structure(member, cls)
            return result
        raise ValueError("destinationConfiguration has no destination")

    conv.register_structure_hook_func(
        lambda t: t == DestinationConfiguration, structure_destination
    )
    return conv


CONVERTER = make_control_plane_converter()
"""The converter the client uses."""


def unstructure_destination(value: DestinationConfiguration) -> dict[str, Any]:
    """Wire form of a destination: ``{"s3": {"bucketName": ...}}``."""
    if isinstance(value, UnknownDestinationConfiguration):
        return {value.kind: dict(value.value)}
    return {_DESTINATION_KEYS[type(value)]: CONVERTER.unstructure(value)}


def _iso_millis(value: datetime) -> str:
    return to_utc(value).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def chat_token_client_dict(token: ChatToken) -> dict[str, str]:
    """The JSON a web backend sends a browser for a chat token (see ChatToken.to_client_dict)."""
    return {
        "token": token.token,
        "tokenExpirationTime": _iso_millis(token.token_expiration_time),
        "sessionExpirationTime": _iso_millis(token.session_expiration_time),
    }
