"""Freezing a plan's figures when a round is published, and reading them back.

The as-of views show a published round's snapshot, so correcting or un-approving an update
later never rewrites what was published. A round published before snapshots existed (or
without one) is computed from the updates approved by then.
"""

import datetime
from decimal import Decimal

from goals.models import RoundSnapshot
from goals.progress import Figure, PlanProgress, compute, load_plan_data

LEVELS = ("goals", "initiatives", "deliverables")


def _figure_to_json(figure):
    return {
        "key": figure.key,
        "percent": None if figure.percent is None else str(figure.percent),
        "status": figure.status,
        "schedule": figure.schedule,
        "expected": None if figure.expected is None else str(figure.expected),
        "weight": str(figure.weight),
        "counts": figure.counts,
        "excluded_reason": figure.excluded_reason,
        "reporting_states": figure.reporting_states,
        "expected_states": figure.expected_states,
        "children": [child.key for child in figure.children],
    }


def _figure_from_json(data):
    decimal = lambda value: None if value is None else Decimal(value)  # noqa: E731
    return Figure(
        key=data["key"],
        percent=decimal(data["percent"]),
        status=data["status"],
        schedule=data["schedule"],
        expected=decimal(data["expected"]),
        weight=Decimal(data["weight"]),
        counts=data["counts"],
        excluded_reason=data["excluded_reason"],
        reporting_states=data["reporting_states"],
        expected_states=data["expected_states"],
    )


def freeze(reporting_round):
    """Store the round's figures as they stand now (replacing any earlier snapshot)."""
    progress = compute(load_plan_data(reporting_round.plan), reporting_round)
    figures = {"on": progress.on.isoformat(), "plan": _figure_to_json(progress.figure)}
    for level in LEVELS:
        figures[level] = {str(key): _figure_to_json(f) for key, f in getattr(progress, level).items()}
    RoundSnapshot.objects.update_or_create(round=reporting_round, defaults={"figures": figures})
    return progress


def thaw(snapshot, plan):
    """The published figures, rebuilt with their "why this number" children."""
    data = snapshot.figures
    levels = {level: {int(k): _figure_from_json(v) for k, v in data[level].items()} for level in LEVELS}
    for parent_level, child_level in (("goals", "initiatives"), ("initiatives", "deliverables")):
        for key, figure in levels[parent_level].items():
            figure.children = [levels[child_level][c] for c in data[parent_level][str(key)]["children"]]
    plan_figure = _figure_from_json(data["plan"])
    plan_figure.children = [levels["goals"][c] for c in data["plan"]["children"]]
    on = datetime.date.fromisoformat(data["on"])
    return PlanProgress(plan, on, snapshot.round, plan_figure, *(levels[level] for level in LEVELS))


def progress_as_of(data, reporting_round=None):
    """A plan's figures now, or as published at a round (its snapshot when there is one).

    Kept with the plan data, so they are computed once for as long as that data is kept.
    """
    key = None if reporting_round is None else reporting_round.pk
    if key not in data.figures:
        snapshot = getattr(reporting_round, "snapshot", None)
        if snapshot is not None:
            data.figures[key] = thaw(snapshot, data.plan)
        else:
            data.figures[key] = compute(data, reporting_round)
    return data.figures[key]
