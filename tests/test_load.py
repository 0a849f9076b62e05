"""The loader's quicker tag resolution gives every value the type PyYAML's safe loader gives it."""

from __future__ import annotations

import pytest
import yaml

from medborgarlofte.load import _Loader, unshowable

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
