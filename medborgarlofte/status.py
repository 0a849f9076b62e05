"""The statuses a follow-up gives a commitment, with their Swedish words and icon shapes.

A status is always shown as a word plus an icon shape, never by colour alone; the counts use the singular and plural
forms, as in "3 genomförda, 4 pågår, 1 ej bedömt av 8 åtaganden".
"""

from __future__ import annotations

from dataclasses import dataclass

from .swedish import count_noun


@dataclass(frozen=True)
class Status:
    key: str
    label: str
    singular: str
    plural: str
    icon: str

    @property
    def css(self) -> str:
        """A class name for the theme: `delvis genomfört` → `delvis-genomfort`."""
        return self.key.replace(" ", "-").translate(str.maketrans("åäö", "aao"))

    def count_label(self, count: int) -> str:
        return count_noun(count, self.singular, self.plural)

    def __reduce__(self) -> tuple[object, tuple[str]]:
        """A status comes back from a worker process (parallel.py) as the very object of STATUSES, so that the
        model's `status is NOT_RATED` holds there too."""
        return by_key, (self.key,)


# In the order summaries list them: done first, not yet rated last.
STATUSES = (
    Status("genomfört", "Genomfört", "genomfört", "genomförda", "check"),
    Status("delvis genomfört", "Delvis genomfört", "delvis genomfört", "delvis genomförda", "half"),
    Status("pågår", "Pågår", "pågår", "pågår", "arrow"),
    Status("försenat", "Försenat", "försenat", "försenade", "clock"),
    Status("ej påbörjat", "Ej påbörjat", "ej påbörjat", "ej påbörjade", "ring"),
    Status("ej genomfört", "Ej genomfört", "ej genomfört", "ej genomförda", "cross"),
    Status("ej bedömt", "Ej bedömt", "ej bedömt", "ej bedömda", "dashed"),
)
BY_KEY = {status.key: status for status in STATUSES}
NOT_RATED = BY_KEY["ej bedömt"]


def by_key(key: str) -> Status:
    return BY_KEY[key]
