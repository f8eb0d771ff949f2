"""Writes to an initiative that touch several rows, one transaction each."""

from django.db import transaction

from impact.models import Initiative, TargetPopulation
from partners.models import Participation


@transaction.atomic
def initiative_create(*, form, backbone) -> Initiative:
    """Create an initiative from a valid form, with an empty population and its backbone."""
    initiative = form.save()
    TargetPopulation.objects.create(initiative=initiative)
    Participation.objects.create(
        initiative=initiative, organization=backbone, role=Participation.Role.BACKBONE
    )
    return initiative


@transaction.atomic
def dimension_save(*, form, categories):
    """Save a dimension and its categories (both forms already valid) together or not at all."""
    dimension = form.save()
    categories.instance = dimension
    categories.save()
    return dimension
