"""Hitta din kommun: every kommun's name, every ort and every postal code, to the kommun or kommuner they belong to.

The index comes from the registry (`data/kommuner.csv`) and `data/postal_to_municipality.csv` (15,463 postal codes with
their ort). An ort can lie in several kommuner (Södertälje in three), and a search keeps all of them. Postal codes are
kept as runs: consecutive known codes in one kommun make one run (745 runs for the whole country), which is both
small enough to send to a browser and an answer for the box and company codes the data leaves out, since a code
between two codes of the same kommun is in that kommun.

`find` answers a query here (tests, the build); `finder_payload` is the same index as a compact JSON file that the
front page's field loads on demand, to answer as the user types in the same way `find` does.
"""

from __future__ import annotations

import bisect
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from functools import cache, cached_property

from medborgarlofte.content.registry import RegistryKommun, load_registry, rows
from medborgarlofte.swedish import sort_key

POSTAL_CODE_DIGITS = 5
SHORTEST_POSTAL_PREFIX = 3
SOURCE = (
    "Postnummer och orter: sjbrg/swedish-geodata (CC0; postnummer från september 2024, kommunkoder från SCB). "
    "Omkring 82 procent av alla postnummer; box- och företagsnummer saknas."
)


class MatchKind(Enum):
    """What a query matched, in the order answers are listed when they are equally good."""

    KOMMUN = "kommun"
    ORT = "ort"
    POSTNUMMER = "postnummer"
    POSTNUMMEROMRADE = "postnummerområde"


_KIND_ORDER = {kind: i for i, kind in enumerate(MatchKind)}


@dataclass(frozen=True)
class Match:
    """One kommun that answers a query, and why: `text` is what matched, as it is written (the ort "Södertälje", the
    postal code "441 30", the start of postal codes "441")."""

    code: str
    name: str
    kind: MatchKind
    text: str


@dataclass(frozen=True)
class PostalRun:
    """Consecutive known postal codes, `first` to `last`, all in one kommun."""

    first: int
    last: int
    code: str


@dataclass(frozen=True)
class _Name:
    """A name a query can match: a kommun's short or official name, or an ort."""

    text: str
    folded: str
    kind: MatchKind
    codes: tuple[str, ...]


def fold(text: str) -> str:
    """The form names and queries are compared in: lower case, å ä ö é as a a o e, hyphens and any other marks as
    single spaces ("Upplands-Väsby " → "upplands vasby", "441 30" → "441 30"). The browser does the same with
    `text.toLowerCase().normalize("NFKD").replace(/\\p{M}/gu, "").match(/[0-9a-z]+/g)?.join(" ") ?? ""`."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.findall(r"[0-9a-z]+", letters))


def format_postal_code(digits: str) -> str:
    """44130 → 441 30, as postal codes are written; a shorter start of one keeps its space after three digits."""
    return digits if len(digits) <= SHORTEST_POSTAL_PREFIX else f"{digits[:3]} {digits[3:]}"


@dataclass(frozen=True)
class Places:
    """The finder's index. `kommuner` is in Swedish alphabetical order (Å, Ä, Ö last), the order equally good answers
    are listed in; the payload refers to kommuner by their position in it."""

    kommuner: tuple[RegistryKommun, ...]
    orter: dict[str, tuple[str, ...]]
    runs: tuple[PostalRun, ...]

    @cached_property
    def _position(self) -> dict[str, int]:
        return {kommun.code: i for i, kommun in enumerate(self.kommuner)}

    @cached_property
    def _firsts(self) -> list[int]:
        return [run.first for run in self.runs]

    @cached_property
    def _names(self) -> list[_Name]:
        names = []
        for kommun in self.kommuner:
            for text in dict.fromkeys((kommun.name, kommun.official_name)):
                names.append(_Name(text, fold(text), MatchKind.KOMMUN, (kommun.code,)))
        names += [_Name(ort, fold(ort), MatchKind.ORT, codes) for ort, codes in self.orter.items()]
        return names

    def find(self, query: str) -> list[Match]:
        """The kommuner that answer a query, best first, each once: a postal code (with or without its space) or its
        first three or four digits, otherwise a kommun's name or an ort, whole or its start, or the start of a later
        word in it ("väsby" finds Upplands Väsby). A whole name spelt as given comes before one that only matches
        without its å, ä and ö (Håbo before Habo for "Håbo", Habo first for "Habo")."""
        folded = fold(query)
        digits = folded.replace(" ", "")
        if digits.isdigit():
            return self._by_postal_code(digits)
        return self._by_name(query, folded) if folded else []

    def _by_name(self, query: str, folded: str) -> list[Match]:
        typed = query.strip().casefold()
        best: dict[str, tuple[tuple[int, int, int], Match]] = {}
        position = self._position
        for name in self._names:
            rank = _name_rank(name, folded, typed)
            if rank is None:
                continue
            for code in name.codes:
                key = (rank, _KIND_ORDER[name.kind], position[code])
                if code not in best or key < best[code][0]:
                    best[code] = (key, Match(code, self.kommuner[position[code]].name, name.kind, name.text))
        return [match for _, match in sorted(best.values(), key=lambda item: item[0])]

    def _by_postal_code(self, digits: str) -> list[Match]:
        """A whole code in a run is that run's kommun; a start of a code, or a whole code between runs of different
        kommuner, gives every kommun with codes that start the same way."""
        if len(digits) == POSTAL_CODE_DIGITS:
            index = bisect.bisect_right(self._firsts, int(digits)) - 1
            run = self.runs[index] if index >= 0 else None
            if run and int(digits) <= run.last:
                return [self._match(run.code, MatchKind.POSTNUMMER, format_postal_code(digits))]
            return self._by_postal_code(digits[:4]) or self._by_postal_code(digits[:3])
        if not SHORTEST_POSTAL_PREFIX <= len(digits) < POSTAL_CODE_DIGITS:
            return []
        width = 10 ** (POSTAL_CODE_DIGITS - len(digits))
        low, high = int(digits) * width, (int(digits) + 1) * width - 1
        codes = {run.code for run in self.runs if run.first <= high and run.last >= low}
        position = self._position
        return [
            self._match(code, MatchKind.POSTNUMMEROMRADE, format_postal_code(digits))
            for code in sorted(codes, key=position.__getitem__)
        ]

    def _match(self, code: str, kind: MatchKind, text: str) -> Match:
        return Match(code, self.kommuner[self._position[code]].name, kind, text)

    def localities(self, code: str) -> tuple[str, ...]:
        """The orter of a kommun, in Swedish alphabetical order: what a page about the kommun can name, and what its
        search entry can be found by."""
        return self._localities.get(code, ())

    @cached_property
    def _localities(self) -> dict[str, tuple[str, ...]]:
        """Every kommun's orter, made in one pass over the orter: the national pages ask for all 290 kommuner's."""
        by_code: dict[str, list[str]] = defaultdict(list)
        for ort, codes in self.orter.items():
            for code in codes:
                by_code[code].append(ort)
        return {code: tuple(orter) for code, orter in by_code.items()}

    def payload(self, hrefs: Mapping[str, str]) -> bytes:
        """The index as compact JSON for the browser, with each kommun's address from `hrefs` (kommunkod → URL):

        - `kommuner`: [kommunkod, name, official name, href], in the order of `self.kommuner`;
        - `orter`: ort → the position of its kommun, or a list of positions when it lies in several;
        - `postnummer`: the runs as a flat list of three numbers each: the run's first code minus the previous run's
          last (the first run: minus 0), its last code minus its first, its kommun's position.

        Keys are sorted and there is no whitespace, so the same data gives the same bytes."""
        missing = [kommun.code for kommun in self.kommuner if kommun.code not in hrefs]
        if missing:
            raise ValueError(f"Adress saknas för kommunkoderna {', '.join(missing)}.")
        position = self._position
        orter = {
            ort: position[codes[0]] if len(codes) == 1 else sorted(position[code] for code in codes)
            for ort, codes in self.orter.items()
        }
        runs: list[int] = []
        previous = 0
        for run in self.runs:
            runs += [run.first - previous, run.last - run.first, position[run.code]]
            previous = run.last
        data = {
            "kommuner": [[k.code, k.name, k.official_name, hrefs[k.code]] for k in self.kommuner],
            "orter": orter,
            "postnummer": runs,
        }
        return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _name_rank(name: _Name, folded: str, typed: str) -> int | None:
    """0 for the whole name spelt as typed, 1 for the whole name without its diacritics, 2 for its start, 3 for the
    start of a later word in it; None when it does not match."""
    if name.folded == folded:
        return 0 if name.text.casefold() == typed else 1
    if name.folded.startswith(folded):
        return 2
    return 3 if f" {folded}" in f" {name.folded}" else None


@cache
def load_places() -> Places:
    """The index from the shipped registry and postal codes, built once per process."""
    registry = load_registry()
    kommuner = tuple(sorted(registry.kommuner.values(), key=lambda k: (sort_key(k.name), k.code)))
    position = {kommun.code: i for i, kommun in enumerate(kommuner)}
    postal = sorted(rows("postal_to_municipality.csv"), key=lambda row: row["postal_code"])
    orter: dict[str, set[str]] = defaultdict(set)
    runs: list[PostalRun] = []
    for row in postal:
        code, postal_code = row["municipality_code"], int(row["postal_code"])
        orter[row["locality"]].add(code)
        if runs and runs[-1].code == code:
            runs[-1] = PostalRun(runs[-1].first, postal_code, code)
        else:
            runs.append(PostalRun(postal_code, postal_code, code))
    ordered = {
        ort: tuple(sorted(orter[ort], key=position.__getitem__))
        for ort in sorted(orter, key=lambda o: (sort_key(o), o))
    }
    return Places(kommuner, ordered, tuple(runs))


def find(query: str) -> list[Match]:
    """The kommuner that answer a query for "hitta din kommun", best first (see `Places.find`)."""
    return load_places().find(query)


def finder_payload(hrefs: Mapping[str, str]) -> bytes:
    """The finder's static JSON file (see `Places.payload`)."""
    return load_places().payload(hrefs)
