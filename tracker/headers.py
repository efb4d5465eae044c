"""Security headers on every response, error pages and static files included.

This middleware comes first, so whatever answers (a view, the page cache, the static files, the
error page for an exception in any middleware) leaves with these headers. The Content Security
Policy comes from django-csp, placed right after it for the same reason.
"""

from django.conf import settings


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
