"""The reads pages, exports and the API share (goals.selectors): which plan a visitor sees first."""

import datetime

import pytest

from goals.models import ActionPlan, ProgressUpdate
from goals.selectors import default_plan
from tests.factories import make_plan

pytestmark = pytest.mark.django_db


def on(year):
    return datetime.date(year, 6, 30)


def test_the_plan_whose_period_includes_today_comes_first_even_without_progress():
    assert (
        not ProgressUpdate.objects.public().filter(deliverable__initiative__plan__slug="2026-2030").exists()
    )
    assert default_plan(on(2026)).slug == "2026-2030"
    assert default_plan(on(2030)).slug == "2026-2030"
    assert default_plan(on(2025)).slug == "2016-2025"
    assert default_plan(datetime.date(2016, 1, 1)).slug == "2016-2025"


def test_when_two_periods_overlap_the_newer_plan_comes_first():
    make_plan(slug="successor", start_year=2029, end_year=2033)
    assert default_plan(on(2029)).slug == "successor"
    assert default_plan(on(2028)).slug == "2026-2030"


def test_with_no_plan_covering_today_the_latest_plan_with_progress_comes_first():
    make_plan(slug="later-without-progress", start_year=2040, end_year=2045)
    assert default_plan(on(2035)).slug == "2016-2025"  # 2026-2030 has no approved progress
    ProgressUpdate.objects.all().delete()
    assert default_plan(on(2035)).slug == "later-without-progress"  # then simply the newest


def test_no_plan_at_all():
    ActionPlan.objects.all().delete()
    assert default_plan(on(2026)) is None
