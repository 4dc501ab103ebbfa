"""The tumour-response endpoint: R references end to end, JSON shape, edge cases, BOR audit.

Subject-level data are built from the R reference inputs
(tests/reference/response/inputs/strata.csv), so every number of a
:class:`ResponseResult` is compared with R (tests/reference/response.R) at 1e-8.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from netter.adam.io import load_adam
from netter.adam.response import derive_best_response
from netter.endpoints.response import (
    OR_CONDITIONAL,
    OR_MANTEL_HAENSZEL,
    SOURCE_DERIVED,
    SOURCE_RECORDED,
    ResponseResult,
    analyze_response,
    bor_audit,
    check_bor,
    response_endpoint,
    response_subjects,
    write_bor_audit_csv,
)
from netter.errors import AdamError, NetterError
from netter.stats.binomial import clopper_pearson
from netter.stats.contingency import fisher_exact, table_2x2
from tests.netter1 import ARM, REF, published_record
from tests.netter1 import STRATA as STRATA_VARS
from tests.reference_values import close as _close
from tests.reference_values import load_long, r_value

ROOT = Path(__file__).parents[2]
REFERENCE = ROOT / "tests" / "reference" / "response"
PRIMARY = ROOT / "data" / "synthetic" / "netter1" / "primary"
RTOL = 1e-8


def close(actual, expected: float) -> bool:
    """``actual`` equals the R value to ``RTOL`` relative (None = not finite)."""
    return _close(actual, expected, RTOL)


RANDDT = pd.Timestamp("2015-01-01")








TABLES = load_long("tables")
STRATA = load_long("strata")
BINOMIAL = pd.read_csv(REFERENCE / "binomial.csv", dtype={"lower": str, "upper": str})


def subjects_from_strata(case: str) -> pd.DataFrame:
    """One subject per row from the R stratified input: arm, stratum, BOR (PR or PD)."""
    rows = pd.read_csv(REFERENCE / "inputs" / "strata.csv")
    rows = rows.loc[rows["case"] == case]
    records = []
    for r in rows.itertuples(index=False):
        for arm, x, n in ((ARM, r.x1, r.n1), (REF, r.x2, r.n2)):
            records += [(arm, f"S{r.stratum}", "PR" if i < x else "PD") for i in range(n)]
    frame = pd.DataFrame(records, columns=["TRT01P", "STRATUM", "BOR"])
    frame.insert(0, "USUBJID", [f"U{i:04d}" for i in range(len(frame))])
    return frame


def subjects_from_counts(counts: dict[str, list[str]]) -> pd.DataFrame:
    """``{"arm": ["PR", "SD", ...]}`` as a subject frame."""
    records = [(arm, bor) for arm, bors in counts.items() for bor in bors]
    frame = pd.DataFrame(records, columns=["TRT01P", "BOR"])
    frame.insert(0, "USUBJID", [f"U{i:04d}" for i in range(len(frame))])
    return frame


def binomial_ref(x: int, n: int, level: float, method: str) -> tuple[float, float]:
    row = BINOMIAL.loc[(BINOMIAL["x"] == x) & (BINOMIAL["n"] == n)
                       & (BINOMIAL["conf_level"] == level) & (BINOMIAL["method"] == method)]
    assert len(row) == 1
    return r_value(row["lower"].item()), r_value(row["upper"].item())


# --- end to end against R ----------------------------------------------------------------


@pytest.mark.parametrize("level", [0.95, 0.9])
@pytest.mark.parametrize("correct", [False, True])
def test_reference_netter1_like_trial_equals_r(level, correct):
    """18/116 vs 3/113 in six strata: every number of the result against R."""
    subjects = subjects_from_strata("netter1_like")
    result = analyze_response(subjects, reference=REF, strata=("STRATUM",), conf_level=level,
                              cmh_correct=correct)
    lu, oct_ = result.arms
    assert (lu.arm, lu.n, lu.responders, oct_.arm, oct_.n, oct_.responders) == (
        ARM, 116, 18, REF, 113, 3)
    for a in (lu, oct_):
        lower, upper = binomial_ref(a.responders, a.n, level, "clopper-pearson")
        assert close(a.ci[0], lower) and close(a.ci[1], upper)
    t = TABLES[("netter1_like", level)]
    assert close(result.difference.estimate, t["newcombe_estimate"])
    assert close(result.difference.ci[0], t["newcombe_lower"])
    assert close(result.difference.ci[1], t["newcombe_upper"])
    assert close(result.odds_ratio.estimate, t["fisher_estimate"])
    assert close(result.odds_ratio.ci[0], t["fisher_lower"])
    assert close(result.odds_ratio.ci[1], t["fisher_upper"])
    assert close(result.fisher_p_value, t["fisher_p"])
    s = STRATA[("netter1_like", level)]
    tag = "corrected" if correct else "uncorrected"
    assert result.cmh.correct is correct
    assert close(result.cmh.statistic, s[f"mh_statistic_{tag}"])
    assert close(result.cmh.p_value, s[f"mh_p_{tag}"])
    assert close(result.cmh.common_odds_ratio.estimate, s["mh_estimate"])
    assert close(result.cmh.common_odds_ratio.ci[0], s["mh_lower"])
    assert close(result.cmh.common_odds_ratio.ci[1], s["mh_upper"])
    assert result.cmh.strata == ("STRATUM",) and len(result.cmh.strata_levels) == 6


@pytest.mark.parametrize("case", ["singleton", "one_arm_empty", "zero_reference",
                                  "singleton_one_left", "many"])
def test_reference_cmh_edge_strata_equal_r(case):
    subjects = subjects_from_strata(case)
    result = analyze_response(subjects, reference=REF, strata=("STRATUM",))
    s = STRATA[(case, 0.95)]
    assert len(result.cmh.strata_levels) == s["n_strata"]
    assert bool(result.cmh.strata_dropped) == bool(s["r_error_full"])
    assert close(result.cmh.statistic, s["mh_statistic_uncorrected"])
    assert close(result.cmh.p_value, s["mh_p_uncorrected"])
    assert close(result.cmh.common_odds_ratio.estimate, s["mh_estimate"])


def test_singleton_stratum_is_listed_as_dropped():
    result = analyze_response(subjects_from_strata("singleton"), reference=REF,
                              strata=("STRATUM",))
    assert result.cmh.strata_dropped == ("S2",)
    assert result.cmh.strata_levels == ("S1", "S3")
    assert result.cmh.n == 35  # every subject, the dropped one included


@pytest.mark.parametrize("method", ["newcombe", "miettinen-nurminen"])
def test_reference_difference_methods_equal_r(method):
    result = analyze_response(subjects_from_strata("netter2_like"), reference=REF,
                              difference_method=method)
    t = TABLES[("netter2_like", 0.95)]
    prefix = "newcombe" if method == "newcombe" else "mn"
    assert result.difference.method == method
    assert close(result.difference.ci[0], t[f"{prefix}_lower"])
    assert close(result.difference.ci[1], t[f"{prefix}_upper"])


def test_reference_wilson_option_equals_r():
    result = analyze_response(subjects_from_strata("netter2_like"), reference=REF,
                              ci_method="wilson", conf_level=0.9)
    for a in result.arms:
        assert a.ci_method == "wilson"
        lower, upper = binomial_ref(a.responders, a.n, 0.9, "wilson")
        assert close(a.ci[0], lower) and close(a.ci[1], upper)


# --- JSON ------------------------------------------------------------------------------


ISSUE_KEYS = {"confirmed", "arms", "difference", "odds_ratio", "fisher_p_value", "cmh"}
ARM_KEYS = {"arm", "n", "responders", "rate", "ci", "ci_method", "bor_counts", "dcr"}


def test_json_has_the_issue_shape_and_round_trips():
    subjects = subjects_from_strata("netter1_like")
    result = analyze_response(subjects, reference=REF, strata=("STRATUM",))
    doc = result.to_json_dict()
    json.dumps(doc, allow_nan=False)
    assert ISSUE_KEYS <= set(doc) and list(doc)[:6] == [
        "confirmed", "arms", "difference", "odds_ratio", "fisher_p_value", "cmh"]
    assert doc["confirmed"] is True
    for arm in doc["arms"]:
        assert ARM_KEYS <= set(arm)
        assert list(arm["bor_counts"]) == ["CR", "PR", "SD", "PD", "NE"]
        assert {"rate", "ci"} <= set(arm["dcr"]) and len(arm["dcr"]["ci"]) == 2
        assert arm["ci_method"] == "clopper-pearson" and len(arm["ci"]) == 2
    assert {"estimate", "ci", "method"} <= set(doc["difference"])
    assert {"estimate", "ci"} <= set(doc["odds_ratio"])
    assert doc["odds_ratio"]["method"] == OR_CONDITIONAL
    assert {"statistic", "p_value", "correct", "strata"} <= set(doc["cmh"])
    assert doc["cmh"]["correct"] is False and doc["cmh"]["strata"] == ["STRATUM"]
    assert doc["cmh"]["common_odds_ratio"]["method"] == OR_MANTEL_HAENSZEL
    assert "comparisons_by_arm" not in doc
    assert ResponseResult.from_json_dict(doc) == result


def test_infinite_odds_ratio_is_null_in_json():
    subjects = subjects_from_counts({ARM: ["PR"] * 10 + ["SD"] * 40, REF: ["SD"] * 50})
    doc = analyze_response(subjects, reference=REF).to_json_dict()
    assert doc["odds_ratio"]["estimate"] is None and doc["odds_ratio"]["ci"][1] is None
    assert doc["odds_ratio"]["ci"][0] > 1 and "infinite" in doc["odds_ratio"][
        "not_estimable_reason"]
    assert doc["fisher_p_value"] < 0.01 and doc["cmh"] is None
    json.dumps(doc, allow_nan=False)


# --- edge cases --------------------------------------------------------------------------


def test_all_responders_in_an_arm():
    subjects = subjects_from_counts({ARM: ["CR"] * 3 + ["PR"] * 7, REF: ["PR"] * 3 + ["PD"] * 7})
    result = analyze_response(subjects, reference=REF)
    lu = result.arms[0]
    assert (lu.rate, lu.ci[1], lu.dcr.rate) == (1.0, 1.0, 1.0)
    assert lu.bor_counts == {"CR": 3, "PR": 7, "SD": 0, "PD": 0, "NE": 0}
    assert 0 < result.difference.ci[0] < 0.7 < result.difference.ci[1] <= 1.0
    assert result.odds_ratio.estimate is None and result.odds_ratio.ci[1] is None
    f = fisher_exact(table_2x2(10, 10, 3, 10))
    assert result.fisher_p_value == f.p_value and result.odds_ratio.ci[0] == f.lower


def test_zero_responders_in_the_experimental_arm():
    subjects = subjects_from_counts({ARM: ["SD"] * 20, REF: ["PR"] * 5 + ["SD"] * 15})
    result = analyze_response(subjects, reference=REF)
    assert result.arms[0].rate == 0.0 and result.arms[0].ci[0] == 0.0
    assert result.odds_ratio.estimate == 0.0 and result.odds_ratio.ci[0] == 0.0
    assert result.odds_ratio.not_estimable_reason is None


def test_an_arm_without_subjects_is_reported_not_raised():
    subjects = subjects_from_counts({ARM: ["PR", "SD", "PD"]})
    result = analyze_response(subjects, reference=REF, arms=(ARM, REF))
    empty = result.arms[1]
    assert (empty.n, empty.rate, empty.ci, empty.dcr.rate) == (0, None, (None, None), None)
    assert empty.not_estimable_reason and result.difference.estimate is None
    assert result.odds_ratio.estimate is None and result.fisher_p_value == 1.0
    json.dumps(result.to_json_dict(), allow_nan=False)


def test_missing_strata_values_leave_the_cmh_test_only():
    subjects = subjects_from_strata("basic")
    subjects.loc[0, "STRATUM"] = None
    result = analyze_response(subjects, reference=REF, strata=("STRATUM",))
    assert result.n == 22 and sum(a.n for a in result.arms) == 22
    assert result.cmh.n == 21


def test_numeric_strata_are_labelled_like_the_tte_endpoint():
    subjects = subjects_from_strata("basic").assign(
        STRAT1R=lambda f: f["STRATUM"].str[1:].astype(float))
    result = analyze_response(subjects, reference=REF, strata=("STRAT1R", "STRATUM"))
    assert result.cmh.strata_levels == ("1, S1", "2, S2")


def test_three_arms_give_comparisons_by_arm():
    subjects = subjects_from_counts({"A": ["PR", "SD"] * 5, "B": ["PR"] * 2 + ["PD"] * 8,
                                     REF: ["SD"] * 10})
    result = analyze_response(subjects, reference=REF)
    assert result.difference is None and result.arm is None and result.cmh is None
    assert [c.arm for c in result.comparisons_by_arm] == ["A", "B"]
    doc = result.to_json_dict()
    assert doc["difference"] is None and len(doc["comparisons_by_arm"]) == 2
    assert ResponseResult.from_json_dict(doc) == result


def test_results_equal_the_stats_functions():
    subjects = subjects_from_counts({ARM: ["PR"] * 18 + ["SD"] * 98, REF: ["PR"] * 3 +
                                     ["SD"] * 110})
    result = analyze_response(subjects, reference=REF)
    cp = clopper_pearson(18, 116)
    assert (result.arms[0].rate, result.arms[0].ci) == (cp.estimate, cp.ci)
    f = fisher_exact(table_2x2(18, 116, 3, 113))
    assert (result.odds_ratio.estimate, result.odds_ratio.ci, result.fisher_p_value) == (
        f.estimate, f.ci, f.p_value)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"reference": "nope"}, "not an arm"),
    ({"reference": REF, "ci_method": "wald"}, "unknown CI method"),
    ({"reference": REF, "difference_method": "wald"}, "unknown difference method"),
    ({"reference": REF, "strata": ("NOPE",)}, "no column NOPE"),
    ({"reference": REF, "arms": (REF,)}, "not among"),
    ({"reference": REF, "conf_level": 1.5}, "conf_level"),
])
def test_bad_options_are_refused(kwargs, message):
    subjects = subjects_from_counts({ARM: ["PR"], REF: ["SD"]})
    with pytest.raises(NetterError, match=message):
        analyze_response(subjects, **kwargs)


def test_unknown_bor_value_is_refused():
    subjects = subjects_from_counts({ARM: ["PR", "NON-CR/NON-PD"], REF: ["SD"]})
    with pytest.raises(NetterError, match="NON-CR/NON-PD"):
        analyze_response(subjects, reference=REF)


def test_only_the_reference_arm_is_refused():
    with pytest.raises(NetterError, match="no arm to compare"):
        analyze_response(subjects_from_counts({REF: ["SD"]}), reference=REF)


# --- ADaM in: recorded BOR, check, audit -------------------------------------------------


def _adam() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Four subjects: A confirmed PR, B unconfirmed PR (SD), C PD, D no scan."""
    adsl = pd.DataFrame({"USUBJID": list("ABCD"), "TRT01P": [ARM, ARM, REF, REF],
                         "RANDDT": [RANDDT] * 4, "ITTFL": ["Y", "Y", "Y", "N"]})
    visits = [("A", 85, "PR"), ("A", 169, "PR"), ("A", 253, "PD"), ("B", 85, "PR"),
              ("B", 169, "PD"), ("C", 1, "SD"), ("C", 85, "PD"), ("C", 169, "PR")]
    adrs = pd.DataFrame({
        "USUBJID": [u for u, _, _ in visits], "PARAMCD": "OVR",
        "AVALC": [v for _, _, v in visits],
        "ADT": [RANDDT + pd.Timedelta(days=d - 1) for _, d, _ in visits]})
    return adsl, adrs


def _with_recorded(adrs: pd.DataFrame, values: dict[str, str]) -> pd.DataFrame:
    bor = pd.DataFrame({"USUBJID": list(values), "PARAMCD": "BOR",
                        "AVALC": list(values.values()), "ADT": pd.NaT})
    return pd.concat([adrs, bor], ignore_index=True)


def test_derived_bor_when_adrs_has_no_bor_records():
    adsl, adrs = _adam()
    frame, source = response_subjects(adsl, adrs)
    assert source == SOURCE_DERIVED
    assert frame["BOR"].tolist() == ["PR", "SD", "PD", "NE"]
    frame, _ = response_subjects(adsl, adrs, population_flag="ITTFL")
    assert frame["USUBJID"].tolist() == ["A", "B", "C"]
    frame, _ = response_subjects(adsl, adrs, confirm=False)
    assert frame["BOR"].tolist() == ["PR", "PR", "PD", "NE"]


def test_recorded_bor_is_used_and_missing_records_count_as_ne():
    adsl, adrs = _adam()
    adrs = _with_recorded(adrs, {"A": "PR", "B": "PR", "C": "PD"})
    frame, source = response_subjects(adsl, adrs)
    assert source == SOURCE_RECORDED and frame["BOR"].tolist() == ["PR", "PR", "PD", "NE"]
    result = response_endpoint(adsl, adrs, reference=REF)
    assert result.bor_source == SOURCE_RECORDED and result.arms[0].responders == 2
    derived = response_endpoint(adsl, adrs, reference=REF, use_recorded=False)
    assert derived.bor_source == SOURCE_DERIVED and derived.arms[0].responders == 1


def test_check_bor_lists_the_disagreements():
    adsl, adrs = _adam()
    adrs = _with_recorded(adrs, {"A": "PR", "B": "PR", "C": "PD"})
    differ = check_bor(adsl, adrs)
    assert differ.to_dict("records") == [
        {"USUBJID": "B", "BOR_RECORDED": "PR", "BOR_DERIVED": "SD", "N_ASSESS": 2}]
    assert check_bor(adsl, adrs, confirm=False).empty
    with pytest.raises(NetterError, match="no BOR records"):
        check_bor(*_adam())


def test_bad_recorded_bor_is_refused():
    adsl, adrs = _adam()
    with pytest.raises(AdamError, match="more than one BOR"):
        response_subjects(adsl, _with_recorded(_with_recorded(adrs, {"A": "PR"}), {"A": "SD"}))
    with pytest.raises(AdamError, match="'MISSING'"):
        response_subjects(adsl, _with_recorded(adrs, {"A": "MISSING"}))


def test_derivation_needs_randdt():
    adsl, adrs = _adam()
    with pytest.raises(AdamError, match="RANDDT"):
        response_subjects(adsl.drop(columns="RANDDT"), adrs)


def test_audit_csv_shows_the_derivation(tmp_path):
    adsl, adrs = _adam()
    path = write_bor_audit_csv(tmp_path / "audit" / "bor.csv", adsl, adrs)
    audit = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert audit["USUBJID"].tolist() == list("ABCD")
    assert audit["ASSESSMENTS"].tolist() == ["85:PR 169:PR 253:PD", "85:PR 169:PD", "85:PD", ""]
    assert audit["BOR_DERIVED"].tolist() == ["PR", "SD", "PD", "NE"]
    assert audit["RESPONDER"].tolist() == ["Y", "N", "N", "N"]
    assert audit["DISEASE_CONTROL"].tolist() == ["Y", "Y", "N", "N"]
    assert set(audit["AGREE"]) == {""} and set(audit["CONFIRM"]) == {"Y"}
    recorded = bor_audit(adsl, _with_recorded(adrs, {"A": "PR", "B": "PR", "C": "PD"}))
    assert recorded["AGREE"].tolist() == ["Y", "N", "Y", "Y"]
    assert recorded["RESPONDER"].tolist() == ["Y", "Y", "N", "N"]


# --- the synthetic NETTER-1 primary analysis ----------------------------------------------


@pytest.fixture(scope="module")
def primary():
    return load_adam(PRIMARY)


def test_synthetic_primary_orr_is_consistent_with_nejm(primary):
    """Confirmed ORR per arm against the published 18% vs 3% (P < 0.001)."""
    result = response_endpoint(primary.adsl, primary.adrs, reference=REF,
                               arm_var=primary.arm_var, strata=STRATA_VARS,
                               population_flag="ITTFL")
    published = {ARM: published_record("orr.nejm.lu").value,
                 REF: published_record("orr.nejm.control").value}
    assert result.confirmed and result.bor_source == SOURCE_DERIVED
    for arm in result.arms:
        lower, upper = arm.ci
        assert lower <= published[arm.arm] / 100 <= upper, (arm.arm, arm.rate, arm.ci)
    assert result.arm == ARM and result.fisher_p_value < 0.01
    assert result.difference.ci[0] > 0 and result.cmh.p_value < 0.01
    assert result.cmh.strata == STRATA_VARS and not result.cmh.strata_dropped
    json.dumps(result.to_json_dict(), allow_nan=False)


def test_synthetic_primary_audit_agrees_with_the_analysis(primary):
    audit = bor_audit(primary.adsl, primary.adrs, arm_var=primary.arm_var)
    derived = derive_best_response(primary.adsl, primary.adrs)
    assert audit["BOR_DERIVED"].tolist() == derived["BOR"].tolist()
    counted = audit["ASSESSMENTS"].str.split().str.len().fillna(0).astype(int)
    assert counted.tolist() == audit["N_ASSESS"].tolist()
    result = response_endpoint(primary.adsl, primary.adrs, reference=REF,
                               arm_var=primary.arm_var)
    by_arm = audit.groupby(primary.arm_var)["RESPONDER"].apply(lambda s: int((s == "Y").sum()))
    assert {a.arm: a.responders for a in result.arms} == by_arm.to_dict()
