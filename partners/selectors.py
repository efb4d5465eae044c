"""The partners' reads that pages and other apps share."""

from partners.models import Involvement


def involvements_for(**target):
    return Involvement.objects.filter(**target).select_related(
        "partner", "initiative__plan", "deliverable__initiative__plan"
    )
