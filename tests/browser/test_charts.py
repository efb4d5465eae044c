"""The charts and the scorecard's map as a browser renders them: text big enough to read at 320 px,
labels that do not collide or cross the 100 % line, the numbers one click away, and no
accessibility violations with them open."""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_public_site import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAN = "/plans/2016-2025"
WIDTHS = [320, 375, 767, 768, 1024, 1280]

# Each shown chart text's rendered size (its font size scaled by the viewBox) and box; the boxes of
# the value and row labels, and of the line that marks 100 %.
MEASURE = """() => [...document.querySelectorAll('svg.chart-drawing')]
  .filter(svg => getComputedStyle(svg).display !== 'none' && svg.getBoundingClientRect().width > 0)
  .map(svg => ({
    id: svg.getAttribute('aria-labelledby'),
    width: svg.getBoundingClientRect().width,
    texts: [...svg.querySelectorAll('text')].map(t => {
      const box = t.getBoundingClientRect();
      return {text: t.textContent, cls: t.getAttribute('class') || '',
              px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a,
              box: [box.left, box.top, box.right, box.bottom]};
    }),
    lines: [...svg.querySelectorAll('line.chart-reference')].map(l => {
      const box = l.getBoundingClientRect();
      return [box.left, box.top, box.right, box.bottom];
    }),
  }))"""


def overlaps(one, other):
    return not (one[2] <= other[0] or other[2] <= one[0] or one[3] <= other[1] or other[3] <= one[1])


def drawn_charts(browser, site, path, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(site + path)
    found = page.evaluate(MEASURE)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if width == 320:
        screenshot(page, f"charts-{path.strip('/').replace('/', '-') or 'home'}-{width}px")
    context.close()
    return found, overflow


@pytest.mark.parametrize("width", WIDTHS)
def test_chart_text_is_readable_and_labels_never_collide(site, browser, width):
    charts, overflow = drawn_charts(browser, site, f"{PLAN}/", width)
    assert overflow <= 0
    assert len(charts) == 3, [c["id"] for c in charts]  # one drawing of each chart, never both
    for chart in charts:
        assert chart["width"] <= width
        for text in chart["texts"]:
            assert text["px"] >= 11, (width, chart["id"], text)
            assert text["px"] <= 21, (width, chart["id"], text)  # nor blown up on a wide screen
        labels = [t["box"] for t in chart["texts"] if re.search(r"chart-(value|label)\b", t["cls"])]
        for number, one in enumerate(labels):
            for other in labels[number + 1 :]:
                assert not overlaps(one, other), (width, chart["id"], one, other)
            for line in chart["lines"]:
                # Lines are drawn one pixel wide: a box that touches them runs through them.
                assert not overlaps(one, [line[0] - 0.5, line[1] - 0.5, line[2] + 0.5, line[3] + 0.5]), (
                    width,
                    chart["id"],
                )


def test_the_numbers_are_one_click_away_and_accessible_when_open(site, page):
    page.goto(site + f"{PLAN}/")
    numbers = page.locator("details.chart-numbers")
    assert numbers.count() == 3
    first = numbers.first
    assert not first.get_by_role("table").is_visible()
    first.locator("summary").click()
    table = first.get_by_role("table")
    assert table.is_visible() and "Strategic goal 1" in table.inner_text()
    for index in range(1, 3):
        numbers.nth(index).locator("summary").click()
    screenshot(page, "charts-numbers-open")
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)
    # Each drawing is named for assistive technology by its title.
    assert page.get_by_role("img", name="Progress per strategic goal").count() == 1


def test_a_chart_downloads_as_an_svg_file(site, page):
    page.goto(site + f"{PLAN}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download chart (SVG) of “Deliverables by status”").click()
    assert download.value.suggested_filename == "SAMPLE-DATA-chart-status-2016-2025.svg"


@pytest.mark.parametrize("width", [320, 1280])
def test_the_scorecard_map_links_every_state_by_name(site, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(site + f"{PLAN}/scorecard/")
    drawing = page.get_by_role("group", name=re.compile("^Map of the member states"))
    links = drawing.get_by_role("link")
    assert links.count() == 11
    singapore = drawing.get_by_role("link", name=re.compile(r"^Singapore: [\d.]+\s% done \(\d+ of \d+\)$"))
    box = singapore.bounding_box()
    assert box["width"] >= 6 and box["height"] >= 6  # its marker: there to see and to click
    singapore.click()
    expect(page).to_have_url(re.compile("/member-states/singapore/$"))
    page.go_back()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    violations = axe_violations(page)
    context.close()
    assert violations == [], json.dumps(violations, indent=2)


def test_the_scorecard_sorts_by_its_headings(site, page):
    page.goto(site + f"{PLAN}/scorecard/")
    page.get_by_role("link", name="Share done (sort highest first)").click()
    expect(page).to_have_url(re.compile(r"\?sort=-share$"))
    page.wait_for_load_state()
    heading = page.get_by_role("columnheader", name=re.compile("^Share done"))
    assert heading.get_attribute("aria-sort") == "descending"

    def shares():
        return [float(t.removesuffix("\u00a0%")) for t in page.locator("td.share strong").all_inner_texts()]

    assert len(shares()) == 11 and shares() == sorted(shares(), reverse=True)
    page.get_by_role("link", name="Share done (sort lowest first)").click()
    expect(page).to_have_url(re.compile(r"\?sort=share$"))
    page.wait_for_load_state()
    assert shares() == sorted(shares())
