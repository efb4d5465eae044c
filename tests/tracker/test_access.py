"""Who sees and does what in the admin: every role against every kind of record and action
(list, view, add, change, delete, export), including reaching other people's records by address."""

import datetime

import pytest
from django.urls import reverse

from goals.models import Deliverable, MemberState, ProgressUpdate
from partners.models import CooperationProgramme, Involvement
from tests.helpers import text_of

pytestmark = pytest.mark.django_db


def deliverable(code):
    return Deliverable.objects.get(initiative__plan__slug="2016-2025", code=code)


def draft(by, code, state=None, round_=None):
    return ProgressUpdate.objects.create(
        deliverable=deliverable(code),
        member_state=MemberState.objects.get(iso_code=state) if state else None,
        round=round_,
        status="in_progress",
        percent_complete=30,
        reported_on=datetime.date(2026, 11, 10),
        narrative=f"Draft by {by.username} on {code} {state or ''}",
        submitted_by=by,
    )


@pytest.fixture
def drafts(staff, open_round):
    return {
        "ph": draft(staff.ph, "8.1", round_=open_round),  # IPOPHL leads TMview
        "th": draft(staff.th, "9.1", round_=open_round),  # Thailand's office supports the portal
        "ph_row": draft(staff.ph, "5.1", "PH", open_round),  # Madrid accession, Philippine row
        "th_row": draft(staff.th, "5.1", "TH", open_round),
    }


def results(page):
    """The changelist's table of records, without the filter sidebar."""
    start = page.find('id="result_list"')
    return page[start : page.find("</table>", start)] if start >= 0 else ""


def url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


UPDATE = ProgressUpdate

# role, draft key, action, expected status: a focal point reaches only its own bodies' rows.
UPDATE_MATRIX = [
    ("ph", "ph", "change", 200),
    ("ph", "ph_row", "change", 200),
    ("ph", "th", "change", 404),
    ("ph", "th_row", "change", 404),
    ("ph", "ph", "delete", 200),
    ("ph", "th", "delete", 404),
    ("ph", "th", "history", 404),
    ("th", "th", "change", 200),
    ("th", "ph_row", "change", 404),
    ("aspec", "ph", "change", 404),
    ("euipo", "ph", "change", 404),  # partner reporters see approved updates only
    ("viewer", "th", "change", 200),  # read-only, checked below
    ("viewer", "th", "delete", 403),
    ("secretariat", "th_row", "change", 200),
    ("secretariat", "th_row", "delete", 200),
]


@pytest.mark.parametrize(("role", "key", "action", "status"), UPDATE_MATRIX)
def test_progress_update_by_address(login, staff, drafts, role, key, action, status):
    response = login(getattr(staff, role)).get(url(UPDATE, action, drafts[key].pk))
    assert response.status_code == status


@pytest.mark.parametrize(
    ("role", "visible", "hidden"),
    [
        ("ph", ["ph", "ph_row"], ["th", "th_row"]),
        ("th", ["th", "th_row"], ["ph", "ph_row"]),
        ("aspec", [], ["ph", "th", "ph_row", "th_row"]),
        ("euipo", [], ["ph", "th", "ph_row", "th_row"]),
        ("viewer", ["ph", "th", "ph_row", "th_row"], []),
        ("secretariat", ["ph", "th", "ph_row", "th_row"], []),
    ],
)
def test_progress_update_list_and_export(login, staff, drafts, role, visible, hidden):
    client = login(getattr(staff, role))
    page = results(text_of(client.get(url(UPDATE, "changelist"), {"review_state__exact": "draft"})))
    exported = client.post(
        url(UPDATE, "changelist") + "?review_state__exact=draft",
        {"action": "export_csv", "_selected_action": [d.pk for d in drafts.values()]},
    )
    csv_text = b"".join(exported.streaming_content).decode() if exported.status_code == 200 else ""
    for key in visible:
        assert f"/{drafts[key].pk}/change/" in page and drafts[key].narrative in csv_text
    for key in hidden:
        assert f"/{drafts[key].pk}/change/" not in page and drafts[key].narrative not in csv_text


def test_focal_point_sees_approved_progress_only_on_its_own_deliverables(login, staff):
    page = results(login(staff.ph).get(url(UPDATE, "changelist"), {"q": "Madrid Protocol in force"}).text)
    assert "Philippines" in page and "Thailand" not in page


@pytest.mark.parametrize(
    ("role", "status"), [("ph", 200), ("secretariat", 200), ("viewer", 403), ("euipo", 403)]
)
def test_who_may_add_progress(login, staff, role, status):
    assert login(getattr(staff, role)).get(url(UPDATE, "add")).status_code == status


def test_add_form_offers_only_own_deliverables_and_states(login, staff):
    form = login(staff.ph).get(url(UPDATE, "add")).context["adminform"].form
    codes = set(form.fields["deliverable"].queryset.values_list("code", flat=True))
    assert {"8.1", "5.1"} <= codes and "9.1" not in codes and "1.3" not in codes
    assert list(form.fields["member_state"].queryset.values_list("iso_code", flat=True)) == ["PH"]


def test_a_task_force_reports_every_state_row(login, staff):
    form = login(staff.aspec).get(url(UPDATE, "add")).context["adminform"].form
    assert form.fields["member_state"].queryset.count() == 11


def test_autocomplete_offers_only_own_deliverables(login, staff):
    response = login(staff.ph).get(
        reverse("admin:autocomplete"),
        {"app_label": "goals", "model_name": "progressupdate", "field_name": "deliverable", "term": ""},
    )
    names = " ".join(result["text"] for result in response.json()["results"])
    assert "8.1" in names and "9.1" not in names


def test_posting_another_offices_deliverable_is_refused(login, staff, open_round):
    response = login(staff.ph).post(
        url(UPDATE, "add"),
        {
            "deliverable": deliverable("9.1").pk, "round": open_round.pk, "status": "in_progress",
            "percent_complete": "20", "reported_on": "2026-11-12", "reported_on_precision": "day",
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not ProgressUpdate.objects.filter(deliverable__code="9.1", review_state="draft").exists()


def test_viewer_reads_but_cannot_save(login, staff, drafts):
    client = login(staff.viewer)
    page = text_of(client.get(url(UPDATE, "change", drafts["th"].pk)))
    assert 'name="_save"' not in page
    response = client.post(url(UPDATE, "change", drafts["th"].pk), {"percent_complete": "99"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("role", "model_name", "action", "status"),
    [
        # plan structure: everybody reads it, only the secretariat changes it
        ("ph", "deliverable", "changelist", 200),
        ("ph", "deliverable", "add", 403),
        ("euipo", "initiative", "add", 403),
        ("viewer", "actionplan", "add", 403),
        ("secretariat", "deliverable", "add", 200),
        # partners' records: partner reporters add for their own partner; focal points read
        ("euipo", "involvement", "add", 200),
        ("euipo", "cooperationprogramme", "add", 200),
        ("ph", "involvement", "add", 403),
        ("ph", "involvement", "changelist", 200),
        ("viewer", "cooperationprogramme", "changelist", 200),
        ("viewer", "involvement", "add", 403),
        # accounts and audit log are the secretariat's
        ("ph", "user", "changelist", 403),
        ("secretariat", "user", "changelist", 200),
    ],
)
def test_model_level_permissions(login, staff, role, model_name, action, status):
    app = (
        "auth"
        if model_name == "user"
        else "partners"
        if model_name in ("involvement", "cooperationprogramme")
        else "goals"
    )
    response = login(getattr(staff, role)).get(reverse(f"admin:{app}_{model_name}_{action}"))
    assert response.status_code == status


class TestPartnerReporter:
    def test_sees_only_its_partners_involvements_and_programmes(self, login, staff):
        client = login(staff.euipo)
        involvements = results(client.get(url(Involvement, "changelist")).text)
        assert "ASEAN TMview" in involvements and "ASEAN IP Register" not in involvements
        programmes = results(client.get(url(CooperationProgramme, "changelist")).text)
        assert "ARISE+ IPR" in programmes and "KIPO" not in programmes

    def test_other_partners_records_answer_404(self, login, staff):
        wipo = Involvement.objects.filter(partner__slug="wipo").first()
        kipo = CooperationProgramme.objects.get(slug="kipo-asean-moc")
        client = login(staff.euipo)
        assert client.get(url(Involvement, "change", wipo.pk)).status_code == 404
        assert client.get(url(CooperationProgramme, "change", kipo.pk)).status_code == 404
        assert client.get(url(CooperationProgramme, "delete", kipo.pk)).status_code == 404

    def test_choices_name_only_its_partner(self, login, staff):
        form = login(staff.euipo).get(url(Involvement, "add")).context["adminform"].form
        assert list(form.fields["partner"].queryset.values_list("slug", flat=True)) == ["euipo"]

    def test_changes_its_own_programme(self, login, staff):
        arise = CooperationProgramme.objects.get(slug="arise-plus-ipr")
        page = login(staff.euipo).get(url(CooperationProgramme, "change", arise.pk)).text
        assert 'name="_save"' in page


def test_anonymous_visitors_reach_no_admin_page(client, drafts):
    for target in (url(UPDATE, "changelist"), url(UPDATE, "change", drafts["ph"].pk), url(UPDATE, "add")):
        response = client.get(target)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
