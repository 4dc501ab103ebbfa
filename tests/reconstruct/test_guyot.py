"""The Guyot algorithm: hand-checkable cases, exact recovery, the last-interval rules, warnings."""

from __future__ import annotations

import numpy as np
import pytest

from netter.reconstruct.diagnostics import km_steps, step_value
from netter.reconstruct.digitiser import step_corners
from netter.reconstruct.guyot import guyot, round_half_up, spread


def test_hand_example():
    # 10 at risk at 0, 8 at 1.5, 5 at 2.5.  Interval [0, 1.5): S falls 1 -> 0.9 at t=1.
    # Guess c = round(10 * 0.9 / 1 - 8) = 1 censoring, spread at 0.75; 9 at risk at t=1,
    # d = round(9 * 0.1) = 1, so 8 remain at 1.5 as published.  [1.5, 2.5): S 0.9 -> 0.72
    # at t=2: guess c = round(8 * 0.72 / 0.9 - 5) = 1 at 2.0; d = round(8 * 0.2) = 2,
    # 8 - 2 - 1 = 5.  Last interval: 2 censorings over [0, 2.5) -> 0.4 over [2.5, 3]
    # rounds to 0; d = round(5 * (1 - 0.55 / (8/9 * 6/8))) = 1; 4 censored at t = 3.
    fit = guyot([0, 1, 2, 3], [1.0, 0.9, 0.72, 0.55], [0, 1.5, 2.5], [10, 8, 5])
    assert fit.time.tolist() == [0, 1, 1.5, 2, 2.5, 3]
    assert fit.inserted.tolist() == [False, False, True, False, True, False]
    assert fit.events.tolist() == [0, 1, 0, 2, 0, 1]
    assert fit.n_risk.tolist() == [10, 9, 8, 8, 5, 5]
    assert fit.censor_times.tolist() == [0.75, 2.0]
    assert fit.km[3] == pytest.approx(8 / 9 * 6 / 8)
    assert fit.patient_time.tolist() == [0.75, 1, 2, 2, 2, 3, 3, 3, 3, 3]
    assert fit.patient_event.tolist() == [0, 1, 1, 1, 0, 1, 0, 0, 0, 0]
    assert fit.last_rule.startswith("censoring at the average rate of the earlier intervals")
    assert fit.warnings == ()


def test_exact_recovery_without_censoring_before_the_end():
    time = np.array([1, 2, 2, 4, 5, 7, 8, 9, 12, 12], float)
    event = np.array([1, 1, 1, 1, 1, 1, 1, 1, 0, 0])
    corners = step_corners(time, event)
    fit = guyot(corners["time"], corners["survival"], [0, 3, 6], [10, 7, 5], total_events=8)
    assert fit.patient_time.tolist() == time.tolist()
    assert fit.patient_event.tolist() == event.tolist()


@pytest.mark.parametrize("seed", range(5))
def test_counts_match_and_km_is_the_walked_one(seed):
    rng = np.random.default_rng(seed)
    time = np.round(rng.exponential(10, 150), 1)
    event = (rng.random(150) < 0.7).astype(int)
    corners = step_corners(time, event)
    grid = np.arange(0, time.max(), 5.0)
    counts = [int(np.sum(time >= g)) for g in grid]
    fit = guyot(corners["time"], corners["survival"], grid, counts)
    assert fit.patient_time.size == 150
    assert [int(np.sum(fit.patient_time >= g)) for g in grid] == counts
    knots, values = km_steps(fit.patient_time, fit.patient_event)
    has_event = fit.events > 0
    np.testing.assert_allclose(step_value(knots, values, fit.time[has_event]),
                               fit.km[has_event])
    assert [i.n_end for i in fit.intervals[:-1]] == counts[1:]


def test_last_interval_rate_rule():
    # 4 censorings over [0, 4) -> 1 per unit -> 2 over the last interval [4, 6]
    fit = guyot([0, 6], [1.0, 1.0], [0, 4], [10, 6])
    last = fit.intervals[-1]
    assert (last.start, last.end, last.n_censored, last.n_events) == (4, 6, 2, 0)
    assert fit.censor_times.tolist() == [0.8, 1.6, 2.4, 3.2, 14 / 3, 16 / 3]
    assert fit.last_rule == ("censoring at the average rate of the earlier intervals "
                             "(4 over [0, 4))")


def test_single_at_risk_row_means_no_censoring_before_the_last_point():
    fit = guyot([0, 1, 2], [1.0, 0.5, 0.25], [0], [8])
    assert fit.events.tolist() == [0, 4, 2] and fit.censored.sum() == 0
    assert fit.last_rule == "no earlier interval: no censoring before the last point"


def test_total_events_set_the_censoring_of_the_last_interval():
    # without a total: no censoring in [5, 10], 8 events; with 6 events: censorings added
    time, surv = [0, 5, 6, 8, 10], [1.0, 1.0, 0.8, 0.5, 0.5]
    free = guyot(time, surv, [0, 5], [20, 20])
    assert int(free.patient_event.sum()) == 10
    fit = guyot(time, surv, [0, 5], [20, 20], total_events=6)
    assert int(fit.patient_event.sum()) == 6 and fit.intervals[-1].n_censored > 0
    assert fit.last_rule.startswith("censorings chosen so that the arm's events equal the "
                                    "total given (6)")
    assert fit.warnings == ()


def test_total_events_already_reached_before_the_last_interval():
    fit = guyot([0, 2, 4], [1.0, 0.75, 0.5], [0, 3], [8, 6], total_events=2)
    assert fit.events.tolist() == [0, 2, 0, 0]
    assert fit.last_rule.startswith("no events and no censoring: the 2 events")


def test_total_events_out_of_reach_is_a_warning():
    fit = guyot([0, 2, 4], [1.0, 0.9, 0.9], [0, 3], [10, 9], total_events=5)
    assert int(fit.patient_event.sum()) == 1
    assert fit.warnings == ("curve: reconstructed events 1, total given 5",)


def test_drop_larger_than_the_count_allows_is_held_back_with_a_warning():
    # S halves by t = 2 (5 events among 10) but the count only falls from 10 to 8
    fit = guyot([0, 2, 4], [1.0, 0.5, 0.5], [0, 3], [10, 8], label="arm 'A'")
    assert fit.intervals[0].n_end == 8 and fit.intervals[0].n_events == 2
    assert fit.warnings[0] == ("arm 'A': over [0, 3) the curve falls by more than the numbers "
                               "at risk allow (10 to 8 with no censoring): 3 event(s) held back "
                               "past time 3")
    assert fit.events[2] == 3  # placed at the next at-risk time, where the curve is below


def test_count_that_rises_cannot_be_reached():
    fit = guyot([0, 1, 5], [1.0, 0.9, 0.9], [0, 2, 4], [10, 8, 9], label="arm 'A'")
    assert [i.n_end for i in fit.intervals[:-1]] == [8, 8]
    assert "arm 'A': at time 4 the reconstructed number at risk is 8, the published 9" in \
        fit.warnings


@pytest.mark.parametrize(("args", "message"), [
    (([0.5, 1], [1, 0.5], [0], [5]), "start at"),
    (([0, 2, 1], [1, 0.5, 0.4], [0], [5]), "sorted"),
    (([0, 1, 2], [1, 0.5, 0.6], [0], [5]), "non-increasing"),
    (([0, 1], [1, 0.5], [1], [5]), "start at 0"),
    (([0, 1], [1, 0.5], [0, 0.5, 0.5], [5, 4, 4]), "increase"),
    (([0, 1], [1, 0.5], [0, 2], [5, 1]), "extend the curve"),
])
def test_input_checks(args, message):
    with pytest.raises(ValueError, match=message):
        guyot(*args)


def test_zero_rows_after_the_curve_are_ignored():
    fit = guyot([0, 1, 2], [1.0, 0.5, 0.5], [0, 3], [4, 0])
    assert fit.patient_time.tolist() == [1, 1, 2, 2]


def test_helpers():
    assert [round_half_up(x) for x in (0.5, 1.5, 2.4999, -0.5)] == [1, 2, 2, 0]
    assert spread(2.0, 4.0, 3).tolist() == [2.5, 3.0, 3.5] and spread(0, 1, 0).size == 0
