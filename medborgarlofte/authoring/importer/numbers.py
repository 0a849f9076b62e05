"""Numeric targets in a commitment's own words: "minst åttio (80) trafikkontroller per år" is at least 80.

Swedish documents write amounts as words, as digits, or both ("åttio (80)"); the number words are defined once here,
with the compounds built from them (tjugofem, tvåhundra). "en" and "ett" are also the indefinite article, so they
count only where the document marks them as a number: with a digit beside them or after "minst" or "högst".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = {"ett": 1, "en": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8, "nio": 9}
TEENS = {
    "tio": 10, "elva": 11, "tolv": 12, "tretton": 13, "fjorton": 14, "femton": 15,
    "sexton": 16, "sjutton": 17, "arton": 18, "aderton": 18, "nitton": 19,
}  # fmt: skip
TENS = {"tjugo": 20, "trettio": 30, "fyrtio": 40, "femtio": 50, "sextio": 60, "sjuttio": 70, "åttio": 80, "nittio": 90}
HUNDRED, THOUSAND = "hundra", "tusen"
ARTICLES = {"en", "ett"}
AT_LEAST = ("minst", "åtminstone", "inte färre än", "inte mindre än")
AT_MOST = ("högst", "maximalt", "max", "inte fler än", "inte mer än")
PERIODS = {"år": "år", "året": "år", "månad": "månad", "månaden": "månad", "vecka": "vecka", "veckan": "vecka",
           "kvartal": "kvartal", "termin": "termin", "dag": "dag"}  # fmt: skip
_WORD = r"[a-zåäö]+"
_AMOUNT = re.compile(
    rf"\b(?P<qualifier>{'|'.join(AT_LEAST + AT_MOST)})?\s*"
    rf"(?:(?P<word>{_WORD})\s*\((?P<digits>\d{{1,5}})\)|(?P<bare>\d{{1,5}})|(?P<alone>{_WORD}))"
    r"\s+(?P<unit>\w+-\s+(?:och|eller)\s+\w+|\w+)",
    re.IGNORECASE,
)
_PER = re.compile(r"\b(?:per|varje)\s+(år|året|månad|månaden|vecka|veckan|kvartal|termin|dag)\b", re.I)


@dataclass(frozen=True)
class Amount:
    """A numeric target found in a text: the comparison (`minst`, `högst`, `antal`), the amount, its unit, how
    often (`per`), the words it was read from, and a Swedish doubt where the words and digits disagree."""

    comparison: str
    amount: int
    unit: str
    per: str | None
    words: str
    doubt: str | None = None


def number_word(word: str) -> int | None:
    """The value of a Swedish number word, compounds included: "åttio" 80, "tjugofem" 25, "tvåhundra" 200."""
    word = word.lower()
    if word in UNITS or word in TEENS or word in TENS:
        return UNITS.get(word) or TEENS.get(word) or TENS[word]
    if word.endswith(THOUSAND) or HUNDRED in word:
        big, factor = (THOUSAND, 1000) if THOUSAND in word else (HUNDRED, 100)
        left, _, right = word.partition(big)
        times = number_word(left) if left else 1
        rest = number_word(right) if right else 0
        return times * factor + rest if times and rest is not None and (not right or rest < factor) else None
    for tens, value in TENS.items():
        if word.startswith(tens) and word[len(tens) :] in UNITS and word[len(tens) :] not in ARTICLES:
            return value + UNITS[word[len(tens) :]]
    return None


def find_target(text: str) -> Amount | None:
    """The first amount in the text that counts something, or None; a year (2023) is never an amount."""
    position = 0
    while match := _AMOUNT.search(text, position):
        amount = _amount(match)
        if amount is not None:
            return amount
        position = match.start("unit")  # the unit word may itself be the number of the next try
    return None


def _amount(match: re.Match[str]) -> Amount | None:
    qualifier = (match["qualifier"] or "").lower()
    word = match["word"] or match["alone"]
    spoken = number_word(word) if word else None
    if match["alone"] and (spoken is None or (word.lower() in ARTICLES and not qualifier)):
        return None
    if match["word"] and spoken is None:
        return None
    digits = int(match["digits"] or match["bare"]) if (match["digits"] or match["bare"]) else None
    value = digits if digits is not None else spoken
    if value is None or value == 0 or (match["bare"] and 1900 <= value <= 2100):
        return None
    doubt = None
    if spoken is not None and digits is not None and spoken != digits:
        doubt = f"Dokumentet skriver ”{word}” men ({digits}): kontrollera vilket antal som gäller."
    comparison = "minst" if qualifier in AT_LEAST else "högst" if qualifier in AT_MOST else "antal"
    per = _PER.search(text_after := match.string[match.end() :])
    return Amount(
        comparison,
        value,
        re.sub(r"\s+", " ", match["unit"]),
        PERIODS[per[1].lower()] if per and per.start() < 40 and "." not in text_after[: per.start()] else None,
        match.group(0).strip(),
        doubt,
    )
