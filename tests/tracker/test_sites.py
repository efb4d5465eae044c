"""The staff admin site (tracker.sites): focal points land on My deliverables, which says what
their offices owe in each open round and opens the form to record it."""

import datetime

import pytest
from django.urls import reverse

from tests.helpers import text_of

pytestmark = pytest.mark.django_db


class TestMyDeliverables:
    def test_focal_points_land_on_their_deliverables(self, login, staff, open_round):
        response = login(staff.ph).get(reverse("admin:index"))
        assert response.status_code == 302 and response["Location"] == reverse("admin:my-deliverables")
        page = text_of(login(staff.ph).get(reverse("admin:my-deliverables")))
        assert "17.1 " in page and "9.1 ASEAN IP Portal" not in page
        assert "Test round" in page and "Record progress" in page

    def test_record_progress_opens_a_filled_in_form(self, login, staff, open_round):
        client = login(staff.ph)
        rows = client.get(reverse("admin:my-deliverables")).context["rows"]
        valuation = next(row for row in rows if row["deliverable"].code == "17.1")
        form = client.get(valuation["record_url"]).context["adminform"].form
        assert form.initial["deliverable"] == str(valuation["deliverable"].pk)
        assert form.initial["round"] == str(open_round.pk)

    def test_a_state_row_is_prefilled_with_the_state(self, login, staff, open_round):
        rows = login(staff.ph).get(reverse("admin:my-deliverables")).context["rows"]
        hague = next(row for row in rows if row["deliverable"].code == "5.2")
        assert hague["member_state"].iso_code == "PH" and "member_state=" in hague["record_url"]

    def test_only_what_is_due_is_listed_by_the_same_rule_as_missing_reports(self, login, staff, open_round):
        from goals.rounds import missing_reports

        missing = {
            (m.deliverable.code, m.member_state.iso_code if m.member_state else None)
            for m in missing_reports(open_round)
            if str(m.body) == "Department of Intellectual Property, Thailand"
            or getattr(m.body, "slug", "") == "th-dip"
        }
        response = login(staff.th).get(reverse("admin:my-deliverables"))
        page = text_of(response)
        rows = {
            (row["deliverable"].code, row["member_state"].iso_code if row["member_state"] else None)
            for row in response.context["rows"]
        }
        assert rows == missing and ("5.2", "TH") in rows  # not yet in the Hague system
        assert "5.1 " not in page  # Thailand joined the Madrid Protocol in 2017: nothing to chase
        assert "Nothing owed" not in page

    def test_a_plan_without_an_open_round_says_so(self, login, staff, open_round):
        from goals.models import ActionPlan, ReportingRound

        open_round.state = ReportingRound.State.CLOSED
        open_round.save()
        ReportingRound.objects.create(
            plan=ActionPlan.objects.get(slug="2026-2030"), name="First round of the new plan",
            opens_on=datetime.date(2026, 11, 1), closes_on=datetime.date(2026, 12, 15),
            state=ReportingRound.State.OPEN,
        )  # fmt: skip
        page = text_of(login(staff.ph).get(reverse("admin:my-deliverables")))
        assert "No reporting round is open for the ASEAN IPR Action Plan 2016-2025" in page
        assert "Record progress" not in page and 'id="my-deliverables"' not in page

    def test_an_open_round_s_dates_never_put_a_past_date_in_the_future(self, login, staff, open_round):
        import datetime

        page = login(staff.ph).get(reverse("admin:my-deliverables"))
        closes = open_round.closes_on
        if closes >= datetime.date.today():
            assert f"open for reporting; closes on {closes.day} {closes:%b %Y}." in page.text
        open_round.closes_on = datetime.date.today() - datetime.timedelta(days=2)
        open_round.opens_on = open_round.closes_on - datetime.timedelta(days=30)
        open_round.save()
        page = login(staff.ph).get(reverse("admin:my-deliverables"))
        closed = open_round.closes_on
        assert page.status_code == 200
        assert f"still open for reporting (planned to close on {closed.day} {closed:%b %Y})." in page.text
        missing = login(staff.secretariat).get(
            reverse("admin:goals_reportinground_missing", args=[open_round.pk])
        )
        assert missing.status_code == 200 and "still open for reporting (planned to close on" in missing.text

    def test_the_secretariat_keeps_the_usual_index(self, login, staff):
        assert login(staff.secretariat).get(reverse("admin:index")).status_code == 200
