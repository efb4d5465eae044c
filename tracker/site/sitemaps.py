"""sitemap.xml: every public page, for search engines. Addresses are built on ``SITE_URL``.

Every page is listed in each language of the interface (``settings.LANGUAGES``): English at its
address without a prefix, the others under ``/id/`` and ``/vi/``, each with the page in every
language as an ``<xhtml:link rel="alternate" hreflang>`` and English as ``x-default``, as the
pages' own ``<link rel="alternate">`` say. Django's sitemap framework builds them: it reverses each
address with the language active, and ``i18n_patterns`` (``tracker.site.urls``) prefixes it."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Count, Q
from django.urls import reverse

from goals.models import (
    ActionPlan,
    Body,
    Deliverable,
    Indicator,
    Initiative,
    MemberState,
    ReportingRound,
    StrategicGoal,
)
from partners.models import Partner
from tracker.site.models import DatasetRelease


class OnSiteUrl(Sitemap):
    """Addresses on the site's own address, whatever host the sitemap was asked on, in every
    language, each with its alternates."""

    i18n = True
    alternates = True
    x_default = True

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class Pages(OnSiteUrl):
    """The pages that are not one record's."""

    changefreq = "weekly"

    def items(self):
        return [
            "home",
            "matrix-default",
            "platform-list",
            "partner-list",
            "explore-initiatives",
            "explore-deliverables",
            "explore-updates",
            "data",
            "release-list",
            "methodology",
            "about",
            "glossary",
        ]

    def location(self, item):
        return reverse(item)


class Records(OnSiteUrl):
    """The pages of one model's records (its ``get_absolute_url``), the related rows each address
    needs fetched with them: one query (a list, so the paginator does not count them apart)."""

    queryset = None

    def items(self):
        return list(self.queryset.order_by("pk"))


class Plans(Records):
    queryset = ActionPlan.objects.all()


class PlanMatrices(Records):
    """Each plan's member-state matrix."""

    queryset = ActionPlan.objects.all()

    def location(self, plan):
        return reverse("matrix", kwargs={"plan": plan.slug})


class PlanScorecards(Records):
    """Each plan's member-state scorecard."""

    queryset = ActionPlan.objects.all()

    def location(self, plan):
        return reverse("scorecard", kwargs={"plan": plan.slug})


class PlanComparisons(Records):
    """Each plan's comparison of its last two published rounds, once it has two."""

    queryset = ActionPlan.objects.annotate(
        published=Count("rounds", filter=Q(rounds__state=ReportingRound.State.PUBLISHED))
    ).filter(published__gte=2)

    def location(self, plan):
        return reverse("compare", kwargs={"plan": plan.slug})


class PlanLineages(Records):
    """Each plan's lineage page (where its items went, where they came from)."""

    queryset = ActionPlan.objects.all()

    def location(self, plan):
        return reverse("plan-lineage", kwargs={"plan": plan.slug})


class PlanIndicatorLists(Records):
    """Each plan's list of indicators."""

    queryset = ActionPlan.objects.all()

    def location(self, plan):
        return reverse("indicator-list", kwargs={"plan": plan.slug})


class Indicators(Records):
    queryset = Indicator.objects.select_related("plan")


class Goals(Records):
    queryset = StrategicGoal.objects.select_related("plan")


class Initiatives(Records):
    queryset = Initiative.objects.select_related("plan")


class Deliverables(Records):
    queryset = Deliverable.objects.select_related("initiative__plan")


class MemberStates(Records):
    queryset = MemberState.objects.all()


class Bodies(Records):
    queryset = Body.objects.all()


class Partners(Records):
    queryset = Partner.objects.all()


class Releases(Records):
    queryset = DatasetRelease.objects.select_related("round__plan")


SITEMAPS = {
    "pages": Pages,
    "plans": Plans,
    "matrices": PlanMatrices,
    "scorecards": PlanScorecards,
    "comparisons": PlanComparisons,
    "lineage": PlanLineages,
    "indicator-lists": PlanIndicatorLists,
    "indicators": Indicators,
    "goals": Goals,
    "initiatives": Initiatives,
    "deliverables": Deliverables,
    "member-states": MemberStates,
    "bodies": Bodies,
    "partners": Partners,
    "releases": Releases,
}
