from django.contrib import admin
from django.db.models import Count

from goals.models import (
    ActionPlan,
    Body,
    Deliverable,
    Initiative,
    MemberState,
    ProgressUpdate,
    ReportingRound,
    Responsibility,
    StrategicGoal,
)

SOURCE_FIELDSET = ("Source", {"fields": ["source_url", "provisional", "provisional_note"]})


class StrategicGoalInline(admin.TabularInline):
    model = StrategicGoal
    fields = ["number", "title", "provisional"]
    extra = 0
    show_change_link = True


class InitiativeInline(admin.TabularInline):
    model = Initiative
    fields = ["number", "title", "weight", "provisional"]
    extra = 0
    show_change_link = True


class DeliverableInline(admin.TabularInline):
    model = Deliverable
    fk_name = "initiative"
    fields = ["code", "title", "kind", "per_member_state", "weight", "planned_end", "dropped_in"]
    extra = 0
    show_change_link = True


class ResponsibilityInline(admin.TabularInline):
    model = Responsibility
    fields = ["body", "role", "note"]
    autocomplete_fields = ["body"]
    extra = 0


class ProgressUpdateInline(admin.TabularInline):
    model = ProgressUpdate
    fields = ["reported_on", "member_state", "round", "status", "percent_complete", "review_state"]
    readonly_fields = ["review_state"]
    autocomplete_fields = ["member_state", "round"]
    extra = 0
    show_change_link = True


@admin.register(ActionPlan)
class ActionPlanAdmin(admin.ModelAdmin):
    list_display = ["title", "period", "version_label", "adopted_on", "goal_count", "provisional"]
    list_filter = ["provisional"]
    search_fields = ["title", "version_label", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["predecessor"]
    inlines = [StrategicGoalInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", ("start_year", "end_year"), "version_label", "adopted_on"]}),
        ("Context", {"fields": ["predecessor", "summary"]}),
        SOURCE_FIELDSET,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(goal_count=Count("goals"))

    @admin.display(description="goals", ordering="goal_count")
    def goal_count(self, plan):
        return plan.goal_count


@admin.register(StrategicGoal)
class StrategicGoalAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "plan", "initiative_count", "provisional"]
    list_display_links = ["number", "title"]
    list_filter = ["plan", "provisional"]
    list_select_related = ["plan"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["plan"]
    inlines = [InitiativeInline]
    fieldsets = [(None, {"fields": ["plan", "number", "title", "description"]}), SOURCE_FIELDSET]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(initiative_count=Count("initiatives"))

    @admin.display(description="initiatives", ordering="initiative_count")
    def initiative_count(self, goal):
        return goal.initiative_count


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "goal_number", "plan", "deliverable_count", "weight", "provisional"]
    list_display_links = ["number", "title"]
    list_filter = ["plan", "goal", "provisional"]
    list_select_related = ["plan", "goal"]
    search_fields = ["title", "description", "provisional_note"]
    autocomplete_fields = ["goal"]
    inlines = [DeliverableInline, ResponsibilityInline]
    fieldsets = [
        (None, {"fields": ["goal", "number", "title", "description"]}),
        ("Schedule and weight", {"fields": [("planned_start", "planned_end"), "weight"]}),
        SOURCE_FIELDSET,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(deliverable_count=Count("deliverables"))

    @admin.display(description="goal", ordering="goal__number")
    def goal_number(self, initiative):
        return initiative.goal.number

    @admin.display(description="deliverables", ordering="deliverable_count")
    def deliverable_count(self, initiative):
        return initiative.deliverable_count


@admin.register(Deliverable)
class DeliverableAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "initiative", "kind", "per_member_state", "planned_end", "dropped_in"]
    list_display_links = ["code", "title"]
    list_filter = ["initiative__plan", "kind", "per_member_state", "provisional", "initiative__goal"]
    list_select_related = ["initiative"]
    search_fields = ["code", "title", "description", "url"]
    autocomplete_fields = ["initiative", "replaces"]
    inlines = [ResponsibilityInline, ProgressUpdateInline]
    fieldsets = [
        (None, {"fields": ["initiative", "code", "title", "description", "kind", "url"]}),
        ("Tracking", {"fields": ["per_member_state", ("planned_start", "planned_end"), "weight"]}),
        ("Plan revisions", {"fields": ["introduced_in", "dropped_in", "replaces"]}),
        SOURCE_FIELDSET,
    ]


@admin.register(MemberState)
class MemberStateAdmin(admin.ModelAdmin):
    list_display = ["name", "iso_code", "joined_asean_on"]
    search_fields = ["name", "iso_code"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "kind", "member_state", "parent"]
    list_filter = ["kind", "member_state"]
    list_select_related = ["member_state", "parent"]
    search_fields = ["name", "acronym", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["member_state", "parent"]
    fieldsets = [
        (None, {"fields": ["name", "acronym", "slug", "kind", "member_state", "parent"]}),
        ("About", {"fields": ["website", "description"]}),
        SOURCE_FIELDSET,
    ]


@admin.register(Responsibility)
class ResponsibilityAdmin(admin.ModelAdmin):
    list_display = ["body", "role", "initiative", "deliverable"]
    list_filter = ["role", "body__kind", "body"]
    list_select_related = ["body", "initiative", "deliverable"]
    search_fields = [
        "body__name",
        "body__acronym",
        "initiative__title",
        "deliverable__title",
        "deliverable__code",
    ]
    autocomplete_fields = ["body", "initiative", "deliverable"]


@admin.register(ReportingRound)
class ReportingRoundAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "opens_on", "closes_on", "state"]
    list_filter = ["plan", "state"]
    list_select_related = ["plan"]
    search_fields = ["name"]
    autocomplete_fields = ["plan"]
    date_hierarchy = "opens_on"


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    list_display = [
        "deliverable",
        "member_state",
        "status",
        "percent_complete",
        "reported_on",
        "round",
        "review_state",
        "is_sample",
    ]
    list_filter = [
        "review_state",
        "status",
        "round",
        "deliverable__initiative__plan",
        "member_state",
        "is_sample",
    ]
    list_select_related = ["deliverable", "member_state", "round"]
    search_fields = ["deliverable__code", "deliverable__title", "narrative", "evidence_url"]
    autocomplete_fields = ["deliverable", "member_state", "round"]
    date_hierarchy = "reported_on"
    readonly_fields = ["submitted_by", "reviewed_by", "reviewed_at", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["deliverable", "member_state", "round"]}),
        (
            "Progress",
            {"fields": ["status", "percent_complete", ("reported_on", "reported_on_precision"), "narrative"]},
        ),
        ("Evidence", {"fields": ["evidence_url", "provisional", "provisional_note"]}),
        (
            "Review",
            {
                "fields": [
                    "review_state",
                    "review_note",
                    "submitted_by",
                    "reviewed_by",
                    "reviewed_at",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]
