from django.apps import AppConfig


class TrackerConfig(AppConfig):
    """Site-wide pieces: the home page, health check and the plan-loading command."""

    name = "tracker"
    verbose_name = "Tracker"
