"""Stage 4, render: Jinja2 templates (autoescape on) turn the model into HTML pages.

All links are made by `url()` from the base path, so the same build works at a domain's root and under a sub-path
such as `/medborgarloften/`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache, Environment, FileSystemLoader, StrictUndefined, TemplateError, pass_context
from jinja2.bccache import Bucket
from jinja2.runtime import Context
from markupsafe import Markup, escape

from medborgarlofte.build.parallel import Workers
from medborgarlofte.build.write import write_file
from medborgarlofte.content.markdown import MarkdownRenderer
from medborgarlofte.content.model import KOMMUN_PAGE_FILTER, NOT_STATED, Site
from medborgarlofte.content.status import Status
from medborgarlofte.outputs.addresses import DATA_DIR, FINDER_FILE, LISTED_PAGES, OVERVIEW_PATH, TOP_OUTPUTS
from medborgarlofte.outputs.data import CSV_COLUMNS, SCHEMA_VERSION
from medborgarlofte.outputs.downloads import Download, Downloads
from medborgarlofte.outputs.national import REFERENCE_SOURCES, National
from medborgarlofte.outputs.sweden_map import legend_swatch
from medborgarlofte.outputs.urls import SiteUrls
from medborgarlofte.swedish import format_date, format_number


class CompiledTemplates(BytecodeCache):
    """The theme's templates compiled, in memory, through Jinja2's bytecode cache: a build compiles them while the
    kommun folders are read (`compile_ahead`), before the site's address and so its Renderer are known, and that
    Renderer then loads them from here. Jinja2 compares each with its template's source, so an edited template is
    compiled again."""

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self._compiled:
            bucket.bytecode_from_string(self._compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


def compile_ahead(templates: Path, compiled: CompiledTemplates) -> None:
    """Every template in `templates` compiled into `compiled`, by a Renderer for no address in particular: what is
    compiled does not depend on the address. A template with an error is left to the build's own Renderer, which
    raises it where it always has, after the content has been checked."""
    try:
        Renderer(templates, SiteUrls("/"), compiled).compile_templates()
    except TemplateError:
        return


class Renderer:
    def __init__(self, templates: Path, urls: SiteUrls, compiled: CompiledTemplates | None = None) -> None:
        self.urls = urls
        self.markdown = MarkdownRenderer(urls.base_path)
        self.env = Environment(
            loader=FileSystemLoader(templates),
            bytecode_cache=compiled,
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            # A theme that changes gets a new Renderer (`serve` builds everything again), so the templates need not
            # be checked for changes at every page.
            auto_reload=False,
        )
        self.env.filters["markdown"] = self._markdown
        self.env.filters["datum"] = format_date
        self.env.filters["tal"] = format_number
        self.env.globals.update(
            url=urls.url,
            absolute=urls.absolute,
            href=self._href,
            not_stated=NOT_STATED,
            overview_path=OVERVIEW_PATH,
            data_path=DATA_DIR,
            finder_file=FINDER_FILE,
            listed_pages=LISTED_PAGES,
            legend_swatch=legend_swatch,
        )
        # A filter, not a global function: a promise page shows about 80, and a call from a template costs more.
        self.env.filters["status_badge"] = self._status_badge
        self._badges: dict[Status, Markup] = {}

    def compile_templates(self) -> None:
        """Every template compiled once, here, before the workers fork: each worker would otherwise compile the ones
        it renders, in each round of work."""
        for name in self.env.list_templates(extensions=["html", "xml"]):
            self.env.get_template(name)

    @pass_context
    def _markdown(self, context: Context, text: str, shift: int = 0) -> Markup:
        """A text's Markdown as HTML, its headings `shift` levels down. It takes the context only so that Jinja2
        never runs it while compiling, on a constant text: its links depend on the site's address, and templates
        are compiled before that is known (`compile_ahead`)."""
        return Markup(self.markdown.render(text, shift))

    def _status_badge(self, status: Status) -> Markup:
        """The theme's badge for a status (`status_badge_markup`), made once: a status looks the same wherever it is
        shown, and a promise page shows dozens."""
        if status not in self._badges:
            self._badges[status] = self.env.get_template("_macros.html").module.status_badge_markup(status)
        return self._badges[status]

    def _href(self, path: str = "") -> Markup:
        """A link's attributes for a page of the site: its address, and the full address that a printed page shows
        after the link (the stylesheet's print rules), since a relative one means nothing on paper. Escaped and joined
        directly: `Markup.format` runs Python's string formatter for every link of every page."""
        return Markup(f'href="{escape(self.urls.url(path))}" data-full-url="{escape(self.urls.absolute(path))}"')

    def render(self, template: str, path: str, **context: Any) -> str:
        """Render one page; `path` is its address within the site, used for the canonical link."""
        return self.env.get_template(template).render(page_path=path, **context)


@dataclass(frozen=True)
class PageSpec:
    """One page to render: its output file, its template and what the template gets."""

    output: str
    template: str
    context: dict[str, Any]

    @property
    def address(self) -> str:
        """The page's address within the site, for its canonical link."""
        return self.output.removesuffix("index.html")


def site_pages(site: Site, data_files: list[Download], downloads: Downloads, national: National) -> list[PageSpec]:
    shared = {"site": site, "national": national, "downloads": downloads}
    # What the pages at the site's top get besides `shared`, by template.
    own = {
        "sok.html": {"kommun_filter": KOMMUN_PAGE_FILTER},
        "data.html": {
            "files": data_files,
            "columns": CSV_COLUMNS,
            "schema_version": SCHEMA_VERSION,
            "sources": REFERENCE_SOURCES,
        },
        "sverige.html": {"sources": REFERENCE_SOURCES},
    }
    pages = [
        PageSpec(output.path, output.template, shared | own.get(output.template, {}))
        for output in TOP_OUTPUTS
        if output.template
    ]
    pages.extend(PageSpec(page.path + "index.html", "page.html", shared | {"page": page}) for page in site.pages)
    for kommun in site.kommuner:
        pages.append(PageSpec(kommun.path + "index.html", "kommun.html", shared | {"kommun": kommun}))
        pages.extend(
            PageSpec(promise.path + "index.html", "lofte.html", shared | {"kommun": kommun, "promise": promise})
            for promise in kommun.promises
        )
    pages.extend(
        PageSpec(answer.path + "index.html", "kommun_utan_lofte.html", shared | {"answer": answer})
        for answer in national.without_content
    )
    return pages


def everything(output: str) -> bool:
    return True


# An output of the site (a page, a feed) as the work of making its text; `produce` runs many at once.
Job = Callable[[], str]


def page_jobs(
    site: Site,
    renderer: Renderer,
    data_files: list[Download],
    downloads: Downloads,
    national: National,
    wanted: Callable[[str], bool] = everything,
) -> dict[str, Job]:
    """The HTML pages of the site by output file; `wanted` picks the ones a change touched (in `serve`)."""
    return _jobs(site_pages(site, data_files, downloads, national), renderer, wanted)


def search_jobs(site: Site, renderer: Renderer, wanted: Callable[[str], bool] = everything) -> dict[str, Job]:
    """The search documents (search.html): what Pagefind indexes of each kommun page and promise page, under the
    page's own file name, so that a result links to the page."""
    specs = []
    for kommun in site.kommuner:
        context = {"entry": kommun.search, "kommun": kommun, "promise": None}
        specs.append(PageSpec(kommun.path + "index.html", "search.html", context))
        specs.extend(
            PageSpec(p.path + "index.html", "search.html", context | {"entry": p.search, "promise": p})
            for p in kommun.promises
        )
    return _jobs(specs, renderer, wanted)


def _jobs(specs: list[PageSpec], renderer: Renderer, wanted: Callable[[str], bool]) -> dict[str, Job]:
    return {
        spec.output: functools.partial(renderer.render, spec.template, spec.address, **spec.context)
        for spec in specs
        if wanted(spec.output)
    }


def produce(jobs: dict[str, Job], workers: Workers, meanwhile: Callable[[], None] | None = None) -> dict[str, bytes]:
    """Every job's text as UTF-8, by output file. Rendering is the largest part of a big build, so with many jobs it
    runs on the `workers`, which share the model without copying it; `meanwhile` as in `Workers.map`."""
    return dict(workers.map(_make, list(jobs.items()), PARALLEL_FROM, together=_folder, meanwhile=meanwhile))


def produce_into(
    folder: Path, jobs: dict[str, Job], workers: Workers, meanwhile: Callable[[], None] | None = None
) -> None:
    """`produce`, each file written into `folder` by the worker that made it: at national scale the pages and feeds
    are 60 MB, which would otherwise be copied from the workers to this process and held here until written."""
    make = functools.partial(_make_into, folder)
    workers.map(make, list(jobs.items()), PARALLEL_FROM, together=_folder, meanwhile=meanwhile)


PARALLEL_FROM = 300


def _folder(job: tuple[str, Job]) -> str:
    """A kommun's folder, for its pages, search documents and feed: one worker makes all of them."""
    return job[0].split("/", 1)[0]


def _make(job: tuple[str, Job]) -> tuple[str, bytes]:
    output, make = job
    return output, make().encode("utf-8")


def _make_into(folder: Path, job: tuple[str, Job]) -> None:
    write_file(folder, *_make(job))
