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

    source_url = WebAddressField("source", max_length=500, blank=True)
    provisional = models.BooleanField(
        default=False, help_text="Some of this record is not confirmed by a source."
    )
    provisional_note = models.TextField(
        blank=True, help_text="What is known and what is not, when the record is provisional."
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.provisional and not self.provisional_note.strip():
            raise ValidationError({"provisional_note": "Say what is known and what is not confirmed."})


def validate_period(start, end, end_field, message):
    """Refuse an end that comes before its start, naming the end field."""
    if start is not None and end is not None and end < start:
        raise ValidationError({end_field: message})


class Scheduled(models.Model):
    """Planned dates and a weight in the parent's mean: what initiatives and deliverables share."""

    planned_start = models.DateField(null=True, blank=True)
    planned_end = models.DateField(null=True, blank=True)
    weight = models.DecimalField(
        max_digits=5, decimal_places=2, default=1, validators=[MinValueValidator(Decimal("0.01"))]
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gte=models.F("planned_start"))
                | Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True),
                name="%(app_label)s_%(class)s_planned_period_in_order",
                violation_error_message="The planned end cannot come before the planned start.",
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0),
                name="%(app_label)s_%(class)s_weight_positive",
                violation_error_message="The weight must be greater than zero.",
            ),
        ]

    def clean(self):
        super().clean()
        validate_period(
            self.planned_start,
            self.planned_end,
            "planned_end",
            "The planned end cannot come before the planned start.",
        )


class ActionPlanQuerySet(models.QuerySet):
    def with_structure(self):
        """Plans with their goals and initiatives, in three queries whatever their number."""
        return self.prefetch_related(
            models.Prefetch("goals", queryset=StrategicGoal.objects.order_by("number")),
            models.Prefetch("goals__initiatives", queryset=Initiative.objects.order_by("number")),
        )


class ActionPlan(Sourced):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    start_year = models.PositiveSmallIntegerField()
    end_year = models.PositiveSmallIntegerField()
    version_label = models.CharField(
        max_length=100, blank=True, help_text='For example "v2.0 after the 2020 mid-term review".'
    )
    adopted_on = models.DateField(null=True, blank=True)
    predecessor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="successors"
    )
    summary = models.TextField(blank=True)
    goal_term = models.CharField(
        "what it calls its goals",
        max_length=40,
        default="strategic goal",
        validators=[
            RegexValidator(
                r"^[a-z][a-z -]*[a-z]$",
                'In the singular and in lower case, as in running text: "strategic measure".',
            )
        ],
        help_text='The plan\'s own word for its top level, in the singular: "strategic goal" or '
        '"strategic measure". Pages then say "Strategic measure 1".',
    )
    stated_goal_count = models.PositiveSmallIntegerField(
        "number of goals it sets out",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="How many its own text sets out, when the tracker holds fewer: pages then say how many "
        "are recorded of how many, as provisional.",
    )

    objects = ActionPlanQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")),
                name="goals_actionplan_period_in_order",
                violation_error_message="The plan's end year cannot come before its start year.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plan-overview", kwargs={"plan": self.slug})

    def clean(self):
        super().clean()
        validate_period(
            self.start_year, self.end_year, "end_year", "The end year cannot come before the start year."
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


class StrategicGoal(Sourced):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="goals")
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan__start_year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="goals_strategicgoal_unique_number_per_plan",
                violation_error_message="This plan already has a strategic goal with this number.",
            ),
        ]

    def __str__(self):
        # In the plan's own words ("Strategic measure 1") when the plan is at hand; never a
        # query just for a label.
        label = self.plan.goal_label if StrategicGoal.plan.is_cached(self) else "Goal"
        return f"{label} {self.number}: {self.title}"

    def get_absolute_url(self):
        return reverse("goal-detail", kwargs={"plan": self.plan.slug, "number": self.number})


class Initiative(Sourced, Scheduled):
    # The plan is copied from the goal on save so that the database can hold
    # "initiative numbers are unique in their plan" as a constraint.
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="initiatives", editable=False)
    goal = models.ForeignKey(StrategicGoal, on_delete=models.CASCADE, related_name="initiatives")
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan__start_year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="goals_initiative_unique_number_per_plan",
                violation_error_message="This plan already has an initiative with this number.",
            ),
            *Scheduled.Meta.constraints,
        ]

    def __str__(self):
        return f"Initiative {self.number}: {self.title}"

    def save(self, *args, **kwargs):
        self.plan_id = self.goal.plan_id
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("initiative-detail", kwargs={"plan": self.plan.slug, "number": self.number})

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


class Deliverable(Sourced, Scheduled):
    class Kind(models.TextChoices):
        OUTPUT = "output", "Output"
        STUDY = "study", "Study"
        GUIDELINE = "guideline", "Guideline"
        PLATFORM = "platform", "Regional platform"
        NETWORK = "network", "Network or mechanism"
        ACCESSION = "accession", "Treaty accession"
        EVENT = "event", "Event or campaign"

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="deliverables")
    code = models.CharField(
        max_length=20,
        validators=[
            RegexValidator(
                r"^[0-9A-Za-z][0-9A-Za-z.\-]*$",
                "Use letters, digits, dots and hyphens, for example 5.1.",
            )
        ],
        help_text='For example "5.1". Unique within its initiative.',
    )
    # The code in natural order (``code_sort_key``), kept by ``save()``: lists sort by it in the
    # database, so 2.2 comes before 10.1 and pagination stays in the query.
    sort_key = models.CharField(max_length=120, blank=True, editable=False, db_index=True)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OUTPUT)
    per_member_state = models.BooleanField(
        "tracked per member state",
        default=False,
        help_text="Each member state reports its own progress (for example a treaty accession).",
    )
    introduced_in = models.CharField(
        max_length=40, blank=True, help_text='Plan version that added it, for example "v1.0".'
    )
    dropped_in = models.CharField(
        max_length=40, blank=True, help_text="Plan version that dropped it, if any."
    )
    replaces = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaced_by",
        help_text="The deliverable this one amends or replaces after a plan review.",
    )
    url = WebAddressField(
        "web address", max_length=500, blank=True, help_text="Where the output can be used, for a platform."
    )

    objects = DeliverableQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["initiative__plan__start_year", "initiative__number", "sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "code"],
                name="goals_deliverable_unique_code_per_initiative",
                violation_error_message="This initiative already has a deliverable with this code.",
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

    def clean(self):
        super().clean()
        if self.replaces_id and self.replaces_id == self.pk:
            raise ValidationError({"replaces": "A deliverable cannot replace itself."})
        # A change inside one plan (a plan review); what became of it in the next plan is its
        # plan lineage link (``LineageLink``).
        replaces = self.replaces if self.replaces_id and self.initiative_id else None
        if replaces is not None and replaces.initiative.plan_id != self.initiative.plan_id:
            raise ValidationError(
                {
                    "replaces": "A deliverable replaces one of its own plan (after a plan review); "
                    "record what became of an item in the next plan as its plan lineage."
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
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    iso_code = models.CharField(
        "ISO 3166 code",
        max_length=2,
        validators=[RegexValidator(r"^[A-Z]{2}$", "Use the two capital letters of ISO 3166-1.")],
    )
    joined_asean_on = models.DateField("joined ASEAN on")
    source_url = WebAddressField("source", max_length=500, blank=True)

    objects = MemberStateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["iso_code"],
                name="goals_memberstate_unique_iso_code",
                violation_error_message="Another member state already has this ISO code.",
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
        SECRETARIAT = "secretariat", "Secretariat"
        WORKING_GROUP = "working_group", "Working group"
        TASK_FORCE = "task_force", "Task force"
        NETWORK = "network", "Network"
        IP_OFFICE = "ip_office", "National IP office"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    acronym = models.CharField(max_length=30, blank=True)
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    member_state = models.ForeignKey(
        MemberState,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bodies",
        help_text="Required for a national IP office.",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    website = WebAddressField(max_length=300, blank=True)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "bodies"
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="ip_office") | Q(member_state__isnull=False),
                name="goals_body_ip_office_has_member_state",
                violation_error_message="A national IP office must belong to a member state.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self):
        return reverse("body-detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.kind == self.Kind.IP_OFFICE and not self.member_state_id:
            raise ValidationError({"member_state": "A national IP office must belong to a member state."})
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": "A body cannot be its own parent."})


def exactly_one_target(prefix):
    """A check that a row points at an initiative or a deliverable, never both or neither."""
    return models.CheckConstraint(
        condition=Q(initiative__isnull=False, deliverable__isnull=True)
        | Q(initiative__isnull=True, deliverable__isnull=False),
        name=f"{prefix}_exactly_one_target",
        violation_error_message="Choose either an initiative or a deliverable, not both.",
    )


def clean_target(record):
    if bool(record.initiative_id) == bool(record.deliverable_id):
        raise ValidationError("Choose either an initiative or a deliverable, not both.")


class Responsibility(Sourced):
    class Role(models.TextChoices):
        LEAD = "lead", "Lead / champion"
        IMPLEMENTING = "implementing", "Implementing"
        SUPPORTING = "supporting", "Supporting"

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="responsibilities")
    initiative = models.ForeignKey(
        Initiative, null=True, blank=True, on_delete=models.CASCADE, related_name="responsibilities"
    )
    deliverable = models.ForeignKey(
        Deliverable, null=True, blank=True, on_delete=models.CASCADE, related_name="responsibilities"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    note = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["body__name", "role"]
        verbose_name_plural = "responsibilities"
        constraints = [
            exactly_one_target("goals_responsibility"),
            models.UniqueConstraint(
                fields=["body", "initiative", "role"],
                condition=Q(initiative__isnull=False),
                name="goals_responsibility_unique_role_per_initiative",
                violation_error_message="This body already has this role on this initiative.",
            ),
            models.UniqueConstraint(
                fields=["body", "deliverable", "role"],
                condition=Q(deliverable__isnull=False),
                name="goals_responsibility_unique_role_per_deliverable",
                violation_error_message="This body already has this role on this deliverable.",
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
        PLANNED = "planned", "Planned"
        OPEN = "open", "Open for reporting"
        CLOSED = "closed", "Closed"
        PUBLISHED = "published", "Published"

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="rounds")
    name = models.CharField(max_length=200, help_text='For example "77th AWGIPC, Penang, Nov 2025".')
    opens_on = models.DateField()
    closes_on = models.DateField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.PLANNED)
    closed_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the secretariat closed it to reporting."
    )
    is_sample = models.BooleanField(
        "sample data",
        default=False,
        editable=False,
        help_text="Made up for demonstrations by load_plan --sample.",
    )

    objects = ReportingRoundQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan__start_year", "opens_on"]
        permissions = [("manage_reportinground", "Can open, close and publish reporting rounds")]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "name"],
                name="goals_reportinground_unique_name_per_plan",
                violation_error_message="This plan already has a reporting round with this name.",
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="goals_reportinground_period_in_order",
                violation_error_message="A round cannot close before it opens.",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        validate_period(self.opens_on, self.closes_on, "closes_on", "A round cannot close before it opens.")


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
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"
        ON_HOLD = "on_hold", "On hold"
        DROPPED = "dropped", "Dropped"

    class ReviewState(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for review"
        RETURNED = "returned", "Returned for changes"
        APPROVED = "approved", "Approved"

    class DatePrecision(models.TextChoices):
        DAY = "day", "Day"
        MONTH = "month", "Month"
        YEAR = "year", "Year"

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="progress_updates")
    member_state = models.ForeignKey(
        MemberState,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="progress_updates",
        help_text="Only for deliverables tracked per member state.",
    )
    round = models.ForeignKey(
        ReportingRound,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="progress_updates",
        help_text="Empty for facts recorded from public sources outside a reporting round.",
    )
    status = models.CharField(
        "reported status", max_length=20, choices=Status.choices, default=Status.IN_PROGRESS
    )
    percent_complete = models.PositiveSmallIntegerField(
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="0 to 100. Leave empty for completed (100) or not started (0).",
    )
    narrative = models.TextField(blank=True)
    evidence_url = WebAddressField(
        "evidence or source", max_length=500, blank=True, help_text="Where the progress can be checked."
    )
    evidence_file = models.FileField(
        upload_to=evidence_path,
        blank=True,
        validators=[validate_evidence],
        help_text="PDF, image, Office document, CSV or text, up to 10 MB. Public once approved.",
    )
    evidence_sha256 = models.CharField(
        "SHA-256 of the evidence file",
        max_length=64,
        blank=True,
        editable=False,
        help_text="Worked out when the file is attached, so that a copy can be checked later.",
    )
    reported_on = models.DateField(help_text="The date the progress refers to.")
    reported_on_precision = models.CharField(
        "date precision",
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="Month or year when the source gives no exact day.",
    )
    provisional = models.BooleanField(
        default=False, help_text="The date or status is not confirmed by a second source."
    )
    provisional_note = models.TextField(blank=True)
    review_state = models.CharField(max_length=20, choices=ReviewState.choices, default=ReviewState.DRAFT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submitted_updates",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_updates",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    data_key = models.CharField(
        max_length=100,
        blank=True,
        editable=False,
        help_text="Stable key of an update loaded from the plan data files; empty for staff entries.",
    )
    is_sample = models.BooleanField(
        "sample data",
        default=False,
        editable=False,
        help_text="Made up for demonstrations by load_plan --sample.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgressUpdateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-reported_on", "-pk"]
        get_latest_by = "reported_on"
        permissions = [("review_progressupdate", "Can approve, return and un-approve progress updates")]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_complete__gte=0, percent_complete__lte=100),
                name="goals_progressupdate_percent_0_to_100",
                violation_error_message="Percent complete must be between 0 and 100.",
            ),
            models.CheckConstraint(
                condition=(~Q(status="completed") | Q(percent_complete=100))
                & (~Q(status="not_started") | Q(percent_complete=0)),
                name="goals_progressupdate_percent_matches_status",
                violation_error_message="Completed means 100 % and not started means 0 %.",
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
                errors["percent_complete"] = "Give the percent complete, from 0 to 100."
        if self.status == self.Status.COMPLETED and self.percent_complete not in (None, 100):
            errors["percent_complete"] = "A completed deliverable is 100 % complete."
        if self.status == self.Status.NOT_STARTED and self.percent_complete not in (None, 0):
            errors["percent_complete"] = "A deliverable that has not started is 0 % complete."
        if self.deliverable_id:
            if self.deliverable.per_member_state and not self.member_state_id:
                errors["member_state"] = "This deliverable is tracked per member state: choose one."
            if not self.deliverable.per_member_state and self.member_state_id:
                errors["member_state"] = (
                    "This deliverable is not tracked per member state: leave the member state empty."
                )
            if self.round_id and self.round.plan_id != self.deliverable.initiative.plan_id:
                errors["round"] = "This round belongs to another plan."
        if self.provisional and not self.provisional_note.strip():
            errors["provisional_note"] = "Say what is known and what is not confirmed."
        if self.status == self.Status.COMPLETED and not (self.evidence_url or self.evidence_file):
            errors["evidence_url"] = "Completed progress needs evidence: give a link or attach a file."
        if errors:
            raise ValidationError(errors)


class EvidenceLink(models.Model):
    """The last check of an evidence address (``check_evidence_links``, run from cron): when it
    last answered, and since when it has not, so pages can say a link no longer works."""

    url = models.CharField(max_length=500, unique=True)
    checked_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True, help_text="The last time it answered.")
    failing_since = models.DateTimeField(
        null=True, blank=True, help_text="The first check it failed, in the run of failures up to now."
    )
    problem = models.CharField(max_length=200, blank=True, help_text="What the last check found wrong.")

    class Meta:
        ordering = ["url"]

    def __str__(self):
        return self.url


class RoundSnapshot(models.Model):
    """The figures of a plan frozen when a round is published; later edits do not change them."""

    round = models.OneToOneField(ReportingRound, on_delete=models.CASCADE, related_name="snapshot")
    taken_at = models.DateTimeField(auto_now_add=True)
    figures = models.JSONField()

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
        CONTINUED = "continued", "Continued as"
        MERGED_INTO = "merged_into", "Merged into"
        SPLIT_INTO = "split_into", "Split into"
        REPLACED_BY = "replaced_by", "Replaced by"
        DROPPED = "dropped", "Dropped"
        COMPLETED = "completed", "Completed"
        NOT_YET_KNOWN = "not_yet_known", "Not yet known"

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
        help_text="The initiative of the older plan (or choose a deliverable instead).",
    )
    deliverable = models.OneToOneField(
        Deliverable,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="lineage",
        help_text="The deliverable of the older plan (or choose an initiative instead).",
    )
    fate = models.CharField(
        "what became of it",
        max_length=20,
        choices=Fate.choices,
        default=Fate.NOT_YET_KNOWN,
        help_text="Continued and merged name one item of the next plan, replaced one or more, split two "
        "or more; dropped, completed and not yet known name none.",
    )
    to_initiatives = models.ManyToManyField(
        Initiative,
        blank=True,
        related_name="lineage_sources",
        verbose_name="to initiatives of the next plan",
    )
    to_deliverables = models.ManyToManyField(
        Deliverable,
        blank=True,
        related_name="lineage_sources",
        verbose_name="to deliverables of the next plan",
    )
    note = models.TextField(blank=True, help_text="How the fate was judged, in a sentence or two.")

    objects = LineageLinkQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[to_initiatives, to_deliverables])

    class Meta:
        ordering = ["pk"]
        verbose_name = "plan lineage link"
        constraints = [
            exactly_one_target("goals_lineagelink"),
            models.CheckConstraint(
                condition=Q(fate__in=FATES),
                name="goals_lineagelink_fate_in_codelist",
                violation_error_message="Choose a fate from the list.",
            ),
            models.CheckConstraint(
                condition=Q(provisional=True) | ~Q(source_url="") | Q(fate="completed"),
                name="goals_lineagelink_sourced_or_provisional",
                violation_error_message="Give the source of this fate, or flag it provisional with a note.",
            ),
            models.CheckConstraint(
                condition=Q(provisional=False) | ~Q(provisional_note=""),
                name="goals_lineagelink_provisional_has_note",
                violation_error_message="Say what is known and what is not confirmed.",
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
                {"source_url": "Give the source of this fate, or flag it provisional with a note."}
            )

    def problems_with_targets(self, initiatives, deliverables):
        """What is wrong with leading to these items of the next plan, in words (empty if nothing).

        The rule for targets, in one place: the admin form and the data loader both ask it."""
        plan = self.plan
        successors = [*ActionPlan.objects.filter(predecessor=plan)]
        targets = [*initiatives, *deliverables]
        fewest, most = self.TARGETS[self.fate]
        fate = self.get_fate_display().lower()
        problems = []
        if not successors:
            problems.append(f"The {plan.title} has no successor plan: set the next plan's predecessor first.")
        if len(targets) < fewest:
            problems.append(
                f"“{self.Fate(self.fate).label}” needs {'at least ' if most is None else ''}{fewest} "
                f"item{'s' if fewest > 1 else ''} of the next plan."
            )
        if most is not None and len(targets) > most:
            problems.append(
                f"“{fate.capitalize()}” leads to no item of the next plan: leave the items empty."
                if most == 0
                else f"“{self.Fate(self.fate).label}” leads to exactly one item of the next plan."
            )
        successor_ids = {p.pk for p in successors}
        for initiative in initiatives:
            if initiative.plan_id not in successor_ids:
                problems.append(
                    f"Initiative {initiative.number} is not in the plan that follows the {plan.title}."
                )
        for deliverable in deliverables:
            if deliverable.initiative.plan_id not in successor_ids:
                problems.append(
                    f"Deliverable {deliverable.code} is not in the plan that follows the {plan.title}."
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
        NUMBER = "number", "Number"
        PERCENT = "percent", "Percent"
        YES_NO = "yes_no", "Yes or no"

    class Direction(models.TextChoices):
        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"

    class Computed(models.TextChoices):
        NONE = "", "No: values are entered and reviewed"
        STATES_COMPLETED = "states_completed", "Member states that have completed a deliverable, by year"

    # Copied from what it is attached to on save, so that slugs are unique per plan.
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="indicators", editable=False)
    goal = models.ForeignKey(
        StrategicGoal, null=True, blank=True, on_delete=models.CASCADE, related_name="indicators"
    )
    initiative = models.ForeignKey(
        Initiative, null=True, blank=True, on_delete=models.CASCADE, related_name="indicators"
    )
    deliverable = models.ForeignKey(
        Deliverable, null=True, blank=True, on_delete=models.CASCADE, related_name="indicators"
    )
    slug = models.SlugField(max_length=80, help_text="Its web address in the plan; unique in the plan.")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    unit = models.CharField(
        max_length=40, blank=True, help_text='What a value counts, for example "member states" or "days".'
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.NUMBER)
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    per_member_state = models.BooleanField(
        "values per member state",
        default=False,
        help_text="Each member state reports its own value (the page then shows each state's).",
    )
    baseline_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    baseline_date = models.DateField(null=True, blank=True)
    baseline_source_url = WebAddressField("baseline source", max_length=500, blank=True)
    computed = models.CharField(
        "computed from the tracker's data",
        max_length=30,
        choices=Computed.choices,
        default=Computed.NONE,
        blank=True,
        help_text="A computed indicator's values, baseline and target come from data already held; "
        "nobody types them.",
    )
    counts_deliverable = models.ForeignKey(
        Deliverable,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="counted_by_indicators",
        verbose_name="deliverable it counts",
        help_text="For a computed indicator: the deliverable tracked per member state whose "
        "completions it counts.",
    )
    is_sample = models.BooleanField(
        "sample data",
        default=False,
        editable=False,
        help_text="Made up for demonstrations by load_plan --sample.",
    )

    objects = IndicatorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan__start_year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(goal__isnull=False, initiative__isnull=True, deliverable__isnull=True)
                | Q(goal__isnull=True, initiative__isnull=False, deliverable__isnull=True)
                | Q(goal__isnull=True, initiative__isnull=True, deliverable__isnull=False),
                name="goals_indicator_exactly_one_target",
                violation_error_message="Attach it to exactly one goal, initiative or deliverable.",
            ),
            models.UniqueConstraint(
                fields=["plan", "slug"],
                name="goals_indicator_unique_slug_per_plan",
                violation_error_message="This plan already has an indicator with this web address.",
            ),
            models.CheckConstraint(
                condition=Q(computed="") | Q(counts_deliverable__isnull=False),
                name="goals_indicator_computed_counts_a_deliverable",
                violation_error_message="A computed indicator needs the deliverable it counts.",
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
            raise ValidationError("Attach it to exactly one goal, initiative or deliverable.")
        self.plan_id = self._plan_id_of_target()
        if self.computed:
            if not self.counts_deliverable_id:
                errors["counts_deliverable"] = "A computed indicator needs the deliverable it counts."
            elif not self.counts_deliverable.per_member_state:
                errors["counts_deliverable"] = "Choose a deliverable tracked per member state."
            elif self.counts_deliverable.initiative.plan_id != self.plan_id:
                errors["counts_deliverable"] = "Choose a deliverable of the same plan."
        elif self.counts_deliverable_id:
            errors["counts_deliverable"] = "Only a computed indicator counts a deliverable: leave it empty."
        if self.baseline_value is not None and not self.baseline_date:
            errors["baseline_date"] = "Give the date the baseline refers to."
        if self.baseline_value is not None and not self.baseline_source_url and not self.computed:
            errors["baseline_source_url"] = "Give the source of the baseline."
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
        return "A percent is between 0 and 100."
    if indicator.kind == Indicator.Kind.YES_NO and value not in (0, 1):
        return "A yes-or-no value is 1 (yes) or 0 (no)."
    return ""


class IndicatorTarget(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    value = models.DecimalField(max_digits=14, decimal_places=2)
    date = models.DateField(help_text="When the value is to be reached.")
    source_url = WebAddressField("source", max_length=500, blank=True)
    note = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "date"],
                name="goals_indicatortarget_unique_date",
                violation_error_message="This indicator already has a target for this date.",
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
        violation_error_message="This indicator already has a value for this round (and member state).",
    )


class IndicatorValue(models.Model):
    """A value of a typed indicator in a reporting round (for one member state where the
    indicator is per member state), entered and reviewed like progress (``goals.workflow``)."""

    ReviewState = ProgressUpdate.ReviewState

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    round = models.ForeignKey(
        ReportingRound,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicator_values",
        help_text="Empty for a value recorded from a public source outside a reporting round.",
    )
    member_state = models.ForeignKey(
        MemberState,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicator_values",
        help_text="Only for indicators with values per member state.",
    )
    value = models.DecimalField(max_digits=14, decimal_places=2)
    measured_on = models.DateField("date of the value", help_text="The date the value refers to.")
    source_url = WebAddressField("source", max_length=500, help_text="Where the value can be checked.")
    note = models.TextField(blank=True)
    review_state = models.CharField(max_length=20, choices=ReviewState.choices, default=ReviewState.DRAFT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submitted_indicator_values",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_indicator_values",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    data_key = models.CharField(
        max_length=100,
        blank=True,
        editable=False,
        help_text="Stable key of a value loaded from the plan data files; empty for staff entries.",
    )
    is_sample = models.BooleanField(
        "sample data",
        default=False,
        editable=False,
        help_text="Made up for demonstrations by load_plan --sample.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IndicatorValueQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
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
                errors["indicator"] = (
                    "This indicator is computed from the tracker's data: its values are never typed in."
                )
            if indicator.per_member_state and not self.member_state_id:
                errors["member_state"] = "This indicator has values per member state: choose one."
            if not indicator.per_member_state and self.member_state_id:
                errors["member_state"] = (
                    "This indicator has no values per member state: leave the member state empty."
                )
            if self.round_id and self.round.plan_id != indicator.plan_id:
                errors["round"] = "This round belongs to another plan."
            problem = value_problem(indicator, self.value)
            if problem:
                errors["value"] = problem
        if errors:
            raise ValidationError(errors)
