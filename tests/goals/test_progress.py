"""The progress method (design notes §3), checked against values computed by hand."""

import datetime
from decimal import Decimal

import pytest

from goals.models import Deliverable, ProgressUpdate
from goals.progress import (
    DeliverableInput,
    Schedule,
    StateReport,
    combine,
    deliverable_figure,
    expected_percent,
    plan_progress,
)
from tests.factories import make_deliverable, make_initiative, make_round, make_update

D = datetime.date
START, END = D(2020, 1, 1), D(2020, 12, 31)
MIDYEAR = D(2020, 7, 1)  # 182 of 365 days in: 49.9 % expected


def figure(on=MIDYEAR, **values):
    return deliverable_figure(DeliverableInput(key="d", **values), on, START, END)


def report(status, percent, state=None):
    return StateReport(state, status, percent)


class TestDeliverable:
    def test_percent_is_the_latest_approved_update(self):
        result = figure(latest=report("in_progress", 40))
        assert result.percent == 40 and result.status == "in_progress"
        assert result.counts["in_progress"] == 1

    def test_per_member_state_mean_counts_only_reporting_states(self):
        # (100 + 100 + 0) / 3 = 66.7; the eight silent states are no data, not 0.
        states = [
            report("completed", 100, "BN"),
            report("completed", 100, "KH"),
            report("not_started", 0, "MM"),
        ]
        result = figure(per_member_state=True, expected_states=11, by_state=states)
        assert result.percent == Decimal("66.7")
        assert (result.reporting_states, result.expected_states) == (3, 11)
        assert result.status == "in_progress"

    def test_per_member_state_is_completed_only_when_every_state_has(self):
        states = [report("completed", 100, iso) for iso in ("BN", "KH")]
        assert figure(per_member_state=True, expected_states=3, by_state=states).status == "in_progress"
        assert figure(per_member_state=True, expected_states=2, by_state=states).status == "completed"

    def test_no_update_is_no_data_and_excluded(self):
        result = figure()
        assert result.percent is None and not result.included
        assert result.counts["no_data"] == 1 and result.schedule == Schedule.NO_DATA

    def test_dropped_is_excluded_and_counted(self):
        for result in (figure(dropped_in_plan=True, latest=report("in_progress", 30)),
                       figure(latest=report("dropped", 30))):  # fmt: skip
            assert not result.included and result.counts["dropped"] == 1 and result.percent is None


class TestRollUp:
    def test_weighted_mean(self):
        # (100 * 3 + 0 * 1) / 4 = 75
        children = [
            figure(latest=report("completed", 100), weight=Decimal(3)),
            figure(latest=report("not_started", 0), weight=Decimal(1)),
        ]
        assert combine("i", children).percent == Decimal("75.0")

    def test_dropped_and_no_data_children_are_left_out_and_counted(self):
        children = [figure(latest=report("in_progress", 50)), figure(dropped_in_plan=True), figure()]
        result = combine("i", children)
        assert result.percent == Decimal("50.0")
        assert result.counts == {"completed": 0, "in_progress": 1, "on_hold": 0, "not_started": 0,
                                 "dropped": 1, "no_data": 1}  # fmt: skip
        reasons = [child.excluded_reason for child in result.children]
        assert reasons == ["", "dropped at a plan review", "no approved update yet"]

    def test_same_rule_at_every_level(self):
        # initiative A: (20 + 60) / 2 = 40; initiative B (weight 3): 80; goal: (40 + 80 * 3) / 4 = 70
        a = combine("a", [figure(latest=report("in_progress", 20)), figure(latest=report("in_progress", 60))])
        b = combine("b", [figure(latest=report("in_progress", 80))], weight=Decimal(3))
        goal = combine("g", [a, b, combine("empty", [])])
        assert (a.percent, b.percent, goal.percent) == (Decimal("40.0"), Decimal("80.0"), Decimal("70.0"))
        assert goal.counts["in_progress"] == 3
        assert goal.children[2].excluded_reason == "no children recorded"
        assert goal.counts["no_data"] == 1  # the empty initiative is one unknown part

    def test_all_children_completed_makes_a_completed_parent(self):
        parent = combine("i", [figure(latest=report("completed", 100)), figure(dropped_in_plan=True)])
        assert parent.status == "completed" and parent.percent == 100

    def test_an_unreported_child_keeps_the_parent_from_completion(self):
        # The mean of what was reported is 100 %, but one part may still be open.
        parent = combine("i", [figure(latest=report("completed", 100)), figure()], on=MIDYEAR, end=END)
        assert parent.percent == 100 and parent.status == "in_progress"
        assert parent.schedule == Schedule.ON_TRACK


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
            ("in_progress", 95, D(2021, 1, 10), Schedule.OFF_TRACK),  # past the end, not completed
        ],
    )
    def test_each_outcome(self, status, percent, on, outcome):
        assert figure(on=on, latest=report(status, percent)).schedule == outcome

    def test_no_data_before_the_start_is_not_yet_due_and_after_is_no_data(self):
        assert figure(on=D(2019, 12, 1)).schedule == Schedule.NOT_YET_DUE
        assert figure(on=MIDYEAR).schedule == Schedule.NO_DATA


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

    def test_madrid_accession_on_the_real_data(self):
        from goals.models import ActionPlan

        plan = ActionPlan.objects.get(slug="2016-2025")
        madrid = Deliverable.objects.get(initiative__plan=plan, code="5.1")
        result = plan_progress(plan, today=D(2026, 11, 21)).deliverables[madrid.pk]
        assert (result.percent, result.reporting_states, result.expected_states) == (100, 9, 11)
        assert result.status == "in_progress"  # Myanmar and Timor-Leste have not joined

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
