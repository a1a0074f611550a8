"""The data loader of the sessions the SDK makes (``_constraints.use_fast_data_loader``).

It must load exactly what botocore's own loader loads (models, endpoint rules, endpoints),
raise what botocore raises, follow the same search path (``AWS_DATA_PATH`` included), and
give clients that send the same requests; it must not scan every service's folder.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import botocore.loaders
import botocore.session
import pytest
from botocore.awsrequest import AWSResponse
from botocore.compat import HTTPHeaders
from botocore.config import Config
from botocore.exceptions import DataNotFoundError, UnknownServiceError

from ivschat_sdk import _constraints
from ivschat_sdk._constraints import use_fast_data_loader

ROOM = "arn:aws:ivschat:us-west-2:123456789012:room/AbCdEfGh1234"


@pytest.fixture(autouse=True)
def no_aws_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No AWS variable or file of the machine running the tests takes part."""
    import os

    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))


def sessions() -> tuple[botocore.session.Session, botocore.session.Session]:
    """A plain botocore session and one with the SDK's data loader."""
    fast = botocore.session.get_session()
    use_fast_data_loader(fast)
    return botocore.session.get_session(), fast


def fast_loader() -> Any:
    return sessions()[1].get_component("data_loader")


@pytest.mark.parametrize("service", ["ivschat", "sts", "s3", "sso-oidc"])
@pytest.mark.parametrize("type_name", ["service-2", "endpoint-rule-set-1", "paginators-1"])
def test_same_models_as_botocore(service: str, type_name: str) -> None:
    """Service models, endpoint rules and paginators are botocore's, extras applied."""
    plain, fast = (s.get_component("data_loader") for s in sessions())
    assert type(fast) is not type(plain)
    try:
        expected = plain.load_service_model(service, type_name)
    except DataNotFoundError:
        with pytest.raises(DataNotFoundError):
            fast.load_service_model(service, type_name)
        return
    assert fast.load_service_model(service, type_name) == expected
    versions = plain.list_api_versions(service, type_name)
    assert fast.load_service_model(service, type_name, versions[0]) == plain.load_service_model(
        service, type_name, versions[0]
    )


def test_endpoints_and_partitions_are_botocore_s() -> None:
    """endpoints.json holds the same data (plain dicts, same order); partitions.json as is."""
    plain, fast = (s.get_component("data_loader") for s in sessions())
    endpoints = fast.load_data("endpoints")
    assert type(endpoints) is dict
    assert endpoints == plain.load_data("endpoints")
    assert json.dumps(endpoints) == json.dumps(plain.load_data("endpoints"))
    assert fast.load_data("partitions") == plain.load_data("partitions")
    assert fast.load_data_with_path("endpoints")[1] == plain.load_data_with_path("endpoints")[1]


def test_unknown_service_and_version_raise_as_in_botocore() -> None:
    """An unknown service names the known ones; an unknown version is data not found."""
    plain, fast = (s.get_component("data_loader") for s in sessions())
    with pytest.raises(UnknownServiceError) as expected:
        plain.load_service_model("no-such-service", "service-2")
    with pytest.raises(UnknownServiceError) as got:
        fast.load_service_model("no-such-service", "service-2")
    assert str(got.value) == str(expected.value)
    with pytest.raises(DataNotFoundError):
        fast.load_service_model("ivschat", "service-2", "1999-01-01")
    with pytest.raises(UnknownServiceError):
        sessions()[1].create_client("no-such-service", region_name="us-west-2")


def test_no_scan_of_every_service(monkeypatch: pytest.MonkeyPatch) -> None:
    """Creating an ivschat client lists no service folders but ivschat's."""
    calls: list[Any] = []
    monkeypatch.setattr(
        botocore.loaders.Loader,
        "list_available_services",
        lambda self, type_name: calls.append(type_name) or [],
    )
    session = sessions()[1]
    session.create_client(
        "ivschat", region_name="us-west-2", aws_access_key_id="a", aws_secret_access_key="b"
    )
    assert calls == []


def test_data_path_is_followed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A newer model in AWS_DATA_PATH wins, as with botocore's loader."""
    plain_model = botocore.session.get_session().get_service_model("ivschat")
    data = tmp_path / "models"
    custom = data / "ivschat" / "2099-01-01"
    custom.mkdir(parents=True)
    raw = dict(botocore.loaders.Loader().load_service_model("ivschat", "service-2"))
    raw["metadata"] = {**raw["metadata"], "apiVersion": "2099-01-01"}
    (custom / "service-2.json").write_text(json.dumps(raw), encoding="utf-8")
    monkeypatch.setenv("AWS_DATA_PATH", str(data))
    plain, fast = sessions()
    assert fast.get_component("data_loader").search_paths == (
        plain.get_component("data_loader").search_paths
    )
    assert fast.get_service_model("ivschat").api_version == "2099-01-01"
    assert plain.get_service_model("ivschat").api_version == "2099-01-01"
    assert plain_model.api_version != "2099-01-01"


class Recorder:
    """A before-send handler: records each request, answers a canned CreateChatToken."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, str]] = []

    def __call__(self, request: Any, **_: Any) -> AWSResponse:
        auth = request.headers["Authorization"]
        auth = auth.decode() if isinstance(auth, bytes) else auth
        scope = auth.split("Credential=")[1].split(",")[0]
        self.requests.append((request.method, request.url, scope.split("/", 2)[2]))
        body = {"token": "t", "tokenExpirationTime": "2024-05-01T12:00:00Z",
                "sessionExpirationTime": "2024-05-01T13:00:00Z"}  # fmt: skip
        headers = HTTPHeaders.from_dict({"content-type": "application/json"})
        return AWSResponse(request.url, 200, headers, _Body(json.dumps(body).encode()))


class _Body:
    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._data

    def read(self, *_: Any) -> bytes:
        data, self._data = self._data, b""
        return data


@pytest.mark.parametrize(
    ("kwargs", "env"),
    [
        ({"region_name": "us-west-2"}, {}),
        ({"region_name": "eu-central-1"}, {}),
        ({"region_name": "ap-northeast-1", "endpoint_url": "http://localhost:8080"}, {}),
        ({"region_name": "us-east-1"}, {"AWS_ENDPOINT_URL_IVSCHAT": "http://127.0.0.1:9000"}),
        ({"region_name": "us-east-1"}, {"AWS_ENDPOINT_URL": "https://example.com"}),
        ({"config": Config(region_name="eu-west-1")}, {}),
        ({}, {"AWS_DEFAULT_REGION": "ca-central-1"}),
        ({"region_name": "us-west-2", "config": Config(use_dualstack_endpoint=True)}, {}),
        ({"region_name": "cn-north-1"}, {}),
    ],
)
def test_clients_send_the_same_requests(
    kwargs: dict[str, Any], env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same endpoint, region, signing scope and request with either loader."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    sent = []
    for session in sessions():
        client = session.create_client(
            "ivschat", aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="s", **kwargs
        )
        recorder = Recorder()
        client.meta.events.register("before-send.ivschat", recorder)
        client.create_chat_token(roomIdentifier=ROOM, userId="u")
        sent.append(
            (client.meta.endpoint_url, client.meta.region_name, client.meta.partition,
             recorder.requests)
        )  # fmt: skip
    assert sent[0] == sent[1]


def test_a_profile_from_the_config_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Region, credentials and endpoint of a profile are read as botocore reads them."""
    config = tmp_path / "config"
    config.write_text(
        "[profile dev]\nregion = eu-west-1\naws_access_key_id = AKIDPROFILE\n"
        "aws_secret_access_key = secret\nendpoint_url = http://localhost:4566\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_PROFILE", "dev")
    sent = []
    for session in sessions():
        client = session.create_client("ivschat")
        recorder = Recorder()
        client.meta.events.register("before-send.ivschat", recorder)
        client.create_chat_token(roomIdentifier=ROOM, userId="u")
        sent.append((client.meta.region_name, recorder.requests))
    assert sent[0] == sent[1]
    assert sent[0][1][0][1].startswith("http://localhost:4566/")


def test_service_model_uses_the_fast_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    """The constraint checker's own model (no client yet) comes without a full scan."""
    expected = botocore.session.get_session().get_service_model("ivschat")
    monkeypatch.setattr(_constraints, "_MODEL", [])
    monkeypatch.setattr(
        botocore.loaders.Loader,
        "list_available_services",
        lambda self, type_name: pytest.fail("scanned every service"),
    )
    model = _constraints.service_model()
    assert model.service_name == "ivschat"
    assert model.metadata == expected.metadata
    assert model.operation_names == expected.operation_names
    assert model.shape_names == expected.shape_names
