"""Files a reader can download: each promise as PDF, JSON and CSV, and its attachments (bilagor).

Links always say format and size ("PDF, 84 kB"), so a reader on a slow connection knows what a click costs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from medborgarlofte.outputs.addresses import GENERATED_FORMATS
from medborgarlofte.swedish import format_size

# Attachment types a promise may publish, by suffix: formats every reader can open.
ATTACHMENT_FORMATS = {".pdf": "PDF", ".docx": "Word", ".odt": "OpenDocument", ".png": "PNG-bild", ".jpg": "JPEG-bild"}
MAX_ATTACHMENT_BYTES = 20_000_000


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


TITLES = {"pdf": "Medborgarlöftet som PDF", "json": "Löftet som data (JSON)", "csv": "Åtagandena som tabell (CSV)"}


def file_format(path: str) -> str:
    return GENERATED_FORMATS[path.rsplit(".", 1)[1]]


class _Promise(Protocol):
    def download_path(self, extension: str) -> str: ...


@dataclass(frozen=True)
class Downloads:
    """The files made for the promises (PDF, JSON, CSV) by path, with their sizes: known once the files are made,
    before the pages that link to them are rendered."""

    sizes: dict[str, int]

    def of(self, promise: _Promise) -> list[Download]:
        """The promise's own files that were made, with their format and size, in a fixed order."""
        return [
            Download(title, path, file_format(path), self.sizes[path])
            for extension, title in TITLES.items()
            if (path := promise.download_path(extension)) in self.sizes
        ]
