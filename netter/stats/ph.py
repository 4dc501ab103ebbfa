"""Test of proportional hazards of the arm effects, as R survival 3.x ``cox.zph``.

Since survival 3.0, ``cox.zph`` is a score test: the Cox model is extended by the
terms ``x * g(t)`` (``g`` a transform of time centred at its mean over the events)
and the score for the new coefficients, at the fitted beta and zero for them,
is tested with the full 2p x 2p information matrix (no longer the Grambsch and
Therneau approximation with a scaled variance).  Ties and strata follow the
fitted model; the ``"km"`` transform is ``1 - S(t-)``, the left-continuous
Kaplan-Meier of all subjects pooled (strata and arms ignored), as in R.

:func:`cox_zph` takes the raw arrays and fits the arm model itself (the fit is
returned in the result), so the test can never be paired with a model fitted on
other data or with other ties.

Examples
--------
>>> z = cox_zph([1, 2, 3, 3, 4, 5, 6, 7], [1, 1, 1, 1, 0, 1, 1, 0],
...             ["A", "B", "A", "B", "A", "B", "A", "B"], reference="A", profile="r")
>>> round(z.global_test.chisq, 6), z.global_test.df
(0.024593, 1)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from netter.errors import SurvivalDataError
from netter.profiles import Profile
from netter.stats.cox import CoxModel, chi_square, fit_cox
from netter.stats.logrank import ComparisonData, comparison_data
from netter.stats.partial_likelihood import evaluate

#: Time transforms of R ``cox.zph(transform = ...)``.
TRANSFORMS = ("km", "identity", "rank", "log")


@dataclass(frozen=True)
class ZphTest:
    """One row of the ``cox.zph`` table: term, chi-square, df and p-value."""

    term: str
    chisq: float | None
    df: int
    p_value: float | None


@dataclass(frozen=True)
class CoxZph:
    """Result of :func:`cox_zph`.

    Attributes
    ----------
    transform : str
        Time transform used.
    group : ZphTest
        The treatment term with all its arm dummies (R ``terms = TRUE``, row
        ``group``; df = number of arms - 1).
    arms : tuple of ZphTest
        One 1-df test per non-reference arm (R ``terms = FALSE``), named by arm.
    global_test : ZphTest
        R's ``GLOBAL`` row; with the single treatment term it equals ``group``.
    model : CoxModel
        The fitted Cox model that was tested.
    not_testable_reason : str or None
        Why the statistics are ``None`` (model not estimable, singular
        information, e.g. all events at one time).
    residuals : ScaledSchoenfeld or None
        The scaled Schoenfeld residuals (R ``cox.zph(...)$y``), ``None`` when the model
        is not estimable.
    """

    transform: str
    group: ZphTest
    arms: tuple[ZphTest, ...]
    global_test: ZphTest
    model: CoxModel
    not_testable_reason: str | None
    residuals: ScaledSchoenfeld | None = None


@dataclass(frozen=True)
class ScaledSchoenfeld:
    """Scaled Schoenfeld residuals of the arm effects, one row per event (R ``cox.zph``).

    Attributes
    ----------
    time : tuple of float
        The event times, sorted (R ``$time``; tied events repeat their time).
    x : tuple of float
        The transformed times ``g(time)`` (R ``$x``).
    arms : tuple of str
        The non-reference arms (one column of ``y`` each).
    y : tuple of tuple of float
        Per arm, the scaled residuals (R ``$y``; see :func:`scaled_schoenfeld`).
    """

    time: tuple[float, ...]
    x: tuple[float, ...]
    arms: tuple[str, ...]
    y: tuple[tuple[float, ...], ...]


def time_transform(data: ComparisonData, transform: str):
    """Return ``g``, the function of time used by ``transform`` (R ``cox.zph``).

    ``"km"``: ``1 - S(t-)`` with ``S`` the Kaplan-Meier of all subjects pooled;
    ``"rank"``: the average rank of ``t`` among all follow-up times;
    ``"identity"`` and ``"log"``: ``t`` and ``log(t)``.

    Examples
    --------
    >>> d = comparison_data([1, 2, 2, 3], [1, 1, 0, 1], ["a", "b", "a", "b"])
    >>> time_transform(d, "km")(np.array([1.0, 2.0, 3.0])).round(4).tolist()
    [0.0, 0.25, 0.5]
    """
    t_all = np.sort(data.time)
    if transform == "km":
        death_times, deaths = np.unique(data.time[data.event], return_counts=True)
        at_risk = t_all.size - np.searchsorted(t_all, death_times, side="left")
        surv = np.concatenate(([1.0], np.cumprod(1.0 - deaths / at_risk)))
        return lambda t: 1.0 - surv[np.searchsorted(death_times, t, side="left")]
    if transform == "rank":
        return lambda t: (np.searchsorted(t_all, t, "left")
                          + np.searchsorted(t_all, t, "right") + 1) / 2.0
    if transform == "identity":
        return lambda t: np.asarray(t, dtype=float)
    if transform == "log":
        if (data.time[data.event] <= 0).any():
            raise SurvivalDataError("transform 'log' needs event times > 0")
        return np.log
    raise ValueError(f"unknown transform {transform!r}; choose one of {', '.join(TRANSFORMS)}")


def _quadratic(u: np.ndarray, imat: np.ndarray) -> float | None:
    """``u' imat^-1 u``, or ``None`` when ``imat`` is (numerically) singular."""
    d = np.diag(imat)
    if not (d > 0).all():
        return None
    scaled = imat / np.sqrt(np.outer(d, d))
    if np.linalg.eigvalsh(scaled).min() <= 1e-12:
        return None
    return float(u @ np.linalg.solve(imat, u))


def _score_and_information(data, model, design, beta, g):
    """Score of the time-varying terms and the full 2p x 2p information."""
    ev = evaluate(design, beta, efron=model.ties == "efron")
    gbar = float(np.mean(g(data.time[data.event])))
    gb = g(ev.block_time) - gbar
    p = beta.size
    i11 = ev.block_info.sum(axis=0)
    i12 = np.einsum("b,bij->ij", gb, ev.block_info)
    i22 = np.einsum("b,bij->ij", gb * gb, ev.block_info)
    u = np.concatenate((np.zeros(p), gb @ ev.block_score))
    return u, np.block([[i11, i12], [i12.T, i22]])


def _schoenfeld(design, beta: np.ndarray, efron: bool):
    """Event times, Schoenfeld residuals ``x_i - mean`` (Efron: the mean of the tied
    deaths' Efron means, as R) and which arm terms vary in the event's stratum; one row
    per event, sorted by time (stable over strata)."""
    times, rows, varies = [], [], []
    for s in design:
        has = s.deaths > 0
        if not has.any():
            continue
        ev = evaluate((s,), beta, efron=efron)
        dead_x = np.add.reduceat(s.x * s.event[:, None], s.starts, axis=0)[has]
        mean = (dead_x - ev.block_score) / s.deaths[has][:, None]
        block = np.cumsum(has) - 1  # index among the blocks with deaths, per distinct time
        dead = np.flatnonzero(s.event > 0)
        at = np.searchsorted(s.starts, dead, side="right") - 1
        times.append(s.times[at])
        rows.append(s.x[dead] - mean[block[at]])
        varies.append(np.repeat((np.ptp(s.x, axis=0) > 0)[None, :], dead.size, axis=0))
    if not times:
        return np.empty(0), np.empty((0, beta.size)), np.empty((0, beta.size), dtype=bool)
    t = np.concatenate(times)
    order = np.argsort(t, kind="stable")
    return t[order], np.concatenate(rows)[order], np.concatenate(varies)[order]


def scaled_schoenfeld(model: CoxModel, design, beta: np.ndarray, g,
                      information: np.ndarray) -> ScaledSchoenfeld | None:
    """Scaled Schoenfeld residuals of a fitted arm model (R ``cox.zph(fit, terms = FALSE)``).

    As R survival 3.x: an arm term is *used* in a stratum when it varies among the
    stratum's subjects; ``W[j, k]`` sums, over strata, the smaller of the two terms'
    used event counts, and ``vmean = information / W``.  A residual row ``r`` of an event
    becomes ``solve(vmean[k, k], r[k]) + beta[k]`` over the terms ``k`` used in its
    stratum; a term constant in the stratum has residual 0 there and is given ``beta``
    (R: the same with one term; ``NA`` with several).  With two arms this is R's
    ``cox.zph(fit)$y``.  ``None`` unless every arm is estimable.

    Examples
    --------
    >>> z = cox_zph([1, 2, 3, 3, 4, 5, 6, 7], [1, 1, 1, 1, 0, 1, 1, 0],
    ...             ["A", "B", "A", "B", "A", "B", "A", "B"], reference="A", profile="r")
    >>> z.residuals.time[:3], [round(v, 4) for v in z.residuals.y[0][:3]]
    ((1.0, 2.0, 3.0), [-2.0307, 1.7434, -2.0307])
    """
    if not model.estimable:
        return None
    t, r, used = _schoenfeld(design, beta, model.ties == "efron")
    p = beta.size
    per_stratum = [np.where(np.ptp(s.x, axis=0) > 0, s.event.sum(), 0.0) for s in design]
    wtmat = sum((np.minimum.outer(u, u) for u in per_stratum), np.zeros((p, p)))
    vmean = information / np.where(wtmat == 0, 1.0, wtmat)
    y = np.repeat(beta[None, :], t.size, axis=0)
    for i in range(t.size):
        k = np.flatnonzero(used[i])
        if k.size:
            y[i, k] += np.linalg.solve(vmean[np.ix_(k, k)], r[i, k])
    return ScaledSchoenfeld(
        time=tuple(float(v) for v in t), x=tuple(float(v) for v in g(t)),
        arms=tuple(e.arm for e in model.effects),
        y=tuple(tuple(float(v) for v in col) for col in y.T))


def _row(term: str, chisq: float | None, df: int) -> ZphTest:
    test = chi_square(chisq, df)
    return ZphTest(term, test.chisq, test.df, test.p_value)


def cox_zph(time, event, group, *, reference, strata=None, profile: Profile | str,
            transform: str = "km") -> CoxZph:
    """Proportional-hazards test of the arm effects (R survival 3.x ``cox.zph``).

    Fits ``cox_hazard_ratio(time, event, group, reference=..., strata=...,
    profile=...)`` and tests it like R ``cox.zph(fit, transform = transform)``
    (``terms = TRUE`` for ``group``/``global_test``, ``terms = FALSE`` for ``arms``).

    Parameters
    ----------
    time, event, group, strata
        See :func:`netter.stats.logrank.comparison_data`.
    reference : str
        Reference arm.
    profile : Profile or str
        Supplies the ties of the fitted model.
    transform : {"km", "identity", "rank", "log"}
        Time transform ``g``.

    Returns
    -------
    CoxZph
        Statistics are ``None`` (with ``not_testable_reason``) when the model has
        a non-estimable arm or no events, or the information is singular.

    Examples
    --------
    >>> z = cox_zph([1, 2, 3, 4, 5, 6, 7, 8], [1, 1, 1, 1, 1, 0, 1, 1],
    ...             ["c", "t", "t", "c", "c", "t", "c", "t"], reference="c",
    ...             profile="r+ties=breslow", transform="identity")
    >>> z.group.term, round(z.group.chisq, 4), z.arms[0].term
    ('group', 0.9168, 't')
    """
    data = comparison_data(time, event, group, strata=strata)
    g = time_transform(data, transform)
    model, design, beta = fit_cox(data, reference=reference, profile=profile)
    p = beta.size
    reason = None
    if p == 0:
        reason = "only one arm"
    elif not model.estimable:
        reason = next(e.not_estimable_reason for e in model.effects if e.not_estimable_reason)
    tests: list[float | None] = [None] * (p + 1)
    if reason is None:
        u, imat = _score_and_information(data, model, design, beta, g)
        for j in range(p):
            kk = np.r_[np.arange(p), p + j]
            tests[j] = _quadratic(u[kk], imat[np.ix_(kk, kk)])
        tests[p] = _quadratic(u, imat)
        if tests[p] is None:
            reason = "singular information (the time transform varies too little over events)"
    residuals = None
    if p and model.estimable:
        info = evaluate(design, beta, efron=model.ties == "efron").info
        residuals = scaled_schoenfeld(model, design, beta, g, info)
    return CoxZph(
        transform=transform,
        group=_row("group", tests[p], p),
        arms=tuple(_row(e.arm, tests[j], 1) for j, e in enumerate(model.effects)),
        global_test=_row("GLOBAL", tests[p], p),
        model=model,
        not_testable_reason=reason,
        residuals=residuals,
    )

