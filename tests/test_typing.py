"""The package and the public-type pins in typing_tests/ pass `mypy --strict`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_strict_passes_on_package_and_typing_tests() -> None:
    """Mypy --strict (configured in pyproject.toml) finds nothing, so the pinned types hold."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "ivschat_sdk", "typing_tests"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
