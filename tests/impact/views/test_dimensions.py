"""A coordinator's dimensions and categories: made in one go, kept while data rests on them."""

import pytest
from django.urls import reverse

from impact.models import Category, Dimension
from tests.factories import (
    CategoryFactory,
    DimensionFactory,
    IndicatorFactory,
    ReportFactory,
    ValueFactory,
)
from tests.helpers import formset_data

pytestmark = pytest.mark.django_db


def test_a_dimension_is_created_with_its_categories_in_one_go(world, client_for):
    client = client_for(world.coordinator)
    data = {"code": "age", "name_en": "Age group", "name_fr": "Groupe d'âge", "order": "0"}
    data |= formset_data(
        "categories",
        [
            {"code": "0-2", "name_en": "0–2 years", "order": "0"},
            {"code": "3-5", "name_fr": "3 à 5 ans", "order": "1"},
            {"code": "", "name_en": "", "order": "0"},
        ],
    )
    response = client.post(reverse("dimension_create", args=["ready"]), data)
    assert response.status_code == 302
    dimension = Dimension.objects.get(initiative=world.initiative, code="age")
    assert [c.code for c in dimension.categories.all()] == ["0-2", "3-5"]


def test_two_categories_cannot_share_a_code_and_nothing_is_saved(world, client_for):
    client = client_for(world.coordinator)
    data = {"code": "age", "name_en": "Age group", "order": "0"}
    data |= formset_data(
        "categories",
        [
            {"code": "a", "name_en": "A", "order": "0"},
            {"code": "a", "name_en": "B", "order": "1"},
        ],
    )
    response = client.post(reverse("dimension_create", args=["ready"]), data)
    assert response.status_code == 200
    assert not Dimension.objects.filter(code="age").exists()


def test_a_category_with_reported_values_cannot_be_deleted(world, client_for):
    dimension = DimensionFactory(initiative=world.initiative, code="age")
    category = CategoryFactory(dimension=dimension, code="young", name_en="Young")
    ValueFactory(
        report=ReportFactory(initiative=world.initiative, organization=world.partner_org),
        indicator=IndicatorFactory(initiative=world.initiative),
        category=category,
    )
    client = client_for(world.coordinator)
    data = {"code": "age", "name_en": "Age renamed", "order": "0"}
    data |= formset_data(
        "categories",
        [
            {
                "id": str(category.pk),
                "code": "young",
                "name_en": "Young",
                "order": "0",
                "DELETE": "on",
            }
        ],
        initial=1,
    )
    response = client.post(reverse("dimension_edit", args=["ready", "age"]), data, follow=True)
    assert "used by reported values" in response.content.decode()
    assert Category.objects.filter(pk=category.pk).exists()
    dimension.refresh_from_db()
    assert dimension.name_en != "Age renamed"  # the whole save was rolled back


def test_a_dimension_used_by_an_indicator_is_kept(world, client_for):
    dimension = DimensionFactory(initiative=world.initiative, code="age")
    IndicatorFactory(initiative=world.initiative).dimensions.add(dimension)
    client = client_for(world.coordinator)
    client.post(reverse("dimension_delete", args=["ready", "age"]))
    assert Dimension.objects.filter(pk=dimension.pk).exists()
