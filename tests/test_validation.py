"""Validation: every content problem is reported at the file, line and column a communicator must edit, in Swedish.

Each test breaks the minimal fixture (see conftest.py) in exactly one way, runs `build.py check` in-process and checks
the diagnostic on stderr. The broken file is written whole in the test, so the expected line can be counted in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REPO, CliResult

KOMMUN = "kommuner/trollhattan/kommun.yaml"
PROMISE = "kommuner/trollhattan/2021/medborgarlofte.md"
SITE = "content/site.yaml"
PAGE = "content/om.md"

VALID_KOMMUN = """\
namn: Trollhättan
kommunkod: "1488"
organisation: Trollhättans Stad
lokalpolisområde: Östra Fyrbodal
"""

VALID_PROMISE = """\
---
rubrik: Medborgarlöfte i Trollhättan 2021
period: 2021
fokusområden:
  - Trafik
åtaganden:
  - id: trafikkontroller
    text: Minst åttio trafikkontroller per år.
    ansvar: polisen
    fokusområde: Trafik
källa:
  titel: Medborgarlöfte i Trollhättan 2021 (testinnehåll)
  utgivare: Testprojektet
---
Bakgrund till löftet.
"""

_DIAGNOSTIC = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): (?P<severity>fel|varning): (?P<message>.*)$")
_HINT = "    tips: "


@dataclass
class Reported:
    file: str
    line: int
    column: int
    severity: str
    message: str
    hint: str = ""


def reported(err: str) -> list[Reported]:
    """The diagnostics printed on stderr, each with the `tips:` line that follows it."""
    items: list[Reported] = []
    for text in err.splitlines():
        if match := _DIAGNOSTIC.match(text):
            items.append(
                Reported(match["file"], int(match["line"]), int(match["column"]), match["severity"], match["message"])
            )
        elif text.startswith(_HINT) and items:
            items[-1].hint = text.removeprefix(_HINT)
    return items


def find(result: CliResult, file: str, message_part: str) -> Reported:
    """The one diagnostic for `file` whose message contains `message_part`."""
    matches = [d for d in reported(result.err) if d.file == file and message_part in d.message]
    assert len(matches) == 1, f"expected one diagnostic for {file} containing {message_part!r}; stderr:\n{result.err}"
    return matches[0]


def write(content: Path, relative: str, text: str | bytes) -> Path:
    """Write a content file byte for byte (no newline translation), creating its folder."""
    path = content / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def check(cli, content: Path) -> CliResult:
    return cli("check", "--content", content)


def usage_exit(cli, capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str]:
    """The exit code of a run that argparse may end with SystemExit, and what it printed on stderr."""
    try:
        result = cli(*args)
    except SystemExit as stop:
        return int(stop.code or 0), capsys.readouterr().err
    return result.code, result.err


# --- Baseline -----------------------------------------------------------------------------------------------------


def test_minimal_fixture_is_valid(cli, content):
    result = check(cli, content)
    assert result.code == 0, result.err
    assert result.err == ""
    assert "Innehållet är giltigt." in result.out


def test_the_valid_files_used_here_pass(cli, content):
    write(content, KOMMUN, VALID_KOMMUN)
    write(content, PROMISE, VALID_PROMISE)
    result = check(cli, content)
    assert result.code == 0, result.err
    assert result.err == ""


# --- YAML syntax --------------------------------------------------------------------------------------------------


def test_yaml_syntax_error_in_kommun_yaml(cli, content):
    write(
        content,
        KOMMUN,
        """\
namn: Trollhättan
kommunkod: "1488"
organisation: Trollhättans Stad: kommunen
lokalpolisområde: Östra Fyrbodal
""",
    )
    result = check(cli, content)
    assert result.code == 1
    found = find(result, KOMMUN, "Texten innehåller kolon följt av mellanslag och måste därför stå inom citattecken.")
    assert (found.line, found.column) == (3, len("organisation: Trollhättans Stad") + 1)
    assert found.hint == 'Skriv `organisation: "Trollhättans Stad: kommunen"`.'


def test_yaml_syntax_error_in_front_matter_counts_the_fence_line(cli, content):
    write(
        content,
        PROMISE,
        """\
---
rubrik: Medborgarlöfte i Trollhättan 2021
period: 2021
åtaganden:
  - id: trafikkontroller
    text: Fler kontroller: minst åttio per år.
    ansvar: polisen
---
""",
    )
    result = check(cli, content)
    assert result.code == 1
    found = find(result, PROMISE, "kolon följt av mellanslag")
    assert (found.line, found.column) == (6, len("    text: Fler kontroller") + 1)
    assert found.hint == 'Skriv `text: "Fler kontroller: minst åttio per år."`.'


# --- Missing keys -------------------------------------------------------------------------------------------------


def test_missing_lokalpolisomrade(cli, content):
    write(
        content,
        KOMMUN,
        """\
namn: Trollhättan
kommunkod: "1488"
""",
    )
    result = check(cli, content)
    assert result.code == 1
    found = find(result, KOMMUN, "Nyckeln `lokalpolisområde` saknas.")
    assert (found.line, found.column) == (1, 1)


def test_missing_ataganden(cli, content):
    write(
        content,
        PROMISE,
        """\
---
rubrik: Medborgarlöfte i Trollhättan 2021
period: 2021
---
""",
    )
    result = check(cli, content)
    assert result.code == 1
    found = find(result, PROMISE, "Nyckeln `åtaganden` saknas.")
    assert (found.line, found.column) == (2, 1)


def test_commitment_without_text_points_at_its_list_item(cli, content):
    write(
        content,
        PROMISE,
        """\
---
rubrik: Medborgarlöfte i Trollhättan 2021
period: 2021
åtaganden:
  - id: narkotika
    text: Arbeta mot narkotika.
    ansvar: gemensamt
  - id: trafikkontroller
    ansvar: polisen
---
""",
    )
    result = check(cli, content)
    assert result.code == 1
    found = find(result, PROMISE, "Nyckeln `text` saknas.")
    assert (found.line, found.column) == (8, 5)


# --- Unknown keys -------------------------------------------------------------------------------------------------


def test_unknown_key_without_a_ring_suggests_fokusomraden(cli, content):
    write(
        content,
        PROMISE,
        """\
---
rubrik: Medborgarlöfte i Trollhättan 2021
period: 2021
fokusomraden:
  - Trafik
åtaganden:
  - id: trafikkontroller
    text: Minst åttio trafikkontroller per år.
    ansvar: polisen
---
""",
    )
    result = check(cli, content)
    assert result.code == 1
    found = find(result, PROMISE, "Okänd nyckel `fokusomraden`.")
    assert (found.line, found.column) == (4, 1)
    assert found.hint == "Menade du `fokusområden`?"


def test_unknown_key_in_commitment_suggests_ansvar(cli, content):
    write(
        content,
        PROMISE,
        """\
---
rubrik: Medborgarlöfte i Trollhättan 2021
period: 2021
åtaganden:
  - id: trafikkontroller
    text: Minst åttio trafikkontroller per år.
    ansvarig: polisen
---
""",
    )
    result = check(cli, content)
    assert result.code == 1
    found = find(result, PROMISE, "Okänd nyckel `ansvarig`.")
    assert (found.line, found.column) == (7, 5)
    assert found.hint == "Menade du `ansvar`?"


# --- Wrong types --------------------------------------------------------------------------------------------------


def test_ataganden_must_be_a_list(cli, content):
    write(
        content,
        PROMISE,
        """\
---
rubrik: Medborgarlöfte i Trollhättan 2021
period: 2021
åtaganden: hej
---
""",
    )
    result = check(cli, content)
    assert result.code == 1
    found = find(result, PROMISE, "`åtaganden` ska vara en lista.")
    assert (found.line, found.column) == (4, len("åtaganden: ") + 1)


def test_commitment_text_must_be_text_not_a_list(cli, content):
    write(
        content,
        PROMISE,
        """\
---
rubrik: Medborgarlöfte i Trollhättan 2021
period: 2021
åtaganden:
  - id: trafikkontroller
    text: [a, b]
    ansvar: polisen
---
""",
    )
    result = check(cli, content)
    assert result.code == 1
    found = find(result, PROMISE, "`text` ska vara text.")
    assert (found.line, found.column) == (6, len("    text: ") + 1)


# --- Dates --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2025-02-30", "`2025-02-30` är inte ett giltigt datum."),
        ("igår", "`undertecknat` ska vara ett datum, inte `igår`."),
    ],
)
def test_invalid_date(cli, content, value, message):
    write(
        content,
        PROMISE,
        f"""\
---
rubrik: Medborgarlöfte i Trollhättan 2021
period: 2021
undertecknat: {value}
åtaganden:
  - id: trafikkontroller
    text: Minst åttio trafikkontroller per år.
    ansvar: polisen
---
""",
    )
    result = check(cli, content)
    assert result.code == 1
    found = find(result, PROMISE, message)
    assert (found.line, found.column) == (4, len("undertecknat: ") + 1)
    assert "ÅÅÅÅ-MM-DD" in found.hint


# --- ansvar -------------------------------------------------------------------------------------------------------


def _promise_with_ansvar(value: str) -> str:
    return f"""\
---
rubrik: Medborgarlöfte i Trollhättan 2021
period: 2021
åtaganden:
  - id: trafikkontroller
    text: Minst åttio trafikkontroller per år.
    ansvar: {value}
---
"""


def test_unknown_ansvar_lists_the_allowed_values(cli, content):
    write(content, PROMISE, _promise_with_ansvar("regionen"))
    result = check(cli, content)
    assert result.code == 1
    found = find(result, PROMISE, "`regionen` är inte ett tillåtet värde för `ansvar`.")
    assert (found.line, found.column) == (7, len("    ansvar: ") + 1)
    assert "Tillåtna värden: polisen, kommunen, gemensamt." in found.hint


def test_ansvar_with_capital_letter_suggests_lowercase(cli, content):
    write(content, PROMISE, _promise_with_ansvar("Polisen"))
    result = check(cli, content)
    assert result.code == 1
    found = find(result, PROMISE, "`Polisen` är inte ett tillåtet värde för `ansvar`.")
    assert (found.line, found.column) == (7, len("    ansvar: ") + 1)
    assert "Menade du `polisen`?" in found.hint


# --- Commitments across the promise -------------------------------------------------------------------------------


def test_duplicate_commitment_id_points_at_the_second_and_names_the_first(cli, content):
    write(
        content,
        PROMISE,
        """\
---
rubrik: Medborgarlöfte i Trollhättan 2021
period: 2021
åtaganden:
  - id: narkotika
    text: Arbeta mot narkotika.
    ansvar: gemensamt
  - id: narkotika
    text: Minst åttio trafikkontroller per år.
    ansvar: polisen
---
""",
    )
    result = check(cli, content)
    assert result.code == 1
    found = find(result, PROMISE, "Id `narkotika` används redan")
    assert (found.line, found.column) == (8, len("  - id: ") + 1)
    assert "på rad 5" in found.message


def test_fokusomrade_must_be_one_of_fokusomraden(cli, content):
    write(
        content,
        PROMISE,
        """\
---
rubrik: Medborgarlöfte i Trollhättan 2021
period: 2021
fokusområden:
  - Narkotika
åtaganden:
  - id: trafikkontroller
    text: Minst åttio trafikkontroller per år.
    ansvar: polisen
    fokusområde: Trafik
---
""",
    )
    result = check(cli, content)
    assert result.code == 1
    found = find(result, PROMISE, "Fokusområdet `Trafik` finns inte bland löftets `fokusområden`.")
    assert (found.line, found.column) == (10, len("    fokusområde: ") + 1)
    assert "fokusområden" in found.hint


# --- kommunkod and the registry -----------------------------------------------------------------------------------


def _kommun(namn: str, kommunkod: str) -> str:
    return f"""\
namn: {namn}
kommunkod: {kommunkod}
organisation: Trollhättans Stad
lokalpolisområde: Östra Fyrbodal
"""


def test_kommunkod_not_in_the_registry(cli, content):
    write(content, KOMMUN, _kommun("Trollhättan", '"9999"'))
    result = check(cli, content)
    assert result.code == 1
    found = find(result, KOMMUN, "Kommunkoden 9999 finns inte bland Sveriges 290 kommuner.")
    assert (found.line, found.column) == (2, len("kommunkod: ") + 1)
    assert found.hint == 'Trollhättan har kommunkod "1488".'


def test_kommunkod_of_another_kommun_than_namn(cli, content):
    write(content, KOMMUN, _kommun("Trollhättan", '"1486"'))
    result = check(cli, content)
    assert result.code == 1
    found = find(result, KOMMUN, "Namnet `Trollhättan` stämmer inte med kommunkoden 1486, som är Strömstad.")
    assert (found.line, found.column) == (1, len("namn: ") + 1)
    assert 'Trollhättan har kommunkod "1488".' in found.hint


def test_unquoted_kommunkod(cli, content):
    write(content, KOMMUN, _kommun("Trollhättan", "1488"))
    result = check(cli, content)
    assert result.code == 1
    found = find(result, KOMMUN, "Kommunkoden ska skrivas inom citattecken.")
    assert (found.line, found.column) == (2, len("kommunkod: ") + 1)
    assert 'kommunkod: "0114"' in found.hint


# --- Folder names -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("folder", "suggestion"),
    [("Trollhättan", "trollhattan"), ("troll hattan", "troll-hattan")],
)
def test_kommun_folder_that_is_not_a_slug(cli, content, folder, suggestion):
    (content / "kommuner/trollhattan").rename(content / "kommuner" / folder)
    result = check(cli, content)
    assert result.code == 1
    found = find(result, f"kommuner/{folder}/kommun.yaml", f"Kommunmappens namn `{folder}` är inte giltigt")
    assert (found.line, found.column) == (1, 1)
    assert f"till exempel `{suggestion}`" in found.hint


def test_promise_folder_that_is_not_a_slug(cli, content):
    (content / "kommuner/trollhattan/2021").rename(content / "kommuner/trollhattan/Löfte 2021")
    result = check(cli, content)
    assert result.code == 1
    found = find(
        result, "kommuner/trollhattan/Löfte 2021/medborgarlofte.md", "Löftesmappens namn `Löfte 2021` är inte giltigt"
    )
    assert (found.line, found.column) == (1, 1)
    assert "till exempel `lofte-2021`" in found.hint


# --- Encoding, empty files and front matter fences ----------------------------------------------------------------


def test_kommun_yaml_not_saved_as_utf8(cli, content):
    latin1 = 'kommunkod: "1488"\nnamn: Trollhättan\nlokalpolisområde: Östra Fyrbodal\n'.encode("latin-1")
    write(content, KOMMUN, latin1)
    result = check(cli, content)
    assert result.code == 1
    found = find(result, KOMMUN, "Filen är inte sparad som UTF-8.")
    assert (found.line, found.column) == (2, len("namn: Trollh") + 1)
    assert "UTF-8" in found.hint


@pytest.mark.parametrize("file", [KOMMUN, PROMISE])
def test_empty_file(cli, content, file):
    write(content, file, "")
    result = check(cli, content)
    assert result.code == 1
    found = find(result, file, "Filen är tom.")
    assert (found.line, found.column) == (1, 1)


def test_missing_opening_front_matter_fence(cli, content):
    write(
        content,
        PROMISE,
        """\
rubrik: Medborgarlöfte i Trollhättan 2021
period: 2021
åtaganden:
  - id: trafikkontroller
    text: Minst åttio trafikkontroller per år.
    ansvar: polisen
---
Bakgrund till löftet.
""",
    )
    result = check(cli, content)
    assert result.code == 1
    found = find(result, PROMISE, "Filen ska börja med en rad med tre bindestreck (`---`)")
    assert (found.line, found.column) == (1, 1)


def test_missing_closing_front_matter_fence(cli, content):
    text = """\
---
rubrik: Medborgarlöfte i Trollhättan 2021
period: 2021
åtaganden:
  - id: trafikkontroller
    text: Minst åttio trafikkontroller per år.
    ansvar: polisen
Bakgrund till löftet.
"""
    write(content, PROMISE, text)
    result = check(cli, content)
    assert result.code == 1
    found = find(result, PROMISE, "Nycklarna i filens början avslutas aldrig med `---`.")
    # The end of the file: the position after the eighth and last line break.
    assert (found.line, found.column) == (9, 1)


# --- Markdown body ------------------------------------------------------------------------------------------------

PROMISE_HEAD = """\
---
rubrik: Medborgarlöfte i Trollhättan 2021
period: 2021
åtaganden:
  - id: trafikkontroller
    text: Minst åttio trafikkontroller per år.
    ansvar: polisen
---
"""  # eight lines: the body starts on line 9


def test_javascript_link_in_body_at_its_file_line(cli, content):
    write(
        content,
        PROMISE,
        PROMISE_HEAD
        + """\
Bakgrund till löftet.

[x](javascript:alert(1))
""",
    )
    result = check(cli, content)
    assert result.code == 1
    found = find(result, PROMISE, "Länken `javascript:alert(1)` är inte tillåten.")
    assert found.line == 11


def test_javascript_link_on_the_second_line_of_a_paragraph(cli, content):
    write(
        content,
        PROMISE,
        PROMISE_HEAD
        + """\
Bakgrund till löftet.

Läs mer om dialogerna
[x](javascript:alert(1)) i bilagan.
""",
    )
    result = check(cli, content)
    assert result.code == 1
    found = find(result, PROMISE, "Länken `javascript:alert(1)` är inte tillåten.")
    assert found.line == 12


def test_external_image_in_body(cli, content):
    write(
        content,
        PROMISE,
        PROMISE_HEAD
        + """\
Bakgrund till löftet.

![Karta](https://example.com/karta.png)
""",
    )
    result = check(cli, content)
    assert result.code == 1
    found = find(result, PROMISE, "Bilden `https://example.com/karta.png` ligger på en annan webbplats.")
    assert found.line == 11


# --- Unsafe or surprising YAML ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "text", "position"),
    [
        pytest.param(
            PROMISE,
            """\
---
rubrik: Medborgarlöfte i Trollhättan 2021
period: 2021
fokusområden:
  - &trafik Trafik
åtaganden:
  - id: trafikkontroller
    text: Minst åttio trafikkontroller per år.
    ansvar: polisen
    fokusområde: *trafik
---
""",
            (5, 5),
            id="anchor-in-front-matter",
        ),
        pytest.param(
            KOMMUN,
            """\
namn: Trollhättan
kommunkod: "1488"
organisation: *namn
lokalpolisområde: Östra Fyrbodal
""",
            (3, len("organisation: ") + 1),
            id="alias-in-kommun-yaml",
        ),
    ],
)
def test_yaml_anchors_and_aliases_are_refused(cli, content, file, text, position):
    write(content, file, text)
    result = check(cli, content)
    assert result.code == 1
    found = find(result, file, "Ankare och alias (`&` och `*`) används inte")
    assert (found.line, found.column) == position


@pytest.mark.parametrize(
    "tagged",
    ['!!python/object/apply:os.system ["echo"]', "!!python/name:os.system"],
)
def test_yaml_python_tag_is_refused(cli, content, tagged):
    write(
        content,
        KOMMUN,
        f"""\
namn: Trollhättan
kommunkod: "1488"
organisation: {tagged}
lokalpolisområde: Östra Fyrbodal
""",
    )
    result = check(cli, content)
    assert result.code == 1
    found = find(result, KOMMUN, "Taggen `tag:yaml.org,2002:python/")
    assert "är inte tillåten" in found.message
    assert (found.line, found.column) == (3, len("organisation: ") + 1)


def test_duplicate_key_in_one_mapping(cli, content):
    write(
        content,
        KOMMUN,
        """\
namn: Trollhättan
kommunkod: "1488"
namn: Strömstad
lokalpolisområde: Östra Fyrbodal
""",
    )
    result = check(cli, content)
    assert result.code == 1
    found = find(result, KOMMUN, "Nyckeln `namn` finns redan på rad 1.")
    assert (found.line, found.column) == (3, 1)


# --- Warnings and reporting everything ----------------------------------------------------------------------------


def test_missing_period_is_a_warning_not_an_error(cli, content):
    write(
        content,
        PROMISE,
        """\
---
rubrik: Medborgarlöfte i Trollhättan 2021
åtaganden:
  - id: trafikkontroller
    text: Minst åttio trafikkontroller per år.
    ansvar: polisen
källa: {titel: Medborgarlöfte i Trollhättan 2021, utgivare: Testprojektet}
---
""",
    )
    result = check(cli, content)
    assert result.code == 0, result.err
    found = find(result, PROMISE, "Löftet anger ingen period (`period`).")
    assert found.severity == "varning"
    assert (found.line, found.column) == (2, 1)
    assert "\n1 varning.\n" in result.err
    assert "Innehållet är giltigt." in result.out


def test_many_problems_in_several_files_are_all_reported(cli, content):
    write(
        content,
        SITE,
        """\
namn: Medborgarlöften
bas-url: https://example.org/
utgivare: Testprojektet
kontakt:
  e-post: test@example.org
""",
    )
    write(
        content,
        PAGE,
        """\
---
titel: Om
---
Se [här](javascript:alert(1)).
""",
    )
    write(
        content,
        KOMMUN,
        """\
namn: Trollhättan
kommunkod: "1488"
lokalpolisomrade: Östra Fyrbodal
""",
    )
    write(content, PROMISE, _promise_with_ansvar("regionen"))
    write(content, "kommuner/stromstad/kommun.yaml", _kommun("Strömstad", "1486"))
    result = check(cli, content)
    assert result.code == 1
    assert find(result, SITE, "Nyckeln `beskrivning` saknas.").line == 1
    assert find(result, PAGE, "Länken `javascript:alert(1)` är inte tillåten.").line == 4
    unknown = find(result, KOMMUN, "Okänd nyckel `lokalpolisomrade`.")
    assert (unknown.line, unknown.hint) == (3, "Menade du `lokalpolisområde`?")
    assert find(result, PROMISE, "`regionen` är inte ett tillåtet värde för `ansvar`.").line == 7
    assert find(result, "kommuner/stromstad/kommun.yaml", "Kommunkoden ska skrivas inom citattecken.").line == 2
    files = {d.file for d in reported(result.err)}
    assert files == {SITE, PAGE, KOMMUN, PROMISE, "kommuner/stromstad/kommun.yaml"}


# --- Byte order marks and Windows line endings --------------------------------------------------------------------

BOM = b"\xef\xbb\xbf"


def _windows(text: str) -> bytes:
    return BOM + text.replace("\n", "\r\n").encode("utf-8")


def test_bom_and_crlf_are_accepted(cli, content):
    write(content, KOMMUN, _windows(VALID_KOMMUN))
    write(content, PROMISE, _windows(VALID_PROMISE))
    result = check(cli, content)
    assert result.code == 0, result.err
    assert result.err == ""


def test_error_in_crlf_file_is_reported_at_the_right_line(cli, content):
    write(content, PROMISE, _windows(_promise_with_ansvar("regionen")))
    result = check(cli, content)
    assert result.code == 1
    found = find(result, PROMISE, "`regionen` är inte ett tillåtet värde för `ansvar`.")
    assert (found.line, found.column) == (7, len("    ansvar: ") + 1)


# --- The command line ---------------------------------------------------------------------------------------------


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_check_writes_nothing(cli, content):
    before = _snapshot(content)
    result = check(cli, content)
    assert result.code == 0, result.err
    assert not (content / "_site").exists()
    assert _snapshot(content) == before


def test_build_on_bad_content_exits_1_without_traceback(cli, content, tmp_path):
    write(content, PROMISE, _promise_with_ansvar("regionen"))
    out = tmp_path / "ut"
    result = cli("build", "--content", content, "--out", out)
    assert result.code == 1
    assert "Traceback" not in result.err + result.out
    assert find(result, PROMISE, "`regionen` är inte ett tillåtet värde för `ansvar`.").line == 7
    assert "Bygget avbröts" in result.err
    assert not out.exists()
    assert not (content / "_site").exists()


def test_unknown_subcommand_exits_2(cli, content, capsys):
    code, err = usage_exit(cli, capsys, "publicera", "--content", content)
    assert code == 2
    assert "publicera" in err
    assert "Traceback" not in err


def test_bad_base_url_exits_2(cli, content, capsys, tmp_path):
    code, err = usage_exit(cli, capsys, "build", "--content", content, "--out", tmp_path / "ut", "--base-url", "x")
    assert code == 2
    assert "ogiltig bas-url" in err
    assert "Traceback" not in err
    assert not (tmp_path / "ut").exists()


def test_content_option_before_the_subcommand_is_used(cli, content):
    """`build.py --content DIR check` must check DIR, not silently fall back to the current folder."""
    write(content, PROMISE, _promise_with_ansvar("regionen"))
    result = cli("--content", content, "check")
    assert result.code == 1, result.err
    assert find(result, PROMISE, "`regionen` är inte ett tillåtet värde för `ansvar`.").line == 7


def test_shipped_content_passes_strict_check(cli):
    """Vaggeryd's and Östersund's documents name no period; their files say so (`period: anges inte`)."""
    result = cli("check", "--strict", "--content", REPO)
    assert result.code == 0, result.err
    assert reported(result.err) == []
    assert "Innehållet är giltigt." in result.out


def test_period_not_stated_is_accepted_without_a_warning(cli, content):
    write(content, PROMISE, VALID_PROMISE.replace("period: 2021", "period: anges inte"))
    result = check(cli, content)
    assert result.code == 0, result.err
    assert reported(result.err) == []


def test_empty_period_counts_as_absent(cli, content):
    write(content, PROMISE, VALID_PROMISE.replace("period: 2021", "period:"))
    result = check(cli, content)
    assert result.code == 0, result.err
    found = find(result, PROMISE, "Löftet anger ingen period (`period`).")
    assert found.severity == "varning"
    assert "None" not in result.err
