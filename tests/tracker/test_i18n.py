"""The languages of the interface: English (the reference) at today's addresses, Bahasa
Indonesia under /id/ and Vietnamese under /vi/; each page's lang, hreflang alternates, the
language switcher and the notice on a translation not yet reviewed; dates and numbers per
language; translated titles; and the checks that keep the catalogs whole (every interface string
of the marked templates marked, every message of a shipped language translated)."""

import ast
import datetime
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation

from goals.models import StrategicGoal
from goals.templatetags.progress import percent, points, reported_date
from tests.helpers import text_of
from tracker.core.unmarked import unmarked

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
        # Each link holds the language's code, seen on a phone only and hidden from screen readers,
        # and its own name, which names the link.
        links = re.findall(
            r'<a href="([^"]+)"\s+hreflang="(\w+)"\s+lang="\w+"\s*(aria-current="true")?>'
            r'<span class="language-code" aria-hidden="true">(\w+)</span>'
            r'<span class="language-name">([^<]+)</span></a>',
            switcher,
        )
        assert [(href, code, bool(current), shown, name) for href, code, current, shown, name in links] == [
            ("/about/", "en", False, "EN", "English"),
            ("/id/about/", "id", False, "ID", "Bahasa Indonesia"),
            ("/vi/about/", "vi", True, "VI", "Tiếng Việt"),
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


class TestFormats:
    @pytest.mark.parametrize(
        ("language", "expected"),
        [
            ("en", ["66.7\u00a0%", "+12.5\u00a0points", "5 Mar 2024", "Mar 2024"]),
            ("id", ["66,7\u00a0%", "+12,5\u00a0poin", "5 Mar 2024", "Mar 2024"]),
            ("vi", ["66,7\u00a0%", "+12,5\u00a0điểm", "05/03/2024", "tháng 3 năm 2024"]),
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


class TestChartsInOtherLanguages:
    @pytest.mark.parametrize("language", ["id", "vi"])
    def test_chart_coordinates_stay_numbers_for_the_browser(self, client, language):
        """A decimal comma belongs in the text people read, never in a drawing's coordinates."""
        response = client.get(f"/{language}/plans/2016-2025/")
        page = text_of(response)
        assert response.status_code == 200
        assert "<svg" in page
        assert re.findall(r'\b(?:x|y|x1|x2|y1|y2|width|height)="-?\d+,\d', page) == []
        assert re.search(
            r'<text class="chart-value"[^>]*>\d+,\d\u00a0%</text>', page
        )  # the label is in the language


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


TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
LOCALE = Path(__file__).resolve().parents[2] / "locale"
SHIPPED = [code for code, _name in django_settings.LANGUAGES if code != django_settings.LANGUAGE_CODE]


def all_templates():
    return sorted(str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*.html"))


class TestMarkedTemplates:
    @pytest.mark.parametrize("name", all_templates())
    def test_every_interface_string_is_marked(self, name):
        assert unmarked((TEMPLATES / name).read_text()) == [], f"{name} has text not marked for translation"

    @pytest.mark.parametrize(
        ("source", "expected"),
        [
            ("<p>Data as of {{ day }}</p>", ["Data as of"]),
            ('<img alt="A chart" src="x.svg">', ["A chart"]),
            ('<a aria-label="Main">{% translate "x" %}</a>', ["Main"]),
            ('{{ value|default:"No data" }}', ["No data"]),
            ('<meta name="description" content="The tracker">', ["The tracker"]),
            ("<p>{% translate 'Open data' %} (CSV, JSON)</p>", []),
            ("{% blocktranslate %}Data as of {{ day }}{% endblocktranslate %}", []),
            ("{% comment %}Notes for developers{% endcomment %}<p> – {{ x }}: </p>", []),
            ('{% include "includes/x.html" with kind="deliverable" %}', []),
            ('<p>{{ day|date:"j F Y" }} &middot; ASEAN</p>', []),
            ("<script>var x = 'Hello there';</script>", []),
        ],
    )
    def test_the_check_finds_unmarked_text_and_only_that(self, source, expected):
        assert [" ".join(piece.replace("\x00", " ").split()) for piece in unmarked(source)] == expected


def read_po(path):
    """The messages of a .po file: (msgctxt, msgid) → (msgstr forms, flags). Python's own
    parsing of the C-quoted strings; the header (msgid "") is left out."""
    messages = {}
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8").strip()):
        fields, flags, key = {}, set(), None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#~"):
                key = None  # an obsolete message
                fields["obsolete"] = True
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                fields[key] += ast.literal_eval(line)
            else:
                key, value = line.split(" ", 1)
                fields[key] = ast.literal_eval(value)
        if fields.get("msgid") and not fields.get("obsolete"):
            forms = [value for name, value in fields.items() if name.startswith("msgstr")]
            messages[(fields.get("msgctxt"), fields["msgid"])] = (forms, flags)
    return messages


class TestCatalogs:
    @pytest.mark.parametrize("language", SHIPPED)
    def test_every_message_is_translated_and_none_is_fuzzy(self, language):
        messages = read_po(LOCALE / language / "LC_MESSAGES" / "django.po")
        assert messages
        untranslated = [msgid for (_ctx, msgid), (forms, _flags) in messages.items() if not all(forms)]
        fuzzy = [msgid for (_ctx, msgid), (_forms, flags) in messages.items() if "fuzzy" in flags]
        assert untranslated == []
        assert fuzzy == []

    @pytest.mark.parametrize("language", SHIPPED)
    def test_placeholders_are_kept(self, language):
        """A translation names the same %(placeholders)s as the English it translates."""
        messages = read_po(LOCALE / language / "LC_MESSAGES" / "django.po")
        wrong = [
            msgid
            for (_ctx, msgid), (forms, _flags) in messages.items()
            for form in forms
            if set(re.findall(r"%\(\w+\)s", form)) != set(re.findall(r"%\(\w+\)s", msgid))
        ]
        assert wrong == []

    def test_the_catalogs_are_up_to_date_with_the_templates_and_code(self, tmp_path):
        """makemessages, run on a copy of the project, would add no message and drop none."""
        if not shutil.which("xgettext"):
            if os.environ.get("CI") == "true":
                pytest.fail("GNU gettext (xgettext) is needed: scripts/gettext-for-tests")
            pytest.skip("GNU gettext (xgettext) is not installed: scripts/gettext-for-tests installs it")
        root = TEMPLATES.parent
        for name in ["templates", "goals", "partners", "tracker", "locale"]:
            shutil.copytree(
                root / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo")
            )
        shutil.copy(root / "manage.py", tmp_path / "manage.py")
        environment = {**os.environ, "DEBUG": "true", "VAR_DIR": str(tmp_path / "var")}
        languages = [argument for code in SHIPPED for argument in ("-l", code)]
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                *languages,
                "--no-obsolete",
                "--add-location",
                "file",
            ],
            cwd=tmp_path,
            env=environment,
            check=True,
            capture_output=True,
        )
        for language in SHIPPED:
            shipped = set(read_po(LOCALE / language / "LC_MESSAGES" / "django.po"))
            wanted = set(read_po(tmp_path / "locale" / language / "LC_MESSAGES" / "django.po"))
            assert sorted(map(str, wanted - shipped)) == [], (
                f"run makemessages: messages missing from {language}"
            )
            assert sorted(map(str, shipped - wanted)) == [], (
                f"run makemessages: messages no longer used in {language}"
            )


class TestTranslatedPages:
    def test_an_indonesian_page_is_in_indonesian_where_marked(self, client):
        if not (LOCALE / "id" / "LC_MESSAGES" / "django.mo").exists():
            pytest.skip("the catalogs are not compiled: make messages")
        response = client.get("/id/about/")
        page = text_of(response)
        assert response.status_code == 200
        assert "Terjemahan ini belum ditinjau oleh penutur asli." in page
        assert "Baca halaman ini dalam bahasa Inggris" in page
        assert "Ikhtisar" in page  # the main navigation
