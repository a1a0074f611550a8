"""The review toolkit's public surface: __all__ is exactly the public names, all documented."""

from __future__ import annotations

import inspect
import types
import typing

import pytest

import ivschat_sdk.review
import ivschat_sdk.review.testing

MODULES = [ivschat_sdk.review, ivschat_sdk.review.testing]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_all_is_exactly_the_public_names(module: types.ModuleType) -> None:
    """Every public attribute is in __all__ and every name in __all__ exists."""
    public = {
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and name != "annotations"
    }
    assert set(module.__all__) == public
    assert len(module.__all__) == len(set(module.__all__))


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_every_public_class_function_method_and_property_has_a_docstring(
    module: types.ModuleType,
) -> None:
    """Public classes, functions, and their public methods and properties carry docstrings."""
    missing = []
    for name in module.__all__:
        obj = getattr(module, name)
        if typing.get_origin(obj) is not None or isinstance(obj, types.UnionType):
            continue  # a type alias such as Callable[...] or A | B
        if inspect.isclass(obj) or inspect.isfunction(obj):
            if not inspect.getdoc(obj):
                missing.append(name)
            if inspect.isclass(obj):
                for attr, member in vars(obj).items():
                    if (attr.startswith("_") and attr != "__call__") or not (
                        inspect.isfunction(member) or isinstance(member, (property, classmethod))
                    ):
                        continue
                    if not inspect.getdoc(member):
                        missing.append(f"{name}.{attr}")
    assert missing == []


def test_the_verdict_alias_is_the_union_of_the_verdicts() -> None:
    """Verdict is Allow | Deny at run time too (usable with isinstance)."""
    from ivschat_sdk.review import Allow, Deny, Verdict

    assert isinstance(Allow(), Verdict)
    assert isinstance(Deny(), Verdict)
    assert not isinstance({"ReviewResult": "ALLOW"}, Verdict)
