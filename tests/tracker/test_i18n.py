"""The languages of the interface: English (the reference) at today's addresses, Bahasa
Indonesia under /id/ and Vietnamese under /vi/; each page's lang, hreflang alternates, the
language switcher and the notice on a translation not yet reviewed; dates and numbers per
language; translated titles; and the checks that keep the catalogs whole (every interface string
of the marked templates marked, every message of a shipped language translated)."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation

from goals.models import StrategicGoal
from goals.templatetags.progress import percent, points, reported_date
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

PAGES = ["/", "/about/", "/glossary/", "/plans/2016-2025/goals/2/", "/search/?q=trademark"]


def html_lang(page):
    return re.search(r'<html lang="([^"]+)">', page).group(1)


class TestAddresses:
    @pytest.mark.parametrize("path", PAGES)
    def test_english_keeps_its_addresses_and_has_no_notice(self, client, path):
        response = client.get(path)
        page = text_of(response)
        assert response.status_code == 200
        assert html_lang(page) == "en"
        assert response["Content-Language"] == "en"
        assert "not yet been reviewed" not in page
        assert "Accept-Language" not in response.get("Vary", "")

    @pytest.mark.parametrize("language", ["id", "vi"])
    @pytest.mark.parametrize("path", PAGES)
    def test_each_page_in_each_language(self, client, language, path):
        response = client.get(f"/{language}{path}")
        page = text_of(response)
        assert response.status_code == 200
        assert html_lang(page) == language
        assert response["Content-Language"] == language
        assert 'class="translation-notice"' in page
        # The notice links the same page in English, marked as English.
        english = path.replace("&", "&amp;")
        assert f'<a href="{english}" hreflang="en">' in page

    def test_hreflang_alternates_are_real_addresses_of_the_same_page(self, client, settings):
        page = text_of(client.get("/id/plans/2016-2025/goals/2/"))
        found = re.findall(r'<link rel="alternate"\s+hreflang="([^"]+)"\s+href="([^"]+)">', page)
        alternates = dict(found)
        base = settings.SITE_URL
        assert alternates == {
            "en": f"{base}/plans/2016-2025/goals/2/",
            "id": f"{base}/id/plans/2016-2025/goals/2/",
            "vi": f"{base}/vi/plans/2016-2025/goals/2/",
            "x-default": f"{base}/plans/2016-2025/goals/2/",
        }
        for url in alternates.values():
            assert client.get(url.removeprefix(base)).status_code == 200

    def test_the_switcher_lists_each_language_and_marks_the_current_one(self, client):
        page = text_of(client.get("/vi/about/"))
        switcher = re.search(r'<nav class="language-switcher"[^>]*>(.*?)</nav>', page, re.S).group(1)
        links = re.findall(
            r'<a href="([^"]+)"\s+hreflang="(\w+)"\s+lang="\w+"\s*(aria-current="true")?>([^<]+)</a>',
            switcher,
        )
        assert [(href, code, bool(current), name) for href, code, current, name in links] == [
            ("/about/", "en", False, "English"),
            ("/id/about/", "id", False, "Bahasa Indonesia"),
            ("/vi/about/", "vi", True, "Tiếng Việt"),
        ]

    def test_links_inside_a_page_stay_in_its_language_and_files_stay_unprefixed(self, client):
        page = text_of(client.get("/id/"))
        assert 'href="/id/about/"' in page
        assert 'href="/id/methodology/"' in page
        assert 'href="/updates.atom"' in page  # feeds, the API and data files have one address
        assert 'href="/admin/"' in page

    @pytest.mark.parametrize(
        "path", ["/id/api/plans/", "/id/updates.atom", "/id/data/dataset.zip", "/id/admin/", "/id/robots.txt"]
    )
    def test_files_the_api_and_the_admin_are_not_in_a_language(self, client, path):
        assert client.get(path).status_code == 404

    def test_a_reviewed_translation_carries_no_notice(self, client, settings):
        settings.TRANSLATIONS_REVIEWED = {"id": True, "vi": False}
        response = client.get("/id/about/")
        assert response.status_code == 200
        assert 'class="translation-notice"' not in text_of(response)
        assert 'class="translation-notice"' in text_of(client.get("/vi/about/"))

    def test_the_page_cache_keeps_each_language_apart(self, client, settings):
        settings.PUBLIC_CACHE_SECONDS = 600
        cache.clear()
        try:
            for _ in range(2):  # filled, then served from the cache
                for language in ["en", "id", "vi"]:
                    path = "/about/" if language == "en" else f"/{language}/about/"
                    response = client.get(path)
                    assert response.status_code == 200
                    assert html_lang(text_of(response)) == language
                    assert response["Content-Language"] == language
            assert response["X-Cache"] == "hit"
        finally:
            cache.clear()

    def test_the_admin_still_works_in_english(self, admin_client):
        response = admin_client.get("/admin/")
        assert response.status_code == 200
        assert response["Content-Language"] == "en"
        assert admin_client.get("/admin/goals/deliverable/").status_code == 200

    def test_an_unknown_reviewed_language_is_refused_at_start(self, monkeypatch):
        import importlib

        import tracker.settings

        monkeypatch.setenv("TRANSLATIONS_REVIEWED", "id,fr")
        with pytest.raises(Exception, match="fr"):
            importlib.reload(tracker.settings)
        monkeypatch.delenv("TRANSLATIONS_REVIEWED")
        importlib.reload(tracker.settings)


class TestFormats:
    @pytest.mark.parametrize(
        ("language", "expected"),
        [
            ("en", ["66.7\u00a0%", "+12.5\u00a0points", "5 Mar 2024", "Mar 2024"]),
            ("id", ["66,7\u00a0%", "+12,5\u00a0points", "5 Mar 2024", "Mar 2024"]),
            ("vi", ["66,7\u00a0%", "+12,5\u00a0points", "05/03/2024", "tháng 3 năm 2024"]),
        ],
    )
    def test_numbers_and_dates_follow_the_language(self, language, expected):
        class Update:
            reported_on = datetime.date(2024, 3, 5)
            reported_on_precision = "day"

        month = Update()
        month.reported_on_precision = "month"
        with translation.override(language):
            assert [percent(66.7), points(12.5), reported_date(Update()), reported_date(month)] == expected

    def test_indonesian_months(self):
        class Update:
            reported_on = datetime.date(2025, 12, 31)
            reported_on_precision = "day"

        with translation.override("id"):
            assert reported_date(Update()) == "31 Des 2025"


class TestTranslatedTitles:
    def render(self, record, language):
        with translation.override(language):
            return Template('{% load translations %}{% translated record "title" %}').render(
                Context({"record": record})
            )

    def test_falls_back_to_english_marked_as_english(self):
        goal = StrategicGoal.objects.get(plan__slug="2016-2025", number=2)
        assert self.render(goal, "en") == goal.title.replace("'", "&#x27;")
        assert self.render(goal, "id") == f'<span lang="en">{goal.title}</span>'.replace("'", "&#x27;")

    def test_a_translation_entered_is_shown(self):
        goal = StrategicGoal.objects.get(plan__slug="2016-2025", number=2)
        goal.translations = {"id": {"title": "Platform <KI> regional"}}
        goal.full_clean()
        assert self.render(goal, "id") == "Platform &lt;KI&gt; regional"
        assert self.render(goal, "vi").startswith('<span lang="en">')

    @pytest.mark.parametrize(
        ("translations", "message"),
        [
            ({"fr": {"title": "x"}}, "not a language of the site"),
            ({"id": {"code": "x"}}, "can be translated"),
            ({"id": "x"}, "field: text"),
            (["x"], "by language code"),
        ],
    )
    def test_bad_translations_are_refused_with_the_reason(self, translations, message):
        goal = StrategicGoal.objects.get(plan__slug="2016-2025", number=2)
        goal.translations = translations
        with pytest.raises(ValidationError, match=message):
            goal.full_clean()
