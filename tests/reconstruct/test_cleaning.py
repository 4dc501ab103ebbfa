"""Cleaning rules for digitised points and at-risk tables: what changes, what is logged."""

from __future__ import annotations

import numpy as np
import pytest

from netter.reconstruct.cleaning import (
    CHANGE_COLUMNS,
    CleanAtRisk,
    changes_frame,
    clean_at_risk,
    clean_curve,
)
from netter.reconstruct.inputs import AtRiskSource, CurveSource, ReconstructionInputError


def curve(time, surv, scale="fraction"):
    time = np.asarray(time, float)
    return CurveSource("A", "a.csv", time, np.asarray(surv, float),
                       np.arange(2, time.size + 2), scale, "a.csv: survival read as ...")


def risk(time, count):
    return CleanAtRisk("A", "r.csv", np.asarray(time, float), np.asarray(count), (), ())


def rules(clean):
    return [c.rule for c in clean.changes]


def test_clean_input_is_left_alone():
    clean = clean_curve(curve([0, 1, 1, 2], [1, 1, 0.9, 0.9]), risk([0, 1.5], [10, 9]))
    assert clean.changes == () and clean.warnings == ()
    assert clean.time.tolist() == [0, 1, 1, 2] and clean.row.tolist() == [2, 3, 4, 5]


def test_start_is_added_and_logged():
    clean = clean_curve(curve([0.3, 2], [0.99, 0.8]), risk([0], [10]))
    assert clean.time.tolist() == [0.0, 0.3, 2.0] and clean.survival.tolist() == [1, 0.99, 0.8]
    (start,) = clean.changes
    assert start.rule == "start" and start.row == 0 and "first point was (0.3, 0.99)" in \
        start.detail


def test_clip_duplicate_order_monotone_in_that_order():
    clean = clean_curve(curve([-0.1, 1, 3, 2, 2, 4], [1.02, 0.95, 0.7, 0.8, 0.8, 0.72]),
                        risk([0], [10]))
    assert rules(clean) == ["clip", "clip", "duplicate", "order", "monotone"]
    assert clean.time.tolist() == [0, 1, 2, 3, 4]
    assert clean.survival.tolist() == [1, 0.95, 0.8, 0.7, 0.7]
    monotone = clean.changes[-1]
    assert (monotone.row, monotone.before, monotone.after) == (7, 0.72, 0.7)


def test_genuine_large_step_is_kept_whole():
    # a PFS curve falling from 0.96 to 0.70 at the first scan: nothing is an "outlier"
    times = [0, 2.6, 2.6, 2.9, 5.4, 5.4, 8]
    surv = [1, 0.96, 0.70, 0.70, 0.70, 0.55, 0.55]
    clean = clean_curve(curve(times, surv), risk([0, 3], [100, 69]))
    assert clean.changes == () and clean.survival.tolist() == surv


def test_corners_clicked_out_of_order_are_lowered_without_warning():
    # bottom corner clicked 0.02 before the top corner: a near-tie, no warning
    clean = clean_curve(curve([0, 2.99, 3.01, 9], [1, 0.6, 0.8, 0.6]), risk([0], [10]))
    assert rules(clean) == ["monotone"] and clean.warnings == ()
    assert clean.survival.tolist() == [1, 0.6, 0.6, 0.6]


def test_large_rise_far_from_a_tie_is_an_error():
    # a Kaplan-Meier curve cannot rise: 0.5 -> 0.7 four months later is no click error
    with pytest.raises(ReconstructionInputError, match=(
            r"^a\.csv: row 4, column survival: arm 'A': value 0\.7 at time 6 rises by 0\.2 "
            r"above 0\.5 at time 2 \(row 3\); a Kaplan-Meier curve cannot rise")):
        clean_curve(curve([0, 2, 6, 9], [1, 0.5, 0.7, 0.4]), risk([0], [10]))


def test_small_rise_is_lowered_and_logged():
    clean = clean_curve(curve([0, 2, 6, 9], [1, 0.5, 0.54, 0.4]), risk([0], [10]))
    assert clean.survival.tolist() == [1, 0.5, 0.5, 0.4] and clean.warnings == ()
    assert rules(clean) == ["monotone"]


def test_fraction_among_percentages_is_named_in_the_rise_error():
    # 0.9 typed for 90 (%): read as 0.9 %, then the curve "rises" back to 85 %
    with pytest.raises(ReconstructionInputError, match=(
            r"row 4, column survival: arm 'A': value 85 % at time 3 rises by 0\.841 above "
            r"0\.9 % at time 2 \(row 3\) \(a fraction among percentages\?\)")):
        clean_curve(curve([0, 2, 3, 9], [1, 0.009, 0.85, 0.4], scale="percent"),
                    risk([0], [10]))


def test_percent_scale_is_logged():
    clean = clean_curve(curve([0, 1], [1, 0.5], scale="percent"), risk([0], [10]))
    assert rules(clean) == ["scale"] and clean.changes[0].detail.startswith("a.csv")


def test_points_after_a_zero_count_are_removed():
    clean = clean_curve(curve([0, 1, 4, 5], [1, 0.5, 0.2, 0.2]), risk([0, 1, 4], [10, 3, 0]))
    assert clean.time.tolist() == [0, 1]
    assert rules(clean) == ["nobody-at-risk", "nobody-at-risk"]


def test_positive_count_beyond_the_curve_extends_it_with_a_warning():
    clean = clean_curve(curve([0, 1, 2], [1, 0.8, 0.8]), risk([0, 3, 6], [10, 6, 2]))
    assert clean.time.tolist() == [0, 1, 2, 6] and clean.survival[-1] == 0.8
    assert rules(clean) == ["extend"]
    (warning,) = clean.warnings
    assert "time(s) 3, 6, beyond the last digitised point (time 2)" in warning


def test_zero_count_beyond_the_curve_is_silent():
    clean = clean_curve(curve([0, 1, 2], [1, 0.8, 0.8]), risk([0, 3], [10, 0]))
    assert clean.changes == () and clean.warnings == ()


def test_change_log_frame():
    clean = clean_curve(curve([0.3, 2], [0.99, 0.8]), risk([0], [10]))
    frame = changes_frame(clean.changes)
    assert tuple(frame.columns) == CHANGE_COLUMNS and frame["rule"].tolist() == ["start"]


def source(time, count, rows=None):
    rows = rows if rows is not None else list(range(2, len(time) + 2))
    return AtRiskSource("A", "r.csv", np.asarray(time, float), np.asarray(count),
                        np.asarray(rows))


def test_at_risk_sorted_and_repeats_removed():
    clean = clean_at_risk(source([3, 0, 3, 6], [8, 10, 8, 5]))
    assert clean.time.tolist() == [0, 3, 6] and clean.n_risk.tolist() == [10, 8, 5]
    assert [(c.rule, c.row) for c in clean.changes] == [("order", 3), ("duplicate", 4)]
    assert clean.warnings == ()


def test_at_risk_increase_is_an_error():
    with pytest.raises(ReconstructionInputError, match=(
            r"^r\.csv: row 4, column n_risk: arm 'A': value 9 at time 6 is more than 8 at "
            r"time 3 \(row 3\); numbers at risk cannot increase$")):
        clean_at_risk(source([0, 3, 6], [10, 8, 9]))


@pytest.mark.parametrize(("time", "count", "message"), [
    ([0, 3, 3], [10, 8, 7], r"r\.csv: rows 3 and 4, column n_risk: arm 'A' has two numbers "
                            r"at risk \(8 and 7\) at time 3"),
    ([1, 3], [10, 8], r"r\.csv: arm 'A': no number at risk at time 0 \(first row 2, time 1\)"),
    ([0, 3], [0, 0], r"r\.csv: row 2, column n_risk: arm 'A' has 0 at risk at time 0"),
])
def test_at_risk_errors(time, count, message):
    with pytest.raises(ReconstructionInputError, match=message):
        clean_at_risk(source(time, count))
