"""The review page (goals.review_admin): the update in its plan, the last approved update beside
it with the changes marked, the evidence inline, a decision required, and the next one at hand."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from goals.models import ProgressUpdate
from tests.helpers import deliverable

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(update):
    ProgressUpdate.objects.filter(pk=update.pk).update(review_state="submitted")
    update.refresh_from_db()
    return update


def review_url(update):
    return reverse("admin:goals_progressupdate_review", args=[update.pk])


def test_the_last_approved_update_is_shown_beside_the_new_one(login, staff, submitted):
    previous = (
        ProgressUpdate.objects.filter(deliverable=submitted.deliverable, review_state="approved")
        .order_by("-reported_on", "-pk")
        .first()
    )
    page = login(staff.secretariat).get(review_url(submitted))
    assert page.status_code == 200
    text = page.content.decode()
    assert "ASEAN IPR Action Plan 2016-2025" in text and "Initiative 8" in text and "8.1 ASEAN TMview" in text
    rows = {row.label: row for row in page.context["comparison"]}
    assert rows["Status"].before == previous.get_status_display() and rows["Status"].after == "In progress"
    assert rows["Percent complete"].after == "60\u00a0%" and rows["Percent complete"].changed
    assert rows["Narrative"].after == "First version"
    assert text.count('class="change-mark"') == sum(row.changed for row in rows.values())


def test_a_first_update_says_there_is_nothing_before_it(login, staff, open_round):
    first = ProgressUpdate.objects.create(
        deliverable=deliverable("5.2"), member_state_id=None, round=open_round, status="in_progress",
        percent_complete=10, reported_on=datetime.date(2026, 11, 10), review_state="submitted",
        submitted_by=staff.aspec,
    )  # fmt: skip
    ProgressUpdate.objects.filter(deliverable=first.deliverable, member_state=None).exclude(
        pk=first.pk
    ).delete()
    page = login(staff.secretariat).get(review_url(first))
    assert page.status_code == 200 and "was approved before: this is the first." in page.content.decode()


def test_confirming_without_a_decision_says_so_and_changes_nothing(login, staff, submitted):
    response = login(staff.secretariat).post(review_url(submitted), {"note": "Looks fine"})
    assert response.status_code == 200
    assert "Choose a decision: nothing was changed." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.review_state == "submitted"


def test_confirm_and_review_the_next_goes_to_the_next_waiting_update(login, staff, submitted, open_round):
    other = ProgressUpdate.objects.create(
        deliverable=deliverable("9.1"), round=open_round, status="in_progress", percent_complete=20,
        reported_on=datetime.date(2026, 11, 12), review_state="submitted", submitted_by=staff.aspec,
    )  # fmt: skip
    client = login(staff.secretariat)
    page = client.get(review_url(submitted))
    assert "1 other update waiting for review" in page.content.decode()
    response = client.post(review_url(submitted), {"decision": "approve", "next": "1"})
    assert response.status_code == 302 and response.url == review_url(other)
    submitted.refresh_from_db()
    assert submitted.review_state == "approved"
    last = client.post(review_url(other), {"decision": "return", "note": "Add evidence"})
    assert last.status_code == 302
    assert last.url == reverse("admin:goals_progressupdate_change", args=[other.pk])


@pytest.mark.parametrize(
    "name, shown",
    [("launch.pdf", "<iframe"), ("photo.png", "<img"), ("notes.txt", None)],
)
def test_the_evidence_file_is_shown_on_the_page(login, staff, submitted, settings, tmp_path, name, shown):
    settings.MEDIA_ROOT = tmp_path
    submitted.evidence_file.save(name, ContentFile(b"%PDF-1.4 test" if name.endswith("pdf") else b"x"))
    text = login(staff.secretariat).get(review_url(submitted)).content.decode()
    evidence = reverse("evidence", args=[submitted.pk])
    assert f'href="{evidence}"' in text
    if shown:
        assert f'{shown} src="{evidence}"' in text
    else:
        assert f'src="{evidence}"' not in text
