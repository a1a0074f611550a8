"""Benchmark (issue 13): ivschat-sdk against raw boto3 and capo-ivschat, per call and at cold start.

What is measured, all from one run, in paired rounds of alternating order (forward, then
reversed) so that load from other work on the machine affects every contender alike; each
figure is a median over rounds and each ratio the median of the per-round ratios. Times are the
CPU time of the measuring process (``time.process_time``; ``--clock wall`` for the wall clock):
the code measured never waits for I/O, and CPU time leaves out the time spent waiting for a
core that other work holds, which on a shared machine is most of the noise.

1. **Per call, canned wire bytes, no socket**: ``ListRooms`` (a 50-room page), ``GetRoom``,
   ``CreateChatToken`` and ``SendEvent`` through ``ivschat_sdk.IvsChatClient``, raw
   ``boto3.client("ivschat")``, capo-ivschat's ``ivschatClient``, and the async twins
   (``AsyncIvsChatClient``, raw aiobotocore, capo's ``AsyncivschatClient``). Every client
   serializes, validates what it validates, resolves its endpoint, signs (SigV4, static
   credentials), parses and converts; only the HTTP exchange is replaced, at the last step,
   by the same canned response:

   * botocore and aiobotocore clients: a ``before-send.ivschat`` handler registered on that
     client only (``client.meta.events``) returns a ``botocore.awsrequest.AWSResponse``;
   * capo-ivschat: its HTTP stack is zapros, and its client takes ``http_handler=``, the
     terminal zapros handler. capo wraps that handler in its own ``AuthMiddleware``, which signs
     the request, so a handler that returns ``zapros.Response(200, headers, content=body)``
     receives the signed request, exactly where the network handler would have opened a socket.

   The SDK's clients send each operation's calls on their direct path from its second call
   (the warm-up makes the first, through botocore's standard path); the report says which
   operations took it. Each responder counts its calls (every timed call must reach it
   exactly once: no retry, no socket) and, once per client and operation, the request it received is checked: SigV4
   ``Authorization`` header, path, and a JSON body equal to the other clients'. The canned
   bodies come from the local IVS Chat (``ivschat_sdk.local.LocalIvsChat``): 60 rooms with
   tags, half of them with a review handler and a third with a logging configuration, a
   50-room ``ListRooms`` page (with ``nextToken``), one such room, a token, an event id.
2. **Cold start**: a fresh interpreter per run: import, build a client (static credentials),
   first ``CreateChatToken`` (canned as above), timed inside the process; also ``import
   ivschat_sdk``, ``from ivschat_sdk import IvsChatClient`` and ``import boto3`` alone, and the
   peak memory of each process (``VmHWM``: the ``ru_maxrss`` of the process's own image, since
   Linux carries the parent's ``ru_maxrss`` across fork and exec). AWS configuration files and ``AWS_*``
   variables are hidden from every process (as in a Lambda with an execution role, without
   the credential lookup).
3. **Chat frames**: server frames (MESSAGE, custom EVENT, aws:DELETE_MESSAGE, in the
   service's format) parsed into models by ``ivschat_sdk.messaging._frames.parse_frame``
   against ``json.loads`` of the same frames.

Targets (issue 13), printed with PASS or MISS:

* per call: ours at least as fast as capo on every operation; at least 6x raw boto3 on
  ``ListRooms(50)`` and 2x on ``CreateChatToken``; the async client within 10% of the sync one;
* cold start: import + client + first ``CreateChatToken`` no slower than raw boto3;
  ``import ivschat_sdk`` no slower than ``import boto3``; peak memory at most 5 MiB above
  raw boto3's;
* chat frames: at least half the speed of ``json.loads``.

Run it in the benchmark's own environment (capo-ivschat is never a dependency of the package;
see ``benchmarks/README.md``)::

    python3 -m venv /tmp/bench-venv
    /tmp/bench-venv/bin/pip install -e '.[async]' -r benchmarks/requirements.txt
    /tmp/bench-venv/bin/python benchmarks/bench_speed.py            # a few minutes
    /tmp/bench-venv/bin/python benchmarks/bench_speed.py --quick    # about a minute
    /tmp/bench-venv/bin/python benchmarks/bench_speed.py --profile  # where the time goes

``--profile`` samples each per-call path of ``IvsChatClient`` and ``AsyncIvsChatClient``
with py-spy (499 Hz, CPU time per call; cProfile when py-spy is missing or cannot attach), ranks the time by component
(User-Agent, SigV4, endpoint resolution, parameter validation, parsing, our conversion and
checks, event emission...), and summarizes ``python -X importtime`` of the import.
Without capo-ivschat installed, its columns and targets are skipped, not faked.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.compat import HTTPHeaders

from ivschat_sdk import AsyncIvsChatClient, IvsChatClient
from ivschat_sdk.local import LocalIvsChat, WireRequest, WireResponse
from ivschat_sdk.local._chat import format_send_time
from ivschat_sdk.messaging._frames import parse_frame

try:  # the benchmark's own environment only (benchmarks/requirements.txt)
    import capo_ivschat
    import zapros
except ImportError:  # pragma: no cover - reported in the output
    capo_ivschat = None
    zapros = None

try:
    from aiobotocore.session import AioSession
except ImportError:  # pragma: no cover - the async extra is missing
    AioSession = None

REGION = "us-west-2"
ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
OPERATIONS = ("ListRooms", "GetRoom", "CreateChatToken", "SendEvent")
LABELS = {
    "ListRooms": "ListRooms (50)",
    "GetRoom": "GetRoom",
    "CreateChatToken": "CreateChatToken",
    "SendEvent": "SendEvent",
}
REVIEW_LAMBDA = "arn:aws:lambda:us-west-2:123456789012:function:review"
USER_ID = "user-42"
TOKEN_ATTRIBUTES = {"displayName": "Alice", "avatar": "https://example.com/alice.png"}
EVENT_NAME = "app:poll-opened"
EVENT_ATTRIBUTES = {"question": "Next song?", "choices": "a,b,c", "closesIn": "30"}
SYNC_CLIENTS = ("ours", "boto3", "capo")
ASYNC_CLIENTS = ("ours-async", "aiobotocore", "capo-async")
HERE = Path(__file__).resolve()


@dataclass
class Clock:
    """What the figures measure: CPU time of this process (default) or wall time."""

    name: str = "cpu"

    @property
    def timer(self) -> Callable[[], float]:
        """``time.process_time`` or ``time.perf_counter``."""
        return time.process_time if self.name == "cpu" else time.perf_counter

    @property
    def label(self) -> str:
        """How the report names it."""
        return "CPU time" if self.name == "cpu" else "wall time"


CLOCK = Clock()


def scrubbed_environment() -> dict[str, str]:
    """The environment of this process without AWS settings: no config file, no credentials."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    missing = os.path.join(tempfile.gettempdir(), "bench-speed-no-aws-config")
    env["AWS_CONFIG_FILE"] = missing
    env["AWS_SHARED_CREDENTIALS_FILE"] = missing
    env["AWS_EC2_METADATA_DISABLED"] = "true"
    return env


# -- canned responses -------------------------------------------------------------------------


@dataclass(frozen=True)
class Canned:
    """One recorded answer of the local IVS Chat."""

    status: int
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Fixture:
    """The canned answers of the four operations, and the room the requests name."""

    responses: dict[str, Canned]
    room_arn: str

    def wire_params(self, operation: str) -> dict[str, Any]:
        """The JSON body every client must send for ``operation``."""
        return {
            "ListRooms": {"maxResults": 50},
            "GetRoom": {"identifier": self.room_arn},
            "CreateChatToken": {
                "roomIdentifier": self.room_arn,
                "userId": USER_ID,
                "capabilities": ["SEND_MESSAGE"],
                "sessionDurationInMinutes": 60,
                "attributes": TOKEN_ATTRIBUTES,
            },
            "SendEvent": {
                "roomIdentifier": self.room_arn,
                "eventName": EVENT_NAME,
                "attributes": EVENT_ATTRIBUTES,
            },
        }[operation]


def make_fixture() -> Fixture:
    """Record realistic answers from the local IVS Chat, once."""
    emulator = LocalIvsChat()
    headers = {
        "authorization": (
            f"AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/20261127/{REGION}/ivschat/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date, Signature=0123"
        ),
        "content-type": "application/json",
    }

    def call(operation: str, params: dict[str, Any]) -> WireResponse:
        answer = emulator.handle(
            WireRequest(
                method="POST",
                path="/" + operation,
                headers=headers,
                body=json.dumps(params).encode(),
            )
        )
        if answer.status != 200:
            raise RuntimeError(f"{operation}: {answer.status} {answer.body!r}")
        return answer

    logs = call(
        "CreateLoggingConfiguration",
        {
            "name": "chat-logs",
            "destinationConfiguration": {"cloudWatchLogs": {"logGroupName": "chat"}},
        },
    ).json()["arn"]
    room_arn = ""
    for i in range(60):
        params: dict[str, Any] = {
            "name": f"stream-{i:03d}",
            "tags": {"team": "live", "env": "prod", "show": f"show-{i % 7}"},
            "maximumMessageRatePerSecond": 20,
            "maximumMessageLength": 300,
        }
        if i % 2 == 0:
            params["messageReviewHandler"] = {"uri": REVIEW_LAMBDA, "fallbackResult": "DENY"}
        if i % 3 == 0:
            params["loggingConfigurationIdentifiers"] = [logs]
        arn = call("CreateRoom", params).json()["arn"]
        if i == 54:  # recently updated, with a handler and a logging configuration
            room_arn = arn
    fixture = Fixture(responses={}, room_arn=room_arn)
    for operation in OPERATIONS:
        answer = call(operation, fixture.wire_params(operation))
        fixture.responses[operation] = Canned(answer.status, dict(answer.headers), answer.body)
    page = json.loads(fixture.responses["ListRooms"].body)
    if len(page["rooms"]) != 50 or not page.get("nextToken"):
        raise RuntimeError("the ListRooms page must hold 50 rooms and a nextToken")
    return fixture


# -- responders: the canned answer, where the socket would be ----------------------------------


@dataclass
class Responder:
    """Answers with ``canned``; counts calls and keeps the last request for checking."""

    canned: Canned | None = None
    calls: int = 0
    last: Any = None


class _AwaitableBytes(bytes):
    """A body that botocore reads as bytes and aiobotocore awaits (``await response.content``)."""

    def __await__(self) -> Iterator[Any]:
        yield from ()
        return bytes(self)


class _CannedAWSResponse(AWSResponse):
    @property
    def content(self) -> bytes:
        return _AwaitableBytes(self.raw.getvalue())


class _RawBody(io.BytesIO):
    """Readable the way botocore reads urllib3's response body."""

    def stream(self, **_: Any) -> Iterator[bytes]:
        data = self.read()
        if data:
            yield data


def register_botocore(client: Any, responder: Responder) -> None:
    """Answer every request of this (aio)botocore client, and no other, with canned bytes."""

    def before_send(request: AWSPreparedRequest, **_: Any) -> AWSResponse:
        responder.calls += 1
        responder.last = request
        canned = responder.canned
        assert canned is not None
        return _CannedAWSResponse(
            request.url, canned.status, HTTPHeaders.from_dict(canned.headers), _RawBody(canned.body)
        )

    client.meta.events.register("before-send.ivschat", before_send)


if zapros is not None:

    class CannedZaprosHandler(zapros.BaseHandler, zapros.AsyncBaseHandler):
        """capo's terminal HTTP handler, in place of zapros' network handler."""

        def __init__(self, responder: Responder) -> None:
            self.responder = responder

        def handle(self, request: zapros.Request) -> zapros.Response:
            """The canned answer to a request capo has signed."""
            responder = self.responder
            responder.calls += 1
            responder.last = request
            canned = responder.canned
            assert canned is not None
            return zapros.Response(canned.status, canned.headers, content=canned.body)

        async def ahandle(self, request: zapros.Request) -> zapros.Response:
            """The same, for capo's async client."""
            return self.handle(request)


def check_request(client: str, operation: str, request: Any, fixture: Fixture) -> None:
    """The request a responder received was signed and carries the expected JSON body."""
    if isinstance(request, AWSPreparedRequest):
        headers = {k.lower(): v for k, v in request.headers.items()}
        url, body = request.url, request.body
    else:  # zapros
        headers = {k.lower(): v for k, v in request.headers.items()}
        url, body = str(request.url), request.body
    auth = headers.get("authorization", "")
    auth = auth.decode() if isinstance(auth, bytes) else auth
    problems = []
    if not auth.startswith(f"AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/"):
        problems.append(f"not SigV4-signed: {auth!r}")
    if not url.split("?")[0].endswith("/" + operation):
        problems.append(f"URL {url}")
    sent = json.loads(body) if body else {}
    if sent != fixture.wire_params(operation):
        problems.append(f"body {sent!r}")
    if problems:
        raise RuntimeError(f"{client} {operation}: " + "; ".join(problems))


# -- the clients and their calls --------------------------------------------------------------

SyncCall = Callable[[], Any]
AsyncCall = Callable[[], Awaitable[Any]]


def ours_calls(client: IvsChatClient, fx: Fixture) -> dict[str, SyncCall]:
    arn = fx.room_arn
    return {
        "ListRooms": lambda: list(client.list_rooms(page_size=50, max_items=50)),
        "GetRoom": lambda: client.get_room(identifier=arn),
        "CreateChatToken": lambda: client.create_chat_token(
            room_identifier=arn,
            user_id=USER_ID,
            capabilities=["SEND_MESSAGE"],
            session_duration_in_minutes=60,
            attributes=TOKEN_ATTRIBUTES,
        ),
        "SendEvent": lambda: client.send_event(
            room_identifier=arn, event_name=EVENT_NAME, attributes=EVENT_ATTRIBUTES
        ),
    }


def ours_async_calls(client: AsyncIvsChatClient, fx: Fixture) -> dict[str, AsyncCall]:
    arn = fx.room_arn

    async def list_rooms() -> list[Any]:
        return [room async for room in client.list_rooms(page_size=50, max_items=50)]

    return {
        "ListRooms": list_rooms,
        "GetRoom": lambda: client.get_room(identifier=arn),
        "CreateChatToken": lambda: client.create_chat_token(
            room_identifier=arn,
            user_id=USER_ID,
            capabilities=["SEND_MESSAGE"],
            session_duration_in_minutes=60,
            attributes=TOKEN_ATTRIBUTES,
        ),
        "SendEvent": lambda: client.send_event(
            room_identifier=arn, event_name=EVENT_NAME, attributes=EVENT_ATTRIBUTES
        ),
    }


def botocore_calls(client: Any, fx: Fixture) -> dict[str, Callable[[], Any]]:
    """boto3's and aiobotocore's calls (aiobotocore's return coroutines)."""
    return {
        op: (lambda op=op: getattr(client, _snake(op))(**fx.wire_params(op))) for op in OPERATIONS
    }


def capo_calls(client: Any, fx: Fixture) -> dict[str, Callable[[], Any]]:
    """capo's calls, sync or async (the async client's return coroutines)."""
    arn = fx.room_arn
    return {
        "ListRooms": lambda: client.list_rooms(max_results=50),
        "GetRoom": lambda: client.get_room(arn),
        "CreateChatToken": lambda: client.create_chat_token(
            arn,
            USER_ID,
            capabilities=["SEND_MESSAGE"],
            session_duration_in_minutes=60,
            attributes=TOKEN_ATTRIBUTES,
        ),
        "SendEvent": lambda: client.send_event(arn, EVENT_NAME, attributes=EVENT_ATTRIBUTES),
    }


def _snake(operation: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", operation).lower()


def _capo_credentials() -> Any:
    return {"access_key": ACCESS_KEY, "secret_key": SECRET_KEY}


@dataclass
class Contender:
    """One client: its calls per operation, sync or async, and its responder."""

    name: str
    calls: dict[str, Callable[[], Any]]
    responder: Responder
    is_async: bool = False
    number: dict[str, int] = field(default_factory=dict)


class Bench:
    """Builds every client once, on one event loop for the async ones, and times them."""

    def __init__(self, fixture: Fixture, with_async: bool = True) -> None:
        self.fixture = fixture
        self.loop = asyncio.new_event_loop()
        self.contenders: dict[str, Contender] = {}
        self._closers: list[Callable[[], Any]] = []
        creds = {"aws_access_key_id": ACCESS_KEY, "aws_secret_access_key": SECRET_KEY}

        ours = IvsChatClient(region_name=REGION, **creds)
        self._add("ours", ours_calls(ours, fixture), ours.boto3_client)
        self.sdk_clients: dict[str, Any] = {"ours": ours}
        raw = boto3.Session(**creds).client("ivschat", region_name=REGION)
        self._add("boto3", botocore_calls(raw, fixture), raw)
        if capo_ivschat is not None:
            responder = Responder()
            capo = capo_ivschat.ivschatClient(
                http_handler=CannedZaprosHandler(responder),
                region=REGION,
                credentials=_capo_credentials(),
            )
            self.contenders["capo"] = Contender("capo", capo_calls(capo, fixture), responder)
        if not with_async or AioSession is None:
            return
        ours_async = AsyncIvsChatClient(region_name=REGION, **creds)
        self.loop.run_until_complete(ours_async.__aenter__())
        self._closers.append(lambda: ours_async.__aexit__(None, None, None))
        self.sdk_clients["ours-async"] = ours_async
        self._add(
            "ours-async",
            ours_async_calls(ours_async, fixture),
            ours_async.aiobotocore_client,
            is_async=True,
        )
        context = AioSession().create_client("ivschat", region_name=REGION, **creds)
        aio = self.loop.run_until_complete(context.__aenter__())
        self._closers.append(lambda: context.__aexit__(None, None, None))
        self._add("aiobotocore", botocore_calls(aio, fixture), aio, is_async=True)
        if capo_ivschat is not None:
            responder = Responder()
            capo_async = capo_ivschat.AsyncivschatClient(
                http_handler=CannedZaprosHandler(responder),
                region=REGION,
                credentials=_capo_credentials(),
            )
            self.contenders["capo-async"] = Contender(
                "capo-async", capo_calls(capo_async, fixture), responder, is_async=True
            )

    def direct_operations(self) -> dict[str, list[str]]:
        """The operations each SDK client sends on its direct path (after the warm-up)."""
        return {
            name: [op for op in OPERATIONS if client._direct and client._direct.plan(op)]
            for name, client in self.sdk_clients.items()
        }

    def _add(
        self, name: str, calls: dict[str, Callable[[], Any]], client: Any, *, is_async: bool = False
    ) -> None:
        responder = Responder()
        register_botocore(client, responder)
        self.contenders[name] = Contender(name, calls, responder, is_async=is_async)

    def close(self) -> None:
        """Close the async clients, then the event loop."""
        for closer in reversed(self._closers):
            self.loop.run_until_complete(closer())
        self.loop.close()

    def batch(self, contender: Contender, operation: str, number: int) -> float:
        """Seconds for ``number`` calls; every one must reach the responder exactly once."""
        responder = contender.responder
        responder.canned = self.fixture.responses[operation]
        call = contender.calls[operation]
        before = responder.calls
        if contender.is_async:
            elapsed = self.loop.run_until_complete(_timed_async(call, number))
        else:
            timer = CLOCK.timer
            start = timer()
            for _ in range(number):
                call()
            elapsed = timer() - start
        if responder.calls - before != number:
            raise RuntimeError(
                f"{contender.name} {operation}: {responder.calls - before} requests for {number}"
                " calls (a retry, or a request that did not reach the canned responder)"
            )
        return elapsed

    def prepare(self, batch_seconds: float) -> None:
        """Check each client's request once, then size its batches to ``batch_seconds``."""
        for contender in self.contenders.values():
            for operation in OPERATIONS:
                self.batch(contender, operation, 1)
                check_request(contender.name, operation, contender.responder.last, self.fixture)
                number = 1
                while (elapsed := self.batch(contender, operation, number)) < batch_seconds / 4:
                    number *= 2
                contender.number[operation] = max(1, round(number * batch_seconds / elapsed))


async def _timed_async(call: AsyncCall, number: int) -> float:
    timer = CLOCK.timer
    start = timer()
    for _ in range(number):
        await call()
    return timer() - start


def check_results(bench: Bench) -> None:
    """Every client returns what the canned bodies hold (50 rooms, the room, a token, an id)."""
    fx = bench.fixture
    expected = json.loads(fx.responses["GetRoom"].body)
    for contender in bench.contenders.values():
        results = {}
        for operation in OPERATIONS:
            contender.responder.canned = fx.responses[operation]
            result = contender.calls[operation]()
            if contender.is_async:
                result = bench.loop.run_until_complete(result)
            results[operation] = result
        rooms = results["ListRooms"]
        rooms = rooms["rooms"] if isinstance(rooms, dict) else rooms
        room = results["GetRoom"]
        room_arn = room["arn"] if isinstance(room, dict) else room.arn
        if len(rooms) != 50 or room_arn != expected["arn"]:
            raise RuntimeError(f"{contender.name}: unexpected results {results!r:.300}")


# -- part 1: per call ---------------------------------------------------------------------------


@dataclass
class PerCall:
    """Seconds per call, per round, of each contender on each operation."""

    times: dict[str, dict[str, list[float]]]  # operation -> contender -> per-round seconds

    def median(self, operation: str, contender: str) -> float:
        """Median seconds per call."""
        return statistics.median(self.times[operation][contender])

    def ratio(self, operation: str, numerator: str, denominator: str) -> float:
        """Median over rounds of numerator's time / denominator's time."""
        pairs = zip(
            self.times[operation][numerator], self.times[operation][denominator], strict=True
        )
        return statistics.median(a / b for a, b in pairs)


def per_call(bench: Bench, rounds: int, batch_seconds: float) -> PerCall:
    bench.prepare(batch_seconds)
    names = list(bench.contenders)
    times: dict[str, dict[str, list[float]]] = {op: {n: [] for n in names} for op in OPERATIONS}
    for r in range(rounds):
        for operation in OPERATIONS:
            order = names if r % 2 == 0 else names[::-1]
            for name in order:
                contender = bench.contenders[name]
                number = contender.number[operation]
                gc.collect()
                times[operation][name].append(bench.batch(contender, operation, number) / number)
    return PerCall(times)


# -- part 2: cold start -------------------------------------------------------------------------

_CHILD_PRELUDE = (
    "import sys, time\n"
    "clock = time.process_time if sys.argv[3] == 'cpu' else time.perf_counter\n"
    "t0 = clock()\n"
)
_CHILD_RESULT = """
import json, resource
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:  # ru_maxrss keeps the parent's peak across fork+exec on Linux; VmHWM is this image's own
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    pass
print("RESULT " + json.dumps({
    "import": t1 - t0, "client": t2 - t1, "call": t3 - t2, "total": t3 - t0,
    "maxrss_kib": peak,
    "result": type(result).__name__,
}))
"""
_BOTOCORE_CANNED = """
import io
from botocore.awsrequest import AWSResponse
from botocore.compat import HTTPHeaders
CANNED = json.loads(sys.argv[1])
class RawBody(io.BytesIO):
    def stream(self, **_):
        data = self.read()
        if data:
            yield data
def before_send(request, **_):
    assert request.headers["Authorization"].startswith(b"AWS4-HMAC-SHA256") or \
        request.headers["Authorization"].startswith("AWS4-HMAC-SHA256")
    return AWSResponse(request.url, CANNED["status"], HTTPHeaders.from_dict(CANNED["headers"]),
                       RawBody(CANNED["body"].encode()))
"""
COLD_START: dict[str, str] = {
    "ours": (
        "from ivschat_sdk import IvsChatClient\n"
        "t1 = clock()\n"
        f"client = IvsChatClient(region_name={REGION!r}, aws_access_key_id={ACCESS_KEY!r},"
        f" aws_secret_access_key={SECRET_KEY!r})\n"
        "t2 = clock()\n"
        "import json\n" + _BOTOCORE_CANNED + "client.boto3_client.meta.events.register("
        "'before-send.ivschat', before_send)\n"
        "result = client.create_chat_token(room_identifier=sys.argv[2], user_id='user-42',"
        " capabilities=['SEND_MESSAGE'], session_duration_in_minutes=60,"
        f" attributes={TOKEN_ATTRIBUTES!r})\n"
        "t3 = clock()\n"
    ),
    "boto3": (
        "import boto3\n"
        "t1 = clock()\n"
        f"client = boto3.client('ivschat', region_name={REGION!r}, aws_access_key_id={ACCESS_KEY!r},"
        f" aws_secret_access_key={SECRET_KEY!r})\n"
        "t2 = clock()\n"
        "import json\n" + _BOTOCORE_CANNED + "client.meta.events.register("
        "'before-send.ivschat', before_send)\n"
        "result = client.create_chat_token(roomIdentifier=sys.argv[2], userId='user-42',"
        " capabilities=['SEND_MESSAGE'], sessionDurationInMinutes=60,"
        f" attributes={TOKEN_ATTRIBUTES!r})\n"
        "t3 = clock()\n"
    ),
    "capo": (
        "from capo_ivschat import ivschatClient\n"
        "t1 = clock()\n"
        "import json, zapros\n"
        "CANNED = json.loads(sys.argv[1])\n"
        "class Canned(zapros.BaseHandler):\n"
        "    def handle(self, request):\n"
        "        assert request.headers['authorization'].startswith('AWS4-HMAC-SHA256')\n"
        "        return zapros.Response(CANNED['status'], CANNED['headers'],"
        " content=CANNED['body'].encode())\n"
        f"client = ivschatClient(http_handler=Canned(), region={REGION!r},"
        f" credentials={{'access_key': {ACCESS_KEY!r}, 'secret_key': {SECRET_KEY!r}}})\n"
        "t2 = clock()\n"
        "result = client.create_chat_token(sys.argv[2], 'user-42', capabilities=['SEND_MESSAGE'],"
        f" session_duration_in_minutes=60, attributes={TOKEN_ATTRIBUTES!r})\n"
        "t3 = clock()\n"
    ),
    "import ivschat_sdk": "import ivschat_sdk\nt1 = t2 = t3 = clock()\nresult = None\n",
    "from ivschat_sdk import IvsChatClient": (
        "from ivschat_sdk import IvsChatClient\nt1 = t2 = t3 = clock()\nresult = None\n"
    ),
    "import boto3": "import boto3\nt1 = t2 = t3 = clock()\nresult = None\n",
}


@dataclass
class ColdRun:
    """One fresh process: seconds of each phase, process wall time, peak RSS."""

    phases: dict[str, float]
    wall: float
    maxrss_mib: float
    result: str


def cold_run(variant: str, fixture: Fixture, env: dict[str, str]) -> ColdRun:
    canned = fixture.responses["CreateChatToken"]
    payload = json.dumps(
        {"status": canned.status, "headers": canned.headers, "body": canned.body.decode()}
    )
    code = _CHILD_PRELUDE + COLD_START[variant] + _CHILD_RESULT
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", code, payload, fixture.room_arn, CLOCK.name],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    wall = time.perf_counter() - start
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"cold start {variant!r} failed:\n{proc.stdout}\n{proc.stderr}")
    data = json.loads(lines[-1][len("RESULT ") :])
    phases = {k: data[k] for k in ("import", "client", "call", "total")}
    return ColdRun(phases, wall, data["maxrss_kib"] / 1024, data["result"])


def cold_start(fixture: Fixture, runs: int) -> dict[str, list[ColdRun]]:
    env = scrubbed_environment()
    variants = [v for v in COLD_START if capo_ivschat is not None or v != "capo"]
    for variant in variants:  # warm-up: bytecode caches, page cache
        cold_run(variant, fixture, env)
    results: dict[str, list[ColdRun]] = {v: [] for v in variants}
    for r in range(runs):
        for variant in variants if r % 2 == 0 else variants[::-1]:
            results[variant].append(cold_run(variant, fixture, env))
    return results


def cold_ratio(results: dict[str, list[ColdRun]], a: str, b: str, key: str = "total") -> float:
    """Median over rounds of a's / b's time."""
    return statistics.median(
        x.phases[key] / y.phases[key] for x, y in zip(results[a], results[b], strict=True)
    )


# -- part 3: chat frames ------------------------------------------------------------------------


def chat_frames(count: int = 1000) -> list[str]:
    """Server frames as the service writes them: 85% MESSAGE, 10% custom EVENT, 5% deletions."""
    base_ns = 1_795_000_000_123_456_789
    frames = []
    for i in range(count):
        send_time = format_send_time(base_ns + i * 7_654_321)
        if i % 20 == 0:
            frame: dict[str, Any] = {
                "Type": "EVENT", "Id": f"EvDel{i:07d}", "RequestId": "",
                "EventName": "aws:DELETE_MESSAGE",
                "Attributes": {"MessageID": f"MsGid{i - 1:07d}", "Reason": "spam"},
                "SendTime": send_time,
            }  # fmt: skip
        elif i % 10 == 5:
            frame = {
                "Type": "EVENT", "Id": f"EvApp{i:07d}", "RequestId": "",
                "EventName": EVENT_NAME, "Attributes": EVENT_ATTRIBUTES, "SendTime": send_time,
            }  # fmt: skip
        else:
            frame = {
                "Type": "MESSAGE", "Id": f"MsGid{i:07d}",
                "RequestId": f"8fe65e61-1fa2-4563-a90d-{i:012d}",
                "Content": f"message number {i}: hello everyone in the room!",
                "Attributes": {"color": "red"} if i % 3 else None,
                "SendTime": send_time,
                "Sender": {"UserId": f"user-{i % 97}", "Attributes": TOKEN_ATTRIBUTES},
            }  # fmt: skip
        frames.append(json.dumps(frame, separators=(",", ":"), ensure_ascii=False))
    return frames


def frame_parsing(rounds: int, batch_seconds: float) -> tuple[list[float], list[float]]:
    """Seconds per frame of ``parse_frame`` and of ``json.loads``, per round."""
    frames = chat_frames()
    parsed = [parse_frame(f) for f in frames]
    if any(p is None for p in parsed):
        raise RuntimeError("a benchmark frame was not parsed into a model")

    def ours() -> None:
        for f in frames:
            parse_frame(f)

    def baseline() -> None:
        loads = json.loads
        for f in frames:
            loads(f)

    timer = CLOCK.timer
    start = timer()
    ours()
    number = max(1, round(batch_seconds / (timer() - start)))
    ours_t: list[float] = []
    base_t: list[float] = []
    for r in range(rounds):
        for fn, out in [(ours, ours_t), (baseline, base_t)][:: 1 if r % 2 == 0 else -1]:
            gc.collect()
            start = timer()
            for _ in range(number):
                fn()
            out.append((timer() - start) / (number * len(frames)))
    return ours_t, base_t


# -- the report ---------------------------------------------------------------------------------


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def report(
    command: str,
    rounds: int,
    pc: PerCall,
    names: Sequence[str],
    cold: dict[str, list[ColdRun]],
    frames: tuple[list[float], list[float]],
    direct: dict[str, list[str]],
) -> None:
    versions = [f"Python {sys.version.split()[0]}", f"boto3 {boto3.__version__}"]
    import botocore

    versions.append(f"botocore {botocore.__version__}")
    if capo_ivschat is not None:
        from importlib.metadata import version

        versions.append(f"capo-ivschat {version('capo-ivschat')}")
        versions.append(f"aiobotocore {version('aiobotocore')}")
    print(f"$ {command}    # in the benchmark's venv: benchmarks/README.md")
    print(f"({', '.join(versions)}; {os.cpu_count()} cores, shared)")
    print()
    print(
        f"Per call, canned wire bytes, no socket: median µs ({CLOCK.label}) per call over"
        f" {rounds} paired rounds;"
    )
    print("speed-ups are medians of per-round ratios (their time / ours).")
    head = f"{'operation':<17}" + "".join(f"{n:>12}" for n in names)
    extra = ["vs boto3", "vs capo", "async/sync"]
    print(head + "".join(f"{e:>11}" for e in extra))
    for op in OPERATIONS:
        row = f"{LABELS[op]:<17}" + "".join(f"{pc.median(op, n) * 1e6:12.1f}" for n in names)
        row += f"{pc.ratio(op, 'boto3', 'ours'):10.2f}x"
        row += f"{pc.ratio(op, 'capo', 'ours'):10.2f}x" if "capo" in names else f"{'-':>11}"
        row += (
            f"{pc.ratio(op, 'ours-async', 'ours'):11.2f}" if "ours-async" in names else f"{'-':>11}"
        )
        print(row)
    for name, operations in direct.items():
        standard = [op for op in OPERATIONS if op not in operations]
        print(
            f"{name}: the direct path for {', '.join(operations) or 'no operation'}"
            + (f"; botocore's standard path for {', '.join(standard)}" if standard else "")
            + " (each operation's first call, in the warm-up, took the standard path)"
        )
    print()
    total = "total"
    print(
        f"Cold start, fresh interpreter: median ms over {len(next(iter(cold.values())))} runs"
        f" (alternating); phases timed inside the process ({CLOCK.label}), wall = the whole"
        " process, interpreter start-up included"
    )
    print(
        f"{'process':<38}{'import':>8}{'client':>8}{'1st call':>9}{total:>8}{'wall':>8}"
        f"{'peak RSS':>10}"
    )
    for variant, runs in cold.items():

        def med(key: str, runs: list[ColdRun] = runs) -> float:
            return statistics.median(r.phases[key] for r in runs) * 1e3

        label = (
            variant if variant.startswith(("import", "from")) else f"{variant}: import+client+call"
        )
        client_call = (
            f"{med('client'):8.1f}{med('call'):9.1f}"
            if not variant.startswith(("import", "from"))
            else f"{'':8}{'':9}"
        )
        wall = statistics.median(r.wall for r in runs) * 1e3
        rss = statistics.median(r.maxrss_mib for r in runs)
        print(
            f"{label:<38}{med('import'):8.1f}{client_call}{med('total'):8.1f}{wall:8.1f}"
            f"{rss:8.1f}Mi"
        )
    print()
    ours_f, base_f = frames
    ratio = statistics.median(b / o for o, b in zip(ours_f, base_f, strict=True))
    print(
        "Chat frames (1,000 server frames: 85% MESSAGE, 10% EVENT, 5% aws:DELETE_MESSAGE;"
        f" {CLOCK.label})"
    )
    print(f"{'json.loads only':<38}{1 / statistics.median(base_f):12,.0f} frames/s")
    print(
        f"{'ivschat_sdk.messaging parse_frame':<38}{1 / statistics.median(ours_f):12,.0f} frames/s"
    )
    print()

    print("Targets (issue 13)")
    if "capo" in names:
        for op in OPERATIONS:
            r = pc.ratio(op, "capo", "ours")
            print(f"  {_verdict(r >= 1.0)}  {LABELS[op]}: ours >= capo-ivschat ({r:.2f}x)")
    else:
        print("  skip  ours >= capo-ivschat: capo-ivschat is not installed here")
    r = pc.ratio("ListRooms", "boto3", "ours")
    print(f"  {_verdict(r >= 6.0)}  ListRooms (50): ours >= 6x raw boto3 ({r:.2f}x)")
    r = pc.ratio("CreateChatToken", "boto3", "ours")
    print(f"  {_verdict(r >= 2.0)}  CreateChatToken: ours >= 2x raw boto3 ({r:.2f}x)")
    if "ours-async" in names:
        worst = max(OPERATIONS, key=lambda op: pc.ratio(op, "ours-async", "ours"))
        r = pc.ratio(worst, "ours-async", "ours")
        print(
            f"  {_verdict(r <= 1.10)}  async client within 10% of sync on every operation"
            f" (worst {LABELS[worst]}: {r:.2f}x the sync time)"
        )
    r = cold_ratio(cold, "ours", "boto3")
    print(f"  {_verdict(r <= 1.0)}  cold start: ours no slower than raw boto3 ({r:.2f}x its time)")
    if "capo" in cold:
        r = cold_ratio(cold, "ours", "capo")
        print(f"  info  cold start: ours {r:.2f}x capo-ivschat's time")
    r = cold_ratio(cold, "import ivschat_sdk", "import boto3")
    print(f"  {_verdict(r <= 1.0)}  `import ivschat_sdk` no slower than `import boto3` ({r:.2f}x)")
    r = cold_ratio(cold, "from ivschat_sdk import IvsChatClient", "import boto3")
    print(
        f"  {_verdict(r <= 1.0)}  (stricter) `from ivschat_sdk import IvsChatClient` no slower"
        f" than `import boto3` ({r:.2f}x)"
    )
    ours_rss = statistics.median(x.maxrss_mib for x in cold["ours"])
    boto_rss = statistics.median(x.maxrss_mib for x in cold["boto3"])
    print(
        f"  {_verdict(ours_rss <= boto_rss + 5)}  cold-start peak RSS: ours <= boto3 + 5 MiB"
        f" ({ours_rss - boto_rss:+.1f} MiB)"
    )
    print(f"  {_verdict(ratio >= 0.5)}  chat frames: ours >= 0.5x json.loads ({ratio:.2f}x)")


# -- profiling ------------------------------------------------------------------------------------

# Components: (where the frame's file is, part of the function's name or None, component).
# The innermost frame of a sample that matches a SPECIFIC rule decides where the sample's
# time goes; helpers (botocore.utils, urllib.parse, hmac...) count for the component that
# called them. Only a sample that no specific rule matches falls to the GENERIC rules.
UA = "User-Agent string"
PARSE = "response parsing"
CONVERT = "ours: conversion to models (cattrs hooks, attrs __init__)"
PREPARE = "ours: argument conversion + constraint checks"
SPECIFIC_RULES: list[tuple[str, str | None, str]] = [
    ("json/", None, "JSON decoding/encoding (stdlib json)"),
    ("bench_speed.py", "before_send", "benchmark: canned responder"),
    ("bench_speed.py", "CannedZaprosHandler", "benchmark: canned responder"),
    ("bench_speed.py", "_RawBody", "benchmark: canned responder"),
    ("bench_speed.py", "_CannedAWSResponse", "benchmark: canned responder"),
    ("botocore/useragent.py", None, UA),
    ("ivschat_sdk/_fast_path.py", "UserAgent", UA),
    ("ivschat_sdk/_fast_path.py", "user_agent", UA),
    ("botocore/auth.py", None, "SigV4 signing (botocore.auth)"),
    ("botocore/signers.py", None, "signer plumbing (choose-signer, before-sign, credentials)"),
    ("botocore/credentials.py", None, "signer plumbing (choose-signer, before-sign, credentials)"),
    ("botocore/endpoint_provider.py", None, "endpoint ruleset resolution"),
    ("botocore/regions.py", None, "endpoint ruleset resolution"),
    ("botocore/validate.py", None, "botocore parameter validation"),
    ("botocore/serialize.py", None, "request serialization (botocore.serialize)"),
    ("ivschat_sdk/_timestamps.py", None, f"{PARSE}: timestamps"),
    ("ivschat_sdk/_fast_path.py", "_timestamp", f"{PARSE}: timestamps"),
    ("botocore/parsers.py", None, f"{PARSE} (botocore's parser)"),
    ("aiobotocore/parsers.py", None, f"{PARSE} (botocore's parser)"),
    ("ivschat_sdk/_fast_path.py", None, f"{PARSE} (ours: compiled shapes)"),
    ("botocore/retries/", None, "retry handlers"),
    ("aiobotocore/retries/", None, "retry handlers"),
    ("botocore/retryhandler.py", None, "retry handlers"),
    ("ivschat_sdk/_retries.py", None, "retry handlers"),
    ("ivschat_sdk/_constraints.py", None, PREPARE),
    ("ivschat_sdk/_core.py", "prepare", PREPARE),
    ("ivschat_sdk/_core.py", "_arn", PREPARE),
    ("ivschat_sdk/_core.py", "_wire", PREPARE),
    ("ivschat_sdk/_core.py", "_string_map", PREPARE),
    ("ivschat_sdk/_core.py", "_enum_values", PREPARE),
    ("ivschat_sdk/_core.py", "_items", PREPARE),
    ("ivschat_sdk/_core.py", "_handler_wire", PREPARE),
    ("ivschat_sdk/_converter.py", None, CONVERT),
    ("<cattrs generated", None, CONVERT),
    ("<attrs generated", None, CONVERT),
    ("<ivschat_sdk structure", None, CONVERT),
    ("ivschat_sdk/_models.py", None, CONVERT),
    ("ivschat_sdk/_core.py", "convert", CONVERT),
    ("ivschat_sdk/_core.py", "result", CONVERT),
    ("ivschat_sdk/_core.py", "_model", CONVERT),
    ("ivschat_sdk/_core.py", "_id", CONVERT),
    ("ivschat_sdk/_core.py", "<lambda>", CONVERT),
    ("ivschat_sdk/_pagination.py", None, "ours: paginator"),
    ("botocore/hooks.py", None, "event emission (botocore.hooks dispatch)"),
    ("aiobotocore/hooks.py", None, "event emission (botocore.hooks dispatch)"),
    ("botocore/handlers.py", None, "botocore's built-in event handlers"),
    ("aiobotocore/handlers.py", None, "botocore's built-in event handlers"),
    ("botocore/awsrequest.py", None, "AWSRequest / prepared request / AWSResponse objects"),
    ("aiobotocore/awsrequest.py", None, "AWSRequest / prepared request / AWSResponse objects"),
    ("botocore/model.py", None, "service model lookups"),
    ("botocore/endpoint.py", None, "botocore endpoint: send loop, response dict"),
    ("aiobotocore/endpoint.py", None, "botocore endpoint: send loop, response dict"),
    ("botocore/client.py", None, "botocore client: _make_api_call, request dict, context"),
    ("aiobotocore/client.py", None, "botocore client: _make_api_call, request dict, context"),
    ("botocore/context.py", None, "botocore client: _make_api_call, request dict, context"),
    ("ivschat_sdk/messaging/_frames.py", "_event", "frames: events"),
    (
        "ivschat_sdk/messaging/_frames.py",
        "parse_frame",
        "frames: parse_frame (json.loads, dispatch)",
    ),
    ("ivschat_sdk/messaging/", None, "frames: models, senders, attributes"),
    ("ivschat_sdk/", None, "ours: client methods (_invoke...)"),
    ("bench_speed.py", None, "interpreter: calls, returns, freeing results (benchmark loop frame)"),
    ("capo_ivschat/_auth/", None, "capo: SigV4 signing"),
    ("capo_ivschat/_rule_engine/", None, "capo: endpoint rules"),
    ("capo_ivschat/types/", None, "capo: (de)serialization"),
    ("capo_ivschat/", None, "capo: pipeline, operation"),
    ("pywhatwgurl/", None, "capo: URL objects (pywhatwgurl)"),
    ("zapros/", None, "capo: zapros request/response"),
    ("multidict/", None, "capo: zapros request/response"),
]
GENERIC_RULES: list[tuple[str, str | None, str]] = [
    ("botocore/", None, "botocore: other"),
    ("ivschat_sdk/", None, "ours: other"),
    ("asyncio/", None, "asyncio event loop"),
]
_FRAME = re.compile(r"^(?P<func>.*) \((?P<file>.*?)(?::\d+)?\)$")


def _short(path: str) -> str:
    for prefix in ("site-packages/", str(HERE.parent.parent) + "/", "/lib/python3."):
        if prefix in path:
            path = path.rsplit(prefix, 1)[-1]
            return path.split("/", 1)[-1] if prefix == "/lib/python3." else path
    return path


def classify(stack: Sequence[tuple[str, str]]) -> tuple[str, str]:
    """The component of one sample (frames as (function, file), root first), and its frame."""
    for rules in (SPECIFIC_RULES, GENERIC_RULES):
        for func, file in reversed(stack):
            path = file.replace("\\", "/")
            for where, name, component in rules:
                if where in path and (name is None or name in func):
                    return component, f"{func} ({_short(path)})"
    leaf = stack[-1] if stack else ("?", "?")
    return "other (stdlib, interpreter)", f"{leaf[0]} ({leaf[1]})"


def profile_child(target: str, seconds: float) -> None:
    """``--profile-child CLIENT:OP``: call one operation in a loop (what the profiler samples).

    ``frames:parse_frame`` parses the chat frames of part 3 instead.
    """
    client_name, operation = target.split(":")
    if client_name == "frames":
        frames = chat_frames()

        def parse(number: int) -> float:
            timer = CLOCK.timer
            start = timer()
            for _ in range(number):
                for frame in frames:
                    parse_frame(frame)
            return timer() - start

        run, bench, units = parse, None, len(frames)
    else:
        bench = Bench(make_fixture(), with_async=client_name == "ours-async")
        contender = bench.contenders[client_name]
        contender.responder.canned = bench.fixture.responses[operation]
        units = 1

        def run(number: int) -> float:
            assert bench is not None
            return bench.batch(contender, operation, number)

    run(20)
    number, elapsed = 0, 0.0
    while elapsed < seconds:
        elapsed += _profile_loop(run, 20)
        number += 20
    print(f"PERCALL {elapsed / (number * units)}")
    if bench is not None:
        bench.close()


def _profile_loop(run: Callable[[int], float], number: int) -> float:
    return run(number)


def _py_spy() -> str | None:
    return shutil.which("py-spy") or (
        str(Path(sys.executable).with_name("py-spy"))
        if Path(sys.executable).with_name("py-spy").exists()
        else None
    )


@dataclass
class Profile:
    """Samples of one path by component, and by component's innermost frame."""

    components: Counter[str]
    frames: Counter[tuple[str, str]]
    percall: float
    how: str


def sample_profile(target: str, seconds: float) -> Profile:
    """Profile one path (``CLIENT:OPERATION``) in a child process."""
    env = scrubbed_environment()
    child = [sys.executable, str(HERE), "--profile-child", target, "--seconds", str(seconds)]
    components: Counter[str] = Counter()
    frames: Counter[tuple[str, str]] = Counter()
    py_spy = _py_spy()
    if py_spy is not None:
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "stacks.txt")
            proc = _run_bounded(
                [py_spy, "record", "--full-filenames", "--rate", "499",
                 "--format", "raw", "--output", out, "--", *child],
                env, timeout=seconds * 4 + 120,
            )  # fmt: skip
            if proc.returncode == 0 and os.path.exists(out):
                for line in Path(out).read_text().splitlines():
                    stack_text, _, n = line.rpartition(" ")
                    stack = [_parse_frame(f) for f in stack_text.split(";")]
                    if not any(func == "_profile_loop" for func, _ in stack):
                        continue  # set-up, not the measured loop
                    component, frame = classify(stack)
                    components[component] += int(n)
                    frames[component, frame] += int(n)
                how = "py-spy record, 499 Hz"
                return Profile(components, frames, _percall(proc.stdout), how)
            print(f"  (py-spy failed, using cProfile: {proc.stderr.strip()[-300:]})")
    # cProfile: each function's own time, classified by its own frame.
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "prof")
        proc = _run_bounded(
            [sys.executable, "-m", "cProfile", "-o", out, *child[1:]], env, seconds * 10 + 120
        )
        if proc.returncode != 0:
            raise RuntimeError(f"profiling {target} failed: {proc.stderr[-500:]}")
        import pstats

        stats: Any = pstats.Stats(out).stats
        for (file, _line, func), (_cc, _nc, tottime, _ct, _callers) in stats.items():
            component, frame = classify([(func, file)])
            components[component] += round(tottime * 1e6)
            frames[component, frame] += round(tottime * 1e6)
        how = "cProfile: own time per function (it inflates call-heavy code)"
        return Profile(components, frames, _percall(proc.stdout), how)


def _run_bounded(
    command: list[str], env: dict[str, str], timeout: float
) -> subprocess.CompletedProcess[str]:
    """Run ``command`` in its own process group; on time-out, end that group and raise."""
    with subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    ) as proc:  # fmt: skip
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.communicate()
            raise
    return subprocess.CompletedProcess(command, proc.returncode, stdout, stderr)


def _parse_frame(text: str) -> tuple[str, str]:
    match = _FRAME.match(text)
    return (match["func"], match["file"]) if match else (text, "")


def _percall(stdout: str) -> float:
    lines = [line for line in stdout.splitlines() if line.startswith("PERCALL ")]
    return float(lines[-1].split()[1]) if lines else float("nan")


def _importtime(code: str) -> dict[str, int]:
    """Self time in µs of each module that ``code`` imports, from ``-X importtime``."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        env=scrubbed_environment(), capture_output=True, text=True, check=True,
    )  # fmt: skip
    modules: dict[str, int] = {}
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+\d+ \| *(\S+)", line)
        if m:
            modules[m[2]] = int(m[1])
    return modules


def import_profile(runs: int = 7) -> None:
    """``python -X importtime``: our import against ``import boto3``, by package (medians)."""
    ours_code = "import ivschat_sdk; from ivschat_sdk import IvsChatClient"
    codes = {"ours": ours_code, "boto3": "import boto3"}
    samples: dict[str, list[dict[str, int]]] = {name: [] for name in codes}
    for r in range(runs):
        for name in list(codes) if r % 2 == 0 else list(codes)[::-1]:
            samples[name].append(_importtime(codes[name]))

    def median_of(name: str, key: Callable[[str], str]) -> dict[str, float]:
        keys = {key(m) for run in samples[name] for m in run}
        return {
            k: statistics.median(
                sum(us for m, us in run.items() if key(m) == k) for run in samples[name]
            )
            for k in keys
        }

    def top_level(module: str) -> str:
        return module.split(".")[0]

    ours, boto = median_of("ours", top_level), median_of("boto3", top_level)
    total_ours = statistics.median(sum(run.values()) for run in samples["ours"])
    total_boto = statistics.median(sum(run.values()) for run in samples["boto3"])
    print(f"Import profile: python -X importtime, medians of {runs} runs each, alternating")
    print(f"  ours  = {ours_code!r}: {total_ours / 1e3:.1f} ms of module self time")
    print(f"  boto3 = 'import boto3': {total_boto / 1e3:.1f} ms")
    print(f"  {'package':<24}{'ours ms':>9}{'boto3 ms':>10}{'share of ours':>15}")
    for package in sorted(
        set(ours) | set(boto), key=lambda p: -max(ours.get(p, 0), boto.get(p, 0))
    )[:18]:
        a, b = ours.get(package, 0.0), boto.get(package, 0.0)
        print(f"  {package:<24}{a / 1e3:9.1f}{b / 1e3:10.1f}{a / total_ours:15.1%}")
    modules = median_of("ours", lambda m: m)
    mine = sorted(
        ((m, us) for m, us in modules.items() if m.startswith("ivschat_sdk")), key=lambda x: -x[1]
    )
    print("  ivschat_sdk modules (self ms): " + ", ".join(f"{m} {us / 1e3:.1f}" for m, us in mine))
    only = {m for run in samples["ours"] for m in run} - {
        m for run in samples["boto3"] for m in run
    }
    extra = sorted(
        ((m, modules[m]) for m in only if not m.startswith("ivschat_sdk")), key=lambda x: -x[1]
    )
    extra_total = sum(us for _, us in extra)
    print(
        f"  imported by ours, not by boto3 (besides ivschat_sdk): {len(extra)} modules,"
        f" {extra_total / 1e3:.1f} ms; largest: "
        + ", ".join(f"{m} {us / 1e3:.1f}" for m, us in extra[:8])
    )
    skipped = {m for run in samples["boto3"] for m in run} - {
        m for run in samples["ours"] for m in run
    }
    print(
        f"  imported by boto3, not by ours: {', '.join(sorted({top_level(m) for m in skipped})) or '-'}"
    )


def profile(seconds: float, only: str | None = None) -> None:
    """Print where the time of each of our per-call paths goes, then the import's."""
    targets = [f"ours:{op}" for op in OPERATIONS]
    if AioSession is not None:
        targets += [f"ours-async:{op}" for op in OPERATIONS]
    targets.append("frames:parse_frame")
    if only:
        targets = only.split(",")
    for target in targets:
        prof = sample_profile(target, seconds)
        total = sum(prof.components.values()) or 1
        per = "frame" if target.startswith("frames") else "call"
        print(
            f"Profile of {target}: {prof.percall * 1e6:.1f} µs per {per} while profiled"
            f" ({prof.how}; {total} samples)"
        )
        for component, n in prof.components.most_common():
            share = n / total
            print(f"  {share:6.1%} {share * prof.percall * 1e6:7.1f} µs  {component}")
            if share >= 0.03:
                top = [(f, c) for (comp, f), c in prof.frames.most_common() if comp == component]
                for frame, count in top[:3]:
                    print(f"  {'':23}{count / total:5.1%} in {frame}")
        print()
    if not only:
        import_profile()


# -- main -----------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, help="paired rounds per call (default 15; quick 5)")
    parser.add_argument("--cold-runs", type=int, help="fresh processes per variant (11; quick 7)")
    parser.add_argument("--quick", action="store_true", help="fewer, shorter rounds")
    parser.add_argument(
        "--clock",
        choices=("cpu", "wall"),
        default="cpu",
        help="time the process's CPU (default; robust on a shared machine) or the wall clock",
    )
    parser.add_argument("--profile", action="store_true", help="profile our per-call paths")
    parser.add_argument("--seconds", type=float, default=6.0, help="profiled seconds per path")
    parser.add_argument(
        "--profile-targets",
        help="with --profile: only these CLIENT:OPERATION paths, e.g. ours:GetRoom,capo:GetRoom",
    )
    parser.add_argument("--profile-child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    CLOCK.name = args.clock
    os.environ.clear()
    os.environ.update(scrubbed_environment())
    if args.profile_child:
        profile_child(args.profile_child, args.seconds)
        return
    if args.profile:
        profile(args.seconds, args.profile_targets)
        return
    rounds = args.rounds or (5 if args.quick else 15)
    cold_runs = max(7, args.cold_runs or (7 if args.quick else 11))
    batch_seconds = 0.03 if args.quick else 0.06
    command = "python benchmarks/bench_speed.py" + "".join(
        f" {a}" for a in (argv if argv is not None else sys.argv[1:])
    )
    if capo_ivschat is None:
        print("capo-ivschat is not installed: its columns are skipped (see benchmarks/README.md)")
    fixture = make_fixture()
    bench = Bench(fixture)
    try:
        check_results(bench)
        names = list(bench.contenders)
        pc = per_call(bench, rounds, batch_seconds)
        direct = bench.direct_operations()
    finally:
        bench.close()
    cold = cold_start(fixture, cold_runs)
    frames = frame_parsing(rounds, batch_seconds * 2)
    report(command, rounds, pc, names, cold, frames, direct)


if __name__ == "__main__":
    main()
