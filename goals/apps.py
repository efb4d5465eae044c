from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    """The plans, their parts and the progress reported on them."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "goals"
    verbose_name = _("The plan and progress reporting")  # the admin's two sections for it
    # Every change to this app's tables is public data: it moves the data version
    # (tracker.core.dataversion), except progress and indicator values that are not approved.
    public_data = True

    def public_rows(self):
        """{table: SQL condition on a row} for tables whose rows are public only in some states."""
        approved = self.get_model("ProgressUpdate").ReviewState.APPROVED.value
        return {
            self.get_model(name)._meta.db_table: f"review_state = '{approved}'"
            for name in ("ProgressUpdate", "IndicatorValue")
        }

    def ready(self):
        # Imported here: these modules need the models, which are not loaded when this one is.
        from goals.access import IndicatorValueRows, ProgressRows
        from goals.sample import sample_data_loaded
        from tracker.core import access, exports

        access.register(ProgressRows())
        access.register(IndicatorValueRows())
        exports.mark_file_names("SAMPLE-DATA", sample_data_loaded)
