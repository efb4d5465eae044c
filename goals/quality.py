"""Data-quality flags the secretariat sees in the admin, computed from approved progress."""

import datetime

from django.conf import settings

from goals.models import ProgressUpdate, ReportingRound

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
    """{deliverable pk: [flag, …]} for the given deliverables, in four queries."""
    today = today or datetime.date.today()
    deliverables = list(deliverables)
    by_deliverable = {}
    approved = (
        ProgressUpdate.objects.public().filter(deliverable__in=deliverables).order_by("reported_on", "pk")
    )
    for update in approved.select_related("round"):
        by_deliverable.setdefault(update.deliverable_id, []).append(update)
    recent_rounds = {}
    plan_ids = {d.initiative.plan_id for d in deliverables}
    for plan_id in plan_ids:
        rounds = ReportingRound.objects.published().filter(plan_id=plan_id).order_by("-closes_on")
        recent_rounds[plan_id] = list(rounds[: settings.STALE_AFTER_ROUNDS])
    flags = {}
    for deliverable in deliverables:
        updates = by_deliverable.get(deliverable.pk, [])
        latest = updates[-1] if updates else None
        done = latest is not None and latest.status in (
            ProgressUpdate.Status.COMPLETED,
            ProgressUpdate.Status.DROPPED,
        )
        found = []
        recent = {r.pk for r in recent_rounds.get(deliverable.initiative.plan_id, [])}
        enough_rounds = len(recent) >= settings.STALE_AFTER_ROUNDS
        if not done and enough_rounds and not any(u.round_id in recent for u in updates):
            found.append(STALE)
        if (
            latest
            and latest.status == ProgressUpdate.Status.COMPLETED
            and not (latest.evidence_url or latest.evidence_file)
        ):
            found.append(NO_EVIDENCE)
        if latest and _is_inconsistent(latest):
            found.append(INCONSISTENT)
        end = deliverable.planned_end or deliverable.initiative.planned_end
        if end is None:
            end = datetime.date(deliverable.initiative.plan.end_year, 12, 31)
        if (
            end < today
            and not (latest and latest.status == ProgressUpdate.Status.COMPLETED)
            and not deliverable.dropped_in
        ):
            found.append(OVERDUE)
        if found:
            flags[deliverable.pk] = found
    return flags


def deliverables_with_flag(queryset, flag):
    """The deliverables in ``queryset`` raising ``flag``."""
    candidates = queryset.select_related("initiative__plan")
    flagged = [pk for pk, found in flags_for(candidates).items() if flag in found]
    return queryset.filter(pk__in=flagged)
