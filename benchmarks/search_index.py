"""Benchmark: Pagefind index size and indexing time for a content tree (default: the shipped content).

    python benchmarks/search_index.py [--content DIR] [--runs 5]

Builds the site `runs` times into a temporary folder and prints the median indexing time, the median whole build
time, the number of indexed pages and the size of the index. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from pathlib import Path

from medborgarlofte.build.content import build_date
from medborgarlofte.build.pipeline import Options, build
from medborgarlofte.cli import BUNDLED_THEME


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    index_seconds, build_seconds = [], []
    with tempfile.TemporaryDirectory() as folder:
        for run in range(args.runs):
            out = Path(folder) / f"site-{run}"
            started = time.perf_counter()
            result = build(Options(args.content, BUNDLED_THEME, out, None, build_date()))
            build_seconds.append(time.perf_counter() - started)
            assert result.search is not None, "the content has errors: run `python build.py check` first"
            index_seconds.append(result.search.seconds)
            read, pages, size = result.search.files_read, result.search.pages, result.search.bytes
            files = sum(1 for f in (out / "pagefind").rglob("*") if f.is_file())
    print(f"Machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}")
    print(f"Content: {args.content} ({args.runs} runs)")
    print("| HTML files read | pages indexed | index size | index files | indexing (median) | whole build (median) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    print(
        f"| {read} | {pages} | {size / 1000:.0f} kB | {files} | {statistics.median(index_seconds):.2f} s "
        f"| {statistics.median(build_seconds):.2f} s |"
    )


if __name__ == "__main__":
    main()
