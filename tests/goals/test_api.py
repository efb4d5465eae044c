"""The read-only JSON API: approved data only, the explorer's filters, a valid OpenAPI schema,
and a fixed number of queries per request."""

import datetime

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openapi_spec_validator import validate

from goals.models import Deliverable, MemberState, ProgressUpdate
from tests.factories import grow_twentyfold

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/plans/",
    "/api/goals/",
    "/api/initiatives/",
    "/api/deliverables/",
    "/api/progress-updates/",
    "/api/member-states/",
    "/api/bodies/",
    "/api/partners/",
    "/api/programmes/",
]
PER_PLAN = {"/api/initiatives/", "/api/deliverables/", "/api/progress-updates/"}


def test_the_openapi_schema_is_valid_and_covers_every_endpoint(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate(schema)
    for endpoint in ENDPOINTS:
        assert endpoint in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/deliverables/"]["get"]["parameters"]}
    assert {
        "plan",
        "goal",
        "status",
        "schedule",
        "body",
        "member_state",
        "partner",
        "year",
        "round",
        "q",
        "page",
    } <= parameters


# Lists of one plan's records default to the current plan (2026-2030, which has no progress yet).
OLD_PLAN = {"plan": "2016-2025"}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_list_is_public_paginated_json(client, endpoint):
    response = client.get(endpoint, OLD_PLAN if endpoint in PER_PLAN else {})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    body = response.json()
    assert {"count", "next", "previous", "results"} <= set(body) and body["results"]


def test_reading_the_schema_leaves_the_explorers_selects_as_they_are(client):
    assert client.get("/api/schema/").status_code == 200
    response = client.get("/explore/deliverables/?plan=2016-2025")
    assert response.status_code == 200
    assert '<option value="" selected>Any</option>' in response.content.decode()
    assert "---------" not in response.content.decode()


def test_plans_carry_their_figures(client):
    plan = client.get("/api/plans/2016-2025/").json()
    assert plan["figure"]["counts"]["completed"] > 0 and plan["figure"]["schedule"]


def test_deliverables_have_the_same_figures_as_the_site(client):
    rows = {
        d["code"]: d
        for d in client.get("/api/deliverables/", {**OLD_PLAN, "initiative": 5}).json()["results"]
    }
    madrid = rows["5.1"]["figure"]
    assert (madrid["percent"], madrid["states_done"], madrid["expected_states"]) == ("81.8", 9, 11)


def test_plans_and_deliverables_carry_the_data_quality_score_of_the_site(client):
    parts = {"score", "grade", "timeliness", "completeness", "evidence_coverage", "freshness"}
    plan = client.get("/api/plans/2016-2025/").json()["data_quality"]
    assert set(plan) == parts and plan["grade"] in ("good", "fair", "weak")
    rows = {
        d["code"]: d["data_quality"]
        for d in client.get("/api/deliverables/", {**OLD_PLAN, "initiative": 1}).json()["results"]
    }
    never = rows["1.3"]  # no approved progress yet, and no round published: only completeness counts
    assert (never["completeness"], never["evidence_coverage"], never["score"], never["grade"]) == (
        "0.0", None, "0.0", "weak"
    )  # fmt: skip
    page = client.get("/plans/2016-2025/initiatives/1/1.1/").text
    assert f"<strong>Data quality: {rows['1.1']['grade'].capitalize()}</strong>" in page


@pytest.mark.parametrize(
    ("query", "expected", "absent"),
    [
        ({"kind": "platform"}, "8.7", "1.1"),
        ({"body": "ipophl"}, "8.1", "9.1"),
        ({"partner": "wipo"}, "8.7", "8.1"),
        ({"status": "no_data"}, "1.3", "8.7"),
        ({"q": "academy"}, "7.2", "8.1"),
    ],
)
def test_filters_match_the_explorer(client, query, expected, absent):
    codes = {d["code"] for d in client.get("/api/deliverables/", {**OLD_PLAN, **query}).json()["results"]}
    assert expected in codes and absent not in codes


@pytest.mark.parametrize(
    "query", [{"goal": "x"}, {"status": "nope"}, {"plan": "1999-2000"}, {"round": "abc"}]
)
def test_invalid_filters_answer_400_with_reasons(client, query):
    response = client.get("/api/deliverables/", {**OLD_PLAN, **query})
    assert response.status_code == 400 and set(response.json()) == set(query)


def test_the_api_never_returns_unapproved_progress(client):
    madrid = Deliverable.objects.get(initiative__plan__slug="2016-2025", code="5.1")
    myanmar = MemberState.objects.get(iso_code="MM")
    planted = [
        ProgressUpdate.objects.create(
            deliverable=madrid,
            member_state=myanmar,
            status="completed",
            percent_complete=100,
            reported_on=datetime.date(2025, 6, 1),
            review_state=state,
            narrative="UNAPPROVED",
            evidence_url="https://example.org/x",
        )
        for state in ("draft", "submitted", "returned")
    ]
    listing = client.get("/api/progress-updates/", {**OLD_PLAN, "page_size": 1000, "q": "UNAPPROVED"}).json()
    assert listing["count"] == 0
    for update in planted:
        assert client.get(f"/api/progress-updates/{update.pk}/").status_code == 404
    figure = next(
        d
        for d in client.get("/api/deliverables/", {**OLD_PLAN, "initiative": 5}).json()["results"]
        if d["code"] == "5.1"
    )
    assert figure["figure"]["reporting_states"] == 9  # Myanmar's planted completion did not count


def test_the_api_is_read_only(client):
    assert client.post("/api/plans/", {"slug": "x"}).status_code == 405
    assert client.delete("/api/plans/2016-2025/").status_code == 405


@pytest.mark.parametrize(
    "endpoint", ["/api/deliverables/", "/api/progress-updates/", "/api/initiatives/", "/api/programmes/"]
)
def test_a_fixed_number_of_queries_whatever_the_size(client, endpoint):
    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get(endpoint, OLD_PLAN if endpoint in PER_PLAN else {}).status_code == 200
        return len(context)

    before = count()
    grow_twentyfold()
    assert count() == before
