"""The placeholder texts `build.py new` writes, defined once so that validation recognises every one left in a file.

A placeholder left in a draft is a notice, the communicator's list of what is left to write; in a file that will be
published it is an error at its line, so that an unedited scaffold never reaches the site.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args

from medborgarlofte.content.schema import STATUS_TO_CHOOSE, RatingStatus
from medborgarlofte.swedish import alternatives

STATUS_CHOICES = alternatives(get_args(RatingStatus))


@dataclass(frozen=True)
class Placeholder:
    text: str
    key: str  # the front-matter key whose value it is; "" for a line of the Markdown text
    message: str
    hint: str


COMMITMENT_ID = Placeholder(
    "forsta-atagandet",
    "id",
    "Åtagandet har kvar exemplets id `forsta-atagandet`.",
    "Ge åtagandet ett eget id av a–z, 0–9 och bindestreck, till exempel `trafikkontroller`.",
)
COMMITMENT_TEXT = Placeholder(
    "Skriv åtagandet som det står i dokumentet.",
    "text",
    "Åtagandets text är inte ifylld.",
    "Skriv åtagandet som det står i det undertecknade dokumentet.",
)
BACKGROUND = Placeholder(
    "Skriv bakgrunden här: dialogerna, trygghetsmätningarna och lägesbilden som löftet bygger på.",
    "",
    "Bakgrunden är inte ifylld.",
    "Ersätt raden med bakgrunden ur dokumentet, eller ta bort den om dokumentet inte har någon.",
)
SUMMARY = Placeholder(
    "Skriv en sammanfattning av uppföljningen här.",
    "",
    "Sammanfattningen är inte ifylld.",
    "Ersätt raden med vad uppföljningen visar.",
)
STATUS = Placeholder(
    STATUS_TO_CHOOSE,
    "status",
    f"Ingen status är vald (`status: {STATUS_TO_CHOOSE}`).",
    f"Skriv {STATUS_CHOICES}; eller ta bort åtagandet om uppföljningen inte bedömer det.",
)
PLACEHOLDERS = (COMMITMENT_ID, COMMITMENT_TEXT, BACKGROUND, SUMMARY, STATUS)
