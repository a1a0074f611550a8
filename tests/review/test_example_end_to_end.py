"""The example review handler, unchanged, in the local IVS Chat, with real chat clients.

``examples/review_handler/moderation.py`` is the module deployed to Lambda as
``moderation.handler``. The local IVS Chat runs that same object: registered in Python with
``register_review_handler``, and from the command line with ``ivschat-local --review-handler
ARN=moderation:handler``, which imports the module as Lambda would. No adapter in between.
"""

from __future__ import annotations

import asyncio
import os
import selectors
import signal
import subprocess
import sys
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from examples.review_handler import moderation
from ivschat_sdk import ChatToken, FallbackResult, IvsChatClient, MessageReviewHandler
from ivschat_sdk.local import LocalIvsChat, LocalServer
from ivschat_sdk.messaging import ChatClient, ChatErrorCode, ChatMessage, ChatRequestError

LAMBDA_ARN = "arn:aws:lambda:us-west-2:123456789012:function:chat-moderation"
EXAMPLE_DIR = Path(__file__).resolve().parents[2] / "examples" / "review_handler"
T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a scenario on a fresh event loop, failing it after 20 seconds."""
    return asyncio.run(asyncio.wait_for(coroutine, 20))


def control_client(url: str) -> IvsChatClient:
    """A control-plane client on the local IVS Chat at ``url``."""
    return IvsChatClient(
        region_name="us-west-2", endpoint_url=url,
        aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret",
    )  # fmt: skip


async def next_message(client: ChatClient) -> ChatMessage:
    """The client's next chat message, skipping events; fails the test after 5 seconds."""

    async def first() -> ChatMessage:
        async for item in client:
            if isinstance(item, ChatMessage):
                return item
        raise AssertionError("the chat connection closed")

    return await asyncio.wait_for(first(), 5)


def masked_text_and_406_for_a_link(http_url: str, ws_url: str) -> None:
    """Alice's words arrive masked at Bob's; her link is refused with 406 and never delivered.

    The room's ``fallbackResult`` is ALLOW: a handler that failed or timed out would let the
    message through unmasked, and the link too, so the scenario would fail.
    """
    with control_client(http_url) as control:
        room = control.create_room(
            name="moderated",
            message_review_handler=MessageReviewHandler(
                uri=LAMBDA_ARN, fallback_result=FallbackResult.ALLOW
            ),
        )

        def tokens(user: str) -> Callable[[], ChatToken]:
            return lambda: control.create_chat_token(
                room_identifier=room, user_id=user, capabilities=["SEND_MESSAGE"]
            )

        async def scenario() -> None:
            async with ChatClient(url=ws_url, token_provider=tokens("alice")) as alice, \
                    ChatClient(url=ws_url, token_provider=tokens("bob")) as bob:  # fmt: skip
                sent = await alice.send_message(
                    "darn, the SPOILER is heckin' good", attributes={"c": "1"}
                )
                assert sent.content == "****, the ******* is heckin' good"
                got = await next_message(bob)
                assert (got.content, dict(got.attributes), got.id) == (
                    sent.content,
                    {"c": "1"},
                    sent.id,
                )

                with pytest.raises(ChatRequestError) as refused:
                    await alice.send_message("free followers at www.cheap-followers.example")
                assert refused.value.error_code == ChatErrorCode.NOT_ACCEPTABLE == 406
                assert refused.value.error_message == moderation.LINK_REASON  # the Deny's reason

                await alice.send_message("back to the stream")
                after = await next_message(bob)  # the link never came
                assert after.content == "back to the stream"

        run(scenario())


def test_registered_in_python_a_chat_client_sees_masked_text_and_gets_406() -> None:
    """``register_review_handler(ARN, moderation.handler)``: the Lambda handler, as deployed."""
    with LocalServer(LocalIvsChat(strict_review_handlers=True)) as server:
        server.emulator.register_review_handler(LAMBDA_ARN, moderation.handler)
        masked_text_and_406_for_a_link(server.url, server.ws_url)


def _ivschat_local() -> list[str]:
    """The ``ivschat-local`` command of this environment (``python -m`` if not installed)."""
    script = Path(sys.executable).with_name("ivschat-local")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "ivschat_sdk.local"]


@pytest.fixture
def ivschat_local(tmp_path: Path) -> Iterator[str]:
    """``ivschat-local --review-handler ARN=moderation:handler`` in a process; its URL.

    ``PYTHONPATH`` names the example's folder, as a Lambda function's code is on its path; the
    command runs in an empty folder, so the module is found only through it.
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(EXAMPLE_DIR), env.get("PYTHONPATH")]))
    stderr = (tmp_path / "stderr.txt").open("w")
    process = subprocess.Popen(
        [*_ivschat_local(), "--port", "0", "--quiet", "--strict-review-handlers",
         "--review-handler", f"{LAMBDA_ARN}=moderation:handler"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=stderr, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            ready = selector.select(timeout=30)
        line = process.stdout.readline().strip() if ready else ""
        errors = (tmp_path / "stderr.txt").read_text()
        assert line.startswith("ivschat-local listening on http://"), (line, errors)
        yield line.rsplit(" ", 1)[1]
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
        stderr.close()


def test_ivschat_local_runs_the_module_a_chat_client_sees_masked_text_and_gets_406(
    ivschat_local: str,
) -> None:
    """``ivschat-local --review-handler ARN=moderation:handler``: the module, imported unchanged."""
    masked_text_and_406_for_a_link(ivschat_local, "ws" + ivschat_local.removeprefix("http"))
