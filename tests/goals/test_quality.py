"""Data quality (goals.quality): the admin's flags and its filter by flag, and the public
data-quality score with its parts."""

import datetime
from dataclasses import replace
from types import SimpleNamespace

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from goals.models import ProgressUpdate
from goals.progress import ApprovedUpdate
from goals.quality import row_tally
from tests.helpers import deliverable
from tests.sample import load_sample

pytestmark = pytest.mark.django_db


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
        load_sample()
        stale = [code for code in ("1.3", "5.1") if "stale" in self.flags(code)]
        assert stale == ["5.1"]  # the sample reports on 1.3 every round; nobody reports 5.1

    def test_the_admin_filters_by_flag(self, login, staff):
        page = (
            login(staff.secretariat)
            .get(reverse("admin:goals_deliverable_changelist"), {"quality": "past_planned_end_not_completed"})
            .text
        )
        assert "ASEAN Patent Examination Cooperation" in page and "ASEAN IP Register" not in page


class TestThePublicDataQualityScore:
    """The public score (goals.quality.quality_as_of) on a constructed case: two published rounds;
    1.98 reported in the first only, without evidence; 1.99 never reported."""

    @pytest.fixture
    def rounds(self, settings):
        from goals.models import ActionPlan, Deliverable, Initiative, ReportingRound
        from goals.rounds import publish_snapshot

        settings.STALE_AFTER_ROUNDS = 2
        plan = ActionPlan.objects.get(slug="2016-2025")
        initiative = Initiative.objects.get(plan=plan, number=1)
        reported = Deliverable.objects.create(initiative=initiative, code="1.98", title="Reported once")
        Deliverable.objects.create(initiative=initiative, code="1.99", title="Never reported")

        def published(name, month):
            return ReportingRound.objects.create(
                plan=plan, name=name, opens_on=datetime.date(2026, month, 1),
                closes_on=datetime.date(2026, month, 28), state=ReportingRound.State.PUBLISHED,
            )  # fmt: skip

        first = published("Round A", 2)
        self.update = ProgressUpdate.objects.create(
            deliverable=reported, round=first, status="in_progress", percent_complete=40,
            reported_on=datetime.date(2026, 2, 20), review_state="approved",
        )  # fmt: skip
        publish_snapshot(first)
        second = published("Round B", 6)
        publish_snapshot(second)
        return first, second

    def scores(self, client, code):
        from tests.helpers import download

        rows = download(client, "/data/data_quality.csv?plan=2016-2025")
        return {row["round_name"]: row for row in rows if row["deliverable_code"] == code}

    def test_each_part_on_the_constructed_case(self, client, rounds):
        scores = self.scores(client, "1.98")
        at_first, at_second = scores["Round A"], scores["Round B"]
        # Round A: owed one report and got it, with no evidence; fresh.
        assert [at_first[p] for p in ("timeliness", "completeness", "evidence_coverage", "freshness")] == [
            "100.0", "100.0", "0.0", "100.0"
        ]  # fmt: skip
        assert (at_first["score"], at_first["grade"]) == ("75.0", "good")
        # Round B: owed again and nothing came: half on time, and a round without an update.
        assert [at_second[p] for p in ("timeliness", "completeness", "evidence_coverage", "freshness")] == [
            "50.0", "100.0", "0.0", "50.0"
        ]  # fmt: skip
        assert (at_second["score"], at_second["grade"]) == ("50.0", "fair")
        assert (at_second["reports_owed"], at_second["reports_on_time"]) == ("2", "1")

    def test_no_report_at_all_is_weak_and_evidence_is_not_counted_as_full(self, client, rounds):
        never = self.scores(client, "1.99")["Round B"]
        assert never["evidence_coverage"] == ""  # nothing to measure: left out, never 100
        assert (never["completeness"], never["timeliness"], never["freshness"]) == ("0.0", "0.0", "0.0")
        assert (never["score"], never["grade"]) == ("0.0", "weak")

    def test_evidence_added_later_raises_the_latest_score_not_the_published_one(self, client, rounds):
        ProgressUpdate.objects.filter(pk=self.update.pk).update(evidence_url="https://example.org/report")
        scores = self.scores(client, "1.98")
        assert scores[""]["evidence_coverage"] == "100.0" and scores[""]["score"] == "75.0"
        assert scores["Round B"]["evidence_coverage"] == "0.0"  # published means frozen

    def test_shown_beside_the_figure_now_and_as_of_a_round(self, client, rounds):
        from tests.helpers import text_of

        first, _ = rounds
        url = "/plans/2016-2025/initiatives/1/1.98/"
        now = text_of(client.get(url))
        assert "<strong>Data quality: Fair</strong>, 50 out of 100." in now
        for part in ("Timeliness", "Completeness", "Evidence coverage", "Freshness"):
            assert f"<strong>{part}</strong>:" in now
        assert "1 of 2 reports owed came in their round" in now
        then = text_of(client.get(f"{url}?round={first.pk}"))
        assert "<strong>Data quality: Good</strong>, 75 out of 100." in then
        assert 'href="/methodology/#data-quality"' in then

    def test_shown_for_the_plan_and_each_member_state(self, client, rounds):
        from tests.helpers import text_of

        overview = text_of(client.get("/plans/2016-2025/"))
        assert "How far to trust these figures" in overview and "<strong>Data quality:" in overview
        state = text_of(client.get("/member-states/philippines/"))
        assert "Parts of the data-quality score of the reports on this plan of Philippines" in state
        rows = self.scores(client, "")  # plan and member-state rows have no deliverable code
        assert rows["Round B"]["scope"] in ("plan", "member_state")

    def test_the_method_is_on_the_methodology_page(self, client):
        from tests.helpers import text_of

        page = text_of(client.get("/methodology/"))
        assert '<h2 id="data-quality">' in page and "<strong>Good</strong> from 75" in page
        assert 'href="/data/data_quality.csv"' in page


ROUND_CLOSES = [datetime.date(2024, 4, 15), datetime.date(2024, 10, 15), datetime.date(2025, 4, 15)]
STATUSES = ["not_started", "in_progress", "on_hold", "completed", "dropped"]


@st.composite
def reporting_histories(draw):
    """Published rounds (oldest first) and one row's approved updates in or outside them."""
    count = draw(st.integers(0, len(ROUND_CLOSES)))
    rounds = [
        SimpleNamespace(pk=n + 1, opens_on=closes - datetime.timedelta(days=45), closes_on=closes)
        for n, closes in enumerate(ROUND_CLOSES[:count])
    ]
    updates = []
    for n in range(draw(st.integers(0, 4))):
        in_round = draw(st.sampled_from([None, *rounds]))
        reported = (in_round.closes_on if in_round else datetime.date(2025, 6, 1)) - datetime.timedelta(
            days=draw(st.integers(1, 40))
        )
        updates.append(
            ApprovedUpdate(
                pk=n + 1, deliverable_id=1, member_state_id=None,
                round_id=in_round.pk if in_round else None,
                round_closes_on=in_round.closes_on if in_round else None,
                status=draw(st.sampled_from(STATUSES)), percent_complete=50, reported_on=reported,
                has_evidence=draw(st.booleans()),
            )
        )  # fmt: skip
    return rounds, sorted(updates, key=lambda u: (u.reported_on, u.pk))


@given(reporting_histories())
def test_every_part_and_the_score_stay_between_0_and_100_and_evidence_never_lowers_it(history):
    rounds, updates = history
    tally = row_tally(updates, rounds)
    values = [part.value for part in tally.parts if part.value is not None]
    assert all(0 <= value <= 100 for value in values)
    assert (tally.score is None) == (not values)
    if values:
        assert min(values) <= tally.score <= max(values)
    assert tally.part("completeness") == (100 if updates else 0)  # one row: reported or not
    with_evidence = row_tally([replace(u, has_evidence=True) for u in updates], rounds)
    assert with_evidence.score is None or with_evidence.score >= tally.score
