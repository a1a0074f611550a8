"""Retries belong to botocore: configured explicitly, never wrapped in a second loop."""

from __future__ import annotations

import contextlib
import http.server
import socket
import threading
import time
from typing import Any
from urllib.parse import urlsplit

import pytest
from botocore.config import Config

from ivschat_sdk import (
    NON_IDEMPOTENT_OPERATIONS,
    APIConnectionError,
    APIError,
    InternalServerError,
    IvsChatClient,
    ParamValidationError,
    S3DestinationConfiguration,
    ThrottlingError,
)
from ivschat_sdk.local import LocalIvsChat, WireRequest

from .conftest import wire_request


def test_throttled_call_is_retried_and_succeeds(
    client: IvsChatClient, local: LocalIvsChat, retry_delays: list[float]
) -> None:
    """Two throttles then success: the call succeeds after three requests and two backoffs."""
    room = client.create_room()
    local.call_counts.clear()
    local.fail_next("GetRoom", count=2)
    assert client.get_room(identifier=room) == room
    assert local.call_counts["GetRoom"] == 3
    assert len(retry_delays) == 2


def test_exhausted_retries_raise_throttling_error(
    client: IvsChatClient, local: LocalIvsChat, retry_delays: list[float]
) -> None:
    """With the default 3 attempts, a persistent throttle raises ThrottlingError after 3 requests."""
    local.fail_next("ListRooms", count=10)
    with pytest.raises(ThrottlingError) as info:
        list(client.list_rooms())
    assert local.call_counts["ListRooms"] == 3
    assert info.value.limit == 1


@pytest.mark.parametrize("attempts", [1, 5])
def test_max_attempts_is_configurable(
    attempts: int, local: LocalIvsChat, retry_delays: list[float], boto3_session: object
) -> None:
    """max_attempts counts every request, the first included."""
    client = IvsChatClient(
        region_name="us-west-2", max_attempts=attempts, boto3_session=boto3_session
    )  # type: ignore[arg-type]
    local.fail_next("ListRooms", count=10, error="InternalServerException")
    with pytest.raises(InternalServerError):
        list(client.list_rooms())
    assert local.call_counts["ListRooms"] == attempts


def test_client_errors_are_not_retried(
    client: IvsChatClient, local: LocalIvsChat, retry_delays: list[float]
) -> None:
    """A non-retryable error (404) is sent once."""
    from ivschat_sdk import ResourceNotFoundError

    with pytest.raises(ResourceNotFoundError):
        client.get_room(identifier="arn:aws:ivschat:us-west-2:123456789012:room/AbCdEfGh1234")
    assert local.call_counts["GetRoom"] == 1
    assert retry_delays == []


def test_bad_retry_settings_are_refused() -> None:
    """Retry settings are checked when the client is built."""
    with pytest.raises(ParamValidationError, match="max_attempts"):
        IvsChatClient(region_name="us-west-2", max_attempts=0)
    with pytest.raises(ParamValidationError, match="retry_mode"):
        IvsChatClient(region_name="us-west-2", retry_mode="forever")  # type: ignore[arg-type]
    with pytest.raises(ParamValidationError, match="non_idempotent_retries"):
        IvsChatClient(region_name="us-west-2", non_idempotent_retries="never")  # type: ignore[arg-type]


def test_retry_config_reaches_botocore(boto3_session: object) -> None:
    """The mode and attempts given are the ones botocore uses."""
    client = IvsChatClient(
        region_name="us-west-2", retry_mode="adaptive", max_attempts=7, boto3_session=boto3_session
    )  # type: ignore[arg-type]
    retries = client.boto3_client.meta.config.retries
    assert retries is not None
    assert retries["mode"] == "adaptive"
    assert retries["total_max_attempts"] == 7


# -- non-idempotent calls are never carried out twice -----------------------------------------

ROOM_ARN = "arn:aws:ivschat:us-west-2:123456789012:room/AbCdEfGh1234"


def test_operations_are_classified() -> None:
    """Exactly the three calls that leave a new room, configuration or event are vetoed."""
    from ivschat_sdk._constraints import service_model

    assert set(service_model().operation_names) >= NON_IDEMPOTENT_OPERATIONS
    assert {"CreateRoom", "CreateLoggingConfiguration", "SendEvent"} == NON_IDEMPOTENT_OPERATIONS


def _create(operation: str, client: IvsChatClient, room_arn: str) -> object:
    if operation == "CreateRoom":
        return client.create_room(name="once")
    if operation == "CreateLoggingConfiguration":
        return client.create_logging_configuration(
            destination_configuration=S3DestinationConfiguration(bucket_name="bucket")
        )
    return client.send_event(room_identifier=room_arn, event_name="once")


def _created(operation: str, local: LocalIvsChat) -> int:
    """How many things the emulator made for ``operation`` (for events: requests received)."""
    if operation == "CreateRoom":
        return len(local.handle(wire_request("ListRooms", {})).json()["rooms"])
    if operation == "CreateLoggingConfiguration":
        answer = local.handle(wire_request("ListLoggingConfigurations", {}))
        return len(answer.json()["loggingConfigurations"])
    return local.call_counts["SendEvent"]


@pytest.mark.parametrize("operation", sorted(NON_IDEMPOTENT_OPERATIONS))
@pytest.mark.parametrize("error", ["InternalServerException", "AccessDeniedException"])
def test_non_idempotent_call_is_not_retried_after_a_server_error(
    operation: str,
    error: str,
    client: IvsChatClient,
    local: LocalIvsChat,
    retry_delays: list[float],
) -> None:
    """A 5xx (the service may have acted) is raised at once for a creation: one request."""
    room = client.create_room()
    local.call_counts.clear()
    local.fail_next(operation, error=error)
    with pytest.raises(APIError):
        _create(operation, client, room.arn)
    assert local.call_counts[operation] == 1
    assert retry_delays == []


@pytest.mark.parametrize("operation", sorted(NON_IDEMPOTENT_OPERATIONS))
def test_non_idempotent_call_is_retried_after_throttling(
    operation: str, client: IvsChatClient, local: LocalIvsChat, retry_delays: list[float]
) -> None:
    """Throttling proves the request was refused unprocessed: retried, and done exactly once."""
    room = client.create_room()
    local.call_counts.clear()
    before = _created(operation, local)
    local.fail_next(operation, count=2)
    _create(operation, client, room.arn)
    assert local.call_counts[operation] == 3
    if operation != "SendEvent":  # an event leaves nothing to count but the requests
        assert _created(operation, local) - before == 1
    assert len(retry_delays) == 2


def test_always_retries_non_idempotent_calls_like_the_others(
    local: LocalIvsChat, retry_delays: list[float], boto3_session: object
) -> None:
    """non_idempotent_retries="always" hands every retryable failure back to botocore."""
    client = IvsChatClient(
        region_name="us-west-2",
        boto3_session=boto3_session,  # type: ignore[arg-type]
        non_idempotent_retries="always",
    )
    local.fail_next("CreateRoom", count=2, error="InternalServerException")
    client.create_room()
    assert local.call_counts["CreateRoom"] == 3


def test_idempotent_call_is_still_retried_after_a_server_error(
    client: IvsChatClient, local: LocalIvsChat, retry_delays: list[float]
) -> None:
    """The veto is only for creations: a 5xx on GetRoom is retried as botocore does."""
    room = client.create_room()
    local.fail_next("GetRoom", count=2, error="InternalServerException")
    assert client.get_room(identifier=room) == room
    assert local.call_counts["GetRoom"] == 3


class _Served:
    """The local IVS Chat over HTTP, answering every request in a chosen bad way."""

    def __init__(self, local: LocalIvsChat, behaviour: str) -> None:
        served = self
        self.behaviour = behaviour  # "slow", "reset", or "ok"

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _answer(self) -> None:
                url = urlsplit(self.path)
                length = int(self.headers.get("content-length") or 0)
                answer = local.handle(
                    WireRequest(
                        method=self.command,
                        path=url.path,
                        query=url.query,
                        headers={k.lower(): v for k, v in self.headers.items()},
                        body=self.rfile.read(length),
                    )
                )  # processed: whatever happens next, the service has acted
                served.requests += 1
                behaviour = served.behaviour
                if behaviour == "reset":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if behaviour == "slow":
                    time.sleep(0.6)
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(answer.body)))
                self.end_headers()
                with contextlib.suppress(OSError):  # the client may have given up
                    self.wfile.write(answer.body)
                    self.wfile.flush()

            do_GET = do_POST = do_DELETE = _answer

        self.requests = 0
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _http_client(url: str, **kwargs: Any) -> IvsChatClient:
    return IvsChatClient(
        region_name="us-west-2",
        endpoint_url=url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(connect_timeout=1, read_timeout=0.2),
        **kwargs,
    )


def _first_call(path: str, client: IvsChatClient, operation: str, room_arn: str) -> None:
    """On the direct path, the operation's first call (which makes its plan) goes before."""
    if path == "direct":
        if operation == "GetRoom":
            client.get_room(identifier=room_arn)
        else:
            _create(operation, client, room_arn)
        assert client._direct is not None and client._direct.plan(operation) is not None


@pytest.mark.parametrize("path", ["standard", "direct"])
@pytest.mark.parametrize("behaviour", ["slow", "reset"])
@pytest.mark.parametrize("operation", sorted(NON_IDEMPOTENT_OPERATIONS))
def test_lost_answer_does_not_create_twice(
    operation: str, behaviour: str, path: str, retry_delays: list[float]
) -> None:
    """A lost answer (past read_timeout, or a reset after sending): created once, and raised.

    The request was processed each time, so a retry would have created a second thing.
    """
    local = LocalIvsChat()
    room_arn = local.handle(wire_request("CreateRoom", {})).json()["arn"]
    served = _Served(local, "ok")
    try:
        with _http_client(served.url) as client:
            _first_call(path, client, operation, room_arn)
            served.behaviour, served.requests = behaviour, 0
            local.call_counts.clear()
            before = _created(operation, local)
            with pytest.raises(APIConnectionError):
                _create(operation, client, room_arn)
        assert served.requests == 1
        assert _created(operation, local) - before == 1
        assert retry_delays == []
    finally:
        served.close()


def test_lost_answers_do_create_three_times_when_always_retried(retry_delays: list[float]) -> None:
    """The hazard the default avoids: with "always", one slow CreateRoom made three rooms."""
    local = LocalIvsChat()
    served = _Served(local, "slow")
    try:
        client = _http_client(served.url, non_idempotent_retries="always")
        with client, pytest.raises(APIConnectionError):
            client.create_room()
        assert _created("CreateRoom", local) == 3
    finally:
        served.close()


@pytest.mark.parametrize("path", ["standard", "direct"])
def test_slow_idempotent_call_is_retried(path: str, retry_delays: list[float]) -> None:
    """A read timeout of GetRoom is retried (repeating a read is harmless)."""
    local = LocalIvsChat()
    room_arn = local.handle(wire_request("CreateRoom", {})).json()["arn"]
    served = _Served(local, "ok")
    try:
        with _http_client(served.url) as client:
            _first_call(path, client, "GetRoom", room_arn)
            served.behaviour, served.requests = "slow", 0
            with pytest.raises(APIConnectionError):
                client.get_room(identifier=room_arn)
        assert served.requests == 3
        assert len(retry_delays) == 2
    finally:
        served.close()


def test_refused_connection_is_retried_for_creations(retry_delays: list[float]) -> None:
    """A refused connection sent nothing, so even CreateRoom is retried (3 attempts)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nobody listens there
    with _http_client(f"http://127.0.0.1:{port}") as client, pytest.raises(APIConnectionError):
        client.create_room()
    assert len(retry_delays) == 2


def test_wrapped_client_keeps_its_own_retries(
    local: LocalIvsChat, retry_delays: list[float], raw: Any
) -> None:
    """A boto3 client the caller wraps is used as it is: botocore's retries, unchanged."""
    client = IvsChatClient(boto3_client=raw)
    local.fail_next("CreateRoom", count=2, error="InternalServerException")
    client.create_room()
    assert local.call_counts["CreateRoom"] == 3


# -- the same on the direct path (an operation's calls after its first; see _direct.py) ----


def _warm(client: IvsChatClient, operation: str) -> None:
    """The operation's first call, after which its calls take the direct path."""
    assert client._direct is not None
    try:
        if operation == "GetRoom":
            client.get_room(identifier="arn:aws:ivschat:us-west-2:123456789012:room/AbCdEfGh1234")
        elif operation == "ListRooms":
            list(client.list_rooms())
        else:
            _create(operation, client, "arn:aws:ivschat:us-west-2:123456789012:room/AbCdEfGh1234")
    except APIError:
        pass
    assert client._direct.plan(operation) is not None


def test_direct_call_is_retried_as_botocore_retries(
    client: IvsChatClient, local: LocalIvsChat, retry_delays: list[float]
) -> None:
    """On the direct path, botocore's retry handler still decides: 3 attempts, 2 backoffs."""
    room = client.create_room()
    _warm(client, "GetRoom")
    _warm(client, "ListRooms")
    local.call_counts.clear()
    local.fail_next("GetRoom", count=2)
    assert client.get_room(identifier=room) == room
    assert local.call_counts["GetRoom"] == 3
    assert len(retry_delays) == 2
    local.fail_next("ListRooms", count=10)
    with pytest.raises(ThrottlingError) as info:
        list(client.list_rooms())
    assert local.call_counts["ListRooms"] == 3
    assert info.value.limit == 1


@pytest.mark.parametrize("operation", sorted(NON_IDEMPOTENT_OPERATIONS))
def test_direct_non_idempotent_call_is_vetoed_and_throttling_retried(
    operation: str, client: IvsChatClient, local: LocalIvsChat, retry_delays: list[float]
) -> None:
    """The veto holds on the direct path: a 5xx is raised after one request, throttling retried."""
    room = client.create_room()
    _warm(client, operation)
    local.call_counts.clear()
    local.fail_next(operation, error="InternalServerException")
    with pytest.raises(InternalServerError):
        _create(operation, client, room.arn)
    assert local.call_counts[operation] == 1
    assert retry_delays == []
    before = _created(operation, local)
    local.fail_next(operation, count=2)
    _create(operation, client, room.arn)
    assert local.call_counts[operation] == 4
    if operation != "SendEvent":
        assert _created(operation, local) - before == 1


def test_direct_calls_give_back_the_retry_quota(
    client: IvsChatClient, local: LocalIvsChat, retry_delays: list[float]
) -> None:
    """after-call reaches botocore's retry quota: 150 retried calls never exhaust it.

    The quota holds 500 units and a retry takes 5; only the release on after-call, after
    each success, lets the 101st retry happen.
    """
    room = client.create_room()
    _warm(client, "GetRoom")
    local.call_counts.clear()
    for _ in range(150):
        local.fail_next("GetRoom", count=1)
        client.get_room(identifier=room)
    assert local.call_counts["GetRoom"] == 300


def test_direct_refused_connection_is_retried_for_creations(retry_delays: list[float]) -> None:
    """A refused connection on the direct path: retried, even for CreateRoom."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with _http_client(f"http://127.0.0.1:{port}") as client:
        with pytest.raises(APIConnectionError):
            client.create_room()  # the standard path, which makes the operation's plan
        assert client._direct is not None and client._direct.plan("CreateRoom") is not None
        with pytest.raises(APIConnectionError):
            client.create_room()
    assert len(retry_delays) == 4
