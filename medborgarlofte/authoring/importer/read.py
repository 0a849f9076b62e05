"""Reading a document into numbered lines: the one place that knows file formats.

Everything after this works on `Line`s, so recognising a promise is the same for a PDF, a Word file, an OpenDocument
text, a saved web page or plain text; each line keeps where it came from (page and line, or paragraph) so that the
draft can name it. The file is checked before any library parses it: its size, that its first bytes are what its
extension says, and for the zip-based formats every member's size and compression ratio, so that a disguised or
hostile file is refused without being decompressed. What is read is bounded in pages and characters.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 20_000_000  # a signed promise is a few hundred kilobytes; a larger file is not one
MAX_PAGES = 100
MAX_CHARACTERS = 1_000_000
MAX_UNPACKED_BYTES = 50_000_000  # the members of a .docx or .odt, all together, unpacked
MAX_RATIO = 100  # unpacked size over packed size of one member; text compresses about ten times
ZIP_MAGIC = b"PK\x03\x04"
PDF_MAGIC = b"%PDF-"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
BULLET = "• "


class ImportRefused(Exception):
    """The document cannot be imported; the message says why in Swedish and what to do instead."""


@dataclass(frozen=True)
class Line:
    """One line of the document as read, with where it stands: `page` for a PDF, else None."""

    text: str
    number: int
    page: int | None = None
    unit: str = "rad"  # "rad" for a line, "stycke" for a paragraph of a Word or OpenDocument file

    @property
    def where(self) -> str:
        return f"sida {self.page}, rad {self.number}" if self.page else f"{self.unit} {self.number}"


@dataclass
class Source:
    """The lines of a document and what the file itself says about it (title, author), where it says so."""

    lines: list[Line]
    title: str | None = None
    author: str | None = None


def read_document(path: Path) -> Source:
    """The document's lines, or ImportRefused with the reason."""
    suffix = path.suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        raise ImportRefused(
            f"{path.name}: filtypen {suffix or '(ingen)'} kan inte importeras. Spara dokumentet som "
            f"{', '.join(READERS)} och försök igen."
        )
    if not path.is_file():
        raise ImportRefused(f"{path}: filen finns inte.")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ImportRefused(
            f"{path.name}: filen är {size // 1_000_000} MB, större än de {MAX_BYTES // 1_000_000} MB som importeras. "
            "Ett medborgarlöfte är sällan mer än några sidor: spara bara löftets sidor i en egen fil."
        )
    with path.open("rb") as handle:
        head = handle.read(8192)
    _check_magic(path, suffix, head)
    source = reader(path)
    if sum(len(line.text) for line in source.lines) > MAX_CHARACTERS:
        raise ImportRefused(f"{path.name}: dokumentet har mer än {MAX_CHARACTERS} tecken text och importeras inte.")
    return source


def _check_magic(path: Path, suffix: str, head: bytes) -> None:
    """A file is read only as what its first bytes say it is, whatever its name."""
    expected = {".pdf": PDF_MAGIC, ".docx": ZIP_MAGIC, ".odt": ZIP_MAGIC}.get(suffix)
    looks_binary = b"\x00" in head or head.startswith((PDF_MAGIC, ZIP_MAGIC))
    if (expected and not head.startswith(expected)) or (expected is None and looks_binary):
        raise ImportRefused(
            f"{path.name}: filen är inte en {suffix}-fil, fast namnet säger det. Öppna den i programmet den kommer "
            "från och spara den i rätt format."
        )


def _checked_zip(path: Path, required: str) -> zipfile.ZipFile:
    """The zip archive of a .docx or .odt once its directory shows no member that would unpack into more than
    the limits: a zip bomb is refused from its directory alone, never decompressed."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise ImportRefused(f"{path.name}: filen är trasig och kan inte öppnas ({error}).") from error
    members = archive.infolist()
    total = sum(member.file_size for member in members)
    swollen = [m for m in members if m.file_size > 1_000_000 and m.file_size > MAX_RATIO * max(m.compress_size, 1)]
    if total > MAX_UNPACKED_BYTES or swollen:
        archive.close()
        raise ImportRefused(
            f"{path.name}: filen packas upp till mer än den innehåller på riktigt (en så kallad zip-bomb) och öppnas "
            "inte. Spara dokumentet på nytt från ordbehandlaren."
        )
    if required not in archive.namelist():
        archive.close()
        raise ImportRefused(f"{path.name}: filen är inte en {path.suffix.lower()}-fil, fast namnet säger det.")
    return archive


def _numbered(texts: Iterator[str] | list[str], unit: str = "rad", page: int | None = None) -> list[Line]:
    return [Line(text, number, page, unit) for number, text in enumerate(texts, 1)]


def _decoded(data: bytes) -> str:
    """UTF-8 (with or without a byte order mark), else Windows-1252, the two encodings Swedish text files have."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_text(path: Path) -> Source:
    return Source(_numbered(_decoded(path.read_bytes()).splitlines()))


def read_pdf(path: Path) -> Source:
    """The text layer of each page in pypdf's layout mode, which keeps the blank lines between paragraphs and the
    spaces between columns that a signature block is read from."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            raise ImportRefused(
                f"{path.name}: PDF:en är krypterad eller lösenordsskyddad. Spara en kopia utan skydd och importera den."
            )
        if len(reader.pages) > MAX_PAGES:
            raise ImportRefused(f"{path.name}: PDF:en har fler än {MAX_PAGES} sidor och importeras inte.")
        lines = [
            line
            for number, page in enumerate(reader.pages, 1)
            for line in _numbered(page.extract_text(extraction_mode="layout").splitlines(), page=number)
        ]
        metadata = reader.metadata or {}
    except PdfReadError as error:
        raise ImportRefused(f"{path.name}: PDF:en är trasig och kan inte läsas ({error}).") from error
    if not any(line.text.strip() for line in lines):
        raise ImportRefused(
            f"{path.name}: PDF:en har inget textlager (den är troligen inskannad). Dokumentet måste skrivas av för "
            "hand eller tolkas med OCR (textigenkänning) först."
        )
    return Source(lines, _meta(metadata.get("/Title")), _meta(metadata.get("/Author")))


def _meta(value: object) -> str | None:
    text = str(value).strip() if value else ""
    return text or None


def read_docx(path: Path) -> Source:
    """Paragraphs and table rows in document order; a list paragraph starts with a bullet, and a table row's cells
    stand side by side, as a signature block in two columns does on paper."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    _checked_zip(path, "word/document.xml").close()
    document = docx.Document(str(path))
    texts: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            texts.extend(_docx_paragraph(block).split("\n"))
        elif isinstance(block, Table):
            texts.extend(_side_by_side([[cell.text for cell in row.cells] for row in block.rows]))
    properties = document.core_properties
    return Source(_numbered(texts, "stycke"), _meta(properties.title), _meta(properties.author))


def _docx_paragraph(paragraph: object) -> str:
    style = getattr(getattr(paragraph, "style", None), "name", "") or ""
    properties = paragraph._p.pPr  # type: ignore[attr-defined]
    listed = "List" in style or (properties is not None and properties.numPr is not None)
    text: str = paragraph.text  # type: ignore[attr-defined]
    return BULLET + text if listed and text.strip() else text


def _side_by_side(rows: list[list[str]]) -> list[str]:
    """Each row's cells, line by line, separated by wide spaces: the columns of a signature table."""
    lines: list[str] = []
    for row in rows:
        cells = [cell.split("\n") for cell in row]
        depth = max((len(cell) for cell in cells), default=0)
        lines.extend("    ".join(cell[i] if i < len(cell) else "" for cell in cells) for i in range(depth))
    return lines


def read_odt(path: Path) -> Source:
    """Headings, paragraphs, list items (with a bullet) and table rows (side by side) in document order."""
    from odf import teletype
    from odf.namespaces import TABLENS, TEXTNS
    from odf.opendocument import load

    archive = _checked_zip(path, "content.xml")
    with archive:
        mimetype = archive.read("mimetype") if "mimetype" in archive.namelist() else b""
    if mimetype.strip() != ODT_MIMETYPE:
        raise ImportRefused(f"{path.name}: filen är inte en .odt-fil, fast namnet säger det.")
    document = load(str(path))
    texts: list[str] = []

    def walk(element: object, listed: bool) -> None:
        for child in getattr(element, "childNodes", []):
            qname = getattr(child, "qname", None)
            if qname in ((TEXTNS, "h"), (TEXTNS, "p")):
                content = teletype.extractText(child)
                texts.extend((BULLET + content if listed and content.strip() else content).split("\n"))
            elif qname == (TABLENS, "table-row"):
                texts.extend(_side_by_side([[teletype.extractText(cell)] for cell in child.childNodes]))
            else:
                walk(child, listed or qname == (TEXTNS, "list-item"))

    walk(document.text, False)
    meta = {str(getattr(e, "qname", ("", ""))[1]): teletype.extractText(e) for e in document.meta.childNodes}
    return Source(_numbered(texts, "stycke"), _meta(meta.get("title")), _meta(meta.get("initial-creator")))


def read_html(path: Path) -> Source:
    """The text of a saved web page, block by block, from its `<main>` where it has one: the menus and footers
    around it are not the promise. List items start with a bullet."""
    from .web import html_lines

    title, texts = html_lines(_decoded(path.read_bytes()))
    return Source(_numbered(texts), _meta(title))


READERS: dict[str, Callable[[Path], Source]] = {
    ".pdf": read_pdf,
    ".docx": read_docx,
    ".odt": read_odt,
    ".html": read_html,
    ".htm": read_html,
    ".txt": read_text,
}
