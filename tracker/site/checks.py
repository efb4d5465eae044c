"""``manage.py check --deploy`` warns when the site would go public still saying it lives on a
local address or still giving the placeholder contact address."""

from django.conf import settings
from django.core.checks import Warning, register


@register("tracker", deploy=True)
def public_identity(app_configs, **kwargs):
    warnings = []
    if settings.SITE_URL == settings.LOCAL_SITE_URL:
        warnings.append(
            Warning(
                f"SITE_URL is still the local address {settings.LOCAL_SITE_URL}.",
                hint="Set SITE_URL to the site's public address: feeds, the sitemap, share previews, "
                "embed codes and e-mails link to it.",
                id="tracker.W001",
            )
        )
    if settings.SITE_CONTACT_EMAIL == settings.PLACEHOLDER_CONTACT_EMAIL:
        warnings.append(
            Warning(
                f"SITE_CONTACT_EMAIL is still the placeholder {settings.PLACEHOLDER_CONTACT_EMAIL}.",
                hint="Set SITE_CONTACT_EMAIL to the address where the publisher reads feedback and "
                "corrections; every page shows it.",
                id="tracker.W002",
            )
        )
    return warnings
