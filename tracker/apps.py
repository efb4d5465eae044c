from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class TrackerConfig(AppConfig):
    """Site-wide pieces: the home page, health check and the plan-loading command."""

    name = "tracker"
    verbose_name = "Tracker"

    def ready(self):
        from tracker import signals  # noqa: F401  (connects the security log)
        from tracker.cache import connect_invalidation

        connect_invalidation()


class TrackerAdminConfig(admin_apps.AdminConfig):
    """The admin, with the tracker's own site (My deliverables) as the default site."""

    default = False

    default_site = "tracker.sites.TrackerAdminSite"
