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
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from medborgarlofte.build.interrupt import SIGNALS, checkpoint
from medborgarlofte.outputs.addresses import STATIC_DIR

MARKER = ".medborgarlofte-site"
# Bytes, not text, so that the file is the same on every platform (text would get CRLF on Windows).
MARKER_TEXT = "Byggd av medborgarlofte; mappen ersätts helt vid nästa bygge.\n".encode()
# Windows refuses to rename a folder while a file in it is open, or a file that is open, and a virus scanner, the
# search indexer or `serve` answering a request holds a file open for a moment: a rename refused there is tried again
# after each of these pauses (seconds). Elsewhere a refusal is final.
RENAME_PAUSES: tuple[float, ...] = (0.05, 0.1, 0.2, 0.5, 1.0, 2.0) if sys.platform == "win32" else ()
# A replaced site is deleted by a fresh Python (no `rm`, which Windows lacks) that outlives the build and a Ctrl+C in
# its terminal: in a session of its own on POSIX, in a process group of its own and without a console on Windows.
DETACHED: dict[str, Any] = (
    {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP | subprocess.DETACHED_PROCESS}
    if sys.platform == "win32"
    else {"start_new_session": True}
)
REMOVE = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"


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


@contextlib.contextmanager
def staging_folder(out: Path) -> Iterator[Path]:
    """A new, empty folder beside `out` for the site to be written into; removed when the block ends, so that a
    build that fails or is stopped leaves nothing behind (`publish` moves it into place first)."""
    check_output(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    discard_leftovers(out)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def copy_files(staging: Path, static_dir: Path, copies: dict[str, Path]) -> None:
    """The theme's static assets and the `copies` (attachments, by site path) into the staging folder."""
    shutil.copytree(static_dir, staging / STATIC_DIR)
    for relative, source in sorted(copies.items()):
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    checkpoint()


def publish(staging: Path, out: Path) -> None:
    """Mark the staged site as built here and swap it in for `out` at once."""
    checkpoint()
    (staging / MARKER).write_bytes(MARKER_TEXT)
    os.chmod(staging, 0o755)
    _swap(staging, out)


def replace_folder(folder: Path, files: dict[str, bytes]) -> None:
    """`folder` with exactly `files` in it (by path), whatever it held before."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    write_files(folder, files)


def write_files(staging: Path, files: dict[str, bytes]) -> None:
    """Write `files` (by site path) into the staging folder; each folder made once, since thousands of files share
    a few hundred folders."""
    made: set[str] = set()
    for relative, content in sorted(files.items()):
        folder = relative.rpartition("/")[0]
        write_file(staging, relative, content, make_folder=folder not in made)
        made.add(folder)


def write_file(root: Path, relative: str, content: bytes, make_folder: bool = True) -> None:
    """One file (by site path) into `root`; its folder is made unless the caller knows that it exists."""
    target = root / relative
    if make_folder:
        target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as handle:
        handle.write(content)


def _swap(staging: Path, out: Path) -> None:
    """Move the staged site into place; a rename the system refuses (on Windows, while a program holds a file of the
    old site open) leaves the old site as it was."""
    try:
        if out.exists():
            _replace_site(staging, out)
        else:
            replace(staging, out)
    except OSError as error:
        raise OutputError(
            f"Den nya webbplatsen kunde inte flyttas till mappen {out} ({error.strerror}); det som fanns där är "
            "orört. Stäng det som har en fil i mappen öppen (till exempel Utforskaren, en terminal eller en "
            "redigerare) och bygg igen."
        ) from error


def _replace_site(staging: Path, out: Path) -> None:
    """Two renames on one file system, with the stop signals held back between them so that the site is never
    missing; the old site is deleted only after the new one is in place."""
    retired = Path(tempfile.mkdtemp(prefix=f"{_retired_prefix(out)}", dir=out.parent))
    with _signals_held():
        try:
            replace(out, retired / "site")
        except OSError:
            retired.rmdir()
            raise
        try:
            replace(staging, out)
        except OSError:
            replace(retired / "site", out)
            retired.rmdir()
            raise
    _discard(retired)


def replace(source: Path | str, target: Path) -> None:
    """`os.replace`, tried again while the system refuses it for a moment (see RENAME_PAUSES)."""
    for pause in RENAME_PAUSES:
        try:
            os.replace(source, target)
            return
        except PermissionError:
            time.sleep(pause)
    os.replace(source, target)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Interrupting signals wait until the block is done; where that is not possible (not the main thread, no
    pthread_sigmask on Windows), the block runs as it is."""
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    except (AttributeError, OSError, ValueError):
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def set_aside(folder: Path, out: Path) -> None:
    """Remove `folder` (in the staging folder of `out`) without keeping the build waiting: it is moved beside `out`
    under a name the next build clears up, and deleted there by a process of its own."""
    retired = Path(tempfile.mkdtemp(prefix=_retired_prefix(out), dir=out.parent))
    replace(folder, retired / folder.name)
    _discard(retired)


def _retired_prefix(out: Path) -> str:
    return f".{out.name}.old-"


def _discard(folder: Path) -> None:
    """Delete a replaced site without keeping the build waiting: on some disks removing thousands of files takes
    seconds, so a process of its own does it. Anything it has not finished is removed by the next build."""
    try:
        subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", REMOVE, str(folder)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            **DETACHED,
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
        replace(handle.name, target)
        written.append(relative)
    return written
