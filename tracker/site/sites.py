"""The staff admin site: the stock admin plus a "My deliverables" page that focal points
land on after signing in."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode

from goals import access as goals_access
from goals import rounds
from goals.models import ActionPlan, MemberState, ProgressUpdate, ReportingRound
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
        """Every recorded change, as CSV; for the secretariat only."""
        if not access.is_secretariat(request.user):
            raise PermissionDenied
        return csv_response("audit-log.csv", audit.HEADER, audit.audit_rows())

    def index(self, request, extra_context=None):
        if is_reporter(request.user) and "all" not in request.GET:
            return redirect("admin:my-deliverables")
        return super().index(request, extra_context)

    def my_deliverables(self, request):
        """What the user's bodies owe in each open round (``goals.rounds.due_rows``, the rule of
        missing reports), with a link to record each item; and, plan by plan, which round is
        open or that none is."""
        bodies = goals_access.bodies_of(request.user)
        open_rounds = {
            r.plan_id: r
            for r in ReportingRound.objects.filter(state=ReportingRound.State.OPEN).select_related("plan")
        }
        plans = list(
            ActionPlan.objects.filter(
                initiatives__deliverables__in=goals_access.deliverables_of_bodies(bodies)
            ).distinct()
        )
        context = {
            **self.each_context(request),
            "title": "My deliverables",
            "rows": reporting_rows(request.user, bodies),
            "plans": [(plan, open_rounds.get(plan.pk)) for plan in plans],
            "any_open": any(plan.pk in open_rounds for plan in plans),
            "bodies": bodies,
            "may_download": self._registry[ProgressUpdate].has_import_permission(request),
        }
        return TemplateResponse(request, "admin/my_deliverables.html", context)


def is_reporter(user):
    return roles.FOCAL_POINT in access.role_names(user) and not access.is_secretariat(user)


def reporting_rows(user, bodies):
    """One row per report the user's bodies owe in an open round (``goals.rounds.due_rows``),
    with what is in already and where to record or continue it."""
    due = rounds.due_rows(bodies)
    in_round = {}
    for update in (
        ProgressUpdate.objects.filter(
            deliverable__in=[row.deliverable.pk for row in due], round__state=ReportingRound.State.OPEN
        )
        .select_related("deliverable")
        .order_by("reported_on", "pk")
    ):  # the latest last: the one kept
        in_round[(update.deliverable_id, update.member_state_id)] = update
    back = reverse("admin:my-deliverables")
    rows = []
    for row in due:
        current = in_round.get(row.key)
        rows.append(
            {
                "deliverable": row.deliverable,
                "member_state": row.member_state,
                "round": row.reporting_round,
                "current": current,
                "latest_approved": row.latest_approved,
                "record_url": record_url(row.deliverable, row.reporting_round, row.member_state, back),
                "continue_url": f"{reverse('admin:goals_progressupdate_change', args=[current.pk])}?"
                f"{urlencode({'next': back})}"
                if current and allows(user, current, "submit", unchanged=True)
                else None,
            }
        )
    return rows


def record_url(deliverable, reporting_round, state: MemberState | None, back):
    """The add form, already filled in with the deliverable, round and member state, which
    returns to ``back`` once saved."""
    params = {"deliverable": deliverable.pk, "round": reporting_round.pk}
    if state is not None:
        params["member_state"] = state.pk
    params["next"] = back
    return f"{reverse('admin:goals_progressupdate_add')}?{urlencode(params)}"
