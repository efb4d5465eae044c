"""The review workflow end to end: submit, approve, return with a note, resubmit, un-approve;
the rules on who may do what; notifications; the admin's buttons and bulk actions; reporting
rounds opened, closed and published in order."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.urls import reverse

from goals import workflow
from goals.models import Deliverable, ProgressUpdate, ReportingRound, RoundSnapshot
from goals.workflow import WorkflowError
from tests.helpers import deliverable, text_of
from tracker.core import access

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:goals_progressupdate_changelist")


@pytest.fixture
def update(staff, open_round):
    return ProgressUpdate.objects.create(
        deliverable=Deliverable.objects.get(initiative__plan__slug="2016-2025", code="8.1"),
        round=open_round,
        status="in_progress",
        percent_complete=60,
        reported_on=datetime.date(2026, 11, 10),
        narrative="TMview now holds data from all ten offices",
        submitted_by=staff.ph,
    )


def reasons(record):
    return [
        entry.history_change_reason
        for entry in record.history.order_by("history_id")
        if entry.history_change_reason
    ]


def test_submit_then_approve(staff, update, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(update, by=staff.ph)
    update.refresh_from_db()
    assert update.review_state == "submitted" and update.submitted_by == staff.ph
    assert mail.outbox and set(mail.outbox[0].to) == {"sec@example.org", "sec2@example.org"}
    assert "8.1" in mail.outbox[0].subject
    workflow.approve(update, by=staff.secretariat)
    update.refresh_from_db()
    assert update.review_state == "approved" and update.reviewed_by == staff.secretariat
    assert ProgressUpdate.objects.public().filter(pk=update.pk).exists()
    assert reasons(update) == ["Submitted for review", "Approved"]


def test_return_needs_a_note_and_tells_the_reporter(staff, update, django_capture_on_commit_callbacks):
    workflow.submit(update, by=staff.ph)
    with pytest.raises(WorkflowError, match="needs a note"):
        workflow.return_for_changes(update, by=staff.secretariat, note="  ")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_for_changes(update, by=staff.secretariat, note="Add the link to the launch notice.")
    update.refresh_from_db()
    assert update.review_state == "returned" and update.review_note == "Add the link to the launch notice."
    assert mail.outbox[-1].to == ["ph@example.org"] and "Add the link" in mail.outbox[-1].body
    workflow.submit(update, by=staff.ph)  # resubmitted after changes
    assert ProgressUpdate.objects.get(pk=update.pk).review_state == "submitted"


def test_nobody_approves_their_own_submission_without_a_recorded_reason(staff, open_round, update):
    update.submitted_by = staff.secretariat
    update.save()
    workflow.submit(update, by=staff.secretariat)
    with pytest.raises(WorkflowError, match="cannot approve your own submission"):
        workflow.approve(update, by=staff.secretariat)
    workflow.approve(
        update, by=staff.secretariat, override_reason="Reviewer on leave; urgent for the AEM report"
    )
    update.refresh_from_db()
    assert update.review_state == "approved"
    assert "overriding: Reviewer on leave" in reasons(update)[-1]


def test_focal_points_cannot_review(staff, update):
    workflow.submit(update, by=staff.ph)
    with pytest.raises(PermissionDenied):
        workflow.approve(update, by=staff.ph)
    with pytest.raises(PermissionDenied):
        workflow.return_for_changes(update, by=staff.th, note="no")


def test_only_in_scope_reporters_submit(staff, update):
    with pytest.raises(PermissionDenied):
        workflow.submit(update, by=staff.th)


def test_unapproving_needs_a_reason_and_takes_it_off_the_public_site(staff, update, client):
    workflow.submit(update, by=staff.ph)
    workflow.approve(update, by=staff.secretariat)
    assert update.narrative in client.get("/plans/2016-2025/initiatives/8/8.1/").text
    with pytest.raises(WorkflowError, match="reason"):
        workflow.unapprove(update, by=staff.secretariat, reason="")
    workflow.unapprove(update, by=staff.secretariat, reason="Wrong month")
    update.refresh_from_db()
    assert update.review_state == "returned" and "Wrong month" in update.review_note
    assert update.narrative not in text_of(client.get("/plans/2016-2025/initiatives/8/8.1/"))


@pytest.mark.parametrize("state", ["closed", "planned", "published"])
def test_no_submissions_outside_an_open_round(staff, update, state):
    ReportingRound.objects.filter(pk=update.round_id).update(state=state)
    with pytest.raises(WorkflowError, match="not open for reporting"):
        workflow.submit(update, by=staff.ph)
    assert ProgressUpdate.objects.get(pk=update.pk).review_state == "draft"


def test_wrong_order_is_refused_and_changes_nothing(staff, update):
    with pytest.raises(WorkflowError):
        workflow.approve(update, by=staff.secretariat)  # still a draft
    workflow.submit(update, by=staff.ph)
    with pytest.raises(WorkflowError):
        workflow.submit(update, by=staff.ph)  # already submitted
    assert ProgressUpdate.objects.get(pk=update.pk).review_state == "submitted"


# What each role may do to the Philippine office's update on 8.1, in each review state: written
# out here as the specification, independently of workflow.REVIEW_ACTIONS.
STATES = ["draft", "submitted", "approved", "returned"]
NOTHING = dict.fromkeys(STATES, "")
ALLOWED = {
    "secretariat": {
        "draft": "edit delete submit",
        "submitted": "delete approve return",
        "approved": "unapprove",
        "returned": "edit delete submit",
    },
    "ph": {
        "draft": "edit delete submit",
        "submitted": "delete",
        "approved": "",
        "returned": "edit delete submit",
    },
    "th": NOTHING,  # a focal point of another body
    "euipo": NOTHING,  # a partner reporter
    "viewer": NOTHING,
}
CASES = [(role, state) for role in ALLOWED for state in STATES]


def in_state(update, state):
    ProgressUpdate.objects.filter(pk=update.pk).update(review_state=state)
    update.refresh_from_db()
    return update


@pytest.mark.parametrize(("role", "state"), CASES, ids=[f"{r}-{s}" for r, s in CASES])
def test_allowed_actions_by_role_and_state(staff, update, role, state):
    user, update = getattr(staff, role), in_state(update, state)
    expected = frozenset(ALLOWED[role][state].split())
    assert workflow.allowed_actions(user, update) == expected
    assert {name for name in workflow.REVIEW_ACTIONS if workflow.allows(user, update, name)} == expected


@pytest.mark.parametrize(("role", "state"), CASES, ids=[f"{r}-{s}" for r, s in CASES])
def test_the_workflow_and_the_write_rule_do_what_allowed_actions_says(staff, update, role, state):
    user, update = getattr(staff, role), in_state(update, state)
    allowed = workflow.allowed_actions(user, update)
    for name in ("submit", "approve", "return", "unapprove"):
        with transaction.atomic():
            try:
                workflow.take(name, update, by=user, note="A reviewer's note")
                done = True
            except (WorkflowError, PermissionDenied):
                done = False
            transaction.set_rollback(True)
        assert done == (name in allowed), name
    assert access.may_write(user, update, "change") == ("edit" in allowed)
    assert access.may_write(user, update, "delete") == ("delete" in allowed)


class TestInTheAdmin:
    def test_save_and_submit_from_the_form(self, login, staff, open_round):
        target = Deliverable.objects.get(initiative__plan__slug="2016-2025", code="8.1")
        response = login(staff.ph).post(
            reverse("admin:goals_progressupdate_add"),
            {
                "deliverable": target.pk, "round": open_round.pk, "status": "in_progress",
                "percent_complete": "70", "reported_on": "2026-11-12", "reported_on_precision": "day",
                "narrative": "From the form", "_submit_for_review": "1",
            },
        )  # fmt: skip
        assert response.status_code == 302
        created = ProgressUpdate.objects.get(narrative="From the form")
        assert created.review_state == "submitted" and created.submitted_by == staff.ph

    def test_submitted_and_approved_updates_are_locked(self, login, staff, update):
        workflow.submit(update, by=staff.ph)
        client = login(staff.ph)
        page = text_of(client.get(reverse("admin:goals_progressupdate_change", args=[update.pk])))
        assert 'name="_save"' not in page
        workflow.approve(update, by=staff.secretariat)
        response = client.post(
            reverse("admin:goals_progressupdate_change", args=[update.pk]), {"percent_complete": "1"}
        )
        assert response.status_code == 403
        assert ProgressUpdate.objects.get(pk=update.pk).percent_complete == 60

    def test_review_page_approves_or_returns(self, login, staff, update):
        workflow.submit(update, by=staff.ph)
        client = login(staff.secretariat)
        review = reverse("admin:goals_progressupdate_review", args=[update.pk])
        response = client.post(review, {"decision": "return", "note": ""})
        assert "needs a note" in response.text
        client.post(review, {"decision": "return", "note": "Give the source"})
        assert ProgressUpdate.objects.get(pk=update.pk).review_state == "returned"

    def test_review_page_is_the_secretariats(self, login, staff, update):
        workflow.submit(update, by=staff.ph)
        review = reverse("admin:goals_progressupdate_review", args=[update.pk])
        assert login(staff.ph).get(review).status_code == 403

    def test_bulk_approve_reports_what_it_could_not_do(self, login, staff, update, open_round):
        own = ProgressUpdate.objects.create(
            deliverable=update.deliverable, round=open_round, status="in_progress", percent_complete=10,
            reported_on=datetime.date(2026, 11, 11), submitted_by=staff.secretariat,
        )  # fmt: skip
        workflow.submit(update, by=staff.ph)
        workflow.submit(own, by=staff.secretariat)
        response = login(staff.secretariat).post(
            CHANGELIST, {"action": "approve_selected", "_selected_action": [update.pk, own.pk]}, follow=True
        )
        assert ProgressUpdate.objects.get(pk=update.pk).review_state == "approved"
        assert ProgressUpdate.objects.get(pk=own.pk).review_state == "submitted"
        assert (
            "1 update(s) approved" in response.text and "cannot approve your own submission" in response.text
        )

    def test_bulk_return_asks_once_for_the_note(self, login, staff, update):
        workflow.submit(update, by=staff.ph)
        client = login(staff.secretariat)
        response = client.post(CHANGELIST, {"action": "return_selected", "_selected_action": [update.pk]})
        assert response.status_code == 302
        client.post(response["Location"], {"note": "Please add evidence"})
        update.refresh_from_db()
        assert update.review_state == "returned" and update.review_note == "Please add evidence"
        assert update.history.filter(
            history_user=staff.secretariat
        ).exists()  # bulk changes are in the history

    @pytest.mark.parametrize("state", STATES)
    def test_the_change_page_offers_what_may_be_done(self, login, staff, update, state):
        update = in_state(update, state)
        change = reverse("admin:goals_progressupdate_change", args=[update.pk])
        reviewer = login(staff.secretariat).get(change).text
        assert ("Review: approve or return…" in reviewer) == (state == "submitted")
        assert ("Un-approve…" in reviewer) == (state == "approved")
        reporter = login(staff.ph).get(change).text
        assert ("Submit for review" in reporter) == (state in ("draft", "returned"))
        assert ("Review: approve" in reporter or "Un-approve…" in reporter) is False

    def test_the_review_page_offers_the_decisions_open(self, login, staff, update):
        review = reverse("admin:goals_progressupdate_review", args=[update.pk])
        client = login(staff.secretariat)

        def decisions(state):
            in_state(update, state)
            return [name for name, _ in client.get(review).context["form"].fields["decision"].choices]

        assert decisions("submitted") == ["approve", "return"]
        assert decisions("approved") == ["unapprove"]
        assert decisions("draft") == decisions("returned") == []

    def test_my_deliverables_offers_to_continue_what_is_still_to_submit(self, login, staff, update):
        update.deliverable = deliverable("17.1")  # due from the Philippine office (8.1 is done)
        update.save()

        def continue_url():
            rows = login(staff.ph).get(reverse("admin:my-deliverables")).context["rows"]
            return next(row for row in rows if row["current"] == update)["continue_url"]

        change = reverse("admin:goals_progressupdate_change", args=[update.pk])
        assert continue_url() == f"{change}?next=%2Fadmin%2Fmy-deliverables%2F"
        workflow.submit(update, by=staff.ph)
        assert continue_url() is None
        workflow.return_for_changes(update, by=staff.secretariat, note="Give the source")
        assert continue_url() is not None

    def test_focal_points_do_not_get_review_actions(self, login, staff, update):
        actions = login(staff.ph).get(CHANGELIST).context["action_form"].fields["action"].choices
        names = [name for name, _ in actions]
        assert "submit_selected" in names and "approve_selected" not in names


class TestRoundMoves:
    def move(self, client, reporting_round, move):
        """Press the round page's button for ``move`` and confirm (the rounds list has no bulk moves)."""
        return client.post(
            reverse(f"admin:goals_reportinground_{move}", args=[reporting_round.pk]), follow=True
        )

    def test_open_close_publish_in_order_only(self, login, staff, open_round):
        with pytest.raises(ValidationError, match="Only a round that is closed can be published"):
            workflow.move_round(open_round, "publish", by=staff.secretariat)
        client = login(staff.secretariat)
        self.move(client, open_round, "close")
        self.move(client, open_round, "publish")
        open_round.refresh_from_db()
        assert open_round.state == "published" and RoundSnapshot.objects.filter(round=open_round).exists()

    def test_only_one_open_round_per_plan(self, login, staff, open_round):
        another = ReportingRound.objects.create(
            plan=open_round.plan,
            name="Next",
            opens_on=datetime.date(2027, 3, 1),
            closes_on=datetime.date(2027, 4, 1),
        )
        page = self.move(login(staff.secretariat), another, "open").text
        assert "is still open; close it first" in page

    def test_focal_points_cannot_move_rounds(self, login, staff, open_round):
        assert self.move(login(staff.ph), open_round, "close").status_code == 403
        assert ReportingRound.objects.get(pk=open_round.pk).state == "open"

    def test_a_closed_round_reopens_until_it_is_published(self, staff, open_round):
        workflow.move_round(open_round, "close", by=staff.secretariat)
        assert workflow.round_moves_from(ReportingRound.objects.get(pk=open_round.pk)) == [
            "reopen",
            "publish",
        ]
        reopened = workflow.move_round(open_round, "reopen", by=staff.secretariat)
        assert reopened.state == "open" and reopened.closed_at is None
        assert workflow.round_moves_from(reopened) == ["close", "publish"]
        workflow.move_round_through(reopened, "publish", by=staff.secretariat)  # closes it first
        published = ReportingRound.objects.get(pk=open_round.pk)
        assert published.state == "published" and published.closed_at is not None
        assert workflow.round_moves_from(published) == []
        with pytest.raises(ValidationError, match="Only a round that is closed can be reopened"):
            workflow.move_round(published, "reopen", by=staff.secretariat)
        assert ReportingRound.objects.get(pk=open_round.pk).state == "published"

    def test_a_round_does_not_reopen_while_another_is_open(self, staff, open_round):
        earlier = ReportingRound.objects.create(
            plan=open_round.plan, name="Earlier", opens_on=datetime.date(2026, 1, 1),
            closes_on=datetime.date(2026, 2, 1), state="closed",
        )  # fmt: skip
        with pytest.raises(ValidationError, match="Test round is still open; close it first"):
            workflow.move_round(earlier, "reopen", by=staff.secretariat)
        assert ReportingRound.objects.get(pk=earlier.pk).state == "closed"

    def test_publishing_an_open_round_is_all_or_nothing(self, staff, open_round, monkeypatch):
        def refuse(reporting_round):
            raise ValidationError("The figures could not be frozen.")

        monkeypatch.setattr(workflow.rounds, "publish_snapshot", refuse)
        with pytest.raises(ValidationError):
            workflow.move_round_through(open_round, "publish", by=staff.secretariat)
        assert ReportingRound.objects.get(pk=open_round.pk).state == "open"  # not left closed

    def test_only_the_round_managers_move_rounds(self, staff, open_round):
        with pytest.raises(PermissionDenied):
            workflow.move_round_through(open_round, "publish", by=staff.viewer)
        assert ReportingRound.objects.get(pk=open_round.pk).state == "open"


class MailServerDown(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("The SMTP server is down")


def test_a_failing_mail_server_never_turns_a_saved_change_into_an_error(
    login, staff, update, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.MailServerDown"
    action = {"action": "submit_selected", "_selected_action": [update.pk], "index": "0"}
    with django_capture_on_commit_callbacks(execute=True):
        response = login(staff.ph).post(CHANGELIST, action)
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.review_state == "submitted"  # saved, and the secretariat can still see it waits
    assert any("E-mail not sent (update_submitted)" in record.getMessage() for record in caplog.records)


def test_my_deliverables_runs_as_many_queries_whatever_the_updates_in_the_round(
    login, staff, update, open_round
):
    """Whether each update may still be submitted is decided without a query per update."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from goals.access import reporting_of

    update.deliverable = deliverable("17.1")  # due from the Philippine office (8.1 is done)
    update.save()
    client = login(staff.ph)
    page = reverse("admin:my-deliverables")

    def queries():
        client.get(page)  # sessions, permissions and plan data warmed up
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page).status_code == 200
        return len(captured)

    before = queries()
    reporting = reporting_of(staff.ph)
    added = 0
    for other in Deliverable.objects.filter(pk__in=reporting.deliverables).exclude(pk=update.deliverable_id):
        state = next(iter(reporting.states), None) if other.per_member_state else None
        if not reporting.allows(other, state):
            continue
        ProgressUpdate.objects.create(
            deliverable=other,
            member_state_id=state,
            round=open_round,
            status="in_progress",
            reported_on=datetime.date(2026, 11, 10),
            percent_complete=40,
            narrative="More progress",
            submitted_by=staff.ph,
        )
        added += 1
    assert added >= 3
    assert queries() == before
