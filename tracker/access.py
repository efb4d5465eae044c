"""Who may see and edit which records: the one place for row-level scoping.

Model permissions come from the roles (``tracker.roles``); this module narrows them to rows:

- the secretariat and viewers see everything (viewers only read);
- a focal point sees progress updates only on deliverables its bodies are responsible for
  (directly or through the initiative), and on deliverables tracked per member state only the
  rows of its bodies' member states (a body with no member state, such as a task force,
  covers every state's row);
- a partner reporter sees only its own partner and that partner's involvements, programmes,
  yearly reports and contact points.

Records outside a user's scope are left out of lists, choices and autocompletes, and reaching
one by its address answers 404. Everything else (the admin, imports, exports, commands) calls
these functions rather than filtering on its own.
"""

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
    bodies = bodies_of(user)
    return Deliverable.objects.filter(
        Q(responsibilities__body__in=bodies) | Q(initiative__responsibilities__body__in=bodies)
    ).distinct()


def _rows_for(user):
    """The condition on progress updates that a focal point may see."""
    bodies = bodies_of(user)
    stateless = bodies.filter(member_state__isnull=True)
    whole_deliverables = Deliverable.objects.filter(
        Q(responsibilities__body__in=stateless) | Q(initiative__responsibilities__body__in=stateless)
    )
    own_states = bodies.exclude(member_state__isnull=True).values("member_state")
    return Q(deliverable__in=deliverables_for(user)) & (
        Q(deliverable__per_member_state=False)
        | Q(member_state__in=own_states)
        | Q(deliverable__in=whole_deliverables)
    )


def member_states_for(user):
    """Member states whose rows the user may report: all, for a body with no member state."""
    if sees_everything(user) or bodies_of(user).filter(member_state__isnull=True).exists():
        return MemberState.objects.all()
    return MemberState.objects.filter(bodies__in=bodies_of(user)).distinct()


# How each scoped model relates to the user's bodies or partner.
PARTNER_PATHS = {
    Partner: "pk",
    Involvement: "partner",
    CooperationProgramme: "partner",
    ProgrammeReport: "programme__partner",
    ContactPoint: "partner",
}


def scope(queryset, user):
    """The rows of ``queryset`` the user may see."""
    model = queryset.model
    if sees_everything(user):
        return queryset
    names = role_names(user)
    if model is ProgressUpdate:
        if roles.FOCAL_POINT in names:
            return queryset.filter(_rows_for(user))
        return queryset.public()
    if model in PARTNER_PATHS and roles.PARTNER_REPORTER in names:
        partner = partner_of(user)
        if partner is None:
            return queryset.none()
        return queryset.filter(**{PARTNER_PATHS[model]: partner.pk})
    return queryset


def can_edit(user, record):
    """Whether the user may change this record at all (model permissions aside)."""
    if is_secretariat(user):
        return True
    names = role_names(user)
    if roles.VIEWER in names and not (names - {roles.VIEWER}):
        return False
    return scope(type(record).objects.filter(pk=record.pk), user).exists()


def choices_for(model, field_name, queryset, user):
    """The choices a form field offers this user (foreign keys and autocompletes)."""
    related = queryset.model
    if sees_everything(user):
        return queryset
    names = role_names(user)
    if model is ProgressUpdate and roles.FOCAL_POINT in names:
        if related is Deliverable:
            return queryset.filter(pk__in=deliverables_for(user))
        if related is MemberState:
            return queryset.filter(pk__in=member_states_for(user))
    if roles.PARTNER_REPORTER in names:
        if related in PARTNER_PATHS:
            return scope(queryset, user)
        if model is ContactPoint and related is Body:
            return queryset.none()  # a partner reporter records its own partner's contacts only
    return queryset
