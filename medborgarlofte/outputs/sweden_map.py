"""The map of Sweden's kommuner as inline SVG, drawn at build time: each kommun a link shaded by its state.

The shapes come from `data/kommunkarta.json` (made by `scripts/kartdata.py` from the shared boundaries: projected,
simplified and rounded to whole kilometres), so drawing is only wrapping paths in links, and the page needs no script,
no image file and no request to another host. Each state has a pattern as well as a colour (stripes, dots, cross
hatching), so that colour is never the only cue, and its colours are presentation attributes, which the site's
stylesheet can override (dark mode, forced colours) and the Content-Security-Policy does not refuse, as it would a
`style` attribute.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cache
from importlib import resources

from markupsafe import Markup, escape


class Pattern(Enum):
    """How a state's area is filled, besides its colour."""

    SOLID = "solid"
    STRIPES = "stripes"
    DOTS = "dots"
    CROSSHATCH = "crosshatch"


@dataclass(frozen=True)
class MapState:
    """A kommun's state on the map: `key` is its CSS class (`karta-<key>`) and pattern name, `legend` the words for
    it in the map's description and the page's legend, `fill` the area's colour and `ink` the pattern's."""

    key: str
    legend: str
    pattern: Pattern
    fill: str
    ink: str


STATES = (
    MapState("foljs-upp", "medborgarlöfte med publicerad uppföljning", Pattern.SOLID, "#2b6272", "#2b6272"),
    MapState("utan-uppfoljning", "medborgarlöfte utan publicerad uppföljning", Pattern.STRIPES, "#d6e6ea", "#2b6272"),
    MapState("avslutat", "bara medborgarlöften vars period har slutat", Pattern.CROSSHATCH, "#f3f5f7", "#595959"),
    MapState("inget", "inget medborgarlöfte publicerat här", Pattern.DOTS, "#ffffff", "#595959"),
)

_PATTERN_WORDS = {
    Pattern.SOLID: "hel färg",
    Pattern.STRIPES: "ränder",
    Pattern.DOTS: "prickar",
    Pattern.CROSSHATCH: "rutmönster",
}
BORDER_COLOUR = "#4a4a4a"
SOURCE = (
    "Kommungränser: okfse/sweden-geojson, förenklad ur Valmyndighetens valgeografi; fri att återanvända. "
    "Förenklad och projicerad ytterligare för den här kartan."
)


@dataclass(frozen=True)
class MapKommun:
    """What the map shows for one kommun: its state's key, where its link goes and the link's accessible name
    ("Trollhättan: medborgarlöfte 2025–2026, 4 av 6 bedömda")."""

    state: str
    href: str
    label: str


@dataclass(frozen=True)
class Box:
    """A rectangle in the map's kilometres: the drawn kommuner's extent, which becomes the viewBox."""

    west: int
    north: int
    east: int
    south: int

    def grown(self, margin: int) -> Box:
        return Box(self.west - margin, self.north - margin, self.east + margin, self.south + margin)

    def union(self, other: Box) -> Box:
        return Box(
            min(self.west, other.west),
            min(self.north, other.north),
            max(self.east, other.east),
            max(self.south, other.south),
        )

    @property
    def view_box(self) -> str:
        return f"{self.west} {self.north} {self.east - self.west} {self.south - self.north}"


@dataclass(frozen=True)
class KommunShape:
    path: str
    box: Box


@cache
def kommun_shapes() -> dict[str, KommunShape]:
    """Every kommun's path by kommunkod, from the shipped map data."""
    text = resources.files("medborgarlofte").joinpath("data", "kommunkarta.json").read_text(encoding="utf-8")
    return {code: KommunShape(path, _path_box(path)) for code, path in json.loads(text)["kommuner"].items()}


def _path_box(path: str) -> Box:
    """The extent of a path in the stored form: each ring an absolute `M x y` followed by relative `l` steps."""
    xs: list[int] = []
    ys: list[int] = []
    for ring in re.findall(r"M([^z]*)z", path):
        start, _, steps = ring.partition("l")
        x, y = (int(n) for n in start.split())
        numbers = [int(n) for n in re.findall(r"-?\d+", steps)]
        for dx, dy in [(0, 0), *zip(numbers[::2], numbers[1::2], strict=True)]:
            x, y = x + dx, y + dy
            xs.append(x)
            ys.append(y)
    return Box(min(xs), min(ys), max(xs), max(ys))


def sweden_map(
    kommuner: Mapping[str, MapKommun],
    *,
    title: str,
    states: Sequence[MapState] = STATES,
    id_prefix: str = "sverigekarta",
) -> Markup:
    """The kommuner given (all 290 for the national map, or one län's), each a link with its accessible name, shaded
    by its state, in kommunkod order; the viewBox fits the kommuner drawn. Raises ValueError for an unknown kommunkod
    or state, so that a mistake in the caller shows at build time rather than as a hole in the map."""
    shapes = kommun_shapes()
    keys = {state.key for state in states}
    for code, kommun in kommuner.items():
        if code not in shapes:
            raise ValueError(f"Kommunkoden {code!r} finns inte på kartan.")
        if kommun.state not in keys:
            raise ValueError(f"Kommunen {code} har läget {kommun.state!r}, som kartan inte känner till.")
    codes = sorted(kommuner)
    if not codes:
        raise ValueError("Kartan behöver minst en kommun.")
    box = _extent([shapes[code].box for code in codes])
    scale = max(box.east - box.west, box.south - box.north) / 190
    title_id = f"{id_prefix}-titel"
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{box.view_box}" class="sverigekarta" role="group" '
        f'aria-labelledby="{escape(title_id)}">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
        f"<desc>{escape(map_description(states))}</desc>",
        "<defs>",
        *(_pattern(state, f"{id_prefix}-{state.key}", scale) for state in states),
        "</defs>",
        f'<g fill-rule="evenodd" stroke="{BORDER_COLOUR}" stroke-width="{_number(scale * 0.12)}" '
        'stroke-linejoin="round">',
        *(_kommun_link(kommuner[code], shapes[code].path, id_prefix) for code in codes),
        "</g>",
        "</svg>",
    ]
    return Markup("\n".join(lines))


def _extent(boxes: list[Box]) -> Box:
    """The boxes' union with a margin of a hundredth of its height (2 km at least), so that borders at the edge are
    not cut."""
    box = boxes[0]
    for other in boxes[1:]:
        box = box.union(other)
    return box.grown(max(2, (box.south - box.north) // 100))


def _kommun_link(kommun: MapKommun, path: str, id_prefix: str) -> str:
    state = escape(kommun.state)
    return (
        f'<a href="{escape(kommun.href)}"><title>{escape(kommun.label)}</title>'
        f'<path class="karta-{state}" fill="url(#{escape(id_prefix)}-{state})" d="{path}"/></a>'
    )


def _number(value: float) -> str:
    """A length with one decimal at most, so that the markup does not depend on floating-point noise."""
    return f"{round(value, 1):g}"


def _pattern(state: MapState, pattern_id: str, scale: float) -> str:
    """A tile of the state's pattern in the map's units, sized to the map so that a län map shows it as a national
    one does."""
    tile = scale * 1.6
    ink = f'stroke="{state.ink}"'
    shapes = {
        Pattern.SOLID: "",
        Pattern.STRIPES: f'<path d="{_diagonals(tile, rising=True)}" {ink} stroke-width="{_number(scale * 0.45)}"/>',
        Pattern.DOTS: f'<circle cx="{_number(tile / 2)}" cy="{_number(tile / 2)}" r="{_number(scale * 0.3)}" '
        f'fill="{state.ink}"/>',
        Pattern.CROSSHATCH: f'<path d="{_diagonals(tile, rising=True)}{_diagonals(tile, rising=False)}" {ink} '
        f'stroke-width="{_number(scale * 0.25)}"/>',
    }
    size = _number(tile)
    return (
        f'<pattern id="{escape(pattern_id)}" class="karta-{escape(state.key)}" patternUnits="userSpaceOnUse" '
        f'width="{size}" height="{size}"><rect width="{size}" height="{size}" fill="{state.fill}"/>'
        f"{shapes[state.pattern]}</pattern>"
    )


def _diagonals(tile: float, *, rising: bool) -> str:
    """A tile's diagonal and the two corner pieces of its neighbours' diagonals, so that a thick stripe runs on across
    tiles instead of being notched at every corner."""
    t, q = tile, tile / 4
    lines = [(-q, q, q, -q), (0, t, t, 0), (t - q, t + q, t + q, t - q)]
    if not rising:
        lines = [(t - x0, y0, t - x1, y1) for x0, y0, x1, y1 in lines]
    return "".join(f"M{_number(x0)} {_number(y0)}L{_number(x1)} {_number(y1)}" for x0, y0, x1, y1 in lines)


def map_description(states: Sequence[MapState]) -> str:
    """The legend in words, for the map's `<desc>`: what each pattern means."""
    parts = [f"{_PATTERN_WORDS[state.pattern]}: {state.legend}" for state in states]
    return "Kommunernas mönster: " + "; ".join(parts) + "."


def legend_swatch(state: MapState, *, id_prefix: str = "sverigekarta") -> Markup:
    """A sample of a state's pattern for the legend beside the map, 24 × 16 pixels, with a pattern of its own (a
    tile of 8 pixels) so that it looks the same whatever the map's scale. Hidden from screen readers: the legend's
    words say what it shows."""
    pattern_id = f"{id_prefix}-prov-{state.key}"
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="karta-prov" width="24" height="16" viewBox="0 0 24 16" '
        f'aria-hidden="true" focusable="false"><defs>{_pattern(state, pattern_id, 5)}</defs>'
        f'<rect x="0.5" y="0.5" width="23" height="15" fill="url(#{escape(pattern_id)})" stroke="{BORDER_COLOUR}"/>'
        "</svg>"
    )
