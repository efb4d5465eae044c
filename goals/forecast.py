"""Completion forecasts: when each deliverable, initiative, goal and the plan would reach 100 %
at the pace of its approved progress, and the pace it needs to finish by the plan's end.
Published in plain words on the methodology page; the one implementation of the method.

The method, on the dated points of an item's approved progress (``points_of``):

- A point is the item's percent delivered, computed by ``goals.progress`` exactly as its figure
  is, on each date its approved progress (or, for a parent, its parts' progress) refers to.
  Progress dated before the plan's start makes one point on its first day: where it started.
- Enough data: at least two points on dates at least ``MIN_SPAN_DAYS`` apart. Otherwise "not
  enough data", and no date.
- Pace: the average pace from the first point to the latest, in percentage points a year.
- Projected completion: the latest point carried forward at that pace until it reaches 100 %
  (the first day it does). It is never before the latest point's date.
- Range: the same from each earlier point at least ``MIN_SPAN_DAYS`` before the latest; the
  fastest of those paces gives the earliest date, the slowest the latest date (none when the
  slowest is zero or less).
- Pace needed: what is left (100 minus the percent now) spread over the time to the plan's end.
  Once the plan's period is over, the pace it would have needed from its first point instead.
- Completed and dropped items have no forecast; a pace of zero or less has no date.

Why the average pace from the first point, not a least-squares line: with a fitted line, a later
report showing no progress can steepen the line (points 0 %, 1 %, 50 % on days 0, 10, 11, then
50 % on day 12) and so move the projected date earlier. Carried forward from the latest point at
the average pace, a constant pace is forecast on its line, and a later point that adds no
progress only lowers the pace, so the date can only move later (tests/goals/test_forecast.py).

All of it works on plain values; ``plan_forecasts`` reads the points from plan data already
loaded (no query), ``forecasts_as_of`` keeps the result with that data, as the figures are kept.
"""

import datetime
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from goals.progress import (
    Status,
    combine,
    deliverable_figure,
    deliverable_input,
    known_by,
    plan_end,
    plan_start,
    planned_period,
)
from goals.snapshots import progress_as_of, thawed_data

MIN_SPAN_DAYS = 180  # the shortest stretch of dated progress a pace is read from (about two rounds)
DAYS_PER_YEAR = Fraction(36525, 100)


class Outlook:
    """A forecast's status, in the CSV, the API and on the pages."""

    COMPLETED = "completed"
    DROPPED = "dropped"
    NOT_ENOUGH_DATA = "not_enough_data"
    NO_PACE = "no_pace"
    ON_COURSE = "on_course"
    OFF_COURSE = "off_course"
    PLAN_ENDED = "plan_ended"

    # Translated when shown (the forecasts are kept per data version, their words are not).
    LABELS = {
        COMPLETED: _("Completed: no forecast"),
        DROPPED: _("Dropped: no forecast"),
        NOT_ENOUGH_DATA: _("Not enough data for a forecast"),
        NO_PACE: _("No progress at its pace: no date"),
        ON_COURSE: _("On course to finish by the plan's end"),
        OFF_COURSE: _("Will not finish by the plan's end at this pace"),
        PLAN_ENDED: _("Not finished by the plan's end"),
    }


@dataclass(frozen=True)
class Point:
    """The percent delivered on a date, as the figures computed it then."""

    on: datetime.date
    percent: Decimal | None  # None when dropped on that date


@dataclass(frozen=True)
class Forecast:
    status: str
    on: datetime.date  # the date the forecast is made on (a round's close, or today)
    deadline: datetime.date  # the plan's end
    percent: Decimal | None  # delivered now
    points: tuple = ()  # the dated points it is read from
    pace: Decimal | None = None  # percentage points a year, from the first point to the latest
    slowest: Decimal | None = None  # the slowest and fastest pace from an earlier point
    fastest: Decimal | None = None
    projected: datetime.date | None = None
    earliest: datetime.date | None = None
    latest: datetime.date | None = None
    pace_needed: Decimal | None = None  # percentage points a year, from ``needed_from``
    needed_from: datetime.date | None = None

    @property
    def label(self):
        return Outlook.LABELS[self.status]

    @property
    def first(self):
        return self.points[0] if self.points else None

    @property
    def last(self):
        return self.points[-1] if self.points else None

    @property
    def passed(self):
        """The projected date is already past, with no completion approved."""
        return self.projected is not None and self.projected < self.on

    @property
    def days_after_deadline(self):
        if self.projected is None or self.projected <= self.deadline:
            return None
        return (self.projected - self.deadline).days

    @property
    def plan_ended(self):
        return self.on > self.deadline


def per_year(value):
    """A pace in points a day as points a year, to one decimal."""
    return Decimal(value.numerator * DAYS_PER_YEAR.numerator) / Decimal(
        value.denominator * DAYS_PER_YEAR.denominator
    )


def _one_decimal(value):
    return None if value is None else per_year(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def reaches_100(point, pace):
    """The first day on which ``point`` carried forward at ``pace`` (points a day) reads 100 %."""
    return point.on + datetime.timedelta(days=math.ceil((100 - Fraction(point.percent)) / pace))


def pace_between(earlier, later):
    """Percentage points a day from one point to a later one."""
    return (Fraction(later.percent) - Fraction(earlier.percent)) / (later.on - earlier.on).days


def forecast(points, *, status, percent, on, deadline):
    """The forecast of one item from its dated points (oldest first), its figure's status and
    percent now, the date it is made on and the plan's end."""
    points = tuple(p for p in points if p.percent is not None and p.on <= on)
    base = {"status": status, "on": on, "deadline": deadline, "percent": percent, "points": points}
    if status == Status.COMPLETED:
        return Forecast(**{**base, "status": Outlook.COMPLETED})
    if status == Status.DROPPED:
        return Forecast(**{**base, "status": Outlook.DROPPED})
    if percent is None:  # a part left out by figures frozen with method version 1: its latest point
        percent = points[-1].percent if points else Decimal(0)
        base["percent"] = percent
    ended = on > deadline
    needed = needed_from = None
    if not ended:
        needed_from = on
        days = (deadline - on).days
        needed = (100 - Fraction(percent)) / days if days else None
    elif points and points[0].on < deadline:
        needed_from = points[0].on
        needed = (100 - Fraction(points[0].percent)) / (deadline - needed_from).days
    if needed is not None and needed <= 0:  # it stood at 100 % then (reported done, since reopened)
        needed = None
    base |= {"pace_needed": _one_decimal(needed), "needed_from": needed_from if needed is not None else None}
    first, last = (points[0], points[-1]) if points else (None, None)
    if first is None or (last.on - first.on).days < MIN_SPAN_DAYS:
        return Forecast(**{**base, "status": Outlook.PLAN_ENDED if ended else Outlook.NOT_ENOUGH_DATA})
    pace = pace_between(first, last)
    paces = [pace_between(p, last) for p in points if (last.on - p.on).days >= MIN_SPAN_DAYS]
    slowest, fastest = min(paces), max(paces)
    base |= {"pace": _one_decimal(pace), "slowest": _one_decimal(slowest), "fastest": _one_decimal(fastest)}
    if pace <= 0:
        return Forecast(**{**base, "status": Outlook.PLAN_ENDED if ended else Outlook.NO_PACE})
    projected = reaches_100(last, pace)
    dates = {
        "projected": projected,
        "earliest": reaches_100(last, fastest),
        "latest": reaches_100(last, slowest) if slowest > 0 else None,
    }
    if ended:
        outlook = Outlook.PLAN_ENDED
    else:
        outlook = Outlook.ON_COURSE if projected <= deadline else Outlook.OFF_COURSE
    return Forecast(**{**base, **dates, "status": outlook})


@dataclass(frozen=True)
class PlanForecasts:
    plan: Forecast
    goals: dict
    initiatives: dict
    deliverables: dict

    def of(self, level, key):
        """The forecast of a goal, initiative or deliverable; None for a part the figures do not
        know (added after the round)."""
        return getattr(self, level).get(key)


def points_of(data, as_of=None):
    """The dated points of every item of the plan: ``{level: {pk: [Point, …]}}`` with level
    "plan" keyed by the plan's pk. Each date an approved update refers to gives a point to its
    deliverable and to each item above it, computed as the figures are (``goals.progress``) from
    the latest reports dated by then. ``as_of``: only updates known by that date count."""
    plan = data.plan
    initiatives = {i.pk: i for i in data.initiatives}
    under_initiative, under_goal = {}, {}
    for deliverable in data.deliverables:
        under_initiative.setdefault(deliverable.initiative_id, []).append(deliverable)
    for initiative in data.initiatives:
        under_goal.setdefault(initiative.goal_id, []).append(initiative)
    deliverables = {d.pk: d for d in data.deliverables}
    states = data.expected_state_ids
    latest = {}

    def deliverable_on(deliverable, on):
        initiative = initiatives[deliverable.initiative_id]
        return deliverable_figure(deliverable_input(deliverable, initiative, plan, states, latest), on)

    def initiative_on(initiative, on):
        start, end = planned_period(initiative, None, plan)
        children = [figures["deliverables"][d.pk] for d in under_initiative.get(initiative.pk, [])]
        return combine(initiative.pk, children, on=on, start=start, end=end, weight=initiative.weight)

    def goal_on(goal, on):
        children = [figures["initiatives"][i.pk] for i in under_goal.get(goal.pk, [])]
        return combine(goal.pk, children, on=on, start=plan_start(plan), end=plan_end(plan))

    def plan_on(on):
        children = [figures["goals"][g.pk] for g in data.goals]
        return combine(plan.pk, children, on=on, start=plan_start(plan), end=plan_end(plan))

    start = plan_start(plan)
    figures = {"deliverables": {d.pk: deliverable_on(d, start) for d in data.deliverables}}
    figures["initiatives"] = {i.pk: initiative_on(i, start) for i in data.initiatives}
    figures["goals"] = {g.pk: goal_on(g, start) for g in data.goals}
    points = {level: {} for level in ("deliverables", "initiatives", "goals", "plan")}
    goals = {g.pk: g for g in data.goals}

    def record(level, key, figure, on):
        """Progress dated before the plan's start is where the item stood at its start."""
        series = points[level].setdefault(key, [])
        on = max(on, start)
        if series and series[-1].on == on:
            series.pop()
        series.append(Point(on, figure.percent))

    updates = [u for u in data.updates if as_of is None or known_by(u, as_of)]
    touched = set()
    for index, update in enumerate(updates):
        latest[(update.deliverable_id, update.member_state_id)] = update
        if update.deliverable_id in deliverables:
            touched.add(update.deliverable_id)
        on = update.reported_on
        if index + 1 < len(updates) and updates[index + 1].reported_on == on:
            continue  # the day's points come once all its updates count
        for key in sorted(touched):
            figures["deliverables"][key] = figure = deliverable_on(deliverables[key], on)
            record("deliverables", key, figure, on)
        for key in sorted({deliverables[k].initiative_id for k in touched}):
            figures["initiatives"][key] = figure = initiative_on(initiatives[key], on)
            record("initiatives", key, figure, on)
        for key in sorted({initiatives[deliverables[k].initiative_id].goal_id for k in touched}):
            figures["goals"][key] = figure = goal_on(goals[key], on)
            record("goals", key, figure, on)
        if touched:
            record("plan", plan.pk, plan_on(on), on)
        touched = set()
    return points


def plan_forecasts(data, progress, as_of=None):
    """Every forecast of the plan, beside its figures ``progress`` (now, or as of a round)."""
    points = points_of(data, as_of)
    deadline = plan_end(data.plan)

    def one(level, key, figure):
        if figure.added_later:
            return None
        return forecast(points[level].get(key, ()), status=figure.status, percent=figure.percent,
                        on=progress.on, deadline=deadline)  # fmt: skip

    return PlanForecasts(
        plan=one("plan", data.plan.pk, progress.figure),
        **{
            level: {key: one(level, key, figure) for key, figure in getattr(progress, level).items()}
            for level in ("goals", "initiatives", "deliverables")
        },
    )


def forecasts_as_of(data, reporting_round=None):
    """The plan's forecasts now, or as of a published round: from the data frozen with the
    round when it has it (as its figures are), else from the updates known by its close.
    Kept with the plan data, as the figures are."""
    key = ("forecasts", None if reporting_round is None else reporting_round.pk)
    if key not in data._progress:
        progress = progress_as_of(data, reporting_round)
        source, known = data, None
        if reporting_round is not None:
            known = progress.on
            snapshot = getattr(reporting_round, "snapshot", None)
            if snapshot is not None and "inputs" in snapshot.figures:
                source = thawed_data(snapshot.figures["inputs"])
        forecasts = plan_forecasts(source, progress, known)
        data._progress[key] = forecasts
    return data._progress[key]
