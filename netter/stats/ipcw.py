"""Inverse probability of censoring weights for treatment switching (Robins & Finkelstein 2000).

Reference-arm patients who switch to the experimental treatment are censored at the
switch.  That censoring is informative (patients switch when they progress), so the
patients who remain unswitched are up-weighted by the inverse of their probability of
having remained unswitched, given their history:

* follow-up of each reference-arm patient, up to the switch, is split into intervals of
  length ``interval`` (person-intervals ``(a, b]``);
* the probability of switching in an interval is a pooled logistic regression (GLM,
  binomial, logit link; statsmodels IRLS) on baseline covariates, the interval's start
  ``a`` (time since randomisation), and the time-updated history at the interval's end:
  whether the patient has progressed and the time since progression;
* when every observed switch followed progression, no one can switch before progressing:
  the model is fitted on the progressed person-intervals only (and the probability of
  switching before progression is 0);
* stabilised weights: the product, over the patient's earlier intervals, of
  ``P(no switch | baseline, time) / P(no switch | baseline, time, history)``; the
  numerator model has the baseline covariates and time only;
* a person-interval's weight uses the intervals before it (the history known at its
  start); experimental-arm patients have weight 1.

Examples
--------
>>> import numpy as np
>>> rows = split_followup(np.array([2.5, 1.0]), interval=1.0)
>>> rows.subject.tolist(), rows.start.tolist(), rows.stop.tolist()
([0, 0, 0, 1], [0.0, 1.0, 2.0, 0.0], [1.0, 2.0, 2.5, 1.0])
"""

from __future__ import annotations

import warnings as _warnings
from dataclasses import dataclass

import numpy as np

from netter.errors import SurvivalDataError


@dataclass(frozen=True)
class PersonIntervals:
    """Follow-up split into intervals: row arrays of equal length."""

    subject: np.ndarray
    start: np.ndarray
    stop: np.ndarray
    last: np.ndarray


def split_followup(time, *, interval: float) -> PersonIntervals:
    """Split each subject's follow-up ``(0, time]`` at multiples of ``interval``.

    A subject with ``time == 0`` gets no row.

    Examples
    --------
    >>> split_followup([2.0], interval=1.0).stop.tolist()
    [1.0, 2.0]
    """
    t = np.asarray(time, dtype=float)
    if not interval > 0 or not np.isfinite(interval):
        raise SurvivalDataError(f"the interval must be a positive number, not {interval}")
    counts = np.where(t > 0, np.ceil(t / interval - 1e-12).astype(int), 0)
    counts = np.maximum(counts, np.where(t > 0, 1, 0))
    subject = np.repeat(np.arange(t.size), counts)
    first = np.cumsum(counts) - counts
    k = np.arange(subject.size) - np.repeat(first, counts)
    start = k * interval
    stop = np.minimum((k + 1) * interval, t[subject])
    last = k == np.repeat(counts, counts) - 1
    return PersonIntervals(subject, start.astype(float), stop.astype(float), last)


#: A fitted probability this close to 0 or 1 means separation: R ``glm.fit``'s threshold
#: for "fitted probabilities numerically 0 or 1 occurred" (``10 * .Machine$double.eps``).
#: Small but representable probabilities (an interval long after progression) are fine.
SEPARATION_EPS = 10 * float(np.finfo(float).eps)


@dataclass(frozen=True)
class LogisticFit:
    """A pooled logistic regression: coefficients (with names), SEs, fitted probabilities."""

    names: tuple[str, ...]
    coef: tuple[float, ...] | None
    se: tuple[float, ...] | None
    probability: np.ndarray | None
    converged: bool
    not_estimable_reason: str | None


def fit_logistic(y, x, names, *, tolerance: float, max_iter: int) -> LogisticFit:
    """Binomial GLM with logit link by IRLS (statsmodels), or why it cannot be fitted.

    ``x`` must include the intercept column.  Perfect or quasi-complete separation
    (a fitted probability within :data:`SEPARATION_EPS` of 0 or 1, R's rule, or
    statsmodels' separation error) is reported as not estimable.

    Examples
    --------
    >>> y = np.array([0, 0, 1, 0, 1, 1, 0, 1.0])
    >>> x = np.column_stack([np.ones(8), [0, 1, 2, 3, 4, 5, 6, 7.0]])
    >>> fit = fit_logistic(y, x, ("(Intercept)", "t"), tolerance=1e-12, max_iter=100)
    >>> [round(c, 4) for c in fit.coef]
    [-1.5162, 0.4332]
    """
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import PerfectSeparationError

    names = tuple(names)
    y = np.asarray(y, dtype=float)
    x = np.asarray(x, dtype=float)
    if y.sum() == 0:
        return LogisticFit(names, None, None, None, False, "no switches to model")
    if np.linalg.matrix_rank(x) < x.shape[1]:
        return LogisticFit(names, None, None, None, False,
                           "the switching model's covariates are collinear on its rows "
                           f"({', '.join(names)})")
    model = sm.GLM(y, x, family=sm.families.Binomial())
    try:
        with _warnings.catch_warnings():
            _warnings.simplefilter("error")
            res = model.fit(method="IRLS", tol=tolerance, maxiter=max_iter)
    except (PerfectSeparationError, np.linalg.LinAlgError) as err:
        return LogisticFit(names, None, None, None, False,
                           f"the switching model is separated ({type(err).__name__})")
    except Warning as warn:  # PerfectSeparationWarning, convergence, overflow
        what = ("is separated" if "separation" in str(warn).lower() else
                "cannot be fitted")
        return LogisticFit(names, None, None, None, False,
                           f"the switching model {what} (statsmodels: {warn})")
    prob = np.asarray(res.fittedvalues, dtype=float)
    if (prob < SEPARATION_EPS).any() or (prob > 1 - SEPARATION_EPS).any():
        return LogisticFit(names, None, None, None, False,
                           "the switching model is separated (fitted probabilities "
                           "numerically 0 or 1)")
    return LogisticFit(names, tuple(float(c) for c in res.params),
                       tuple(float(s) for s in res.bse), prob, bool(res.converged), None)


@dataclass(frozen=True)
class IpcwWeights:
    """Person-interval rows of both arms with their stabilised weights.

    ``rows`` are the Cox model's counting-process rows (experimental subjects: one row
    ``(0, T]``); ``weight`` is 1 in the experimental arm.  ``model_rows`` says which
    reference-arm intervals the switching models were fitted on.
    """

    subject: np.ndarray
    start: np.ndarray
    stop: np.ndarray
    event: np.ndarray
    weight: np.ndarray
    reference_rows: np.ndarray
    denominator: LogisticFit | None
    numerator: LogisticFit | None
    model_rows: str
    truncated_rows: int
    not_estimable_reason: str | None


def ipcw_weights(time, event, experimental, switch_time, progression_time, covariates,
                 covariate_names, *, interval: float, truncation=None,
                 tolerance: float = 1e-10, max_iter: int = 100) -> IpcwWeights:
    """Stabilised IPC weights for switching in the reference arm.

    Parameters
    ----------
    time, event : array_like
        Observed times and event indicators (all subjects).
    experimental : array_like of bool
        True in the experimental arm.
    switch_time : array_like
        Time of the switch (``nan`` or ``inf`` for no switch); reference arm only.
    progression_time : array_like
        Time of progression (``nan``/``inf`` when none was observed).
    covariates : array_like, shape (n, p)
        Baseline covariates, already coded as numbers (dummies for categories).
    covariate_names : sequence of str
        Their names.
    interval : float
        Length of the person-intervals (time unit of ``time``).
    truncation : (float, float), optional
        Percentiles (0-100) at which the reference arm's weights are truncated.
    tolerance, max_iter : float, int
        IRLS convergence of the switching models.

    Returns
    -------
    IpcwWeights

    Examples
    --------
    >>> t = np.array([10.0, 12, 8, 9, 11, 7, 6, 5])
    >>> w = ipcw_weights(t, [1] * 8, [True] * 4 + [False] * 4,
    ...                  [np.nan] * 4 + [4.0, np.nan, 3.0, np.nan],
    ...                  [5, 6, 4, 3, 2, 2, 1, 4.0], np.zeros((8, 0)), (), interval=2.0)
    >>> w.not_estimable_reason is None, float(w.weight[~w.reference_rows].max())
    (True, 1.0)
    """
    t = np.asarray(time, dtype=float)
    d = np.asarray(event).astype(int)
    x = np.asarray(experimental, dtype=bool)
    sw = np.asarray(switch_time, dtype=float)
    prog = np.asarray(progression_time, dtype=float)
    cov = np.asarray(covariates, dtype=float).reshape(t.size, -1)
    names = tuple(covariate_names)
    switched = ~x & np.isfinite(sw)
    if (switched & (sw > t)).any():
        raise SurvivalDataError("a switch after the end of follow-up")
    t_cens = np.where(switched, sw, t)
    d_cens = np.where(switched, 0, d)
    prog = np.where(np.isfinite(prog), prog, np.inf)

    ref = np.flatnonzero(~x)
    rows = split_followup(t_cens[ref], interval=interval)
    subj = ref[rows.subject]
    a, b = rows.start, rows.stop
    y = (rows.last & switched[subj]).astype(float)
    progressed = prog[subj] <= b
    since = np.where(progressed, b - prog[subj], 0.0)

    def frame(with_history: bool, use_progressed: bool):
        with_history = with_history and history
        cols = [np.ones(a.size), cov[subj], a[:, None]]
        labels = ["(Intercept)", *names, "time"]
        if with_history:
            if use_progressed:
                cols.append(progressed[:, None].astype(float))
                labels.append("progressed")
            cols.append(since[:, None])
            labels.append("time since progression")
        return np.column_stack([np.asarray(c, float).reshape(a.size, -1) for c in cols]), labels

    n_switch = int(y.sum())
    history = bool(np.isfinite(prog[subj]).any())
    all_after = history and n_switch > 0 and bool(progressed[y == 1].all())
    fit_rows = progressed if all_after else np.ones(a.size, bool)
    model_rows = ("reference-arm intervals after progression (every switch followed "
                  "progression)" if all_after else "all reference-arm intervals" if history
                  else "all reference-arm intervals; no progression is known, so the "
                  "model has no time-updated history")
    ratio = np.ones(a.size)
    den = num = None
    reason = None
    if n_switch == 0:
        reason = "no switchers in the reference arm"
    else:
        xd, ld = frame(True, not all_after)
        xn, ln = frame(False, False)
        den = fit_logistic(y[fit_rows], xd[fit_rows], ld, tolerance=tolerance,
                           max_iter=max_iter)
        num = fit_logistic(y[fit_rows], xn[fit_rows], ln, tolerance=tolerance,
                           max_iter=max_iter)
        reason = den.not_estimable_reason or num.not_estimable_reason
        if reason is None:
            p_den = np.zeros(a.size)
            p_num = np.zeros(a.size)
            p_den[fit_rows] = den.probability
            p_num[fit_rows] = num.probability
            ratio = (1 - p_num) / (1 - p_den)
    # weight of a row: product of the ratios of the subject's earlier rows
    log_ratio = np.log(ratio)
    cum = np.cumsum(log_ratio)
    first = np.r_[True, rows.subject[1:] != rows.subject[:-1]]
    base = np.maximum.accumulate(np.where(first, np.arange(a.size), 0))
    before = cum - log_ratio - (cum[base] - log_ratio[base])
    w_ref = np.exp(before)
    truncated = 0
    if truncation is not None and reason is None:
        lo, hi = np.percentile(w_ref, [truncation[0], truncation[1]])
        truncated = int(((w_ref < lo) | (w_ref > hi)).sum())
        w_ref = np.clip(w_ref, lo, hi)
    exp_idx = np.flatnonzero(x)
    subject = np.r_[exp_idx, subj]
    start = np.r_[np.zeros(exp_idx.size), a]
    stop = np.r_[t[exp_idx], b]
    ev = np.r_[d[exp_idx], np.where(rows.last, d_cens[subj], 0)]
    weight = np.r_[np.ones(exp_idx.size), w_ref]
    reference_rows = np.r_[np.zeros(exp_idx.size, bool), np.ones(a.size, bool)]
    keep = stop > start
    return IpcwWeights(subject[keep], start[keep], stop[keep], ev[keep].astype(int),
                       weight[keep], reference_rows[keep], den, num, model_rows, truncated,
                       reason)
