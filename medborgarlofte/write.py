"""Stage 6, write: build the whole site in a staging folder, then swap it in at once.

A build that fails, or is stopped, never leaves a half-written site: the previous output stays exactly as it was until
the new one is complete.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

from .interrupt import checkpoint

MARKER = ".medborgarlofte-site"


class OutputError(Exception):
    """The output folder cannot safely be replaced (it holds something that is not a site built here)."""


def check_output(out: Path) -> None:
    """Refuse to replace a folder this tool did not write, so `--out ~` can never delete someone's files."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} är en fil, inte en mapp. Välj en mapp att bygga till med --out, till exempel _site.")
    if out.exists() and not (out / MARKER).is_file() and any(out.iterdir()):
        raise OutputError(
            f"Mappen {out} finns redan och innehåller inte en webbplats byggd med medborgarlofte. "
            "Välj en annan mapp med --out eller töm mappen."
        )


def write_site(
    files: dict[str, bytes],
    static_dir: Path,
    out: Path,
    copies: dict[str, Path],
    index: Callable[[Path], AbstractContextManager[object]] | None = None,
) -> None:
    """Write the HTML pages of `files`; then, inside `index` (the search index is made from the pages meanwhile),
    the other files, the `copies` (attachments, by site path) and the theme's static assets; and only once all is
    done, swap the staging folder in."""
    check_output(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    discard_leftovers(out)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
    try:
        write_files(staging, {path: data for path, data in files.items() if path.endswith(".html")})
        with index(staging) if index else contextlib.nullcontext():
            write_files(staging, {path: data for path, data in files.items() if not path.endswith(".html")})
            shutil.copytree(static_dir, staging / "static")
            for relative, source in sorted(copies.items()):
                target = staging / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
            checkpoint()
        checkpoint()
        (staging / MARKER).write_text("Byggd av medborgarlofte; mappen ersätts helt vid nästa bygge.\n")
        os.chmod(staging, 0o755)
        _swap(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def write_files(staging: Path, files: dict[str, bytes]) -> None:
    """Write `files` (by site path) into the staging folder; each folder made once, since thousands of files share
    a few hundred folders."""
    made: set[str] = set()
    for relative, content in sorted(files.items()):
        folder = relative.rpartition("/")[0]
        if folder not in made:
            (staging / folder).mkdir(parents=True, exist_ok=True)
            made.add(folder)
        with open(staging / relative, "wb") as handle:
            handle.write(content)


def _swap(staging: Path, out: Path) -> None:
    """Two renames on one file system, with Ctrl+C and SIGTERM held back between them so that the site is never
    missing; the old site is deleted only after the new one is in place."""
    if not out.exists():
        os.replace(staging, out)
        return
    retired = Path(tempfile.mkdtemp(prefix=f"{_retired_prefix(out)}", dir=out.parent))
    with _signals_held():
        os.replace(out, retired / "site")
        try:
            os.replace(staging, out)
        except OSError:
            os.replace(retired / "site", out)
            shutil.rmtree(retired, ignore_errors=True)
            raise
    _discard(retired)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Interrupting signals wait until the block is done; where that is not possible (not the main thread, no
    pthread_sigmask), the block runs as it is."""
    held = {signal.SIGINT, signal.SIGTERM}
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    except (AttributeError, OSError, ValueError):
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _retired_prefix(out: Path) -> str:
    return f".{out.name}.old-"


def _discard(folder: Path) -> None:
    """Delete a replaced site without keeping the build waiting: on some disks removing thousands of files takes
    seconds, so a detached process does it. Anything it has not finished is removed by the next build."""
    try:
        subprocess.Popen(
            ["rm", "-rf", "--", str(folder)],
            start_new_session=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


def discard_leftovers(out: Path) -> None:
    """Replaced sites an earlier build left half-deleted, and staging folders of a build that was killed."""
    for leftover in out.parent.glob(f".{out.name}.*-*"):
        if leftover.name.startswith((_retired_prefix(out), f".{out.name}.staging-")) and leftover.is_dir():
            _discard(leftover)


def write_changed(files: dict[str, bytes], out: Path) -> list[str]:
    """For `serve` only: write into the live folder the files whose bytes differ, each replaced whole, so that a
    page the change did not touch keeps its file (and its modification time)."""
    written = []
    for relative, content in sorted(files.items()):
        target = out / relative
        if target.is_file() and target.read_bytes() == content:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False, prefix=".", suffix=".tmp") as handle:
            handle.write(content)
        os.replace(handle.name, target)
        written.append(relative)
    return written
