"""Release-ready: one version, the license, the changelog's form, the docs extra, the sdist.

Building and installing the package is CI's (``.ci/run``, ``nox -s package``: ``python -m
build``, ``twine check``, then ``tests/smoke_wheel.py``); these are the checks that need no
build.
"""

from __future__ import annotations

import importlib.metadata
import re
import sys
from pathlib import Path

import pytest

import ivschat_sdk

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SECTIONS = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}


def test_the_version_is_defined_once() -> None:
    """pyproject.toml reads the version from ivschat_sdk/_version.py; nothing else states it."""
    project = PYPROJECT["project"]
    assert "version" not in project
    assert project["dynamic"] == ["version"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "ivschat_sdk._version.__version__"
    }
    assigned = [
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "ivschat_sdk").rglob("*.py")
        if re.search(r"^__version__\s*=", path.read_text(encoding="utf-8"), re.MULTILINE)
    ]
    assert assigned == ["ivschat_sdk/_version.py"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", ivschat_sdk.__version__)


def test_installed_metadata_has_the_version() -> None:
    """The installed distribution's version is the package's (an editable install included)."""
    assert importlib.metadata.version("ivschat-sdk") == ivschat_sdk.__version__


def test_license_is_the_apache_2_text() -> None:
    """LICENSE holds the Apache License 2.0, in full, as pyproject.toml declares."""
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert PYPROJECT["project"]["license"] == "Apache-2.0"
    assert PYPROJECT["project"]["license-files"] == ["LICENSE"]
    for part in (
        "Apache License",
        "Version 2.0, January 2004",
        "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION",
        "9. Accepting Warranty or Additional Liability.",
        "END OF TERMS AND CONDITIONS",
    ):
        assert part in text, part


def test_changelog_follows_keep_a_changelog() -> None:
    """An Unreleased section first, then releases newest first, the newest being __version__.

    Each release heading is ``## [X.Y.Z] - YYYY-MM-DD``, and each section under it one of
    Keep a Changelog's six kinds.
    """
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.startswith("# Changelog\n")
    assert "keepachangelog.com" in text
    headings = re.findall(r"^## (.+)$", text, re.MULTILINE)
    assert headings[0] == "[Unreleased]"
    releases = []
    for heading in headings[1:]:
        match = re.fullmatch(r"\[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})", heading)
        assert match, f"not a release heading: {heading!r}"
        releases.append(tuple(int(part) for part in match[1].split(".")))
    assert releases, "no release yet"
    assert releases == sorted(releases, reverse=True), "releases must be newest first"
    assert ".".join(map(str, releases[0])) == ivschat_sdk.__version__
    kinds = set(re.findall(r"^### (.+)$", text, re.MULTILINE))
    assert kinds <= SECTIONS, kinds - SECTIONS


def test_docs_extra_has_floors_and_no_build_tools() -> None:
    """The docs extra pins floors of the site's tools; build and twine belong to CI and nox."""
    extras = PYPROJECT["project"]["optional-dependencies"]
    docs = extras["docs"]
    names = {re.split(r"[<>=!~\[ ]", spec, maxsplit=1)[0] for spec in docs}
    assert names == {"mkdocs", "mkdocs-material", "mkdocstrings", "mkdocstrings-python"}
    assert all(">=" in spec for spec in docs), docs
    assert any(spec.startswith("mkdocstrings[python]") for spec in docs)
    everything = [*PYPROJECT["project"]["dependencies"], *(s for v in extras.values() for s in v)]
    assert not [spec for spec in everything if re.match(r"(build|twine)\b", spec)]


def test_sdist_manifest_adds_the_changelog_and_leaves_tests_out() -> None:
    """MANIFEST.in puts the changelog and license in the sdist and leaves the suite out.

    (tests/smoke_wheel.py checks the built sdist and wheel themselves.)
    """
    manifest = (ROOT / "MANIFEST.in").read_text(encoding="utf-8").split("\n")
    assert "include CHANGELOG.md LICENSE README.md" in manifest
    assert "prune tests" in manifest
    assert PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"] == ["ivschat_sdk*"]
