"""The shipped commitments are the documents' own words.

`tests/source-documents/<kommun>/<löfte>.txt` holds the text of the document each promise in `kommuner/` was
transcribed from, as extracted from the PDF or the web page (Trollhättan 2025–2026 is Trollhättans Stad's web page,
Vaggeryd a tjänsteskrivelse). Every promise with its document there (the five the project started from, and any
other a maintainer adds) must have every commitment's `text` found in it word for word, once whitespace is
normalised and a hyphen that ends a line is read both ways (a word split across lines, or a hyphen of the text such
as "grann- och båtsamverkan").

The rule for a paraphrase: a promise whose `anmärkning` says that its commitments are **inte ordagrant** (not word for
word) may have texts that are not in the document, since every reader of its page is told so. The declaration must be
true in both directions: a promise that declares a paraphrase must have at least one commitment that is not verbatim,
so that a note never outlives the paraphrase it explains.

The content is read from the files, not through the generator's model, so the test does not share its mistakes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import REPO

SOURCES = Path(__file__).resolve().parent / "source-documents"
PARAPHRASE_DECLARED = "inte ordagrant"
_LINE_END_HYPHEN = re.compile(r"(?<=\w)-[ \t]*\r?\n\s*(?=\w)")


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def readings(document: str) -> tuple[str, str]:
    """The document with whitespace collapsed, once with each line-ending hyphen kept ("grann- och") and once with
    it joining the word it split ("narko-⏎tika" → "narkotika")."""
    return collapse(document), collapse(_LINE_END_HYPHEN.sub("", document))


def not_verbatim(texts: dict[str, str], document: str) -> list[str]:
    """The ids of the texts that are in neither reading of the document."""
    candidates = readings(document)
    return [key for key, text in texts.items() if not any(collapse(text) in reading for reading in candidates)]


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1])


SHIPPED = {
    f"{path.parent.parent.name}/{path.parent.name}": path
    for path in sorted((REPO / "kommuner").glob("*/*/medborgarlofte.md"))
}


def document_path(promise: str) -> Path:
    return SOURCES / f"{promise}.txt"


COPIES = sorted(path.relative_to(SOURCES).with_suffix("").as_posix() for path in SOURCES.rglob("*.txt"))
FIVE = {
    "ostersund/medborgarlofte",
    "stromstad/2023-2024",
    "trollhattan/2021",
    "trollhattan/2025-2026",
    "vaggeryd/medborgarlofte",
}


def test_every_document_in_the_tests_is_a_shipped_promise_and_the_five_are_there() -> None:
    """A communicator's new promise needs no file in tests/ (a pull request with content never goes red for it);
    the documents the project started from can never drop out of the guard."""
    assert [copy for copy in COPIES if copy not in SHIPPED] == [], "a document whose promise is not in kommuner/"
    assert set(COPIES) >= FIVE


@pytest.mark.parametrize("promise", COPIES)
def test_commitments_are_the_documents_words_unless_the_note_says_otherwise(promise: str) -> None:
    matter = front_matter(SHIPPED[promise])
    text = document_path(promise).read_text(encoding="utf-8")
    differing = not_verbatim({c["id"]: c["text"] for c in matter["åtaganden"]}, text)
    declared = PARAPHRASE_DECLARED in (matter.get("anmärkning") or "")
    if declared:
        assert differing, f"{promise}: `anmärkning` says {PARAPHRASE_DECLARED!r}, but every commitment is verbatim"
    else:
        assert not differing, (
            f"{promise}: not found word for word in its document: {differing}. Write the document's words, "
            f"or say in `anmärkning` that the commitments are {PARAPHRASE_DECLARED} and why."
        )


def test_the_one_declared_paraphrase_is_vaggeryds_summary() -> None:
    declared = [p for p, path in SHIPPED.items() if PARAPHRASE_DECLARED in (front_matter(path).get("anmärkning") or "")]
    assert declared == ["vaggeryd/medborgarlofte"]


def test_a_changed_word_or_an_invented_commitment_is_caught() -> None:
    stromstad = document_path("stromstad/2023-2024").read_text(encoding="utf-8")
    texts = {
        "verbatim": "Minst fyrtio (40) fot- eller cykelpatruller per år.",
        "number-changed": "Minst åttio (80) trafikkontroller per år, med betoning på nykterhet.",
        "invented": "Polisen ska byta belysningsarmaturer till LED.",
    }
    assert not_verbatim(texts, stromstad) == ["number-changed", "invented"]


def test_line_end_hyphens_are_read_both_ways() -> None:
    text = "implementera grann-\n\noch båtsamverkan. Arbeta mot narko-\ntika i centrum."
    texts = {
        "kept": "grann- och båtsamverkan.",
        "joined": "Arbeta mot narkotika i centrum.",
        "neither": "grann-och båtsamverkan.",
    }
    assert not_verbatim(texts, text) == ["neither"]
