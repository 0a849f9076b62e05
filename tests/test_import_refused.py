"""`build.py importera` refuses what it cannot read: a clear Swedish message, exit code 1, and nothing written.

Each bad input of the issue has its test: a scanned PDF without a text layer, an encrypted PDF, a file that is not
what its extension says, a zip bomb disguised as a .docx, a 50 MB file, and a document that states no commitment.
Besides, a draft never overwrites a file, and a document's hostile text stays text in the draft's YAML.
"""

from __future__ import annotations

import base64
import io
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import REPO

from medborgarlofte.authoring.importer import read

SOURCES = Path(__file__).resolve().parent / "source-documents"
EXIT_REFUSED = 1


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    root = tmp_path / "demo"
    shutil.copytree(REPO / "examples" / "demo", root, ignore=shutil.ignore_patterns("_site", ".cache"))
    return root


def files(root: Path) -> list[Path]:
    return sorted(path for path in (root / "kommuner").rglob("*"))


def image_only_pdf(folder: Path) -> Path:
    """A page with a picture of text and no text layer, as a scanner makes it."""
    from PIL import Image, ImageDraw
    from weasyprint import HTML

    picture = Image.new("RGB", (400, 100), "white")
    ImageDraw.Draw(picture).text((10, 40), "Polisen ska genomföra trafikkontroller.", fill="black")
    png = io.BytesIO()
    picture.save(png, "PNG")
    data = base64.b64encode(png.getvalue()).decode()
    path = folder / "inskannad.pdf"
    HTML(string=f'<html lang="sv"><body><img src="data:image/png;base64,{data}" alt=""></body></html>').write_pdf(path)
    return path


def encrypted_pdf(folder: Path) -> Path:
    from pypdf import PdfWriter
    from weasyprint import HTML

    plain = io.BytesIO(HTML(string="<p>• Polisen ska genomföra trafikkontroller.</p>").write_pdf())
    writer = PdfWriter(clone_from=plain)
    writer.encrypt("hemligt")
    path = folder / "skyddad.pdf"
    writer.write(path)
    return path


def disguised(folder: Path) -> Path:
    """A picture named as a PDF."""
    path = folder / "lofte.pdf"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    return path


def pdf_named_docx(folder: Path) -> Path:
    path = folder / "lofte.docx"
    path.write_bytes(b"%PDF-1.7\n" + bytes(200))
    return path


def zip_bomb(folder: Path) -> Path:
    """A .docx whose document unpacks from a few hundred kilobytes into 60 MB."""
    path = folder / "bomb.docx"
    chunk = b"\0" * 1_000_000
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            for _ in range(60):
                member.write(chunk)
    return path


def fifty_megabytes(folder: Path) -> Path:
    path = folder / "stor.pdf"
    with path.open("wb") as handle:
        handle.write(b"%PDF-1.7\n")
        handle.truncate(50_000_000)
    return path


def no_commitment(folder: Path) -> Path:
    path = folder / "tjansteskrivelse.txt"
    shutil.copy(SOURCES / "vaggeryd" / "medborgarlofte.txt", path)
    return path


BAD = {
    "inskannad PDF": (image_only_pdf, "PDF:en har inget textlager"),
    "krypterad PDF": (encrypted_pdf, "PDF:en är krypterad"),
    "bild som heter .pdf": (disguised, "filen är inte en .pdf-fil, fast namnet säger det"),
    "PDF som heter .docx": (pdf_named_docx, "filen är inte en .docx-fil, fast namnet säger det"),
    "zip-bomb som .docx": (zip_bomb, "zip-bomb"),
    "50 MB": (fifty_megabytes, "filen är 50 MB, större än de 20 MB som importeras"),
    "inget åtagande": (no_commitment, "importeraren hittade inget åtagande i dokumentet"),
}


@pytest.mark.parametrize("bad", BAD)
def test_a_bad_input_is_refused_with_a_swedish_message_and_nothing_written(
    cli, demo: Path, tmp_path: Path, bad: str
) -> None:
    make, message = BAD[bad]
    path = make(tmp_path)
    before = files(demo)
    result = cli("importera", path, "--kommun", "Påhittebo", "--content", demo)
    assert result.code == EXIT_REFUSED, result.err
    assert f"build.py: fel: {path.name}: " in result.err
    assert message in result.err
    assert result.out == ""
    assert files(demo) == before


def test_a_zip_bomb_is_refused_without_decompressing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its directory alone refuses it: reading a member would fail the test."""
    bomb = zip_bomb(tmp_path)

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("a member was decompressed")

    monkeypatch.setattr(zipfile.ZipFile, "open", never)
    with pytest.raises(read.ImportRefused, match="zip-bomb"):
        read.read_document(bomb)


def test_an_existing_promise_is_never_overwritten(cli, demo: Path, tmp_path: Path) -> None:
    source = tmp_path / "lofte.txt"
    source.write_text("Medborgarlöfte 2026\n\n• Polisen ska genomföra trafikkontroller.\n", encoding="utf-8")
    assert cli("importera", source, "--kommun", "pahittebo", "--content", demo).code == 0
    written = demo / "kommuner" / "pahittebo" / "2026" / "medborgarlofte.md"
    mine = written.read_text(encoding="utf-8") + "# mina ändringar\n"
    written.write_text(mine, encoding="utf-8")
    again = cli("importera", source, "--kommun", "pahittebo", "--content", demo)
    assert again.code == 2
    assert "finns redan och skrivs inte över" in again.err
    assert written.read_text(encoding="utf-8") == mine


HOSTILE = ['": {x', "!!python/object/apply:os.system ['echo hej']", "'; --- \\n #", "&anchor *alias", "%YAML 1.1"]


def test_hostile_lines_of_a_document_stay_text_in_the_draft(cli, demo: Path, tmp_path: Path) -> None:
    bullets = "\n".join(f"• Polisen ska {line}" for line in HOSTILE)
    source = tmp_path / "fientlig.txt"
    title = 'Medborgarlöfte 2026 ": {x'
    source.write_text(f"{title}\n\nDet här lovar vi:\n\n{bullets}\n\n# Rubrik? <script>alert(1)</script>\n")
    result = cli("importera", source, "--kommun", "pahittebo", "--content", demo)
    assert result.code == 0, result.err
    text = (demo / "kommuner" / "pahittebo" / "2026" / "medborgarlofte.md").read_text(encoding="utf-8")
    data = yaml.safe_load(text.split("---\n", 2)[1])
    assert data["rubrik"] == title
    assert [c["text"] for c in data["åtaganden"]] == [f"Polisen ska {line}" for line in HOSTILE]
    check = cli("check", "--content", demo)
    assert check.code == 0, check.err


def test_a_period_given_on_the_command_line_names_the_folder(cli, demo: Path, tmp_path: Path) -> None:
    source = tmp_path / "lofte.txt"
    source.write_text("Medborgarlöfte\n\n• Kommunen ska städa parken.\n", encoding="utf-8")
    result = cli("importera", source, "--kommun", "pahittebo", "--period", "2027-2028", "--content", demo)
    assert result.code == 0, result.err
    written = demo / "kommuner" / "pahittebo" / "2027-2028" / "medborgarlofte.md"
    assert yaml.safe_load(written.read_text(encoding="utf-8").split("---\n", 2)[1])["period"] == "2027–2028"
    assert "ingen period" not in result.out


def test_a_document_without_a_period_goes_to_the_undated_folder_and_says_so(cli, demo: Path, tmp_path: Path) -> None:
    source = tmp_path / "lofte.txt"
    source.write_text("• Kommunen ska städa parken.\n", encoding="utf-8")
    result = cli("importera", source, "--kommun", "pahittebo", "--content", demo)
    assert result.code == 0, result.err
    assert "Dokumentet anger ingen rubrik, ingen period" in result.out
    written = demo / "kommuner" / "pahittebo" / "medborgarlofte" / "medborgarlofte.md"
    assert "period: anges inte" in written.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("minst åttio (80) trafikkontroller per år", ("minst", 80, "trafikkontroller", "år")),
        ("två (2) informationsträffar per år", ("antal", 2, "informationsträffar", "år")),
        ("högst tjugofem anmälningar varje vecka", ("högst", 25, "anmälningar", "vecka")),
        ("minst tvåhundrafemtio besök", ("minst", 250, "besök", None)),
        ("minst fyrtio (40) fot- eller cykelpatruller", ("minst", 40, "fot- eller cykelpatruller", None)),
        ("minst en (1) konferens per år", ("minst", 1, "konferens", "år")),
    ],
)
def test_swedish_number_words_and_digits_are_targets(words: str, expected: tuple) -> None:
    from medborgarlofte.authoring.importer.numbers import find_target

    found = find_target(f"Polisen ska genomföra {words}.")
    assert found is not None
    assert (found.comparison, found.amount, found.unit, found.per) == expected


@pytest.mark.parametrize("text", ["Polisen ska genomföra en konferens.", "Under 2023 ska vi synas.", "Vi ska synas."])
def test_an_article_or_a_year_is_no_target(text: str) -> None:
    from medborgarlofte.authoring.importer.numbers import find_target

    assert find_target(text) is None


def test_words_and_digits_that_disagree_are_a_doubt() -> None:
    from medborgarlofte.authoring.importer.numbers import find_target

    found = find_target("Minst åttio (60) kontroller.")
    assert found is not None and found.amount == 60 and "kontrollera" in (found.doubt or "")
