"""Site-wide pages: the home page and the health check."""

import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.generic import ListView

from goals.models import ActionPlan

logger = logging.getLogger(__name__)


class HomeView(ListView):
    """The plans, newest first, each with its goals and initiatives."""

    template_name = "tracker/home.html"
    context_object_name = "plans"

    def get_queryset(self):
        return ActionPlan.objects.with_structure()


@never_cache
def healthz(request):
    """200 when the database answers, 503 when it does not (for load balancers and uptime checks)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database did not answer")
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
