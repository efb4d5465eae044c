"""The charts' geometry (goals.charts): axes and ticks, labels that never collide, nothing drawn
without data; and each chart as an SVG file of its own."""

import itertools
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.core.cache import cache
from hypothesis import given
from hypothesis import strategies as st

from goals import charts
from goals.charts import LAYOUTS, NARROW, PERCENT_AXIS, WIDE, Bar, Box, count_axis
from goals.models import ProgressUpdate, ReportingRound
from goals.progress import cached_plan_data
from goals.snapshots import progress_as_of
from goals.templatetags.progress import percent
from tests.factories import make_goal, make_plan
from tests.helpers import text_of
from tests.sample import load_sample

PLAN = "/plans/2016-2025"
SVG = "{http://www.w3.org/2000/svg}"


def test_a_percent_axis_has_ticks_every_quarter_labelled_in_percent():
    drawing = charts.bar_geometry([Bar("Goal 1", Decimal(40), "40 %")], PERCENT_AXIS, WIDE)
    assert [tick["text"] for tick in drawing["ticks"]] == [
        "0\u00a0%",
        "25\u00a0%",
        "50\u00a0%",
        "75\u00a0%",
        "100\u00a0%",
    ]
    positions = [tick["at"] for tick in drawing["ticks"]]
    assert positions[0] == drawing["left"] and positions[-1] == drawing["right"]
    steps = {round(b - a, 1) for a, b in itertools.pairwise(positions)}
    assert max(steps) - min(steps) <= 0.2  # evenly spaced
    assert drawing["axis_title"] == "Percent delivered"


@pytest.mark.parametrize(
    ("largest", "ticks"),
    [(0, (0, 1)), (1, (0, 1)), (3, (0, 1, 2, 3)), (17, (0, 5, 10, 15, 20)), (29, (0, 10, 20, 30)),
     (120, (0, 50, 100, 150)), (1000, (0, 200, 400, 600, 800, 1000))],
)  # fmt: skip
def test_a_count_axis_has_round_steps_and_reaches_the_largest_count(largest, ticks):
    axis = count_axis(largest, "Deliverables")
    assert axis.ticks == ticks and axis.top >= largest and axis.top == ticks[-1]


def test_text_never_renders_below_11_pixels():
    """Each drawing's text, at the narrowest width the stylesheet shows it (the browser tests
    measure it too): the viewBox is scaled to that width, and the text with it."""
    for layout in LAYOUTS:
        assert layout.font * layout.narrowest / layout.width >= 11, layout.name


def test_a_long_label_is_shortened_to_fit_with_the_whole_in_a_tooltip():
    bars = [Bar("A very long name for a part of the plan that goes on and on", Decimal(50), "50 %")]
    row = charts.bar_geometry(bars, PERCENT_AXIS, WIDE)["rows"][0]
    assert row["shortened"] and row["label"].endswith("…")
    assert charts.text_width(row["label"], WIDE.font) <= WIDE.width * 0.3


def test_a_value_label_goes_inside_its_bar_when_it_would_reach_the_100_percent_line():
    drawing = charts.bar_geometry(
        [
            Bar("Low", Decimal(10), "10 %"),
            Bar("Full", Decimal(100), "100 %"),
            Bar("High", Decimal(95), "95 %"),
        ],
        PERCENT_AXIS,
        NARROW,
    )
    low, full, high = (row["value"] for row in drawing["rows"])
    assert not low["inside"] and full["inside"] and high["inside"]
    assert full["fill"] == "#ffffff"  # white on the dark bar


def test_text_on_a_bar_is_readable():
    for fill in [*charts.STATUS_FILLS.values(), charts.ACCENT]:
        assert charts.contrast(charts.ink_on(fill), fill) >= 4.5, fill
        assert charts.contrast(fill, charts.PAPER) >= 3, fill  # the bar stands out from the page


# Percents to one decimal, as every figure is; None for a part that was dropped.
percents = st.integers(min_value=0, max_value=1000).map(lambda tenths: Decimal(tenths) / 10)
values = st.one_of(st.none(), percents)
labels = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), min_size=1, max_size=60
)


def value_text(value):
    return "Dropped" if value is None else percent(value)


@given(rows=st.lists(st.tuples(labels, values), min_size=1, max_size=12), layout=st.sampled_from(LAYOUTS))
def test_bar_labels_never_collide_nor_cross_the_100_percent_line(rows, layout):
    bars = [Bar(label, value, value_text(value)) for label, value in rows]
    drawing = charts.bar_geometry(bars, PERCENT_AXIS, layout)
    left, line = drawing["left"], drawing["right"]
    boxes = []
    for row in drawing["rows"]:
        value, box = row["value"], row["value"]["box"]
        end = left + row["width"]
        assert box.right <= line - charts.GAP or box.left >= line  # the line runs through no value
        if value["inside"]:
            assert left <= box.left and box.right <= end, "an inside label stays on its bar"
        else:
            assert box.left >= end, "an outside label starts beyond its bar"
        label = row["label_at"]["box"]
        assert label.right <= line - charts.GAP and label.left >= 0
        assert not label.overlaps(box)
        boxes += [label, box]
    for number, one in enumerate(boxes):
        assert not any(one.overlaps(other) for other in boxes[number + 1 :])
    assert all(b.left >= 0 and b.right <= drawing["width"] and b.bottom <= drawing["height"] for b in boxes)


@given(
    points=st.lists(st.tuples(percents, st.dates()), min_size=1, max_size=20),
    layout=st.sampled_from(LAYOUTS),
)
def test_column_labels_never_collide_nor_cross_the_100_percent_line(points, layout):
    columns = [
        Bar(f"Round {n}", value, value_text(value), lines=(charts.MONTHS[day.month - 1], str(day.year)))
        for n, (value, day) in enumerate(points)
    ]
    drawing = charts.column_geometry(columns, PERCENT_AXIS, layout)
    line = drawing["top"]
    title = charts.text_box(drawing["axis_title"], layout.font, 0, drawing["axis_title_y"])
    values, under = [], []
    for column in drawing["columns"]:
        if column["value"]:
            box = column["value"]["box"]
            assert box.bottom <= line - charts.GAP + 0.01 or box.top >= line + charts.GAP - 0.01
            assert box.bottom <= column["y"], "a value sits above its column"
            assert box.top >= 0 and not box.overlaps(title)
            values.append(box)
        for text in column["lines"]:
            under.append(charts.text_box(text["text"], layout.font, column["centre"], text["y"], "middle"))
    assert drawing["values_shown"] == bool(values)
    for boxes in (values, under):
        for number, one in enumerate(boxes):
            assert not any(one.overlaps(other) for other in boxes[number + 1 :])
    assert all(b.left >= 0 and b.right <= drawing["width"] for b in values + under)
    assert drawing["columns"][-1]["lines"], "the latest column is always labelled"


def test_with_few_rounds_every_column_has_its_value_and_label():
    columns = [Bar(f"R{n}", Decimal(10 * n), percent(10 * n), lines=("Jun", "2024")) for n in range(5)]
    for layout in LAYOUTS:
        drawing = charts.column_geometry(columns, PERCENT_AXIS, layout)
        assert drawing["values_shown"] and drawing["labels_every"] == 1


def test_boxes_overlap_only_when_they_share_area():
    assert Box(0, 0, 10, 10).overlaps(Box(5, 5, 15, 15))
    assert not Box(0, 0, 10, 10).overlaps(Box(10, 0, 20, 10))


@pytest.fixture
def sample(db):
    load_sample()


@pytest.mark.django_db
class TestNothingDrawnWithoutData:
    def test_a_plan_without_approved_progress_gets_a_sentence(self, client):
        ProgressUpdate.objects.filter(deliverable__initiative__plan__slug="2016-2025").update(
            review_state=ProgressUpdate.ReviewState.SUBMITTED
        )
        page = text_of(client.get(f"{PLAN}/"))
        # The overview draws no chart at all: it says there is no approved progress yet, and when
        # figures will come (tests/goals/test_pages.py::TestAPlanWithNoProgressYet).
        assert "No progress on this plan has been approved yet" in page and 'id="charts"' not in page
        assert 'role="img"' not in page and "Download chart (SVG)" not in page and "chart-numbers" not in page

    def test_and_its_chart_files_are_not_found_with_the_reason(self, client):
        ProgressUpdate.objects.update(review_state=ProgressUpdate.ReviewState.SUBMITTED)
        response = client.get(f"{PLAN}/charts/goals.svg")
        assert response.status_code == 404
        assert "No progress has been approved for this plan yet." in response.text

    def test_a_plan_with_nothing_under_it_says_so(self, client):
        plan = make_goal().plan
        page = text_of(client.get(f"/plans/{plan.slug}/"))
        assert "The plan's deliverables are not recorded here yet" in page
        assert 'role="img"' not in page and 'id="charts"' not in page
        empty = text_of(client.get(f"/plans/{make_plan().slug}/"))
        assert "No strategic goals recorded yet." in empty and 'role="img"' not in empty


@pytest.mark.django_db
class TestChartFiles:
    @pytest.fixture(autouse=True)
    def rounds(self, sample):
        return list(
            ReportingRound.objects.filter(plan__slug="2016-2025", state="published").order_by("closes_on")
        )

    @pytest.mark.parametrize("name", ["goals", "status", "history"])
    def test_each_chart_downloads_as_an_svg_file(self, client, name):
        response = client.get(f"{PLAN}/charts/{name}.svg")
        assert response.status_code == 200
        assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
        assert (
            response["Content-Disposition"]
            == f'attachment; filename="SAMPLE-DATA-chart-{name}-2016-2025.svg"'
        )
        root = ET.fromstring(response.content)  # well-formed XML, standing on its own
        assert root.tag == f"{SVG}svg" and root.get("role") == "img"
        assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
        assert "style" not in response.text and "<script" not in response.text
        assert "Source: ASEAN IPR Action Plan Tracker" in response.text

    @pytest.mark.parametrize("name", ["goals", "status", "history"])
    def test_the_file_shows_the_same_numbers_as_the_page(self, client, name):
        page = text_of(client.get(f"{PLAN}/"))
        table = page.split(f'id="chart-{name}-caption"')[1].split("</figure>")[0].split("<tbody>")[1]
        numbers = re.findall(r'<td class="num">([^<]+)</td>', table)
        drawn = [
            text.text
            for text in ET.fromstring(client.get(f"{PLAN}/charts/{name}.svg").content).iter(f"{SVG}text")
            if "chart-value" in (text.get("class") or "")
        ]
        assert numbers and drawn == numbers

    def test_as_of_a_round_the_file_shows_that_round(self, client, rounds):
        first = rounds[0]
        response = client.get(f"{PLAN}/charts/history.svg?round={first.pk}")
        assert response.status_code == 200
        assert f"as-of-round-{first.pk}.svg" in response["Content-Disposition"]
        assert f"as of {first.name}" in response.text
        assert response.text.count('class="chart-column"') == 1  # the rounds up to that one only
        page = text_of(client.get(f"{PLAN}/?round={first.pk}"))
        assert re.search(rf'href="/plans/2016-2025/charts/history.svg\?round={first.pk}"\s+download', page)

    def test_an_unknown_chart_is_not_found_and_a_bad_round_refused(self, client):
        missing = client.get(f"{PLAN}/charts/pie.svg")
        assert missing.status_code == 404 and "goals.svg, status.svg, history.svg" in missing.text
        assert client.get("/plans/nope/charts/goals.svg").status_code == 404
        assert client.get(f"{PLAN}/charts/goals.svg?round=abc").status_code == 400

    def test_files_are_cached_like_public_pages(self, client, settings):
        settings.PUBLIC_CACHE_SECONDS = 600
        cache.clear()
        first = client.get(f"{PLAN}/charts/goals.svg")
        again = client.get(f"{PLAN}/charts/goals.svg")
        assert again.status_code == 200 and again["X-Cache"] == "hit"
        assert again.content == first.content and again["Content-Type"] == "image/svg+xml; charset=utf-8"


def test_as_of_a_round_the_history_stops_at_that_round(sample):
    data = cached_plan_data(ReportingRound.objects.filter(state="published").first().plan)
    second = data.published_rounds[1]
    chart = charts.history_chart(data, progress_as_of(data, second))
    assert len(chart.rows) == 2 and "Latest" not in chart.rows[-1][0]
