"""Cards other sites may embed: what they show, that only they may be framed (also when served
from the page cache), and the "Embed this" section of the pages they come from."""

import datetime
import html
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from goals.models import Deliverable, MemberState, ProgressUpdate
from tests.factories import grow_twentyfold
from tests.helpers import text_of
from tests.sample import load_sample

pytestmark = pytest.mark.django_db

PLAN = "/plans/2016-2025"
CARDS = {
    f"/embed{PLAN}/goals/1/": f"{PLAN}/goals/1/",
    f"/embed{PLAN}/initiatives/5/": f"{PLAN}/initiatives/5/",
    f"/embed{PLAN}/initiatives/5/5.1/": f"{PLAN}/initiatives/5/5.1/",
    "/embed/member-states/brunei-darussalam/": "/member-states/brunei-darussalam/",
}


def frameable(response):
    """Whether other sites may show the answer in a frame, once sure it has a policy at all."""
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy
    return "frame-ancestors *" in policy and "X-Frame-Options" not in response


def big_percent(page, css_class):
    return re.search(
        rf'<(?:span|p) class="{css_class}">(?:<span class="visually-hidden">[^<]*</span>)?([^<]+)<', page
    )[1]


class TestCards:
    @pytest.mark.parametrize(("card", "page"), CARDS.items())
    def test_a_card_is_a_small_standalone_page_linking_back(self, client, card, page):
        response = client.get(card)
        text = text_of(response)
        assert response["Content-Type"] == "text/html; charset=utf-8"
        assert '<link rel="stylesheet" href="/static/css/embed.css">' in text
        assert 'class="site-header"' not in text and "<nav" not in text and "<footer" not in text
        assert f'<a href="{page}"\n           target="_blank"\n           rel="noopener">' in text
        assert "<script" not in text and "style=" not in text
        assert '<meta name="robots" content="noindex">' in text
        assert "Data as of" not in text and "data as of <time" in text

    def test_a_goal_card_shows_the_goals_figure_status_and_schedule(self, client):
        card = text_of(client.get(f"/embed{PLAN}/goals/1/"))
        page = text_of(client.get(f"{PLAN}/goals/1/"))
        assert big_percent(card, "card-percent") == big_percent(page, "big-percent")
        assert "<dt>Status</dt>" in card and "<dt>Schedule</dt>" in card
        assert '<span class="schedule schedule-overdue">Overdue</span> by' in card  # the plan ended in 2025
        assert "9 of 14 deliverables have approved progress" in card
        assert "ASEAN IPR Action Plan 2016-2025" in card

    def test_a_deliverable_card_shows_its_member_states(self, client):
        card = text_of(client.get(f"/embed{PLAN}/initiatives/5/5.1/"))
        assert big_percent(card, "card-percent") == "81.8\u00a0%"
        assert "9 of 11 member states have approved progress; 9 have completed it" in card

    def test_a_member_state_card_shows_its_share_of_the_state_by_state_deliverables(self, client):
        expected = Deliverable.objects.filter(
            initiative__plan__slug="2016-2025", per_member_state=True
        ).count()
        state = MemberState.objects.get(slug="brunei-darussalam")
        done = (
            ProgressUpdate.objects.public()
            .filter(member_state=state, status="completed", deliverable__initiative__plan__slug="2016-2025")
            .values("deliverable")
            .distinct()
            .count()
        )
        card = text_of(client.get("/embed/member-states/brunei-darussalam/"))
        assert f"{done} of {expected} completed" in card
        share = f"{100 * done / expected:.1f}".removesuffix(".0")
        assert f'<span class="card-percent">{share}\u00a0%</span>' in card

    def test_a_member_state_card_counts_its_latest_approved_report(self, client, staff, open_round):
        myanmar = MemberState.objects.get(slug="myanmar")
        assert "0 of 4 completed" in text_of(client.get("/embed/member-states/myanmar/"))
        ProgressUpdate.objects.create(
            deliverable=Deliverable.objects.get(initiative__plan__slug="2016-2025", code="5.1"),
            member_state=myanmar, round=open_round, status="completed", percent_complete=100,
            reported_on=datetime.date(2026, 11, 2), evidence_url="https://example.org/madrid",
            review_state="approved",
        )  # fmt: skip
        card = text_of(client.get("/embed/member-states/myanmar/"))
        assert "1 of 4 completed" in card and '<span class="card-percent">25\u00a0%</span>' in card

    def test_a_card_as_of_a_published_round(self, client):
        load_sample()
        published = ProgressUpdate.objects.filter(round__state="published").first().round
        card = text_of(client.get(f"/embed{PLAN}/goals/1/?round={published.pk}"))
        assert f"as of {published.name}" in card and f'href="{PLAN}/goals/1/?round={published.pk}"' in card

    @pytest.mark.parametrize(
        "url",
        [
            "/embed/plans/nope/goals/1/",
            f"/embed{PLAN}/goals/99/",
            f"/embed{PLAN}/initiatives/99/",
            f"/embed{PLAN}/initiatives/5/9.9/",
            "/embed/member-states/atlantis/",
        ],
    )
    def test_an_unknown_record_answers_404(self, client, url):
        assert client.get(url).status_code == 404

    def test_an_unknown_round_answers_400_with_the_reason(self, client):
        response = client.get(f"/embed{PLAN}/goals/1/?round=abc")
        assert response.status_code == 400 and "is not a published reporting round" in response.text


class TestFraming:
    @pytest.mark.parametrize("card", CARDS)
    def test_a_card_may_be_framed_by_any_site(self, client, card):
        assert frameable(client.get(card))

    @pytest.mark.parametrize("url", ["/", f"{PLAN}/goals/1/", "/member-states/brunei-darussalam/", "/about/"])
    def test_every_other_page_still_refuses_to_be_framed(self, client, url):
        response = client.get(url)
        assert response.status_code == 200 and not frameable(response)
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "DENY"

    def test_the_same_with_production_settings(self, settings):
        settings.DEBUG = False
        client = Client()
        card, page = (
            client.get(f"/embed{PLAN}/goals/1/", secure=True),
            client.get(f"{PLAN}/goals/1/", secure=True),
        )
        assert card.status_code == page.status_code == 200
        assert frameable(card) and not frameable(page) and page["X-Frame-Options"] == "DENY"

    def test_a_card_served_from_the_page_cache_may_still_be_framed(self, client, settings):
        settings.PUBLIC_CACHE_SECONDS = 600
        cache.clear()
        for url in (f"/embed{PLAN}/goals/1/", f"{PLAN}/goals/1/"):
            first, second = client.get(url), client.get(url)
            assert second["X-Cache"] == "hit" and second.content == first.content
            assert frameable(second) == frameable(first) == url.startswith("/embed/")
            assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


class TestEmbedThis:
    @pytest.mark.parametrize(("card", "page"), CARDS.items())
    def test_the_page_gives_the_code_to_embed_its_card(self, client, card, page):
        text = text_of(client.get(page))
        section = text[text.index('<section aria-labelledby="embed-this"') :]
        section = section[: section.index("</section>")]
        assert '<h2 id="embed-this">Embed this</h2>' in section
        assert '<label for="embed-code">Copy embed code (HTML)</label>' in section
        code = re.search(r'<textarea id="embed-code"[^>]*readonly[^>]*>([^<]*)</textarea>', section)[1]
        snippet = html.unescape(code)
        assert snippet.startswith(f'<iframe src="http://127.0.0.1:8000{card}" title="')
        assert 'width="400" height="320" loading="lazy"></iframe>' in snippet
        assert f'<a href="{card}">Preview the card</a>' in section
        assert client.get(card).status_code == 200

    def test_the_code_uses_the_sites_address(self, client, settings):
        settings.SITE_URL = "https://ipr-tracker.example.org"
        text = text_of(client.get(f"{PLAN}/initiatives/5/5.1/"))
        assert (
            "&lt;iframe src=&quot;https://ipr-tracker.example.org/embed/plans/2016-2025/initiatives/5/5.1/"
            in text
        )

    def test_the_iframe_is_titled_for_screen_readers(self, client):
        text = text_of(client.get(f"{PLAN}/goals/1/"))
        code = html.unescape(re.search(r'<textarea id="embed-code"[^>]*>([^<]*)</textarea>', text)[1])
        assert (
            'title="Strategic goal 1: Build a sturdier ASEAN IP system' in code
            and "ASEAN IPR Action Plan Tracker" in code
        )

    def test_pages_without_a_card_offer_none(self, client):
        for url in ("/", "/bodies/ipophl/", "/partners/euipo/", "/methodology/"):
            assert "Embed this" not in text_of(client.get(url)), url


def queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


# Pinned: a card of a plan's figure reads the plan's data as every figure page does (kept per data
# version when the cache is on); a member state's reads each plan's. Plus the context processor's one.
QUERY_BUDGET = {
    f"/embed{PLAN}/goals/1/": 8,
    f"/embed{PLAN}/initiatives/5/": 8,
    f"/embed{PLAN}/initiatives/5/5.1/": 8,
    "/embed/member-states/brunei-darussalam/": 15,
}


@pytest.mark.parametrize(("url", "budget"), QUERY_BUDGET.items())
def test_each_card_runs_a_fixed_number_of_queries(client, url, budget):
    assert queries_for(client, url) == budget
    grow_twentyfold()
    assert queries_for(client, url) == budget


@pytest.mark.parametrize("url", QUERY_BUDGET)
def test_a_card_rendered_again_from_data_already_held_reads_only_the_data_version(client, settings, url):
    settings.PUBLIC_CACHE_SECONDS = 600
    cache.clear()
    first = client.get(f"{url}?visit=1")
    assert queries_for(client, f"{url}?visit=2") == 1
    assert client.get(f"{url}?visit=3").content == first.content
