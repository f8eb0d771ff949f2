"""The initiative: its issue and agenda, its target population, and how results are disaggregated."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.bilingual import Translated

code_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9_-]*$",
    _("Use lower-case letters, digits, hyphens and underscores, starting with a letter or digit."),
)


class InitiativeStatus(models.TextChoices):
    PLANNING = "planning", _("Planning")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class Month(models.IntegerChoices):
    JANUARY = 1, _("January")
    FEBRUARY = 2, _("February")
    MARCH = 3, _("March")
    APRIL = 4, _("April")
    MAY = 5, _("May")
    JUNE = 6, _("June")
    JULY = 7, _("July")
    AUGUST = 8, _("August")
    SEPTEMBER = 9, _("September")
    OCTOBER = 10, _("October")
    NOVEMBER = 11, _("November")
    DECEMBER = 12, _("December")


class InitiativeQuerySet(models.QuerySet):
    def for_user(self, user):
        """Return the initiatives ``user`` takes part in through one of their organizations."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(participations__organization__members__user=user).distinct()


class Initiative(models.Model):
    Month = Month

    slug = models.SlugField(
        _("short name in addresses"),
        max_length=60,
        unique=True,
        help_text=_("Lower-case letters, digits and hyphens, e.g. early-years. Cannot be changed later."),
    )
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    issue_en = models.TextField(
        _("complex issue (English)"),
        blank=True,
        help_text=_("The social problem the partners tackle together."),
    )
    issue_fr = models.TextField(_("complex issue (French)"), blank=True)
    agenda_en = models.TextField(
        _("common agenda (English)"),
        blank=True,
        help_text=_("The shared vision of change and the results the partners commit to."),
    )
    agenda_fr = models.TextField(_("common agenda (French)"), blank=True)
    geography_en = models.CharField(_("geography (English)"), max_length=200, blank=True)
    geography_fr = models.CharField(_("geography (French)"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"))
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("fiscal year starts in"),
        choices=Month.choices,
        default=Month.APRIL,
        help_text=_(
            "Quarters and years are counted from this month; 2026 then means the year starting in 2026."
        ),
    )
    report_due_days = models.PositiveSmallIntegerField(
        _("reports due (days after the period ends)"),
        default=30,
        validators=[MaxValueValidator(365)],
    )
    small_cell_threshold = models.PositiveSmallIntegerField(
        _("small-cell threshold"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Disaggregated counts below this are hidden outside the backbone, so that no one can be "
            "singled out."
        ),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=InitiativeStatus.choices, default=InitiativeStatus.ACTIVE
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    history = HistoricalRecords()

    objects = InitiativeQuerySet.as_manager()

    name = Translated()
    issue = Translated()
    agenda = Translated()
    geography = Translated()

    class Meta:
        ordering = ["name_en", "name_fr"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        constraints = [
            models.CheckConstraint(
                condition=~Q(name_en="") | ~Q(name_fr=""), name="initiative_named_in_a_language"
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year_start_month__gte=1, fiscal_year_start_month__lte=12),
                name="initiative_fiscal_month_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=InitiativeStatus.values), name="initiative_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(small_cell_threshold__gte=1), name="initiative_threshold_positive"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("initiative_overview", args=[self.slug])


class TargetPopulation(models.Model):
    initiative = models.OneToOneField(Initiative, on_delete=models.CASCADE, related_name="population")
    description_en = models.TextField(
        _("who (English)"),
        blank=True,
        help_text=_("The people whose lives the initiative aims to change."),
    )
    description_fr = models.TextField(_("who (French)"), blank=True)
    area_en = models.CharField(_("where (English)"), max_length=200, blank=True)
    area_fr = models.CharField(_("where (French)"), max_length=200, blank=True)
    estimated_size = models.PositiveIntegerField(_("estimated size"), null=True, blank=True)
    size_as_of = models.DateField(
        _("size estimated on"),
        null=True,
        blank=True,
        help_text=_("Date of the source of the estimate."),
    )
    size_source_en = models.CharField(_("source of the estimate (English)"), max_length=200, blank=True)
    size_source_fr = models.CharField(_("source of the estimate (French)"), max_length=200, blank=True)
    history = HistoricalRecords()

    description = Translated()
    area = Translated()
    size_source = Translated()

    class Meta:
        verbose_name = _("target population")
        verbose_name_plural = _("target populations")

    def __str__(self):
        return self.description or str(self.initiative)


class Dimension(models.Model):
    """A way of disaggregating results (age group, first official language, region…)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="dimensions")
    code = models.CharField(_("code"), max_length=40, validators=[code_validator])
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    name_fr = models.CharField(_("name (French)"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    name = Translated()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "code"], name="dimension_code_unique"),
            models.CheckConstraint(condition=~Q(name_en="") | ~Q(name_fr=""), name="dimension_named"),
        ]

    def __str__(self):
        return self.name


class Category(models.Model):
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="categories")
    code = models.CharField(_("code"), max_length=40, validators=[code_validator])
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    name_fr = models.CharField(_("name (French)"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    name = Translated()

    class Meta:
        ordering = ["dimension__order", "order", "code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(fields=["dimension", "code"], name="category_code_unique"),
            models.CheckConstraint(condition=~Q(name_en="") | ~Q(name_fr=""), name="category_named"),
        ]

    def __str__(self):
        return self.name


class Profile(models.Model):
    """What Concerto remembers about a person beyond their account: the language they read it in.

    Emails are written in this language; it follows the language the person last logged in with
    or switched to (decision 45).
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return f"{self.user} ({self.language})"
