"""Data-quality flags the secretariat sees in the admin.

They read the plan's computed figures (``goals.progress``) rather than deciding again when a
deliverable is done or overdue, so the flags and the public figures always agree.
"""

from django.conf import settings

from goals.models import ProgressUpdate
from goals.progress import Schedule, cached_plan_data, compute, is_done
from goals.snapshots import progress_as_of

STALE = "stale"
NO_EVIDENCE = "completed_without_evidence"
INCONSISTENT = "percent_inconsistent_with_status"
OVERDUE = "past_planned_end_not_completed"

LABELS = {
    STALE: "Stale: no approved update in the last published rounds",
    NO_EVIDENCE: "Completed without evidence",
    INCONSISTENT: "Percent inconsistent with status",
    OVERDUE: "Past planned end and not completed",
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
