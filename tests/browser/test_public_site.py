"""A visitor's walk through the public site in a real browser, and axe-core on every page type."""

import datetime
import json
import re
from pathlib import Path

import axe_playwright_python
import pytest
from playwright.sync_api import expect

from goals.models import ReportingRound
from tests.browser.conftest import ARTIFACTS, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(axe_playwright_python.__file__).with_name("axe.min.js")
# WCAG 2.2 A and AA, plus axe's best practices (heading order, landmarks, content in regions).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
PLAN = "/plans/2016-2025"

PAGE_TYPES = {
    "overview": "/",  # the current plan, 2026-2030, with no progress yet
    "overview-ended-plan": f"{PLAN}/",
    "goal-no-progress-yet": "/plans/2026-2030/goals/1/",
    "goal": f"{PLAN}/goals/1/",
    "initiative": f"{PLAN}/initiatives/8/",
    "deliverable": f"{PLAN}/initiatives/1/1.1/",
    "deliverable-per-state": f"{PLAN}/initiatives/5/5.1/",
    "matrix": f"{PLAN}/member-states/",
    "scorecard": f"{PLAN}/scorecard/",
    "member-state": "/member-states/indonesia/",
    "body": "/bodies/ipophl/",  # grouped by plan, with figures
    "partner-list": "/partners/",
    "partner": "/partners/euipo/",
    "platforms": "/platforms/",
    "methodology": "/methodology/",
    "compare-rounds": f"{PLAN}/compare/",  # the last two published rounds, with data quality at each
    "indicator-list": f"{PLAN}/indicators/",
    "indicator": f"{PLAN}/indicators/member-states-party-to-the-madrid-protocol/",
    "explore-initiatives": "/explore/initiatives/",
    "explore-deliverables": "/explore/deliverables/?kind=platform",
    "explore-updates": "/explore/updates/",
    "explore-bad-filter": "/explore/deliverables/?goal=abc",
    "not-found": "/plans/2016-2025/goals/99/",
    "open-data": "/data/",
    "dataset-releases": "/data/releases/",
    "dataset-release": f"/data/releases/{datetime.date.today().year}.1/",
    "article-67-report": "/partners/euipo/article-67/2019/",
    "about": "/about/",
    "glossary": "/glossary/",
    "search": "/search/?q=patent",
    "embed-goal": f"/embed{PLAN}/goals/1/",
    "lineage-older-plan": f"{PLAN}/lineage/",  # where each item went, with figures
    "lineage-newer-plan": "/plans/2026-2030/lineage/",  # where each item came from
    "initiative-with-lineage": f"{PLAN}/initiatives/7/",  # split into two items of 2026-2030
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
    screenshot(page, f"{name}-1280px")
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)


# Elements that scroll sideways, as (description, role, label, tabindex): on a phone only wide
# tables may, each inside a named region a keyboard can reach.
SIDEWAYS_SCROLLERS = """() => [...document.querySelectorAll("body *")]
  .filter(e => ["auto", "scroll"].includes(getComputedStyle(e).overflowX))
  .filter(e => e.scrollWidth > e.clientWidth + 1)
  .map(e => [e.tagName.toLowerCase() + "." + e.className, e.getAttribute("role"),
             e.getAttribute("aria-label"), e.getAttribute("tabindex")])"""

# Numbers split from their unit across two lines ("88.4" at the end of one line, "%" on the next).
NUMBERS_SPLIT_FROM_UNITS = """() => {
  const split = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.getClientRects().length === 0) continue;  // not shown
    for (const match of node.data.matchAll(/\\d[\\d.,]*\\s*%/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (tops.size > 1) split.push(match[0]);
    }
  }
  return split;
}"""


def meeting_pack_path():
    published = ReportingRound.objects.published().filter(plan__slug="2016-2025").order_by("closes_on").last()
    return f"/plans/2016-2025/rounds/{published.pk}/meeting-pack/"


@pytest.mark.parametrize(("name", "path"), [*PAGE_TYPES.items(), ("meeting-pack", None)])
def test_every_page_type_fits_a_phone_screen(site, browser, name, path):
    """At 320 and 390 pixels wide: no sideways page scroll, wide tables scroll inside a named
    region a keyboard can reach, and no number is split from its percent sign. Screenshots of
    both widths (and of 1280 px in the accessibility test) are kept for review."""
    path = path or meeting_pack_path()
    context = browser.new_context(viewport={"width": 320, "height": 640}, bypass_csp=True)
    narrow = context.new_page()
    narrow.goto(site + path)
    overflow, scrollers, split = {}, {}, {}
    for width in (320, 390):
        narrow.set_viewport_size({"width": width, "height": 844})
        overflow[width] = narrow.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        scrollers[width] = narrow.evaluate(SIDEWAYS_SCROLLERS)
        split[width] = narrow.evaluate(NUMBERS_SPLIT_FROM_UNITS)
        screenshot(narrow, f"{name}-{width}px")
    context.close()
    assert all(value <= 0 for value in overflow.values()), f"{path} scrolls sideways: {overflow}"
    for scroller in scrollers[320] + scrollers[390]:
        what, role, label, tabindex = scroller
        assert what == "div.table-scroll" and role == "region" and label and tabindex == "0", scroller
    assert split == {320: [], 390: []}, f"{path}: numbers split from their unit"


def test_a_wide_table_scrolls_inside_its_region_on_a_phone(site, browser):
    """The matrix is wider than a phone: its region scrolls, by keyboard too, and is announced."""
    context = browser.new_context(viewport={"width": 320, "height": 640}, bypass_csp=True)
    narrow = context.new_page()
    narrow.goto(f"{site}{PLAN}/member-states/")
    region = narrow.get_by_role("region", name="Member-state matrix")
    assert narrow.evaluate(SIDEWAYS_SCROLLERS) == [
        ["div.table-scroll", "region", "Table: Member-state matrix", "0"]
    ]
    region.focus()
    narrow.keyboard.press("ArrowRight")
    narrow.keyboard.press("ArrowRight")
    assert region.evaluate("e => e.scrollLeft") > 0
    context.close()


def test_walk_from_overview_to_a_deliverable(site, page):
    page.goto(site + "/")
    page.get_by_role("main").get_by_role("link", name="ASEAN IPR Action Plan 2016-2025").click()
    page.get_by_role("link", name="Strategic goal 1: Build a sturdier ASEAN IP system").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Strategic goal 1:")
    page.get_by_role("link", name="5. Join the Madrid Protocol").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Initiative 5:")
    page.get_by_role("link", name="5.1 Accession to the Madrid Protocol").first.click()
    assert "9 of 11" in page.inner_text("main")
    page.get_by_text("Why this number?").click()
    why = page.locator("details.why")
    assert why.get_by_role("row", name="Myanmar").is_visible()  # not a party: counted as 0 %
    assert "Yes, as 0\u00a0%: no approved report" in why.get_by_role("row", name="Myanmar").inner_text()
    page.get_by_role("link", name="Initiative 5", exact=True).click()
    expect(page).to_have_url(re.compile("/plans/2016-2025/initiatives/5/$"))


def test_switch_plan_and_reporting_round(site, page):
    page.goto(site + "/")
    assert "2026-2030" in page.get_by_role("heading", level=1).inner_text()  # the current plan first
    page.get_by_role("navigation", name="Plans").get_by_role("link", name="2016-2025").click()
    assert "2016-2025" in page.get_by_role("heading", level=1).inner_text()
    page.get_by_role("link", name="ASEAN IPR Action Plan 2026-2030").click()  # back to the current plan
    assert "2026-2030" in page.get_by_role("heading", level=1).inner_text()
    page.get_by_role("navigation", name="Plans").get_by_role("link", name="2016-2025").click()
    first = ReportingRound.objects.published().filter(plan__slug="2016-2025").order_by("closes_on").first()
    page.get_by_label("Show the figures as they stood at").select_option(str(first.pk))
    page.get_by_role("button", name="Show").click()
    assert f"round={first.pk}" in page.url
    assert f"As of {first.name}" in page.inner_text("main")
    page.get_by_role("link", name="Strategic goal 2: Develop regional IP platforms").click()
    assert f"round={first.pk}" in page.url and f"As of {first.name}" in page.inner_text("main")


def test_explorer_filters_and_pagination_keep_the_query(site, page):
    page.goto(site + "/explore/deliverables/?plan=2016-2025")
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
    page.goto(site + "/plans/2016-2025/")
    page.get_by_text("Why this number?").first.click()
    assert page.get_by_role("table", name="How the").first.is_visible() or "weighted mean" in page.inner_text(
        "main"
    )
    context.close()


def test_compare_two_rounds_without_javascript(site, browser, page):
    """From the overview's round picker to the comparison; two other rounds chosen in its form
    (without JavaScript), and the result passes axe (with it, for axe to run)."""
    rounds = ReportingRound.objects.published().filter(plan__slug="2016-2025").order_by("closes_on")
    first, last = rounds.first(), rounds.last()
    context = browser.new_context(java_script_enabled=False)
    plain = context.new_page()
    plain.goto(site + f"{PLAN}/")
    plain.get_by_role("link", name="Compare two published rounds").first.click()
    plain.wait_for_url(re.compile(r"/compare/$"))
    expect(plain.get_by_role("heading", level=1)).to_have_text("Compare two reporting rounds")
    plain.get_by_label("From").select_option(str(first.pk))
    plain.get_by_label("to", exact=True).select_option(str(last.pk))
    plain.get_by_role("button", name="Compare").click()
    plain.wait_for_url(re.compile(rf"from={first.pk}&to={last.pk}"))
    expect(plain.get_by_role("table", name=re.compile(f"at {first.name} and at {last.name}"))).to_be_visible()
    url = plain.url
    context.close()
    page.goto(url)
    assert axe_violations(page) == []


def test_meeting_pack_is_accessible_and_printable(site, page):
    page.goto(site + meeting_pack_path())
    assert axe_violations(page) == []
    page.emulate_media(media="print")
    screenshot(page, "meeting-pack-print")
    assert not page.get_by_role("navigation", name="Main").is_visible()
    page.pdf(path=str(ARTIFACTS / "meeting-pack.pdf"))


@pytest.mark.parametrize(
    ("path", "link", "suffix"),
    [
        (None, "PDF", ".pdf"),
        (None, "Word", ".docx"),
        ("/partners/euipo/article-67/2019/", "PDF", ".pdf"),
    ],
)
def test_the_print_ready_documents_download_from_their_links(site, page, path, link, suffix):
    page.goto(site + (path or meeting_pack_path()))
    with page.expect_download() as download:
        page.get_by_role("link", name=link, exact=False).first.click()
    assert download.value.suggested_filename.endswith(suffix)
    assert Path(download.value.path()).stat().st_size > 2000


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


def a_pdf(text):
    """A one-page PDF that says ``text``."""
    content = b"BT /F1 24 Tf 72 720 Td (" + text.encode() + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    table = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return pdf + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, table)


def test_a_pdf_evidence_file_opens_in_the_browser_and_an_office_file_downloads(
    site, browser, settings, tmp_path
):
    """With the site's own headers (no policy bypassed): the PDF opens in Chromium's viewer despite
    the sandbox; an Office file downloads."""
    from django.core.files.base import ContentFile

    from goals.models import ProgressUpdate

    settings.MEDIA_ROOT = tmp_path
    pdf, docx = ProgressUpdate.objects.public().filter(evidence_file="").order_by("pk")[:2]
    pdf.evidence_file.save("launch.pdf", ContentFile(a_pdf("Evidence of the launch")))
    docx.evidence_file.save("report.docx", ContentFile(office_package()))
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    downloads, refused = [], []
    page.on("download", lambda download: downloads.append(download))
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    response = page.goto(f"{site}/evidence/{pdf.pk}/")
    headers = response.all_headers()
    assert response.status == 200 and headers["content-type"] == "application/pdf"
    assert (
        headers["content-disposition"] == f'inline; filename="evidence-{pdf.deliverable.code}-{pdf.pk}.pdf"'
    )
    assert headers["x-content-type-options"] == "nosniff"
    assert (
        headers["content-security-policy"] == "default-src 'none'; sandbox; frame-ancestors 'self'"
    )  # the review page frames it
    page.wait_for_timeout(1500)
    assert any(frame.url.startswith("chrome-extension://") for frame in page.frames)  # the PDF viewer
    assert downloads == [] and refused == []
    screenshot(page, "evidence-pdf")
    with page.expect_download() as download:
        try:
            page.goto(f"{site}/evidence/{docx.pk}/")
        except Exception as error:  # navigating to a download is "aborted" by the browser
            assert "Download is starting" in str(error)
    assert download.value.suggested_filename == f"evidence-{docx.deliverable.code}-{docx.pk}.docx"
    context.close()


def office_package():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()
