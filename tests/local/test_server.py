"""ivschat-local over real HTTP: LocalServer, the command line, and the pytest fixtures."""

from __future__ import annotations

import http.client
import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

import boto3
import pytest

from ivschat_sdk import IvsChatClient, ResourceNotFoundError, ThrottlingError
from ivschat_sdk.local import API_RATE_LIMITS, LocalIvsChat, LocalServer
from ivschat_sdk.local._store import read_state_file

from ..conftest import AUTHORIZATION, wire_request


def send(
    url: str, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One raw HTTP request; returns (status, headers, body)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as s:
        yield s


def client_for(url: str, **kwargs: object) -> IvsChatClient:
    return IvsChatClient(
        region_name="us-west-2", endpoint_url=url, aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret", **kwargs,  # type: ignore[arg-type]
    )  # fmt: skip


def test_our_client_over_http(server: LocalServer) -> None:
    """The typed client works over HTTP: rooms, pages, tokens, tags, typed errors."""
    client = client_for(server.url)
    rooms = [client.create_room(name=f"r{i}", tags={"a b/c": "1"}) for i in range(3)]
    assert [r.arn for r in client.list_rooms(page_size=2)] == [r.arn for r in reversed(rooms)]
    client.untag_resource(resource_arn=rooms[0], tag_keys=["a b/c"])
    assert client.list_tags_for_resource(resource_arn=rooms[0]) == {}
    token = client.create_chat_token(room_identifier=rooms[0], user_id="u")
    assert server.emulator.redeem_chat_token(token.token) is not None
    client.delete_room(identifier=rooms[0])
    with pytest.raises(ResourceNotFoundError):
        client.get_room(identifier=rooms[0])


def test_plain_boto3_over_http(server: LocalServer) -> None:
    """A plain boto3 client with endpoint_url gets modeled errors with their members."""
    raw = boto3.client("ivschat", region_name="eu-west-1", endpoint_url=server.url,
                       aws_access_key_id="x", aws_secret_access_key="y")  # fmt: skip
    assert raw.create_room()["arn"].startswith("arn:aws:ivschat:eu-west-1:")
    with pytest.raises(raw.exceptions.ValidationException) as info:
        raw.create_chat_token(roomIdentifier="arn:aws:ivschat:eu-west-1:1:room/x", userId="u",
                              sessionDurationInMinutes=181)  # fmt: skip
    assert info.value.response["fieldList"][0]["name"] == "sessionDurationInMinutes"


@pytest.mark.parametrize(
    ("method", "path", "body", "headers", "status", "code"),
    [
        ("POST", "/ListRooms", b"{}", {}, 403, "MissingAuthenticationTokenException"),
        ("POST", "/CreateRoom", b"{not json", {"Authorization": AUTHORIZATION}, 400, "SerializationException"),
        ("POST", "/CreateRoom", b"\xff\xfe", {"Authorization": AUTHORIZATION}, 400, "SerializationException"),
        ("POST", "/Nope", b"{}", {"Authorization": AUTHORIZATION}, 400, "ValidationException"),
        ("PATCH", "/CreateRoom", b"{}", {"Authorization": AUTHORIZATION}, 400, "ValidationException"),
        ("GET", "/", b"", {"Authorization": AUTHORIZATION}, 400, "ValidationException"),
        ("GET", "/tags/%E0%A4%A", b"", {"Authorization": AUTHORIZATION}, 400, "ValidationException"),
        ("POST", "/CreateRoom", b'{"name": "' + b"x" * (2 * 1024 * 1024) + b'"}',
         {"Authorization": AUTHORIZATION}, 413, "RequestEntityTooLargeException"),
    ],
)  # fmt: skip
def test_bad_http_requests_get_aws_errors(
    server: LocalServer,
    method: str,
    path: str,
    body: bytes,
    headers: dict[str, str],
    status: int,
    code: str,
) -> None:
    """Bad requests get the 4xx AWS would send, with a JSON body; the server keeps serving."""
    got, response_headers, response_body = send(server.url, method, path, body, headers)
    assert got == status
    assert response_headers["x-amzn-ErrorType"] == code
    assert json.loads(response_body)["message"]
    assert send(server.url, "POST", "/ListRooms", b"{}", {"Authorization": AUTHORIZATION})[0] == 200


def test_rate_limits_throttle_above_the_quota() -> None:
    """With rate_limits, the 6th room call within a second is throttled; a second later it passes."""
    now = [datetime(2026, 1, 1, tzinfo=timezone.utc)]
    local = LocalIvsChat(rate_limits=True, clock=lambda: now[0])
    statuses = [local.handle(wire_request("ListRooms", {})).status for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    assert (
        local.handle(wire_request("ListRooms", {})).json()["limit"] == API_RATE_LIMITS["ListRooms"]
    )
    assert local.handle(wire_request("CreateRoom", {})).status == 200  # per operation
    now[0] += timedelta(seconds=1)
    assert local.handle(wire_request("ListRooms", {})).status == 200


def test_rate_limits_surface_as_throttling_error(retry_delays: list[float]) -> None:
    """Our client, retrying within the same second, ends with ThrottlingError."""
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    with LocalServer(LocalIvsChat(rate_limits=True, clock=lambda: now)) as server:
        client = client_for(server.url)
        for _ in range(5):
            client.create_room()
        with pytest.raises(ThrottlingError):
            client.create_room()


def test_forced_region_and_state_round_trip(tmp_path: Path) -> None:
    """A forced region names every ARN; save_state/load_state keep rooms across instances."""
    local = LocalIvsChat(region="ap-south-1", account_id="111122223333")
    room = local.handle(wire_request("CreateRoom", {"name": "kept", "tags": {"k": "v"}})).json()
    assert room["arn"].startswith("arn:aws:ivschat:ap-south-1:111122223333:room/")
    local.save_state(tmp_path / "state.json")
    again = LocalIvsChat(region="ap-south-1", account_id="111122223333")
    again.load_state(tmp_path / "state.json")
    assert again.handle(wire_request("GetRoom", {"identifier": room["arn"]})).json() == room
    (tmp_path / "bad.json").write_text('{"version": 99}')
    with pytest.raises(ValueError, match="state"):
        again.load_state(tmp_path / "bad.json")


def start_cli(*args: str) -> tuple[subprocess.Popen[str], str]:
    """Start `python -m ivschat_sdk.local`; return the process and the URL it printed."""
    process = subprocess.Popen(
        [sys.executable, "-m", "ivschat_sdk.local", "--port", "0", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    assert line.startswith("ivschat-local listening on http://127.0.0.1:"), line
    return process, line.rsplit(" ", 1)[1]


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_cli_serves_logs_and_stops_cleanly(stop_signal: int, tmp_path: Path) -> None:
    """The command prints its URL, logs one line per request, stops on a signal, keeps state."""
    state = tmp_path / "state.json"
    process, url = start_cli(
        "--region", "eu-west-1", "--account-id", "210987654321", "--state", str(state)
    )
    try:
        room = client_for(url).create_room(name="persisted")
        assert room.arn.startswith("arn:aws:ivschat:eu-west-1:210987654321:room/")
    finally:
        process.send_signal(stop_signal)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert '"POST /CreateRoom HTTP/1.1" 200' in stderr
    regions = read_state_file(state)[1]
    assert [r.name for r in regions[("210987654321", "eu-west-1")].rooms.values()] == ["persisted"]

    process, url = start_cli(
        "--state", str(state), "--region", "eu-west-1", "--account-id", "210987654321"
    )
    try:
        assert [r.name for r in client_for(url).list_rooms()] == ["persisted"]
    finally:
        process.terminate()
        process.communicate(timeout=30)


def test_cli_fault_injection_flag(retry_delays: list[float]) -> None:
    """--fail OPERATION:COUNT:ERROR makes the next calls fail as asked."""
    process, url = start_cli("--fail", "ListRooms:1:AccessDeniedException", "--quiet")
    try:
        from ivschat_sdk import AccessDeniedError

        with pytest.raises(AccessDeniedError):
            list(client_for(url).list_rooms())
        assert list(client_for(url).list_rooms()) == []
    finally:
        process.terminate()
        process.communicate(timeout=30)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--fail", "ListRooms:x"], "COUNT must be a whole number"),
        (["--fail", "ListRooms:1:Oops"], "unknown error"),
        (["--fail", "NoSuchOperation"], "unknown operation"),
        (["--account-id", "12"], "12 digits"),
    ],
)
def test_cli_refuses_bad_options(args: list[str], message: str) -> None:
    """Bad options end the command at once with a clear message and a non-zero status."""
    result = subprocess.run(
        [sys.executable, "-m", "ivschat_sdk.local", "--port", "0", *args],
        capture_output=True, text=True, check=False, timeout=30,
    )  # fmt: skip
    assert result.returncode != 0
    assert message in result.stderr


def test_cli_port_in_use_is_a_clear_error(server: LocalServer) -> None:
    """Asking for a port that is taken fails with a message naming it."""
    port = str(urlsplit(server.url).port)
    result = subprocess.run(
        [sys.executable, "-m", "ivschat_sdk.local", "--port", port],
        capture_output=True, text=True, check=False, timeout=30,
    )  # fmt: skip
    assert result.returncode != 0
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr


def test_console_script_is_installed() -> None:
    """`ivschat-local --help` runs from the install (the console entry point)."""
    exe = Path(sys.executable).parent / "ivschat-local"
    result = subprocess.run(
        [str(exe), "--help"], capture_output=True, text=True, check=False, timeout=30
    )
    assert result.returncode == 0
    assert "--rate-limits" in result.stdout


def test_plugin_in_process_fixture(local_ivschat: LocalIvsChat) -> None:
    """The pytest plugin's local_ivschat fixture routes boto3 clients to a fresh emulator."""
    boto3.client("ivschat", region_name="us-west-2").create_room()
    assert local_ivschat.call_counts["CreateRoom"] == 1


@pytest.mark.parametrize("round_", [1, 2])
def test_plugin_server_fixture_is_reset_between_tests(ivschat_local_url: str, round_: int) -> None:
    """ivschat_local_url serves one session-wide server, emptied before each test."""
    client = client_for(ivschat_local_url)
    assert list(client.list_rooms()) == []
    client.create_room(name=f"round-{round_}")


def test_server_start_errors_are_raised() -> None:
    """A LocalServer that cannot bind raises instead of hanging."""
    with LocalServer() as first:
        port = urlsplit(first.url).port
        assert port is not None
        with pytest.raises(OSError, match="address already in use"):
            LocalServer(port=port).start()


def test_stopped_server_has_no_url() -> None:
    """url is only available while running."""
    server = LocalServer()
    with pytest.raises(RuntimeError, match="not running"):
        _ = server.url


@pytest.mark.parametrize(
    "value", ["no-equals", "arn:aws:lambda:us-west-2:1:function:f=ftp://x", "x=http://y"]
)
def test_cli_refuses_bad_review_handler(value: str) -> None:
    """--review-handler takes LAMBDA_ARN=http(s)://URL."""
    result = subprocess.run(
        [sys.executable, "-m", "ivschat_sdk.local", "--port", "0", "--review-handler", value],
        capture_output=True, text=True, check=False, timeout=30,
    )  # fmt: skip
    assert result.returncode != 0
    assert "LAMBDA_ARN=" in result.stderr
