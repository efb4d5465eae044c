"""Properties of the figures on random plans: they follow the method's definition, and the pages,
the API, the CSV files and the meeting pack give the same figure and coverage for the plan and
every goal, initiative and deliverable; no parent reads 100 % with an unfinished part; the
status counts count each deliverable once; the quality flags and the figures agree on "done"."""

import csv
import datetime
import io
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from goals import quality
from goals.models import (
    ActionPlan,
    Deliverable,
    Initiative,
    MemberState,
    ProgressUpdate,
    ReportingRound,
    StrategicGoal,
)
from goals.progress import Schedule, is_done, plan_progress
from goals.snapshots import freeze

pytestmark = pytest.mark.django_db

SLUG = "random-plan"
TODAY = datetime.date.today()

REPORT = st.one_of(
    st.just(("completed", 100)),
    st.just(("not_started", 0)),
    st.just(("dropped", 0)),
    st.tuples(st.sampled_from(["in_progress", "on_hold"]), st.integers(0, 100)),
)
DELIVERABLE = st.fixed_dictionaries(
    {
        "weight": st.sampled_from([1, 1, 2, 3]),
        "dropped": st.sampled_from([False, False, False, False, True]),
        "per_state": st.booleans(),
        "report": st.none() | REPORT,
        "states": st.dictionaries(st.integers(0, 10), REPORT, max_size=11),
    }
)
INITIATIVE = st.fixed_dictionaries(
    {"weight": st.sampled_from([1, 2]), "deliverables": st.lists(DELIVERABLE, max_size=4)}
)
PLAN = st.fixed_dictionaries(
    {
        "end_year": st.sampled_from(
            [2024, 2030]
        ),  # an ended plan (before Timor-Leste joined) or a running one
        "goals": st.lists(st.lists(INITIATIVE, max_size=3), min_size=1, max_size=3),
    }
)


# The method's definition, written out independently of goals.progress ---------------------


def tenth(value):
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def definition_of(parts):
    """(percent, completed) of a parent from its parts' (percent, weight, completed); parts that
    were dropped are None. Unreported parts come in as 0 %; an empty parent is 0 %."""
    kept = [part for part in parts if part is not None]
    if parts and not kept:
        return None
    if not kept:
        return Decimal(0), False
    done = all(completed for _, _, completed in kept)
    value = tenth(sum(p * w for p, w, _ in kept) / sum(w for _, w, _ in kept))
    return (Decimal("99.9") if value == 100 and not done else value), done


def reported(status, percent):
    """What a report delivered: its percent, but 100 % only when it says completed."""
    return Decimal("99.9") if percent == 100 and status != "completed" else Decimal(percent)


def deliverable_by_definition(spec, states):
    if spec["dropped"]:
        return None
    if not spec["per_state"]:
        if spec["report"] is None:
            return Decimal(0), False
        status, percent = spec["report"]
        return None if status == "dropped" else (reported(status, percent), status == "completed")
    parts = []
    for index in range(len(states)):
        status, percent = spec["states"].get(index, ("none", 0))
        parts.append(
            None if status == "dropped" else (reported(status, percent), Decimal(1), status == "completed")
        )
    result = definition_of(parts)
    return result if result is None or states else (Decimal(0), False)


# Building the plan -------------------------------------------------------------------------


def build(spec):
    plan = ActionPlan.objects.create(
        title="A random plan", slug=SLUG, start_year=2020, end_year=spec["end_year"]
    )
    states = list(MemberState.objects.expected_for(plan))
    tree = []
    number = 0
    for g, initiatives in enumerate(spec["goals"], start=1):
        goal = StrategicGoal.objects.create(plan=plan, number=g, title=f"Goal {g} of the random plan")
        goal_parts = []
        for i_spec in initiatives:
            number += 1
            initiative = Initiative.objects.create(goal=goal, number=number, title=f"Initiative {number}",
                                                   weight=i_spec["weight"])  # fmt: skip
            parts = []
            for d, d_spec in enumerate(i_spec["deliverables"], start=1):
                deliverable = Deliverable.objects.create(
                    initiative=initiative, code=f"{number}.{d}", title=f"Deliverable {number}.{d}",
                    weight=d_spec["weight"], per_member_state=d_spec["per_state"],
                    dropped_in="v2.0" if d_spec["dropped"] else "",
                )  # fmt: skip
                add_updates(deliverable, d_spec, states)
                by_definition = deliverable_by_definition(d_spec, states)
                parts.append((deliverable, by_definition, d_spec["weight"]))
            tree.append((initiative, parts))
            goal_parts.append(initiative)
    return plan, states, tree


def add_updates(deliverable, spec, states):
    def update(status, percent, state=None):
        """The approved report, and a later one waiting for review that must change nothing."""
        reports = [("approved", (status, percent), datetime.date(2021, 6, 1)),
                   ("submitted", ("completed", 100), datetime.date(2022, 1, 1))]  # fmt: skip
        for review_state, shown, on in reports:
            ProgressUpdate.objects.create(
                deliverable=deliverable, member_state=state, status=shown[0], percent_complete=shown[1],
                reported_on=on, review_state=review_state, evidence_url="https://example.org/evidence",
            )  # fmt: skip

    if spec["per_state"]:
        for index, (status, percent) in spec["states"].items():
            if index < len(states):
                update(status, percent, states[index])
    elif spec["report"] is not None:
        update(*spec["report"])


# Reading the figures back from every channel ------------------------------------------------

PERCENT = re.compile(r'<td class="num">([^<]*)</td>')


def shown(text):
    """A percent as a page shows it ("71.3 %", "0 %", "Dropped") as a Decimal or None."""
    text = text.replace("\u00a0", " ").split("<")[0].strip()
    return None if text in ("Dropped", "No data") else Decimal(text.removesuffix(" %"))


def rows_of(page, href):
    """{number in href: percent} for the table rows that link to ``href`` (a regex with a group)."""
    found = {}
    for row in page.split("<tr")[1:]:
        link, percent = re.search(href, row), PERCENT.search(row)
        if link and percent:
            found[link.group(1)] = shown(percent.group(1))
    return found


def csv_rows(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def number(value):
    return None if value in ("", None) else Decimal(value)


def api_rows(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.json()["results"]


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(spec=PLAN)
def test_every_channel_gives_the_method_s_figure(client, spec):
    deliverables = [d for goal in spec["goals"] for i in goal for d in i["deliverables"]]
    event(f"deliverables: {min(len(deliverables), 5)}{'+' if len(deliverables) >= 5 else ''}")
    event(f"state-by-state: {any(d['per_state'] for d in deliverables)}")
    with transaction.atomic():
        check_plan(client, spec)
        transaction.set_rollback(True)


def check_plan(client, spec):
    plan, _states, tree = build(spec)
    published = ReportingRound.objects.create(
        plan=plan, name="Random round", opens_on=datetime.date(2021, 1, 1), closes_on=TODAY, state="published"
    )
    freeze(published)
    progress = plan_progress(plan)

    # The figures follow the definition.
    for initiative, parts in tree:
        for deliverable, by_definition, _ in parts:
            figure = progress.deliverables[deliverable.pk]
            assert (figure.percent if figure.included else None) == (by_definition and by_definition[0])
        by_definition = definition_of(
            [None if d is None else (d[0], Decimal(w), d[1]) for _, d, w in parts]
        )  # fmt: skip
        figure = progress.initiatives[initiative.pk]
        assert (figure.percent if figure.included else None) == (by_definition and by_definition[0])

    # No parent reads 100 % with a part not completed; the counts count deliverables once.
    parents = [progress.figure, *progress.goals.values(), *progress.initiatives.values()]
    for figure in parents:
        if figure.percent == 100:
            assert all(child.status == "completed" for child in figure.children if child.included)
        if figure.status == "completed":
            assert figure.percent == 100
    assert sum(progress.figure.counts.values()) == Deliverable.objects.filter(initiative__plan=plan).count()

    expected = {("plan", SLUG): progress.figure}
    expected |= {("goal", str(g.number)): progress.goals[g.pk] for g in plan.goals.all()}
    expected |= {("initiative", str(i.number)): progress.initiatives[i.pk] for i, _ in tree}
    expected |= {
        ("deliverable", d.code): progress.deliverables[d.pk] for _, parts in tree for d, _, _ in parts
    }

    def agree(channel, level, key, percent, coverage=None):
        figure = expected[(level, key)]
        assert percent == figure.percent, (channel, level, key)
        if coverage is not None:
            assert coverage == (figure.reported, figure.total), (channel, level, key, "coverage")

    # Pages: the overview lists the goals, a goal page its initiatives, an initiative page its deliverables.
    overview = client.get(f"/plans/{SLUG}/").text
    big = re.search(r'<p class="big-percent"><span class="visually-hidden">[^<]*</span>([^<]*)</p>', overview)
    if not progress.latest:  # no approved progress at all: no figures of zeros, but what will come
        assert big is None and "No progress on this plan has been approved yet" in overview
        return
    agree("overview", "plan", SLUG, shown(big.group(1)))
    for key, percent in rows_of(overview, rf'href="/plans/{SLUG}/goals/(\d+)/"').items():
        agree("overview", "goal", key, percent)
        goal_page = client.get(f"/plans/{SLUG}/goals/{key}/").text
        for ikey, ipercent in rows_of(goal_page, rf'href="/plans/{SLUG}/initiatives/(\d+)/"').items():
            agree("goal page", "initiative", ikey, ipercent)
            page = client.get(f"/plans/{SLUG}/initiatives/{ikey}/").text
            for dkey, dpercent in rows_of(page, rf'href="/plans/{SLUG}/initiatives/\d+/([\d.]+)/"').items():
                agree("initiative page", "deliverable", dkey, dpercent)

    # The API.
    plan_api = client.get(f"/api/plans/{SLUG}/").json()["figure"]
    agree("API", "plan", SLUG, number(plan_api["percent"]), (plan_api["deliverables_reported"],
                                                              plan_api["deliverables_total"]))  # fmt: skip
    for level, url, key in (("goal", f"/api/goals/?plan__slug={SLUG}", "number"),
                            ("initiative", f"/api/initiatives/?plan={SLUG}", "number"),
                            ("deliverable", f"/api/deliverables/?plan={SLUG}", "code")):  # fmt: skip
        for row in api_rows(client, url):
            figure = row["figure"]
            agree("API", level, str(row[key]), number(figure["percent"]),
                  (figure["deliverables_reported"], figure["deliverables_total"]))  # fmt: skip

    # The CSV files.
    for level, name, key in (("initiative", "initiatives", "initiative_number"),
                             ("deliverable", "deliverables", "deliverable_code")):  # fmt: skip
        for row in csv_rows(client, f"/data/{name}.csv?plan={SLUG}"):
            agree("CSV", level, row[key], number(row["percent_complete"]),
                  (int(row["deliverables_reported"]), int(row["deliverables_total"])))  # fmt: skip

    # The meeting pack of a round published now, holding every approved update.
    pack = csv_rows(client, f"/plans/{SLUG}/rounds/{published.pk}/meeting-pack/?format=csv")
    keys = {"plan": lambda item: SLUG,
            "goal": lambda item: item.split(":")[0].removeprefix("Strategic goal "),
            "initiative": lambda item: item.split(":")[0].removeprefix("Initiative "),
            "deliverable": lambda item: item.split(" ")[0]}  # fmt: skip
    figures_in_pack = [row for row in pack if row["section"] in keys]
    assert len(figures_in_pack) == len(expected)
    for row in figures_in_pack:
        coverage = (int(row["deliverables_reported"]), int(row["deliverables_total"]))
        key = keys[row["section"]](row["item"])
        agree("meeting pack", row["section"], key, number(row["percent_complete"]), coverage)

    # The quality flags read the same figures: overdue and done mean the same to both.
    deliverables = list(Deliverable.objects.filter(initiative__plan=plan).select_related("initiative__plan"))
    flags = quality.flags_for(deliverables)
    for deliverable in deliverables:
        figure = progress.deliverables[deliverable.pk]
        found = flags.get(deliverable.pk, [])
        assert (quality.OVERDUE in found) == (figure.schedule == Schedule.OVERDUE)
        if is_done(figure.status):
            assert quality.STALE not in found and quality.OVERDUE not in found
