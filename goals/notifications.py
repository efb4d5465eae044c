"""E-mails the workflow sends. Django's mail settings decide how (console by default, SMTP
when EMAIL_HOST is set); every message is plain text and names the record and what to do."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from tracker.core import roles

logger = logging.getLogger(__name__)


def send_after_commit(notify, *args):
    """Send an e-mail (``notify(*args)``) once the change that calls for it has committed. A mail
    server that fails is logged; it never turns a saved change into an error page."""

    def send():
        try:
            notify(*args)
        except Exception:
            logger.exception("E-mail not sent (%s); the change it reports is saved.", notify.__name__)

    transaction.on_commit(send, robust=True)


def _admin_link(update):
    """The admin page of a progress update or an indicator value."""
    path = reverse(f"admin:goals_{update._meta.model_name}_change", args=[update.pk])
    return f"{settings.SITE_URL}{path}"


def secretariat_addresses():
    users = (
        get_user_model()
        .objects.filter(Q(groups__name=roles.SECRETARIAT) | Q(is_superuser=True), is_active=True)
        .exclude(email="")
    )
    return sorted(set(users.values_list("email", flat=True)))


def _describe(update):
    state = f" – {update.member_state}" if update.member_state_id else ""
    if not hasattr(update, "deliverable"):  # an indicator value
        return f"indicator {update.indicator.name}{state}"
    return f"{update.deliverable.code} {update.deliverable.title}{state}"


def _reported(update):
    if not hasattr(update, "deliverable"):
        return f"value {update.value} on {update.measured_on}"
    return f"{update.get_status_display()}, {update.percent_complete} %"


def update_submitted(update):
    """Tell the secretariat an update waits for review."""
    recipients = secretariat_addresses()
    if not recipients:
        return
    send_mail(
        f"Progress to review: {_describe(update)}",
        f"{update.submitted_by} submitted progress for review on {_describe(update)} "
        f"({_reported(update)}) in {update.round}.\n\n"
        f"Review it: {_admin_link(update)}\n",
        None,
        recipients,
    )


def updates_submitted(updates, by):
    """Tell the secretariat once that a file of updates waits for review."""
    if len(updates) == 1:
        return update_submitted(updates[0])
    recipients = secretariat_addresses()
    if not recipients:
        return
    what = updates[0]._meta.verbose_name_plural  # progress updates, or indicator values
    listed = "\n".join(f"- {_describe(u)}" for u in updates[:20])
    more = f"\n… and {len(updates) - 20} more." if len(updates) > 20 else ""
    queue = (
        f"{settings.SITE_URL}{reverse(f'admin:goals_{updates[0]._meta.model_name}_changelist')}"
        "?review_state__exact=submitted"
    )
    send_mail(
        f"Progress to review: {len(updates)} updates imported by {by}",
        f"{by} imported {len(updates)} {what} from a file; they wait for review:\n\n"
        f"{listed}{more}\n\nReview them: {queue}\n",
        None,
        recipients,
    )


def update_returned(update):
    """Tell the reporter what to change in a returned (or un-approved) update."""
    reporter = update.submitted_by
    if reporter is None or not reporter.email:
        return
    send_mail(
        f"Progress returned for changes: {_describe(update)}",
        f"Your progress update on {_describe(update)} was returned for changes.\n\n"
        f"Reviewer's note: {update.review_note}\n\n"
        f"Change and submit it again: {_admin_link(update)}\n",
        None,
        [reporter.email],
    )


def missing_reports_reminder(reporting_round, address, items):
    """Remind a focal point of the deliverables it has not reported on before the round closes."""
    lines = "\n".join(f"- {item}" for item in items)
    send_mail(
        f"Reminder: progress due by {reporting_round.closes_on:%d %b %Y} ({reporting_round})",
        f"The reporting round {reporting_round} closes on {reporting_round.closes_on:%d %B %Y}. "
        f"No progress has been reported yet on:\n\n{lines}\n\n"
        f"Record it here: {settings.SITE_URL}{reverse('admin:my-deliverables')}\n",
        None,
        [address],
    )
