"""Stages load, validate and model, one kommun folder at a time (`ContentMemory`): all that `check` needs, so that it
starts without the outputs' modules, and what a build and `serve` start from. The date the content is read on is
here too, since validation depends on it (a follow-up dated in the future)."""

from __future__ import annotations

import functools
import gc
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from medborgarlofte.build.parallel import Workers
from medborgarlofte.content.diagnostics import Diagnostic, Diagnostics
from medborgarlofte.content.load import RawContent, RawKommun, kommun_folders, load_kommun, load_shared
from medborgarlofte.content.model import Kommun, Site, build_kommun, build_site
from medborgarlofte.content.registry import Registry, load_registry
from medborgarlofte.content.validate import ValidKommun, validate_kommun, validate_shared


def build_date() -> date:
    """The date the site says it was built: `SOURCE_DATE_EPOCH` when set, so that rebuilds are byte-identical."""
    epoch = _source_date_epoch()
    return datetime.fromtimestamp(epoch, tz=UTC).date() if epoch is not None else date.today()


def reproducible() -> bool:
    """`SOURCE_DATE_EPOCH` is how a reproducible build is asked for (reproducible-builds.org): the same bytes on any
    machine, also where that costs time (the search index)."""
    return _source_date_epoch() is not None


def _source_date_epoch() -> int | None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return int(epoch) if epoch and epoch.strip().isdigit() else None


def load_site(root: Path, today: date) -> tuple[Site | None, Diagnostics]:
    """Stages load, validate and model; the site is None when any error was found."""
    return ContentMemory(root, today, Workers()).load(once=True)


def check_content(root: Path, today: date) -> Diagnostics:
    """Stages load and validate, which find every problem `check` reports: the model, which no diagnostic comes
    from, is left to the commands that render it, and the workers hand back only what they found."""
    _, diagnostics = ContentMemory(root, today, Workers(), model=False).load(once=True)
    return diagnostics


@dataclass
class _KommunState:
    """One kommun folder through load, validate and model, with what those stages reported about it. Of the read and
    the validated folder it keeps what `validate_shared` checks across kommuner (kommun.yaml, the folder's name), not
    the promises, which are in the model: the state is handed from a worker process, and `serve` keeps 290 of them."""

    diagnostics: list[Diagnostic]
    raw: RawKommun
    valid: ValidKommun | None
    model: Kommun | None


# Kommun folders from which reading them in forked workers pays (about 5 ms each, against starting the workers).
READ_IN_PARALLEL_FROM = 50


class ContentMemory:
    """Stages load, validate and model, one kommun folder at a time; `serve` keeps one between rebuilds so that
    saving a follow-up reads, checks and models that kommun again, not all 290."""

    def __init__(self, root: Path, today: date, workers: Workers, drafts: bool = False, model: bool = True) -> None:
        self.root = root
        self.today = today
        self.drafts = drafts
        self.model = model
        self.workers = workers
        self.kommuner: dict[Path, _KommunState] = {}

    def forget(self, folders: set[str]) -> None:
        """Folders of `kommuner/`, by name, whose files have changed."""
        for folder in [f for f in self.kommuner if f.name in folders]:
            del self.kommuner[folder]

    def load(self, once: bool = False, meanwhile: Callable[[], None] | None = None) -> tuple[Site | None, Diagnostics]:
        """The site, or None when any error was found; `meanwhile` is done while the kommun folders are read (see
        `Workers.map`). The garbage collector is paused meanwhile: parsing creates many objects and frees none, so
        its passes would only cost time. A one-off build (`once`) also freezes what was read, which lives as long as
        the process."""
        enabled = gc.isenabled()
        gc.disable()
        try:
            return self._load(meanwhile)
        finally:
            if once:
                gc.freeze()
            if enabled:
                gc.enable()

    def _load(self, meanwhile: Callable[[], None] | None) -> tuple[Site | None, Diagnostics]:
        diagnostics = Diagnostics(self.root)
        registry = load_registry()
        site, pages = load_shared(self.root, diagnostics)
        folders = kommun_folders(self.root, diagnostics)
        unread = [folder for folder in folders if folder not in self.kommuner]
        read_one = functools.partial(self._kommun, registry=registry)
        fresh = self.workers.map(read_one, unread, READ_IN_PARALLEL_FROM, meanwhile=meanwhile)
        read = dict(zip(unread, fresh, strict=True))
        self.kommuner = {folder: self.kommuner.get(folder) or read[folder] for folder in folders}
        states = list(self.kommuner.values())
        for state in states:
            diagnostics.items.extend(state.diagnostics)
        raw = RawContent(self.root, site, pages, [state.raw for state in states])
        content = validate_shared(raw, [state.valid for state in states if state.valid], diagnostics)
        if content is None or not self.model:
            return None, diagnostics
        models = [state.model for state in states if state.model]
        return build_site(content, models, registry, self.today), diagnostics

    def _kommun(self, folder: Path, registry: Registry) -> _KommunState:
        diagnostics = Diagnostics(self.root)
        raw = load_kommun(folder, self.root, diagnostics)
        valid = validate_kommun(raw, registry, diagnostics, self.today)
        modelled = valid if self.model and not diagnostics.errors else None
        model = build_kommun(modelled, self.today, self.drafts) if modelled else None
        raw = RawKommun(raw.slug, raw.folder, raw.source, [])
        if valid:
            valid = ValidKommun(valid.slug, valid.folder, valid.entry, valid.registered, [])
        return _KommunState(diagnostics.items, raw, valid, model)
