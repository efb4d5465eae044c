"""Completion forecasts (goals.forecast): the method on plain values, its properties (hypothesis,
fixed seed), and what the pages, the CSV files and the API say of them."""

import csv
import datetime
import html
import io
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from django.template.loader import render_to_string
from hypothesis import given
from hypothesis import strategies as st

from goals.forecast import MIN_SPAN_DAYS, Outlook, Point, forecast
from goals.models import Deliverable, Initiative, ProgressUpdate, ReportingRound
from goals.progress import NO_DATA, Status
from goals.rounds import publish_snapshot
from tests.factories import grow_twentyfold
from tests.goals.test_pages import queries_for
from tests.helpers import text_of
from tests.sample import load_sample

START = datetime.date(2026, 1, 1)
FAR = datetime.date(2100, 12, 31)  # a plan end no history in the property tests reaches
END = datetime.date(2030, 12, 31)
NOW = datetime.date(2026, 12, 1)


def at(days):
    return START + datetime.timedelta(days=days)


def points(*pairs):
    return [Point(at(days), Decimal(str(percent))) for days, percent in pairs]


def made(pts, *, on=None, deadline=END, status=Status.IN_PROGRESS, percent=None):
    """The forecast made on ``on`` (by default the latest point's date)."""
    if on is None:
        on = pts[-1].on if pts else NOW
    if percent is None:
        percent = pts[-1].percent if pts else Decimal(0)
    return forecast(pts, status=status, percent=percent, on=on, deadline=deadline)


class TestTheMethod:
    def test_one_point_is_not_enough_data(self):
        result = made(points((0, 40)))
        assert result.status == Outlook.NOT_ENOUGH_DATA
        assert result.projected is None and result.pace is None

    def test_points_closer_than_the_minimum_span_are_not_enough_data(self):
        result = made(points((0, 10), (MIN_SPAN_DAYS - 1, 50)))
        assert result.status == Outlook.NOT_ENOUGH_DATA and result.projected is None
        assert made(points((0, 10), (MIN_SPAN_DAYS, 50))).status == Outlook.ON_COURSE

    def test_a_steady_pace_is_carried_forward_from_the_latest_point(self):
        result = made(points((0, 0), (100, 10), (200, 20)))  # 0.1 points a day
        assert result.pace == Decimal("36.5")  # 36.525 a year, to one decimal
        assert result.projected == at(1000)  # 80 points left at 0.1 a day from day 200
        assert result.earliest == result.latest == result.projected
        assert result.status == Outlook.ON_COURSE

    def test_the_range_comes_from_the_pace_since_each_earlier_point(self):
        # From day 0: 60 points in 400 days; from day 200: 50 points in 200 days.
        result = made(points((0, 0), (200, 10), (400, 60)))
        assert result.projected == at(400 + 40 * 400 // 60 + 1)  # ceil(266.67) days on
        assert result.earliest == at(400 + 160)  # 40 points at 0.25 a day
        assert result.latest == result.projected  # the slowest pace is the one from the start
        assert result.earliest < result.projected

    def test_a_stretch_with_no_progress_leaves_the_range_open(self):
        result = made(points((0, 20), (200, 40), (400, 40)))
        assert result.pace > 0 and result.projected is not None
        assert result.slowest == 0 and result.latest is None

    def test_no_progress_at_all_has_no_date(self):
        for pts in (points((0, 30), (300, 30)), points((0, 50), (300, 40))):
            result = made(pts)
            assert result.status == Outlook.NO_PACE
            assert result.projected is None and result.earliest is None and result.latest is None

    def test_completed_and_dropped_have_no_forecast(self):
        pts = points((0, 20), (300, 100))
        done = made(pts, status=Status.COMPLETED)
        assert done.status == Outlook.COMPLETED and done.projected is None and done.pace_needed is None
        dropped = made(pts, status=Status.DROPPED, percent=None)
        assert dropped.status == Outlook.DROPPED and dropped.projected is None

    def test_a_part_frozen_without_a_percent_reads_from_its_points_not_as_dropped(self):
        # Rounds frozen with method version 1 left parts without data out, with no percent.
        result = forecast(points((0, 10), (300, 40)), status=NO_DATA, percent=None, on=at(300), deadline=END)
        assert result.status == Outlook.ON_COURSE and result.percent == Decimal(40)
        empty = forecast([], status=NO_DATA, percent=None, on=NOW, deadline=END)
        assert empty.status == Outlook.NOT_ENOUGH_DATA

    def test_too_slow_to_finish_by_the_plan_s_end(self):
        result = made(points((0, 0), (365, 5)))
        assert result.status == Outlook.OFF_COURSE
        assert result.projected > END and result.days_after_deadline == (result.projected - END).days

    def test_the_pace_needed_spreads_what_is_left_over_the_time_to_the_plan_s_end(self):
        deadline = NOW + datetime.timedelta(days=365)
        result = made(points((0, 10), (300, 40)), on=NOW, deadline=deadline)
        assert result.pace_needed == Decimal("60.0") and result.needed_from == NOW

    def test_once_the_plan_has_ended_it_says_what_the_pace_would_have_needed(self):
        deadline = at(730)
        result = made(points((0, 20), (365, 30)), on=at(800), deadline=deadline)
        assert result.status == Outlook.PLAN_ENDED
        assert result.needed_from == at(0)
        assert result.pace_needed == Decimal("40.0")  # 80 points in 730 days
        assert result.projected == at(365 + 2555)  # 70 points at 10 a year, ceil
        stalled = made(points((0, 20), (365, 20)), on=at(800), deadline=deadline)
        assert stalled.status == Outlook.PLAN_ENDED and stalled.projected is None

    def test_reopened_after_the_plan_s_end_needs_no_pace_it_once_had(self):
        # Completed at the start, reported in progress again: nothing was needed from 100 %.
        result = made(points((0, 100), (365, 64)), on=at(800), deadline=at(730))
        assert result.status == Outlook.PLAN_ENDED
        assert result.pace_needed is None and result.needed_from is None and result.projected is None

    def test_points_after_the_forecast_date_do_not_count(self):
        result = made(points((0, 10), (200, 20), (400, 90)), on=at(300))
        assert result.last.on == at(200) and len(result.points) == 2

    def test_a_date_already_past_says_so(self):
        result = made(points((0, 0), (200, 50)), on=at(700))
        assert result.projected == at(400) and result.passed


DAY_GAPS = st.lists(st.integers(min_value=1, max_value=400), min_size=1, max_size=8)


@given(
    start=st.integers(min_value=0, max_value=80),
    per_thousand_days=st.integers(min_value=1, max_value=400),  # thousandths of a point a day
    gaps=DAY_GAPS,
)
def test_a_constant_pace_is_forecast_on_the_line(start, per_thousand_days, gaps):
    rate = Fraction(per_thousand_days, 1000)
    days = [0]
    for gap in gaps:
        days.append(days[-1] + gap)
    line = [(d, Fraction(start) + rate * d) for d in days]
    line = [(d, p) for d, p in line if p < 100]
    pts = [Point(at(d), Decimal(p.numerator) / Decimal(p.denominator)) for d, p in line]
    result = made(pts, on=at(days[-1]), deadline=FAR)
    if len(pts) < 2 or (pts[-1].on - pts[0].on).days < MIN_SPAN_DAYS:
        assert result.status == Outlook.NOT_ENOUGH_DATA
        return
    crossing = (100 - Fraction(start)) / rate  # days from the first point to 100 %
    expected = at(-(-crossing.numerator // crossing.denominator))  # the first whole day at 100 %
    assert result.projected == result.earliest == result.latest == expected


PERCENTS = st.integers(min_value=0, max_value=99)


@st.composite
def histories(draw):
    """Dated points, oldest first, on distinct dates, below 100 %."""
    gaps = draw(DAY_GAPS)
    values = draw(st.lists(PERCENTS, min_size=len(gaps) + 1, max_size=len(gaps) + 1))
    day, pts = 0, [Point(at(0), Decimal(values[0]))]
    for gap, value in zip(gaps, values[1:], strict=True):
        day += gap
        pts.append(Point(at(day), Decimal(value)))
    return pts


@given(pts=histories())
def test_a_completed_item_has_no_forecast(pts):
    result = made(pts, status=Status.COMPLETED, percent=Decimal(100), deadline=FAR)
    assert result.status == Outlook.COMPLETED
    assert (result.projected, result.earliest, result.latest, result.pace_needed) == (None, None, None, None)


@given(
    pts=histories(), gap=st.integers(min_value=1, max_value=800), rise=st.integers(min_value=0, max_value=99)
)
def test_later_progress_never_moves_the_forecast_earlier_than_the_data_allow(pts, gap, rise):
    """No date is ever before the latest point; and a later point that adds no progress never
    makes the projected date earlier (the pace can only fall)."""
    on = pts[-1].on + datetime.timedelta(days=gap)
    before = made(pts, on=on, deadline=FAR)
    for result in (before,):
        for date in (result.projected, result.earliest, result.latest):
            assert date is None or date >= result.last.on
    if before.projected is not None:
        assert before.earliest <= before.projected and (
            before.latest is None or before.projected <= before.latest
        )
    stalled = made([*pts, Point(on, pts[-1].percent)], on=on, deadline=FAR)
    if before.projected is not None and stalled.projected is not None:
        assert stalled.projected >= before.projected
    if before.projected is None and before.status != Outlook.NOT_ENOUGH_DATA:
        assert stalled.projected is None  # no pace before, none after
    later = min(99, int(pts[-1].percent) + rise)
    grown = made([*pts, Point(on, Decimal(later))], on=on, deadline=FAR)
    for date in (grown.projected, grown.earliest, grown.latest):
        assert date is None or date >= on


@given(
    pts=histories(),
    on_after=st.integers(min_value=0, max_value=1500),
    deadline_after=st.integers(min_value=-400, max_value=1500),
    status=st.sampled_from([Status.IN_PROGRESS, Status.ON_HOLD, Status.COMPLETED, NO_DATA]),
)
def test_every_forecast_reads_in_words(pts, on_after, deadline_after, status):
    """Whatever the history, the plan's end and the date, the forecast and its "Why this date?"
    render, and a date is only given with its status."""
    on = pts[-1].on + datetime.timedelta(days=on_after)
    deadline = pts[-1].on + datetime.timedelta(days=deadline_after)
    result = made(pts, on=on, deadline=deadline, status=status)
    page = render_to_string("includes/forecast.html", {"forecast": result})
    assert result.label.replace("'", "&#x27;") in page and "Why this date?" in page
    if result.projected is not None:
        assert result.status in (Outlook.ON_COURSE, Outlook.OFF_COURSE, Outlook.PLAN_ENDED)


# --- what the public sees -------------------------------------------------------------------

NEW_PLAN = "/plans/2026-2030"


def report(deliverable, on, percent, review_state="approved"):
    return ProgressUpdate.objects.create(
        deliverable=deliverable,
        status="in_progress",
        percent_complete=percent,
        reported_on=datetime.date.fromisoformat(on),
        review_state=review_state,
    )


@pytest.fixture
def new_deliverable(db):
    """A deliverable of the 2026-2030 plan with approved progress on two dates half a year apart,
    and a draft that must not count."""
    initiative = Initiative.objects.get(plan__slug="2026-2030", number=2)
    deliverable = Deliverable.objects.create(initiative=initiative, code="2.1", title="Training calendar")
    for on, percent, state in (("2026-01-05", 10, "approved"), ("2026-07-05", 30, "approved"),
                               ("2026-11-01", 90, "draft")):  # fmt: skip
        report(deliverable, on, percent, state)
    return deliverable


def squeezed(response):
    """The page's text with its entities read and its spaces squeezed (no-break spaces kept)."""
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(text_of(response)))


@pytest.mark.django_db
class TestPages:
    def test_a_deliverable_shows_its_forecast_and_why(self, client, new_deliverable):
        page = squeezed(client.get(f"{NEW_PLAN}/initiatives/2/2.1/"))
        assert "Completion forecast" in page
        assert "On course to finish by the plan's end" in page
        assert "at this pace it would reach 100\u00a0% on" in page
        assert "<summary>Why this date?</summary>" in page
        assert '<th scope="row">5 Jan 2026</th> <td>10\u00a0%</td>' in page
        assert '<th scope="row">5 Jul 2026</th> <td>30\u00a0%</td>' in page
        assert "90\u00a0%" not in page  # the draft is not a point
        assert "Pace needed" in page and "to finish by the plan's end (31 Dec 2030)" in page

    def test_its_initiative_goal_and_plan_show_theirs(self, client, new_deliverable):
        for url in (f"{NEW_PLAN}/initiatives/2/", f"{NEW_PLAN}/goals/1/", f"{NEW_PLAN}/", "/"):
            page = squeezed(client.get(url))
            assert "Completion forecast" in page and "Why this date?" in page, url

    def test_a_completed_deliverable_has_no_forecast(self, client):
        page = squeezed(client.get("/plans/2016-2025/initiatives/8/8.1/"))
        assert "Completed: no forecast" in page
        assert "It is completed, so there is nothing left to forecast." in page

    def test_too_little_data_says_so(self, client):
        initiative = Initiative.objects.get(plan__slug="2026-2030", number=2)
        deliverable = Deliverable.objects.create(initiative=initiative, code="2.1", title="Training calendar")
        report(deliverable, "2026-06-01", 20)
        page = squeezed(client.get(f"{NEW_PLAN}/initiatives/2/2.1/"))
        assert "Not enough data for a forecast" in page
        assert "at this pace it would reach" not in page

    def test_the_ended_plan_says_what_was_not_finished_by_its_end(self, client):
        load_sample()
        page = squeezed(client.get("/plans/2016-2025/"))
        assert "Not finished by the plan's end</span> (31 Dec 2025): at this pace it would reach" in page
        assert "To finish by the plan's end (31 Dec 2025) from" in page and "it needed" in page

    def test_as_of_a_round_the_forecast_uses_what_was_known_then(self, client):
        load_sample()
        mid_2024 = ReportingRound.objects.get(name="Sample round: mid-2024")
        page = squeezed(client.get(f"/plans/2016-2025/?round={mid_2024.pk}"))
        assert "Will not finish by the plan's end at this pace" in page
        assert "from 15 Apr 2024 to finish by the plan's end (31 Dec 2025)" in page
        assert '<th scope="row">8 Oct 2024</th>' not in page  # progress dated after the round
        assert '<th scope="row">8 Oct 2024</th>' in squeezed(client.get("/plans/2016-2025/"))

    def test_the_methodology_explains_forecasts(self, client):
        page = squeezed(client.get("/methodology/"))
        assert 'id="forecasts"' in page and "Completion forecasts" in page
        assert "six months" in page


@pytest.mark.django_db
class TestDownloads:
    COLUMNS = ["forecast_status", "forecast_pace_per_year", "forecast_completion", "forecast_earliest",
               "forecast_latest", "forecast_pace_needed_per_year"]  # fmt: skip

    def rows(self, client, url):
        response = client.get(url)
        assert response.status_code == 200
        return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))

    def test_the_deliverables_file_has_each_forecast(self, client, new_deliverable):
        rows = self.rows(client, "/data/deliverables.csv?plan=2026-2030")
        row = next(r for r in rows if r["deliverable_code"] == "2.1")
        for column in self.COLUMNS:
            assert column in row
        assert row["forecast_status"] == "on_course"
        assert row["forecast_pace_per_year"] == "40.4"  # 20 points in 181 days
        assert row["forecast_completion"] == "2028-03-30"
        assert row["forecast_earliest"] == row["forecast_latest"] == row["forecast_completion"]
        completed = next(r for r in self.rows(client, "/data/deliverables.csv?plan=2016-2025")
                         if r["deliverable_code"] == "8.1")  # fmt: skip
        assert completed["forecast_status"] == "completed" and completed["forecast_completion"] == ""

    def test_the_initiatives_file_and_the_explorer_s_download_have_them(self, client, new_deliverable):
        for url in (
            "/data/initiatives.csv?plan=2026-2030",
            "/explore/initiatives/?plan=2026-2030&format=csv",
        ):
            row = next(r for r in self.rows(client, url) if r["initiative_number"] == "2")
            assert row["forecast_status"] == "on_course", url

    def test_the_data_dictionary_describes_them(self, client):
        page = text_of(client.get("/data/"))
        assert "forecast_completion" in page and "forecast_status" in page


@pytest.mark.django_db
class TestApi:
    def test_every_level_carries_its_forecast(self, client, new_deliverable):
        deliverables = client.get("/api/deliverables/?plan=2026-2030").json()
        found = next(d for d in deliverables["results"] if d["code"] == "2.1")
        assert found["forecast"]["status"] == "on_course"
        assert found["forecast"]["completion"] == "2028-03-30"
        assert found["forecast"]["points"][0] == {"date": "2026-01-05", "percent": "10.0"}
        assert found["forecast"]["pace_needed_per_year"] is not None
        plan = client.get("/api/plans/2026-2030/").json()
        assert plan["forecast"]["status"] in {"on_course", "off_course"}
        goals = client.get("/api/goals/?plan=2026-2030").json()
        assert all("forecast" in goal for goal in goals["results"])
        initiatives = client.get("/api/initiatives/?plan=2026-2030").json()
        assert (
            next(i for i in initiatives["results"] if i["number"] == 2)["forecast"]["status"] == "on_course"
        )


@pytest.mark.django_db
class TestAsOfARound:
    def test_a_published_round_s_forecast_is_frozen_with_it(self, client):
        """Progress recorded after publication, even dated before the round closed, does not
        change the round's forecast; it does change today's."""
        initiative = Initiative.objects.get(plan__slug="2026-2030", number=2)
        deliverable = Deliverable.objects.create(initiative=initiative, code="2.1", title="Training calendar")
        report(deliverable, "2026-01-05", 10)
        report(deliverable, "2026-07-05", 30)
        published = ReportingRound.objects.create(
            plan=initiative.plan, name="Test round", opens_on=datetime.date(2026, 7, 1),
            closes_on=datetime.date(2026, 8, 1), state=ReportingRound.State.PUBLISHED,
        )  # fmt: skip
        publish_snapshot(published)
        report(deliverable, "2026-07-20", 60)  # outside any round, dated before the close
        url = f"{NEW_PLAN}/initiatives/2/2.1/"
        as_of = squeezed(client.get(f"{url}?round={published.pk}"))
        assert '<th scope="row">20 Jul 2026</th>' not in as_of
        assert "from 1 Aug 2026 to finish by the plan's end (31 Dec 2030)" in as_of
        today = squeezed(client.get(url))
        assert '<th scope="row">20 Jul 2026</th> <td>60\u00a0%</td>' in today


# Pinned: pages as of a published round run a fixed number of queries, with their forecasts, with
# the shipped data (and sample rounds) and with twenty times more.
# The same as without ?round= (QUERY_BUDGET in test_pages.py): the forecasts, as the figures, come
# from the plan's data and the round's frozen data, both already read.
AS_OF_BUDGET = {
    "/plans/2016-2025/": 13,
    "/plans/2016-2025/goals/1/": 13,
    "/plans/2016-2025/initiatives/8/": 15,
    "/plans/2016-2025/initiatives/5/5.1/": 15,
}


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "budget"), AS_OF_BUDGET.items())
def test_pages_as_of_a_round_run_a_fixed_number_of_queries(client, path, budget):
    load_sample()
    url = f"{path}?round={ReportingRound.objects.get(name='Sample round: mid-2024').pk}"
    first = queries_for(client, url)
    grow_twentyfold()
    assert (first, queries_for(client, url)) == (budget, budget)
