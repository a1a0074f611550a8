"""The examples run from a fresh process and show what they claim."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run_example(name: str) -> str:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / name)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_quickstart() -> None:
    """The quickstart does the control plane and chat end to end on the local IVS Chat."""
    out = run_example("quickstart.py")
    for expected in [
        "using the local IVS Chat",
        "page 2:",
        "never printed",
        "refused before sending: Invalid parameter maximum_message_length",
        "get_room now raises ResourceNotFoundError (404)",
        "bob received 'hi bob!' from Alice",
        "alice was told to hide",
        "bob got 'app:stream-starting'",
        "the review handler rejected alice's spoiler (406",
        "done",
    ]:
        assert expected in out


def test_moderation_bot_demo() -> None:
    """The bot deletes exactly the matching messages."""
    out = run_example("moderation_bot.py")
    deletions = [
        line for line in out.splitlines() if line.startswith("bot: deleted ") and " from " in line
    ]
    assert [line.split(": ", 2)[-1].split(" (")[0] for line in deletions] == [
        "'BUY NOW cheap followers'",
        "'free money here'",
    ]
    assert "bot: deleted 2 messages" in out
