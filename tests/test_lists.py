"""Every list and every wording is defined once: the statuses in status.py, the ansvar and a promise's states in
vocabulary.py, the wordings for what a document leaves out in model.py, a rating's outcome in one macro. These tests
read the source, so that a second copy fails here rather than drifting apart from the first."""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path
from typing import get_args

import pytest
from conftest import REPO
from pydantic import ValidationError

from medborgarlofte.content.schema import Comparison, PromiseState, RatingStatus, Responsibility
from medborgarlofte.content.status import NOT_RATED, RATING_KEYS, STATUSES
from medborgarlofte.content.vocabulary import NAMED_RESPONSIBILITIES, PROMISE_STATES, TARGET_COMPARISONS
from medborgarlofte.outputs.data import dataset_schema, promise_schema
from medborgarlofte.outputs.records import RatingRecord, TargetRecord
from medborgarlofte.outputs.urls import SiteUrls

PACKAGE = REPO / "medborgarlofte"
TEMPLATES = REPO / "theme" / "templates"
BENCHMARKS = REPO / "benchmarks"
# Each list with the module that defines it: its keys and their Swedish words.
LISTS = {
    "statuses": ("status.py", {word for status in STATUSES for word in (status.key, status.label)}),
    "ansvar": ("vocabulary.py", {word for r in NAMED_RESPONSIBILITIES for word in (r.key, r.label)}),
    "states": ("vocabulary.py", {word for pair in PROMISE_STATES.items() for word in pair}),
    "comparisons": ("vocabulary.py", set(TARGET_COMPARISONS)),
}


def string_constants(path: Path) -> list[str]:
    """Every string in a module's code, the pieces of f-strings included."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def test_the_statuses_are_written_out_only_in_status_py() -> None:
    words = {word for status in STATUSES for word in (status.key, status.label)}
    elsewhere = {
        f"{path.name}: {text}"
        for path in PACKAGE.rglob("*.py")
        if path.name != "status.py"
        for text in string_constants(path)
        if text in words
    }
    assert elsewhere == set()


def written_collections(path: Path) -> list[set[str]]:
    """The strings of each tuple, list, set and dict written in a module's code (a `Literal[...]`'s included)."""
    collections = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        items = [*node.keys, *node.values] if isinstance(node, ast.Dict) else getattr(node, "elts", None)
        if isinstance(node, ast.Tuple | ast.List | ast.Set | ast.Dict) and items is not None:
            collections.append({item.value for item in items if isinstance(item, ast.Constant)} - {None})
    return collections


@pytest.mark.parametrize("name", LISTS)
def test_no_module_writes_a_list_out_again(name: str) -> None:
    """Two or more of a list's words written together, in the package or the benchmarks, are a second copy of it."""
    home, words = LISTS[name]
    copies = [
        f"{path.relative_to(REPO)}: {sorted(found)}"
        for path in [*PACKAGE.rglob("*.py"), *BENCHMARKS.glob("*.py")]
        if path.name != home
        for collection in written_collections(path)
        if len(found := collection & words) >= 2
    ]
    assert copies == []


def test_the_check_for_copies_finds_one(tmp_path: Path) -> None:
    module = tmp_path / "copy.py"
    module.write_text('State = Literal["förslag", "gällande"]\nLABELS = {"polisen": "Polisen"}\n', encoding="utf-8")
    assert {"förslag", "gällande"} in [c & LISTS["states"][1] for c in written_collections(module)]
    assert {"polisen", "Polisen"} in [c & LISTS["ansvar"][1] for c in written_collections(module)]


def test_the_content_format_takes_its_lists_from_vocabulary_py() -> None:
    assert get_args(Responsibility) == tuple(r.key for r in NAMED_RESPONSIBILITIES)
    assert get_args(PromiseState) == tuple(PROMISE_STATES)


def test_the_content_format_takes_its_statuses_from_status_py() -> None:
    """The statuses a follow-up may give: every status but `ej bedömt`, in the order of the work."""
    assert get_args(RatingStatus) == RATING_KEYS
    assert set(RATING_KEYS) == {status.key for status in STATUSES} - {NOT_RATED.key}
    assert [status.step for status in STATUSES if status.key in RATING_KEYS] != sorted(
        status.step or 0 for status in STATUSES if status.key in RATING_KEYS
    ), "the summaries' order and the order of the work differ; both come from STATUSES"


def test_a_missing_period_is_worded_only_in_model_py() -> None:
    """The pages, the search index and the lists of kommuner say the same thing about a period the document leaves
    out, from model.py's NOT_STATED; no template words it."""
    wordings = {
        f"{path.name}: {text}"
        for path in PACKAGE.rglob("*.py")
        for text in string_constants(path)
        if re.search(r"perioden? anges inte", text, re.IGNORECASE)
    }
    assert wordings == set()
    assert [path.name for path in TEMPLATES.glob("*.html") if "anges inte" in path.read_text(encoding="utf-8")] == []


def test_a_ratings_outcome_is_worded_once_in_the_model() -> None:
    """The templates show `Rating.outcome_note`; none words an outcome of its own."""
    assert not [path.name for path in TEMPLATES.glob("*.html") if re.search(r"utfall \{\{", path.read_text("utf-8"))]


def test_a_template_looks_each_page_up_once() -> None:
    """`site.page(slug)` finds a page by going through them all; a template that needs one asks once (and the status
    page is the model's `site.status_page`)."""
    for path in TEMPLATES.glob("*.html"):
        slugs = re.findall(r"site\.page\('([^']+)'\)", path.read_text(encoding="utf-8"))
        assert len(slugs) == len(set(slugs)), path.name
        assert "sa-bedomer-vi" not in slugs, path.name


def _properties(schema: dict, definition: str) -> dict:
    return schema["$defs"][definition]["properties"]


def test_the_published_schema_takes_its_statuses_from_status_py() -> None:
    schema = promise_schema(SiteUrls("https://example.org/"))
    assert _properties(schema, "åtagande")["status"]["enum"] == [status.key for status in STATUSES]
    assert _properties(schema, "bedömning")["status"]["enum"] == list(RATING_KEYS)


def test_the_open_data_is_described_once_by_its_records() -> None:
    """data.py builds records and encodes them; the JSON Schema is generated from the records (records.py), with
    no schema written by hand beside them, and the target's keys are the content format's comparisons."""
    keywords = {"additionalProperties", "required", "anyOf", "oneOf", "$defs", "properties"}
    assert keywords & set(string_constants(PACKAGE / "outputs" / "data.py")) == set()
    assert [field.alias for field in TargetRecord.model_fields.values()][:3] == list(get_args(Comparison))
    schema = dataset_schema(SiteUrls("https://example.org/"))
    for name, definition in schema["$defs"].items():
        assert definition["additionalProperties"] is False, name
        assert set(definition["required"]) == set(definition["properties"]), name


def test_a_record_refuses_what_its_schema_refuses() -> None:
    """Building a record checks it as the schema does: a follow-up never rates a commitment `ej bedömt`."""
    with pytest.raises(ValidationError):
        RatingRecord(published=date(2025, 1, 1), status=NOT_RATED.key, outcome=None, comment=None, sources=[])
