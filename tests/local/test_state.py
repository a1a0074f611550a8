"""Durable state: every acknowledged write survives kill -9; bad state files are refused at start."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from ivschat_sdk.local import LocalIvsChat, _cli
from ivschat_sdk.local._store import APPLICATION_ID, StateStore, read_state_file

from ..conftest import wire_request

FIXTURE = Path(__file__).parent / "data" / "state_v1.json"
"""A JSON --state file written by the save_state of the version before the SQLite store."""


def start(*args: str) -> tuple[subprocess.Popen[str], str]:
    """Start ``python -m ivschat_sdk.local --port 0 ARGS``; return it and its URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "ivschat_sdk.local", "--port", "0", "--quiet", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if not line:
        process.kill()
        _, err = process.communicate(timeout=30)
        raise AssertionError(f"ivschat-local did not start: {err}")
    return process, line.rsplit(" ", 1)[1]


def boto3_client(url: str) -> Any:
    """A boto3 ivschat client of ``url`` that never retries: one call, one answer or error."""
    return boto3.client(
        "ivschat", region_name="us-west-2", endpoint_url=url,
        aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret",
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=2, read_timeout=5),
    )  # fmt: skip


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[str]]]:
    """Subprocesses a test starts; any still running at the end are killed."""
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)


def test_kill_9_at_random_moments_loses_no_acknowledged_write(
    tmp_path: Path, processes: list[subprocess.Popen[str]]
) -> None:
    """Five SIGKILLs at random moments under a stream of writes: every answered write is kept.

    Three threads create rooms, tag them and delete some through boto3 (no retries); each
    write answered 200/204 is counted as acknowledged. After each kill the server restarts on
    the same file; at the end every acknowledged room exists with its acknowledged tags (unless
    a deletion of it was sent: one cut off by the kill may have happened) and every
    acknowledged deletion holds.
    """
    state = tmp_path / "state.db"
    rng = random.Random(1234)
    acknowledged_rooms: set[str] = set()
    acknowledged_tags: dict[str, dict[str, str]] = {}
    deleted: set[str] = set()
    delete_sent: set[str] = set()  # a delete cut off by the kill may or may not have happened
    lock = threading.Lock()
    writes = 0

    def writer(url: str, stop: threading.Event, seed: int) -> None:
        nonlocal writes
        client = boto3_client(url)
        local_rng = random.Random(seed)
        mine: list[str] = []
        while not stop.is_set():
            try:
                roll = local_rng.random()
                if roll < 0.5 or not mine:
                    arn = client.create_room(name="r")["arn"]
                    mine.append(arn)
                    with lock:
                        acknowledged_rooms.add(arn)
                        writes += 1
                elif roll < 0.9:
                    arn = local_rng.choice(mine)
                    key = f"k{local_rng.randrange(40)}"
                    client.tag_resource(resourceArn=arn, tags={key: "v"})
                    with lock:
                        acknowledged_tags.setdefault(arn, {})[key] = "v"
                        writes += 1
                else:
                    arn = mine.pop(local_rng.randrange(len(mine)))
                    with lock:
                        delete_sent.add(arn)
                    client.delete_room(identifier=arn)
                    with lock:
                        deleted.add(arn)
                        writes += 1
            except (BotoCoreError, ClientError):
                return  # the server died mid-request: that write was not acknowledged

    for _ in range(5):
        process, url = start("--state", str(state))
        processes.append(process)
        stop = threading.Event()
        threads = [
            threading.Thread(target=writer, args=(url, stop, rng.random())) for _ in range(3)
        ]
        for thread in threads:
            thread.start()
        time.sleep(rng.uniform(0.3, 0.8))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

    process, url = start("--state", str(state))
    processes.append(process)
    client = boto3_client(url)
    kept: dict[str, dict[str, str]] = {}
    page: dict[str, Any] = {"nextToken": ""}
    while "nextToken" in page:
        token = {"nextToken": page["nextToken"]} if page["nextToken"] else {}
        page = client.list_rooms(maxResults=50, **token)
        kept.update((room["arn"], room["tags"]) for room in page["rooms"])
    process.terminate()
    assert writes > 50, writes  # the stream did write
    assert acknowledged_rooms - delete_sent <= set(kept)
    assert not deleted & set(kept)
    for arn, tags in acknowledged_tags.items():
        if arn not in delete_sent:
            assert tags.items() <= kept[arn].items(), arn


def _refusal(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Run the command's ``main(argv)``; expect exit status 2; return its stderr."""
    with pytest.raises(SystemExit) as exc_info:
        _cli.main(["--port", "0", *argv])
    assert exc_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


def _normalized(state: dict[str, Any]) -> dict[str, Any]:
    """A JSON state with its regions and records in a fixed order (the order means nothing)."""
    regions = sorted(state["regions"], key=lambda r: (r["account_id"], r["region"]))
    for region in regions:
        for kind in ("rooms", "logging_configurations"):
            region[kind] = sorted(region[kind], key=lambda r: r["id"])
    return {**state, "regions": regions}


def _make_foreign_sqlite(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE notes (body TEXT)")
    db.commit()
    db.close()


def _make_damaged_state(path: Path) -> None:
    local = LocalIvsChat(state_file=path)
    for i in range(200):
        local.handle(wire_request("CreateRoom", {"name": f"room-{i}", "tags": {"k": "v" * 50}}))
    local.close()
    data = bytearray(path.read_bytes())
    for offset in range(4096, len(data), 997):  # scribble over every page after the first
        data[offset : offset + 16] = b"\xa5" * 16
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: p.write_bytes(os.urandom(3000)), "is not an ivschat-local state file"),
        (lambda p: p.write_text("hello, world\n"), "is not an ivschat-local state file"),
        (_make_foreign_sqlite, "is not an ivschat-local state file"),
        (_make_damaged_state, "the state file is damaged"),
        (lambda p: p.write_text('{"version": 1, "seq": 0, "regions": [}'), "not JSON"),
        (lambda p: p.write_text('{"version": 7}'), "not an ivschat-local state"),
    ],
    ids=["random-bytes", "text", "foreign-sqlite", "damaged-sqlite", "broken-json", "json-v7"],
)
def test_corrupt_or_foreign_state_file_is_refused_at_start_in_one_line(
    make: Any, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file that is not a state file, or a damaged one, ends the command at start.

    Exit status 2, one line on stderr naming the file and what is wrong, no traceback; the
    file itself is left as it was.
    """
    path = tmp_path / "state.db"
    make(path)
    before = path.read_bytes()
    err = _refusal(["--state", str(path)], capsys)
    assert err.startswith(f"ivschat-local: {path}"), err
    assert expected in err, err
    assert path.read_bytes() == before


def test_corrupt_state_file_is_refused_by_the_command_line(tmp_path: Path) -> None:
    """The real command, in its own process, refuses a foreign file: status 2, one line."""
    path = tmp_path / "state.db"
    path.write_bytes(b"\x00\x01 not a database" * 100)
    result = subprocess.run(
        [sys.executable, "-m", "ivschat_sdk.local", "--port", "0", "--state", str(path)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"ivschat-local: {path} is not an ivschat-local state file (neither its SQLite store nor"
        " a JSON state); pass a new file name or remove it\n"
    )


def test_unwritable_state_path_is_refused_at_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A path where no file can be created is refused at start (status 2, one line), not at exit.

    /proc refuses new files even to root; a read-only directory does too for other users.
    """
    err = _refusal(["--state", "/proc/ivschat-local-state.db"], capsys)
    assert err.startswith(
        "ivschat-local: /proc/ivschat-local-state.db: cannot write the state file:"
    )
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        err = _refusal(["--state", str(locked / "state.db")], capsys)
        assert "cannot write the state file: Permission denied" in err


def _wrong_types() -> list[tuple[str, str, Any]]:
    """(record kind, field, a value of the wrong type) for every stored field."""
    return [
        ("rooms", "name", 5),
        ("rooms", "tags", ["env", "dev"]),
        ("rooms", "tags", {"env": 1}),
        ("rooms", "maximum_message_length", "500"),
        ("rooms", "maximum_message_rate_per_second", True),
        ("rooms", "message_review_handler", "arn:aws:lambda:x"),
        ("rooms", "logging_configuration_identifiers", "arn"),
        ("rooms", "create_time", 1700000000),
        ("rooms", "update_time", "yesterday"),
        ("rooms", "update_seq", 1.5),
        ("rooms", "arn", None),
        ("logging_configurations", "destination_configuration", []),
        ("logging_configurations", "state", 1),
        ("logging_configurations", "tags", None),
    ]


@pytest.mark.parametrize(("kind", "field", "value"), _wrong_types())
def test_a_field_of_the_wrong_type_is_refused_at_load(
    kind: str, field: str, value: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """load_state, state_file= and --state refuse a state with one wrongly typed field.

    One line names the field; nothing is loaded (so nothing can answer 500 later).
    """
    data = json.loads(FIXTURE.read_text())
    data["regions"][0][kind][0][field] = value
    path = tmp_path / "state.json"
    path.write_text(json.dumps(data))
    local = LocalIvsChat()
    with pytest.raises(ValueError, match=f"field '{field}' must be") as info:
        local.load_state(path)
    assert "\n" not in str(info.value)
    assert local.export_state()["regions"] == []
    with pytest.raises(ValueError, match=f"field '{field}' must be"):
        LocalIvsChat(state_file=path)
    err = _refusal(["--state", str(path)], capsys)
    assert f"field '{field}' must be" in err
    assert path.read_text() == json.dumps(data)  # not migrated


def test_a_state_file_row_of_the_wrong_type_is_refused(tmp_path: Path) -> None:
    """A state file edited by hand so that a room's tags are a list is refused, in one line."""
    path = tmp_path / "state.db"
    LocalIvsChat(state_file=path).close()
    local = LocalIvsChat(state_file=path)
    room = local.handle(wire_request("CreateRoom", {"name": "a"})).json()
    local.close()
    db = sqlite3.connect(path)
    record = json.loads(db.execute("SELECT record FROM resources").fetchone()[0])
    record["tags"] = ["not", "a", "map"]
    db.execute("UPDATE resources SET record = ?", (json.dumps(record),))
    db.commit()
    db.close()
    with pytest.raises(ValueError, match=f"room '{room['id']}' .*field 'tags' must be"):
        LocalIvsChat(state_file=path)


def test_json_state_of_the_earlier_version_is_migrated_once(tmp_path: Path) -> None:
    """A JSON --state file of the earlier version is loaded, turned into a state file once.

    Its rooms and logging configurations are all served as before (the empty region that
    version saved is dropped), the JSON is kept beside as FILE.v1.json, and opening the file
    again reads the state file without migrating anything.
    """
    path = tmp_path / "state.json"
    shutil.copy(FIXTURE, path)
    expected = json.loads(FIXTURE.read_text())
    expected["regions"] = [
        r for r in expected["regions"] if r["rooms"] or r["logging_configurations"]
    ]
    expected = _normalized(expected)
    local = LocalIvsChat(state_file=path)
    assert _normalized(local.export_state()) == expected
    local.close()
    assert path.read_bytes().startswith(b"SQLite format 3\x00")
    assert (tmp_path / "state.json.v1.json").read_bytes() == FIXTURE.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json", "state.json.v1.json"]
    store = StateStore(path)
    assert store.migrated_from is None
    store.close()
    again = LocalIvsChat(state_file=path)
    assert _normalized(again.export_state()) == expected
    room = expected["regions"][0]["rooms"][0]
    answer = again.handle(wire_request("GetRoom", {"identifier": room["arn"]})).json()
    assert answer["name"] == room["name"] and answer["tags"] == room["tags"]
    again.close()


def test_migrated_json_state_is_served_by_the_command(
    tmp_path: Path, processes: list[subprocess.Popen[str]]
) -> None:
    """ivschat-local --state OLD.json says it migrated the file, then serves its rooms."""
    path = tmp_path / "state.json"
    shutil.copy(FIXTURE, path)
    process, url = start("--state", str(path))
    processes.append(process)
    names = sorted(r["name"] for r in boto3_client(url).list_rooms()["rooms"])
    process.terminate()
    _, err = process.communicate(timeout=30)
    assert names == ["lobby-2", "reviewed"]
    assert f"migrated the JSON state {path} to a state file" in err


def test_save_state_and_load_state_keep_working(tmp_path: Path) -> None:
    """save_state writes JSON atomically (nothing left beside it); load_state reads either format."""
    local = LocalIvsChat()
    room = local.handle(wire_request("CreateRoom", {"name": "kept", "tags": {"k": "v"}})).json()
    saved = tmp_path / "saved.json"
    saved.write_text("old content")
    local.save_state(saved)
    assert json.loads(saved.read_text())["version"] == 1
    assert [p.name for p in tmp_path.iterdir()] == ["saved.json"]
    from_json = LocalIvsChat()
    from_json.load_state(saved)
    assert from_json.handle(wire_request("GetRoom", {"identifier": room["arn"]})).json() == room

    durable = LocalIvsChat(state_file=tmp_path / "state.db")
    durable.load_state(saved)  # into a store: written through
    durable.close()
    from_store = LocalIvsChat()
    from_store.load_state(tmp_path / "state.db")
    assert from_store.handle(wire_request("GetRoom", {"identifier": room["arn"]})).json() == room
    assert read_state_file(tmp_path / "state.db")[1].keys() == {("123456789012", "us-west-2")}


def test_state_file_is_sqlite_in_wal_mode_with_its_application_id(tmp_path: Path) -> None:
    """The file is SQLite in WAL mode, marked with ivschat-local's application id."""
    path = tmp_path / "state.db"
    local = LocalIvsChat(state_file=path)
    local.handle(wire_request("CreateRoom", {"name": "a"}))
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert db.execute("SELECT count(*) FROM resources").fetchone()[0] == 1  # committed already
    db.close()
    local.close()


def test_a_write_that_cannot_be_stored_is_not_acknowledged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the store cannot be written (a full disk), the write gets 500 and is undone.

    What is served afterwards is what is stored: the room that could not be saved is not there.
    """
    local = LocalIvsChat(state_file=tmp_path / "state.db")
    kept = local.handle(wire_request("CreateRoom", {"name": "kept"})).json()
    store = local._backend.store
    assert store is not None

    def full(*args: Any) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store, "write", full)
    answer = local.handle(wire_request("CreateRoom", {"name": "lost"}))
    assert answer.status == 500
    assert answer.headers["x-amzn-ErrorType"] == "InternalServerException"
    tagged = local.handle(
        wire_request("TagResource", {"resourceArn": kept["arn"], "tags": {"x": "y"}})
    )
    assert tagged.status == 500
    monkeypatch.undo()
    rooms = local.handle(wire_request("ListRooms", {})).json()["rooms"]
    assert [(r["name"], r["tags"]) for r in rooms] == [("kept", {})]
    local.close()
