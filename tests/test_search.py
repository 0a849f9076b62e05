"""Search (Pagefind) in Debian's Chromium through Playwright, and a build whose Pagefind run fails.

The search page /sok/ searches as you type, announces the number of hits in a live region and in the page's title,
filters and sorts; without JavaScript it explains why and lists every kommun and page instead. Only kommun and
promise pages are indexed: never the navigation, the footer or the search page itself, and a kommun page only with
its own text, so that each promise is found once. A kommun's name, an ort or a postal code first finds the kommun
itself, from the finder's data (places.py). All of it also under a sub-path.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from conftest import REPO, indexed, serve
from test_browser import AXE_TAGS, KOMMUNER, SUB_PATH

from medborgarlofte.build import write
from medborgarlofte.build.content import load_site
from medborgarlofte.build.pipeline import Options, build
from medborgarlofte.cli import BUNDLED_THEME, main

browser_test = pytest.mark.browser

# Pages that are not kommun or promise pages and must never be search results (paths relative to the site root).
NOT_INDEXED = ("", "om/", "tillganglighet/", "sa-bedomer-vi/", "sok/", "data/", "404.html")
PROMISE_FILES = sorted((REPO / "kommuner").glob("*/*/medborgarlofte.md"))
# Seconds a failing build may take before the test calls it hung.
BUILD_TIMEOUT = 90


@dataclass(frozen=True)
class Site:
    url: str  # the site's root URL, ending in /
    directory: Path  # the built site on disk

    @property
    def path(self) -> str:
        """The path the site is published under: "/" or "/medborgarloften/"."""
        return urlsplit(self.url).path

    def file(self, href: str) -> Path:
        """The built file behind a link on the site (a path like /trollhattan/2021/)."""
        relative = urlsplit(href).path.removeprefix(self.path)
        return self.directory / (relative + "index.html" if relative.endswith("/") or not relative else relative)


@pytest.fixture(scope="module")
def root_site(shipped_site: Path, site_url: str) -> Site:
    return Site(site_url, shipped_site)


@pytest.fixture(scope="module")
def sub_path_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The shipped content built for https://example.org/medborgarloften/ into tmp/medborgarloften, tmp/ served."""
    root = tmp_path_factory.mktemp("sok-undersokvag")
    out = root / SUB_PATH.strip("/")
    code = main(["build", "--content", str(REPO), "--out", str(out), "--base-url", "https://example.org/" + SUB_PATH])
    assert code == 0
    with serve(root) as url:
        yield Site(url + SUB_PATH, out)


@pytest.fixture(params=["rot", "undersokvag"])
def any_site(request: pytest.FixtureRequest) -> Site:
    """The site published at the root of its host, and the same site under /medborgarloften/."""
    return request.getfixturevalue("root_site" if request.param == "rot" else "sub_path_site")


@pytest.fixture
def no_js_page(browser) -> Iterator[object]:
    ctx = browser.new_context(java_script_enabled=False)
    yield ctx.new_page()
    ctx.close()


# Helpers


def open_search(page, site: Site) -> None:
    """Open /sok/ and wait until Pagefind has loaded (the filters and the sort menu are made from its index)."""
    from playwright.sync_api import expect

    response = page.goto(site.url + "sok/")
    assert response is not None and response.status == 200
    expect(page.locator("#sok-sortering")).to_be_attached()


def type_query(page, text: str) -> None:
    """Really type `text` into the search field (key by key, no submit) and wait for the live region to report
    the search for the whole text."""
    from playwright.sync_api import expect

    page.locator("#sok-fraga").press_sequentially(text)
    expect(page.locator("#sok-antal")).to_contain_text(f"”{text}”")


def results(page) -> list[dict]:
    """Every result in the list: link (href, text), meta line, status line, the highlighted words of its excerpt,
    and whether it is a kommun the finder answers with ("kommun") or a page Pagefind found ("sida")."""
    return page.locator("#sok-resultat > li").evaluate_all(
        """items => items.map(li => {
            const link = li.querySelector(':scope > h2 > a');
            const excerpt = li.querySelector(':scope > .excerpt');
            const text = selector => (li.querySelector(selector) || {textContent: ''}).textContent.trim();
            return {
                kind: li.classList.contains('result-kommun') ? 'kommun' : 'sida',
                href: link && link.getAttribute('href'),
                title: link ? link.textContent.trim() : '',
                meta: text(':scope > .result-meta'),
                status: text(':scope > .result-status'),
                excerpt: excerpt ? excerpt.textContent : null,
                marks: excerpt ? [...excerpt.querySelectorAll('mark')].map(mark => mark.textContent.trim()) : [],
            };
        })"""
    )


def pages(page) -> list[dict]:
    """The results Pagefind found, without the kommuner the finder answers with on top."""
    return [result for result in results(page) if result["kind"] == "sida"]


def count_text(page) -> str:
    return page.locator("#sok-antal").text_content().strip()


def stated_count(text: str) -> int:
    """The number of hits the live region says are shown."""
    best = re.search(r"De (\d+) bästa visas", text)
    if best:
        return int(best.group(1))
    if text.startswith("Inga träffar"):
        return 0
    match = re.match(r"(\d+) träff(?:ar)?\b", text)
    assert match, f"the live region states no number: {text!r}"
    return int(match.group(1))


@contextlib.contextmanager
def new_render(page) -> Iterator[None]:
    """Wait, after the body of the `with`, until the search has rendered again (the live region is rewritten on
    every render, even when its text stays the same)."""
    page.evaluate(
        """() => {
            window.__rendered = false;
            const observer = new MutationObserver(() => { window.__rendered = true; observer.disconnect(); });
            const options = {childList: true, characterData: true, subtree: true};
            observer.observe(document.getElementById('sok-antal'), options);
        }"""
    )
    yield
    page.wait_for_function("() => window.__rendered")


def datum(site: Site, href: str) -> str:
    """A result's sort key, as the model hands it to the search index."""
    shipped, _ = load_site(REPO, date.today())
    assert shipped is not None
    relative = urlsplit(href).path.removeprefix(site.path)
    for kommun in shipped.kommuner:
        for item in (kommun, *kommun.promises):
            if item.path == relative:
                return item.search.sort_date
    raise AssertionError(f"{href} is neither a kommun nor a promise")


def indexed_paths(site: Site) -> set[str]:
    """Paths (like /trollhattan/2021/) of the pages in the search index."""
    return {site.path + url.removeprefix("/") for url in indexed(site.directory)}


def axe_violations(page) -> str:
    """axe-core's violations on the page as it is now, as a report ("" when there are none)."""
    from axe_playwright_python.sync_playwright import Axe

    response = (
        Axe()
        .run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
        .response
    )
    return "\n".join(
        f"{violation['id']} ({violation['impact']}): {violation['help']}\n"
        + "\n".join(f"    {', '.join(map(str, node['target']))}" for node in violation["nodes"])
        for violation in response["violations"]
    )


def swedish_key(name: str) -> list[int]:
    """Swedish alphabetical order: å, ä, ö after z."""
    order = "abcdefghijklmnopqrstuvwxyzåäö"
    name = name.lower().replace("é", "e").replace("ü", "y")
    return [order.index(c) if c in order else ord(c) + len(order) for c in name]


# 1. Results as you type


@browser_test
def test_typing_lists_results_with_linked_headings_and_highlights(page, root_site: Site) -> None:
    from playwright.sync_api import expect

    open_search(page, root_site)
    documents: list[str] = []
    page.on("request", lambda request: documents.append(request.url) if request.resource_type == "document" else None)

    # Results appear while typing: the first letters already find pages, no submit needed.
    page.locator("#sok-fraga").press_sequentially("narko")
    expect(page.locator("#sok-antal")).to_contain_text("”narko”")
    assert results(page), f"no results while typing “narko”: {count_text(page)!r}"
    page.locator("#sok-fraga").press_sequentially("tika")
    expect(page.locator("#sok-antal")).to_contain_text("”narkotika”")

    assert not documents, f"typing loaded a new page (a submit?): {documents}"
    assert urlsplit(page.url).path == "/sok/"
    found = results(page)
    metas = [result["meta"] for result in found]
    assert any(meta.startswith("Trollhättan") for meta in metas), f"no Trollhättan result: {metas}"
    assert any(meta.startswith("Strömstad") for meta in metas), f"no Strömstad result: {metas}"
    for result in found:
        assert result["href"] and result["title"], f"a result without a link in its heading: {result}"
        assert re.fullmatch(r"[^·]+ · [^·]+", result["meta"]), f"meta is not “Kommun · Period”: {result}"
        assert result["excerpt"], f"a result without an excerpt: {result}"
        assert any("narkotik" in mark.lower() for mark in result["marks"]), f"nothing highlighted: {result}"
    # Every result link leads to a page that exists.
    for result in found:
        status = page.request.get(urljoin(page.url, result["href"])).status
        assert status == 200, f"{result['href']} returns {status}"


@browser_test
def test_address_query_and_header_form_show_results(page, root_site: Site) -> None:
    """The header's search box on any page leads to /sok/?q=…, which searches for q at once."""
    from playwright.sync_api import expect

    page.goto(root_site.url + "trollhattan/")
    page.locator("#sidsok").fill("narkotika")
    with page.expect_navigation():
        page.locator("#sidsok").press("Enter")
    assert page.url == root_site.url + "sok/?q=narkotika"
    expect(page.locator("#sok-antal")).to_contain_text("”narkotika”")
    expect(page.locator("#sok-fraga")).to_have_value("narkotika")
    assert results(page)
    expect(page.locator("#sok-utan-js")).to_be_hidden()


# 2. The live region


@browser_test
def test_result_count_is_announced_in_a_polite_live_region(page, root_site: Site) -> None:
    from playwright.sync_api import expect

    open_search(page, root_site)
    region = page.locator("#sok-antal")
    assert region.get_attribute("role") == "status"
    assert region.get_attribute("aria-live") == "polite"
    # The region is rendered (not hidden) and empty before the first search, so the first result is announced.
    expect(page.locator("#sok-med-js")).to_be_visible()
    assert region.evaluate("el => getComputedStyle(el).display !== 'none' && !el.closest('[hidden]')")
    assert count_text(page) == ""

    type_query(page, "narkotika")
    text = count_text(page)
    assert re.fullmatch(r"\d+ träff(ar)? för ”narkotika”\.( De \d+ bästa visas\.)?", text), text
    assert stated_count(text) == page.locator("#sok-resultat > li").count() > 0, text

    page.locator("#sok-fraga").fill("")
    page.locator("#sok-fraga").press_sequentially("kakor")
    expect(region).to_have_text("Inga träffar för ”kakor”.")
    assert page.locator("#sok-resultat > li").count() == 0


# 3. Filters


@browser_test
def test_kommun_filter_narrows_to_one_kommun_and_unchecking_restores(page, root_site: Site) -> None:
    from playwright.sync_api import expect

    open_search(page, root_site)
    type_query(page, "narkotika")
    before, before_count = results(page), count_text(page)
    assert {r["meta"].split(" · ")[0] for r in before} > {"Strömstad"}, "the search should hit more than Strömstad"

    details = page.locator("details.search-filters")
    details.locator("summary").click()
    expect(details).to_have_attribute("open", "")
    groups = page.locator("#sok-filter fieldset legend").all_text_contents()
    assert groups[:2] == ["Kommun", "Län"], groups
    kommun = page.get_by_role("group", name="Kommun").get_by_role("checkbox", name=re.compile(r"^Strömstad\b"))
    with new_render(page):
        kommun.check()
    filtered = results(page)
    assert filtered, f"no results with the Strömstad filter: {count_text(page)!r}"
    assert all(r["meta"].startswith("Strömstad") for r in filtered), [r["meta"] for r in filtered]
    assert sorted(r["href"] for r in filtered) == sorted(r["href"] for r in before if r["meta"].startswith("Strömstad"))
    assert stated_count(count_text(page)) == len(filtered), count_text(page)
    assert "narkotika=" not in page.url

    with new_render(page):
        kommun.uncheck()
    assert sorted(r["href"] for r in results(page)) == sorted(r["href"] for r in before)
    assert count_text(page) == before_count


@browser_test
def test_filter_without_a_query_lists_the_kommuns_promises(page, root_site: Site) -> None:
    """A filter narrows the promises: the kommun page, found by its own text only, carries none of their filters."""
    open_search(page, root_site)
    page.locator("details.search-filters > summary").click()
    with new_render(page):
        page.get_by_role("group", name="Kommun").get_by_role("checkbox", name=re.compile(r"^Strömstad\b")).check()
    found = results(page)
    strömstad = {f"/stromstad/{path.parent.name}/" for path in PROMISE_FILES if path.parent.parent.name == "stromstad"}
    assert strömstad and {p for p in indexed_paths(root_site) if p.startswith("/stromstad/")} > strömstad
    assert sorted(r["href"] for r in found) == sorted(strömstad)
    assert stated_count(count_text(page)) == len(found)


@browser_test
def test_ansvar_filter_anges_inte_finds_the_pages_with_a_commitment_whose_document_names_nobody(
    page, root_site: Site
) -> None:
    """Expected pages from the content files: the promises with a commitment without `ansvar`."""
    matters = {path: yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1]) for path in PROMISE_FILES}
    promises = {
        f"/{path.parent.parent.name}/{path.parent.name}/"
        for path, matter in matters.items()
        if any("ansvar" not in c for c in matter["åtaganden"])
    }
    assert promises, "the shipped content should have a commitment without ansvar"
    open_search(page, root_site)
    page.locator("details.search-filters > summary").click()
    ansvar = page.get_by_role("group", name="Ansvar")
    assert ansvar.get_by_role("checkbox").evaluate_all("boxes => boxes.map(box => box.value)") == [
        "Anges inte",
        "Gemensamt",
        "Kommunen",
        "Polisen",
    ]
    with new_render(page):
        ansvar.get_by_role("checkbox", name=re.compile(r"^Anges inte\b")).check()
    found = [r["href"] for r in results(page)]
    assert sorted(found) == sorted(promises)
    assert stated_count(count_text(page)) == len(found)


# 4. Swedish inflections

INFLECTIONS = [
    # (typed, a page it must find, a highlighted word on that page)
    ("trafikkontroll", "/stromstad/2023-2024/", "trafikkontroller"),
    ("trafikkontrollerna", "/stromstad/2023-2024/", "trafikkontroller"),
    ("narkotikan", "/stromstad/2023-2024/", "narkotika"),
    ("kommunens", "/vaggeryd/medborgarlofte/", "kommun"),
    ("trygghetsvandringarna", "/stromstad/2023-2024/", "trygghetsvandringar"),
    ("medborgardialogen", "/stromstad/2023-2024/", "medborgardialoger"),
]


@browser_test
@pytest.mark.parametrize(("typed", "href", "word"), INFLECTIONS, ids=[typed for typed, _, _ in INFLECTIONS])
def test_inflected_form_finds_the_stem(page, root_site: Site, typed: str, href: str, word: str) -> None:
    text = root_site.file(href).read_text(encoding="utf-8").lower()
    assert re.search(rf"(?<!\w){word}(?!\w)", text), f"{href} no longer says “{word}”"
    assert not re.search(rf"(?<!\w){typed}(?!\w)", text), f"{href} says “{typed}” itself: pick another form"
    open_search(page, root_site)
    type_query(page, typed)
    found = {r["href"]: r for r in results(page)}
    assert href in found, f"“{typed}” does not find {href}: {count_text(page)!r}, {sorted(found)}"
    marks = [mark.lower().strip(".,;:()”“") for mark in found[href]["marks"]]
    assert word in marks, f"“{typed}” does not highlight “{word}” on {href}: {found[href]['marks']}"


# 5. Sorting


@browser_test
def test_sort_newest_and_oldest_first(page, root_site: Site) -> None:
    open_search(page, root_site)
    type_query(page, "Trollhättan")
    best = [r["href"] for r in pages(page)]
    assert {"/trollhattan/2021/", "/trollhattan/2025-2026/"} <= set(best), best

    page.locator("details.search-filters > summary").click()
    with new_render(page):
        page.locator("#sok-sortering").select_option(label="Nyast först")
    newest = [r["href"] for r in pages(page)]
    dates = [datum(root_site, href) for href in newest]
    assert sorted(newest) == sorted(best), "sorting changed which pages are found"
    assert dates == sorted(dates, reverse=True), f"not newest first: {list(zip(newest, dates, strict=True))}"
    assert newest.index("/trollhattan/2025-2026/") < newest.index("/trollhattan/2021/")

    with new_render(page):
        page.locator("#sok-sortering").select_option(label="Äldst först")
    oldest = [r["href"] for r in pages(page)]
    dates = [datum(root_site, href) for href in oldest]
    assert dates == sorted(dates), f"not oldest first: {list(zip(oldest, dates, strict=True))}"
    assert oldest.index("/trollhattan/2021/") < oldest.index("/trollhattan/2025-2026/")

    with new_render(page):
        page.locator("#sok-sortering").select_option(label="Bäst träff först")
    assert [r["href"] for r in pages(page)] == best


# 6. What is not indexed

# Words only in the footer ("kakor"), the skip link ("Hoppa") or on the search page ("sitemap"): no hits at all.
NOWHERE_IN_CONTENT = ["kakor", "Hoppa", "sitemap"]
# Words of the navigation, the footer, the example banner and the pages that are not kommun or promise pages.
# Pagefind shortens a word it does not know until it finds one (“Tillgänglighetsredogörelse” finds
# “tillgänglig”), so these may find kommun or promise pages, but never by the word itself.
OUTSIDE_CONTENT = ["Tillgänglighetsredogörelse", "Exempelwebbplats", "Startsidan", "Sökningen", "statusarna"]


@browser_test
@pytest.mark.parametrize("word", NOWHERE_IN_CONTENT)
def test_footer_navigation_and_search_page_words_find_nothing(page, root_site: Site, word: str) -> None:
    from playwright.sync_api import expect

    open_search(page, root_site)
    type_query(page, word)
    expect(page.locator("#sok-antal")).to_have_text(f"Inga träffar för ”{word}”.")
    assert results(page) == []


@browser_test
@pytest.mark.parametrize("word", OUTSIDE_CONTENT)
def test_only_kommun_and_promise_pages_are_results(page, root_site: Site, word: str) -> None:
    open_search(page, root_site)
    type_query(page, word)
    indexed = indexed_paths(root_site)
    assert indexed, "no page is in the index"
    assert not indexed & {root_site.path + p for p in NOT_INDEXED}, f"pages outside the content are indexed: {indexed}"
    found = results(page)
    for result in found:
        assert result["href"] in indexed, f"“{word}” finds {result['href']}, not a kommun or promise page"
        assert word.lower() not in (mark.lower() for mark in result["marks"]), (
            f"“{word}” is indexed on {result['href']}: {result['excerpt']}"
        )


# 7. Without JavaScript


@browser_test
def test_header_search_without_javascript_leads_to_a_list_of_everything(no_js_page, root_site: Site) -> None:
    from playwright.sync_api import expect

    page = no_js_page
    page.goto(root_site.url)
    page.locator("#sidsok").fill("narkotika")
    with page.expect_navigation() as navigation:
        page.locator("#sidsok").press("Enter")
    assert navigation.value is not None and navigation.value.status == 200
    assert page.url == root_site.url + "sok/?q=narkotika"

    expect(page.locator("#sok-utan-js")).to_be_visible()
    expect(page.locator("#sok-utan-js")).to_contain_text("JavaScript")
    expect(page.locator("#sok-med-js")).to_be_hidden()

    kommuner = page.locator("section[aria-labelledby=a-o] ul.kommun-list > li > a")
    names = kommuner.all_text_contents()
    hrefs = [kommuner.nth(i).get_attribute("href") for i in range(kommuner.count())]
    assert {"/" + k for k in KOMMUNER} <= set(hrefs) and len(hrefs) == len(set(hrefs)) == 290, hrefs
    assert names == sorted(names, key=swedish_key), f"the kommuner are not listed A–Ö: {names}"
    for href in hrefs:
        status = page.request.get(urljoin(page.url, href)).status
        assert status == 200, f"{href} returns {status}"
    with page.expect_navigation() as navigation:
        kommuner.first.click()
    assert navigation.value is not None and navigation.value.status == 200
    assert page.url == urljoin(root_site.url, hrefs[0])

    page.go_back()
    sitemap = page.locator("a[href$='sitemap.xml']")
    assert sitemap.count() == 1
    response = page.request.get(urljoin(page.url, sitemap.get_attribute("href")))
    assert response.status == 200 and "<urlset" in response.text()


# 8. Keyboard


ACTIVE = """() => {
    const el = document.activeElement;
    return {tag: el.tagName.toLowerCase(), id: el.id, index: el.dataset.focusIndex ?? null,
            text: (el.textContent || '').trim().slice(0, 40)};
}"""


@browser_test
def test_keyboard_reaches_search_filters_results_and_footer_without_losing_focus(page, root_site: Site) -> None:
    from playwright.sync_api import expect

    open_search(page, root_site)
    # From the site's name in the header, Tab reaches the page's search field (through the main navigation).
    page.locator("a.site-name").focus()
    path = []
    for _ in range(20):
        page.keyboard.press("Tab")
        path.append(page.evaluate(ACTIVE))
        if path[-1]["id"] == "sok-fraga":
            break
    assert path[-1]["id"] == "sok-fraga", f"Tab from the header never reaches the search field: {path}"
    assert not [step for step in path if step["tag"] == "input" and step["id"] != "sok-fraga"], path
    assert all(step["tag"] != "body" for step in path), path

    # Focus stays in the field while results come in: record where it is at every update of the results.
    page.evaluate(
        """() => {
            window.__focusAtRender = [];
            const observer = new MutationObserver(() => window.__focusAtRender.push(document.activeElement.id
                || document.activeElement.tagName.toLowerCase()));
            for (const id of ['sok-resultat', 'sok-antal']) {
                observer.observe(document.getElementById(id), {childList: true, subtree: true, characterData: true});
            }
        }"""
    )
    page.keyboard.type("narkotika", delay=40)
    expect(page.locator("#sok-antal")).to_contain_text("”narkotika”")
    assert page.locator("#sok-resultat > li").count() > 0
    focus_at_render = page.evaluate("window.__focusAtRender")
    assert focus_at_render and set(focus_at_render) == {"sok-fraga"}, f"focus moved while rendering: {focus_at_render}"
    assert page.evaluate(ACTIVE)["id"] == "sok-fraga"

    # Tab: the search button, then the filters' summary; Enter opens them.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement === document.querySelector('#sok button[type=submit]')")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement === document.querySelector('details.search-filters > summary')")
    page.keyboard.press("Enter")
    expect(page.locator("details.search-filters")).to_have_attribute("open", "")

    # The first filter (Strömstad) checked with Space: results update, focus stays on the checkbox.
    page.keyboard.press("Tab")
    first = page.evaluate(ACTIVE)
    assert first["id"] == "filter-0-0", first
    with new_render(page):
        page.keyboard.press("Space")
    assert page.locator("#sok-filter input[type=checkbox]").first.is_checked()
    assert page.evaluate(ACTIVE) == first, "focus left the checkbox when the results were updated"

    # Number every element Tab should reach from the checkbox on, in document order, down to the footer.
    expected = page.evaluate(
        """() => {
            const summary = document.querySelector('details.search-filters > summary');
            const all = [...document.querySelectorAll('a[href], input, select, button, summary, [tabindex]')]
                .filter(el => el.tabIndex >= 0 && !el.disabled && el.getClientRects().length > 0)
                .filter(el => summary.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
            all.forEach((el, i) => { el.dataset.focusIndex = String(i); });
            return all.map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' '
                + (el.textContent || el.value || '').trim().slice(0, 30));
        }"""
    )
    assert expected and expected[0].startswith("input#filter-0-0"), expected
    first = page.evaluate(ACTIVE)

    # Tab on through the filters, the sort menu, the results and the rest of the page to the footer.
    reached = [first]
    for _ in range(len(expected) + 5):
        page.keyboard.press("Tab")
        step = page.evaluate(ACTIVE)
        assert step["tag"] != "body", f"focus was lost after {reached[-1]}"
        reached.append(step)
        if step["index"] == str(len(expected) - 1):
            break
    indexes = [int(step["index"]) for step in reached if step["index"] is not None]
    assert indexes == list(range(len(expected))), f"Tab order differs from the page order: {reached} vs {expected}"
    assert page.evaluate("() => document.activeElement.closest('footer') !== null"), "Tab never reaches the footer"
    # The result links come right after the sort menu.
    sort_at = next(i for i, e in enumerate(expected) if e.startswith("select#sok-sortering"))
    result_links = page.locator("#sok-resultat a").evaluate_all("links => links.map(a => +a.dataset.focusIndex)")
    assert result_links, "no result links"
    assert result_links == list(range(sort_at + 1, sort_at + 1 + len(result_links))), (result_links, expected)


@browser_test
def test_sort_menu_by_keyboard_keeps_focus(page, root_site: Site) -> None:
    open_search(page, root_site)
    type_query(page, "Trollhättan")
    page.locator("details.search-filters > summary").click()
    page.locator("#sok-sortering").focus()
    with new_render(page):
        page.keyboard.press("ArrowDown")
    assert page.locator("#sok-sortering").input_value() == "desc"
    assert page.evaluate(ACTIVE)["id"] == "sok-sortering", "focus left the sort menu when the results were updated"


# 9. axe-core


@browser_test
def test_axe_finds_no_violations_with_results_and_filters(page, root_site: Site) -> None:
    open_search(page, root_site)
    type_query(page, "narkotika")
    report = axe_violations(page)
    assert not report, f"axe-core, /sok/ with results:\n{report}"

    page.locator("details.search-filters > summary").click()
    with new_render(page):
        page.get_by_role("group", name="Kommun").get_by_role("checkbox", name=re.compile(r"^Strömstad\b")).check()
    report = axe_violations(page)
    assert not report, f"axe-core, /sok/ with the filters open and Strömstad checked:\n{report}"


# 10. Under a sub-path


@browser_test
def test_search_under_a_sub_path(page, sub_path_site: Site) -> None:
    failed: list[str] = []
    page.on(
        "response",
        lambda response: failed.append(f"{response.status} {response.url}") if response.status >= 400 else None,
    )
    open_search(page, sub_path_site)
    type_query(page, "narkotika")
    found = results(page)
    assert found, count_text(page)
    metas = [r["meta"] for r in found]
    assert any(m.startswith("Trollhättan") for m in metas) and any(m.startswith("Strömstad") for m in metas), metas
    for result in found:
        assert result["href"].startswith("/" + SUB_PATH), f"a result link outside /{SUB_PATH}: {result['href']}"
        status = page.request.get(urljoin(page.url, result["href"])).status
        assert status == 200, f"{result['href']} returns {status}"
    with page.expect_navigation() as navigation:
        page.locator("#sok-resultat > li h2 a").first.click()
    assert navigation.value is not None and navigation.value.status == 200
    assert not failed, f"failed requests: {failed}"


@browser_test
def test_header_search_without_javascript_under_a_sub_path(no_js_page, sub_path_site: Site) -> None:
    from playwright.sync_api import expect

    page = no_js_page
    page.goto(sub_path_site.url + "trollhattan/")
    page.locator("#sidsok").fill("narkotika")
    with page.expect_navigation() as navigation:
        page.locator("#sidsok").press("Enter")
    assert navigation.value is not None and navigation.value.status == 200
    assert page.url == sub_path_site.url + "sok/?q=narkotika"
    expect(page.locator("#sok-utan-js")).to_be_visible()
    for href in page.locator("section[aria-labelledby=a-o] a").evaluate_all(
        "as => as.map(a => a.getAttribute('href'))"
    ):
        assert href.startswith("/" + SUB_PATH), href
        assert page.request.get(urljoin(page.url, href)).status == 200, href


# 11. CSP, console and other hosts


@browser_test
def test_searching_reports_no_error_csp_violation_or_other_host(context, any_site: Site) -> None:
    from playwright.sync_api import expect

    origin = any_site.url[: -len(any_site.path) + 1]
    errors: list[str] = []
    requests: list[str] = []
    context.on(
        "console",
        lambda message: (
            errors.append(f"console: {message.text} ({message.location.get('url')})")
            if message.type == "error"
            else None
        ),
    )
    context.on("request", lambda request: requests.append(request.url))
    # Registered before any script of the page runs, so violations while Pagefind loads count too.
    context.add_init_script(
        """window.__violations = [];
        document.addEventListener('securitypolicyviolation', event => window.__violations.push(
            `${event.violatedDirective} blocked ${event.blockedURI} (${event.sourceFile}:${event.lineNumber})`));"""
    )
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    open_search(page, any_site)
    page.evaluate(
        """() => document.addEventListener('securitypolicyviolation', event => window.__violations.push(
            `${event.violatedDirective} blocked ${event.blockedURI}`))"""
    )
    type_query(page, "narkotika")
    assert results(page)
    page.locator("details.search-filters > summary").click()
    with new_render(page):
        page.get_by_role("group", name="Kommun").get_by_role("checkbox", name=re.compile(r"^Strömstad\b")).check()
    with new_render(page):
        page.locator("#sok-sortering").select_option(label="Nyast först")
    page.locator("#sok-fraga").fill("")
    page.locator("#sok-fraga").press_sequentially("trafikkontroll")
    expect(page.locator("#sok-antal")).to_contain_text("”trafikkontroll”")
    page.wait_for_load_state("networkidle")

    violations = page.evaluate("window.__violations")
    assert not violations, f"Content-Security-Policy violations: {violations}"
    assert not errors, f"errors while searching: {errors}"
    outside = sorted({url for url in requests if not url.startswith(origin)})
    assert not outside, f"requests to other hosts: {outside}"
    assert any("/pagefind/" in url for url in requests), "Pagefind's index was never fetched"


# 12. A failed Pagefind run


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


# Stand-ins for a Pagefind binary that fails: at once, and after it has read the first byte of the first request
# (as a Pagefind that crashes while indexing).
BROKEN_PAGEFIND = {
    "exits-at-once": "#!/bin/sh\nexit 1\n",
    "exits-after-reading-a-request": "#!/bin/sh\nhead -c 1 >/dev/null\nexit 1\n",
}


@pytest.mark.posix
@pytest.mark.parametrize("script", list(BROKEN_PAGEFIND.values()), ids=list(BROKEN_PAGEFIND))
def test_failed_pagefind_run_fails_the_build_and_keeps_the_previous_site(
    content: Path, tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch, script: str
) -> None:
    published = tmp_path / "publicerat"
    out = published / "_site"
    first = cli("build", "--content", content, "--out", out, "--no-pdf")
    assert first.code == 0, first.err
    assert (out / "pagefind" / "pagefind.js").is_file()
    before = _snapshot(out)

    broken = tmp_path / "pagefind-som-misslyckas"
    broken.write_text(script)
    broken.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken))
    # A Pagefind that dies mid-request is only noticed by the build's time limit: keep it short here.
    monkeypatch.setenv("MEDBORGARLOFTE_PAGEFIND_TIMEOUT", "5")
    # In a process of its own, so that a build that hangs instead of failing cannot hang the test run.
    command = [
        sys.executable,
        str(REPO / "build.py"),
        "build",
        "--content",
        str(content),
        "--out",
        str(out),
        "--no-pdf",
    ]
    try:
        second = subprocess.run(command, capture_output=True, text=True, timeout=BUILD_TIMEOUT, cwd=tmp_path)
    except subprocess.TimeoutExpired:
        pytest.fail(
            f"the build still ran {BUILD_TIMEOUT} s after Pagefind had exited with status 1 and was killed; "
            f"beside the site after the kill: {sorted(p.name for p in published.iterdir())}"
        )
    assert second.returncode == 1, (second.returncode, second.stderr)
    assert "sökindexet kunde inte byggas med Pagefind" in second.stderr, second.stderr
    assert "den tidigare webbplatsen är orörd" in second.stderr, second.stderr
    assert _snapshot(out) == before, "the previous site was changed"
    assert sorted(p.name for p in published.iterdir()) == ["_site"], "staging folders were left beside the site"


def test_pagefind_settings_of_the_environment_do_not_change_the_index(
    content: Path, tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind's command line takes options from PAGEFIND_ variables; a build must not pick up someone's shell."""
    plain = cli("build", "--content", content, "--out", tmp_path / "vanlig", "--no-pdf")
    assert plain.code == 0, plain.err
    monkeypatch.setenv("PAGEFIND_GLOB", "finns-inte/*.html")
    monkeypatch.setenv("PAGEFIND_OUTPUT_SUBDIR", "annat")
    changed = cli("build", "--content", content, "--out", tmp_path / "med-installningar", "--no-pdf")
    assert changed.code == 0, changed.err
    assert not (tmp_path / "med-installningar" / "annat").exists()
    assert _snapshot(tmp_path / "med-installningar" / "pagefind") == _snapshot(tmp_path / "vanlig" / "pagefind")


@pytest.mark.posix
def test_a_failure_while_pagefind_runs_stops_it_and_leaves_no_staging_folder(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind reads the pages while the build writes the other files; if writing them fails, Pagefind must not go
    on running, and nothing of the build may be left."""
    pid_file = tmp_path / "pagefind.pid"
    slow = tmp_path / "pagefind-som-dröjer"
    slow.write_text(f"#!/bin/sh\necho $$ > {pid_file}\nexec sleep 60\n")
    slow.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(slow))

    def failing_copytree(*args: object, **kwargs: object) -> None:
        for _ in range(100):  # Pagefind has started when the other files are written
            if pid_file.is_file() and pid_file.read_text().strip():
                break
            time.sleep(0.05)
        raise OSError(28, "Inget utrymme kvar på enheten")

    monkeypatch.setattr(write.shutil, "copytree", failing_copytree)
    out = tmp_path / "publicerat" / "_site"
    options = Options(content, BUNDLED_THEME, out, None, date(2026, 11, 22), pdf=False, cache=tmp_path / "cache")
    with pytest.raises(OSError, match="Inget utrymme"):
        build(options)
    pid = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # killed and reaped, not left running
    assert list((tmp_path / "publicerat").iterdir()) == [], "the staging folder was left"


def _indexed_text(site: Path, page: str) -> str:
    """The text Pagefind indexed for one page."""
    found = indexed(site).get(f"/{page}")
    assert found, f"{page} is not in the index"
    return found["content"]


def test_a_commitments_history_is_searchable_by_its_comments_not_by_each_lines_date_and_status(
    cli, tmp_path: Path
) -> None:
    """History lines repeat dates that the follow-up headings carry and statuses every page names; only what a line
    says in words of its own (the comment) is worth finding."""
    out = tmp_path / "_site"
    assert cli("build", "--content", REPO / "examples" / "demo", "--out", out, "--no-pdf").code == 0
    page = (out / "exempelby" / "2025-2026" / "index.html").read_text(encoding="utf-8")
    indexed = _indexed_text(out, "exempelby/2025-2026/")
    line = re.compile(r"15 december 2025</time></a>: <span class=\"status [^\"]*\">([^<]+)</span>")
    assert line.search(page), "the history line is on the page"
    assert "15 december 2025: " not in indexed
    assert "Uppföljning 15 december 2025" in indexed
    assert "Tre besök flyttades till januari på grund av sjukdom." in indexed


# 13. Each thing once, titled with its kommun; a kommun found by its name, an ort or a postal code (issue 16)

VIEWPORTS = {"telefon": {"width": 375, "height": 667}, "dator": {"width": 1280, "height": 800}}


@pytest.fixture(params=list(VIEWPORTS))
def sized_page(browser, request: pytest.FixtureRequest) -> Iterator[object]:
    """A page in a fresh context, on a phone's screen and on a computer's."""
    ctx = browser.new_context(viewport=VIEWPORTS[request.param])
    yield ctx.new_page()
    ctx.close()


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def promise_href(site: Site, path: Path) -> str:
    """The address of a promise page from its content file (kommuner/<kommun>/<promise>/medborgarlofte.md)."""
    return f"{site.path}{path.parent.parent.name}/{path.parent.name}/"


def is_promise(site: Site, href: str) -> bool:
    return href.removeprefix(site.path).count("/") == 2


def hits(total: int) -> str:
    return "Inga träffar" if total == 0 else "1 träff" if total == 1 else f"{total} träffar"


@browser_test
def test_a_commitments_words_find_its_promise_once_and_not_its_kommun_page(sized_page, root_site: Site) -> None:
    """The kommun page shows its current promise's commitments, but only the promise's page is found by them."""
    page, word = sized_page, "trafikkontroller"
    assert word in root_site.file("/stromstad/").read_text(encoding="utf-8"), "the kommun page shows the commitment"
    open_search(page, root_site)
    type_query(page, word)
    found = results(page)
    hrefs = [result["href"] for result in found]
    assert "/stromstad/2023-2024/" in hrefs, hrefs
    assert len(hrefs) == len(set(hrefs)), f"a page is found twice: {hrefs}"
    assert all(is_promise(root_site, href) for href in hrefs), f"a kommun page repeats its promise: {hrefs}"
    assert stated_count(count_text(page)) == len(found), count_text(page)


@browser_test
def test_every_result_is_titled_with_its_kommun_and_a_promise_shows_its_status(sized_page, root_site: Site) -> None:
    """“lokalpolisområde” is on every kommun and promise page: each is one result, titled with its kommun; a
    promise's result has its status summary, counted over its commitments."""
    page = sized_page
    commitments = {promise_href(root_site, path): len(front_matter(path)["åtaganden"]) for path in PROMISE_FILES}
    open_search(page, root_site)
    type_query(page, "lokalpolisområde")
    found = results(page)
    assert {r["href"] for r in found} == indexed_paths(root_site), "not every kommun and promise page is found"
    assert len(found) == len(indexed_paths(root_site)), "a page is found twice"
    for result in found:
        kommun = result["meta"].split(" · ")[0]
        if is_promise(root_site, result["href"]):
            heading = re.search(r"<h1>([^<]*)</h1>", root_site.file(result["href"]).read_text(encoding="utf-8"))
            assert heading and result["title"] == f"{kommun}: {heading.group(1)}", result
            total = commitments[result["href"]]
            # "Läget: 4 av 6 åtaganden bedömda: …" or, before any follow-up, "Läget: 6 åtaganden, inget bedömt."
            assert re.fullmatch(rf"Läget: (\d+ av )?{total} åtaganden?\b.*\.", result["status"]), result
        else:
            assert result["title"] == f"Medborgarlöften i {kommun}", result
            assert result["status"] == "", result


@browser_test
def test_filter_counts_count_promises(sized_page, root_site: Site) -> None:
    from medborgarlofte.content.registry import load_registry

    page = sized_page
    registry = load_registry()
    promises = [path.parent.parent.name for path in PROMISE_FILES if not front_matter(path).get("utkast")]
    open_search(page, root_site)
    page.locator("details.search-filters > summary").click()
    for group in ("Kommun", "Län"):
        labels = page.get_by_role("group", name=group).locator("label").all_text_contents()
        counts = {match[1]: int(match[2]) for match in (re.fullmatch(r"(.+) \((\d+)\)", label) for label in labels)}
        assert sum(counts.values()) == len(promises), f"{group}: {labels}"
        if group == "Kommun":
            folders = {name: registry.slug(registry.by_name(name)) for name in counts}
            assert counts == {name: promises.count(folder) for name, folder in folders.items()}, labels


@browser_test
def test_the_title_says_the_query_and_the_number_of_hits(sized_page, root_site: Site) -> None:
    from playwright.sync_api import expect

    page = sized_page
    open_search(page, root_site)
    search_page = page.title()
    assert search_page.startswith("Sök – "), search_page
    for query in ("trafik", "441 30", "kakor"):
        page.locator("#sok-fraga").fill("")
        expect(page).to_have_title(search_page)
        type_query(page, query)
        shown = page.locator("#sok-resultat > li").count()
        expect(page).to_have_title(f"{query} – {hits(shown)} – {search_page}")
    assert page.title() == f"kakor – Inga träffar – {search_page}"


@browser_test
def test_the_search_page_has_one_search_field(sized_page, root_site: Site) -> None:
    page = sized_page
    open_search(page, root_site)
    assert page.get_by_role("searchbox").count() == 1
    page.goto(root_site.url + "trollhattan/")
    assert page.get_by_role("searchbox").count() == 1, "the other pages keep the header's field"


@browser_test
@pytest.mark.parametrize("path", ["", "trollhattan/", "trollhattan/2021/", "sok/"])
def test_search_landmarks_are_named_and_told_apart(page, root_site: Site, path: str) -> None:
    page.goto(root_site.url + path)
    landmarks = re.findall(r"^\s*- search(?: \"(.*)\")?:?$", page.locator("body").aria_snapshot(), re.MULTILINE)
    assert landmarks, f"/{path} has no search landmark"
    assert all(landmarks), f"/{path} has a search landmark without a name: {landmarks}"
    assert len(set(landmarks)) == len(landmarks), f"/{path} has search landmarks of the same name: {landmarks}"


@browser_test
@pytest.mark.parametrize("query", ["441 30", "44130"])
def test_a_postal_code_finds_its_kommun(sized_page, root_site: Site, query: str) -> None:
    from medborgarlofte.outputs.places import find

    page = sized_page
    assert [match.name for match in find(query)] == ["Alingsås"]
    open_search(page, root_site)
    type_query(page, query)
    assert results(page) == [
        {
            "kind": "kommun",
            "href": root_site.path + "alingsas/",
            "title": "Kommun: Alingsås",
            "meta": "Postnummer: 441 30",
            "status": "",
            "excerpt": None,
            "marks": [],
        }
    ]
    assert count_text(page) == f"1 träff för ”{query}”."


@browser_test
def test_an_ort_in_several_kommuner_finds_them_all_on_top(sized_page, root_site: Site) -> None:
    from medborgarlofte.outputs.places import find

    page = sized_page
    expected = [f"Kommun: {match.name}" for match in find("Bromma")]
    assert len(expected) > 1, "Bromma should lie in more than one kommun"
    open_search(page, root_site)
    type_query(page, "Bromma")
    found = results(page)
    assert [r["title"] for r in found if r["kind"] == "kommun"] == expected
    assert [r["kind"] for r in found[: len(expected)]] == ["kommun"] * len(expected)
    assert all(r["meta"] == "Ort: Bromma" for r in found[: len(expected)]), found


@browser_test
def test_a_kommun_found_by_its_name_is_one_result(sized_page, root_site: Site) -> None:
    """The finder answers with the kommun; Pagefind then leaves out the kommun's page, which is the same thing."""
    page = sized_page
    open_search(page, root_site)
    type_query(page, "Trollhättan")
    found = results(page)
    assert found[0] | {"excerpt": None} == {
        "kind": "kommun",
        "href": "/trollhattan/",
        "title": "Kommun: Trollhättan",
        "meta": "Trollhättans kommun",
        "status": "",
        "excerpt": None,
        "marks": [],
    }
    hrefs = [r["href"] for r in found]
    assert len(hrefs) == len(set(hrefs)), f"a page is found twice: {hrefs}"
    assert {"/trollhattan/2021/", "/trollhattan/2025-2026/"} <= set(hrefs)
    assert page.request.get(urljoin(page.url, found[0]["href"])).status == 200
    assert stated_count(count_text(page)) == len(found)


# Queries for the browser's finder: postal codes whole, with and without their space, their starts, a code between
# kommuner; names whole, as typed and without å ä ö, their starts, a later word; orter in several kommuner.
FINDER_QUERIES = [
    "441 30",
    "44130",
    "441",
    "4413",
    "11122",
    "99999",
    "12",
    "Södertälje",
    "sodertalje",
    "Upplands-Väsby ",
    "väsby",
    "Håbo",
    "Habo",
    "Bromma",
    "Stockholms stad",
    "lilla",
    "ö",
    "a",
    "",
    "  ",
]


@browser_test
def test_the_browsers_finder_answers_as_find_does(page, root_site: Site) -> None:
    """Also where two orter of one kommun match equally well ("a"): the first in Swedish order answers."""
    from medborgarlofte.outputs.places import MatchKind, find

    open_search(page, root_site)
    answers = page.evaluate(
        """async ([base, queries]) => {
            const { find, makeIndex } = await import(`${base}static/hitta.js`);
            const response = await fetch(document.getElementById('sok').dataset.index);
            const index = makeIndex(await response.json());
            return queries.map(query => find(index, query).map(match => [match.code, match.kind, match.text]));
        }""",
        [root_site.path, FINDER_QUERIES],
    )
    kinds = list(MatchKind)
    for query, answer in zip(FINDER_QUERIES, answers, strict=True):
        expected = [[match.code, kinds.index(match.kind), match.text] for match in find(query)]
        assert answer == expected, query


@browser_test
def test_axe_finds_no_violations_with_kommuner_and_pages(sized_page, root_site: Site) -> None:
    page = sized_page
    open_search(page, root_site)
    type_query(page, "Trollhättan")
    kinds = {r["kind"] for r in results(page)}
    assert kinds == {"kommun", "sida"}, kinds
    report = axe_violations(page)
    assert not report, f"axe-core, /sok/ with kommuner and pages:\n{report}"


def test_a_kommun_page_indexes_its_own_text_not_its_promises(shipped_site: Path) -> None:
    """Its promises are results of their own: their commitments, status and title are not the kommun page's text."""
    path = next(p for p in PROMISE_FILES if p.parent.parent.name == "stromstad")
    matter = front_matter(path)
    kommun = _indexed_text(shipped_site, "stromstad/")
    promise = _indexed_text(shipped_site, f"stromstad/{path.parent.name}/")
    commitment = matter["åtaganden"][0]["text"]
    assert commitment[:60] in promise
    assert commitment[:60] not in kommun
    assert matter["rubrik"] not in kommun
    assert "Strömstads kommun och lokalpolisområde" in kommun


def test_the_finder_file_gives_every_kommun_an_address(shipped_site: Path) -> None:
    from medborgarlofte.content.registry import load_registry

    registry = load_registry()
    html = (shipped_site / "sok" / "index.html").read_text(encoding="utf-8")
    assert 'data-index="/hitta-kommun.json"' in html
    payload = json.loads((shipped_site / "hitta-kommun.json").read_text(encoding="utf-8"))
    hrefs = {code: href for code, _, _, href in payload["kommuner"]}
    assert hrefs.keys() == registry.kommuner.keys()
    assert hrefs == {code: f"/{registry.slugs[code]}/" for code in registry.kommuner}
    for folder in KOMMUNER:
        assert f"/{folder}" in hrefs.values() and (shipped_site / folder / "index.html").is_file()


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def test_every_word_the_index_holds_of_a_page_is_on_the_page(shipped_site: Path) -> None:
    """Pagefind reads search documents made beside the pages (search.html), not the pages: a search must still never
    find a page by a word the reader cannot find on it, and each heading a result links into must be on the page."""
    pages = indexed(shipped_site)
    kommuner = {path.parent.parent.name for path in PROMISE_FILES}
    assert len(pages) == len(kommuner) + len(PROMISE_FILES), sorted(pages)
    for url, fragment in pages.items():
        html = (shipped_site / url.strip("/") / "index.html").read_text(encoding="utf-8")
        shown = _words(unescape(re.sub(r"<[^>]+>", " ", html)))
        assert _words(fragment["content"]) <= shown, (url, _words(fragment["content"]) - shown)
        for anchor in fragment["anchors"]:
            assert f'id="{anchor["id"]}"' in html, (url, anchor)


def test_search_documents_are_not_published(shipped_site: Path) -> None:
    assert not list(shipped_site.rglob(".sokdokument"))
    assert not list(shipped_site.rglob("*pagefind-body*"))
    assert all("data-pagefind" not in page.read_text(encoding="utf-8") for page in shipped_site.rglob("*.html"))
