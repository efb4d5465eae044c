"""The staff loop in a browser, as new staff would live it: the secretariat invites a focal
point, who chooses a password, signs in, records progress from My deliverables and submits it;
the secretariat reviews it beside the last approved report and approves it; the round is
published after confirming; the public page shows it. Screenshots of each admin step (1280 px)
are saved for review."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from playwright.sync_api import expect

from goals import rounds
from goals.models import ActionPlan, Body, ProgressUpdate, ReportingRound
from tests.browser.conftest import screenshot
from tracker.core import roles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def sign_in(browser, site, username, password):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(site + "/admin/")
    return page


def a_body_with_something_due():
    """A body that owes a report on a deliverable not tracked per member state, in a round the
    secretariat has opened for the 2016-2025 plan."""
    ReportingRound.objects.create(
        plan=ActionPlan.objects.get(slug="2016-2025"), name="Journey round", state="open",
        opens_on=datetime.date.today() - datetime.timedelta(days=5),
        closes_on=datetime.date.today() + datetime.timedelta(days=20),
    )  # fmt: skip
    found = []
    for body in Body.objects.order_by("name"):
        due = [r for r in rounds.due_rows([body]) if r.member_state is None]
        found += [(body, row) for row in due if row.latest_approved is not None]  # to compare with
        if found:
            return found[0]
    raise AssertionError("the sample data has no open round with something due")


def test_invite_record_review_publish_and_see_it_public(site, browser, django_user_model):
    secretary = django_user_model.objects.create_user(
        "sec@example.org", "sec@example.org", PASSWORD, is_staff=True, first_name="Siti", last_name="Rahman"
    )
    secretary.groups.add(Group.objects.get(name=roles.SECRETARIAT))
    body, due = a_body_with_something_due()
    deliverable, reporting_round = due.deliverable, due.reporting_round

    # The secretariat invites a focal point on one page.
    sec = sign_in(browser, site, "sec@example.org", PASSWORD)
    screenshot(sec, "journey-1-secretariat-home")
    sec.goto(site + "/admin/auth/user/add/")
    sec.fill("#id_first_name", "Maria")
    sec.fill("#id_last_name", "Santos")
    sec.fill("#id_email", "maria@office.example")
    sec.get_by_label(roles.FOCAL_POINT, exact=True).check()
    sec.locator(f"#id_bodies input[value='{body.pk}']").check()
    screenshot(sec, "journey-2-invite")
    sec.click("input[name=_save]")
    expect(sec.locator(".messagelist")).to_contain_text("Maria Santos is invited")

    # The invitation: choose a password, then sign in with the e-mail address.
    [invitation] = [m for m in mail.outbox if m.to == ["maria@office.example"]]
    link = re.search(r"https?://\S+/admin/welcome/\S+", invitation.body).group(0)
    newcomer = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    newcomer.goto(site + link.split("/admin/", 1)[1].join(["/admin/", ""]))
    screenshot(newcomer, "journey-3-choose-password")
    newcomer.fill("#id_new_password1", "Sampaguita-2026-long")
    newcomer.fill("#id_new_password2", "Sampaguita-2026-long")
    newcomer.click("input[type=submit]")
    expect(newcomer.locator("#content")).to_contain_text("password has been set")

    # The focal point records progress from My deliverables and submits it.
    focal = sign_in(browser, site, "maria@office.example", "Sampaguita-2026-long")
    expect(focal.locator("#what-needs-doing")).to_contain_text("to record in")
    screenshot(focal, "journey-4-focal-point-home")
    focal.click("text=Record them")
    screenshot(focal, "journey-5-my-deliverables")
    focal.locator("tr", has_text=f"{deliverable.code} ").get_by_role(
        "link", name=re.compile("Record progress")
    ).first.click()
    focal.select_option("#id_status", "in_progress")
    focal.fill("#id_percent_complete", "45")
    focal.fill("#id_narrative", "Drafting finished.")
    focal.fill("#id_evidence_url", "https://www.aseanip.org/")
    screenshot(focal, "journey-6-record-progress")
    focal.click("input[name=_submit_for_review]")
    focal.wait_for_url(site + "/admin/my-deliverables/")  # back where the focal point started
    expect(focal.locator(".messagelist")).to_contain_text("submitted for review")
    update = ProgressUpdate.objects.get(
        deliverable=deliverable, round=reporting_round, review_state="submitted"
    )

    # The secretariat returns it with a note; the focal point changes it and submits it again.
    review = site + f"/admin/goals/progressupdate/{update.pk}/review/"
    sec.goto(review)
    sec.locator("input[name=decision][value=return]").check()
    sec.fill("#id_note", "Say where the consultation stands.")
    sec.click("input[type=submit][value=Confirm]")
    expect(sec.locator(".messagelist")).to_contain_text("returned for changes")
    assert ProgressUpdate.objects.get(pk=update.pk).review_state == "returned"
    focal.goto(site + "/admin/my-deliverables/")
    focal.locator("tr", has_text=f"{deliverable.code} ").get_by_role(
        "link", name=re.compile("Continue")
    ).first.click()
    focal.fill("#id_narrative", "Drafting finished; consultation with member states under way.")
    focal.click("input[name=_submit_for_review]")
    focal.wait_for_url(site + "/admin/my-deliverables/")
    expect(focal.locator(".messagelist")).to_contain_text("submitted for review")
    assert ProgressUpdate.objects.get(pk=update.pk).review_state == "submitted"

    # The secretariat reviews it beside the last approved report, changes marked, and approves it.
    sec.goto(review)
    comparison = sec.inner_text("table.review-comparison")
    assert "45\u00a0%" in comparison
    previous = due.latest_approved
    before = sec.locator("table.review-comparison tr", has_text="Percent complete").locator("td").first
    expect(before).to_have_text(f"{previous.percent_complete}\u00a0%")
    expect(sec.locator("table.review-comparison tr.changed", has_text="Narrative")).to_be_visible()
    screenshot(sec, "journey-7-review")
    sec.click("input[type=submit][value=Confirm]")  # no decision chosen: the browser asks for one
    assert sec.evaluate("document.querySelector('input[name=decision]').validationMessage")
    update.refresh_from_db()
    assert update.review_state == "submitted"
    sec.get_by_label("Approve", exact=True).check()
    sec.click("input[type=submit][value=Confirm]")
    expect(sec.locator(".messagelist")).to_contain_text("approved")
    update.refresh_from_db()
    assert update.review_state == "approved"

    # The round is published from its page, after confirming; it was open, so it closes first.
    round_page = site + f"/admin/goals/reportinground/{reporting_round.pk}/change/"
    sec.goto(round_page)
    screenshot(sec, "journey-8a-round")
    sec.goto(site + f"/admin/goals/reportinground/{reporting_round.pk}/missing/")
    expect(sec.locator("h1")).to_contain_text("Missing reports")
    screenshot(sec, "journey-8b-missing-reports")
    sec.goto(site + f"/admin/goals/reportinground/{reporting_round.pk}/remind/")
    screenshot(sec, "journey-8c-reminder-preview")
    sec.goto(round_page)
    sec.click("text=Publish…")
    expect(sec.locator("#content")).to_contain_text("cannot be undone")
    screenshot(sec, "journey-8-publish")
    sec.click("input[type=submit][value='Yes, publish']")
    expect(sec.locator(".messagelist")).to_be_visible()
    assert ReportingRound.objects.get(pk=reporting_round.pk).state == "published"
    screenshot(sec, "journey-9-published")

    # The public deliverable page, and the round's meeting pack, show the approved progress.
    public = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    response = public.goto(site + deliverable.get_absolute_url())
    assert response.status == 200
    assert "Drafting finished; consultation with member states under way." in public.content()
    sec.goto(site + f"/admin/goals/reportinground/{reporting_round.pk}/change/")
    sec.click("text=Meeting pack (public)")
    expect(sec.locator("h1")).to_be_visible()
    assert "45" in sec.content()
