"""The "Embed this" section of goal, initiative, deliverable and member-state pages: the HTML
another site pastes to show the record's card (``goals.embeds``) in a frame."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from goals.models import Deliverable, Initiative, MemberState, StrategicGoal

register = template.Library()

CARD_WIDTH, CARD_HEIGHT = 400, 320  # pixels; the card's layout fits them (static/css/embed.css)


def embed_path(record):
    """The address of a record's card (the records come from the plan's data, their plan with them)."""
    if isinstance(record, StrategicGoal):
        return reverse("embed-goal", kwargs={"plan": record.plan.slug, "number": record.number})
    if isinstance(record, Initiative):
        return reverse("embed-initiative", kwargs={"plan": record.plan.slug, "number": record.number})
    if isinstance(record, Deliverable):
        initiative = record.initiative
        kwargs = {"plan": initiative.plan.slug, "number": initiative.number, "code": record.code}
        return reverse("embed-deliverable", kwargs=kwargs)
    if isinstance(record, MemberState):
        return reverse("embed-member-state", kwargs={"slug": record.slug})
    raise TypeError(f"There is no embeddable card for {type(record).__name__}.")


@register.inclusion_tag("includes/embed_this.html")
def embed_this(record):
    """The section offering ``record``'s card: a preview link and the code to copy."""
    path = embed_path(record)
    code = format_html(
        '<iframe src="{}" title="{}" width="{}" height="{}" loading="lazy"></iframe>',
        f"{settings.SITE_URL}{path}",
        _("%(record)s – ASEAN IPR Action Plan Tracker") % {"record": record},
        CARD_WIDTH,
        CARD_HEIGHT,
    )
    return {"card": path, "code": code, "record": record}
