from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from goals.admin import SOURCE_FIELDSET
from partners.models import ContactPoint, CooperationProgramme, Involvement, Partner, ProgrammeReport
from tracker.core.admin import ScopedInline, TrackerAdmin


class InvolvementInline(ScopedInline, admin.TabularInline):
    model = Involvement
    fields = ["initiative", "deliverable", "role", "start_year", "end_year"]
    autocomplete_fields = ["initiative", "deliverable"]
    extra = 0
    show_change_link = True


class ProgrammeInline(ScopedInline, admin.TabularInline):
    model = CooperationProgramme
    fk_name = "partner"
    fields = ["name", "acronym", "start_year", "end_year"]
    extra = 0
    show_change_link = True


class ContactPointInline(ScopedInline, admin.TabularInline):
    model = ContactPoint
    fields = ["name", "role", "email", "phone", "is_public"]
    extra = 0


class ProgrammeReportInline(ScopedInline, admin.TabularInline):
    model = ProgrammeReport
    fields = ["year", "document_symbol", "reporting_member", "reported_on", "source_url"]
    extra = 0


@admin.register(Partner)
class PartnerAdmin(TrackerAdmin):
    list_display = ["name", "acronym", "kind", "country", "reports_under_article_67", "programme_count"]
    list_filter = ["kind", "reports_under_article_67"]
    search_fields = ["name", "acronym", "former_names", "country"]
    prepopulated_fields = {"slug": ["acronym"]}
    inlines = [InvolvementInline, ProgrammeInline, ContactPointInline]
    fieldsets = [
        (None, {"fields": ["name", "acronym", "slug", "kind", "country", "website"]}),
        (_("About"), {"fields": ["former_names", "reports_under_article_67", "description"]}),
        SOURCE_FIELDSET,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(programme_count=Count("programmes"))

    @admin.display(description=_("programmes"), ordering="programme_count")
    def programme_count(self, partner):
        return partner.programme_count


@admin.register(Involvement)
class InvolvementAdmin(TrackerAdmin):
    list_display = ["partner", "role", "initiative", "deliverable", "start_year", "end_year"]
    list_filter = ["role", "partner"]
    list_select_related = ["partner", "initiative", "deliverable"]
    search_fields = [
        "partner__name",
        "partner__acronym",
        "initiative__title",
        "deliverable__title",
        "description",
    ]
    autocomplete_fields = ["partner", "initiative", "deliverable"]


@admin.register(CooperationProgramme)
class CooperationProgrammeAdmin(TrackerAdmin):
    list_display = ["name", "acronym", "partner", "start_year", "end_year", "budget_display", "report_count"]
    list_filter = [
        "partner",
        "serves_law_drafting",
        "serves_enforcement",
        "serves_offices",
        "serves_training",
    ]
    list_select_related = ["partner"]
    search_fields = ["name", "acronym", "description", "funder", "reports__document_symbol"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["partner", "co_partners", "beneficiaries", "deliverables"]
    inlines = [ProgrammeReportInline]
    fieldsets = [
        (None, {"fields": ["name", "acronym", "slug", "partner", "co_partners", "funder", "website"]}),
        (_("Period and budget"), {"fields": [("start_year", "end_year"), ("budget", "currency")]}),
        (
            "TRIPS Article 67 categories",
            {"fields": CooperationProgramme.ARTICLE_67_FIELDS},
        ),
        (_("Reach"), {"fields": ["beneficiaries", "deliverables", "description"]}),
        SOURCE_FIELDSET,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(report_count=Count("reports"))

    @admin.display(description=_("budget"), ordering="budget")
    def budget_display(self, programme):
        if programme.budget is None:
            return "–"
        return f"{programme.currency} {programme.budget:,.0f}"

    @admin.display(description=_("yearly reports"), ordering="report_count")
    def report_count(self, programme):
        return programme.report_count


@admin.register(ProgrammeReport)
class ProgrammeReportAdmin(TrackerAdmin):
    list_display = ["programme", "year", "document_symbol", "reporting_member", "reported_on"]
    list_filter = ["year", "reporting_member"]
    list_select_related = ["programme"]
    search_fields = ["document_symbol", "programme__name", "programme__acronym", "summary"]
    autocomplete_fields = ["programme"]


@admin.register(ContactPoint)
class ContactPointAdmin(TrackerAdmin):
    list_display = ["name", "role", "partner", "body", "email", "is_public"]
    list_filter = ["is_public"]
    list_select_related = ["partner", "body"]
    search_fields = ["name", "role", "email", "partner__name", "body__name"]
    autocomplete_fields = ["partner", "body"]
