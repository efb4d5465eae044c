"""The explorer's filters: initiatives, deliverables and progress updates of one plan.

Filters on computed values (a deliverable's status and schedule assessment) use the plan's
figures, which the view computes once and hands to the filter set.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from goals.models import (
    ActionPlan,
    Body,
    Deliverable,
    Initiative,
    MemberState,
    ProgressUpdate,
    ReportingRound,
    StrategicGoal,
)
from goals.progress import Schedule
from partners.models import Partner
from tracker.cache import derived_from_data

STATUS_CHOICES = [*ProgressUpdate.Status.choices, ("no_data", "No data")]
SCHEDULE_CHOICES = list(Schedule.LABELS.items())


class HeldChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """The records a select offers, kept until the data changes instead of queried for every
    page (``tracker.cache.derived_from_data``)."""

    def records(self):
        # Each select of the explorer has its own label; the same label offers the same records.
        key = ("filter-choices", self.queryset.model._meta.label, str(self.field.label))
        return derived_from_data(key, lambda: list(self.queryset))

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for record in self.records():
            yield self.choice(record)

    def __len__(self):
        return (
            len(self.records()) + (self.field.empty_label is not None) + (self.field.null_label is not None)
        )


class HeldModelChoiceField(django_filters.fields.ModelChoiceField):
    iterator = HeldChoiceIterator


class HeldModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = HeldModelChoiceField


class PlainSelect(forms.Select):
    """A select written out in Python: the same markup as Django's, without rendering a template
    for every option (the explorer's selects have dozens of options between them)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            html = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((str(o["value"]), " selected" if o["selected"] else "", o["label"]) for o in options),
            )
            groups.append(
                format_html('<optgroup label="{}">{}</optgroup>', group_name, html) if group_name else html
            )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(widget["attrs"]), mark_safe("".join(groups))
        )


class ExplorerFilterSet(django_filters.FilterSet):
    plan = HeldModelChoiceFilter(
        queryset=ActionPlan.objects.order_by("-start_year"),
        to_field_name="slug",
        empty_label=None,
        label="Plan",
        method="filter_plan",
    )
    goal = django_filters.NumberFilter(label="Goal number", min_value=1)
    q = django_filters.CharFilter(
        label="Text", method="filter_text", widget=forms.TextInput(attrs={"type": "search"})
    )
    body = HeldModelChoiceFilter(
        queryset=Body.objects.order_by("name"),
        to_field_name="slug",
        label="Responsible body",
        method="filter_body",
    )
    partner = HeldModelChoiceFilter(
        queryset=Partner.objects.order_by("name"),
        to_field_name="slug",
        label="Partner",
        method="filter_partner",
    )
    member_state = HeldModelChoiceFilter(
        queryset=MemberState.objects.order_by("name"),
        to_field_name="slug",
        empty_label="Any",
        label="Member state",
        method="filter_member_state",
    )
    year = django_filters.NumberFilter(
        label="Year of progress", min_value=1967, max_value=2100, method="filter_year"
    )
    round = HeldModelChoiceFilter(
        queryset=ReportingRound.objects.published().select_related("plan").order_by("-closes_on"),
        empty_label="Any",
        label="Reporting round",
        method="filter_round",
    )

    # Paths from the filtered model to the plan, the goal and the deliverables.
    plan_path = goal_path = deliverable_path = figures_attribute = ""
    text_fields = ()

    def __init__(self, *args, progress=None, **kwargs):
        self.progress = progress
        super().__init__(*args, **kwargs)
        self.filters["goal"].field_name = self.goal_path
        for choices in self.filters.values():
            if isinstance(choices, django_filters.ChoiceFilter):  # model choices too
                choices.extra["widget"] = PlainSelect

    @extend_schema_field(OpenApiTypes.STR)  # a slug (or id) in the address
    def filter_plan(self, queryset, name, value):
        return queryset.filter(**{self.plan_path: value})

    def filter_text(self, queryset, name, value):
        words = Q()
        for field in self.text_fields:
            words |= Q(**{f"{field}__icontains": value.strip()})
        return queryset.filter(words)

    def deliverables_where(self, condition):
        """Rows whose deliverables (or initiative, for initiatives) meet ``condition``."""
        return Q(**{f"{self.deliverable_path}__in": Deliverable.objects.filter(condition)})

    @extend_schema_field(OpenApiTypes.STR)  # a slug (or id) in the address
    def filter_body(self, queryset, name, value):
        on_deliverable = Q(responsibilities__body=value) | Q(initiative__responsibilities__body=value)
        return queryset.filter(self.deliverables_where(on_deliverable)).distinct()

    @extend_schema_field(OpenApiTypes.STR)  # a slug (or id) in the address
    def filter_partner(self, queryset, name, value):
        condition = (
            Q(involvements__partner=value)
            | Q(initiative__involvements__partner=value)
            | Q(programmes__partner=value)
        )
        return queryset.filter(self.deliverables_where(condition)).distinct()

    def member_state_condition(self, value):
        """Rows about a member state: its approved progress, or its office's responsibilities."""
        public = ProgressUpdate.objects.public().filter(member_state=value).values("deliverable")
        condition = Q(pk__in=public) | Q(responsibilities__body__member_state=value)
        condition |= Q(initiative__responsibilities__body__member_state=value)
        return self.deliverables_where(condition)

    @extend_schema_field(OpenApiTypes.STR)  # a slug (or id) in the address
    def filter_member_state(self, queryset, name, value):
        return queryset.filter(self.member_state_condition(value)).distinct()

    def filter_year(self, queryset, name, value):
        public = ProgressUpdate.objects.public().filter(reported_on__year=value).values("deliverable")
        return queryset.filter(self.deliverables_where(Q(pk__in=public))).distinct()

    @extend_schema_field(OpenApiTypes.INT)  # a slug (or id) in the address
    def filter_round(self, queryset, name, value):
        public = ProgressUpdate.objects.public().filter(round=value).values("deliverable")
        return queryset.filter(self.deliverables_where(Q(pk__in=public))).distinct()

    def filter_by_figure(self, queryset, name, value):
        """Keep the rows whose computed figure has this status or schedule assessment."""
        figures = getattr(self.progress, self.figures_attribute)
        return queryset.filter(
            pk__in=[key for key, figure in figures.items() if getattr(figure, name) == value]
        )


class DeliverableFilter(ExplorerFilterSet):
    plan_path = "initiative__plan"
    goal_path = "initiative__goal__number"
    deliverable_path = "pk"
    figures_attribute = "deliverables"
    text_fields = ("code", "title", "description")

    initiative = django_filters.NumberFilter(
        field_name="initiative__number", label="Initiative number", min_value=1
    )
    kind = django_filters.ChoiceFilter(choices=Deliverable.Kind.choices, empty_label="Any", label="Kind")
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES, empty_label="Any", label="Status", method="filter_by_figure"
    )
    schedule = django_filters.ChoiceFilter(
        choices=SCHEDULE_CHOICES, label="Schedule", method="filter_by_figure"
    )

    class Meta:
        model = Deliverable
        fields = []


class InitiativeFilter(ExplorerFilterSet):
    plan_path = "plan"
    goal_path = "goal__number"
    deliverable_path = "deliverables"
    figures_attribute = "initiatives"
    text_fields = ("title", "description")

    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES, empty_label="Any", label="Status", method="filter_by_figure"
    )
    schedule = django_filters.ChoiceFilter(
        choices=SCHEDULE_CHOICES, label="Schedule", method="filter_by_figure"
    )

    class Meta:
        model = Initiative
        fields = []

    def member_state_condition(self, value):
        return super().member_state_condition(value) | Q(responsibilities__body__member_state=value)

    @extend_schema_field(OpenApiTypes.STR)  # a slug (or id) in the address
    def filter_body(self, queryset, name, value):
        return queryset.filter(
            Q(responsibilities__body=value) | Q(deliverables__responsibilities__body=value)
        ).distinct()

    @extend_schema_field(OpenApiTypes.STR)  # a slug (or id) in the address
    def filter_partner(self, queryset, name, value):
        return queryset.filter(
            Q(involvements__partner=value)
            | Q(deliverables__involvements__partner=value)
            | Q(deliverables__programmes__partner=value)
        ).distinct()


class UpdateFilter(ExplorerFilterSet):
    plan_path = "deliverable__initiative__plan"
    goal_path = "deliverable__initiative__goal__number"
    deliverable_path = "deliverable"
    text_fields = ("narrative", "deliverable__title", "deliverable__code")

    initiative = django_filters.NumberFilter(
        field_name="deliverable__initiative__number", label="Initiative number", min_value=1
    )
    deliverable = django_filters.CharFilter(field_name="deliverable__code", label="Deliverable code")
    status = django_filters.ChoiceFilter(
        choices=ProgressUpdate.Status.choices, empty_label="Any", label="Reported status"
    )

    class Meta:
        model = ProgressUpdate
        fields = []

    @extend_schema_field(OpenApiTypes.STR)  # a slug (or id) in the address
    def filter_member_state(self, queryset, name, value):
        return queryset.filter(member_state=value)

    def filter_year(self, queryset, name, value):
        return queryset.filter(reported_on__year=value)

    @extend_schema_field(OpenApiTypes.INT)  # a slug (or id) in the address
    def filter_round(self, queryset, name, value):
        return queryset.filter(round=value)


class GoalFilter(django_filters.FilterSet):
    """The API's goals: an unknown plan is refused (400), never an empty list."""

    plan__slug = django_filters.ModelChoiceFilter(
        field_name="plan", queryset=ActionPlan.objects.all(), to_field_name="slug", label="Plan"
    )
    number = django_filters.NumberFilter(min_value=1, max_value=1000)

    class Meta:
        model = StrategicGoal
        fields = []
