"""Exact Efron or Breslow Cox partial likelihood of arm indicators, and its maximisation.

The engine behind :func:`netter.stats.cox.fit_cox` and
:func:`netter.stats.ph.cox_zph`: per-stratum design (:func:`build_design`), log
partial likelihood, score and information with each (stratum, event time)'s
contribution (:func:`evaluate`), R ``cholesky2``-style generalised inverse and
Newton-Raphson with step halving (:func:`newton_raphson`).

Examples
--------
>>> data = comparison_data([1, 2, 3, 4], [1, 1, 1, 0], ["a", "b", "a", "b"])
>>> round(evaluate(build_design(data, 0), np.zeros(1), efron=False).loglik, 6)
-3.178054
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from netter.stats.logrank import ComparisonData, comparison_data  # noqa: F401 (doctests)

#: Convergence: relative change of the log partial likelihood (R's eps is 1e-9).
TOLERANCE = 1e-13
#: Newton-Raphson iteration limit (R's default is 20).
MAX_ITER = 100
#: Pivot tolerance of the generalised inverse, relative to the largest diagonal
#: element of the information (R ``toler.chol``).
CHOL_TOLERANCE = 1e-13


@dataclass(frozen=True, eq=False)
class StratumDesign:
    """One stratum of the model matrix, rows sorted by time (see :func:`build_design`)."""

    x: np.ndarray  # (m, p) centred dummies, rows sorted by time
    xx: np.ndarray  # (m, p, p) outer products of the rows of x
    event: np.ndarray  # (m,) 0.0 / 1.0
    starts: np.ndarray  # first row of each distinct time
    deaths: np.ndarray  # events at each distinct time
    times: np.ndarray  # the distinct times


@dataclass(frozen=True, eq=False)
class Evaluation:
    """Log partial likelihood, score and information at one beta.

    ``block_*`` hold each (stratum, event time)'s contribution to the score and
    information (used by the proportional-hazards test).
    """

    loglik: float
    score: np.ndarray
    info: np.ndarray
    block_time: np.ndarray
    block_score: np.ndarray
    block_info: np.ndarray


def build_design(data: ComparisonData, ref: int) -> tuple[StratumDesign, ...]:
    """Per-stratum arrays of the arm dummies (reference arm ``ref`` left out), centred.

    Parameters
    ----------
    data : ComparisonData
        Validated data (:func:`netter.stats.logrank.comparison_data`).
    ref : int
        Index of the reference arm in ``data.groups``.

    Returns
    -------
    tuple of StratumDesign
        One per stratum, rows sorted by time.

    Examples
    --------
    >>> data = comparison_data([3, 1, 2, 4], [1, 1, 0, 1], ["a", "b", "a", "b"])
    >>> design = build_design(data, 0)
    >>> design[0].times.tolist(), design[0].x[:, 0].tolist()
    ([1.0, 2.0, 3.0, 4.0], [0.5, -0.5, -0.5, 0.5])
    """
    arms = [g for g in range(len(data.groups)) if g != ref]
    x = (data.group[:, None] == np.array(arms, dtype=np.intp)[None, :]).astype(float)
    x -= x.mean(axis=0)
    out = []
    for s in np.unique(data.stratum):
        idx = np.flatnonzero(data.stratum == s)
        idx = idx[np.argsort(data.time[idx], kind="stable")]
        t, ev = data.time[idx], data.event[idx].astype(float)
        times, starts = np.unique(t, return_index=True)
        xs = x[idx]
        out.append(StratumDesign(xs, xs[:, :, None] * xs[:, None, :], ev, starts,
                            np.add.reduceat(ev, starts), times))
    return tuple(out)


def _revsum_at(a: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Sum over rows ``i >= start`` (the risk set) for every start."""
    return np.cumsum(a[::-1], axis=0)[::-1][starts]


def _evaluate_stratum(s: StratumDesign, beta: np.ndarray, efron: bool):
    p = beta.size
    has = s.deaths > 0
    if not has.any():
        return 0.0, np.empty(0), np.empty((0, p)), np.empty((0, p, p))
    eta = s.x @ beta
    shift = eta.max()
    r = np.exp(eta - shift)
    rx, rxx = r[:, None] * s.x, r[:, None, None] * s.xx
    sums = [_revsum_at(a, s.starts)[has] for a in (r, rx, rxx)]
    dead = [np.add.reduceat(a * s.event.reshape((-1,) + (1,) * (a.ndim - 1)), s.starts,
                            axis=0)[has] for a in (r, rx, rxx, s.x)]
    nd = s.deaths[has].astype(np.intp)
    rep = np.repeat(np.arange(nd.size), nd)
    first = np.cumsum(nd) - nd
    frac = (np.arange(rep.size) - first[rep]) / nd[rep] if efron else np.zeros(rep.size)
    den = sums[0][rep] - frac * dead[0][rep]
    mean = (sums[1][rep] - frac[:, None] * dead[1][rep]) / den[:, None]
    second = (sums[2][rep] - frac[:, None, None] * dead[2][rep]) / den[:, None, None]
    cov = second - mean[:, :, None] * mean[:, None, :]
    loglik = float(eta @ s.event - np.sum(np.log(den) + shift))
    bscore = dead[3] - np.add.reduceat(mean, first, axis=0)
    return loglik, s.times[has], bscore, np.add.reduceat(cov, first, axis=0)


def evaluate(strata: tuple[StratumDesign, ...], beta: np.ndarray, *, efron: bool) -> Evaluation:
    """Exact Efron or Breslow log partial likelihood, score and information.

    Parameters
    ----------
    strata : tuple of StratumDesign
        The design from :func:`build_design`.
    beta : numpy.ndarray
        Log hazard ratios, one per non-reference arm.
    efron : bool
        Efron (``True``) or Breslow (``False``) handling of tied event times.

    Returns
    -------
    Evaluation

    Examples
    --------
    >>> data = comparison_data([1, 2, 3, 4], [1, 1, 1, 0], ["a", "b", "a", "b"])
    >>> ev = evaluate(build_design(data, 0), np.zeros(1), efron=True)
    >>> round(ev.loglik, 6), ev.block_time.tolist(), ev.info.round(4).tolist()
    (-3.178054, [1.0, 2.0, 3.0], [[0.7222]])
    """
    p = beta.size
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        parts = [_evaluate_stratum(s, beta, efron) for s in strata]
    block_time = np.concatenate([q[1] for q in parts])
    bscore = np.concatenate([q[2] for q in parts]).reshape(block_time.size, p)
    binfo = np.concatenate([q[3] for q in parts]).reshape(block_time.size, p, p)
    return Evaluation(
        loglik=float(sum(q[0] for q in parts)),
        score=bscore.sum(axis=0),
        info=binfo.sum(axis=0),
        block_time=block_time,
        block_score=bscore,
        block_info=binfo,
    )


def generalized_inverse(m: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """Inverse of the non-singular part of ``m``, pivoting in order like R ``cholesky2``.

    Columns whose pivot is below :data:`CHOL_TOLERANCE` times the largest diagonal
    element are singular: their rows and columns of the result are zero.

    Returns
    -------
    tuple
        The generalised inverse and the indices of the non-singular columns.

    Examples
    --------
    >>> inv, keep = generalized_inverse(np.array([[2.0, 0.0], [0.0, 0.0]]))
    >>> inv.tolist(), keep
    ([[0.5, 0.0], [0.0, 0.0]], [0])
    """
    p = m.shape[0]
    top = np.max(np.diag(m), initial=0.0)
    eps = CHOL_TOLERANCE * top if top > 0 else CHOL_TOLERANCE
    keep: list[int] = []
    for i in range(p):
        pivot = m[i, i]
        if keep:
            sub = m[np.ix_(keep, keep)]
            pivot -= m[i, keep] @ np.linalg.solve(sub, m[keep, i])
        if np.isfinite(pivot) and pivot >= eps:
            keep.append(i)
    out = np.zeros((p, p))
    if keep:
        out[np.ix_(keep, keep)] = np.linalg.inv(m[np.ix_(keep, keep)])
    return out, keep


def _finite(e: Evaluation) -> bool:
    return bool(np.isfinite(e.loglik) and np.isfinite(e.score).all() and np.isfinite(e.info).all())


#: Values of the profile option ``convergence`` (see :func:`newton_raphson`).
CONVERGENCE_RULES = ("strict", "r", "gconv", "lifelines")
#: R ``coxph.control()`` defaults: ``eps`` and ``iter.max``.
R_EPS, R_ITER_MAX = 1e-9, 20
#: SAS PROC PHREG default relative gradient criterion ``GCONV=`` and ``MAXITER=``.
SAS_GCONV, SAS_MAXITER = 1e-8, 25
#: lifelines ``CoxPHFitter`` Newton-Raphson: ``step_size``, ``precision``,
#: ``r_precision``, ``max_steps``.
LIFELINES_STEP, LIFELINES_PRECISION, LIFELINES_R_PRECISION, LIFELINES_MAX_STEPS = (
    0.95, 1e-7, 1e-9, 500)


def newton_raphson(strata: tuple[StratumDesign, ...], p: int, *, efron: bool,
                   convergence: str = "strict"):
    """Maximise the partial likelihood from beta = 0 with a program's stopping rule.

    ``convergence`` (the profile option):

    * ``"strict"`` (netter) and ``"r"`` (R ``coxfit6``): Newton-Raphson steps with R's
      step halving when the likelihood decreases or is not finite, until the
      relative change of the log-likelihood, ``|1 - l_old / l_new|``, is at most
      :data:`TOLERANCE` (1e-13; at most :data:`MAX_ITER` iterations), resp. R's
      ``eps`` 1e-9 on a step that was not halved (at most 20 iterations).  The
      estimate is the iterate at which the change was measured.
    * ``"gconv"`` (SAS PROC PHREG): before each step, stop when the relative gradient
      ``g' I^-1 g / (|l| + 1e-6)`` at the current iterate is below 1e-8 (GCONV), so
      the estimate is the last iterate, without the step R takes to measure the
      change; step halving as R; at most 25 iterations.
    * ``"lifelines"`` (lifelines ``CoxPHFitter``): Newton-Raphson on covariates divided
      by their standard deviation (ddof 1), damped steps (0.95 first, then lifelines'
      ``StepSizer``), stopping at the first iterate where the Newton step's norm is
      below 1e-7, the relative change of the log-likelihood below 1e-9 or the
      Newton decrement ``g' I^-1 g / 2`` below 1e-7 (at most 500 steps).

    Returns
    -------
    tuple
        ``(beta, evaluation at beta, evaluation at 0, iterations, converged)``.

    Examples
    --------
    >>> data = comparison_data([1, 2, 3, 4, 5, 6], [1, 1, 1, 1, 0, 1], list("ctctct"))
    >>> beta, final, start, iterations, converged = newton_raphson(
    ...     build_design(data, 0), 1, efron=False)
    >>> round(float(np.exp(beta[0])), 4), converged, iterations
    (0.7604, True, 3)
    >>> newton_raphson(build_design(data, 0), 1, efron=False, convergence="gconv")[3]
    2
    """
    if convergence not in CONVERGENCE_RULES:
        raise ValueError(f"convergence must be one of {CONVERGENCE_RULES}, got {convergence!r}")
    beta = np.zeros(p)
    start = evaluate(strata, beta, efron=efron)
    if p == 0 or not start.block_time.size:
        return beta, start, start, 0, True
    if convergence == "gconv":
        return _newton_gconv(strata, p, efron, start)
    if convergence == "lifelines":
        return _newton_lifelines(strata, p, efron, start)
    tol, max_iter = (TOLERANCE, MAX_ITER) if convergence == "strict" else (R_EPS, R_ITER_MAX)
    cur = start
    new_beta = beta + generalized_inverse(cur.info)[0] @ cur.score
    halving = 0
    for it in range(1, max_iter + 1):
        new = evaluate(strata, new_beta, efron=efron)
        if (_finite(new) and abs(new.loglik - cur.loglik) <= tol * abs(new.loglik)
                and (convergence == "strict" or halving == 0)):
            return new_beta, new, start, it, True
        if not _finite(new) or new.loglik < cur.loglik:
            halving += 1
            new_beta = (new_beta + halving * beta) / (halving + 1.0)
        else:
            halving, beta, cur = 0, new_beta, new
            new_beta = beta + generalized_inverse(cur.info)[0] @ cur.score
    return beta, cur, start, max_iter, False


def _newton_gconv(strata, p: int, efron: bool, start: Evaluation):
    """SAS PHREG Newton-Raphson with the relative gradient criterion GCONV=1e-8."""
    beta, cur = np.zeros(p), start
    for it in range(SAS_MAXITER + 1):
        inv = generalized_inverse(cur.info)[0]
        step = inv @ cur.score
        if float(cur.score @ step) / (abs(cur.loglik) + 1e-6) < SAS_GCONV:
            return beta, cur, start, it, True
        if it == SAS_MAXITER:
            break
        new_beta = beta + step
        new = evaluate(strata, new_beta, efron=efron)
        halving = 0
        while (not _finite(new) or new.loglik < cur.loglik) and halving < 30:
            halving += 1
            new_beta = beta + step / 2.0**halving
            new = evaluate(strata, new_beta, efron=efron)
        beta, cur = new_beta, new
    return beta, cur, start, SAS_MAXITER, False


class _StepSizer:
    """lifelines ``utils.StepSizer`` (its constants and rules)."""

    def __init__(self, initial: float):
        self.initial = self.step = initial
        self.temper_back_up = False
        self.norms: list[float] = []

    def update(self, norm_delta: float) -> float:
        self.norms.append(norm_delta)
        if self.temper_back_up:
            self.step = min(self.step * 1.3, self.initial)
        if norm_delta >= 15.0:
            self.step *= 0.1
            self.temper_back_up = True
        elif 15.0 > norm_delta > 5.0:
            self.step *= 0.25
            self.temper_back_up = True
        if len(self.norms) >= 3:
            last = self.norms[-3:]
            decreasing = all(a > b for a, b in zip(last, last[1:], strict=False))
            if decreasing:
                self.step = min(self.step * 1.3, 1.0)
            else:
                self.step *= 0.98
        return self.step


def _newton_lifelines(strata, p: int, efron: bool, start: Evaluation):
    """lifelines ``CoxPHFitter._newton_raphson_for_efron_model`` on standardised columns."""
    x = np.concatenate([s.x for s in strata])
    scale = x.std(axis=0, ddof=1) if x.shape[0] > 1 else np.ones(p)
    scale = np.where(scale > 0, scale, 1.0)
    sizer = _StepSizer(LIFELINES_STEP)
    step_size = sizer.step
    beta_n, delta = np.zeros(p), np.zeros(p)
    previous = 0.0
    cur = start
    for it in range(1, LIFELINES_MAX_STEPS + 1):
        beta_n = beta_n + step_size * delta
        cur = start if it == 1 else evaluate(strata, beta_n / scale, efron=efron)
        if not _finite(cur):
            return beta_n / scale, cur, start, it, False
        g = cur.score / scale
        info = cur.info / np.outer(scale, scale)
        delta = generalized_inverse(info)[0] @ g
        norm_delta = float(np.linalg.norm(delta))
        decrement = float(g @ delta) / 2.0
        if (norm_delta < LIFELINES_PRECISION
                or (previous != 0 and abs(cur.loglik - previous) / -previous
                    < LIFELINES_R_PRECISION)
                or decrement < LIFELINES_PRECISION):
            return beta_n / scale, cur, start, it, True
        if step_size <= 1e-5:
            break
        previous = cur.loglik
        step_size = sizer.update(norm_delta)
    return beta_n / scale, cur, start, it, False
