"""The GitHub Actions workflows: tests and the content check on pull requests, and publishing main to Pages."""

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


def test_ci_runs_on_every_pull_request_with_read_only_rights(ci) -> None:
    assert "pull_request" in ci["on"]
    assert ci["permissions"] == {"contents": "read"}


def test_ci_runs_exactly_the_readme_test_command(ci) -> None:
    test = ci["jobs"]["test"]
    assert "./scripts/test" in steps(test)
    assert "./scripts/test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "./scripts/test" in (REPO / "README.md").read_text(encoding="utf-8")
    assert test["container"].startswith("python:3.11-bookworm")  # Debian's chromium, as locally


def test_ci_checks_content_strictly_as_github_annotations(ci) -> None:
    assert "python build.py check --strict --format github" in steps(ci["jobs"]["content"])


def test_ci_caches_pip(ci) -> None:
    assert ci["jobs"]["content"]["steps"][1]["with"]["cache"] == "pip"
    cache = next(s for s in ci["jobs"]["test"]["steps"] if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == "~/.cache/pip"


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


def test_deploy_caches_pip_and_the_pdf_cache(deploy) -> None:
    build = deploy["jobs"]["build"]
    assert (
        next(s for s in build["steps"] if s.get("uses", "").startswith("actions/setup-python@"))["with"]["cache"]
        == "pip"
    )
    cache = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == ".cache/pdf"


def test_deploy_sets_a_reproducible_build_date(deploy) -> None:
    assert any("SOURCE_DATE_EPOCH" in u for u in steps(deploy["jobs"]["build"]))
