"""Exact (Clopper-Pearson) binomial intervals for arrays of counts.

Element by element equal to :func:`netter.stats.binomial.clopper_pearson` (R
``binom.test(x, n, conf.level=)$conf.int``): ``qbeta(alpha/2, x, n - x + 1)`` and
``qbeta(1 - alpha/2, x + 1, n - x)`` by the same ``scipy.special.betaincinv``, 0 when
``x = 0`` and 1 when ``x = n``; NaN for ``n = 0``.

Examples
--------
>>> ci = batched_clopper_pearson([0, 18, 5], [113, 116, 5])
>>> ci.lower.round(4).tolist(), ci.upper.round(4).tolist()
([0.0, 0.0946, 0.4782], [0.0321, 0.2341, 1.0])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import betaincinv

from netter.stats.binomial import BinomialDataError, check_conf_level


@dataclass(frozen=True, eq=False)
class BatchedProportion:
    """Proportions ``x / n`` and their exact intervals (arrays of the broadcast shape).

    Attributes
    ----------
    estimate, lower, upper : numpy.ndarray
        ``x / n`` and the Clopper-Pearson limits; NaN where ``n = 0``.
    conf_level : float
    """

    estimate: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    conf_level: float


def batched_clopper_pearson(x, n, conf_level: float = 0.95) -> BatchedProportion:
    """Clopper-Pearson intervals of ``x`` successes out of ``n``, element by element.

    Parameters
    ----------
    x, n : array_like
        Whole numbers, ``0 <= x <= n`` (broadcast together, any shape).
    conf_level : float
        Two-sided level.

    Returns
    -------
    BatchedProportion

    Raises
    ------
    netter.stats.binomial.BinomialDataError
        Counts that are negative, not whole or with ``x > n``.

    Examples
    --------
    >>> ci = batched_clopper_pearson(np.array([[0, 3]]), np.array([[0, 10]]), 0.9)
    >>> ci.estimate.tolist(), round(float(ci.upper[0, 1]), 6)
    ([[nan, 0.3]], 0.606624)
    """
    level = check_conf_level(conf_level)
    xf, nf = np.broadcast_arrays(np.asarray(x, dtype=np.float64),
                                 np.asarray(n, dtype=np.float64))
    ok = np.isfinite(xf) & np.isfinite(nf) & (xf >= 0) & (xf == np.floor(xf)) & (
        nf == np.floor(nf)) & (xf <= nf)
    if not ok.all():
        raise BinomialDataError("x and n must be whole numbers with 0 <= x <= n")
    alpha = (1.0 - level) / 2.0
    empty = nf == 0
    with np.errstate(invalid="ignore", divide="ignore"):
        lower = np.where(xf == 0, 0.0, betaincinv(xf, nf - xf + 1, alpha))
        upper = np.where(xf == nf, 1.0, betaincinv(xf + 1, nf - xf, 1.0 - alpha))
        estimate = xf / nf
    nan = np.nan
    return BatchedProportion(np.where(empty, nan, estimate), np.where(empty, nan, lower),
                             np.where(empty, nan, upper), level)
