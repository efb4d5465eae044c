"""The audit history (tracker.audit): every change to plan, progress and partner records says
who changed which fields; the secretariat downloads the whole log as CSV."""

import csv
import datetime
import html
import io

import pytest
from django.urls import reverse

from goals import workflow
from goals.models import Deliverable
from tests.helpers import deliverable, download, form_data, text_of

pytestmark = pytest.mark.django_db


class TestAuditHistory:
    def test_admin_changes_record_who_and_which_fields(self, login, staff, update):
        client = login(staff.ph)
        change = reverse("admin:goals_progressupdate_change", args=[update.pk])
        seen = client.get(change).context["adminform"].form["seen_version"].value()
        client.post(change, form_data(update, percent_complete="65", seen_version=seen))
        latest = update.history.latest()
        assert latest.history_user == staff.ph
        assert [c.field for c in latest.diff_against(latest.prev_record).changes] == ["percent_complete"]
        history_page = client.get(reverse("admin:goals_progressupdate_history", args=[update.pk])).text
        assert "ph" in history_page

    def test_plan_structure_and_partner_changes_are_recorded_too(self, login, staff):
        from partners.models import CooperationProgramme

        arise = CooperationProgramme.objects.get(slug="arise-plus-ipr")
        change = reverse("admin:partners_cooperationprogramme_change", args=[arise.pk])
        client = login(staff.euipo)
        form = client.get(change).context["adminform"].form
        data = {name: value for name, value in form.initial.items() if value is not None}
        data.update(
            description="Changed by the partner reporter", seen_version=form["seen_version"].value(),
            co_partners=[], beneficiaries=[p.pk for p in arise.beneficiaries.all()],
            deliverables=[d.pk for d in arise.deliverables.all()],
            **{f"reports-{key}": value for key, value in {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0}.items()},
        )  # fmt: skip
        data = {key: value for key, value in data.items() if not isinstance(value, list) or value}
        assert client.post(change, data).status_code == 302
        latest = arise.history.latest()
        assert latest.history_type == "~" and latest.history_user == staff.euipo
        deleted_pk = deliverable("12.2").pk
        deliverable("12.2").delete()
        assert Deliverable.history.filter(id=deleted_pk, history_type="-").exists()

    def test_the_audit_log_exports_as_csv_for_the_secretariat(self, login, staff, update):
        workflow.submit(update, by=staff.ph)
        response = login(staff.secretariat).get(reverse("admin:audit-log"))
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        mine = [r for r in rows if r["model"] == "progress update" and r["object_id"] == str(update.pk)]
        assert [r["action"] for r in mine] == ["created", "changed"]
        assert (
            "review_state" in mine[1]["changed_fields"].split()
            and mine[1]["reason"] == "Submitted for review"
        )

    def test_the_audit_log_is_not_for_focal_points(self, login, staff):
        assert login(staff.ph).get(reverse("admin:audit-log")).status_code == 403


def audit_log(client, query=""):
    return download(client, reverse("admin:audit-log") + query)


class TestAuditLogFilters:
    """The log runs oldest first and can be narrowed by user, record type and dates."""

    def test_the_log_runs_oldest_first_across_record_types(self, login, staff, update):
        workflow.submit(update, by=staff.ph)
        rows = audit_log(login(staff.secretariat))
        times = [row["changed_at"] for row in rows]
        assert times == sorted(times) and len({row["model"] for row in rows}) > 3

    def test_narrowed_to_a_user_and_a_record_type(self, login, staff, update):
        client = login(staff.ph)
        change = reverse("admin:goals_progressupdate_change", args=[update.pk])
        seen = client.get(change).context["adminform"].form["seen_version"].value()
        assert (
            client.post(change, form_data(update, percent_complete="65", seen_version=seen)).status_code
            == 302
        )
        client = login(staff.secretariat)
        rows = audit_log(client, "?user=ph&record=Progress+update")
        assert [(r["changed_by"], r["model"], r["object_id"], r["action"]) for r in rows] == [
            ("ph", "progress update", str(update.pk), "changed")
        ]
        assert rows[0]["changed_fields"] == "percent_complete"  # against the change before, by another
        assert audit_log(client, "?record=deliverable") and all(
            r["model"] == "deliverable" for r in audit_log(client, "?record=deliverable")
        )

    def test_names_the_person_and_takes_their_e_mail_as_the_user(self, login, staff, update):
        staff.ph.first_name, staff.ph.last_name, staff.ph.email = "Maria", "Santos", "maria@ipophl.example"
        staff.ph.save()
        change = reverse("admin:goals_progressupdate_change", args=[update.pk])
        client = login(staff.ph)
        seen = client.get(change).context["adminform"].form["seen_version"].value()
        assert (
            client.post(change, form_data(update, percent_complete="65", seen_version=seen)).status_code
            == 302
        )
        client = login(staff.secretariat)
        by_email = audit_log(client, "?user=MARIA@ipophl.example&record=progress+update")
        assert [(r["changed_by"], r["changed_by_name"]) for r in by_email] == [("ph", "Maria Santos")]
        assert by_email == audit_log(client, "?user=ph&record=progress+update")

    def test_narrowed_to_a_date_range(self, login, staff, update):
        from django.utils import timezone

        older = update.history.earliest()
        older.history_date = timezone.make_aware(datetime.datetime(2026, 1, 15, 12))
        older.save()
        workflow.submit(update, by=staff.ph)
        client = login(staff.secretariat)
        january = audit_log(client, "?record=progress+update&since=2026-01-15&until=2026-01-15")
        assert [(r["object_id"], r["action"]) for r in january] == [(str(update.pk), "created")]
        today = timezone.localdate().isoformat()
        later = audit_log(client, f"?record=progress+update&since=2026-01-16&until={today}")
        mine = [r for r in later if r["object_id"] == str(update.pk)]
        assert [r["action"] for r in mine] == ["changed"]
        assert "review_state" in mine[0]["changed_fields"].split()  # against the change before the range

    @pytest.mark.parametrize(
        ("query", "reason"),
        [
            ("?user=nobody", "There is no user"),
            ("?record=spaceship", "There is no record type"),
            ("?since=22+Nov+2026", "must be a date written as YYYY-MM-DD"),
            ("?until=2026-02-30", "must be a date written as YYYY-MM-DD"),
            ("?since=2026-12-01&until=2026-11-01", "ends before it starts"),
            ("?sort=desc", "does not take 'sort'"),
        ],
    )
    def test_bad_filters_are_refused_with_the_reason(self, login, staff, query, reason):
        response = login(staff.secretariat).get(reverse("admin:audit-log") + query)
        assert response.status_code == 400 and reason in html.unescape(response.content.decode())

    def test_the_admin_home_offers_the_filters(self, login, staff):
        page = text_of(login(staff.secretariat).get(reverse("admin:index")))
        assert 'id="audit-log-filter"' in page and "<option>progress update</option>" in page

    def test_the_admin_home_offers_the_people_by_name(self, login, staff):
        staff.ph.first_name, staff.ph.last_name = "Maria", "Santos"
        staff.ph.save()
        page = text_of(login(staff.secretariat).get(reverse("admin:index")))
        assert '<option value="ph">Maria Santos</option>' in page

    @pytest.mark.parametrize("role", ["ph", "euipo", "viewer"])
    def test_the_home_page_offers_the_log_only_to_whom_it_serves(self, login, staff, role):
        client = login(getattr(staff, role))
        page = client.get(reverse("admin:index"))
        assert page.status_code == 200
        assert reverse("admin:audit-log") not in page.content.decode()
        assert client.get(reverse("admin:audit-log")).status_code == 403


def test_pages_date_a_record_as_the_public_site_does_and_the_audit_log_by_iso(login, staff, update):
    from goals.models import ProgressUpdate

    ProgressUpdate.objects.filter(pk=update.pk).update(reported_on=datetime.date(2026, 12, 1))
    update.refresh_from_db()
    assert str(update).endswith("(1 Dec 2026)") and update.data_name.endswith("(2026-12-01)")
    client = login(staff.secretariat)
    page = text_of(client.get(reverse("admin:goals_progressupdate_change", args=[update.pk])))
    assert "(1 Dec 2026)" in page and "(2026-12-01)" not in page
    update.save()  # a change the audit log records
    names = {row["object"] for row in audit_log(client) if row["model"] == "progress update"}
    assert f"{update.deliverable.code}: {update.get_status_display()} (2026-12-01)" in names
