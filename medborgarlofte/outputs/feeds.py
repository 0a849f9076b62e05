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

from medborgarlofte.content.model import FollowUp, Kommun, Promise, Site
from medborgarlofte.outputs.render import Job, Renderer, everything
from medborgarlofte.swedish import format_date

SITE_FEED_ENTRIES = 50  # the site-wide feed carries the newest; each kommun's feed carries all of its own


@dataclass(frozen=True)
class Entry:
    """An entry's facts; the feed's template (feed.xml) renders its content from its promise or its follow-up."""

    id_path: str
    title: str
    day: date
    summary: str
    kommun: Kommun
    promise: Promise | None = None
    follow_up: FollowUp | None = None

    @property
    def updated(self) -> str:
        return _timestamp(self.day)


def _fictional(kommun: Kommun) -> str:
    return " (påhittad kommun)" if kommun.fictional else ""


def _promise_entry(promise: Promise, kommun: Kommun, day: date) -> Entry:
    return Entry(
        promise.path,
        f"Nytt medborgarlöfte: {promise.title} – {kommun.name}{_fictional(kommun)}",
        day,
        f"{len(promise.commitments)} åtaganden från {kommun.parties}.",
        kommun,
        promise=promise,
    )


def _follow_up_entry(follow_up: FollowUp, kommun: Kommun) -> Entry:
    day = format_date(follow_up.published)
    return Entry(
        follow_up.path,
        f"Uppföljning {day}: {follow_up.promise.title} – {kommun.name}{_fictional(kommun)}",
        follow_up.published,
        follow_up.status_summary.sentence,
        kommun,
        follow_up=follow_up,
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


def feed(title: str, path: str, entries: list[Entry], site: Site, renderer: Renderer) -> str:
    """The Atom feed at `path` + feed.xml, rendered by one template rather than a template per entry put into an XML
    tree: each render of its own costs a new template context, a large part of a feed's time at national scale."""
    updated = _timestamp(max((e.day for e in entries), default=site.build_date))
    return renderer.render(
        "feed.xml", path, feed_path=path + "feed.xml", title=title, updated=updated, entries=entries, site=site
    )


def feed_jobs(site: Site, renderer: Renderer, wanted: Callable[[str], bool] = everything) -> dict[str, Job]:
    """`feed.xml` for the site and `<kommun>/feed.xml` for each kommun (those `wanted`, in `serve`). Each job makes
    its own entries, so that at national scale this is done by the workers that render the feeds."""
    jobs: dict[str, Job] = {}
    if wanted("feed.xml"):
        title = f"{site.config.name}: nya löften och uppföljningar"
        jobs["feed.xml"] = functools.partial(_feed_of, title, "", functools.partial(site_entries, site), site, renderer)
    for kommun in site.kommuner:
        if wanted(kommun.path + "feed.xml"):
            title = f"Medborgarlöften i {kommun.name}{_fictional(kommun)}: nya löften och uppföljningar"
            jobs[kommun.path + "feed.xml"] = functools.partial(
                _feed_of, title, kommun.path, functools.partial(kommun_entries, kommun), site, renderer
            )
    return jobs


def _feed_of(title: str, path: str, entries: Callable[[], list[Entry]], site: Site, renderer: Renderer) -> str:
    return feed(title, path, entries(), site, renderer)
