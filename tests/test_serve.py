"""`build.py serve`: the live preview, run as a real subprocess on a copy of examples/demo.

A communicator saves a file and the open tab reloads with the change; a broken file shows its diagnostics in the
tab and in the terminal until it is fixed, and never stops the server; a change re-renders only what it touches;
bursts of saves make one rebuild; the live-reload script is only ever in what the server sends, never in the built
files; no PDFs are made; a port in use is reported in Swedish with exit code 2; Ctrl+C stops it, and many open
preview tabs all load.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import REPO, indexed
from test_browser import axe_violations

from medborgarlofte.build import content
from medborgarlofte.build.content import build_date
from medborgarlofte.build.pipeline import Memory, Options, build, update
from medborgarlofte.cli import BUNDLED_THEME
from medborgarlofte.preview.live import DEBOUNCE_S, LiveSite, touched

browser_test = pytest.mark.browser

DEMO = REPO / "examples" / "demo"
FOLLOW_UP = Path("kommuner/exempelby/2025-2026/uppfoljningar/2026-06.md")
SUMMARY = "Halvårsuppföljning för 2026."
STATUS = "status: pågår"  # the first commitment of the follow-up
BROKEN_STATUS = "status: klart"
PROMISE_PAGE = "exempelby/2025-2026/index.html"
READY = "Webbplatsen visas på"
REBUILT = "Byggde om"
CONTENT_ERROR = "Innehållet har fel"
WAIT_S = 20.0  # the longest a rebuild, a reload or a start may take before a test calls it stuck
WAIT_MS = WAIT_S * 1000


# The server as a subprocess


class Server:
    """`build.py serve` on a content folder; its stdout and stderr are read line by line in threads."""

    def __init__(self, content: Path, port: int) -> None:
        self.content, self.port = content, port
        self.url = f"http://127.0.0.1:{port}/"
        self.out = content / "_site"
        self.process = subprocess.Popen(
            [sys.executable, str(REPO / "build.py"), "serve", "--content", str(content), "--port", str(port)],
            cwd=content,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.lines: dict[str, list[str]] = {"stdout": [], "stderr": []}
        self._arrived = threading.Condition()
        for name, pipe in (("stdout", self.process.stdout), ("stderr", self.process.stderr)):
            threading.Thread(target=self._read, args=(pipe, self.lines[name]), daemon=True).start()

    def _read(self, pipe, lines: list[str]) -> None:
        for line in pipe:
            with self._arrived:
                lines.append(line.rstrip("\n"))
                self._arrived.notify_all()

    def output(self) -> str:
        with self._arrived:
            return "\n".join(f"[{name}] {line}" for name, lines in self.lines.items() for line in lines)

    def count(self, text: str, stream: str = "stdout") -> int:
        with self._arrived:
            return sum(text in line for line in self.lines[stream])

    def wait_for_line(self, text: str, stream: str = "stdout", more_than: int = 0) -> str:
        """Wait until more than `more_than` lines of `stream` contain `text`; returns the last such line."""
        deadline = time.monotonic() + WAIT_S
        with self._arrived:
            while True:
                found = [line for line in self.lines[stream] if text in line]
                if len(found) > more_than:
                    return found[-1]
                assert self.process.poll() is None, f"serve stopped (exit {self.process.returncode}):\n{self.output()}"
                left = deadline - time.monotonic()
                assert left > 0, f"no {text!r} on {stream} within {WAIT_S:g} s:\n{self.output()}"
                self._arrived.wait(min(left, 0.1))

    def assert_running(self) -> None:
        assert self.process.poll() is None, f"serve stopped (exit {self.process.returncode}):\n{self.output()}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def poll(condition: Callable[[], object], what: str, timeout: float = WAIT_S) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what}: not within {timeout:g} s"
        time.sleep(0.02)


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def edit(root: Path, old: str, new: str, path: Path = FOLLOW_UP) -> None:
    """Replace the first `old` in a content file, as an editor would save it."""
    file = root / path
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def location_of(root: Path, text: str, path: Path = FOLLOW_UP) -> str:
    """`path:line` of the first `text` in a content file, as the diagnostics name it."""
    content = (root / path).read_text(encoding="utf-8")
    return f"{path.as_posix()}:{content[: content.index(text)].count(chr(10)) + 1}:"


def rebuilt_text(server: Server, text: str, page: str = PROMISE_PAGE) -> bool:
    target = server.out / page
    return target.is_file() and text in target.read_text(encoding="utf-8")


# Fixtures


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """A copy of examples/demo without its built site and PDF cache, for a test to change."""
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns("_site", ".cache"))
    return root


@pytest.fixture
def start_serve(demo: Path) -> Iterator[Callable[..., Server]]:
    """Starts `serve` (by default on the demo copy) and waits until it serves; every server is stopped after the
    test."""
    servers: list[Server] = []

    def start(content: Path = demo) -> Server:
        server = Server(content, free_port())
        servers.append(server)
        server.wait_for_line(READY)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def server(start_serve: Callable[..., Server]) -> Server:
    return start_serve()


# 1. The open tab reloads by itself


@browser_test
def test_open_page_reloads_itself_with_the_saved_text(server: Server, page) -> None:
    from playwright.sync_api import expect

    page.goto(server.url + "exempelby/")
    expect(page.locator("main")).to_contain_text(SUMMARY)
    navigations: list[str] = []
    loads: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url) if frame == page.main_frame else None)
    page.on("load", lambda loaded: loads.append(loaded.url))

    edit(server.content, SUMMARY, "Sparat i redigeraren och syns direkt.")

    expect(page.locator("main")).to_contain_text("Sparat i redigeraren och syns direkt.", timeout=WAIT_MS)
    expect(page.locator("main")).not_to_contain_text(SUMMARY)
    page.wait_for_load_state("load")
    assert navigations and set(navigations) == {server.url + "exempelby/"}, navigations
    assert loads and set(loads) == {server.url + "exempelby/"}, loads


# 2. A broken file shows its diagnostic in the tab and the terminal, until fixed


@browser_test
def test_broken_file_shows_error_page_until_fixed(server: Server, page) -> None:
    from playwright.sync_api import expect

    where = location_of(server.content, STATUS)
    page.goto(server.url + "exempelby/")
    expect(page.locator("main")).to_contain_text(SUMMARY)
    errors_before = server.count(where, "stderr")

    edit(server.content, STATUS, BROKEN_STATUS)

    expect(page.locator("h1")).to_have_text(CONTENT_ERROR, timeout=WAIT_MS)
    expect(page.locator(".problems")).to_contain_text(where)
    shown = page.locator(".problems code").first.inner_text()
    assert shown.startswith(where), shown
    printed = server.wait_for_line(where, "stderr", more_than=errors_before)
    assert printed.startswith(shown), f"terminal: {printed!r}, browser: {shown!r}"
    assert page.url == server.url + "exempelby/"
    server.assert_running()

    edit(server.content, BROKEN_STATUS, STATUS)

    expect(page.locator("h1")).not_to_have_text(CONTENT_ERROR, timeout=WAIT_MS)
    expect(page.locator("main")).to_contain_text(SUMMARY)
    assert page.url == server.url + "exempelby/"
    server.assert_running()


# 3. Only what a change touches is rewritten


def _stamps(out: Path, *paths: str) -> dict[str, tuple[int, bytes]]:
    return {path: ((out / path).stat().st_mtime_ns, (out / path).read_bytes()) for path in paths}


def test_incremental_rebuild_leaves_unrelated_pages_alone(server: Server) -> None:
    unrelated = ("pahittebo/index.html", "pahittebo/2023/index.html", "pahittebo/feed.xml")
    shared = ("index.html", "feed.xml")
    before = _stamps(server.out, *unrelated, *shared)
    rebuilds = server.count(REBUILT)

    # The summary is on the promise and kommun pages and in the feeds, but not on the start page.
    edit(server.content, SUMMARY, "Ny sammanfattning.")
    line = server.wait_for_line(REBUILT, more_than=rebuilds)
    assert re.search(rf"{REBUILT} \d+ filer", line), f"not an incremental rebuild: {line!r}"
    assert rebuilt_text(server, "Ny sammanfattning.")
    after = _stamps(server.out, *unrelated, *shared)
    for path in unrelated:
        assert after[path] == before[path], f"{path} was rewritten by a change in Exempelby"
    assert after["feed.xml"][0] != before["feed.xml"][0] and b"Ny sammanfattning." in after["feed.xml"][1]
    # Same bytes, so write_changed keeps the file (and its modification time).
    assert after["index.html"] == before["index.html"]

    # A status changes the counts the start page lists for every kommun: now it is rewritten too.
    edit(server.content, STATUS, "status: försenat")
    line = server.wait_for_line(REBUILT, more_than=rebuilds + 1)
    assert re.search(rf"{REBUILT} \d+ filer", line), f"not an incremental rebuild: {line!r}"
    latest = _stamps(server.out, *unrelated, *shared)
    for path in unrelated:
        assert latest[path] == before[path], f"{path} was rewritten by a change in Exempelby"
    assert latest["index.html"][0] != before["index.html"][0] and b"1 f\xc3\xb6rsenat" in latest["index.html"][1]
    assert latest["feed.xml"][0] != after["feed.xml"][0]


def test_touched_by_a_follow_up_is_its_promise_kommun_and_shared_pages() -> None:
    change = touched({DEMO / FOLLOW_UP}, DEMO)
    assert change is not None
    wanted, kommuner = change
    assert kommuner == {"exempelby"}
    for output in (PROMISE_PAGE, "exempelby/index.html", "index.html", "feed.xml", "exempelby/feed.xml"):
        assert wanted(output), output
    for output in ("pahittebo/index.html", "pahittebo/2023/index.html", "pahittebo/feed.xml", "om/index.html"):
        assert not wanted(output), output


@pytest.mark.parametrize(
    "changed",
    [DEMO / "content" / "om.md", BUNDLED_THEME / "templates" / "base.html", DEMO / "kommuner" / "exempelby"],
    ids=["content-page", "theme", "kommun-folder"],
)
def test_touched_is_everything_outside_a_promise(changed: Path) -> None:
    assert touched({changed}, DEMO) is None


NEW_FOLLOW_UP = """---
datum: 2026-09-01
avser: Sommaren 2026
åtaganden:
  trafikkontroller:
    status: genomfört
    utfall: 85
    kommentar: Målet nått.
---
Ny uppföljning i september.
"""
KOMMUN_FILE = Path("kommuner/exempelby/kommun.yaml")
# A change of each kind, by name: (file, text replaced, new text); no text replaced means a new file.
CHANGES: dict[str, tuple[Path, str | None, str]] = {
    "summary": (FOLLOW_UP, SUMMARY, "Ny sammanfattning."),
    "status": (FOLLOW_UP, STATUS, "status: försenat"),
    "date": (FOLLOW_UP, "datum: 2026-06-15", "datum: 2026-06-20"),
    "new-follow-up": (FOLLOW_UP.with_name("2026-09.md"), None, NEW_FOLLOW_UP),
    "kommun": (KOMMUN_FILE, "Exempeldalen", "Exempelslätten"),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_incremental_rebuild_equals_a_full_build(demo: Path, tmp_path: Path, change: str) -> None:
    """What `touched` leaves out must not have changed: after an update the live folder is what a full build of the
    changed content makes (the search index aside, which is brought up to date separately)."""

    def options(out: Path) -> Options:
        return Options(demo, BUNDLED_THEME, out, "http://127.0.0.1:8000/", build_date(), False, demo / ".cache")

    def files(out: Path) -> dict[str, bytes]:
        return {
            f.relative_to(out).as_posix(): f.read_bytes()
            for f in out.rglob("*")
            if f.is_file() and "pagefind" not in f.relative_to(out).parts
        }

    memory = Memory(options(demo / "_site"))
    assert build(options(demo / "_site"), memory=memory).site is not None
    path, old, new = CHANGES[change]
    if old is None:
        (demo / path).write_text(new, encoding="utf-8")
    else:
        edit(demo, old, new, path)
    touch = touched({demo / path}, demo)
    assert touch is not None
    wanted, kommuner = touch
    memory.content.forget(kommuner)
    result, written = update(options(demo / "_site"), wanted, memory)
    assert result.site is not None and written
    assert build(options(tmp_path / "full")).site is not None
    live, full = files(demo / "_site"), files(tmp_path / "full")
    stale = sorted(path for path in live.keys() | full.keys() if live.get(path) != full.get(path))
    assert not stale, f"after {change!r} these differ from a full build: {stale}"


# 4. A burst of saves is one rebuild


def test_burst_of_saves_is_one_rebuild(server: Server) -> None:
    rebuilds = server.count(REBUILT)
    file = server.content / FOLLOW_UP
    original = file.read_text(encoding="utf-8")
    started = time.monotonic()
    for save in range(10):
        file.write_text(original.replace(SUMMARY, f"Sparning nummer {save}."), encoding="utf-8")
        time.sleep(0.01)
    burst = time.monotonic() - started
    assert burst < DEBOUNCE_S, f"the ten saves took {burst * 1000:.0f} ms: not one burst on this machine"

    server.wait_for_line(REBUILT, more_than=rebuilds)
    poll(lambda: "Sparning nummer 9." in fetch(server.url + "exempelby/2025-2026/")[1], "the last save served")
    time.sleep(5 * DEBOUNCE_S)  # room for a second rebuild, had the burst been split
    assert server.count(REBUILT) == rebuilds + 1, server.output()
    status, body = fetch(server.url + "exempelby/2025-2026/")
    assert status == 200 and "Sparning nummer 9." in body and "Sparning nummer 8." not in body


# 5. The reload script is only in what the server sends


def _files_with_reload_script(site: Path) -> list[str]:
    return sorted(str(f.relative_to(site)) for f in site.rglob("*.html") if b"__medborgarlofte" in f.read_bytes())


def test_reload_script_only_in_served_pages(server: Server, tmp_path: Path) -> None:
    for path in ("", "exempelby/", "exempelby/2025-2026/", "om/"):
        status, body = fetch(server.url + path)
        assert status == 200 and '<script src="/__medborgarlofte/reload.js' in body, f"/{path}"
    status, body = fetch(server.url + "finns-inte/")
    assert status == 404 and '<script src="/__medborgarlofte/reload.js' in body
    status, script = fetch(server.url + "__medborgarlofte/reload.js")
    assert status == 200 and "__medborgarlofte/version" in script
    assert (server.out / "index.html").is_file()
    assert not _files_with_reload_script(server.out)

    rebuilds = server.count(REBUILT)
    edit(server.content, SUMMARY, "Ändrat under förhandsvisningen.")
    server.wait_for_line(REBUILT, more_than=rebuilds)
    assert rebuilt_text(server, "Ändrat under förhandsvisningen.")
    assert not _files_with_reload_script(server.out), "an incremental rebuild wrote the reload script"

    built = tmp_path / "byggd"
    result = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "build", "--content", str(server.content), "--out", str(built)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert (built / "index.html").is_file()
    assert not _files_with_reload_script(built)
    assert not [f for f in built.rglob("*") if f.is_file() and b"__medborgarlofte" in f.read_bytes()]


# 6. A port in use


def test_port_in_use_is_a_usage_error(demo: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, str(REPO / "build.py"), "serve", "--content", str(demo), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"porten {port} används redan" in result.stderr
    assert READY not in result.stdout
    assert not (demo / "_site").exists(), "the port is checked before building"


# 7. Invalid content at start


def test_invalid_content_at_start_is_served_as_error_page_until_fixed(demo: Path, start_serve) -> None:
    edit(demo, STATUS, BROKEN_STATUS)
    where = location_of(demo, BROKEN_STATUS)
    server = start_serve(demo)
    assert server.count(where, "stderr") >= 1, server.output()

    for path in ("", "exempelby/", "exempelby/2025-2026/"):
        status, body = fetch(server.url + path)
        assert status == 500, f"/{path}: {status}"
        assert CONTENT_ERROR in body and where in body, body
    # Styled although no build has succeeded yet: its stylesheet comes from the theme, not from the output.
    stylesheet = re.search(r'<link rel="stylesheet" href="/([^"]+)">', body)
    assert stylesheet is not None and not (server.out / stylesheet.group(1)).exists()
    status, css = fetch(server.url + stylesheet.group(1))
    assert status == 200 and "--background:" in css, css[:200]

    edit(demo, BROKEN_STATUS, STATUS)
    poll(lambda: fetch(server.url + "exempelby/")[0] == 200, "the fixed site served")
    status, body = fetch(server.url + "exempelby/")
    assert status == 200 and SUMMARY in body and CONTENT_ERROR not in body
    assert fetch(server.url + "exempelby/2025-2026/")[0] == 200
    server.assert_running()


# 8. No PDFs


def test_serve_makes_no_pdfs(server: Server) -> None:
    assert (server.out / PROMISE_PAGE).is_file()
    assert not list(server.out.rglob("*.pdf"))
    assert not (server.content / ".cache" / "pdf").exists()
    assert ".pdf" not in (server.out / PROMISE_PAGE).read_text(encoding="utf-8")


# 9. The error page is accessible


@browser_test
def test_error_page_has_noaxe_violations(server: Server, page) -> None:
    from playwright.sync_api import expect

    page.goto(server.url + "exempelby/")
    edit(server.content, STATUS, BROKEN_STATUS)
    expect(page.locator("h1")).to_have_text(CONTENT_ERROR, timeout=WAIT_MS)
    assert not (report := axe_violations(page)), f"axe-core on the error page:\n{report}"


@browser_test
def test_error_page_at_start_has_noaxe_violations(demo: Path, start_serve, page) -> None:
    edit(demo, STATUS, BROKEN_STATUS)
    server = start_serve(demo)
    response = page.goto(server.url + "exempelby/")
    assert response is not None and response.status == 500
    assert not (report := axe_violations(page)), f"axe-core on the error page:\n{report}"


# Stopping, and many open tabs


@pytest.mark.posix
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_ctrl_c_stops_the_server_with_a_tab_listening(server: Server, stop: signal.Signals) -> None:
    with urllib.request.urlopen(server.url + "__medborgarlofte/version", timeout=10) as version:
        assert version.read().decode().isdigit()
    server.process.send_signal(stop)
    assert server.process.wait(WAIT_S) == 0, server.output()


@browser_test
def test_seven_open_tabs_all_load(server: Server, context) -> None:
    """A tab must not hold a connection open: a browser allows six HTTP/1.1 connections per host,
    so a communicator with many preview tabs open must still get the next one."""
    from playwright.sync_api import Error as PlaywrightError

    for tab in range(1, 8):
        page = context.new_page()
        try:
            response = page.goto(server.url + "exempelby/", timeout=10_000)
        except PlaywrightError as error:
            pytest.fail(f"tab {tab} of the preview did not load: {str(error).splitlines()[0]}")
        assert response is not None and response.status == 200, f"tab {tab}"
        page.wait_for_timeout(200)  # the tab's event stream connects


def test_an_update_reads_and_encodes_only_the_kommun_that_changed(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """serve keeps each kommun's content, model and encoded data: saving a follow-up in Exempelby must not read
    Påhittebo again, and the data set still holds both."""
    options = Options(demo, BUNDLED_THEME, demo / "_site", None, build_date(), False, demo / ".cache")
    memory = Memory(options)
    assert build(options, memory=memory).site is not None
    read: list[str] = []
    real = content.load_kommun
    monkeypatch.setattr(content, "load_kommun", lambda folder, *rest: read.append(folder.name) or real(folder, *rest))
    edit(demo, SUMMARY, "Ny sammanfattning.")
    touch = touched({demo / FOLLOW_UP}, demo)
    assert touch is not None
    memory.content.forget(touch[1])
    result, written = update(options, touch[0], memory)
    assert result.site is not None and read == ["exempelby"]
    assert "data/medborgarloften.json" in written and "pahittebo/index.html" not in written
    dataset = (demo / "_site" / "data" / "medborgarloften.json").read_text(encoding="utf-8")
    assert "Ny sammanfattning." in dataset and "Påhittebo" in dataset


def test_an_edited_template_shows_on_the_next_rebuild(demo: Path, tmp_path: Path) -> None:
    """Templates are compiled once per renderer and not checked for changes at every page: a changed theme must
    still show, since a change outside a promise rebuilds everything with a new renderer."""
    theme = tmp_path / "tema"
    shutil.copytree(BUNDLED_THEME, theme)
    live = LiveSite(
        Options(demo, theme, tmp_path / "_site", "http://127.0.0.1:8000/", build_date(), False, tmp_path / "cache")
    )
    live.full_build()
    assert "Ny sidfot" not in (tmp_path / "_site" / "index.html").read_text(encoding="utf-8")
    base = theme / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</footer>", "Ny sidfot</footer>"), encoding="utf-8")
    live.rebuild({base}, structural=False)
    live.settle()
    assert "Ny sidfot" in (tmp_path / "_site" / "index.html").read_text(encoding="utf-8")
    assert "Ny sidfot" in (tmp_path / "_site" / "exempelby" / "2025-2026" / "index.html").read_text(encoding="utf-8")


def test_the_search_index_follows_a_saved_change_and_its_documents_go_with_the_server(
    demo: Path, tmp_path: Path
) -> None:
    """serve indexes the search documents it keeps after each save: a word just written is found, and the documents
    are not left behind when the server stops."""
    live = LiveSite(
        Options(demo, BUNDLED_THEME, tmp_path / "_site", "http://127.0.0.1:8000/", build_date(), False, demo / ".cache")
    )
    live.full_build()
    assert "Vattenkaraffer" not in indexed(tmp_path / "_site")["/exempelby/2025-2026/"]["content"]
    edit(demo, SUMMARY, "Vattenkaraffer delades ut.")
    live.rebuild({demo / FOLLOW_UP}, structural=False)
    live.settle()
    assert "Vattenkaraffer" in indexed(tmp_path / "_site")["/exempelby/2025-2026/"]["content"]
    assert not (tmp_path / "_site" / ".sokdokument").exists()
    documents = live.documents
    assert (documents / "exempelby" / "2025-2026" / "index.html").is_file()
    live.close()
    assert not documents.exists()


DRAFT_NOTE = "Utkast, inte publicerat."


def _imported_draft(demo: Path) -> str:
    """Strömstad's document imported into the demo's kommun as a draft; returns the draft's address."""
    source = REPO / "tests" / "source-documents" / "stromstad" / "2023-2024.txt"
    done = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "importera", str(source), "--kommun", "exempelby"],
        cwd=demo,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "utkast: true" in (demo / "kommuner" / "exempelby" / "2023-2024" / "medborgarlofte.md").read_text("utf-8")
    return "exempelby/2023-2024/"


def test_serve_shows_an_imported_draft_marked_and_a_build_leaves_it_out(demo: Path, tmp_path: Path) -> None:
    draft = _imported_draft(demo)
    live = LiveSite(
        Options(demo, BUNDLED_THEME, tmp_path / "live", None, build_date(), False, tmp_path / "cache", drafts=True)
    )
    live.full_build()
    live.close()
    html = (tmp_path / "live" / draft / "index.html").read_text(encoding="utf-8")
    assert DRAFT_NOTE in html and "Lokalpolisområde Strömstad" not in html
    built = build(Options(demo, BUNDLED_THEME, tmp_path / "site", None, build_date(), False, tmp_path / "cache"))
    assert built.site is not None
    assert not (tmp_path / "site" / draft).exists()
    assert DRAFT_NOTE not in (tmp_path / "site" / "exempelby" / "index.html").read_text(encoding="utf-8")


@browser_test
def test_the_communicator_reviews_an_imported_draft_in_the_browser(start_serve, demo: Path, page) -> None:
    from playwright.sync_api import expect

    draft = _imported_draft(demo)
    server = start_serve()
    page.goto(server.url + draft)
    expect(page.locator(".draft-notice")).to_be_visible()
    expect(page.locator(".draft-notice")).to_contain_text(DRAFT_NOTE)
    assert page.locator("li.commitment, li.commitment-plain").count() == 21
    assert axe_violations(page) == ""
