"""`build.py new`: ready-to-edit content files with a Swedish comment on every key.

A communicator starts from a file that already passes `check`, and `check --strict` too. Promises and follow-ups start
as drafts (`utkast: true`): they are checked but not published, and each placeholder text left in them (placeholders.py)
is a notice there and an error once the draft mark is removed, so it can never reach the site by mistake. Existing files
are never overwritten.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from medborgarlofte.content.diagnostics import Diagnostics
from medborgarlofte.content.load import FOLLOW_UPS_DIR, KOMMUN_FILE, KOMMUNER_DIR, PROMISE_FILE, read_yaml_file
from medborgarlofte.content.model import Promise, Site
from medborgarlofte.content.placeholders import (
    BACKGROUND,
    COMMITMENT_ID,
    COMMITMENT_TEXT,
    STATUS,
    STATUS_CHOICES,
    SUMMARY,
)
from medborgarlofte.content.registry import Registry, slugify
from medborgarlofte.content.schema import PERIOD_NOT_STATED, year_span
from medborgarlofte.swedish import format_date

# The folder of a promise whose document names no period, as the guide suggests: no year is guessed.
UNDATED_FOLDER = "medborgarlofte"


class ScaffoldError(Exception):
    """The file cannot be made as asked; the message says why and what to do instead."""


@dataclass(frozen=True)
class Scaffold:
    path: Path
    text: str


def quoted(text: str) -> str:
    """A YAML string that stays text whatever it contains (JSON strings are YAML)."""
    return json.dumps(text, ensure_ascii=False)


def kommun_file(root: Path, name: str, police_area: str, registry: Registry) -> Scaffold:
    registered = registry.by_name(name)
    if registered is None:
        names = [k.name for k in registry.kommuner.values()]
        nearest = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
        hint = f" Menade du {' eller '.join(nearest)}?" if nearest else ""
        raise ScaffoldError(f"{name} finns inte bland Sveriges 290 kommuner.{hint}")
    slug = registry.slug(registered)
    text = f"""# Uppgifter om kommunen. Rader som börjar med # är kommentarer och syns inte på webbplatsen.
# Skapad med: python build.py new kommun {registered.name}

# Kommunens namn, som i SCB:s register (krävs).
namn: {quoted(registered.name)}
# Kommunkoden från SCB: fyra siffror inom citattecken (krävs).
kommunkod: "{registered.code}"
# Lokalpolisområdet som ger löftena tillsammans med kommunen (krävs).
lokalpolisområde: {quoted(police_area)}
# Hur kommunen skriver sitt namn, till exempel "{registered.official_name}" (valfritt).
# organisation: "{registered.official_name}"
# Kommunens webbplats (valfritt).
# webbplats: https://
# Vart invånarna kan skriva med synpunkter och rättelser (valfritt).
# kontakt:
#   e-post: namn@kommun.se
#   url: https://
"""
    return Scaffold(root / KOMMUNER_DIR / slug / KOMMUN_FILE, text)


def find_kommun(root: Path, kommun: str, registry: Registry) -> Path:
    """The folder of an existing kommun, named by its folder or by its name (as in its kommun.yaml or the registry),
    in any case and with or without å, ä and ö: `Upplands Väsby`, `upplands vasby` and `upplands-vasby` are one."""
    folders = sorted(f for f in (root / KOMMUNER_DIR).glob(f"*/{KOMMUN_FILE}") if f.is_file())
    names = {folder.parent: _kommun_names(folder, registry) for folder in folders}
    by_folder = [folder for folder in names if folder.name == kommun]
    exact = [folder for folder, known in names.items() if kommun.casefold() in {n.casefold() for n in known}]
    folded = [folder for folder, known in names.items() if slugify(kommun) in {slugify(n) for n in known}]
    found = by_folder or exact or folded
    if len(found) > 1:
        raise ScaffoldError(
            f"{kommun} kan vara flera kommuner: {', '.join(f.name for f in found)}. Skriv kommunens mappnamn."
        )
    if not found:
        raise ScaffoldError(
            f"Kommunen {kommun} finns inte i {KOMMUNER_DIR}/. Skapa den först: "
            f'python build.py new kommun "{kommun}" --lokalpolisområde <namn>'
        )
    return found[0]


def _kommun_names(kommun_file: Path, registry: Registry) -> list[str]:
    """The names a kommun folder answers to: the folder's own, the name in its kommun.yaml and the registry's names
    for its kommunkod."""
    data = kommun_data(kommun_file)
    names = [kommun_file.parent.name, *([data["namn"]] if isinstance(data.get("namn"), str) else [])]
    registered = registry.kommuner.get(data.get("kommunkod")) if isinstance(data.get("kommunkod"), str) else None
    return names + ([registered.name, registered.official_name] if registered else [])


def promise_file(root: Path, kommun: str, period: str | None, registry: Registry) -> Scaffold:
    """A draft promise of `kommun` (folder or name) for `period`, or, with no period, for a document that names none:
    then its folder is `medborgarlofte` and its period `anges inte`, as the guide asks."""
    folder = find_kommun(root, kommun, registry)
    name = kommun_name(folder / KOMMUN_FILE)
    if period is None:
        title, slug = f"Medborgarlöfte för {name}", UNDATED_FOLDER
        period_lines = (
            "# Dokumentet anger ingen period. Anger det en, skriv den i stället, till exempel 2025–2026.\n"
            f"period: {PERIOD_NOT_STATED}"
        )
    else:
        years = year_span(period)
        if years is None:
            raise ScaffoldError(
                f"{period} är ingen period. Skriv ett år (2025) eller två år (2025-2026), eller inget alls om "
                "dokumentet inte anger någon period."
            )
        label = str(years[0]) if years[0] == years[1] else f"{years[0]}–{years[1]}"
        title, slug = f"Medborgarlöfte för {name} {label}", label.replace("–", "-")
        period_lines = f"# Perioden som dokumentet anger: ett år (2025) eller två år (2025–2026).\nperiod: {label}"
    text = f"""---
# Ett nytt medborgarlöfte. Skriv bara det som står i det undertecknade dokumentet; lämna bort det som inte står där.
# Löftet är ett utkast och publiceras inte. Ta bort raden "utkast: true" när texten är klar.
utkast: true
# Löftets rubrik (krävs).
rubrik: {quoted(title)}
{period_lines}
# Dagen löftet undertecknades, ÅÅÅÅ-MM-DD (valfritt).
# undertecknat: 2025-03-21
# Vilka som undertecknade (valfritt).
# undertecknare:
#   - namn: För Efternamn
#     roll: Lokalpolisområdeschef
#     organisation: Polisen
# Diarienummer (valfritt).
# diarienummer:
#   - organisation: Polisen
#     nummer: "A123.456/2025"
# De prioriterade områden som dokumentet nämner (valfritt).
fokusområden: []
# Vad dokumentet säger om hur och när löftet följs upp (valfritt).
# uppföljning: Följs upp två gånger per år.
# Åtagandena: ett för varje sak som löftet säger att kommunen eller polisen ska göra (minst ett).
åtaganden:
  - id: {COMMITMENT_ID.text}  # a–z, 0–9 och bindestreck; unikt inom löftet
    text: {quoted(COMMITMENT_TEXT.text)}
    # Vem som ansvarar: polisen, kommunen eller gemensamt. Skriv raden bara där dokumentets mening säger vem;
    # utan den visar sidan att ansvaret inte anges i dokumentet.
    # ansvar: polisen
    # fokusområde: Narkotika  # ett av fokusområdena ovan
    # Ett mål bara om dokumentet anger ett antal: minst (”minst 80”), högst (”högst 5”) eller antal (exakt).
    # mål: {{minst: 80, enhet: trafikkontroller, per: år}}
# Dokumentet du skriver av, så att läsarna kan hitta originalet: titel och utgivare; datum och webbadress bara
# om du vet dem säkert.
# källa:
#   titel: {quoted(title)}
#   utgivare: Kommunen och Polisen  # de som har gett ut dokumentet, med dokumentets ord
#   datum: 2025-03-21
#   url: https://
# Redaktionens anmärkning, som visas på sidan: vad du har fått tolka, eller att en text inte återges ordagrant.
# anmärkning: Dokumentet anger ett namn vid underskrifterna men inte vilken roll namnet hör till.
# Filer i den här mappen som ska publiceras bredvid löftet: pdf, docx, odt, png eller jpg (valfritt).
# bilagor:
#   - fil: undertecknat.pdf
#     titel: Undertecknat medborgarlöfte
---
{BACKGROUND.text}
"""
    return Scaffold(folder / slug / PROMISE_FILE, text)


def follow_up_file(root: Path, site: Site, kommun: str, promise_slug: str, day: date, registry: Registry) -> Scaffold:
    """A draft follow-up of a published promise that rates nothing yet: each commitment's status is left to choose
    (`välj`), with its latest rating beside it, so that no rating is stated that the communicator has not made."""
    kommun_slug = find_kommun(root, kommun, registry).name
    promise = next(
        (p for k in site.kommuner if k.slug == kommun_slug for p in k.promises if p.slug == slugify(promise_slug)),
        None,
    )
    if promise is None:
        raise ScaffoldError(
            f"Löftet {kommun_slug}/{promise_slug} finns inte (eller är ett utkast). "
            f"Se mappnamnen i {KOMMUNER_DIR}/{kommun_slug}/."
        )
    ratings = "".join(_rating_lines(promise))
    text = f"""---
# Uppföljning av {promise.title}.
# Uppföljningen är ett utkast och publiceras inte. Ta bort raden "utkast: true" när texten är klar.
utkast: true
# Dagen uppföljningen publiceras, ÅÅÅÅ-MM-DD (krävs).
datum: {day.isoformat()}
# Tiden uppföljningen gäller, till exempel "Hösten 2025" (valfritt).
# avser: Hösten 2025
# Skriv en status i stället för "{STATUS.text}" för varje åtagande, en av:
#   {STATUS_CHOICES}.
# Den senaste bedömningen står på samma rad. Ta bort de åtaganden som uppföljningen inte bedömer, så behåller de
# sin tidigare status.
åtaganden:
{ratings}---
{SUMMARY.text}
"""
    folder = root / KOMMUNER_DIR / kommun_slug / promise.slug / FOLLOW_UPS_DIR
    return Scaffold(folder / f"{day.isoformat()}.md", text)


def _rating_lines(promise: Promise) -> list[str]:
    lines = []
    for commitment in promise.commitments:
        latest = commitment.latest
        text = commitment.text if len(commitment.text) <= 80 else commitment.text[:77] + "…"
        note = f"senast: {latest.status.key} ({format_date(latest.published)})" if latest else "inte bedömt förut"
        lines.append(f"  {commitment.id}:  # {text}\n    status: {STATUS.text}  # {note}\n")
        if commitment.target:
            lines.append(f"    # utfall: 0  # antal, mot målet {commitment.target.label}\n")
        lines.append("    # kommentar: Vad som har gjorts.\n")
    return lines


def kommun_name(kommun_file: Path) -> str:
    """The name in an existing kommun.yaml, for the promise's title; the folder name if it cannot be read."""
    name = kommun_data(kommun_file).get("namn")
    return name if isinstance(name, str) else kommun_file.parent.name


def kommun_data(kommun_file: Path) -> dict:
    """An existing kommun.yaml as written; empty if it cannot be read (`check` reports why)."""
    document = read_yaml_file(kommun_file, Diagnostics(kommun_file.parent))
    return document.data if document else {}


def write_new(scaffold: Scaffold) -> None:
    """Never overwrites: a communicator's work is never lost to a scaffold."""
    if scaffold.path.exists():
        raise ScaffoldError(f"{scaffold.path} finns redan och skrivs inte över.")
    scaffold.path.parent.mkdir(parents=True, exist_ok=True)
    with scaffold.path.open("x", encoding="utf-8", newline="\n") as handle:  # the same bytes on every platform
        handle.write(scaffold.text)
