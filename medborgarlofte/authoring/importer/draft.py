"""The draft promise file: every value with a comment naming the line it came from, and a doubt where there is one.

The draft is generated as text so that each value can carry its comment; every value is written as a JSON string
(which YAML reads as the same text whatever it contains, `": {x` or `!!python/object` included), through the same
helper as `build.py new`. It starts with `utkast: true`: it is checked but not published until a reviewer has
compared it with the document and removed that line.
"""

from __future__ import annotations

import textwrap

from medborgarlofte.authoring.scaffold import quoted
from medborgarlofte.content.registry import slugify

from .read import Source
from .recognise import Commitment, Found, Recognised
from .signatures import Signatory

POLICE_ORGANISATION = "Polisen"
ID_WORDS = 5


def _comment(*parts: str | None) -> str:
    said = "; ".join(" ".join(p.split()) for p in parts if p)
    return f"  # {said}" if said else ""


def _from(found: Found) -> str:
    return _comment(found.where, found.doubt)


def draft_text(
    result: Recognised, source: Source, file_name: str, title: str, period: Found | None, organisation: str
) -> str:
    """The whole draft file: front matter with a comment on every value, then the background as Markdown."""
    lines = [
        "---",
        f"# Utkast importerat från {' '.join(file_name.split())} med python build.py importera. Kommentaren vid varje",
        "# värde säger var i dokumentet det står. Jämför utkastet med dokumentet, rätta det som är fel och ta bort det",
        '# som inte står där. Ta bort raden "utkast: true" först när någon har granskat det mot dokumentet.',
        "utkast: true",
        f"rubrik: {quoted(title)}{_from(result.title) if result.title else _comment(_NO_TITLE)}",
        *_period_lines(period),
        *_signing_lines(result),
        *_signatory_lines(result, organisation),
        *_registration_lines(result),
        *_focus_lines(result),
        *_follow_up_lines(result),
        "åtaganden:",
        *(line for commitment in _with_ids(result.commitments) for line in _commitment_lines(*commitment)),
        *_source_lines(result, source, title, organisation),
        *_background_comment(result),
        "---",
        *_background(result),
    ]
    return "\n".join(lines) + "\n"


_NO_TITLE = (
    "Dokumentet har ingen rubrik med ordet löfte; rubriken är importerarens: skriv dokumentets egen om det har en"
)


def _period_lines(period: Found | None) -> list[str]:
    if period is None:
        return [
            "# Importeraren hittade ingen period i dokumentet. Anger det en, skriv den i stället.",
            "period: anges inte",
        ]
    return [f"period: {quoted(period.value)}{_from(period)}"]


def _signing_lines(result: Recognised) -> list[str]:
    lines = [f"undertecknat: {result.signed.value}{_from(result.signed)}"] if result.signed else []
    if result.place:
        lines.append(f"# Undertecknat i {result.place.value} ({result.place.where}).")
    return lines


def _signatory_lines(result: Recognised, organisation: str) -> list[str]:
    if not result.signatories:
        return []
    lines = []
    if not result.signatories_paired:
        lines.append("# Namnen och rollerna vid underskrifterna går inte att para ihop: de står var för sig, som i")
        lines.append("# dokumentet. Para ihop dem bara om dokumentet säger vem som har vilken roll.")
    lines.append("undertecknare:")
    for signatory in result.signatories:
        lines.extend(_signatory(signatory, organisation))
    return lines


def _signatory(signatory: Signatory, organisation: str) -> list[str]:
    where = _comment(", ".join(dict.fromkeys(signatory.where)))
    keys = [("namn", signatory.name), ("roll", signatory.role)]
    written = [f"{key}: {quoted(value)}" for key, value in keys if value]
    lines = [f"  - {written[0]}{where}", *(f"    {line}" for line in written[1:])]
    role = (signatory.role or "").lower()
    guessed = POLICE_ORGANISATION if "polis" in role else organisation if ("kommun" in role or "stad" in role) else None
    if guessed:
        lines.append(f"    organisation: {quoted(guessed)}{_comment('ur rollens ord: kontrollera')}")
    return lines


def _registration_lines(result: Recognised) -> list[str]:
    if not result.registration_numbers:
        return []
    lines = ["diarienummer:"]
    for organisation, number, where in result.registration_numbers:
        if organisation:
            lines += [f"  - organisation: {quoted(organisation)}{_comment(where)}", f"    nummer: {quoted(number)}"]
        else:
            lines += [
                f"  # Diarienumret {number} ({where}) står utan organisation: skriv vems det är.",
                f"  # - organisation: ?\n  #   nummer: {quoted(number)}",
            ]
    return lines


def _focus_lines(result: Recognised) -> list[str]:
    if not result.focus_areas:
        return ["fokusområden: []"]
    return ["fokusområden:", *(f"  - {quoted(area.value)}{_from(area)}" for area in result.focus_areas)]


def _follow_up_lines(result: Recognised) -> list[str]:
    follow_up = result.follow_up
    return [f"uppföljning: {quoted(follow_up.value)}{_from(follow_up)}"] if follow_up else []


def _with_ids(commitments: list[Commitment]) -> list[tuple[str, Commitment]]:
    """Each commitment with an id from its first words, unique within the promise."""
    seen: set[str] = set()
    result = []
    for commitment in commitments:
        base = "-".join(slugify(commitment.text).split("-")[:ID_WORDS])
        key, number = base, 2
        while key in seen:
            key, number = f"{base}-{number}", number + 1
        seen.add(key)
        result.append((key, commitment))
    return result


def _commitment_lines(key: str, commitment: Commitment) -> list[str]:
    lines = [f"  - id: {key}{_comment(commitment.where)}", f"    text: {quoted(commitment.text)}"]
    if commitment.party:
        lines.append(f"    ansvar: {commitment.party.value}{_from(commitment.party)}")
    if commitment.focus:
        lines.append(
            f"    fokusområde: {quoted(commitment.focus.value)}{_comment('rubriken ' + commitment.focus.where)}"
        )
    target = commitment.target
    if target:
        parts = [f"{target.comparison}: {target.amount}", f"enhet: {quoted(target.unit)}"]
        parts += [f"per: {target.per}"] if target.per else []
        said = _comment(f"{commitment.where}: ”{target.words}”", target.doubt, "kontrollera enheten")
        lines.append(f"    mål: {{{', '.join(parts)}}}{said}")
    return lines


def _source_lines(result: Recognised, source: Source, title: str, organisation: str) -> list[str]:
    titled = _comment("filens titel") if source.title else _comment("löftets rubrik")
    published = _comment("filens författare") if source.author else _comment(_PUBLISHER_DOUBT)
    return [
        "# Dokumentet som utkastet är importerat från. Datum och webbadress bara om du vet dem säkert.",
        "källa:",
        f"  titel: {quoted(source.title or title)}{titled}",
        f"  utgivare: {quoted(source.author or organisation)}{published}",
        *([f"  datum: {result.signed.value}{_comment('dagen för underskrifterna')}"] if result.signed else []),
    ]


_PUBLISHER_DOUBT = "kommunens namn ur kommun.yaml: skriv dokumentets egna ord om det anger utgivaren"


def _background_comment(result: Recognised) -> list[str]:
    if not result.background:
        return []
    places = ", ".join(where for _, where in result.background)
    said = f"Texten efter front matter är dokumentets övriga text, stycke för stycke, från {places}. Ta bort det som "
    said += "inte hör till löftet (menyer, bildtexter, kontaktuppgifter)."
    return [f"# {line}" for line in textwrap.wrap(said, 114)]


def _background(result: Recognised) -> list[str]:
    return [line for text, _ in result.background for line in (text, "")][:-1] if result.background else []
