"""What a reporting round is still missing, and what moved since the round before it."""

from dataclasses import dataclass

from django.db.models import Q

from goals.models import Body, Deliverable, ProgressUpdate, ReportingRound, Responsibility
from goals.progress import load_plan_data
from goals.snapshots import progress_as_of

# Roles that owe a report; supporting bodies are not chased.
REPORTING_ROLES = [Responsibility.Role.LEAD, Responsibility.Role.IMPLEMENTING]
DONE = {ProgressUpdate.Status.COMPLETED, ProgressUpdate.Status.DROPPED}


@dataclass(frozen=True)
class MissingReport:
    body: Body
    deliverable: Deliverable
    member_state: object = None

    def __str__(self):
        state = f" ({self.member_state})" if self.member_state else ""
        return f"{self.deliverable.code} {self.deliverable.title}{state}"


def missing_reports(reporting_round):
    """Each body (and, for deliverables tracked per member state, each state's office) that owes
    a report in this round and has none yet. A draft does not count; a submission does.
    Deliverables already completed or dropped, and dropped from the plan, owe nothing."""
    plan = reporting_round.plan
    deliverables = list(
        Deliverable.objects.filter(initiative__plan=plan, dropped_in="").select_related("initiative")
    )
    responsibilities = (
        Responsibility.objects.filter(role__in=REPORTING_ROLES)
        .filter(Q(deliverable__initiative__plan=plan) | Q(initiative__plan=plan))
        .select_related("body__member_state")
    )
    owners = {}
    for responsibility in responsibilities:
        for deliverable in deliverables:
            if (
                responsibility.deliverable_id == deliverable.pk
                or responsibility.initiative_id == deliverable.initiative_id
            ):
                owners.setdefault(deliverable.pk, set()).add(responsibility.body)

    updates = ProgressUpdate.objects.filter(deliverable__initiative__plan=plan)
    reported = set(
        updates.filter(round=reporting_round)
        .exclude(review_state=ProgressUpdate.ReviewState.DRAFT)
        .values_list("deliverable_id", "member_state_id")
    )
    finished = set(updates.public().filter(status__in=DONE).values_list("deliverable_id", "member_state_id"))
    missing = []
    for deliverable in deliverables:
        for body in sorted(owners.get(deliverable.pk, ()), key=lambda b: b.name):
            state = body.member_state if deliverable.per_member_state else None
            if deliverable.per_member_state and state is None:
                continue  # a regional body coordinates; each state's office reports its own row
            key = (deliverable.pk, state.pk if state else None)
            if key not in reported and key not in finished:
                missing.append(MissingReport(body, deliverable, state))
    return sorted(missing, key=lambda m: (m.body.name, m.deliverable.code))


@dataclass(frozen=True)
class Change:
    deliverable: Deliverable
    before: object  # Figure or None
    after: object


def previous_published(reporting_round):
    return (
        ReportingRound.objects.published()
        .filter(plan=reporting_round.plan, closes_on__lt=reporting_round.closes_on)
        .order_by("-closes_on")
        .first()
    )


def changes_since_previous(reporting_round):
    """Deliverables whose percent or status differ from the previous published round."""
    data = load_plan_data(reporting_round.plan)
    previous = previous_published(reporting_round)
    now = progress_as_of(data, reporting_round)
    then = progress_as_of(data, previous) if previous else None
    changes = []
    for deliverable in data.deliverables:
        after = now.deliverables.get(deliverable.pk)
        before = then.deliverables.get(deliverable.pk) if then else None
        if before is None or (before.percent, before.status) != (after.percent, after.status):
            if before is None and after.status == "no_data":
                continue
            changes.append(Change(deliverable, before, after))
    return previous, changes
