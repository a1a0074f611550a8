"""The public surface: __all__ is exactly the public names, and every one is documented."""

from __future__ import annotations

import inspect
import types
import typing

import pytest

import ivschat_sdk
import ivschat_sdk.local
import ivschat_sdk.messaging
import ivschat_sdk.review
import ivschat_sdk.testing

PACKAGES = [
    ivschat_sdk,
    ivschat_sdk.local,
    ivschat_sdk.messaging,
    ivschat_sdk.review,
    ivschat_sdk.testing,
]


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.__name__)
def test_all_is_exactly_the_public_names(package: types.ModuleType) -> None:
    """Every public attribute is in __all__ and every name in __all__ exists."""
    public = {
        name
        for name, value in vars(package).items()
        if (not name.startswith("_") or name == "__version__")
        and not isinstance(value, types.ModuleType)
        and name != "annotations"
    }
    lazy = {name for name in package.__all__ if name not in vars(package)}
    assert all(getattr(package, name) is not None for name in lazy)  # PEP 562 names resolve
    assert set(package.__all__) == public | lazy
    assert len(package.__all__) == len(set(package.__all__))


def _documented(obj: object) -> bool:
    return bool(inspect.getdoc(obj))


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.__name__)
def test_every_public_class_and_method_has_a_docstring(package: types.ModuleType) -> None:
    """Public classes, functions and their public methods carry docstrings."""
    missing = []
    for name in package.__all__:
        obj = getattr(package, name)
        if typing.get_origin(obj) is not None:
            continue  # a type alias such as Callable[...] or A | B
        if inspect.isclass(obj) or inspect.isfunction(obj):
            if not _documented(obj):
                missing.append(name)
            if inspect.isclass(obj):
                for attr, member in vars(obj).items():
                    if attr.startswith("_") or not (
                        inspect.isfunction(member) or isinstance(member, property)
                    ):
                        continue
                    if not _documented(member):
                        missing.append(f"{name}.{attr}")
    assert missing == []


def test_client_covers_every_operation_of_the_service() -> None:
    """IvsChatClient has a method for each of the service's 17 operations."""
    from ivschat_sdk._constraints import service_model

    operations = service_model().operation_names
    assert len(operations) == 17
    for operation in operations:
        method = "".join("_" + c.lower() if c.isupper() else c for c in operation).lstrip("_")
        assert callable(getattr(ivschat_sdk.IvsChatClient, method, None)), method


def test_version_is_exported() -> None:
    """The package version is a PEP 440 string."""
    assert ivschat_sdk.__version__.count(".") == 2
