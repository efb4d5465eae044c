"""Comparing two published reporting rounds of a plan: for the plan, every goal, initiative and
deliverable, the figure at each round, the change, and the updates approved in between.

The figures are the rounds' figures as published (``goals.snapshots.progress_as_of``), the same
ones their as-of pages and meeting packs show; nothing is computed here but the difference.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from goals.models import ProgressUpdate
from goals.progress import known_by_condition
from goals.selectors import timeline
from goals.snapshots import progress_as_of
from tracker.core.badquery import BadQuery

FROM, TO = "from", "to"  # the query parameters naming the two rounds


@dataclass(frozen=True)
class ComparedRow:
    """One part of the plan at both rounds."""

    level: str  # plan, goal, initiative or deliverable
    record: object
    label: str
    before: object  # its goals.progress.Figure at the earlier round
    after: object  # and at the later one
    updates: tuple = ()  # approved updates on it in between (deliverables), newest first

    @property
    def change(self):
        """Points gained (or lost) between the rounds; None when either figure has no percent
        (dropped, or not yet part of the plan)."""
        if self.before.percent is None or self.after.percent is None:
            return None
        return self.after.percent - self.before.percent

    @property
    def status_changed(self):
        return self.before.status != self.after.status

    @property
    def moved(self):
        return bool(self.change) or self.status_changed or bool(self.updates)


@dataclass(frozen=True)
class Comparison:
    plan: object
    earlier: object  # ReportingRound
    later: object
    before: object  # PlanProgress at the earlier round
    after: object
    rows: tuple  # ComparedRow, the plan first, then each goal followed by its initiatives and deliverables
    updates: tuple  # every approved update in between, newest first

    @property
    def moved(self):
        return [row for row in self.rows if row.level == "deliverable" and row.moved]


def published_round(data, value, name):
    """The published round of the plan a query parameter names, or a clear refusal."""
    rounds = data.published_rounds
    found = next((r for r in rounds if str(r.pk) == value.strip()), None)
    if found is None:
        names = "; ".join(f"{r.pk} ({r.name})" for r in rounds) or _("none yet")
        raise BadQuery(
            _(
                "%(asked)s is not a published reporting round of the %(plan)s. "
                "Its published rounds: %(names)s."
            )
            % {"asked": f"{name}={value!r}", "plan": data.plan.title, "names": names}
        )
    return found


def rounds_to_compare(data, query):
    """The (earlier, later) rounds a query asks for: ``from`` and ``to``, each the number of a
    published round of the plan; ``to`` defaults to the latest published round and ``from`` to
    the one before ``to``. None when the plan has fewer than two published rounds and none was
    named. Anything else that cannot be compared is refused with the reason."""
    rounds = data.published_rounds
    asked_from, asked_to = query.get(FROM, "").strip(), query.get(TO, "").strip()
    if not asked_from and not asked_to and len(rounds) < 2:
        return None
    later = published_round(data, asked_to, TO) if asked_to else rounds[-1] if rounds else None
    if later is None:
        raise BadQuery(_("The %(plan)s has no published reporting round yet.") % {"plan": data.plan.title})
    if asked_from:
        earlier = published_round(data, asked_from, FROM)
    else:
        before = [r for r in rounds if r.closes_on < later.closes_on]
        if not before:
            raise BadQuery(
                _("No published round comes before %(later)s: choose a later %(to)s= round.")
                % {"later": later.name, "to": TO}
            )
        earlier = before[-1]
    if earlier.pk == later.pk:
        raise BadQuery(
            _("Choose two different rounds: %(from)s= and %(to)s= both name %(round)s.")
            % {"from": FROM, "to": TO, "round": later.name}
        )
    if earlier.closes_on > later.closes_on:
        raise BadQuery(
            _(
                "%(from)s= must be the earlier round: %(earlier)s closed after %(later)s. "
                "Swap the two to compare them."
            )
            % {"from": FROM, "earlier": earlier.name, "later": later.name}
        )
    return earlier, later


def updates_between(plan, earlier, later):
    """The approved updates the later round counts and the earlier did not, newest first, as they
    read when the later round was published (``goals.selectors.timeline``). One query."""
    updates = timeline(ProgressUpdate.objects.for_plan(plan), later).exclude(
        known_by_condition(earlier.closes_on)
    )
    return tuple(updates)


def compare(data, earlier, later):
    """Every part of the plan at both rounds (``data``: the plan's data, see goals.progress)."""
    before, after = progress_as_of(data, earlier), progress_as_of(data, later)
    updates = updates_between(data.plan, earlier, later)
    on_deliverable = {}
    for update in updates:
        on_deliverable.setdefault(update.deliverable_id, []).append(update)
    plan = data.plan
    rows = [ComparedRow("plan", plan, plan.title, before.figure, after.figure)]
    for goal in data.goals:
        label = f"{plan.goal_label} {goal.number}: {goal.title}"
        rows.append(ComparedRow("goal", goal, label, before.goals[goal.pk], after.goals[goal.pk]))
        for initiative in (i for i in data.initiatives if i.goal_id == goal.pk):
            label = f"Initiative {initiative.number}: {initiative.title}"
            pk = initiative.pk
            rows.append(
                ComparedRow("initiative", initiative, label, before.initiatives[pk], after.initiatives[pk])
            )
            for deliverable in (d for d in data.deliverables if d.initiative_id == pk):
                pk_d = deliverable.pk
                rows.append(
                    ComparedRow(
                        "deliverable",
                        deliverable,
                        f"{deliverable.code} {deliverable.title}",
                        before.deliverables[pk_d],
                        after.deliverables[pk_d],
                        tuple(on_deliverable.get(pk_d, ())),
                    )
                )
    return Comparison(plan, earlier, later, before, after, tuple(rows), updates)
