"""2 x 2 and stratified 2 x 2 x K tables of response by arm, equal to R's tests.

Layout
------
A 2 x 2 table is ``[[x1, n1 - x1], [x2, n2 - x2]]``: row 0 the experimental arm, row 1
the reference arm, column 0 responders, column 1 non-responders, exactly the matrix
``rbind(c(x1, n1 - x1), c(x2, n2 - x2))`` handed to R.  A stratified table has shape
``(K, 2, 2)``, ``tables[k]`` being stratum ``k`` (R's ``x[, , k]``).  Odds ratios are
odds(arm 0) / odds(arm 1) and differences are ``x1/n1 - x2/n2``.
:func:`table_2x2` and :func:`stratified_tables` build them from counts.

Statistics and the R call each one equals (``tests/reference/response.R``)
--------------------------------------------------------------------------
* :func:`risk_difference` ``"newcombe"``: Newcombe (1998) method 10, the hybrid score
  interval built from the two Wilson limits of R ``prop.test(x, n, correct = FALSE)``
  (R has no function for it; the reference combines those limits in base R);
  ``"miettinen-nurminen"``: the Miettinen-Nurminen (1985) score interval with the
  ``N / (N - 1)`` variance factor, solved to 1e-14 (reference: a base-R implementation
  of the same score statistic solved with ``uniroot(tol = 1e-14)``).
* :func:`fisher_exact`: R ``fisher.test(x, conf.level = )``: the conditional maximum
  likelihood estimate of the odds ratio, the exact conditional interval (inverting
  the noncentral hypergeometric) and the two-sided p-value, which sums the null
  probabilities ``<= (1 + 1e-7)`` times that of the observed table.
* :func:`mantel_haenszel`: R ``mantelhaen.test(x, correct = , conf.level = )`` for a
  2 x 2 x K table: the Mantel-Haenszel chi-square (1 df) with or without continuity
  correction, its p-value, the Mantel-Haenszel common odds ratio and its
  Robins-Breslow-Greenland interval.
* :func:`mantel_haenszel_exact`: R ``mantelhaen.test(x, exact = TRUE, conf.level = )``:
  the exact conditional test, the conditional MLE of the common odds ratio and its
  exact interval.

Root finding as R
-----------------
``fisher.test`` and ``mantelhaen.test(exact = TRUE)`` find the conditional MLE and
the confidence limits with ``uniroot`` at its default tolerance
``.Machine$double.eps^0.25`` (about 1.2e-4), so R's printed values are only that
accurate (they can differ from the exact root in the fourth significant digit).
netter reproduces R's Brent zero finder step by step (:func:`zeroin`), so by default
it returns R's numbers; pass ``tol=1e-13`` to get the roots to full precision instead
(the tolerance is absolute in ``t``, the odds ratio or its reciprocal, whichever lies
in (0, 1]).

Degenerate tables (defined values, never exceptions)
----------------------------------------------------
* An infinite estimate or limit (an arm with no responders or all responders) is
  ``None``, with a ``not_estimable_reason``; R gives ``Inf``.  A zero odds ratio
  (or lower limit) stays 0.0, as R.
* R ``NaN`` / ``NA`` (e.g. the Mantel-Haenszel statistic when no stratum carries
  information, or the Robins-Breslow-Greenland interval when the common odds
  ratio is 0 or infinite) is ``None``.
* A table with an empty row or column (no subject in an arm, no responder or no
  non-responder at all) leaves the odds ratio unidentifiable: netter gives
  ``estimate=None`` where R prints 0; the limits (0 and infinity) and ``p = 1``
  are R's.
* R ``mantelhaen.test`` stops when a stratum has fewer than 2 subjects ("sample
  size in each stratum must be > 1") or when fewer than 2 strata remain.  Such a
  stratum carries no information (one arm is necessarily empty, so it adds
  nothing to the statistic, its variance, the Mantel-Haenszel sums or the exact
  conditional distribution); netter drops it, lists it in ``dropped_strata`` and
  analyses the rest, also when a single stratum remains.  The references check
  this against ``mantelhaen.test`` on the table without those strata (with one
  informationless stratum added when only one is left).

Examples
--------
>>> t = table_2x2(18, 116, 3, 113)
>>> t.tolist()
[[18, 98], [3, 110]]
>>> f = fisher_exact(t)
>>> round(f.estimate, 4), round(f.lower, 4), round(f.upper, 4), f.p_value < 0.001
(6.6864, 1.8702, 36.4988, True)
>>> d = risk_difference(t)
>>> round(d.estimate, 4), round(d.lower, 4), round(d.upper, 4), d.method
(0.1286, 0.0554, 0.2074, 'newcombe')
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.stats import chi2, hypergeom, norm

from netter.errors import NetterError
from netter.stats.binomial import check_conf_level, check_counts, wilson

#: R's ``uniroot`` default tolerance, ``.Machine$double.eps^0.25``.
R_UNIROOT_TOL = 2.0 ** -13
#: R's ``uniroot`` default ``maxiter``.
R_UNIROOT_MAXITER = 1000
#: Tolerance of the Miettinen-Nurminen score-interval roots.
SCORE_TOL = 1e-14
#: R's relative tolerance when collecting tables "as or less probable" (fisher.test).
REL_ERR = 1.0 + 1e-7

_EPS = sys.float_info.epsilon
_DBL_MAX = sys.float_info.max

#: Risk-difference interval methods and what each one is.
DIFFERENCE_METHODS: dict[str, str] = {
    "newcombe": "Newcombe (1998) hybrid score interval (method 10) from Wilson limits",
    "miettinen-nurminen": "Miettinen-Nurminen (1985) score interval, variance x N/(N-1)",
}
DEFAULT_DIFFERENCE_METHOD = "newcombe"


class TableError(NetterError, ValueError):
    """A table that is not a 2 x 2 (x K) table of non-negative whole counts."""


# --- tables ---------------------------------------------------------------------------


def table_2x2(x1, n1, x2, n2) -> np.ndarray:
    """The 2 x 2 table ``[[x1, n1 - x1], [x2, n2 - x2]]`` (arm 0 = experimental).

    Examples
    --------
    >>> table_2x2(65, 151, 7, 75).tolist()
    [[65, 86], [7, 68]]
    """
    a, n_a = check_counts(x1, n1)
    c, n_c = check_counts(x2, n2)
    return np.array([[a, n_a - a], [c, n_c - c]], dtype=np.int64)


def stratified_tables(counts) -> np.ndarray:
    """A ``(K, 2, 2)`` table from rows ``(x1, n1, x2, n2)``, one per stratum.

    Examples
    --------
    >>> stratified_tables([(3, 5, 1, 4), (2, 2, 0, 3)]).shape
    (2, 2, 2)
    """
    rows = [table_2x2(*row) for row in counts]
    if not rows:
        raise TableError("no strata given")
    return np.stack(rows)


def check_table(table, *, stratified: bool = False) -> np.ndarray:
    """Validate a 2 x 2 (or, with ``stratified``, K x 2 x 2) table of counts.

    Raises
    ------
    TableError
        Wrong shape, or counts that are negative, missing or not whole numbers.

    Examples
    --------
    >>> check_table([[1, 2], [3, 4]]).dtype
    dtype('int64')
    >>> check_table([[1, -2], [3, 4]])
    Traceback (most recent call last):
    ...
    netter.stats.contingency.TableError: counts must be whole numbers >= 0
    """
    try:
        arr = np.asarray(table, dtype=float)
    except (TypeError, ValueError) as err:
        raise TableError("counts must be whole numbers >= 0") from err
    want = "K x 2 x 2" if stratified else "2 x 2"
    if (stratified and (arr.ndim != 3 or arr.shape[1:] != (2, 2) or arr.shape[0] < 1)) or (
            not stratified and arr.shape != (2, 2)):
        raise TableError(f"expected a {want} table, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)) or np.any(arr < 0) or np.any(arr != np.floor(arr)):
        raise TableError("counts must be whole numbers >= 0")
    return arr.astype(np.int64)


def _none_if_not_finite(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


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
            self._dist = hypergeom(m + n, m, k)
            self.logdc = self._dist.logpmf(self.support)
            self.dc = None
        else:
            dens = np.ones(1)
            for m, n, t in zip(col1.tolist(), col2.tolist(), row1.tolist(), strict=True):
                y, z = max(0, t - n), min(m, t)
                u = hypergeom(m + n, m, t).pmf(np.arange(y, z + 1))
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
    >>> f = fisher_exact(table_2x2(10, 10, 3, 10))
    >>> f.estimate is None, round(f.lower, 4), f.upper, round(f.p_value, 6)
    (True, 2.5755, None, 0.003096)
    >>> fisher_exact(table_2x2(0, 12, 5, 10)).estimate
    0.0
    """
    arr = check_table(table)
    return _conditional_result(arr[np.newaxis], fisher=True, conf_level=conf_level, tol=tol,
                               dropped=(), method="fisher.test")


def _informative(tables: np.ndarray) -> tuple[np.ndarray, tuple[int, ...]]:
    totals = tables.sum(axis=(1, 2))
    dropped = tuple(int(k) for k in np.flatnonzero(totals < 2))
    return tables[totals >= 2], dropped


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
    >>> e = mantel_haenszel_exact(stratified_tables([(3, 5, 1, 5), (4, 6, 2, 6), (1, 1, 0, 0)]))
    >>> round(e.estimate, 4), e.statistic, e.n_strata, e.dropped_strata
    (4.0755, 7, 2, (2,))
    """
    arr = check_table(tables, stratified=True)
    used, dropped = _informative(arr)
    level = check_conf_level(conf_level)
    method = "mantelhaen.test(exact = TRUE)"
    if used.shape[0] == 0:
        return ConditionalOddsRatio(None, None, None, 1.0, 0, level, 0, dropped, tol, method,
                                    "no stratum has 2 or more subjects")
    return _conditional_result(used, fisher=False, conf_level=level, tol=tol, dropped=dropped,
                               method=method)


# --- Mantel-Haenszel (asymptotic) -----------------------------------------------------


@dataclass(frozen=True)
class MantelHaenszel:
    """Cochran-Mantel-Haenszel chi-square test and Mantel-Haenszel common odds ratio.

    Attributes
    ----------
    statistic : float or None
        Mantel-Haenszel X-squared, 1 df (R ``$statistic``); ``None`` where R gives NaN
        (no stratum carries information).
    p_value : float or None
        ``pchisq(statistic, 1, lower.tail = FALSE)`` (R ``$p.value``).
    df : int
        1.
    correct : bool
        Continuity correction requested (R ``correct``).
    continuity_applied : bool
        Whether R applies it: only when ``|delta| >= 0.5``.
    delta : float
        Sum over strata of observed minus expected responders in arm 0.
    variance : float
        Sum of the hypergeometric variances.
    odds_ratio : float or None
        Mantel-Haenszel common odds ratio (R ``$estimate``); ``None`` when infinite
        or 0/0.
    lower, upper : float or None
        Robins-Breslow-Greenland interval (R ``$conf.int``); ``None`` where R gives
        NaN or Inf.
    conf_level : float
    n_strata : int
        Strata analysed.
    dropped_strata : tuple of int
        Indices of strata with fewer than 2 subjects, left out (R refuses them).
    not_estimable_reason : str or None
        Why the test is undefined.
    odds_ratio_reason : str or None
        Why the common odds ratio or its interval is infinite or undefined.
    """

    statistic: float | None
    p_value: float | None
    df: int
    correct: bool
    continuity_applied: bool
    delta: float
    variance: float
    odds_ratio: float | None
    lower: float | None
    upper: float | None
    conf_level: float
    n_strata: int
    dropped_strata: tuple[int, ...]
    not_estimable_reason: str | None = None
    odds_ratio_reason: str | None = None

    @property
    def ci(self) -> tuple[float | None, float | None]:
        """``(lower, upper)`` of the common odds ratio."""
        return (self.lower, self.upper)


def mantel_haenszel(tables, *, correct: bool = False, conf_level: float = 0.95
                    ) -> MantelHaenszel:
    """CMH test of a 2 x 2 x K table: R ``mantelhaen.test(x, correct = , conf.level = )``.

    R's default is ``correct = TRUE``; netter's default is no correction (the issue's
    choice), and the flag is recorded in the result.  Strata with fewer than 2
    subjects are dropped (and listed); see the module notes.

    Parameters
    ----------
    tables : array_like
        Shape ``(K, 2, 2)`` (see :func:`stratified_tables`).
    correct : bool
        Continuity correction (0.5, applied only when ``|delta| >= 0.5``, as R).
    conf_level : float
        Level of the common odds ratio's interval.

    Returns
    -------
    MantelHaenszel

    Examples
    --------
    >>> t = stratified_tables([(3, 5, 1, 5), (4, 6, 2, 6)])
    >>> m = mantel_haenszel(t)
    >>> round(m.statistic, 6), round(m.p_value, 6), round(m.odds_ratio, 6)
    (2.693878, 0.100734, 4.75)
    >>> round(mantel_haenszel(t, correct=True).statistic, 6)
    1.515306
    """
    arr = check_table(tables, stratified=True)
    level = check_conf_level(conf_level)
    used, dropped = _informative(arr)
    if used.shape[0] == 0:
        reason = "no stratum has 2 or more subjects"
        return MantelHaenszel(None, None, 1, bool(correct), False, 0.0, 0.0, None, None, None,
                              level, 0, dropped, reason, reason)
    x = used.astype(float)
    a, b, c, d = x[:, 0, 0], x[:, 0, 1], x[:, 1, 0], x[:, 1, 1]
    n = a + b + c + d
    row1, row2, col1, col2 = a + b, c + d, a + c, b + d
    delta = float(np.sum(a - row1 * col1 / n))
    yates = 0.5 if correct and abs(delta) >= 0.5 else 0.0
    variance = float(np.sum(row1 * row2 * col1 * col2 / (n * n * (n - 1.0))))
    reason = None
    if variance > 0:
        statistic = (abs(delta) - yates) ** 2 / variance
        p_value = float(chi2.sf(statistic, 1))
    else:
        statistic = p_value = None
        reason = ("no stratum has subjects in both arms and both outcomes "
                  "(zero variance): the test is undefined (R gives NaN)")
    s_diag = float(np.sum(a * d / n))
    s_offd = float(np.sum(b * c / n))
    odds_ratio = lower = upper = or_reason = None
    if s_offd > 0:
        odds_ratio = s_diag / s_offd
    if s_diag > 0 and s_offd > 0:
        var_log = (np.sum((a + d) * a * d / n ** 2) / (2 * s_diag ** 2)
                   + np.sum(((a + d) * b * c + (b + c) * a * d) / n ** 2) / (2 * s_diag * s_offd)
                   + np.sum((b + c) * b * c / n ** 2) / (2 * s_offd ** 2))
        half = float(norm.ppf((1.0 - level) / 2.0)) * math.sqrt(float(var_log))
        lower, upper = odds_ratio * math.exp(half), odds_ratio * math.exp(-half)
    elif s_offd == 0 and s_diag > 0:
        or_reason = ("Mantel-Haenszel odds ratio infinite (no stratum has both a reference-arm "
                     "responder and an experimental-arm non-responder); interval undefined "
                     "(R gives Inf and NaN)")
    elif s_diag == 0 and s_offd > 0:
        or_reason = ("Mantel-Haenszel odds ratio 0 (no stratum has both an experimental-arm "
                     "responder and a reference-arm non-responder); interval undefined "
                     "(R gives NaN)")
    else:
        or_reason = "Mantel-Haenszel odds ratio undefined: 0/0 (R gives NaN)"
    return MantelHaenszel(
        statistic=None if statistic is None else float(statistic), p_value=p_value, df=1,
        correct=bool(correct), continuity_applied=yates > 0, delta=delta, variance=variance,
        odds_ratio=odds_ratio, lower=lower, upper=upper, conf_level=level,
        n_strata=int(used.shape[0]), dropped_strata=dropped, not_estimable_reason=reason,
        odds_ratio_reason=or_reason)


# --- risk difference -------------------------------------------------------------------


@dataclass(frozen=True)
class RiskDifference:
    """Difference of two proportions ``x1/n1 - x2/n2`` and its confidence interval.

    Attributes
    ----------
    estimate, lower, upper : float or None
        ``None`` when an arm has no subjects.
    method : str
        ``"newcombe"`` or ``"miettinen-nurminen"`` (see :data:`DIFFERENCE_METHODS`).
    conf_level : float
    not_estimable_reason : str or None
    """

    estimate: float | None
    lower: float | None
    upper: float | None
    method: str
    conf_level: float
    not_estimable_reason: str | None = None

    @property
    def ci(self) -> tuple[float | None, float | None]:
        """``(lower, upper)``."""
        return (self.lower, self.upper)


def _mn_score(x1: int, n1: int, x2: int, n2: int, delta: float) -> float:
    """Miettinen-Nurminen score statistic at ``delta`` (restricted MLE in closed form)."""
    p1, p2 = x1 / n1, x2 / n2
    numerator = p1 - p2 - delta
    if numerator == 0.0:
        return 0.0
    theta = n2 / n1
    a = 1.0 + theta
    b = -(1.0 + theta + p1 + theta * p2 + delta * (theta + 2.0))
    c = delta * delta + delta * (2.0 * p1 + theta + 1.0) + p1 + theta * p2
    d = -p1 * delta * (1.0 + delta)
    v = b ** 3 / (27.0 * a ** 3) - b * c / (6.0 * a * a) + d / (2.0 * a)
    u = math.copysign(math.sqrt(max(b * b / (9.0 * a * a) - c / (3.0 * a), 0.0)), v)
    if u == 0.0:
        q1 = -b / (3.0 * a)
    else:
        w = (math.pi + math.acos(min(1.0, max(-1.0, v / u ** 3)))) / 3.0
        q1 = 2.0 * u * math.cos(w) - b / (3.0 * a)
    q1 = min(1.0, max(0.0, q1))
    q2 = min(1.0, max(0.0, q1 - delta))
    n = n1 + n2
    variance = (q1 * (1.0 - q1) / n1 + q2 * (1.0 - q2) / n2) * n / (n - 1.0)
    if variance <= 0.0:
        return math.copysign(math.inf, numerator)
    return numerator / math.sqrt(variance)


def _miettinen_nurminen(x1, n1, x2, n2, z) -> tuple[float, float]:
    est = x1 / n1 - x2 / n2
    lower = -1.0 if est <= -1.0 else zeroin(
        lambda dl: _mn_score(x1, n1, x2, n2, dl) - z, -1.0, est, tol=SCORE_TOL)
    upper = 1.0 if est >= 1.0 else zeroin(
        lambda dl: _mn_score(x1, n1, x2, n2, dl) + z, est, 1.0, tol=SCORE_TOL)
    return lower, upper


def risk_difference(table, *, conf_level: float = 0.95,
                    method: str = DEFAULT_DIFFERENCE_METHOD) -> RiskDifference:
    """Difference in response rates, arm 0 minus arm 1, with a score-type interval.

    ``"newcombe"`` (default), Newcombe (1998) method 10: with Wilson limits
    ``(l1, u1)``, ``(l2, u2)`` (R ``prop.test(x, n, conf.level, correct = FALSE)``)
    and ``d = p1 - p2``, the limits are ``d - sqrt((p1 - l1)^2 + (u2 - p2)^2)`` and
    ``d + sqrt((u1 - p1)^2 + (p2 - l2)^2)``.

    ``"miettinen-nurminen"``: the ``delta`` where the Miettinen-Nurminen score
    statistic (restricted maximum likelihood variance times ``N / (N - 1)``) equals
    ``-/+ qnorm((1 + conf_level) / 2)``, found to 1e-14; the limits are -1 or 1 when
    the estimate is.

    Parameters
    ----------
    table : array_like
        ``[[x1, n1 - x1], [x2, n2 - x2]]``.
    conf_level : float
    method : str

    Returns
    -------
    RiskDifference
        All ``None`` (with a reason) when an arm has no subjects.

    Examples
    --------
    >>> t = table_2x2(56, 70, 48, 80)
    >>> d = risk_difference(t)
    >>> round(d.lower, 4), round(d.upper, 4)
    (0.0524, 0.3339)
    >>> m = risk_difference(t, method="miettinen-nurminen")
    >>> round(m.lower, 4), round(m.upper, 4)
    (0.0528, 0.3382)
    """
    arr = check_table(table)
    level = check_conf_level(conf_level)
    if method not in DIFFERENCE_METHODS:
        raise NetterError(f"unknown difference method {method!r}; choose one of "
                          f"{', '.join(DIFFERENCE_METHODS)}")
    x1, n1 = int(arr[0, 0]), int(arr[0].sum())
    x2, n2 = int(arr[1, 0]), int(arr[1].sum())
    if n1 == 0 or n2 == 0:
        return RiskDifference(None, None, None, method, level, "an arm has no subjects")
    est = x1 / n1 - x2 / n2
    if method == "newcombe":
        w1, w2 = wilson(x1, n1, level), wilson(x2, n2, level)
        p1, p2 = x1 / n1, x2 / n2
        lower = est - math.sqrt((p1 - w1.lower) ** 2 + (w2.upper - p2) ** 2)
        upper = est + math.sqrt((w1.upper - p1) ** 2 + (p2 - w2.lower) ** 2)
    else:
        z = float(norm.ppf((1.0 + level) / 2.0))
        lower, upper = _miettinen_nurminen(x1, n1, x2, n2, z)
    return RiskDifference(est, lower, upper, method, level)
