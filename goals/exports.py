"""CSV exports of the plan's public lists (see tracker.exports). Approved data only."""

from django.db.models import Prefetch

from goals.models import ActionPlan, Deliverable, Initiative, MemberState, ProgressUpdate, Responsibility
from goals.progress import cached_plan_data
from goals.snapshots import progress_as_of
from partners.models import Involvement
from tracker.exports import BOOLEAN, DATE, INTEGER, NUMBER, STRING, Export, col, register


def _plans(params):
    plans = ActionPlan.objects.order_by("-start_year")
    return plans.filter(slug=params["plan"]) if params.get("plan") else plans


def with_figures(records, level):
    """Pair each initiative or deliverable with its figure, from its plan's data as held.

    A deliverable's initiative (with its goal and plan) is taken from that data too, rather
    than joined and built again for every row of the file.
    """
    progress, initiatives = {}, {}

    def hold(plan):
        data = cached_plan_data(plan)
        progress[plan.pk] = progress_as_of(data)
        initiatives.update((initiative.pk, initiative) for initiative in data.initiatives)

    if level == "deliverables":
        records = records.select_related(None)
    for record in records.iterator(chunk_size=2000):
        if level == "deliverables":
            if record.initiative_id not in initiatives:
                hold(Initiative.objects.select_related("plan").get(pk=record.initiative_id).plan)
            record.initiative = initiatives[record.initiative_id]
            plan_id = record.initiative.plan_id
        else:
            plan_id = record.plan_id
            if plan_id not in progress:
                hold(record.plan)
        yield record, getattr(progress[plan_id], level)[record.pk]


FIGURE_COLUMNS = [
    col(
        "percent_complete",
        NUMBER,
        "Computed percent complete (empty when no approved progress).",
        lambda i: i[1].percent,
    ),
    col(
        "status",
        STRING,
        "Computed status: not_started, in_progress, completed, on_hold, dropped or no_data.",
        lambda i: i[1].status,
    ),
    col(
        "schedule",
        STRING,
        "Computed schedule assessment: on_track, at_risk, off_track, completed, not_yet_due or no_data.",
        lambda i: i[1].schedule,
    ),
    col(
        "expected_percent",
        NUMBER,
        "Percent expected by the assessment date (linear over the planned period).",
        lambda i: i[1].expected,
    ),
    col("count_completed", INTEGER, "Deliverables completed.", lambda i: i[1].counts["completed"]),
    col("count_in_progress", INTEGER, "Deliverables in progress.", lambda i: i[1].counts["in_progress"]),
    col("count_on_hold", INTEGER, "Deliverables on hold.", lambda i: i[1].counts["on_hold"]),
    col("count_not_started", INTEGER, "Deliverables not started.", lambda i: i[1].counts["not_started"]),
    col("count_dropped", INTEGER, "Deliverables dropped at a plan review.", lambda i: i[1].counts["dropped"]),
    col("count_no_data", INTEGER, "Parts with no approved progress.", lambda i: i[1].counts["no_data"]),
]

SOURCE_COLUMNS = [
    col(
        "provisional",
        BOOLEAN,
        "True when part of the record is not confirmed by a source.",
        lambda i: i[0].provisional,
    ),
    col("provisional_note", STRING, "What is known and what is not.", lambda i: i[0].provisional_note),
    col("source_url", STRING, "Where the record's facts come from.", lambda i: i[0].source_url),
]

initiatives = register(
    Export(
        "initiatives",
        "Initiatives",
        "Each initiative of each plan with its computed progress.",
        [
            col("plan", STRING, "Plan identifier, e.g. 2016-2025.", lambda i: i[0].plan.slug),
            col(
                "goal_number",
                INTEGER,
                "Number of its strategic goal in the plan.",
                lambda i: i[0].goal.number,
            ),
            col("initiative_number", INTEGER, "Number of the initiative in the plan.", lambda i: i[0].number),
            col("title", STRING, "Short title, paraphrased.", lambda i: i[0].title),
            col("weight", NUMBER, "Weight in its goal's mean.", lambda i: i[0].weight),
            *FIGURE_COLUMNS,
            *SOURCE_COLUMNS,
        ],
        items=lambda params: with_figures(
            Initiative.objects.filter(plan__in=_plans(params))
            .select_related("plan", "goal")
            .order_by("-plan__start_year", "number"),
            "initiatives",
        ),
    )
)

deliverables = register(
    Export(
        "deliverables",
        "Deliverables",
        "Each deliverable of each plan, with its computed progress and its web address where it is a platform.",
        [
            col("plan", STRING, "Plan identifier, e.g. 2016-2025.", lambda i: i[0].initiative.plan.slug),
            col(
                "goal_number", INTEGER, "Number of its strategic goal.", lambda i: i[0].initiative.goal.number
            ),
            col("initiative_number", INTEGER, "Number of its initiative.", lambda i: i[0].initiative.number),
            col(
                "deliverable_code",
                STRING,
                "Code of the deliverable within its initiative, e.g. 5.1.",
                lambda i: i[0].code,
            ),
            col("title", STRING, "Short title, paraphrased.", lambda i: i[0].title),
            col(
                "kind",
                STRING,
                "output, study, guideline, platform, network, accession or event.",
                lambda i: i[0].kind,
            ),
            col(
                "per_member_state",
                BOOLEAN,
                "True when each member state reports its own progress.",
                lambda i: i[0].per_member_state,
            ),
            col(
                "reporting_states",
                INTEGER,
                "Member states with approved progress (state-by-state deliverables).",
                lambda i: i[1].reporting_states,
            ),
            col(
                "expected_states",
                INTEGER,
                "Member states expected to report (state-by-state deliverables).",
                lambda i: i[1].expected_states,
            ),
            col("planned_start", DATE, "Planned start date.", lambda i: i[0].planned_start),
            col("planned_end", DATE, "Planned end date.", lambda i: i[0].planned_end),
            col("weight", NUMBER, "Weight in its initiative's mean.", lambda i: i[0].weight),
            col("dropped_in", STRING, "Plan version that dropped it, if any.", lambda i: i[0].dropped_in),
            col("url", STRING, "Web address of the output (platforms).", lambda i: i[0].url),
            *FIGURE_COLUMNS,
            *SOURCE_COLUMNS,
        ],
        items=lambda params: with_figures(
            Deliverable.objects.filter(initiative__plan__in=_plans(params))
            .select_related("initiative__plan", "initiative__goal")
            .order_by("-initiative__plan__start_year", "initiative__number", "code"),
            "deliverables",
        ),
    )
)

UPDATE_COLUMNS = [
    col("plan", STRING, "Plan identifier.", lambda u: u.deliverable.initiative.plan.slug),
    col("deliverable_code", STRING, "Code of the deliverable.", lambda u: u.deliverable.code),
    col("deliverable_title", STRING, "Title of the deliverable.", lambda u: u.deliverable.title),
    col(
        "member_state",
        STRING,
        "ISO 3166 code of the member state, for state-by-state deliverables.",
        lambda u: u.member_state.iso_code if u.member_state_id else None,
    ),
    col(
        "status",
        STRING,
        "Reported status: not_started, in_progress, completed, on_hold or dropped.",
        lambda u: u.status,
    ),
    col("percent_complete", INTEGER, "Reported percent complete, 0 to 100.", lambda u: u.percent_complete),
    col("reported_on", DATE, "Date the progress refers to.", lambda u: u.reported_on),
    col(
        "reported_on_precision",
        STRING,
        "day, month or year: how precisely the source gives the date.",
        lambda u: u.reported_on_precision,
    ),
    col(
        "reporting_round",
        STRING,
        "Reporting round it was reported in; empty for facts from public sources.",
        lambda u: u.round.name if u.round_id else None,
    ),
    col("narrative", STRING, "What happened.", lambda u: u.narrative),
    col("evidence_url", STRING, "Link to the evidence or source.", lambda u: u.evidence_url),
    col(
        "has_evidence_file",
        BOOLEAN,
        "True when an evidence file is attached (download it from the site).",
        lambda u: bool(u.evidence_file),
    ),
    col(
        "provisional",
        BOOLEAN,
        "True when the date or status is not confirmed by a second source.",
        lambda u: u.provisional,
    ),
    col("provisional_note", STRING, "What is known and what is not.", lambda u: u.provisional_note),
    col(
        "is_sample",
        BOOLEAN,
        "True for made-up demonstration data, never for real reports.",
        lambda u: u.is_sample,
    ),
]

progress_updates = register(
    Export(
        "progress_updates",
        "Progress updates",
        "Every approved progress update, newest first.",
        UPDATE_COLUMNS,
        items=lambda params: (
            ProgressUpdate.objects.public()
            .filter(deliverable__initiative__plan__in=_plans(params))
            .with_context()
            .order_by("-reported_on", "-pk")
            .iterator(chunk_size=2000)
        ),
    )
)


def matrix_items(plan, as_of=None):
    """(member state, deliverable, latest approved update or None) for each state-by-state cell."""
    from goals.views import timeline

    columns = list(
        Deliverable.objects.filter(initiative__plan=plan, per_member_state=True)
        .select_related("initiative__plan")
        .order_by("code")
    )
    latest = {}
    for update in timeline(ProgressUpdate.objects.filter(deliverable__in=columns), as_of):
        latest.setdefault((update.member_state_id, update.deliverable_id), update)
    for state in MemberState.objects.order_by("name"):
        for deliverable in columns:
            yield state, deliverable, latest.get((state.pk, deliverable.pk))


def _cell(attribute):
    return lambda item: getattr(item[2], attribute) if item[2] else None


member_state_matrix = register(
    Export(
        "member_state_matrix",
        "Member-state matrix",
        "One row per member state and state-by-state deliverable, with the latest approved status.",
        [
            col("plan", STRING, "Plan identifier.", lambda i: i[1].initiative.plan.slug),
            col("member_state", STRING, "ISO 3166 code of the member state.", lambda i: i[0].iso_code),
            col("member_state_name", STRING, "Name of the member state.", lambda i: i[0].name),
            col("deliverable_code", STRING, "Code of the deliverable.", lambda i: i[1].code),
            col("deliverable_title", STRING, "Title of the deliverable.", lambda i: i[1].title),
            col(
                "status",
                STRING,
                "Latest approved status, or no_data.",
                lambda i: i[2].status if i[2] else "no_data",
            ),
            col("percent_complete", INTEGER, "Latest approved percent.", _cell("percent_complete")),
            col("reported_on", DATE, "Date of the latest approved update.", _cell("reported_on")),
            col("reported_on_precision", STRING, "day, month or year.", _cell("reported_on_precision")),
            col("provisional", BOOLEAN, "True when not confirmed by a second source.", _cell("provisional")),
            col("evidence_url", STRING, "Link to the evidence or source.", _cell("evidence_url")),
        ],
        items=lambda params: (item for plan in _plans(params) for item in matrix_items(plan)),
    )
)


def platform_queryset():
    launches = ProgressUpdate.objects.public().filter(status=ProgressUpdate.Status.COMPLETED)
    return (
        Deliverable.objects.filter(kind=Deliverable.Kind.PLATFORM)
        .select_related("initiative__plan")
        .prefetch_related(
            Prefetch("progress_updates", queryset=launches.order_by("reported_on"), to_attr="launches"),
            Prefetch("involvements", queryset=Involvement.objects.select_related("partner")),
            Prefetch("responsibilities", queryset=Responsibility.objects.select_related("body")),
        )
        .order_by("title")
    )


platforms = register(
    Export(
        "platforms",
        "Regional platforms",
        "The regional IP platforms with their addresses, launch dates and who builds or supports them.",
        [
            col("platform", STRING, "Name of the platform.", lambda d: d.title),
            col("plan", STRING, "Plan it is a deliverable of.", lambda d: d.initiative.plan.slug),
            col("deliverable_code", STRING, "Its deliverable code.", lambda d: d.code),
            col("url", STRING, "Where to use it.", lambda d: d.url),
            col(
                "launched_on",
                DATE,
                "Date of its first approved completion.",
                lambda d: d.launches[0].reported_on if d.launches else None,
            ),
            col(
                "launched_on_precision",
                STRING,
                "day, month or year.",
                lambda d: d.launches[0].reported_on_precision if d.launches else None,
            ),
            col(
                "bodies",
                STRING,
                "Responsible bodies and roles, separated by semicolons.",
                lambda d: "; ".join(
                    f"{r.body.acronym or r.body.name} ({r.role})" for r in d.responsibilities.all()
                ),
            ),
            col(
                "partners",
                STRING,
                "Partners and roles, separated by semicolons.",
                lambda d: "; ".join(f"{i.partner} ({i.role})" for i in d.involvements.all()),
            ),
            col(
                "provisional",
                BOOLEAN,
                "True when part of the record is not confirmed.",
                lambda d: d.provisional,
            ),
            col("provisional_note", STRING, "What is known and what is not.", lambda d: d.provisional_note),
        ],
        items=lambda params: platform_queryset(),
    )
)


# One printable pack per published round, so not part of the site-wide dataset.
meeting_pack = Export(
    "meeting_pack",
    "Meeting pack",
    "A published round's figures, what changed since the previous round, and the missing reports.",
    [
        col("section", STRING, "plan, goal, change or missing_report.", lambda r: r[0]),
        col("item", STRING, "The plan, goal or deliverable concerned.", lambda r: r[1]),
        col("percent_complete", NUMBER, "Percent complete at this round.", lambda r: r[2]),
        col("status", STRING, "Status at this round.", lambda r: r[3]),
        col("schedule", STRING, "Schedule assessment at this round.", lambda r: r[4]),
        col(
            "previous_percent_complete",
            NUMBER,
            "Percent at the previous published round (changes).",
            lambda r: r[5],
        ),
        col("previous_status", STRING, "Status at the previous published round (changes).", lambda r: r[6]),
        col("body", STRING, "Body that owes a report (missing reports).", lambda r: r[7]),
        col(
            "member_state",
            STRING,
            "Member state of the missing report, for state-by-state deliverables.",
            lambda r: r[8],
        ),
    ],
)


def meeting_pack_rows(plan, progress, goals, changes, missing):
    figure = progress.figure
    yield ("plan", plan.title, figure.percent, figure.status, figure.schedule, None, None, None, None)
    for goal in goals:
        f = progress.goals[goal.pk]
        yield (
            "goal",
            f"Goal {goal.number}: {goal.title}",
            f.percent,
            f.status,
            f.schedule,
            None,
            None,
            None,
            None,
        )
    for change in changes:
        before, after = change.before, change.after
        yield (
            "change",
            f"{change.deliverable.code} {change.deliverable.title}",
            after.percent,
            after.status,
            after.schedule,
            before.percent if before else None,
            before.status if before else None,
            None,
            None,
        )
    for item in missing:
        state = item.member_state.iso_code if item.member_state else None
        yield (
            "missing_report",
            f"{item.deliverable.code} {item.deliverable.title}",
            None,
            None,
            None,
            None,
            None,
            str(item.body),
            state,
        )
