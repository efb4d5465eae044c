"""The plan's open data (goals.exports): each list downloads exactly what it shows, values read
back as stored, formula-like text is made inert, the member-state matrix follows the round, the
meeting pack of a published round, and a fixed number of queries per file."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goals.models import Deliverable, MemberState, ProgressUpdate, ReportingRound
from tests.factories import grow_twentyfold
from tests.helpers import download
from tests.sample import load_sample

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\tindent",
           "\rreturn", "   =spaced", "Việt Nam – ASEAN"]  # fmt: skip


@pytest.mark.parametrize(
    ("url", "count"),
    [
        ("/explore/deliverables/?plan=2016-2025&format=csv", 29),
        ("/explore/deliverables/?plan=2016-2025&kind=platform&format=csv", 9),
        ("/explore/initiatives/?plan=2016-2025&goal=1&format=csv", 7),
        ("/explore/updates/?plan=2016-2025&format=csv&year=2023", 4),
        ("/plans/2016-2025/member-states/?format=csv", 44),
        ("/platforms/?format=csv", 9),
    ],
)
def test_each_list_downloads_exactly_what_it_shows(client, url, count):
    assert len(download(client, url)) == count


def test_values_read_back_as_stored(client):
    rows = {
        r["deliverable_code"]: r for r in download(client, "/explore/deliverables/?plan=2016-2025&format=csv")
    }
    madrid = rows["5.1"]
    assert (madrid["percent_complete"], madrid["states_done"], madrid["expected_states"]) == (
        "81.8",
        "9",
        "11",
    )
    assert madrid["per_member_state"] == "true" and rows["8.7"]["url"] == "https://www.aseanip.org/"
    updates = {
        (r["deliverable_code"], r["member_state"]): r
        for r in download(client, "/explore/updates/?plan=2016-2025&format=csv")
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
    rows = download(client, "/explore/updates/?plan=2016-2025&deliverable=1.3&format=csv")
    by_percent = {int(r["percent_complete"]): r for r in rows}
    for n, text in enumerate(HOSTILE):
        cell = by_percent[n + 1]["narrative"]
        if text == "Việt Nam – ASEAN":
            assert cell == text
        else:
            assert cell == "'" + text, cell  # an apostrophe keeps it text in any spreadsheet
    assert all(r["deliverable_title"].startswith("'=") for r in rows)
    platforms = download(client, "/explore/deliverables/?plan=2016-2025&format=csv")
    assert next(r for r in platforms if r["deliverable_code"] == "1.3")["title"] == "'" + HOSTILE[0]


def test_bad_filters_answer_400_with_the_reason(client):
    response = client.get("/explore/deliverables/?plan=2016-2025&goal=abc&format=csv")
    assert response.status_code == 400
    assert "Goal: The ASEAN IPR Action Plan 2016-2025 has no goal 'abc'." in response.content.decode()


def test_matrix_download_follows_the_round(client):
    load_sample()
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


@pytest.mark.parametrize(
    "url",
    [
        "/data/deliverables.csv",
        "/data/progress_updates.csv",
        "/explore/deliverables/?plan=2016-2025&format=csv",
    ],
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


class TestMeetingPack:
    def test_meeting_pack_for_a_published_round(self, client):
        load_sample()
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


def test_identical_updates_stay_two_rows_under_a_filter_that_makes_the_list_distinct(client):
    deliverable = Deliverable.objects.get(initiative__plan__slug="2016-2025", code="8.1")
    for _ in range(2):
        ProgressUpdate.objects.create(
            deliverable=deliverable, status="in_progress", percent_complete=50, narrative="Twice the same",
            reported_on=datetime.date(2024, 5, 5), review_state="approved", evidence_url="https://e.org/",
        )  # fmt: skip
    rows = download(client, "/explore/updates/?plan=2016-2025&body=ipophl&q=Twice&format=csv")
    assert [row["narrative"] for row in rows] == ["Twice the same"] * 2
