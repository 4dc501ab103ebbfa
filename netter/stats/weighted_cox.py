"""Weighted Cox model for counting-process data, with the robust (sandwich) variance.

The engine for crossover adjustment: inverse-probability-of-censoring weights that
change over time on ``(start, stop]`` rows (IPCW), and the final Cox models of the
two-stage and RPSFTM methods.  It reproduces R ``survival`` 3.5.3

    coxph(Surv(start, stop, event) ~ x1 + ... [+ strata(s)] [+ cluster(id)],
          weights = w, ties = "efron" | "breslow", robust = TRUE)

(``Surv(stop, event)`` without ``start``): the coefficients, the model-based
variance ``fit$naive.var``, the robust variance ``fit$var`` and ``fit$loglik``.

Conventions
-----------
* Risk sets: a row is at risk at an event time ``t`` of its stratum when
  ``start < t <= stop``; without ``start`` every row is at risk from the beginning
  (R ``Surv(stop, event)``).  Times within ``sqrt(machine eps)`` of each other are
  merged first, as R's ``timefix`` (``aeqSurv``) does.
* Ties: Breslow, or Efron's weighted approximation as R ``agfit4``/``coxfit6``: at a
  time with ``d`` tied event rows whose weights sum to ``W``, each of ``d`` terms
  has weight ``W / d`` and the risk-set sums reduced by ``k / d`` (``k = 0..d-1``) of
  the tied rows' weighted sums.
* Weights are case weights ``>= 0``.  R refuses zero weights; here a row with weight
  0 contributes nothing at all, exactly as if it were left out (it still counts in
  ``n`` and ``n_clusters``).
* Robust variance: ``D'D``, ``D`` the dfbeta residuals (score residuals times the
  inverse information), multiplied by the case weights and summed within clusters;
  without ``cluster`` each row is its own cluster (R ``robust = TRUE``, or
  ``cluster(row)`` for counting-process data, where R needs an explicit cluster).
* Newton-Raphson from 0 with R's rule: converged when the relative change of the log
  partial likelihood is at most ``tolerance`` (not right after a step halving),
  halving the step while the likelihood decreases or is not finite.
* Not estimable (all estimates ``None``, with a reason; never NaN): all weights zero,
  no events, one subject, a covariate without variation inside the risk sets or
  collinear covariates (singular information), and a monotone likelihood (an infinite
  estimate).  With one covariate the monotone likelihood is decided exactly from the
  data (every event has the largest, or every event the smallest, covariate value in
  its risk set); with several it is R's criterion behind "Loglik converged before
  variable ...; beta may be infinite": the Newton step at the estimate exceeds
  ``sqrt(tolerance) * (1 + |coef|)``.
* Integer weights equal replicated rows (coefficients, both variances with the
  original row as cluster) for Breslow; for Efron only when the weighted rows are
  censored, since replicated event rows become tied events and a weighted row does not
  (as in R).
* Speed: rows are sorted once per stratum; each Newton-Raphson step is vectorised numpy,
  O(n (1 + p + p^2)) (risk-set sums by reverse cumulative sums over the rows ordered by
  stop and by start).  20,000 rows with p = 1 take a few tens of milliseconds.

The reference values are in ``tests/reference/weighted_cox/`` (``weighted_cox.R``).

Examples
--------
>>> fit = fit_weighted_cox([2, 3, 5, 6, 7, 9], [1, 1, 0, 1, 1, 0], [0, 1, 0, 1, 0, 1],
...                        weights=[1, 2, 1, 0.5, 1, 1], ties="efron")
>>> round(fit.coef[0], 6), round(fit.se_robust[0], 6), fit.events
(-0.10209, 0.79492, 4.0)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from netter.errors import SurvivalDataError
from netter.stats.logrank import merge_near_ties

TIES = ("efron", "breslow")
#: Pivot tolerance for the rank of the (correlation-scaled) information at beta = 0.
RANK_TOLERANCE = 1e-12


@dataclass(frozen=True)
class WeightedCoxFit:
    """Result of :func:`fit_weighted_cox`.

    Attributes
    ----------
    coef : tuple of float or None
        Log hazard ratios, one per column of ``x`` (``None`` if not estimable).
    se : tuple of float or None
        Model-based standard errors: square roots of the diagonal of the inverse of
        the weighted information (R ``sqrt(diag(fit$naive.var))``).
    se_robust : tuple of float or None
        Sandwich standard errors (R ``sqrt(diag(fit$var))`` with ``robust = TRUE`` or
        ``cluster(id)``).
    var, var_robust : tuple of tuple of float or None
        The model-based and the robust covariance matrices.
    loglik : tuple of float
        Weighted log partial likelihood at beta = 0 and at the estimate (R
        ``fit$loglik``).  When not estimable: the last Newton-Raphson value (for a
        monotone likelihood it approaches the supremum), or the value at 0 when no
        iteration was run.
    iterations : int
        Newton-Raphson iterations (0 when none was run).
    converged : bool
        Whether the log partial likelihood converged to ``tolerance``.
    ties : str
        ``"efron"`` or ``"breslow"``.
    n : int
        Rows given (zero-weight rows included).
    n_clusters : int
        Distinct clusters among all rows (each row is one without ``cluster``).
    events : float
        Number of event rows with a positive weight (a count, not a sum of weights;
        R ``fit$nevent`` after leaving the zero-weight rows out).
    not_estimable_reason : str or None
        Why the estimates are ``None``.
    """

    coef: tuple[float, ...] | None
    se: tuple[float, ...] | None
    se_robust: tuple[float, ...] | None
    var: tuple[tuple[float, ...], ...] | None
    var_robust: tuple[tuple[float, ...], ...] | None
    loglik: tuple[float, float]
    iterations: int
    converged: bool
    ties: str
    n: int
    n_clusters: int
    events: float
    not_estimable_reason: str | None

    @property
    def estimable(self) -> bool:
        """``True`` when the coefficients were estimated."""
        return self.coef is not None


@dataclass(frozen=True, eq=False)
class _Stratum:
    """One stratum's rows that matter (positive weight, at risk at an event time).

    Rows are sorted by ``hi``; row ``i`` is at risk at the event times with index
    ``lo[i] <= e < hi[i]``.
    """

    rows: np.ndarray  # indices into the caller's rows
    x: np.ndarray  # (m, p) covariates, centred and scaled
    xx: np.ndarray  # (m, p * p) outer products of the rows of x
    w: np.ndarray  # (m,) weights
    lo: np.ndarray
    hi: np.ndarray
    stop_pos: np.ndarray  # (n_times,) first row with hi > e
    lo_order: np.ndarray  # rows sorted by lo
    start_pos: np.ndarray | None  # (n_times,) first row (in lo order) with lo > e
    deaths: np.ndarray  # positions of the event rows, grouped by event time
    death_time: np.ndarray  # event-time index of each event row
    nd: np.ndarray  # (n_times,) event rows at each event time
    first: np.ndarray  # first event row of each time among ``deaths``


@dataclass(frozen=True, eq=False)
class _Evaluation:
    loglik: float
    score: np.ndarray
    info: np.ndarray


def _as_tuple(a: np.ndarray):
    if a.ndim == 1:
        return tuple(float(v) for v in a)
    return tuple(tuple(float(v) for v in row) for row in a)


def _codes(values, n: int, what: str) -> np.ndarray:
    """Integer codes of one label per row."""
    arr = np.asarray(values)
    if arr.ndim != 1 or arr.size != n:
        raise SurvivalDataError(f"{what} must be one-dimensional with {n} values (one per "
                                f"row), got shape {arr.shape}")
    if (arr.dtype.kind == "f" and np.isnan(arr).any()) or (
            arr.dtype.kind == "O" and any(v is None or v != v for v in arr)):
        raise SurvivalDataError(f"{what} has missing values")
    try:
        return np.unique(arr, return_inverse=True)[1].reshape(-1)
    except TypeError:  # mixed types: compare as strings
        return np.unique(arr.astype(str), return_inverse=True)[1].reshape(-1)


def _numeric(values, what: str, ndim: tuple[int, ...] = (1,)) -> np.ndarray:
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as err:
        raise SurvivalDataError(f"{what} must be numeric") from err
    if arr.ndim not in ndim:
        raise SurvivalDataError(f"{what} must be {' or '.join(f'{d}-D' for d in ndim)}, "
                                f"got shape {arr.shape}")
    bad = ~np.isfinite(arr)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise SurvivalDataError(f"{what} must be finite (no missing or infinite values); "
                                f"row {where[0]} has {float(arr[where])!r}")
    return arr


def _check_length(arr: np.ndarray, n: int, what: str) -> None:
    if arr.shape[0] != n:
        raise SurvivalDataError(f"{what} has {arr.shape[0]} rows but stop has {n}")


def _validate(stop, event, x, start, weights, strata, cluster):
    """Check the inputs; return them as arrays (times merged as R ``aeqSurv``)."""
    stop = _numeric(stop, "stop")
    n = stop.size
    if n == 0:
        raise SurvivalDataError("no rows: stop is empty")
    try:
        ev = np.asarray(event, dtype=float)
    except (TypeError, ValueError) as err:
        raise SurvivalDataError("event must be 0/1 or boolean") from err
    if ev.ndim != 1:
        raise SurvivalDataError(f"event must be 1-D, got shape {ev.shape}")
    _check_length(ev, n, "event")
    if not np.all((ev == 0) | (ev == 1)):
        raise SurvivalDataError("event must be 0/1 or boolean")
    xm = _numeric(x, "x", (1, 2))
    xm = xm.reshape(-1, 1) if xm.ndim == 1 else xm
    _check_length(xm, n, "x")
    if xm.shape[1] == 0:
        raise SurvivalDataError("x has no columns")
    if weights is None:
        w = np.ones(n)
    else:
        w = _numeric(weights, "weights")
        _check_length(w, n, "weights")
        if np.any(w < 0):
            row = int(np.argmax(w < 0))
            raise SurvivalDataError(f"weights must be >= 0; row {row} has {float(w[row])!r}")
    if start is None:
        if np.any(stop < 0):
            row = int(np.argmax(stop < 0))
            raise SurvivalDataError(f"stop must be >= 0 without start; row {row} has "
                                    f"{float(stop[row])!r}")
        stop = merge_near_ties(stop)
    else:
        st = _numeric(start, "start")
        _check_length(st, n, "start")
        if np.any(st >= stop):
            row = int(np.argmax(st >= stop))
            raise SurvivalDataError(f"start must be < stop; row {row} has start "
                                    f"{float(st[row])!r} and stop {float(stop[row])!r}")
        both = merge_near_ties(np.concatenate([st, stop]))
        tied = both[:n] >= both[n:]
        if tied.any():
            row = int(np.argmax(tied))
            raise SurvivalDataError(f"row {row}: start {float(st[row])!r} and stop "
                                    f"{float(stop[row])!r} are closer than the tie tolerance "
                                    "(sqrt of machine eps)")
        start, stop = both[:n], both[n:]
    stratum = np.zeros(n, dtype=np.intp) if strata is None else _codes(strata, n, "strata")
    clusters = np.arange(n) if cluster is None else _codes(cluster, n, "cluster")
    return start, stop, ev.astype(bool), xm, w, stratum, clusters


def _build(start, stop, event, x, w, stratum) -> tuple[_Stratum, ...]:
    """Per-stratum design of the rows with positive weight that are ever at risk."""
    active = np.flatnonzero(w > 0)
    order = active[np.argsort(stratum[active], kind="stable")]
    cuts = np.flatnonzero(np.diff(stratum[order])) + 1
    out = []
    p = x.shape[1]
    for idx in np.split(order, cuts):
        ev = event[idx]
        if not ev.any():
            continue
        times = np.unique(stop[idx[ev]])
        lo = (np.zeros(idx.size, dtype=np.intp) if start is None
              else np.searchsorted(times, start[idx], side="right"))
        hi = np.searchsorted(times, stop[idx], side="right")
        keep = hi > lo
        idx, lo, hi = idx[keep], lo[keep], hi[keep]
        srt = np.argsort(hi, kind="stable")
        idx, lo, hi = idx[srt], lo[srt], hi[srt]
        e_all = np.arange(times.size)
        lo_order = np.argsort(lo, kind="stable")
        start_pos = None if start is None else np.searchsorted(lo[lo_order], e_all, "right")
        deaths = np.flatnonzero(event[idx])
        death_time = hi[deaths] - 1
        nd = np.bincount(death_time, minlength=times.size)
        xs = x[idx]
        out.append(_Stratum(
            rows=idx, x=xs, xx=(xs[:, :, None] * xs[:, None, :]).reshape(-1, p * p), w=w[idx],
            lo=lo, hi=hi, stop_pos=np.searchsorted(hi, e_all, side="right"),
            lo_order=lo_order, start_pos=start_pos, deaths=deaths, death_time=death_time,
            nd=nd, first=np.concatenate(([0], np.cumsum(nd)[:-1]))))
    return tuple(out)


def _revsum(a: np.ndarray) -> np.ndarray:
    """Sums of the rows from each row to the end, with a final zero row."""
    out = np.zeros((a.shape[0] + 1,) + a.shape[1:])
    out[:-1] = np.cumsum(a[::-1], axis=0)[::-1]
    return out


def _stratum_terms(s: _Stratum, beta: np.ndarray, efron: bool):
    """Per-term (one per event row) quantities of one stratum at ``beta``."""
    p = beta.size
    eta = (s.x * beta).sum(axis=1)
    shift = float(eta.max())
    r = np.exp(eta - shift)
    wr = s.w * r
    m = np.concatenate([wr[:, None], wr[:, None] * s.x, wr[:, None] * s.xx], axis=1)
    risk = _revsum(m)[s.stop_pos]
    if s.start_pos is not None:
        risk = risk - _revsum(m[s.lo_order])[s.start_pos]
    md = m[s.deaths]
    tied = np.add.reduceat(md, s.first, axis=0)
    deadwt = np.add.reduceat(s.w[s.deaths], s.first)
    rep = s.death_time
    k = np.arange(rep.size) - s.first[rep]
    frac = k / s.nd[rep] if efron else np.zeros(rep.size)
    sums = risk[rep] - frac[:, None] * tied[rep]
    den = sums[:, 0]
    mean = sums[:, 1:1 + p] / den[:, None]
    second = sums[:, 1 + p:].reshape(-1, p, p) / den[:, None, None]
    meanwt = (deadwt / s.nd)[rep]
    return eta, shift, r, frac, den, mean, second, meanwt


def _evaluate(strata: tuple[_Stratum, ...], beta: np.ndarray, efron: bool) -> _Evaluation:
    """Weighted log partial likelihood, score and information at ``beta``."""
    p = beta.size
    loglik, score, info = 0.0, np.zeros(p), np.zeros((p, p))
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        for s in strata:
            eta, shift, _, _, den, mean, second, meanwt = _stratum_terms(s, beta, efron)
            wd = s.w[s.deaths]
            loglik += float((wd * eta[s.deaths]).sum() - (meanwt * (np.log(den) + shift)).sum())
            score += (wd[:, None] * s.x[s.deaths]).sum(axis=0) - (meanwt[:, None] * mean).sum(0)
            cov = second - mean[:, :, None] * mean[:, None, :]
            info += (meanwt[:, None, None] * cov).sum(axis=0)
    return _Evaluation(loglik, score, info)


def _score_residuals(strata: tuple[_Stratum, ...], beta: np.ndarray, efron: bool,
                     n: int) -> np.ndarray:
    """Unweighted score residuals of every row (R ``residuals(fit, "score")``), as R
    ``coxscore2``/``agscore3``: zero for rows that are never at risk."""
    p = beta.size
    out = np.zeros((n, p))
    for s in strata:
        _, _, r, frac, den, mean, _, meanwt = _stratum_terms(s, beta, efron)
        h = meanwt / den
        first = s.first
        h1 = np.add.reduceat(h, first)
        h2 = np.add.reduceat(h[:, None] * mean, first, axis=0)
        g1 = np.add.reduceat(h * frac, first)
        g2 = np.add.reduceat((h * frac)[:, None] * mean, first, axis=0)
        xmean = np.add.reduceat(mean, first, axis=0) / s.nd[:, None]
        c1 = np.concatenate(([0.0], np.cumsum(h1)))
        c2 = np.concatenate((np.zeros((1, p)), np.cumsum(h2, axis=0)))
        res = -r[:, None] * (s.x * (c1[s.hi] - c1[s.lo])[:, None] - (c2[s.hi] - c2[s.lo]))
        d, e = s.deaths, s.death_time
        res[d] += s.x[d] - xmean[e] + r[d, None] * (s.x[d] * g1[e][:, None] - g2[e])
        out[s.rows] = res
    return out


def _risk_extremes(strata: tuple[_Stratum, ...], z_all: np.ndarray):
    """For every event row: its value of ``z`` and the largest and smallest ``z`` in its
    risk set (range updates pushed down a sparse table: O(n + times log times))."""
    own, top, bottom = [], [], []
    for s in strata:
        z = z_all[s.rows]
        n_t = s.nd.size
        length = s.hi - s.lo
        level = np.frexp(length.astype(float))[1] - 1  # floor(log2(length))
        span = 1 << level
        levels = int(level.max()) + 1
        res = []
        for sign in (1.0, -1.0):
            table = np.full((levels, n_t), -np.inf)
            np.maximum.at(table, (level, s.lo), sign * z)
            np.maximum.at(table, (level, s.hi - span), sign * z)
            for k in range(levels - 1, 0, -1):
                half, count = 1 << (k - 1), n_t - (1 << k) + 1
                if count > 0:
                    src = table[k, :count]
                    np.maximum(table[k - 1, :count], src, out=table[k - 1, :count])
                    np.maximum(table[k - 1, half:half + count], src,
                               out=table[k - 1, half:half + count])
            res.append(sign * table[0])
        own.append(z[s.deaths])
        top.append(res[0][s.death_time])
        bottom.append(res[1][s.death_time])
    return np.concatenate(own), np.concatenate(top), np.concatenate(bottom)


def _direction(strata: tuple[_Stratum, ...], z: np.ndarray) -> str | None:
    """Whether the likelihood is flat or monotone along a covariate ``z`` (exact).

    ``"flat"``: ``z`` takes one value inside every risk set at an event time;
    ``"up"``/``"down"``: every event has the largest/smallest ``z`` in its risk set
    (the coefficient of ``z`` tends to +/- infinity); ``None``: neither.
    """
    own, top, bottom = _risk_extremes(strata, z)
    up, down = bool(np.all(own >= top)), bool(np.all(own <= bottom))
    if up and down:
        return "flat"
    return "up" if up else "down" if down else None


def _rank(info: np.ndarray) -> int:
    """Rank of the information scaled to unit diagonal (pivoting in order, as R
    ``cholesky2``; a pivot at most :data:`RANK_TOLERANCE` is singular)."""
    if not np.all(np.isfinite(info)):
        return 0
    d = np.diag(info)
    scale = np.where(d > 0, 1.0 / np.sqrt(np.where(d > 0, d, 1.0)), 0.0)
    a = info * scale[:, None] * scale[None, :]
    keep: list[int] = []
    for i in range(a.shape[0]):
        pivot = a[i, i]
        if keep:
            pivot -= a[i, keep] @ np.linalg.solve(a[np.ix_(keep, keep)], a[keep, i])
        if pivot > RANK_TOLERANCE:
            keep.append(i)
    return len(keep)


def _finite(e: _Evaluation) -> bool:
    return bool(np.isfinite(e.loglik) and np.isfinite(e.score).all()
                and np.isfinite(e.info).all())


def _newton_raphson(strata, p: int, efron: bool, tolerance: float, max_iter: int):
    """R ``agfit4``: Newton-Raphson from 0 with step halving.

    Returns ``(beta, evaluation at beta, loglik at 0, iterations, converged)``.
    """
    old = np.zeros(p)
    start = best_eval = _evaluate(strata, old, efron)
    best = start.loglik
    with np.errstate(all="ignore"):
        beta = old + np.linalg.solve(start.info, start.score)
    halving = 0
    for it in range(1, max_iter + 1):
        cur = _evaluate(strata, beta, efron)
        fail = not _finite(cur) or _rank(cur.info) < p
        if not fail and halving == 0 and (
                abs(1.0 - best / cur.loglik) <= tolerance if cur.loglik != 0 else best == 0):
            return beta, cur, start.loglik, it, True
        if it == max_iter:
            if fail or cur.loglik - best < -tolerance * abs(best):
                return old, best_eval, start.loglik, it, False
            return beta, cur, start.loglik, it, False
        if fail or cur.loglik < best:
            halving += 1
            beta = (old * halving + beta) / (halving + 1.0)
        else:
            halving, best, best_eval, old = 0, cur.loglik, cur, beta
            with np.errstate(all="ignore"):
                beta = beta + np.linalg.solve(cur.info, cur.score)
    return old, best_eval, start.loglik, max_iter, False  # not reached (max_iter >= 1)


def fit_weighted_cox(stop, event, x, *, start=None, weights=None, strata=None, cluster=None,
                     ties: str, tolerance: float = 1e-9, max_iter: int = 30) -> WeightedCoxFit:
    """Weighted Cox model of counting-process data with model-based and robust variances.

    As R ``coxph(Surv(start, stop, event) ~ x [+ strata(s)] [+ cluster(id)],
    weights = w, ties = ties, robust = TRUE)``; see the module notes.

    Parameters
    ----------
    stop : array_like
        End of each row's interval ``(start, stop]`` (the follow-up time without
        ``start``); finite, and >= 0 without ``start``.
    event : array_like
        1/``True`` when the row ends with an event, 0/``False`` otherwise.
    x : array_like
        Covariates, shape ``(n, p)``, or ``(n,)`` for one covariate; finite.
    start : array_like, optional
        Start of each row's interval (left truncation, time-varying weights or
        covariates); finite and < ``stop``.  Default: at risk from the beginning, as
        R ``Surv(stop, event)`` (for positive ``stop`` the same as ``start = 0``).
    weights : array_like, optional
        Case weights, finite and >= 0 (default 1).  Zero-weight rows are ignored.
    strata : array_like, optional
        One label per row; each stratum has its own baseline hazard.
    cluster : array_like, optional
        One label per row (e.g. the subject id): the robust variance sums the
        weighted dfbeta residuals within clusters.  Default: one cluster per row.
    ties : {"efron", "breslow"}
        Handling of tied event times; required (no default).
    tolerance : float
        Convergence: relative change of the log partial likelihood (R ``eps``).
    max_iter : int
        Newton-Raphson iteration limit (R ``iter.max``).

    Returns
    -------
    WeightedCoxFit
        Estimates ``None`` with a ``not_estimable_reason`` for degenerate data.  A
        fit that did not converge in ``max_iter`` iterations keeps its last estimates
        with ``converged=False``.

    Raises
    ------
    netter.errors.SurvivalDataError
        A ``ValueError``: empty or mismatched inputs, non-finite values, negative
        weights, ``start >= stop``, events other than 0/1, missing labels.
    ValueError
        ``ties`` other than ``"efron"``/``"breslow"``, ``tolerance <= 0`` or
        ``max_iter < 1``.

    Examples
    --------
    >>> fit = fit_weighted_cox([4, 6, 6, 3, 8, 9], [1, 1, 0, 1, 1, 0],
    ...                        [0, 1, 1, 0, 1, 0], start=[0, 0, 2, 1, 4, 0],
    ...                        weights=[1.5, 1, 0.5, 2, 1, 1], cluster=[1, 2, 2, 3, 3, 4],
    ...                        ties="breslow")
    >>> round(fit.coef[0], 6), round(fit.se[0], 6), round(fit.se_robust[0], 6)
    (-0.239676, 0.942435, 0.738843)
    >>> fit_weighted_cox([1, 2], [0, 0], [0, 1], ties="efron").not_estimable_reason
    'no events'
    """
    if ties not in TIES:
        raise ValueError(f"ties must be 'efron' or 'breslow', got {ties!r}")
    if not tolerance > 0:
        raise ValueError(f"tolerance must be > 0, got {tolerance!r}")
    if int(max_iter) != max_iter or max_iter < 1:
        raise ValueError(f"max_iter must be a positive integer, got {max_iter!r}")
    start, stop, event, xm, w, stratum, clusters = _validate(
        stop, event, x, start, weights, strata, cluster)
    n, p = xm.shape
    efron = ties == "efron"
    events = int(np.sum(event & (w > 0)))
    n_clusters = int(np.unique(clusters).size)

    def result(reason, loglik=(0.0, 0.0), iterations=0, converged=False, est=None):
        coef = se = se_rob = var = var_rob = None
        if est is not None:
            coef, var, var_rob, se, se_rob = (_as_tuple(a) for a in est)
        return WeightedCoxFit(coef, se, se_rob, var, var_rob, (float(loglik[0]),
                              float(loglik[1])), iterations, converged, ties, n, n_clusters,
                              float(events), reason)

    positive = w > 0
    if not positive.any():
        return result("all weights are zero")
    if events == 0:
        return result("no events" if not event.any() else "no events with a positive weight")
    # centred and scaled like R agfit4 (numerics only; results are back on x's scale)
    dev = xm - (w[:, None] * xm).sum(axis=0) / w.sum()
    with np.errstate(over="ignore"):
        spread = (w[:, None] * np.abs(dev)).sum(axis=0) / w.sum()
    spread = np.where(np.isfinite(spread) & (spread > 0), spread, 1.0)
    strata_design = _build(start, stop, event, dev / spread, w, stratum)
    at_zero = _evaluate(strata_design, np.zeros(p), efron)
    loglik0 = at_zero.loglik
    if np.unique(clusters[positive]).size == 1:
        return result("one subject: a single " + ("cluster" if cluster is not None else "row")
                      + " has a positive weight", (loglik0, loglik0))
    directions = [_direction(strata_design, xm[:, j]) for j in range(p)]
    flat = [j for j, d in enumerate(directions) if d == "flat"]
    if flat:
        what = "x" if p == 1 else "column(s) " + ", ".join(str(j) for j in flat) + " of x"
        return result(f"{what}: no variation within any risk set at an event time, "
                      "coefficient not identifiable", (loglik0, loglik0))
    if _rank(at_zero.info) < p:
        return result("collinear columns of x (singular information): coefficients not "
                      "identifiable", (loglik0, loglik0))
    beta, final, _, iterations, converged = _newton_raphson(
        strata_design, p, efron, tolerance, max_iter)
    fitted = (loglik0, final.loglik)
    if p == 1 and directions[0] is not None:
        limit = "infinity" if directions[0] == "up" else "0"
        return result(f"monotone likelihood: hazard ratio tends to {limit} (every event has "
                      f"the {'largest' if limit == 'infinity' else 'smallest'} x in its "
                      "risk set)", fitted, iterations, converged)
    with np.errstate(all="ignore"):
        var_scaled = np.linalg.inv(final.info)
        var_scaled = (var_scaled + var_scaled.T) / 2.0
        step = np.abs(var_scaled @ final.score) / spread
    if not (np.all(np.isfinite(var_scaled)) and np.all(np.isfinite(beta))):
        return result("the information matrix is singular at the estimate", fitted,
                      iterations, converged)
    if p > 1:
        infinite = np.flatnonzero(step > np.sqrt(tolerance) * (1.0 + np.abs(beta / spread)))
        if infinite.size:
            return result("monotone likelihood: the estimates of column(s) "
                          + ", ".join(str(j) for j in infinite) + " of x diverge (Newton "
                          "step not shrinking; R: 'beta may be infinite')", fitted,
                          iterations, converged)
    resid = _score_residuals(strata_design, beta, efron, n)
    dfbeta = np.einsum("ij,jk->ik", w[:, None] * resid, var_scaled)
    collapsed = np.zeros((n_clusters, p))
    np.add.at(collapsed, clusters, dfbeta)
    robust_scaled = np.einsum("gi,gj->ij", collapsed, collapsed)
    with np.errstate(all="ignore"):  # back to the scale of x
        est = (beta / spread, var_scaled / np.outer(spread, spread),
               robust_scaled / np.outer(spread, spread),
               np.sqrt(np.diag(var_scaled)) / spread, np.sqrt(np.diag(robust_scaled)) / spread)
    if not all(np.all(np.isfinite(a)) for a in est):
        return result("the estimates or their variances overflow (x on an extreme scale)",
                      fitted, iterations, converged)
    return result(None, fitted, iterations, converged, est)
