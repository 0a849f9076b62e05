"""The YAML parser's complaints in the words a communicator needs: what is wrong, where, and what to write instead.

libyaml (the C parser in PyYAML's wheels) and PyYAML's pure-Python parser word the same problem differently and
sometimes stop at different places; both wordings are recognised here. Some complaints are told apart by the text
they point at: "cannot start any token" is a tab or an `@`, a misplaced colon is in a text or after a key indented
too far, and "did not find expected key" is a stray list item, text after a closing quote, or a wrong indentation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

MAX_NESTING = 50  # levels of lists and mappings inside one another that content may use
# The problems load.py raises itself, before the composer can expand an alias or recurse into a deep structure.
ALIAS = "alias"
TOO_DEEP = "depth"
# libyaml's own limit on nesting, deeper than ours; its look-ahead can reach it before our count reaches ours.
LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"


@dataclass(frozen=True)
class Problem:
    """A kind of YAML mistake in Swedish. `{code}` is the character at the place reported, as code; `{example}` the
    line with its value in quotes; `{original}` the parser's own words. `at_opening`: the place to edit is where the
    quote, bracket, key or value opened, not where the parser gave up (often lines later)."""

    message: str
    hint: str
    at_opening: bool = False


PROBLEMS: dict[str, Problem] = {
    ALIAS: Problem(
        "Ankare och alias (`&` och `*`) används inte i innehållsfilerna.",
        "Skriv ut värdet i stället för att hänvisa till det; sätt citattecken runt en text som börjar med `*` "
        "eller `&`.",
    ),
    TOO_DEEP: Problem(
        f"YAML-innehållet är nästlat i mer än {MAX_NESTING} nivåer.",
        "Förenkla strukturen: ingen innehållsfil behöver så många listor eller samlingar inuti varandra.",
    ),
    "tab": Problem(
        "Raden innehåller en tabb där bara mellanslag kan stå.",
        "Byt tabben mot mellanslag; i YAML dras rader in med mellanslag. I VS Code: tryck Ctrl+Shift+P och välj "
        "Convert Indentation to Spaces.",
    ),
    "indicator": Problem(
        "Text som börjar med {code} måste stå inom citattecken.",
        "Skriv `{example}`; i början av ett värde betyder {code} annars något särskilt i YAML.",
        at_opening=True,
    ),
    "colon-in-text": Problem(
        "Texten innehåller kolon följt av mellanslag och måste därför stå inom citattecken.", "Skriv `{example}`."
    ),
    "indented-key": Problem(
        "Raden är indragen mer än nyckeln ovanför och läses som en fortsättning på dess värde.",
        "Ge raden samma indrag som nyckeln ovanför om den är en egen nyckel; hör kolonet till texten, sätt "
        "citattecken runt hela texten.",
    ),
    "missing-colon": Problem(
        "Nyckeln på raden följs inte av kolon.",
        'Skriv kolon och mellanslag efter nyckeln, till exempel `kommunkod: "1488"`; fortsätter raden en text från '
        "raden ovanför, dra in den med mellanslag.",
        at_opening=True,
    ),
    "indentation": Problem(
        "Raden har ett annat indrag än raderna på samma nivå ovanför.",
        "Dra in raden med lika många mellanslag som de andra nycklarna på samma nivå.",
    ),
    "list-item": Problem(
        "Listposten (`-`) står där ingen lista kan börja.",
        "Dra in posten lika långt som de andra posterna i listan, under nyckeln som listan hör till.",
    ),
    "text-after-value": Problem(
        "Värdet fortsätter efter ett avslutande citattecken eller en avslutande hakparentes.",
        "Sätt citattecken runt hela texten och använd den andra sortens citattecken inuti, till exempel "
        "`text: 'Han sa \"hej\"'`. Kontrollera också att citattecknen på raderna ovanför avslutas.",
    ),
    "unclosed-quote": Problem(
        "Citattecknet som inleder texten avslutas aldrig.",
        "Avsluta texten med samma sorts citattecken som den börjar med (`\"` eller `'`).",
        at_opening=True,
    ),
    "escape": Problem(
        "Ett omvänt snedstreck (`\\`) inom dubbla citattecken följs av ett tecken som inte kan stå där.",
        "Sätt texten inom enkla citattecken i stället (`'C:\\Dokument'`), eller skriv två snedstreck (`\\\\`).",
    ),
    "flow-sequence": Problem(
        "Listan inom hakparenteser (`[`) avslutas inte med `]`.",
        "Avsluta listan med `]` och skilj posterna åt med kommatecken, eller skriv varje post på en egen rad som "
        "börjar med `- `. Börjar en text med `[`, sätt citattecken runt den.",
        at_opening=True,
    ),
    "flow-mapping": Problem(
        "Samlingen inom klammerparenteser (`{{`) avslutas inte med `}}`.",
        "Avsluta samlingen med `}}`; börjar en text med `{{`, sätt citattecken runt den.",
        at_opening=True,
    ),
    "missing-value": Problem(
        "Ett värde saknas.",
        "Skriv ett värde här eller ta bort skiljetecknet som står i vägen, till exempel ett kommatecken för mycket.",
    ),
    "document": Problem(
        "Raden delar filen i flera YAML-dokument (`---` eller `...`).",
        "Ta bort raden; en innehållsfil är ett enda dokument. Börjar en text med `---` eller `...`, sätt citattecken "
        "runt den.",
    ),
    "unknown": Problem(
        "YAML-syntaxfel ({original}).",
        "Kontrollera indraget (mellanslag, inte tabb), att varje nyckel följs av kolon och mellanslag, och sätt "
        "citattecken runt text som innehåller kolon.",
    ),
}

# The parsers' words ("context\nproblem"), libyaml's and the pure-Python parser's, mapped to a kind of PROBLEMS or to
# a group that `_refine` tells apart by the text; the first match counts.
_RECOGNISED = tuple(
    (kind, re.compile(pattern, re.MULTILINE))
    for kind, pattern in (
        (ALIAS, rf"^{ALIAS}$|undefined alias|duplicate anchor"),
        (TOO_DEEP, rf"^{TOO_DEEP}$|{LIBYAML_TOO_DEEP}"),
        ("unclosed-quote", r"while scanning a quoted scalar\n.*unexpected (end of stream|document)"),
        ("escape", r"escape|hexa?decimal"),
        ("colon", r"mapping values are not allowed"),
        ("missing-colon", r"could not find expected ':'"),
        ("cannot-start", r"cannot start any token"),
        ("tab", r"tab character"),
        ("sequence-entry", r"sequence entries are not allowed"),
        ("structure", r"did not find expected key|did not find expected '-' indicator|expected <block end>"),
        ("indicator", r"while scanning an? (alias|anchor|block scalar|directive)|while parsing a tag"),
        ("flow-sequence", r"while parsing a flow sequence"),
        ("flow-mapping", r"while parsing a flow mapping"),
        ("missing-value", r"node content"),
        ("document", r"another document|document (start|end|indicator|separator)"),
    )
)


# The parsers' words that `_refine` tells apart by the text at the place they point to.
_GROUPS = frozenset({"colon", "cannot-start", "sequence-entry", "structure"})


@dataclass(frozen=True)
class Explanation:
    line: int  # counted from 1 within the parsed text
    column: int
    message: str
    hint: str


def explain(error: yaml.MarkedYAMLError, text: str) -> Explanation:
    """The Swedish diagnostic for a YAML error in `text`, at the place a communicator must edit."""
    words = f"{error.context or ''}\n{error.problem or ''}"
    kind = next((kind for kind, pattern in _RECOGNISED if pattern.search(words)), "unknown")
    kind = _refine(kind, text, error.problem_mark)
    problem = PROBLEMS[kind]
    mark = (error.context_mark if problem.at_opening else None) or error.problem_mark or error.context_mark
    line, column = (mark.line, mark.column) if mark else (0, 0)
    source = _line(text, line)
    # An opening mark is where the value starts; otherwise it starts after the line's first key.
    value_start = column if problem.at_opening else _after_key(source)
    fields = {
        "code": _code(source[column : column + 1]),
        "example": _quoted_from(source, value_start),
        "original": (error.problem or error.context or "").strip(),
    }
    return Explanation(line + 1, column + 1, problem.message.format(**fields), problem.hint.format(**fields))


def _refine(kind: str, text: str, mark: yaml.Mark | None) -> str:
    """Tell apart the problems that share the parser's words by the text at its mark."""
    if kind not in _GROUPS:
        return kind
    if mark is None:
        return "unknown"
    source = _line(text, mark.line)
    before, at = source[: mark.column], source[mark.column :]
    if kind == "colon":
        return "colon-in-text" if re.search(r":\s", before) else "indented-key"
    if kind == "cannot-start":
        return "tab" if at.startswith("\t") else "indicator"
    if before.strip() and kind == "sequence-entry":
        return "indicator"  # a value that starts with `- `
    if before.strip():
        return "text-after-value"
    return "list-item" if re.match(r"-(\s|$)", at) else "indentation"


def _line(text: str, index: int) -> str:
    lines = text.split("\n")
    return lines[index] if 0 <= index < len(lines) else ""


def _after_key(line: str) -> int:
    """Where the value of the line's first key starts: after its colon and the spaces that follow."""
    found = re.search(r":\s+", line)
    return found.end() if found else 0


def _quoted_from(line: str, start: int) -> str:
    """The line with its text from `start` in quotes (`text: Mål: 80` → `text: "Mål: 80"`), in single quotes when
    the text has a double quote or a backslash, which double quotes would change."""
    value = line[start:].strip()
    if '"' in value or "\\" in value:
        doubled = value.replace("'", "''")
        return f"{line[:start].strip()} '{doubled}'".strip()
    return f'{line[:start].strip()} "{value}"'.strip()


def _code(character: str) -> str:
    """A character as code: a backtick needs double backticks around it."""
    return "`` ` ``" if character == "`" else f"`{character}`"
