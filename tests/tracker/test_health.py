"""An honest health check: `/healthz` answers 200 when the database answers, and 503, with the
reason, when it is unreachable, missing, empty (no migrations applied) or corrupt, on SQLite and
on PostgreSQL; a missing SQLite file is not created by asking. The cases of a broken database run
the app in a process of its own on that database. The liveness check `/healthz/alive` answers
without touching the database."""

import json
import os
import subprocess
import sys
import uuid
from unittest import mock

import pytest
from django.db import OperationalError

from tests.deployment.servers import ROOT, suite_database_url

ASK = (
    "import django, json; django.setup()\n"
    "from django.test import Client\n"
    "response = Client().get('/healthz')\n"
    "print(json.dumps([response.status_code, response.json()]))"
)


def health(database_url):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(DJANGO_SETTINGS_MODULE="tracker.settings", DATABASE_URL=database_url, DEBUG="true",
               ALLOWED_HOSTS="testserver")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", ASK], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    status, body = json.loads(done.stdout.strip().splitlines()[-1])
    return status, body["database"]


@pytest.mark.own_database
def test_a_missing_sqlite_database_is_unhealthy_and_not_created(tmp_path):
    path = tmp_path / "db.sqlite3"
    assert health(f"sqlite:///{path}") == (503, "missing: no database file")
    assert not path.exists()


@pytest.mark.own_database
def test_an_empty_sqlite_database_is_unhealthy(tmp_path):
    (tmp_path / "db.sqlite3").touch()
    status, reason = health(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert status == 503 and "no migrations applied" in reason


@pytest.mark.own_database
def test_a_corrupt_sqlite_database_is_unhealthy(tmp_path):
    path = tmp_path / "db.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    status, reason = health(f"sqlite:///{path}")
    assert status == 503 and "corrupt" in reason


@pytest.mark.own_database
def test_a_migrated_sqlite_database_is_healthy(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "true"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], env=env, cwd=ROOT, check=True, timeout=180
    )
    assert health(url) == (200, "ok")


@pytest.fixture
def postgresql_server():
    base = suite_database_url()
    if not base:
        pytest.skip("Runs in the PostgreSQL run of the suite (make test-postgres).")
    return base.rsplit("/", 1)[0]


def test_a_missing_postgresql_database_is_unhealthy(postgresql_server):
    status, reason = health(f"{postgresql_server}/tracker_missing_{uuid.uuid4().hex[:8]}")
    assert status == 503 and "unreachable" in reason


def test_an_empty_postgresql_database_is_unhealthy(postgresql_server):
    import psycopg

    name = f"tracker_empty_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{postgresql_server}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        status, reason = health(f"{postgresql_server}/{name}")
        assert status == 503 and "no migrations applied" in reason
    finally:
        with psycopg.connect(f"{postgresql_server}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "data_version": "ok"}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(client):
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor", side_effect=OperationalError("down")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"].startswith("unreachable")


@pytest.mark.django_db
def test_the_liveness_check_answers_even_when_the_database_does_not(client, django_assert_num_queries):
    down = mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor", side_effect=OperationalError("down")
    )
    with down, django_assert_num_queries(0):
        response = client.get("/healthz/alive")
    assert response.status_code == 200 and response.content == b"ok"
