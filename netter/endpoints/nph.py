"""Comparisons for non-proportional hazards, as ``comparisons`` entries of an endpoint.

Each arm of ``others`` is compared with the reference on the two arms' subjects only
(so a three-arm trial gives one entry per arm):

* ``weighted_logrank``: Fleming-Harrington FH(rho, gamma) tests, one entry per weight
  pair; the statistic is the signed Z (:func:`netter.stats.nph.weighted_logrank`);
* ``maxcombo``: the largest ``|Z|`` of several FH tests with the p-value from their
  joint normal distribution (:func:`netter.stats.nph.maxcombo`);
* ``piecewise_hr``: the Cox hazard ratio in each interval between cut points
  (:func:`netter.stats.nph.piecewise_cox`), one entry per interval;
* ``rmst_grid``: the RMST difference and ratio at each restriction time of a grid.

**RMST grid rule.**  A restriction time after the last observation (event or
censoring) of either arm is not estimated: the entry is "not estimable" with the
reason (the rule of R ``survRM2``, which refuses such a ``tau``), rather than
carrying a curve forward.  The ratio's CI is ``exp(log ratio -/+ z se)`` with
``se^2 = (se_arm / rmst_arm)^2 + (se_ref / rmst_ref)^2`` (delta method).

Examples
--------
>>> import numpy as np
>>> from netter.endpoints.comparisons import Comparison
>>> from netter.profiles import get_profile
>>> base = Comparison(np.array([1.0, 2, 3, 3, 4, 5, 6, 7, 8, 9]),
...                   np.array([1, 1, 1, 1, 0, 1, 1, 0, 1, 1], dtype=bool),
...                   np.array(list("ABABABABAB")), reference="A", others=("B",),
...                   profile=get_profile("r"))
>>> [(e.weights, round(e.statistic, 4)) for e in weighted_logrank_entries(base, [(0, 1)])]
[(((0.0, 1.0),), -0.7865)]
>>> [(e.interval, round(e.estimate, 4)) for e in piecewise_entries(base, [4], "months")]
[((0.0, 4.0), 0.9458), ((4.0, None), 0.4343)]
"""

from __future__ import annotations

import math

import numpy as np

from netter.endpoints.arms import finite
from netter.endpoints.comparisons import Comparison
from netter.results import ComparisonResult
from netter.stats.distributions import normal_quantile, normal_sf
from netter.stats.nph import MAXCOMBO_WEIGHTS, maxcombo, piecewise_cox, weighted_logrank
from netter.stats.rmst import rmst_difference


def _fh(weight) -> str:
    return f"FH({weight[0]:g},{weight[1]:g})"


def _strata_text(base: Comparison) -> str:
    return f", stratified by {', '.join(base.strata_names)}" if base.strata_names else ""


def _strata(base: Comparison) -> dict:
    return {"strata": base.strata_names} if base.strata_names else {}


def _pair(base: Comparison, arm: str):
    """``(reason, time, event, arm, strata)`` of ``arm`` and the reference only."""
    reason = base.reason or (None if arm in base.present else f"arm {arm!r} has no subjects")
    if reason is not None:
        return reason, None, None, None, None
    keep = np.isin(base.arm, [arm, base.reference])
    strata = None if base.strata is None else [np.asarray(s)[keep] for s in base.strata]
    return None, base.time[keep], base.event[keep], base.arm[keep], strata


def _test_entry(method, description, arm, base, statistic, p, reason, weights):
    return ComparisonResult(
        method=method, description=description, arm=arm, reference=base.reference,
        estimand=None, estimate=None, ci=(None, None), conf_level=None,
        statistic=finite(statistic), df=None, p_value=finite(p), not_estimable_reason=reason,
        weights=tuple((float(r), float(g)) for r, g in weights), **_strata(base))


def weighted_logrank_entries(base: Comparison, weights) -> tuple[ComparisonResult, ...]:
    """One FH(rho, gamma) test per arm and weight pair (statistic: the signed Z)."""
    out = []
    for arm in base.others:
        reason, t, e, g, s = _pair(base, arm)
        for w in weights:
            description = (f"Fleming-Harrington {_fh(w)} weighted log-rank test, weights "
                           f"S(t-)^{w[0]:g} (1 - S(t-))^{w[1]:g} of the pooled Kaplan-Meier "
                           f"curve; signed Z{_strata_text(base)}")
            if reason is not None:
                out.append(_test_entry("weighted_logrank", description, arm, base, None, None,
                                       reason, (w,)))
                continue
            r = weighted_logrank(t, e, g, reference=base.reference, rho=w[0], gamma=w[1],
                                 strata=s)
            out.append(_test_entry("weighted_logrank", description, arm, base, r.z,
                                   r.p_value, r.not_estimable_reason, (w,)))
    return tuple(out)


def maxcombo_entries(base: Comparison, weights=MAXCOMBO_WEIGHTS) -> tuple[ComparisonResult, ...]:
    """The MaxCombo test of each arm (statistic: ``max |Z|``)."""
    out = []
    names = ", ".join(_fh(w) for w in weights)
    for arm in base.others:
        reason, t, e, g, s = _pair(base, arm)
        if reason is not None:
            description = f"MaxCombo: max |Z| of {names}{_strata_text(base)}"
            out.append(_test_entry("maxcombo", description, arm, base, None, None, reason,
                                   weights))
            continue
        r = maxcombo(t, e, g, reference=base.reference, weights=weights, strata=s)
        description = (f"MaxCombo: max |Z| of {names}; p-value from their joint normal "
                       f"distribution by {r.algorithm}{_strata_text(base)}")
        out.append(_test_entry("maxcombo", description, arm, base, r.max_abs_z, r.p_value,
                               r.not_estimable_reason, weights))
    return tuple(out)


def _interval_text(lo: float, hi: float | None, unit: str) -> str:
    return f"({lo:g}, {hi:g}] {unit}" if hi is not None else f"after {lo:g} {unit}"


def piecewise_entries(base: Comparison, cuts, unit: str) -> tuple[ComparisonResult, ...]:
    """The hazard ratio of each arm in each interval between ``cuts`` (Wald CI)."""
    prof = base.profile
    level = f"{100 * prof.conf_level:g}%"
    bounds = (0.0, *sorted({float(c) for c in cuts}), None)
    out = []
    for arm in base.others:
        reason, t, e, g, s = _pair(base, arm)
        pieces = None if reason is not None else piecewise_cox(
            t, e, g, reference=base.reference, cuts=cuts, strata=s, profile=prof)
        for k, (lo, hi) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
            effect, why = None, reason
            if pieces is not None:
                effect = pieces[k].model.effects[0]
                why = effect.not_estimable_reason
                if why == "no events":
                    why = f"no events in {_interval_text(lo, hi, unit)}"
            ok = effect is not None and effect.hazard_ratio is not None
            out.append(ComparisonResult(
                method="piecewise_hr",
                description=(f"Cox hazard ratio in {_interval_text(lo, hi, unit)} (arm-by-"
                             f"interval effects), {prof.ties.capitalize()} ties, Wald {level} "
                             f"CI{_strata_text(base)}"),
                arm=arm, reference=base.reference, estimand="hazard ratio",
                estimate=finite(effect.hazard_ratio) if ok else None,
                ci=(finite(effect.ci_lower), finite(effect.ci_upper)) if ok else (None, None),
                conf_level=prof.conf_level,
                statistic=finite(effect.z * effect.z) if ok else None, df=1 if ok else None,
                p_value=finite(effect.p_value) if ok else None, not_estimable_reason=why,
                interval=(lo, hi), **_strata(base)))
    return tuple(out)


def _rmst_pair(base: Comparison, arm: str, tau: float, unit: str):
    """RMST difference and ratio of ``arm`` at ``tau``: (estimates, reason)."""
    reason, t, e, g, _ = _pair(base, arm)
    if reason is not None:
        return None, reason
    for a in (arm, base.reference):
        last = float(t[g == a].max())
        if tau > last:
            return None, (f"tau {tau:g} {unit} is after the last follow-up of arm {a!r} "
                          f"({last:.4g} {unit}): RMST not estimated beyond the data")
    return rmst_difference(t, e, g, tau=tau, reference=base.reference, arm=arm,
                           profile=base.profile), None


def rmst_grid_entries(base: Comparison, taus, unit: str) -> tuple[ComparisonResult, ...]:
    """RMST difference and ratio of each arm at each ``tau`` (unstratified; normal CIs)."""
    if base.strata_names:
        return ()
    level = base.profile.conf_level
    z = normal_quantile(0.5 + level / 2)
    out = []
    for tau in sorted({float(x) for x in taus}):
        for arm in base.others:
            d, reason = _rmst_pair(base, arm, tau, unit)
            diff = ratio = (None, (None, None), None)
            if d is not None:
                diff = (d.estimate, (d.ci_lower, d.ci_upper), d.p_value)
                a, r = d.arm_rmst, d.reference_rmst
                if a.estimate and r.estimate and a.se is not None and r.se is not None:
                    log_ratio = math.log(a.estimate / r.estimate)
                    se = math.hypot(a.se / a.estimate, r.se / r.estimate)
                    ratio = (a.estimate / r.estimate,
                             (math.exp(log_ratio - z * se), math.exp(log_ratio + z * se)),
                             2 * normal_sf(abs(log_ratio) / se) if se > 0 else None)
            for what, (est, ci, p) in (("difference", diff), ("ratio", ratio)):
                why = reason
                if why is None and p is None:
                    why = "standard error 0 (no events before tau): no CI width, no p-value"
                out.append(ComparisonResult(
                    method="rmst_grid",
                    description=(f"{what} in restricted mean survival time to {tau:g} {unit}, "
                                 + ("normal" if what == "difference" else "log-normal (delta "
                                    "method)") + f" {100 * level:g}% CI"),
                    arm=arm, reference=base.reference,
                    estimand=f"RMST {what}" + (f" ({unit})" if what == "difference" else ""),
                    estimate=finite(est), ci=(finite(ci[0]), finite(ci[1])), conf_level=level,
                    statistic=None, df=None, p_value=finite(p), not_estimable_reason=why,
                    tau=tau))
    return tuple(out)
