"""Clients created at import time, before mock_ivschat() is active (docs/testing.md).

Each scenario runs in a fresh Python process, as a test module's import would: no AWS
credentials, region, profile or config file in the environment unless the scenario sets them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

_REPORT = """
def outcome(call):
    try:
        call()
    except Exception as err:
        cause = err.__cause__
        return [type(err).__name__, type(cause).__name__ if cause is not None else None]
    return "ok"
"""


def _run(tmp_path: Path, script: str, **env: str) -> Any:
    """Run ``script`` in a fresh interpreter with a clean AWS environment; its JSON output."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    clean.update(
        AWS_CONFIG_FILE=str(tmp_path / "no-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "no-credentials"),
        AWS_EC2_METADATA_DISABLED="true",
        AWS_MAX_ATTEMPTS="1",
        **env,
    )
    result = subprocess.run(
        [sys.executable, "-c", _REPORT + textwrap.dedent(script)],
        env=clean, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


_AFTER_TESTING_IMPORT = """
import json
import boto3
import ivschat_sdk.testing  # first, as the pytest plugin does
from ivschat_sdk import IvsChatClient
from ivschat_sdk.testing import mock_ivschat

ours = IvsChatClient(region_name="us-west-2")  # module level: before any mock
raw = boto3.client("ivschat", region_name="us-west-2")

with mock_ivschat() as local:
    report = {
        "ours": outcome(lambda: ours.create_room(name="a")),
        "raw": outcome(lambda: raw.create_room(name="b")),
        "inside": outcome(
            lambda: IvsChatClient(region_name="us-west-2").create_room(name="c")
        ),
        "calls": dict(local.call_counts),
    }
print(json.dumps(report))
"""


def test_import_time_clients_without_credentials_fail_inside_the_mock(tmp_path: Path) -> None:
    """No credentials at creation: calls in the mock fail before reaching it; new clients work.

    botocore resolves credentials when a client is created and signs before the mock's
    handler answers, so the mock's fake credentials come too late for such a client:
    ``IvsChatClient`` raises ``CredentialsError`` (from botocore's ``NoCredentialsError``), a
    raw boto3 client raises ``NoCredentialsError``, and the emulator sees no request.
    """
    report = _run(tmp_path, _AFTER_TESTING_IMPORT)
    assert report == {
        "ours": ["CredentialsError", "NoCredentialsError"],
        "raw": ["NoCredentialsError", None],
        "inside": "ok",
        "calls": {"CreateRoom": 1},
    }


def test_import_time_clients_with_fake_credentials_work_inside_the_mock(tmp_path: Path) -> None:
    """With (fake) credentials in the environment at creation, module-level clients work."""
    report = _run(
        tmp_path,
        _AFTER_TESTING_IMPORT,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
    )
    assert report == {"ours": "ok", "raw": "ok", "inside": "ok", "calls": {"CreateRoom": 3}}


def test_clients_created_before_the_testing_import_are_not_routed(tmp_path: Path) -> None:
    """A client created before ``ivschat_sdk.testing`` is imported goes to its endpoint.

    Its requests are not answered by the mock even while it is active (here the endpoint is
    a closed local port, so the request fails to connect; without ``endpoint_url`` it would
    go to AWS).
    """
    report = _run(
        tmp_path,
        """
        import json
        import boto3
        from ivschat_sdk import IvsChatClient

        early = IvsChatClient(region_name="us-west-2", endpoint_url="http://127.0.0.1:9")
        early_raw = boto3.client(
            "ivschat", region_name="us-west-2", endpoint_url="http://127.0.0.1:9"
        )

        from ivschat_sdk.testing import mock_ivschat

        with mock_ivschat() as local:
            report = {
                "ours": outcome(lambda: early.create_room(name="a")),
                "raw": outcome(lambda: early_raw.create_room(name="b")),
                "calls": dict(local.call_counts),
            }
        print(json.dumps(report))
        """,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
    )
    assert report == {
        "ours": ["APIConnectionError", "EndpointConnectionError"],
        "raw": ["EndpointConnectionError", None],
        "calls": {},
    }


def test_import_time_clients_without_a_region_fail_at_creation(tmp_path: Path) -> None:
    """No region anywhere: creating the client fails at once, before any mock can help."""
    report = _run(
        tmp_path,
        """
        import json
        import boto3
        import ivschat_sdk.testing
        from ivschat_sdk import IvsChatClient

        print(json.dumps({
            "ours": outcome(lambda: IvsChatClient()),
            "raw": outcome(lambda: boto3.client("ivschat")),
        }))
        """,
    )
    assert report == {
        "ours": ["ConfigurationError", "NoRegionError"],
        "raw": ["NoRegionError", None],
    }
