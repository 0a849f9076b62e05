"""Signatories as the document gives them: names and roles under the signature lines, also in two columns.

A names row ("Jenny Wester    Paul Åkerlund") and a roles row ("Lokalpolisområdeschef    Kommunstyrelsens
ordförande") are paired column by column. Extracted text often loses the wide gap between columns, so a row is also
split where a new name or a new role starts. Where the names and roles do not pair up (two roles, one name), each
stands on its own, as the document leaves them; a name without a role stays without one. A web page names its
signatories in a sentence: "… har undertecknats av lokalpolisområdeschef Jens Börretzen och kommunstyrelsens ordförande
Peter Eriksson."
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .read import Line

# Words that make a phrase a role; a name never contains them.
ROLE_WORDS = ("chef", "ordförande", "direktör", "kommunalråd", "polismästare", "sekreterare", "kommissarie", "ledamot")
_WORD = r"[A-ZÅÄÖ][a-zåäöéü]+(?:-[A-ZÅÄÖ][a-zåäöéü]+)?"
NAME = re.compile(rf"{_WORD}(?:\s+{_WORD}){{1,2}}")
_SIGNED_BY = re.compile(r"undertecknat(?:s)? av (?P<who>[^.]+)", re.I)


@dataclass
class Signatory:
    name: str | None = None
    role: str | None = None
    where: list[str] = field(default_factory=list)


def is_role(text: str) -> bool:
    return any(word in text.lower() for word in ROLE_WORDS)


def _is_name(text: str) -> bool:
    return bool(NAME.fullmatch(text.strip())) and not is_role(text)


def _roles(text: str) -> list[str]:
    """A row of roles split where a new role starts: a capitalised word whose role word comes at once after it
    ("… Västra Fyrbodal | Kommunstyrelsens ordförande")."""
    words = text.split()
    for cut in range(len(words) - 1, 0, -1):
        left, right = words[:cut], words[cut:]
        if right[0][0].isupper() and is_role(" ".join(right[:2])) and is_role(" ".join(left)):
            return [*_roles(" ".join(left)), " ".join(right)]
    return [text]


def _names_row(text: str) -> list[Signatory]:
    """A row that starts with a name: each name, with the role written after it ("David Westlin, chef …")."""
    found: list[Signatory] = []
    position = 0
    for match in NAME.finditer(text):
        if is_role(match.group(0)):
            continue
        between = text[position : match.start()].strip(" ,")
        if between and found:
            found[-1].role = between
        found.append(Signatory(name=match.group(0)))
        position = match.end()
    rest = text[position:].strip(" ,")
    if rest and found:
        found[-1].role = rest
    return found


def _cells(line: Line) -> list[str]:
    return [cell for cell in re.split(r"\s{2,}", line.text.strip()) if cell]


def from_block(lines: list[Line]) -> tuple[list[Signatory], bool]:
    """The signatories under the signature lines, and whether names and roles were paired column by column."""
    columns: list[Signatory] = []
    names: list[Signatory] = []
    for line in lines:
        cells = _cells(line)
        if not cells:
            continue
        starts_with_name = NAME.match(cells[0]) and not is_role(cells[0].split(",")[0])
        row = (
            [s for cell in cells for s in _names_row(cell)]
            if starts_with_name
            else [Signatory(role=role) for cell in cells for role in _roles(cell)]
        )
        names.extend(s for s in row if s.name)
        for index, found in enumerate(row):
            found.where.append(line.where)
            _merge(columns, index, found)
    roles = [c for c in columns if c.role]
    if names and roles and len(names) != len(roles):
        named = {where for n in names for where in n.where}
        unpaired = [Signatory(role=c.role, where=[w for w in c.where if w not in named]) for c in roles]
        return unpaired + [Signatory(n.name, n.role, n.where) for n in names], False
    return [c for c in columns if c.name or c.role], True


def _merge(columns: list[Signatory], index: int, found: Signatory) -> None:
    """Add what a row says to its column: a name, a role, or a word that goes on with the role above it."""
    while len(columns) <= index:
        columns.append(Signatory())
    column = columns[index]
    column.where.extend(found.where)
    if found.name:
        column.name = found.name
    if found.role:
        column.role = f"{column.role} {found.role}" if column.role else found.role


def from_sentence(text: str, where: str) -> list[Signatory]:
    """Signatories named in a sentence: "undertecknats av <roll> <Namn> och <roll> <Namn>"."""
    match = _SIGNED_BY.search(text)
    if not match:
        return []
    found = []
    for part in re.split(r",\s*|\s+och\s+", match["who"]):
        name = re.search(rf"({NAME.pattern})\s*$", part.strip())
        if name:
            role = part.strip()[: name.start()].strip() or None
            found.append(Signatory(name=name.group(1), role=role, where=[where]))
    return found
