"""Exact conditional odds ratios: R ``fisher.test`` and ``mantelhaen.test(exact = TRUE)``.

* :func:`fisher_exact`: the conditional maximum likelihood estimate of the odds ratio,
  the exact conditional interval (inverting the noncentral hypergeometric) and the
  two-sided p-value, which sums the null probabilities ``<= (1 + 1e-7)`` times that of
  the observed table.
* :func:`mantel_haenszel_exact`: the exact conditional test of a 2 x 2 x K table, the
  conditional MLE of the common odds ratio and its exact interval.

Root finding as R
-----------------
``fisher.test`` and ``mantelhaen.test(exact = TRUE)`` find the conditional MLE and
the confidence limits with ``uniroot`` at its default tolerance
``.Machine$double.eps^0.25`` (about 1.2e-4), so R's printed values are only that
accurate (they can differ from the exact root in the fourth significant digit).
netter reproduces R's Brent zero finder step by step (:func:`zeroin`), so by default
it returns R's numbers; pass ``tol=1e-13`` to get the roots to full precision instead
(the tolerance is absolute in ``t``, the odds ratio or its reciprocal, whichever lies
in (0, 1]).  Degenerate tables: see :mod:`netter.stats.contingency`.

Examples
--------
>>> from netter.stats.tables import table_2x2
>>> f = fisher_exact(table_2x2(18, 116, 3, 113))
>>> round(f.estimate, 4), round(f.lower, 4), round(f.upper, 4), f.p_value < 0.001
(6.6864, 1.8702, 36.4988, True)
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from netter.stats.binomial import check_conf_level
from netter.stats.tables import check_table, informative_strata
from netter.stats.tables import none_if_not_finite as _none_if_not_finite

#: R's ``uniroot`` default tolerance, ``.Machine$double.eps^0.25``.
R_UNIROOT_TOL = 2.0 ** -13
#: R's ``uniroot`` default ``maxiter``.
R_UNIROOT_MAXITER = 1000
#: R's relative tolerance when collecting tables "as or less probable" (fisher.test).
REL_ERR = 1.0 + 1e-7

_EPS = sys.float_info.epsilon
_DBL_MAX = sys.float_info.max


# --- R's zero finder -------------------------------------------------------------------


def zeroin(f: Callable[[float], float], lower: float, upper: float, *,
           tol: float = R_UNIROOT_TOL, maxiter: int = R_UNIROOT_MAXITER) -> float:
    """A root of ``f`` in ``[lower, upper]`` exactly as R ``uniroot(f, c(lower, upper))``.

    Brent's (1973) zero finder as R runs it (``uniroot`` -> ``zeroin2``): the same
    steps and the same stopping rule ``|c - b| / 2 <= 2 eps |b| + tol / 2``, so that
    the root equals R's to rounding, tolerance included.  Infinite values of ``f``
    become the largest finite double, as R does during the search (netter also does
    it at the end points, which R passes on unchanged; the R calls reproduced here
    never have infinite end values).

    Parameters
    ----------
    f : callable
        Continuous function with ``f(lower)`` and ``f(upper)`` of opposite signs (or 0).
    lower, upper : float
    tol : float
        R's ``tol`` (default ``.Machine$double.eps^0.25``).
    maxiter : int

    Returns
    -------
    float

    Examples
    --------
    >>> round(zeroin(lambda t: t * t - 2.0, 0.0, 2.0, tol=1e-12), 12)
    1.414213562373
    """
    def g(t: float) -> float:
        value = float(f(t))
        if math.isnan(value):
            raise ArithmeticError(f"f({t!r}) is NaN")
        if math.isinf(value):
            return -_DBL_MAX if value < 0 else _DBL_MAX
        return value

    a, b = float(lower), float(upper)
    fa, fb = g(a), g(b)
    if fa * fb > 0:
        raise ArithmeticError("f() values at end points not of opposite sign")
    c, fc = a, fa
    if fa == 0.0:
        return a
    if fb == 0.0:
        return b
    for _ in range(maxiter + 1):
        prev_step = b - a
        if abs(fc) < abs(fb):
            a, b, c = b, c, b
            fa, fb, fc = fb, fc, fb
        tol_act = 2.0 * _EPS * abs(b) + tol / 2.0
        new_step = (c - b) / 2.0
        if abs(new_step) <= tol_act or fb == 0.0:
            return b
        if abs(prev_step) >= tol_act and abs(fa) > abs(fb):
            cb = c - b
            if a == c:
                t1 = fb / fa
                p = cb * t1
                q = 1.0 - t1
            else:
                q = fa / fc
                t1 = fb / fc
                t2 = fb / fa
                p = t2 * (cb * q * (q - t1) - (b - a) * (t1 - 1.0))
                q = (q - 1.0) * (t1 - 1.0) * (t2 - 1.0)
            if p > 0.0:
                q = -q
            else:
                p = -p
            if p < (0.75 * cb * q - abs(tol_act * q) / 2.0) and p < abs(prev_step * q / 2.0):
                new_step = p / q
        if abs(new_step) < tol_act:
            new_step = tol_act if new_step > 0.0 else -tol_act
        a, fa = b, fb
        b += new_step
        fb = g(b)
        if (fb > 0 and fc > 0) or (fb < 0 and fc < 0):
            c, fc = a, fa
    return b  # R warns "_NOT_ converged"; Brent's method converges long before 1000 steps


# --- conditional (noncentral hypergeometric) inference ----------------------------------


def _hypergeom(total: int, good: int, drawn: int):
    """``scipy.stats.hypergeom``, imported on first use (exact tests only; ``scipy.stats``
    costs about a second to import)."""
    from scipy.stats import hypergeom

    return hypergeom(total, good, drawn)


class _Conditional:
    """The distribution of ``S`` (x[1, 1] or its sum over strata) given all margins.

    ``fisher=True`` follows ``fisher.test`` (log densities from ``dhyper``; at odds
    ratio 1 the tail probabilities come from ``phyper``); otherwise it follows
    ``mantelhaen.test(exact = TRUE)`` (the convolution of the strata's ``dhyper``,
    renormalised after each stratum, used as is at odds ratio 1).
    """

    def __init__(self, tables: np.ndarray, *, fisher: bool):
        self.fisher = fisher
        col1 = tables[:, 0, 0] + tables[:, 1, 0]     # responders per stratum (R m)
        col2 = tables[:, 0, 1] + tables[:, 1, 1]     # non-responders (R n)
        row1 = tables[:, 0, 0] + tables[:, 0, 1]     # arm 0 size (R k / t)
        self.x = int(tables[:, 0, 0].sum())
        self.lo = int(np.maximum(0, row1 - col2).sum())
        self.hi = int(np.minimum(row1, col1).sum())
        self.support = np.arange(self.lo, self.hi + 1)
        if fisher:
            m, n, k = int(col1[0]), int(col2[0]), int(row1[0])
            self._dist = _hypergeom(m + n, m, k)
            self.logdc = self._dist.logpmf(self.support)
            self.dc = None
        else:
            dens = np.ones(1)
            for m, n, t in zip(col1.tolist(), col2.tolist(), row1.tolist(), strict=True):
                y, z = max(0, t - n), min(m, t)
                u = _hypergeom(m + n, m, t).pmf(np.arange(y, z + 1))
                dens = np.convolve(dens, u)
                dens = dens / dens.sum()
            self.dc = dens
            with np.errstate(divide="ignore"):
                self.logdc = np.log(dens)

    def density(self, ncp: float) -> np.ndarray:
        if not self.fisher and ncp == 1:
            return self.dc
        d = self.logdc + math.log(ncp) * self.support
        d = np.exp(d - d.max())
        return d / d.sum()

    def mean(self, ncp: float) -> float:
        if ncp == 0:
            return float(self.lo)
        if ncp == math.inf:
            return float(self.hi)
        return float(np.sum(self.support * self.density(ncp)))

    def tail(self, q: int, ncp: float = 1.0, upper: bool = False) -> float:
        if self.fisher and ncp == 1:
            return float(self._dist.sf(self.x - 1) if upper else self._dist.cdf(self.x))
        if ncp == 0:
            return float(q <= self.lo if upper else q >= self.lo)
        if ncp == math.inf:
            return float(q <= self.hi if upper else q >= self.hi)
        d = self.density(ncp)
        return float(d[self.support >= q].sum() if upper else d[self.support <= q].sum())

    def p_value(self) -> float:
        d = self.density(1.0)
        return float(min(1.0, d[d <= d[self.x - self.lo] * REL_ERR].sum()))

    def mle(self, tol: float) -> float:
        x = self.x
        if x == self.lo:
            return 0.0
        if x == self.hi:
            return math.inf
        mu = self.mean(1.0)
        if mu > x:
            return zeroin(lambda t: self.mean(t) - x, 0.0, 1.0, tol=tol)
        if mu < x:
            return 1.0 / zeroin(lambda t: self.mean(1.0 / t) - x, _EPS, 1.0, tol=tol)
        return 1.0

    def upper_limit(self, alpha: float, tol: float) -> float:
        x = self.x
        if x == self.hi:
            return math.inf
        p = self.tail(x, 1.0)
        if p < alpha:
            return zeroin(lambda t: self.tail(x, t) - alpha, 0.0, 1.0, tol=tol)
        if p > alpha:
            return 1.0 / zeroin(lambda t: self.tail(x, 1.0 / t) - alpha, _EPS, 1.0, tol=tol)
        return 1.0

    def lower_limit(self, alpha: float, tol: float) -> float:
        x = self.x
        if x == self.lo:
            return 0.0
        p = self.tail(x, 1.0, upper=True)
        if p > alpha:
            return zeroin(lambda t: self.tail(x, t, upper=True) - alpha, 0.0, 1.0, tol=tol)
        if p < alpha:
            return 1.0 / zeroin(lambda t: self.tail(x, 1.0 / t, upper=True) - alpha,
                                _EPS, 1.0, tol=tol)
        return 1.0


@dataclass(frozen=True)
class ConditionalOddsRatio:
    """Exact conditional inference on the (common) odds ratio.

    Attributes
    ----------
    estimate : float or None
        Conditional maximum likelihood estimate (R ``$estimate``); ``None`` when
        infinite or not identifiable (see ``not_estimable_reason``).
    lower, upper : float or None
        Exact conditional limits (R ``$conf.int``); ``None`` when infinite.
    p_value : float
        Two-sided exact conditional p-value (R ``$p.value``), capped at 1 (R's sum
        of normalised probabilities can exceed 1 by a rounding error).
    statistic : int
        ``S``: responders in arm 0, summed over strata (R ``$statistic`` for the
        stratified test).
    conf_level : float
    n_strata : int
        Strata analysed (1 for Fisher's test).
    dropped_strata : tuple of int
        Indices of the strata left out because they have fewer than 2 subjects.
    tol : float
        Root-finding tolerance (:data:`R_UNIROOT_TOL` reproduces R).
    method : str
    not_estimable_reason : str or None
    """

    estimate: float | None
    lower: float | None
    upper: float | None
    p_value: float
    statistic: int
    conf_level: float
    n_strata: int
    dropped_strata: tuple[int, ...]
    tol: float
    method: str
    not_estimable_reason: str | None = None

    @property
    def ci(self) -> tuple[float | None, float | None]:
        """``(lower, upper)``."""
        return (self.lower, self.upper)


def _conditional_result(tables: np.ndarray, *, fisher: bool, conf_level: float, tol: float,
                        dropped: tuple[int, ...], method: str) -> ConditionalOddsRatio:
    level = check_conf_level(conf_level)
    dist = _Conditional(tables, fisher=fisher)
    alpha = (1.0 - level) / 2.0
    if dist.lo == dist.hi:
        return ConditionalOddsRatio(
            None, 0.0, None, 1.0, dist.x, level, int(tables.shape[0]), dropped, tol, method,
            "odds ratio not identifiable: every table has an empty row or column "
            "(R prints 0)")
    estimate = dist.mle(tol)
    lower, upper = dist.lower_limit(alpha, tol), dist.upper_limit(alpha, tol)
    reason = None
    if math.isinf(estimate):
        reason = ("odds ratio infinite: the observed table is the most extreme its margins "
                  "allow (e.g. no responder in the reference arm); upper limit infinite")
    elif math.isinf(upper):
        reason = "upper confidence limit infinite"
    return ConditionalOddsRatio(
        _none_if_not_finite(estimate), lower, _none_if_not_finite(upper), dist.p_value(),
        dist.x, level, int(tables.shape[0]), dropped, tol, method, reason)


def fisher_exact(table, *, conf_level: float = 0.95, tol: float = R_UNIROOT_TOL
                 ) -> ConditionalOddsRatio:
    """Fisher's exact test of a 2 x 2 table: R ``fisher.test(x, conf.level = )``.

    Parameters
    ----------
    table : array_like
        ``[[x1, n1 - x1], [x2, n2 - x2]]`` (see :func:`table_2x2`).
    conf_level : float
        Two-sided level of the exact conditional interval.
    tol : float
        Root-finding tolerance; the default reproduces R's printed values.

    Returns
    -------
    ConditionalOddsRatio
        ``estimate`` the conditional MLE, ``lower``/``upper`` the exact conditional
        limits, ``p_value`` the two-sided p-value.

    Examples
    --------
    >>> from netter.stats.tables import stratified_tables, table_2x2
    >>> f = fisher_exact(table_2x2(10, 10, 3, 10))
    >>> f.estimate is None, round(f.lower, 4), f.upper, round(f.p_value, 6)
    (True, 2.5755, None, 0.003096)
    >>> fisher_exact(table_2x2(0, 12, 5, 10)).estimate
    0.0
    """
    arr = check_table(table)
    return _conditional_result(arr[np.newaxis], fisher=True, conf_level=conf_level, tol=tol,
                               dropped=(), method="fisher.test")


def mantel_haenszel_exact(tables, *, conf_level: float = 0.95, tol: float = R_UNIROOT_TOL
                          ) -> ConditionalOddsRatio:
    """Exact conditional test of a 2 x 2 x K table: R ``mantelhaen.test(x, exact = TRUE)``.

    Strata with fewer than 2 subjects are dropped (and listed); see the module notes.

    Parameters
    ----------
    tables : array_like
        Shape ``(K, 2, 2)`` (see :func:`stratified_tables`).
    conf_level : float
    tol : float
        Root-finding tolerance; the default reproduces R.

    Returns
    -------
    ConditionalOddsRatio
        With every stratum dropped, ``estimate``, ``lower``, ``upper`` are ``None``,
        ``p_value`` is 1.

    Examples
    --------
    >>> from netter.stats.tables import stratified_tables
    >>> e = mantel_haenszel_exact(stratified_tables([(3, 5, 1, 5), (4, 6, 2, 6), (1, 1, 0, 0)]))
    >>> round(e.estimate, 4), e.statistic, e.n_strata, e.dropped_strata
    (4.0755, 7, 2, (2,))
    """
    arr = check_table(tables, stratified=True)
    used, dropped = informative_strata(arr)
    level = check_conf_level(conf_level)
    method = "mantelhaen.test(exact = TRUE)"
    if used.shape[0] == 0:
        return ConditionalOddsRatio(None, None, None, 1.0, 0, level, 0, dropped, tol, method,
                                    "no stratum has 2 or more subjects")
    return _conditional_result(used, fisher=False, conf_level=level, tol=tol, dropped=dropped,
                               method=method)
