"""Stage 3, model: the domain the pages are made of, with every derived view computed once, here.

Templates only display; anything that needs a decision (which promise is current, how commitments group, how a target
reads in Swedish, how many kommuner have published) is decided in this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from itertools import groupby

from .registry import Lan, Registry
from .schema import CommitmentEntry, Contact, DateRange, PromiseFile, RegistrationNumber, Signatory, SiteFile
from .swedish import format_number, sort_key
from .validate import ValidContent, ValidKommun, ValidPromise

RESPONSIBILITY_LABELS = {
    "polisen": "Polisen",
    "kommunen": "Kommunen",
    "gemensamt": "Gemensamt (kommunen och polisen)",
}
STATE_LABELS = {
    "förslag": "Förslag",
    "gällande": "Gällande",
    "avslutat": "Avslutat",
    None: "Giltighetstid okänd",
}
OTHER_COMMITMENTS = "Övriga åtaganden"


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def label(self) -> str:
        """`2021`, `2023–2024`, or exact dates when the period does not follow calendar years."""
        whole_years = (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31)
        if whole_years and self.start.year == self.end.year:
            return str(self.start.year)
        if whole_years:
            return f"{self.start.year}–{self.end.year}"
        return f"{self.start.isoformat()} – {self.end.isoformat()}"

    @classmethod
    def from_range(cls, value: DateRange | None) -> Period | None:
        return cls(value.start, value.end) if value else None


@dataclass(frozen=True)
class Target:
    amount: float
    unit: str
    per: str | None

    @property
    def label(self) -> str:
        per = f" per {self.per}" if self.per else ""
        return f"{format_number(self.amount)} {self.unit}{per}"


@dataclass(frozen=True)
class Commitment:
    id: str
    text: str
    responsibility: str
    focus_area: str | None
    target: Target | None

    @property
    def responsibility_label(self) -> str:
        return RESPONSIBILITY_LABELS[self.responsibility]

    @classmethod
    def from_entry(cls, entry: CommitmentEntry) -> Commitment:
        target = Target(entry.target.amount, entry.target.unit, entry.target.per) if entry.target else None
        return cls(entry.id, entry.text, entry.responsibility, entry.focus_area, target)


@dataclass(frozen=True)
class CommitmentGroup:
    title: str
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
    groups: list[CommitmentGroup] = field(default_factory=list)

    @property
    def path(self) -> str:
        return f"{self.kommun_slug}/{self.slug}/"

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass
class Kommun:
    slug: str
    name: str
    code: str
    lan: Lan
    organisation: str | None
    police_area: str
    website: str | None
    contact: Contact | None
    promises: list[Promise]

    @property
    def path(self) -> str:
        return f"{self.slug}/"

    @property
    def current(self) -> Promise | None:
        """The promise a citizen most likely wants: the one in force, else the newest (promises are newest first)."""
        return next((p for p in self.promises if p.state == "gällande"), self.promises[0] if self.promises else None)

    @property
    def earlier(self) -> list[Promise]:
        return [p for p in self.promises if p is not self.current]


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    description: str | None
    body: str

    @property
    def path(self) -> str:
        return f"{self.slug}/"


@dataclass(frozen=True)
class LanGroup:
    lan: Lan
    kommuner: list[Kommun]


@dataclass
class Site:
    config: SiteFile
    kommuner: list[Kommun]
    pages: list[Page]
    build_date: date
    total_kommuner: int
    lan_groups: list[LanGroup]

    @property
    def published(self) -> list[Kommun]:
        return [k for k in self.kommuner if k.promises]

    def page(self, slug: str) -> Page | None:
        return next((p for p in self.pages if p.slug == slug), None)


def derive_state(entry: PromiseFile, period: Period | None, today: date) -> str | None:
    """The state the document gives, else the one the period implies on the build date; unknown without either."""
    if entry.state or period is None:
        return entry.state
    if today < period.start:
        return "förslag"
    return "avslutat" if today > period.end else "gällande"


def group_commitments(focus_areas: list[str], commitments: list[Commitment]) -> list[CommitmentGroup]:
    """Commitments under their fokusområde, in the document's order of areas; those without one come last."""
    groups = [
        CommitmentGroup(area, [c for c in commitments if c.focus_area == area])
        for area in focus_areas
        if any(c.focus_area == area for c in commitments)
    ]
    rest = [c for c in commitments if c.focus_area is None]
    return [*groups, CommitmentGroup(OTHER_COMMITMENTS, rest)] if rest else groups


def build_promise(kommun_slug: str, valid: ValidPromise, today: date) -> Promise:
    entry = valid.entry
    period = Period.from_range(entry.period)
    commitments = [Commitment.from_entry(c) for c in entry.commitments]
    return Promise(
        kommun_slug=kommun_slug,
        slug=valid.slug,
        title=entry.title,
        period=period,
        state=derive_state(entry, period, today),
        signed=entry.signed,
        signatories=entry.signatories,
        registration_numbers=entry.registration_numbers,
        area=entry.area,
        focus_areas=entry.focus_areas,
        follow_up=entry.follow_up,
        commitments=commitments,
        body=valid.body,
        groups=group_commitments(entry.focus_areas, commitments),
    )


def _newest_first(promise: Promise) -> tuple:
    """Promises with a period by its end, newest first; those without one after them, by folder name."""
    return (promise.period is None, -(promise.period.end.toordinal() if promise.period else 0), promise.slug)


def build_kommun(valid: ValidKommun, today: date) -> Kommun:
    entry = valid.entry
    promises = sorted((build_promise(valid.slug, p, today) for p in valid.promises), key=_newest_first)
    return Kommun(
        slug=valid.slug,
        name=valid.registered.name,
        code=entry.code,
        lan=valid.registered.lan,
        organisation=entry.organisation,
        police_area=entry.police_area,
        website=entry.website,
        contact=entry.contact,
        promises=promises,
    )


def build_site(content: ValidContent, registry: Registry, today: date) -> Site:
    kommuner = sorted((build_kommun(k, today) for k in content.kommuner), key=lambda k: (sort_key(k.name), k.slug))
    pages = [Page(p.slug, p.entry.title, p.entry.description, p.body) for p in content.pages]
    by_lan = sorted((k for k in kommuner if k.promises), key=lambda k: (k.lan.code, sort_key(k.name)))
    lan_groups = [LanGroup(lan, list(group)) for lan, group in groupby(by_lan, key=lambda k: k.lan)]
    return Site(content.site, kommuner, pages, today, len(registry.kommuner), lan_groups)
