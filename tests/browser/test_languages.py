"""The interface in Bahasa Indonesia and Vietnamese in a real browser: axe-core on pages in each
language, and the language switcher used without JavaScript."""

import json

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_public_site import NUMBERS_SPLIT_FROM_UNITS, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAN = "/plans/2016-2025"
PAGES = {
    "overview": f"{PLAN}/",
    "goal": f"{PLAN}/goals/1/",
    "deliverable-per-state": f"{PLAN}/initiatives/5/5.1/",
    "open-data": "/data/",
    "search": "/search/?q=patent",
}


@pytest.mark.parametrize("language", ["id", "vi"])
@pytest.mark.parametrize(("name", "path"), PAGES.items())
def test_pages_in_each_language_have_no_accessibility_violations(site, page, language, name, path):
    page.goto(f"{site}/{language}{path}")
    assert page.get_attribute("html", "lang") == language
    screenshot(page, f"{name}-{language}-1280px")
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)


def test_the_switcher_changes_language_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}{PLAN}/goals/1/")
    switcher = page.get_by_role("navigation", name="Language")
    assert switcher.get_by_role("link", name="English").get_attribute("aria-current") == "true"
    assert page.locator(".translation-notice").count() == 0

    switcher.get_by_role("link", name="Bahasa Indonesia").click()
    assert page.url == f"{site}/id{PLAN}/goals/1/"
    assert page.get_attribute("html", "lang") == "id"
    notice = page.locator(".translation-notice")
    assert notice.is_visible()
    assert "belum ditinjau oleh penutur asli" in notice.inner_text()
    page.get_by_role("navigation", name="Bahasa").get_by_role("link", name="Tiếng Việt").click()
    assert page.url == f"{site}/vi{PLAN}/goals/1/"
    assert page.get_attribute("html", "lang") == "vi"

    page.locator(".translation-notice a").click()  # "Read this page in English"
    assert page.url == f"{site}{PLAN}/goals/1/"
    assert page.get_attribute("html", "lang") == "en"
    context.close()


@pytest.mark.parametrize("language", ["id", "vi"])
@pytest.mark.parametrize(("name", "path"), PAGES.items())
def test_pages_in_each_language_fit_a_phone_screen(site, browser, language, name, path):
    """Longer words and the switcher still fit 320 px: no sideways page scroll, and no number
    split from its percent sign."""
    context = browser.new_context(viewport={"width": 320, "height": 844}, bypass_csp=True)
    narrow = context.new_page()
    narrow.goto(f"{site}/{language}{path}")
    overflow = narrow.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    split = narrow.evaluate(NUMBERS_SPLIT_FROM_UNITS)
    screenshot(narrow, f"{name}-{language}-320px")
    context.close()
    assert overflow <= 0, f"/{language}{path} scrolls sideways by {overflow} px"
    assert split == []
