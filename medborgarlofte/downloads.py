"""Files a reader can download: each promise as PDF, JSON and CSV, and its attachments (bilagor).

Links always say format and size ("PDF, 84 kB"), so a reader on a slow connection knows what a click costs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .swedish import format_size

if TYPE_CHECKING:
    from .model import Site

# Attachment types a promise may publish, by suffix: formats every reader can open.
ATTACHMENT_FORMATS = {".pdf": "PDF", ".docx": "Word", ".odt": "OpenDocument", ".png": "PNG-bild", ".jpg": "JPEG-bild"}
MAX_ATTACHMENT_BYTES = 20_000_000
GENERATED_FORMATS = {"pdf": "PDF", "json": "JSON", "csv": "CSV"}


@dataclass(frozen=True)
class Download:
    title: str
    path: str  # within the site
    format: str
    size: int
    source: Path | None = None  # the content file an attachment is copied from

    @property
    def label(self) -> str:
        return f"{self.format}, {format_size(self.size)}"


def download_name(kommun_slug: str, promise_slug: str, extension: str) -> str:
    """A name that still says what the file is once saved: `medborgarlofte-stromstad-2023-2024.pdf`."""
    return f"medborgarlofte-{kommun_slug}-{promise_slug}.{extension}"


def reserved_names(kommun_slug: str, promise_slug: str) -> set[str]:
    """Names in a promise's folder of the site that the build writes itself."""
    return {"index.html", *(download_name(kommun_slug, promise_slug, ext) for ext in GENERATED_FORMATS)}


TITLES = {"pdf": "Medborgarlöftet som PDF", "json": "Löftet som data (JSON)", "csv": "Åtagandena som tabell (CSV)"}


def file_format(path: str) -> str:
    return GENERATED_FORMATS[path.rsplit(".", 1)[1]]


def attach_downloads(site: Site, sizes: dict[str, int]) -> None:
    """Give every promise whose files were made now its PDF, JSON and CSV links, with their sizes (in `serve`, a
    promise a change did not touch keeps the links it has)."""
    for kommun in site.kommuner:
        for promise in kommun.promises:
            if promise.download_path("json") in sizes:
                promise.downloads = [
                    Download(title, path, file_format(path), sizes[path])
                    for extension, title in TITLES.items()
                    if (path := promise.download_path(extension)) in sizes
                ]
