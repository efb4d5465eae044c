"""Who helps, and how: partners, their involvement in the plan, their technical-cooperation
programmes reported under TRIPS Article 67, and contact points (design notes §2)."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from goals.models import (
    Body,
    Deliverable,
    Initiative,
    MemberState,
    Sourced,
    WebAddressField,
    clean_target,
    exactly_one_target,
    validate_period,
)

YEAR_VALIDATORS = [MinValueValidator(1967)]  # ASEAN's founding year

# IP/C/W/<n>[/Add.<n>] until 2019; IP/C/R/TC/<Member>/<n> from the 2020 review on.
WTO_SYMBOL_PATTERN = r"^IP/C/(W/\d+(/Add\.\d+)?|R/TC/[A-Z][A-Z-]*/\d+)$"
validate_wto_symbol = RegexValidator(
    WTO_SYMBOL_PATTERN,
    _("Give a WTO document symbol such as IP/C/W/647/Add.2 or IP/C/R/TC/AUS/1."),
)


def years_in_order(prefix):
    return models.CheckConstraint(
        condition=Q(end_year__gte=models.F("start_year"))
        | Q(end_year__isnull=True)
        | Q(start_year__isnull=True),
        name=f"{prefix}_years_in_order",
        violation_error_message=_("The end year cannot come before the start year."),
    )


class Partner(Sourced):
    class Kind(models.TextChoices):
        IP_OFFICE = "ip_office", _("Dialogue-partner IP office")
        INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental organisation")
        PRIVATE_SECTOR = "private_sector", _("Private-sector association")
        DEVELOPMENT_AGENCY = "development_agency", _("Development agency")

    name = models.CharField(max_length=200, unique=True, verbose_name=_("name"))
    acronym = models.CharField(max_length=30, blank=True, verbose_name=_("acronym"))
    slug = models.SlugField(max_length=60, unique=True, verbose_name=_("slug"))
    kind = models.CharField(max_length=30, choices=Kind.choices, verbose_name=_("kind"))
    country = models.CharField(
        max_length=100,
        blank=True,
        help_text=_("Country or union it serves; empty for international bodies."),
        verbose_name=_("country"),
    )
    website = WebAddressField(max_length=300, blank=True, verbose_name=_("website"))
    former_names = models.TextField(
        blank=True,
        help_text=_('One per line, with the year of the change, e.g. "SIPO (renamed 2018)".'),
        verbose_name=_("former names"),
    )
    reports_under_article_67 = models.BooleanField(
        _("reports under TRIPS Article 67"),
        default=False,
        help_text=_("Serves a developed-country WTO Member that files yearly Article 67 reports."),
    )
    description = models.TextField(blank=True, verbose_name=_("description"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]

    def __str__(self):
        return self.acronym or self.name

    def get_absolute_url(self):
        return reverse("partner-detail", kwargs={"slug": self.slug})

    @property
    def former_name_list(self):
        return [line.strip() for line in self.former_names.splitlines() if line.strip()]


class WithPartner(models.Manager):
    """Involvements come with their partner, wherever they are read from (the plan's pages reach
    them through its own relations): they are ordered by the partner's name, so the join is made
    anyway."""

    def get_queryset(self):
        return super().get_queryset().select_related("partner")


class Involvement(Sourced):
    class Role(models.TextChoices):
        # IATI organisation roles, plus the way IP cooperation usually helps.
        FUNDING = "funding", _("Funding")
        ACCOUNTABLE = "accountable", _("Accountable")
        EXTENDING = "extending", _("Extending")
        IMPLEMENTING = "implementing", _("Implementing")
        TECHNICAL_ASSISTANCE = "technical_assistance", _("Technical assistance / experts")

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="involvements", verbose_name=_("partner")
    )
    initiative = models.ForeignKey(
        Initiative,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="involvements",
        verbose_name=_("initiative"),
    )
    deliverable = models.ForeignKey(
        Deliverable,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="involvements",
        verbose_name=_("deliverable"),
    )
    role = models.CharField(max_length=30, choices=Role.choices, verbose_name=_("role"))
    start_year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=YEAR_VALIDATORS, verbose_name=_("start year")
    )
    end_year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=YEAR_VALIDATORS, verbose_name=_("end year")
    )
    description = models.TextField(blank=True, verbose_name=_("description"))

    history = HistoricalRecords()

    objects = WithPartner()

    class Meta:
        verbose_name = _("involvement")
        verbose_name_plural = _("involvements")
        ordering = ["partner__name", "start_year"]
        constraints = [
            exactly_one_target("partners_involvement"),
            years_in_order("partners_involvement"),
            models.UniqueConstraint(
                fields=["partner", "initiative", "role"],
                condition=Q(initiative__isnull=False),
                name="partners_involvement_unique_role_per_initiative",
                violation_error_message=_("This partner already has this role on this initiative."),
            ),
            models.UniqueConstraint(
                fields=["partner", "deliverable", "role"],
                condition=Q(deliverable__isnull=False),
                name="partners_involvement_unique_role_per_deliverable",
                violation_error_message=_("This partner already has this role on this deliverable."),
            ),
        ]

    def __str__(self):
        return f"{self.partner} – {self.get_role_display()} – {self.initiative or self.deliverable}"

    def clean(self):
        super().clean()
        clean_target(self)
        validate_period(
            self.start_year, self.end_year, "end_year", _("The end year cannot come before the start year.")
        )


class CooperationProgramme(Sourced):
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("partner")
    )
    co_partners = models.ManyToManyField(
        Partner,
        blank=True,
        related_name="co_programmes",
        help_text=_("Other partners that run it jointly."),
        verbose_name=_("co partners"),
    )
    name = models.CharField(max_length=200, unique=True, verbose_name=_("name"))
    acronym = models.CharField(max_length=40, blank=True, verbose_name=_("acronym"))
    slug = models.SlugField(max_length=60, unique=True, verbose_name=_("slug"))
    funder = models.CharField(
        max_length=100,
        blank=True,
        help_text=_("Who pays for it, when not the partner itself."),
        verbose_name=_("funder"),
    )
    start_year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=YEAR_VALIDATORS, verbose_name=_("start year")
    )
    end_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text=_("Empty while it is running."),
        verbose_name=_("end year"),
    )
    budget = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        verbose_name=_("budget"),
    )
    currency = models.CharField(
        max_length=3,
        blank=True,
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Use the three capital letters of ISO 4217, e.g. EUR."))],
        verbose_name=_("currency"),
    )
    # The TRIPS Article 67 categories of cooperation the programme serves.
    serves_law_drafting = models.BooleanField(_("law and regulation drafting"), default=False)
    serves_enforcement = models.BooleanField(_("enforcement"), default=False)
    serves_offices = models.BooleanField(_("establishing or reinforcing offices and agencies"), default=False)
    serves_training = models.BooleanField(_("training of personnel"), default=False)
    beneficiaries = models.ManyToManyField(
        MemberState,
        blank=True,
        related_name="programmes",
        help_text=_("Member states it benefits."),
        verbose_name=_("beneficiaries"),
    )
    deliverables = models.ManyToManyField(
        Deliverable,
        blank=True,
        related_name="programmes",
        help_text=_("Plan deliverables it supports."),
        verbose_name=_("deliverables"),
    )
    description = models.TextField(blank=True, verbose_name=_("description"))
    website = WebAddressField(max_length=300, blank=True, verbose_name=_("website"))

    history = HistoricalRecords(m2m_fields=[co_partners, beneficiaries, deliverables])

    ARTICLE_67_FIELDS = ["serves_law_drafting", "serves_enforcement", "serves_offices", "serves_training"]

    class Meta:
        verbose_name = _("cooperation programme")
        verbose_name_plural = _("cooperation programmes")
        ordering = ["partner__name", "start_year", "name"]
        constraints = [
            years_in_order("partners_cooperationprogramme"),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | ~Q(currency=""),
                name="partners_cooperationprogramme_budget_has_currency",
                violation_error_message=_("Give the currency of the budget."),
            ),
        ]

    def __str__(self):
        return self.acronym or self.name

    def clean(self):
        super().clean()
        validate_period(
            self.start_year, self.end_year, "end_year", _("The end year cannot come before the start year.")
        )
        if self.budget is not None and not self.currency:
            raise ValidationError({"currency": _("Give the currency of the budget.")})

    @property
    def article_67_categories(self):
        # In the active language: English in the data files, which have no language prefix.
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in self.ARTICLE_67_FIELDS
            if getattr(self, name)
        ]

    def report_of(self, partner, year):
        """The report filed under it for ``year`` by the WTO Member ``partner`` serves (its country),
        from the prefetched reports; a partner with no country takes the year's only report."""
        reports = [r for r in self.reports.all() if r.year == year]
        own = [r for r in reports if r.reporting_member == partner.country]
        if own:
            return own[0]
        return reports[0] if len(reports) == 1 and not partner.country else None


class ProgrammeReport(models.Model):
    """A programme's yearly report, as filed with the WTO TRIPS Council under Article 67."""

    programme = models.ForeignKey(
        CooperationProgramme, on_delete=models.CASCADE, related_name="reports", verbose_name=_("programme")
    )
    year = models.PositiveSmallIntegerField(validators=YEAR_VALIDATORS, verbose_name=_("year"))
    document_symbol = models.CharField(
        _("WTO document symbol"),
        max_length=60,
        blank=True,
        validators=[validate_wto_symbol],
        help_text=_("IP/C/W/… until 2019, IP/C/R/TC/<Member>/<n> from 2020. Empty if not known."),
    )
    reporting_member = models.CharField(
        _("reporting WTO Member"), max_length=100, help_text=_("For example Australia or European Union.")
    )
    reported_on = models.DateField(null=True, blank=True, verbose_name=_("reported on"))
    summary = models.TextField(blank=True, verbose_name=_("summary"))
    source_url = WebAddressField(_("source"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("programme report")
        verbose_name_plural = _("programme reports")
        ordering = ["programme__name", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year", "reporting_member"],
                name="partners_programmereport_one_per_member_and_year",
                violation_error_message=_("This programme already has this Member's report for this year."),
            ),
        ]

    def __str__(self):
        return f"{self.programme} {self.year}: {self.document_symbol or 'symbol not known'}"


class ContactPoint(models.Model):
    """A named contact for a partner or a body; shown publicly only when marked so."""

    partner = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contact_points",
        verbose_name=_("partner"),
    )
    body = models.ForeignKey(
        Body,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contact_points",
        verbose_name=_("body"),
    )
    name = models.CharField(max_length=200, verbose_name=_("name"))
    role = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("For example TRIPS technical-cooperation contact."),
        verbose_name=_("role"),
    )
    email = models.EmailField(blank=True, verbose_name=_("email"))
    phone = models.CharField(max_length=40, blank=True, verbose_name=_("phone"))
    is_public = models.BooleanField(_("shown publicly"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(partner__isnull=False, body__isnull=True)
                | Q(partner__isnull=True, body__isnull=False),
                name="partners_contactpoint_exactly_one_organisation",
                violation_error_message=_("Choose either a partner or a body, not both."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.partner or self.body})"

    def clean(self):
        super().clean()
        if bool(self.partner_id) == bool(self.body_id):
            raise ValidationError(_("Choose either a partner or a body, not both."))
