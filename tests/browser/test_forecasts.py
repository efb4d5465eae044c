"""Completion forecasts in a real browser: each "Why this date?" opens without JavaScript and,
open, passes axe-core, now and as of a published round."""

import json

import pytest

from goals.models import ReportingRound
from tests.browser.conftest import screenshot
from tests.browser.test_public_site import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAN = "/plans/2016-2025"
FORECAST_PAGES = {
    "overview-ended-plan": f"{PLAN}/",
    "goal": f"{PLAN}/goals/2/",
    "initiative": f"{PLAN}/initiatives/8/",
    "deliverable": f"{PLAN}/initiatives/5/5.1/",
}


@pytest.mark.parametrize(("name", "path"), [*FORECAST_PAGES.items(), ("overview-as-of-round", None)])
def test_why_this_date_opens_and_passes_axe(site, page, name, path):
    if path is None:
        first = (
            ReportingRound.objects.published().filter(plan__slug="2016-2025").order_by("closes_on").first()
        )
        path = f"{PLAN}/?round={first.pk}"
    page.goto(site + path)
    assert "Completion forecast" in page.inner_text("main")
    page.get_by_text("Why this date?").click()
    why = page.locator("details.why", has_text="Why this date?")
    assert why.get_attribute("open") is not None
    assert "How forecasts are made" in why.inner_text()
    screenshot(page, f"forecast-{name}-open")
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)


def test_why_this_date_works_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(site + f"{PLAN}/")
        page.get_by_text("Why this date?").click()
        table = page.get_by_role("table", name="The dated points the forecast is read from")
        assert table.is_visible() and "1 Jan 2016" in table.inner_text()  # where it stood at the start
    finally:
        context.close()
