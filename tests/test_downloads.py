"""Downloads: every promise as a tagged PDF/UA, as JSON and as CSV, the whole data set in /data/, and attachments.

The PDFs are opened with pikepdf (tags, structure tree, PDF/UA identification, language, title, page size) and their
text is read with pypdf; the JSON is validated against the JSON Schemas the site publishes; the CSV is read the way a
spreadsheet user's program would. Expected values are read from the content files themselves (front matter), not from
the generator's model, so the tests do not share the generator's mistakes.

Builds are slow (WeasyPrint), so each content tree is built once per module where the tests only read the result.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pikepdf
import pypdf
import pytest
import yaml
from conftest import FIXTURES, REPO
from jsonschema import Draft202012Validator, FormatChecker
from test_validation import PROMISE, VALID_PROMISE, check, find, write

from medborgarlofte.cli import main
from medborgarlofte.outputs.data import CSV_COLUMNS
from medborgarlofte.outputs.downloads import ATTACHMENT_FORMATS
from medborgarlofte.swedish import format_size

DEMO = REPO / "examples" / "demo"
BUILD_DATE = datetime(2026, 11, 21, tzinfo=UTC)
EPOCH = str(int(BUILD_DATE.timestamp()))
IGNORED = shutil.ignore_patterns(".cache", "_site")  # build output that a content tree may carry locally

FORMATS = {"pdf": "PDF", "json": "JSON", "csv": "CSV"}
COLUMNS = [column for column, _ in CSV_COLUMNS]
BOM = b"\xef\xbb\xbf"
A4 = (595.28, 841.89)  # 210 × 297 mm in points
PDFUA_PART = "{http://www.aiim.org/pdfua/ns/id/}part"
DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
LONG_TEXT = 160  # a commitment longer than this is checked by its first LONG_TEXT characters

# The minimal fixture's promise with two commitments a spreadsheet would run as formulas and one attachment.
ATTACHMENT = "kommuner/trollhattan/2021/undertecknat.pdf"
ATTACHMENT_TITLE = "Undertecknat medborgarlöfte"
ATTACHMENT_BYTES = b"%PDF-1.4\n% ett pahittat undertecknat dokument\n" + b"0" * 3200 + b"\n%%EOF\n"
FORMULA_TEXT = '=HYPERLÄNK("https://example.org";"Klicka")'
AT_TEXT = "@kommunen svarar på frågor i sociala medier."
PROMISE_WITH_EXTRAS = """\
---
rubrik: Medborgarlöfte i Trollhättan 2021
period: 2021
undertecknat: 2021-03-01
fokusområden:
  - Narkotika
  - Trafik
åtaganden:
  - id: narkotika
    text: Arbeta mot narkotika.
    ansvar: gemensamt
    fokusområde: Narkotika
  - id: trafikkontroller
    text: Minst åttio trafikkontroller per år.
    ansvar: polisen
    fokusområde: Trafik
    mål: {antal: 80, enhet: trafikkontroller, per: år}
  - id: formel
    text: =HYPERLÄNK("https://example.org";"Klicka")
    ansvar: kommunen
  - id: snabel-a
    text: "@kommunen svarar på frågor i sociala medier."
    ansvar: kommunen
bilagor:
  - fil: undertecknat.pdf
    titel: Undertecknat medborgarlöfte
---
Bakgrund till löftet.
"""


# --- Reading the content and the built site ------------------------------------------------------------------------


def front_matter(path: Path) -> dict[str, Any]:
    _, matter, _ = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(matter)


def kommun_dirs(root: Path) -> list[Path]:
    return sorted(path.parent for path in (root / "kommuner").glob("*/kommun.yaml"))


def promise_files(root: Path) -> list[Path]:
    return sorted((root / "kommuner").glob("*/*/medborgarlofte.md"))


def promise_id(promise_file: Path) -> str:
    return f"{promise_file.parent.parent.name}/{promise_file.parent.name}"


def download(site: Path, promise: str, extension: str) -> Path:
    kommun, slug = promise.split("/")
    return site / kommun / slug / f"medborgarlofte-{kommun}-{slug}.{extension}"


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def without_space(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(path: Path) -> str:
    return normalise(" ".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages))


def structure_types(pdf: pikepdf.Pdf) -> Counter[str]:
    """The structure element types of the tagged PDF, counted (what `pdfinfo -struct` lists)."""
    return Counter(str(element.S).lstrip("/") for element in structure_elements(pdf.Root.StructTreeRoot.K))


def structure_elements(node: Any) -> Iterator[pikepdf.Dictionary]:
    if isinstance(node, pikepdf.Array):
        for child in node:
            yield from structure_elements(child)
    elif isinstance(node, pikepdf.Dictionary):
        if "/S" in node:
            yield node
        if "/K" in node:
            yield from structure_elements(node.K)


def children(element: pikepdf.Dictionary) -> list[str]:
    kids = element.get("/K")
    items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    return [str(kid.S).lstrip("/") for kid in items if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]


def build_quietly(root: Path, out: Path, *extra: str) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        assert main(["build", "--content", str(root), "--out", str(out), *extra]) == 0


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


# Links to files on the site, with the "(PDF, 24 kB)" label that follows them.
_LINK = re.compile(
    r'<a href="(?P<href>/[^"]+\.(?P<ext>pdf|json|csv|docx|odt|png|jpg))"[^>]*>(?P<text>.*?)</a>'
    r'(?:\s*<span class="muted">\((?P<label>[^)]*)\)</span>)?',
    re.S,
)


def file_links(html: str) -> list[re.Match[str]]:
    main_part = html[html.index("<main") : html.index("</main>")]
    return list(_LINK.finditer(main_part))


def target(site: Path, href: str) -> Path:
    return site / unescape(urlsplit(href).path).lstrip("/")


# --- Sites ---------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """examples/demo copied (without any local cache) and built, dated 2026-11-21: (content root, site)."""
    root = tmp_path_factory.mktemp("demo") / "demo"
    shutil.copytree(DEMO, root, ignore=IGNORED)
    out = root.parent / "_site"
    build_quietly(root, out)
    return root, out


@pytest.fixture(scope="module")
def minimal(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The minimal fixture (no licence in site.yaml) with formula-like commitments and an attachment, built."""
    root = tmp_path_factory.mktemp("minimal") / "innehall"
    shutil.copytree(FIXTURES / "minimal", root, ignore=IGNORED)
    write(root, PROMISE, PROMISE_WITH_EXTRAS)
    write(root, ATTACHMENT, ATTACHMENT_BYTES)
    out = root.parent / "_site"
    build_quietly(root, out)
    return root, out


class Sites:
    """Content root and built site by name: the shipped content, the demo and the minimal fixture; each is built
    the first time a test asks for it."""

    def __init__(self, request: pytest.FixtureRequest) -> None:
        self.request = request

    def __getitem__(self, name: str) -> tuple[Path, Path]:
        if name == "shipped":
            return REPO, self.request.getfixturevalue("shipped_site")
        return self.request.getfixturevalue(name)


@pytest.fixture
def sites(request: pytest.FixtureRequest) -> Sites:
    return Sites(request)


SHIPPED_PROMISES = [("shipped", promise_id(path)) for path in promise_files(REPO)]
DEMO_PROMISES = [("demo", promise_id(path)) for path in promise_files(DEMO)]
every_promise = pytest.mark.parametrize(
    ("site_name", "promise"),
    SHIPPED_PROMISES + DEMO_PROMISES,
    ids=[f"{name}:{promise}" for name, promise in SHIPPED_PROMISES + DEMO_PROMISES],
)
both_sites = pytest.mark.parametrize("site_name", ["shipped", "demo"])


def test_there_are_promises_to_test() -> None:
    assert len(SHIPPED_PROMISES) >= 4
    assert ("demo", "exempelby/2025-2026") in DEMO_PROMISES


# --- 1, 2. PDF ------------------------------------------------------------------------------------------------------


@every_promise
def test_pdf_is_tagged_pdf_ua_in_swedish_with_title_and_author(sites, site_name: str, promise: str) -> None:
    root, site = sites[site_name]
    matter = front_matter(root / "kommuner" / promise / "medborgarlofte.md")
    kommun = yaml.safe_load((root / "kommuner" / promise.split("/")[0] / "kommun.yaml").read_text(encoding="utf-8"))
    with pikepdf.open(download(site, promise, "pdf")) as pdf:
        assert pdf.Root.MarkInfo.Marked is True, "the PDF is not marked as tagged"
        assert "/StructTreeRoot" in pdf.Root
        assert str(pdf.Root.Lang) == "sv"
        metadata = pdf.open_metadata()
        assert metadata.get(PDFUA_PART) == "1", "no PDF/UA identification (pdfuaid:part) in the XMP metadata"
        assert matter["rubrik"] in str(pdf.docinfo["/Title"])
        assert matter["rubrik"] in str(metadata.get(DC_TITLE))
        author = str(pdf.docinfo.get("/Author", ""))
        assert any(name in author for name in (kommun["namn"], kommun.get("organisation")) if name), author
        assert kommun["lokalpolisområde"] in author
        assert author in metadata.get(DC_CREATOR, [])
        # PDF/UA-1 (ISO 14289-1, 7.1): a viewer shows the title, not the file name.
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True


@every_promise
def test_pdf_structure_tree_has_headings_lists_and_a_table(sites, site_name: str, promise: str) -> None:
    _, site = sites[site_name]
    with pikepdf.open(download(site, promise, "pdf")) as pdf:
        types = structure_types(pdf)
    assert sum(types.values()) >= 30, f"a trivial structure tree: {dict(types)}"
    assert types["H1"] == 1, f"expected exactly one H1: {dict(types)}"
    for kind in ("H2", "L", "LI", "Table", "TH", "TD", "P"):
        assert types[kind] >= 1, f"no {kind} in the structure tree: {dict(types)}"


@every_promise
def test_pdf_list_items_hold_only_label_and_body(sites, site_name: str, promise: str) -> None:
    """ISO 32000-1, 14.8.4.3.3: the children of an LI are Lbl and LBody; assistive technology reads the item's
    content from its LBody."""
    _, site = sites[site_name]
    with pikepdf.open(download(site, promise, "pdf")) as pdf:
        items = [children(e) for e in structure_elements(pdf.Root.StructTreeRoot.K) if str(e.S) == "/LI"]
    wrong = [kinds for kinds in items if not set(kinds) <= {"Lbl", "LBody"}]
    assert not wrong, f"{len(wrong)} of {len(items)} list items have other children: {wrong[:3]}"


@every_promise
def test_pdf_is_a4(sites, site_name: str, promise: str) -> None:
    _, site = sites[site_name]
    with pikepdf.open(download(site, promise, "pdf")) as pdf:
        assert len(pdf.pages) >= 1
        for page in pdf.pages:
            x0, y0, x1, y1 = (float(v) for v in page.mediabox)
            assert (x1 - x0, y1 - y0) == pytest.approx(A4, abs=1), "the page is not A4 portrait"


@every_promise
def test_pdf_text_holds_every_commitment(sites, site_name: str, promise: str) -> None:
    root, site = sites[site_name]
    matter = front_matter(root / "kommuner" / promise / "medborgarlofte.md")
    text = pdf_text(download(site, promise, "pdf"))
    assert normalise(matter["rubrik"]) in text
    for commitment in matter["åtaganden"]:
        expected = normalise(commitment["text"])
        expected = expected[:LONG_TEXT] if len(expected) > LONG_TEXT else expected
        assert expected in text, f"commitment {commitment['id']} is not in the PDF: {expected!r}"


def test_demo_pdf_shows_status_progress_signatories_date_and_address(demo) -> None:
    _, site = demo
    text = pdf_text(download(site, "exempelby/2025-2026", "pdf"))
    for words in ("Pågår", "Försenat", "Genomfört", "Ej bedömt"):
        assert words in text
    assert (
        "Utfall: 2025: 84 av minst 80 trafikkontroller, målet är nått; "
        "2026 hittills: 42 av minst 80 trafikkontroller, 38 kvar till målet."
    ) in text
    assert "Mål: minst 80 trafikkontroller per år." in text
    assert "Anna Exempel, Lokalpolisområdeschef, Polisen" in text
    assert "Bo Påhitt, Kommunstyrelsens ordförande, Exempelby kommun" in text
    assert "Skapad 21 november 2026" in text
    assert "Påhittat exempel" in text
    # A long address may be broken across lines in the PDF.
    assert "https://example.org/exempelby/2025-2026/" in without_space(text)


def test_pdf_says_when_no_follow_up_is_published(shipped_site: Path) -> None:
    text = pdf_text(download(shipped_site, "trollhattan/2021", "pdf"))
    assert "Perioden slutade 2021. Ingen uppföljning har publicerats." in text
    assert "Ej bedömt" in text


# --- 3. JSON -------------------------------------------------------------------------------------------------------


def _checker() -> FormatChecker:
    """jsonschema's format checker, with a URI check that needs no optional package."""
    checker = FormatChecker()

    @checker.checks("uri")
    def is_uri(value: object) -> bool:
        if not isinstance(value, str):
            return True
        parts = urlsplit(value)
        return bool(parts.scheme and (parts.netloc or parts.path)) and not re.search(r"\s", value)

    return checker


def _validator(site: Path, name: str) -> tuple[Draft202012Validator, dict[str, Any]]:
    schema = json.loads((site / "data" / name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=_checker()), schema


def _errors(validator: Draft202012Validator, document: object) -> str:
    return "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document))


@both_sites
def test_every_promise_json_validates_against_the_published_schema(sites, site_name: str) -> None:
    root, site = sites[site_name]
    validator, schema = _validator(site, "medborgarlofte.schema.json")
    assert schema["$id"].endswith("/data/medborgarlofte.schema.json")
    for promise_file in promise_files(root):
        promise = promise_id(promise_file)
        document = json.loads(download(site, promise, "json").read_text(encoding="utf-8"))
        assert not (errors := _errors(validator, document)), f"{promise}:\n{errors}"
        assert document["schemaversion"]
        assert document["$schema"] == schema["$id"]
        record = document["medborgarlöfte"]
        matter = front_matter(promise_file)
        assert record["id"] == promise
        assert record["rubrik"] == matter["rubrik"]
        assert record["webbadress"].endswith(f"/{promise}/")
        assert [c["id"] for c in record["åtaganden"]] == [c["id"] for c in matter["åtaganden"]]
        assert [c["text"] for c in record["åtaganden"]] == [c["text"] for c in matter["åtaganden"]]


@both_sites
def test_data_set_json_validates_and_counts_match_the_content(sites, site_name: str) -> None:
    root, site = sites[site_name]
    validator, schema = _validator(site, "medborgarloften.schema.json")
    document = json.loads((site / "data" / "medborgarloften.json").read_text(encoding="utf-8"))
    assert not (errors := _errors(validator, document)), errors
    assert document["schemaversion"]
    assert document["$schema"] == schema["$id"]
    kommuner = document["kommuner"]
    promises = [p for k in kommuner for p in k["medborgarlöften"]]
    assert len(kommuner) == len(kommun_dirs(root))
    assert sorted(p["id"] for p in promises) == sorted(promise_id(path) for path in promise_files(root))
    assert sum(len(p["åtaganden"]) for p in promises) == sum(
        len(front_matter(path)["åtaganden"]) for path in promise_files(root)
    )


def test_fictional_kommun_is_marked_in_json(demo) -> None:
    _, site = demo
    document = json.loads(download(site, "exempelby/2025-2026", "json").read_text(encoding="utf-8"))
    assert document["kommun"]["påhittad"] is True
    data_set = json.loads((site / "data" / "medborgarloften.json").read_text(encoding="utf-8"))
    assert {k["namn"]: k["påhittad"] for k in data_set["kommuner"]} == {"Exempelby": True, "Påhittebo": True}


def test_real_kommuner_are_not_marked_fictional(shipped_site: Path) -> None:
    data_set = json.loads((shipped_site / "data" / "medborgarloften.json").read_text(encoding="utf-8"))
    assert data_set["kommuner"]
    assert all(k["påhittad"] is False for k in data_set["kommuner"])


def test_json_carries_the_latest_status_and_its_history(demo) -> None:
    _, site = demo
    document = json.loads(download(site, "exempelby/2025-2026", "json").read_text(encoding="utf-8"))
    commitments = {c["id"]: c for c in document["medborgarlöfte"]["åtaganden"]}
    traffic = commitments["trafikkontroller"]
    assert (traffic["status"], traffic["statusdatum"], traffic["utfall"]) == ("pågår", "2026-06-15", 42)
    assert traffic["mål"] == {"minst": 80, "högst": None, "antal": None, "enhet": "trafikkontroller", "per": "år"}
    assert [r["datum"] for r in traffic["historik"]] == sorted((r["datum"] for r in traffic["historik"]), reverse=True)
    assert commitments["grannsamverkan"]["status"] == "ej bedömt"
    assert commitments["grannsamverkan"]["historik"] == []


# --- 4. CSV --------------------------------------------------------------------------------------------------------


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=";"))


def _csv_bytes_are_excel_friendly(path: Path) -> None:
    raw = path.read_bytes()
    assert raw.startswith(BOM), f"{path.name} does not start with the UTF-8 byte-order mark"
    assert raw.endswith(b"\r\n")
    assert raw[len(BOM) :].split(b"\r\n", 1)[0].decode("utf-8") == ";".join(COLUMNS)
    assert b"\n" not in raw.replace(b"\r\n", b""), f"{path.name} has a line ending that is not CRLF"


@both_sites
def test_csv_header_rows_and_encoding(sites, site_name: str) -> None:
    root, site = sites[site_name]
    data_set = site / "data" / "medborgarloften.csv"
    _csv_bytes_are_excel_friendly(data_set)
    rows = read_csv(data_set)
    assert rows[0] == COLUMNS
    total = 0
    for promise_file in promise_files(root):
        promise = promise_id(promise_file)
        commitments = front_matter(promise_file)["åtaganden"]
        total += len(commitments)
        path = download(site, promise, "csv")
        _csv_bytes_are_excel_friendly(path)
        promise_rows = read_csv(path)
        assert promise_rows[0] == COLUMNS
        assert len(promise_rows) - 1 == len(commitments), promise
        assert all(len(row) == len(COLUMNS) for row in promise_rows)
        as_dicts = [dict(zip(COLUMNS, row, strict=True)) for row in promise_rows[1:]]
        assert [row["åtagande_id"] for row in as_dicts] == [c["id"] for c in commitments]
        assert {row["löfte_id"] for row in as_dicts} == {promise}
    assert len(rows) - 1 == total


def test_csv_keeps_swedish_characters(shipped_site: Path) -> None:
    rows = [dict(zip(COLUMNS, row, strict=True)) for row in read_csv(shipped_site / "data" / "medborgarloften.csv")[1:]]
    kommuner = {row["kommun"] for row in rows}
    assert {"Trollhättan", "Östersund"} <= kommuner
    assert "Västra Götalands län" in {row["län"] for row in rows}
    assert "Östra Fyrbodal" in {row["lokalpolisområde"] for row in rows}


def test_csv_statuses_and_targets_from_follow_ups(demo) -> None:
    _, site = demo
    rows = read_csv(download(site, "exempelby/2025-2026", "csv"))
    by_id = {row[COLUMNS.index("åtagande_id")]: dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]}
    traffic = by_id["trafikkontroller"]
    assert (traffic["status"], traffic["utfall"]) == ("pågår", "42")
    assert (traffic["mål_minst"], traffic["mål_högst"], traffic["mål_antal"]) == ("80", "", "")
    assert traffic["senaste_uppföljning"] == "2026-06-15"
    assert (by_id["grannsamverkan"]["status"], by_id["grannsamverkan"]["utfall"]) == ("ej bedömt", "")


def test_csv_cells_that_look_like_formulas_get_an_apostrophe(minimal) -> None:
    _, site = minimal
    for path in (download(site, "trollhattan/2021", "csv"), site / "data" / "medborgarloften.csv"):
        texts = [row[COLUMNS.index("åtagande")] for row in read_csv(path)[1:]]
        assert "'" + FORMULA_TEXT in texts, texts
        assert "'" + AT_TEXT in texts, texts
        assert "Arbeta mot narkotika." in texts  # ordinary text is untouched
    # The apostrophe is for spreadsheets only: JSON and the page keep the text as written.
    document = json.loads(download(site, "trollhattan/2021", "json").read_text(encoding="utf-8"))
    assert FORMULA_TEXT in [c["text"] for c in document["medborgarlöfte"]["åtaganden"]]


# --- 5. /data/ -----------------------------------------------------------------------------------------------------


def _data_page(site: Path) -> str:
    return (site / "data" / "index.html").read_text(encoding="utf-8")


def test_data_page_explains_every_csv_column(shipped_site: Path) -> None:
    html = _data_page(shipped_site)
    for column, meaning in CSV_COLUMNS:
        assert f"<code>{column}</code>" in html, column
        assert meaning in unescape(html), meaning


def test_data_page_names_and_links_the_licence(shipped_site: Path) -> None:
    licence = yaml.safe_load((REPO / "content" / "site.yaml").read_text(encoding="utf-8"))["licens"]
    html = _data_page(shipped_site)
    assert f'<a href="{licence["url"]}">{licence["namn"]}</a>' in html
    data_set = json.loads((shipped_site / "data" / "medborgarloften.json").read_text(encoding="utf-8"))
    assert data_set["licens"] == {"namn": licence["namn"], "url": licence["url"]}


def test_data_page_links_each_data_file_with_format_and_size(shipped_site: Path) -> None:
    links = {match["href"]: match for match in file_links(_data_page(shipped_site))}
    expected = [
        "medborgarloften.json",
        "medborgarloften.csv",
        "medborgarloften.schema.json",
        "medborgarlofte.schema.json",
    ]
    for name in expected:
        match = links.get(f"/data/{name}")
        assert match is not None, f"/data/ does not link {name}"
        size = (shipped_site / "data" / name).stat().st_size
        assert match["label"] == f"{FORMATS[match['ext']]}, {format_size(size)}"


def test_data_page_without_licence_says_none_was_given(minimal) -> None:
    _, site = minimal
    html = _data_page(site)
    assert "Utgivaren har inte angett någon licens" in html
    assert "test@example.org" in html
    data_set = json.loads((site / "data" / "medborgarloften.json").read_text(encoding="utf-8"))
    assert data_set["licens"] is None


# --- 6. Attachments ------------------------------------------------------------------------------------------------


def test_attachment_is_copied_beside_the_promise_page(minimal) -> None:
    _, site = minimal
    assert (site / ATTACHMENT.removeprefix("kommuner/")).read_bytes() == ATTACHMENT_BYTES


@pytest.mark.parametrize("page", ["trollhattan/2021/index.html", "trollhattan/index.html"])
def test_attachment_is_listed_with_format_and_size(minimal, page: str) -> None:
    _, site = minimal
    links = [m for m in file_links((site / page).read_text(encoding="utf-8")) if m["ext"] == "pdf"]
    attachment = [m for m in links if m["href"] == "/trollhattan/2021/undertecknat.pdf"]
    assert len(attachment) == 1, f"{page} does not link the attachment once"
    assert ATTACHMENT_TITLE in attachment[0]["text"]
    assert attachment[0]["label"] == f"PDF, {format_size(len(ATTACHMENT_BYTES))}"
    assert re.fullmatch(r"PDF, \d+ (byte|kB)", attachment[0]["label"])


def _promise_with_attachment(name: str) -> str:
    """The valid promise of test_validation with one attachment; `fil` stays on line 15, column 10."""
    return VALID_PROMISE.replace(
        "---\nBakgrund", f"bilagor:\n  - fil: {name}\n    titel: Undertecknat löfte\n---\nBakgrund"
    )


ATTACHMENT_LINE, ATTACHMENT_COLUMN = 15, len("  - fil: ") + 1
FOLDER = "kommuner/trollhattan/2021/"


def test_valid_attachment_passes_check(cli, content) -> None:
    write(content, PROMISE, _promise_with_attachment("undertecknat.pdf"))
    write(content, FOLDER + "undertecknat.pdf", ATTACHMENT_BYTES)
    result = check(cli, content)
    assert result.code == 0, result.err
    assert result.err == ""


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../kommun.yaml", "Bilagan `../kommun.yaml` ligger utanför löftets mapp."),
        ("../../../content/om.pdf", "ligger utanför löftets mapp."),
        ("/etc/passwd.pdf", "Bilagan `/etc/passwd.pdf` ligger utanför löftets mapp."),
        ("program.exe", "Filtypen `.exe` kan inte publiceras som bilaga."),
        ("sida.html", "Filtypen `.html` kan inte publiceras som bilaga."),
        ("index.html", "Filtypen `.html` kan inte publiceras som bilaga."),
        ("saknas.pdf", "Bilagan `saknas.pdf` finns inte i mappen `2021`."),
    ],
    ids=["parent", "content-folder", "absolute", "exe", "html", "index-html", "missing"],
)
def test_bad_attachment_is_an_error_at_its_line(cli, content, name: str, message: str) -> None:
    write(content, PROMISE, _promise_with_attachment(name))
    write(content, "content/om.pdf", b"%PDF-1.4\n")
    write(content, FOLDER + "program.exe", b"MZ")
    write(content, FOLDER + "sida.html", "<p>hej</p>")
    result = check(cli, content)
    assert result.code == 1
    found = find(result, PROMISE, message)
    assert (found.line, found.column, found.severity) == (ATTACHMENT_LINE, ATTACHMENT_COLUMN, "fel")
    assert found.hint


def test_attachment_outside_the_folder_hint_says_what_to_do(cli, content) -> None:
    write(content, PROMISE, _promise_with_attachment("../kommun.yaml"))
    found = find(check(cli, content), PROMISE, "ligger utanför löftets mapp")
    assert "samma mapp som medborgarlofte.md" in found.hint


def test_unknown_type_hint_lists_the_allowed_types(cli, content) -> None:
    write(content, PROMISE, _promise_with_attachment("program.exe"))
    write(content, FOLDER + "program.exe", b"MZ")
    found = find(check(cli, content), PROMISE, "Filtypen `.exe`")
    for suffix in ATTACHMENT_FORMATS:
        assert suffix.lstrip(".") in found.hint


def test_missing_attachment_suggests_a_similar_file(cli, content) -> None:
    write(content, PROMISE, _promise_with_attachment("undertecknad.pdf"))
    write(content, FOLDER + "undertecknat.pdf", ATTACHMENT_BYTES)
    found = find(check(cli, content), PROMISE, "Bilagan `undertecknad.pdf` finns inte")
    assert (found.line, found.column) == (ATTACHMENT_LINE, ATTACHMENT_COLUMN)
    assert found.hint == "Menade du `undertecknat.pdf`?"


@pytest.mark.parametrize("where", ["content-tree", "machine"])
def test_symlink_out_of_the_promise_folder_is_refused(cli, content, tmp_path: Path, where: str) -> None:
    outside = (
        content / "kommuner" / "trollhattan" / "hemlig.pdf" if where == "content-tree" else tmp_path / "hemlig.pdf"
    )
    outside.write_bytes(b"%PDF-1.4\n% hemlig\n")
    (content / FOLDER / "bilaga.pdf").symlink_to(outside)
    write(content, PROMISE, _promise_with_attachment("bilaga.pdf"))
    result = check(cli, content)
    assert result.code == 1
    found = find(result, PROMISE, "Bilagan `bilaga.pdf` ligger utanför löftets mapp.")
    assert (found.line, found.column) == (ATTACHMENT_LINE, ATTACHMENT_COLUMN)


def test_symlink_inside_the_promise_folder_is_allowed(cli, content) -> None:
    write(content, FOLDER + "original/undertecknat.pdf", ATTACHMENT_BYTES)
    (content / FOLDER / "bilaga.pdf").symlink_to(Path("original") / "undertecknat.pdf")
    write(content, PROMISE, _promise_with_attachment("bilaga.pdf"))
    result = check(cli, content)
    assert result.code == 0, result.err


def test_attachment_may_not_take_a_name_the_site_uses(cli, content) -> None:
    name = "medborgarlofte-trollhattan-2021.pdf"
    write(content, PROMISE, _promise_with_attachment(name))
    write(content, FOLDER + name, ATTACHMENT_BYTES)
    result = check(cli, content)
    assert result.code == 1
    found = find(result, PROMISE, f"Filnamnet `{name}` används av webbplatsen själv.")
    assert (found.line, found.column) == (ATTACHMENT_LINE, ATTACHMENT_COLUMN)


# --- 7. Download links say format and size -------------------------------------------------------------------------


def _promise_and_kommun_pages(root: Path, site: Path) -> list[tuple[Path, list[str]]]:
    """Every promise page and kommun page, each with the promises whose generated files it must link."""
    pages = [(site / promise_id(p) / "index.html", [promise_id(p)]) for p in promise_files(root)]
    for kommun in kommun_dirs(root):
        promises = [promise_id(p) for p in promise_files(root) if p.parent.parent == kommun]
        pages.append((site / kommun.name / "index.html", promises))
    return pages


@pytest.mark.parametrize("site_name", ["shipped", "demo", "minimal"])
def test_every_download_link_says_format_and_the_real_size(sites, site_name: str) -> None:
    root, site = sites[site_name]
    for page, promises in _promise_and_kommun_pages(root, site):
        links = file_links(page.read_text(encoding="utf-8"))
        linked = {m["href"] for m in links}
        for promise in promises:
            for extension in FORMATS:
                href = "/" + str(download(site, promise, extension).relative_to(site))
                assert href in linked, f"{page.relative_to(site)} does not link {href}"
        for match in links:
            name = f"{page.relative_to(site)} → {match['href']}"
            path = target(site, match["href"])
            assert path.is_file(), f"{name}: no such file"
            assert match["label"] is not None, f"{name}: the link does not say format and size"
            suffix = "." + match["ext"]
            expected_format = FORMATS.get(match["ext"]) or ATTACHMENT_FORMATS[suffix]
            assert match["label"] == f"{expected_format}, {format_size(path.stat().st_size)}", name


def test_pdf_link_label_reads_like_pdf_and_kilobytes(shipped_site: Path) -> None:
    html = (shipped_site / "trollhattan" / "2021" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'medborgarlofte-trollhattan-2021\.pdf"[^>]*>[^<]+</a> <span class="muted">\(PDF, \d+ kB\)', html)


# --- 8. Incremental PDFs -------------------------------------------------------------------------------------------

SECOND_PROMISE = "kommuner/trollhattan/2022/medborgarlofte.md"


def _second_promise(text: str) -> str:
    return f"""\
---
rubrik: Medborgarlöfte i Trollhättan 2022
period: 2022
åtaganden:
  - id: trygghetsvandringar
    text: {text}
    ansvar: gemensamt
---
"""


def _pdfs(site: Path) -> dict[str, bytes]:
    return {str(path.relative_to(site)): path.read_bytes() for path in sorted(site.rglob("*.pdf"))}


def test_unchanged_pdfs_come_from_the_cache_and_a_change_remakes_one(cli, content, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    shutil.rmtree(content / ".cache", ignore_errors=True)
    write(content, SECOND_PROMISE, _second_promise("Två trygghetsvandringar per år."))

    first = cli("build", "--content", content, "--out", tmp_path / "ett")
    assert first.code == 0, first.err
    assert "PDF: 2 nya, 0 oförändrade" in first.out
    assert list((content / ".cache" / "pdf").glob("*.pdf")), "no PDF cache in <content>/.cache/pdf/"

    second = cli("build", "--content", content, "--out", tmp_path / "tva")
    assert second.code == 0, second.err
    assert "PDF: 0 nya, 2 oförändrade" in second.out
    assert _pdfs(tmp_path / "tva") == _pdfs(tmp_path / "ett")
    assert len(_pdfs(tmp_path / "ett")) == 2

    write(content, SECOND_PROMISE, _second_promise("Tre trygghetsvandringar per år."))
    third = cli("build", "--content", content, "--out", tmp_path / "tre")
    assert third.code == 0, third.err
    assert "PDF: 1 nya, 1 oförändrade" in third.out
    before, after = _pdfs(tmp_path / "ett"), _pdfs(tmp_path / "tre")
    old, new = (
        "trollhattan/2021/medborgarlofte-trollhattan-2021.pdf",
        "trollhattan/2022/medborgarlofte-trollhattan-2022.pdf",
    )
    assert after[old] == before[old]
    assert after[new] != before[new]
    assert "Tre trygghetsvandringar per år." in pdf_text(tmp_path / "tre" / new)


def test_fresh_pdfs_are_reproducible(cli, content, tmp_path, monkeypatch) -> None:
    """With SOURCE_DATE_EPOCH set, a PDF made again from scratch (empty cache) is byte for byte the same."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    shutil.rmtree(content / ".cache", ignore_errors=True)
    assert cli("build", "--content", content, "--out", tmp_path / "ett").code == 0
    shutil.rmtree(content / ".cache")
    again = cli("build", "--content", content, "--out", tmp_path / "tva")
    assert "PDF: 1 nya, 0 oförändrade" in again.out
    assert _pdfs(tmp_path / "tva") == _pdfs(tmp_path / "ett")


def test_no_pdf_makes_no_pdfs_and_no_pdf_links(cli, content, tmp_path) -> None:
    shutil.rmtree(content / ".cache", ignore_errors=True)
    out = tmp_path / "_site"
    result = cli("build", "--content", content, "--out", out, "--no-pdf")
    assert result.code == 0, result.err
    assert "inga PDF:er" in result.out
    assert not list(out.rglob("*.pdf"))
    assert not (content / ".cache" / "pdf").exists() or not list((content / ".cache" / "pdf").iterdir())
    for page in out.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert ".pdf" not in html, f"{page.relative_to(out)} links a PDF"
        assert not re.search(r"\(PDF, \d", html), f"{page.relative_to(out)} offers a PDF"
    promise_page = (out / "trollhattan" / "2021" / "index.html").read_text(encoding="utf-8")
    assert "medborgarlofte-trollhattan-2021.json" in promise_page
    assert "medborgarlofte-trollhattan-2021.csv" in promise_page


# --- 9. A WeasyPrint failure leaves the previous site --------------------------------------------------------------


def test_pdf_failure_names_the_promise_and_leaves_the_previous_site(cli, content, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    theme = tmp_path / "tema"
    shutil.copytree(REPO / "theme", theme)
    with (theme / "print" / "pdf.css").open("a", encoding="utf-8") as css:
        css.write("\nhtml { font-size: 1e308px }\n")
    out = tmp_path / "webb" / "_site"

    good = cli("build", "--content", content, "--out", out)
    assert good.code == 0, good.err
    before = files_of(out)
    siblings = staged_beside(out)

    broken = cli("build", "--content", content, "--out", out, "--theme", theme)
    assert broken.code == 1
    assert "trollhattan/2021" in broken.err
    assert "den tidigare webbplatsen är orörd" in broken.err
    assert "Traceback" not in broken.err
    assert files_of(out) == before
    assert staged_beside(out) == siblings, "a staging folder was left behind"


def staged_beside(out: Path) -> list[str]:
    """The folders beside `out` but the set-aside search documents, which a process of their own removes at its
    own pace (build/write.py)."""
    return sorted(path.name for path in out.parent.iterdir() if not path.name.startswith(f".{out.name}.old-"))


# --- 10. Progress --------------------------------------------------------------------------------------------------


def test_pdf_progress_is_printed_as_plain_lines_when_not_on_a_terminal(cli, content, tmp_path) -> None:
    shutil.rmtree(content / ".cache", ignore_errors=True)
    write(content, SECOND_PROMISE, _second_promise("Två trygghetsvandringar per år."))
    result = cli("build", "--content", content, "--out", tmp_path / "_site")
    assert result.code == 0, result.err
    lines = result.err.splitlines()
    assert "PDF 2/2" in lines, f"no plain progress line on stderr: {result.err!r}"
    assert not any("\r" in line or "\x1b[" in line for line in lines), "a progress bar was drawn outside a terminal"
