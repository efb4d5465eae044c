"""Site-wide views: the health check, and the open-data downloads with their dictionary."""

import functools
import logging
from pathlib import Path

from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView

from tracker.core import dataversion, exports
from tracker.site import dataset
from tracker.site.models import DatasetRelease

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


class DataView(TemplateView):
    """Downloads and the data dictionary: every file, its columns, their types and meanings."""

    template_name = "tracker/data.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            exports=_exports().values(),
            licence=dataset.LICENCE,
            latest_release=DatasetRelease.objects.newest_first().first(),
        )


def data_file(request, name, format="csv"):
    """One public file for the whole site, as CSV or Excel, narrowed by ``?plan=`` or ``?partner=``
    where it applies."""
    export = _exports().get(name)
    if export is None:
        raise Http404(
            _("There is no data file %(name)s.%(format)s; /data/ lists them all.")
            % {"name": name, "format": format}
        )
    params = exports.qualifiers_of(export, request.GET)
    return export.response(export.items(params), *(record.slug for record in params.values()), format=format)


def dataset_zip(request):
    """Every public CSV, the workbook and datapackage.json, in one zip: the data as it stands."""
    name = exports.file_name("asean-ipr-tracker-dataset", extension="zip")
    response = HttpResponse(dataset.latest(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class ReleaseListView(ListView):
    """The citable dataset releases, newest first, each with its citation."""

    template_name = "tracker/releases.html"
    context_object_name = "releases"

    def get_queryset(self):
        return DatasetRelease.objects.newest_first()


class ReleaseDetailView(DetailView):
    """One release's landing page: its citation, identifier, files and their hashes."""

    template_name = "tracker/release_detail.html"
    context_object_name = "release"
    slug_field = slug_url_kwarg = "version"

    def get_queryset(self):
        return DatasetRelease.objects.newest_first()


def release_file(request, version, file_name):
    """A release's zip, at its permanent address; the same bytes for ever."""
    release = DatasetRelease.objects.filter(version=version).first()
    if release is None or release.file_name != file_name:
        raise Http404(
            _("There is no release file %(version)s/%(file)s; /data/releases/ lists them all.")
            % {"version": version, "file": file_name}
        )
    response = FileResponse(release.archive.open("rb"), as_attachment=True, filename=file_name,
                            content_type="application/zip")  # fmt: skip
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["ETag"] = f'"{release.sha256}"'
    return response
