"""Swedish conventions the site follows: how numbers and dates are written and how names sort (Å, Ä, Ö last)."""

from __future__ import annotations

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
_SORT_TABLE = str.maketrans({"å": "z{", "ä": "z|", "ö": "z}", "é": "e", "ü": "y"})


def format_number(value: float) -> str:
    """Decimal comma, and a narrow no-break space between thousands: 1 200,5."""
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return text.replace(",", "\u202f").replace(".", ",")


def format_date(value: date) -> str:
    """21 mars 2023: the form Swedish public bodies use in running text."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


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
