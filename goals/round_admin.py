"""The secretariat's reporting-round pages, wired from ``ReportingRoundAdmin.get_urls``: a
confirmation page for each move of a round (open, close, reopen, publish), the missing reports
with their focal points (as a page or CSV), and reminders to those focal points. What may be
done is ``goals.workflow``'s and ``goals.rounds``' to say; these pages ask them and report the
answer."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from goals import notifications, rounds, workflow
from goals.models import ProgressUpdate, ReportingRound
from tracker.core.exports import STRING, Export, col, requested_format
from tracker.core.parsing import error_messages

BUTTONS = {
    "open": _("Open for reporting"),
    "close": _("Close"),
    "reopen": _("Reopen"),
    "publish": _("Publish"),
}

# What each move does, in plain words, on its confirmation page.
EXPLAINED = {
    "open": [
        _("Opening the round lets focal points submit progress to it until you close it."),
        _("Only one round of a plan can be open at a time."),
    ],
    "close": [
        _("Closing the round stops submissions: focal points can no longer submit progress to it."),
        _(
            "Updates already submitted can still be reviewed. Until it is published, the round can be "
            "reopened."
        ),
    ],
    "reopen": [
        _("Reopening the round lets focal points submit progress to it again until you close it again."),
        _("Nothing public changes: the round has not been published."),
    ],
    "publish": [
        _(
            "Publishing freezes the round's figures and its missing reports: the public pages can then "
            "be shown as of this round, and its meeting pack appears."
        ),
        _("Updates approved later do not change this round's figures. This cannot be undone."),
    ],
}
CLOSES_FIRST = _("The round is open: publishing closes it first, so nothing more can be submitted to it.")


def urls(model_admin):
    view = model_admin.admin_site.admin_view

    def move_view_for(move):
        return view(lambda request, object_id: move_view(model_admin, request, object_id, move))

    return [
        *(
            path(f"<path:object_id>/{move}/", move_view_for(move), name=f"goals_reportinground_{move}")
            for move in workflow.ROUND_MOVES
        ),
        path(
            "<path:object_id>/remind/",
            view(lambda request, object_id: remind_view(model_admin, request, object_id)),
            name="goals_reportinground_remind",
        ),
    ]


def managed_round(model_admin, request, object_id):
    """The round at ``object_id``, for a user who may manage rounds (403 otherwise, before
    anything is read or done)."""
    if not workflow.may_manage_rounds(request.user):
        raise PermissionDenied
    reporting_round = model_admin.get_object(request, object_id)
    if reporting_round is None:
        raise Http404(gettext("No such reporting round."))
    return reporting_round


def page(model_admin, request, reporting_round, template, title, **context):
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "original": reporting_round,
        "title": title,
        **context,
    }
    return TemplateResponse(request, template, context)


def change_page(reporting_round):
    return redirect(reverse("admin:goals_reportinground_change", args=[reporting_round.pk]))


def round_counts(reporting_round):
    """How many of the round's updates are approved, waiting for review and drafts, and how many
    reports are still missing: what a confirmation page tells before a move."""
    updates = ProgressUpdate.objects.filter(round=reporting_round)
    state = ProgressUpdate.ReviewState
    return {
        "approved": updates.filter(review_state=state.APPROVED).count(),
        "waiting": updates.filter(review_state=state.SUBMITTED).count(),
        "drafts": updates.filter(review_state__in=[state.DRAFT, state.RETURNED]).count(),
        "missing": len(rounds.missing_reports(reporting_round)),
    }


def move_view(model_admin, request, object_id, move):
    """GET: what the move will do, with the round's counts; POST: do it (``workflow``)."""
    reporting_round = managed_round(model_admin, request, object_id)
    if request.method == "POST":
        try:
            workflow.move_round_through(reporting_round, move, by=request.user)
        except (ValidationError, PermissionDenied) as error:
            message = " ".join(error_messages(error)) or gettext("You cannot do this.")
            model_admin.message_user(
                request,
                gettext("%(round)s: %(problem)s") % {"round": reporting_round, "problem": message},
                messages.ERROR,
            )
        else:
            done = gettext(workflow.ROUND_MOVES[move].done)
            model_admin.message_user(
                request,
                gettext("%(round)s: %(done)s.") % {"round": reporting_round, "done": done},
                messages.SUCCESS,
            )
        return change_page(reporting_round)
    steps = workflow.round_steps(reporting_round, move)
    others_open = ReportingRound.objects.filter(
        plan=reporting_round.plan, state=ReportingRound.State.OPEN
    ).exclude(pk=reporting_round.pk)
    return page(
        model_admin,
        request,
        reporting_round,
        "admin/goals/reportinground/move.html",
        gettext("%(action)s %(round)s?") % {"action": BUTTONS[move], "round": reporting_round},
        move=move,
        button=BUTTONS[move],
        done=gettext(workflow.ROUND_MOVES[move].done),
        explained=EXPLAINED[move],
        closes_first=CLOSES_FIRST if steps[0] != move else "",
        possible=move in workflow.round_moves_from(reporting_round),
        blocking=others_open.first()
        if workflow.ROUND_MOVES[move].to_state == ReportingRound.State.OPEN
        else None,
        counts=round_counts(reporting_round),
    )


# The missing reports --------------------------------------------------------------------


def missing_rows(reporting_round, with_people):
    """The round's missing reports, then the unreported deliverables no body is responsible for
    (not for a published round: its list is frozen), each with its focal points if asked."""
    if reporting_round.state == ReportingRound.State.PUBLISHED:
        missing, unassigned = rounds.missing_reports(reporting_round), []
    else:
        missing, unassigned = rounds.owed_now(reporting_round)
    people = rounds.focal_points({item.body for item in missing}) if with_people else {}
    return [(item, people.get(getattr(item.body, "pk", None), [])) for item in missing], unassigned


def sees_people(user):
    """Focal points' names and addresses are shown to those who may see staff accounts (the
    secretariat), not to the focal points of other bodies nor to viewers."""
    return user.has_perm("auth.view_user")


def person_name(user):
    return user.get_full_name() or user.get_username()


MISSING_COLUMNS = [
    col("body", STRING, "The body that owes the report; empty when no body is responsible.",
        lambda row: str(row[0].body) if row[0].body else ""),
    col("deliverable_code", STRING, "The deliverable's code.", lambda row: row[0].deliverable.code),
    col("deliverable_title", STRING, "The deliverable's title.", lambda row: row[0].deliverable.title),
    col("member_state", STRING, "For a deliverable tracked per member state: whose row.",
        lambda row: str(row[0].member_state or "")),
    col("focal_points", STRING, "The body's focal points, separated by semicolons.",
        lambda row: "; ".join(person_name(u) for u in row[1])),
    col("focal_point_emails", STRING, "Their e-mail addresses, in the same order (empty: none).",
        lambda row: "; ".join(u.email for u in row[1])),
    col("note", STRING, "Why nobody is chased, when no body is responsible.",
        lambda row: "" if row[0].body else "No body leads or implements this deliverable."),
]  # fmt: skip


def missing_reports_file(with_people):
    columns = [c for c in MISSING_COLUMNS if with_people or not c.name.startswith("focal_point")]
    return Export(
        "missing_reports",
        "Missing reports",
        "The reports a round is missing: who owes which deliverable (and their focal points).",
        columns=columns,
    )


def missing_view(model_admin, request, object_id):
    """The missing reports of a round, as a page or (``?format=csv``) a file."""
    reporting_round = model_admin.get_object(request, object_id)
    if reporting_round is None:
        raise Http404(gettext("No such reporting round."))
    wanted = requested_format(request)
    with_people = sees_people(request.user)
    missing, unassigned = missing_rows(reporting_round, with_people)
    if wanted:
        rows = [*missing, *((item, []) for item in unassigned)]
        return missing_reports_file(with_people).response(rows, f"round-{reporting_round.pk}", format=wanted)
    return page(
        model_admin,
        request,
        reporting_round,
        "admin/goals/reportinground/missing.html",
        gettext("Missing reports: %(round)s") % {"round": reporting_round},
        missing=missing,
        unassigned=unassigned,
        with_people=with_people,
        may_remind=workflow.may_manage_rounds(request.user)
        and reporting_round.state == ReportingRound.State.OPEN,
    )


def remind_view(model_admin, request, object_id):
    """GET: who would be reminded of what; POST: send one e-mail to each reachable focal point."""
    reporting_round = managed_round(model_admin, request, object_id)
    is_open = reporting_round.state == ReportingRound.State.OPEN
    missing = rounds.missing_reports(reporting_round)
    reminders = rounds.reminders(missing)
    reachable = [reminder for reminder in reminders if reminder.reachable]
    if request.method == "POST":
        if not is_open:
            model_admin.message_user(
                request,
                gettext("%(round)s is not open for reporting: no reminders were sent.")
                % {"round": reporting_round},
                messages.ERROR,
            )
        else:
            for reminder in reachable:
                notifications.send_after_commit(
                    notifications.missing_reports_reminder,
                    reporting_round,
                    reminder.person.email,
                    [str(item) for item in reminder.items],
                )
            sent = len(reachable)
            model_admin.message_user(
                request,
                ngettext("%(count)d reminder sent.", "%(count)d reminders sent.", sent) % {"count": sent},
                messages.SUCCESS,
            )
            unreachable = [person_name(r.person) for r in reminders if not r.reachable]
            if unreachable:
                model_admin.message_user(
                    request,
                    gettext("No e-mail address, not reminded: %(people)s.")
                    % {"people": ", ".join(unreachable)},
                    messages.WARNING,
                )
        return redirect(reverse("admin:goals_reportinground_missing", args=[reporting_round.pk]))
    reminded = {item for reminder in reminders for item in reminder.items}
    return page(
        model_admin,
        request,
        reporting_round,
        "admin/goals/reportinground/remind.html",
        gettext("Send reminders: %(round)s") % {"round": reporting_round},
        is_open=is_open,
        reminders=reminders,
        reachable=len(reachable),
        nobody=[item for item in missing if item not in reminded],
    )
