"""Piecewise-exponential hazards against hand calculations."""

from __future__ import annotations

import numpy as np

from netter.synthetic.model import cumulative_hazard, invert_cumulative_hazard, time_after

BREAKS = np.array([0.0, 6.0, 12.0])
RATES = np.array([[0.1, 0.2, 0.05]])


def test_cumulative_hazard_by_hand():
    # H(3) = 0.3; H(10) = 0.6 + 0.2*4 = 1.4; H(20) = 0.6 + 1.2 + 0.05*8 = 2.2
    t = np.array([3.0, 10.0, 20.0])
    got = cumulative_hazard(t, BREAKS, np.repeat(RATES, 3, axis=0))
    np.testing.assert_allclose(got, [0.3, 1.4, 2.2], rtol=1e-15)


def test_inverse_is_exact_and_handles_zero_rates():
    targets = np.array([0.3, 1.4, 2.2, 0.6])
    got = invert_cumulative_hazard(targets, BREAKS, np.repeat(RATES, 4, axis=0))
    np.testing.assert_allclose(got, [3.0, 10.0, 20.0, 6.0], rtol=1e-15)
    zero_middle = np.array([[0.1, 0.0, 0.05]])
    # H(6) = 0.6 flat until 12, then 0.05/month: H = 0.7 at t = 14
    np.testing.assert_allclose(invert_cumulative_hazard(np.array([0.7]), BREAKS, zero_middle),
                               [14.0])
    assert np.isinf(invert_cumulative_hazard(np.array([1.0]), np.array([0.0]),
                                             np.array([[0.0]])))[0]


def test_time_after_uses_the_absolute_time_scale():
    # starting at 5: 1 month at 0.1, then 0.2/month -> 0.1 + 0.2*2 = 0.5 at t = 8
    np.testing.assert_allclose(time_after(np.array([5.0]), np.array([0.5]), BREAKS, RATES), [8.0])


def test_draws_follow_the_exponential_law():
    rng = np.random.default_rng(1)
    n = 200_000
    times = invert_cumulative_hazard(rng.exponential(size=n), np.array([0.0]),
                                     np.full((n, 1), 0.25))
    # mean 4, SE 4/sqrt(n) = 0.009: a 5-SE band
    assert abs(times.mean() - 4.0) < 0.045
    # median ln2/0.25 = 2.7726
    assert abs(np.median(times) - np.log(2) / 0.25) < 0.03
