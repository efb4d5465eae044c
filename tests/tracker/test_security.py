"""Hardened settings: deploy checks, security headers, cookies, login throttling, idle sessions."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-real-secret-key-that-is-long-enough-for-production-use-0123456789",
    "ALLOWED_HOSTS": "tracker.example.org",
    "SITE_URL": "https://tracker.example.org",
    "SITE_CONTACT_EMAIL": "tracker@ipo.example.org",
}


def test_check_deploy_reports_nothing_with_production_settings(tmp_path):
    env = {"PATH": os.environ["PATH"], "VAR_DIR": str(tmp_path), **PRODUCTION}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    return Client(HTTP_HOST="testserver")


@pytest.mark.parametrize("url", ["/", "/explore/deliverables/?format=csv", "/admin/login/", "/api/plans/"])
def test_security_headers_on_pages_exports_and_the_admin(production, url):
    response = production.get(url, secure=True)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert (
        "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    )
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


SECURITY_HEADERS = ["Content-Security-Policy", "Permissions-Policy", "Cross-Origin-Resource-Policy",
                    "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"]  # fmt: skip


def error_answers(production):
    """A 400, a 404, a 500 raised in a view and one raised in the first middleware that reads
    the database (the page cache), as the public gets them."""
    from unittest import mock

    production.raise_request_exception = False
    yield production.get("/data/deliverables.csv?plan=a%0Ab", secure=True)
    yield production.get("/no-such-page/", secure=True)
    with mock.patch("goals.views.OverviewView.get_context_data", side_effect=RuntimeError("a bug")):
        yield production.get("/", secure=True)
    with mock.patch("tracker.core.dataversion.read", side_effect=RuntimeError("database down")):
        yield production.get("/methodology/", secure=True)


def test_every_error_page_carries_the_security_headers(production, settings):
    settings.PUBLIC_CACHE_SECONDS = 600  # the page cache reads the database before anything else
    answers = list(error_answers(production))
    assert [answer.status_code for answer in answers] == [400, 404, 500, 500]
    for answer in answers:
        assert [name for name in SECURITY_HEADERS if name not in answer] == [], answer.status_code


def test_staff_cookies_are_secure_and_http_only(production, superuser):
    page = production.get("/admin/login/", secure=True)
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"
    response = production.post(
        "/admin/login/?next=/admin/",
        {"username": "boss", "password": "a-long-test-password", "csrfmiddlewaretoken": csrf.value},
        secure=True,
    )
    session = response.cookies["sessionid"]
    assert response.status_code == 302 and session["secure"] and session["httponly"]


class TestLoginThrottling:
    def sign_in(self, client, password):
        return client.post(
            "/admin/login/", {"username": "boss", "password": password}, REMOTE_ADDR="203.0.113.7"
        )

    def test_repeated_failures_lock_the_account_out_and_are_logged(self, client, superuser, settings, caplog):
        from axes.models import AccessAttempt

        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert self.sign_in(client, "wrong").status_code == 200
        assert self.sign_in(client, "wrong").status_code == 429  # the limit-th failure locks out
        locked = self.sign_in(client, "a-long-test-password")  # even the right password is refused now
        assert locked.status_code == 429
        assert "_auth_user_id" not in client.session
        attempt = AccessAttempt.objects.get(username="boss")
        assert attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT
        assert any("Sign-in locked out for 'boss'" in record.getMessage() for record in caplog.records)

    def test_the_secretariat_sees_lockouts_and_lifts_them(self, client, superuser, settings, staff):
        from axes.models import AccessAttempt

        for _ in range(settings.AXES_FAILURE_LIMIT):
            self.sign_in(client, "wrong")
        attempt = AccessAttempt.objects.get(username="boss")
        lockouts = reverse("admin:axes_accessattempt_changelist")
        client.force_login(staff.ph)
        assert client.get(lockouts).status_code == 403  # only the secretariat
        client.force_login(staff.secretariat)
        assert "boss" in client.get(lockouts).text
        delete = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 302
        assert not AccessAttempt.objects.filter(username="boss").exists()
        client.logout()
        signed_in = client.post(
            "/admin/login/",
            {"username": "boss", "password": "a-long-test-password"},
            REMOTE_ADDR="203.0.113.7",
        )
        assert signed_in.status_code == 302  # unlocked

    def test_the_lockout_ends_after_the_cool_off(self, client, superuser, settings):
        from axes.models import AccessAttempt

        for _ in range(settings.AXES_FAILURE_LIMIT):
            self.sign_in(client, "wrong")
        AccessAttempt.objects.update(
            attempt_time=AccessAttempt.objects.first().attempt_time - settings.AXES_COOLOFF_TIME * 2
        )
        assert self.sign_in(client, "a-long-test-password").status_code == 302

    def test_a_success_resets_the_count(self, client, superuser, settings):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            self.sign_in(client, "wrong")
        assert self.sign_in(client, "a-long-test-password").status_code == 302
        client.logout()
        self.sign_in(client, "wrong")
        assert self.sign_in(client, "a-long-test-password").status_code == 302


class TestThrottlingPerUsernameAndPerAddress:
    """Failures count per username and per address separately; behind a proxy, the address is
    the client's, from the hop the proxy appended, never one the client wrote itself."""

    def attempt(self, client, username, password, **meta):
        return client.post("/admin/login/", {"username": username, "password": password}, **meta)

    def test_password_spraying_from_one_address_is_stopped(self, client, superuser, settings):
        sprayer = {"REMOTE_ADDR": "198.51.100.9"}
        for i in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
            self.attempt(client, f"user{i}", "Summer2026!", **sprayer)  # one failure per username
        assert self.attempt(client, "boss", "a-long-test-password", **sprayer).status_code == 429
        elsewhere = self.attempt(client, "boss", "a-long-test-password", REMOTE_ADDR="192.0.2.44")
        assert elsewhere.status_code == 302  # the account itself is not locked

    def test_guessing_one_accounts_password_from_many_addresses_is_stopped(self, client, superuser, settings):
        for i in range(settings.AXES_FAILURE_LIMIT):
            self.attempt(client, "boss", "wrong", REMOTE_ADDR=f"203.0.113.{i + 1}")
        assert (
            self.attempt(client, "boss", "a-long-test-password", REMOTE_ADDR="192.0.2.44").status_code == 429
        )

    def test_behind_a_proxy_one_clients_lockout_leaves_the_others_alone(self, client, superuser, settings):
        settings.BEHIND_PROXY = True
        proxy = "10.0.0.2"  # every request reaches the app from the proxy
        for i in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
            # The client writes an address of its own in the header; the proxy appends the real one.
            self.attempt(client, f"user{i}", "wrong", REMOTE_ADDR=proxy,
                         HTTP_X_FORWARDED_FOR=f"192.0.2.{i}, 198.51.100.9")  # fmt: skip
        locked = self.attempt(client, "boss", "a-long-test-password", REMOTE_ADDR=proxy,
                              HTTP_X_FORWARDED_FOR="198.51.100.9")  # fmt: skip
        assert locked.status_code == 429
        other = self.attempt(client, "boss", "a-long-test-password", REMOTE_ADDR=proxy,
                             HTTP_X_FORWARDED_FOR="192.0.2.44")  # fmt: skip
        assert other.status_code == 302

    def test_without_a_proxy_the_header_is_not_believed(self, client, superuser, settings):
        for i in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
            self.attempt(client, f"user{i}", "wrong", REMOTE_ADDR="198.51.100.9",
                         HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")  # fmt: skip
        assert self.attempt(client, "boss", "a-long-test-password", REMOTE_ADDR="198.51.100.9",
                            HTTP_X_FORWARDED_FOR="192.0.2.200").status_code == 429  # fmt: skip


def test_weak_passwords_are_refused(superuser, login):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("password", "12345678", "short"):
        with pytest.raises(ValidationError):
            validate_password(weak, superuser)


def test_staff_sessions_expire_after_inactivity(admin_client, settings):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    assert admin_client.get(reverse("admin:index")).status_code == 200
    session = Session.objects.get(session_key=admin_client.session.session_key)
    remaining = (session.expire_date - timezone.now()).total_seconds()
    assert (
        settings.SESSION_COOKIE_AGE - 60 < remaining <= settings.SESSION_COOKIE_AGE
    )  # renewed on each request
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
