"""The anchors' pages of `benchmarks/anchors.py` say what this tool's pages say, so that the speed compared is that of
equivalent work: each promise one Markdown page with its front matter, background, commitments with their status
words, follow-ups' summaries and comments; each kommun one page listing its promises.

The expected words are read from the generated content files, not through the converter's model."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO

from medborgarlofte.content.status import BY_KEY


def _anchors(monkeypatch: pytest.MonkeyPatch):
    """The benchmark as a module; registered while it loads, as its dataclasses need."""
    spec = importlib.util.spec_from_file_location("anchors", REPO / "benchmarks" / "anchors.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "anchors", module)
    spec.loader.exec_module(module)
    return module


def _split(text: str) -> tuple[dict, str]:
    _, fields, body = text.split("---\n", 2)
    return yaml.safe_load(fields), body


def test_each_promise_and_kommun_becomes_a_markdown_page_with_the_same_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    anchors = _anchors(monkeypatch)
    root = tmp_path / "innehall"
    anchors.generate(root, 1)
    assert anchors.write_anchor_site(root, tmp_path / "anchors") == (5, 4)
    (folder,) = (root / "kommuner").iterdir()
    name = yaml.safe_load((folder / "kommun.yaml").read_text(encoding="utf-8"))["namn"]
    pages = tmp_path / "anchors" / "content" / folder.name
    source, background = _split((folder / "2021-2022" / "medborgarlofte.md").read_text(encoding="utf-8"))
    fields, body = _split((pages / "2021-2022.md").read_text(encoding="utf-8"))
    assert fields == {"title": source["rubrik"], "kommun": name, "period": "2021–2022", "date": "2021-02-01"}
    assert background.strip() in body
    follow_ups = sorted((folder / "2021-2022" / "uppfoljningar").iterdir())
    ratings = [_split(f.read_text(encoding="utf-8")) for f in follow_ups]
    listed = body.split("## Åtaganden")[1].split("## Uppföljningar")[0]
    for commitment in source["åtaganden"]:
        latest = BY_KEY[ratings[-1][0]["åtaganden"][commitment["id"]]["status"]].label
        assert f"{commitment['text']} " in listed
        assert f"**{latest}**" in next(line for line in listed.splitlines() if commitment["text"] in line)
    for rated, summary in ratings:
        assert summary.strip() in body
        for rating in rated["åtaganden"].values():
            assert f"{BY_KEY[rating['status']].label}" in body
            assert rating["kommentar"] in body
    assert body.count("### Uppföljning ") == len(follow_ups) == 4
    kommun_fields, kommun_body = _split((pages / "_index.md").read_text(encoding="utf-8"))
    assert kommun_fields == {"title": name, "kommun": name, "permalink": f"/{folder.name}/"}  # where Hugo puts it
    for period in ("2019-2020", "2021-2022", "2023-2024", "2025-2026"):
        assert f"](/{folder.name}/{period}/)" in kommun_body


@pytest.mark.parametrize(
    ("journals", "expected"),
    [(["vda-8"], "ext4"), (["vdb-8"], "ext4 without a journal"), ([], "ext4 without a journal")],
)
def test_the_machine_line_says_when_the_disk_has_no_journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, journals: list[str], expected: str
) -> None:
    """Creating files right after many were removed costs several times more on an ext4 without a journal, so the
    table says which kind of disk it was measured on."""
    anchors = _anchors(monkeypatch)
    proc = tmp_path / "proc"
    (proc / "fs" / "jbd2").mkdir(parents=True)
    for name in journals:
        (proc / "fs" / "jbd2" / name).mkdir()
    (proc / "mounts").write_text(f"/dev/vda / ext4 rw 0 0\ntmpfs {tmp_path} tmpfs rw 0 0\n", encoding="utf-8")
    assert anchors.file_system(Path("/"), proc) == expected
    assert anchors.file_system(tmp_path, proc) == "tmpfs"
    assert anchors.file_system(tmp_path, tmp_path / "saknas") == "file system unknown"


# A process that spends `seconds` of its own processor time, however busy the machine is.
BUSY = "import sys, time\nwhile time.process_time() < float(sys.argv[1]):\n    pass\n"


def test_processor_seconds_count_the_processes_a_step_waits_for(monkeypatch: pytest.MonkeyPatch) -> None:
    """A build's workers and Pagefind run as processes and threads under the command that is timed: their processor
    time is part of the step's, and time spent waiting is not."""
    anchors = _anchors(monkeypatch)
    spawns = f"import subprocess, sys\nsubprocess.run([sys.executable, '-c', {BUSY!r}, '0.4'], check=True)\n"
    busy = anchors.measured([[sys.executable, "-c", spawns]])
    assert busy.cpu >= 0.4
    waiting = anchors.measured([[sys.executable, "-c", "import time; time.sleep(0.6)"]])
    assert waiting.seconds >= 0.6
    assert waiting.cpu < 0.45


def test_the_lower_bound_spreads_the_builds_processor_seconds_over_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    anchors = _anchors(monkeypatch)

    def timing(seconds: float, cpu: float) -> object:
        return anchors.Timing(seconds, cpu, 100.0, None, None, None)

    timings = {
        anchors.TOOL_BUILD: timing(12.0, 20.0),
        anchors.HUGO_SEARCH: timing(4.0, 7.0),
        anchors.ELEVENTY_SEARCH: timing(5.0, 8.0),
    }
    assert anchors.lower_bound(timings, 2) == (
        "On 2 cores, this tool's cold build takes at least its processor seconds / 2 = 10.00 s: "
        "2.00× Eleventy + Pagefind and 2.50× Hugo + Pagefind (the targets: 1.0× and 1.5×)."
    )
    rows = anchors.table(timings)
    assert "processor seconds" in rows[0]
    assert rows[2].startswith(f"| {anchors.TOOL_BUILD} | 12.00 | 1.00 | 20.00 | 100 MB |")
    assert rows[3].startswith(f"| {anchors.HUGO_SEARCH} | 4.00 | 0.33 | 7.00 | 100 MB |")
