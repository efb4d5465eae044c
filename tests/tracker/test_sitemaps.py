"""sitemap.xml lists every public page, on the site's own address, in each language with its
alternates, and no staff page."""

import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goals.models import Body, Deliverable, Indicator, Initiative, MemberState, StrategicGoal
from partners.models import Partner
from tests.factories import grow_twentyfold
from tests.sample import load_sample

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
SITE = "http://127.0.0.1:8000"


def addresses(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ET.fromstring(response.content)
    assert root.tag == f"{SITEMAP}urlset"
    return [url.find(f"{SITEMAP}loc").text for url in root.findall(f"{SITEMAP}url")]


def alternates(client):
    """Each listed address → its alternates, {hreflang: address}."""
    root = ET.fromstring(client.get("/sitemap.xml").content)
    return {
        url.find(f"{SITEMAP}loc").text: {
            link.get("hreflang"): link.get("href")
            for link in url.findall(f"{XHTML}link")
            if link.get("rel") == "alternate"
        }
        for url in root.findall(f"{SITEMAP}url")
    }


def test_lists_the_public_pages(client):
    found = addresses(client)
    assert len(found) == len(set(found))
    pages = [
        "/",
        "/member-states/",
        "/platforms/",
        "/partners/",
        "/explore/initiatives/",
        "/explore/deliverables/",
    ]
    pages += ["/explore/updates/", "/data/", "/data/releases/", "/methodology/", "/about/", "/glossary/"]
    plan = "/plans/2016-2025"
    records = [
        f"{plan}/",
        "/plans/2026-2030/",
        f"{plan}/member-states/",
        f"{plan}/scorecard/",
        f"{plan}/lineage/",
        "/plans/2026-2030/scorecard/",
        f"{plan}/goals/1/",
        f"{plan}/initiatives/5/",
    ]
    records += [
        f"{plan}/initiatives/5/5.1/",
        f"{plan}/indicators/",
        f"{plan}/indicators/member-states-party-to-the-madrid-protocol/",
        "/member-states/timor-leste/",
        "/bodies/awgipc/",
        "/partners/cnipa/",
    ]
    for path in pages + records:
        for prefix in ("", "/id", "/vi"):
            assert SITE + prefix + path in found, prefix + path
    models = [StrategicGoal, Initiative, Deliverable, Indicator, MemberState, Body, Partner]
    # each plan's overview, matrix, scorecard, lineage page and indicator list, in each language
    languages = len(settings.LANGUAGES)
    assert len(found) == languages * (len(pages) + 2 * 5 + sum(model.objects.count() for model in models))


def test_each_page_lists_itself_in_every_language(client):
    listed = alternates(client)
    english = f"{SITE}/plans/2016-2025/goals/1/"
    expected = {
        "en": english,
        "id": f"{SITE}/id/plans/2016-2025/goals/1/",
        "vi": f"{SITE}/vi/plans/2016-2025/goals/1/",
        "x-default": english,
    }
    assert listed[english] == expected
    # Each language's address lists the same set, so the search engine sees them agree.
    assert listed[expected["id"]] == listed[expected["vi"]] == expected
    assert listed[f"{SITE}/"] == {
        "en": f"{SITE}/",
        "id": f"{SITE}/id/",
        "vi": f"{SITE}/vi/",
        "x-default": f"{SITE}/",
    }
    assert all(set(links) == {"en", "id", "vi", "x-default"} for links in listed.values())
    for url in {address for links in listed.values() for address in links.values()}:
        assert client.get(url.removeprefix(SITE)).status_code == 200, url


def test_lists_the_comparison_of_a_plan_with_two_published_rounds(client):
    assert not [url for url in addresses(client) if "/compare/" in url]  # no published round yet
    load_sample()
    assert [url for url in addresses(client) if "/compare/" in url] == [
        f"{SITE}{prefix}/plans/2016-2025/compare/" for prefix in ("", "/id", "/vi")
    ]


def test_lists_no_staff_page_and_every_address_answers(client):
    found = addresses(client)
    assert all(url.startswith(SITE + "/") for url in found)
    assert not [url for url in found if "/admin/" in url or "/embed/" in url or url.endswith(".atom")]
    for url in found:
        assert client.get(url.removeprefix(SITE)).status_code == 200, url


def test_addresses_follow_the_site_address_not_the_requests_host(client, settings):
    settings.SITE_URL = "https://ipr-tracker.example.org"
    found = addresses(client)
    assert found and all(url.startswith("https://ipr-tracker.example.org/") for url in found)


def test_runs_a_fixed_number_of_queries(client):
    # Pinned: one query per kind of record (plans six times: their pages, matrices, scorecards,
    # comparisons, lineage and indicator lists; indicators; dataset releases), and the one every
    # template rendered for a request makes (tracker.site.context_processors).
    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get("/sitemap.xml").status_code == 200
        return len(context)

    assert queries() == 15
    grow_twentyfold()
    assert queries() == 15
