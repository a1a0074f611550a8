"""The local IVS Chat: an in-memory emulator of Amazon IVS Chat.

:class:`LocalIvsChat` answers the service's HTTP requests as the service does. Reach it in
process through :func:`ivschat_sdk.testing.mock_ivschat`, which routes every boto3
``ivschat`` client to it, or over HTTP with :class:`LocalServer` and the ``ivschat-local``
command (both need ``pip install 'ivschat-sdk[local]'``).
"""

from ._backend import DEFAULT_ACCOUNT_ID, LOGGING_CONFIGURATION_QUOTA, TOKEN_LIFETIME
from ._chat import REVIEW_TIMEOUT, ChatHub, ReviewHandler
from ._emulator import API_RATE_LIMITS, MAX_BODY_BYTES, LocalIvsChat, WireRequest, WireResponse
from ._lambda import LambdaHandler
from ._records import ChatSession
from ._server import DEFAULT_PORT, MAX_PENDING_BYTES, LocalServer, http_review_handler, make_server

__all__ = [
    "API_RATE_LIMITS",
    "DEFAULT_ACCOUNT_ID",
    "DEFAULT_PORT",
    "LOGGING_CONFIGURATION_QUOTA",
    "MAX_BODY_BYTES",
    "MAX_PENDING_BYTES",
    "REVIEW_TIMEOUT",
    "TOKEN_LIFETIME",
    "ChatHub",
    "ChatSession",
    "LambdaHandler",
    "LocalIvsChat",
    "LocalServer",
    "ReviewHandler",
    "WireRequest",
    "WireResponse",
    "http_review_handler",
    "make_server",
]
