"""The staff admin in a browser: lists fit a 1280-pixel screen without sideways scrolling, and
the pages the secretariat and focal points work in pass axe like the public site. Screenshots
of each are saved for review."""

import datetime
import json

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from goals.models import ActionPlan, ProgressUpdate, ReportingRound
from tests.browser.conftest import screenshot
from tests.browser.test_public_site import axe_violations
from tracker.core import roles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTS = {
    "progress-updates": "/admin/goals/progressupdate/",
    "rounds": "/admin/goals/reportinground/",
    "deliverables": "/admin/goals/deliverable/",
    "people": "/admin/auth/user/",
    "lineage-links": "/admin/goals/lineagelink/",
}
PAGES = {
    "home": "/admin/",
    "progress-update-list": "/admin/goals/progressupdate/",
    "people-add": "/admin/auth/user/add/",
    "lineage-link-add": "/admin/goals/lineagelink/add/",
    "my-deliverables": "/admin/my-deliverables/",
    "review": "REVIEW",
    "record-progress": "/admin/goals/progressupdate/add/",
    "round-publish-confirmation": "/admin/goals/reportinground/ROUND/publish/",
    "missing-reports": "/admin/goals/reportinground/ROUND/missing/",
    "reminder-preview": "/admin/goals/reportinground/ROUND/remind/",
    "import": "/admin/goals/progressupdate/import/",
    "sign-in": "SIGNED-OUT/admin/login/",
    "password-reset": "SIGNED-OUT/admin/password-reset/",
}


def an_open_round():
    """The 2016-2025 plan's open round, opened here if the data has none."""
    found = ReportingRound.objects.filter(state="open").first()
    return found or ReportingRound.objects.create(
        plan=ActionPlan.objects.get(slug="2016-2025"), name="Axe round", state="open",
        opens_on=datetime.date.today() - datetime.timedelta(days=5),
        closes_on=datetime.date.today() + datetime.timedelta(days=20),
    )  # fmt: skip


@pytest.fixture
def secretariat_page(site, browser, django_user_model):
    """A browser signed in as a secretariat member (axe needs its script let in: bypass_csp)."""
    person = django_user_model.objects.create_user(
        "maria@example.org", "maria@example.org", "a-long-test-password", is_staff=True,
        first_name="Maria", last_name="Santos",
    )  # fmt: skip
    person.groups.add(Group.objects.get(name=roles.SECRETARIAT))
    staff = Client()
    staff.force_login(person)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    context.add_cookies([{"name": "sessionid", "value": staff.cookies["sessionid"].value, "url": site}])
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize(("name", "path"), LISTS.items())
def test_lists_fit_a_1280_pixel_screen(site, secretariat_page, name, path):
    page = secretariat_page
    assert page.goto(site + path).status == 200
    screenshot(page, f"admin-{name}-1280px")
    widths = page.evaluate(
        """() => ({page: document.documentElement.scrollWidth, window: window.innerWidth,
                   table: document.querySelector('#result_list').scrollWidth,
                   room: document.querySelector('.results').clientWidth})"""
    )
    assert widths["page"] <= widths["window"], widths
    assert widths["table"] <= widths["room"], widths


@pytest.mark.parametrize(("name", "path"), PAGES.items())
def test_admin_pages_have_no_accessibility_violations(site, browser, secretariat_page, name, path):
    if path == "REVIEW":
        update = ProgressUpdate.objects.filter(review_state="approved").order_by("pk").first()
        ProgressUpdate.objects.filter(pk=update.pk).update(review_state="submitted")
        path = f"/admin/goals/progressupdate/{update.pk}/review/"
    path = path.replace("ROUND", str(an_open_round().pk)) if "ROUND" in path else path
    page = secretariat_page
    if path.startswith("SIGNED-OUT"):  # pages for someone not signed in
        page = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True).new_page()
        path = path.removeprefix("SIGNED-OUT")
    assert page.goto(site + path).status == 200
    screenshot(page, f"admin-{name}-1280px")
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)
