"""The command line as a user runs it: a real process, its exit code and its output."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO

from medborgarlofte.cli import main


def run(*args: str | Path, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_build_py_without_a_command_builds(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    result = run(sys.executable, REPO / "build.py", "--content", FIXTURES / "minimal", "--out", out)
    assert result.returncode == 0, result.stderr
    assert (out / "trollhattan" / "2021" / "index.html").is_file()


def test_build_py_defaults_to_the_current_folder(tmp_path: Path) -> None:
    content = tmp_path / "innehall"
    subprocess.run(["cp", "-r", FIXTURES / "minimal", content], check=True)
    result = run(sys.executable, REPO / "build.py", "build", cwd=content)
    assert result.returncode == 0, result.stderr
    assert (content / "_site" / "index.html").is_file()


def test_console_script_is_installed_and_checks() -> None:
    script = Path(sys.executable).parent / "medborgarlofte"
    result = run(script, "check", "--content", REPO)
    assert result.returncode == 0, result.stderr
    assert "Innehållet är giltigt." in result.stdout


def test_usage_error_exits_2() -> None:
    result = run(sys.executable, REPO / "build.py", "publicera")
    assert result.returncode == 2
    assert "build.py: fel: argumentet {build,check,serve,new,importera}: ogiltigt val: 'publicera'" in result.stderr
    assert result.stderr.startswith("användning: build.py")


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["new", "kommun"], "build.py new kommun: fel: de här argumenten saknas: namn"),
        (["check", "--format", "xml"], "build.py check: fel: argumentet --format: ogiltigt val: 'xml'"),
        (["serve", "--port", "abc"], "build.py serve: fel: argumentet --port: ogiltigt värde: 'abc'"),
        (["check", "--content"], "build.py check: fel: argumentet --content: ett värde saknas"),
        (["build", "--ingen-sadan"], "build.py: fel: okända argument: --ingen-sadan"),
    ],
)
def test_usage_errors_are_in_swedish(arguments: list[str], expected: str) -> None:
    result = run(sys.executable, REPO / "build.py", *arguments)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "error:" not in result.stderr and "usage:" not in result.stderr


def test_help_is_in_swedish() -> None:
    result = run(sys.executable, REPO / "build.py", "check", "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("användning: build.py check")
    assert "flaggor:" in result.stdout and "visa den här hjälpen" in result.stdout


HELP_PAGES = [
    [],
    ["build"],
    ["check"],
    ["serve"],
    ["new"],
    ["new", "kommun"],
    ["new", "löfte"],
    ["new", "uppföljning"],
]
SWEDISH_PLACEHOLDERS = {"MAPP", "ADRESS", "NAMN", "PORT", "PDF", "MM", "DD"}


@pytest.mark.parametrize("command", HELP_PAGES, ids=lambda c: " ".join(c) or "build.py")
def test_help_has_no_english_placeholders(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main([*command, "--help"])
    shown = capsys.readouterr().out
    assert shown.startswith("användning: build.py")
    assert set(re.findall(r"\b[A-Z][A-Z_]+\b", shown)) <= SWEDISH_PLACEHOLDERS, shown


def test_strict_help_says_notices_never_fail(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    assert "notiser (om utkast, som inte publiceras) gör det aldrig" in " ".join(capsys.readouterr().out.split())


def test_serve_no_pdf_says_serve_never_makes_pdfs(cli, content: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("serve", "--no-pdf", "--port", port, "--content", content)
    assert result.code == 2
    assert result.err.startswith("--no-pdf behövs inte: serve gör aldrig PDF:er.\n")
    assert f"porten {port} används redan" in result.err
    assert "användning" not in result.err


def test_out_that_is_a_file_is_called_a_file(cli, content: Path) -> None:
    readme = content / "README.md"
    readme.write_text("# Läs mig\n", encoding="utf-8")
    result = cli("build", "--no-pdf", "--content", content, "--out", readme)
    assert result.code == 2
    assert f"{readme} är en fil, inte en mapp." in result.err
    assert "Mappen" not in result.err
    assert readme.read_text(encoding="utf-8") == "# Läs mig\n"


def _break(content: Path) -> str:
    """Makes one error in the content; returns its file, relative to the content folder, and its line."""
    promise = content / "kommuner" / "trollhattan" / "2021" / "medborgarlofte.md"
    promise.write_text(promise.read_text().replace("ansvar: polisen", "ansvar: regionen"), encoding="utf-8")
    return "kommuner/trollhattan/2021/medborgarlofte.md:15:13"


def test_paths_are_shown_from_the_folder_the_command_runs_in(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    where = _break(content)
    monkeypatch.chdir(content.parent)
    assert main(["check", "--content", content.name]) == 1
    assert f"\n{content.name}/{where}: fel: " in "\n" + capsys.readouterr().err
    assert main(["check", "--format", "github", "--content", content.name]) == 1
    assert f"::error file={content.name}/{where.replace(':15:13', ',line=15,col=13')}" in capsys.readouterr().out
    elsewhere = tmp_path / "någon-annanstans"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert main(["check", "--content", str(content)]) == 1
    assert f"\n{content.as_posix()}/{where}: fel: " in "\n" + capsys.readouterr().err


def test_a_cached_build_shows_its_paths_from_where_it_runs_now(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    promise = content / "kommuner" / "trollhattan" / "2021" / "medborgarlofte.md"
    promise.write_text(promise.read_text().replace("period: 2021\n", ""), encoding="utf-8")
    out = tmp_path / "_site"
    monkeypatch.chdir(content)
    assert main(["build", "--no-pdf", "--content", ".", "--out", str(out)]) == 0
    assert "\nkommuner/trollhattan/2021/medborgarlofte.md:2:1: varning: " in "\n" + capsys.readouterr().err
    monkeypatch.chdir(content.parent)
    assert main(["build", "--no-pdf", "--content", content.name, "--out", str(out)]) == 0
    again = capsys.readouterr()
    assert "Inget har ändrats" in again.out
    assert f"\n{content.name}/kommuner/trollhattan/2021/medborgarlofte.md:2:1: varning: " in "\n" + again.err
