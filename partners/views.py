"""Public partner pages: who helps, how, and what they report under TRIPS Article 67."""

from django.db.models import Count, Prefetch
from django.views.generic import DetailView, ListView

from goals.models import Deliverable
from goals.views import involvements_for
from partners.models import ContactPoint, CooperationProgramme, Partner, ProgrammeReport


class PartnerListView(ListView):
    template_name = "partners/partner_list.html"
    context_object_name = "partners"

    def get_queryset(self):
        return Partner.objects.annotate(
            programme_count=Count("programmes", distinct=True),
            involvement_count=Count("involvements", distinct=True),
        ).order_by("name")


class PartnerDetailView(DetailView):
    model = Partner
    template_name = "partners/partner_detail.html"

    def get_queryset(self):
        programmes = CooperationProgramme.objects.prefetch_related(
            Prefetch("reports", queryset=ProgrammeReport.objects.order_by("-year")),
            "beneficiaries",
            "co_partners",
            Prefetch("deliverables", queryset=Deliverable.objects.select_related("initiative__plan")),
        ).order_by("start_year", "name")
        return Partner.objects.prefetch_related(
            Prefetch("programmes", queryset=programmes),
            Prefetch("co_programmes", queryset=CooperationProgramme.objects.select_related("partner")),
            Prefetch("contact_points", queryset=ContactPoint.objects.filter(is_public=True)),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            involvements=involvements_for(partner=self.object).order_by("-start_year", "role"),
        )
