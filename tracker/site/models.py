"""Dataset releases: the whole open dataset as it stood when a reporting round was published,
kept unchanged at a permanent address so that it can be cited (``tracker.site.releases``)."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

DOI = re.compile(r"^10\.\d{4,9}/\S+$")


def validate_doi(value):
    if not DOI.match(value):
        raise ValidationError(
            _(
                "%(value)r is not a DOI: write it as 10.<registrant>/<suffix>, for example "
                "10.5281/zenodo.1234567, without https://doi.org/."
            )
            % {"value": value}
        )


class DatasetReleaseQuerySet(models.QuerySet):
    def newest_first(self):
        return self.select_related("round__plan").order_by("-published_at", "-pk")


class DatasetRelease(models.Model):
    """One published, immutable release. Only its DOI may be added later; everything else is
    fixed when it is made (``save`` refuses a change)."""

    FROZEN = ("version", "round_id", "published_at", "archive", "sha256", "size", "files", "includes_sample")

    version = models.CharField(
        max_length=20,
        unique=True,
        help_text=_("Year and number in it, e.g. 2026.1."),
        verbose_name=_("version"),
    )
    round = models.OneToOneField(
        "goals.ReportingRound",
        on_delete=models.PROTECT,
        related_name="dataset_release",
        verbose_name=_("reporting round"),
    )
    published_at = models.DateTimeField(verbose_name=_("published at"))
    archive = models.FileField(upload_to="releases/", max_length=200, verbose_name=_("archive"))
    sha256 = models.CharField(_("SHA-256 of the zip"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    files = models.JSONField(
        default=list, help_text=_("Each file in the zip: path, bytes and SHA-256."), verbose_name=_("files")
    )
    includes_sample = models.BooleanField(
        _("includes sample data"),
        default=False,
        help_text=_("Made while made-up demonstration data was loaded."),
    )
    doi = models.CharField(
        _("DOI"),
        max_length=200,
        blank=True,
        validators=[validate_doi],
        help_text=_("Once a DOI is registered for this release (e.g. on Zenodo): 10.<registrant>/<suffix>."),
    )

    objects = DatasetReleaseQuerySet.as_manager()

    class Meta:
        verbose_name_plural = _("dataset releases")
        ordering = ["-published_at", "-pk"]
        verbose_name = _("dataset release")

    def __str__(self):
        return f"Dataset release {self.version}"

    def save(self, *args, **kwargs):
        if self.pk:
            stored = type(self).objects.filter(pk=self.pk).values(*self.FROZEN).first()
            changed = [name for name in self.FROZEN if stored and stored[name] != getattr(self, name)]
            if changed:
                raise ValidationError(
                    f"A dataset release cannot be changed once published ({', '.join(changed)})."
                )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("release-detail", kwargs={"version": self.version})

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A dataset release cannot be deleted: its address is cited."))

    @property
    def file_name(self):
        return self.archive.name.rsplit("/", 1)[-1]

    @property
    def url(self):
        return f"{settings.SITE_URL}{self.get_absolute_url()}"

    @property
    def doi_url(self):
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def citation(self):
        """A suggested citation, in the pattern data repositories use (author, year, title,
        version, type, publisher, identifier)."""
        identifier = self.doi_url or self.url
        return (
            f"{settings.SITE_PUBLISHER} ({self.published_at.year}). ASEAN IPR Action Plan Tracker: plans, "
            f"progress and partners (version {self.version}) [Data set], released with the reporting round "
            f"\u201c{self.round.name}\u201d of the {self.round.plan.title}. {identifier}"
        )
