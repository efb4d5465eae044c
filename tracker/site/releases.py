"""Citable dataset releases: publishing a reporting round also publishes the whole dataset as it
stands, as a versioned zip that never changes afterwards (``DatasetRelease``).

Versions are the year and a number within it (2026.1, 2026.2, ...). The zip holds every CSV,
the workbook and a ``datapackage.json`` naming the version, the round, the date and each file's
SHA-256; the zip's own SHA-256 is kept with the release and shown on its page.
"""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from goals.models import ReportingRound
from goals.sample import sample_data_loaded
from tracker.core import exports
from tracker.site import dataset
from tracker.site.models import DatasetRelease


def next_version(year):
    taken = DatasetRelease.objects.filter(version__startswith=f"{year}.").values_list("version", flat=True)
    numbers = [int(version.split(".", 1)[1]) for version in taken]
    return f"{year}.{max(numbers, default=0) + 1}"


@transaction.atomic
def publish_release(reporting_round, *, now=None):
    """The release made when ``reporting_round`` was published; made now if it has none."""
    existing = DatasetRelease.objects.filter(round=reporting_round).first()
    if existing:
        return existing
    now = now or timezone.now()
    version = next_version(now.year)
    release = DatasetRelease(version=version, round=reporting_round, published_at=now)
    content_of = dataset.files()
    package = dataset.describe(
        content_of,
        created=now,
        version=version,
        identifier=release.url,
        extra={
            "reporting_round": {
                "name": reporting_round.name,
                "plan": reporting_round.plan.slug,
                "closes_on": reporting_round.closes_on.isoformat(),
            },
            "citation": release.citation,
        },
    )
    zipped = dataset.archive(content_of, package)
    release.sha256 = dataset.sha256(zipped)
    release.size = len(zipped)
    release.includes_sample = sample_data_loaded()
    release.files = [
        {"path": path, "bytes": len(content), "sha256": dataset.sha256(content)}
        for path, content in content_of.items()
    ]
    name = exports.file_name(f"asean-ipr-tracker-dataset-{version}", extension="zip")
    release.archive.save(name, ContentFile(zipped), save=False)
    release.save()
    return release


def publish_missing_releases():
    """A release for every published round that has none (rounds published before releases
    existed, or the demonstration's sample rounds), oldest round first; the ones made."""
    waiting = (
        ReportingRound.objects.published().filter(dataset_release__isnull=True).order_by("closes_on", "pk")
    )
    return [publish_release(reporting_round) for reporting_round in waiting]


def on_round_published(sender, reporting_round, **kwargs):
    publish_release(reporting_round)
