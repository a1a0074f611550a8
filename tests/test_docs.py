"""The docs' Python code blocks run or type-check, their links resolve, the site covers the API.

Every fenced ```` ```python ```` block of README.md and docs/*.md is checked, in one of three
ways chosen by an HTML comment on the line before its fence (invisible on GitHub and on the
site)::

    <!-- check: run -->             the default: the block runs (below)
    <!-- check: types -->           the block is type-checked with mypy --strict
    <!-- check: skip REASON -->     not checked; pytest shows REASON among the skips

A marker may carry hidden setup: the lines after ``<!-- check: MODE`` up to ``-->`` are
Python put before the block (imports, or a variable a fragment uses), e.g.::

    <!-- check: types
    def get_token() -> str: ...
    -->

What each mode does:

- **run**: the block runs offline against the local IVS Chat, inside ``mock_ivschat()`` (fake
  credentials, ``AWS_DEFAULT_REGION=us-west-2``). It runs in the namespace its page's earlier
  ``run`` blocks left, as a reader meets them; top-level ``await`` runs through
  ``asyncio.run``. A block that defines pytest tests (top-level ``test_*`` functions) is a
  test module instead: it is written to a file and run by pytest, with the SDK's pytest
  plugin (``local_ivschat``, ``ivschat_local_url``, ...), from the repository's root.
- **types**: for blocks that need AWS, a browser or a running program, or are fragments. The
  block becomes a module checked by ``mypy --strict`` with the project's configuration, except
  that the block's own functions may go unannotated (docs show callbacks and tests that way);
  their bodies are checked all the same. A block with top-level ``await`` is checked inside an
  ``async def``.
- **skip**: only when neither can work; the reason is required.

Every block may use, without importing them, ``asyncio``, ``boto3``, ``pytest``, the names of
``ivschat_sdk``'s ``__all__``, ``mock_ivschat``, ``LocalIvsChat`` and ``LocalServer``: docs
fragments leave those imports out. Anything else a block uses it imports, or its marker's
setup does. Tracebacks and mypy errors name the Markdown file and line.

The site checks need the ``docs`` extra (``pip install -e ".[docs]"``) and are skipped
without it: every name of each public package's ``__all__`` has an entry in the built API
reference (``IVSCHAT_DOCS_SITE`` names a site built by ``mkdocs build --strict``, as .ci/run
does; otherwise the test builds one), and the griffe extension that turns the docstrings'
Sphinx roles into links does so.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import dataclasses
import importlib
import importlib.util
import inspect
import os
import re
import subprocess
import sys
import textwrap
import traceback
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

# The names every block may use without importing them.
AMBIENT = """\
import asyncio
import boto3
import pytest
from ivschat_sdk import *
from ivschat_sdk.local import LocalIvsChat, LocalServer
from ivschat_sdk.testing import mock_ivschat
"""
AMBIENT_LINES = AMBIENT.count("\n")

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*)$")
MARKER = re.compile(r"<!--\s*check:\s*(?P<mode>\w+)(?P<rest>.*?)-->", re.DOTALL)
MODES = {"run", "types", "skip"}

# mypy --strict, with the block's own functions allowed to go unannotated.
MYPY_RELAXED = ["--disable-error-code", "no-untyped-def", "--disable-error-code", "no-untyped-call"]


@dataclasses.dataclass(frozen=True)
class Block:
    """One fenced Python block of a Markdown page, and how it is checked."""

    page: Path
    line: int  # the 1-based line of the block's first code line
    code: str  # dedented
    mode: str  # run, types or skip
    setup: str  # the marker's hidden setup ("" when none)
    reason: str  # skip's reason

    @property
    def name(self) -> str:
        """``docs/chat.md:15``: the page, relative to the repository, and the fence's line."""
        return f"{self.page.relative_to(ROOT)}:{self.line - 1}"

    @property
    def stem(self) -> str:
        """A module name unique to the block."""
        slug = re.sub(r"\W", "_", str(self.page.relative_to(ROOT).with_suffix(""))).lower()
        return f"doc_{slug}_{self.line - 1}"

    @property
    def is_test_module(self) -> bool:
        """Whether the block defines pytest tests (top-level ``test_*`` functions)."""
        try:
            tree = ast.parse(self.code)
        except SyntaxError:
            return False
        return any(
            isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.name.startswith("test_")
            for node in tree.body
        )


def _marker_before(lines: list[str], fence_index: int) -> tuple[str, str, str] | None:
    """The mode, hidden setup and reason of a ``<!-- check: ... -->`` ending above a fence."""
    end = fence_index - 1
    while end >= 0 and not lines[end].strip():
        end -= 1
    if end < 0 or not lines[end].rstrip().endswith("-->"):
        return None
    start = end
    while start >= 0 and "<!--" not in lines[start]:
        start -= 1
    match = MARKER.search("\n".join(lines[start : end + 1]))
    if match is None:
        return None
    mode, rest = match["mode"], match["rest"]
    first, _, setup = rest.partition("\n")
    if mode not in MODES:
        raise ValueError(f"line {start + 1}: unknown check mode {mode!r} (one of {sorted(MODES)})")
    if mode == "skip" and not first.strip():
        raise ValueError(f"line {start + 1}: a skip needs a reason")
    indent = len(lines[start]) - len(lines[start].lstrip())
    setup = textwrap.dedent("\n".join(line[indent:] for line in setup.splitlines()))
    return mode, setup.strip("\n"), first.strip()


def extract_blocks(page: Path) -> list[Block]:
    """Every fenced Python block of a page, with its check mode (run unless marked)."""
    lines = page.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        indent, fence = opening["indent"], opening["fence"]
        end = index + 1
        while end < len(lines) and not (
            lines[end].strip().startswith(fence) and lines[end].strip().strip(fence[0]) == ""
        ):
            end += 1
        language = opening["info"].strip().split(" ")[0].lower()
        if language in {"python", "py"}:
            body = [
                line[len(indent) :] if line.startswith(indent) else line
                for line in lines[index + 1 : end]
            ]
            marker = _marker_before(lines, index)
            mode, setup, reason = marker or ("run", "", "")
            blocks.append(
                Block(page, index + 2, textwrap.dedent("\n".join(body)) + "\n", mode, setup, reason)
            )
        index = end + 1
    return blocks


def all_blocks() -> list[Block]:
    """The Python blocks of README.md and docs/*.md, in page order."""
    return [block for page in PAGES for block in extract_blocks(page)]


BLOCKS = all_blocks()


def _padded(source: str, first_line: int) -> str:
    """The source preceded by blank lines, so that its line numbers are the page's."""
    return "\n" * (first_line - 1) + source


def _execute(source: str, filename: str, first_line: int, namespace: dict[str, object]) -> None:
    """Run a block's source in a namespace; top-level ``await`` through ``asyncio.run``."""
    code = compile(
        _padded(source, first_line), filename, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    )
    if code.co_flags & inspect.CO_COROUTINE:
        asyncio.run(eval(code, namespace))
    else:
        exec(code, namespace)


@contextlib.contextmanager
def _sandbox() -> Iterator[None]:
    """Give back the environment, the working directory and sys.path as they were."""
    environ, cwd, path = dict(os.environ), os.getcwd(), list(sys.path)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(environ)
        os.chdir(cwd)
        sys.path[:] = path


def _run_in_page(block: Block) -> None:
    """Run a block after its page's earlier run blocks, in one namespace, in mock_ivschat()."""
    from ivschat_sdk.testing import mock_ivschat

    namespace: dict[str, object] = {"__name__": "__doc_block__"}
    earlier = [
        other
        for other in BLOCKS
        if other.page == block.page
        and other.line < block.line
        and other.mode == "run"
        and not other.is_test_module
    ]
    with _sandbox(), mock_ivschat():
        os.environ["AWS_DEFAULT_REGION"] = "us-west-2"
        os.chdir(ROOT)
        exec(AMBIENT, namespace)
        for each in [*earlier, block]:
            filename = str(each.page)
            try:
                if each.setup:
                    _execute(each.setup, f"{filename} (setup)", 1, namespace)
                _execute(each.code, filename, each.line, namespace)
            except Exception as err:
                which = "" if each is block else " (an earlier block of the page, run first)"
                pytest.fail(
                    f"{each.name}{which} failed:\n{_doc_traceback(err, each)}", pytrace=False
                )


def _doc_traceback(err: BaseException, block: Block) -> str:
    """The traceback's lines in the page, the innermost frame, and the exception."""
    frames = traceback.extract_tb(err.__traceback__)
    shown = [frame for frame in frames if frame.filename.startswith(str(block.page))]
    if frames and frames[-1] not in shown:
        shown.append(frames[-1])
    lines = [
        f"  {Path(frame.filename).relative_to(ROOT) if frame.filename.startswith(str(ROOT)) else frame.filename}"
        f":{frame.lineno}: {frame.line}"
        for frame in shown
    ]
    return "\n".join([*lines, "".join(traceback.format_exception_only(err)).rstrip()])


# -- types: one mypy run over every types block --------------------------------------------


def _module_source(block: Block, *, wrap_await: bool) -> tuple[str, int]:
    """A block as a module (ambient imports, setup, code) and the line its code starts on."""
    head = AMBIENT + (block.setup + "\n" if block.setup else "")
    code = block.code
    if wrap_await and _needs_async_wrapper(code):
        head += "\n\nasync def __doc_block() -> None:\n"
        code = textwrap.indent(code, "    ")
    return head + code, head.count("\n") + 1


def _needs_async_wrapper(code: str) -> bool:
    """Whether the code uses ``await``/``async with``/``async for`` outside a function."""
    try:
        compile(code, "<block>", "exec")  # the compiler, not the parser, refuses them
    except SyntaxError:
        compile(code, "<block>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        return True
    return False


@pytest.fixture(scope="session")
def mypy_errors(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Mypy --strict over every types block at once: each block's errors, by block name."""
    folder = tmp_path_factory.mktemp("doc_types")
    blocks = [block for block in BLOCKS if block.mode == "types"]
    starts: dict[str, tuple[Block, int]] = {}
    for block in blocks:
        source, start = _module_source(block, wrap_await=True)
        (folder / f"{block.stem}.py").write_text(source, encoding="utf-8")
        starts[block.stem] = (block, start)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--strict",
            *MYPY_RELAXED,
            "--no-error-summary",
            "--show-error-codes",
            *sorted(str(path) for path in folder.glob("*.py")),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    errors: dict[str, list[str]] = {block.name: [] for block in blocks}
    for line in result.stdout.splitlines():
        match = re.match(r"^(?P<path>[^:]+\.py):(?P<line>\d+): (?P<message>.*)$", line)
        if match is None:
            continue
        block, start = starts[Path(match["path"]).stem]
        line_number = int(match["line"])
        where = (
            f"{block.page.relative_to(ROOT)}:{block.line + line_number - start}"
            if line_number >= start
            else f"{block.name} (setup or ambient imports, module line {line_number})"
        )
        errors[block.name].append(f"{where}: {match['message']}")
    if result.returncode not in (0, 1) or (result.returncode == 1 and not any(errors.values())):
        raise AssertionError(f"mypy failed to run:\n{result.stdout}{result.stderr}")
    return errors


# -- test modules: one pytest run over every block that defines tests ------------------------

PYTEST_INI = """\
[pytest]
addopts = -p no:cacheprovider
filterwarnings = error
asyncio_default_fixture_loop_scope = function
"""


@pytest.fixture(scope="session")
def test_module_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Pytest over every test-module block at once: each block's failures, by block name."""
    folder = tmp_path_factory.mktemp("doc_tests")
    (folder / "pytest.ini").write_text(PYTEST_INI, encoding="utf-8")
    blocks = {b.stem: b for b in BLOCKS if b.mode == "run" and b.is_test_module}
    for stem, block in blocks.items():
        source, start = _module_source(block, wrap_await=False)
        # Pad so that the block's lines keep their page numbers in tracebacks.
        padding = max(0, block.line - start)
        (folder / f"test_{stem}.py").write_text("\n" * padding + source, encoding="utf-8")
    report = folder / "report.xml"
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-c",
            str(folder / "pytest.ini"),
            f"--junitxml={report}",
            str(folder),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env=environment,
    )
    outcomes: dict[str, list[str]] = {block.name: [] for block in blocks.values()}
    counted: dict[str, int] = dict.fromkeys(blocks, 0)
    if report.exists():
        for case in ET.parse(report).iter("testcase"):
            dotted = (case.get("classname") or case.get("name") or "").split(".")
            stem = next((p.removeprefix("test_") for p in dotted if p.startswith("test_doc_")), "")
            if stem not in blocks:
                continue
            counted[stem] += 1
            for problem in [*case.iter("failure"), *case.iter("error")]:
                outcomes[blocks[stem].name].append(
                    f"{case.get('name')}: {problem.get('message', '')}\n{problem.text or ''}"
                )
    for stem, count in counted.items():
        if count == 0:
            outcomes[blocks[stem].name].append(f"no test ran:\n{result.stdout}{result.stderr}")
    return outcomes


# -- the tests ----------------------------------------------------------------------------


@pytest.mark.parametrize("block", BLOCKS, ids=lambda block: f"{block.name}-{block.mode}")
def test_code_block(
    block: Block, request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each Python block of the docs runs against the local IVS Chat, or type-checks."""
    if block.mode == "skip":
        pytest.skip(f"{block.name}: {block.reason}")
    if block.mode == "types":
        errors: dict[str, list[str]] = request.getfixturevalue("mypy_errors")
        assert not errors[block.name], "\n".join(errors[block.name])
    elif block.is_test_module:
        failures: dict[str, list[str]] = request.getfixturevalue("test_module_results")
        assert not failures[block.name], "\n\n".join(failures[block.name])
    else:
        _run_in_page(block)


def test_every_page_has_checked_blocks() -> None:
    """The extraction finds the blocks: README.md and the guide are full of them."""
    pages = {block.page for block in BLOCKS}
    assert ROOT / "README.md" in pages
    assert ROOT / "docs" / "client.md" in pages
    assert sum(block.mode != "skip" for block in BLOCKS) >= 20


def test_extraction_reads_markers_setup_and_indented_blocks(tmp_path: Path) -> None:
    """Markers choose the mode and carry setup; indented fences in lists are read too."""
    page = tmp_path / "page.md"
    page.write_text(
        textwrap.dedent(
            """\
            # A page

            ```python
            x = 1
            ```

            <!-- check: types
            from typing import Any
            y: Any = ...
            -->
            ```python
            print(y)
            ```

            - a list item:

              <!-- check: skip it needs a browser -->
              ```python
              window.alert(1)
              ```

            ```bash
            echo not python
            ```
            """
        ),
        encoding="utf-8",
    )
    first, second, third = extract_blocks(page)
    assert (first.mode, first.code, first.line) == ("run", "x = 1\n", 4)
    assert (second.mode, second.setup, second.code) == (
        "types",
        "from typing import Any\ny: Any = ...",
        "print(y)\n",
    )
    assert (third.mode, third.reason, third.code) == (
        "skip",
        "it needs a browser",
        "window.alert(1)\n",
    )


def test_a_drifting_block_fails(tmp_path: Path) -> None:
    """A block calling what the API does not have fails, as run and as types."""
    page = tmp_path / "drift.md"
    page.write_text(
        "```python\nIvsChatClient(region_name='us-west-2').create_rooms(name='x')\n```\n",
        encoding="utf-8",
    )
    (block,) = extract_blocks(page)
    from ivschat_sdk.testing import mock_ivschat

    namespace: dict[str, object] = {}
    exec(AMBIENT, namespace)
    with _sandbox(), mock_ivschat(), pytest.raises(AttributeError, match="create_rooms"):
        _execute(block.code, str(page), block.line, namespace)
    source, _ = _module_source(block, wrap_await=True)
    module = tmp_path / "doc_drift.py"
    module.write_text(source, encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--strict",
            *MYPY_RELAXED,
            str(module),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert 'has no attribute "create_rooms"' in result.stdout


# -- links --------------------------------------------------------------------------------

LINK = re.compile(r"\[[^\]]*\]\((?P<target>[^)\s]+)\)")


def _slug(heading: str) -> str:
    """A heading's anchor as Python-Markdown's toc extension makes it."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
    text = re.sub(r"[^\w\s-]", "", text)
    return re.sub(r"[-\s]+", "-", text).strip("-")


def _anchors(page: Path) -> set[str]:
    text = page.read_text(encoding="utf-8")
    text = re.sub(r"^```.*?^```", "", text, flags=re.DOTALL | re.MULTILINE)
    return {_slug(m[1]) for m in re.finditer(r"^#{1,6}\s+(.*)$", text, re.MULTILINE)}


def test_readme_links_resolve() -> None:
    """Every relative link of the README names a file of the repository, and its anchor exists.

    (mkdocs --strict checks the links between the site's pages; the README is not one.)
    """
    readme = ROOT / "README.md"
    problems = []
    for match in LINK.finditer(readme.read_text(encoding="utf-8")):
        target = match["target"]
        if re.match(r"^[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        file = (readme.parent / path).resolve() if path else readme
        if not file.exists():
            problems.append(f"{target}: no such file")
        elif anchor and file.suffix == ".md" and anchor not in _anchors(file):
            problems.append(f"{target}: no heading with that anchor")
    assert not problems, problems


# -- the built site -----------------------------------------------------------------------

PUBLIC_PACKAGES = [
    "ivschat_sdk",
    "ivschat_sdk.testing",
    "ivschat_sdk.local",
    "ivschat_sdk.messaging",
    "ivschat_sdk.review",
    "ivschat_sdk.review.testing",
    "ivschat_sdk.logs",
]


def _needs_docs_extra() -> None:
    for module in ("mkdocs", "mkdocstrings_handlers.python", "griffe"):
        if importlib.util.find_spec(module) is None:
            pytest.skip(
                f"the site checks need the docs extra ({module} is not installed): pip install -e '.[docs]'"
            )


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built site: IVSCHAT_DOCS_SITE, or one built here with mkdocs build --strict."""
    if os.environ.get("IVSCHAT_DOCS_SITE"):
        return Path(os.environ["IVSCHAT_DOCS_SITE"])
    _needs_docs_extra()
    folder = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return folder


@pytest.mark.parametrize("package", PUBLIC_PACKAGES)
def test_site_reference_covers_every_public_name(package: str, site: Path) -> None:
    """Every name in a public package's __all__ has an entry in the built API reference."""
    names = importlib.import_module(package).__all__
    anchors = set()
    for page in (site / "api").rglob("*.html"):
        anchors |= set(re.findall(r'id="([\w.]+)"', page.read_text(encoding="utf-8")))
    missing = [name for name in names if f"{package}.{name}" not in anchors]
    assert not missing, f"not in the API reference (docs/api/): {missing}"


def test_site_roles_become_links() -> None:
    """The griffe extension turns Sphinx roles into links to public paths, or into code."""
    _needs_docs_extra()
    import griffe

    sys.path.insert(0, str(ROOT / "docs" / "_ext"))
    try:
        from sphinx_roles import SphinxRoles  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(ROOT / "docs" / "_ext"))
    package = griffe.load(
        "ivschat_sdk", search_paths=[str(ROOT)], extensions=griffe.load_extensions(SphinxRoles)
    )
    local = package["local"].docstring.value
    assert "[`LocalIvsChat`][ivschat_sdk.local.LocalIvsChat]" in local
    assert "[`ivschat_sdk.testing.mock_ivschat`][ivschat_sdk.testing.mock_ivschat]" in local
    assert ":class:" not in local
    models = package["_models"].docstring.value  # a private module: plain code
    assert "`ivschat_sdk._converter`" in models
    assert "][ivschat_sdk._converter]" not in models
