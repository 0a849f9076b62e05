"""Browser tests for the answer a citizen looks for (issue 16, points 1, 2, 3, 7 in print, 8): the kommun and promise
pages at 375 × 667 and 1280 × 800 in Debian's Chromium, through Playwright and axe-core, as a citizen meets them on
a phone and a computer, in the light and the dark scheme, in forced colours and on paper.

Two sites: the shipped content (real kommuner, none followed up) and the demo (examples/demo, follow-ups of every
kind) with the shipped page that says what the statuses mean, which the summaries link to."""

from __future__ import annotations

import io
import itertools
import re
import shutil
from collections.abc import Iterator

import pypdf
import pytest
from conftest import REPO, serve
from PIL import Image
from test_browser import axe_violations, sideways_overflow

from medborgarlofte.cli import main
from medborgarlofte.content.status import STATUSES

pytestmark = pytest.mark.browser

VIEWPORTS = {"telefon": {"width": 375, "height": 667}, "dator": {"width": 1280, "height": 800}}
viewports = pytest.mark.parametrize("viewport", list(VIEWPORTS.values()), ids=list(VIEWPORTS))
STATUS_WORDS = {status.label for status in STATUSES}

# Pages of the shipped site (real kommuner, no follow-ups) and of the demo with the status page.
SHIPPED = [
    "trollhattan/",
    "trollhattan/2025-2026/",
    "trollhattan/2021/",
    "stromstad/",
    "stromstad/2023-2024/",
    "vaggeryd/",
    "vaggeryd/medborgarlofte/",
    "ostersund/",
    "ostersund/medborgarlofte/",
]
DEMO = ["exempelby/", "exempelby/2025-2026/", "pahittebo/", "pahittebo/2023/", "pahittebo/2024-2025/"]
EXEMPELBY = "exempelby/"
EXEMPELBY_PROMISE = "exempelby/2025-2026/"
SUMMARY = "5 av 6 åtaganden bedömda: 3 genomförda, 1 pågår, 1 försenat; 1 ej bedömt."
BY_RESPONSIBILITY = [
    "Polisen: 2 av 2 åtaganden bedömda: 1 pågår, 1 försenat",
    "Kommunen: 1 av 1 åtagande bedömt: 1 genomfört",
    "Gemensamt: 2 av 2 åtaganden bedömda: 2 genomförda",
    "Anges inte: 1 åtagande, inte bedömt",
]
TRAFFIC = "2025-2026-trafikkontroller"
TRAFFIC_RESULTS = [
    "2025: 84 av minst 80 trafikkontroller, målet är nått",
    "2026 hittills: 42 av minst 80 trafikkontroller, 38 kvar till målet",
]
EARLIER_COMMENTS = ["Målet nåddes i november.", "31 kontroller till och med maj.", "Upphandlingen är klar."]
STROMSTAD_SILENCE = "Perioden slutade 2024. Ingen uppföljning har publicerats."
STROMSTAD_ASK = (
    "Webbplatsen har ingen kontaktuppgift till Strömstads kommun. Fråga webbplatsens redaktion: info@example.org"
)
ANSWER_FIRST_LINE = ".answer .summary-label, .answer .silence"
# The parts of a kommun or promise page, in the order a citizen meets them: the answer before the rest.
ORDER = [
    "h1",
    ".byline",
    ".answer",
    "section[aria-labelledby=ataganden]",
    ".downloads",
    ".feed-link",
    "section[aria-labelledby=tidslinje]",
]


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """examples/demo with the shipped "Så bedömer vi", built dated 2026-11-21 and served."""
    root = tmp_path_factory.mktemp("svar") / "demo"
    shutil.copytree(REPO / "examples" / "demo", root, ignore=shutil.ignore_patterns(".cache", "_site"))
    shutil.copy(REPO / "content" / "sa-bedomer-vi.md", root / "content" / "sa-bedomer-vi.md")
    out = root.parent / "_site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1795219200")
        assert main(["build", "--no-pdf", "--content", str(root), "--out", str(out)]) == 0
    with serve(out) as url:
        yield url


@pytest.fixture
def new_page(browser) -> Iterator:
    """A page in a fresh context with the given options; every context is closed after the test."""
    contexts = []

    def make(**options):
        contexts.append(browser.new_context(**options))
        return contexts[-1].new_page()

    yield make
    for context in contexts:
        context.close()


def _url(site_url: str, demo_url: str, path: str) -> str:
    return (demo_url if path in DEMO else site_url) + path


def _text(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


# --- 1. The answer first -----------------------------------------------------------------------------------------


@viewports
@pytest.mark.parametrize("path", SHIPPED + DEMO)
def test_the_answer_is_on_the_first_screen_before_everything_else(
    new_page, site_url: str, demo_url: str, path: str, viewport: dict
) -> None:
    page = new_page(viewport=viewport)
    page.goto(_url(site_url, demo_url, path))
    first = page.locator(ANSWER_FIRST_LINE)
    assert first.count() == 1, f"/{path}: no status summary or statement of silence"
    top = first.bounding_box()["y"]
    assert top < viewport["height"], f"/{path}: the answer starts {top:.0f} px down, below the first screen"
    byline = _text(page.locator(".byline").inner_text())
    assert re.fullmatch(
        r".+ och lokalpolisområde .+ · Period: .+ · (Gällande|Avslutat|Förslag|Giltighetstid okänd)", byline
    ), f"/{path}: the line under the heading does not say who, the period and the validity: {byline!r}"
    present = [selector for selector in ORDER if page.locator(selector).count()]
    tops = page.evaluate(
        "selectors => selectors.map(s => document.querySelector(s).getBoundingClientRect().top + scrollY)", present
    )
    assert tops == sorted(tops), f"/{path}: not in the order {present}: {tops}"


@viewports
@pytest.mark.parametrize("path", [EXEMPELBY, EXEMPELBY_PROMISE])
def test_the_summary_counts_every_commitment_splits_by_ansvar_and_links_the_definitions(
    new_page, demo_url: str, path: str, viewport: dict
) -> None:
    page = new_page(viewport=viewport)
    page.goto(demo_url + path)
    answer = page.locator(".answer")
    assert _text(answer.locator(".summary-label").inner_text()) == SUMMARY
    parts = [_text(item) for item in answer.locator(".by-responsibility li").all_inner_texts()]
    assert parts == BY_RESPONSIBILITY
    link = answer.get_by_role("link", name="Vad betyder statusarna?")
    assert link.count() == 1, f"/{path}: no link to what the statuses mean"
    link.click()
    assert page.locator("h1").inner_text() == "Så bedömer vi"


# --- 2. Commitments as a scannable list -----------------------------------------------------------------------------


LINK_COLOUR = """() => { const a = document.createElement('a'); a.href = '#x'; document.querySelector('main').append(a);
    const colour = getComputedStyle(a).color; a.remove(); return colour; }"""
# Where each status tag's word sits against the text of its line: a zero-size inline block lies on the baseline.
BASELINES = """() => {
    const probe = () => { const p = document.createElement('span'); p.style.display = 'inline-block';
        p.style.width = '0'; p.style.height = '0'; return p; };
    const at = p => p.getBoundingClientRect().bottom;
    return [...document.querySelectorAll('main .status')].filter(tag => tag.checkVisibility()).map(tag => {
        const inside = probe(), after = probe();
        tag.append(inside); tag.after(after);
        const result = {word: tag.textContent, where: (tag.closest('[id]') || document.body).id,
                        tag: at(inside), line: at(after)};
        const head = tag.closest('.commitment-head');
        if (head) {
            const text = head.querySelector('.commitment-text'), first = probe();
            text.prepend(first);
            result.text = at(first);
            result.beside = tag.getBoundingClientRect().top < text.getBoundingClientRect().bottom;
            first.remove();
        }
        inside.remove(); after.remove();
        return result;
    });
}"""


def _rgba(value: str) -> tuple[float, ...]:
    numbers = [float(n) for n in re.findall(r"[\d.]+", value)]
    return tuple(numbers) if len(numbers) == 4 else (*numbers, 1.0)


@viewports
def test_status_tags_have_a_background_never_the_link_colour_on_their_lines_baseline(
    new_page, demo_url: str, viewport: dict
) -> None:
    page = new_page(viewport=viewport)
    page.goto(demo_url + EXEMPELBY_PROMISE)
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    link = page.evaluate(LINK_COLOUR)
    tags = page.locator("main .status")
    assert tags.count() > 20
    for index in range(tags.count()):
        colour, background = tags.nth(index).evaluate(
            "el => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]"
        )
        assert colour != link, f"a status tag has the link colour {link}"
        assert _rgba(background)[3] > 0, f"a status tag has no background: {background}"
    for tag in page.evaluate(BASELINES):
        assert abs(tag["tag"] - tag["line"]) <= 1, f"#{tag['where']}: {tag['word']!r} is off its line: {tag}"
        if tag.get("beside"):
            assert abs(tag["tag"] - tag["text"]) <= 1, f"#{tag['where']}: {tag['word']!r} is off its text: {tag}"
    if viewport["width"] > 1000:  # side by side with the commitment's text on a computer
        assert any(tag.get("beside") for tag in page.evaluate(BASELINES))


@viewports
@pytest.mark.parametrize("path", [EXEMPELBY, EXEMPELBY_PROMISE])
def test_a_commitment_shows_its_years_and_newest_comment_with_its_history_below(
    new_page, demo_url: str, path: str, viewport: dict
) -> None:
    page = new_page(viewport=viewport)
    page.goto(demo_url + path)
    row = page.locator(f"[id='{TRAFFIC}']")
    parts = [
        "Minst åttio trafikkontroller",
        "Status: Pågår",
        "Ansvar: Polisen",
        "Mål: minst 80 trafikkontroller per år",
        *TRAFFIC_RESULTS,
        "Bedömt 15 juni 2026: 42 kontroller till och med maj.",
    ]
    row.locator(".visually-hidden").evaluate_all("els => els.forEach(el => el.classList.remove('visually-hidden'))")
    text = _text(row.inner_text())
    positions = [text.find(part) for part in parts]
    assert -1 not in positions and positions == sorted(positions), f"/{path}: {parts} not in order in {text!r}"
    comment = row.locator(".latest-rating")
    assert comment.is_visible(), f"/{path}: the newest comment is not in view"
    assert comment.evaluate("el => el.closest('details') === null")
    if path == EXEMPELBY_PROMISE:
        history = row.locator("details.history")
        assert history.count() == 1
        assert history.evaluate(
            "(h, c) => c.compareDocumentPosition(h) & Node.DOCUMENT_POSITION_FOLLOWING", comment.element_handle()
        )
        assert _text(history.locator("summary").inner_text()) == "Tidigare bedömningar (2)"


@viewports
@pytest.mark.parametrize("path", ["stromstad/", "stromstad/2023-2024/"])
def test_unrated_commitments_are_one_statement_and_a_plain_list(
    new_page, site_url: str, path: str, viewport: dict
) -> None:
    page = new_page(viewport=viewport)
    page.goto(site_url + path)
    section = page.locator("section[aria-labelledby=ataganden]")
    assert _text(section.locator(".unrated-note").inner_text()) == (
        "Inget av de 21 åtagandena har bedömts i någon publicerad uppföljning."
    )
    items = section.locator("li.commitment-plain")
    assert items.count() == 21
    assert section.locator(".status, li.commitment").count() == 0, f"/{path}: a status or card per commitment"
    for index in range(items.count()):
        assert "Ansvar:" in items.nth(index).inner_text()


# --- 3. Ended or silent promises ------------------------------------------------------------------------------------


@viewports
@pytest.mark.parametrize(
    ("path", "said", "ask", "href"),
    [
        (
            "stromstad/",
            STROMSTAD_SILENCE,
            STROMSTAD_ASK,
            "mailto:info@example.org",
        ),
        (
            "stromstad/2023-2024/",
            STROMSTAD_SILENCE,
            STROMSTAD_ASK,
            "mailto:info@example.org",
        ),
        (
            "ostersund/",
            "Ingen uppföljning har publicerats ännu.",
            "Fråga Östersunds kommun hur arbetet har gått: https://www.ostersund.se",
            "https://www.ostersund.se",
        ),
        (
            "trollhattan/2021/",
            "Perioden slutade 2021. Ingen uppföljning har publicerats.",
            "Fråga Trollhättans Stad hur arbetet har gått: Kontaktcenter, Gärdhemsvägen 9, 461 83 Trollhättan "
            "(Helgfria vardagar, måndag–fredag: 8:00–16:30)",
            None,
        ),
    ],
)
def test_a_silent_promise_says_so_and_whom_to_ask(
    new_page, site_url: str, path: str, said: str, ask: str, href: str | None, viewport: dict
) -> None:
    page = new_page(viewport=viewport)
    page.goto(site_url + path)
    answer = page.locator(".answer")
    assert _text(answer.locator(".silence").inner_text()) == said
    paragraphs = [_text(p) for p in answer.locator("p").all_inner_texts()]
    assert ask in paragraphs, f"/{path}: {paragraphs}"
    links = answer.locator(".silent a")
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == ([href] if href else [])


@viewports
def test_a_silent_promise_in_the_demo_says_its_period_ended(new_page, demo_url: str, viewport: dict) -> None:
    page = new_page(viewport=viewport)
    page.goto(demo_url + "pahittebo/2024-2025/")
    assert _text(page.locator(".silence").inner_text()) == "Perioden slutade 2025. Ingen uppföljning har publicerats."


# --- 7. Print ------------------------------------------------------------------------------------------------------


def _pdf_pages(page) -> list[list[str]]:
    """The page printed as the browser prints it: each sheet's lines of text."""
    reader = pypdf.PdfReader(io.BytesIO(page.pdf(format="A4")))
    return [
        [line.strip() for line in (sheet.extract_text() or "").splitlines() if line.strip()] for sheet in reader.pages
    ]


@pytest.mark.parametrize("path", [EXEMPELBY_PROMISE, EXEMPELBY])
def test_print_shows_history_comments_and_full_addresses_without_stranded_headings(
    new_page, demo_url: str, path: str
) -> None:
    page = new_page(java_script_enabled=False)
    page.goto(demo_url + path)
    page.emulate_media(media="print")
    history = page.locator(".history-list > li")
    for index in range(history.count()):
        assert history.nth(index).is_visible(), f"/{path}: history line #{index} is not printed"
    tags = page.locator(".commitment-status .status")
    assert tags.count() == 6
    for index in range(tags.count()):
        assert tags.nth(index).is_visible() and tags.nth(index).inner_text().strip() in STATUS_WORDS
    breaks = page.evaluate(
        "() => [...document.querySelectorAll('h1, h2, h3, h4')].map(h => getComputedStyle(h).breakAfter)"
    )
    assert set(breaks) == {"avoid"}, f"/{path}: a heading may be printed alone at a page's foot: {breaks}"

    sheets = _pdf_pages(page)
    text = " ".join(" ".join(lines) for lines in sheets)
    flat = re.sub(r"\s", "", text)
    if path == EXEMPELBY_PROMISE:
        for comment in EARLIER_COMMENTS:
            assert comment in text, f"/{path}: the printed page lacks the earlier comment {comment!r}"
    addresses = page.locator("main a[data-full-url]").evaluate_all("links => links.map(a => a.dataset.fullUrl)")
    external = page.locator("main a[href^='http']:not(.full-url)").evaluate_all("links => links.map(a => a.href)")
    assert addresses, f"/{path}: no link to a page of the site"
    for address in addresses + external:
        assert address.startswith("https://") and f"({address})" in flat, f"/{path}: {address} is not printed"
    assert "(/" not in flat, f"/{path}: a relative address is printed"
    headings = {_text(h) for h in page.locator("main :is(h2, h3, h4)").all_inner_texts()}
    for number, lines in enumerate(sheets[:-1], 1):
        assert lines[-1] not in headings, f"/{path}: the heading {lines[-1]!r} ends printed page {number}"


# --- Field names ---------------------------------------------------------------------------------------------------


# Where a field's name is broken over two lines: the characters on each side of every break that is not at a space,
# a hyphen, an underscore or a bracket.
BROKEN_WORDS = """selector => [...document.querySelectorAll(selector)].flatMap(el => {
    const text = el.textContent, range = document.createRange(), node = el.firstChild, breaks = [];
    if (!node || node.nodeType !== Node.TEXT_NODE) return [];
    let previous = null;
    for (let i = 0; i < text.length; i++) {
        range.setStart(node, i); range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (!rect) continue;
        if (previous !== null && rect.top > previous + 2 && !/[\\s_\\-\\[\\]]/.test(text[i - 1] + text[i]))
            breaks.push(text.slice(0, i) + '|' + text.slice(i));
        previous = rect.top;
    }
    return breaks;
})"""


@pytest.mark.parametrize("width", [320, 375, 1280])
@pytest.mark.parametrize(
    ("path", "selector"),
    [
        ("data/", ".fields code, .fields th"),
        (EXEMPELBY_PROMISE, ".facts dt, .commitment-meta dt, .by-responsibility .part"),
    ],
)
def test_field_names_do_not_break_inside_a_word(new_page, demo_url: str, path: str, selector: str, width: int) -> None:
    page = new_page(viewport={"width": width, "height": 800})
    page.goto(demo_url + path)
    assert page.locator(selector).count() > 5
    broken = page.evaluate(BROKEN_WORDS, selector)
    assert not broken, f"/{path} at {width} px breaks field names inside a word: {broken}"
    scroll_width, client_width, wider = sideways_overflow(page)
    assert scroll_width <= client_width, f"/{path} scrolls sideways at {width} px: {wider}"


# --- 8. Visual identity --------------------------------------------------------------------------------------------


def _luminance(colour: str) -> float:
    """Relative luminance (WCAG 2) of a CSS rgb() colour."""

    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = _rgba(colour)[:3]
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


@viewports
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["stromstad/", "trollhattan/2025-2026/", *DEMO[:3]])
def test_light_and_dark_follow_the_readers_setting_with_no_axe_violation(
    new_page, site_url: str, demo_url: str, path: str, scheme: str, viewport: dict
) -> None:
    page = new_page(viewport=viewport, color_scheme=scheme)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    url = _url(site_url, demo_url, path)
    page.goto(url)
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    background, text = page.evaluate(
        "() => [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]"
    )
    if scheme == "dark":
        assert _luminance(background) < 0.05 and _luminance(text) > 0.6, f"/{path}: not dark ({background}, {text})"
    else:
        assert _luminance(background) > 0.9 and _luminance(text) < 0.05, f"/{path}: not light ({background}, {text})"
    assert not (report := axe_violations(page)), f"axe-core on /{path} ({scheme}, {viewport}):\n{report}"
    origin = url[: url.index("/", len("http://"))]
    outside = sorted({request for request in requests if not request.startswith(origin + "/")})
    assert not outside, f"/{path}: requests to other hosts: {outside}"


@viewports
def test_forced_colours_keep_every_tag_and_the_summary_bar_drawn(new_page, demo_url: str, viewport: dict) -> None:
    """In a Windows contrast theme backgrounds are not drawn: a tag keeps an edge in the text's colour, and the bar
    keeps each segment, outlined in the text's colour on the page's, the done ones filled."""
    page = new_page(forced_colors="active", viewport=viewport)
    page.goto(demo_url + EXEMPELBY_PROMISE)
    ink, canvas = page.evaluate(
        "() => [getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor]"
    )
    tags = page.locator("main .status")
    for index in range(tags.count()):
        style, width, colour = tags.nth(index).evaluate(
            "el => { const s = getComputedStyle(el); return [s.borderTopStyle, s.borderTopWidth, s.borderTopColor]; }"
        )
        assert style != "none" and float(width[:-2]) >= 1 and colour == ink, f"tag #{index}: {style} {width} {colour}"

    bar = page.locator(".summary-bar")
    segments = bar.locator("rect").evaluate_all(
        "rects => rects.map(r => [getComputedStyle(r).fill, getComputedStyle(r).stroke, r.getAttribute('class')])"
    )
    assert len(segments) == 4
    for fill, stroke, name in segments:
        assert stroke == ink, f"{name}: outlined in {stroke}, not the text's colour {ink}"
        assert fill == (ink if name == "segment-genomfort" else canvas), f"{name}: filled with {fill}"
    box = bar.bounding_box()
    shot = Image.open(io.BytesIO(page.screenshot(clip=box))).convert("RGB")
    row = [shot.getpixel((x, shot.height // 2)) for x in range(shot.width)]
    dark = [sum(pixel) < 3 * 128 for pixel in row]
    changes = sum(1 for a, b in itertools.pairwise(dark) if a != b)
    assert changes >= 2 * (len(segments) - 1), f"the bar's segments cannot be told apart ({changes} edges)"


@viewports
@pytest.mark.parametrize("path", [EXEMPELBY, EXEMPELBY_PROMISE])
def test_type_scale_spacing_grid_and_palette(new_page, demo_url: str, path: str, viewport: dict) -> None:
    page = new_page(viewport=viewport)
    page.goto(demo_url + path)
    sizes = page.evaluate(
        """() => ['h1', 'h2', 'h3', 'main p']
            .map(s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize))"""
    )
    assert sizes == sorted(sizes, reverse=True) and len(set(sizes)) == 4, f"/{path}: no clear hierarchy: {sizes}"
    off_grid = page.evaluate(
        """() => [...document.querySelectorAll('main *')].flatMap(el => {
            const s = getComputedStyle(el);
            if (s.display.startsWith('inline') || el.closest('svg')) return [];
            return ['marginTop', 'marginBottom', 'paddingTop', 'paddingBottom', 'paddingLeft']
                .filter(p => Math.abs(parseFloat(s[p]) / 4 - Math.round(parseFloat(s[p]) / 4)) > 0.01)
                .map(p => `${el.tagName.toLowerCase()}.${el.className} ${p} ${s[p]}`);
        })"""
    )
    assert not off_grid, f"/{path}: spacing off the 4 px grid: {off_grid[:10]}"
    colours = page.evaluate(
        """() => [...new Set([...document.querySelectorAll('main *')]
            .filter(el => !el.closest('.status, svg'))
            .filter(el => [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
            .map(el => getComputedStyle(el).color))]"""
    )
    assert len(colours) <= 3, f"/{path}: text in more colours than ink, muted and link: {colours}"
