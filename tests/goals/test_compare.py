"""Comparing two published rounds of a plan (goals.comparison): the page, its CSV, its defaults
and the clear refusals of rounds that cannot be compared."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goals.models import ActionPlan, ProgressUpdate, ReportingRound
from goals.progress import load_plan_data
from goals.rounds import publish_snapshot
from goals.snapshots import progress_as_of
from tests.factories import grow_twentyfold
from tests.helpers import deliverable, download, text_of
from tests.sample import load_sample

pytestmark = pytest.mark.django_db

PLAN = "/plans/2016-2025"
COMPARE = f"{PLAN}/compare/"


def published_round(name, opens, closes, plan="2016-2025", state=ReportingRound.State.PUBLISHED):
    reporting_round = ReportingRound.objects.create(
        plan=ActionPlan.objects.get(slug=plan), name=name, opens_on=opens, closes_on=closes, state=state
    )
    if state == ReportingRound.State.PUBLISHED:
        publish_snapshot(reporting_round)
    return reporting_round


@pytest.fixture
def two_rounds():
    """Two published rounds of the 2016-2025 plan; in between, 1.3 moved to 90 % in progress."""
    earlier = published_round("Round A", datetime.date(2026, 1, 1), datetime.date(2026, 1, 31))
    later = ReportingRound.objects.create(
        plan=earlier.plan, name="Round B", opens_on=datetime.date(2026, 5, 1),
        closes_on=datetime.date(2026, 5, 31), state=ReportingRound.State.CLOSED,
    )  # fmt: skip
    update = ProgressUpdate.objects.create(
        deliverable=deliverable("1.3"), round=later, status="in_progress", percent_complete=90,
        reported_on=datetime.date(2026, 5, 20), review_state="approved",
        narrative="Two more offices joined ASPEC", evidence_url="https://example.org/aspec",
    )  # fmt: skip
    later.state = ReportingRound.State.PUBLISHED
    later.save()
    publish_snapshot(later)
    return earlier, later, update


def percent_text(value):
    return f"{value:.1f}".removesuffix(".0") + "\u00a0%"


class TestTheComparison:
    def test_a_change_shows_before_after_the_change_and_the_update_in_between(self, client, two_rounds):
        earlier, later, update = two_rounds
        before = progress_as_of(load_plan_data(earlier.plan), earlier).deliverables[update.deliverable_id]
        assert before.percent < 90  # what the shipped data says of 1.3
        page = text_of(client.get(COMPARE))  # the last two published rounds by default
        row = page.split("1.3 ASEAN Patent Examination Cooperation")[1].split("</tr>")[0]
        cells = [cell.split(">", 1)[1].strip() for cell in row.split("<td")[1:]]
        change = 90 - before.percent
        assert cells[0].startswith(percent_text(before.percent)) and cells[1].startswith("90\u00a0%")
        assert cells[2].startswith(f"+{change:.1f}".removesuffix(".0") + "\u00a0points")
        assert f'href="#update-{update.pk}"' in cells[4] and "in progress" in cells[4]
        assert f'<li id="update-{update.pk}">' in page and "Two more offices joined ASPEC" in page
        assert "1 approved update came in between" in page
        # Each round is picked in the form, which works without JavaScript.
        assert (
            f'<option value="{earlier.pk}" selected>' in page
            and f'<option value="{later.pk}" selected>' in page
        )

    def test_the_csv_says_the_same(self, client, two_rounds):
        earlier, later, _ = two_rounds
        rows = download(client, f"{COMPARE}?from={earlier.pk}&to={later.pk}&format=csv")
        line = next(r for r in rows if r["deliverable_code"] == "1.3")
        assert (line["to_percent_complete"], line["to_status"], line["updates_between"]) == (
            "90.0",
            "in_progress",
            "1",
        )
        assert float(line["change_points"]) == 90 - float(line["from_percent_complete"])
        assert (line["from_round"], line["to_round"]) == (str(earlier.pk), str(later.pk))
        assert rows[0]["level"] == "plan" and {"goal", "initiative", "deliverable"} <= {
            r["level"] for r in rows
        }
        unchanged = next(r for r in rows if r["deliverable_code"] == "1.1")
        assert unchanged["change_points"] == "0.0" and unchanged["updates_between"] == "0"
        response = client.get(f"{COMPARE}?from={earlier.pk}&to={later.pk}&format=csv")
        assert f"comparison-2016-2025-round-{earlier.pk}-to-{later.pk}.csv" in response["Content-Disposition"]

    def test_published_means_frozen(self, client, two_rounds):
        earlier, later, update = two_rounds
        ProgressUpdate.objects.filter(pk=update.pk).update(percent_complete=10)  # corrected since
        rows = download(client, f"{COMPARE}?from={earlier.pk}&to={later.pk}&format=csv")
        assert next(r for r in rows if r["deliverable_code"] == "1.3")["to_percent_complete"] == "90.0"

    def test_the_round_pages_link_to_it(self, client, two_rounds):
        earlier, later, _ = two_rounds
        assert 'href="/plans/2016-2025/compare/"' in text_of(client.get(f"{PLAN}/"))
        pack = text_of(client.get(f"{PLAN}/rounds/{later.pk}/meeting-pack/"))
        assert f'href="/plans/2016-2025/compare/?from={earlier.pk}&amp;to={later.pk}"' in pack

    def test_the_sample_rounds_compare(self, client):
        load_sample()
        page = text_of(client.get(COMPARE))
        assert "Sample round: end-2024" in page and "Sample round: mid-2025" in page
        assert "Data quality at Sample round: mid-2025" in page


class TestWhatCannotBeCompared:
    def refused(self, client, query, status=400):
        response = client.get(f"{COMPARE}?{query}")
        assert response.status_code == status, response.status_code
        return response.text

    def test_a_plan_with_fewer_than_two_published_rounds_says_so(self, client):
        page = re.sub(r"\s+", " ", text_of(client.get(COMPARE)))
        assert "no published reporting round yet, so there is nothing to compare" in page
        assert "Download CSV" not in page
        assert "fewer than two published rounds" in self.refused(client, "format=csv")

    def test_an_unknown_round(self, client, two_rounds):
        earlier, later, _ = two_rounds
        page = self.refused(client, f"from=999999&to={later.pk}")
        assert "from=&#x27;999999&#x27; is not a published reporting round" in page and "Round A" in page
        assert "is not a published reporting round" in self.refused(client, f"from={earlier.pk}&to=abc")

    def test_a_round_of_another_plan_or_not_published(self, client, two_rounds):
        earlier, _, _ = two_rounds
        other = published_round("Other plan's round", datetime.date(2026, 3, 1), datetime.date(2026, 3, 31),
                                plan="2026-2030")  # fmt: skip
        closed = published_round("Closed round", datetime.date(2026, 6, 1), datetime.date(2026, 6, 30),
                                 state=ReportingRound.State.CLOSED)  # fmt: skip
        for wrong in (other, closed):
            assert (
                "is not a published reporting round of the ASEAN IPR Action Plan 2016-2025"
                in self.refused(client, f"from={earlier.pk}&to={wrong.pk}")
            )

    def test_the_same_round_twice_or_in_the_wrong_order(self, client, two_rounds):
        earlier, later, _ = two_rounds
        assert "Choose two different rounds" in self.refused(client, f"from={later.pk}&to={later.pk}")
        page = self.refused(client, f"from={later.pk}&to={earlier.pk}")
        assert "must be the earlier round" in page and "Swap the two" in page
        assert "No published round comes before Round A" in self.refused(client, f"to={earlier.pk}")
        csv = self.refused(client, f"from={later.pk}&to={earlier.pk}&format=csv")
        assert csv.startswith("from= must be the earlier round")  # plain text for a download

    def test_an_unknown_plan(self, client):
        assert client.get("/plans/1999-2000/compare/").status_code == 404


def queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
        assert response.status_code == 200, url
        if response.streaming:
            b"".join(response.streaming_content)
    return len(context)


# Pinned, with the sample rounds, at the shipped data and at twenty times more: pages as of a
# round, the comparison of two named rounds and its CSV, and the meeting pack (which now shows the
# round's data quality).
ROUND_PAGES = {
    "{plan}/compare/?from={first}&to={last}": 9,
    "{plan}/compare/?from={first}&to={last}&format=csv": 9,
    "{plan}/?round={first}": 13,  # with its indicators (three queries: test_pages.py)
    "{plan}/initiatives/5/5.1/?round={first}": 15,  # with its plan lineage (three queries)
    "{plan}/rounds/{last}/meeting-pack/": 8,
}


@pytest.mark.parametrize(("address", "budget"), ROUND_PAGES.items())
def test_pages_as_of_a_round_run_a_fixed_number_of_queries(client, address, budget):
    load_sample()
    rounds = ReportingRound.objects.published().filter(plan__slug="2016-2025").order_by("closes_on")
    url = address.format(plan=PLAN, first=rounds.first().pk, last=rounds.last().pk)
    assert queries_for(client, url) == budget
    grow_twentyfold()
    assert queries_for(client, url) == budget
