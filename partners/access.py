"""A partner reporter sees and writes only its own partner and that partner's involvements,
programmes, yearly reports and contact points. Registered with ``tracker.core.access`` when the
app is ready."""

from goals.models import Body
from partners.models import ContactPoint, CooperationProgramme, Involvement, Partner, ProgrammeReport
from tracker.core import access, roles

# How each scoped model relates to the user's partner.
PARTNER_PATHS = {
    Partner: "pk",
    Involvement: "partner",
    CooperationProgramme: "partner",
    ProgrammeReport: "programme__partner",
    ContactPoint: "partner",
}


def partner_of(user):
    return Partner.objects.filter(staff__user=user).first()


def partner_id_of(record):
    """The partner a partner-side record belongs to, from its own values (unsaved ones too)."""
    if isinstance(record, Partner):
        return record.pk
    if isinstance(record, ProgrammeReport):
        return record.programme.partner_id if record.programme_id else None
    return record.partner_id


def is_partner_reporter(user):
    return roles.PARTNER_REPORTER in access.role_names(user)


class PartnerRows(access.RowRule):
    models = tuple(PARTNER_PATHS)

    def visible(self, queryset, user):
        if not is_partner_reporter(user):
            return queryset
        partner = partner_of(user)
        if partner is None:
            return queryset.none()
        return queryset.filter(**{PARTNER_PATHS[queryset.model]: partner.pk})

    def allows(self, user, record):
        partner = partner_of(user) if is_partner_reporter(user) else None
        return partner is not None and partner_id_of(record) == partner.pk

    def choices(self, model, queryset, user):
        if not is_partner_reporter(user):
            return None
        if queryset.model in PARTNER_PATHS:
            return self.visible(queryset, user)
        if model is ContactPoint and queryset.model is Body:
            return queryset.none()  # a partner reporter records its own partner's contacts only
        return None
