"""The state store of the local IVS Chat: rooms and logging configurations on disk.

A state file is an SQLite database (the standard library's ``sqlite3``) in WAL mode. Every
acknowledged write is one transaction, committed before the request is answered, so a
``kill -9`` at any moment loses nothing that was answered, and leaves a file that opens.

Durability: ``synchronous=NORMAL`` by default. In WAL mode a commit then writes the
transaction to the WAL file without waiting for the disk: once the write call returns, the
transaction is in the operating system's page cache, so it survives the process being killed
in any way (SIGKILL, a crash, the OOM killer), which is the failure this emulator is built
to survive; what it does not survive is the machine losing power or the kernel crashing
before the cache reaches the disk (the last transactions may then be lost, but the file still
opens, consistent). ``synchronous=FULL`` (``--state-sync full``) also waits for the disk on
each commit, for setups where power loss matters; it costs one fsync per write.

The file carries SQLite's ``application_id`` (:data:`APPLICATION_ID`) and ``user_version``
(:data:`SCHEMA_VERSION`); a file without them, or that SQLite cannot read, is refused when
it is opened. A JSON file written by the earlier ``--state`` (``{"version": 1, ...}``) is
migrated once: its contents are checked, written to a new SQLite file beside it, the JSON is
kept as ``FILE.v1.json`` and the new file takes its name in one atomic rename.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ._records import (
    LoggingConfiguration,
    RegionState,
    Room,
    logging_configuration_from_data,
    record_data,
    room_from_data,
)

__all__ = [
    "APPLICATION_ID",
    "SCHEMA_VERSION",
    "Regions",
    "StateStore",
    "read_state_file",
    "state_from_json",
    "state_to_json",
    "write_json_atomically",
]

_log = logging.getLogger("ivschat_sdk.local")

APPLICATION_ID = 0x49564348
"""SQLite's ``application_id`` of a state file (``IVCH`` in ASCII)."""
SCHEMA_VERSION = 2
"""SQLite's ``user_version`` of a state file; 1 was the JSON format."""
SYNC_MODES = ("normal", "full")
"""The ``synchronous`` settings a store may use."""

Regions = dict[tuple[str, str], RegionState]
"""Resources by (account id, region)."""
Change = tuple[str, str, str, str, "Room | LoggingConfiguration | None"]
"""(account id, region, kind, id, the record or None for a deletion)."""

_SQLITE_MAGIC = b"SQLite format 3\x00"
_SCHEMA = """
CREATE TABLE resources (
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('room', 'logging-configuration')),
    id TEXT NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (account_id, region, kind, id)
) WITHOUT ROWID;
CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO meta (key, value) VALUES ('seq', 0);
"""
_KINDS = {"room": "rooms", "logging-configuration": "logging_configurations"}


def state_from_json(data: Any) -> tuple[int, Regions]:
    """The resources of a JSON state (``export_state``'s form, version 1), every field checked.

    Raises:
        ValueError: It is not such a state; the message says what is wrong, in one line.

    """
    if not isinstance(data, dict) or data.get("version") != 1:
        raise ValueError('not an ivschat-local state (a JSON object with "version": 1)')
    seq = data.get("seq")
    if isinstance(seq, bool) or not isinstance(seq, int):
        raise ValueError("not an ivschat-local state: 'seq' must be a whole number")
    entries = data.get("regions")
    if not isinstance(entries, list):
        raise ValueError("not an ivschat-local state: 'regions' must be a list")
    regions: Regions = {}
    for entry in entries:
        if not isinstance(entry, dict):
            raise ValueError("not an ivschat-local state: each region must be an object")
        account_id, region = entry.get("account_id"), entry.get("region")
        if not isinstance(account_id, str) or not isinstance(region, str):
            raise ValueError(
                "not an ivschat-local state: a region's account_id and region must be strings"
            )
        rooms, configs = entry.get("rooms", []), entry.get("logging_configurations", [])
        if not isinstance(rooms, list) or not isinstance(configs, list):
            raise ValueError(
                f"not an ivschat-local state: rooms and logging_configurations of "
                f"{account_id}/{region} must be lists"
            )
        state = regions.setdefault((account_id, region), RegionState(account_id, region))
        for raw in rooms:
            room = room_from_data(raw, account_id, region)
            state.rooms[room.id] = room
        for raw in configs:
            config = logging_configuration_from_data(raw, account_id, region)
            state.logging_configurations[config.id] = config
    return seq, {key: state for key, state in regions.items() if not state.empty()}


def state_to_json(seq: int, regions: Mapping[tuple[str, str], RegionState]) -> dict[str, Any]:
    """Resources as a JSON state (version 1); regions without resources are left out."""
    return {
        "version": 1,
        "seq": seq,
        "regions": [
            {
                "account_id": state.account_id,
                "region": state.region,
                "rooms": [record_data(r) for r in state.rooms.values()],
                "logging_configurations": [
                    record_data(c) for c in state.logging_configurations.values()
                ],
            }
            for state in regions.values()
            if not state.empty()
        ],
    }


def _fsync_directory(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - a platform without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse it
        pass
    finally:
        os.close(fd)


def write_json_atomically(path: Path, data: Any) -> None:
    """Write JSON to ``path`` so that it holds either the old or the whole new content.

    The text goes to a temporary file beside it, reaches the disk, then takes its name.
    """
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent.resolve())


def _describe(err: BaseException) -> str:
    if isinstance(err, OSError) and err.strerror:
        return err.strerror
    return str(err) or type(err).__name__


def _sniff(path: Path) -> str:
    """``"missing"``, ``"empty"``, ``"sqlite"``, ``"json"`` or ``"other"``."""
    try:
        with open(path, "rb") as f:
            head = f.read(64)
    except FileNotFoundError:
        return "missing"
    except OSError as err:
        raise ValueError(f"{path}: cannot read the state file: {_describe(err)}") from None
    if not head:
        return "empty"
    if head.startswith(_SQLITE_MAGIC):
        return "sqlite"
    if head.lstrip()[:1] == b"{":
        return "json"
    return "other"


def _not_ours(path: Path) -> ValueError:
    return ValueError(
        f"{path} is not an ivschat-local state file (neither its SQLite store nor a JSON state);"
        " pass a new file name or remove it"
    )


def _load(db: sqlite3.Connection) -> tuple[int, Regions]:
    regions: Regions = {}
    row = db.execute("SELECT value FROM meta WHERE key = 'seq'").fetchone()
    seq = row[0] if row is not None and isinstance(row[0], int) else 0
    query = "SELECT account_id, region, kind, id, record FROM resources"
    for account_id, region, kind, resource_id, text in db.execute(query):
        if not all(isinstance(v, str) for v in (account_id, region, kind, resource_id, text)):
            raise ValueError(f"a row of {kind!r} {resource_id!r} holds a non-text column")
        try:
            raw = json.loads(text)
        except ValueError:
            raise ValueError(f"{kind} {resource_id!r} is not JSON") from None
        if not isinstance(raw, dict) or raw.get("id") != resource_id:
            raise ValueError(f"{kind} {resource_id!r} does not hold that {kind}'s record")
        state = regions.setdefault((account_id, region), RegionState(account_id, region))
        if kind == "room":
            room = room_from_data(raw, account_id, region)
            state.rooms[room.id] = room
        else:
            config = logging_configuration_from_data(raw, account_id, region)
            state.logging_configurations[config.id] = config
    return seq, regions


def _check_ours(db: sqlite3.Connection, path: Path) -> bool:
    """Whether the database is a state file (True) or new and empty (False); else raise."""
    application_id = db.execute("PRAGMA application_id").fetchone()[0]
    tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if application_id == 0 and tables == 0:
        return False
    if application_id != APPLICATION_ID:
        raise _not_ours(path)
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version != SCHEMA_VERSION:
        raise ValueError(
            f"{path}: a state file of format {version}, which this version of ivschat-local"
            f" does not read (it reads format {SCHEMA_VERSION})"
        )
    problem = db.execute("PRAGMA quick_check").fetchone()[0]
    if problem != "ok":
        raise ValueError(f"{path}: the state file is damaged: {problem}")
    return True


def read_state_file(path: str | os.PathLike[str]) -> tuple[int, Regions]:
    """The resources in a state file of either format, read only, every field checked.

    Raises:
        ValueError: The file is not a state file, is damaged, or holds wrong fields.
        OSError: The file cannot be read.

    """
    path = Path(path)
    kind = _sniff(path)
    if kind == "missing":
        raise FileNotFoundError(2, "No such file or directory", str(path))
    if kind == "json":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, ValueError) as err:
            raise ValueError(f"{path}: not JSON: {err}") from None
        try:
            return state_from_json(data)
        except ValueError as err:
            raise ValueError(f"{path}: {err}") from None
    if kind != "sqlite":
        raise _not_ours(path)
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as err:
        raise ValueError(f"{path}: cannot open the state file: {err}") from None
    try:
        if not _check_ours(db, path):
            raise _not_ours(path)
        return _load(db)
    except sqlite3.DatabaseError as err:
        raise ValueError(f"{path}: the state file is damaged: {err}") from None
    except ValueError as err:
        if str(err).startswith(str(path)):
            raise
        raise ValueError(f"{path}: {err}") from None
    finally:
        db.close()


class StateStore:
    """An open state file: loads it, then applies each write as one committed transaction.

    Args:
        path: The file; created if missing, migrated if it is a JSON state.
        sync: ``"normal"`` (survives any kill of the process) or ``"full"`` (also waits
            for the disk on each commit: survives power loss).

    Raises:
        ValueError: The file is not a state file, is damaged, holds wrong fields, or cannot
            be written; the message says which, in one line, naming the file.

    """

    def __init__(self, path: str | os.PathLike[str], *, sync: str = "normal") -> None:
        if sync not in SYNC_MODES:
            raise ValueError(f"sync must be one of {', '.join(SYNC_MODES)}, not {sync!r}")
        self.path = Path(path)
        self.migrated_from: Path | None = None
        """Where the JSON state this file was migrated from was kept, if it was."""
        kind = _sniff(self.path)
        if kind == "other":
            raise _not_ours(self.path)
        if kind == "json":
            self._migrate()
        self._db = self._open(sync)
        try:
            self.seq, self.regions = self._read()
        except BaseException:
            self._db.close()
            raise

    def _open(self, sync: str) -> sqlite3.Connection:
        path = self.path
        try:  # creating the file first gives the system's reason when that is refused
            with open(path, "ab"):
                pass
        except OSError as err:
            raise ValueError(f"{path}: cannot write the state file: {_describe(err)}") from None
        try:
            db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as err:
            raise ValueError(f"{path}: cannot open the state file: {err}") from None
        try:
            fresh = not _check_ours(db, path)
            mode = db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if mode != "wal":  # pragma: no cover - a file system without shared memory
                raise ValueError(f"{path}: the state file cannot use WAL mode (got {mode})")
            db.execute(f"PRAGMA synchronous={sync.upper()}")
            # Prove the file can be written now, not at the first request.
            db.execute("BEGIN IMMEDIATE")
            if fresh:
                self._create(db)
            else:
                db.execute("UPDATE meta SET value = value WHERE key = 'seq'")
            db.execute("COMMIT")
        except sqlite3.OperationalError as err:
            db.close()
            text = str(err)
            if "readonly" in text or "unable to open" in text or "disk I/O" in text:
                raise ValueError(f"{path}: cannot write the state file: {text}") from None
            raise ValueError(f"{path}: cannot use the state file: {text}") from None
        except sqlite3.DatabaseError as err:
            db.close()
            raise ValueError(f"{path}: the state file is damaged: {err}") from None
        except BaseException:
            db.close()
            raise
        return db

    @staticmethod
    def _create(db: sqlite3.Connection) -> None:
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                db.execute(statement)
        db.execute(f"PRAGMA application_id={APPLICATION_ID}")
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def _read(self) -> tuple[int, Regions]:
        try:
            return _load(self._db)
        except sqlite3.DatabaseError as err:
            raise ValueError(f"{self.path}: the state file is damaged: {err}") from None
        except ValueError as err:
            raise ValueError(f"{self.path}: {err}") from None

    def _migrate(self) -> None:
        """Turn a JSON state into a state file, keeping the JSON beside it."""
        path = self.path
        seq, regions = read_state_file(path)
        temporary = path.with_name(f".{path.name}.migrating")
        for leftover in (temporary, Path(f"{temporary}-journal")):
            leftover.unlink(missing_ok=True)
        try:
            db = sqlite3.connect(temporary, isolation_level=None)
            try:
                db.execute("PRAGMA synchronous=FULL")
                db.execute("BEGIN IMMEDIATE")
                self._create(db)
                _write_all(db, seq, regions)
                db.execute("COMMIT")
            finally:
                db.close()
            backup = path.with_name(path.name + ".v1.json")
            data = path.read_bytes()
            with open(backup, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(temporary, path)
        except (OSError, sqlite3.Error) as err:
            temporary.unlink(missing_ok=True)
            raise ValueError(
                f"{path}: cannot migrate the JSON state to a state file: {_describe(err)}"
            ) from None
        _fsync_directory(path.parent.resolve())
        self.migrated_from = backup
        _log.warning(
            "ivschat-local: migrated the JSON state %s to a state file; the JSON is kept as %s",
            path,
            backup,
        )

    def write(self, seq: int, changes: Iterable[Change]) -> None:
        """Apply changes in one transaction, committed when this returns.

        Raises:
            sqlite3.Error, OSError: Nothing was written (the transaction is rolled back).

        """
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            for account_id, region, kind, resource_id, item in changes:
                if item is None:
                    db.execute(
                        "DELETE FROM resources WHERE account_id = ? AND region = ?"
                        " AND kind = ? AND id = ?",
                        (account_id, region, kind, resource_id),
                    )
                else:
                    db.execute(
                        "INSERT OR REPLACE INTO resources VALUES (?, ?, ?, ?, ?)",
                        (account_id, region, kind, resource_id, _dump(item)),
                    )
            db.execute("UPDATE meta SET value = ? WHERE key = 'seq'", (seq,))
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

    def replace(self, seq: int, regions: Mapping[tuple[str, str], RegionState]) -> None:
        """Replace every resource in one committed transaction."""
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("DELETE FROM resources")
            _write_all(db, seq, regions)
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

    def reload(self) -> tuple[int, Regions]:
        """What the file holds now (after a failed write, to drop what was not saved)."""
        return self._read()

    def close(self) -> None:
        """Close the file (idempotent); its WAL is folded into it."""
        self._db.close()


def _dump(item: Room | LoggingConfiguration) -> str:
    return json.dumps(record_data(item), separators=(",", ":"))


def _write_all(
    db: sqlite3.Connection, seq: int, regions: Mapping[tuple[str, str], RegionState]
) -> None:
    rows: list[tuple[str, str, str, str, str]] = []
    for state in regions.values():
        for room in state.rooms.values():
            rows.append((state.account_id, state.region, "room", room.id, _dump(room)))
        for config in state.logging_configurations.values():
            rows.append(
                (state.account_id, state.region, "logging-configuration", config.id, _dump(config))
            )
    db.executemany("INSERT OR REPLACE INTO resources VALUES (?, ?, ?, ?, ?)", rows)
    db.execute("UPDATE meta SET value = ? WHERE key = 'seq'", (seq,))
