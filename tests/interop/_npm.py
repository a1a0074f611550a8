"""Installing the official JS packages with npm for the interop tests, or saying why not.

Where Node.js or npm is missing, or npm cannot reach its registry (no network, a registry
that refuses or does not answer), the JS interop tests are skipped with that reason. Any
other npm failure is a test failure: where npm works, as in CI, the tests run.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import NoReturn

import pytest

__all__ = ["NPM_PACKAGES", "install_node_modules"]

NPM_PACKAGES = ("@aws-sdk/client-ivschat", "amazon-ivs-chat-messaging", "ws")
"""The packages the JS interop scripts import."""
INSTALL_TIMEOUT = 600.0
"""Seconds ``npm ci`` may take (npm retries a failing registry for about a minute)."""
PING_TIMEOUT = 60.0
"""Seconds ``npm ping`` may take; it asks once and gives up after 20 s without an answer."""


def _npm(
    js_dir: Path, *args: str, timeout: float
) -> subprocess.CompletedProcess[str] | subprocess.TimeoutExpired:
    try:
        return subprocess.run(
            ["npm", *args],
            cwd=js_dir, capture_output=True, text=True, check=False, timeout=timeout,
        )  # fmt: skip
    except subprocess.TimeoutExpired as expired:
        return expired


def _registry_problem(js_dir: Path) -> str | None:
    """Why npm cannot reach its registry (e.g. ``ECONNREFUSED``), or None if it answers."""
    result = _npm(
        js_dir, "ping", "--fetch-retries=0", "--fetch-timeout=20000", timeout=PING_TIMEOUT
    )
    if isinstance(result, subprocess.TimeoutExpired):
        return f"no answer within {PING_TIMEOUT:.0f} s"
    if result.returncode == 0:
        return None
    code = re.search(r"^npm (?:error|ERR!) code (\S+)", result.stderr, re.MULTILINE)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    return code[1] if code else (lines[-1] if lines else f"npm ping exit {result.returncode}")


def _skip_unreachable(js_dir: Path, problem: str) -> NoReturn:
    result = _npm(js_dir, "config", "get", "registry", timeout=PING_TIMEOUT)
    registry = "?"
    if isinstance(result, subprocess.CompletedProcess) and result.returncode == 0:
        registry = result.stdout.strip() or registry
    pytest.skip(
        f"npm cannot reach its registry {registry} ({problem}); the JS interop tests need "
        f"{', '.join(NPM_PACKAGES)} from it"
    )


def install_node_modules(js_dir: Path, *, timeout: float = INSTALL_TIMEOUT) -> Path:
    """Install the JS packages of ``js_dir`` (unless they are there) and return node_modules.

    Skips the calling test where Node.js or npm is not installed, or npm's registry cannot
    be reached (checked before installing, and again if the install fails or times out);
    fails it where npm fails with the registry reachable.
    """
    node_modules = js_dir / "node_modules"
    installed = all((node_modules / name).exists() for name in NPM_PACKAGES)
    missing = [name for name in ("node", "npm") if shutil.which(name) is None]
    if "node" in missing or (missing and not installed):
        names = " and ".join("Node.js" if name == "node" else name for name in missing)
        verb = "are" if len(missing) > 1 else "is"
        pytest.skip(f"{names} {verb} not installed; the JS interop tests need Node.js and npm")
    if installed:
        return node_modules
    problem = _registry_problem(js_dir)
    if problem is not None:
        _skip_unreachable(js_dir, problem)
    command = "ci" if (js_dir / "package-lock.json").exists() else "install"
    result = _npm(js_dir, command, "--no-audit", "--no-fund", "--loglevel=error", timeout=timeout)
    if isinstance(result, subprocess.CompletedProcess) and result.returncode == 0:
        return node_modules
    problem = _registry_problem(js_dir)
    if problem is not None:
        _skip_unreachable(js_dir, problem)
    if isinstance(result, subprocess.TimeoutExpired):
        pytest.fail(f"npm {command} did not finish within {timeout:.0f} s", pytrace=False)
    pytest.fail(f"npm {command} failed: {result.stderr[-2000:]}", pytrace=False)
