"""`build.py importera`: a document a kommun already has (PDF, Word, OpenDocument, web page, text) to a draft promise.

Transcribing a signed promise by hand takes an hour and lets facts in that the document does not state. The importer
reads the document (read.py), finds its paragraphs and list items (blocks.py), recognises what it states
(recognise.py, with numbers.py, parties.py and signatures.py) and writes a draft with the line of every value beside
it (draft.py). It never writes over a file, and it writes nothing when the document cannot be read or states no
commitment: the reviewer always starts from the document's own words.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from medborgarlofte.authoring.scaffold import UNDATED_FOLDER, Scaffold, find_kommun, kommun_data, kommun_name
from medborgarlofte.content.load import KOMMUN_FILE, PROMISE_FILE
from medborgarlofte.content.registry import Registry
from medborgarlofte.content.schema import year_span
from medborgarlofte.swedish import count_noun

from .draft import draft_text
from .read import ImportRefused, read_document
from .recognise import Found, Recognised, recognise

__all__ = ["ImportRefused", "Imported", "import_document"]


@dataclass(frozen=True)
class Imported:
    scaffold: Scaffold
    recognised: Recognised
    summary: list[str]


def import_document(path: Path, root: Path, kommun: str, period: str | None, registry: Registry) -> Imported:
    """The draft for `path` in the folder of `kommun`, or ImportRefused with the reason; nothing is written here."""
    folder = find_kommun(root, kommun, registry)
    source = read_document(path)
    result = recognise(source)
    if not result.commitments:
        raise ImportRefused(
            f"{path.name}: importeraren hittade inget åtagande i dokumentet (inga punkter eller meningar som ”Polisen "
            "ska …”, ”Kommunen lovar …”). Är det ett undertecknat medborgarlöfte? Skriv annars löftet med: "
            f"python build.py new löfte {folder.name}"
        )
    chosen = _chosen_period(period, result.period)
    name = kommun_name(folder / KOMMUN_FILE)
    organisation = _organisation(folder, name)
    title = result.title.value if result.title else f"Medborgarlöfte för {organisation}"
    text = draft_text(result, source, path.name, title, chosen, organisation)
    slug = chosen.value.replace("–", "-") if chosen else UNDATED_FOLDER
    return Imported(Scaffold(folder / slug / PROMISE_FILE, text), result, _summary(result, chosen))


def _chosen_period(given: str | None, found: Found | None) -> Found | None:
    if given is None:
        return found
    years = year_span(given)
    if years is None:
        raise ImportRefused(f"{given} är ingen period. Skriv ett år (2025) eller två år (2025-2026).")
    label = str(years[0]) if years[0] == years[1] else f"{years[0]}–{years[1]}"
    return Found(label, "angiven med --period")


def _organisation(folder: Path, name: str) -> str:
    """How the kommun names itself (`organisation` in kommun.yaml), else its name."""
    organisation = kommun_data(folder / KOMMUN_FILE).get("organisation")
    return organisation if isinstance(organisation, str) else name


def _summary(result: Recognised, period: Found | None) -> list[str]:
    targets = sum(1 for c in result.commitments if c.target)
    counted = (
        count_noun(len(result.commitments), "åtagande", "åtaganden"),
        count_noun(targets, "mål med antal", "mål med antal"),
        count_noun(len(result.signatories), "undertecknare", "undertecknare"),
    )
    areas = count_noun(len(result.focus_areas), "fokusområde", "fokusområden")
    lines = [f"Hittade {', '.join(counted)} och {areas}."]
    missing = [
        what
        for what, value in (
            ("ingen rubrik", result.title),
            ("ingen period", period),
            ("inget datum för underskrifterna", result.signed),
            ("inga undertecknare", result.signatories),
            ("inget om uppföljning", result.follow_up),
        )
        if not value
    ]
    if missing:
        lines.append(f"Dokumentet anger {', '.join(missing)} (eller importeraren hittade det inte).")
    doubts = sum(1 for c in result.commitments for f in (c.party, c.focus) if f and f.doubt)
    if doubts:
        lines.append(f"{count_noun(doubts, 'värde', 'värden')} har en kommentar om vad du ska kontrollera.")
    return lines
