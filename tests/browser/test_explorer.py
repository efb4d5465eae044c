"""The explorer in a real browser: accessible with filters in force, usable without JavaScript
(selects, sorting links, removing a filter), and on a 390-pixel phone the first result shows
without scrolling past the filters."""

import json

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_public_site import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FILTERED = {
    "deliverables": "/explore/deliverables/?goal=2&status=completed&sort=-percent",
    "initiatives": "/explore/initiatives/?goal=1&body=ipophl&sort=title",
    "updates": "/explore/updates/?initiative=5&member_state=thailand&sort=code",
    "refused": "/explore/deliverables/?plan=2026-2030&initiative=15",
}
PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("width", [1280, PHONE["width"]])
@pytest.mark.parametrize(("name", "path"), FILTERED.items())
def test_the_explorer_with_filters_has_no_accessibility_violations(site, browser, name, path, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(site + path)
    screenshot(page, f"explore-{name}-{width}px")
    violations = axe_violations(page)
    context.close()
    assert violations == [], json.dumps(violations, indent=2)


@pytest.mark.parametrize(
    "path",
    [
        "/explore/deliverables/?plan=2016-2025",  # the current plan has no deliverables recorded yet
        "/explore/deliverables/?plan=2016-2025&goal=2&status=completed&kind=platform",
    ],
)
def test_on_a_phone_the_first_result_shows_without_scrolling(site, browser, path):
    context = browser.new_context(viewport=PHONE, is_mobile=True, bypass_csp=True)
    page = context.new_page()
    page.goto(site + path)
    screenshot(page, "explore-phone" + ("-filtered" if "&" in path else ""))
    first = page.locator("tbody tr").first.bounding_box()
    filters_shown = page.get_by_label("Search titles and notes").is_visible()
    summary = page.locator("details.filter-panel > summary").inner_text()
    context.close()
    assert first["y"] + first["height"] <= PHONE["height"], f"the first result ends at {first}"
    assert not filters_shown  # folded behind the summary
    assert summary == ("Filters (3 in force)" if "&" in path else "Filters (none in force)")


def test_on_a_wide_screen_the_filters_are_open(site, page):
    page.goto(site + "/explore/deliverables/")
    assert page.get_by_label("Search titles and notes").is_visible()
    assert not page.locator("details.filter-panel > summary").is_visible()


def test_choose_sort_and_remove_filters_without_javascript(site, browser):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/explore/deliverables/?plan=2016-2025")
    page.get_by_text("Filters (none in force)").click()  # unfolds the form, with no script
    page.get_by_label("Goal", exact=True).select_option(value="1")
    page.get_by_label("Initiative", exact=True).select_option(value="5")
    page.get_by_role("button", name="Apply filters").click()
    assert "goal=1" in page.url and "initiative=5" in page.url
    codes = page.locator("tbody tr td.code").all_inner_texts()
    assert codes == ["5.1", "5.2", "5.3"]

    page.get_by_role("link", name="Percent delivered").click()  # sort: ascending, then descending
    page.get_by_role("link", name="Percent delivered").click()
    assert "sort=-percent" in page.url and "goal=1" in page.url
    header = page.get_by_role("columnheader", name="Percent delivered")
    assert header.get_attribute("aria-sort") == "descending"

    in_force = page.get_by_role("list", name="Filters in force")
    in_force.get_by_role("link", name="Initiative 5").click()
    assert "initiative=" not in page.url and "goal=1" in page.url and "sort=-percent" in page.url
    assert "Filters (1 in force)" in page.locator("details.filter-panel > summary").inner_text()
    page.get_by_role("link", name="Clear all filters").click()
    assert "goal=" not in page.url and "sort=-percent" in page.url
    context.close()


def test_a_part_of_another_plan_is_refused_with_a_way_out(site, page):
    page.goto(site + "/explore/deliverables/?plan=2026-2030&initiative=15")
    alert = page.get_by_role("alert").inner_text()
    assert "The ASEAN IPR Action Plan 2026-2030 has no initiative '15'" in alert
    page.get_by_role("list", name="Filters in force").get_by_role("link", name="Initiative 15").click()
    assert "initiative=" not in page.url and "plan=2026-2030" in page.url
    assert "Showing" in page.locator(".result-count").inner_text() and not page.get_by_role("alert").count()
