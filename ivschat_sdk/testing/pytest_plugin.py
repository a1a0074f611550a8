"""pytest fixtures for the local IVS Chat, registered through the ``pytest11`` entry point.

Installing ivschat-sdk makes them available in every test suite:

* ``local_ivschat``: the in-process local IVS Chat, active for one test (a fresh one each
  test); every boto3 ``ivschat`` client created in the test talks to it.
* ``ivschat_local_server``: ``ivschat-local`` over HTTP on a free port, started once per
  session (needs ``ivschat-sdk[local]``).
* ``ivschat_local_url``: that server's URL, with its state emptied before the test.

Loading the plugin also imports :mod:`ivschat_sdk.testing` before any test module, so that
clients created anywhere in the tests can be routed by ``mock_ivschat``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ..local import LocalIvsChat, LocalServer
from ._mock import mock_ivschat

__all__ = ["ivschat_local_server", "ivschat_local_url", "local_ivschat"]


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
