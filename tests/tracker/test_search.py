"""The site's search page (tracker/site/search.py) and the text search behind it and the
explorer's box (tracker/core/textsearch.py): every kind found, never unapproved progress,
clear answers to bad input, a link from every page, and a fixed number of queries."""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goals.models import Deliverable, ProgressUpdate
from tests.factories import grow_twentyfold
from tests.helpers import text_of
from tests.sample import load_sample

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL only"
)


def sections(response):
    """Each kind's heading with its count, and the titles it lists: {"Deliverables": (1, [...])}."""
    page = text_of(response)
    found = {}
    for block in re.findall(r'<section class="search-kind".*?</section>', page, flags=re.S):
        heading, count = re.search(r'<h2 id="\w+">\s*([^<]+?) <span class="meta">\((\d+)\)', block).groups()
        titles = re.findall(r'<li>\s*<a href="[^"]+">([^<]+)</a>\s*<p class="meta">', block)
        found[heading] = (int(count), titles)
    return found


@pytest.mark.parametrize(
    ("query", "kind", "title"),
    [
        ("sturdier", "Strategic goals", "Strategic goal 1: Build a sturdier ASEAN IP system"),
        ("Madrid", "Initiatives", "Initiative 5: Join the Madrid Protocol"),
        ("TMview", "Deliverables", "8.1 ASEAN TMview"),
        ("in force for Malaysia", "Progress updates", "27 Dec 2019: 5.1 Accession to the Madrid Protocol"),
        ("IPOPHL", "Responsible bodies", "Intellectual Property Office of the Philippines (IPOPHL)"),
        ("EUIPO", "Development partners", "European Union Intellectual Property Office (EUIPO)"),
        ("ARISE", "Cooperation programmes", "ASEAN Regional Integration Support from the EU"),
    ],
)
def test_each_kind_is_found_with_its_count_and_a_link(client, query, kind, title):
    found = sections(client.get("/search/", {"q": query}))
    count, titles = found[kind]
    assert count >= 1 and any(t.startswith(title) for t in titles), titles


def test_results_link_to_their_pages(client):
    page = text_of(client.get("/search/", {"q": "TMview"}))
    assert '<a href="/plans/2016-2025/initiatives/8/8.1/">8.1 ASEAN TMview</a>' in page
    programme = text_of(client.get("/search/", {"q": "ARISE"}))
    assert 'href="/partners/euipo/#programme-' in programme


def test_words_are_matched_in_any_case_and_order(client):
    for query in ("madrid PROTOCOL", "Protocol Madrid"):
        assert "Deliverables" in sections(client.get("/search/", {"q": query}))


def test_nothing_found_says_so(client):
    page = text_of(client.get("/search/", {"q": "xylophone"}))
    assert "0 results for “xylophone”" in page and "Nothing matches “xylophone”" in page


class TestNeverUnapprovedProgress:
    def test_drafts_submitted_and_returned_updates_are_never_found(self, client):
        deliverable = Deliverable.objects.get(initiative__plan__slug="2016-2025", code="1.3")
        for state in ("draft", "submitted", "returned", "approved"):
            ProgressUpdate.objects.create(
                deliverable=deliverable, status="in_progress", percent_complete=50, review_state=state,
                reported_on=datetime.date(2025, 6, 1), narrative=f"Zanzibarian {state} narrative",
            )  # fmt: skip
        found = sections(client.get("/search/", {"q": "Zanzibarian"}))
        assert found["Progress updates"][0] == 1
        page = text_of(client.get("/search/", {"q": "Zanzibarian", "kind": "updates"}))
        assert "Zanzibarian approved narrative" in page
        for state in ("draft", "submitted", "returned"):
            assert f"Zanzibarian {state} narrative" not in page
            found = sections(client.get("/search/", {"q": f"Zanzibarian {state}"}))
            assert "Progress updates" not in found


class TestMoreThanFit:
    def test_each_kind_shows_a_few_with_a_link_to_all_and_to_the_explorer(self, client):
        load_sample()
        page = text_of(client.get("/search/", {"q": "ASEAN"}))
        count, titles = sections(client.get("/search/", {"q": "ASEAN"}))["Deliverables"]
        assert count > 5 and len(titles) == 5
        assert f'href="?q=ASEAN&amp;kind=deliverables">All {count} deliverables</a>' in page
        every = sections(client.get("/search/", {"q": "ASEAN", "kind": "deliverables"}))
        assert every["Deliverables"][0] == count and len(every["Deliverables"][1]) == min(count, 25)

    def test_the_explorer_links_list_the_same_matches(self, client):
        page = text_of(client.get("/search/", {"q": "ASEAN"}))
        explorer = r'<a href="(/explore/\w+/\?[^"]+)">Open in the explorer<span[^>]*>[^<]*</span>: '
        links = re.findall(explorer + r"([^<]+) \((\d+)\)</a>", page)
        assert {urlsplit(link).path for link, _plan, _count in links} >= {
            "/explore/deliverables/", "/explore/initiatives/"
        }  # fmt: skip
        for link, plan, count in links:
            link = link.replace("&amp;", "&")
            assert parse_qs(urlsplit(link).query)["q"] == ["ASEAN"]
            shown = text_of(client.get(link))
            assert re.search(rf"Showing {count} \w+( \w+)? of the {plan}", shown), (link, count)

    def test_pages_of_one_kind(self, client):
        load_sample()
        first = text_of(client.get("/search/", {"q": "ASEAN", "kind": "updates"}))
        assert 'rel="next"' in first and "Page 1 of" in first
        assert client.get("/search/", {"q": "ASEAN", "kind": "updates", "page": 2}).status_code == 200
        past = client.get("/search/", {"q": "ASEAN", "kind": "updates", "page": 999})
        assert past.status_code == 404 and "There is no page 999" in past.text


class TestBadInput:
    def test_an_empty_search_asks_for_words(self, client):
        for params in ({}, {"q": "   "}):
            page = text_of(client.get("/search/", params))
            assert "Type a word, a phrase or a code" in page and "results for" not in page

    def test_an_over_long_search_is_refused_with_the_reason(self, client):
        response = client.get("/search/", {"q": "a" * 201})
        assert response.status_code == 400
        assert "The search is 201 characters long; a search can be at most 200 characters." in response.text
        assert client.get("/search/", {"q": "a" * 200}).status_code == 200

    @pytest.mark.parametrize(
        ("params", "reason"),
        [
            (
                {"q": "ASEAN", "kind": "people"},
                "&#x27;people&#x27; is not a kind of result. The kinds: goals,",
            ),
            ({"q": "ASEAN", "page": "2"}, "A page number needs a kind of result"),
            ({"q": "ASEAN", "kind": "goals", "page": "x"}, "The page must be a whole number"),
            ({"q": "ASEAN\x00"}, "NUL character"),
        ],
    )
    def test_other_bad_input_is_refused_with_the_reason(self, client, params, reason):
        response = client.get("/search/", params)
        assert response.status_code == 400 and reason in response.text

    def test_search_syntax_never_fails(self, client):
        for query in ('"unclosed', "-", "or", "& | ! :*", "'", "%_", "\\", "())("):
            assert client.get("/search/", {"q": query}).status_code == 200, query


@postgresql_only
class TestFullText:
    def test_words_are_stemmed_and_ranked(self, client):
        found = sections(client.get("/search/", {"q": "trademarks"}))
        titles = found["Deliverables"][1]
        assert "1.1 ASEAN common guidelines for trademark examination" in titles

    def test_phrases_and_excluded_words(self, client):
        updates = sections(client.get("/search/", {"q": '"in force for" -Malaysia', "kind": "updates"}))
        titles = updates["Progress updates"][1]
        assert titles and not any("27 Dec 2019" in t for t in titles)

    def test_the_explorer_box_searches_the_same_way(self, client):
        page = text_of(client.get("/explore/deliverables/", {"plan": "2016-2025", "q": "trademarks"}))
        assert "ASEAN common guidelines for trademark examination" in page


@pytest.mark.parametrize(
    "url", ["/", "/explore/deliverables/", "/plans/2016-2025/initiatives/5/", "/search/"]
)
def test_every_page_links_to_the_search_from_its_header(client, url):
    header = text_of(client.get(url)).split("</header>")[0]
    form = re.search(r'<form class="site-search"[^>]*>', header).group(0)
    assert 'action="/search/"' in form and 'role="search"' in form and 'name="q"' in header


def queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


# Pinned: two queries per kind at most (its first matches, and its count or its counts by plan),
# the sample-data check, whatever the size of the data.
SEARCH_BUDGET = {
    "/search/?q=ASEAN": 14,  # bodies, partners and programmes overflow, so they are counted
    "/search/?q=ASEAN&kind=deliverables": 4,
    "/search/?q=xylophone": 8,
    "/search/": 1,
}


@pytest.mark.parametrize(("url", "budget"), SEARCH_BUDGET.items())
def test_the_search_runs_a_fixed_number_of_queries(client, url, budget):
    load_sample()
    assert queries_for(client, url) == budget
    grow_twentyfold()
    assert queries_for(client, url) == budget


def test_the_search_page_is_cached_like_other_public_pages(client, settings):
    from django.core.cache import cache

    settings.PUBLIC_CACHE_SECONDS = 600
    cache.clear()
    client.get("/search/", {"q": "Madrid"})
    assert client.get("/search/", {"q": "Madrid"})["X-Cache"] == "hit"
