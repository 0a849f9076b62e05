"""Stage 1, load: find the content files, read them safely and keep the position of every key and value.

Positions are what make a diagnostic actionable: pydantic reports an error at a path such as
`("åtaganden", 2, "ansvar")`, and the `Document` kept here turns that path into the line a communicator must edit.
Nothing here interprets the content; that is the validator's job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import yaml
from yaml.composer import ComposerError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from medborgarlofte.content.diagnostics import Diagnostics
from medborgarlofte.content.yaml_errors import ALIAS, LIBYAML_TOO_DEEP, MAX_NESTING, PROBLEMS, TOO_DEEP, explain

Path_ = tuple[str | int, ...]
Position = tuple[int, int]

MAX_FILE_BYTES = 1_000_000
_TEXT_TAG = "tag:yaml.org,2002:str"
UTF8_BOM = b"\xef\xbb\xbf"
FRONT_MATTER_FENCE = "---"
# A line of the fence alone, with any spaces after it: where front matter starts and ends.
_FENCE_LINE = re.compile(rf"^{FRONT_MATTER_FENCE}[^\S\n]*$", re.MULTILINE)
ENCODING_HINT = "Spara filen med teckenkodningen UTF-8 (i VS Code: klicka på kodningen i statusfältet och välj UTF-8)."


Start = tuple[int, int, bool]  # line and column (from 0) as the parser gives them, and whether a block scalar


@dataclass
class _Starts:
    """Where every value and every key of a document starts, by path."""

    values: dict[Path_, Start] = field(default_factory=dict)
    keys: dict[Path_, Start] = field(default_factory=dict)


@dataclass
class Document:
    """A parsed YAML mapping that can tell where any of its values and keys starts, by path.

    Only a diagnostic needs a position, and most files have none: the starts are found by composing `text` again
    the first time one is asked for, so that reading a file records none. They are kept as plain numbers rather than
    YAML nodes: holding hundreds of thousands of nodes alive would cost memory and garbage-collection time at
    national scale."""

    path: Path
    data: dict[str, Any]
    line_offset: int = 0
    text: str = ""
    invalid_paths: set[Path_] = field(default_factory=set)
    _starts: _Starts | None = field(default=None, repr=False, compare=False)

    @property
    def starts(self) -> _Starts:
        if self._starts is None:
            self._starts = _record_starts(self)
        return self._starts

    def start_position(self, start: Start) -> Position:
        line, column, block = start
        # A block scalar (`|` or `>`) starts on the line after its indicator; lines within it count from there.
        return (line + 2 + self.line_offset, 1) if block else (line + 1 + self.line_offset, column + 1)

    def position(self, loc: Path_) -> Position:
        """The position of the longest prefix of `loc` that exists: a missing key points at its parent mapping."""
        values = self.starts.values
        for end in range(len(loc), -1, -1):
            start = values.get(tuple(loc[:end]))
            if start is not None:
                return self.start_position(start)
        return (1, 1)

    def key_position(self, loc: Path_) -> Position:
        start = self.starts.keys.get(tuple(loc))
        return self.start_position(start) if start is not None else self.position(loc)

    def has(self, loc: Path_) -> bool:
        return loc in self.starts.values or loc in self.starts.keys


def _start(node: Node) -> Start:
    return (node.start_mark.line, node.start_mark.column, isinstance(node, ScalarNode) and node.style in ("|", ">"))


def _record_starts(document: Document) -> _Starts:
    """The starts of `document`, from its text composed and walked again; what that walk finds wrong was reported
    when the file was read."""
    starts = _Starts()
    loader = _Loader(document.text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    _Walker(loader, document, Diagnostics(document.path), starts).walk(node, (), 0)
    return starts


@dataclass
class MarkdownFile:
    """A Markdown file with YAML front matter; `body_line` is the file line where the Markdown starts."""

    front_matter: Document
    body: str
    body_line: int


class _QuickTags:
    """A quicker tag resolution for the safe loaders: the composer asks for every node's tag, and most values are
    text whose first character no implicit type (number, date, yes/no, null) can start with. Those skip the
    resolver's regular expressions; the rest resolve as before, and are remembered, as the same keys (`text`,
    `fokusområde`), numbers and statuses come back in file after file."""

    _TYPED_STARTS = frozenset(ch for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items() if resolvers)
    _TAGS: ClassVar[dict[type, str]] = {MappingNode: "tag:yaml.org,2002:map", SequenceNode: "tag:yaml.org,2002:seq"}
    _resolved: ClassVar[dict[str, str]] = {}
    _REMEMBERED = 10_000  # plain values; bounds the memory of a server that reads edited files for days

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if implicit[0] and (not value or value[0] in self._TYPED_STARTS):
                return self._resolved.get(value) or self._resolve_typed(value, implicit)
            return _TEXT_TAG
        return self._TAGS[kind]

    def _resolve_typed(self, value: str, implicit: tuple[bool, bool]) -> str:
        tag = super().resolve(ScalarNode, value, implicit)  # type: ignore[misc]
        if len(self._resolved) < self._REMEMBERED:
            self._resolved[value] = tag
        return tag

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """No path resolvers are registered: nothing to track while descending."""

    def ascend_resolver(self) -> None:
        """See descend_resolver."""


class _PureLoader(_QuickTags, yaml.SafeLoader):
    """PyYAML's pure-Python parser: the loader where libyaml is missing, and the one that finds where nesting passes
    MAX_NESTING when libyaml's own, deeper limit stopped its look-ahead first."""


# libyaml (shipped in PyYAML's wheels) parses an order of magnitude faster than the pure-Python parser, which matters
# when every kommun publishes for years; both construct only plain data (the safe constructor).
_Loader = type("_Loader", (_QuickTags, yaml.CSafeLoader), {}) if hasattr(yaml, "CSafeLoader") else _PureLoader


# Characters no page, feed or spreadsheet can carry: control characters (tab and line breaks aside), DEL, the C1
# controls and Unicode's noncharacters. HTML calls them parse errors and XML forbids them, so an Atom feed holding
# one is rejected whole by feed readers. They come with text pasted from other programs and are never meant.
_FIRST_PLANE_UNSHOWABLE = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff"
_UNSHOWABLE = re.compile(f"[{_FIRST_PLANE_UNSHOWABLE}]")
# The noncharacters beyond the first plane, looked for only in text that has such characters (an emoji, say): a class
# of scattered characters there makes a search ten times slower. One pass finds the first character of either kind.
_UNSHOWABLE_OR_ASTRAL = re.compile(f"[{_FIRST_PLANE_UNSHOWABLE}\U00010000-\U0010ffff]")
_ASTRAL_NONCHARACTERS = re.compile(
    "[" + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17)) + "]"
)
# The bytes that the UTF-8 of each of those characters starts with: a control character is one byte, a C1 control
# starts with \xc2, a noncharacter of the first plane with \xef and one beyond it with \xf0 to \xf4. Most Swedish
# text has none of them (å, ä and ö start with \xc3), and a file without them needs no search.
_UNSHOWABLE_LEADS = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0xC2, 0xEF, *range(0xF0, 0xF5)])
UNSHOWABLE_HINT = "Ta bort tecknet; det kommer ofta med text som kopierats från ett annat program."


def _first_unshowable(text: str) -> re.Match[str] | None:
    found = _UNSHOWABLE_OR_ASTRAL.search(text)
    if found is None or found.group() < "\U00010000":
        return found
    near, far = _UNSHOWABLE.search(text, found.start()), _ASTRAL_NONCHARACTERS.search(text, found.start())
    return far if far and (near is None or far.start() < near.start()) else near


def _may_hold_unshowable(raw: bytes) -> bool:
    """Whether UTF-8 `raw` has a byte that an unshowable character starts with: deleting bytes by a table runs in C
    at a tenth of the time of the search of the text."""
    return len(raw.translate(None, _UNSHOWABLE_LEADS)) < len(raw)


def unshowable(text: str) -> str | None:
    """The first character of `text` that cannot be published, as `U+001F`, or None."""
    found = _first_unshowable(text)
    return f"U+{ord(found.group()):04X}" if found else None


_DEEP_INDENT = " " * (MAX_NESTING + 1)


def _could_alias_or_nest_deeply(text: str) -> bool:
    """Cheap test that lets ordinary front matter skip the event scan: an alias needs `&` or `*`, and deep nesting
    needs many brackets, dashes or a wide indentation."""
    if "&" in text or "*" in text:
        return True
    openers = text.count("[") + text.count("{") + text.count("- ")
    return openers > MAX_NESTING or text.startswith(_DEEP_INDENT) or f"\n{_DEEP_INDENT}" in text


def _refuse_aliases_and_depth(text: str, loader_class: type | None = None) -> None:
    """Raise at the first anchor, alias or level nested deeper than MAX_NESTING, reading only the event stream.

    Communicators never need anchors and aliases, and refusing them before composition stops "billion laughs"
    expansion, as the depth limit stops a deeply nested document, before either can cost time or memory."""
    loader = (loader_class or _Loader)(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise ComposerError(None, None, ALIAS, event.start_mark)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_NESTING:
                    raise ComposerError(None, None, TOO_DEEP, event.start_mark)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        loader.dispose()


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, read without a buffer: `Path.read_bytes` reads through one, which also asks whether the
    file is a terminal and seeks once more, a quarter of its time for a small content file."""
    with open(path, "rb", buffering=0) as file:
        return file.read()


def read_text(path: Path, diagnostics: Diagnostics) -> str | None:
    """Read a content file as UTF-8 text with Unix line endings, or report why it cannot be read."""
    try:
        raw = _read_bytes(path)
    except OSError as error:
        diagnostics.error(path, (1, 1), f"Filen kan inte läsas: {error.strerror}.", "Kontrollera att filen finns.")
        return None
    if len(raw) > MAX_FILE_BYTES:
        diagnostics.error(
            path,
            (1, 1),
            f"Filen är för stor ({len(raw) // 1000} kB; högst {MAX_FILE_BYTES // 1000} kB).",
            "Dela upp texten eller lägg stora dokument som bilagor.",
        )
        return None
    raw = raw.removeprefix(UTF8_BOM)
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        diagnostics.error(path, (line, 1), "Filen är en binärfil, inte text.", "Spara innehållet som vanlig text.")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = len(raw[raw.rfind(b"\n", 0, error.start) + 1 : error.start].decode("utf-8")) + 1
        diagnostics.error(path, (line, column), "Filen är inte sparad som UTF-8.", ENCODING_HINT)
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _may_hold_unshowable(raw) and (found := _first_unshowable(text)):
        line = text.count("\n", 0, found.start()) + 1
        column = found.start() - text.rfind("\n", 0, found.start())
        message = f"Filen innehåller ett osynligt styrtecken ({unshowable(found.group())}) som inte kan publiceras."
        diagnostics.error(path, (line, column), message, UNSHOWABLE_HINT)
        return None
    if not text.strip():
        diagnostics.error(path, (1, 1), "Filen är tom.", "Fyll i filen eller ta bort den.")
        return None
    return text


def parse_yaml(text: str, path: Path, diagnostics: Diagnostics, line_offset: int = 0) -> Document | None:
    """Parse one YAML mapping safely, recording positions; report syntax errors at their line."""
    loader = _Loader(text)
    try:
        if _could_alias_or_nest_deeply(text):
            _refuse_aliases_and_depth(text)
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        found = explain(_where_too_deep(error, text), text)
        diagnostics.error(path, (found.line + line_offset, found.column), found.message, found.hint)
        return None
    except RecursionError:
        too_deep = PROBLEMS[TOO_DEEP]
        diagnostics.error(path, (1 + line_offset, 1), too_deep.message, too_deep.hint)
        return None
    finally:
        loader.dispose()
    if node is None:
        diagnostics.error(path, (1 + line_offset, 1), "Filen innehåller inga nycklar.", "Fyll i de nycklar som krävs.")
        return None
    document = Document(path, {}, line_offset, text)
    walker = _Walker(loader, document, diagnostics)
    if not isinstance(node, MappingNode):
        diagnostics.error(
            path,
            walker.mark(node),
            "Innehållet ska vara nycklar med värden (till exempel `namn: Trollhättan`).",
            "Börja varje rad med en nyckel följd av kolon.",
        )
        return None
    document.data = walker.walk(node, (), 0)
    return document


def read_yaml_file(path: Path, diagnostics: Diagnostics) -> Document | None:
    text = read_text(path, diagnostics)
    return None if text is None else parse_yaml(text, path, diagnostics)


def read_markdown_file(path: Path, diagnostics: Diagnostics) -> MarkdownFile | None:
    """Split `---` front matter from the Markdown body and parse the front matter with positions."""
    text = read_text(path, diagnostics)
    if text is None:
        return None
    opening = _FENCE_LINE.match(text)
    if opening is None:
        diagnostics.error(
            path,
            (1, 1),
            "Filen ska börja med en rad med tre bindestreck (`---`) följd av nycklarna.",
            "Lägg `---` på första raden, nycklarna under, och `---` igen före den löpande texten.",
        )
        return None
    closing = _FENCE_LINE.search(text, opening.end())
    if closing is None:
        diagnostics.error(
            path,
            (text.count("\n") + 1, 1),
            "Nycklarna i filens början avslutas aldrig med `---`.",
            "Lägg en rad med `---` mellan nycklarna och den löpande texten.",
        )
        return None
    front_matter = parse_yaml(text[opening.end() + 1 : closing.start() - 1], path, diagnostics, line_offset=1)
    if front_matter is None:
        return None
    return MarkdownFile(front_matter, text[closing.end() + 1 :], text.count("\n", 0, closing.start()) + 2)


class _Walker:
    """Turns a composed YAML node tree into Python values, refusing unsafe constructs; with `starts`, it records
    where each value and key starts instead of reporting."""

    def __init__(
        self, loader: yaml.BaseLoader, document: Document, diagnostics: Diagnostics, starts: _Starts | None = None
    ):
        self.loader = loader
        self.document = document
        self.diagnostics = diagnostics
        self.starts = starts

    def mark(self, node: Node) -> Position:
        return (node.start_mark.line + 1 + self.document.line_offset, node.start_mark.column + 1)

    def walk(self, node: Node, path: Path_, depth: int) -> Any:
        if self.starts is not None:
            self.starts.values[path] = _start(node)
        if depth > MAX_NESTING:
            self._invalid(path, node, PROBLEMS[TOO_DEEP].message, PROBLEMS[TOO_DEEP].hint)
            return None
        if isinstance(node, MappingNode):
            return self._mapping(node, path, depth) if self._plain(node, "map", path) else None
        if isinstance(node, SequenceNode):
            return self._sequence(node, path, depth) if self._plain(node, "seq", path) else None
        return self._scalar(node, path)

    def _plain(self, node: Node, kind: str, path: Path_) -> bool:
        if node.tag == f"tag:yaml.org,2002:{kind}":
            return True
        self._invalid(path, node, f"Taggen `{node.tag}` är inte tillåten.", "Ta bort taggen som börjar med `!`.")
        return False

    def _mapping(self, node: MappingNode, path: Path_, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self._invalid(path, key_node, "En nyckel måste vara ett ord, inte en lista eller samling.")
                continue
            key = key_node.value
            if key_node.style == '"' and (character := unshowable(key)):
                self._invalid(path, key_node, f"Nyckeln innehåller ett styrtecken ({character}).", UNSHOWABLE_HINT)
                continue
            if key in result:
                first = self.document.start_position(_start(_first_key(node, key)))[0]
                self.diagnostics.error(
                    self.document.path,
                    self.mark(key_node),
                    f"Nyckeln `{key}` finns redan på rad {first}.",
                    "Ta bort en av dem; en nyckel får bara förekomma en gång på samma nivå.",
                )
                continue
            if self.starts is not None:
                self.starts.keys[(*path, key)] = _start(key_node)
            elif _plain_text(value_node) and depth < MAX_NESTING:
                result[key] = value_node.value  # most values: what `walk` gives, without checks that cannot apply
                continue
            result[key] = self.walk(value_node, (*path, key), depth + 1)
        return result

    def _sequence(self, node: SequenceNode, path: Path_, depth: int) -> list[Any]:
        return [self.walk(item, (*path, index), depth + 1) for index, item in enumerate(node.value)]

    def _scalar(self, node: ScalarNode, path: Path_) -> Any:
        if node.tag == _TEXT_TAG:  # most values: no construction needed
            # Only an escape in double quotes (`"\x1F"`) can make one: read_text refused the file if it held any.
            if node.style == '"' and (character := unshowable(node.value)):
                self._invalid(
                    path, node, f"Värdet innehåller ett styrtecken ({character}) som inte kan visas.", UNSHOWABLE_HINT
                )
                return ""
            return node.value
        try:
            return self.loader.construct_object(node, deep=True)
        except ValueError:
            self._invalid(
                path,
                node,
                f"`{node.value}` är inte ett giltigt datum.",
                "Skriv datum som ÅÅÅÅ-MM-DD och kontrollera att dagen finns, till exempel 2025-02-28.",
            )
        except yaml.YAMLError:
            self._invalid(path, node, f"Taggen `{node.tag}` är inte tillåten.", "Ta bort taggen som börjar med `!`.")
        return node.value

    def _invalid(self, path: Path_, node: Node, message: str, hint: str = "") -> None:
        """Report a value problem once, and stop the validator from reporting the same value again."""
        self.document.invalid_paths.add(path)
        self.diagnostics.error(self.document.path, self.mark(node), message, hint)


def _plain_text(node: Node) -> bool:
    """Text in the file as it is: neither a mapping nor a list, no type or tag to construct, and no escapes (only
    double quotes have them) that could make a character `read_text` did not see."""
    return node.__class__ is ScalarNode and node.tag == _TEXT_TAG and node.style != '"'


def _first_key(node: MappingNode, key: str) -> Node:
    """The key node that gave `key` its value, where a later one repeats it."""
    return next(k for k, _ in node.value if isinstance(k, ScalarNode) and k.value == key)


def _where_too_deep(error: yaml.MarkedYAMLError, text: str) -> yaml.MarkedYAMLError:
    """Our error at the level where nesting passes MAX_NESTING, when libyaml's deeper limit stopped first: its
    look-ahead reads far past our limit before the event scan can count there. The pure-Python parser has no limit
    of its own; if it stops on something else, libyaml's error stands."""
    if error.problem != LIBYAML_TOO_DEEP:
        return error
    try:
        _refuse_aliases_and_depth(text, _PureLoader)
    except yaml.MarkedYAMLError as ours:
        return ours if ours.problem in (ALIAS, TOO_DEEP) else error
    return error


@dataclass
class RawFollowUp:
    slug: str
    source: MarkdownFile


@dataclass
class RawPromise:
    slug: str
    folder: Path
    source: MarkdownFile | None  # None when the file is missing or cannot be read
    follow_ups: list[RawFollowUp]


@dataclass
class RawKommun:
    slug: str
    folder: Path
    source: Document | None
    promises: list[RawPromise]


@dataclass
class RawPage:
    slug: str
    source: MarkdownFile


@dataclass
class RawContent:
    root: Path
    site: Document | None
    pages: list[RawPage]
    kommuner: list[RawKommun]


KOMMUNER_DIR = "kommuner"
PAGES_DIR = "content"
SITE_FILE = "site.yaml"
KOMMUN_FILE = "kommun.yaml"
PROMISE_FILE = "medborgarlofte.md"
FOLLOW_UPS_DIR = "uppfoljningar"


def load_shared(root: Path, diagnostics: Diagnostics) -> tuple[Document | None, list[RawPage]]:
    """`content/`: the site's settings and its own pages."""
    if not _confined(root / PAGES_DIR, root, diagnostics):
        return None, []
    site_path = root / PAGES_DIR / SITE_FILE
    site = read_yaml_file(site_path, diagnostics) if _confined(site_path, root, diagnostics) else None
    pages = [
        RawPage(path.stem, source)
        for path in sorted((root / PAGES_DIR).glob("*.md"))
        if _confined(path, root, diagnostics) and (source := read_markdown_file(path, diagnostics))
    ]
    return site, pages


def kommun_folders(root: Path, diagnostics: Diagnostics) -> list[Path]:
    """The folders of `kommuner/`, each read on its own by `load_kommun`."""
    kommuner_dir = root / KOMMUNER_DIR
    if not kommuner_dir.is_dir():
        diagnostics.error(
            kommuner_dir, (1, 1), "Mappen `kommuner/` saknas.", "Skapa den och lägg en mapp per kommun i den."
        )
        return []
    return _subfolders(kommuner_dir, root, diagnostics) if _confined(kommuner_dir, root, diagnostics) else []


def _subfolders(folder: Path, root: Path, diagnostics: Diagnostics) -> list[Path]:
    return [p for p in sorted(folder.iterdir()) if p.is_dir() and _confined(p, root, diagnostics)]


def load_kommun(folder: Path, root: Path, diagnostics: Diagnostics) -> RawKommun:
    """A kommun folder; its promises are read also when its kommun.yaml is missing or cannot be read, so that their
    problems are reported in the same run."""
    kommun_path = folder / KOMMUN_FILE
    source = None
    if not kommun_path.is_file():
        diagnostics.error(
            kommun_path,
            (1, 1),
            f"Kommunmappen `{folder.name}` saknar filen `{KOMMUN_FILE}`.",
            "Skapa filen med kommunens namn, kommunkod och lokalpolisområde.",
        )
    elif _confined(kommun_path, root, diagnostics):
        source = read_yaml_file(kommun_path, diagnostics)
    promises = [
        RawPromise(p.name, p, _promise_file(p, root, diagnostics), _follow_ups(p, root, diagnostics))
        for p in _subfolders(folder, root, diagnostics)
    ]
    return RawKommun(folder.name, folder, source, promises)


def _promise_file(promise_folder: Path, root: Path, diagnostics: Diagnostics) -> MarkdownFile | None:
    """The promise's `medborgarlofte.md`, or None when it is missing or cannot be read (reported); its follow-ups
    are read either way, so that their problems are reported in the same run."""
    promise_path = promise_folder / PROMISE_FILE
    if not promise_path.is_file():
        diagnostics.error(
            promise_path,
            (1, 1),
            f"Mappen `{promise_folder.name}` saknar filen `{PROMISE_FILE}`.",
            "Varje löftesmapp behöver en medborgarlofte.md; ta bort mappen om den inte ska användas.",
        )
        return None
    return read_markdown_file(promise_path, diagnostics) if _confined(promise_path, root, diagnostics) else None


def _follow_ups(promise_folder: Path, root: Path, diagnostics: Diagnostics) -> list[RawFollowUp]:
    """The follow-ups of a promise, by file name; a file that cannot be read is reported and left out."""
    folder = promise_folder / FOLLOW_UPS_DIR
    if not folder.is_dir() or not _confined(folder, root, diagnostics):
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if path.suffix != ".md":
            if not path.name.startswith("."):
                diagnostics.warning(
                    path,
                    (1, 1),
                    "Filen läses inte: bara filer som slutar på `.md` är uppföljningar.",
                    "Byt namn på filen till något som slutar på `.md`, eller flytta den.",
                )
        elif _confined(path, root, diagnostics) and (source := read_markdown_file(path, diagnostics)):
            found.append(RawFollowUp(path.stem, source))
    return found


def inside(path: Path, folder: Path) -> bool:
    """Whether `path`, with every symbolic link followed, lies within `folder`."""
    return path.resolve().is_relative_to(folder.resolve())


def _confined(path: Path, root: Path, diagnostics: Diagnostics) -> bool:
    """Refuse a path (typically a symlink) that resolves outside the content tree, so content cannot publish
    arbitrary files from the machine that builds the site. Every folder content is read from is checked as it is
    reached, so a file that is no link lies inside the tree."""
    if not path.is_symlink() or inside(path, root):
        return True
    diagnostics.error(
        path,
        (1, 1),
        "Filen eller mappen pekar ut ur innehållsmappen (en symbolisk länk).",
        "Ersätt länken med en vanlig fil i repositoriet.",
    )
    return False
