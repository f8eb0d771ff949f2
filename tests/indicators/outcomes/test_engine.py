"""The outcome engine against numbers computed by hand (written here, never by the code tested)."""

import datetime
from decimal import Decimal as D

import pytest

from indicators.models import Baseline, Target
from indicators.outcomes import rollups
from indicators.outcomes.engine import initiative_outcomes
from indicators.outcomes.forecast import Verdict
from indicators.outcomes.pooling import combine_span, pooled_figures
from indicators.outcomes.progress import Change, OutcomeStatus
from indicators.periods import parse_period
from tests.factories import (
    CategoryFactory,
    DimensionFactory,
    IndicatorFactory,
    InitiativeFactory,
    OrganizationFactory,
    ParticipationFactory,
    ReportFactory,
    ValueFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiative():
    return InitiativeFactory(fiscal_year_start_month=4, start_date=datetime.date(2024, 4, 1))


def partners(initiative, count):
    organizations = [OrganizationFactory() for _ in range(count)]
    for organization in organizations:
        ParticipationFactory(initiative=initiative, organization=organization)
    return organizations


def indicator(initiative, reporters=(), **fields):
    made = IndicatorFactory(initiative=initiative, frequency=fields.pop("frequency", "annual"), **fields)
    made.reporting_organizations.add(*reporters)
    return made


def report(initiative, organization, period, *values, status="approved"):
    """One organization's report: ``values`` are dicts of ValueFactory fields."""
    due = parse_period(period, initiative.fiscal_year_start_month).due_date(initiative.report_due_days)
    made = ReportFactory(
        initiative=initiative, organization=organization, period=period, status=status, due_date=due
    )
    for fields in values:
        ValueFactory(report=made, **({"value": None} | fields))
    rollups.refresh_report(made)  # as the status change that put it there would have
    return made


def outcome(initiative, of, **kwargs):
    return initiative_outcomes(initiative, **kwargs)[of.pk]


def value_at(series, key):
    return next(point for point in series.points if point.period.key == key).value


def point_at(series, key):
    return next(point for point in series.points if point.period.key == key)


# How partners' figures combine -----------------------------------------------------------------


def test_counts_add_up_across_partners(initiative):
    a, b = partners(initiative, 2)
    served = indicator(initiative, [a, b], measure_type="count")
    report(initiative, a, "2025", {"indicator": served, "value": D(10)})
    report(initiative, b, "2025", {"indicator": served, "value": D(15)})
    assert value_at(outcome(initiative, served).total, "2025") == D(25)


def test_amounts_add_up_to_the_cent(initiative):
    a, b = partners(initiative, 2)
    spent = indicator(initiative, [a, b], measure_type="amount")
    report(initiative, a, "2025", {"indicator": spent, "value": D("100.50")})
    report(initiative, b, "2025", {"indicator": spent, "value": D("200.25")})
    assert value_at(outcome(initiative, spent).total, "2025") == D("300.75")


def test_percentages_pool_numerators_and_denominators_never_average(initiative):
    big, small = partners(initiative, 2)
    ready = indicator(initiative, [big, small], measure_type="percentage")
    report(initiative, big, "2025", {"indicator": ready, "numerator": D(10), "denominator": D(1000)})  # 1%
    report(initiative, small, "2025", {"indicator": ready, "numerator": D(45), "denominator": D(50)})  # 90%
    point = point_at(outcome(initiative, ready).total, "2025")
    # 100 × 55 / 1050 = 5.238095…%, where averaging the two percentages would say 45.5%.
    assert round(point.value, 6) == D("5.238095")
    assert (point.numerator, point.denominator) == (D(55), D(1050))


def test_rates_pool_and_apply_their_multiplier(initiative):
    a, b = partners(initiative, 2)
    spaces = indicator(initiative, [a, b], measure_type="rate", multiplier=D(1000))
    report(initiative, a, "2025", {"indicator": spaces, "numerator": D(3), "denominator": D(1500)})
    report(initiative, b, "2025", {"indicator": spaces, "numerator": D(1), "denominator": D(500)})
    assert value_at(outcome(initiative, spaces).total, "2025") == D(2)  # 1000 × 4 / 2000


def test_means_are_weighted_by_their_sample_sizes(initiative):
    a, b = partners(initiative, 2)
    reading = indicator(initiative, [a, b], measure_type="mean")
    report(initiative, a, "2025", {"indicator": reading, "value": D(3), "denominator": D(10)})
    report(initiative, b, "2025", {"indicator": reading, "value": D(5), "denominator": D(30)})
    point = point_at(outcome(initiative, reading).total, "2025")
    assert point.value == D("4.5")  # (3×10 + 5×30) / 40, not the 4 of a plain average
    assert point.denominator == D(40)


def test_a_single_value_is_its_one_sources_figure(initiative):
    (census,) = partners(initiative, 1)
    children = indicator(initiative, [census], measure_type="single")
    report(initiative, census, "2025", {"indicator": children, "value": D(9850)})
    point = point_at(outcome(initiative, children).total, "2025")
    assert (point.value, point.reporting, point.expected) == (D(9850), 1, 1)


def test_a_partner_that_did_not_report_is_counted_as_missing_not_as_zero(initiative):
    a, b, c = partners(initiative, 3)
    served = indicator(initiative, [a, b, c], measure_type="count")
    report(initiative, a, "2025", {"indicator": served, "value": D(10)})
    report(initiative, b, "2025", {"indicator": served, "value": D(0)})  # an explicit 0 is a value
    point = point_at(outcome(initiative, served).total, "2025")
    assert (point.value, point.reporting, point.expected, point.incomplete) == (D(10), 2, 3, True)


def test_only_approved_reports_count_unless_a_coordinator_previews_submitted_ones(initiative):
    a, b, c, d = partners(initiative, 4)
    served = indicator(initiative, [a, b, c, d], measure_type="count")
    report(initiative, a, "2025", {"indicator": served, "value": D(10)})
    report(initiative, b, "2025", {"indicator": served, "value": D(99)}, status="returned")
    report(initiative, c, "2025", {"indicator": served, "value": D(50)}, status="draft")
    report(initiative, d, "2025", {"indicator": served, "value": D(7)}, status="submitted")
    approved = point_at(outcome(initiative, served).total, "2025")
    preview = point_at(outcome(initiative, served, include_pending=True).total, "2025")
    assert (approved.value, approved.pending) == (D(10), False)
    assert (preview.value, preview.pending, preview.reporting) == (D(17), True, 2)


def test_a_figure_marked_not_available_is_not_reported(initiative):
    a, b = partners(initiative, 2)
    served = indicator(initiative, [a, b], measure_type="count")
    report(initiative, a, "2025", {"indicator": served, "value": D(10)})
    report(
        initiative, b, "2025", {"indicator": served, "not_available": True, "not_available_reason": "closed"}
    )
    point = point_at(outcome(initiative, served).total, "2025")
    assert (point.value, point.reporting) == (D(10), 1)


def test_categories_combine_within_their_category(initiative):
    a, b = partners(initiative, 2)
    language = DimensionFactory(initiative=initiative)
    french = CategoryFactory(dimension=language)
    ready = indicator(initiative, [a, b], measure_type="percentage")
    ready.dimensions.add(language)
    report(
        initiative,
        a,
        "2025",
        {"indicator": ready, "category": french, "numerator": D(30), "denominator": D(40)},
    )
    report(
        initiative,
        b,
        "2025",
        {"indicator": ready, "category": french, "numerator": D(10), "denominator": D(60)},
    )
    assert value_at(outcome(initiative, ready).categories[french], "2025") == D(40)  # 100 × 40 / 100


# Over time -------------------------------------------------------------------------------------


def test_a_cumulative_indicator_is_a_running_total_from_the_baseline(initiative):
    (a,) = partners(initiative, 1)
    screened = indicator(
        initiative, [a], measure_type="count", accumulation="cumulative", frequency="quarterly"
    )
    Baseline.objects.create(indicator=screened, period="2024-Q1", value=D(100))
    report(initiative, a, "2023-Q4", {"indicator": screened, "value": D(50)})  # before the baseline
    report(initiative, a, "2024-Q2", {"indicator": screened, "value": D(10)})
    report(initiative, a, "2024-Q4", {"indicator": screened, "value": D(5)})
    series = outcome(initiative, screened).total
    assert [(p.period.key, p.value) for p in series.points] == [
        ("2023-Q4", None),
        ("2024-Q1", D(100)),
        ("2024-Q2", D(110)),
        ("2024-Q3", None),  # nobody reported this quarter
        ("2024-Q4", D(115)),
    ]


def test_longer_spans_add_flows_pool_ratios_and_take_the_last_level(initiative):
    (a,) = partners(initiative, 1)
    flow = indicator(initiative, [a], measure_type="count", frequency="quarterly")
    level = indicator(initiative, [a], measure_type="count", accumulation="latest", frequency="quarterly")
    share = indicator(initiative, [a], measure_type="percentage", frequency="quarterly")
    for quarter, count, numerator in (("2025-Q1", 5, 1), ("2025-Q2", 7, 9)):
        report(
            initiative,
            a,
            quarter,
            {"indicator": flow, "value": D(count)},
            {"indicator": level, "value": D(count)},
            {"indicator": share, "numerator": D(numerator), "denominator": D(10)},
        )
    pooled = pooled_figures([flow, level, share])
    year = [parse_period(f"2025-Q{n}", 4) for n in range(1, 5)]

    def by_period(of):
        return {
            key: figures
            for (indicator_id, key, _category), figures in pooled.items()
            if indicator_id == of.pk
        }

    assert combine_span(flow, by_period(flow), year) == D(12)
    assert combine_span(level, by_period(level), year) == D(7)
    assert combine_span(share, by_period(share), year) == D(50)  # 100 × 10 / 20, not (10% + 90%) / 2


def test_a_fiscal_year_starting_in_april_ends_the_series_at_the_last_ended_quarter(initiative):
    (a,) = partners(initiative, 1)
    served = indicator(initiative, [a], measure_type="count", frequency="quarterly")
    report(initiative, a, "2026-Q1", {"indicator": served, "value": D(3)})  # April–June 2026
    series = outcome(initiative, served, today=datetime.date(2027, 2, 10)).total  # in 2026-Q4
    assert [p.period.key for p in series.points] == ["2026-Q1", "2026-Q2", "2026-Q3"]
    assert series.points[-1].period.end == datetime.date(2026, 12, 31)


# Baselines, targets, progress and status -------------------------------------------------------


@pytest.fixture
def readiness(initiative):
    """An annual percentage: baseline 50 in 2024, targets 60 in 2026 and 90 in 2028."""
    (board,) = partners(initiative, 1)
    ready = indicator(initiative, [board], measure_type="percentage")
    Baseline.objects.create(indicator=ready, period="2024", value=D(50))
    Target.objects.create(indicator=ready, period="2026", value=D(60))
    Target.objects.create(indicator=ready, period="2028", value=D(90))
    ready.board = board
    return ready


def test_targets_between_milestones_are_interpolated_in_a_straight_line(initiative, readiness):
    for year in ("2025", "2026", "2027"):
        report(
            initiative,
            readiness.board,
            year,
            {"indicator": readiness, "numerator": D(50), "denominator": D(100)},
        )
    series = outcome(initiative, readiness).total
    assert [(p.period.key, p.target, p.target_interpolated) for p in series.points] == [
        ("2024", D(50), True),
        ("2025", D(55), True),  # halfway from the baseline (50) to 2026's 60
        ("2026", D(60), False),
        ("2027", D(75), True),  # halfway from 60 to 2028's 90
    ]


@pytest.mark.parametrize(
    ("numerator", "progress", "status", "change"),
    [
        (72, D("0.55"), OutcomeStatus.ON_TRACK, Change.IMPROVING),  # target 75, allowance 10% of 40 = 4
        (71, D("0.525"), OutcomeStatus.ON_TRACK, Change.IMPROVING),
        (70, D("0.5"), OutcomeStatus.OFF_TRACK, Change.IMPROVING),  # below 75 − 4
        (45, D("-0.125"), OutcomeStatus.OFF_TRACK, Change.WORSENING),
        (50, D(0), OutcomeStatus.OFF_TRACK, Change.UNCHANGED),
        (95, D("1.125"), OutcomeStatus.ACHIEVED, Change.IMPROVING),
    ],
)
def test_progress_and_status_when_an_increase_is_better(
    initiative, readiness, numerator, progress, status, change
):
    report(
        initiative,
        readiness.board,
        "2027",
        {"indicator": readiness, "numerator": D(numerator), "denominator": D(100)},
    )
    point = point_at(outcome(initiative, readiness).total, "2027")
    assert (point.progress, point.status, point.change) == (progress, status, change)


@pytest.mark.parametrize(
    ("numerator", "progress", "status", "change"),
    [
        (16, D("0.4"), OutcomeStatus.ON_TRACK, Change.IMPROVING),  # target 15, allowance 10% of 10 = 1
        (17, D("0.3"), OutcomeStatus.OFF_TRACK, Change.IMPROVING),
        (21, D("-0.1"), OutcomeStatus.OFF_TRACK, Change.WORSENING),
        (9, D("1.1"), OutcomeStatus.ACHIEVED, Change.IMPROVING),
    ],
)
def test_progress_and_status_when_a_decrease_is_better(initiative, numerator, progress, status, change):
    (board,) = partners(initiative, 1)
    vulnerable = indicator(initiative, [board], measure_type="percentage", direction="decrease")
    Baseline.objects.create(indicator=vulnerable, period="2024", value=D(20))
    Target.objects.create(indicator=vulnerable, period="2028", value=D(10))
    report(
        initiative, board, "2026", {"indicator": vulnerable, "numerator": D(numerator), "denominator": D(100)}
    )
    point = point_at(outcome(initiative, vulnerable).total, "2026")
    assert (point.progress, point.status, point.change) == (progress, status, change)


def test_a_target_equal_to_the_baseline_is_achieved_or_not_without_a_progress(initiative):
    (board,) = partners(initiative, 1)
    hold = indicator(initiative, [board], measure_type="percentage")
    Baseline.objects.create(indicator=hold, period="2024", value=D(50))
    Target.objects.create(indicator=hold, period="2026", value=D(50))
    report(initiative, board, "2025", {"indicator": hold, "numerator": D(50), "denominator": D(100)})
    report(initiative, board, "2026", {"indicator": hold, "numerator": D(49), "denominator": D(100)})
    series = outcome(initiative, hold).total
    assert (point_at(series, "2025").progress, point_at(series, "2025").status) == (
        None,
        OutcomeStatus.ACHIEVED,
    )
    assert (point_at(series, "2026").progress, point_at(series, "2026").status) == (
        None,
        OutcomeStatus.OFF_TRACK,
    )


def test_without_a_baseline_or_target_the_status_says_so(initiative):
    (a,) = partners(initiative, 1)
    served = indicator(initiative, [a], measure_type="count")
    report(initiative, a, "2025", {"indicator": served, "value": D(3)})
    point = point_at(outcome(initiative, served).total, "2025")
    assert (point.status, point.progress) == (OutcomeStatus.NOT_SET, None)


def test_a_period_with_no_figure_has_no_data(initiative, readiness):
    report(
        initiative,
        readiness.board,
        "2026",
        {"indicator": readiness, "numerator": D(60), "denominator": D(100)},
    )
    assert point_at(outcome(initiative, readiness).total, "2025").status == OutcomeStatus.NO_DATA


# Turn the curve --------------------------------------------------------------------------------


def history(initiative, of, board, figures):
    for year, numerator in figures.items():
        report(initiative, board, year, {"indicator": of, "numerator": D(numerator), "denominator": D(100)})


def test_the_forecast_is_a_least_squares_line_with_a_95_percent_prediction_interval(initiative):
    (board,) = partners(initiative, 1)
    ready = indicator(initiative, [board], measure_type="percentage")
    Baseline.objects.create(indicator=ready, period="2021", value=D(2))
    history(initiative, ready, board, {"2019": 1, "2020": 3, "2021": 2, "2022": 40})
    forecast = outcome(initiative, ready).forecast
    # By hand: x̄ = 2020, ȳ = 2, Sxx = 2, slope 0.5; SSE = 0.25 + 1 + 0.25 = 1.5, s = √1.5;
    # t(1 df) = 12.706; at 2022: 2 + 0.5 · 2 = 3 ± 12.706 · √1.5 · √(1 + 1/3 + 4/2)
    # = 3 ± 12.706 · √5 = 3 ± 28.41148.
    (period, expected, low, high) = forecast.points[0]
    assert (period.key, forecast.slope, forecast.history) == ("2022", D("0.5"), 3)
    assert expected == D(3)
    assert round(low, 4) == D("-25.4115") and round(high, 4) == D("31.4115")
    assert forecast.verdict == Verdict.NOT_YET  # one year above the interval is not two


def test_the_curve_has_turned_after_two_periods_in_a_row_beyond_the_interval(initiative):
    (board,) = partners(initiative, 1)
    ready = indicator(initiative, [board], measure_type="percentage")
    Baseline.objects.create(indicator=ready, period="2022", value=D(16))
    # A perfect line (10, 12, 14, 16): the interval has no width; forecast 18, 20, 22.
    history(
        initiative, ready, board, {"2019": 10, "2020": 12, "2021": 14, "2022": 16, "2023": 19, "2024": 21}
    )
    result = outcome(initiative, ready)
    assert [round(f, 6) for _p, f, _l, _h in result.forecast.points] == [D(18), D(20)]
    assert result.verdict == Verdict.TURNED


def test_a_decrease_turns_the_curve_by_falling_below_the_interval(initiative):
    (board,) = partners(initiative, 1)
    vulnerable = indicator(initiative, [board], measure_type="percentage", direction="decrease")
    Baseline.objects.create(indicator=vulnerable, period="2022", value=D(16))
    history(
        initiative,
        vulnerable,
        board,
        {"2019": 10, "2020": 12, "2021": 14, "2022": 16, "2023": 19, "2024": 21},
    )
    assert outcome(initiative, vulnerable).verdict == Verdict.NOT_YET  # above the forecast: worse
    history(initiative, vulnerable, board, {"2025": 15})
    # Only one period below the line: 2024 (21) was above the forecast 20.
    assert outcome(initiative, vulnerable).verdict == Verdict.NOT_YET


def test_two_periods_of_history_are_too_little_to_forecast(initiative):
    (board,) = partners(initiative, 1)
    ready = indicator(initiative, [board], measure_type="percentage")
    Baseline.objects.create(indicator=ready, period="2021", value=D(2))
    history(initiative, ready, board, {"2020": 3, "2021": 2, "2022": 50, "2023": 60})
    result = outcome(initiative, ready)
    assert (result.forecast, result.verdict) == (None, Verdict.TOO_LITTLE_HISTORY)


# Equity ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "best", "worst"), [("increase", "fr", "both"), ("decrease", "both", "fr")]
)
def test_the_equity_gap_is_between_the_best_and_the_worst_category(initiative, direction, best, worst):
    (board,) = partners(initiative, 1)
    language = DimensionFactory(initiative=initiative)
    categories = {code: CategoryFactory(dimension=language, code=code) for code in ("fr", "en", "both")}
    share = indicator(initiative, [board], measure_type="percentage", direction=direction)
    share.dimensions.add(language)
    report(
        initiative,
        board,
        "2025",
        {"indicator": share, "numerator": D(48), "denominator": D(80)},
        {"indicator": share, "category": categories["fr"], "numerator": D(30), "denominator": D(40)},  # 75%
        {"indicator": share, "category": categories["en"], "numerator": D(10), "denominator": D(20)},  # 50%
        {"indicator": share, "category": categories["both"], "numerator": D(8), "denominator": D(20)},  # 40%
    )
    [point] = outcome(initiative, share).equity[language]
    assert (point.best.code, point.worst.code, point.gap) == (best, worst, D(35))


def test_counts_have_no_equity_gap(initiative):
    (a,) = partners(initiative, 1)
    language = DimensionFactory(initiative=initiative)
    french, english = CategoryFactory(dimension=language), CategoryFactory(dimension=language)
    served = indicator(initiative, [a], measure_type="count")
    served.dimensions.add(language)
    report(
        initiative,
        a,
        "2025",
        {"indicator": served, "value": D(100)},
        {"indicator": served, "category": french, "value": D(80)},
        {"indicator": served, "category": english, "value": D(20)},
    )
    # Groups of different sizes: 80 families against 20 says nothing about equity.
    assert outcome(initiative, served).equity == {}


def test_each_category_is_compared_with_the_total(initiative):
    (board,) = partners(initiative, 1)
    language = DimensionFactory(initiative=initiative)
    french, english = CategoryFactory(dimension=language), CategoryFactory(dimension=language)
    share = indicator(initiative, [board], measure_type="percentage")
    share.dimensions.add(language)
    report(
        initiative,
        board,
        "2025",
        {"indicator": share, "numerator": D(40), "denominator": D(60)},
        {"indicator": share, "category": french, "numerator": D(30), "denominator": D(40)},  # 75%
        {"indicator": share, "category": english, "numerator": D(10), "denominator": D(20)},  # 50%
    )
    [point] = outcome(initiative, share).equity[language]
    # The total pools to 100 × 40 / 60 = 66.67%: French 8.33 points above, English 16.67 below.
    assert {c.pk: round(v, 2) for c, v in point.against_total.items()} == {
        french.pk: D("8.33"),
        english.pk: D("-16.67"),
    }


# Cost ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [2, 12])
def test_the_engine_runs_the_same_number_of_queries_however_large_the_initiative(
    initiative, size, assert_queries
):
    organizations = partners(initiative, size)
    language = DimensionFactory(initiative=initiative)
    CategoryFactory(dimension=language)
    for number in range(size):
        made = indicator(initiative, organizations, measure_type="percentage", frequency="quarterly")
        made.dimensions.add(language)
        Baseline.objects.create(indicator=made, period="2024-Q1", value=D(10))
        Target.objects.create(indicator=made, period="2026-Q4", value=D(20))
        for organization in organizations:
            report_key = f"2024-Q{number % 4 + 1}"
            existing = organization.reports.filter(period=report_key).first()
            made_report = existing or ReportFactory(
                initiative=initiative, organization=organization, period=report_key, status="approved"
            )
            ValueFactory(report=made_report, indicator=made, value=None, numerator=D(1), denominator=D(4))
    rollups.rebuild(initiative)
    with assert_queries(7):
        initiative_outcomes(initiative, today=datetime.date(2026, 11, 28))


# Completeness ----------------------------------------------------------------------------------


def test_completeness_counts_expected_received_approved_and_late_reports(initiative):
    from indicators.reporting.selectors import completeness

    a, b = partners(initiative, 2)
    served = indicator(initiative, [a, b], measure_type="count", frequency="quarterly")
    report(initiative, a, "2024-Q1", {"indicator": served, "value": D(1)})
    report(initiative, a, "2024-Q2", {"indicator": served, "value": D(1)}, status="submitted")
    report(initiative, b, "2024-Q1", {"indicator": served, "value": D(1)}, status="returned")
    today = datetime.date(2025, 1, 5)  # 2024-Q1 to Q3 have ended; Q3 (Oct–Dec) is due on Jan 30
    columns, rows = completeness(initiative, today)["quarterly"]
    assert [period.key for period in columns] == ["2024-Q1", "2024-Q2", "2024-Q3"]
    by_slug = {row.organization.slug: row for row in rows}
    first, second = by_slug[a.slug], by_slug[b.slug]
    assert (first.expected, first.received, first.approved, first.late) == (3, 2, 1, 0)
    assert (second.expected, second.received, second.approved, second.late) == (
        3,
        0,
        0,
        2,
    )  # Q1 returned, Q2 missing
    assert [cell.status for cell in second.cells] == ["returned", "not_started", "not_started"]


def test_a_period_range_keeps_running_totals_built_on_the_whole_history(initiative):
    (a,) = partners(initiative, 1)
    screened = indicator(
        initiative, [a], measure_type="count", accumulation="cumulative", frequency="quarterly"
    )
    Baseline.objects.create(indicator=screened, period="2024-Q1", value=D(0))
    for quarter, count in (("2024-Q2", 10), ("2024-Q3", 20), ("2024-Q4", 30)):
        report(initiative, a, quarter, {"indicator": screened, "value": D(count)})
    first = last = parse_period("2024-Q4", 4)
    series = outcome(initiative, screened, first=first, last=last).total
    assert [(p.period.key, p.value) for p in series.points] == [("2024-Q4", D(60))]


def test_a_yearly_range_keeps_the_quarters_inside_it(initiative):
    (a,) = partners(initiative, 1)
    served = indicator(initiative, [a], measure_type="count", frequency="quarterly")
    for quarter in ("2024-Q4", "2025-Q1", "2025-Q4", "2026-Q1"):
        report(initiative, a, quarter, {"indicator": served, "value": D(1)})
    year = parse_period("2025", 4)
    series = outcome(initiative, served, first=year, last=year).total
    assert [p.period.key for p in series.points] == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]


def test_a_category_running_total_starts_where_the_totals_does(initiative):
    (a,) = partners(initiative, 1)
    age = DimensionFactory(initiative=initiative)
    young = CategoryFactory(dimension=age)
    screened = indicator(
        initiative, [a], measure_type="count", accumulation="cumulative", frequency="quarterly"
    )
    screened.dimensions.add(age)
    Baseline.objects.create(indicator=screened, period="2024-Q1", value=D(0))
    report(
        initiative,
        a,
        "2023-Q4",
        {"indicator": screened, "value": D(50)},
        {"indicator": screened, "category": young, "value": D(20)},
    )
    report(
        initiative,
        a,
        "2024-Q2",
        {"indicator": screened, "value": D(10)},
        {"indicator": screened, "category": young, "value": D(4)},
    )
    result = outcome(initiative, screened)
    assert value_at(result.total, "2024-Q2") == D(10)
    assert value_at(result.categories[young], "2024-Q2") == D(4)  # not 24: 2023-Q4 came before the start
    assert value_at(result.categories[young], "2023-Q4") is None


def test_a_running_total_missing_a_partners_earlier_figure_is_flagged(initiative):
    a, b = partners(initiative, 2)
    served = indicator(
        initiative, [a, b], measure_type="count", accumulation="cumulative", frequency="quarterly"
    )
    Baseline.objects.create(indicator=served, period="2024-Q1", value=D(0))
    for quarter in ("2024-Q2", "2024-Q3", "2024-Q4"):
        report(initiative, a, quarter, {"indicator": served, "value": D(10)})
        if quarter != "2024-Q3":  # b skips the third quarter
            report(initiative, b, quarter, {"indicator": served, "value": D(10)})
    series = outcome(initiative, served).total
    q4 = point_at(series, "2024-Q4")
    assert (q4.value, q4.reporting, q4.missing_earlier, q4.incomplete) == (D(50), 2, True, True)
    assert series.latest.period.key == "2024-Q2"  # the last running total nobody's figure is missing from


def test_a_running_total_after_a_pending_period_is_pending_too(initiative):
    (a,) = partners(initiative, 1)
    served = indicator(
        initiative, [a], measure_type="count", accumulation="cumulative", frequency="quarterly"
    )
    Baseline.objects.create(indicator=served, period="2024-Q1", value=D(100))
    report(initiative, a, "2024-Q2", {"indicator": served, "value": D(10)}, status="submitted")
    report(initiative, a, "2024-Q3", {"indicator": served, "value": D(5)})
    preview = outcome(initiative, served, include_pending=True).total
    assert (point_at(preview, "2024-Q3").value, point_at(preview, "2024-Q3").pending) == (D(115), True)
    approved = outcome(initiative, served).total
    assert (point_at(approved, "2024-Q3").value, point_at(approved, "2024-Q3").pending) == (D(105), False)


def test_the_chart_target_line_follows_a_trimmed_range(initiative, readiness):
    from reports.charts import outcome_figure

    for year in ("2025", "2026"):
        report(
            initiative,
            readiness.board,
            year,
            {"indicator": readiness, "numerator": D(60), "denominator": D(100)},
        )
    year = parse_period("2025", 4)
    figure = outcome_figure(outcome(initiative, readiness, first=year, last=parse_period("2026", 4)))
    targets = next(trace for trace in figure["data"] if trace["name"] == "Targets")
    # From the first shown period's (interpolated) target, through 2026's, on to 2028's.
    assert list(targets["x"]) == ["2025–26", "2026–27", "2028–29"]
    assert list(targets["y"]) == [55.0, 60.0, 90.0]
    assert list(figure["layout"]["xaxis"]["categoryarray"])[:2] == ["2025–26", "2026–27"]
