"""Query input that cannot be honoured answers 400 with the reason, never a quietly different
answer: an unknown plan, partner, round, format or filter value, a page number that is not a
number, or a NUL character anywhere in the query. Views raise ``BadQuery``;
``BadQueryMiddleware`` turns it into the response."""

from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class BadQuery(Exception):
    """A query string the view cannot answer; the message says why, for the visitor."""


def page_of(paginator, request):
    """The page the query asks for (``page``, the first if none): one that is not a number is a
    bad query, one past the end is not found, each with the reason."""
    number = request.GET.get("page") or 1
    try:
        return paginator.page(number)
    except PageNotAnInteger:
        raise BadQuery(
            _("The page must be a whole number, not %(number)s.") % {"number": repr(number)}
        ) from None
    except EmptyPage:
        pages = paginator.num_pages
        message = ngettext(
            "There is no page %(number)s of these results: they fill %(pages)s page.",
            "There is no page %(number)s of these results: they fill %(pages)s pages.",
            pages,
        )
        raise Http404(message % {"number": number, "pages": pages}) from None


def bad_query_response(request, message):
    """Plain text for a data file, an API call or a CSV download; otherwise a page."""
    if request.path.startswith(("/data/", "/api/")) or request.GET.get("format") == "csv":
        return HttpResponseBadRequest(message + "\n", content_type="text/plain; charset=utf-8")
    return HttpResponseBadRequest(render_to_string("400.html", {"message": message}, request=request))


class BadQueryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in key or "\x00" in value for key, values in request.GET.lists() for value in values):
            # Not text; PostgreSQL refuses it in a query, so it must not get that far.
            return bad_query_response(request, _("The address holds a NUL character, which is not text."))
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, BadQuery):
            return bad_query_response(request, str(exception))
        return None
