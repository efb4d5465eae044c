"""Made-up progress for demonstrations, loaded only by ``load_plan --sample`` (or ``make demo``).

Every record made here is flagged ``is_sample`` so that pages and exports can say so and
the real data is never confused with it. The same records are made on every run (a fixed
random seed and stable keys), so loading the sample twice changes nothing.
"""

import datetime
import random
from decimal import Decimal

from goals.models import (
    ActionPlan,
    Deliverable,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Initiative,
    MemberState,
    ProgressUpdate,
    ReportingRound,
    StrategicGoal,
)
from goals.rounds import publish_snapshot
from goals.selectors import public_data_state
from tracker.core.loading import sync

SAMPLE_NARRATIVE = "Sample progress made up for demonstration; not a real report."


def sample_data_loaded():
    """Whether any made-up progress is in the database (every page and file name then says so).
    Read with the date of the latest change, in the one query every page makes of the data."""
    return public_data_state().sample


# (plan, round name, opens, closes, state)
SAMPLE_ROUNDS = [
    ("2016-2025", "Sample round: mid-2024", "2024-03-01", "2024-04-15", ReportingRound.State.PUBLISHED),
    ("2016-2025", "Sample round: end-2024", "2024-09-01", "2024-10-15", ReportingRound.State.PUBLISHED),
    ("2016-2025", "Sample round: mid-2025", "2025-03-01", "2025-04-15", ReportingRound.State.PUBLISHED),
    ("2016-2025", "Sample round: final 2025", "2025-09-01", "2025-10-15", ReportingRound.State.CLOSED),
    ("2026-2030", "Sample round: mid-2026", "2026-03-01", "2026-04-15", ReportingRound.State.PUBLISHED),
    ("2026-2030", "Sample round: end-2026", "2026-10-01", "2026-12-15", ReportingRound.State.OPEN),
]


def load_sample(report):
    rng = random.Random(2016)
    rounds_by_plan = {}
    for plan_slug, name, opens, closes, state in SAMPLE_ROUNDS:
        plan = ActionPlan.objects.get(slug=plan_slug)
        sample_round = sync(
            ReportingRound,
            {"plan": plan, "name": name},
            {
                "opens_on": datetime.date.fromisoformat(opens),
                "closes_on": datetime.date.fromisoformat(closes),
                "state": state,
                "is_sample": True,
            },
            report=report,
            where=f"sample round {name!r}",
        )
        rounds_by_plan.setdefault(plan.pk, []).append(sample_round)

    documented = set(ProgressUpdate.objects.filter(is_sample=False).values_list("deliverable_id", flat=True))
    deliverables = Deliverable.objects.select_related("initiative").order_by("pk")
    for deliverable in deliverables:
        if deliverable.pk in documented or deliverable.per_member_state:
            continue
        percent = 0
        for position, sample_round in enumerate(rounds_by_plan.get(deliverable.initiative.plan_id, [])):
            percent = min(100, percent + rng.choice([0, 10, 15, 20, 25, 30]))
            status = _status_for(percent, rng)
            last = sample_round.state == ReportingRound.State.OPEN
            sync(
                ProgressUpdate,
                {"data_key": f"sample-{deliverable.pk}-{position}"},
                {
                    "deliverable_id": deliverable.pk,
                    "round_id": sample_round.pk,
                    "status": status,
                    "percent_complete": {"completed": 100, "not_started": 0}.get(status, percent),
                    "reported_on": sample_round.closes_on - datetime.timedelta(days=7),
                    "narrative": SAMPLE_NARRATIVE,
                    "evidence_url": deliverable.source_url or "https://www.aseanip.org/",
                    # The open round holds work still under review, to show the workflow.
                    "review_state": ProgressUpdate.ReviewState.SUBMITTED
                    if last
                    else ProgressUpdate.ReviewState.APPROVED,
                    "is_sample": True,
                },
                report=report,
                where=f"sample update for {deliverable.code}",
            )
            if status == ProgressUpdate.Status.COMPLETED:
                break

    load_sample_indicators(rounds_by_plan, rng, report)

    # Published rounds carry their frozen figures, as rounds published in the admin do.
    for rounds in rounds_by_plan.values():
        for sample_round in rounds:
            if sample_round.state == ReportingRound.State.PUBLISHED and not hasattr(sample_round, "snapshot"):
                publish_snapshot(sample_round)


SAMPLE_INDICATOR_NOTE = "Sample indicator made up for demonstration; not a real measure of the plan."
SAMPLE_SOURCE = "https://www.aseanip.org/"
# (plan, goal number, slug, name, unit, kind, per member state, baseline, target)
SAMPLE_INDICATORS = [
    ("2016-2025", 1, "sample-ip-office-staff-trained", "Sample: IP office staff trained", "people",
     Indicator.Kind.NUMBER, False, 120, 600),
    ("2026-2030", 1, "sample-trademark-applications-filed-online",
     "Sample: trademark applications filed online", "", Indicator.Kind.PERCENT, True, 40, 90),
]  # fmt: skip


def load_sample_indicators(rounds_by_plan, rng, report):
    """A made-up typed indicator per plan, with values in its sample rounds: approved in the
    published ones, submitted in the open one (to show the workflow), all flagged as sample."""
    states = list(MemberState.objects.order_by("name"))
    for plan_slug, number, slug, name, unit, kind, per_state, baseline, target in SAMPLE_INDICATORS:
        plan = ActionPlan.objects.get(slug=plan_slug)
        goal = StrategicGoal.objects.get(plan=plan, number=number)
        indicator = sync(
            Indicator,
            {"plan_id": plan.pk, "slug": slug},
            {
                "goal_id": goal.pk,
                "name": name,
                "description": SAMPLE_INDICATOR_NOTE,
                "unit": unit,
                "kind": kind,
                "per_member_state": per_state,
                "baseline_value": Decimal(baseline),
                "baseline_date": datetime.date(plan.start_year, 1, 1),
                "baseline_source_url": SAMPLE_SOURCE,
                "is_sample": True,
            },
            report=report,
            where=f"sample indicator {slug!r}",
        )
        sync(
            IndicatorTarget,
            {"indicator_id": indicator.pk, "date": datetime.date(plan.end_year, 12, 31)},
            {"value": Decimal(target), "source_url": SAMPLE_SOURCE, "note": "Sample target."},
            report=report,
            where=f"sample target of {slug!r}",
        )
        value = baseline
        for sample_round in rounds_by_plan.get(plan.pk, []):
            if sample_round.state == ReportingRound.State.CLOSED:
                continue
            review = (
                ProgressUpdate.ReviewState.SUBMITTED
                if sample_round.state == ReportingRound.State.OPEN
                else ProgressUpdate.ReviewState.APPROVED
            )
            value = min(target, value + rng.choice([5, 10, 20, 40]))
            for state in states[:5] if per_state else [None]:
                key = f"sample-{slug}-{sample_round.pk}-{state.iso_code if state else 'all'}"
                sync(
                    IndicatorValue,
                    {"data_key": key},
                    {
                        "indicator_id": indicator.pk,
                        "round_id": sample_round.pk,
                        "member_state_id": state.pk if state else None,
                        "value": Decimal(min(100, value + rng.choice([-5, 0, 5])))
                        if per_state
                        else Decimal(value),
                        "measured_on": sample_round.closes_on,
                        "source_url": SAMPLE_SOURCE,
                        "note": "Sample value.",
                        "review_state": review,
                        "is_sample": True,
                    },
                    report=report,
                    where=f"sample value {key}",
                )


def _status_for(percent, rng):
    if percent == 0:
        return ProgressUpdate.Status.NOT_STARTED
    if percent >= 100:
        return ProgressUpdate.Status.COMPLETED
    if rng.random() < 0.08:
        return ProgressUpdate.Status.ON_HOLD
    return ProgressUpdate.Status.IN_PROGRESS


def seed_synthetic(scale):
    """Grow the 2016-2025 plan to ``scale`` times its deliverables, each with approved progress
    (bulk inserts, for speed; the database moves the data version as for any change)."""
    plan = ActionPlan.objects.get(slug="2016-2025")
    initiatives = list(Initiative.objects.filter(plan=plan).order_by("number"))
    real = Deliverable.objects.filter(initiative__plan=plan).exclude(code__startswith="S.").count()
    existing = Deliverable.objects.filter(initiative__plan=plan, code__startswith="S.").count()
    wanted = real * (scale - 1)
    new = Deliverable.objects.bulk_create(
        Deliverable(
            initiative=initiatives[n % len(initiatives)],
            code=f"S.{n}",
            title=f"Synthetic deliverable {n}",
            description="Made up for benchmarks.",
        )
        for n in range(existing, wanted)
    )
    rng = random.Random(scale)
    updates = ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            deliverable=deliverable,
            status=ProgressUpdate.Status.IN_PROGRESS,
            percent_complete=rng.randint(1, 99),
            reported_on=datetime.date(2017 + step * 2, 1 + n % 12, 1),
            narrative=SAMPLE_NARRATIVE,
            evidence_url="https://www.aseanip.org/",
            review_state=ProgressUpdate.ReviewState.APPROVED,
            is_sample=True,
        )
        for n, deliverable in enumerate(new)
        for step in range(3)
    )
    return {"deliverables": len(new), "updates": len(updates)}
