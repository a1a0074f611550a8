"""Fixtures shared by the test suite: the local IVS Chat and clients bound to it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

import boto3
import pytest
from botocore.retries.standard import ExponentialBackoff

from ivschat_sdk import IvsChatClient
from ivschat_sdk.local import LocalIvsChat, WireRequest
from ivschat_sdk.testing import mock_ivschat

REGION = "us-west-2"


@pytest.fixture
def local() -> Iterator[LocalIvsChat]:
    """A fresh local IVS Chat that every boto3 ivschat client talks to during the test."""
    with mock_ivschat() as emulator:
        yield emulator


@pytest.fixture(scope="session")
def boto3_session() -> boto3.Session:
    """One boto3 session for the suite: building a session costs ~100 ms, a client ~5 ms.

    Its credentials are resolved inside the first test's mock, so they are the fake ones.
    """
    return boto3.Session()


@pytest.fixture
def client(local: LocalIvsChat, boto3_session: boto3.Session) -> Iterator[IvsChatClient]:
    """Our typed client, on the local IVS Chat."""
    with IvsChatClient(region_name=REGION, boto3_session=boto3_session) as c:
        yield c


@pytest.fixture
def raw(local: LocalIvsChat, boto3_session: boto3.Session) -> Any:
    """A plain boto3 ivschat client, on the local IVS Chat."""
    return boto3_session.client("ivschat", region_name=REGION)


AUTHORIZATION = (
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261127/us-west-2/ivschat/aws4_request, "
    "SignedHeaders=content-type;host;x-amz-date, Signature=0123"
)


def wire_request(operation: str, params: dict[str, Any]) -> WireRequest:
    """The request botocore would send for ``operation`` (tag operations in the path)."""
    headers = {"authorization": AUTHORIZATION, "content-type": "application/json"}
    if operation in ("TagResource", "UntagResource", "ListTagsForResource"):
        params = dict(params)
        path = "/tags/" + quote(str(params.pop("resourceArn")), safe="")
        method = {"TagResource": "POST", "UntagResource": "DELETE"}.get(operation, "GET")
        query = urlencode([("tagKeys", k) for k in params.pop("tagKeys", [])], quote_via=quote)
        body = json.dumps(params).encode() if operation == "TagResource" else b""
        return WireRequest(method=method, path=path, query=query, headers=headers, body=body)
    return WireRequest(
        method="POST", path="/" + operation, headers=headers, body=json.dumps(params).encode()
    )


@pytest.fixture
def retry_delays(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record botocore's retry backoff delays instead of sleeping through them."""
    delays: list[float] = []
    original = ExponentialBackoff.delay_amount

    def record(self: ExponentialBackoff, context: Any) -> float:
        delays.append(original(self, context))
        return 0.0

    monkeypatch.setattr(ExponentialBackoff, "delay_amount", record)
    return delays
