"""Speed-ups applied to the botocore clients the SDK builds, and to no other client.

Profiled, one call through botocore spends about half its time on two things that give the
same result every time for a given client:

* **Response parsing.** botocore's rest-json parser walks the output shape for every value
  it parses, dispatching on the shape's type name with ``getattr``: for a 50-room
  ``ListRooms`` page that is most of the call. :class:`CompiledShapesMixin` compiles each
  output shape once into nested closures that do the same conversions (timestamps through
  the parser's timestamp parser, unknown union members as botocore reports them), so the
  parsed response is the one botocore's own parser gives (a test compares them on every
  operation's responses).
* **The User-Agent header**, which botocore builds twice per request from about thirty
  components although only its feature list can change between requests.
  :func:`cache_user_agent` wraps the client's builder so that it builds each distinct string
  once (keyed by the features in effect).

Nothing global in botocore is changed: the parser classes are subclasses handed to the
client's own parser factory, and the User-Agent builder is replaced on the client object.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.model import Shape
from botocore.parsers import ResponseParserFactory, RestJSONParser

__all__ = ["CompiledShapesMixin", "FastParserFactory", "cache_user_agent", "compiled"]

ShapeParser = Callable[[Any, Any], Any]
"""``(parser, node) -> parsed``: one shape's compiled conversion."""

_CACHE: dict[int, tuple[Shape, ShapeParser]] = {}


def compiled(shape: Shape) -> ShapeParser:
    """The compiled conversion of ``shape`` (made once, then shared by every parser)."""
    entry = _CACHE.get(id(shape))
    if entry is not None and entry[0] is shape:
        return entry[1]
    # A placeholder first, so that a recursive shape compiles to a late-bound reference.
    _CACHE[id(shape)] = (shape, lambda parser, node: compiled(shape)(parser, node))
    function = _compile(shape)
    _CACHE[id(shape)] = (shape, function)
    return function


def _generic(shape: Shape) -> ShapeParser:
    """botocore's own handler for this shape, for anything not compiled."""
    name = f"_handle_{shape.type_name}"

    def parse(parser: Any, node: Any) -> Any:
        return getattr(parser, name, parser._default_handle)(shape, node)

    return parse


def _identity(parser: Any, node: Any) -> Any:
    return node


def _timestamp(parser: Any, node: Any) -> Any:
    return parser._timestamp_parser(node)


def _integer(parser: Any, node: Any) -> Any:
    return int(node)  # what the rest-json parser's _handle_integer does


def _compile(shape: Shape) -> ShapeParser:
    kind = shape.type_name
    serialization = shape.serialization
    if serialization.get("location") or serialization.get("jsonvalue"):
        return _generic(shape)  # header-bound values: botocore's rules
    if kind == "structure" and not getattr(shape, "is_document_type", False):
        return _structure(shape)
    if kind == "list":
        member = compiled(shape.member)  # type: ignore[attr-defined]
        if member is _identity:

            def copy_list(parser: Any, node: Any) -> Any:
                return list(node)

            return copy_list

        def parse_list(parser: Any, node: Any) -> Any:
            return [None if item is None else member(parser, item) for item in node]

        return parse_list
    if kind == "map":
        key = compiled(shape.key)  # type: ignore[attr-defined]
        value = compiled(shape.value)  # type: ignore[attr-defined]
        if key is _identity and value is _identity:

            def copy_map(parser: Any, node: Any) -> Any:
                return dict(node)

            return copy_map

        def parse_map(parser: Any, node: Any) -> Any:
            return {key(parser, k): value(parser, v) for k, v in node.items()}

        return parse_map
    if kind == "timestamp":
        return _timestamp
    if kind == "string":
        return _identity
    if kind in ("integer", "long"):
        return _integer
    return _generic(shape)


def _structure(shape: Shape) -> ShapeParser:
    members = [
        (name, member.serialization.get("name", name), compiled(member))
        for name, member in shape.members.items()  # type: ignore[attr-defined]
    ]
    # Members taken as they come (strings) are copied without a call, in the model's order.
    steps = [(name, key, None if parse is _identity else parse) for name, key, parse in members]
    union = bool(getattr(shape, "is_tagged_union", False))

    def parse_structure(parser: Any, node: Any) -> Any:
        if node is None:
            return None
        if union and parser._has_unknown_tagged_union_member(shape, node):
            return parser._handle_unknown_tagged_union_member(parser._get_first_key(node))
        parsed = {}
        for name, key, parse in steps:
            raw = node.get(key)
            if raw is not None:
                parsed[name] = raw if parse is None else parse(parser, raw)
        return parsed

    return parse_structure


class CompiledShapesMixin:
    """Parses each shape with its compiled conversion instead of botocore's dispatch."""

    def _parse_shape(self, shape: Shape, node: Any) -> Any:
        return compiled(shape)(self, node)


class FastRestJSONParser(CompiledShapesMixin, RestJSONParser):
    """botocore's rest-json parser, with compiled shapes."""


class FastParserFactory(ResponseParserFactory):
    """Creates the rest-json parser with compiled shapes; other protocols as botocore does."""

    def create_parser(self, protocol_name: str) -> Any:
        """The parser for ``protocol_name`` with this factory's defaults."""
        if protocol_name == "rest-json":
            return FastRestJSONParser(**self._defaults)  # type: ignore[attr-defined]
        return super().create_parser(protocol_name)


_get_context: Callable[[], Any] | None
try:
    from botocore.context import get_context as _get_context
except ImportError:  # older botocore: no per-request features
    _get_context = None
_NONE: frozenset[str] = frozenset()


class _CachedUserAgent:
    """A client's User-Agent builder that builds each distinct string once."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self._strings: dict[tuple[frozenset[str], frozenset[str]], str] = {}

    def _key(self) -> tuple[frozenset[str], frozenset[str]]:
        context = _get_context() if _get_context is not None else None
        features = getattr(context, "features", None)
        client_features = getattr(self._inner, "_client_features", None)
        return (
            frozenset(features) if features else _NONE,
            frozenset(client_features) if client_features else _NONE,
        )

    def to_string(self) -> str:
        key = self._key()
        string = self._strings.get(key)
        if string is None:
            string = self._strings[key] = self._inner.to_string()
        return string

    def rebuild_and_replace_user_agent_handler(
        self, operation_name: str, request: Any, **kwargs: Any
    ) -> None:
        string = self.to_string()
        if request.headers.get("User-Agent"):
            request.headers.replace_header("User-Agent", string)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def cache_user_agent(client: Any) -> None:
    """Make ``client`` build each distinct User-Agent string once (see the module doc)."""
    inner = getattr(client, "_user_agent_creator", None)
    if inner is None or not hasattr(inner, "to_string"):
        return  # a botocore without a User-Agent builder: nothing to cache
    cached = _CachedUserAgent(inner)
    rebuild = getattr(inner, "rebuild_and_replace_user_agent_handler", None)
    if rebuild is not None:
        event = f"request-created.{client.meta.service_model.service_id.hyphenize()}"
        client.meta.events.unregister(event, rebuild)
        client.meta.events.register_last(event, cached.rebuild_and_replace_user_agent_handler)
    client._user_agent_creator = cached
