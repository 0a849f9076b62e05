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

from pydantic import BaseModel

from medborgarlofte.build.parallel import Workers
from medborgarlofte.content.model import Commitment, Kommun, Promise, Rating, Site, Target
from medborgarlofte.content.schema import Comparison
from medborgarlofte.content.status import NOT_RATED, RATING_KEYS
from medborgarlofte.outputs.addresses import DATA_DIR
from medborgarlofte.outputs.downloads import Download, file_format
from medborgarlofte.outputs.records import (
    SCHEMA_VERSION,
    CommitmentRecord,
    DatasetFile,
    FollowUpRecord,
    KommunPromises,
    KommunRecord,
    LicenceRecord,
    PeriodRecord,
    PromiseFile,
    PromiseRecord,
    RatingRecord,
    RegistrationRecord,
    SignatoryRecord,
    SourceLink,
    SourceRecord,
    TargetRecord,
    json_schema,
)
from medborgarlofte.outputs.urls import SiteUrls
from medborgarlofte.swedish import alternatives

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
    ("status", f"Senaste status: {alternatives((*RATING_KEYS, NOT_RATED.key))}."),
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
# Kommuner from which encoding them in forked workers pays for starting the workers (docs/prestanda.md).
ENCODE_IN_PARALLEL_FROM = 100
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
COMPARISONS: tuple[Comparison, ...] = get_args(Comparison)


def _number(value: float | None) -> int | float | None:
    return int(value) if value is not None and float(value).is_integer() else value


def _rating(rating: Rating) -> RatingRecord:
    return RatingRecord(
        published=rating.published,
        status=rating.status.key,
        outcome=_number(rating.outcome),
        comment=rating.comment,
        sources=[SourceLink(title=s.title, url=s.url) for s in rating.sources],
    )


def _target_amounts(target: Target | None) -> dict[str, int | float | None]:
    """`minst`, `högst` and `antal`, the target's own comparison holding its number and the others None."""
    return {key: _number(target.amount) if target and target.comparison == key else None for key in COMPARISONS}


def _target(target: Target) -> TargetRecord:
    return TargetRecord.model_validate({**_target_amounts(target), "enhet": target.unit, "per": target.per})


def _commitment(commitment: Commitment) -> CommitmentRecord:
    target = commitment.target
    latest = commitment.latest
    return CommitmentRecord(
        id=commitment.id,
        text=commitment.text,
        responsibility=commitment.responsibility.key,
        focus_area=commitment.focus_area,
        target=_target(target) if target else None,
        status=commitment.status.key,
        status_date=latest.published if latest else None,
        outcome=_number(commitment.progress.outcome) if commitment.progress else None,
        history=[_rating(r) for r in commitment.history],
    )


def kommun_record(kommun: Kommun) -> KommunRecord:
    return KommunRecord(
        name=kommun.name,
        code=kommun.code,
        lan=kommun.lan.name,
        lan_code=kommun.lan.code,
        organisation=kommun.organisation,
        police_area=kommun.police_area,
        website=kommun.website,
        fictional=kommun.fictional,
    )


def promise_record(promise: Promise, urls: SiteUrls) -> PromiseRecord:
    period = promise.period
    return PromiseRecord(
        id=promise.path.rstrip("/"),
        address=urls.absolute(promise.path),
        title=promise.title,
        period=PeriodRecord(text=period.label, start=period.start, end=period.end) if period else None,
        state=promise.state,
        signed=promise.signed,
        signatories=[
            SignatoryRecord(name=s.name, party=s.party, role=s.role, organisation=s.organisation)
            for s in promise.signatories
        ],
        registration_numbers=[
            RegistrationRecord(organisation=n.organisation, number=n.number) for n in promise.registration_numbers
        ],
        area=promise.area,
        focus_areas=promise.focus_areas,
        follow_up=promise.follow_up,
        source=_source(promise),
        note=promise.note,
        commitments=[_commitment(c) for c in promise.commitments],
        follow_ups=[
            FollowUpRecord(published=f.published, covers=f.covers, summary=f.summary.strip())
            for f in promise.follow_ups
        ],
    )


def _source(promise: Promise) -> SourceRecord | None:
    source = promise.source
    if source is None:
        return None
    return SourceRecord(title=source.title, publisher=source.publisher, dated=source.dated, url=source.url)


def _source_cell(promise: Promise) -> str | None:
    """The source document in one cell: "titel, utgivare, datum"."""
    source = promise.source
    if source is None:
        return None
    dated = source.dated.isoformat() if source.dated else None
    return ", ".join(v for v in (source.title, source.publisher, dated) if v)


def _json(record: BaseModel) -> bytes:
    """A record as the files hold it: compact, with its Swedish keys and the characters themselves (no escapes)."""
    return record.model_dump_json(by_alias=True).encode("utf-8")


def _spliced(document: BaseModel, last: str, value: bytes) -> bytes:
    """`document` encoded with the encoded `value` as its last field `last`: each promise's record is encoded once,
    for its own file and the data set, and the data set is joined from the kommuner's parts."""
    fields = type(document).model_fields
    assert list(fields)[-1] == last
    head = document.model_dump_json(by_alias=True, exclude={last}).encode("utf-8")
    key = json.dumps(fields[last].alias, ensure_ascii=False).encode("utf-8")
    return head[:-1] + b"," + key + b":" + value + b"}"


def _array(items: list[bytes]) -> bytes:
    return b"[" + b",".join(items) + b"]"


def promise_json(record: bytes, kommun: Kommun, urls: SiteUrls) -> bytes:
    """A promise's own file: its `promise_record`, encoded, with its kommun."""
    document = PromiseFile.model_construct(
        schema_url=urls.absolute(DATA_DIR + PROMISE_SCHEMA), version=SCHEMA_VERSION, kommun=kommun_record(kommun)
    )
    return _spliced(document, "promise", record) + b"\n"


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

    def __init__(self, urls: SiteUrls, workers: Workers) -> None:
        self.urls = urls
        self.workers = workers
        self._parts: dict[int, _KommunData] = {}

    def files(self, site: Site, wanted: Callable[[str], bool]) -> dict[str, bytes]:
        """The data set and schemas, and the promise files that are `wanted`."""
        missing = [kommun for kommun in site.kommuner if id(kommun) not in self._parts]
        encoded = dict(
            zip(map(id, missing), self.workers.map(self._encode, missing, ENCODE_IN_PARALLEL_FROM), strict=True)
        )
        self._parts = {id(k): self._parts.get(id(k)) or _KommunData(k, *encoded[id(k)]) for k in site.kommuner}
        files = {path: data for part in self._parts.values() for path, data in part.files.items() if wanted(path)}
        files[f"{DATA_DIR}{DATASET}.json"] = self._dataset_json(site)
        files[f"{DATA_DIR}{DATASET}.csv"] = _csv_file(b"".join(part.dataset_csv for part in self._parts.values()))
        files[DATA_DIR + PROMISE_SCHEMA] = _schema_file(promise_schema(self.urls))
        files[DATA_DIR + DATASET_SCHEMA] = _schema_file(dataset_schema(self.urls))
        return files

    def sizes(self) -> dict[str, int]:
        """The size of every promise file made so far, also of those `files` left out as not `wanted`: a page links
        to its promise's files with their sizes whether or not a change touched them."""
        return {path: len(data) for part in self._parts.values() for path, data in part.files.items()}

    def _encode(self, kommun: Kommun) -> tuple[dict[str, bytes], bytes, bytes]:
        """A kommun's `_KommunData` but the kommun: only bytes come back from a worker, not a copy of the model."""
        files, records, lines = {}, [], []
        for promise in kommun.promises:
            record = _json(promise_record(promise, self.urls))
            records.append(record)
            rows = _csv_lines(commitment_rows(promise, kommun)).encode("utf-8")
            lines.append(rows)
            files[promise.download_path("json")] = promise_json(record, kommun, self.urls)
            files[promise.download_path("csv")] = _csv_file(rows)
        part = KommunPromises.model_construct(**dict(kommun_record(kommun)))
        dataset = _spliced(part, "promises", _array(records))
        return files, dataset, b"".join(lines)

    def _dataset_json(self, site: Site) -> bytes:
        """The whole data set, its `kommuner` joined from the kommuner's encoded parts."""
        licence = site.config.licence
        document = DatasetFile.model_construct(
            schema_url=self.urls.absolute(DATA_DIR + DATASET_SCHEMA),
            version=SCHEMA_VERSION,
            created=site.build_date,
            publisher=site.config.publisher,
            licence=LicenceRecord(name=licence.name, url=licence.url) if licence else None,
        )
        parts = _array([part.dataset_json for part in self._parts.values()])
        return _spliced(document, "kommuner", parts) + b"\n"


def _schema_file(schema: dict[str, Any]) -> bytes:
    return (json.dumps(schema, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def promise_schema(urls: SiteUrls) -> dict[str, Any]:
    return json_schema(PromiseFile, urls.absolute(DATA_DIR + PROMISE_SCHEMA))


def dataset_schema(urls: SiteUrls) -> dict[str, Any]:
    return json_schema(DatasetFile, urls.absolute(DATA_DIR + DATASET_SCHEMA))


def data_files(files: dict[str, bytes]) -> list[Download]:
    """The data set and its schemas, for the /data/ page."""
    return [Download(title, path, file_format(path), len(files[path])) for path, title in FILE_TITLES.items()]
