"""Property-based tests of the crossover estimators on random small trials.

Whatever the data (ties, all censored, an arm without switchers, switches at time 0 or
at the end of follow-up): RPSFTM's counterfactual at psi = 0 is the observed data, its
estimate does not depend on the time unit, its interval holds the estimate, and a result
is either a number or ``None`` with a reason; IPCW weights are positive and equal 1 in
the experimental arm.  Deterministic (``derandomize=True``).
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netter.stats.ipcw import ipcw_weights
from netter.stats.rpsftm import counterfactual_times, g_estimate

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])
#: A coarse scan keeps each g-estimation to a few milliseconds.
FAST = {"grid_step": 0.1, "interval": (-2.0, 2.0)}


@st.composite
def trials(draw, min_size=4, max_size=30):
    """(time, event, experimental, time_on, censor_time, switch_time, progression)."""
    n = draw(st.integers(min_size, max_size))
    time = np.array(draw(st.lists(st.integers(1, 40).map(float), min_size=n, max_size=n)))
    event = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    experimental = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    experimental[0], experimental[-1] = True, False
    frac = np.array(draw(st.lists(st.sampled_from([0.0, 0.0, 0.3, 0.5, 1.0]), min_size=n,
                                  max_size=n)))
    switched = ~experimental & (frac > 0)
    switch_time = np.where(switched, time * (1 - frac), np.nan)
    time_on = np.where(experimental, time, np.where(switched, time * frac, 0.0))
    censor = time + np.array(draw(st.lists(st.integers(0, 20).map(float), min_size=n,
                                           max_size=n)))
    progression = np.where(switched, np.nan_to_num(switch_time) * 0.5, np.nan)
    return time, event, experimental, time_on, censor, switch_time, progression


@SETTINGS
@given(trials())
def test_the_counterfactual_at_psi_zero_is_the_observed_data(trial):
    time, event, _, time_on, censor, *_ = trial
    u, d = counterfactual_times(time, event, time_on, 0.0, censor)
    assert np.array_equal(u, time) and np.array_equal(d, event)


@SETTINGS
@given(trials(), st.sampled_from([1 / 30.4375, 7.0, 1000.0]))
def test_psi_does_not_depend_on_the_time_unit(trial, scale):
    time, event, experimental, time_on, censor, *_ = trial
    a = g_estimate(time, event, experimental, time_on, censor_time=censor,
                   interval_wanted=False, **FAST)
    b = g_estimate(time * scale, event, experimental, time_on * scale,
                   censor_time=censor * scale, interval_wanted=False, **FAST)
    assert (a.psi is None) == (b.psi is None)
    if a.psi is not None:
        # a jump where two U tie (e.g. at psi = 0 when times are equal) moves by the
        # near-tie merging, whose absolute tolerance (R's timefix) is not scale-free
        assert abs(a.psi - b.psi) < 1e-6
    assert (a.not_estimable_reason is None) == (a.psi is not None)


@SETTINGS
@given(trials())
def test_the_interval_of_psi_holds_the_estimate(trial):
    time, event, experimental, time_on, censor, *_ = trial
    fit = g_estimate(time, event, experimental, time_on, censor_time=censor, **FAST)
    if fit.psi is None:
        assert fit.not_estimable_reason
        return
    lo, hi = fit.psi_ci
    assert lo is None or lo <= fit.psi + 1e-9
    assert hi is None or hi >= fit.psi - 1e-9
    assert fit.roots and min(fit.roots, key=abs) == fit.psi


@SETTINGS
@given(trials())
def test_ipcw_weights_are_positive_and_one_in_the_experimental_arm(trial):
    time, event, experimental, _, _, switch_time, progression = trial
    w = ipcw_weights(time, event, experimental, switch_time, progression,
                     np.zeros((time.size, 0)), (), interval=5.0)
    if w.not_estimable_reason is not None:
        assert w.denominator is None or w.denominator.coef is None or (
            w.numerator.coef is None) or "no switch" in w.not_estimable_reason
        return
    assert np.all(np.isfinite(w.weight)) and np.all(w.weight > 0)
    assert np.all(w.weight[~w.reference_rows] == 1.0)
    assert np.all(w.stop > w.start)


def test_a_separated_switching_model_is_not_estimable():
    from netter.stats.ipcw import fit_logistic

    x = np.column_stack([np.ones(8), [0, 0, 0, 0, 1, 1, 1, 1.0]])
    y = np.array([0, 0, 0, 0, 1, 1, 1, 1.0])
    fit = fit_logistic(y, x, ("(Intercept)", "x"), tolerance=1e-10, max_iter=100)
    assert fit.coef is None and "separated" in fit.not_estimable_reason


def test_small_fitted_probabilities_are_not_separation():
    # a converged fit whose extrapolated rows have probabilities near 1e-12 (R's glm
    # does not warn below 10 * machine epsilon either) is estimable
    from netter.stats.ipcw import SEPARATION_EPS, fit_logistic

    t = np.arange(60.0)
    y = (np.arange(60) % 7 == 0).astype(float)
    y[40:] = 0.0
    y[39] = 1.0
    x = np.column_stack([np.ones(60), t])
    fit = fit_logistic(y, x, ("(Intercept)", "t"), tolerance=1e-10, max_iter=100)
    assert fit.coef is not None
    assert fit.probability.min() > SEPARATION_EPS
