"""Turn the curve: where the curve was heading before the baseline, and whether it has turned."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator


class Verdict:
    TURNED = "turned"
    NOT_YET = "not_yet"
    TOO_LITTLE_HISTORY = "too_little_history"
    LABELS = {
        TURNED: _(
            "The curve has turned: the results are beyond what the trend before the baseline forecast."
        ),
        NOT_YET: _("Not yet: the results are within what the trend before the baseline forecast."),
        TOO_LITTLE_HISTORY: _(
            "Too little history before the baseline to forecast the trend (3 periods needed)."
        ),
    }


@dataclass
class Forecast:
    """Where the curve was heading: a least-squares line through the history up to the baseline."""

    points: list  # [(Period, forecast, low, high)] after the baseline
    slope: Decimal
    history: int  # how many periods it was fitted on
    verdict: str

    @property
    def verdict_label(self):
        return Verdict.LABELS[self.verdict]


# Two-sided 95% Student t quantiles by degrees of freedom.
T_975 = {
    1: "12.706", 2: "4.303", 3: "3.182", 4: "2.776", 5: "2.571", 6: "2.447", 7: "2.365", 8: "2.306",
    9: "2.262", 10: "2.228", 11: "2.201", 12: "2.179", 13: "2.160", 14: "2.145", 15: "2.131",
    16: "2.120", 17: "2.110", 18: "2.101", 19: "2.093", 20: "2.086", 21: "2.080", 22: "2.074",
    23: "2.069", 24: "2.064", 25: "2.060", 26: "2.056", 27: "2.052", 28: "2.048", 29: "2.045",
    30: "2.042",
}  # fmt: skip


def t_quantile(degrees):
    """The 97.5% quantile of Student's t; between tabulated values, the wider (safer) one."""
    if degrees in T_975:
        return Decimal(T_975[degrees])
    if degrees <= 40:
        return Decimal("2.042")  # t(30)
    if degrees <= 60:
        return Decimal("2.021")  # t(40)
    return Decimal("2.000") if degrees <= 120 else Decimal("1.980")  # t(60), t(120)


MINIMUM_HISTORY = 3


def forecast(series):
    """Fit a straight line through the history up to the baseline period (at least 3 figures) and
    forecast the periods after it, each with a 95% prediction interval; None without the history.

    The verdict: the curve has turned when the latest two figures leave the interval on the good
    side, in two periods in a row.
    """
    baseline = series.baseline
    if baseline is None:
        return None
    history = [
        (Decimal(point.period.ordinal), point.value)
        for point in series.points
        if point.value is not None and point.period.ordinal <= baseline.period.ordinal
    ]
    if len(history) < MINIMUM_HISTORY:
        return None
    n = len(history)
    mean_x = sum(x for x, _y in history) / n
    mean_y = sum(y for _x, y in history) / n
    sxx = sum((x - mean_x) ** 2 for x, _y in history)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in history) / sxx
    intercept = mean_y - slope * mean_x
    residuals = sum((y - intercept - slope * x) ** 2 for x, y in history)
    spread = (residuals / (n - 2)).sqrt()
    t = t_quantile(n - 2)
    points, beyond = [], []
    indicator = series.indicator
    for point in series.points:
        if point.period.ordinal <= baseline.period.ordinal:
            continue
        x = Decimal(point.period.ordinal)
        expected = intercept + slope * x
        half = t * spread * (1 + Decimal(1) / n + (x - mean_x) ** 2 / sxx).sqrt()
        low, high = expected - half, expected + half
        points.append((point.period, expected, low, high))
        if point.value is None or point.incomplete:
            # A missing period, or a partner missing from it, can't show a turn (a lower sum
            # would pass for an improvement).
            beyond.append(None)
            continue
        good = (
            point.value < low if indicator.direction == Indicator.Direction.DECREASE else point.value > high
        )
        beyond.append(good)
    # The curve has turned when the latest two periods with figures are both beyond the range on
    # the good side, one after the other; an earlier turn that faded is "not yet" again.
    reported = [index for index, good in enumerate(beyond) if good is not None]
    verdict = Verdict.NOT_YET
    if len(reported) >= 2:
        last, before = reported[-1], reported[-2]
        if last - before == 1 and beyond[last] and beyond[before]:
            verdict = Verdict.TURNED
    return Forecast(points=points, slope=slope, history=n, verdict=verdict)
