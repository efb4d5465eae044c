"""Data-quality flags the secretariat sees in the admin, computed from approved progress."""

import datetime

from django.conf import settings

from goals.models import MemberState, ProgressUpdate, ReportingRound

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


FINISHED = (ProgressUpdate.Status.COMPLETED, ProgressUpdate.Status.DROPPED)


def _is_inconsistent(update):
    """In progress at 0 % or 100 %, or not started / completed at the wrong percent."""
    status, percent = update.status, update.percent_complete
    if status == ProgressUpdate.Status.IN_PROGRESS:
        return percent in (0, 100)
    return ProgressUpdate.IMPLIED_PERCENT.get(status, percent) != percent


def flags_for(deliverables, today=None):
    """{deliverable pk: [flag, …]} for the given deliverables, in a few queries whatever their number.

    For a deliverable tracked per member state each state's latest update counts on its own:
    it is done only when every member state is done."""
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
    expected_states = MemberState.objects.count()
    flags = {}
    for deliverable in deliverables:
        updates = by_deliverable.get(deliverable.pk, [])
        latest_by_state = {u.member_state_id: u for u in updates}  # oldest first: the last one wins
        latest = updates[-1] if updates else None
        finished = [u for u in latest_by_state.values() if u.status in FINISHED]
        if deliverable.per_member_state:
            done = len(finished) >= expected_states
        else:
            done = latest is not None and latest.status in FINISHED
        found = []
        recent = {r.pk for r in recent_rounds.get(deliverable.initiative.plan_id, [])}
        enough_rounds = len(recent) >= settings.STALE_AFTER_ROUNDS
        if not done and enough_rounds and not any(u.round_id in recent for u in updates):
            found.append(STALE)
        if any(u.status == ProgressUpdate.Status.COMPLETED and not (u.evidence_url or u.evidence_file)
               for u in latest_by_state.values()):  # fmt: skip
            found.append(NO_EVIDENCE)
        if any(_is_inconsistent(u) for u in latest_by_state.values()):
            found.append(INCONSISTENT)
        end = deliverable.planned_end or deliverable.initiative.planned_end
        if end is None:
            end = datetime.date(deliverable.initiative.plan.end_year, 12, 31)
        if end < today and not done and not deliverable.dropped_in:
            found.append(OVERDUE)
        if found:
            flags[deliverable.pk] = found
    return flags


def deliverables_with_flag(queryset, flag):
    """The deliverables in ``queryset`` raising ``flag``."""
    candidates = queryset.select_related("initiative__plan")
    flagged = [pk for pk, found in flags_for(candidates).items() if flag in found]
    return queryset.filter(pk__in=flagged)
