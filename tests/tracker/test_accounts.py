"""Accounts: rights are given by roles; only a superuser grants superuser status or raw
permissions, or touches a superuser's account; every change to users, roles and scopes is in
the audit log."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission

from tracker.core import roles

pytestmark = pytest.mark.django_db


def user_form(client, user, **changes):
    from tests.deployment.servers import form_values

    page = client.get(f"/admin/auth/user/{user.pk}/change/")
    assert page.status_code == 200
    values = {}
    for name, value in form_values(page.text, "user_form"):
        values.setdefault(name, []).append(value)
    values.update(changes)
    return values


def test_the_secretariat_is_not_offered_superuser_status_or_raw_permissions(login, staff):
    page = login(staff.secretariat).get(f"/admin/auth/user/{staff.ph.pk}/change/")
    assert page.status_code == 200
    assert 'name="groups"' in page.text  # roles are how rights are given
    assert 'name="is_superuser"' not in page.text
    assert 'name="user_permissions"' not in page.text


def test_the_secretariat_cannot_make_itself_superuser_or_grant_permissions(login, staff):
    client = login(staff.secretariat)
    permission = Permission.objects.get(codename="delete_user")
    data = user_form(client, staff.secretariat, is_superuser=["on"], user_permissions=[str(permission.pk)])
    response = client.post(f"/admin/auth/user/{staff.secretariat.pk}/change/", data)
    assert response.status_code == 302  # the rest of the form is saved
    staff.secretariat.refresh_from_db()
    assert not staff.secretariat.is_superuser
    assert not staff.secretariat.user_permissions.exists()


def test_a_superuser_account_is_out_of_the_secretariats_reach(login, staff, superuser):
    client = login(staff.secretariat)
    password = superuser.password
    assert client.get(f"/admin/auth/user/{superuser.pk}/change/").status_code == 200  # to read
    form = {"password1": "An0ther-long-password", "password2": "An0ther-long-password"}
    assert client.post(f"/admin/auth/user/{superuser.pk}/password/", form).status_code == 403
    assert client.post(f"/admin/auth/user/{superuser.pk}/delete/", {"post": "yes"}).status_code == 403
    superuser.refresh_from_db()
    assert superuser.password == password


def test_a_superuser_may_grant_superuser_status(admin_client, staff):
    data = user_form(admin_client, staff.viewer, is_superuser=["on"])
    assert admin_client.post(f"/admin/auth/user/{staff.viewer.pk}/change/", data).status_code == 302
    staff.viewer.refresh_from_db()
    assert staff.viewer.is_superuser


def audit_log(client):
    response = client.get("/admin/audit-log.csv")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_changes_to_roles_and_scopes_are_in_the_audit_log(login, staff):
    client = login(staff.secretariat)
    data = user_form(
        client,
        staff.viewer,
        groups=[str(Group.objects.get(name=roles.FOCAL_POINT).pk)],
        **{"access-0-bodies": [str(staff.ph.access.bodies.get().pk)]},
    )
    assert client.post(f"/admin/auth/user/{staff.viewer.pk}/change/", data).status_code == 302

    rows = [r for r in audit_log(client) if r["changed_by"] == "sec"]
    changed = {(r["model"], r["object"]): r["changed_fields"] for r in rows}
    assert "groups" in changed[("user", "viewer")].split()
    assert "bodies" in changed[("staff access", "Access of viewer")].split()
    assert all("password" not in r["changed_fields"] for r in audit_log(client))
