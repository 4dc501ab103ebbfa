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

#: Profile ``convergence`` rules implemented here (netter.stats also has "lifelines").
CONVERGENCE_RULES = ("strict", "r", "gconv")
#: R ``coxph.control()`` defaults ``eps`` and ``iter.max`` (rule ``"r"``).
R_EPS, R_ITER_MAX = 1e-9, 20
#: SAS PROC PHREG defaults ``GCONV=`` and ``MAXITER=`` (rule ``"gconv"``).
SAS_GCONV, SAS_MAXITER = 1e-8, 25


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
    """One entry per tied event (Efron) or per event time (Breslow), sorted by trial.

    ``kind`` is 0 when the stratum has both arms (the likelihood's shift is the larger
    linear predictor, as netter.stats), 1 when it has only arm 0, 2 only arm 1.
    """

    row: np.ndarray  # trial, numbered among the trials still iterating
    code: np.ndarray  # 3 * row + kind: index into the (trials, 3) risk scores
    m0: np.ndarray  # arm 0 at risk minus (l/d) of its tied events (Efron)
    m1: np.ndarray  # the same, arm 1
    weight: np.ndarray | None  # tied events per entry (Breslow); None: all 1 (Efron)

    def take(self, keep: np.ndarray) -> _Terms:
        """The entries of the trials flagged in ``keep`` (by row), renumbered."""
        local = np.cumsum(keep) - 1
        sel = keep[self.row]
        row = local[self.row[sel]]
        return _Terms(row, 3 * row + self.code[sel] % 3, self.m0[sel], self.m1[sel],
                      None if self.weight is None else self.weight[sel])


@dataclass(frozen=True, eq=False)
class _Trials:
    """Per-trial constants of the likelihood (rows match ``_Terms.row``)."""

    a: np.ndarray  # centred arm-0 dummy of arm 0 subjects: 1 - mean
    b: np.ndarray  # of arm 1 subjects: -mean
    events0: np.ndarray  # events in arm 0
    events_x: np.ndarray  # sum of the dummy over the events
    kind_weight: np.ndarray  # (trials, 3) tied-event weights by stratum kind

    def take(self, keep: np.ndarray) -> _Trials:
        return _Trials(self.a[keep], self.b[keep], self.events0[keep], self.events_x[keep],
                       self.kind_weight[keep])


def _setup(table: EventTable, efron: bool) -> tuple[_Terms, _Trials]:
    n = table.n.astype(np.float64)
    mean = n[:, 0] / (n[:, 0] + n[:, 1])
    a, b = 1.0 - mean, 0.0 - mean
    events = table.events.astype(np.float64)
    n0, n1 = (table.at_risk[g].astype(np.float64) for g in (0, 1))
    d0, d1 = (table.deaths[g].astype(np.float64) for g in (0, 1))
    kind = np.where(table.present[0] & table.present[1], 0,
                    np.where(table.present[0], 1, 2))
    d = table.deaths[0] + table.deaths[1]
    kind_weight = np.bincount(3 * table.row + kind, weights=d, minlength=3 * table.n_trials)
    trials = _Trials(a, b, events[:, 0], a * events[:, 0] + b * events[:, 1],
                     kind_weight.reshape(-1, 3))
    if not efron:
        return _Terms(table.row, 3 * table.row + kind, n0, n1, d.astype(np.float64)), trials
    rep = np.repeat(np.arange(d.size), d)
    first = np.cumsum(d) - d
    frac = (np.arange(rep.size) - first[rep]) / d[rep]
    row = table.row[rep]
    return _Terms(row, 3 * row + kind[rep], n0[rep] - frac * d0[rep],
                  n1[rep] - frac * d1[rep], None), trials


def _evaluate(t: _Terms, c: _Trials, beta: np.ndarray):
    """Log partial likelihood, score and information of every trial at ``beta``."""
    size = beta.size
    eta0, eta1 = c.a * beta, c.b * beta
    shift = np.stack((np.maximum(eta0, eta1), eta0, eta1), axis=1)
    r0 = np.exp(eta0[:, None] - shift)
    r1 = np.exp(eta1[:, None] - shift)
    r0[:, 2] = 0.0  # no arm 0 subjects in the stratum
    r1[:, 1] = 0.0
    u = t.m0 * r0.ravel()[t.code]
    w = t.m1 * r1.ravel()[t.code]
    den = u + w
    log_den = np.log(den)
    q = u / den
    qs = q * (w / den)
    if t.weight is not None:
        log_den *= t.weight
        q *= t.weight
        qs *= t.weight
    delta = c.a - c.b  # 1 up to rounding
    loglik = beta * c.events_x - (np.bincount(t.row, weights=log_den, minlength=size)
                                  + (shift * c.kind_weight).sum(axis=1))
    score = delta * (c.events0 - np.bincount(t.row, weights=q, minlength=size))
    info = delta * delta * np.bincount(t.row, weights=qs, minlength=size)
    return loglik, score, info


def _inverse(info):
    """1 / info where netter.stats' generalised inverse is not 0 (0 < info < inf)."""
    ok = (info > 0) & (info < np.inf)
    with np.errstate(divide="ignore"):
        return np.where(ok, 1.0 / np.where(ok, info, 1.0), 0.0)


class _Work:
    """The running trials' terms and per-trial arrays, compacted as trials finish."""

    def __init__(self, terms: _Terms, trials: _Trials, active: np.ndarray, **arrays):
        self.terms, self.trials, self.active = terms, trials, active
        self.arrays = arrays
        self.running = np.ones(active.size, dtype=bool)

    def evaluate(self, beta: np.ndarray, subset: np.ndarray | None = None):
        with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
            if subset is None:
                return _evaluate(self.terms, self.trials, beta)
            return _evaluate(self.terms.take(subset), self.trials.take(subset), beta[subset])

    def finish(self, done: np.ndarray, out: dict, **values) -> None:
        """Record ``values`` (arrays over the running trials) of the ``done`` trials."""
        idx = self.active[done]
        for key, value in values.items():
            out[key][idx] = value[done] if np.ndim(value) else value
        self.running &= ~done
        if self.running.sum() < 0.8 * self.running.size:
            keep = self.running
            self.terms, self.trials = self.terms.take(keep), self.trials.take(keep)
            self.active = self.active[keep]
            self.arrays = {k: v[keep] for k, v in self.arrays.items()}
            self.running = self.running[keep]


def _newton_r(work: _Work, out: dict, tol: float, max_iter: int, strict: bool) -> None:
    """R ``coxfit6``: stop when the relative change of the loglik is at most ``tol``.

    ``strict`` (netter) accepts the stop after a halved step too; R (``strict=False``)
    only after a full step.
    """
    w = work.arrays
    w["new_beta"] = w["beta"] + _inverse(w["info"]) * w["score"]
    for it in range(1, max_iter + 1):
        if not work.active.size:
            return
        w = work.arrays
        ll, score, info = work.evaluate(w["new_beta"])
        with np.errstate(invalid="ignore"):
            finite = np.isfinite(ll) & np.isfinite(score) & np.isfinite(info)
            done = work.running & finite & (np.abs(ll - w["ll"]) <= tol * np.abs(ll))
            if not strict:
                done &= w["halving"] == 0
            worse = work.running & ~done & (~finite | (ll < w["ll"]))
        better = work.running & ~done & ~worse
        halving, beta, new_beta = w["halving"], w["beta"], w["new_beta"]
        halving[worse] += 1.0
        new_beta[worse] = (new_beta[worse] + halving[worse] * beta[worse]) / (
            halving[worse] + 1.0)
        halving[better] = 0.0
        beta[better] = new_beta[better]
        w["ll"][better], w["score"][better], w["info"][better] = (
            ll[better], score[better], info[better])
        new_beta[better] = beta[better] + _inverse(info[better]) * score[better]
        work.finish(done, out, beta=new_beta, info=info, iterations=it, converged=True)
    w = work.arrays
    work.finish(work.running.copy(), out, beta=w["beta"], info=w["info"],
                iterations=max_iter, converged=False)


def _newton_gconv(work: _Work, out: dict) -> None:
    """SAS PHREG: stop before a step when ``g' I^-1 g / (|l| + 1e-6) < GCONV``."""
    for it in range(SAS_MAXITER + 1):
        if not work.active.size:
            return
        w = work.arrays
        step = _inverse(w["info"]) * w["score"]
        with np.errstate(invalid="ignore"):
            done = work.running & (w["score"] * step / (np.abs(w["ll"]) + 1e-6) < SAS_GCONV)
        if it == SAS_MAXITER:
            break
        work.finish(done, out, beta=w["beta"], info=w["info"], iterations=it, converged=True)
        w = work.arrays
        step = _inverse(w["info"]) * w["score"]
        new_beta = w["beta"] + step
        ll, score, info = work.evaluate(new_beta)
        for halving in range(1, 31):
            with np.errstate(invalid="ignore"):
                bad = ~(np.isfinite(ll) & np.isfinite(score) & np.isfinite(info)) | (
                    ll < w["ll"])
            bad &= work.running
            if not bad.any():
                break
            new_beta[bad] = w["beta"][bad] + step[bad] / 2.0**halving
            ll[bad], score[bad], info[bad] = work.evaluate(new_beta, bad)
        w["beta"], w["ll"], w["score"], w["info"] = new_beta, ll, score, info
    work.finish(done, out, beta=work.arrays["beta"], info=work.arrays["info"],
                iterations=SAS_MAXITER, converged=True)
    w = work.arrays
    work.finish(work.running.copy(), out, beta=w["beta"], info=w["info"],
                iterations=SAS_MAXITER, converged=False)


def _newton_raphson(table: EventTable, efron: bool, convergence: str):
    """Every trial's Newton-Raphson from beta = 0 with the profile's stopping rule."""
    size = table.n_trials
    terms, trials = _setup(table, efron)
    out = {"beta": np.zeros(size), "info": np.zeros(size),
           "iterations": np.zeros(size, dtype=np.int64), "converged": np.ones(size, dtype=bool)}
    has_events = table.events.sum(axis=1) > 0
    active = np.flatnonzero(has_events)
    if active.size < size:
        terms, trials = terms.take(has_events), trials.take(has_events)
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        ll, score, info = _evaluate(terms, trials, np.zeros(active.size))
    out["info"][active] = info
    work = _Work(terms, trials, active, beta=np.zeros(active.size), ll=ll, score=score,
                 info=info, halving=np.zeros(active.size))
    if convergence == "gconv":
        _newton_gconv(work, out)
    elif convergence in ("strict", "r"):
        tol, max_iter = (TOLERANCE, MAX_ITER) if convergence == "strict" else (
            R_EPS, R_ITER_MAX)
        _newton_r(work, out, tol, max_iter, strict=convergence == "strict")
    else:
        raise NotImplementedError(
            f"the batched Cox model implements convergence rules {CONVERGENCE_RULES}, "
            f"not {convergence!r}")
    return out["beta"], out["info"], out["iterations"], out["converged"]


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
    beta, info, iterations, converged = _newton_raphson(
        table, prof.ties == "efron", getattr(prof, "convergence", "strict"))
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
