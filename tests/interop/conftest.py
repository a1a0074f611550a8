"""Fixtures for driving official AWS clients against a running ivschat-local."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from ivschat_sdk.local import LocalServer

from ._npm import install_node_modules

JS_DIR = Path(__file__).parent / "js"


@pytest.fixture
def server() -> Iterator[LocalServer]:
    """A fresh ivschat-local on a free port."""
    with LocalServer() as s:
        yield s


@pytest.fixture(scope="session")
def node_modules() -> Path:
    """The official JS packages, installed from npm (once).

    Skips, saying why, where Node.js or npm is missing or npm cannot reach its registry.
    """
    return install_node_modules(JS_DIR)


@pytest.fixture
def aws_env(tmp_path: Path) -> dict[str, str]:
    """An environment for the AWS CLI: fake credentials, no user config, no pager."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID="AKIDEXAMPLE",
        AWS_SECRET_ACCESS_KEY="secret",
        AWS_DEFAULT_REGION="us-west-2",
        AWS_CONFIG_FILE=str(tmp_path / "config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "credentials"),
        AWS_PAGER="",
    )
    return env
