"""Stage 3, model: the domain the pages are made of, with every derived view computed once, here.

Templates only display; anything that needs a decision (which promise is current, how commitments group, how a target
reads in Swedish, how many kommuner have published) is decided in this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from medborgarlofte.content.registry import FICTIONAL_LAN, Lan, Registry
from medborgarlofte.content.schema import (
    CommitmentEntry,
    Contact,
    DateRange,
    PromiseFile,
    RegistrationNumber,
    SiteFile,
    Source,
    SourceDocument,
)
from medborgarlofte.content.schema import Signatory as SignatoryEntry
from medborgarlofte.content.schema import Target as TargetEntry
from medborgarlofte.content.status import BY_KEY, NOT_RATED, STATUSES, Status
from medborgarlofte.content.validate import ValidContent, ValidFollowUp, ValidKommun, ValidPromise
from medborgarlofte.content.vocabulary import (
    ENDED,
    IN_FORCE,
    NAMED_RESPONSIBILITIES,
    PROMISE_STATES,
    PROPOSED,
    TARGET_COMPARISONS,
    Responsibility,
)
from medborgarlofte.outputs.addresses import download_name
from medborgarlofte.outputs.downloads import Download
from medborgarlofte.swedish import count_noun, format_date, format_number, sort_key

# After a field's name wherever the document leaves the field out: "Period: anges inte i dokumentet".
NOT_STATED = "anges inte i dokumentet"
# A search filter's value wherever the document leaves the field out (ansvar, år).
NOT_STATED_FILTER = "Anges inte"
# The period where no field name goes before it: a search result's line, the lists of kommuner.
NO_PERIOD = f"period {NOT_STATED}"
# The named ones, then a commitment whose document names nobody: the order pages, filters and summaries list them.
RESPONSIBILITIES = (*NAMED_RESPONSIBILITIES, Responsibility(None, NOT_STATED, NOT_STATED_FILTER))
RESPONSIBILITY_BY_KEY = {r.key: r for r in RESPONSIBILITIES}
STATE_LABELS: dict[str | None, str] = {**PROMISE_STATES, None: "Giltighetstid okänd"}
OTHER_COMMITMENTS = "Övriga åtaganden"
FICTIONAL_TAG = "(påhittad kommun)"
# The search filter a kommun page carries instead of its promises' filters: its kommunkod, so that the search page
# can leave out the kommun pages its finder already answers with, and the other filters count promises only.
KOMMUN_PAGE_FILTER = "kommunsida"
# The sort key of a page without any date, so that it sorts last among the newest and first among the oldest.
NO_DATE_SORT = "0000-01-01"
LATEST_FOLLOW_UPS = 5
NO_FOLLOW_UP = "Ingen uppföljning har publicerats."
NO_FOLLOW_UP_YET = "Ingen uppföljning har publicerats ännu."
YEARLY = "år"  # a target `per: år` starts again each year, so its results are shown year by year


@dataclass(frozen=True)
class SearchEntry:
    """What the search index holds about a page beyond its text: filters, metadata (`title` and `kommun` on every
    page, then `period` and `läget` for a promise, `län` for a kommun) and the date it sorts by. Each a list of
    (name, value) in a stable order, so that the same content gives the same index."""

    filters: list[tuple[str, str]]
    meta: list[tuple[str, str]]
    sort_date: str


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def whole_years(self) -> bool:
        return (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31)

    @property
    def label(self) -> str:
        """`2021`, `2023–2024`, or exact dates when the period does not follow calendar years."""
        if self.whole_years and self.start.year == self.end.year:
            return str(self.start.year)
        if self.whole_years:
            return f"{self.start.year}–{self.end.year}"
        return f"{self.start.isoformat()} – {self.end.isoformat()}"

    def day_label(self, day: date) -> str:
        """Its start or end as the document gives it: a period written in years has no stated day, only the year."""
        return str(day.year) if self.whole_years else format_date(day)

    @classmethod
    def from_range(cls, value: DateRange | None) -> Period | None:
        return cls(value.start, value.end) if value else None


@dataclass(frozen=True)
class Target:
    """A numeric target in the document's terms: at least (`minst`), at most (`högst`) or exactly (`antal`)."""

    comparison: str
    amount: float
    unit: str
    per: str | None

    @property
    def amount_label(self) -> str:
        return TARGET_COMPARISONS[self.comparison] + format_number(self.amount)

    @cached_property  # shown on every page, search document and feed entry that shows its commitment
    def label(self) -> str:
        """ "minst 80 trafikkontroller per år" """
        per = f" per {self.per}" if self.per else ""
        return f"{self.amount_label} {self.unit}{per}"

    def outcome_label(self, outcome: float) -> str:
        """ "84 av minst 80 trafikkontroller" """
        return f"{format_number(outcome)} av {self.amount_label} {self.unit}"

    def verdict(self, outcome: float) -> str:
        """How an outcome stands against the target, in its own comparison: for `högst`, lower is better."""
        gap = format_number(abs(outcome - self.amount))
        if self.comparison == "högst":
            return "inom målet" if outcome <= self.amount else f"{gap} över målet"
        if outcome == self.amount or (self.comparison == "minst" and outcome > self.amount):
            return "målet är nått"
        return f"{gap} kvar till målet" if outcome < self.amount else f"{gap} fler än målet"

    @classmethod
    def from_entry(cls, entry: TargetEntry) -> Target:
        ((comparison, amount),) = entry.comparisons
        return cls(comparison, amount, entry.unit, entry.per)


@dataclass(frozen=True)
class Rating:
    """One follow-up's verdict on one commitment; `years` are those its results belong to (see `years_covered`), and
    `so_far` says that the result is not the whole of them (see `reported_so_far`)."""

    status: Status
    outcome: float | None
    outcome_label: str | None  # "84 av minst 80 trafikkontroller", or the bare number where there is no target
    comment: str | None
    sources: list[Source]
    published: date
    follow_up_anchor: str
    years: str
    so_far: bool

    @property
    def outcome_note(self) -> str:
        """What follows the rating's status wherever it is shown (its commitment's history, its follow-up's list, the
        feed): ", utfall 84 av minst 80 trafikkontroller"; nothing without an outcome. Worded here rather than by a
        macro: a promise page shows dozens, and a macro call costs more than the text."""
        return f", utfall {self.outcome_label}" if self.outcome_label else ""


@dataclass(frozen=True)
class Progress:
    """A numeric outcome against its target, as text first: "2026 hittills: 42 av minst 80 trafikkontroller, 38 kvar
    till målet", after the year or years the outcome belongs to."""

    outcome: float
    target: Target
    years: str
    so_far: bool

    @cached_property  # shown on every page that shows its commitment's results
    def label(self) -> str:
        when = f"{self.years} hittills" if self.so_far else self.years
        return f"{when}: {self.target.outcome_label(self.outcome)}, {self.target.verdict(self.outcome)}"

    @property
    def bar_value(self) -> float | None:
        """The value for a progress bar, which cannot go past its maximum; the text keeps the real number. None for
        a `högst` target: a bar filling up towards a ceiling would read as progress where less is better."""
        return None if self.target.comparison == "högst" else min(self.outcome, self.target.amount)


@dataclass
class Commitment:
    id: str
    text: str
    responsibility: Responsibility
    focus_area: str | None
    target: Target | None
    history: list[Rating] = field(default_factory=list)  # newest first

    def outcome_label(self, outcome: float) -> str:
        """A reported number as the pages show it: against the target where there is one."""
        return self.target.outcome_label(outcome) if self.target else format_number(outcome)

    @property
    def latest(self) -> Rating | None:
        return self.history[0] if self.history else None

    @property
    def status(self) -> Status:
        return self.history[0].status if self.history else NOT_RATED

    @property
    def progress(self) -> Progress | None:
        """Progress from the newest rating that reports a number, even if a later one only changed the status."""
        rating = next((r for r in self.history if r.outcome is not None), None)
        if rating is None or self.target is None or rating.outcome is None:
            return None
        return Progress(rating.outcome, self.target, rating.years, rating.so_far)

    @cached_property  # asked for, once the history is in place, by the promise page, its kommun page and search
    def results(self) -> list[Progress]:
        """The outcomes to show, oldest first. A target per år starts again each year, so each year keeps its own
        newest result ("2025: 84 av minst 80 · 2026 hittills: 42 av minst 80"), and a new year's smaller number does
        not read as a step back; any other target shows only the newest result, the count so far."""
        if self.target is None:
            return []
        reported = [r for r in self.history if r.outcome is not None]  # newest first
        newest = {r.years: r for r in reversed(reported if self.target.per == YEARLY else reported[:1])}
        return [Progress(r.outcome, self.target, r.years, r.so_far) for _, r in sorted(newest.items())]

    @property
    def earlier(self) -> list[Rating]:
        """The history before the newest rating, which the pages show on its own with its comment."""
        return self.history[1:]

    @classmethod
    def from_entry(cls, entry: CommitmentEntry) -> Commitment:
        target = Target.from_entry(entry.target) if entry.target else None
        return cls(entry.id, entry.text, RESPONSIBILITY_BY_KEY[entry.responsibility], entry.focus_area, target)


@dataclass(frozen=True)
class RatedCommitment:
    commitment: Commitment
    rating: Rating


@dataclass
class FollowUp:
    slug: str
    published: date
    covers: str | None
    summary: str
    ratings: list[RatedCommitment]
    promise: Promise = field(repr=False)

    @property
    def anchor(self) -> str:
        return follow_up_anchor(self.slug)

    @cached_property
    def status_summary(self) -> StatusSummary:
        return StatusSummary.of([r.rating.status for r in self.ratings], len(self.promise.commitments))

    @property
    def path(self) -> str:
        return f"{self.promise.path}#{self.anchor}"


@dataclass(frozen=True)
class StatusCount:
    status: Status
    count: int
    offset: float  # where its segment starts in a bar of 100
    share: float  # its segment's width in a bar of 100


@dataclass(frozen=True)
class StatusSummary:
    """How many commitments have each status, always counted against all of the promise's commitments: "4 av 6
    åtaganden bedömda: 3 genomförda, 1 försenat; 2 ej bedömda" ("1 av 6 åtaganden bedömt": the participle agrees
    with the number rated), or "21 åtaganden, inget bedömt". A follow-up's summary has only the commitments it
    rated, so the others are left out of its statuses but not of the total. The text is the primary form; the chart
    only repeats it."""

    counts: list[StatusCount]
    total: int

    def _count(self, status: Status) -> int:
        return next((c.count for c in self.counts if c.status is status), 0)

    @property
    def rated(self) -> int:
        return sum(c.count for c in self.counts if c.status is not NOT_RATED)

    @cached_property  # asked for by every page and feed that shows the promise
    def label(self) -> str:
        commitments = count_noun(self.total, "åtagande", "åtaganden")
        if not self.rated:
            return f"{commitments}, {'inte bedömt' if self.total == 1 else 'inget bedömt'}"
        rated = f"{self.rated} av {commitments} {'bedömt' if self.rated == 1 else 'bedömda'}"
        statuses = ", ".join(c.status.count_label(c.count) for c in self.counts if c.status is not NOT_RATED)
        unrated = self._count(NOT_RATED)
        rest = f"; {NOT_RATED.count_label(unrated)}" if unrated else ""
        return f"{rated}: {statuses}{rest}"

    @cached_property
    def sentence(self) -> str:
        """The label as a sentence of its own: "4 av 6 åtaganden bedömda: …; 2 ej bedömda." """
        return self.label[:1].upper() + self.label[1:] + "."

    @classmethod
    def of(cls, statuses: list[Status], total: int | None = None) -> StatusSummary:
        """`total` is the number of commitments when `statuses` has only some of them (a follow-up's)."""
        total = len(statuses) if total is None else total
        counts, offset = [], 0.0
        for status in STATUSES:
            count = statuses.count(status)
            if count:
                share = 100 * count / total
                counts.append(StatusCount(status, count, round(offset, 2), round(share, 2)))
                offset += share
        return cls(counts, total)


@dataclass(frozen=True)
class ResponsibilitySummary:
    """The status summary of the commitments with one responsibility, those whose ansvar is not stated included."""

    responsibility: Responsibility
    summary: StatusSummary


@dataclass(frozen=True)
class Signatory:
    """A signatory as the document gives them; a name without a role and a role without a name are both valid."""

    name: str | None
    party: str | None
    role: str | None
    organisation: str | None

    @property
    def label(self) -> str:
        """As the document gives it, saying what it leaves out: "Kent Hansson (rollen anges inte i dokumentet)"."""
        who = f"{self.name} ({self.party})" if self.name and self.party else self.name
        text = ", ".join(part for part in (who, self.role, self.organisation) if part)
        if self.name is None:
            return f"{text} (namnet anges inte i dokumentet)"
        return text if self.role else f"{text} (rollen anges inte i dokumentet)"

    @classmethod
    def from_entry(cls, entry: SignatoryEntry) -> Signatory:
        return cls(entry.name, entry.party, entry.role, entry.organisation)


@dataclass(frozen=True)
class CommitmentGroup:
    title: str | None  # None: the promise names no fokusområde its commitments belong to, so there is no heading
    commitments: list[Commitment]


@dataclass
class Promise:
    kommun_slug: str
    slug: str
    title: str
    period: Period | None
    state: str | None
    signed: date | None
    signatories: list[Signatory]
    registration_numbers: list[RegistrationNumber]
    area: str | None
    focus_areas: list[str]
    follow_up: str | None
    commitments: list[Commitment]
    body: str
    published: date | None
    source: SourceDocument | None
    note: str | None
    groups: list[CommitmentGroup] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)  # newest first
    kommun: Kommun | None = field(default=None, repr=False)  # set when the kommun is built
    attachments: list[Download] = field(default_factory=list)
    draft: bool = False  # `utkast: true`: shown only by `serve`, marked as not published

    def download_path(self, extension: str) -> str:
        return self.path + download_name(self.kommun_slug, self.slug, extension)

    @cached_property
    def status_summary(self) -> StatusSummary:
        """Asked for by several pages and feeds; computed once, after the follow-ups are in place."""
        return StatusSummary.of([c.status for c in self.commitments])

    @cached_property
    def responsibility_summaries(self) -> list[ResponsibilitySummary]:
        """The status summary split by ansvar, in the order of RESPONSIBILITIES; commitments whose document names
        nobody are counted on their own, never folded into another party's."""
        return [
            ResponsibilitySummary(r, StatusSummary.of(statuses))
            for r in RESPONSIBILITIES
            if (statuses := [c.status for c in self.commitments if c.responsibility == r])
        ]

    @property
    def announced(self) -> date | None:
        """When the promise became public, for the feeds: the publishing date, else the signing date, else the
        start of its period; None if the document gives none of them."""
        return self.published or self.signed or (self.period.start if self.period else None)

    @property
    def path(self) -> str:
        return f"{self.kommun_slug}/{self.slug}/"

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def period_label(self) -> str:
        return self.period.label if self.period else NOT_STATED

    @property
    def silence(self) -> str | None:
        """What the pages say where no follow-up is published: that the period has ended, where it has, so that a
        silence after the end does not read as "not yet"; None where there are follow-ups."""
        if self.follow_ups:
            return None
        period = self.period
        if self.state == ENDED:
            ended = f"Perioden slutade {period.day_label(period.end)}." if period else "Löftet gäller inte längre."
            return f"{ended} {NO_FOLLOW_UP}"
        if self.state == PROPOSED and period:
            return f"Perioden börjar {period.day_label(period.start)}. {NO_FOLLOW_UP_YET}"
        return NO_FOLLOW_UP_YET

    @property
    def follow_up_plan(self) -> str:
        """What the document says about following the promise up, or that it says nothing."""
        if self.follow_up:
            return f"Enligt löftet: ”{self.follow_up}”"
        return "Löftet säger inte hur eller när det ska följas upp."

    @property
    def unrated_note(self) -> str | None:
        """One statement for commitments that no follow-up has rated, where none has been (instead of the same
        "Ej bedömt" on every one); None where any commitment is rated."""
        if self.status_summary.rated:
            return None
        if len(self.commitments) == 1:
            return "Åtagandet har inte bedömts i någon publicerad uppföljning."
        return f"Inget av de {len(self.commitments)} åtagandena har bedömts i någon publicerad uppföljning."

    @property
    def latest_date(self) -> date | None:
        """The newest date the promise has: its latest follow-up, else when it became public."""
        return self.follow_ups[0].published if self.follow_ups else self.announced

    @property
    def search(self) -> SearchEntry:
        """The promise page as one search result: titled with its kommun, with its status summary, and the filters
        that the search page counts promises by."""
        assert self.kommun is not None
        latest = self.latest_date
        meta = [
            ("title", f"{self.kommun.label}: {self.title}"),
            ("kommun", self.kommun.label),
            ("period", self.period.label if self.period else NO_PERIOD),
            ("läget", self.status_summary.sentence),
        ]
        return SearchEntry(self.search_filters, meta, latest.isoformat() if latest else NO_DATE_SORT)

    @property
    def search_filters(self) -> list[tuple[str, str]]:
        """The search filters of the promise's page (name, value), in a stable order."""
        assert self.kommun is not None
        years = (
            [str(year) for year in range(self.period.start.year, self.period.end.year + 1)]
            if self.period
            else [NOT_STATED_FILTER]
        )
        statuses = [s for s in STATUSES if any(c.status is s for c in self.commitments)]
        responsibilities = [r for r in RESPONSIBILITIES if any(c.responsibility == r for c in self.commitments)]
        return [
            ("kommun", self.kommun.name),
            ("län", self.kommun.lan.name),
            *(("år", year) for year in years),
            *(("fokusområde", area) for area in self.focus_areas),
            *(("ansvar", responsibility.name) for responsibility in responsibilities),
            *(("status", status.label) for status in statuses),
        ]


@dataclass
class Kommun:
    slug: str
    name: str
    official_name: str  # SCB's, such as "Åre kommun"
    code: str
    lan: Lan
    organisation: str | None
    police_area: str
    website: str | None
    contact: Contact | None
    promises: list[Promise]
    timeline: list[TimelineEvent] = field(default_factory=list)

    @property
    def path(self) -> str:
        return f"{self.slug}/"

    @property
    def fictional(self) -> bool:
        return self.lan == FICTIONAL_LAN

    @property
    def authority(self) -> str:
        """Who in the kommun makes the promises: the organisation as it writes its name, else the kommun's official
        name ("Åre kommun"), never the bare place name, which is also the police area's."""
        return self.organisation or self.official_name

    @property
    def parties(self) -> str:
        """Both parties to the promises, as the pages and feeds name them."""
        return f"{self.authority} och lokalpolisområde {self.police_area}"

    @property
    def follow_ups(self) -> list[FollowUp]:
        return sorted((f for p in self.promises for f in p.follow_ups), key=_newest_follow_up)

    @property
    def current(self) -> Promise | None:
        """The promise a citizen most likely wants: the one in force, else the newest (promises are newest first)."""
        return next((p for p in self.promises if p.state == IN_FORCE), self.promises[0] if self.promises else None)

    @property
    def earlier(self) -> list[Promise]:
        return [p for p in self.promises if p is not self.current]

    @property
    def label(self) -> str:
        """The kommun's name, marked as made up where it is: "Exempelby (påhittad kommun)"."""
        return f"{self.name} {FICTIONAL_TAG}" if self.fictional else self.name

    @property
    def search(self) -> SearchEntry:
        """The kommun page as a search result of its own text only (its promises are results of their own): none of
        its promises' filters, so that the filters count promises, and none of their status."""
        latest = self.latest_date
        meta = [("title", f"Medborgarlöften i {self.label}"), ("kommun", self.label), ("län", self.lan.name)]
        return SearchEntry([(KOMMUN_PAGE_FILTER, self.code)], meta, latest.isoformat() if latest else NO_DATE_SORT)

    @property
    def latest_date(self) -> date | None:
        return max((d for p in self.promises if (d := p.latest_date)), default=None)


STATUS_PAGE = "sa-bedomer-vi"


@dataclass(frozen=True)
class Ask:
    """Whom a citizen asks how a promise has gone when no follow-up says it: `lead`, then `text`, a link where
    there is an `href`."""

    lead: str
    text: str
    href: str | None


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    description: str | None
    body: str

    @property
    def path(self) -> str:
        return f"{self.slug}/"

    @property
    def statuses(self) -> tuple[Status, ...]:
        """The page that defines the statuses also shows each one as the site displays it, word and symbol."""
        return STATUSES if self.slug == STATUS_PAGE else ()


@dataclass
class Site:
    config: SiteFile
    kommuner: list[Kommun]
    pages: list[Page]
    build_date: date
    total_kommuner: int

    @property
    def published(self) -> list[Kommun]:
        """Real kommuner with a promise: the "N av 290" count never includes the made-up example kommuner."""
        return [k for k in self.kommuner if k.promises and not k.fictional]

    @cached_property
    def has_fictional(self) -> bool:
        return any(k.fictional for k in self.kommuner)

    @property
    def latest_follow_ups(self) -> list[FollowUp]:
        every = (f for k in self.kommuner for f in k.follow_ups)
        return sorted(every, key=_newest_follow_up)[:LATEST_FOLLOW_UPS]

    def page(self, slug: str) -> Page | None:
        return next((p for p in self.pages if p.slug == slug), None)

    @cached_property
    def status_page(self) -> Page | None:
        """The page that says what the statuses mean, which every status summary links to."""
        return self.page(STATUS_PAGE)

    def ask(self, kommun: Kommun) -> Ask:
        """The kommun's contact as kommun.yaml gives it (an address to write to first, then a web page, then where
        to visit), else its website, else the site's own address, which says it has none for the kommun."""
        contact, lead = kommun.contact, f"Fråga {kommun.authority} hur arbetet har gått:"
        if contact and contact.email:
            return Ask(lead, contact.email, f"mailto:{contact.email}")
        if contact and contact.url:
            return Ask(lead, contact.url, contact.url)
        if kommun.website:
            return Ask(lead, kommun.website, kommun.website)
        if contact and contact.visiting_address:
            visit = ", ".join(part for part in (contact.name, contact.visiting_address) if part)
            hours = f" ({contact.opening_hours})" if contact.opening_hours else ""
            return Ask(lead, visit + hours, None)
        email = self.config.contact.email
        lead = f"Webbplatsen har ingen kontaktuppgift till {kommun.authority}. Fråga webbplatsens redaktion:"
        return Ask(lead, email, f"mailto:{email}")


def derive_state(entry: PromiseFile, period: Period | None, today: date) -> str | None:
    """The state the document gives, else the one the period implies on the build date; unknown without either."""
    if entry.state or period is None:
        return entry.state
    if today < period.start:
        return PROPOSED
    return ENDED if today > period.end else IN_FORCE


def group_commitments(focus_areas: list[str], commitments: list[Commitment]) -> list[CommitmentGroup]:
    """Commitments under their fokusområde, in the document's order of areas; those without one come last, as
    "Övriga åtaganden", or without a heading when no commitment has a fokusområde ("other" than nothing)."""
    groups = [
        CommitmentGroup(area, [c for c in commitments if c.focus_area == area])
        for area in focus_areas
        if any(c.focus_area == area for c in commitments)
    ]
    rest = [c for c in commitments if c.focus_area is None]
    return [*groups, CommitmentGroup(OTHER_COMMITMENTS if groups else None, rest)] if rest else groups


def build_promise(kommun_slug: str, valid: ValidPromise, today: date) -> Promise:
    """The promise with its published follow-ups (a draft follow-up may still say `status: välj`)."""
    entry = valid.entry
    period = Period.from_range(entry.period)
    commitments = [Commitment.from_entry(c) for c in entry.commitments]
    promise = Promise(
        kommun_slug=kommun_slug,
        slug=valid.slug,
        title=entry.title,
        period=period,
        state=derive_state(entry, period, today),
        signed=entry.signed,
        signatories=[Signatory.from_entry(s) for s in entry.signatories],
        registration_numbers=entry.registration_numbers,
        area=entry.area,
        focus_areas=entry.focus_areas,
        follow_up=entry.follow_up,
        commitments=commitments,
        body=valid.body,
        published=entry.published,
        source=entry.source,
        note=entry.note,
        groups=group_commitments(entry.focus_areas, commitments),
        attachments=[
            Download(a.title, f"{kommun_slug}/{valid.slug}/{a.relative}", a.format, a.size, a.source)
            for a in valid.attachments
        ],
        draft=entry.draft,
    )
    by_id = {c.id: c for c in commitments}
    published = (f for f in valid.follow_ups if not f.entry.draft)
    promise.follow_ups = sorted((build_follow_up(f, promise, by_id) for f in published), key=_newest_follow_up)
    for follow_up in reversed(promise.follow_ups):
        for rated in follow_up.ratings:
            rated.commitment.history.insert(0, rated.rating)
    return promise


def build_follow_up(valid: ValidFollowUp, promise: Promise, by_id: dict[str, Commitment]) -> FollowUp:
    entry = valid.entry
    anchor = follow_up_anchor(valid.slug)
    years = years_covered(entry.covers, entry.published)
    so_far = reported_so_far(entry.covers, entry.published)
    ratings = [
        RatedCommitment(
            commitment := by_id[commitment_id],
            Rating(
                BY_KEY[r.status],
                r.outcome,
                None if r.outcome is None else commitment.outcome_label(r.outcome),
                r.comment,
                r.sources,
                entry.published,
                anchor,
                years,
                so_far,
            ),
        )
        for commitment_id, r in entry.ratings.items()
    ]
    order = {c.id: i for i, c in enumerate(promise.commitments)}
    ratings.sort(key=lambda rated: order[rated.commitment.id])
    covers = entry.covers if isinstance(entry.covers, str) or entry.covers is None else _range_label(entry.covers)
    return FollowUp(valid.slug, entry.published, covers, valid.body, ratings, promise)


_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


def _covered_span(covers: str | DateRange | None, published: date) -> tuple[int, int]:
    """The first and last year a follow-up's results belong to: those `avser` names (`Hösten 2025` → 2025,
    `2025–2026`, a range of dates), else the year it was published, so that an outcome for the autumn published in
    January is not shown as the new year's."""
    if isinstance(covers, DateRange):
        years = {covers.start.year, covers.end.year}
    else:
        years = {int(year) for year in _YEAR.findall(covers or "")} or {published.year}
    return min(years), max(years)


def years_covered(covers: str | DateRange | None, published: date) -> str:
    """The year or years a follow-up's results belong to, as the pages show them: `2025`, `2025–2026`."""
    first, last = _covered_span(covers, published)
    return str(first) if first == last else f"{first}–{last}"


_WHOLE_YEARS = re.compile(r"\s*(?:19|20)\d{2}(?:\s*[–-]\s*(?:19|20)\d{2})?\s*")


def reported_so_far(covers: str | DateRange | None, published: date) -> bool:
    """Whether a follow-up's results are the count so far of the years they belong to ("2026 hittills"): published
    before the last of those years ended, and `avser` does not say it covers them whole (`2025`, or dates from 1
    January to 31 December)."""
    if isinstance(covers, DateRange):
        whole = Period(covers.start, covers.end).whole_years
    else:
        whole = covers is not None and _WHOLE_YEARS.fullmatch(covers) is not None
    return not whole and published.year <= _covered_span(covers, published)[1]


def follow_up_anchor(slug: str) -> str:
    """The fragment of a follow-up on its promise page, which ratings and feed entries link to."""
    return f"uppfoljning-{slug}"


def _range_label(value: DateRange) -> str:
    return Period(value.start, value.end).label


def _newest_follow_up(follow_up: FollowUp) -> tuple:
    return (-follow_up.published.toordinal(), follow_up.promise.kommun_slug, follow_up.promise.slug)


def _newest_first(promise: Promise) -> tuple:
    """Promises with a period by its end, newest first; those without one after them, by folder name."""
    return (promise.period is None, -(promise.period.end.toordinal() if promise.period else 0), promise.slug)


# A kommun's timeline: every promise's signing, period start and end, and every follow-up, in one list, newest first.
# A citizen opens the page to learn what has happened lately; with the newest event on top, a screen reader user
# hears it first instead of after years of history, and the order is the same as in the Atom feeds. Events still to
# come (the end of a period in force) are included and marked as coming.
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


def build_kommun(valid: ValidKommun, today: date, drafts: bool = False) -> Kommun:
    """The kommun with its published promises, and with its draft promises too where `drafts` asks for them (the
    preview of `serve`, in which a communicator reviews a draft before publishing it)."""
    entry = valid.entry
    published = (p for p in valid.promises if drafts or not p.entry.draft)
    promises = sorted((build_promise(valid.slug, p, today) for p in published), key=_newest_first)
    kommun = Kommun(
        slug=valid.slug,
        name=valid.registered.name,
        official_name=valid.registered.official_name,
        code=entry.code,
        lan=valid.registered.lan,
        organisation=entry.organisation,
        police_area=entry.police_area,
        website=entry.website,
        contact=entry.contact,
        promises=promises,
    )
    for promise in promises:
        promise.kommun = kommun
    kommun.timeline = kommun_timeline(kommun, today)
    return kommun


def build_site(content: ValidContent, kommuner: list[Kommun], registry: Registry, today: date) -> Site:
    """The site around its kommuner, each modelled on its own by `build_kommun` (so that `serve` can keep those a
    change did not touch)."""
    kommuner = sorted(kommuner, key=lambda k: (sort_key(k.name), k.slug))
    pages = [Page(p.slug, p.entry.title, p.entry.description, p.body) for p in content.pages]
    return Site(content.site, kommuner, pages, today, len(registry.kommuner))
