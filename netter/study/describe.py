"""``netter study show``: what a study declares, in words (and the plan of one analysis).

Examples
--------
>>> from netter.study.model import AnalysisDef, ArmDef, CutoffDef, Study
>>> study = Study(id="demo", title="A demonstration", path=None, arm_var="TRT01P",
...               arms=(ArmDef("B", "Drug B"), ArmDef("A", "Placebo")), reference="A",
...               cutoffs=(CutoffDef("final", "2024-01-31"),),
...               analyses=(AnalysisDef("os", "final", ("OS",), landmarks=(12.0,)),))
>>> print(analysis_plan(study, study.analyses[0]).replace("; ", ";\\n"))
os: time-to-event endpoints OS at cut-off final (2024-01-31);
Kaplan-Meier, log-rank test, Cox model, proportional-hazards test;
landmarks 12 months;
no strata;
profile r
"""

from __future__ import annotations

from netter.study.model import (
    CROSSOVER,
    DESCRIBE,
    EXTRAPOLATION,
    SUBGROUPS,
    AnalysisDef,
    Study,
)


def _list(items) -> str:
    return ", ".join(str(i) for i in items) or "none"


def _times(values, unit: str) -> str:
    return ", ".join(f"{v:g}" for v in values) + f" {unit}"


def analysis_heading(study: Study, analysis: AnalysisDef) -> str:
    """A heading for an analysis: ``"<study name>: <analysis title or name>"``.

    Examples
    --------
    >>> from netter.study.model import AnalysisDef, Study
    >>> study = Study(id="demo", title="Demo", path=None, arm_var="A", arms=(),
    ...               reference=None, cutoffs=(), name="DEMO-1")
    >>> analysis_heading(study, AnalysisDef("os", "final", ("OS",), title="Overall survival"))
    'DEMO-1: Overall survival'
    """
    return f"{study.display_name}: {analysis.title or analysis.name}"


def analysis_plan(study: Study, analysis: AnalysisDef) -> str:
    """One line: what the analysis does, at which cut-off, with which options."""
    cut = study.cutoff(analysis.cutoff)
    when = f"cut-off {cut.name}" + (f" ({cut.date})" if cut.date else "")
    if analysis.kind == DESCRIBE:
        return f"{analysis.name}: description of {_list(analysis.describe)} by arm at {when}"
    if analysis.kind == EXTRAPOLATION:
        ex = analysis.extrapolation
        dists = ", ".join(ex.distributions) if ex.distributions else "every distribution"
        extra = [f"horizon {ex.horizon_years:g} years", "with the arm as covariate too"
                 if ex.joint else "per arm"]
        if ex.psm is not None:
            extra.append(f"partitioned survival from {ex.psm[0]} ({ex.psm[2]}) and "
                         f"{ex.psm[1]} ({ex.psm[3]})")
        return (f"{analysis.name}: parametric fits of {_list(analysis.endpoints)} ({dists}) "
                f"and extrapolation at {when}; " + "; ".join(extra) +
                f"; profile {study.profile}")
    if analysis.kind == CROSSOVER:
        xo = analysis.crossover
        methods = xo.methods or ("rpsftm", "ipcw", "tse", "censor", "exclude")
        covariates = study.strata if xo.covariates is None else xo.covariates
        extra = [f"covariates {_list(covariates)}" if covariates else "no covariates",
                 f"stratified by {_list(xo.strata)}" if xo.strata else "no strata",
                 f"RPSFTM by the {xo.rpsftm_test} test, "
                 + ("re-censored" if xo.recensor else "not re-censored"),
                 f"two-stage AFT {xo.tse_distribution}",
                 f"bootstrap {xo.bootstrap} (seed {xo.seed})" if xo.bootstrap else
                 "no bootstrap", f"profile {study.profile}"]
        return (f"{analysis.name}: {analysis.endpoints[0]} hazard ratio adjusted for "
                f"crossover ({', '.join(methods)}) at {when}; " + "; ".join(extra))
    if analysis.kind == SUBGROUPS:
        return (f"{analysis.name}: hazard ratios of {analysis.endpoints[0]} by subgroup of "
                f"{_list(analysis.subgroups)} at {when} (Cox per level, interaction tests); "
                f"profile {study.profile}")
    parts = [f"{analysis.name}: time-to-event endpoints {_list(analysis.endpoints)} at {when}"
             if analysis.endpoints else f"{analysis.name}: at {when}"]
    if analysis.endpoints:
        parts.append("Kaplan-Meier, log-rank test, Cox model, proportional-hazards test"
                     + "".join(f", {m}" for m in analysis.comparisons))
    if analysis.landmarks:
        parts.append(f"landmarks {_times(analysis.landmarks, study.time_unit)}")
    if analysis.rmst_tau is not None:
        parts.append(f"RMST to {_times([analysis.rmst_tau], study.time_unit)}")
    strata = study.analysis_strata(analysis)
    parts.append(f"stratified by {_list(strata)}" if strata else "no strata")
    if analysis.response:
        parts.append("tumour response (RECIST 1.1 best overall response, ORR, DCR)")
    parts.append(f"profile {study.profile}")
    return "; ".join(parts)


def describe_study(study: Study) -> str:
    """Every declaration of ``study`` as plain text (what ``netter study show`` prints).

    Examples
    --------
    >>> from netter.study.model import ArmDef, CutoffDef
    >>> demo = Study(id="demo", title="Demo trial", path=None, arm_var="TRT01P",
    ...              arms=(ArmDef("B", "Drug B"), ArmDef("A", "Placebo")), reference="A",
    ...              cutoffs=(CutoffDef("final", None),))
    >>> print(describe_study(demo).splitlines()[0])
    demo (None): Demo trial
    """
    lines = [f"{study.id} ({study.path}): {study.title}",
             f"  arm variable {study.arm_var}; arms in display order:"]
    for arm in study.arms:
        mark = "  (reference)" if arm.value == study.reference else ""
        label = "" if arm.label == arm.value else f" -> {arm.label!r}"
        lines.append(f"    {arm.value!r}{label}{mark}")
    lines.append(f"  profile {study.profile}; times in {study.time_unit}; numbers at risk "
                 + (f"every {study.risk_step:g} {study.time_unit}" if study.risk_step
                    else "at steps chosen from the follow-up"))
    lines.append(f"  population: {study.population_flag or 'every subject of ADSL'}")
    lines.append(f"  strata: {_list(study.strata)}; baseline variables: {_list(study.baseline)}")
    for paramcd, ep in study.endpoints.items():
        lines.append(f"  endpoint {paramcd}: {ep.label or paramcd}"
                     + (f", from {ep.origin}" if ep.origin else ""))
    lines.append("  cut-offs: " + _list(f"{c.name} ({c.date or 'date not given'})"
                                        for c in study.cutoffs))
    lines.append(f"  data: {study.data or 'not set (give --data / DATA=)'}")
    lines.append(f"  analyses ({len(study.analyses)}):")
    lines += [f"    {analysis_plan(study, a)}" for a in study.analyses]
    for notebook in study.notebooks:
        lines.append(f"  notebook {notebook.script}: saves {_list(notebook.analyses)}")
    for key in ("simulation", "published", "scorecard", "calibration"):
        value = getattr(study, key)
        lines.append(f"  {key}: {value if value is not None else 'none'}")
    return "\n".join(lines)
