"""Benchmark: PDF rendering, cold and with nothing changed.

    python benchmarks/pdf.py [--content DIR]

Builds the site twice into a temporary folder with an empty PDF cache: the first build renders every PDF (in
parallel on every core), the second must render none. Prints seconds per PDF and the second build's figures. Not
part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

from medborgarlofte.build.content import build_date
from medborgarlofte.build.pipeline import Options, build
from medborgarlofte.cli import BUNDLED_THEME


def timed_build(content: Path, out: Path, cache: Path) -> tuple[float, int, int]:
    started = time.perf_counter()
    result = build(Options(content, BUNDLED_THEME, out, None, build_date(), True, cache))
    assert result.pdfs is not None, "the content has errors: run `python build.py check` first"
    return time.perf_counter() - started, result.pdfs.made, result.pdfs.cached


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        cache = Path(folder) / "cache"
        cold, made, _ = timed_build(args.content, Path(folder) / "a", cache)
        started = time.perf_counter()
        build(Options(args.content, BUNDLED_THEME, Path(folder) / "c", None, build_date(), False, cache))
        without_pdf = time.perf_counter() - started
        warm, made_again, cached = timed_build(args.content, Path(folder) / "b", cache)
    python = f"{platform.python_implementation()} {platform.python_version()}"
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, {python}")
    print(f"Content: {args.content}")
    print("| build | PDFs rendered | PDFs from cache | whole build | seconds per PDF |")
    print("| --- | ---: | ---: | ---: | ---: |")
    per_pdf = (cold - without_pdf) / made if made else 0.0
    print(f"| cold (empty cache) | {made} | 0 | {cold:.2f} s | {per_pdf:.2f} s |")
    print(f"| nothing changed | {made_again} | {cached} | {warm:.2f} s | – |")
    print(f"| --no-pdf | 0 | 0 | {without_pdf:.2f} s | – |")


if __name__ == "__main__":
    main()
