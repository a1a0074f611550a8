"""The local IVS Chat's modules import one another top-down only: no cycle, no upward import."""

from __future__ import annotations

import ast
from pathlib import Path

import ivschat_sdk.local

LOCAL = Path(ivschat_sdk.local.__file__).parent

# Each module, and the modules of ivschat_sdk.local it may import (lower layers only).
LAYERS: dict[str, set[str]] = {
    "_cli": {"_emulator", "_errors", "_lambda", "_server", "_store"},
    "_server": {"_emulator", "_chat", "_records"},
    "_emulator": {"_backend", "_chat", "_errors", "_lambda", "_rates", "_records", "_store"},
    "_backend": {"_chat", "_chat_logs", "_errors", "_rates", "_records", "_store"},
    "_lambda": {"_chat"},  # Lambda handlers as the chat hub's review handlers
    "_chat": {"_chat_logs", "_records"},
    "_store": {"_records"},
    "_chat_logs": {"_records"},  # chat logging, beside the state store
    "_records": set(),
    "_errors": set(),
    "_rates": set(),
}


def _local_imports(module: str) -> set[str]:
    tree = ast.parse((LOCAL / f"{module}.py").read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_every_module_has_a_layer() -> None:
    """Each private module of ivschat_sdk.local is placed in the layer table."""
    modules = {p.stem for p in LOCAL.glob("_*.py")} - {"__init__", "__main__"}
    assert modules <= set(LAYERS), modules - set(LAYERS)


def test_modules_import_only_lower_layers() -> None:
    """server -> emulator -> backend -> chat hub and state store -> records: nothing upward.

    In particular the backend and the chat hub no longer import each other.
    """
    for module, allowed in LAYERS.items():
        if (LOCAL / f"{module}.py").exists():
            assert _local_imports(module) <= allowed, (module, _local_imports(module) - allowed)
    assert "_backend" not in _local_imports("_chat")
