"""Which progress updates and indicator values a focal point sees and writes: the rows of the
deliverables its bodies are responsible for (directly or through the initiative). On
deliverables tracked per member state only its bodies' member states' rows, except that a body
with no member state (a task force, say) covers every state's row of the deliverables it is
responsible for. Anyone else who does not see everything sees approved (public) progress only.
Indicator values follow the same rule: the values of indicators on the deliverables its bodies
are responsible for (directly or through the initiative) and on the initiatives they are
responsible for, a state-by-state indicator's rows for its bodies' member states (every state's
for a body with none). Registered with ``tracker.core.access`` when the app is ready."""

from dataclasses import dataclass

from django.db.models import Q

from goals import workflow
from goals.models import Body, Deliverable, Indicator, IndicatorValue, MemberState, ProgressUpdate
from tracker.core import access, roles


def bodies_of(user):
    return Body.objects.filter(staff__user=user)


def deliverables_of_bodies(bodies):
    return Deliverable.objects.filter(
        Q(responsibilities__body__in=bodies) | Q(initiative__responsibilities__body__in=bodies)
    ).distinct()


def deliverables_for(user):
    """Deliverables the user's bodies are responsible for, directly or through the initiative."""
    return deliverables_of_bodies(bodies_of(user))


@dataclass(frozen=True)
class Reporting:
    """What a focal point reports on, as keys: the rule for its rows, written once and read both
    as a database condition (lists) and on a single row about to be saved."""

    deliverables: frozenset  # those its bodies are responsible for
    every_state: frozenset  # of those, the ones a body without a member state covers for every state
    states: frozenset  # its bodies' member states: their rows on the other state-by-state ones

    def condition(self):
        """The progress updates it may see and change, as a database condition."""
        return Q(deliverable__in=self.deliverables) & (
            Q(deliverable__per_member_state=False)
            | Q(member_state__in=self.states)
            | Q(deliverable__in=self.every_state)
        )

    def allows(self, deliverable, member_state_id):
        """Whether a row on ``deliverable`` (for ``member_state_id``) is its to report."""
        if deliverable.pk not in self.deliverables:
            return False
        if not deliverable.per_member_state or deliverable.pk in self.every_state:
            return True
        return member_state_id in self.states


def reporting_of(user):
    if not hasattr(user, "_reporting"):
        bodies = bodies_of(user)
        stateless = bodies.filter(member_state__isnull=True)
        user._reporting = Reporting(
            deliverables=frozenset(deliverables_of_bodies(bodies).values_list("pk", flat=True)),
            every_state=frozenset(deliverables_of_bodies(stateless).values_list("pk", flat=True)),
            states=frozenset(
                bodies.exclude(member_state__isnull=True).values_list("member_state", flat=True)
            ),
        )
    return user._reporting


def member_states_for(user):
    """Member states whose rows the user may report on some deliverable: all, for a body with no
    member state (which row of which deliverable is then ``Reporting.allows``)."""
    if access.sees_everything(user) or bodies_of(user).filter(member_state__isnull=True).exists():
        return MemberState.objects.all()
    return MemberState.objects.filter(bodies__in=bodies_of(user)).distinct()


def is_focal_point(user):
    return roles.FOCAL_POINT in access.role_names(user)


class ProgressRows(access.RowRule):
    models = (ProgressUpdate,)

    def visible(self, queryset, user):
        if is_focal_point(user):
            return queryset.filter(reporting_of(user).condition())
        return queryset.public()

    def allows(self, user, record):
        return is_focal_point(user) and reporting_of(user).allows(record.deliverable, record.member_state_id)

    def locked(self, stored, action):
        """By its review state (goals.workflow.REVIEW_ACTIONS)."""
        return workflow.is_locked(stored, action)

    def choices(self, model, queryset, user):
        if model is ProgressUpdate and is_focal_point(user):
            if queryset.model is Deliverable:
                return queryset.filter(pk__in=reporting_of(user).deliverables)
            if queryset.model is MemberState:
                return queryset.filter(pk__in=member_states_for(user))
        return None


def indicators_of_bodies(bodies):
    return Indicator.objects.filter(
        Q(deliverable__in=deliverables_of_bodies(bodies)) | Q(initiative__responsibilities__body__in=bodies)
    ).distinct()


@dataclass(frozen=True)
class IndicatorReporting:
    """What a focal point reports on among indicator values: ``Reporting``'s rule, by indicator."""

    indicators: frozenset
    every_state: frozenset
    states: frozenset

    def condition(self):
        return Q(indicator__in=self.indicators) & (
            Q(indicator__per_member_state=False)
            | Q(member_state__in=self.states)
            | Q(indicator__in=self.every_state)
        )

    def allows(self, indicator, member_state_id):
        if indicator.pk not in self.indicators:
            return False
        if not indicator.per_member_state or indicator.pk in self.every_state:
            return True
        return member_state_id in self.states


def indicator_reporting_of(user):
    if not hasattr(user, "_indicator_reporting"):
        bodies = bodies_of(user)
        user._indicator_reporting = IndicatorReporting(
            indicators=frozenset(indicators_of_bodies(bodies).values_list("pk", flat=True)),
            every_state=frozenset(
                indicators_of_bodies(bodies.filter(member_state__isnull=True)).values_list("pk", flat=True)
            ),
            states=reporting_of(user).states,
        )
    return user._indicator_reporting


class IndicatorValueRows(access.RowRule):
    models = (IndicatorValue,)

    def visible(self, queryset, user):
        if is_focal_point(user):
            return queryset.filter(indicator_reporting_of(user).condition())
        return queryset.public()

    def allows(self, user, record):
        return is_focal_point(user) and indicator_reporting_of(user).allows(
            record.indicator, record.member_state_id
        )

    def locked(self, stored, action):
        """By its review state, as progress (goals.workflow.REVIEW_ACTIONS)."""
        return workflow.is_locked(stored, action)

    def choices(self, model, queryset, user):
        if model is IndicatorValue and is_focal_point(user):
            if queryset.model is Indicator:
                return queryset.filter(pk__in=indicator_reporting_of(user).indicators)
            if queryset.model is MemberState:
                return queryset.filter(pk__in=member_states_for(user))
        return None
