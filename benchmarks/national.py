"""National-scale benchmark: every one of the 290 kommuner with 4 promises × 8 commitments × 4 follow-ups.

    python benchmarks/national.py [--keep DIR] [--runs 3]

Generates made-up content for all 290 kommuner of the registry in a temporary folder (never published: the promises
and follow-ups are invented for the measurement), then times whole processes: a cold `build --no-pdf` (search index
included), the same as a reproducible build (`SOURCE_DATE_EPOCH`), `check`, a second build with nothing changed,
and a rebuild after one follow-up changes as `serve` does it; and checks that two builds, and two reproducible
builds, give byte-identical trees. Prints a Markdown table with seconds, pages per second, milliseconds per page
and peak memory, and the file system it wrote to (`TMPDIR=/dev/shm` measures without the disk). Not part of the test
suite.

The tool's modules are compiled to bytecode first, as an installed package's are: where PYTHONDONTWRITEBYTECODE is set
(as on some CI machines), a checkout would otherwise compile them at every start, a twentieth of a second each time.
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple, TypeVar

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from medborgarlofte.content.registry import load_registry  # noqa: E402
from medborgarlofte.content.status import RATING_KEYS  # noqa: E402
from medborgarlofte.content.vocabulary import RESPONSIBILITY_KEYS  # noqa: E402

PERIODS = ((2019, 2020), (2021, 2022), (2023, 2024), (2025, 2026))
AREAS = ("Narkotika", "Trafik", "Trygg miljö", "Unga")
BACKGROUND = (
    "Invånarna har i medborgardialoger och trygghetsmätningar berättat vad som gör dem otrygga. "
    "Kommunen och lokalpolisområdet har tillsammans tagit fram en lägesbild med statistik och iakttagelser. "
)


def promise_text(name: str, start: int, end: int) -> str:
    commitments = []
    for number in range(8):
        target = f"\n    mål: {{antal: {10 * (number + 1)}, enhet: kontroller, per: år}}" if number % 2 == 0 else ""
        commitments.append(
            f"  - id: atagande-{number + 1}\n"
            f"    text: Åtagande {number + 1} i {name} med trafikkontroller, skolbesök och trygghetsvandringar.\n"
            f"    ansvar: {RESPONSIBILITY_KEYS[number % len(RESPONSIBILITY_KEYS)]}\n"
            f"    fokusområde: {AREAS[number % 4]}{target}\n"
        )
    areas = "".join(f"  - {area}\n" for area in AREAS)
    return (
        f"---\nrubrik: Medborgarlöfte för {name} {start}–{end}\nperiod: {start}–{end}\n"
        f"undertecknat: {start}-02-01\nkälla:\n  titel: Medborgarlöfte för {name} {start}–{end}\n"
        f"  utgivare: {name} kommun\nfokusområden:\n{areas}uppföljning: Följs upp två gånger per år.\n"
        f"åtaganden:\n{''.join(commitments)}---\n## Bakgrund\n\n{BACKGROUND * 6}\n\n- narkotika\n- trafik\n"
    )


def follow_up_text(start: int, index: int) -> str:
    day = date(start, 3, 1) + timedelta(days=180 * index)
    ratings = "".join(
        f"  atagande-{n + 1}:\n    status: {RATING_KEYS[(n + index) % len(RATING_KEYS)]}\n"
        + (f"    utfall: {5 * (index + 1)}\n" if n % 2 == 0 else "")
        + "    kommentar: Arbetet fortsätter enligt plan.\n"
        for n in range(8)
    )
    return f"---\ndatum: {day.isoformat()}\navser: Halvår {index + 1}\nåtaganden:\n{ratings}---\nSammanfattning.\n"


def generate(root: Path, kommuner: int | None = None) -> Path:
    """The content tree, of the first `kommuner` of the registry (all 290 by default); returns one follow-up file,
    the one the incremental measurement changes."""
    shutil.copytree(REPO / "content", root / "content")
    registry = load_registry()
    for kommun in list(registry.kommuner.values())[:kommuner]:
        folder = root / "kommuner" / registry.slug(kommun)
        folder.mkdir(parents=True)
        (folder / "kommun.yaml").write_text(
            f'namn: {json.dumps(kommun.name, ensure_ascii=False)}\nkommunkod: "{kommun.code}"\n'
            f"lokalpolisområde: {json.dumps(kommun.name, ensure_ascii=False)}\n",
            encoding="utf-8",
        )
        for start, end in PERIODS:
            promise = folder / f"{start}-{end}"
            (promise / "uppfoljningar").mkdir(parents=True)
            (promise / "medborgarlofte.md").write_text(promise_text(kommun.name, start, end), encoding="utf-8")
            for index in range(4):
                (promise / "uppfoljningar" / f"{index + 1}.md").write_text(
                    follow_up_text(start, index), encoding="utf-8"
                )
    return root / "kommuner" / "ale" / "2025-2026" / "uppfoljningar" / "4.md"


MEASURE = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
outputs = []
for command in json.loads(sys.argv[1]):
    done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", errors="replace")
    outputs.append(done.stdout + done.stderr)
    if done.returncode:
        break
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": done.returncode, "command": command, "seconds": seconds, "peak_kb": usage.ru_maxrss,
                  "cpu": usage.ru_utime + usage.ru_stime, "output": "".join(outputs)}))
"""


class Measurement(NamedTuple):
    """What `measured` reports of a step: wall seconds, the processor seconds (user and system) of all its processes,
    the peak resident memory (MB) of the largest one, and their output."""

    seconds: float
    cpu: float
    memory: float
    output: str


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of one whole process (see `measured`)."""
    measurement = measured([command], env)
    return measurement.seconds, measurement.memory


def measured(commands: list[list[str]], env: dict[str, str] | None = None) -> Measurement:
    """Whole processes run one after another (a generator, then its search indexer), measured from a fresh parent.
    The processor seconds count every process that was waited for: a tool's workers and Pagefind's threads, and
    Hugo's. On shared virtual machines they move less from hour to hour than wall time, and a step on N cores can
    take no less than its processor seconds / N. The disk is flushed first, so
    that a step does not pay for writing out what the steps before it wrote (each cold build writes 120 MB, and on
    this machine's disk a build started with several such builds unflushed takes up to a second more)."""
    os.sync()
    report = subprocess.run(
        [sys.executable, "-c", MEASURE, json.dumps([[str(part) for part in command] for command in commands])],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    result = json.loads(report.stdout)
    if result["code"] != 0:
        raise SystemExit(f"{' '.join(result['command'])} exited with {result['code']}:\n{result['output']}")
    return Measurement(result["seconds"], result["cpu"], result["peak_kb"] / 1024, result["output"])


INCREMENTAL = """
import sys, time
from pathlib import Path
from medborgarlofte.cli import BUNDLED_THEME
from medborgarlofte.preview.live import LiveSite
from medborgarlofte.build.content import build_date
from medborgarlofte.build.pipeline import Options
root, out, changed = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
live = LiveSite(Options(root, BUNDLED_THEME, out, "http://127.0.0.1:8000/", build_date(), False, root / ".cache"))
live.full_build()
times = []
for run in range(5):
    changed.write_text(changed.read_text(encoding="utf-8").replace("Sammanfattning", f"Sammanfattning {run}"))
    started = time.perf_counter()
    live.rebuild({changed}, structural=False)
    times.append(time.perf_counter() - started)
    live.settle()  # the search index follows in the background; a person saves again seconds later, not at once
print(sorted(times)[len(times) // 2])
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--runs", type=int, default=3, help="runs of each step; the table shows the median")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="medborgarlofte-national-"))
    compileall.compile_dir(REPO / "medborgarlofte", quiet=1)
    try:
        changed = generate(folder / "innehall")
        root = folder / "innehall"
        tool = [sys.executable, str(REPO / "build.py")]
        build = [*tool, "build", "--no-pdf", "--content", str(root), "--out"]
        check = [*tool, "check", "--content", str(root)]
        # Each cold build into a folder of its own: no earlier output, no record of an earlier build.
        cold = median([timed([*build, str(folder / f"_site_{run}")]) for run in range(args.runs)])
        out = folder / "_site_0"
        checked = median([timed(check) for _ in range(args.runs)])
        again = median([timed([*build, str(out)]) for _ in range(args.runs)])
        same_machine = all(tree(out) == tree(folder / f"_site_{run}") for run in range(1, args.runs))
        epoch = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
        reproducible = median([timed([*build, str(folder / f"_site_r{run}")], epoch) for run in range(2)])
        any_machine = tree(folder / "_site_r0") == tree(folder / "_site_r1")
        incremental = subprocess.run(
            [sys.executable, "-c", INCREMENTAL, str(root), str(folder / "_live"), str(changed)],
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO,
        )
        one_follow_up = float(incremental.stdout.strip().splitlines()[-1])
        pages = sum(1 for _ in out.rglob("*.html"))
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    python = f"{platform.python_implementation()} {platform.python_version()}"
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, {python}; {pages} HTML pages")
    print(f"Folder: {folder} ({file_system(folder)}; TMPDIR chooses another)")
    print("| step | seconds | pages/s | ms/page | peak memory | target |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for label, (seconds, memory), target in (
        ("cold `build --no-pdf` (search included)", cold, "≤ 5 s"),
        ("cold `build --no-pdf`, reproducible (`SOURCE_DATE_EPOCH`)", reproducible, "–"),
        ("`check`", checked, "≤ 2 s"),
        ("`build --no-pdf`, nothing changed", again, "≤ 1.5 s"),
    ):
        print(
            f"| {label} | {seconds:.2f} | {pages / seconds:.0f} | {1000 * seconds / pages:.2f} | {memory:.0f} MB "
            f"| {target} |"
        )
    print(f"| one follow-up changed, `serve` rebuild (median of 5) | {one_follow_up:.3f} | – | – | – | ≤ 0.3 s |")
    print(f"Medians of {args.runs} runs (reproducible build: of 2).")
    print(f"Cold builds byte-identical: {_yes(same_machine)}; two reproducible builds: {_yes(any_machine)}.")


def file_system(folder: Path, proc: Path = Path("/proc")) -> str:
    """The type of the file system the folder is on (Linux): writing thousands of files costs far more on some disks
    than in memory, so the figures say where they were written. An ext4 without a journal is named so: it allocates
    a new file's inode past every inode freed in the last minutes, reading each one's table block on the way, so
    creating files soon after many were removed costs several times more system time (docs/prestanda.md)."""
    try:
        mounts = [line.split()[:3] for line in (proc / "mounts").read_text().splitlines()]
    except OSError:
        return "file system unknown"
    inside = [(point, device, kind) for device, point, kind in mounts if folder.resolve().is_relative_to(point)]
    if not inside:
        return "file system unknown"
    _, device, kind = max(inside, key=lambda mount: len(mount[0]))
    if kind == "ext4" and not _journalled(proc, Path(device).name):
        return "ext4 without a journal"
    return kind


def _journalled(proc: Path, device: str) -> bool:
    """Whether the kernel runs a journal for the device: jbd2 lists each journal as `<device>-<inode>`."""
    try:
        return any(entry.name.startswith(f"{device}-") for entry in (proc / "fs" / "jbd2").iterdir())
    except OSError:
        return True  # unknown: say no more than "ext4"


Run = TypeVar("Run", bound=tuple)


def median(runs: list[Run]) -> Run:
    """The run with the median time (its memory with it): runs are tuples whose first item is the seconds."""
    return sorted(runs)[len(runs) // 2]


def _yes(same: bool) -> str:
    return "yes" if same else "NO"


def tree(root: Path) -> dict[str, str]:
    """Every file of a built site by path, as a SHA-256 of its bytes."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


if __name__ == "__main__":
    main()
