"""`build.py new` and `check --format github` / `--strict`: the communicator's tools around the content."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import REPO

from medborgarlofte.cli import summary
from medborgarlofte.content.diagnostics import Diagnostic, Diagnostics, Severity
from medborgarlofte.content.schema import year_span
from medborgarlofte.swedish import count_noun

DEMO = REPO / "examples" / "demo"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns("_site", ".cache"))
    return root


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def reported(err: str) -> list[tuple[str, int, str]]:
    """(file, line, severity) of each diagnostic printed on stderr."""
    return [(m[1], int(m[2]), m[3]) for m in re.finditer(r"^(\S+?):(\d+):\d+: (fel|varning|notis): ", err, re.M)]


def assert_passes_check_and_strict(cli, root: Path) -> None:
    """`check` and `check --strict` both pass, with nothing worse than a notice."""
    for strict in ((), ("--strict",)):
        result = cli("check", *strict, "--content", root)
        assert result.code == 0, result.err
        assert {severity for _, _, severity in reported(result.err)} <= {"notis"}, result.err


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def test_new_kommun_looks_up_code_and_slug_and_passes_check(cli, demo: Path) -> None:
    result = cli("new", "kommun", "Upplands Väsby", "--lokalpolisområde", "Upplands Väsby", "--content", demo)
    assert result.code == 0, result.err
    path = demo / "kommuner" / "upplands-vasby" / "kommun.yaml"
    assert f"Skapade {path}" in result.out
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data == {"namn": "Upplands Väsby", "kommunkod": "0114", "lokalpolisområde": "Upplands Väsby"}
    assert "# Kommunkoden från SCB" in path.read_text(encoding="utf-8")
    check = cli("check", "--strict", "--content", demo)
    assert check.code == 0, check.err


def test_new_kommun_refuses_an_unknown_name_with_the_nearest(cli, demo: Path) -> None:
    result = cli("new", "kommun", "Trolhättan", "--lokalpolisområde", "Östra Fyrbodal", "--content", demo)
    assert result.code == 2
    assert "Trolhättan finns inte bland Sveriges 290 kommuner. Menade du Trollhättan" in result.err
    assert not (demo / "kommuner" / "trolhattan").exists()


def test_new_kommun_needs_the_police_area(cli, demo: Path) -> None:
    result = cli("new", "kommun", "Falun", "--content", demo)
    assert result.code == 2
    assert "--lokalpolisområde" in result.err


# Every kind and variant of `new`, and the file it writes.
VARIANTS = {
    "kommun": (["kommun", "Upplands Väsby", "--lokalpolisområde", "Upplands Väsby"], "upplands-vasby/kommun.yaml"),
    "löfte, två år": (["löfte", "pahittebo", "2026-2027"], "pahittebo/2026-2027/medborgarlofte.md"),
    "löfte, ett år": (["löfte", "pahittebo", "2026"], "pahittebo/2026/medborgarlofte.md"),
    "löfte, ingen period": (["lofte", "pahittebo"], "pahittebo/medborgarlofte/medborgarlofte.md"),
    "löfte, kommunens namn": (["löfte", "Påhittebo", "2026"], "pahittebo/2026/medborgarlofte.md"),
    "uppföljning, bedömd förut": (
        ["uppföljning", "exempelby", "2025-2026", "--datum", "2026-11-01"],
        "exempelby/2025-2026/uppfoljningar/2026-11-01.md",
    ),
    "uppföljning, aldrig bedömd": (
        ["uppfoljning", "pahittebo", "2024-2025", "--datum", "2025-06-01"],
        "pahittebo/2024-2025/uppfoljningar/2025-06-01.md",
    ),
    "uppföljning, kommunens namn och tankstreck": (
        ["uppföljning", "EXEMPELBY", "2025–2026", "--datum", "2026-11-02"],
        "exempelby/2025-2026/uppfoljningar/2026-11-02.md",
    ),
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_file_new_writes_passes_check_and_strict_as_it_is(cli, demo: Path, variant: str) -> None:
    arguments, written = VARIANTS[variant]
    result = cli("new", *arguments, "--content", demo)
    assert result.code == 0, result.err
    assert (demo / "kommuner" / written).is_file()
    assert_passes_check_and_strict(cli, demo)


def test_new_promise_is_a_valid_draft_that_is_not_published(cli, demo: Path) -> None:
    result = cli("new", "löfte", "pahittebo", "2026-2027", "--content", demo)
    assert result.code == 0, result.err
    path = demo / "kommuner" / "pahittebo" / "2026-2027" / "medborgarlofte.md"
    data = front_matter(path)
    assert data["utkast"] is True
    assert data["period"] == "2026–2027"
    assert data["rubrik"] == "Medborgarlöfte för Påhittebo 2026–2027"
    check = cli("check", "--content", demo)
    assert check.code == 0, check.err
    assert "kommuner/pahittebo/2026-2027/medborgarlofte.md:4:1: notis: Löftet är ett utkast" in check.err
    out = demo.parent / "_site"
    assert cli("build", "--no-pdf", "--content", demo, "--out", out).code == 0
    assert not (out / "pahittebo" / "2026-2027").exists()
    assert "Skriv åtagandet" not in (out / "pahittebo" / "index.html").read_text(encoding="utf-8")


def test_new_promise_for_one_year_is_that_year(cli, demo: Path) -> None:
    assert cli("new", "löfte", "pahittebo", "2026", "--content", demo).code == 0
    data = front_matter(demo / "kommuner" / "pahittebo" / "2026" / "medborgarlofte.md")
    assert data["period"] == 2026
    assert data["rubrik"] == "Medborgarlöfte för Påhittebo 2026"


@pytest.mark.parametrize("written", ['"2021"', "'2021'", "2021", "2021-2021", '" 2021 "'])
def test_a_year_written_as_text_is_a_year(cli, content: Path, written: str) -> None:
    promise = content / "kommuner" / "trollhattan" / "2021" / "medborgarlofte.md"
    promise.write_text(promise.read_text().replace("period: 2021\n", f"period: {written}\n"), encoding="utf-8")
    assert_passes_check_and_strict(cli, content)


@pytest.mark.parametrize(
    ("value", "years"),
    [(2021, (2021, 2021)), ("2021", (2021, 2021)), ("2023–2024", (2023, 2024)), ("2023 - 2024", (2023, 2024))],
)
def test_year_span_reads_a_year_or_two(value: object, years: tuple[int, int]) -> None:
    assert year_span(value) == years


@pytest.mark.parametrize("value", [True, "2024–2023", "1800", "tjugotjugo", "25", 2021.0, None])
def test_year_span_refuses_what_is_no_period(value: object) -> None:
    assert year_span(value) is None


def test_new_promise_without_a_period_says_the_document_names_none(cli, demo: Path) -> None:
    result = cli("new", "löfte", "pahittebo", "--content", demo)
    assert result.code == 0, result.err
    data = front_matter(demo / "kommuner" / "pahittebo" / "medborgarlofte" / "medborgarlofte.md")
    assert data["period"] == "anges inte"
    assert data["rubrik"] == "Medborgarlöfte för Påhittebo"


@pytest.mark.parametrize("name", ["Upplands Väsby", "upplands väsby", "Upplands Vasby", "upplands-vasby"])
def test_new_promise_right_after_new_kommun_by_its_name(cli, demo: Path, name: str) -> None:
    made = cli("new", "kommun", "Upplands Väsby", "--lokalpolisområde", "Upplands Väsby", "--content", demo)
    assert made.code == 0, made.err
    result = cli("new", "löfte", name, "2025-2026", "--content", demo)
    assert result.code == 0, result.err
    path = demo / "kommuner" / "upplands-vasby" / "2025-2026" / "medborgarlofte.md"
    assert front_matter(path)["rubrik"] == "Medborgarlöfte för Upplands Väsby 2025–2026"
    assert_passes_check_and_strict(cli, demo)


def test_kommuner_whose_names_fold_alike_are_told_apart_by_their_names(cli, demo: Path) -> None:
    for name in ("Håbo", "Habo"):
        made = cli("new", "kommun", name, "--lokalpolisområde", name, "--content", demo)
        assert made.code == 0, made.err
    assert cli("new", "löfte", "Håbo", "2026", "--content", demo).code == 0
    assert cli("new", "löfte", "habo", "2026", "--content", demo).code == 0
    assert front_matter(demo / "kommuner" / "habo-0305" / "2026" / "medborgarlofte.md")["rubrik"].endswith("Håbo 2026")
    assert front_matter(demo / "kommuner" / "habo-0643" / "2026" / "medborgarlofte.md")["rubrik"].endswith("Habo 2026")
    either = cli("new", "löfte", "HABO-", "2027", "--content", demo)
    assert either.code == 2
    assert "kan vara flera kommuner: habo-0305, habo-0643" in either.err


@pytest.mark.parametrize("period", ["2030–2029", "tjugotjugo", "25"])
def test_new_promise_refuses_a_bad_period(cli, demo: Path, period: str) -> None:
    result = cli("new", "lofte", "pahittebo", period, "--content", demo)
    assert result.code == 2
    assert "är ingen period" in result.err


def test_new_promise_needs_an_existing_kommun(cli, demo: Path) -> None:
    result = cli("new", "löfte", "falun", "2026", "--content", demo)
    assert result.code == 2
    assert "Kommunen falun finns inte" in result.err
    assert 'python build.py new kommun "falun"' in result.err


def test_new_follow_up_states_no_rating_and_shows_the_latest(cli, demo: Path) -> None:
    result = cli("new", "uppföljning", "exempelby", "2025-2026", "--datum", "2026-11-01", "--content", demo)
    assert result.code == 0, result.err
    path = demo / "kommuner" / "exempelby" / "2025-2026" / "uppfoljningar" / "2026-11-01.md"
    data = front_matter(path)
    assert data["utkast"] is True
    assert str(data["datum"]) == "2026-11-01"
    statuses = {commitment: rating["status"] for commitment, rating in data["åtaganden"].items()}
    assert list(statuses) == [
        "trafikkontroller",
        "skolbesok",
        "foraldramoten",
        "belysning",
        "trygghetsvandringar",
        "grannsamverkan",
    ]
    assert set(statuses.values()) == {"välj"}
    text = path.read_text(encoding="utf-8")
    assert "status: välj  # senast: pågår (15 juni 2026)" in text
    assert "status: välj  # inte bedömt förut" in text
    assert "ej påbörjat, pågår, försenat, delvis genomfört, genomfört eller ej genomfört" in text
    out = demo.parent / "_site"
    assert cli("build", "--no-pdf", "--content", demo, "--out", out).code == 0
    assert 'id="uppfoljning-2026-11-01"' not in (out / "exempelby" / "2025-2026" / "index.html").read_text()


def test_an_unedited_scaffold_is_refused_at_each_placeholder_once_it_is_no_draft(cli, demo: Path) -> None:
    assert cli("new", "löfte", "pahittebo", "2026", "--content", demo).code == 0
    assert cli("new", "uppföljning", "exempelby", "2025-2026", "--datum", "2026-11-01", "--content", demo).code == 0
    placeholders = {
        "pahittebo/2026/medborgarlofte.md": ["id: forsta-atagandet", "Skriv åtagandet som det", "Skriv bakgrunden här"],
        "exempelby/2025-2026/uppfoljningar/2026-11-01.md": ["Skriv en sammanfattning av uppföljningen här."],
    }
    expected = set()
    for file, texts in placeholders.items():
        path = demo / "kommuner" / file
        text = path.read_text(encoding="utf-8").replace("utkast: true\n", "")
        path.write_text(text, encoding="utf-8")
        lines = text.splitlines()
        statuses = {n for n, line in enumerate(lines, 1) if "status: välj" in line}
        expected |= {(f"kommuner/{file}", n, "fel") for n in statuses | {line_of(path, t) for t in texts}}
    assert len(expected) == 4 + 6
    result = cli("check", "--content", demo)
    assert result.code == 1
    assert {r for r in reported(result.err) if r[2] == "fel"} == expected, result.err
    # The scaffold's `källa` is a comment to fill in: left so, a published promise names no source document.
    assert {r for r in reported(result.err) if r[2] != "fel"} == {
        ("kommuner/pahittebo/2026/medborgarlofte.md", 5, "varning")
    }
    assert "fel: Ingen status är vald (`status: välj`)." in result.err
    assert "fel: Sammanfattningen är inte ifylld." in result.err


def test_a_placeholder_beside_new_text_is_still_found(cli, content: Path) -> None:
    promise = content / "kommuner" / "trollhattan" / "2021" / "medborgarlofte.md"
    background = "Skriv bakgrunden här: dialogerna, trygghetsmätningarna och lägesbilden som löftet bygger på."
    promise.write_text(promise.read_text(encoding="utf-8") + f"\nDialoger hölls. {background}\n", encoding="utf-8")
    result = cli("check", "--content", content)
    assert result.code == 1
    expected = ("kommuner/trollhattan/2021/medborgarlofte.md", line_of(promise, background), "fel")
    assert reported(result.err) == [expected], result.err
    assert "Bakgrunden är inte ifylld." in result.err


def test_a_follow_up_filled_in_is_published(cli, demo: Path) -> None:
    assert cli("new", "uppföljning", "exempelby", "2025-2026", "--datum", "2026-11-01", "--content", demo).code == 0
    path = demo / "kommuner" / "exempelby" / "2025-2026" / "uppfoljningar" / "2026-11-01.md"
    text = path.read_text(encoding="utf-8").replace("utkast: true\n", "").replace("status: välj", "status: pågår")
    path.write_text(text.replace("Skriv en sammanfattning av uppföljningen här.", "Arbetet fortsätter."))
    assert_passes_check_and_strict(cli, demo)
    out = demo.parent / "_site"
    assert cli("build", "--no-pdf", "--content", demo, "--out", out).code == 0
    assert 'id="uppfoljning-2026-11-01"' in (out / "exempelby" / "2025-2026" / "index.html").read_text()


def test_a_warning_in_a_draft_is_a_notice_and_strict_fails_only_once_it_is_published(cli, demo: Path) -> None:
    made = cli("new", "uppföljning", "exempelby", "2025-2026", "--datum", "2099-01-01", "--content", demo)
    assert made.code == 0, made.err
    path = demo / "kommuner" / "exempelby" / "2025-2026" / "uppfoljningar" / "2099-01-01.md"
    draft = cli("check", "--strict", "--content", demo)
    assert draft.code == 0, draft.err
    assert "2099-01-01.md:6:8: notis: Uppföljningen är daterad 2099-01-01, efter dagens datum" in draft.err
    text = path.read_text(encoding="utf-8").replace("utkast: true\n", "").replace("status: välj", "status: pågår")
    path.write_text(text.replace("Skriv en sammanfattning av uppföljningen här.", "Arbetet fortsätter."))
    assert cli("check", "--content", demo).code == 0
    published = cli("check", "--strict", "--content", demo)
    assert published.code == 1
    assert "2099-01-01.md:5:8: varning: Uppföljningen är daterad 2099-01-01" in published.err
    assert "1 varning.\nVarningarna räknas som fel (--strict)." in published.err


def test_a_draft_promise_leaves_its_follow_ups_unpublished_too(cli, demo: Path) -> None:
    promise = demo / "kommuner" / "exempelby" / "2025-2026" / "medborgarlofte.md"
    promise.write_text(promise.read_text(encoding="utf-8").replace("---\n", "---\nutkast: true\n", 1))
    follow_up = promise.parent / "uppfoljningar" / "2026-06.md"
    text = follow_up.read_text(encoding="utf-8")
    follow_up.write_text(text.replace("datum: 2026-06-15", "datum: 2099-06-15"), encoding="utf-8")
    result = cli("check", "--strict", "--content", demo)
    assert result.code == 0, result.err
    assert "uppfoljningar/2026-06.md:2:8: notis: Uppföljningen är daterad 2099-06-15" in result.err


def test_an_error_in_a_draft_still_fails(cli, demo: Path) -> None:
    assert cli("new", "löfte", "pahittebo", "2026", "--content", demo).code == 0
    path = demo / "kommuner" / "pahittebo" / "2026" / "medborgarlofte.md"
    path.write_text(path.read_text(encoding="utf-8").replace("# ansvar: polisen", "ansvar: regionen"))
    result = cli("check", "--content", demo)
    assert result.code == 1
    assert ("kommuner/pahittebo/2026/medborgarlofte.md", line_of(path, "ansvar: regionen"), "fel") in reported(
        result.err
    )


def test_new_never_overwrites(cli, demo: Path) -> None:
    path = demo / "kommuner" / "exempelby" / "2025-2026" / "uppfoljningar" / "2026-06.md"
    before = path.read_bytes()
    first = cli("new", "uppföljning", "exempelby", "2025-2026", "--datum", "2026-06-30", "--content", demo)
    assert first.code == 0, first.err
    again = cli("new", "uppföljning", "exempelby", "2025-2026", "--datum", "2026-06-30", "--content", demo)
    assert again.code == 2
    assert "finns redan och skrivs inte över" in again.err
    assert path.read_bytes() == before
    kommun = cli("new", "kommun", "Exempelby", "--lokalpolisområde", "X", "--content", demo)
    assert kommun.code == 2  # not a real kommun


def test_new_follow_up_for_an_unknown_promise(cli, demo: Path) -> None:
    result = cli("new", "uppföljning", "exempelby", "2099", "--content", demo)
    assert result.code == 2
    assert "Löftet exempelby/2099 finns inte" in result.err


def test_github_annotation_format() -> None:
    diagnostic = Diagnostic("kommuner/a b/x.md", 12, 5, Severity.ERROR, "Okänd nyckel `x`: 50% fel,\nny rad", "Tips")
    assert diagnostic.github() == (
        "::error file=kommuner/a b/x.md,line=12,col=5,title=fel%3A kommuner/a b/x.md"
        "::Okänd nyckel `x`: 50%25 fel,%0Any rad Tips: Tips"
    )
    warning = Diagnostic("k.yaml", 1, 1, Severity.WARNING, "Varning, med komma")
    assert warning.github().startswith("::warning file=k.yaml,line=1,col=1,title=varning%3A k.yaml::")


def test_check_prints_github_annotations(cli, content: Path) -> None:
    promise = content / "kommuner" / "trollhattan" / "2021" / "medborgarlofte.md"
    promise.write_text(promise.read_text().replace("ansvar: polisen", "ansvar: regionen"), encoding="utf-8")
    result = cli("check", "--format", "github", "--content", content)
    assert result.code == 1
    assert result.out.startswith(
        "::error file=kommuner/trollhattan/2021/medborgarlofte.md,line=15,col=13,"
        "title=fel%3A kommuner/trollhattan/2021/medborgarlofte.md::`regionen` är inte ett tillåtet värde"
    )


def test_a_notice_is_a_github_notice(cli, demo: Path) -> None:
    assert cli("new", "löfte", "pahittebo", "2026", "--content", demo).code == 0
    result = cli("check", "--strict", "--format", "github", "--content", demo)
    assert result.code == 0, result.out
    assert result.out.startswith(
        "::notice file=kommuner/pahittebo/2026/medborgarlofte.md,line=4,col=1,"
        "title=notis%3A kommuner/pahittebo/2026/medborgarlofte.md::Löftet är ett utkast och publiceras inte."
    )
    assert "::warning" not in result.out and "::error" not in result.out


def test_the_summary_counts_each_severity_in_its_own_number() -> None:
    diagnostics = Diagnostics(Path("."))
    for severity, count in ((Severity.ERROR, 2), (Severity.WARNING, 1), (Severity.NOTICE, 3)):
        for line in range(count):
            diagnostics.add(Path("a.md"), line + 1, 1, "Något.", severity=severity)
    assert summary(diagnostics) == "2 fel, 1 varning, 3 notiser"
    assert [count_noun(n, "notis", "notiser") for n in (0, 1, 2)] == ["0 notiser", "1 notis", "2 notiser"]


def test_strict_makes_warnings_fail(cli, content: Path) -> None:
    promise = content / "kommuner" / "trollhattan" / "2021" / "medborgarlofte.md"
    promise.write_text(promise.read_text().replace("period: 2021\n", ""), encoding="utf-8")
    assert cli("check", "--content", content).code == 0
    strict = cli("check", "--strict", "--content", content)
    assert strict.code == 1
    assert "Varningarna räknas som fel (--strict)." in strict.err
