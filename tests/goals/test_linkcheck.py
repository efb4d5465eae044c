"""Evidence links checked later (goals.linkcheck, manage.py check_evidence_links): against a
local server, a link that answers is recorded as answering, one that fails is recorded with
the day it started failing, and public pages say so under the link."""

import datetime
import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.utils import timezone

from goals.models import EvidenceLink, ProgressUpdate
from tests.factories import make_update
from tests.helpers import deliverable, text_of

pytestmark = pytest.mark.django_db


class Answers(BaseHTTPRequestHandler):
    """/ok answers, /gone is 404, /no-head refuses HEAD but answers GET, /moved redirects to /ok."""

    def do_HEAD(self):
        self.answer(head=True)

    def do_GET(self):
        self.answer(head=False)

    def answer(self, head):
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif self.path == "/ok" or (self.path == "/no-head" and not head):
            self.send_response(200)
        elif self.path == "/no-head":
            self.send_response(405)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(autouse=True)
def no_links_but_the_tests():
    """The shipped data's evidence links point at the internet, which tests never ask."""
    ProgressUpdate.objects.update(evidence_url="")


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Answers)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def approved_with(url, code="8.1"):
    return make_update(
        deliverable=deliverable(code), review_state="approved", evidence_url=url, narrative=url
    )


def run(**options):
    out = io.StringIO()
    call_command("check_evidence_links", "--timeout", "5", stdout=out, **options)
    return out.getvalue()


def test_links_that_answer_and_links_that_do_not_are_recorded(server):
    for path in ("/ok", "/gone", "/no-head", "/moved"):
        approved_with(server + path)
    make_update(deliverable=deliverable("8.1"), review_state="draft", evidence_url=server + "/draft-only")
    output = run()
    links = {link.url.removeprefix(server): link for link in EvidenceLink.objects.all()}
    assert "/draft-only" not in links  # only public evidence is checked
    for answering in ("/ok", "/no-head", "/moved"):
        assert links[answering].answered_at and links[answering].failing_since is None
    assert links["/gone"].failing_since and links["/gone"].problem == "HTTP 404"
    assert f"Not reachable: {server}/gone (HTTP 404)" in output


def test_a_link_that_keeps_failing_keeps_the_day_it_started_and_recovers(server, monkeypatch):
    update = approved_with(server + "/gone")
    run()
    first = EvidenceLink.objects.get(url=server + "/gone").failing_since
    later = timezone.now() + datetime.timedelta(days=3)
    monkeypatch.setattr(timezone, "now", lambda: later)
    run()
    link = EvidenceLink.objects.get(url=server + "/gone")
    assert link.failing_since == first and link.checked_at == later
    update.evidence_url = server + "/ok"
    update.save()
    run()
    assert EvidenceLink.objects.get(url=server + "/ok").failing_since is None


def test_a_server_that_does_not_answer_is_recorded_too():
    approved_with("http://127.0.0.1:9/nothing-listens-here")
    output = run()
    link = EvidenceLink.objects.get(url="http://127.0.0.1:9/nothing-listens-here")
    assert "Not reachable: http://127.0.0.1:9/nothing-listens-here (no answer" in output
    assert link.problem.startswith("no answer") and link.failing_since and not link.answered_at


def test_pages_say_since_when_a_link_has_not_answered(client, server):
    approved_with(server + "/gone")
    approved_with(server + "/ok")
    run()
    since = EvidenceLink.objects.get(url=server + "/gone").failing_since
    page = text_of(client.get("/plans/2016-2025/initiatives/8/8.1/"))
    note = f"(link not reachable since {since.day} {since:%b %Y})"
    after_gone = page.index(f'href="{server}/gone"')
    assert note in page[after_gone : page.index("</p>", after_gone)]
    after_ok = page.index(f'href="{server}/ok"')
    assert "not reachable" not in page[after_ok : page.index("</p>", after_ok)]
