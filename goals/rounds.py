"""What a reporting round is still missing, and what moved since the round before it."""

from dataclasses import dataclass

from django.db.models import Q

from goals.models import Body, Deliverable, ProgressUpdate, Responsibility
from goals.progress import cached_plan_data, is_done
from goals.snapshots import progress_as_of

# Roles that owe a report; supporting bodies are not chased.
REPORTING_ROLES = [Responsibility.Role.LEAD, Responsibility.Role.IMPLEMENTING]


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

    Nothing is owed on what is done by the figures' own rule (``goals.progress.is_done``): a
    deliverable completed or dropped, or, state by state, a member state whose latest approved
    update completed or dropped it; nor by a member state not expected to act in this plan.
    """
    plan = reporting_round.plan
    data = cached_plan_data(plan)
    progress = progress_as_of(data)
    deliverables = [d for d in data.deliverables if not d.dropped_in]
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

    reported = set(
        ProgressUpdate.objects.filter(round=reporting_round)
        .exclude(review_state=ProgressUpdate.ReviewState.DRAFT)
        .values_list("deliverable_id", "member_state_id")
    )
    missing = []
    for deliverable in deliverables:
        if is_done(progress.deliverables[deliverable.pk].status):
            continue
        for body in sorted(owners.get(deliverable.pk, ()), key=lambda b: b.name):
            state = body.member_state if deliverable.per_member_state else None
            if deliverable.per_member_state:
                if state is None or state.pk not in data.expected_state_ids:
                    continue  # a regional body coordinates; each expected state's office reports its own row
                latest = progress.latest.get((deliverable.pk, state.pk))
                if latest is not None and is_done(latest.status):
                    continue
            if (deliverable.pk, state.pk if state else None) not in reported:
                missing.append(MissingReport(body, deliverable, state))
    return sorted(missing, key=lambda m: (m.body.name, m.deliverable.code))


@dataclass(frozen=True)
class Change:
    deliverable: Deliverable
    before: object  # Figure or None
    after: object


def previous_published(data, reporting_round):
    earlier = [r for r in data.published_rounds if r.closes_on < reporting_round.closes_on]
    return earlier[-1] if earlier else None


def changes_since_previous(data, reporting_round):
    """Deliverables whose percent or status differ from the previous published round, with
    the round's figures as published (``data`` is the plan's data, see goals.progress)."""
    previous = previous_published(data, reporting_round)
    now = progress_as_of(data, reporting_round)
    then = progress_as_of(data, previous) if previous else None
    changes = []
    for deliverable in data.deliverables:
        after = now.deliverables[deliverable.pk]
        before = then.deliverables[deliverable.pk] if then else None
        if before is None and after.status == "no_data":
            continue
        if before is None or (before.percent, before.status) != (after.percent, after.status):
            changes.append(Change(deliverable, before, after))
    return previous, changes
