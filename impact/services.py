"""Writes to an initiative, its population and its dimensions, one transaction each."""

from django.db import transaction

from impact.models import Category, Initiative, TargetPopulation
from partners.models import Participation


@transaction.atomic
def initiative_create(*, fields, backbone=None, population=None) -> Initiative:
    """Create an initiative with its population (empty unless given) and, if given, its backbone."""
    initiative = Initiative.objects.create(**fields)
    TargetPopulation.objects.create(initiative=initiative, **(population or {}))
    if backbone is not None:
        Participation.objects.create(
            initiative=initiative, organization=backbone, role=Participation.Role.BACKBONE
        )
    return initiative


@transaction.atomic
def initiative_update(*, initiative, fields) -> Initiative:
    _assign(initiative, fields)
    initiative.save()
    return initiative


@transaction.atomic
def population_save(*, population, fields) -> TargetPopulation:
    _assign(population, fields)
    population.save()
    return population


@transaction.atomic
def dimension_save(*, dimension, fields, categories=()):
    """Save a dimension and the changes to its categories ([(category, fields, or None to delete
    it)]) together or not at all."""
    _assign(dimension, fields)
    dimension.save()
    for category, category_fields in categories:
        if category_fields is None:
            category.delete()
        else:
            category_save(category=category, dimension=dimension, fields=category_fields)
    return dimension


def category_save(*, category, dimension, fields) -> Category:
    _assign(category, fields)
    category.dimension = dimension
    category.save()
    return category


def _assign(instance, fields):
    for name, value in fields.items():
        setattr(instance, name, value)
