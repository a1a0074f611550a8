"""pytest fixtures for the local IVS Chat, registered through the ``pytest11`` entry point.

Installing ivschat-sdk makes them available in every test suite:

* ``local_ivschat``: the in-process local IVS Chat, active for one test (a fresh one each
  test); every boto3 ``ivschat`` client created in the test talks to it.
* ``ivschat_local_server``: ``ivschat-local`` over HTTP on a free port, started once per
  session (needs ``ivschat-sdk[local]``).
* ``ivschat_local_url``: that server's URL, with its state emptied before the test.
* ``local_ivschat_server``: that server, emptied, whose emulator is *also* active in process
  for the test: boto3 and aiobotocore clients created without an ``endpoint_url`` reach the
  same emulator as HTTP and WebSocket clients of ``server.url`` / ``server.ws_url``, so a
  chat token made in process opens a chat connection on the server.

The fixtures are plain (sync) fixtures, so they serve async tests under any runner
(pytest-asyncio, anyio's plugin) as they are; nothing here needs an async test plugin.

Loading the plugin also imports :mod:`ivschat_sdk.testing` before any test module, so that
clients created anywhere in the tests can be routed by ``mock_ivschat``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ..local import LocalIvsChat, LocalServer
from ._mock import mock_ivschat

__all__ = ["ivschat_local_server", "ivschat_local_url", "local_ivschat", "local_ivschat_server"]


@pytest.fixture
def local_ivschat() -> Iterator[LocalIvsChat]:
    """A fresh in-process local IVS Chat that every boto3 ivschat client talks to."""
    with mock_ivschat() as local:
        yield local


@pytest.fixture(scope="session")
def ivschat_local_server() -> Iterator[LocalServer]:
    """ivschat-local serving HTTP on a free loopback port for the whole test session."""
    with LocalServer() as server:
        yield server


@pytest.fixture
def ivschat_local_url(ivschat_local_server: LocalServer) -> str:
    """The URL of the session's ivschat-local, its state emptied before this test."""
    ivschat_local_server.emulator.reset()
    return ivschat_local_server.url


@pytest.fixture
def local_ivschat_server(ivschat_local_server: LocalServer) -> Iterator[LocalServer]:
    """The session's ivschat-local, emptied, and the same emulator active in process."""
    ivschat_local_server.emulator.reset()
    with mock_ivschat(emulator=ivschat_local_server.emulator):
        yield ivschat_local_server
