"""Stage 5, export: the open data, as JSON (described by a published JSON Schema) and CSV.

Every promise as its own JSON and CSV file, and the whole data set in `/data/`. Field names are the Swedish keys of
the content format, so the /data/ page, the writing guide and the files speak the same words. CSV is for spreadsheet
users: UTF-8 with a byte-order mark and semicolons, which is what Excel with Swedish settings opens as columns with
å, ä and ö intact; cells that a spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, get_args

from .addresses import DATA_DIR
from .downloads import Download, file_format
from .model import RESPONSIBILITIES, STATE_LABELS, Commitment, Kommun, Promise, Rating, Site, Target
from .parallel import forked_map
from .schema import Comparison
from .status import NOT_RATED, STATUSES
from .urls import SiteUrls

SCHEMA_VERSION = "2.0"
DATASET = "medborgarloften"
PROMISE_SCHEMA = "medborgarlofte.schema.json"
DATASET_SCHEMA = f"{DATASET}.schema.json"

# One row per commitment: (column, what it holds), in order; the /data/ page explains each column from this list.
CSV_COLUMNS = (
    ("kommun", "Kommunens namn."),
    ("kommunkod", "Kommunkoden från SCB, fyra siffror."),
    ("län", "Länet kommunen ligger i."),
    ("lokalpolisområde", "Lokalpolisområdet som gett löftet tillsammans med kommunen."),
    ("löfte", "Löftets rubrik."),
    ("löfte_id", "Löftets adress på webbplatsen: kommun/löfte."),
    ("period", "Löftets period som den står i dokumentet, tom om dokumentet inte anger någon."),
    ("giltighet", "förslag, gällande eller avslutat; tom om det inte går att avgöra."),
    ("åtagande_id", "Åtagandets id, unikt inom löftet."),
    ("åtagande", "Åtagandets text."),
    ("fokusområde", "Fokusområdet åtagandet hör till, tom om inget."),
    ("ansvar", "polisen, kommunen eller gemensamt; tom där dokumentet inte anger vem."),
    ("mål_minst", "Målet när dokumentet anger ett lägsta antal (”minst 80”), annars tom."),
    ("mål_högst", "Målet när dokumentet anger ett högsta antal (”högst 5”), annars tom."),
    ("mål_antal", "Målet när dokumentet anger ett exakt antal, annars tom."),
    ("mål_enhet", "Vad målet räknar, till exempel trafikkontroller; tom om åtagandet saknar mål."),
    ("mål_per", "Tidsenheten för målet, till exempel år; tom om ingen anges."),
    (
        "status",
        "Senaste status: ej påbörjat, pågår, försenat, delvis genomfört, genomfört, ej genomfört eller ej bedömt.",
    ),
    ("utfall", "Senast rapporterade utfall mot målet, tom om inget har rapporterats."),
    ("senaste_uppföljning", "Datum (ÅÅÅÅ-MM-DD) för den uppföljning som senast bedömde åtagandet, tom om ingen."),
    ("källa", "Dokumentet löftet är hämtat från: titel, utgivare och datum; tom om det inte anges."),
    (
        "anmärkning",
        "Redaktionens anmärkning om återgivningen, till exempel att en text inte är ordagrann; tom om ingen.",
    ),
)
FILE_TITLES = {
    f"{DATA_DIR}{DATASET}.json": "Alla medborgarlöften (JSON)",
    f"{DATA_DIR}{DATASET}.csv": "Alla åtaganden, en rad per åtagande (CSV)",
    DATA_DIR + DATASET_SCHEMA: "JSON Schema för alla medborgarlöften",
    DATA_DIR + PROMISE_SCHEMA: "JSON Schema för ett medborgarlöfte",
}
# Kommuner from which encoding them in forked workers pays (about a millisecond each, against starting the workers).
ENCODE_IN_PARALLEL_FROM = 100
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
COMPARISONS: tuple[Comparison, ...] = get_args(Comparison)


def _number(value: float | None) -> int | float | None:
    return int(value) if value is not None and float(value).is_integer() else value


def _rating(rating: Rating) -> dict[str, Any]:
    return {
        "datum": rating.published.isoformat(),
        "status": rating.status.key,
        "utfall": _number(rating.outcome),
        "kommentar": rating.comment,
        "källor": [{"titel": s.title, "url": s.url} for s in rating.sources],
    }


def _target_amounts(target: Target | None) -> dict[str, int | float | None]:
    """`minst`, `högst` and `antal`, the target's own comparison holding its number and the others None."""
    return {key: _number(target.amount) if target and target.comparison == key else None for key in COMPARISONS}


def _commitment(commitment: Commitment) -> dict[str, Any]:
    target = commitment.target
    latest = commitment.latest
    return {
        "id": commitment.id,
        "text": commitment.text,
        "ansvar": commitment.responsibility.key,
        "fokusområde": commitment.focus_area,
        "mål": {**_target_amounts(target), "enhet": target.unit, "per": target.per} if target else None,
        "status": commitment.status.key,
        "statusdatum": latest.published.isoformat() if latest else None,
        "utfall": _number(commitment.progress.outcome) if commitment.progress else None,
        "historik": [_rating(r) for r in commitment.history],
    }


def kommun_record(kommun: Kommun) -> dict[str, Any]:
    return {
        "namn": kommun.name,
        "kommunkod": kommun.code,
        "län": kommun.lan.name,
        "länskod": kommun.lan.code,
        "organisation": kommun.organisation,
        "lokalpolisområde": kommun.police_area,
        "webbplats": kommun.website,
        "påhittad": kommun.fictional,
    }


def promise_record(promise: Promise, urls: SiteUrls) -> dict[str, Any]:
    period = promise.period
    return {
        "id": promise.path.rstrip("/"),
        "webbadress": urls.absolute(promise.path),
        "rubrik": promise.title,
        "period": {"text": period.label, "från": period.start.isoformat(), "till": period.end.isoformat()}
        if period
        else None,
        "giltighet": promise.state,
        "undertecknat": promise.signed.isoformat() if promise.signed else None,
        "undertecknare": [
            {"namn": s.name, "parti": s.party, "roll": s.role, "organisation": s.organisation}
            for s in promise.signatories
        ],
        "diarienummer": [{"organisation": n.organisation, "nummer": n.number} for n in promise.registration_numbers],
        "område": promise.area,
        "fokusområden": promise.focus_areas,
        "uppföljning": promise.follow_up,
        "källa": _source(promise),
        "anmärkning": promise.note,
        "åtaganden": [_commitment(c) for c in promise.commitments],
        "uppföljningar": [
            {"datum": f.published.isoformat(), "avser": f.covers, "sammanfattning": f.summary.strip()}
            for f in promise.follow_ups
        ],
    }


def _source(promise: Promise) -> dict[str, Any] | None:
    source = promise.source
    if source is None:
        return None
    dated = source.dated.isoformat() if source.dated else None
    return {"titel": source.title, "utgivare": source.publisher, "datum": dated, "url": source.url}


def _source_cell(promise: Promise) -> str | None:
    """The source document in one cell: "titel, utgivare, datum"."""
    record = _source(promise)
    return ", ".join(v for v in (record["titel"], record["utgivare"], record["datum"]) if v) if record else None


def _json_text(document: dict[str, Any]) -> str:
    # Compact: json's C encoder is used only without indentation, and the data set grows with every kommun.
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def _json(document: dict[str, Any]) -> bytes:
    return (_json_text(document) + "\n").encode("utf-8")


def _spliced(document: dict[str, Any], last: bytes) -> bytes:
    """`document` encoded with the encoded `last` as the value of its last key (None until then), which gives the
    same bytes as encoding it all at once: each promise's record is encoded once, for its own file and the data
    set, and the data set is joined from the kommuner's parts."""
    head = _json_text(document).encode("utf-8")
    assert head.endswith(b"null}")
    return head[: -len(b"null}")] + last + b"}"


def _array(items: list[bytes]) -> bytes:
    return b"[" + b",".join(items) + b"]"


def promise_json(record: bytes, kommun: Kommun, urls: SiteUrls) -> bytes:
    """A promise's own file: its `promise_record`, encoded, with its kommun."""
    document = {
        "$schema": urls.absolute(DATA_DIR + PROMISE_SCHEMA),
        "schemaversion": SCHEMA_VERSION,
        "kommun": kommun_record(kommun),
        "medborgarlöfte": None,
    }
    return _spliced(document, record) + b"\n"


def _safe_cell(value: Any) -> str:
    """A cell a spreadsheet would read as a formula gets a leading apostrophe, so it stays text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def commitment_rows(promise: Promise, kommun: Kommun) -> list[list[str]]:
    rows = []
    for commitment in promise.commitments:
        target, latest = commitment.target, commitment.latest
        values = {
            "kommun": kommun.name,
            "kommunkod": kommun.code,
            "län": kommun.lan.name,
            "lokalpolisområde": kommun.police_area,
            "löfte": promise.title,
            "löfte_id": promise.path.rstrip("/"),
            "period": promise.period.label if promise.period else None,
            "giltighet": promise.state,
            "åtagande_id": commitment.id,
            "åtagande": commitment.text,
            "fokusområde": commitment.focus_area,
            "ansvar": commitment.responsibility.key,
            **{f"mål_{key}": amount for key, amount in _target_amounts(target).items()},
            "mål_enhet": target.unit if target else None,
            "mål_per": target.per if target else None,
            "status": commitment.status.key,
            "utfall": _number(commitment.progress.outcome) if commitment.progress else None,
            "senaste_uppföljning": latest.published.isoformat() if latest else None,
            "källa": _source_cell(promise),
            "anmärkning": promise.note,
        }
        rows.append([_safe_cell(values[column]) for column, _ in CSV_COLUMNS])
    return rows


def _csv_lines(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


# What every CSV file starts with: a byte-order mark and the header row.
CSV_START = _csv_lines([[column for column, _ in CSV_COLUMNS]]).encode("utf-8-sig")


def _csv_file(lines: bytes) -> bytes:
    return CSV_START + lines


@dataclass(frozen=True)
class _KommunData:
    """A kommun's part of the data: its promises' own files, and its share of the whole data set already encoded."""

    kommun: Kommun
    files: dict[str, bytes]
    dataset_json: bytes
    dataset_csv: bytes


class DataExport:
    """Every promise as JSON and CSV beside its page, the whole data set and its schemas in /data/.

    What is encoded for a kommun is kept with its model: `serve` keeps the models of the kommuner a change did not
    touch, so only the changed kommun is encoded again; the data set is then put together from the parts."""

    def __init__(self, urls: SiteUrls) -> None:
        self.urls = urls
        self._parts: dict[int, _KommunData] = {}

    def files(self, site: Site, wanted: Callable[[str], bool]) -> dict[str, bytes]:
        """The data set and schemas, and the promise files that are `wanted`."""
        missing = [kommun for kommun in site.kommuner if id(kommun) not in self._parts]
        encoded = dict(zip(map(id, missing), forked_map(self._encode, missing, ENCODE_IN_PARALLEL_FROM), strict=True))
        self._parts = {id(k): self._parts.get(id(k)) or _KommunData(k, *encoded[id(k)]) for k in site.kommuner}
        files = {path: data for part in self._parts.values() for path, data in part.files.items() if wanted(path)}
        files[f"{DATA_DIR}{DATASET}.json"] = self._dataset_json(site)
        files[f"{DATA_DIR}{DATASET}.csv"] = _csv_file(b"".join(part.dataset_csv for part in self._parts.values()))
        files[DATA_DIR + PROMISE_SCHEMA] = _json(promise_schema(self.urls))
        files[DATA_DIR + DATASET_SCHEMA] = _json(dataset_schema(self.urls))
        return files

    def sizes(self) -> dict[str, int]:
        """The size of every promise file made so far, also of those `files` left out as not `wanted`: a page links
        to its promise's files with their sizes whether or not a change touched them."""
        return {path: len(data) for part in self._parts.values() for path, data in part.files.items()}

    def _encode(self, kommun: Kommun) -> tuple[dict[str, bytes], bytes, bytes]:
        """A kommun's `_KommunData` but the kommun: only bytes come back from a worker, not a copy of the model."""
        files, records, lines = {}, [], []
        for promise in kommun.promises:
            record = _json_text(promise_record(promise, self.urls)).encode("utf-8")
            records.append(record)
            rows = _csv_lines(commitment_rows(promise, kommun)).encode("utf-8")
            lines.append(rows)
            files[promise.download_path("json")] = promise_json(record, kommun, self.urls)
            files[promise.download_path("csv")] = _csv_file(rows)
        dataset = _spliced({**kommun_record(kommun), "medborgarlöften": None}, _array(records))
        return files, dataset, b"".join(lines)

    def _dataset_json(self, site: Site) -> bytes:
        """The whole data set, its `kommuner` joined from the kommuner's encoded parts."""
        licence = site.config.licence
        document = {
            "$schema": self.urls.absolute(DATA_DIR + DATASET_SCHEMA),
            "schemaversion": SCHEMA_VERSION,
            "skapad": site.build_date.isoformat(),
            "utgivare": site.config.publisher,
            "licens": {"namn": licence.name, "url": licence.url} if licence else None,
            "kommuner": None,
        }
        return _spliced(document, _array([part.dataset_json for part in self._parts.values()])) + b"\n"


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


_TEXT = {"type": "string"}
_DATE = {"type": "string", "format": "date"}
_NUMBER = {"type": "number", "minimum": 0}
_URI = {"type": "string", "format": "uri"}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": list(properties), "additionalProperties": False, "properties": properties}


def _target_schema() -> dict[str, Any]:
    """`minst`, `högst` and `antal` are all present; exactly one of them holds a number."""
    schema = _object({**{key: _nullable(_NUMBER) for key in COMPARISONS}, "enhet": _TEXT, "per": _nullable(_TEXT)})
    schema["oneOf"] = [{"properties": {key: _NUMBER}} for key in COMPARISONS]
    return schema


def _definitions() -> dict[str, Any]:
    statuses = [status.key for status in STATUSES]
    rating = _object(
        {
            "datum": _DATE,
            "status": {"enum": [key for key in statuses if key != NOT_RATED.key]},
            "utfall": _nullable(_NUMBER),
            "kommentar": _nullable(_TEXT),
            "källor": {"type": "array", "items": _object({"titel": _TEXT, "url": _URI})},
        }
    )
    commitment = _object(
        {
            "id": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
            "text": _TEXT,
            "ansvar": {"enum": [r.key for r in RESPONSIBILITIES]},
            "fokusområde": _nullable(_TEXT),
            "mål": _nullable(_target_schema()),
            "status": {"enum": statuses},
            "statusdatum": _nullable(_DATE),
            "utfall": _nullable(_NUMBER),
            "historik": {"type": "array", "items": {"$ref": "#/$defs/bedömning"}},
        }
    )
    person = _object(
        {
            "namn": _nullable(_TEXT),
            "parti": _nullable(_TEXT),
            "roll": _nullable(_TEXT),
            "organisation": _nullable(_TEXT),
        }
    )
    person["anyOf"] = [{"properties": {key: _TEXT}} for key in ("namn", "roll")]  # a name, a role or both
    promise = _object(
        {
            "id": _TEXT,
            "webbadress": _URI,
            "rubrik": _TEXT,
            "period": _nullable(_object({"text": _TEXT, "från": _DATE, "till": _DATE})),
            "giltighet": _nullable({"enum": [state for state in STATE_LABELS if state]}),
            "undertecknat": _nullable(_DATE),
            "undertecknare": {"type": "array", "items": person},
            "diarienummer": {"type": "array", "items": _object({"organisation": _TEXT, "nummer": _TEXT})},
            "område": _nullable(_TEXT),
            "fokusområden": {"type": "array", "items": _TEXT},
            "uppföljning": _nullable(_TEXT),
            "källa": _nullable(
                _object(
                    {"titel": _TEXT, "utgivare": _TEXT, "datum": _nullable(_DATE), "url": _nullable(_URI)},
                )
            ),
            "anmärkning": _nullable(_TEXT),
            "åtaganden": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/åtagande"}},
            "uppföljningar": {
                "type": "array",
                "items": _object({"datum": _DATE, "avser": _nullable(_TEXT), "sammanfattning": _TEXT}),
            },
        }
    )
    kommun = _object(
        {
            "namn": _TEXT,
            "kommunkod": {"type": "string", "pattern": "^[0-9]{4}$"},
            "län": _TEXT,
            "länskod": {"type": "string", "pattern": "^[0-9]{2}$"},
            "organisation": _nullable(_TEXT),
            "lokalpolisområde": _TEXT,
            "webbplats": _nullable(_URI),
            "påhittad": {"type": "boolean"},
        }
    )
    return {"bedömning": rating, "åtagande": commitment, "medborgarlöfte": promise, "kommun": kommun}


def _schema(urls: SiteUrls, name: str, title: str, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": urls.absolute(DATA_DIR + name),
        "title": title,
        **_object({"$schema": {"type": "string"}, "schemaversion": {"const": SCHEMA_VERSION}, **properties}),
        "$defs": _definitions(),
    }


def promise_schema(urls: SiteUrls) -> dict[str, Any]:
    return _schema(
        urls,
        PROMISE_SCHEMA,
        "Ett medborgarlöfte med kommun, åtaganden och uppföljningar",
        {"kommun": {"$ref": "#/$defs/kommun"}, "medborgarlöfte": {"$ref": "#/$defs/medborgarlöfte"}},
    )


def dataset_schema(urls: SiteUrls) -> dict[str, Any]:
    promises = {"type": "array", "items": {"$ref": "#/$defs/medborgarlöfte"}}
    kommun = _object({**_definitions()["kommun"]["properties"], "medborgarlöften": promises})
    return _schema(
        urls,
        DATASET_SCHEMA,
        "Alla medborgarlöften på webbplatsen",
        {
            "skapad": _DATE,
            "utgivare": _TEXT,
            "licens": _nullable(_object({"namn": _TEXT, "url": _URI})),
            "kommuner": {"type": "array", "items": kommun},
        },
    )


def data_files(files: dict[str, bytes]) -> list[Download]:
    """The data set and its schemas, for the /data/ page."""
    return [Download(title, path, file_format(path), len(files[path])) for path, title in FILE_TITLES.items()]
