"""Reporting rounds (goals.rounds): the reports a round is missing, kept as they were once it is
published, and what changed since the round before."""

import datetime
import re

import pytest
from django.urls import reverse

from goals import workflow
from goals.models import Deliverable, MemberState, ProgressUpdate, ReportingRound
from tests.helpers import deliverable, text_of

pytestmark = pytest.mark.django_db


class TestRounds:
    def test_missing_reports_count_submissions_not_drafts(self, login, staff, open_round):
        missing = reverse("admin:goals_reportinground_missing", args=[open_round.pk])
        client = login(staff.secretariat)
        aspec_row = re.compile(
            r"ASEAN Patent Examination Cooperation Task Force \(ASPEC TF\)</td>\s*<td>\s*<a"
        )
        assert aspec_row.search(client.get(missing).text)  # 1.3 is owed by the task force and IPOS
        draft = ProgressUpdate.objects.create(
            deliverable=deliverable("1.3"), round=open_round, status="in_progress", percent_complete=50,
            reported_on=datetime.date(2026, 11, 12), submitted_by=staff.aspec,
        )  # fmt: skip
        assert aspec_row.search(client.get(missing).text)  # a draft is not a report
        workflow.submit(draft, by=staff.aspec)
        assert not aspec_row.search(text_of(client.get(missing)))
        assert "Department of Intellectual Property, Lao PDR" in client.get(missing).text  # still owes Hague

    def test_state_rows_already_completed_are_not_chased(self, open_round):
        from goals.rounds import missing_reports

        items = [(m.body.slug, m.deliverable.code, m.member_state) for m in missing_reports(open_round)]
        thailand = MemberState.objects.get(iso_code="TH")
        assert ("th-dip", "5.1", thailand) not in items  # Thailand joined Madrid in 2017
        assert ("th-dip", "5.2", thailand) in items  # not yet in the Hague system

    def test_a_published_rounds_missing_reports_stay_as_they_were_then(self, staff, open_round):
        """Completing work after a round does not take it off that round's missing reports."""
        from goals.rounds import missing_reports

        workflow.move_round(open_round, "close", by=staff.secretariat)
        workflow.move_round(open_round, "publish", by=staff.secretariat)
        owed = [m for m in missing_reports(open_round) if m.deliverable.code == "5.2" and m.member_state]
        assert "TH" in [m.member_state.iso_code for m in owed]
        thailand = MemberState.objects.get(iso_code="TH")
        ProgressUpdate.objects.create(
            deliverable=deliverable("5.2"), member_state=thailand, status="completed", percent_complete=100,
            reported_on=datetime.date(2027, 1, 1), review_state="approved", evidence_url="https://e.org/",
        )  # fmt: skip
        after = [m for m in missing_reports(open_round) if m.deliverable.code == "5.2" and m.member_state]
        assert "TH" in [m.member_state.iso_code for m in after]

    def test_changes_leave_out_what_had_and_has_no_data(self, staff, update, open_round):
        from goals.models import Initiative
        from goals.progress import cached_plan_data
        from goals.rounds import changes_since_previous

        workflow.move_round(open_round, "close", by=staff.secretariat)
        workflow.move_round(open_round, "publish", by=staff.secretariat)
        later = ReportingRound.objects.create(
            plan=open_round.plan, name="Later", opens_on=datetime.date(2027, 1, 1),
            closes_on=datetime.date(2027, 2, 1), state="published",
        )  # fmt: skip
        initiative = Initiative.objects.get(plan=open_round.plan, number=8)
        Deliverable.objects.create(initiative=initiative, code="8.98", title="Added after the first round")
        _previous, changes = changes_since_previous(cached_plan_data(open_round.plan), later)
        assert [c.deliverable.code for c in changes] == []  # nothing moved; the new one has no data

    def test_changes_since_the_previous_round(self, login, staff, update):
        workflow.submit(update, by=staff.ph)
        workflow.approve(update, by=staff.secretariat)
        page = (
            login(staff.secretariat)
            .get(reverse("admin:goals_reportinground_changes", args=[update.round_id]))
            .text
        )
        assert "8.1 ASEAN TMview" in page and "60\u00a0%" in page
