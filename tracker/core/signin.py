"""Sign-in throttling that fits a real deployment (django-axes, configured in settings).

Failures are counted per username (guessing one account's password) and per client address
(trying one password on many accounts) separately, each against its own limit. The client
address is the connecting address, or, only when ``BEHIND_PROXY`` is set, the one the trusted
proxies put in ``X-Forwarded-For``: counted from the right, where each proxy appends the
address it received the request from, so an address a client writes into the header itself is
never taken. Locking out one client behind the proxy leaves the others alone.
"""

import math

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


def client_address(request):
    """The address failures are counted against."""
    if settings.BEHIND_PROXY:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= settings.PROXY_COUNT:
            return hops[-settings.PROXY_COUNT]
    return request.META.get("REMOTE_ADDR")


class SeparateLimits(AxesDatabaseHandler):
    """django-axes compares one count with one limit; here each lockout parameter's count is
    scaled to that limit, so the username and the address each lock out at their own limit."""

    def get_failures(self, request, credentials=None):
        limits = {"username": settings.AXES_FAILURE_LIMIT, "ip_address": settings.AXES_ADDRESS_FAILURE_LIMIT}
        counts = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        return max(
            math.ceil(count * settings.AXES_FAILURE_LIMIT / limits[parameter])
            for parameter, count in zip(settings.AXES_LOCKOUT_PARAMETERS, counts, strict=True)
        )
