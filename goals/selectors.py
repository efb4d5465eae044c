"""The plan's reads that pages, exports and the API share: which plans there are, the public
timeline of progress (as of a round too) and who is responsible for what."""

from django.db.models import Max
from django.utils import timezone

from goals.models import ActionPlan, ProgressUpdate, Responsibility
from goals.progress import known_by_condition
from tracker.core.cache import derived_from_data


def default_plan(today=None):
    """The plan a visitor sees first: the one whose period includes today (the newest, should
    two overlap), else the newest with approved progress, else the newest. Its period is its
    start and end years, so a plan is current from 1 January of its first year to 31 December
    of its last."""
    year = (today or timezone.localdate()).year

    def find():
        plans = all_plans()
        current = [plan for plan in plans if plan.start_year <= year <= plan.end_year]
        if current:
            return current[0]
        with_progress = ActionPlan.objects.filter(
            initiatives__deliverables__progress_updates__review_state=ProgressUpdate.ReviewState.APPROVED
        )
        return with_progress.order_by("-start_year").first() or next(iter(plans), None)

    return derived_from_data(("default-plan", year), find)


def all_plans():
    """Every plan, newest first (for the plan switch)."""
    return derived_from_data("all-plans", lambda: tuple(ActionPlan.objects.order_by("-start_year")))


def plan_named(slug):
    """The plan with this slug, from the plans kept in this process, or None."""
    return next((plan for plan in all_plans() if plan.slug == slug), None)


def timeline(queryset, as_of=None):
    """Approved updates, newest first. As of a published round: those approved and known by
    then, as they read when the round was published (from the audit history), whatever was
    un-approved or corrected since: published means frozen."""
    snapshot = getattr(as_of, "snapshot", None) if as_of is not None else None
    if snapshot is None:
        updates = queryset.public().with_context()
        if as_of is not None:
            updates = updates.filter(known_by_condition(as_of.closes_on))
        return updates.order_by("-reported_on", "-pk")
    then = ProgressUpdate.history.filter(id__in=queryset.values("pk"), history_date__lte=snapshot.taken_at)
    latest = then.values("id").annotate(latest=Max("history_id")).values("latest")
    return (
        ProgressUpdate.history.filter(history_id__in=latest, review_state=ProgressUpdate.ReviewState.APPROVED)
        .exclude(history_type="-")
        .filter(known_by_condition(as_of.closes_on))
        .select_related("deliverable__initiative__plan", "member_state", "round")
        .order_by("-reported_on", "-id")
    )


def kept(key, queryset):
    """The queryset's rows, kept in this process until the data changes (``derived_from_data``)."""
    return derived_from_data(key, lambda: tuple(queryset))


def responsibilities_for(**target):
    return Responsibility.objects.filter(**target).select_related(
        "body", "initiative__plan", "deliverable__initiative__plan"
    )
