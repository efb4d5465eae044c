"""What every page says about the site: when the data last changed ("Data as of"), who
publishes the tracker and how to reach them; read once per data version."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from goals import workflow
from goals.models import Deliverable, ProgressUpdate
from goals.selectors import PLAN_RECORDS, public_data_state
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.datetime(2025, 3, 14, 3, 0, tzinfo=datetime.UTC)
PAGES = ["/", "/plans/2016-2025/initiatives/5/5.1/", "/partners/euipo/", "/about/", "/explore/updates/"]


def everything_changed_on(moment):
    """Pretend every public record and approval last changed at ``moment``."""
    ProgressUpdate.objects.update(updated_at=moment)
    for model in PLAN_RECORDS:
        model.history.update(history_date=moment)


def submitted(staff, reporting_round):
    """Progress on 8.1 submitted for review, which the public does not see."""
    update = ProgressUpdate.objects.create(
        deliverable=Deliverable.objects.get(initiative__plan__slug="2016-2025", code="8.1"),
        round=reporting_round,
        status="in_progress",
        percent_complete=64,
        reported_on=datetime.date(2026, 11, 5),
        submitted_by=staff.ph,
    )
    workflow.submit(update, by=staff.ph)
    return update


def data_as_of(page):
    start = page.index("Data as of")
    return page[start : page.index("</time>", start)].split(">")[-1]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_says_when_the_data_last_changed(client, url):
    everything_changed_on(LONG_AGO)
    page = text_of(client.get(url))
    assert 'Data as of <time datetime="2025-03-14">14 March 2025</time>' in page
    assert "(the latest approved change)" in page


def test_the_date_is_the_day_in_the_sites_time_zone(client):
    everything_changed_on(datetime.datetime(2025, 3, 14, 20, 0, tzinfo=datetime.UTC))  # 15 March in Jakarta
    assert data_as_of(text_of(client.get("/"))) == "15 March 2025"


def test_approving_progress_moves_the_date_and_a_draft_does_not(client, staff, open_round):
    everything_changed_on(LONG_AGO)
    update = submitted(staff, open_round)
    assert data_as_of(text_of(client.get("/"))) == "14 March 2025"  # nothing public changed
    workflow.approve(update, by=staff.secretariat)
    today = timezone.localdate()
    assert data_as_of(text_of(client.get("/"))) == f"{today.day} {today:%B %Y}"


def test_a_correction_to_the_plan_moves_the_date(client):
    everything_changed_on(LONG_AGO)
    deliverable = Deliverable.objects.get(initiative__plan__slug="2016-2025", code="8.1")
    deliverable.title = "ASEAN Trademark View"
    deliverable.save()
    assert public_data_state().as_of == timezone.localdate()


def test_with_the_page_cache_the_date_still_moves_with_the_data(client, settings, staff, open_round):
    settings.PUBLIC_CACHE_SECONDS = 600
    cache.clear()
    everything_changed_on(LONG_AGO)
    assert data_as_of(text_of(client.get("/about/"))) == "14 March 2025"
    update = submitted(staff, open_round)
    workflow.approve(update, by=staff.secretariat)
    assert data_as_of(text_of(client.get("/about/"))) == f"{timezone.localdate():%-d %B %Y}"


def test_the_date_and_the_sample_flag_are_read_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        state = public_data_state()
    assert state.sample is False and state.changed_at is not None


def test_once_read_for_a_data_version_no_page_reads_them_again(client, settings, django_assert_num_queries):
    settings.PUBLIC_CACHE_SECONDS = 600
    cache.clear()
    assert client.get("/methodology/?visit=1").status_code == 200
    with django_assert_num_queries(1):  # the data version only
        page = text_of(client.get("/methodology/?visit=2"))
    assert "Data as of <time" in page


def test_without_any_data_no_date_is_given(client):
    ProgressUpdate.objects.all().delete()
    for model in PLAN_RECORDS:
        model.history.all().delete()
    state = public_data_state()
    assert state.as_of is None and state.changed_at is None
    page = text_of(client.get("/methodology/"))
    assert "Data as of" not in page and "Follow updates" in page


def test_the_footer_names_the_publisher_and_the_contact_address(client):
    page = text_of(client.get("/methodology/"))
    footer = page[page.index('<footer class="site-footer">') :]
    assert "Publisher: Secretariat of the ASEAN Working Group on Intellectual Property Cooperation" in footer
    assert '<a href="mailto:tracker-feedback@example.org">tracker-feedback@example.org</a>' in footer
    for link in (
        'href="/about/"',
        'href="/glossary/"',
        'href="/methodology/"',
        'href="/data/"',
        'href="/api/"',
    ):
        assert link in footer
    assert 'href="/api/schema/"' in footer and 'href="/updates.atom"' in footer


def test_settings_choose_the_publisher_and_the_contact_address(client, settings):
    settings.SITE_PUBLISHER = "IP Office of Somewhere"
    settings.SITE_CONTACT_EMAIL = "tracker@ipo.example.org"
    for url in ("/", "/about/"):
        page = text_of(client.get(url))
        assert "Publisher: IP Office of Somewhere." in page
        assert 'href="mailto:tracker@ipo.example.org"' in page and "tracker-feedback@example.org" not in page
