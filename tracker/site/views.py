"""Site-wide views: the health check, and the open-data downloads with their dictionary."""

import functools
import io
import json
import logging
import zipfile
from pathlib import Path

from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader
from django.http import Http404, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

import goals.exports  # noqa: F401  (registers the plan's files)
import partners.exports  # noqa: F401  (registers the partners' files)
from tracker.core import dataversion, exports

logger = logging.getLogger(__name__)


@never_cache
def alive(request):
    """200 while the process serves requests, touching nothing else (a liveness probe; also the
    benchmark's minimal Django view)."""
    return HttpResponse("ok", content_type="text/plain")


def database_problem():
    """What keeps the database from serving the site, in words, or None when it can.

    Missing (a SQLite file that is not there: connecting would create an empty one), empty or
    behind the code (migrations not applied), corrupt or unreachable (any database error), or
    without the data version's triggers (a change would not reach the caches).
    """
    in_a_file = connection.vendor == "sqlite" and not connection.is_in_memory_db()
    if in_a_file and not Path(connection.settings_dict["NAME"]).is_file():
        return "missing: no database file"
    try:
        with connection.cursor() as cursor:
            tables = set(connection.introspection.table_names(cursor))
            if "django_migrations" not in tables:
                return "empty: no migrations applied; run manage.py migrate"
            cursor.execute("SELECT app, name FROM django_migrations")
            unapplied = expected_migrations() - set(cursor.fetchall())
        if unapplied:
            return f"{len(unapplied)} migration(s) not applied; run manage.py migrate"
        missing = sorted(set(dataversion.watched_tables()) - set(dataversion.triggered_tables()))
    except DatabaseError as error:
        logger.exception("Health check: the database failed")
        return f"unreachable or corrupt ({type(error).__name__})"
    if missing:
        logger.error("Health check: tables without the data version's triggers: %s", ", ".join(missing))
        return f"triggers missing on {len(missing)} table(s); run manage.py migrate"
    return None


@functools.cache
def expected_migrations():
    """The latest migration of each app, as written in the code (read once per process)."""
    return set(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())


@never_cache
def healthz(request):
    """200 when the database is there, migrated, answering and carrying the data version's
    triggers; 503 with the reason when not: for load balancers and uptime checks."""
    problem = database_problem()
    if problem:
        logger.error("Health check failed: database %s", problem)
        return JsonResponse({"status": "error", "database": problem}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "data_version": "ok"})


def _exports():
    return exports.REGISTRY


LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}


class DataView(TemplateView):
    """Downloads and the data dictionary: every file, its columns, their types and meanings."""

    template_name = "tracker/data.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, exports=_exports().values(), licence=LICENCE)


def data_file(request, name, format="csv"):
    """One public file for the whole site, as CSV or Excel, narrowed by ``?plan=`` or ``?partner=``
    where it applies."""
    export = _exports().get(name)
    if export is None:
        raise Http404(f"There is no data file {name}.{format}; /data/ lists them all.")
    params = exports.qualifiers_of(export, request.GET)
    return export.response(export.items(params), *(record.slug for record in params.values()), format=format)


def datapackage():
    """The Frictionless Data Package descriptor of the dataset."""
    return {
        "profile": "tabular-data-package",
        "name": "asean-ipr-action-plan-tracker",
        "title": "ASEAN IPR Action Plan Tracker: plans, progress and partners",
        "description": "Approved progress on the ASEAN IPR Action Plans (2016-2025 and 2026-2030), their "
        "goals, initiatives and deliverables, the bodies responsible, and the partners' cooperation "
        "programmes. Figures are computed as described on the site's methodology page.",
        "created": timezone.now().isoformat(timespec="seconds"),
        "licenses": [LICENCE],
        "resources": [
            {
                "name": export.name,
                "path": f"{export.name}.csv",
                "title": export.title,
                "description": export.description,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "schema": export.schema(),
            }
            for export in _exports().values()
        ],
    }


def dataset_zip(request):
    """Every public CSV plus datapackage.json, in one zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for export in _exports().values():
            archive.writestr(f"{export.name}.csv", "".join(export.lines(export.items({}))))
        archive.writestr("datapackage.json", json.dumps(datapackage(), indent=2, ensure_ascii=False))
    name = exports.file_name("asean-ipr-tracker-dataset").removesuffix(".csv") + ".zip"
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
