"""Checks a request against the constraints of the IVS Chat service model.

botocore checks only required members, types and *minimum* lengths and values before it
sends a request; the service enforces the rest (maximums, patterns, enums). This module
walks the botocore service model and reports every violation, so that the typed client can
refuse a bad request before the network and the local IVS Chat can answer it the way the
service does. One implementation serves both sides.

A few rules are not expressed in the model and are added here, in one place:

* chat token and event attributes may hold at most 1 KB in total (keys and values, UTF-8);
* the model's ``ResourceArn`` pattern is broken (``[a-z-]`` matches one character, so no
  room ARN would pass); room and logging-configuration ARNs are accepted instead;
* an identifier that must be an ARN but looks like a bare 12-character id gets a message
  that shows the ARN form.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import botocore.session
from botocore.model import ListShape, MapShape, OperationModel, ServiceModel, Shape, StructureShape

__all__ = ["Violation", "check_request", "drop_null_members", "service_model"]

ATTRIBUTES_MAX_BYTES = 1024
"""The documented 1 KB total of chat token and event attributes."""

_ATTRIBUTE_SHAPES = frozenset({"ChatTokenAttributes", "EventAttributes"})
_RESOURCE_ARN_PATTERN = (
    r"arn:aws:ivschat:[a-z0-9-]+:[0-9]+:(?:room|logging-configuration)/[a-zA-Z0-9-]+"
)
_BARE_ID = re.compile(r"[a-zA-Z0-9]{12}")
_ARN_KINDS = {
    "RoomIdentifier": "room",
    "RoomArn": "room",
    "LoggingConfigurationIdentifier": "logging-configuration",
    "LoggingConfigurationArn": "logging-configuration",
}


@attrs.frozen
class Violation:
    """One broken constraint of a request."""

    path: str
    """Where, in wire names: ``maximumMessageLength``, ``messageReviewHandler.uri``,
    ``tags['k']``."""
    message: str
    """What is wrong and what the limit is; never contains the value of a sensitive member."""


@functools.lru_cache(maxsize=1)
def service_model() -> ServiceModel:
    """Return botocore's model of the ivschat service (loaded once)."""
    return botocore.session.get_session().get_service_model("ivschat")


@functools.cache
def _operation(name: str) -> OperationModel:
    return service_model().operation_model(name)


@functools.cache
def _pattern(shape_name: str, pattern: str) -> re.Pattern[str]:
    if shape_name == "ResourceArn":
        pattern = _RESOURCE_ARN_PATTERN
    return re.compile(pattern)


def check_request(operation: str, params: Mapping[str, Any]) -> list[Violation]:
    """Return every violation of ``params`` (wire names) against ``operation``'s input."""
    shape = _operation(operation).input_shape
    out: list[Violation] = []
    if shape is not None:
        _check_structure(shape, params, "", out, sensitive=False)
    return out


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def drop_null_members(operation: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """Remove members set to JSON ``null`` from every structure: null means "not given"."""
    shape = _operation(operation).input_shape
    if shape is None:
        return dict(params)
    cleaned = _drop_nulls(shape, params)
    return cleaned if isinstance(cleaned, dict) else dict(params)


def _drop_nulls(shape: Shape, value: Any) -> Any:
    if isinstance(shape, StructureShape) and isinstance(value, Mapping):
        members = shape.members
        return {
            k: _drop_nulls(members[k], v) if k in members else v
            for k, v in value.items()
            if v is not None
        }
    if isinstance(shape, ListShape) and isinstance(value, list):
        return [_drop_nulls(shape.member, v) for v in value]
    if isinstance(shape, MapShape) and isinstance(value, Mapping):
        return {k: _drop_nulls(shape.value, v) for k, v in value.items()}
    return value


def _show(value: object, sensitive: bool) -> str:
    return "" if sensitive else f" (got {_short(value)})"


def _join(path: str, member: str) -> str:
    return f"{path}.{member}" if path else member


def _check(shape: Shape, value: Any, path: str, out: list[Violation], sensitive: bool) -> None:
    sensitive = sensitive or bool(shape.metadata.get("sensitive"))
    kind = shape.type_name
    if kind == "string":
        _check_string(shape, value, path, out, sensitive)
    elif kind == "integer":
        _check_integer(shape, value, path, out, sensitive)
    elif kind == "structure":
        assert isinstance(shape, StructureShape)
        _check_structure(shape, value, path, out, sensitive)
    elif kind == "list":
        assert isinstance(shape, ListShape)
        _check_list(shape, value, path, out, sensitive)
    elif kind == "map":
        assert isinstance(shape, MapShape)
        _check_map(shape, value, path, out, sensitive)
    # The ivschat input shapes use no other types.


def _check_string(
    shape: Shape, value: Any, path: str, out: list[Violation], sensitive: bool
) -> None:
    if not isinstance(value, str):
        out.append(Violation(path, f"must be a string, not {type(value).__name__}"))
        return
    meta = shape.metadata
    enum = meta.get("enum")
    if enum is not None and value not in enum:
        out.append(Violation(path, f"must be one of {', '.join(enum)}{_show(value, sensitive)}"))
        return
    lo, hi = meta.get("min"), meta.get("max")
    n = len(value)
    if lo is not None and hi is not None and lo == hi and n != lo:
        out.append(Violation(path, f"must be exactly {lo} characters long, not {n}"))
        return
    if lo is not None and n < lo:
        out.append(Violation(path, f"must be at least {lo} characters long, not {n}"))
        return
    if hi is not None and n > hi:
        out.append(Violation(path, f"must be at most {hi} characters long, not {n}"))
        return
    pattern = meta.get("pattern")
    if pattern is not None and not _pattern(shape.name, pattern).fullmatch(value):
        kind = _ARN_KINDS.get(shape.name)
        if kind is not None and _BARE_ID.fullmatch(value):
            out.append(
                Violation(
                    path,
                    f"must be an ARN, not a bare id: {value!r} looks like a {kind} id; "
                    f"pass the {kind} ARN, of the form "
                    f"arn:aws:ivschat:<region>:<account-id>:{kind}/{value}",
                )
            )
            return
        shown = _RESOURCE_ARN_PATTERN if shape.name == "ResourceArn" else pattern
        out.append(Violation(path, f"must match the pattern {shown}{_show(value, sensitive)}"))


def _check_integer(
    shape: Shape, value: Any, path: str, out: list[Violation], sensitive: bool
) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        out.append(Violation(path, f"must be an integer, not {type(value).__name__}"))
        return
    lo, hi = shape.metadata.get("min"), shape.metadata.get("max")
    if lo is not None and value < lo:
        out.append(Violation(path, f"must be at least {lo}{_show(value, sensitive)}"))
    elif hi is not None and value > hi:
        out.append(Violation(path, f"must be at most {hi}{_show(value, sensitive)}"))


def _check_structure(
    shape: StructureShape, value: Any, path: str, out: list[Violation], sensitive: bool
) -> None:
    if not isinstance(value, Mapping):
        out.append(Violation(path, f"must be an object, not {type(value).__name__}"))
        return
    members = shape.members
    for name in shape.required_members:
        if value.get(name) is None:
            out.append(Violation(_join(path, name), "is required"))
    if shape.is_tagged_union:
        given = [k for k in members if value.get(k) is not None]
        if len(given) != 1:
            out.append(
                Violation(
                    path,
                    f"must set exactly one of {', '.join(members)}"
                    f" (set: {', '.join(given) or 'none'})",
                )
            )
    for name, member_value in value.items():
        member = members.get(name)
        if member is None or member_value is None:
            continue  # Unknown members are ignored, as the service does.
        _check(member, member_value, _join(path, name), out, sensitive)


def _check_list(
    shape: ListShape, value: Any, path: str, out: list[Violation], sensitive: bool
) -> None:
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        out.append(Violation(path, f"must be a list, not {type(value).__name__}"))
        return
    lo, hi = shape.metadata.get("min"), shape.metadata.get("max")
    if hi is not None and len(value) > hi:
        out.append(Violation(path, f"must have at most {hi} items, not {len(value)}"))
    elif lo is not None and len(value) < lo:
        out.append(Violation(path, f"must have at least {lo} items, not {len(value)}"))
    for i, item in enumerate(value):
        _check(shape.member, item, f"{path}[{i}]", out, sensitive)


def _check_map(
    shape: MapShape, value: Any, path: str, out: list[Violation], sensitive: bool
) -> None:
    if not isinstance(value, Mapping):
        out.append(Violation(path, f"must be an object, not {type(value).__name__}"))
        return
    lo, hi = shape.metadata.get("min"), shape.metadata.get("max")
    if hi is not None and len(value) > hi:
        out.append(Violation(path, f"must have at most {hi} entries, not {len(value)}"))
    elif lo is not None and len(value) < lo:
        out.append(Violation(path, f"must have at least {lo} entries, not {len(value)}"))
    for key, item in value.items():
        shown = "..." if sensitive else _short(key)
        key_problems: list[Violation] = []
        _check(shape.key, key, path, key_problems, sensitive)
        out.extend(Violation(path, f"key {shown} {v.message}") for v in key_problems)
        _check(shape.value, item, f"{path}[{shown}]", out, sensitive)
    if shape.name in _ATTRIBUTE_SHAPES:
        size = sum(
            len(k.encode()) + len(v.encode())
            for k, v in value.items()
            if isinstance(k, str) and isinstance(v, str)
        )
        if size > ATTRIBUTES_MAX_BYTES:
            out.append(
                Violation(
                    path,
                    f"must hold at most {ATTRIBUTES_MAX_BYTES} bytes of keys and values in "
                    f"total (UTF-8), not {size}",
                )
            )
