"""CSV exports of partners, their involvement and their cooperation programmes."""

from typing import NamedTuple

from django.db.models import Count, Prefetch

from goals.models import Deliverable
from partners.models import CooperationProgramme, Involvement, Partner, ProgrammeReport
from tracker.core.exports import BOOLEAN, DATE, INTEGER, NUMBER, STRING, Export, col, register

PARTNER_QUALIFIER = {"partner": lambda slug: Partner.objects.filter(slug=slug).first()}


def _for_partner(queryset, params, path="partner"):
    return queryset.filter(**{path: params["partner"]}) if "partner" in params else queryset


partners = register(
    Export(
        "partners",
        "Partners",
        "Dialogue-partner IP offices, international organisations and associations working with ASEAN.",
        [
            col("partner", STRING, "Partner identifier.", lambda p: p.slug),
            col("name", STRING, "Full name.", lambda p: p.name),
            col("acronym", STRING, "Acronym.", lambda p: p.acronym),
            col(
                "kind",
                STRING,
                "ip_office, intergovernmental, private_sector or development_agency.",
                lambda p: p.kind,
            ),
            col(
                "country",
                STRING,
                "Country or union it serves; empty for international bodies.",
                lambda p: p.country,
            ),
            col(
                "former_names",
                STRING,
                "Earlier names, separated by semicolons.",
                lambda p: "; ".join(p.former_name_list),
            ),
            col(
                "reports_under_article_67",
                BOOLEAN,
                "True when it serves a WTO Member filing TRIPS Article 67 reports.",
                lambda p: p.reports_under_article_67,
            ),
            col("programme_count", INTEGER, "Cooperation programmes it leads.", lambda p: p.programme_count),
            col(
                "involvement_count",
                INTEGER,
                "Involvements in initiatives and deliverables.",
                lambda p: p.involvement_count,
            ),
            col("website", STRING, "Website.", lambda p: p.website),
            col("source_url", STRING, "Where the record's facts come from.", lambda p: p.source_url),
        ],
        items=lambda params: _for_partner(
            Partner.objects.annotate(
                programme_count=Count("programmes", distinct=True),
                involvement_count=Count("involvements", distinct=True),
            ),
            params,
            "pk",
        ).order_by("name"),
        qualifiers=PARTNER_QUALIFIER,
    )
)

involvements = register(
    Export(
        "involvements",
        "Involvements",
        "Which partner takes which role on which initiative or deliverable.",
        [
            col("partner", STRING, "Partner identifier.", lambda i: i.partner.slug),
            col(
                "role",
                STRING,
                "funding, accountable, extending, implementing or technical_assistance.",
                lambda i: i.role,
            ),
            col(
                "plan",
                STRING,
                "Plan identifier.",
                lambda i: (i.deliverable.initiative.plan if i.deliverable_id else i.initiative.plan).slug,
            ),
            col(
                "initiative_number",
                INTEGER,
                "Initiative number.",
                lambda i: i.deliverable.initiative.number if i.deliverable_id else i.initiative.number,
            ),
            col(
                "deliverable_code",
                STRING,
                "Deliverable code; empty when the involvement is in a whole initiative.",
                lambda i: i.deliverable.code if i.deliverable_id else None,
            ),
            col("start_year", INTEGER, "First year.", lambda i: i.start_year),
            col("end_year", INTEGER, "Last year.", lambda i: i.end_year),
            col("description", STRING, "What the partner does.", lambda i: i.description),
            col("source_url", STRING, "Source.", lambda i: i.source_url),
        ],
        items=lambda params: _for_partner(
            Involvement.objects.select_related(
                "partner", "initiative__plan", "deliverable__initiative__plan"
            ),
            params,
        ).order_by("partner__name", "pk"),
        qualifiers=PARTNER_QUALIFIER,
    )
)


def programme_queryset():
    return CooperationProgramme.objects.select_related("partner").prefetch_related(
        "beneficiaries",
        "co_partners",
        Prefetch(
            "deliverables",
            queryset=Deliverable.objects.select_related("initiative__plan").order_by("sort_key"),
        ),
        Prefetch("reports", queryset=ProgrammeReport.objects.order_by("year")),
    )


programmes = register(
    Export(
        "cooperation_programmes",
        "Cooperation programmes",
        "Partners' technical-cooperation programmes, with their TRIPS Article 67 categories and WTO report symbols.",
        [
            col("programme", STRING, "Programme identifier.", lambda p: p.slug),
            col("name", STRING, "Name.", lambda p: p.name),
            col("acronym", STRING, "Acronym.", lambda p: p.acronym),
            col("partner", STRING, "Lead partner identifier.", lambda p: p.partner.slug),
            col(
                "co_partners",
                STRING,
                "Other partners, separated by semicolons.",
                lambda p: "; ".join(c.slug for c in p.co_partners.all()),
            ),
            col("funder", STRING, "Who pays, when not the partner itself.", lambda p: p.funder),
            col("start_year", INTEGER, "First year.", lambda p: p.start_year),
            col("end_year", INTEGER, "Last year; empty while running.", lambda p: p.end_year),
            col("budget", NUMBER, "Budget where public.", lambda p: p.budget),
            col("currency", STRING, "ISO 4217 currency of the budget.", lambda p: p.currency),
            col(
                "article_67_categories",
                STRING,
                "TRIPS Article 67 categories served, separated by semicolons.",
                lambda p: "; ".join(p.article_67_categories),
            ),
            col(
                "beneficiaries",
                STRING,
                "ISO codes of the member states it benefits, separated by semicolons.",
                lambda p: "; ".join(s.iso_code for s in p.beneficiaries.all()),
            ),
            col(
                "deliverables",
                STRING,
                "Plan deliverables it supports, as plan:code, separated by semicolons.",
                lambda p: "; ".join(f"{d.initiative.plan.slug}:{d.code}" for d in p.deliverables.all()),
            ),
            col(
                "wto_document_symbols",
                STRING,
                "Its yearly Article 67 reports, as year symbol, separated by semicolons.",
                lambda p: "; ".join(
                    f"{r.year} {r.document_symbol or '(symbol not known)'}" for r in p.reports.all()
                ),
            ),
            col(
                "provisional",
                BOOLEAN,
                "True when part of the record is not confirmed.",
                lambda p: p.provisional,
            ),
            col("provisional_note", STRING, "What is known and what is not.", lambda p: p.provisional_note),
            col("source_url", STRING, "Source.", lambda p: p.source_url),
        ],
        items=lambda params: _for_partner(programme_queryset(), params).order_by(
            "partner__name", "start_year", "name"
        ),
        qualifiers=PARTNER_QUALIFIER,
    )
)

programme_reports = register(
    Export(
        "article_67_reports",
        "TRIPS Article 67 reports",
        "Yearly reports to the WTO TRIPS Council filed under the programmes, with their document symbols.",
        [
            col("programme", STRING, "Programme identifier.", lambda r: r.programme.slug),
            col("partner", STRING, "Partner identifier.", lambda r: r.programme.partner.slug),
            col("year", INTEGER, "Report year.", lambda r: r.year),
            col(
                "wto_document_symbol",
                STRING,
                "IP/C/W/… until 2019, IP/C/R/TC/<Member>/<n> from 2020.",
                lambda r: r.document_symbol,
            ),
            col("reporting_member", STRING, "WTO Member that filed it.", lambda r: r.reporting_member),
            col("reported_on", DATE, "Date of the report, where known.", lambda r: r.reported_on),
            col("summary", STRING, "What it covers.", lambda r: r.summary),
            col("source_url", STRING, "Source.", lambda r: r.source_url),
        ],
        items=lambda params: _for_partner(
            ProgrammeReport.objects.select_related("programme__partner"), params, "programme__partner"
        ).order_by("programme__name", "year"),
        qualifiers=PARTNER_QUALIFIER,
    )
)


class ReportLine(NamedTuple):
    programme: object
    partner: object  # whose report it is
    year: int


def active_in(year):
    """Programmes running at some point in ``year`` (an open end means still running)."""
    from django.db.models import Q

    return (Q(start_year__lte=year) | Q(start_year__isnull=True)) & (
        Q(end_year__gte=year) | Q(end_year__isnull=True)
    )


# Per partner and year, so not part of the site-wide dataset.
article_67_report = Export(
    "article_67_report",
    "TRIPS Article 67 annual report",
    "A partner's cooperation programmes active in a year, laid out for its TRIPS Article 67 report.",
    [
        col("year", INTEGER, "Report year.", lambda r: r.year),
        col("partner", STRING, "Partner identifier.", lambda r: r.partner.slug),
        col("programme", STRING, "Programme name.", lambda r: r.programme.name),
        col("start_year", INTEGER, "First year.", lambda r: r.programme.start_year),
        col("end_year", INTEGER, "Last year; empty while running.", lambda r: r.programme.end_year),
        col(
            "article_67_categories",
            STRING,
            "Categories served, separated by semicolons.",
            lambda r: "; ".join(r.programme.article_67_categories),
        ),
        col(
            "beneficiaries",
            STRING,
            "Member states it benefits (ISO codes), separated by semicolons.",
            lambda r: "; ".join(s.iso_code for s in r.programme.beneficiaries.all()),
        ),
        col(
            "deliverables",
            STRING,
            "Plan deliverables it supports, as plan:code, separated by semicolons.",
            lambda r: "; ".join(f"{d.initiative.plan.slug}:{d.code}" for d in r.programme.deliverables.all()),
        ),
        col(
            "wto_document_symbol",
            STRING,
            "Symbol of that year's report filed under the programme, if known.",
            lambda r: getattr(r.programme.report_of(r.partner, r.year), "document_symbol", None),
        ),
        col("budget", NUMBER, "Budget where public.", lambda r: r.programme.budget),
        col("currency", STRING, "Currency of the budget.", lambda r: r.programme.currency),
    ],
)
