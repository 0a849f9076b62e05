"""The open data's JSON records as pydantic models, and the published JSON Schema generated from them.

A record is what the JSON files hold, field for field: its aliases are the Swedish keys of the files, and building one
checks the data against the same types the schema publishes, so the files and their schema cannot drift apart.
`json_schema` turns pydantic's output into the published form: the definitions named in Swedish, no titles made from
Python names, Swedish descriptions, `$schema` and `$id` at the top.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from medborgarlofte.content.model import RESPONSIBILITIES, STATE_LABELS
from medborgarlofte.content.schema import KOMMUNKOD_PATTERN, SLUG_PATTERN, Comparison
from medborgarlofte.content.status import RATING_KEYS, STATUSES

SCHEMA_VERSION = "2.0"
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

# A count or a result, as the files write it: a whole number without a decimal point.
Number = Annotated[int | float, Field(ge=0), WithJsonSchema({"type": "number", "minimum": 0})]
Uri = Annotated[str, WithJsonSchema({"type": "string", "format": "uri"})]


def _record(name: str, description: str, **extra: Any) -> ConfigDict:
    """A record's settings: unknown keys refused (`additionalProperties: false`), its definition's Swedish name and
    description in the schema, and any further schema keywords the types cannot say."""
    return ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        title=name,
        json_schema_extra={"description": description, **extra},
    )


class SourceLink(BaseModel):
    model_config = _record("källhänvisning", "En källa som en bedömning bygger på.")
    title: str = Field(alias="titel")
    url: Uri = Field(alias="url")


class RatingRecord(BaseModel):
    model_config = _record("bedömning", "En uppföljnings bedömning av ett åtagande.")
    published: date = Field(alias="datum")
    status: Literal[RATING_KEYS] = Field(alias="status")  # type: ignore[valid-type]
    outcome: Number | None = Field(alias="utfall")
    comment: str | None = Field(alias="kommentar")
    sources: list[SourceLink] = Field(alias="källor")


class TargetRecord(BaseModel):
    """`minst`, `högst` and `antal` are all present; exactly one of them holds a number (`oneOf`)."""

    model_config = _record(
        "mål",
        "Ett numeriskt mål: exakt en av minst, högst och antal har ett tal.",
        oneOf=[{"properties": {key: {"type": "number", "minimum": 0}}} for key in get_args(Comparison)],
    )
    at_least: Number | None = Field(alias="minst")
    at_most: Number | None = Field(alias="högst")
    exactly: Number | None = Field(alias="antal")
    unit: str = Field(alias="enhet")
    per: str | None = Field(alias="per")


class CommitmentRecord(BaseModel):
    model_config = _record("åtagande", "Ett åtagande i löftet, med dess senaste status och hela historik.")
    id: str = Field(alias="id", pattern=SLUG_PATTERN)
    text: str = Field(alias="text")
    responsibility: Literal[tuple(r.key for r in RESPONSIBILITIES)] = Field(alias="ansvar")  # type: ignore[valid-type]
    focus_area: str | None = Field(alias="fokusområde")
    target: TargetRecord | None = Field(alias="mål")
    status: Literal[tuple(s.key for s in STATUSES)] = Field(alias="status")  # type: ignore[valid-type]
    status_date: date | None = Field(alias="statusdatum")
    outcome: Number | None = Field(alias="utfall")
    history: list[RatingRecord] = Field(alias="historik")


class PeriodRecord(BaseModel):
    model_config = _record("period", "Löftets period: texten som i dokumentet, och dess första och sista dag.")
    text: str = Field(alias="text")
    start: date = Field(alias="från")
    end: date = Field(alias="till")


class SignatoryRecord(BaseModel):
    model_config = _record(
        "undertecknare",
        "Någon som har undertecknat löftet: ett namn, en roll eller båda.",
        anyOf=[{"properties": {key: {"type": "string"}}} for key in ("namn", "roll")],
    )
    name: str | None = Field(alias="namn")
    party: str | None = Field(alias="parti")
    role: str | None = Field(alias="roll")
    organisation: str | None = Field(alias="organisation")


class RegistrationRecord(BaseModel):
    model_config = _record("diarienummer", "Ett diarienummer och vems det är.")
    organisation: str = Field(alias="organisation")
    number: str = Field(alias="nummer")


class SourceRecord(BaseModel):
    model_config = _record("källa", "Dokumentet löftet är hämtat från.")
    title: str = Field(alias="titel")
    publisher: str = Field(alias="utgivare")
    dated: date | None = Field(alias="datum")
    url: Uri | None = Field(alias="url")


class FollowUpRecord(BaseModel):
    model_config = _record("uppföljning", "En publicerad uppföljning av löftet.")
    published: date = Field(alias="datum")
    covers: str | None = Field(alias="avser")
    summary: str = Field(alias="sammanfattning")


class PromiseRecord(BaseModel):
    model_config = _record("medborgarlöfte", "Ett medborgarlöfte med åtaganden och uppföljningar.")
    id: str = Field(alias="id")
    address: Uri = Field(alias="webbadress")
    title: str = Field(alias="rubrik")
    period: PeriodRecord | None = Field(alias="period")
    state: Literal[tuple(state for state in STATE_LABELS if state)] | None = Field(alias="giltighet")  # type: ignore[valid-type]
    signed: date | None = Field(alias="undertecknat")
    signatories: list[SignatoryRecord] = Field(alias="undertecknare")
    registration_numbers: list[RegistrationRecord] = Field(alias="diarienummer")
    area: str | None = Field(alias="område")
    focus_areas: list[str] = Field(alias="fokusområden")
    follow_up: str | None = Field(alias="uppföljning")
    source: SourceRecord | None = Field(alias="källa")
    note: str | None = Field(alias="anmärkning")
    commitments: list[CommitmentRecord] = Field(alias="åtaganden", min_length=1)
    follow_ups: list[FollowUpRecord] = Field(alias="uppföljningar")


class KommunRecord(BaseModel):
    model_config = _record("kommun", "Kommunen som ger löftet tillsammans med lokalpolisområdet.")
    name: str = Field(alias="namn")
    code: str = Field(alias="kommunkod", pattern=KOMMUNKOD_PATTERN)
    lan: str = Field(alias="län")
    lan_code: str = Field(alias="länskod", pattern=r"^[0-9]{2}$")
    organisation: str | None = Field(alias="organisation")
    police_area: str = Field(alias="lokalpolisområde")
    website: Uri | None = Field(alias="webbplats")
    fictional: bool = Field(alias="påhittad")


class KommunPromises(KommunRecord):
    """A kommun in the whole data set: its record, then its promises (last, where data.py splices them in)."""

    model_config = _record("kommun med medborgarlöften", "En kommun och alla dess medborgarlöften på webbplatsen.")
    promises: list[PromiseRecord] = Field(alias="medborgarlöften")


class LicenceRecord(BaseModel):
    model_config = _record("licens", "Licensen som data ges ut under.")
    name: str = Field(alias="namn")
    url: Uri = Field(alias="url")


class PromiseFile(BaseModel):
    """A promise's own JSON file; the promise comes last, where data.py splices in its encoded record."""

    model_config = _record("medborgarlöftesfil", "Ett medborgarlöfte med kommun, åtaganden och uppföljningar")
    schema_url: str = Field(alias="$schema")
    version: Literal[SCHEMA_VERSION] = Field(alias="schemaversion")
    kommun: KommunRecord = Field(alias="kommun")
    promise: PromiseRecord = Field(alias="medborgarlöfte")


class DatasetFile(BaseModel):
    """The whole data set; the kommuner come last, where data.py splices in their encoded parts."""

    model_config = _record("datamängd", "Alla medborgarlöften på webbplatsen")
    schema_url: str = Field(alias="$schema")
    version: Literal[SCHEMA_VERSION] = Field(alias="schemaversion")
    created: date = Field(alias="skapad")
    publisher: str = Field(alias="utgivare")
    licence: LicenceRecord | None = Field(alias="licens")
    kommuner: list[KommunPromises] = Field(alias="kommuner")


def json_schema(document: type[BaseModel], schema_id: str) -> dict[str, Any]:
    """The published JSON Schema of a file (`PromiseFile`, `DatasetFile`), with its address as `$id`."""
    generated = document.model_json_schema(by_alias=True, ref_template="#/$defs/{model}")
    definitions = generated.pop("$defs", {})
    names = {key: definition["title"] for key, definition in definitions.items()}
    top = {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": schema_id,
        "title": generated.pop("description"),
        **_published(generated, names),
        "$defs": dict(sorted((names[key], _published(value, names)) for key, value in definitions.items())),
    }
    top.pop("description", None)
    return top


def _published(node: Any, names: dict[str, str], is_property_map: bool = False) -> Any:
    """A schema without pydantic's titles (made from Python names), its references to the Swedish names."""
    if isinstance(node, list):
        return [_published(item, names) for item in node]
    if not isinstance(node, dict):
        return node
    result = {}
    for key, value in node.items():
        if key == "title" and not is_property_map:
            continue
        if key == "$ref" and not is_property_map:
            value = "#/$defs/" + names[value.removeprefix("#/$defs/")]
        result[key] = _published(value, names, key == "properties" and not is_property_map)
    return result
