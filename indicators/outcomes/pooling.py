"""Pooling: what the reporting organizations' figures add up to for one indicator and period.

Partners' figures combine by their measure, never by averaging percentages:

    count, amount   sum
    percentage      100 · Σ numerator / Σ denominator
    rate            multiplier · Σ numerator / Σ denominator
    mean            Σ (mean · n) / Σ n
    single          the one organization's value

A longer span pools the same way (per-period indicators) or takes its last period ("latest").
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from indicators.models import Indicator, ReportStatus, Rollup

MeasureType = Indicator.MeasureType
Accumulation = Indicator.Accumulation


@dataclass
class Pooled:
    """What the reporting organizations' figures add up to for one indicator, period and category."""

    total: Decimal | None = None  # Σ value (counts, amounts, single values)
    numerator: Decimal | None = None  # Σ numerator
    denominator: Decimal | None = None  # Σ denominator (Σ n for a mean)
    weighted: Decimal | None = None  # Σ (mean · n)
    organizations: int = 0
    pending: int = 0  # figures from submitted, not yet approved, reports


def pooled_figures(indicators, *, include_pending=False, categories_of=None):
    """Return {(indicator id, period key, category id): Pooled}, in one query over the rollups.

    Approved reports only, unless ``include_pending`` adds submitted ones (a coordinator's
    preview). Figures marked not available don't count, and neither do organizations that sent
    them. The database adds the two statuses' sums, exactly (PostgreSQL's numeric). Categories
    of every indicator, or only of those in ``categories_of`` (ids), when given.
    """
    statuses = [ReportStatus.APPROVED] + ([ReportStatus.SUBMITTED] if include_pending else [])
    wanted = Q(indicator__in=indicators, status__in=statuses)
    if categories_of is not None:
        wanted &= Q(category__isnull=True) | Q(indicator__in=categories_of)
    rows = (
        Rollup.objects.filter(wanted)
        .values("indicator_id", "period", "category_id")
        .annotate(
            total_sum=Sum("total"),
            numerator_sum=Sum("numerator"),
            denominator_sum=Sum("denominator"),
            weighted_sum=Sum("weighted"),
            organization_count=Sum("organizations"),
            pending=Sum("values", filter=Q(status=ReportStatus.SUBMITTED)),
        )
        .order_by()
    )
    return {
        (row["indicator_id"], row["period"], row["category_id"]): Pooled(
            total=row["total_sum"],
            numerator=row["numerator_sum"],
            denominator=row["denominator_sum"],
            weighted=row["weighted_sum"],
            organizations=row["organization_count"],
            pending=row["pending"] or 0,
        )
        for row in rows
    }


def combine(indicator, pooled):
    """Return the initiative's figure for one period from the pooled figures, by measure type."""
    if pooled is None or pooled.organizations == 0:
        return None
    measure = indicator.measure_type
    if measure in (MeasureType.COUNT, MeasureType.AMOUNT):
        return pooled.total
    if measure == MeasureType.SINGLE:
        # Exactly one organization reports it; two would make "that value" meaningless.
        return pooled.total if pooled.organizations == 1 else None
    if measure == MeasureType.MEAN:
        return pooled.weighted / pooled.denominator if pooled.denominator else None
    return ratio(indicator, pooled.numerator, pooled.denominator)


def ratio(indicator, numerator, denominator):
    """Return the percentage or rate a numerator and denominator give, or None: the one place
    the formula is written (a partner's own figure, or the initiative's pooled one)."""
    if numerator is None or not denominator:
        return None
    scale = Decimal(100) if indicator.measure_type == MeasureType.PERCENTAGE else indicator.multiplier
    return scale * numerator / denominator


def combine_span(indicator, pooled_by_period, periods):
    """Return the figure for a longer span (a year of quarters, say) as the indicator accumulates.

    ``pooled_by_period`` maps period keys to Pooled. Per-period indicators add their flows
    (ratios pool numerators and denominators, means pool by n); "latest" ones take the last
    period reported; cumulative ones are handled by the series (a running total at the span's
    end), not here.
    """
    reported = [pooled_by_period[p.key] for p in periods if p.key in pooled_by_period]
    if not reported:
        return None
    if indicator.accumulation == Accumulation.LATEST:
        return combine(indicator, reported[-1])
    merged = Pooled(organizations=max(p.organizations for p in reported))
    for part in reported:
        for name in ("total", "numerator", "denominator", "weighted"):
            value = getattr(part, name)
            if value is not None:
                setattr(merged, name, (getattr(merged, name) or 0) + value)
    return combine(indicator, merged)
