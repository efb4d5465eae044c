"""Indicators' series: the one place their values, baselines and targets are read and computed,
for the pages, the CSV files and the API alike.

- A typed indicator's values are its approved ``IndicatorValue`` rows. "As of" a published round
  only values known by then count: those reported in that round or an earlier one (a value
  recorded outside any round counts from the date it refers to), as for progress
  (``goals.progress.known_by``). For an indicator with values per member state, the line the
  chart draws is the states' total for a number, the number of states answering yes for a
  yes-or-no indicator and the states' mean for a percent, per date; each state's own values are
  in the breakdown.
- A computed indicator is never typed in. ``states_completed`` counts, at the end of each year of
  the plan, the member states expected to act whose latest approved update on a deliverable
  tracked per member state (a treaty accession) says completed, dated by then: the update's date
  is the day the state became party. Its baseline is the count on the plan's first day, its
  target every member state expected to act by the plan's end
  (``MemberState.objects.expected_for``), and the source of each value is the evidence of the
  accession records it counts. It reads the plan's figures (``goals.progress``: the latest
  approved update per deliverable and member state, frozen at a published round), so it costs
  no query of its own.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext, ngettext

from goals.models import Indicator, IndicatorTarget, IndicatorValue
from goals.progress import Status, plan_end, plan_start
from tracker.core.cache import derived_from_data

Computed = Indicator.Computed
Kind = Indicator.Kind


@dataclass(frozen=True)
class Source:
    """Where a value comes from: a link, and what it is (a member state's accession record)."""

    url: str
    label: str = ""
    provisional: bool = False  # the record's date is not confirmed by a second source


@dataclass(frozen=True)
class Point:
    """One value of an indicator: the region's, or a member state's (``state``)."""

    date: datetime.date
    value: Decimal
    label: str  # "2019", or a round's name
    sources: tuple = ()  # Source records
    state: object = None  # MemberState record, for a state's own value
    round: object = None  # ReportingRound record
    note: str = ""
    is_sample: bool = False


@dataclass(frozen=True)
class Mark:
    """A baseline or a target."""

    value: Decimal
    date: datetime.date | None
    source: str = ""
    note: str = ""


@dataclass(frozen=True)
class StateRow:
    """A member state's line of the breakdown: its latest value, and every value it had."""

    state: object
    latest: Point | None
    points: tuple = ()


@dataclass(frozen=True)
class Series:
    indicator: Indicator
    points: tuple  # the region's values, oldest first
    baseline: Mark | None
    targets: tuple  # Mark records, soonest first
    states: tuple = ()  # StateRow records, for an indicator per member state (or a computed one)
    as_of: object = None  # the published round it is as of, or None for today

    @property
    def latest(self):
        return self.points[-1] if self.points else None

    @property
    def target(self):
        """The last target: what the plan aims at by its end."""
        return self.targets[-1] if self.targets else None

    @property
    def sources(self):
        """Every distinct source of its values, in order."""
        return tuple(dict.fromkeys(source for point in self.points for source in point.sources))


@dataclass(frozen=True)
class IndicatorData:
    """Indicators with their targets and approved values (``load_indicator_data``)."""

    indicators: tuple
    targets: dict  # indicator pk -> tuple of IndicatorTarget
    values: dict  # indicator pk -> tuple of approved IndicatorValue, oldest first

    def of_plan(self, plan):
        return tuple(i for i in self.indicators if i.plan_id == plan.pk)

    def named(self, plan, slug):
        return next((i for i in self.of_plan(plan) if i.slug == slug), None)


def load_indicator_data(plan=None):
    """A plan's indicators (or every plan's) with their targets and approved values: one query
    when there are none, three otherwise, whatever their number."""
    indicators = Indicator.objects.with_context().order_by("plan__start_year", "name", "pk")
    if plan is not None:
        indicators = indicators.filter(plan=plan)
    approved = IndicatorValue.objects.public().select_related("round", "member_state")
    indicators = tuple(
        indicators.prefetch_related(
            Prefetch(
                "targets", queryset=IndicatorTarget.objects.order_by("date", "pk"), to_attr="target_list"
            ),
            Prefetch("values", queryset=approved.order_by("measured_on", "pk"), to_attr="approved_values"),
        )
    )
    return IndicatorData(
        indicators,
        {i.pk: tuple(i.target_list) for i in indicators},
        {i.pk: tuple(i.approved_values) for i in indicators},
    )


def indicator_data(plan=None):
    """``load_indicator_data``, kept per data version (``derived_from_data``)."""
    return derived_from_data(("indicator-data", plan and plan.pk), lambda: load_indicator_data(plan))


def _known(value, as_of):
    if as_of is None:
        return True
    closes = value.round.closes_on if value.round_id else None
    return (closes if closes is not None else value.measured_on) <= as_of.closes_on


def series(indicator, data, plan_data, progress):
    """The indicator's series on the figures ``progress`` of its plan (now, or as of a round)."""
    if indicator.computed == Computed.STATES_COMPLETED:
        return states_completed(indicator, plan_data, progress)
    return typed(indicator, data, progress.as_of_round)


def _quantize(value):
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()


def typed(indicator, data, as_of=None):
    values = [v for v in data.values.get(indicator.pk, ()) if _known(v, as_of)]
    targets = tuple(Mark(t.value, t.date, t.source_url, t.note) for t in data.targets.get(indicator.pk, ()))
    baseline = None
    if indicator.baseline_value is not None:
        baseline = Mark(indicator.baseline_value, indicator.baseline_date, indicator.baseline_source_url)

    def point(value, state=None):
        label = value.round.name if value.round_id else value.measured_on.isoformat()
        return Point(
            value.measured_on,
            value.value,
            label,
            (Source(value.source_url),),
            state,
            value.round,
            value.note,
            value.is_sample,
        )

    if not indicator.per_member_state:
        return Series(indicator, tuple(point(v) for v in values), baseline, targets, (), as_of)
    by_state, by_date = {}, {}
    for value in values:
        by_state.setdefault(value.member_state, []).append(point(value, value.member_state))
        by_date.setdefault((value.measured_on, value.round_id), []).append(value)
    states = tuple(
        StateRow(state, rows[-1], tuple(rows))
        for state, rows in sorted(by_state.items(), key=lambda i: i[0].name)
    )
    points = []
    for (date, _), group in sorted(by_date.items(), key=lambda item: (item[0][0], item[0][1] or 0)):
        numbers = [v.value for v in group]
        # A percent: the states' mean; a number: their total; yes or no: how many said yes (1).
        total = _quantize(sum(numbers) / len(numbers)) if indicator.kind == Kind.PERCENT else sum(numbers)
        first = group[0]
        points.append(
            Point(
                date,
                total,
                first.round.name if first.round_id else date.isoformat(),
                tuple(dict.fromkeys(Source(v.source_url, v.member_state.name) for v in group)),
                round=first.round,
                note=f"{len(group)} member state{'s' if len(group) != 1 else ''} reporting",
                is_sample=any(v.is_sample for v in group),
            )
        )
    return Series(indicator, tuple(points), baseline, targets, states, as_of)


def completion_dates(deliverable_id, plan_data, progress):
    """Each member state expected to act, with the approved update saying it completed the
    deliverable (the accession record), or None: ``[(state, update or None)]``."""
    rows = []
    for state in plan_data.expected_states:
        update = progress.latest.get((deliverable_id, state.pk))
        rows.append((state, update if update is not None and update.status == Status.COMPLETED else None))
    return rows


def states_completed(indicator, plan_data, progress):
    """Member states that have completed the counted deliverable, at the end of each year."""
    plan = plan_data.plan
    rows = completion_dates(indicator.counts_deliverable_id, plan_data, progress)
    done = [(state, update) for state, update in rows if update is not None]
    start = plan_start(plan)
    on = progress.on
    last_year = min(plan.end_year, on.year)
    points = []
    for year in range(plan.start_year, last_year + 1):
        end = min(datetime.date(year, 12, 31), on) if year == on.year else datetime.date(year, 12, 31)
        counted = [(s, u) for s, u in done if u.reported_on <= end]
        new = [(s, u) for s, u in counted if u.reported_on.year == year]
        points.append(
            Point(
                end,
                Decimal(len(counted)),
                str(year),
                tuple(Source(u.evidence_url, s.name, u.provisional) for s, u in new if u.evidence_url),
                note=", ".join(s.name for s, _ in new),
            )
        )
    at_start = [(s, u) for s, u in done if u.reported_on <= start]
    counted = plan_data.by_pk["deliverables"].get(indicator.counts_deliverable_id)
    baseline = Mark(
        Decimal(len(at_start)),
        start,
        counted.get_absolute_url() if counted is not None else "",
        note=", ".join(s.name for s, _ in at_start),
    )
    target = Mark(
        Decimal(len(rows)),
        plan_end(plan),
        note=gettext("every member state expected to act by the end of the plan"),
    )
    states = tuple(
        StateRow(
            state,
            Point(
                update.reported_on,
                Decimal(1),
                update.reported_on.isoformat(),
                (Source(update.evidence_url, state.name, update.provisional),) if update.evidence_url else (),
                state,
            )
            if update is not None
            else None,
        )
        for state, update in rows
    )
    return Series(indicator, tuple(points), baseline, (target,), states, progress.as_of_round)


def plan_series(plan, data, plan_data, progress, *, attached_to=None):
    """The series of a plan's indicators; ``attached_to``: only those on that goal (or
    initiative or deliverable) and the parts below it."""
    indicators = data.of_plan(plan)
    if attached_to is not None:
        indicators = [i for i in indicators if is_under(i, attached_to, plan_data)]
    return [series(indicator, data, plan_data, progress) for indicator in indicators]


def is_under(indicator, record, plan_data):
    """Whether the indicator measures ``record`` (a goal, an initiative or a deliverable) or a
    part below it, by the plan's data as held."""
    held = plan_data.by_pk
    deliverable = held["deliverables"].get(indicator.deliverable_id)
    initiative = held["initiatives"].get(
        indicator.initiative_id or (deliverable and deliverable.initiative_id)
    )
    goal_id = indicator.goal_id or (initiative and initiative.goal_id)
    kind = record._meta.model_name
    if kind == "strategicgoal":
        return goal_id == record.pk
    if kind == "initiative":
        return initiative is not None and initiative.pk == record.pk
    return indicator.deliverable_id == record.pk


def value_text(indicator, value, regional=True):
    """A value as pages write it: "7 member states", "45 %", "Yes". ``regional``: a point of the
    region's line (for a yes-or-no indicator per member state, how many said yes)."""
    if value is None:
        return "–"
    if indicator.kind == Kind.YES_NO:
        if indicator.per_member_state and regional:
            count = int(value)
            return ngettext(
                "%(count)s member state saying yes", "%(count)s member states saying yes", count
            ) % {"count": count}
        return gettext("Yes") if value else gettext("No")
    number = f"{_quantize(value):f}"
    if indicator.kind == Kind.PERCENT:
        return f"{number}\u00a0%"
    return f"{number} {indicator.unit}".strip()


@dataclass(frozen=True)
class StateIndicator:
    """An indicator as a member state's page shows it: that state's own latest value."""

    indicator: Indicator
    value: str  # in words
    date: datetime.date | None = None
    source: str = ""


def state_values(state, data, row):
    """The indicators with values per member state (and the computed ones), with ``state``'s
    latest approved value; ``row`` is its row of the matrix (``(deliverable, latest approved
    update or None, expected)`` per state-by-state deliverable), which the computed ones read."""
    by_deliverable = {deliverable.pk: (update, expected) for deliverable, update, expected in row}
    found = []
    for indicator in data.indicators:
        if indicator.computed == Computed.STATES_COMPLETED:
            update, expected = by_deliverable.get(indicator.counts_deliverable_id, (None, False))
            if not expected:
                found.append(
                    StateIndicator(indicator, gettext("Not expected to act: joined ASEAN after this plan"))
                )
            elif update is not None and update.status == Status.COMPLETED:
                found.append(
                    StateIndicator(indicator, gettext("Counted"), update.reported_on, update.evidence_url)
                )
            else:
                found.append(StateIndicator(indicator, gettext("Not counted yet")))
        elif indicator.per_member_state:
            own = [v for v in data.values.get(indicator.pk, ()) if v.member_state_id == state.pk]
            if own:
                latest = own[-1]
                found.append(
                    StateIndicator(
                        indicator,
                        value_text(indicator, latest.value, regional=False),
                        latest.measured_on,
                        latest.source_url,
                    )
                )
    return found
