"""ivschat_sdk.logs needs neither the chat extra nor the local extra; its public surface."""

from __future__ import annotations

import inspect
import subprocess
import sys
import textwrap
import typing

import ivschat_sdk.logs


def _run(code: str) -> subprocess.CompletedProcess[str]:
    """Run code in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_importing_logs_imports_neither_websockets_nor_aiohttp() -> None:
    """A fresh interpreter parses and replays logs without loading either extra."""
    result = _run(
        """
        import sys
        from ivschat_sdk.logs import parse_log_record, replay
        from ivschat_sdk.messaging import ChatMessage
        line = ('{"event_timestamp":"2024-01-01T00:00:00.000Z","type":"MESSAGE","payload":'
                '{"Type":"MESSAGE","Id":"m","Content":"hi","SendTime":"2024-01-01T00:00:00Z",'
                '"Sender":{"UserId":"u"}},"version":"1.0"}')
        assert isinstance(replay([parse_log_record(line)]).messages[0], ChatMessage)
        loaded = sorted(m for m in ("websockets", "aiohttp", "ivschat_sdk.local") if m in sys.modules)
        print(loaded)
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_without_websockets_logs_work_and_the_chat_client_names_the_extra() -> None:
    """With websockets missing, the logs and the models work; ChatClient asks for the extra."""
    result = _run(
        """
        import sys
        sys.modules["websockets"] = None  # as if not installed
        sys.modules["aiohttp"] = None
        import ivschat_sdk.logs
        from ivschat_sdk.messaging import ChatMessage, MessageDeletedEvent
        try:
            from ivschat_sdk.messaging import ChatClient
        except ImportError as err:
            print(err)
        """
    )
    assert result.returncode == 0, result.stderr
    assert "pip install 'ivschat-sdk[chat]'" in result.stdout


def test_all_is_exactly_the_public_names_and_each_is_documented() -> None:
    """__all__ lists every public name of ivschat_sdk.logs, each with a docstring."""
    public = {
        name
        for name, value in vars(ivschat_sdk.logs).items()
        if not name.startswith("_") and not inspect.ismodule(value) and name != "annotations"
    }
    assert set(ivschat_sdk.logs.__all__) == public
    missing = []
    for name in ivschat_sdk.logs.__all__:
        value = getattr(ivschat_sdk.logs, name)
        if typing.get_origin(value) is not None or not callable(value):
            continue  # constants and type aliases
        if not inspect.getdoc(value):
            missing.append(name)
        if inspect.isclass(value):
            missing += [
                f"{name}.{attr}"
                for attr, member in vars(value).items()
                if not attr.startswith("_")
                and inspect.isfunction(member)
                and not inspect.getdoc(member)
            ]
    assert missing == []
