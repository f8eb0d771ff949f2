"""The rollup table: pooled figures per indicator, period, category and report status.

Pages read the rollups (``pooling.pooled_figures``), so what they cost does not grow with the
number of values. A rollup is rebuilt from the values, never adjusted by a difference: the rows
of a report's period are recomputed inside the transaction of each status change of that report
(``reporting.services._transition``), which is the only way values enter or leave the statuses that count.
Values themselves only change in drafts and returned reports, which are not rolled up.

Loads that write reports without the services (the benchmark's bulk inserts, a restore) call
``rebuild``; ``differences`` compares the rollups with the values (``manage.py rollups``).
"""

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Sum

from impact.models import Initiative
from indicators.models import DataValue, Indicator, ReportStatus, Rollup

COUNTED = (ReportStatus.APPROVED, ReportStatus.SUBMITTED)
WEIGHTED = DecimalField(max_digits=52, decimal_places=12)
FIELDS = ("total", "numerator", "denominator", "weighted", "organizations", "values")


def computed(values, model=Rollup):
    """Return the rollup rows (unsaved) of ``values``, a DataValue queryset, grouped as the table
    is. ``model`` is the Rollup model (a migration passes its historical one)."""
    rows = (
        values.filter(report__status__in=COUNTED, not_available=False)
        .values("indicator_id", "report__period", "category_id", "report__status")
        .annotate(
            total_sum=Sum("value"),
            numerator_sum=Sum("numerator"),
            denominator_sum=Sum("denominator"),
            weighted_sum=Sum(ExpressionWrapper(F("value") * F("denominator"), output_field=WEIGHTED)),
            organization_count=Count("report__organization_id", distinct=True),
            value_count=Count("pk"),
        )
        .order_by()
    )
    return [
        model(
            indicator_id=row["indicator_id"],
            category_id=row["category_id"],
            period=row["report__period"],
            status=row["report__status"],
            total=row["total_sum"],
            numerator=row["numerator_sum"],
            denominator=row["denominator_sum"],
            weighted=row["weighted_sum"],
            organizations=row["organization_count"],
            values=row["value_count"],
        )
        for row in rows
    ]


def lock(initiative_id):
    """Serialize rollup rebuilds within an initiative: two reviewers approving two reports of one
    period at once would each recompute without the other's report (READ COMMITTED) and the
    second write would drop the first's figures. Held until the transaction ends.

    FOR NO KEY UPDATE, so that creating a report (which key-shares its initiative) never waits
    for it. A transaction that changes a report's status takes this lock before locking any
    report: always in that order, or two of them could deadlock.
    """
    list(Initiative.objects.select_for_update(no_key=True).filter(pk=initiative_id).values_list("pk"))


def refresh_report(report):
    """Recompute the rollups of the report's indicators for its period, after its status changed.

    Call inside the transaction that changed the status. The other organizations' reports of the
    same period are read again, so the rows are whole whatever happened before.
    """
    lock(report.initiative_id)
    indicators = list(report.values.values_list("indicator_id", flat=True).distinct())
    if not indicators:
        return
    Rollup.objects.filter(indicator__in=indicators, period=report.period).delete()
    rows = computed(DataValue.objects.filter(indicator__in=indicators, report__period=report.period))
    Rollup.objects.bulk_create(rows, batch_size=2000)


def rebuild(initiative):
    """Recompute every rollup of the initiative from its values."""
    lock(initiative.pk)
    indicators = Indicator.objects.filter(initiative=initiative)
    Rollup.objects.filter(indicator__in=indicators).delete()
    Rollup.objects.bulk_create(computed(DataValue.objects.filter(indicator__in=indicators)), batch_size=2000)


def _key(row):
    return (row.indicator_id, row.period, row.category_id, row.status)


def differences(initiative):
    """Return a description of each rollup that differs from its values (empty when all agree).

    Call inside a transaction: the lock keeps status changes out between the two reads.
    """
    lock(initiative.pk)
    indicators = Indicator.objects.filter(initiative=initiative)
    stored = {_key(row): row for row in Rollup.objects.filter(indicator__in=indicators)}
    wanted = {_key(row): row for row in computed(DataValue.objects.filter(indicator__in=indicators))}
    found = []
    for key in sorted(stored.keys() | wanted.keys(), key=str):
        have, want = stored.get(key), wanted.get(key)
        if have is None or want is None:
            found.append(f"{key}: {'missing' if have is None else 'left over'}")
            continue
        changed = [name for name in FIELDS if getattr(have, name) != getattr(want, name)]
        if changed:
            found.append(
                f"{key}: "
                + ", ".join(f"{name} {getattr(have, name)} ≠ {getattr(want, name)}" for name in changed)
            )
    return found
