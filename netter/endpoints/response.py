"""Tumour response (RECIST 1.1 best overall response): ORR, DCR and arm comparisons.

The endpoint in three steps:

1. :func:`response_subjects`: one row per analysed subject (ITT: every ADSL subject,
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

import os
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from netter.adam import columns as col
from netter.adam.response import counted_assessments, derive_best_response
from netter.adam.tte import labels
from netter.errors import AdamError, NetterError
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
    table_2x2,
)

#: Responders are CR and PR; disease control adds SD.
RESPONDERS = ("CR", "PR")
DISEASE_CONTROL = ("CR", "PR", "SD")

#: ``method`` of the odds ratios.
OR_CONDITIONAL = "conditional MLE, exact conditional CI (R fisher.test)"
OR_MANTEL_HAENSZEL = "Mantel-Haenszel, Robins-Breslow-Greenland CI (R mantelhaen.test)"

#: Separator of the values of several stratification variables in a stratum label.
STRATUM_SEP = ", "


# --- per-subject BOR --------------------------------------------------------------------


def _population(adsl: pd.DataFrame, flag: str | None) -> pd.DataFrame:
    if flag is None:
        return adsl
    if flag not in adsl.columns:
        raise AdamError(f"ADSL: population flag {flag} is not a variable of ADSL")
    return adsl.loc[adsl[flag].astype(str).str.strip().str.upper().eq("Y")]


def recorded_bor(adrs: pd.DataFrame) -> pd.DataFrame | None:
    """ADRS ``PARAMCD = "BOR"`` as ``USUBJID``, ``BOR`` (upper case); ``None`` if absent.

    Raises
    ------
    AdamError
        A subject with more than one BOR record, or a value outside CR/PR/SD/PD/NE.

    Examples
    --------
    >>> adrs = pd.DataFrame({"USUBJID": ["A", "B"], "PARAMCD": ["BOR", "OVR"],
    ...                      "AVALC": ["pr", "SD"]})
    >>> recorded_bor(adrs).to_dict("records")
    [{'USUBJID': 'A', 'BOR': 'PR'}]
    """
    rows = adrs.loc[adrs[col.PARAMCD].astype(str).str.strip() == col.PARAM_BOR]
    if rows.empty:
        return None
    out = pd.DataFrame({col.USUBJID: rows[col.USUBJID].astype(str).to_numpy(),
                        "BOR": rows[col.AVALC].astype(str).str.strip().str.upper().to_numpy()})
    repeated = out.loc[out[col.USUBJID].duplicated(), col.USUBJID].unique().tolist()
    if repeated:
        raise AdamError(f"ADRS: more than one BOR record for USUBJID {', '.join(repeated[:5])}")
    bad = out.loc[~out["BOR"].isin(BOR_CATEGORIES)]
    if not bad.empty:
        first = bad.iloc[0]
        raise AdamError(f"ADRS: BOR = {first['BOR']!r} is not one of "
                        f"{', '.join(BOR_CATEGORIES)} (USUBJID {first[col.USUBJID]})")
    return out.sort_values(col.USUBJID, kind="stable").reset_index(drop=True)


def _derived(adsl: pd.DataFrame, adrs: pd.DataFrame, **rules) -> pd.DataFrame:
    if "RANDDT" not in adsl.columns:
        raise AdamError("ADSL has no RANDDT: the best overall response cannot be derived "
                        "from the OVR records (and ADRS has no BOR records)")
    out = derive_best_response(adsl, adrs, **rules)
    return out.assign(**{col.USUBJID: out[col.USUBJID].astype(str)})


def response_subjects(
    adsl: pd.DataFrame,
    adrs: pd.DataFrame,
    *,
    arm_var: str = col.DEFAULT_ARM_VAR,
    strata=(),
    population_flag: str | None = None,
    use_recorded: bool = True,
    confirm: bool = True,
    confirm_days: int = 28,
    sd_min_days: int = 42,
    cutoff: pd.Timestamp | None = None,
) -> tuple[pd.DataFrame, str]:
    """The analysed subjects with arm, strata and BOR, and where the BOR came from.

    Parameters
    ----------
    adsl, adrs : DataFrame
        Validated ADaM datasets (:func:`netter.adam.io.load_adam`).
    arm_var : str
        ADSL arm variable.
    strata : sequence of str
        ADSL stratification variables to carry (missing values stay missing).
    population_flag : str, optional
        ADSL flag (e.g. ``ITTFL``); only subjects with ``Y`` are analysed.
    use_recorded : bool
        Use ADRS ``PARAMCD = "BOR"`` when present (default); ``False`` always derives.
    confirm, confirm_days, sd_min_days, cutoff
        Derivation rules, passed to :func:`netter.adam.response.derive_best_response`.

    Returns
    -------
    tuple
        ``(frame, source)``: ``frame`` has ``USUBJID``, ``arm_var``, the strata and
        ``BOR`` (every analysed subject; ``NE`` when nothing qualifies or no record),
        sorted by ``USUBJID``; ``source`` is :data:`SOURCE_RECORDED` or
        :data:`SOURCE_DERIVED`.

    Examples
    --------
    >>> adsl = pd.DataFrame({"USUBJID": ["A", "B"], "TRT01P": ["x", "y"],
    ...                      "RANDDT": pd.to_datetime(["2015-01-01"] * 2)})
    >>> adrs = pd.DataFrame({"USUBJID": ["A", "A"], "PARAMCD": ["OVR", "OVR"],
    ...     "AVALC": ["PR", "PR"], "ADT": pd.to_datetime(["2015-03-26", "2015-06-18"])})
    >>> frame, source = response_subjects(adsl, adrs)
    >>> frame["BOR"].tolist(), source == SOURCE_DERIVED
    (['PR', 'NE'], True)
    """
    strata = tuple(strata)
    missing = [v for v in (arm_var, *strata) if v not in adsl.columns]
    if missing:
        raise AdamError(f"ADSL: variable(s) {', '.join(missing)} not found")
    population = _population(adsl, population_flag)
    base = population[list(dict.fromkeys([col.USUBJID, arm_var, *strata]))].copy()
    base[col.USUBJID] = base[col.USUBJID].astype(str)
    recorded = recorded_bor(adrs) if use_recorded else None
    if recorded is not None:
        bor, source = recorded, SOURCE_RECORDED
    else:
        bor = _derived(population, adrs, confirm=confirm, confirm_days=confirm_days,
                       sd_min_days=sd_min_days, cutoff=cutoff)[[col.USUBJID, "BOR"]]
        source = SOURCE_DERIVED
    frame = base.merge(bor, on=col.USUBJID, how="left", validate="one_to_one")
    frame["BOR"] = frame["BOR"].fillna("NE")
    return frame.sort_values(col.USUBJID, kind="stable").reset_index(drop=True), source


def check_bor(adsl: pd.DataFrame, adrs: pd.DataFrame, *, confirm: bool = True,
              confirm_days: int = 28, sd_min_days: int = 42,
              cutoff: pd.Timestamp | None = None) -> pd.DataFrame:
    """Subjects whose recorded BOR (ADRS ``PARAMCD = "BOR"``) differs from the rederived one.

    Every ADSL subject is checked; a subject without a BOR record counts as ``NE``,
    as in the analysis.

    Returns
    -------
    DataFrame
        ``USUBJID``, ``BOR_RECORDED``, ``BOR_DERIVED``, ``N_ASSESS`` (assessments the
        derivation counted), one row per disagreeing subject, sorted; empty when
        they all agree.

    Raises
    ------
    NetterError
        ADRS has no BOR records to check.

    Examples
    --------
    >>> adsl = pd.DataFrame({"USUBJID": ["A", "B"],
    ...                      "RANDDT": pd.to_datetime(["2015-01-01"] * 2)})
    >>> adrs = pd.DataFrame({"USUBJID": ["A", "A", "A", "B"],
    ...     "PARAMCD": ["OVR", "OVR", "BOR", "BOR"], "AVALC": ["PR", "PD", "PR", "NE"],
    ...     "ADT": pd.to_datetime(["2015-03-26", "2015-06-18", None, None])})
    >>> check_bor(adsl, adrs).to_dict("records")
    [{'USUBJID': 'A', 'BOR_RECORDED': 'PR', 'BOR_DERIVED': 'SD', 'N_ASSESS': 2}]
    """
    recorded = recorded_bor(adrs)
    if recorded is None:
        raise NetterError("ADRS has no BOR records (PARAMCD = 'BOR') to check")
    derived = _derived(adsl, adrs, confirm=confirm, confirm_days=confirm_days,
                       sd_min_days=sd_min_days, cutoff=cutoff)
    both = derived.merge(recorded.rename(columns={"BOR": "BOR_RECORDED"}), on=col.USUBJID,
                         how="left").rename(columns={"BOR": "BOR_DERIVED"})
    both["BOR_RECORDED"] = both["BOR_RECORDED"].fillna("NE")
    differ = both.loc[both["BOR_RECORDED"] != both["BOR_DERIVED"]]
    return differ[[col.USUBJID, "BOR_RECORDED", "BOR_DERIVED", "N_ASSESS"]].sort_values(
        col.USUBJID, kind="stable").reset_index(drop=True)


def _counted_assessments(adsl: pd.DataFrame, adrs: pd.DataFrame,
                         cutoff: pd.Timestamp | None) -> dict[str, str]:
    """Per subject, the OVR assessments the derivation counts, as ``day:AVALC`` text.

    The rules of :func:`netter.adam.response.derive_best_response`: after
    randomisation, on or before the cut-off, up to and including the first PD;
    the study day is ``ADT - RANDDT + 1``.
    """
    return {usubjid: " ".join(f"{d}:{v}" for d, v in zip(days, values, strict=True))
            for usubjid, (days, values) in counted_assessments(adsl, adrs, cutoff=cutoff).items()}


def bor_audit(adsl: pd.DataFrame, adrs: pd.DataFrame, *, arm_var: str = col.DEFAULT_ARM_VAR,
              confirm: bool = True, confirm_days: int = 28, sd_min_days: int = 42,
              cutoff: pd.Timestamp | None = None) -> pd.DataFrame:
    """The per-subject BOR derivation, one row per ADSL subject, for a reviewer.

    Columns: ``USUBJID``, the arm, ``RANDDT``, ``N_ASSESS`` (OVR assessments
    counted), ``ASSESSMENTS`` (those assessments as ``study-day:AVALC``, separated
    by spaces), ``BOR_DERIVED``, ``BOR_RECORDED`` (empty without ADRS BOR
    records), ``AGREE`` (``Y``/``N``, empty without records), ``RESPONDER`` and
    ``DISEASE_CONTROL`` (``Y``/``N``, from the BOR the analysis uses: the recorded
    one when ADRS has BOR records, as :func:`response_subjects`), and the rules
    applied (``CONFIRM``, ``CONFIRM_DAYS``, ``SD_MIN_DAYS``, ``CUTOFF``).

    Examples
    --------
    >>> adsl = pd.DataFrame({"USUBJID": ["A"], "TRT01P": ["x"],
    ...                      "RANDDT": pd.to_datetime(["2015-01-01"])})
    >>> adrs = pd.DataFrame({"USUBJID": ["A"] * 3, "PARAMCD": ["OVR"] * 3,
    ...     "AVALC": ["PR", "PR", "PD"],
    ...     "ADT": pd.to_datetime(["2015-03-26", "2015-06-18", "2015-09-10"])})
    >>> row = bor_audit(adsl, adrs).iloc[0]
    >>> row["ASSESSMENTS"], row["BOR_DERIVED"], row["RESPONDER"]
    ('85:PR 169:PR 253:PD', 'PR', 'Y')
    """
    if arm_var not in adsl.columns:
        raise AdamError(f"ADSL: variable {arm_var} not found")
    derived = _derived(adsl, adrs, confirm=confirm, confirm_days=confirm_days,
                       sd_min_days=sd_min_days, cutoff=cutoff)
    seq = _counted_assessments(adsl, adrs, cutoff)
    base = adsl[[col.USUBJID, arm_var, "RANDDT"]].assign(
        **{col.USUBJID: adsl[col.USUBJID].astype(str)})
    out = base.merge(derived.rename(columns={"BOR": "BOR_DERIVED"}), on=col.USUBJID,
                     how="left", validate="one_to_one")
    out["RANDDT"] = pd.to_datetime(out["RANDDT"]).dt.strftime("%Y-%m-%d")
    out["ASSESSMENTS"] = out[col.USUBJID].map(seq).fillna("")
    recorded = recorded_bor(adrs)
    if recorded is None:
        out["BOR_RECORDED"] = ""
        out["AGREE"] = ""
        used = out["BOR_DERIVED"]
    else:
        rec = out[col.USUBJID].map(recorded.set_index(col.USUBJID)["BOR"]).fillna("NE")
        out["BOR_RECORDED"] = rec
        out["AGREE"] = np.where(rec == out["BOR_DERIVED"], "Y", "N")
        used = rec
    out["RESPONDER"] = np.where(used.isin(RESPONDERS), "Y", "N")
    out["DISEASE_CONTROL"] = np.where(used.isin(DISEASE_CONTROL), "Y", "N")
    out["CONFIRM"] = "Y" if confirm else "N"
    out["CONFIRM_DAYS"] = int(confirm_days)
    out["SD_MIN_DAYS"] = int(sd_min_days)
    out["CUTOFF"] = "" if cutoff is None else pd.Timestamp(cutoff).strftime("%Y-%m-%d")
    columns = [col.USUBJID, arm_var, "RANDDT", "N_ASSESS", "ASSESSMENTS", "BOR_DERIVED",
               "BOR_RECORDED", "AGREE", "RESPONDER", "DISEASE_CONTROL", "CONFIRM",
               "CONFIRM_DAYS", "SD_MIN_DAYS", "CUTOFF"]
    return out[columns].sort_values(col.USUBJID, kind="stable").reset_index(drop=True)


def write_bor_audit_csv(path: str | os.PathLike, adsl: pd.DataFrame, adrs: pd.DataFrame,
                        **options) -> Path:
    """Write :func:`bor_audit` to ``path`` as CSV (UTF-8, no index); return the path.

    ``options`` are those of :func:`bor_audit`.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    bor_audit(adsl, adrs, **options).to_csv(target, index=False, encoding="utf-8")
    return target


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


def _odds_ratio(table: np.ndarray, level: float) -> tuple[OddsRatioResult, float]:
    f = fisher_exact(table, conf_level=level)
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
             cmh_correct: bool) -> ResponseComparison:
    responder = frame["BOR"].isin(RESPONDERS)
    a, r = frame[arm_var] == arm, frame[arm_var] == reference
    table = table_2x2(int((a & responder).sum()), int(a.sum()),
                      int((r & responder).sum()), int(r.sum()))
    d = risk_difference(table, conf_level=level, method=difference_method)
    odds_ratio, p_value = _odds_ratio(table, level)
    cmh = (_cmh(frame, arm_var, arm, reference, strata, cmh_correct, level) if strata
           else None)
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
                                 difference_method, cmh_correct) for a in others)
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
        difference_method=difference_method, cmh_correct=cmh_correct, bor_source=source)
    if source == SOURCE_DERIVED:
        result = replace(result, confirm_days=confirm_days, sd_min_days=sd_min_days)
    return result
