"""Restricted mean survival time of batched Kaplan-Meier curves, as :func:`netter.stats.rmst.rmst`.

The area under each curve on [0, tau] and R's standard error (``survmean``:
``sum A_j^2 d_j / (n_j (n_j - d_j))`` over event times up to tau, A_j the area from
t_j to tau; n = d terms are 0), or lifelines' spread of min(T, tau) with the
profile's ``rmst_variance="lifelines"``.  ``tau`` past the last observation carries
the curve forward (``extended``), except that ``landmark_rule="ne"`` makes it not
estimable when the curve ends censored above 0.  Areas are summed in another order
than netter.stats, so results agree to rounding (about 1e-15 relative), not bitwise.

Examples
--------
>>> from netter.engine.estimators.batch import SurvivalBatch
>>> from netter.engine.estimators.km import km_curves
>>> b = SurvivalBatch.from_trials([[1, 2, 2, 3, 4]], [[1, 1, 0, 1, 0]], [[0] * 5])
>>> r = rmst_batch(km_curves(b, profile="r"), tau=4)
>>> round(float(r.estimate[0, 0]), 6), round(float(r.se[0, 0]), 6)
(2.7, 0.506952)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from netter.engine.estimators.km import KMCurves
from netter.stats.distributions import normal_quantile
from netter.stats.km import greenwood_terms


@dataclass(frozen=True, eq=False)
class BatchedRmst:
    """RMST to ``tau`` per trial and arm, (B, 2) arrays; NaN where netter.stats gives ``None``.

    Attributes
    ----------
    tau : float
    estimate, se : numpy.ndarray
        RMST and its standard error.
    ci_lower, ci_upper : numpy.ndarray
        Normal CI ``estimate -+ z se`` at the profile's level.
    extended : numpy.ndarray
        bool: ``tau`` after the curve's last time (carried forward).
    """

    tau: float
    estimate: np.ndarray
    se: np.ndarray
    ci_lower: np.ndarray
    ci_upper: np.ndarray
    extended: np.ndarray


def rmst_batch(curves: KMCurves, *, tau: float) -> BatchedRmst:
    """RMST up to ``tau`` of every curve, with R's standard error.

    Parameters
    ----------
    curves : KMCurves
        From :func:`~netter.engine.estimators.km.km_curves` (its profile gives the
        level, ``rmst_variance`` and ``landmark_rule``).
    tau : float
        Restriction time, finite and > 0.

    Returns
    -------
    BatchedRmst

    Examples
    --------
    >>> from netter.engine.estimators.batch import SurvivalBatch
    >>> from netter.engine.estimators.km import km_curves
    >>> b = SurvivalBatch.from_trials([[1, 2, 3, 4]], [[1, 1, 1, 1]], [[1] * 4])
    >>> r = rmst_batch(km_curves(b, profile="r"), tau=3)
    >>> r.estimate.tolist(), r.extended.tolist()
    ([[nan, 2.25]], [[False, False]])
    """
    tau = float(tau)
    if not np.isfinite(tau) or tau <= 0:
        raise ValueError(f"tau must be finite and > 0, got {tau!r}")
    c = curves
    prof = c.profile
    keep = c.inside & (c.time <= tau)  # a prefix of each curve
    nxt = np.concatenate((c.time[..., 1:], np.full(c.time.shape[:-1] + (1,), np.inf)), axis=-1)
    right = np.minimum(nxt, tau)
    first = np.minimum(c.time[..., 0], tau)  # the segment [0, first time] at S = 1
    with np.errstate(invalid="ignore"):
        area = np.where(keep, (right - c.time) * c.survival, 0.0)
    estimate = first + area.sum(axis=-1)
    if getattr(prof, "rmst_variance", "greenwood") == "lifelines":
        with np.errstate(invalid="ignore", over="ignore"):
            second = first**2 + np.where(keep, c.survival * (right**2 - c.time**2), 0.0).sum(
                axis=-1)
            se = np.sqrt(np.maximum(second - estimate**2, 0.0))
    else:
        tail = np.cumsum(area[..., ::-1], axis=-1)[..., ::-1]  # area from t_j to tau
        terms = greenwood_terms(c.n_risk, c.n_event)
        terms = np.where(keep & np.isfinite(terms), terms, 0.0)
        with np.errstate(over="ignore", invalid="ignore"):
            se = np.sqrt((tail**2 * terms).sum(axis=-1))
    last = np.maximum(c.length - 1, 0)[..., None]
    last_time = np.take_along_axis(c.time, last, axis=-1)[..., 0]
    last_surv = np.take_along_axis(c.survival, last, axis=-1)[..., 0]
    extended = (c.length > 0) & (tau > last_time)
    empty = c.length == 0
    hidden = empty | (extended & (last_surv > 0)
                      & (getattr(prof, "landmark_rule", "none") == "ne"))
    estimate = np.where(hidden, np.nan, estimate)
    se = np.where(hidden | ~np.isfinite(se), np.nan, se)
    z = float(normal_quantile(1.0 - (1.0 - prof.conf_level) / 2.0))
    return BatchedRmst(tau, estimate, se, estimate - z * se, estimate + z * se, extended)
