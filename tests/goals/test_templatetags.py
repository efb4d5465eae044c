"""How the public pages word things (goals.templatetags.progress): reporting rounds' dates, where
a plan stands in time, years and counts."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from goals.models import ActionPlan, ReportingRound
from goals.templatetags.progress import in_words, plan_when, round_dates, row_note, years

TODAY = datetime.date(2026, 11, 30)


def a_round(state, opens, closes, closed_at=None, published_at=None):
    snapshot = SimpleNamespace(taken_at=published_at) if published_at else None
    return SimpleNamespace(
        state=state, opens_on=opens, closes_on=closes, closed_at=closed_at, snapshot=snapshot
    )


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


D = datetime.date


@pytest.mark.parametrize(
    ("reporting_round", "wording"),
    [
        (a_round("planned", D(2027, 3, 1), D(2027, 4, 15)), "opens on 1 Mar 2027"),
        (a_round("planned", D(2026, 11, 1), D(2027, 1, 15)), "not open yet (planned to open on 1 Nov 2026)"),
        (a_round("open", D(2026, 10, 1), D(2026, 12, 15)), "open for reporting; closes on 15 Dec 2026"),
        (a_round("open", D(2026, 9, 1), D(2026, 10, 15)),
         "still open for reporting (planned to close on 15 Oct 2026)"),
        # Closed, and when is recorded: the day it was closed.
        (a_round("closed", D(2026, 10, 1), D(2026, 11, 22), at(D(2026, 11, 22))), "closed on 22 Nov 2026"),
        (a_round("closed", D(2026, 10, 1), D(2026, 12, 15), at(D(2026, 11, 20))),
         "closed early on 20 Nov 2026"),
        (a_round("closed", D(2026, 10, 1), D(2026, 11, 15), at(D(2026, 11, 18))), "closed on 18 Nov 2026"),
        # Closed, and nothing records when: never a future date in the past tense.
        (a_round("closed", D(2025, 9, 1), D(2025, 10, 15)), "closed on 15 Oct 2025"),
        (a_round("closed", D(2026, 10, 1), D(2026, 12, 15)), "closed (planned to close on 15 Dec 2026)"),
        (a_round("published", D(2025, 3, 1), D(2025, 4, 15), at(D(2025, 4, 16)), at(D(2025, 5, 20))),
         "closed on 16 Apr 2025, published on 20 May 2025"),
        (a_round("published", D(2026, 10, 1), D(2026, 12, 15), at(D(2026, 11, 1)), at(D(2026, 11, 5))),
         "closed early on 1 Nov 2026, published on 5 Nov 2026"),
        (a_round("published", D(2026, 10, 1), D(2026, 12, 15)),
         "closed (planned to close on 15 Dec 2026), published"),
    ],
)  # fmt: skip
def test_round_dates_say_what_happened_and_when(reporting_round, wording):
    assert round_dates(reporting_round, TODAY) == wording


@pytest.mark.django_db
def test_where_a_plan_stands_in_time():
    old, new = ActionPlan.objects.get(slug="2016-2025"), ActionPlan.objects.get(slug="2026-2030")
    assert plan_when(old, TODAY) == "ended on 31 Dec 2025"
    assert plan_when(new, TODAY) == "current plan"
    assert plan_when(new, D(2025, 6, 1)) == "starts on 1 Jan 2026"


@pytest.mark.parametrize(
    ("start", "end", "wording"),
    [(2018, 2020, "2018\u20132020"), (2019, 2019, "2019"), (2000, None, "Since 2000"),
     (None, 2017, "Until 2017"), (None, None, "")],
)  # fmt: skip
def test_years_in_words_never_with_a_question_mark(start, end, wording):
    assert years(SimpleNamespace(start_year=start, end_year=end)) == wording


def test_a_row_note_joins_years_and_words():
    assert row_note(SimpleNamespace(start_year=2018, end_year=2020, description="Updated it")) == (
        "2018\u20132020: Updated it"
    )
    assert row_note(SimpleNamespace(note="Country lead (2017).")) == "Country lead (2017)."
    assert row_note(SimpleNamespace(start_year=None, end_year=None, description="")) == ""


def test_counts_in_words_up_to_nine():
    assert [in_words(n) for n in (0, 1, 5, 9, 10, 1200)] == ["no", "one", "five", "nine", "10", "1,200"]


@pytest.mark.django_db
def test_closing_a_round_records_when(staff, open_round):
    from goals import workflow

    assert open_round.closed_at is None
    before = timezone.now()
    workflow.move_round(open_round, "close", by=staff.secretariat)
    open_round.refresh_from_db()
    assert (
        open_round.state == ReportingRound.State.CLOSED and before <= open_round.closed_at <= timezone.now()
    )
    workflow.move_round(open_round, "publish", by=staff.secretariat)
    closed_at = open_round.closed_at
    open_round.refresh_from_db()
    assert open_round.closed_at == closed_at  # publishing keeps when it closed
