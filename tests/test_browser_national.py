"""Browser tests for Hitta din kommun, `/sverige/` and a kommun without a promise, on a phone (375 × 667) and a
laptop (1280 × 800): the combobox by keyboard and by its screen-reader semantics, the same answers as places.find,
the form without JavaScript, the map's focus, and axe-core."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from test_browser import axe_violations, sideways_overflow

from medborgarlofte.outputs.places import find

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": {"width": 375, "height": 667}, "laptop": {"width": 1280, "height": 800}}
FIELD = "#hitta-fraga"
OPTIONS = "#hitta-forslag [role=option]"
PAGES = {"start": "", "sverige": "sverige/", "utan-lofte": "alingsas/", "data": "data/"}
# Names, orter and postal codes, whole and in part, with and without å, ä and ö, that the browser must answer as
# places.find does.
QUERIES = (
    "441 30",
    "44130",
    "441",
    "4413",
    "121 24",
    "99999",
    "12",
    "Södertälje",
    "sodertalje",
    "Bromma",
    "väsby",
    "Upplands-Väsby",
    "Håbo",
    "Habo",
    "ö",
    "s",
    "Malung sälen",
    "Region Gotland",
    "xyz",
)


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def screen(browser, request: pytest.FixtureRequest) -> Iterator[object]:
    ctx = browser.new_context(viewport=VIEWPORTS[request.param])
    yield ctx.new_page()
    ctx.close()


def type_query(page, site_url: str, query: str) -> None:
    """The front page with the query typed into the field, once the answers are shown."""
    page.goto(site_url)
    page.locator(FIELD).click()
    page.keyboard.type(query)
    page.wait_for_function("() => document.getElementById('hitta-antal').textContent !== ''")


def option_names(page) -> list[str]:
    return page.locator(f"{OPTIONS} .finder-name").all_text_contents()


def test_a_postal_code_finds_its_kommun_and_enter_goes_there(screen, site_url: str) -> None:
    type_query(screen, site_url, "441 30")
    assert option_names(screen) == ["Alingsås"]
    assert screen.locator(OPTIONS).first.text_content() == "Alingsås (Postnummer: 441 30) – inget publicerat här"
    assert screen.locator("#hitta-antal").text_content() == "1 kommun passar."
    screen.keyboard.press("Enter")
    screen.wait_for_url(site_url + "alingsas/")
    assert screen.locator("h1").text_content() == "Medborgarlöften i Alingsås"


def test_an_ort_in_several_kommuner_shows_them_all(screen, site_url: str) -> None:
    type_query(screen, site_url, "Södertälje")
    assert option_names(screen) == ["Södertälje", "Nykvarn", "Salem"]
    assert screen.locator("#hitta-antal").text_content() == "3 kommuner passar."
    assert screen.locator(OPTIONS).nth(1).text_content() == "Nykvarn (Ort: Södertälje) – inget publicerat här"
    for option in screen.locator(OPTIONS).all():
        assert option.is_visible()


def test_arrow_keys_choose_an_option_and_enter_goes_to_its_page(screen, site_url: str) -> None:
    type_query(screen, site_url, "troll")
    field = screen.locator(FIELD)
    assert field.get_attribute("aria-activedescendant") is None
    screen.keyboard.press("ArrowDown")
    first = screen.locator(OPTIONS).first
    assert field.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    assert first.text_content().startswith("Trollhättan – medborgarlöfte 2025–2026")
    screen.keyboard.press("ArrowUp")
    last = screen.locator(OPTIONS).last
    assert field.get_attribute("aria-activedescendant") == last.get_attribute("id")
    screen.keyboard.press("ArrowDown")
    assert field.get_attribute("aria-activedescendant") == first.get_attribute("id")
    screen.keyboard.press("Enter")
    screen.wait_for_url(site_url + "trollhattan/")


def test_escape_closes_the_list_and_then_empties_the_field(screen, site_url: str) -> None:
    type_query(screen, site_url, "Bromma")
    field = screen.locator(FIELD)
    assert field.get_attribute("aria-expanded") == "true" and screen.locator("#hitta-forslag").is_visible()
    screen.keyboard.press("ArrowDown")
    screen.keyboard.press("Escape")
    assert field.get_attribute("aria-expanded") == "false"
    assert not screen.locator("#hitta-forslag").is_visible()
    assert field.get_attribute("aria-activedescendant") is None
    assert field.input_value() == "Bromma" and screen.url == site_url
    screen.keyboard.press("Escape")
    assert field.input_value() == ""


def test_the_field_is_a_combobox_with_a_listbox_and_a_polite_count(screen, site_url: str) -> None:
    type_query(screen, site_url, "Bromma")
    field = screen.get_by_role("combobox", name="Kommun, ort eller postnummer")
    assert field.count() == 1
    listbox = screen.get_by_role("listbox")
    assert field.get_attribute("aria-controls") == listbox.get_attribute("id") == "hitta-forslag"
    assert field.get_attribute("aria-autocomplete") == "list"
    assert field.get_attribute("aria-describedby") == "hitta-tips"
    assert [option.text_content() for option in listbox.get_by_role("option").all()] == [
        "Ekerö (Ort: Bromma) – inget publicerat här",
        "Stockholm (Ort: Bromma) – inget publicerat här",
    ]
    status = screen.locator("#hitta-antal")
    assert (status.get_attribute("role"), status.get_attribute("aria-live")) == ("status", "polite")
    assert status.text_content() == "2 kommuner passar."
    assert screen.get_by_role("search", name="Hitta din kommun").count() == 1
    assert not (report := axe_violations(screen)), f"axe-core with the list open:\n{report}"


def test_the_browser_answers_as_places_find_does(page, site_url: str) -> None:
    page.goto(site_url)
    answers = page.evaluate(
        """async (queries) => {
            const finder = await import(new URL("static/hitta.js", document.baseURI).href);
            const index = finder.makeIndex(await (await fetch(document.getElementById("hitta").dataset.index)).json());
            return queries.map((query) => finder.find(index, query).map((found) => [found.code, found.kind]));
        }""",
        list(QUERIES),
    )
    kinds = ["kommun", "ort", "postnummer", "postnummerområde"]
    for query, answer in zip(QUERIES, answers, strict=True):
        assert [(code, kinds[kind]) for code, kind in answer] == [(m.code, m.kind.value) for m in find(query)], query


def test_without_javascript_the_form_leads_to_the_a_to_o_list(browser, site_url: str) -> None:
    for viewport in VIEWPORTS.values():
        ctx = browser.new_context(java_script_enabled=False, viewport=viewport)
        try:
            page = ctx.new_page()
            page.goto(site_url)
            field = page.locator(FIELD)
            assert field.get_attribute("role") is None, "a combobox without its script would promise answers"
            field.fill("Alingsås")
            field.press("Enter")
            page.wait_for_url(site_url + "?kommun=Alings%C3%A5s#a-o")
            heading = page.locator("#a-o-rubrik")
            assert heading.text_content() == "Alla kommuner A–Ö"
            box = heading.bounding_box()
            assert box is not None and -1 < box["y"] < viewport["height"], "the list is not scrolled into view"
            page.get_by_role("link", name="Alingsås", exact=True).click()
            page.wait_for_url(site_url + "alingsas/")
            assert page.locator("h1").text_content() == "Medborgarlöften i Alingsås"
        finally:
            ctx.close()


@pytest.mark.parametrize("path", list(PAGES.values()), ids=list(PAGES))
def test_axe_and_no_sideways_scroll(screen, site_url: str, path: str) -> None:
    response = screen.goto(site_url + path)
    assert response is not None and response.status == 200
    assert not (report := axe_violations(screen)), f"axe-core found violations on /{path}:\n{report}"
    scroll_width, client_width, wider = sideways_overflow(screen)
    assert scroll_width <= client_width, f"/{path} scrolls sideways: {wider}"


def test_a_map_link_shows_its_keyboard_focus(screen, site_url: str) -> None:
    screen.goto(site_url + "sverige/")
    screen.get_by_role("link", name="Hoppa förbi kartans 290 länkar till tabellerna").focus()
    screen.keyboard.press("Tab")
    focused = screen.evaluate(
        """() => {
            const link = document.activeElement, path = link.querySelector('path');
            const colour = (name) => {
                const probe = document.body.appendChild(document.createElement('span'));
                probe.style.color = `var(${name})`;
                const value = getComputedStyle(probe).color;
                probe.remove();
                return value;
            };
            return {inMap: link.closest('svg.sverigekarta') !== null, name: link.querySelector('title').textContent,
                    fill: getComputedStyle(path).fill, stroke: getComputedStyle(path).stroke,
                    focus: colour('--focus'), text: colour('--text')};
        }"""
    )
    assert focused["inMap"] and focused["name"] == "Upplands Väsby: inget publicerat här"
    assert (focused["fill"], focused["stroke"]) == (focused["focus"], focused["text"]), focused


def test_a_keyboard_can_pass_the_map(screen, site_url: str) -> None:
    screen.goto(site_url + "sverige/")
    skip = screen.get_by_role("link", name="Hoppa förbi kartans 290 länkar till tabellerna")
    skip.focus()
    screen.keyboard.press("Enter")
    screen.keyboard.press("Tab")
    focused = screen.evaluate("() => [document.activeElement.textContent, !!document.activeElement.closest('table')]")
    assert focused == ["Karlshamn", True], "Tab after the skip link does not reach the first table"


def test_the_map_beside_the_tables_stays_in_view_on_a_laptop(browser, site_url: str) -> None:
    ctx = browser.new_context(viewport=VIEWPORTS["laptop"])
    try:
        page = ctx.new_page()
        page.goto(site_url + "sverige/#lan-14")
        page.mouse.wheel(0, 600)
        page.wait_for_timeout(100)
        box = page.locator("svg.sverigekarta").bounding_box()
        table = page.locator("#lan-14 ~ table").bounding_box()
        assert box is not None and table is not None
        assert box["x"] + box["width"] <= table["x"], "the map is not beside the tables"
        assert box["y"] >= 0 and box["y"] + box["height"] <= VIEWPORTS["laptop"]["height"], box
    finally:
        ctx.close()


def test_footer_links_lead_to_the_overview_and_the_open_data(screen, site_url: str) -> None:
    for path in PAGES.values():
        screen.goto(site_url + path)
        footer = screen.get_by_role("contentinfo")
        for name, target in (("Alla kommuner", "sverige/"), ("Öppna data", "data/")):
            link = footer.get_by_role("link", name=name, exact=True)
            assert link.get_attribute("href") == "/" + target
    screen.get_by_role("contentinfo").get_by_role("link", name="Öppna data", exact=True).click()
    screen.wait_for_url(site_url + "data/")


def test_the_map_follows_the_dark_scheme(browser, site_url: str) -> None:
    for scheme, expected in (("light", "rgb(255, 255, 255)"), ("dark", "var(--background)")):
        ctx = browser.new_context(color_scheme=scheme)
        try:
            page = ctx.new_page()
            page.goto(site_url + "sverige/")
            fills = page.evaluate(
                """(expected) => {
                    const probe = document.body.appendChild(document.createElement('span'));
                    probe.style.color = expected;
                    const wanted = getComputedStyle(probe).color;
                    probe.remove();
                    const tile = document.querySelector('svg.sverigekarta pattern.karta-inget > rect');
                    return [getComputedStyle(tile).fill, wanted];
                }""",
                expected,
            )
            assert fills[0] == fills[1], (scheme, fills)
        finally:
            ctx.close()
