"""Swedish conventions the site follows: how numbers and dates are written and how names sort (Å, Ä, Ö last)."""

from __future__ import annotations

import re
from datetime import date

MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
# A date as Swedish documents write it: "den 21 mars 2023", "21 mars 2023" or "2023-03-21" (the month's name in any
# case); a pattern to put in others, and `parse_date` reads what it matched.
DATE_PATTERN = (
    rf"(?:den\s+)?(?P<day>\d{{1,2}})\s+(?P<month>(?i:{'|'.join(MONTHS)}))\s+(?P<year>\d{{4}})"
    r"|(?P<iso>\d{4}-\d{2}-\d{2})"
)
_DATE = re.compile(DATE_PATTERN)
_SORT_TABLE = str.maketrans({"å": "z{", "ä": "z|", "ö": "z}", "é": "e", "ü": "y"})


def format_number(value: float) -> str:
    """Decimal comma, and a narrow no-break space between thousands: 1 200,5."""
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return text.replace(",", "\u202f").replace(".", ",")


def format_date(value: date) -> str:
    """21 mars 2023: the form Swedish public bodies use in running text."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def parse_date(text: str) -> date | None:
    """A date written as DATE_PATTERN matches it, the inverse of `format_date`; None for text that is not one, or a
    day that does not exist ("31 februari 2023")."""
    match = _DATE.fullmatch(text.strip())
    if match is None:
        return None
    try:
        if match["iso"]:
            return date.fromisoformat(match["iso"])
        month = [name.casefold() for name in MONTHS].index(match["month"].casefold()) + 1
        return date(int(match["year"]), month, int(match["day"]))
    except ValueError:  # no such day
        return None


def sort_key(name: str) -> str:
    """Sorting key that puts Å, Ä and Ö after Z, in that order, as Swedish readers expect."""
    return name.casefold().translate(_SORT_TABLE)


def format_size(size: int) -> str:
    """File sizes as Swedish sites write them: 840 byte, 84 kB, 1,2 MB."""
    if size < 1000:
        return f"{size} byte"
    if size < 1_000_000:
        return f"{round(size / 1000)} kB"
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")


def count_noun(count: int, singular: str, plural: str) -> str:
    """1 varning, 2 varningar, 0 fel: the number with the noun in the form Swedish uses for it."""
    return f"{count} {singular if count == 1 else plural}"


def alternatives(words: tuple[str, ...]) -> str:
    """pågår, försenat eller genomfört: a choice written out as Swedish lists one."""
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} eller {words[-1]}"
