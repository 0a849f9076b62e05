"""Browser tests for follow-ups: the demo site (examples/demo) in Debian's Chromium, through Playwright and axe-core.

The demo has two fictional kommuner, Exempelby and Påhittebo, with several follow-ups, so it shows every part of the
follow-up display: the status summary chart, progress bars, the kommun timeline and the rating history. These tests
check what a reader meets there with a screen reader, without CSS, without JavaScript, with a keyboard only and on a
narrow phone, and that no page lets anyone believe the kommuner are real.
"""

from __future__ import annotations

import calendar
import io
import itertools
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from conftest import REPO, serve
from PIL import Image
from test_browser import ANSWER_WITHOUT_CONTENT, answers_without_content, axe_violations, crawl, sideways_overflow

from medborgarlofte.cli import main
from medborgarlofte.content.status import STATUSES

pytestmark = pytest.mark.browser

DEMO = REPO / "examples" / "demo"
BUILD_DATE = datetime(2026, 11, 21, tzinfo=UTC)
STATUS_WORDS = tuple(status.label for status in STATUSES)
NO_CSS = "() => document.querySelectorAll('link[rel=stylesheet], style').forEach(el => el.remove())"
OPEN_DETAILS = "() => document.querySelectorAll('details').forEach(el => el.setAttribute('open', ''))"

# The fictional kommuner of the demo: directory -> name.
KOMMUN_NAMES = {"exempelby": "Exempelby", "pahittebo": "Påhittebo"}
KOMMUN_PAGES = [f"{kommun.name}/" for kommun in sorted((DEMO / "kommuner").iterdir()) if kommun.is_dir()]
PROMISE_PAGES = [
    f"{promise.parent.parent.name}/{promise.parent.name}/"
    for promise in sorted((DEMO / "kommuner").glob("*/*/medborgarlofte.md"))
]
CONTENT_PAGES = [f"{page.stem}/" for page in sorted((DEMO / "content").glob("*.md"))]
DEMO_PAGES = [
    "",
    *KOMMUN_PAGES,
    *PROMISE_PAGES,
    *CONTENT_PAGES,
    "sok/",
    "data/",
    "sverige/",
    ANSWER_WITHOUT_CONTENT,
    "404.html",
]

EXEMPELBY = "exempelby/"
EXEMPELBY_PROMISE = "exempelby/2025-2026/"
# What Exempelby's commitment cards must say in words: card id -> (status word, progress text or None). The progress
# text is the newest year's, which the progress bar repeats; a yearly target's earlier years are shown before it.
EXEMPELBY_CARDS = {
    "2025-2026-trafikkontroller": ("Pågår", "2026 hittills: 42 av minst 80 trafikkontroller, 38 kvar till målet"),
    "2025-2026-skolbesok": ("Försenat", "2025: 7 av minst 10 skolbesök, 3 kvar till målet"),
    "2025-2026-foraldramoten": ("Genomfört", None),
    "2025-2026-belysning": ("Genomfört", None),
    "2025-2026-trygghetsvandringar": ("Genomfört", "2025: 2 av 2 trygghetsvandringar, målet är nått"),
    "2025-2026-grannsamverkan": ("Ej bedömt", None),
}
EXEMPELBY_SUMMARY = "5 av 6 åtaganden bedömda: 3 genomförda, 1 pågår, 1 försenat; 1 ej bedömt"
EXEMPELBY_FOLLOW_UPS = ("2026-06-15", "2025-12-15", "2025-06-16")
EXEMPELBY_SIGNED = "2025-02-10"


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/demo built once for this module, dated 2026-11-21 through SOURCE_DATE_EPOCH (restored after)."""
    out = tmp_path_factory.mktemp("demo") / "_site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(int(BUILD_DATE.timestamp())))
        assert main(["build", "--content", str(DEMO), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def demo_url(demo_site: Path) -> Iterator[str]:
    with serve(demo_site) as url:
        yield url


def _new_page(browser, **options) -> tuple[object, object]:
    ctx = browser.new_context(**options)
    return ctx, ctx.new_page()


def _text(value: str) -> str:
    """Text with runs of white space as one space, as a reader hears it."""
    return re.sub(r"\s+", " ", value).strip()


def _time_interval(value: str) -> tuple[date, date]:
    """The first and last day a `<time datetime>` value can mean: "2026" is all of 2026, "2026-06" all of June."""
    parts = [int(part) for part in value.split("-")]
    if len(parts) == 1:
        return date(parts[0], 1, 1), date(parts[0], 12, 31)
    if len(parts) == 2:
        year, month = parts
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    day = date(*parts)
    return day, day


def test_page_lists_match_the_built_demo(demo_site: Path) -> None:
    """The pages the tests below visit are every HTML page the demo builds to, of the pages that answer for the 290
    kommuner without content one."""
    built = sorted(
        "404.html"
        if html.name == "404.html"
        else ("" if html.parent == demo_site else f"{html.parent.relative_to(demo_site)}/")
        for html in demo_site.rglob("*.html")
    )
    assert sorted(set(built) - answers_without_content(demo_site)) == sorted(DEMO_PAGES)
    assert len(built) == len(DEMO_PAGES) + 289
    assert set(KOMMUN_NAMES) == {path.strip("/") for path in KOMMUN_PAGES}
    assert EXEMPELBY in KOMMUN_PAGES and EXEMPELBY_PROMISE in PROMISE_PAGES


# 1. axe-core


@pytest.mark.parametrize("path", DEMO_PAGES, ids=[path or "start" for path in DEMO_PAGES])
def test_axe_finds_no_violations(page, demo_url: str, path: str) -> None:
    page.goto(demo_url + path)
    assert not (report := axe_violations(page)), f"axe-core found violations on /{path}:\n{report}"


@pytest.mark.parametrize("path", PROMISE_PAGES)
def test_axe_finds_no_violations_with_every_history_open(page, demo_url: str, path: str) -> None:
    page.goto(demo_url + path)
    page.evaluate(OPEN_DETAILS)
    assert page.locator("details:not([open])").count() == 0
    assert not (report := axe_violations(page)), f"axe-core found violations on /{path} with <details> open:\n{report}"


# 2. Without CSS


@pytest.mark.parametrize("path", [EXEMPELBY, EXEMPELBY_PROMISE])
def test_status_and_progress_readable_without_css(page, demo_url: str, path: str) -> None:
    page.goto(demo_url + path)
    page.evaluate(NO_CSS)
    assert page.evaluate("() => document.styleSheets.length") == 0

    cards = page.locator("li.commitment")
    ids = cards.evaluate_all("cards => cards.map(card => card.id)")
    assert sorted(ids) == sorted(EXEMPELBY_CARDS), f"/{path}: unexpected commitment cards {ids}"
    for card_id, (word, progress) in EXEMPELBY_CARDS.items():
        text = _text(page.locator(f"[id='{card_id}']").inner_text())
        said = [status for status in STATUS_WORDS if re.search(rf"\b{status}\b", text)]
        assert said, f"/{path} #{card_id}: no status word in the card without CSS: {text!r}"
        assert f"Status: {word}" in text, f"/{path} #{card_id}: status {word!r} not readable without CSS: {text!r}"
        if progress:
            assert progress in text, f"/{path} #{card_id}: progress {progress!r} not readable without CSS: {text!r}"


# 3. Progress bars


@pytest.mark.parametrize("path", [EXEMPELBY, EXEMPELBY_PROMISE])
def test_progress_bars_are_named_by_the_text_next_to_them(page, demo_url: str, path: str) -> None:
    page.goto(demo_url + path)
    bars = page.locator("progress")
    expected = sorted(progress for _, progress in EXEMPELBY_CARDS.values() if progress)
    assert bars.count() == len(expected), f"/{path}: {bars.count()} progress bars, expected {len(expected)}"

    names = []
    for index in range(bars.count()):
        bar = bars.nth(index)
        info = bar.evaluate(
            """bar => {
                const id = bar.getAttribute('aria-labelledby'), label = id && document.getElementById(id);
                return {id, label: label ? label.textContent : null, value: bar.value, max: bar.max,
                        nextTo: bar.previousElementSibling === label && label !== null};
            }"""
        )
        assert info["label"], f"/{path}: progress bar #{index} has no aria-labelledby pointing to an element: {info}"
        assert info["nextTo"], f"/{path}: the label of progress bar #{index} is not the text next to it: {info}"
        name = _text(info["label"])
        names.append(name)

        by_role = page.get_by_role("progressbar", name=name, exact=True)
        assert by_role.count() == 1, f"/{path}: no single progressbar named {name!r}"
        assert by_role.evaluate("(el, id) => el.getAttribute('aria-labelledby') === id", info["id"])

        numbers = re.search(r"(\d+) av (?:minst )?(\d+)", name)
        assert numbers, f"/{path}: the progress bar name {name!r} does not give the numbers"
        done, target = map(int, numbers.groups())
        assert info["max"] == target, f"/{path}: {name!r} but max={info['max']}"
        assert info["value"] == min(done, target), f"/{path}: {name!r} but value={info['value']}"
    assert sorted(names) == expected


# 4. Summary chart


@pytest.mark.parametrize("path", [EXEMPELBY, EXEMPELBY_PROMISE])
def test_summary_chart_has_a_text_alternative(page, demo_url: str, path: str) -> None:
    page.goto(demo_url + path)
    figure = page.locator("figure.summary")
    assert figure.count() == 1
    caption = _text(figure.locator("figcaption").inner_text())
    assert EXEMPELBY_SUMMARY in caption, f"/{path}: the chart's caption is {caption!r}"
    assert page.get_by_role("figure", name=re.compile(re.escape(EXEMPELBY_SUMMARY))).count() == 1, (
        f"/{path}: the figure is not named by its caption"
    )

    chart = figure.locator("svg.summary-bar")
    assert chart.count() == 1
    assert chart.get_attribute("aria-hidden") == "true", f"/{path}: the chart's SVG is not aria-hidden"
    widths = chart.locator("rect").evaluate_all("rects => rects.map(rect => +rect.getAttribute('width'))")
    assert sum(widths) == pytest.approx(100, abs=0.1), f"/{path}: the chart's segments do not fill it: {widths}"


# 5. Timeline


def test_timeline_is_ordered_newest_first_with_every_follow_up(page, demo_url: str) -> None:
    page.goto(demo_url + EXEMPELBY)
    timeline = page.locator("section[aria-labelledby=tidslinje] ol.timeline")
    assert timeline.count() == 1, "the timeline is not an ordered list"
    events = timeline.locator(":scope > li")
    values = [events.nth(i).locator("time").get_attribute("datetime") for i in range(events.count())]
    assert all(values), f"a timeline event lacks <time datetime>: {values}"

    for newer, older in itertools.pairwise(values):
        assert _time_interval(newer)[1] >= _time_interval(older)[0], f"{older} is listed after {newer}: {values}"
    missing = [day for day in (*EXEMPELBY_FOLLOW_UPS, EXEMPELBY_SIGNED) if day not in values]
    assert not missing, f"the timeline lacks {missing}: {values}"

    signed = timeline.locator(f"li:has(time[datetime='{EXEMPELBY_SIGNED}'])")
    assert "undertecknades" in signed.inner_text()
    for day in EXEMPELBY_FOLLOW_UPS:
        assert "Uppföljning" in timeline.locator(f"li:has(time[datetime='{day}'])").inner_text()


# 6. History without JavaScript


def test_history_opens_with_the_keyboard_without_javascript(browser, demo_url: str) -> None:
    ctx, page = _new_page(browser, java_script_enabled=False)
    try:
        page.goto(demo_url + EXEMPELBY_PROMISE)
        histories = page.locator("details.history")
        assert histories.count() > 0, "the promise page shows no history"

        # Tab reaches the first summary, and Enter opens it.
        focusable = page.locator("a[href], summary").count()
        for _ in range(focusable + 1):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.tagName") == "SUMMARY":
                break
        first = histories.first
        assert first.locator("summary").evaluate("el => el === document.activeElement"), (
            "Tab does not reach the first history's summary"
        )
        assert not first.locator("ol.history-list").is_visible()
        page.keyboard.press("Enter")
        assert first.get_attribute("open") is not None, "Enter does not open the history"
        assert first.locator("ol.history-list").is_visible()

        # Every other history opens the same way.
        for index in range(1, histories.count()):
            history = histories.nth(index)
            history.locator("summary").focus()
            assert not history.locator("ol.history-list").is_visible()
            page.keyboard.press("Enter")
            assert history.locator("ol.history-list").is_visible(), f"history #{index} does not open with Enter"
            assert history.locator("ol.history-list > li").first.is_visible()
    finally:
        ctx.close()


# 7. Fictional kommuner


@pytest.mark.parametrize("path", DEMO_PAGES, ids=[path or "start" for path in DEMO_PAGES])
def test_every_page_says_the_kommuner_are_fictional(page, demo_url: str, path: str) -> None:
    page.goto(demo_url + path)
    banner = page.locator(".example-banner")
    assert banner.count() == 1, f"/{path} lacks the example banner"
    assert banner.is_visible()
    assert page.get_by_role("complementary", name="Exempelwebbplats").count() == 1
    assert "påhittade kommuner" in banner.inner_text()

    kommun = path.split("/")[0]
    notice = page.locator(".fictional-notice")
    if kommun in KOMMUN_NAMES:
        name = KOMMUN_NAMES[kommun]
        assert notice.count() == 1, f"/{path} lacks the notice that {name} is fictional"
        assert notice.is_visible()
        text = _text(notice.inner_text())
        assert text.startswith("Påhittat exempel."), f"/{path}: {text!r}"
        assert f"{name} är ingen riktig kommun" in text, f"/{path}: {text!r}"
        assert "(påhittad kommun)" in page.title(), f"/{path}: the title {page.title()!r} does not say it"


# 8. Narrow screens


@pytest.mark.parametrize(
    ("path", "open_details"),
    [(EXEMPELBY, False), (EXEMPELBY_PROMISE, False), (EXEMPELBY_PROMISE, True)],
    ids=["kommun", "lofte", "lofte-historik-oppen"],
)
def test_no_horizontal_scroll_at_320_px(browser, demo_url: str, path: str, open_details: bool) -> None:
    ctx, page = _new_page(browser, viewport={"width": 320, "height": 640})
    try:
        page.goto(demo_url + path)
        if open_details:
            page.evaluate(OPEN_DETAILS)
        scroll_width, client_width, wider = sideways_overflow(page)
    finally:
        ctx.close()
    assert scroll_width <= client_width, f"/{path} scrolls sideways at 320 px; too wide: {wider}"


# 9. Status icons


# What each status badge of a page shows: its word, and the icon shape the stylesheet puts before it.
BADGES = """() => [...document.querySelectorAll('.status')].map(badge => {
    const icon = getComputedStyle(badge, '::before'), box = badge.getBoundingClientRect();
    return {word: badge.textContent.trim(), content: icon.content, mask: icon.maskImage, width: icon.width,
            height: icon.height, text: badge.innerText.trim(), shown: badge.checkVisibility() && box.width > 0,
            wordShown: box.width > 16, where: (badge.closest('[id]') || document.body).id};
})"""


@pytest.mark.parametrize("path", DEMO_PAGES, ids=[path or "start" for path in DEMO_PAGES])
def test_status_icons_are_decoration_next_to_a_word(page, demo_url: str, path: str) -> None:
    page.goto(demo_url + path)
    page.evaluate(OPEN_DETAILS)
    badges = page.evaluate(BADGES)
    if path in (EXEMPELBY, EXEMPELBY_PROMISE):
        assert badges, f"/{path} shows no statuses"
    for badge in badges:
        assert badge["word"] in STATUS_WORDS, f"/{path}: a status in #{badge['where']} has no status word: {badge}"
        # Generated content with no text: nothing for a screen reader to read out before the word.
        assert badge["content"] == '""' and badge["text"] == badge["word"], f"/{path}: {badge}"
        assert re.fullmatch(r'url\(".*/static/ikoner/[a-z]+\.svg"\)', badge["mask"]), f"/{path}: no icon: {badge}"
        assert (badge["width"], badge["height"]) == ("16px", "16px"), f"/{path}: {badge}"
        if badge["shown"]:
            assert badge["wordShown"], f"/{path}: a status in #{badge['where']} is shown without its word: {badge}"


def _icon_pixels(page, badge) -> tuple[tuple[int, int, int], list[tuple[int, int, int]]]:
    """The badge's own background, and the pixels of its icon as the browser paints them: the 16 px wide column
    after the tag's edge and padding, as tall as the tag (the word starts after the icon's margin)."""
    badge.scroll_into_view_if_needed()
    box = badge.bounding_box()
    edge, padding, border_top = badge.evaluate(
        "el => ['borderLeftWidth', 'paddingLeft', 'borderTopWidth'].map(p => parseFloat(getComputedStyle(el)[p]))"
    )
    top, height = box["y"] + border_top, round(box["height"] - 2 * border_top)
    back = page.screenshot(clip={"x": box["x"] + edge + 1, "y": top + height / 2, "width": 1, "height": 1})
    shot = page.screenshot(clip={"x": box["x"] + edge + padding, "y": top, "width": 16, "height": height})
    image = Image.open(io.BytesIO(shot)).convert("RGB")
    background = Image.open(io.BytesIO(back)).convert("RGB").getpixel((0, 0))
    return background, [image.getpixel((x, y)) for y in range(image.height) for x in range(16)]


@pytest.mark.parametrize("forced_colors", ["none", "active"])
def test_every_status_has_an_icon_shape_of_its_own_that_is_drawn(browser, site_url: str, forced_colors: str) -> None:
    """Each status's icon file loads under the Content-Security-Policy and draws a shape in a colour set apart from
    the tag's background, also in forced colours (Windows contrast themes), and no two statuses share a shape."""
    ctx, page = _new_page(browser, forced_colors=forced_colors)
    try:
        page.goto(site_url + "sa-bedomer-vi/")  # every status, with its definition (content/)
        page.wait_for_load_state("networkidle")
        shapes = {}
        for status in STATUSES:
            back, pixels = _icon_pixels(page, page.locator(f".status-{status.css}").first)
            drawn = [pixel != back for pixel in pixels]
            assert 20 < sum(drawn) < 16 * 16 - 20, f"{status.label}: no icon shape drawn ({forced_colors})"
            shapes[tuple(drawn)] = status.label
    finally:
        ctx.close()
    assert len(shapes) == len(STATUSES), (
        f"two statuses are drawn with the same icon shape: only {sorted(shapes.values())}"
    )


# Links


def test_every_link_in_the_demo_leads_to_a_page(page, demo_url: str, demo_site: Path) -> None:
    origin = demo_url.rstrip("/")
    result = crawl(page, demo_url, origin, {demo_url + path for path in answers_without_content(demo_site)})
    broken = {url: (status, result.linked_from[url]) for url, status in result.status.items() if status != 200}
    assert not broken, f"broken links (target: (status, linked from)): {broken}"
