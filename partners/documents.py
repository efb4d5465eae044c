"""A partner's TRIPS Article 67 report for one year as a print-ready PDF (``tracker.core.pdf``),
from the print template that shares its sections with the page, so both say the same."""

from tracker.core.pdf import pdf_response


def article_67_pdf(context, request, filename):
    return pdf_response("partners/article_67_print.html", context, request, filename)
