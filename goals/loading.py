"""Load the plans, their structure, bodies and documented progress from ``goals/data/``.

One function per data file, in dependency order. The README's "Plan data" section
describes the files and their columns.
"""

from pathlib import Path

from goals.models import (
    ActionPlan,
    Body,
    Deliverable,
    Indicator,
    Initiative,
    LineageLink,
    MemberState,
    ProgressUpdate,
    Responsibility,
    StrategicGoal,
)
from tracker.core.loading import DataFileError, lookup, read_rows, sync, sync_many

DATA_DIR = Path(__file__).resolve().parent / "data"

# Updates loaded from the data files are documented public facts, so they are public at once.
LOADED_REVIEW_NOTE = "Recorded from a public source through the plan data files."


class PlanIndex:
    """The records rows refer to, by the keys the data files use."""

    def __init__(self):
        self.plans = {}
        self.goals = {}
        self.initiatives = {}
        self.deliverables = {}
        self.member_states = {}
        self.bodies = {}

    def deliverable(self, plan, code, where):
        return lookup(self.deliverables, (plan, code), where, "deliverable (plan, code)")

    def initiative(self, plan, number, where):
        return lookup(self.initiatives, (plan, number), where, "initiative (plan, number)")


def sourced(row):
    return {
        "source_url": row.text("source_url"),
        "provisional": row.flag("provisional"),
        "provisional_note": row.text("provisional_note"),
    }


def load_member_states(data_dir, index, report):
    for row in read_rows(data_dir / "member_states.csv", ["iso_code", "name", "slug", "joined_asean_on"]):
        state = sync(
            MemberState,
            {"iso_code": row.required("iso_code")},
            {
                "name": row.required("name"),
                "slug": row.required("slug"),
                "joined_asean_on": row.date("joined_asean_on"),
                "source_url": row.text("source_url"),
            },
            report=report,
            where=row.where,
        )
        index.member_states[state.iso_code] = state


def load_bodies(data_dir, index, report):
    columns = ["slug", "name", "acronym", "kind", "member_state", "parent", "website", "description"]
    for row in read_rows(data_dir / "bodies.csv", columns):
        state = row.text("member_state")
        parent = row.text("parent")
        body = sync(
            Body,
            {"slug": row.required("slug")},
            {
                "name": row.required("name"),
                "acronym": row.text("acronym"),
                "kind": row.required("kind"),
                "member_state_id": lookup(index.member_states, state, row.where, "member state").pk
                if state
                else None,
                "parent_id": lookup(index.bodies, parent, row.where, "parent body (list it earlier)").pk
                if parent
                else None,
                "website": row.text("website"),
                "description": row.text("description"),
                **sourced(row),
            },
            report=report,
            where=row.where,
        )
        index.bodies[body.slug] = body


def load_plans(data_dir, index, report):
    columns = [
        "slug",
        "title",
        "start_year",
        "end_year",
        "version_label",
        "adopted_on",
        "predecessor",
        "summary",
        "goal_term",
        "stated_goal_count",
    ]
    for row in read_rows(data_dir / "plans.csv", columns):
        predecessor = row.text("predecessor")
        plan = sync(
            ActionPlan,
            {"slug": row.required("slug")},
            {
                "title": row.required("title"),
                "start_year": row.integer("start_year"),
                "end_year": row.integer("end_year"),
                "version_label": row.text("version_label"),
                "adopted_on": row.date("adopted_on"),
                "predecessor_id": lookup(
                    index.plans, predecessor, row.where, "predecessor plan (list it earlier)"
                ).pk
                if predecessor
                else None,
                "summary": row.text("summary"),
                "goal_term": row.text("goal_term") or "strategic goal",
                "stated_goal_count": row.integer("stated_goal_count"),
                **sourced(row),
            },
            report=report,
            where=row.where,
        )
        index.plans[plan.slug] = plan


def load_goals(data_dir, index, report):
    for row in read_rows(data_dir / "goals.csv", ["plan", "number", "title", "description"]):
        plan = lookup(index.plans, row.required("plan"), row.where, "plan")
        goal = sync(
            StrategicGoal,
            {"plan": plan, "number": row.integer("number")},
            {"title": row.required("title"), "description": row.text("description"), **sourced(row)},
            report=report,
            where=row.where,
        )
        index.goals[(plan.slug, goal.number)] = goal


def load_initiatives(data_dir, index, report):
    columns = ["plan", "number", "goal", "title", "description", "planned_start", "planned_end", "weight"]
    for row in read_rows(data_dir / "initiatives.csv", columns):
        plan = lookup(index.plans, row.required("plan"), row.where, "plan")
        goal = lookup(index.goals, (plan.slug, row.integer("goal")), row.where, "goal (plan, number)")
        initiative = sync(
            Initiative,
            {"plan": plan, "number": row.integer("number")},
            {
                "goal_id": goal.pk,
                "title": row.required("title"),
                "description": row.text("description"),
                "planned_start": row.date("planned_start"),
                "planned_end": row.date("planned_end"),
                "weight": row.decimal("weight") or 1,
                **sourced(row),
            },
            report=report,
            where=row.where,
        )
        index.initiatives[(plan.slug, initiative.number)] = initiative


def load_deliverables(data_dir, index, report):
    columns = [
        "plan", "initiative", "code", "title", "kind", "description", "per_member_state",
        "planned_start", "planned_end", "weight", "introduced_in", "dropped_in", "replaces", "url",
    ]  # fmt: skip
    for row in read_rows(data_dir / "deliverables.csv", columns):
        plan_slug = row.required("plan")
        initiative = index.initiative(plan_slug, row.integer("initiative"), row.where)
        code = row.required("code")
        if (plan_slug, code) in index.deliverables:
            raise DataFileError(row.where, f"the code {code!r} is used twice in plan {plan_slug!r}")
        replaces = row.text("replaces")
        deliverable = sync(
            Deliverable,
            {"initiative": initiative, "code": code},
            {
                "title": row.required("title"),
                "kind": row.text("kind") or Deliverable.Kind.OUTPUT,
                "description": row.text("description"),
                "per_member_state": row.flag("per_member_state"),
                "planned_start": row.date("planned_start"),
                "planned_end": row.date("planned_end"),
                "weight": row.decimal("weight") or 1,
                "introduced_in": row.text("introduced_in"),
                "dropped_in": row.text("dropped_in"),
                "replaces_id": index.deliverable(plan_slug, replaces, row.where).pk if replaces else None,
                "url": row.text("url"),
                **sourced(row),
            },
            report=report,
            where=row.where,
        )
        index.deliverables[(plan_slug, code)] = deliverable


def load_responsibilities(data_dir, index, report):
    for row in read_rows(
        data_dir / "responsibilities.csv", ["body", "plan", "initiative", "deliverable", "role"]
    ):
        body = lookup(index.bodies, row.required("body"), row.where, "body")
        initiative, deliverable = target_of(row, index)
        sync(
            Responsibility,
            {
                "body": body,
                "initiative": initiative,
                "deliverable": deliverable,
                "role": row.required("role"),
            },
            {"note": row.text("note"), "source_url": row.text("source_url")},
            report=report,
            where=row.where,
        )


def target_of(row, index):
    """The initiative or the deliverable a row points at: exactly one of the two columns is filled."""
    plan_slug = row.required("plan")
    number, code = row.integer("initiative"), row.text("deliverable")
    if bool(number) == bool(code):
        raise DataFileError(row.where, "fill in either the initiative or the deliverable column, not both")
    if code:
        return None, index.deliverable(plan_slug, code, row.where)
    return index.initiative(plan_slug, number, row.where), None


def load_progress_updates(data_dir, index, report):
    columns = [
        "key", "plan", "deliverable", "member_state", "status", "percent_complete",
        "reported_on", "reported_on_precision", "narrative", "evidence_url",
    ]  # fmt: skip
    for row in read_rows(data_dir / "progress_updates.csv", columns):
        deliverable = index.deliverable(row.required("plan"), row.required("deliverable"), row.where)
        state = row.text("member_state")
        sync(
            ProgressUpdate,
            {"data_key": row.required("key")},
            {
                "deliverable_id": deliverable.pk,
                "member_state_id": lookup(index.member_states, state, row.where, "member state").pk
                if state
                else None,
                "status": row.required("status"),
                "percent_complete": row.integer("percent_complete"),
                "reported_on": row.date("reported_on"),
                "reported_on_precision": row.text("reported_on_precision")
                or ProgressUpdate.DatePrecision.DAY,
                "narrative": row.text("narrative"),
                "evidence_url": row.required("evidence_url"),
                "provisional": row.flag("provisional"),
                "provisional_note": row.text("provisional_note"),
                "review_state": ProgressUpdate.ReviewState.APPROVED,
                "review_note": LOADED_REVIEW_NOTE,
            },
            report=report,
            where=row.where,
        )


def load_lineage(data_dir, index, report):
    """What became of each item of a plan in the plan that follows it (``LineageLink``)."""
    columns = [
        "plan",
        "initiative",
        "deliverable",
        "fate",
        "to_plan",
        "to_initiatives",
        "to_deliverables",
        "note",
    ]
    for row in read_rows(data_dir / "lineage.csv", columns):
        initiative, deliverable = target_of(row, index)
        link = LineageLink(
            initiative=initiative, deliverable=deliverable, fate=row.required("fate"), **sourced(row)
        )
        if link.fate not in LineageLink.Fate.values:
            raise DataFileError(
                row.where, f"unknown fate {link.fate!r}; use one of {', '.join(LineageLink.Fate.values)}"
            )
        to_plan = row.text("to_plan")
        numbers, codes = row.items_of("to_initiatives"), row.items_of("to_deliverables")
        if (numbers or codes) and not to_plan:
            raise DataFileError(row.where, "name the plan the items lead to in the to_plan column")
        try:
            to_initiatives = [index.initiative(to_plan, int(number), row.where) for number in numbers]
        except ValueError:
            raise DataFileError(
                row.where,
                f"to_initiatives must be numbers separated by semicolons, not {row.text('to_initiatives')!r}",
            ) from None
        to_deliverables = [index.deliverable(to_plan, code, row.where) for code in codes]
        problems = link.problems_with_targets(to_initiatives, to_deliverables)
        if problems:
            raise DataFileError(row.where, " ".join(problems))
        link = sync(
            LineageLink,
            {"initiative": initiative, "deliverable": deliverable},
            {"fate": link.fate, "note": row.text("note"), **sourced(row)},
            report=report,
            where=row.where,
        )
        sync_many(link, "to_initiatives", to_initiatives, report=report)
        sync_many(link, "to_deliverables", to_deliverables, report=report)


def load_indicators(data_dir, index, report):
    """Indicators: typed ones (values then come through the review workflow) and computed ones,
    whose values nobody types (``goals.indicators``)."""
    columns = [
        "plan", "slug", "name", "description", "unit", "kind", "direction", "per_member_state", "goal",
        "initiative", "deliverable", "computed", "counts_deliverable", "baseline_value", "baseline_date",
        "baseline_source_url", "source_url",
    ]  # fmt: skip
    path = data_dir / "indicators.csv"
    if not path.exists():
        return
    for row in read_rows(path, columns):
        plan_slug = row.required("plan")
        goal, initiative, deliverable = None, None, None
        filled = [column for column in ("goal", "initiative", "deliverable") if row.text(column)]
        if len(filled) != 1:
            raise DataFileError(
                row.where, "fill in exactly one of the goal, initiative or deliverable columns"
            )
        if row.text("goal"):
            goal = lookup(index.goals, (plan_slug, row.integer("goal")), row.where, "goal (plan, number)")
        elif row.text("initiative"):
            initiative = index.initiative(plan_slug, row.integer("initiative"), row.where)
        else:
            deliverable = index.deliverable(plan_slug, row.text("deliverable"), row.where)
        counted = row.text("counts_deliverable")
        sync(
            Indicator,
            {"plan_id": lookup(index.plans, plan_slug, row.where, "plan").pk, "slug": row.required("slug")},
            {
                "goal_id": goal.pk if goal else None,
                "initiative_id": initiative.pk if initiative else None,
                "deliverable_id": deliverable.pk if deliverable else None,
                "name": row.required("name"),
                "description": row.text("description"),
                "unit": row.text("unit"),
                "kind": row.text("kind") or Indicator.Kind.NUMBER,
                "direction": row.text("direction") or Indicator.Direction.HIGHER,
                "per_member_state": row.flag("per_member_state"),
                "computed": row.text("computed"),
                "counts_deliverable_id": index.deliverable(plan_slug, counted, row.where).pk
                if counted
                else None,
                "baseline_value": row.decimal("baseline_value"),
                "baseline_date": row.date("baseline_date"),
                "baseline_source_url": row.text("baseline_source_url"),
                **sourced(row),
            },
            report=report,
            where=row.where,
        )


def load(report, data_dir=DATA_DIR):
    """Load every goals data file; returns the index for the partners loader to use."""
    index = PlanIndex()
    for step in (
        load_member_states,
        load_bodies,
        load_plans,
        load_goals,
        load_initiatives,
        load_deliverables,
        load_responsibilities,
        load_progress_updates,
        load_lineage,
        load_indicators,
    ):
        step(data_dir, index, report)
    return index
