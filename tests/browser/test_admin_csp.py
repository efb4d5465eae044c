"""The staff admin keeps the Content Security Policy too: a superuser's browser opens every
kind of admin page (found from the admin's URLs: index, lists, add and change forms, history
and past versions, review, import, round pages, My deliverables) and reports no refusal."""

import re

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLResolver

from goals.models import ProgressUpdate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SKIPPED = {
    "logout",
    "jsi18n",
    "view_on_site",
    "autocomplete",
    "audit-log",
    "audit-log-xlsx",
    "password_change_done",
    "goals_progressupdate_my_rows",
}  # fmt: skip  (downloads, not pages)


def admin_pages():
    """One address per admin page kind, filled with the first record of its model."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif pattern.name and pattern.name not in SKIPPED and not pattern.name.endswith("_delete"):
                yield prefix + str(pattern.pattern), pattern.name

    for route, name in walk(admin.site.get_urls()):
        if route.startswith("^"):
            continue  # the app index, reached from the index
        match = re.match(r"(\w+)/(\w+)/", route)
        record = None
        route = route.replace("<id>", "<path:object_id>")  # the password page names it so
        past_version = name.endswith("_simple_history")  # a regular expression route
        if match and ("<path:object_id>" in route or past_version):
            model = next(m for m in admin.site._registry if m._meta.app_label == match[1]
                         and m._meta.model_name == match[2])  # fmt: skip
            record = model.objects.order_by("pk").first()
            if record is None:
                continue
            if past_version:
                if not hasattr(model, "history"):
                    continue
                version = model.history.filter(id=record.pk).order_by("history_id").first()
                if version is None:
                    continue
                route = f"{match[1]}/{match[2]}/{record.pk}/history/{version.history_id}/"
            route = route.replace("<path:object_id>", str(record.pk))
        if name.endswith("_return"):
            route += f"?ids={ProgressUpdate.objects.order_by('pk').first().pk}"
        yield "/admin/" + route


def test_no_admin_page_breaks_the_content_security_policy(site, browser, django_user_model):
    superuser = django_user_model.objects.create_superuser("csp", "csp@example.org", "a-long-test-password")
    staff = Client()
    staff.force_login(superuser)
    context = browser.new_context()
    context.add_cookies([{"name": "sessionid", "value": staff.cookies["sessionid"].value, "url": site}])
    page = context.new_page()
    refused = []
    page.on(
        "console",
        lambda m: refused.append((page.url, m.text)) if "Content Security Policy" in m.text else None,
    )
    visited = 0
    for path in admin_pages():
        response = page.goto(site + path)
        assert response.status in (200, 403), (path, response.status)  # 403: frozen records cannot be added
        page.wait_for_load_state("load")
        visited += 1
    context.close()
    assert visited > 60
    assert refused == [], "\n".join(f"{url}: {text[:60]}" for url, text in refused)
