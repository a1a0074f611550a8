"""Smoke test of the built package: the wheel installed alone, then with each extra.

Run by .ci/run and ``nox -s package`` after ``python -m build`` (which builds the wheel from
the sdist, so a file the sdist lacks is missing from the wheel too)::

    python tests/smoke_wheel.py dist/

It checks the sdist and the wheel (the sdist holds the package, the README, the license and
the changelog; the wheel holds the package and its metadata, and no tests), then creates a
fresh virtual environment in a temporary folder and, from a temporary working directory
with ``python -I`` (no source tree, no PYTHONPATH, no user site on ``sys.path``), installs
and checks in turn:

1. the wheel alone: the main names import, a client is built, a round trip through
   ``mock_ivschat()``, the review toolkit and the chat-log reader work, and each extra's
   feature says which extra it needs;
2. ``[chat]``: the chat clients import and check their arguments (no aiohttp yet);
3. ``[local]``: ``ivschat-local --version``, a round trip over HTTP to ``LocalServer``, and
   chat over its WebSocket;
4. ``[async]``: ``AsyncIvsChatClient`` round trips in process and over HTTP.

pytest does not collect this file (its name does not start with ``test_``); the checks that
run inside the fresh environment are the ``check_*`` functions below.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import importlib.metadata
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import venv
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAGES = ["core", "chat", "local", "async"]


# -- inside the fresh environment ---------------------------------------------------------


def _raises(kind: type[Exception], call: Callable[[], object], what: str) -> Exception:
    """The exception of type ``kind`` that ``call()`` raises (pytest is not installed here)."""
    try:
        call()
    except kind as err:
        return err
    raise AssertionError(f"{what}: no {kind.__name__}")


def _must_fail_to_import(module: str, extra: str) -> None:
    """Importing ``module`` fails with an ImportError that names ``extra``."""
    err = _raises(ImportError, lambda: importlib.import_module(module), module)
    assert f"ivschat-sdk[{extra}]" in str(err), f"{module}: {err}"


def _absent(*distributions: str) -> None:
    for name in distributions:
        try:
            importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        raise AssertionError(f"{name} is installed, so this stage cannot show it is not needed")


def check_core() -> None:
    """The wheel alone: the control plane, the mock, review and logs; the extras say so."""
    import ivschat_sdk
    from ivschat_sdk import (
        ChatTokenCapability,
        IvsChatClient,
        IvsChatError,
        ParamValidationError,
        Room,
    )
    from ivschat_sdk.testing import mock_ivschat

    _absent("aiobotocore", "aiohttp", "websockets")
    source = Path(ivschat_sdk.__file__).resolve()
    assert source.is_relative_to(Path(sys.prefix).resolve()), f"ivschat_sdk from {source}"
    tree = Path(os.environ["IVSCHAT_SOURCE_TREE"])
    assert not source.is_relative_to(tree / "ivschat_sdk"), f"ivschat_sdk from {source}"
    assert str(tree) not in sys.path and "" not in sys.path, f"the source tree is on {sys.path}"
    assert importlib.metadata.version("ivschat-sdk") == ivschat_sdk.__version__
    assert (source.parent / "py.typed").is_file()
    for name in ivschat_sdk.__all__:
        if name != "AsyncIvsChatClient":
            getattr(ivschat_sdk, name)

    client = IvsChatClient(
        region_name="us-west-2", aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    err = _raises(
        ParamValidationError,
        lambda: client.create_room(maximum_message_length=501),
        "maximum_message_length=501",
    )
    assert isinstance(err, IvsChatError) and err.param == "maximum_message_length"
    with mock_ivschat() as local:
        client = IvsChatClient(region_name="us-west-2")
        room = client.create_room(name="smoke")
        assert isinstance(room, Room)
        assert [r.arn for r in client.list_rooms()] == [room.arn]
        token = client.create_chat_token(
            room_identifier=room, user_id="u", capabilities=[ChatTokenCapability.SEND_MESSAGE]
        )
        assert local.redeem_chat_token(token.token).user_id == "u"

    from ivschat_sdk.review import Allow, invoke_lambda_handler, review_handler
    from ivschat_sdk.review.testing import make_event

    @review_handler
    def handler(request: object) -> Allow:
        return Allow()

    answer = invoke_lambda_handler(handler, make_event("hello"))
    assert answer["ReviewResult"] == "ALLOW", answer

    from ivschat_sdk.logs import format_log_record, parse_log_record
    from ivschat_sdk.messaging import ChatMessage

    line = (
        '{"event_timestamp":"2024-05-01T18:03:20.754Z","type":"MESSAGE","payload":{"Type":'
        '"MESSAGE","Id":"AbCdEfGh1234","RequestId":"","Attributes":{},"Content":"hello",'
        '"SendTime":"2024-05-01T18:03:20.754555595Z","Sender":{"UserId":"alice",'
        '"Attributes":{}}},"version":"1.0"}'
    )
    record = parse_log_record(line)
    assert isinstance(record.item, ChatMessage) and record.item.content == "hello"
    assert format_log_record(record.item)

    _must_fail_to_import("ivschat_sdk._async_transport", "async")
    _must_fail_to_import("ivschat_sdk.messaging._client", "chat")
    refused = subprocess.run(
        [_script("ivschat-local"), "--port", "0"], capture_output=True, text=True, timeout=60
    )
    assert refused.returncode == 2 and "ivschat-sdk[local]" in refused.stderr, refused


def check_chat() -> None:
    """``[chat]``: the chat clients import and check their arguments, without aiohttp."""
    from ivschat_sdk import ParamValidationError
    from ivschat_sdk.messaging import ChatClient, SyncChatClient

    _absent("aiohttp", "aiobotocore")
    ChatClient(url="ws://127.0.0.1:1", token="token")  # nothing connects until used
    for client_class in (ChatClient, SyncChatClient):
        err = _raises(
            ParamValidationError,
            lambda: client_class(url="ws://127.0.0.1:1", token=""),  # noqa: B023
            f"{client_class.__name__} with an empty token",
        )
        assert isinstance(err, ParamValidationError) and err.param == "token", err


def check_local() -> None:
    """``[local]``: ivschat-local runs; HTTP and chat round trips through LocalServer."""
    import ivschat_sdk
    from ivschat_sdk import ChatTokenCapability, IvsChatClient
    from ivschat_sdk.local import LocalServer
    from ivschat_sdk.messaging import ChatClient, ChatMessage

    _absent("aiobotocore")
    version = subprocess.run(
        [_script("ivschat-local"), "--version"], capture_output=True, text=True, timeout=60
    )
    assert version.returncode == 0, version
    assert ivschat_sdk.__version__ in version.stdout + version.stderr, version

    with LocalServer() as server:
        client = IvsChatClient(
            region_name="us-west-2",
            endpoint_url=server.url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        room = client.create_room(name="smoke")
        assert [r.arn for r in client.list_rooms()] == [room.arn]

        def token() -> str:
            return client.create_chat_token(
                room_identifier=room,
                user_id="u",
                capabilities=[ChatTokenCapability.SEND_MESSAGE],
            ).token

        async def chat() -> None:
            async with ChatClient(url=server.ws_url, token_provider=token) as chat:
                sent = await chat.send_message("hello")
                received = await chat.receive(timeout=10)
                assert isinstance(received, ChatMessage) and received.id == sent.id

        asyncio.run(chat())


def check_async() -> None:
    """``[async]``: AsyncIvsChatClient in process and over HTTP."""
    from ivschat_sdk import AsyncIvsChatClient
    from ivschat_sdk.local import LocalServer
    from ivschat_sdk.testing import mock_ivschat

    async def round_trip(**options: str) -> None:
        async with AsyncIvsChatClient(region_name="us-west-2", **options) as client:
            room = await client.create_room(name="smoke")
            assert [r.arn async for r in client.list_rooms()] == [room.arn]

    with mock_ivschat():
        asyncio.run(round_trip())
    with LocalServer() as server:
        asyncio.run(
            round_trip(
                endpoint_url=server.url,
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
            )
        )


def _script(name: str) -> str:
    """A console script of the environment this interpreter runs in."""
    folder = Path(sys.executable).parent
    found = shutil.which(name, path=str(folder))
    assert found, f"{name} is not installed in {folder}"
    return found


# -- outside: the artifacts, and the fresh environment ----------------------------------


def check_artifacts(dist: Path) -> tuple[Path, Path]:
    """The one sdist and one wheel in ``dist``, checked for what they must and must not hold."""
    wheels, sdists = sorted(dist.glob("*.whl")), sorted(dist.glob("*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, (
        f"expected one wheel and one sdist: {wheels + sdists}"
    )
    wheel, sdist = wheels[0], sdists[0]
    namespace: dict[str, str] = {}
    exec((ROOT / "ivschat_sdk" / "_version.py").read_text(encoding="utf-8"), namespace)
    version = namespace["__version__"]
    assert wheel.name.startswith(f"ivschat_sdk-{version}-"), (wheel.name, version)
    assert sdist.name == f"ivschat_sdk-{version}.tar.gz", (sdist.name, version)

    modules = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "ivschat_sdk").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix in {".py", ".typed"}
    }
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    info = f"ivschat_sdk-{version}.dist-info"
    outside = {n for n in names if not n.startswith(("ivschat_sdk/", f"{info}/"))}
    assert not outside, f"the wheel holds files outside the package: {sorted(outside)}"
    assert not modules - names, f"the wheel lacks: {sorted(modules - names)}"
    for needed in ("METADATA", "entry_points.txt", "licenses/LICENSE"):
        assert f"{info}/{needed}" in names, f"the wheel lacks {info}/{needed}"

    with tarfile.open(sdist) as archive:
        prefix = f"ivschat_sdk-{version}/"
        held = {member.name.removeprefix(prefix) for member in archive.getmembers()}
    needed = {"pyproject.toml", "README.md", "LICENSE", "CHANGELOG.md", *modules}
    assert not needed - held, f"the sdist lacks: {sorted(needed - held)}"
    print(f"artifacts: {wheel.name} ({len(names)} files), {sdist.name} ({len(held)} entries)")
    return wheel, sdist


def run_stages(wheel: Path) -> None:
    """Install the wheel in a fresh environment, adding one extra per stage, and check each."""
    with tempfile.TemporaryDirectory(prefix="ivschat-wheel-") as temporary:
        folder = Path(temporary)
        venv.EnvBuilder(with_pip=True).create(folder / "venv")
        python = folder / "venv" / ("Scripts" if os.name == "nt" else "bin") / "python"
        script = folder / "smoke_wheel.py"
        shutil.copy(__file__, script)  # run from the temporary folder, not the source tree
        work = folder / "work"
        work.mkdir()
        environment = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("PYTHON", "VIRTUAL_ENV", "AWS_"))
        }
        environment["IVSCHAT_SOURCE_TREE"] = str(ROOT)  # what must not be on sys.path
        installed: list[str] = []
        for stage in STAGES:
            if stage != "core":
                installed.append(stage)
            target = f"{wheel}[{','.join(installed)}]" if installed else str(wheel)
            subprocess.run(
                [str(python), "-m", "pip", "install", "--quiet", target],
                check=True,
                cwd=work,
                env=environment,
            )
            subprocess.run(
                [str(python), "-I", str(script), "--inside", stage],
                check=True,
                cwd=work,
                env=environment,
                timeout=300,
            )
            print(f"stage {stage}: passed ({target.replace(str(wheel), wheel.name)})")


def main() -> None:
    """Check the artifacts in a dist folder, then the wheel in a fresh environment."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("dist", nargs="?", type=Path, help="the folder python -m build wrote")
    parser.add_argument("--inside", choices=STAGES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        globals()[f"check_{args.inside}"]()
        return
    if args.dist is None:
        parser.error("the dist folder is required")
    wheel, _ = check_artifacts(args.dist.resolve())
    run_stages(wheel)
    print("the wheel passed every stage: " + ", ".join(STAGES))


if __name__ == "__main__":
    main()
