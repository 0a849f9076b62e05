"""Stage 4, render: Jinja2 templates (autoescape on) turn the model into HTML pages.

All links are made by `url()` from the base path, so the same build works at a domain's root and under a sub-path
such as `/medborgarloften/`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .markdown import MarkdownRenderer
from .model import Site
from .swedish import format_date, format_number


@dataclass(frozen=True)
class SiteUrls:
    """The address the site is published at: `https://example.org/medborgarloften/` → base path `/medborgarloften/`."""

    base_url: str

    @property
    def base_path(self) -> str:
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    def url(self, path: str = "") -> str:
        return self.base_path + path.lstrip("/")

    def absolute(self, path: str = "") -> str:
        return self.base_url.rstrip("/") + "/" + path.lstrip("/") if path else self.base_url.rstrip("/") + "/"


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


def render_site(site: Site, renderer: Renderer) -> dict[str, str]:
    """Every HTML page of the site, by output file path."""
    pages = {
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
