"""The staff admin site: the stock admin plus a "My deliverables" page that focal points
land on after signing in."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode

from goals import access as goals_access
from goals.models import MemberState, ProgressUpdate, ReportingRound
from goals.progress import cached_plan_data
from goals.rounds import nothing_owed
from goals.snapshots import progress_as_of
from goals.workflow import allows
from tracker.core import access, audit, roles, twofactor
from tracker.core.csvsafe import csv_response


class TrackerAdminSite(admin.AdminSite):
    site_header = "ASEAN IPR Action Plan Tracker"
    site_title = "IPR Action Plan Tracker admin"
    index_title = "Plan data and progress reporting"

    index_template = "admin/tracker_index.html"
    login_form = twofactor.SignInForm

    def get_urls(self):
        return [
            path("two-factor/", self.admin_view(self.two_factor), name="two-factor"),
            path("my-deliverables/", self.admin_view(self.my_deliverables), name="my-deliverables"),
            path("audit-log.csv", self.admin_view(self.audit_log), name="audit-log"),
            *super().get_urls(),
        ]

    def two_factor(self, request):
        return twofactor.two_factor(request, self)

    def audit_log(self, request):
        """Every recorded change, oldest first, as CSV, narrowed by the query string
        (``audit.filters_from``: 400 with the reason for a bad value); for the secretariat only."""
        if not access.is_secretariat(request.user):
            raise PermissionDenied
        filters = audit.filters_from(request.GET)
        return csv_response("audit-log.csv", audit.HEADER, audit.audit_rows(**filters))

    def index(self, request, extra_context=None):
        if is_reporter(request.user) and "all" not in request.GET:
            return redirect("admin:my-deliverables")
        extra_context = {"audit_record_types": audit.record_types(), **(extra_context or {})}
        return super().index(request, extra_context)

    def my_deliverables(self, request):
        """What the user's bodies owe in each open round, with a link to record each item."""
        rows = reporting_rows(request.user)
        context = {
            **self.each_context(request),
            "title": "My deliverables",
            "rows": rows,
            "open_rounds": ReportingRound.objects.filter(state=ReportingRound.State.OPEN).select_related(
                "plan"
            ),
            "bodies": goals_access.bodies_of(request.user),
        }
        return TemplateResponse(request, "admin/my_deliverables.html", context)


def is_reporter(user):
    return roles.FOCAL_POINT in access.role_names(user) and not access.is_secretariat(user)


def reporting_rows(user):
    """One row per deliverable (and member state, for state-by-state ones) the user reports on."""
    deliverables = list(
        goals_access.deliverables_for(user)
        .select_related("initiative__plan")
        .order_by("initiative__plan", "sort_key")
    )
    open_rounds = {r.plan_id: r for r in ReportingRound.objects.filter(state=ReportingRound.State.OPEN)}
    states = list(goals_access.member_states_for(user).order_by("name"))
    in_round = {}
    for update in ProgressUpdate.objects.filter(
        deliverable__in=deliverables, round__state=ReportingRound.State.OPEN
    ).select_related("deliverable"):
        in_round[(update.deliverable_id, update.member_state_id)] = update
    figures = {  # each plan's figures: the latest approved updates, and what is done
        plan.pk: progress_as_of(cached_plan_data(plan))
        for plan in {d.initiative.plan_id: d.initiative.plan for d in deliverables}.values()
    }
    rows = []
    for deliverable in deliverables:
        reporting_round = open_rounds.get(deliverable.initiative.plan_id)
        progress = figures[deliverable.initiative.plan_id]
        for state in states if deliverable.per_member_state else [None]:
            key = (deliverable.pk, state.pk if state else None)
            current = in_round.get(key)
            rows.append(
                {
                    "deliverable": deliverable,
                    "member_state": state,
                    "round": reporting_round,
                    "current": current,
                    "latest_approved": progress.latest.get(key),
                    "nothing_owed": nothing_owed(progress, deliverable, state),
                    "record_url": record_url(deliverable, reporting_round, state)
                    if reporting_round
                    else None,
                    "continue_url": reverse("admin:goals_progressupdate_change", args=[current.pk])
                    if current and allows(user, current, "submit", unchanged=True)
                    else None,
                }
            )
    return rows


def record_url(deliverable, reporting_round, state: MemberState | None):
    """The add form, already filled in with the deliverable, round and member state."""
    params = {"deliverable": deliverable.pk, "round": reporting_round.pk}
    if state is not None:
        params["member_state"] = state.pk
    return f"{reverse('admin:goals_progressupdate_add')}?{urlencode(params)}"
