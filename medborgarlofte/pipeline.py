"""The pipeline of DESIGN.md: load → validate → model → render → export → write, with the search index made in the
staging folder before the swap.

Nothing is written until everything has been read and validated, so content errors never touch the published site.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from .diagnostics import Diagnostics
from .export import export_site
from .feeds import export_feeds
from .index import IndexReport, index_site
from .load import load_content
from .model import Site, build_site
from .registry import load_registry
from .render import Renderer, SiteUrls, render_site
from .validate import validate
from .write import write_site


@dataclass(frozen=True)
class Options:
    root: Path
    theme: Path
    out: Path
    base_url: str | None
    today: date


def build_date() -> date:
    """The date the site says it was built: `SOURCE_DATE_EPOCH` when set, so that rebuilds are byte-identical."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    return date.today()


def load_site(root: Path, today: date) -> tuple[Site | None, Diagnostics]:
    """Stages load, validate and model; the site is None when any error was found."""
    diagnostics = Diagnostics(root)
    registry = load_registry()
    content = validate(load_content(root, diagnostics), registry, diagnostics, today)
    return (build_site(content, registry, today) if content else None), diagnostics


@dataclass
class BuildResult:
    site: Site | None
    diagnostics: Diagnostics
    search: IndexReport | None = None


def build(options: Options) -> BuildResult:
    """The whole pipeline; raises SearchIndexError or OutputError, in which case nothing was published."""
    site, diagnostics = load_site(options.root, options.today)
    result = BuildResult(site, diagnostics)
    if site is None:
        return result
    urls = SiteUrls(options.base_url or site.config.base_url)
    renderer = Renderer(options.theme / "templates", urls)
    files = render_site(site, renderer) | export_site(site, urls) | export_feeds(site, urls, renderer)

    def index(staging: Path) -> None:
        result.search = index_site(staging)

    write_site(
        {path: text.encode("utf-8") for path, text in files.items()}, options.theme / "static", options.out, index
    )
    return result
