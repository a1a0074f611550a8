"""The official chat client, amazon-ivs-chat-messaging (on `ws` in Node), works unchanged."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from ivschat_sdk.local import LocalServer

from .conftest import JS_DIR


def test_official_chat_client(server: LocalServer, node_modules: Path) -> None:
    """Connect, send, receive, refusals, events, delete, disconnect: all as the SDK expects."""
    result = subprocess.run(
        ["node", str(JS_DIR / "chat_messaging.mjs"), server.url, server.ws_url],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    report = json.loads(result.stdout)
    assert report["states"] == ["connected", "connected"]
    assert report["sent"]["content"] == "hello world"
    assert report["sent"]["attributes"] == {"color": "red"}
    assert report["sent"]["sender"] == {"userId": "alice", "attributes": {"displayName": "ALICE"}}
    assert report["received"] == {
        "id": report["sent"]["id"],
        "content": "hello world",
        "sendTimeIsDate": True,
    }
    assert report["forbidden"] == {"errorCode": 403, "requestIdMatches": True}
    assert report["tooLong"] == 400
    assert report["event"] == {"eventName": "app:poll", "attributes": {"q": "1"}}
    assert report["deleted"] == {
        "messageId": report["sent"]["id"],
        "reason": "spam",
        "bobSaw": report["sent"]["id"],
    }
    assert report["kicked"] == {"userId": "bob", "reason": "rude", "bobSaw": "bob"}
    assert report["bobDisconnectReason"] == "serverDisconnect"
    assert report["aliceDisconnectReason"] == "clientDisconnect"
