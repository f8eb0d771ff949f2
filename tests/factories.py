"""factory_boy factories: each test builds only what it needs."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from impact.models import Category, Dimension, Initiative, TargetPopulation
from indicators.models import Baseline, DataValue, Indicator, PartnerReport, Target
from partners.models import Organization, OrganizationMember, Participation

PASSWORD = "a-long-test-password"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    slug = factory.Sequence(lambda n: f"org-{n}")
    name_en = factory.Sequence(lambda n: f"Organization {n}")
    name_fr = factory.Sequence(lambda n: f"Organisme {n}")
    sector = Organization.Sector.NON_PROFIT


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganizationMember

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"initiative-{n}")
    name_en = factory.Sequence(lambda n: f"Initiative {n}")
    name_fr = factory.Sequence(lambda n: f"Initiative {n} (fr)")
    issue_en = "Too many children start school vulnerable."
    agenda_en = "Every child ready for school by 2030."
    start_date = datetime.date(2024, 4, 1)
    fiscal_year_start_month = 4
    population = factory.RelatedFactory(
        "tests.factories.PopulationFactory", factory_related_name="initiative"
    )


class PopulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetPopulation

    initiative = factory.SubFactory(InitiativeFactory, population=None)
    description_en = "Children aged 0 to 6"
    estimated_size = 1200


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    organization = factory.SubFactory(OrganizationFactory)
    initiative = factory.SubFactory(InitiativeFactory)
    role = Participation.Role.PARTNER


class DimensionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dimension

    initiative = factory.SubFactory(InitiativeFactory)
    code = factory.Sequence(lambda n: f"dim{n}")
    name_en = factory.Sequence(lambda n: f"Dimension {n}")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    dimension = factory.SubFactory(DimensionFactory)
    code = factory.Sequence(lambda n: f"cat{n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    initiative = factory.SubFactory(InitiativeFactory)
    code = factory.Sequence(lambda n: f"I{n}")
    name_en = factory.Sequence(lambda n: f"Indicator {n}")
    name_fr = factory.Sequence(lambda n: f"Indicateur {n}")
    level = Indicator.Level.OUTCOME
    measure_type = Indicator.MeasureType.COUNT
    frequency = "quarterly"


class BaselineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Baseline

    indicator = factory.SubFactory(IndicatorFactory)
    period = "2024-Q1"
    value = Decimal("100")


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    indicator = factory.SubFactory(IndicatorFactory)
    period = "2026-Q4"
    value = Decimal("150")


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerReport

    initiative = factory.SubFactory(InitiativeFactory)
    organization = factory.SubFactory(OrganizationFactory)
    period = "2025-Q1"
    due_date = datetime.date(2025, 7, 30)


class ValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataValue

    report = factory.SubFactory(ReportFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    value = Decimal("10")
