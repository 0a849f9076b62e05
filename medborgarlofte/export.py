"""Stage 5, export: the machine-readable files beside the pages (for now the sitemap and robots.txt)."""

from __future__ import annotations

from xml.etree import ElementTree

from .model import Site
from .urls import SiteUrls

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def page_paths(site: Site) -> list[str]:
    """Every public page's address within the site, in a stable order."""
    paths = ["", *(page.path for page in site.pages)]
    for kommun in site.kommuner:
        paths.append(kommun.path)
        paths.extend(promise.path for promise in kommun.promises)
    return paths


def sitemap(site: Site, urls: SiteUrls) -> str:
    root = ElementTree.Element("urlset", xmlns=SITEMAP_NS)
    for path in page_paths(site):
        ElementTree.SubElement(ElementTree.SubElement(root, "url"), "loc").text = urls.absolute(path)
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def robots(urls: SiteUrls) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {urls.absolute('sitemap.xml')}\n"


def export_site(site: Site, urls: SiteUrls) -> dict[str, str]:
    return {"sitemap.xml": sitemap(site, urls), "robots.txt": robots(urls)}
