from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class SiteConfig(AppConfig):
    """The composition root: the URLs, the admin site, the data page and the commands that load
    or back up everything. Only this app knows every other app."""

    name = "tracker.site"
    label = "site"
    verbose_name = "Site"
    default_auto_field = "django.db.models.BigAutoField"
    # Its one table, the dataset releases, is public: a new release moves the data version.
    public_data = True

    def public_rows(self):
        return {}

    def ready(self):
        from goals.signals import round_published
        from tracker.site import checks  # noqa: F401  (registers the deploy checks)
        from tracker.site.releases import on_round_published

        round_published.connect(on_round_published, dispatch_uid="dataset-release")


class TrackerAdminConfig(admin_apps.AdminConfig):
    """The admin, with the tracker's own site (My deliverables) as the default site."""

    default = False

    default_site = "tracker.site.sites.TrackerAdminSite"
