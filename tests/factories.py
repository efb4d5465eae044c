"""Tiny helpers that make valid records; pass keyword overrides for what a test cares about.
And ``grow_twentyfold``, which scales the real plan up for the fixed-number-of-queries tests."""

import datetime
import itertools

from goals.models import (
    ActionPlan,
    Body,
    Deliverable,
    Initiative,
    LineageLink,
    MemberState,
    ProgressUpdate,
    ReportingRound,
    Responsibility,
    StrategicGoal,
)
from partners.models import CooperationProgramme, Involvement, Partner

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


def grow_twentyfold():
    """Twenty times the shipped deliverables, with approved updates, responsibilities and partners."""
    plan = ActionPlan.objects.get(slug="2016-2025")
    initiatives = list(Initiative.objects.filter(plan=plan))
    states = list(MemberState.objects.all())
    body, partner = Body.objects.get(slug="ipophl"), Partner.objects.get(slug="euipo")
    existing = Deliverable.objects.filter(initiative__plan=plan).count()
    extra = Deliverable.objects.bulk_create(
        Deliverable(
            initiative=initiatives[n % len(initiatives)],
            code=f"X.{n}",
            title=f"Extra deliverable {n}",
            per_member_state=n % 10 == 0,
        )
        for n in range(existing * 19)
    )
    updates = []
    for n, deliverable in enumerate(extra):
        for step in range(2):
            updates.append(
                ProgressUpdate(
                    deliverable=deliverable,
                    member_state=states[n % len(states)] if deliverable.per_member_state else None,
                    status="in_progress",
                    percent_complete=(n * 7 + step * 20) % 100,
                    reported_on=datetime.date(2020 + step, 1 + n % 12, 1),
                    review_state="approved",
                    narrative=f"Extra update {n}-{step}",
                )
            )
    ProgressUpdate.objects.bulk_create(updates)
    Responsibility.objects.bulk_create(
        Responsibility(body=body, deliverable=d, role="implementing") for d in extra
    )
    Involvement.objects.bulk_create(
        Involvement(partner=partner, deliverable=d, role="funding") for d in extra
    )
    successor = Initiative.objects.filter(plan__predecessor=plan).order_by("number").first()
    links = LineageLink.objects.bulk_create(
        LineageLink(
            deliverable=d,
            fate="continued" if n % 2 else "not_yet_known",
            provisional=True,
            provisional_note=f"Extra lineage {n}",
        )
        for n, d in enumerate(extra)
    )
    LineageLink.to_initiatives.through.objects.bulk_create(
        LineageLink.to_initiatives.through(lineagelink=link, initiative=successor)
        for link in links
        if link.fate == "continued"
    )
