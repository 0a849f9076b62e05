"""The command line as a user runs it: a real process, its exit code and its output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO


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
    assert "build.py: fel: argumentet {build,check,serve,new}: ogiltigt val: 'publicera'" in result.stderr
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
