from django.apps import AppConfig


class GoalsConfig(AppConfig):
    """The plans, their parts and the progress reported on them."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "goals"
    # Every change to this app's tables is public data: it moves the data version
    # (tracker.core.dataversion), except progress that is not approved.
    public_data = True

    def public_rows(self):
        """{table: SQL condition on a row} for tables whose rows are public only in some states."""
        ProgressUpdate = self.get_model("ProgressUpdate")
        approved = ProgressUpdate.ReviewState.APPROVED.value
        return {ProgressUpdate._meta.db_table: f"review_state = '{approved}'"}

    def ready(self):
        # Imported here: these modules need the models, which are not loaded when this one is.
        from goals.access import ProgressRows
        from goals.sample import sample_data_loaded
        from tracker.core import access, exports

        access.register(ProgressRows())
        exports.mark_file_names("SAMPLE-DATA", sample_data_loaded)
