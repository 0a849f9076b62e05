"""Hostile and broken input (issue 7, first part): each a Swedish diagnostic with file and line, exit code 1, no
traceback, bounded time and memory, and the previous site untouched."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_build import tree
from test_validation import find

KOMMUN = "kommuner/trollhattan/kommun.yaml"
PROMISE = "kommuner/trollhattan/2021/medborgarlofte.md"

BILLION_LAUGHS = (
    'namn: &a ["ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha"]\n'
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
)

CASES = {
    "alias-bomb": (KOMMUN, BILLION_LAUGHS.encode(), (1, 7), "Ankare och alias (`&` och `*`) används inte"),
    "deep-nesting": (
        PROMISE,
        b"---\nrubrik: " + b"[" * 5000 + b"]" * 5000 + b"\n---\n",
        (2, 58),
        "nästlat i mer än 50",
    ),
    "python-tag": (
        KOMMUN,
        b'namn: !!python/object/apply:os.system ["echo hej"]\nkommunkod: "1488"\n',
        (1, 7),
        "Taggen `tag:yaml.org,2002:python/object/apply:os.system` är inte tillåten",
    ),
    "huge-file": (KOMMUN, b"namn: " + b"x" * 50_000_000 + b"\n", (1, 1), "Filen är för stor"),
    "binary": (KOMMUN, b"namn: Troll\nh\x00\x01\x02", (2, 1), "Filen är en binärfil"),
    "latin-1": (KOMMUN, "namn: Trollhättan\n".encode("latin-1"), (1, 13), "Filen är inte sparad som UTF-8"),
    "duplicate-key": (
        KOMMUN,
        'namn: Trollhättan\nkommunkod: "1488"\nnamn: Strömstad\nlokalpolisområde: X\n'.encode(),
        (3, 1),
        "Nyckeln `namn` finns redan på rad 1",
    ),
    "impossible-date": (
        PROMISE,
        "---\nrubrik: R\nperiod: 2021\nundertecknat: 2025-02-30\nåtaganden:\n  - id: a\n    text: T\n"
        "    ansvar: polisen\n---\n".encode(),
        (4, 15),
        "`2025-02-30` är inte ett giltigt datum",
    ),
    "control-character": (
        PROMISE,
        b"---\nrubrik: R\nperiod: 2021\n---\nBakgrund med ett osynligt \x01tecken.\n",
        (5, 27),
        "osynligt styrtecken (U+0001)",
    ),
    "noncharacter": (KOMMUN, "namn: Troll\ufffe\n".encode(), (1, 12), "osynligt styrtecken (U+FFFE)"),
    "escaped-control-character": (
        KOMMUN,
        b'namn: Trollh\xc3\xa4ttan\nkommunkod: "1488"\norganisation: "Stad\\f"\nlokalpolisomr\xc3\xa5de: X\n',
        (3, 15),
        "Värdet innehåller ett styrtecken (U+000C)",
    ),
    "id-with-slash": (
        PROMISE,
        "---\nrubrik: R\nperiod: 2021\nåtaganden:\n  - id: ../a\n    text: T\n    ansvar: polisen\n---\n".encode(),
        (5, 9),
        "Id `../a` är inte giltigt",
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_hostile_input_is_a_diagnostic_and_the_site_stays(cli, content: Path, case: str) -> None:
    out = content.parent / "_site"
    assert cli("build", "--no-pdf", "--content", content, "--out", out).code == 0
    before = tree(out)
    relative, data, (line, column), message = CASES[case]
    (content / relative).write_bytes(data)
    result = cli("build", "--no-pdf", "--content", content, "--out", out)
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    found = find(result, relative, message)
    assert (found.line, found.column) == (line, column), found
    assert tree(out) == before


def test_symlink_out_of_the_content_tree_is_refused(cli, content: Path) -> None:
    target = content / KOMMUN
    target.unlink()
    os.symlink("/etc/hostname", target)
    result = cli("check", "--content", content)
    assert result.code == 1
    assert find(result, KOMMUN, "pekar ut ur innehållsmappen").line == 1


def test_folder_slug_with_a_look_alike_letter_is_refused(cli, content: Path) -> None:
    (content / "kommuner" / "trollhattan").rename(content / "kommuner" / "trollhаttan")  # Cyrillic а
    result = cli("check", "--content", content)
    assert result.code == 1
    assert "är inte giltigt i en webbadress" in result.err


@pytest.mark.parametrize(
    "folder", ["kommuner", "content", "kommuner/trollhattan/2021/uppfoljningar"], ids=["kommuner", "content", "uppf"]
)
def test_a_folder_linked_out_of_the_content_tree_is_refused(cli, content: Path, tmp_path: Path, folder: str) -> None:
    """A file inside a linked folder is no link itself: the folder must be refused where it is reached, or files
    from anywhere on the building machine would be read as content."""
    outside = tmp_path / "utanfor"
    linked = content / folder
    if linked.exists():
        linked.rename(outside)
    else:  # a follow-up folder someone points elsewhere, holding a follow-up that would otherwise be published
        outside.mkdir()
        (outside / "2021-12.md").write_text("---\ndatum: 2021-12-01\n---\nUppföljning från en annan mapp.\n")
    os.symlink(outside, linked)
    result = cli("build", "--no-pdf", "--content", content, "--out", tmp_path / "_site")
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    assert find(result, folder, "pekar ut ur innehållsmappen").line == 1
    assert not (tmp_path / "_site").exists()
