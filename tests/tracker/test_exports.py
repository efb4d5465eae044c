"""Open data: every CSV reads back to the same values, headers stay stable, formula-like text
is made inert, the dataset is a valid Data Package, and exports cost a fixed number of queries."""

import csv
import datetime
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goals.models import Deliverable, MemberState, ProgressUpdate, ReportingRound
from tests.factories import grow_twentyfold
from tracker.csvsafe import safe_cell

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\tindent",
           "\rreturn", "   =spaced", "Việt Nam – ASEAN"]  # fmt: skip


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"].startswith('attachment; filename="')
        and ".csv" in response["Content-Disposition"]
    )
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark for spreadsheet programs
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


STABLE_HEADERS = {
    "initiatives": """
        plan goal_number initiative_number title weight percent_complete status schedule
        expected_percent planned_end_effective overdue_days percent_at_plan_end deliverables_total
        deliverables_reported count_completed count_in_progress count_on_hold count_not_started
        count_dropped count_no_data method_version provisional provisional_note source_url
    """,
    "deliverables": """
        plan goal_number initiative_number deliverable_code title kind per_member_state expected_states
        reporting_states states_done planned_start planned_end weight dropped_in url percent_complete status
        schedule expected_percent planned_end_effective overdue_days percent_at_plan_end deliverables_total
        deliverables_reported count_completed count_in_progress count_on_hold count_not_started
        count_dropped count_no_data method_version provisional
        provisional_note source_url
    """,
    "progress_updates": """
        plan deliverable_code deliverable_title member_state status percent_complete reported_on
        reported_on_precision reporting_round narrative evidence_url has_evidence_file provisional
        provisional_note is_sample
    """,
    "member_state_matrix": """
        plan member_state member_state_name deliverable_code deliverable_title status percent_complete
        reported_on reported_on_precision provisional evidence_url
    """,
    "platforms": """
        platform plan deliverable_code url launched_on launched_on_precision bodies partners provisional
        provisional_note
    """,
    "partners": """
        partner name acronym kind country former_names reports_under_article_67 programme_count
        involvement_count website source_url
    """,
    "involvements": """
        partner role plan initiative_number deliverable_code start_year end_year description source_url
    """,
    "cooperation_programmes": """
        programme name acronym partner co_partners funder start_year end_year budget currency
        article_67_categories beneficiaries deliverables wto_document_symbols provisional
        provisional_note source_url
    """,
    "article_67_reports": """
        programme partner year wto_document_symbol reporting_member reported_on summary source_url
    """,
}


@pytest.mark.parametrize("name", STABLE_HEADERS)
def test_headers_are_stable(client, name):
    rows = download(client, f"/data/{name}.csv")
    assert list(rows[0]) == STABLE_HEADERS[name].split()


@pytest.mark.parametrize(
    ("url", "count"),
    [
        ("/explore/deliverables/?format=csv", 29),
        ("/explore/deliverables/?kind=platform&format=csv", 9),
        ("/explore/initiatives/?goal=1&format=csv", 7),
        ("/explore/updates/?format=csv&year=2023", 4),
        ("/plans/2016-2025/member-states/?format=csv", 44),
        ("/platforms/?format=csv", 9),
        ("/partners/?format=csv", 12),
        ("/data/involvements.csv?partner=euipo", 14),
        ("/data/cooperation_programmes.csv?partner=euipo", 6),
    ],
)
def test_each_list_downloads_exactly_what_it_shows(client, url, count):
    assert len(download(client, url)) == count


def test_values_read_back_as_stored(client):
    rows = {r["deliverable_code"]: r for r in download(client, "/explore/deliverables/?format=csv")}
    madrid = rows["5.1"]
    assert (madrid["percent_complete"], madrid["states_done"], madrid["expected_states"]) == (
        "81.8",
        "9",
        "11",
    )
    assert madrid["per_member_state"] == "true" and rows["8.7"]["url"] == "https://www.aseanip.org/"
    updates = {
        (r["deliverable_code"], r["member_state"]): r
        for r in download(client, "/explore/updates/?format=csv")
    }
    brunei = updates[("5.1", "BN")]
    assert (brunei["reported_on"], brunei["reported_on_precision"], brunei["percent_complete"]) == (
        "2017-01-06",
        "day",
        "100",
    )
    provisional = ProgressUpdate.objects.public().filter(provisional=True).first()
    assert updates[(provisional.deliverable.code, "")]["provisional"] == "true"
    assert updates[("5.1", "BN")]["provisional"] == "false"


def test_hostile_text_is_made_inert_and_numbers_stay_numbers(client):
    deliverable = Deliverable.objects.get(initiative__plan__slug="2016-2025", code="1.3")
    for n, text in enumerate(HOSTILE):
        ProgressUpdate.objects.create(
            deliverable=deliverable, status="in_progress", percent_complete=n + 1, narrative=text,
            reported_on=datetime.date(2025, 1, n + 1), review_state="approved",
        )  # fmt: skip
    Deliverable.objects.filter(pk=deliverable.pk).update(title=HOSTILE[0])
    rows = download(client, "/explore/updates/?deliverable=1.3&format=csv")
    by_percent = {int(r["percent_complete"]): r for r in rows}
    for n, text in enumerate(HOSTILE):
        cell = by_percent[n + 1]["narrative"]
        if text == "Việt Nam – ASEAN":
            assert cell == text
        else:
            assert cell == "'" + text, cell  # an apostrophe keeps it text in any spreadsheet
    assert all(r["deliverable_title"].startswith("'=") for r in rows)
    platforms = download(client, "/explore/deliverables/?format=csv")
    assert next(r for r in platforms if r["deliverable_code"] == "1.3")["title"] == "'" + HOSTILE[0]


@pytest.mark.parametrize(
    ("value", "expected"), [(-5, -5), (3.5, 3.5), (None, ""), (True, "true"), ("-5", "'-5")]
)
def test_safe_cell_keeps_numbers_and_neutralises_text(value, expected):
    assert safe_cell(value) == expected


def test_bad_filters_answer_400_with_the_reason(client):
    response = client.get("/explore/deliverables/?goal=abc&format=csv")
    assert response.status_code == 400 and "Goal number: Enter a number." in response.content.decode()


def test_matrix_download_follows_the_round(client):
    call_command("load_plan", "--sample", stdout=io.StringIO())
    published = (
        ReportingRound.objects.published().filter(plan__slug="2016-2025").order_by("closes_on").first()
    )
    ProgressUpdate.objects.create(
        deliverable=Deliverable.objects.get(initiative__plan__slug="2016-2025", code="5.2"),
        member_state=MemberState.objects.get(iso_code="PH"), status="completed", percent_complete=100,
        reported_on=datetime.date(2025, 12, 1), review_state="approved", evidence_url="https://example.org/hague",
    )  # fmt: skip
    now = download(client, "/plans/2016-2025/member-states/?format=csv")
    then = download(client, f"/plans/2016-2025/member-states/?format=csv&round={published.pk}")
    cell = lambda rows: next(r for r in rows if (r["member_state"], r["deliverable_code"]) == ("PH", "5.2"))  # noqa: E731
    assert cell(now)["status"] == "completed" and cell(then)["status"] == "no_data"


def test_sample_data_is_named_in_the_file_name(client):
    assert "SAMPLE" not in client.get("/partners/?format=csv")["Content-Disposition"]
    call_command("load_plan", "--sample", stdout=io.StringIO())
    assert 'filename="SAMPLE-DATA-partners.csv"' in client.get("/partners/?format=csv")["Content-Disposition"]


class TestDataset:
    def test_the_zip_holds_every_file_and_a_valid_data_package(self, client, tmp_path):
        from frictionless import Package

        response = client.get("/data/dataset.zip")
        assert response["Content-Type"] == "application/zip"
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        names = set(archive.namelist())
        assert {f"{name}.csv" for name in STABLE_HEADERS} | {"datapackage.json"} == names
        descriptor = json.loads(archive.read("datapackage.json"))
        assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
        archive.extractall(tmp_path)
        report = Package(str(tmp_path / "datapackage.json")).validate()
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])

    def test_the_data_dictionary_lists_every_column(self, client):
        page = client.get("/data/").text
        for name, header in STABLE_HEADERS.items():
            assert f"{name}.csv" in page
            for column in header.split():
                assert f"<code>{column}</code>" in page


@pytest.mark.parametrize(
    "url", ["/data/deliverables.csv", "/data/progress_updates.csv", "/explore/deliverables/?format=csv"]
)
def test_exports_run_a_fixed_number_of_queries(client, url):
    def count():
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
            b"".join(response.streaming_content)
        return len(context)

    before = count()
    grow_twentyfold()
    assert count() == before


class TestMeetingPackAndArticle67:
    def test_meeting_pack_for_a_published_round(self, client):
        call_command("load_plan", "--sample", stdout=io.StringIO())
        published = ReportingRound.objects.published().filter(plan__slug="2016-2025").order_by("closes_on")[1]
        page = client.get(f"/plans/2016-2025/rounds/{published.pk}/meeting-pack/").text
        assert (
            f"Meeting pack: {published.name}" in page
            and "Changes since" in page
            and "Missing reports" in page
        )
        rows = download(client, f"/plans/2016-2025/rounds/{published.pk}/meeting-pack/?format=csv")
        sections = {r["section"] for r in rows}
        assert {"plan", "goal", "change"} <= sections
        closed = ReportingRound.objects.get(state="closed", plan__slug="2016-2025")
        assert client.get(f"/plans/2016-2025/rounds/{closed.pk}/meeting-pack/").status_code == 404

    def test_article_67_report_lists_programmes_active_that_year(self, client):
        page = client.get("/partners/euipo/article-67/2019/").text
        assert "ARISE+ IPR" in page and "IP Key South-East Asia" in page and "SCOPE IPR" not in page
        rows = download(client, "/partners/ip-australia/article-67/2020/?format=csv")
        assert rows[0]["wto_document_symbol"] == "IP/C/R/TC/AUS/1"
        assert "MY" in rows[0]["beneficiaries"].split("; ")

    def test_a_joint_programme_shows_each_members_own_report(self, client):
        """AANZFTA is run by Australia and New Zealand; each files its own Article 67 report."""
        australia = download(client, "/partners/ip-australia/article-67/2022/?format=csv")
        new_zealand = download(client, "/partners/iponz/article-67/2022/?format=csv")
        assert [r["wto_document_symbol"] for r in australia] == ["IP/C/R/TC/AUS/3"]
        assert [r["wto_document_symbol"] for r in new_zealand] == ["IP/C/R/TC/NZL/1"]
        page = client.get("/partners/iponz/article-67/2022/").text
        assert "IP/C/R/TC/NZL/1" in page and "IP/C/R/TC/AUS/3" not in page

    def test_unreasonable_years_are_404_with_the_reason(self, client):
        response = client.get("/partners/euipo/article-67/1800/")
        assert response.status_code == 404 and "There is no Article 67 report for 1800" in response.text


def test_identical_updates_stay_two_rows_under_a_filter_that_makes_the_list_distinct(client):
    deliverable = Deliverable.objects.get(initiative__plan__slug="2016-2025", code="8.1")
    for _ in range(2):
        ProgressUpdate.objects.create(
            deliverable=deliverable, status="in_progress", percent_complete=50, narrative="Twice the same",
            reported_on=datetime.date(2024, 5, 5), review_state="approved", evidence_url="https://e.org/",
        )  # fmt: skip
    rows = download(client, "/explore/updates/?body=ipophl&q=Twice&format=csv")
    assert [row["narrative"] for row in rows] == ["Twice the same"] * 2
