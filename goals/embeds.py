"""Cards that other sites may embed in a frame: a goal's, an initiative's or a deliverable's
figure (percent delivered, status, schedule), or a member state's share of the state-by-state
deliverables it has completed, each with a link back to its full page.

Only these answers may be framed by other sites (``tracker.core.headers.frameable_anywhere``,
applied where the routes are declared); every other page refuses to be framed.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from goals.models import MemberState, ProgressUpdate
from goals.progress import STATUS_LABELS, cached_plan_data, round_percent
from goals.selectors import all_plans, kept
from goals.snapshots import progress_as_of
from goals.views import PlanFiguresMixin

EMBED_TEMPLATE = "goals/embed_card.html"


class FigureCardView(PlanFiguresMixin, TemplateView):
    """The card of one figure of a plan: its level says which (``goals``, ``initiatives``,
    ``deliverables``), and the URL which record."""

    template_name = EMBED_TEMPLATE
    level = None

    def find(self):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        record, heading, page = self.find()
        figure = getattr(self.progress, self.level)[record.pk]
        context = super().get_context_data(**kwargs)
        context.update(
            plan=self.plan,
            as_of=self.as_of,
            progress=self.progress,
            heading=heading,
            figure=figure,
            status=STATUS_LABELS.get(figure.status, figure.status),
            page_url=page,
        )
        return context

    def initiative_numbered(self, number):
        initiative = next((i for i in self.plan_data.initiatives if i.number == number), None)
        if initiative is None:
            raise Http404(f"The {self.plan.title} has no initiative {number}.")
        return initiative


def with_round(url, as_of):
    return f"{url}?round={as_of.pk}" if as_of is not None else url


class GoalCardView(FigureCardView):
    level = "goals"

    def find(self):
        number = self.kwargs["number"]
        goal = next((g for g in self.plan_data.goals if g.number == number), None)
        if goal is None:
            raise Http404(f"The {self.plan.title} has no goal {number}.")
        title = f"{self.plan.goal_label} {goal.number}: {goal.title}"  # in the plan's own words
        return goal, title, with_round(goal.get_absolute_url(), self.as_of)


class InitiativeCardView(FigureCardView):
    level = "initiatives"

    def find(self):
        initiative = self.initiative_numbered(self.kwargs["number"])
        heading = _("Initiative %(number)s: %(title)s") % {
            "number": initiative.number,
            "title": initiative.title,
        }
        return initiative, heading, with_round(initiative.get_absolute_url(), self.as_of)


class DeliverableCardView(FigureCardView):
    level = "deliverables"

    def find(self):
        initiative = self.initiative_numbered(self.kwargs["number"])
        code = self.kwargs["code"]
        deliverable = next(
            (d for d in self.plan_data.deliverables if d.initiative_id == initiative.pk and d.code == code),
            None,
        )
        if deliverable is None:
            raise Http404(f"The {self.plan.title} has no deliverable {code!r} there.")
        heading = f"{deliverable.code} {deliverable.title}"
        return deliverable, heading, with_round(deliverable.get_absolute_url(), self.as_of)


@dataclass(frozen=True)
class StateShare:
    """A member state's part in one plan's state-by-state deliverables."""

    plan: object
    done: int  # completed by the state
    expected: int  # expected of it: those not dropped, for the plan or for the state

    @property
    def percent(self):
        """The share done; never 100 % while one is still to do, as every figure."""
        if not self.expected:
            return None
        value = round_percent(Decimal(100) * self.done / self.expected)
        return Decimal("99.9") if value == 100 and self.done < self.expected else value


def state_shares(state):
    """For each plan whose state-by-state deliverables the state is expected to act on: how
    many of them it has completed, by the figures' own rules (its latest approved report
    counts; a deliverable dropped for the plan or reported dropped for the state is left out)."""
    shares = []
    for plan in all_plans():
        data = cached_plan_data(plan)
        if state.pk not in data.expected_state_ids:
            continue
        progress = progress_as_of(data)
        reports = [
            progress.latest.get((deliverable.pk, state.pk))
            for deliverable in data.deliverables
            if deliverable.per_member_state and progress.deliverables[deliverable.pk].included
        ]
        counted = [r for r in reports if r is None or r.status != ProgressUpdate.Status.DROPPED]
        if counted:
            done = sum(r is not None and r.status == ProgressUpdate.Status.COMPLETED for r in counted)
            shares.append(StateShare(plan, done, len(counted)))
    return shares


class MemberStateCardView(TemplateView):
    template_name = EMBED_TEMPLATE

    def get_context_data(self, **kwargs):
        slug = self.kwargs["slug"]
        state = next(
            (s for s in kept("member-states", MemberState.objects.order_by("name")) if s.slug == slug), None
        )
        if state is None:
            raise Http404(f"There is no member state {slug!r}.")
        context = super().get_context_data(**kwargs)
        context.update(
            heading=state.name,
            member_state=state,
            shares=state_shares(state),
            page_url=state.get_absolute_url(),
        )
        return context
