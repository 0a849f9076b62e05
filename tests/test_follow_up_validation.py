"""Validation of follow-ups (`kommuner/<kommun>/<löfte>/uppfoljningar/<namn>.md`).

Each test writes one follow-up of the minimal fixture's promise whole, so the expected line can be counted in it, runs
`build.py check` in-process and checks the Swedish diagnostic on stderr. The fixture's promise (period 2021) has two
commitments: `narkotika` (no `mål`) and `trafikkontroller` (`mål` 80 per år).
"""

from __future__ import annotations

from datetime import date

import pytest
from test_validation import check, find, reported, write

from medborgarlofte.build.content import load_site

FOLLOW_UPS = "kommuner/trollhattan/2021/uppfoljningar"
FOLLOW_UP = f"{FOLLOW_UPS}/hosten-2021.md"

# The build date of every test here: 2025-06-15 00:00 UTC.
BUILD_EPOCH = "1749945600"
BUILD_DATE = "2025-06-15"

STATUSES = "ej påbörjat, pågår, försenat, delvis genomfört, genomfört, ej genomfört"


@pytest.fixture(autouse=True)
def _fixed_build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)


def _only(result, file: str):
    """The single diagnostic reported, which must be for `file`."""
    diagnostics = reported(result.err)
    assert len(diagnostics) == 1, result.err
    assert diagnostics[0].file == file, result.err
    return diagnostics[0]


# --- A valid follow-up --------------------------------------------------------------------------------------------


def test_valid_follow_up_passes(cli, content):
    write(
        content,
        FOLLOW_UP,
        """\
---
datum: 2021-12-15
avser: Hösten 2021
åtaganden:
  trafikkontroller:
    status: pågår
    utfall: 42
    kommentar: 42 kontroller till och med november.
    källor:
      - titel: Polisens veckorapport
        url: https://polisen.se/aktuellt/
  narkotika:
    status: ej påbörjat
    kommentar: Arbetet börjar i januari.
---
Sammanfattning av hösten, med en [länk](https://www.trollhattan.se/).
""",
    )
    result = check(cli, content)
    assert result.code == 0, result.err
    assert result.err == ""
    assert "Innehållet är giltigt." in result.out


def test_datum_on_the_first_day_of_the_period_and_on_the_build_date_is_not_warned(cli, content):
    for name, day in [("forsta-dagen", "2021-01-01"), ("byggdagen", BUILD_DATE)]:
        write(
            content,
            f"{FOLLOW_UPS}/{name}.md",
            f"""\
---
datum: {day}
åtaganden:
  trafikkontroller:
    status: pågår
---
""",
        )
    result = check(cli, content)
    assert result.code == 0, result.err
    assert result.err == ""


# --- Commitment ids and statuses ----------------------------------------------------------------------------------


def test_unknown_commitment_id_suggests_the_nearest(cli, content):
    write(
        content,
        FOLLOW_UP,
        """\
---
datum: 2021-12-15
åtaganden:
  trafikkontrol:
    status: pågår
---
""",
    )
    result = check(cli, content)
    assert result.code == 1
    found = find(result, FOLLOW_UP, "Löftet har inget åtagande med id `trafikkontrol`.")
    assert found.severity == "fel"
    assert (found.line, found.column) == (4, 3)
    assert found.hint == "Menade du `trafikkontroller`?"


def test_unknown_status_lists_the_allowed_ones(cli, content):
    write(
        content,
        FOLLOW_UP,
        """\
---
datum: 2021-12-15
åtaganden:
  trafikkontroller:
    status: klart
---
""",
    )
    result = check(cli, content)
    assert result.code == 1
    found = find(result, FOLLOW_UP, "`klart` är inte ett tillåtet värde för `status`.")
    assert (found.line, found.column) == (5, len("    status: ") + 1)
    assert f"Tillåtna värden: {STATUSES}." in found.hint


def test_status_without_ring_suggests_pagar(cli, content):
    write(
        content,
        FOLLOW_UP,
        """\
---
datum: 2021-12-15
åtaganden:
  trafikkontroller:
    status: pagar
---
""",
    )
    result = check(cli, content)
    assert result.code == 1
    found = find(result, FOLLOW_UP, "`pagar` är inte ett tillåtet värde för `status`.")
    assert (found.line, found.column) == (5, len("    status: ") + 1)
    assert found.hint.startswith("Menade du `pågår`?")


def test_missing_status(cli, content):
    write(
        content,
        FOLLOW_UP,
        """\
---
datum: 2021-12-15
åtaganden:
  trafikkontroller:
    kommentar: 42 kontroller.
---
""",
    )
    result = check(cli, content)
    assert result.code == 1
    found = find(result, FOLLOW_UP, "Nyckeln `status` saknas.")
    # A missing key points at the mapping it is missing from: the rating of `trafikkontroller`.
    assert (found.line, found.column) == (5, 5)


def test_unknown_key_in_a_rating_suggests_kommentar(cli, content):
    write(
        content,
        FOLLOW_UP,
        """\
---
datum: 2021-12-15
åtaganden:
  trafikkontroller:
    status: pågår
    kommentarer: 42 kontroller.
---
""",
    )
    result = check(cli, content)
    assert result.code == 1
    found = find(result, FOLLOW_UP, "Okänd nyckel `kommentarer`.")
    assert (found.line, found.column) == (6, 5)
    assert found.hint == "Menade du `kommentar`?"


def test_empty_ataganden_mapping_does_not_ask_for_a_list(cli, content):
    """`åtaganden` of a follow-up is a mapping by commitment id, not a list: the hint must not ask for `- ` items."""
    write(
        content,
        FOLLOW_UP,
        """\
---
datum: 2021-12-15
åtaganden: {}
---
""",
    )
    result = check(cli, content)
    assert result.code == 1
    found = find(result, FOLLOW_UP, "`åtaganden`")
    assert (found.line, found.column) == (3, len("åtaganden: ") + 1)
    assert "`- `" not in found.hint, found.hint


# --- utfall -------------------------------------------------------------------------------------------------------


def test_utfall_on_a_commitment_without_mal(cli, content):
    write(
        content,
        FOLLOW_UP,
        """\
---
datum: 2021-12-15
åtaganden:
  narkotika:
    status: pågår
    utfall: 3
---
""",
    )
    result = check(cli, content)
    assert result.code == 1
    found = find(result, FOLLOW_UP, "Åtagandet `narkotika` har inget numeriskt mål (`mål`) att jämföra `utfall` med.")
    assert (found.line, found.column) == (6, len("    utfall: ") + 1)
    assert "kommentar" in found.hint


def test_negative_utfall(cli, content):
    write(
        content,
        FOLLOW_UP,
        """\
---
datum: 2021-12-15
åtaganden:
  trafikkontroller:
    status: pågår
    utfall: -3
---
""",
    )
    result = check(cli, content)
    assert result.code == 1
    found = find(result, FOLLOW_UP, "`utfall`")
    assert (found.line, found.column) == (6, len("    utfall: ") + 1)
    # Say what is wrong (a negative number), not the generic "has an invalid value".
    assert "negativ" in found.message, found.message
    assert "Kontrollera värdet mot skrivguiden." not in found.hint


@pytest.mark.parametrize("value", ["fyrtio", '"42"'], ids=["word", "quoted-number"])
def test_utfall_that_is_not_a_number(cli, content, value):
    write(
        content,
        FOLLOW_UP,
        f"""\
---
datum: 2021-12-15
åtaganden:
  trafikkontroller:
    status: pågår
    utfall: {value}
---
""",
    )
    result = check(cli, content)
    assert result.code == 1
    found = _only(result, FOLLOW_UP)
    assert found.message == "`utfall` ska vara ett tal."
    assert (found.line, found.column) == (6, len("    utfall: ") + 1)
    assert "siffror" in found.hint


# --- datum --------------------------------------------------------------------------------------------------------


def test_missing_datum(cli, content):
    write(
        content,
        FOLLOW_UP,
        """\
---
avser: Hösten 2021
åtaganden:
  trafikkontroller:
    status: pågår
---
""",
    )
    result = check(cli, content)
    assert result.code == 1
    found = find(result, FOLLOW_UP, "Nyckeln `datum` saknas.")
    assert (found.line, found.column) == (2, 1)


def test_invalid_datum(cli, content):
    write(
        content,
        FOLLOW_UP,
        """\
---
datum: 2025-02-30
åtaganden:
  trafikkontroller:
    status: pågår
---
""",
    )
    result = check(cli, content)
    assert result.code == 1
    found = _only(result, FOLLOW_UP)
    assert found.message == "`2025-02-30` är inte ett giltigt datum."
    assert (found.line, found.column) == (2, len("datum: ") + 1)
    assert "ÅÅÅÅ-MM-DD" in found.hint


def test_datum_before_the_period_is_a_warning(cli, content):
    write(
        content,
        FOLLOW_UP,
        """\
---
datum: 2020-12-31
åtaganden:
  trafikkontroller:
    status: ej påbörjat
---
""",
    )
    result = check(cli, content)
    assert result.code == 0, result.err
    found = _only(result, FOLLOW_UP)
    assert found.severity == "varning"
    assert found.message == ("Uppföljningen är daterad 2020-12-31, före löftets period (som börjar 2021-01-01).")
    assert (found.line, found.column) == (2, len("datum: ") + 1)
    assert "\n1 varning.\n" in result.err
    assert "Innehållet är giltigt." in result.out


def test_datum_after_the_build_date_is_a_warning(cli, content):
    write(
        content,
        FOLLOW_UP,
        """\
---
datum: 2025-06-16
åtaganden:
  trafikkontroller:
    status: genomfört
---
""",
    )
    result = check(cli, content)
    assert result.code == 0, result.err
    found = _only(result, FOLLOW_UP)
    assert found.severity == "varning"
    assert found.message == f"Uppföljningen är daterad 2025-06-16, efter dagens datum ({BUILD_DATE})."
    assert (found.line, found.column) == (2, len("datum: ") + 1)
    assert "datum" in found.hint
    assert "\n1 varning.\n" in result.err


def test_two_follow_ups_on_the_same_date(cli, content):
    first, second = f"{FOLLOW_UPS}/hosten.md", f"{FOLLOW_UPS}/sammanfattning.md"
    # Written in the opposite order: "first" is by file name, not by when the file was made.
    write(
        content,
        second,
        """\
---
datum: 2021-12-15
åtaganden:
  narkotika:
    status: pågår
---
""",
    )
    write(
        content,
        first,
        """\
---
datum: 2021-12-15
åtaganden:
  trafikkontroller:
    status: pågår
---
""",
    )
    result = check(cli, content)
    assert result.code == 1
    found = _only(result, second)
    assert "har redan datum 2021-12-15" in found.message
    assert "`hosten" in found.message
    assert (found.line, found.column) == (2, len("datum: ") + 1)
    assert "Slå ihop" in found.hint


def test_same_date_is_reported_even_when_another_follow_up_has_an_error(cli, content):
    """All problems are reported in one run: a broken third follow-up must not hide the duplicate date."""
    for name, status in [("a-hosten", "pågår"), ("b-hosten", "pågår"), ("c-vintern", "klart")]:
        write(
            content,
            f"{FOLLOW_UPS}/{name}.md",
            f"""\
---
datum: {"2022-02-01" if name == "c-vintern" else "2021-12-15"}
åtaganden:
  trafikkontroller:
    status: {status}
---
""",
        )
    result = check(cli, content)
    assert result.code == 1
    assert find(result, f"{FOLLOW_UPS}/c-vintern.md", "`klart` är inte ett tillåtet värde").line == 5
    assert find(result, f"{FOLLOW_UPS}/b-hosten.md", "har redan datum 2021-12-15").line == 2


# --- avser --------------------------------------------------------------------------------------------------------


def test_avser_as_a_year_is_accepted_and_shown_as_written(cli, content, tmp_path):
    write(
        content,
        FOLLOW_UP,
        """\
---
datum: 2021-12-15
avser: 2021
åtaganden:
  trafikkontroller:
    status: pågår
---
""",
    )
    result = check(cli, content)
    assert result.code == 0, result.err
    assert result.err == ""
    out = tmp_path / "ut"
    assert cli("build", "--content", content, "--out", out).code == 0
    page = (out / "trollhattan/2021/index.html").read_text(encoding="utf-8")
    assert "Avser: 2021." in page


def test_an_outcome_is_shown_with_the_year_avser_names_not_the_year_published(cli, content, tmp_path):
    """Published in January for the autumn before: "2021: 42 av minst 80 trafikkontroller", in the model and on the
    page; the year is over and the result is that year's, not the count so far of the year it was published in."""
    write(
        content,
        FOLLOW_UP,
        """\
---
datum: 2022-01-20
avser: Hösten 2021
åtaganden:
  trafikkontroller:
    status: pågår
    utfall: 42
---
""",
    )
    site, diagnostics = load_site(content, date(2025, 6, 15))
    assert site is not None, [d.format() for d in diagnostics.items]
    [commitment] = [c for c in site.kommuner[0].promises[0].commitments if c.target]
    assert commitment.progress.label == "2021: 42 av minst 80 trafikkontroller, 38 kvar till målet"
    out = tmp_path / "ut"
    assert cli("build", "--no-pdf", "--content", content, "--out", out).code == 0
    page = (out / "trollhattan/2021/index.html").read_text(encoding="utf-8")
    assert ">2021: 42 av minst 80 trafikkontroller, 38 kvar till målet</p>" in page
    assert "2022:" not in page and "2022 hittills" not in page and "2021 hittills" not in page


def test_avser_as_a_date_range_is_accepted(cli, content):
    write(
        content,
        FOLLOW_UP,
        """\
---
datum: 2021-12-15
avser: {från: 2021-07-01, till: 2021-11-30}
åtaganden:
  trafikkontroller:
    status: pågår
---
""",
    )
    result = check(cli, content)
    assert result.code == 0, result.err
    assert result.err == ""


def test_avser_range_ending_before_it_starts(cli, content):
    write(
        content,
        FOLLOW_UP,
        """\
---
datum: 2021-12-15
avser: {från: 2021-11-30, till: 2021-07-01}
åtaganden:
  trafikkontroller:
    status: pågår
---
""",
    )
    result = check(cli, content)
    assert result.code == 1
    found = _only(result, FOLLOW_UP)
    # The value is a range, so the range's own problem is the one to report, not "`avser` ska vara text."
    assert found.message == "Periodens slut (`till`) ligger före dess början (`från`)."
    assert found.line == 3


@pytest.mark.parametrize(
    "covers",
    [
        "{från: 0998-01-01, till: 0999-12-31}",
        "{från: 1989-12-31, till: 2021-01-01}",
        "{från: 2021-01-01, till: 2101-01-01}",
    ],
    ids=["year-998", "before-1990", "after-2100"],
)
def test_avser_range_with_a_year_no_follow_up_can_have(cli, content, covers):
    """`avser: {från: 0998-01-01, till: 0999-12-31}` once crashed the model with a traceback (`ValueError: '–999'`);
    a range's years are those a period may have, and anything else is reported where `avser` is written."""
    write(
        content,
        FOLLOW_UP,
        f"""\
---
datum: 2021-12-15
avser: {covers}
åtaganden:
  trafikkontroller:
    status: pågår
---
""",
    )
    result = check(cli, content)
    assert result.code == 1
    found = _only(result, FOLLOW_UP)
    assert found.message.startswith("`avser` anger år utanför 1990–2100"), found.message
    assert "avser: {från: 2021-07-01, till: 2021-12-31}" in found.hint
    assert found.line == 3


# --- källor -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/rapport.pdf"], ids=["javascript", "ftp"])
def test_kallor_url_that_is_not_http(cli, content, url):
    write(
        content,
        FOLLOW_UP,
        f"""\
---
datum: 2021-12-15
åtaganden:
  trafikkontroller:
    status: pågår
    källor:
      - titel: Polisens veckorapport
        url: {url}
---
""",
    )
    result = check(cli, content)
    assert result.code == 1
    found = _only(result, FOLLOW_UP)
    assert found.message == f"`{url}` är inte en webbadress."
    assert (found.line, found.column) == (8, len("        url: ") + 1)
    assert "https://" in found.hint


# --- The Markdown summary and the file name -----------------------------------------------------------------------


def test_javascript_link_in_the_summary(cli, content):
    write(
        content,
        FOLLOW_UP,
        """\
---
datum: 2021-12-15
åtaganden:
  trafikkontroller:
    status: pågår
---
Sammanfattning av hösten.

Läs [mer](javascript:alert(1)).
""",
    )
    result = check(cli, content)
    assert result.code == 1
    found = _only(result, FOLLOW_UP)
    assert found.message == "Länken `javascript:alert(1)` är inte tillåten."
    assert found.line == 9


@pytest.mark.parametrize(
    ("markdown", "message"),
    [
        ("Se [rapporten](javascript:alert(1)).", "Länken `javascript:alert(1)` är inte tillåten."),
        ("Se ![karta](https://example.com/karta.png).", "Bilden `https://example.com/karta.png` ligger på en annan"),
    ],
    ids=["javascript-link", "external-image"],
)
def test_unsafe_markdown_in_a_kommentar(cli, content, markdown, message):
    """`kommentar` is Markdown too (the promise page renders it): its links are checked like the summary's."""
    write(
        content,
        FOLLOW_UP,
        f"""\
---
datum: 2021-12-15
åtaganden:
  trafikkontroller:
    status: pågår
    kommentar: {markdown}
---
""",
    )
    result = check(cli, content)
    assert result.code == 1, result.err
    found = find(result, FOLLOW_UP, message)
    assert found.line == 6


def test_unsafe_link_in_a_block_kommentar_is_reported_at_its_own_line(cli, content):
    write(
        content,
        FOLLOW_UP,
        """\
---
datum: 2021-12-15
åtaganden:
  trafikkontroller:
    status: pågår
    kommentar: |
      Första raden.

      Se [rapporten](javascript:alert(1)).
---
""",
    )
    result = check(cli, content)
    assert result.code == 1, result.err
    assert find(result, FOLLOW_UP, "Länken `javascript:alert(1)` är inte tillåten.").line == 9


def test_follow_up_file_name_that_is_not_a_slug(cli, content):
    name = f"{FOLLOW_UPS}/Höst 2025.md"
    write(
        content,
        name,
        """\
---
datum: 2021-12-15
åtaganden:
  trafikkontroller:
    status: pågår
---
""",
    )
    result = check(cli, content)
    assert result.code == 1
    found = _only(result, name)
    assert found.message == "Uppföljningens filnamn `Höst 2025` är inte giltigt i en webbadress."
    assert (found.line, found.column) == (1, 1)
    assert "till exempel `host-2025`" in found.hint


def test_a_file_in_uppfoljningar_that_is_not_markdown_is_a_warning(cli, content):
    write(content, f"{FOLLOW_UPS}/2021-12.MD", "---\ndatum: 2021-12-15\n---\n")
    result = check(cli, content)
    assert result.code == 0, result.err
    found = find(result, f"{FOLLOW_UPS}/2021-12.MD", "Filen läses inte")
    assert (found.severity, found.line) == ("varning", 1)


# --- Every problem in one run -------------------------------------------------------------------------------------

PROMISE = "kommuner/trollhattan/2021/medborgarlofte.md"
KOMMUN = "kommuner/trollhattan/kommun.yaml"


def test_every_problem_of_every_file_is_reported_in_one_run(cli, content):
    """Problems of different kinds in a kommun, its promise and two follow-ups: the checks across files (the registry,
    commitment ids, targets, dates, attachments) report alongside each file's own errors, not after they are fixed."""
    write(content, KOMMUN, 'namn: Trollhättan\nkommunkod: "1486"\n')
    write(
        content,
        PROMISE,
        """\
---
period: 2021
fokusområden:
  - Trafik
bilagor:
  - fil: original.pdf
    titel: Det undertecknade löftet
åtaganden:
  - id: narkotika
    text: Arbeta mot narkotika.
    ansvar: gemensamt
  - id: trafikkontroller
    text: Minst åttio trafikkontroller per år.
    ansvar: polisen
    fokusområde: Trafk
    mål: {antal: 80, enhet: trafikkontroller, per: år}
---
""",
    )
    write(
        content,
        FOLLOW_UP,
        """\
---
datum: 2020-12-01
åtaganden:
  trafikkontrol:
    status: pågår
  narkotika:
    status: klart
    utfall: 3
    kommentar: Se [rapporten](javascript:alert(1)).
---
""",
    )
    write(content, f"{FOLLOW_UPS}/Vintern.md", "---\ndatum: 2020-12-01\nåtaganden:\n  narkotika:\n    utfall: 2\n---\n")
    result = check(cli, content)
    assert result.code == 1
    expected = [
        (KOMMUN, "Nyckeln `lokalpolisområde` saknas.", 1),
        (KOMMUN, "Namnet `Trollhättan` stämmer inte med kommunkoden 1486", 1),
        (PROMISE, "Nyckeln `rubrik` saknas.", 2),
        (PROMISE, "Fokusområdet `Trafk` finns inte bland löftets `fokusområden`.", 15),
        (PROMISE, "Bilagan `original.pdf` finns inte", 6),
        (FOLLOW_UP, "Löftet har inget åtagande med id `trafikkontrol`.", 4),
        (FOLLOW_UP, "`klart` är inte ett tillåtet värde för `status`.", 7),
        (FOLLOW_UP, "Åtagandet `narkotika` har inget numeriskt mål", 8),
        (FOLLOW_UP, "Länken `javascript:alert(1)` är inte tillåten.", 9),
        (FOLLOW_UP, "före löftets period", 2),
        (f"{FOLLOW_UPS}/Vintern.md", "Uppföljningens filnamn `Vintern` är inte giltigt", 1),
        (f"{FOLLOW_UPS}/Vintern.md", "Nyckeln `status` saknas.", 5),
        (f"{FOLLOW_UPS}/Vintern.md", "Åtagandet `narkotika` har inget numeriskt mål", 5),
        (FOLLOW_UP, "Uppföljningen `Vintern.md` har redan datum 2020-12-01.", 2),
    ]
    assert [(file, part, find(result, file, part).line) for file, part, _ in expected] == expected


@pytest.mark.parametrize(
    ("promise", "message", "line"),
    [
        ("---\nrubrik: Löfte: 2021\n---\n", "kolon följt av mellanslag", 2),
        (None, "Mappen `2021` saknar filen `medborgarlofte.md`.", 1),
    ],
    ids=["yaml-syntax-error", "missing"],
)
def test_follow_ups_of_a_promise_that_cannot_be_read_are_checked_too(cli, content, promise, message, line):
    """A promise file with a syntax error, or none at all, is reported, and so are its follow-ups' own problems."""
    if promise is None:
        (content / PROMISE).unlink()
    else:
        write(content, PROMISE, promise)
    write(content, FOLLOW_UP, "---\ndatum: 2021-12-15\nåtaganden:\n  narkotika:\n    status: klart\n---\n")
    result = check(cli, content)
    assert result.code == 1
    assert find(result, PROMISE, message).line == line
    assert find(result, FOLLOW_UP, "`klart` är inte ett tillåtet värde för `status`.").line == 5


def test_promises_of_a_kommun_without_kommun_yaml_are_checked_too(cli, content):
    (content / KOMMUN).unlink()
    write(content, FOLLOW_UP, "---\ndatum: 2021-12-15\nåtaganden:\n  narkotka:\n    status: pågår\n---\n")
    result = check(cli, content)
    assert result.code == 1
    assert find(result, KOMMUN, "Kommunmappen `trollhattan` saknar filen `kommun.yaml`.").line == 1
    assert find(result, FOLLOW_UP, "Löftet har inget åtagande med id `narkotka`.").line == 4
