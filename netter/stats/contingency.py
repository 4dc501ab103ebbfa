"""2 x 2 and stratified 2 x 2 x K tables of response by arm, equal to R's tests.

Layout: see :mod:`netter.stats.tables` (row 0 the experimental arm, column 0 the
responders; :func:`table_2x2` and :func:`stratified_tables` build tables from counts).

Statistics and the R call each one equals (``tests/reference/response.R``)
--------------------------------------------------------------------------
* :func:`risk_difference` ``"newcombe"``: Newcombe (1998) method 10, the hybrid score
  interval built from the two Wilson limits of R ``prop.test(x, n, correct = FALSE)``
  (R has no function for it; the reference combines those limits in base R);
  ``"miettinen-nurminen"``: the Miettinen-Nurminen (1985) score interval with the
  ``N / (N - 1)`` variance factor, solved to 1e-14 (reference: a base-R implementation
  of the same score statistic solved with ``uniroot(tol = 1e-14)``).
* :func:`~netter.stats.conditional.fisher_exact` (re-exported here): R
  ``fisher.test(x, conf.level = )``, exact conditional odds ratio, interval and p.
* :func:`mantel_haenszel`: R ``mantelhaen.test(x, correct = , conf.level = )`` for a
  2 x 2 x K table: the Mantel-Haenszel chi-square (1 df) with or without continuity
  correction, its p-value, the Mantel-Haenszel common odds ratio and its
  Robins-Breslow-Greenland interval.
* :func:`~netter.stats.conditional.mantel_haenszel_exact` (re-exported here): R
  ``mantelhaen.test(x, exact = TRUE, conf.level = )``.

Root finding as R: see :mod:`netter.stats.conditional`.

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
from dataclasses import dataclass

import numpy as np

from netter.errors import NetterError
from netter.stats.binomial import check_conf_level, wilson
from netter.stats.conditional import (  # noqa: F401  (re-exported)
    R_UNIROOT_MAXITER,
    R_UNIROOT_TOL,
    ConditionalOddsRatio,
    fisher_exact,
    mantel_haenszel_exact,
    zeroin,
)
from netter.stats.distributions import chi2_sf, normal_quantile
from netter.stats.tables import (  # noqa: F401  (re-exported)
    TableError,
    check_table,
    informative_strata,
    stratified_tables,
    table_2x2,
)

#: Tolerance of the Miettinen-Nurminen score-interval roots.
SCORE_TOL = 1e-14

#: Risk-difference interval methods and what each one is.
DIFFERENCE_METHODS: dict[str, str] = {
    "newcombe": "Newcombe (1998) hybrid score interval (method 10) from Wilson limits",
    "miettinen-nurminen": "Miettinen-Nurminen (1985) score interval, variance x N/(N-1)",
}
DEFAULT_DIFFERENCE_METHOD = "newcombe"


# --- Sample odds ratio (SAS PROC FREQ) ------------------------------------------------


@dataclass(frozen=True)
class SampleOddsRatio:
    """The sample odds ratio ad / bc with its Woolf (logit) interval.

    Attributes
    ----------
    estimate, lower, upper : float or None
        ``None`` when a cell is 0 (SAS PROC FREQ prints no odds ratio then; the
        estimate is 0 or infinite and the logit variance infinite).
    conf_level : float
    not_estimable_reason : str or None
    """

    estimate: float | None
    lower: float | None
    upper: float | None
    conf_level: float
    not_estimable_reason: str | None = None

    @property
    def ci(self) -> tuple[float | None, float | None]:
        """``(lower, upper)``."""
        return self.lower, self.upper


def sample_odds_ratio(table, *, conf_level: float = 0.95) -> SampleOddsRatio:
    """Sample odds ratio of a 2 x 2 table with the Woolf CI, as SAS PROC FREQ ``RELRISK``.

    ``OR = (a d) / (b c)``; CI ``exp(log OR -/+ z sqrt(1/a + 1/b + 1/c + 1/d))``
    (SAS "Odds Ratio ... Wald Confidence Limits", the logit interval of Woolf 1955).
    Layout as :func:`table_2x2` (row 0 the experimental arm, column 0 responders).

    Examples
    --------
    >>> s = sample_odds_ratio(table_2x2(18, 116, 3, 113))
    >>> round(s.estimate, 4), round(s.lower, 4), round(s.upper, 4)
    (6.7347, 1.9253, 23.5583)
    >>> sample_odds_ratio(table_2x2(0, 10, 3, 10)).not_estimable_reason
    'a cell of the 2 x 2 table is 0: the sample odds ratio is 0 or infinite'
    """
    level = check_conf_level(conf_level)
    t = check_table(table)
    a, b, c, d = (float(v) for v in t.ravel())
    if min(a, b, c, d) == 0:
        return SampleOddsRatio(None, None, None, level,
                               "a cell of the 2 x 2 table is 0: the sample odds ratio is 0 "
                               "or infinite")
    estimate = a * d / (b * c)
    half = float(normal_quantile(0.5 + level / 2.0)) * math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    return SampleOddsRatio(estimate, estimate * math.exp(-half), estimate * math.exp(half),
                           level)


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
    used, dropped = informative_strata(arr)
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
        p_value = float(chi2_sf(statistic, 1))
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
        half = float(normal_quantile((1.0 - level) / 2.0)) * math.sqrt(float(var_log))
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
        z = float(normal_quantile((1.0 + level) / 2.0))
        lower, upper = _miettinen_nurminen(x1, n1, x2, n2, z)
    return RiskDifference(est, lower, upper, method, level)
