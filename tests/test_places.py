"""Hitta din kommun: the finder's index by name, ort and postal code, and the JSON file the browser loads."""

from __future__ import annotations

import csv
import gzip
import json
from importlib import resources

import pytest

from medborgarlofte.content.registry import load_registry
from medborgarlofte.outputs.places import MatchKind, find, finder_payload, fold, load_places
from medborgarlofte.swedish import sort_key

PAYLOAD_BUDGET = 60_000
PAYLOAD_GZIP_BUDGET = 20_000


def postal_rows() -> list[dict[str, str]]:
    text = resources.files("medborgarlofte").joinpath("data", "postal_to_municipality.csv").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def hrefs() -> dict[str, str]:
    return {code: f"/kommuner/{code}/" for code in load_registry().kommuner}


def codes(query: str) -> list[str]:
    return [match.code for match in find(query)]


def test_a_postal_code_with_or_without_its_space_finds_its_kommun() -> None:
    for query in ("44130", "441 30", " 441 30 "):
        [match] = find(query)
        assert (match.code, match.name, match.kind, match.text) == ("1489", "Alingsås", MatchKind.POSTNUMMER, "441 30")
    assert codes("461 30") == ["1488"]


def test_every_postal_code_finds_exactly_its_kommun() -> None:
    for row in postal_rows():
        [match] = find(row["postal_code"])
        assert (match.code, match.kind) == (row["municipality_code"], MatchKind.POSTNUMMER), row


def test_the_start_of_a_postal_code_finds_every_kommun_with_codes_that_start_so() -> None:
    expected = {row["municipality_code"] for row in postal_rows() if row["postal_code"].startswith("441")}
    matches = find("441")
    assert {m.code for m in matches} == expected and len(matches) == len(expected) > 1
    assert {m.kind for m in matches} == {MatchKind.POSTNUMMEROMRADE}


def test_a_postal_code_between_two_kommuners_codes_finds_both_by_its_start() -> None:
    known = {row["postal_code"] for row in postal_rows()}
    assert "12124" not in known
    expected = {row["municipality_code"] for row in postal_rows() if row["postal_code"].startswith("1212")}
    matches = find("121 24")
    assert {m.code for m in matches} == expected and len(expected) == 2
    assert {(m.kind, m.text) for m in matches} == {(MatchKind.POSTNUMMEROMRADE, "121 2")}


def test_too_short_or_too_long_numbers_find_nothing() -> None:
    assert find("44") == find("441300") == find("") == find("  -  ") == []


def test_an_ort_in_several_kommuner_finds_them_all() -> None:
    assert [(m.name, m.kind, m.text) for m in find("Bromma")] == [
        ("Ekerö", MatchKind.ORT, "Bromma"),
        ("Stockholm", MatchKind.ORT, "Bromma"),
    ]
    södertälje = find("södertälje")
    assert [(m.name, m.kind) for m in södertälje] == [
        ("Södertälje", MatchKind.KOMMUN),
        ("Nykvarn", MatchKind.ORT),
        ("Salem", MatchKind.ORT),
    ]


def test_every_ort_in_several_kommuner_keeps_all_of_them() -> None:
    by_ort: dict[str, set[str]] = {}
    for row in postal_rows():
        by_ort.setdefault(row["locality"], set()).add(row["municipality_code"])
    several = {ort: kommuner for ort, kommuner in by_ort.items() if len(kommuner) > 1}
    assert len(several) == 81
    for ort, kommuner in several.items():
        assert kommuner <= set(codes(ort)), ort


def test_a_kommun_name_is_found_with_and_without_its_diacritics() -> None:
    assert codes("Trollhättan")[0] == codes("trollhattan")[0] == codes("TROLLHÄTTAN")[0] == "1488"
    assert codes("Örebro")[0] == codes("orebro")[0] == "1880"
    # Håbo and Habo fold to the same letters: both answer, the one spelt as typed first.
    assert codes("Håbo") == ["0305", "0643"]
    assert codes("Habo") == ["0643", "0305"]


def test_names_are_found_by_their_start_and_the_start_of_a_later_word() -> None:
    assert codes("Trollhä")[0] == "1488"
    assert "0114" in codes("väsby")
    assert codes("Upplands-Väsby") == codes("upplands vasby") == ["0114"]
    assert [(m.code, m.text) for m in find("Region Gotland")] == [("0980", "Region Gotland")]


def test_a_misspelt_name_finds_nothing() -> None:
    assert find("Trolhättan") == find("Stokholm") == find("Göteborgg") == []


def test_every_kommun_is_found_first_by_its_name_and_its_official_name() -> None:
    kommuner = load_registry().kommuner.values()
    assert len(kommuner) == 290
    for kommun in kommuner:
        assert codes(kommun.name)[0] == kommun.code, kommun
        assert codes(kommun.official_name)[0] == kommun.code, kommun
        assert kommun.code in codes(fold(kommun.name)), kommun


def test_every_kommun_is_found_by_one_of_its_postal_codes() -> None:
    first_code = {}
    for row in postal_rows():
        first_code.setdefault(row["municipality_code"], row["postal_code"])
    assert set(first_code) == set(load_registry().kommuner)
    for kommun, postal_code in first_code.items():
        assert codes(postal_code) == [kommun]


def test_fold_is_what_the_browser_computes() -> None:
    assert fold("  Upplands-Väsby ") == "upplands vasby"
    assert fold("ÅRE") == "are"
    assert fold("441 30") == "441 30"
    assert fold("Malmö, Skåne!") == "malmo skane"


def test_localities_of_a_kommun() -> None:
    orter = load_places().localities("0181")
    assert "Södertälje" in orter and "Järna" in orter
    assert list(orter) == sorted(orter, key=sort_key)


def _decode_postal(payload: dict, postal_code: int) -> str | None:
    """What the browser finds for a whole postal code, read from the payload as its docstring describes."""
    end = 0
    for i in range(0, len(payload["postnummer"]), 3):
        gap, length, position = payload["postnummer"][i : i + 3]
        first, end = end + gap, end + gap + length
        if first <= postal_code <= end:
            return payload["kommuner"][position][0]
    return None


def test_the_payload_answers_as_find_does() -> None:
    payload = json.loads(finder_payload(hrefs()))
    assert [k[0] for k in payload["kommuner"]] == [k.code for k in load_places().kommuner]
    assert all(href == f"/kommuner/{code}/" for code, _, _, href in payload["kommuner"])
    for row in postal_rows()[::7]:
        assert _decode_postal(payload, int(row["postal_code"])) == row["municipality_code"], row
    bromma = payload["orter"]["Bromma"]
    assert sorted(payload["kommuner"][p][0] for p in bromma) == ["0125", "0180"]
    alunda = load_places().orter["Alunda"]
    assert [payload["kommuner"][p][0] for p in payload["orter"]["Alunda"]] == list(alunda)
    assert len(payload["orter"]) == len(load_places().orter)


def test_the_payload_is_deterministic_and_small() -> None:
    payload = finder_payload(hrefs())
    reordered = dict(reversed(hrefs().items()))
    assert finder_payload(reordered) == payload
    assert len(payload) < PAYLOAD_BUDGET, len(payload)
    assert len(gzip.compress(payload, mtime=0)) < PAYLOAD_GZIP_BUDGET


def test_the_payload_needs_every_kommuns_address() -> None:
    addresses = hrefs()
    del addresses["1488"]
    with pytest.raises(ValueError, match="1488"):
        finder_payload(addresses)
