"""The explorer's filters: initiatives, deliverables and progress updates of one plan.

Filters on computed values (a deliverable's status and schedule assessment) use the plan's
figures, which ``explore`` computes once and hands to the filter set. The explorer's pages and
the API set up their filters the same way, through ``explore``: the plan in force offers its own
goals and initiatives to choose from, and ``sort`` orders the rows (in the database, so pages,
downloads and the API list them alike). Other apps add their own filters when they are ready
(``add_explorer_filter``: partners add "Partner").
"""

import copy
from collections import defaultdict
from dataclasses import dataclass
from html import escape
from itertools import pairwise

import django_filters
from django import forms
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Lower
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, format_lazy
from django.utils.translation import get_language, gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
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
from goals.progress import COUNTED, STATUS_LABELS, Schedule, cached_plan_data
from goals.selectors import default_plan, plan_named, text_matches
from goals.snapshots import progress_as_of
from tracker.core.cache import derived_from_data
from tracker.core.textsearch import MAX_LENGTH

ANY = _("Any")  # the empty choice of every select
OPTION_TITLE_LENGTH = 45  # characters of a goal's or initiative's title in its option
# The order of the explorer's fields: what narrows most first. A filter another app adds and
# this list does not name keeps its place after the filter it was added after.
FIELD_ORDER = [
    "plan", "goal", "initiative", "q", "status", "schedule", "kind", "deliverable",
    "body", "member_state", "year", "round", "sort",
]  # fmt: skip
STATUS_CHOICES = list(STATUS_LABELS.items())
SCHEDULE_CHOICES = list(Schedule.LABELS.items())


class HeldChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """The records a select offers, kept until the data changes instead of queried for every
    page (``tracker.core.cache.derived_from_data``)."""

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

    def to_python(self, value):
        """The record named by ``value``, found among the records the select offers (held until
        the data changes) rather than asked of the database on every request."""
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        key = self.to_field_name or "pk"
        for record in self.iterator(self).records():
            if str(getattr(record, key)) == str(value):
                return record
        raise forms.ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class HeldModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = HeldModelChoiceField


class PlanChoiceField(HeldModelChoiceField):
    def label_from_instance(self, plan):
        """A plan by its period, "2016-2025", as in the plan switch of the overview: the select
        stays narrow enough to show it whole."""
        return plan.period


class PlanChoiceFilter(HeldModelChoiceFilter):
    field_class = PlanChoiceField


def html_attributes(attrs):
    """HTML attributes as Django's ``flatatt`` writes them (``True`` alone, ``False`` and
    ``None`` left out), written with the standard library's escape: the explorer renders a dozen
    fields on every page."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False and value is not None
    )


class PlainSelect(forms.Select):
    """A select written out in Python, the same markup as Django's: each option's HTML is made
    once per data version (the explorer's selects have dozens of options between them) and only
    the chosen one is marked on each request."""

    def __init__(self, *args, key=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.key = key  # which filter set's select this is: the same key offers the same options

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = derived_from_data(("select-options", self.key, name, get_language()), self.options_html)
        body = "".join(selected if option in chosen else plain for option, plain, selected in options)
        final_attrs = html_attributes(self.build_attrs(self.attrs, attrs))
        return mark_safe(f'<select name="{escape(name)}"{final_attrs}>{body}</select>')

    def options_html(self):
        return [
            (
                str(option),
                format_html('<option value="{}">{}</option>', str(option), label),
                format_html('<option value="{}" selected>{}</option>', str(option), label),
            )
            for option, label in self.choices
        ]


class PlainInput(forms.TextInput):
    """A text input written out in Python (the same markup as Django's template)."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = {"type": self.input_type, **self.build_attrs(self.attrs, attrs)}
        if (shown := self.format_value(value)) is not None:
            final_attrs["value"] = shown
        return mark_safe(f'<input name="{escape(name)}"{html_attributes(final_attrs)}>')


class PlainNumberInput(PlainInput, forms.NumberInput):
    """A number input written out in Python; its field still adds min, max and step."""

    input_type = "number"


class PlainHiddenInput(PlainInput):
    """A hidden input written out in Python: the sort order a filter form keeps."""

    input_type = "hidden"


# How the goal, initiative and deliverable filters read in force: "Goal 2", "Deliverable 1.2.3".
PART_IN_FORCE = {
    "goal": gettext_noop("Goal %(value)s"),
    "initiative": gettext_noop("Initiative %(value)s"),
    "deliverable": gettext_noop("Deliverable %(value)s"),
}
# Why a goal or initiative number is refused, without a plan and in a plan (the plan's title,
# its numbers and the empty choice filled in; %(value)r is the number given).
REFUSED_WITHOUT_PLAN = {
    "goal": _("There is no goal %(value)r without a plan."),
    "initiative": _("There is no initiative %(value)r without a plan."),
}
REFUSED_IN_PLAN = {
    "goal": _(
        "The {title} has no goal %(value)r. Its goals are numbered {numbers}; "
        "choose one of those, or none ({any})."
    ),
    "initiative": _(
        "The {title} has no initiative %(value)r. Its initiatives are numbered {numbers}; "
        "choose one of those, or none ({any})."
    ),
}
FIGURE = "figure"  # a sort on a computed figure (percent, status, schedule), not on a column


def sort_filter(orders):
    """The ``sort`` filter of a filter set whose rows sort by ``orders`` (key: what it orders
    by); ``-key`` reverses. Any other value is refused with the valid keys listed."""
    keys = [key for name in orders for key in (name, f"-{name}")]
    message = format_lazy(
        _(
            "%(value)r is not a way to sort this list. Sort by one of: {keys} "
            "(a minus sign reverses the order)."
        ),
        keys=", ".join(keys),
    )
    return django_filters.ChoiceFilter(
        choices=[(key, key) for key in keys],
        label=_("Sort"),
        method="filter_sort",
        error_messages={"invalid_choice": message},
    )


def status_rank(field):
    """A status as its place in the status lists (completed first), for sorting in the database."""
    return Case(
        *(When(**{field: status}, then=Value(rank)) for rank, status in enumerate(COUNTED)),
        default=Value(len(COUNTED)),
        output_field=IntegerField(),
    )


def in_field_order(names):
    """``names`` in ``FIELD_ORDER``; a name it lacks follows the name it followed in ``names``."""
    ordered = [name for name in FIELD_ORDER if name in names]
    for before, name in pairwise(names):
        if name not in ordered:
            ordered.insert(ordered.index(before) + 1, name)
    return ordered


def plan_parts(plan, plan_data=None):
    """The plan's goals and initiatives, in number order, for the explorer's selects."""
    if plan is None:
        return (), ()
    if plan_data is not None:
        return plan_data.goals, plan_data.initiatives
    return derived_from_data(
        ("plan-parts", plan.pk),
        lambda: (tuple(plan.goals.order_by("number")), tuple(plan.initiatives.order_by("number"))),
    )


def part_option(part):
    """A goal's or initiative's option: "2. Develop regional IP platforms", long titles cut short."""
    return f"{part.number}. {Truncator(part.title).chars(OPTION_TITLE_LENGTH)}"


class ExplorerFilterSet(django_filters.FilterSet):
    plan = PlanChoiceFilter(
        queryset=ActionPlan.objects.order_by("-start_year"),
        to_field_name="slug",
        empty_label=None,
        label=_("Plan"),
        method="filter_plan",
    )
    goal = django_filters.ChoiceFilter(choices=[], label=_("Goal"), method="filter_goal")
    q = django_filters.CharFilter(
        label=_("Search titles and notes"), method="filter_text", max_length=MAX_LENGTH
    )
    body = HeldModelChoiceFilter(
        queryset=Body.objects.order_by("name"),
        to_field_name="slug",
        label=_("Responsible body"),
        method="filter_body",
    )
    member_state = HeldModelChoiceFilter(
        queryset=MemberState.objects.order_by("name"),
        to_field_name="slug",
        label=_("Member state"),
        method="filter_member_state",
    )
    year = django_filters.NumberFilter(
        label=_("Year of progress"), min_value=1967, max_value=2100, method="filter_year"
    )
    round = HeldModelChoiceFilter(
        queryset=ReportingRound.objects.published().select_related("plan").order_by("-closes_on"),
        label=_("Reporting round"),
        method="filter_round",
    )

    # Paths from the filtered model to the plan, the goal, the initiative and the deliverables.
    plan_path = goal_path = initiative_path = deliverable_path = figures_attribute = ""
    # How its rows sort: key -> what it orders by (expressions, or FIGURE), the order used when
    # none is asked for, and what orders rows that are otherwise equal.
    sort_orders = {}
    default_sort = ""
    tiebreak = ("pk",)
    parts_offered = {"goal": 0}  # the selects of the plan's parts: goals (0) or initiatives (1)

    def __init__(self, *args, progress=None, plan=None, parts=None, **kwargs):
        self.progress = progress
        self.plan = plan
        self.parts = parts or ((), ())
        super().__init__(*args, **kwargs)
        self.filters = {name: self.filters[name] for name in in_field_order(list(self.filters))}
        for name, explorer_filter in self.filters.items():
            # A field built before (the OpenAPI schema reads the declared filters' fields) would
            # be copied along and ignore the widget and empty label chosen here.
            explorer_filter.__dict__.pop("_field", None)
            if name == "sort":
                explorer_filter.extra["widget"] = PlainHiddenInput
            elif isinstance(explorer_filter, django_filters.ChoiceFilter):  # model choices too
                explorer_filter.extra["widget"] = PlainSelect(key=type(self).__name__)
                if explorer_filter.extra.get("empty_label", "") is not None:  # the plan has none
                    explorer_filter.extra["empty_label"] = ANY
            elif isinstance(explorer_filter, django_filters.NumberFilter):
                explorer_filter.extra["widget"] = PlainNumberInput
            elif name == "q":
                explorer_filter.extra["widget"] = PlainInput(attrs={"type": "search"})
            elif isinstance(explorer_filter, django_filters.CharFilter):
                explorer_filter.extra["widget"] = PlainInput()

    def get_form_class(self):
        """The filter form class, built once per filter set class: its fields are the same on
        every request (the choices come from records held until the data changes; the plan's
        goals and initiatives are offered on each form, ``offer_plan_parts``)."""
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    @property
    def form(self):
        if not hasattr(self, "_form"):
            self.offer_plan_parts(super().form)
        return self._form

    def offer_plan_parts(self, form):
        """The goal and initiative selects offer the plan's own, "2. Develop regional IP
        platforms"; a number the plan lacks is refused with the numbers it has."""
        plan = self.plan
        for name, level in self.parts_offered.items():
            field, parts = form.fields[name], self.parts[level]
            field.choices = [(str(part.number), part_option(part)) for part in parts]
            field.widget.key = (type(self).__name__, plan.pk if plan else None)
            if plan is None:
                refusal = REFUSED_WITHOUT_PLAN[name]
            else:
                numbers = ", ".join(str(part.number) for part in parts) or gettext("none yet")
                refusal = REFUSED_IN_PLAN[name].format(
                    title=plan.title.replace("%", "%%"), numbers=numbers, any=ANY
                )
            field.error_messages = {**field.error_messages, "invalid_choice": refusal}

    def filter_queryset(self, queryset):
        """The rows the filters keep, sorted as asked (or in the list's usual order)."""
        queryset = super().filter_queryset(queryset)
        return self.in_order(queryset, self.form.cleaned_data.get("sort") or self.default_sort)

    def filter_sort(self, queryset, name, value):
        return queryset  # applied last, by filter_queryset

    def in_order(self, queryset, key):
        name, descending = key.lstrip("-"), key.startswith("-")
        order = self.sort_orders[name]
        if order == FIGURE:
            order = self.figure_rank(name) if self.progress is not None else []
        directed = [e.desc(nulls_last=True) if descending else e.asc(nulls_last=True) for e in order]
        tiebreak = [F(f[1:]).desc() if f.startswith("-") else F(f).asc() for f in self.tiebreak]
        return queryset.order_by(*directed, *tiebreak)

    def figure_rank(self, name):
        """Each row's place by its computed figure, as a database expression: rows with the same
        value share a place, so the expression has a case per value rather than per row. None to
        order by when no row has a value (PostgreSQL refuses ``ORDER BY NULL``)."""
        figures = getattr(self.progress, self.figures_attribute)
        if name == "percent":
            values = sorted({f.percent for f in figures.values() if f.percent is not None})
        else:
            values = list(COUNTED if name == "status" else Schedule.LABELS)
        place = {value: rank for rank, value in enumerate(values)}
        groups = defaultdict(list)
        for pk, figure in figures.items():
            if (rank := place.get(getattr(figure, name))) is not None:
                groups[rank].append(pk)
        cases = [When(pk__in=pks, then=Value(rank)) for rank, pks in sorted(groups.items())]
        return [Case(*cases, default=Value(None), output_field=IntegerField())] if cases else []

    @extend_schema_field(OpenApiTypes.STR)  # a slug (or id) in the address
    def filter_plan(self, queryset, name, value):
        return queryset.filter(**{self.plan_path: value})

    @extend_schema_field(OpenApiTypes.INT)  # the goal's number in the plan
    def filter_goal(self, queryset, name, value):
        return queryset.filter(**{self.goal_path: int(value)})

    @extend_schema_field(OpenApiTypes.INT)  # the initiative's number in the plan
    def filter_initiative(self, queryset, name, value):
        return queryset.filter(**{self.initiative_path: int(value)})

    def filter_text(self, queryset, name, value):
        return text_matches(queryset, value)

    def deliverables_where(self, condition):
        """Rows whose deliverables (or initiative, for initiatives) meet ``condition``."""
        return Q(**{f"{self.deliverable_path}__in": Deliverable.objects.filter(condition)})

    @extend_schema_field(OpenApiTypes.STR)  # a slug (or id) in the address
    def filter_body(self, queryset, name, value):
        on_deliverable = Q(responsibilities__body=value) | Q(initiative__responsibilities__body=value)
        return queryset.filter(self.deliverables_where(on_deliverable)).distinct()

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
        if self.progress is None:  # no plan, so nothing has a figure
            return queryset.none()
        figures = getattr(self.progress, self.figures_attribute)
        return queryset.filter(
            pk__in=[key for key, figure in figures.items() if getattr(figure, name) == value]
        )


FIGURE_SORTS = {"percent": FIGURE, "status": FIGURE, "schedule": FIGURE}


class DeliverableFilter(ExplorerFilterSet):
    plan_path = "initiative__plan"
    goal_path = "initiative__goal__number"
    initiative_path = "initiative__number"
    deliverable_path = "pk"
    figures_attribute = "deliverables"
    parts_offered = {"goal": 0, "initiative": 1}
    sort_orders = {
        "code": [F("sort_key")],
        "title": [Lower("title")],
        "goal": [F("initiative__goal__number")],
        **FIGURE_SORTS,
    }
    default_sort = "code"
    tiebreak = ("sort_key", "initiative__number", "pk")

    initiative = django_filters.ChoiceFilter(choices=[], label=_("Initiative"), method="filter_initiative")
    kind = django_filters.ChoiceFilter(choices=Deliverable.Kind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=STATUS_CHOICES, label=_("Status"), method="filter_by_figure")
    schedule = django_filters.ChoiceFilter(
        choices=SCHEDULE_CHOICES, label=_("Schedule"), method="filter_by_figure"
    )
    sort = sort_filter(sort_orders)

    class Meta:
        model = Deliverable
        fields = []


class InitiativeFilter(ExplorerFilterSet):
    plan_path = "plan"
    goal_path = "goal__number"
    deliverable_path = "deliverables"
    figures_attribute = "initiatives"
    sort_orders = {
        "number": [F("number")],
        "title": [Lower("title")],
        "goal": [F("goal__number")],
        **FIGURE_SORTS,
    }
    default_sort = "number"
    tiebreak = ("number", "pk")

    status = django_filters.ChoiceFilter(choices=STATUS_CHOICES, label=_("Status"), method="filter_by_figure")
    schedule = django_filters.ChoiceFilter(
        choices=SCHEDULE_CHOICES, label=_("Schedule"), method="filter_by_figure"
    )
    sort = sort_filter(sort_orders)

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


class UpdateFilter(ExplorerFilterSet):
    plan_path = "deliverable__initiative__plan"
    goal_path = "deliverable__initiative__goal__number"
    initiative_path = "deliverable__initiative__number"
    deliverable_path = "deliverable"
    parts_offered = {"goal": 0, "initiative": 1}
    sort_orders = {
        "reported_on": [F("reported_on")],
        "code": [F("deliverable__sort_key"), F("deliverable__initiative__number")],
        "member_state": [F("member_state__name")],
        "status": [status_rank("status")],
        "round": [F("round__closes_on")],
    }
    default_sort = "-reported_on"
    tiebreak = ("-reported_on", "-pk")

    initiative = django_filters.ChoiceFilter(choices=[], label=_("Initiative"), method="filter_initiative")
    deliverable = django_filters.CharFilter(field_name="deliverable__code", label=_("Deliverable code"))
    status = django_filters.ChoiceFilter(choices=ProgressUpdate.Status.choices, label=_("Reported status"))
    sort = sort_filter(sort_orders)

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


def add_explorer_filter(name, explorer_filter, after, methods):
    """Add another app's filter to the explorer as ``name``, placed after the filter ``after``;
    ``methods`` gives each explorer filter set's method for it. Called from the app's
    ``ready()``, before any filter set is used; this app does not import the others."""
    for filterset_class, method in methods.items():
        setattr(filterset_class, f"filter_{name}", method)
        added = copy.deepcopy(explorer_filter)
        added.field_name, added.method = name, f"filter_{name}"
        names = list(filterset_class.base_filters)
        names.insert(names.index(after) + 1, name)
        filters = {**filterset_class.base_filters, name: added}
        filterset_class.base_filters = {key: filters[key] for key in names}


def filters_in_force(filterset):
    """Each filter given a value, as (its parameter, how it reads): "Goal 2", "Status: Completed",
    "Search: “academy”". The plan, which is always set, and the sort order are not filters."""
    form, data = filterset.form, filterset.data
    cleaned = form.cleaned_data if form.is_valid() else {}
    in_force = []
    for name, field in form.fields.items():
        raw = data.get(name, "")
        if name in ("plan", "sort") or not isinstance(raw, str) or not raw.strip():
            continue
        value = cleaned.get(name)
        if name in PART_IN_FORCE:
            text = gettext(PART_IN_FORCE[name]) % {"value": raw}
        elif name == "q":
            text = gettext("Search: “%(text)s”") % {"text": raw.strip()}
        elif isinstance(field, forms.ModelChoiceField) and value is not None:
            text = in_force_text(field.label, getattr(value, "acronym", "") or value)
        elif isinstance(field, forms.ChoiceField) and name in cleaned:
            text = in_force_text(field.label, dict(field.choices).get(raw, raw))
        else:
            text = in_force_text(field.label, raw)
        in_force.append((name, text))
    return in_force


def in_force_text(label, value):
    """A filter in force as it reads on its chip: "Status: Completed"."""
    return gettext("%(label)s: %(value)s") % {"label": label, "value": value}


@dataclass(frozen=True)
class Exploration:
    """What the explorer's filters start from: the query (with the plan filled in), the plan,
    its goals and initiatives, and its data and figures when the rows or filters use them."""

    data: object
    plan: object
    plan_data: object
    progress: object
    parts: tuple

    def filterset_kwargs(self):
        return {"data": self.data, "progress": self.progress, "plan": self.plan, "parts": self.parts}


def explore(filterset_class, query):
    """The explorer's set-up, the same for its pages and the API: the plan defaults to the main
    one; the figures are computed only where the rows or filters use them (updates need none)."""
    data = query.copy()
    if not data.get("plan") and (plan := default_plan()):
        data["plan"] = plan.slug
    plan = plan_named(data.get("plan", ""))
    needs_figures = plan and filterset_class.figures_attribute
    plan_data = cached_plan_data(plan) if needs_figures else None
    progress = progress_as_of(plan_data) if needs_figures else None
    parts = plan_parts(plan, plan_data)
    return Exploration(data=data, plan=plan, plan_data=plan_data, progress=progress, parts=parts)


class GoalFilter(django_filters.FilterSet):
    """The API's goals: an unknown plan is refused (400), never an empty list."""

    plan__slug = django_filters.ModelChoiceFilter(
        field_name="plan", queryset=ActionPlan.objects.all(), to_field_name="slug", label="Plan"
    )
    number = django_filters.NumberFilter(min_value=1, max_value=1000)

    class Meta:
        model = StrategicGoal
        fields = []
