"""A visitor's walk through the public site in a real browser, and axe-core on every page type."""

import json
from pathlib import Path

import axe_playwright_python
import pytest

from goals.models import ReportingRound
from tests.browser.conftest import ARTIFACTS, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(axe_playwright_python.__file__).with_name("axe.min.js")
# WCAG 2.2 A and AA, plus axe's best practices (heading order, landmarks, content in regions).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
PLAN = "/plans/2016-2025"

PAGE_TYPES = {
    "overview": "/",
    "overview-other-plan": "/plans/2026-2030/",
    "goal": f"{PLAN}/goals/1/",
    "initiative": f"{PLAN}/initiatives/8/",
    "deliverable": f"{PLAN}/initiatives/1/1.1/",
    "deliverable-per-state": f"{PLAN}/initiatives/5/5.1/",
    "matrix": f"{PLAN}/member-states/",
    "scorecard": f"{PLAN}/scorecard/",
    "member-state": "/member-states/indonesia/",
    "body": "/bodies/awgipc/",
    "partner-list": "/partners/",
    "partner": "/partners/euipo/",
    "platforms": "/platforms/",
    "methodology": "/methodology/",
    "explore-initiatives": "/explore/initiatives/",
    "explore-deliverables": "/explore/deliverables/?kind=platform",
    "explore-updates": "/explore/updates/",
    "explore-bad-filter": "/explore/deliverables/?goal=abc",
    "not-found": "/plans/2016-2025/goals/99/",
    "open-data": "/data/",
    "article-67-report": "/partners/euipo/article-67/2019/",
}


def axe_violations(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


@pytest.mark.parametrize(("name", "path"), PAGE_TYPES.items())
def test_every_page_type_has_no_accessibility_violations(site, page, name, path):
    page.goto(site + path)
    screenshot(page, name)
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)


@pytest.mark.parametrize(("name", "path"), PAGE_TYPES.items())
def test_every_page_type_fits_a_320_pixel_screen(site, browser, name, path):
    context = browser.new_context(viewport={"width": 320, "height": 640}, bypass_csp=True)
    narrow = context.new_page()
    narrow.goto(site + path)
    overflow = narrow.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    screenshot(narrow, f"{name}-320px")
    context.close()
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px wide"


def test_walk_from_overview_to_a_deliverable(site, page):
    page.goto(site + "/")
    page.get_by_role("link", name="Goal 1: Build a sturdier ASEAN IP system").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Goal 1:")
    page.get_by_role("link", name="5. Join the Madrid Protocol").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Initiative 5:")
    page.get_by_role("link", name="5.1 Accession to the Madrid Protocol").first.click()
    assert "9 of 11" in page.inner_text("main")
    page.get_by_text("Why this number?").click()
    why = page.locator("details.why")
    assert why.get_by_role("row", name="Myanmar").is_visible()  # not a party: counted as 0 %
    assert "Yes, as 0 %: no approved report" in why.get_by_role("row", name="Myanmar").inner_text()
    page.get_by_role("link", name="Initiative 5", exact=True).click()
    assert page.url.endswith("/plans/2016-2025/initiatives/5/")


def test_switch_plan_and_reporting_round(site, page):
    page.goto(site + "/")
    page.get_by_role("navigation", name="Plans").get_by_role("link", name="2026-2030").click()
    assert "2026-2030" in page.get_by_role("heading", level=1).inner_text()
    page.get_by_role("navigation", name="Plans").get_by_role("link", name="2016-2025").click()
    first = ReportingRound.objects.published().filter(plan__slug="2016-2025").order_by("closes_on").first()
    page.get_by_label("Show the figures as they stood at").select_option(str(first.pk))
    page.get_by_role("button", name="Show").click()
    assert f"round={first.pk}" in page.url
    assert f"As of {first.name}" in page.inner_text("main")
    page.get_by_role("link", name="Goal 2: Develop regional IP platforms").click()
    assert f"round={first.pk}" in page.url and f"As of {first.name}" in page.inner_text("main")


def test_explorer_filters_and_pagination_keep_the_query(site, page):
    page.goto(site + "/explore/deliverables/")
    page.get_by_label("Kind").select_option(label="Regional platform")
    page.get_by_label("Responsible body").select_option(
        label="Intellectual Property Office of the Philippines (IPOPHL)"
    )
    page.get_by_role("button", name="Apply filters").click()
    assert "kind=platform" in page.url and "body=ipophl" in page.url
    results = page.get_by_role("table").inner_text()
    assert "ASEAN TMview" in results and "ASEAN IP Portal" not in results
    # A hand-edited or stale link with a bad value gets a message, not an error.
    page.goto(site + "/explore/deliverables/?goal=abc&kind=platform")
    assert page.get_by_role("alert").inner_text().startswith("Some filters could not be applied")

    page.goto(site + "/explore/updates/?plan=2016-2025&status=completed")
    page.get_by_role("link", name="Next page").click()
    assert "status=completed" in page.url and "page=2" in page.url


def test_pages_work_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/explore/deliverables/")
    page.get_by_label("Kind").select_option(label="Study")
    page.get_by_role("button", name="Apply filters").click()
    assert "kind=study" in page.url
    page.goto(site + "/")
    page.get_by_text("Why this number?").first.click()
    assert page.get_by_role("table", name="How the").first.is_visible() or "weighted mean" in page.inner_text(
        "main"
    )
    context.close()


def test_meeting_pack_is_accessible_and_printable(site, page):
    published = ReportingRound.objects.published().filter(plan__slug="2016-2025").order_by("closes_on").last()
    page.goto(f"{site}/plans/2016-2025/rounds/{published.pk}/meeting-pack/")
    assert axe_violations(page) == []
    page.emulate_media(media="print")
    screenshot(page, "meeting-pack-print")
    assert not page.get_by_role("navigation", name="Main").is_visible()
    page.pdf(path=str(ARTIFACTS / "meeting-pack.pdf"))


@pytest.mark.parametrize(
    "path",
    [
        "/",
        f"{PLAN}/initiatives/5/5.1/",
        f"{PLAN}/member-states/",
        "/explore/deliverables/",
        "/data/",
        "/admin/login/",
    ],
)
def test_content_security_policy_holds(site, browser, path):
    """No inline script or style is refused on real pages (the browser reports each refusal)."""
    context = browser.new_context()
    page = context.new_page()
    refused = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.goto(site + path)
    page.wait_for_load_state("networkidle")
    context.close()
    assert refused == []
