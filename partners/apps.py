from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    """The development partners, their part in the plans and their cooperation programmes."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "partners"
    verbose_name = _("Partners")  # as the admin's section
    public_data = True  # every change moves the data version (tracker.core.dataversion)

    def public_rows(self):
        return {}

    def ready(self):
        # Imported here: the rules need the models, which are not loaded when this module is.
        from partners import filters
        from partners.access import PartnerRows
        from tracker.core import access

        access.register(PartnerRows())
        filters.add_to_explorer()
