"""Makes `medborgarlofte/data/kommunkarta.json`, the map of Sweden's 290 kommuner that the build draws, from the
boundaries in the shared reference data (`municipalities.geojson`, WGS84).

    python scripts/kartdata.py ../shared/reference-data/municipalities.geojson medborgarlofte/data/kommunkarta.json

The boundaries are projected once here (a spherical transverse Mercator on 15° E, the central meridian of SWEREF 99 TM,
so Sweden has the shape Swedish maps give it), simplified and rounded to whole kilometres, and stored as one SVG path
per kommun. The build then only wraps those paths in links, so it needs neither the 0.8 MB source nor any geometry code.

Simplification keeps neighbours touching: every stretch of border is simplified once (Douglas–Peucker) and the same
points go to both kommuner on either side, so no gaps or overlaps open between them. The source already shares its
border vertices exactly, which is what makes this a few lines of code. A geometry library (shapely's coverage
simplification) would do the same but brings numpy and GEOS (about 80 MB) into the test environment for one call, and
its output changes with GEOS releases, which would break the byte-for-byte check that this file reproduces the
shipped one (tests/test_sweden_map.py).
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
from collections import defaultdict
from pathlib import Path

EARTH_RADIUS_KM = 6371.0
CENTRAL_MERIDIAN = 15.0
TOLERANCE_KM = 1.2
MARGIN_KM = 5
TINY_ISLAND_KM2 = 12.0

Vertex = tuple[float, float]
Point = tuple[float, float]
Ring = list[Vertex]


def project(vertex: Vertex) -> Point:
    """Longitude and latitude → kilometres east of the central meridian and north of the equator."""
    lon, lat = map(math.radians, vertex)
    delta = lon - math.radians(CENTRAL_MERIDIAN)
    x = EARTH_RADIUS_KM * math.atanh(math.cos(lat) * math.sin(delta))
    y = EARTH_RADIUS_KM * math.atan2(math.tan(lat), math.cos(delta))
    return x, y


def rings_of(feature: dict) -> list[Ring]:
    """Every ring (outer and holes) of a Polygon or MultiPolygon, as vertices without the repeated closing one."""
    geometry = feature["geometry"]
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [[tuple(vertex) for vertex in ring[:-1]] for polygon in polygons for ring in polygon]


def edge_owners(rings: dict[str, list[Ring]]) -> dict[frozenset[Vertex], frozenset[str]]:
    """Which kommuner each edge belongs to: one for a coast or the border with Norway and Finland, two for a border
    between kommuner."""
    owners: dict[frozenset[Vertex], set[str]] = defaultdict(set)
    for code, kommun_rings in rings.items():
        for ring in kommun_rings:
            for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
                owners[frozenset((a, b))].add(code)
    return {edge: frozenset(codes) for edge, codes in owners.items()}


def split_into_arcs(ring: Ring, owners: dict[frozenset[Vertex], frozenset[str]]) -> list[list[Vertex]]:
    """A ring cut where the kommuner on the other side change, so that each piece is one stretch of one border; a ring
    that is one border all round (an island, an enclave) stays whole, closed on its first vertex."""
    edges = [owners[frozenset((a, b))] for a, b in zip(ring, ring[1:] + ring[:1], strict=True)]
    cuts = [i for i in range(len(ring)) if edges[i - 1] != edges[i]]
    if not cuts:
        return [[*ring, ring[0]]]
    arcs = []
    for start, end in zip(cuts, [*cuts[1:], cuts[0] + len(ring)], strict=True):
        arcs.append([ring[i % len(ring)] for i in range(start, end + 1)])
    return arcs


def canonical(arc: list[Vertex]) -> tuple[list[Vertex], bool]:
    """The same stretch of border in the same order whichever kommun's ring it came from (and from whichever vertex a
    closed ring started), so that both neighbours get identical points; the flag says it was reversed."""
    if arc[0] == arc[-1]:
        start = arc.index(min(arc[:-1]))
        arc = arc[start:-1] + arc[:start] + [arc[start]]
        reverse = arc[1] > arc[-2]
    else:
        reverse = arc[0] > arc[-1]
    return (arc[::-1] if reverse else arc), reverse


def douglas_peucker(points: list[Point], tolerance: float) -> list[Point]:
    """The points that keep the line within `tolerance` of the original; the two ends always stay."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, distance = first, 0.0
        for i in range(first + 1, last):
            d = _distance_to_segment(points[i], points[first], points[last])
            if d > distance:
                farthest, distance = i, d
        if distance > tolerance:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def _distance_to_segment(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def simplified_rings(rings: dict[str, list[Ring]]) -> dict[str, list[list[Point]]]:
    """Each kommun's rings, projected and simplified border by border."""
    owners = edge_owners(rings)
    done: dict[tuple[Vertex, ...], list[Point]] = {}
    result: dict[str, list[list[Point]]] = {}
    for code, kommun_rings in rings.items():
        result[code] = []
        for ring in kommun_rings:
            points: list[Point] = []
            for arc in split_into_arcs(ring, owners):
                ordered, reversed_ = canonical(arc)
                key = tuple(ordered)
                if key not in done:
                    done[key] = douglas_peucker([project(v) for v in ordered], TOLERANCE_KM)
                simple = done[key][::-1] if reversed_ else done[key]
                points += simple[:-1]
            result[code].append(points)
    return result


def area(ring: list[tuple[int, int]]) -> float:
    """Shoelace area, in square kilometres."""
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True))) / 2


def rounded(points: list[Point], west: float, north: float) -> list[tuple[int, int]]:
    """Whole kilometres from the map's north-west corner (SVG's y grows downwards), without repeated points."""
    ring: list[tuple[int, int]] = []
    for x, y in points:
        point = (round(x - west), round(north - y))
        if not ring or ring[-1] != point:
            ring.append(point)
    if len(ring) > 1 and ring[0] == ring[-1]:
        ring.pop()
    return ring


def path_data(rings: list[list[tuple[int, int]]]) -> str:
    """`M x y` to each ring's first point, then relative lines: the shortest plain form of an SVG path."""
    parts = []
    for ring in rings:
        steps = [f"{x1 - x0} {y1 - y0}" for (x0, y0), (x1, y1) in itertools.pairwise(ring)]
        parts.append(f"M{ring[0][0]} {ring[0][1]}l" + " ".join(steps).replace(" -", "-") + "z")
    return "".join(parts)


def kept_rings(rings: list[list[tuple[int, int]]]) -> list[list[tuple[int, int]]]:
    """Rings a reader can see: islets smaller than a few square kilometres go, but a kommun always keeps its largest
    ring, so that every kommun is on the map."""
    largest = max(rings, key=area)
    return [ring for ring in rings if ring is largest or (len(ring) >= 3 and area(ring) >= TINY_ISLAND_KM2)]


def build(source: dict) -> dict:
    """The stored map: its size and one path per kommunkod, in kommunkod order."""
    rings = {feature["properties"]["id"]: rings_of(feature) for feature in source["features"]}
    projected = simplified_rings(rings)
    every_point = [point for kommun in projected.values() for ring in kommun for point in ring]
    west = min(x for x, _ in every_point) - MARGIN_KM
    north = max(y for _, y in every_point) + MARGIN_KM
    width = math.ceil(max(x for x, _ in every_point) - west) + MARGIN_KM
    height = math.ceil(north - min(y for _, y in every_point)) + MARGIN_KM
    paths = {}
    for code in sorted(projected):
        kommun = [rounded(ring, west, north) for ring in projected[code]]
        paths[code] = path_data(kept_rings([ring for ring in kommun if len(ring) >= 2]))
    return {"width": width, "height": height, "kommuner": paths}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="municipalities.geojson från referensdata")
    parser.add_argument("target", type=Path, help="kommunkarta.json att skriva")
    arguments = parser.parse_args()
    source = json.loads(arguments.source.read_text(encoding="utf-8"))
    text = json.dumps(build(source), ensure_ascii=False, indent=0, separators=(",", ":"))
    arguments.target.write_text(text + "\n", encoding="utf-8", newline="\n")


if __name__ == "__main__":
    main()
