"""The command line as a user runs it: a real process, its exit code and its output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
    assert "invalid choice" in result.stderr or "ogiltigt val" in result.stderr
