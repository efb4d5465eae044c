"""Indicators: the records and their rules, the computed treaty-accession series, typed values
through the review workflow and its scoping, the CSV import, and what the public sees (pages, as
of a round, CSV, API)."""

import csv
import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goals import imports, workflow
from goals.indicators import indicator_data, series, states_completed
from goals.models import (
    ActionPlan,
    Indicator,
    IndicatorValue,
    MemberState,
    ProgressUpdate,
    ReportingRound,
    StrategicGoal,
)
from goals.progress import cached_plan_data
from goals.snapshots import progress_as_of
from tests.helpers import deliverable, download, text_of
from tests.sample import load_sample

pytestmark = pytest.mark.django_db

PLAN = "/plans/2016-2025"
MADRID = f"{PLAN}/indicators/member-states-party-to-the-madrid-protocol/"
DATA = Path(__file__).resolve().parents[2] / "goals" / "data" / "progress_updates.csv"


def computed(slug, as_of=None):
    plan = ActionPlan.objects.get(slug="2016-2025")
    indicator = Indicator.objects.with_context().get(plan=plan, slug=slug)
    plan_data = cached_plan_data(plan)
    return states_completed(indicator, plan_data, progress_as_of(plan_data, as_of))


@pytest.fixture
def typed(open_round):
    """A typed indicator on 8.1 (ASEAN TMview), which the Philippine office leads, and one per
    member state on initiative 5, which it implements for the Philippines."""
    plan = open_round.plan
    on_platform = Indicator.objects.create(
        deliverable=deliverable("8.1"),
        slug="tmview-searches",
        name="Searches on ASEAN TMview",
        unit="searches",
    )
    per_state = Indicator.objects.create(
        initiative=deliverable("5.1").initiative,
        slug="online-filing-share",
        name="Share of applications filed online",
        kind=Indicator.Kind.PERCENT,
        per_member_state=True,
    )
    return plan, on_platform, per_state


def value_of(indicator, round_, by, **fields):
    return IndicatorValue.objects.create(
        indicator=indicator,
        round=round_,
        value=fields.pop("value", Decimal(10)),
        measured_on=fields.pop("measured_on", datetime.date(2026, 11, 20)),
        source_url="https://example.org/source",
        submitted_by=by,
        **fields,
    )


# The records -----------------------------------------------------------------------------------


def test_an_indicator_is_attached_to_exactly_one_part_of_the_plan():
    goal = StrategicGoal.objects.get(plan__slug="2016-2025", number=1)
    both = Indicator(goal=goal, deliverable=deliverable("8.1"), slug="x", name="X")
    with pytest.raises(ValidationError, match="exactly one goal, initiative or deliverable"):
        both.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.create(goal=goal, initiative=deliverable("8.1").initiative, slug="x", name="X")


def test_slugs_are_unique_per_plan_and_a_computed_indicator_names_what_it_counts():
    goal = StrategicGoal.objects.get(plan__slug="2016-2025", number=1)
    same = Indicator(goal=goal, slug="member-states-party-to-the-madrid-protocol", name="Again")
    with pytest.raises(ValidationError, match="already has an indicator with this web address"):
        same.full_clean()
    lacking = Indicator(goal=goal, slug="y", name="Y", computed=Indicator.Computed.STATES_COMPLETED)
    with pytest.raises(ValidationError, match="needs the deliverable it counts"):
        lacking.full_clean()
    not_by_state = Indicator(goal=goal, slug="y", name="Y", computed="states_completed")
    not_by_state.counts_deliverable = deliverable("8.1")
    with pytest.raises(ValidationError, match="tracked per member state"):
        not_by_state.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.create(goal=goal, slug="z", name="Z", computed="states_completed")


def test_a_value_fits_its_indicator(typed, open_round, staff):
    _, on_platform, per_state = typed
    philippines = MemberState.objects.get(iso_code="PH")
    cases = [
        (IndicatorValue(indicator=per_state, round=open_round, value=50), "choose one"),
        (IndicatorValue(indicator=on_platform, round=open_round, member_state=philippines, value=5), "leave"),
        (
            IndicatorValue(indicator=per_state, round=open_round, member_state=philippines, value=120),
            "between 0",
        ),
    ]
    for value, message in cases:
        value.measured_on, value.source_url = datetime.date(2026, 11, 1), "https://example.org/"
        with pytest.raises(ValidationError, match=message):
            value.full_clean()
    madrid = Indicator.objects.get(slug="member-states-party-to-the-madrid-protocol")
    typed_in = IndicatorValue(indicator=madrid, round=open_round, member_state=philippines, value=1)
    typed_in.measured_on, typed_in.source_url = datetime.date(2026, 11, 1), "https://example.org/"
    with pytest.raises(ValidationError, match="never typed in"):
        typed_in.full_clean()


def test_one_value_per_indicator_round_and_member_state(typed, open_round, staff):
    _, on_platform, _ = typed
    value_of(on_platform, open_round, staff.ph)
    with pytest.raises(IntegrityError), transaction.atomic():
        value_of(on_platform, open_round, staff.ph, value=Decimal(11))


# The computed series ---------------------------------------------------------------------------


def accession_dates(code):
    """Each member state's entry into force, read straight from the data file."""
    with DATA.open(encoding="utf-8") as file:
        rows = [r for r in csv.DictReader(file) if r["deliverable"] == code and r["status"] == "completed"]
    return {row["member_state"]: datetime.date.fromisoformat(row["reported_on"]) for row in rows}


@pytest.mark.parametrize(
    ("slug", "code", "baseline"),
    [
        ("member-states-party-to-the-madrid-protocol", "5.1", 4),
        ("member-states-party-to-the-hague-agreement", "5.2", 2),
        ("member-states-party-to-the-pct", "5.3", 8),
    ],
)
def test_treaty_counts_by_year_match_the_accession_records(slug, code, baseline):
    one = computed(slug)
    dates = accession_dates(code)
    assert one.baseline.value == baseline == sum(d <= datetime.date(2016, 1, 1) for d in dates.values())
    assert one.baseline.date == datetime.date(2016, 1, 1)
    assert [p.label for p in one.points] == [str(year) for year in range(2016, 2026)]
    for point in one.points:
        assert point.value == sum(d <= datetime.date(int(point.label), 12, 31) for d in dates.values())
    # The target is every member state expected to act: Timor-Leste joined ASEAN in October 2025.
    assert one.target.value == 11 and one.target.date == datetime.date(2025, 12, 31)


def test_madrid_reads_as_the_records_say_and_each_new_party_has_its_source():
    one = computed("member-states-party-to-the-madrid-protocol")
    assert [int(p.value) for p in one.points] == [5, 7, 8, 9, 9, 9, 9, 9, 9, 9]
    in_2017 = one.points[1]
    assert {s.label for s in in_2017.sources} == {"Brunei Darussalam", "Thailand"}
    assert all(s.url.startswith("http") for p in one.points for s in p.sources)
    by_state = {row.state.iso_code: row.latest for row in one.states}
    assert by_state["MM"] is None and by_state["TL"] is None
    assert by_state["PH"].date == datetime.date(2012, 7, 25)


def test_only_approved_accessions_count(open_round, staff):
    before = computed("member-states-party-to-the-madrid-protocol").points[-1].value
    ProgressUpdate.objects.create(
        deliverable=deliverable("5.1"), member_state=MemberState.objects.get(iso_code="MM"), round=open_round,
        status="completed", percent_complete=100, reported_on=datetime.date(2025, 5, 1),
        evidence_url="https://example.org/mm", review_state="submitted", submitted_by=staff.ph,
    )  # fmt: skip
    assert computed("member-states-party-to-the-madrid-protocol").points[-1].value == before


@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    dates=st.dictionaries(
        st.sampled_from(["BN", "KH", "ID", "LA", "MM"]),
        st.dates(datetime.date(2000, 1, 1), datetime.date(2025, 12, 31)),
    )
)
def test_the_yearly_count_never_falls_and_stays_within_the_target(dates):  # fmt: skip
    """Whatever the accession dates, each year's count is the states in force by its end."""
    madrid = deliverable("5.1")
    with transaction.atomic():
        ProgressUpdate.objects.filter(deliverable=madrid).delete()
        for iso, day in dates.items():
            ProgressUpdate.objects.create(
                deliverable=madrid, member_state=MemberState.objects.get(iso_code=iso), status="completed",
                percent_complete=100, reported_on=day, evidence_url="https://example.org/",
                review_state="approved",
            )  # fmt: skip
        one = computed("member-states-party-to-the-madrid-protocol")
        values = [p.value for p in one.points]
        assert values == sorted(values) and all(v <= one.target.value for v in values)
        assert values[-1] == len(dates)
        transaction.set_rollback(True)


# Typed values: the workflow and who may write them ---------------------------------------------


def test_a_value_goes_from_draft_to_public_through_review(client, typed, open_round, staff):
    _, on_platform, _ = typed
    page = f"{PLAN}/indicators/tmview-searches/"
    value = value_of(on_platform, open_round, staff.ph, value=Decimal(1234))
    assert "1234 searches" not in text_of(client.get(page))
    workflow.submit(value, by=staff.ph)
    assert "1234 searches" not in text_of(client.get(page))
    with pytest.raises(workflow.WorkflowError, match="needs a note"):
        workflow.return_for_changes(value, by=staff.secretariat, note=" ")
    with pytest.raises(PermissionDenied):
        workflow.approve(value, by=staff.ph)
    workflow.approve(value, by=staff.secretariat)
    value.refresh_from_db()
    assert value.review_state == "approved" and value.reviewed_by == staff.secretariat
    assert "1234 searches" in text_of(client.get(page))
    assert value.history.count() >= 3  # created, submitted, approved: each kept
    assert workflow.allowed_actions(staff.ph, value) == frozenset()  # approved is locked


def test_a_focal_point_writes_the_values_of_its_own_indicators_only(typed, open_round, staff):
    from tracker.core import access

    _, on_platform, per_state = typed
    philippines, thailand = MemberState.objects.get(iso_code="PH"), MemberState.objects.get(iso_code="TH")
    mine = IndicatorValue(indicator=on_platform, round=open_round, value=1)
    own_state = IndicatorValue(indicator=per_state, round=open_round, member_state=philippines, value=1)
    other_state = IndicatorValue(indicator=per_state, round=open_round, member_state=thailand, value=1)
    assert access.may_write(staff.ph, mine) and access.may_write(staff.ph, own_state)
    assert not access.may_write(staff.ph, other_state)
    assert not access.may_write(staff.th, mine)
    assert not access.may_write(staff.viewer, mine) and not access.may_write(staff.euipo, mine)
    assert access.may_write(staff.secretariat, other_state)
    draft = value_of(on_platform, open_round, staff.ph)
    assert list(access.scope(IndicatorValue.objects.all(), staff.th)) == []  # a draft is not public
    assert list(access.scope(IndicatorValue.objects.all(), staff.ph)) == [draft]


def test_the_admin_submits_and_the_secretariat_reviews(login, typed, open_round, staff):
    _, on_platform, _ = typed
    admin = login(staff.ph)
    added = admin.post(
        reverse("admin:goals_indicatorvalue_add"),
        {"indicator": on_platform.pk, "round": open_round.pk, "value": "42", "measured_on": "2026-11-20",
         "source_url": "https://example.org/tmview", "note": "", "_submit_for_review": "1"},
    )  # fmt: skip
    assert added.status_code == 302
    value = IndicatorValue.objects.get(indicator=on_platform)
    assert value.review_state == "submitted" and value.submitted_by == staff.ph
    review = reverse("admin:goals_indicatorvalue_review", args=[value.pk])
    assert login(staff.ph).get(review).status_code == 403
    refused = login(staff.secretariat).post(review, {"decision": "return", "note": ""})
    assert refused.status_code == 200 and "needs a note" in refused.text
    value.refresh_from_db()
    assert value.review_state == "submitted"
    done = login(staff.secretariat).post(review, {"decision": "approve", "note": ""})
    assert done.status_code == 302
    value.refresh_from_db()
    assert value.review_state == "approved"


def test_a_computed_indicator_is_not_offered_for_typing(login, staff):
    page = login(staff.secretariat).get(reverse("admin:goals_indicatorvalue_add"))
    assert page.status_code == 200
    assert "Member states party to the Madrid Protocol" not in page.text


# Import ----------------------------------------------------------------------------------------

HEADER = "plan,indicator,member_state,measured_on,value,reporting_round,source_url,note\n"


def test_an_import_with_a_bad_row_saves_nothing_and_says_why(typed, open_round, staff):
    text = HEADER + (
        "2016-2025,tmview-searches,,2026-11-20,500,Test round,https://example.org/a,\n"
        "2016-2025,member-states-party-to-the-madrid-protocol,PH,2026-11-20,1,Test round,https://example.org/b,\n"
        "2016-2025,online-filing-share,TH,2026-11-20,50,Test round,https://example.org/c,\n"
        "2016-2025,online-filing-share,PH,2026-11-20,lots,Test round,https://example.org/d,\n"
        "2016-2025,no-such-indicator,,2026-11-20,1,Test round,https://example.org/e,\n"
    )
    results, written = imports.apply(imports.IndicatorValueImport(staff.ph), text)
    assert not written and IndicatorValue.objects.count() == 0
    errors = [" ".join(r.errors) for r in results]
    assert errors[0] == ""
    assert "never typed in" in errors[1]
    assert "You do not report for Thailand" in errors[2]
    assert "value must be a number" in errors[3]
    assert "has no indicator 'no-such-indicator'" in errors[4]


def test_an_import_submits_each_value_for_review(typed, open_round, staff):
    text = HEADER + "2016-2025,online-filing-share,PH,2026-11-20,61.5,Test round,https://example.org/a,\n"
    results, written = imports.apply(imports.IndicatorValueImport(staff.ph), text)
    assert written, [r.errors for r in results]
    value = IndicatorValue.objects.get()
    assert value.review_state == "submitted" and value.value == Decimal("61.5")


def test_an_import_into_a_round_not_open_is_refused(typed, open_round, staff):
    ReportingRound.objects.filter(pk=open_round.pk).update(state="closed")
    text = HEADER + "2016-2025,tmview-searches,,2026-11-20,5,Test round,https://example.org/a,\n"
    results, written = imports.apply(imports.IndicatorValueImport(staff.ph), text)
    assert not written and "not open for reporting" in " ".join(results[0].errors)


# What the public sees --------------------------------------------------------------------------


def test_the_indicator_page_draws_the_series_with_baseline_and_target(client):
    page = text_of(client.get(MADRID))
    assert "<svg" in page and "Baseline: 4 (2016)" in page and "Target: 11 (2025)" in page
    assert "Show the numbers" in page
    assert "dreyfus.fr" in page  # Brunei's accession record, the source of the 2017 value
    assert "By member state" in page and "Timor-Leste" in page
    assert "5.1 Accession to the Madrid Protocol" in page


def test_an_indicator_without_values_says_so_instead_of_a_chart(client, typed):
    page = text_of(client.get(f"{PLAN}/indicators/tmview-searches/"))
    assert "No value has been approved yet." in page and "chart-drawing" not in page


def test_the_list_and_the_pages_that_show_indicators(client, typed):
    listing = text_of(client.get(f"{PLAN}/indicators/"))
    assert "Member states party to the Patent Cooperation Treaty (PCT)" in listing
    assert "Searches on ASEAN TMview" in listing
    assert "Member states party to the Madrid Protocol" in text_of(client.get(f"{PLAN}/"))
    goal_of_madrid = deliverable("5.1").initiative.goal.number
    assert "Member states party to the Madrid Protocol" in text_of(
        client.get(f"{PLAN}/goals/{goal_of_madrid}/")
    )
    other_goal = text_of(client.get(f"{PLAN}/goals/4/"))
    assert "Member states party to the Madrid Protocol" not in other_goal
    state = text_of(client.get("/member-states/philippines/"))
    assert "Member states party to the Madrid Protocol" in state and "since 25 Jul 2012" in state


def test_unknown_indicators_and_rounds_are_refused(client):
    missing = client.get(f"{PLAN}/indicators/no-such-thing/")
    assert missing.status_code == 404 and "has no indicator" in missing.text
    assert client.get(f"{MADRID}?round=999999").status_code == 400
    assert client.get("/plans/nope/indicators/").status_code == 404


def test_as_of_a_round_only_what_was_known_then_counts(client):
    load_sample()
    published = list(
        ReportingRound.objects.filter(plan__slug="2016-2025", state="published").order_by("closes_on")
    )
    final = ReportingRound.objects.get(plan__slug="2016-2025", name="Sample round: final 2025")
    ProgressUpdate.objects.create(
        deliverable=deliverable("5.1"), member_state=MemberState.objects.get(iso_code="MM"), round=final,
        status="completed", percent_complete=100, reported_on=datetime.date(2025, 9, 1),
        evidence_url="https://example.org/myanmar-madrid", review_state="approved",
    )  # fmt: skip
    assert "myanmar-madrid" in text_of(client.get(MADRID))
    then = text_of(client.get(f"{MADRID}?round={published[-1].pk}"))
    assert "myanmar-madrid" not in then and "As of Sample round: mid-2025" in then
    sample = f"{PLAN}/indicators/sample-ip-office-staff-trained/"
    now = [r["reporting_round"] for r in download(client, f"{sample}?format=csv")]
    assert now == ["Sample round: mid-2024", "Sample round: end-2024", "Sample round: mid-2025"]
    then = [r["reporting_round"] for r in download(client, f"{sample}?format=csv&round={published[0].pk}")]
    assert then == ["Sample round: mid-2024"]
    assert "Sample data:" in text_of(client.get(f"{sample}?round={published[0].pk}"))


def test_csv_files_and_the_dataset_carry_indicators(client, typed, open_round, staff):
    _, on_platform, _ = typed
    value = value_of(on_platform, open_round, staff.ph, value=Decimal(77))
    rows = download(client, "/data/indicator_values.csv?plan=2016-2025")
    madrid = [
        r
        for r in rows
        if r["indicator"] == "member-states-party-to-the-madrid-protocol" and not r["member_state"]
    ]
    assert [r["value"] for r in madrid] == ["5", "7", "8", "9", "9", "9", "9", "9", "9", "9"]
    assert all(r["computed"] == "true" for r in madrid)
    assert not [r for r in rows if r["indicator"] == "tmview-searches"]  # a draft is never public
    IndicatorValue.objects.filter(pk=value.pk).update(review_state="approved")
    rows = download(client, "/data/indicator_values.csv")
    assert [r["source_url"] for r in rows if r["indicator"] == "tmview-searches"] == [
        "https://example.org/source"
    ]
    listed = download(client, "/data/indicators.csv")
    pct = next(r for r in listed if r["indicator"] == "member-states-party-to-the-pct")
    assert (pct["baseline_value"], pct["target_value"], pct["measures"]) == ("8", "11", "deliverable 5.3")
    assert client.get("/data/indicators.csv?partner=x").status_code == 400


def test_the_api_lists_indicators_with_their_values_and_sources(client):
    answer = client.get("/api/indicators/?plan=2016-2025")
    assert answer.status_code == 200
    madrid = next(i for i in answer.json() if i["slug"] == "member-states-party-to-the-madrid-protocol")
    assert madrid["baseline"]["value"] == "4.00" and madrid["targets"][0]["value"] == "11.00"
    assert madrid["values"][1]["label"] == "2017" and len(madrid["values"][1]["sources"]) == 2
    assert madrid["measures"] == {"deliverable": "5.1"}
    assert client.get(f"/api/indicators/{madrid['id']}/").json()["slug"] == madrid["slug"]
    assert client.get("/api/indicators/?plan=nope").status_code == 400
    assert client.get("/api/indicators/999999/").status_code == 404


def test_the_series_is_read_once_for_pages_csv_and_api_alike(client):
    plan = ActionPlan.objects.get(slug="2016-2025")
    data = indicator_data(plan)
    plan_data = cached_plan_data(plan)
    ones = [series(i, data, plan_data, progress_as_of(plan_data)) for i in data.indicators]
    api = {i["slug"]: [v["value"] for v in i["values"]] for i in client.get("/api/indicators/").json()}
    for one in ones:
        assert api[one.indicator.slug] == [f"{p.value:.2f}" for p in one.points]


def test_an_approved_value_moves_the_date_the_data_changed(typed, open_round, staff):
    from goals.selectors import public_data_state

    _, on_platform, _ = typed
    value = value_of(on_platform, open_round, staff.ph)
    before = public_data_state().changed_at
    workflow.submit(value, by=staff.ph)
    assert public_data_state().changed_at == before  # a submission is not public
    workflow.approve(value, by=staff.secretariat)
    value.refresh_from_db()
    assert public_data_state().changed_at == value.updated_at


def test_the_chart_marks_each_year_under_its_point_and_labels_baseline_and_target():
    from goals.charts import indicator_chart

    chart = indicator_chart(computed("member-states-party-to-the-madrid-protocol"))
    assert chart.drawn and len(chart.rows) == 10 and chart.rows[0] == ("2016", "5")
    for drawing in chart.drawings:
        years = {tick["text"]: tick["x"] for tick in drawing["years"]}
        points = {p["point"].label: p["x"] for p in drawing["points"]}
        assert all(points[year] == x for year, x in years.items())
        assert "2025" in years  # the latest year is always labelled
        labels = [mark["label"] for mark in drawing["marks"]]
        assert labels == ["Baseline: 4 (2016)", "Target: 11 (2025)"]
        assert all(drawing["top"] <= mark["y"] <= drawing["bottom"] for mark in drawing["marks"])
