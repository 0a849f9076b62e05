"""Speed against anchors: this tool beside Hugo + Pagefind and Eleventy + Pagefind, building equivalent pages.

    python benchmarks/anchors.py [--kommuner N] [--runs 3] [--pdf] [--keep DIR]

Generates the national content of `national.py` (290 kommuner × 4 promises × 8 commitments × 4 follow-ups; the
first N kommuner with `--kommuner`) in a temporary folder and turns it into equivalent Markdown pages for the anchors:
one page per promise (front matter: title, kommun, period, date; body: the background, the commitments with their
status words, each follow-up's summary and each rating's status and comment, in the words this tool shows) and one
page per kommun listing its promises, all in one simple layout (header, main, footer, `lang="sv"`) for both Hugo and
Eleventy, so that Pagefind indexes the same pages. Then times whole processes, interleaved, the disk flushed before
each step and each output folder removed before a cold build: this tool's cold `build --no-pdf`, Hugo + Pagefind,
Eleventy + Pagefind, Hugo alone, Eleventy alone and this tool's `check`; with `--pdf` also a cold build with PDFs
(empty PDF cache) and the build after it with nothing changed, which must make no PDF. Prints one Markdown table:
seconds (median), ratio to this tool, processor seconds (user and system, all processes), peak memory, pages written
and indexed, and issue 18's targets; and below it the least time the build could take on this machine's cores with
its processor seconds unchanged.

The anchors are installed when missing: Debian's `hugo` (apt-get) and npm's `@11ty/eleventy` (in
`benchmarks/.anchors/`, git-ignored). Pagefind is this project's own binary (the `pagefind[bin]` package), the same for
all three. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))

from national import REPO, file_system, generate, measured, median
from pagefind.service import get_executable

from medborgarlofte.build.content import load_site
from medborgarlofte.content.model import Commitment, FollowUp, Kommun, Promise, RatedCommitment
from medborgarlofte.swedish import format_date

CACHE = Path(__file__).resolve().parent / ".anchors"
ELEVENTY_PACKAGE = "@11ty/eleventy@3"
# One layout for both anchors; `{title}` and `{content}` become each template language's own placeholders.
LAYOUT = """<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – Medborgarlöften</title>
</head>
<body>
<header><a href="/">Medborgarlöften</a></header>
<main data-pagefind-body>
<h1>{title}</h1>
{content}
</main>
<footer><p>Kommunernas och polisens medborgarlöften.</p></footer>
</body>
</html>
"""
# What Pagefind skips, as in this tool's pages; the one raw HTML the pages hold, which Hugo is told to let through.
IGNORED = "data-pagefind-ignore"
HUGO_CONFIG = """baseURL = "http://localhost/"
languageCode = "sv"
disableKinds = ["home", "taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[markup.goldmark.renderer]
unsafe = true
"""
# Markdown goes through no template language in any of the three tools, as in this one.
ELEVENTY_CONFIG = """module.exports = function (eleventyConfig) {
  eleventyConfig.setUseGitIgnore(false);
  eleventyConfig.addGlobalData("layout", "sida.njk");
  return { dir: { includes: "../_includes" }, markdownTemplateEngine: false };
};
"""
PDFS_MADE = re.compile(r"PDF: (\d+) nya")
NOTHING_CHANGED = "Inget har ändrats sedan förra bygget"


# --- The equivalent pages -------------------------------------------------------------------------------------------


def front_matter(fields: dict[str, object]) -> str:
    """YAML front matter both anchors read; values as JSON, which is YAML, so no title can break it."""
    lines = (f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in fields.items())
    return "---\n" + "\n".join(lines) + "\n---\n"


def promise_page(promise: Promise, kommun: Kommun) -> str:
    """A promise as one Markdown page: the words of this tool's promise page, without its charts and filters."""
    period = promise.period.label if promise.period else "Perioden anges inte"
    fields = {"title": promise.title, "kommun": kommun.name, "period": period}
    if promise.signed:
        fields["date"] = promise.signed.isoformat()
    return (
        front_matter(fields)
        + f"{kommun.parties}.\n\n{promise.body.strip()}\n\n"
        + f"## Åtaganden ({len(promise.commitments)})\n\n{''.join(map(commitment_line, promise.commitments))}\n"
        + f"## Uppföljningar\n\n{''.join(map(follow_up_section, promise.follow_ups))}"
    )


def commitment_line(commitment: Commitment) -> str:
    target = f" Mål: {commitment.target.label}." if commitment.target else ""
    return f"- {commitment.text} Ansvar: {commitment.responsibility.label}.{target} **{commitment.status.label}**\n"


def follow_up_section(follow_up: FollowUp) -> str:
    covers = f"Avser: {follow_up.covers}.\n\n" if follow_up.covers else ""
    return (
        f"### Uppföljning {format_date(follow_up.published)}\n\n{covers}"
        f"{follow_up.status_summary.sentence}\n\n{follow_up.summary.strip()}\n\n"
        + "".join(map(rating_line, follow_up.ratings))
        + "\n"
    )


def rating_line(rated: RatedCommitment) -> str:
    """A rating as this tool shows it; as there, the commitment's text, status and outcome are not indexed (the
    search finds them in the list of commitments), its comment is."""
    rating = rated.rating
    outcome = f", utfall {rated.commitment.outcome_label(rating.outcome)}" if rating.outcome is not None else ""
    comment = f" {rating.comment}" if rating.comment else ""
    return f"- <span {IGNORED}>{rated.commitment.text} – {rating.status.label}{outcome}.</span>{comment}\n"


def kommun_page(kommun: Kommun) -> str:
    """A kommun's page: its promises, each with its status summary, linked to the promise's page."""
    # Eleventy's `permalink`; Hugo ignores the field and places a section's `_index.md` there itself.
    fields = {"title": kommun.name, "kommun": kommun.name, "permalink": f"/{kommun.path}"}
    promises = "".join(f"- [{p.title}](/{p.path}): {p.status_summary.sentence}\n" for p in kommun.promises)
    return front_matter(fields) + f"{kommun.parties}.\n\n## Medborgarlöften\n\n{promises}"


def write_anchor_site(root: Path, site_folder: Path) -> tuple[int, int]:
    """The content at `root` as the anchors' source folder; returns the number of pages it makes and of promises."""
    site, diagnostics = load_site(root, date.today())
    if site is None:
        raise SystemExit(f"The generated content has errors: {diagnostics.errors[:3]}")
    content = site_folder / "content"
    pages = promises = 0
    for kommun in site.kommuner:
        folder = content / kommun.slug
        folder.mkdir(parents=True)
        (folder / "_index.md").write_text(kommun_page(kommun), encoding="utf-8")
        for promise in kommun.promises:
            (folder / f"{promise.slug}.md").write_text(promise_page(promise, kommun), encoding="utf-8")
        pages += 1 + len(kommun.promises)
        promises += len(kommun.promises)
    for name in ("single", "list"):
        layout = site_folder / "layouts" / "_default" / f"{name}.html"
        layout.parent.mkdir(parents=True, exist_ok=True)
        layout.write_text(LAYOUT.format(title="{{ .Title }}", content="{{ .Content }}"), encoding="utf-8")
    (site_folder / "_includes").mkdir()
    (site_folder / "_includes" / "sida.njk").write_text(
        LAYOUT.format(title="{{ title }}", content="{{ content | safe }}"), encoding="utf-8"
    )
    (site_folder / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    (site_folder / "eleventy.config.cjs").write_text(ELEVENTY_CONFIG, encoding="utf-8")
    return pages, promises


# --- The anchors ----------------------------------------------------------------------------------------------------


def hugo() -> str:
    """Debian's `hugo`, installed with apt-get when missing (after `apt-get update` if the package is not known)."""
    if not shutil.which("hugo"):
        if shutil.which("apt-get") is None:
            raise SystemExit("Hugo is missing and there is no apt-get: install Hugo (gohugo.io) and run again.")
        install = ["apt-get", "install", "-y", "hugo"]
        if not (_succeeds(install) or (_succeeds(["apt-get", "update"]) and _succeeds(install))):
            raise SystemExit("apt-get could not install Hugo: run `apt-get install hugo` as root, then run again.")
    return shutil.which("hugo") or sys.exit("apt-get installed no `hugo` on the PATH.")


def _succeeds(command: list[str]) -> bool:
    return subprocess.run(command, stdout=subprocess.DEVNULL).returncode == 0


def eleventy() -> str:
    """npm's Eleventy in the git-ignored cache folder, installed when missing."""
    bin_folder = CACHE / "node_modules" / ".bin"
    if not (found := shutil.which("eleventy", path=str(bin_folder))):
        npm = shutil.which("npm") or sys.exit("Eleventy needs Node.js and npm: install them and run again.")
        CACHE.mkdir(exist_ok=True)
        subprocess.run([npm, "install", "--no-audit", "--no-fund", ELEVENTY_PACKAGE], cwd=CACHE, check=True)
        found = shutil.which("eleventy", path=str(bin_folder)) or sys.exit("npm installed no `eleventy`.")
    return found


def pagefind() -> str:
    """This project's own Pagefind binary, so that all three index with the same one."""
    return str(get_executable() or sys.exit("Pagefind's binary is missing: pip install -e . first."))


def version(command: list[str]) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip().splitlines()[0]


# --- The measurement ------------------------------------------------------------------------------------------------

TOOL_BUILD = "this tool, cold `build --no-pdf` (search included)"
HUGO_SEARCH = "Hugo + Pagefind"
ELEVENTY_SEARCH = "Eleventy + Pagefind"
HUGO_ALONE = "Hugo alone"
ELEVENTY_ALONE = "Eleventy alone"
CHECK = "this tool, `check`"
PDF_COLD = "this tool, cold `build` with PDFs (empty PDF cache)"
PDF_WARM = "this tool, `build` with PDFs, nothing changed"


class Timing(NamedTuple):
    """One run of one step; the counts are None where the step writes no site, no index or no PDF."""

    seconds: float
    cpu: float
    memory: float
    html: int | None
    indexed: int | None
    pdfs: int | None


@dataclass(frozen=True)
class Step:
    """One timed step: commands run one after another, the folders emptied before it (none for the build with
    nothing changed), the site folder it writes, and what it must have done: a broken anchor cannot look fast."""

    label: str
    commands: list[list[str]]
    cleared: tuple[Path, ...] = ()
    out: Path | None = None
    pages: int | None = None  # HTML pages it must write
    indexed: int | None = None  # pages Pagefind must index
    pdfs: int | None = None  # PDFs its output must say it made


@dataclass(frozen=True)
class Target:
    """One of issue 18's targets, shown on the row of the step it is measured against."""

    row: str
    text: str
    met: Callable[[dict[str, Timing]], bool]


# The build's time targets: at most this many times each anchor's, the Node one first.
BUILD_TARGETS = {ELEVENTY_SEARCH: 1.0, HUGO_SEARCH: 1.5}


def _build_target(anchor: str, factor: float) -> Target:
    return Target(
        anchor,
        f"this tool's build ≤ {factor:.1f}× this",
        lambda t: t[TOOL_BUILD].seconds <= factor * t[anchor].seconds,
    )


TARGETS = (
    Target(TOOL_BUILD, "peak ≤ 300 MB", lambda t: t[TOOL_BUILD].memory <= 300),
    *(_build_target(anchor, factor) for anchor, factor in BUILD_TARGETS.items()),
    Target(
        ELEVENTY_ALONE, "this tool's `check` ≤ 0.5× this", lambda t: t[CHECK].seconds <= 0.5 * t[ELEVENTY_ALONE].seconds
    ),
)


def html_pages(out: Path) -> int:
    return sum(1 for page in out.rglob("*.html") if "pagefind" not in page.relative_to(out).parts)


def indexed_pages(out: Path) -> int | None:
    """The pages Pagefind indexed, from the entry file it writes; None where there is no index."""
    entry = out / "pagefind" / "pagefind-entry.json"
    if not entry.is_file():
        return None
    return sum(language["page_count"] for language in json.loads(entry.read_text())["languages"].values())


def pdfs_made(output: str) -> int | None:
    """How many PDFs this tool's build says it made; none when it found nothing changed."""
    if NOTHING_CHANGED in output:
        return 0
    made = PDFS_MADE.search(output)
    return int(made.group(1)) if made else None


def run_step(step: Step) -> Timing:
    """Time one step and check that it did its work; stops the benchmark if it did not."""
    for folder in step.cleared:
        shutil.rmtree(folder, ignore_errors=True)
    measurement = measured(step.commands)
    output = measurement.output
    timing = Timing(
        measurement.seconds,
        measurement.cpu,
        measurement.memory,
        html_pages(step.out) if step.out else None,
        indexed_pages(step.out) if step.out else None,
        pdfs_made(output) if step.pdfs is not None else None,
    )
    problems = [
        f"{what}: {found}, expected {expected}"
        for what, found, expected in (
            ("HTML pages", timing.html, step.pages),
            ("pages indexed by Pagefind", timing.indexed, step.indexed),
            ("PDFs made", timing.pdfs, step.pdfs),
        )
        if expected is not None and found != expected
    ]
    if problems:
        raise SystemExit(f"{step.label} did not do its work ({'; '.join(problems)}). Its output:\n{output}")
    return timing


def steps(folder: Path, root: Path, site_folder: Path, pages: int, promises: int, pdf: bool) -> list[Step]:
    """The steps of one round, in the order they are interleaved."""
    tool = [sys.executable, str(REPO / "build.py")]
    hugo_command, eleventy_command, index = hugo(), eleventy(), pagefind()

    def hugo_to(out: Path) -> list[str]:
        return [hugo_command, "--source", str(site_folder), "--destination", str(out), "--quiet"]

    def eleventy_to(out: Path) -> list[str]:
        config, content = site_folder / "eleventy.config.cjs", site_folder / "content"
        return [eleventy_command, f"--config={config}", f"--input={content}", f"--output={out}", "--quiet"]

    def anchor(label: str, generator: Callable[[Path], list[str]], name: str, searched: bool) -> Step:
        """A cold build by an anchor, then, if `searched`, Pagefind over its output as `npx pagefind` runs it."""
        out = folder / "out" / name
        search = [[index, "--site", str(out)]] if searched else []
        return Step(label, [generator(out), *search], (out,), out, pages, pages if searched else None)

    out, out_pdf = folder / "out" / "tool", folder / "out" / "tool-pdf"
    rounds = [
        Step(TOOL_BUILD, [[*tool, "build", "--no-pdf", "--content", str(root), "--out", str(out)]], (out,), out),
        anchor(HUGO_SEARCH, hugo_to, "hugo-pagefind", searched=True),
        anchor(ELEVENTY_SEARCH, eleventy_to, "eleventy-pagefind", searched=True),
        anchor(HUGO_ALONE, hugo_to, "hugo", searched=False),
        anchor(ELEVENTY_ALONE, eleventy_to, "eleventy", searched=False),
        Step(CHECK, [[*tool, "check", "--content", str(root)]]),
    ]
    if pdf:
        build = [*tool, "build", "--content", str(root), "--out", str(out_pdf)]
        rounds.append(Step(PDF_COLD, [build], (out_pdf, root / ".cache"), out_pdf, pdfs=promises))
        rounds.append(Step(PDF_WARM, [build], (), out_pdf, pdfs=0))
    return rounds


def table(timings: dict[str, Timing]) -> list[str]:
    """The Markdown table: each step's median, its ratio to this tool's cold build, and the target shown on it."""
    targets = {target.row: target for target in TARGETS}
    lines = [
        "| step | seconds (median) | ratio to this tool | processor seconds | peak memory | HTML pages | indexed "
        "| target | met |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for label, timing in timings.items():
        target = targets.get(label)
        met = ("met" if target.met(timings) else "not met") if target else ""
        lines.append(
            f"| {label} | {timing.seconds:.2f} | {timing.seconds / timings[TOOL_BUILD].seconds:.2f} "
            f"| {timing.cpu:.2f} | {timing.memory:.0f} MB | {_count(timing.html)} | {_count(timing.indexed)} "
            f"| {target.text if target else '–'} | {met} |"
        )
    return lines


def lower_bound(timings: dict[str, Timing], cores: int) -> str:
    """How fast this tool's build could be on `cores` with its processor seconds unchanged: no scheduling makes a
    step shorter than the work of all its processes spread evenly over the cores. Against the anchors it says
    whether a target can be met by overlapping work or only by doing less of it."""
    floor = timings[TOOL_BUILD].cpu / cores
    ratios = " and ".join(f"{floor / timings[anchor].seconds:.2f}× {anchor}" for anchor in BUILD_TARGETS)
    factors = " and ".join(f"{factor:.1f}×" for factor in BUILD_TARGETS.values())
    return (
        f"On {cores} cores, this tool's cold build takes at least its processor seconds / {cores} = {floor:.2f} s: "
        f"{ratios} (the targets: {factors})."
    )


def _count(value: int | None) -> str:
    return "–" if value is None else str(value)


def machine(folder: Path) -> str:
    """Cores, Python, the three programs' versions and the file system the sites are written to."""
    python = f"{platform.python_implementation()} {platform.python_version()}"
    versions = ", ".join(
        (
            " ".join(version([hugo(), "version"]).split()[:2]),
            f"Eleventy {version([eleventy(), '--version'])}",
            version([pagefind(), "--version"]),
        )
    )
    return (
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, {python}; {versions}; "
        f"folder on {file_system(folder)} (TMPDIR chooses another)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kommuner", type=int, help="only the first N kommuner of the registry (all 290 by default)")
    parser.add_argument("--runs", type=int, default=3, help="rounds of every step; the table shows the medians")
    parser.add_argument("--pdf", action="store_true", help="also a cold build with PDFs and one with nothing changed")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="medborgarlofte-anchors-"))
    compileall.compile_dir(REPO / "medborgarlofte", quiet=1)
    try:
        root = folder / "innehall"
        generate(root, args.kommuner)
        pages, promises = write_anchor_site(root, folder / "anchors")
        rounds = steps(folder, root, folder / "anchors", pages, promises, args.pdf)
        runs: dict[str, list[Timing]] = {step.label: [] for step in rounds}
        for _ in range(args.runs):
            for step in rounds:
                runs[step.label].append(run_step(step))
        print(machine(folder))
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    kommuner = pages - promises
    print(
        f"{kommuner} kommuner × 4 promises × 8 commitments × 4 follow-ups: {pages} equivalent pages "
        f"({promises} promises, {kommuner} kommuner); medians of {args.runs} interleaved runs."
    )
    medians = {label: median(timings) for label, timings in runs.items()}
    print("\n".join(table(medians)))
    print(lower_bound(medians, os.cpu_count() or 1))
    if args.pdf:
        print(
            f"PDFs made, as the tool's output says (checked): {medians[PDF_COLD].pdfs} by the cold build, "
            f"{medians[PDF_WARM].pdfs} by the build with nothing changed."
        )


if __name__ == "__main__":
    main()
