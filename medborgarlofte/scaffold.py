"""`build.py new`: ready-to-edit content files with a Swedish comment on every key.

A communicator starts from a file that already passes `check`. Promises and follow-ups start as drafts
(`utkast: true`): they are checked but not published, so the placeholder text can never reach the site by mistake.
Existing files are never overwritten.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .diagnostics import Diagnostics
from .load import FOLLOW_UPS_DIR, KOMMUN_FILE, KOMMUNER_DIR, PROMISE_FILE, read_yaml_file
from .model import Promise, Site
from .registry import Registry
from .swedish import format_date

PERIOD = re.compile(r"^(\d{4})(?:\s*[–—-]\s*(\d{4}))?$")


class ScaffoldError(Exception):
    """The file cannot be made as asked; the message says why and what to do instead."""


@dataclass(frozen=True)
class Scaffold:
    path: Path
    text: str


def _quoted(text: str) -> str:
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
namn: {_quoted(registered.name)}
# Kommunkoden från SCB: fyra siffror inom citattecken (krävs).
kommunkod: "{registered.code}"
# Lokalpolisområdet som ger löftena tillsammans med kommunen (krävs).
lokalpolisområde: {_quoted(police_area)}
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


def promise_file(root: Path, kommun_slug: str, period: str) -> Scaffold:
    kommun = root / KOMMUNER_DIR / kommun_slug / KOMMUN_FILE
    if not kommun.is_file():
        raise ScaffoldError(
            f"Kommunen {kommun_slug} finns inte i {KOMMUNER_DIR}/. Skapa den först: python build.py new kommun <namn>"
        )
    match = PERIOD.match(period.strip())
    if not match or (match[2] and match[2] < match[1]):
        raise ScaffoldError(f"{period} är ingen period. Skriv ett år (2025) eller två år (2025-2026).")
    label = f"{match[1]}–{match[2]}" if match[2] else match[1]
    name = _kommun_name(kommun)
    text = f"""---
# Ett nytt medborgarlöfte. Skriv bara det som står i det undertecknade dokumentet; lämna bort det som inte står där.
# Löftet är ett utkast och publiceras inte. Ta bort raden "utkast: true" när texten är klar.
utkast: true
# Löftets rubrik (krävs).
rubrik: {_quoted(f"Medborgarlöfte för {name} {label}")}
# Perioden som dokumentet anger. Ta bort raden om dokumentet inte anger någon.
period: "{label}"
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
  - id: forsta-atagandet  # a–z, 0–9 och bindestreck; unikt inom löftet
    text: "Skriv åtagandet som det står i dokumentet."
    # Vem som ansvarar: polisen, kommunen eller gemensamt. Skriv raden bara där dokumentets mening säger vem;
    # utan den visar sidan att ansvaret inte anges i dokumentet.
    # ansvar: polisen
    # fokusområde: Narkotika  # ett av fokusområdena ovan
    # Ett mål bara om dokumentet anger ett antal: minst (”minst 80”), högst (”högst 5”) eller antal (exakt).
    # mål: {{minst: 80, enhet: trafikkontroller, per: år}}
# Dokumentet du skriver av, så att läsarna kan hitta originalet: titel och utgivare; datum och webbadress bara
# om du vet dem säkert.
# källa:
#   titel: {_quoted(f"Medborgarlöfte för {name} {label}")}
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
Skriv bakgrunden här: dialogerna, trygghetsmätningarna och lägesbilden som löftet bygger på.
"""
    return Scaffold(root / KOMMUNER_DIR / kommun_slug / label.replace("–", "-") / PROMISE_FILE, text)


def follow_up_file(root: Path, site: Site, kommun_slug: str, promise_slug: str, day: date) -> Scaffold:
    promise = next(
        (p for k in site.kommuner if k.slug == kommun_slug for p in k.promises if p.slug == promise_slug), None
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
# Varje åtagande med status: ej påbörjat, pågår, försenat, delvis genomfört, genomfört eller ej genomfört.
# Statusen nedan är den senaste; ändra den där läget har ändrats. Ta bort de åtaganden som uppföljningen inte
# bedömer, så behåller de sin tidigare status.
åtaganden:
{ratings}---
Skriv en sammanfattning av uppföljningen här.
"""
    folder = root / KOMMUNER_DIR / kommun_slug / promise_slug / FOLLOW_UPS_DIR
    return Scaffold(folder / f"{day.isoformat()}.md", text)


def _rating_lines(promise: Promise) -> list[str]:
    lines = []
    for commitment in promise.commitments:
        latest = commitment.latest
        text = commitment.text if len(commitment.text) <= 80 else commitment.text[:77] + "…"
        status = latest.status.key if latest else "ej påbörjat"
        note = f"senast bedömt {format_date(latest.published)}" if latest else "inte bedömt förut: välj status"
        lines.append(f"  {commitment.id}:  # {text}\n    status: {status}  # {note}\n")
        if commitment.target:
            lines.append(f"    # utfall: 0  # antal, mot målet {commitment.target.label}\n")
        lines.append("    # kommentar: Vad som har gjorts.\n")
    return lines


def _kommun_name(kommun_file: Path) -> str:
    """The name in an existing kommun.yaml, for the promise's title; the folder name if it cannot be read."""
    document = read_yaml_file(kommun_file, Diagnostics(kommun_file.parent))
    name = document.data.get("namn") if document else None
    return name if isinstance(name, str) else kommun_file.parent.name


def write_new(scaffold: Scaffold) -> None:
    """Never overwrites: a communicator's work is never lost to a scaffold."""
    if scaffold.path.exists():
        raise ScaffoldError(f"{scaffold.path} finns redan och skrivs inte över.")
    scaffold.path.parent.mkdir(parents=True, exist_ok=True)
    with scaffold.path.open("x", encoding="utf-8") as handle:
        handle.write(scaffold.text)
