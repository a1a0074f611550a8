"""Fixtures for driving official AWS clients against a running ivschat-local."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from ivschat_sdk.local import LocalServer

JS_DIR = Path(__file__).parent / "js"


@pytest.fixture
def server() -> Iterator[LocalServer]:
    """A fresh ivschat-local on a free port."""
    with LocalServer() as s:
        yield s


@pytest.fixture(scope="session")
def node_modules() -> Path:
    """The official JS packages, installed from npm (once); skips where Node is missing."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("Node.js and npm are not installed; the JS interop tests need them")
    wanted = ("@aws-sdk/client-ivschat", "amazon-ivs-chat-messaging", "ws")
    if not all((JS_DIR / "node_modules" / name).exists() for name in wanted):
        command = ["npm", "ci" if (JS_DIR / "package-lock.json").exists() else "install"]
        result = subprocess.run(
            [*command, "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=JS_DIR, capture_output=True, text=True, check=False, timeout=600,
        )  # fmt: skip
        assert result.returncode == 0, f"npm failed: {result.stderr[-2000:]}"
    return JS_DIR / "node_modules"


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
