"""The content format: the one place where the Swedish keys communicators write map to English model fields.

Each class mirrors one file (or one nested block) of the format in DESIGN.md. `extra="forbid"` turns a misspelt key
into an error instead of silently dropping content; the aliases are the Swedish keys.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictFloat,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from medborgarlofte.content.status import RATING_KEYS
from medborgarlofte.content.vocabulary import COMPARISON_KEYS, RESPONSIBILITY_KEYS, STATE_KEYS

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
KOMMUNKOD_PATTERN = r"^\d{4}$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Responsibility = Literal[RESPONSIBILITY_KEYS]  # type: ignore[valid-type]
Comparison = Literal[COMPARISON_KEYS]  # type: ignore[valid-type]  # `antal` is an exact number
PromiseState = Literal[STATE_KEYS]  # type: ignore[valid-type]
# The statuses of status.py that a follow-up may give, in the order a communicator chooses from.
RatingStatus = Literal[RATING_KEYS]  # type: ignore[valid-type]
# What `new uppföljning` writes instead of a status, for the communicator to choose one (placeholders.py): accepted
# here so that a draft stays readable, refused by validation in a follow-up that will be published.
StatusToChoose = Literal["välj"]
STATUS_TO_CHOOSE: str = get_args(StatusToChoose)[0]

PERIOD_NOT_STATED = "anges inte"  # the communicator confirms that the document names no period
_YEARS = re.compile(r"^(\d{4})(?:\s*[–—-]\s*(\d{4}))?$")
_FIRST_YEAR, _LAST_YEAR = 1990, 2100


def year_span(value: object) -> tuple[int, int] | None:
    """The first and last year of a period written as a year (`2021`, which YAML reads as a number, or `"2021"`)
    or as two years (`2023–2024`, with any dash); None for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    match = _YEARS.match(str(value).strip())
    if not match:
        return None
    first, last = int(match[1]), int(match[2] or match[1])
    return (first, last) if _FIRST_YEAR <= first <= last <= _LAST_YEAR else None


def _web_address(value: str) -> str:
    if not re.match(r"^https?://[^\s/$.?#][^\s]*$", value):
        raise PydanticCustomError(
            "webbadress", "`{value}` är inte en webbadress.", {"value": value, "hint": "Börja med https://."}
        )
    return value


WebAddress = Annotated[str, AfterValidator(_web_address)]


class ContentModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)


class Contact(ContentModel):
    """Where citizens reach the kommun about its promises: a named service (such as a kontaktcenter), where to visit
    it and when it is open, as the kommun's own documents give them."""

    name: Text | None = Field(None, alias="namn")
    email: Text | None = Field(None, alias="e-post")
    url: WebAddress | None = Field(None, alias="url")
    visiting_address: Text | None = Field(None, alias="besöksadress")
    opening_hours: Text | None = Field(None, alias="öppettider")


class KommunFile(ContentModel):
    """`kommuner/<slug>/kommun.yaml`."""

    name: Text = Field(alias="namn")
    code: Annotated[str, StringConstraints(pattern=KOMMUNKOD_PATTERN)] = Field(alias="kommunkod")
    organisation: Text | None = Field(None, alias="organisation")
    police_area: Text = Field(alias="lokalpolisområde")
    website: WebAddress | None = Field(None, alias="webbplats")
    contact: Contact | None = Field(None, alias="kontakt")
    fictional: bool = Field(False, alias="fiktiv")

    @field_validator("code", mode="before")
    @classmethod
    def _code_is_quoted(cls, value: Any) -> Any:
        """An unquoted 0114 is read by YAML as a number and loses its leading zero, so ask for quotes."""
        if isinstance(value, int):
            raise PydanticCustomError(
                "kommunkod_tal",
                "Kommunkoden ska skrivas inom citattecken.",
                {"hint": 'Skriv till exempel `kommunkod: "0114"`, så att inledande nollor inte försvinner.'},
            )
        return value


class Signatory(ContentModel):
    """A signatory as the document gives them: a name without a role and a role without a name are both valid."""

    name: Text | None = Field(None, alias="namn")
    party: Text | None = Field(None, alias="parti")
    role: Text | None = Field(None, alias="roll")
    organisation: Text | None = Field(None, alias="organisation")

    @model_validator(mode="after")
    def _named_or_titled(self) -> Signatory:
        if self.name is None and self.role is None:
            raise PydanticCustomError(
                "undertecknare_tom",
                "En undertecknare behöver minst `namn` eller `roll`.",
                {"hint": "Skriv det som står i dokumentet; lämna bort det som inte står där."},
            )
        return self


class RegistrationNumber(ContentModel):
    organisation: Text = Field(alias="organisation")
    number: Text = Field(alias="nummer")

    @field_validator("number", mode="before")
    @classmethod
    def _number_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value


class DateRange(ContentModel):
    start: date = Field(alias="från")
    end: date = Field(alias="till")

    @model_validator(mode="after")
    def _ordered(self) -> DateRange:
        if self.end < self.start:
            raise PydanticCustomError(
                "period_ordning",
                "Periodens slut (`till`) ligger före dess början (`från`).",
                {"hint": "Kontrollera datumen."},
            )
        return self


Amount = Annotated[int | float, Field(gt=0)]


class Target(ContentModel):
    """A numeric target in the document's own terms: "minst åttio" is `minst: 80`, an exact number is `antal`."""

    at_least: Amount | None = Field(None, alias="minst")
    at_most: Amount | None = Field(None, alias="högst")
    exactly: Amount | None = Field(None, alias="antal")
    unit: Text = Field(alias="enhet")
    per: Text | None = Field(None, alias="per")

    @model_validator(mode="after")
    def _one_comparison(self) -> Target:
        if len(self.comparisons) != 1:
            raise PydanticCustomError(
                "mål_jämförelse",
                "`mål` ska ha exakt en av `minst`, `högst` och `antal`.",
                {
                    "hint": "Skriv det dokumentet säger: `minst: 80` för ”minst åttio”, `högst: 5` för ”högst fem” "
                    "och `antal: 2` för ett exakt antal."
                },
            )
        return self

    @property
    def comparisons(self) -> list[tuple[Comparison, int | float]]:
        """The comparisons written, as (key, amount); a valid target has exactly one."""
        written = (("minst", self.at_least), ("högst", self.at_most), ("antal", self.exactly))
        return [(key, amount) for key, amount in written if amount is not None]


class SourceDocument(ContentModel):
    """The document a promise was transcribed from; `url` only where a real address is known, never a guessed one."""

    title: Text = Field(alias="titel")
    publisher: Text = Field(alias="utgivare")
    dated: date | None = Field(None, alias="datum")
    url: WebAddress | None = Field(None, alias="url")


class CommitmentEntry(ContentModel):
    id: Slug = Field(alias="id")
    text: Text = Field(alias="text")
    responsibility: Responsibility | None = Field(None, alias="ansvar")  # only where the document says who
    focus_area: Text | None = Field(None, alias="fokusområde")
    target: Target | None = Field(None, alias="mål")


class Attachment(ContentModel):
    """A file in the promise's folder published beside its page, such as the signed original."""

    file: Text = Field(alias="fil")
    title: Text = Field(alias="titel")


class PromiseFile(ContentModel):
    """Front matter of `kommuner/<slug>/<löfte>/medborgarlofte.md`."""

    title: Text = Field(alias="rubrik")
    period: DateRange | None = Field(None, alias="period")
    state: PromiseState | None = Field(None, alias="status")
    signed: date | None = Field(None, alias="undertecknat")
    published: date | None = Field(None, alias="publicerad")
    signatories: list[Signatory] = Field(default_factory=list, alias="undertecknare")
    registration_numbers: list[RegistrationNumber] = Field(default_factory=list, alias="diarienummer")
    area: Text | None = Field(None, alias="område")
    focus_areas: list[Text] = Field(default_factory=list, alias="fokusområden")
    follow_up: Text | None = Field(None, alias="uppföljning")
    commitments: list[CommitmentEntry] = Field(min_length=1, alias="åtaganden")
    attachments: list[Attachment] = Field(default_factory=list, alias="bilagor")
    source: SourceDocument | None = Field(None, alias="källa")
    note: Text | None = Field(None, alias="anmärkning")  # the editors' note: what the transcription had to judge
    draft: bool = Field(False, alias="utkast")

    @field_validator("period", mode="before")
    @classmethod
    def _period(cls, value: Any) -> Any:
        """Accept the forms communicators write (`2021`, `2023–2024`) and turn them into a date range; an empty
        `period:` counts as absent."""
        if value is None or value == PERIOD_NOT_STATED:
            return None
        if years := year_span(value):
            return {"från": date(years[0], 1, 1), "till": date(years[1], 12, 31)}
        if isinstance(value, dict):
            return value
        raise PydanticCustomError(
            "period_form",
            "`{value}` är ingen period som kan läsas.",
            {
                "value": value,
                "hint": "Skriv ett år (2021), två år (2023–2024), {från: 2021-07-01, till: 2023-06-30} "
                "eller `anges inte` om dokumentet inte anger någon period.",
            },
        )


class SiteContact(ContentModel):
    email: Text = Field(alias="e-post")
    url: WebAddress | None = Field(None, alias="url")


class Licence(ContentModel):
    """The licence of the open data set, stated on the /data/ page and in the data files."""

    name: Text = Field(alias="namn")
    url: WebAddress = Field(alias="url")


class SiteFile(ContentModel):
    """`content/site.yaml`."""

    name: Text = Field(alias="namn")
    description: Text = Field(alias="beskrivning")
    base_url: WebAddress = Field(alias="bas-url")
    publisher: Text = Field(alias="utgivare")
    contact: SiteContact = Field(alias="kontakt")
    licence: Licence | None = Field(None, alias="licens")


class PageFile(ContentModel):
    """Front matter of a site-wide page in `content/<slug>.md`."""

    title: Text = Field(alias="titel")
    description: Text | None = Field(None, alias="beskrivning")


class Source(ContentModel):
    title: Text = Field(alias="titel")
    url: WebAddress = Field(alias="url")


class Rating(ContentModel):
    """One commitment's rating in a follow-up."""

    status: RatingStatus | StatusToChoose = Field(alias="status")
    outcome: Annotated[StrictFloat, Field(ge=0)] | None = Field(None, alias="utfall")
    comment: Text | None = Field(None, alias="kommentar")
    sources: list[Source] = Field(default_factory=list, alias="källor")


class FollowUpFile(ContentModel):
    """Front matter of `kommuner/<slug>/<löfte>/uppfoljningar/<namn>.md`."""

    published: date = Field(alias="datum")
    covers: Text | DateRange | None = Field(None, alias="avser")
    ratings: dict[str, Rating] = Field(min_length=1, alias="åtaganden")
    draft: bool = Field(False, alias="utkast")

    @field_validator("covers", mode="before")
    @classmethod
    def _year_as_text(cls, value: Any) -> Any:
        """`avser: 2025` is a year, which YAML reads as a number; it is shown as written."""
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("covers")
    @classmethod
    def _years_of_a_period(cls, value: str | DateRange | None) -> str | DateRange | None:
        """A range of dates may only name the years a period may (`year_span`): a year such as 0998 is a typing
        mistake, and the pages could not show the outcome by its years."""
        if isinstance(value, DateRange) and not _FIRST_YEAR <= value.start.year <= value.end.year <= _LAST_YEAR:
            raise PydanticCustomError(
                "avser_år",
                "`avser` anger år utanför {first}–{last}: {start} – {end}.",
                {
                    "first": _FIRST_YEAR,
                    "last": _LAST_YEAR,
                    "start": value.start.isoformat(),
                    "end": value.end.isoformat(),
                    "hint": "Kontrollera årtalen. Skriv datumen som ÅÅÅÅ-MM-DD, till exempel "
                    "`avser: {från: 2021-07-01, till: 2021-12-31}`, eller bara året: `avser: 2021`.",
                },
            )
        return value


# The period's own validation, for reading it when other parts of the promise are wrong.
_PERIOD = TypeAdapter(Annotated[DateRange | None, BeforeValidator(PromiseFile._period)])


def read_period(value: Any) -> DateRange | None:
    """A promise's period on its own, so that its follow-ups' dates are checked against it even when the promise
    has errors elsewhere; None when it cannot be read (validating the promise says why)."""
    try:
        return _PERIOD.validate_python(value)
    except ValidationError:
        return None
