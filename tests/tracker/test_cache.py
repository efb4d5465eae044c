"""Anonymous public pages come from the cache until the data changes; staff never do."""

import datetime
import gc

import pytest
from django.core.cache import cache
from django.db import connection

from goals import workflow
from goals.models import Deliverable, ProgressUpdate
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

PAGE = "/plans/2016-2025/initiatives/8/8.1/"


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PUBLIC_CACHE_SECONDS = 600
    cache.clear()


def fresh(response):
    """Whether a response was made afresh rather than served from the cache, once sure it answered
    200: an error page lacks the cache's header too, so the check would pass for the wrong reason."""
    assert response.status_code == 200, response.status_code
    return "X-Cache" not in response


def test_a_second_anonymous_request_is_served_from_the_cache(client, django_assert_num_queries):
    first = client.get(PAGE)
    with django_assert_num_queries(1):  # reading the data version, once
        second = client.get(PAGE)
    assert second["X-Cache"] == "hit" and second.content == first.content
    assert second["Content-Security-Policy"]  # headers still come from the middleware


def test_a_change_to_the_data_shows_on_the_next_request(client):
    assert "ASEAN TMview" in client.get(PAGE).text
    deliverable = Deliverable.objects.get(initiative__plan__slug="2016-2025", code="8.1")
    deliverable.title = "ASEAN Trademark View"
    deliverable.save()
    response = client.get(PAGE)
    assert "X-Cache" not in response and "ASEAN Trademark View" in response.text


def test_approving_progress_shows_at_once(client, staff, open_round):
    update = ProgressUpdate.objects.create(
        deliverable=Deliverable.objects.get(initiative__plan__slug="2016-2025", code="8.1"), round=open_round,
        status="in_progress", percent_complete=64, reported_on=datetime.date(2026, 11, 5),
        narrative="Newly approved progress", submitted_by=staff.ph,
    )  # fmt: skip
    assert "Newly approved progress" not in text_of(client.get(PAGE))
    workflow.submit(update, by=staff.ph)
    assert "Newly approved progress" not in text_of(client.get(PAGE))
    assert "64\u00a0%" not in text_of(client.get(PAGE))
    workflow.approve(update, by=staff.secretariat)
    page = client.get(PAGE).text
    assert "Newly approved progress" in page
    assert "64\u00a0%" in page  # the figure, computed from the cached plan data, moved too


def test_staff_are_never_served_nor_stored(client, staff):
    client.force_login(staff.secretariat)
    response = client.get(PAGE)
    assert fresh(response)
    assert fresh(client.get(PAGE))  # nothing was stored from the staff request
    client.logout()
    assert fresh(client.get(PAGE))
    assert client.get(PAGE)["X-Cache"] == "hit"


def test_different_filters_are_different_pages(client):
    platforms = client.get("/explore/deliverables/?kind=platform").text
    studies = client.get("/explore/deliverables/?kind=study").text
    assert platforms != studies and client.get("/explore/deliverables/?kind=study")["X-Cache"] == "hit"


def test_errors_are_not_cached(client):
    client.get("/plans/2016-2025/goals/99/")
    response = client.get("/plans/2016-2025/goals/99/")
    assert response.status_code == 404 and "X-Cache" not in response


def test_a_cached_page_keeps_every_security_header(client):
    first = client.get(PAGE)
    second = client.get(PAGE)
    assert second["X-Cache"] == "hit"
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy"):
        assert second[header] == first[header]


def test_exports_are_cached_and_invalidated_like_pages(client):
    first = client.get("/data/deliverables.csv")
    first_body = b"".join(first.streaming_content) if first.streaming else first.content
    second = client.get("/data/deliverables.csv")
    assert second["X-Cache"] == "hit" and second.content == first_body
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Disposition"] == first["Content-Disposition"]
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]

    deliverable = Deliverable.objects.get(initiative__plan__slug="2016-2025", code="8.1")
    deliverable.title = "ASEAN Trademark View"
    deliverable.save()
    third = client.get("/data/deliverables.csv")
    assert "X-Cache" not in third
    assert "ASEAN Trademark View" in b"".join(third.streaming_content).decode()


def test_a_streamed_export_is_stored_only_once_it_has_all_gone_out(client, monkeypatch):
    monkeypatch.setattr("tracker.core.csvsafe.CHUNK_CHARACTERS", 500)  # the file goes out in many pieces
    url = "/explore/deliverables/?plan=2016-2025&format=csv"
    response = client.get(url)
    assert response.streaming
    body = response.streaming_content
    next(body), next(body)
    del body, response  # the visitor goes away after two pieces: the server closes the stream
    gc.collect()
    assert fresh(client.get(url))  # nothing half-sent was kept...
    complete = client.get(url)
    body = b"".join(complete.streaming_content)
    assert client.get(url).content == body  # ...and the whole file was


def test_an_export_over_the_size_limit_is_always_streamed_afresh(client, settings):
    settings.PUBLIC_CACHE_MAX_BYTES = 1000
    b"".join(client.get("/data/deliverables.csv").streaming_content)
    assert fresh(client.get("/data/deliverables.csv"))


def test_a_change_that_bypasses_save_shows_too(client):
    """A bulk update or a fix typed into a database shell sends no signal; the database's own
    triggers move the data version (tracker.core.dataversion)."""
    client.get(PAGE)
    assert client.get(PAGE)["X-Cache"] == "hit"
    Deliverable.objects.filter(initiative__plan__slug="2016-2025", code="8.1").update(title="Renamed in bulk")
    response = client.get(PAGE)
    assert response.status_code == 200 and "X-Cache" not in response and "Renamed in bulk" in response.text
    with connection.cursor() as cursor:
        cursor.execute("UPDATE goals_deliverable SET title = 'Renamed in SQL' WHERE code = '8.1'")
    assert "Renamed in SQL" in client.get(PAGE).text


def test_saving_a_draft_or_a_submission_keeps_the_public_cache(client, staff, open_round):
    client.get(PAGE)
    assert client.get(PAGE)["X-Cache"] == "hit"
    update = ProgressUpdate.objects.create(
        deliverable=Deliverable.objects.get(initiative__plan__slug="2016-2025", code="8.1"), round=open_round,
        status="in_progress", percent_complete=64, reported_on=datetime.date(2026, 11, 5),
        narrative="A draft", submitted_by=staff.ph,
    )  # fmt: skip
    update.narrative = "A draft, edited"
    update.save()
    workflow.submit(update, by=staff.ph)
    assert client.get(PAGE)["X-Cache"] == "hit"  # nothing public changed
    workflow.approve(update, by=staff.secretariat)
    response = client.get(PAGE)
    assert response.status_code == 200 and "X-Cache" not in response and "A draft, edited" in response.text


def test_the_data_version_is_read_once_per_request(client, django_assert_num_queries):
    client.get(PAGE)  # the process now holds the plan's data
    with django_assert_num_queries(1):
        assert client.get(f"{PAGE}?another=visit").status_code == 200


def test_a_visitor_with_a_session_is_never_served_from_the_cache(client):
    client.get(PAGE)
    client.cookies["sessionid"] = "a-session-the-server-does-not-know"
    response = client.get(PAGE)
    assert response.status_code == 200 and "X-Cache" not in response


def test_anonymous_requests_read_the_version_at_most_once_a_second_per_process(
    client, settings, monkeypatch, django_assert_num_queries
):
    import time

    settings.DATA_VERSION_MAX_AGE = 1.0
    clock = [time.monotonic() + 3600]
    monkeypatch.setattr("tracker.core.cache.time.monotonic", lambda: clock[0])
    monkeypatch.setattr("tracker.core.cache._seen", {"version": None, "at": -1.0})  # not kept for later tests
    client.get(PAGE)
    with django_assert_num_queries(0):  # a cached page, and the version this process read just now
        assert client.get(PAGE)["X-Cache"] == "hit"
    Deliverable.objects.filter(initiative__plan__slug="2016-2025", code="8.1").update(title="Renamed")
    clock[0] += 0.5
    assert client.get(PAGE)["X-Cache"] == "hit"  # within the second: the page as it was
    clock[0] += 0.5  # a second on, the process reads the version again
    response = client.get(PAGE)
    assert response.status_code == 200 and "X-Cache" not in response and "Renamed" in response.text


def test_a_record_committed_within_the_second_shows_with_its_figure_not_an_error(client, settings):
    """Within the second a process keeps its reading of the data version, its queries already
    find what was committed since: the explorer, the CSV and the API read that plan afresh."""
    settings.DATA_VERSION_MAX_AGE = 3600  # the whole test happens "within the second"
    for url in (
        "/explore/deliverables/?plan=2016-2025",
        "/data/deliverables.csv?plan=2016-2025",
        "/api/deliverables/?plan=2016-2025&page=2",
    ):
        client.get(url)
    initiative = Deliverable.objects.get(initiative__plan__slug="2016-2025", code="8.1").initiative
    new = Deliverable.objects.create(initiative=initiative, code="8.99", title="Committed a moment ago")
    ProgressUpdate.objects.create(deliverable=new, status="in_progress", percent_complete=35,
                                  reported_on=datetime.date(2025, 1, 1), review_state="approved")  # fmt: skip
    page = client.get("/explore/deliverables/?plan=2016-2025&q=moment")
    assert page.status_code == 200 and "35\u00a0%" in page.text
    assert '<td class="code">8.99</td>' in page.text and "Committed a moment ago</a>" in page.text
    export = client.get("/data/deliverables.csv?plan=2016-2025&fresh=1")
    assert export.status_code == 400  # an unknown parameter; the file itself:
    rows = b"".join(
        client.get("/explore/deliverables/?plan=2016-2025&q=moment&format=csv").streaming_content
    ).decode()
    assert ",8.99,Committed a moment ago," in rows and ",35.0,in_progress," in rows
    api = client.get("/api/deliverables/", {"plan": "2016-2025", "q": "moment"}).json()["results"]
    assert [(d["code"], d["figure"]["percent"]) for d in api] == [("8.99", "35.0")]


def test_a_cached_page_is_not_served_the_next_day(client, monkeypatch):
    """Schedules and overdue times move on with the date, so the day is part of the key."""
    import datetime as real

    client.get(PAGE)
    assert client.get(PAGE)["X-Cache"] == "hit"

    tomorrow = real.date.today() + real.timedelta(days=1)

    class Tomorrow(real.date):
        @classmethod
        def today(cls):
            return tomorrow

    monkeypatch.setattr("tracker.core.cache.datetime.date", Tomorrow)
    response = client.get(PAGE)
    assert response.status_code == 200 and "X-Cache" not in response


def test_a_pages_own_header_choices_are_kept_with_it(client):
    """A view may ask the security middleware, which runs outside the cache, for other headers
    (an embeddable card may be framed by any site): a page served from the cache gets the same."""
    card = "/embed/plans/2016-2025/goals/1/"
    first, second = client.get(card), client.get(card)
    assert second["X-Cache"] == "hit"
    for response in (first, second):
        assert "X-Frame-Options" not in response
        assert "frame-ancestors *" in response["Content-Security-Policy"]
    page = client.get(PAGE), client.get(PAGE)
    assert page[1]["X-Cache"] == "hit" and all(r["X-Frame-Options"] == "DENY" for r in page)


def test_a_page_stored_before_header_choices_were_kept_is_still_served(client):
    from tracker.core import dataversion

    key = f"tracker:page:{dataversion.read()}:{datetime.date.today()}:{PAGE}"
    cache.set(key, (b"stored earlier", 200, {"Content-Type": "text/html; charset=utf-8"}), 60)
    response = client.get(PAGE)
    assert response["X-Cache"] == "hit" and response.content == b"stored earlier"
    assert response["X-Frame-Options"] == "DENY"
