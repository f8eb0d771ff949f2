from decimal import Decimal as D

from indicators.reporting.unusual import unusual


def test_too_little_history_flags_nothing():
    assert unusual(D(1000), [D(10), D(12)]) is None


def test_more_than_three_times_the_median_is_unusual():
    assert "more than 3 times" in unusual(D(31), [D(10), D(10), D(9)])
    assert unusual(D(29), [D(10), D(20), D(5), D(15)]) is None  # median 12.5, spread wide


def test_a_robust_z_score_above_3_5_is_unusual_in_either_direction():
    past = [D(10), D(11), D(9), D(10), D(12)]  # median 10, median absolute deviation 1
    assert "far from" in unusual(D(16), past)  # z = 0.6745 × 6 = 4.0
    assert unusual(D(15), past) is None  # z = 3.4
    assert "far from" in unusual(D(4), past)


def test_a_history_that_never_varies_is_judged_by_the_median_only():
    assert unusual(D(12), [D(10), D(10), D(10)]) is None


def test_a_figure_far_below_a_history_that_never_varies_is_unusual():
    assert "less than a third" in unusual(D(10), [D(100), D(100), D(100)])
