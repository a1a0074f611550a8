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
  that shows the ARN form;
* tag keys may not begin with ``aws:``: AWS's tagging rules reserve the prefix for AWS's own
  tags, and IVS Chat has no tag rules beyond AWS's.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import botocore.loaders
import botocore.session
from botocore.exceptions import DataNotFoundError
from botocore.model import ListShape, MapShape, OperationModel, ServiceModel, Shape, StructureShape

from ._models import model_repr

__all__ = [
    "ATTRIBUTES_MAX_BYTES",
    "RESERVED_TAG_PREFIX",
    "Violation",
    "check_request",
    "drop_null_members",
    "adopt_service_model",
    "service_model",
    "use_fast_data_loader",
]

RESERVED_TAG_PREFIX = "aws:"
"""Tag keys may not begin with this prefix, reserved for AWS's own tags."""
ATTRIBUTES_MAX_BYTES = 1024
"""The documented 1 KB total of chat token and event attributes."""

_ATTRIBUTE_SHAPES = frozenset({"ChatTokenAttributes", "EventAttributes"})
_RESOURCE_ARN_PATTERN = (
    r"arn:aws:ivschat:[a-z0-9-]+:[0-9]+:(?:room|logging-configuration)/[a-zA-Z0-9-]+"
)
# What each pattern of the model means, in words (the raw expressions help nobody).
_PATTERN_WORDS = {
    "RoomIdentifier": "a room ARN, arn:aws:ivschat:<region>:<account-id>:room/<room-id>",
    "RoomArn": "a room ARN, arn:aws:ivschat:<region>:<account-id>:room/<room-id>",
    "LoggingConfigurationIdentifier": (
        "a logging configuration ARN, "
        "arn:aws:ivschat:<region>:<account-id>:logging-configuration/<id>"
    ),
    "ResourceArn": (
        "a room or logging configuration ARN, arn:aws:ivschat:<region>:<account-id>:room/<id> "
        "or arn:aws:ivschat:<region>:<account-id>:logging-configuration/<id>"
    ),
    "RoomName": "made of letters, digits, hyphens and underscores only",
    "LoggingConfigurationName": "made of letters, digits, hyphens and underscores only",
    "LambdaArn": (
        "a Lambda function ARN, arn:aws:lambda:<region>:<12-digit account-id>:function:<name>, "
        "or empty (no handler)"
    ),
    "BucketName": "an S3 bucket name: lowercase letters, digits, dots and hyphens",
    "LogGroupName": "a log group name: letters, digits and . - _ / #",
    "DeliveryStreamName": "a Firehose stream name: letters, digits, dots, hyphens, underscores",
    "MessageID": "made of letters and digits only",
}
_BARE_ID = re.compile(r"[a-zA-Z0-9]{12}")
_ARN_KINDS = {
    "RoomIdentifier": "room",
    "RoomArn": "room",
    "LoggingConfigurationIdentifier": "logging-configuration",
    "LoggingConfigurationArn": "logging-configuration",
}


@attrs.frozen(repr=False)
class Violation:
    """One broken constraint of a request."""

    __repr__ = model_repr

    path: str
    """Where, in wire names: ``maximumMessageLength``, ``messageReviewHandler.uri``,
    ``tags['k']``."""
    message: str
    """What is wrong and what the limit is, in words; never contains the value of a sensitive
    member."""
    constraint: str = ""
    """The broken constraint as AWS services word it (``Member must have length less than or
    equal to 128``), for the ``ValidationException`` message the local IVS Chat sends."""
    value: str | None = None
    """The offending value as AWS services quote it (``'abc'``, ``600``, ``null``); None for
    sensitive members and containers, whose value is never shown."""


class _JSONFileLoader(botocore.loaders.JSONFileLoader):
    """botocore's JSON file loader; ``endpoints.json`` is decoded into plain dicts.

    That file (1.2 MB: every service's endpoints, read whenever a session creates its first
    client) takes about twice as long to decode into OrderedDicts, as botocore does, as into
    dicts, which keep the same order. botocore's endpoint resolver only looks values up.
    """

    def _load_file(self, full_path: str, open_method: Any) -> Any:
        if os.path.basename(full_path) != "endpoints.json" or not os.path.isfile(full_path):
            return super()._load_file(full_path, open_method)  # type: ignore[misc]
        with open_method(full_path, "rb") as fp:
            payload = fp.read().decode("utf-8")
        return json.loads(payload)


class _Loader(botocore.loaders.Loader):
    """botocore's data loader, with the same results for less work at a cold start.

    botocore's ``load_service_model`` first lists every service it knows (a scan of the
    ~430 folders of its data path, about 10 ms, made once for each kind of file: service
    model, then endpoint rules) only to check that the one asked for is among them. This
    loader checks that service's own folders (the same test: a version folder holding that
    kind of file); a service that fails it goes through botocore's check, and its error.
    """

    FILE_LOADER_CLASS = _JSONFileLoader

    @botocore.loaders.instance_cache
    def load_service_model(
        self, service_name: str, type_name: str, api_version: str | None = None
    ) -> Any:
        try:
            latest = self.determine_latest_version(service_name, type_name)
        except DataNotFoundError:  # an unknown service: botocore's UnknownServiceError
            return super().load_service_model(service_name, type_name, api_version)
        if api_version is None:
            api_version = latest
        # The rest of botocore's load_service_model (the same from botocore 1.34 on); the
        # stubs leave its private members out.
        model = self.load_data(os.path.join(service_name, api_version, type_name))
        extras = self._find_extras(service_name, type_name, api_version)  # type: ignore[attr-defined]
        self._extras_processor.process(model, extras)  # type: ignore[attr-defined]
        return model


def _create_loader(search_path_string: str | None) -> botocore.loaders.Loader:
    """What ``botocore.loaders.create_loader`` makes, as a :class:`_Loader`."""
    paths = botocore.loaders.create_loader(search_path_string).search_paths
    return _Loader(extra_search_paths=list(paths), include_default_search_paths=False)


def use_fast_data_loader(session: botocore.session.Session) -> None:
    """Give a botocore session the SDK made a data loader that does less for the same data.

    The session's ``data_loader`` component is what botocore would create, from the same
    search path (``AWS_DATA_PATH``, the ``data_path`` setting, ``~/.aws/models``, botocore's
    data), when first needed; it loads the same models, endpoints and rules, without a scan
    of every service's data at each client creation. A caller's session is never touched.
    """
    session.lazy_register_component(
        "data_loader", lambda: _create_loader(session.get_config_variable("data_path"))
    )


_MODEL: list[ServiceModel] = []


def service_model() -> ServiceModel:
    """Return botocore's model of the ivschat service (loaded once)."""
    if not _MODEL:
        session = botocore.session.get_session()
        use_fast_data_loader(session)
        _MODEL.append(session.get_service_model("ivschat"))
    return _MODEL[0]


def adopt_service_model(model: ServiceModel) -> None:
    """Use the model a client already loaded, if none is loaded yet.

    A program's first client then costs no second botocore session and model load (about
    15 ms at a Lambda's cold start).
    """
    if not _MODEL and model.service_name == "ivschat":
        _MODEL.append(model)


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


def _quoted(value: object, sensitive: bool) -> str | None:
    """The value as AWS quotes it in a validation message; None where it must not be shown."""
    if sensitive:
        return None
    if isinstance(value, str):
        return "'" + (value if len(value) <= 60 else value[:57] + "...") + "'"
    if isinstance(value, (int, float)):
        return str(value)
    return None


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


def _wrong_type(path: str, value: Any, expected: str, what: str) -> Violation:
    return Violation(
        path, f"must be {what}, not {type(value).__name__}", f"Member must be of type {expected}"
    )


def _length(path: str, n: int, lo: int | None, hi: int | None, unit: str) -> Violation | None:
    """The violation of a length bound (characters, items or entries), if any."""
    if lo is not None and hi is not None and lo == hi and n != lo:
        bound = "greater than or equal to" if n < lo else "less than or equal to"
        return Violation(
            path,
            f"must be exactly {lo} {unit} long, not {n}",
            f"Member must have length {bound} {lo}",
        )
    if lo is not None and n < lo:
        what = f"at least {lo} {unit} long" if unit == "characters" else f"at least {lo} {unit}"
        return Violation(
            path, f"must {'be' if unit == 'characters' else 'have'} {what}, not {n}",
            f"Member must have length greater than or equal to {lo}",
        )  # fmt: skip
    if hi is not None and n > hi:
        what = f"at most {hi} {unit} long" if unit == "characters" else f"at most {hi} {unit}"
        return Violation(
            path, f"must {'be' if unit == 'characters' else 'have'} {what}, not {n}",
            f"Member must have length less than or equal to {hi}",
        )  # fmt: skip
    return None


def _check_string(
    shape: Shape, value: Any, path: str, out: list[Violation], sensitive: bool
) -> None:
    if not isinstance(value, str):
        out.append(_wrong_type(path, value, "string", "a string"))
        return
    meta = shape.metadata
    shown = _quoted(value, sensitive)
    enum = meta.get("enum")
    if enum is not None and value not in enum:
        out.append(
            Violation(
                path,
                f"must be one of {', '.join(enum)}{_show(value, sensitive)}",
                f"Member must satisfy enum value set: [{', '.join(enum)}]",
                shown,
            )
        )
        return
    problem = _length(path, len(value), meta.get("min"), meta.get("max"), "characters")
    if problem is not None:
        out.append(attrs.evolve(problem, value=shown))
        return
    pattern = meta.get("pattern")
    if pattern is not None and not _pattern(shape.name, pattern).fullmatch(value):
        constraint = f"Member must satisfy regular expression pattern: {pattern}"
        kind = _ARN_KINDS.get(shape.name)
        if kind is not None and _BARE_ID.fullmatch(value):
            out.append(
                Violation(
                    path,
                    f"must be an ARN, not a bare id: {value!r} looks like a {kind} id; "
                    f"pass the {kind} ARN, of the form "
                    f"arn:aws:ivschat:<region>:<account-id>:{kind}/{value}",
                    constraint,
                    shown,
                )
            )
            return
        words = _PATTERN_WORDS.get(shape.name)
        expected = f"be {words}" if words is not None else f"match the pattern {pattern}"
        out.append(Violation(path, f"must {expected}{_show(value, sensitive)}", constraint, shown))
        return
    if shape.name == "TagKey" and value.startswith(RESERVED_TAG_PREFIX):
        out.append(
            Violation(
                path,
                f"must not begin with {RESERVED_TAG_PREFIX}, a prefix reserved for AWS's own "
                f"tags{_show(value, sensitive)}",
                f"Member must not begin with the reserved prefix {RESERVED_TAG_PREFIX}",
                shown,
            )
        )


def _check_integer(
    shape: Shape, value: Any, path: str, out: list[Violation], sensitive: bool
) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        out.append(_wrong_type(path, value, "integer", "an integer"))
        return
    lo, hi = shape.metadata.get("min"), shape.metadata.get("max")
    shown = _quoted(value, sensitive)
    if lo is not None and value < lo:
        out.append(
            Violation(
                path,
                f"must be at least {lo}{_show(value, sensitive)}",
                f"Member must have value greater than or equal to {lo}",
                shown,
            )
        )
    elif hi is not None and value > hi:
        out.append(
            Violation(
                path,
                f"must be at most {hi}{_show(value, sensitive)}",
                f"Member must have value less than or equal to {hi}",
                shown,
            )
        )


def _check_structure(
    shape: StructureShape, value: Any, path: str, out: list[Violation], sensitive: bool
) -> None:
    if not isinstance(value, Mapping):
        out.append(_wrong_type(path, value, "structure", "an object"))
        return
    members = shape.members
    for name in shape.required_members:
        if value.get(name) is None:
            out.append(
                Violation(_join(path, name), "is required", "Member must not be null", "null")
            )
    if shape.is_tagged_union:
        given = [k for k in members if value.get(k) is not None]
        if len(given) != 1:
            out.append(
                Violation(
                    path,
                    f"must set exactly one of {', '.join(members)}"
                    f" (set: {', '.join(given) or 'none'})",
                    f"Member must have exactly one of [{', '.join(members)}] set",
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
        out.append(_wrong_type(path, value, "list", "a list"))
        return
    problem = _length(
        path, len(value), shape.metadata.get("min"), shape.metadata.get("max"), "items"
    )
    if problem is not None:
        out.append(problem)
    for i, item in enumerate(value):
        _check(shape.member, item, f"{path}[{i}]", out, sensitive)


def _check_map(
    shape: MapShape, value: Any, path: str, out: list[Violation], sensitive: bool
) -> None:
    if not isinstance(value, Mapping):
        out.append(_wrong_type(path, value, "map", "an object"))
        return
    problem = _length(
        path, len(value), shape.metadata.get("min"), shape.metadata.get("max"), "entries"
    )
    if problem is not None:
        out.append(problem)
    for key, item in value.items():
        shown = "..." if sensitive else _short(key)
        key_problems: list[Violation] = []
        _check(shape.key, key, path, key_problems, sensitive)
        out.extend(
            Violation(
                path,
                f"key {shown} {v.message}",
                f"Map keys must satisfy constraint: [{v.constraint}]",
            )
            for v in key_problems
        )
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
                    f"Member must have a total size less than or equal to {ATTRIBUTES_MAX_BYTES} "
                    "bytes",
                )
            )
