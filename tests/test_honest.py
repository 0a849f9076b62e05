"""A format that never makes anyone state what the document does not say (issue 15), in every output.

A made-up kommun's promise has what the five real documents need: a commitment whose document names nobody as
responsible, a target of each comparison (minst, högst and an exact antal) with a reported outcome, the source document
(`källa`) with a real-looking address, an editors' note (`anmärkning`), a signatory with only a name, one with only a
role and one with a party. It is built once, PDF included, and each output is read the way its reader would: the pages
as HTML, the PDF's text with pypdf, the JSON against the published JSON Schema, the CSV as a spreadsheet would, the
feed as Atom.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
from html import unescape
from pathlib import Path

import pytest
from conftest import FIXTURES, indexed
from test_downloads import BUILD_DATE, COLUMNS, _errors, _validator, build_quietly, download, pdf_text, read_csv
from test_validation import PROMISE, VALID_PROMISE, check, find, reported, write

from medborgarlofte.build.content import load_site

KOMMUN_YAML = """\
namn: Rättvisby
kommunkod: "9903"
fiktiv: true
lokalpolisområde: Exempeldalen
kontakt:
  namn: Kontaktcenter
  besöksadress: Storgatan 1, 999 99 Rättvisby
  öppettider: "Helgfria vardagar: 8:00–16:30"
"""
PROMISE_MD = """\
---
rubrik: Medborgarlöfte för Rättvisby 2025–2026
period: 2025–2026
undertecknat: 2025-02-01
undertecknare:
  - namn: Kim Namnsson
  - roll: Kommunstyrelsens ordförande
    organisation: Rättvisby kommun
  - namn: Alex Partisson
    parti: S
    roll: Lokalpolisområdeschef
    organisation: Polisen
källa:
  titel: Medborgarlöfte Rättvisby 2025–2026
  utgivare: Rättvisby kommun och Polisen
  datum: 2025-02-01
  url: https://example.org/rattvisby/medborgarlofte.pdf
anmärkning: Dokumentet anger namnet Kim Namnsson vid underskrifterna men inte vilken roll namnet hör till.
åtaganden:
  - id: kontroller
    text: Polisen ska göra minst åttio kontroller per år.
    ansvar: polisen
    mål: {minst: 80, enhet: kontroller, per: år}
  - id: inbrott
    text: Högst fem anmälda inbrott i centrum per år.
    mål: {högst: 5, enhet: anmälda inbrott, per: år}
  - id: vandringar
    text: Kommunen ska genomföra två trygghetsvandringar per år.
    ansvar: kommunen
    mål: {antal: 2, enhet: trygghetsvandringar, per: år}
  - id: belysning
    text: Förbättra belysningen vid skolorna.
---
Påhittad bakgrund.
"""
FOLLOW_UP_MD = """\
---
datum: 2025-12-15
avser: 2025
åtaganden:
  kontroller:
    status: genomfört
    utfall: 84
  inbrott:
    status: ej genomfört
    utfall: 7
  vandringar:
    status: pågår
    utfall: 1
---
Helårsuppföljning.
"""
ID = "rattvisby/2025-2026"
NOTE = "Dokumentet anger namnet Kim Namnsson vid underskrifterna men inte vilken roll namnet hör till."
SIGNATORIES = [
    "Kim Namnsson (rollen anges inte i dokumentet)",
    "Kommunstyrelsens ordförande, Rättvisby kommun (namnet anges inte i dokumentet)",
    "Alex Partisson (S), Lokalpolisområdeschef, Polisen",
]
PROGRESS = {
    "kontroller": "2025: 84 av minst 80 kontroller, målet är nått",
    "inbrott": "2025: 7 av högst 5 anmälda inbrott, 2 över målet",
    "vandringar": "2025: 1 av 2 trygghetsvandringar, 1 kvar till målet",
}
TARGETS = {
    "kontroller": "minst 80 kontroller per år",
    "inbrott": "högst 5 anmälda inbrott per år",
    "vandringar": "2 trygghetsvandringar per år",
}
BY_RESPONSIBILITY = [
    "Polisen: 1 av 1 åtagande bedömt: 1 genomfört",
    "Kommunen: 1 av 1 åtagande bedömt: 1 pågår",
    "Anges inte: 1 av 2 åtaganden bedömt: 1 ej genomfört; 1 ej bedömt",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The minimal fixture with the made-up kommun beside it, built with PDFs: (content root, site)."""
    root = tmp_path_factory.mktemp("arlig") / "innehall"
    shutil.copytree(FIXTURES / "minimal", root)
    write(root, "kommuner/rattvisby/kommun.yaml", KOMMUN_YAML)
    write(root, f"kommuner/{ID}/medborgarlofte.md", PROMISE_MD)
    write(root, f"kommuner/{ID}/uppfoljningar/2025-12.md", FOLLOW_UP_MD)
    out = root.parent / "_site"
    build_quietly(root, out)
    return root, out


def page_text(path: Path) -> str:
    """The visible text of a page's main part, tags removed and whitespace collapsed."""
    html = path.read_text(encoding="utf-8")
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", main))).strip()


def normal(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def commitment_card(html: str, commitment_id: str) -> str:
    start = html.index(f'id="2025-2026-{commitment_id}"')
    return html[start : html.index("</li>", start)]


# --- The promise page -----------------------------------------------------------------------------------------------


def test_page_says_where_the_document_names_nobody_responsible(built) -> None:
    html = (built[1] / ID / "index.html").read_text(encoding="utf-8")
    for commitment_id in ("inbrott", "belysning"):
        assert "<dt>Ansvar:</dt> <dd>anges inte i dokumentet</dd>" in commitment_card(html, commitment_id)
    assert "<dt>Ansvar:</dt> <dd>Polisen</dd>" in commitment_card(html, "kontroller")
    assert "Gemensamt" not in commitment_card(html, "belysning")


def test_page_shows_each_target_and_outcome_in_its_comparison(built) -> None:
    html = (built[1] / ID / "index.html").read_text(encoding="utf-8")
    for commitment_id, target in TARGETS.items():
        card = commitment_card(html, commitment_id)
        assert f"<dt>Mål:</dt> <dd>{target}</dd>" in card
        assert PROGRESS[commitment_id] in card
    # Lower is better for `högst`: no bar that fills up towards the ceiling as if that were progress.
    assert "<progress" not in commitment_card(html, "inbrott")
    assert '<progress max="80" value="80"' in commitment_card(html, "kontroller")
    assert "utfall 84 av minst 80 kontroller" in page_text(built[1] / ID / "index.html")
    assert "utfall 7 av högst 5 anmälda inbrott" in page_text(built[1] / ID / "index.html")


def test_page_shows_the_source_document_and_the_editors_note(built) -> None:
    html = (built[1] / ID / "index.html").read_text(encoding="utf-8")
    assert (
        '<dt>Källa:</dt> <dd><a href="https://example.org/rattvisby/medborgarlofte.pdf">Medborgarlöfte Rättvisby '
        "2025–2026</a>, Rättvisby kommun och Polisen, 1 februari 2025</dd>"
    ) in html
    start = html.index('<aside class="editor-note"')
    note = html[start : html.index("</aside>", start)]
    assert '<h2 id="2025-2026-anmarkning">Redaktionens anmärkning</h2>' in note
    assert f"<p>{NOTE}</p>" in note
    # Near the top, before the commitments: a reader meets the note before the texts it is about.
    assert html.index("Redaktionens anmärkning") < html.index('id="ataganden"')


def test_page_lists_signatories_as_the_document_gives_them(built) -> None:
    html = (built[1] / ID / "index.html").read_text(encoding="utf-8")
    signatories = html[html.index('id="undertecknare"') :]
    for label in SIGNATORIES:
        assert f"<li>{label}</li>" in signatories


def test_status_summary_split_by_ansvar_counts_the_unstated_on_their_own(built) -> None:
    for path in (built[1] / ID / "index.html", built[1] / "rattvisby" / "index.html"):
        text = page_text(path)
        assert "Läget efter ansvar: " + " ".join(BY_RESPONSIBILITY) in text, path


def test_search_filters_of_the_built_pages_have_ansvar_anges_inte(built) -> None:
    """On the promise's page; the kommun page carries none of its promises' filters (test_search.py)."""
    pages = indexed(built[1])
    assert pages[f"/{ID}/"]["filters"]["ansvar"] == ["Polisen", "Kommunen", "Anges inte"]
    kommun = pages["/rattvisby/"]["filters"]
    assert kommun and "ansvar" not in kommun


def test_kommun_page_shows_the_note_and_the_contact_address_and_hours(built) -> None:
    html = (built[1] / "rattvisby" / "index.html").read_text(encoding="utf-8")
    assert f"<p>{NOTE}</p>" in html
    assert "<dt>Besöksadress:</dt> <dd>Storgatan 1, 999 99 Rättvisby</dd>" in html
    assert "<dt>Öppettider:</dt> <dd>Helgfria vardagar: 8:00–16:30</dd>" in html


def test_data_page_describes_the_new_fields(built) -> None:
    text = page_text(built[1] / "data" / "index.html")
    for words in (
        "nu 2.0",
        "exakt en av minst (”minst 80”), högst (”högst 5”, där lägre är bättre) och antal (ett exakt antal)",
        "ansvar (polisen, kommunen eller gemensamt; null där dokumentet inte säger vem)",
        "url finns bara där en verklig adress är känd, aldrig gissad",
        "Redaktionens anmärkning",
        "mål_minst",
        "mål_högst",
    ):
        assert words in text, words


# --- The PDF ---------------------------------------------------------------------------------------------------------


def test_pdf_carries_ansvar_targets_outcomes_source_note_signatories_and_summaries(built) -> None:
    text = pdf_text(download(built[1], ID, "pdf"))
    assert text.count("Ansvar: anges inte i dokumentet.") == 2
    for target in TARGETS.values():
        assert f"Mål: {target}." in text
    for progress in PROGRESS.values():
        assert f"Utfall: {progress}." in text
    assert "Källa Medborgarlöfte Rättvisby 2025–2026, Rättvisby kommun och Polisen, 1 februari 2025" in text
    assert "https://example.org/rattvisby/medborgarlofte.pdf" in re.sub(r"\s", "", text)
    assert f"Redaktionens anmärkning {NOTE}" in text
    for label in SIGNATORIES:
        assert label in text
    for line in BY_RESPONSIBILITY:
        assert line in text


# --- JSON and its schema ---------------------------------------------------------------------------------------------


def _record(site: Path) -> dict:
    return json.loads(download(site, ID, "json").read_text(encoding="utf-8"))


def test_json_carries_null_ansvar_each_comparison_source_note_and_signatories(built) -> None:
    document = _record(built[1])
    validator, _ = _validator(built[1], "medborgarlofte.schema.json")
    assert not (errors := _errors(validator, document)), errors
    assert document["schemaversion"] == "2.0"
    promise = document["medborgarlöfte"]
    commitments = {c["id"]: c for c in promise["åtaganden"]}
    assert {key: c["ansvar"] for key, c in commitments.items()} == {
        "kontroller": "polisen",
        "inbrott": None,
        "vandringar": "kommunen",
        "belysning": None,
    }
    assert commitments["kontroller"]["mål"] == {
        "minst": 80,
        "högst": None,
        "antal": None,
        "enhet": "kontroller",
        "per": "år",
    }
    assert commitments["inbrott"]["mål"]["högst"] == 5
    assert commitments["vandringar"]["mål"]["antal"] == 2
    assert commitments["belysning"]["mål"] is None
    assert promise["källa"] == {
        "titel": "Medborgarlöfte Rättvisby 2025–2026",
        "utgivare": "Rättvisby kommun och Polisen",
        "datum": "2025-02-01",
        "url": "https://example.org/rattvisby/medborgarlofte.pdf",
    }
    assert promise["anmärkning"] == NOTE
    assert promise["undertecknare"] == [
        {"namn": "Kim Namnsson", "parti": None, "roll": None, "organisation": None},
        {"namn": None, "parti": None, "roll": "Kommunstyrelsens ordförande", "organisation": "Rättvisby kommun"},
        {"namn": "Alex Partisson", "parti": "S", "roll": "Lokalpolisområdeschef", "organisation": "Polisen"},
    ]


def test_data_set_json_validates_with_the_new_fields(built) -> None:
    validator, _ = _validator(built[1], "medborgarloften.schema.json")
    document = json.loads((built[1] / "data" / "medborgarloften.json").read_text(encoding="utf-8"))
    assert not (errors := _errors(validator, document)), errors
    assert document["schemaversion"] == "2.0"


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda p: p["åtaganden"][0]["mål"].update(antal=80), "two comparisons"),
        (lambda p: p["åtaganden"][0]["mål"].update(minst=None), "no comparison"),
        (lambda p: p["åtaganden"][0].update(ansvar="regionen"), "an ansvar that is no party"),
        (lambda p: p["undertecknare"][0].update(namn=None), "a signatory with neither name nor role"),
        (lambda p: p["källa"].update(utgivare=None), "a source without its publisher"),
    ],
)
def test_schema_refuses_what_the_format_refuses(built, change, why: str) -> None:
    document = _record(built[1])
    validator, _ = _validator(built[1], "medborgarlofte.schema.json")
    broken = copy.deepcopy(document)
    change(broken["medborgarlöfte"])
    assert _errors(validator, broken), f"the schema accepts {why}"


# --- CSV and the feed ------------------------------------------------------------------------------------------------


def test_csv_has_an_empty_ansvar_each_comparison_source_and_note(built) -> None:
    for path in (download(built[1], ID, "csv"), built[1] / "data" / "medborgarloften.csv"):
        rows = {r["åtagande_id"]: r for r in (dict(zip(COLUMNS, row, strict=True)) for row in read_csv(path)[1:])}
        assert rows["belysning"]["ansvar"] == ""
        assert rows["inbrott"]["ansvar"] == ""
        assert rows["kontroller"]["ansvar"] == "polisen"
        assert [rows["kontroller"][f"mål_{k}"] for k in ("minst", "högst", "antal")] == ["80", "", ""]
        assert [rows["inbrott"][f"mål_{k}"] for k in ("minst", "högst", "antal")] == ["", "5", ""]
        assert [rows["vandringar"][f"mål_{k}"] for k in ("minst", "högst", "antal")] == ["", "", "2"]
        source = "Medborgarlöfte Rättvisby 2025–2026, Rättvisby kommun och Polisen, 2025-02-01"
        assert rows["belysning"]["källa"] == source
        assert rows["belysning"]["anmärkning"] == NOTE


def test_feed_entry_says_where_ansvar_is_not_stated(built) -> None:
    feed = (built[1] / "rattvisby" / "feed.xml").read_text(encoding="utf-8")
    assert "Förbättra belysningen vid skolorna. (ansvar: anges inte i dokumentet)" in unescape(feed)
    assert "(ansvar: polisen; mål: minst 80 kontroller per år)" in unescape(feed)


# --- The model and the checks ----------------------------------------------------------------------------------------


def test_an_old_antal_only_target_still_means_exactly(cli, content: Path) -> None:
    old = VALID_PROMISE.replace("    fokusområde: Trafik\n", "    mål: {antal: 80, enhet: trafikkontroller, per: år}\n")
    write(content, PROMISE, old)
    result = check(cli, content)
    assert (result.code, reported(result.err)) == (0, [])
    site, _ = load_site(content, BUILD_DATE.date())
    target = site.kommuner[0].promises[0].commitments[0].target
    assert (target.comparison, target.label) == ("antal", "80 trafikkontroller per år")
    assert target.outcome_label(84) == "84 av 80 trafikkontroller"


@pytest.mark.parametrize(
    ("target", "outcome", "verdict"),
    [
        ("{minst: 80, enhet: kontroller}", 84, "målet är nått"),
        ("{minst: 80, enhet: kontroller}", 80, "målet är nått"),
        ("{minst: 80, enhet: kontroller}", 42, "38 kvar till målet"),
        ("{högst: 5, enhet: inbrott}", 3, "inom målet"),
        ("{högst: 5, enhet: inbrott}", 5, "inom målet"),
        ("{högst: 5, enhet: inbrott}", 7, "2 över målet"),
        ("{antal: 80, enhet: kontroller}", 80, "målet är nått"),
        ("{antal: 80, enhet: kontroller}", 84, "4 fler än målet"),
    ],
)
def test_verdict_follows_the_comparison(cli, content: Path, target: str, outcome: int, verdict: str) -> None:
    write(content, PROMISE, VALID_PROMISE.replace("    fokusområde: Trafik\n", f"    mål: {target}\n"))
    site, diagnostics = load_site(content, BUILD_DATE.date())
    assert site is not None, [d.format() for d in diagnostics.items]
    assert site.kommuner[0].promises[0].commitments[0].target.verdict(outcome) == verdict


@pytest.mark.parametrize(
    "target",
    ["{minst: 80, antal: 80, enhet: kontroller}", "{enhet: kontroller, per: år}"],
    ids=["two-comparisons", "no-comparison"],
)
def test_a_target_needs_exactly_one_comparison(cli, content: Path, target: str) -> None:
    write(content, PROMISE, VALID_PROMISE.replace("    fokusområde: Trafik\n", f"    mål: {target}\n"))
    result = check(cli, content)
    assert result.code == 1
    found = find(result, PROMISE, "`mål` ska ha exakt en av `minst`, `högst` och `antal`.")
    assert found.line == 10
    assert "`minst: 80` för ”minst åttio”" in found.hint


def test_a_near_miss_comparison_key_gets_a_hint(cli, content: Path) -> None:
    write(content, PROMISE, VALID_PROMISE.replace("    fokusområde: Trafik\n", "    mål: {mist: 80, enhet: x}\n"))
    result = check(cli, content)
    assert find(result, PROMISE, "Okänd nyckel `mist`.").hint == "Menade du `minst`?"


def test_a_commitment_without_ansvar_is_valid_and_warns_about_nothing(cli, content: Path) -> None:
    write(content, PROMISE, VALID_PROMISE.replace("    ansvar: polisen\n", ""))
    result = check(cli, content)
    assert result.code == 0, result.err
    assert reported(result.err) == []


def test_check_warns_when_a_promise_names_no_source(cli, content: Path) -> None:
    without = VALID_PROMISE[: VALID_PROMISE.index("källa:")] + "---\nBakgrund till löftet.\n"
    write(content, PROMISE, without)
    result = check(cli, content)
    assert result.code == 0, result.err
    found = find(result, PROMISE, "Löftet anger inte vilket dokument det är hämtat från (`källa`).")
    assert (found.severity, found.line) == ("varning", 2)
    assert "`titel` och `utgivare`" in found.hint
    strict = cli("check", "--strict", "--content", content)
    assert strict.code == 1


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{titel: T}", "Nyckeln `utgivare` saknas."),
        ("{titel: T, utgivare: U, url: www.example.org}", "`www.example.org` är inte en webbadress."),
        ("{titel: T, utgivare: U, datum: våren 2023}", "`datum` ska vara ett datum, inte `våren 2023`."),
    ],
)
def test_a_source_is_checked(cli, content: Path, source: str, message: str) -> None:
    write(content, PROMISE, re.sub(r"källa:\n(  .*\n)+", f"källa: {source}\n", VALID_PROMISE))
    result = check(cli, content)
    assert result.code == 1
    assert find(result, PROMISE, message).line == 11


def test_a_signatory_needs_a_name_or_a_role(cli, content: Path) -> None:
    promise = VALID_PROMISE.replace("åtaganden:", "undertecknare:\n  - organisation: Polisen\nåtaganden:")
    write(content, PROMISE, promise)
    result = check(cli, content)
    assert find(result, PROMISE, "En undertecknare behöver minst `namn` eller `roll`.").line == 7
