"""The data version moves, in the same transaction, with every change to public data, however it
is made; it stays put for what the public never sees (drafts and submissions)."""

import datetime

import pytest
from django.db import connection, transaction

from goals import workflow
from goals.models import Deliverable, ProgressUpdate, Responsibility
from partners.models import CooperationProgramme, Partner
from tracker.core import dataversion

pytestmark = pytest.mark.django_db


def test_every_public_table_carries_the_triggers_and_history_tables_do_not():
    watched = dataversion.watched_tables()
    assert dataversion.triggered_tables() == watched
    assert {"goals_progressupdate", "goals_deliverable", "partners_cooperationprogramme_co_partners"} <= set(
        watched
    )
    assert not [table for table in watched if "historical" in table]


def madrid():
    return Deliverable.objects.get(initiative__plan__slug="2016-2025", code="5.1")


def rename(d):
    d.title = "Renamed"
    d.save()


def sql(statement):
    with connection.cursor() as cursor:
        cursor.execute(statement)


CHANGES = {
    "a save": lambda: rename(madrid()),
    "a bulk update": lambda: Deliverable.objects.filter(code="5.1").update(title="Renamed in bulk"),
    "a delete": lambda: Responsibility.objects.filter(deliverable__code="8.1").delete(),
    # Django adds links with INSERT OR IGNORE on SQLite, which once silenced the trigger.
    "a many-to-many link": lambda: CooperationProgramme.objects.first().co_partners.add(
        Partner.objects.last()
    ),
    "plain SQL": lambda: sql("UPDATE partners_partner SET name = name || ' (renamed)' WHERE slug = 'wipo'"),
    "plain SQL deleting an approved update": lambda: sql(
        f"DELETE FROM goals_progressupdate WHERE id = {ProgressUpdate.objects.public().first().pk}"
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_any_change_to_public_data_moves_the_version(change):
    before = dataversion.read()
    CHANGES[change]()
    assert dataversion.read() != before


def test_drafts_and_submissions_keep_it_and_approval_moves_it(staff, open_round):
    before = dataversion.read()
    tmview = Deliverable.objects.get(initiative__plan__slug="2016-2025", code="8.1")
    update = ProgressUpdate.objects.create(
        deliverable=tmview, round=open_round, status="in_progress", percent_complete=30,
        reported_on=datetime.date(2026, 11, 10), submitted_by=staff.ph,
    )  # fmt: skip
    update.narrative = "Edited draft"
    update.save()
    workflow.submit(update, by=staff.ph)
    draft = ProgressUpdate.objects.create(
        deliverable=update.deliverable,
        status="in_progress",
        percent_complete=5,
        reported_on=datetime.date(2026, 11, 11),
    )
    draft.delete()
    assert dataversion.read() == before
    workflow.approve(update, by=staff.secretariat)
    after_approval = dataversion.read()
    assert after_approval != before
    workflow.unapprove(update, by=staff.secretariat, reason="A typo in the percent")
    assert dataversion.read() != after_approval


def test_a_rolled_back_change_never_moves_it_and_a_version_is_never_reused():
    before = dataversion.read()
    with transaction.atomic():
        rename(madrid())
        inside = dataversion.read()
        transaction.set_rollback(True)
    assert dataversion.read() == before and inside != before
    rename(madrid())
    assert dataversion.read() not in (before, inside)


def test_a_database_without_the_triggers_is_not_ready(client):
    if connection.vendor == "sqlite":
        sql("DROP TRIGGER tracker_data_version_goals_deliverable_update")
    else:
        sql('DROP TRIGGER tracker_data_version ON "goals_deliverable"')
    response = client.get("/healthz")
    assert response.status_code == 503 and "triggers missing" in response.json()["database"]
    dataversion.install_triggers()
    assert client.get("/healthz").status_code == 200
