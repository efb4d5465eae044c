"""Which part of the plan a staff account works on: its bodies, or its partner."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history import register
from simple_history.models import HistoricalRecords


class KernelHistory(HistoricalRecords):
    """The history of a model of another app, kept in this one: simple_history would place it in
    a module named after the app label ("tracker.models"), while this app lives in tracker.core."""

    def finalize(self, sender, **kwargs):
        self.module = __name__
        super().finalize(sender, **kwargs)


# Accounts and roles are in the audit log: who changed whose rights, and when. Password hashes
# and sign-in times are left out of the history.
register(
    get_user_model(),
    app="tracker",
    records_class=KernelHistory,
    excluded_fields=["password", "last_login"],
    m2m_fields=["groups", "user_permissions"],
)
register(Group, app="tracker", records_class=KernelHistory, m2m_fields=["permissions"])


class StaffAccess(models.Model):
    """Links a staff account to the bodies it reports for (focal points) or to its partner
    (partner reporters). What the account may see and edit follows from this and its role;
    the rules themselves live in ``tracker.core.access``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access", verbose_name=_("user")
    )
    bodies = models.ManyToManyField(
        "goals.Body",
        blank=True,
        related_name="staff",
        help_text=_("For a focal point: the bodies (offices, task forces, networks) it reports for."),
        verbose_name=_("bodies"),
    )
    partner = models.ForeignKey(
        "partners.Partner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        help_text=_("For a partner reporter: the partner it reports for."),
        verbose_name=_("partner"),
    )
    history = HistoricalRecords(m2m_fields=["bodies"])

    class Meta:
        verbose_name = _("staff access")
        verbose_name_plural = _("staff access")

    def __str__(self):
        return f"Access of {self.user}"

    def clean(self):
        super().clean()
        if self.partner_id and self.pk and self.bodies.exists():
            raise ValidationError(_("An account reports either for bodies or for a partner, not both."))


class DataVersion(models.Model):
    """One row whose token changes whenever public data changes, in the same transaction as the
    change: database triggers move it (``tracker.core.dataversion``), so every process, command, import,
    restore or fix typed into a database shell moves it alike. Caches are keyed by it."""

    token = models.CharField(max_length=64)

    class Meta:
        verbose_name_plural = _("data versions")
        verbose_name = _("data version")

    def __str__(self):
        return self.token
