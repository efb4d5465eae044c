"""The plan and its delivery: plans, goals, initiatives, deliverables, who is responsible,
reporting rounds and progress updates (design notes §2)."""

import datetime
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from goals.evidence import evidence_path, file_sha256, validate_evidence

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_month_year(value):
    """A date as the public site shows it, "1 Dec 2026" (``goals.templatetags.progress.day``);
    "–" for none."""
    if value is None:
        return "–"
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


class WebAddressField(models.URLField):
    """A URL field whose forms read an address typed without a scheme as https (Django 6's default)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


class Sourced(models.Model):
    """Where a record's facts come from, and whether any of them is still unconfirmed.

    Records loaded from the plan data files always carry a source; a record whose exact
    wording, number or date no source confirms is flagged provisional, with a note saying
    what is known, so that a guess is never presented as fact.
    """

    source_url = WebAddressField(_("source"), max_length=500, blank=True)
    provisional = models.BooleanField(
        default=False,
        help_text=_("Some of this record is not confirmed by a source."),
        verbose_name=_("provisional"),
    )
    provisional_note = models.TextField(
        blank=True,
        help_text=_("What is known and what is not, when the record is provisional."),
        verbose_name=_("provisional note"),
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.provisional and not self.provisional_note.strip():
            raise ValidationError({"provisional_note": _("Say what is known and what is not confirmed.")})


class Translatable(models.Model):
    """Translations of a record's words (its title, its description), entered by people: the
    data stay in English, the reference, unless one is.

    ``translations`` maps a language of the interface to the fields translated into it::

        {"id": {"title": "Mengembangkan platform KI regional"}, "vi": {"title": "..."}}

    Only the fields in ``TRANSLATED_FIELDS`` and the languages in ``settings.LANGUAGES`` other
    than English are accepted. Pages show them with ``{% translated record "title" %}``
    (``goals.templatetags.translations``), which falls back to the English text, marked
    ``lang="en"``, where none is entered.
    """

    TRANSLATED_FIELDS = ("title", "description")

    translations = models.JSONField(
        default=dict,
        blank=True,
        help_text=_(
            'Translations of the title and description, by language: {"id": {"title": "…"}}. '
            "Where none is entered, pages show the English text."
        ),
        verbose_name=_("translations"),
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        languages = {code for code, _name in settings.LANGUAGES} - {settings.LANGUAGE_CODE}
        if not isinstance(self.translations, dict):
            raise ValidationError({"translations": _("Give the translations by language code.")})
        for language, fields in self.translations.items():
            if language not in languages:
                shipped = ", ".join(sorted(languages))
                message = _("%(language)r is not a language of the site (%(shipped)s).") % {
                    "language": language,
                    "shipped": shipped,
                }
                raise ValidationError({"translations": message})
            if not isinstance(fields, dict) or not all(isinstance(text, str) for text in fields.values()):
                message = _("Give the %(language)s translations as field: text.") % {"language": language}
                raise ValidationError({"translations": message})
            unknown = sorted(set(fields) - set(self.TRANSLATED_FIELDS))
            if unknown:
                allowed, refused = ", ".join(self.TRANSLATED_FIELDS), ", ".join(unknown)
                message = _("Only %(allowed)s can be translated, not %(refused)s.") % {
                    "allowed": allowed,
                    "refused": refused,
                }
                raise ValidationError({"translations": message})

    def translated(self, field, language):
        """``field`` in ``language``, and the language it is really in: the translation where
        one is entered, else the English text and "en"."""
        text = (self.translations or {}).get(language, {}).get(field, "")
        if text.strip():
            return text, language
        return getattr(self, field), settings.LANGUAGE_CODE


def validate_period(start, end, end_field, message):
    """Refuse an end that comes before its start, naming the end field."""
    if start is not None and end is not None and end < start:
        raise ValidationError({end_field: message})


class Scheduled(models.Model):
    """Planned dates and a weight in the parent's mean: what initiatives and deliverables share."""

    planned_start = models.DateField(null=True, blank=True, verbose_name=_("planned start"))
    planned_end = models.DateField(null=True, blank=True, verbose_name=_("planned end"))
    weight = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(Decimal("0.01"))],
        verbose_name=_("weight"),
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gte=models.F("planned_start"))
                | Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True),
                name="%(app_label)s_%(class)s_planned_period_in_order",
                violation_error_message=_("The planned end cannot come before the planned start."),
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0),
                name="%(app_label)s_%(class)s_weight_positive",
                violation_error_message=_("The weight must be greater than zero."),
            ),
        ]

    def clean(self):
        super().clean()
        validate_period(
            self.planned_start,
            self.planned_end,
            "planned_end",
            _("The planned end cannot come before the planned start."),
        )


class ActionPlanQuerySet(models.QuerySet):
    def with_structure(self):
        """Plans with their goals and initiatives, in three queries whatever their number."""
        return self.prefetch_related(
            models.Prefetch("goals", queryset=StrategicGoal.objects.order_by("number")),
            models.Prefetch("goals__initiatives", queryset=Initiative.objects.order_by("number")),
        )


class ActionPlan(Translatable, Sourced):
    TRANSLATED_FIELDS = ("title", "summary")

    title = models.CharField(max_length=200, verbose_name=_("title"))
    slug = models.SlugField(max_length=60, unique=True, verbose_name=_("slug"))
    start_year = models.PositiveSmallIntegerField(verbose_name=_("start year"))
    end_year = models.PositiveSmallIntegerField(verbose_name=_("end year"))
    version_label = models.CharField(
        max_length=100,
        blank=True,
        help_text=_('For example "v2.0 after the 2020 mid-term review".'),
        verbose_name=_("version label"),
    )
    adopted_on = models.DateField(null=True, blank=True, verbose_name=_("adopted on"))
    predecessor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
        verbose_name=_("predecessor"),
    )
    summary = models.TextField(blank=True, verbose_name=_("summary"))
    goal_term = models.CharField(
        _("what it calls its goals"),
        max_length=40,
        default="strategic goal",
        validators=[
            RegexValidator(
                r"^[a-z][a-z -]*[a-z]$",
                _('In the singular and in lower case, as in running text: "strategic measure".'),
            )
        ],
        help_text=_(
            'The plan\'s own word for its top level, in the singular: "strategic goal" or '
            '"strategic measure". Pages then say "Strategic measure 1".'
        ),
    )
    stated_goal_count = models.PositiveSmallIntegerField(
        _("number of goals it sets out"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "How many its own text sets out, when the tracker holds fewer: pages then say how many "
            "are recorded of how many, as provisional."
        ),
    )

    objects = ActionPlanQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["-start_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")),
                name="goals_actionplan_period_in_order",
                violation_error_message=_("The plan's end year cannot come before its start year."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plan-overview", kwargs={"plan": self.slug})

    def clean(self):
        super().clean()
        validate_period(
            self.start_year, self.end_year, "end_year", _("The end year cannot come before the start year.")
        )

    @property
    def period(self):
        return f"{self.start_year}-{self.end_year}"

    @property
    def goal_label(self):
        """What a numbered goal is called: "Strategic goal" 1, "Strategic measure" 1."""
        return self.goal_term[:1].upper() + self.goal_term[1:]

    @property
    def goal_term_plural(self):
        return f"{self.goal_term}s"

    def period_includes(self, day):
        return self.start_year <= day.year <= self.end_year


class StrategicGoal(Translatable, Sourced):
    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="goals", verbose_name=_("plan")
    )
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)], verbose_name=_("number"))
    title = models.CharField(max_length=300, verbose_name=_("title"))
    description = models.TextField(blank=True, verbose_name=_("description"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("strategic goal")
        verbose_name_plural = _("strategic goals")
        ordering = ["plan__start_year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="goals_strategicgoal_unique_number_per_plan",
                violation_error_message=_("This plan already has a strategic goal with this number."),
            ),
        ]

    def __str__(self):
        # In the plan's own words ("Strategic measure 1") when the plan is at hand; never a
        # query just for a label.
        label = self.plan.goal_label if StrategicGoal.plan.is_cached(self) else "Goal"
        return f"{label} {self.number}: {self.title}"

    def get_absolute_url(self):
        return reverse("goal-detail", kwargs={"plan": self.plan.slug, "number": self.number})


class Initiative(Translatable, Sourced, Scheduled):
    # The plan is copied from the goal on save so that the database can hold
    # "initiative numbers are unique in their plan" as a constraint.
    plan = models.ForeignKey(
        ActionPlan,
        on_delete=models.CASCADE,
        related_name="initiatives",
        editable=False,
        verbose_name=_("plan"),
    )
    goal = models.ForeignKey(
        StrategicGoal, on_delete=models.CASCADE, related_name="initiatives", verbose_name=_("goal")
    )
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)], verbose_name=_("number"))
    title = models.CharField(max_length=300, verbose_name=_("title"))
    description = models.TextField(blank=True, verbose_name=_("description"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["plan__start_year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="goals_initiative_unique_number_per_plan",
                violation_error_message=_("This plan already has an initiative with this number."),
            ),
            *Scheduled.Meta.constraints,
        ]

    def __str__(self):
        return f"Initiative {self.number}: {self.title}"  # in English: it names the record in the history

    def save(self, *args, **kwargs):
        self.plan_id = self.goal.plan_id
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("initiative-detail", kwargs={"plan": self.plan.slug, "number": self.number})

    @property
    def name_shown(self):
        """What pages call the initiative, in the page's language."""
        return gettext("Initiative %(number)s: %(title)s") % {"number": self.number, "title": self.title}

    def clean(self):
        super().clean()
        if self.goal_id:
            self.plan_id = self.goal.plan_id

    def validate_constraints(self, exclude=None):
        # The plan is never on a form, but it follows the goal: when the goal is checked,
        # check the plan-wide uniqueness of the number too, so the form says so clearly.
        if exclude is not None and "goal" not in exclude:
            exclude = set(exclude) - {"plan"}
        super().validate_constraints(exclude=exclude)


def code_sort_key(code):
    """A code as it sorts in natural order: its numbers padded to ten digits, so that "2.2"
    comes before "10.1" and "1.9" before "1.10" when compared as text, in any database and in
    Python alike ("1.3" reads "0000000001.0000000003")."""
    return "".join(part.zfill(10) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", code))


class DeliverableQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Inserts without ``save()`` get their natural sort key too."""
        objs = list(objs)
        for deliverable in objs:
            deliverable.sort_key = code_sort_key(deliverable.code)
        return super().bulk_create(objs, *args, **kwargs)


class Deliverable(Translatable, Sourced, Scheduled):
    class Kind(models.TextChoices):
        OUTPUT = "output", _("Output")
        STUDY = "study", _("Study")
        GUIDELINE = "guideline", _("Guideline")
        PLATFORM = "platform", _("Regional platform")
        NETWORK = "network", _("Network or mechanism")
        ACCESSION = "accession", _("Treaty accession")
        EVENT = "event", _("Event or campaign")

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="deliverables", verbose_name=_("initiative")
    )
    code = models.CharField(
        max_length=20,
        validators=[
            RegexValidator(
                r"^[0-9A-Za-z][0-9A-Za-z.\-]*$",
                _("Use letters, digits, dots and hyphens, for example 5.1."),
            )
        ],
        help_text=_('For example "5.1". Unique within its initiative.'),
        verbose_name=_("code"),
    )
    # The code in natural order (``code_sort_key``), kept by ``save()``: lists sort by it in the
    # database, so 2.2 comes before 10.1 and pagination stays in the query.
    sort_key = models.CharField(max_length=120, blank=True, editable=False, db_index=True)
    title = models.CharField(max_length=300, verbose_name=_("title"))
    description = models.TextField(blank=True, verbose_name=_("description"))
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OUTPUT, verbose_name=_("kind"))
    per_member_state = models.BooleanField(
        _("tracked per member state"),
        default=False,
        help_text=_("Each member state reports its own progress (for example a treaty accession)."),
    )
    introduced_in = models.CharField(
        max_length=40,
        blank=True,
        help_text=_('Plan version that added it, for example "v1.0".'),
        verbose_name=_("introduced in"),
    )
    dropped_in = models.CharField(
        max_length=40,
        blank=True,
        help_text=_("Plan version that dropped it, if any."),
        verbose_name=_("dropped in"),
    )
    replaces = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaced_by",
        help_text=_("The deliverable this one amends or replaces after a plan review."),
        verbose_name=_("replaces"),
    )
    url = WebAddressField(
        _("web address"),
        max_length=500,
        blank=True,
        help_text=_("Where the output can be used, for a platform."),
    )

    objects = DeliverableQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        ordering = ["initiative__plan__start_year", "initiative__number", "sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "code"],
                name="goals_deliverable_unique_code_per_initiative",
                violation_error_message=_("This initiative already has a deliverable with this code."),
            ),
            *Scheduled.Meta.constraints,
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def save(self, *args, **kwargs):
        self.sort_key = code_sort_key(self.code)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "code" in update_fields:
            kwargs["update_fields"] = {*update_fields, "sort_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        initiative = self.initiative
        return reverse(
            "deliverable-detail",
            kwargs={"plan": initiative.plan.slug, "number": initiative.number, "code": self.code},
        )

    @property
    def name_shown(self):
        """What pages call the deliverable (its code and title, the same in every language)."""
        return str(self)

    def clean(self):
        super().clean()
        if self.replaces_id and self.replaces_id == self.pk:
            raise ValidationError({"replaces": _("A deliverable cannot replace itself.")})
        # A change inside one plan (a plan review); what became of it in the next plan is its
        # plan lineage link (``LineageLink``).
        replaces = self.replaces if self.replaces_id and self.initiative_id else None
        if replaces is not None and replaces.initiative.plan_id != self.initiative.plan_id:
            raise ValidationError(
                {
                    "replaces": _(
                        "A deliverable replaces one of its own plan (after a plan review); "
                        "record what became of an item in the next plan as its plan lineage."
                    )
                }
            )


def last_day_of(plan):
    return datetime.date(plan.end_year, 12, 31)


class MemberStateQuerySet(models.QuerySet):
    def expected_for(self, plan):
        """The member states expected to act on a plan's state-by-state deliverables: those that
        had joined ASEAN by the end of the plan's period (see ``MemberState.is_expected_for``)."""
        return self.filter(joined_asean_on__lte=last_day_of(plan)).order_by("name")


class MemberState(models.Model):
    name = models.CharField(max_length=100, unique=True, verbose_name=_("name"))
    slug = models.SlugField(max_length=60, unique=True, verbose_name=_("slug"))
    iso_code = models.CharField(
        _("ISO 3166 code"),
        max_length=2,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Use the two capital letters of ISO 3166-1."))],
    )
    joined_asean_on = models.DateField(_("joined ASEAN on"))
    source_url = WebAddressField(_("source"), max_length=500, blank=True)

    objects = MemberStateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("member state")
        verbose_name_plural = _("member states")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["iso_code"],
                name="goals_memberstate_unique_iso_code",
                violation_error_message=_("Another member state already has this ISO code."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("member-state-detail", kwargs={"slug": self.slug})

    def is_expected_for(self, plan):
        """Whether it is expected to act on the plan's state-by-state deliverables: it had joined
        ASEAN by the end of the plan's period (``MemberStateQuerySet.expected_for`` in SQL)."""
        return self.joined_asean_on <= last_day_of(plan)


class Body(Sourced):
    class Kind(models.TextChoices):
        SECRETARIAT = "secretariat", _("Secretariat")
        WORKING_GROUP = "working_group", _("Working group")
        TASK_FORCE = "task_force", _("Task force")
        NETWORK = "network", _("Network")
        IP_OFFICE = "ip_office", _("National IP office")
        OTHER = "other", _("Other")

    name = models.CharField(max_length=200, unique=True, verbose_name=_("name"))
    acronym = models.CharField(max_length=30, blank=True, verbose_name=_("acronym"))
    slug = models.SlugField(max_length=60, unique=True, verbose_name=_("slug"))
    kind = models.CharField(max_length=20, choices=Kind.choices, verbose_name=_("kind"))
    member_state = models.ForeignKey(
        MemberState,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bodies",
        help_text=_("Required for a national IP office."),
        verbose_name=_("member state"),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        verbose_name=_("parent"),
    )
    website = WebAddressField(max_length=300, blank=True, verbose_name=_("website"))
    description = models.TextField(blank=True, verbose_name=_("description"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("body")
        ordering = ["name"]
        verbose_name_plural = _("bodies")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="ip_office") | Q(member_state__isnull=False),
                name="goals_body_ip_office_has_member_state",
                violation_error_message=_("A national IP office must belong to a member state."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self):
        return reverse("body-detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.kind == self.Kind.IP_OFFICE and not self.member_state_id:
            raise ValidationError({"member_state": _("A national IP office must belong to a member state.")})
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A body cannot be its own parent.")})


def exactly_one_target(prefix):
    """A check that a row points at an initiative or a deliverable, never both or neither."""
    return models.CheckConstraint(
        condition=Q(initiative__isnull=False, deliverable__isnull=True)
        | Q(initiative__isnull=True, deliverable__isnull=False),
        name=f"{prefix}_exactly_one_target",
        violation_error_message=_("Choose either an initiative or a deliverable, not both."),
    )


def clean_target(record):
    if bool(record.initiative_id) == bool(record.deliverable_id):
        raise ValidationError(_("Choose either an initiative or a deliverable, not both."))


class Responsibility(Sourced):
    class Role(models.TextChoices):
        LEAD = "lead", _("Lead / champion")
        IMPLEMENTING = "implementing", _("Implementing")
        SUPPORTING = "supporting", _("Supporting")

    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="responsibilities", verbose_name=_("body")
    )
    initiative = models.ForeignKey(
        Initiative,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="responsibilities",
        verbose_name=_("initiative"),
    )
    deliverable = models.ForeignKey(
        Deliverable,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="responsibilities",
        verbose_name=_("deliverable"),
    )
    role = models.CharField(max_length=20, choices=Role.choices, verbose_name=_("role"))
    note = models.TextField(blank=True, verbose_name=_("note"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("responsibility")
        ordering = ["body__name", "role"]
        verbose_name_plural = _("responsibilities")
        constraints = [
            exactly_one_target("goals_responsibility"),
            models.UniqueConstraint(
                fields=["body", "initiative", "role"],
                condition=Q(initiative__isnull=False),
                name="goals_responsibility_unique_role_per_initiative",
                violation_error_message=_("This body already has this role on this initiative."),
            ),
            models.UniqueConstraint(
                fields=["body", "deliverable", "role"],
                condition=Q(deliverable__isnull=False),
                name="goals_responsibility_unique_role_per_deliverable",
                violation_error_message=_("This body already has this role on this deliverable."),
            ),
        ]

    def __str__(self):
        return f"{self.body} – {self.get_role_display()} – {self.initiative or self.deliverable}"

    def clean(self):
        super().clean()
        clean_target(self)


class ReportingRoundQuerySet(models.QuerySet):
    def published(self):
        """Rounds whose figures are public (the as-of views offer only these)."""
        return self.filter(state=ReportingRound.State.PUBLISHED)


class ReportingRound(models.Model):
    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Open for reporting")
        CLOSED = "closed", _("Closed")
        PUBLISHED = "published", _("Published")

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("plan")
    )
    name = models.CharField(
        max_length=200, help_text=_('For example "77th AWGIPC, Penang, Nov 2025".'), verbose_name=_("name")
    )
    opens_on = models.DateField(verbose_name=_("opens on"))
    closes_on = models.DateField(verbose_name=_("closes on"))
    state = models.CharField(
        max_length=20, choices=State.choices, default=State.PLANNED, verbose_name=_("state")
    )
    closed_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the secretariat closed it to reporting."),
        verbose_name=_("closed at"),
    )
    is_sample = models.BooleanField(
        _("sample data"),
        default=False,
        editable=False,
        help_text=_("Made up for demonstrations by load_plan --sample."),
    )

    objects = ReportingRoundQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        ordering = ["plan__start_year", "opens_on"]
        permissions = [("manage_reportinground", "Can open, close and publish reporting rounds")]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "name"],
                name="goals_reportinground_unique_name_per_plan",
                violation_error_message=_("This plan already has a reporting round with this name."),
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="goals_reportinground_period_in_order",
                violation_error_message=_("A round cannot close before it opens."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        validate_period(
            self.opens_on, self.closes_on, "closes_on", _("A round cannot close before it opens.")
        )


class ProgressUpdateQuerySet(models.QuerySet):
    def public(self):
        """Only approved updates are ever shown publicly."""
        return self.filter(review_state=ProgressUpdate.ReviewState.APPROVED)

    def for_plan(self, plan):
        return self.filter(deliverable__initiative__plan=plan)

    def with_context(self):
        return self.select_related("deliverable__initiative__plan", "member_state", "round")


class ProgressUpdate(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        ON_HOLD = "on_hold", _("On hold")
        DROPPED = "dropped", _("Dropped")

    class ReviewState(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        RETURNED = "returned", _("Returned for changes")
        APPROVED = "approved", _("Approved")

    class DatePrecision(models.TextChoices):
        DAY = "day", _("Day")
        MONTH = "month", _("Month")
        YEAR = "year", _("Year")

    deliverable = models.ForeignKey(
        Deliverable, on_delete=models.CASCADE, related_name="progress_updates", verbose_name=_("deliverable")
    )
    member_state = models.ForeignKey(
        MemberState,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="progress_updates",
        help_text=_("Only for deliverables tracked per member state."),
        verbose_name=_("member state"),
    )
    round = models.ForeignKey(
        ReportingRound,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="progress_updates",
        help_text=_("Empty for facts recorded from public sources outside a reporting round."),
        verbose_name=_("round"),
    )
    status = models.CharField(
        _("reported status"), max_length=20, choices=Status.choices, default=Status.IN_PROGRESS
    )
    percent_complete = models.PositiveSmallIntegerField(
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("0 to 100. Leave empty for completed (100) or not started (0)."),
        verbose_name=_("percent complete"),
    )
    narrative = models.TextField(blank=True, verbose_name=_("narrative"))
    evidence_url = WebAddressField(
        _("evidence or source"), max_length=500, blank=True, help_text=_("Where the progress can be checked.")
    )
    evidence_file = models.FileField(
        upload_to=evidence_path,
        blank=True,
        validators=[validate_evidence],
        help_text=_("PDF, image, Office document, CSV or text, up to 10 MB. Public once approved."),
        verbose_name=_("evidence file"),
    )
    evidence_sha256 = models.CharField(
        _("SHA-256 of the evidence file"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("Worked out when the file is attached, so that a copy can be checked later."),
    )
    reported_on = models.DateField(
        help_text=_("The date the progress refers to."), verbose_name=_("reported on")
    )
    reported_on_precision = models.CharField(
        _("date precision"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("Month or year when the source gives no exact day."),
    )
    provisional = models.BooleanField(
        default=False,
        help_text=_("The date or status is not confirmed by a second source."),
        verbose_name=_("provisional"),
    )
    provisional_note = models.TextField(blank=True, verbose_name=_("provisional note"))
    review_state = models.CharField(
        max_length=20, choices=ReviewState.choices, default=ReviewState.DRAFT, verbose_name=_("review state")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submitted_updates",
        verbose_name=_("submitted by"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_updates",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reviewed at"))
    review_note = models.TextField(blank=True, verbose_name=_("review note"))
    data_key = models.CharField(
        max_length=100,
        blank=True,
        editable=False,
        help_text=_("Stable key of an update loaded from the plan data files; empty for staff entries."),
        verbose_name=_("data key"),
    )
    is_sample = models.BooleanField(
        _("sample data"),
        default=False,
        editable=False,
        help_text=_("Made up for demonstrations by load_plan --sample."),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = ProgressUpdateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-reported_on", "-pk"]
        get_latest_by = "reported_on"
        permissions = [("review_progressupdate", "Can approve, return and un-approve progress updates")]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_complete__gte=0, percent_complete__lte=100),
                name="goals_progressupdate_percent_0_to_100",
                violation_error_message=_("Percent complete must be between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=(~Q(status="completed") | Q(percent_complete=100))
                & (~Q(status="not_started") | Q(percent_complete=0)),
                name="goals_progressupdate_percent_matches_status",
                violation_error_message=_("Completed means 100 % and not started means 0 %."),
            ),
            models.UniqueConstraint(
                fields=["data_key"],
                condition=~Q(data_key=""),
                name="goals_progressupdate_unique_data_key",
            ),
        ]

    IMPLIED_PERCENT = {Status.COMPLETED: 100, Status.NOT_STARTED: 0}

    def __str__(self):
        """As pages and messages name it: "12.2: In progress (1 Dec 2026)"."""
        return self._named(day_month_year(self.reported_on))

    def save(self, *args, **kwargs):
        if not self.evidence_file:
            self.evidence_sha256 = ""
        elif not self.evidence_file._committed:  # a file attached now (older ones: the migration)
            self.evidence_sha256 = file_sha256(self.evidence_file)
        super().save(*args, **kwargs)

    @property
    def data_name(self):
        """As data files name it (the audit log's object): "12.2: In progress (2026-12-01)"."""
        return self._named(self.reported_on)

    def _named(self, on):
        where = f" – {self.member_state}" if self.member_state_id else ""
        return f"{self.deliverable.code}{where}: {self.get_status_display()} ({on})"

    def clean(self):
        super().clean()
        errors = {}
        if self.percent_complete is None:
            if self.status in self.IMPLIED_PERCENT:
                self.percent_complete = self.IMPLIED_PERCENT[self.status]
            else:
                errors["percent_complete"] = _("Give the percent complete, from 0 to 100.")
        if self.status == self.Status.COMPLETED and self.percent_complete not in (None, 100):
            # xgettext:no-python-format
            errors["percent_complete"] = _("A completed deliverable is 100 % complete.")
        if self.status == self.Status.NOT_STARTED and self.percent_complete not in (None, 0):
            # xgettext:no-python-format
            errors["percent_complete"] = _("A deliverable that has not started is 0 % complete.")
        if self.deliverable_id:
            if self.deliverable.per_member_state and not self.member_state_id:
                errors["member_state"] = _("This deliverable is tracked per member state: choose one.")
            if not self.deliverable.per_member_state and self.member_state_id:
                errors["member_state"] = _(
                    "This deliverable is not tracked per member state: leave the member state empty."
                )
            if self.round_id and self.round.plan_id != self.deliverable.initiative.plan_id:
                errors["round"] = _("This round belongs to another plan.")
        if self.provisional and not self.provisional_note.strip():
            errors["provisional_note"] = _("Say what is known and what is not confirmed.")
        if self.status == self.Status.COMPLETED and not (self.evidence_url or self.evidence_file):
            errors["evidence_url"] = _("Completed progress needs evidence: give a link or attach a file.")
        if errors:
            raise ValidationError(errors)


class EvidenceLink(models.Model):
    """The last check of an evidence address (``check_evidence_links``, run from cron): when it
    last answered, and since when it has not, so pages can say a link no longer works."""

    url = models.CharField(max_length=500, unique=True, verbose_name=_("url"))
    checked_at = models.DateTimeField(verbose_name=_("checked at"))
    answered_at = models.DateTimeField(
        null=True, blank=True, help_text=_("The last time it answered."), verbose_name=_("answered at")
    )
    failing_since = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("The first check it failed, in the run of failures up to now."),
        verbose_name=_("failing since"),
    )
    problem = models.CharField(
        max_length=200, blank=True, help_text=_("What the last check found wrong."), verbose_name=_("problem")
    )

    class Meta:
        verbose_name = _("evidence link")
        verbose_name_plural = _("evidence links")
        ordering = ["url"]

    def __str__(self):
        return self.url


class RoundSnapshot(models.Model):
    """The figures of a plan frozen when a round is published; later edits do not change them."""

    round = models.OneToOneField(
        ReportingRound, on_delete=models.CASCADE, related_name="snapshot", verbose_name=_("round")
    )
    taken_at = models.DateTimeField(auto_now_add=True, verbose_name=_("taken at"))
    figures = models.JSONField(verbose_name=_("figures"))

    class Meta:
        ordering = ["-taken_at"]
        verbose_name = _("published round's frozen figures")
        verbose_name_plural = _("published rounds' frozen figures")

    def __str__(self):
        return f"Figures of {self.round} as published"


class LineageLinkQuerySet(models.QuerySet):
    def with_items(self):
        """Links with the item they start from and the items they lead to, each with its plan
        (three queries however many links)."""
        return self.select_related("initiative__plan", "deliverable__initiative__plan").prefetch_related(
            models.Prefetch("to_initiatives", queryset=Initiative.objects.select_related("plan")),
            models.Prefetch(
                "to_deliverables", queryset=Deliverable.objects.select_related("initiative__plan")
            ),
        )

    def from_plan(self, plan):
        return self.filter(Q(initiative__plan=plan) | Q(deliverable__initiative__plan=plan))


# The fate codelist as the database check holds it (``LineageLink.Fate``).
FATES = ["continued", "merged_into", "split_into", "replaced_by", "dropped", "completed", "not_yet_known"]


class LineageLink(Sourced):
    """What became of an initiative or a deliverable of one plan in the plan that succeeds it:
    the plan lineage (the crosswalk). One link per item of the older plan; the items it leads
    to are in the successor plan (``ActionPlan.predecessor``). ``Deliverable.replaces`` is a
    different thing: a change inside one plan at a plan review."""

    class Fate(models.TextChoices):
        CONTINUED = "continued", _("Continued as")
        MERGED_INTO = "merged_into", _("Merged into")
        SPLIT_INTO = "split_into", _("Split into")
        REPLACED_BY = "replaced_by", _("Replaced by")
        DROPPED = "dropped", _("Dropped")
        COMPLETED = "completed", _("Completed")
        NOT_YET_KNOWN = "not_yet_known", _("Not yet known")

    # How many items of the successor plan each fate leads to: (fewest, most or None).
    TARGETS = {
        Fate.CONTINUED: (1, 1),
        Fate.MERGED_INTO: (1, 1),
        Fate.SPLIT_INTO: (2, None),
        Fate.REPLACED_BY: (1, None),
        Fate.DROPPED: (0, 0),
        Fate.COMPLETED: (0, 0),
        Fate.NOT_YET_KNOWN: (0, 0),
    }

    initiative = models.OneToOneField(
        Initiative,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="lineage",
        help_text=_("The initiative of the older plan (or choose a deliverable instead)."),
        verbose_name=_("initiative"),
    )
    deliverable = models.OneToOneField(
        Deliverable,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="lineage",
        help_text=_("The deliverable of the older plan (or choose an initiative instead)."),
        verbose_name=_("deliverable"),
    )
    fate = models.CharField(
        _("what became of it"),
        max_length=20,
        choices=Fate.choices,
        default=Fate.NOT_YET_KNOWN,
        help_text=_(
            "Continued and merged name one item of the next plan, replaced one or more, split two "
            "or more; dropped, completed and not yet known name none."
        ),
    )
    to_initiatives = models.ManyToManyField(
        Initiative,
        blank=True,
        related_name="lineage_sources",
        verbose_name=_("to initiatives of the next plan"),
    )
    to_deliverables = models.ManyToManyField(
        Deliverable,
        blank=True,
        related_name="lineage_sources",
        verbose_name=_("to deliverables of the next plan"),
    )
    note = models.TextField(
        blank=True, help_text=_("How the fate was judged, in a sentence or two."), verbose_name=_("note")
    )

    objects = LineageLinkQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[to_initiatives, to_deliverables])

    class Meta:
        verbose_name_plural = _("plan lineage links")
        ordering = ["pk"]
        verbose_name = _("plan lineage link")
        constraints = [
            exactly_one_target("goals_lineagelink"),
            models.CheckConstraint(
                condition=Q(fate__in=FATES),
                name="goals_lineagelink_fate_in_codelist",
                violation_error_message=_("Choose a fate from the list."),
            ),
            models.CheckConstraint(
                condition=Q(provisional=True) | ~Q(source_url="") | Q(fate="completed"),
                name="goals_lineagelink_sourced_or_provisional",
                violation_error_message=_(
                    "Give the source of this fate, or flag it provisional with a note."
                ),
            ),
            models.CheckConstraint(
                condition=Q(provisional=False) | ~Q(provisional_note=""),
                name="goals_lineagelink_provisional_has_note",
                violation_error_message=_("Say what is known and what is not confirmed."),
            ),
        ]

    def __str__(self):
        item = self.initiative or self.deliverable
        return f"{item} – {self.get_fate_display().lower()}"

    @property
    def item(self):
        return self.initiative or self.deliverable

    @property
    def plan(self):
        return self.initiative.plan if self.initiative_id else self.deliverable.initiative.plan

    @property
    def targets(self):
        """The items of the next plan it leads to: initiatives, then deliverables."""
        return [*self.to_initiatives.all(), *self.to_deliverables.all()]

    @property
    def to_plan(self):
        """The plan of the items it leads to (all in the plan that follows), or None."""
        targets = self.targets
        if not targets:
            return None
        return targets[0].plan if isinstance(targets[0], Initiative) else targets[0].initiative.plan

    def clean(self):
        super().clean()
        clean_target(self)
        if self.provisional is False and not self.source_url and self.fate != self.Fate.COMPLETED:
            raise ValidationError(
                {"source_url": _("Give the source of this fate, or flag it provisional with a note.")}
            )

    def problems_with_targets(self, initiatives, deliverables):
        """What is wrong with leading to these items of the next plan, in words (empty if nothing).

        The rule for targets, in one place: the admin form and the data loader both ask it."""
        plan = self.plan
        successors = [*ActionPlan.objects.filter(predecessor=plan)]
        targets = [*initiatives, *deliverables]
        fewest, most = self.TARGETS[self.fate]
        problems = []
        if not successors:
            problems.append(
                _("The %(plan)s has no successor plan: set the next plan's predecessor first.")
                % {"plan": plan.title}
            )
        label = self.Fate(self.fate).label
        if len(targets) < fewest:
            words = {"fate": label, "count": fewest}
            problems.append(
                ngettext(
                    "“%(fate)s” needs %(count)d item of the next plan.",
                    "“%(fate)s” needs %(count)d items of the next plan.",
                    fewest,
                )
                % words
                if most is not None
                else ngettext(
                    "“%(fate)s” needs at least %(count)d item of the next plan.",
                    "“%(fate)s” needs at least %(count)d items of the next plan.",
                    fewest,
                )
                % words
            )
        if most is not None and len(targets) > most:
            problems.append(
                _("“%(fate)s” leads to no item of the next plan: leave the items empty.") % {"fate": label}
                if most == 0
                else _("“%(fate)s” leads to exactly one item of the next plan.") % {"fate": label}
            )
        successor_ids = {p.pk for p in successors}
        for initiative in initiatives:
            if initiative.plan_id not in successor_ids:
                problems.append(
                    _("Initiative %(number)s is not in the plan that follows the %(plan)s.")
                    % {"number": initiative.number, "plan": plan.title}
                )
        for deliverable in deliverables:
            if deliverable.initiative.plan_id not in successor_ids:
                problems.append(
                    _("Deliverable %(code)s is not in the plan that follows the %(plan)s.")
                    % {"code": deliverable.code, "plan": plan.title}
                )
        return problems


# Indicators ---------------------------------------------------------------------------------


class IndicatorQuerySet(models.QuerySet):
    def for_plan(self, plan):
        return self.filter(plan=plan)

    def with_context(self):
        return self.select_related(
            "plan", "goal__plan", "initiative__plan", "deliverable__initiative__plan", "counts_deliverable"
        )


class Indicator(Sourced):
    """A measure of what a goal, an initiative or a deliverable is meant to change, with a
    baseline, targets and values per reporting round (per member state where it applies).

    A computed indicator is never typed in: its values come from data the tracker already holds
    (``goals.indicators``), for example the member states party to a treaty by year, counted from
    the approved completed per-member-state progress of the accession deliverable."""

    class Kind(models.TextChoices):
        NUMBER = "number", _("Number")
        PERCENT = "percent", _("Percent")
        YES_NO = "yes_no", _("Yes or no")

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    class Computed(models.TextChoices):
        NONE = "", _("No: values are entered and reviewed")
        STATES_COMPLETED = "states_completed", _("Member states that have completed a deliverable, by year")

    # Copied from what it is attached to on save, so that slugs are unique per plan.
    plan = models.ForeignKey(
        ActionPlan,
        on_delete=models.CASCADE,
        related_name="indicators",
        editable=False,
        verbose_name=_("plan"),
    )
    goal = models.ForeignKey(
        StrategicGoal,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("goal"),
    )
    initiative = models.ForeignKey(
        Initiative,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("initiative"),
    )
    deliverable = models.ForeignKey(
        Deliverable,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("deliverable"),
    )
    slug = models.SlugField(
        max_length=80, help_text=_("Its web address in the plan; unique in the plan."), verbose_name=_("slug")
    )
    name = models.CharField(max_length=200, verbose_name=_("name"))
    description = models.TextField(blank=True, verbose_name=_("description"))
    unit = models.CharField(
        max_length=40,
        blank=True,
        help_text=_('What a value counts, for example "member states" or "days".'),
        verbose_name=_("unit"),
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.NUMBER, verbose_name=_("kind"))
    direction = models.CharField(
        max_length=10, choices=Direction.choices, default=Direction.HIGHER, verbose_name=_("direction")
    )
    per_member_state = models.BooleanField(
        _("values per member state"),
        default=False,
        help_text=_("Each member state reports its own value (the page then shows each state's)."),
    )
    baseline_value = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, verbose_name=_("baseline value")
    )
    baseline_date = models.DateField(null=True, blank=True, verbose_name=_("baseline date"))
    baseline_source_url = WebAddressField(_("baseline source"), max_length=500, blank=True)
    computed = models.CharField(
        _("computed from the tracker's data"),
        max_length=30,
        choices=Computed.choices,
        default=Computed.NONE,
        blank=True,
        help_text=_(
            "A computed indicator's values, baseline and target come from data already held; "
            "nobody types them."
        ),
    )
    counts_deliverable = models.ForeignKey(
        Deliverable,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="counted_by_indicators",
        verbose_name=_("deliverable it counts"),
        help_text=_(
            "For a computed indicator: the deliverable tracked per member state whose completions it counts."
        ),
    )
    is_sample = models.BooleanField(
        _("sample data"),
        default=False,
        editable=False,
        help_text=_("Made up for demonstrations by load_plan --sample."),
    )

    objects = IndicatorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["plan__start_year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(goal__isnull=False, initiative__isnull=True, deliverable__isnull=True)
                | Q(goal__isnull=True, initiative__isnull=False, deliverable__isnull=True)
                | Q(goal__isnull=True, initiative__isnull=True, deliverable__isnull=False),
                name="goals_indicator_exactly_one_target",
                violation_error_message=_("Attach it to exactly one goal, initiative or deliverable."),
            ),
            models.UniqueConstraint(
                fields=["plan", "slug"],
                name="goals_indicator_unique_slug_per_plan",
                violation_error_message=_("This plan already has an indicator with this web address."),
            ),
            models.CheckConstraint(
                condition=Q(computed="") | Q(counts_deliverable__isnull=False),
                name="goals_indicator_computed_counts_a_deliverable",
                violation_error_message=_("A computed indicator needs the deliverable it counts."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.plan_id = self._plan_id_of_target()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("indicator-detail", kwargs={"plan": self.plan.slug, "slug": self.slug})

    def clean(self):
        super().clean()
        errors = {}
        if sum(bool(x) for x in (self.goal_id, self.initiative_id, self.deliverable_id)) != 1:
            raise ValidationError(_("Attach it to exactly one goal, initiative or deliverable."))
        self.plan_id = self._plan_id_of_target()
        if self.computed:
            if not self.counts_deliverable_id:
                errors["counts_deliverable"] = _("A computed indicator needs the deliverable it counts.")
            elif not self.counts_deliverable.per_member_state:
                errors["counts_deliverable"] = _("Choose a deliverable tracked per member state.")
            elif self.counts_deliverable.initiative.plan_id != self.plan_id:
                errors["counts_deliverable"] = _("Choose a deliverable of the same plan.")
        elif self.counts_deliverable_id:
            errors["counts_deliverable"] = _(
                "Only a computed indicator counts a deliverable: leave it empty."
            )
        if self.baseline_value is not None and not self.baseline_date:
            errors["baseline_date"] = _("Give the date the baseline refers to.")
        if self.baseline_value is not None and not self.baseline_source_url and not self.computed:
            errors["baseline_source_url"] = _("Give the source of the baseline.")
        if self.baseline_value is not None:
            problem = value_problem(self, self.baseline_value)
            if problem:
                errors["baseline_value"] = problem
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None):
        # The plan is never on a form but follows what the indicator is attached to.
        if exclude is not None:
            exclude = set(exclude) - {"plan"}
        super().validate_constraints(exclude=exclude)

    @property
    def target(self):
        """The goal, initiative or deliverable it measures."""
        return self.goal or self.initiative or self.deliverable

    @property
    def is_computed(self):
        return bool(self.computed)

    def _plan_id_of_target(self):
        if self.goal_id:
            return self.goal.plan_id
        if self.initiative_id:
            return self.initiative.plan_id
        if self.deliverable_id:
            return self.deliverable.initiative.plan_id
        return None


def value_problem(indicator, value):
    """What is wrong with ``value`` for the indicator's kind, or ""."""
    if value is None:
        return ""
    if indicator.kind == Indicator.Kind.PERCENT and not 0 <= value <= 100:
        return _("A percent is between 0 and 100.")
    if indicator.kind == Indicator.Kind.YES_NO and value not in (0, 1):
        return _("A yes-or-no value is 1 (yes) or 0 (no).")
    return ""


class IndicatorTarget(models.Model):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    value = models.DecimalField(max_digits=14, decimal_places=2, verbose_name=_("value"))
    date = models.DateField(help_text=_("When the value is to be reached."), verbose_name=_("date"))
    source_url = WebAddressField(_("source"), max_length=500, blank=True)
    note = models.TextField(blank=True, verbose_name=_("note"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        ordering = ["indicator", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "date"],
                name="goals_indicatortarget_unique_date",
                violation_error_message=_("This indicator already has a target for this date."),
            ),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value} by {self.date}"

    def clean(self):
        super().clean()
        if self.indicator_id:
            problem = value_problem(self.indicator, self.value)
            if problem:
                raise ValidationError({"value": problem})


class IndicatorValueQuerySet(models.QuerySet):
    def public(self):
        """Only approved values are ever shown publicly."""
        return self.filter(review_state=ProgressUpdate.ReviewState.APPROVED)

    def for_plan(self, plan):
        return self.filter(indicator__plan=plan)

    def with_context(self):
        return self.select_related("indicator__plan", "member_state", "round")


def _one_value_per(name, fields, condition):
    return models.UniqueConstraint(
        fields=fields,
        condition=condition,
        name=f"goals_indicatorvalue_one_{name}",
        violation_error_message=_("This indicator already has a value for this round (and member state)."),
    )


class IndicatorValue(models.Model):
    """A value of a typed indicator in a reporting round (for one member state where the
    indicator is per member state), entered and reviewed like progress (``goals.workflow``)."""

    ReviewState = ProgressUpdate.ReviewState

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    round = models.ForeignKey(
        ReportingRound,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicator_values",
        help_text=_("Empty for a value recorded from a public source outside a reporting round."),
        verbose_name=_("round"),
    )
    member_state = models.ForeignKey(
        MemberState,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicator_values",
        help_text=_("Only for indicators with values per member state."),
        verbose_name=_("member state"),
    )
    value = models.DecimalField(max_digits=14, decimal_places=2, verbose_name=_("value"))
    measured_on = models.DateField(_("date of the value"), help_text=_("The date the value refers to."))
    source_url = WebAddressField(_("source"), max_length=500, help_text=_("Where the value can be checked."))
    note = models.TextField(blank=True, verbose_name=_("note"))
    review_state = models.CharField(
        max_length=20, choices=ReviewState.choices, default=ReviewState.DRAFT, verbose_name=_("review state")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submitted_indicator_values",
        verbose_name=_("submitted by"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_indicator_values",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reviewed at"))
    review_note = models.TextField(blank=True, verbose_name=_("review note"))
    data_key = models.CharField(
        max_length=100,
        blank=True,
        editable=False,
        help_text=_("Stable key of a value loaded from the plan data files; empty for staff entries."),
        verbose_name=_("data key"),
    )
    is_sample = models.BooleanField(
        _("sample data"),
        default=False,
        editable=False,
        help_text=_("Made up for demonstrations by load_plan --sample."),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = IndicatorValueQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "-measured_on", "-pk"]
        permissions = [("review_indicatorvalue", "Can approve, return and un-approve indicator values")]
        constraints = [
            _one_value_per(
                "per_round",
                ["indicator", "round"],
                Q(round__isnull=False, member_state__isnull=True),
            ),
            _one_value_per(
                "per_round_and_state",
                ["indicator", "round", "member_state"],
                Q(round__isnull=False, member_state__isnull=False),
            ),
            _one_value_per(
                "per_date",
                ["indicator", "measured_on"],
                Q(round__isnull=True, member_state__isnull=True),
            ),
            _one_value_per(
                "per_date_and_state",
                ["indicator", "measured_on", "member_state"],
                Q(round__isnull=True, member_state__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["data_key"],
                condition=~Q(data_key=""),
                name="goals_indicatorvalue_unique_data_key",
            ),
        ]

    def __str__(self):
        """As pages and messages name it, dated day month year."""
        return self._named(day_month_year(self.measured_on))

    @property
    def data_name(self):
        """As data files name it (the audit log's object), dated by ISO 8601."""
        return self._named(self.measured_on)

    def _named(self, on):
        where = f" – {self.member_state}" if self.member_state_id else ""
        return f"{self.indicator}{where}: {self.value} ({on})"

    def clean(self):
        super().clean()
        errors = {}
        if self.indicator_id:
            indicator = self.indicator
            if indicator.is_computed:
                errors["indicator"] = _(
                    "This indicator is computed from the tracker's data: its values are never typed in."
                )
            if indicator.per_member_state and not self.member_state_id:
                errors["member_state"] = _("This indicator has values per member state: choose one.")
            if not indicator.per_member_state and self.member_state_id:
                errors["member_state"] = _(
                    "This indicator has no values per member state: leave the member state empty."
                )
            if self.round_id and self.round.plan_id != indicator.plan_id:
                errors["round"] = _("This round belongs to another plan.")
            problem = value_problem(indicator, self.value)
            if problem:
                errors["value"] = problem
        if errors:
            raise ValidationError(errors)
