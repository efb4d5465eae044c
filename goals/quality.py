"""Data quality: the flags the secretariat sees in the admin, and the public data-quality score.

The flags read the plan's computed figures (``goals.progress``) rather than deciding again when a
deliverable is done or overdue, so the flags and the public figures always agree.

The public score (``quality_as_of``; method on /methodology/) says how far to trust a figure: per
deliverable, per member state and for the whole plan, now or as of a published round, from four
parts, each a share from 0 to 100 and always shown beside the score:

- timeliness: of the reports owed in the published rounds so far, the share approved in the
  round they were owed in (a row owes a report in a round unless it was completed or dropped
  before the round opened);
- completeness: of the rows expected to report (a deliverable, or each member state expected to
  act on a state-by-state one), the share with approved progress;
- evidence coverage: of the approved updates counted, the share with evidence (a link or a file);
- freshness (staleness turned round): for each row still owing progress, 100 when its latest
  approved update came in the latest published round, falling evenly to 0 after
  ``STALE_AFTER_ROUNDS`` published rounds without one (the admin's "stale" flag).

The score is the plain mean of the parts that can be measured; a part with nothing to measure
(no update yet, so no evidence to count) is shown as such and left out, never counted as 100.
A row with no report at all scores 0 on completeness, timeliness and freshness.
"""

import datetime
from dataclasses import astuple, dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goals.models import ProgressUpdate
from goals.progress import Schedule, cached_plan_data, compute, is_done, known_by, round_percent
from goals.snapshots import progress_as_of, updates_as_of

STALE = "stale"
NO_EVIDENCE = "completed_without_evidence"
INCONSISTENT = "percent_inconsistent_with_status"
OVERDUE = "past_planned_end_not_completed"

# Lazy: translated where they are shown (the flags themselves are kept per data version).
LABELS = {
    STALE: gettext_lazy("Stale: no approved update in the last published rounds"),
    NO_EVIDENCE: gettext_lazy("Completed without evidence"),
    INCONSISTENT: gettext_lazy("Percent inconsistent with status"),
    OVERDUE: gettext_lazy("Past planned end and not completed"),
}


def _is_inconsistent(update):
    """In progress at 0 % or 100 %, or not started / completed at the wrong percent."""
    status, percent = update.status, update.percent_complete
    if status == ProgressUpdate.Status.IN_PROGRESS:
        return percent in (0, 100)
    return ProgressUpdate.IMPLIED_PERCENT.get(status, percent) != percent


def flags_for(deliverables, today=None):
    """{deliverable pk: [flag, …]} for the given deliverables, from their plans' figures (a
    few queries per plan whatever the number of deliverables; none while the data is kept)."""
    deliverables = list(deliverables)
    flags = {}
    for plan_id, plan in {d.initiative.plan_id: d.initiative.plan for d in deliverables}.items():
        data = cached_plan_data(plan)
        progress = compute(data, today=today) if today else progress_as_of(data)
        recent = {r.pk for r in data.published_rounds[-settings.STALE_AFTER_ROUNDS :]}
        enough_rounds = settings.STALE_AFTER_ROUNDS and len(recent) >= settings.STALE_AFTER_ROUNDS
        updates_in_recent = {u.deliverable_id for u in data.updates if u.round_id in recent}
        latest_by_deliverable = {}
        for (deliverable_id, _state), update in progress.latest.items():
            latest_by_deliverable.setdefault(deliverable_id, []).append(update)
        for deliverable in (d for d in deliverables if d.initiative.plan_id == plan_id):
            figure = progress.deliverables[deliverable.pk]
            latest = latest_by_deliverable.get(deliverable.pk, [])
            found = []
            if enough_rounds and not is_done(figure.status) and deliverable.pk not in updates_in_recent:
                found.append(STALE)
            if any(u.status == ProgressUpdate.Status.COMPLETED and not u.has_evidence for u in latest):
                found.append(NO_EVIDENCE)
            if any(_is_inconsistent(u) for u in latest):
                found.append(INCONSISTENT)
            if figure.schedule == Schedule.OVERDUE:
                found.append(OVERDUE)
            if found:
                flags[deliverable.pk] = found
    return flags


def deliverables_with_flag(queryset, flag):
    """The deliverables in ``queryset`` raising ``flag``."""
    candidates = queryset.select_related("initiative__plan")
    flagged = [pk for pk, found in flags_for(candidates).items() if flag in found]
    return queryset.filter(pk__in=flagged)


# The public data-quality score -------------------------------------------------------------------

GOOD_FROM = 75  # a score of at least this reads "Good"
FAIR_FROM = 50  # at least this "Fair"; below it "Weak"
GRADES = {
    "good": gettext_lazy("Good"),
    "fair": gettext_lazy("Fair"),
    "weak": gettext_lazy("Weak"),
    "not_rated": gettext_lazy("Not rated"),
}


class Part(NamedTuple):
    name: str
    label: str
    value: Decimal | None  # 0 to 100, None when there is nothing to measure
    counted: str  # the counts behind it, in words


def share(part, whole):
    return None if not whole else round_percent(Decimal(part) * 100 / whole)


@dataclass(frozen=True)
class Tally:
    """What a score is computed from; tallies of rows add up to the tally of a deliverable, a
    member state or the plan."""

    owed: int = 0  # reports owed in the published rounds so far
    on_time: int = 0  # of which were approved in the round they were owed in
    rows: int = 0  # rows expected to report
    reported: int = 0  # of which have approved progress
    updates: int = 0  # approved updates counted
    with_evidence: int = 0  # of which have evidence
    open_rows: int = 0  # rows still owing progress, once a round has been published
    freshness: Decimal = field(default=Decimal(0))  # the sum of their freshness

    def __add__(self, other):
        return Tally(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))

    @property
    def parts(self):
        fresh = None if not self.open_rows else round_percent(self.freshness / self.open_rows)
        # Words in the language of the page asking (a tally may be kept, its parts are not).
        return (
            Part("timeliness", _("Timeliness"), share(self.on_time, self.owed),
                 _("%(done)s of %(total)s reports owed came in their round")
                 % {"done": self.on_time, "total": self.owed}),
            Part("completeness", _("Completeness"), share(self.reported, self.rows),
                 _("%(done)s of %(total)s expected to report have approved progress")
                 % {"done": self.reported, "total": self.rows}),
            Part("evidence", _("Evidence coverage"), share(self.with_evidence, self.updates),
                 _("%(done)s of %(total)s approved updates have evidence")
                 % {"done": self.with_evidence, "total": self.updates}),
            Part("freshness", _("Freshness"), fresh,
                 _("over %(count)s still owing progress") % {"count": self.open_rows} if self.open_rows
                 else _("nothing still owed")),
        )  # fmt: skip

    def part(self, name):
        return next(part.value for part in self.parts if part.name == name)

    @property
    def score(self):
        values = [part.value for part in self.parts if part.value is not None]
        return round_percent(sum(values) / len(values)) if values else None

    @property
    def grade(self):
        score = self.score
        if score is None:
            return "not_rated"
        return "good" if score >= GOOD_FROM else "fair" if score >= FAIR_FROM else "weak"

    @property
    def grade_label(self):
        return GRADES[self.grade]


NOT_RATED = Tally()


@dataclass(frozen=True)
class Quality:
    """A plan's data-quality scores on a date: the plan's, each deliverable's (not dropped) and
    each member state's (on the state-by-state deliverables)."""

    on: datetime.date
    as_of_round: object
    rounds: int  # published rounds counted
    plan: Tally
    deliverables: dict
    states: dict

    def deliverable(self, pk):
        return self.deliverables.get(pk, NOT_RATED)

    def state(self, pk):
        return self.states.get(pk, NOT_RATED)


def freshness(missed):
    """100 with an update in the latest round, falling evenly to 0 after STALE_AFTER_ROUNDS
    published rounds without one."""
    limit = settings.STALE_AFTER_ROUNDS
    return Decimal(100) * max(0, limit - missed) / limit


def known_on(update):
    return update.round_closes_on if update.round_closes_on is not None else update.reported_on


def row_tally(updates, rounds):
    """The tally of one row (a deliverable, or a member state on a state-by-state one) from its
    approved updates (oldest first) and the published rounds counted (oldest first)."""
    owed = on_time = 0
    for published in rounds:
        before = [u for u in updates if known_by(u, published.opens_on) and u.round_id != published.pk]
        if before and is_done(before[-1].status):
            continue  # nothing more was owed
        owed += 1
        on_time += any(u.round_id == published.pk for u in updates)
    done = bool(updates) and is_done(updates[-1].status)
    open_rows, fresh = 0, Decimal(0)
    if rounds and not done and settings.STALE_AFTER_ROUNDS:
        last = max((known_on(u) for u in updates), default=None)
        missed = sum(1 for r in rounds if last is None or r.closes_on > last)
        open_rows, fresh = 1, freshness(missed)
    return Tally(
        owed=owed,
        on_time=on_time,
        rows=1,
        reported=int(bool(updates)),
        updates=len(updates),
        with_evidence=sum(u.has_evidence for u in updates),
        open_rows=open_rows,
        freshness=fresh,
    )


def compute_quality(data, reporting_round=None, today=None):
    """A plan's data-quality scores now, or as of a published round (from the updates it froze)."""
    on = reporting_round.closes_on if reporting_round is not None else (today or datetime.date.today())
    rounds = [r for r in data.published_rounds if r.closes_on <= on]
    by_row = {}
    for update in updates_as_of(data, reporting_round):
        by_row.setdefault((update.deliverable_id, update.member_state_id), []).append(update)
    deliverables, states = {}, {}
    for deliverable in data.deliverables:
        if deliverable.dropped_in:
            continue
        keys = data.expected_state_ids if deliverable.per_member_state else (None,)
        tally = NOT_RATED
        for state in keys:
            row = row_tally(by_row.get((deliverable.pk, state), []), rounds)
            tally += row
            if state is not None:
                states[state] = states.get(state, NOT_RATED) + row
        deliverables[deliverable.pk] = tally
    plan = sum(deliverables.values(), NOT_RATED)
    return Quality(on, reporting_round, len(rounds), plan, deliverables, states)


def quality_as_of(data, reporting_round=None):
    """``compute_quality``, kept with the plan's data as its figures are
    (``goals.snapshots.progress_as_of``): computed once for as long as that data is kept."""
    key = ("quality", None if reporting_round is None else reporting_round.pk)
    if key not in data._progress:
        data._progress[key] = compute_quality(data, reporting_round)
    return data._progress[key]
