"""The explorer's "Partner" filter: the plan's explorer (goals.filters) knows nothing of
partners, so this app adds the filter to it when ready; the pages and the API then have it."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from goals.filters import (
    DeliverableFilter,
    HeldModelChoiceFilter,
    InitiativeFilter,
    UpdateFilter,
    add_explorer_filter,
)
from partners.models import Partner


@extend_schema_field(OpenApiTypes.STR)  # a slug (or id) in the address
def deliverables_involving(filterset, queryset, name, value):
    """Rows on deliverables the partner is involved in, directly, through the initiative or
    through one of its cooperation programmes."""
    condition = Q(involvements__partner=value) | Q(initiative__involvements__partner=value)
    condition |= Q(programmes__partner=value)
    return queryset.filter(filterset.deliverables_where(condition)).distinct()


@extend_schema_field(OpenApiTypes.STR)  # a slug (or id) in the address
def initiatives_involving(filterset, queryset, name, value):
    """Initiatives the partner is involved in, or in one of their deliverables."""
    return queryset.filter(
        Q(involvements__partner=value)
        | Q(deliverables__involvements__partner=value)
        | Q(deliverables__programmes__partner=value)
    ).distinct()


def add_to_explorer():
    add_explorer_filter(
        "partner",
        HeldModelChoiceFilter(
            queryset=Partner.objects.order_by("name"), to_field_name="slug", label=_("Partner")
        ),
        after="body",
        methods={
            InitiativeFilter: initiatives_involving,
            DeliverableFilter: deliverables_involving,
            UpdateFilter: deliverables_involving,
        },
    )
