"""CSV import in the admin: same columns as the export, a preview with per-row errors, all or
nothing, idempotent, scoped by role, and imported progress goes to review as submitted."""

import csv
import datetime
import html
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals.models import Deliverable, MemberState, ProgressUpdate
from tests.helpers import deliverable, download

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:goals_progressupdate_import")
HEADER = ["plan", "deliverable_code", "deliverable_title", "member_state", "status", "percent_complete",
          "reported_on", "reported_on_precision", "reporting_round", "narrative", "evidence_url",
          "has_evidence_file", "evidence_file_sha256", "provisional", "provisional_note",
          "is_sample"]  # fmt: skip


def csv_file(rows, header=HEADER):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    for row in rows:
        writer.writerow(dict.fromkeys(header, "") | row)
    return SimpleUploadedFile("progress.csv", ("\ufeff" + out.getvalue()).encode())


def row(**values):
    base = {"plan": "2016-2025", "deliverable_code": "8.1", "status": "in_progress", "percent_complete": "55",
            "reported_on": "2026-11-15", "reporting_round": "Test round", "narrative": "Imported progress",
            "evidence_url": "https://example.org/evidence"}  # fmt: skip
    return base | values


def upload_and_confirm(client, file):
    preview = client.post(IMPORT, {"file": file})
    assert preview.status_code == 200
    confirm = preview.context.get("confirm")
    if confirm is None:
        return preview, None
    return preview, client.post(IMPORT, {"confirm": confirm})


def test_an_exported_file_imports_as_unchanged(login, staff, client):
    exported = b"".join(client.get("/explore/updates/?plan=2016-2025&format=csv").streaming_content)
    before = list(ProgressUpdate.objects.values_list("pk", "review_state", "percent_complete").order_by("pk"))
    preview, done = upload_and_confirm(login(staff.secretariat), SimpleUploadedFile("export.csv", exported))
    assert {r.action for r in preview.context["results"]} == {"unchanged"}
    assert done.status_code == 302
    assert (
        list(ProgressUpdate.objects.values_list("pk", "review_state", "percent_complete").order_by("pk"))
        == before
    )


def test_new_rows_arrive_as_submitted_and_reimporting_changes_nothing(
    login, staff, open_round, django_capture_on_commit_callbacks
):
    client = login(staff.ph)
    file_rows = [row(), row(deliverable_code="5.2", member_state="PH", narrative="Hague papers filed")]
    with django_capture_on_commit_callbacks(execute=True):
        preview, done = upload_and_confirm(client, csv_file(file_rows))
    assert [r.action for r in preview.context["results"]] == ["create", "create"]
    assert done.status_code == 302
    imported = ProgressUpdate.objects.filter(narrative__in=["Imported progress", "Hague papers filed"])
    assert imported.count() == 2
    assert set(imported.values_list("review_state", flat=True)) == {"submitted"}  # never approved
    assert all(update.submitted_by == staff.ph for update in imported)
    to_review = [message for message in mail.outbox if "Progress to review" in message.subject]
    assert len(to_review) == 1 and "2 updates imported by ph" in to_review[0].subject  # one per file
    again, _ = upload_and_confirm(client, csv_file(file_rows))
    assert {r.action for r in again.context["results"]} == {"unchanged"}
    assert imported.count() == 2


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"deliverable_code": "99.9"}, "has no deliverable '99.9'"),
        ({"percent_complete": "150"}, "percent_complete must be from 0 to 100, not 150."),
        ({"percent_complete": "Infinity"}, "percent_complete must be a whole number, not 'Infinity'."),
        ({"percent_complete": "NaN"}, "percent_complete must be a whole number, not 'NaN'."),
        ({"percent_complete": "-sNaN"}, "percent_complete must be a whole number, not '-sNaN'."),
        ({"reported_on": "15/11/2026"}, "reported_on must be a date written YYYY-MM-DD"),
        ({"deliverable_code": "9.1"}, "You do not report on 9.1"),  # Thailand's office, not the Philippines'
        ({"member_state": "TH", "deliverable_code": "5.2"}, "You do not report for Thailand on 5.2."),
        ({"status": "finished"}, "status must be one of"),
        ({"reporting_round": "No such round"}, "has no reporting round named 'No such round'"),
        (
            {"status": "completed", "percent_complete": "100", "evidence_url": ""},
            "Completed progress needs evidence",
        ),
    ],
)
def test_bad_rows_are_explained_and_nothing_is_written(login, staff, open_round, bad, message):
    before = ProgressUpdate.objects.count()
    preview, done = upload_and_confirm(login(staff.ph), csv_file([row(narrative="good row"), row(**bad)]))
    assert done is None and "Import these rows" not in preview.text
    results = preview.context["results"]
    assert results[0].action == "create" and results[1].action == "error"
    assert message in " ".join(results[1].errors) and message in html.unescape(preview.text)
    assert ProgressUpdate.objects.count() == before


def test_a_row_with_more_cells_than_columns_is_refused_not_cut(login, staff, open_round):
    """A misquoted narrative splits into extra cells: the row is refused rather than imported
    with its text cut short."""
    file = csv_file([row(narrative="good row")])
    text = (
        file.read().decode("utf-8")
        + "2016-2025,8.1,,,in_progress,55,2026-11-15,,Test round,A, split,,,,,,,\r\n"
    )
    preview, done = upload_and_confirm(login(staff.ph), SimpleUploadedFile("p.csv", text.encode()))
    assert done is None
    assert preview.context["results"][1].errors == [
        "This row has 2 cell(s) more than the header has columns."
    ]


def test_a_closed_round_takes_no_imports(login, staff, open_round):
    open_round.state = "closed"
    open_round.save()
    preview, done = upload_and_confirm(login(staff.ph), csv_file([row()]))
    assert done is None and "is not open for reporting" in preview.text


def test_an_altered_confirmation_writes_nothing(login, staff, open_round):
    client = login(staff.ph)
    response = client.post(IMPORT, {"confirm": "tampered"})
    assert "expired or was altered" in response.text
    assert not ProgressUpdate.objects.filter(narrative="Imported progress").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not,the,right,columns\n1,2,3,4\n", "lacks the column(s)"),
        (b"\xff\xfe\x00binary", "not UTF-8"),
        (",".join(HEADER).encode() + b"\n", "no rows"),
        (
            ",".join(HEADER).encode() + b"\n2016-2025,8.1," + b"x" * 140_000 + b"\n",
            "Line 2 cannot be read as CSV",
        ),
        (",".join(HEADER).encode() + b"\n2016-2025,8.1,\x00\n", "Line 2 holds a NUL character"),
    ],
    ids=["columns", "encoding", "empty", "huge-cell", "nul"],
)
def test_unreadable_files_get_a_clear_message(login, staff, content, message):
    response = login(staff.ph).post(IMPORT, {"file": SimpleUploadedFile("x.csv", content)})
    assert response.status_code == 200 and message in response.text


def test_viewers_and_partner_reporters_cannot_import(login, staff):
    assert login(staff.viewer).get(IMPORT).status_code == 403
    assert login(staff.euipo).get(IMPORT).status_code == 403


class TestPlanStructureImport:
    URL = reverse("admin:goals_deliverable_import")

    def test_the_deliverables_export_reimports_unchanged_and_a_correction_updates(self, login, staff, client):
        exported = b"".join(client.get("/data/deliverables.csv").streaming_content).decode("utf-8-sig")
        admin = login(staff.secretariat)
        preview = admin.post(self.URL, {"file": SimpleUploadedFile("d.csv", exported.encode())})
        assert {r.action for r in preview.context["results"]} == {"unchanged"}
        corrected = exported.replace("Regional search of published", "Regional search of all published", 1)
        changed = exported.replace(",ASEAN IP Register,", ",ASEAN Intellectual Property Register,", 1)
        preview = admin.post(self.URL, {"file": SimpleUploadedFile("d.csv", changed.encode())})
        actions = [r.action for r in preview.context["results"]]
        assert actions.count("update") == 1 and corrected
        admin.post(self.URL, {"confirm": preview.context["confirm"]})
        register = Deliverable.objects.get(initiative__plan__slug="2016-2025", code="8.7")
        assert register.title == "ASEAN Intellectual Property Register"
        assert register.history.latest().history_change_reason == "Imported from CSV"

    def test_only_the_secretariat_imports_structure(self, login, staff):
        assert login(staff.ph).get(self.URL).status_code == 403


def many_rows(count):
    """``count`` distinct, valid rows for the secretariat, spread over the plan's deliverables."""
    deliverables = list(Deliverable.objects.filter(initiative__plan__slug="2016-2025").order_by("pk"))
    states = list(MemberState.objects.order_by("iso_code"))
    start = datetime.date(2017, 1, 1)
    rows = []
    for i in range(count):
        deliverable = deliverables[i % len(deliverables)]
        state = states[i % len(states)].iso_code if deliverable.per_member_state else ""
        rows.append(row(deliverable_code=deliverable.code, member_state=state, narrative=f"Row {i}",
                        reported_on=str(start + datetime.timedelta(days=i))))  # fmt: skip
    return rows


def test_a_large_file_is_checked_and_written_in_a_fixed_number_of_queries(login, staff, open_round):
    """The preview reads what it needs once per file, whatever its length; writing costs two
    statements a row (the update and its history entry). A file of 3,300 rows once timed out."""
    client = login(staff.secretariat)
    counts = {}
    for size in (10, 300):
        with CaptureQueriesContext(connection) as preview_queries:
            preview = client.post(IMPORT, {"file": csv_file(many_rows(size))})
        assert preview.status_code == 200 and preview.context.get("confirm"), preview.context.get("results")[
            :3
        ]
        with CaptureQueriesContext(connection) as apply_queries:
            assert client.post(IMPORT, {"confirm": preview.context["confirm"]}).status_code == 302
        counts[size] = (len(preview_queries), len(apply_queries) - 2 * size)
        ProgressUpdate.objects.filter(narrative__startswith="Row ").delete()
    assert counts[10] == counts[300], counts
    assert counts[10][0] == 16  # session, user, rights, the plan's records, the updates once


MY_ROWS = reverse("admin:goals_progressupdate_my_rows")


class TestMyRows:
    def test_the_file_holds_exactly_the_rows_due_in_the_import_s_columns(self, login, staff, open_round):
        from goals import access, rounds

        client = login(staff.ph)
        response = client.get(MY_ROWS)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).decode("utf-8-sig").splitlines()[0] == ",".join(HEADER)
        rows = download(client, MY_ROWS)
        due = {
            (r.deliverable.code, r.member_state.iso_code if r.member_state else "")
            for r in rounds.due_rows(access.bodies_of(staff.ph))
        }
        assert (
            {(r["deliverable_code"], r["member_state"]) for r in rows} == due == {("5.2", "PH"), ("17.1", "")}
        )
        assert {r["reporting_round"] for r in rows} == {"Test round"}
        assert "8.1" not in {r["deliverable_code"] for r in rows}  # completed: nobody is asked for it
        thai = download(login(staff.th), MY_ROWS)  # another office: its own state's row only
        assert {(r["deliverable_code"], r["member_state"]) for r in thai} == {("5.2", "TH")}

    def test_filled_in_it_uploads_unchanged_in_its_layout(self, login, staff, open_round):
        ProgressUpdate.objects.create(
            deliverable=deliverable("17.1"), status="in_progress", percent_complete=40,
            review_state="approved", reported_on=datetime.date(2025, 6, 1),
            evidence_url="https://example.org/valuation",
        )  # fmt: skip
        client = login(staff.ph)
        rows = download(client, MY_ROWS)
        valuation = next(r for r in rows if r["deliverable_code"] == "17.1")
        assert (valuation["status"], valuation["percent_complete"], valuation["evidence_url"]) == (
            "in_progress", "40", "https://example.org/valuation",
        )  # fmt: skip
        hague = next(r for r in rows if r["deliverable_code"] == "5.2")
        assert hague["status"] == "" and hague["percent_complete"] == ""  # nothing approved yet: to fill in
        hague.update(status="in_progress", percent_complete="10", narrative="Accession papers drafted")
        preview, done = upload_and_confirm(client, csv_file(rows, header=list(rows[0])))
        assert [r.action for r in preview.context["results"]] == ["create", "create"]
        assert done.status_code == 302
        assert ProgressUpdate.objects.filter(
            narrative="Accession papers drafted", review_state="submitted"
        ).exists()

    def test_no_cell_can_become_a_formula(self, login, staff, open_round):
        Deliverable.objects.filter(pk=deliverable("17.1").pk).update(
            title='=HYPERLINK("https://evil.example")'
        )
        response = login(staff.ph).get(MY_ROWS)
        raw = b"".join(response.streaming_content).decode("utf-8-sig")
        assert response.status_code == 200 and "'=HYPERLINK" in raw
        assert ",=HYPERLINK" not in raw and ',"=HYPERLINK' not in raw

    def test_the_import_page_starts_from_it(self, login, staff):
        page = login(staff.ph).get(IMPORT)
        assert page.status_code == 200 and f'<a href="{MY_ROWS}">Download my rows</a>' in page.text
        structure = login(staff.secretariat).get(reverse("admin:goals_deliverable_import"))
        assert structure.status_code == 200 and "Download my rows" not in structure.text


class TestErrorsOnly:
    def preview(self, client):
        rows = [row(narrative="First"), row(percent_complete="150", narrative="Second"),
                row(narrative="Third", reported_on="2026-11-16")]  # fmt: skip
        return client.post(IMPORT, {"file": csv_file(rows)})

    def test_the_preview_can_show_only_the_rows_with_errors_and_says_how_many_are_hidden(
        self, login, staff, open_round
    ):
        client = login(staff.ph)
        before = ProgressUpdate.objects.count()
        preview = self.preview(client)
        assert preview.status_code == 200 and len(preview.context["results"]) == 3
        assert 'value="Show only the 1 row with errors"' in preview.text
        assert "(hides 2 rows without errors)" in preview.text
        checked = preview.context["checked"]
        errors = client.post(IMPORT, {"checked": checked, "errors_only": "1"})
        assert errors.status_code == 200 and [r.line for r in errors.context["results"]] == [3]
        assert "Showing only the 1 row with errors: 2 rows without errors are hidden." in errors.text
        assert "This field is required" not in errors.text  # no upload was asked for
        every = client.post(IMPORT, {"checked": checked})
        assert every.status_code == 200 and len(every.context["results"]) == 3
        assert ProgressUpdate.objects.count() == before
        clean = client.post(IMPORT, {"file": csv_file([row()])})  # nothing to hide: no switch
        assert clean.status_code == 200 and clean.context["hidden"] == 0 and "Show only" not in clean.text

    def test_an_altered_file_is_refused_and_nothing_is_written(self, login, staff, open_round):
        client = login(staff.ph)
        checked = self.preview(client).context["checked"]
        before = ProgressUpdate.objects.count()
        response = client.post(IMPORT, {"checked": checked[:-3] + "xyz", "errors_only": "1"})
        assert response.status_code == 200 and "The preview expired or was altered" in response.text
        assert not response.context.get("results") and ProgressUpdate.objects.count() == before

    def test_a_signed_file_that_no_longer_reads_is_explained(self, login, staff, open_round):
        from django.core import signing

        from goals.import_admin import SALT

        checked = signing.dumps("not,the,right,columns\n1,2,3,4\n", salt=SALT, compress=True)
        response = login(staff.ph).post(IMPORT, {"checked": checked, "errors_only": "1"})
        assert response.status_code == 200 and "lacks the column(s)" in response.text
