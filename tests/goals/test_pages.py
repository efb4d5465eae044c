"""The public pages: what a visitor sees, that only approved progress shows, the as-of view,
the explorer's filters and the fixed number of queries per page."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from goals.models import (
    Deliverable,
    Initiative,
    MemberState,
    ProgressUpdate,
    ReportingRound,
    StrategicGoal,
)
from tests.factories import grow_twentyfold
from tests.helpers import text_of
from tests.sample import load_sample

pytestmark = pytest.mark.django_db

PLAN = "/plans/2016-2025"
OLD = "ASEAN IPR Action Plan 2016-2025"
PUBLIC_PAGES = [
    "/",
    f"{PLAN}/",
    "/plans/2026-2030/",
    f"{PLAN}/goals/1/",
    f"{PLAN}/initiatives/5/",
    f"{PLAN}/initiatives/5/5.1/",
    f"{PLAN}/initiatives/1/1.3/",
    f"{PLAN}/member-states/",
    "/member-states/",
    f"{PLAN}/scorecard/",
    "/scorecard/",
    "/member-states/philippines/",
    "/bodies/ipophl/",
    "/platforms/",
    "/methodology/",
    f"{PLAN}/compare/",
    "/explore/initiatives/",
    "/explore/deliverables/",
    "/explore/updates/",
    "/partners/",
    "/partners/euipo/",
    f"{PLAN}/lineage/",
    "/plans/2026-2030/lineage/",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_public_page_loads_without_signing_in(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "<script" not in response.text and "style=" not in response.text  # a strict CSP can hold


def test_overview_shows_the_plan_its_goals_and_a_plan_switch(client):
    page = client.get(f"{PLAN}/").text
    assert "<h1>ASEAN IPR Action Plan 2016-2025" in page
    assert 'href="/plans/2026-2030/"' in page and 'aria-current="page">2016-2025' in page
    for number in range(1, 5):
        assert f'href="/plans/2016-2025/goals/{number}/"' in page
    assert "Reporting completeness" in page and "Why this number?" in page
    assert "ASEAN IP Register launched" in page  # latest approved progress


def main_of(response):
    """The page's main content, once sure it answered 200 (what the page says, without the site's
    header and footer)."""
    return text_of(response).split('<main id="main"')[1].split("</main>")[0]


def make_round(plan_slug, name, opens, closes, state, **fields):
    from goals.models import ActionPlan

    plan = ActionPlan.objects.get(slug=plan_slug)
    return ReportingRound.objects.create(plan=plan, name=name, opens_on=opens, closes_on=closes,
                                         state=state, **fields)  # fmt: skip


TODAY = datetime.date.today()


class TestTheCurrentPlanFirst:
    def test_the_home_page_is_the_plan_whose_period_includes_today(self, client):
        page = main_of(client.get("/"))
        assert "<h1>ASEAN IPR Action Plan 2026-2030" in page  # not the newest plan with progress
        switch = page.split('aria-label="Plans"')[1].split("</nav>")[0]
        assert '<span aria-current="page">2026-2030<span class="plan-when">, current plan</span>' in switch
        assert 'href="/plans/2016-2025/">2016-2025<span class="plan-when">, ended on 31 Dec 2025' in switch
        assert 'href="/plans/2026-2030/"' not in switch  # the page does not link to itself
        assert (
            'The previous plan, the <a href="/plans/2016-2025/">ASEAN IPR Action Plan 2016-2025</a>,' in page
        )

    @pytest.mark.parametrize(
        "url", [f"{PLAN}/", f"{PLAN}/goals/1/", f"{PLAN}/initiatives/5/", f"{PLAN}/initiatives/5/5.1/",
                f"{PLAN}/member-states/"],
    )  # fmt: skip
    def test_the_old_plan_s_pages_link_to_the_current_one(self, client, url):
        page = main_of(client.get(url))
        assert "This plan ended on 31 Dec 2025.\n" in re.sub(r"\s+", " ", page).replace(
            "31 Dec 2025. ", "31 Dec 2025.\n"
        )
        assert (
            'The current plan is the <a href="/plans/2026-2030/">ASEAN IPR Action Plan 2026-2030</a>' in page
        )

    def test_the_matrix_of_the_current_plan_points_to_the_old_one_while_it_has_none(self, client):
        page = main_of(client.get("/member-states/"))
        assert "Member-state matrix: ASEAN IPR Action Plan 2026-2030" in page
        assert "The plan's deliverables are not recorded here yet" in page
        old = "ASEAN IPR Action Plan 2016-2025"
        assert f'href="/plans/2016-2025/member-states/">member-state matrix of the {old}' in page

    def test_the_current_plan_s_inner_pages_do_not_say_it_is_old(self, client):
        page = main_of(client.get("/plans/2026-2030/goals/1/"))
        assert "The current plan is" not in page and "ended on" not in page


class TestAPlanWithNoProgressYet:
    """2026-2030 has no approved progress (and no deliverables recorded): its pages say what will
    appear and when, instead of figures, tables and charts of zeros."""

    PAGES = ["/", "/plans/2026-2030/goals/1/", "/plans/2026-2030/initiatives/2/"]

    @pytest.mark.parametrize("url", PAGES)
    def test_no_figures_tables_or_charts_of_zeros(self, client, url):
        page = main_of(client.get(url))
        for absent in ('class="big-percent"', "<meter", "<svg", 'class="chart-data"', "Why this number?",
                       "0\u00a0%", "Percent delivered", "No data"):  # fmt: skip
            assert absent not in page, absent
        assert "has been approved yet" in page and "so there are no figures to show" in page
        assert "once progress is reported in a reporting round and that round is published" in page.replace(
            "Once", "once"
        )
        assert "The plan's deliverables are not recorded here yet" in page
        assert "No reporting round has been scheduled for this plan yet." in page

    def test_it_says_when_the_next_round_comes(self, client):
        make_round("2026-2030", "First 2026-2030 round", TODAY + datetime.timedelta(days=30),
                   TODAY + datetime.timedelta(days=90), ReportingRound.State.PLANNED)  # fmt: skip
        opens = TODAY + datetime.timedelta(days=30)
        when = f"{opens.day} {opens.strftime('%b')} {opens.year}"
        for url in self.PAGES:
            page = main_of(client.get(url))
            assert f"The next reporting round is First 2026-2030 round (opens on {when})." in page, url

    def test_it_lists_its_measures_and_initiatives_instead(self, client):
        page = main_of(client.get("/"))
        assert "Its strategic measures and initiatives" in page
        assert (
            'href="/plans/2026-2030/goals/1/">Strategic measure 1: Strengthen national IP regimes</a>' in page
        )
        assert (
            'href="/plans/2026-2030/initiatives/2/">Initiative 2: Intra-regional training among IP offices'
            in page
        )
        goal = main_of(client.get("/plans/2026-2030/goals/1/"))
        assert 'href="/plans/2026-2030/initiatives/4/">Initiative 4: ASEAN IP Academy curriculum</a>' in goal
        assert "No deliverables recorded under it yet." in main_of(
            client.get("/plans/2026-2030/initiatives/1/")
        )

    def test_figures_and_charts_come_with_its_first_approved_progress(self, client):
        initiative = Initiative.objects.get(plan__slug="2026-2030", number=2)
        new = Deliverable.objects.create(initiative=initiative, code="2.1", title="Training calendar")
        ProgressUpdate.objects.create(deliverable=new, status="in_progress", percent_complete=40,
                                      reported_on=TODAY, review_state="approved")  # fmt: skip
        page = main_of(client.get("/"))
        assert "has been approved yet" not in page
        assert page.count('<details class="chart-numbers">') == 2 and 'class="big-percent"' in page
        assert '<h2 id="by-goal">Progress by strategic measure</h2>' in page
        assert '<th scope="col">Strategic measure</th>' in page
        assert '<th scope="row">Strategic measure 1</th>' in page  # "Why this number?", the chart's numbers
        assert "Progress per strategic measure" in page and "Goal 1" not in page


class TestReportingRoundDates:
    def test_rounds_say_what_happened_and_when_never_a_future_date_in_the_past_tense(self, client):
        from goals.rounds import publish_snapshot

        later = TODAY + datetime.timedelta(days=20)
        early = make_round("2016-2025", "Final round", TODAY - datetime.timedelta(days=60), later,
                           ReportingRound.State.PUBLISHED,
                           closed_at=timezone.now() - datetime.timedelta(days=3))  # fmt: skip
        publish_snapshot(early)
        make_round("2016-2025", "Round closed by hand", TODAY - datetime.timedelta(days=30), later,
                   ReportingRound.State.CLOSED)  # fmt: skip
        make_round("2026-2030", "Next round", later, later + datetime.timedelta(days=30),
                   ReportingRound.State.PLANNED)  # fmt: skip

        def day(value):
            return f"{value.day} {value.strftime('%b')} {value.year}"

        closed_on = timezone.localdate(timezone.now() - datetime.timedelta(days=3))
        published_on = timezone.localdate()
        page = main_of(client.get(f"{PLAN}/"))
        early_wording = f"closed early on {day(closed_on)}, published on {day(published_on)}"
        assert f"Final round ({early_wording})" in page  # the round picker
        assert f"<strong>Final round</strong>: {early_wording}." in page  # the list of rounds
        assert f"<strong>Round closed by hand</strong>: closed (planned to close on {day(later)})." in page
        assert f"closed on {day(later)}" not in page and f"closed {day(later)}" not in page
        assert f"<strong>Next round</strong>: opens on {day(later)}." in main_of(client.get("/"))
        pack = main_of(client.get(f"{PLAN}/rounds/{early.pk}/meeting-pack/"))
        assert f"the figures as published for this reporting round ({early_wording})" in pack

    def test_a_plan_without_rounds_says_so(self, client):
        assert "No reporting round is recorded for this plan." in main_of(client.get(f"{PLAN}/"))


class TestThePlansOwnWords:
    def test_the_2026_2030_plan_says_strategic_measure_everywhere(self, client):
        goal = main_of(client.get("/plans/2026-2030/goals/3/"))
        assert "<h1>Strategic measure 3: Make it easier to commercialise IP assets" in goal
        assert '<li aria-current="page">Strategic measure 3</li>' in goal
        assert "Where the strategic measure stands" in goal
        initiative = main_of(client.get("/plans/2026-2030/initiatives/1/"))
        assert 'href="/plans/2026-2030/goals/3/">Strategic measure 3</a>' in initiative  # breadcrumbs
        for page in (goal, initiative, main_of(client.get("/"))):
            assert "Goal " not in page and "strategic goal" not in page.lower()

    def test_the_2016_2025_plan_says_strategic_goal(self, client):
        page = main_of(client.get(f"{PLAN}/"))
        assert '<th scope="col">Strategic goal</th>' in page and "Progress by strategic goal" in page
        assert "Strategic goal 1: Build a sturdier ASEAN IP system" in page
        assert '<li aria-current="page">Strategic goal 1</li>' in main_of(client.get(f"{PLAN}/goals/1/"))

    def test_counts_come_from_the_data_and_the_missing_measure_is_provisional(self, client):
        page = main_of(client.get("/"))
        assert "It has five strategic measures" not in page  # the summary states no count of its own
        assert re.search(
            r"Recorded here: four of the five strategic measures the plan sets out "
            r'<span class="tag tag-provisional" title="The plan sets out five; the sources consulted give '
            r'four.">provisional</span>, four initiatives and no deliverables yet.',
            page,
        )
        old = main_of(client.get(f"{PLAN}/"))
        assert "Recorded here: four strategic goals, 19 initiatives and 29 deliverables." in old
        StrategicGoal.objects.create(plan=Initiative.objects.get(plan__slug="2026-2030", number=1).plan,
                                     number=5, title="The fifth measure, once found")  # fmt: skip
        page = main_of(client.get("/"))
        assert "Recorded here: five strategic measures, four initiatives" in page
        assert "the plan sets out" not in page


class TestPagesThatDoNotRepeatThemselves:
    def test_a_body_page_groups_what_it_does_by_plan_with_the_figures_current_plan_first(self, client):
        page = main_of(client.get("/bodies/ipophl/"))
        new, old = page.index('id="plan-2026-2030"'), page.index('id="plan-2016-2025"')
        assert new < old  # the current plan first
        current, ended = page[new:old], page[old:]
        assert 'href="/plans/2026-2030/">ASEAN IPR Action Plan 2026-2030</a>' in current
        assert (
            "No progress on this plan has been approved yet" in current and "Percent delivered" not in current
        )
        assert (
            'href="/plans/2026-2030/initiatives/1/">Initiative 1: ASEAN IP valuation framework</a>' in current
        )
        row = re.search(
            r'<a href="/plans/2016-2025/initiatives/8/8.1/">8.1 ASEAN TMview</a>.*?</tr>', ended, re.S
        )
        assert (
            "Lead / champion" in row.group(0) and "100\u00a0%" in row.group(0) and "Completed" in row.group(0)
        )
        madrid = re.search(
            r'href="/plans/2016-2025/initiatives/5/">Initiative 5:.*?</tr>', ended, re.S
        ).group(0)
        assert "66.7\u00a0%" in madrid and "Overdue" in madrid  # an initiative's own figure
        # No column repeats the page's own name, and nothing links to the page itself.
        assert '<th scope="col">Body</th>' not in page and 'href="/bodies/ipophl/"' not in page
        assert page.count("Intellectual Property Office of the Philippines") == 1  # the heading

    def test_a_partner_page_groups_what_it_supports_by_plan_with_the_figures(self, client):
        page = main_of(client.get("/partners/euipo/"))
        assert 'id="plan-2016-2025"' in page and 'id="plan-2026-2030"' not in page  # nothing there yet
        row = re.search(
            r'href="/plans/2016-2025/initiatives/8/8.1/">8.1 ASEAN TMview</a>.*?</tr>', page, re.S
        )
        assert "2013\u20132017: Built ASEAN TMview" in row.group(0) and "100\u00a0%" in row.group(0)
        assert '<th scope="col">Partner</th>' not in page and 'href="/partners/euipo/"' not in page

    def test_a_member_state_page_groups_its_office_s_parts_by_plan_without_repeating_the_office(self, client):
        page = main_of(client.get("/member-states/philippines/"))
        leads = page[page.index('id="leads"') : page.index('id="scores"')]
        assert leads.index('id="plan-2026-2030"') < leads.index('id="plan-2016-2025"')
        assert '<th scope="col">Body</th>' not in leads and "Percent delivered" in leads
        # A state with two offices says which office each row is for.
        cambodia = main_of(client.get("/member-states/cambodia/"))
        leads = cambodia[cambodia.index('id="leads"') : cambodia.index('id="scores"')]
        assert '<th scope="col">Body</th>' in leads

    def test_a_goal_page_lists_each_body_and_partner_once_with_its_parts_by_role(self, client):
        page = main_of(client.get(f"{PLAN}/goals/1/"))
        bodies = page[page.index('id="bodies"') : page.index('id="partners"')]
        names = re.findall(r'<th scope="row"><a href="(/bodies/[\w-]+/)">', bodies)
        assert len(names) == len(set(names)) > 5
        row = re.search(r'href="/bodies/bruipo/">.*?</tr>', bodies, re.S)
        assert row and re.search(
            r"Implementing:\s*<a href=\"/plans/2016-2025/initiatives/5/\">Initiative 5</a>", row.group(0)
        )
        partners = page[page.index('id="partners"') :]
        names = re.findall(r'<th scope="row"><a href="(/partners/[\w-]+/)">', partners)
        assert len(names) == len(set(names)) > 2

    def test_a_deliverable_page_does_not_link_to_itself(self, client):
        url = f"{PLAN}/initiatives/5/5.1/"
        page = main_of(client.get(url))
        assert f'href="{url}"' not in page
        assert '<th scope="col">On</th>' not in page  # bodies and partners: all on this deliverable
        assert "Malaysia:\n" in page or re.search(r"<p>\s*Malaysia:\s*<strong>Completed</strong>", page)
        initiative = main_of(client.get(f"{PLAN}/initiatives/5/"))
        assert "The initiative as a whole" in initiative and f'href="{PLAN}/initiatives/5/"' not in initiative
        assert f'href="{url}"' in initiative  # its deliverables still link to their pages

    def test_article_67_links_only_for_years_with_a_report(self, client):
        def links(slug):
            page = main_of(client.get(f"/partners/{slug}/"))
            return re.findall(rf'href="/partners/{slug}/article-67/(\d+)/"', page)

        assert links("uspto") == ["2025", "2024"]
        assert links("iponz") == ["2022"]  # its own report, not Australia's in the programme they share
        assert links("ip-australia") == [str(year) for year in range(2022, 2011, -1)]
        assert links("wipo") == []
        unlinked = client.get("/partners/uspto/article-67/2019/")  # still answers, as before
        assert unlinked.status_code == 200 and re.search(
            r"Report for 2019</dt>\s*<dd>\s*None recorded", unlinked.text
        )
        assert client.get("/partners/uspto/article-67/1990/").status_code == 404

    @pytest.mark.parametrize(
        "url",
        ["/partners/epo/", "/partners/euipo/", "/partners/jpo/", "/partners/jpo/article-67/2024/",
         "/partners/euipo/article-67/2020/", "/partners/", f"{PLAN}/initiatives/5/5.2/",
         "/member-states/myanmar/", "/platforms/"],
    )  # fmt: skip
    def test_no_placeholders_where_a_value_is_unknown(self, client, url):
        page = main_of(client.get(url))
        for placeholder in ("?\u2013", "\u2013ongoing", "not known", "<td>\u2013</td>", "<td>\u2013 </td>",
                            "none recorded", "not recorded"):  # fmt: skip
            assert placeholder not in page, placeholder
        assert not re.search(r"<td>\s*\u2013\s*</td>", page)

    def test_known_years_and_reports_read_plainly(self, client):
        epo = main_of(client.get("/partners/euipo/"))
        assert "<dd>\n                    Since 2000\n" in epo or re.search(r"<dd>\s*Since 2000\s*</dd>", epo)
        jpo = main_of(client.get("/partners/jpo/"))
        assert re.search(r"<td>Japan</td>\s*<td>\s*Dated 13 Sep 2024\s*</td>", jpo)
        assert re.search(r"<td>Japan</td>\s*<td>\s*IP/C/W/647/Add.3\s*</td>", jpo)
        report = main_of(client.get("/partners/jpo/article-67/2024/"))
        assert re.search(r"Filed by Japan, dated 13 Sep 2024\s*</dd>", report)
        programme = main_of(client.get("/partners/epo/")).split("ASEAN-EPO regional cooperation")[1]
        assert "<dt>Years</dt>" not in programme.split("</article>")[0]  # no years known: left out

    @pytest.mark.parametrize(
        "url", [f"{PLAN}/", f"{PLAN}/goals/1/", f"{PLAN}/initiatives/5/", f"{PLAN}/initiatives/5/5.1/"]
    )
    def test_why_this_number_sits_right_under_the_number_it_explains(self, client, url):
        page = main_of(client.get(url))
        number, why = page.index('class="big-percent"'), page.index("Why this number?")
        assert number < why < page.index("<dt>Coverage</dt>")
        assert page[number:why].count("<p") == 1  # only "delivered" between the number and its "why"
        if url == f"{PLAN}/":
            assert why < page.index("Reporting completeness")


@pytest.mark.parametrize(
    ("url", "labels"),
    [
        (f"{PLAN}/", ["Progress by strategic goal", "Indicators"]),
        (
            f"{PLAN}/goals/1/",
            [
                "Initiatives under this strategic goal",
                "Indicators",
                "Responsible bodies",
                "Partners involved",
            ],
        ),
        (f"{PLAN}/member-states/", ["Member-state matrix"]),
        (
            "/member-states/indonesia/",
            [
                f"What its office leads, implements or supports in the {OLD}",
                "Indonesia's row of the member-state matrix",
            ],
        ),
        ("/partners/euipo/", [f"What it supports in the {OLD}", "Yearly reports to the WTO TRIPS Council"]),
    ],
)
def test_wide_tables_scroll_in_regions_named_for_screen_readers_and_reachable_by_keyboard(
    client, url, labels
):
    response = client.get(url)
    assert response.status_code == 200
    regions = re.findall(
        r'<div class="table-scroll" role="region" aria-label="([^"]+)" tabindex="0">', text_of(response)
    )
    assert [label.replace("&#x27;", "'") for label in regions] == [f"Table: {label}" for label in labels]
    assert text_of(response).count('class="table-scroll"') == len(labels)


def test_the_headline_is_what_was_delivered_with_its_coverage_beside_it(client):
    page = client.get(f"{PLAN}/").text
    assert "19 of 29 deliverables have approved progress" in page  # the real data: ten unreported
    status_chart = page.split('id="chart-status-caption"')[1].split("</figure>")[0]
    statuses = re.findall(r'<th scope="row">[^<]+</th>\s*<td class="num">(\d+)</td>', status_chart)
    assert sum(int(n) for n in statuses) == 29  # each deliverable counted once, no phantom ones
    headline = re.search(r'<p class="big-percent">.*?</span>([\d.]+)\u00a0%</p>', page).group(1)
    assert float(headline) < 100
    # The plan ended on 31 Dec 2025: what was delivered by then, and that the rest is overdue.
    assert "Plan ended 31 Dec 2025:" in page and "delivered by then" in page
    assert '<span class="schedule schedule-overdue">Overdue</span> by' in page
    assert "expected by" not in page.split("Where the plan stands")[1].split("Progress by strategic goal")[0]


def test_a_treaty_deliverable_reads_as_the_share_of_states_that_joined(client):
    hague = client.get(f"{PLAN}/initiatives/5/5.2/").text
    assert "36.4\u00a0%" in hague and "4 of 11 member states have approved progress" in hague


def test_drill_down_from_goal_to_initiative_to_deliverable(client):
    goal = client.get(f"{PLAN}/goals/1/").text
    assert 'href="/plans/2016-2025/initiatives/5/"' in goal
    initiative = client.get(f"{PLAN}/initiatives/5/").text
    assert 'href="/plans/2016-2025/initiatives/5/5.1/"' in initiative
    assert "Intellectual Property Office of the Philippines" in initiative  # responsible bodies
    deliverable = client.get(f"{PLAN}/initiatives/5/5.1/").text
    assert "9 of 11" in deliverable  # member states reporting
    assert "6 Jan 2017" in deliverable and "http://dreyfus.fr/" in deliverable  # dated evidence


def test_charts_are_svg_with_title_description_download_and_their_numbers(client):
    page = text_of(client.get(f"{PLAN}/"))
    assert page.count('role="img"') == 4  # each chart drawn for wide and for narrow screens
    for chart in ("chart-goals", "chart-status"):
        for layout in ("wide", "narrow"):
            assert f'aria-labelledby="{chart}-{layout}-title {chart}-{layout}-desc"' in page
            assert (
                f'<title id="{chart}-{layout}-title">' in page
                and f'<desc id="{chart}-{layout}-desc">' in page
            )
    assert page.count('<details class="chart-numbers">') == 2  # the numbers one click away
    for name in ("goals", "status"):
        assert re.search(
            rf'href="/plans/2016-2025/charts/{name}.svg"\s+download>Download chart \(SVG\)', page
        )
    # No round has been published yet: a sentence says so, and nothing is drawn.
    assert "No reporting round has been published for this plan yet." in page
    assert "chart-history-wide" not in page and "/charts/history.svg" not in page


def test_matrix_cells_say_status_and_date_in_words(client):
    page = client.get(f"{PLAN}/member-states/").text
    assert '<span class="cell-status">Completed</span>' in page and "6 Jan 2017" in page
    assert page.count("No data") >= 11  # Myanmar, Timor-Leste and the untracked treaties


def test_member_state_body_partner_and_platform_pages(client):
    assert "Intellectual Property Office of the Philippines" in client.get("/member-states/philippines/").text
    assert "ASEAN TMview" in client.get("/bodies/ipophl/").text
    euipo = client.get("/partners/euipo/").text
    assert "ARISE+ IPR" in euipo and "training of personnel" in euipo
    assert "IP/C/R/TC/AUS/1" in client.get("/partners/ip-australia/").text
    platforms = client.get("/platforms/").text
    assert "20 Aug 2023" in platforms and "https://www.aseanip.org/" in platforms and "WIPO" in platforms


def test_why_this_number_lists_children_and_how_each_counts(client):
    page = client.get(f"{PLAN}/initiatives/1/").text
    assert "1.3 ASEAN Patent Examination Cooperation (ASPEC) work-sharing" in page
    assert "Yes, as 0\u00a0%: no approved progress yet" in page


def test_unknown_pages_are_404(client):
    for url in (f"{PLAN}/goals/9/", f"{PLAN}/initiatives/99/", f"{PLAN}/initiatives/5/9.9/", "/plans/nope/"):
        assert client.get(url).status_code == 404


class TestOnlyApprovedProgressIsPublic:
    SECRET = "Unreviewed narrative that must never be public"

    @pytest.fixture
    def unapproved(self):
        deliverable = Deliverable.objects.get(initiative__plan__slug="2016-2025", code="1.3")
        madrid = Deliverable.objects.get(initiative__plan__slug="2016-2025", code="5.1")
        myanmar = MemberState.objects.get(iso_code="MM")
        for state in ("draft", "submitted", "returned"):
            ProgressUpdate.objects.create(
                deliverable=deliverable, status="completed", percent_complete=100, narrative=self.SECRET,
                reported_on=datetime.date(2025, 6, 1), review_state=state, evidence_url="https://example.org/x",
            )  # fmt: skip
            ProgressUpdate.objects.create(
                deliverable=madrid, member_state=myanmar, status="completed", percent_complete=100,
                narrative=self.SECRET, reported_on=datetime.date(2025, 6, 1), review_state=state,
            )  # fmt: skip

    @pytest.mark.parametrize(
        "url", [*PUBLIC_PAGES, "/member-states/myanmar/", "/explore/updates/?q=Unreviewed"]
    )
    def test_unapproved_updates_never_show(self, client, unapproved, url):
        page = text_of(client.get(url))
        assert self.SECRET not in page
        assert "example.org/x" not in page

    def test_unapproved_updates_do_not_move_any_figure(self, client, unapproved):
        deliverable = client.get(f"{PLAN}/initiatives/1/1.3/").text
        assert "No approved progress is recorded yet." in deliverable
        assert "9 of 11" in client.get(f"{PLAN}/initiatives/5/5.1/").text
        matrix = client.get(f"{PLAN}/member-states/").text
        myanmar_row = matrix[matrix.index("/member-states/myanmar/") :].split("</tr>")[0]
        assert "Completed" not in myanmar_row
        assert "/initiatives/1/1.3/" not in text_of(client.get("/explore/deliverables/?status=completed"))


class TestAsOfReportingRound:
    @pytest.fixture
    def rounds(self):
        load_sample()
        return list(ReportingRound.objects.published().filter(plan__slug="2016-2025").order_by("closes_on"))

    def test_overview_and_goal_pages_show_figures_as_they_stood(self, client, rounds):
        first = rounds[0]
        then = client.get(f"{PLAN}/?round={first.pk}").text
        now = text_of(client.get(f"{PLAN}/"))
        assert f"As of {first.name}" in then and "As of" not in now
        # Updates approved in later rounds are not counted then.
        later = ProgressUpdate.objects.public().filter(round__closes_on__gt=first.closes_on).first()
        goal = later.deliverable.initiative.goal.number
        goal_then = client.get(f"{PLAN}/goals/{goal}/?round={first.pk}").text
        assert later.narrative and f"As of {first.name}" in goal_then
        assert (
            client.get(
                f"{PLAN}/initiatives/{later.deliverable.initiative.number}/?round={first.pk}"
            ).status_code
            == 200
        )

    def test_parts_added_after_a_round_say_so_on_its_pages(self, client, admin_client, rounds):
        """A goal, initiative or deliverable added after a round was published is shown on that
        round's pages as added after it, never as an error or a made-up figure."""
        first = rounds[0]
        plan = first.plan
        goal = StrategicGoal.objects.create(plan=plan, number=9, title="A later goal")
        Initiative.objects.create(plan=plan, goal=goal, number=99, title="A later initiative", weight=1)
        Deliverable.objects.create(initiative=Initiative.objects.get(plan=plan, number=1), code="1.99",
                                   title="A later deliverable")  # fmt: skip
        as_of = f"round={first.pk}"
        pages = {
            f"{PLAN}/goals/9/?{as_of}": "A later goal",
            f"{PLAN}/initiatives/99/?{as_of}": "A later initiative",
            f"{PLAN}/initiatives/1/?{as_of}": "1.99 A later deliverable",
            f"{PLAN}/initiatives/1/1.99/?{as_of}": "A later deliverable",
        }
        for url, part in pages.items():
            response = client.get(url)
            assert response.status_code == 200, url
            assert part in response.text and "added after this round" in response.text.lower(), url
        pack = f"{PLAN}/rounds/{first.pk}/meeting-pack/"
        matrix = f"{PLAN}/member-states/?{as_of}"
        for url in (f"{PLAN}/?{as_of}", matrix, f"{matrix}&format=csv",
                    "/member-states/philippines/?" + as_of, pack, f"{pack}?format=csv",
                    f"{PLAN}/goals/1/?{as_of}"):  # fmt: skip
            assert client.get(url).status_code == 200, url
        assert admin_client.get(f"/admin/goals/reportinground/{first.pk}/changes/").status_code == 200

    def test_a_round_frozen_with_the_earlier_method_says_so_everywhere(self, client, rounds):
        """Rounds published before method 2 kept only their figures: shown as published, labelled."""
        from goals.models import RoundSnapshot

        first = rounds[0]
        frozen = first.snapshot.figures
        legacy = {"on": frozen["on"], **frozen["published"]}  # what method 1 stored:
        for figure in [legacy["plan"], *(f for level in ("goals", "initiatives", "deliverables")
                                         for f in legacy[level].values())]:  # fmt: skip
            figure["excluded_reason"] = figure.pop("note")
            for newer in ("states_done", "overdue_days", "at_plan_end"):
                del figure[newer]
            if figure["status"] == "no_data":  # parts without data were left out, with no percent
                figure["percent"], figure["excluded_reason"] = None, "no approved update yet"
        aspec = str(Deliverable.objects.get(initiative__plan__slug="2016-2025", code="1.3").pk)
        legacy["deliverables"][aspec].update(
            status="no_data", percent=None, excluded_reason="no approved update yet"
        )
        RoundSnapshot.objects.filter(pk=first.snapshot.pk).update(figures=legacy)
        page = client.get(f"{PLAN}/?round={first.pk}")
        assert page.status_code == 200 and "published with version 1 of the progress method" in page.text
        as_of = f"round={first.pk}"
        for url in (f"{PLAN}/initiatives/5/?{as_of}", f"{PLAN}/member-states/?{as_of}",
                    f"{PLAN}/initiatives/1/?{as_of}", f"{PLAN}/rounds/{first.pk}/meeting-pack/"):  # fmt: skip
            response = client.get(url)
            assert response.status_code == 200 and "None" not in response.text, url
        why = client.get(f"{PLAN}/initiatives/1/?round={first.pk}").text
        assert (
            "No: no approved update yet" in why and "Yes, as 0\u00a0%" not in why
        )  # in method 1's own terms
        assert f"{first.name} (method 1)" in client.get(f"{PLAN}/").text
        pack = client.get(f"/plans/2016-2025/rounds/{first.pk}/meeting-pack/?format=csv")
        rows = b"".join(pack.streaming_content).decode("utf-8-sig").splitlines()
        assert rows[0].endswith(",method_version") and rows[1].endswith(",1")
        later = text_of(client.get(f"{PLAN}/?round={rounds[1].pk}"))
        assert "published with version 1" not in later  # recomputed from its frozen data

    def test_history_chart_has_a_bar_per_published_round(self, client, rounds):
        page = client.get(f"{PLAN}/").text
        for published in rounds:
            assert published.name in page

    @pytest.mark.parametrize("value", ["abc", "999999", "-1"])
    def test_an_unknown_round_is_refused_with_the_reason(self, client, rounds, value):
        response = client.get(f"{PLAN}/?round={value}")
        assert response.status_code == 400
        assert f"&#x27;{value}&#x27; is not a published reporting round" in response.text
        assert rounds[0].name in response.text  # the rounds that can be asked for

    def test_a_round_that_is_not_published_is_refused(self, client, rounds):
        closed = ReportingRound.objects.filter(state="closed").first()
        response = client.get(f"{PLAN}/?round={closed.pk}")
        assert response.status_code == 400 and "is not a published reporting round" in response.text


def listed(response):
    """The deliverables an explorer page lists, as "8.1 ASEAN TMview"."""
    rows = re.findall(
        r'<td class="code">([^<]+)</td>\s*<th scope="row">\s*<a href="[^"]+">([^<]+)</a>', text_of(response)
    )
    return [f"{code} {title}" for code, title in rows]


class TestExplorer:
    def test_filters_narrow_the_list_and_links_keep_them(self, client):
        page = listed(client.get("/explore/deliverables/?plan=2016-2025&goal=2&kind=platform"))
        assert "8.1 ASEAN TMview" in page and not any("ASEAN common guidelines" in row for row in page)
        page = listed(client.get("/explore/deliverables/?plan=2016-2025&body=ipophl"))
        assert "8.1 ASEAN TMview" in page and "9.1 ASEAN IP Portal" not in page
        page = " ".join(listed(client.get("/explore/deliverables/?plan=2016-2025&partner=wipo")))
        assert "ASEAN IP Register" in page and "ASEAN TMview" not in page

    def test_computed_status_and_schedule_filters(self, client):
        page = " ".join(listed(client.get("/explore/deliverables/?plan=2016-2025&status=no_data")))
        assert "1.3 ASEAN Patent Examination" in page and "8.7 ASEAN IP Register" not in page
        page = client.get("/explore/initiatives/?plan=2016-2025&schedule=completed").text
        assert "Showing" in page

    def test_updates_by_member_state_and_year(self, client):
        page = client.get("/explore/updates/?plan=2016-2025&member_state=brunei-darussalam").text
        assert "Madrid Protocol in force for Brunei" in page and "Thailand" not in page.split("<tbody>")[1]
        page = client.get("/explore/updates/?plan=2016-2025&year=2023").text
        assert "ASEAN IP Register launched" in page and "Madrid Protocol in force" not in page

    def test_text_search(self, client):
        page = listed(client.get("/explore/deliverables/?plan=2016-2025&q=academy"))
        assert "7.2 ASEAN IP Academy (virtual)" in page and "8.1 ASEAN TMview" not in page

    @pytest.mark.parametrize(
        ("query", "message"),
        [
            ("plan=2016-2025&goal=abc", f"Goal: The {OLD} has no goal &#x27;abc&#x27;."),
            ("status=bogus", "Status: Select a valid choice."),
            ("plan=nope", "Plan: Select a valid choice."),
            ("round=abc", "Reporting round: Select a valid choice."),
            ("member_state=atlantis", "Member state: Select a valid choice."),
            ("year=99999", "Year of progress: Ensure this value is less than or equal to 2100."),
        ],
    )
    def test_invalid_filter_values_get_a_clear_message_and_400(self, client, query, message):
        response = client.get(f"/explore/deliverables/?{query}")
        assert response.status_code == 400
        assert "Some filters could not be applied" in response.text and message in response.text
        csv = client.get(f"/explore/deliverables/?{query}&format=csv")
        assert csv.status_code == 400 and message.replace("&#x27;", "'") in csv.text

    def test_pagination_keeps_the_filters_and_says_when_a_page_does_not_exist(self, client):
        load_sample()
        page = client.get("/explore/updates/?plan=2016-2025&status=completed").text
        assert 'href="?plan=2016-2025&amp;status=completed&amp;page=2"' in page
        assert client.get("/explore/updates/?plan=2016-2025&status=completed&page=2").status_code == 200
        past_end = client.get("/explore/updates/?page=999")
        assert past_end.status_code == 404 and "There is no page 999 of these results" in past_end.text
        for bad in ("0", "-3"):
            assert client.get(f"/explore/updates/?page={bad}").status_code == 404
        not_a_number = client.get("/explore/updates/?page=abc")
        assert not_a_number.status_code == 400 and "The page must be a whole number" in not_a_number.text

    def test_an_unknown_format_is_refused_with_the_reason(self, client):
        response = client.get("/explore/deliverables/?format=xml")
        assert response.status_code == 400 and "Unknown format &#x27;xml&#x27;" in response.text


def queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


# Pinned: the number of queries each page runs, with the shipped data and with twenty times more.
QUERY_BUDGET = {
    # Pages that list a plan's indicators read them in one query when it has none, three when it
    # has some (with their targets and approved values: goals.indicators.load_indicator_data).
    "/": 14,  # the current plan, with no progress yet: what is coming, and its reporting rounds
    f"{PLAN}/": 13,
    f"{PLAN}/goals/1/": 13,
    "/plans/2026-2030/goals/1/": 14,  # with no progress yet: the next reporting round
    f"{PLAN}/initiatives/5/": 15,  # its plan lineage: the links with their items, three queries
    f"{PLAN}/initiatives/5/5.1/": 15,
    f"{PLAN}/member-states/": 8,
    f"{PLAN}/scorecard/": 10,  # the matrix's, and every member state (one more)
    "/scorecard/": 11,  # the current plan, with no progress yet: the next reporting round
    f"{PLAN}/scorecard/?sort=-share": 10,
    # Its office's parts grouped by plan, with both plans' data; the data of the plan it reports on
    # once more for its data-quality score (held after the first visit, as every plan's data is);
    # its indicators.
    "/member-states/philippines/": 29,
    "/bodies/ipophl/": 17,  # grouped by plan: each of its two plans' data, six queries each, held after
    "/bodies/ipos/": 11,  # responsible in one plan only
    "/platforms/": 5,
    "/methodology/": 1,
    f"{PLAN}/compare/": 9,  # the plan, its data, and the updates approved between the two rounds
    "/explore/initiatives/?plan=2016-2025": 14,  # the rows come from the plan's data, which the figures need
    "/explore/deliverables/?plan=2016-2025": 14,
    "/explore/deliverables/?plan=2016-2025&status=in_progress&body=ipophl&q=a": 14,
    "/explore/updates/?plan=2016-2025": 11,  # no plan figures for its rows; the goals and initiatives
    "/partners/": 2,
    "/partners/euipo/": 17,  # its involvements' plan figures (six queries), held after the first visit
    "/partners/uspto/": 17,
    f"{PLAN}/lineage/": 17,  # its data and the next plan's (six queries each), and the links (three)
    "/plans/2026-2030/lineage/": 18,  # with no progress yet: the next reporting round
    # The same pages in the other languages of the interface: the same queries as in English.
    f"/id{PLAN}/": 13,
    f"/vi{PLAN}/initiatives/5/5.1/": 15,
    "/id/explore/deliverables/?plan=2016-2025": 14,
    f"{PLAN}/indicators/": 11,  # the plan's data (computed indicators read its figures) and indicators
    f"{PLAN}/indicators/member-states-party-to-the-madrid-protocol/": 11,
    f"{PLAN}/indicators/?format=csv": 11,  # the list as a file: the same queries
    "/partners/euipo/article-67/2019/": 7,
    "/partners/euipo/article-67/2019/?format=pdf": 8,  # the page's, and the data state again for the cover
}


@pytest.mark.parametrize(("url", "budget"), QUERY_BUDGET.items())
def test_each_page_runs_a_fixed_number_of_queries(client, url, budget):
    load_sample()
    assert queries_for(client, url) == budget
    grow_twentyfold()
    assert queries_for(client, url) == budget


# Pinned: with the public cache on, a page not yet in it (here: a new query string) but whose
# data the process already holds runs one query on the drill-down pages: reading the data version.
WARM_PAGES = ["/", f"{PLAN}/", f"{PLAN}/goals/1/", f"{PLAN}/initiatives/5/", f"{PLAN}/initiatives/5/5.1/"]


@pytest.mark.parametrize("url", WARM_PAGES)
def test_a_page_rendered_again_from_data_already_held_runs_no_query(client, settings, url):
    settings.PUBLIC_CACHE_SECONDS = 600
    cache.clear()
    load_sample()
    grow_twentyfold()
    first = client.get(f"{url}?visit=1")
    assert queries_for(client, f"{url}?visit=2") == 1
    # The same page, but for the language links, which keep the address's query.
    assert client.get(f"{url}?visit=3").content == first.content.replace(b"visit=1", b"visit=3")
