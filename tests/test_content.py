"""The shipped content says what the five source documents say, and no more."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import REPO

from medborgarlofte.pipeline import load_site


@pytest.fixture(scope="module")
def site():
    built, diagnostics = load_site(REPO, date(2026, 11, 21))
    assert built is not None, [d.format() for d in diagnostics.items]
    return built


def promise(site, kommun_slug: str, promise_slug: str):
    kommun = next(k for k in site.kommuner if k.slug == kommun_slug)
    return next(p for p in kommun.promises if p.slug == promise_slug)


def test_stromstad_numeric_targets_are_targets(site) -> None:
    stromstad = promise(site, "stromstad", "2023-2024")
    targets = {c.id: c.target.label for c in stromstad.commitments if c.target}
    assert targets["trafikkontroller"] == "80 trafikkontroller per år"
    assert len(targets) == 7
    assert stromstad.signed == date(2023, 3, 21)
    assert len(stromstad.commitments) == 21


def test_every_commitment_has_a_responsible_party(site) -> None:
    for kommun in site.kommuner:
        for item in kommun.promises:
            assert item.commitments
            assert all(c.responsibility in {"polisen", "kommunen", "gemensamt"} for c in item.commitments)


def test_trollhattan_current_promise_first_and_earlier_listed(site, shipped_site: Path) -> None:
    trollhattan = next(k for k in site.kommuner if k.slug == "trollhattan")
    assert trollhattan.current.slug == "2025-2026"
    assert [p.slug for p in trollhattan.earlier] == ["2021"]
    html = (shipped_site / "trollhattan" / "index.html").read_text()
    assert html.index("Medborgarlöftet för ett tryggare Trollhättan") < html.index("Tidigare medborgarlöften")
    assert "Medborgarlöfte i Trollhättan 2021" in html.split("Tidigare medborgarlöften")[1]


def test_trollhattan_2021_keeps_diarienummer_and_signatories(site) -> None:
    item = promise(site, "trollhattan", "2021")
    assert [(n.organisation, n.number) for n in item.registration_numbers] == [
        ("Polisen", "483, A018.863/2021"),
        ("Trollhättans Stad", "KS 2020/00859"),
    ]
    assert [s.name for s in item.signatories] == ["Jenny Wester", "Paul Åkerlund"]
    assert item.signed is None


@pytest.mark.parametrize("kommun_slug", ["vaggeryd", "ostersund"])
def test_unstated_period_is_not_invented_and_the_page_says_so(site, shipped_site: Path, kommun_slug: str) -> None:
    item = promise(site, kommun_slug, "medborgarlofte")
    assert item.period is None
    html = (shipped_site / kommun_slug / "medborgarlofte" / "index.html").read_text()
    assert "Perioden anges inte i dokumentet" in html


def test_vaggeryd_is_a_proposal(site) -> None:
    assert promise(site, "vaggeryd", "medborgarlofte").state == "förslag"


def test_stromstad_signatories_without_names_say_so(shipped_site: Path) -> None:
    html = (shipped_site / "stromstad" / "2023-2024" / "index.html").read_text()
    assert "Namnet framgår inte tydligt av dokumentet, Kommunstyrelsens ordförande" in html


def test_commitments_are_grouped_by_focus_area_in_document_order(site) -> None:
    stromstad = promise(site, "stromstad", "2023-2024")
    assert [g.title for g in stromstad.groups] == stromstad.focus_areas


def test_registry_is_part_of_the_project(site) -> None:
    assert site.total_kommuner == 290
