"""Security headers on every response, error pages and static files included; and a limit on
the size of what a request may send.

This middleware comes first, so whatever answers (a view, the page cache, the static files, the
error page for an exception in any middleware) leaves with these headers. The Content Security
Policy comes from django-csp, placed right after it for the same reason.
"""

from csp.decorators import csp_replace
from django.conf import settings
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.views.decorators.clickjacking import xframe_options_exempt


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.headers = {
            # The site uses none of these browser features; no page or embedded script may.
            "Permissions-Policy": settings.PERMISSIONS_POLICY,
            # Only this site may embed its files (evidence, data, images) in its pages.
            "Cross-Origin-Resource-Policy": settings.CROSS_ORIGIN_RESOURCE_POLICY,
        }

    def __call__(self, request):
        response = self.get_response(request)
        for name, value in self.headers.items():
            response.headers.setdefault(name, value)
        return response


class RequestSizeLimitMiddleware:
    """Answers 413 to a request that says it sends more than ``REQUEST_MAX_BYTES``, before any
    of it is read (a 200 MB upload is otherwise received in full before the evidence rule
    refuses it). A body sent without a length is cut at the limit by the proxy in front (the
    README's deployment guide sets the same limit there)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse("The request's Content-Length is not a number.", status=400,
                                content_type="text/plain; charset=utf-8")  # fmt: skip
        limit = settings.REQUEST_MAX_BYTES
        if length > limit:
            message = (
                f"The request is too large: {filesizeformat(length)}; at most {filesizeformat(limit)} "
                "can be sent (evidence files at most "
                f"{filesizeformat(settings.EVIDENCE_MAX_BYTES)})."
            )
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def frameable_anywhere(view):
    """Let any site show ``view``'s answers in a frame (an embeddable card): no X-Frame-Options
    and ``frame-ancestors *`` in its Content Security Policy, which otherwise stays as strict as
    everywhere else. Every other page keeps ``frame-ancestors 'none'`` and ``X-Frame-Options:
    DENY``, so no other page can be framed (clickjacking). The page cache keeps the choice
    (``tracker.core.cache.HEADER_CHOICES``)."""
    return xframe_options_exempt(csp_replace({"frame-ancestors": ["*"]})(view))
