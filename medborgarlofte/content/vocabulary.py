"""Who a commitment names as responsible (`ansvar`) and the state a promise is in (its `status`, the open data's
`giltighet`), and how a target compares (`mål`), each key with its Swedish words.

These are the one list of each, as status.py holds the statuses: the content format (`schema.Responsibility`,
`schema.PromiseState`), the model, the open data's schema and the importer take theirs from here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Responsibility:
    """Who a commitment's sentence names as responsible; `key` None where the document names nobody. Compared by
    value: a model read in a worker process (parallel.py) comes back with copies."""

    key: str | None
    label: str  # after "Ansvar:" on the pages, in the PDF and the feeds
    name: str  # the search filter's value and the name of its part of the status summary


POLICE, KOMMUN, JOINT = "polisen", "kommunen", "gemensamt"
# The responsibilities a document can name, in the order pages, filters and summaries list them; the model adds the
# one for a commitment whose document names nobody, in its own words for what a document leaves out.
NAMED_RESPONSIBILITIES = (
    Responsibility(POLICE, "Polisen", "Polisen"),
    Responsibility(KOMMUN, "Kommunen", "Kommunen"),
    Responsibility(JOINT, "Gemensamt (kommunen och polisen)", "Gemensamt"),
)
RESPONSIBILITY_KEYS = tuple(r.key for r in NAMED_RESPONSIBILITIES)

# How a target compares, with the word before its number on the pages: at least, at most, or exactly (no word).
TARGET_COMPARISONS = {"minst": "minst ", "högst": "högst ", "antal": ""}
COMPARISON_KEYS = tuple(TARGET_COMPARISONS)

PROPOSED, IN_FORCE, ENDED = "förslag", "gällande", "avslutat"
# A promise's states with their words on the pages, in the order of a promise's life.
PROMISE_STATES = {PROPOSED: "Förslag", IN_FORCE: "Gällande", ENDED: "Avslutat"}
STATE_KEYS = tuple(PROMISE_STATES)
