"""The loader: its quicker tag resolution gives every value the type PyYAML's safe loader gives it, and every YAML
syntax error a communicator can make is told in Swedish, at its place, whichever parser found it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from medborgarlofte.content import load
from medborgarlofte.content.diagnostics import Diagnostics, Severity
from medborgarlofte.content.load import _Loader, unshowable
from medborgarlofte.content.yaml_errors import LIBYAML_TOO_DEEP, explain

VALUES = [
    "",
    "ja",
    "yes",
    "No",
    "~",
    "null",
    "NULL",
    "2025-01-01",
    "2001-12-14t21:59:43.10-05:00",
    "12",
    "-1",
    "+3",
    ".5",
    ".inf",
    "0x1F",
    "1_000",
    "true",
    "Off",
    "Åtagande",
    "Trafik",
    "'12'",
    '"x"',
    "!!str 12",
    "[1, a, 2025-02-01]",
    "{a: 1, b: nej}",
    "|\n  text\n",
]


@pytest.mark.parametrize("value", VALUES)
def test_values_resolve_as_with_the_safe_loader(value: str) -> None:
    text = f"nyckel: {value}\n"
    expected = yaml.load(text, Loader=yaml.SafeLoader)
    loaded = yaml.load(text, Loader=_Loader)
    assert loaded == expected
    assert type(loaded["nyckel"]) is type(expected["nyckel"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Trollhättan\tkommun\n", None),
        ("Polisen 😀", None),
        ("a\x01b", "U+0001"),
        ("a\x7f", "U+007F"),
        ("a\x85", "U+0085"),
        ("Å\ufffe", "U+FFFE"),
        ("😀\U0001fffe", "U+1FFFE"),
        ("x\U0010ffffy\x02", "U+10FFFF"),
    ],
)
def test_characters_that_cannot_be_published_are_found(text: str, expected: str | None) -> None:
    assert unshowable(text) == expected


def test_every_character_that_cannot_be_published_starts_with_a_byte_the_quick_check_looks_for() -> None:
    """read_text searches a file's text only when `_may_hold_unshowable` finds such a byte: a character it missed
    would be published."""
    missed = [
        f"U+{code:04X}"
        for code in range(0x110000)
        if not 0xD800 <= code <= 0xDFFF
        and unshowable(chr(code))
        and not load._may_hold_unshowable(chr(code).encode("utf-8"))
    ]
    assert missed == []
    assert not load._may_hold_unshowable("Trygghetsvandring i Åmål – 2025: öka närvaron\tkväll\n".encode())


@pytest.mark.parametrize("character", ["\x01", "\x85", "\ufdd0", "\U0010ffff"])
def test_a_file_with_a_character_that_cannot_be_published_is_refused(tmp_path: Path, character: str) -> None:
    path = tmp_path / "kommun.yaml"
    path.write_text(f"namn: Åmål\nkontakt: x{character}y\n", encoding="utf-8")
    diagnostics = Diagnostics(tmp_path)
    assert load.read_text(path, diagnostics) is None
    assert f"U+{ord(character):04X}" in diagnostics.errors[0].message
    assert (diagnostics.errors[0].line, diagnostics.errors[0].column) == (2, 11)


def test_a_file_that_cannot_be_read_is_reported_at_its_path(tmp_path: Path) -> None:
    folder = tmp_path / "1.md"  # a follow-up's name, but a folder
    folder.mkdir()
    diagnostics = Diagnostics(tmp_path)
    assert load.read_text(folder, diagnostics) is None
    assert diagnostics.errors[0].message.startswith("Filen kan inte läsas: ")
    assert diagnostics.errors[0].file == "1.md"


# --- YAML syntax errors in Swedish, with either parser ------------------------------------------------------------

LOADERS = {"libyaml": load._Loader, "python": load._PureLoader}
DEEP_FLOW = "rubrik: " + "[" * 5000 + "]" * 5000 + "\n"
DEEP_BLOCK = "a:\n" + "".join(" " * level + "-\n" for level in range(1, 1200))

# name: (text, (line, column), part of the message, part of the hint)
SYNTAX_ERRORS = {
    "tab-indentation": ("åtaganden:\n\t- id: a\n", (2, 1), "en tabb där bara mellanslag", "mellanslag"),
    "tab-before-list-item": ("a:\n  - x\n\t- y\n", (3, 1), "en tabb där bara mellanslag", "Convert Indentation"),
    "colon-in-text": (
        "namn: T\norganisation: Trollhättans Stad: kommunen\n",
        (2, 32),
        "kolon följt av mellanslag",
        'Skriv `organisation: "Trollhättans Stad: kommunen"`.',
    ),
    "colon-in-quoted-text-example": (
        'text: Hon sa "hej": igen\n',
        (1, 19),
        "kolon följt av mellanslag",
        "Skriv `text: 'Hon sa \"hej\": igen'`.",
    ),
    "colon-on-indented-line": ("rubrik: Löfte\n  mer: x\n", (2, 6), "indragen mer än nyckeln", "samma indrag"),
    "key-without-colon": ('namn: T\nkommunkod "1488"\nx: y\n', (2, 1), "följs inte av kolon", "kolon och mellanslag"),
    "wrong-indentation": ("kontakt:\n  namn: a\n e-post: b\n", (3, 2), "ett annat indrag", "lika många mellanslag"),
    "wrong-indentation-in-list": (
        "åtaganden:\n  - id: a\n    text: T\n   ansvar: polisen\n",
        (4, 4),
        "ett annat indrag",
        "lika många mellanslag",
    ),
    "stray-list-item": ("namn: Trollhättan\n- Östra\n", (2, 1), "Listposten (`-`) står där", "Dra in posten"),
    "list-item-indented-less": ("fokusområden:\n  - Trafik\n - Skola\n", (3, 2), "Listposten (`-`)", "Dra in posten"),
    "value-starting-with-dash": ("text: - punkt\n", (1, 7), "börjar med `-`", 'Skriv `text: "- punkt"`'),
    "unclosed-double-quote": ('namn: T\nx: "Trollhättan\n', (2, 4), "inleder texten avslutas aldrig", "samma sorts"),
    "unclosed-single-quote": ("namn: 'Trollhättan\nx: y\n", (1, 7), "inleder texten avslutas aldrig", "samma sorts"),
    "text-after-closing-quote": ('text: "Citat" sa hon\n', (1, 15), "efter ett avslutande citattecken", "hela texten"),
    "quote-inside-quotes": ('text: "Han sa "hej" till mig"\n', (1, 16), "efter ett avslutande", "andra sortens"),
    "undefined-alias": ("a: 1\nb: *c\n", (2, 4), "Ankare och alias", "Skriv ut värdet"),
    "bold-text": ("text: **Viktigt** fråga\n", (1, 7), "börjar med `*`", 'Skriv `text: "**Viktigt** fråga"`'),
    "at-sign": ("text: @kommunen\n", (1, 7), "börjar med `@`", 'Skriv `text: "@kommunen"`'),
    "backtick": ("text: `kod`\n", (1, 7), "börjar med `` ` ``", 'Skriv `text: "`kod`"`'),
    "more-than": ("text: > 80 kontroller\n", (1, 7), "börjar med `>`", 'Skriv `text: "> 80 kontroller"`'),
    "exclamation-mark": ("text: !Viktigt! läs\n", (1, 7), "börjar med `!`", 'Skriv `text: "!Viktigt! läs"`'),
    "backslash-in-double-quotes": ('fil: "C:\\Users\\a"\n', (1, 11), "omvänt snedstreck", "enkla citattecken"),
    "unclosed-bracket": ("fokusområden: [Trafik, Skola\nx: y\n", (1, 15), "avslutas inte med `]`", "`- `"),
    "unclosed-brace": ("kontakt: {namn: a\nx: y\n", (1, 10), "avslutas inte med `}`", "`}`"),
    "empty-list-item": ("a: [x, , y]\n", (1, 8), "Ett värde saknas", "kommatecken för mycket"),
    "second-document": ("namn: T\n---\nx: y\n", (2, 1), "flera YAML-dokument", "Ta bort raden"),
    "deep-flow-nesting": (DEEP_FLOW, (1, 58), "nästlat i mer än 50 nivåer", "Förenkla strukturen"),
    "deep-block-nesting": (DEEP_BLOCK, (51, 51), "nästlat i mer än 50 nivåer", "Förenkla strukturen"),
}


@pytest.fixture(params=list(LOADERS))
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Parse with libyaml, then with the pure-Python parser (the loader where libyaml is missing)."""
    monkeypatch.setattr(load, "_Loader", LOADERS[request.param])
    return request.param


@pytest.mark.parametrize("case", list(SYNTAX_ERRORS))
def test_yaml_syntax_errors_are_explained_in_swedish_at_their_place(loader: str, case: str) -> None:
    text, position, message, hint = SYNTAX_ERRORS[case]
    diagnostics = Diagnostics(Path("/"))
    assert load.parse_yaml(text, Path("/f.yaml"), diagnostics) is None
    [found] = diagnostics.items
    assert ((found.line, found.column), found.severity) == (position, Severity.ERROR), found
    assert message in found.message, found
    assert hint in found.hint, found


def test_both_parsers_are_exercised() -> None:
    """The C parser is the one normally used, and its nesting limit is the one that stops it first in the cases
    above, so the test of our limit's position is a test of the relocation."""
    assert yaml.__with_libyaml__
    assert LOADERS["libyaml"] is not LOADERS["python"]
    with pytest.raises(yaml.MarkedYAMLError, match=LIBYAML_TOO_DEEP):
        list(yaml.parse(DEEP_FLOW, Loader=yaml.CSafeLoader))


def test_an_unknown_yaml_error_keeps_the_parsers_words_in_a_swedish_message() -> None:
    mark = yaml.Mark("f.yaml", 3, 0, 3, None, None)
    found = explain(yaml.scanner.ScannerError(None, None, "found something new", mark), "a: b\n")
    assert (found.line, found.column) == (1, 4)
    assert found.message == "YAML-syntaxfel (found something new)."
    assert "mellanslag, inte tabb" in found.hint
