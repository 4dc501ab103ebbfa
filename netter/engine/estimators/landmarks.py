"""Batched Kaplan-Meier curves read at landmark times, as :func:`netter.stats.km.survival_at`.

For each trial, arm and requested time: the number at risk, S(t), its Greenwood SE
and the pointwise CI, right-continuous (a time equal to an event time gets S after
it); before the first observation S = 1 with SE 0 and CI (1, 1).  Past a censored
end of the curve the profile's ``landmark_rule`` decides (``"none"``/``"ne"``: NaN;
``"carry"``: the last values, flagged in ``carried``); a curve that reached 0 reads
S = 0 (SE and CI NaN).  ``n_risk`` follows the profile's ``at_risk`` rule.

Examples
--------
>>> from netter.engine.estimators.batch import SurvivalBatch
>>> from netter.engine.estimators.km import km_curves
>>> b = SurvivalBatch.from_trials([[1, 2, 2, 3, 4]], [[1, 1, 0, 1, 0]], [[0] * 5])
>>> lm = survival_at_batch(km_curves(b, profile="r"), [0.5, 2, 4, 5])
>>> lm.survival[0, 0].round(6).tolist()
[1.0, 0.6, 0.3, 0.3]
>>> survival_at_batch(km_curves(b, profile="sas"), [5]).survival[0, 0].tolist()
[nan]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from netter.engine.estimators.km import KMCurves


@dataclass(frozen=True, eq=False)
class BatchedLandmarks:
    """Curves read at ``times``: (B, 2, T) arrays, NaN where netter.stats gives ``None``.

    Attributes
    ----------
    times : numpy.ndarray
        (T,) the landmark times.
    n_risk : numpy.ndarray
        (B, 2, T) int: subjects at risk (``#{time >= t}``, or ``> t`` with ``at_risk="gt"``).
    survival, std_err, ci_lower, ci_upper : numpy.ndarray
        (B, 2, T) S(t), its Greenwood SE and the profile's pointwise CI.
    carried : numpy.ndarray
        (B, 2, T) bool: read past a censored end with ``landmark_rule="carry"``.
    """

    times: np.ndarray
    n_risk: np.ndarray
    survival: np.ndarray
    std_err: np.ndarray
    ci_lower: np.ndarray
    ci_upper: np.ndarray
    carried: np.ndarray


def survival_at_batch(curves: KMCurves, times) -> BatchedLandmarks:
    """Read every curve at ``times`` (R ``summary(fit, times=...)``; see the module notes).

    Parameters
    ----------
    curves : KMCurves
        From :func:`~netter.engine.estimators.km.km_curves`.
    times : float or array_like
        Times (finite, >= 0), in the order wanted.

    Returns
    -------
    BatchedLandmarks

    Examples
    --------
    >>> from netter.engine.estimators.batch import SurvivalBatch
    >>> from netter.engine.estimators.km import km_curves
    >>> b = SurvivalBatch.from_trials([[1, 2, 2, 3, 4]], [[1, 1, 0, 1, 0]], [[0] * 5])
    >>> survival_at_batch(km_curves(b, profile="r"), 2.5).n_risk[0, 0].tolist()
    [2]
    """
    t = np.atleast_1d(np.asarray(times, dtype=float))
    if t.ndim != 1 or not np.all(np.isfinite(t)) or np.any(t < 0):
        raise ValueError("times must be finite and >= 0")
    c = curves
    prof = c.profile
    rule = getattr(prof, "landmark_rule", "none")
    gt = getattr(prof, "at_risk", "ge") == "gt"
    time = c.time[..., None, :]  # (B, 2, 1, K) against (T, 1)
    at_or_before = (time <= t[:, None]).sum(axis=-1)  # (B, 2, T); padding is inf
    before = (time < t[:, None]).sum(axis=-1)
    nxt = at_or_before if gt else before
    length = c.length[..., None]
    n_risk = np.where(nxt < length,
                      np.take_along_axis(c.n_risk, np.minimum(nxt, c.time.shape[-1] - 1),
                                         axis=-1), 0)
    row = at_or_before - 1
    safe = np.maximum(row, 0)
    values = [np.take_along_axis(a, safe, axis=-1)
              for a in (c.survival, c.std_err, c.ci_lower, c.ci_upper)]
    last = np.maximum(c.length - 1, 0)[..., None]
    last_time = np.take_along_axis(c.time, last, axis=-1)
    last_surv = np.take_along_axis(c.survival, last, axis=-1)
    past = (t > last_time) & (last_surv > 0)
    start = row < 0
    empty = (c.length == 0)[..., None]
    hidden = empty | (past & (rule != "carry"))
    out = []
    for value, at_start in zip(values, (1.0, 0.0, 1.0, 1.0), strict=True):
        value = np.where(start, at_start, value)
        out.append(np.where(hidden & ~start | empty, np.nan, value))
    return BatchedLandmarks(t, n_risk, *out, carried=past & ~start & ~empty & (rule == "carry"))
