"""Stage 7, index: Pagefind's search index, made into the staged site before it is swapped in.

Pagefind reads a search document per kommun page and promise page (theme/templates/search.html), not the pages: the
words of the page that a search should find, in plain paragraphs, with the page's filters, metadata and sort date.
Pagefind's time grows with the markup and text it parses, of which a page has several times what it indexes; the test
suite checks that every indexed word is on its page. Pagefind runs as its documentation describes: its command line
over the folder of documents, writing into the site. What makes its index the same in every build (the order of the
pages and of its filter files) is in `search.reproducible`, the one module that knows Pagefind's file formats and its
service protocol.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pagefind.service import get_executable

from medborgarlofte.build.interrupt import checkpoint
from medborgarlofte.build.write import replace
from medborgarlofte.outputs.addresses import BUNDLE_DIR
from medborgarlofte.search.reproducible import SearchIndexError, canonical, index_in_order, page_count

__all__ = ["IndexReport", "Indexing", "SearchIndexError", "html_files", "index_site"]

# Seconds to wait for Pagefind; MEDBORGARLOFTE_PAGEFIND_TIMEOUT overrides it (a very large site on a slow machine).
INDEX_TIMEOUT_S = 60
# Pagefind's ready-made interfaces; the site has its own search page (theme/static/sok.js) on Pagefind's JS API.
UNUSED_BUNDLE_FILES = frozenset(
    {
        "pagefind-ui.js",
        "pagefind-ui.css",
        "pagefind-modular-ui.js",
        "pagefind-modular-ui.css",
        "pagefind-component-ui.js",
        "pagefind-component-ui.css",
        "pagefind-highlight.js",
    }
)


@dataclass(frozen=True)
class IndexReport:
    files_read: int
    pages: int
    seconds: float
    bytes: int


def index_site(documents: Path, bundle: Path, in_order: bool = False) -> IndexReport:
    """Index the search documents in `documents` into the folder `bundle`.

    `in_order` numbers the pages in sorted order, so that the index is the same on any file system; it costs
    Pagefind's parallel parsing, so it is for reproducible builds only."""
    with Indexing(documents, bundle, in_order) as indexing:
        pass
    assert indexing.report is not None
    return indexing.report


class Indexing:
    """`index_site` as a block: Pagefind starts on entering, so that it reads the search documents while the build
    writes the site; `finish`, or else leaving, waits for it and sets `report`, and leaving stops it if the block
    failed. A reproducible build's index is made by `finish`, since it is read document by document in order."""

    def __init__(self, documents: Path, bundle: Path, in_order: bool = False) -> None:
        self.documents = documents
        self.bundle = bundle
        self.in_order = in_order
        self.report: IndexReport | None = None
        self._started = 0.0
        self._running: _Command | None = None

    def __enter__(self) -> Indexing:
        self._started = time.perf_counter()
        if not self.in_order:
            self._running = _Command(self.documents, self.bundle)
        return self

    def finish(self) -> None:
        """The index finished and made the same in every build, once: the build calls this while its workers render
        the pages (once the search documents are all written), so that neither core waits for the other at the end."""
        if self.report is None:
            running, self._running = self._running, None
            self.report = self._finish(running)

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, traceback: Any) -> None:
        if kind is None:
            self.finish()
            return
        running, self._running = self._running, None
        if running:
            running.stop()

    def _finish(self, running: _Command | None) -> IndexReport:
        bundle = self.bundle
        pages = html_files(self.documents)
        if running:
            running.wait()
            found = on_disk = _read_folder(bundle)
        else:
            found = index_in_order(_executable(), self.documents, pages, _timeout())
            on_disk = _read_folder(bundle)
        published = {name: data for name, data in canonical(found).items() if name not in UNUSED_BUNDLE_FILES}
        _publish(bundle, published, on_disk)
        size = sum(len(data) for data in published.values())
        return IndexReport(len(pages), page_count(published), time.perf_counter() - self._started, size)


def html_files(site: Path) -> list[str]:
    """Every HTML file in `site` but Pagefind's own folder, as sorted paths relative to it: the order in which a
    reproducible build numbers the pages."""
    found = []
    for folder, folders, names in os.walk(site):
        here = Path(folder).relative_to(site)
        if here == Path("."):
            folders[:] = [name for name in folders if name != BUNDLE_DIR]
        found.extend((here / name).as_posix() for name in names if name.endswith(".html"))
    return sorted(found)


def _read_folder(bundle: Path) -> dict[str, bytes]:
    """Every file in `bundle` (none if it does not exist), by its path relative to it."""
    return {path.relative_to(bundle).as_posix(): path.read_bytes() for path in bundle.rglob("*") if path.is_file()}


def _publish(bundle: Path, files: dict[str, bytes], on_disk: dict[str, bytes]) -> None:
    """Make `bundle`, which holds `on_disk`, hold exactly `files`: each file written whole or not at all, the entry
    file last and the files of an earlier index removed after it, since `serve` indexes its live folder again after
    every save while a browser may read it."""
    entry = "pagefind-entry.json"
    for name in sorted(files, key=lambda name: name == entry):
        if on_disk.get(name) != files[name]:
            _replace(bundle / name, files[name])
    for name in on_disk.keys() - files.keys():
        (bundle / name).unlink(missing_ok=True)


def _replace(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(data)
    replace(partial, path)


def _executable() -> Path:
    executable = get_executable()  # honours PAGEFIND_BINARY_PATH, like Pagefind's Python package
    if executable is None:
        raise SearchIndexError("Pagefinds program hittades inte (paketet pagefind[bin])")
    return executable


class _Command:
    """Pagefind's command line over the whole folder, which it reads in parallel; its files are complete when the
    process has ended."""

    def __init__(self, documents: Path, bundle: Path) -> None:
        command = [str(_executable()), "--site", ".", "--output-path", str(bundle.resolve()), "--silent"]
        # Run in the documents' folder, with no PAGEFIND_ settings of the environment: Pagefind also takes its options
        # from these and from configuration files in the folder it runs in, and that folder holds none.
        settings = {name: value for name, value in os.environ.items() if not name.startswith("PAGEFIND_")}
        self.deadline = time.monotonic() + _timeout()
        # A file, not a pipe: nobody reads while the build goes on, and a full pipe would stop Pagefind.
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 (closed by wait or stop)
        try:
            self.process = subprocess.Popen(
                command,
                cwd=documents,
                env=settings,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=self.errors,
            )
        except OSError as error:
            self.errors.close()
            raise SearchIndexError(f"Pagefind kunde inte startas: {error}") from error

    def wait(self) -> None:
        """Wait for Pagefind to end."""
        try:
            status = self.process.wait(timeout=max(0.0, self.deadline - time.monotonic()))
        except subprocess.TimeoutExpired as error:
            self.stop()
            raise SearchIndexError(f"Pagefind svarade inte inom {_timeout():g} s") from error
        self.errors.seek(0)
        said = self.errors.read().decode("utf-8", "replace").strip()[-2000:]
        self.errors.close()
        if status:
            # Ctrl+C in a terminal reaches Pagefind too, which then ends with a signal's status on POSIX and with
            # STATUS_CONTROL_C_EXIT on Windows: if a stop was asked for, the build was stopped, Pagefind did not fail.
            checkpoint()
            raise SearchIndexError(f"Pagefind avslutades med status {status}" + (f": {said}" if said else ""))

    def stop(self) -> None:
        """Kill Pagefind if it still runs, and wait for it to go."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.errors.close()


def _timeout() -> float:
    return float(os.environ.get("MEDBORGARLOFTE_PAGEFIND_TIMEOUT") or INDEX_TIMEOUT_S)
