"""The registry of Sweden's 290 kommuner and 21 län (SCB codes), shipped with the package.

Län is looked up from the kommunkod so that nobody has to type it, and the registry is what lets the site say how many
of the 290 kommuner have published a promise.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources

SOURCE = "Kommuner, län och deras koder: sjbrg/swedish-geodata (CC0; koderna från SCB, Statistiska centralbyrån)."


@dataclass(frozen=True)
class Lan:
    code: str
    name: str


FICTIONAL_LAN = Lan("99", "Påhittade exempelkommuner")


@dataclass(frozen=True)
class RegistryKommun:
    code: str
    official_name: str
    name: str
    lan: Lan


@dataclass(frozen=True)
class Registry:
    kommuner: dict[str, RegistryKommun]
    lan: dict[str, Lan]

    def slug(self, kommun: RegistryKommun) -> str:
        """The folder name: Trollhättan → trollhattan. Håbo and Habo fold to the same letters, so those two get
        their kommunkod as well (habo-0305, habo-0643)."""
        return self.slugs[kommun.code]

    @cached_property
    def slugs(self) -> dict[str, str]:
        """Every kommun's folder name by kommunkod, made in one pass (the national pages ask for all 290)."""
        folded = {code: slugify(kommun.name) for code, kommun in self.kommuner.items()}
        counts = Counter(folded.values())
        return {code: f"{slug}-{code}" if counts[slug] > 1 else slug for code, slug in folded.items()}

    def by_name(self, name: str) -> RegistryKommun | None:
        folded = name.casefold()
        return next(
            (k for k in self.kommuner.values() if folded in (k.name.casefold(), k.official_name.casefold())),
            None,
        )


def rows(filename: str) -> list[dict[str, str]]:
    text = resources.files("medborgarlofte").joinpath("data", filename).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def load_registry() -> Registry:
    lan = {row["county_code"]: Lan(row["county_code"], row["county_name"]) for row in rows("lan.csv")}
    kommuner = {
        row["municipality_code"]: RegistryKommun(
            row["municipality_code"],
            row["municipality_name"],
            row["municipality_name_short"],
            lan[row["county_code"]],
        )
        for row in rows("kommuner.csv")
    }
    return Registry(kommuner, lan)


def slugify(name: str) -> str:
    """Trollhättan → trollhattan, Åre → are, Upplands Väsby → upplands-vasby."""
    table = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})
    folded = name.casefold().translate(table)
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-") or "namn"
