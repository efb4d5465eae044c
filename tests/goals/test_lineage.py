"""Plan lineage: what became of each item of the 2016-2025 plan in the 2026-2030 plan, as loaded
from goals/data/lineage.csv, checked, edited in the admin, and shown on the lineage pages, the
item pages, the CSV file and the API."""

import io
import shutil

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from goals.loading import DATA_DIR, load
from goals.models import FATES, ActionPlan, Deliverable, Initiative, LineageLink, ReportingRound
from goals.progress import cached_plan_data
from goals.snapshots import progress_as_of
from tests.helpers import download, text_of
from tests.sample import load_sample
from tracker.core.loading import DataFileError, LoadReport

pytestmark = pytest.mark.django_db

OLD, NEW = "/plans/2016-2025", "/plans/2026-2030"


def initiative(plan, number):
    return Initiative.objects.get(plan__slug=plan, number=number)


def link_of(**item):
    return LineageLink.objects.get(**item)


# Loading


def test_every_item_of_the_older_plan_has_one_link_sourced_or_provisional():
    old = ActionPlan.objects.get(slug="2016-2025")
    deliverables = Deliverable.objects.filter(initiative__plan=old)
    items = Initiative.objects.filter(plan=old).count() + deliverables.count()
    links = LineageLink.objects.all()
    assert links.count() == items
    for link in links:
        assert link.source_url or link.provisional or link.fate == "completed", link
        assert not link.provisional or link.provisional_note.strip(), link


def test_a_link_recorded_as_completed_is_completed_in_the_figures():
    progress = progress_as_of(cached_plan_data(ActionPlan.objects.get(slug="2016-2025")))
    for link in LineageLink.objects.filter(fate="completed"):
        figures = progress.initiatives if link.initiative_id else progress.deliverables
        assert figures[link.item.pk].status == "completed", link


def test_the_known_sources_are_loaded_with_their_targets():
    split = link_of(initiative=initiative("2016-2025", 7))
    assert split.fate == "split_into" and split.provisional and split.source_url
    assert sorted(i.number for i in split.to_initiatives.all()) == [2, 4]
    academy = link_of(deliverable=Deliverable.objects.get(initiative__plan__slug="2016-2025", code="7.2"))
    assert academy.fate == "continued" and [i.number for i in academy.to_initiatives.all()] == [4]
    unknown = link_of(initiative=initiative("2016-2025", 9 - 8))
    assert unknown.fate == "not_yet_known" and unknown.provisional and not unknown.targets


def test_loading_again_changes_nothing():
    report = LoadReport()
    load(report)
    assert report.changed == 0


def test_the_codelist_the_database_holds_is_the_models():
    assert list(LineageLink.Fate.values) == FATES


def bad_data(tmp_path, line):
    for path in DATA_DIR.glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    with (tmp_path / "lineage.csv").open("a", encoding="utf-8") as file:
        file.write(line + "\n")
    return tmp_path


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("2016-2025,3,,continued,,,,,,yes,unknown", "needs 1 item"),
        ("2016-2025,3,,dropped,2026-2030,1,,,https://example.org/,,", "leads to no item"),
        ("2016-2025,3,,split_into,2026-2030,1,,,https://example.org/,,", "needs at least 2 items"),
        ("2016-2025,3,,continued,2016-2025,4,,,https://example.org/,,", "not in the plan that follows"),
        ("2016-2025,3,,vanished,,,,,,yes,unknown", "unknown fate 'vanished'"),
        ("2016-2025,3,,dropped,,,,,,,", "Give the source of this fate"),
        ("2016-2025,3,,continued,2026-2030,99,,,https://example.org/,,", "unknown initiative"),
        ("2026-2030,1,,dropped,,,,,https://example.org/,,", "has no successor plan"),
    ],
)
def test_bad_lineage_rows_are_refused_with_the_reason_and_nothing_changes(tmp_path, line, message):
    before = list(LineageLink.objects.values_list("pk", "fate"))
    data_dir = bad_data(tmp_path, line)
    with pytest.raises(DataFileError, match=message) as error, transaction.atomic():
        load(LoadReport(), data_dir)
    assert "lineage.csv, line 50" in str(error.value)
    assert list(LineageLink.objects.values_list("pk", "fate")) == before


def test_the_database_refuses_a_link_to_both_an_initiative_and_a_deliverable():
    old = initiative("2016-2025", 3)
    with pytest.raises(IntegrityError), transaction.atomic():
        LineageLink.objects.filter(initiative=old).update(deliverable=Deliverable.objects.first())


def test_the_database_refuses_an_unsourced_fate_that_is_not_provisional():
    link = link_of(initiative=initiative("2016-2025", 3))
    with pytest.raises(IntegrityError), transaction.atomic():
        LineageLink.objects.filter(pk=link.pk).update(fate="dropped", provisional=False, source_url="")


def test_a_deliverable_replaces_only_one_of_its_own_plan():
    older = Deliverable.objects.get(initiative__plan__slug="2016-2025", code="7.2")
    newer = Deliverable(initiative=initiative("2026-2030", 4), code="4.1", title="Curriculum", replaces=older)
    with pytest.raises(ValidationError, match="record what became of an item in the next plan"):
        newer.full_clean()


# Pages


def test_the_older_plans_page_says_where_each_item_went_and_the_other_way_too(client):
    text = text_of(client.get(f"{OLD}/lineage/"))
    assert "Where the items of the ASEAN IPR Action Plan 2016-2025 went" in text
    assert "Where the items of the ASEAN IPR Action Plan 2026-2030 came from" in text
    assert text.index("went") < text.index("came from")
    assert "Split into" in text and "Initiative 4: ASEAN IP Academy curriculum" in text
    assert "Not confirmed: The sources report both 2026-2030 items" in text  # the note, not on hover only
    assert 'href="https://logisticsnews.ph/' in text
    assert "18 completed" in text and "1 split" in text  # the fates counted
    assert 'Source: <a href="/plans/2016-2025/initiatives/9/">its approved progress</a>' in text


def test_the_newer_plans_page_says_where_each_item_came_from_first(client):
    text = text_of(client.get(f"{NEW}/lineage/"))
    came = text.index("Where the items of the ASEAN IPR Action Plan 2026-2030 came from")
    assert came < text.index("Where the items of the ASEAN IPR Action Plan 2016-2025 went")
    assert 'href="/plans/2016-2025/initiatives/17/"' in text  # valuation framework <- IP valuation
    assert "Not traced: new in this plan, or not yet linked." in text  # the commercialisation hubs


def test_the_lineage_page_works_as_of_a_published_round_and_refuses_another(client):
    load_sample()
    first = ReportingRound.objects.published().filter(plan__slug="2016-2025").order_by("closes_on").first()
    then = text_of(client.get(f"{OLD}/lineage/?round={first.pk}"))
    assert f"As of {first.name}" in then and "Percent delivered" in then
    assert f'href="/plans/2016-2025/initiatives/7/?round={first.pk}"' in then  # the figures keep the round
    assert 'href="/plans/2026-2030/initiatives/4/"' in then  # the other plan's items do not
    assert "Split into" in then  # the links are the same in every round
    refused = client.get(f"{OLD}/lineage/?round=999")
    assert refused.status_code == 400 and "not a published reporting round" in refused.text


def test_an_unknown_plan_has_no_lineage_page(client):
    assert client.get("/plans/1999-2000/lineage/").status_code == 404


def test_the_item_pages_say_where_an_item_went_and_came_from(client):
    went = text_of(client.get(f"{OLD}/initiatives/7/"))
    assert "Went to the 2026-2030 plan" in went and 'href="/plans/2026-2030/initiatives/2/"' in went
    came = text_of(client.get(f"{NEW}/initiatives/4/"))
    assert "Came from the 2016-2025 plan" in came
    assert 'href="/plans/2016-2025/initiatives/7/7.2/"' in came
    assert 'href="/plans/2016-2025/initiatives/7/"' in came
    deliverable = text_of(client.get(f"{OLD}/initiatives/5/5.1/"))
    assert "Went to the 2026-2030 plan" in deliverable and "Not yet known" in deliverable
    assert "Came from" not in deliverable  # the 2016-2025 plan has no predecessor in the tracker


def test_the_overview_links_to_the_lineage_page(client):
    assert 'href="/plans/2016-2025/lineage/"' in text_of(client.get(f"{OLD}/"))


def test_the_sitemap_lists_each_plans_lineage_page(client):
    text = text_of(client.get("/sitemap.xml"))
    assert "/plans/2016-2025/lineage/</loc>" in text and "/plans/2026-2030/lineage/</loc>" in text


# CSV and API


def test_the_lineage_csv_has_one_row_per_link_with_its_source_or_note(client):
    rows = download(client, "/data/lineage.csv")
    assert len(rows) == LineageLink.objects.count()
    split = next(r for r in rows if r["from_initiative_number"] == "7" and not r["from_deliverable_code"])
    assert (split["fate"], split["to_plan"], split["to_initiative_numbers"]) == (
        "split_into",
        "2026-2030",
        "2;4",
    )
    assert split["provisional"] == "true" and split["provisional_note"] and split["source_url"]
    # an initiative, then its deliverables
    assert [(r["from_initiative_number"], r["from_deliverable_code"]) for r in rows[:3]] == [
        ("1", ""),
        ("1", "1.1"),
        ("1", "1.2"),
    ]


def test_the_lineage_page_offers_its_csv_and_unknown_plans_are_refused(client):
    rows = download(client, f"{NEW}/lineage/?format=csv")
    assert len(rows) == 4  # the links into the 2026-2030 plan: initiatives 7 and 17, 7.2 and 17.1
    assert client.get("/data/lineage.csv?plan=1999").status_code == 400


def test_the_api_lists_the_links_with_their_items(client):
    response = client.get("/api/lineage/", {"plan": "2026-2030"})
    assert response.status_code == 200
    results = response.json()["results"] if "results" in response.json() else response.json()
    split = next(r for r in results if r["from"]["kind"] == "initiative" and r["from"]["number"] == 7)
    assert split["fate"] == "split_into" and split["provisional"] is True
    assert [t["number"] for t in split["to"]] == [2, 4] and split["to"][0]["plan"] == "2026-2030"
    assert client.get("/api/lineage/", {"plan": "nope"}).status_code == 400


# Admin


def lineage_form(link, **changes):
    data = {
        "initiative": link.initiative_id or "",
        "deliverable": link.deliverable_id or "",
        "fate": link.fate,
        "to_initiatives": [i.pk for i in link.to_initiatives.all()],
        "to_deliverables": [d.pk for d in link.to_deliverables.all()],
        "note": link.note,
        "source_url": link.source_url,
        "provisional": "on" if link.provisional else "",
        "provisional_note": link.provisional_note,
        "seen_version": link.history.latest().history_id,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value not in (None, False)}


def test_the_secretariat_records_a_fate_in_the_admin(login, staff):
    link = link_of(initiative=initiative("2016-2025", 16))
    client = login(staff.secretariat)
    response = client.post(
        f"/admin/goals/lineagelink/{link.pk}/change/",
        lineage_form(link, fate="continued", to_initiatives=[initiative("2026-2030", 3).pk]),
    )
    assert response.status_code == 302, response.content
    link.refresh_from_db()
    assert link.fate == "continued" and [i.number for i in link.to_initiatives.all()] == [3]


def test_the_admin_refuses_a_fate_without_its_targets_and_changes_nothing(login, staff):
    link = link_of(initiative=initiative("2016-2025", 16))
    client = login(staff.secretariat)
    response = client.post(
        f"/admin/goals/lineagelink/{link.pk}/change/",
        lineage_form(link, fate="split_into", to_initiatives=[initiative("2026-2030", 3).pk]),
    )
    assert "needs at least 2 items of the next plan" in text_of(response)
    link.refresh_from_db()
    assert link.fate == "not_yet_known"


def test_only_the_secretariat_writes_lineage(login, staff):
    link = link_of(initiative=initiative("2016-2025", 16))
    for user in (staff.ph, staff.viewer):
        client = login(user)
        assert client.get("/admin/goals/lineagelink/").status_code == 200
        response = client.post(
            f"/admin/goals/lineagelink/{link.pk}/change/", lineage_form(link, fate="dropped")
        )
        assert response.status_code == 403
    link.refresh_from_db()
    assert link.fate == "not_yet_known"


def test_load_plan_reports_the_lineage_links():
    out = io.StringIO()
    call_command("load_plan", stdout=out)
    assert "plan lineage links: 48 unchanged" in out.getvalue()


@pytest.mark.parametrize("fate", FATES)
@pytest.mark.parametrize("count", [0, 1, 2, 3])
def test_each_fate_takes_exactly_the_number_of_items_its_rule_says(fate, count):
    """Every fate against every number of items of the next plan, 0 to 3: refused with a reason
    exactly when the count is outside the fate's range."""
    link = LineageLink(initiative=initiative("2016-2025", 3), fate=fate)
    targets = list(Initiative.objects.filter(plan__slug="2026-2030").order_by("number")[:count])
    fewest, most = LineageLink.TARGETS[fate]
    allowed = fewest <= count and (most is None or count <= most)
    assert (link.problems_with_targets(targets, []) == []) is allowed
