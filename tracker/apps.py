from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


def install_data_version_triggers(using, **kwargs):
    from tracker.dataversion import install_triggers

    install_triggers(using)


class TrackerConfig(AppConfig):
    """Site-wide pieces: the home page, health check and the plan-loading command."""

    name = "tracker"
    verbose_name = "Tracker"

    def ready(self):
        from tracker import signals  # noqa: F401  (connects the security log)

        # After every migrate, so the data version's triggers follow the tables (tracker.dataversion).
        post_migrate.connect(install_data_version_triggers, sender=self, dispatch_uid="data-version-triggers")


class TrackerAdminConfig(admin_apps.AdminConfig):
    """The admin, with the tracker's own site (My deliverables) as the default site."""

    default = False

    default_site = "tracker.sites.TrackerAdminSite"
