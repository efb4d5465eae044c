"""The site-wide pages and files: About, the glossary, robots.txt and /favicon.ico; every page's
head (share previews, icons, feeds)."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.helpers import text_of
from tracker.site.glossary import ENTRIES, SECTIONS

pytestmark = pytest.mark.django_db


def queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


class TestAbout:
    def test_says_what_the_tracker_is_who_keeps_it_and_how_figures_are_made(self, client):
        response = client.get("/about/")
        page = text_of(response)
        assert response["Content-Type"] == "text/html; charset=utf-8"
        assert "<h1>About this tracker</h1>" in page
        headings = re.findall(r"<h2[^>]*>([^<]+)</h2>", page)
        assert headings == [
            "What it covers",
            "Who maintains it",
            "How the figures are made",
            "Where the data come from",
            "Using the data",
            "Licences",
            "Feedback and corrections",
        ]
        assert (
            "<strong>Publisher:</strong> Secretariat of the ASEAN Working Group on Intellectual Property"
            in page
        )
        assert '<a href="/methodology/">methodology page</a>' in page
        assert "Creative Commons Attribution 4.0 International" in page
        assert 'href="/data/"' in page and 'href="/api/"' in page and 'href="/updates.atom"' in page
        assert 'href="mailto:tracker-feedback@example.org"' in page
        assert "<script" not in page and "style=" not in page

    def test_links_the_first_use_of_a_term_to_the_glossary_once(self, client):
        page = text_of(client.get("/about/"))
        main = page[page.index("<main") : page.index("</main>")]
        expansion = "ASEAN Working Group on Intellectual Property Cooperation"
        assert (
            main.count(
                f'<a class="term" href="/glossary/#awgipc"><abbr title="{expansion}">AWGIPC</abbr></a>'
            )
            == 1
        )
        assert '<a class="term" href="/glossary/#deliverable">deliverable</a>' in main
        assert main.count('href="/glossary/#deliverable"') == 1

    def test_the_code_licence_and_source_come_from_the_settings(self, client, settings):
        assert "No licence has been published yet for the tracker's source code." in text_of(
            client.get("/about/")
        )
        settings.SITE_CODE_LICENCE = "EUPL-1.2"
        settings.SITE_SOURCE_URL = "https://code.example.org/tracker"
        page = text_of(client.get("/about/"))
        assert "The tracker's source code is published under the EUPL-1.2 licence" in page
        assert (
            'href="https://code.example.org/tracker"' in page and "No licence has been published" not in page
        )


class TestGlossary:
    def test_every_entry_has_an_anchor_and_its_meaning(self, client):
        page = text_of(client.get("/glossary/"))
        for entry in ENTRIES.values():
            assert f'<dt id="{entry.anchor}">' in page, entry.term
        for acronym, expansion in [
            ("AWGIPC", "ASEAN Working Group on Intellectual Property Cooperation"),
            ("ASPEC", "ASEAN Patent Examination Cooperation"),
            ("ANIEE", "ASEAN Network of IP Enforcement Experts"),
            ("AMS", "ASEAN Member States"),
            ("WIPO", "World Intellectual Property Organization"),
            ("EUIPO", "European Union Intellectual Property Office"),
            ("EPO", "European Patent Office"),
            ("JPO", "Japan Patent Office"),
            ("KIPO", "Korean Intellectual Property Office"),
            ("IPONZ", "Intellectual Property Office of New Zealand"),
            ("CNIPA", "China National Intellectual Property Administration (formerly SIPO)"),
            ("USPTO", "United States Patent and Trademark Office"),
        ]:
            assert f'<abbr title="{expansion}">{acronym}</abbr>' in page
        for term in ("Deliverable", "Initiative", "Strategic goal", "Reporting round", "Provisional",
                     "TRIPS Article 67"):  # fmt: skip
            assert re.search(rf"<dt id=\"[a-z0-9-]+\">\s*{term}\s*</dt>", page), term
        assert "IP/C/R/TC/" in page and "strategic measure" in page and "SIPO" in page

    def test_ids_are_unique_and_every_see_also_exists(self, client):
        page = text_of(client.get("/glossary/"))
        ids = re.findall(r' id="([^"]+)"', page)
        assert len(ids) == len(set(ids))
        for entry in ENTRIES.values():
            for anchor in entry.see:
                assert anchor in ENTRIES
            if entry.page:
                assert client.get(entry.page_url()).status_code == 200, entry.page_url()

    def test_lists_its_sections(self, client):
        page = text_of(client.get("/glossary/"))
        for section in SECTIONS:
            assert f'<a href="#{section.anchor}">{section.title}</a>' in page


class TestRobots:
    def test_allows_everything_but_the_admin_and_points_to_the_sitemap(self, client):
        response = client.get("/robots.txt")
        assert response.status_code == 200 and response["Content-Type"] == "text/plain; charset=utf-8"
        lines = response.text.splitlines()
        assert lines[:3] == ["User-agent: *", "Allow: /", "Disallow: /admin/"]
        assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in lines

    def test_the_sitemap_address_follows_the_site_address(self, client, settings):
        settings.SITE_URL = "https://ipr-tracker.example.org"
        assert "Sitemap: https://ipr-tracker.example.org/sitemap.xml" in client.get("/robots.txt").text


class TestFavicon:
    def test_favicon_ico_is_an_icon(self, client):
        response = client.get("/favicon.ico")
        assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
        assert response.content[:4] == b"\x00\x00\x01\x00"  # an .ico file with images
        assert "max-age=604800" in response["Cache-Control"]

    def test_every_page_links_the_icons(self, client):
        page = text_of(client.get("/"))
        assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in page
        assert (
            'href="/static/img/favicon-32.png"' in page and 'href="/static/img/apple-touch-icon.png"' in page
        )


def meta(page, name):
    """The content of a page's <meta> named ``name`` (by name or property), once sure there is one."""
    found = re.findall(rf'<meta (?:name|property)="{re.escape(name)}"\s+content="([^"]*)">', page)
    assert len(found) == 1, (name, found)
    return found[0]


class TestSharePreviews:
    @pytest.mark.parametrize("url", ["/", "/plans/2016-2025/goals/1/", "/about/", "/partners/euipo/"])
    def test_every_page_carries_open_graph_and_twitter_tags(self, client, url):
        page = text_of(client.get(url))
        title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
        assert title.endswith(("ASEAN IPR Action Plan Tracker", "ASEAN IPR Action Plan 2016-2025"))
        assert meta(page, "og:title") == meta(page, "twitter:title") == title
        description = meta(page, "description")
        assert meta(page, "og:description") == meta(page, "twitter:description") == description
        assert meta(page, "og:site_name") == "ASEAN IPR Action Plan Tracker"
        assert meta(page, "og:type") == "website"
        assert meta(page, "og:url") == f"http://127.0.0.1:8000{url}"
        image = "http://127.0.0.1:8000/static/img/social-card.png"
        assert meta(page, "og:image") == meta(page, "twitter:image") == image
        assert meta(page, "og:image:alt") and meta(page, "twitter:image:alt")
        assert meta(page, "twitter:card") == "summary_large_image"

    def test_the_card_image_is_there(self):
        from django.contrib.staticfiles import finders

        with open(finders.find("img/social-card.png"), "rb") as image:
            head = image.read(24)
        assert head[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(head[16:20]) == 1200 and int.from_bytes(head[20:24]) == 630

    def test_a_page_with_its_own_description_shares_it(self, client):
        page = text_of(client.get("/glossary/"))
        assert meta(page, "og:description").startswith("What the acronyms and terms used")
        assert meta(page, "og:title") == "Glossary – ASEAN IPR Action Plan Tracker"

    def test_the_address_is_the_page_on_the_site_address(self, client, settings):
        settings.SITE_URL = "https://ipr-tracker.example.org"
        page = text_of(client.get("/plans/2016-2025/?visit=1"))
        assert meta(page, "og:url") == "https://ipr-tracker.example.org/plans/2016-2025/"


class TestQueries:
    # Pinned: the context processor's one query (the date of the latest change and the sample flag).
    BUDGET = {"/about/": 1, "/glossary/": 1, "/robots.txt": 0, "/favicon.ico": 0}

    @pytest.mark.parametrize(("url", "budget"), BUDGET.items())
    def test_each_page_runs_a_fixed_number_of_queries(self, client, url, budget):
        assert queries_for(client, url) == budget

    @pytest.mark.parametrize("url", ["/about/", "/glossary/"])
    def test_rendered_again_it_reads_only_the_data_version(self, client, settings, url):
        settings.PUBLIC_CACHE_SECONDS = 600
        cache.clear()
        first = client.get(f"{url}?visit=1")
        assert queries_for(client, f"{url}?visit=2") == 1
        # The same page, but for the language links, which keep the address's query.
        assert client.get(f"{url}?visit=3").content == first.content.replace(b"visit=1", b"visit=3")
