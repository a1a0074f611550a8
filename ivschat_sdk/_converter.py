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
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from ._models import (
    CloudWatchLogsDestinationConfiguration,
    DestinationConfiguration,
    FirehoseDestinationConfiguration,
    S3DestinationConfiguration,
    UnknownDestinationConfiguration,
)
from ._timestamps import parse_timestamp, to_utc

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
    """True for ``SomeEnum | str``: the type of an enumerated response field."""
    if typing.get_origin(t) not in (typing.Union, types.UnionType):
        return False
    args = typing.get_args(t)
    return str in args and any(isinstance(a, type) and issubclass(a, enum.Enum) for a in args)


def _lenient_enum_hook(t: Any) -> Callable[[Any, Any], Any]:
    enum_cls = next(
        a for a in typing.get_args(t) if isinstance(a, type) and issubclass(a, enum.Enum)
    )

    def structure(value: Any, _: Any) -> Any:
        try:
            return enum_cls(value)
        except ValueError:
            return str(value)

    return structure


def _structure_datetime(value: Any, _: Any) -> datetime:
    if isinstance(value, datetime):
        return to_utc(value)
    return parse_timestamp(value)


def make_control_plane_converter() -> cattrs.Converter:
    """Build the converter for control-plane payloads (the JSON of the ivschat API)."""
    conv = cattrs.Converter(detailed_validation=False)

    def structure_factory(cls: Any) -> Any:
        renames: dict[str, Any] = {
            a.name: override(rename=camel_case(a.name)) for a in attrs.fields(cls)
        }
        return make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=False, **renames)

    def unstructure_factory(cls: Any) -> Any:
        renames: dict[str, Any] = {
            a.name: override(rename=camel_case(a.name)) for a in attrs.fields(cls)
        }
        return make_dict_unstructure_fn(cls, conv, **renames)

    conv.register_structure_hook_factory(attrs.has, structure_factory)
    conv.register_unstructure_hook_factory(attrs.has, unstructure_factory)
    conv.register_structure_hook_factory(_is_lenient_enum, _lenient_enum_hook)
    conv.register_structure_hook(datetime, _structure_datetime)
    # Mappings and tuples of strings arrive from botocore already typed; the models make
    # their own read-only copies, so no per-item work is needed here.
    conv.register_structure_hook_func(
        lambda t: t in (Mapping[str, str], Mapping[str, Any]), lambda v, _: v
    )
    conv.register_structure_hook_func(lambda t: t == tuple[str, ...], lambda v, _: tuple(v))
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
