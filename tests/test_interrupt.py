"""A build stopped by Ctrl+C (SIGINT) or SIGTERM at any moment leaves the old site or the new one, never a mixture,
and no staging folder."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO
from test_build import tree, without_search_index


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


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["sigint", "sigterm"])
def test_an_interrupted_build_leaves_the_old_or_the_new_site(content: Path, stop: signal.Signals) -> None:
    out = content.parent / "_site"
    subprocess.run(build_command(content, out), check=True, capture_output=True, timeout=120)
    old = without_search_index(tree(out))
    promise = content / "kommuner" / "trollhattan" / "2021" / "medborgarlofte.md"
    promise.write_text(promise.read_text().replace("Arbeta mot narkotika.", "Arbeta ännu mer mot narkotika."))
    seen = set()
    for delay in (0.05, 0.3, 0.6, 0.9, 1.2, 1.5, 2.0):
        process = subprocess.Popen(build_command(content, out), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
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
