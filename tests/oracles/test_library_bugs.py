"""Where a library disagrees with netter because of a bug, not a convention.

Each test asserts the library's wrong value and netter's right one, with an independent
check of which is right (``docs/methods.md``, "Library oracles").  When a library fixes
its bug, the test fails and the section should be updated.
"""

from __future__ import annotations

import numpy as np
import pytest
from lifelines import KaplanMeierFitter
from lifelines.utils import restricted_mean_survival_time
from scipy.integrate import IntegrationWarning
from scipy.optimize import minimize_scalar
from scipy.stats import chi2, norm
from statsmodels.duration.survfunc import survdiff
from statsmodels.stats.proportion import confint_proportions_2indep

from netter.stats.contingency import risk_difference, table_2x2
from netter.stats.km import kaplan_meier
from netter.stats.logrank import logrank_test
from netter.stats.rmst import rmst
from tests.oracles.datasets import lung, trial

Z = float(norm.ppf(0.975))


def _restricted_mle(x1, n1, x0, n0, delta):
    """Maximum likelihood of (p1, p0) with p1 - p0 = delta, found numerically."""
    lo, hi = max(0.0, -delta), min(1.0, 1.0 - delta)

    def nll(p0):
        p1 = p0 + delta
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = [x1 * np.log(p1), (n1 - x1) * np.log1p(-p1),
                     x0 * np.log(p0), (n0 - x0) * np.log1p(-p0)]
        return -sum(t for t, x in zip(terms, (x1, n1 - x1, x0, n0 - x0), strict=True) if x)

    p0 = minimize_scalar(nll, bounds=(lo, hi), method="bounded",
                         options={"xatol": 1e-13}).x
    return p0 + delta, p0


def _mn_statistic(x1, n1, x0, n0, delta):
    """Miettinen-Nurminen score statistic from the numerical restricted MLE."""
    p1, p0 = _restricted_mle(x1, n1, x0, n0, delta)
    n = n1 + n0
    var = (p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0) * n / (n - 1)
    return (x1 / n1 - x0 / n0 - delta) / np.sqrt(var)


def test_statsmodels_miettinen_nurminen_minimal_example():
    """1/5 vs 1/5: identical arms, so the interval of the difference must be symmetric."""
    lower, upper = confint_proportions_2indep(1, 5, 1, 5, method="score", compare="diff")
    assert round(lower, 4) == -0.4286 and round(upper, 4) == 0.5084  # statsmodels: asymmetric
    ours = risk_difference(table_2x2(1, 5, 1, 5), method="miettinen-nurminen")
    assert round(ours.lower, 4) == -0.5175 and round(ours.upper, 4) == 0.5175
    assert abs(ours.lower + ours.upper) < 1e-12


@pytest.mark.parametrize(("case", "theirs", "ours"), [
    ((18, 116, 3, 113), (0.05966, 0.20819), (0.05906, 0.20912)),
    ((56, 70, 48, 80), (0.05255, 0.34404), (0.05283, 0.33817)),
    ((3, 10, 3, 10), (-0.36292, 0.38565), (-0.39311, 0.39311)),
])
def test_statsmodels_miettinen_nurminen_score_limits(case, theirs, ours):
    """netter's limits solve the score equation; statsmodels' do not.

    statsmodels' closed-form restricted MLE (``score_test_proportions_2indep``) has
    ``count0`` where Miettinen and Nurminen (1985, appendix) have ``nobs0`` in the
    coefficient ``L1 = (N0 delta - N - 2 C0) delta + M1``.
    """
    sm = confint_proportions_2indep(*case, method="score", compare="diff")
    assert np.round(sm, 5).tolist() == list(theirs)
    d = risk_difference(table_2x2(*case), method="miettinen-nurminen")
    assert np.round(d.ci, 5).tolist() == list(ours)
    assert abs(_mn_statistic(*case, d.lower) - Z) < 1e-6
    assert abs(_mn_statistic(*case, d.upper) + Z) < 1e-6
    assert abs(_mn_statistic(*case, sm[0]) - Z) > 1e-3
    assert abs(_mn_statistic(*case, sm[1]) + Z) > 1e-3


def test_statsmodels_miettinen_nurminen_fails_on_equal_arms():
    """2/5 vs 2/5: statsmodels' root finder meets a NaN (arccos of a value above 1)."""
    with np.errstate(invalid="ignore"), pytest.raises(ValueError, match="NaN"):
        confint_proportions_2indep(2, 5, 2, 5, method="score", compare="diff")
    d = risk_difference(table_2x2(2, 5, 2, 5), method="miettinen-nurminen")
    assert round(d.upper, 4) == 0.5437 and abs(d.lower + d.upper) < 1e-12


def test_lifelines_rmst_variance_is_the_spread_of_the_times():
    """Four deaths at 1, 2, 3, 4, tau = 5: lifelines' 'variance' is var(T) = 1.25.

    The variance of the estimate (a mean of four times) is 1.25 / 4 = 0.3125: netter's
    (R ``survmean``'s) Greenwood variance.  lifelines returns E[min(T, tau)^2] - RMST^2,
    the spread of the restricted times, which does not shrink with n.
    """
    kmf = KaplanMeierFitter().fit([1.0, 2, 3, 4], [1, 1, 1, 1])
    mean, variance = restricted_mean_survival_time(kmf, t=5.0, return_variance=True)
    assert mean == 2.5 and abs(variance - 1.25) < 1e-9
    ours = rmst([1.0, 2, 3, 4], [1, 1, 1, 1], tau=5.0, profile="r")
    assert ours.estimate == 2.5 and abs(ours.se ** 2 - 0.3125) < 1e-15


def _second_moment_variance(km, tau):
    """E[min(T, tau)^2] - RMST^2 under a Kaplan-Meier curve, integrated exactly."""
    keep = km.time <= tau
    knots = np.concatenate(([0.0], km.time[keep], [tau]))
    level = np.concatenate(([1.0], km.survival[keep]))
    mean = np.sum(np.diff(knots) * level)
    return float(np.sum(level * np.diff(knots ** 2)) - mean ** 2)


def test_lifelines_rmst_variance_is_integrated_inaccurately():
    """lifelines integrates t S(t), a step function, with ``quad`` (50 subdivisions).

    Lung cancer data, 'Active' arm, tau = 304 days: ``quad`` stops with an
    IntegrationWarning and the variance is 7.9e-4 (relative) off its own exact value.
    """
    d = lung()
    t, e = d.of("Active")
    kmf = KaplanMeierFitter().fit(t, e)
    with pytest.warns(IntegrationWarning):
        _, variance = restricted_mean_survival_time(kmf, t=304.0, return_variance=True)
    exact = _second_moment_variance(kaplan_meier(t, e, profile="r"), 304.0)
    assert round((variance - exact) / exact, 5) == -0.00079


def test_statsmodels_survdiff_small_p_values_lose_precision():
    """statsmodels' log-rank p is ``1 - chi2.cdf(chisq)``: below ~1e-8 it loses digits.

    Synthetic trial, PFS: the chi-squares agree to 1e-15, the p-values by 1.2e-4
    (relative); netter's equals ``chi2.sf`` (R ``pchisq(lower.tail = FALSE)``).
    """
    d = trial()
    chisq, p = survdiff(d.time, d.event, d.group)
    ours = logrank_test(d.time, d.event, d.group)
    assert abs(ours.chisq - chisq) < 1e-12 * chisq
    assert p == 1.0 - chi2.cdf(chisq, 1)
    assert ours.p_value == chi2.sf(ours.chisq, 1)
    assert round(abs(p - ours.p_value) / ours.p_value, 5) == 0.00012
