import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run():
    out = io.StringIO()
    call_command("ensure_local_admin", stdout=out)
    return out.getvalue()


def test_creates_one_admin_with_a_random_password_shown_once(settings):
    settings.DEBUG = True
    first = run()
    password = first.split("password: ")[1].split()[0]
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(password) and len(password) >= 16
    second = run()
    assert password not in second and "existing admin account" in second
    assert get_user_model().objects.filter(is_superuser=True).count() == 1


def test_two_fresh_setups_get_different_passwords(settings):
    settings.DEBUG = True
    first = run().split("password: ")[1].split()[0]
    get_user_model().objects.all().delete()
    assert run().split("password: ")[1].split()[0] != first


def test_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        run()


def test_the_local_admin_is_in_the_secretariat_with_the_e_mail_given(
    settings, staff, django_capture_on_commit_callbacks
):
    """So the first submission on a fresh `make run` notifies someone."""
    from django.contrib.auth.models import Group

    from goals.notifications import secretariat_addresses

    settings.DEBUG = True
    call_command("ensure_local_admin", "--email", "me@example.org", stdout=io.StringIO())
    admin = get_user_model().objects.get(username="admin")
    assert admin.email == "me@example.org" and admin.get_full_name() == "Local Administrator"
    assert Group.objects.get(name="Secretariat") in admin.groups.all()
    assert "me@example.org" in secretariat_addresses()


def test_an_older_local_admin_gets_the_e_mail_and_role_it_lacks(settings, staff):
    from django.contrib.auth.models import Group

    settings.DEBUG = True
    admin = get_user_model().objects.create_superuser("admin", "", "an-older-long-password")
    out = io.StringIO()
    call_command("ensure_local_admin", "--email", "me@example.org", stdout=out)
    admin.refresh_from_db()
    assert admin.email == "me@example.org" and admin.check_password("an-older-long-password")
    assert Group.objects.get(name="Secretariat") in admin.groups.all()
    assert "Gave the local admin account e-mail me@example.org and the Secretariat role." in out.getvalue()
    again = io.StringIO()
    call_command("ensure_local_admin", "--email", "other@example.org", stdout=again)
    admin.refresh_from_db()
    assert admin.email == "me@example.org" and "Gave" not in again.getvalue()  # nothing more to add


def test_make_run_points_e_mailed_links_at_the_port_it_serves_on():
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    plan = subprocess.run(
        ["make", "-n", "serve", "PORT=8123", "ADMIN_EMAIL=me@example.org"],
        cwd=root, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert 'SITE_URL="${SITE_URL:-http://127.0.0.1:8123}"' in plan and "runserver 127.0.0.1:8123" in plan
    assert '--email "me@example.org"' in plan
