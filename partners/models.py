"""Organizations, the people in them, and the role each organization plays in an initiative."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.bilingual import Translated


class Sector(models.TextChoices):
    NON_PROFIT = "non_profit", _("Non-profit")
    PUBLIC_INSTITUTION = "public_institution", _("Public institution")
    GOVERNMENT = "government", _("Government")
    PRIVATE = "private", _("Private")
    PHILANTHROPIC = "philanthropic", _("Philanthropic")
    COMMUNITY_GROUP = "community_group", _("Community group")


class Role(models.TextChoices):
    BACKBONE = "backbone", _("Backbone")
    PARTNER = "partner", _("Partner")
    FUNDER = "funder", _("Funder")


class OrganizationQuerySet(models.QuerySet):
    def reporting_to(self, initiative):
        """The organizations asked to report at least one of ``initiative``'s indicators."""
        return self.filter(assigned_indicators__initiative=initiative).distinct()

    def may_report_in(self, initiative):
        """The organizations that may be asked to report in ``initiative``: its partners and its
        backbone (for figures it collects itself), never its funders (decision 6)."""
        return self.filter(
            participations__initiative=initiative,
            participations__role__in=[Role.PARTNER, Role.BACKBONE],
        )


class Organization(models.Model):
    Sector = Sector

    slug = models.SlugField(
        _("short name"),
        max_length=60,
        unique=True,
        help_text=_("Identifies the organization in spreadsheets and exports, e.g. maison-famille."),
    )
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    website = models.URLField(_("website"), blank=True)
    history = HistoricalRecords()

    objects = OrganizationQuerySet.as_manager()

    name = Translated()

    class Meta:
        ordering = ["name_en", "name_fr"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.CheckConstraint(condition=~Q(name_en="") | ~Q(name_fr=""), name="organization_named"),
            models.CheckConstraint(condition=Q(sector__in=Sector.values), name="organization_sector_valid"),
        ]

    def __str__(self):
        return self.name


class OrganizationMember(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="members"
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organization member")
        verbose_name_plural = _("organization members")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="member_once_per_organization"),
        ]

    def __str__(self):
        return f"{self.user} – {self.organization}"


class Participation(models.Model):
    """An organization's role in one initiative; its members' rights follow from it."""

    Role = Role

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="participations"
    )
    initiative = models.ForeignKey(
        "impact.Initiative", on_delete=models.CASCADE, related_name="participations"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "organization__name_en"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "initiative"], name="participation_once_per_initiative"
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="participation_role_valid"),
        ]

    def __str__(self):
        return f"{self.organization} – {self.get_role_display()}"
