"""Module attributes imported on first use (PEP 562), for the package and its subpackages.

A package lists where each public name lives; the first access imports that module and
keeps the value in the package's namespace, so later accesses cost a dictionary lookup.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from typing import Any

__all__ = ["lazy_attributes"]


def lazy_attributes(
    package: str,
    namespace: MutableMapping[str, Any],
    where: Mapping[str, str],
    public: Sequence[str],
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of a package whose names load on first use.

    Args:
        package: The package's ``__name__``.
        namespace: Its ``globals()``, where loaded names are kept.
        where: Public name -> the submodule (relative, without the dot) that defines it.
        public: The package's ``__all__``.

    """

    def __getattr__(name: str) -> object:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module("." + module, package), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(public))

    return __getattr__, __dir__
