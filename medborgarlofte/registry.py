"""The registry of Sweden's 290 kommuner and 21 län (SCB codes), shipped with the package.

Län is looked up from the kommunkod so that nobody has to type it, and the registry is what lets the site say how many
of the 290 kommuner have published a promise.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources


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

    def by_name(self, name: str) -> RegistryKommun | None:
        folded = name.casefold()
        return next(
            (k for k in self.kommuner.values() if folded in (k.name.casefold(), k.official_name.casefold())),
            None,
        )


def _rows(filename: str) -> list[dict[str, str]]:
    text = resources.files(__package__).joinpath("data", filename).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def load_registry() -> Registry:
    lan = {row["county_code"]: Lan(row["county_code"], row["county_name"]) for row in _rows("lan.csv")}
    kommuner = {
        row["municipality_code"]: RegistryKommun(
            row["municipality_code"],
            row["municipality_name"],
            row["municipality_name_short"],
            lan[row["county_code"]],
        )
        for row in _rows("kommuner.csv")
    }
    return Registry(kommuner, lan)
