"""Who may see and change which records: the one place for row-level scoping and for the rule
every write path asks before it saves.

Model permissions come from the roles (``tracker.roles``); this module narrows them to rows:

- the secretariat and viewers see everything (viewers only read);
- a focal point sees progress updates only on deliverables its bodies are responsible for
  (directly or through the initiative), and on deliverables tracked per member state only the
  rows of its bodies' member states (a body with no member state, such as a task force,
  covers every state's row of the deliverables that body is responsible for);
- a partner reporter sees only its own partner and that partner's involvements, programmes,
  yearly reports and contact points.

Records outside a user's scope are left out of lists, choices and autocompletes, and reaching
one by its address answers 404. ``may_write`` is asked by every write path (admin forms and
inlines, bulk actions, imports, the workflow) before it saves; everything else (the admin,
imports, exports, commands) calls these functions rather than filtering on its own.
"""

from dataclasses import dataclass

from django.db.models import Q

from goals.models import Body, Deliverable, MemberState, ProgressUpdate
from partners.models import ContactPoint, CooperationProgramme, Involvement, Partner, ProgrammeReport
from tracker import roles


def role_names(user):
    if not hasattr(user, "_role_names"):
        user._role_names = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
    return user._role_names


def sees_everything(user):
    """The secretariat (and superusers) and viewers are not limited to rows."""
    names = role_names(user)
    return user.is_superuser or roles.SECRETARIAT in names or roles.VIEWER in names


def is_secretariat(user):
    return user.is_active and (user.is_superuser or roles.SECRETARIAT in role_names(user))


def bodies_of(user):
    return Body.objects.filter(staff__user=user)


def partner_of(user):
    return Partner.objects.filter(staff__user=user).first()


def deliverables_for(user):
    """Deliverables the user's bodies are responsible for, directly or through the initiative."""
    return deliverables_of_bodies(bodies_of(user))


def deliverables_of_bodies(bodies):
    return Deliverable.objects.filter(
        Q(responsibilities__body__in=bodies) | Q(initiative__responsibilities__body__in=bodies)
    ).distinct()


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
    if sees_everything(user) or bodies_of(user).filter(member_state__isnull=True).exists():
        return MemberState.objects.all()
    return MemberState.objects.filter(bodies__in=bodies_of(user)).distinct()


# How each scoped model relates to the user's partner.
PARTNER_PATHS = {
    Partner: "pk",
    Involvement: "partner",
    CooperationProgramme: "partner",
    ProgrammeReport: "programme__partner",
    ContactPoint: "partner",
}


def partner_id_of(record):
    """The partner a partner-side record belongs to, from its own values (unsaved ones too)."""
    if isinstance(record, Partner):
        return record.pk
    if isinstance(record, ProgrammeReport):
        return record.programme.partner_id if record.programme_id else None
    return record.partner_id


def scope(queryset, user):
    """The rows of ``queryset`` the user may see."""
    model = queryset.model
    if sees_everything(user):
        return queryset
    names = role_names(user)
    if model is ProgressUpdate:
        if roles.FOCAL_POINT in names:
            return queryset.filter(reporting_of(user).condition())
        return queryset.public()
    if model in PARTNER_PATHS and roles.PARTNER_REPORTER in names:
        partner = partner_of(user)
        if partner is None:
            return queryset.none()
        return queryset.filter(**{PARTNER_PATHS[model]: partner.pk})
    return queryset


def can_edit(user, record):
    """Whether the saved record is in the user's scope for writing (model permissions aside)."""
    if is_secretariat(user):
        return True
    names = role_names(user)
    if roles.VIEWER in names and not (names - {roles.VIEWER}):
        return False
    return scope(type(record).objects.filter(pk=record.pk), user).exists()


def may_write(user, record, action=None):
    """The one rule every write path asks before it saves (or deletes) ``record``: the user's
    model permission for the action, the record in the user's scope both as it is stored and as
    it would be saved, and not locked by the review workflow. ``action`` is "add", "change" or
    "delete"; by default "add" for a new record and "change" for a stored one."""
    from goals.workflow import is_locked

    model = type(record)
    action = action or ("change" if record.pk else "add")
    if not user.is_active or not user.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}"):
        return False
    stored = model.objects.filter(pk=record.pk).first() if record.pk else None
    if isinstance(stored, ProgressUpdate) and is_locked(stored, action):
        return False  # by its review state (goals.workflow.REVIEW_ACTIONS)
    if is_secretariat(user):
        return True
    if stored is not None and not can_edit(user, stored):
        return False
    names = role_names(user)
    if model is ProgressUpdate:
        return roles.FOCAL_POINT in names and reporting_of(user).allows(
            record.deliverable, record.member_state_id
        )
    if model in PARTNER_PATHS:
        partner = partner_of(user) if roles.PARTNER_REPORTER in names else None
        return partner is not None and partner_id_of(record) == partner.pk
    return False


def choices_for(model, field_name, queryset, user):
    """The choices a form field offers this user (foreign keys and autocompletes)."""
    related = queryset.model
    if sees_everything(user):
        return queryset
    names = role_names(user)
    if model is ProgressUpdate and roles.FOCAL_POINT in names:
        if related is Deliverable:
            return queryset.filter(pk__in=reporting_of(user).deliverables)
        if related is MemberState:
            return queryset.filter(pk__in=member_states_for(user))
    if roles.PARTNER_REPORTER in names:
        if related in PARTNER_PATHS:
            return scope(queryset, user)
        if model is ContactPoint and related is Body:
            return queryset.none()  # a partner reporter records its own partner's contacts only
    return queryset
