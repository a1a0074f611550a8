"""The AWS CLI (PyPI awscli) works unchanged against ivschat-local."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from ivschat_sdk.local import LocalServer

pytest.importorskip("awscli", reason="the AWS CLI tests need the awscli package")


def aws(env: dict[str, str], url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "awscli", "ivschat", *args, "--endpoint-url", url, "--output", "json"],
        env=env, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip


def ok(result: subprocess.CompletedProcess[str]) -> Any:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout) if result.stdout.strip() else None


def test_cli_room_lifecycle(server: LocalServer, aws_env: dict[str, str]) -> None:
    """create-room, get-room, list-rooms (with nextToken), create-chat-token, delete-room."""
    url = server.url
    room = ok(aws(aws_env, url, "create-room", "--name", "cli-room", "--maximum-message-length", "42",
                  "--tags", "team=video"))  # fmt: skip
    assert room["arn"].startswith("arn:aws:ivschat:us-west-2:123456789012:room/")
    assert room["maximumMessageLength"] == 42
    assert ok(aws(aws_env, url, "get-room", "--identifier", room["arn"]))["tags"] == {
        "team": "video"
    }
    ok(aws(aws_env, url, "create-room", "--name", "second"))
    first = ok(aws(aws_env, url, "list-rooms", "--max-results", "1"))
    assert [r["name"] for r in first["rooms"]] == ["second"]
    rest = ok(
        aws(aws_env, url, "list-rooms", "--max-results", "1", "--next-token", first["nextToken"])
    )
    assert [r["name"] for r in rest["rooms"]] == ["cli-room"]
    assert "nextToken" not in rest
    token = ok(aws(aws_env, url, "create-chat-token", "--room-identifier", room["arn"],
                   "--user-id", "u1", "--capabilities", "SEND_MESSAGE", "DELETE_MESSAGE"))  # fmt: skip
    assert len(token["token"]) >= 64
    assert token["tokenExpirationTime"].endswith("Z")
    assert ok(aws(aws_env, url, "delete-room", "--identifier", room["arn"])) is None
    gone = aws(aws_env, url, "get-room", "--identifier", room["arn"])
    assert gone.returncode != 0
    assert "ResourceNotFoundException" in gone.stderr


def test_cli_tags_with_reserved_characters(server: LocalServer, aws_env: dict[str, str]) -> None:
    """tag-resource / untag-resource / list-tags-for-resource route on the encoded ARN."""
    url = server.url
    room = ok(aws(aws_env, url, "create-room"))
    tags = json.dumps({"a b/c&d=e": "1", "k:2": "2", "keep": "3"})
    ok(aws(aws_env, url, "tag-resource", "--resource-arn", room["arn"], "--tags", tags))
    ok(aws(aws_env, url, "untag-resource", "--resource-arn", room["arn"],
           "--tag-keys", "a b/c&d=e", "k:2"))  # fmt: skip
    assert ok(aws(aws_env, url, "list-tags-for-resource", "--resource-arn", room["arn"])) == {
        "tags": {"keep": "3"}
    }


def test_cli_gets_the_service_errors(server: LocalServer, aws_env: dict[str, str]) -> None:
    """Limits botocore does not check come back as the modeled ValidationException."""
    bad = aws(aws_env, server.url, "create-room", "--maximum-message-length", "501")
    assert bad.returncode != 0
    assert "ValidationException" in bad.stderr
    assert "maximumMessageLength" in bad.stderr


def test_cli_logging_configurations(server: LocalServer, aws_env: dict[str, str]) -> None:
    """create/get/list/delete-logging-configuration."""
    url = server.url
    config = ok(aws(aws_env, url, "create-logging-configuration",
                    "--destination-configuration", "s3={bucketName=chat-logs}"))  # fmt: skip
    assert config["state"] == "ACTIVE"
    assert ok(aws(aws_env, url, "get-logging-configuration", "--identifier", config["arn"]))[
        "destinationConfiguration"
    ] == {"s3": {"bucketName": "chat-logs"}}
    assert len(ok(aws(aws_env, url, "list-logging-configurations"))["loggingConfigurations"]) == 1
    assert (
        ok(aws(aws_env, url, "delete-logging-configuration", "--identifier", config["arn"])) is None
    )
