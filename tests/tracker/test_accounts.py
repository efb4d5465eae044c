"""Accounts: rights are given by roles; only a superuser grants superuser status or raw
permissions, or touches a superuser's account; every change to users, roles and scopes is in
the audit log."""

import csv
import io
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail

from goals.models import Body
from partners.models import Partner
from tracker.core import roles

pytestmark = pytest.mark.django_db
User = get_user_model()


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
    assert 'name="role"' in page.text and 'name="bodies"' in page.text  # rights come from the role
    for hidden in (
        'name="is_superuser"',
        'name="user_permissions"',
        'name="is_staff"',
        "pbkdf2",
        "algorithm",
    ):
        assert hidden not in page.text


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


def test_a_corrected_e_mail_address_is_the_one_they_sign_in_with(login, staff, client):
    staff.ph.username = "ph@example.org"  # as invited: they sign in with their e-mail address
    staff.ph.save()
    secretariat = login(staff.secretariat)
    data = user_form(secretariat, staff.ph, email=["Maria.Santos@ipophl.example"])
    assert secretariat.post(f"/admin/auth/user/{staff.ph.pk}/change/", data).status_code == 302
    staff.ph.refresh_from_db()
    assert staff.ph.email == staff.ph.username == "maria.santos@ipophl.example"
    client.logout()
    signed_in = client.post(
        "/admin/login/", {"username": "maria.santos@ipophl.example", "password": "a-long-test-password"}
    )
    assert signed_in.status_code == 302


def test_an_e_mail_address_another_account_signs_in_with_is_refused(login, staff):
    staff.ph.username = "ph@example.org"
    staff.ph.save()
    staff.th.username = "maria.santos@ipophl.example"  # an older account named by an address
    staff.th.save()
    secretariat = login(staff.secretariat)
    data = user_form(secretariat, staff.ph, email=["maria.santos@ipophl.example"])
    response = secretariat.post(f"/admin/auth/user/{staff.ph.pk}/change/", data)
    assert response.status_code == 200
    assert "Another account already has this e-mail address." in response.text
    staff.ph.refresh_from_db()
    assert staff.ph.username == staff.ph.email == "ph@example.org"


def audit_log(client):
    response = client.get("/admin/audit-log.csv")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_changes_to_roles_and_scopes_are_in_the_audit_log(login, staff):
    client = login(staff.secretariat)
    data = user_form(
        client,
        staff.viewer,
        role=[str(Group.objects.get(name=roles.FOCAL_POINT).pk)],
        bodies=[str(staff.ph.access.bodies.get().pk)],
    )
    assert client.post(f"/admin/auth/user/{staff.viewer.pk}/change/", data).status_code == 302

    rows = [r for r in audit_log(client) if r["changed_by"] == "sec"]
    changed = {(r["model"], r["object"]): r["changed_fields"] for r in rows}
    assert "groups" in changed[("user", "viewer")].split()
    assert "bodies" in changed[("staff access", "Access of viewer")].split()
    assert all("password" not in r["changed_fields"] for r in audit_log(client))


@pytest.fixture
def invite(django_capture_on_commit_callbacks):
    """Invite Maria Santos of IPOPHL, as a focal point unless told otherwise; e-mails go once the
    account is saved (after commit)."""

    def post(client, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return invite_form(client, **fields)

    return post


def invite_form(client, **fields):
    data = {
        "first_name": "Maria",
        "last_name": "Santos",
        "email": "Maria.Santos@ipophl.example",
        "role": str(Group.objects.get(name=roles.FOCAL_POINT).pk),
        "bodies": [str(Body.objects.get(slug="ipophl").pk)],
        **fields,
    }
    return client.post("/admin/auth/user/add/", data)


def link_in(message):
    return re.search(r"https?://\S+", message.body).group(0)


def test_the_secretariat_invites_a_person_on_one_page(invite, login, staff, settings, client):
    settings.SITE_URL = "https://tracker.example.org"
    secretariat = login(staff.secretariat)
    page = secretariat.get("/admin/auth/user/add/")
    assert page.status_code == 200
    for field in ("first_name", "last_name", "email", "role", "bodies", "partner"):
        assert f'name="{field}"' in page.text
    assert 'name="password1"' not in page.text and 'name="username"' not in page.text
    buttons = re.findall(r'<input type="submit"[^>]*value="([^"]*)"', page.text)
    assert buttons == ["Send invitation"]  # no "Save and add another" that leads to the list

    response = invite(secretariat)
    assert response.status_code == 302
    person = User.objects.get(email="maria.santos@ipophl.example")
    assert person.is_staff and not person.is_superuser and not person.has_usable_password()
    assert person.get_username() == "maria.santos@ipophl.example"
    assert [g.name for g in person.groups.all()] == [roles.FOCAL_POINT]
    assert [b.slug for b in person.access.bodies.all()] == ["ipophl"]
    assert "Maria Santos is invited" in secretariat.get(response.url).text

    [message] = mail.outbox
    assert message.to == ["maria.santos@ipophl.example"]
    link = link_in(message)
    assert link.startswith("https://tracker.example.org/admin/welcome/")
    path = link.removeprefix("https://tracker.example.org")

    form = client.get(path, follow=True)
    assert form.status_code == 200 and "choose the password" in form.text.lower()
    chosen = {"new_password1": "Sampaguita-2026-long", "new_password2": "Sampaguita-2026-long"}
    assert client.post(form.redirect_chain[-1][0], chosen).status_code == 302
    person.refresh_from_db()
    assert person.check_password("Sampaguita-2026-long")

    again = client.get(path, follow=True)  # the link works once
    assert again.status_code == 200 and "already been used or has expired" in again.text
    signed_in = client.post(
        "/admin/login/", {"username": "maria.santos@ipophl.example", "password": "Sampaguita-2026-long"}
    )
    assert signed_in.status_code == 302


@pytest.mark.parametrize(
    "fields, error",
    [
        ({"bodies": []}, "Choose the bodies this focal point reports for."),
        ({"email": "ph@example.org"}, "Another account already has this e-mail address."),
        ({"email": "not an address"}, "Enter a valid email address."),
        ({"first_name": ""}, "This field is required."),
        ({"partner": "PARTNER"}, "Only partner reporters report for a partner"),
    ],
)
def test_an_invitation_with_bad_input_says_why_and_changes_nothing(invite, login, staff, fields, error):
    if fields.get("partner") == "PARTNER":
        fields["partner"] = str(Partner.objects.get(slug="euipo").pk)
    accounts = User.objects.count()
    response = invite(login(staff.secretariat), **fields)
    assert response.status_code == 200
    assert error in response.text
    assert User.objects.count() == accounts and not mail.outbox


def test_a_partner_reporter_is_invited_with_their_partner(invite, login, staff):
    reporter = str(Group.objects.get(name=roles.PARTNER_REPORTER).pk)
    euipo = Partner.objects.get(slug="euipo")
    response = invite(login(staff.secretariat), role=reporter, bodies=[], partner=str(euipo.pk))
    assert response.status_code == 302
    person = User.objects.get(email="maria.santos@ipophl.example")
    assert person.access.partner == euipo and not person.access.bodies.exists()
    assert len(mail.outbox) == 1


def test_an_invitation_link_expires(invite, login, staff, client, settings):
    invite(login(staff.secretariat))
    path = urlsplit(link_in(mail.outbox[0])).path
    settings.PASSWORD_RESET_TIMEOUT = -1  # every link is older than that
    page = client.get(path, follow=True)
    assert page.status_code == 200 and "already been used or has expired" in page.text
    assert 'name="new_password1"' not in page.text
    link = "Forgotten your login credentials?"  # the page names the sign-in page's link as it reads
    client.logout()
    assert link in page.text and link in client.get("/admin/login/").text


def test_a_new_sign_in_link_is_sent_after_confirming(login, staff, django_capture_on_commit_callbacks):
    secretariat = login(staff.secretariat)
    url = f"/admin/auth/user/{staff.ph.pk}/invite/"
    assert f'href="{url}"' in secretariat.get(f"/admin/auth/user/{staff.ph.pk}/change/").text
    confirm = secretariat.get(url)
    assert confirm.status_code == 200 and "ph@example.org" in confirm.text and not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        assert secretariat.post(url).status_code == 302
    assert mail.outbox[0].to == ["ph@example.org"] and "/admin/welcome/" in mail.outbox[0].body


@pytest.mark.parametrize("role", ["ph", "euipo", "viewer"])
def test_only_who_may_change_accounts_sends_sign_in_links(login, staff, role):
    client = login(getattr(staff, role))
    url = f"/admin/auth/user/{staff.th.pk}/invite/"
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert not mail.outbox


def test_a_forgotten_password_is_reset_by_e_mail(client, staff, settings):
    settings.SITE_URL = "https://tracker.example.org"
    sign_in = client.get("/admin/login/")
    assert 'href="/admin/password-reset/"' in sign_in.text
    response = client.post("/admin/password-reset/", {"email": "PH@example.org"})
    assert response.status_code == 302
    [message] = mail.outbox
    link = link_in(message)
    assert link.startswith("https://tracker.example.org/admin/password-reset/")
    form = client.get(urlsplit(link).path, follow=True)
    chosen = {"new_password1": "Narra-tree-2026-long", "new_password2": "Narra-tree-2026-long"}
    assert client.post(form.redirect_chain[-1][0], chosen).status_code == 302
    staff.ph.refresh_from_db()
    assert staff.ph.check_password("Narra-tree-2026-long")


def test_a_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client, staff):
    response = client.post("/admin/password-reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302 and response.url == "/admin/password-reset/sent/"
    assert not mail.outbox


def test_an_invitation_link_does_not_reset_a_password_and_a_reset_link_is_no_invitation(client, staff):
    client.post("/admin/password-reset/", {"email": "ph@example.org"})
    reset_path = urlsplit(link_in(mail.outbox[0])).path
    uid_and_token = reset_path.removeprefix("/admin/password-reset/")
    page = client.get("/admin/welcome/" + uid_and_token, follow=True)
    assert page.status_code == 200 and 'name="new_password1"' not in page.text
