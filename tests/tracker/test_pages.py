import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.urls import reverse

from goals.models import ActionPlan

pytestmark = pytest.mark.django_db


def test_home_lists_the_plans_their_goals_and_initiatives(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    page = response.text
    assert "ASEAN IPR Action Plan 2016-2025" in page and "ASEAN IPR Action Plan 2026-2030" in page
    assert "Goal 4: Strengthen regional mechanisms" in page
    assert "Join the Madrid Protocol, the Hague Agreement and the Patent Cooperation Treaty" in page
    assert page.index('id="plan-2026-2030"') < page.index('id="plan-2016-2025"')  # newest plan first


def test_home_marks_unconfirmed_records_as_provisional(client):
    page = client.get(reverse("home")).text
    assert "Regional IP search databases" in page
    assert 'class="tag tag-provisional"' in page


def test_home_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    with django_assert_num_queries(4):  # sample flag, plans, goals, initiatives
        client.get(reverse("home"))


def test_home_without_any_plan_says_how_to_load_one(client):
    ActionPlan.objects.all().delete()
    assert "load_plan" in client.get(reverse("home")).text


def test_sample_banner_only_when_sample_data_is_loaded(client):
    assert "Sample data:" not in client.get(reverse("home")).text
    call_command("load_plan", "--sample", stdout=io.StringIO())
    assert "Sample data:" in client.get(reverse("home")).text


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_does_not(client):
    with mock.patch("tracker.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
