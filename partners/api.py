"""Read-only JSON API of partners and their cooperation programmes."""

import django_filters
from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from goals.models import Deliverable
from partners.models import CooperationProgramme, Partner, ProgrammeReport


class PartnerSerializer(serializers.ModelSerializer):
    former_names = serializers.ListField(
        source="former_name_list", child=serializers.CharField(), read_only=True
    )

    class Meta:
        model = Partner
        fields = [
            "slug",
            "name",
            "acronym",
            "kind",
            "country",
            "website",
            "former_names",
            "reports_under_article_67",
            "description",
            "source_url",
        ]


class ProgrammeReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgrammeReport
        fields = ["year", "document_symbol", "reporting_member", "reported_on", "summary", "source_url"]


class ProgrammeSerializer(serializers.ModelSerializer):
    partner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    co_partners = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    beneficiaries = serializers.SlugRelatedField(slug_field="iso_code", many=True, read_only=True)
    deliverables = serializers.SerializerMethodField()
    article_67_categories = serializers.ListField(child=serializers.CharField(), read_only=True)
    reports = ProgrammeReportSerializer(many=True, read_only=True)

    class Meta:
        model = CooperationProgramme
        fields = [
            "slug",
            "name",
            "acronym",
            "partner",
            "co_partners",
            "funder",
            "start_year",
            "end_year",
            "budget",
            "currency",
            "article_67_categories",
            "beneficiaries",
            "deliverables",
            "reports",
            "description",
            "website",
            "provisional",
            "provisional_note",
            "source_url",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_deliverables(self, programme):
        return [f"{d.initiative.plan.slug}:{d.code}" for d in programme.deliverables.all()]


class ProgrammeFilter(django_filters.FilterSet):
    """An unknown partner is refused (400), never an empty list."""

    partner__slug = django_filters.ModelChoiceFilter(
        field_name="partner", queryset=Partner.objects.all(), to_field_name="slug", label="Partner"
    )

    class Meta:
        model = CooperationProgramme
        fields = {"start_year": ["lte", "gte"], "end_year": ["lte", "gte"]}


class PartnerViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Partner.objects.order_by("name")
    serializer_class = PartnerSerializer
    lookup_field = "slug"


class ProgrammeViewSet(viewsets.ReadOnlyModelViewSet):
    """Cooperation programmes with their TRIPS Article 67 categories and WTO report symbols."""

    queryset = (
        CooperationProgramme.objects.select_related("partner")
        .prefetch_related(
            "co_partners",
            "beneficiaries",
            Prefetch("deliverables", queryset=Deliverable.objects.select_related("initiative__plan")),
            Prefetch("reports", queryset=ProgrammeReport.objects.order_by("year")),
        )
        .order_by("partner__name", "name")
    )
    serializer_class = ProgrammeSerializer
    lookup_field = "slug"
    filter_backends = [DjangoFilterBackend]
    filterset_class = ProgrammeFilter
