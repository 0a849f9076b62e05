"""Derived views of the model: state from period and date, grouping, labels, Swedish conventions."""

from __future__ import annotations

from datetime import date

import pytest

from medborgarlofte.content.model import (
    RESPONSIBILITY_BY_KEY,
    Commitment,
    Period,
    derive_state,
    group_commitments,
    years_covered,
)
from medborgarlofte.content.registry import load_registry, slugify
from medborgarlofte.content.schema import DateRange, PromiseFile
from medborgarlofte.swedish import format_date, format_number, sort_key

MINIMAL = {"rubrik": "Löfte", "åtaganden": [{"id": "a", "text": "Text.", "ansvar": "polisen"}]}


def entry(**extra) -> PromiseFile:
    return PromiseFile.model_validate(MINIMAL | extra)


def test_period_forms_become_date_ranges() -> None:
    assert entry(period=2021).period.start == date(2021, 1, 1)
    assert entry(period="2023–2024").period.end == date(2024, 12, 31)
    assert entry(period="2023-2024").period.start == date(2023, 1, 1)
    exact = entry(period={"från": date(2021, 7, 1), "till": date(2023, 6, 30)}).period
    assert Period(exact.start, exact.end).label == "2021-07-01 – 2023-06-30"
    assert Period(date(2023, 1, 1), date(2024, 12, 31)).label == "2023–2024"
    assert Period(date(2021, 1, 1), date(2021, 12, 31)).label == "2021"


def test_state_is_derived_from_period_and_build_date_unless_stated() -> None:
    period = Period(date(2025, 1, 1), date(2026, 12, 31))
    assert derive_state(entry(), period, date(2024, 12, 31)) == "förslag"
    assert derive_state(entry(), period, date(2025, 6, 1)) == "gällande"
    assert derive_state(entry(), period, date(2027, 1, 1)) == "avslutat"
    assert derive_state(entry(status="förslag"), period, date(2025, 6, 1)) == "förslag"
    assert derive_state(entry(), None, date(2025, 6, 1)) is None


def test_commitments_without_focus_area_come_last() -> None:
    items = [
        Commitment("a", "A", RESPONSIBILITY_BY_KEY["polisen"], None, None),
        Commitment("b", "B", RESPONSIBILITY_BY_KEY["polisen"], "Trafik", None),
        Commitment("c", "C", RESPONSIBILITY_BY_KEY[None], "Narkotika", None),
    ]
    groups = group_commitments(["Narkotika", "Trafik", "Tom"], items)
    assert [(g.title, [c.id for c in g.commitments]) for g in groups] == [
        ("Narkotika", ["c"]),
        ("Trafik", ["b"]),
        ("Övriga åtaganden", ["a"]),
    ]


def test_commitments_of_a_promise_without_focus_areas_have_no_heading() -> None:
    """ "Övriga åtaganden" only where there are others: a promise that names no fokusområde lists them plainly."""
    items = [Commitment("a", "A", RESPONSIBILITY_BY_KEY[None], None, None)]
    assert [(g.title, [c.id for c in g.commitments]) for g in group_commitments([], items)] == [(None, ["a"])]


def test_swedish_conventions() -> None:
    assert format_number(1200) == "1\u202f200"
    assert format_number(2.5) == "2,5"
    assert format_date(date(2023, 3, 21)) == "21 mars 2023"
    names = ["Örebro", "Åre", "Ängelholm", "Ale", "Öckerö"]
    assert sorted(names, key=sort_key) == ["Ale", "Åre", "Ängelholm", "Öckerö", "Örebro"]
    assert slugify("Trollhättan") == "trollhattan"
    assert slugify("Upplands Väsby") == "upplands-vasby"
    registry = load_registry()
    assert registry.slug(registry.kommuner["0305"]) == "habo-0305"  # Håbo
    assert registry.slug(registry.kommuner["0643"]) == "habo-0643"  # Habo
    assert registry.slug(registry.kommuner["1488"]) == "trollhattan"
    assert len({registry.slug(k) for k in registry.kommuner.values()}) == 290


def test_registry_has_290_kommuner_in_21_lan() -> None:
    registry = load_registry()
    assert len(registry.kommuner) == 290
    assert len(registry.lan) == 21
    assert registry.kommuner["0114"].name == "Upplands Väsby"
    assert registry.kommuner["2380"].lan.name == "Jämtlands län"
    assert registry.by_name("trollhättan").code == "1488"


JANUARY_2026 = date(2026, 1, 20)


@pytest.mark.parametrize(
    ("covers", "years"),
    [
        ("Hösten 2025", "2025"),
        ("2025", "2025"),
        ("2025–2026", "2025–2026"),
        ("Hösten 2025 och våren 2026", "2025–2026"),
        ("Andra halvåret 2025 (juli–december)", "2025"),
        (DateRange.model_validate({"från": date(2025, 7, 1), "till": date(2025, 12, 31)}), "2025"),
        (DateRange.model_validate({"från": date(2024, 7, 1), "till": date(2025, 6, 30)}), "2024–2025"),
        ("Hösten", "2026"),
        ("Ärende 12025", "2026"),
        (None, "2026"),
    ],
)
def test_an_outcome_belongs_to_the_years_avser_names_else_to_the_year_published(covers, years) -> None:
    assert years_covered(covers, JANUARY_2026) == years
