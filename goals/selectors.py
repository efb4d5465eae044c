"""The plan's reads that pages, exports and the API share: which plans there are, the public
timeline of progress (as of a round too), who is responsible for what, what a body or a partner
is on in each plan with the figures of those parts, when the public data last changed, and text
search."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from goals.linkcheck import failing_since
from goals.models import (
    ActionPlan,
    Body,
    Deliverable,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Initiative,
    LineageLink,
    MemberState,
    ProgressUpdate,
    ReportingRound,
    Responsibility,
    StrategicGoal,
)
from goals.progress import PlanProgress, cached_plan_data, known_by_condition, plan_data_holding
from goals.snapshots import progress_as_of
from tracker.core.cache import derived_from_data
from tracker.core.textsearch import matching


def default_plan(today=None):
    """The plan a visitor sees first: the one whose period includes today (the newest, should
    two overlap), else the newest with approved progress, else the newest. Its period is its
    start and end years, so a plan is current from 1 January of its first year to 31 December
    of its last."""
    day = today or timezone.localdate()

    def find():
        plans = all_plans()
        current = current_among(plans, day)
        if current is not None:
            return current
        with_progress = ActionPlan.objects.filter(
            initiatives__deliverables__progress_updates__review_state=ProgressUpdate.ReviewState.APPROVED
        )
        return with_progress.order_by("-start_year").first() or next(iter(plans), None)

    return derived_from_data(("default-plan", day.year), find)


def current_among(plans, today=None):
    """Of ``plans`` (newest first), the newest whose period includes today, or None."""
    day = today or timezone.localdate()
    return next((plan for plan in plans if plan.period_includes(day)), None)


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
        updates = queryset.public().with_context().annotate(link_failing_since=failing_since())
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
        .annotate(link_failing_since=failing_since())
        .order_by("-reported_on", "-id")
    )


def kept(key, queryset):
    """The queryset's rows, kept in this process until the data changes (``derived_from_data``)."""
    return derived_from_data(key, lambda: tuple(queryset))


def responsibilities_for(**target):
    return Responsibility.objects.filter(**target).select_related(
        "body", "initiative__plan", "deliverable__initiative__plan"
    )


def rounds_of(plan):
    """A plan's reporting rounds in the order they run, with what their dates need to be told
    (when published: the snapshot's time)."""
    return ReportingRound.objects.filter(plan=plan).select_related("snapshot").order_by("opens_on", "pk")


def _place(record):
    """Where a responsibility's or an involvement's part comes in its plan: an initiative, then
    its deliverables by code, in natural order."""
    if record.deliverable_id:
        return (record.deliverable.initiative.number, 1, record.deliverable.sort_key)
    return (record.initiative.number, 0, "")


@dataclass(frozen=True)
class PlanGroup:
    """What a body or a partner is on in one plan: each row (a responsibility or an involvement)
    with the figure of its initiative or deliverable."""

    plan: ActionPlan
    progress: PlanProgress
    rows: tuple  # (record, figure)

    @property
    def has_progress(self):
        return self.progress.has_progress


def by_plan(records, order=()):
    """Responsibilities or involvements (each on an initiative or a deliverable, fetched with its
    plan), grouped by plan, the current plan first, then the others newest first. Each row comes
    with the figure of what it is on, drawn from the plan's figures as held: a fixed number of
    queries per plan, none per row. ``order``: the roles in the order their rows come, then the
    initiative's number and the deliverable's code."""
    rows_of = {}
    for record in records:
        initiative = record.deliverable.initiative if record.deliverable_id else record.initiative
        rows_of.setdefault(initiative.plan_id, []).append(record)
    plans = all_plans()
    current = current_among(plans) or default_plan()
    plans = sorted(
        (plan for plan in plans if plan.pk in rows_of),
        key=lambda plan: (current is None or plan.pk != current.pk, -plan.start_year),
    )
    roles = {role: n for n, role in enumerate(order)}
    groups = []
    for plan in plans:
        records = rows_of[plan.pk]
        data = cached_plan_data(plan)
        for level, key in (("initiatives", "initiative_id"), ("deliverables", "deliverable_id")):
            data = plan_data_holding(data, level, [getattr(r, key) for r in records if getattr(r, key)])
        progress = progress_as_of(data)
        records.sort(key=lambda r: (roles.get(r.role, len(roles)), *_place(r)))
        rows = tuple(
            (
                record,
                progress.deliverables[record.deliverable_id]
                if record.deliverable_id
                else progress.initiatives[record.initiative_id],
            )
            for record in records
        )
        groups.append(PlanGroup(plan, progress, rows))
    return groups


def lineage_links():
    """Every plan lineage link with the items it joins, kept until the data changes (three
    queries, whatever the number of links)."""
    return kept("lineage-links", LineageLink.objects.with_items().order_by("pk"))


def next_plan(plan, plans=None):
    """The plan that follows ``plan`` (whose predecessor it is), or None."""
    return next((other for other in plans or all_plans() if other.predecessor_id == plan.pk), None)


def previous_plan(plan, plans=None):
    return next((other for other in plans or all_plans() if other.pk == plan.predecessor_id), None)


def _leads_to(link, item):
    targets = link.to_initiatives.all() if isinstance(item, Initiative) else link.to_deliverables.all()
    return any(target.pk == item.pk for target in targets)


@dataclass(frozen=True)
class ItemLineage:
    """Where an initiative or a deliverable came from and where it went."""

    went: LineageLink | None  # its link to the next plan, if recorded
    came_from: tuple  # the links of the previous plan's items that lead to it
    next_plan: ActionPlan | None
    previous_plan: ActionPlan | None

    def __bool__(self):
        return bool(self.next_plan or self.previous_plan)


def lineage_of(item, plan, plans):
    """The plan lineage of an item of ``plan`` (``plans``: every plan, as the page holds them),
    from the links as held (no query once held)."""
    links = lineage_links()
    key = "initiative_id" if isinstance(item, Initiative) else "deliverable_id"
    return ItemLineage(
        went=next((link for link in links if getattr(link, key) == item.pk), None),
        came_from=tuple(link for link in links if _leads_to(link, item)),
        next_plan=next_plan(plan, plans),
        previous_plan=previous_plan(plan, plans),
    )


def items_in_order(data):
    """A plan's initiatives, each followed by its deliverables, from its data as held."""
    for initiative in data.initiatives:
        yield initiative
        yield from (d for d in data.deliverables if d.initiative_id == initiative.pk)


def lineage_rows(plan=None):
    """The plan lineage links in crosswalk order (``lineage_order``), for the CSV and the API;
    ``plan`` narrows them to the links from or into that plan. A list: there is one link at most
    per item of a plan."""
    links = LineageLink.objects.with_items()
    if plan is not None:
        links = links.filter(
            Q(initiative__plan=plan)
            | Q(deliverable__initiative__plan=plan)
            | Q(to_initiatives__plan=plan)
            | Q(to_deliverables__initiative__plan=plan)
        ).distinct()
    return sorted(links, key=lineage_order)


def lineage_initiative(link):
    """The initiative a link starts from: the initiative itself, or the deliverable's."""
    return link.deliverable.initiative if link.deliverable_id else link.initiative


def lineage_order(link):
    """Newest older plan first, then by initiative, each initiative before its deliverables."""
    code = link.deliverable.sort_key if link.deliverable_id else ""
    return (-link.plan.start_year, lineage_initiative(link).number, bool(link.deliverable_id), code)


# A fate as a count says it: "3 continued, 1 split".
COUNTED_FATES = {
    "continued": pgettext_lazy("lineage count", "continued"),
    "merged_into": pgettext_lazy("lineage count", "merged"),
    "split_into": pgettext_lazy("lineage count", "split"),
    "replaced_by": pgettext_lazy("lineage count", "replaced"),
    "dropped": pgettext_lazy("lineage count", "dropped"),
    "completed": pgettext_lazy("lineage count", "completed"),
    "not_yet_known": pgettext_lazy("lineage count", "not yet known"),
}


@dataclass(frozen=True)
class Crosswalk:
    """The plan lineage between a plan and the one that follows it, both ways: for each item of
    the older plan, its link (or None: nothing recorded); for each item of the newer plan, the
    links that lead to it (none: new in that plan, or not traced)."""

    older: ActionPlan
    newer: ActionPlan
    went: tuple  # (item, link or None)
    came_from: tuple  # (item, links)

    @property
    def counts(self):
        """How many items of the older plan have each fate, in the codelist's order, and how
        many of those links are provisional."""
        fates = [link.fate for _, link in self.went if link is not None]
        return {
            "fates": [
                (COUNTED_FATES[value], fates.count(value))
                for value in LineageLink.Fate.values
                if value in fates
            ],
            "unrecorded": sum(1 for _, link in self.went if link is None),
            "provisional": sum(1 for _, link in self.went if link is not None and link.provisional),
            "untraced": sum(1 for _, links in self.came_from if not links),
        }


def crosswalk(older, newer, held=None):
    """The crosswalk between ``older`` and ``newer`` (its successor), from the plans' data and
    the links as held (``held``: a plan's data the page already has)."""
    links = lineage_links()

    def data_of(plan):
        return held if held is not None and held.plan.pk == plan.pk else cached_plan_data(plan)

    by_initiative = {link.initiative_id: link for link in links if link.initiative_id}
    by_deliverable = {link.deliverable_id: link for link in links if link.deliverable_id}
    went = tuple(
        (item, (by_initiative if isinstance(item, Initiative) else by_deliverable).get(item.pk))
        for item in items_in_order(data_of(older))
    )
    came_from = tuple(
        (item, tuple(link for link in links if _leads_to(link, item)))
        for item in items_in_order(data_of(newer))
    )
    return Crosswalk(older, newer, went, came_from)


# The records a figure or a public page of the plan is made of, besides progress: a change to any
# of them (a corrected title or planned end, a deliverable added) changes what the public sees.
PLAN_RECORDS = (
    ActionPlan, StrategicGoal, Initiative, Deliverable, Responsibility, MemberState, Body, LineageLink,
    Indicator, IndicatorTarget,
)  # fmt: skip
NEVER = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)  # stands for "no change recorded"


@dataclass(frozen=True)
class PublicDataState:
    """What every page says about the data as a whole."""

    changed_at: datetime.datetime | None  # the latest approved change, None before any
    sample: bool  # made-up demonstration progress is loaded

    @property
    def as_of(self):
        """The day of the latest approved change, in the site's time zone ("Data as of ...")."""
        return timezone.localdate(self.changed_at) if self.changed_at else None


def public_data_state():
    """When the public data last changed, and whether sample data is loaded: one query, run once
    per data version (``derived_from_data``), so it adds nothing to a page the process has seen.

    The latest change is the latest of: an approved progress update or indicator value saved
    (approved, or a correction to one already approved) and any change to the plan's records
    (their audit history). Drafts and submissions, which the public never sees, do not count.
    """

    def read():
        latest_change = [
            Subquery(model.history.order_by("-history_date").values("history_date")[:1])
            for model in PLAN_RECORDS
        ]
        approved = Q(review_state=ProgressUpdate.ReviewState.APPROVED)
        latest_value = IndicatorValue.objects.public().order_by("-updated_at").values("updated_at")[:1]
        found = ProgressUpdate.objects.aggregate(
            changed_at=Greatest(
                Coalesce(Max("updated_at", filter=approved), NEVER),
                Coalesce(Subquery(latest_value), NEVER),
                *(Coalesce(change, NEVER) for change in latest_change),
            ),
            sample=Count("pk", filter=Q(is_sample=True)),
        )
        changed_at = found["changed_at"]
        return PublicDataState(changed_at if changed_at and changed_at > NEVER else None, found["sample"] > 0)

    return derived_from_data("public-data-state", read)


# The fields text search looks in, the same for the site's search page and the explorer's box.
SEARCHED_FIELDS = {
    StrategicGoal: ("title", "description"),
    Initiative: ("title", "description"),
    Deliverable: ("code", "title", "description"),
    Body: ("name", "acronym", "description"),
    ProgressUpdate: ("narrative", "deliverable__code", "deliverable__title"),
}


def text_matches(queryset, query):
    """``queryset`` narrowed to the rows whose text matches ``query`` (``tracker.core.textsearch``),
    its order and joins left as they are."""
    model = queryset.model
    found = matching(model.objects.all(), query, SEARCHED_FIELDS[model])
    return queryset.filter(pk__in=found.values("pk"))


def search(query):
    """What matches ``query`` in the plans, by kind: goals, initiatives, deliverables, bodies and
    approved progress updates (never others), the most relevant first, newest plan first."""

    def found(queryset):
        return matching(queryset, query, SEARCHED_FIELDS[queryset.model])

    return {
        "goals": found(StrategicGoal.objects.select_related("plan")).order_by(
            "-search_rank", "-plan__start_year", "number"
        ),
        "initiatives": found(Initiative.objects.select_related("plan")).order_by(
            "-search_rank", "-plan__start_year", "number"
        ),
        "deliverables": found(Deliverable.objects.select_related("initiative__plan")).order_by(
            "-search_rank", "-initiative__plan__start_year", "sort_key", "initiative__number"
        ),
        "bodies": found(Body.objects.all()).order_by("-search_rank", "name"),
        "updates": found(ProgressUpdate.objects.public().with_context()).order_by(
            "-search_rank", "-reported_on", "-pk"
        ),
    }
