"""A build stopped by Ctrl+C (SIGINT) or SIGTERM at any moment leaves the old site or the new one, never a mixture,
and no staging folder."""

from __future__ import annotations

import hashlib
import importlib.util
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO
from test_build import tree, without_search_index

from medborgarlofte.build import interrupt


def build_command(content: Path, out: Path) -> list[str]:
    # --force: once one of the builds below has finished, the same content would otherwise count as "unchanged".
    return [
        sys.executable,
        str(REPO / "build.py"),
        "build",
        "--no-pdf",
        "--force",
        "--content",
        str(content),
        "--out",
        str(out),
    ]


def started(command: list[str]) -> subprocess.Popen:
    """The build with Ctrl+C ignored until its own code takes the signal over: a Ctrl+C while the interpreter itself
    starts (on a busy machine, later than the first moment below) is Python's, a traceback from its start-up with
    nothing written, and not what these tests are about. Python leaves SIGINT ignored if it starts so."""
    return subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )


@pytest.mark.posix
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["sigint", "sigterm"])
def test_an_interrupted_build_leaves_the_old_or_the_new_site(content: Path, stop: signal.Signals) -> None:
    out = content.parent / "_site"
    subprocess.run(build_command(content, out), check=True, capture_output=True, timeout=120)
    old = without_search_index(tree(out))
    promise = content / "kommuner" / "trollhattan" / "2021" / "medborgarlofte.md"
    promise.write_text(promise.read_text().replace("Arbeta mot narkotika.", "Arbeta ännu mer mot narkotika."))
    seen = set()
    for delay in (0.05, 0.3, 0.6, 0.9, 1.2, 1.5, 2.0):
        process = started(build_command(content, out))
        time.sleep(delay)
        process.send_signal(stop)
        _, err = process.communicate(timeout=120)
        assert b"Traceback" not in err, err.decode()
        now = without_search_index(tree(out))
        assert now == old or "Arbeta ännu mer mot narkotika." in now["trollhattan/2021/index.html"].decode()
        if now != old:
            seen.add("new")
            assert set(now) == set(old), "a mixture: the new site lacks files the old one had"
        else:
            seen.add("old")
        assert not list(content.parent.glob("._site.staging-*")), "a staging folder was left"
    assert seen, "no build was interrupted"


def _national(tmp_path: Path) -> tuple[Path, Path]:
    """The benchmark's made-up content for all 290 kommuner (1,457 pages: rendered by forked workers)."""
    spec = importlib.util.spec_from_file_location("national", REPO / "benchmarks" / "national.py")
    assert spec and spec.loader
    national = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(national)
    root = tmp_path / "innehall"
    return root, national.generate(root)


def _digests(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


@pytest.mark.posix
def test_an_interrupted_national_build_leaves_the_old_or_the_new_site(tmp_path: Path) -> None:
    """At national scale, where pages render in forked workers and Pagefind takes seconds: stopped at any moment,
    in any stage, the build leaves one whole site and no staging folder, and does not hang."""
    content, follow_up = _national(tmp_path)
    out = tmp_path / "_site"
    subprocess.run(build_command(content, out), check=True, capture_output=True, timeout=300)
    old = _digests(out)
    follow_up.write_text(follow_up.read_text(encoding="utf-8").replace("Sammanfattning.", "Ny sammanfattning."))
    seen = set()
    for delay, stop in ((0.5, signal.SIGINT), (2.0, signal.SIGTERM), (3.5, signal.SIGINT), (5.0, signal.SIGTERM)):
        process = started(build_command(content, out))
        time.sleep(delay)
        process.send_signal(stop)
        _, err = process.communicate(timeout=120)  # a build that hangs fails here
        assert b"Traceback" not in err, err.decode()
        now = _digests(out)
        if now == old:
            seen.add("old")
        else:
            seen.add("new")
            assert set(now) - {p for p in now if p.startswith("pagefind/")} == set(old) - {
                p for p in old if p.startswith("pagefind/")
            }, "a mixture: the new site lacks files the old one had"
            assert "Ny sammanfattning." in (out / "ale" / "2025-2026" / "index.html").read_text(encoding="utf-8")
            old = now
        assert not list(tmp_path.glob("._site.staging-*")), "a staging folder was left"
    assert "old" in seen, "no build was interrupted"


def test_a_signal_stops_the_build_at_its_next_checkpoint_not_where_it_lands() -> None:
    """An exception raised where a signal lands can be swallowed (inside a finaliser or an at-fork handler): the
    first signal is only noted, and the build stops at a checkpoint, with the exit code a shell expects."""
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(interrupt.Interrupted) as stopped, interrupt.stop_at_checkpoints():
        signal.raise_signal(signal.SIGTERM)
        time.sleep(0.05)  # the handler has run: nothing was raised here
        reached = True
        interrupt.checkpoint()
    assert reached and stopped.value.code == 128 + signal.SIGTERM
    assert signal.getsignal(signal.SIGTERM) is before
    interrupt.checkpoint()  # outside a build, nothing is pending
