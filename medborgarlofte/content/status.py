"""The statuses a follow-up gives a commitment, with their Swedish words and icon shapes.

A status is always shown as a word plus an icon shape, never by colour alone; the counts use the singular and plural
forms, as in "3 genomförda, 4 pågår, 1 ej bedömt av 8 åtaganden". This is the one list of statuses: the content
format (`schema.RatingStatus`), the writing guide's table, the messages and the open data's schema take theirs from it.
"""

from __future__ import annotations

from dataclasses import dataclass

from medborgarlofte.swedish import count_noun


# Compared and hashed by identity: each status is one of STATUSES, and counting a promise's statuses or finding a
# status's badge goes through every field otherwise.
@dataclass(frozen=True, eq=False)
class Status:
    key: str
    label: str
    singular: str
    plural: str
    icon: str
    # Where the status comes in the course of the work, the order a communicator chooses from (the writing guide,
    # the messages); None for `ej bedömt`, which a follow-up never gives.
    step: int | None

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
    Status("genomfört", "Genomfört", "genomfört", "genomförda", "check", 5),
    Status("delvis genomfört", "Delvis genomfört", "delvis genomfört", "delvis genomförda", "half", 4),
    Status("pågår", "Pågår", "pågår", "pågår", "arrow", 2),
    Status("försenat", "Försenat", "försenat", "försenade", "clock", 3),
    Status("ej påbörjat", "Ej påbörjat", "ej påbörjat", "ej påbörjade", "ring", 1),
    Status("ej genomfört", "Ej genomfört", "ej genomfört", "ej genomförda", "cross", 6),
    Status("ej bedömt", "Ej bedömt", "ej bedömt", "ej bedömda", "dashed", None),
)
BY_KEY = {status.key: status for status in STATUSES}
NOT_RATED = BY_KEY["ej bedömt"]
# The statuses a follow-up may give a commitment, in the course of the work.
RATINGS = tuple(sorted((status for status in STATUSES if status.step is not None), key=lambda status: status.step or 0))
RATING_KEYS = tuple(status.key for status in RATINGS)


def by_key(key: str) -> Status:
    return BY_KEY[key]
