"""Developer sessions: `nox` runs tests, lint and types; `nox -s examples` the examples."""

from __future__ import annotations

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
    session.install("-e", ".[local,chat]")
    session.run("python", "examples/quickstart.py")
    session.run("python", "examples/moderation_bot.py")
    session.run("python", "benchmarks/bench_list_rooms.py", "--rounds", "5")
    session.run("python", "benchmarks/bench_server.py", "--seconds", "2")
    session.run("python", "benchmarks/bench_chat.py", "--sizes", "10,100", "--seconds", "2")
    session.run("python", "benchmarks/bench_async.py", "--quick")
