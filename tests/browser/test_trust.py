"""The trust signals in a real browser: About, the glossary and an embedded card are accessible
and keep the Content Security Policy; only the cards may be framed by another site."""

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_public_site import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    "about": "/about/",
    "glossary": "/glossary/",
    "embed-goal": "/embed/plans/2016-2025/goals/1/",
    "embed-deliverable": "/embed/plans/2016-2025/initiatives/5/5.1/",
    "embed-member-state": "/embed/member-states/brunei-darussalam/",
}


@pytest.mark.parametrize(("name", "path"), PAGES.items())
def test_no_accessibility_violations(site, page, name, path):
    page.goto(site + path)
    screenshot(page, name)
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)


@pytest.mark.parametrize(("name", "path"), PAGES.items())
def test_fits_a_320_pixel_screen(site, browser, name, path):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    narrow = context.new_page()
    narrow.goto(site + path)
    overflow = narrow.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    context.close()
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px wide"


@pytest.mark.parametrize("path", [*PAGES.values(), "/plans/2016-2025/goals/1/"])
def test_content_security_policy_holds(site, browser, path):
    context = browser.new_context()
    page = context.new_page()
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(site + path)
    page.wait_for_load_state("networkidle")
    context.close()
    assert refused == []


@pytest.fixture
def other_site():
    """Another website, on its own origin (a second local server), serving the page it is given."""
    served = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = served["page"].encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def serve(page):
        served["page"] = page
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield serve
    server.shutdown()
    server.server_close()


def test_another_site_may_frame_a_card_but_no_other_page(site, browser, other_site):
    """Another website frames the card and the goal's own page, as a visitor's browser would
    load them: the card shows, the page is refused."""
    card, full = f"{site}/embed/plans/2016-2025/goals/1/", f"{site}/plans/2016-2025/goals/1/"
    address = other_site(
        '<!DOCTYPE html><html lang="en"><head><title>Another site</title></head><body>'
        f'<iframe id="card" src="{card}" title="card" width="400" height="320"></iframe>'
        f'<iframe id="full" src="{full}" title="page" width="400" height="320"></iframe></body></html>'
    )
    context = browser.new_context()
    page = context.new_page()
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "frame" in m.text.lower() else None)
    page.goto(address)
    page.wait_for_load_state("networkidle")
    card_frame = page.frame_locator("#card")
    assert card_frame.get_by_role("heading", level=1).inner_text().startswith("Strategic goal 1:")
    assert "delivered" in card_frame.locator("main").inner_text()
    urls = [frame.url for frame in page.frames]
    assert card in urls and full not in urls  # refused: the browser shows its error page instead
    assert "Strategic goal 1:" not in page.frame_locator("#full").locator("body").inner_text()
    screenshot(page, "embed-on-another-site")
    context.close()
    assert any("frame-ancestors 'none'" in message or "X-Frame-Options" in message for message in refused)


def test_the_card_links_back_to_the_full_page_in_a_new_tab(site, browser):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{site}/embed/plans/2016-2025/initiatives/5/5.1/")
    with context.expect_page() as opened:
        page.get_by_role("link", name="5.1 Accession to the Madrid Protocol").click()
    full = opened.value
    full.wait_for_load_state()
    assert full.url == f"{site}/plans/2016-2025/initiatives/5/5.1/"
    assert full.get_by_role("heading", level=1).inner_text().startswith("5.1")
    context.close()


def test_an_acronym_leads_to_its_glossary_entry(site, page):
    page.goto(site + "/bodies/awgipc/")
    heading = page.get_by_role("heading", level=1)
    assert (
        heading.locator("abbr").get_attribute("title")
        == "ASEAN Working Group on Intellectual Property Cooperation"
    )
    heading.get_by_role("link", name="AWGIPC").click()
    expect(page).to_have_url(re.compile("/glossary/#awgipc$"))
    expect(page.locator("#awgipc")).to_be_visible()
    assert (
        "member states' IP offices"
        in page.locator(".glossary-entry", has=page.locator("#awgipc")).inner_text()
    )


def test_the_embed_code_can_be_selected_and_copied_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/member-states/brunei-darussalam/")
    code = page.get_by_label("Copy embed code (HTML)")
    assert code.get_attribute("readonly") is not None
    assert code.input_value().startswith(
        '<iframe src="http://127.0.0.1:8000/embed/member-states/brunei-darussalam/"'
    )
    page.get_by_role("link", name="Preview the card").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Brunei Darussalam")
    page.go_back()
    page.get_by_role("link", name="Follow updates of Brunei Darussalam (Atom)").wait_for()
    context.close()
