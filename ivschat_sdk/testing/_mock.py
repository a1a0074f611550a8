"""mock_ivschat(): activates the local IVS Chat for every boto3 ivschat client."""

from __future__ import annotations

import functools
import inspect
import os
from collections.abc import Callable
from types import TracebackType
from typing import Any, TypeVar, overload

from ..local import LocalIvsChat
from . import _botocore_transport

__all__ = ["FAKE_CREDENTIALS", "MockIvsChat", "mock_ivschat"]

F = TypeVar("F", bound=Callable[..., Any])

FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}
"""The environment set while a mock is active."""

_botocore_transport.install()


class MockIvsChat:
    """Routes boto3 ``ivschat`` clients to a local IVS Chat; see :func:`mock_ivschat`.

    A context manager (``with`` returns the :class:`LocalIvsChat`, to inspect or to inject
    faults) and a decorator of sync and async functions. Each activation starts from the
    emulator it was given, or from a fresh one.
    """

    def __init__(self, emulator: LocalIvsChat | None = None) -> None:
        self._given = emulator
        self._stack: list[tuple[LocalIvsChat, dict[str, str | None]]] = []

    def __enter__(self) -> LocalIvsChat:
        emulator = self._given or LocalIvsChat()
        saved = {name: os.environ.get(name) for name in FAKE_CREDENTIALS}
        os.environ.update(FAKE_CREDENTIALS)
        _botocore_transport.activate(emulator)
        self._stack.append((emulator, saved))
        return emulator

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        emulator, saved = self._stack.pop()
        _botocore_transport.deactivate(emulator)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value

    def __call__(self, func: F) -> F:
        """Decorate ``func`` so that it runs with the mock active."""
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                with self:
                    return await func(*args, **kwargs)

            return async_wrapper  # type: ignore[return-value]

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self:
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


@overload
def mock_ivschat(func: F, /) -> F: ...
@overload
def mock_ivschat(*, emulator: LocalIvsChat | None = None) -> MockIvsChat: ...
def mock_ivschat(
    func: F | None = None, /, *, emulator: LocalIvsChat | None = None
) -> F | MockIvsChat:
    """Route every boto3 ``ivschat`` client to an in-memory IVS Chat.

    Use as ``with mock_ivschat() as local:``, ``@mock_ivschat`` or ``@mock_ivschat()``.

    Args:
        func: The function to decorate, when used as a bare decorator.
        emulator: The emulator to use; a fresh :class:`LocalIvsChat` by default.

    """
    mock = MockIvsChat(emulator)
    if func is not None:
        return mock(func)
    return mock
