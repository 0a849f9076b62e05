"""Browser tests for the downloads: the /data/ page and promise pages with download links and an attachment, in
Debian's Chromium through Playwright and axe-core, on screen and printed."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from conftest import FIXTURES, serve
from test_browser import axe_violations
from test_downloads import ATTACHMENT, ATTACHMENT_BYTES, IGNORED, PROMISE_WITH_EXTRAS, build_quietly
from test_validation import PROMISE, write

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def attachment_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The minimal fixture with an attachment, built and served."""
    root = tmp_path_factory.mktemp("bilaga") / "innehall"
    shutil.copytree(FIXTURES / "minimal", root, ignore=IGNORED)
    write(root, PROMISE, PROMISE_WITH_EXTRAS)
    write(root, ATTACHMENT, ATTACHMENT_BYTES)
    out = root.parent / "_site"
    build_quietly(root, out)
    with serve(out) as url:
        yield url


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("path", ["data/", "trollhattan/2021/", "trollhattan/"])
def test_axe_finds_no_violations_on_download_pages(page, site_url: str, path: str) -> None:
    page.goto(site_url + path)
    assert page.locator("a[href$='.json']").count() >= 1, "no downloads on the page"
    assert not (report := axe_violations(page)), f"axe-core on /{path}:\n{report}"


@pytest.mark.parametrize("path", ["trollhattan/2021/", "trollhattan/"])
def test_axe_finds_no_violations_with_an_attachment(page, attachment_url: str, path: str) -> None:
    page.goto(attachment_url + path)
    assert page.locator("a[href$='undertecknat.pdf']").count() == 1
    assert not (report := axe_violations(page)), f"axe-core on /{path}:\n{report}"


def test_download_links_are_reachable_by_keyboard_with_their_size_in_view(page, site_url: str) -> None:
    page.goto(site_url + "trollhattan/2021/")
    links = page.locator("section[aria-labelledby=ladda-ner] a[download]")
    assert links.count() == 3
    for index in range(3):
        link = links.nth(index)
        assert link.is_visible()
        label = link.locator("xpath=following-sibling::span[1]").inner_text()
        assert label.startswith(("(PDF, ", "(JSON, ", "(CSV, ")), label


def test_print_hides_navigation_and_shows_every_commitment(page, site_url: str) -> None:
    """No follow-up rated Trollhättan's 2021 commitments: in print, as on screen, the statement that says so and every
    commitment (the status words of rated ones in print: test_browser_follow_ups.py)."""
    page.goto(site_url + "trollhattan/2021/")
    page.emulate_media(media="print")
    assert not page.locator("nav[aria-label=Huvudmeny]").is_visible(), "the main navigation is printed"
    assert not page.locator("nav.breadcrumbs").is_visible()
    assert page.locator(".unrated-note").is_visible()
    items = page.locator("section[aria-labelledby=ataganden] li[id]")
    assert items.count() == 6
    for index in range(items.count()):
        assert items.nth(index).is_visible(), "a commitment is hidden in print"
    assert page.locator("h1").is_visible()
