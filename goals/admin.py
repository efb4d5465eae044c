import copy

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from goals import access as goals_access
from goals import imports, quality, review_admin, round_admin, rounds, workflow
from goals.import_admin import ImportAdminMixin
from goals.models import (
    ActionPlan,
    Body,
    Deliverable,
    EvidenceLink,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Initiative,
    LineageLink,
    MemberState,
    ProgressUpdate,
    ReportingRound,
    Responsibility,
    RoundSnapshot,
    StrategicGoal,
)
from goals.progress import cached_plan_data
from goals.templatetags.progress import day
from tracker.core.admin import NoLostEditsForm, ScopedInline, TrackerAdmin, export_csv, export_xlsx
from tracker.core.csvsafe import csv_response
from tracker.core.parsing import error_messages


def one_line(text):
    """Text a narrow column does not break: its spaces made non-breaking (a date stays whole)."""
    return text.replace(" ", "\u00a0")


def _translation_label(model, field, language_name):
    """ "Title (Bahasa Indonesia)": a translated field's label, in the admin's language."""
    return gettext("%(field)s (%(language)s)") % {
        "field": capfirst(model._meta.get_field(field).verbose_name),
        "language": language_name,
    }


translation_label = lazy(_translation_label, str)


class TranslationsForm(NoLostEditsForm):
    """A record's ``translations`` (``goals.models.Translatable``) as plain fields, one per
    language and translated field, read from and written back to the JSON: an empty field
    removes its entry (and a language left with none). The model's ``clean`` stays the one rule
    on what the JSON may hold. A field the post does not carry leaves its entry as it was."""

    translated = ()  # (language, field, form field's name), set by ``translations_form``

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        entered = self.instance.translations if isinstance(self.instance.translations, dict) else {}
        for language, field, name in self.translated:
            texts = entered.get(language)
            self.initial.setdefault(name, texts.get(field, "") if isinstance(texts, dict) else "")

    def clean(self):
        cleaned = super().clean()
        entered = self.instance.translations
        translations = copy.deepcopy(entered) if isinstance(entered, dict) else {}
        for language, field, name in self.translated:
            if name not in self.fields or self.add_prefix(name) not in self.data:
                continue
            text = (cleaned.get(name) or "").strip()
            texts = translations.get(language)
            texts = dict(texts) if isinstance(texts, dict) else {}
            if text:
                texts[field] = text
            else:
                texts.pop(field, None)
            if texts:
                translations[language] = texts
            else:
                translations.pop(language, None)
        self.instance.translations = translations
        return cleaned

    def _update_errors(self, errors):
        """The model's refusal of the JSON is said above the form (the JSON has no field here)."""
        if hasattr(errors, "error_dict") and "translations" in errors.error_dict:
            error_dict = dict(errors.error_dict)
            refused = error_dict.pop("translations")
            error_dict[NON_FIELD_ERRORS] = error_dict.get(NON_FIELD_ERRORS, []) + refused
            errors = ValidationError(error_dict)
        super()._update_errors(errors)


def translated_field_names(model):
    """(language, field, form field's name) for each language of the site but English and each
    field ``model`` translates."""
    return [
        (code, field, f"translation_{code}_{field}")
        for code, _name in settings.LANGUAGES
        if code != settings.LANGUAGE_CODE
        for field in model.TRANSLATED_FIELDS
    ]


def translations_form(model):
    """The admin form of ``model`` with a plain field per language and translated field."""
    names = dict(settings.LANGUAGES)
    attrs = {"translated": translated_field_names(model), "__module__": __name__}
    for code, field, name in attrs["translated"]:
        model_field = model._meta.get_field(field)
        if isinstance(model_field, models.TextField):
            widget = forms.Textarea(attrs={"rows": 4, "lang": code})
        else:
            widget = forms.TextInput(attrs={"class": "vTextField", "lang": code})
        attrs[name] = forms.CharField(
            label=translation_label(model, field, names[code]),
            required=False,
            max_length=model_field.max_length,
            widget=widget,
        )
    return type(f"{model.__name__}TranslationsForm", (TranslationsForm,), attrs)


class TranslationsAdmin:
    """Offers the record's translations in a collapsed "Translations" fieldset to those who may
    change it (others see the JSON as the English pages do not: not at all)."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        may_edit = self.has_change_permission(request, obj) if obj else self.has_add_permission(request)
        if may_edit:
            names = [name for _code, _field, name in translated_field_names(self.model)]
            fieldsets.append(
                (
                    _("Translations"),
                    {
                        "classes": ["collapse"],
                        "fields": names,
                        "description": _(
                            "The words above in the other languages of the site. Where a field is "
                            "left empty, pages show the English text."
                        ),
                    },
                )
            )
        return fieldsets


SOURCE_FIELDSET = (_("Source"), {"fields": ["source_url", "provisional", "provisional_note"]})


class StrategicGoalInline(ScopedInline, admin.TabularInline):
    model = StrategicGoal
    fields = ["number", "title"]  # provisional, with its note, on the goal's own page
    extra = 0
    show_change_link = True


class InitiativeInline(ScopedInline, admin.TabularInline):
    model = Initiative
    fields = ["number", "title", "weight"]  # provisional, with its note, on the initiative's own page
    extra = 0
    show_change_link = True


class DeliverableInline(ScopedInline, admin.TabularInline):
    model = Deliverable
    fk_name = "initiative"
    fields = ["code", "title", "kind", "per_member_state", "weight", "planned_end", "dropped_in"]
    extra = 0
    show_change_link = True


class ResponsibilityInline(ScopedInline, admin.TabularInline):
    model = Responsibility
    fields = ["body", "role", "note"]
    autocomplete_fields = ["body"]
    extra = 0


class ProgressUpdateInline(ScopedInline, admin.TabularInline):
    """The deliverable's updates at a glance; each is opened and edited on its own page, where
    ``workflow.allowed_actions`` decides per update (an inline's permissions are asked per
    deliverable, so they cannot)."""

    model = ProgressUpdate
    fields = ["reported_on", "member_state", "round", "status", "percent_complete", "review_state"]
    readonly_fields = fields
    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ActionPlan)
class ActionPlanAdmin(TranslationsAdmin, TrackerAdmin):
    form = translations_form(ActionPlan)
    list_display = ["title", "period", "version_label", "adopted_on", "goal_count", "provisional"]
    list_filter = ["provisional"]
    search_fields = ["title", "version_label", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["predecessor"]
    inlines = [StrategicGoalInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", ("start_year", "end_year"), "version_label", "adopted_on"]}),
        (_("Context"), {"fields": ["predecessor", "summary", "goal_term", "stated_goal_count"]}),
        SOURCE_FIELDSET,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(goal_count=Count("goals"))

    @admin.display(description=_("goals"), ordering="goal_count")
    def goal_count(self, plan):
        return plan.goal_count


@admin.register(StrategicGoal)
class StrategicGoalAdmin(TranslationsAdmin, TrackerAdmin):
    form = translations_form(StrategicGoal)
    list_display = ["number", "title", "plan", "initiative_count", "provisional"]
    list_display_links = ["number", "title"]
    list_filter = ["plan", "provisional"]
    list_select_related = ["plan"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["plan"]
    inlines = [InitiativeInline]
    fieldsets = [(None, {"fields": ["plan", "number", "title", "description"]}), SOURCE_FIELDSET]

    def get_queryset(self, request):
        # With its plan: a goal's name is in its plan's words ("Strategic measure 1").
        return (
            super()
            .get_queryset(request)
            .select_related("plan")
            .annotate(initiative_count=Count("initiatives"))
        )

    @admin.display(description=_("initiatives"), ordering="initiative_count")
    def initiative_count(self, goal):
        return goal.initiative_count


@admin.register(Initiative)
class InitiativeAdmin(TranslationsAdmin, TrackerAdmin):
    form = translations_form(Initiative)
    list_display = ["number", "title", "goal_number", "plan", "deliverable_count", "weight", "provisional"]
    list_display_links = ["number", "title"]
    list_filter = ["plan", "goal", "provisional"]
    list_select_related = ["plan", "goal"]
    search_fields = ["title", "description", "provisional_note"]
    autocomplete_fields = ["goal"]
    inlines = [DeliverableInline, ResponsibilityInline]
    fieldsets = [
        (None, {"fields": ["goal", "number", "title", "description"]}),
        (_("Schedule and weight"), {"fields": [("planned_start", "planned_end"), "weight"]}),
        SOURCE_FIELDSET,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(deliverable_count=Count("deliverables"))

    @admin.display(description=_("goal"), ordering="goal__number")
    def goal_number(self, initiative):
        return initiative.goal.number

    @admin.display(description=_("deliverables"), ordering="deliverable_count")
    def deliverable_count(self, initiative):
        return initiative.deliverable_count


class DataQualityFilter(admin.SimpleListFilter):
    title = _("data quality")
    parameter_name = "quality"

    def lookups(self, request, model_admin):
        return list(quality.LABELS.items())

    def queryset(self, request, queryset):
        if self.value() in quality.LABELS:
            return quality.deliverables_with_flag(queryset, self.value())
        return queryset


class ResponsibleBodyFilter(admin.SimpleListFilter):
    """Updates on deliverables a body is responsible for (itself or through its initiative)."""

    title = _("responsible body")
    parameter_name = "body"

    def lookups(self, request, model_admin):
        bodies = (
            Body.objects.filter(responsibilities__isnull=False)
            .distinct()
            .select_related("member_state")
            .order_by("name")
        )
        short = [body.acronym or body.name for body in bodies]
        return [
            (body.slug, f"{name} ({body.member_state or body.name})" if short.count(name) > 1 else name)
            for body, name in zip(bodies, short, strict=True)
        ]  # two offices called DIP: "DIP (Lao PDR)", "DIP (Thailand)"

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        responsible = Responsibility.objects.filter(body__slug=self.value())
        return queryset.filter(
            Q(deliverable__in=responsible.values("deliverable"))
            | Q(deliverable__initiative__in=responsible.values("initiative"))
        )


@admin.register(Deliverable)
class DeliverableAdmin(TranslationsAdmin, ImportAdminMixin, TrackerAdmin):
    form = translations_form(Deliverable)
    importer = imports.DeliverableImport

    list_display = [
        "natural_code",
        "title",
        "initiative_number",
        "plan_period",
        "kind",
        "per_member_state",
        "planned_end",
        "data_quality",
    ]
    list_display_links = ["natural_code", "title"]
    list_filter = [
        DataQualityFilter,
        "initiative__plan",
        "kind",
        "per_member_state",
        "provisional",
        "initiative__goal",
    ]
    list_select_related = ["initiative__plan"]
    search_fields = ["code", "title", "description", "url"]
    autocomplete_fields = ["initiative", "replaces"]
    inlines = [ResponsibilityInline, ProgressUpdateInline]
    readonly_fields = ["data_quality"]
    fieldsets = [
        (None, {"fields": ["initiative", "code", "title", "description", "kind", "url", "data_quality"]}),
        (_("Tracking"), {"fields": ["per_member_state", ("planned_start", "planned_end"), "weight"]}),
        (_("Plan revisions"), {"fields": ["introduced_in", "dropped_in", "replaces"]}),
        SOURCE_FIELDSET,
    ]

    @admin.display(description=_("initiative"), ordering="initiative__number")
    def initiative_number(self, deliverable):
        return deliverable.initiative.number

    @admin.display(description=_("plan"), ordering="initiative__plan__start_year")
    def plan_period(self, deliverable):
        plan = deliverable.initiative.plan
        return f"{plan.start_year}-{plan.end_year}"

    @admin.display(description=_("code"), ordering="sort_key")
    def natural_code(self, deliverable):
        """The code, sorting in natural order (1.3, 2.2, 10.1) when its column is clicked."""
        return deliverable.code

    def get_changelist_instance(self, request):
        """Work out the flags of the page's deliverables at once, not one query per row."""
        changelist = super().get_changelist_instance(request)
        rows = list(changelist.result_list)
        flags = quality.flags_for(rows)
        for deliverable in rows:
            deliverable.quality_flags = flags.get(deliverable.pk, [])
        return changelist

    @admin.display(description=_("data quality"))
    def data_quality(self, deliverable):
        if not deliverable.pk:
            return "–"
        if not hasattr(deliverable, "quality_flags"):
            deliverable.quality_flags = quality.flags_for([deliverable]).get(deliverable.pk, [])
        return "; ".join(quality.LABELS[flag].split(":")[0] for flag in deliverable.quality_flags) or "OK"


@admin.register(MemberState)
class MemberStateAdmin(TrackerAdmin):
    list_display = ["name", "iso_code", "joined_asean_on"]
    search_fields = ["name", "iso_code"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Body)
class BodyAdmin(TrackerAdmin):
    list_display = ["name", "acronym", "kind", "member_state", "parent"]
    list_filter = ["kind", "member_state"]
    list_select_related = ["member_state", "parent"]
    search_fields = ["name", "acronym", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["member_state", "parent"]
    fieldsets = [
        (None, {"fields": ["name", "acronym", "slug", "kind", "member_state", "parent"]}),
        (_("About"), {"fields": ["website", "description"]}),
        SOURCE_FIELDSET,
    ]


@admin.register(Responsibility)
class ResponsibilityAdmin(TrackerAdmin):
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


class LineageLinkForm(NoLostEditsForm):
    """Checks the items of the next plan a link leads to against its fate
    (``LineageLink.problems_with_targets``, the one rule the data loader follows too)."""

    def clean(self):
        cleaned = super().clean()
        initiative, deliverable = cleaned.get("initiative"), cleaned.get("deliverable")
        fate = cleaned.get("fate")
        if bool(initiative) == bool(deliverable) or not fate:
            return cleaned  # the model's own check names what is missing
        link = LineageLink(initiative=initiative, deliverable=deliverable, fate=fate)
        problems = link.problems_with_targets(
            list(cleaned.get("to_initiatives") or []), list(cleaned.get("to_deliverables") or [])
        )
        if problems:
            raise ValidationError(problems)
        return cleaned


@admin.register(LineageLink)
class LineageLinkAdmin(TrackerAdmin):
    """Plan lineage: what became of each item of a plan in the plan that follows it."""

    form = LineageLinkForm
    list_display = ["__str__", "fate", "from_plan", "leads_to", "provisional"]
    list_filter = ["fate", "provisional", "initiative__plan", "deliverable__initiative__plan"]
    list_select_related = ["initiative__plan", "deliverable__initiative__plan"]
    search_fields = [
        "initiative__title",
        "deliverable__title",
        "deliverable__code",
        "note",
        "provisional_note",
    ]
    # Plain selects offering only what may be chosen: items of a plan that has a successor, and
    # items of a plan that has a predecessor (the rule itself is ``problems_with_targets``).
    CHOICES = {
        "initiative": Q(plan__successors__isnull=False),
        "deliverable": Q(initiative__plan__successors__isnull=False),
        "to_initiatives": Q(plan__predecessor__isnull=False),
        "to_deliverables": Q(initiative__plan__predecessor__isnull=False),
    }
    fieldsets = [
        (
            _("The item of the older plan"),
            {
                "fields": ["initiative", "deliverable"],
                "description": _("Choose an initiative or a deliverable, not both."),
            },
        ),
        (
            _("What became of it in the next plan"),
            {"fields": ["fate", "to_initiatives", "to_deliverables", "note"]},
        ),
        SOURCE_FIELDSET,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("to_initiatives", "to_deliverables")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return self._narrowed(super().formfield_for_foreignkey(db_field, request, **kwargs), db_field)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return self._narrowed(super().formfield_for_manytomany(db_field, request, **kwargs), db_field)

    def _narrowed(self, field, db_field):
        if field is not None and db_field.name in self.CHOICES:
            queryset = field.queryset.filter(self.CHOICES[db_field.name]).distinct()
            if db_field.related_model is Deliverable:
                queryset = queryset.select_related("initiative")
            field.queryset = queryset
        return field

    @admin.display(description=_("plan"))
    def from_plan(self, link):
        return link.plan.period

    @admin.display(description=_("leads to"))
    def leads_to(self, link):
        return "; ".join(str(item) for item in link.targets) or "–"


@admin.register(ReportingRound)
class ReportingRoundAdmin(TrackerAdmin):
    list_display = ["name", "plan_period", "dates", "state", "reports"]
    list_filter = ["plan", "state"]
    list_select_related = ["plan"]
    search_fields = ["name"]
    autocomplete_fields = ["plan"]
    date_hierarchy = "opens_on"
    readonly_fields = ["state"]  # its report pages are linked above the form
    change_form_template = "admin/goals/reportinground/change_form.html"
    # Rounds move only by the buttons on the round's page, each of which asks to confirm.
    actions = [export_csv, export_xlsx]

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/missing/", view(self.missing_view), name="goals_reportinground_missing"),
            path("<path:object_id>/changes/", view(self.changes_view), name="goals_reportinground_changes"),
            *round_admin.urls(self),
            *super().get_urls(),
        ]

    @admin.display(description=_("plan"), ordering="plan__start_year")
    def plan_period(self, reporting_round):
        return reporting_round.plan.period

    @admin.display(description=_("dates"), ordering="opens_on")
    def dates(self, reporting_round):
        """When it opens and closes, short ("1 Mar – 15 Apr 2024"), each date on one line."""
        opens, closes = day(reporting_round.opens_on), day(reporting_round.closes_on)
        if reporting_round.opens_on.year == reporting_round.closes_on.year:
            opens = opens.rsplit(" ", 1)[0]
        return f"{one_line(opens)}\u00a0– {one_line(closes)}"

    @admin.display(description=_("reports"))
    def reports(self, reporting_round):
        if not reporting_round.pk:
            return "–"
        missing = reverse("admin:goals_reportinground_missing", args=[reporting_round.pk])
        changes = reverse("admin:goals_reportinground_changes", args=[reporting_round.pk])
        return format_html('<a href="{}">Missing</a> · <a href="{}">Changes</a>', missing, changes)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """The round's buttons (to whoever may manage rounds) and its report pages' links."""
        if obj is not None:
            context["round_buttons"] = (
                [
                    (round_admin.BUTTONS[move], reverse(f"admin:goals_reportinground_{move}", args=[obj.pk]))
                    for move in workflow.round_moves_from(obj)
                ]
                if workflow.may_manage_rounds(request.user)
                else []
            )
            if obj.state == ReportingRound.State.PUBLISHED:
                context["meeting_pack"] = reverse(
                    "meeting-pack", kwargs={"plan": obj.plan.slug, "pk": obj.pk}
                )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def missing_view(self, request, object_id):
        return round_admin.missing_view(self, request, object_id)

    def changes_view(self, request, object_id):
        reporting_round = self.get_object(request, object_id)
        if reporting_round is None:
            raise Http404(gettext("No such reporting round."))
        previous, changes = rounds.changes_since_previous(
            cached_plan_data(reporting_round.plan), reporting_round
        )
        return round_admin.page(
            self,
            request,
            reporting_round,
            "admin/goals/reportinground/changes.html",
            gettext("Changes since the previous round: %(round)s") % {"round": reporting_round},
            previous=previous,
            changes=changes,
        )


class ProgressUpdateForm(NoLostEditsForm):
    def _update_errors(self, errors):
        """The model's rules as the form shows them: a rule on a field the form leaves out (the
        member state, on a deliverable not tracked per member state) is said at the top, and a
        field the form has already refused is not told twice."""
        if hasattr(errors, "error_dict"):
            kept = {}
            for name, messages in errors.error_dict.items():
                if name != NON_FIELD_ERRORS and name in self.errors:
                    continue
                kept.setdefault(name if name in self.fields else NON_FIELD_ERRORS, []).extend(messages)
            errors = ValidationError(kept)
        super()._update_errors(errors)


class ReviewedAdmin:
    """What the admins of reviewed records (progress updates, indicator values) share: the review
    workflow (``goals.workflow``) decides what may be edited and deleted, a new record starts as
    the author's draft, and "Submit for review" submits it once saved (``_after_save``)."""

    review_permission = ""  # the permission to approve, return and un-approve

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """The review link and the "Submit for review" button show by what the user may do to it."""
        context["review_actions"] = workflow.allowed_actions(request.user, obj) if obj else frozenset()
        return super().render_change_form(request, context, add, change, form_url, obj)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return workflow.allows(request.user, obj, "edit")

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request)
        return workflow.allows(request.user, obj, "delete")

    def has_review_permission(self, request):
        return request.user.has_perm(self.review_permission)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.review_state = obj.ReviewState.DRAFT
            obj.submitted_by = request.user
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        return self._after_save(request, obj) or super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        return self._after_save(request, obj) or super().response_change(request, obj)


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ReviewedAdmin, ImportAdminMixin, TrackerAdmin):
    importer = imports.ProgressImport
    starting_file = "admin:goals_progressupdate_my_rows"
    form = ProgressUpdateForm

    # Columns that fit a 1280-pixel screen; the rest is on the record.
    list_display = ["what", "progress", "reported_on", "round", "review_state", "submitted_by"]
    list_display_links = ["what"]
    list_filter = [
        "deliverable__initiative__plan",
        "round",
        "review_state",
        ResponsibleBodyFilter,
        "status",
        "member_state",
        "is_sample",
    ]
    list_select_related = ["deliverable", "member_state", "round", "submitted_by"]
    search_fields = ["deliverable__code", "deliverable__title", "narrative", "evidence_url"]
    autocomplete_fields = ["deliverable", "member_state", "round"]
    readonly_fields = [
        "review_state",
        "review_note",
        "submitted_by",
        "reviewed_by",
        "reviewed_at",
        "updated_at",
    ]
    change_form_template = "admin/goals/progressupdate/change_form.html"

    @admin.display(description=_("deliverable"), ordering="deliverable__sort_key")
    def what(self, update):
        """The deliverable's code and short title, and the member state for a state's row."""
        state = f" – {update.member_state.name}" if update.member_state_id else ""
        return f"{update.deliverable.code} {Truncator(update.deliverable.title).chars(60)}{state}"

    @admin.display(description=_("progress"), ordering="percent_complete")
    def progress(self, update):
        return f"{update.get_status_display()}, {update.percent_complete}\u00a0%"

    actions = [
        export_csv,
        export_xlsx,
        review_admin.submit_selected,
        review_admin.approve_selected,
        review_admin.return_selected,
    ]
    fieldsets = [
        (None, {"fields": ["deliverable", "member_state", "round"]}),
        (
            "Progress",
            {"fields": ["status", "percent_complete", ("reported_on", "reported_on_precision"), "narrative"]},
        ),
        (_("Evidence"), {"fields": ["evidence_url", "evidence_file", "provisional", "provisional_note"]}),
        (
            "Review",
            {
                "fields": [
                    "review_state",
                    "review_note",
                    "submitted_by",
                    "reviewed_by",
                    "reviewed_at",
                    "updated_at",
                ]
            },
        ),
    ]

    def get_urls(self):
        my_rows = path(
            "my-rows.csv", self.admin_site.admin_view(self.my_rows), name="goals_progressupdate_my_rows"
        )
        return [my_rows, *review_admin.urls(self), *super().get_urls()]

    def my_rows(self, request):
        """The reports the user's bodies owe in the open rounds, as a file to fill in and import."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        rows = imports.my_rows(goals_access.bodies_of(request.user), timezone.localdate())
        return csv_response("my-progress-rows.csv", imports.ProgressImport.header, rows)

    def get_changeform_initial_data(self, request):
        """Prefill the deliverable, round and member state from a "Record progress" link, and the
        status, percent and evidence from the latest approved update on that row."""
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("reported_on", timezone.localdate())
        deliverable = self._deliverable(request, None)
        if deliverable is not None:
            state = initial.get("member_state")
            state = int(state) if str(state).isdigit() and deliverable.per_member_state else None
            latest = rounds.latest_approved(deliverable, state)
            if latest is not None:
                for name in ("status", "percent_complete", "evidence_url"):
                    initial.setdefault(name, getattr(latest, name))
        return initial

    @staticmethod
    def _deliverable(request, obj):
        """The deliverable the form is about: as posted, else the stored update's, else the one
        a "Record progress" link names; None when not known yet."""
        key = request.POST.get("deliverable") or (
            obj.deliverable_id if obj else request.GET.get("deliverable")
        )
        return Deliverable.objects.filter(pk=key).first() if str(key).isdigit() else None

    def get_fieldsets(self, request, obj=None):
        """The member state only where the deliverable is tracked per member state (or not
        chosen yet)."""
        fieldsets = super().get_fieldsets(request, obj)
        deliverable = self._deliverable(request, obj)
        if deliverable is None or deliverable.per_member_state:
            return fieldsets
        first, *rest = fieldsets
        fields = [name for name in first[1]["fields"] if name != "member_state"]
        return [(first[0], {**first[1], "fields": fields}), *rest]

    def get_form(self, request, obj=None, change=False, **kwargs):
        """Required where the deliverable is tracked per member state, as the model says."""
        form = super().get_form(request, obj, change, **kwargs)
        deliverable = self._deliverable(request, obj)
        if "member_state" in form.base_fields and deliverable is not None and deliverable.per_member_state:
            form.base_fields["member_state"].required = True
        return form

    review_permission = "goals.review_progressupdate"

    def _after_save(self, request, obj):
        """ "Submit for review" saves the draft, then submits it through the workflow. From a
        page that sent its address (My deliverables), "Submit for review" and "Save draft" lead
        back to it."""
        back = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}
        ) or not back.startswith("/"):
            back = ""
        if "_submit_for_review" not in request.POST:
            if back and "_save" in request.POST:
                self.message_user(
                    request,
                    gettext("%(update)s: saved as a draft.") % {"update": about(obj)},
                    messages.SUCCESS,
                )
                return redirect(back)
            return None
        try:
            workflow.submit(obj, by=request.user)
        except (ValidationError, PermissionDenied) as error:
            self.message_user(
                request,
                gettext("Saved as a draft but not submitted: %(problem)s")
                % {"problem": " ".join(error_messages(error))},
                messages.ERROR,
            )
            change = reverse("admin:goals_progressupdate_change", args=[obj.pk])
            return redirect(f"{change}?{urlencode({'next': back})}" if back else change)
        self.message_user(
            request, gettext("%(update)s: submitted for review.") % {"update": about(obj)}, messages.SUCCESS
        )
        return redirect(back or reverse("admin:goals_progressupdate_changelist"))


def about(update):
    """An update in messages: its deliverable's code and title, and the member state."""
    state = f" ({update.member_state})" if update.member_state_id else ""
    return f"{update.deliverable.code} {update.deliverable.title}{state}"


@admin.register(RoundSnapshot)
class RoundSnapshotAdmin(TrackerAdmin):
    """Published figures are frozen: they can be looked at, never edited."""

    list_display = ["round", "taken_at"]
    list_select_related = ["round"]
    readonly_fields = ["round", "taken_at", "figures"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(EvidenceLink)
class EvidenceLinkAdmin(admin.ModelAdmin):
    """The last check of each public evidence link (``check_evidence_links``): staff can see which
    no longer answer; only the command writes them."""

    list_display = ["url", "checked_at", "answered_at", "failing_since", "problem"]
    list_filter = [("failing_since", admin.EmptyFieldListFilter)]
    search_fields = ["url"]
    readonly_fields = list_display

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Indicators -----------------------------------------------------------------------------------


class IndicatorTargetInline(ScopedInline, admin.TabularInline):
    model = IndicatorTarget
    fields = ["value", "date", "source_url", "note"]
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(TrackerAdmin):
    list_display = ["name", "plan", "measures", "kind", "per_member_state", "how_valued", "provisional"]
    list_filter = ["plan", "kind", "computed", "per_member_state", "provisional"]
    list_select_related = ["plan", "goal", "initiative", "deliverable"]
    search_fields = ["name", "description", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["goal", "initiative", "deliverable", "counts_deliverable"]
    inlines = [IndicatorTargetInline]
    fieldsets = [
        (
            _("What it measures"),
            {
                "fields": ["name", "slug", "description", "goal", "initiative", "deliverable"],
                "description": _("Attach it to one goal, one initiative or one deliverable."),
            },
        ),
        (_("Values"), {"fields": ["unit", "kind", "direction", "per_member_state"]}),
        (
            _("Computed from the tracker's records"),
            {
                "fields": ["computed", "counts_deliverable"],
                "description": "A computed indicator's values, baseline and target come from the approved "
                "progress of the deliverable it counts; nobody enters them.",
            },
        ),
        (_("Baseline"), {"fields": ["baseline_value", "baseline_date", "baseline_source_url"]}),
        SOURCE_FIELDSET,
    ]

    @admin.display(description=_("measures"))
    def measures(self, indicator):
        target = indicator.target
        if indicator.deliverable_id:
            return gettext("Deliverable %(code)s") % {"code": target.code}
        if indicator.initiative_id:
            return gettext("Initiative %(number)s") % {"number": target.number}
        return gettext("Goal %(number)s") % {"number": target.number}

    @admin.display(description=_("values"), ordering="computed")
    def how_valued(self, indicator):
        return gettext("Computed") if indicator.computed else gettext("Entered and reviewed")


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(TrackerAdmin):
    """Targets are kept on their indicator's page; this list shows them all at once."""

    list_display = ["indicator", "value", "date", "source_url"]
    list_filter = ["indicator__plan"]
    list_select_related = ["indicator"]
    search_fields = ["indicator__name", "note"]
    autocomplete_fields = ["indicator"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ReviewedAdmin, ImportAdminMixin, TrackerAdmin):
    """Values of typed indicators, entered and reviewed as progress is (``goals.workflow``)."""

    importer = imports.IndicatorValueImport
    form = ProgressUpdateForm
    list_display = [
        "indicator",
        "member_state",
        "value",
        "measured_on",
        "round",
        "review_state",
        "submitted_by",
    ]
    list_filter = ["indicator__plan", "round", "review_state", "indicator", "member_state", "is_sample"]
    list_select_related = ["indicator", "member_state", "round", "submitted_by"]
    search_fields = ["indicator__name", "note", "source_url"]
    autocomplete_fields = ["member_state", "round"]
    readonly_fields = [
        "review_state",
        "review_note",
        "submitted_by",
        "reviewed_by",
        "reviewed_at",
        "updated_at",
    ]
    change_form_template = "admin/goals/progressupdate/change_form.html"
    actions = [
        export_csv,
        review_admin.submit_selected,
        review_admin.approve_selected,
        review_admin.return_selected,
    ]
    fieldsets = [
        (None, {"fields": ["indicator", "member_state", "round"]}),
        (_("Value"), {"fields": ["value", "measured_on", "source_url", "note"]}),
        (
            "Review",
            {
                "fields": [
                    "review_state",
                    "review_note",
                    "submitted_by",
                    "reviewed_by",
                    "reviewed_at",
                    "updated_at",
                ]
            },
        ),
    ]

    def get_urls(self):
        return [*review_admin.urls(self), *super().get_urls()]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """Only typed indicators take values: computed ones are never entered."""
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "indicator" and field is not None:
            field.queryset = field.queryset.filter(computed="").select_related("plan")
        return field

    review_permission = "goals.review_indicatorvalue"

    def _after_save(self, request, obj):
        """ "Submit for review" saves the draft, then submits it through the workflow."""
        if "_submit_for_review" not in request.POST:
            return None
        try:
            workflow.submit(obj, by=request.user)
        except (ValidationError, PermissionDenied) as error:
            self.message_user(
                request,
                gettext("Saved as a draft but not submitted: %(problem)s")
                % {"problem": " ".join(error_messages(error))},
                messages.ERROR,
            )
            return redirect(reverse("admin:goals_indicatorvalue_change", args=[obj.pk]))
        self.message_user(
            request, gettext("%(update)s: submitted for review.") % {"update": obj}, messages.SUCCESS
        )
        return redirect(reverse("admin:goals_indicatorvalue_changelist"))
