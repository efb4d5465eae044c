"""Staff choose the admin's language in its header (Django's set_language, a cookie): the admin
follows the choice, the public pages do not (their language is their address's), and neither a
language the site does not ship nor a redirect to another host is accepted."""

import pytest
from django.conf import settings
from django.test import Client

from tests.helpers import text_of

pytestmark = pytest.mark.django_db

SET_LANGUAGE = "/i18n/setlang/"


def choose(client, language, next_url="/admin/"):
    return client.post(SET_LANGUAGE, {"language": language, "next": next_url})


def test_every_admin_page_offers_the_languages_in_their_own_names(admin_client):
    signed_out = Client()
    for page in [text_of(admin_client.get("/admin/")), text_of(signed_out.get("/admin/login/"))]:
        assert 'action="/i18n/setlang/"' in page
        assert '<option value="id" lang="id"' in " ".join(page.split())
        assert ">Bahasa Indonesia</option>" in page
        assert ">Tiếng Việt</option>" in page


def test_a_staff_member_reads_the_admin_in_the_language_chosen(admin_client):
    response = choose(admin_client, "id")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert admin_client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "id"

    response = admin_client.get("/admin/")
    page = text_of(response)
    assert response["Content-Language"] == "id"
    assert "Selamat datang" in page  # Django's own words ("Welcome,")
    assert "Tanggal dan waktu" in page  # the tracker's
    assert '<option value="id" lang="id" selected>' in " ".join(page.split())
    assert ">English</option>" in page  # each language in its own name, not in Indonesian

    choose(admin_client, "en")
    assert admin_client.get("/admin/")["Content-Language"] == "en"


def test_the_public_pages_keep_the_language_of_their_address(admin_client):
    choose(admin_client, "id")
    response = admin_client.get("/about/")
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in text_of(response)
    assert admin_client.get("/vi/about/")["Content-Language"] == "vi"
    assert admin_client.get("/api/plans/")["Content-Language"] == "en"


@pytest.mark.parametrize("language", ["xx", "fr", ""])
def test_a_language_the_site_does_not_ship_changes_nothing(admin_client, language):
    choose(admin_client, language)
    response = admin_client.get("/admin/")
    assert response["Content-Language"] == "en"
    assert "Welcome," in text_of(response)


def test_a_cookie_with_another_language_is_ignored(admin_client):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert admin_client.get("/admin/")["Content-Language"] == "en"


@pytest.mark.parametrize(
    "next_url", ["https://elsewhere.example/admin/", "//elsewhere.example/", "javascript:alert(1)"]
)
def test_the_redirect_stays_on_the_tracker(admin_client, next_url):
    response = choose(admin_client, "vi", next_url)
    assert response.status_code == 302
    assert "elsewhere" not in response["Location"]
    assert not response["Location"].startswith("javascript")
