"""Review handlers written for Lambda in the local IVS Chat, the deny reason, strict mode.

``register_review_handler`` takes a ``review_handler`` handler or any ``(event, context)``
Lambda handler unchanged, besides a callable of the payload; ``ivschat-local
--review-handler ARN=module:function`` imports one; a room whose handler is missing gets its
fallback, or, with ``strict_review_handlers``, cannot name it at all.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import attrs
import pytest

from ivschat_sdk import (
    FallbackResult,
    IvsChatClient,
    MessageReviewHandler,
    Room,
    ValidationError,
    ValidationExceptionField,
)
from ivschat_sdk.local import LocalIvsChat, LocalServer, _cli
from ivschat_sdk.local._chat import DENIED_MESSAGE
from ivschat_sdk.local._lambda import is_lambda_handler, load_handler
from ivschat_sdk.messaging import ChatClient, ChatErrorCode, ChatMessage, ChatRequestError
from ivschat_sdk.review import (
    Allow,
    Deny,
    LocalLambdaContext,
    ReviewRequest,
    review_handler,
)
from ivschat_sdk.testing import mock_ivschat

ARN = "arn:aws:lambda:us-west-2:123456789012:function:review"
OTHER = "arn:aws:lambda:us-west-2:123456789012:function:other"
PERMISSION = "Request member: uri failed to satisfy the constraints: invalid lambda permission"
T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a scenario on a fresh event loop, failing it after 20 seconds."""
    return asyncio.run(asyncio.wait_for(coroutine, 20))


@attrs.define
class Chat:
    """A running local IVS Chat, a control-plane client on it, and ways to send through it."""

    server: LocalServer
    control: IvsChatClient

    @property
    def local(self) -> LocalIvsChat:
        """The emulator behind the server."""
        return self.server.emulator

    def room(self, uri: str = ARN, fallback: str = "ALLOW") -> Room:
        """A room whose review handler is ``uri``, with ``fallback`` as its fallbackResult."""
        handler = MessageReviewHandler(uri=uri, fallback_result=FallbackResult(fallback))
        return self.control.create_room(message_review_handler=handler)

    def send(self, room: Room, content: str, attributes: dict[str, str] | None = None) -> Any:
        """Send ``content`` to ``room``: the delivered message, or the refusal's ChatRequestError."""

        async def scenario() -> Any:
            token = self.control.create_chat_token(
                room_identifier=room, user_id="alice", capabilities=["SEND_MESSAGE"]
            )
            async with ChatClient(url=self.server.ws_url, token=token) as client:
                try:
                    return await client.send_message(content, attributes=attributes)
                except ChatRequestError as refused:
                    return refused

        return run(scenario())


@pytest.fixture
def chat() -> Iterator[Chat]:
    """A local IVS Chat on a free port."""
    with LocalServer(LocalIvsChat()) as server:
        control = IvsChatClient(
            region_name="us-west-2", endpoint_url=server.url,
            aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret",
        )  # fmt: skip
        yield Chat(server=server, control=control)


def delivered(result: Any) -> tuple[str, dict[str, str]]:
    """The content and attributes of a delivered message (fails on a refusal)."""
    assert isinstance(result, ChatMessage), result
    return result.content, dict(result.attributes)


def refused(result: Any) -> str:
    """The ErrorMessage of a 406 refusal (fails on anything else)."""
    assert isinstance(result, ChatRequestError), result
    assert result.error_code == ChatErrorCode.NOT_ACCEPTABLE == 406
    return result.error_message


# -- Lambda handlers, registered unchanged ----------------------------------------------------


@review_handler
def masking(request: ReviewRequest) -> Allow | Deny:
    """Deny 'http', replace 'darn', keep the rest."""
    if "http" in request.content:
        return Deny("no links")
    return Allow(request.content.replace("darn", "****"))


def test_a_review_handler_handler_runs_unchanged(chat: Chat) -> None:
    """A review_handler handler is registered as deployed: its verdicts reach the client."""
    chat.local.register_review_handler(ARN, masking)
    room = chat.room(fallback="ALLOW")
    assert delivered(chat.send(room, "darn it", {"c": "1"})) == ("**** it", {"c": "1"})
    assert refused(chat.send(room, "see http://x")) == "no links"


def test_a_plain_lambda_handler_gets_a_json_copy_and_a_context(chat: Chat) -> None:
    """A plain (event, context) function: the event is a copy, the context a LocalLambdaContext."""
    seen: list[tuple[dict[str, Any], Any, int]] = []

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        seen.append((event, context, context.get_remaining_time_in_millis()))
        event["Content"] = "changed by the handler"  # its own copy: nothing else sees this
        return {"ReviewResult": "ALLOW", "Content": "[" + event["MessageId"] + "]"}

    chat.local.register_review_handler(ARN, handler)
    room = chat.room(fallback="DENY")
    message = chat.send(room, "hello", {"a": "b"})
    assert delivered(message) == (f"[{message.id}]", {"a": "b"})
    event, context, remaining = seen[0]
    assert isinstance(context, LocalLambdaContext)
    assert context.invoked_function_arn == ARN
    assert context.function_name == "review"
    assert 0 < remaining <= 200
    assert event["RoomArn"] == room.arn
    assert event["Sender"]["UserId"] == "alice"


def test_an_async_review_function_is_awaited_on_one_loop(chat: Chat) -> None:
    """An async def review runs on the server's event loop, the same one for every review."""
    loops: list[asyncio.AbstractEventLoop] = []

    @review_handler
    async def handler(request: ReviewRequest) -> Allow | Deny:
        loops.append(asyncio.get_running_loop())
        await asyncio.sleep(0.01)
        return Allow(request.content.upper())

    chat.local.register_review_handler(ARN, handler)
    room = chat.room(fallback="DENY")
    assert delivered(chat.send(room, "one"))[0] == "ONE"
    assert delivered(chat.send(room, "two"))[0] == "TWO"
    assert len(loops) == 2
    assert loops[0] is loops[1]


@pytest.mark.parametrize(
    ("function", "fallback", "expected"),
    [
        (lambda r: 1 / 0, "ALLOW", ("hello", {"a": "b"})),
        (lambda r: 1 / 0, "DENY", DENIED_MESSAGE),
        (lambda r: Allow(""), "DENY", DENIED_MESSAGE),  # InvalidVerdictError: the fallback
        (lambda r: {"ReviewResult": "ALLOW"}, "ALLOW", ("hello", {"a": "b"})),  # not a verdict
        (lambda r: __import__("time").sleep(0.4) or Allow("late"), "DENY", DENIED_MESSAGE),
        (lambda r: __import__("time").sleep(0.4) or Allow("late"), "ALLOW", ("hello", {"a": "b"})),
    ],
    ids=["error-allow", "error-deny", "invalid-verdict", "wire-dict", "timeout-deny", "timeout-allow"],
)  # fmt: skip
def test_a_failing_lambda_handler_gets_the_fallback(
    chat: Chat, function: Callable[[ReviewRequest], Any], fallback: str, expected: Any
) -> None:
    """An exception, an invalid verdict or more than 200 ms apply the room's fallbackResult."""
    chat.local.register_review_handler(ARN, review_handler(function))
    result = chat.send(chat.room(fallback=fallback), "hello", {"a": "b"})
    if isinstance(expected, str):
        assert refused(result) == expected
    else:
        assert delivered(result) == expected


def test_an_answer_lambda_could_not_serialize_gets_the_fallback(chat: Chat) -> None:
    """As in Lambda, an answer that is not JSON fails the invocation: the fallback applies."""
    chat.local.register_review_handler(
        ARN, lambda event, context: {"ReviewResult": "ALLOW", "Content": object()}
    )
    assert refused(chat.send(chat.room(fallback="DENY"), "hello")) == DENIED_MESSAGE


# -- the deny reason --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"ReviewResult": "DENY", "Attributes": {"Reason": "Links are not allowed"}}, "Links are not allowed"),
        ({"ReviewResult": "DENY", "Attributes": {"Reason": "", "x": "y"}}, DENIED_MESSAGE),
        ({"ReviewResult": "DENY"}, DENIED_MESSAGE),
        ({"ReviewResult": "DENY", "Attributes": {"Reason": 5}}, "fallback"),  # invalid: fallback
    ],
    ids=["reason", "empty-reason", "no-reason", "invalid-reason"],
)  # fmt: skip
def test_the_406_carries_the_deny_reason(chat: Chat, answer: dict[str, Any], message: str) -> None:
    """A DENY with Attributes.Reason answers it as the 406's ErrorMessage; else a fixed one."""
    chat.local.register_review_handler(ARN, lambda payload: answer)
    result = chat.send(chat.room(fallback="ALLOW"), "hello")
    if message == "fallback":
        assert delivered(result) == ("hello", {})
    else:
        assert refused(result) == message


def test_a_senders_own_reason_attribute_is_not_the_deny_reason(chat: Chat) -> None:
    """A DENY without attributes: the message's own ``Reason`` attribute is not echoed back."""
    chat.local.register_review_handler(ARN, lambda payload: {"ReviewResult": "DENY"})
    result = chat.send(chat.room(), "hello", {"Reason": "sent by the client"})
    assert refused(result) == DENIED_MESSAGE


def test_a_fallback_deny_has_no_reason(chat: Chat) -> None:
    """The fallback DENY (the handler failed) answers the fixed message."""
    chat.local.register_review_handler(ARN, review_handler(lambda r: 1 / 0, on_error=None))
    assert refused(chat.send(chat.room(fallback="DENY"), "hello")) == DENIED_MESSAGE


# -- a handler that cannot be invoked ---------------------------------------------------------


@pytest.mark.parametrize(
    ("fallback", "expected"), [("ALLOW", ("hello", {})), ("DENY", DENIED_MESSAGE)]
)
def test_a_room_whose_handler_is_not_registered_gets_its_fallback(
    chat: Chat, fallback: str, expected: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """Like the service when it cannot invoke the function: the fallbackResult, and a warning."""
    room = chat.room(uri=OTHER, fallback=fallback)
    result = chat.send(room, "hello")
    if isinstance(expected, str):
        assert refused(result) == expected
    else:
        assert delivered(result) == expected
    assert f"no review handler registered for {OTHER}" in caplog.text


def test_a_handler_registered_after_the_room_is_used(chat: Chat) -> None:
    """The handler is looked up per message: registering it later takes effect at once."""
    room = chat.room(fallback="ALLOW")
    assert delivered(chat.send(room, "darn"))[0] == "darn"
    chat.local.register_review_handler(ARN, masking)
    assert delivered(chat.send(room, "darn"))[0] == "****"


# -- strict_review_handlers -------------------------------------------------------------------


@pytest.fixture
def strict() -> Iterator[tuple[LocalIvsChat, IvsChatClient]]:
    """An in-process local IVS Chat with ``strict_review_handlers``, and a client on it."""
    emulator = LocalIvsChat(strict_review_handlers=True)
    with mock_ivschat(emulator=emulator), IvsChatClient(region_name="us-west-2") as client:
        yield emulator, client


def _assert_invalid_permission(err: ValidationError) -> None:
    assert err.message == PERMISSION
    assert err.reason == "FIELD_VALIDATION_FAILED"
    assert [f.name for f in err.field_list] == ["messageReviewHandler.uri"]
    assert err.field_list[0].message.startswith("invalid lambda permission: ")
    assert isinstance(err.field_list[0], ValidationExceptionField)


def test_strict_create_room_refuses_an_unregistered_handler(
    strict: tuple[LocalIvsChat, IvsChatClient],
) -> None:
    """CreateRoom naming an unregistered uri: ValidationException, no room; registered: created."""
    emulator, client = strict
    with pytest.raises(ValidationError) as info:
        client.create_room(name="r", message_review_handler=MessageReviewHandler(uri=ARN))
    _assert_invalid_permission(info.value)
    assert list(client.list_rooms()) == []
    emulator.register_review_handler(ARN, masking)
    room = client.create_room(name="r", message_review_handler=MessageReviewHandler(uri=ARN))
    assert room.message_review_handler is not None
    assert room.message_review_handler.uri == ARN
    assert client.create_room(name="plain").message_review_handler is None


def test_strict_update_room_refuses_an_unregistered_handler(
    strict: tuple[LocalIvsChat, IvsChatClient],
) -> None:
    """UpdateRoom to an unregistered uri is refused and changes nothing; removal is allowed."""
    emulator, client = strict
    emulator.register_review_handler(ARN, masking)
    room = client.create_room(message_review_handler=MessageReviewHandler(uri=ARN))
    with pytest.raises(ValidationError) as info:
        client.update_room(
            identifier=room, name="renamed", message_review_handler=MessageReviewHandler(uri=OTHER)
        )
    _assert_invalid_permission(info.value)
    unchanged = client.get_room(identifier=room)
    assert unchanged.name == room.name
    assert unchanged.message_review_handler is not None
    assert unchanged.message_review_handler.uri == ARN
    removed = client.update_room(
        identifier=room, message_review_handler=MessageReviewHandler(uri="")
    )
    assert removed.message_review_handler is None
    assert client.update_room(identifier=room, name="other").name == "other"


def test_strict_mode_after_reset_needs_handlers_registered_again(
    strict: tuple[LocalIvsChat, IvsChatClient],
) -> None:
    """reset() forgets review handlers, so strict mode refuses the uri until it is registered."""
    emulator, client = strict
    emulator.register_review_handler(ARN, masking)
    client.create_room(message_review_handler=MessageReviewHandler(uri=ARN))
    emulator.reset()
    with pytest.raises(ValidationError):
        client.create_room(message_review_handler=MessageReviewHandler(uri=ARN))


def test_without_strict_mode_any_uri_is_accepted() -> None:
    """By default a room may name a handler nobody registered (its messages get the fallback)."""
    with mock_ivschat(), IvsChatClient(region_name="us-west-2") as client:
        room = client.create_room(message_review_handler=MessageReviewHandler(uri=ARN))
        assert room.message_review_handler is not None


# -- telling handlers apart -------------------------------------------------------------------


class _Callable:
    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        return {"ReviewResult": "ALLOW"}


def _payload_only(payload: dict[str, Any]) -> dict[str, Any]:
    return {"ReviewResult": "ALLOW"}


def _context_optional(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    return {"ReviewResult": "ALLOW"}


def _extra_optional(payload: dict[str, Any], extra: int = 0) -> dict[str, Any]:
    return {"ReviewResult": "ALLOW"}


@pytest.mark.parametrize(
    ("handler", "lambda_style"),
    [
        (masking, True),
        (_Callable(), True),
        (lambda event, context: {}, True),
        (_context_optional, True),
        (_payload_only, False),
        (_extra_optional, False),
        (lambda payload: {}, False),
        (lambda *args: {}, False),
        (dict, False),  # no readable signature: called with the payload, as before
    ],
)
def test_which_handlers_are_called_as_lambda_handlers(
    handler: Callable[..., Any], lambda_style: bool
) -> None:
    """Two required positional parameters, or a second named ``context``: (event, context)."""
    assert is_lambda_handler(handler) is lambda_style


@pytest.mark.parametrize(
    ("handler", "problem"),
    [
        ("not callable", "must be callable, not str"),
        (lambda: {}, "takes no argument"),
        (lambda a, b, c: {}, "requires 3 arguments"),
    ],
)
def test_handlers_that_cannot_be_called_are_refused_at_registration(
    handler: Any, problem: str
) -> None:
    """register_review_handler raises TypeError instead of failing at every message."""
    with pytest.raises(TypeError, match=problem):
        LocalIvsChat().register_review_handler(ARN, handler)


# -- ivschat-local --review-handler ARN=module:function ---------------------------------------


class _Started(Exception):
    """Raised instead of serving: the command got past its checks."""


@pytest.fixture
def handler_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder on sys.path holding ``reviewmod.py`` (a handler, a constant, a broken module)."""
    (tmp_path / "reviewmod.py").write_text(
        "from ivschat_sdk.review import Allow, review_handler\n"
        "REASON = 'no'\n"
        "class Handlers:\n"
        "    @staticmethod\n"
        "    def lambda_handler(event, context):\n"
        "        return {'ReviewResult': 'ALLOW'}\n"
        "@review_handler\n"
        "def handler(request):\n"
        "    return Allow()\n"
        "def nothing():\n"
        "    return None\n"
    )
    (tmp_path / "brokenmod.py").write_text("raise RuntimeError('no database\\nhere')\n")
    (tmp_path / "needsmissing.py").write_text("import no_such_dependency_xyz\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("reviewmod", "brokenmod", "needsmissing"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    return tmp_path


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[LocalIvsChat]:
    """Make ``main`` record its emulator and raise :class:`_Started` instead of serving."""
    emulators: list[LocalIvsChat] = []

    def serve(args: Any, emulator: LocalIvsChat) -> NoReturn:
        emulators.append(emulator)
        raise _Started

    monkeypatch.setattr(_cli, "_serve", serve)
    return emulators


def test_cli_imports_a_handler_by_module_and_function(
    handler_module: Path, started: list[LocalIvsChat]
) -> None:
    """ARN=module:function (a dotted path inside the module too) registers it; strict is passed."""
    with pytest.raises(_Started):
        _cli.main([
            "--quiet", "--strict-review-handlers",
            "--review-handler", f"{ARN}=reviewmod:handler",
            "--review-handler", f"{OTHER}=reviewmod:Handlers.lambda_handler",
        ])  # fmt: skip
    emulator = started[0]
    assert emulator.strict_review_handlers is True
    assert set(emulator.chat.review_handlers) == {ARN, OTHER}
    assert LocalIvsChat().strict_review_handlers is False


@pytest.mark.parametrize(
    ("target", "problem"),
    [
        ("nosuchmodule_xyz:handler", "cannot import 'nosuchmodule_xyz:handler': no module named 'nosuchmodule_xyz' in the current directory or on PYTHONPATH"),
        ("reviewmod:handlr", "cannot import 'reviewmod:handlr': 'reviewmod' has no attribute 'handlr'"),
        ("reviewmod:REASON", "'reviewmod:REASON' is not callable: it is a str"),
        ("reviewmod:nothing", "'reviewmod:nothing' is not a review handler: a review handler takes (event, context) or (payload)"),
        ("brokenmod:handler", "cannot import 'brokenmod:handler': RuntimeError: no database here"),
        ("needsmissing:handler", "cannot import 'needsmissing:handler': ModuleNotFoundError: No module named 'no_such_dependency_xyz'"),
    ],
)  # fmt: skip
def test_cli_refuses_a_handler_it_cannot_import_in_one_line(
    handler_module: Path,
    started: list[LocalIvsChat],
    capsys: pytest.CaptureFixture[str],
    target: str,
    problem: str,
) -> None:
    """A missing module or function, a non-callable, a module that fails: one line, status 2."""
    with pytest.raises(SystemExit) as exc_info:
        _cli.main(["--quiet", "--review-handler", f"{ARN}={target}"])
    assert exc_info.value.code == 2
    assert started == []
    err = capsys.readouterr().err
    assert err.startswith(f"ivschat-local: error: argument --review-handler: {problem}"), err
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    "value",
    [f"{ARN}=reviewmod", f"{ARN}=reviewmod:", f"{ARN}=:handler", f"{ARN}=a b:c", "x=reviewmod:handler"],
)  # fmt: skip
def test_cli_refuses_a_malformed_handler_target(
    started: list[LocalIvsChat], capsys: pytest.CaptureFixture[str], value: str
) -> None:
    """Neither a URL nor module:function, or not a Lambda ARN: the expected forms, one line."""
    with pytest.raises(SystemExit) as exc_info:
        _cli.main(["--review-handler", value])
    assert exc_info.value.code == 2
    err = capsys.readouterr().err
    assert "expected LAMBDA_ARN=http(s)://... or LAMBDA_ARN=package.module:function" in err
    assert err.count("\n") == 1


def test_load_handler_finds_modules_in_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Like Lambda's task root, the current directory is searched (a console script lacks it)."""
    (tmp_path / "cwdmod_xyz.py").write_text("def handler(event, context):\n    return {}\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p not in ("", str(tmp_path))])
    monkeypatch.delitem(sys.modules, "cwdmod_xyz", raising=False)
    assert load_handler("cwdmod_xyz:handler").__name__ == "handler"
    assert str(tmp_path) in sys.path
