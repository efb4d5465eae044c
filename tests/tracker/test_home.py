"""The admin's home page says what needs doing, per role (tracker.site.home)."""

import datetime

import pytest
from django.urls import reverse

from goals.models import ActionPlan, ProgressUpdate, ReportingRound
from partners.models import CooperationProgramme, ProgrammeReport

pytestmark = pytest.mark.django_db


def home(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response.text


def items(page):
    section = page.split('id="what-needs-doing"', 1)[1].split("</ul>", 1)[0]
    return [" ".join(item.split("</li>")[0].split()) for item in section.split("<li")[1:]]


def test_the_secretariat_sees_each_plans_round_reviews_missing_reports_and_flags(
    login, staff, open_round, update
):
    ProgressUpdate.objects.filter(pk=update.pk).update(review_state="submitted")
    page = home(login(staff.secretariat))
    listed = " | ".join(items(page))
    assert "Test round (ASEAN IPR Action Plan 2016-2025) is open and closes on 15 Dec 2026" in listed
    assert "1 progress update waiting for review." in listed
    assert reverse("admin:goals_progressupdate_changelist") + "?review_state__exact=submitted" in page
    assert "still missing in Test round" in listed
    assert reverse("admin:goals_reportinground_missing", args=[open_round.pk]) in page
    plan = ActionPlan.objects.get(slug="2026-2030")
    assert f"No reporting round is open or planned for the {plan.title}." in listed


def test_a_round_past_its_closing_date_asks_to_be_closed(login, staff, open_round):
    ReportingRound.objects.filter(pk=open_round.pk).update(
        opens_on=datetime.date(2026, 1, 1), closes_on=datetime.date(2026, 1, 10)
    )
    listed = " | ".join(items(home(login(staff.secretariat))))
    assert "its closing date, 10 Jan 2026, has passed." in listed and "Close it" in listed


def test_a_focal_point_sees_what_is_owed_and_what_was_returned(login, staff, open_round, update):
    update.review_state = "returned"
    update.review_note = "Add the evidence."
    update.save()
    listed = " | ".join(items(home(login(staff.ph))))
    assert "to record in Test round (by 15 Dec 2026)." in listed
    assert "1 update returned to you for changes." in listed
    other = " | ".join(items(home(login(staff.th))))
    assert "returned to you" not in other  # the returned update is not Thailand's


def test_a_partner_reporter_is_reminded_of_last_years_article_67_reports(login, staff):
    year = datetime.date.today().year - 1
    running = CooperationProgramme.objects.filter(partner__slug="euipo", start_year__lte=year).exclude(
        end_year__lt=year
    )
    assert running.exists()
    listed = " | ".join(items(home(login(staff.euipo))))
    for programme in running:
        if not programme.reports.filter(year=year).exists():
            assert f"No {year} report is recorded for {programme.name}." in listed
    first = running.first()
    ProgrammeReport.objects.filter(programme=first, year=year).delete()
    ProgrammeReport.objects.create(programme=first, year=year)
    assert f"for {first.name}." not in " | ".join(items(home(login(staff.euipo))))


def test_nothing_waiting_is_said_plainly(login, staff):
    assert "Nothing is waiting for you." in home(login(staff.viewer))
