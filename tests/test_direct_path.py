"""The direct request path sends what botocore's standard path sends, and answers the same.

After an operation's first call, the clients the SDK builds make its requests directly (see
``ivschat_sdk._direct``). These tests hold the direct requests against botocore's: the same
URL, body and headers, a signature botocore's own SigV4 signer agrees with, the same models
and errors from the same answers, and the standard path whenever something the direct path
does not reproduce is in play (a Stubber, an event hook, an instrumentation wrapper).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import functools
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import botocore.client
import botocore.session
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest, AWSResponse
from botocore.compat import HTTPHeaders
from botocore.credentials import Credentials, RefreshableCredentials
from botocore.stub import Stubber

from ivschat_sdk import (
    APIError,
    IvsChatClient,
    MessageReviewHandler,
    S3DestinationConfiguration,
    _direct,
)
from ivschat_sdk.local import LocalIvsChat

from .conftest import wire_request
from .test_fast_path import RECORDED

REGION = "us-west-2"
ROOM = "arn:aws:ivschat:us-west-2:123456789012:room/AbCdEfGh1234"
CONFIG = "arn:aws:ivschat:us-west-2:123456789012:logging-configuration/AbCdEfGh1234"
LAMBDA = "arn:aws:lambda:us-west-2:123456789012:function:review"
TAG_OPERATIONS = {"TagResource", "UntagResource", "ListTagsForResource"}
BODY_OPERATIONS = sorted(set(RECORDED) - TAG_OPERATIONS)
# Per-request values: the time, the signature over it, and the invocation id.
VARYING = {"x-amz-date", "authorization", "amz-sdk-invocation-id"}


def calls(room: str = ROOM, config: str = CONFIG) -> dict[str, Callable[[Any], Any]]:
    """One SDK call per operation, with arguments the service would accept."""
    s3 = S3DestinationConfiguration(bucket_name="bucket")
    return {
        "CreateChatToken": lambda c: c.create_chat_token(
            room_identifier=room, user_id="u", attributes={"a": "b"}, capabilities=["SEND_MESSAGE"]
        ),
        "CreateLoggingConfiguration": lambda c: c.create_logging_configuration(
            name="n", destination_configuration=s3, tags={"k": "v"}
        ),
        "CreateRoom": lambda c: c.create_room(
            name="lobby",
            maximum_message_length=200,
            message_review_handler=MessageReviewHandler(uri=LAMBDA, fallback_result="DENY"),
            tags={"app": "web"},
        ),
        "DeleteLoggingConfiguration": lambda c: c.delete_logging_configuration(identifier=config),
        "DeleteMessage": lambda c: c.delete_message(room_identifier=room, id="AbCdEfGh1234"),
        "DeleteRoom": lambda c: c.delete_room(identifier=room),
        "DisconnectUser": lambda c: c.disconnect_user(room_identifier=room, user_id="u"),
        "GetLoggingConfiguration": lambda c: c.get_logging_configuration(identifier=config),
        "GetRoom": lambda c: c.get_room(identifier=room),
        "ListLoggingConfigurations": lambda c: next(c.list_logging_configurations().pages()),
        "ListRooms": lambda c: next(c.list_rooms(page_size=10).pages()),
        "SendEvent": lambda c: c.send_event(
            room_identifier=room, event_name="e", attributes={"a": "b"}
        ),
        "UpdateLoggingConfiguration": lambda c: c.update_logging_configuration(
            identifier=config, name="new"
        ),
        "UpdateRoom": lambda c: c.update_room(identifier=room, name="renamed"),
        "TagResource": lambda c: c.tag_resource(resource_arn=room, tags={"t": "v"}),
        "UntagResource": lambda c: c.untag_resource(resource_arn=room, tag_keys=["t"]),
        "ListTagsForResource": lambda c: c.list_tags_for_resource(resource_arn=room),
    }


class Recorder:
    """A ``before-send`` handler keeping every request; answers when given answers."""

    def __init__(self, answers: dict[str, tuple[int, dict[str, str], bytes]] | None = None):
        self.requests: list[Any] = []
        self.answers = answers

    def __call__(self, request: Any, **_: Any) -> AWSResponse | None:
        self.requests.append(request)
        if self.answers is None:
            return None
        status, headers, body = self.answers[request.url.rsplit("/", 1)[-1]]
        return _canned(request.url, status, headers, body)


class _Raw:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.body


def _canned(url: str, status: int, headers: dict[str, str], body: bytes) -> AWSResponse:
    return AWSResponse(url, status, HTTPHeaders.from_dict(headers), _Raw(body))


def _session(token: str | None = None) -> boto3.Session:
    return boto3.Session(
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        aws_session_token=token,
        region_name=REGION,
    )


def _config(local: LocalIvsChat) -> str:
    answer = local.handle(
        wire_request(
            "CreateLoggingConfiguration",
            {"destinationConfiguration": {"s3": {"bucketName": "bucket"}}},
        )
    )
    return str(answer.json()["arn"])


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _headers(request: Any) -> dict[str, str]:
    return {str(k).lower(): _text(v) for k, v in request.headers.items()}


def _botocore_signature(request: Any, credentials: Any, region: str = REGION) -> str:
    """The Authorization botocore's SigV4 signer gives ``request`` at its own X-Amz-Date."""
    headers = _headers(request)
    signed = AWSRequest(
        method=request.method,
        url=request.url,
        data=request.body,
        headers={
            name: headers[name.lower()]
            for name in ("Content-Type", "User-Agent", "X-Amz-Security-Token", "X-Amzn-Trace-Id")
            if name.lower() in headers
        },
    )
    auth = SigV4Auth(credentials, "ivschat", region)
    signed.context["timestamp"] = headers["x-amz-date"]
    auth._modify_request_before_signing(signed)
    string_to_sign = auth.string_to_sign(signed, auth.canonical_request(signed))
    auth._inject_signature_to_request(signed, auth.signature(string_to_sign, signed))
    return str(signed.headers["Authorization"])


# -- which calls go direct ----------------------------------------------------------------


def test_every_body_operation_goes_direct_after_its_first_call(local: LocalIvsChat) -> None:
    """14 operations go direct from their second call; the tag operations never do.

    This also fails when a new botocore adds an event handler the direct path does not know.
    """
    room = local.handle(wire_request("CreateRoom", {})).json()["arn"]
    config = _config(local)
    client = IvsChatClient(boto3_session=_session())
    direct = client._direct
    assert direct is not None
    for operation, call in calls(room, config).items():
        assert direct.plan(operation) is None
        if operation.startswith("Delete"):
            continue
        call(client)
    for operation in ("DeleteMessage", "DeleteRoom", "DeleteLoggingConfiguration"):
        calls(room, config)[operation](client)
    went_direct = {op for op in calls() if direct.plan(op) is not None}
    assert went_direct == set(BODY_OPERATIONS)


def test_a_wrapped_boto3_client_never_goes_direct(local: LocalIvsChat) -> None:
    """A boto3 client passed in is used as it is."""
    client = IvsChatClient(boto3_client=_session().client("ivschat"))
    next(client.list_rooms().pages())
    next(client.list_rooms().pages())
    assert client._direct is None


# -- the requests -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "token", [None, "FwoGZXIvYXdzEBYaDH+session/token=="], ids=["keys", "token"]
)
@pytest.mark.parametrize("in_lambda", [False, True], ids=["process", "lambda"])
@pytest.mark.parametrize("operation", BODY_OPERATIONS)
def test_direct_request_equals_botocore_s(
    operation: str,
    token: str | None,
    in_lambda: bool,
    local: LocalIvsChat,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Same URL, body and headers as botocore's request, and a signature botocore agrees with."""
    if in_lambda:  # botocore adds the recursion-detection header inside a Lambda function
        monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "vend-tokens")
        monkeypatch.setenv("_X_AMZN_TRACE_ID", "Root=1-5759e988-bd862e3fe1be46a994272793;x=a b")
    room = local.handle(wire_request("CreateRoom", {})).json()["arn"]
    config = _config(local)
    session = _session(token)
    client = IvsChatClient(boto3_session=session)
    recorder = Recorder()
    client.boto3_client.meta.events.register("before-send.ivschat", recorder)
    call = calls(room, config)[operation]
    for _ in range(2):
        with contextlib.suppress(APIError):  # a second delete finds nothing: no matter
            call(client)
    assert client._direct is not None and client._direct.plan(operation) is not None
    standard, direct = recorder.requests
    assert (direct.method, direct.url, direct.body) == (
        standard.method,
        standard.url,
        standard.body,
    )
    assert type(direct.body) is type(standard.body) is bytes
    ours, theirs = _headers(direct), _headers(standard)
    assert ours.keys() == theirs.keys()
    assert {k: v for k, v in ours.items() if k not in VARYING} == {
        k: v for k, v in theirs.items() if k not in VARYING
    }
    assert ("x-amzn-trace-id" in ours) is in_lambda
    assert {type(v) for v in direct.headers.values()} == {
        type(v) for v in standard.headers.values()
    }
    credentials = session.get_credentials()
    for request in (standard, direct):
        assert _headers(request)["authorization"] == _botocore_signature(request, credentials)


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://ivschat.us-west-2.amazonaws.com",
        "https://ivschat.us-west-2.amazonaws.com:443",
        "https://ivschat.example.com:8443/base/path",
        "http://127.0.0.1:4566",
        "http://LocalHost:80",
        "http://[::1]:8080",
    ],
)
@pytest.mark.parametrize("token", [None, "FwoG+token/=="], ids=["keys", "token"])
def test_signature_equals_botocore_s_for_any_endpoint(endpoint: str, token: str | None) -> None:
    """Host, port and path rules of SigV4 as botocore applies them, on several bodies and days."""
    client = IvsChatClient(
        region_name="eu-central-1",
        endpoint_url=endpoint,
        aws_access_key_id="AKID",
        aws_secret_access_key="secret/with+chars",
        aws_session_token=token,
    )
    direct = client._direct
    assert direct is not None
    model = client.boto3_client.meta.service_model.operation_model("SendEvent")
    url = endpoint.rstrip("/") + "/SendEvent"
    plan = _direct.Plan(model, url, "Botocore/1 ivschat-sdk/1", "eu-central-1/ivschat/aws4_request")
    credentials = Credentials("AKID", "secret/with+chars", token)
    for body in (b"{}", b'{"roomIdentifier": "r", "eventName": "caf\\u00e9"}', "é".encode()):
        request = direct.request(plan, body, direct.context(), 1, None, credentials)
        authorization = _text(request.headers["Authorization"])
        assert authorization == _botocore_signature(request, credentials, "eu-central-1")


def test_signing_key_follows_the_day_and_the_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cached signing key is made anew when the date or the secret changes."""
    client = IvsChatClient(region_name=REGION, aws_access_key_id="A", aws_secret_access_key="S")
    direct = client._direct
    assert direct is not None
    model = client.boto3_client.meta.service_model.operation_model("GetRoom")
    plan = _direct.Plan(model, "https://h/GetRoom", "ua", f"{REGION}/ivschat/aws4_request")
    days = iter([(2026, 12, 31, 23, 59, 59), (2027, 1, 1, 0, 0, 1), (2027, 1, 1, 0, 0, 2)])

    def gmtime(*_: Any) -> Any:
        moment = datetime.datetime(*next(days), tzinfo=datetime.timezone.utc)
        return moment.timetuple()

    monkeypatch.setattr(_direct.time, "gmtime", gmtime)
    for secret in ("S", "S", "T"):
        credentials = Credentials("A", secret, None)
        request = direct.request(plan, b"{}", direct.context(), 1, None, credentials)
        authorization = _text(request.headers["Authorization"])
        assert authorization == _botocore_signature(request, credentials)


def test_refreshed_credentials_sign_the_next_direct_request(local: LocalIvsChat) -> None:
    """Credentials are read per call: refreshed ones sign the next request."""
    issued = iter(range(100))

    def refresh() -> dict[str, str]:
        n = next(issued)
        expiry = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
        return {
            "access_key": f"AKID{n}",
            "secret_key": f"secret{n}",
            "token": f"token{n}",
            "expiry_time": expiry.isoformat(),
        }

    credentials = RefreshableCredentials.create_from_metadata(refresh(), refresh, "test")
    botocore_session = botocore.session.get_session()
    botocore_session._credentials = credentials
    client = IvsChatClient(
        region_name=REGION, boto3_session=boto3.Session(botocore_session=botocore_session)
    )
    recorder = Recorder()
    client.boto3_client.meta.events.register("before-send.ivschat", recorder)
    next(client.list_rooms().pages())
    next(client.list_rooms().pages())  # direct
    assert client._direct is not None and client._direct.plan("ListRooms") is not None
    credentials._expiry_time = datetime.datetime.now(datetime.timezone.utc)  # expired
    next(client.list_rooms().pages())  # direct, refreshed
    keys = [_headers(r)["authorization"].split("Credential=")[1][:5] for r in recorder.requests]
    tokens = [_headers(r)["x-amz-security-token"] for r in recorder.requests]
    assert keys == ["AKID0", "AKID0", "AKID1"]
    assert tokens == ["token0", "token0", "token1"]
    assert _headers(recorder.requests[2])["authorization"] == _botocore_signature(
        recorder.requests[2], Credentials("AKID1", "secret1", "token1")
    )


# -- the answers --------------------------------------------------------------------------


def _outcome(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except APIError as error:
        return (type(error), str(error), error.request_id, error.http_status, vars(error))


@pytest.mark.parametrize("operation", BODY_OPERATIONS)
def test_models_and_errors_are_the_standard_path_s(operation: str) -> None:
    """Every recorded answer, success or error, gives the same model or error on both paths."""
    for answer in RECORDED[operation]:
        client = IvsChatClient(boto3_session=_session())
        client.boto3_client.meta.events.register(
            "before-send.ivschat", Recorder({operation: answer})
        )
        call = functools.partial(calls()[operation], client)
        standard = _outcome(call)
        assert client._direct is not None and client._direct.plan(operation) is not None
        direct = _outcome(call)
        assert direct == standard


def test_direct_answer_has_botocore_s_response_metadata() -> None:
    """The parsed answer a direct call converts is botocore's, metadata included."""
    answer = RECORDED["GetRoom"][0]
    client = IvsChatClient(boto3_session=_session())
    events = client.boto3_client.meta.events
    events.register("before-send.ivschat", Recorder({"GetRoom": answer}))
    seen: list[Any] = []
    events.register("after-call.ivschat", lambda parsed, **_: seen.append(parsed))
    client.get_room(identifier=ROOM)
    client.get_room(identifier=ROOM)
    standard, direct = seen
    assert direct == standard
    assert direct["ResponseMetadata"]["RetryAttempts"] == 0


# -- when the standard path is kept -------------------------------------------------------


def test_stubber_on_the_escape_hatch_is_honoured(local: LocalIvsChat) -> None:
    """A Stubber activated on client.boto3_client answers even an operation that went direct."""
    client = IvsChatClient(boto3_session=_session())
    room = client.create_room(name="real")
    client.get_room(identifier=room)
    assert client._direct is not None and client._direct.plan("GetRoom") is not None
    stubbed = {
        "arn": room.arn,
        "id": room.id,
        "name": "stubbed",
        "createTime": datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
        "updateTime": datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
        "maximumMessageRatePerSecond": 10,
        "maximumMessageLength": 500,
        "tags": {},
        "loggingConfigurationIdentifiers": [],
    }
    with Stubber(client.boto3_client) as stubber:
        stubber.add_response("get_room", stubbed, {"identifier": room.arn})
        assert client.get_room(identifier=room).name == "stubbed"
        stubber.assert_no_pending_responses()
        assert client._direct.plan("GetRoom") is None
    assert client.get_room(identifier=room).name == "real"
    assert client._direct.plan("GetRoom") is not None  # direct again once the stub is gone


def test_hooks_registered_before_the_client_keep_the_standard_path(local: LocalIvsChat) -> None:
    """An event hook the direct path would skip (here before-call) runs on every call."""
    session = _session()
    seen: list[str] = []
    session.events.register("before-call.ivschat", lambda model, **_: seen.append(model.name))
    client = IvsChatClient(boto3_session=session)
    for _ in range(3):
        next(client.list_rooms().pages())
    assert seen == ["ListRooms"] * 3
    assert client._direct is not None and client._direct.plan("ListRooms") is None


def test_hooks_on_emitted_events_run_on_the_direct_path(local: LocalIvsChat) -> None:
    """before-send, needs-retry and after-call handlers added later still run, and go direct."""
    client = IvsChatClient(boto3_session=_session())
    seen: list[str] = []
    events = client.boto3_client.meta.events
    for event in ("before-send", "needs-retry", "after-call"):
        events.register(f"{event}.ivschat.ListRooms", lambda e=event, **_: seen.append(e))
    next(client.list_rooms().pages())
    next(client.list_rooms().pages())
    assert client._direct is not None and client._direct.plan("ListRooms") is not None
    assert seen == ["before-send", "needs-retry", "after-call"] * 2


def test_instrumented_botocore_keeps_the_standard_path(
    local: LocalIvsChat, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tracing library's wrapper around _make_api_call sees every call."""
    traced: list[str] = []
    original = botocore.client.BaseClient._make_api_call

    @functools.wraps(original)
    def traced_call(self: Any, operation_name: str, params: Any) -> Any:
        traced.append(operation_name)
        return original(self, operation_name, params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", traced_call)
    client = IvsChatClient(boto3_session=_session())
    assert client._direct is None
    next(client.list_rooms().pages())
    next(client.list_rooms().pages())
    assert traced == ["ListRooms", "ListRooms"]


def test_direct_path_works_inside_moto(local: LocalIvsChat) -> None:
    """moto's mock_aws() and the local IVS Chat together: direct calls reach the emulator."""
    moto = pytest.importorskip("moto")
    with moto.mock_aws():
        client = IvsChatClient(region_name=REGION)
        room = client.create_room(name="in-moto")
        for _ in range(2):
            assert client.get_room(identifier=room).name == "in-moto"
        assert client._direct is not None and client._direct.plan("GetRoom") is not None
        assert local.call_counts["GetRoom"] == 2


# -- async --------------------------------------------------------------------------------


def test_async_direct_requests_and_models_equal_the_sync_ones(local: LocalIvsChat) -> None:
    """The async client's direct requests are the sync client's, and so are its models."""
    pytest.importorskip("aiobotocore")
    from ivschat_sdk import AsyncIvsChatClient

    room = local.handle(wire_request("CreateRoom", {"name": "r"})).json()["arn"]
    sync_client = IvsChatClient(boto3_session=_session())
    sync_recorder = Recorder()
    sync_client.boto3_client.meta.events.register("before-send.ivschat", sync_recorder)
    expected = [sync_client.get_room(identifier=room) for _ in range(2)]

    async def main() -> list[Any]:
        async with AsyncIvsChatClient(
            region_name=REGION, aws_access_key_id="AKIDEXAMPLE",
            aws_secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        ) as client:  # fmt: skip
            client.aiobotocore_client.meta.events.register("before-send.ivschat", recorder)
            rooms = [await client.get_room(identifier=room) for _ in range(2)]
            assert client._direct is not None and client._direct.plan("GetRoom") is not None
            return rooms

    recorder = Recorder()
    assert asyncio.run(main()) == expected
    ours, theirs = recorder.requests[1], sync_recorder.requests[1]
    assert (ours.url, ours.body) == (theirs.url, theirs.body)
    assert _headers(ours).keys() == _headers(theirs).keys()
    assert _headers(ours)["authorization"] == _botocore_signature(
        ours, _session().get_credentials()
    )


# -- events emitted, retry handlers consulted ---------------------------------------------


def _count_calls(monkeypatch: pytest.MonkeyPatch, cls: type, name: str) -> list[int]:
    calls: list[int] = []
    original = getattr(cls, name)

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(cls, name, counted)
    return calls


def test_standard_retry_handler_sees_failures_not_successes(
    local: LocalIvsChat, monkeypatch: pytest.MonkeyPatch, retry_delays: list[float]
) -> None:
    """botocore's standard handler never retries a success: a direct success skips it."""
    from botocore.retries.standard import RetryHandler

    consulted = _count_calls(monkeypatch, RetryHandler, "needs_retry")
    client = IvsChatClient(boto3_session=_session())
    room = client.create_room()
    client.get_room(identifier=room)  # the operation's first call: the standard path
    consulted.clear()
    for _ in range(3):
        client.get_room(identifier=room)
    assert consulted == []
    local.fail_next("GetRoom", count=1)
    client.get_room(identifier=room)
    assert len(consulted) == 1  # the throttled attempt; its successful retry is not offered


def test_adaptive_mode_rate_limiter_learns_from_direct_successes(
    local: LocalIvsChat, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In adaptive mode every answer, successes included, reaches botocore's rate limiter."""
    from botocore.retries.adaptive import ClientRateLimiter

    seen = _count_calls(monkeypatch, ClientRateLimiter, "on_receiving_response")
    client = IvsChatClient(boto3_session=_session(), retry_mode="adaptive")
    room = client.create_room()
    client.get_room(identifier=room)
    assert client._direct is not None and client._direct.plan("GetRoom") is not None
    seen.clear()
    for _ in range(3):
        client.get_room(identifier=room)
    assert len(seen) == 3


def test_one_retry_quota_is_refilled(local: LocalIvsChat) -> None:
    """The SDK's retry handler replaces botocore's first one, and its quota refill goes too."""
    client = IvsChatClient(boto3_session=_session())
    emitter = client.boto3_client.meta.events._emitter
    refills = [
        h
        for h in emitter._handlers.prefix_search("after-call.ivschat.GetRoom")
        if h.__qualname__ == "RetryQuotaChecker.release_retry_quota"
    ]
    assert len(refills) == 1


def test_direct_calls_from_many_threads_and_tasks(local: LocalIvsChat) -> None:
    """One client shared by 8 threads (and 50 tasks on the async one): every call answered.

    Each request is signed with botocore's signature for its own date and body.
    """
    from concurrent.futures import ThreadPoolExecutor

    session = _session()
    client = IvsChatClient(boto3_session=session)
    recorder = Recorder()
    client.boto3_client.meta.events.register("before-send.ivschat", recorder)
    room = client.create_room(name="shared")
    client.get_room(identifier=room)  # the first call: the standard path

    def work(n: int) -> list[str]:
        return [client.get_room(identifier=room).name for _ in range(25)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        names = [name for batch in pool.map(work, range(8)) for name in batch]
    assert names == ["shared"] * 200
    assert local.call_counts["GetRoom"] == 201
    credentials = session.get_credentials()
    for request in recorder.requests[-200:]:
        assert _headers(request)["authorization"] == _botocore_signature(request, credentials)

    pytest.importorskip("aiobotocore")
    from ivschat_sdk import AsyncIvsChatClient

    async def main() -> list[str]:
        async with AsyncIvsChatClient(
            region_name=REGION, aws_access_key_id="AKIDEXAMPLE",
            aws_secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        ) as async_client:  # fmt: skip
            await async_client.get_room(identifier=room)
            rooms = await asyncio.gather(
                *(async_client.get_room(identifier=room) for _ in range(50))
            )
            assert async_client._direct is not None
            assert async_client._direct.plan("GetRoom") is not None
            return [r.name for r in rooms]

    assert asyncio.run(main()) == ["shared"] * 50
