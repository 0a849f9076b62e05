"""Stage 5, export: the machine-readable files beside the pages: the sitemap, robots.txt and the finder's index."""

from __future__ import annotations

from xml.etree import ElementTree

from medborgarlofte.content.model import Site
from medborgarlofte.outputs.addresses import FINDER_FILE, LISTED_PAGES
from medborgarlofte.outputs.national import National
from medborgarlofte.outputs.urls import SiteUrls

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def page_paths(site: Site, national: National) -> list[str]:
    """Every public page's address within the site, in a stable order: the site's own pages, each kommun folder's
    pages, then the pages of the kommuner that have published nothing here."""
    paths = [*(output.address for output in LISTED_PAGES), *(page.path for page in site.pages)]
    for kommun in site.kommuner:
        paths.append(kommun.path)
        paths.extend(promise.path for promise in kommun.promises)
    paths.extend(answer.path for answer in national.without_content)
    return paths


def sitemap(site: Site, national: National, urls: SiteUrls) -> str:
    root = ElementTree.Element("urlset", xmlns=SITEMAP_NS)
    for path in page_paths(site, national):
        ElementTree.SubElement(ElementTree.SubElement(root, "url"), "loc").text = urls.absolute(path)
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def robots(urls: SiteUrls) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {urls.absolute('sitemap.xml')}\n"


def export_site(site: Site, national: National, urls: SiteUrls) -> dict[str, bytes]:
    return {
        "sitemap.xml": sitemap(site, national, urls).encode("utf-8"),
        "robots.txt": robots(urls).encode("utf-8"),
        FINDER_FILE: national.finder(),
    }
