"""The ``ivschat-local`` command line: bad options are refused at start, in one line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any, NoReturn

import pytest

from ivschat_sdk._version import __version__
from ivschat_sdk.local import _cli


class _Started(Exception):
    """Raised instead of serving: the command got past its checks."""


@pytest.fixture
def no_serving(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``main`` raise :class:`_Started` where it would start serving."""

    def serve(*args: Any) -> NoReturn:
        raise _Started

    monkeypatch.setattr(_cli, "_serve", serve)


def _refusal(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Run ``main(argv)``, expect exit status 2, and return what it printed on stderr."""
    with pytest.raises(SystemExit) as exc_info:
        _cli.main(argv)
    assert exc_info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--room-quota", "-1"], "argument --room-quota: must be a whole number >= 0, not '-1'"),
        (
            ["--room-quota", "many"],
            "argument --room-quota: must be a whole number >= 0, not 'many'",
        ),
        (
            ["--logging-configuration-quota", "-1"],
            "argument --logging-configuration-quota: must be a whole number >= 0, not '-1'",
        ),
        (["--port", "-1"], "argument --port: must be a port number from 0 to 65535, not '-1'"),
        (
            ["--port", "65536"],
            "argument --port: must be a port number from 0 to 65535, not '65536'",
        ),
        (["--port", "http"], "argument --port: must be a port number from 0 to 65535, not 'http'"),
        (["--fail", "CreateRoom:x"], "argument --fail: COUNT must be a whole number >= 1"),
        (["--fail", "CreateRoom:0"], "argument --fail: COUNT must be a whole number >= 1"),
        (["--fail", "CreateRoom:-2"], "argument --fail: COUNT must be a whole number >= 1"),
        (["--fail", "CreateRooms"], "argument --fail: unknown operation 'CreateRooms'"),
        (["--fail", ":2"], "argument --fail: expected OPERATION[:COUNT[:ERROR]], not ':2'"),
        (
            ["--fail", "a:1:b:c"],
            "argument --fail: expected OPERATION[:COUNT[:ERROR]], not 'a:1:b:c'",
        ),
        (["--fail", "GetRoom:1:Throttled"], "argument --fail: unknown error 'Throttled'"),
        (["--account-id", "1234"], "argument --account-id: must be 12 digits, not '1234'"),
        (["--region", "US West"], "argument --region: must look like us-west-2, not 'US West'"),
    ],
)
def test_bad_options_are_refused_in_one_line(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str], no_serving: None
) -> None:
    """Each bad option exits with status 2 and one line naming the option, before serving."""
    err = _refusal(argv, capsys)
    assert err.startswith(f"ivschat-local: error: {expected}"), err
    assert err.endswith("(see ivschat-local --help)\n")
    assert err.count("\n") == 1


def test_a_state_file_that_cannot_be_saved_is_refused_at_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_serving: None
) -> None:
    """--state naming a directory, or a file in a missing directory, fails at start, not at exit."""
    err = _refusal(["--state", str(tmp_path)], capsys)
    assert err == (
        f"ivschat-local: error: argument --state: {str(tmp_path)!r} is a directory, not a file"
        " (see ivschat-local --help)\n"
    )
    missing = tmp_path / "nowhere" / "state.json"
    err = _refusal(["--state", str(missing)], capsys)
    assert err == (
        f"ivschat-local: error: argument --state: the directory {str(missing.parent)!r} does not"
        " exist (see ivschat-local --help)\n"
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["--port", "0", "--room-quota", "0", "--logging-configuration-quota", "0"],
        ["--port", "65535", "--region", "eu-central-1", "--account-id", "210987654321"],
        ["--fail", "*", "--fail", "CreateRoom:3", "--fail", "GetRoom:2:InternalServerException"],
    ],
)
def test_edge_values_are_accepted(argv: list[str], tmp_path: Path, no_serving: None) -> None:
    """Boundary values that make sense (port 0 and 65535, quotas of 0, '*') start the server."""
    with pytest.raises(_Started):
        _cli.main([*argv, "--state", str(tmp_path / "new.json"), "--quiet"])


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    """--version prints ``ivschat-local <version>`` and exits with status 0."""
    with pytest.raises(SystemExit) as exc_info:
        _cli.main(["--version"])
    assert exc_info.value.code == 0
    assert capsys.readouterr().out == f"ivschat-local {__version__}\n"


def _run_without_aiohttp(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m ivschat_sdk.local ARGS`` in a process where ``import aiohttp`` fails."""
    fake = tmp_path / "aiohttp"
    fake.mkdir()
    (fake / "__init__.py").write_text(
        "raise ImportError(\"No module named 'aiohttp' (hidden by the test)\")\n"
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tmp_path), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "ivschat_sdk.local", *args],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_without_the_local_extra_it_says_what_to_install(tmp_path: Path) -> None:
    """With aiohttp not importable, the command prints one line naming the extra; status 2."""
    result = _run_without_aiohttp(tmp_path, "--port", "0")
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr == (
        "ivschat-local: the server needs aiohttp, which is not installed:"
        " pip install 'ivschat-sdk[local]'\n"
    )


def test_version_works_without_the_local_extra(tmp_path: Path) -> None:
    """--version needs no aiohttp."""
    result = _run_without_aiohttp(tmp_path, "--version")
    assert (result.returncode, result.stdout) == (0, f"ivschat-local {__version__}\n")
