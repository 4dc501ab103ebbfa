"""Quantiles (the median by default) of batched Kaplan-Meier curves, with their CIs.

Curve by curve equal to :func:`netter.stats.quantiles.km_quantile` (R
``quantile.survfit``): the first time the curve reaches ``1 - q``, the midpoint of a
flat segment sitting at exactly ``1 - q`` (R's tolerance ``sqrt(machine epsilon)``),
and the Brookmeyer-Crowley interval from the same rule applied to the pointwise
band of the profile's transform.  R's ``findq`` sorts and deduplicates the band
values before searching; here the same choice is made with masked minima along the
curve axis (the smallest value past the threshold, at its first occurrence) and one
sort per band to find its last distinct value.  The profile's ``quantile_rule``
(``"midpoint"``, ``"sas"``, ``"first"``) is followed as in netter.stats.

Examples
--------
>>> from netter.engine.estimators.batch import SurvivalBatch
>>> from netter.engine.estimators.km import km_curves
>>> b = SurvivalBatch.from_trials([[1, 2, 3, 4, 1, 2]], [[1, 1, 1, 1, 1, 0]],
...                               [[0, 0, 0, 0, 1, 1]])
>>> km_quantile_batch(km_curves(b, profile="r")).estimate.tolist()
[[2.5, 1.5]]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from netter.engine.estimators.km import KMCurves
from netter.stats.quantiles import TOLERANCE


@dataclass(frozen=True, eq=False)
class BatchedQuantile:
    """The ``q`` quantile of each curve and its CI, (B, 2) arrays; NaN = not reached.

    Attributes
    ----------
    q : float
        Probability of an event by the returned time (0.5 = median).
    estimate, ci_lower, ci_upper : numpy.ndarray
        (B, 2) times at which the curve, its lower and its upper band reach ``1 - q``.
    """

    q: float
    estimate: np.ndarray
    ci_lower: np.ndarray
    ci_upper: np.ndarray


def _take(a: np.ndarray, idx: np.ndarray) -> np.ndarray:
    return np.take_along_axis(a, idx[..., None], axis=-1)[..., 0]


def _last_distinct(y: np.ndarray, inside: np.ndarray) -> np.ndarray:
    """Index of the value whose first occurrence comes last (NaNs count as one value).

    The last element of R's ``y[!duplicated(y)]``.
    """
    key = np.where(inside, np.where(np.isnan(y), np.inf, y), np.nan)
    order = np.argsort(key, axis=-1, kind="stable")
    sk = np.take_along_axis(key, order, axis=-1)
    start = np.ones(sk.shape, dtype=bool)
    with np.errstate(invalid="ignore"):
        start[..., 1:] = sk[..., 1:] != sk[..., :-1]
    start &= ~np.isnan(sk)
    return np.max(np.where(start, order, -1), axis=-1)


def findq(x: np.ndarray, y: np.ndarray, length: np.ndarray, p: float, *,
          monotone: bool = False, rule: str = "midpoint") -> np.ndarray:
    """R ``survival:::findq`` along the last axis (entries past ``length`` ignored).

    Parameters
    ----------
    x, y : numpy.ndarray
        (..., K) times (``x[..., 0] = 0``) and cumulative probabilities (``y[..., 0] = 0``);
        ``y`` may hold NaN and need not be monotone (a band).
    length : numpy.ndarray
        (...) number of real entries (at least 1).
    p : float
        The probability to reach.
    monotone : bool
        ``y`` is known non-decreasing without NaN (the estimate): skips a sort.
    rule : str
        ``"midpoint"`` (R) or ``"sas"`` (no midpoint to a censored last time: NaN).

    Returns
    -------
    numpy.ndarray
        (...) the quantile, NaN where R gives ``NA``.

    Examples
    --------
    >>> x = np.array([[0.0, 1, 2, 3, 4]])
    >>> y = np.array([[0.0, 0.25, 0.5, 0.5, 0.75]])
    >>> findq(x, y, np.array([5]), 0.5).tolist(), findq(x, y, np.array([4]), 0.5).tolist()
    ([3.0], [2.5])
    """
    inside = np.arange(x.shape[-1]) < length[..., None]
    ok = inside & ~np.isnan(y)
    big = np.where(ok, y, -np.inf).max(axis=-1)
    small = np.where(ok, y, np.inf).min(axis=-1)
    xmax = _take(x, np.maximum(length - 1, 0))
    picks = []
    for shifted, bound in ((y + TOLERANCE, small + TOLERANCE), (y - TOLERANCE,
                                                                small - TOLERANCE)):
        hit = ok & (shifted >= p)
        value = np.where(hit, y, np.inf).min(axis=-1)
        first = np.argmax(ok & (y == value[..., None]), axis=-1)
        picks.append((hit.any(axis=-1) & ~(p < bound), _take(x, first)))
    (has1, x1), (has2, x2) = picks
    quant = np.where(has1 & has2, x1 / 2 + x2 / 2, np.nan)
    last = np.maximum(length - 1, 0) if monotone else _last_distinct(y, inside)
    y_last = _take(y, last)
    special = ~np.isnan(y_last) & (np.abs(p - y_last) < TOLERANCE) & has1
    quant = np.where(special, np.nan if rule == "sas" else x1 / 2 + xmax / 2, quant)
    return np.where(ok.any(axis=-1) & (big >= p), quant, np.nan)


def _first_at_or_below(x: np.ndarray, curve: np.ndarray, inside: np.ndarray, level: float):
    """lifelines ``qth_survival_time``: the first x with S(x) <= level (NaN: never)."""
    with np.errstate(invalid="ignore"):
        hit = inside & (curve <= level)
    return np.where(hit.any(axis=-1), _take(x, np.argmax(hit, axis=-1)), np.nan)


def _lifelines_survival(c: KMCurves) -> np.ndarray:
    """S as lifelines computes it, exp(cumsum(log(n - d) - log(n))) (netter.stats' rule)."""
    n, d = c.n_risk.astype(float), c.n_event.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(c.inside, np.log(n - d) - np.log(n), 0.0)
    return np.exp(np.cumsum(terms, axis=-1))


def km_quantile_batch(curves: KMCurves, q: float = 0.5) -> BatchedQuantile:
    """The ``q`` quantile of every curve with its Brookmeyer-Crowley CI.

    Equal, curve by curve, to ``netter.stats.quantiles.km_quantile(kaplan_meier(time,
    event, profile=profile), q)`` (R ``quantile(fit, probs=q)``).

    Parameters
    ----------
    curves : KMCurves
        From :func:`~netter.engine.estimators.km.km_curves`.
    q : float
        Probability of an event, strictly between 0 and 1 (0.5 = median).

    Returns
    -------
    BatchedQuantile
        NaN where netter.stats gives ``None`` (not reached, empty arm).

    Examples
    --------
    >>> from netter.engine.estimators.batch import SurvivalBatch
    >>> from netter.engine.estimators.km import km_curves
    >>> b = SurvivalBatch.from_trials([[1, 2, 3, 4, 5, 6]], [[1, 1, 0, 1, 1, 0]], [[0] * 6])
    >>> m = km_quantile_batch(km_curves(b, profile="r"))
    >>> m.estimate[0, 0], m.ci_lower[0, 0], m.ci_upper[0, 0]
    (np.float64(4.0), np.float64(2.0), np.float64(nan))
    """
    if not 0.0 < q < 1.0:
        raise ValueError(f"q must lie strictly between 0 and 1, got {q!r}")
    c = curves
    rule = getattr(c.profile, "quantile_rule", "midpoint")
    shape = c.time.shape[:-1] + (1,)
    x = np.concatenate((np.zeros(shape), c.time), axis=-1)
    length = c.length + 1
    inside = np.arange(x.shape[-1]) < length[..., None]
    empty = c.n == 0
    if rule == "first":
        ones = np.ones(shape)
        est, lower, upper = (
            _first_at_or_below(x, np.concatenate((ones, curve), axis=-1), inside, 1.0 - q)
            for curve in (_lifelines_survival(c), c.ci_lower, c.ci_upper))
    elif rule in ("midpoint", "sas"):
        zeros = np.zeros(shape)
        est, lower, upper = (
            findq(x, np.concatenate((zeros, 1.0 - curve), axis=-1), length, q,
                  monotone=monotone, rule=rule)
            for curve, monotone in ((c.survival, True), (c.ci_lower, False),
                                    (c.ci_upper, False)))
    else:
        raise ValueError(f"unknown quantile_rule {rule!r}")
    nan = np.nan
    return BatchedQuantile(float(q), np.where(empty, nan, est), np.where(empty, nan, lower),
                           np.where(empty, nan, upper))
