"""The writing guide, docs/skrivguide.md, is true: its examples are run and what it quotes is what the tool prints.

How the guide marks its examples: an HTML comment (not shown on GitHub) on the line right before a fenced block,
`<!-- exempel: WORDS -->`, where WORDS are

- `kör`, before a ```sh block: its commands are run in order from the content folder, as a communicator runs them.
- `fil=PATH`, before a ```yaml or ```markdown block: the whole file PATH, written into the content folder and kept for
  the examples after it. With `skapad`, the block is instead PATH as an earlier command wrote it, compared and not
  written. With one of these words, the block is a part of the file, tried in a copy of the folder:
  - `ändrar`: its top-level keys take the place of the same keys in PATH (or are added at the end of its YAML);
  - `brödtext`: it takes the place of the Markdown text after PATH's front matter;
  - `utan=KEY` (and no block of its own, so right before the ```text block): PATH without its top-level key KEY.
- `kommando="check --strict"`: the command run after a file example, instead of `check`.
- `bilaga=NAME`: an attachment NAME is put beside PATH, as the example's `bilagor` presupposes.
- `scen=NAME`: the example works in a folder of its own, shared with the other examples of that scene, which starts
  as a copy of the content folder; so that a walkthrough's drafts do not show in the other examples' output.

A ```text block right after an example (after the PowerShell twin of commands) is exactly what it prints: standard
error, then standard output. A file example without one prints only "Innehållet är giltigt."; commands without one
succeed. The content folder starts as examples/demo without Exempelby's 2025–2026 promise, which the guide writes.

Besides, every ```sh block is followed by a ```powershell block with the same commands for Windows, every `build.py`
command line of either is accepted by the tool's argument parser, every YAML and Markdown block is an example, and
commands stand only in those blocks.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import re
import shlex
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import get_args

import pytest
from conftest import REPO
from markdown_it import MarkdownIt

from medborgarlofte.build.content import build_date, load_site
from medborgarlofte.cli import main, parser
from medborgarlofte.content.model import Progress, Target
from medborgarlofte.content.schema import RatingStatus

GUIDE = REPO / "docs" / "skrivguide.md"
DEMO = REPO / "examples" / "demo"
WRITTEN_BY_THE_GUIDE = Path("kommuner") / "exempelby" / "2025-2026"
VALID = "Innehållet är giltigt.\n"
MARKER = re.compile(r"^<!--\s*exempel:(.*?)-->\s*$", re.S)
MARKER_WORDS = {"kör", "fil", "ändrar", "brödtext", "utan", "skapad", "kommando", "bilaga", "scen"}
COMMAND_LANGUAGES = ("sh", "powershell")
FILE_LANGUAGES = ("yaml", "markdown")
# How the guide writes a command on Linux and macOS, and the same command in Windows PowerShell.
BUILD_PY = ".venv/bin/python build.py"
BUILD_PY_WINDOWS = r".venv\Scripts\python build.py"
SCRIPT = re.compile(r"^\./scripts/([\w-]+)(.*)$")
SCRIPT_WINDOWS = re.compile(r"^powershell -ExecutionPolicy Bypass -File scripts\\([\w-]+)\.ps1(.*)$")
# An inline code span that is a command to type; commands belong in blocks, each with its twin. One that ends in
# "…" names a kind of command (`python build.py …`) and is no command to type.
INLINE_COMMAND = re.compile(r"^(\./|\.venv[/\\]|scripts[/\\]|python3? |pip |powershell |build\.py ).*[^…]$")
TOP_LEVEL_KEY = re.compile(r"^([^\s#\-][^:]*):(\s|$)")


@dataclass(frozen=True)
class Fence:
    language: str
    text: str
    line: int  # of the opening fence in the guide, counted from 1
    marker: dict[str, str] | None  # the words of the `exempel` comment right before it


@dataclass
class Example:
    words: dict[str, str]
    line: int
    block: Fence | None = None  # the file or the commands
    printed: Fence | None = None  # what the tool prints

    @property
    def name(self) -> str:
        return f"rad {self.line}"


@dataclass
class Guide:
    fences: list[Fence]
    examples: list[Example]
    loose: list[Fence] = field(default_factory=list)  # blocks that belong to no example but should


def marker_words(comment: str) -> dict[str, str] | None:
    """`<!-- exempel: fil=x ändrar kommando="check --strict" -->` → {"fil": "x", "ändrar": "", "kommando": …}."""
    found = MARKER.match(comment.strip())
    if not found:
        return None
    return dict(word.partition("=")[::2] for word in shlex.split(found[1]))


def read_guide(text: str) -> Guide:
    tokens = MarkdownIt("commonmark").parse(text)
    fences = []
    for index, token in enumerate(tokens):
        if token.type == "fence":
            before = tokens[index - 1] if index else None
            words = marker_words(before.content) if before is not None and before.type == "html_block" else None
            fences.append(Fence(token.info.strip(), token.content, token.map[0] + 1, words))
    return group(fences)


def group(fences: list[Fence]) -> Guide:
    """Each example with its blocks: the commands (and their PowerShell twin) or the file, then what is printed."""
    guide = Guide(fences, [])
    pending = list(fences)
    while pending:
        fence = pending.pop(0)
        example = Example(fence.marker or {}, fence.line)
        if fence.language == "text" and fence.marker is None:
            guide.loose.append(fence)
            continue
        if fence.language in ("sh", *FILE_LANGUAGES):
            example.block = fence
        if fence.language == "sh" and pending and pending[0].language == "powershell":
            pending.pop(0)  # the twin, which test_every_command_has_its_powershell_twin reads
        if fence.language == "text":
            example.printed = fence
        elif pending and pending[0].language == "text" and pending[0].marker is None:
            example.printed = pending.pop(0)
        if fence.marker is not None:
            guide.examples.append(example)
        elif fence.language in FILE_LANGUAGES or example.printed:
            guide.loose.append(fence)
    return guide


THE_GUIDE = read_guide(GUIDE.read_text(encoding="utf-8"))


# The guide's blocks, each where it belongs.


def test_the_examples_use_every_word_of_the_markers_and_no_other() -> None:
    """A misspelt word would make an example something else (`ändra` a whole file), and a word no example uses would
    be untested."""
    assert {word for example in THE_GUIDE.examples for word in example.words} == MARKER_WORDS


def test_every_yaml_and_markdown_block_and_every_printed_text_belongs_to_an_example() -> None:
    assert [f"rad {f.line}: ```{f.language}" for f in THE_GUIDE.loose] == []


@pytest.mark.parametrize("fence", [f for f in THE_GUIDE.fences if f.language == "sh"], ids=lambda f: f"rad {f.line}")
def test_every_command_has_its_powershell_twin(fence: Fence) -> None:
    twin = next((f for f in THE_GUIDE.fences if f.line > fence.line), None)
    assert twin is not None and twin.language == "powershell", f"rad {fence.line}: inget ```powershell-block efter"
    commands, windows = command_lines(fence), command_lines(twin)
    assert len(commands) == len(windows), f"rad {twin.line}: inte samma antal kommandon som rad {fence.line}"
    for command, windows_command in zip(commands, windows, strict=True):
        assert windows_twin(command) == windows_command


@pytest.mark.parametrize(
    "fence", [f for f in THE_GUIDE.fences if f.language == "powershell"], ids=lambda f: f"rad {f.line}"
)
def test_every_powershell_command_names_what_exists(fence: Fence) -> None:
    for command in command_lines(fence):
        if command.startswith(BUILD_PY_WINDOWS):
            setup = (REPO / "scripts" / "setup.ps1").read_text(encoding="utf-8")
            assert "python -m venv .venv" in setup and r".venv\Scripts\python.exe" in setup
        else:
            script = SCRIPT_WINDOWS.match(command)
            assert script, f"rad {fence.line}: `{command}` är inget av guidens två sätt att skriva ett kommando"
            assert (REPO / "scripts" / f"{script[1]}.ps1").is_file()


def command_lines(fence: Fence) -> list[str]:
    return [line.strip() for line in fence.text.splitlines() if line.strip() and not line.startswith("#")]


def windows_twin(command: str) -> str:
    """A Linux or macOS command of the guide as the guide writes it for Windows PowerShell."""
    if command.startswith(BUILD_PY):
        return BUILD_PY_WINDOWS + windows_paths(command.removeprefix(BUILD_PY))
    script = SCRIPT.match(command)
    assert script, f"`{command}` är inget av guidens två sätt att skriva ett kommando"
    assert (REPO / "scripts" / script[1]).is_file()
    return f"powershell -ExecutionPolicy Bypass -File scripts\\{script[1]}.ps1{windows_paths(script[2])}"


def windows_paths(arguments: str) -> str:
    """Folders as Windows writes them, in the arguments that are paths (`examples/demo`), not in dates or periods."""
    return " ".join(a.replace("/", "\\") if "/" in a and not a.startswith("-") else a for a in arguments.split(" "))


def build_py_commands() -> Iterator[object]:
    for fence in THE_GUIDE.fences:
        for command in command_lines(fence) if fence.language in COMMAND_LANGUAGES else ():
            for prefix in (BUILD_PY, BUILD_PY_WINDOWS):
                if command.startswith(prefix + " "):
                    yield pytest.param(shlex.split(command.removeprefix(prefix)), id=f"rad {fence.line}: {command}")


@pytest.mark.parametrize("arguments", list(build_py_commands()))
def test_every_build_py_command_is_accepted_by_the_argument_parser(arguments: list[str]) -> None:
    try:
        parser().parse_args(arguments)
    except SystemExit as refused:
        pytest.fail(f"build.py tar inte emot {arguments} (slutkod {refused.code})")


def test_commands_stand_only_in_command_blocks() -> None:
    tokens = MarkdownIt("commonmark").parse(GUIDE.read_text(encoding="utf-8"))
    inline = [
        f"rad {token.map[0] + 1}: {child.content}"
        for token in tokens
        if token.type == "inline"
        for child in token.children or ()
        if child.type == "code_inline" and INLINE_COMMAND.match(child.content)
    ]
    assert inline == [], "skriv kommandot i ett ```sh-block med ett ```powershell-block efter"


def test_the_guide_installs_only_through_the_scripts_and_their_lock() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    assert "pip install" not in text and "-m venv" not in text
    assert "./scripts/serve" in text and r"scripts\serve.ps1" in text


def test_every_link_within_the_guide_leads_to_a_heading() -> None:
    """As GitHub makes a heading's anchor: lower case, spaces as hyphens, other punctuation left out."""
    text = GUIDE.read_text(encoding="utf-8")
    anchors = {
        re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in re.findall(r"^#+ (.+)$", text, re.M)
    }
    assert [link for link in re.findall(r"\]\(#([^)]+)\)", text) if link not in anchors] == []


def test_the_status_table_lists_exactly_the_statuses_a_follow_up_may_have() -> None:
    text = GUIDE.read_text(encoding="utf-8").split("## Vilken status ska jag välja?")[1].split("\n## ")[0]
    assert re.findall(r"^\| `([^`]+)` \|", text, re.M) == list(get_args(RatingStatus))


# The examples, run.


@dataclass(frozen=True)
class Outcome:
    expected: str
    printed: str


def run(folder: Path, command: str) -> tuple[int, str]:
    """`build.py` with the arguments of `command`, run in-process from `folder`: what it prints on standard error,
    then on standard output, as a terminal shows it. The guide shows it as on Linux and macOS, and says that Windows
    writes the path of a file it made with `\\`."""
    err, out = io.StringIO(), io.StringIO()
    with contextlib.chdir(folder), contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        try:
            code = main(shlex.split(command))
        except SystemExit as refused:  # the argument parser's answer to arguments it does not take
            code = refused.code if isinstance(refused.code, int) else 2
    return code, (err.getvalue() + out.getvalue()).replace(os.sep, "/")


def key_span(lines: list[str], key: str, start: int, end: int) -> tuple[int, int] | None:
    """The lines [first, last) of the top-level `key` within lines [start, end): the key's line and those under it."""
    first = next((i for i in range(start, end) if lines[i].startswith(f"{key}:")), None)
    if first is None:
        return None
    last = first + 1
    while last < end and (not lines[last].strip() or lines[last][0] in " \t-"):
        last += 1
    return first, last


def yaml_lines(lines: list[str]) -> tuple[int, int]:
    """The YAML of a file: its front matter between the `---` lines, or the whole file."""
    if lines and lines[0].strip() == "---":
        return 1, next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    return 0, len(lines)


def set_keys(text: str, part: str) -> str:
    """`text` with each top-level key of `part` in place of its own, or added at the end of its YAML."""
    lines, new = text.splitlines(), part.splitlines()
    starts = [i for i, line in enumerate(new) if TOP_LEVEL_KEY.match(line)] + [len(new)]
    for first, last in itertools.pairwise(starts):
        key = TOP_LEVEL_KEY.match(new[first])[1]
        start, end = yaml_lines(lines)
        span = key_span(lines, key, start, end) or (end, end)
        lines[span[0] : span[1]] = new[first:last]
    return "\n".join(lines) + "\n"


def without_key(text: str, key: str) -> str:
    lines = text.splitlines()
    span = key_span(lines, key, *yaml_lines(lines))
    assert span, f"filen har ingen nyckel `{key}`"
    del lines[span[0] : span[1]]
    return "\n".join(lines) + "\n"


def with_body(text: str, body: str) -> str:
    lines = text.splitlines()
    return "\n".join(lines[: yaml_lines(lines)[1] + 1]) + "\n" + body


class Folders:
    """The guide's content folder and its scenes' folders, as the examples leave them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.main = root / "innehall"
        shutil.copytree(DEMO, self.main, ignore=shutil.ignore_patterns("_site", ".cache"))
        shutil.rmtree(self.main / WRITTEN_BY_THE_GUIDE)
        self.copies = 0

    def of(self, example: Example) -> Path:
        scene = example.words.get("scen")
        if not scene:
            return self.main
        folder = self.root / f"scen-{scene}"
        if not folder.exists():
            shutil.copytree(self.main, folder)
        return folder

    def copy(self, folder: Path) -> Path:
        self.copies += 1
        copy = self.root / f"kopia-{self.copies}"
        shutil.copytree(folder, copy)
        return copy


def run_example(example: Example, folders: Folders) -> Outcome:
    folder = folders.of(example)
    expected = example.printed.text if example.printed else None
    if "kör" in example.words:
        assert example.block is not None and example.block.language == "sh"
        commands = command_lines(example.block)
        assert all(command.startswith(f"{BUILD_PY} ") for command in commands), "bara build.py körs här"
        results = [run(folder, command.removeprefix(BUILD_PY)) for command in commands]
        if expected is None:
            return Outcome(", ".join("slutkod 0" for _ in results), ", ".join(f"slutkod {code}" for code, _ in results))
        return Outcome(expected, "".join(printed for _, printed in results))
    path = PurePosixPath(example.words["fil"])
    written = example.block.text if example.block else ""
    if "skapad" in example.words:
        return Outcome(written, (folder / path).read_text(encoding="utf-8"))
    if set(example.words) & {"ändrar", "brödtext", "utan"}:
        folder = folders.copy(folder)
        old = (folder / path).read_text(encoding="utf-8")
        if "ändrar" in example.words:
            written = set_keys(old, written)
        elif "brödtext" in example.words:
            written = with_body(old, written)
        else:
            written = without_key(old, example.words["utan"])
    (folder / path).parent.mkdir(parents=True, exist_ok=True)
    (folder / path).write_text(written, encoding="utf-8", newline="\n")
    if "bilaga" in example.words:
        (folder / path).with_name(example.words["bilaga"]).write_bytes(b"%PDF-1.7\n%%EOF\n")
    _, printed = run(folder, example.words.get("kommando", "check"))
    return Outcome(expected or VALID, printed)


@dataclass(frozen=True)
class GuideRun:
    folders: Folders
    outcomes: dict[str, Outcome]


@pytest.fixture(scope="module")
def guide_run(tmp_path_factory: pytest.TempPathFactory) -> GuideRun:
    """Every example run in the guide's order, each in the folder the examples before it left."""
    folders = Folders(tmp_path_factory.mktemp("guide"))
    return GuideRun(folders, {example.name: run_or_say_why(example, folders) for example in THE_GUIDE.examples})


def run_or_say_why(example: Example, folders: Folders) -> Outcome:
    """An example that cannot be run (its file is missing, say, after an earlier example failed) fails alone."""
    try:
        return run_example(example, folders)
    except (OSError, AssertionError) as problem:
        return Outcome(example.printed.text if example.printed else VALID, f"kunde inte köras: {problem!r}")


@pytest.mark.parametrize("example", THE_GUIDE.examples, ids=lambda e: e.name)
def test_the_example_prints_what_the_guide_quotes(example: Example, guide_run: GuideRun) -> None:
    outcome = guide_run.outcomes[example.name]
    assert outcome.printed == outcome.expected


def test_what_the_guide_says_a_page_shows_is_what_the_model_makes(guide_run: GuideRun) -> None:
    """The page's words the guide quotes, for its own Exempelby promise and follow-up."""
    site, _ = load_site(guide_run.folders.main, build_date())
    assert site is not None
    promise = next(p for k in site.kommuner if k.slug == "exempelby" for p in k.promises if p.slug == "2025-2026")
    commitments = {c.id: c for c in promise.commitments}
    controls = commitments["trafikkontroller"]
    assert controls.target is not None and controls.progress is not None
    labels = [
        f"Ansvar: {commitments['belysning'].responsibility.label}",
        f"Mål: {controls.target.label}",
        controls.progress.label,
        Progress(3, Target("högst", 5, "inbrott", None), controls.progress.years, so_far=False).label,
    ]
    quoted = re.findall(r"”([^”]+)”", " ".join(GUIDE.read_text(encoding="utf-8").split()))
    assert [label for label in labels if label not in quoted] == []
