"""Shared fixtures: content trees to break on purpose, the CLI in-process, built sites served on localhost, and
Debian's Chromium driven by Playwright."""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from medborgarlofte.cli import main

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """Run `build.py` in-process with the given arguments, from the `--content` folder when one is given, as a
    communicator runs it: the paths it reports are then relative to that folder."""

    def run(*args: str | Path) -> CliResult:
        given = [str(a) for a in args]
        content = next((given[i + 1] for i, a in enumerate(given[:-1]) if a == "--content"), None)
        with contextlib.chdir(content) if content and Path(content).is_dir() else contextlib.nullcontext():
            code = main(given)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the minimal valid content tree, for a test to break."""
    root = tmp_path / "innehall"
    shutil.copytree(FIXTURES / "minimal", root, ignore=shutil.ignore_patterns(".cache", "_site"))
    return root


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped content of the repository, built once per test session."""
    out = tmp_path_factory.mktemp("site") / "_site"
    assert main(["build", "--content", str(REPO), "--out", str(out)]) == 0
    return out


def indexed(site: Path) -> dict[str, dict]:
    """What Pagefind indexed of each page of a built site, by its address: the fragment files (gzip of Pagefind's
    signature and JSON) hold each page's text, filters, metadata and anchors."""
    fragments = {}
    for fragment in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        fragments[data["url"]] = data
    return fragments


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve `directory` on a free localhost port; yields the server's root URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(shipped_site: Path) -> Iterator[str]:
    """The shipped site served at the root of a localhost server."""
    with serve(shipped_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless, through Playwright (never a browser Playwright downloads)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser) -> Iterator[object]:
    """A fresh browser context (no shared cookies, cache or focus state) for one test."""
    ctx = browser.new_context()
    yield ctx
    ctx.close()


@pytest.fixture
def page(context) -> object:
    return context.new_page()
