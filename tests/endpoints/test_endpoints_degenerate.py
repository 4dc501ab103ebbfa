"""Degenerate data gives ``None`` with a reason (never a traceback, never NaN)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from netter.adam.io import load_adam
from netter.adam.tte import derive_tte
from netter.artefacts import dumps
from netter.endpoints import analyze_trial, analyze_tte
from netter.errors import NetterError
from netter.results import EndpointResult, ResultsDocument, from_json_dict, to_json_dict

LU, OCT = "177Lu-DOTATATE", "Octreotide LAR 60 mg"


def write(folder: Path, rows: list[tuple], *, extra: dict | None = None) -> Path:
    """ADaM CSVs from ``(usubjid, arm, days, cnsr)`` rows; ``extra``: more ADSL columns."""
    folder.mkdir(parents=True, exist_ok=True)
    adsl = pd.DataFrame({"USUBJID": [r[0] for r in rows], "TRT01P": [r[1] for r in rows]})
    for name, values in (extra or {}).items():
        adsl[name] = values
    adtte = pd.DataFrame([(r[0], "PFS", r[2], r[3]) for r in rows if r[2] is not None],
                         columns=["USUBJID", "PARAMCD", "AVAL", "CNSR"])
    adsl.to_csv(folder / "adsl.csv", index=False)
    adtte.to_csv(folder / "adtte.csv", index=False)
    return folder


def run(folder: Path, **options) -> EndpointResult:
    """Analyse PFS; check the document serialises and round-trips; return the endpoint."""
    doc = analyze_trial(load_adam(folder), **{"reference": OCT, **options})
    text = dumps(doc)
    assert "NaN" not in text and "Infinity" not in text
    assert from_json_dict(ResultsDocument, json.loads(text)) == doc
    return doc.endpoints["PFS"]


def test_all_censored(tmp_path):
    rows = [(f"S{i}", (LU, OCT)[i % 2], 30 * i, 1) for i in range(1, 9)]
    ep = run(write(tmp_path, rows), landmarks=(0.5, 100.0), rmst_tau=3.0)
    assert ep.events == 0
    assert all(a.median.estimate is None and "not reached" in a.median.not_estimable_reason
               for a in ep.arms)
    assert ep.logrank.chisq is None and ep.logrank.not_estimable_reason == "no events"
    assert ep.cox.hazard_ratio is None and ep.cox.not_estimable_reason == "no events"
    assert ep.ph_test.chisq is None and ep.ph_test.not_estimable_reason
    assert ep.rmst_difference.estimate is not None and ep.rmst_difference.p_value is None
    assert ep.arms[0].landmarks[0].survival == 1.0
    past = ep.arms[0].landmarks[1]    # after the censored end: carried (R extend=TRUE)
    assert past.survival == 1.0 and past.carried and past.n_risk == 0


def test_arm_without_events(tmp_path):
    rows = [(f"S{i}", (LU, OCT)[i % 2], 30 * i, 1 if i % 2 == 0 else 0) for i in range(1, 11)]
    ep = run(write(tmp_path, rows))
    lu = next(a for a in ep.arms if a.arm == LU)
    assert lu.events == 0 and lu.median.estimate is None
    assert ep.logrank.chisq is not None
    assert ep.cox.hazard_ratio is None and "tends to 0" in ep.cox.not_estimable_reason
    assert ep.cox.p_value_score is not None  # the score test at beta = 0 still exists


def test_one_subject_in_the_population(tmp_path):
    rows = [("S1", LU, 30, 0), ("S2", OCT, 60, 0), ("S3", OCT, 90, 1)]
    ep = run(write(tmp_path, rows, extra={"ITTFL": ["Y", "N", "N"]}), population_flag="ittfl")
    assert ep.n == 1 and [a.arm for a in ep.arms] == [LU]
    assert [(e.usubjid, e.reason) for e in ep.excluded] == [
        ("S2", "ITTFL is not 'Y'"), ("S3", "ITTFL is not 'Y'")]
    assert ep.not_estimable_reason == (
        f"reference arm {OCT!r} has no subjects in the PFS analysis set")
    assert ep.cox.hazard_ratio is None and ep.cox.not_estimable_reason == ep.not_estimable_reason
    assert ep.logrank.chisq is None and ep.ph_test.chisq is None


def test_nobody_in_the_population(tmp_path):
    rows = [("S1", LU, 30, 0), ("S2", OCT, 60, 0)]
    ep = run(write(tmp_path, rows, extra={"ITTFL": ["N", "N"]}), population_flag="ITTFL",
             landmarks=(1.0,), rmst_tau=2.0)
    assert ep.n == 0 and ep.arms == () and len(ep.excluded) == 2
    assert ep.not_estimable_reason == "no subjects in the PFS analysis set"
    assert ep.median_followup.estimate is None
    assert ep.rmst_difference.estimate is None


def test_only_the_reference_arm_has_records(tmp_path):
    rows = [("S1", LU, None, None), ("S2", OCT, 60, 0), ("S3", OCT, 90, 0)]
    ep = run(write(tmp_path, rows))
    assert ep.not_estimable_reason == (
        "no arm other than the reference has subjects in the PFS analysis set")
    assert ep.cox.arm == LU and ep.cox.hazard_ratio is None
    assert [(e.usubjid, e.reason) for e in ep.excluded] == [("S1", "no PFS record in ADTTE")]


def test_missing_stratum_excluded_and_listed(tmp_path):
    rows = [(f"S{i}", (LU, OCT)[i % 2], 30 * i, int(i % 3 == 0)) for i in range(1, 13)]
    strata = ["a", "b", "", "a", "b", "a", "b", "a", "b", "a", "b", "a"]
    ep = run(write(tmp_path, rows, extra={"STRAT1R": strata}), strata=("strat1r",))
    assert [(e.usubjid, e.reason) for e in ep.excluded] == [("S3", "STRAT1R missing")]
    assert ep.n == 11 and ep.cox_stratified.strata == ("STRAT1R",)
    assert ep.cox_stratified.n == 11


def test_flat_median_is_noted(tmp_path):
    rows = [("S1", LU, 10, 0), ("S2", LU, 20, 0), ("S3", LU, 30, 1), ("S4", LU, 40, 0),
            ("S5", OCT, 10, 0), ("S6", OCT, 20, 0)]
    ep = run(write(tmp_path, rows))
    lu = next(a for a in ep.arms if a.arm == LU)
    assert lu.median.estimate == pytest.approx(30 / 30.4375)
    assert lu.median.note.startswith("S(t) = 0.5 exactly from 0.657")


def test_rmst_past_the_last_observation_is_flagged(tmp_path):
    rows = [(f"S{i}", (LU, OCT)[i % 2], 30 * i, 0) for i in range(1, 7)]
    ep = run(write(tmp_path, rows), rmst_tau=3.0)
    assert not any(a.rmst.extended for a in ep.arms) and not ep.rmst_difference.extended
    ep = run(write(tmp_path, rows), rmst_tau=12.0)  # past both arms' last observation
    assert all(a.rmst.extended for a in ep.arms) and ep.rmst_difference.extended
    lu = next(a for a in ep.arms if a.arm == LU)
    assert lu.rmst.estimate == pytest.approx((60 + 120 + 180) / 3 / 30.4375)  # mean of times


def test_analyze_tte_checks_its_arguments(tmp_path):
    rows = [("S1", LU, 30, 0), ("S2", OCT, 60, 0)]
    data = load_adam(write(tmp_path, rows))
    tte = derive_tte(data.adsl, data.adtte, paramcd="PFS")
    with pytest.raises(NetterError, match="landmark"):
        analyze_tte(tte, reference=OCT, landmarks=(-1,))
    with pytest.raises(NetterError, match="restriction time"):
        analyze_tte(tte, reference=OCT, rmst_tau=0)
    with pytest.raises(NetterError, match="STRAT1R"):
        analyze_tte(tte, reference=OCT, strata_names=("STRAT1R",))
    with pytest.raises(NetterError, match="no arm to compare"):
        analyze_tte(tte, reference=OCT, arms=(OCT,))
    result = analyze_tte(tte, reference=OCT, profile="sas")
    assert to_json_dict(result)["cox"]["ties"] == "breslow"


def test_curve_risk_table_and_types_without_descriptions(tmp_path):
    rows = [("S1", LU, 30, 0), ("S2", OCT, 60, 0), ("S3", OCT, 200, 1)]
    ep = run(write(tmp_path, rows), risk_step=4.0)  # ADTTE without EVNTDESC / CNSDTDSC
    oct_ = next(a for a in ep.arms if a.arm == OCT)
    assert oct_.event_types is None and oct_.censor_types is None
    assert [(r.time, r.n_risk) for r in oct_.risk_table] == [(0.0, 2), (4.0, 1)]
    # without a step, one from the follow-up (6.6 months: every month)
    steps = [r.time for r in next(a for a in run(write(tmp_path, rows)).arms).risk_table]
    assert steps == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    assert oct_.curve.survival == (0.5, 0.5) and oct_.curve.ci_upper[-1] is not None
    data = load_adam(write(tmp_path, rows))
    tte = derive_tte(data.adsl, data.adtte, paramcd="PFS")
    with pytest.raises(NetterError, match="risk-table step"):
        analyze_tte(tte, reference=OCT, risk_step=0)
    blank = analyze_tte(tte, reference=OCT, event_types=["Death", None, None],
                        censor_types=[None, None, ""], risk_step=1.0)
    lu = next(a for a in blank.arms if a.arm == LU)
    assert [(e.description, e.count) for e in lu.event_types] == [("Death", 1)]
    assert [(e.description, e.count) for e in blank.arms[1].censor_types] == [
        ("censoring not described", 1)]
    assert len(lu.risk_table) == 7  # 0 .. 6 months (last observation 200 days)
