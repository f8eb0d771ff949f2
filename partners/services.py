"""Writes to who takes part in an initiative, one transaction each."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from partners.models import Organization, Participation


def _is_last_backbone(participation):
    """True when no other organization leads the initiative; call inside the writing transaction.

    The backbone rows are locked, so two coordinators demoting each other's organizations at the
    same moment cannot both succeed and leave the initiative without a backbone.
    """
    if participation.role != Participation.Role.BACKBONE:
        return False
    backbones = Participation.objects.select_for_update().filter(
        initiative=participation.initiative_id, role=Participation.Role.BACKBONE
    )
    return not [p for p in backbones if p.pk != participation.pk]


@transaction.atomic
def participation_add(*, initiative, organization, role) -> Participation:
    return Participation.objects.create(initiative=initiative, organization=organization, role=role)


@transaction.atomic
def organization_create(*, fields, initiative, role) -> Participation:
    """Register a new organization and bring it into the initiative."""
    organization = Organization.objects.create(**fields)
    return Participation.objects.create(initiative=initiative, organization=organization, role=role)


@transaction.atomic
def participation_change_role(*, participation, role) -> Participation:
    if role != participation.role and _is_last_backbone(participation):
        raise ValidationError(
            _("An initiative needs a backbone: make another organization the backbone first.")
        )
    participation.role = role
    participation.save()
    if role == Participation.Role.FUNDER:
        # Funders never write: one that reported before keeps its past reports on record but is
        # no longer expected to send new ones.
        for indicator in participation.initiative.indicators.filter(
            reporting_organizations=participation.organization
        ):
            indicator.reporting_organizations.remove(participation.organization)
    return participation


@transaction.atomic
def participation_remove(*, participation) -> None:
    """Take an organization out of an initiative, unless that would lose its reports or the backbone."""
    initiative, organization = participation.initiative, participation.organization
    if _is_last_backbone(participation):
        raise ValidationError(
            _("An initiative needs a backbone: make another organization the backbone first.")
        )
    if initiative.reports.filter(organization=organization).exists():
        raise ValidationError(
            _(
                "%(organization)s has reported data for this initiative; its reports stay on record, "
                "so it cannot be removed."
            )
            % {"organization": organization}
        )
    for indicator in initiative.indicators.filter(reporting_organizations=organization):
        indicator.reporting_organizations.remove(organization)
    participation.delete()
