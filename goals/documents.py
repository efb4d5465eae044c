"""The meeting pack as print-ready documents: a PDF (``tracker.core.pdf``, from the print
template that shares its sections with the page) and a Word document the secretariat can edit
before the meeting.

Both take the page's own context (``MeetingPackView``), so every figure is the one the page
shows, written by the same filters. The Word document holds the cover, the overview, one
heading and table per goal with its initiatives and deliverables, the numbers behind the
page's charts as tables (the drawings themselves are in the PDF only), the changes since the
previous round and the missing reports; every table's header row repeats on each page it runs
on to, and all of it is editable text.
"""

import io

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from goals.progress import COUNTED, METHOD_VERSION, STATUS_LABELS
from goals.templatetags.progress import (
    coverage,
    delivered,
    duration,
    percent,
    round_dates,
    status_label,
)
from tracker.core.pdf import pdf_response

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FIGURE_HEADERS = (
    gettext_lazy("Part of the plan"),
    gettext_lazy("Percent delivered"),
    gettext_lazy("Coverage"),
    gettext_lazy("Status"),
    gettext_lazy("Schedule"),
)


def meeting_pack_pdf(context, request, filename):
    return pdf_response("goals/meeting_pack_print.html", context, request, filename)


def meeting_pack_docx(context, filename, *, sample_data=False):
    document = meeting_pack_document(context, sample_data=sample_data)
    stream = io.BytesIO()
    document.save(stream)
    response = HttpResponse(stream.getvalue(), content_type=DOCX_MEDIA_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def schedule_text(figure):
    """The schedule column as the page writes it."""
    if figure.overdue_days:
        return _("%(label)s by %(duration)s") % {
            "label": figure.schedule_label,
            "duration": duration(figure.overdue_days),
        }
    return figure.schedule_label


def counts_text(figure):
    items = [
        f"{figure.counts[name]} {STATUS_LABELS[name].lower()}" for name in COUNTED if figure.counts[name]
    ]
    return ", ".join(items) or _("nothing recorded")


def figure_cells(row):
    figure = row.figure
    return (row.item, delivered(figure), coverage(figure), status_label(figure.status), schedule_text(figure))


def repeat_header(row):
    """Mark a table row as its header, repeated at the top of each page the table runs on to."""
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def add_table(document, headers, rows, *, bold_sections=()):
    """A table with a repeating header row; ``rows`` are (cells, section) pairs."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    header = table.rows[0]
    repeat_header(header)
    for cell, text in zip(header.cells, headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(str(text)).bold = True
    for cells, section in rows:
        added = table.add_row().cells
        for cell, text in zip(added, cells, strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run(str(text))
            run.bold = section in bold_sections
    return table


def page_number_footer(section):
    """ "Page X of Y" in the footer, as fields Word fills in."""
    paragraph = section.footer.paragraphs[0]
    paragraph.text = ""
    # "Page {page} of {pages}": the words around the two fields, in the document's language.
    before, _page, between, _pages, after = _("Page {page} of {pages}").replace("{", "}").split("}")
    for text, field in ((before, "PAGE"), (between, "NUMPAGES")):
        paragraph.add_run(text)
        simple = OxmlElement("w:fldSimple")
        simple.set(qn("w:instr"), field)
        run = OxmlElement("w:r")
        value = OxmlElement("w:t")
        value.text = "1"
        run.append(value)
        simple.append(run)
        paragraph._p.append(simple)
    if after:
        paragraph.add_run(after)


def goal_groups(parts):
    """The pack's figure rows split at each goal: the goal's row, then its initiatives and
    deliverables (the plan's own row stays with the overview)."""
    groups = []
    for row in parts:
        if row.section == "goal":
            groups.append([row])
        elif groups:
            groups[-1].append(row)
    return groups


def meeting_pack_document(context, *, sample_data=False):
    plan, reporting_round, progress = context["plan"], context["reporting_round"], context["progress"]
    previous, parts = context["previous"], context["parts"]
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(18)
    document.styles["Normal"].font.size = Pt(10)
    page_number_footer(section)
    document.core_properties.title = _("Meeting pack: %(name)s") % {"name": reporting_round.name}
    document.core_properties.author = _("ASEAN IPR Action Plan Tracker")

    document.add_paragraph(_("ASEAN IPR Action Plan Tracker"))
    document.add_heading(_("Meeting pack"), level=0)
    document.add_paragraph(reporting_round.name, style="Subtitle")
    document.add_paragraph(plan.title, style="Subtitle")
    document.add_paragraph(_("Reporting round %(dates)s.") % {"dates": round_dates(reporting_round)})
    if sample_data:
        document.add_paragraph(
            _("Sample data: the figures in this document are made up for demonstration, not real progress.")
        ).runs[0].bold = True
    document.add_paragraph(
        _(
            "Approved data only. Edit this document as the meeting needs; the published figures stay on "
            "the tracker's meeting pack page."
        )
    )
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    document.add_heading(_("Overview"), level=1)
    figure = progress.figure
    document.add_paragraph(
        _("%(title)s: %(percent)s delivered; %(coverage)s. Schedule: %(schedule)s. %(counts)s.")
        % {
            "title": plan.title,
            "percent": percent(figure.percent),
            "coverage": coverage(figure),
            "schedule": schedule_text(figure),
            "counts": counts_text(figure),
        }
    )
    if progress.method_version != METHOD_VERSION:
        document.add_paragraph(
            _(
                "These figures were published with version %(version)s of the progress method, "
                "before unreported work counted as 0 %% delivered."
            )
            % {"version": progress.method_version}
        )
    add_table(
        document,
        FIGURE_HEADERS,
        [(figure_cells(row), row.section) for row in parts if row.section in ("plan", "goal")],
        bold_sections=("plan",),
    )

    for group in goal_groups(parts):
        document.add_heading(group[0].item, level=2)
        add_table(
            document,
            FIGURE_HEADERS,
            [(figure_cells(row), row.section) for row in group],
            bold_sections=("goal", "initiative"),
        )

    charts = [chart for chart in context.get("charts", {}).values() if chart.drawn]
    if charts:
        document.add_heading(_("The numbers behind the charts"), level=1)
        for chart in charts:
            document.add_heading(chart.title, level=2)
            add_table(document, chart.headers, [((label, value), "") for label, value in chart.rows])

    if previous:
        document.add_heading(_("Changes since %(name)s") % {"name": previous.name}, level=1)
    else:
        document.add_heading(_("Changes since the start"), level=1)
    if context["changes"]:
        rows = []
        for change in context["changes"]:
            before = (
                f"{percent(change.before.percent)}, {status_label(change.before.status).lower()}"
                if change.before
                else "–"
            )
            after = f"{percent(change.after.percent)}, {status_label(change.after.status).lower()}"
            rows.append(((f"{change.deliverable.code} {change.deliverable.title}", before, after), ""))
        add_table(document, (_("Deliverable"), _("Before"), _("Now")), rows)
    else:
        document.add_paragraph(_("Nothing moved."))

    document.add_heading(_("Missing reports"), level=1)
    if context["missing"]:
        rows = [
            (
                (
                    str(item.body),
                    f"{item.deliverable.code} {item.deliverable.title}",
                    str(item.member_state) if item.member_state else "",
                ),
                "",
            )
            for item in context["missing"]
        ]
        add_table(document, (_("Body"), _("Deliverable"), _("Member state")), rows)
    else:
        document.add_paragraph(_("Every body reported."))
    return document
