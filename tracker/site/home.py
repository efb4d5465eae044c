"""The admin's home page: what needs doing, for the person signed in.

The secretariat sees each plan's reporting round (open, its deadline, its missing reports, or
that none is open), the updates waiting for review and the data-quality flags. A focal point
sees what their bodies still owe in the open rounds and what was returned to them; a partner
reporter what was returned to them and which Article 67 reports of last year are not recorded.
Every item is a sentence with a link to where the work is done.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from goals import quality
from goals.models import ActionPlan, Deliverable, ProgressUpdate, ReportingRound
from goals.rounds import missing_reports
from goals.templatetags.progress import day
from partners.models import CooperationProgramme
from tracker.core import access, roles


@dataclass
class Task:
    text: str
    url: str = ""
    link_text: str = ""
    urgent: bool = False


def tasks_for(request, rows_owed):
    """What ``request.user`` has to do, as a list of Tasks (empty: nothing is waiting).
    ``rows_owed(user)`` gives a focal point's My deliverables rows (``tracker.site.sites``)."""
    user = request.user
    if access.is_secretariat(user):
        return secretariat_tasks()
    role_names = access.role_names(user)
    tasks = []
    if roles.FOCAL_POINT in role_names:
        tasks += focal_point_tasks(user, rows_owed(user))
    if roles.FOCAL_POINT in role_names or roles.PARTNER_REPORTER in role_names:
        tasks += returned_tasks(user)
    if roles.PARTNER_REPORTER in role_names:
        tasks += article_67_tasks(user)
    return tasks


def secretariat_tasks(today=None):
    today = today or datetime.date.today()
    tasks = []
    rounds = ReportingRound.objects.exclude(state=ReportingRound.State.PUBLISHED).select_related("plan")
    by_plan = {}
    for reporting_round in rounds.order_by("opens_on"):
        by_plan.setdefault(reporting_round.plan_id, []).append(reporting_round)
    for plan in ActionPlan.objects.order_by("-start_year"):
        if plan.end_year < today.year - 1 and plan.pk not in by_plan:
            continue  # a plan over for more than a year needs no more rounds
        tasks += round_tasks(plan, by_plan.get(plan.pk, []), today)
    waiting = ProgressUpdate.objects.filter(review_state=ProgressUpdate.ReviewState.SUBMITTED).count()
    if waiting:
        tasks.append(
            Task(
                ngettext(
                    "%(count)d progress update waiting for review.",
                    "%(count)d progress updates waiting for review.",
                    waiting,
                )
                % {"count": waiting},
                reverse("admin:goals_progressupdate_changelist") + "?review_state__exact=submitted",
                _("Review them"),
                urgent=True,
            )
        )
    tasks += quality_tasks(today)
    return tasks


def round_tasks(plan, rounds, today):
    """The plan's open round with its deadline and missing reports; or that none is open."""
    add_round = reverse("admin:goals_reportinground_add") + "?" + urlencode({"plan": plan.pk})
    open_round = next((r for r in rounds if r.state == ReportingRound.State.OPEN), None)
    if open_round is None:
        closed = next((r for r in rounds if r.state == ReportingRound.State.CLOSED), None)
        if closed is not None:
            return [
                Task(
                    _("%(round)s (%(plan)s) is closed and waits to be published.")
                    % {"round": closed, "plan": plan.title},
                    round_page(closed),
                    _("Review and publish it"),
                    urgent=True,
                )
            ]
        planned = next((r for r in rounds if r.state == ReportingRound.State.PLANNED), None)
        if planned is not None:
            return [
                Task(
                    _("No reporting round is open for the %(plan)s; %(round)s is planned to open on %(day)s.")
                    % {"plan": plan.title, "round": planned, "day": day(planned.opens_on)},
                    round_page(planned),
                    _("Open it"),
                )
            ]
        return [
            Task(
                _("No reporting round is open or planned for the %(plan)s.") % {"plan": plan.title},
                add_round,
                _("Add one"),
            )
        ]
    tasks = []
    if open_round.closes_on < today:
        tasks.append(
            Task(
                _("%(round)s (%(plan)s) is open: its closing date, %(day)s, has passed.")
                % {"round": open_round, "plan": plan.title, "day": day(open_round.closes_on)},
                round_page(open_round),
                _("Close it"),
                True,
            )
        )
    else:
        days = (open_round.closes_on - today).days
        values = {"round": open_round, "plan": plan.title, "day": day(open_round.closes_on), "count": days}
        if days == 0:
            text = _("%(round)s (%(plan)s) is open and closes today.") % values
        else:
            text = (
                ngettext(
                    "%(round)s (%(plan)s) is open and closes on %(day)s (%(count)d day left).",
                    "%(round)s (%(plan)s) is open and closes on %(day)s (%(count)d days left).",
                    days,
                )
                % values
            )
        tasks.append(Task(text, round_page(open_round), _("See the round")))
    missing = len(missing_reports(open_round))
    if missing:
        tasks.append(
            Task(
                ngettext(
                    "%(count)d report still missing in %(round)s.",
                    "%(count)d reports still missing in %(round)s.",
                    missing,
                )
                % {"count": missing, "round": open_round},
                reverse("admin:goals_reportinground_missing", args=[open_round.pk]),
                _("See who owes them"),
                urgent=open_round.closes_on <= today + datetime.timedelta(days=7),
            )
        )
    return tasks


def round_page(reporting_round):
    return reverse("admin:goals_reportinground_change", args=[reporting_round.pk])


def quality_tasks(today):
    """One line per data-quality flag raised on the current plans' deliverables."""
    current = ActionPlan.objects.filter(end_year__gte=today.year - 1)
    deliverables = Deliverable.objects.filter(initiative__plan__in=current).select_related("initiative__plan")
    counts = {}
    for found in quality.flags_for(deliverables).values():
        for flag in found:
            counts[flag] = counts.get(flag, 0) + 1
    changelist = reverse("admin:goals_deliverable_changelist")
    return [
        Task(
            ngettext("%(flag)s: %(count)d deliverable.", "%(flag)s: %(count)d deliverables.", count)
            % {"flag": quality.LABELS[flag], "count": count},
            f"{changelist}?{urlencode({'quality': flag})}",
            _("See them"),
        )
        for flag, count in counts.items()
    ]


def focal_point_tasks(user, rows):
    """What the user's bodies owe in each open round: not yet recorded, or still in draft."""
    tasks = []
    for reporting_round in {row["round"].pk: row["round"] for row in rows if row["round"]}.values():
        in_round = [row for row in rows if row["round"] == reporting_round and not row.get("nothing_owed")]
        owed = [row for row in in_round if row["current"] is None]
        drafts = [
            row for row in in_round if row["current"] is not None and row["current"].review_state == "draft"
        ]
        due = day(reporting_round.closes_on)
        if owed:
            tasks.append(
                Task(
                    ngettext(
                        "%(count)d report to record in %(round)s (by %(day)s).",
                        "%(count)d reports to record in %(round)s (by %(day)s).",
                        len(owed),
                    )
                    % {"count": len(owed), "round": reporting_round, "day": due},
                    reverse("admin:my-deliverables"),
                    _("Record them"),
                    urgent=True,
                )
            )
        if drafts:
            tasks.append(
                Task(
                    ngettext(
                        "%(count)d draft not yet submitted in %(round)s (by %(day)s).",
                        "%(count)d drafts not yet submitted in %(round)s (by %(day)s).",
                        len(drafts),
                    )
                    % {"count": len(drafts), "round": reporting_round, "day": due},
                    reverse("admin:my-deliverables"),
                    _("Finish them"),
                )
            )
    return tasks


def returned_tasks(user):
    returned = access.scope(
        ProgressUpdate.objects.filter(review_state=ProgressUpdate.ReviewState.RETURNED),
        user,
    ).filter(Q(submitted_by=user) | Q(submitted_by__isnull=True))
    count = returned.count()
    if not count:
        return []
    return [
        Task(
            ngettext(
                "%(count)d update returned to you for changes.",
                "%(count)d updates returned to you for changes.",
                count,
            )
            % {"count": count},
            reverse("admin:goals_progressupdate_changelist") + "?review_state__exact=returned",
            _("See the reviewers' notes"),
            urgent=True,
        )
    ]


def article_67_tasks(user, today=None):
    """Programmes running last year with no Article 67 report recorded for it."""
    year = (today or datetime.date.today()).year - 1
    programmes = access.scope(CooperationProgramme.objects.all(), user).filter(
        Q(start_year__lte=year) | Q(start_year__isnull=True),
        Q(end_year__gte=year) | Q(end_year__isnull=True),
    )
    unreported = programmes.exclude(reports__year=year).order_by("name")
    return [
        Task(
            _("No %(year)s report is recorded for %(programme)s.")
            % {"year": year, "programme": programme.name},
            reverse("admin:partners_cooperationprogramme_change", args=[programme.pk]),
            _("Add it"),
        )
        for programme in unreported
    ]
