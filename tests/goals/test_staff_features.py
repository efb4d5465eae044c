"""No lost edits, the audit history, evidence files, reporting rounds (moves, snapshot,
missing reports, changes), reminders, data-quality flags and the My deliverables page."""

import csv
import datetime
import difflib
import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from goals import workflow
from goals.models import (
    Body,
    Deliverable,
    MemberState,
    ProgressUpdate,
    ReportingRound,
    Responsibility,
    RoundSnapshot,
)
from tests.helpers import text_of

pytestmark = pytest.mark.django_db


def deliverable(code):
    return Deliverable.objects.get(initiative__plan__slug="2016-2025", code=code)


@pytest.fixture
def update(staff, open_round):
    return ProgressUpdate.objects.create(
        deliverable=deliverable("8.1"), round=open_round, status="in_progress", percent_complete=60,
        reported_on=datetime.date(2026, 11, 10), narrative="First version", submitted_by=staff.ph,
    )  # fmt: skip


def form_data(update, **changes):
    data = {
        "deliverable": update.deliverable_id, "round": update.round_id, "status": update.status,
        "percent_complete": str(update.percent_complete), "reported_on": str(update.reported_on),
        "reported_on_precision": "day", "narrative": update.narrative,
    }  # fmt: skip
    return {**data, **changes}


class TestNoLostEdits:
    def test_the_second_of_two_concurrent_saves_is_refused_and_says_what_changed(self, client, staff, update):
        change = reverse("admin:goals_progressupdate_change", args=[update.pk])
        client.force_login(staff.ph)
        first_form = client.get(change).context["adminform"].form
        seen = first_form["seen_version"].value()

        from django.test import Client

        other = Client()
        other.force_login(staff.secretariat)
        other_seen = other.get(change).context["adminform"].form["seen_version"].value()
        assert (
            other.post(change, form_data(update, percent_complete="75", seen_version=other_seen)).status_code
            == 302
        )

        response = client.post(change, form_data(update, narrative="My overwrite", seen_version=seen))
        assert response.status_code == 200
        assert "someone else changed this record" in response.text
        assert "sec saved it" in response.text and "percent complete" in response.text
        update.refresh_from_db()
        assert (update.percent_complete, update.narrative) == (75, "First version")

    def test_a_save_without_interference_goes_through(self, client, staff, update):
        change = reverse("admin:goals_progressupdate_change", args=[update.pk])
        client.force_login(staff.ph)
        seen = client.get(change).context["adminform"].form["seen_version"].value()
        assert (
            client.post(change, form_data(update, narrative="Edited", seen_version=seen)).status_code == 302
        )
        assert ProgressUpdate.objects.get(pk=update.pk).narrative == "Edited"


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


def missing_reports_of(reporting_round):
    from goals.rounds import missing_reports

    return [
        (str(m.body), m.deliverable.code, str(m.member_state or "")) for m in missing_reports(reporting_round)
    ]


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def office_file(parts):
    """An Office-style zip package with these parts (None: a damaged one)."""
    import zipfile

    if parts is None:
        return b"PK\x03\x04" + b"\x00" * 200
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in parts.items():
            package.writestr(name, content)
    return buffer.getvalue()


class TestEvidence:
    def upload(self, client, update, name, content):
        change = reverse("admin:goals_progressupdate_change", args=[update.pk])
        seen = client.get(change).context["adminform"].form["seen_version"].value()
        data = form_data(update, seen_version=seen, evidence_file=SimpleUploadedFile(name, content))
        return client.post(change, data)

    def test_a_pdf_is_accepted_and_private_until_approved(
        self, login, staff, update, client, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path
        assert self.upload(login(staff.ph), update, "launch.pdf", PDF).status_code == 302
        update.refresh_from_db()
        url = reverse("evidence", args=[update.pk])
        assert login(staff.ph).get(url).status_code == 200
        assert login(staff.th).get(url).status_code == 404
        client.logout()
        assert client.get(url).status_code == 404
        workflow.submit(update, by=staff.ph)
        workflow.approve(update, by=staff.secretariat)
        response = client.get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("tool.exe", b"MZ\x90\x00", "are not accepted"),
            ("fake.pdf", b"<html>not a pdf</html>", "does not match its .pdf extension"),
            ("notes.txt", b"\xff\xfe\xfa binary", "not plain UTF-8 text"),
        ],
    )
    def test_wrong_types_are_refused(self, login, staff, update, settings, tmp_path, name, content, message):
        settings.MEDIA_ROOT = tmp_path
        response = self.upload(login(staff.ph), update, name, content)
        assert response.status_code == 200 and message in response.text
        assert not ProgressUpdate.objects.get(pk=update.pk).evidence_file

    def test_files_over_the_limit_are_refused(self, login, staff, update, settings, tmp_path):
        settings.MEDIA_ROOT, settings.EVIDENCE_MAX_BYTES = tmp_path, 1024
        response = self.upload(login(staff.ph), update, "big.pdf", PDF + b" " * 2048)
        assert "evidence files can be at most 1.0" in response.text

    @pytest.mark.parametrize(
        ("parts", "message"),
        [
            ({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\0" * 3_000_000}, "unpacks to 2.9"),
            ({"word/document.xml": b"<w:document/>"}, "is not an Office document"),
            (None, "is damaged"),
        ],
        ids=["zip-bomb", "not-office", "damaged"],
    )
    def test_office_files_must_be_sane_packages(
        self, login, staff, update, settings, tmp_path, parts, message
    ):
        settings.MEDIA_ROOT, settings.EVIDENCE_MAX_UNPACKED_BYTES = tmp_path, 1_000_000
        response = self.upload(login(staff.ph), update, "report.docx", office_file(parts))
        assert response.status_code == 200 and message in response.text
        assert not ProgressUpdate.objects.get(pk=update.pk).evidence_file

    def test_a_real_office_file_is_accepted(self, login, staff, update, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        parts = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document>Launch</w:document>"}
        assert self.upload(login(staff.ph), update, "report.docx", office_file(parts)).status_code == 302
        assert ProgressUpdate.objects.get(pk=update.pk).evidence_file.name.endswith(".docx")

    def test_a_request_over_the_size_limit_is_refused_before_it_is_read(self, login, staff, update, settings):
        change = reverse("admin:goals_progressupdate_change", args=[update.pk])
        client = login(staff.ph)
        response = client.generic("POST", change, b"x" * 100, "multipart/form-data; boundary=x",
                                  CONTENT_LENGTH=str(200 * 1024 * 1024))  # fmt: skip
        assert response.status_code == 413 and b"at most" in response.content
        assert "Permissions-Policy" in response  # answered with the security headers

    def test_a_missing_file_is_404_to_the_public_and_shown_to_staff(
        self, client, login, staff, update, settings
    ):
        tmp_path = settings.BASE_DIR / "no-such-media-folder"
        settings.MEDIA_ROOT = tmp_path
        ProgressUpdate.objects.filter(pk=update.pk).update(
            evidence_file="evidence/gone.pdf", review_state="approved"
        )
        response = client.get(reverse("evidence", args=[update.pk]))
        assert response.status_code == 404 and "missing from the server" in response.text
        for role in ("secretariat", "ph", "viewer"):
            page = login(getattr(staff, role)).get(
                reverse("admin:goals_progressupdate_change", args=[update.pk])
            )
            assert page.status_code == 200, role

    def test_completed_needs_evidence(self, login, staff, update):
        client = login(staff.ph)
        change = reverse("admin:goals_progressupdate_change", args=[update.pk])
        seen = client.get(change).context["adminform"].form["seen_version"].value()
        response = client.post(
            change, form_data(update, status="completed", percent_complete="", seen_version=seen)
        )
        assert "Completed progress needs evidence" in response.text


class TestRounds:
    def move(self, client, reporting_round, action):
        return client.post(
            reverse("admin:goals_reportinground_changelist"),
            {"action": action, "_selected_action": [reporting_round.pk]},
            follow=True,
        )

    def test_open_close_publish_in_order_only(self, login, staff, open_round):
        client = login(staff.secretariat)
        page = self.move(client, open_round, "publish_rounds").text
        assert "Only a round that is closed can be published" in page
        self.move(client, open_round, "close_rounds")
        self.move(client, open_round, "publish_rounds")
        open_round.refresh_from_db()
        assert open_round.state == "published" and RoundSnapshot.objects.filter(round=open_round).exists()

    def test_only_one_open_round_per_plan(self, login, staff, open_round):
        another = ReportingRound.objects.create(
            plan=open_round.plan,
            name="Next",
            opens_on=datetime.date(2027, 3, 1),
            closes_on=datetime.date(2027, 4, 1),
        )
        page = self.move(login(staff.secretariat), another, "open_rounds").text
        assert "is still open; close it first" in page

    def test_focal_points_cannot_move_rounds(self, login, staff, open_round):
        self.move(login(staff.ph), open_round, "close_rounds")
        assert ReportingRound.objects.get(pk=open_round.pk).state == "open"

    def test_published_figures_do_not_change_with_later_edits(self, staff, update, client):
        workflow.submit(update, by=staff.ph)
        workflow.approve(update, by=staff.secretariat)
        workflow.move_round(update.round, "close", by=staff.secretariat)
        workflow.move_round(update.round, "publish", by=staff.secretariat)
        page = f"/plans/2016-2025/initiatives/8/?round={update.round_id}"
        assert "60\u00a0%" in client.get(page).text
        workflow.unapprove(update, by=staff.secretariat, reason="Figure was provisional")
        assert "60\u00a0%" in client.get(page).text  # frozen at publication
        today = text_of(client.get("/plans/2016-2025/initiatives/8/"))
        assert "60\u00a0%" not in today  # today's figure moved

    def test_a_published_round_shows_what_was_true_at_publication(self, staff, client, open_round):
        """Published means frozen: an update approved in a round and un-approved (then corrected)
        after publication keeps its place, and its words, in that round's figures, timelines,
        meeting pack and missing reports; today's pages drop it."""
        myanmar = MemberState.objects.get(iso_code="MM")
        update = ProgressUpdate.objects.create(
            deliverable=deliverable("5.1"), member_state=myanmar, round=open_round, status="completed",
            percent_complete=100, reported_on=datetime.date(2026, 11, 20), submitted_by=staff.th,
            evidence_url="https://example.org/claimed-accession", narrative="Accession deposited",
        )  # fmt: skip
        ProgressUpdate.objects.filter(pk=update.pk).update(review_state="submitted")
        workflow.approve(update, by=staff.secretariat)
        workflow.move_round(open_round, "close", by=staff.secretariat)
        workflow.move_round(open_round, "publish", by=staff.secretariat)
        as_of = f"round={open_round.pk}"
        pages = [f"/plans/2016-2025/member-states/?{as_of}", f"/plans/2016-2025/initiatives/5/5.1/?{as_of}",
                 f"/plans/2016-2025/initiatives/5/?{as_of}", f"/?{as_of}"]  # fmt: skip
        pack = f"/plans/2016-2025/rounds/{open_round.pk}/meeting-pack/"

        def published_view():
            texts = [client.get(page) for page in pages]
            assert all(response.status_code == 200 for response in texts)
            matrix = b"".join(client.get(f"{pages[0]}&format=csv").streaming_content).decode("utf-8-sig")
            return [t.text for t in texts], matrix, client.get(pack).text, missing_reports_of(open_round)

        before = published_view()
        assert "Accession deposited" in before[0][1] and "claimed-accession" in before[0][1]
        workflow.unapprove(update, by=staff.secretariat, reason="The accession has not taken effect")
        update.refresh_from_db()
        update.narrative = "Corrected: not deposited yet"
        update.save()
        Responsibility.objects.create(body=Body.objects.get(slug="th-dip"), deliverable=deliverable("6.1"),
                                      role="lead")  # fmt: skip
        after = published_view()
        for page, then, now in zip([*pages, "matrix.csv", pack], [*before[0], before[1], before[2]],
                                   [*after[0], after[1], after[2]], strict=True):  # fmt: skip
            assert now == then, "\n".join(
                difflib.unified_diff(then.splitlines(), now.splitlines(), page, n=0)
            )
        assert after[3] == before[3]
        today = client.get("/plans/2016-2025/initiatives/5/5.1/")
        assert today.status_code == 200 and "claimed-accession" not in today.text

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


def test_reminders_go_to_focal_points_with_missing_reports(staff, open_round):
    ReportingRound.objects.filter(pk=open_round.pk).update(
        closes_on=datetime.date.today() + datetime.timedelta(days=3)
    )
    out = io.StringIO()
    call_command("remind_missing_reports", "--days", "7", stdout=out)
    to_ph = [m for m in mail.outbox if m.to == ["ph@example.org"]]
    assert to_ph and "/admin/my-deliverables/" in to_ph[0].body
    assert "5.2 Accession to the Hague Agreement (Geneva Act 1999) (Philippines)" in to_ph[0].body
    assert "8.1 ASEAN TMview" not in to_ph[0].body  # completed in 2014: nothing is owed
    assert "Sent" in out.getvalue()


def test_no_reminders_for_rounds_closing_later(staff, open_round):
    ReportingRound.objects.filter(pk=open_round.pk).update(
        closes_on=datetime.date.today() + datetime.timedelta(days=30)
    )
    call_command("remind_missing_reports", "--days", "7", stdout=io.StringIO())
    assert mail.outbox == []


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


class TestMyDeliverables:
    def test_focal_points_land_on_their_deliverables(self, login, staff, open_round):
        response = login(staff.ph).get(reverse("admin:index"))
        assert response.status_code == 302 and response["Location"] == reverse("admin:my-deliverables")
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

    def test_the_secretariat_keeps_the_usual_index(self, login, staff):
        assert login(staff.secretariat).get(reverse("admin:index")).status_code == 200
