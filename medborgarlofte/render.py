"""Stage 4, render: Jinja2 templates (autoescape on) turn the model into HTML pages.

All links are made by `url()` from the base path, so the same build works at a domain's root and under a sub-path
such as `/medborgarloften/`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .data import CSV_COLUMNS
from .downloads import Download
from .markdown import MarkdownRenderer
from .model import Site
from .swedish import format_date, format_number
from .urls import SiteUrls


class Renderer:
    def __init__(self, templates: Path, urls: SiteUrls) -> None:
        self.urls = urls
        self.markdown = MarkdownRenderer(urls.base_path)
        self.env = Environment(
            loader=FileSystemLoader(templates),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters["markdown"] = lambda text, shift=0: Markup(self.markdown.render(text, shift))
        self.env.filters["datum"] = format_date
        self.env.filters["tal"] = format_number
        self.env.globals.update(url=urls.url, absolute=urls.absolute)

    def render(self, template: str, path: str, **context: Any) -> str:
        """Render one page; `path` is its address within the site, used for the canonical link."""
        return self.env.get_template(template).render(page_path=path, **context)


def render_site(site: Site, renderer: Renderer, data_files: list[Download]) -> dict[str, str]:
    """Every HTML page of the site, by output file path."""
    pages = {
        "data/index.html": renderer.render("data.html", "data/", site=site, files=data_files, columns=CSV_COLUMNS),
        "index.html": renderer.render("index.html", "", site=site),
        "404.html": renderer.render("404.html", "404.html", site=site),
        "sok/index.html": renderer.render("sok.html", "sok/", site=site),
    }
    for page in site.pages:
        pages[page.path + "index.html"] = renderer.render("page.html", page.path, site=site, page=page)
    for kommun in site.kommuner:
        pages[kommun.path + "index.html"] = renderer.render("kommun.html", kommun.path, site=site, kommun=kommun)
        for promise in kommun.promises:
            pages[promise.path + "index.html"] = renderer.render(
                "lofte.html", promise.path, site=site, kommun=kommun, promise=promise
            )
    return pages
