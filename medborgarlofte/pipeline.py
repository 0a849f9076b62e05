"""The pipeline of DESIGN.md: load → validate → model → render → export → write, with the search index made in the
staging folder before the swap.

Nothing is written until everything has been read and validated, so content errors never touch the published site.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from .data import data_files, export_data
from .diagnostics import Diagnostics
from .downloads import attach_downloads
from .export import export_site
from .feeds import export_feeds
from .fingerprint import Summary, inputs_digest, record_path, remember, unchanged
from .index import IndexReport, index_site
from .load import load_content
from .model import Site, build_site
from .pdf import PdfReport, make_pdfs, pdf_jobs
from .registry import load_registry
from .render import Renderer, everything, render_site
from .urls import SiteUrls
from .validate import validate
from .write import discard_leftovers, write_changed, write_site


@dataclass(frozen=True)
class Options:
    root: Path
    theme: Path
    out: Path
    base_url: str | None
    today: date
    pdf: bool = True
    cache: Path = Path(".cache")


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
    pdfs: PdfReport | None = None
    unchanged: Summary | None = None


def build(options: Options, reuse: bool = False) -> BuildResult:
    """The whole pipeline; raises SearchIndexError, PdfError or OutputError, in which case nothing was published.

    With `reuse`, an output folder already built from exactly these inputs is left as it is (see fingerprint.py)."""
    record = record_path(options.cache, options.out)
    inputs = inputs_digest(options.root, options.theme, _settings(options)) if reuse else ""
    if reuse and (summary := unchanged(record, options.out, inputs)):
        discard_leftovers(options.out)
        diagnostics = Diagnostics(options.root)
        diagnostics.items.extend(summary.diagnostics)
        return BuildResult(None, diagnostics, unchanged=summary)
    site, diagnostics = load_site(options.root, options.today)
    result = BuildResult(site, diagnostics)
    if site is None:
        return result
    files, result.pdfs = _outputs(site, options, everything)

    def index(staging: Path) -> None:
        result.search = index_site(staging)

    write_site(files, options.theme / "static", options.out, _attachments(site), index)
    if reuse and result.search:
        summary = Summary(len(site.kommuner), result.search.pages, result.search.bytes, diagnostics.sorted())
        remember(record, options.out, inputs, summary)
    return result


def _settings(options: Options) -> dict[str, str]:
    """The options that change what a build writes (the output folder is checked on its own)."""
    return {"base_url": options.base_url or "", "today": options.today.isoformat(), "pdf": str(options.pdf)}


def update(options: Options, wanted: Callable[[str], bool]) -> tuple[BuildResult, list[str]]:
    """For `serve`: render only the `wanted` outputs and write those whose bytes changed into the live output
    folder; returns the files written. The search index is left to `reindex`."""
    site, diagnostics = load_site(options.root, options.today)
    if site is None:
        return BuildResult(site, diagnostics), []
    files, _ = _outputs(site, options, wanted)
    copies = {path: source.read_bytes() for path, source in _attachments(site).items()}
    return BuildResult(site, diagnostics), write_changed(files | copies, options.out)


def _outputs(site: Site, options: Options, wanted: Callable[[str], bool]) -> tuple[dict[str, bytes], PdfReport | None]:
    """Every generated file of the site by path (only `wanted` pages and feeds), and what the PDF step did."""
    urls = SiteUrls(options.base_url or site.config.base_url)
    renderer = Renderer(options.theme / "templates", urls)
    downloads = export_data(site, urls)
    report = None
    if options.pdf:
        pdfs, report = make_pdfs(pdf_jobs(site, renderer), _pdf_stylesheet(options), options.cache / "pdf")
        downloads |= pdfs
    attach_downloads(site, {path: len(data) for path, data in downloads.items()})
    pages = (
        render_site(site, renderer, data_files(downloads), wanted)
        | export_site(site, urls)
        | export_feeds(site, urls, renderer, wanted)
    )
    return downloads | {path: text.encode("utf-8") for path, text in pages.items()}, report


def _attachments(site: Site) -> dict[str, Path]:
    return {a.path: a.source for k in site.kommuner for p in k.promises for a in p.attachments if a.source}


def _pdf_stylesheet(options: Options) -> str:
    return (options.theme / "print" / "pdf.css").read_text(encoding="utf-8")
