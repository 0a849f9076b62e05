"""Every one of Sweden's 290 kommuner has an answer: its page, or a page saying nothing is published here yet; the
front page's A–Ö list and finder index, `/sverige/` by län with the map, and the sitemap and footer that lead there."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import REPO, indexed

from medborgarlofte.build.content import load_site
from medborgarlofte.build.pipeline import Memory, Options, build, update
from medborgarlofte.cli import BUNDLED_THEME, main
from medborgarlofte.content.registry import SOURCE as REGISTRY_SOURCE
from medborgarlofte.content.registry import load_registry
from medborgarlofte.outputs.addresses import RESERVED_SLUGS
from medborgarlofte.outputs.national import NOTHING_PUBLISHED, KommunAnswer
from medborgarlofte.outputs.places import SOURCE as PLACES_SOURCE
from medborgarlofte.outputs.sweden_map import SOURCE as MAP_SOURCE
from medborgarlofte.preview.live import LiveSite, touched

DEMO = REPO / "examples" / "demo"
NO_PROMISE = "har inte publicerat något medborgarlöfte här ännu"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SHIPPED = {"trollhattan": "1488", "stromstad": "1486", "vaggeryd": "0665", "ostersund": "2380"}


def text(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def answer_pages(site: Path) -> dict[str, str]:
    """Every kommun's answer in a built site, by kommunkod: the page its front-page link leads to."""
    links = re.findall(
        r'<li><a href="/([a-z0-9-]+)/">([^<]+)</a> <span class="muted">– <span data-state>', text(site, "index.html")
    )
    by_name = {kommun.name: code for code, kommun in load_registry().kommuner.items()}
    return {by_name[name]: text(site, f"{slug}/index.html") for slug, name in links}


def test_every_kommun_of_the_registry_has_an_answer_four_with_content(shipped_site: Path) -> None:
    answers = answer_pages(shipped_site)
    assert set(answers) == set(load_registry().kommuner) and len(answers) == 290
    without = {code for code, html in answers.items() if NO_PROMISE in html}
    assert len(without) == 286
    assert set(answers) - without == set(SHIPPED.values())
    for slug, code in SHIPPED.items():
        assert answers[code] == text(shipped_site, f"{slug}/index.html")
        assert f'href="/{slug}/feed.xml"' in answers[code], "a kommun with content is answered by its own page"


def test_a_kommun_without_content_is_answered_with_its_facts_and_whom_to_ask(shipped_site: Path) -> None:
    html = text(shipped_site, "alingsas/index.html")
    assert "<title>Medborgarlöften i Alingsås – Medborgarlöften</title>" in html
    assert "<strong>Alingsås har inte publicerat något medborgarlöfte här ännu.</strong>" in html
    assert "<dt>Län:</dt> <dd>Västra Götalands län</dd>" in html
    assert "<dt>Kommun:</dt> <dd>Alingsås kommun</dd>" in html
    assert "<dt>Postorter:</dt> <dd>Alingsås, Sollebrunn, Tollered</dd>" in html
    assert "Lokalpolisområde" not in html, "the lokalpolisområde of a kommun without content is not known"
    assert "Fråga Alingsås kommun" in html
    assert 'href="mailto:info@example.org"' in html  # content/site.yaml's contact, to tell us a promise exists
    assert 'href="/sverige/#lan-14"' in html and 'href="/sverige/"' in html
    assert 'aria-current="page">Alingsås</a>' in html  # breadcrumbs: Start › Alla kommuner › Alingsås
    assert "/alingsas/" not in indexed(shipped_site), "a kommun without content is found by the finder, not the index"


def test_kommuner_whose_names_fold_alike_get_their_kommunkod(shipped_site: Path) -> None:
    assert "Medborgarlöften i Håbo" in text(shipped_site, "habo-0305/index.html")
    assert "Medborgarlöften i Habo" in text(shipped_site, "habo-0643/index.html")
    assert not (shipped_site / "habo").exists()


def test_a_content_folder_wins_and_a_kommun_without_one_moves_aside(content: Path, cli) -> None:
    """A folder holds a kommun's content whatever its name; the kommun whose registry address it takes, and the one a
    page of the site takes, are answered at the address with their kommunkod."""
    kommun = content / "kommuner" / "trollhattan" / "kommun.yaml"
    kommun.write_text(
        kommun.read_text(encoding="utf-8").replace("Trollhättan", "Alingsås").replace("1488", "1489"), "utf-8"
    )
    shutil.copy(content / "content" / "om.md", content / "content" / "ale.md")
    out = content / "_site"
    assert cli("build", "--content", content, "--out", out, "--no-pdf").code == 0
    assert "Medborgarlöften i Alingsås" in text(out, "trollhattan/index.html")
    assert NO_PROMISE not in text(out, "trollhattan/index.html")
    assert f"Trollhättan {NO_PROMISE}" in text(out, "trollhattan-1488/index.html")
    assert f"Ale {NO_PROMISE}" in text(out, "ale-1440/index.html")
    assert NO_PROMISE not in text(out, "ale/index.html")
    assert not (out / "alingsas").exists()


def test_fictional_kommuner_are_never_among_the_290(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    assert main(["build", "--content", str(DEMO), "--out", str(out), "--no-pdf"]) == 0
    overview = text(out, "sverige/index.html")
    for name in ("Exempelby", "Påhittebo"):
        assert name not in overview
    assert "0 av 290 kommuner har publicerat ett medborgarlöfte här" in overview
    start = text(out, "index.html")
    finder = json.loads(text(out, "hitta-kommun.json"))
    assert len(finder["kommuner"]) == 290 and not any(row[1] == "Exempelby" for row in finder["kommuner"])
    a_o = start[start.index('id="a-o"') : start.index('id="exempel"')]
    assert "Exempelby" not in a_o and len(re.findall(r"<span data-state>", a_o)) == 290
    examples = start[start.index('id="exempel"') :]
    assert 'href="/exempelby/"' in examples and 'href="/pahittebo/"' in examples


def test_the_state_of_a_kommun_is_worded_once_for_every_list() -> None:
    site, _ = load_site(DEMO, date(2026, 7, 1))
    assert site is not None
    registered = load_registry().kommuner["1489"]
    kommuner = {kommun.slug: kommun for kommun in site.kommuner}
    with_follow_ups = KommunAnswer(registered, "x", kommuner["exempelby"])
    assert with_follow_ups.state.key == "foljs-upp"
    assert re.fullmatch(r"medborgarlöfte 2025–2026, \d av \d bedömda", with_follow_ups.state_label)
    rated = sum(1 for c in kommuner["exempelby"].current.commitments if c.status.key != "ej bedömt")
    assert with_follow_ups.state_label.endswith(
        f", {rated} av {len(kommuner['exempelby'].current.commitments)} bedömda"
    )
    ended = KommunAnswer(registered, "x", kommuner["pahittebo"])
    assert all(p.state == "avslutat" for p in kommuner["pahittebo"].promises)
    assert ended.state.key == "avslutat" and "(avslutat)" in ended.state_label
    nothing = KommunAnswer(registered, "x", None)
    assert (nothing.state.key, nothing.state_label) == ("inget", NOTHING_PUBLISHED)
    assert nothing.map_label == "Alingsås: inget publicerat här"


def test_front_page_lists_all_290_kommuner_a_to_o_by_initial_with_their_state(shipped_site: Path) -> None:
    html = text(shipped_site, "index.html")
    assert "4 av 290 kommuner har publicerat ett medborgarlöfte här." in html
    letters = re.findall(r'<h3 id="bokstav-[^"]+">([^<]+)</h3>', html)
    assert letters[0] == "A" and letters[-3:] == ["Å", "Ä", "Ö"] and len(letters) == len(set(letters))
    assert '<a href="/trollhattan/">Trollhättan</a> <span class="muted">– <span data-state>medborgarlöfte ' in html
    assert '<a href="/alingsas/">Alingsås</a> <span class="muted">– <span data-state>inget publicerat här' in html
    assert html.index(">Strömstad<") < html.index(">Trollhättan<") < html.index(">Åre<") < html.index(">Östersund<")
    start = html.index('<form id="hitta"')
    form = html[start : html.index("</form>", start)]
    assert 'action="#a-o"' in form and 'data-index="/hitta-kommun.json"' in form
    assert '<label for="hitta-fraga">Kommun, ort eller postnummer</label>' in form
    assert html.index('<form id="hitta"') < html.index('id="a-o"'), "the A–Ö list answers the form without JavaScript"
    assert 'href="/sverige/"' in html


def test_the_finder_index_leads_every_kommun_to_its_answer(shipped_site: Path) -> None:
    data = json.loads(text(shipped_site, "hitta-kommun.json"))
    assert len(data["kommuner"]) == 290
    for code, _name, _official, href in data["kommuner"]:
        assert (shipped_site / href.strip("/") / "index.html").is_file(), (code, href)
    assert ["1488", "Trollhättan", "Trollhättans kommun", "/trollhattan/"] in data["kommuner"]


def test_the_overview_lists_every_kommun_by_lan_with_counts_the_map_and_its_sources(shipped_site: Path) -> None:
    html = text(shipped_site, "sverige/index.html")
    lan = re.findall(r'<h2 id="lan-\d\d">([^<]+)</h2>', html)
    assert len(lan) == 21 and lan[0] == "Blekinge län" and lan[-2:] == ["Örebro län", "Östergötlands län"]
    vg = html[html.index('<h2 id="lan-14">') :]
    vg = vg[: vg.index("</section>")]
    assert "<p>2 av 49 kommuner har publicerat ett medborgarlöfte här.</p>" in vg
    assert vg.index(">Strömstad<") < vg.index(">Trollhättan<")
    assert re.search(r"Ingen uppföljning publicerad\.", vg)
    assert "<p>1 av 1 kommun har publicerat" not in html and "<p>0 av 1 kommun har publicerat" in html  # Gotland
    rows = re.findall(r'<th scope="row"><a href="/([a-z0-9-]+)/">', html)
    assert len(rows) == len(set(rows)) == 290
    assert html.count("<td>Inget publicerat här</td>") == 286
    start = html.index('class="sverigekarta"')
    svg = html[start : html.index("</svg>", start)]
    titles = re.findall(r'<a href="/([a-z0-9-]+)/"><title>([^<]+)</title>', svg)
    assert len(titles) == 290 and ("alingsas", "Alingsås: inget publicerat här") in titles
    site, _ = load_site(REPO, date(2026, 7, 1))
    assert site is not None
    trollhattan = next(kommun for kommun in site.kommuner if kommun.slug == "trollhattan").current
    assert trollhattan is not None and not trollhattan.follow_ups
    expected = f"Trollhättan: medborgarlöfte 2025–2026, 0 av {len(trollhattan.commitments)} bedömda"
    assert ("trollhattan", expected) in titles
    assert "aria-label=" not in svg, "each map link is named by its own <title> only"
    assert "Inget medborgarlöfte publicerat här: 286 kommuner" in html
    assert "Bara medborgarlöften vars period har slutat: 1 kommun" in html  # Strömstad 2023–2024
    for source in (REGISTRY_SOURCE, PLACES_SOURCE, MAP_SOURCE):
        assert source in html


def test_data_page_credits_the_reference_data(shipped_site: Path) -> None:
    html = text(shipped_site, "data/index.html")
    for source in (REGISTRY_SOURCE, PLACES_SOURCE, MAP_SOURCE):
        assert source in html


def test_sitemap_has_the_overview_the_data_page_and_every_answer(shipped_site: Path) -> None:
    root = ElementTree.parse(shipped_site / "sitemap.xml").getroot()
    paths = [loc.text.removeprefix("https://example.org/") for loc in root.iter(f"{SITEMAP}loc")]
    assert "sverige/" in paths and "data/" in paths and len(paths) == len(set(paths))
    answers = [slug + "/" for slug in (*SHIPPED, "alingsas", "habo-0305", "habo-0643", "are", "ostra-goinge")]
    assert set(answers) <= set(paths)
    kommun_pages = {p for p in paths if p.count("/") == 1 and (shipped_site / p / "index.html").is_file()}
    assert len([p for p in kommun_pages if NO_PROMISE in text(shipped_site, p + "index.html")]) == 286


@pytest.mark.parametrize(
    "path", ["index.html", "sverige/index.html", "alingsas/index.html", "trollhattan/2021/index.html"]
)
def test_footer_and_navigation_lead_to_the_overview_and_the_open_data(shipped_site: Path, path: str) -> None:
    html = text(shipped_site, path)
    footer = html[html.index('<footer class="site-footer">') :]
    assert '<a href="/sverige/">Alla kommuner</a>' in footer and '<a href="/data/">Öppna data</a>' in footer
    navigation = html[html.index('<nav aria-label="Huvudmeny">') : html.index("</nav>")]
    assert 'href="/sverige/"' in navigation


def test_alla_sidor_lists_the_overview_the_data_page_and_every_kommun(shipped_site: Path) -> None:
    html = text(shipped_site, "sok/index.html")
    every = html[html.index('id="alla-sidor"') :]
    assert '<a href="/sverige/">' in every and '<a href="/data/">Öppna data</a>' in every
    a_o = html[html.index('id="a-o"') : html.index('id="alla-sidor"')]
    assert len(re.findall(r'<li><a href="/[a-z0-9-]+/">', a_o)) == 290


def _options(root: Path, out: Path) -> Options:
    return Options(root, BUNDLED_THEME, out, "http://127.0.0.1:8000/", date(2026, 7, 1), False, root / ".cache")


def test_an_edited_kommun_updates_the_overview_and_the_front_page_in_serve(content: Path) -> None:
    out = content / "_site"
    memory = Memory(_options(content, out))
    assert build(_options(content, out), memory=memory).site is not None
    assert "medborgarlöfte 2021 (avslutat), 0 av 2 bedömda" in text(out, "index.html")
    follow_up = content / "kommuner" / "trollhattan" / "2021" / "uppfoljningar" / "2021-12.md"
    follow_up.parent.mkdir()
    follow_up.write_text(
        "---\ndatum: 2021-12-01\nåtaganden:\n  narkotika:\n    status: pågår\n---\nUppföljning.\n", "utf-8"
    )
    change = touched({follow_up}, content)
    assert change is not None
    wanted, kommuner = change
    memory.content.forget(kommuner)
    result, written = update(_options(content, out), wanted, memory)
    assert result.site is not None and written is not None
    assert {"index.html", "sverige/index.html"} <= set(written)
    assert "medborgarlöfte 2021 (avslutat), 1 av 2 bedömt" in text(out, "index.html")
    assert "1 av 2 åtaganden bedömt: 1 pågår; 1 ej bedömt." in text(out, "sverige/index.html")


def test_a_changed_kommunkod_makes_serve_build_everything(content: Path) -> None:
    """The folder now holds Alingsås: Alingsås's page of its own goes, and Trollhättan is answered beside the folder."""
    out = content / "_site"
    live = LiveSite(_options(content, out))
    live.full_build()
    assert f"Alingsås {NO_PROMISE}" in text(out, "alingsas/index.html")
    kommun = content / "kommuner" / "trollhattan" / "kommun.yaml"
    kommun.write_text(
        kommun.read_text(encoding="utf-8").replace("Trollhättan", "Alingsås").replace("1488", "1489"), "utf-8"
    )
    change = touched({kommun}, content)
    assert change is not None
    live.memory.content.forget(change[1])
    assert update(_options(content, out), change[0], live.memory)[1] is None
    live.rebuild({kommun}, structural=False)
    assert not (out / "alingsas").exists()
    assert "Medborgarlöften i Alingsås" in text(out, "trollhattan/index.html")
    assert f"Trollhättan {NO_PROMISE}" in text(out, "trollhattan-1488/index.html")


def test_every_name_the_build_writes_at_the_top_is_reserved(shipped_site: Path) -> None:
    """No kommun folder or page can take an address the site uses itself (the overview, the finder's index, the
    search index among them)."""
    answers = {href.strip("/") for *_, href in json.loads(text(shipped_site, "hitta-kommun.json"))["kommuner"]}
    pages = {page.stem for page in (REPO / "content").glob("*.md")}
    written = {path.name for path in shipped_site.iterdir() if not path.name.startswith(".")}
    assert {"sverige", "hitta-kommun.json", "pagefind"} <= written - answers - pages <= RESERVED_SLUGS


@pytest.mark.parametrize("name", ["sverige", "pagefind"])
def test_a_kommun_folder_may_not_take_an_address_of_the_site(content: Path, cli, name: str) -> None:
    (content / "kommuner" / "trollhattan").rename(content / "kommuner" / name)
    result = cli("check", "--content", content)
    assert result.code == 1
    assert f"Adressen `/{name}/` används redan av webbplatsen." in result.err
