"""Cold start: importing and running a review handler loads nothing heavy.

The service's 200 ms review budget includes a Lambda's cold start, so ``ivschat_sdk.review``
must not pull boto3, botocore, aiohttp or websockets; nor asyncio (for a ``def`` handler),
cattrs or attrs (``import attrs`` alone costs about 45 ms here, most of the 50 ms budget).
Each check runs in a fresh interpreter, where nothing is imported yet.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = {
    "boto3", "botocore", "aiohttp", "websockets", "aiobotocore", "cattrs", "attrs", "attr",
    "asyncio",
}  # fmt: skip


def loaded_after(code: str) -> set[str]:
    """The top-level names of the modules a fresh interpreter holds after running ``code``."""
    script = textwrap.dedent(code) + (
        "\nimport json as _j, sys as _s; print(_j.dumps(sorted(_s.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return {name.split(".")[0] for name in json.loads(result.stdout.splitlines()[-1])}


@pytest.mark.parametrize(
    "code",
    [
        "import ivschat_sdk.review",
        "from ivschat_sdk.review import review_handler, Allow, Deny, ReviewRequest",
        "import ivschat_sdk.review.testing",
    ],
)
def test_importing_the_review_toolkit_loads_nothing_heavy(code: str) -> None:
    """No boto3, botocore, aiohttp, websockets, cattrs, attrs or asyncio after the import."""
    assert loaded_after(code) & HEAVY == set()


def test_a_sync_handler_runs_without_loading_anything_heavy() -> None:
    """Decorating and invoking a def handler (as a warm Lambda does) stays light."""
    loaded = loaded_after(
        """
        from ivschat_sdk.review import Allow, ReviewRequest, invoke_lambda_handler, review_handler
        from ivschat_sdk.review.testing import make_event

        @review_handler
        def handler(request: ReviewRequest) -> Allow:
            return Allow(request.content.upper())

        assert handler(make_event("hi"), None)["Content"] == "HI"
        assert invoke_lambda_handler(handler, make_event("hi"))["Content"] == "HI"
        """
    )
    assert loaded & HEAVY == set()


def test_the_example_lambda_module_loads_nothing_heavy() -> None:
    """The deployable example is as light as the toolkit."""
    loaded = loaded_after(
        """
        import sys
        sys.path.insert(0, "examples/review_handler")
        import moderation
        from ivschat_sdk.review.testing import make_event
        assert moderation.handler(make_event("hi"), None)["ReviewResult"] == "ALLOW"
        """
    )
    assert loaded & HEAVY == set()


def test_the_toolkit_needs_no_third_party_package() -> None:
    """Packaged with --no-deps: with only this repository on the path, the example runs."""
    script = textwrap.dedent(
        """
        import sys
        sys.path[:0] = [".", "examples/review_handler"]
        import moderation
        from ivschat_sdk.review import invoke_lambda_handler
        from ivschat_sdk.review.testing import make_event
        answer = invoke_lambda_handler(moderation.handler, make_event("darn"))
        assert answer["Content"] == "****", answer
        print(sorted(m.__name__ for m in sys.modules.values() if "site-packages" in (getattr(m, "__file__", None) or "")))
        """
    )
    result = subprocess.run(
        [sys.executable, "-S", "-c", script],  # -S: no site-packages at all
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_an_async_handler_loads_asyncio_only_when_it_runs() -> None:
    """An async def handler needs asyncio to run, and nothing else heavy."""
    code = """
        from ivschat_sdk.review import Allow, ReviewRequest, review_handler
        from ivschat_sdk.review.testing import make_event

        @review_handler
        async def handler(request: ReviewRequest) -> Allow:
            return Allow()
        """
    assert loaded_after(code) & HEAVY == set()
    run = textwrap.dedent(code) + 'assert handler(make_event(), None)["ReviewResult"] == "ALLOW"'
    assert loaded_after(run) & HEAVY == {"asyncio"}


def test_the_package_still_offers_the_client_after_the_light_import() -> None:
    """The lazy top-level package keeps `from ivschat_sdk import ...` working alongside."""
    loaded = loaded_after(
        """
        import ivschat_sdk.review
        from ivschat_sdk import IvsChatClient, IvsChatError
        assert IvsChatClient.__name__ == "IvsChatClient"
        """
    )
    assert "botocore" in loaded  # the client is there; boto3 itself is not needed


def test_review_errors_are_ivschat_errors() -> None:
    """ReviewError derives from IvsChatError, whose module imports nothing heavy."""
    from ivschat_sdk import IvsChatError
    from ivschat_sdk.review import InvalidVerdictError, MalformedEventError, ReviewError

    assert issubclass(ReviewError, IvsChatError)
    assert issubclass(MalformedEventError, ReviewError)
    assert issubclass(InvalidVerdictError, ReviewError)
    assert loaded_after("import ivschat_sdk._error_base") & HEAVY == set()
