"""The tool on Windows, shown on Linux: no fork (the work done here, one task after another, giving the very bytes the
forked workers give), no `os.nice`, no `rm`, renames the system refuses for a while or for good, content saved with
CRLF line endings, text written with the same newlines everywhere, and a console in a code page without every
character.

Where fork is involved, a build runs in a process of its own: forking happens only while no other thread runs, and a
test session may have other threads (a browser test's server)."""

from __future__ import annotations

import ast
import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPO
from test_build import tree, without_search_index

from medborgarlofte.build import interrupt, write
from medborgarlofte.build.write import write_changed
from medborgarlofte.search import index

DEMO = REPO / "examples" / "demo"
FOLLOW_UP = Path("kommuner/exempelby/2025-2026/uppfoljningar/2026-06.md")
SUMMARY = "Halvårsuppföljning för 2026."
EPOCH = "1735732800"
LIVE_ADDRESS = "http://127.0.0.1:8000/"

# Every stage that can use workers does so on the demo's few kommuner and pages, as at national scale.
ALL_IN_PARALLEL = """
import sys
from medborgarlofte import cli
from medborgarlofte.outputs import data
from medborgarlofte.build import content
from medborgarlofte.outputs import render
render.PARALLEL_FROM = content.READ_IN_PARALLEL_FROM = data.ENCODE_IN_PARALLEL_FROM = 1
"""
# Python on Windows: no fork start method, no os.fork, no os.nice.
AS_ON_WINDOWS = """
import multiprocessing, os
real_context = multiprocessing.get_context
def no_fork(method=None):
    if method == "fork":
        raise ValueError("cannot find context for 'fork'")
    return real_context(method)
multiprocessing.get_context = no_fork
multiprocessing.get_all_start_methods = lambda: ["spawn"]
del os.fork, os.nice
"""
# Forks counted, on two cores at least, so that the reference is made by forked workers on any machine.
COUNT_FORKS = """
import atexit, multiprocessing, os
forks = []
real_context = multiprocessing.get_context
multiprocessing.get_context = lambda method=None: forks.append(method) or real_context(method)
os.cpu_count = lambda: 2
atexit.register(lambda: print("forks:", len(forks)))
"""
RUN_CLI = """
code = cli.main(sys.argv[1:])
sys.exit(code)
"""
RUN_CHECK_THEN_BUILD = """
code = cli.main(["check", *sys.argv[1:3]]) or cli.main(sys.argv[1:])
sys.exit(code)
"""


def _python(script: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    command = [sys.executable, "-c", script, *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=300, env=environment)


def _forked_build(content: Path, out: Path, *options: str) -> None:
    """The reference: a build whose reading, encoding, search documents, pages and feeds all ran in forked
    processes."""
    done = _python(COUNT_FORKS + ALL_IN_PARALLEL + RUN_CLI, "build", "--content", content, "--out", out, *options)
    assert done.returncode == 0, done.stderr
    assert "forks: 4" in done.stdout, done.stdout


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    content = tmp_path / "demo"
    shutil.copytree(DEMO, content, ignore=shutil.ignore_patterns("_site", ".cache"))
    return content


@pytest.mark.posix  # the reference is made by forked processes
def test_without_fork_check_and_build_give_the_forked_site_byte_for_byte(demo: Path, tmp_path: Path) -> None:
    forked, unforked = tmp_path / "forked", tmp_path / "unforked"
    _forked_build(demo, forked, "--no-pdf")
    done = _python(
        AS_ON_WINDOWS + ALL_IN_PARALLEL + RUN_CHECK_THEN_BUILD,
        "--content",
        demo,
        "build",
        "--no-pdf",
        "--out",
        unforked,
    )
    assert done.returncode == 0, done.stderr
    assert "Innehållet är giltigt." in done.stdout and "Byggde 2 kommuner" in done.stdout, done.stdout
    assert tree(unforked) == tree(forked)  # the search index too: SOURCE_DATE_EPOCH makes it reproducible


SERVE_REBUILDS = """
from pathlib import Path
from medborgarlofte.cli import BUNDLED_THEME
from medborgarlofte.preview.live import LiveSite
from medborgarlofte.build.content import build_date
from medborgarlofte.build.pipeline import Options
content, out, follow_up = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
live = LiveSite(Options(content, BUNDLED_THEME, out, sys.argv[4], build_date(), False, content / ".cache"))
live.full_build()
for text, structural in (("Först en ny sammanfattning.", True), ("Sedan en annan.", False)):
    follow_up.write_text(follow_up.read_text(encoding="utf-8").replace(sys.argv[5], text, 1), encoding="utf-8")
    live.rebuild({follow_up}, structural)  # everything again (the live folder swapped), then only what it touches
    live.settle()
    sys.argv[5] = text
    assert not live.problems, live.problems
print("version", live.version)
"""


@pytest.mark.posix  # the reference is made by forked processes
def test_without_fork_serve_rebuilds_give_the_forked_site(demo: Path, tmp_path: Path) -> None:
    live, forked = tmp_path / "live", tmp_path / "forked"
    follow_up = demo / FOLLOW_UP
    done = _python(AS_ON_WINDOWS + ALL_IN_PARALLEL + SERVE_REBUILDS, demo, live, follow_up, LIVE_ADDRESS, SUMMARY)
    assert done.returncode == 0, done.stderr
    assert "version 3" in done.stdout, done.stdout
    assert "Sedan en annan." in follow_up.read_text(encoding="utf-8")
    _forked_build(demo, forked, "--no-pdf", "--base-url", LIVE_ADDRESS)
    # serve brings its search index up to date by Pagefind's own reading, which is not reproducible
    assert without_search_index(tree(live)) == without_search_index(tree(forked))


# Line endings


def _saved_with(root: Path, newline: bytes) -> list[Path]:
    """Every content file saved with `newline` line endings: CRLF as an editor on Windows (or git's checkout there)
    saves it."""
    files = sorted(p for p in root.rglob("*") if p.suffix in (".md", ".yaml"))
    for path in files:
        path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", newline))
    return files


@pytest.fixture
def lf_and_crlf(demo: Path, tmp_path: Path) -> tuple[Path, Path]:
    crlf = tmp_path / "crlf"
    shutil.copytree(demo, crlf)
    _saved_with(demo, b"\n")
    files = _saved_with(crlf, b"\r\n")
    assert {p.name for p in files} >= {"kommun.yaml", "medborgarlofte.md", "2026-06.md", "site.yaml", "om.md"}
    return demo, crlf


def test_content_with_crlf_gives_the_same_site(cli, lf_and_crlf, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    lf, crlf = lf_and_crlf
    assert cli("build", "--no-pdf", "--content", lf, "--out", tmp_path / "lf-site").code == 0
    assert cli("build", "--no-pdf", "--content", crlf, "--out", tmp_path / "crlf-site").code == 0
    assert tree(tmp_path / "crlf-site") == tree(tmp_path / "lf-site")


# (file, text replaced, new text, the line the diagnostic must name): a mistake in a kommun, in a promise, in a
# follow-up's front matter and in its body, and a page saved in Latin-1 instead of UTF-8.
MISTAKES = [
    (Path("kommuner/exempelby/kommun.yaml"), "namn: Exempelby", "namn: Exempelby\nokänd: nyckel", "okänd: nyckel"),
    (Path("kommuner/exempelby/2025-2026/medborgarlofte.md"), "ansvar: polisen", "ansvar: ingen", "ansvar: ingen"),
    (FOLLOW_UP, "status: pågår", "status: klart", "status: klart"),
    (FOLLOW_UP, SUMMARY, f"{SUMMARY}\n\nSe [länken](javascript:alert(1)).", "javascript:"),
    (Path("content/om.md"), "påhittade kommuner.\n", "påhittade kommuner.\nGammal text: \xe5.\n", "Gammal text"),
]


def _make_mistakes(root: Path) -> None:
    """Each mistake made with the file's own line endings."""
    for path, old, new, _ in MISTAKES:
        text = (root / path).read_bytes().decode("utf-8")
        newline = "\r\n" if "\r\n" in text else "\n"
        old, new = old.replace("\n", newline), new.replace("\n", newline)
        assert old in text, f"{old!r} is not in {path}"
        # Latin-1 only in the line added, as when text is pasted from an old document
        changed = text.replace(old, new, 1).encode("utf-8")
        if path.suffix == ".md" and "Gammal text" in new:
            changed = changed.replace("Gammal text: å.".encode(), "Gammal text: å.".encode("latin-1"))
        (root / path).write_bytes(changed)


def test_content_with_crlf_gives_the_same_diagnostics_at_the_same_lines(cli, lf_and_crlf) -> None:
    lf, crlf = lf_and_crlf
    _make_mistakes(lf)
    _make_mistakes(crlf)
    lf_check, crlf_check = cli("check", "--content", lf), cli("check", "--content", crlf)
    assert lf_check.code == crlf_check.code == 1
    assert crlf_check.err == lf_check.err
    where = [line.split(": ", 1)[0] for line in lf_check.err.splitlines() if ": fel: " in line or ": varning: " in line]
    for path, _, _, marker in MISTAKES:
        lines = (lf / path).read_bytes().split(b"\n")
        line = next(number for number, text in enumerate(lines, 1) if marker.encode() in text)
        assert any(place.startswith(f"{path.as_posix()}:{line}:") for place in where), (path, line, where)


# Text files the tool writes


def _text_writes(source: str) -> list[tuple[int, str]]:
    """Calls that write text with the platform's newline (CRLF on Windows) or encoding: `write_text` and a text-mode
    `open` without `newline`, or without `encoding`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute | ast.Name):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
        keywords = {keyword.arg for keyword in node.keywords}
        arguments = [*node.args, *(k.value for k in node.keywords if k.arg == "mode")]
        modes = [a.value for a in arguments if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        mode = next((m for m in modes if m and set(m) <= set("rwxabt+")), "r")
        writes_text = name == "write_text" or (name == "open" and bool(set(mode) & set("wxa")) and "b" not in mode)
        if writes_text and not {"newline", "encoding"} <= keywords:
            found.append((node.lineno, ast.unparse(node)))
    return found


def test_the_tool_writes_text_with_the_same_newlines_and_encoding_on_every_platform() -> None:
    """A site built on Windows is the same bytes as one built on Linux, and so is every file `new` writes."""
    found = {
        f"{path.relative_to(REPO)}:{line}": call
        for path in sorted((REPO / "medborgarlofte").rglob("*.py"))
        for line, call in _text_writes(path.read_text(encoding="utf-8"))
    }
    assert not found, f"text written with the platform's newline or encoding: {found}"


def test_the_check_for_text_writes_finds_them() -> None:
    risky = 'p.write_text("x")\nopen(p, "w", encoding="utf-8")\np.open("x", newline="")\n'
    safe = 'p.write_bytes(b"x")\nopen(p, "wb")\nopen(p)\np.open("a", encoding="utf-8", newline="\\n")\n'
    assert [line for line, _ in _text_writes(risky)] == [1, 2, 3]
    assert _text_writes(safe) == []


def test_output_is_utf8_where_the_console_has_a_narrower_code_page(tmp_path: Path) -> None:
    """Python on Windows writes to a pipe in the system's code page (cp1252 in Sweden), which has no `→`: a
    diagnostic quoting one must not stop `check --format github` (as CI runs it), and GitHub reads UTF-8."""
    content = tmp_path / "innehall"
    shutil.copytree(REPO / "tests" / "fixtures" / "minimal", content)
    promise = content / "kommuner" / "trollhattan" / "2021" / "medborgarlofte.md"
    promise.write_bytes(promise.read_bytes().replace(b"ansvar: polisen", "ansvar: polisen→".encode()))
    command = [sys.executable, str(REPO / "build.py"), "check", "--format", "github", "--content", str(content)]
    done = subprocess.run(command, capture_output=True, timeout=60, env={**os.environ, "PYTHONIOENCODING": "cp1252"})
    assert done.returncode == 1 and b"Traceback" not in done.stderr, done.stderr.decode("utf-8", "replace")
    assert "polisen→" in done.stdout.decode("utf-8")


# Renames Windows refuses, and the replaced site


def _refusing(monkeypatch, refused: Callable[[Path], bool], times: int) -> list[Path]:
    """`os.replace` refuses to move what `refused` picks, `times` times over, as Windows does while a program holds a
    file in it open; returns the refusals."""
    real = os.replace
    refusals: list[Path] = []

    def replace(source: str | Path, target: str | Path) -> None:
        if refused(Path(source)) and len(refusals) < times:
            refusals.append(Path(source))
            raise PermissionError(errno.EACCES, "Åtkomst nekad", str(source))
        real(source, target)

    monkeypatch.setattr(os, "replace", replace)
    return refusals


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


@pytest.fixture
def built(cli, content: Path) -> tuple[Path, dict[str, bytes]]:
    """The minimal content built once, then changed: the next build replaces a site."""
    out = content.parent / "_site"
    assert cli("build", "--no-pdf", "--content", content, "--out", out).code == 0
    promise = content / "kommuner" / "trollhattan" / "2021" / "medborgarlofte.md"
    promise.write_bytes(promise.read_bytes().replace(b"Arbeta mot narkotika.", b"Arbeta nu mot narkotika."))
    return out, tree(out)


def test_a_rename_refused_for_a_moment_is_tried_again(cli, content: Path, built, monkeypatch) -> None:
    out, _ = built
    monkeypatch.setattr(write, "RENAME_PAUSES", (0.01, 0.01, 0.01))
    refusals = _refusing(monkeypatch, lambda source: source == out, times=2)
    assert cli("build", "--no-pdf", "--content", content, "--out", out).code == 0
    assert refusals == [out, out]
    assert b"Arbeta nu mot narkotika." in (out / "trollhattan" / "2021" / "index.html").read_bytes()


@pytest.mark.parametrize("which", ["the-old-site", "the-new-site"])
def test_a_swap_refused_for_good_leaves_the_old_site_and_says_why(cli, content, built, monkeypatch, which) -> None:
    out, old = built
    monkeypatch.setattr(write, "RENAME_PAUSES", (0.01,))
    moving = (lambda source: source == out) if which == "the-old-site" else (lambda source: ".staging-" in source.name)
    _refusing(monkeypatch, moving, times=100)
    result = cli("build", "--no-pdf", "--content", content, "--out", out)
    assert result.code == 2, result.err
    assert f"fel: Den nya webbplatsen kunde inte flyttas till mappen {out} (Åtkomst nekad)" in result.err
    assert "Stäng det som har en fil i mappen öppen" in result.err and "Traceback" not in result.err
    assert tree(out) == old
    assert _leftovers(out) == []


def test_serve_writes_a_page_again_when_the_rename_was_refused_for_a_moment(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "sida.html").write_bytes(b"gammal")
    monkeypatch.setattr(write, "RENAME_PAUSES", (0.01,))
    refusals = _refusing(monkeypatch, lambda source: source.suffix == ".tmp", times=1)
    assert write_changed({"sida.html": b"ny"}, tmp_path) == ["sida.html"]
    assert len(refusals) == 1 and (tmp_path / "sida.html").read_bytes() == b"ny"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sida.html"]


def test_the_replaced_site_is_removed_in_the_background_without_rm(cli, content, built, monkeypatch) -> None:
    """Windows has no `rm`: the replaced site is still removed by a process of its own, not while the build waits."""
    out, _ = built
    monkeypatch.setenv("PATH", str(content))  # a folder without `rm`
    removed_here: list[str] = []
    real = shutil.rmtree

    def rmtree(path: Path, **options: object) -> None:
        removed_here.append(Path(path).name)
        real(path, **options)

    monkeypatch.setattr(shutil, "rmtree", rmtree)
    assert cli("build", "--no-pdf", "--content", content, "--out", out).code == 0
    assert not [name for name in removed_here if name.startswith("._site.old-")], removed_here
    deadline = time.monotonic() + 30
    while _leftovers(out) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _leftovers(out) == []


def test_the_replaced_site_is_removed_where_no_process_can_be_started(cli, content, built, monkeypatch) -> None:
    out, _ = built

    real = subprocess.Popen

    def no_process(command: list[str], **options: object) -> subprocess.Popen:
        if "pagefind" in str(command[0]):
            return real(command, **options)
        raise OSError(errno.ENOSYS, "Inga processer här")

    monkeypatch.setattr(subprocess, "Popen", no_process)
    assert cli("build", "--no-pdf", "--content", content, "--out", out).code == 0
    assert _leftovers(out) == []
    assert b"Arbeta nu mot narkotika." in (out / "trollhattan" / "2021" / "index.html").read_bytes()


# Pagefind stopped by Ctrl+C


def test_pagefind_ending_after_a_stop_was_asked_for_stops_the_build(tmp_path: Path, monkeypatch) -> None:
    """Ctrl+C reaches Pagefind too; on Windows it then ends with an ordinary status (STATUS_CONTROL_C_EXIT), not a
    signal's: the build was stopped, Pagefind did not fail. Python stands in for a Pagefind that ends with status 2."""
    (tmp_path / "index.html").write_text("<html></html>", encoding="utf-8")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", sys.executable)
    with pytest.raises(interrupt.Interrupted), interrupt.stop_at_checkpoints():
        signal.raise_signal(signal.SIGINT)  # noted, to be acted on at the next checkpoint
        index.index_site(tmp_path, tmp_path / index.BUNDLE_DIR)
