"""manage.py build_map: Natural Earth's TopoJSON to the map's outlines, simplified along shared
borders so neighbours still meet, with small states kept."""

import json

import pytest
from django.core.management import CommandError, call_command

from goals.management.commands.build_map import build, simplified

# Two square "states" sharing their border (arc 0), each with an outer edge of its own; the
# second also has a tiny island (arc 3), and a third state is one tiny island (arc 4).
TOPOLOGY = {
    "type": "Topology",
    "arcs": [
        [[10, 0], [10, 5], [10, 10]],  # the shared border, north to south in the data
        [[10, 10], [0, 10], [0, 0], [10, 0]],  # A's outer edge
        [[10, 0], [20, 0], [20, 10], [10, 10]],  # B's outer edge
        [[30, 5], [30.05, 5], [30.05, 5.05], [30, 5]],  # a speck off B
        [[25, -5], [25.1, -5], [25.1, -4.9], [25, -5]],  # C, small but a state
    ],
    "objects": {
        "countries": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "id": "001", "arcs": [[0, 1]]},
                {"type": "MultiPolygon", "id": "002", "arcs": [[[2, ~0]], [[3]]]},
                {"type": "Polygon", "id": "003", "arcs": [[4]]},
                {"type": "Polygon", "id": "999", "arcs": [[1]]},  # not a member state: left out
            ],
        }
    },
}
STATES = {"AA": "001", "BB": "002", "CC": "003"}


def points(path):
    rings = [ring for ring in path.split("Z") if ring]
    return [{tuple(map(float, p.split(","))) for p in ring.lstrip("M").split("L")} for ring in rings]


def test_neighbours_share_their_border_and_specks_are_left_out_but_small_states_kept():
    geometry = build(TOPOLOGY, width=200, states=STATES, smallest=5.0)
    assert set(geometry["states"]) == {"AA", "BB", "CC"} and geometry["width"] == 200
    a, b, c = (geometry["states"][code] for code in ("AA", "BB", "CC"))
    assert len(points(a["path"])) == 1 and len(points(b["path"])) == 1  # B's speck is gone
    shared = points(a["path"])[0] & points(b["path"])[0]
    assert len(shared) >= 2  # the border's ends, identical in both outlines
    assert points(c["path"]) and c["area"] < 5  # kept: it is that state's only land
    assert geometry["height"] > 0 and all(0 <= x <= 200 for x, _ in points(a["path"])[0])
    # North is up: the northern edge (latitude 10) is drawn above the southern one.
    ys = sorted(y for _, y in points(a["path"])[0])
    assert ys[0] < ys[-1]
    assert "Natural Earth" in geometry["source"]["name"] and "public domain" in geometry["source"]["licence"]


def test_simplifying_keeps_the_ends_and_drops_what_lies_within_the_tolerance():
    line = [(0, 0), (1, 0.1), (2, -0.1), (3, 0), (4, 5), (5, 0)]
    kept = simplified(line, 0.5)
    assert kept[0] == (0, 0) and kept[-1] == (5, 0) and (4, 5) in kept
    assert (1, 0.1) not in kept and (2, -0.1) not in kept


def test_the_command_writes_the_file_and_refuses_what_it_cannot_use(tmp_path, monkeypatch):
    monkeypatch.setattr("goals.management.commands.build_map.MEMBER_STATES", STATES)
    source, output = tmp_path / "countries.json", tmp_path / "map" / "out.json"
    source.write_text(json.dumps(TOPOLOGY))
    call_command("build_map", str(source), output=str(output), stdout=open(tmp_path / "log", "w"))  # noqa: SIM115
    assert set(json.loads(output.read_text())["states"]) == set(STATES)
    with pytest.raises(CommandError, match="not a TopoJSON topology"):
        source.write_text(json.dumps({"type": "FeatureCollection"}))
        call_command("build_map", str(source), output=str(output))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("build_map", str(tmp_path / "missing.json"), output=str(output))


def test_a_member_state_missing_from_the_source_is_named():
    with pytest.raises(CommandError, match="no geometry for DD"):
        build(TOPOLOGY, states={**STATES, "DD": "404"})
