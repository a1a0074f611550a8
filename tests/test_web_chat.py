"""examples/web_chat: two users chat in headless Chromium while a Python moderator acts.

The whole stack runs here: ivschat-local (HTTP and WebSocket, its emulator also active in
process), the example's backend under uvicorn on a loopback port (tokens, moderation, the
page), and the page's bundle, built from source with ``npm ci`` and esbuild (rebuilt only when
its sources or lock file change). The browser is the system's Chromium (Debian's
``chromium`` package), driven by Playwright for Python; nothing is downloaded at run time.

Skipped, saying why, where Playwright or uvicorn is not installed, no Chromium is installed,
or Node.js/npm are missing or npm's registry is unreachable. Setting
``IVSCHAT_WEB_CHAT_SCREENSHOT`` to a path (``docs/img/web_chat.png``) saves the screenshot of
both users' pages there.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from examples.fastapi_tokens.app import Settings
from examples.web_chat import app as web_chat
from ivschat_sdk import AsyncIvsChatClient
from ivschat_sdk.local import LocalServer

from .interop._npm import _registry_problem

pytest.importorskip(
    "playwright.async_api", reason="Playwright for Python is not installed (pip install playwright)"
)
uvicorn = pytest.importorskip("uvicorn", reason="uvicorn is not installed (pip install uvicorn)")

from playwright.async_api import (  # noqa: E402
    Browser,
    ConsoleMessage,
    Page,
    async_playwright,
    expect,
)

REGION = "us-west-2"
WEB_CHAT_DIR = Path(web_chat.__file__).parent
NPM_CI_TIMEOUT = 600.0
"""Seconds ``npm ci`` may take (npm retries a failing registry for about a minute)."""
BUILD_TIMEOUT = 120.0
"""Seconds esbuild may take (it takes well under one)."""
SCENARIO_TIMEOUT = 60.0
"""Seconds the whole browser scenario may take (it takes 8 to 15 here)."""
UI_TIMEOUT_MS = 10_000
"""Milliseconds any one browser action or expectation may take."""
SCREENSHOT_ENV = "IVSCHAT_WEB_CHAT_SCREENSHOT"
REFUSAL = re.compile(r"ErrorCode: 403\b.*SEND_MESSAGE capability")


# -- the page's bundle, built from source ------------------------------------------------------


def _digest(*relative_paths: str) -> str:
    """A SHA-256 of the named files of the example (names and contents)."""
    digest = hashlib.sha256()
    for relative in relative_paths:
        digest.update(relative.encode() + b"\0" + (WEB_CHAT_DIR / relative).read_bytes() + b"\0")
    return digest.hexdigest()


def _stamped(stamp: Path, digest: str) -> bool:
    """Whether ``stamp`` records ``digest`` (what was installed or built is up to date)."""
    return stamp.exists() and stamp.read_text().strip() == digest


def _run(args: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    """Run a command in the example's folder, failing the test if it outlasts ``timeout``."""
    try:
        return subprocess.run(
            args, cwd=WEB_CHAT_DIR, capture_output=True, text=True, check=False, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{' '.join(args)} did not finish within {timeout:.0f} s", pytrace=False)


def _skip_without_registry() -> None:
    """Skip, naming the problem, if npm cannot reach its registry."""
    problem = _registry_problem(WEB_CHAT_DIR)
    if problem is not None:
        pytest.skip(
            f"npm cannot reach its registry ({problem}); the web chat page needs "
            "amazon-ivs-chat-messaging and esbuild from it"
        )


@pytest.fixture(scope="session")
def web_chat_bundle() -> Path:
    """The page's script, ``static/dist/chat.js``, built from source unless up to date.

    ``npm ci`` runs when ``node_modules`` was not installed from the current lock file, and
    ``npm run build`` (esbuild) when the bundle was not built from the current sources; a
    stamp file beside each records the digest it was made from. Skips where Node.js or npm
    is missing, npm cannot reach its registry, or esbuild has no binary for this machine.
    """
    missing = [name for name in ("node", "npm") if shutil.which(name) is None]
    if missing:
        pytest.skip(f"{' and '.join(missing)} not installed; the web chat page is built with npm")
    lock_digest = _digest("package.json", "package-lock.json")
    lock_stamp = WEB_CHAT_DIR / "node_modules" / ".ivschat-sdk-lock.sha256"
    if not _stamped(lock_stamp, lock_digest):
        _skip_without_registry()
        result = _run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], NPM_CI_TIMEOUT)
        if result.returncode != 0:
            _skip_without_registry()
            pytest.fail(f"npm ci failed: {result.stderr[-2000:]}", pytrace=False)
        lock_stamp.write_text(lock_digest)
    sources = sorted(
        str(path.relative_to(WEB_CHAT_DIR)) for path in (WEB_CHAT_DIR / "src").rglob("*.js")
    )
    build_digest = _digest("package.json", "package-lock.json", *sources)
    build_stamp = web_chat.BUNDLE.parent / ".sources.sha256"
    if not (web_chat.BUNDLE.exists() and _stamped(build_stamp, build_digest)):
        version = _run(["npx", "--no-install", "esbuild", "--version"], BUILD_TIMEOUT)
        if version.returncode != 0:
            pytest.skip(f"esbuild cannot run on this machine: {version.stderr.strip()[-500:]}")
        result = _run(["npm", "run", "--silent", "build"], BUILD_TIMEOUT)
        if result.returncode != 0:
            pytest.fail(f"npm run build (esbuild) failed: {result.stderr[-2000:]}", pytrace=False)
        build_stamp.write_text(build_digest)
    return web_chat.BUNDLE


# -- Chromium and the backend ------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium() -> str:
    """The system Chromium's executable (``CHROMIUM`` overrides); skips where there is none."""
    candidates = [os.environ.get("CHROMIUM"), shutil.which("chromium")]
    candidates += [shutil.which("chromium-browser"), "/usr/bin/chromium"]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    pytest.skip(
        "no Chromium installed (Debian: apt-get install chromium; or set CHROMIUM to one); "
        "the web chat test drives the system's Chromium and downloads no browser"
    )


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """``app`` under uvicorn on a free loopback port, in a thread; its base URL.

    Stopped (lifespan shutdown included) on exit; no signal handlers (not the main thread),
    no WebSocket support loaded (the backend serves none), no logging configuration touched.
    """
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app, lifespan="on", ws="none", http="h11", log_config=None, access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="web-chat-backend", daemon=True
    )
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                pytest.fail("the web chat backend did not start", pytrace=False)
            time.sleep(0.02)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
    assert not thread.is_alive(), "the web chat backend did not stop"


@asynccontextmanager
async def chromium_browser(executable: str) -> AsyncIterator[Browser]:
    """Headless system Chromium under Playwright, closed on exit."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=executable, headless=True, timeout=30_000
        )
        try:
            yield browser
        finally:
            await browser.close()


# -- what a user does and sees -----------------------------------------------------------------


async def open_page(browser: Browser, url: str, errors: list[str], name: str) -> Page:
    """A new page (its own context: a separate user) at ``url``.

    Its uncaught exceptions and console errors go to ``errors``, as ``"name: text"``.
    """
    context = await browser.new_context(viewport={"width": 560, "height": 430})
    context.set_default_timeout(UI_TIMEOUT_MS)
    page = await context.new_page()

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(f"{name}: {message.text}")

    page.on("pageerror", lambda error: errors.append(f"{name}: {error}"))
    page.on("console", console)
    await page.goto(url)
    return page


async def join(page: Page, user: str, shown_as: str) -> None:
    """Pick ``user`` in the page's form and join; wait until connected."""
    await page.select_option("#user", user)
    await page.click("#join button")
    await expect(page.locator("#status")).to_have_attribute("data-state", "connected")
    await expect(page.locator("#status")).to_have_text(f"Connected as {shown_as}")


async def say(page: Page, text: str) -> None:
    """Type ``text`` and press Enter; wait until it is sent (the input empties)."""
    await page.fill("#text", text)
    await page.press("#text", "Enter")
    await expect(page.locator("#text")).to_have_value("")


async def expect_messages(page: Page, *messages: tuple[str, str]) -> None:
    """The page shows exactly these (sender, content) messages, in order."""
    await expect(page.locator("#log .message .sender")).to_have_text([m[0] for m in messages])
    await expect(page.locator("#log .message .content")).to_have_text([m[1] for m in messages])


async def screenshot_of(alice: Page, bob: Page) -> bytes:
    """Alice's and Bob's pages side by side, as one PNG."""
    shots = [base64.b64encode(await page.screenshot()).decode() for page in (alice, bob)]
    panes = "".join(
        f'<figure><img src="data:image/png;base64,{shot}"><figcaption>{caption}</figcaption>'
        "</figure>"
        for shot, caption in zip(
            shots, ["Alice's page (moderator)", "Bob's page (chatter), disconnected"], strict=True
        )
    )
    style = (
        "body{margin:0;display:flex;gap:12px;padding:12px;background:#c9ced8;"
        "font:14px system-ui,sans-serif}figure{margin:0}img{display:block;"
        "box-shadow:0 1px 4px #0004}figcaption{text-align:center;padding-top:6px}"
    )
    composite = await alice.context.new_page()
    await composite.set_viewport_size({"width": 1156, "height": 490})
    await composite.set_content(f"<style>{style}</style>{panes}")
    return await composite.screenshot(full_page=True)


# -- the test ----------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_two_browser_users_chat_while_python_moderates(
    local_ivschat_server: LocalServer, web_chat_bundle: Path, chromium: str, tmp_path: Path
) -> None:
    """Alice and Bob chat in Chromium; a Python moderator deletes a message, disconnects Bob.

    Through the real stack: the page gets tokens from the backend and chats with AWS's JS
    client over ivschat-local's WebSocket. Checked on each page: both see the messages in
    order with their senders, and a moderator's event; Carol, a viewer, reads but her send is
    refused and the page says so; the message deleted through the backend's moderation
    endpoint is marked deleted, with the reason, on every page while the others stay; after
    the async client disconnects Bob, Bob's page says a moderator disconnected him (with the
    reason) and can no longer send, the others are told, and Alice chats on without him.
    """
    async with AsyncIvsChatClient(region_name=REGION) as moderator:
        room = await moderator.create_room(name="web-chat")
        settings = Settings(room_arn=room.arn, region=REGION)
        app = web_chat.create_app(settings, chat_url_override=local_ivschat_server.ws_url)
        with serve(app) as base_url:
            async with httpx.AsyncClient(base_url=base_url, timeout=10) as backend:
                page = await backend.get("/")
                assert page.status_code == 200
                assert "dist/chat.js" in page.text
                config = await backend.get("/chat-config")
                assert config.json() == {"regionOrUrl": local_ivschat_server.ws_url}
                async with chromium_browser(chromium) as browser:
                    png = await asyncio.wait_for(
                        scenario(browser, base_url, backend, moderator, room.arn),
                        timeout=SCENARIO_TIMEOUT,
                    )
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "web_chat.png").write_bytes(png)
    if os.environ.get(SCREENSHOT_ENV):
        Path(os.environ[SCREENSHOT_ENV]).write_bytes(png)


async def scenario(
    browser: Browser,
    base_url: str,
    backend: httpx.AsyncClient,
    moderator: AsyncIvsChatClient,
    room_arn: str,
) -> bytes:
    """The chat, the moderation and the checks of each page; the screenshot of two of them."""
    errors: list[str] = []
    alice = await open_page(browser, f"{base_url}/", errors, "alice")
    bob = await open_page(browser, f"{base_url}/", errors, "bob")
    carol = await open_page(browser, f"{base_url}/?user=carol", errors, "carol")  # joins at once
    await join(alice, "alice", "Alice (moderator)")
    await join(bob, "bob", "Bob (chatter)")
    await expect(carol.locator("#status")).to_have_text("Connected as Carol (viewer)")

    await say(alice, "Hi Bob!")
    await expect_messages(bob, ("Alice", "Hi Bob!"))
    await say(bob, "Hi Alice, how are you?")
    await say(bob, "BUY CHEAP FOLLOWERS at spam.example")
    chat = [
        ("Alice", "Hi Bob!"),
        ("Bob", "Hi Alice, how are you?"),
        ("Bob", "BUY CHEAP FOLLOWERS at spam.example"),
    ]
    for page in (alice, bob, carol):
        await expect_messages(page, *chat)
    await expect(alice.locator("#log .message.mine .content")).to_have_text(["Hi Bob!"])
    await expect(bob.locator("#log .message .role")).to_have_text(["moderator", *["chatter"] * 2])

    # A viewer's token cannot send: IVS Chat refuses, the page says so, nobody sees it.
    await carol.fill("#text", "can I talk?")
    await carol.press("#text", "Enter")
    await expect(carol.locator("#error")).to_have_text(re.compile(r"^Not sent: .*SEND_MESSAGE"))
    await expect(carol.locator("#text")).to_have_value("can I talk?")

    # The moderator, through the backend: an event for everyone, then the spam deleted.
    notice = await backend.post(
        "/events",
        headers={"X-Demo-User": "alice"},
        json={"event_name": "app:notice", "attributes": {"text": "Be kind"}},
    )
    assert notice.status_code == 200, notice.text
    spam = alice.locator("#log .message", has_text="BUY CHEAP FOLLOWERS")
    spam_id = await spam.get_attribute("data-message-id")
    assert spam_id
    assert await bob.locator(f'#log .message[data-message-id="{spam_id}"]').count() == 1
    deleted = await backend.post(
        "/moderation/delete-message",
        headers={"X-Demo-User": "alice"},
        json={"id": spam_id, "reason": "spam"},
    )
    assert deleted.status_code == 200, deleted.text
    for page in (alice, bob, carol):
        await expect(page.locator("#log .event", has_text="app:notice")).to_have_text(
            "app:notice · text: Be kind"
        )
        await expect(page.locator("#log .message.deleted")).to_have_count(1)
        await expect(page.locator("#log .message.deleted")).to_have_attribute(
            "data-message-id", spam_id
        )
        await expect_messages(page, *chat[:2], ("Bob", "Message deleted by a moderator (spam)"))
        await expect(page.get_by_text("BUY CHEAP FOLLOWERS")).to_have_count(0)

    # The moderator, with the async client: Bob is disconnected.
    await moderator.disconnect_user(room_identifier=room_arn, user_id="bob", reason="rude")
    await expect(bob.locator("#status")).to_have_attribute("data-state", "disconnected")
    await expect(bob.locator("#status")).to_have_text("Disconnected by a moderator: rude")
    await expect(bob.locator("#status")).to_have_class("dropped")
    await expect(bob.locator("#text")).to_be_disabled()
    await expect(bob.locator("#log .event.moderation")).to_have_text(
        ["You were disconnected by a moderator: rude"]
    )
    for page in (alice, carol):
        await expect(page.locator("#log .event.moderation")).to_have_text(
            ["Bob was disconnected by a moderator: rude"]
        )
        await expect(page.locator("#status")).to_have_attribute("data-state", "connected")

    # Alice chats on; Bob, disconnected, no longer receives.
    await say(alice, "Thanks for waiting, everyone.")
    after = (*chat[:2], ("Bob", "Message deleted by a moderator (spam)"))
    await expect_messages(alice, *after, ("Alice", "Thanks for waiting, everyone."))
    await expect_messages(carol, *after, ("Alice", "Thanks for waiting, everyone."))
    await expect_messages(bob, *after)

    png = await screenshot_of(alice, bob)
    # The JS client logs the refusal of Carol's message as an error; nothing else may fail.
    unexpected = [e for e in errors if not (e.startswith("carol:") and REFUSAL.search(e))]
    assert unexpected == [], "\n".join(unexpected)
    return png
