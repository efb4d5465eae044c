"""The review workflow of progress updates and indicator values, and the life of reporting rounds.

    draft ──submit──▶ submitted ──approve──▶ approved (locked, public)
      ▲                   │                      │
      └── returned ◀──return (note required)     └──un-approve (reason required)──▶ returned
              └──submit again──▶ submitted

The review states' moves, and when an update may still be edited or deleted, are declared once,
in ``REVIEW_ACTIONS``; the rounds' moves in ``ROUND_MOVES``. Every path that changes a review
state or a round's state (admin forms, bulk actions, imports, commands) calls these functions.
Each runs in a transaction, checks the table and who may do it, records the reason in the
history, and sends its notification once the change is committed. Pages ask
``allowed_actions`` what a user may do to an update; ``tracker.core.access.may_write`` asks
``is_locked``. Nobody approves their own submission, except the secretariat with a recorded reason.

An indicator value (``IndicatorValue``) goes through the same states by the same functions: it
holds the same review fields, and its review permission is ``goals.review_indicatorvalue``.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from goals import notifications, rounds, signals
from goals.models import ProgressUpdate, ReportingRound
from tracker.core import access

State = ProgressUpdate.ReviewState
RoundState = ReportingRound.State


class WorkflowError(ValidationError):
    """A transition that is not allowed from the record's current state, with the reason."""


@dataclass(frozen=True)
class ReviewAction:
    """Something that may be done to a progress update: from which review states, needing which
    permission, and, for a move, the state it leads to."""

    from_states: tuple
    needs: str  # "change" or "delete": ``access.may_write`` for that; "review": the review permission
    to_state: str | None = None  # None: the update stays in its state
    done: str = ""  # what the update then is, in messages
    note: str = ""  # when a note is required: what to say if it is missing


# Approved progress is public: never edited in place nor deleted. Submitted progress waits for
# its reviewer, unchanged, but may be withdrawn (deleted).
REVIEW_ACTIONS = {
    "edit": ReviewAction(from_states=(State.DRAFT, State.RETURNED), needs="change"),
    "delete": ReviewAction(from_states=(State.DRAFT, State.SUBMITTED, State.RETURNED), needs="delete"),
    "submit": ReviewAction(
        from_states=(State.DRAFT, State.RETURNED),
        needs="change",
        to_state=State.SUBMITTED,
        done=gettext_noop("submitted"),
    ),
    "approve": ReviewAction(
        from_states=(State.SUBMITTED,), needs="review", to_state=State.APPROVED, done=gettext_noop("approved")
    ),
    "return": ReviewAction(
        from_states=(State.SUBMITTED,),
        needs="review",
        to_state=State.RETURNED,
        done=gettext_noop("returned"),
        note=gettext_lazy("Say what needs to change: a returned update needs a note."),
    ),
    "unapprove": ReviewAction(
        from_states=(State.APPROVED,),
        needs="review",
        to_state=State.RETURNED,
        done=gettext_noop("un-approved"),
        note=gettext_lazy("Give the reason for un-approving: it is kept in the history."),
    ),
}
REFUSED = {  # what a user without the permission an action needs is told
    "change": gettext_lazy("You cannot submit progress for this deliverable."),
    "review": gettext_lazy("Only the secretariat reviews progress updates."),
}
# What a move out of turn is told (submitting says which state the update is in).
REFUSED_FROM_STATE = {
    "submit": gettext_lazy("Only a draft or a returned update can be submitted; this one is %(state)s."),
    "approve": gettext_lazy("Only a submitted update can be approved."),
    "return": gettext_lazy("Only a submitted update can be returned."),
    "unapprove": gettext_lazy("Only an approved update can be un-approved."),
}


def _has(user, update, needs, unchanged=False):
    """Whether ``user`` holds the permission a review action ``needs`` on ``update``."""
    if needs == "review":
        return user.has_perm(f"goals.review_{update._meta.model_name}")
    return access.may_write(user, update, "delete" if needs == "delete" else None, unchanged=unchanged)


def allowed_actions(user, update):
    """The names in ``REVIEW_ACTIONS`` of what ``user`` may do to ``update`` now: the actions that
    start from its review state and whose permission the user holds (``access.may_write``, so in
    the user's scope, for editing, deleting and submitting; the review permission for the
    secretariat's decisions). Submitting also needs the update's round open, and approving one's
    own submission a recorded reason: the transition functions check those when it is done."""
    answers = {}  # each permission is asked once

    def has(needs):
        if needs not in answers:
            answers[needs] = _has(user, update, needs)
        return answers[needs]

    return frozenset(
        name
        for name, action in REVIEW_ACTIONS.items()
        if update.review_state in action.from_states and has(action.needs)
    )


def allows(user, update, name, *, unchanged=False):
    """``name in allowed_actions(user, update)``, asking only the permission that action needs
    (the admin asks this for each permission check of a page). ``unchanged``: the update is as
    stored, read just now (see ``access.may_write``)."""
    action = REVIEW_ACTIONS[name]
    return update.review_state in action.from_states and _has(user, update, action.needs, unchanged)


def is_locked(update, write="change"):
    """Whether the update's review state stops a ``write`` ("change" or "delete", as
    ``tracker.core.access.may_write`` asks)."""
    action = REVIEW_ACTIONS["delete" if write == "delete" else "edit"]
    return update.review_state not in action.from_states


def _require(condition, message):
    if not condition:
        raise WorkflowError(message)


def _require_permission(name, update, by):
    needs = REVIEW_ACTIONS[name].needs
    if not _has(by, update, needs):
        raise PermissionDenied(REFUSED[needs])


def _require_state(name, update):
    """Refuse ``name`` unless ``REVIEW_ACTIONS`` allows it from the update's state."""
    if update.review_state not in REVIEW_ACTIONS[name].from_states:
        raise WorkflowError(REFUSED_FROM_STATE[name] % {"state": update.get_review_state_display().lower()})


def _require_note(name, text):
    _require(text.strip() or not REVIEW_ACTIONS[name].note, REVIEW_ACTIONS[name].note)


def _move(update, name, *, by):
    """Set the state ``name`` leads to, with who decided and when."""
    update.review_state = REVIEW_ACTIONS[name].to_state
    update.reviewed_by, update.reviewed_at = by, timezone.now()


def _save(update, reason):
    update._change_reason = reason  # kept in the audit history
    update.full_clean()
    update.save()
    return update


def _mark_submitted(update, *, by):
    """The rules for submitting ``update`` as it stands (a new one from an import too), then its
    fields set as submitted by ``by``; the caller saves it."""
    _require_state("submit", update)
    _require_permission("submit", update, by)
    _require(update.round_id is not None, _("Choose the reporting round this progress is reported in."))
    _require(
        update.round.state == RoundState.OPEN,
        _("The round %(round)s is not open for reporting, so nothing more can be submitted to it.")
        % {"round": update.round},
    )
    update.review_state, update.submitted_by = REVIEW_ACTIONS["submit"].to_state, by
    update.reviewed_by, update.reviewed_at = None, None


@transaction.atomic
def submit(update, *, by):
    """Send a draft or returned update to the secretariat for review."""
    update = type(update).objects.select_for_update().get(pk=update.pk)
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
    _require_permission("approve", update, by)
    update = type(update).objects.select_for_update().get(pk=update.pk)
    _require_state("approve", update)
    reason = "Approved"
    if update.submitted_by_id == by.pk:
        _require(
            access.is_secretariat(by) and override_reason.strip(),
            _("You cannot approve your own submission; another reviewer must, or give a reason to override."),
        )
        reason = f"Approved own submission, overriding: {override_reason.strip()}"
    _move(update, "approve", by=by)
    if override_reason.strip():
        update.review_note = reason
    return _save(update, reason)


@transaction.atomic
def return_for_changes(update, *, by, note):
    """Send a submitted update back to its reporter with a note saying what to change."""
    _require_permission("return", update, by)
    _require_note("return", note)
    update = type(update).objects.select_for_update().get(pk=update.pk)
    _require_state("return", update)
    _move(update, "return", by=by)
    update.review_note = note.strip()
    _save(update, f"Returned: {note.strip()}")
    notifications.send_after_commit(notifications.update_returned, update)
    return update


@transaction.atomic
def unapprove(update, *, by, reason):
    """Take an approved update out of public view to correct it; the reason is kept."""
    _require_permission("unapprove", update, by)
    _require_note("unapprove", reason)
    update = type(update).objects.select_for_update().get(pk=update.pk)
    _require_state("unapprove", update)
    _move(update, "unapprove", by=by)
    update.review_note = f"Un-approved: {reason.strip()}"
    _save(update, f"Un-approved: {reason.strip()}")
    notifications.send_after_commit(notifications.update_returned, update)
    return update


def take(name, update, *, by, note=""):
    """Take the review action ``name`` (the admin's review page and bulk actions): ``note`` is the
    return note, the un-approval reason or the reason for approving one's own submission."""
    if name == "submit":
        return submit(update, by=by)
    if name == "approve":
        return approve(update, by=by, override_reason=note)
    if name == "return":
        return return_for_changes(update, by=by, note=note)
    if name == "unapprove":
        return unapprove(update, by=by, reason=note)
    raise ValueError(f"{name!r} is not a review move.")


# Reporting rounds -------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundMove:
    """A move of a reporting round: from which state, to which, and what the round then is."""

    from_state: str
    to_state: str
    done: str
    refused: str = ""  # what a move out of turn is told: %(round)s is %(state)s


# A closed round may be reopened while nothing is published; a published round is frozen.
ROUND_MOVES = {
    "open": RoundMove(
        RoundState.PLANNED,
        RoundState.OPEN,
        gettext_noop("opened"),
        gettext_lazy("Only a round that is planned can be opened; %(round)s is %(state)s."),
    ),
    "close": RoundMove(
        RoundState.OPEN,
        RoundState.CLOSED,
        gettext_noop("closed"),
        gettext_lazy("Only a round that is open for reporting can be closed; %(round)s is %(state)s."),
    ),
    "reopen": RoundMove(
        RoundState.CLOSED,
        RoundState.OPEN,
        gettext_noop("reopened"),
        gettext_lazy("Only a round that is closed can be reopened; %(round)s is %(state)s."),
    ),
    "publish": RoundMove(
        RoundState.CLOSED,
        RoundState.PUBLISHED,
        gettext_noop("published"),
        gettext_lazy("Only a round that is closed can be published; %(round)s is %(state)s."),
    ),
}


def may_manage_rounds(user):
    """Whether ``user`` may open, close, reopen and publish rounds (and chase their reports)."""
    return user.is_active and user.has_perm("goals.manage_reportinground")


def round_steps(reporting_round, move):
    """The moves that take a round where ``move`` leads from its state now: publishing an open
    round closes it first. Any other move is itself, refused by ``move_round`` if out of turn."""
    if move == "publish" and reporting_round.state == RoundState.OPEN:
        return ["close", "publish"]
    return [move]


def round_moves_from(reporting_round):
    """The moves a round's page offers from its state, in ``ROUND_MOVES`` order."""
    return [
        name
        for name in ROUND_MOVES
        if ROUND_MOVES[round_steps(reporting_round, name)[0]].from_state == reporting_round.state
    ]


@transaction.atomic
def move_round(reporting_round, move, *, by):
    """Open, close, reopen or publish a round; publishing freezes its figures in a snapshot."""
    if not may_manage_rounds(by):
        raise PermissionDenied(_("Only the secretariat opens, closes, reopens and publishes rounds."))
    step = ROUND_MOVES[move]
    reporting_round = ReportingRound.objects.select_for_update().get(pk=reporting_round.pk)
    _require(
        reporting_round.state == step.from_state,
        step.refused % {"round": reporting_round, "state": reporting_round.get_state_display().lower()},
    )
    if step.to_state == RoundState.OPEN:
        others = ReportingRound.objects.filter(plan=reporting_round.plan, state=RoundState.OPEN)
        _require(
            not others.exists(), _("%(round)s is still open; close it first.") % {"round": others.first()}
        )
    reporting_round.state = step.to_state
    if move == "close":
        reporting_round.closed_at = timezone.now()  # pages say when, not only that, it closed
    if move == "reopen":
        reporting_round.closed_at = None  # closing it again records the new day
    reporting_round._change_reason = f"Round {step.done}"
    reporting_round.save()
    if move == "publish":
        rounds.publish_snapshot(reporting_round)
        signals.round_published.send(sender=ReportingRound, reporting_round=reporting_round)
    return reporting_round


@transaction.atomic
def move_round_through(reporting_round, move, *, by):
    """Take every step of ``round_steps`` in one transaction: all of them, or none."""
    for name in round_steps(reporting_round, move):
        reporting_round = move_round(reporting_round, name, by=by)
    return reporting_round
