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


def document_text(document) -> str:
    """The plain-text summary of any document netter writes."""
    if isinstance(document, SubgroupsDocument):
        return subgroups_text(document)
    if isinstance(document, BaselineDocument):
        return baseline_text(document)
    return summary_text(document)
