from django.apps import AppConfig
from django.db.models.signals import post_migrate


def person_name(user):
    """A staff account as people see it everywhere (lists, review pages, e-mails): the person's
    name, else the username."""
    return user.get_full_name() or user.get_username()


def install_data_version_triggers(using, **kwargs):
    # Imported here because an AppConfig module is imported before any model can be.
    from tracker.core.dataversion import install_triggers

    install_triggers(using)


class TrackerConfig(AppConfig):
    """The kernel every app builds on: staff access and roles, the write rule, the data version
    and cache, CSV exports and loading, sign-in. It imports no app of the project. The label
    stays "tracker", so its tables and migrations keep their names."""

    name = "tracker.core"
    label = "tracker"
    verbose_name = "Tracker"

    def ready(self):
        from django.contrib.auth import get_user_model

        from tracker.core import signals  # noqa: F401  (connects the security log)

        # Django's user model names accounts by username; the tracker's people by their names.
        get_user_model().__str__ = person_name

        # After every migrate, so the data version's triggers follow the tables (tracker.core.dataversion).
        post_migrate.connect(install_data_version_triggers, sender=self, dispatch_uid="data-version-triggers")
