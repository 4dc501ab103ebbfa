"""The two-arm Cox model of B trials at once: vectorised Newton-Raphson, as R ``coxph``.

Trial by trial equal to :func:`netter.stats.cox.cox_hazard_ratio` (reference = arm
1, optional strata, Efron or Breslow ties from the profile): the same centred arm
dummy, start at beta = 0, Newton-Raphson steps with R's step halving and the same
convergence rule (:data:`netter.stats.partial_likelihood.TOLERANCE`, at most
:data:`~netter.stats.partial_likelihood.MAX_ITER` iterations), and the same "not
estimable" decision (no events, or a monotone likelihood: the arms are not linked
both ways by an event in one arm while the other is at risk).

With one binary covariate, every subject's risk score takes one of two values per
trial, so the risk-set sums at an event time are the numbers at risk by arm (from
the :class:`~netter.engine.estimators.risk_sets.EventTable`) times those two values.
Efron's correction gives the l-th of d tied events (l = 0..d-1) the denominators
``S - (l/d) E`` with ``E`` the sums over the tied events.  Each iteration updates
every trial still iterating at once; converged trials leave the working arrays.

Examples
--------
>>> from netter.engine.estimators.batch import SurvivalBatch
>>> b = SurvivalBatch.from_trials([[1, 2, 3, 3, 4, 5, 6, 7]], [[1, 1, 1, 1, 0, 1, 1, 0]],
...                               [[1, 0, 1, 0, 1, 0, 1, 0]])
>>> round(float(batched_cox(b, profile="r", stratified=False).hazard_ratio[0]), 6)
0.850739
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from netter.engine.estimators.batch import SurvivalBatch
from netter.engine.estimators.risk_sets import EventTable, event_table
from netter.profiles import Profile
from netter.stats.cox import _resolve_profile
from netter.stats.distributions import chi2_sf, normal_quantile
from netter.stats.partial_likelihood import MAX_ITER, TOLERANCE


@dataclass(frozen=True, eq=False)
class BatchedCox:
    """Cox hazard ratios of arm 0 vs arm 1 in B trials (NaN where netter.stats gives ``None``).

    Attributes
    ----------
    coef, se : numpy.ndarray
        (B,) log hazard ratio and its model-based standard error.
    hazard_ratio, ci_lower, ci_upper : numpy.ndarray
        (B,) ``exp(coef)`` and the Wald interval at the profile's level.
    wald_p : numpy.ndarray
        (B,) two-sided Wald p-value of ``coef / se``.
    iterations : numpy.ndarray
        (B,) int: Newton-Raphson iterations (0 without events), for every trial,
        estimable or not.
    converged : numpy.ndarray
        (B,) bool: the log partial likelihood converged.
    estimable : numpy.ndarray
        (B,) bool: the hazard ratio is finite and estimated (the others are NaN).
    ties : str
        ``"efron"`` or ``"breslow"``.
    conf_level : float
        Level of the Wald intervals.
    """

    coef: np.ndarray
    se: np.ndarray
    hazard_ratio: np.ndarray
    ci_lower: np.ndarray
    ci_upper: np.ndarray
    wald_p: np.ndarray
    iterations: np.ndarray
    converged: np.ndarray
    estimable: np.ndarray
    ties: str
    conf_level: float


@dataclass(frozen=True, eq=False)
class _Terms:
    """One entry per (event time, tied event) for Efron, per event time for Breslow."""

    row: np.ndarray  # trial (local index among the trials still iterating)
    m0: np.ndarray  # at risk minus (l/d) deaths, arm 0
    m1: np.ndarray  # the same, arm 1
    weight: np.ndarray  # 1 (Efron) or the number of tied events (Breslow)
    both: np.ndarray  # the stratum has both arms (the likelihood shift is their max)
    only1: np.ndarray  # the stratum has only arm 1 subjects

    def take(self, keep: np.ndarray, local: np.ndarray) -> _Terms:
        """The terms of the trials flagged in ``keep`` (by local row), renumbered."""
        sel = keep[self.row]
        return _Terms(local[self.row[sel]], self.m0[sel], self.m1[sel], self.weight[sel],
                      self.both[sel], self.only1[sel])


def _terms(table: EventTable, efron: bool) -> _Terms:
    n0, n1 = (table.at_risk[g].astype(np.float64) for g in (0, 1))
    d0, d1 = (table.deaths[g].astype(np.float64) for g in (0, 1))
    both = table.present[0] & table.present[1]
    only1 = ~table.present[0]
    if not efron:
        return _Terms(table.row, n0, n1, d0 + d1, both, only1)
    d = table.deaths[0] + table.deaths[1]
    rep = np.repeat(np.arange(d.size), d)
    first = np.cumsum(d) - d
    frac = (np.arange(rep.size) - first[rep]) / d[rep]
    return _Terms(table.row[rep], n0[rep] - frac * d0[rep], n1[rep] - frac * d1[rep],
                  np.ones(rep.size), both[rep], only1[rep])


def _evaluate(t: _Terms, beta, a, b, events_x, size):
    """Log partial likelihood, score and information of the trials at ``beta``."""
    bt = beta[t.row]
    eta0, eta1 = a[t.row] * bt, b[t.row] * bt
    shift = np.where(t.both, np.maximum(eta0, eta1), np.where(t.only1, eta1, eta0))
    u = t.m0 * np.exp(eta0 - shift)
    w = t.m1 * np.exp(eta1 - shift)
    den = u + w
    ar, br = a[t.row], b[t.row]
    loglik = beta * events_x - np.bincount(
        t.row, weights=t.weight * (np.log(den) + shift), minlength=size)
    score = events_x - np.bincount(t.row, weights=t.weight * (ar * u + br * w) / den,
                                   minlength=size)
    info = np.bincount(t.row, weights=t.weight * (u / den) * (w / den), minlength=size)
    return loglik, score, info


def _step(score, info):
    ok = (info > 0) & (info < np.inf)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.where(ok, (1.0 / np.where(ok, info, 1.0)) * score, 0.0)


def _newton_raphson(table: EventTable, efron: bool):
    """Every trial's Newton-Raphson (R ``coxfit6`` logic, as netter.stats)."""
    size = table.n_trials
    n = table.n.astype(np.float64)
    mean = n[:, 0] / (n[:, 0] + n[:, 1])  # the centred arm-0 dummy: a (arm 0) and b (arm 1)
    a, b = 1.0 - mean, 0.0 - mean
    events_x = a * table.events[:, 0] + b * table.events[:, 1]
    terms = _terms(table, efron)

    out_beta = np.zeros(size)
    out_info = np.zeros(size)
    iterations = np.zeros(size, dtype=np.int64)
    converged = np.ones(size, dtype=bool)
    active = np.flatnonzero(table.events.sum(axis=1) > 0)
    if active.size < size:
        keep = np.zeros(size, dtype=bool)
        keep[active] = True
        terms = terms.take(keep, np.cumsum(keep) - 1)
    a, b, events_x = a[active], b[active], events_x[active]
    m = active.size
    beta = np.zeros(m)
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        cur_ll, cur_score, cur_info = _evaluate(terms, beta, a, b, events_x, m)
    new_beta = beta + _step(cur_score, cur_info)
    halving = np.zeros(m)
    running = np.ones(m, dtype=bool)
    for it in range(1, MAX_ITER + 1):
        if not m:
            break
        with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
            ll, score, info = _evaluate(terms, new_beta, a, b, events_x, m)
            finite = np.isfinite(ll) & np.isfinite(score) & np.isfinite(info)
            done = running & finite & (np.abs(ll - cur_ll) <= TOLERANCE * np.abs(ll))
            worse = running & ~done & (~finite | (ll < cur_ll))
        better = running & ~done & ~worse
        halving[worse] += 1.0
        new_beta[worse] = (new_beta[worse] + halving[worse] * beta[worse]) / (
            halving[worse] + 1.0)
        halving[better] = 0.0
        beta[better] = new_beta[better]
        cur_ll[better], cur_score[better] = ll[better], score[better]
        cur_info[better] = info[better]
        new_beta[better] = beta[better] + _step(cur_score[better], cur_info[better])
        idx = active[done]
        out_beta[idx], out_info[idx], iterations[idx] = new_beta[done], info[done], it
        running &= ~done
        if running.sum() < 0.8 * m:  # compact the working arrays to the running trials
            keep = running
            terms = terms.take(keep, np.cumsum(keep) - 1)
            active, a, b, events_x = active[keep], a[keep], b[keep], events_x[keep]
            beta, new_beta, halving = beta[keep], new_beta[keep], halving[keep]
            cur_ll, cur_score, cur_info = cur_ll[keep], cur_score[keep], cur_info[keep]
            running = running[keep]
            m = active.size
    idx = active[running]
    out_beta[idx], out_info[idx] = beta[running], cur_info[running]
    iterations[idx], converged[idx] = MAX_ITER, False
    return out_beta, out_info, iterations, converged


def _linked(table: EventTable) -> np.ndarray:
    """Both arms reach each other: an event in each while the other is at risk."""
    b = table.n_trials
    to1 = (table.deaths[0] > 0) & (table.at_risk[1] > 0)
    to0 = (table.deaths[1] > 0) & (table.at_risk[0] > 0)
    return (np.bincount(table.row, weights=to1, minlength=b) > 0) & (
        np.bincount(table.row, weights=to0, minlength=b) > 0)


def cox_from_table(table: EventTable, *, profile: Profile | str) -> BatchedCox:
    """The Cox models of the trials of an :class:`EventTable`.

    Examples
    --------
    >>> from netter.engine.estimators.batch import SurvivalBatch
    >>> b = SurvivalBatch.from_trials([[1, 2, 3, 4]], [[1, 1, 0, 0]], [[1, 1, 0, 0]])
    >>> res = cox_from_table(event_table(b, stratified=False), profile="r")
    >>> res.coef.tolist(), res.estimable.tolist(), res.converged.tolist()
    ([nan], [False], [True])
    """
    prof = _resolve_profile(profile)
    beta, info, iterations, converged = _newton_raphson(table, prof.ties == "efron")
    estimable = ((table.n > 0).all(axis=1) & (table.events.sum(axis=1) > 0) & _linked(table)
                 & (info > 0) & (info < np.inf))
    nan = np.full(beta.shape, np.nan)
    coef = np.where(estimable, beta, nan)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        se = np.where(estimable, np.sqrt(1.0 / np.where(estimable, info, 1.0)), nan)
        z_crit = float(normal_quantile((1.0 + prof.conf_level) / 2.0))
        z = coef / se
        return BatchedCox(
            coef=coef, se=se, hazard_ratio=np.exp(coef),
            ci_lower=np.exp(coef - z_crit * se), ci_upper=np.exp(coef + z_crit * se),
            wald_p=np.where(estimable, chi2_sf(z * z, 1), nan),
            iterations=iterations, converged=converged, estimable=estimable,
            ties=prof.ties, conf_level=prof.conf_level)


def batched_cox(batch: SurvivalBatch, *, profile: Profile | str, stratified: bool,
                table: EventTable | None = None) -> BatchedCox:
    """Cox hazard ratio of arm 0 vs arm 1 (the reference) in every trial of a batch.

    Equal, trial by trial, to ``netter.stats.cox.cox_hazard_ratio(time, event, arm,
    reference=1, strata=stratum if stratified else None, profile=profile)``
    (R ``coxph``): its ``effects[0]`` estimates, ``iterations`` and ``converged``.

    Parameters
    ----------
    batch : SurvivalBatch
    profile : Profile or str
        Supplies the ties (``"efron"`` for ``"r"``, ``"breslow"`` for ``"sas"``) and
        the confidence level.
    stratified : bool
        Stratify by ``batch.stratum`` (R ``+ strata(...)``).
    table : EventTable, optional
        ``event_table(batch, stratified=stratified)`` if already computed (e.g. for
        :func:`~netter.engine.estimators.logrank.batched_logrank` too).

    Returns
    -------
    BatchedCox
        NaN estimates where netter.stats reports the hazard ratio as not estimable
        (no events, an arm missing, monotone likelihood).

    Examples
    --------
    >>> from netter.engine.estimators.batch import SurvivalBatch
    >>> b = SurvivalBatch.from_trials([[1, 2, 3, 4, 5, 6]], [[1, 1, 1, 1, 0, 1]],
    ...                               [[1, 0, 1, 0, 1, 0]])
    >>> res = batched_cox(b, profile="sas", stratified=False)
    >>> round(float(res.hazard_ratio[0]), 4), res.ties
    (0.7604, 'breslow')
    """
    if table is None:
        table = event_table(batch, stratified=stratified)
    return cox_from_table(table, profile=profile)
