"""Kaplan-Meier summaries of both arms of B trials in one call: median, landmarks, RMST.

:func:`batched_km` builds the curves once (:func:`~netter.engine.estimators.km.km_curves`)
and reads the median with its CI
(:func:`~netter.engine.estimators.quantiles.km_quantile_batch`), S(t) at landmark
times (:func:`~netter.engine.estimators.landmarks.survival_at_batch`) and the RMST
(:func:`~netter.engine.estimators.rmst.rmst_batch`).  Use those functions directly for
other quantiles or several ``tau``.

Examples
--------
>>> from netter.engine.estimators.batch import SurvivalBatch
>>> b = SurvivalBatch.from_trials([[1, 2, 3, 4, 2, 3, 5, 6]], [[1] * 8], [[0] * 4 + [1] * 4])
>>> km = batched_km(b, profile="r", times=(2.5,), tau=4)
>>> km.median.tolist(), km.survival[0, :, 0].tolist(), km.rmst.tolist()
([[2.5, 4.0]], [0.5, 0.75], [[2.5, 3.25]])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from netter.engine.estimators.batch import SurvivalBatch
from netter.engine.estimators.km import km_curves
from netter.engine.estimators.landmarks import survival_at_batch
from netter.engine.estimators.quantiles import km_quantile_batch
from netter.engine.estimators.rmst import rmst_batch
from netter.profiles import Profile


@dataclass(frozen=True, eq=False)
class BatchedKM:
    """Kaplan-Meier summaries per trial and arm (arm 0 = compared, 1 = reference).

    NaN wherever netter.stats gives ``None`` (median not reached, landmark past a
    censored end, empty arm, no ``tau``).

    Attributes
    ----------
    n, events : numpy.ndarray
        (B, 2) int: subjects and events.
    median, median_lower, median_upper : numpy.ndarray
        (B, 2) KM median and its Brookmeyer-Crowley CI (``km_quantile(km, 0.5)``).
    times : numpy.ndarray
        (T,) landmark times.
    n_risk : numpy.ndarray
        (B, 2, T) int: subjects at risk at each landmark.
    survival, std_err, ci_lower, ci_upper : numpy.ndarray
        (B, 2, T) S(t), SE and pointwise CI (``survival_at``).
    tau : float or None
        RMST horizon.
    rmst, rmst_se, rmst_lower, rmst_upper : numpy.ndarray
        (B, 2) RMST to ``tau``, its SE and normal CI (``rmst``); NaN without ``tau``.
    """

    n: np.ndarray
    events: np.ndarray
    median: np.ndarray
    median_lower: np.ndarray
    median_upper: np.ndarray
    times: np.ndarray
    n_risk: np.ndarray
    survival: np.ndarray
    std_err: np.ndarray
    ci_lower: np.ndarray
    ci_upper: np.ndarray
    tau: float | None
    rmst: np.ndarray
    rmst_se: np.ndarray
    rmst_lower: np.ndarray
    rmst_upper: np.ndarray


def batched_km(batch: SurvivalBatch, *, profile: Profile | str, times=(),
               tau: float | None = None) -> BatchedKM:
    """Median (with CI), landmark survival and RMST of each arm of each trial.

    Equal, trial by trial and arm by arm, to netter.stats on that arm's subjects:
    ``km_quantile(kaplan_meier(t, e, profile=profile), 0.5)``, ``survival_at(km,
    times)`` and ``rmst(t, e, tau=tau, profile=profile)``.

    Parameters
    ----------
    batch : SurvivalBatch
    profile : Profile or str
        CI transform and level, and the reading rules (quantile, landmark, at-risk,
        RMST variance) of netter.stats.
    times : sequence of float
        Landmark times (finite, >= 0); may be empty.
    tau : float, optional
        RMST horizon (> 0); RMST fields are NaN without it.

    Returns
    -------
    BatchedKM

    Examples
    --------
    >>> from netter.engine.estimators.batch import SurvivalBatch
    >>> b = SurvivalBatch.from_trials([[1, 2, 3], [4, 5]], [[1, 0, 1], [0, 0]],
    ...                               [[0, 1, 0], [1, 0]])
    >>> km = batched_km(b, profile="r")
    >>> km.median.tolist(), km.survival.shape
    ([[2.0, nan], [nan, nan]], (2, 2, 0))
    """
    curves = km_curves(batch, profile=profile)
    median = km_quantile_batch(curves, 0.5)
    lm = survival_at_batch(curves, np.asarray(times, dtype=float).reshape(-1))
    if tau is None:
        nan = np.full(curves.n.shape, np.nan)
        rm = (nan, nan, nan, nan)
    else:
        r = rmst_batch(curves, tau=tau)
        rm = (r.estimate, r.se, r.ci_lower, r.ci_upper)
    return BatchedKM(curves.n, curves.events, median.estimate, median.ci_lower,
                     median.ci_upper, lm.times, lm.n_risk, lm.survival, lm.std_err,
                     lm.ci_lower, lm.ci_upper, None if tau is None else float(tau), *rm)
