"""Public partner pages: who helps, how, and what they report under TRIPS Article 67."""

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from goals.models import Deliverable
from goals.selectors import by_plan
from partners import documents, exports
from partners.models import ContactPoint, CooperationProgramme, Involvement, Partner, ProgrammeReport
from partners.selectors import involvements_for
from tracker.core.exports import SPREADSHEET_FORMATS, file_name, requested_format


class PartnerListView(ListView):
    template_name = "partners/partner_list.html"
    context_object_name = "partners"

    def get(self, request, *args, **kwargs):
        wanted = requested_format(request)
        if wanted:
            return exports.partners.response(self.get_queryset(), format=wanted)
        return super().get(request, *args, **kwargs)

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
        joint = CooperationProgramme.objects.select_related("partner").prefetch_related("reports")
        return Partner.objects.prefetch_related(
            Prefetch("programmes", queryset=programmes),
            Prefetch("co_programmes", queryset=joint.order_by("name")),
            Prefetch("contact_points", queryset=ContactPoint.objects.filter(is_public=True)),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            groups=by_plan(involvements_for(partner=self.object), order=Involvement.Role.values),
            article_67_years=article_67_years(self.object),
        )


FIRST_REPORT_YEAR = 1995
# The report's downloads: its rows as spreadsheets, and the report as a PDF to print.
REPORT_FORMATS = (*SPREADSHEET_FORMATS, "pdf")  # TRIPS entered into force on 1 January 1995


class Article67ReportView(DetailView):
    """A partner's programmes active in one year, as its TRIPS Article 67 annual report needs them."""

    model = Partner
    template_name = "partners/article_67_report.html"

    def get(self, request, *args, **kwargs):
        wanted = requested_format(request, offered=REPORT_FORMATS)
        self.object = self.get_object()
        self.year = self.kwargs["year"]
        if not FIRST_REPORT_YEAR <= self.year <= timezone.localdate().year:
            raise Http404(
                _(
                    "There is no Article 67 report for %(year)s: reports run from %(first)s "
                    "(the TRIPS Agreement's first year) to this year."
                )
                % {"year": self.year, "first": FIRST_REPORT_YEAR}
            )
        runs_it = Q(partner=self.object) | Q(co_partners=self.object)
        programmes = list(
            exports.programme_queryset()
            .filter(runs_it, exports.active_in(self.year))
            .distinct()
            .order_by("name")
        )
        if wanted in SPREADSHEET_FORMATS:
            items = (exports.ReportLine(programme, self.object, self.year) for programme in programmes)
            return exports.article_67_report.response(items, self.object.slug, self.year, format=wanted)
        context = self.get_context_data(
            object=self.object,
            year=self.year,
            rows=[(p, p.report_of(self.object, self.year)) for p in programmes],
        )
        if wanted == "pdf":
            name = file_name("article_67_report", self.object.slug, self.year, extension="pdf")
            return documents.article_67_pdf(context, request, name)
        return self.render_to_response(context)


def article_67_years(partner):
    """The years with a report of this partner's filed under a programme it runs or takes part
    in (each year's page lists them), newest first; from the programmes as fetched for its page."""
    runs = [*partner.programmes.all(), *partner.co_programmes.all()]
    filed = {
        report.year
        for programme in runs
        for report in programme.reports.all()
        if programme.report_of(partner, report.year) is not None
    }
    return sorted(filed, reverse=True)
