"""`build.py new` and `check --format github` / `--strict`: the communicator's tools around the content."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import REPO

from medborgarlofte.diagnostics import Diagnostic, Severity

DEMO = REPO / "examples" / "demo"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns("_site", ".cache"))
    return root


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


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
    assert "kommuner/pahittebo/2026-2027/medborgarlofte.md:4:1: varning: Löftet är ett utkast" in check.err
    out = demo.parent / "_site"
    assert cli("build", "--no-pdf", "--content", demo, "--out", out).code == 0
    assert not (out / "pahittebo" / "2026-2027").exists()
    assert "Skriv åtagandet" not in (out / "pahittebo" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("period", ["2030–2029", "tjugotjugo", "25"])
def test_new_promise_refuses_a_bad_period(cli, demo: Path, period: str) -> None:
    result = cli("new", "lofte", "pahittebo", period, "--content", demo)
    assert result.code == 2
    assert "är ingen period" in result.err


def test_new_promise_needs_an_existing_kommun(cli, demo: Path) -> None:
    result = cli("new", "löfte", "falun", "2026", "--content", demo)
    assert result.code == 2
    assert "Kommunen falun finns inte" in result.err


def test_new_follow_up_lists_every_commitment_with_its_latest_status(cli, demo: Path) -> None:
    result = cli("new", "uppföljning", "exempelby", "2025-2026", "--datum", "2026-11-01", "--content", demo)
    assert result.code == 0, result.err
    path = demo / "kommuner" / "exempelby" / "2025-2026" / "uppfoljningar" / "2026-11-01.md"
    data = front_matter(path)
    assert data["utkast"] is True
    assert str(data["datum"]) == "2026-11-01"
    statuses = {commitment: rating["status"] for commitment, rating in data["åtaganden"].items()}
    assert statuses == {
        "trafikkontroller": "pågår",
        "skolbesok": "försenat",
        "foraldramoten": "genomfört",
        "belysning": "genomfört",
        "trygghetsvandringar": "genomfört",
        "grannsamverkan": "ej påbörjat",
    }
    assert "inte bedömt förut: välj status" in path.read_text(encoding="utf-8")
    check = cli("check", "--content", demo)
    assert check.code == 0, check.err
    out = demo.parent / "_site"
    assert cli("build", "--no-pdf", "--content", demo, "--out", out).code == 0
    assert 'id="uppfoljning-2026-11-01"' not in (out / "exempelby" / "2025-2026" / "index.html").read_text()


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


def test_strict_makes_warnings_fail(cli, content: Path) -> None:
    promise = content / "kommuner" / "trollhattan" / "2021" / "medborgarlofte.md"
    promise.write_text(promise.read_text().replace("period: 2021\n", ""), encoding="utf-8")
    assert cli("check", "--content", content).code == 0
    strict = cli("check", "--strict", "--content", content)
    assert strict.code == 1
    assert "Varningarna räknas som fel (--strict)." in strict.err
