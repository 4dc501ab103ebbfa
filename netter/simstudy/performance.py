"""How well estimates recover their truths over simulated trials.

The performance measures of a simulation study (Morris, White and Crowther, Stat Med
2019;38:2074-2102), with their Monte Carlo standard errors, for estimates ``e_i`` and
truths ``t_i`` (one per trial; a truth may be the same for every trial):

* bias ``mean(e_i - t_i)``, Monte Carlo SE ``sd(e_i - t_i) / sqrt(n)``;
* empirical SE ``sd(e_i)`` (the spread of the estimates over trials), Monte Carlo SE
  ``empSE / sqrt(2 (n - 1))``;
* RMSE ``sqrt(mean((e_i - t_i)^2))``;
* coverage: the share of intervals ``[l_i, u_i]`` holding ``t_i``, Monte Carlo SE
  ``sqrt(p (1 - p) / n_ci)``.

``n`` counts the estimable trials (a finite estimate): a not-estimable trial is counted
in ``n_not_estimable`` and left out of every measure, and coverage is over the estimable
trials with an interval.  Trials without a finite truth are left out altogether.  SDs
use ``n - 1``.

Examples
--------
>>> p = performance([0.1, 0.3, None], [0.0, 0.1, 0.2], lower=[-0.1, 0.2, None],
...                 upper=[0.2, 0.4, None])
>>> p.n_estimable, p.n_not_estimable, round(p.bias, 3), p.coverage
(2, 1, 0.15, 0.5)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Performance:
    """Performance of one estimator over trials (``None`` where it cannot be computed).

    Attributes
    ----------
    n_trials : int
        Trials with a truth (or all trials when there is no truth).
    n_estimable, n_not_estimable : int
        Of those, trials with and without a finite estimate.
    mean_estimate, empirical_se, empirical_se_mcse : float or None
    mean_truth : float or None
        Mean truth over the estimable trials.
    bias, bias_mcse, error_sd, rmse : float or None
        ``error_sd`` is ``sd(e_i - t_i)``.
    n_with_ci : int
        Estimable trials with an interval.
    coverage, coverage_mcse : float or None
    """

    n_trials: int
    n_estimable: int
    n_not_estimable: int
    mean_estimate: float | None
    empirical_se: float | None
    empirical_se_mcse: float | None
    mean_truth: float | None
    bias: float | None
    bias_mcse: float | None
    error_sd: float | None
    rmse: float | None
    n_with_ci: int
    coverage: float | None
    coverage_mcse: float | None


def _array(values, n: int) -> np.ndarray:
    if values is None:
        return np.full(n, np.nan)
    if np.ndim(values) == 0:
        return np.full(n, np.nan if values is None else float(values))
    return np.array([np.nan if v is None else float(v) for v in values], dtype=float)


def _sd(values: np.ndarray) -> float | None:
    return float(np.std(values, ddof=1)) if len(values) >= 2 else None


def performance(estimates, truths=None, *, lower=None, upper=None) -> Performance:
    """Bias, empirical SE, RMSE and coverage of ``estimates`` against ``truths``.

    Parameters
    ----------
    estimates : sequence of float or None
        One per trial; ``None`` or NaN = not estimable.
    truths : sequence of float, float or None
        One per trial, or one for every trial; ``None``: no truth (only the mean and the
        empirical SE are computed).
    lower, upper : sequence of float or None, optional
        Each trial's interval; a trial without both ends has no interval.

    Returns
    -------
    Performance

    Examples
    --------
    >>> p = performance([1.0, 2.0, 3.0], 1.5, lower=[0.0, 0.0, 2.0], upper=[2.0, 3.0, 4.0])
    >>> p.bias, p.empirical_se, round(p.rmse, 4), round(p.coverage, 4)
    (0.5, 1.0, 0.9574, 0.6667)
    >>> performance([0.2, 0.4]).bias is None, round(performance([0.2, 0.4]).mean_estimate, 2)
    (True, 0.3)
    """
    est = _array(estimates, 0)
    n = len(est)
    has_truth = truths is not None
    truth = _array(truths, n) if has_truth else np.full(n, np.nan)
    lo, hi = _array(lower, n), _array(upper, n)
    if len(truth) != n or len(lo) != n or len(hi) != n:
        raise ValueError("estimates, truths and interval ends need one value per trial")
    rows = np.isfinite(truth) if has_truth else np.ones(n, bool)
    est, truth, lo, hi = est[rows], truth[rows], lo[rows], hi[rows]
    ok = np.isfinite(est)
    e, t = est[ok], truth[ok]
    n_ok = int(ok.sum())
    emp = _sd(e)
    out = {
        "n_trials": int(rows.sum()), "n_estimable": n_ok, "n_not_estimable": int((~ok).sum()),
        "mean_estimate": float(e.mean()) if n_ok else None, "empirical_se": emp,
        "empirical_se_mcse": emp / math.sqrt(2 * (n_ok - 1)) if emp is not None else None,
        "mean_truth": None, "bias": None, "bias_mcse": None, "error_sd": None, "rmse": None,
        "n_with_ci": 0, "coverage": None, "coverage_mcse": None,
    }
    if not has_truth or not n_ok:
        return Performance(**out)
    error = e - t
    error_sd = _sd(error)
    with_ci = np.isfinite(lo[ok]) & np.isfinite(hi[ok])
    covered = (lo[ok] <= t) & (t <= hi[ok])
    n_ci = int(with_ci.sum())
    coverage = float(covered[with_ci].mean()) if n_ci else None
    out.update(
        mean_truth=float(t.mean()), bias=float(error.mean()),
        bias_mcse=error_sd / math.sqrt(n_ok) if error_sd is not None else None,
        error_sd=error_sd, rmse=float(math.sqrt(np.mean(error ** 2))), n_with_ci=n_ci,
        coverage=coverage,
        coverage_mcse=(math.sqrt(coverage * (1 - coverage) / n_ci) if n_ci else None))
    return Performance(**out)
