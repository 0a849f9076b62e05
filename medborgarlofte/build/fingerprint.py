"""Before the pipeline: whether the output folder already holds the site these exact inputs give.

A build is deterministic, so when the content, the theme, the tool itself and the options are what the last
successful build used (every file by name, size and modification time, as `make` decides), and the output folder is
untouched since, building again would only write the same files.
Communicators run `build` often (and CI on every push); answering "nothing changed" in a fraction of a second, with
the last build's warnings repeated, keeps that cheap. Anything uncertain (a missing or unreadable record, an output
folder changed by hand, another output folder) means an ordinary build.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from importlib import metadata
from operator import attrgetter
from pathlib import Path

from medborgarlofte.content.diagnostics import Diagnostic, Severity
from medborgarlofte.content.load import KOMMUNER_DIR, PAGES_DIR

PACKAGE = Path(__file__).resolve().parent.parent
# Libraries whose output ends up in the site: a new version may change the bytes.
OUTPUT_LIBRARIES = ("jinja2", "markdown-it-py", "pagefind", "weasyprint", "pydantic")


@dataclass(frozen=True)
class Summary:
    """What the build printed about itself, to say again when nothing has changed."""

    kommuner: int
    search_pages: int
    search_bytes: int
    diagnostics: list[Diagnostic]


def inputs_digest(root: Path, theme: Path, settings: dict[str, str]) -> str:
    """One hash over every file a build reads (content, theme, the tool's own code and data), the versions of the
    libraries that shape its output, and the options."""
    digest = hashlib.sha256()
    digest.update(json.dumps({**settings, "python": sys.version, **_library_versions()}, sort_keys=True).encode())
    for label, folder in (("content", root / PAGES_DIR), ("kommuner", root / KOMMUNER_DIR), ("theme", theme)):
        _hash_tree(digest, label, folder)
    _hash_tree(digest, "tool", PACKAGE)
    return digest.hexdigest()


def _library_versions() -> dict[str, str]:
    versions = {}
    for name in OUTPUT_LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "saknas"
    return versions


def _hash_tree(digest: hashlib._Hash, label: str, folder: Path) -> None:
    """Every file under `folder` by name, size and modification time (as `make` decides, and what a save or a
    `git checkout` changes), in a fixed order; a symbolic link also by where it points. Reading the bytes of every
    content file would cost a good part of what a build costs."""
    for relative, entry in _files(folder):
        try:
            status = entry.stat()
            stamp = f"{status.st_size}\0{status.st_mtime_ns}"
        except OSError as error:
            stamp = f"oläsbar:{error.errno}"
        link = os.readlink(entry.path) if entry.is_symlink() else ""
        digest.update(f"\0{label}/{relative}\0{stamp}\0{link}".encode("utf-8", "surrogateescape"))


def output_digest(out: Path) -> str:
    """Every file of the output folder by name, size and modification time: a site edited or half-deleted by hand
    no longer matches its record."""
    digest = hashlib.sha256()
    for relative, entry in _files(out):
        status = entry.stat(follow_symlinks=False)
        digest.update(f"{relative}\0{status.st_size}\0{status.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


_name = attrgetter("name")


def _files(folder: Path | str, prefix: str = "") -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Everything under `folder` but folders (a link is not followed), by its path from `folder`, in sorted order;
    Python's caches left out. `os.scandir` spares a second look at what each name is, and its entries' paths are
    walked as they are, without a `Path` for each of the thousands of folders of a national site."""
    try:
        entries = sorted(os.scandir(folder), key=_name)
    except OSError:
        return  # a folder that is missing or unreadable has nothing to hash
    for entry in entries:
        if not entry.is_dir(follow_symlinks=False):
            yield prefix + entry.name, entry
        elif entry.name != "__pycache__":
            yield from _files(entry.path, f"{prefix}{entry.name}/")


def record_path(cache: Path, out: Path) -> Path:
    """One record per output folder, so that building to two folders in turn leaves both reusable."""
    return cache / f"bygge-{hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:16]}.json"


def unchanged(record: Path, out: Path, inputs: str) -> Summary | None:
    """The last build's summary if it was made from `inputs` into `out` and `out` is as that build left it."""
    try:
        saved = json.loads(record.read_text(encoding="utf-8"))
        if saved["inputs"] != inputs or saved["out"] != str(out.resolve()) or not out.is_dir():
            return None
        if saved["output"] != output_digest(out):
            return None
        diagnostics = [Diagnostic(**{**d, "severity": Severity(d["severity"])}) for d in saved["diagnostics"]]
        return Summary(saved["kommuner"], saved["search_pages"], saved["search_bytes"], diagnostics)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remember(record: Path, out: Path, inputs: str, summary: Summary) -> None:
    """Record a successful build; written whole or not at all, and never a reason for the build to fail."""
    try:
        document = {
            "inputs": inputs,
            "out": str(out.resolve()),
            "output": output_digest(out),  # a file removed meanwhile raises: then there is no record
            "kommuner": summary.kommuner,
            "search_pages": summary.search_pages,
            "search_bytes": summary.search_bytes,
            "diagnostics": [asdict(d) for d in summary.diagnostics],
        }
        record.parent.mkdir(parents=True, exist_ok=True)
        partial = record.with_name(f".{record.name}.tmp")
        partial.write_bytes(json.dumps(document, ensure_ascii=False).encode())
        os.replace(partial, record)
    except OSError:
        pass  # without a record the next build is an ordinary one
