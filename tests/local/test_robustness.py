"""Property tests: generated garbage never makes the local IVS Chat answer 5xx or change state."""

from __future__ import annotations

import http.client
import json
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ivschat_sdk.local import LocalIvsChat, LocalServer, WireRequest
from ivschat_sdk.local._emulator import _operations

from ..conftest import AUTHORIZATION, wire_request

OPERATIONS = sorted(_operations())
ERROR_CODES = {400, 402, 403, 404, 409, 413, 429}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False)
    | st.text(max_size=300),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=20), children, max_size=5),
    max_leaves=20,
)  # fmt: skip

MEMBER_NAMES = st.sampled_from([
    "name", "identifier", "roomIdentifier", "maximumMessageLength", "maximumMessageRatePerSecond",
    "messageReviewHandler", "tags", "loggingConfigurationIdentifiers", "userId", "capabilities",
    "sessionDurationInMinutes", "attributes", "eventName", "id", "reason", "nextToken", "maxResults",
    "destinationConfiguration", "messageReviewHandlerUri", "loggingConfigurationIdentifier",
]) | st.text(max_size=15)  # fmt: skip

bodies = st.one_of(
    st.binary(max_size=300),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.dictionaries(MEMBER_NAMES, json_values, max_size=6).map(lambda v: json.dumps(v).encode()),
)
paths = st.one_of(
    st.sampled_from(OPERATIONS).map(lambda op: "/" + op),
    st.text(max_size=60).map(lambda t: "/tags/" + quote(t, safe="")),
    st.text(max_size=60).map(lambda t: "/tags/" + t),
    st.text(max_size=40),
)
methods = st.sampled_from(["POST", "GET", "DELETE", "PUT", "PATCH", "HEAD"]) | st.text(max_size=8)
headers = st.one_of(
    st.just({"authorization": AUTHORIZATION}),
    st.just({}),
    st.text(max_size=80).map(lambda t: {"authorization": t}),
)


def seeded() -> LocalIvsChat:
    """An emulator holding a room, a tagged logging configuration and nothing else."""
    local = LocalIvsChat()
    config = local.handle(
        wire_request(
            "CreateLoggingConfiguration",
            {"destinationConfiguration": {"s3": {"bucketName": "abc"}}, "tags": {"t": "1"}},
        )
    ).json()
    local.handle(
        wire_request(
            "CreateRoom", {"name": "seed", "loggingConfigurationIdentifiers": [config["arn"]]}
        )
    )
    return local


def check_answer(status: int, answer_headers: dict[str, Any], body: bytes) -> None:
    assert status < 500, (status, body)
    if status >= 400:
        assert status in ERROR_CODES
        assert answer_headers["x-amzn-ErrorType"]
        payload = json.loads(body)
        assert isinstance(payload["message"], str)
        assert payload["message"]


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(method=methods, path=paths, query=st.text(max_size=40), hdrs=headers, body=bodies)
def test_garbage_never_breaks_the_emulator(
    method: str, path: str, query: str, hdrs: dict[str, str], body: bytes
) -> None:
    """Any request gets 2xx or a well-formed 4xx; a rejected one leaves the state as it was."""
    local = seeded()
    before = local.export_state()
    answer = local.handle(
        WireRequest(method=method, path=path, query=query, headers=hdrs, body=body)
    )
    check_answer(answer.status, answer.headers, answer.body)
    if answer.status >= 400:
        assert local.export_state() == before


@settings(max_examples=400, deadline=None)
@given(
    operation=st.sampled_from(OPERATIONS),
    params=st.dictionaries(MEMBER_NAMES, json_values, max_size=6),
)
def test_wrong_json_types_per_operation(operation: str, params: dict[str, Any]) -> None:
    """Well-formed JSON with wrong types, missing or unknown members, for every operation."""
    local = seeded()
    before = local.export_state()
    if operation in ("TagResource", "UntagResource", "ListTagsForResource"):
        params.setdefault("resourceArn", "arn:aws:ivschat:us-west-2:123456789012:room/AAAAAAAAAAAA")
        params["resourceArn"] = str(params["resourceArn"])
        if operation == "UntagResource":
            keys = params.get("tagKeys")
            params["tagKeys"] = [str(k) for k in keys] if isinstance(keys, list) else [str(keys)]
    answer = local.handle(wire_request(operation, params))
    check_answer(answer.status, answer.headers, answer.body)
    if answer.status >= 400:
        assert local.export_state() == before


@pytest.fixture(scope="module")
def server() -> Any:
    with LocalServer() as s:
        yield s


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    method=st.sampled_from(["POST", "GET", "DELETE", "PUT"]),
    path=st.one_of(
        st.sampled_from(OPERATIONS).map(lambda op: "/" + op),
        st.text(max_size=60).map(lambda t: "/tags/" + quote(t, safe="")),
        st.text(st.characters(min_codepoint=33, max_codepoint=126), max_size=40).map(
            lambda t: "/" + quote(t, safe="/%")
        ),
    ),
    body=bodies,
    with_auth=st.booleans(),
)
def test_garbage_over_http(
    server: Any, method: str, path: str, body: bytes, with_auth: bool
) -> None:
    """Over real HTTP too: no 5xx, well-formed errors, and the server keeps answering."""
    parts = urlsplit(server.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request(
            method, path, body=body, headers={"Authorization": AUTHORIZATION} if with_auth else {}
        )
        response = conn.getresponse()
        check_answer(response.status, dict(response.getheaders()), response.read())
    finally:
        conn.close()
