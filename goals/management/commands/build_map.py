"""Builds the member-state map's geometry (goals/data/map/asean.json) from Natural Earth.

Run once, when the source or the member states change; the result is kept in the repository and
read by the scorecard page (goals.charts.state_map). The source is Natural Earth's 1:50m
countries (public domain) as TopoJSON, from the npm package world-atlas (ISC licence):

    npm pack world-atlas@2 && tar xzf world-atlas-2.*.tgz
    python manage.py build_map package/countries-50m.json

The borders are simplified along the topology's shared arcs, so neighbouring states still meet,
and projected with an equirectangular projection whose standard parallel crosses the middle of
South-East Asia (little distortion at these latitudes). Islands too small to see at the map's
size are left out, except a state's largest, so small states keep a shape; the page also marks
them with a circle big enough to click.
"""

import json
import math
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

# ISO 3166-1 alpha-2 (as in goals/data/member_states.csv) to the numeric code Natural Earth uses.
MEMBER_STATES = {
    "BN": "096",  # Brunei Darussalam
    "KH": "116",  # Cambodia
    "ID": "360",  # Indonesia
    "LA": "418",  # Lao PDR
    "MY": "458",  # Malaysia
    "MM": "104",  # Myanmar
    "PH": "608",  # Philippines
    "SG": "702",  # Singapore
    "TH": "764",  # Thailand
    "TL": "626",  # Timor-Leste
    "VN": "704",  # Viet Nam
}
OUTPUT = Path(__file__).resolve().parents[2] / "data" / "map" / "asean.json"
WIDTH = 800  # of the map's viewBox; the height follows from the region's shape
MARGIN = 6
STANDARD_PARALLEL = 10  # degrees north
TOLERANCE = 0.7  # simplification: the furthest a border may move, in viewBox units
SMALLEST_ISLAND = 5.0  # in square viewBox units; smaller islands are left out (not a state's largest)
SOURCE = {
    "name": "Natural Earth 1:50m Admin 0 countries, version 4.1.0, as TopoJSON in world-atlas 2",
    "url": "https://github.com/topojson/world-atlas",
    "licence": "Natural Earth: public domain; world-atlas: ISC licence",
}


def decoded_arcs(topology):
    """The topology's arcs as lists of (longitude, latitude), undoing quantisation."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([tuple(point[:2]) for point in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for dx, dy, *_ in arc:  # delta-encoded
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def polygons_of(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    raise CommandError(f"Geometry {geometry.get('id')!r} is a {geometry['type']}, not a polygon.")


def simplified(points, tolerance):
    """Douglas-Peucker: the fewest of ``points`` keeping every dropped one within ``tolerance``
    of the line kept; the two ends always stay (they are where arcs meet)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        length = math.hypot(x2 - x1, y2 - y1)
        furthest, index = 0.0, None
        for i in range(first + 1, last):
            x, y = points[i]
            if length:
                distance = abs((x2 - x1) * (y1 - y) - (x1 - x) * (y2 - y1)) / length
            else:
                distance = math.hypot(x - x1, y - y1)
            if distance > furthest:
                furthest, index = distance, i
        if index is not None and furthest > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def ring_area(ring):
    return (
        abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True))) / 2
    )


def centroid(ring):
    """The centre of a ring's area (its vertices' mean when it has none)."""
    twice, cx, cy = 0.0, 0.0, 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        twice += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if not twice:
        return sum(x for x, _ in ring) / len(ring), sum(y for _, y in ring) / len(ring)
    return cx / (3 * twice), cy / (3 * twice)


def build(topology, *, width=WIDTH, tolerance=TOLERANCE, smallest=SMALLEST_ISLAND, states=None):
    """The map's geometry: the viewBox's size and, per state (ISO alpha-2), its SVG path, its
    area, its bounding box and the centre of its largest island."""
    states = states or MEMBER_STATES
    if topology.get("type") != "Topology" or "countries" not in topology.get("objects", {}):
        raise CommandError("This is not a TopoJSON topology with a 'countries' object.")
    by_id = {str(g.get("id")): g for g in topology["objects"]["countries"]["geometries"]}
    missing = [code for code, number in states.items() if number not in by_id]
    if missing:
        raise CommandError(f"The topology has no geometry for {', '.join(missing)}.")
    arcs = decoded_arcs(topology)
    wanted = {code: polygons_of(by_id[number]) for code, number in states.items()}
    used = {
        index if index >= 0 else ~index
        for polygons in wanted.values()
        for p in polygons
        for r in p
        for index in r
    }
    if not used:
        raise CommandError("The member states have no borders in this topology.")

    squeeze = math.cos(math.radians(STANDARD_PARALLEL))
    projected = {i: [((lon * squeeze), -lat) for lon, lat in arcs[i]] for i in used}
    xs = [x for i in used for x, _ in projected[i]]
    ys = [y for i in used for _, y in projected[i]]
    scale = (width - 2 * MARGIN) / (max(xs) - min(xs))
    height = math.ceil((max(ys) - min(ys)) * scale + 2 * MARGIN)
    left, top = min(xs), min(ys)
    exact = {
        i: [((x - left) * scale + MARGIN, (y - top) * scale + MARGIN) for x, y in points]
        for i, points in projected.items()
    }
    fitted = {i: simplified(points, tolerance) for i, points in exact.items()}

    def ring_of(indexes, arcs=fitted):
        ring = []
        for index in indexes:
            points = arcs[index] if index >= 0 else arcs[~index][::-1]
            ring += points[1:] if ring else points
        ring = ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else ring
        if len(ring) < 3 and arcs is fitted:  # an island simplified away: kept as it is
            return ring_of(indexes, exact)
        return ring

    shapes = {}
    for code, polygons in wanted.items():
        rings = [[ring_of(r) for r in polygon] for polygon in polygons]
        largest = max((polygon[0] for polygon in rings), key=ring_area)
        # An island (with its lakes, when big enough) stays if it can be seen, or is the largest.
        kept = [
            [polygon[0], *(hole for hole in polygon[1:] if len(hole) >= 3 and ring_area(hole) >= smallest)]
            for polygon in rings
            if len(polygon[0]) >= 3 and (polygon[0] is largest or ring_area(polygon[0]) >= smallest)
        ]
        path = "".join(
            "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in ring) + "Z" for polygon in kept for ring in polygon
        )
        points = [point for polygon in kept for ring in polygon for point in ring]
        cx, cy = centroid(largest)
        shapes[code] = {
            "path": path,
            "area": round(sum(ring_area(polygon[0]) for polygon in kept), 1),
            "box": [
                round(min(x for x, _ in points), 1),
                round(min(y for _, y in points), 1),
                round(max(x for x, _ in points), 1),
                round(max(y for _, y in points), 1),
            ],
            "centre": [round(cx, 1), round(cy, 1)],
        }
    return {"source": SOURCE, "projection": f"equirectangular, standard parallel {STANDARD_PARALLEL}° N",
            "width": width, "height": height, "states": shapes}  # fmt: skip


class Command(BaseCommand):
    help = (
        "Build the member-state map's geometry (goals/data/map/asean.json) from Natural Earth's "
        "countries TopoJSON (countries-50m.json of the npm package world-atlas)."
    )

    def add_arguments(self, parser):
        parser.add_argument("topology", help="Path to countries-50m.json from world-atlas.")
        parser.add_argument("--output", default=str(OUTPUT), help="Where to write the geometry.")

    def handle(self, *args, topology, output, **options):
        try:
            source = json.loads(Path(topology).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {topology}: {error}") from None
        geometry = build(source)
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        Path(output).write_text(json.dumps(geometry, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        size = Path(output).stat().st_size
        self.stdout.write(f"Wrote {len(geometry['states'])} member states to {output} ({size:,} bytes).")
