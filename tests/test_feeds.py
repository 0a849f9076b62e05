"""Atom feeds: `/feed.xml` for the whole site and `/<kommun>/feed.xml` for each kommun.

The example site (examples/demo: two made-up kommuner with follow-ups) and the shipped content are built in-process and
every feed is read with feedparser, the way a feed reader would, and with ElementTree for the Atom rules feedparser
forgives. Entry links are followed into the built site: the page must exist and a fragment must be an id on it.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import feedparser
import pytest
import yaml
from conftest import REPO

from medborgarlofte.build.content import load_site
from medborgarlofte.outputs import feeds

DEMO = REPO / "examples" / "demo"
# 2026-07-01 00:00 UTC: after the example site's newest follow-up (2026-06-15), so the build warns about nothing.
BUILD_EPOCH = "1782864000"
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ATOM_TYPE = "application/atom+xml"
RFC_3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
SUB_PATH_BASE = "https://example.org/medborgarloften/"

# The example site's entries per kommun feed, newest first, as (link path, updated date). Taken from the content:
#   exempelby/2025-2026: undertecknat 2025-02-10; follow-ups 2025-06.md (2025-06-16), 2025-12.md (2025-12-15) and
#     2026-06.md (2026-06-15);
#   pahittebo/2023: undertecknat 2023-01-20; follow-up helar.md (2024-02-01);
#   pahittebo/2024-2025: undertecknat 2024-03-01; no follow-ups.
DEMO_ENTRIES = {
    "exempelby": [
        ("exempelby/2025-2026/#uppfoljning-2026-06", "2026-06-15"),
        ("exempelby/2025-2026/#uppfoljning-2025-12", "2025-12-15"),
        ("exempelby/2025-2026/#uppfoljning-2025-06", "2025-06-16"),
        ("exempelby/2025-2026/", "2025-02-10"),
    ],
    "pahittebo": [
        ("pahittebo/2024-2025/", "2024-03-01"),
        ("pahittebo/2023/#uppfoljning-helar", "2024-02-01"),
        ("pahittebo/2023/", "2023-01-20"),
    ],
}
# The shipped content has no follow-ups; of its five promises only these give a date (Östersund and Vaggeryd give
# neither a period nor a signing or publishing date). Trollhättan 2025–2026 and 2021 are dated by their period's start.
SHIPPED_ENTRIES = [
    ("trollhattan/2025-2026/", "2025-01-01"),
    ("stromstad/2023-2024/", "2023-03-21"),
    ("trollhattan/2021/", "2021-01-01"),
]


# --- Building -----------------------------------------------------------------------------------------------------


@dataclass
class Built:
    root: Path  # the content that was built
    out: Path
    base_url: str

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path

    @property
    def kommuner(self) -> list[str]:
        return sorted(p.name for p in (self.root / "kommuner").iterdir() if p.is_dir())

    @property
    def fictional(self) -> set[str]:
        return {slug for slug in self.kommuner if _kommun_yaml(self.root, slug).get("fiktiv") is True}

    @property
    def feed_paths(self) -> list[str]:
        return ["feed.xml", *(f"{slug}/feed.xml" for slug in self.kommuner)]

    def parsed(self, path: str) -> feedparser.FeedParserDict:
        return feedparser.parse((self.out / path).read_bytes())

    def xml(self, path: str) -> ElementTree.Element:
        return ElementTree.parse(self.out / path).getroot()

    def local(self, url: str) -> tuple[str, str]:
        """An absolute URL of the site as (path within the site, fragment)."""
        assert url.startswith(self.base_url), f"{url} is not under {self.base_url}"
        parts = urlsplit(url[len(self.base_url) :])
        return parts.path, parts.fragment

    def page(self, path: str) -> Path:
        file = self.out / path / "index.html" if path == "" or path.endswith("/") else self.out / path
        assert file.is_file(), f"no page for {path!r} in the built site"
        return file


def _kommun_yaml(root: Path, slug: str) -> dict:
    return yaml.safe_load((root / "kommuner" / slug / "kommun.yaml").read_text(encoding="utf-8"))


def _site_yaml(root: Path) -> dict:
    return yaml.safe_load((root / "content" / "site.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def build(cli, monkeypatch, tmp_path):
    """Build a content tree with `build.py build` and a fixed build date."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)

    def run(root: Path, base_url: str | None = None) -> Built:
        out = tmp_path / f"site-{len(list(tmp_path.iterdir()))}"
        extra = ["--base-url", base_url] if base_url else []
        result = cli("build", "--content", root, "--out", out, *extra)
        assert result.code == 0, result.err
        return Built(root, out, base_url or _site_yaml(root)["bas-url"])

    return run


@pytest.fixture
def demo(build) -> Built:
    return build(DEMO)


@pytest.fixture
def shipped(build) -> Built:
    return build(REPO)


@pytest.fixture(params=["demo", "shipped"])
def site(request, build) -> Built:
    return build(DEMO if request.param == "demo" else REPO)


# --- Reading HTML -------------------------------------------------------------------------------------------------


class _Page(HTMLParser):
    """The feed links in <head>, every id, and the links inside <main> with their text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.head_links: list[dict[str, str]] = []
        self.ids: set[str] = set()
        self.main_links: list[tuple[str, str]] = []
        self._in_head = self._in_main = False
        self._link: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "head":
            self._in_head = True
        elif tag == "main":
            self._in_main = True
        elif tag == "link" and self._in_head:
            self.head_links.append(attributes)
        elif tag == "a" and self._in_main:
            self._link = [attributes.get("href", ""), ""]

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self._in_head = False
        elif tag == "main":
            self._in_main = False
        elif tag == "a" and self._link is not None:
            self.main_links.append((self._link[0], self._link[1].strip()))
            self._link = None

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._link[1] += data

    @property
    def feeds(self) -> list[dict[str, str]]:
        return [
            link
            for link in self.head_links
            if "alternate" in link.get("rel", "").split() and link.get("type") == ATOM_TYPE
        ]


def _read_page(file: Path) -> _Page:
    page = _Page()
    page.feed(file.read_text(encoding="utf-8"))
    page.close()
    return page


# --- Well-formed Atom ---------------------------------------------------------------------------------------------


def test_every_feed_is_well_formed_atom_in_swedish(site):
    feed_files = sorted(p.relative_to(site.out).as_posix() for p in site.out.rglob("feed.xml"))
    assert feed_files == sorted(site.feed_paths)
    for path in site.feed_paths:
        parsed = site.parsed(path)
        assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
        assert parsed.version == "atom10", path
        assert parsed.feed.language == "sv", path
        assert site.xml(path).get(XML_LANG) == "sv", path
        assert parsed.encoding.lower() == "utf-8", path


def test_feed_titles_and_self_links(site):
    site_name = _site_yaml(site.root)["namn"]
    for path in site.feed_paths:
        parsed = site.parsed(path)
        kommun = path.removesuffix("feed.xml").strip("/")
        name = _kommun_yaml(site.root, kommun)["namn"] if kommun else site_name
        assert name in parsed.feed.title, path
        self_links = [link for link in parsed.feed.links if link.rel == "self"]
        assert len(self_links) == 1, path
        assert self_links[0].href == site.base_url + path
        assert self_links[0].type == ATOM_TYPE
        alternate = [link for link in parsed.feed.links if link.rel == "alternate"]
        assert [link.href for link in alternate] == [site.base_url + path.removesuffix("feed.xml")]
        assert site.page(site.local(alternate[0].href)[0])


def test_atom_structure(site):
    """RFC 4287: the feed has id, title, updated and an author; every entry has id, title, updated and an alternate
    link; dates are RFC 3339 timestamps."""
    for path in site.feed_paths:
        root = site.xml(path)
        assert root.tag == f"{ATOM}feed", path
        for tag in ("id", "title", "updated"):
            elements = root.findall(f"{ATOM}{tag}")
            assert len(elements) == 1 and (elements[0].text or "").strip(), f"{path}: feed {tag}"
        assert urlsplit(root.findtext(f"{ATOM}id")).scheme == "https"
        assert RFC_3339.match(root.findtext(f"{ATOM}updated")), path
        authors = root.findall(f"{ATOM}author")
        assert authors, f"{path}: the feed has no author, so its entries have none"
        assert all((a.findtext(f"{ATOM}name") or "").strip() for a in authors)
        updated = []
        for entry in root.findall(f"{ATOM}entry"):
            for tag in ("id", "title", "updated"):
                elements = entry.findall(f"{ATOM}{tag}")
                assert len(elements) == 1 and (elements[0].text or "").strip(), f"{path}: entry {tag}"
            entry_id = entry.findtext(f"{ATOM}id")
            assert urlsplit(entry_id).scheme == "https" and urlsplit(entry_id).netloc, entry_id
            stamp = entry.findtext(f"{ATOM}updated")
            assert RFC_3339.match(stamp), f"{path}: {stamp}"
            updated.append(datetime.fromisoformat(stamp))
            alternates = [link for link in entry.findall(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"]
            assert len(alternates) == 1 and alternates[0].get("href"), f"{path}: {entry_id}"
            assert entry.findtext(f"{ATOM}content") or entry.findtext(f"{ATOM}summary"), entry_id
        if updated:
            assert datetime.fromisoformat(root.findtext(f"{ATOM}updated")) == max(updated), path


def test_entry_content_is_its_html_escaped_as_text(site):
    """RFC 4287 3.1.1.2: content of type html is the HTML escaped as the element's text, never child elements; a
    feed reader unescapes it once and shows it as HTML."""
    for path in site.feed_paths:
        contents = list(site.xml(path).iter(f"{ATOM}content"))
        for content in contents:
            assert content.get("type") == "html", path
            assert len(content) == 0, f"{path}: the content has child elements"
            assert "<p>" in (content.text or ""), path
        assert contents or path != "feed.xml", "the site feed has no entry"


# --- Entries ------------------------------------------------------------------------------------------------------


def _entries(built: Built, path: str) -> list[tuple[str, str]]:
    return [
        (entry.link.removeprefix(built.base_url), time.strftime("%Y-%m-%d", entry.updated_parsed))
        for entry in built.parsed(path).entries
    ]


def test_demo_has_one_entry_per_follow_up_and_per_dated_promise(demo):
    follow_ups = sorted(DEMO.glob("kommuner/*/*/uppfoljningar/*.md"))
    assert len(follow_ups) == 4  # the content the expected entries above were read from
    for kommun, expected in DEMO_ENTRIES.items():
        assert _entries(demo, f"{kommun}/feed.xml") == expected, kommun
    everything = sorted((e for entries in DEMO_ENTRIES.values() for e in entries), key=lambda e: e[1], reverse=True)
    assert len(everything) == 7
    assert _entries(demo, "feed.xml") == everything
    links = [link for link, _ in everything]
    assert sum("#" in link for link in links) == len(follow_ups)


def test_entries_are_newest_first(site):
    for path in site.feed_paths:
        days = [entry.updated_parsed[:6] for entry in site.parsed(path).entries]
        assert days == sorted(days, reverse=True), path


def test_entry_ids_are_unique_and_the_site_feed_has_every_kommun_entry(site):
    every_kommun_id = []
    for path in site.feed_paths:
        ids = [entry.id for entry in site.parsed(path).entries]
        assert len(ids) == len(set(ids)), path
        if path != "feed.xml":
            every_kommun_id += ids
    assert sorted(entry.id for entry in site.parsed("feed.xml").entries) == sorted(every_kommun_id)


def test_entry_links_point_at_existing_pages_and_anchors(site):
    pages: dict[str, _Page] = {}
    for path in site.feed_paths:
        for entry in site.parsed(path).entries:
            page_path, fragment = site.local(entry.link)
            page = pages.setdefault(page_path, _read_page(site.page(page_path)))
            if fragment:
                assert fragment in page.ids, f"{entry.link}: no element with id {fragment!r}"


def test_links_inside_entry_content_point_at_existing_pages(site):
    for path in site.feed_paths:
        for entry in site.parsed(path).entries:
            for href in re.findall(r'href="([^"]*)"', entry.content[0].value):
                if href.startswith(site.base_url):
                    page_path, fragment = site.local(href)
                    page = _read_page(site.page(page_path))
                    assert not fragment or fragment in page.ids, href


def test_fictional_kommuner_are_marked_in_every_entry_title(demo):
    assert demo.fictional == {"exempelby", "pahittebo"}
    for path in demo.feed_paths:
        parsed = demo.parsed(path)
        assert parsed.entries, path
        for entry in parsed.entries:
            assert "(påhittad kommun)" in entry.title, entry.title
        if path != "feed.xml":
            assert "(påhittad kommun)" in parsed.feed.title


def test_shipped_feed_has_only_the_dated_promises(shipped):
    assert not list(REPO.glob("kommuner/*/*/uppfoljningar/*.md"))  # no follow-ups are published yet
    assert not shipped.fictional
    assert _entries(shipped, "feed.xml") == SHIPPED_ENTRIES
    for entry in shipped.parsed("feed.xml").entries:
        assert "#" not in entry.link
        assert entry.title.startswith("Nytt medborgarlöfte: "), entry.title
        assert "påhittad" not in entry.title
    for kommun in shipped.kommuner:
        expected = [e for e in SHIPPED_ENTRIES if e[0].startswith(kommun + "/")]
        assert _entries(shipped, f"{kommun}/feed.xml") == expected, kommun


# --- The feeds in the HTML pages ----------------------------------------------------------------------------------


def test_every_page_links_the_site_feed_in_its_head(site):
    html_files = sorted(site.out.rglob("*.html"))
    assert html_files
    for file in html_files:
        hrefs = [link.get("href") for link in _read_page(file).feeds]
        assert site.base_path + "feed.xml" in hrefs, file.relative_to(site.out)


def test_kommun_and_promise_pages_link_their_kommun_feed(site):
    for kommun in site.kommuner:
        feed = f"{site.base_path}{kommun}/feed.xml"
        pages = [site.out / kommun / "index.html", *sorted(site.out.glob(f"{kommun}/*/index.html"))]
        assert len(pages) > 1, kommun
        for file in pages:
            feeds = _read_page(file).feeds
            assert feed in [link.get("href") for link in feeds], file.relative_to(site.out)
            assert all(link.get("title", "").strip() for link in feeds), file.relative_to(site.out)


def test_kommun_page_has_a_visible_feed_link(site):
    for kommun in site.kommuner:
        links = _read_page(site.out / kommun / "index.html").main_links
        feed_links = [text for href, text in links if href == f"{site.base_path}{kommun}/feed.xml"]
        assert len(feed_links) == 1, kommun
        assert "Atom" in feed_links[0] or "flöde" in feed_links[0], feed_links[0]


# --- A site published under a sub-path ----------------------------------------------------------------------------


def test_feeds_use_the_base_url(build):
    built = build(DEMO, SUB_PATH_BASE)
    for path in built.feed_paths:
        root = built.xml(path)
        parsed = built.parsed(path)
        assert not parsed.bozo
        assert root.findtext(f"{ATOM}id").startswith(SUB_PATH_BASE)
        assert [link.href for link in parsed.feed.links if link.rel == "self"] == [SUB_PATH_BASE + path]
        for entry in parsed.entries:
            assert entry.id.startswith(SUB_PATH_BASE), entry.id
            assert entry.link.startswith(SUB_PATH_BASE), entry.link
            page_path, fragment = built.local(entry.link)
            assert not fragment or fragment in _read_page(built.page(page_path)).ids, entry.link
            for href in re.findall(r'href="([^"]*)"', entry.content[0].value):
                if href.startswith("/"):
                    assert href.startswith("/medborgarloften/"), href
                elif href.startswith("https://example.org/"):
                    assert href.startswith(SUB_PATH_BASE), href
    assert len(built.parsed("feed.xml").entries) == 7
    head = _read_page(built.out / "exempelby" / "index.html").feeds
    assert {link.get("href") for link in head} == {"/medborgarloften/feed.xml", "/medborgarloften/exempelby/feed.xml"}


@pytest.mark.parametrize("newest", [1, 3, 6, 50])
def test_site_feed_holds_the_newest_entries_of_all_kommun_feeds_in_their_order(monkeypatch, newest):
    """The site feed makes only its own entries, picked before they are made: they must be the first of all the
    kommuner's entries, merged newest first (by path on the same day)."""
    built, _ = load_site(DEMO, datetime(2026, 7, 1).date())
    assert built is not None
    monkeypatch.setattr(feeds, "SITE_FEED_ENTRIES", newest)
    every = [entry for kommun in built.kommuner for entry in feeds.kommun_entries(kommun)]
    expected = sorted(every, key=lambda entry: (-entry.day.toordinal(), entry.id_path))[:newest]
    assert len(every) == 7
    assert [(e.id_path, e.day) for e in feeds.site_entries(built)] == [(e.id_path, e.day) for e in expected]
