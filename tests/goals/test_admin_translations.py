"""The translations of plans, goals, initiatives and deliverables, entered in the admin as plain
fields per language ("Title (Bahasa Indonesia)"), kept in their ``translations`` JSON."""

import re

import pytest

from goals.models import ActionPlan, StrategicGoal
from tests.deployment.servers import form_values
from tests.helpers import text_of

pytestmark = pytest.mark.django_db


def values_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    form_id = re.search(r'<form[^>]+id="([^"]+_form)"', response.text).group(1)
    data = {}
    for name, value in form_values(response.text, form_id):
        data.setdefault(name, []).append(value)
    return response, data


@pytest.fixture
def goal():
    return StrategicGoal.objects.filter(plan__slug="2016-2025").order_by("number").first()


def change_url(record):
    return f"/admin/goals/{record._meta.model_name}/{record.pk}/change/"


def test_the_form_offers_each_language_and_field_in_a_collapsed_fieldset(admin_client, goal):
    response, _values = values_of(admin_client, change_url(goal))
    page = " ".join(text_of(response).split())
    assert "Translations" in page
    assert "Title (Bahasa Indonesia)" in page
    assert "Description (Tiếng Việt)" in page
    assert 'name="translation_id_title"' in page
    plan = goal.plan
    page = text_of(admin_client.get(change_url(plan)))
    assert 'name="translation_vi_summary"' in page
    assert 'name="translation_vi_description"' not in page


def test_saving_the_form_stores_the_json_and_the_page_shows_it(admin_client):
    plan = ActionPlan.objects.get(slug="2016-2025")
    url, page = change_url(plan), "/id/plans/2016-2025/goals/1/"  # the plan's title in the breadcrumbs
    _response, values = values_of(admin_client, url)
    values.update({"translation_id_title": ["Rencana Aksi Uji Coba"], "translation_vi_summary": ["Tóm tắt"]})
    response = admin_client.post(url, values)
    assert response.status_code == 302, response.context["adminform"].form.errors
    plan.refresh_from_db()
    assert plan.translations == {"id": {"title": "Rencana Aksi Uji Coba"}, "vi": {"summary": "Tóm tắt"}}
    assert "Rencana Aksi Uji Coba" in text_of(admin_client.get(page))
    assert "Rencana Aksi Uji Coba" not in text_of(admin_client.get(page.removeprefix("/id")))

    _response, values = values_of(admin_client, url)
    assert values["translation_id_title"] == ["Rencana Aksi Uji Coba"]
    values.update({"translation_id_title": ["  "]})
    assert admin_client.post(url, values).status_code == 302
    plan.refresh_from_db()
    assert plan.translations == {"vi": {"summary": "Tóm tắt"}}
    assert "Rencana Aksi Uji Coba" not in text_of(admin_client.get(page))


def test_a_goal_keeps_its_translation_through_the_form(admin_client, goal):
    url = change_url(goal)
    _response, values = values_of(admin_client, url)
    values.update({"translation_vi_title": ["Mục tiêu"], "translation_id_description": ["Uraian"]})
    assert admin_client.post(url, values).status_code == 302
    goal.refresh_from_db()
    assert goal.translations == {"vi": {"title": "Mục tiêu"}, "id": {"description": "Uraian"}}


def test_the_models_rule_still_refuses_what_the_json_may_not_hold(admin_client):
    plan = ActionPlan.objects.get(slug="2016-2025")
    ActionPlan.objects.filter(pk=plan.pk).update(translations={"fr": {"title": "Plan"}})
    url = change_url(plan)
    _response, values = values_of(admin_client, url)
    values["translation_id_title"] = ["Rencana"]
    response = admin_client.post(url, values)
    assert response.status_code == 200
    assert "is not a language of the site" in text_of(response)
    plan.refresh_from_db()
    assert plan.translations == {"fr": {"title": "Plan"}}
