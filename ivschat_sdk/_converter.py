"""The one converter between control-plane wire data (camelCase) and the models.

Field names are renamed to camelCase, unknown response fields are ignored, unknown enum
values are kept as strings, datetimes become aware UTC, and a destination configuration
union is resolved by its single member name. :data:`CONVERTER` is the instance the clients
use; :func:`make_control_plane_converter` builds a fresh cattrs converter (never the global
one) that does the same.

What the clients need of :data:`CONVERTER` (a model from a response, a destination to the
wire) takes no cattrs, and each model's structure function is generated on its first call:
``import cattrs`` and the generation of every model's function would cost a program about
12 ms at start. cattrs is imported, and :data:`CONVERTER`'s cattrs converter built, when
something else is asked of it.
"""

from __future__ import annotations

import enum
import threading
import types
import typing
from collections.abc import Callable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from ._models import (
    ChatToken,
    CloudWatchLogsDestinationConfiguration,
    DestinationConfiguration,
    FirehoseDestinationConfiguration,
    S3DestinationConfiguration,
    UnknownDestinationConfiguration,
)
from ._timestamps import UTC, parse_timestamp, to_utc

if TYPE_CHECKING:
    import cattrs

__all__ = [
    "CONVERTER",
    "ControlPlaneConverter",
    "camel_case",
    "make_control_plane_converter",
    "unstructure_destination",
]

StructureHook = Callable[[Any, Any], Any]
"""A structure function: ``hook(value, type)``, as cattrs calls them."""
HookOf = Callable[[Any], StructureHook]
"""Where a structure function finds the structure function of a field's type."""

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


def _field_hook(hook_of: HookOf, t: Any) -> Callable[[Any], Any] | None:
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
        inner_hook = hook_of(inner)
        return lambda v: None if v is None else inner_hook(v, inner)
    hook = hook_of(t)
    return lambda v: hook(v, t)


def _structure_source(hook_of: HookOf, cls: type[Any], env: dict[str, Any]) -> str:
    """The source of a model's structure function; the names it uses are added to ``env``."""
    attrs.resolve_types(cls)
    env["__cls"] = cls
    args = []
    for a in attrs.fields(cls):
        key = camel_case(a.name)
        hook = _field_hook(hook_of, a.type)
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
    return "def structure(o, _=None):\n    return __cls(\n" + "\n".join(args) + "\n    )\n"


def _make_structure_fn(hook_of: HookOf, cls: type[Any]) -> StructureHook:
    """Generate the structure function of a model: one call of its ``__init__``.

    cattrs' generic generated functions cost about 5 µs per room; this one, specialised to
    the few field types the models use, about 2 µs, most of it the frozen ``__init__``.
    Response keys are the camelCase field names; unknown keys are ignored; a missing key
    takes the field's default, or raises ``KeyError`` for a field without one.
    """
    env: dict[str, Any] = {}
    source = _structure_source(hook_of, cls, env)
    exec(compile(source, f"<ivschat_sdk structure {cls.__name__}>", "exec"), env)
    fn: StructureHook = env["structure"]
    return fn


# A function that generates the real one on its first call (see _lazy_structure_fn).
_STUB = compile(
    "def structure(o, _=None):\n    return __generate()(o, _)\n",
    "<ivschat_sdk structure, before its first call>",
    "exec",
)


def _lazy_structure_fn(hook_of: HookOf, cls: type[Any]) -> StructureHook:
    """The structure function of a model, generated on its first call rather than now.

    It is :func:`_make_structure_fn`'s function, made when first needed. That call gives the
    function the generated code (both run in the same globals and have no free variables),
    so every later call costs exactly what the generated function does, also through
    references taken before the first call.
    """
    env: dict[str, Any] = {}

    def generate() -> types.FunctionType:
        source = _structure_source(hook_of, cls, env)
        scratch: dict[str, Any] = {}
        exec(compile(source, f"<ivschat_sdk structure {cls.__name__}>", "exec"), env, scratch)
        stub.__code__ = scratch["structure"].__code__
        return stub

    env["__generate"] = generate
    exec(_STUB, env)
    stub: types.FunctionType = env.pop("structure")
    return stub


def _destination_hook(hook_of: HookOf) -> StructureHook:
    """The structure function of a :data:`DestinationConfiguration` (a tagged union)."""

    def structure_destination(value: Any, _: Any = None) -> DestinationConfiguration:
        for key, member in value.items():
            if member is None:
                continue
            cls = _DESTINATION_KINDS.get(key)
            if cls is None:
                return UnknownDestinationConfiguration(kind=key, value=member)
            result: DestinationConfiguration = hook_of(cls)(member, cls)
            return result
        raise ValueError("destinationConfiguration has no destination")

    return structure_destination


def _new_cattrs_converter(hook_of: HookOf | None) -> cattrs.Converter:
    """A cattrs converter for control-plane payloads.

    Its models are structured by the functions ``hook_of`` gives, or, without ``hook_of``,
    by functions it generates itself, each finding its fields' functions in the converter.
    """
    import cattrs
    from cattrs.gen import make_dict_unstructure_fn, override

    conv = cattrs.Converter(detailed_validation=False)

    def structure_factory(cls: Any) -> Any:
        if hook_of is not None:
            return hook_of(cls)
        return _make_structure_fn(conv.get_structure_hook, cls)

    def unstructure_factory(cls: Any) -> Any:
        renames: dict[str, Any] = {
            a.name: override(rename=camel_case(a.name)) for a in attrs.fields(cls)
        }
        return make_dict_unstructure_fn(cls, conv, **renames)

    conv.register_structure_hook_factory(attrs.has, structure_factory)
    conv.register_unstructure_hook_factory(attrs.has, unstructure_factory)
    conv.register_unstructure_hook_func(lambda t: t == Mapping[str, str], lambda v: dict(v))
    conv.register_structure_hook_func(
        lambda t: t == DestinationConfiguration,
        _destination_hook(conv.get_structure_hook)
        if hook_of is None
        else hook_of(DestinationConfiguration),
    )
    return conv


def make_control_plane_converter() -> cattrs.Converter:
    """Build a new cattrs converter for control-plane payloads (the JSON of the ivschat API)."""
    return _new_cattrs_converter(None)


class ControlPlaneConverter:
    """The clients' converter: models without cattrs, the rest by a cattrs converter.

    :meth:`get_structure_hook` of a model class or of :data:`DestinationConfiguration`
    returns the SDK's own structure function, generated on its first call and kept for the
    life of the converter; any other type and :meth:`unstructure` go to one
    cattrs converter (as :func:`make_control_plane_converter` makes, structuring models with
    the same functions), built on first use.
    """

    def __init__(self) -> None:
        self._hooks: dict[Any, StructureHook] = {}
        self._cattrs: cattrs.Converter | None = None
        self._lock = threading.Lock()

    @property
    def cattrs_converter(self) -> cattrs.Converter:
        """The cattrs converter behind this one (built, and cattrs imported, on first use)."""
        conv = self._cattrs
        if conv is None:
            with self._lock:
                conv = self._cattrs
                if conv is None:
                    conv = self._cattrs = _new_cattrs_converter(self._model_hook)
        return conv

    def _model_hook(self, t: Any) -> StructureHook:
        hook = self._hooks.get(t)
        if hook is None:
            if t == DestinationConfiguration:
                hook = _destination_hook(self._model_hook)
            else:
                hook = _lazy_structure_fn(self._model_hook, t)
            hook = self._hooks.setdefault(t, hook)
        return hook

    def get_structure_hook(self, t: Any) -> StructureHook:
        """The function that structures a value of type ``t``: ``hook(value, t)``."""
        if t in self._hooks or t == DestinationConfiguration or attrs.has(t):
            return self._model_hook(t)
        return self.cattrs_converter.get_structure_hook(t)

    def structure(self, obj: Any, cl: Any) -> Any:
        """Structure ``obj`` (wire data) into type ``cl``."""
        return self.get_structure_hook(cl)(obj, cl)

    def unstructure(self, obj: Any, unstructure_as: Any = None) -> Any:
        """The wire form of ``obj`` (camelCase keys)."""
        return self.cattrs_converter.unstructure(obj, unstructure_as=unstructure_as)


CONVERTER = ControlPlaneConverter()
"""The converter the clients use."""


def unstructure_destination(value: DestinationConfiguration) -> dict[str, Any]:
    """Wire form of a destination: ``{"s3": {"bucketName": ...}}``.

    The three destination kinds hold strings only, so their wire form is their fields
    renamed (what the cattrs converter gives, without importing it).
    """
    if isinstance(value, UnknownDestinationConfiguration):
        return {value.kind: dict(value.value)}
    fields = {camel_case(a.name): getattr(value, a.name) for a in attrs.fields(type(value))}
    return {_DESTINATION_KEYS[type(value)]: fields}


def _iso_millis(value: datetime) -> str:
    return to_utc(value).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def chat_token_client_dict(token: ChatToken) -> dict[str, str]:
    """The JSON a web backend sends a browser for a chat token (see ChatToken.to_client_dict)."""
    return {
        "token": token.token,
        "tokenExpirationTime": _iso_millis(token.token_expiration_time),
        "sessionExpirationTime": _iso_millis(token.session_expiration_time),
    }
