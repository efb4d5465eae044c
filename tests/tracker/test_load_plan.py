"""`load_plan` loads the real plan data, is idempotent, follows corrections in the data files
and refuses a bad file without changing anything."""

import csv
import io
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import CommandError, call_command

import goals.loading
import partners.loading
from goals.models import (
    ActionPlan,
    Body,
    Deliverable,
    Initiative,
    MemberState,
    ProgressUpdate,
    ReportingRound,
    Responsibility,
    StrategicGoal,
)
from partners.models import CooperationProgramme, Involvement, Partner, ProgrammeReport

pytestmark = pytest.mark.django_db

PLAN_APPS = ("goals", "partners")


def load(*args):
    out = io.StringIO()
    call_command("load_plan", *args, stdout=out)
    return out.getvalue()


def snapshot():
    """Every plan and partner record, serialised: equal snapshots mean nothing changed."""
    models = [m for m in apps.get_models() if m._meta.app_label in PLAN_APPS]
    return {m._meta.label: serializers.serialize("json", m.objects.order_by("pk")) for m in models}


@pytest.fixture
def data_dir(tmp_path):
    """A copy of the shipped data files that a test may edit."""
    shutil.copytree(goals.loading.DATA_DIR, tmp_path / "goals")
    shutil.copytree(partners.loading.DATA_DIR, tmp_path / "partners")
    return tmp_path


def edit_csv(path: Path, match, changes):
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    fieldnames = list(rows[0])
    hits = [row for row in rows if all(row[k] == v for k, v in match.items())]
    assert len(hits) == 1, f"expected one row matching {match}"
    hits[0].update(changes)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


class TestShapeOfTheRealData:
    def test_the_2016_2025_plan_has_four_goals_and_nineteen_initiatives(self):
        plan = ActionPlan.objects.get(slug="2016-2025")
        assert plan.version_label.startswith("v2.0")
        assert sorted(plan.goals.values_list("number", flat=True)) == [1, 2, 3, 4]
        assert sorted(plan.initiatives.values_list("number", flat=True)) == list(range(1, 20))

    def test_initiatives_without_a_confirmed_title_are_provisional_with_a_note(self):
        unconfirmed = Initiative.objects.filter(plan__slug="2016-2025", provisional=True)
        assert set(unconfirmed.values_list("number", flat=True)) >= {8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19}
        assert all(initiative.provisional_note for initiative in unconfirmed)
        confirmed = Initiative.objects.filter(plan__slug="2016-2025", number__in=range(1, 8))
        assert not confirmed.filter(provisional=True).exists()

    def test_the_2026_2030_plan_follows_the_old_one_and_is_flagged_incomplete(self):
        plan = ActionPlan.objects.get(slug="2026-2030")
        assert (plan.start_year, plan.end_year) == (2026, 2030)
        assert plan.predecessor.slug == "2016-2025"
        assert plan.provisional and "fifth" in plan.provisional_note

    def test_each_plan_names_its_goals_in_its_own_words_and_says_how_many_it_sets_out(self):
        old, new = ActionPlan.objects.get(slug="2016-2025"), ActionPlan.objects.get(slug="2026-2030")
        assert (old.goal_term, old.stated_goal_count) == ("strategic goal", None)  # all four recorded
        assert (new.goal_term, new.goal_label, new.stated_goal_count) == (
            "strategic measure",
            "Strategic measure",
            5,
        )
        assert new.goals.count() == 4  # the fifth measure was not found: the gap is the plan's to show
        assert "five strategic" not in new.summary  # the count on the pages comes from the data

    def test_eleven_member_states_with_timor_leste_and_its_missing_office(self):
        assert MemberState.objects.count() == 11
        timor = MemberState.objects.get(iso_code="TL")
        assert str(timor.joined_asean_on) == "2025-10-26"
        assert not timor.bodies.exists()
        offices = Body.objects.filter(kind=Body.Kind.IP_OFFICE)
        assert set(offices.values_list("member_state__iso_code", flat=True)) == set(
            MemberState.objects.exclude(iso_code="TL").values_list("iso_code", flat=True)
        )

    def test_awgipc_and_its_task_forces_and_networks(self):
        awgipc = Body.objects.get(acronym="AWGIPC")
        children = set(awgipc.children.values_list("slug", flat=True))
        assert {"aniee", "aspec-task-force", "task-force-trademarks", "ip-academy-working-group",
                "design-convergence-network", "task-force-industrial-design",
                "task-force-digital-transformation", "tisc-network"} <= children  # fmt: skip
        assert Body.objects.filter(kind=Body.Kind.SECRETARIAT, acronym="ASEC").exists()

    def test_the_twelve_partners_with_cnipa_formerly_sipo(self):
        assert Partner.objects.count() == 12
        assert set(Partner.objects.values_list("acronym", flat=True)) == {
            "IP Australia", "EPO", "EUIPO", "JPO", "MOIP", "IPONZ", "CNIPA", "USPTO", "WIPO",
            "ASEAN IPA", "ICC BASCAP", "INTA",
        }  # fmt: skip
        assert "SIPO" in Partner.objects.get(acronym="CNIPA").former_names
        assert "KIPO" in Partner.objects.get(slug="kipo").former_names
        assert "OHIM" in Partner.objects.get(slug="euipo").former_names
        assert Partner.objects.get(slug="iponz").reports_under_article_67

    def test_cooperation_programmes_and_article_67_symbols(self):
        names = set(CooperationProgramme.objects.values_list("acronym", flat=True))
        assert {
            "ECAP I",
            "ECAP II",
            "ECAP III",
            "ARISE+ IPR",
            "IP Key SEA",
            "SCOPE IPR",
            "AANZFTA IP",
        } <= names
        symbols = set(ProgrammeReport.objects.values_list("document_symbol", flat=True))
        assert {"IP/C/W/582/Add.2", "IP/C/W/647/Add.3", "IP/C/R/TC/AUS/1", "IP/C/R/TC/AUS/3"} <= symbols

    def test_regional_platforms_are_deliverables_with_addresses(self):
        platforms = Deliverable.objects.filter(kind=Deliverable.Kind.PLATFORM)
        titles = " ".join(platforms.values_list("title", flat=True))
        for name in ["ASEAN IP Portal", "PATENTSCOPE", "TMview", "TMclass", "DesignView", "GI Database",
                     "Case Law", "IP Register", "IP Academy"]:  # fmt: skip
            assert name in titles
        assert all(platform.url for platform in platforms)

    def test_treaty_accessions_are_approved_updates_per_member_state(self):
        madrid = ProgressUpdate.objects.filter(
            deliverable__code="5.1", deliverable__initiative__plan__slug="2016-2025"
        )
        assert madrid.count() == 9  # every member state but Myanmar and Timor-Leste
        assert not madrid.filter(member_state__iso_code__in=["MM", "TL"]).exists()
        brunei = madrid.get(member_state__iso_code="BN")
        assert str(brunei.reported_on) == "2017-01-06"
        assert brunei.review_state == ProgressUpdate.ReviewState.APPROVED
        singapore = madrid.get(member_state__iso_code="SG")
        assert str(singapore.reported_on) == "2000-10-31" and singapore.reported_on_precision == "day"
        assert not singapore.provisional

    def test_uncertain_dates_are_flagged_not_presented_as_fact(self):
        academy_study = ProgressUpdate.objects.get(data_key="academy-study-2019")
        assert academy_study.provisional and academy_study.reported_on_precision == "year"

    def test_every_loaded_record_carries_its_source(self):
        sourced = [ActionPlan, StrategicGoal, Initiative, Deliverable, MemberState, Body, Responsibility,
                   Partner, Involvement, CooperationProgramme, ProgrammeReport]  # fmt: skip
        for model in sourced:
            assert not model.objects.filter(source_url="").exists(), model
        assert not ProgressUpdate.objects.filter(evidence_url="").exists()

    def test_no_sample_data_by_default(self):
        assert not ProgressUpdate.objects.filter(is_sample=True).exists()
        assert not ReportingRound.objects.exists()


class TestIdempotence:
    def test_running_twice_changes_nothing(self):
        before = snapshot()
        output = load()
        assert "Already up to date." in output
        assert snapshot() == before

    def test_a_corrected_data_file_updates_just_that_record(self, data_dir):
        edit_csv(
            data_dir / "goals" / "deliverables.csv",
            {"plan": "2016-2025", "code": "8.7"},
            {"title": "ASEAN Intellectual Property Register"},
        )
        counts = {model: model.objects.count() for model in (Deliverable, ProgressUpdate, Partner)}
        output = load("--data-dir", str(data_dir))
        assert "deliverables: 1 updated, 28 unchanged" in output
        deliverable = Deliverable.objects.get(initiative__plan__slug="2016-2025", code="8.7")
        assert deliverable.title == "ASEAN Intellectual Property Register"
        assert counts == {model: model.objects.count() for model in counts}

    def test_sample_progress_is_opt_in_flagged_and_idempotent(self):
        load("--sample")
        sample = ProgressUpdate.objects.filter(is_sample=True)
        assert sample.exists()
        assert all(update.round.is_sample for update in sample.select_related("round"))
        before = snapshot()
        assert "Already up to date." in load("--sample")
        assert snapshot() == before

    def test_a_plan_s_wording_is_loaded_and_corrected_like_any_value(self, data_dir):
        assert "Already up to date." in load("--data-dir", str(data_dir))
        edit_csv(data_dir / "goals" / "plans.csv", {"slug": "2026-2030"}, {"goal_term": "strategic priority"})
        assert "action plans: 1 updated, 1 unchanged" in load("--data-dir", str(data_dir))
        assert ActionPlan.objects.get(slug="2026-2030").goal_label == "Strategic priority"
        edit_csv(data_dir / "goals" / "plans.csv", {"slug": "2026-2030"}, {"goal_term": ""})
        load("--data-dir", str(data_dir))
        assert ActionPlan.objects.get(slug="2026-2030").goal_term == "strategic goal"  # the default

    def test_if_empty_does_nothing_once_a_plan_is_loaded(self, data_dir):
        edit_csv(data_dir / "goals" / "plans.csv", {"slug": "2016-2025"}, {"title": "Changed"})
        assert "nothing to do" in load("--if-empty", "--data-dir", str(data_dir))
        assert ActionPlan.objects.get(slug="2016-2025").title == "ASEAN IPR Action Plan 2016-2025"


UPDATES = "goals/progress_updates.csv"
BAD_ROWS = [
    (UPDATES, {"key": "madrid-bn"}, {"percent_complete": "150"}, "less than or equal to 100"),
    (UPDATES, {"key": "madrid-bn"}, {"reported_on": "6 Jan 2017"}, "YYYY-MM-DD"),
    (UPDATES, {"key": "madrid-bn"}, {"member_state": "XX"}, "unknown member state 'XX'"),
    ("goals/deliverables.csv", {"code": "8.7"}, {"code": "8.6"}, "used twice"),
    ("goals/initiatives.csv", {"plan": "2016-2025", "number": "5"}, {"goal": "9"}, "unknown goal"),
    ("goals/plans.csv", {"slug": "2026-2030"}, {"goal_term": "Measure 1"}, "in lower case"),
    ("goals/plans.csv", {"slug": "2026-2030"}, {"stated_goal_count": "five"}, "whole number"),
    (
        "partners/programme_reports.csv",
        {"document_symbol": "IP/C/R/TC/AUS/1"},
        {"document_symbol": "AUS 1"},
        "WTO document symbol",
    ),
]


class TestBadDataFiles:
    @pytest.mark.parametrize(("file", "match", "change", "message"), BAD_ROWS)
    def test_a_bad_row_is_named_and_nothing_is_written(self, data_dir, file, match, change, message):
        edit_csv(data_dir / file, match, change)
        # A valid correction earlier in the run must be rolled back too.
        edit_csv(data_dir / "goals" / "plans.csv", {"slug": "2016-2025"}, {"title": "Should not stick"})
        before = snapshot()
        with pytest.raises(CommandError) as error:
            load("--data-dir", str(data_dir))
        assert "Nothing was loaded" in str(error.value)
        assert Path(file).name in str(error.value) and "line" in str(error.value)
        assert message in str(error.value)
        assert snapshot() == before


def test_a_row_with_more_cells_than_columns_is_named_and_nothing_is_written(data_dir):
    path = data_dir / "goals" / "deliverables.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].rstrip("\r\n") + ",one cell too many\n"
    path.write_text("".join(lines), encoding="utf-8")
    before = snapshot()
    with pytest.raises(CommandError) as error:
        load("--data-dir", str(data_dir))
    assert "deliverables.csv, line 4" in str(error.value)
    assert "more cells than the" in str(error.value)
    assert snapshot() == before
