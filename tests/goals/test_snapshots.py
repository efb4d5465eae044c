"""Published rounds are frozen (goals.snapshots): their figures, timelines, meeting pack and
missing reports stay as they were at publication, whatever is corrected later."""

import datetime
import difflib

import pytest

from goals import workflow
from goals.models import Body, MemberState, ProgressUpdate, Responsibility
from tests.helpers import deliverable, text_of

pytestmark = pytest.mark.django_db


def missing_reports_of(reporting_round):
    from goals.rounds import missing_reports

    return [
        (str(m.body), m.deliverable.code, str(m.member_state or "")) for m in missing_reports(reporting_round)
    ]


class TestPublishedRounds:
    def test_published_figures_do_not_change_with_later_edits(self, staff, update, client):
        workflow.submit(update, by=staff.ph)
        workflow.approve(update, by=staff.secretariat)
        workflow.move_round(update.round, "close", by=staff.secretariat)
        workflow.move_round(update.round, "publish", by=staff.secretariat)
        page = f"/plans/2016-2025/initiatives/8/?round={update.round_id}"
        assert "60\u00a0%" in client.get(page).text
        workflow.unapprove(update, by=staff.secretariat, reason="Figure was provisional")
        assert "60\u00a0%" in client.get(page).text  # frozen at publication
        today = text_of(client.get("/plans/2016-2025/initiatives/8/"))
        assert "60\u00a0%" not in today  # today's figure moved

    def test_a_published_round_shows_what_was_true_at_publication(self, staff, client, open_round):
        """Published means frozen: an update approved in a round and un-approved (then corrected)
        after publication keeps its place, and its words, in that round's figures, timelines,
        meeting pack and missing reports; today's pages drop it."""
        myanmar = MemberState.objects.get(iso_code="MM")
        update = ProgressUpdate.objects.create(
            deliverable=deliverable("5.1"), member_state=myanmar, round=open_round, status="completed",
            percent_complete=100, reported_on=datetime.date(2026, 11, 20), submitted_by=staff.th,
            evidence_url="https://example.org/claimed-accession", narrative="Accession deposited",
        )  # fmt: skip
        ProgressUpdate.objects.filter(pk=update.pk).update(review_state="submitted")
        workflow.approve(update, by=staff.secretariat)
        workflow.move_round(open_round, "close", by=staff.secretariat)
        workflow.move_round(open_round, "publish", by=staff.secretariat)
        as_of = f"round={open_round.pk}"
        pages = [f"/plans/2016-2025/member-states/?{as_of}", f"/plans/2016-2025/initiatives/5/5.1/?{as_of}",
                 f"/plans/2016-2025/initiatives/5/?{as_of}", f"/plans/2016-2025/?{as_of}"]  # fmt: skip
        pack = f"/plans/2016-2025/rounds/{open_round.pk}/meeting-pack/"

        def published_view():
            texts = [client.get(page) for page in pages]
            assert all(response.status_code == 200 for response in texts)
            matrix = b"".join(client.get(f"{pages[0]}&format=csv").streaming_content).decode("utf-8-sig")
            return [t.text for t in texts], matrix, client.get(pack).text, missing_reports_of(open_round)

        before = published_view()
        assert "Accession deposited" in before[0][1] and "claimed-accession" in before[0][1]
        workflow.unapprove(update, by=staff.secretariat, reason="The accession has not taken effect")
        update.refresh_from_db()
        update.narrative = "Corrected: not deposited yet"
        update.save()
        Responsibility.objects.create(body=Body.objects.get(slug="th-dip"), deliverable=deliverable("6.1"),
                                      role="lead")  # fmt: skip
        after = published_view()
        for page, then, now in zip([*pages, "matrix.csv", pack], [*before[0], before[1], before[2]],
                                   [*after[0], after[1], after[2]], strict=True):  # fmt: skip
            assert now == then, "\n".join(
                difflib.unified_diff(then.splitlines(), now.splitlines(), page, n=0)
            )
        assert after[3] == before[3]
        today = client.get("/plans/2016-2025/initiatives/5/5.1/")
        assert today.status_code == 200 and "claimed-accession" not in today.text
