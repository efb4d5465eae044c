"""The staff admin site: a home page saying what needs doing (``tracker.site.home``), sections in
the tracker's own words, "My deliverables" for focal points, and the audit log."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from goals import access as goals_access
from goals import rounds
from goals.models import ActionPlan, MemberState, ProgressUpdate, ReportingRound
from goals.workflow import allows
from tracker.core import access, audit, twofactor, xlsx
from tracker.core.apps import person_name
from tracker.core.csvsafe import csv_response
from tracker.core.exports import requested_format
from tracker.site import home

# The admin's sections: (section, [(app label, model, what the section calls it)]), in English,
# translated where shown (the section's address stays the English one's).
SECTIONS = [
    (gettext_noop("Progress reporting"), [
        ("goals", "ProgressUpdate", gettext_noop("Progress updates")),
        ("goals", "IndicatorValue", gettext_noop("Indicator values")),
        ("goals", "ReportingRound", gettext_noop("Reporting rounds")),
        ("goals", "RoundSnapshot", gettext_noop("Published rounds' frozen figures")),
        ("site", "DatasetRelease", gettext_noop("Dataset releases (citable)")),
        ("goals", "EvidenceLink", gettext_noop("Evidence link checks")),
    ]),
    (gettext_noop("The plan"), [
        ("goals", "ActionPlan", gettext_noop("Action plans")),
        ("goals", "StrategicGoal", gettext_noop("Strategic goals")),
        ("goals", "Initiative", gettext_noop("Initiatives")),
        ("goals", "Deliverable", gettext_noop("Deliverables")),
        ("goals", "Indicator", gettext_noop("Indicators, their baselines and targets")),
        ("goals", "IndicatorTarget", gettext_noop("Indicator targets")),
        ("goals", "Responsibility", gettext_noop("Who is responsible for what")),
        ("goals", "LineageLink", gettext_noop("Plan lineage (what became of each item in the next plan)")),
        ("goals", "Body", gettext_noop("Responsible bodies")),
        ("goals", "MemberState", gettext_noop("Member states")),
    ]),
    (gettext_noop("Partners"), [
        ("partners", "Partner", gettext_noop("Partners")),
        ("partners", "Involvement", gettext_noop("Partners' involvement in the plan")),
        ("partners", "CooperationProgramme", gettext_noop("Cooperation programmes")),
        ("partners", "ProgrammeReport", gettext_noop("Article 67 reports of programmes")),
        ("partners", "ContactPoint", gettext_noop("Contact points")),
    ]),
    (gettext_noop("People and security"), [
        ("auth", "User", gettext_noop("People")),
        ("auth", "Group", gettext_noop("Roles and their rights")),
        ("otp_totp", "TOTPDevice", gettext_noop("Authenticator apps (two-factor sign-in)")),
        ("axes", "AccessAttempt", gettext_noop("Sign-in lockouts")),
        ("axes", "AccessFailureLog", gettext_noop("Failed sign-ins")),
        ("axes", "AccessLog", gettext_noop("Sign-in log")),
    ]),
]  # fmt: skip


class TrackerAdminSite(admin.AdminSite):
    site_header = "ASEAN IPR Action Plan Tracker"  # a name, the same in every language
    site_title = gettext_lazy("IPR Action Plan Tracker admin")
    index_title = gettext_lazy("Plan data and progress reporting")

    index_template = "admin/tracker_index.html"
    # The sections are on the home page; without the side menu repeating them, lists have the
    # width of the screen (every list fits 1280 pixels, tests/browser/test_admin_pages.py).
    enable_nav_sidebar = False
    login_form = twofactor.SignInForm

    def get_urls(self):
        return [
            path("two-factor/", self.admin_view(self.two_factor), name="two-factor"),
            path("my-deliverables/", self.admin_view(self.my_deliverables), name="my-deliverables"),
            path("audit-log.csv", self.admin_view(self.audit_log), name="audit-log"),
            path(
                "audit-log.xlsx", self.admin_view(self.audit_log), {"format": "xlsx"}, name="audit-log-xlsx"
            ),
            *super().get_urls(),
        ]

    def get_app_list(self, request, app_label=None):
        """The admin's sections in the tracker's own words (``SECTIONS``), not by Django app."""
        apps = super().get_app_list(request, app_label)
        if app_label is not None:
            return apps
        found = {(app["app_label"], model["object_name"]): model for app in apps for model in app["models"]}
        sections = []
        for name, entries in SECTIONS:
            models = []
            for label, model_name, shown_as in entries:
                model = found.pop((label, model_name), None)
                if model is not None:
                    models.append({**model, "name": gettext(shown_as)})
            if models:
                sections.append({"name": gettext(name), "app_label": slugify(name), "app_url": "",
                                 "models": models, "has_module_perms": True})  # fmt: skip
        leftover = list(found.values())  # a model registered later, not yet placed
        if leftover:
            sections.append({"name": gettext("Other"), "app_label": "other", "app_url": "",
                             "models": leftover, "has_module_perms": True})  # fmt: skip
        return sections

    def each_context(self, request):
        # The languages offered in the header, each in its own name (not translated, as Django's
        # get_available_languages would).
        return {
            **super().each_context(request),
            "time_zone_label": time_zone_label(),
            "interface_languages": settings.LANGUAGES,
        }

    def two_factor(self, request):
        return twofactor.two_factor(request, self)

    def audit_log(self, request, format="csv"):
        """Every recorded change, oldest first, as CSV, narrowed by the query string
        (``audit.filters_from``: 400 with the reason for a bad value); for the secretariat only."""
        if not access.is_secretariat(request.user):
            raise PermissionDenied
        wanted = requested_format(request) or format  # the download form picks one with ?format=
        query = request.GET.copy()
        query.pop("format", None)
        # A data file: in English (its record types too), whatever the admin's language.
        with translation.override(settings.LANGUAGE_CODE):
            filters = audit.filters_from(query)
            rows = audit.audit_rows(**filters)
            if wanted == "xlsx":
                sheet = xlsx.Sheet(
                    "audit-log", [(name, None, "") for name in audit.HEADER], title="Audit log"
                )
                return xlsx.xlsx_response("audit-log.xlsx", sheet, rows)
            return csv_response("audit-log.csv", audit.HEADER, rows)

    def index(self, request, extra_context=None):
        """The home page: what needs doing for the person signed in, then the admin's sections."""
        tasks = home.tasks_for(request, lambda user: reporting_rows(user, goals_access.bodies_of(user)))
        extra_context = {
            "tasks": tasks,
            "reads_audit_log": access.is_secretariat(request.user),  # the audit log's own rule
            "audit_record_types": english_record_types(),
            "audit_people": audit_people() if access.is_secretariat(request.user) else [],
            **(extra_context or {}),
        }
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


def audit_people():
    """Everyone who has a staff account, by name, for the audit log's "changes by" choice (the
    log is narrowed by username)."""
    people = get_user_model().objects.filter(is_staff=True)
    return sorted(((user.get_username(), person_name(user)) for user in people), key=lambda p: p[1].lower())


def english_record_types():
    """The audit log's record types as its file names them (in English): the filter's values."""
    with translation.override(settings.LANGUAGE_CODE):
        return audit.record_types()


def time_zone_label():
    """ "in Jakarta time (UTC+07:00)": the zone every time in the admin is shown in."""
    now = timezone.localtime()
    offset = now.strftime("%z")
    place = settings.TIME_ZONE.rsplit("/", 1)[-1].replace("_", " ")
    return gettext("in %(place)s time (UTC%(offset)s)") % {
        "place": place,
        "offset": f"{offset[:3]}:{offset[3:]}",
    }
