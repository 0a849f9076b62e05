"""The GitHub Actions workflows: tests and the content check on pull requests (on Linux and Windows), publishing
main to Pages, and the weekly run against the newest releases."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"


def workflow(name: str) -> dict[str, Any]:
    # YAML 1.1 reads the key `on` as True; PyYAML's safe loader is what GitHub's parser agrees with on the rest.
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True)
    return data


def steps(job: dict[str, Any]) -> list[str]:
    return [step.get("uses") or step.get("run") or "" for step in job["steps"]]


@pytest.fixture(scope="module")
def ci() -> dict[str, Any]:
    return workflow("ci.yml")


@pytest.fixture(scope="module")
def deploy() -> dict[str, Any]:
    return workflow("deploy.yml")


@pytest.fixture(scope="module")
def newest() -> dict[str, Any]:
    return workflow("newest.yml")


def step_using(job: dict[str, Any], action: str) -> dict[str, Any]:
    return next(s for s in job["steps"] if s.get("uses", "").startswith(f"{action}@"))


def readme_commands() -> list[str]:
    """The lines of the README's shell blocks that are commands, not comments."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = text.split("```sh\n")[1:]
    return [line for block in blocks for line in block.split("```")[0].splitlines() if not line.startswith("#")]


def test_ci_runs_on_every_pull_request_with_read_only_rights(ci) -> None:
    assert "pull_request" in ci["on"]
    assert ci["permissions"] == {"contents": "read"}


def test_the_readme_gives_the_two_commands_a_newcomer_types() -> None:
    assert readme_commands()[:2] == ["./scripts/serve", "./scripts/test"]


def test_ci_runs_exactly_the_readme_test_command(ci) -> None:
    test = ci["jobs"]["test"]
    assert "./scripts/test" in steps(test)
    assert "./scripts/test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "./scripts/test" in readme_commands()
    assert test["container"].startswith("python:3.11-bookworm")  # Debian's chromium, as locally


def test_ci_checks_content_strictly_as_github_annotations(ci) -> None:
    content = steps(ci["jobs"]["content"])
    assert "python build.py check --strict --format github" in content
    # The python of .venv, set up from the lock, is the one on PATH when the check runs.
    assert content.index("./scripts/setup") < content.index('echo "$PWD/.venv/bin" >> "$GITHUB_PATH"')
    assert content.index('echo "$PWD/.venv/bin" >> "$GITHUB_PATH"') < content.index(
        "python build.py check --strict --format github"
    )


def test_ci_caches_pip_by_the_lock(ci, deploy) -> None:
    for job in (ci["jobs"]["content"], ci["jobs"]["windows"], deploy["jobs"]["build"]):
        assert step_using(job, "actions/setup-python")["with"] == {
            "python-version": "3.11",
            "cache": "pip",
            "cache-dependency-path": "requirements.lock",
        }
    cache = step_using(ci["jobs"]["test"], "actions/cache")
    assert cache["with"]["path"] == "~/.cache/pip"
    assert cache["with"]["key"] == "pip-${{ hashFiles('requirements.lock') }}"


def test_ci_checks_builds_and_tests_on_windows_with_pango_for_the_pdfs(ci) -> None:
    windows = ci["jobs"]["windows"]
    assert windows["runs-on"] == "windows-latest"
    order = steps(windows)
    # Pango from MSYS2 and its DLL folder, as WeasyPrint documents for Windows, so the build makes the PDFs.
    pango = next(u for u in order if "pacman" in u)
    assert "mingw-w64-ucrt-x86_64-pango" in pango
    assert windows["env"]["WEASYPRINT_DLL_DIRECTORIES"] == "C:\\msys64\\ucrt64\\bin"
    commands = ("./scripts/setup.ps1", "python build.py check", "python build.py build", "./scripts/test.ps1")
    assert order.index(pango) < order.index(commands[0])
    assert [order.index(command) for command in commands] == sorted(order.index(command) for command in commands)
    assert not any("--no-pdf" in u for u in order)
    assert "-m 'not browser and not posix'" in (REPO / "scripts" / "test.ps1").read_text(encoding="utf-8")


def test_the_powershell_scripts_are_ascii_for_windows_powershell() -> None:
    # Windows PowerShell 5.1 reads a script without a byte order mark in the ANSI code page.
    for script in sorted((REPO / "scripts").glob("*.ps1")):
        assert script.read_text(encoding="utf-8").isascii(), script.name


def test_the_newest_releases_are_tested_weekly_and_by_hand(newest, ci) -> None:
    assert "cron" in newest["on"]["schedule"][0]
    assert "workflow_dispatch" in newest["on"]
    assert newest["permissions"] == {"contents": "read"}
    job = newest["jobs"]["test"]
    assert steps(job)[-1] == "./scripts/test --newest"
    assert job["container"] == ci["jobs"]["test"]["container"]  # only the Python packages differ from ci.yml


def test_only_the_weekly_workflow_leaves_the_lock_aside() -> None:
    for path in sorted(WORKFLOWS.glob("*.yml")):
        assert ("--newest" in path.read_text(encoding="utf-8")) == (path.name == "newest.yml"), path.name
    assert "--newest" not in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_deploy_publishes_main_with_the_official_pages_actions(deploy) -> None:
    assert deploy["on"]["push"]["branches"] == ["main"]
    assert deploy["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build, publish = deploy["jobs"]["build"], deploy["jobs"]["deploy"]
    used = steps(build)
    assert any(u.startswith("actions/configure-pages@") for u in used)
    assert any(u.startswith("actions/upload-pages-artifact@") for u in used)
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "_site"
    assert publish["needs"] == "build"
    assert publish["environment"]["name"] == "github-pages"
    assert any(u.startswith("actions/deploy-pages@") for u in steps(publish))


def test_deploy_builds_for_the_pages_base_url(deploy) -> None:
    build = deploy["jobs"]["build"]
    pages = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/configure-pages@"))
    command = next(u for u in steps(build) if u.startswith("python build.py build"))
    assert f'--base-url "${{{{ steps.{pages["id"]}.outputs.base_url }}}}/"' in command
    order = steps(build)
    assert (
        order.index(pages["uses"]) < order.index(command) < order.index(next(u for u in order if "upload-pages" in u))
    )


def test_deploy_builds_with_the_locked_versions_and_pango(deploy) -> None:
    order = steps(deploy["jobs"]["build"])
    command = next(u for u in order if u.startswith("python build.py build"))
    venv_first = 'echo "$PWD/.venv/bin" >> "$GITHUB_PATH"'
    assert order.index("./scripts/setup") < order.index(venv_first) < order.index(command)


def test_deploy_keeps_the_pdf_cache(deploy) -> None:
    assert step_using(deploy["jobs"]["build"], "actions/cache")["with"]["path"] == ".cache/pdf"


def test_deploy_sets_a_reproducible_build_date(deploy) -> None:
    assert any("SOURCE_DATE_EPOCH" in u for u in steps(deploy["jobs"]["build"]))
