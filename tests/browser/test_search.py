"""The site search in a real browser: from the header of any page to a result, accessible, and
without JavaScript."""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_public_site import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("results", "/search/?q=ASEAN"),
        ("one-kind", "/search/?q=ASEAN&kind=updates"),
        ("nothing-found", "/search/?q=xylophone"),
        ("empty", "/search/"),
    ],
)
def test_the_search_page_has_no_accessibility_violations(site, page, name, path):
    page.goto(site + path)
    screenshot(page, f"search-{name}")
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)


def test_search_from_the_header_to_a_result_without_javascript(site, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/partners/")
    header = page.get_by_role("search", name="Site")
    header.get_by_label("Search the tracker").fill("Madrid Protocol")
    header.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/search/\?q=Madrid\+Protocol"))
    expect(page.get_by_role("heading", level=2, name="Deliverables")).to_be_visible()
    page.get_by_role("link", name="5.1 Accession to the Madrid Protocol").first.click()
    expect(page).to_have_url(re.compile("/plans/2016-2025/initiatives/5/5.1/$"))
    context.close()


def test_an_over_long_search_says_why(site, page):
    page.goto(site + "/search/")
    page.get_by_label("Search goals, initiatives").evaluate("input => input.removeAttribute('maxlength')")
    page.get_by_label("Search goals, initiatives").fill("patent " * 40)
    page.get_by_role("main").get_by_role("button", name="Search").click()
    assert "a search can be at most 200 characters" in page.get_by_role("main").inner_text()
