"""The progress method (design notes §3), checked against values computed by hand."""

import datetime
from decimal import Decimal

import pytest

from goals.models import ActionPlan, Deliverable, ProgressUpdate
from goals.progress import (
    ApprovedUpdate,
    DeliverableInput,
    Schedule,
    combine,
    deliverable_figure,
    expected_percent,
    latest_updates,
    plan_progress,
)
from tests.factories import make_deliverable, make_initiative, make_round, make_update

D = datetime.date
START, END = D(2020, 1, 1), D(2020, 12, 31)
MIDYEAR = D(2020, 7, 1)  # 182 of 365 days in: 49.9 % expected
PERIOD = {"on": MIDYEAR, "start": START, "end": END}


MARCH = D(2020, 3, 1)


def report(status, percent, state=None, on=MARCH, deliverable=1, closes=None):
    return ApprovedUpdate(0, deliverable, state, None, closes, status, percent, on)


def figure(on=MIDYEAR, report_=None, **values):
    reports = {None: report_} if report_ else values.pop("reports", {})
    return deliverable_figure(DeliverableInput(key="d", start=START, end=END, reports=reports, **values), on)


def states(**by_state):
    """State-by-state reports from keyword arguments: BN=("completed", 100)."""
    return {iso: report(*values, state=iso) for iso, values in by_state.items()}


ELEVEN = ("BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN", "TL")


class TestDeliverable:
    def test_percent_is_the_latest_approved_update(self):
        result = figure(report_=report("in_progress", 40))
        assert result.percent == 40 and result.status == "in_progress"
        assert result.counts["in_progress"] == 1 and (result.reported, result.total) == (1, 1)

    def test_a_report_in_progress_at_100_percent_does_not_read_as_done(self):
        for status in ("in_progress", "on_hold"):
            result = figure(report_=report(status, 100))
            assert result.percent == Decimal("99.9") and result.status == status

    def test_no_approved_update_counts_as_0_percent_delivered_and_as_no_data(self):
        result = figure()
        assert result.percent == 0 and result.status == "no_data" and result.included
        assert result.counts["no_data"] == 1 and (result.reported, result.total) == (0, 1)
        assert result.schedule == Schedule.NO_DATA

    def test_per_member_state_is_the_share_of_expected_states_done(self):
        # Hague: 4 of 11 member states acceded; the seven others count as 0 %, not as missing.
        done = states(
            BN=("completed", 100), KH=("completed", 100), VN=("completed", 100), SG=("completed", 100)
        )
        result = figure(per_member_state=True, expected_states=ELEVEN, reports=done)
        assert result.percent == Decimal("36.4")  # 4 / 11
        assert (result.states_done, result.reporting_states, result.expected_states) == (4, 4, 11)
        assert result.status == "in_progress"
        assert [child.note for child in result.children].count("no approved report") == 7

    def test_a_state_in_progress_counts_with_its_percent(self):
        reports = states(BN=("completed", 100), KH=("in_progress", 50), MM=("not_started", 0))
        result = figure(per_member_state=True, expected_states=("BN", "KH", "MM", "LA"), reports=reports)
        assert result.percent == Decimal("37.5")  # (100 + 50 + 0 + 0) / 4
        assert (result.states_done, result.reporting_states) == (1, 3)

    def test_a_state_that_dropped_it_leaves_the_denominator(self):
        # 10 states completed and 1 dropped: done, at 100 %.
        reports = {iso: report("completed", 100, state=iso) for iso in ELEVEN[:10]}
        reports["TL"] = report("dropped", 0, state="TL")
        result = figure(per_member_state=True, expected_states=ELEVEN, reports=reports)
        assert (result.percent, result.status, result.schedule) == (100, "completed", Schedule.COMPLETED)
        assert (result.states_done, result.expected_states) == (10, 10)

    def test_reports_from_states_not_expected_to_act_are_not_counted(self):
        reports = states(BN=("completed", 100), XX=("completed", 100))
        result = figure(per_member_state=True, expected_states=("BN", "KH"), reports=reports)
        assert result.percent == 50 and result.states_done == 1

    def test_completed_only_when_every_expected_state_has_completed(self):
        reports = states(BN=("completed", 100), KH=("completed", 100))
        assert figure(per_member_state=True, expected_states=("BN", "KH", "LA"), reports=reports).status == (
            "in_progress"
        )
        assert (
            figure(per_member_state=True, expected_states=("BN", "KH"), reports=reports).status == "completed"
        )

    def test_dropped_at_a_plan_review_or_reported_dropped_leaves_the_parent(self):
        for result in (figure(dropped_in_plan=True, report_=report("in_progress", 30)),
                       figure(report_=report("dropped", 30))):  # fmt: skip
            assert not result.included and result.counts["dropped"] == 1 and result.percent is None
            assert result.schedule == Schedule.DROPPED and result.total == 0


class TestRollUp:
    def test_weighted_mean(self):
        # (100 * 3 + 0 * 1) / 4 = 75
        children = [
            figure(report_=report("completed", 100), weight=Decimal(3)),
            figure(report_=report("not_started", 0), weight=Decimal(1)),
        ]
        assert combine("i", children, **PERIOD).percent == Decimal("75.0")

    def test_unreported_children_count_as_0_and_dropped_ones_leave_the_denominator(self):
        children = [figure(report_=report("in_progress", 50)), figure(dropped_in_plan=True), figure()]
        result = combine("i", children, **PERIOD)
        assert result.percent == Decimal("25.0")  # (50 + 0) / 2
        assert result.counts == {"completed": 0, "in_progress": 1, "on_hold": 0, "not_started": 0,
                                 "dropped": 1, "no_data": 1}  # fmt: skip
        assert (result.reported, result.total) == (1, 2)
        assert [child.note for child in result.children] == [
            "",
            "dropped at a plan review",
            "no approved progress yet",
        ]

    def test_same_rule_at_every_level(self):
        # initiative A: (20 + 60) / 2 = 40; initiative B (weight 3): 80; empty initiative: 0;
        # goal: (40 + 80 * 3 + 0) / 5 = 56
        twenty, sixty = figure(report_=report("in_progress", 20)), figure(report_=report("in_progress", 60))
        a = combine("a", [twenty, sixty], **PERIOD)
        b = combine("b", [figure(report_=report("in_progress", 80))], weight=Decimal(3), **PERIOD)
        empty = combine("empty", [], empty="no deliverables recorded", **PERIOD)
        goal = combine("g", [a, b, empty], **PERIOD)
        assert (a.percent, b.percent, empty.percent, goal.percent) == (40, 80, 0, 56)
        assert empty.status == "no_data" and empty.note == "no deliverables recorded"

    def test_an_initiative_without_deliverables_is_not_counted_as_a_deliverable(self):
        goal = combine("g", [combine("empty", [], **PERIOD), combine("one", [figure()], **PERIOD)], **PERIOD)
        assert sum(goal.counts.values()) == 1 and goal.total == 1

    def test_all_children_completed_makes_a_completed_parent(self):
        parent = combine(
            "i", [figure(report_=report("completed", 100)), figure(dropped_in_plan=True)], **PERIOD
        )
        assert parent.status == "completed" and parent.percent == 100

    def test_an_unreported_child_keeps_the_parent_below_100(self):
        parent = combine("i", [figure(report_=report("completed", 100)), figure()], **PERIOD)
        assert parent.percent == 50 and parent.status == "in_progress"

    def test_rounding_never_makes_an_unfinished_parent_read_100(self):
        children = [figure(report_=report("completed", 100)) for _ in range(999)]
        children.append(figure(report_=report("in_progress", 99)))
        parent = combine("i", children, **PERIOD)
        assert parent.percent == Decimal("99.9") and parent.status == "in_progress"

    def test_every_child_dropped_drops_the_parent(self):
        parent = combine("i", [figure(dropped_in_plan=True)], **PERIOD)
        assert parent.status == "dropped" and parent.percent is None and not parent.included


class TestSchedule:
    def test_expected_percent_is_linear(self):
        assert expected_percent(START, END, MIDYEAR) == Decimal("49.9")  # 182 * 100 / 365
        assert expected_percent(START, END, D(2019, 6, 1)) == 0
        assert expected_percent(START, END, D(2021, 6, 1)) == 100

    @pytest.mark.parametrize(
        ("status", "percent", "on", "outcome"),
        [
            ("in_progress", 45, MIDYEAR, Schedule.ON_TRACK),  # 4.9 points behind
            ("in_progress", 40, MIDYEAR, Schedule.ON_TRACK),  # 9.9 behind: inside the 10-point band
            ("in_progress", 30, MIDYEAR, Schedule.AT_RISK),  # 19.9 behind
            ("in_progress", 20, MIDYEAR, Schedule.OFF_TRACK),  # 29.9 behind
            ("completed", 100, MIDYEAR, Schedule.COMPLETED),
            ("not_started", 0, D(2019, 12, 1), Schedule.NOT_YET_DUE),
            ("in_progress", 95, D(2021, 1, 10), Schedule.OVERDUE),  # past the end, not completed
        ],
    )
    def test_each_outcome(self, status, percent, on, outcome):
        assert figure(on=on, report_=report(status, percent)).schedule == outcome

    def test_overdue_says_by_how_long(self):
        late = figure(on=D(2021, 11, 30), report_=report("in_progress", 95))
        assert (late.schedule, late.overdue_days, late.planned_end) == (Schedule.OVERDUE, 334, END)
        assert figure(on=D(2021, 11, 30)).schedule == Schedule.OVERDUE  # unreported and past its end too

    def test_no_data_before_the_start_is_not_yet_due_and_after_is_no_data(self):
        assert figure(on=D(2019, 12, 1)).schedule == Schedule.NOT_YET_DUE
        assert figure(on=MIDYEAR).schedule == Schedule.NO_DATA


class TestLatestUpdates:
    def test_latest_is_by_the_date_the_progress_refers_to(self):
        older, newer = (
            report("in_progress", 80, on=D(2020, 5, 1)),
            report("in_progress", 20, on=D(2020, 6, 1)),
        )
        assert latest_updates([older, newer]) == {(1, None): newer}

    def test_as_of_a_date_counts_what_was_known_then(self):
        in_round = report("in_progress", 30, on=D(2020, 2, 1), closes=D(2020, 4, 15))
        outside = report("in_progress", 50, on=D(2020, 5, 1))
        assert latest_updates([in_round, outside], as_of=D(2020, 4, 30)) == {(1, None): in_round}
        assert latest_updates([in_round, outside], as_of=D(2020, 4, 1)) == {}

    def test_each_member_state_keeps_its_own_latest(self):
        bn, kh = report("completed", 100, state=7), report("in_progress", 10, state=8)
        assert latest_updates([bn, kh]) == {(1, 7): bn, (1, 8): kh}


@pytest.mark.django_db
class TestFromTheDatabase:
    def test_only_approved_updates_count_and_as_of_uses_earlier_rounds(self):
        deliverable = make_deliverable()
        plan = deliverable.initiative.plan
        first = make_round(plan=plan, opens_on=D(2031, 3, 1), closes_on=D(2031, 4, 15))
        second = make_round(plan=plan, opens_on=D(2031, 9, 1), closes_on=D(2031, 10, 15))
        approved = ProgressUpdate.ReviewState.APPROVED
        make_update(deliverable=deliverable, round=first, percent_complete=30, reported_on=D(2031, 4, 1),
                    review_state=approved)  # fmt: skip
        make_update(
            deliverable=deliverable, percent_complete=50, reported_on=D(2031, 5, 1), review_state=approved
        )
        make_update(deliverable=deliverable, round=second, percent_complete=60, reported_on=D(2031, 10, 1),
                    review_state=approved)  # fmt: skip
        late = D(2031, 10, 9)
        for state in ("draft", "submitted", "returned"):
            make_update(deliverable=deliverable, round=second, percent_complete=90, reported_on=late,
                        review_state=state)  # fmt: skip
        assert plan_progress(plan, as_of_round=first).deliverables[deliverable.pk].percent == 30
        assert plan_progress(plan, as_of_round=second).deliverables[deliverable.pk].percent == 60
        assert plan_progress(plan, today=D(2032, 1, 1)).deliverables[deliverable.pk].percent == 60

    def test_treaty_accessions_on_the_real_data(self):
        plan = ActionPlan.objects.get(slug="2016-2025")
        progress = plan_progress(plan, today=D(2026, 11, 21))
        figures = {
            d.code: progress.deliverables[d.pk] for d in Deliverable.objects.filter(initiative__plan=plan)
        }
        madrid, hague, pct = figures["5.1"], figures["5.2"], figures["5.3"]
        assert (madrid.percent, madrid.states_done, madrid.expected_states) == (Decimal("81.8"), 9, 11)
        assert (hague.percent, hague.states_done) == (Decimal("36.4"), 4)
        assert (pct.percent, pct.states_done) == (Decimal("81.8"), 9)
        assert madrid.status == "in_progress"  # Myanmar and Timor-Leste have not joined

    def test_the_ended_2016_2025_plan_is_honest_about_what_was_delivered(self):
        plan = ActionPlan.objects.get(slug="2016-2025")
        progress = plan_progress(plan, today=D(2026, 11, 21))
        whole = progress.figure
        assert whole.percent < 100 and whole.status == "in_progress"
        assert sum(whole.counts.values()) == Deliverable.objects.filter(initiative__plan=plan).count() == 29
        assert (whole.reported, whole.total) == (29 - whole.counts["no_data"], 29)
        assert whole.schedule == Schedule.OVERDUE and whole.overdue_days == 325  # since 31 Dec 2025
        assert whole.at_plan_end is not None and whole.at_plan_end <= whole.percent
        for goal in progress.goals.values():
            assert goal.percent < 100 or goal.status == "completed"

    def test_delivered_by_the_plan_end_counts_only_progress_dated_by_then(self):
        deliverable = make_deliverable()
        plan = deliverable.initiative.plan  # 2030-2035
        make_update(deliverable=deliverable, status="completed", percent_complete=100,
                    reported_on=D(2036, 2, 1), review_state="approved")  # fmt: skip
        figure = plan_progress(plan, today=D(2036, 6, 1)).deliverables[deliverable.pk]
        assert (figure.percent, figure.at_plan_end) == (100, 0)

    def test_what_is_kept_between_requests_can_only_be_read(self):
        """Plan data and figures are shared by every request of a process: a view that tried to
        change them would change every visitor's page, so it cannot."""
        import dataclasses

        from goals.progress import load_plan_data

        data = load_plan_data(ActionPlan.objects.get(slug="2016-2025"))
        progress = plan_progress(data.plan)
        goal = next(iter(progress.goals))
        attempts = [
            lambda: data.deliverables.append(None),
            lambda: progress.goals.__setitem__(goal, None),
            lambda: progress.figure.counts.__setitem__("completed", 99),
            lambda: progress.latest.clear(),
            lambda: setattr(progress.figure, "percent", 100),
            lambda: setattr(data, "updates", ()),
        ]
        for attempt in attempts:
            with pytest.raises((AttributeError, TypeError, dataclasses.FrozenInstanceError)):
                attempt()

    def test_a_fixed_number_of_queries_whatever_the_size(self, django_assert_num_queries):
        initiative = make_initiative()
        plan = initiative.plan
        with django_assert_num_queries(6):
            plan_progress(plan)
        for n in range(40):
            make_update(deliverable=make_deliverable(initiative=initiative), review_state="approved",
                        percent_complete=n)  # fmt: skip
        with django_assert_num_queries(6):
            result = plan_progress(plan)
        assert result.figure.counts["in_progress"] == 40
