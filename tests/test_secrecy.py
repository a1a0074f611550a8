"""Chat tokens never show in reprs, strings, errors or logs."""

from __future__ import annotations

import logging

import pytest

from ivschat_sdk import ChatToken, IvsChatClient


def test_token_not_in_repr_or_str(client: IvsChatClient) -> None:
    """repr() and str() of a ChatToken leave the token out."""
    room = client.create_room()
    token = client.create_chat_token(room_identifier=room, user_id="u")
    assert len(token.token) > 32
    assert token.token not in repr(token)
    assert token.token not in str(token)
    assert "token_expiration_time" in repr(token)


def test_token_not_in_logs_even_at_debug(
    client: IvsChatClient, caplog: pytest.LogCaptureFixture
) -> None:
    """With every logger at DEBUG (botocore logs whole response bodies), no record holds it."""
    room = client.create_room()
    with caplog.at_level(logging.DEBUG):
        token = client.create_chat_token(room_identifier=room, user_id="u", attributes={"a": "b"})
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "Response body" in text  # botocore did log the body...
    assert token.token not in text  # ...without the token
    assert "<redacted>" in text


def test_token_not_in_equality_based_messages() -> None:
    """Tokens compare by value, but a failed comparison's repr does not reveal them."""
    from datetime import datetime, timezone

    now = datetime.now(timezone.utc)
    a = ChatToken(token="secret-a", token_expiration_time=now, session_expiration_time=now)
    b = ChatToken(token="secret-b", token_expiration_time=now, session_expiration_time=now)
    assert a != b
    assert "secret" not in repr(a) + repr(b)
