"""Every role against every admin model and action. The expectations are written out here,
as the specification; the admin must honour them for list, view, add, change, delete and
export on a record inside the role's scope."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from tests.helpers import text_of
from tracker.core import roles

pytestmark = pytest.mark.django_db

PLAN = ["actionplan", "strategicgoal", "initiative", "deliverable", "memberstate", "body", "responsibility",
        "reportinground", "lineagelink"]  # fmt: skip
PARTNER_SIDE = ["involvement", "cooperationprogramme", "programmereport", "contactpoint"]

# l = list, v = view, a = add, c = change, d = delete, e = export
EXPECTED = {
    "secretariat": {**dict.fromkeys(PLAN, "lvacde"), "progressupdate": "lvacde", "partner": "lvacde",
                    **dict.fromkeys(PARTNER_SIDE, "lvacde")},
    "ph": {**dict.fromkeys(PLAN, "lve"), "progressupdate": "lvacde", "partner": "lve",
           **dict.fromkeys(PARTNER_SIDE, "lve")},
    "euipo": {**dict.fromkeys(PLAN, "lve"), "progressupdate": "lve", "partner": "lvce",
              **dict.fromkeys(PARTNER_SIDE, "lvacde")},
    "viewer": {**dict.fromkeys(PLAN, "lve"), "progressupdate": "lve", "partner": "lve",
               **dict.fromkeys(PARTNER_SIDE, "lve")},
}  # fmt: skip
MODELS = {name: apps.get_model("partners" if name in ["partner", *PARTNER_SIDE] else "goals", name)
          for name in [*PLAN, "progressupdate", "partner", *PARTNER_SIDE]}  # fmt: skip
CASES = [(role, name) for role in EXPECTED for name in MODELS]


@pytest.fixture
def records(staff, open_round):
    """A record of each model inside each role's scope (the Philippine office, EUIPO)."""
    import datetime

    from goals.models import Deliverable, ProgressUpdate
    from partners.models import ContactPoint, CooperationProgramme, Partner, ProgrammeReport

    euipo = Partner.objects.get(slug="euipo")
    update = ProgressUpdate.objects.create(
        deliverable=Deliverable.objects.get(initiative__plan__slug="2016-2025", code="8.1"), round=open_round,
        status="in_progress", percent_complete=10, reported_on=datetime.date(2026, 11, 2),
        submitted_by=staff.ph,
    )  # fmt: skip
    programme = CooperationProgramme.objects.get(slug="arise-plus-ipr")
    found = {name: model.objects.first() for name, model in MODELS.items()}
    found.update(
        progressupdate=update,
        partner=euipo,
        involvement=euipo.involvements.first(),
        cooperationprogramme=programme,
        programmereport=ProgrammeReport.objects.filter(programme=programme).first(),
        contactpoint=ContactPoint.objects.create(partner=euipo, name="Test contact"),
        reportinground=open_round,
        approved_update=ProgressUpdate.objects.get(data_key="madrid-bn"),
    )
    return found


def admin_url(name, view, *args):
    model = MODELS[name]
    return reverse(f"admin:{model._meta.app_label}_{name}_{view}", args=args)


@pytest.mark.parametrize(("role", "name"), CASES, ids=[f"{r}-{n}" for r, n in CASES])
def test_role_can_do_exactly_what_the_specification_says(login, staff, records, role, name):
    allowed = EXPECTED[role][name]
    client = login(getattr(staff, role))
    record = records[name]
    if role == "euipo" and name == "progressupdate":
        record = records["approved_update"]  # partner reporters see approved progress only
    status = {
        "l": client.get(admin_url(name, "changelist")).status_code,
        "v": client.get(admin_url(name, "change", record.pk)).status_code,
        "a": client.get(admin_url(name, "add")).status_code,
        "d": client.get(admin_url(name, "delete", record.pk)).status_code,
    }
    for action, code in status.items():
        assert (code == 200) == (action in allowed), f"{role} {action} {name}: {code}"
    change_page = client.get(admin_url(name, "change", record.pk))
    can_save = change_page.status_code == 200 and 'name="_save"' in change_page.text
    assert can_save == ("c" in allowed), f"{role} change {name}"
    model_admin = admin.site._registry[MODELS[name]]
    request = change_page.wsgi_request
    actions = model_admin.get_actions(request) if status["l"] == 200 else {}
    assert ("export_csv" in actions) == ("e" in allowed), f"{role} export {name}"


ROUND_PAGES = ["open", "close", "reopen", "publish", "remind"]  # each a confirmation (GET) and its POST


@pytest.mark.parametrize("role", EXPECTED)
def test_only_the_round_managers_reach_a_rounds_buttons(login, staff, open_round, role):
    """The pages behind a round's buttons ask the one permission the round's moves ask
    (``goals.manage_reportinground``): its holders get the page and their POST is done or
    refused with a message (a redirect); everyone else gets 403 for both."""
    from goals.models import ReportingRound

    client = login(getattr(staff, role))
    manages = getattr(staff, role).has_perm("goals.manage_reportinground")
    assert manages == (role == "secretariat")
    for page in ROUND_PAGES:
        address = admin_url("reportinground", page, open_round.pk)
        assert client.get(address).status_code == (200 if manages else 403), f"{role} GET {page}"
        assert client.post(address).status_code == (302 if manages else 403), f"{role} POST {page}"
    expected = "published" if role == "secretariat" else "open"
    assert ReportingRound.objects.get(pk=open_round.pk).state == expected


def test_other_offices_drafts_do_not_leak_through_the_deliverable_page(login, staff, open_round):
    import datetime

    from goals.models import Deliverable, ProgressUpdate

    portal = Deliverable.objects.get(initiative__plan__slug="2016-2025", code="9.1")
    ProgressUpdate.objects.create(
        deliverable=portal, round=open_round, status="in_progress", percent_complete=42,
        reported_on=datetime.date(2026, 11, 3), narrative="Thai draft", submitted_by=staff.th,
    )  # fmt: skip
    page = text_of(login(staff.ph).get(reverse("admin:goals_deliverable_change", args=[portal.pk])))
    assert (
        "42" not in page.split('id="progress_updates-group"')[1]
        if 'id="progress_updates-group"' in page
        else True
    )
    assert "Draft" not in page


def test_the_secretariat_links_an_account_to_its_office(login, staff, django_user_model):
    """An account made before invitations (no role, not staff) is given its role and office on
    its page, and can then sign in to the admin."""
    from django.contrib.auth.models import Group

    from goals.models import Body

    newcomer = django_user_model.objects.create_user("newcomer", "n@example.org", "a-long-test-password")
    client = login(staff.secretariat)
    change = reverse("admin:auth_user_change", args=[newcomer.pk])
    assert client.get(change).status_code == 200
    data = {
        "first_name": "New", "last_name": "Comer", "email": "n@example.org", "is_active": "on",
        "role": Group.objects.get(name=roles.FOCAL_POINT).pk, "bodies": [Body.objects.get(slug="myipo").pk],
    }  # fmt: skip
    response = client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    newcomer.refresh_from_db()
    assert newcomer.is_staff and [g.name for g in newcomer.groups.all()] == [roles.FOCAL_POINT]
    assert list(newcomer.access.bodies.values_list("slug", flat=True)) == ["myipo"]


@pytest.mark.parametrize("role", list(EXPECTED))
def test_my_rows_and_the_import_preview_ask_who_may_add_progress(login, staff, open_round, role):
    """The file to start an import from, and the preview's switch to errors only, answer whoever
    may import progress (add it: "a" above) and refuse everyone else."""
    allowed = "a" in EXPECTED[role]["progressupdate"]
    client = login(getattr(staff, role))
    download = client.get(reverse("admin:goals_progressupdate_my_rows"))
    assert (download.status_code == 200) == allowed, download.status_code
    assert download.status_code in (200, 403)
    switch = client.post(reverse("admin:goals_progressupdate_import"), {"checked": "x", "errors_only": "1"})
    assert (switch.status_code == 200) == allowed and switch.status_code in (200, 403)
