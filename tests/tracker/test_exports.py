"""The site-wide open data (tracker.exports, tracker.views): every file keeps its header, file
names say when sample data is loaded, the dataset is a valid Data Package and the data
dictionary lists every column."""

import io
import json
import zipfile

import pytest

from tests.helpers import download, text_of
from tests.sample import load_sample

pytestmark = pytest.mark.django_db


# A column is only ever added at the end (the completion forecasts came last), so a reader that
# takes columns by position keeps working.
STABLE_HEADERS = {
    "initiatives": """
        plan goal_number initiative_number title weight percent_complete status schedule
        expected_percent planned_end_effective overdue_days percent_at_plan_end deliverables_total
        deliverables_reported count_completed count_in_progress count_on_hold count_not_started
        count_dropped count_no_data method_version provisional provisional_note source_url
        forecast_status forecast_pace_per_year forecast_completion forecast_earliest forecast_latest
        forecast_pace_needed_per_year forecast_pace_needed_from
    """,
    "deliverables": """
        plan goal_number initiative_number deliverable_code title kind per_member_state expected_states
        reporting_states states_done planned_start planned_end weight dropped_in url percent_complete status
        schedule expected_percent planned_end_effective overdue_days percent_at_plan_end deliverables_total
        deliverables_reported count_completed count_in_progress count_on_hold count_not_started
        count_dropped count_no_data method_version provisional
        provisional_note source_url
        forecast_status forecast_pace_per_year forecast_completion forecast_earliest forecast_latest
        forecast_pace_needed_per_year forecast_pace_needed_from
    """,
    "progress_updates": """
        plan deliverable_code deliverable_title member_state status percent_complete reported_on
        reported_on_precision reporting_round narrative evidence_url has_evidence_file evidence_file_sha256
        provisional
        provisional_note is_sample
    """,
    "member_state_matrix": """
        plan member_state member_state_name deliverable_code deliverable_title status percent_complete
        reported_on reported_on_precision provisional evidence_url
    """,
    "member_state_scorecard": """
        plan member_state member_state_name expected_to_act deliverables_expected deliverables_done share_done
        still_to_do still_to_do_codes latest_update_on latest_update_deliverable latest_update_status
        latest_evidence_url method_version
    """,
    "data_quality": """
        plan round round_name scope deliverable_code member_state score grade timeliness completeness
        evidence_coverage freshness reports_owed reports_on_time rows_expected rows_reported updates
        updates_with_evidence rows_still_owing
    """,
    "lineage": """
        from_plan from_initiative_number from_deliverable_code from_title fate to_plan to_initiative_numbers
        to_deliverable_codes note provisional provisional_note source_url
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
    "indicators": """
        plan indicator name measures unit kind direction per_member_state computed baseline_value
        baseline_date baseline_source_url target_value target_date latest_value latest_date provisional
        is_sample
    """,
    "indicator_values": """
        plan indicator member_state measured_on value reporting_round source_url note computed is_sample
    """,
}


@pytest.mark.parametrize("name", STABLE_HEADERS)
def test_headers_are_stable(client, name):
    rows = download(client, f"/data/{name}.csv")
    assert list(rows[0]) == STABLE_HEADERS[name].split()


def test_sample_data_is_named_in_the_file_name(client):
    assert "SAMPLE" not in client.get("/partners/?format=csv")["Content-Disposition"]
    load_sample()
    assert 'filename="SAMPLE-DATA-partners.csv"' in client.get("/partners/?format=csv")["Content-Disposition"]


class TestDataset:
    def test_the_zip_holds_every_file_and_a_valid_data_package(self, client, tmp_path):
        from frictionless import Package

        response = client.get("/data/dataset.zip")
        assert response["Content-Type"] == "application/zip"
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        names = set(archive.namelist())
        assert {f"{name}.csv" for name in STABLE_HEADERS} | {
            "asean-ipr-tracker.xlsx",
            "datapackage.json",
        } == names
        descriptor = json.loads(archive.read("datapackage.json"))
        assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
        archive.extractall(tmp_path)
        report = Package(str(tmp_path / "datapackage.json")).validate()
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])

    def test_the_data_page_points_to_the_api_its_schema_and_the_feeds(self, client):
        page = text_of(client.get("/data/"))
        section = page[page.index('<h2 id="api">') : page.index("The files and their columns")]
        assert '<a href="/api/">JSON API</a>' in section
        assert '<a href="/api/schema/">OpenAPI schema</a>' in section
        assert 'href="/updates.atom"' in section
        assert client.get("/api/").status_code == client.get("/api/schema/").status_code == 200

    def test_the_data_dictionary_lists_every_column(self, client):
        page = client.get("/data/").text
        for name, header in STABLE_HEADERS.items():
            assert f"{name}.csv" in page
            for column in header.split():
                assert f"<code>{column}</code>" in page
