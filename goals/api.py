"""Read-only JSON API of the plan: plans, goals, initiatives, deliverables with their computed
figures and completion forecasts, approved progress updates, indicators with their series, plan
lineage, member states and bodies. Filters are the explorer's."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from goals.exports import indicator_series
from goals.filters import DeliverableFilter, GoalFilter, InitiativeFilter, UpdateFilter, explore
from goals.forecast import forecasts_as_of
from goals.models import (
    ActionPlan,
    Body,
    Deliverable,
    Indicator,
    Initiative,
    LineageLink,
    MemberState,
    ProgressUpdate,
    StrategicGoal,
)
from goals.progress import METHOD_VERSION, cached_plan_data, plan_data_holding
from goals.quality import quality_as_of
from goals.selectors import lineage_rows
from goals.snapshots import progress_as_of
from tracker.core.badquery import BadQuery


class FigureSerializer(serializers.Serializer):
    """A computed figure, as on the site (see /methodology/): the percent delivered, parts
    without approved progress counting as 0 %, with its coverage and schedule assessment."""

    percent = serializers.DecimalField(
        max_digits=4, decimal_places=1, allow_null=True, help_text="Percent delivered; null when dropped."
    )
    status = serializers.CharField()
    schedule = serializers.CharField()
    expected = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    planned_end = serializers.DateField(allow_null=True)
    overdue_days = serializers.IntegerField(allow_null=True)
    at_plan_end = serializers.DecimalField(
        max_digits=4, decimal_places=1, allow_null=True, help_text="Percent delivered by the plan's end."
    )
    deliverables_total = serializers.IntegerField(
        source="total", help_text="Deliverables covered, not dropped."
    )
    deliverables_reported = serializers.IntegerField(
        source="reported", help_text="Of those, with approved progress."
    )
    counts = serializers.DictField(child=serializers.IntegerField())
    expected_states = serializers.IntegerField(allow_null=True)
    reporting_states = serializers.IntegerField(allow_null=True)
    states_done = serializers.IntegerField(allow_null=True)
    note = serializers.CharField()
    method_version = serializers.SerializerMethodField()

    def get_method_version(self, figure) -> int:
        return METHOD_VERSION


class ForecastPointSerializer(serializers.Serializer):
    date = serializers.DateField(source="on")
    percent = serializers.DecimalField(max_digits=4, decimal_places=1)


def pace_field(source, help_text):
    return serializers.DecimalField(
        source=source, max_digits=8, decimal_places=1, allow_null=True, help_text=help_text
    )


class ForecastSerializer(serializers.Serializer):
    """A completion forecast, as on the site (see /methodology/#forecasts): when it would reach
    100 % at the pace of its approved progress, with a range, and the pace needed by the plan's end."""

    status = serializers.CharField(
        help_text="on_course, off_course, no_pace, not_enough_data, plan_ended, completed or dropped."
    )
    label = serializers.CharField(help_text="The status in words.")
    on = serializers.DateField(help_text="The date the forecast is made on: today, or the round's close.")
    plan_end = serializers.DateField(source="deadline")
    pace_per_year = pace_field("pace", "Percentage points a year, from the first dated point to the latest.")
    completion = serializers.DateField(source="projected", allow_null=True, help_text="Projected completion.")
    earliest = serializers.DateField(allow_null=True)
    latest = serializers.DateField(allow_null=True, help_text="Null when the slowest pace is zero.")
    pace_needed_per_year = pace_field(
        "pace_needed", "Pace needed to finish by the plan's end, from pace_needed_from."
    )
    pace_needed_from = serializers.DateField(source="needed_from", allow_null=True)
    points = ForecastPointSerializer(many=True, help_text="The dated points it is read from.")


class QualitySerializer(serializers.Serializer):
    """A data-quality score, as on the site (see /methodology/#data-quality): 0 to 100, the mean
    of the parts that can be measured, each part null when there is nothing to measure."""

    score = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    grade = serializers.CharField(help_text="good, fair, weak or not_rated.")
    timeliness = serializers.SerializerMethodField()
    completeness = serializers.SerializerMethodField()
    evidence_coverage = serializers.SerializerMethodField()
    freshness = serializers.SerializerMethodField()

    def part(self, tally, name):
        value = tally.part(name)
        return None if value is None else f"{value:.1f}"

    def get_timeliness(self, tally) -> str | None:
        return self.part(tally, "timeliness")

    def get_completeness(self, tally) -> str | None:
        return self.part(tally, "completeness")

    def get_evidence_coverage(self, tally) -> str | None:
        return self.part(tally, "evidence")

    def get_freshness(self, tally) -> str | None:
        return self.part(tally, "freshness")


class FigureMixin(serializers.Serializer):
    """Adds the record's figure and completion forecast from the plan figures the view computed once."""

    figure_level = ""
    figure = serializers.SerializerMethodField()
    forecast = serializers.SerializerMethodField()

    @extend_schema_field(FigureSerializer)
    def get_figure(self, record):
        progress = self.context["progress_of"](self.plan_of(record), self.figure_level, record.pk)
        return FigureSerializer(getattr(progress, self.figure_level)[record.pk]).data

    @extend_schema_field(ForecastSerializer(allow_null=True))
    def get_forecast(self, record):
        found = self.context["forecast_of"](self.plan_of(record), self.figure_level, record.pk)
        return None if found is None else ForecastSerializer(found).data


SOURCE_FIELDS = ["provisional", "provisional_note", "source_url"]


class PlanSerializer(serializers.ModelSerializer):
    predecessor = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    figure = serializers.SerializerMethodField()
    forecast = serializers.SerializerMethodField()
    data_quality = serializers.SerializerMethodField()

    class Meta:
        model = ActionPlan
        fields = [
            "slug",
            "title",
            "start_year",
            "end_year",
            "version_label",
            "adopted_on",
            "predecessor",
            "summary",
            "figure",
            "forecast",
            "data_quality",
            *SOURCE_FIELDS,
        ]

    @extend_schema_field(FigureSerializer)
    def get_figure(self, plan):
        return FigureSerializer(self.context["progress_of"](plan).figure).data

    @extend_schema_field(ForecastSerializer)
    def get_forecast(self, plan):
        return ForecastSerializer(self.context["forecast_of"](plan)).data

    @extend_schema_field(QualitySerializer)
    def get_data_quality(self, plan):
        return QualitySerializer(self.context["quality_of"](plan).plan).data


class GoalSerializer(FigureMixin, serializers.ModelSerializer):
    figure_level = "goals"
    plan = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = StrategicGoal
        fields = ["id", "plan", "number", "title", "description", "figure", "forecast", *SOURCE_FIELDS]

    def plan_of(self, goal):
        return goal.plan


class InitiativeSerializer(FigureMixin, serializers.ModelSerializer):
    figure_level = "initiatives"
    plan = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    goal_number = serializers.IntegerField(source="goal.number", read_only=True)

    class Meta:
        model = Initiative
        fields = [
            "id",
            "plan",
            "goal_number",
            "number",
            "title",
            "description",
            "planned_start",
            "planned_end",
            "weight",
            "figure",
            "forecast",
            *SOURCE_FIELDS,
        ]

    def plan_of(self, initiative):
        return initiative.plan


class DeliverableSerializer(FigureMixin, serializers.ModelSerializer):
    figure_level = "deliverables"
    plan = serializers.CharField(source="initiative.plan.slug", read_only=True)
    data_quality = serializers.SerializerMethodField()
    initiative_number = serializers.IntegerField(source="initiative.number", read_only=True)

    class Meta:
        model = Deliverable
        fields = [
            "id",
            "plan",
            "initiative_number",
            "code",
            "title",
            "description",
            "kind",
            "per_member_state",
            "planned_start",
            "planned_end",
            "weight",
            "introduced_in",
            "dropped_in",
            "url",
            "figure",
            "forecast",
            "data_quality",
            *SOURCE_FIELDS,
        ]

    def plan_of(self, deliverable):
        return deliverable.initiative.plan

    @extend_schema_field(QualitySerializer)
    def get_data_quality(self, deliverable):
        plan = self.plan_of(deliverable)
        self.context["progress_of"](plan, self.figure_level, deliverable.pk)  # the data holding it
        return QualitySerializer(self.context["quality_of"](plan).deliverable(deliverable.pk)).data


class ProgressUpdateSerializer(serializers.ModelSerializer):
    plan = serializers.CharField(source="deliverable.initiative.plan.slug", read_only=True)
    deliverable_code = serializers.CharField(source="deliverable.code", read_only=True)
    member_state = serializers.SlugRelatedField(slug_field="iso_code", read_only=True)
    reporting_round = serializers.CharField(
        source="round.name", read_only=True, allow_null=True, default=None
    )
    evidence_file = serializers.SerializerMethodField()

    class Meta:
        model = ProgressUpdate
        fields = [
            "id",
            "plan",
            "deliverable",
            "deliverable_code",
            "member_state",
            "status",
            "percent_complete",
            "reported_on",
            "reported_on_precision",
            "reporting_round",
            "narrative",
            "evidence_url",
            "evidence_file",
            "provisional",
            "provisional_note",
            "is_sample",
        ]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_evidence_file(self, update):
        if not update.evidence_file:
            return None
        from django.urls import reverse

        return self.context["request"].build_absolute_uri(reverse("evidence", args=[update.pk]))


class MemberStateSerializer(serializers.ModelSerializer):
    class Meta:
        model = MemberState
        fields = ["slug", "name", "iso_code", "joined_asean_on", "source_url"]


class BodySerializer(serializers.ModelSerializer):
    member_state = serializers.SlugRelatedField(slug_field="iso_code", read_only=True)
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Body
        fields = [
            "slug",
            "name",
            "acronym",
            "kind",
            "member_state",
            "parent",
            "website",
            "description",
            *SOURCE_FIELDS,
        ]


class LineageItemSerializer(serializers.Serializer):
    """An initiative or a deliverable at one end of a plan lineage link."""

    plan = serializers.SerializerMethodField()
    kind = serializers.SerializerMethodField(help_text="initiative or deliverable")
    number = serializers.SerializerMethodField(
        help_text="The initiative's number, or the deliverable's initiative's."
    )
    code = serializers.SerializerMethodField(help_text="The deliverable's code; null for an initiative.")
    title = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_plan(self, item) -> str:
        return (item.plan if isinstance(item, Initiative) else item.initiative.plan).slug

    def get_kind(self, item) -> str:
        return "initiative" if isinstance(item, Initiative) else "deliverable"

    def get_number(self, item) -> int:
        return item.number if isinstance(item, Initiative) else item.initiative.number

    def get_code(self, item) -> str | None:
        return None if isinstance(item, Initiative) else item.code

    def get_url(self, item) -> str:
        return self.context["request"].build_absolute_uri(item.get_absolute_url())


class LineageLinkSerializer(serializers.ModelSerializer):
    from_ = LineageItemSerializer(source="item")
    to = LineageItemSerializer(source="targets", many=True)

    class Meta:
        model = LineageLink
        fields = ["from_", "fate", "to", "note", *SOURCE_FIELDS]

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


class FiguresContextMixin:
    """Computes each plan's figures at most once per request, for the serializers."""

    def get_serializer_context(self):
        cache, forecasts, held = {}, {}, {}

        def progress_of(plan, level=None, key=None):
            """The plan's figures; read afresh when they lack a record the query found."""
            if plan.pk not in cache or (level and key not in getattr(cache[plan.pk], level)):
                data = cached_plan_data(plan)
                data = plan_data_holding(data, level, [key]) if level else data
                cache[plan.pk], forecasts[plan.pk], held[plan.pk] = (
                    progress_as_of(data),
                    forecasts_as_of(data),
                    data,
                )
            return cache[plan.pk]

        def forecast_of(plan, level=None, key=None):
            """The completion forecast of the plan, or of one of its goals, initiatives or deliverables."""
            progress_of(plan, level, key)
            return forecasts[plan.pk].plan if level is None else forecasts[plan.pk].of(level, key)

        def quality_of(plan):
            """The plan's data-quality scores, from the data its figures came from."""
            progress_of(plan)
            return quality_as_of(held[plan.pk])

        return {
            **super().get_serializer_context(),
            "progress_of": progress_of,
            "forecast_of": forecast_of,
            "quality_of": quality_of,
        }


class ExplorerFilterBackend(DjangoFilterBackend):
    """The explorer's filter sets: the plan defaults to the main one, its goals and initiatives
    are the ones offered, the filters on computed status and schedule and the sorts on figures
    get the plan's figures, and ``sort`` orders the rows as on the explorer's pages."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        return {**kwargs, **explore(view.filterset_class, request.query_params).filterset_kwargs()}


class PlanViewSet(FiguresContextMixin, viewsets.ReadOnlyModelViewSet):
    """The action plans, newest first, each with its whole-plan figure."""

    queryset = ActionPlan.objects.select_related("predecessor").order_by("-start_year")
    serializer_class = PlanSerializer
    lookup_field = "slug"


class GoalViewSet(FiguresContextMixin, viewsets.ReadOnlyModelViewSet):
    """Strategic goals (for 2026-2030: strategic measures), filterable by plan."""

    queryset = StrategicGoal.objects.select_related("plan").order_by("-plan__start_year", "number")
    serializer_class = GoalSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = GoalFilter


class InitiativeViewSet(FiguresContextMixin, viewsets.ReadOnlyModelViewSet):
    """Initiatives of one plan (the main plan unless ``plan`` is given), with the explorer's filters."""

    queryset = Initiative.objects.select_related("plan", "goal").order_by("number")
    serializer_class = InitiativeSerializer
    filter_backends = [ExplorerFilterBackend]
    filterset_class = InitiativeFilter


class DeliverableViewSet(FiguresContextMixin, viewsets.ReadOnlyModelViewSet):
    """Deliverables of one plan (the main plan unless ``plan`` is given), with the explorer's filters."""

    queryset = Deliverable.objects.select_related("initiative__plan").order_by(
        "sort_key", "initiative__number"
    )
    serializer_class = DeliverableSerializer
    filter_backends = [ExplorerFilterBackend]
    filterset_class = DeliverableFilter


class ProgressUpdateViewSet(viewsets.ReadOnlyModelViewSet):
    """Approved progress updates only, newest first, with the explorer's filters."""

    queryset = ProgressUpdate.objects.public().with_context().order_by("-reported_on", "-pk")
    serializer_class = ProgressUpdateSerializer
    filter_backends = [ExplorerFilterBackend]
    filterset_class = UpdateFilter


class MemberStateViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = MemberState.objects.order_by("name")
    serializer_class = MemberStateSerializer
    lookup_field = "slug"


class BodyViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Body.objects.select_related("member_state", "parent").order_by("name")
    serializer_class = BodySerializer
    lookup_field = "slug"


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("plan", str, description="A plan's slug: only the links from or into that plan.")
        ]
    )
)
class LineageLinkViewSet(viewsets.ReadOnlyModelViewSet):
    """Plan lineage: what became of each initiative and deliverable of a plan in the plan that
    follows it. ``plan`` narrows to the links from or into that plan (e.g. ``2026-2030``)."""

    serializer_class = LineageLinkSerializer
    queryset = LineageLink.objects.with_items()
    pagination_class = None  # one link at most per item of a plan

    def get_queryset(self):
        slug = self.request.query_params.get("plan", "").strip()
        plan = None
        if slug:
            plan = ActionPlan.objects.filter(slug=slug).first()
            if plan is None:
                slugs = ", ".join(ActionPlan.objects.order_by("-start_year").values_list("slug", flat=True))
                raise ValidationError({"plan": f"There is no plan {slug!r}; the plans are {slugs}."})
        return lineage_rows(plan)


# Indicators: their series from goals.indicators, as the pages and CSV files show them.


class SourceSerializer(serializers.Serializer):
    url = serializers.CharField()
    label = serializers.CharField(help_text="What the source is about (a member state's accession record).")
    provisional = serializers.BooleanField(help_text="The record's date is not confirmed by a second source.")


class PointSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="The date the value refers to (a year's end, for a computed one).")
    value = serializers.DecimalField(max_digits=14, decimal_places=2)
    label = serializers.CharField(help_text="The year, or the reporting round.")
    member_state = serializers.SerializerMethodField()
    reporting_round = serializers.SerializerMethodField()
    sources = SourceSerializer(many=True)
    note = serializers.CharField()
    is_sample = serializers.BooleanField()

    def get_member_state(self, point) -> str | None:
        return point.state.slug if point.state else None

    def get_reporting_round(self, point) -> str | None:
        return point.round.name if point.round else None


class MarkSerializer(serializers.Serializer):
    value = serializers.DecimalField(max_digits=14, decimal_places=2)
    date = serializers.DateField(allow_null=True)
    source = serializers.CharField()
    note = serializers.CharField()


class StateRowSerializer(serializers.Serializer):
    member_state = serializers.CharField(source="state.slug")
    latest = PointSerializer(allow_null=True)


class IndicatorSeriesSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="indicator.pk")
    plan = serializers.CharField(source="indicator.plan.slug")
    slug = serializers.CharField(source="indicator.slug")
    name = serializers.CharField(source="indicator.name")
    description = serializers.CharField(source="indicator.description")
    unit = serializers.CharField(source="indicator.unit")
    kind = serializers.CharField(source="indicator.kind")
    direction = serializers.CharField(source="indicator.direction")
    per_member_state = serializers.BooleanField(source="indicator.per_member_state")
    computed = serializers.CharField(source="indicator.computed", help_text="Empty when values are entered.")
    measures = serializers.SerializerMethodField()
    baseline = MarkSerializer(allow_null=True)
    targets = MarkSerializer(many=True)
    values = PointSerializer(many=True, source="points", help_text="The region's values, oldest first.")
    member_states = StateRowSerializer(many=True, source="states")
    provisional = serializers.BooleanField(source="indicator.provisional")
    provisional_note = serializers.CharField(source="indicator.provisional_note")
    source_url = serializers.CharField(source="indicator.source_url")
    is_sample = serializers.BooleanField(source="indicator.is_sample")

    def get_measures(self, series) -> dict:
        indicator = series.indicator
        if indicator.deliverable_id:
            return {"deliverable": indicator.deliverable.code}
        if indicator.initiative_id:
            return {"initiative": indicator.initiative.number}
        return {"goal": indicator.goal.number}


class IndicatorViewSet(viewsets.ViewSet):
    """Indicators with their baseline, targets, approved (or computed) values, each with its
    source, and each member state's latest value. ``?plan=<slug>`` narrows to one plan."""

    serializer_class = IndicatorSeriesSerializer
    queryset = Indicator.objects.all()  # what the records are (for the schema); read by _series

    def _series(self, request):
        plans = list(ActionPlan.objects.order_by("-start_year"))
        wanted = request.query_params.get("plan", "").strip()
        if wanted:
            plans = [plan for plan in plans if plan.slug == wanted]
            if not plans:
                raise BadQuery(f"There is no plan {wanted!r}.")
        return list(indicator_series(plans))

    def list(self, request):
        return Response(IndicatorSeriesSerializer(self._series(request), many=True).data)

    def retrieve(self, request, pk=None):
        found = next((s for s in self._series(request) if str(s.indicator.pk) == str(pk)), None)
        if found is None:
            raise NotFound("No such indicator.")
        return Response(IndicatorSeriesSerializer(found).data)
