"""The tests SAS PROC LIFETEST prints besides the log-rank: Wilcoxon and -2Log(LR).

``PROC LIFETEST ...; STRATA arm;`` prints a "Test of Equality over Strata" table
with three rows; netter's :func:`~netter.stats.logrank.logrank_test` gives the first
(R ``survdiff``), this module the other two:

* :func:`wilcoxon_test` - the Gehan-Breslow generalised Wilcoxon test: the log-rank
  score with weight ``w_j = n_j`` (the number at risk, pooled over the arms, at
  each distinct event time ``t_j``)::

      U_k = sum_j n_j (d_kj - n_kj d_j / n_j)
      V_kl = sum_j n_j^2 d_j (n_j - d_j) / (n_j - 1) (n_kj / n_j) (delta_kl - n_lj / n_j)

  chi-square ``U' V^- U`` on the arms with weighted expected events > 0, minus one
  (R's ``survdiff`` rule for the log-rank, :func:`~netter.stats.logrank.logrank_test`).
  With strata (SAS ``STRATA S / GROUP=arm``) ``U`` and ``V`` are summed over the
  strata, the weight being the stratum's number at risk.  R has no function for it
  (``survdiff(rho = 1)`` is the Peto-Peto test, weight S(t-)); the reference
  (``tests/reference/conventions.R``) computes the sums above in base R.
* :func:`exponential_lr_test` - LIFETEST's likelihood-ratio test that the arms share
  one exponential distribution: with ``D_k`` events and total time ``T_k`` in arm
  ``k`` (``D``, ``T`` pooled)::

      -2 log(LR) = 2 (sum_k D_k log(D_k / T_k) - D log(D / T))

  (``0 log 0 = 0``), k - 1 df.  Equal to ``2 * diff(survreg(Surv(time, event) ~ arm,
  dist = "exponential")$loglik)`` in R.  LIFETEST gives it without strata only.

Examples
--------
>>> w = wilcoxon_test([1, 2, 3, 4, 5, 6], [1, 1, 1, 1, 0, 1], list("ababab"))
>>> round(w.chisq, 6), w.df
(0.190476, 1)
>>> lr = exponential_lr_test([1, 2, 3, 4, 5, 6], [1, 1, 1, 1, 0, 1], list("ababab"))
>>> round(lr.chisq, 6), lr.df
(0.016769, 1)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from netter.stats.distributions import chi2_sf
from netter.stats.logrank import _chisq, comparison_data, stratum_terms


@dataclass(frozen=True)
class WilcoxonTest:
    """Gehan-Breslow (SAS LIFETEST ``Wilcoxon``) k-sample test.

    Attributes
    ----------
    groups : tuple of str
        Arm labels (sorted); the per-arm tuples follow this order.
    n : tuple of int
        Subjects per arm.
    score : tuple of float
        ``U_k``, the weighted observed minus expected events of each arm (SAS's
        "Rank Statistics" for the Wilcoxon test).
    variance : tuple of tuple of float
        ``V``, the k x k covariance of the scores.
    chisq : float or None
        ``U' V^- U``; ``None`` when not estimable (no events, one arm, singular).
    df : int
        Arms with weighted expected events > 0, minus one.
    p_value : float or None
        Upper chi-square tail.
    strata : tuple of str or None
        Stratum labels of a stratified test.
    """

    groups: tuple[str, ...]
    n: tuple[int, ...]
    score: tuple[float, ...]
    variance: tuple[tuple[float, ...], ...]
    chisq: float | None
    df: int
    p_value: float | None
    strata: tuple[str, ...] | None


@dataclass(frozen=True)
class ExponentialLRTest:
    """SAS LIFETEST ``-2Log(LR)``: equal exponential distributions across the arms.

    Attributes
    ----------
    groups : tuple of str
        Arm labels (sorted).
    events : tuple of int
        Events per arm.
    exposure : tuple of float
        Total follow-up time per arm.
    chisq : float or None
        ``-2 log(LR)``; ``None`` with no events or fewer than two arms.
    df : int
        Arms minus one.
    p_value : float or None
        Upper chi-square tail.
    """

    groups: tuple[str, ...]
    events: tuple[int, ...]
    exposure: tuple[float, ...]
    chisq: float | None
    df: int
    p_value: float | None


def wilcoxon_test(time, event, group, *, strata=None) -> WilcoxonTest:
    """Gehan-Breslow generalised Wilcoxon test, as SAS PROC LIFETEST prints it.

    ``PROC LIFETEST; TIME t*c(0); STRATA arm;`` row ``Wilcoxon`` (with ``strata``:
    ``STRATA s1 s2 / GROUP=arm``).  See the module notes for the formula.

    Parameters
    ----------
    time, event, group, strata
        See :func:`netter.stats.logrank.comparison_data`.

    Returns
    -------
    WilcoxonTest

    Examples
    --------
    >>> w = wilcoxon_test([1, 2, 3, 4], [1, 1, 1, 1], ["a", "b", "a", "b"])
    >>> w.score, round(w.chisq, 6)  # U_a = 4 (1 - 2/4) + 3 (0 - 1/3) + 2 (1 - 1/2); V = 7
    ((2.0, -2.0), 0.571429)
    """
    data = comparison_data(time, event, group, strata=strata)
    k = len(data.groups)
    n_strata = 1 if data.strata is None else len(data.strata)
    score, expected, var = np.zeros(k), np.zeros(k), np.zeros((k, k))
    for s in range(n_strata):
        m = data.stratum == s
        o_s, e_s, v_s = stratum_terms(data.time[m], data.event[m], data.group[m], k,
                                      gehan=True)
        score, expected, var = score + (o_s - e_s), expected + e_s, var + v_s
    chisq, df = _chisq(score, var, expected)
    return WilcoxonTest(
        groups=data.groups,
        n=tuple(int(c) for c in np.bincount(data.group, minlength=k)),
        score=tuple(float(u) for u in score),
        variance=tuple(tuple(float(v) for v in row) for row in var),
        chisq=chisq, df=df,
        p_value=None if chisq is None else float(chi2_sf(chisq, df)),
        strata=data.strata)


def exponential_lr_test(time, event, group) -> ExponentialLRTest:
    """SAS PROC LIFETEST ``-2Log(LR)``: likelihood-ratio test of one exponential model.

    Parameters
    ----------
    time, event, group
        See :func:`netter.stats.logrank.comparison_data` (no strata: LIFETEST gives
        this test for the unstratified comparison only).

    Returns
    -------
    ExponentialLRTest

    Examples
    --------
    >>> lr = exponential_lr_test([1, 2, 3, 4], [1, 1, 1, 1], ["a", "b", "a", "b"])
    >>> lr.events, lr.exposure, round(lr.chisq, 6)  # 2 (2 log(2/4) + 2 log(2/6) - 4 log(4/10))
    ((2, 2), (4.0, 6.0), 0.163288)
    """
    data = comparison_data(time, event, group)
    k = len(data.groups)
    events = np.bincount(data.group, weights=data.event, minlength=k)
    exposure = np.bincount(data.group, weights=data.time, minlength=k)
    d_all, t_all = float(events.sum()), float(exposure.sum())
    df = max(k - 1, 0)
    chisq = None
    if df > 0 and d_all > 0 and t_all > 0 and np.all(exposure[events > 0] > 0):
        full = sum(float(d) * math.log(float(d) / float(t))
                   for d, t in zip(events, exposure, strict=True) if d > 0)
        chisq = max(2.0 * (full - d_all * math.log(d_all / t_all)), 0.0)
    return ExponentialLRTest(
        groups=data.groups,
        events=tuple(int(round(d)) for d in events),
        exposure=tuple(float(t) for t in exposure),
        chisq=chisq, df=df,
        p_value=None if chisq is None else float(chi2_sf(chisq, df)))
