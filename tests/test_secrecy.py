"""Secrets (chat tokens, secret keys, session tokens) never show in reprs, errors or logs."""

from __future__ import annotations

import logging

import pytest

from ivschat_sdk import ChatToken, IvsChatClient, S3DestinationConfiguration
from ivschat_sdk.local import LocalIvsChat


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


SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY"
SESSION_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE/SESSION+TOKEN/Zm9vYmFy=="


def _every_operation(client: IvsChatClient) -> str:
    """Call each of the 17 operations twice; return the chat tokens issued on the way.

    The second round takes the direct path (see ``ivschat_sdk._direct``).
    """
    return _every_operation_once(client) + " " + _every_operation_once(client)


def _every_operation_once(client: IvsChatClient) -> str:
    config = client.create_logging_configuration(
        destination_configuration=S3DestinationConfiguration(bucket_name="logs"), tags={"a": "b"}
    )
    client.get_logging_configuration(identifier=config)
    client.update_logging_configuration(identifier=config, name="renamed")
    list(client.list_logging_configurations())
    room = client.create_room(logging_configuration_identifiers=[config])
    client.get_room(identifier=room)
    client.update_room(identifier=room, name="lobby", logging_configuration_identifiers=[])
    list(client.list_rooms())
    token = client.create_chat_token(room_identifier=room, user_id="u", attributes={"a": "b"})
    event_id = client.send_event(room_identifier=room, event_name="e")
    client.delete_message(room_identifier=room, id=event_id)
    client.disconnect_user(room_identifier=room, user_id="u")
    client.tag_resource(resource_arn=room, tags={"k": "v"})
    client.list_tags_for_resource(resource_arn=room)
    client.untag_resource(resource_arn=room, tag_keys=["k"])
    client.delete_room(identifier=room)
    client.delete_logging_configuration(identifier=config)
    return token.token


def _leaks(records: list[logging.LogRecord], secrets: dict[str, str]) -> list[tuple[str, str]]:
    """(logger, which secret) for every record whose text holds a secret."""
    found = []
    for record in records:
        text = record.getMessage() + repr(record.__dict__)
        found += [(record.name, name) for name, value in secrets.items() if value in text]
    return found


def test_no_secret_in_any_debug_record_in_process(
    local: LocalIvsChat, caplog: pytest.LogCaptureFixture
) -> None:
    """All 17 operations at DEBUG with temporary credentials: no record holds a secret.

    Neither the secret key, the session token nor the chat token appears in any record.
    """
    client = IvsChatClient(
        region_name="us-west-2",
        aws_access_key_id="ASIAEXAMPLE",
        aws_secret_access_key=SECRET_KEY,
        aws_session_token=SESSION_TOKEN,
    )
    with caplog.at_level(logging.DEBUG):
        chat_token = _every_operation(client)
    names = {r.name for r in caplog.records}
    assert {"botocore.auth", "botocore.endpoint", "botocore.parsers"} <= names
    assert any("x-amz-security-token:<redacted>" in r.getMessage() for r in caplog.records)
    secrets = {"secret key": SECRET_KEY, "session token": SESSION_TOKEN}
    secrets.update({f"chat token {i}": token for i, token in enumerate(chat_token.split())})
    assert _leaks(caplog.records, secrets) == []


def test_no_secret_in_any_debug_record_over_http(
    ivschat_local_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The same over a real socket, where urllib3 logs too."""
    client = IvsChatClient(
        region_name="us-west-2",
        endpoint_url=ivschat_local_url,
        aws_access_key_id="ASIAEXAMPLE",
        aws_secret_access_key=SECRET_KEY,
        aws_session_token=SESSION_TOKEN,
    )
    with caplog.at_level(logging.DEBUG):
        chat_token = _every_operation(client)
    assert any(r.name.startswith("urllib3") for r in caplog.records)
    secrets = {"secret key": SECRET_KEY, "session token": SESSION_TOKEN}
    secrets.update({f"chat token {i}": token for i, token in enumerate(chat_token.split())})
    assert _leaks(caplog.records, secrets) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x-amz-security-token:IQo/a+b==\nhost:x", "x-amz-security-token:<redacted>\nhost:x"),
        ("{'X-Amz-Security-Token': b'IQo/a+b=='}", "{'X-Amz-Security-Token': b'<redacted>'}"),
        (
            "X-Amz-Security-Token=IQo%2Fa&X-Amz-Date=1",
            "X-Amz-Security-Token=<redacted>&X-Amz-Date=1",
        ),
        (
            'b\'{"token":"AQ#x!~.y","nextToken":"keep"}\'',
            'b\'{"token":"<redacted>","nextToken":"keep"}\'',
        ),
        ("<SessionToken>IQo+/=</SessionToken>", "<SessionToken><redacted></SessionToken>"),
        (
            "<SecretAccessKey>abc/d</SecretAccessKey>",
            "<SecretAccessKey><redacted></SecretAccessKey>",
        ),
        ("aws_secret_access_key = abc", "aws_secret_access_key = <redacted>"),
        ("nextToken=keep&maxResults=1", "nextToken=keep&maxResults=1"),
    ],
)
def test_redaction_table(text: str, expected: str) -> None:
    """Each form a secret takes in botocore's logs is redacted; pagination tokens are not."""
    from ivschat_sdk._redaction import redact

    assert redact(text) == expected


def test_no_secret_in_any_debug_record_of_the_async_client(
    ivschat_local_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The async client over HTTP (aiobotocore and aiohttp log too): no record holds a secret."""
    import asyncio

    pytest.importorskip("aiobotocore", reason="the async client needs ivschat-sdk[async]")
    from ivschat_sdk import AsyncIvsChatClient

    async def run() -> str:
        async with AsyncIvsChatClient(
            region_name="us-west-2",
            endpoint_url=ivschat_local_url,
            aws_access_key_id="ASIAEXAMPLE",
            aws_secret_access_key=SECRET_KEY,
            aws_session_token=SESSION_TOKEN,
        ) as client:
            room = await client.create_room()
            tokens = [
                (await client.create_chat_token(room_identifier=room, user_id="u")).token
                for _ in range(2)  # the second on the direct path
            ]
            await client.tag_resource(resource_arn=room, tags={"k": "v"})
            return " ".join(tokens)

    with caplog.at_level(logging.DEBUG):
        chat_token = asyncio.run(run())
    assert any(r.name.startswith("aiobotocore") for r in caplog.records)
    secrets = {"secret key": SECRET_KEY, "session token": SESSION_TOKEN}
    secrets.update({f"chat token {i}": token for i, token in enumerate(chat_token.split())})
    assert _leaks(caplog.records, secrets) == []
