"""Stage 5, export: Atom feeds of new promises and follow-ups, for the whole site and for each kommun.

Citizens follow a kommun's promise without visiting the site; each new promise and each follow-up is one entry, newest
first. A promise whose document gives no date (no publishing date, signing date or period) has no honest entry date
and is left out rather than dated by guess.
"""

from __future__ import annotations

import functools
import heapq
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from xml.etree import ElementTree

from medborgarlofte.content.model import FollowUp, Kommun, Promise, Site
from medborgarlofte.outputs.render import Job, Renderer, everything
from medborgarlofte.outputs.urls import SiteUrls
from medborgarlofte.swedish import format_date

ATOM_NS = "http://www.w3.org/2005/Atom"
ElementTree.register_namespace("", ATOM_NS)


SITE_FEED_ENTRIES = 50  # the site-wide feed carries the newest; each kommun's feed carries all of its own


@dataclass(frozen=True)
class Entry:
    """An entry's facts; its HTML content is rendered only if the entry makes it into a feed being written."""

    id_path: str
    title: str
    day: date
    summary: str
    template: str
    context: dict[str, Any]


def _fictional(kommun: Kommun) -> str:
    return " (påhittad kommun)" if kommun.fictional else ""


def _promise_entry(promise: Promise, kommun: Kommun, day: date) -> Entry:
    return Entry(
        promise.path,
        f"Nytt medborgarlöfte: {promise.title} – {kommun.name}{_fictional(kommun)}",
        day,
        f"{len(promise.commitments)} åtaganden från {kommun.parties}.",
        "feed_promise.html",
        {"promise": promise, "kommun": kommun},
    )


def _follow_up_entry(follow_up: FollowUp, kommun: Kommun) -> Entry:
    day = format_date(follow_up.published)
    return Entry(
        follow_up.path,
        f"Uppföljning {day}: {follow_up.promise.title} – {kommun.name}{_fictional(kommun)}",
        follow_up.published,
        follow_up.status_summary.sentence,
        "feed_follow_up.html",
        {"follow_up": follow_up, "kommun": kommun},
    )


def kommun_entries(kommun: Kommun) -> list[Entry]:
    return [_entry(item, kommun) for item in sorted(_items(kommun), key=_item_order)]


# A promise (dated by its announcement) or a follow-up: what an entry is made from.
Item = Promise | FollowUp


def _items(kommun: Kommun) -> list[Item]:
    return [p for p in kommun.promises if p.announced] + list(kommun.follow_ups)


def _item_order(item: Item) -> tuple[int, str]:
    """Newest first (by path on the same day), known without making the entry."""
    day = item.announced if isinstance(item, Promise) else item.published
    assert day is not None
    return (-day.toordinal(), item.path)


def _entry(item: Item, kommun: Kommun) -> Entry:
    if isinstance(item, Promise):
        assert item.announced is not None
        return _promise_entry(item, kommun, item.announced)
    return _follow_up_entry(item, kommun)


def site_entries(site: Site) -> list[Entry]:
    """The site feed's entries: only the newest are made, since making one (its dates and summary in words) costs
    more than ordering them all."""
    items = [(item, kommun) for kommun in site.kommuner for item in _items(kommun)]
    newest = heapq.nsmallest(SITE_FEED_ENTRIES, items, key=lambda pair: _item_order(pair[0]))
    return [_entry(item, kommun) for item, kommun in newest]


def _timestamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def feed(title: str, path: str, entries: list[Entry], site: Site, urls: SiteUrls, renderer: Renderer) -> str:
    root = ElementTree.Element(f"{{{ATOM_NS}}}feed", {"xml:lang": "sv", "xml:base": urls.absolute()})

    def add(parent: ElementTree.Element, tag: str, text: str | None = None, **attributes: str) -> None:
        ElementTree.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attributes).text = text

    add(root, "id", urls.absolute(path + "feed.xml"))
    add(root, "title", title)
    add(root, "updated", _timestamp(max((e.day for e in entries), default=site.build_date)))
    add(root, "link", rel="self", type="application/atom+xml", href=urls.absolute(path + "feed.xml"))
    add(root, "link", rel="alternate", type="text/html", href=urls.absolute(path))
    author = ElementTree.SubElement(root, f"{{{ATOM_NS}}}author")
    add(author, "name", site.config.publisher)
    for entry in entries:
        element = ElementTree.SubElement(root, f"{{{ATOM_NS}}}entry")
        add(element, "id", urls.absolute(entry.id_path))
        add(element, "title", entry.title)
        add(element, "updated", _timestamp(entry.day))
        add(element, "link", rel="alternate", type="text/html", href=urls.absolute(entry.id_path))
        add(element, "summary", entry.summary)
        add(element, "content", renderer.render(entry.template, entry.id_path, **entry.context), type="html")
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def feed_jobs(
    site: Site, urls: SiteUrls, renderer: Renderer, wanted: Callable[[str], bool] = everything
) -> dict[str, Job]:
    """`feed.xml` for the site and `<kommun>/feed.xml` for each kommun (those `wanted`, in `serve`). Each job makes
    its own entries, so that at national scale this is done by the workers that render the feeds."""
    jobs: dict[str, Job] = {}
    if wanted("feed.xml"):
        title = f"{site.config.name}: nya löften och uppföljningar"
        jobs["feed.xml"] = functools.partial(
            _feed_of, title, "", functools.partial(site_entries, site), site, urls, renderer
        )
    for kommun in site.kommuner:
        if wanted(kommun.path + "feed.xml"):
            title = f"Medborgarlöften i {kommun.name}{_fictional(kommun)}: nya löften och uppföljningar"
            jobs[kommun.path + "feed.xml"] = functools.partial(
                _feed_of, title, kommun.path, functools.partial(kommun_entries, kommun), site, urls, renderer
            )
    return jobs


def _feed_of(
    title: str,
    path: str,
    entries: Callable[[], list[Entry]],
    site: Site,
    urls: SiteUrls,
    renderer: Renderer,
) -> str:
    return feed(title, path, entries(), site, urls, renderer)
