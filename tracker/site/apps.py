from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class SiteConfig(AppConfig):
    """The composition root: the URLs, the admin site, the data page and the commands that load
    or back up everything. Only this app knows every other app."""

    name = "tracker.site"
    label = "site"
    verbose_name = "Site"

    def ready(self):
        from tracker.site import checks  # noqa: F401  (registers the deploy checks)


class TrackerAdminConfig(admin_apps.AdminConfig):
    """The admin, with the tracker's own site (My deliverables) as the default site."""

    default = False

    default_site = "tracker.site.sites.TrackerAdminSite"
