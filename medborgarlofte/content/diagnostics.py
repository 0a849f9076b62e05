"""Diagnostics: every problem found in the content, with where it is and what to do about it.

Communicators read these in a terminal or in a pull request, so each one names the file, the line and the column, says
in Swedish what is wrong and hints at the fix. The pipeline collects them all instead of stopping at the first.

Three severities, one rule: an error stops publishing, in a draft too (a draft must stay readable to be previewed); a
warning is about something that will be published and fails `check --strict`; a notice is about a draft, which is not
published, and never fails.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "fel"
    WARNING = "varning"
    NOTICE = "notis"


_GITHUB_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTICE: "notice"}


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
        kind = _GITHUB_COMMANDS[self.severity]
        place = f"file={_property(self.file)},line={self.line},col={self.column}"
        text = f"{self.message} Tips: {self.hint}" if self.hint else self.message
        return f"::{kind} {place},title={_property(f'{self.severity}: {self.file}')}::{_data(text)}"

    def format(self) -> str:
        """The compiler-style line editors and CI logs turn into links: `file:line:column: fel: message`."""
        text = f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}"
        return f"{text}\n    tips: {self.hint}" if self.hint else text

    def seen_from_here(self, root: Path) -> Diagnostic:
        """The diagnostic with its file (kept relative to the content root `root`, which a cached build may have
        reported from another folder) as the user can open it from the folder they ran the command in: relative to
        that folder when the file is below it, else absolute."""
        path = Path(os.path.abspath(root / self.file))
        try:
            return replace(self, file=path.relative_to(os.getcwd()).as_posix())
        except ValueError:
            return replace(self, file=path.as_posix())


class Diagnostics:
    """A collector that stages append to, so that one run reports every problem at once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.items: list[Diagnostic] = []
        self.drafts: set[str] = set()

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
        file = self.display_path(path)
        if severity is Severity.WARNING and self._in_draft(file):
            severity = Severity.NOTICE
        self.items.append(Diagnostic(file, line, column, severity, message, hint))

    def draft(self, path: Path) -> None:
        """Mark `path` (a draft file, or the folder of a draft promise with its follow-ups) as not published: a
        warning about it, reported before or after, is a notice."""
        self.drafts.add(self.display_path(path))
        self.items = [
            replace(d, severity=Severity.NOTICE) if d.severity is Severity.WARNING and self._in_draft(d.file) else d
            for d in self.items
        ]

    def in_draft(self, path: Path) -> bool:
        return self._in_draft(self.display_path(path))

    def _in_draft(self, file: str) -> bool:
        return any(file == draft or file.startswith(f"{draft}/") for draft in self.drafts)

    def error(self, path: Path, position: tuple[int, int], message: str, hint: str = "") -> None:
        self.add(path, position[0], position[1], message, hint, Severity.ERROR)

    def warning(self, path: Path, position: tuple[int, int], message: str, hint: str = "") -> None:
        self.add(path, position[0], position[1], message, hint, Severity.WARNING)

    def notice(self, path: Path, position: tuple[int, int], message: str, hint: str = "") -> None:
        self.add(path, position[0], position[1], message, hint, Severity.NOTICE)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    @property
    def notices(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.NOTICE]

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.items))

    def seen_from_here(self) -> list[Diagnostic]:
        """Sorted, with each file as the user can open it from the folder they ran the command in."""
        return [d.seen_from_here(self.root) for d in self.sorted()]


def _data(text: str) -> str:
    """GitHub's escaping of a workflow command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """GitHub's escaping of a workflow command's property value."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")
