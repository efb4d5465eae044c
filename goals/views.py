"""Public pages of the plan: overview, goals, initiatives, deliverables, the member-state
matrix, member states, bodies and the regional platforms. Approved data only."""

import logging
from functools import partial
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from goals import charts, comparison, documents, exports, indicators, progress, quality, rounds
from goals.evidence import serving
from goals.exports import member_states
from goals.filters import DeliverableFilter, InitiativeFilter, UpdateFilter, explore, filters_in_force
from goals.forecast import MIN_SPAN_DAYS, forecasts_as_of
from goals.models import (
    Body,
    Deliverable,
    Initiative,
    MemberState,
    ProgressUpdate,
    ReportingRound,
    Responsibility,
)
from goals.progress import (
    approved_updates,
    cached_plan_data,
    latest_updates,
    plan_data_holding,
)
from goals.scorecard import SORTS, counted_deliverables, plan_scores, score, sort_headers, sorted_scores
from goals.selectors import (
    all_plans,
    by_plan,
    crosswalk,
    current_among,
    default_plan,
    kept,
    lineage_of,
    lineage_rows,
    next_plan,
    plan_named,
    previous_plan,
    public_data_state,
    responsibilities_for,
    rounds_of,
    timeline,
)
from goals.snapshots import progress_as_of
from goals.templatetags.progress import day
from tracker.core import access
from tracker.core.badquery import BadQuery, page_of
from tracker.core.cache import derived_from_data
from tracker.core.exports import SPREADSHEET_FORMATS, file_name, requested_format

LATEST_UPDATES_SHOWN = 10  # on the overview
LEVELS = ("goals", "initiatives", "deliverables")
INITIATIVE_UPDATES_SHOWN = 20  # on an initiative page; the explorer lists them all

logger = logging.getLogger(__name__)


class PlanFiguresMixin:
    """Resolves the plan from the URL and the optional ``?round=`` (a published round of that
    plan) and computes the plan's figures once for the page, before anything is rendered."""

    formats = ()  # alternatives to the page offered with ?format=

    def get(self, request, *args, **kwargs):
        self.format = requested_format(request, self.formats)
        self.plan = self.get_plan()
        self.plan_data = cached_plan_data(self.plan)
        self.as_of = self.requested_round()
        self.progress = progress_as_of(self.plan_data, self.as_of)
        if self.format:
            return self.formatted_response()
        return super().get(request, *args, **kwargs)

    def get_plan(self):
        self.plans = all_plans()
        self.current_plan = current_among(self.plans) or default_plan()
        slug = self.kwargs.get("plan")
        if slug is None:
            if self.current_plan is None:
                raise Http404(_("No plan is loaded yet."))
            return self.current_plan
        plan = next((plan for plan in self.plans if plan.slug == slug), None)
        if plan is None:
            raise Http404(_("There is no plan %(slug)r.") % {"slug": slug})
        return plan

    def requested_round(self):
        value = self.request.GET.get("round", "").strip()
        if not value:
            return None
        for published in self.plan_data.published_rounds:
            if str(published.pk) == value:
                return published
        names = "; ".join(f"{r.pk} ({r.name})" for r in self.plan_data.published_rounds) or _("none yet")
        raise BadQuery(
            _(
                "%(value)r is not a published reporting round of the %(plan)s. "
                "Its published rounds: %(names)s. Leave out round= for the latest figures."
            )
            % {"value": value, "plan": self.plan.title, "names": names}
        )

    def reporting_rounds(self):
        return kept(("plan-rounds", self.plan.pk), rounds_of(self.plan))

    def forecast_of(self, level, key=None):
        """The completion forecast of a goal, initiative or deliverable (or, with level "plan",
        the plan's), as of the page's round: computed once per plan data and round."""
        forecasts = forecasts_as_of(self.plan_data, self.as_of)
        return forecasts.plan if level == "plan" else forecasts.of(level, key)

    def indicator_series(self, attached_to=None):
        """The plan's indicators (those on ``attached_to`` and below it) with their series, on
        the page's figures (``goals.indicators``)."""
        return indicators.plan_series(
            self.plan,
            indicators.indicator_data(self.plan),
            self.plan_data,
            self.progress,
            attached_to=attached_to,
        )

    def figures_context(self):
        names = self.plan_data.names
        if self.progress.has_progress:
            next_round = None
        else:  # what a page with nothing to show yet says will come, and when
            waiting = (r for r in self.reporting_rounds() if r.state != ReportingRound.State.PUBLISHED)
            next_round = next(waiting, None)
        return {
            "plan": self.plan,
            "current_plan": self.current_plan,
            "next_round": next_round,
            "plan_counts": {level: len(getattr(self.plan_data, level)) for level in LEVELS},
            "progress": self.progress,
            "as_of": self.as_of,
            "published_rounds": self.plan_data.published_rounds,
            "initiative_names": names["initiatives"],
            "goal_names": names["goals"],
            "deliverable_names": names["deliverables"],
            "state_names": names["states"],
        }


class OverviewView(PlanFiguresMixin, TemplateView):
    template_name = "goals/overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        progress, data, plan, plans = self.progress, self.plan_data, self.plan, self.plans
        context.update(
            self.figures_context(),
            plans=plans,
            previous_plan=previous_plan(plan, plans),
            next_plan=next_plan(plan, plans),
            goals=[(goal, progress.goals[goal.pk]) for goal in data.goals],
            forecast=self.forecast_of("plan"),
            goal_tree=[(goal, [i for i in data.initiatives if i.goal_id == goal.pk]) for goal in data.goals],
            reporting_rounds=self.reporting_rounds(),
            latest_updates=derived_from_data(
                ("latest-updates", plan.pk, self.as_of and self.as_of.pk),
                lambda: tuple(
                    timeline(ProgressUpdate.objects.for_plan(plan), self.as_of)[:LATEST_UPDATES_SHOWN]
                ),
            ),
        )
        context.update(
            charts=charts.plan_charts(data, progress),
            quality=quality.quality_as_of(data, self.as_of),
            indicators=self.indicator_series(),
        )
        return context


class ChartView(PlanFiguresMixin, TemplateView):
    """One of a plan's charts as an SVG file of its own (``?round=`` as on its page): the wide
    drawing the page shows, with its title and source written on it."""

    def get_context_data(self, **kwargs):
        draw = charts.PLAN_CHARTS.get(self.kwargs["name"])
        if draw is None:
            names = ", ".join(f"{name}.svg" for name in charts.PLAN_CHARTS)
            raise Http404(f"There is no chart {self.kwargs['name']!r}; a plan's charts are {names}.")
        chart = draw(self.plan_data, self.progress)
        if not chart.drawn:
            raise Http404(f"{chart.title}: {chart.empty}")
        drawing = chart.drawings[0]
        when = f"as of {self.as_of.name}" if self.as_of else f"figures of {day(self.progress.on)}"
        heading = f"{chart.title}: {self.plan.title}"
        source = f"Source: ASEAN IPR Action Plan Tracker, {when}"
        return {
            "chart": chart,
            "g": drawing,
            "frame": charts.standalone_frame(drawing, heading, source),
            "id": chart.name,
            "standalone": True,
        }

    def render_to_response(self, context, **response_kwargs):
        chart = context["chart"]
        svg = render_to_string(chart.template, context).strip()
        as_of = f"as-of-round-{self.as_of.pk}" if self.as_of else None
        name = file_name(f"chart-{chart.name}", self.plan.slug, as_of, extension="svg")
        return HttpResponse(
            svg,
            content_type="image/svg+xml; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )


class GoalDetailView(PlanFiguresMixin, TemplateView):
    template_name = "goals/goal_detail.html"

    def get_context_data(self, **kwargs):
        goal = next((g for g in self.plan_data.goals if g.number == self.kwargs["number"]), None)
        if goal is None:
            raise Http404(
                _("The %(plan)s has no goal %(number)s.")
                % {"plan": self.plan.title, "number": self.kwargs["number"]}
            )
        initiatives = [i for i in self.plan_data.initiatives if i.goal_id == goal.pk]
        in_goal = Q(initiative__goal=goal) | Q(deliverable__initiative__goal=goal)
        context = super().get_context_data(**kwargs)
        context.update(
            self.figures_context(),
            goal=goal,
            figure=self.progress.goals[goal.pk],
            forecast=self.forecast_of("goals", goal.pk),
            figure_label=f"{self.plan.goal_label} {goal.number}",
            heading=f"{self.plan.goal_label} {goal.number}: {goal.title}",
            part_kind="goal",
            record=goal,
            kind=self.plan.goal_term,
            why_names=self.plan_data.names["initiatives"],
            why_kind=_("initiative"),
            initiatives=[(i, self.progress.initiatives[i.pk]) for i in initiatives],
            indicators=self.indicator_series(goal),
            responsibilities=kept(
                ("goal-bodies", goal.pk),
                responsibilities_for().filter(in_goal).order_by("body__name", "role"),
            ),
        )
        return context


class InitiativeDetailView(PlanFiguresMixin, TemplateView):
    template_name = "goals/initiative_detail.html"

    def get_context_data(self, **kwargs):
        initiative = next((i for i in self.plan_data.initiatives if i.number == self.kwargs["number"]), None)
        if initiative is None:
            raise Http404(
                _("The %(plan)s has no initiative %(number)s.")
                % {"plan": self.plan.title, "number": self.kwargs["number"]}
            )
        goal = next(g for g in self.plan_data.goals if g.pk == initiative.goal_id)
        deliverables = [d for d in self.plan_data.deliverables if d.initiative_id == initiative.pk]
        on_initiative = Q(initiative=initiative) | Q(deliverable__initiative=initiative)
        context = super().get_context_data(**kwargs)
        context.update(
            self.figures_context(),
            goal=goal,
            initiative=initiative,
            figure=self.progress.initiatives[initiative.pk],
            forecast=self.forecast_of("initiatives", initiative.pk),
            figure_label=_("Initiative %(number)s") % {"number": initiative.number},
            heading=_("Initiative %(number)s: %(title)s")
            % {"number": initiative.number, "title": initiative.title},
            part_kind="initiative",
            record=initiative,
            kind=_("initiative"),
            why_names=self.plan_data.names["deliverables"],
            why_kind=_("deliverable"),
            deliverables=[(d, self.progress.deliverables[d.pk]) for d in deliverables],
            lineage=lineage_of(initiative, self.plan, self.plans),
            responsibilities=kept(
                ("initiative-bodies", initiative.pk),
                responsibilities_for().filter(on_initiative).order_by("body__name", "role"),
            ),
        )
        updates = timeline(ProgressUpdate.objects.filter(deliverable__initiative=initiative), self.as_of)
        key = ("initiative-updates", initiative.pk, self.as_of and self.as_of.pk)
        context["updates"] = kept(key, updates[:INITIATIVE_UPDATES_SHOWN])
        context["updates_total"] = derived_from_data((*key, "total"), updates.count)
        return context


class DeliverableDetailView(PlanFiguresMixin, TemplateView):
    template_name = "goals/deliverable_detail.html"

    def get_context_data(self, **kwargs):
        initiative = next((i for i in self.plan_data.initiatives if i.number == self.kwargs["number"]), None)
        deliverable = next(
            (
                d
                for d in self.plan_data.deliverables
                if initiative and d.initiative_id == initiative.pk and d.code == self.kwargs["code"]
            ),
            None,
        )
        if deliverable is None:
            raise Http404(
                _("The %(plan)s has no deliverable %(code)r there.")
                % {"plan": self.plan.title, "code": self.kwargs["code"]}
            )
        goal = next(g for g in self.plan_data.goals if g.pk == initiative.goal_id)
        context = super().get_context_data(**kwargs)
        context.update(
            self.figures_context(),
            goal=goal,
            initiative=initiative,
            deliverable=deliverable,
            figure=self.progress.deliverables[deliverable.pk],
            forecast=self.forecast_of("deliverables", deliverable.pk),
            figure_label=_("Deliverable %(code)s") % {"code": deliverable.code},
            heading=f"{deliverable.code} {deliverable.title}",
            part_kind="deliverable",
            state_rows=[
                (state, cells[0])
                for state, cells in self.progress.cells([deliverable], self.plan_data.expected_states)
            ]
            if deliverable.per_member_state
            else [],
            responsibilities=kept(
                ("deliverable-bodies", deliverable.pk),
                responsibilities_for(deliverable=deliverable).order_by("body__name", "role"),
            ),
            updates=kept(
                ("deliverable-updates", deliverable.pk, self.as_of and self.as_of.pk),
                timeline(deliverable.progress_updates.all(), self.as_of),
            ),
            replaces=deliverable.replaces,
            quality=quality.quality_as_of(self.plan_data, self.as_of).deliverable(deliverable.pk),
            lineage=lineage_of(deliverable, self.plan, self.plans),
        )
        return context


class LineageView(PlanFiguresMixin, TemplateView):
    """The plan lineage of a plan, both ways: where each item of the older plan went in the plan
    that follows it, and where each item of the newer plan came from. The plan's own items carry
    their figures (``?round=`` as on the figure pages); the links are the same in every round."""

    template_name = "goals/lineage.html"
    formats = ("csv",)

    def crosswalks(self):
        """The plan's crosswalks, its own direction first: to the next plan (where its items
        went), then from the previous one (where its items came from)."""
        found = []
        following = next_plan(self.plan, self.plans)
        if following is not None:
            found.append(crosswalk(self.plan, following, self.plan_data))
        before = previous_plan(self.plan, self.plans)
        if before is not None:
            found.append(crosswalk(before, self.plan, self.plan_data))
        return found

    def formatted_response(self):
        return exports.lineage.response(lineage_rows(self.plan), self.plan.slug)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        progress = self.progress

        def figure_of(item, plan):
            """The figure of one of this plan's own items (the other plan's go unfigured)."""
            if plan.pk != self.plan.pk or not progress.has_progress:
                return None
            level = progress.initiatives if isinstance(item, Initiative) else progress.deliverables
            return level.get(item.pk)

        walks = [
            {
                "walk": walk,
                "went": [(item, link, figure_of(item, walk.older)) for item, link in walk.went],
                "came_from": [(item, links, figure_of(item, walk.newer)) for item, links in walk.came_from],
                "own_side_first": walk.older.pk == self.plan.pk,
            }
            for walk in self.crosswalks()
        ]
        context.update(self.figures_context(), plans=self.plans, crosswalks=walks)
        return context


class MatrixView(PlanFiguresMixin, TemplateView):
    """Member states × the deliverables each state reports on for itself."""

    template_name = "goals/matrix.html"
    formats = SPREADSHEET_FORMATS

    def formatted_response(self):
        as_of = f"as-of-round-{self.as_of.pk}" if self.as_of else None
        items = exports.matrix_items(self.plan_data, self.progress)
        return exports.member_state_matrix.response(items, self.plan.slug, as_of, format=self.format)

    def get_context_data(self, **kwargs):
        columns = [d for d in self.plan_data.deliverables if d.per_member_state]
        context = super().get_context_data(**kwargs)
        plans = self.plans
        context.update(
            self.figures_context(),
            plans=plans,
            previous_plan=next((p for p in plans if p.pk == self.plan.predecessor_id), None),
            columns=[(d, self.progress.deliverables[d.pk]) for d in columns],
            rows=self.progress.cells(columns, self.plan_data.expected_states),
        )
        return context


class ScorecardView(PlanFiguresMixin, TemplateView):
    """Each member state's share of the plan's state-by-state deliverables done, what it still
    has to do and its latest approved progress, beside a map shaded by that share; sortable
    with ``?sort=`` (see ``goals.scorecard.SORTS``), and as CSV."""

    template_name = "goals/scorecard.html"
    formats = SPREADSHEET_FORMATS

    def scores(self):
        key = self.request.GET.get("sort", "").strip() or "name"
        scores = plan_scores(self.plan_data, self.progress, member_states())
        return key, sorted_scores(scores, key)

    def formatted_response(self):
        as_of = f"as-of-round-{self.as_of.pk}" if self.as_of else None
        rows = (exports.ScoreRow(self.plan, score) for score in self.scores()[1])
        return exports.member_state_scorecard.response(rows, self.plan.slug, as_of, format=self.format)

    def get_context_data(self, **kwargs):
        key, scores = self.scores()
        context = super().get_context_data(**kwargs)
        context.update(
            self.figures_context(),
            plans=all_plans(),
            scores=scores,
            deliverables=counted_deliverables(self.plan_data, self.progress),
            map=charts.state_map(scores),
            sort=key,
            sorts=sort_headers(key),
            sort_meaning=SORTS[key],
            sort_choices=SORTS.items(),
        )
        return context


class ScorecardMapView(ScorecardView):
    """The scorecard's map as an SVG file of its own, with its key and source drawn on it."""

    formats = ()

    def get_context_data(self, **kwargs):
        drawing = charts.state_map(plan_scores(self.plan_data, self.progress, member_states()))
        if drawing is None:
            raise Http404(
                f"The {self.plan.title} has no member-state map: no state has anything to do in it."
            )
        when = f"as of {self.as_of.name}" if self.as_of else f"figures of {day(self.progress.on)}"
        heading = f"Share of state-by-state deliverables done: {self.plan.title}"
        source = f"Source: ASEAN IPR Action Plan Tracker, {when}; outlines: Natural Earth"
        return {
            "map": drawing,
            "frame": charts.standalone_map_frame(drawing, heading, source),
            "standalone": True,
        }

    def render_to_response(self, context, **response_kwargs):
        svg = render_to_string("includes/chart_map_svg.html", context).strip()
        as_of = f"as-of-round-{self.as_of.pk}" if self.as_of else None
        name = file_name("map-member-states", self.plan.slug, as_of, extension="svg")
        return HttpResponse(
            svg,
            content_type="image/svg+xml; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )


class MemberStateDetailView(DetailView):
    model = MemberState
    template_name = "goals/member_state_detail.html"

    def get_queryset(self):
        return MemberState.objects.prefetch_related(
            Prefetch("bodies", queryset=Body.objects.order_by("name")),
        )

    def get_context_data(self, **kwargs):
        state = self.object
        updates = approved_updates(ProgressUpdate.objects.filter(member_state=state))
        latest = latest_updates(updates)  # the same rule as the figures
        deliverables = (
            Deliverable.objects.filter(per_member_state=True)
            .select_related("initiative__plan")
            .order_by("-initiative__plan__start_year", "sort_key")
        )
        row = [
            (d, latest.get((d.pk, state.pk)), state.is_expected_for(d.initiative.plan)) for d in deliverables
        ]
        # Its score on each plan, as the scorecard counts it (deliverables not dropped).
        plans = {}
        for deliverable, update, expected in row:
            plan = deliverable.initiative.plan
            parts = plans.setdefault(plan, {"expected": expected, "deliverables": [], "latest": {}})
            if not deliverable.dropped_in:
                parts["deliverables"].append(deliverable)
                if update is not None:
                    parts["latest"][deliverable.pk] = update
        # With how far to trust it: its reports' data-quality score on each plan it acts on.
        scores = [
            (
                plan,
                score(state, parts["expected"], parts["deliverables"], parts["latest"]),
                quality.quality_as_of(cached_plan_data(plan)).state(state.pk)
                if parts["expected"] and parts["deliverables"]
                else None,
            )
            for plan, parts in plans.items()
        ]
        responsibilities = list(responsibilities_for(body__member_state=state))
        return super().get_context_data(
            **kwargs,
            groups=by_plan(responsibilities, order=Responsibility.Role.values),
            several_bodies=len({r.body_id for r in responsibilities}) > 1,
            row=row,
            scores=scores,
            indicators=indicators.state_values(state, indicators.indicator_data(), row),
        )


class BodyDetailView(DetailView):
    model = Body
    template_name = "goals/body_detail.html"

    def get_queryset(self):
        return Body.objects.select_related("member_state", "parent").prefetch_related(
            Prefetch("children", queryset=Body.objects.order_by("name"))
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            groups=by_plan(responsibilities_for(body=self.object), order=Responsibility.Role.values),
        )


class PlatformListView(ListView):
    """The regional platforms, with their addresses, launch dates and who builds or supports them."""

    template_name = "goals/platform_list.html"
    context_object_name = "platforms"

    def get(self, request, *args, **kwargs):
        wanted = requested_format(request)
        if wanted:
            return exports.platforms.response(self.get_queryset(), format=wanted)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return exports.platform_queryset()


class Measured(NamedTuple):
    label: str
    url: str
    record: object


def measured_part(indicator, plan_data):
    """The goal, initiative or deliverable an indicator measures, from the plan's data as held."""
    held, plan = plan_data.by_pk, plan_data.plan
    if indicator.deliverable_id:
        deliverable = held["deliverables"][indicator.deliverable_id]
        return Measured(
            f"{deliverable.code} {deliverable.title}", deliverable.get_absolute_url(), deliverable
        )
    if indicator.initiative_id:
        initiative = held["initiatives"][indicator.initiative_id]
        return Measured(
            _("Initiative %(number)s: %(title)s") % {"number": initiative.number, "title": initiative.title},
            initiative.get_absolute_url(),
            initiative,
        )
    goal = held["goals"][indicator.goal_id]
    return Measured(f"{plan.goal_label} {goal.number}: {goal.title}", goal.get_absolute_url(), goal)


class IndicatorListView(PlanFiguresMixin, TemplateView):
    """A plan's indicators: what each measures, its baseline, latest value and target."""

    template_name = "goals/indicator_list.html"
    formats = ("csv",)

    def formatted_response(self):
        as_of = f"as-of-round-{self.as_of.pk}" if self.as_of else None
        return exports.indicators.response(self.indicator_series(), self.plan.slug, as_of)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = [(one, measured_part(one.indicator, self.plan_data)) for one in self.indicator_series()]
        context.update(self.figures_context(), indicators=rows, plans=self.plans)
        return context


class IndicatorDetailView(PlanFiguresMixin, TemplateView):
    """One indicator: its series drawn as a line with the baseline and target marked, every value
    with its source, and each member state's values."""

    template_name = "goals/indicator_detail.html"
    formats = ("csv",)

    def indicator(self):
        data = indicators.indicator_data(self.plan)
        indicator = data.named(self.plan, self.kwargs["slug"])
        if indicator is None:
            raise Http404(
                _("The %(plan)s has no indicator %(slug)r.")
                % {"plan": self.plan.title, "slug": self.kwargs["slug"]}
            )
        return indicators.series(indicator, data, self.plan_data, self.progress)

    def formatted_response(self):
        as_of = f"as-of-round-{self.as_of.pk}" if self.as_of else None
        one = self.indicator()
        rows = exports.indicator_value_rows([one])
        return exports.indicator_values.response(rows, self.plan.slug, one.indicator.slug, as_of)

    def get_context_data(self, **kwargs):
        one = self.indicator()
        indicator = one.indicator
        held = self.plan_data.by_pk
        describe = partial(indicators.value_text, indicator)
        context = super().get_context_data(**kwargs)
        context.update(
            self.figures_context(),
            series=one,
            indicator=indicator,
            measures=measured_part(indicator, self.plan_data),
            counted=held["deliverables"].get(indicator.counts_deliverable_id),
            chart=charts.indicator_chart(one, describe),
            heading=indicator.name,
            figure_label=indicator.name,
        )
        return context


class MethodologyView(TemplateView):
    template_name = "goals/methodology.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            on_track=progress.ON_TRACK_TOLERANCE,
            at_risk=progress.AT_RISK_TOLERANCE,
            method_version=progress.METHOD_VERSION,
            min_span_days=MIN_SPAN_DAYS,
            good_from=quality.GOOD_FROM,
            fair_from=quality.FAIR_FROM,
            stale_after_rounds=settings.STALE_AFTER_ROUNDS,
        )


def filter_errors(form):
    """Each invalid filter value as "Label: what is wrong", for the message above the results."""
    fields = form.fields
    return [
        _("%(label)s: %(message)s")
        % {"label": fields[name].label if name in fields else _("Filter"), "message": message}
        for name, messages in form.errors.items()
        for message in messages
    ]


class SortHeader(NamedTuple):
    """A column heading of the explorer: its sort link, and whether the rows are sorted by it."""

    label: str
    href: str  # "" for a column the rows cannot be sorted by
    aria_sort: str  # "ascending", "descending", or "" when sorted by another column
    next_order: str  # what following the link does, in words


class ExplorerView(FilterView):
    """A filterable, sortable, paginated list of one plan's records; the plan defaults to the
    main one. With ``format=csv`` the whole filtered list downloads as CSV, in the same order.
    Filters or a sort that cannot be applied answer 400 with the reason, never a quietly
    different list."""

    export = None  # the tracker.core.exports.Export of its rows
    paginate_by = 25
    template_name = "goals/explorer.html"
    table_template = None  # its table's body, included by the template
    columns = ()  # (heading, sort key or None) of each column of its table
    tabs = [
        ("explore-initiatives", gettext_lazy("Initiatives")),
        ("explore-deliverables", gettext_lazy("Deliverables")),
        ("explore-updates", gettext_lazy("Progress updates")),
    ]

    def get(self, request, *args, **kwargs):
        self.format = requested_format(request)
        self.filterset = self.get_filterset(self.get_filterset_class())
        if not self.filterset.is_valid():
            if self.format:
                raise BadQuery(
                    "Some filters could not be applied: " + "; ".join(filter_errors(self.filterset.form))
                )
            self.object_list = self.filterset.queryset.none()
            response = self.render_to_response(self.get_context_data(filter=self.filterset))
            response.status_code = 400
            return response
        if self.format:
            return self.file_response()
        # Rows with figures are drawn from the plan's data as held: the page only needs their keys,
        # all fetched at once (a plan holds a few thousand at most), which also gives the count.
        figures = self.filterset_class.figures_attribute
        self.object_list = self.filterset.qs
        if figures:
            self.object_list = list(self.filterset.qs.values_list("pk", flat=True))
            if self.plan:
                self.plan_data = plan_data_holding(self.plan_data, figures, self.object_list)
                self.progress = progress_as_of(self.plan_data)
        return self.render_to_response(self.get_context_data(filter=self.filterset))

    def file_response(self):
        attribute = self.filterset_class.figures_attribute  # the figures its rows show, if any
        records = exports.with_figures(self.filterset.qs, attribute) if attribute else self.filterset.qs
        return self.export.response(records, self.plan.slug if self.plan else None, format=self.format)

    def paginate_queryset(self, queryset, page_size):
        """A page number that is not a number, or past the end, is answered with the reason."""
        paginator = self.get_paginator(queryset, page_size)
        page = page_of(paginator, self.request)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        setup = explore(filterset_class, self.request.GET)
        self.plan, self.plan_data, self.progress = setup.plan, setup.plan_data, setup.progress
        return {**kwargs, **setup.filterset_kwargs()}

    def address(self, **changes):
        """This page's address with ``changes`` made (a value of None removes the parameter),
        its other filters and sort kept, on the first page, empty parameters left out."""
        query = QueryDict(mutable=True)
        for name, values in self.request.GET.lists():
            kept = [value for value in values if value.strip()]
            if name not in ("page", "format") and name not in changes and kept:
                query.setlist(name, kept)
        for name, value in changes.items():
            if value is not None:
                query[name] = value
        return f"?{query.urlencode()}" if query else self.request.path

    def sort_headers(self):
        form = self.filterset.form
        current = (form.cleaned_data.get("sort") if form.is_valid() else "") or self.filterset.default_sort
        for label, key in self.columns:
            if key is None:
                yield SortHeader(label, "", "", "")
                continue
            active, descending = current.lstrip("-") == key, current.startswith("-")
            following = (key if descending else f"-{key}") if active else key
            yield SortHeader(
                label,
                self.address(sort=following),
                ("descending" if descending else "ascending") if active else "",
                _("sort in reverse order") if active else _("sort by this column"),
            )

    def in_force(self):
        """The filters in force, each with the address that removes it, and the address that
        removes them all (keeping the plan and the sort)."""
        chips = [(text, self.address(**{name: None})) for name, text in filters_in_force(self.filterset)]
        keep = {"plan": self.plan.slug if self.plan else None}
        if self.filterset.form.is_valid() and (sort := self.filterset.form.cleaned_data.get("sort")):
            keep["sort"] = sort
        query = QueryDict(mutable=True)
        query.update({name: value for name, value in keep.items() if value})
        return chips, f"?{query.urlencode()}" if query else self.request.path

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        attribute = self.filterset_class.figures_attribute  # the figures its rows show, if any
        if attribute:
            rows = [self.figure_row(attribute, pk) for pk in context["object_list"]] if self.progress else []
        else:
            rows = context["object_list"]
        chips, clear_all = self.in_force()
        count = context["paginator"].count if context.get("paginator") else len(rows)
        context.update(
            plan=self.plan,
            tabs=self.tabs,
            current=self.request.resolver_match.url_name,
            rows=rows,
            filter_errors=filter_errors(self.filterset.form),
            headers=list(self.sort_headers()),
            in_force=chips,
            clear_all=clear_all,
            shown=count,
            showing=self.showing(count),
        )
        return context

    def showing(self, count):
        """The count of rows shown, in words: "Showing 29 deliverables of the …"."""
        if self.plan:
            return self.showing_in_plan(count) % {"count": count, "plan": self.plan.title}
        return self.showing_in_all(count) % {"count": count}

    def showing_in_plan(self, count):
        raise NotImplementedError

    def showing_in_all(self, count):
        raise NotImplementedError

    def figure_row(self, level, pk):
        """An initiative's or a deliverable's row, the same for every visitor: drawn once per data
        version from the plan's data as held (``derived_from_data``)."""

        def draw():
            held = self.plan_data.by_pk
            record = held[level][pk]
            initiative = record if level == "initiatives" else held["initiatives"][record.initiative_id]
            goal = held["goals"][initiative.goal_id]
            context = {"record": record, "goal": goal, "f": getattr(self.progress, level)[pk], "level": level}
            return render_to_string("goals/explorer_row.html", context)

        return derived_from_data(("explorer-row", level, pk, get_language()), draw)


class InitiativeExplorerView(ExplorerView):
    filterset_class = InitiativeFilter
    export = exports.initiatives
    heading = gettext_lazy("Initiatives")
    table_template = "goals/explore/initiatives_table.html"
    columns = [
        (gettext_lazy("No."), "number"),
        (gettext_lazy("Initiative"), "title"),
        (gettext_lazy("Goal"), "goal"),
        (gettext_lazy("Percent delivered"), "percent"),
        (gettext_lazy("Status"), "status"),
        (gettext_lazy("Schedule"), "schedule"),
    ]

    def showing_in_plan(self, count):
        return ngettext(
            "Showing %(count)s initiative of the %(plan)s",
            "Showing %(count)s initiatives of the %(plan)s",
            count,
        )

    def showing_in_all(self, count):
        return ngettext("Showing %(count)s initiative", "Showing %(count)s initiatives", count)

    def get_queryset(self):
        return Initiative.objects.select_related("plan", "goal").order_by("plan__start_year", "number")


class DeliverableExplorerView(ExplorerView):
    filterset_class = DeliverableFilter
    export = exports.deliverables
    heading = gettext_lazy("Deliverables")
    table_template = "goals/explore/deliverables_table.html"
    columns = [
        (gettext_lazy("Code"), "code"),
        (gettext_lazy("Deliverable"), "title"),
        (gettext_lazy("Goal"), "goal"),
        (gettext_lazy("Percent delivered"), "percent"),
        (gettext_lazy("Status"), "status"),
        (gettext_lazy("Schedule"), "schedule"),
    ]

    def showing_in_plan(self, count):
        return ngettext(
            "Showing %(count)s deliverable of the %(plan)s",
            "Showing %(count)s deliverables of the %(plan)s",
            count,
        )

    def showing_in_all(self, count):
        return ngettext("Showing %(count)s deliverable", "Showing %(count)s deliverables", count)

    def get_queryset(self):
        return Deliverable.objects.select_related("initiative__plan", "initiative__goal").order_by(
            "initiative__number", "code"
        )


class UpdateExplorerView(ExplorerView):
    filterset_class = UpdateFilter
    export = exports.progress_updates
    heading = gettext_lazy("Progress updates")
    table_template = "goals/explore/updates_table.html"
    columns = [
        (gettext_lazy("Date"), "reported_on"),
        (gettext_lazy("Deliverable"), "code"),
        (gettext_lazy("Member state"), "member_state"),
        (gettext_lazy("Status"), "status"),
        (gettext_lazy("What happened"), None),
        (gettext_lazy("Round"), "round"),
        (gettext_lazy("Evidence"), None),
    ]

    def showing_in_plan(self, count):
        return ngettext(
            "Showing %(count)s progress update of the %(plan)s",
            "Showing %(count)s progress updates of the %(plan)s",
            count,
        )

    def showing_in_all(self, count):
        return ngettext("Showing %(count)s progress update", "Showing %(count)s progress updates", count)

    def get_queryset(self):
        return ProgressUpdate.objects.public().with_context().order_by("-reported_on", "-pk")


@xframe_options_sameorigin  # the review page shows it beside the update (goals.evidence)
def evidence(request, pk):
    """An evidence file: public once its update is approved; before that only to staff whose
    scope includes the update. Anyone else gets 404, as if there were no file. PDFs and images
    open in the browser, anything else downloads (``goals.evidence.SERVED``)."""
    update = get_object_or_404(ProgressUpdate.objects.exclude(evidence_file=""), pk=pk)
    if update.review_state != ProgressUpdate.ReviewState.APPROVED:
        user = request.user
        visible = access.scope(ProgressUpdate.objects.filter(pk=pk), user) if user.is_staff else None
        if not (visible and visible.exists()):
            raise Http404("No such evidence file.")
    name = f"evidence-{update.deliverable.code}-{update.pk}{Path(update.evidence_file.name).suffix}"
    try:
        opened = update.evidence_file.open("rb")
    except FileNotFoundError:
        logger.error("Evidence file of update %s is missing: %s", update.pk, update.evidence_file.name)
        raise Http404("This evidence file is missing from the server.") from None
    served = serving(update.evidence_file.name)  # PDFs and images open in the browser
    response = FileResponse(
        opened, as_attachment=not served.inline, filename=name, content_type=served.content_type
    )
    response["Content-Security-Policy"] = served.policy
    response["X-Content-Type-Options"] = "nosniff"
    if update.review_state != ProgressUpdate.ReviewState.APPROVED:
        response["Cache-Control"] = "private, no-store"  # staff only: no shared cache keeps it
    return response


# The meeting pack's downloads: its figures as spreadsheets, and as documents to print or edit.
PACK_FORMATS = (*SPREADSHEET_FORMATS, "pdf", "docx")


class MeetingPackView(TemplateView):
    """The printable pack for an AWGIPC meeting: a published round's figures for the plan, every
    goal, initiative and deliverable, what changed since the previous round, and who has not
    reported."""

    template_name = "goals/meeting_pack.html"

    def get(self, request, *args, **kwargs):
        wanted = requested_format(request, offered=PACK_FORMATS)
        plan = plan_named(kwargs["plan"])
        if plan is None:
            raise Http404(_("There is no plan %(slug)r.") % {"slug": kwargs["plan"]})
        data = cached_plan_data(plan)
        reporting_round = next((r for r in data.published_rounds if r.pk == kwargs["pk"]), None)
        if reporting_round is None:
            raise Http404(_("Meeting packs exist for the published rounds of a plan only."))
        progress = progress_as_of(data, reporting_round)
        previous, changes = rounds.changes_since_previous(data, reporting_round)
        missing = rounds.missing_reports(reporting_round)
        if wanted in SPREADSHEET_FORMATS:
            rows = exports.meeting_pack_rows(data, progress, changes, missing)
            return exports.meeting_pack.response(
                rows, plan.slug, f"round-{reporting_round.pk}", format=wanted
            )
        context = self.get_context_data(
            plan=plan,
            reporting_round=reporting_round,
            progress=progress,
            goals=[(goal, progress.goals[goal.pk]) for goal in data.goals],
            parts=exports.figure_rows(data, progress),
            previous=previous,
            changes=changes,
            missing=missing,
            quality=quality.quality_as_of(data, reporting_round),
        )
        if wanted:
            context["charts"] = charts.plan_charts(data, progress)
            name = file_name("meeting_pack", plan.slug, f"round-{reporting_round.pk}", extension=wanted)
            if wanted == "pdf":
                return documents.meeting_pack_pdf(context, request, name)
            return documents.meeting_pack_docx(context, name, sample_data=public_data_state().sample)
        return self.render_to_response(context)


class CompareView(TemplateView):
    """Two published rounds of a plan side by side (``goals.comparison``): every part's figure at
    each, the change, and the updates approved in between; with ``format=csv`` the same as CSV.
    The rounds default to the last two published; a round that cannot be compared answers 400
    with the reason."""

    template_name = "goals/compare.html"

    def get(self, request, *args, **kwargs):
        wanted = requested_format(request)
        plan = plan_named(kwargs["plan"])
        if plan is None:
            raise Http404(_("There is no plan %(slug)r.") % {"slug": kwargs["plan"]})
        data = cached_plan_data(plan)
        pair = comparison.rounds_to_compare(data, request.GET)
        compared = comparison.compare(data, *pair) if pair else None
        if wanted:
            if compared is None:
                raise BadQuery(
                    _("The %(plan)s has fewer than two published rounds to compare.") % {"plan": plan.title}
                )
            earlier, later = pair
            return exports.comparison.response(
                exports.comparison_lines(compared),
                plan.slug,
                f"round-{earlier.pk}-to-{later.pk}",
                format=wanted,
            )
        context = self.get_context_data(
            plan=plan,
            published_rounds=data.published_rounds,
            compared=compared,
            earlier=pair and pair[0],
            later=pair and pair[1],
            quality_before=pair and quality.quality_as_of(data, pair[0]),
            quality_after=pair and quality.quality_as_of(data, pair[1]),
        )
        return self.render_to_response(context)
