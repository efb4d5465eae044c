"""How progress is computed: the one implementation of the method in the design notes (§3),
published in plain words on the methodology page.

- A deliverable's percent is its latest approved update. For a deliverable tracked per member
  state it is the mean over the states that have an approved update; the others are "no data",
  never 0, and the number of reporting states is kept beside the figure.
- Initiative, goal and plan percent is the weighted mean of their children. Dropped children and
  children with no data are left out of the mean and counted.
- The schedule assessment compares the percent with the percent expected on the assessment date,
  rising linearly from the planned start to the planned end (falling back to the initiative's
  dates, then to the plan period). Up to ``ON_TRACK_TOLERANCE`` points behind is on track, up to
  ``AT_RISK_TOLERANCE`` points behind is at risk, further behind (or past the planned end and not
  completed) is off track.
- "As of" a reporting round, only updates approved in that round or an earlier one count (an
  update recorded outside any round counts from its reported date).

The computation works on plain values (``DeliverableInput``) so it can be checked by hand;
``plan_progress`` fetches them for a plan in a fixed number of queries.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from goals.models import Deliverable, MemberState, ProgressUpdate

ON_TRACK_TOLERANCE = 10  # percentage points behind the expected percent that still count as on track
AT_RISK_TOLERANCE = 25  # beyond this many points behind, a deliverable is off track

Status = ProgressUpdate.Status


class Schedule:
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    COMPLETED = "completed"
    NOT_YET_DUE = "not_yet_due"
    NO_DATA = "no_data"

    LABELS = {
        ON_TRACK: "On track",
        AT_RISK: "At risk",
        OFF_TRACK: "Off track",
        COMPLETED: "Completed",
        NOT_YET_DUE: "Not yet due",
        NO_DATA: "No data",
    }


# The status counts every figure carries, in display order.
COUNTED = ("completed", "in_progress", "on_hold", "not_started", "dropped", "no_data")


@dataclass(frozen=True)
class StateReport:
    member_state: str
    status: str
    percent: int


@dataclass
class DeliverableInput:
    """What the computation needs to know of one deliverable."""

    key: object
    weight: Decimal = Decimal(1)
    planned_start: datetime.date | None = None
    planned_end: datetime.date | None = None
    dropped_in_plan: bool = False
    per_member_state: bool = False
    expected_states: int = 0
    latest: StateReport | None = None  # the latest approved update (plain deliverables)
    by_state: list[StateReport] = field(default_factory=list)  # latest per state (per-state deliverables)


@dataclass
class Figure:
    """A percent with its counts, schedule assessment and the children that explain it."""

    key: object
    percent: Decimal | None
    status: str  # a reported status, or "no_data"
    schedule: str
    expected: Decimal | None
    weight: Decimal
    counts: dict
    excluded_reason: str = ""
    reporting_states: int | None = None
    expected_states: int | None = None
    children: list = field(default_factory=list)

    @property
    def included(self):
        return not self.excluded_reason

    @property
    def schedule_label(self):
        return Schedule.LABELS[self.schedule]


def round_percent(value):
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def expected_percent(start, end, on):
    """Linear expectation from start (0 %) to end (100 %); None when the dates are unknown."""
    if start is None or end is None:
        return None
    if on <= start:
        return Decimal(0)
    if on >= end:
        return Decimal(100)
    return round_percent(Decimal((on - start).days) * 100 / Decimal((end - start).days))


def assess(percent, status, expected, end, on):
    if status == Status.COMPLETED:
        return Schedule.COMPLETED
    if expected == 0:
        return Schedule.NOT_YET_DUE
    if percent is None or expected is None:
        return Schedule.NO_DATA
    if end is not None and on > end:
        return Schedule.OFF_TRACK
    behind = expected - percent
    if behind <= ON_TRACK_TOLERANCE:
        return Schedule.ON_TRACK
    if behind <= AT_RISK_TOLERANCE:
        return Schedule.AT_RISK
    return Schedule.OFF_TRACK


def empty_counts():
    return dict.fromkeys(COUNTED, 0)


def deliverable_figure(item: DeliverableInput, on: datetime.date, start, end):
    """The figure of one deliverable, ``start``/``end`` being its effective planned dates."""
    counts = empty_counts()
    reporting = expected_states = None
    if item.per_member_state:
        reports = [r for r in item.by_state if r.status != Status.DROPPED]
        reporting, expected_states = len(reports), item.expected_states
        if reports:
            percent = round_percent(sum(Decimal(r.percent) for r in reports) / len(reports))
            if all(r.status == Status.COMPLETED for r in reports) and len(reports) >= expected_states:
                status = Status.COMPLETED
            elif all(r.status == Status.NOT_STARTED for r in reports):
                status = Status.NOT_STARTED
            else:
                status = Status.IN_PROGRESS
        else:
            percent, status = None, "no_data"
    elif item.latest is not None:
        percent, status = Decimal(item.latest.percent), item.latest.status
    else:
        percent, status = None, "no_data"

    reason = ""
    if item.dropped_in_plan or status == Status.DROPPED:
        status, reason = Status.DROPPED, "dropped at a plan review"
    elif status == "no_data":
        reason = "no approved update yet"
    counts[status] += 1
    expected = expected_percent(start, end, on)
    dropped = status == Status.DROPPED
    schedule = Schedule.NO_DATA if dropped else assess(percent, status, expected, end, on)
    return Figure(
        key=item.key,
        percent=percent if status != Status.DROPPED else None,
        status=status,
        schedule=schedule,
        expected=expected,
        weight=item.weight,
        counts=counts,
        excluded_reason=reason,
        reporting_states=reporting,
        expected_states=expected_states,
    )


def combine(key, children, weight=Decimal(1), on=None, end=None):
    """The weighted mean of the children's figures, with their counts added up."""
    counts = empty_counts()
    for child in children:
        for name in COUNTED:
            counts[name] += child.counts[name]
    if not children:
        counts["no_data"] = 1  # nothing recorded under it yet: one unknown part
    used = [child for child in children if child.included]
    if not used:
        reason = "no child has data" if children else "no children recorded"
        if children and all(child.status == Status.DROPPED for child in children):
            reason = "every child was dropped"
        return Figure(key, None, "no_data", Schedule.NO_DATA, None, weight, counts, reason, children=children)
    total_weight = sum(child.weight for child in used)
    percent = round_percent(sum(child.percent * child.weight for child in used) / total_weight)
    with_expectation = [child for child in used if child.expected is not None]
    expected = None
    if with_expectation:
        expected = round_percent(
            sum(child.expected * child.weight for child in with_expectation)
            / sum(child.weight for child in with_expectation)
        )
    # Completed only when every part that was not dropped is completed: an unreported part
    # may still be open.
    if all(child.status in (Status.COMPLETED, Status.DROPPED) for child in children):
        status = Status.COMPLETED
    elif all(child.status == Status.NOT_STARTED for child in used):
        status = Status.NOT_STARTED
    else:
        status = Status.IN_PROGRESS
    schedule = assess(percent, status, expected, end, on) if on else Schedule.NO_DATA
    return Figure(key, percent, status, schedule, expected, weight, counts, children=children)


@dataclass
class PlanProgress:
    plan: object
    on: datetime.date
    as_of_round: object
    figure: Figure
    goals: dict  # goal pk -> Figure
    initiatives: dict  # initiative pk -> Figure
    deliverables: dict  # deliverable pk -> Figure

    @cached_property
    def completeness(self):
        """How much of the plan has been reported on: deliverables with approved progress (of
        those not dropped) and, for deliverables tracked per member state, the states' reports."""
        included = [f for f in self.deliverables.values() if f.status != "dropped"]
        per_state = [f for f in included if f.expected_states]
        return {
            "reported": sum(1 for f in included if f.included),
            "total": len(included),
            "state_reports": sum(f.reporting_states for f in per_state),
            "state_expected": sum(f.expected_states for f in per_state),
        }


@dataclass
class PlanData:
    """Everything the computation needs for one plan, fetched once."""

    plan: object
    expected_states: int
    goals: list
    initiatives: list
    deliverables: list
    updates: list  # approved updates as dicts, oldest first
    published_rounds: list
    figures: dict = field(default_factory=dict)  # round pk (None: now) -> PlanProgress, see progress_as_of

    @cached_property
    def names(self):
        """What the "why this number" tables call each part, by level and primary key."""
        return {
            "goals": {g.pk: f"Goal {g.number}" for g in self.goals},
            "initiatives": {i.pk: f"Initiative {i.number}" for i in self.initiatives},
            "deliverables": {d.pk: f"{d.code} {d.title}" for d in self.deliverables},
        }


def load_plan_data(plan):
    """A plan's structure and approved updates in six queries whatever its size."""
    plan_end = datetime.date(plan.end_year, 12, 31)
    updates = (
        ProgressUpdate.objects.filter(
            deliverable__initiative__plan=plan, review_state=ProgressUpdate.ReviewState.APPROVED
        )
        .order_by("reported_on", "pk")
        .values(
            "deliverable_id",
            "member_state__iso_code",
            "status",
            "percent_complete",
            "reported_on",
            "round__closes_on",
        )
    )
    return PlanData(
        plan=plan,
        expected_states=MemberState.objects.filter(joined_asean_on__lte=plan_end).count(),
        goals=list(plan.goals.select_related("plan").order_by("number")),
        initiatives=list(plan.initiatives.select_related("plan", "goal").order_by("number")),
        deliverables=list(
            Deliverable.objects.filter(initiative__plan=plan)
            .select_related("initiative__plan")
            .order_by("code")
        ),
        updates=list(updates),
        published_rounds=list(plan.rounds.published().select_related("snapshot").order_by("closes_on")),
    )


def cached_plan_data(plan):
    """The plan's data, loaded once per data version in this process (the costly part of a page)."""
    from tracker.cache import derived_from_data

    return derived_from_data(("plan-data", plan.pk), lambda: load_plan_data(plan))


def counts_by_the(update, cutoff):
    """An update counts "as of" a date when its round closed by then (or, outside any round,
    when it was reported by then)."""
    if cutoff is None:
        return True
    closes = update["round__closes_on"]
    return closes <= cutoff if closes is not None else update["reported_on"] <= cutoff


def compute(data, as_of_round=None, today=None):
    """Every figure of the plan, as of a reporting round or today."""
    plan = data.plan
    cutoff = as_of_round.closes_on if as_of_round is not None else None
    on = cutoff or today or datetime.date.today()
    plan_start, plan_end = datetime.date(plan.start_year, 1, 1), datetime.date(plan.end_year, 12, 31)
    latest, by_state = {}, {}
    for update in data.updates:
        if not counts_by_the(update, cutoff):
            continue
        report = StateReport(update["member_state__iso_code"], update["status"], update["percent_complete"])
        latest[update["deliverable_id"]] = report  # oldest first, so the last one wins
        if report.member_state:
            by_state.setdefault(update["deliverable_id"], {})[report.member_state] = report

    initiatives_by_pk = {initiative.pk: initiative for initiative in data.initiatives}
    deliverables, children_of = {}, {}
    for deliverable in data.deliverables:
        initiative = initiatives_by_pk[deliverable.initiative_id]
        start = deliverable.planned_start or initiative.planned_start or plan_start
        end = deliverable.planned_end or initiative.planned_end or plan_end
        item = DeliverableInput(
            key=deliverable.pk,
            weight=deliverable.weight,
            dropped_in_plan=bool(deliverable.dropped_in),
            per_member_state=deliverable.per_member_state,
            expected_states=data.expected_states,
            latest=latest.get(deliverable.pk),
            by_state=list(by_state.get(deliverable.pk, {}).values()),
        )
        deliverables[deliverable.pk] = deliverable_figure(item, on, start, end)
        children_of.setdefault(initiative.pk, []).append(deliverables[deliverable.pk])

    initiatives, goal_children = {}, {}
    for initiative in data.initiatives:
        end = initiative.planned_end or plan_end
        figure = combine(initiative.pk, children_of.get(initiative.pk, []), initiative.weight, on, end)
        initiatives[initiative.pk] = figure
        goal_children.setdefault(initiative.goal_id, []).append(figure)
    goals = {
        goal.pk: combine(goal.pk, goal_children.get(goal.pk, []), Decimal(1), on, plan_end)
        for goal in data.goals
    }
    figure = combine(plan.pk, list(goals.values()), Decimal(1), on, plan_end)
    return PlanProgress(plan, on, as_of_round, figure, goals, initiatives, deliverables)


def plan_progress(plan, as_of_round=None, today=None):
    return compute(load_plan_data(plan), as_of_round, today)
