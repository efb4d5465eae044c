"""Atom feeds of approved progress: the whole site, a plan, a goal, a member state."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goals import workflow
from goals.models import Deliverable, ProgressUpdate
from tests.factories import grow_twentyfold
from tests.helpers import text_of
from tests.sample import load_sample

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITE = "http://127.0.0.1:8000"
NEW = "8.1 ASEAN TMview: In progress, 64 %"  # the title of the entry new_progress makes
FEEDS = [
    "/updates.atom",
    "/plans/2016-2025/updates.atom",
    "/plans/2016-2025/goals/1/updates.atom",
    "/member-states/brunei-darussalam/updates.atom",
]


def atom(client, url):
    """The feed at ``url``, parsed, once sure it is a valid-looking Atom document: 200, its media
    type, the elements RFC 4287 requires of a feed and of each entry, and unique entry ids."""
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}").text
    assert feed.find(f"{ATOM}author/{ATOM}name").text
    self_link = feed.find(f"{ATOM}link[@rel='self']").get("href")
    assert self_link == SITE + url
    entries = feed.findall(f"{ATOM}entry")
    for entry in entries:
        for required in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{required}").text, required
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href").startswith(SITE + "/plans/")
    ids = [entry.find(f"{ATOM}id").text for entry in entries]
    assert len(ids) == len(set(ids))
    return feed


def entries(feed):
    return feed.findall(f"{ATOM}entry")


def titles(feed):
    return [entry.find(f"{ATOM}title").text for entry in entries(feed)]


@pytest.fixture
def new_progress(staff, open_round):
    """A submitted update on 8.1 (goal 2 of 2016-2025), and a function approving it."""
    update = ProgressUpdate.objects.create(
        deliverable=Deliverable.objects.get(initiative__plan__slug="2016-2025", code="8.1"), round=open_round,
        status="in_progress", percent_complete=64, reported_on=datetime.date(2026, 11, 5),
        narrative="Regional trade mark search moved to new servers", evidence_url="https://example.org/tmview",
        submitted_by=staff.ph,
    )  # fmt: skip
    workflow.submit(update, by=staff.ph)
    update.approve = lambda: workflow.approve(update, by=staff.secretariat)
    return update


@pytest.mark.parametrize("url", FEEDS)
def test_every_feed_is_atom_with_approved_progress(client, url):
    feed = atom(client, url)
    assert entries(feed), url  # the real data has approved progress in each


def test_an_entry_says_what_was_reported_and_links_to_its_deliverable(client, new_progress):
    new_progress.approve()
    feed = atom(client, "/updates.atom")
    entry = entries(feed)[0]  # the newest approval comes first
    assert entry.find(f"{ATOM}title").text == NEW
    link = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
    assert link == f"{SITE}/plans/2016-2025/initiatives/8/8.1/"
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert "Reported for 5 Nov 2026: <strong>In progress</strong>, 64 % complete." in summary.text
    assert "Regional trade mark search moved to new servers" in summary.text
    assert '<a href="https://example.org/tmview">Evidence</a>' in summary.text
    assert "reported in Test round" in summary.text
    assert entry.find(f"{ATOM}id").text == f"{link}#update-{new_progress.pk}"
    assert entry.find(f"{ATOM}category").get("term") == "In progress"
    assert entry.find(f"{ATOM}updated").text.startswith(str(datetime.date.today().year))


def test_only_approved_progress_is_published(client, new_progress):
    for url in FEEDS[:3]:
        assert NEW not in titles(atom(client, url)), url
    new_progress.approve()
    for url in ("/updates.atom", "/plans/2016-2025/updates.atom", "/plans/2016-2025/goals/2/updates.atom"):
        assert NEW in titles(atom(client, url)), url


def test_each_feed_holds_only_its_own_part(client, new_progress):
    new_progress.approve()
    assert NEW not in titles(atom(client, "/plans/2016-2025/goals/1/updates.atom"))
    assert NEW not in titles(atom(client, "/plans/2026-2030/updates.atom"))
    brunei = titles(atom(client, "/member-states/brunei-darussalam/updates.atom"))
    assert brunei and all("– Brunei Darussalam:" in title for title in brunei)
    goal = atom(client, "/plans/2016-2025/goals/1/updates.atom")
    assert all("/plans/2016-2025/initiatives/" in e.find(f"{ATOM}link").get("href") for e in entries(goal))
    assert goal.find(f"{ATOM}title").text.startswith("Approved progress on Strategic goal 1:")


def test_a_state_feed_names_what_it_follows(client):
    feed = atom(client, "/member-states/brunei-darussalam/updates.atom")
    assert feed.find(f"{ATOM}title").text == "Approved progress reported for Brunei Darussalam"
    page = feed.find(f"{ATOM}link[@rel='alternate']").get("href")
    assert page == f"{SITE}/member-states/brunei-darussalam/"


def test_sample_progress_says_so(client):
    load_sample()
    feed = atom(client, "/plans/2016-2025/updates.atom")
    assert any(title.startswith("[Sample data] ") for title in titles(feed))


@pytest.mark.parametrize(
    "url",
    [
        "/plans/no-such-plan/updates.atom",
        "/plans/2016-2025/goals/99/updates.atom",
        "/plans/nope/goals/1/updates.atom",
        "/member-states/atlantis/updates.atom",
    ],
)
def test_an_unknown_plan_goal_or_state_answers_404(client, url):
    assert client.get(url).status_code == 404


def test_a_feed_is_served_from_the_public_cache(client, settings):
    settings.PUBLIC_CACHE_SECONDS = 600
    cache.clear()
    first = client.get("/updates.atom")
    second = client.get("/updates.atom")
    assert first.status_code == second.status_code == 200
    assert second["X-Cache"] == "hit" and second.content == first.content


class TestLinks:
    def test_every_page_offers_the_site_feed(self, client):
        page = text_of(client.get("/methodology/"))
        assert '<link rel="alternate"' in page and 'href="/updates.atom"' in page
        assert '>Follow updates<span class="visually-hidden"> of the whole site</span> (Atom)</a>' in page

    @pytest.mark.parametrize(
        ("url", "feed", "label"),
        [
            ("/", "/plans/2026-2030/updates.atom", "the ASEAN IPR Action Plan 2026-2030"),  # the current plan
            ("/plans/2016-2025/", "/plans/2016-2025/updates.atom", "the ASEAN IPR Action Plan 2016-2025"),
            ("/plans/2026-2030/", "/plans/2026-2030/updates.atom", "the ASEAN IPR Action Plan 2026-2030"),
            ("/plans/2016-2025/goals/1/", "/plans/2016-2025/goals/1/updates.atom", "Strategic goal 1 of the"),
            (
                "/plans/2016-2025/initiatives/5/",
                "/plans/2016-2025/goals/1/updates.atom",
                "Strategic goal 1 of the",
            ),
            (
                "/plans/2016-2025/initiatives/5/5.1/",
                "/plans/2016-2025/goals/1/updates.atom",
                "Strategic goal 1 of the",
            ),
            ("/member-states/brunei-darussalam/", "/member-states/brunei-darussalam/updates.atom", "Brunei"),
        ],
    )
    def test_a_page_offers_the_closest_feed_first(self, client, url, feed, label):
        page = text_of(client.get(url))
        head = page[: page.index("</head>")]
        alternates = [line for line in head.split("<link") if "application/atom+xml" in line]
        assert f'href="{feed}"' in alternates[0] and 'href="/updates.atom"' in alternates[-1]
        visible = page[page.index('<div class="data-status">') :]
        assert f'href="{feed}"' in visible.split("Follow updates")[0].rsplit("<a", 1)[1]
        assert f"of {label}" in visible.split("(Atom)")[0]
        assert client.get(feed).status_code == 200


def queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


# Pinned: the entries with their deliverable, plan, state and round in one query, whatever their
# number; the plan list (kept per data version) and, for a goal or a state, the record itself.
QUERY_BUDGET = {
    "/updates.atom": 1,
    "/plans/2016-2025/updates.atom": 2,
    "/plans/2016-2025/goals/1/updates.atom": 3,
    "/member-states/brunei-darussalam/updates.atom": 2,
}


@pytest.mark.parametrize(("url", "budget"), QUERY_BUDGET.items())
def test_each_feed_runs_a_fixed_number_of_queries(client, url, budget):
    assert queries_for(client, url) == budget
    grow_twentyfold()
    assert queries_for(client, url) == budget
