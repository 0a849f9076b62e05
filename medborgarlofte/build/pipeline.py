"""The pipeline of DESIGN.md: load → validate → model → render → export → write, with the search index made in the
staging folder before the swap.

Nothing is written until everything has been read and validated, so content errors never touch the published site.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from medborgarlofte.build.content import ContentMemory, reproducible
from medborgarlofte.build.fingerprint import Summary, inputs_digest, record_path, remember, unchanged
from medborgarlofte.build.parallel import Workers
from medborgarlofte.build.write import (
    copy_files,
    discard_leftovers,
    publish,
    replace_folder,
    set_aside,
    staging_folder,
    write_changed,
    write_files,
)
from medborgarlofte.content.diagnostics import Diagnostics
from medborgarlofte.content.model import Site
from medborgarlofte.content.registry import load_registry
from medborgarlofte.outputs.addresses import BUNDLE_DIR
from medborgarlofte.outputs.data import DataExport, data_files
from medborgarlofte.outputs.downloads import Downloads
from medborgarlofte.outputs.export import export_site
from medborgarlofte.outputs.feeds import feed_jobs
from medborgarlofte.outputs.national import answer_slugs, national_view
from medborgarlofte.outputs.pdf import PdfReport, make_pdfs, pdf_jobs
from medborgarlofte.outputs.render import (
    CompiledTemplates,
    Job,
    Renderer,
    compile_ahead,
    everything,
    page_jobs,
    produce,
    produce_into,
    search_jobs,
)
from medborgarlofte.outputs.urls import SiteUrls
from medborgarlofte.search.index import Indexing, IndexReport


@dataclass(frozen=True)
class Options:
    root: Path
    theme: Path
    out: Path
    base_url: str | None
    today: date
    pdf: bool = True
    cache: Path = Path(".cache")
    drafts: bool = False  # draft promises among the pages, marked as drafts: `serve`'s preview, never a build


class Memory:
    """What `serve` keeps from one rebuild to the next: each kommun's content and model (ContentMemory), the
    compiled templates and the encoded data of the kommuner a change did not touch. A one-off build has its own."""

    def __init__(self, options: Options, once: bool = False) -> None:
        self.workers = Workers()
        self.content = ContentMemory(options.root, options.today, self.workers, options.drafts)
        self.once = once
        self.templates = options.theme / "templates"
        self.compiled = CompiledTemplates()
        self._tools: dict[str, tuple[SiteUrls, Renderer, DataExport]] = {}
        # Where each of the 290 kommuner was answered in the last outputs, by kommunkod (see `update`).
        self.addresses: dict[str, str] = {}
        # Where `serve` keeps the search documents, to index them again after a change; a one-off build makes them
        # in its staging folder and removes them before the site is published.
        self.documents: Path | None = None

    def load(self) -> tuple[Site | None, Diagnostics]:
        """The site, or None after an error. The templates are compiled while the kommun folders are read in the
        workers, when the build would otherwise wait with a core to spare; they are compiled ahead only for workers
        to inherit (see `tools`), so only when the workers fork."""
        ahead = functools.partial(compile_ahead, self.templates, self.compiled) if self.workers.forking() else None
        return self.content.load(self.once, ahead)

    def tools(self, options: Options, site: Site) -> tuple[SiteUrls, Renderer, DataExport]:
        """The URL maker, renderer and data export for the site's address (which site.yaml may change)."""
        base_url = options.base_url or site.config.base_url
        if base_url not in self._tools:
            urls = SiteUrls(base_url)
            renderer = Renderer(self.templates, urls, self.compiled)
            if self.workers.forking():
                renderer.compile_templates()
            self._tools = {base_url: (urls, renderer, DataExport(urls, self.workers))}
        return self._tools[base_url]


# The folder of the search documents in the staging folder of a one-off build; never published.
SEARCH_DOCUMENTS = ".sokdokument"


@dataclass
class BuildResult:
    site: Site | None
    diagnostics: Diagnostics
    search: IndexReport | None = None
    pdfs: PdfReport | None = None
    unchanged: Summary | None = None


def build(options: Options, reuse: bool = False, memory: Memory | None = None) -> BuildResult:
    """The whole pipeline, one stage after the other; raises SearchIndexError, PdfError or OutputError, in which
    case nothing was published.

    With `reuse`, an output folder already built from exactly these inputs is left as it is (see fingerprint.py).
    `serve` passes the `memory` it keeps for later updates."""
    record = record_path(options.cache, options.out)
    inputs = inputs_digest(options.root, options.theme, _settings(options)) if reuse else ""
    if reuse and (summary := unchanged(record, options.out, inputs)):
        return _unchanged(options, summary)
    memory = memory or Memory(options, once=True)
    site, diagnostics = memory.load()  # load, validate, model: the site, or None after an error
    if site is None:
        return BuildResult(site, diagnostics)
    with staging_folder(options.out) as staging:  # write, into a folder of its own
        documents = memory.documents or staging / SEARCH_DOCUMENTS
        replace_folder(documents, {})
        search_documents(site, options, everything, memory, into=documents)
        # Index: Pagefind reads the search documents while the rest of the site is generated and written, and
        # its index is finished while the workers render the pages.
        with Indexing(documents, staging / BUNDLE_DIR, in_order=reproducible()) as indexing:
            copy_files(staging, options.theme / "static", _attachments(site))
            outputs = generate(site, options, everything, memory, into=staging, meanwhile=indexing.finish)
        if not memory.documents:
            set_aside(documents, options.out)
        publish(staging, options.out)  # swap
    result = BuildResult(site, diagnostics, indexing.report, outputs.pdfs)
    if reuse and result.search:
        summary = Summary(len(site.kommuner), result.search.pages, result.search.bytes, diagnostics.sorted())
        remember(record, options.out, inputs, summary)
    return result


def _unchanged(options: Options, summary: Summary) -> BuildResult:
    discard_leftovers(options.out)
    diagnostics = Diagnostics(options.root)
    diagnostics.items.extend(summary.diagnostics)
    return BuildResult(None, diagnostics, unchanged=summary)


def _settings(options: Options) -> dict[str, str]:
    """The options that change what a build writes (the output folder is checked on its own)."""
    return {
        "base_url": options.base_url or "",
        "today": options.today.isoformat(),
        "pdf": str(options.pdf),
        "drafts": str(options.drafts),
        "reproducible": str(reproducible()),
        "pagefind_binary": os.environ.get("PAGEFIND_BINARY_PATH", ""),
    }


def update(options: Options, wanted: Callable[[str], bool], memory: Memory) -> tuple[BuildResult, list[str] | None]:
    """For `serve`: render only the `wanted` outputs and write those whose bytes changed into the live output
    folder, and their search documents beside it; returns the files written. `memory` must have forgotten the
    kommuner whose files changed. The search index is left to `reindex`. Returns None for the files when the change
    moved a kommun's answer (a kommunkod changed in a kommun.yaml): pages outside the change then appear and go,
    which only a full build does."""
    site, diagnostics = memory.load()
    if site is None:
        return BuildResult(site, diagnostics), []
    if answer_slugs(site, load_registry()) != memory.addresses:
        return BuildResult(site, diagnostics), None
    files = generate(site, options, wanted, memory).files
    copies = {path: source.read_bytes() for path, source in _attachments(site).items() if wanted(path)}
    if memory.documents:
        write_changed(search_documents(site, options, wanted, memory), memory.documents)
    return BuildResult(site, diagnostics), write_changed(files | copies, options.out)


@dataclass(frozen=True)
class Outputs:
    """The generated files of the site (only `wanted` pages, feeds and promise files, and the data set), by path;
    none when `generate` wrote them itself."""

    files: dict[str, bytes]
    pdfs: PdfReport | None


def search_documents(
    site: Site, options: Options, wanted: Callable[[str], bool], memory: Memory, into: Path | None = None
) -> dict[str, bytes]:
    """The search document of every `wanted` kommun page and promise page: made before the rest of the site, since
    they are all that Pagefind reads, and it then indexes them while the pages are made. With `into`, they are
    written there by the workers that make them, and none is returned."""
    _, renderer, _ = memory.tools(options, site)
    return _made(search_jobs(site, renderer, wanted), memory.workers, into)


def generate(
    site: Site,
    options: Options,
    wanted: Callable[[str], bool],
    memory: Memory,
    into: Path | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> Outputs:
    """Every `wanted` output of the finished model but the search documents: the promises' data files and PDFs
    first, since the pages link to them with their sizes. With `into`, every file is written there and none is
    returned: the pages and feeds by the workers that make them, the others before the pages are made, while Pagefind
    indexes on the other core (written after the pages, they kept the build waiting on one core). `meanwhile` is
    done while the workers render the pages and feeds (see `Workers.map`)."""
    urls, renderer, data = memory.tools(options, site)
    downloads = data.files(site, wanted)
    report = None
    if options.pdf:
        pdfs, report = make_pdfs(pdf_jobs(site, renderer), _pdf_stylesheet(options), options.cache / "pdf")
        downloads |= pdfs
    linked = Downloads(data.sizes() | {path: len(pdf) for path, pdf in downloads.items() if path.endswith(".pdf")})
    national = national_view(site, load_registry(), urls.url)
    memory.addresses = {answer.code: answer.slug for answer in national.kommuner}
    # Before the pages: the finder's index reads the postal codes, which the workers then share instead of each
    # reading them for the pages that name a kommun's postorter.
    files = downloads | export_site(site, national, urls)
    if into is not None:
        write_files(into, files)
        files = {}
    pages = page_jobs(site, renderer, data_files(downloads), linked, national, wanted)
    made = _made(pages | feed_jobs(site, renderer, wanted), memory.workers, into, meanwhile)
    return Outputs(files | made, report)


def _made(
    jobs: dict[str, Job], workers: Workers, into: Path | None, meanwhile: Callable[[], None] | None = None
) -> dict[str, bytes]:
    """The jobs' files by path, or, with `into`, none: each written there by the worker that made it."""
    if into is None:
        return produce(jobs, workers, meanwhile)
    produce_into(into, jobs, workers, meanwhile)
    return {}


def _attachments(site: Site) -> dict[str, Path]:
    return {a.path: a.source for k in site.kommuner for p in k.promises for a in p.attachments if a.source}


def _pdf_stylesheet(options: Options) -> str:
    return (options.theme / "print" / "pdf.css").read_text(encoding="utf-8")
