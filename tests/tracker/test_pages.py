import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.urls import reverse

from tests.helpers import text_of

pytestmark = pytest.mark.django_db


def test_sample_banner_only_when_sample_data_is_loaded(client):
    assert "Sample data:" not in text_of(client.get(reverse("home")))
    call_command("load_plan", "--sample", stdout=io.StringIO())
    assert "Sample data:" in client.get(reverse("home")).text


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "data_version": "ok"}


def test_healthz_answers_503_when_the_database_does_not(client):
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor", side_effect=OperationalError("down")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"].startswith("unreachable")


def test_the_liveness_check_answers_even_when_the_database_does_not(client, django_assert_num_queries):
    down = mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor", side_effect=OperationalError("down")
    )
    with down, django_assert_num_queries(0):
        response = client.get("/healthz/alive")
    assert response.status_code == 200 and response.content == b"ok"
