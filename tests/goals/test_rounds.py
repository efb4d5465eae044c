"""Reporting rounds (goals.rounds, goals.round_admin): the reports a round is missing, kept as
they were once it is published, and what changed since the round before; the round's buttons and
their confirmation pages; the missing reports' focal points, CSV and reminders."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from goals import workflow
from goals.models import Deliverable, MemberState, ProgressUpdate, ReportingRound, RoundSnapshot
from goals.rounds import missing_reports
from tests.helpers import deliverable, download, text_of

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


def url(name, reporting_round):
    return reverse(f"admin:goals_reportinground_{name}", args=[reporting_round.pk])


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


class TestRoundButtons:
    """The round's page moves it with buttons, each through a page saying what will happen."""

    def test_the_round_page_offers_the_moves_its_state_allows(self, login, staff, open_round):
        page = text_of(login(staff.secretariat).get(url("change", open_round)))
        assert f'href="{url("close", open_round)}"' in page and f'href="{url("publish", open_round)}"' in page
        assert url("open", open_round) not in page and url("reopen", open_round) not in page
        assert (
            f'href="{url("missing", open_round)}"' in page and f'href="{url("changes", open_round)}"' in page
        )
        assert "Meeting pack" not in page  # not published yet

    @pytest.mark.parametrize("role", ["ph", "viewer", "euipo"])
    def test_others_see_no_buttons_and_may_not_move(self, login, staff, open_round, role):
        client = login(getattr(staff, role))
        page = text_of(client.get(url("change", open_round)))
        assert url("close", open_round) not in page and url("publish", open_round) not in page
        for move in ["open", "close", "reopen", "publish"]:
            assert client.get(url(move, open_round)).status_code == 403
            assert client.post(url(move, open_round)).status_code == 403
        assert ReportingRound.objects.get(pk=open_round.pk).state == "open"

    def test_publishing_says_what_it_does_before_doing_it(self, login, staff, open_round, update):
        workflow.submit(update, by=staff.ph)
        client = login(staff.secretariat)
        page = text_of(client.get(url("publish", open_round)))
        assert "This cannot be undone" in page and "publishing closes it first" in page
        assert "1 update still waiting for review" in page and "0 approved updates in this round" in page
        assert "closes on 15 Dec 2026" in page
        assert ReportingRound.objects.get(pk=open_round.pk).state == "open"  # asking changes nothing

        response = client.post(url("publish", open_round), follow=True)
        assert response.redirect_chain[-1][0] == url("change", open_round)
        assert "Test round: published." in messages_of(response)
        published = ReportingRound.objects.get(pk=open_round.pk)
        assert published.state == "published" and published.closed_at is not None
        assert RoundSnapshot.objects.filter(round=published).exists()
        page = text_of(response)
        pack = reverse("meeting-pack", kwargs={"plan": "2016-2025", "pk": published.pk})
        assert f'href="{pack}"' in page
        assert url("reopen", published) not in page and url("publish", published) not in page

    def test_close_then_reopen(self, login, staff, open_round):
        client = login(staff.secretariat)
        assert "can no longer submit progress" in text_of(client.get(url("close", open_round)))
        client.post(url("close", open_round))
        assert ReportingRound.objects.get(pk=open_round.pk).state == "closed"
        page = text_of(client.get(url("change", open_round)))
        assert f'href="{url("reopen", open_round)}"' in page and url("close", open_round) not in page
        assert "Nothing public changes" in text_of(client.get(url("reopen", open_round)))
        response = client.post(url("reopen", open_round), follow=True)
        assert "Test round: reopened." in messages_of(response)
        assert ReportingRound.objects.get(pk=open_round.pk).state == "open"

    def test_a_refused_move_says_why_and_changes_nothing(self, login, staff, open_round):
        planned = ReportingRound.objects.create(
            plan=open_round.plan, name="Next", opens_on=datetime.date(2027, 3, 1),
            closes_on=datetime.date(2027, 4, 1),
        )  # fmt: skip
        client = login(staff.secretariat)
        assert "Test round is still open; close it first" in text_of(client.get(url("open", planned)))
        response = client.post(url("open", planned), follow=True)
        assert response.status_code == 200
        assert messages_of(response) == ["Next: Test round is still open; close it first."]
        assert ReportingRound.objects.get(pk=planned.pk).state == "planned"
        published = ReportingRound.objects.create(
            plan=open_round.plan, name="Old", opens_on=datetime.date(2025, 3, 1),
            closes_on=datetime.date(2025, 4, 1), state="published",
        )  # fmt: skip
        assert "cannot be reopened" in text_of(client.get(url("reopen", published)))
        response = client.post(url("reopen", published), follow=True)
        assert "Old: Only a round that is closed can be reopened; Old is published." in messages_of(response)
        assert ReportingRound.objects.get(pk=published.pk).state == "published"

    def test_rounds_move_only_by_their_pages_buttons_not_by_bulk_actions(self, login, staff, open_round):
        changelist = reverse("admin:goals_reportinground_changelist")
        client = login(staff.secretariat)
        page = text_of(client.get(changelist))
        for action in ("open_rounds", "close_rounds", "publish_rounds"):
            assert f'value="{action}"' not in page
        client.post(changelist, {"action": "close_rounds", "_selected_action": [open_round.pk]})
        assert ReportingRound.objects.get(pk=open_round.pk).state == "open"

    def test_the_round_list_links_each_rounds_reports_in_short(self, login, staff, open_round):
        page = text_of(login(staff.secretariat).get(reverse("admin:goals_reportinground_changelist")))
        assert f'<a href="{url("missing", open_round)}">Missing</a>' in page
        assert f'<a href="{url("changes", open_round)}">Changes</a>' in page
        assert "1\u00a0Nov\u00a0– 15\u00a0Dec\u00a02026" in page
        assert '<td class="field-plan_period">2016-2025</td>' in page


class TestMissingReports:
    def test_each_missing_report_names_its_focal_points(self, login, staff, open_round):
        staff.ph.first_name, staff.ph.last_name = "Maria", "Santos"
        staff.ph.save()
        page = text_of(login(staff.secretariat).get(url("missing", open_round)))
        row = re.search(r"Intellectual Property Office of the Philippines.*?</tr>", page, re.S).group(0)
        assert "Maria Santos" in row and 'href="mailto:ph@example.org"' in row
        lao = re.search(r"Department of Intellectual Property, Lao PDR.*?</tr>", page, re.S).group(0)
        assert "No focal point" in lao

    @pytest.mark.parametrize("role", ["ph", "viewer"])
    def test_focal_points_addresses_are_for_the_secretariat_only(self, login, staff, open_round, role):
        client = login(getattr(staff, role))
        page = text_of(client.get(url("missing", open_round)))
        assert "Intellectual Property Office of the Philippines" in page
        assert "th@example.org" not in page and "mailto:" not in page and "Focal points" not in page
        rows = download(client, url("missing", open_round) + "?format=csv")
        assert rows and "focal_point_emails" not in rows[0] and "focal_points" not in rows[0]

    def test_deliverables_nobody_is_responsible_for_are_listed_as_such(self, login, staff, open_round):
        page = text_of(login(staff.secretariat).get(url("missing", open_round)))
        unassigned = page.split("Deliverables no body is responsible for")[1]
        assert "8.3 ASEAN TMclass" in unassigned
        assert "8.1 ASEAN TMview" not in unassigned  # completed: nothing owed

    def test_missing_reports_export_as_safe_csv(self, login, staff, open_round):
        from goals.models import Body

        Body.objects.filter(slug="ipophl").update(name='=HYPERLINK("http://evil.example")')
        rows = download(login(staff.secretariat), url("missing", open_round) + "?format=csv")
        ph = [r for r in rows if r["focal_point_emails"] == "ph@example.org"]
        assert ph and ph[0]["body"].startswith('\'=HYPERLINK("http://evil.example")')
        assert {r["deliverable_code"] for r in ph} >= {"5.2"}
        unassigned = [r for r in rows if r["body"] == ""]
        assert "8.3" in [r["deliverable_code"] for r in unassigned]
        assert unassigned[0]["note"] == "No body leads or implements this deliverable."

    def test_a_published_rounds_missing_reports_stay_frozen_on_the_page_and_in_the_file(
        self, login, staff, open_round
    ):
        workflow.move_round_through(open_round, "publish", by=staff.secretariat)
        client = login(staff.secretariat)
        page = text_of(client.get(url("missing", open_round)))
        assert "Intellectual Property Office of the Philippines" in page
        assert "Deliverables no body is responsible for" not in page  # not part of what was published
        assert url("remind", open_round) not in page
        rows = download(client, url("missing", open_round) + "?format=csv")
        assert len(rows) == len(missing_reports(open_round)) and all(r["body"] for r in rows)

    def test_an_unknown_format_is_refused(self, login, staff, open_round):
        response = login(staff.secretariat).get(url("missing", open_round) + "?format=ods")
        assert response.status_code == 400 and "Unknown format" in response.text


class TestReminders:
    def test_a_focal_point_of_two_bodies_owing_the_same_report_is_told_once(
        self, staff, open_round, django_user_model
    ):
        from goals.models import Body, Responsibility
        from goals.rounds import reminders
        from tests.conftest import make_staff
        from tracker.core import roles

        Responsibility.objects.create(body=Body.objects.get(slug="aniee"), deliverable=deliverable("17.1"),
                                      role=Responsibility.Role.IMPLEMENTING)  # fmt: skip
        both = make_staff(django_user_model, "both", roles.FOCAL_POINT, bodies=["ipophl", "aniee"])
        missing = missing_reports(open_round)
        assert [m.body.slug for m in missing if m.deliverable.code == "17.1"] == ["aniee", "ipophl"]
        mine = next(r for r in reminders(missing) if r.person == both)
        assert [str(item) for item in mine.items].count("17.1 Study of IP valuation best practice") == 1

    def test_the_preview_says_who_gets_what(self, login, staff, open_round):
        staff.th.email = ""
        staff.th.save()
        client = login(staff.secretariat)
        assert f'href="{url("remind", open_round)}"' in text_of(client.get(url("missing", open_round)))
        page = text_of(client.get(url("remind", open_round)))
        ph = re.search(r"<td>ph</td>.*?</tr>", page, re.S).group(0)
        assert "ph@example.org" in ph and "5.2 Accession to the Hague Agreement" in ph
        th = re.search(r"<td>th</td>.*?</tr>", page, re.S).group(0)
        assert "Unreachable: no e-mail address" in th
        assert "Missing reports with no focal point to remind" in page
        assert 'value="Send 2 reminders"' in page
        assert mail.outbox == []  # the preview sends nothing

    def test_sending_mails_each_focal_point_once(
        self, login, staff, open_round, django_capture_on_commit_callbacks
    ):
        staff.th.email = ""
        staff.th.save()
        with django_capture_on_commit_callbacks(execute=True):
            response = login(staff.secretariat).post(url("remind", open_round), follow=True)
        assert response.redirect_chain[-1][0] == url("missing", open_round)
        assert "2 reminders sent." in messages_of(response)
        assert "No e-mail address, not reminded: th." in messages_of(response)
        assert sorted(m.to[0] for m in mail.outbox) == ["aspec@example.org", "ph@example.org"]
        to_ph = next(m for m in mail.outbox if m.to == ["ph@example.org"])
        assert "5.2 Accession to the Hague Agreement (Geneva Act 1999) (Philippines)" in to_ph.body
        assert "15 Dec 2026" in to_ph.subject

    @pytest.mark.parametrize("role", ["ph", "viewer", "euipo"])
    def test_only_the_secretariat_sends_reminders(
        self, login, staff, open_round, role, django_capture_on_commit_callbacks
    ):
        client = login(getattr(staff, role))
        assert url("remind", open_round) not in text_of(client.get(url("missing", open_round)))
        assert client.get(url("remind", open_round)).status_code == 403
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(url("remind", open_round)).status_code == 403
        assert mail.outbox == []

    def test_no_reminders_for_a_round_not_open(
        self, login, staff, open_round, django_capture_on_commit_callbacks
    ):
        workflow.move_round(open_round, "close", by=staff.secretariat)
        client = login(staff.secretariat)
        assert url("remind", open_round) not in text_of(client.get(url("missing", open_round)))
        assert "reminders are sent only while a round is open" in text_of(
            client.get(url("remind", open_round))
        )
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url("remind", open_round), follow=True)
        assert "Test round is not open for reporting: no reminders were sent." in messages_of(response)
        assert mail.outbox == []
