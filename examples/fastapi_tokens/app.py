"""A token-vending and moderation backend for one IVS Chat room, on FastAPI.

Browsers ask ``POST /chat-token`` for a chat token (capabilities by the user's role) and
hand it to AWS's JavaScript chat client; moderators delete messages, disconnect users and
send events through the other endpoints. One :class:`~ivschat_sdk.AsyncIvsChatClient` serves
the app's lifetime. Configuration, from the environment:

* ``IVSCHAT_ROOM_ARN`` (required): the room.
* ``IVSCHAT_REGION``: the AWS region (default: the room ARN's).
* ``IVSCHAT_ENDPOINT_URL``: another endpoint, e.g. a running ``ivschat-local``.

Run it with ``uvicorn app:app`` from this folder (see README.md).

Who is asking is a STAND-IN FOR REAL AUTHENTICATION: the ``X-Demo-User`` header names one
of :data:`DEMO_USERS`, believed as it is. A real backend takes the user from its session or
a verified JWT instead (only :func:`current_user` changes).
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from ivschat_sdk import (
    APIError,
    AsyncIvsChatClient,
    ChatTokenCapability,
    IvsChatError,
    ParamValidationError,
    ResourceNotFoundError,
    ThrottlingError,
)

__all__ = ["DEMO_USERS", "ROLE_CAPABILITIES", "DemoUser", "Settings", "app", "create_app"]

_log = logging.getLogger("fastapi_tokens")

Role = Literal["viewer", "chatter", "moderator"]

ROLE_CAPABILITIES: Mapping[Role, tuple[ChatTokenCapability, ...]] = {
    "viewer": (),
    "chatter": (ChatTokenCapability.SEND_MESSAGE,),
    "moderator": (
        ChatTokenCapability.SEND_MESSAGE,
        ChatTokenCapability.DELETE_MESSAGE,
        ChatTokenCapability.DISCONNECT_USER,
    ),
}
"""What each role's chat token allows besides reading."""

RETRY_AFTER_SECONDS = 1
"""The ``Retry-After`` of a 429: IVS Chat's quotas are per second."""


@dataclass(frozen=True)
class DemoUser:
    """A user of the demo: an id for IVS Chat, a name to show, a role."""

    user_id: str
    display_name: str
    role: Role


DEMO_USERS: Mapping[str, DemoUser] = {
    "alice": DemoUser("alice", "Alice", "moderator"),
    "bob": DemoUser("bob", "Bob", "chatter"),
    "carol": DemoUser("carol", "Carol", "viewer"),
}
"""The demo's users, by the ``X-Demo-User`` header value (a stand-in for authentication)."""


@dataclass(frozen=True)
class Settings:
    """Where the backend's room is and how to reach IVS Chat."""

    room_arn: str
    region: str
    endpoint_url: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        """Read ``IVSCHAT_ROOM_ARN``, ``IVSCHAT_REGION`` and ``IVSCHAT_ENDPOINT_URL``.

        Raises:
            RuntimeError: ``IVSCHAT_ROOM_ARN`` is not set, or no region is given nor in it.

        """
        room_arn = environ.get("IVSCHAT_ROOM_ARN", "")
        if not room_arn:
            raise RuntimeError("set IVSCHAT_ROOM_ARN to the chat room's ARN")
        arn_parts = room_arn.split(":")
        region = environ.get("IVSCHAT_REGION") or (arn_parts[3] if len(arn_parts) > 3 else "")
        if not region:
            raise RuntimeError("set IVSCHAT_REGION, or IVSCHAT_ROOM_ARN to a room ARN")
        return cls(room_arn, region, environ.get("IVSCHAT_ENDPOINT_URL") or None)


@dataclass(frozen=True)
class Chat:
    """The app's IVS Chat client and room, made once by the lifespan."""

    client: AsyncIvsChatClient
    room_arn: str


def get_chat(request: Request) -> Chat:
    """The :class:`Chat` the lifespan put in the app's state."""
    chat: Chat = request.app.state.chat
    return chat


def current_user(x_demo_user: Annotated[str | None, Header()] = None) -> DemoUser:
    """STAND-IN FOR REAL AUTHENTICATION: the demo user the ``X-Demo-User`` header names.

    Raises:
        HTTPException: 401 for a missing or unknown user.

    """
    user = DEMO_USERS.get(x_demo_user or "")
    if user is None:
        raise HTTPException(401, f"send X-Demo-User: one of {', '.join(DEMO_USERS)}")
    return user


def moderator(user: Annotated[DemoUser, Depends(current_user)]) -> DemoUser:
    """The current user, who must be a moderator.

    Raises:
        HTTPException: 403 for any other role.

    """
    if user.role != "moderator":
        raise HTTPException(403, "moderators only")
    return user


ChatDep = Annotated[Chat, Depends(get_chat)]
UserDep = Annotated[DemoUser, Depends(current_user)]
ModeratorDep = Annotated[DemoUser, Depends(moderator)]


class DeleteMessageBody(BaseModel):
    """``POST /moderation/delete-message``: the message's id, and why."""

    id: str
    reason: str | None = None


class DisconnectBody(BaseModel):
    """``POST /moderation/disconnect``: the user to disconnect, and why."""

    user_id: str
    reason: str | None = None


class EventBody(BaseModel):
    """``POST /events``: an event for every client in the room."""

    event_name: str
    attributes: dict[str, str] | None = None


class IdAnswer(BaseModel):
    """The id IVS Chat gave the delete operation or event."""

    id: str


router = APIRouter()


@router.post("/chat-token")
async def chat_token(user: UserDep, chat: ChatDep) -> dict[str, str]:
    """A chat token for the current user, as the JS chat client's ``tokenProvider`` wants it.

    ``{"token", "tokenExpirationTime", "sessionExpirationTime"}``, times in ISO 8601.
    """
    token = await chat.client.create_chat_token(
        room_identifier=chat.room_arn,
        user_id=user.user_id,
        capabilities=ROLE_CAPABILITIES[user.role],
        attributes={"displayName": user.display_name, "role": user.role},
    )
    _log.info("chat token issued to %s (%s)", user.user_id, user.role)  # never the token
    return token.to_client_dict()


@router.post("/moderation/delete-message")
async def delete_message(body: DeleteMessageBody, user: ModeratorDep, chat: ChatDep) -> IdAnswer:
    """Tell the room's clients to delete a message."""
    op_id = await chat.client.delete_message(
        room_identifier=chat.room_arn, id=body.id, reason=body.reason
    )
    _log.info("%s deleted message %s", user.user_id, body.id)
    return IdAnswer(id=op_id)


@router.post("/moderation/disconnect", status_code=204)
async def disconnect(body: DisconnectBody, user: ModeratorDep, chat: ChatDep) -> None:
    """Disconnect every connection of a user from the room."""
    await chat.client.disconnect_user(
        room_identifier=chat.room_arn, user_id=body.user_id, reason=body.reason
    )
    _log.info("%s disconnected %s", user.user_id, body.user_id)


@router.post("/events")
async def send_event(body: EventBody, user: ModeratorDep, chat: ChatDep) -> IdAnswer:
    """Send an event to every client in the room (moderators only)."""
    event_id = await chat.client.send_event(
        room_identifier=chat.room_arn, event_name=body.event_name, attributes=body.attributes
    )
    _log.info("%s sent event %s", user.user_id, body.event_name)
    return IdAnswer(id=event_id)


async def ivschat_error(request: Request, exc: Exception) -> Response:
    """Answer an :class:`IvsChatError` with a status, never a stack trace or a secret.

    Throttling: 429 with ``Retry-After``; a deleted room: 404; a parameter IVS Chat would
    refuse: 422 naming the body's field (as FastAPI's own 422 does); anything else: 502.
    """
    if isinstance(exc, ParamValidationError):
        detail = [
            {"type": "value_error", "loc": ["body", param], "msg": problem}
            for param, problem in exc.problems
        ]
        return JSONResponse({"detail": detail}, status_code=422)
    if isinstance(exc, APIError):
        _log.warning(
            "IVS Chat %s failed: %s (request id %s)", exc.operation, exc.code, exc.request_id
        )
    else:
        _log.warning("IVS Chat failed: %s", type(exc).__name__)
    if isinstance(exc, ThrottlingError):
        return JSONResponse(
            {"detail": "IVS Chat is busy; retry later"},
            status_code=429,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    if isinstance(exc, ResourceNotFoundError):
        return JSONResponse({"detail": "the chat room does not exist"}, status_code=404)
    return JSONResponse({"detail": "IVS Chat failed"}, status_code=502)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The backend; without ``settings`` it reads them from the environment at startup."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        config = settings or Settings.from_env()
        async with AsyncIvsChatClient(
            region_name=config.region, endpoint_url=config.endpoint_url
        ) as client:
            # Fail at startup, not at the first request, if the room is wrong or missing.
            await client.get_room(identifier=config.room_arn)
            app.state.chat = Chat(client, config.room_arn)
            yield

    app = FastAPI(title="IVS Chat tokens", lifespan=lifespan)
    app.include_router(router)
    app.add_exception_handler(IvsChatError, ivschat_error)
    return app


app = create_app()
"""The app for ``uvicorn app:app``."""
