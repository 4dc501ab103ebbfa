"""A short plain-text summary of a results document, as ``netter analyze`` prints it.

Numbers are rounded for reading only; the JSON document holds them at full precision.

Examples
--------
>>> from netter.results import QuantileResult
>>> _estimate(QuantileResult(0.5, 8.44, (5.81, None), None))
'8.4 (5.8, NR)'
"""

from __future__ import annotations

from netter.results import (
    BaselineDocument,
    CoxResult,
    CrossoverDocument,
    EndpointResult,
    LogRankResult,
    QuantileResult,
    ResponseResult,
    ResultsDocument,
    SubgroupsDocument,
)


def _num(value: float | None, digits: int = 1, missing: str = "NR") -> str:
    return missing if value is None else f"{value:.{digits}f}"


def _estimate(q: QuantileResult) -> str:
    if q.estimate is None:
        return "NR"
    return f"{_num(q.estimate)} ({_num(q.ci[0])}, {_num(q.ci[1])})"


def _p(value: float | None) -> str:
    if value is None:
        return "NA"
    return "<0.0001" if value < 1e-4 else f"{value:.4f}"


def _cox_line(name: str, cox: CoxResult) -> str:
    if cox.hazard_ratio is None:
        return f"  {name}: HR not estimable ({cox.not_estimable_reason})"
    lo, hi = (_num(v, 3, "NA") for v in cox.ci)
    level = f"{100 * cox.conf_level:g}%"
    return (f"  {name}: HR {cox.arm} vs {cox.reference} {cox.hazard_ratio:.3f} "
            f"({level} CI {lo}-{hi}), Wald p {_p(cox.p_value_wald)}, ties {cox.ties}")


def _logrank_line(name: str, test: LogRankResult) -> str:
    if test.chisq is None:
        return f"  {name}: not estimable ({test.not_estimable_reason})"
    return f"  {name}: chisq {test.chisq:.3f}, df {test.df}, p {_p(test.p_value)}"


def endpoint_lines(paramcd: str, ep: EndpointResult) -> list[str]:
    """Lines describing one endpoint: arms, then the comparisons.

    Examples
    --------
    >>> import numpy as np
    >>> from netter.adam.tte import TteData
    >>> from netter.endpoints import analyze_tte
    >>> tte = TteData("OS", np.array(list("ABCDEF")), np.array(["x", "y"] * 3),
    ...               np.array([1.0, 2, 3, 4, 5, 6]), np.array([1, 1, 0, 1, 1, 1], bool),
    ...               {}, ("x", "y"), ())
    >>> print("\\n".join(endpoint_lines("OS", analyze_tte(tte, reference="y"))))
    OS: 6 subjects, 5 events, 0 excluded
      x: n 3, events 2, median (months) 5.0 (1.0, NR)
      y: n 3, events 3, median (months) 4.0 (2.0, NR)
      log-rank: chisq 0.074, df 1, p 0.7857
      Cox: HR x vs y 1.315 (95% CI 0.181-9.534), Wald p 0.7863, ties efron
    """
    lines = [f"{paramcd}{f' ({ep.label})' if ep.label else ''}: {ep.n} subjects, "
             f"{ep.events} events, {len(ep.excluded)} excluded"]
    for arm in ep.arms:
        lines.append(f"  {arm.arm}: n {arm.n}, events {arm.events}, median (months) "
                     f"{_estimate(arm.median)}")
    lines.append(_logrank_line("log-rank", ep.logrank))
    if ep.logrank_stratified is not None:
        lines.append(_logrank_line("stratified log-rank", ep.logrank_stratified))
    lines.append(_cox_line("Cox", ep.cox))
    if ep.cox_stratified is not None:
        lines.append(_cox_line("stratified Cox", ep.cox_stratified))
    return lines


def summary_text(document: ResultsDocument) -> str:
    """A few lines per endpoint: medians per arm, log-rank tests, hazard ratios.

    Returns
    -------
    str
        A header line (profile, reference arm, strata) and :func:`endpoint_lines`
        per endpoint, sorted by ``PARAMCD``; no trailing newline.
    """
    strata = ", ".join(document.strata) or "none"
    lines = [f"profile {document.profile}; reference arm {document.reference_arm}; "
             f"strata {strata}; times in {document.time_unit}"]
    for item, reason in sorted((getattr(document, "not_computable", None) or {}).items()):
        lines.append(f"{item}: not computable: {reason}")
    for paramcd, ep in sorted(document.endpoints.items()):
        lines += endpoint_lines(paramcd, ep)
    if document.response is not None:
        lines += response_lines(document.response)
    return "\n".join(lines)


def _rate(rate: float | None, ci) -> str:
    if rate is None:
        return "NE"
    lo, hi = (_num(None if v is None else 100 * v, 1, "NE") for v in ci)
    return f"{100 * rate:.1f}% ({lo}, {hi})"


def response_lines(response: ResponseResult) -> list[str]:
    """Lines describing the response endpoint: ORR and DCR per arm, then the tests.

    Examples
    --------
    >>> import pandas as pd
    >>> from netter.endpoints.response import analyze_response
    >>> subjects = pd.DataFrame({"USUBJID": list("ABCDEF"), "TRT01P": ["x"] * 3 + ["y"] * 3,
    ...                          "BOR": ["PR", "SD", "PD", "PD", "SD", "NE"]})
    >>> print("\\n".join(response_lines(analyze_response(subjects, reference="y"))))
    Response (confirmed BOR, derived from ADRS PARAMCD=OVR (netter.adam.response)): 6 subjects
      x: ORR 1/3 33.3% (0.8, 90.6), DCR 66.7% (9.4, 99.2)
      y: ORR 0/3 0.0% (0.0, 70.8), DCR 33.3% (0.8, 90.6)
      Fisher exact p 1.0000
    """
    kind = "confirmed" if response.confirmed else "unconfirmed"
    lines = [f"Response ({kind} BOR, {response.bor_source}): {response.n} subjects"]
    for arm in response.arms:
        lines.append(f"  {arm.arm}: ORR {arm.responders}/{arm.n} {_rate(arm.rate, arm.ci)}, "
                     f"DCR {_rate(arm.dcr.rate, arm.dcr.ci)}")
    if response.fisher_p_value is not None:
        lines.append(f"  Fisher exact p {_p(response.fisher_p_value)}")
    if response.cmh is not None and response.cmh.p_value is not None:
        correction = "with" if response.cmh.correct else "without"
        lines.append(f"  CMH ({', '.join(response.cmh.strata)}; {correction} continuity "
                     f"correction): chisq {response.cmh.statistic:.3f}, "
                     f"p {_p(response.cmh.p_value)}")
    return lines


def subgroups_text(document: SubgroupsDocument) -> str:
    """Hazard ratio of each subgroup, and the interaction test of each variable.

    Examples
    --------
    >>> from netter.tables.specimen import specimen_subgroups
    >>> print(subgroups_text(specimen_subgroups()).splitlines()[0])
    PFS: hazard ratio of Drug A vs Control by subgroup (profile r)
    """
    lines = [f"{document.paramcd}: hazard ratio of {document.arm} vs {document.reference_arm} "
             f"by subgroup (profile {document.profile})"]

    def hr(result) -> str:
        if result.hazard_ratio is None:
            return f"not estimable ({result.not_estimable_reason})"
        lo, hi = (_num(v, 3, "NA") for v in result.ci)
        return f"{result.hazard_ratio:.3f} ({lo}-{hi})"

    o = document.overall
    lines.append(f"  All patients: n {o.n}, events {o.events}, HR {hr(o)}")
    for var in document.variables:
        test = var.interaction
        p = _p(test.p_value) if test.p_value is not None else f"NA ({test.not_estimable_reason})"
        lines.append(f"  {var.label or var.variable} (interaction p {p})")
        for level in var.levels:
            lines.append(f"    {level.level}: n {level.n}, events {level.events}, HR {hr(level)}")
    return "\n".join(lines)


def baseline_text(document: BaselineDocument) -> str:
    """Subjects per arm, and the variables described.

    Examples
    --------
    >>> import pandas as pd
    >>> from netter.endpoints.baseline import describe_baseline
    >>> adsl = pd.DataFrame({"USUBJID": list("abc"), "TRT01P": list("XYY"), "SEX": list("FMF")})
    >>> print(baseline_text(describe_baseline(adsl, variables=["SEX"])))
    X: 1, Y: 2, Total: 3 subjects; variables described: SEX
    """
    groups = ", ".join(f"{g.arm}: {g.n}" for g in document.groups)
    names = ", ".join(v.variable for v in document.variables) or "none"
    return f"{groups} subjects; variables described: {names}"


def crossover_text(document: CrossoverDocument) -> str:
    """The comparison and switchers, then one line per method: HR (CI) or why not.

    Examples
    --------
    >>> from netter.tables.specimen import specimen_crossover
    >>> print(crossover_text(specimen_crossover()))  # doctest: +NORMALIZE_WHITESPACE
    OS: hazard ratio of Drug A vs Control adjusted for switching (profile r); 4 of 10
    patients of Control switched
      ITT: HR 0.440 (0.080-2.400), log-rank p 0.3300
      RPSFTM, re-censored: HR 0.380 (0.050-2.710)
      RPSFTM, not re-censored: HR 0.350 (0.040-2.900)
      IPCW: HR 0.360 (0.060-2.100)
      Two-stage estimation: not estimable (no progression times (the progression
      parameter is missing))
      Switchers censored at switch (naive): HR 0.310 (0.050-1.900)
      Switchers excluded (naive): HR 0.250 (0.040-1.600)
    """
    from netter.results.crossover import METHODS

    lines = [f"{document.param}: hazard ratio of {document.experimental} vs "
             f"{document.reference} adjusted for switching (profile "
             f"{document.settings.profile}); {document.n_switchers} of "
             f"{document.n.get(document.reference, 0)} patients of {document.reference} "
             "switched"]

    def hr(result, reason) -> str:
        if result is None or result.estimate is None:
            return f"not estimable ({reason or 'no hazard ratio'})"
        lo, hi = (_num(v, 3, "NA") for v in result.ci)
        return f"HR {result.estimate:.3f} ({lo}-{hi})"

    itt = document.itt
    why = itt.hazard_ratio.ci_method.removeprefix("not estimable: ")
    lines.append(f"  ITT: {hr(itt.hazard_ratio, why)}, log-rank p "
                 f"{_p(itt.p_value_logrank)}")
    for key in METHODS:
        result = getattr(document.methods, key, None)
        if result is not None:
            lines.append(f"  {result.label}: "
                         f"{hr(result.hazard_ratio, result.not_estimable_reason)}")
    return "\n".join(lines)


def extrapolation_text(document) -> str:
    """Per endpoint and arm: the best model by AIC and the restricted means to the horizon
    of every model (best first); the joint models' best; partitioned survival.

    Examples
    --------
    >>> from netter.tables.specimen import specimen_extrapolation
    >>> print(extrapolation_text(specimen_extrapolation()))  # doctest: +NORMALIZE_WHITESPACE
    parametric survival to 120 months (profile r); reference arm Control
    OS (Overall survival):
      Drug A: n 10, events 6; best by AIC Weibull (AIC 60.2); restricted mean (months):
      Weibull 36.0 / Exponential 38.2
      Control: n 10, events 8; best by AIC Exponential (AIC 66.0); restricted mean
      (months): Exponential 20.1 / Weibull 21.7
      joint: best by AIC Exponential (AIC 126.9)
    PFS (Progression-free survival):
      Drug A: n 10, events 4; best by AIC Weibull (AIC 40.0); restricted mean (months):
      Weibull 16.5
      Control: n 10, events 7; best by AIC Weibull (AIC 40.0); restricted mean (months):
      Weibull 9.5
    partitioned survival (PFS, OS): Drug A: progression-free 16.0, progressed 20.5,
    dead 83.5; Control: progression-free 9.0, progressed 11.5, dead 99.5
    """
    from netter.tables.extrapolation import arm_order, ranked

    s = document.settings
    unit = s.time_unit
    lines = [f"parametric survival to {s.horizon:g} {unit} (profile {s.profile}); "
             f"reference arm {document.reference}"]
    for item, reason in sorted((getattr(document, "not_computable", None) or {}).items()):
        lines.append(f"{item}: not computable: {reason}")
    for param, ep in sorted(document.endpoints.items()):
        lines.append(f"{param}{f' ({ep.label})' if ep.label else ''}:")
        for arm in arm_order(document):
            a = ep.arms.get(arm)
            if a is None:
                continue
            models = ranked(a.models)
            if not models:
                lines.append(f"  {arm}: n {a.n}, events {a.events}; no model fitted")
                continue
            best = models[0][1].fit
            means = " / ".join(f"{m.fit.label} {_num(m.prediction.restricted_mean)}"
                              for _, m in models)
            lines.append(f"  {arm}: n {a.n}, events {a.events}; best by AIC {best.label} "
                         f"(AIC {best.aic:.1f}); restricted mean ({unit}): {means}")
        if ep.joint:
            best = ranked(ep.joint)[0][1].fit
            lines.append(f"  joint: best by AIC {best.label} (AIC {best.aic:.1f})")
    psm = getattr(document, "partitioned_survival", None)
    if psm is not None:
        arms = "; ".join(
            f"{arm}: progression-free {_num(o.mean_progression_free)}, progressed "
            f"{_num(o.mean_progressed)}, dead {_num(o.mean_dead)}"
            for arm in arm_order(document) if (o := psm.arms.get(arm)) is not None)
        lines.append(f"partitioned survival ({psm.pfs_param}, {psm.os_param}): {arms}")
    return "\n".join(lines)


def document_text(document) -> str:
    """The plain-text summary of any document netter writes."""
    if getattr(document, "schema", None) == "netter.extrapolation/1":
        return extrapolation_text(document)
    if isinstance(document, CrossoverDocument):
        return crossover_text(document)
    if isinstance(document, SubgroupsDocument):
        return subgroups_text(document)
    if isinstance(document, BaselineDocument):
        return baseline_text(document)
    return summary_text(document)
