"""Stage 3, model: the national view, where every one of Sweden's 290 kommuner has an answer.

A kommun with a content folder is answered by its own page; every other kommun of the registry by a short page that
says that nothing is published here yet. The front page's list, the finder, `/sverige/` (by län, with the map) and the
sitemap all read this one view, so that a kommun's state is worded once (`state_label`) and its address decided once
(`address`). Made-up example kommuner are kept apart (`fictional`): they are never among the 290.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from itertools import groupby

from markupsafe import Markup

from medborgarlofte.content import vocabulary
from medborgarlofte.content.model import NO_PERIOD, Kommun, Promise, Site
from medborgarlofte.content.registry import SOURCE as REGISTRY_SOURCE
from medborgarlofte.content.registry import Lan, Registry, RegistryKommun
from medborgarlofte.outputs.addresses import RESERVED_SLUGS
from medborgarlofte.outputs.places import SOURCE as PLACES_SOURCE
from medborgarlofte.outputs.places import finder_payload, load_places
from medborgarlofte.outputs.sweden_map import SOURCE as MAP_SOURCE
from medborgarlofte.outputs.sweden_map import STATES, MapKommun, MapState, sweden_map
from medborgarlofte.swedish import count_noun, sort_key

NOTHING_PUBLISHED = "inget publicerat här"
# Whose data the national pages show, credited where they show it.
REFERENCE_SOURCES = (REGISTRY_SOURCE, PLACES_SOURCE, MAP_SOURCE)
MAP_TITLE = "Karta över Sveriges kommuner och deras medborgarlöften"
# Validity a list names beside the period; a promise in force, or of unknown validity, is simply "medborgarlöfte".
NAMED_VALIDITY = (vocabulary.PROPOSED, vocabulary.ENDED)

_STATE = {state.key: state for state in STATES}
WITH_FOLLOW_UP = _STATE["foljs-upp"]
WITHOUT_FOLLOW_UP = _STATE["utan-uppfoljning"]
ENDED = _STATE["avslutat"]
NONE_PUBLISHED = _STATE["inget"]


@dataclass(frozen=True)
class KommunAnswer:
    """One of the 290 kommuner as the national pages show it: the registry's facts, where its answer is, and its
    content when it has a folder (`kommun`)."""

    registered: RegistryKommun
    slug: str
    kommun: Kommun | None

    @property
    def code(self) -> str:
        return self.registered.code

    @property
    def name(self) -> str:
        return self.registered.name

    @property
    def official_name(self) -> str:
        return self.registered.official_name

    @property
    def lan(self) -> Lan:
        return self.registered.lan

    @property
    def path(self) -> str:
        return f"{self.slug}/"

    @property
    def lan_anchor(self) -> str:
        return lan_anchor(self.lan)

    @property
    def current(self) -> Promise | None:
        return self.kommun.current if self.kommun else None

    @property
    def localities(self) -> tuple[str, ...]:
        """The kommun's postorter, which tell a reader who came by a town that this is the kommun it lies in."""
        return load_places().localities(self.code)

    @cached_property
    def state(self) -> MapState:
        """How the map and its legend show the kommun: none published, only ended promises, or a promise with or
        without a published follow-up."""
        promises = self.kommun.promises if self.kommun else []
        if not promises:
            return NONE_PUBLISHED
        if all(promise.state == vocabulary.ENDED for promise in promises):
            return ENDED
        current = self.current
        return WITH_FOLLOW_UP if current and current.follow_ups else WITHOUT_FOLLOW_UP

    @cached_property
    def state_label(self) -> str:
        """The kommun's state in a few words, as every list of kommuner gives it: "medborgarlöfte 2025–2026, 4 av 6
        bedömda", "medborgarlöfte 2023–2024 (avslutat), 0 av 21 bedömda" or "inget publicerat här"."""
        current = self.current
        if current is None:
            return NOTHING_PUBLISHED
        period = current.period.label if current.period else f"({NO_PERIOD})"
        validity = f" ({current.state_label.lower()})" if current.state in NAMED_VALIDITY else ""
        summary = current.status_summary
        rated = f"{summary.rated} av {summary.total} {'bedömt' if summary.rated == 1 else 'bedömda'}"
        return f"medborgarlöfte {period}{validity}, {rated}"

    @property
    def map_label(self) -> str:
        """The accessible name of the kommun's link on the map."""
        return f"{self.name}: {self.state_label}"


@dataclass(frozen=True)
class LanOverview:
    """A län's kommuner A–Ö, and how many of them have published a medborgarlöfte here."""

    lan: Lan
    kommuner: list[KommunAnswer]

    @property
    def anchor(self) -> str:
        return lan_anchor(self.lan)

    @cached_property
    def published(self) -> list[KommunAnswer]:
        return [answer for answer in self.kommuner if answer.current]

    @property
    def count_label(self) -> str:
        """The count under the län's heading, such as 3 av 26 kommuner har publicerat ett medborgarlöfte här."""
        return published_label(len(self.published), len(self.kommuner))


@dataclass(frozen=True)
class LetterGroup:
    """Kommuner that start with the same letter, for the A–Ö list."""

    letter: str
    kommuner: list[KommunAnswer]

    @property
    def anchor(self) -> str:
        return f"bokstav-{self.letter.lower()}"


@dataclass(frozen=True)
class StateCount:
    """How many kommuner are in one of the map's states, for its legend."""

    state: MapState
    count: int

    @property
    def label(self) -> str:
        """The legend's line for the state, such as Medborgarlöfte med publicerad uppföljning: 2 kommuner."""
        return f"{self.state.legend[:1].upper()}{self.state.legend[1:]}: {count_noun(self.count, 'kommun', 'kommuner')}"


@dataclass(frozen=True)
class National:
    """Every kommun of the registry with its answer, A–Ö, and apart from them the made-up example kommuner, worded
    the same way; `url` makes a site address a link (the base path)."""

    kommuner: list[KommunAnswer]
    fictional: list[KommunAnswer]
    url: Callable[[str], str]

    @property
    def without_content(self) -> list[KommunAnswer]:
        """The kommuner answered by a page of their own that says nothing is published here yet."""
        return [answer for answer in self.kommuner if answer.kommun is None]

    @cached_property
    def published(self) -> list[KommunAnswer]:
        return [answer for answer in self.kommuner if answer.current]

    @property
    def count_label(self) -> str:
        return published_label(len(self.published), len(self.kommuner))

    @cached_property
    def letters(self) -> list[LetterGroup]:
        return [LetterGroup(letter, list(group)) for letter, group in groupby(self.kommuner, key=_initial)]

    @cached_property
    def lan(self) -> list[LanOverview]:
        """The län A–Ö by name, as a reader looks a län up (SCB's code order is known to no reader), each with its
        kommuner A–Ö."""
        by_lan = sorted(self.kommuner, key=lambda answer: (sort_key(answer.lan.name), answer.lan.code))
        return [LanOverview(lan, list(group)) for lan, group in groupby(by_lan, key=lambda answer: answer.lan)]

    @cached_property
    def state_counts(self) -> list[StateCount]:
        """How many kommuner the map shows in each state, in the legend's order."""
        return [StateCount(state, sum(1 for a in self.kommuner if a.state is state)) for state in STATES]

    @cached_property
    def map(self) -> Markup:
        """The map of Sweden: each kommun a link to its answer, named by its state."""
        kommuner = {a.code: MapKommun(a.state.key, self.url(a.path), a.map_label) for a in self.kommuner}
        return sweden_map(kommuner, title=MAP_TITLE)

    def finder(self) -> bytes:
        """The finder's index for the front page's field, each kommun pointing at its answer."""
        return finder_payload({answer.code: self.url(answer.path) for answer in self.kommuner})


def national_view(site: Site, registry: Registry, url: Callable[[str], str]) -> National:
    """The 290 answers, A–Ö, each at the address `answer_slugs` gives it."""
    content = {kommun.code: kommun for kommun in site.kommuner if not kommun.fictional}
    slugs = answer_slugs(site, registry)
    answers = [KommunAnswer(kommun, slugs[code], content.get(code)) for code, kommun in registry.kommuner.items()]
    answers.sort(key=lambda answer: (sort_key(answer.name), answer.code))
    fictional = [
        KommunAnswer(
            RegistryKommun(kommun.code, kommun.organisation or kommun.name, kommun.name, kommun.lan),
            kommun.slug,
            kommun,
        )
        for kommun in site.kommuner
        if kommun.fictional
    ]
    return National(answers, fictional, url)


def answer_slugs(site: Site, registry: Registry) -> dict[str, str]:
    """Where each kommun of the registry is answered, by kommunkod. A content folder always wins its kommun's answer;
    a kommun without one gets its folder name from the registry, as `new kommun` makes it, or, where a folder or page
    of the site already has that address, the name with its kommunkod."""
    content = {kommun.code: kommun.slug for kommun in site.kommuner if not kommun.fictional}
    taken = reserved_addresses(site)
    return {
        code: content.get(code) or (f"{slug}-{code}" if slug in taken else slug)
        for code, slug in registry.slugs.items()
    }


def _fictional_answer(kommun: Kommun) -> KommunAnswer:
    """A made-up kommun as the lists show it: what its folder says in place of the registry's facts."""
    registered = RegistryKommun(kommun.code, kommun.organisation or kommun.name, kommun.name, kommun.lan)
    return KommunAnswer(registered, kommun.slug, kommun)


def reserved_addresses(site: Site) -> set[str]:
    """Addresses a kommun without content may not take: the site's own, its pages' and every content folder's."""
    return {*RESERVED_SLUGS, *(page.slug for page in site.pages), *(kommun.slug for kommun in site.kommuner)}


def published_label(published: int, total: int) -> str:
    return f"{published} av {count_noun(total, 'kommun', 'kommuner')} har publicerat ett medborgarlöfte här"


def lan_anchor(lan: Lan) -> str:
    return f"lan-{lan.code}"


def _initial(answer: KommunAnswer) -> str:
    return answer.name[:1].upper()
