"""Developer sessions: `nox` runs tests, lint and types; `nox -s examples` the examples.

`nox -s docs` builds the site, `nox -s package` builds and checks the package.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nox

nox.options.sessions = ["tests", "lint", "types"]
nox.options.reuse_existing_virtualenvs = True

RUFF = "ruff==0.17.6"
MYPY = "mypy==2.4.1"


@nox.session(python=["3.10", "3.11", "3.12", "3.13"])
def tests(session: nox.Session) -> None:
    """The README's test command, on every supported Python found on the machine."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff: lint and format check."""
    session.install(RUFF)
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def types(session: nox.Session) -> None:
    """mypy --strict on the package and the pinned public types."""
    session.install("-e", ".[test]", MYPY)
    session.run("mypy", "--strict", "ivschat_sdk", "typing_tests")


@nox.session
def examples(session: nox.Session) -> None:
    """Run the examples, then the benchmarks briefly, on the local IVS Chat."""
    session.install("-e", ".[local,chat,async]")
    session.run("python", "examples/quickstart.py")
    session.run("python", "examples/moderation_bot.py")
    session.run("python", "benchmarks/bench_list_rooms.py", "--rounds", "5")
    session.run("python", "benchmarks/bench_server.py", "--seconds", "2")
    session.run("python", "benchmarks/bench_chat.py", "--sizes", "10,100", "--seconds", "2")
    session.run("python", "benchmarks/bench_async.py", "--quick")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the site strictly (warnings, broken links, missing references fail) into site/.

    Then check that the API reference covers every public name. ``nox -s docs -- serve``
    serves it at http://127.0.0.1:8000 instead.
    """
    session.install("-e", ".[docs,test]", RUFF)  # ruff formats the reference's signatures
    session.env["NO_MKDOCS_2_WARNING"] = "1"
    if session.posargs[:1] == ["serve"]:
        session.run("mkdocs", "serve", *session.posargs[1:])
        return
    session.run("mkdocs", "build", "--strict", "--site-dir", "site")
    session.run(
        "python",
        "-m",
        "pytest",
        "tests/test_docs.py",
        "-k",
        "test_site_",
        env={"IVSCHAT_DOCS_SITE": "site"},
    )


@nox.session
def package(session: nox.Session) -> None:
    """Build the sdist and the wheel, check them with twine, smoke-test the wheel's extras."""
    session.install("build>=1.2", "twine>=5")
    dist = Path(session.create_tmp()) / "dist"
    shutil.rmtree(dist, ignore_errors=True)  # only this build's two files
    session.run("python", "-m", "build", "--outdir", str(dist), ".")
    session.run("python", "-m", "twine", "check", "--strict", *map(str, sorted(dist.iterdir())))
    session.run("python", "tests/smoke_wheel.py", str(dist))
