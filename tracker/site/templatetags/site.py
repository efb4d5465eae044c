"""Pieces of every public page."""

from functools import cache

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

# (label, URL name, the page kinds it is the current section for)
MAIN_NAV = [
    ("Overview", "home", {"home", "plan-overview"}),
    ("Member states", "matrix-default", {"matrix", "matrix-default", "member-state-detail"}),
    ("Scorecard", "scorecard-default", {"scorecard", "scorecard-default"}),
    ("Explore", "explore-deliverables", {"explore-initiatives", "explore-deliverables", "explore-updates"}),
    ("Platforms", "platform-list", {"platform-list"}),
    ("Partners", "partner-list", {"partner-list"}),
    ("Open data", "data", {"data"}),
    ("Methodology", "methodology", {"methodology"}),
    ("Staff sign-in", "admin:index", set()),
]


@register.simple_tag
@cache
def main_nav(current):
    """The main navigation with the current section marked: the same for every page of a kind,
    so it is written once per kind of page for as long as the process runs."""
    items = format_html_join(
        "\n        ",
        '<li><a href="{}"{}>{}</a></li>',
        ((reverse(name), mark_safe(' aria-current="page"') if current in kinds else "", label)
         for label, name, kinds in MAIN_NAV),
    )  # fmt: skip
    return format_html('<nav aria-label="Main">\n      <ul>\n        {}\n      </ul>\n    </nav>', items)
