"""Partners' parts of the plan's pages: the plan's apps know nothing of partners, so their pages
ask these tags for them."""

from django import template

from partners import selectors

register = template.Library()


@register.inclusion_tag("includes/partners_involved.html", takes_context=True)
def partners_involved(context):
    """The "Partners involved" section of a goal's, initiative's or deliverable's page: of the
    most specific of these the page shows."""
    part = context.get("deliverable") or context.get("initiative") or context["goal"]
    kind = {"strategicgoal": "goal"}.get(part._meta.model_name, part._meta.model_name)
    return {
        "involvements": selectors.involvements_in(part),
        "programmes": selectors.programmes_supporting(part) if kind == "deliverable" else (),
        "part_kind": kind,
    }


@register.simple_tag
def programmes_benefiting(member_state):
    """The cooperation programmes a member state benefits from, by name."""
    return selectors.programmes_benefiting(member_state)
