"""Who a sentence says will act: `ansvar` only where the sentence itself names the party.

The party is read from the sentence's subject, at its start ("Polisen ska …", "Polisen och Strömstads kommun ska …")
or right after its verb when the sentence starts with something else ("Utöver de prioriterade inriktningarna kommer
lokalpolisområde Östra Fyrbodal och Trollhättans Stad arbeta …"). A kommun named elsewhere in the sentence
("samarbetet mellan Strömstads kommun och krögare") is not the one who acts, and gives no `ansvar`.
"""

from __future__ import annotations

import re

from medborgarlofte.content.vocabulary import JOINT, KOMMUN, POLICE

_NAME = r"[A-ZÅÄÖ][\wåäöé-]*"
_POLICE = rf"(?:[Pp]olis(?:en|ens)?|[Pp]olismyndigheten?s?|[Ll]okalpolisområde(?:t|ts)?(?:\s+{_NAME}){{0,3}})"
_KOMMUN = rf"(?:[Kk]ommunen?s?|{_NAME}\s+(?:kommuns?|[Ss]tads?)|Staden?s?)"
_ANY_PARTY = rf"(?:{_POLICE}|{_KOMMUN})"
_PARTY = re.compile(rf"(?P<police>{_POLICE})|(?P<kommun>{_KOMMUN})")
_CHAIN = re.compile(rf"{_ANY_PARTY}(?:\s*(?:,|och|samt)\s*{_ANY_PARTY})*(?=\s)")
# The verbs of a promise: "ska", "skall", "kommer (att)", "lovar (att)", and a few present tenses documents use.
PROMISE_VERBS = ("ska", "skall", "kommer", "lovar", "åtar sig", "vill")
_VERB = re.compile(rf"\b(?:{'|'.join(PROMISE_VERBS)})\s+", re.I)
_INVERTED = re.compile(rf"^[^.:;]{{0,80}}?\s(?:{'|'.join(PROMISE_VERBS)})\s+(?={_ANY_PARTY})")
_JOINT_WORDS = re.compile(r"^(?:Gemensam(?:t|ma)?|Tillsammans)\b")
_WE = re.compile(r"^Vi\s")


def party_of(sentence: str) -> str | None:
    """`polisen`, `kommunen` or `gemensamt` where the sentence's subject names the party; None otherwise."""
    sentence = sentence.strip()
    inverted = _INVERTED.match(sentence)
    start = inverted.end() if inverted else 0
    parties = _parties_at(sentence, start)
    if parties == {POLICE, KOMMUN}:
        return JOINT
    return next(iter(parties)) if parties else None


def _parties_at(sentence: str, start: int) -> set[str]:
    chain = _CHAIN.match(sentence, start)
    if not chain:
        return set()
    words = chain.group(0)
    found = set()
    for match in _PARTY.finditer(words):
        found.add(POLICE if match["police"] else KOMMUN)
    return found


def says_joint(sentence: str) -> bool:
    """The sentence starts with "Gemensam …" or "Tillsammans …": both parties, in a promise they make together."""
    return bool(_JOINT_WORDS.match(sentence.strip()))


def speaks_as_we(sentence: str) -> bool:
    """The sentence speaks as "Vi": the parties are the ones the surrounding text names, not the sentence."""
    return bool(_WE.match(sentence.strip()))


def promises(sentence: str) -> bool:
    """The sentence starts with a party (or "Vi") and a promise verb: "Polisen lovar att …", "Kommunen ska …"."""
    sentence = sentence.strip()
    chain = _CHAIN.match(sentence)
    end = chain.end() if chain else (2 if _WE.match(sentence) else -1)
    return end >= 0 and bool(_VERB.match(sentence[end:].lstrip()))
