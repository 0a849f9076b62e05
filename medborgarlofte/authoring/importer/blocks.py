"""Lines into blocks: paragraphs and list items, with the lines each came from.

Extracted text breaks lines where the page did, not where sentences end, and some extractors put a blank line after
every line. A block is what a reader sees as one unit: a list item continues over its wrapped lines (and an indented
line under it), a paragraph ends at a blank line, after a short line followed by a capital, after a colon, or before
a heading. A word split by a hyphen at a line's end is joined; a hyphen before "och"/"eller" ("grann- och") stays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from medborgarlofte.swedish import DATE_PATTERN

from .read import Line

_BULLET = re.compile(r"^(\s*)(?:[•●▪◦‣∙\uf0b7\uf0a7*-]|\d{1,2}[.)]|[a-z][)])\s+(?=\S)")
# "Trollhättan, 2023-03-21", "Trollhättan den 21 mars 2023": the place and date above the signatures.
PLACE_DATE = re.compile(
    rf"^\s*(?P<place>[A-ZÅÄÖ][\wåäö]+(?:[ -][A-ZÅÄÖ][\wåäö]+)?)\s*,?\s+(?P<date>{DATE_PATTERN})\s*$"
)
RULE = re.compile(r"^[\s_.…·-]{5,}$")
_CONJUNCTIONS = ("och ", "eller ", "samt ", "till ")
SHORT = 0.7  # a line shorter than this share of a full line ends its paragraph, if a capital follows
WHOLE_PARAGRAPH = 160  # no page wraps a line this long: it is a paragraph of a Word file or a web page


@dataclass
class Block:
    lines: list[Line]
    bullet: bool = False
    column: int = 0  # where a list item's text starts, for its indented continuation lines
    gap_before: bool = True
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        joined = ""
        for part in self.parts:
            joined = _join(joined, part) if joined else part
        return re.sub(r"\s+", " ", joined).strip()

    @property
    def where(self) -> str:
        first, last = self.lines[0], self.lines[-1]
        if first is last:
            return first.where
        if first.page == last.page:
            return f"{first.where}–{last.number}"
        return f"{first.where} – {last.where}"


def _join(before: str, after: str) -> str:
    if re.search(r"[a-zåäö]-$", before) and not after.startswith(_CONJUNCTIONS) and after[:1].islower():
        return before[:-1] + after
    if before.endswith("-") and not after.startswith(_CONJUNCTIONS):
        return before + after
    return f"{before} {after}"


def is_heading(text: str, full: float) -> bool:
    """A short line with no sentence punctuation at its end that starts with a capital: "Insatser mot narkotika"."""
    text = text.strip()
    return (
        2 <= len(text) <= min(80, max(40, 0.85 * full))
        and len(text.split()) <= 10
        and (text[0].isupper() or text[0].isdigit())
        and not text.endswith((".", ",", ";", ":", "!"))
        and not _BULLET.match(text)
        and not PLACE_DATE.match(text)
        and not RULE.match(text)
    )


def full_width(lines: list[Line]) -> float:
    """The length of a full line of the document's text: the 90th percentile of its lines' lengths."""
    lengths = sorted(len(line.text.strip()) for line in lines if line.text.strip())
    return float(lengths[int(0.9 * (len(lengths) - 1))]) if lengths else 80.0


def _double_spaced(lines: list[Line]) -> bool:
    """Every line followed by a blank line, even inside sentences: then only two blank lines end a paragraph."""
    texts = [line.text.strip() for line in lines]
    splits = [i for i in range(1, len(texts) - 1) if not texts[i] and texts[i - 1] and texts[i + 1]]
    inside = [i for i in splits if texts[i + 1][0].islower()]
    return len(inside) >= 3 and len(inside) >= 0.25 * len(splits)


def blocks(lines: list[Line]) -> list[Block]:
    """The document's blocks in order; blank lines are what they say about paragraphs, and dropped."""
    full = full_width(lines)
    needed = 2 if _double_spaced(lines) else 1
    result: list[Block] = []
    blanks = needed
    page = lines[0].page if lines else None
    for line in lines:
        if not line.text.strip():
            blanks += 1
            continue
        # A new page ends a paragraph unless the sentence goes on in lower case: the blank lines at a page's foot
        # are not in its text layer.
        new_page = line.page != page and not line.text.strip()[0].islower()
        gap, blanks, page = blanks >= needed or new_page, 0, line.page
        current = result[-1] if result else None
        bullet = _BULLET.match(line.text)
        if bullet or gap or current is None or not _continues(current, line, full):
            start = bullet.end() if bullet else 0
            result.append(Block([line], bool(bullet), start, gap or current is None, [line.text[start:].strip()]))
        else:
            current.lines.append(line)
            current.parts.append(line.text.strip())
    return result


def _continues(block: Block, line: Line, full: float) -> bool:
    """Whether `line` goes on with `block` rather than starting a block of its own."""
    before, text = block.lines[-1].text.strip(), line.text.strip()
    indent = len(line.text) - len(line.text.lstrip())
    if block.bullet and indent and indent >= block.column:
        return True
    if before.endswith(":") or PLACE_DATE.match(text) or RULE.match(text) or RULE.match(before):
        return False
    if text[0].islower() or text[0] in "(–—,":
        return True
    if len(block.lines) == 1 and not block.bullet and is_heading(before, full):
        return False
    if len(before) < SHORT * full or len(before) >= WHOLE_PARAGRAPH:
        return False
    return not (before.endswith((".", "!", "?")) and is_heading(text, full))
