"""What the document states, block by block: title, period, signing, signatories, diarienummer, focus areas,
commitments, follow-up and background, each with the lines it came from.

Nothing is taken from outside the document, and nothing is guessed: where a value is not stated it is left out (the
summary says so), and where the reading is uncertain a Swedish doubt goes with the value for the reviewer. The
recognition works on the shape and the wording common to medborgarlöften (a lead-in such as "Det här lovar Polisen och
kommunen:" above bullets, headings above groups of bullets, "Polisen ska …"), never on one document's strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from medborgarlofte.swedish import parse_date

from . import parties, signatures
from .blocks import PLACE_DATE, RULE, Block, blocks, full_width, is_heading
from .numbers import Amount, find_target
from .read import Source

_PROMISE_LEAD = re.compile(r"\b(lovar|lova|ska|skall|åtar|åtaganden|löften|löftet|kommer att)\b", re.I)
_FOCUS_LEAD = re.compile(r"område|fokus|prioriter", re.I)
_FOCUS_HEADING = re.compile(r"^(fokusområden|prioriterade områden|prioriterade fokusområden)$", re.I)
_TITLE = re.compile(r"^medborgarlöf", re.I)
_FOLLOW_UP = re.compile(r"följ(?:s|as|a)? upp|uppföljning", re.I)
_REGISTRATION = re.compile(r"\b(?:Diarienummer|Dnr)[:.]?\s+", re.I)
_RANGE = re.compile(r"\b((?:19|20)\d\d)\s*[–—-]\s*((?:19|20)\d\d)\b")
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_UNDER_YEAR = re.compile(r"\b(?:under|för)\s+((?:19|20)\d\d)\b", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])")


@dataclass
class Found:
    """A value and where it stands in the document; `doubt` says in Swedish what the reviewer should check."""

    value: str
    where: str
    doubt: str | None = None


@dataclass
class Commitment:
    text: str
    where: str
    party: Found | None = None
    focus: Found | None = None
    target: Amount | None = None


@dataclass
class Recognised:
    title: Found | None = None
    period: Found | None = None
    signed: Found | None = None
    place: Found | None = None
    signatories: list[signatures.Signatory] = field(default_factory=list)
    signatories_paired: bool = True
    # (organisation, number, where) of each diarienummer
    registration_numbers: list[tuple[str | None, str, str]] = field(default_factory=list)
    focus_areas: list[Found] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    follow_up: Found | None = None
    background: list[tuple[str, str]] = field(default_factory=list)  # (Markdown, where)


class _Reader:
    """Walks the blocks once, in one of three states: background, a list of focus areas, or the promises."""

    def __init__(self, found: list[Block], full: float) -> None:
        self.blocks = found
        self.full = full
        self.result = Recognised()
        self.state = "background"
        self.mode: str | None = None  # "bullets" or "paragraphs", once the promises' first item is seen
        self.lead: Found | None = None  # the party of the lead-in above the current group
        self.focus: Found | None = None
        self.focus_bullets = False
        self.section: str | None = None  # the heading the background is under

    def heading(self, block: Block) -> bool:
        return not block.bullet and len(block.lines) == 1 and is_heading(block.text, self.full)

    def next_is_bullet(self, index: int) -> bool:
        return index + 1 < len(self.blocks) and self.blocks[index + 1].bullet

    def run(self) -> Recognised:
        end = _signature_start(self.blocks)
        title_index = _title_index(self.blocks, self)
        for index, block in enumerate(self.blocks[:end]):
            if index == title_index:
                self.result.title = Found(block.text, block.where)
            elif _REGISTRATION.search(block.text):
                self.registration(block)
            else:
                self.block(index, block)
        if end < len(self.blocks):
            self.signature(self.blocks[end:])
        return self.result

    def block(self, index: int, block: Block) -> None:
        text = block.text
        if not block.bullet and text.endswith(":"):
            self.lead_in(block)
        elif self.heading(block):
            self.on_heading(index, block)
        elif block.bullet:
            self.on_bullet(block)
        else:
            self.on_paragraph(block)

    def lead_in(self, block: Block) -> None:
        text = block.text
        if _PROMISE_LEAD.search(text) and not _FOCUS_LEAD.search(text.split(",")[-1]):
            self.state, self.mode, self.focus = "promises", None, None
            party = parties.party_of(text)
            self.lead = Found(party, block.where) if party else None
            return
        if _FOCUS_LEAD.search(text):
            self.state, self.focus_bullets = "focus", False
        elif self.state == "promises":
            self.state = "background"
        self.background(text, block)

    def on_heading(self, index: int, block: Block) -> None:
        text = block.text
        if _FOCUS_HEADING.match(text):
            self.state, self.focus_bullets = "focus", False
        elif self.state == "focus" and not self.focus_bullets:
            self.result.focus_areas.append(Found(text, block.where))
            self.background(f"### {text}", block, markdown=True)
            return
        elif self.state == "promises" and self.next_is_bullet(index):
            self.focus = Found(text, block.where)
            self.lead = None
            self.result.focus_areas.append(self.focus)
            return
        elif self.state == "promises" and self.mode is None:
            return  # the promises' own heading, right under their lead-in
        elif self.state in ("promises", "focus"):
            self.state = "background"
        self.section = text
        followed_by_text = index + 1 < len(self.blocks) and not self.heading(self.blocks[index + 1])
        self.background(f"## {text}" if followed_by_text else _escaped(text), block, markdown=True)

    def on_bullet(self, block: Block) -> None:
        if self.state == "focus":
            self.focus_bullets = True
            self.result.focus_areas.append(Found(block.text.rstrip(".;, "), block.where))
            self.background(f"- {block.text}", block, markdown=True)
        elif self.state == "promises" or parties.promises(block.text):
            self.mode = self.mode or "bullets"
            self.commit(block)
        else:
            self.background(f"- {block.text}", block, markdown=True)

    def on_paragraph(self, block: Block) -> None:
        if self.state == "promises" and self.mode in (None, "paragraphs"):
            self.mode = "paragraphs"
            self.commit(block)
            return
        self.state, self.focus, self.lead = "background", None, None
        if parties.promises(block.text) and not _FOLLOW_UP.search(block.text):
            self.commit(block)
            return
        self.paragraph(block)

    def paragraph(self, block: Block) -> None:
        text = block.text
        signed_by = signatures.from_sentence(text, block.where)
        if signed_by and not self.result.signatories:
            self.result.signatories = signed_by
        if self.result.follow_up is None and _FOLLOW_UP.search(text):
            under_own_heading = bool(self.section and _FOLLOW_UP.search(self.section))
            sentences = [s for s in _SENTENCE.split(text) if _FOLLOW_UP.search(s)]
            self.result.follow_up = Found(text if under_own_heading else " ".join(sentences), block.where)
        self.background(text, block)

    def commit(self, block: Block) -> None:
        text = block.text
        party = self.party(text, block)
        target = find_target(text)
        self.result.commitments.append(Commitment(text, block.where, party, self.focus, target))

    def party(self, text: str, block: Block) -> Found | None:
        stated = parties.party_of(text)
        if stated:
            return Found(stated, block.where)
        if parties.says_joint(text):
            return Found(parties.JOINT, block.where, "Meningen säger ”gemensam”: kontrollera att båda parter avses.")
        if self.lead:
            return Found(self.lead.value, self.lead.where, "Ansvaret står i inledningen ovanför punkten: kontrollera.")
        return None

    def background(self, text: str, block: Block, markdown: bool = False) -> None:
        self.result.background.append((text if markdown else _escaped(text), block.where))

    def registration(self, block: Block) -> None:
        for part in _REGISTRATION.split(block.text)[1:]:
            organisation, number = _registration(part.strip())
            self.result.registration_numbers.append((organisation, number, block.where))

    def signature(self, found: list[Block]) -> None:
        lines = [line for block in found for line in block.lines]
        for line in lines:
            place_date = PLACE_DATE.match(line.text)
            signed = parse_date(place_date["date"]) if place_date else None
            if place_date and signed:
                self.result.place = Found(place_date["place"], line.where)
                self.result.signed = Found(signed.isoformat(), line.where)
        rows = [line for line in lines if not RULE.match(line.text) and not PLACE_DATE.match(line.text)]
        place_alone = rows[:1] if rows and not signatures.NAME.match(rows[0].text.strip()) else []
        if place_alone and len(rows[0].text.split()) == 1 and self.result.place is None:
            self.result.place = Found(rows[0].text.strip(), rows[0].where)
            rows = rows[1:]
        signed, paired = signatures.from_block(rows)
        if signed:
            self.result.signatories, self.result.signatories_paired = signed, paired


def _escaped(text: str) -> str:
    """A paragraph of the document as Markdown text: a line start that Markdown would read as a heading, a list
    or a quote is escaped, so the text shows as the document wrote it."""
    return re.sub(r"^([#>+*-]|\d+[.)])", r"\\\1", text)


def _registration(text: str) -> tuple[str | None, str]:
    """ "Polisen 483, A018.863/2021" → ("Polisen", "483, A018.863/2021"): the number starts at the first word with
    a digit, or at an abbreviation in capitals right before one ("KS 2020/00859")."""
    words = text.split()
    for index, word in enumerate(words):
        abbreviation = word.isupper() and index + 1 < len(words) and re.search(r"\d", words[index + 1])
        if re.search(r"\d", word) or abbreviation:
            return (" ".join(words[:index]) or None), " ".join(words[index:])
    return None, text


def _signature_start(found: list[Block]) -> int:
    """The first block of signature lines or of a place and date: what follows is the signature block. A place
    alone on the line right before the signature lines belongs to it ("Trollhättan")."""
    for index, block in enumerate(found):
        first = block.lines[0].text
        if RULE.match(first) or PLACE_DATE.match(first):
            before = found[index - 1] if index else None
            alone = before is not None and len(before.text.split()) == 1 and before.text[:1].isupper()
            return index - 1 if alone and not before.bullet else index
    return len(found)


def _title_index(found: list[Block], reader: _Reader) -> int | None:
    headings = [i for i, block in enumerate(found) if reader.heading(block) and "löfte" in block.text.lower()]
    starting = [i for i in headings if _TITLE.match(found[i].text)]
    return (starting or headings or [None])[0]


def _period(result: Recognised, text: str, source_where: dict[int, str]) -> Found | None:
    """The period: from the title, else the first two-year span in the text, else "under 2021" where the
    document promises."""
    if result.title:
        span = _RANGE.search(result.title.value) or _YEAR.search(result.title.value)
        if span:
            return Found(_years(span), result.title.where)
    for pattern, doubt in ((_RANGE, None), (_UNDER_YEAR, "Perioden är läst ur ”under/för <år>”: kontrollera.")):
        match = pattern.search(text)
        if match:
            where = source_where[max(k for k in source_where if k <= match.start())]
            return Found(_years(match), where, doubt)
    return None


def _years(match: re.Match[str]) -> str:
    groups = [g for g in match.groups() if g]
    first, last = groups[0], groups[-1]
    return first if first == last else f"{first}–{last}"


def recognise(source: Source) -> Recognised:
    found = blocks(source.lines)
    result = _Reader(found, full_width(source.lines)).run()
    text, where, position = "", {}, 0
    for block in found:
        where[position] = block.where
        text += block.text + "\n"
        position = len(text)
    result.period = _period(result, text, where)
    others = {m for m in (_RANGE.findall(text)) if f"{m[0]}–{m[1]}" != (result.period.value if result.period else "")}
    if result.period and others:
        result.period.doubt = "Dokumentet nämner också andra perioder: kontrollera."
    return result
