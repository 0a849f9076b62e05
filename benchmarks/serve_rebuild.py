"""Benchmark: milliseconds from saving a follow-up to its rebuilt promise page on disk, in `serve`.

    python benchmarks/serve_rebuild.py [--content DIR] [--runs 10]

Copies the content (its kommuner/, content/ and any theme/ of its own; default: examples/demo) to a temporary folder,
builds it once without PDFs and starts `medborgarlofte.preview.live.LiveSite` with its file watcher in this process,
with the same options `build.py serve` uses (no HTTP server: the browser's reload comes after this). Then, `runs` times,
it saves the first follow-up file with a new last paragraph and polls the promise page in the output folder every 2 ms
until it contains that paragraph.

Prints a Markdown table: the median and the longest time from the write to the page on disk; the part of it that is the
debounce wait (`medborgarlofte.preview.live.DEBOUNCE_S`, the quiet time that ends a burst of saves) and the rebuild time
`serve` itself reports ("Byggde om N filer på X ms"); the rest is the file watcher's latency and the polling. Between
runs it waits until the search index has been brought up to date, so that one run's Pagefind does not slow the next.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from medborgarlofte.build.content import build_date
from medborgarlofte.build.pipeline import Options
from medborgarlofte.cli import BUNDLED_THEME
from medborgarlofte.preview.live import DEBOUNCE_S, LiveSite, watch

REPO = Path(__file__).resolve().parent.parent
POLL_S = 0.002
TIMEOUT_S = 30.0


class _Tee(io.TextIOBase):
    """What LiveSite prints (from the watcher's thread too), kept for the rebuild times and passed on."""

    def __init__(self, target) -> None:
        self.target, self.lines, self._lock = target, [], threading.Lock()

    def write(self, text: str) -> int:
        with self._lock:
            self.lines.extend(line for line in text.splitlines() if line)
        return self.target.write(text)

    def flush(self) -> None:
        self.target.flush()


def _reindexing() -> bool:
    """Whether LiveSite's thread that brings the search index up to date after a rebuild is still running."""
    return any(thread.name.endswith("(_reindex)") for thread in threading.enumerate())


def _wait(condition, what: str) -> None:
    deadline = time.perf_counter() + TIMEOUT_S
    while not condition():
        if time.perf_counter() > deadline:
            sys.exit(f"serve_rebuild: {what} did not happen within {TIMEOUT_S:g} s")
        time.sleep(POLL_S)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=REPO / "examples" / "demo")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "innehall"
        for part in ("kommuner", "content", "theme"):  # what serve reads, not a built site, a cache or a .venv
            if (args.content / part).is_dir():
                shutil.copytree(args.content / part, root / part)
        follow_ups = sorted((root / "kommuner").glob("*/*/uppfoljningar/*.md"))
        if not follow_ups:
            sys.exit(f"serve_rebuild: {args.content} has no follow-up (kommuner/*/*/uppfoljningar/*.md)")
        follow_up = follow_ups[0]
        promise_page = (
            root / "_site" / follow_up.parent.parent.parent.name / follow_up.parent.parent.name / "index.html"
        )
        original = follow_up.read_text(encoding="utf-8")
        theme = root / "theme" if (root / "theme").is_dir() else BUNDLED_THEME
        # As cli._serve: no PDFs, the preview's address as the base URL, the cache beside the content.
        options = Options(root, theme, root / "_site", "http://127.0.0.1:8000/", build_date(), False, root / ".cache")
        live, stop = LiveSite(options), threading.Event()
        output = _Tee(sys.stdout)
        with contextlib.redirect_stdout(output):
            live.full_build()
            if live.problems:
                sys.exit("serve_rebuild: the content has errors: run `python build.py check` first")
            observer = watch(live, stop)
            time.sleep(0.5)  # the watcher is scheduled
            _wait(lambda: not _reindexing(), "the first search index")
            timings, rebuilds = [], []
            try:
                for run in range(1, args.runs + 1):
                    marker = f"Mätning {run} av {args.runs} ({time.time_ns()})."
                    version, printed = live.version, len(output.lines)
                    started = time.perf_counter()
                    follow_up.write_text(f"{original.rstrip()}\n\n{marker}\n", encoding="utf-8")
                    _wait(lambda m=marker: promise_page.is_file() and m in promise_page.read_text("utf-8"), "the page")
                    timings.append((time.perf_counter() - started) * 1000)
                    _wait(lambda v=version: live.version > v and not _reindexing(), "the rebuild and the search index")
                    new_lines = output.lines[printed:]
                    rebuilds += [
                        float(m[1]) for line in new_lines if (m := re.search(r"Byggde om .* på (\d+) ms", line))
                    ]
                    if live.problems or sum("Byggde om" in line for line in new_lines) != 1:
                        sys.exit(f"serve_rebuild: run {run} did not make exactly one rebuild: {new_lines}")
                    time.sleep(2 * DEBOUNCE_S)
            finally:
                follow_up.write_text(original, encoding="utf-8")
                stop.set()
                observer.stop()
                observer.join()
    median, longest, debounce = statistics.median(timings), max(timings), DEBOUNCE_S * 1000
    rebuild = statistics.median(rebuilds)
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} "
        f"{platform.python_version()}, {sys.platform}"
    )
    print(f"Content: {args.content} ({args.runs} runs; saved {follow_up.relative_to(root)})")
    print(
        "| write → page on disk (median) | (max) | debounce wait | debounce share of median "
        "| rebuild as reported (median) | watcher and polling (median) |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    print(
        f"| {median:.0f} ms | {longest:.0f} ms | {debounce:.0f} ms | {debounce / median:.0%} "
        f"| {rebuild:.0f} ms | {median - debounce - rebuild:.0f} ms |"
    )


if __name__ == "__main__":
    main()
