"""The member-state scorecard (goals.scorecard and its page): it agrees with the member-state matrix
and the member-state pages, follows accession dates, sorts by link, maps every state, and
downloads as CSV."""

import datetime
import html
import itertools
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goals import charts
from goals.models import MemberState, ProgressUpdate, ReportingRound
from goals.scorecard import SORTS, StateScore
from tests.factories import make_deliverable, make_goal, make_initiative, make_plan, make_update
from tests.helpers import deliverable, download, text_of
from tests.sample import load_sample

pytestmark = pytest.mark.django_db

PLAN = "/plans/2016-2025"
STATES = 11
SVG = "{http://www.w3.org/2000/svg}"


def rows_of(page):
    """The scorecard's rows: (state slug, share text, done, total, still-to-do count) per state."""
    table = page.split('<table class="stacked">')[1].split("</table>")[0].split("<tbody>")[1]
    rows = []
    for row in table.split("<tr>")[1:]:
        slug = re.search(r'href="/member-states/([^/]+)/"', row).group(1)
        counts = re.search(r"<strong>([^<]+)</strong>\s*<span class=\"meta\">\((\d+) of (\d+)\)</span>", row)
        if counts is None:
            rows.append((slug, None, None, None, None))
            continue
        to_do = re.search(r">(\d+) deliverables?<span", row)
        done, total = int(counts.group(2)), int(counts.group(3))
        rows.append((slug, counts.group(1), done, total, int(to_do.group(1)) if to_do else 0))
    return rows


def matrix_counts(page):
    """Each state's (done, counted) from the member-state matrix page: completed cells, and cells
    that count (not dropped for it, in a column the figures count)."""
    _head, body = page.split("<tbody>")
    foot = body.split("<tfoot>")[1]
    counted_columns = [
        "Dropped" not in cell and "Added after this round" not in cell for cell in foot.split("<td>")[1:]
    ]
    counts = {}
    for row in body.split("</tbody>")[0].split("<tr>")[1:]:
        slug = re.search(r'href="/member-states/([^/]+)/"', row).group(1)
        cells = re.findall(r'<td class="cell (cell-[a-z_-]+)">', row)
        assert len(cells) == len(counted_columns)
        used = [cell for cell, counts_in in zip(cells, counted_columns, strict=True) if counts_in]
        counted = [cell for cell in used if cell != "cell-dropped"]
        counts[slug] = (counted.count("cell-completed"), len(counted))
    return counts


def member_page_counts(client, slug, plan_title):
    """A member-state page's own figures for a plan: (done, total, the codes still to do)."""
    page = text_of(client.get(f"/member-states/{slug}/"))
    section = page.split('id="scores"')[1].split("</section>")[0]
    part = section.split(f">{plan_title}</h3>")[1].split("<h3")[0]
    found = re.search(r"(\d+) of (\d+) state-by-state deliverables? done", part)
    codes = re.findall(r'<li>\s*<a href="[^"]+">([\d.]+) ', part)
    return int(found.group(1)), int(found.group(2)), codes


@pytest.fixture
def sample():
    load_sample()


def with_a_drop_and_a_dropped_deliverable():
    """A report that a treaty was dropped for one state (it leaves that state's count), and a
    state-by-state deliverable dropped at a plan review (it leaves every state's)."""
    make_update(
        deliverable=deliverable("5.3"),
        member_state=MemberState.objects.get(slug="myanmar"),
        status=ProgressUpdate.Status.DROPPED,
        percent_complete=0,
        reported_on=datetime.date(2020, 1, 1),
        review_state=ProgressUpdate.ReviewState.APPROVED,
    )
    dropped = deliverable("6.1")
    dropped.dropped_in = "v2.0"
    dropped.save()


class TestAgreement:
    def test_every_member_state_has_a_row_and_the_plan_switch_stays_on_the_scorecard(self, client):
        page = text_of(client.get(f"{PLAN}/scorecard/"))
        assert len(rows_of(page)) == STATES
        assert 'href="/plans/2026-2030/scorecard/"' in page and 'aria-current="page">2016-2025' in page
        current = text_of(client.get("/scorecard/"))  # the current plan: nothing to score yet, and it says so
        assert "Member-state scorecard: ASEAN IPR Action Plan 2026-2030" in current
        assert "This plan has no deliverables tracked per member state" in current

    @pytest.mark.parametrize("changed", [False, True])
    def test_it_agrees_with_the_matrix_and_the_member_state_pages(self, client, sample, changed):
        if changed:
            with_a_drop_and_a_dropped_deliverable()
        scorecard = rows_of(text_of(client.get(f"{PLAN}/scorecard/")))
        matrix = matrix_counts(text_of(client.get(f"{PLAN}/member-states/")))
        assert len(scorecard) == len(matrix) == STATES
        shares = set()
        for slug, share, done, total, to_do in scorecard:
            assert (done, total) == matrix[slug], slug
            assert to_do == total - done
            assert Decimal(share.removesuffix("\u00a0%")) == round(Decimal(done * 100) / total, 1)
            page_done, page_total, codes = member_page_counts(client, slug, "ASEAN IPR Action Plan 2016-2025")
            assert (page_done, page_total, len(codes)) == (done, total, to_do), slug
            shares.add(share)
        assert len(shares) > 1  # the sample data tells the states apart
        myanmar = next(row for row in scorecard if row[0] == "myanmar")
        assert myanmar[3] == (2 if changed else 4)  # 5.3 dropped for it, 6.1 for everyone

    def test_the_csv_has_the_same_numbers_as_the_page(self, client, sample):
        page = rows_of(text_of(client.get(f"{PLAN}/scorecard/?sort=-share")))
        rows = download(client, f"{PLAN}/scorecard/?sort=-share&format=csv")
        assert [r["member_state_name"] for r in rows] == [
            MemberState.objects.get(slug=slug).name for slug, *_ in page
        ]  # in the order shown
        for row, (_, share, done, total, to_do) in zip(rows, page, strict=True):
            assert Decimal(row["share_done"]) == Decimal(share.removesuffix("\u00a0%"))
            assert (int(row["deliverables_done"]), int(row["deliverables_expected"])) == (done, total)
            assert (
                int(row["still_to_do"]) == to_do == len(row["still_to_do_codes"].split(";") if to_do else [])
            )
            assert row["expected_to_act"] == "true" and row["plan"] == "2016-2025"
        whole = download(client, "/data/member_state_scorecard.csv?plan=2016-2025")
        assert whole == rows or sorted(whole, key=lambda r: r["member_state"]) == sorted(
            rows, key=lambda r: r["member_state"]
        )
        assert "member_state_scorecard" in text_of(client.get("/data/"))  # in the data dictionary

    def test_the_latest_approved_progress_links_its_deliverable_and_evidence(self, client):
        page = text_of(client.get(f"{PLAN}/scorecard/"))
        row = page.split('href="/member-states/brunei-darussalam/"')[1].split("</tr>")[0]
        latest = (
            ProgressUpdate.objects.public()
            .filter(member_state__slug="brunei-darussalam")
            .latest("reported_on")
        )
        assert f'<a href="{latest.deliverable.get_absolute_url()}">{latest.deliverable.code} ' in row
        assert f'href="{html.escape(latest.evidence_url)}">Evidence' in row
        assert 'href="/member-states/brunei-darussalam/#to-do-2016-2025"' in row

    def test_the_member_state_page_lists_what_is_still_to_do(self, client):
        page = text_of(client.get("/member-states/myanmar/"))
        section = page.split('id="to-do-2016-2025"')[1].split("</ul>")[0]
        assert "0 of 4 state-by-state deliverables done" in section and "(0\u00a0%)" in section
        assert section.count("<li>") == 4 and 'href="/plans/2016-2025/initiatives/5/5.1/"' in section

    def test_as_of_a_round_it_shows_that_round(self, client, sample):
        first = ReportingRound.objects.filter(plan__slug="2016-2025", state="published").order_by(
            "closes_on"
        )[0]
        then = rows_of(text_of(client.get(f"{PLAN}/scorecard/?round={first.pk}")))
        matrix = matrix_counts(text_of(client.get(f"{PLAN}/member-states/?round={first.pk}")))
        assert {slug: (done, total) for slug, _, done, total, _ in then} == matrix
        assert client.get(f"{PLAN}/scorecard/?round=999999").status_code == 400


class TestAccession:
    """Timor-Leste joined ASEAN on 26 Oct 2025: expected to act on plans ending after that."""

    @pytest.fixture
    def older_plan(self):
        plan = make_plan(start_year=2011, end_year=2015)
        initiative = make_initiative(plan=plan, goal=make_goal(plan=plan))
        make_deliverable(initiative=initiative, per_member_state=True)
        return plan

    def test_a_state_that_joined_after_a_plan_is_not_scored_on_it(self, client, older_plan):
        page = text_of(client.get(f"/plans/{older_plan.slug}/scorecard/"))
        rows = {slug: rest for slug, *rest in rows_of(page)}
        assert len(rows) == STATES and rows["timor-leste"] == [None] * 4
        timor = page.split('href="/member-states/timor-leste/"')[1].split("</tr>")[0]
        assert "Not expected to act: joined ASEAN after this plan" in timor
        assert "Timor-Leste: not expected to act on this plan</title>" in page  # on the map too
        assert rows["indonesia"] == ["0\u00a0%", 0, 1, 1]
        row = next(r for r in download(client, f"/plans/{older_plan.slug}/scorecard/?format=csv")
                   if r["member_state"] == "TL")  # fmt: skip
        assert row["expected_to_act"] == "false" and row["share_done"] == ""

    def test_on_the_2016_2025_plan_it_is_expected_to_act(self, client):
        rows = {slug: rest for slug, *rest in rows_of(text_of(client.get(f"{PLAN}/scorecard/")))}
        assert rows["timor-leste"] == ["0\u00a0%", 0, 4, 4]


class TestSorting:
    def names(self, client, query):
        page = text_of(client.get(f"{PLAN}/scorecard/{query}"))
        return page, [slug for slug, *_ in rows_of(page)]

    def test_by_name_unless_asked_otherwise(self, client):
        page, slugs = self.names(client, "")
        assert slugs == sorted(slugs) and slugs[0] == "brunei-darussalam"
        assert re.search(
            r'<th scope="col" aria-sort="ascending">\s*<a href="\?sort=-name">Member state', page
        )
        assert page.count("aria-sort=") == 1
        page, reverse = self.names(client, "?sort=-name")
        assert reverse == slugs[::-1] and 'aria-sort="descending"' in page

    def test_by_share_highest_or_lowest_first_ties_by_name(self, client, sample):
        page, _slugs = self.names(client, "?sort=-share")
        rows = rows_of(page)
        shares = [Decimal(share.removesuffix("\u00a0%")) for _, share, *_ in rows]
        assert shares == sorted(shares, reverse=True)
        for (one, a, *_), (other, b, *_) in itertools.pairwise(rows):
            assert a != b or one < other  # equal shares in name order
        assert re.search(r'<th scope="col" aria-sort="descending">\s*<a href="\?sort=share">Share done', page)
        page, _lowest = self.names(client, "?sort=share")
        assert [Decimal(s.removesuffix("\u00a0%")) for _, s, *_ in rows_of(page)] == sorted(shares)
        assert 'aria-sort="ascending"' in page

    def test_sorting_keeps_the_round(self, client, sample):
        first = ReportingRound.objects.filter(plan__slug="2016-2025", state="published").first()
        page = text_of(client.get(f"{PLAN}/scorecard/?round={first.pk}"))
        assert f'href="?round={first.pk}&amp;sort=-share"' in page

    @pytest.mark.parametrize("value", ["bogus", "shares", "-", "Share"])
    def test_an_unknown_sort_is_refused_with_the_choices(self, client, value):
        response = client.get(f"{PLAN}/scorecard/?sort={value}")
        assert response.status_code == 400
        assert f"Unknown sort &#x27;{value}&#x27;" in response.text
        assert all(key in response.text for key in SORTS)
        csv = client.get(f"{PLAN}/scorecard/?sort={value}&format=csv")
        assert csv.status_code == 400 and csv["Content-Type"].startswith("text/plain")

    def test_an_unknown_plan_is_not_found(self, client):
        assert client.get("/plans/nope/scorecard/").status_code == 404


class TestMap:
    def test_every_state_is_a_named_link_on_the_map_and_in_the_table(self, client, sample):
        page = text_of(client.get(f"{PLAN}/scorecard/"))
        drawing = page.split('aria-labelledby="map-title"')[1].split("</svg>")[0]
        links = re.findall(
            r'<a href="/member-states/([^/]+)/" class="map-state">\s*<title>([^<]+)</title>', drawing
        )
        table = {slug: share for slug, share, *_ in rows_of(page)}
        assert len(links) == STATES and {slug for slug, _ in links} == set(table)
        for slug, title in links:
            name = MemberState.objects.get(slug=slug).name
            assert title.startswith(f"{html.escape(name, quote=True)}: {table[slug]} done ("), title
        assert re.search(r'<svg[^>]+role="group"\s+aria-labelledby="map-title"', page)
        for small in ("singapore", "brunei-darussalam"):  # big enough to see and click
            link = drawing.split(f'href="/member-states/{small}/"')[1].split("</a>")[0]
            assert "<circle" in link
        assert drawing.count("<circle") == 2

    def test_each_state_is_shaded_by_its_share_with_a_key(self, client, sample):
        page = text_of(client.get(f"{PLAN}/scorecard/"))
        table = {slug: Decimal(share.removesuffix("\u00a0%")) for slug, share, *_ in rows_of(page)}
        drawing = page.split('aria-labelledby="map-title"')[1].split("</svg>")[0]
        for slug, share in table.items():
            link = drawing.split(f'href="/member-states/{slug}/"')[1].split("</a>")[0]
            assert f'fill="{charts.share_fill(share)}"' in link
        key = page.split('<ul class="map-key"')[1].split("</ul>")[0]
        assert key.count("<li>") == 5 and "80 to 100\u00a0%" in key and "0 to 19.9\u00a0%" in key

    def test_the_colour_scale_is_ordered_and_readable(self):
        fills = [fill for _, fill, _ in charts.SHARE_CLASSES]
        lightness = [charts.luminance(fill) for fill in fills]
        assert lightness == sorted(lightness)  # darker means more done
        assert charts.share_fill(Decimal(100)) == fills[0] and charts.share_fill(Decimal(0)) == fills[-1]
        assert charts.share_fill(Decimal("79.9")) == fills[1] and charts.share_fill(Decimal(80)) == fills[0]
        for fill in fills:  # each shape's edge stands out: its fill from the page, or its outline from it
            assert charts.contrast(fill, charts.PAPER) >= 3 or charts.contrast(charts.INK, fill) >= 3
        for one, other in itertools.pairwise(fills):  # neighbouring shades tell apart
            assert charts.contrast(one, other) >= 1.3
        assert charts.contrast(charts.INK, charts.PAPER) >= 3

    def test_the_map_downloads_as_an_svg_file_with_the_same_shares(self, client, sample):
        page = text_of(client.get(f"{PLAN}/scorecard/"))
        assert re.search(r'href="/plans/2016-2025/scorecard/map.svg"\s+download>Download map \(SVG\)', page)
        response = client.get(f"{PLAN}/scorecard/map.svg")
        assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml; charset=utf-8"
        assert (
            response["Content-Disposition"]
            == 'attachment; filename="SAMPLE-DATA-map-member-states-2016-2025.svg"'
        )
        root = ET.fromstring(response.content)
        assert root.tag == f"{SVG}svg" and root.get("role") == "img"
        titles = [t.text for t in root.iter(f"{SVG}title")][1:]
        table = {MemberState.objects.get(slug=slug).name: share for slug, share, *_ in rows_of(page)}
        drawn = dict(
            re.fullmatch(r"(.+): (\S+\u00a0%) done \(\d+ of \d+\)", title).groups() for title in titles
        )
        assert drawn == table
        assert len(titles) == STATES and not list(root.iter(f"{SVG}a"))  # no links leading nowhere
        texts = "".join(t.text or "" for t in root.iter(f"{SVG}text"))
        assert "Share done" in texts and "80 to 100\u00a0%" in texts and "Natural Earth" in texts
        assert "style=" not in response.text and "<script" not in response.text

    def test_no_map_file_for_a_plan_without_one(self, client):
        response = client.get("/plans/2026-2030/scorecard/map.svg")
        assert response.status_code == 404 and "has no member-state map" in response.text
        assert client.get(f"{PLAN}/scorecard/map.svg?round=abc").status_code == 400

    def test_no_map_and_no_table_for_a_plan_without_state_by_state_deliverables(self, client):
        page = text_of(client.get("/plans/2026-2030/scorecard/"))
        assert "This plan has no deliverables tracked per member state" in page
        assert "map-state" not in page and '<table class="stacked">' not in page

    def test_no_map_when_no_state_is_expected_to_act(self):
        scores = [StateScore(state, expected=False) for state in MemberState.objects.all()]
        assert charts.state_map(scores) is None

    def test_the_outlines_cover_every_member_state_inside_the_view(self):
        outlines = charts.map_outlines()
        assert set(outlines["states"]) == set(MemberState.objects.values_list("iso_code", flat=True))
        for code, outline in outlines["states"].items():
            numbers = [float(n) for n in re.findall(r"-?\d+\.?\d*", outline["path"])]
            xs, ys = numbers[0::2], numbers[1::2]
            assert min(xs) >= 0 and max(xs) <= outlines["width"], code
            assert min(ys) >= 0 and max(ys) <= outlines["height"], code
            assert outline["area"] > 0


def test_a_page_rendered_again_from_data_already_held_runs_one_query(client, settings, sample):
    settings.PUBLIC_CACHE_SECONDS = 600
    cache.clear()
    client.get(f"{PLAN}/scorecard/?visit=1")
    with CaptureQueriesContext(connection) as context:
        assert client.get(f"{PLAN}/scorecard/?visit=2").status_code == 200
    assert len(context) == 1  # the data version
