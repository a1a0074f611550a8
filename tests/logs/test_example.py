"""examples/chat_replay.py runs offline and prints what viewers saw."""

from __future__ import annotations

import gzip
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from ivschat_sdk.logs import format_log_record, s3_object_key

from .conftest import ROOM_ARN, conversation

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "chat_replay.py"


def run(*args: str) -> str:
    """Run the example in a fresh process; its output."""
    result = subprocess.run(
        [sys.executable, str(EXAMPLE), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_the_demo_replays_the_same_chat_from_s3_cloudwatch_and_a_folder() -> None:
    """In moto: the spam is gone everywhere, the rude user too when asked, --at cuts the rest."""
    out = run("--demo")
    sections = out.split("From ")
    assert [s.split(" ", 1)[0] for s in sections[1:]] == ["S3", "CloudWatch", "a", "the"]
    for section in sections[1:4]:
        assert "BUY NOW" not in section
        assert "Alice: hi all, stream starting" in section
        assert "Bob: you all are idiots" in section
        assert "[app:poll-started] question=Best map?" in section
    hidden = sections[4]
    assert "Bob:" not in hidden
    assert "thanks for watching" in hidden
    viewer = out.split("What a viewer saw")[1]
    assert "dust2 obviously" in viewer
    assert "you all are idiots" not in viewer


def test_a_folder_of_logs(tmp_path: Path) -> None:
    """--dir reads what ivschat-local --logs-dir (or aws s3 sync) leaves, with a time window."""
    items = conversation(datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc))
    path = tmp_path / s3_object_key(ROOM_ARN, datetime(2024, 5, 1, 12, 5, tzinfo=timezone.utc))
    path.parent.mkdir(parents=True)
    path.write_bytes(gzip.compress(b"".join((format_log_record(i) + "\n").encode() for i in items)))
    out = run("--dir", str(tmp_path), "--room", ROOM_ARN, "--hide-disconnected")
    assert "Alice: hello" in out
    assert "Alice: bye" in out
    assert "bob" not in out
    window = run("--dir", str(tmp_path), "--room", ROOM_ARN, "--start", "2024-05-01T12:00:03Z")
    assert "Alice: hello" not in window
    assert "bob: still here" in window
