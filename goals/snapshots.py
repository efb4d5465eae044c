"""Freezing a plan's figures when a round is published, and reading them back.

Publishing stores what the figures were computed from: the plan's structure (weights, planned
dates, what was dropped), the member states expected to act and every approved update counted
at that round. The as-of views recompute the round's figures from that frozen data with the
current method, so correcting, un-approving or restructuring later never rewrites what was
published, and every page uses one method. The figures as published are kept beside it for the
record. A round frozen before this (method version 1) has only its figures: they are shown as
they were published, labelled with the method version they used.
"""

import datetime
from dataclasses import astuple, fields, replace
from decimal import Decimal
from types import MappingProxyType, SimpleNamespace

from goals.models import RoundSnapshot, code_sort_key
from goals.progress import (
    METHOD_VERSION,
    ApprovedUpdate,
    Figure,
    Figures,
    PlanData,
    PlanProgress,
    compute,
    known_by,
    latest_updates,
    load_plan_data,
)

LEVELS = ("goals", "initiatives", "deliverables")


def _date(value):
    return None if value is None else datetime.date.fromisoformat(value)


def _iso(value):
    return None if value is None else value.isoformat()


def frozen_inputs(data, reporting_round):
    """What the round's figures are computed from, as JSON."""
    return {
        "plan": {"pk": data.plan.pk, "start_year": data.plan.start_year, "end_year": data.plan.end_year},
        "goals": [{"pk": g.pk, "number": g.number} for g in data.goals],
        "initiatives": [
            {
                "pk": i.pk,
                "goal_id": i.goal_id,
                "number": i.number,
                "weight": str(i.weight),
                "planned_start": _iso(i.planned_start),
                "planned_end": _iso(i.planned_end),
            }
            for i in data.initiatives
        ],
        "deliverables": [
            {
                "pk": d.pk,
                "initiative_id": d.initiative_id,
                "code": d.code,
                "weight": str(d.weight),
                "planned_start": _iso(d.planned_start),
                "planned_end": _iso(d.planned_end),
                "dropped_in": d.dropped_in,
                "per_member_state": d.per_member_state,
            }
            for d in data.deliverables
        ],
        "expected_states": list(data.expected_state_ids),
        "updates": [
            [_iso(value) if isinstance(value, datetime.date) else value for value in astuple(update)]
            for update in data.updates
            if known_by(update, reporting_round.closes_on)
        ],
    }


UPDATE_NAMES = [f.name for f in fields(ApprovedUpdate)]
UPDATE_DATES = {"round_closes_on", "reported_on"}


def frozen_update(values):
    """An ApprovedUpdate's values from their JSON form."""
    return [_date(v) if name in UPDATE_DATES else v for name, v in zip(UPDATE_NAMES, values, strict=True)]


def thawed_data(inputs):
    """Frozen inputs as plan data the computation reads like data fetched from the database."""

    def record(values, **dates):
        values = {**values, **{name: _date(values[name]) for name in dates}}
        if "weight" in values:
            values["weight"] = Decimal(values["weight"])
        return SimpleNamespace(**values)

    periods = {"planned_start": None, "planned_end": None}
    return PlanData(
        plan=SimpleNamespace(**inputs["plan"]),
        goals=tuple(SimpleNamespace(**g) for g in inputs["goals"]),
        initiatives=tuple(record(i, **periods) for i in inputs["initiatives"]),
        # In natural order of their codes, however they were ordered when frozen.
        deliverables=tuple(
            sorted(
                (record(d, **periods) for d in inputs["deliverables"]), key=lambda d: code_sort_key(d.code)
            )
        ),
        expected_states=tuple(inputs["expected_states"]),
        updates=tuple(ApprovedUpdate(*frozen_update(values)) for values in inputs["updates"]),
    )


def _figure_to_json(figure):
    return {
        "key": figure.key,
        "percent": None if figure.percent is None else str(figure.percent),
        "status": figure.status,
        "schedule": figure.schedule,
        "expected": None if figure.expected is None else str(figure.expected),
        "weight": str(figure.weight),
        "counts": dict(figure.counts),
        "note": figure.note,
        "reporting_states": figure.reporting_states,
        "expected_states": figure.expected_states,
        "states_done": figure.states_done,
        "overdue_days": figure.overdue_days,
        "at_plan_end": None if figure.at_plan_end is None else str(figure.at_plan_end),
        "children": [child.key for child in figure.children],
    }


def _figure_from_json(data, children=()):
    decimal = lambda value: None if value is None else Decimal(value)  # noqa: E731
    return Figure(
        key=data["key"],
        percent=decimal(data["percent"]),
        status=data["status"],
        schedule=data["schedule"],
        expected=decimal(data["expected"]),
        weight=Decimal(data["weight"]),
        counts=MappingProxyType(data["counts"]),
        note=data.get("note", data.get("excluded_reason", "")),
        reporting_states=data["reporting_states"],
        expected_states=data["expected_states"],
        states_done=data.get("states_done"),
        children=tuple(children),
    )


def published_figures(progress):
    """The figures as published, kept in the snapshot for the record."""
    figures = {"plan": _figure_to_json(progress.figure)}
    for level in LEVELS:
        figures[level] = {str(key): _figure_to_json(f) for key, f in getattr(progress, level).items()}
    return figures


def freeze(reporting_round, missing=()):
    """Store what the round's figures are computed from, and the figures themselves (replacing
    any earlier snapshot), with the reports missing at publication (``goals.rounds`` gives them
    as JSON). Always from the database as it stands, never from kept data."""
    data = load_plan_data(reporting_round.plan)
    progress = compute(data, reporting_round)
    RoundSnapshot.objects.update_or_create(
        round=reporting_round,
        defaults={
            "figures": {
                "method_version": METHOD_VERSION,
                "on": progress.on.isoformat(),
                "inputs": frozen_inputs(data, reporting_round),
                "published": published_figures(progress),
                "missing": list(missing),
            }
        },
    )
    return progress


def thaw(snapshot, data):
    """The round's figures: recomputed from its frozen data, or (frozen by method version 1,
    which kept only the figures) read back as published, with the updates approved by then."""
    stored = snapshot.figures
    on = datetime.date.fromisoformat(stored["on"])
    if stored.get("method_version", 1) >= 2:
        # Published means frozen: an update approved then and un-approved since keeps its
        # place, and what it said then, in the round's figures and tables.
        progress = compute(thawed_data(stored["inputs"]), SimpleNamespace(closes_on=on))
        return replace(progress, plan=data.plan, as_of_round=snapshot.round)
    levels = {level: {int(k): v for k, v in stored[level].items()} for level in LEVELS}
    deliverables = {k: _figure_from_json(v) for k, v in levels["deliverables"].items()}
    initiatives = {
        k: _figure_from_json(v, (deliverables[c] for c in v["children"]))
        for k, v in levels["initiatives"].items()
    }
    goals = {
        k: _figure_from_json(v, (initiatives[c] for c in v["children"])) for k, v in levels["goals"].items()
    }
    figure = _figure_from_json(stored["plan"], (goals[c] for c in stored["plan"]["children"]))
    latest = MappingProxyType(latest_updates(data.updates, as_of=on))
    return PlanProgress(data.plan, on, snapshot.round, figure, Figures(goals), Figures(initiatives),
                        Figures(deliverables), latest, data.expected_state_ids, method_version=1)  # fmt: skip


def progress_as_of(data, reporting_round=None):
    """A plan's figures now, or as published at a round (from its snapshot when it has one).

    Kept with the plan data, so they are computed once for as long as that data is kept.
    """
    key = None if reporting_round is None else reporting_round.pk
    if key not in data._progress:
        snapshot = getattr(reporting_round, "snapshot", None)
        if snapshot is not None:
            data._progress[key] = thaw(snapshot, data)
        else:
            data._progress[key] = compute(data, reporting_round)
    return data._progress[key]


def updates_as_of(data, reporting_round=None):
    """The approved updates a plan's figures count now, or as a published round froze them
    (oldest first): what the public data-quality score (``goals.quality``) reads, so that it
    stands beside the figures it describes and, like them, never changes once published."""
    if reporting_round is None:
        return data.updates
    snapshot = getattr(reporting_round, "snapshot", None)
    stored = snapshot.figures if snapshot is not None else {}
    if stored.get("method_version", 1) >= 2:
        return tuple(ApprovedUpdate(*frozen_update(values)) for values in stored["inputs"]["updates"])
    return tuple(update for update in data.updates if known_by(update, reporting_round.closes_on))
