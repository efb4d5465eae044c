"""The admin in plain words and local conventions: sections named by the tracker, dates as on
the public site, one time zone said once, people by their names."""

import datetime
import re

import pytest
from django.urls import reverse

from goals.models import ProgressUpdate
from tracker.core import roles

pytestmark = pytest.mark.django_db


def test_the_admins_sections_are_in_the_trackers_words(admin_client):
    page = admin_client.get(reverse("admin:index"))
    assert page.status_code == 200
    sections = [app["name"] for app in page.context["app_list"]]
    assert sections == ["Progress reporting", "The plan", "Partners", "People and security"]
    text = page.content.decode()
    for words in (
        "Sign-in lockouts",
        "Authenticator apps (two-factor sign-in)",
        "People",
        "Roles and their rights",
    ):
        assert words in text
    for jargon in (
        "Axes",
        "Access attempts",
        "Round snapshots",
        "TOTP devices",
        "Otp_Totp",
        "Authentication and",
    ):
        assert jargon not in text


def test_sample_data_is_called_so(admin_client):
    page = admin_client.get(reverse("admin:goals_progressupdate_changelist"))
    assert page.status_code == 200
    assert "By sample data" in page.content.decode() and "is sample" not in page.content.decode().lower()


def test_dates_read_as_on_the_public_site_and_the_time_zone_is_said_once(login, staff, update):
    ProgressUpdate.objects.filter(pk=update.pk).update(reported_on=datetime.date(2026, 11, 22))
    page = login(staff.secretariat).get(reverse("admin:goals_progressupdate_changelist"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "22 Nov 2026" in text and "Nov. 22, 2026" not in text
    assert "Dates and times are in Jakarta time (UTC+07:00)." in text
    assert "/static/css/admin.css" in text  # which leaves out the browser-zone comparison


def test_people_are_named_by_their_names(login, staff, update):
    staff.ph.first_name, staff.ph.last_name = "Maria", "Santos"
    staff.ph.save()
    ProgressUpdate.objects.filter(pk=update.pk).update(review_state="submitted", submitted_by=staff.ph)
    page = login(staff.secretariat).get(reverse("admin:goals_progressupdate_changelist"))
    assert page.status_code == 200 and "Maria Santos" in page.content.decode()
    people = login(staff.secretariat).get(reverse("admin:auth_user_changelist")).content.decode()
    assert "Maria Santos" in people and roles.FOCAL_POINT in people


@pytest.mark.parametrize(
    "list_page, section, words, jargon",
    [
        ("admin:goals_roundsnapshot_changelist", "Progress reporting",
         "Published rounds&#x27; frozen figures", ["Round snapshots", "round snapshot"]),
        ("admin:axes_accessattempt_changelist", "People and security", "Sign-in lockouts",
         ["Axes", "Access attempts", "Select access attempt"]),
        ("admin:axes_accesslog_changelist", "People and security", "Sign-in log", ["Access logs"]),
        ("admin:goals_progressupdate_changelist", "Progress reporting", "Progress updates",
         ["Select progress update to change", "Goals"]),
        ("admin:partners_partner_changelist", "Partners", "Partners", ["Select partner to change"]),
        ("admin:goals_indicator_changelist", "The plan", "Indicators", ["Select indicator to change"]),
    ],
)  # fmt: skip
def test_list_pages_are_titled_and_placed_in_the_trackers_words(
    admin_client, list_page, section, words, jargon
):
    page = admin_client.get(reverse(list_page))
    assert page.status_code == 200
    text = page.content.decode()
    crumbs = re.search(r'<div class="breadcrumbs">(.*?)</div>', text, re.S).group(1)
    assert [part.strip() for part in re.sub(r"<[^>]+>", "", crumbs).split("›")] == ["Home", section, words]
    assert f"<h1>{words}</h1>" in text and re.search(rf"<title>\s*{re.escape(words)}\s*\|", text)
    for word in jargon:
        assert word not in text


def test_a_records_page_is_placed_by_its_section(login, staff, update):
    page = login(staff.secretariat).get(reverse("admin:goals_progressupdate_change", args=[update.pk]))
    crumbs = re.search(r'<div class="breadcrumbs">(.*?)</div>', page.content.decode(), re.S).group(1)
    assert "Progress reporting" in crumbs and "Progress updates" in crumbs and "Goals" not in crumbs


def test_the_progress_lists_filters_name_each_body_apart_and_narrow_the_list(login, staff, update):
    from django.db.models import Q

    from goals.models import ActionPlan, Body, Responsibility

    client = login(staff.secretariat)
    changelist = reverse("admin:goals_progressupdate_changelist")
    page = client.get(changelist)
    titles = [spec.title for spec in page.context["cl"].filter_specs]
    for title in ("plan", "round", "review state", "responsible body"):
        assert any(title in str(shown).lower() for shown in titles), titles
    text = page.content.decode()
    assert "DIP (Lao PDR)" in text and "DIP (Thailand)" in text

    deliverable = update.deliverable
    responsible = Responsibility.objects.filter(
        Q(deliverable=deliverable) | Q(initiative=deliverable.initiative)
    ).values("body")
    body = Body.objects.filter(pk__in=responsible).first()
    other_body = Body.objects.filter(responsibilities__isnull=False).exclude(pk__in=responsible).first()
    other_plan = ActionPlan.objects.exclude(pk=deliverable.initiative.plan_id).first()
    narrowed = {
        f"deliverable__initiative__plan__id__exact={deliverable.initiative.plan_id}": True,
        f"deliverable__initiative__plan__id__exact={other_plan.pk}": False,
        f"round__id__exact={update.round_id}": True,
        "review_state__exact=draft": True,
        "review_state__exact=approved": False,
        f"body={body.slug}": True,
        f"body={other_body.slug}": False,
    }
    for query, listed in narrowed.items():
        shown = list(client.get(f"{changelist}?{query}").context["cl"].result_list)
        assert (update in shown) is listed, query
