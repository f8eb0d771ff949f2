"""Small cells stay hidden outside the backbone, and can't be worked out from what is shown."""

import datetime
from decimal import Decimal as D

import pytest

from indicators.models import Baseline, DataValue, PartnerReport, Target
from indicators.outcomes import rollups
from indicators.outcomes.disclosure import Suppressed, suppress
from indicators.outcomes.engine import initiative_outcomes
from tests.factories import (
    CategoryFactory,
    DimensionFactory,
    IndicatorFactory,
    InitiativeFactory,
    OrganizationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    initiative = InitiativeFactory(fiscal_year_start_month=4)
    organization = OrganizationFactory()
    dimension = DimensionFactory(initiative=initiative)
    categories = [
        CategoryFactory(dimension=dimension, code=code, order=index) for index, code in enumerate("xyz")
    ]
    return initiative, organization, categories


def indicator_with(initiative, categories, **fields):
    made = IndicatorFactory(initiative=initiative, frequency="annual", **fields)
    made.dimensions.add(categories[0].dimension)
    return made


def reported(initiative, organization, indicator, year, total, by_category, **fields):
    report, _ = PartnerReport.objects.get_or_create(
        initiative=initiative,
        organization=organization,
        period=year,
        defaults={"status": "approved", "due_date": datetime.date(2027, 1, 1)},
    )
    DataValue.objects.create(report=report, indicator=indicator, **total)
    for category, figures in by_category.items():
        DataValue.objects.create(report=report, indicator=indicator, category=category, **figures)
    rollups.refresh_report(report)


def shown(initiative, indicator):
    outcome = initiative_outcomes(initiative)[indicator.pk]
    suppress(outcome, 5)
    return outcome, {
        (category.code, point.period.key): point.value
        for category, series in outcome.categories.items()
        for point in series.points
    }


def test_two_small_cells_take_a_larger_one_with_them(setup):
    initiative, organization, (x, y, z) = setup
    served = indicator_with(initiative, [x])
    reported(
        initiative,
        organization,
        served,
        "2025",
        {"value": D(108)},
        {x: {"value": D(4)}, y: {"value": D(4)}, z: {"value": D(100)}},
    )
    _outcome, cells = shown(initiative, served)
    # Without z hidden, 108 − 100 = 8 would make x and y both 4.
    assert cells == {
        ("x", "2025"): Suppressed(5),
        ("y", "2025"): Suppressed(5),
        ("z", "2025"): Suppressed(5, complement=True),
    }


def test_zero_is_not_a_small_cell(setup):
    initiative, organization, (x, y, z) = setup
    served = indicator_with(initiative, [x])
    reported(
        initiative,
        organization,
        served,
        "2025",
        {"value": D(30)},
        {x: {"value": D(0)}, y: {"value": D(10)}, z: {"value": D(20)}},
    )
    _outcome, cells = shown(initiative, served)
    assert cells == {("x", "2025"): D(0), ("y", "2025"): D(10), ("z", "2025"): D(20)}


def test_a_small_flow_of_a_running_total_is_hidden_too(setup):
    initiative, organization, (x, y, z) = setup
    screened = indicator_with(initiative, [x], accumulation="cumulative")
    Baseline.objects.create(indicator=screened, period="2024", value=D(0))
    reported(
        initiative,
        organization,
        screened,
        "2025",
        {"value": D(60)},
        {x: {"value": D(10)}, y: {"value": D(20)}, z: {"value": D(30)}},
    )
    reported(
        initiative,
        organization,
        screened,
        "2026",
        {"value": D(82)},
        {x: {"value": D(2)}, y: {"value": D(10)}, z: {"value": D(10)}},
    )
    _outcome, cells = shown(initiative, screened)
    # 2026 running totals 12, 30, 40 are not small, but 12 − 10 would show that 2 children came.
    assert cells[("x", "2026")] == Suppressed(5)
    # The smallest other flow (y and z both grew by 10; y comes first) is hidden with it.
    assert cells[("y", "2026")] == Suppressed(5, complement=True)
    assert cells[("z", "2026")] == D(40)
    assert cells[("x", "2025")] == D(10)


def test_a_hidden_figure_takes_its_progress_and_a_small_baseline_along(setup):
    initiative, organization, (x, y, z) = setup
    served = indicator_with(initiative, [x])
    Baseline.objects.create(indicator=served, category=x, period="2024", value=D(2))
    Target.objects.create(indicator=served, category=x, period="2026", value=D(10))
    reported(
        initiative,
        organization,
        served,
        "2025",
        {"value": D(50)},
        {x: {"value": D(3)}, y: {"value": D(20)}, z: {"value": D(27)}},
    )
    outcome, _cells = shown(initiative, served)
    point = next(p for p in outcome.categories[x].points if p.period.key == "2025")
    assert (point.progress, point.change) == (None, None)
    assert outcome.categories[x].baseline_hidden == Suppressed(5)


def test_percentages_by_category_show_no_counts_and_no_figure_on_small_ones(setup):
    initiative, organization, (x, y, z) = setup
    ready = indicator_with(initiative, [x], measure_type="percentage")
    reported(
        initiative,
        organization,
        ready,
        "2025",
        {"numerator": D(70), "denominator": D(104)},
        {
            x: {"numerator": D(3), "denominator": D(4)},  # 3 of 4 children
            y: {"numerator": D(40), "denominator": D(60)},
            z: {"numerator": D(27), "denominator": D(40)},
        },
    )
    outcome, cells = shown(initiative, ready)
    assert cells[("x", "2025")] == Suppressed(5)
    assert cells[("y", "2025")] == D("66.66666666666666666666666667") or round(cells[("y", "2025")], 2) == D(
        "66.67"
    )
    assert all(
        p.numerator is None and p.denominator is None for s in outcome.categories.values() for p in s.points
    )
