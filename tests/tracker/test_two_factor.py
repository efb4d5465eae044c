"""Two-factor sign-in: any staff member may add an authenticator app, after which signing in
needs its code; with TWO_FACTOR_REQUIRED the secretariat must."""

import re

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
SETUP = "/admin/two-factor/"


def code_of(device, drift=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def sign_in(user, code=None):
    client = Client()
    data = {"username": user.username, "password": PASSWORD, "next": "/admin/"}
    if code is not None:
        data["otp_token"] = code
    return client, client.post("/admin/login/?next=/admin/", data)


def add_authenticator(client, user):
    page = client.get(SETUP)
    assert page.status_code == 200 and "<svg" in page.text and "Key:" in page.text
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert (
        client.post(SETUP, {"code": "000000" if code_of(device) != "000000" else "111111"}).status_code == 200
    )
    device.refresh_from_db()
    assert not device.confirmed  # a wrong code adds nothing
    device.throttle_reset()  # (each failure makes the next try wait a little longer)
    assert client.post(SETUP, {"code": code_of(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_an_account_without_an_authenticator_signs_in_with_its_password(staff):
    _client, response = sign_in(staff.ph)
    assert response.status_code == 302


def test_once_added_the_authenticator_code_is_needed_to_sign_in(staff):
    client, _ = sign_in(staff.ph)
    device = add_authenticator(client, staff.ph)

    _client, without = sign_in(staff.ph)
    assert without.status_code == 200 and "Enter the code your authenticator app shows" in without.text
    _client, wrong = sign_in(staff.ph, "123456" if code_of(device) != "123456" else "654321")
    assert wrong.status_code == 200 and "not right" in wrong.text, re.findall(
        r"errornote[^<]*<[^<]*|errorlist[^<]*<[^<]*", wrong.text
    )
    device.refresh_from_db()
    device.throttle_reset()
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # the code used at enrolment, once more
    client, right = sign_in(staff.ph, code_of(device))
    assert right.status_code == 302 and client.get("/admin/").status_code in (200, 302)


def test_the_secretariat_can_require_it(staff, settings):
    settings.TWO_FACTOR_REQUIRED = True
    client, response = sign_in(staff.secretariat)
    assert response.status_code == 302  # the password is right; the code is still owed
    page = client.get("/admin/goals/progressupdate/")
    assert page.status_code == 302 and page["Location"].startswith(SETUP)
    add_authenticator(client, staff.secretariat)
    assert client.get("/admin/goals/progressupdate/").status_code == 200
    focal_point, _ = sign_in(staff.ph)  # required of the secretariat and superusers only
    assert focal_point.get("/admin/goals/progressupdate/").status_code == 200
