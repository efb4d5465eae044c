"""Print-ready PDF documents: a template rendered to A4 with WeasyPrint.

A document is an HTML template of its own (extending ``documents/base.html``: a cover, then the
body) laid out by ``static/css/document.css``: A4 pages, "Page X of Y" in the footer, table
headers repeated on every page a table continues to, charts drawn as inline SVG, so they stay
vectors. WeasyPrint fetches nothing from the network: the only files it may read are the
project's static files, found as ``collectstatic`` and the development server would find them;
any other address (a web address, a file path, an uploaded file) is refused.
"""

from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

MEDIA_TYPE = "application/pdf"
# The address the document's relative links are read against: only static files resolve.
BASE_URL = "https://document.invalid/"


class RefusedFetch(ValueError):
    """WeasyPrint asked for something other than one of the project's static files."""


def static_path(url):
    """The file behind a static address such as ``https://document.invalid/static/css/document.css``,
    or None when the address is anything else."""
    parts = urlsplit(url)
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or not parts.path.startswith(prefix):
        return None
    name = unquote(parts.path.removeprefix(prefix))
    if not name or ".." in name.split("/"):
        return None
    return finders.find(name)


class StaticFilesOnly(URLFetcher):
    """WeasyPrint's fetcher: a static file's bytes, any other address refused (the refusal is
    logged by WeasyPrint and the resource left out), so nothing leaves the machine."""

    def fetch(self, url, headers=None):
        path = static_path(url)
        if path is None:
            raise RefusedFetch(f"A document may only use the project's static files, not {url!r}.")
        with open(path, "rb") as file:
            content = file.read()
        kind = "text/css" if path.endswith(".css") else "image/svg+xml" if path.endswith(".svg") else ""
        return URLFetcherResponse(url, content, {"Content-Type": kind} if kind else None)


def render_pdf(template_name, context, request):
    """The template, rendered with ``context`` as a page would be, as the bytes of a PDF."""
    html = render_to_string(template_name, context, request=request)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly()).write_pdf()


def pdf_response(template_name, context, request, filename):
    """The document as a download named ``filename``."""
    response = HttpResponse(render_pdf(template_name, context, request), content_type=MEDIA_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
