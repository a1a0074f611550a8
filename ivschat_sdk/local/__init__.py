"""The local IVS Chat: an in-memory emulator of Amazon IVS Chat.

:class:`LocalIvsChat` answers the service's HTTP requests as the service does. Reach it in
process through :func:`ivschat_sdk.testing.mock_ivschat`, which routes every boto3
``ivschat`` client to it.
"""

from ._backend import DEFAULT_ACCOUNT_ID, LOGGING_CONFIGURATION_QUOTA, TOKEN_LIFETIME, ChatSession
from ._emulator import API_RATE_LIMITS, MAX_BODY_BYTES, LocalIvsChat, WireRequest, WireResponse

__all__ = [
    "API_RATE_LIMITS",
    "DEFAULT_ACCOUNT_ID",
    "LOGGING_CONFIGURATION_QUOTA",
    "MAX_BODY_BYTES",
    "TOKEN_LIFETIME",
    "ChatSession",
    "LocalIvsChat",
    "WireRequest",
    "WireResponse",
]
