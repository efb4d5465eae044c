"""The audit history (tracker.audit): every change to plan, progress and partner records says
who changed which fields; the secretariat downloads the whole log as CSV."""

import csv
import io

import pytest
from django.urls import reverse

from goals import workflow
from goals.models import Deliverable
from tests.helpers import deliverable, form_data

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
