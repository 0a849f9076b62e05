"""Stage 5, export: the machine-readable files beside the pages: the sitemap, robots.txt and the finder's data."""

from __future__ import annotations

from xml.etree import ElementTree

from .model import Site
from .places import finder_payload
from .registry import load_registry
from .urls import SiteUrls

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# Every kommun, ort and postal code to its kommun's address (places.py), loaded by the pages that find a kommun.
FINDER_FILE = "hitta-kommun.json"


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


def finder_data(site: Site, urls: SiteUrls) -> str:
    """The finder's data with each of the 290 kommuner's address: its page here, or where its folder would be."""
    registry = load_registry()
    pages = {kommun.code: kommun.path for kommun in site.kommuner}
    paths = {code: pages.get(code) or f"{slug}/" for code, slug in registry.slugs.items()}
    return finder_payload({code: urls.url(path) for code, path in paths.items()}).decode("utf-8")


def export_site(site: Site, urls: SiteUrls) -> dict[str, str]:
    return {"sitemap.xml": sitemap(site, urls), "robots.txt": robots(urls), FINDER_FILE: finder_data(site, urls)}
