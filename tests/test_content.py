"""The shipped content says what the five source documents say, and no more."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import REPO

from medborgarlofte.build.content import load_site


@pytest.fixture(scope="module")
def site():
    built, diagnostics = load_site(REPO, date(2026, 11, 21))
    assert built is not None, [d.format() for d in diagnostics.items]
    return built


def promise(site, kommun_slug: str, promise_slug: str):
    kommun = next(k for k in site.kommuner if k.slug == kommun_slug)
    return next(p for p in kommun.promises if p.slug == promise_slug)


def test_stromstad_targets_say_what_the_document_says(site) -> None:
    """ "Minst åttio (80)" is at least 80; "två (2) informationsträffar" is exactly two."""
    stromstad = promise(site, "stromstad", "2023-2024")
    targets = {c.id: c.target.label for c in stromstad.commitments if c.target}
    assert targets == {
        "trafikkontroller": "minst 80 trafikkontroller per år",
        "fot-cykelpatruller": "minst 40 fot- eller cykelpatruller per år",
        "skolbesok": "minst 30 skol- och fritidsgårdsbesök",
        "grann-batsamverkan": "2 informationsträffar per år",
        "dialogmoten": "minst 2 informationsmöten per år",
        "samverkanskonferens": "1 digital samverkanskonferens per år",
        "trygghetsvandringar-skolor": "2 trygghetsvandringar",
    }
    assert stromstad.signed == date(2023, 3, 21)
    assert len(stromstad.commitments) == 21


# Commitments whose sentence names nobody as responsible: they carry no `ansvar` (issue 15, checked against the
# five documents in tests/source-documents/).
UNSTATED_RESPONSIBILITY = {
    ("stromstad", "2023-2024"): {
        "krogar-mot-knark",
        "tidig-upptackt",
        "hundsok-skolor",
        "grann-batsamverkan",
        "dialogmoten",
        "belysning-gang-cykelvagar",
        "led-armaturer",
        "trygghetsvandringar-allmanheten",
        "trygghetsvandringar-skolor",
    },
    ("trollhattan", "2025-2026"): {"narkotika-centrum", "fokusgrupp-kollektivtrafiken", "unga-kriminalitet"},
    ("vaggeryd", "medborgarlofte"): {"trafiksakerhet-hastigheter"},
    ("trollhattan", "2021"): set(),
    ("ostersund", "medborgarlofte"): set(),
}


def test_ansvar_only_where_the_document_says_who(site) -> None:
    seen = {}
    for kommun in site.kommuner:
        for item in kommun.promises:
            seen[kommun.slug, item.slug] = {c.id for c in item.commitments if c.responsibility.key is None}
    assert seen == UNSTATED_RESPONSIBILITY
    stromstad = {c.id: c.responsibility.key for c in promise(site, "stromstad", "2023-2024").commitments}
    assert stromstad["vagledning-medarbetare"] == "kommunen"  # "Strömstads kommun ska som arbetsgivare …"
    assert stromstad["samverkanskonferens"] == "gemensamt"  # "Polisen och Strömstads kommun ska årligen …"
    assert stromstad["socialtjansten"] == "polisen"  # "Polisen ska samverka med socialtjänsten …"


def test_every_shipped_promise_names_its_source_document(site) -> None:
    for kommun in site.kommuner:
        for item in kommun.promises:
            assert item.source is not None, f"{kommun.slug}/{item.slug}"
            assert item.source.url is None, "no shipped document's address is known for certain"
    assert promise(site, "stromstad", "2023-2024").source.dated == date(2023, 3, 21)


def test_editors_notes_where_the_transcription_judged(site) -> None:
    notes = {(k.slug, p.slug): p.note for k in site.kommuner for p in k.promises}
    assert "tjänsteskrivelse" in notes["vaggeryd", "medborgarlofte"]
    assert "”i kommunen”" in notes["vaggeryd", "medborgarlofte"]
    assert "Under 2020 lovar Polisen" in notes["trollhattan", "2021"]
    assert "Kent Hansson" in notes["stromstad", "2023-2024"]
    assert "två spalter" in notes["ostersund", "medborgarlofte"]


def test_trollhattan_2025_has_the_pages_five_bullets_in_order_and_no_invented_focus_areas(
    site, shipped_site: Path
) -> None:
    item = promise(site, "trollhattan", "2025-2026")
    assert item.focus_areas == []
    assert [c.id for c in item.commitments] == [
        "narvaro-lagesbild",
        "narkotika-centrum",
        "narvaro-resecentrum",
        "fokusgrupp-kollektivtrafiken",
        "unga-kriminalitet",
    ]
    assert item.commitments[3].text == (
        "En tillfällig fokusgrupp ska tillsättas för att analysera situationen kring resecentrum. "
        "Riktade insatser i kollektivtrafiken ska genomföras."
    )
    assert [g.title for g in item.groups] == [None]
    for page in ("index.html", "2025-2026/index.html"):
        assert "Övriga åtaganden" not in (shipped_site / "trollhattan" / page).read_text()
    assert [s.label for s in item.signatories] == [
        "Jens Börretzen, Lokalpolisområdeschef, Polisen",
        "Peter Eriksson (M), Kommunstyrelsens ordförande, Trollhättans Stad",
    ]


def test_trollhattan_2021_narcotics_commitment_is_tied_to_no_focus_area(site) -> None:
    item = promise(site, "trollhattan", "2021")
    assert next(c for c in item.commitments if c.id == "narkotika-gor").focus_area is None


def test_trollhattan_contact_centre_is_on_the_kommun_page(site, shipped_site: Path) -> None:
    contact = next(k for k in site.kommuner if k.slug == "trollhattan").contact
    assert (contact.name, contact.visiting_address, contact.opening_hours) == (
        "Kontaktcenter",
        "Gärdhemsvägen 9, 461 83 Trollhättan",
        "Helgfria vardagar, måndag–fredag: 8:00–16:30",
    )
    html = (shipped_site / "trollhattan" / "index.html").read_text()
    assert "<dt>Vänd dig till:</dt> <dd>Kontaktcenter</dd>" in html
    assert "<dt>Besöksadress:</dt> <dd>Gärdhemsvägen 9, 461 83 Trollhättan</dd>" in html
    assert "<dt>Öppettider:</dt> <dd>Helgfria vardagar, måndag–fredag: 8:00–16:30</dd>" in html


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
    assert "<dt>Period:</dt> <dd>anges inte i dokumentet</dd>" in html
    assert "Period: anges inte i dokumentet ·" in html


def test_vaggeryd_is_a_proposal(site) -> None:
    assert promise(site, "vaggeryd", "medborgarlofte").state == "förslag"


def test_stromstad_signatories_as_the_document_gives_them(shipped_site: Path) -> None:
    html = (shipped_site / "stromstad" / "2023-2024" / "index.html").read_text()
    signatories = html[html.index('id="undertecknare"') :]
    assert "<li>Kent Hansson (rollen anges inte i dokumentet)</li>" in signatories
    assert "<li>Kommunstyrelsens ordförande, Strömstads kommun (namnet anges inte i dokumentet)</li>" in signatories


def test_commitments_are_grouped_by_focus_area_in_document_order(site) -> None:
    stromstad = promise(site, "stromstad", "2023-2024")
    assert [g.title for g in stromstad.groups] == stromstad.focus_areas


def test_registry_is_part_of_the_project(site) -> None:
    assert site.total_kommuner == 290
