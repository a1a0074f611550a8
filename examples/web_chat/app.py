"""A chat page and its backend: the FastAPI token example plus the page's static files.

The backend is :func:`examples.fastapi_tokens.app.create_app` as it is (``POST /chat-token``,
the moderation endpoints, ``POST /events``, on one :class:`~ivschat_sdk.AsyncIvsChatClient`),
with two additions:

* ``GET /chat-config``: where the page's chat client connects (``{"regionOrUrl": ...}``,
  the ``regionOrUrl`` of AWS's JS ``ChatRoom``);
* ``/``: the page (``static/index.html``, ``static/style.css`` and the bundle esbuild builds
  from ``src/chat.js`` into ``static/dist/chat.js``: ``npm ci && npm run build`` here).

Configuration, from the environment: the token example's ``IVSCHAT_ROOM_ARN``,
``IVSCHAT_REGION`` and ``IVSCHAT_ENDPOINT_URL``, and

* ``IVSCHAT_CHAT_URL``: the chat WebSocket URL. Default: ``IVSCHAT_ENDPOINT_URL`` with ``ws``
  for ``http`` (ivschat-local serves both on one port), else the region (AWS).

Run it from the repository's root with ``uvicorn examples.web_chat.app:app`` (see README.md).
Authentication is the token example's stand-in: the page sends ``X-Demo-User``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from examples.fastapi_tokens.app import Settings
from examples.fastapi_tokens.app import create_app as create_token_app

__all__ = ["BUNDLE", "STATIC_DIR", "app", "chat_url", "create_app"]

_log = logging.getLogger("web_chat")

STATIC_DIR = Path(__file__).parent / "static"
"""The page's files, served at ``/``."""
BUNDLE = STATIC_DIR / "dist" / "chat.js"
"""The page's script, built by ``npm run build`` (esbuild) from ``src/chat.js``."""


def chat_url(settings: Settings, environ: Mapping[str, str] = os.environ) -> str:
    """The ``regionOrUrl`` for the page's ``ChatRoom``.

    ``IVSCHAT_CHAT_URL`` if set; else the control-plane endpoint with ``ws``/``wss`` for
    ``http``/``https`` (ivschat-local serves HTTP and WebSocket on one port); else the region,
    from which the JS client makes AWS's chat URL.
    """
    explicit = environ.get("IVSCHAT_CHAT_URL")
    if explicit:
        return explicit
    if settings.endpoint_url:
        parts = urlsplit(settings.endpoint_url)
        scheme = {"http": "ws", "https": "wss"}.get(parts.scheme, parts.scheme)
        return urlunsplit((scheme, parts.netloc, "", "", ""))
    return settings.region


def create_app(
    settings: Settings | None = None, *, chat_url_override: str | None = None
) -> FastAPI:
    """The token backend with ``GET /chat-config`` and the page at ``/``.

    Without ``settings`` they are read from the environment (at startup for the token
    backend, at each ``/chat-config`` for the chat URL); ``chat_url_override`` replaces
    :func:`chat_url`'s choice.
    """
    app = create_token_app(settings)

    @app.get("/chat-config")
    async def chat_config() -> dict[str, str]:
        """Where the page's chat client connects: ``{"regionOrUrl": ...}``."""
        return {"regionOrUrl": chat_url_override or chat_url(settings or Settings.from_env())}

    if not BUNDLE.exists():
        _log.warning(
            "%s is missing: run `npm ci && npm run build` in %s", BUNDLE, BUNDLE.parents[2]
        )
    # Mounted last: the API routes above, and the token app's, are matched first.
    app.mount("/", StaticFiles(directory=STATIC_DIR, html=True), name="page")
    return app


app = create_app()
"""The app for ``uvicorn examples.web_chat.app:app``."""
