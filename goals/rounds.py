"""What a reporting round is still missing, and what moved since the round before it."""

from dataclasses import dataclass, field, replace

from django.db.models import Q

from goals.models import (
    Body,
    Deliverable,
    MemberState,
    ProgressUpdate,
    ReportingRound,
    Responsibility,
    code_sort_key,
)
from goals.progress import NO_DATA, cached_plan_data, is_done, load_plan_data
from goals.snapshots import freeze, progress_as_of

# Roles that owe a report; supporting bodies are not chased.
REPORTING_ROLES = [Responsibility.Role.LEAD, Responsibility.Role.IMPLEMENTING]


@dataclass(frozen=True)
class MissingReport:
    """A report a body owes in a round (``due_reports``); missing until it is submitted."""

    body: Body
    deliverable: Deliverable
    member_state: object = None

    def __str__(self):
        state = f" ({self.member_state})" if self.member_state else ""
        return f"{self.deliverable.code} {self.deliverable.title}{state}"


def nothing_owed(progress, deliverable, state=None):
    """Why no report is owed on a deliverable (and, state by state, a member state's row), or ""
    when one is: the one rule for missing reports, reminders and My deliverables. Nothing is owed
    on a deliverable dropped or done (``goals.progress.is_done``), on a state's row that state has
    completed or dropped, nor by a state not expected to act in the plan."""
    if deliverable.dropped_in:
        return "dropped from the plan"
    if is_done(progress.deliverables[deliverable.pk].status):
        return progress.deliverables[deliverable.pk].status.replace("_", " ")
    if deliverable.per_member_state and state is not None:
        if state.pk not in progress.expected_states:
            return "not expected to act in this plan"
        latest = progress.latest.get((deliverable.pk, state.pk))
        if latest is not None and is_done(latest.status):
            return f"{latest.status} for {state}"
    return ""


@dataclass(frozen=True)
class Frozen:
    """A body, deliverable or member state as a published round recorded it."""

    name: str = ""
    pk: int | None = None
    code: str = ""
    title: str = ""
    iso_code: str = ""

    def __str__(self):
        return self.name


def missing_as_json(missing):
    """Missing reports as a published round keeps them (``goals.snapshots.freeze``)."""
    return [
        {
            "body": str(m.body),
            "deliverable": {"pk": m.deliverable.pk, "code": m.deliverable.code, "title": m.deliverable.title},
            "member_state": {"name": m.member_state.name, "iso_code": m.member_state.iso_code}
            if m.member_state
            else None,
        }
        for m in missing
    ]


def missing_reports(reporting_round):
    """The reports missing in a round: as recorded when it was published (published means
    frozen: later approvals, withdrawals and new responsibilities do not change it), else as
    they stand now."""
    snapshot = getattr(reporting_round, "snapshot", None) if reporting_round.pk else None
    stored = snapshot.figures.get("missing") if snapshot is not None else None
    if stored is None:  # not published, or published before the list was kept
        return missing_reports_now(reporting_round)
    return [
        MissingReport(
            Frozen(name=m["body"]),
            Frozen(**m["deliverable"]),
            Frozen(**m["member_state"]) if m["member_state"] else None,
        )
        for m in stored
    ]


def publish_snapshot(reporting_round):
    """Freeze a round as it is published: what its figures are computed from, and its missing
    reports (from the database as it stands, never from kept data)."""
    missing = missing_reports_now(reporting_round, load_plan_data(reporting_round.plan))
    return freeze(reporting_round, missing=missing_as_json(missing))


def missing_reports_now(reporting_round, data=None):
    """The reports owed in this round (``due_reports``) that are not in yet. A draft does not
    count; a submission does."""
    reported = reported_in(reporting_round)
    missing = [
        due
        for due in due_reports(reporting_round, data)
        if (due.deliverable.pk, due.member_state.pk if due.member_state else None) not in reported
    ]
    return sorted(missing, key=lambda m: (m.body.name, code_sort_key(m.deliverable.code)))


def due_reports(reporting_round, data=None, *, bodies=None):
    """Each body (and, for deliverables tracked per member state, each state's office) that owes
    a report in this round, reported or not: the one rule for missing reports, reminders, My
    deliverables and a focal point's import file. Lead and implementing bodies owe it;
    ``nothing_owed`` (by the figures as of this round) says where nothing is. ``bodies``: only
    what those owe."""
    data = data or cached_plan_data(reporting_round.plan)
    progress = progress_as_of(data, reporting_round)
    owners = reporting_bodies(reporting_round.plan, data, bodies)
    due = []
    for deliverable in data.deliverables:
        for body in sorted(owners.get(deliverable.pk, ()), key=lambda b: b.name):
            state = body.member_state if deliverable.per_member_state else None
            if deliverable.per_member_state and state is None:
                continue  # a regional body coordinates; each state's office reports its own row
            if not nothing_owed(progress, deliverable, state):
                due.append(MissingReport(body, deliverable, state))
    return due


def reporting_bodies(plan, data, bodies=None):
    """{deliverable pk: the bodies that lead or implement it (itself or its initiative)}."""
    responsibilities = (
        Responsibility.objects.filter(role__in=REPORTING_ROLES)
        .filter(Q(deliverable__initiative__plan=plan) | Q(initiative__plan=plan))
        .select_related("body__member_state")
    )
    if bodies is not None:
        responsibilities = responsibilities.filter(body__in=bodies)
    owners = {}
    for responsibility in responsibilities:
        for deliverable in data.deliverables:
            if (
                responsibility.deliverable_id == deliverable.pk
                or responsibility.initiative_id == deliverable.initiative_id
            ):
                owners.setdefault(deliverable.pk, set()).add(responsibility.body)
    return owners


def unassigned_reports(reporting_round, data=None):
    """Deliverables that owe a report in this round (by ``nothing_owed``) and have none, but no
    body leads or implements them, so nobody is chased: ``MissingReport``s with no body. They
    are listed for the secretariat to assign, never frozen with a published round's reports."""
    data = data or cached_plan_data(reporting_round.plan)
    progress = progress_as_of(data, reporting_round)
    owners = reporting_bodies(reporting_round.plan, data)
    reported_on = {deliverable_id for deliverable_id, _state in reported_in(reporting_round)}
    unassigned = [
        MissingReport(None, deliverable)
        for deliverable in data.deliverables
        if deliverable.pk not in owners
        and deliverable.pk not in reported_on
        and not nothing_owed(progress, deliverable)
    ]
    return sorted(unassigned, key=lambda m: code_sort_key(m.deliverable.code))


def owed_now(reporting_round, data=None):
    """Both lists, for a page that shows both: (``missing_reports_now``, ``unassigned_reports``)."""
    data = data or cached_plan_data(reporting_round.plan)
    return missing_reports_now(reporting_round, data), unassigned_reports(reporting_round, data)


def reported_in(reporting_round):
    """(deliverable pk, member state pk) of what is in for this round: a draft does not count."""
    return set(
        ProgressUpdate.objects.filter(round=reporting_round)
        .exclude(review_state=ProgressUpdate.ReviewState.DRAFT)
        .values_list("deliverable_id", "member_state_id")
    )


@dataclass(frozen=True)
class DueRow:
    """A report a user's bodies owe in an open round: one per deliverable (and member state),
    with the latest approved update (``goals.progress.ApprovedUpdate``) it may start from."""

    reporting_round: ReportingRound
    deliverable: Deliverable
    member_state: MemberState | None
    latest_approved: object = None

    @property
    def key(self):
        return (self.deliverable.pk, self.member_state.pk if self.member_state else None)


def due_rows(bodies):
    """What ``bodies`` owe in every open round (``due_reports``), each deliverable and member
    state once, by plan and code."""
    rows = {}
    for reporting_round in ReportingRound.objects.filter(state=ReportingRound.State.OPEN).select_related(
        "plan"
    ):
        data = cached_plan_data(reporting_round.plan)
        latest = progress_as_of(data, reporting_round).latest
        for due in due_reports(reporting_round, data, bodies=bodies):
            row = DueRow(reporting_round, due.deliverable, due.member_state)
            rows.setdefault(row.key, replace(row, latest_approved=latest.get(row.key)))
    return sorted(
        rows.values(),
        key=lambda r: (r.reporting_round.plan.start_year, r.deliverable.sort_key, str(r.member_state or "")),
    )


def latest_approved(deliverable, state_pk=None):
    """The latest approved update on a deliverable (a member state's, when tracked per member
    state) that the figures count now, or None: where a new report starts from."""
    progress = progress_as_of(cached_plan_data(deliverable.initiative.plan))
    return progress.latest.get((deliverable.pk, state_pk))


def focal_points(bodies):
    """The active staff accounts reporting for each body (focal points): ``{body pk: [users]}``,
    by name. A published round's bodies are names only (``Frozen``): they have none."""
    found = {}
    pks = [body.pk for body in bodies if getattr(body, "pk", None) is not None]
    through = Body.staff.through.objects.filter(body__in=pks, staffaccess__user__is_active=True)
    for link in through.select_related("staffaccess__user").order_by(
        "staffaccess__user__last_name", "staffaccess__user__first_name", "staffaccess__user__username"
    ):
        found.setdefault(link.body_id, []).append(link.staffaccess.user)
    return found


@dataclass
class Reminder:
    """One focal point's reminder: the missing reports of all its bodies, in one e-mail."""

    person: object
    items: list = field(default_factory=list)

    @property
    def reachable(self):
        return bool(self.person.email)


def reminders(missing):
    """Who is reminded of which missing reports: one ``Reminder`` per focal point of the bodies
    that owe them (the one rule for the secretariat's button and the daily command), by name.
    Focal points without an e-mail address are in the list too, as unreachable."""
    people = focal_points({item.body for item in missing if item.body is not None})
    found, listed = {}, set()
    for item in missing:
        for person in people.get(getattr(item.body, "pk", None), ()):
            reminder = found.setdefault(person.pk, Reminder(person))
            owed = (person.pk, item.deliverable.pk, getattr(item.member_state, "pk", None))
            if owed not in listed:  # once, though two of the person's bodies owe it
                listed.add(owed)
                reminder.items.append(item)
    return sorted(found.values(), key=lambda r: (r.person.get_full_name() or r.person.get_username()).lower())


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
    the round's figures as published (``data`` is the plan's data, see goals.progress). A
    deliverable without data then and now did not change, whatever method either round used."""
    previous = previous_published(data, reporting_round)
    now = progress_as_of(data, reporting_round)
    then = progress_as_of(data, previous) if previous else None
    changes = []
    for deliverable in data.deliverables:
        after = now.deliverables[deliverable.pk]
        before = then.deliverables[deliverable.pk] if then and deliverable.pk in then.deliverables else None
        if after.status == NO_DATA and (before is None or before.status == NO_DATA):
            continue
        if before is None or (before.percent, before.status) != (after.percent, after.status):
            changes.append(Change(deliverable, before, after))
    return previous, changes
