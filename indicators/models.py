"""Indicators with their baselines and targets, partners' reports and values, and narratives."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.bilingual import Translated
from indicators.periods import Frequency, validate_period_key

NUMBER = {"max_digits": 20, "decimal_places": 6}

indicator_code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
    _("Use letters, digits, dots, hyphens and underscores, e.g. R1 or C2.1."),
)


class Level(models.TextChoices):
    OUTCOME = "outcome", _("Population-level outcome")
    CONTRIBUTING = "contributing", _("Contributing measure")


class MeasureType(models.TextChoices):
    COUNT = "count", _("Count")
    AMOUNT = "amount", _("Amount")
    PERCENTAGE = "percentage", _("Percentage")
    RATE = "rate", _("Rate")
    MEAN = "mean", _("Mean")
    SINGLE = "single", _("Single value")


class Direction(models.TextChoices):
    INCREASE = "increase", _("An increase is better")
    DECREASE = "decrease", _("A decrease is better")


class Accumulation(models.TextChoices):
    PER_PERIOD = "per_period", _("Per period (a flow: each period counts on its own)")
    CUMULATIVE = "cumulative", _("Cumulative (a running total since the baseline)")
    LATEST = "latest", _("Latest (a level: a longer span takes its last period)")


class Indicator(models.Model):
    Level = Level

    MeasureType = MeasureType

    Direction = Direction

    Accumulation = Accumulation

    initiative = models.ForeignKey("impact.Initiative", on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=30, validators=[indicator_code_validator])
    name_en = models.CharField(_("name (English)"), max_length=250, blank=True)
    name_fr = models.CharField(_("name (French)"), max_length=250, blank=True)
    definition_en = models.TextField(
        _("definition (English)"),
        blank=True,
        help_text=_("Exactly what is counted, who is included and how it is measured."),
    )
    definition_fr = models.TextField(_("definition (French)"), blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    outcome = models.ForeignKey(
        "self",
        verbose_name=_("contributes to outcome"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contributing_measures",
        limit_choices_to={"level": "outcome"},
    )
    measure_type = models.CharField(_("measure type"), max_length=20, choices=MeasureType.choices)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    frequency = models.CharField(
        _("reporting frequency"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.QUARTERLY,
    )
    accumulation = models.CharField(
        _("accumulation over time"),
        max_length=12,
        choices=Accumulation.choices,
        default=Accumulation.PER_PERIOD,
        help_text=_(
            "Per period: families served this quarter; a year is the sum of its quarters. "
            "Cumulative: families served since the baseline; only for counts and amounts. "
            "Latest: a level such as children enrolled; a year takes its last quarter, never a sum."
        ),
    )
    multiplier = models.DecimalField(
        _("rate multiplier"),
        **NUMBER,
        null=True,
        blank=True,
        help_text=_("For rates only: 1000 for a rate per 1,000."),
    )
    unit_en = models.CharField(_("unit (English)"), max_length=60, blank=True)
    unit_fr = models.CharField(_("unit (French)"), max_length=60, blank=True)
    data_source_en = models.CharField(_("data source (English)"), max_length=250, blank=True)
    data_source_fr = models.CharField(_("data source (French)"), max_length=250, blank=True)
    decimals = models.PositiveSmallIntegerField(
        _("decimals shown"), default=0, validators=[MaxValueValidator(6)]
    )
    min_value = models.DecimalField(_("lowest valid value"), **NUMBER, null=True, blank=True)
    max_value = models.DecimalField(_("highest valid value"), **NUMBER, null=True, blank=True)
    dimensions = models.ManyToManyField(
        "impact.Dimension",
        verbose_name=_("disaggregated by"),
        blank=True,
        related_name="indicators",
    )
    reporting_organizations = models.ManyToManyField(
        "partners.Organization",
        verbose_name=_("reported by"),
        blank=True,
        related_name="assigned_indicators",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords(m2m_fields=[dimensions, reporting_organizations])

    name = Translated()
    definition = Translated()
    unit = Translated()
    data_source = Translated()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "code"], name="indicator_code_unique"),
            models.CheckConstraint(condition=~Q(name_en="") | ~Q(name_fr=""), name="indicator_named"),
            models.CheckConstraint(
                condition=Q(level="outcome", outcome__isnull=True)
                | Q(level="contributing", outcome__isnull=False),
                name="indicator_contributing_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(measure_type__in=MeasureType.values),
                name="indicator_measure_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values), name="indicator_direction_valid"
            ),
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="indicator_frequency_valid"
            ),
            models.CheckConstraint(
                condition=Q(accumulation__in=Accumulation.values),
                name="indicator_accumulation_valid",
            ),
            models.CheckConstraint(
                condition=~Q(accumulation="cumulative") | Q(measure_type__in=["count", "amount"]),
                name="indicator_cumulative_only_for_sums",
            ),
            models.CheckConstraint(
                # NULL > 0 is unknown, which a CHECK lets through: say "not null" outright.
                condition=Q(measure_type="rate", multiplier__isnull=False, multiplier__gt=0)
                | (~Q(measure_type="rate") & Q(multiplier__isnull=True)),
                name="indicator_multiplier_for_rates_only",
            ),
            models.CheckConstraint(condition=Q(decimals__lte=6), name="indicator_decimals_at_most_6"),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(min_value__lte=models.F("max_value")),
                name="indicator_valid_range_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.code} – {self.name}"

    def get_absolute_url(self):
        return reverse("indicator_detail", args=[self.initiative.slug, self.code])

    @property
    def is_outcome(self):
        return self.level == self.Level.OUTCOME

    @property
    def uses_ratio(self):
        """True when partners enter a numerator and a denominator."""
        return self.measure_type in (self.MeasureType.PERCENTAGE, self.MeasureType.RATE)

    def valid_range(self):
        """Return (lowest, highest) a value, baseline or target may take; None where open.

        Combines what the measure type allows (no negative counts, no percentage above 100)
        with the range the coordinator set.
        """
        low, high = self.min_value, self.max_value
        if self.measure_type not in (self.MeasureType.SINGLE, self.MeasureType.MEAN):
            low = max(low, Decimal(0)) if low is not None else Decimal(0)
        if self.measure_type == self.MeasureType.PERCENTAGE:
            high = min(high, Decimal(100)) if high is not None else Decimal(100)
        return low, high


def one_per_category(name, *fields):
    """Uniqueness of ``fields`` per category, the total (no category) included.

    Two partial constraints, because NULLs are distinct in unique indexes on both SQLite and
    PostgreSQL, so a plain unique constraint would let two totals in.
    """
    return [
        models.UniqueConstraint(
            fields=[*fields, "category"],
            condition=Q(category__isnull=False),
            name=f"{name}_per_category",
        ),
        models.UniqueConstraint(
            fields=list(fields), condition=Q(category__isnull=True), name=f"{name}_one_total"
        ),
    ]


class Milestone(models.Model):
    """A value tied to one period of an indicator, for the total (no category) or one category."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="%(class)ss")
    category = models.ForeignKey(
        "impact.Category", verbose_name=_("category"), on_delete=models.PROTECT, null=True, blank=True
    )
    period = models.CharField(_("period"), max_length=7, validators=[validate_period_key])
    value = models.DecimalField(_("value"), **NUMBER)
    note = models.CharField(_("source or note"), max_length=250, blank=True)
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.indicator.code} {self.period}: {self.value}"


class Baseline(Milestone):
    """The value an indicator is measured from: one for the total, one per category."""

    class Meta:
        ordering = ["indicator", "category"]
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")
        constraints = one_per_category("baseline", "indicator")


class Target(Milestone):
    """The value aimed for at the end of one period; between two targets the line is straight."""

    class Meta:
        ordering = ["indicator", "category", "period"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = one_per_category("target", "indicator", "period")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


# A report's values change, and it is submitted, only in these states; a submitted or approved
# report is locked (a coordinator returns it, or reopens an approved one with a reason).
EDITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)


class PartnerReportQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=ReportStatus.APPROVED)

    def locked(self):
        return self.exclude(status__in=EDITABLE_STATUSES)


class PartnerReport(models.Model):
    """One organization's values for one period: draft → submitted → approved or returned."""

    initiative = models.ForeignKey("impact.Initiative", on_delete=models.PROTECT, related_name="reports")
    organization = models.ForeignKey(
        "partners.Organization", on_delete=models.PROTECT, related_name="reports"
    )
    period = models.CharField(_("period"), max_length=7, validators=[validate_period_key])
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    # Optimistic locking: every save of the report or its values increments it, and a save based
    # on an older version is refused instead of silently overwriting someone else's change.
    version = models.PositiveIntegerField(_("version"), default=1)
    due_date = models.DateField(_("due date"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    review_comment = models.TextField(_("comment to the partner"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    history = HistoricalRecords()

    objects = PartnerReportQuerySet.as_manager()

    class Meta:
        ordering = ["-period", "organization__name_en"]
        verbose_name = _("partner report")
        verbose_name_plural = _("partner reports")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "organization", "period"], name="report_once_per_period"
            ),
            models.CheckConstraint(condition=Q(status__in=ReportStatus.values), name="report_status_valid"),
            models.CheckConstraint(condition=Q(version__gte=1), name="report_version_positive"),
        ]
        indexes = [models.Index(fields=["initiative", "status", "period"], name="report_status_idx")]

    def __str__(self):
        return f"{self.organization} – {self.period}"

    @property
    def is_editable(self):
        return self.status in EDITABLE_STATUSES


class ReportAction(models.TextChoices):
    SUBMIT = "submit", _("Submitted")
    APPROVE = "approve", _("Approved")
    RETURN = "return", _("Returned")
    REOPEN = "reopen", _("Reopened")


class ReportEvent(models.Model):
    """The audit trail of a report's status changes, written only by the report services."""

    Action = ReportAction

    report = models.ForeignKey(
        PartnerReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=10, choices=ReportStatus.choices)
    to_status = models.CharField(_("to"), max_length=10, choices=ReportStatus.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("report event")
        verbose_name_plural = _("report events")

    def __str__(self):
        return f"{self.report} {self.action} {self.at:%Y-%m-%d %H:%M}"


class DataValue(models.Model):
    """One reported figure: a value, or a numerator and denominator, for the total or a category.

    For a mean, ``value`` is the mean and ``denominator`` its sample size n. A row exists only
    when something was reported: an empty field is "not reported", an explicit 0 is a value.
    """

    report = models.ForeignKey(PartnerReport, on_delete=models.PROTECT, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    category = models.ForeignKey(
        "impact.Category", on_delete=models.PROTECT, null=True, blank=True, related_name="values"
    )
    value = models.DecimalField(_("value"), **NUMBER, null=True, blank=True)
    numerator = models.DecimalField(_("numerator"), **NUMBER, null=True, blank=True)
    denominator = models.DecimalField(_("denominator"), **NUMBER, null=True, blank=True)
    not_available = models.BooleanField(_("not available"), default=False)
    not_available_reason = models.CharField(_("why not available"), max_length=250, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "category"]
        verbose_name = _("data value")
        verbose_name_plural = _("data values")
        constraints = [
            *one_per_category("value", "report", "indicator"),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
                name="value_denominator_positive",
            ),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True) | Q(numerator__gte=0),
                name="value_numerator_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True) | Q(denominator__isnull=False),
                name="value_numerator_has_denominator",
            ),
            models.CheckConstraint(
                condition=Q(not_available=False)
                | (
                    Q(value__isnull=True, numerator__isnull=True, denominator__isnull=True)
                    & ~Q(not_available_reason="")
                ),
                name="value_not_available_has_reason_only",
            ),
            models.CheckConstraint(
                condition=Q(not_available=True) | Q(value__isnull=False) | Q(numerator__isnull=False),
                name="value_reports_something",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "category"], name="value_indicator_idx")]

    def __str__(self):
        return f"{self.indicator.code} {self.report.period}"


SUM = {"max_digits": 38, "decimal_places": 6}


class Rollup(models.Model):
    """What one indicator's figures add up to for one period, category and report status.

    The outcome engine reads these instead of every value: a page costs the same in year ten as
    in year one. Only approved and submitted reports are rolled up (the two statuses any page
    counts); an organization has one report per period, so the rows of the two statuses add up.
    Rebuilt for a report's period inside the transaction of each of its status changes
    (indicators/outcomes/rollups.py); nothing else writes them.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey("impact.Category", on_delete=models.CASCADE, related_name="+", null=True)
    period = models.CharField(max_length=7)
    status = models.CharField(max_length=10, choices=ReportStatus.choices)
    total = models.DecimalField(**SUM, null=True)  # Σ value
    numerator = models.DecimalField(**SUM, null=True)  # Σ numerator
    denominator = models.DecimalField(**SUM, null=True)  # Σ denominator (Σ n for a mean)
    # Σ value · denominator: twice the decimals of a value, kept exact.
    weighted = models.DecimalField(max_digits=52, decimal_places=12, null=True)
    organizations = models.PositiveIntegerField()  # organizations with a figure here
    values = models.PositiveIntegerField()  # the figures rolled up

    class Meta:
        verbose_name = _("pooled figures")
        verbose_name_plural = _("pooled figures")
        constraints = one_per_category("rollup", "indicator", "period", "status")

    def __str__(self):
        return f"{self.indicator_id} {self.period} {self.category_id} {self.status}"


class NarrativeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Narrative(models.Model):
    """The story behind the curve for one indicator and period (Results-Based Accountability)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="narratives")
    period = models.CharField(_("period"), max_length=7, validators=[validate_period_key])
    story_en = models.TextField(_("what is driving the curve (English)"), blank=True)
    story_fr = models.TextField(_("what is driving the curve (French)"), blank=True)
    partners_en = models.TextField(_("partners contributing (English)"), blank=True)
    partners_fr = models.TextField(_("partners contributing (French)"), blank=True)
    next_steps_en = models.TextField(_("what comes next (English)"), blank=True)
    next_steps_fr = models.TextField(_("what comes next (French)"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=NarrativeStatus.choices, default=NarrativeStatus.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    history = HistoricalRecords()

    story = Translated()
    partners = Translated()
    next_steps = Translated()

    class Meta:
        ordering = ["indicator", "-period"]
        verbose_name = _("narrative")
        verbose_name_plural = _("narratives")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="narrative_once_per_period"),
            models.CheckConstraint(
                condition=Q(status__in=NarrativeStatus.values), name="narrative_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.period}"


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due soon")
    LATE = "late", _("Late")


class Reminder(models.Model):
    """A reminder sent about one organization's report for one period, so it is sent only once."""

    Kind = ReminderKind

    initiative = models.ForeignKey("impact.Initiative", on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey("partners.Organization", on_delete=models.CASCADE, related_name="+")
    period = models.CharField(_("period"), max_length=7)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "organization", "period", "kind"], name="reminder_once_per_report"
            ),
        ]

    def __str__(self):
        return f"{self.organization} {self.period} {self.kind}"
