"""The open dataset as one zip: every public CSV, the same files as one Excel workbook, and a
Frictionless ``datapackage.json`` describing them, with each file's size and SHA-256.

The latest dataset (``/data/dataset.zip``) and every citable release (``tracker.site.releases``)
are built here, the same way.
"""

import hashlib
import io
import json
import zipfile

from django.conf import settings
from django.utils import timezone

import goals.exports  # noqa: F401  (registers the plan's files)
import partners.exports  # noqa: F401  (registers the partners' files)
from tracker.core import exports, xlsx

NAME = "asean-ipr-action-plan-tracker"
TITLE = "ASEAN IPR Action Plan Tracker: plans, progress and partners"
DESCRIPTION = (
    "Approved progress on the ASEAN IPR Action Plans (2016-2025 and 2026-2030), their goals, initiatives and "
    "deliverables, the bodies responsible, and the partners' cooperation programmes. Figures are computed as "
    "described on the site's methodology page."
)
WORKBOOK = "asean-ipr-tracker.xlsx"
LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}


def files():
    """Every public file as it stands: ``{path: bytes}``, the CSVs, then the workbook."""
    found = {}
    for export in exports.REGISTRY.values():
        found[f"{export.name}.csv"] = "".join(export.lines(export.items({}))).encode("utf-8")
    workbook = io.BytesIO()
    parts = [(export.sheet(), export.rows(export.items({}))) for export in exports.REGISTRY.values()]
    xlsx.write_workbook_of(workbook, parts)
    found[WORKBOOK] = workbook.getvalue()
    return found


def sha256(content):
    return hashlib.sha256(content).hexdigest()


def describe(content_of, *, created=None, version=None, identifier=None, extra=None):
    """The Frictionless Data Package descriptor of the files, with their sizes and hashes."""
    package = {
        "profile": "data-package",  # tabular CSVs, and the workbook beside them
        "name": NAME,
        "title": TITLE,
        "description": DESCRIPTION,
        "created": (created or timezone.now()).isoformat(timespec="seconds"),
        "licenses": [LICENCE],
        "publisher": settings.SITE_PUBLISHER,
        "homepage": f"{settings.SITE_URL}/data/",
    }
    if version:
        package["version"] = version
    if identifier:
        package["id"] = identifier
    package.update(extra or {})
    resources = []
    for export in exports.REGISTRY.values():
        path = f"{export.name}.csv"
        resources.append(
            {
                "name": export.name,
                "path": path,
                "title": export.title,
                "description": export.description,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "bytes": len(content_of[path]),
                "hash": f"sha256:{sha256(content_of[path])}",
                "schema": export.schema(),
            }
        )
    resources.append(
        {
            "name": "workbook",
            "path": WORKBOOK,
            "title": "All the files above as one Excel workbook",
            "description": "One sheet per file, with the same rows and typed cells, and a data dictionary.",
            "profile": "data-resource",
            "format": "xlsx",
            "mediatype": xlsx.MEDIA_TYPE,
            "bytes": len(content_of[WORKBOOK]),
            "hash": f"sha256:{sha256(content_of[WORKBOOK])}",
        }
    )
    package["resources"] = resources
    return package


def archive(content_of, package):
    """The zip of the files and their ``datapackage.json``, as bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        for path, content in content_of.items():
            zipped.writestr(path, content)
        zipped.writestr("datapackage.json", json.dumps(package, indent=2, ensure_ascii=False))
    return buffer.getvalue()


def latest():
    """The zip of the dataset as it stands now."""
    content_of = files()
    return archive(content_of, describe(content_of))
