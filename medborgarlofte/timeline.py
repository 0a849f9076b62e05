"""A kommun's timeline: every promise's signing, period start and end, and every follow-up, in one list.

Newest first. A citizen opens the page to learn what has happened lately; with the newest event on top, a screen
reader user hears it first instead of after years of history, and the order is the same as in the Atom feeds.
Events still to come (the end of a period in force) are included and marked as coming.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from .swedish import format_date

if TYPE_CHECKING:  # the model builds timelines, so it imports this module
    from .model import FollowUp, Kommun, Promise

# Of two events on the same day, the one listed first here is shown first (newest first: the later step on top).
KIND_ORDER = ("uppföljning", "period-slut", "undertecknat", "period-start")


@dataclass(frozen=True)
class TimelineEvent:
    day: date
    kind: str
    date_label: str
    upcoming: bool
    promise: Promise
    follow_up: FollowUp | None = None

    @property
    def machine_date(self) -> str:
        """For `<time datetime>`: only the year when only the year is known."""
        return self.date_label if self.date_label.isdigit() else self.day.isoformat()


def _promise_events(promise: Promise, today: date) -> list[TimelineEvent]:
    events = []
    if promise.signed:
        events.append(TimelineEvent(promise.signed, "undertecknat", format_date(promise.signed), False, promise))
    if promise.period:
        for kind, day in (("period-start", promise.period.start), ("period-slut", promise.period.end)):
            events.append(TimelineEvent(day, kind, promise.period.day_label(day), day > today, promise))
    events.extend(
        TimelineEvent(f.published, "uppföljning", format_date(f.published), False, promise, f)
        for f in promise.follow_ups
    )
    return events


def kommun_timeline(kommun: Kommun, today: date) -> list[TimelineEvent]:
    events = [event for promise in kommun.promises for event in _promise_events(promise, today)]
    return sorted(events, key=lambda e: (-e.day.toordinal(), KIND_ORDER.index(e.kind), e.promise.slug))
