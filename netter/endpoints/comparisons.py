"""Between-arm comparisons of one endpoint: log-rank, Cox, RMST difference, PH test.

Each function calls one estimator of :mod:`netter.stats` and turns its result into
the :mod:`netter.results` dataclasses.  A comparison that cannot be made at all
(no subjects, the reference arm absent, only one arm) is still returned, with
``None`` numbers and the ``reason`` given by the caller; estimators that report
"not estimable" themselves (monotone likelihood, no events, zero variance) give
their own reason.

Examples
--------
>>> from netter.profiles import get_profile
>>> arms = Comparison(time=np.array([1.0, 2, 3, 3, 4, 5, 6, 7]),
...                   event=np.array([1, 1, 1, 1, 0, 1, 1, 0], dtype=bool),
...                   arm=np.array(list("ABABABAB")), reference="A", others=("B",),
...                   profile=get_profile("r"))
>>> round(logrank_result(arms).chisq, 6), round(cox_results(arms)[0].hazard_ratio, 6)
(0.041466, 0.850739)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from netter.endpoints.arms import finite
from netter.profiles import Profile
from netter.results import (
    ArmCount,
    CoxResult,
    HomogeneityTestResult,
    LogRankResult,
    PhTestResult,
    RmstDifferenceResult,
    SchoenfeldResult,
)
from netter.stats.cox import CoxModel, cox_hazard_ratio
from netter.stats.lifetest import exponential_lr_test, wilcoxon_test
from netter.stats.logrank import logrank_test
from netter.stats.ph import cox_zph
from netter.stats.rmst import rmst_difference

#: Time transform of the proportional-hazards test (R ``cox.zph`` default).
PH_TRANSFORM = "km"


@dataclass(frozen=True, eq=False)
class Comparison:
    """The data and settings every between-arm comparison of one endpoint shares.

    Attributes
    ----------
    time, event, arm : numpy.ndarray
        Months, event flags and arm labels of the analysis set.
    reference : str
        Reference arm.
    others : tuple of str
        The arms compared with the reference (sorted), present or not.
    profile : Profile
    strata_names : tuple of str
        Names of the stratification variables (empty: unstratified).
    strata : list of numpy.ndarray or None
        Their values, one array per variable (``None``: unstratified).
    reason : str or None
        Why no comparison can be made at all, or ``None``.
    """

    time: np.ndarray
    event: np.ndarray
    arm: np.ndarray
    reference: str
    others: tuple[str, ...]
    profile: Profile
    strata_names: tuple[str, ...] = ()
    strata: list | None = None
    reason: str | None = None

    @property
    def present(self) -> tuple[str, ...]:
        """Arms with at least one subject, sorted."""
        return tuple(sorted(set(self.arm.tolist())))


def _strata_fields(c: Comparison, levels) -> dict:
    if not c.strata_names:
        return {}
    return {"strata": c.strata_names, "strata_levels": tuple(levels or ())}


def logrank_result(c: Comparison) -> LogRankResult:
    """k-sample log-rank test of the arms (R ``survdiff``), stratified if ``c.strata``.

    Examples
    --------
    >>> from netter.profiles import get_profile
    >>> c = Comparison(np.array([1.0, 2.0]), np.array([False, False]), np.array(["a", "b"]),
    ...                reference="a", others=("b",), profile=get_profile("r"))
    >>> r = logrank_result(c)
    >>> r.chisq, r.df, r.not_estimable_reason
    (None, 0, 'no events')
    """
    if c.reason is not None:
        return LogRankResult(None, 0, None, (), c.reason, **_strata_fields(c, None))
    test = logrank_test(c.time, c.event, c.arm, strata=c.strata)
    reason = None
    if test.chisq is None:
        reason = "no events" if not c.event.any() else (
            "not defined: fewer than two arms with expected events, or a singular variance")
    by_arm = tuple(ArmCount(arm=g, n=n, observed=o, expected=float(e))
                   for g, n, o, e in zip(test.groups, test.n, test.observed, test.expected,
                                         strict=True))
    return LogRankResult(chisq=finite(test.chisq), df=test.df, p_value=finite(test.p_value),
                         by_arm=by_arm, not_estimable_reason=reason,
                         **_strata_fields(c, test.strata))


def lifetest_results(c: Comparison) -> dict[str, HomogeneityTestResult]:
    """SAS LIFETEST's other tests of all arms: ``wilcoxon`` (Gehan-Breslow) and
    ``lr_exponential`` (-2Log(LR)); with strata ``wilcoxon_stratified`` only (LIFETEST
    gives no stratified likelihood-ratio test).

    Examples
    --------
    >>> from netter.profiles import get_profile
    >>> c = Comparison(np.array([1.0, 2, 3, 4]), np.array([1, 1, 1, 1], dtype=bool),
    ...                np.array(list("abab")), reference="a", others=("b",),
    ...                profile=get_profile("sas"))
    >>> out = lifetest_results(c)
    >>> round(out["wilcoxon"].chisq, 6), round(out["lr_exponential"].chisq, 6)
    (0.571429, 0.163288)
    """
    stratified = bool(c.strata_names)
    names = ("wilcoxon_stratified",) if stratified else ("wilcoxon", "lr_exponential")
    if c.reason is not None:
        return {n: HomogeneityTestResult(
            "wilcoxon" if n.startswith("wilcoxon") else "-2log(lr)", None, 0, None, c.reason,
            **_strata_fields(c, None)) for n in names}
    out = {}
    test = wilcoxon_test(c.time, c.event, c.arm, strata=c.strata)
    reason = None if test.chisq is not None else (
        "no events" if not c.event.any() else
        "not defined: fewer than two arms with expected events, or a singular variance")
    out[names[0]] = HomogeneityTestResult("wilcoxon", finite(test.chisq), test.df,
                                          finite(test.p_value), reason,
                                          **_strata_fields(c, test.strata))
    if not stratified:
        lr = exponential_lr_test(c.time, c.event, c.arm)
        reason = None if lr.chisq is not None else (
            "no events" if not c.event.any() else "fewer than two arms")
        out["lr_exponential"] = HomogeneityTestResult("-2log(lr)", finite(lr.chisq), lr.df,
                                                      finite(lr.p_value), reason)
    return out


def _cox_entry(c: Comparison, model: CoxModel | None, arm: str, reason: str | None):
    """One arm's :class:`CoxResult` from a fitted model (or an empty one with ``reason``)."""
    prof = c.profile
    if model is None:
        return CoxResult(arm=arm, reference=c.reference, hazard_ratio=None, ci=(None, None),
                         coef=None, se=None, p_value_wald=None, p_value_lr=None,
                         p_value_score=None, chisq_wald=None, chisq_lr=None,
                         chisq_score=None, df=0, loglik_null=None, loglik=None,
                         ties=prof.ties, conf_level=prof.conf_level, n=0, events=0,
                         converged=False, not_estimable_reason=reason,
                         **_strata_fields(c, None))
    effect = next((e for e in model.effects if e.arm == arm), None)
    if effect is None:
        return _cox_entry(c, None, arm, f"arm {arm!r} has no subjects")
    return CoxResult(
        arm=arm, reference=model.reference, hazard_ratio=finite(effect.hazard_ratio),
        ci=(finite(effect.ci_lower), finite(effect.ci_upper)), coef=finite(effect.coef),
        se=finite(effect.se), p_value_wald=finite(effect.p_value),
        p_value_lr=finite(model.likelihood_ratio.p_value),
        p_value_score=finite(model.score.p_value),
        chisq_wald=finite(effect.z * effect.z) if effect.z is not None else None,
        chisq_lr=finite(model.likelihood_ratio.chisq), chisq_score=finite(model.score.chisq),
        df=model.score.df, loglik_null=finite(model.loglik_null), loglik=finite(model.loglik),
        ties=model.ties, conf_level=model.conf_level, n=model.n, events=model.events,
        converged=model.converged, not_estimable_reason=effect.not_estimable_reason,
        **_strata_fields(c, model.strata))


def cox_results(c: Comparison) -> tuple[CoxResult, ...]:
    """Hazard ratio of each arm of ``c.others`` against the reference (one Cox model).

    All arms enter one model, as R ``coxph(Surv(time, event) ~ arm [+ strata(...)],
    ties = profile.ties)`` with the arm releveled to the reference.  Model
    quantities (``n``, ``events``, likelihoods, LR and score tests) are the
    model's; ``hazard_ratio``, ``ci``, ``coef``, ``se`` and the Wald test are the arm's.

    Examples
    --------
    >>> from netter.profiles import get_profile
    >>> c = Comparison(np.array([1.0, 2, 3, 4]), np.array([True, True, False, False]),
    ...                np.array(["c", "c", "t", "t"]), reference="c", others=("t",),
    ...                profile=get_profile("sas"))
    >>> r = cox_results(c)[0]
    >>> r.hazard_ratio, round(r.p_value_score, 4), r.ties
    (None, 0.0896, 'breslow')
    """
    if c.reason is not None:
        return tuple(_cox_entry(c, None, arm, c.reason) for arm in c.others)
    model = cox_hazard_ratio(c.time, c.event, c.arm, reference=c.reference, strata=c.strata,
                             profile=c.profile)
    return tuple(_cox_entry(c, model, arm, None) for arm in c.others)


def rmst_difference_results(c: Comparison, tau: float) -> tuple[RmstDifferenceResult, ...]:
    """RMST of each arm of ``c.others`` minus the reference's, up to ``tau`` months.

    Examples
    --------
    >>> from netter.profiles import get_profile
    >>> c = Comparison(np.array([1.0, 2, 3, 2, 4, 6]), np.array([1, 1, 1, 1, 1, 0], bool),
    ...                np.array(list("aaabbb")), reference="a", others=("b",),
    ...                profile=get_profile("r"))
    >>> round(rmst_difference_results(c, 3.0)[0].estimate, 6)
    0.666667
    """
    out = []
    for arm in c.others:
        reason = c.reason or (None if arm in c.present else f"arm {arm!r} has no subjects")
        if reason is not None:
            out.append(RmstDifferenceResult(float(tau), arm, c.reference, None, None,
                                            (None, None), None, False, reason))
            continue
        keep = np.isin(c.arm, [arm, c.reference])
        d = rmst_difference(c.time[keep], c.event[keep], c.arm[keep], tau=tau,
                            reference=c.reference, arm=arm, profile=c.profile)
        out.append(RmstDifferenceResult(
            tau=d.tau, arm=d.arm, reference=d.reference, estimate=finite(d.estimate),
            se=finite(d.se), ci=(finite(d.ci_lower), finite(d.ci_upper)),
            p_value=finite(d.p_value),
            extended=bool(d.arm_rmst.extended or d.reference_rmst.extended),
            not_estimable_reason=None if d.p_value is not None else (
                "standard error 0 (no events before tau): no CI width, no p-value")))
    return tuple(out)


def ph_result(c: Comparison) -> PhTestResult:
    """Proportional-hazards score test of the arm term (R ``cox.zph(fit)``, km transform).

    The model tested is the Cox model of :func:`cox_results` with the same strata
    and ties.

    Examples
    --------
    >>> from netter.profiles import get_profile
    >>> c = Comparison(np.array([1.0, 2, 3, 3, 4, 5, 6, 7]),
    ...                np.array([1, 1, 1, 1, 0, 1, 1, 0], bool), np.array(list("ABABABAB")),
    ...                reference="A", others=("B",), profile=get_profile("r"))
    >>> round(ph_result(c).chisq, 6)
    0.024593
    """
    strata = {"strata": c.strata_names} if c.strata_names else {}
    if c.reason is not None:
        return PhTestResult(None, 0, None, PH_TRANSFORM, c.profile.ties, c.reason, **strata)
    z = cox_zph(c.time, c.event, c.arm, reference=c.reference, strata=c.strata,
                profile=c.profile, transform=PH_TRANSFORM)
    res = z.residuals
    residuals = {} if res is None else {"residuals": SchoenfeldResult(
        time=res.time, x=res.x, arms=res.arms, y=res.y)}
    return PhTestResult(chisq=finite(z.group.chisq), df=z.group.df,
                        p_value=finite(z.group.p_value), transform=z.transform,
                        ties=z.model.ties, not_estimable_reason=z.not_testable_reason,
                        **strata, **residuals)
