"""The staff admin site (tracker.sites): focal points land on My deliverables, which says what
their offices owe in each open round and opens the form to record it."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


class TestMyDeliverables:
    def test_focal_points_land_on_their_deliverables(self, login, staff, open_round):
        home = login(staff.ph).get(reverse("admin:index"))
        assert home.status_code == 200 and "to record in Test round" in home.text
        assert f'href="{reverse("admin:my-deliverables")}"' in home.text
        page = login(staff.ph).get(reverse("admin:my-deliverables")).text
        assert "8.1 ASEAN TMview" in page and "9.1 ASEAN IP Portal" not in page
        assert "Test round" in page and "Record progress" in page

    def test_record_progress_opens_a_filled_in_form(self, login, staff, open_round):
        client = login(staff.ph)
        rows = client.get(reverse("admin:my-deliverables")).context["rows"]
        tmview = next(row for row in rows if row["deliverable"].code == "8.1")
        form = client.get(tmview["record_url"]).context["adminform"].form
        assert form.initial["deliverable"] == str(tmview["deliverable"].pk)
        assert form.initial["round"] == str(open_round.pk)

    def test_a_state_row_is_prefilled_with_the_state(self, login, staff, open_round):
        rows = login(staff.ph).get(reverse("admin:my-deliverables")).context["rows"]
        hague = next(row for row in rows if row["deliverable"].code == "5.2")
        assert hague["member_state"].iso_code == "PH" and "member_state=" in hague["record_url"]

    def test_done_work_is_not_asked_for_by_the_same_rule_as_missing_reports(self, login, staff, open_round):
        from goals.rounds import missing_reports

        rows = login(staff.th).get(reverse("admin:my-deliverables")).context["rows"]
        thai = [row for row in rows if row["member_state"] and row["member_state"].iso_code == "TH"]
        by_code = {row["deliverable"].code: row for row in thai}
        assert by_code["5.1"]["nothing_owed"] == "completed for Thailand"  # Madrid since 2017
        assert by_code["5.2"]["nothing_owed"] == ""  # not yet in the Hague system
        missing = {(m.deliverable.code, m.member_state.iso_code) for m in missing_reports(open_round)
                   if m.member_state}  # fmt: skip
        assert ("5.1", "TH") not in missing and ("5.2", "TH") in missing
        page = login(staff.th).get(reverse("admin:my-deliverables")).text
        assert "Nothing owed: completed for Thailand" in page

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
