"""The review workflow of progress updates, and the life of reporting rounds.

    draft ──submit──▶ submitted ──approve──▶ approved (locked, public)
      ▲                   │                      │
      └── returned ◀──return (note required)     └──un-approve (reason required)──▶ returned
              └──submit again──▶ submitted

Every path that changes a review state or a round's state (admin forms, bulk actions,
imports, commands) calls these functions. Each runs in a transaction, checks who may do it,
records the reason in the history, and sends its notification once the change is committed.
Nobody approves their own submission, except the secretariat with a recorded reason.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from goals import notifications, rounds
from goals.models import ProgressUpdate, ReportingRound
from tracker.core import access

State = ProgressUpdate.ReviewState
RoundState = ReportingRound.State


class WorkflowError(ValidationError):
    """A transition that is not allowed from the record's current state, with the reason."""


def _require(condition, message):
    if not condition:
        raise WorkflowError(message)


def _may_review(user):
    if not user.has_perm("goals.review_progressupdate"):
        raise PermissionDenied("Only the secretariat reviews progress updates.")


def _save(update, reason):
    update._change_reason = reason  # kept in the audit history
    update.full_clean()
    update.save()
    return update


def _mark_submitted(update, *, by):
    """The rules for submitting ``update`` as it stands (a new one from an import too), then its
    fields set as submitted by ``by``; the caller saves it."""
    _require(
        update.pk is None or update.review_state in (State.DRAFT, State.RETURNED),
        "Only a draft or a returned update can be submitted; "
        f"this one is {update.get_review_state_display().lower()}.",
    )
    if not access.may_write(by, update):
        raise PermissionDenied("You cannot submit progress for this deliverable.")
    _require(update.round_id is not None, "Choose the reporting round this progress is reported in.")
    _require(
        update.round.state == RoundState.OPEN,
        f"The round {update.round} is not open for reporting, so nothing more can be submitted to it.",
    )
    update.review_state, update.submitted_by = State.SUBMITTED, by
    update.reviewed_by, update.reviewed_at = None, None


@transaction.atomic
def submit(update, *, by):
    """Send a draft or returned update to the secretariat for review."""
    update = ProgressUpdate.objects.select_for_update().get(pk=update.pk)
    _mark_submitted(update, by=by)
    _save(update, "Submitted for review")
    notifications.send_after_commit(notifications.update_submitted, update)
    return update


@transaction.atomic
def submit_imported(updates, *, by):
    """Submit progress read from a file (goals.imports has checked and cleaned every row in this
    transaction): each update is saved once, straight as submitted, by the rules of ``submit``,
    and the secretariat gets one e-mail for the whole file."""
    for update in updates:
        _mark_submitted(update, by=by)
        update._change_reason = "Imported from CSV and submitted for review"
        update.save()
    if updates:
        notifications.send_after_commit(notifications.updates_submitted, updates, by)
    return updates


@transaction.atomic
def approve(update, *, by, override_reason=""):
    """Approve a submitted update, which makes it public and locks it."""
    _may_review(by)
    update = ProgressUpdate.objects.select_for_update().get(pk=update.pk)
    _require(update.review_state == State.SUBMITTED, "Only a submitted update can be approved.")
    reason = "Approved"
    if update.submitted_by_id == by.pk:
        _require(
            access.is_secretariat(by) and override_reason.strip(),
            "You cannot approve your own submission; another reviewer must, or give a reason to override.",
        )
        reason = f"Approved own submission, overriding: {override_reason.strip()}"
    update.review_state = State.APPROVED
    update.reviewed_by, update.reviewed_at = by, timezone.now()
    if override_reason.strip():
        update.review_note = reason
    return _save(update, reason)


@transaction.atomic
def return_for_changes(update, *, by, note):
    """Send a submitted update back to its reporter with a note saying what to change."""
    _may_review(by)
    _require(note.strip(), "Say what needs to change: a returned update needs a note.")
    update = ProgressUpdate.objects.select_for_update().get(pk=update.pk)
    _require(update.review_state == State.SUBMITTED, "Only a submitted update can be returned.")
    update.review_state = State.RETURNED
    update.reviewed_by, update.reviewed_at = by, timezone.now()
    update.review_note = note.strip()
    _save(update, f"Returned: {note.strip()}")
    notifications.send_after_commit(notifications.update_returned, update)
    return update


@transaction.atomic
def unapprove(update, *, by, reason):
    """Take an approved update out of public view to correct it; the reason is kept."""
    _may_review(by)
    _require(reason.strip(), "Give the reason for un-approving: it is kept in the history.")
    update = ProgressUpdate.objects.select_for_update().get(pk=update.pk)
    _require(update.review_state == State.APPROVED, "Only an approved update can be un-approved.")
    update.review_state = State.RETURNED
    update.reviewed_by, update.reviewed_at = by, timezone.now()
    update.review_note = f"Un-approved: {reason.strip()}"
    _save(update, f"Un-approved: {reason.strip()}")
    notifications.send_after_commit(notifications.update_returned, update)
    return update


def is_locked(update):
    """Approved updates are never edited in place; submitted ones wait for the reviewer."""
    return update.review_state in (State.APPROVED, State.SUBMITTED)


# Reporting rounds -------------------------------------------------------------------------

# move: (state before, state after, what it is called when done)
ROUND_MOVES = {
    "open": (RoundState.PLANNED, RoundState.OPEN, "opened"),
    "close": (RoundState.OPEN, RoundState.CLOSED, "closed"),
    "publish": (RoundState.CLOSED, RoundState.PUBLISHED, "published"),
}


@transaction.atomic
def move_round(reporting_round, move, *, by):
    """Open, close or publish a round; publishing freezes its figures in a snapshot."""
    if not by.has_perm("goals.manage_reportinground"):
        raise PermissionDenied("Only the secretariat opens, closes and publishes rounds.")
    before, after, done = ROUND_MOVES[move]
    reporting_round = ReportingRound.objects.select_for_update().get(pk=reporting_round.pk)
    _require(
        reporting_round.state == before,
        f"Only a round that is {before.label.lower()} can be {done}; {reporting_round} is "
        f"{reporting_round.get_state_display().lower()}.",
    )
    if move == "open":
        others = ReportingRound.objects.filter(plan=reporting_round.plan, state=RoundState.OPEN)
        _require(not others.exists(), f"{others.first()} is still open; close it first.")
    reporting_round.state = after
    reporting_round._change_reason = f"Round {done}"
    reporting_round.save()
    if move == "publish":
        rounds.publish_snapshot(reporting_round)
    return reporting_round
