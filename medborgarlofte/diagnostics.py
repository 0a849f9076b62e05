"""Diagnostics: every problem found in the content, with where it is and what to do about it.

Communicators read these in a terminal or in a pull request, so each one names the file, the line and the column, says
in Swedish what is wrong and hints at the fix. The pipeline collects them all instead of stopping at the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "fel"
    WARNING = "varning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    file: str
    line: int
    column: int
    severity: Severity
    message: str
    hint: str = ""

    def github(self) -> str:
        """A GitHub Actions workflow command, so that the problem shows on its line in the pull request's diff."""
        kind = "error" if self.severity is Severity.ERROR else "warning"
        place = f"file={_property(self.file)},line={self.line},col={self.column}"
        text = f"{self.message} Tips: {self.hint}" if self.hint else self.message
        return f"::{kind} {place},title={_property(f'{self.severity}: {self.file}')}::{_data(text)}"

    def format(self) -> str:
        """The compiler-style line editors and CI logs turn into links: `file:line:column: fel: message`."""
        text = f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}"
        return f"{text}\n    tips: {self.hint}" if self.hint else text


class Diagnostics:
    """A collector that stages append to, so that one run reports every problem at once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.items: list[Diagnostic] = []

    def display_path(self, path: Path) -> str:
        """Paths relative to the content root, as a communicator sees them in the repository."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def add(
        self,
        path: Path,
        line: int,
        column: int,
        message: str,
        hint: str = "",
        severity: Severity = Severity.ERROR,
    ) -> None:
        self.items.append(Diagnostic(self.display_path(path), line, column, severity, message, hint))

    def error(self, path: Path, position: tuple[int, int], message: str, hint: str = "") -> None:
        self.add(path, position[0], position[1], message, hint, Severity.ERROR)

    def warning(self, path: Path, position: tuple[int, int], message: str, hint: str = "") -> None:
        self.add(path, position[0], position[1], message, hint, Severity.WARNING)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.items))


def _data(text: str) -> str:
    """GitHub's escaping of a workflow command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """GitHub's escaping of a workflow command's property value."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")
