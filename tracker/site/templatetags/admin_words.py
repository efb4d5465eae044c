"""The admin's pages in the tracker's own words: a model's section and name as the home page
gives them (``tracker.site.sites.SECTIONS``), for titles and breadcrumbs."""

from django import template
from django.utils.text import capfirst

register = template.Library()


def _placed(opts):
    from tracker.site.sites import SECTIONS

    for section, entries in SECTIONS:
        for label, model_name, shown_as in entries:
            if (label, model_name) == (opts.app_label, opts.object_name):
                return section, shown_as
    return None


@register.simple_tag
def admin_section(opts):
    """The section a model is listed under ("People and security"), else its app's name."""
    placed = _placed(opts)
    return placed[0] if placed else opts.app_config.verbose_name


@register.simple_tag
def admin_plural(opts):
    """What the section calls a model, short: "Sign-in lockouts"; "Indicators" for
    "Indicators, their baselines and targets"; "Dataset releases" for "Dataset releases (citable)"."""
    placed = _placed(opts)
    if placed is None:
        return capfirst(opts.verbose_name_plural)
    return placed[1].split(" (")[0].split(", ")[0]
