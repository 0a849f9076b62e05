"""Injection: HTML, scripts, event handlers and `javascript:`/`data:` links in every string field and in Markdown end
up inert in every output: pages, feeds, JSON, CSV, the search index and the PDF."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from pathlib import Path

import pytest
from conftest import REPO

SCRIPT = "<script>alert('x')</script>"
HANDLER = '<img src=x onerror="alert(1)">'
FORMULA = '=HYPERLINK("https://example.org")'

PROMISE = f"""---
rubrik: "Löfte {SCRIPT}"
period: 2021
undertecknare:
  - namn: '{HANDLER}'
    roll: "Roll {SCRIPT}"
fokusområden:
  - "Fokus {SCRIPT}"
åtaganden:
  - id: a
    text: '{FORMULA}'
    ansvar: polisen
    fokusområde: "Fokus {SCRIPT}"
    mål: {{antal: 10, enhet: "kontroller {SCRIPT}", per: år}}
---
Bakgrund {SCRIPT} och {HANDLER} och [länk](javascript:alert(1)) och ![bild](data:image/png;base64,AAAA).
"""
FOLLOW_UP = f"""---
datum: 2021-06-01
avser: "Våren {SCRIPT}"
åtaganden:
  a:
    status: pågår
    utfall: 3
    kommentar: 'Kommentar {HANDLER} [klick](javascript:alert(2))'
    källor:
      - titel: "Källa {SCRIPT}"
        url: https://example.org/kalla
---
Sammanfattning {SCRIPT}.
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from medborgarlofte.cli import main

    root = tmp_path_factory.mktemp("injektion") / "innehall"
    import shutil

    shutil.copytree(REPO / "tests" / "fixtures" / "minimal", root, ignore=shutil.ignore_patterns(".cache", "_site"))
    promise = root / "kommuner" / "trollhattan" / "2021"
    (promise / "medborgarlofte.md").write_text(PROMISE, encoding="utf-8")
    (promise / "uppfoljningar").mkdir()
    (promise / "uppfoljningar" / "var.md").write_text(FOLLOW_UP, encoding="utf-8")
    # The Markdown links are refused by `check`; the build must still never publish them, so they are removed only
    # from the files that check, and the rest of the payloads stay.
    for path in (promise / "medborgarlofte.md", promise / "uppfoljningar" / "var.md"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"!?\[[^\]]*\]\((javascript|data):[^)]*\)\)?", "", text)
        path.write_text(text, encoding="utf-8")
    out = root.parent / "_site"
    assert main(["build", "--content", str(root), "--out", str(out)]) == 0
    return out


def test_unsafe_markdown_links_are_refused_by_check(cli, content: Path) -> None:
    promise = content / "kommuner" / "trollhattan" / "2021"
    (promise / "medborgarlofte.md").write_text(PROMISE, encoding="utf-8")
    result = cli("check", "--content", content)
    assert result.code == 1
    assert "Länken `javascript:alert(1)` är inte tillåten." in result.err
    assert "Bilden `data:image/png;base64,AAAA` ligger på en annan webbplats." in result.err


def test_pages_and_feeds_carry_the_payloads_only_as_text(site: Path) -> None:
    files = [*site.rglob("*.html"), *site.rglob("*.xml")]
    assert len(files) > 5
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "<script>alert" not in text, path
        assert "<img src=x" not in text, path
        assert not re.search(r'(href|src)="\s*(javascript|data):', text, re.IGNORECASE), path
    page = (site / "trollhattan" / "2021" / "index.html").read_text(encoding="utf-8")
    assert "Löfte &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    feed = (site / "trollhattan" / "feed.xml").read_text(encoding="utf-8")
    assert "&amp;lt;script&amp;gt;" in feed  # escaped once for the HTML content, once more for the XML


def test_json_is_data_and_csv_neutralises_formulas(site: Path) -> None:
    data = json.loads((site / "data" / "medborgarloften.json").read_text(encoding="utf-8"))
    promise = data["kommuner"][0]["medborgarlöften"][0]
    assert promise["rubrik"] == f"Löfte {SCRIPT}"  # kept as the text it is; JSON is never rendered as HTML
    rows = list(csv.reader(io.StringIO((site / "data" / "medborgarloften.csv").read_text("utf-8-sig")), delimiter=";"))
    text = rows[0].index("åtagande")
    assert rows[1][text] == "'" + FORMULA


def test_search_index_and_pdf_hold_no_markup(site: Path) -> None:
    from pypdf import PdfReader

    pdf = next(site.rglob("*.pdf"))
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert f"Löfte {SCRIPT}" in text.replace("\n", " ")  # shown as text, and a PDF runs no script
    fragments = [
        json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        for path in (site / "pagefind" / "fragment").glob("*.pf_fragment")
    ]
    promise = next(f for f in fragments if f["url"] == "/trollhattan/2021/")
    assert f"Löfte {SCRIPT}" in promise["content"]  # plain text: the search page inserts it as text, never as HTML
