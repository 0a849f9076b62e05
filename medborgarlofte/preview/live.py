"""`serve`: the site rebuilt as the content changes, and the open browser tab told to reload.

A communicator saves a file and sees the page change. Bursts of file events (an editor's save, a `git checkout`) are
gathered into one rebuild; a change inside one promise folder re-renders that promise's page, its kommun's page, the
pages that list every kommun and the feeds, and nothing else; invalid content keeps the server running and shows the
diagnostics in the terminal and in the browser until the file is fixed.
"""

from __future__ import annotations

import gc
import queue
import shutil
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from medborgarlofte.build.fingerprint import record_path
from medborgarlofte.build.pipeline import Memory, Options, build, update
from medborgarlofte.build.write import OutputError
from medborgarlofte.content.diagnostics import Diagnostic, Severity
from medborgarlofte.content.load import KOMMUNER_DIR, PAGES_DIR
from medborgarlofte.outputs.addresses import BUNDLE_DIR, EVERY_KOMMUN, KOMMUN_FEED, KOMMUN_PAGE
from medborgarlofte.search.index import SearchIndexError, index_site

DEBOUNCE_S = 0.2
EDITOR_LEFTOVERS = (".swp", ".swx", ".tmp", "~")


def touched(changed: set[Path], root: Path) -> tuple[Callable[[str], bool], set[str]] | None:
    """What a set of changed files touches: a test on output paths, and the kommun folders changed; None when
    everything must be rebuilt."""
    exact, prefixes, kommuner = set(EVERY_KOMMUN), set(), set()
    for path in changed:
        try:
            parts = path.resolve().relative_to(root.resolve()).parts
        except ValueError:
            return None  # the theme, outside the content tree
        if len(parts) < 3 or parts[0] != KOMMUNER_DIR:
            return None  # content/ (every page's navigation), the theme, or a kommun folder itself
        kommun = parts[1]
        kommuner.add(kommun)
        exact |= {f"{kommun}/{KOMMUN_PAGE}", f"{kommun}/{KOMMUN_FEED}"}
        prefixes.add(f"{kommun}/" if parts[2] == "kommun.yaml" else f"{kommun}/{parts[2]}/")
    starts = tuple(prefixes)
    return (lambda output: output in exact or output.startswith(starts)), kommuner


@dataclass
class LiveSite:
    """The state the server shows: the version open tabs reload on, and the diagnostics while content is invalid."""

    options: Options
    memory: Memory = field(init=False)
    version: int = 0
    problems: list[Diagnostic] = field(default_factory=list)
    changed: threading.Lock = field(default_factory=threading.Lock)
    indexing: threading.Lock = field(default_factory=threading.Lock)
    indexer: threading.Thread | None = None
    # The search documents of the live site, kept to be indexed again after each change: in the cache beside the
    # build records, one folder per output folder, so that a server that was killed leaves nothing elsewhere.
    documents: Path = field(init=False)

    def __post_init__(self) -> None:
        self.documents = record_path(self.options.cache, self.options.out).with_suffix(".sok")
        self.memory = self._memory()

    def _memory(self) -> Memory:
        memory = Memory(self.options)
        memory.documents = self.documents
        return memory

    def close(self) -> None:
        """Wait for the search index, then remove what only the live site needed."""
        self.settle()
        shutil.rmtree(self.documents, ignore_errors=True)

    def full_build(self) -> None:
        started = time.perf_counter()
        gc.unfreeze()  # the previous build's memory may go now
        self.memory = self._memory()
        try:
            result = build(self.options, memory=self.memory)
        except (SearchIndexError, OutputError) as error:
            self._failed([Diagnostic(str(self.options.out), 1, 1, Severity.ERROR, str(error))])
            return
        finally:
            # What the build keeps is kept until the next full build: left to the collector, each of its passes over
            # a national-scale site costs a second or more, in the middle of the next rebuild. The models an update
            # replaces are then never collected, but only those of this build, once: the leak is bounded.
            gc.collect()
            gc.freeze()
        self._report(result.diagnostics.sorted(), result.site is not None, started, "hela webbplatsen")

    def rebuild(self, changed: set[Path], structural: bool) -> None:
        change = None if structural or self.problems else touched(changed, self.options.root)
        if change is None:
            self.full_build()
            return
        started = time.perf_counter()
        wanted, kommuner = change
        self.memory.content.forget(kommuner)
        result, written = update(self.options, wanted, self.memory)
        if written is None:
            self.full_build()
            return
        self._report(result.diagnostics.sorted(), result.site is not None, started, f"{len(written)} filer")
        if result.site is not None and written:
            self.indexer = threading.Thread(target=self._reindex, daemon=True)
            self.indexer.start()

    def settle(self) -> None:
        """Wait until the search index is up to date with the last rebuild (for measurements and tests)."""
        if self.indexer:
            self.indexer.join()

    def _reindex(self) -> None:
        """The search index is brought up to date after the reload, so that the page is not kept waiting for it;
        one at a time, so that the last save's index is the one that stays."""
        with self.indexing:
            try:
                index_site(self.documents, self.options.out / BUNDLE_DIR)
            except SearchIndexError as error:
                print(f"Sökindexet kunde inte uppdateras: {error}", file=sys.stderr, flush=True)

    def _report(self, diagnostics: list[Diagnostic], ok: bool, started: float, what: str) -> None:
        diagnostics = [d.seen_from_here(self.options.root) for d in diagnostics]
        for diagnostic in diagnostics:
            print(diagnostic.format(), file=sys.stderr, flush=True)
        if not ok:
            self._failed([d for d in diagnostics if d.severity is Severity.ERROR])
            return
        print(f"Byggde om {what} på {(time.perf_counter() - started) * 1000:.0f} ms.", flush=True)
        self._publish([])

    def _failed(self, problems: list[Diagnostic]) -> None:
        print("Innehållet har fel; sidan i webbläsaren visar dem tills filen är rättad.", file=sys.stderr, flush=True)
        self._publish(problems)

    def _publish(self, problems: list[Diagnostic]) -> None:
        with self.changed:
            self.problems = problems
            self.version += 1


class _Collector(FileSystemEventHandler):
    def __init__(self, events: queue.Queue[tuple[Path, bool]]) -> None:
        self.events = events

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed", "closed_no_write"):
            return
        # Something removed may leave pages of its own behind: rebuild everything. Editors that save by writing a
        # new file and renaming it over the old one make `created`/`moved` file events: an ordinary change.
        structural = event.event_type == "deleted" or (event.is_directory and event.event_type == "moved")
        for raw in filter(None, (event.src_path, getattr(event, "dest_path", ""))):
            path = Path(str(raw))
            if not path.name.endswith(EDITOR_LEFTOVERS) and not path.name.startswith(".#"):
                self.events.put((path, structural))


def watch(live: LiveSite, stop: threading.Event) -> Observer:
    """Watch kommuner/, content/ and the theme; rebuild once per burst of events, until `stop` is set."""
    events: queue.Queue[tuple[Path, bool]] = queue.Queue()
    observer = Observer()
    for folder in (live.options.root / KOMMUNER_DIR, live.options.root / PAGES_DIR, live.options.theme):
        if folder.is_dir():
            observer.schedule(_Collector(events), str(folder), recursive=True)
    observer.start()
    threading.Thread(target=_rebuild_bursts, args=(live, events, stop), daemon=True).start()
    return observer


def _rebuild_bursts(live: LiveSite, events: queue.Queue[tuple[Path, bool]], stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            first = events.get(timeout=0.5)
        except queue.Empty:
            continue
        changed, structural = {first[0]}, first[1]
        while True:  # the burst ends when no event has come for DEBOUNCE_S
            try:
                path, is_structural = events.get(timeout=DEBOUNCE_S)
            except queue.Empty:
                break
            changed.add(path)
            structural = structural or is_structural
        live.rebuild(changed, structural)
