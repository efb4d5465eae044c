"""How progress is computed: the one implementation of the method in the design notes (§3),
published in plain words on the methodology page (method version ``METHOD_VERSION``).

The figures answer "how much of this has been delivered":

- A deliverable's percent is its latest approved update. With none, it counts as 0 % delivered
  (and as "no data" in its counts and in the coverage line beside every figure).
- A deliverable tracked per member state is the mean over the member states expected to act on
  it, a state without an approved report counting as 0 %; a state whose report says "dropped"
  leaves the denominator. For a treaty accession this is the share of states that have acceded.
- Initiative, goal and plan percent is the weighted mean of their children, children without
  data counting as 0 %. Dropped children leave the denominator. A parent is completed, and
  reads 100 %, only when every child that was not dropped is completed.
- The schedule assessment compares the percent with the percent expected on the assessment
  date, rising linearly over the planned period. Up to ``ON_TRACK_TOLERANCE`` points behind is
  on track, up to ``AT_RISK_TOLERANCE`` at risk, further behind off track. Past its planned end
  and not completed, an item is overdue, by the time since that end; once a plan's period is
  over, each figure also says how much had been delivered by the plan's end.
- "As of" a reporting round, only updates approved in that round or an earlier one count (an
  update recorded outside any round counts from the date it refers to).

The rules the rest of the tracker shares live here, each written once: ``latest_updates`` (the
latest approved update per deliverable and member state), ``is_done`` and ``planned_period``.
Who is expected to act is ``MemberState.objects.expected_for(plan)``. The computation works on
plain values so it can be checked by hand; ``load_plan_data`` fetches them for a plan in a fixed
number of queries.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from types import MappingProxyType

from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from goals.models import Deliverable, MemberState, ProgressUpdate, last_day_of
from tracker.core.cache import derived_from_data

METHOD_VERSION = 2  # moves on whenever the method changes; frozen figures say which they used
ON_TRACK_TOLERANCE = 10  # percentage points behind the expected percent that still count as on track
AT_RISK_TOLERANCE = 25  # beyond this many points behind, an item is off track

Status = ProgressUpdate.Status
NO_DATA = "no_data"
DONE = frozenset({Status.COMPLETED, Status.DROPPED})


class Schedule:
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    OVERDUE = "overdue"
    COMPLETED = "completed"
    NOT_YET_DUE = "not_yet_due"
    NO_DATA = "no_data"
    DROPPED = "dropped"

    LABELS = {
        ON_TRACK: _("On track"),
        AT_RISK: _("At risk"),
        OFF_TRACK: _("Off track"),
        OVERDUE: _("Overdue"),
        COMPLETED: _("Completed"),
        NOT_YET_DUE: _("Not yet due"),
        NO_DATA: _("No data"),
        DROPPED: _("Dropped"),
    }


# The status counts every figure carries (of the deliverables under it), in display order.
COUNTED = ("completed", "in_progress", "on_hold", "not_started", "dropped", "no_data")
STATUS_LABELS = {**dict(Status.choices), NO_DATA: _("No data")}  # a figure's status, in words


def is_done(status):
    """Whether a report or a figure owes nothing more: completed, or dropped."""
    return status in DONE


def plan_start(plan):
    return datetime.date(plan.start_year, 1, 1)


plan_end = last_day_of  # the plan's last day: when its period is over, and who joined in time


def planned_period(item, initiative, plan):
    """The planned (start, end) of a deliverable or an initiative: its own dates, else its
    initiative's, else the plan's whole period."""
    start = item.planned_start or (initiative and initiative.planned_start) or plan_start(plan)
    end = item.planned_end or (initiative and initiative.planned_end) or plan_end(plan)
    return start, end


@dataclass(frozen=True, slots=True)
class ApprovedUpdate:
    """An approved progress update, as the figures and the public tables read it."""

    pk: int
    deliverable_id: int
    member_state_id: int | None
    round_id: int | None
    round_closes_on: datetime.date | None
    status: str
    percent_complete: int
    reported_on: datetime.date
    reported_on_precision: str = "day"
    provisional: bool = False
    provisional_note: str = ""
    evidence_url: str = ""
    has_evidence: bool = False


UPDATE_FIELDS = (
    "pk",
    "deliverable_id",
    "member_state_id",
    "round_id",
    "round__closes_on",
    "status",
    "percent_complete",
    "reported_on",
    "reported_on_precision",
    "provisional",
    "provisional_note",
    "evidence_url",
    "evidence_file",
)


def approved_updates(queryset):
    """The approved updates of ``queryset`` as plain records, oldest first (one query)."""
    rows = queryset.public().order_by("reported_on", "pk").values_list(*UPDATE_FIELDS)
    return tuple(ApprovedUpdate(*row[:-1], has_evidence=bool(row[-2] or row[-1])) for row in rows)


def known_by(update, date):
    """Whether an update counts "as of" a date: its round had closed by then (or, outside any
    round, the progress it reports is dated by then)."""
    closes = update.round_closes_on
    return (closes if closes is not None else update.reported_on) <= date


def known_by_condition(date):
    """``known_by`` as a database condition on progress updates (for lists of them)."""
    return Q(round__isnull=True, reported_on__lte=date) | Q(round__closes_on__lte=date)


def latest_updates(updates, *, as_of=None, happened_by=None):
    """The latest approved update of each deliverable, and of each member state on a
    deliverable tracked per member state: ``{(deliverable_id, member_state_id): update}``.

    "Latest" is by the date the progress refers to (then by entry). ``as_of`` keeps only what
    was known by a date (see ``known_by``); ``happened_by`` only progress dated by then.
    """
    latest = {}
    for update in updates:  # oldest first, so the last one wins
        if as_of is not None and not known_by(update, as_of):
            continue
        if happened_by is not None and update.reported_on > happened_by:
            continue
        latest[(update.deliverable_id, update.member_state_id)] = update
    return latest


@dataclass(frozen=True)
class Figure:
    """A percent delivered with its counts, schedule assessment and the parts that explain it."""

    key: object
    percent: Decimal | None  # share delivered, 0 to 100; None only when dropped
    status: str  # a reported status, or "no_data"
    schedule: str
    expected: Decimal | None  # percent expected by the assessment date
    weight: Decimal
    counts: Mapping  # the deliverables under it (for a deliverable, itself) by status
    planned_end: datetime.date | None = None
    overdue_days: int | None = None  # past the planned end and not completed: by how long
    at_plan_end: Decimal | None = None  # percent delivered by the plan's end, once it has ended
    note: str = ""  # why it counts as it does (dropped, no approved progress, nothing under it)
    expected_states: int | None = None  # state-by-state deliverables: states expected to act,
    reporting_states: int | None = None  # of which have an approved report,
    states_done: int | None = None  # and of which have completed it
    children: tuple = ()

    @property
    def included(self):
        """Whether it counts in its parent's mean (dropped parts, and parts added after a
        published round's figures were frozen, do not)."""
        return self.status != Status.DROPPED and not self.added_later

    @property
    def added_later(self):
        return self.note == ADDED_LATER

    @property
    def total(self):
        """Deliverables under it that were not dropped."""
        return sum(self.counts.values()) - self.counts["dropped"]

    @property
    def reported(self):
        """Of those, the ones with approved progress (the coverage line)."""
        return self.total - self.counts[NO_DATA]

    @property
    def schedule_label(self):
        return Schedule.LABELS[self.schedule]


def empty_counts():
    return dict.fromkeys(COUNTED, 0)


def round_percent(value):
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def mean_delivered(parts):
    """The weighted mean percent of parts not dropped. Never 100 % unless every part is
    completed: rounding must not make 999 of 1,000 read as done."""
    value = round_percent(sum(p.percent * p.weight for p in parts) / sum(p.weight for p in parts))
    if value == 100 and not all(p.status == Status.COMPLETED for p in parts):
        return Decimal("99.9")
    return value


def combined_status(parts):
    """A parent's status from its parts that were not dropped (at least one)."""
    statuses = {part.status for part in parts}
    if statuses == {Status.COMPLETED}:
        return Status.COMPLETED
    if statuses == {NO_DATA}:
        return NO_DATA
    if statuses <= {Status.NOT_STARTED, NO_DATA}:
        return Status.NOT_STARTED
    if statuses == {Status.ON_HOLD}:
        return Status.ON_HOLD
    return Status.IN_PROGRESS


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
    """The schedule assessment and, when overdue, by how many days."""
    if status == Status.COMPLETED:
        return Schedule.COMPLETED, None
    if status == Status.DROPPED:
        return Schedule.DROPPED, None
    if end is not None and on > end:
        return Schedule.OVERDUE, (on - end).days
    if expected == 0:
        return Schedule.NOT_YET_DUE, None
    if status == NO_DATA or expected is None:
        return Schedule.NO_DATA, None
    behind = expected - percent
    if behind <= ON_TRACK_TOLERANCE:
        return Schedule.ON_TRACK, None
    if behind <= AT_RISK_TOLERANCE:
        return Schedule.AT_RISK, None
    return Schedule.OFF_TRACK, None


@dataclass
class DeliverableInput:
    """What the computation needs to know of one deliverable."""

    key: object
    start: datetime.date
    end: datetime.date
    weight: Decimal = Decimal(1)
    dropped_in_plan: bool = False
    per_member_state: bool = False
    expected_states: tuple = ()  # keys of the member states expected to act (state-by-state)
    reports: Mapping = field(default_factory=dict)  # member state key (None: whole) -> update


def delivered(report):
    """What one approved report says was delivered: its percent, to one decimal as every figure,
    and never 100 % unless it says completed (an "in progress" report at 100 % is not done)."""
    percent = round_percent(report.percent_complete)
    if percent == 100 and report.status != Status.COMPLETED:
        return Decimal("99.9")
    return percent


def state_part(state, report):
    """One member state's part in a state-by-state deliverable."""
    if report is None:
        status, percent, note = NO_DATA, Decimal(0), gettext_noop("no approved report")
    elif report.status == Status.DROPPED:
        status, percent, note = Status.DROPPED, None, gettext_noop("dropped for this member state")
    else:
        status, percent, note = report.status, delivered(report), ""
    schedule = Schedule.COMPLETED if status == Status.COMPLETED else Schedule.NO_DATA
    return Figure(state, percent, status, schedule, None, Decimal(1), MappingProxyType({}), note=note)


def deliverable_figure(item: DeliverableInput, on: datetime.date, at_plan_end=None):
    """The figure of one deliverable on a date."""
    states = reporting = done = None
    parts = ()
    if item.dropped_in_plan:
        status, percent, note = Status.DROPPED, None, gettext_noop("dropped at a plan review")
    elif item.per_member_state:
        parts = tuple(state_part(state, item.reports.get(state)) for state in item.expected_states)
        counted = [part for part in parts if part.included]
        states, done = len(counted), sum(part.status == Status.COMPLETED for part in counted)
        reporting = sum(part.status != NO_DATA for part in counted)
        if counted:
            status, percent = combined_status(counted), mean_delivered(counted)
            note = "" if reporting else gettext_noop("no member state has approved progress yet")
        elif parts:
            status, percent, note = Status.DROPPED, None, gettext_noop("dropped for every member state")
        else:
            status, percent, note = (
                NO_DATA,
                Decimal(0),
                gettext_noop("no member state is expected to act on it"),
            )
    else:
        report = item.reports.get(None)
        if report is None:
            status, percent, note = NO_DATA, Decimal(0), gettext_noop("no approved progress yet")
        elif report.status == Status.DROPPED:
            status, percent, note = Status.DROPPED, None, gettext_noop("reported as dropped")
        else:
            status, percent, note = report.status, delivered(report), ""
    counts = empty_counts()
    counts[status] += 1
    counts = MappingProxyType(counts)
    expected = None if status == Status.DROPPED else expected_percent(item.start, item.end, on)
    schedule, overdue = assess(percent, status, expected, item.end, on)
    return Figure(
        key=item.key,
        percent=percent,
        status=status,
        schedule=schedule,
        expected=expected,
        weight=item.weight,
        counts=counts,
        planned_end=item.end,
        overdue_days=overdue,
        at_plan_end=at_plan_end,
        note=note,
        expected_states=states,
        reporting_states=reporting,
        states_done=done,
        children=parts,
    )


NOTHING_UNDER_IT = gettext_noop("nothing recorded under it")


def combine(key, children, *, on, start, end, weight=Decimal(1), empty=NOTHING_UNDER_IT,
            at_plan_end=None):  # fmt: skip
    """A parent's figure: the weighted mean of its children, their counts added up."""
    counts = empty_counts()
    for child in children:
        for name in COUNTED:
            counts[name] += child.counts[name]
    counts = MappingProxyType(counts)
    used = [child for child in children if child.included]
    if used:
        percent, status = mean_delivered(used), combined_status(used)
        note = ""
        if status == NO_DATA:
            nothing_under = not any(counts.values())
            note = (
                gettext_noop("no deliverables recorded")
                if nothing_under
                else gettext_noop("no approved progress yet")
            )
        with_expectation = [child for child in used if child.expected is not None]
        expected = (
            round_percent(
                sum(c.expected * c.weight for c in with_expectation) / sum(c.weight for c in with_expectation)
            )
            if with_expectation
            else expected_percent(start, end, on)
        )
    elif children:
        percent, status, note, expected = None, Status.DROPPED, gettext_noop("every part was dropped"), None
    else:
        percent, status, note = Decimal(0), NO_DATA, empty
        expected = expected_percent(start, end, on)
    schedule, overdue = assess(percent, status, expected, end, on)
    return Figure(
        key=key,
        percent=percent,
        status=status,
        schedule=schedule,
        expected=expected,
        weight=weight,
        counts=counts,
        planned_end=end,
        overdue_days=overdue,
        at_plan_end=at_plan_end,
        note=note,
        children=tuple(children),
    )


ADDED_LATER = gettext_noop("added after this round")


class Figures(Mapping):
    """Figures by primary key, read-only. A part the figures do not know (added after a round's
    figures were frozen) reads as added after that round, never as an error."""

    def __init__(self, figures):
        self._figures = figures

    def __getitem__(self, key):
        figure = self._figures.get(key)
        if figure is None:
            counts = MappingProxyType(empty_counts())
            return Figure(key, None, NO_DATA, Schedule.NO_DATA, None, Decimal(1), counts,
                          note=ADDED_LATER)  # fmt: skip
        return figure

    def __contains__(self, key):
        return key in self._figures

    def __iter__(self):
        return iter(self._figures)

    def __len__(self):
        return len(self._figures)


@dataclass(frozen=True)
class PlanProgress:
    plan: object
    on: datetime.date
    as_of_round: object
    figure: Figure
    goals: Figures
    initiatives: Figures
    deliverables: Figures
    latest: Mapping = field(default_factory=dict)  # the updates the figures count, see latest_updates
    expected_states: tuple = ()  # keys of the member states the figures expect to act
    method_version: int = METHOD_VERSION

    @property
    def plan_end(self):
        return plan_end(self.plan)

    @property
    def has_progress(self):
        """Whether any approved progress counts in these figures: a plan with none has nothing
        to chart yet, and its pages say when figures will come instead of showing zeros."""
        return bool(self.latest)

    @cached_property
    def overdue(self):
        """The deliverables past their planned end and not completed, longest overdue first."""
        late = [f for f in self.deliverables.values() if f.schedule == Schedule.OVERDUE]
        return sorted(late, key=lambda f: -f.overdue_days)

    @cached_property
    def state_reports(self):
        """(member states' approved reports, reports expected) over the state-by-state
        deliverables not dropped: the second half of the coverage line."""
        per_state = [f for f in self.deliverables.values() if f.expected_states is not None and f.included]
        return sum(f.reporting_states for f in per_state), sum(f.expected_states for f in per_state)

    def cells(self, deliverables, states):
        """Each member state these figures expect to act (of ``states``, the records) with its latest
        approved update (or None) on each deliverable: ``[(state, [update or None, …])]``."""
        expected = [state for state in states if state.pk in self.expected_states]
        return [(state, [self.latest.get((d.pk, state.pk)) for d in deliverables]) for state in expected]


@dataclass(frozen=True)
class PlanData:
    """Everything the figures and the public tables need of one plan, fetched once and then
    only read (kept between requests by ``cached_plan_data``)."""

    plan: object
    goals: tuple
    initiatives: tuple
    deliverables: tuple
    expected_states: tuple  # MemberState records (or their keys, in frozen figures)
    updates: tuple  # ApprovedUpdate records, oldest first
    published_rounds: tuple = ()
    _progress: dict = field(default_factory=dict, repr=False, compare=False)  # see snapshots

    @cached_property
    def expected_state_ids(self):
        return tuple(getattr(state, "pk", state) for state in self.expected_states)

    @cached_property
    def by_pk(self):
        """Goals, initiatives and deliverables by primary key, by level."""
        return {
            level: {r.pk: r for r in getattr(self, level)}
            for level in ("goals", "initiatives", "deliverables")
        }

    @cached_property
    def names(self):
        """What the "why this number" tables call each part, by level and primary key (kept with the
        plan's data, so a part's kind is put in words when the page is rendered, in its language)."""
        return {
            "goals": {g.pk: f"{self.plan.goal_label} {g.number}" for g in self.goals},
            "initiatives": {
                i.pk: format_lazy(_("Initiative {number}"), number=i.number) for i in self.initiatives
            },
            "deliverables": {d.pk: f"{d.code} {d.title}" for d in self.deliverables},
            "states": {s.pk: s.name for s in self.expected_states},
        }


def load_plan_data(plan):
    """A plan's structure and approved updates in six queries whatever its size."""
    return PlanData(
        plan=plan,
        goals=tuple(plan.goals.select_related("plan").order_by("number")),
        initiatives=tuple(plan.initiatives.select_related("plan", "goal").order_by("number")),
        deliverables=tuple(
            Deliverable.objects.filter(initiative__plan=plan)
            .select_related("initiative__plan")
            .order_by("sort_key", "pk")
        ),
        expected_states=tuple(MemberState.objects.expected_for(plan)),
        updates=approved_updates(ProgressUpdate.objects.for_plan(plan)),
        published_rounds=tuple(plan.rounds.published().select_related("snapshot").order_by("closes_on")),
    )


def cached_plan_data(plan):
    """The plan's data, loaded once per data version in this process (the costly part of a page)."""
    return derived_from_data(("plan-data", plan.pk), lambda: load_plan_data(plan))


def plan_data_holding(data, level, keys):
    """``data`` (a plan's data as this process holds it), or the plan's data read afresh when it
    lacks any of ``keys``.

    A visitor's request may use a data version read up to a second ago (``tracker.core.cache``), while
    its own queries already find what was committed since: a record they found must never be
    missing from the figures."""
    held = data.by_pk[level]
    return data if all(key in held for key in keys) else load_plan_data(data.plan)


def compute(data, as_of_round=None, today=None):
    """Every figure of the plan, as of a reporting round or today."""
    on = as_of_round.closes_on if as_of_round is not None else (today or datetime.date.today())
    known = on if as_of_round is not None else None
    end = plan_end(data.plan)
    at_end = None
    if on > end:
        at_end = figures_on(data, end, latest_updates(data.updates, as_of=known, happened_by=end))
    latest = latest_updates(data.updates, as_of=known)
    progress = figures_on(data, on, latest, at_end)
    return replace(
        progress,
        as_of_round=as_of_round,
        latest=MappingProxyType(latest),
        expected_states=data.expected_state_ids,
    )


def deliverable_input(deliverable, initiative, plan, state_ids, latest):
    """What the computation needs of one deliverable record, with the reports ``latest`` counts
    (the figures here, and the dated points of ``goals.forecast``)."""
    start, end = planned_period(deliverable, initiative, plan)
    if deliverable.per_member_state:
        reports = {state: latest.get((deliverable.pk, state)) for state in state_ids}
    else:
        reports = {None: latest.get((deliverable.pk, None))}
    return DeliverableInput(
        key=deliverable.pk,
        start=start,
        end=end,
        weight=deliverable.weight,
        dropped_in_plan=bool(deliverable.dropped_in),
        per_member_state=deliverable.per_member_state,
        expected_states=state_ids,
        reports={state: report for state, report in reports.items() if report is not None},
    )


def figures_on(data, on, latest, at_end=None):
    """Every figure of the plan on a date, from the latest reports counted then."""
    plan = data.plan

    def by_end(level, key):
        return getattr(at_end, level)[key].percent if at_end is not None else None

    initiatives_by_pk = {initiative.pk: initiative for initiative in data.initiatives}
    state_ids = data.expected_state_ids
    deliverables, children_of = {}, {}
    for deliverable in data.deliverables:
        initiative = initiatives_by_pk[deliverable.initiative_id]
        item = deliverable_input(deliverable, initiative, plan, state_ids, latest)
        figure = deliverable_figure(item, on, by_end("deliverables", deliverable.pk))
        deliverables[deliverable.pk] = figure
        children_of.setdefault(initiative.pk, []).append(figure)

    initiatives, goal_children = {}, {}
    for initiative in data.initiatives:
        start, end = planned_period(initiative, None, plan)
        figure = combine(
            initiative.pk,
            children_of.get(initiative.pk, []),
            on=on,
            start=start,
            end=end,
            weight=initiative.weight,
            empty=gettext_noop("no deliverables recorded"),
            at_plan_end=by_end("initiatives", initiative.pk),
        )
        initiatives[initiative.pk] = figure
        goal_children.setdefault(initiative.goal_id, []).append(figure)
    period = {"on": on, "start": plan_start(plan), "end": plan_end(plan)}
    goals = {
        goal.pk: combine(
            goal.pk,
            goal_children.get(goal.pk, []),
            empty=gettext_noop("no initiatives recorded"),
            at_plan_end=by_end("goals", goal.pk),
            **period,
        )
        for goal in data.goals
    }
    figure = combine(
        plan.pk,
        list(goals.values()),
        empty=gettext_noop("no goals recorded"),
        at_plan_end=at_end.figure.percent if at_end is not None else None,
        **period,
    )
    return PlanProgress(plan, on, None, figure, Figures(goals), Figures(initiatives), Figures(deliverables))


def plan_progress(plan, as_of_round=None, today=None):
    return compute(load_plan_data(plan), as_of_round, today)
