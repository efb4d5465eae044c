"""The staff admin site (tracker.sites): focal points land on My deliverables, which says what
their offices owe in each open round and opens the form to record it."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.helpers import deliverable, text_of

pytestmark = pytest.mark.django_db


class TestMyDeliverables:
    def test_focal_points_land_on_their_deliverables(self, login, staff, open_round):
        home = login(staff.ph).get(reverse("admin:index"))
        assert home.status_code == 200 and "to record in Test round" in home.text
        assert f'href="{reverse("admin:my-deliverables")}"' in home.text
        page = text_of(login(staff.ph).get(reverse("admin:my-deliverables")))
        assert "17.1 " in page and "9.1 ASEAN IP Portal" not in page
        assert "Test round" in page and "Record progress" in page
        assert f'<a href="{reverse("admin:goals_progressupdate_my_rows")}">Download my rows</a>' in page

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


def record_url(client, code):
    rows = client.get(reverse("admin:my-deliverables")).context["rows"]
    return next(row for row in rows if row["deliverable"].code == code)["record_url"]


def approved(code, state=None, **values):
    from goals.models import ProgressUpdate

    return ProgressUpdate.objects.create(
        deliverable=deliverable(code), member_state=state, review_state="approved",
        reported_on=datetime.date(2025, 6, 1), **values,
    )  # fmt: skip


class TestRecordingFromMyDeliverables:
    def test_the_form_starts_from_the_latest_approved_update_of_that_row(self, login, staff, open_round):
        from goals.models import MemberState

        philippines, thailand = MemberState.objects.get(iso_code="PH"), MemberState.objects.get(iso_code="TH")
        approved(
            "17.1", status="in_progress", percent_complete=40, evidence_url="https://example.org/valuation"
        )
        approved(
            "5.2", philippines, status="in_progress", percent_complete=30, evidence_url="https://e.org/ph"
        )
        approved("5.2", thailand, status="on_hold", percent_complete=10, evidence_url="https://e.org/th")
        client = login(staff.ph)
        initial = client.get(record_url(client, "17.1")).context["adminform"].form.initial
        assert (initial["status"], initial["percent_complete"], initial["evidence_url"]) == (
            "in_progress", 40, "https://example.org/valuation",
        )  # fmt: skip
        initial = client.get(record_url(client, "5.2")).context["adminform"].form.initial
        assert (initial["status"], initial["percent_complete"], initial["evidence_url"]) == (
            "in_progress", 30, "https://e.org/ph",
        )  # fmt: skip

    def test_submit_for_review_is_the_first_and_default_button(self, login, staff, open_round):
        client = login(staff.ph)
        page = text_of(client.get(record_url(client, "17.1")))
        submit = page.index('name="_submit_for_review"')
        assert submit < page.index('name="_save"')
        assert re.search(r'<input type="submit"\s+value="Submit for review"\s+class="default"', page)
        assert re.search(r'<input type="submit" value="Save draft" name="_save">', page)
        assert page.count('class="default"') == 1

    def test_the_member_state_is_asked_only_where_tracked_per_member_state(self, login, staff, open_round):
        client = login(staff.ph)
        regional = client.get(record_url(client, "17.1"))
        assert regional.status_code == 200 and 'name="member_state"' not in regional.text
        by_state = client.get(record_url(client, "5.2"))
        assert 'name="member_state"' in text_of(by_state)
        assert by_state.context["adminform"].form.fields["member_state"].required

    def test_a_state_by_state_row_without_its_state_is_refused_and_nothing_saved(
        self, login, staff, open_round
    ):
        from goals.models import ProgressUpdate

        client = login(staff.ph)
        url = record_url(client, "5.2")
        data = {
            "deliverable": deliverable("5.2").pk, "round": open_round.pk, "status": "in_progress",
            "percent_complete": "20", "reported_on": "2026-11-12", "reported_on_precision": "day",
            "narrative": "No state given", "_submit_for_review": "1",
        }  # fmt: skip
        response = client.post(url.replace("&member_state=", "&was="), data)
        assert response.status_code == 200 and "This field is required." in response.text
        # Opened for 17.1, but the deliverable chosen is tracked per state: the field appears.
        response = client.post(record_url(client, "17.1"), data)
        assert response.status_code == 200 and 'name="member_state"' in response.text
        assert response.context["adminform"].form.errors["member_state"] == ["This field is required."]
        assert not ProgressUpdate.objects.filter(narrative="No state given").exists()

    @pytest.mark.parametrize(("button", "done"), [("_submit_for_review", "submitted for review"),
                                                  ("_save", "saved as a draft")])  # fmt: skip
    def test_saving_leads_back_to_my_deliverables_naming_the_deliverable(
        self, login, staff, open_round, button, done
    ):
        from goals.models import ProgressUpdate

        client = login(staff.ph)
        valuation = deliverable("17.1")
        response = client.post(
            record_url(client, "17.1"),
            {
                "deliverable": valuation.pk, "round": open_round.pk, "status": "in_progress",
                "percent_complete": "55", "reported_on": "2026-11-12", "reported_on_precision": "day",
                "narrative": "Valuation guide drafted", button: "1",
            },
        )  # fmt: skip
        assert response.status_code == 302 and response["Location"] == reverse("admin:my-deliverables")
        page = text_of(client.get(response["Location"]))
        assert f"17.1 {valuation.title}: {done}." in page
        created = ProgressUpdate.objects.get(narrative="Valuation guide drafted")
        assert created.review_state == ("submitted" if button == "_submit_for_review" else "draft")

    def test_a_return_address_elsewhere_is_not_followed(self, login, staff, open_round):
        client = login(staff.ph)
        url = record_url(client, "17.1").replace(
            "next=%2Fadmin%2Fmy-deliverables%2F", "next=https%3A%2F%2Fevil.example%2F"
        )
        response = client.post(
            url,
            {
                "deliverable": deliverable("17.1").pk, "round": open_round.pk, "status": "in_progress",
                "percent_complete": "55", "reported_on": "2026-11-12", "reported_on_precision": "day",
                "_submit_for_review": "1",
            },
        )  # fmt: skip
        assert response.status_code == 302 and response["Location"] == reverse(
            "admin:goals_progressupdate_changelist"
        )
        message = f"17.1 {deliverable('17.1').title}: submitted for review."
        assert message in text_of(client.get(response["Location"]))  # said, on the usual page
