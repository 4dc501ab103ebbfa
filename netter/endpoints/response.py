"""Tumour response (RECIST 1.1 best overall response): ORR, DCR and arm comparisons.

The endpoint in three steps:

1. :func:`~netter.endpoints.bor.response_subjects` (module :mod:`netter.endpoints.bor`,
   names re-exported here): one row per analysed subject (ITT: every ADSL subject,
   or those with the population flag ``Y``) with arm, strata and best overall
   response.  The BOR is ADRS ``PARAMCD = "BOR"`` when ADRS has it (a subject
   without a record counts as ``NE``), otherwise it is derived from the visit-level
   ``OVR`` records by :func:`netter.adam.response.derive_best_response`.
   :func:`check_bor` rederives a recorded BOR and lists the subjects where the two
   disagree; :func:`bor_audit` / :func:`write_bor_audit_csv` write out the
   per-subject derivation for review.
2. :func:`analyze_response`: per arm, responders (CR + PR) / N with a Clopper-Pearson
   (default) or Wilson interval, the disease control rate (CR + PR + SD) and the
   counts of each BOR category; against the reference arm, the difference in ORR
   (Newcombe hybrid score interval by default, or Miettinen-Nurminen), the
   conditional maximum likelihood odds ratio with its exact interval and Fisher's
   exact p (R ``fisher.test``), and, when strata are named, the Cochran-Mantel-
   Haenszel test (R ``mantelhaen.test``; ``correct`` says whether the continuity
   correction was used) with the Mantel-Haenszel common odds ratio.
3. :meth:`ResponseResult.to_json_dict`: the ``"response"`` block of ``netter analyze``.

:func:`response_endpoint` runs steps 1 and 2 from ADSL and ADRS.

Conventions (as :mod:`netter.results`): not estimable or infinite = ``None`` (JSON
``null``) with a ``not_estimable_reason``; an interval is ``[lower, upper]``.  Odds
ratios are odds(arm) / odds(reference) and differences rate(arm) - rate(reference).

Examples
--------
>>> import pandas as pd
>>> subjects = pd.DataFrame({"USUBJID": [f"S{i}" for i in range(8)],
...                          "TRT01P": ["Lu"] * 4 + ["Oct"] * 4,
...                          "BOR": ["PR", "CR", "SD", "NE", "SD", "PD", "PD", "NE"]})
>>> result = analyze_response(subjects, reference="Oct")
>>> [(a.arm, a.responders, a.n, a.rate, a.bor_counts["SD"]) for a in result.arms]
[('Lu', 2, 4, 0.5, 1), ('Oct', 0, 4, 0.0, 1)]
>>> result.odds_ratio.estimate is None, result.odds_ratio.not_estimable_reason.split(":")[0]
(True, 'odds ratio infinite')
>>> sorted(result.to_json_dict())[:6]
['arm', 'arms', 'bor_source', 'cmh', 'conf_level', 'confirmed']
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from netter.adam import columns as col
from netter.adam.tte import labels
from netter.endpoints.bor import (  # noqa: F401  (re-exported)
    DISEASE_CONTROL,
    RESPONDERS,
    bor_audit,
    check_bor,
    recorded_bor,
    response_subjects,
    write_bor_audit_csv,
)
from netter.errors import NetterError
from netter.results.response import (  # noqa: F401  (re-exported)
    BOR_CATEGORIES,
    SOURCE_DERIVED,
    SOURCE_RECORDED,
    CmhResult,
    DifferenceResult,
    OddsRatioResult,
    RateResult,
    ResponseArmResult,
    ResponseComparison,
    ResponseResult,
)
from netter.stats.binomial import CI_METHODS, DEFAULT_CI_METHOD, binomial_ci, check_conf_level
from netter.stats.contingency import (
    DEFAULT_DIFFERENCE_METHOD,
    DIFFERENCE_METHODS,
    fisher_exact,
    mantel_haenszel,
    risk_difference,
    sample_odds_ratio,
    table_2x2,
)

#: ``method`` of the odds ratios.
OR_CONDITIONAL = "conditional MLE, exact conditional CI (R fisher.test)"
OR_MANTEL_HAENSZEL = "Mantel-Haenszel, Robins-Breslow-Greenland CI (R mantelhaen.test)"
OR_SAMPLE = "sample odds ratio ad/bc, Woolf (logit) CI (SAS PROC FREQ RELRISK)"

#: Separator of the values of several stratification variables in a stratum label.
STRATUM_SEP = ", "


# --- statistics -------------------------------------------------------------------------


def _arm_result(arm: str, bor: pd.Series, ci_method: str, level: float) -> ResponseArmResult:
    counts = {c: int((bor == c).sum()) for c in BOR_CATEGORIES}
    n = int(bor.size)
    responders = sum(counts[c] for c in RESPONDERS)
    orr = binomial_ci(responders, n, method=ci_method, conf_level=level)
    dcr = binomial_ci(sum(counts[c] for c in DISEASE_CONTROL), n, method=ci_method,
                      conf_level=level)
    reason = None if n else f"no subjects in arm {arm!r}"
    return ResponseArmResult(
        arm=arm, n=n, responders=responders, rate=orr.estimate, ci=orr.ci, ci_method=ci_method,
        bor_counts=counts, dcr=RateResult(dcr.estimate, dcr.ci, dcr.not_estimable_reason),
        not_estimable_reason=reason)


def _odds_ratio(table: np.ndarray, level: float, rule: str = "conditional",
                cmh: CmhResult | None = None) -> tuple[OddsRatioResult, float]:
    f = fisher_exact(table, conf_level=level)
    if rule == "mh" and cmh is not None:
        return cmh.odds_ratio, f.p_value
    if rule in ("sample", "mh"):
        s = sample_odds_ratio(table, conf_level=level)
        return OddsRatioResult(s.estimate, s.ci, OR_SAMPLE, s.not_estimable_reason), f.p_value
    if rule != "conditional":
        raise NetterError(f"option odds_ratio: unknown value {rule!r}; allowed: conditional, "
                          "sample, mh")
    return OddsRatioResult(f.estimate, f.ci, OR_CONDITIONAL, f.not_estimable_reason), f.p_value


def _stratum_labels(frame: pd.DataFrame, strata: tuple[str, ...]) -> pd.Series:
    """One label per subject: the strata values (1.0 shown as 1) joined by ", "."""
    parts = pd.DataFrame({name: labels(frame[name]) for name in strata}, index=frame.index)
    return parts.agg(STRATUM_SEP.join, axis=1)


def _cmh(frame: pd.DataFrame, arm_var: str, arm: str, reference: str,
         strata: tuple[str, ...], correct: bool, level: float) -> CmhResult:
    values = frame[list(strata)]
    present = values.notna().all(axis=1) & values.astype(str).apply(
        lambda s: s.str.strip().ne("")).all(axis=1)
    pair = frame.loc[present & frame[arm_var].isin([arm, reference])]
    labels = _stratum_labels(pair, strata) if len(pair) else pd.Series([], dtype=str)
    levels = sorted(labels.unique().tolist())
    responder = pair["BOR"].isin(RESPONDERS)
    counts = []
    for level_ in levels:
        inside = labels == level_
        a = pair[arm_var] == arm
        r = pair[arm_var] == reference
        counts.append(table_2x2(int((inside & a & responder).sum()), int((inside & a).sum()),
                                int((inside & r & responder).sum()), int((inside & r).sum())))
    if not counts:
        reason = "no subject of the two arms has every stratification variable"
        return CmhResult(None, None, bool(correct), strata, 1, 0, (), (),
                         OddsRatioResult(None, (None, None), OR_MANTEL_HAENSZEL, reason), reason)
    m = mantel_haenszel(np.stack(counts), correct=correct, conf_level=level)
    dropped = tuple(levels[k] for k in m.dropped_strata)
    used = tuple(lv for lv in levels if lv not in dropped)
    mh_or = OddsRatioResult(m.odds_ratio, m.ci, OR_MANTEL_HAENSZEL, m.odds_ratio_reason)
    return CmhResult(m.statistic, m.p_value, bool(correct), strata, 1, int(len(pair)), used,
                     dropped, mh_or, m.not_estimable_reason)


def _compare(frame: pd.DataFrame, arm_var: str, arm: str, reference: str,
             strata: tuple[str, ...], level: float, difference_method: str,
             cmh_correct: bool, odds_rule: str = "conditional") -> ResponseComparison:
    responder = frame["BOR"].isin(RESPONDERS)
    a, r = frame[arm_var] == arm, frame[arm_var] == reference
    table = table_2x2(int((a & responder).sum()), int(a.sum()),
                      int((r & responder).sum()), int(r.sum()))
    d = risk_difference(table, conf_level=level, method=difference_method)
    cmh = (_cmh(frame, arm_var, arm, reference, strata, cmh_correct, level) if strata
           else None)
    odds_ratio, p_value = _odds_ratio(table, level, odds_rule, cmh)
    return ResponseComparison(
        arm=arm, reference=reference,
        difference=DifferenceResult(d.estimate, d.ci, d.method, d.not_estimable_reason),
        odds_ratio=odds_ratio, fisher_p_value=p_value, cmh=cmh)


def analyze_response(
    subjects: pd.DataFrame,
    *,
    reference: str,
    arm_var: str = col.DEFAULT_ARM_VAR,
    arms=None,
    strata=(),
    confirmed: bool = True,
    conf_level: float = 0.95,
    ci_method: str = DEFAULT_CI_METHOD,
    difference_method: str = DEFAULT_DIFFERENCE_METHOD,
    cmh_correct: bool = False,
    odds_ratio: str = "conditional",
    bor_source: str = SOURCE_DERIVED,
) -> ResponseResult:
    """ORR and DCR per arm and the comparisons with the reference arm.

    Parameters
    ----------
    subjects : DataFrame
        One row per analysed subject (the ITT denominator) with ``arm_var``,
        ``BOR`` (CR, PR, SD, PD or NE) and the ``strata`` variables, e.g. the frame
        of :func:`response_subjects`.
    reference : str
        Reference arm (odds ratios are arm over reference).
    arm_var : str
        Arm column.
    arms : sequence of str, optional
        Every arm of the trial, in the order wanted (default: sorted arms of
        ``subjects``); an arm without subjects is reported with ``n = 0``.
    strata : sequence of str
        Stratification columns of the CMH test; none: ``cmh`` is ``None``.
        Subjects with a missing value are left out of the CMH test only.
    confirmed : bool
        Recorded in the result (the rule the BOR was derived with).
    conf_level : float
        Two-sided level of every interval.
    ci_method : str
        ``"clopper-pearson"`` (default) or ``"wilson"``.
    difference_method : str
        ``"newcombe"`` (default) or ``"miettinen-nurminen"``.
    cmh_correct : bool
        Continuity correction of the CMH test (R ``correct``); recorded as ``correct``.
    odds_ratio : str
        The profile option ``odds_ratio``: ``"conditional"`` (R ``fisher.test``),
        ``"sample"`` (ad/bc, Woolf CI: SAS PROC FREQ) or ``"mh"`` (the
        Mantel-Haenszel common odds ratio over ``strata``; ``"sample"`` without).
        ``fisher_p_value`` is Fisher's exact p in every case.
    bor_source : str
        Recorded in the result.

    Returns
    -------
    ResponseResult

    Raises
    ------
    NetterError
        Missing columns, an unknown BOR category, a reference that is not an arm,
        no other arm, an unknown method or a level outside (0, 1).
    """
    level = check_conf_level(conf_level)
    strata = tuple(strata)
    if ci_method not in CI_METHODS:
        raise NetterError(f"unknown CI method {ci_method!r}; choose one of "
                          f"{', '.join(CI_METHODS)}")
    if difference_method not in DIFFERENCE_METHODS:
        raise NetterError(f"unknown difference method {difference_method!r}; choose one of "
                          f"{', '.join(DIFFERENCE_METHODS)}")
    missing = [v for v in (arm_var, "BOR", *strata) if v not in subjects.columns]
    if missing:
        raise NetterError(f"the response subjects have no column {', '.join(missing)}")
    frame = subjects.assign(**{arm_var: labels(subjects[arm_var]),
                               "BOR": subjects["BOR"].astype(str).str.strip().str.upper()})
    bad = sorted(set(frame["BOR"]) - set(BOR_CATEGORIES))
    if bad:
        raise NetterError(f"BOR value(s) {', '.join(map(repr, bad))} are not one of "
                          f"{', '.join(BOR_CATEGORIES)}")
    arms = tuple(dict.fromkeys(str(a) for a in (sorted(frame[arm_var].unique()) if arms is None
                                                else arms)))
    unknown = sorted(set(frame[arm_var]) - set(arms))
    if unknown:
        raise NetterError(f"arm(s) {', '.join(map(repr, unknown))} are not among {arms}")
    reference = str(reference)
    if reference not in arms:
        raise NetterError(f"reference arm {reference!r} is not an arm; arms are "
                          f"{', '.join(map(repr, arms))}")
    others = tuple(a for a in arms if a != reference)
    if not others:
        raise NetterError(f"no arm to compare with the reference arm {reference!r}")
    arm_results = tuple(_arm_result(a, frame.loc[frame[arm_var] == a, "BOR"], ci_method, level)
                        for a in arms)
    comparisons = tuple(_compare(frame, arm_var, a, reference, strata, level,
                                 difference_method, cmh_correct, odds_ratio) for a in others)
    reason = None if len(frame) else "no subjects"
    two = len(comparisons) == 1
    first = comparisons[0]
    return ResponseResult(
        confirmed=bool(confirmed), arms=arm_results,
        difference=first.difference if two else None,
        odds_ratio=first.odds_ratio if two else None,
        fisher_p_value=first.fisher_p_value if two else None,
        cmh=first.cmh if two else None,
        conf_level=level, reference=reference, arm=first.arm if two else None,
        bor_source=bor_source, n=int(len(frame)), not_estimable_reason=reason,
        comparisons_by_arm=None if two else comparisons)


def response_endpoint(
    adsl: pd.DataFrame,
    adrs: pd.DataFrame,
    *,
    reference: str,
    arm_var: str = col.DEFAULT_ARM_VAR,
    arms=None,
    strata=(),
    population_flag: str | None = None,
    conf_level: float = 0.95,
    use_recorded: bool = True,
    confirm: bool = True,
    confirm_days: int = 28,
    sd_min_days: int = 42,
    cutoff: pd.Timestamp | None = None,
    ci_method: str = DEFAULT_CI_METHOD,
    difference_method: str = DEFAULT_DIFFERENCE_METHOD,
    cmh_correct: bool = False,
    odds_ratio: str = "conditional",
) -> ResponseResult:
    """The response endpoint from validated ADSL and ADRS: what ``netter analyze`` runs.

    :func:`response_subjects` then :func:`analyze_response`; see those for the
    parameters.

    Examples
    --------
    >>> adsl = pd.DataFrame({"USUBJID": list("ABCD"), "TRT01P": ["x", "x", "y", "y"]})
    >>> adrs = pd.DataFrame({"USUBJID": list("ABCD"), "PARAMCD": ["BOR"] * 4,
    ...                      "AVALC": ["PR", "SD", "PD", "NE"]})
    >>> r = response_endpoint(adsl, adrs, reference="y")
    >>> r.bor_source, [a.responders for a in r.arms], r.fisher_p_value
    ('ADRS PARAMCD=BOR', [1, 0], 1.0)
    """
    frame, source = response_subjects(
        adsl, adrs, arm_var=arm_var, strata=strata, population_flag=population_flag,
        use_recorded=use_recorded, confirm=confirm, confirm_days=confirm_days,
        sd_min_days=sd_min_days, cutoff=cutoff)
    result = analyze_response(
        frame, reference=reference, arm_var=arm_var, arms=arms, strata=strata,
        confirmed=confirm, conf_level=conf_level, ci_method=ci_method,
        difference_method=difference_method, cmh_correct=cmh_correct, bor_source=source,
        odds_ratio=odds_ratio)
    if source.startswith(SOURCE_DERIVED):
        result = replace(result, confirm_days=confirm_days, sd_min_days=sd_min_days)
    return result
