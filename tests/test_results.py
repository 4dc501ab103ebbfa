"""Results dataclasses <-> JSON: lossless round trip, canonical files, strict reading."""

from __future__ import annotations

import dataclasses
import json
import math

import pytest

from netter.artefacts import dumps, read_results, write_results
from netter.results import (
    SCHEMA,
    ArmCount,
    ArmResult,
    AtRisk,
    CoxResult,
    CurveResult,
    EndpointResult,
    EventCount,
    ExcludedSubject,
    InputFile,
    LandmarkResult,
    LogRankResult,
    Methods,
    PhTestResult,
    QuantileResult,
    ResultsDocument,
    ResultsFormatError,
    RmstDifferenceResult,
    RmstResult,
    from_json_dict,
    to_json_dict,
)


def quantile(q=0.5, estimate=8.4, ci=(5.8, None), reason=None):
    return QuantileResult(q, estimate, ci, reason)


def cox(strata=None) -> CoxResult:
    return CoxResult(
        arm="177Lu-DOTATATE", reference="Octreotide LAR 60 mg", hazard_ratio=0.21,
        ci=(0.13, 0.33), coef=math.log(0.21), se=0.25, p_value_wald=1e-10, p_value_lr=2e-11,
        p_value_score=3e-11, chisq_wald=40.0, chisq_lr=45.5, chisq_score=44.0, df=1,
        loglik_null=-300.0, loglik=-277.25, ties="efron", conf_level=0.95, n=229, events=91,
        converged=True, not_estimable_reason=None, strata=strata,
        strata_levels=None if strata is None else ("2, <=6 months", "2, >6 months"))


def endpoint(stratified: bool) -> EndpointResult:
    arm = ArmResult(
        arm="177Lu-DOTATATE", n=116, events=23, censored=93, last_time=31.2,
        median=quantile(), quartiles=(quantile(0.25, 3.0, (2.0, 4.5)), quantile(),
                                      quantile(0.75, None, (12.0, None), "not reached")),
        landmarks=(LandmarkResult(20.0, 0.65, 0.07, (0.5, 0.77), 40, None),
                   LandmarkResult(40.0, None, None, (None, None), 0, "after the last")),
        median_followup=quantile(estimate=14.0, ci=(12.0, 16.5)),
        rmst=RmstResult(24.0, 18.1, 0.6, (16.9, 19.3), False, None),
        curve=CurveResult(time=(0.5, 2.0, 31.2), n_risk=(116, 110, 1), n_event=(0, 2, 1),
                          n_censor=(5, 0, 0), survival=(1.0, 0.98, 0.0),
                          ci_lower=(1.0, 0.95, None), ci_upper=(1.0, 1.0, None),
                          conf_type="log", conf_level=0.95),
        risk_table=(AtRisk(0.0, 116), AtRisk(4.0, 90), AtRisk(28.0, 1)),
        event_types=(EventCount("Death", 3), EventCount("Disease progression", 20)),
        censor_types=(EventCount("Last adequate tumour assessment", 93),))
    logrank = LogRankResult(52.1, 1, 5e-13, (ArmCount("a", 116, 23, 47.25),), None)
    ph = PhTestResult(0.4, 1, 0.53, "km", "efron", None)
    extra = {}
    if stratified:
        strata = ("STRAT1R", "STRAT2R")
        extra = {"logrank_stratified": LogRankResult(50.0, 1, 1e-12, (), None, strata, ("x",)),
                 "cox_stratified": cox(strata),
                 "ph_test_stratified": PhTestResult(None, 0, None, "km", "efron", "singular",
                                                    strata)}
    return EndpointResult(
        paramcd="PFS", n=229, events=91, censored=138, arms=(arm,),
        median_followup=quantile(estimate=13.9), excluded=(ExcludedSubject("S9", "why"),),
        not_estimable_reason=None, logrank=logrank, cox=cox(), ph_test=ph,
        label="Progression-free survival",
        rmst_difference=RmstDifferenceResult(24.0, "a", "b", 8.0, 1.1, (5.8, 10.2), 1e-12,
                                             False, None), **extra)


def document(stratified: bool = True) -> ResultsDocument:
    return ResultsDocument(
        schema=SCHEMA, generator="netter 0.1.0", profile="r",
        methods=Methods("r", "log", 0.95, "efron", "midpoint", "greenwood", "km", "given"),
        time_unit="months", reference_arm="Octreotide LAR 60 mg", arm_var="TRT01P",
        strata=("STRAT1R", "STRAT2R") if stratified else (), population_flag="ITTFL",
        params=("PFS",), landmarks=(20.0, 40.0), rmst_tau=24.0,
        inputs={"adsl": InputFile("primary/adsl.csv", "0" * 64)},
        endpoints={"PFS": endpoint(stratified)})


@pytest.mark.parametrize("stratified", [True, False])
def test_round_trip_is_lossless(stratified):
    doc = document(stratified)
    data = to_json_dict(doc)
    assert from_json_dict(ResultsDocument, data) == doc
    assert from_json_dict(ResultsDocument, json.loads(dumps(doc))) == doc
    assert ("cox_stratified" in data["endpoints"]["PFS"]) is stratified


def test_curve_and_risk_table_keep_nulls_and_integers():
    arm = to_json_dict(document())["endpoints"]["PFS"]["arms"][0]
    assert arm["curve"]["ci_upper"] == [1.0, 1.0, None]
    assert arm["curve"]["n_risk"] == [116, 110, 1]
    assert arm["risk_table"][1] == {"time": 4.0, "n_risk": 90}
    assert arm["event_types"][0] == {"description": "Death", "count": 3}
    bare = dataclasses.replace(document().endpoints["PFS"].arms[0], curve=None,
                               risk_table=None, event_types=None, censor_types=None)
    assert not {"curve", "risk_table", "event_types", "censor_types"} & set(to_json_dict(bare))


def test_optional_sections_are_left_out_not_null():
    data = to_json_dict(document(stratified=False))["endpoints"]["PFS"]
    for key in ("logrank_stratified", "cox_stratified", "ph_test_stratified", "cox_by_arm"):
        assert key not in data
    assert "strata" not in data["cox"] and "strata" not in data["logrank"]
    assert data["arms"][0]["quartiles"][2]["estimate"] is None  # required fields stay as null


def test_canonical_text_sorted_keys_newline_and_floats():
    text = dumps(document())
    assert text.endswith("}\n") and not text.endswith("\n\n")
    data = json.loads(text)
    assert list(data) == sorted(data)
    assert dumps(from_json_dict(ResultsDocument, data)) == text
    assert '"tau": 24.0' in text and '"n": 116' in text  # floats stay floats, ints ints


def test_non_finite_numbers_are_refused():
    bad = quantile(estimate=float("nan"))
    with pytest.raises(ValueError, match="not finite"):
        to_json_dict(bad)
    data = to_json_dict(quantile())
    data["estimate"] = float("inf")
    with pytest.raises(ResultsFormatError, match="not finite"):
        from_json_dict(QuantileResult, data)


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d.update(schema="netter.results/0"), "schema is 'netter.results/0'"),
    (lambda d: d.update(extra=1), "unknown key"),
    (lambda d: d.pop("methods"), "missing key 'methods'"),
    (lambda d: d.update(time_unit=None), "null where a value is required"),
    (lambda d: d["endpoints"]["PFS"].update(n="229"), "expected int"),
    (lambda d: d["endpoints"]["PFS"].update(n=True), "expected int"),
    (lambda d: d["endpoints"]["PFS"]["cox"].update(ci=[0.1]), "expected 2 values"),
    (lambda d: d.update(landmarks=12.0), "expected a list"),
    (lambda d: d["endpoints"]["PFS"]["arms"][0]["curve"].update(n_risk=[1.5, 1, 1]),
     "expected int"),
    (lambda d: d["endpoints"]["PFS"]["arms"][0]["curve"].update(survival=[1.0, None, 0.0]),
     "null where a value is required"),
])
def test_malformed_documents_are_refused(change, message):
    data = to_json_dict(document())
    change(data)
    with pytest.raises(ResultsFormatError, match=message):
        from_json_dict(ResultsDocument, data)


def test_write_and_read_files(tmp_path):
    doc = document()
    path = write_results(doc, tmp_path / "results.json")
    first = path.read_bytes()
    assert read_results(path) == doc
    write_results(read_results(path), path)
    assert path.read_bytes() == first
    assert [p.name for p in tmp_path.iterdir()] == ["results.json"]  # no temporary left


def test_reading_refuses_nan_and_non_json(tmp_path):
    path = tmp_path / "r.json"
    path.write_text(dumps(document()).replace('"tau": 24.0', '"tau": NaN', 1))
    with pytest.raises(ResultsFormatError, match="NaN is not allowed"):
        read_results(path)
    path.write_text("not json")
    with pytest.raises(ResultsFormatError, match="cannot be read as JSON"):
        read_results(path)
