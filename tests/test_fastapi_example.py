"""examples/fastapi_tokens: the token-vending and moderation backend, on the local IVS Chat."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TypeVar

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI

from examples.fastapi_tokens import app as example
from ivschat_sdk import IvsChatClient, ResourceNotFoundError
from ivschat_sdk.local import LocalIvsChat, LocalServer
from ivschat_sdk.messaging import (
    ChatClient,
    ChatEvent,
    ChatItem,
    ChatMessage,
    ChatRequestError,
    MessageDeletedEvent,
    UserDisconnectedEvent,
)

from .interop._npm import install_node_modules
from .interop.conftest import JS_DIR

REGION = "us-west-2"
ISO_Z = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
EXAMPLE_DIR = Path(example.__file__).parent
T = TypeVar("T", bound=ChatItem)


def as_user(name: str) -> dict[str, str]:
    """The stand-in authentication header of a demo user."""
    return {"X-Demo-User": name}


def create_room() -> str:
    """A new room on whatever local IVS Chat is active in process; its ARN."""
    with IvsChatClient(region_name=REGION) as client:
        return client.create_room(name="fastapi-example").arn


@pytest.fixture
def room(local_ivschat: LocalIvsChat) -> str:
    """A room on the in-process local IVS Chat."""
    return create_room()


@asynccontextmanager
async def serve(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The backend in process: its lifespan run, then requests through httpx's ASGITransport.

    (Not Starlette's TestClient: with httpx rather than httpx2 it warns of a deprecation.)
    """
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://backend") as client:
            yield client


def backend(room_arn: str) -> FastAPI:
    """The example app for a room of the in-process local IVS Chat."""
    return example.create_app(example.Settings(room_arn=room_arn, region=REGION))


@pytest_asyncio.fixture
async def http(room: str) -> AsyncIterator[httpx.AsyncClient]:
    """The backend for ``room``, started and served in process."""
    async with serve(backend(room)) as client:
        yield client


async def next_item(chat: ChatClient, kind: type[T]) -> T:
    """The next item of ``kind`` the chat client receives (others are skipped)."""
    while True:
        item = await chat.receive(timeout=5)
        if isinstance(item, kind):
            return item


# -- POST /chat-token ----------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("user", "capabilities"),
    [
        ("carol", ()),
        ("bob", ("SEND_MESSAGE",)),
        ("alice", ("SEND_MESSAGE", "DELETE_MESSAGE", "DISCONNECT_USER")),
    ],
)
async def test_chat_token_capabilities_by_role(
    http: httpx.AsyncClient, local_ivschat: LocalIvsChat, user: str, capabilities: tuple[str, ...]
) -> None:
    """Each role's token has exactly its capabilities, in the JS tokenProvider's shape.

    The answer is ``{token, tokenExpirationTime, sessionExpirationTime}``, times ISO-8601 Z;
    the user's display name and role ride along as the token's attributes.
    """
    response = await http.post("/chat-token", headers=as_user(user))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "tokenExpirationTime", "sessionExpirationTime"}
    assert ISO_Z.fullmatch(body["tokenExpirationTime"])
    assert ISO_Z.fullmatch(body["sessionExpirationTime"])
    session = local_ivschat.redeem_chat_token(body["token"])
    assert session is not None
    assert session.user_id == user
    assert set(session.capabilities) == set(capabilities)
    role = example.DEMO_USERS[user].role
    assert session.attributes == {"displayName": user.capitalize(), "role": role}


@pytest.mark.asyncio
@pytest.mark.parametrize("headers", [{}, as_user("mallory")])
async def test_chat_token_needs_a_known_user(
    http: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    """No X-Demo-User, or an unknown one: 401, and no token."""
    response = await http.post("/chat-token", headers=headers)
    assert response.status_code == 401
    assert "token" not in response.json()


# -- moderation and events -----------------------------------------------------------------


@pytest.mark.asyncio
async def test_moderation_endpoints_call_ivs_chat(
    http: httpx.AsyncClient, local_ivschat: LocalIvsChat
) -> None:
    """A moderator's delete, disconnect and event reach IVS Chat; the ids come back."""
    alice = as_user("alice")
    deleted = await http.post(
        "/moderation/delete-message", json={"id": "AbCdEfGh1234", "reason": "spam"}, headers=alice
    )
    assert deleted.status_code == 200
    assert set(deleted.json()) == {"id"}
    kicked = await http.post("/moderation/disconnect", json={"user_id": "bob"}, headers=alice)
    assert kicked.status_code == 204
    event = await http.post(
        "/events", json={"event_name": "app:poll", "attributes": {"q": "1"}}, headers=alice
    )
    assert event.status_code == 200
    assert set(event.json()) == {"id"}
    for operation in ("DeleteMessage", "DisconnectUser", "SendEvent"):
        assert local_ivschat.call_counts[operation] == 1


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/moderation/delete-message", {"id": "AbCdEfGh1234"}),
        ("/moderation/disconnect", {"user_id": "bob"}),
        ("/events", {"event_name": "app:poll"}),
    ],
)
@pytest.mark.parametrize("user", ["bob", "carol"])
async def test_moderation_is_for_moderators(
    http: httpx.AsyncClient, local_ivschat: LocalIvsChat, path: str, body: dict[str, str], user: str
) -> None:
    """A chatter or viewer gets 403 from every moderation endpoint; IVS Chat is not called."""
    assert (await http.post(path, json=body, headers=as_user(user))).status_code == 403
    assert (await http.post(path, json=body)).status_code == 401
    assert sum(local_ivschat.call_counts.values()) == 2  # the test's CreateRoom, startup GetRoom


# -- errors --------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_throttling_is_429_with_retry_after(
    http: httpx.AsyncClient, local_ivschat: LocalIvsChat, retry_delays: list[float]
) -> None:
    """IVS Chat throttling, still there after the SDK's retries: 429 with Retry-After."""
    local_ivschat.fail_next("CreateChatToken", count=3)
    response = await http.post("/chat-token", headers=as_user("bob"))
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "1"
    assert response.json() == {"detail": "IVS Chat is busy; retry later"}
    assert len(retry_delays) == 2  # the SDK retried before giving up
    assert (await http.post("/chat-token", headers=as_user("bob"))).status_code == 200


@pytest.mark.asyncio
async def test_deleted_room_is_404(http: httpx.AsyncClient, room: str) -> None:
    """The room deleted while the backend runs: 404."""
    with IvsChatClient(region_name=REGION) as client:
        client.delete_room(identifier=room)
    response = await http.post("/chat-token", headers=as_user("bob"))
    assert response.status_code == 404
    assert response.json() == {"detail": "the chat room does not exist"}


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("path", "body", "fields"),
    [
        ("/moderation/delete-message", {"id": "short"}, ["id"]),
        ("/moderation/delete-message", {"id": "AbCdEfGh1234", "reason": "x" * 300}, ["reason"]),
        ("/moderation/disconnect", {"user_id": ""}, ["user_id"]),
        (
            "/events",
            {"event_name": "", "attributes": {"a": "b" * 2000}},
            ["event_name", "attributes"],
        ),
    ],
)
async def test_sdk_validation_is_422_naming_the_field(
    http: httpx.AsyncClient, local_ivschat: LocalIvsChat, path: str, body: object, fields: list[str]
) -> None:
    """A value IVS Chat would refuse: 422 naming each body field, in FastAPI's own shape.

    The SDK refused it before sending: IVS Chat was not called.
    """
    response = await http.post(path, json=body, headers=as_user("alice"))
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert [entry["loc"] for entry in detail] == [["body", field] for field in fields]
    assert all(entry["msg"] for entry in detail)
    assert sum(local_ivschat.call_counts.values()) == 2  # CreateRoom, startup GetRoom


@pytest.mark.asyncio
async def test_malformed_body_is_fastapis_422(http: httpx.AsyncClient) -> None:
    """A missing field is FastAPI's own 422, naming it too."""
    response = await http.post("/moderation/disconnect", json={}, headers=as_user("alice"))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "user_id"]


@pytest.mark.asyncio
@pytest.mark.parametrize("error", ["AccessDeniedException", "InternalServerException"])
async def test_other_errors_are_502_without_details(
    http: httpx.AsyncClient,
    local_ivschat: LocalIvsChat,
    retry_delays: list[float],
    caplog: pytest.LogCaptureFixture,
    error: str,
) -> None:
    """Any other IVS Chat error: 502 saying only that; the log names the code, no traceback."""
    local_ivschat.fail_next("SendEvent", count=3, error=error)
    response = await http.post("/events", json={"event_name": "app:x"}, headers=as_user("alice"))
    assert response.status_code == 502
    assert response.json() == {"detail": "IVS Chat failed"}
    record = next(r for r in caplog.records if r.name == "fastapi_tokens")
    assert error in record.getMessage()
    assert record.exc_info is None
    assert "Traceback" not in caplog.text


@pytest.mark.asyncio
async def test_no_token_in_logs(http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture) -> None:
    """The token issued appears in no log record, every logger at DEBUG.

    botocore's and aiobotocore's records are there (so the check is not empty); the app logs
    who got a token, never the token.
    """
    caplog.set_level(logging.DEBUG)
    token = (await http.post("/chat-token", headers=as_user("alice"))).json()["token"]
    assert "chat token issued to alice (moderator)" in caplog.messages
    assert any(r.name.startswith(("botocore", "aiobotocore")) for r in caplog.records)
    assert token not in caplog.text
    assert all(token not in repr(r.__dict__) for r in caplog.records)


def test_settings_from_environment() -> None:
    """The room ARN is required; the region defaults to the ARN's; the endpoint is optional."""
    arn = "arn:aws:ivschat:eu-west-1:123456789012:room/AbCdEfGh1234"
    assert example.Settings.from_env({"IVSCHAT_ROOM_ARN": arn}) == example.Settings(
        arn, "eu-west-1", None
    )
    env = {
        "IVSCHAT_ROOM_ARN": arn,
        "IVSCHAT_REGION": "us-west-2",
        "IVSCHAT_ENDPOINT_URL": "http://127.0.0.1:8089",
    }
    assert example.Settings.from_env(env) == example.Settings(
        arn, "us-west-2", "http://127.0.0.1:8089"
    )
    with pytest.raises(RuntimeError, match="IVSCHAT_ROOM_ARN"):
        example.Settings.from_env({})


@pytest.mark.asyncio
async def test_startup_fails_for_a_missing_room(local_ivschat: LocalIvsChat) -> None:
    """A room that does not exist stops the app at startup, not at the first request."""
    missing = "arn:aws:ivschat:us-west-2:123456789012:room/AbCdEfGh1234"
    with pytest.raises(ResourceNotFoundError):
        async with serve(backend(missing)):
            pass


# -- end to end: chat clients connect with the tokens the endpoint returned ----------------


@pytest.mark.asyncio
async def test_python_chat_clients_with_endpoint_tokens(local_ivschat_server: LocalServer) -> None:
    """ChatClient connects with /chat-token's tokens, each role doing exactly its part.

    The chatter's message reaches the viewer, the viewer may not send, and the moderation
    endpoints' delete, event and disconnect reach the connected clients.
    """
    async with serve(backend(create_room())) as http:
        tokens = {}
        for user in ("alice", "bob", "carol"):
            response = await http.post("/chat-token", headers=as_user(user))
            tokens[user] = response.json()["token"]
        url = local_ivschat_server.ws_url
        async with (
            ChatClient(token=tokens["alice"], url=url) as alice,
            ChatClient(token=tokens["bob"], url=url) as bob,
            ChatClient(token=tokens["carol"], url=url) as carol,
        ):
            sent = await bob.send_message("hello")
            received = await next_item(carol, ChatMessage)
            assert (received.id, received.content) == (sent.id, "hello")
            assert received.sender.attributes == {"displayName": "Bob", "role": "chatter"}
            with pytest.raises(ChatRequestError) as refused:
                await carol.send_message("viewers cannot send")
            assert refused.value.error_code == 403

            answer = await http.post(
                "/moderation/delete-message",
                json={"id": sent.id, "reason": "spam"},
                headers=as_user("alice"),
            )
            assert answer.status_code == 200
            deleted = await next_item(carol, MessageDeletedEvent)
            assert (deleted.message_id, deleted.reason) == (sent.id, "spam")

            answer = await http.post(
                "/events", json={"event_name": "app:poll"}, headers=as_user("alice")
            )
            event = await next_item(alice, ChatEvent)
            assert (event.id, event.event_name) == (answer.json()["id"], "app:poll")

            answer = await http.post(
                "/moderation/disconnect",
                json={"user_id": "bob", "reason": "rude"},
                headers=as_user("alice"),
            )
            assert answer.status_code == 204
            kicked = await next_item(bob, UserDisconnectedEvent)
            assert (kicked.user_id, kicked.reason) == ("bob", "rude")


@pytest.fixture(scope="session")
def node_modules() -> Path:
    """The official JS packages of tests/interop (skips, saying why, without Node.js/npm)."""
    return install_node_modules(JS_DIR)


@pytest.mark.asyncio
async def test_official_js_chat_client_with_endpoint_token(
    local_ivschat_server: LocalServer, node_modules: Path, tmp_path: Path
) -> None:
    """amazon-ivs-chat-messaging connects with /chat-token's JSON, as a browser app would.

    Its tokenProvider makes Dates of the ISO times; the message it sends reaches a Python
    client with the sender's attributes from the backend.
    """
    # Node resolves the imports of a module from its own folder up: run a copy beside a
    # link to the interop tests' node_modules.
    script = tmp_path / "js_chat_client.mjs"
    shutil.copy(EXAMPLE_DIR / "js_chat_client.mjs", script)
    (tmp_path / "node_modules").symlink_to(node_modules, target_is_directory=True)

    async with serve(backend(create_room())) as http:
        bob_json = (await http.post("/chat-token", headers=as_user("bob"))).text
        alice_token = (await http.post("/chat-token", headers=as_user("alice"))).json()["token"]
    url = local_ivschat_server.ws_url
    async with ChatClient(token=alice_token, url=url) as alice:
        node = await asyncio.create_subprocess_exec(
            "node", str(script), url,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        stdout, stderr = await asyncio.wait_for(node.communicate(bob_json.encode()), 60)
        assert node.returncode == 0, stdout.decode()[-2000:] + stderr.decode()[-3000:]
        received = await next_item(alice, ChatMessage)
    report = json.loads(stdout)
    assert report["state"] == "connected"
    assert report["sent"] == {
        "content": "hello from js",
        "sender": {"userId": "bob", "attributes": {"displayName": "Bob", "role": "chatter"}},
    }
    assert report["disconnectReason"] == "clientDisconnect"
    assert (received.content, received.sender.user_id) == ("hello from js", "bob")
