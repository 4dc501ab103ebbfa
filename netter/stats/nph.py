"""Comparisons for non-proportional hazards: weighted log-rank, MaxCombo, piecewise Cox.

**Fleming-Harrington FH(rho, gamma).**  At each distinct event time ``t`` of a stratum,
with ``n`` at risk, ``d`` events, ``n1``/``d1`` of them in the arm, the weight is
``w(t) = S(t-)^rho (1 - S(t-))^gamma``, ``S`` the Kaplan-Meier curve of the stratum's
subjects pooled over both arms, left-continuous (as R ``survdiff(rho = )``, which
computes it per stratum).  The statistic is

    U = sum w (d1 - d n1 / n),   V = sum w^2 d (n - d) / (n - 1) (n1 / n) (1 - n1 / n)

summed over strata, and ``Z = U / sqrt(V)`` (negative: fewer events in the arm than
expected, i.e. the arm does better); the two-sided p-value is that of ``Z^2`` on 1 df.
FH(0, 0) is the log-rank test and FH(rho, 0) is R ``survdiff(rho = rho)``.  ``0^0 = 1``.

**MaxCombo.**  The largest ``|Z|`` of several FH tests (default FH(0,0), FH(0,1),
FH(1,0), FH(1,1)); under the null the ``Z`` are jointly normal with covariances
``sum w_a w_b d (n - d) / (n - 1) (n1 / n) (1 - n1 / n)``, and the p-value is
``1 - P(|Z_k| < m for all k)`` by scipy's multivariate normal CDF (Genz's
quasi-Monte Carlo integration with a fixed seed, so the same data always give the
same p-value; its absolute error is at most :data:`MVN_ABSEPS`).  The correlation may
be singular, and is for the default set: the weights satisfy
``(1 - S) = 1 - S``, so ``u(0,1) = u(0,0) - u(1,0)``; the integration allows it (as R
``mvtnorm::pmvnorm`` with ``GenzBretz``).

**Piecewise hazard ratios.**  Cox's partial likelihood with arm-by-interval effects
(R ``coxph(Surv(tstart, time, event) ~ arm:strata(tgroup))`` on ``survSplit`` data at
the cut points) factorises over the intervals: the events of interval ``(a, b]`` enter
only their own factor, whose risk sets are everyone still at risk.  So each interval's
hazard ratio is the ordinary Cox model with the events outside ``(a, b]`` counted as
censored, which is how it is computed here (same ties, strata and Wald CI as
:func:`netter.stats.cox.cox_hazard_ratio`).  An event exactly at a cut point belongs
to the interval ending there, as in ``survSplit``.

Examples
--------
>>> t = [1, 2, 3, 3, 4, 5, 6, 7]
>>> e = [1, 1, 1, 1, 0, 1, 1, 0]
>>> g = ["A", "B", "A", "B", "A", "B", "A", "B"]
>>> round(weighted_logrank(t, e, g, reference="A", rho=0, gamma=0).z ** 2, 6)
0.041466
>>> r = weighted_logrank(t, e, g, reference="A", rho=0, gamma=1)
>>> round(r.z, 6), round(r.p_value, 6)
(-0.255787, 0.798115)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from netter.errors import SurvivalDataError
from netter.profiles import Profile
from netter.stats.cox import CoxModel, cox_hazard_ratio
from netter.stats.distributions import normal_sf
from netter.stats.logrank import comparison_data

#: MaxCombo's default tests: FH(0,0), FH(0,1), FH(1,0), FH(1,1).
MAXCOMBO_WEIGHTS = ((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0))
#: Seed of the quasi-Monte Carlo integration of the MaxCombo p-value (fixed: deterministic).
MVN_SEED = 20240612
#: Absolute error tolerance of the multivariate normal integration.
MVN_ABSEPS = 1e-6
#: Most integrand evaluations of the multivariate normal integration, per dimension.
MVN_MAXPTS_PER_DIM = 1_000_000


@dataclass(frozen=True)
class WeightedLogRank:
    """A Fleming-Harrington FH(rho, gamma) test of ``arm`` against ``reference``.

    Attributes
    ----------
    rho, gamma : float
        The weight ``S(t-)^rho (1 - S(t-))^gamma``.
    arm, reference : str
    observed : int
        Events in ``arm``.
    expected : float
        Weighted expected events of ``arm``: ``sum w d n1 / n``.
    u : float
        Weighted observed minus expected of ``arm``: ``sum w (d1 - d n1 / n)``.
    variance : float
        Variance of ``u`` under the null.
    z, p_value : float or None
        ``u / sqrt(variance)`` and its two-sided p-value; ``None`` when the variance is 0.
    strata : tuple of str or None
        Stratum labels of a stratified test.
    not_estimable_reason : str or None
    """

    rho: float
    gamma: float
    arm: str
    reference: str
    observed: int
    expected: float
    u: float
    variance: float
    z: float | None
    p_value: float | None
    strata: tuple[str, ...] | None
    not_estimable_reason: str | None


@dataclass(frozen=True)
class MaxCombo:
    """The MaxCombo test: the largest ``|Z|`` of several FH tests and its joint p-value.

    Attributes
    ----------
    tests : tuple of WeightedLogRank
        The component tests, in the order of their weights.
    correlation : tuple of tuple of float, or None
        Null correlation of their ``Z``.
    max_abs_z : float or None
        The statistic ``max |Z|``.
    p_value : float or None
        ``1 - P(|Z_k| < max_abs_z for all k)`` under the null.
    algorithm : str
        How the multivariate normal probability was integrated.
    not_estimable_reason : str or None
    """

    tests: tuple[WeightedLogRank, ...]
    correlation: tuple[tuple[float, ...], ...] | None
    max_abs_z: float | None
    p_value: float | None
    algorithm: str
    not_estimable_reason: str | None


@dataclass(frozen=True)
class PiecewiseInterval:
    """The arm's hazard ratio over one interval ``(start, end]`` (``end`` None: no end)."""

    start: float
    end: float | None
    events: int
    model: CoxModel


def check_weights(weights) -> tuple[tuple[float, float], ...]:
    """FH weights as ``(rho, gamma)`` pairs of finite numbers >= 0 (order kept, repeats dropped).

    Examples
    --------
    >>> check_weights([[0, 1], (1, 0), (0, 1)])
    ((0.0, 1.0), (1.0, 0.0))
    >>> check_weights([(1, -1)])
    Traceback (most recent call last):
    ...
    netter.errors.SurvivalDataError: FH weights need rho >= 0 and gamma >= 0, got (1.0, -1.0)
    """
    out = []
    for pair in weights:
        try:
            rho, gamma = (float(v) for v in pair)
        except (TypeError, ValueError):
            raise SurvivalDataError(f"an FH weight is a pair (rho, gamma), got {pair!r}") from None
        if not (math.isfinite(rho) and math.isfinite(gamma) and rho >= 0 and gamma >= 0):
            raise SurvivalDataError(f"FH weights need rho >= 0 and gamma >= 0, got {(rho, gamma)}")
        if (rho, gamma) not in out:
            out.append((rho, gamma))
    if not out:
        raise SurvivalDataError("no FH weights given")
    return tuple(out)


def _two_arm(time, event, group, reference, strata):
    data = comparison_data(time, event, group, strata=strata)
    reference = str(reference)
    if reference not in data.groups:
        raise SurvivalDataError(f"reference arm {reference!r} has no subjects")
    if len(data.groups) != 2:
        raise SurvivalDataError(
            f"a weighted log-rank test compares two arms, got {len(data.groups)}: "
            f"{', '.join(data.groups)}")
    arm = next(g for g in data.groups if g != reference)
    return data, arm, data.groups.index(arm)


def _stratum_table(time, event, in_arm):
    """Per distinct event time: at risk, events, arm at risk, arm events, pooled S(t-)."""
    order = np.sort(time)
    death_times, d = np.unique(time[event], return_counts=True)
    n = order.size - np.searchsorted(order, death_times, side="left")
    arm_t = np.sort(time[in_arm])
    n1 = arm_t.size - np.searchsorted(arm_t, death_times, side="left")
    d1 = np.zeros(death_times.size)
    np.add.at(d1, np.searchsorted(death_times, time[event & in_arm]), 1.0)
    surv_left = np.concatenate(([1.0], np.cumprod(1.0 - d / n)))[:-1]
    return n.astype(float), d.astype(float), n1.astype(float), d1, surv_left


def _scores(data, arm_code, weights):
    """``u`` (per weight), their null covariance matrix, and the arm's observed/expected."""
    k = len(weights)
    u, cov, expected = np.zeros(k), np.zeros((k, k)), np.zeros(k)
    for s in np.unique(data.stratum):
        m = data.stratum == s
        n, d, n1, d1, surv = _stratum_table(data.time[m], data.event[m],
                                            data.group[m] == arm_code)
        w = np.array([surv ** rho * (1.0 - surv) ** gamma for rho, gamma in weights])
        share = n1 / n
        several = n > 1
        v = np.where(several, d * (n - d) / np.where(several, n - 1, 1.0), 0.0)
        v *= share * (1 - share)
        u += w @ (d1 - d * share)
        expected += w @ (d * share)
        cov += (w * v) @ w.T
    return u, cov, expected


def _result(data, arm, reference, weight, u, var, expected) -> WeightedLogRank:
    rho, gamma = weight
    observed = int(np.sum(data.event & (data.group == data.groups.index(arm))))
    z = p = reason = None
    if not data.event.any():
        reason = "no events"
    elif not var > 0:
        reason = (f"zero variance: the FH({rho:g},{gamma:g}) weights vanish at every event "
                  "time with both arms at risk")
    else:
        z = float(u / math.sqrt(var))
        p = float(min(1.0, 2.0 * normal_sf(abs(z))))
    return WeightedLogRank(rho=rho, gamma=gamma, arm=arm, reference=reference,
                           observed=observed, expected=float(expected), u=float(u),
                           variance=float(var), z=z, p_value=p, strata=data.strata,
                           not_estimable_reason=reason)


def weighted_logrank(time, event, group, *, reference, rho: float = 0.0, gamma: float = 0.0,
                     strata=None) -> WeightedLogRank:
    """Fleming-Harrington FH(rho, gamma) weighted log-rank test of two arms.

    Parameters
    ----------
    time, event, group, strata
        See :func:`netter.stats.logrank.comparison_data`; ``group`` has exactly two arms.
    reference : str
        The reference arm; ``z`` is signed by the other arm's weighted O - E.
    rho, gamma : float
        Weight exponents, >= 0.

    Returns
    -------
    WeightedLogRank
        ``z``/``p_value`` ``None`` with a reason when there are no events or the
        variance is 0.

    Examples
    --------
    >>> r = weighted_logrank([1, 2, 3, 4], [1, 1, 0, 1], ["a", "b", "a", "b"],
    ...                      reference="a", rho=1, gamma=0)
    >>> r.arm, r.observed, round(r.expected, 4), round(r.z, 4)
    ('b', 2, 1.5, -0.4082)
    >>> weighted_logrank([1, 2], [0, 0], ["a", "b"], reference="a").not_estimable_reason
    'no events'
    """
    (weight,) = check_weights([(rho, gamma)])
    data, arm, code = _two_arm(time, event, group, reference, strata)
    u, cov, expected = _scores(data, code, (weight,))
    return _result(data, arm, str(reference), weight, u[0], cov[0, 0], expected[0])


def _box_probability(corr: np.ndarray, m: float) -> float:
    """``P(|Z_k| < m for all k)`` for standard normals with correlation ``corr``."""
    k = corr.shape[0]
    if k == 1:
        return float(1.0 - 2.0 * normal_sf(m))
    from scipy import stats  # only MaxCombo needs it (importing scipy.stats costs ~1 s)

    mvn = stats.multivariate_normal(mean=np.zeros(k), cov=corr, allow_singular=True,
                                    maxpts=MVN_MAXPTS_PER_DIM * k, abseps=MVN_ABSEPS,
                                    releps=0.0, seed=np.random.default_rng(MVN_SEED))
    return float(mvn.cdf(np.full(k, m), lower_limit=np.full(k, -m)))


def maxcombo(time, event, group, *, reference, weights=MAXCOMBO_WEIGHTS,
             strata=None) -> MaxCombo:
    """MaxCombo test: the largest ``|Z|`` of FH tests, with their joint normal p-value.

    Parameters
    ----------
    time, event, group, strata, reference
        As :func:`weighted_logrank`.
    weights : sequence of (rho, gamma)
        The component tests (default :data:`MAXCOMBO_WEIGHTS`).

    Returns
    -------
    MaxCombo
        ``None`` statistics with a reason when a component test is not defined or the
        tests' correlation is singular (two tests the same on these data).

    Examples
    --------
    >>> t = [1, 2, 3, 3, 4, 5, 6, 7, 8, 9]
    >>> e = [1, 1, 1, 1, 0, 1, 1, 0, 1, 1]
    >>> g = list("ABABABABAB")
    >>> r = maxcombo(t, e, g, reference="A")
    >>> [round(x.z, 4) for x in r.tests], round(r.max_abs_z, 4), round(r.p_value, 3)
    ([-0.508, -0.7865, -0.295, -0.4409], 0.7865, 0.656)
    """
    weights = check_weights(weights)
    data, arm, code = _two_arm(time, event, group, reference, strata)
    u, cov, expected = _scores(data, code, weights)
    tests = tuple(_result(data, arm, str(reference), w, u[i], cov[i, i], expected[i])
                  for i, w in enumerate(weights))
    algorithm = (f"scipy multivariate normal CDF (Genz quasi-Monte Carlo, seed {MVN_SEED}, "
                 f"absolute error <= {MVN_ABSEPS:g})")
    bad = next((t for t in tests if t.z is None), None)
    if bad is not None:
        return MaxCombo(tests, None, None, None, algorithm,
                        f"FH({bad.rho:g},{bad.gamma:g}): {bad.not_estimable_reason}")
    sd = np.sqrt(np.diag(cov))
    corr = cov / np.outer(sd, sd)
    corr = (corr + corr.T) / 2.0
    np.fill_diagonal(corr, 1.0)
    rows = tuple(tuple(float(c) for c in row) for row in corr)
    m = max(abs(t.z) for t in tests)
    p = min(1.0, max(0.0, 1.0 - _box_probability(corr, m)))
    return MaxCombo(tests, rows, float(m), float(p), algorithm, None)


def check_cuts(cuts) -> tuple[float, ...]:
    """Cut points as sorted, distinct floats, each finite and > 0.

    Examples
    --------
    >>> check_cuts([12, 6, 6.0])
    (6.0, 12.0)
    >>> check_cuts([0])
    Traceback (most recent call last):
    ...
    netter.errors.SurvivalDataError: cut points must be finite and > 0, got 0.0
    """
    out = sorted({float(c) for c in cuts})
    bad = [c for c in out if not math.isfinite(c) or c <= 0]
    if bad:
        raise SurvivalDataError(f"cut points must be finite and > 0, got {bad[0]!r}")
    if not out:
        raise SurvivalDataError("no cut points given")
    return tuple(out)


def piecewise_cox(time, event, group, *, reference, cuts, strata=None,
                  profile: Profile | str) -> tuple[PiecewiseInterval, ...]:
    """Hazard ratios of the arms by time interval (Cox with arm-by-interval effects).

    Equals R ``coxph(Surv(tstart, time, event) ~ arm:strata(tgroup) [+ strata(s)])`` on
    ``survSplit(..., cut = cuts, episode = "tgroup")`` (see the module notes).

    Parameters
    ----------
    time, event, group, strata, reference
        As :func:`netter.stats.cox.cox_hazard_ratio`.
    cuts : sequence of float
        Cut points (> 0): intervals ``(0, c1], (c1, c2], ..., (ck, inf)``.
    profile : Profile or str
        Ties and confidence level.

    Returns
    -------
    tuple of PiecewiseInterval
        One per interval; its model's effects are ``None`` with a reason when the
        interval has no events, or the arms are not linked by its events.

    Examples
    --------
    >>> t = [1, 2, 3, 3, 4, 5, 6, 7, 8, 9]
    >>> e = [1, 1, 1, 1, 0, 1, 1, 0, 1, 1]
    >>> pw = piecewise_cox(t, e, list("ABABABABAB"), reference="A", cuts=[4],
    ...                    profile="r")
    >>> [(p.start, p.end, p.events, round(p.model.effects[0].hazard_ratio, 4)) for p in pw]
    [(0.0, 4.0, 4, 0.9458), (4.0, None, 4, 0.4343)]
    """
    cuts = check_cuts(cuts)
    data = comparison_data(time, event, group, strata=strata)
    bounds = (0.0, *cuts, math.inf)
    out = []
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        inside = data.event & (data.time > lo) & (data.time <= hi)
        model = cox_hazard_ratio(data.time, inside, group, reference=reference,
                                 strata=strata, profile=profile)
        out.append(PiecewiseInterval(float(lo), None if math.isinf(hi) else float(hi),
                                     int(inside.sum()), model))
    return tuple(out)
