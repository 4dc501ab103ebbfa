"""Two-stage estimation of the effect of switching (Latimer et al. 2017, simple version).

Stage 1: among reference-arm patients who progressed and were alive after it, an
accelerated failure time model of survival after progression, with a switch indicator
and baseline covariates (:func:`netter.stats.aft.fit_aft`).  ``exp(coef of switch)`` is
the acceleration factor ``AF``: switching multiplies the remaining survival time by it.

Stage 2: each switcher's post-progression time is shrunk by ``AF``,
``U = P + (T - P) / AF``.  With re-censoring, every patient of the stage-1 population is
censored at ``C* = P + (C - P) min(1, 1 / AF)``: their administrative censoring time on
the counterfactual scale had they switched at progression (so that the censoring does
not depend on the switching decision).  The arms are then compared by a Cox model, the
experimental arm's observed times against the reference arm's counterfactual times; its
naive SE ignores stage 1, so a bootstrap of both stages gives the interval.

Assumptions: no unmeasured confounders of switching at the secondary baseline
(progression), switching happens at or soon after progression, and the effect of
switching is a common acceleration of post-progression survival.

Examples
--------
>>> import numpy as np
>>> u, d = counterfactual_after_progression([10.0, 10.0], [1, 1], [4.0, 4.0],
...                                         [True, False], 2.0)
>>> u.tolist(), d.tolist()
([7.0, 10.0], [1, 1])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from netter.errors import SurvivalDataError


def counterfactual_after_progression(time, event, progression_time, switched, af: float,
                                     censor_time=None, recensor=None
                                     ) -> tuple[np.ndarray, np.ndarray]:
    """``U = P + (T - P) / AF`` for switchers, re-censored at ``P + (C - P) min(1, 1/AF)``.

    Parameters
    ----------
    time, event : array_like
        Observed times and events.
    progression_time : array_like
        Progression time (ignored where ``switched`` and ``recensor`` are false).
    switched : array_like of bool
        Switchers (their times are shrunk).
    af : float
        Acceleration factor of switching.
    censor_time : array_like, optional
        Administrative censoring times (needed to re-censor).
    recensor : array_like of bool, optional
        Subjects to re-censor.

    Examples
    --------
    >>> u, d = counterfactual_after_progression([10.0], [1], [4.0], [True], 2.0,
    ...                                         censor_time=[12.0], recensor=[True])
    >>> u.tolist(), d.tolist()
    ([7.0], [1])
    """
    t = np.asarray(time, dtype=float)
    d = np.asarray(event).astype(int)
    p = np.asarray(progression_time, dtype=float)
    s = np.asarray(switched, dtype=bool)
    u = np.where(s, p + (t - p) / af, t)
    if censor_time is None or recensor is None:
        return u, d
    c = np.asarray(censor_time, dtype=float)
    r = np.asarray(recensor, dtype=bool)
    c_star = np.where(r, p + (c - p) * min(1.0, 1.0 / af), np.inf)
    cut = r & (u > c_star)
    return np.where(cut, c_star, u), np.where(cut, 0, d)


@dataclass(frozen=True)
class TwoStageFit:
    """Stage 1 and the counterfactual times of stage 2.

    ``aft`` is the stage-1 fit; ``af`` and ``af_ci`` its acceleration factor of
    switching (Wald, from the AFT model); ``time``/``event`` the counterfactual data of
    every subject (the experimental arm unchanged).
    """

    aft: object | None
    af: float | None
    af_ci: tuple[float | None, float | None]
    population: np.ndarray
    time: np.ndarray | None
    event: np.ndarray | None
    not_estimable_reason: str | None


SWITCH = "switch"


def two_stage(time, event, experimental, switched, progression_time, covariates,
              covariate_names, *, distribution: str, censor_time=None, recensor: bool = True,
              tolerance: float = 1e-10, max_iter: int = 200,
              conf_level: float = 0.95) -> TwoStageFit:
    """Stage 1 (AFT after progression in the reference arm) and stage 2's data.

    Parameters
    ----------
    time, event : array_like
        Observed times and events (all subjects).
    experimental : array_like of bool
        True in the experimental arm.
    switched : array_like of bool
        Reference-arm switchers.
    progression_time : array_like
        Progression time (``nan``/``inf`` when none).
    covariates : array_like, shape (n, p)
        Baseline covariates coded as numbers.
    covariate_names : sequence of str
        Their names.
    distribution : str
        ``"weibull"``, ``"lognormal"`` or ``"loglogistic"``.
    censor_time : array_like, optional
        Administrative censoring times (required when ``recensor``).
    recensor : bool
        Re-censor the stage-1 population's counterfactual times.
    tolerance, max_iter, conf_level
        Fit settings of the AFT model and the level of the AF interval.

    Returns
    -------
    TwoStageFit

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> n = 40
    >>> x = np.r_[np.ones(20, bool), np.zeros(20, bool)]
    >>> p = rng.exponential(5, n)
    >>> sw = ~x & (np.arange(n) % 2 == 0)
    >>> t = p + rng.exponential(6, n) * np.where(sw, 2.0, 1.0)
    >>> fit = two_stage(t, np.ones(n, int), x, sw, p, np.zeros((n, 0)), (),
    ...                 distribution="weibull", recensor=False)
    >>> fit.not_estimable_reason is None and fit.af > 1
    True
    """
    from netter.stats.aft import fit_aft

    t = np.asarray(time, dtype=float)
    d = np.asarray(event).astype(int)
    x = np.asarray(experimental, dtype=bool)
    s = np.asarray(switched, dtype=bool) & ~x
    p = np.asarray(progression_time, dtype=float)
    p = np.where(np.isfinite(p), p, np.inf)
    cov = np.asarray(covariates, dtype=float).reshape(t.size, -1)
    if recensor and censor_time is None:
        raise SurvivalDataError("re-censoring needs each subject's administrative censoring "
                                "time")
    population = ~x & np.isfinite(p) & (t > p)
    none = TwoStageFit(None, None, (None, None), population, None, None, None)
    if not s.any():
        return _replace(none, "no switchers in the reference arm")
    if not (s & population).any():
        return _replace(none, "no switcher progressed before the end of follow-up")
    post = t[population] - p[population]
    design = np.column_stack([s[population].astype(float), cov[population]])
    names = (SWITCH, *covariate_names)
    fit = fit_aft(post, d[population], design, distribution=distribution, names=names,
                  tolerance=tolerance, max_iter=max_iter)
    if fit.not_estimable_reason is not None or fit.coef is None:
        return TwoStageFit(fit, None, (None, None), population, None, None,
                           f"stage 1 (AFT, {distribution}): "
                           f"{fit.not_estimable_reason or 'not estimable'}")
    af_all = fit.acceleration_factor(SWITCH, conf_level=conf_level)
    if af_all is None:
        return TwoStageFit(fit, None, (None, None), population, None, None,
                           "stage 1: the acceleration factor of switching is not estimable")
    af, lo, hi = af_all
    shrink = s & population
    u, ev = counterfactual_after_progression(
        t, d, np.where(np.isfinite(p), p, 0.0), shrink, af,
        censor_time=censor_time if recensor else None,
        recensor=population if recensor else None)
    return TwoStageFit(fit, float(af), (lo, hi), population, u, ev, None)


def _replace(fit: TwoStageFit, reason: str) -> TwoStageFit:
    from dataclasses import replace

    return replace(fit, not_estimable_reason=reason)
