"""The partners' reads that pages, exports and other apps share, and text search."""

from django.db.models import Q

from goals.selectors import kept
from partners.models import CooperationProgramme, Involvement, Partner
from tracker.core.textsearch import matching


def involvements_for(**target):
    return Involvement.objects.filter(**target).select_related(
        "partner", "initiative__plan", "deliverable__initiative__plan"
    )


def involvements_in(part):
    """The partners involved in a goal, initiative or deliverable (in an initiative: on it or on
    one of its deliverables), kept until the data changes."""
    kind = part._meta.model_name
    on_part = {
        "strategicgoal": Q(initiative__goal=part) | Q(deliverable__initiative__goal=part),
        "initiative": Q(initiative=part) | Q(deliverable__initiative=part),
        "deliverable": Q(deliverable=part),
    }[kind]
    key = {"strategicgoal": "goal", "initiative": "initiative", "deliverable": "deliverable"}[kind]
    return kept(
        (f"{key}-partners", part.pk), involvements_for().filter(on_part).order_by("partner__name", "role")
    )


def programmes_supporting(deliverable):
    return kept(
        ("deliverable-programmes", deliverable.pk),
        deliverable.programmes.select_related("partner").order_by("name"),
    )


def programmes_benefiting(member_state):
    return (
        CooperationProgramme.objects.filter(beneficiaries=member_state)
        .select_related("partner")
        .order_by("name")
    )


SEARCHED_FIELDS = {
    Partner: ("name", "acronym", "former_names", "description"),
    CooperationProgramme: ("name", "acronym", "funder", "description"),
}


def search(query):
    """The partners and cooperation programmes matching ``query``, the most relevant first."""
    return {
        "partners": matching(Partner.objects.all(), query, SEARCHED_FIELDS[Partner]).order_by(
            "-search_rank", "name"
        ),
        "programmes": matching(
            CooperationProgramme.objects.select_related("partner"),
            query,
            SEARCHED_FIELDS[CooperationProgramme],
        ).order_by("-search_rank", "name"),
    }
