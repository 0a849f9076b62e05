"""The loader's quicker tag resolution gives every value the type PyYAML's safe loader gives it."""

from __future__ import annotations

import pytest
import yaml

from medborgarlofte.load import _Loader

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
