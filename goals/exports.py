"""CSV exports of the plan's public lists (see tracker.core.exports). Approved data only.

Every figure in them comes from the plan's computed figures (``goals.progress``), the same
ones the pages, the API and the meeting pack show.
"""

from functools import partial
from typing import NamedTuple

from django.db.models import Prefetch

from goals.forecast import forecasts_as_of
from goals.indicators import indicator_data
from goals.indicators import series as indicator_series_of
from goals.models import (
    ActionPlan,
    Deliverable,
    Initiative,
    MemberState,
    ProgressUpdate,
    Responsibility,
)
from goals.progress import (
    COUNTED,
    METHOD_VERSION,
    NO_DATA,
    STATUS_LABELS,
    cached_plan_data,
    plan_data_holding,
)
from goals.quality import quality_as_of
from goals.scorecard import plan_scores
from goals.selectors import lineage_initiative, lineage_rows
from goals.snapshots import progress_as_of
from tracker.core.cache import derived_from_data
from tracker.core.exports import BOOLEAN, DATE, INTEGER, NUMBER, STRING, Export, col, field, register

PLAN_QUALIFIER = {"plan": lambda slug: ActionPlan.objects.filter(slug=slug).first()}


class Row(NamedTuple):
    record: object  # an initiative or a deliverable
    figure: object  # its goals.progress.Figure
    forecast: object = None  # its goals.forecast.Forecast, None for a part the figures do not know


def _plans(params):
    """The plans a site-wide file covers: the one asked for, else all, newest first."""
    return [params["plan"]] if "plan" in params else list(ActionPlan.objects.order_by("-start_year"))


def with_figures(records, level):
    """Pair each initiative or deliverable with its figure, from its plan's data as held.

    A deliverable's initiative (with its goal and plan) is taken from that data too, rather
    than joined and built again for every row of the file.
    """
    progress, forecasts, initiatives, plans = {}, {}, {}, {}

    def hold(plan, keys=()):
        """The plan's figures, read afresh when the data held lacks records the query found."""
        data = plan_data_holding(cached_plan_data(plan), level, keys)
        plans[plan.pk], progress[plan.pk] = plan, progress_as_of(data)
        forecasts[plan.pk] = forecasts_as_of(data)
        initiatives.update((initiative.pk, initiative) for initiative in data.initiatives)

    if level == "deliverables":
        records = records.select_related(None)
    for record in records.iterator(chunk_size=2000):
        if level == "deliverables":
            if record.initiative_id not in initiatives:
                plan = Initiative.objects.select_related("plan").get(pk=record.initiative_id).plan
                hold(plan, [record.pk])
            record.initiative = initiatives[record.initiative_id]
            plan_id = record.initiative.plan_id
        else:
            plan_id = record.plan_id
            if plan_id not in progress:
                hold(record.plan)
        if record.pk not in getattr(progress[plan_id], level):
            hold(plans[plan_id], [record.pk])
        yield Row(
            record, getattr(progress[plan_id], level)[record.pk], forecasts[plan_id].of(level, record.pk)
        )


COUNT_MEANINGS = {  # in the order figures count them
    status: "with no approved progress" if status == NO_DATA else STATUS_LABELS[status].lower()
    for status in COUNTED
}


def counted(status, row):
    return row.figure.counts[status]


def figure_columns(what):
    """The columns every computed figure has in every file (see /methodology/)."""
    return [
        col(
            "percent_complete",
            NUMBER,
            f"Percent of the {what} delivered, 0 to 100: the weighted mean of its parts, parts without "
            "approved progress counting as 0. Empty when dropped.",
            lambda r: r.figure.percent,
        ),
        col(
            "status",
            STRING,
            "Computed status: not_started, in_progress, on_hold, completed, dropped or no_data.",
            lambda r: r.figure.status,
        ),
        col(
            "schedule",
            STRING,
            "Computed schedule assessment: on_track, at_risk, off_track, overdue, completed, not_yet_due, "
            "no_data or dropped.",
            lambda r: r.figure.schedule,
        ),
        col(
            "expected_percent",
            NUMBER,
            "Percent expected by the assessment date (linear over the planned period).",
            lambda r: r.figure.expected,
        ),
        col(
            "planned_end_effective",
            DATE,
            "Planned end used for the schedule.",
            lambda r: r.figure.planned_end,
        ),
        col(
            "overdue_days",
            INTEGER,
            "Days past the planned end, when overdue.",
            lambda r: r.figure.overdue_days,
        ),
        col(
            "percent_at_plan_end",
            NUMBER,
            "Percent delivered by the end of the plan's period, once that is over.",
            lambda r: r.figure.at_plan_end,
        ),
        col(
            "deliverables_total",
            INTEGER,
            "Deliverables it covers, not counting dropped ones (1 for a deliverable).",
            lambda r: r.figure.total,
        ),
        col(
            "deliverables_reported",
            INTEGER,
            "Of those, the ones with approved progress.",
            lambda r: r.figure.reported,
        ),
        *(
            col(f"count_{status}", INTEGER, f"Deliverables {meaning}.", partial(counted, status))
            for status, meaning in COUNT_MEANINGS.items()
        ),
        col(
            "method_version",
            INTEGER,
            "Version of the progress method used (see /methodology/).",
            lambda r: METHOD_VERSION,
        ),
    ]


def _forecast(attribute):
    return lambda r: getattr(r.forecast, attribute) if r.forecast is not None else None


def forecast_columns():
    """The completion forecast of each initiative or deliverable (see /methodology/#forecasts)."""
    return [
        col(
            "forecast_status",
            STRING,
            "Completion forecast: on_course (to finish by the plan's end), off_course (will not at this pace), "
            "no_pace (no progress: no date), not_enough_data, plan_ended (the plan's period is over and it is "
            "not completed), completed or dropped.",
            _forecast("status"),
        ),
        col(
            "forecast_pace_per_year",
            NUMBER,
            "Pace of its approved progress, percentage points a year: from its first dated point to its latest.",
            _forecast("pace"),
        ),
        col(
            "forecast_completion",
            DATE,
            "Projected completion: the first day its latest point, carried forward at that pace, reaches 100 %.",
            _forecast("projected"),
        ),
        col(
            "forecast_earliest",
            DATE,
            "Earliest projected completion: at the fastest pace read from an earlier point six months or more "
            "before the latest.",
            _forecast("earliest"),
        ),
        col(
            "forecast_latest",
            DATE,
            "Latest projected completion: at the slowest such pace; empty when that pace is zero.",
            _forecast("latest"),
        ),
        col(
            "forecast_pace_needed_per_year",
            NUMBER,
            "Pace needed to finish by the plan's end, percentage points a year, from forecast_pace_needed_from.",
            _forecast("pace_needed"),
        ),
        col(
            "forecast_pace_needed_from",
            DATE,
            "The forecast's date (today, or the round's close); once the plan has ended, its first dated point.",
            _forecast("needed_from"),
        ),
    ]


SOURCE_COLUMNS = [
    col(
        "provisional",
        BOOLEAN,
        "True when part of the record is not confirmed by a source.",
        lambda r: r.record.provisional,
    ),
    col("provisional_note", STRING, "What is known and what is not.", lambda r: r.record.provisional_note),
    col("source_url", STRING, "Where the record's facts come from.", lambda r: r.record.source_url),
]

initiatives = register(
    Export(
        "initiatives",
        "Initiatives",
        "Each initiative of each plan with its computed progress.",
        [
            col("plan", STRING, "Plan identifier, e.g. 2016-2025.", lambda r: r.record.plan.slug),
            col(
                "goal_number",
                INTEGER,
                "Number of its strategic goal in the plan.",
                lambda r: r.record.goal.number,
            ),
            col(
                "initiative_number",
                INTEGER,
                "Number of the initiative in the plan.",
                lambda r: r.record.number,
            ),
            col("title", STRING, "Short title, paraphrased.", lambda r: r.record.title),
            col("weight", NUMBER, "Weight in its goal's mean.", lambda r: r.record.weight),
            *figure_columns("initiative"),
            *SOURCE_COLUMNS,
            *forecast_columns(),  # last, so that the columns before them keep their places
        ],
        items=lambda params: with_figures(
            Initiative.objects.filter(plan__in=_plans(params))
            .select_related("plan", "goal")
            .order_by("-plan__start_year", "number"),
            "initiatives",
        ),
        qualifiers=PLAN_QUALIFIER,
    )
)

deliverables = register(
    Export(
        "deliverables",
        "Deliverables",
        "Each deliverable of each plan, with its computed progress and its web address where it is a platform.",
        [
            col("plan", STRING, "Plan identifier, e.g. 2016-2025.", lambda r: r.record.initiative.plan.slug),
            col(
                "goal_number",
                INTEGER,
                "Number of its strategic goal.",
                lambda r: r.record.initiative.goal.number,
            ),
            col(
                "initiative_number",
                INTEGER,
                "Number of its initiative.",
                lambda r: r.record.initiative.number,
            ),
            col(
                "deliverable_code",
                STRING,
                "Code of the deliverable within its initiative, e.g. 5.1.",
                lambda r: r.record.code,
            ),
            col("title", STRING, "Short title, paraphrased.", lambda r: r.record.title),
            col(
                "kind",
                STRING,
                "output, study, guideline, platform, network, accession or event.",
                lambda r: r.record.kind,
            ),
            col(
                "per_member_state",
                BOOLEAN,
                "True when each member state reports its own progress.",
                lambda r: r.record.per_member_state,
            ),
            col(
                "expected_states",
                INTEGER,
                "Member states expected to act on it, less those for which it was dropped (state-by-state deliverables).",
                lambda r: r.figure.expected_states,
            ),
            col(
                "reporting_states",
                INTEGER,
                "Of those, the member states with approved progress.",
                lambda r: r.figure.reporting_states,
            ),
            col(
                "states_done",
                INTEGER,
                "Of those, the member states that have completed it.",
                lambda r: r.figure.states_done,
            ),
            col("planned_start", DATE, "Planned start date, as recorded.", lambda r: r.record.planned_start),
            col("planned_end", DATE, "Planned end date, as recorded.", lambda r: r.record.planned_end),
            col("weight", NUMBER, "Weight in its initiative's mean.", lambda r: r.record.weight),
            col("dropped_in", STRING, "Plan version that dropped it, if any.", lambda r: r.record.dropped_in),
            col("url", STRING, "Web address of the output (platforms).", lambda r: r.record.url),
            *figure_columns("deliverable"),
            *SOURCE_COLUMNS,
            *forecast_columns(),  # last, so that the columns before them keep their places
        ],
        items=lambda params: with_figures(
            Deliverable.objects.filter(initiative__plan__in=_plans(params))
            .select_related("initiative__plan", "initiative__goal")
            .order_by("-initiative__plan__start_year", "initiative__number", "sort_key"),
            "deliverables",
        ),
        qualifiers=PLAN_QUALIFIER,
    )
)

UPDATE_COLUMNS = [
    field("plan", STRING, "Plan identifier.", "deliverable__initiative__plan__slug"),
    field("deliverable_code", STRING, "Code of the deliverable.", "deliverable__code"),
    field("deliverable_title", STRING, "Title of the deliverable.", "deliverable__title"),
    field(
        "member_state",
        STRING,
        "ISO 3166 code of the member state, for state-by-state deliverables.",
        "member_state__iso_code",
    ),
    field(
        "status",
        STRING,
        "Reported status: not_started, in_progress, completed, on_hold or dropped.",
        "status",
    ),
    field("percent_complete", INTEGER, "Reported percent complete, 0 to 100.", "percent_complete"),
    field("reported_on", DATE, "Date the progress refers to.", "reported_on"),
    field(
        "reported_on_precision",
        STRING,
        "day, month or year: how precisely the source gives the date.",
        "reported_on_precision",
    ),
    field(
        "reporting_round",
        STRING,
        "Reporting round it was reported in; empty for facts from public sources.",
        "round__name",
    ),
    field("narrative", STRING, "What happened.", "narrative"),
    field("evidence_url", STRING, "Link to the evidence or source.", "evidence_url"),
    field(
        "has_evidence_file",
        BOOLEAN,
        "True when an evidence file is attached (download it from the site).",
        "evidence_file",
    ),
    field(
        "evidence_file_sha256",
        STRING,
        "SHA-256 of the attached evidence file, to check a copy against (empty without a file).",
        "evidence_sha256",
    ),
    field(
        "provisional",
        BOOLEAN,
        "True when the date or status is not confirmed by a second source.",
        "provisional",
    ),
    field("provisional_note", STRING, "What is known and what is not.", "provisional_note"),
    field(
        "is_sample",
        BOOLEAN,
        "True for made-up demonstration data, never for real reports.",
        "is_sample",
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
            .order_by("-reported_on", "-pk")
        ),
        qualifiers=PLAN_QUALIFIER,
    )
)


class Cell(NamedTuple):
    member_state: object
    deliverable: object
    update: object  # the latest approved update the figures count, or None


def matrix_items(data, progress):
    """Each cell of a plan's member-state matrix, as its figures count it."""
    columns = [d for d in data.deliverables if d.per_member_state]
    for state, updates in progress.cells(columns, data.expected_states):
        for deliverable, update in zip(columns, updates, strict=True):
            yield Cell(state, deliverable, update)


def _cell(attribute):
    return lambda c: getattr(c.update, attribute) if c.update else None


member_state_matrix = register(
    Export(
        "member_state_matrix",
        "Member-state matrix",
        "One row per member state expected to act and state-by-state deliverable, with the latest approved status.",
        [
            col("plan", STRING, "Plan identifier.", lambda c: c.deliverable.initiative.plan.slug),
            col(
                "member_state",
                STRING,
                "ISO 3166 code of the member state.",
                lambda c: c.member_state.iso_code,
            ),
            col("member_state_name", STRING, "Name of the member state.", lambda c: c.member_state.name),
            col("deliverable_code", STRING, "Code of the deliverable.", lambda c: c.deliverable.code),
            col("deliverable_title", STRING, "Title of the deliverable.", lambda c: c.deliverable.title),
            col(
                "status",
                STRING,
                "Latest approved status, or no_data.",
                lambda c: c.update.status if c.update else "no_data",
            ),
            col("percent_complete", INTEGER, "Latest approved percent.", _cell("percent_complete")),
            col("reported_on", DATE, "Date of the latest approved update.", _cell("reported_on")),
            col("reported_on_precision", STRING, "day, month or year.", _cell("reported_on_precision")),
            col("provisional", BOOLEAN, "True when not confirmed by a second source.", _cell("provisional")),
            col("evidence_url", STRING, "Link to the evidence or source.", _cell("evidence_url")),
        ],
        items=lambda params: (
            cell
            for plan in _plans(params)
            for data in [cached_plan_data(plan)]
            for cell in matrix_items(data, progress_as_of(data))
        ),
        qualifiers=PLAN_QUALIFIER,
    )
)


class ScoreRow(NamedTuple):
    plan: object
    score: object  # a goals.scorecard.StateScore


def _latest(attribute):
    return lambda r: getattr(r.score.latest, attribute) if r.score.latest else None


member_state_scorecard = register(
    Export(
        "member_state_scorecard",
        "Member-state scorecard",
        "One row per plan and member state: its share of the plan's state-by-state deliverables done, "
        "what it still has to do and its latest approved progress (the member-state matrix, summed up).",
        [
            col("plan", STRING, "Plan identifier.", lambda r: r.plan.slug),
            col(
                "member_state", STRING, "ISO 3166 code of the member state.", lambda r: r.score.state.iso_code
            ),
            col("member_state_name", STRING, "Name of the member state.", lambda r: r.score.state.name),
            col(
                "expected_to_act",
                BOOLEAN,
                "Whether it is expected to act on the plan: it had joined ASEAN by the end of the plan's period.",
                lambda r: r.score.expected,
            ),
            col(
                "deliverables_expected",
                INTEGER,
                "State-by-state deliverables it is expected to act on (not dropped, for the plan or for it).",
                lambda r: r.score.total if r.score.expected else None,
            ),
            col(
                "deliverables_done",
                INTEGER,
                "Of those, the ones it has completed.",
                lambda r: len(r.score.done) if r.score.expected else None,
            ),
            col(
                "share_done",
                NUMBER,
                "Percent of those it has completed, 0 to 100 (never 100 unless all are). Empty when it has none.",
                lambda r: r.score.share,
            ),
            col(
                "still_to_do",
                INTEGER,
                "Of those, the ones it has not completed.",
                lambda r: len(r.score.to_do) if r.score.expected else None,
            ),
            col(
                "still_to_do_codes",
                STRING,
                "Codes of the deliverables it has still to do, separated by semicolons.",
                lambda r: ";".join(d.code for d in r.score.to_do),
            ),
            col(
                "latest_update_on",
                DATE,
                "Date of its latest approved progress on the plan.",
                _latest("reported_on"),
            ),
            col(
                "latest_update_deliverable",
                STRING,
                "Code of the deliverable that progress is on.",
                lambda r: r.score.latest_deliverable.code if r.score.latest_deliverable else None,
            ),
            col("latest_update_status", STRING, "Status that progress reports.", _latest("status")),
            col(
                "latest_evidence_url",
                STRING,
                "Link to its evidence or source, when it has one.",
                _latest("evidence_url"),
            ),
            col("method_version", INTEGER, "Version of the progress method.", lambda r: METHOD_VERSION),
        ],
        items=lambda params: (
            ScoreRow(plan, score)
            for plan in _plans(params)
            for data in [cached_plan_data(plan)]
            for score in plan_scores(data, progress_as_of(data), member_states())
        ),
        qualifiers=PLAN_QUALIFIER,
    )
)


class QualityRow(NamedTuple):
    plan: object
    reporting_round: object  # None: the latest approved progress
    scope: str  # plan, deliverable or member_state
    subject: object  # the deliverable or member state; None for the plan
    tally: object  # its goals.quality.Tally


def quality_rows(data):
    """A plan's data-quality scores now and at each published round: the plan's, then each
    deliverable's (not dropped), then each member state's."""
    for reporting_round in (None, *reversed(data.published_rounds)):
        found = quality_as_of(data, reporting_round)
        yield QualityRow(data.plan, reporting_round, "plan", None, found.plan)
        for deliverable in data.deliverables:
            if deliverable.pk in found.deliverables:
                yield QualityRow(
                    data.plan, reporting_round, "deliverable", deliverable, found.deliverables[deliverable.pk]
                )
        for state in data.expected_states:
            if state.pk in found.states:
                yield QualityRow(data.plan, reporting_round, "member_state", state, found.states[state.pk])


def _part(name):
    return lambda r: r.tally.part(name)


def _tally(attribute):
    return lambda r: getattr(r.tally, attribute)


data_quality = register(
    Export(
        "data_quality",
        "Data-quality scores",
        "How far to trust the figures: a score from 0 to 100 and a grade per plan, deliverable and member "
        "state, now and at each published round, with the four parts it is the mean of (see /methodology/).",
        [
            col("plan", STRING, "Plan identifier.", lambda r: r.plan.slug),
            col(
                "round",
                INTEGER,
                "Number of the published round the score is as of; empty for the latest approved progress.",
                lambda r: r.reporting_round.pk if r.reporting_round else None,
            ),
            col(
                "round_name",
                STRING,
                "Name of that round.",
                lambda r: r.reporting_round.name if r.reporting_round else None,
            ),
            col("scope", STRING, "What is scored: plan, deliverable or member_state.", lambda r: r.scope),
            col(
                "deliverable_code",
                STRING,
                "Code of the deliverable (deliverable rows).",
                lambda r: r.subject.code if r.scope == "deliverable" else None,
            ),
            col(
                "member_state",
                STRING,
                "ISO 3166 code of the member state (member_state rows: its reports on state-by-state deliverables).",
                lambda r: r.subject.iso_code if r.scope == "member_state" else None,
            ),
            col(
                "score",
                NUMBER,
                "Data-quality score, 0 to 100: the mean of the parts that can be measured; empty when none can.",
                _tally("score"),
            ),
            col("grade", STRING, "good, fair, weak or not_rated.", _tally("grade")),
            col(
                "timeliness",
                NUMBER,
                "Percent of the reports owed in the published rounds that were approved in the round they were owed in.",
                _part("timeliness"),
            ),
            col(
                "completeness",
                NUMBER,
                "Percent of the rows expected to report that have approved progress.",
                _part("completeness"),
            ),
            col(
                "evidence_coverage",
                NUMBER,
                "Percent of the approved updates counted that have evidence.",
                _part("evidence"),
            ),
            col(
                "freshness",
                NUMBER,
                "Mean freshness of the rows still owing progress: 100 with an update in the latest published round, "
                "falling evenly to 0 after the rounds that make a deliverable stale.",
                _part("freshness"),
            ),
            col("reports_owed", INTEGER, "Reports owed in the published rounds so far.", _tally("owed")),
            col(
                "reports_on_time",
                INTEGER,
                "Of those, approved in the round they were owed in.",
                _tally("on_time"),
            ),
            col(
                "rows_expected",
                INTEGER,
                "Rows expected to report: a deliverable, or each member state expected to act on a state-by-state one.",
                _tally("rows"),
            ),
            col("rows_reported", INTEGER, "Of those, the ones with approved progress.", _tally("reported")),
            col("updates", INTEGER, "Approved updates counted.", _tally("updates")),
            col(
                "updates_with_evidence", INTEGER, "Of those, the ones with evidence.", _tally("with_evidence")
            ),
            col(
                "rows_still_owing",
                INTEGER,
                "Rows not completed or dropped, once a round is published.",
                _tally("open_rows"),
            ),
        ],
        items=lambda params: (row for plan in _plans(params) for row in quality_rows(cached_plan_data(plan))),
        qualifiers=PLAN_QUALIFIER,
    )
)


def member_states():
    """Every member state, by name, kept until the data changes."""
    return derived_from_data("member-states", lambda: tuple(MemberState.objects.order_by("name")))


def platform_queryset():
    launches = ProgressUpdate.objects.public().filter(status=ProgressUpdate.Status.COMPLETED)
    return (
        Deliverable.objects.filter(kind=Deliverable.Kind.PLATFORM)
        .select_related("initiative__plan")
        .prefetch_related(
            Prefetch("progress_updates", queryset=launches.order_by("reported_on"), to_attr="launches"),
            "involvements",  # the partners app's relation, each with its partner
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
        items=lambda params: platform_queryset().filter(initiative__plan__in=_plans(params)),
        qualifiers=PLAN_QUALIFIER,
    )
)


lineage = register(
    Export(
        "lineage",
        "Plan lineage",
        "What became of each initiative and deliverable of a plan in the plan that follows it "
        "(the crosswalk), with the source of each link or why it is provisional.",
        [
            col("from_plan", STRING, "Plan the item belongs to, e.g. 2016-2025.", lambda k: k.plan.slug),
            col(
                "from_initiative_number",
                INTEGER,
                "Number of the item's initiative (the initiative itself, or the deliverable's).",
                lambda k: lineage_initiative(k).number,
            ),
            col(
                "from_deliverable_code",
                STRING,
                "Code of the deliverable; empty when the item is an initiative.",
                lambda k: k.deliverable.code if k.deliverable_id else None,
            ),
            col("from_title", STRING, "Title of the item.", lambda k: k.item.title),
            col(
                "fate",
                STRING,
                "What became of it: continued, merged_into, split_into, replaced_by, dropped, completed "
                "or not_yet_known.",
                lambda k: k.fate,
            ),
            col(
                "to_plan",
                STRING,
                "Plan it leads to; empty when it leads to no item.",
                lambda k: k.to_plan.slug if k.to_plan else None,
            ),
            col(
                "to_initiative_numbers",
                STRING,
                "Initiatives of that plan it leads to, separated by semicolons.",
                lambda k: ";".join(str(i.number) for i in k.to_initiatives.all()),
            ),
            col(
                "to_deliverable_codes",
                STRING,
                "Deliverables of that plan it leads to, separated by semicolons.",
                lambda k: ";".join(d.code for d in k.to_deliverables.all()),
            ),
            col("note", STRING, "How the fate was judged.", lambda k: k.note),
            col(
                "provisional",
                BOOLEAN,
                "True when no source confirms the fate.",
                lambda k: k.provisional,
            ),
            col("provisional_note", STRING, "What is known and what is not.", lambda k: k.provisional_note),
            col(
                "source_url",
                STRING,
                "Where the fate comes from; empty for an item recorded as completed from its approved progress.",
                lambda k: k.source_url,
            ),
        ],
        items=lambda params: lineage_rows(params.get("plan")),
        qualifiers=PLAN_QUALIFIER,
    )
)


class PackRow(NamedTuple):
    """One line of a meeting pack: a figure, a change since the previous round, or a missing report."""

    section: str  # plan, goal, initiative, deliverable, change or missing_report
    item: str
    figure: object = None
    previous: object = None  # the figure at the previous published round (changes)
    body: str | None = None  # who owes the report (missing reports)
    member_state: str | None = None
    method_version: int | None = None  # of the figures (see /methodology/)


def figure_rows(data, progress):
    """The plan, then each goal followed by its initiatives, each followed by its deliverables."""
    version = progress.method_version
    rows = [PackRow("plan", data.plan.title, progress.figure, method_version=version)]
    for goal in data.goals:
        label = f"{data.plan.goal_label} {goal.number}: {goal.title}"
        rows.append(PackRow("goal", label, progress.goals[goal.pk], method_version=version))
        for initiative in (i for i in data.initiatives if i.goal_id == goal.pk):
            label = f"Initiative {initiative.number}: {initiative.title}"
            rows.append(
                PackRow("initiative", label, progress.initiatives[initiative.pk], method_version=version)
            )
            for deliverable in (d for d in data.deliverables if d.initiative_id == initiative.pk):
                label = f"{deliverable.code} {deliverable.title}"
                figure = progress.deliverables[deliverable.pk]
                rows.append(PackRow("deliverable", label, figure, method_version=version))
    return rows


def meeting_pack_rows(data, progress, changes, missing):
    yield from figure_rows(data, progress)
    for change in changes:
        label = f"{change.deliverable.code} {change.deliverable.title}"
        yield PackRow("change", label, change.after, change.before, method_version=progress.method_version)
    for item in missing:
        state = item.member_state.iso_code if item.member_state else None
        label = f"{item.deliverable.code} {item.deliverable.title}"
        yield PackRow("missing_report", label, body=str(item.body), member_state=state)


def _figure(attribute, of="figure"):
    return lambda r: getattr(getattr(r, of), attribute) if getattr(r, of) is not None else None


# One printable pack per published round, so not part of the site-wide dataset.
meeting_pack = Export(
    "meeting_pack",
    "Meeting pack",
    "A published round's figures for the plan, its goals, initiatives and deliverables, what changed since "
    "the previous round, and the missing reports.",
    [
        col(
            "section",
            STRING,
            "plan, goal, initiative, deliverable, change or missing_report.",
            lambda r: r.section,
        ),
        col("item", STRING, "The plan, goal, initiative or deliverable concerned.", lambda r: r.item),
        col("percent_complete", NUMBER, "Percent delivered at this round.", _figure("percent")),
        col("status", STRING, "Status at this round.", _figure("status")),
        col("schedule", STRING, "Schedule assessment at this round.", _figure("schedule")),
        col(
            "deliverables_total",
            INTEGER,
            "Deliverables it covers, not counting dropped ones.",
            _figure("total"),
        ),
        col(
            "deliverables_reported",
            INTEGER,
            "Of those, the ones with approved progress.",
            _figure("reported"),
        ),
        col(
            "previous_percent_complete",
            NUMBER,
            "Percent at the previous published round (changes).",
            _figure("percent", "previous"),
        ),
        col(
            "previous_status",
            STRING,
            "Status at the previous published round (changes).",
            _figure("status", "previous"),
        ),
        col("body", STRING, "Body that owes a report (missing reports).", lambda r: r.body),
        col(
            "member_state",
            STRING,
            "Member state of the missing report, for state-by-state deliverables.",
            lambda r: r.member_state,
        ),
        col(
            "method_version",
            INTEGER,
            "Version of the progress method behind the figures.",
            lambda r: r.method_version,
        ),
    ],
)


class ComparedLine(NamedTuple):
    """One line of a comparison: a part of the plan at both rounds (goals.comparison)."""

    compared: object  # the goals.comparison.Comparison
    row: object  # its goals.comparison.ComparedRow


def comparison_lines(compared):
    return (ComparedLine(compared, row) for row in compared.rows)


def _at(side, attribute):
    return lambda line: getattr(getattr(line.row, side), attribute)


def _number_of(level):
    return lambda line: line.row.record.number if line.row.level == level else None


# One file per pair of published rounds, so (like the meeting pack) not part of the site-wide dataset.
comparison = Export(
    "comparison",
    "Comparison of two rounds",
    "The plan, each goal, initiative and deliverable as published at two reporting rounds, the change, "
    "and how many approved updates came in between.",
    [
        col("plan", STRING, "Plan identifier.", lambda line: line.compared.plan.slug),
        col("from_round", INTEGER, "Number of the earlier round.", lambda line: line.compared.earlier.pk),
        col("from_round_name", STRING, "Name of the earlier round.", lambda line: line.compared.earlier.name),
        col("to_round", INTEGER, "Number of the later round.", lambda line: line.compared.later.pk),
        col("to_round_name", STRING, "Name of the later round.", lambda line: line.compared.later.name),
        col("level", STRING, "plan, goal, initiative or deliverable.", lambda line: line.row.level),
        col("goal_number", INTEGER, "Number of the goal (goal rows).", _number_of("goal")),
        col(
            "initiative_number",
            INTEGER,
            "Number of the initiative (initiative rows).",
            _number_of("initiative"),
        ),
        col(
            "deliverable_code",
            STRING,
            "Code of the deliverable (deliverable rows).",
            lambda line: line.row.record.code if line.row.level == "deliverable" else None,
        ),
        col(
            "item",
            STRING,
            "The plan, goal, initiative or deliverable, in words.",
            lambda line: line.row.label,
        ),
        col(
            "from_percent_complete",
            NUMBER,
            "Percent delivered at the earlier round; empty when dropped or not yet part of the plan.",
            _at("before", "percent"),
        ),
        col(
            "to_percent_complete",
            NUMBER,
            "Percent delivered at the later round; empty when dropped.",
            _at("after", "percent"),
        ),
        col(
            "change_points",
            NUMBER,
            "to_percent_complete minus from_percent_complete, in percentage points; empty when either is.",
            lambda line: line.row.change,
        ),
        col("from_status", STRING, "Computed status at the earlier round.", _at("before", "status")),
        col("to_status", STRING, "Computed status at the later round.", _at("after", "status")),
        col("from_schedule", STRING, "Schedule assessment at the earlier round.", _at("before", "schedule")),
        col("to_schedule", STRING, "Schedule assessment at the later round.", _at("after", "schedule")),
        col(
            "updates_between",
            INTEGER,
            "Approved updates on it that the later round counts and the earlier did not (deliverable rows).",
            lambda line: len(line.row.updates) if line.row.level == "deliverable" else None,
        ),
        col(
            "method_version",
            INTEGER,
            "Version of the progress method behind the later round's figures.",
            lambda line: line.compared.after.method_version,
        ),
    ],
)


# Indicators: their series come from goals.indicators, the one place they are read and computed.


def indicator_series(plans, as_of=None):
    """The series of every indicator of ``plans``, on each plan's latest figures (or as of a
    published round of a single plan)."""
    for plan in plans:
        data = indicator_data(plan)
        indicators = data.of_plan(plan)
        if not indicators:
            continue
        plan_data = cached_plan_data(plan)
        progress = progress_as_of(plan_data, as_of)
        for indicator in indicators:
            yield indicator_series_of(indicator, data, plan_data, progress)


class ValueRow(NamedTuple):
    series: object
    point: object


def indicator_value_rows(all_series):
    """Each value of each series: the region's, then each member state's."""
    for one in all_series:
        for point in one.points:
            yield ValueRow(one, point)
        for row in one.states:
            for point in row.points or ((row.latest,) if row.latest else ()):
                yield ValueRow(one, point)


def measured(indicator):
    """What an indicator measures, in words: "deliverable 5.1"."""
    if indicator.deliverable_id:
        return f"deliverable {indicator.deliverable.code}"
    if indicator.initiative_id:
        return f"initiative {indicator.initiative.number}"
    return f"goal {indicator.goal.number}"


def _mark(attribute, which):
    def value(s):
        mark = s.baseline if which == "baseline" else s.target
        return getattr(mark, attribute) if mark is not None else None

    return value


def _latest(attribute):
    return lambda s: getattr(s.latest, attribute) if s.latest is not None else None


indicators = register(
    Export(
        "indicators",
        "Indicators",
        "Each indicator of each plan: what it measures, its baseline, its target and its latest value "
        "(approved values only; computed indicators from the tracker's own records).",
        [
            col("plan", STRING, "Plan identifier.", lambda s: s.indicator.plan.slug),
            col("indicator", STRING, "The indicator's identifier in its plan.", lambda s: s.indicator.slug),
            col("name", STRING, "The indicator's name.", lambda s: s.indicator.name),
            col(
                "measures",
                STRING,
                "The goal, initiative or deliverable it measures.",
                lambda s: measured(s.indicator),
            ),
            col("unit", STRING, "What a value counts.", lambda s: s.indicator.unit),
            col("kind", STRING, "number, percent or yes_no (1 yes, 0 no).", lambda s: s.indicator.kind),
            col(
                "direction", STRING, "higher or lower: which way is better.", lambda s: s.indicator.direction
            ),
            col(
                "per_member_state",
                BOOLEAN,
                "Whether it has values per member state.",
                lambda s: s.indicator.per_member_state,
            ),
            col(
                "computed",
                STRING,
                "Empty when its values are entered and reviewed; else how it is computed (states_completed: "
                "member states that have completed the deliverable it counts, by year).",
                lambda s: s.indicator.computed,
            ),
            col("baseline_value", NUMBER, "The baseline.", _mark("value", "baseline")),
            col("baseline_date", DATE, "The date of the baseline.", _mark("date", "baseline")),
            col(
                "baseline_source_url",
                STRING,
                "The source of the baseline (for a computed one, the page of the deliverable it counts).",
                _mark("source", "baseline"),
            ),
            col("target_value", NUMBER, "The last target.", _mark("value", "target")),
            col("target_date", DATE, "When the last target is to be reached.", _mark("date", "target")),
            col("latest_value", NUMBER, "The latest approved (or computed) value.", _latest("value")),
            col("latest_date", DATE, "The date of the latest value.", _latest("date")),
            col(
                "provisional",
                BOOLEAN,
                "Some of the record is not confirmed by a source.",
                lambda s: s.indicator.provisional,
            ),
            col("is_sample", BOOLEAN, "Made up for demonstrations.", lambda s: s.indicator.is_sample),
        ],
        items=lambda params: indicator_series(_plans(params)),
        qualifiers=PLAN_QUALIFIER,
    )
)

indicator_values = register(
    Export(
        "indicator_values",
        "Indicator values",
        "Every approved (or computed) value of every indicator, each with its source: the region's "
        "values, then each member state's.",
        [
            col("plan", STRING, "Plan identifier.", lambda r: r.series.indicator.plan.slug),
            col(
                "indicator",
                STRING,
                "The indicator's identifier in its plan.",
                lambda r: r.series.indicator.slug,
            ),
            col(
                "member_state",
                STRING,
                "ISO 3166 code of the member state, for a state's own value; empty for the region's.",
                lambda r: r.point.state.iso_code if r.point.state else "",
            ),
            col("measured_on", DATE, "The date the value refers to.", lambda r: r.point.date),
            col("value", NUMBER, "The value (yes or no: 1 or 0).", lambda r: r.point.value),
            col(
                "reporting_round",
                STRING,
                "The reporting round it was reported in; empty outside a round.",
                lambda r: r.point.round.name if r.point.round else "",
            ),
            col(
                "source_url",
                STRING,
                "Where the value can be checked; several sources are separated by spaces.",
                lambda r: " ".join(source.url for source in r.point.sources),
            ),
            col("note", STRING, "A note on the value.", lambda r: r.point.note),
            col(
                "computed",
                BOOLEAN,
                "Computed from the tracker's records, never typed in.",
                lambda r: r.series.indicator.is_computed,
            ),
            col("is_sample", BOOLEAN, "Made up for demonstrations.", lambda r: r.point.is_sample),
        ],
        items=lambda params: indicator_value_rows(indicator_series(_plans(params))),
        qualifiers=PLAN_QUALIFIER,
    )
)
