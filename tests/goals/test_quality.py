"""Data-quality flags (goals.quality), and the admin's filter by flag."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from goals.models import ProgressUpdate
from tests.helpers import deliverable

pytestmark = pytest.mark.django_db


class TestDataQuality:
    def flags(self, code):
        from goals.quality import flags_for

        target = deliverable(code)
        return flags_for([target], today=datetime.date(2026, 11, 21)).get(target.pk, [])

    def test_completed_without_evidence(self):
        ProgressUpdate.objects.filter(data_key="guidelines-tm-2020").update(evidence_url="")
        assert "completed_without_evidence" in self.flags("1.1")

    def test_percent_inconsistent_with_status(self):
        ProgressUpdate.objects.create(
            deliverable=deliverable("1.3"), status="in_progress", percent_complete=100,
            reported_on=datetime.date(2025, 1, 1), review_state="approved",
        )  # fmt: skip
        assert "percent_inconsistent_with_status" in self.flags("1.3")

    def test_past_planned_end_and_not_completed(self):
        assert "past_planned_end_not_completed" in self.flags("1.3")  # the plan ended in 2025
        assert "past_planned_end_not_completed" not in self.flags("8.7")  # launched in 2023

    def test_stale_after_published_rounds_without_an_update(self, staff):
        call_command("load_plan", "--sample", stdout=io.StringIO())
        stale = [code for code in ("1.3", "5.1") if "stale" in self.flags(code)]
        assert stale == ["5.1"]  # the sample reports on 1.3 every round; nobody reports 5.1

    def test_the_admin_filters_by_flag(self, login, staff):
        page = (
            login(staff.secretariat)
            .get(reverse("admin:goals_deliverable_changelist"), {"quality": "past_planned_end_not_completed"})
            .text
        )
        assert "ASEAN Patent Examination Cooperation" in page and "ASEAN IP Register" not in page
