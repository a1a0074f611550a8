"""The pytest fixtures ivschat-sdk ships: what each gives, its scope and its reset (docs/testing.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SUITE = """
import boto3

from ivschat_sdk import IvsChatClient

servers = []


def on_server(url):
    return boto3.client(
        "ivschat",
        region_name="us-west-2",
        endpoint_url=url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def test_mock_first(local_ivschat):
    IvsChatClient(region_name="us-west-2").create_room(name="a")
    boto3.client("ivschat", region_name="us-west-2").create_room(name="b")
    assert dict(local_ivschat.call_counts) == {"CreateRoom": 2}


def test_mock_is_fresh_each_test(local_ivschat):
    assert boto3.client("ivschat", region_name="us-west-2").list_rooms()["rooms"] == []


def test_url_first(ivschat_local_server, ivschat_local_url):
    servers.append(ivschat_local_server)
    assert ivschat_local_url == ivschat_local_server.url
    on_server(ivschat_local_url).create_room(name="a")
    ivschat_local_server.emulator.fail_next("GetRoom")


def test_server_alone_is_not_reset(ivschat_local_server):
    assert ivschat_local_server is servers[0]
    assert len(on_server(ivschat_local_server.url).list_rooms()["rooms"]) == 1


def test_url_is_reset_each_test(ivschat_local_server, ivschat_local_url):
    assert ivschat_local_server is servers[0]  # one server per session
    assert on_server(ivschat_local_url).list_rooms()["rooms"] == []
    assert dict(ivschat_local_server.emulator.call_counts) == {"ListRooms": 1}
"""


def test_fixtures_scopes_and_resets(tmp_path: Path) -> None:
    """local_ivschat is fresh per test; the server is one per session; its URL is reset per test.

    Run as a separate pytest session on a suite of its own, so that the plugin is loaded
    through its entry point, as in a user's project.
    """
    (tmp_path / "test_suite.py").write_text(SUITE)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_CONFIG_FILE=str(tmp_path / "no-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "no-credentials"),
        AWS_EC2_METADATA_DISABLED="true",
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_suite.py"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "5 passed" in result.stdout
