"""Site-wide pages and files: About, the glossary, robots.txt and /favicon.ico."""

import functools

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.generic import TemplateView

from goals.progress import METHOD_VERSION
from tracker.site.dataset import LICENCE
from tracker.site.glossary import SECTIONS


class AboutView(TemplateView):
    """What the tracker is, who keeps it, how its figures are made, where its data come from,
    the licences, and how to send feedback."""

    template_name = "tracker/about.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            licence=LICENCE,
            method_version=METHOD_VERSION,
            code_licence=settings.SITE_CODE_LICENCE,
            source_url=settings.SITE_SOURCE_URL,
        )


class GlossaryView(TemplateView):
    template_name = "tracker/glossary.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, sections=SECTIONS)


def robots_txt(request):
    """Every public page may be crawled; the staff admin may not. Points to the sitemap."""
    lines = [
        "User-agent: *",
        "Allow: /",
        f"Disallow: {reverse('admin:index')}",
        "",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@functools.cache
def favicon_bytes():
    """The icon, read once per process from the static files' source."""
    with open(finders.find("img/favicon.ico"), "rb") as icon:
        return icon.read()


@cache_control(public=True, max_age=7 * 24 * 3600)
def favicon(request):
    """/favicon.ico, which browsers and crawlers ask for whatever the pages link to."""
    return HttpResponse(favicon_bytes(), content_type="image/x-icon")
