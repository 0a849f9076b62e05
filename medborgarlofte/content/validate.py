"""Stage 2, validate: turn the loaded YAML into typed content, and every problem into a located Swedish diagnostic.

pydantic checks each file against the format in `schema.py`; this module translates its errors into messages a
communicator can act on and adds the checks that span files (the registry, unique ids, fokusområden, slugs).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from medborgarlofte.content.diagnostics import Diagnostics, Severity
from medborgarlofte.content.load import (
    Document,
    MarkdownFile,
    RawContent,
    RawFollowUp,
    RawKommun,
    RawPage,
    RawPromise,
    inside,
)
from medborgarlofte.content.markdown import find_link_problems
from medborgarlofte.content.placeholders import PLACEHOLDERS, Placeholder
from medborgarlofte.content.registry import FICTIONAL_LAN, Registry, RegistryKommun, slugify
from medborgarlofte.content.schema import (
    KOMMUNKOD_PATTERN,
    SLUG_PATTERN,
    Attachment,
    DateRange,
    FollowUpFile,
    KommunFile,
    PageFile,
    PromiseFile,
    SiteFile,
    read_period,
)
from medborgarlofte.outputs.addresses import RESERVED_SLUGS, promise_outputs
from medborgarlofte.outputs.downloads import ATTACHMENT_FORMATS, MAX_ATTACHMENT_BYTES
from medborgarlofte.swedish import format_size

Model = TypeVar("Model", bound=BaseModel)

DATE_HINT = "Skriv datum som ÅÅÅÅ-MM-DD, till exempel 2025-03-21."


@dataclass(frozen=True)
class ValidFollowUp:
    slug: str
    entry: FollowUpFile
    body: str


@dataclass(frozen=True)
class ValidAttachment:
    source: Path
    relative: str  # within the promise's folder, as published
    title: str
    format: str
    size: int


@dataclass(frozen=True)
class ValidPromise:
    slug: str
    folder: Path
    entry: PromiseFile
    body: str
    follow_ups: list[ValidFollowUp]
    attachments: list[ValidAttachment]


@dataclass(frozen=True)
class ValidKommun:
    slug: str
    folder: Path
    entry: KommunFile
    registered: RegistryKommun
    promises: list[ValidPromise]


@dataclass(frozen=True)
class ValidPage:
    slug: str
    entry: PageFile
    body: str


@dataclass(frozen=True)
class ValidContent:
    site: SiteFile
    pages: list[ValidPage]
    kommuner: list[ValidKommun]


def validate_shared(raw: RawContent, kommuner: list[ValidKommun], diagnostics: Diagnostics) -> ValidContent | None:
    """The site's settings and pages, and what no single kommun can check alone (kommunkoder used twice, page
    names that collide with a kommun's); `kommuner` are those `validate_kommun` accepted. Returns the content only
    if no error was found, in any kommun either."""
    site = _check_document(SiteFile, raw.site, diagnostics) if raw.site else None
    pages = [page for raw_page in raw.pages if (page := _validate_page(raw_page, diagnostics))]
    _check_unique_codes(raw, diagnostics)
    _check_reserved(raw, diagnostics)
    if diagnostics.errors or site is None:
        return None
    return ValidContent(site, pages, kommuner)


def _validate_page(raw: RawPage, diagnostics: Diagnostics) -> ValidPage | None:
    entry = _check_markdown(PageFile, raw.source, diagnostics)
    slug_ok = _check_slug(raw.slug, raw.source.front_matter.path, "sidans filnamn", diagnostics)
    return ValidPage(raw.slug, entry, raw.source.body) if entry and slug_ok else None


def validate_kommun(raw: RawKommun, registry: Registry, diagnostics: Diagnostics, today: date) -> ValidKommun | None:
    """One kommun folder, all its problems reported in one run: each check reads what it needs from the files as
    written, so none waits for another part to be fixed. `today` is the build date: a follow-up dated after it is
    probably a typing mistake."""
    promises = [p for raw_promise in raw.promises if (p := _validate_promise(raw_promise, diagnostics, today))]
    if raw.source is None:
        return None
    slug_ok = _check_slug(raw.slug, raw.source.path, "kommunmappens namn", diagnostics)
    entry = _check_document(KommunFile, raw.source, diagnostics)
    identity = (entry.name, entry.code, entry.fictional) if entry else _written_identity(raw.source)
    registered = _check_registry(*identity, raw.source, registry, diagnostics) if identity else None
    if entry is None or not slug_ok or registered is None or len(promises) != len(raw.promises):
        return None
    return ValidKommun(raw.slug, raw.folder, entry, registered, promises)


def _written_identity(document: Document) -> tuple[str, str, bool] | None:
    """The name, kommunkod and `fiktiv` of a kommun.yaml with errors, as written, so that the registry is checked
    too; None when the name or the code cannot be read (validating the file says why)."""
    name, code = _text(document.data.get("namn")), document.data.get("kommunkod")
    if name is None or not isinstance(code, str) or not re.fullmatch(KOMMUNKOD_PATTERN, code):
        return None
    return name, code, document.data.get("fiktiv") is True


@dataclass(frozen=True)
class _WrittenPromise:
    """What a promise's follow-ups are checked against, read from the promise as written, so that they are checked
    also when the promise has errors elsewhere: each commitment id with whether it has a numeric target (`mål`),
    None when `åtaganden` cannot be read; and the period, None when absent or unreadable."""

    targets: dict[str, bool] | None
    period: DateRange | None

    @classmethod
    def read(cls, document: Document | None) -> _WrittenPromise:
        """From the promise's front matter; all unknown without one."""
        if document is None:
            return cls(None, None)
        items = document.data.get("åtaganden")
        targets = (
            {item["id"]: item.get("mål") is not None for item in items if _has_text(item, "id")}
            if isinstance(items, list) and items
            else None
        )
        return cls(targets, read_period(document.data.get("period")))


def _validate_promise(raw: RawPromise, diagnostics: Diagnostics, today: date) -> ValidPromise | None:
    """A promise and its follow-ups, every check made whatever the others found; the follow-ups of a promise file
    that cannot be read are checked on their own."""
    entry = _check_promise(raw, raw.source, diagnostics) if raw.source else None
    written = _WrittenPromise.read(raw.source.front_matter if raw.source else None)
    follow_ups = [f for r in raw.follow_ups if (f := _validate_follow_up(r, written, diagnostics, today))]
    dates_ok = _check_follow_up_dates(raw.follow_ups, diagnostics)
    if raw.source is None or entry is None or not dates_ok or len(follow_ups) != len(raw.follow_ups):
        return None
    attachments = [_attachment(raw, attachment) for attachment in entry.attachments]
    return ValidPromise(raw.slug, raw.folder, entry, raw.source.body, follow_ups, attachments)


def _check_promise(raw: RawPromise, source: MarkdownFile, diagnostics: Diagnostics) -> PromiseFile | None:
    """The promise file itself, the checks within it made also when others fail; its entry if all pass."""
    document = source.front_matter
    slug_ok = _check_slug(raw.slug, document.path, "löftesmappens namn", diagnostics)
    entry = _check_markdown(PromiseFile, source, diagnostics)
    consistent = _check_commitments(document, diagnostics)
    _note_draft(source, "Löftet", raw.folder, diagnostics)
    attachments_ok = _check_attachments(raw, document, diagnostics)
    if document.data.get("period") is None:  # absent or empty; `anges inte` says the document names none
        diagnostics.warning(
            document.path,
            document.key_position(("rubrik",)),
            "Löftet anger ingen period (`period`).",
            "Om dokumentet anger en period, skriv till exempel `period: 2025–2026`; om det inte gör det, "
            "skriv `period: anges inte`. Sidan visar då att perioden inte anges i dokumentet.",
        )
    _check_source(document, diagnostics)
    return entry if slug_ok and consistent and attachments_ok else None


def _check_source(document: Document, diagnostics: Diagnostics) -> None:
    """A reader who doubts a sentence must be able to find the document it came from."""
    if document.data.get("källa") is None:
        diagnostics.warning(
            document.path,
            document.key_position(("rubrik",)),
            "Löftet anger inte vilket dokument det är hämtat från (`källa`).",
            "Skriv `källa:` med dokumentets `titel` och `utgivare`, och `datum` och `url` om du vet dem säkert, "
            "så att läsarna kan hitta originalet.",
        )


def _check_attachments(raw: RawPromise, document: Document, diagnostics: Diagnostics) -> bool:
    """Every attachment the promise names, as written, is a file it may publish."""
    items = document.data.get("bilagor")
    ok = True
    for index, item in enumerate(items if isinstance(items, list) else []):
        name = _text(item.get("fil")) if isinstance(item, dict) else None
        problem = _attachment_problem(raw, name, PurePosixPath(name)) if name else None
        if problem:
            ok = False
            diagnostics.error(document.path, document.position(("bilagor", index, "fil")), *problem)
    return ok


def _attachment(raw: RawPromise, attachment: Attachment) -> ValidAttachment:
    """An attachment that `_check_attachments` accepted."""
    relative = PurePosixPath(attachment.file)
    path = raw.folder / relative
    return ValidAttachment(
        path, relative.as_posix(), attachment.title, ATTACHMENT_FORMATS[relative.suffix.lower()], path.stat().st_size
    )


def _attachment_problem(raw: RawPromise, name: str, relative: PurePosixPath) -> tuple[str, str] | None:
    """What is wrong with an attachment, as (message, hint). It must be a file of an allowed type inside the
    promise's own folder: content may never publish a file from elsewhere on the machine that builds the site."""
    path = raw.folder / relative
    if "\0" in name:  # no file name holds one; the file system would refuse to look it up
        return f"Bilagans filnamn `{name!r}` innehåller ett nolltecken.", "Skriv filnamnet som det står i mappen."
    if relative.is_absolute() or ".." in relative.parts or "\\" in name or not inside(path, raw.folder):
        return (
            f"Bilagan `{name}` ligger utanför löftets mapp.",
            "Lägg filen i samma mapp som medborgarlofte.md och skriv bara filnamnet, till exempel `fil: original.pdf`.",
        )
    if relative.suffix.lower() not in ATTACHMENT_FORMATS:
        allowed = ", ".join(suffix.lstrip(".") for suffix in ATTACHMENT_FORMATS)
        return f"Filtypen `{relative.suffix or relative.name}` kan inte publiceras som bilaga.", f"Tillåtna: {allowed}."
    if not path.is_file():
        existing = [p.name for p in raw.folder.iterdir() if p.is_file()]
        hint = _suggest(name, existing) or "Lägg filen i löftets mapp eller rätta filnamnet."
        return f"Bilagan `{name}` finns inte i mappen `{raw.folder.name}`.", hint
    if relative.as_posix() in promise_outputs(raw.folder.parent.name, raw.slug):
        return f"Filnamnet `{name}` används av webbplatsen själv.", "Byt namn på filen."
    if (size := path.stat().st_size) > MAX_ATTACHMENT_BYTES:
        limit = format_size(MAX_ATTACHMENT_BYTES)
        return (
            f"Bilagan `{name}` är för stor ({format_size(size)}; högst {limit}).",
            "Komprimera filen eller länka till den.",
        )
    return None


def _validate_follow_up(
    raw: RawFollowUp, promise: _WrittenPromise, diagnostics: Diagnostics, today: date
) -> ValidFollowUp | None:
    """A follow-up may only rate the promise's own commitments, and a number only where there is a target; checked
    from the follow-up as written, also when it has errors elsewhere."""
    document = raw.source.front_matter
    entry = _check_markdown(FollowUpFile, raw.source, diagnostics)
    _note_draft(raw.source, "Uppföljningen", document.path, diagnostics)
    slug_ok = _check_slug(raw.slug, document.path, "uppföljningens filnamn", diagnostics)
    ratings = document.data.get("åtaganden")
    ok = all(
        [
            _check_rating(document, commitment_id, rating, promise.targets, diagnostics)
            for commitment_id, rating in (ratings.items() if isinstance(ratings, dict) else [])
        ]
    )
    _check_follow_up_date(document, promise.period, diagnostics, today)
    if entry is None or not slug_ok:
        return None
    return ValidFollowUp(raw.slug, entry, raw.source.body) if ok else None


def _check_rating(
    document: Document, commitment_id: str, rating: Any, targets: dict[str, bool] | None, diagnostics: Diagnostics
) -> bool:
    """One rating against the promise's commitments (`targets`, None when they cannot be read), and its comment's
    links."""
    ok = targets is None or _check_rated_commitment(document, commitment_id, rating, targets, diagnostics)
    if _has_text(rating, "kommentar"):
        for problem in find_link_problems(rating["kommentar"]):
            ok = False
            line, _ = document.position(("åtaganden", commitment_id, "kommentar"))
            diagnostics.error(document.path, (line + problem.line - 1, 1), problem.message, problem.hint)
    return ok


def _check_rated_commitment(
    document: Document, commitment_id: str, rating: Any, targets: dict[str, bool], diagnostics: Diagnostics
) -> bool:
    """The rated id is one of the promise's commitments, and an outcome (`utfall`) has a target to be read against."""
    if commitment_id not in targets:
        diagnostics.error(
            document.path,
            document.key_position(("åtaganden", commitment_id)),
            f"Löftet har inget åtagande med id `{commitment_id}`.",
            _suggest(commitment_id, list(targets))
            or "Använd ett id från löftets `åtaganden`: " + ", ".join(targets) + ".",
        )
        return False
    if isinstance(rating, dict) and rating.get("utfall") is not None and not targets[commitment_id]:
        diagnostics.error(
            document.path,
            document.position(("åtaganden", commitment_id, "utfall")),
            f"Åtagandet `{commitment_id}` har inget numeriskt mål (`mål`) att jämföra `utfall` med.",
            "Ta bort `utfall` och beskriv resultatet i `kommentar`, eller lägg till ett `mål` i löftet.",
        )
        return False
    return True


def _note_draft(source: MarkdownFile, what: str, unpublished: Path, diagnostics: Diagnostics) -> None:
    """A draft is checked like any file but not published: the files `new` makes start as drafts, so that their
    placeholder text can never reach the site by mistake. What a draft leaves `unpublished` (a follow-up, or a
    promise's folder with its follow-ups) has notices instead of warnings, which never fail a check; its errors stay
    errors, so that it stays readable. Read from the front matter as written, so that a file with other errors is
    noted too."""
    document = source.front_matter
    if document.data.get("utkast") is True:
        diagnostics.draft(unpublished)
        diagnostics.notice(
            document.path,
            document.key_position(("utkast",)),
            f"{what} är ett utkast och publiceras inte.",
            "Ta bort raden `utkast: true` när texten är klar att publiceras.",
        )
    _check_placeholders(source, diagnostics)


# The placeholders by the key whose whole value they are; those of the Markdown text have the key "".
_PLACEHOLDERS_BY_KEY = {p.key: [q for q in PLACEHOLDERS if q.key == p.key] for p in PLACEHOLDERS}
_TEXT_PLACEHOLDERS = _PLACEHOLDERS_BY_KEY[""]


def _check_placeholders(source: MarkdownFile, diagnostics: Diagnostics) -> None:
    """Every placeholder text `new` writes, where it is still left: the whole value of its key, or anywhere in a
    line of the Markdown text (where new text is often written beside it). Notices in a draft, errors elsewhere."""
    document = source.front_matter
    left = [(document.position(loc), placeholder) for loc, placeholder in _placeholder_values(document.data, (), [])]
    if any(placeholder.text in source.body for placeholder in _TEXT_PLACEHOLDERS):
        for number, line_text in enumerate(source.body.splitlines()):
            line = source.body_line + number
            left += [((line, 1), p) for p in _TEXT_PLACEHOLDERS if p.text in line_text]
    if left:
        severity = Severity.NOTICE if diagnostics.in_draft(document.path) else Severity.ERROR
        for (line, column), placeholder in left:
            diagnostics.add(document.path, line, column, placeholder.message, placeholder.hint, severity)


def _placeholder_values(
    value: dict | list, loc: tuple[str | int, ...], found: list[tuple[tuple[str | int, ...], Placeholder]]
) -> list[tuple[tuple[str | int, ...], Placeholder]]:
    """`found` with each placeholder left as the whole value of its key within `value`, with its path, in the
    file's order."""
    for key, item in value.items() if isinstance(value, dict) else enumerate(value):
        if isinstance(item, str):
            for placeholder in _PLACEHOLDERS_BY_KEY.get(key, ()):
                if item.strip() == placeholder.text:
                    found.append(((*loc, key), placeholder))
        elif isinstance(item, dict | list):
            _placeholder_values(item, (*loc, key), found)
    return found


def _check_follow_up_date(document: Document, period: DateRange | None, diagnostics: Diagnostics, today: date) -> None:
    published = _written_date(document)
    if published is None:
        return
    if period and published < period.start:
        diagnostics.warning(
            document.path,
            document.position(("datum",)),
            f"Uppföljningen är daterad {published.isoformat()}, före löftets period "
            f"(som börjar {period.start.isoformat()}).",
            "Kontrollera datumet.",
        )
    if published > today:
        diagnostics.warning(
            document.path,
            document.position(("datum",)),
            f"Uppföljningen är daterad {published.isoformat()}, efter dagens datum ({today.isoformat()}).",
            "Kontrollera datumet; `datum` är dagen uppföljningen publicerades.",
        )


def _written_date(document: Document) -> date | None:
    """A follow-up's `datum` as written, if it is a date (validating the file reports anything else)."""
    value = document.data.get("datum")
    return value if type(value) is date else None


def _check_follow_up_dates(follow_ups: list[RawFollowUp], diagnostics: Diagnostics) -> bool:
    """Two follow-ups of one promise on the same date would be indistinguishable in the timeline and the feeds."""
    first_by_date: dict[date, str] = {}
    ok = True
    for raw_follow_up in follow_ups:
        day = _written_date(raw_follow_up.source.front_matter)
        if day is None:
            continue
        if day in first_by_date:
            ok = False
            document = raw_follow_up.source.front_matter
            diagnostics.error(
                document.path,
                document.position(("datum",)),
                f"Uppföljningen `{first_by_date[day]}` har redan datum {day.isoformat()}.",
                "Slå ihop uppföljningarna till en fil, eller rätta datumet.",
            )
        first_by_date.setdefault(day, raw_follow_up.source.front_matter.path.name)
    return ok


def _check_commitments(document: Document, diagnostics: Diagnostics) -> bool:
    """Ids unique within the promise, and every fokusområde one of the promise's fokusområden; read as written, so
    that they are checked also when the promise has errors elsewhere."""
    items = document.data.get("åtaganden")
    areas = document.data.get("fokusområden", [])
    known_areas = [area.strip() for area in areas if isinstance(area, str)] if isinstance(areas, list) else None
    ok = True
    first_index: dict[str, int] = {}
    for index, item in enumerate(items if isinstance(items, list) else []):
        commitment_id = item.get("id") if _has_text(item, "id") else None
        if commitment_id in first_index:
            ok = False
            first_line = document.position(("åtaganden", first_index[commitment_id], "id"))[0]
            diagnostics.error(
                document.path,
                document.position(("åtaganden", index, "id")),
                f"Id `{commitment_id}` används redan av åtagandet på rad {first_line}.",
                "Ge varje åtagande ett eget id; uppföljningarna hänvisar till åtagandena med det.",
            )
        if commitment_id is not None:
            first_index.setdefault(commitment_id, index)
        area = _text(item.get("fokusområde")) if isinstance(item, dict) else None
        if area is not None and known_areas is not None and area not in known_areas:
            ok = False
            diagnostics.error(
                document.path,
                document.position(("åtaganden", index, "fokusområde")),
                f"Fokusområdet `{area}` finns inte bland löftets `fokusområden`.",
                _suggest(area, known_areas) or "Lägg till det under `fokusområden` eller välj ett som finns där.",
            )
    return ok


def _check_registry(
    name: str, code: str, fictional: bool, document: Document, registry: Registry, diagnostics: Diagnostics
) -> RegistryKommun | None:
    registered = registry.kommuner.get(code)
    by_name = registry.by_name(name)
    if fictional:
        return _check_fictional(name, code, document, registered or by_name, diagnostics)
    if registered is None:
        hint = f'{by_name.name} har kommunkod "{by_name.code}".' if by_name else "Kontrollera koden hos SCB."
        diagnostics.error(
            document.path,
            document.position(("kommunkod",)),
            f"Kommunkoden {code} finns inte bland Sveriges 290 kommuner.",
            hint,
        )
        return None
    if name.casefold() not in (registered.name.casefold(), registered.official_name.casefold()):
        hint = f'{by_name.name} har kommunkod "{by_name.code}". ' if by_name else ""
        diagnostics.error(
            document.path,
            document.position(("namn",)),
            f"Namnet `{name}` stämmer inte med kommunkoden {code}, som är {registered.name}.",
            hint + "Rätta namnet eller kommunkoden.",
        )
        return None
    return registered


def _check_fictional(
    name: str, code: str, document: Document, real: RegistryKommun | None, diagnostics: Diagnostics
) -> RegistryKommun | None:
    """A made-up kommun for examples and tests may not borrow a real kommun's name or code: a reader must never
    mistake invented follow-ups for a real kommun's."""
    if real is not None:
        diagnostics.error(
            document.path,
            document.position(("fiktiv",)),
            f"En påhittad kommun får inte ha en riktig kommuns namn eller kod ({real.name}, {real.code}).",
            'Välj ett namn som ingen kommun har och en kod som inte finns, till exempel "9901".',
        )
        return None
    return RegistryKommun(code, f"{name} kommun", name, FICTIONAL_LAN)


def _check_unique_codes(raw: RawContent, diagnostics: Diagnostics) -> None:
    first_by_code: dict[Any, str] = {}
    for kommun in raw.kommuner:
        code = kommun.source.data.get("kommunkod") if kommun.source else None
        if code is None or not isinstance(code, str):
            continue
        if code in first_by_code:
            diagnostics.error(
                kommun.source.path,
                kommun.source.position(("kommunkod",)),
                f"Kommunkoden {code} används redan av mappen `{first_by_code[code]}`.",
                "Varje kommun ska ha en enda mapp; flytta löftena dit och ta bort den andra mappen.",
            )
        first_by_code.setdefault(code, kommun.slug)


def _check_reserved(raw: RawContent, diagnostics: Diagnostics) -> None:
    """A kommun folder and a page may not claim the same address, nor one the site itself uses; checked for every
    folder and page, also those with errors of their own."""
    taken = RESERVED_SLUGS | {page.slug for page in raw.pages}
    for kommun in raw.kommuner:
        if kommun.slug in taken:
            diagnostics.error(
                kommun.folder / "kommun.yaml",
                (1, 1),
                f"Adressen `/{kommun.slug}/` används redan av webbplatsen.",
                "Byt namn på kommunmappen.",
            )


def _text(value: Any) -> str | None:
    """A text value as the schema reads it (without surrounding spaces), or None if it is not a text."""
    return value.strip() or None if isinstance(value, str) else None


def _has_text(mapping: Any, key: str) -> bool:
    """Whether `mapping` is a mapping with a text at `key`."""
    return isinstance(mapping, dict) and isinstance(mapping.get(key), str)


def _check_slug(slug: str, path: Path, what: str, diagnostics: Diagnostics) -> bool:
    if re.match(SLUG_PATTERN, slug):
        return True
    diagnostics.error(
        path,
        (1, 1),
        f"{what.capitalize()} `{slug}` är inte giltigt i en webbadress.",
        f"Använd bara små bokstäver a–z utan å, ä, ö, siffror och bindestreck, till exempel `{slugify(slug)}`.",
    )
    return False


def _check_markdown(model: type[Model], source: MarkdownFile, diagnostics: Diagnostics) -> Model | None:
    """Validate the front matter and the links of the Markdown body."""
    entry = _check_document(model, source.front_matter, diagnostics)
    for problem in find_link_problems(source.body):
        diagnostics.error(
            source.front_matter.path, (source.body_line + problem.line - 1, 1), problem.message, problem.hint
        )
    return entry


def _check_document(model: type[Model], document: Document, diagnostics: Diagnostics) -> Model | None:
    try:
        return model.model_validate(document.data)
    except ValidationError as error:
        located = [(_document_loc(detail, document), detail) for detail in error.errors(include_url=False)]
        for loc, detail in _most_specific(located):
            _report(loc, detail, model, document, diagnostics)
        return None


def _document_loc(detail: ErrorDetails, document: Document) -> tuple[str | int, ...]:
    """The error's path in the file: pydantic adds the names of union members (`constrained-str`) to the path,
    which are not keys; only a missing key may be absent from the file."""
    loc: tuple[str | int, ...] = ()
    parts = detail["loc"]
    for index, part in enumerate(parts):
        candidate = (*loc, part)
        last_and_missing = index == len(parts) - 1 and detail["type"] == "missing"
        if document.has(candidate) or last_and_missing:
            loc = candidate
    return loc


def _most_specific(located: list[tuple[tuple, ErrorDetails]]) -> list[tuple[tuple, ErrorDetails]]:
    """One diagnostic per place: a union reports every member's error, and the one deepest into the value (or the
    first) is the one that helps."""
    kept: list[tuple[tuple, ErrorDetails]] = []
    # A union reports a type mismatch for each member the value is not; the member it is has the useful error.
    for loc, detail in sorted(located, key=lambda item: item[1]["type"].endswith("_type")):
        deeper = any(other[: len(loc)] == loc and len(other) > len(loc) for other, _ in located)
        if not deeper and all(loc != seen for seen, _ in kept):
            kept.append((loc, detail))
    return kept


def _report(
    loc: tuple[str | int, ...],
    detail: ErrorDetails,
    model: type[BaseModel],
    document: Document,
    diagnostics: Diagnostics,
) -> None:
    if any(loc[:end] in document.invalid_paths for end in range(len(loc) + 1)):
        return
    key = next((part for part in reversed(loc) if isinstance(part, str)), "")
    message, hint = _translate(detail, key, model, loc)
    position = document.key_position(loc) if detail["type"] == "extra_forbidden" else document.position(loc)
    diagnostics.error(document.path, position, message, hint)


def _translate(detail: ErrorDetails, key: str, model: type[BaseModel], loc: tuple) -> tuple[str, str]:
    """pydantic's error types in plain Swedish, each with a hint on what to write instead."""
    kind, ctx, value = detail["type"], detail.get("ctx") or {}, detail.get("input")
    if "hint" in ctx:
        return detail["msg"], str(ctx["hint"])
    if kind == "too_short" and isinstance(value, dict):
        return f"`{key}` måste innehålla minst en nyckel.", "Skriv nycklarna indragna på raderna under."
    if kind == "missing":
        return f"Nyckeln `{key}` saknas.", f"Lägg till `{key}:` med ett värde; den krävs."
    if kind == "extra_forbidden":
        allowed = _keys_at(model, loc[:-1])
        suggestion = _suggest(key, allowed)
        return f"Okänd nyckel `{key}`.", suggestion or "Tillåtna nycklar här: " + ", ".join(allowed) + "."
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        suggestion = _suggest(str(value), allowed) if isinstance(value, str) else ""
        listing = "Tillåtna värden: " + ", ".join(allowed) + "."
        return f"`{value}` är inte ett tillåtet värde för `{key}`.", f"{suggestion} {listing}".strip()
    if kind == "string_pattern_mismatch" and key == "id":
        return (
            f"Id `{value}` är inte giltigt.",
            "Använd bara a–z, 0–9 och bindestreck, till exempel `trafikkontroller`.",
        )
    if kind == "string_pattern_mismatch" and key == "kommunkod":
        return f"Kommunkoden `{value}` ska vara fyra siffror.", 'Skriv till exempel `kommunkod: "1488"`.'
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"`{key}` ska vara ett datum, inte `{value}`.", DATE_HINT
    message, hint = _TYPE_MESSAGES.get(kind, ("`{key}` har ett ogiltigt värde.", "Kontrollera värdet mot skrivguiden."))
    return message.format(key=key), hint


_TEXT_HINT = "Skriv texten efter kolon; sätt den inom citattecken om den börjar med en siffra eller innehåller kolon."
_TYPE_MESSAGES = {
    "string_type": ("`{key}` ska vara text.", _TEXT_HINT),
    "string_too_short": ("`{key}` får inte vara tom.", "Skriv ett värde eller ta bort nyckeln."),
    "int_type": ("`{key}` ska vara ett tal.", "Skriv bara siffror, till exempel `80`."),
    "int_parsing": ("`{key}` ska vara ett tal.", "Skriv bara siffror, till exempel `80`."),
    "float_type": ("`{key}` ska vara ett tal.", "Skriv bara siffror, till exempel `80`."),
    "float_parsing": ("`{key}` ska vara ett tal.", "Skriv bara siffror, till exempel `80`."),
    "greater_than_equal": ("`{key}` får inte vara negativt.", "Skriv ett tal som är noll eller större."),
    "greater_than": ("`{key}` ska vara större än noll.", "Skriv målet som ett positivt tal."),
    "list_type": ("`{key}` ska vara en lista.", "Skriv varje post på en egen rad som börjar med `- `."),
    "too_short": (
        "`{key}` måste innehålla minst en post.",
        "Skriv varje post på en egen rad som börjar med `- `.",
    ),
    "model_type": ("`{key}` ska innehålla nycklar med värden.", "Skriv nycklarna indragna på raderna under."),
    "model_attributes_type": ("`{key}` ska innehålla nycklar med värden.", "Skriv nycklarna indragna under."),
    "dict_type": ("`{key}` ska innehålla nycklar med värden.", "Skriv nycklarna indragna på raderna under."),
    "bool_type": ("`{key}` ska vara ja eller nej.", "Skriv `true` eller `false`."),
}


def _keys_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """The Swedish keys allowed at `loc`, found by following the model's fields, for "menade du …?" hints."""
    current: type[BaseModel] | None = model
    by_key = False  # after a `dict[str, Model]` field the next part is a key the communicator chose
    for part in loc:
        if current is None:
            return []
        if isinstance(part, int) or by_key:
            by_key = False
            continue
        field = next((f for f in current.model_fields.values() if f.alias == part), None)
        by_key = field is not None and get_origin(field.annotation) is dict
        current = _nested_model(field.annotation) if field else None
    return [str(f.alias) for f in current.model_fields.values()] if current else []


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return next((m for arg in get_args(annotation) if (m := _nested_model(arg))), None)


def _suggest(value: str, candidates: list[str]) -> str:
    """ "Menade du `fokusområden`?" for near misses, including keys typed without å, ä and ö."""
    folded = {slugify(c): c for c in candidates}
    match = difflib.get_close_matches(value, candidates, n=1, cutoff=0.6) or [
        folded[m] for m in difflib.get_close_matches(slugify(value), list(folded), n=1, cutoff=0.6)
    ]
    return f"Menade du `{match[0]}`?" if match else ""
