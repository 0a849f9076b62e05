"""Browser tests: the built site in Debian's Chromium (through Playwright) and axe-core.

What a reader with a keyboard, a screen reader, a narrow phone, a printer or JavaScript switched off meets on every
kind of page, that no request leaves the site, and that the site still works when published under a sub-path.
"""

from __future__ import annotations

import itertools
import json
from collections import deque
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from conftest import REPO, serve

from medborgarlofte.cli import main

pytestmark = pytest.mark.browser

# One page of every kind the site has (path relative to the site root).
PAGE_TYPES = {
    "start": "",
    "kommun": "trollhattan/",
    "kommun-utan-period": "ostersund/",
    "lofte": "trollhattan/2021/",
    "lofte-med-bakgrund": "stromstad/2023-2024/",
    "om": "om/",
    "tillganglighet": "tillganglighet/",
    "sa-bedomer-vi": "sa-bedomer-vi/",
    "sok": "sok/",
    "sverige": "sverige/",
    "kommun-utan-lofte": "alingsas/",
    "data": "data/",
    "404": "404.html",
}
KOMMUNER = ("trollhattan/", "stromstad/", "vaggeryd/", "ostersund/")
DOWNLOAD_SUFFIXES = (".pdf", ".json", ".csv", ".docx", ".odt")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
SUB_PATH = "medborgarloften/"
HEADER_BACKGROUND = "rgb(11, 42, 74)"  # --header: #0b2a4a in theme/static/style.css


def axe_violations(page) -> str:
    """axe-core's violations on the page, one per paragraph with the elements it found; empty when none."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    return "\n".join(
        f"{violation['id']} ({violation['impact']}): {violation['help']}\n"
        + "\n".join(f"    {', '.join(map(str, node['target']))}" for node in violation["nodes"])
        for violation in results.response["violations"]
    )


def sideways_overflow(page) -> tuple[int, int, list[str]]:
    """The page's scroll width, its visible width, and up to five elements that stick out to the right."""
    scroll_width, client_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    wider = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
            .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''))"""
    )
    return scroll_width, client_width, wider


page_types = pytest.mark.parametrize("path", list(PAGE_TYPES.values()), ids=list(PAGE_TYPES))


def _promise_paths(site: Path) -> list[str]:
    """Every promise page of a built site: `<kommun>/<löfte>/index.html`."""
    return sorted(
        f"{index.parent.parent.name}/{index.parent.name}/"
        for index in site.glob("*/*/index.html")
        if index.parent.parent.name != "static"
    )


# The page that answers for a kommun without content, as the page tests visit it; `answers_without_content` gives
# the rest of them, which the crawls only ask for.
ANSWER_WITHOUT_CONTENT = "alingsas/"


def answers_without_content(site: Path) -> set[str]:
    """The addresses (from the site's root) of the pages that answer for a kommun without content, but one: a
    template repeated for 286 kommuner, which the crawls check answer without reading each (their links lead only
    to pages every other page links to too)."""
    index = json.loads((site / "hitta-kommun.json").read_text(encoding="utf-8"))
    hrefs = (urlsplit(href).path.strip("/") for *_, href in index["kommuner"])
    paths = {f"{path.rsplit('/', 1)[-1]}/" for path in hrefs}
    return {path for path in paths if not (site / path / "feed.xml").exists()} - {ANSWER_WITHOUT_CONTENT}


@dataclass
class Crawl:
    status: dict[str, int] = field(default_factory=dict)
    # link target -> the first page that linked to it
    linked_from: dict[str, str] = field(default_factory=dict)


def crawl(page, start: str, origin: str, leaves: Collection[str] = ()) -> Crawl:
    """Follow every same-origin `<a href>` from `start`; returns the status of each page visited. The `leaves` (whole
    addresses) are only asked for, not opened and read."""
    result = Crawl()
    queue = deque([start])
    result.linked_from[start] = "(start)"
    while queue:
        url = queue.popleft()
        # A browser downloads these instead of showing them.
        if urlsplit(url).path.endswith(DOWNLOAD_SUFFIXES) or url in leaves:
            result.status[url] = page.request.get(url).status
            continue
        response = page.goto(url)
        assert response is not None, f"{url}: no response"
        result.status[url] = response.status
        if response.status != 200 or "html" not in (response.headers.get("content-type") or ""):
            continue
        hrefs = page.locator("a[href]").evaluate_all("links => links.map(link => link.getAttribute('href'))")
        for href in hrefs:
            target = urldefrag(urljoin(page.url, href)).url
            if urlsplit(target).scheme not in ("http", "https") or not target.startswith(origin + "/"):
                continue
            if target not in result.linked_from:
                result.linked_from[target] = url
                queue.append(target)
    return result


# 1. axe-core


@page_types
def test_axe_finds_no_violations(page, site_url: str, path: str) -> None:
    page.goto(site_url + path)
    assert not (report := axe_violations(page)), f"axe-core found violations on /{path}:\n{report}"


# 2. Skip link


@page_types
def test_first_tab_reaches_visible_skip_link_that_moves_focus_to_main(page, site_url: str, path: str) -> None:
    page.goto(site_url + path)
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => ({cls: document.activeElement.className, text: document.activeElement.textContent.trim()})"
    )
    assert focused == {"cls": "skip-link", "text": "Hoppa till innehållet"}

    skip = page.locator("a.skip-link")
    assert skip.is_visible()
    box = skip.bounding_box()
    viewport = page.viewport_size
    assert box is not None
    assert box["x"] >= 0 and box["y"] >= 0, f"skip link is off-screen when focused: {box}"
    assert box["x"] + box["width"] <= viewport["width"], f"skip link is off-screen when focused: {box}"
    assert box["y"] + box["height"] <= viewport["height"], f"skip link is off-screen when focused: {box}"

    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.closest('main') !== null"), (
        "Enter on the skip link does not move focus into <main>"
    )


# 3. Narrow screens


@page_types
def test_no_horizontal_scroll_at_320_px(browser, site_url: str, path: str) -> None:
    ctx = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        page = ctx.new_page()
        page.goto(site_url + path)
        scroll_width, client_width, wider = sideways_overflow(page)
    finally:
        ctx.close()
    assert scroll_width <= client_width, f"/{path} scrolls sideways at 320 px; too wide: {wider}"


# 4. Without JavaScript


def test_every_kommun_and_promise_reachable_without_javascript(browser, site_url: str, shipped_site: Path) -> None:
    origin = site_url.rstrip("/")
    answers = answers_without_content(shipped_site)
    ctx = browser.new_context(java_script_enabled=False)
    try:
        visited = crawl(ctx.new_page(), site_url, origin, {site_url + path for path in answers}).status
    finally:
        ctx.close()
    promises = _promise_paths(shipped_site)
    assert promises, "the shipped site has no promise pages"
    assert len(answers) == 285
    for path in (*KOMMUNER, *promises, ANSWER_WITHOUT_CONTENT, *answers):
        assert site_url + path in visited, f"/{path} is not reachable by links from the start page"
        assert visited[site_url + path] == 200, f"/{path} returned {visited[site_url + path]}"


# 5. No third-party requests


def test_no_request_leaves_the_local_server(context, site_url: str, shipped_site: Path) -> None:
    origin = site_url.rstrip("/")
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    leaves = {site_url + path for path in answers_without_content(shipped_site)}
    visited = crawl(page, site_url, origin, leaves).status
    page.goto(site_url)
    page.locator("#hitta-fraga").fill("441 30")  # the finder's index is fetched at the first keystroke
    page.wait_for_function("() => document.getElementById('hitta-antal').textContent !== ''")
    assert len(visited) > len(KOMMUNER), f"the crawl found too few pages: {sorted(visited)}"
    outside = sorted({url for url in requests if not url.startswith(origin + "/")})
    assert not outside, f"requests to other hosts: {outside}"


# 6. Published under a sub-path


@pytest.fixture(scope="module")
def sub_path_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The shipped content built for https://example.org/medborgarloften/ and served at /medborgarloften/: the
    address and the built folder."""
    root = tmp_path_factory.mktemp("subpath")
    out = root / SUB_PATH.strip("/")
    code = main(["build", "--content", str(REPO), "--out", str(out), "--base-url", "https://example.org/" + SUB_PATH])
    assert code == 0
    with serve(root) as url:
        yield url + SUB_PATH, out


def test_sub_path_site_links_and_stylesheet_work(context, sub_path_site: tuple[str, Path]) -> None:
    sub_path_url, out = sub_path_site
    origin = sub_path_url[: -len("/" + SUB_PATH)]
    page = context.new_page()
    stylesheet: list[int] = []
    page.on(
        "response",
        lambda response: stylesheet.append(response.status) if response.url.endswith("/style.css") else None,
    )
    result = crawl(page, sub_path_url, origin, {sub_path_url + path for path in answers_without_content(out)})
    broken = {url: (status, result.linked_from[url]) for url, status in result.status.items() if status != 200}
    assert not broken, f"broken links (target: (status, linked from)): {broken}"
    for kommun in KOMMUNER:
        assert sub_path_url + kommun in result.status, f"/{SUB_PATH}{kommun} is not reachable"
    outside = sorted(url for url in result.status if not url.startswith(sub_path_url))
    assert not outside, f"links leave /{SUB_PATH}: {outside}"

    assert stylesheet and all(status in (200, 304) for status in stylesheet), f"style.css: {stylesheet}"
    page.goto(sub_path_url)
    background = page.evaluate("() => getComputedStyle(document.querySelector('.site-header')).backgroundColor")
    assert background == HEADER_BACKGROUND, f"the stylesheet is not applied (header background {background})"


# 7. Structure and focus


@page_types
def test_headings_language_and_landmarks(page, site_url: str, path: str) -> None:
    page.goto(site_url + path)
    assert page.evaluate("() => document.documentElement.lang") == "sv"

    levels = page.evaluate(
        "() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => [+h.tagName[1], h.textContent])"
    )
    assert [level for level, _ in levels].count(1) == 1, f"expected exactly one h1: {levels}"
    assert levels[0][0] == 1, f"the first heading is not the h1: {levels[0]}"
    for (previous, _), (level, text) in itertools.pairwise(levels):
        assert level <= previous + 1, f"heading h{level} {text!r} follows h{previous}, skipping a level"

    assert page.get_by_role("banner").count() == 1
    assert page.get_by_role("navigation", name="Huvudmeny").count() == 1
    assert page.get_by_role("main").count() == 1
    assert page.get_by_role("contentinfo").count() == 1


@page_types
def test_keyboard_focus_is_visible_on_every_link(page, site_url: str, path: str) -> None:
    page.goto(site_url + path)
    links = page.locator("a[href]").count()
    without_indicator = []
    for _ in range(links):
        page.keyboard.press("Tab")
        style = page.evaluate(
            """() => {
                const el = document.activeElement, style = getComputedStyle(el);
                return {tag: el.tagName.toLowerCase(), text: el.textContent.trim(), outline: style.outlineStyle,
                        width: style.outlineWidth, shadow: style.boxShadow};
            }"""
        )
        if style["tag"] != "a":
            continue
        has_outline = style["outline"] != "none" and style["width"] != "0px"
        if not has_outline and style["shadow"] in ("none", ""):
            without_indicator.append(style["text"])
    assert not without_indicator, f"links with no visible focus indicator: {without_indicator}"


# 8. Print


@page_types
def test_print_hides_main_navigation(page, site_url: str, path: str) -> None:
    page.goto(site_url + path)
    nav = page.locator("nav[aria-label=Huvudmeny]")
    assert nav.is_visible()
    page.emulate_media(media="print")
    assert not nav.is_visible(), "the main navigation is printed"
    assert not page.locator("a.skip-link").is_visible()


# 9. Console


@page_types
def test_no_console_errors(page, site_url: str, path: str) -> None:
    errors: list[str] = []
    # The browser asks for /favicon.ico only once per session, so it is checked on its own below.
    page.on(
        "console",
        lambda message: (
            errors.append(f"{message.text} ({message.location.get('url')})")
            if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico")
            else None
        ),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    response = page.goto(site_url + path)
    assert response is not None and response.status == 200
    page.wait_for_load_state("load")
    assert not errors, f"console errors on /{path}: {errors}"


def test_favicon_does_not_404(page, site_url: str) -> None:
    """Browsers ask every site for an icon; without one each first visit logs a 404 error in the console."""
    page.goto(site_url)
    icon = page.locator("link[rel~=icon]")
    # Without a declared icon the browser falls back to /favicon.ico.
    url = urljoin(page.url, icon.first.get_attribute("href")) if icon.count() else site_url + "favicon.ico"
    status = page.request.get(url).status
    assert status == 200, f"the browser's icon request ({url}) returns {status}"
