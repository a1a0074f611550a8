"""The AWS SDK for JavaScript v3 (@aws-sdk/client-ivschat) works unchanged against ivschat-local."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from ivschat_sdk.local import LocalServer

from .conftest import JS_DIR


def test_js_sdk_control_plane(server: LocalServer, node_modules: Path) -> None:
    """Every call of the script succeeds, paginateListRooms pages, and errors are typed."""
    result = subprocess.run(
        ["node", str(JS_DIR / "control_plane.mjs"), server.url],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout)
    created = [r["id"] for r in report["created"]]
    assert report["pages"] == [[created[2]], [created[1]], [created[0]]]  # name "pg", newest first
    assert server.emulator.call_counts["ListRooms"] == 3  # stopped on the page without nextToken
    assert report["got"] == 100
    assert report["updated"] == 50
    assert report["token"] == {"length": report["token"]["length"], "expiresIsDate": True}
    assert len(report["eventId"]) == 12
    assert report["tags"] == {"a": "1"}
    assert report["configState"] == "ACTIVE"
    assert report["configs"] == 1
    assert report["validation"]["name"] == "ValidationException"
    assert report["validation"]["status"] == 400
    assert report["validation"]["fieldList"][0]["name"] == "maximumMessageLength"
    assert report["notFound"] == {
        "name": "ResourceNotFoundException", "status": 404, "reason": None,
        "fieldList": None, "resourceType": "ROOM", "attempts": 1,
    }  # fmt: skip
