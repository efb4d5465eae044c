"""Query input that cannot be honoured answers 400 with the reason, never a quietly different
answer: an unknown plan, partner, round, format or filter value, or a page number that is not
a number. Views raise ``BadQuery``; ``BadQueryMiddleware`` turns it into the response."""

from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string


class BadQuery(Exception):
    """A query string the view cannot answer; the message says why, for the visitor."""


def bad_query_response(request, message):
    """Plain text for a data file, an API call or a CSV download; otherwise a page."""
    if request.path.startswith(("/data/", "/api/")) or request.GET.get("format") == "csv":
        return HttpResponseBadRequest(message + "\n", content_type="text/plain; charset=utf-8")
    return HttpResponseBadRequest(render_to_string("400.html", {"message": message}, request=request))


class BadQueryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, BadQuery):
            return bad_query_response(request, str(exception))
        return None
