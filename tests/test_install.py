"""Reproducible installs: requirements.lock agrees with pyproject.toml and holds every package for Linux and Windows,
every install path takes it, and scripts/setup sets up a fresh Debian/Ubuntu machine (run here with stand-ins for
dpkg, apt-get and python3 that record their arguments, so nothing is really installed)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest
from conftest import REPO
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

LOCK = REPO / "requirements.lock"
PIP_LOCK = REPO / "requirements-pip.lock"
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
PLATFORMS = {
    "Linux": {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix", "platform_machine": "x86_64"},
    "Windows": {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt", "platform_machine": "AMD64"},
}
LOCKED_INSTALLS = ("--require-hashes -r requirements-pip.lock", "--require-hashes -r requirements.lock")
PROJECT_ONLY = "--no-deps -e ."


@dataclass(frozen=True)
class Pin:
    requirement: Requirement
    hashes: int

    @property
    def version(self) -> Version:
        return Version(next(iter(self.requirement.specifier)).version)

    def applies(self, platform: str) -> bool:
        marker = self.requirement.marker
        return marker is None or marker.evaluate(environment(platform))


def environment(platform: str, extra: str = "") -> dict[str, str]:
    """Marker variables of Python 3.11 (the oldest the project supports) on a 64-bit PC with `platform`."""
    return {
        **default_environment(),
        "python_version": "3.11",
        "python_full_version": "3.11.0",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "extra": extra,
        **PLATFORMS[platform],
    }


def read_lock(text: str) -> dict[str, list[Pin]]:
    """The lock's pins by canonical name: each entry with its marker and how many hashes it gives."""
    entries = re.sub(r"\s*\\\n\s*", " ", re.sub(r"#.*", "", text)).splitlines()
    pins: dict[str, list[Pin]] = {}
    for entry in filter(None, map(str.strip, entries)):
        requirement, *hashes = entry.split(" --hash=")
        pin = Pin(Requirement(requirement), len(hashes))
        pins.setdefault(canonicalize_name(pin.requirement.name), []).append(pin)
    return pins


@pytest.fixture(scope="module")
def lock() -> dict[str, list[Pin]]:
    return read_lock(LOCK.read_text(encoding="utf-8"))


def project_requirements() -> list[Requirement]:
    return [Requirement(r) for r in PYPROJECT["dependencies"] + PYPROJECT["optional-dependencies"]["test"]]


def unmet(requirements: list[Requirement], lock: dict[str, list[Pin]], platform: str) -> list[str]:
    """Each of `requirements` that no pin of the lock meets on `platform`."""

    def met(requirement: Requirement) -> bool:
        pins = lock.get(canonicalize_name(requirement.name), [])
        return any(p.applies(platform) and requirement.specifier.contains(p.version, prereleases=True) for p in pins)

    return [f"{r} ({platform})" for r in requirements if not met(r)]


def test_the_lock_pins_every_dependency_of_pyproject_within_its_range(lock) -> None:
    for platform in PLATFORMS:
        assert unmet(project_requirements(), lock, platform) == []


def test_a_lock_without_a_dependency_or_with_a_pin_out_of_range_is_caught(lock) -> None:
    wanted = {canonicalize_name(r.name): r for r in project_requirements()}
    without_yaml = {name: pins for name, pins in lock.items() if name != "pyyaml"}
    assert unmet(project_requirements(), without_yaml, "Linux") == [f"{wanted['pyyaml']} (Linux)"]
    locked_jinja = f"jinja2=={lock['jinja2'][0].version}"
    old_jinja = read_lock(LOCK.read_text(encoding="utf-8").replace(locked_jinja, "jinja2==2.11.3"))
    assert unmet(project_requirements(), old_jinja, "Windows") == [f"{wanted['jinja2']} (Windows)"]


def test_pip_is_locked_at_a_release_that_installs_the_lock() -> None:
    """pip 23.2, which a Python 3.11 venv brings, rejects the hashed lock as soon as fonttools (which WeasyPrint asks
    for with the extra `woff`) has a newer release than the pinned one; 23.3 resolves it. Windows installs the same."""
    (pin,) = read_lock(PIP_LOCK.read_text(encoding="utf-8"))["pip"]
    assert str(pin.requirement.specifier).startswith("==") and pin.hashes > 0
    assert pin.version >= Version("23.3")
    made_by = PIP_LOCK.read_text(encoding="utf-8").splitlines()[3].removeprefix("#").strip()
    assert made_by.startswith("echo pip==") and made_by in (REPO / "docs" / "beroenden.md").read_text(encoding="utf-8")
    setup_ps1 = (REPO / "scripts" / "setup.ps1").read_text(encoding="utf-8")
    assert setup_ps1.index("-r requirements-pip.lock") < setup_ps1.index("-r requirements.lock")


def test_every_pin_is_exact_and_hashed(lock) -> None:
    for pins in lock.values():
        for pin in pins:
            assert str(pin.requirement.specifier).startswith("=="), pin.requirement
            assert pin.hashes > 0, pin.requirement


def test_the_lock_holds_every_package_linux_and_windows_need(lock) -> None:
    """Walks the requirements from pyproject.toml through the metadata of the installed releases, with the markers of
    each platform: every package reached (colorama for tqdm on Windows, say) must be pinned for that platform, within
    the range that asks for it. Only releases installed at the locked version are followed, as the lock was made from
    their metadata; a run on the newest releases (scripts/test --newest) may have others."""
    for platform in PLATFORMS:
        wanted, seen, problems = project_requirements(), set(), []
        while wanted:
            requirement = wanted.pop()
            key = (canonicalize_name(requirement.name), frozenset(requirement.extras))
            if key in seen:
                continue
            seen.add(key)
            problems += unmet([requirement], lock, platform)
            wanted += follow(requirement, lock, platform)
        assert problems == []
        assert {name for name, _ in seen} >= ({"colorama"} if platform == "Windows" else {"pagefind-bin"})


def follow(requirement: Requirement, lock: dict[str, list[Pin]], platform: str) -> list[Requirement]:
    """The requirements of the installed release of `requirement` that apply on `platform` with its extras."""
    name = canonicalize_name(requirement.name)
    try:
        installed = Version(metadata.version(name))
    except metadata.PackageNotFoundError:  # a package of another platform (colorama on Linux)
        return []
    if all(pin.version != installed for pin in lock.get(name, ())):
        return []
    environments = [environment(platform, extra) for extra in {"", *requirement.extras}]
    requirements = [Requirement(r) for r in metadata.requires(name) or ()]
    return [r for r in requirements if r.marker is None or any(map(r.marker.evaluate, environments))]


# Every command that installs Python packages, in every install path a person or CI runs.
INSTALL_PATHS = ["README.md", ".ci/run", *(f"scripts/{p.name}" for p in (REPO / "scripts").iterdir() if p.is_file())]
INSTALL_PATHS += [f".github/workflows/{p.name}" for p in (REPO / ".github" / "workflows").glob("*.yml")]


def pip_installs(text: str) -> list[str]:
    return re.findall(r"pip install[^\n]*", text)


def test_every_install_path_installs_from_the_lock() -> None:
    unlocked = [
        (path, command)
        for path in sorted(INSTALL_PATHS)
        for command in pip_installs((REPO / path).read_text(encoding="utf-8"))
        if not any(locked in command for locked in (*LOCKED_INSTALLS, PROJECT_ONLY))
    ]
    # The one exception is scripts/setup's --newest, which only the weekly workflow asks for (see below and
    # test_workflows.py).
    assert [path for path, _ in unlocked] == ["scripts/setup"]


# Stand-ins for the commands scripts/setup runs. Each records its name and arguments, tab-separated.
RECORD = 'printf %s "$(basename "$0")" >>"$STUB_LOG"; printf "\\t%s" "$@" >>"$STUB_LOG"; echo >>"$STUB_LOG"\n'
STUBS = {
    "record": "",
    "apt-get": "",
    "sudo": 'exec "$@"\n',
    # Installed or not, as the test says.
    "dpkg": 'exit "$STUB_DPKG_STATUS"\n',
    # `-c`: whether ensurepip can be imported (Debian's python3 without python3-venv cannot); `-m venv DIR`: makes
    # DIR with recorders as its python and ruff.
    "python3": """case "$1 $2" in
  "-c "*) exit "$STUB_ENSUREPIP_STATUS" ;;
  "-m venv") mkdir -p "$3/bin" && for tool in python ruff; do cp "$(dirname "$0")/record" "$3/bin/$tool"; done ;;
esac
""",
}


@dataclass(frozen=True)
class Calls:
    lines: list[list[str]]

    def of(self, command: str) -> list[list[str]]:
        return [line[1:] for line in self.lines if line[0] == command]

    def apt_installed(self) -> set[str]:
        installs = [args for args in self.of("apt-get") if "install" in args]
        return {package for args in installs for package in args[args.index("-qq") + 1 :]}


def run_script(tmp_path: Path, script: str, *args: str, installed: bool = False, venv: bool = False) -> Calls:
    """Run a copy of scripts/`script` with the stand-ins first on PATH; `installed`: every Debian package is there;
    `venv`: python3 can make a virtual environment."""
    clone, stubs, log = tmp_path / "clone", tmp_path / "stubs", tmp_path / "calls"
    shutil.copytree(REPO / "scripts", clone / "scripts")
    shutil.copy(LOCK, clone)
    shutil.copy(PIP_LOCK, clone)
    stubs.mkdir()
    for name, body in STUBS.items():
        (stubs / name).write_text(f"#!/bin/sh\n{RECORD}{body}", encoding="utf-8")
        (stubs / name).chmod(0o755)
    env = {
        "PATH": f"{stubs}{os.pathsep}/usr/bin{os.pathsep}/bin",
        "STUB_LOG": str(log),
        "STUB_DPKG_STATUS": "0" if installed else "1",
        "STUB_ENSUREPIP_STATUS": "0" if venv else "1",
    }
    run = subprocess.run(["bash", clone / "scripts" / script, *args], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return Calls([line.split("\t") for line in log.read_text(encoding="utf-8").splitlines()])


PANGO_AND_FONT = {"libpango-1.0-0", "libpangoft2-1.0-0", "fonts-dejavu-core"}
LOCKED = [
    ["-m", "pip", "install", "-q", "--require-hashes", "-r", "requirements-pip.lock"],
    ["-m", "pip", "install", "-q", "--require-hashes", "-r", "requirements.lock"],
    ["-m", "pip", "install", "-q", "--no-deps", "-e", "."],
]


def test_serve_sets_up_a_fresh_debian_machine_then_serves(tmp_path: Path) -> None:
    calls = run_script(tmp_path, "serve", "--content", "examples/demo")
    assert calls.of("apt-get")[0] == ["update", "-qq"]
    assert calls.apt_installed() == PANGO_AND_FONT | {"python3-venv"}  # no chromium: only the tests need it
    assert ["-m", "venv", ".venv"] in calls.of("python3")
    assert calls.of("python") == [*LOCKED, ["build.py", "serve", "--content", "examples/demo"]]


def test_test_sets_up_chromium_too_then_runs_ruff_and_pytest(tmp_path: Path) -> None:
    calls = run_script(tmp_path, "test", "-x", "-m", "not browser")
    assert calls.apt_installed() == PANGO_AND_FONT | {"python3-venv", "chromium"}
    assert calls.of("python") == [*LOCKED, ["-m", "pytest", "-x", "-m", "not browser"]]
    assert calls.of("ruff") == [["check", "."], ["format", "--check", "."]]


def test_setup_installs_nothing_that_is_there(tmp_path: Path) -> None:
    calls = run_script(tmp_path, "setup", installed=True, venv=True)
    assert calls.of("apt-get") == []
    assert calls.of("python") == LOCKED


def test_python3_venv_is_asked_for_only_where_python3_cannot_make_a_venv(tmp_path: Path) -> None:
    assert run_script(tmp_path, "setup", venv=True).apt_installed() == PANGO_AND_FONT


def test_newest_leaves_the_lock_aside_and_says_which_releases_it_tests(tmp_path: Path) -> None:
    calls = run_script(tmp_path, "test", "--newest", "-x", installed=True, venv=True)
    installs = [args for args in calls.of("python") if args[:3] == ["-m", "pip", "install"]]
    assert installs == [["-m", "pip", "install", "-q", "--upgrade", "--upgrade-strategy", "eager", "-e", ".[test]"]]
    assert ["-m", "pip", "freeze", "--exclude-editable"] in calls.of("python")
    assert calls.of("python")[-1] == ["-m", "pytest", "-x"]


def test_the_maintainer_note_gives_the_command_that_made_the_lock() -> None:
    made_by = LOCK.read_text(encoding="utf-8").splitlines()[1].removeprefix("#").strip()
    assert made_by.startswith("uv pip compile pyproject.toml")
    assert made_by in (REPO / "docs" / "beroenden.md").read_text(encoding="utf-8")
