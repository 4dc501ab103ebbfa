"""Treatment-arm Cox model: exact Efron or Breslow partial likelihood, stratified.

The partial likelihood, score and information are computed in numpy (no
lifelines or statsmodels defaults; :mod:`netter.stats.partial_likelihood`),
maximised by Newton-Raphson with R's step halving, and reported like R
``summary(coxph(Surv(time, event) ~ group [+ strata(...)], ties = ...))``.
Whether each arm's hazard ratio is finite is decided exactly from the data, not
from a numerical threshold: the arm must be linked to the reference arm both ways
by "an event in one arm while the other is at risk (same stratum)".  Otherwise
the likelihood is monotone (e.g. no events in one arm) and the hazard ratio is 0
or infinite: it is reported as ``None`` with a reason, while the score (log-rank
type) test at beta = 0 is still given and the likelihood-ratio test uses the
supremum of the likelihood.

Examples
--------
>>> m = cox_hazard_ratio([1, 2, 3, 3, 4, 5, 6, 7], [1, 1, 1, 1, 0, 1, 1, 0],
...                      ["A", "B", "A", "B", "A", "B", "A", "B"],
...                      reference="A", profile="r")
>>> round(m.effects[0].hazard_ratio, 6), m.ties
(0.850739, 'efron')
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from netter.errors import SurvivalDataError
from netter.profiles import Profile, get_profile
from netter.stats.distributions import chi2_sf, normal_quantile
from netter.stats.logrank import ComparisonData, arm_reach, comparison_data
from netter.stats.partial_likelihood import (  # noqa: F401  (engine names re-exported)
    CHOL_TOLERANCE,
    CONVERGENCE_RULES,
    MAX_ITER,
    TOLERANCE,
    Evaluation,
    StratumDesign,
    build_design,
    evaluate,
    generalized_inverse,
    newton_raphson,
)


@dataclass(frozen=True)
class ChiSquareTest:
    """A chi-square test: statistic (``None`` if not estimable), df and p-value."""

    chisq: float | None
    df: int
    p_value: float | None


@dataclass(frozen=True)
class ArmEffect:
    """Hazard ratio of one arm against the reference arm.

    Attributes
    ----------
    arm : str
        The arm (its dummy variable is 1 for its subjects).
    coef, se : float or None
        Log hazard ratio and its model-based standard error.
    hazard_ratio, ci_lower, ci_upper : float or None
        ``exp(coef)`` and the Wald interval ``exp(coef -/+ z se)``.
    z, p_value : float or None
        Wald statistic ``coef / se`` and its two-sided p-value.
    n, events : int
        Subjects and events in the arm.
    not_estimable_reason : str or None
        Why the estimates are ``None`` (monotone likelihood, no events, ...).
    """

    arm: str
    coef: float | None
    se: float | None
    hazard_ratio: float | None
    ci_lower: float | None
    ci_upper: float | None
    z: float | None
    p_value: float | None
    n: int
    events: int
    not_estimable_reason: str | None = None


@dataclass(frozen=True)
class CoxModel:
    """Result of :func:`cox_hazard_ratio`.

    Attributes
    ----------
    reference : str
        Reference arm.
    effects : tuple of ArmEffect
        One per non-reference arm, in sorted arm order.
    loglik_null, loglik : float
        Log partial likelihood at beta = 0 and at the estimate (for a monotone
        likelihood: its supremum, approached as R does).
    wald, likelihood_ratio, score : ChiSquareTest
        Model tests of all arms equal (R ``summary()$waldtest``, ``$logtest``,
        ``$sctest``).  df counts the arms with information at beta = 0.  The
        Wald test is ``None`` unless every arm is estimable.
    covariance : tuple of tuple of float, or None
        Covariance of the coefficients (``None`` unless every arm is estimable).
    iterations : int
        Newton-Raphson iterations.
    converged : bool
        Whether the profile's ``convergence`` rule was met (see
        :func:`~netter.stats.partial_likelihood.newton_raphson`).
    ties : str
        ``"efron"`` or ``"breslow"`` (from the profile).
    strata : tuple of str or None
        Stratum labels of a stratified model.
    n, events : int
        Subjects and events.
    conf_level : float
        Level of the Wald intervals.
    profile : str
        Name of the profile that produced the result.
    """

    reference: str
    effects: tuple[ArmEffect, ...]
    loglik_null: float
    loglik: float
    wald: ChiSquareTest
    likelihood_ratio: ChiSquareTest
    score: ChiSquareTest
    covariance: tuple[tuple[float, ...], ...] | None
    iterations: int
    converged: bool
    ties: str
    strata: tuple[str, ...] | None
    n: int
    events: int
    conf_level: float
    profile: str

    @property
    def estimable(self) -> bool:
        """``True`` when every arm's hazard ratio is finite and estimated."""
        return all(e.not_estimable_reason is None for e in self.effects)


def _reason(data: ComparisonData, reach: np.ndarray, ref: int, g: int, events: np.ndarray):
    """Why arm ``g``'s hazard ratio is not estimable, or ``None``."""
    arm, refname = data.groups[g], data.groups[ref]
    if events.sum() == 0:
        return "no events"
    if reach[ref, g] and reach[g, ref]:
        return None
    if reach[ref, g]:
        extra = f" (no events in arm {arm!r})" if events[g] == 0 else ""
        return f"monotone likelihood: hazard ratio of {arm!r} vs {refname!r} tends to 0{extra}"
    if reach[g, ref]:
        extra = f" (no events in reference arm {refname!r})" if events[ref] == 0 else ""
        return (f"monotone likelihood: hazard ratio of {arm!r} vs {refname!r} tends to "
                f"infinity{extra}")
    return (f"arms {arm!r} and {refname!r} are never linked through events while the other "
            "is at risk: hazard ratio not identifiable")


def _resolve_profile(profile: Profile | str) -> Profile:
    """Accept a :class:`~netter.profiles.Profile` or a profile name; check its ties."""
    prof = get_profile(profile) if isinstance(profile, str) else profile
    if not isinstance(prof, Profile):
        raise ValueError(f"profile must be a Profile or a profile name, got {profile!r}")
    if prof.ties not in ("efron", "breslow"):
        raise ValueError(f"profile {prof.name!r} has unknown ties {prof.ties!r}")
    if prof.convergence not in CONVERGENCE_RULES:
        raise ValueError(f"profile {prof.name!r} has unknown convergence {prof.convergence!r}")
    return prof


def _reference_code(data: ComparisonData, reference) -> int:
    """Index of the reference arm among ``data.groups`` (labels compare as strings)."""
    if str(reference) not in data.groups:
        raise SurvivalDataError(
            f"reference arm {reference!r} not present; arms are {', '.join(data.groups)}"
        )
    return data.groups.index(str(reference))


def chi_square(chisq: float | None, df: int) -> ChiSquareTest:
    """Chi-square test with an upper-tail p-value (``None`` if not estimable).

    Examples
    --------
    >>> round(chi_square(3.84, 1).p_value, 4), chi_square(None, 2)
    (0.05, ChiSquareTest(chisq=None, df=2, p_value=None))
    """
    if chisq is None or df == 0 or not np.isfinite(chisq):
        return ChiSquareTest(None, df, None)
    chisq = max(float(chisq), 0.0)
    return ChiSquareTest(chisq, df, float(chi2_sf(chisq, df)))


def _effect(arm: str, n: int, events: int, coef: float, var: float, z_crit: float,
            reason: str | None) -> ArmEffect:
    if reason is None and not var > 0:
        reason = "singular information matrix"
    if reason is not None:
        return ArmEffect(arm, None, None, None, None, None, None, None, n, events, reason)
    se = float(np.sqrt(var))
    with np.errstate(over="ignore"):
        hr, lo, hi = (float(v) for v in np.exp([coef, coef - z_crit * se, coef + z_crit * se]))
    z = float(coef / se)
    return ArmEffect(arm, float(coef), se, hr, lo, hi, z, float(chi2_sf(z * z, 1)),
                     n, events, None)


def fit_cox(data: ComparisonData, *, reference, profile: Profile | str):
    """Fit the arm model to validated data; also return the design and beta.

    Returns ``(CoxModel, design, beta)`` with ``design`` a tuple of
    :class:`StratumDesign`; used by :func:`cox_hazard_ratio` and by
    :func:`netter.stats.ph.cox_zph`.

    Examples
    --------
    >>> data = comparison_data([1, 2, 3, 4], [1, 1, 1, 0], ["a", "b", "a", "b"])
    >>> model, design, beta = fit_cox(data, reference="a", profile="sas")
    >>> len(design), beta.round(6).tolist() == [round(model.effects[0].coef, 6)]
    (1, True)
    """
    prof = _resolve_profile(profile)
    ref = _reference_code(data, reference)
    arms = [g for g in range(len(data.groups)) if g != ref]
    strata = build_design(data, ref)
    beta, final, start, iterations, converged = newton_raphson(
        strata, len(arms), efron=prof.ties == "efron", convergence=prof.convergence)
    g0, keep0 = generalized_inverse(start.info)
    df = len(keep0)
    var = generalized_inverse(final.info)[0]
    n_arm = np.bincount(data.group, minlength=len(data.groups))
    ev_arm = np.bincount(data.group, weights=data.event, minlength=len(data.groups))
    reach = arm_reach(data)
    z_crit = float(normal_quantile((1.0 + prof.conf_level) / 2.0))
    effects = tuple(
        _effect(data.groups[g], int(n_arm[g]), int(ev_arm[g]), beta[j], var[j, j], z_crit,
                _reason(data, reach, ref, g, ev_arm))
        for j, g in enumerate(arms))
    estimable = df > 0 and all(e.not_estimable_reason is None for e in effects)
    wald = float(beta @ np.linalg.solve(var, beta)) if estimable else None
    model = CoxModel(
        reference=data.groups[ref], effects=effects,
        loglik_null=start.loglik, loglik=final.loglik,
        wald=chi_square(wald, df),
        likelihood_ratio=chi_square(2.0 * (final.loglik - start.loglik), df),
        score=chi_square(float(start.score @ g0 @ start.score), df),
        covariance=tuple(tuple(float(v) for v in row) for row in var) if estimable else None,
        iterations=iterations, converged=converged, ties=prof.ties, strata=data.strata,
        n=data.n, events=int(data.event.sum()), conf_level=prof.conf_level, profile=prof.name)
    return model, strata, beta


def cox_hazard_ratio(time, event, group, *, reference, strata=None,
                     profile: Profile | str) -> CoxModel:
    """Cox model of the arms: one dummy per non-reference arm, optional strata.

    Matches R ``coxph(Surv(time, event) ~ group [+ strata(s1, ...)], ties = ...)``
    with ``group`` releveled to ``reference``, and its ``summary()``.

    Parameters
    ----------
    time, event, group, strata
        See :func:`netter.stats.logrank.comparison_data`.
    reference : str
        Reference arm (compared as a string with the arm labels).
    profile : Profile or str
        Supplies the ties (``"efron"``/``"breslow"``) and the confidence level.

    Returns
    -------
    CoxModel
        Arms with a monotone likelihood (e.g. no events in one arm), or no events
        at all, get ``None`` estimates and a ``not_estimable_reason``.

    Raises
    ------
    netter.errors.SurvivalDataError
        A ``ValueError``: invalid data (see ``comparison_data``) or reference arm
        not present.
    ValueError
        A profile with ties other than ``"efron"``/``"breslow"``.

    Examples
    --------
    >>> m = cox_hazard_ratio([1, 2, 3, 4, 5, 6], [1, 1, 1, 1, 0, 1],
    ...                      ["c", "t", "c", "t", "c", "t"], reference="c", profile="sas")
    >>> e = m.effects[0]
    >>> e.arm, round(e.hazard_ratio, 4), round(m.score.chisq, 4), m.ties
    ('t', 0.7604, 0.0739, 'breslow')
    >>> m = cox_hazard_ratio([1, 2, 3, 4], [1, 1, 0, 0], ["c", "c", "t", "t"],
    ...                      reference="c", profile="r")
    >>> m.effects[0].hazard_ratio is None, round(m.score.chisq, 4)
    (True, 2.8824)
    >>> m.effects[0].not_estimable_reason
    "monotone likelihood: hazard ratio of 't' vs 'c' tends to 0 (no events in arm 't')"
    """
    data = comparison_data(time, event, group, strata=strata)
    return fit_cox(data, reference=reference, profile=profile)[0]
