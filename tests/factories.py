"""Tiny helpers that make valid records; pass keyword overrides for what a test cares about."""

import datetime
import itertools

from goals.models import (
    ActionPlan,
    Body,
    Deliverable,
    Initiative,
    MemberState,
    ProgressUpdate,
    ReportingRound,
    StrategicGoal,
)
from partners.models import CooperationProgramme, Partner

_numbers = itertools.count(100)


def make_plan(**overrides):
    n = next(_numbers)
    values = {"title": f"Test plan {n}", "slug": f"test-plan-{n}", "start_year": 2030, "end_year": 2035}
    return ActionPlan.objects.create(**{**values, **overrides})


def make_goal(**overrides):
    values = {"number": next(_numbers), "title": "A goal"}
    values.update(overrides)
    values.setdefault("plan", make_plan())
    return StrategicGoal.objects.create(**values)


def make_initiative(**overrides):
    values = {"number": next(_numbers), "title": "An initiative"}
    values.update(overrides)
    values.setdefault("goal", make_goal())
    return Initiative.objects.create(**values)


def make_deliverable(**overrides):
    values = {"code": f"T.{next(_numbers)}", "title": "A deliverable"}
    values.update(overrides)
    values.setdefault("initiative", make_initiative())
    return Deliverable.objects.create(**values)


def make_member_state(**overrides):
    n = next(_numbers)
    values = {"name": f"State {n}", "slug": f"state-{n}", "iso_code": f"Q{chr(65 + n % 26)}"}
    values["joined_asean_on"] = datetime.date(1967, 8, 8)
    return MemberState.objects.create(**{**values, **overrides})


def make_body(**overrides):
    n = next(_numbers)
    values = {"name": f"Body {n}", "slug": f"body-{n}", "kind": Body.Kind.TASK_FORCE}
    return Body.objects.create(**{**values, **overrides})


def make_round(**overrides):
    values = {
        "name": f"Round {next(_numbers)}",
        "opens_on": datetime.date(2026, 1, 1),
        "closes_on": datetime.date(2026, 2, 1),
    }
    values.update(overrides)
    values.setdefault("plan", make_plan())
    return ReportingRound.objects.create(**values)


def make_update(**overrides):
    values = {
        "status": ProgressUpdate.Status.IN_PROGRESS,
        "percent_complete": 40,
        "reported_on": datetime.date(2026, 1, 15),
        "evidence_url": "https://example.org/evidence",
    }
    values.update(overrides)
    values.setdefault("deliverable", make_deliverable())
    return ProgressUpdate.objects.create(**values)


def make_partner(**overrides):
    n = next(_numbers)
    values = {
        "name": f"Partner {n}",
        "acronym": f"P{n}",
        "slug": f"partner-{n}",
        "kind": Partner.Kind.IP_OFFICE,
    }
    return Partner.objects.create(**{**values, **overrides})


def make_programme(**overrides):
    n = next(_numbers)
    values = {"name": f"Programme {n}", "slug": f"programme-{n}"}
    values.update(overrides)
    values.setdefault("partner", make_partner())
    return CooperationProgramme.objects.create(**values)
