"""Validated two- or k-arm survival data and the stratified k-sample log-rank test.

:func:`comparison_data` is the single entry point that checks and encodes
``(time, event, group, strata)`` for every between-arm comparison in netter
(:func:`logrank_test`, :func:`netter.stats.cox.cox_hazard_ratio`,
:func:`netter.stats.ph.cox_zph`).  Like R's ``timefix = TRUE``, times closer than
``sqrt(machine epsilon)`` (absolutely, or relative to the mean absolute time) are
merged into one tied time, so that e.g. months computed from days in two ways tie.

Examples
--------
>>> res = logrank_test([1, 2, 3, 3, 4, 5, 6, 7], [1, 1, 1, 1, 0, 1, 1, 0],
...                    ["A", "B", "A", "B", "A", "B", "A", "B"])
>>> round(res.chisq, 6), res.df
(0.041466, 1)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from netter.errors import SurvivalDataError
from netter.stats.distributions import chi2_sf
from netter.stats.km import check_survival_data

#: R ``aeqSurv`` tolerance: ``sqrt(.Machine$double.eps)``.
TIMEFIX_TOLERANCE = float(np.sqrt(np.finfo(float).eps))


@dataclass(frozen=True, eq=False)
class ComparisonData:
    """Validated, encoded input of a between-arm comparison (arrays are read-only).

    Attributes
    ----------
    time : numpy.ndarray
        Follow-up times (float, >= 0) after merging near-equal times as R does.
    event : numpy.ndarray
        ``True`` for an event, ``False`` for censoring.
    group : numpy.ndarray
        Integer arm code per subject, indexing ``groups``.
    groups : tuple of str
        Arm labels in sorted order of the original values.
    stratum : numpy.ndarray
        Integer stratum code per subject (all 0 when unstratified).
    strata : tuple of str or None
        Stratum labels (several variables joined by ``", "``), ``None`` if unstratified.
    """

    time: np.ndarray
    event: np.ndarray
    group: np.ndarray
    groups: tuple[str, ...]
    stratum: np.ndarray
    strata: tuple[str, ...] | None

    @property
    def n(self) -> int:
        """Number of subjects."""
        return int(self.time.size)


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.array(a)
    a.flags.writeable = False
    return a


def _is_missing(values: np.ndarray) -> bool:
    if values.dtype.kind == "f":
        return bool(np.isnan(values).any())
    if values.dtype.kind == "O":
        return any(v is None or v != v for v in values)
    return False


def _factor(values, n: int, what: str) -> tuple[np.ndarray, tuple[str, ...]]:
    """Encode labels as codes into their sorted unique values."""
    arr = np.asarray(values)
    if arr.ndim != 1 or arr.size != n:
        raise SurvivalDataError(
            f"{what} must be one-dimensional with {n} values (one per subject), "
            f"got shape {arr.shape}")
    if _is_missing(arr):
        raise SurvivalDataError(f"{what} has missing values")
    try:
        levels, codes = np.unique(arr, return_inverse=True)
    except TypeError:  # mixed types: compare as strings
        levels, codes = np.unique(arr.astype(str), return_inverse=True)
    return codes.astype(np.intp), tuple(str(v) for v in levels)


def _strata_columns(strata) -> list:
    """Split ``strata`` into one array per stratification variable."""
    if hasattr(strata, "columns"):  # pandas DataFrame
        return [strata[c].to_numpy() for c in strata.columns]
    if isinstance(strata, np.ndarray):
        return [strata] if strata.ndim == 1 else list(strata.T)
    if isinstance(strata, Sequence) and len(strata) > 0 and np.ndim(strata[0]) >= 1:
        return list(strata)
    return [strata]


def _encode_strata(strata, n: int) -> tuple[np.ndarray, tuple[str, ...] | None]:
    if strata is None:
        return np.zeros(n, dtype=np.intp), None
    encoded = [_factor(col, n, "strata") for col in _strata_columns(strata)]
    codes = np.column_stack([c for c, _ in encoded])
    combos, stratum = np.unique(codes, axis=0, return_inverse=True)
    labels = tuple(", ".join(encoded[j][1][k] for j, k in enumerate(row)) for row in combos)
    return stratum.reshape(-1).astype(np.intp), labels


def merge_near_ties(time: np.ndarray, tolerance: float = TIMEFIX_TOLERANCE) -> np.ndarray:
    """Merge times that differ by no more than ``tolerance``, as R ``aeqSurv``.

    Parameters
    ----------
    time : numpy.ndarray
        Finite follow-up times.
    tolerance : float
        Absolute tolerance, and tolerance relative to the mean absolute time.

    Returns
    -------
    numpy.ndarray
        Times with each run of near-equal values replaced by its smallest value.

    Examples
    --------
    >>> merge_near_ties(np.array([1.0, 1.0 + 1e-12, 2.0])).tolist()
    [1.0, 1.0, 2.0]
    """
    y = np.unique(time)
    if y.size < 2:
        return np.asarray(time, dtype=float)
    dy = np.diff(y)
    scale = float(np.sum(np.abs(y) / y.size))  # the mean, without overflow near 1e308
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        relative = dy / scale if scale > 0 else np.full(dy.shape, np.inf)
    tied = (dy <= tolerance) | (relative <= tolerance)
    if not tied.any():
        return np.asarray(time, dtype=float)
    cuts = y[np.concatenate(([True], ~tied))]
    return cuts[np.searchsorted(cuts, time, side="right") - 1]


def comparison_data(time, event, group, *, strata=None) -> ComparisonData:
    """Validate and encode right-censored data for a between-arm comparison.

    Parameters
    ----------
    time : array_like
        Follow-up times; finite and >= 0.
    event : array_like
        1/``True`` = event, 0/``False`` = censored.
    group : array_like
        Arm label per subject; arms are ordered by their sorted original values.
    strata : array_like, sequence of array_like, pandas.DataFrame, optional
        One stratum label per subject, or several variables (a list of arrays, a
        2-D array with one column per variable, or a DataFrame) combined into
        one stratum per distinct combination, as R ``strata(s1, s2)``.

    Returns
    -------
    ComparisonData

    Raises
    ------
    netter.errors.SurvivalDataError
        A ``ValueError``: empty input, mismatched lengths, negative or non-finite
        times, events other than 0/1, or missing group/stratum labels.

    Examples
    --------
    >>> d = comparison_data([3, 1, 2], [1, 0, 1], ["b", "a", "b"], strata=["x", "y", "x"])
    >>> d.groups, d.group.tolist(), d.strata
    (('a', 'b'), [1, 0, 1], ('x', 'y'))
    """
    t, e = check_survival_data(time, event)
    n = t.size
    if n == 0:
        raise SurvivalDataError("no subjects: time is empty")
    codes, labels = _factor(group, n, "group")
    stratum, strata_labels = _encode_strata(strata, n)
    return ComparisonData(
        time=_readonly(merge_near_ties(t)),
        event=_readonly(e.astype(bool)),
        group=_readonly(codes),
        groups=labels,
        stratum=_readonly(stratum),
        strata=strata_labels,
    )


def arm_reach(data: ComparisonData) -> np.ndarray:
    """Which arms are linked by events while the other arm is at risk.

    Arm ``a`` links to arm ``b`` when a subject of ``a`` has an event while a
    subject of ``b`` is at risk in the same stratum; along such a link the Cox
    likelihood can only keep growing if ``log HR(a) >= log HR(b)``.  ``reach[a, b]``
    is ``True`` when a chain of links leads from ``a`` to ``b``.  An arm's hazard
    ratio against a reference is finite exactly when each reaches the other;
    otherwise the likelihood is monotone (e.g. one arm without events).

    Parameters
    ----------
    data : ComparisonData

    Returns
    -------
    numpy.ndarray
        k x k boolean matrix (``True`` on the diagonal).

    Examples
    --------
    >>> arm_reach(comparison_data([1, 2, 3, 4], [1, 1, 0, 0], ["c", "c", "t", "t"])).tolist()
    [[True, True], [False, True]]
    """
    k = len(data.groups)
    edge = np.eye(k, dtype=bool)
    for s in np.unique(data.stratum):
        m = data.stratum == s
        t, ev, g = data.time[m], data.event[m], data.group[m]
        last_at_risk = np.full(k, -np.inf)
        np.maximum.at(last_at_risk, g, t)
        first_event = np.full(k, np.inf)
        np.minimum.at(first_event, g[ev], t[ev])
        edge |= last_at_risk[None, :] >= first_event[:, None]
    reach = edge
    for _ in range(k):
        reach = reach | ((reach.astype(int) @ reach.astype(int)) > 0)
    return reach


@dataclass(frozen=True)
class LogRankTest:
    """Result of the (stratified) k-sample log-rank test, as R ``survdiff``.

    Attributes
    ----------
    groups : tuple of str
        Arm labels (sorted); the per-arm tuples below follow this order.
    n : tuple of int
        Subjects per arm.
    observed : tuple of int
        Events per arm (summed over strata).
    expected : tuple of float
        Expected events per arm under equal hazards (summed over strata).
    variance : tuple of tuple of float
        k x k variance matrix of ``observed - expected`` (R ``survdiff()$var``).
    chisq : float or None
        Test statistic; ``None`` when not estimable (fewer than two arms with
        expected events, or a singular variance).
    df : int
        Degrees of freedom: arms with expected events > 0, minus one (R's rule),
        floored at 0.
    p_value : float or None
        Upper tail of the chi-square distribution, or ``None`` with ``chisq``.
    strata : tuple of str or None
        Stratum labels, ``None`` for the unstratified test.
    strata_n : tuple of int or None
        Subjects per stratum.
    """

    groups: tuple[str, ...]
    n: tuple[int, ...]
    observed: tuple[int, ...]
    expected: tuple[float, ...]
    variance: tuple[tuple[float, ...], ...]
    chisq: float | None
    df: int
    p_value: float | None
    strata: tuple[str, ...] | None
    strata_n: tuple[int, ...] | None


def stratum_terms(time, event, group, k, *, gehan: bool = False
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Observed, expected and variance contributions of one stratum.

    Each event time is weighted by 1 (log-rank) or, with ``gehan``, by the number at
    risk ``n_t`` (the Gehan-Breslow generalised Wilcoxon of SAS LIFETEST): observed
    ``sum w d_gt``, expected ``sum w d_t n_gt / n_t`` and the hypergeometric variance
    times ``w^2``.

    Examples
    --------
    >>> o, e, v = stratum_terms(np.array([1., 2, 3, 4]), np.array([True] * 4),
    ...                         np.array([0, 1, 0, 1]), 2, gehan=True)
    >>> (o - e).tolist(), float(v[0, 0])
    ([2.0, -2.0], 7.0)
    """
    death_times = np.unique(time[event])
    at_risk = np.empty((death_times.size, k))
    deaths = np.empty((death_times.size, k))
    for g in range(k):
        t_g = np.sort(time[group == g])
        at_risk[:, g] = t_g.size - np.searchsorted(t_g, death_times, side="left")
        dt_g = np.sort(time[(group == g) & event])
        deaths[:, g] = np.searchsorted(dt_g, death_times, "right") - np.searchsorted(
            dt_g, death_times, "left"
        )
    n_t = at_risk.sum(axis=1)
    d_t = deaths.sum(axis=1)
    share = at_risk / n_t[:, None]
    weight = n_t if gehan else np.ones_like(n_t)
    expected = (weight[:, None] * d_t[:, None] * share).sum(axis=0)
    has_var = n_t > 1
    w = np.zeros_like(n_t)
    w[has_var] = (weight[has_var] ** 2 * d_t[has_var] * (n_t[has_var] - d_t[has_var])
                  / (n_t[has_var] - 1))
    var = np.einsum("t,tg->g", w, share)
    var = np.diag(var) - np.einsum("t,tg,th->gh", w, share, share)
    return (weight[:, None] * deaths).sum(axis=0), expected, var


def _chisq(diff: np.ndarray, var: np.ndarray, expected: np.ndarray) -> tuple[float | None, int]:
    """R ``survdiff``: drop arms with no expected events, then the first arm."""
    keep = np.flatnonzero(expected > 0)
    df = max(keep.size - 1, 0)
    if df == 0:
        return None, df
    idx = keep[1:]
    v = var[np.ix_(idx, idx)]
    eig = np.linalg.eigvalsh(v)
    if eig.max() <= 0 or eig.min() <= 1e-12 * eig.max():
        return None, df
    d = diff[idx]
    return float(d @ np.linalg.solve(v, d)), df


def logrank_test(time, event, group, *, strata=None) -> LogRankTest:
    """k-sample log-rank test, stratified if ``strata`` is given.

    Equals R ``survdiff(Surv(time, event) ~ group)`` and, with strata,
    ``survdiff(Surv(time, event) ~ group + strata(s1, s2, ...))``.

    Parameters
    ----------
    time, event, group, strata
        See :func:`comparison_data`.

    Returns
    -------
    LogRankTest
        ``chisq``/``p_value`` are ``None`` (never NaN) when the test is not
        defined: no events, a single arm, or no arm contrast with variance.

    Examples
    --------
    >>> r = logrank_test([1, 2, 3, 4], [1, 1, 0, 1], [0, 1, 0, 1])
    >>> r.groups, r.observed, [round(e, 4) for e in r.expected]
    (('0', '1'), (1, 2), [0.8333, 2.1667])
    >>> logrank_test([1, 2], [0, 0], ["a", "b"]).chisq is None
    True
    """
    data = comparison_data(time, event, group, strata=strata)
    k = len(data.groups)
    n_strata = 1 if data.strata is None else len(data.strata)
    obs, exp, var = np.zeros(k), np.zeros(k), np.zeros((k, k))
    for s in range(n_strata):
        m = data.stratum == s
        o_s, e_s, v_s = stratum_terms(data.time[m], data.event[m], data.group[m], k)
        obs, exp, var = obs + o_s, exp + e_s, var + v_s
    chisq, df = _chisq(obs - exp, var, exp)
    return LogRankTest(
        groups=data.groups,
        n=tuple(int(c) for c in np.bincount(data.group, minlength=k)),
        observed=tuple(int(round(o)) for o in obs),
        expected=tuple(float(e) for e in exp),
        variance=tuple(tuple(float(v) for v in row) for row in var),
        chisq=chisq,
        df=df,
        p_value=None if chisq is None else float(chi2_sf(chisq, df)),
        strata=data.strata,
        strata_n=None
        if data.strata is None
        else tuple(int(c) for c in np.bincount(data.stratum, minlength=n_strata)),
    )
