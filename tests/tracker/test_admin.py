"""Every admin page loads for a superuser, bad input is refused on the form with a clear message
and nothing saved, and no edit is lost: a save over someone else's newer one is refused
(tracker.admin)."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from goals.models import Deliverable, Initiative, ProgressUpdate
from tests.helpers import form_data

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_changelist_add_and_change_pages_load(admin_client, superuser, model):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    # Frozen records (published snapshots) cannot be added by hand, even by a superuser.
    request = RequestFactory().get("/")
    request.user = superuser
    can_add = admin.site._registry[model].has_add_permission(request)
    assert admin_client.get(admin_url(model, "add")).status_code == (200 if can_add else 403)
    record = model.objects.first()
    if record is not None:
        assert admin_client.get(admin_url(model, "change", record.pk)).status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_changelist_search_works(admin_client, model):
    if admin.site._registry[model].search_fields:
        assert admin_client.get(admin_url(model, "changelist"), {"q": "ASEAN"}).status_code == 200


def test_every_plan_model_is_registered():
    from django.apps import apps

    for app in ("goals", "partners"):
        for model in apps.get_app_config(app).get_models():
            if not model.__name__.startswith("Historical"):  # audit history is shown per record
                assert model in admin.site._registry, model


def progress_form(deliverable, **overrides):
    data = {
        "deliverable": deliverable.pk,
        "status": "in_progress",
        "percent_complete": "40",
        "reported_on": "2026-01-15",
        "reported_on_precision": "day",
        "review_state": "draft",
    }
    return {**data, **overrides}


def test_percent_150_is_refused_on_the_form(admin_client):
    deliverable = Deliverable.objects.get(initiative__plan__slug="2016-2025", code="1.3")
    before = ProgressUpdate.objects.count()
    response = admin_client.post(
        admin_url(ProgressUpdate, "add"), progress_form(deliverable, percent_complete="150")
    )
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 100." in response.text
    assert ProgressUpdate.objects.count() == before


def test_a_valid_update_is_saved(admin_client):
    deliverable = Deliverable.objects.get(initiative__plan__slug="2016-2025", code="1.3")
    response = admin_client.post(admin_url(ProgressUpdate, "add"), progress_form(deliverable))
    assert response.status_code == 302
    assert deliverable.progress_updates.get().percent_complete == 40


def test_duplicate_deliverable_code_is_refused_on_the_form(admin_client):
    initiative = Initiative.objects.get(plan__slug="2016-2025", number=8)
    data = {"initiative": initiative.pk, "code": "8.1", "title": "Another", "kind": "output", "weight": "1"}
    response = admin_client.post(admin_url(Deliverable, "add"), data)
    assert response.status_code == 200
    assert "This initiative already has a deliverable with this code." in response.text


def test_duplicate_initiative_number_in_a_plan_is_refused_on_the_form(admin_client):
    goal = Initiative.objects.get(plan__slug="2016-2025", number=8).goal
    data = {"goal": goal.pk, "number": "5", "title": "Clash", "weight": "1"}
    response = admin_client.post(admin_url(Initiative, "add"), data)
    assert response.status_code == 200
    assert "This plan already has an initiative with this number." in response.text


def test_end_before_start_is_refused_on_the_form(admin_client):
    initiative = Initiative.objects.get(plan__slug="2016-2025", number=8)
    data = {
        "initiative": initiative.pk, "code": "8.99", "title": "Backwards", "kind": "output", "weight": "1",
        "planned_start": "2024-06-01", "planned_end": "2024-01-01",
    }  # fmt: skip
    response = admin_client.post(admin_url(Deliverable, "add"), data)
    assert response.status_code == 200
    assert "The planned end cannot come before the planned start." in response.text
    assert not Deliverable.objects.filter(code="8.99").exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(admin_url(ProgressUpdate, "changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


class TestNoLostEdits:
    def test_the_second_of_two_concurrent_saves_is_refused_and_says_what_changed(self, client, staff, update):
        change = reverse("admin:goals_progressupdate_change", args=[update.pk])
        client.force_login(staff.ph)
        first_form = client.get(change).context["adminform"].form
        seen = first_form["seen_version"].value()

        from django.test import Client

        other = Client()
        other.force_login(staff.secretariat)
        other_seen = other.get(change).context["adminform"].form["seen_version"].value()
        assert (
            other.post(change, form_data(update, percent_complete="75", seen_version=other_seen)).status_code
            == 302
        )

        response = client.post(change, form_data(update, narrative="My overwrite", seen_version=seen))
        assert response.status_code == 200
        assert "someone else changed this record" in response.text
        assert "sec saved it" in response.text and "percent complete" in response.text
        update.refresh_from_db()
        assert (update.percent_complete, update.narrative) == (75, "First version")

    def test_a_save_without_interference_goes_through(self, client, staff, update):
        change = reverse("admin:goals_progressupdate_change", args=[update.pk])
        client.force_login(staff.ph)
        seen = client.get(change).context["adminform"].form["seen_version"].value()
        assert (
            client.post(change, form_data(update, narrative="Edited", seen_version=seen)).status_code == 302
        )
        assert ProgressUpdate.objects.get(pk=update.pk).narrative == "Edited"


@pytest.mark.parametrize("order, direction", [("1", 1), ("-1", -1)])
def test_the_deliverable_list_sorts_codes_in_natural_order(admin_client, order, direction):
    response = admin_client.get(
        reverse("admin:goals_deliverable_changelist"), {"o": order, "initiative__plan__id__exact": 1}
    )
    assert response.status_code == 200
    codes = [row.code for row in response.context["cl"].result_list]
    numbers = [tuple(int(part) for part in code.split(".")) for code in codes if code[0].isdigit()]
    assert len(numbers) > 10 and numbers == sorted(numbers, reverse=direction < 0)
