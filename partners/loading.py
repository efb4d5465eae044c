"""Load partners, their involvement, programmes and Article 67 reports from ``partners/data/``."""

from pathlib import Path

from goals.loading import target_of
from partners.models import CooperationProgramme, Involvement, Partner, ProgrammeReport
from tracker.core.loading import DataFileError, lookup, read_rows, sync, sync_many

DATA_DIR = Path(__file__).resolve().parent / "data"


def load_partners(data_dir, index, partners, report):
    columns = [
        "slug",
        "name",
        "acronym",
        "kind",
        "country",
        "website",
        "former_names",
        "reports_under_article_67",
    ]
    for row in read_rows(data_dir / "partners.csv", columns):
        partner = sync(
            Partner,
            {"slug": row.required("slug")},
            {
                "name": row.required("name"),
                "acronym": row.text("acronym"),
                "kind": row.required("kind"),
                "country": row.text("country"),
                "website": row.text("website"),
                "former_names": "\n".join(row.items_of("former_names")),
                "reports_under_article_67": row.flag("reports_under_article_67"),
                "description": row.text("description"),
                "source_url": row.text("source_url"),
            },
            report=report,
            where=row.where,
        )
        partners[partner.slug] = partner


def load_involvements(data_dir, index, partners, report):
    columns = ["partner", "plan", "initiative", "deliverable", "role", "start_year", "end_year"]
    for row in read_rows(data_dir / "involvements.csv", columns):
        partner = lookup(partners, row.required("partner"), row.where, "partner")
        initiative, deliverable = target_of(row, index)
        sync(
            Involvement,
            {
                "partner": partner,
                "initiative": initiative,
                "deliverable": deliverable,
                "role": row.required("role"),
            },
            {
                "start_year": row.integer("start_year"),
                "end_year": row.integer("end_year"),
                "description": row.text("description"),
                "source_url": row.text("source_url"),
            },
            report=report,
            where=row.where,
        )


def load_programmes(data_dir, index, partners, report):
    columns = [
        "slug", "partner", "co_partners", "name", "acronym", "funder", "start_year", "end_year",
        "budget", "currency", "law_drafting", "enforcement", "offices", "training",
        "beneficiaries", "deliverables",
    ]  # fmt: skip
    programmes = {}
    for row in read_rows(data_dir / "programmes.csv", columns):
        programme = sync(
            CooperationProgramme,
            {"slug": row.required("slug")},
            {
                "partner_id": lookup(partners, row.required("partner"), row.where, "partner").pk,
                "name": row.required("name"),
                "acronym": row.text("acronym"),
                "funder": row.text("funder"),
                "start_year": row.integer("start_year"),
                "end_year": row.integer("end_year"),
                "budget": row.decimal("budget"),
                "currency": row.text("currency"),
                "serves_law_drafting": row.flag("law_drafting"),
                "serves_enforcement": row.flag("enforcement"),
                "serves_offices": row.flag("offices"),
                "serves_training": row.flag("training"),
                "description": row.text("description"),
                "website": row.text("website"),
                "source_url": row.text("source_url"),
                "provisional": row.flag("provisional"),
                "provisional_note": row.text("provisional_note"),
            },
            report=report,
            where=row.where,
        )
        co_partners = [
            lookup(partners, slug, row.where, "co-partner") for slug in row.items_of("co_partners")
        ]
        states = [
            lookup(index.member_states, iso, row.where, "member state")
            for iso in row.items_of("beneficiaries")
        ]
        sync_many(programme, "co_partners", co_partners, report=report)
        sync_many(programme, "beneficiaries", states, report=report)
        sync_many(programme, "deliverables", deliverables_of(row, index), report=report)
        programmes[programme.slug] = programme
    return programmes


def deliverables_of(row, index):
    """Deliverables listed as ``plan:code`` separated by semicolons."""
    found = []
    for item in row.items_of("deliverables"):
        plan, _, code = item.partition(":")
        if not code:
            raise DataFileError(row.where, f"write deliverables as plan:code, not {item!r}")
        found.append(index.deliverable(plan, code, row.where))
    return found


def load_reports(data_dir, programmes, report):
    columns = ["programme", "year", "document_symbol", "reporting_member", "reported_on", "summary"]
    for row in read_rows(data_dir / "programme_reports.csv", columns):
        sync(
            ProgrammeReport,
            {
                "programme": lookup(programmes, row.required("programme"), row.where, "programme"),
                "year": row.integer("year"),
                # A programme run by two Members (AANZFTA) has a report from each in a year.
                "reporting_member": row.required("reporting_member"),
            },
            {
                "document_symbol": row.text("document_symbol"),
                "reported_on": row.date("reported_on"),
                "summary": row.text("summary"),
                "source_url": row.text("source_url"),
            },
            report=report,
            where=row.where,
        )


def load(report, index, data_dir=DATA_DIR):
    partners = {}
    load_partners(data_dir, index, partners, report)
    load_involvements(data_dir, index, partners, report)
    programmes = load_programmes(data_dir, index, partners, report)
    load_reports(data_dir, programmes, report)
