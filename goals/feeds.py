"""Atom feeds of approved progress: the whole site, one plan, one goal, one member state.

Each entry is one approved progress update, linking to its deliverable's page, with the date it
refers to, the status, the percent and the account given. Only approved progress is published;
the newest approval (or correction of an approved update) comes first. Links are absolute,
built on ``SITE_URL``, so a feed reads the same whichever address it was fetched from.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goals.models import MemberState, ProgressUpdate, StrategicGoal
from goals.progress import STATUS_LABELS
from goals.selectors import plan_named
from goals.templatetags.progress import reported_date

ENTRIES = 50  # the latest approvals; the explorer and the CSV files hold them all
SITE_NAME = gettext_lazy("ASEAN IPR Action Plan Tracker")


def absolute(path):
    return f"{settings.SITE_URL}{path}"


@dataclass(frozen=True)
class Scope:
    """What a feed follows: its title, its page on the site, its own address and its updates."""

    title: str
    page: str
    feed: str
    updates: Q


class ApprovedProgressFeed(Feed):
    """The site's approved progress; subclasses narrow it with ``get_object``."""

    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        title = _("Approved progress – %(site)s") % {"site": SITE_NAME}
        return Scope(title, reverse("home"), reverse("feed-updates"), Q())

    def title(self, scope):
        return scope.title

    def subtitle(self, scope):
        return _(
            "Progress on the ASEAN IPR Action Plans as approved by the secretariat, newest approval first. "
            "Drafts and reports waiting for review are never published."
        )

    def link(self, scope):
        return absolute(scope.page)

    def feed_url(self, scope):
        return absolute(scope.feed)

    def feed_guid(self, scope):
        return absolute(scope.feed)

    def author_name(self):
        return settings.SITE_PUBLISHER

    def author_email(self):
        return settings.SITE_CONTACT_EMAIL

    def feed_copyright(self):
        return _("Data licensed under Creative Commons Attribution 4.0 International (CC BY 4.0)")

    def items(self, scope):
        return (
            ProgressUpdate.objects.public()
            .filter(scope.updates)
            .select_related("deliverable__initiative__plan", "member_state", "round")
            .order_by("-updated_at", "-pk")[:ENTRIES]
        )

    def item_title(self, update):
        deliverable, state = update.deliverable, update.member_state
        numbers = {
            "code": deliverable.code,
            "title": deliverable.title,
            "state": state.name if state else "",
            "status": percent_and_status(update),
        }
        if state:
            text = _("%(code)s %(title)s – %(state)s: %(status)s") % numbers
        else:
            text = _("%(code)s %(title)s: %(status)s") % numbers
        return _("[Sample data] %(title)s") % {"title": text} if update.is_sample else text

    def item_description(self, update):
        lines = [
            format_html(
                _("<p>Reported for {day}: <strong>{status}</strong>, {percent} complete.</p>"),
                day=reported_date(update),
                status=STATUS_LABELS.get(update.status, update.status),
                percent=f"{update.percent_complete} %",
            )
        ]
        if update.narrative:
            lines.append(format_html("<p>{}</p>", update.narrative))
        if update.provisional:
            lines.append(format_html(_("<p>Not confirmed: {note}</p>"), note=update.provisional_note))
        if update.is_sample:
            lines.append(
                format_html("<p>{}</p>", _("Sample data made up for demonstration; not a real report."))
            )
        links = []
        if update.evidence_url:
            links.append((update.evidence_url, _("Evidence")))
        if update.evidence_file:
            links.append((absolute(reverse("evidence", args=[update.pk])), _("Evidence file")))
        if links:
            lines.append(format_html("<p>{}</p>", format_html_join(" · ", '<a href="{}">{}</a>', links)))
        plan = update.deliverable.initiative.plan
        if update.round:
            where = _("%(plan)s, reported in %(round)s.") % {"plan": plan.title, "round": update.round.name}
        else:
            where = _("%(plan)s.") % {"plan": plan.title}
        lines.append(format_html("<p>{}</p>", where))
        return "".join(lines)

    def item_link(self, update):
        return absolute(update.deliverable.get_absolute_url())

    def item_guid(self, update):
        return f"{self.item_link(update)}#update-{update.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, update):
        return update.reviewed_at or update.created_at

    def item_updateddate(self, update):
        return update.updated_at

    def item_categories(self, update):
        return [STATUS_LABELS.get(update.status, update.status)]


def percent_and_status(update):
    label = STATUS_LABELS.get(update.status, update.status)
    if update.status in (ProgressUpdate.Status.IN_PROGRESS, ProgressUpdate.Status.ON_HOLD):
        return _("%(status)s, %(percent)s %%") % {"status": label, "percent": update.percent_complete}
    return label


def plan_or_404(slug):
    plan = plan_named(slug)
    if plan is None:
        raise Http404(f"There is no plan {slug!r}.")
    return plan


class PlanProgressFeed(ApprovedProgressFeed):
    def get_object(self, request, plan):
        plan = plan_or_404(plan)
        return Scope(
            _("Approved progress on the %(plan)s") % {"plan": plan.title},
            plan.get_absolute_url(),
            reverse("feed-plan", kwargs={"plan": plan.slug}),
            Q(deliverable__initiative__plan=plan),
        )


class GoalProgressFeed(ApprovedProgressFeed):
    def get_object(self, request, plan, number):
        plan = plan_or_404(plan)
        goal = StrategicGoal.objects.filter(plan=plan, number=number).first()
        if goal is None:
            raise Http404(f"The {plan.title} has no goal {number}.")
        goal.plan = plan
        return Scope(
            _("Approved progress on %(goal)s (%(plan)s)") % {"goal": goal, "plan": plan.title},
            goal.get_absolute_url(),
            reverse("feed-goal", kwargs={"plan": plan.slug, "number": number}),
            Q(deliverable__initiative__goal=goal),
        )


class MemberStateProgressFeed(ApprovedProgressFeed):
    def get_object(self, request, slug):
        state = MemberState.objects.filter(slug=slug).first()
        if state is None:
            raise Http404(f"There is no member state {slug!r}.")
        return Scope(
            _("Approved progress reported for %(state)s") % {"state": state.name},
            state.get_absolute_url(),
            reverse("feed-member-state", kwargs={"slug": state.slug}),
            Q(member_state=state),
        )
