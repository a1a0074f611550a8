"""A griffe extension that turns the docstrings' Sphinx roles into the site's cross-references.

The package's docstrings are Google style with Sphinx roles for references
(``:class:`LocalIvsChat```, ``:meth:`pages```, ``:func:`~ivschat_sdk.logs.replay```), which
mkdocstrings would show as they are written. This extension, loaded by mkdocstrings through
``mkdocs.yml``, rewrites each role after the package is loaded:

- a reference to a public object (one the API reference renders: a name in a public
  package's ``__all__``, or a public member of one) becomes a Markdown cross-reference to its
  public path, ``[LocalIvsChat][ivschat_sdk.local.LocalIvsChat]``, which autorefs resolves (a
  broken one fails ``mkdocs build --strict``);
- a reference to anything else (a private module or helper) becomes inline code.

Names are looked up as Python would from the docstring's place: the object itself, then its
parents, then absolute paths. A ``~`` shows the last part only, as in Sphinx; an explicit
target (``:meth:`title <path>```) is honoured. An RST literal-block marker (a paragraph ending
in ``::``) becomes a single colon.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

# The packages whose ``__all__`` the API reference renders.
PUBLIC_MODULES = (
    "ivschat_sdk",
    "ivschat_sdk.testing",
    "ivschat_sdk.local",
    "ivschat_sdk.messaging",
    "ivschat_sdk.review",
    "ivschat_sdk.review.testing",
    "ivschat_sdk.logs",
)

ROLE = re.compile(
    r":(?:py:)?(?P<role>class|func|meth|mod|data|attr|exc|obj|const):"
    r"`(?P<tilde>~?)(?P<text>[^`<]+?)(?:\s*<(?P<target>[^>]+)>)?`"
)
LITERAL_BLOCK = re.compile(r"(\S)::\n(\n[ ]{4})")


def _target(obj: griffe.Object | griffe.Alias) -> griffe.Object | griffe.Alias:
    """The object an alias stands for (itself when it cannot be resolved or is not an alias)."""
    try:
        return obj.final_target if obj.is_alias else obj  # type: ignore[union-attr]
    except (griffe.AliasResolutionError, griffe.CyclicAliasError):
        return obj


class SphinxRoles(griffe.Extension):
    """Rewrite Sphinx roles in every docstring of the package into cross-references."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        """Rewrite the roles once the whole package is loaded (griffe 2)."""
        self._rewrite_package(pkg)

    def on_package_loaded(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        """Rewrite the roles once the whole package is loaded (griffe 1)."""
        self._rewrite_package(pkg)

    def _rewrite_package(self, pkg: griffe.Module) -> None:
        if pkg.path != "ivschat_sdk":
            return
        self._public = self._public_paths(pkg)
        self._pkg = pkg
        seen: set[int] = set()
        self._walk(pkg, seen)

    def _public_paths(self, pkg: griffe.Module) -> dict[str, str]:
        """Map each rendered object's canonical path to the public path it is shown under."""
        public: dict[str, str] = {}
        for module_path in PUBLIC_MODULES:
            module = pkg if module_path == pkg.path else pkg[module_path[len(pkg.path) + 1 :]]
            public.setdefault(module.path, module.path)
            for name in module.exports or ():
                target = _target(module[name])
                public.setdefault(target.path, f"{module.path}.{name}")
        return public

    def _walk(self, obj: griffe.Object, seen: set[int]) -> None:
        if id(obj) in seen:
            return
        seen.add(id(obj))
        if obj.docstring is not None:
            obj.docstring.value = self._rewrite(obj.docstring.value, obj)
        for member in obj.members.values():
            if not member.is_alias:
                self._walk(member, seen)  # type: ignore[arg-type]

    def _rewrite(self, text: str, scope: griffe.Object) -> str:
        def replace(match: re.Match[str]) -> str:
            written = (match["target"] or match["text"]).strip()
            shown = match["text"].strip()
            if match["tilde"]:
                shown = shown.rsplit(".", 1)[-1]
            public = self._public_path(written, scope)
            return f"[`{shown}`][{public}]" if public else f"`{shown}`"

        return LITERAL_BLOCK.sub(r"\1:\n\2", ROLE.sub(replace, text))

    def _resolve(self, name: str, scope: griffe.Object) -> griffe.Object | griffe.Alias | None:
        """Look a written name up from a docstring's place, as Python would."""
        if name.startswith("."):
            module = scope.module
            base = module if module.is_package else module.parent
            name = name.lstrip(".")
            return self._lookup(base, name.split(".")) if base else None
        parts = name.split(".")
        current: griffe.Object | None = scope
        while current is not None:
            found = self._lookup(current, parts)
            if found is not None:
                return found
            current = current.parent
        if parts[0] == self._pkg.name:
            return self._lookup(self._pkg, parts[1:])
        return None

    @staticmethod
    def _lookup(
        start: griffe.Object | griffe.Alias, parts: list[str]
    ) -> griffe.Object | griffe.Alias | None:
        current = start
        for part in parts:
            current = _target(current)
            if part not in current.members:
                return None
            current = current.members[part]
        return current

    def _public_path(self, name: str, scope: griffe.Object) -> str | None:
        """The public path a reference renders under, or None when the site does not show it."""
        found = self._resolve(name, scope)
        if found is None:
            return None
        path = _target(found).path
        rest: list[str] = []
        while path:
            if path in self._public:
                if any(part.startswith("_") for part in rest):
                    return None
                return ".".join([self._public[path], *rest])
            path, _, last = path.rpartition(".")
            rest.insert(0, last)
        return None
