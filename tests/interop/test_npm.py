"""Installing the JS packages: skipped, saying why, where npm or its registry is missing."""

from __future__ import annotations

import shutil
import stat
import time
from pathlib import Path

import pytest

from ._npm import NPM_PACKAGES, install_node_modules
from .conftest import JS_DIR


def _project(tmp_path: Path) -> Path:
    """A copy of the JS interop project (package.json and lock file), without node_modules."""
    project = tmp_path / "js"
    project.mkdir()
    for name in ("package.json", "package-lock.json"):
        shutil.copy(JS_DIR / name, project / name)
    return project


@pytest.mark.skipif(shutil.which("npm") is None, reason="needs npm itself (not its registry)")
def test_unreachable_registry_skips_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With npm's registry unreachable, the install skips, naming the registry, and fast."""
    project = _project(tmp_path)
    monkeypatch.setenv("npm_config_registry", "http://127.0.0.1:9")  # refuses at once
    monkeypatch.setenv("npm_config_cache", str(tmp_path / "npm-cache"))  # nothing cached
    started = time.monotonic()
    with pytest.raises(pytest.skip.Exception) as exc_info:
        install_node_modules(project)
    reason = str(exc_info.value)
    assert reason.startswith("npm cannot reach its registry http://127.0.0.1:9"), reason
    assert "ECONNREFUSED" in reason
    assert all(name in reason for name in NPM_PACKAGES)
    assert time.monotonic() - started < 30
    assert not (project / "node_modules").exists()


def test_missing_npm_skips_with_the_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without Node.js and npm on PATH, the install skips, saying which are missing."""
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(pytest.skip.Exception, match=r"^Node\.js and npm are not installed"):
        install_node_modules(_project(tmp_path))


FAKE_NPM = """#!/bin/sh
# A stand-in for npm: `ping` answers as $FAKE_PINGS says (one character per call, 1 = up),
# `ci` and `install` succeed if $FAKE_CI_OK is 1 (creating the packages) and fail if not.
state="$FAKE_STATE"
case "$1" in
  ping)
    n=0; [ -f "$state" ] && read -r n < "$state"; n=$((n + 1)); echo "$n" > "$state"
    up=$(printf '%s' "$FAKE_PINGS" | cut -c "$n")
    [ "$up" = 1 ] && exit 0
    echo "npm error code ENOTFOUND" >&2; exit 1 ;;
  config) echo "https://registry.example/"; exit 0 ;;
  ci|install)
    if [ "$FAKE_CI_OK" = 1 ]; then
      mkdir -p node_modules/@aws-sdk/client-ivschat node_modules/amazon-ivs-chat-messaging \\
        node_modules/ws
      exit 0
    fi
    echo "npm error code E500" >&2; echo "npm error 500 Internal Server Error" >&2; exit 1 ;;
esac
exit 3
"""


def _fake_npm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pings: str, ci_ok: bool) -> None:
    """Put a fake ``npm`` (and ``node``) first on PATH, answering as told."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, text in (("npm", FAKE_NPM), ("node", "#!/bin/sh\nexit 0\n")):
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(stat.S_IRWXU)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    monkeypatch.setenv("FAKE_PINGS", pings)
    monkeypatch.setenv("FAKE_STATE", str(tmp_path / "pings"))
    monkeypatch.setenv("FAKE_CI_OK", "1" if ci_ok else "0")


def test_working_npm_installs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Registry up and npm ci succeeding: the packages are installed and the tests run."""
    _fake_npm(tmp_path, monkeypatch, pings="1", ci_ok=True)
    project = _project(tmp_path)
    assert install_node_modules(project) == project / "node_modules"
    assert (project / "node_modules" / "ws").is_dir()


def test_registry_lost_during_install_skips(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """npm ci failing because the registry went away meanwhile is a skip, not an error."""
    _fake_npm(tmp_path, monkeypatch, pings="10", ci_ok=False)
    with pytest.raises(pytest.skip.Exception, match=r"registry https://registry\.example/ \("):
        install_node_modules(_project(tmp_path))


def test_other_npm_failures_are_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """npm ci failing while its registry answers is a real failure: never hidden as a skip."""
    _fake_npm(tmp_path, monkeypatch, pings="11", ci_ok=False)
    with pytest.raises(pytest.fail.Exception, match="500 Internal Server Error"):
        install_node_modules(_project(tmp_path))
