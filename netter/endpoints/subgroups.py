"""Hazard ratios by subgroup: one Cox model per level of each ADSL baseline variable.

:func:`analyze_subgroups` is what ``netter subgroups`` runs.  For one time-to-event
parameter it fits, in "All patients" and in each level of each named ADSL
variable, the Cox model of the arm (R ``coxph(Surv(time, event) ~ arm, ties =
profile.ties)`` on the subset: :func:`netter.stats.cox.cox_hazard_ratio`), with n
and events per arm.  A level where the hazard ratio cannot be estimated (an arm
without subjects or without events) gets ``None`` numbers and the reason.

Each variable also gets a likelihood-ratio test of the arm x subgroup interaction
with baseline hazards stratified by level: the per-level models maximise the
stratified partial likelihood with one arm effect per level, so
``LR = 2 (sum_l loglik_l - loglik(arm + strata(level)))`` on ``levels - 1`` df, as
R ``anova(coxph(Surv ~ arm + strata(g)), coxph(Surv ~ arm:g + strata(g)))``.

The document (schema ``netter.subgroups/1``) is written and read by
:mod:`netter.artefacts`, like ``netter analyze``'s.

Examples
--------
>>> level_order(["25-50%", "<25%", ">50%"]), level_order(["M", "F"])
(('<25%', '25-50%', '>50%'), ('F', 'M'))
"""

from __future__ import annotations

import re

import numpy as np

from netter import __version__
from netter.adam.io import AdamData
from netter.adam.tte import TteData, derive_tte
from netter.endpoints.arms import finite
from netter.endpoints.trial import (
    RULE_GIVEN,
    choose_reference,
    input_files,
    methods_record,
    param_label,
    profile_with_level,
    variable_names,
)
from netter.errors import NetterError
from netter.profiles import DEFAULT_PROFILE, Profile
from netter.results.subgroups import (
    ALL_PATIENTS,
    SCHEMA,
    InteractionTest,
    SubgroupArm,
    SubgroupResult,
    SubgroupsDocument,
    SubgroupVariable,
)
from netter.stats.cox import cox_hazard_ratio
from netter.stats.distributions import chi2_sf

#: ``method`` of the interaction test.
INTERACTION_METHOD = ("likelihood ratio, arm x subgroup, baseline hazards stratified by "
                      "subgroup level (R anova(coxph(~ arm + strata(g)), "
                      "coxph(~ arm:g + strata(g))))")


def _level_key(level: str) -> tuple:
    """Numbers first by value (``<x`` before ``x`` before ``>x``), then text."""
    match = re.search(r"(<=|>=|<|>)?\s*(\d+(?:\.\d+)?)", level)
    if match is None:
        return (1, 0.0, 0, level)
    side = {"<": 0, "<=": 0, None: 1, ">": 2, ">=": 2}[match.group(1)]
    return (0, float(match.group(2)), side, level)


def level_order(levels) -> tuple[str, ...]:
    """Levels in reading order: by their first number (``<25%``, ``25-50%``, ``>50%``).

    Levels without a number follow, alphabetically.

    Examples
    --------
    >>> level_order(["G2", "G1", ">=65", "<65", "N", "Y"])
    ('G1', 'G2', '<65', '>=65', 'N', 'Y')
    """
    return tuple(sorted({str(v) for v in levels}, key=_level_key))


def subgroup_result(tte: TteData, keep, *, variable: str | None, level: str, arm: str,
                    reference: str, profile: Profile) -> SubgroupResult:
    """Cox hazard ratio of ``arm`` vs ``reference`` among the subjects ``keep``.

    Examples
    --------
    >>> from netter.profiles import get_profile
    >>> tte = TteData("PFS", np.array(list("abcdef")), np.array(list("xyxyxy")),
    ...               np.arange(1.0, 7.0), np.array([1, 1, 1, 0, 1, 1], bool), {},
    ...               ("x", "y"), ())
    >>> r = subgroup_result(tte, np.ones(6, bool), variable=None, level="All patients",
    ...                     arm="y", reference="x", profile=get_profile("r"))
    >>> r.n, r.events, round(r.hazard_ratio, 4), [(a.arm, a.events) for a in r.arms]
    (6, 5, 0.2989, [('y', 2), ('x', 3)])
    """
    keep = np.asarray(keep, dtype=bool)
    time, event, arms = tte.time[keep], np.asarray(tte.event, bool)[keep], tte.arm[keep]
    counts = tuple(SubgroupArm(a, int(np.sum(arms == a)), int(np.sum(event[arms == a])))
                   for a in (arm, reference))
    hr, ci, p, reason = None, (None, None), None, None
    absent = [c.arm for c in counts if c.n == 0]
    if absent:
        reason = f"no subjects in arm {absent[0]!r}"
    elif not event.any():
        reason = "no events"
    else:
        model = cox_hazard_ratio(time, event, arms, reference=reference, profile=profile)
        effect = model.effects[0]
        hr, p = finite(effect.hazard_ratio), finite(effect.p_value)
        ci = (finite(effect.ci_lower), finite(effect.ci_upper))
        reason = effect.not_estimable_reason
    return SubgroupResult(variable=variable, level=level, n=int(keep.sum()),
                          events=int(event.sum()), arms=counts, hazard_ratio=hr, ci=ci,
                          p_value=p, not_estimable_reason=reason)


def interaction_test(tte: TteData, variable: str, levels: tuple[SubgroupResult, ...], *,
                     reference: str, profile: Profile) -> InteractionTest:
    """Likelihood-ratio test of arm x ``variable`` (baseline hazards stratified by level).

    Not estimable (``None``) with fewer than two levels or when a level's hazard
    ratio is not estimable.
    """
    df = len(levels) - 1
    bad = next((lv for lv in levels if lv.hazard_ratio is None), None)
    reason = ("fewer than two levels" if df < 1 else
              None if bad is None else f"hazard ratio not estimable in level {bad.level!r}")
    if reason is not None:
        return InteractionTest(None, max(df, 0), None, INTERACTION_METHOD, reason)
    group = tte.strata[variable]
    event = np.asarray(tte.event, dtype=bool)
    pooled = cox_hazard_ratio(tte.time, event, tte.arm, reference=reference,
                              strata=[group], profile=profile).loglik
    separate = 0.0
    for lv in levels:
        rows = group == lv.level
        separate += cox_hazard_ratio(tte.time[rows], event[rows], tte.arm[rows],
                                     reference=reference, profile=profile).loglik
    chisq = max(2.0 * (separate - pooled), 0.0)
    return InteractionTest(chisq=float(chisq), df=df, p_value=float(chi2_sf(chisq, df)),
                           method=INTERACTION_METHOD, not_estimable_reason=None)


def subgroup_variable(data: AdamData, variable: str, *, paramcd: str, arm: str,
                      reference: str, profile: Profile, flag: str | None,
                      unit: str = "months", label: str | None = None,
                      level_labels: dict[str, str] | None = None) -> SubgroupVariable:
    """Every level of one ADSL variable, in :func:`level_order`, and the interaction test."""
    tte = derive_tte(data.adsl, data.adtte, paramcd=paramcd, arm_var=data.arm_var,
                     strata=(variable,), population_flag=flag, unit=unit)
    missing = sum(1 for e in tte.excluded if e.reason == f"{variable} missing")
    group = tte.strata[variable]
    levels = tuple(
        subgroup_result(tte, group == level, variable=variable, level=level, arm=arm,
                        reference=reference, profile=profile)
        for level in level_order(group))
    return SubgroupVariable(variable=variable, levels=levels, missing=missing,
                            interaction=interaction_test(tte, variable, levels,
                                                         reference=reference, profile=profile),
                            label=label or data.variable_label(variable),
                            level_labels=dict(level_labels) if level_labels else None)


def analyze_subgroups(data: AdamData, *, paramcd: str, variables, profile: Profile | str =
                      DEFAULT_PROFILE, conf_level: float | None = None,
                      reference: str | None = None, population_flag: str | None = None,
                      time_unit: str = "months", endpoint_label: str | None = None,
                      variable_labels=None, level_labels=None,
                      reference_rule: str = RULE_GIVEN) -> SubgroupsDocument:
    """Hazard ratios of the experimental arm in "All patients" and in every subgroup.

    Parameters
    ----------
    data : AdamData
        Validated ADaM data with two arms.
    paramcd : str
        ADTTE parameter (e.g. ``"PFS"``).
    variables : sequence of str
        ADSL variables defining the subgroups (baseline covariates, strata).
    profile, conf_level, reference, population_flag, time_unit, reference_rule
        As :func:`netter.endpoints.trial.analyze_trial`.
    endpoint_label : str, optional
        Name of the endpoint (default: ADTTE ``PARAM``).
    variable_labels, level_labels : mapping, optional
        Labels by variable (``{"SEX": "Sex"}``) and of each variable's levels
        (``{"SEX": {"F": "Female"}}``); variables without one take their ADaM label.

    Returns
    -------
    SubgroupsDocument

    Raises
    ------
    NetterError
        Not two arms, unknown variable, parameter or reference arm.
    """
    prof = profile_with_level(profile, conf_level)
    variables = variable_names(variables)
    flag = variable_names([population_flag] if population_flag else [])
    flag = flag[0] if flag else None
    missing = [v for v in (*variables, *([flag] if flag else [])) if v not in data.adsl.columns]
    if missing:
        raise NetterError(f"ADSL has no variable {', '.join(missing)} "
                          f"(it has {', '.join(map(str, data.adsl.columns))})")
    arms = tuple(sorted(data.adsl[data.arm_var].dropna().astype(str).unique()))
    ref, _ = choose_reference(arms, reference)
    if len(arms) != 2:
        raise NetterError(f"subgroup analyses compare two arms; the trial has {len(arms)}")
    arm = next(a for a in arms if a != ref)
    available = sorted(set(data.adtte["PARAMCD"].astype(str)))
    if paramcd not in available:
        raise NetterError(f"ADTTE has no PARAMCD {paramcd}; it has {', '.join(available)}")
    tte = derive_tte(data.adsl, data.adtte, paramcd=paramcd, arm_var=data.arm_var,
                     population_flag=flag, unit=time_unit)
    overall = subgroup_result(tte, np.ones(tte.time.size, bool), variable=None,
                              level=ALL_PATIENTS, arm=arm, reference=ref, profile=prof)
    variable_labels, level_labels = dict(variable_labels or {}), dict(level_labels or {})
    by_variable = tuple(subgroup_variable(data, v, paramcd=paramcd, arm=arm, reference=ref,
                                          profile=prof, flag=flag, unit=time_unit,
                                          label=variable_labels.get(v),
                                          level_labels=level_labels.get(v))
                        for v in variables)
    return SubgroupsDocument(
        schema=SCHEMA, generator=f"netter {__version__}", profile=prof.name,
        methods=methods_record(prof, reference_rule), time_unit=time_unit, paramcd=paramcd,
        label=endpoint_label or param_label(data.adtte, paramcd), arm_var=data.arm_var,
        arm=arm, reference_arm=ref, population_flag=flag, inputs=input_files(data),
        overall=overall, variables=by_variable)

