"""Pieces of every public page."""

from dataclasses import dataclass
from functools import cache

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from goals.models import ActionPlan, MemberState, StrategicGoal

register = template.Library()

# (label, URL name, the page kinds it is the current section for)
MAIN_NAV = [
    (_("Overview"), "home", {"home", "plan-overview"}),
    (_("Member states"), "matrix-default", {"matrix", "matrix-default", "member-state-detail"}),
    (_("Scorecard"), "scorecard-default", {"scorecard", "scorecard-default"}),
    (
        _("Explore"),
        "explore-deliverables",
        {"explore-initiatives", "explore-deliverables", "explore-updates"},
    ),
    (_("Platforms"), "platform-list", {"platform-list"}),
    (_("Partners"), "partner-list", {"partner-list"}),
    (_("Open data"), "data", {"data"}),
    (_("Methodology"), "methodology", {"methodology"}),
    (_("Staff sign-in"), "admin:index", set()),
]


@register.simple_tag
def main_nav(current):
    """The main navigation with the current section marked: the same for every page of a kind
    in a language, so it is written once per kind of page and language for as long as the
    process runs."""
    return language_nav(current, get_language())


@cache
def language_nav(current, language):
    """``main_nav`` in ``language`` (the active one: its labels and addresses follow it)."""
    items = format_html_join(
        "\n        ",
        '<li><a href="{}"{}>{}</a></li>',
        ((reverse(name), mark_safe(' aria-current="page"') if current in kinds else "", label)
         for label, name, kinds in MAIN_NAV),
    )  # fmt: skip
    return format_html(
        '<nav aria-label="{}">\n      <ul>\n        {}\n      </ul>\n    </nav>', _("Main"), items
    )


@register.tag
def capture(parser, token):
    """``{% capture name %}…{% endcapture %}`` renders what it encloses into ``name`` instead of
    the page, so base.html can write a page's title (a block) in the <title> and the share
    previews' tags alike."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("Use {% capture name %}…{% endcapture %}.")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[1])


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist, self.name = nodelist, name

    def render(self, context):
        context[self.name] = mark_safe(self.nodelist.render(context).strip())  # rendered, so escaped
        return ""


@dataclass(frozen=True)
class PageFeed:
    url: str
    title: str  # for feed readers
    label: str  # what it follows, in a sentence: "Goal 1 of the 2016-2025 plan"


SITE_FEED_TITLE = _("Approved progress – ASEAN IPR Action Plan Tracker")


@register.simple_tag(takes_context=True)
def page_feeds(context):
    """The Atom feeds a page offers, the one closest to what it shows first: a member state's,
    a goal's (on its goal, initiative and deliverable pages), a plan's, and the whole site's."""
    feeds = []
    state, goal, plan = context.get("memberstate"), context.get("goal"), context.get("plan")
    if isinstance(state, MemberState):
        url = reverse("feed-member-state", kwargs={"slug": state.slug})
        title = gettext("Approved progress reported for %(state)s") % {"state": state.name}
        feeds.append(PageFeed(url, title, state.name))
    if isinstance(plan, ActionPlan):
        if isinstance(goal, StrategicGoal):
            url = reverse("feed-goal", kwargs={"plan": plan.slug, "number": goal.number})
            # The plan's own word for a goal.
            label = gettext("%(goal_label)s %(number)s of the %(plan)s") % {
                "goal_label": plan.goal_label,
                "number": goal.number,
                "plan": plan.title,
            }
            feeds.append(PageFeed(url, gettext("Approved progress on %(what)s") % {"what": label}, label))
        url = reverse("feed-plan", kwargs={"plan": plan.slug})
        title = gettext("Approved progress on the %(plan)s") % {"plan": plan.title}
        feeds.append(PageFeed(url, title, gettext("the %(plan)s") % {"plan": plan.title}))
    feeds.append(PageFeed(reverse("feed-updates"), str(SITE_FEED_TITLE), gettext("the whole site")))
    return feeds
