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
