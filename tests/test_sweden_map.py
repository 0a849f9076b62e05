"""The map of Sweden's kommuner: every kommun once as a link, escaped, deterministic, within its size budget, drawn
from data that the committed script reproduces from the shared boundaries, and accessible in Chromium."""

from __future__ import annotations

import gzip
import hashlib
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import REPO

from medborgarlofte.content.registry import load_registry
from medborgarlofte.outputs.sweden_map import STATES, MapKommun, Pattern, kommun_shapes, legend_swatch, sweden_map

SVG = "{http://www.w3.org/2000/svg}"
# The shared reference data's boundaries, gzipped (0.3 MB): the map data must stay reproducible from them anywhere.
BOUNDARIES = REPO / "tests" / "fixtures" / "municipalities.geojson.gz"
SHIPPED_MAP_DATA = REPO / "medborgarlofte" / "data" / "kommunkarta.json"
# The national map with addresses and accessible names as long as the site's: under 90 kB as markup, 25 kB gzipped.
MAP_BUDGET = 90_000
MAP_GZIP_BUDGET = 25_000


def national(label: str = "{name}: medborgarlöfte 2025–2026, 4 av 6 åtaganden bedömda") -> dict[str, MapKommun]:
    """Every kommun, the states taken in turn, with an address and a name as long as the site's."""
    kommuner = sorted(load_registry().kommuner.values(), key=lambda k: k.code)
    return {
        k.code: MapKommun(STATES[i % len(STATES)].key, f"/kommuner/{k.code}-{k.name}/", label.format(name=k.name))
        for i, k in enumerate(kommuner)
    }


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def test_every_kommun_is_on_the_map_once_as_a_link_with_its_name() -> None:
    kommuner = national()
    root = parse(sweden_map(kommuner, title="Medborgarlöften i Sveriges kommuner"))
    links = root.findall(f".//{SVG}a")
    assert len(links) == len(kommuner) == 290
    assert sorted(link.get("href") for link in links) == sorted(k.href for k in kommuner.values())
    for link in links:
        code = link.get("href").split("/")[2][:4]
        assert link.findtext(f"{SVG}title") == kommuner[code].label
        [path] = link.findall(f"{SVG}path")
        assert path.get("class") == f"karta-{kommuner[code].state}"
        assert path.get("fill") == f"url(#sverigekarta-{kommuner[code].state})"
        assert path.get("d").startswith("M")
    assert root.findtext(f"{SVG}title") == "Medborgarlöften i Sveriges kommuner"


def test_every_state_has_a_pattern_and_the_description_names_them() -> None:
    root = parse(sweden_map(national(), title="Karta"))
    patterns = {p.get("id"): p for p in root.iter(f"{SVG}pattern")}
    assert set(patterns) == {f"sverigekarta-{state.key}" for state in STATES}
    for state in STATES:
        marks = [e for e in patterns[f"sverigekarta-{state.key}"] if e.tag != f"{SVG}rect"]
        assert bool(marks) == (state.pattern is not Pattern.SOLID), state
    assert len({state.pattern for state in STATES}) == len(STATES)
    description = root.findtext(f"{SVG}desc")
    for word in ("ränder", "prickar", *(state.legend for state in STATES)):
        assert word in description


def test_the_same_kommuner_give_the_same_bytes_in_any_order() -> None:
    kommuner = national()
    first = sweden_map(kommuner, title="Karta")
    assert sweden_map(dict(reversed(kommuner.items())), title="Karta") == first


def test_names_addresses_and_titles_are_escaped() -> None:
    hostile = "<script>alert(\"x\")</script> & 'Öckerö'"
    kommuner = {"1488": MapKommun("inget", '/k/?a=1&b="2"<', hostile)}
    svg = sweden_map(kommuner, title=hostile, id_prefix='k"<')
    assert "<script>" not in svg
    root = parse(svg)
    assert root.findtext(f"{SVG}title") == hostile
    link = root.find(f".//{SVG}a")
    assert link.get("href") == '/k/?a=1&b="2"<'
    assert link.findtext(f"{SVG}title") == hostile


def test_the_view_box_holds_sweden_upright_and_every_kommun() -> None:
    root = parse(sweden_map(national(), title="Karta"))
    west, north, width, height = (int(n) for n in root.get("viewBox").split())
    assert 500 < width < 800 and 1400 < height < 1700, "Sverige är omkring 1 570 km långt och 500–750 km brett"
    for code, shape in kommun_shapes().items():
        box = shape.box
        assert west < box.west < box.east < west + width and north < box.north < box.south < north + height, code


def test_one_lans_map_fits_its_kommuner() -> None:
    stockholm = {code: k for code, k in national().items() if code.startswith("01")}
    root = parse(sweden_map(stockholm, title="Stockholms län"))
    assert len(root.findall(f".//{SVG}a")) == len(stockholm) == 26
    _, _, width, height = (int(n) for n in root.get("viewBox").split())
    assert width < 250 and height < 250


def test_unknown_kommun_or_state_is_an_error() -> None:
    with pytest.raises(ValueError, match="9999"):
        sweden_map({"9999": MapKommun("inget", "/", "x")}, title="Karta")
    with pytest.raises(ValueError, match="okänt"):
        sweden_map({"1488": MapKommun("okänt", "/", "x")}, title="Karta")


def test_the_national_map_is_within_its_size_budget() -> None:
    svg = sweden_map(national(), title="Medborgarlöften i Sveriges kommuner").encode()
    assert len(svg) < MAP_BUDGET, len(svg)
    assert len(gzip.compress(svg, mtime=0)) < MAP_GZIP_BUDGET


def test_the_legend_swatch_has_its_own_pattern() -> None:
    swatch = parse(legend_swatch(STATES[1]))
    assert swatch.get("aria-hidden") == "true"
    [pattern] = swatch.iter(f"{SVG}pattern")
    assert swatch.find(f"{SVG}rect").get("fill") == f"url(#{pattern.get('id')})"


def test_the_shipped_map_data_is_what_the_script_makes_from_the_shared_boundaries(tmp_path: Path) -> None:
    source = tmp_path / "municipalities.geojson"
    source.write_bytes(gzip.decompress(BOUNDARIES.read_bytes()))
    target = tmp_path / "kommunkarta.json"
    script = REPO / "scripts" / "kartdata.py"
    subprocess.run([sys.executable, str(script), str(source), str(target)], check=True)
    assert hashlib.sha256(target.read_bytes()).digest() == hashlib.sha256(SHIPPED_MAP_DATA.read_bytes()).digest()


def test_every_path_in_the_shipped_data_is_plain_and_closed() -> None:
    shapes = kommun_shapes()
    assert len(shapes) == 290
    for code, shape in shapes.items():
        assert re.fullmatch(r"(M\d+ \d+l[-\d ]+z)+", shape.path), code


@pytest.mark.browser
def test_the_map_in_chromium_is_accessible_and_its_links_are_named(page) -> None:
    from test_browser import axe_violations

    kommuner = national()
    page.set_viewport_size({"width": 375, "height": 667})
    page.set_content(
        '<!doctype html><html lang="sv"><title>Karta</title><main><h1>Karta</h1>'
        f"{sweden_map(kommuner, title='Medborgarlöften i Sveriges kommuner')}</main></html>"
    )
    assert not (report := axe_violations(page)), report
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.querySelector('title').textContent")
    assert focused == kommuner[min(kommuner)].label
    names = page.locator("a").evaluate_all("links => links.map(a => a.getBoundingClientRect().width > 0)")
    assert len(names) == 290 and all(names)
    assert page.get_by_role("link", name=kommuner["1488"].label).count() == 1


def test_the_boundaries_in_the_tests_are_the_ones_the_data_readme_names() -> None:
    digest = hashlib.sha256(gzip.decompress(BOUNDARIES.read_bytes())).hexdigest()
    readme = (REPO / "medborgarlofte" / "data" / "README.md").read_text(encoding="utf-8")
    assert digest in readme.replace("\n", "").replace(" ", "")
