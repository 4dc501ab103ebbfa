"""``netter analyze`` end to end on R datasets written as ADaM, against R survival 3.5.3.

The R values are those committed under tests/reference (comparisons.R, km.R); times
there are in days, netter reports months (days / 30.4375), so R times are divided.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

REFERENCE = Path(__file__).parents[1] / "reference"
RTOL = 1e-9
MONTH = 30.4375
COXPH = pd.read_csv(REFERENCE / "comparisons" / "coxph.csv", keep_default_na=False,
                    dtype={"value": str})
SURVDIFF = pd.read_csv(REFERENCE / "comparisons" / "survdiff.csv", keep_default_na=False,
                       dtype={"value": str})
ZPH = pd.read_csv(REFERENCE / "comparisons" / "zph.csv", keep_default_na=False,
                  dtype={"value": str})
KM = {name: pd.read_csv(REFERENCE / "km" / f"{name}.csv", float_precision="round_trip")
      for name in ("quantiles", "landmarks", "median_followup", "rmst", "rmst_difference")}
PROFILES = {"r": ("efron", "log"), "sas": ("breslow", "log-log")}
#: The R references use R's conventions with SAS's ties and CI transform (the sas preset
#: also stops the Cox iterations where PHREG does and has SAS's quantile rule).
PROFILE_ARGS = {"r": ("--profile", "r"),
                "sas": ("--profile", "r", "--option", "ties=breslow",
                        "--option", "ci_transform=log-log")}
LUNG_LANDMARKS = (0, 2.5, 81, 167, 188.5, 259, 340.5, 404, 624, 1022, 1023)
LUNG_TAU = 259.0


def long_values(table: pd.DataFrame, **where) -> dict[tuple[str, str], float | None]:
    """``(term, stat) -> value`` from a long comparisons CSV (NA -> None)."""
    mask = pd.Series(True, index=table.index)
    for key, value in where.items():
        mask &= table[key] == value
    return {(r.term, r.stat): None if r.value == "NA" else float(r.value)
            for r in table[mask].itertuples()}


def km_row(name: str, **where) -> pd.Series:
    table = KM[name]
    mask = pd.Series(True, index=table.index)
    for key, value in where.items():
        mask &= (table[key] - value).abs() < 1e-12 if isinstance(value, float) else (
            table[key] == value)
    rows = table[mask]
    assert len(rows) == 1, where
    return rows.iloc[0]


def close(actual, expected, scale: float = 1.0) -> bool:
    if expected is None or pd.isna(expected):
        return actual is None
    expected = expected / scale
    return actual is not None and abs(actual - expected) <= RTOL * abs(expected) + 1e-13


def arm_of(endpoint: dict, label: str) -> dict:
    return next(a for a in endpoint["arms"] if a["arm"] == label)


@pytest.fixture(params=sorted(PROFILES))
def lung(request, adam_case, analyze) -> tuple[str, dict]:
    """lung (days) analysed with reference male, strata ECOG, landmarks, RMST at 259 days."""
    folder = adam_case("lung", strata=("ecog",))
    landmarks = ",".join(repr(t / MONTH) for t in LUNG_LANDMARKS)
    doc = analyze(folder, *PROFILE_ARGS[request.param], "--reference", "male", "--strata",
                  "ecog", "--landmarks", landmarks, "--rmst-tau", repr(LUNG_TAU / MONTH))
    return request.param, doc


@pytest.mark.parametrize("strata", ["", "ecog"])
def test_reference_cox_matches_coxph(lung, strata):
    profile, doc = lung
    ties = PROFILES[profile][0]
    cox = doc["endpoints"]["OS"]["cox_stratified" if strata else "cox"]
    r = long_values(COXPH, dataset="lung", strata=strata, ties=ties)
    assert cox["arm"] == "female" and cox["reference"] == "male" and cox["ties"] == ties
    pairs = {"hazard_ratio": ("female", "hr"), "coef": ("female", "coef"),
             "se": ("female", "se"), "p_value_wald": ("female", "p"),
             "p_value_lr": ("", "lr_p"), "p_value_score": ("", "score_p"),
             "chisq_wald": ("", "wald"), "chisq_lr": ("", "lr"), "chisq_score": ("", "score"),
             "loglik_null": ("", "loglik0"), "loglik": ("", "loglik")}
    for key, ref in pairs.items():
        assert close(cox[key], r[ref]), (key, cox[key], r[ref])
    assert close(cox["ci"][0], r[("female", "lower95")])
    assert close(cox["ci"][1], r[("female", "upper95")])
    assert (cox["n"], cox["events"], cox["df"]) == (r[("", "n")], r[("", "nevent")], 1)
    assert cox.get("strata", []) == (["ECOG"] if strata else [])


@pytest.mark.parametrize("strata", ["", "ecog"])
def test_reference_logrank_matches_survdiff(lung, strata):
    _, doc = lung
    test = doc["endpoints"]["OS"]["logrank_stratified" if strata else "logrank"]
    r = long_values(SURVDIFF, dataset="lung", strata=strata)
    assert close(test["chisq"], r[("", "chisq")]) and close(test["p_value"], r[("", "p")])
    assert test["df"] == 1
    for row in test["by_arm"]:
        assert row["n"] == r[(row["arm"], "n")]
        assert row["observed"] == r[(row["arm"], "observed")]
        assert close(row["expected"], r[(row["arm"], "expected")])


@pytest.mark.parametrize("strata", ["", "ecog"])
def test_reference_ph_test_matches_cox_zph(lung, strata):
    profile, doc = lung
    test = doc["endpoints"]["OS"]["ph_test_stratified" if strata else "ph_test"]
    r = long_values(ZPH, dataset="lung", strata=strata, ties=PROFILES[profile][0],
                    transform="km", terms="terms")
    assert close(test["chisq"], r[("group", "chisq")]) and close(test["p_value"], r[("group", "p")])
    assert test["transform"] == "km" and test["df"] == 1


@pytest.mark.parametrize("arm", ["female", "male"])
def test_reference_arm_quartiles_and_followup(lung, arm):
    profile, doc = lung
    conf_type = PROFILES[profile][1]
    result = arm_of(doc["endpoints"]["OS"], arm)
    assert result["median"] == result["quartiles"][1]
    for quartile in result["quartiles"]:
        ref = km_row("quantiles", case="lung", subset=arm, conf_type=conf_type,
                     conf_level=0.95, q=quartile["q"])
        assert close(quartile["estimate"], ref["estimate"], MONTH)
        assert close(quartile["ci"][0], ref["lower"], MONTH)
        assert close(quartile["ci"][1], ref["upper"], MONTH)
    ref = km_row("median_followup", case="lung", subset=arm, conf_type=conf_type,
                 conf_level=0.95)
    follow = result["median_followup"]
    assert close(follow["estimate"], ref["estimate"], MONTH)
    assert close(follow["ci"][0], ref["lower"], MONTH)
    assert close(follow["ci"][1], ref["upper"], MONTH)


@pytest.mark.parametrize("arm", ["female", "male"])
def test_reference_arm_landmarks(lung, arm):
    profile, doc = lung
    result = arm_of(doc["endpoints"]["OS"], arm)
    assert [lm["time"] for lm in result["landmarks"]] == [t / MONTH for t in LUNG_LANDMARKS]
    for lm, days in zip(result["landmarks"], LUNG_LANDMARKS, strict=True):
        ref = km_row("landmarks", case="lung", subset=arm, conf_type=PROFILES[profile][1],
                     conf_level=0.95, time=float(days))
        assert lm["n_risk"] == ref["n_risk"]
        # past a censored end R's extend=TRUE carries S forward, as the r preset does
        assert lm.get("carried", False) == (lm["time"] > result["last_time"])
        for key, col in (("survival", "surv"), ("se", "std_err")):
            assert close(lm[key], ref[col]), (days, key)
        assert close(lm["ci"][0], ref["lower"]) and close(lm["ci"][1], ref["upper"])


def test_reference_rmst_and_difference(lung):
    _, doc = lung
    endpoint = doc["endpoints"]["OS"]
    for arm in ("female", "male"):
        rmst = arm_of(endpoint, arm)["rmst"]
        ref = km_row("rmst", case="lung", subset=arm, tau=LUNG_TAU)
        assert close(rmst["estimate"], ref["rmean"], MONTH)
        assert close(rmst["se"], ref["se_rmean"], MONTH)
        assert rmst["extended"] is False
    diff = endpoint["rmst_difference"]
    ref = km_row("rmst_difference", case="lung", arm="female", reference="male", tau=LUNG_TAU,
                 conf_level=0.95)
    assert (diff["arm"], diff["reference"]) == ("female", "male")
    for key, col in (("estimate", "estimate"), ("se", "se")):
        assert close(diff[key], ref[col], MONTH)
    assert close(diff["ci"][0], ref["lower"], MONTH) and close(diff["ci"][1], ref["upper"], MONTH)
    assert close(diff["p_value"], ref["p_value"])


def test_reference_two_stratification_variables(adam_case, analyze):
    doc = analyze(adam_case("ovarian", strata=("resid", "ecog")), "--reference", "A",
                  "--strata", "RESID,ECOG")
    endpoint = doc["endpoints"]["OS"]
    r = long_values(COXPH, dataset="ovarian", strata="resid+ecog", ties="efron")
    cox = endpoint["cox_stratified"]
    assert close(cox["hazard_ratio"], r[("B", "hr")]) and close(cox["p_value_lr"], r[("", "lr_p")])
    assert cox["strata"] == ["RESID", "ECOG"] and len(cox["strata_levels"]) == 4
    s = long_values(SURVDIFF, dataset="ovarian", strata="resid+ecog")
    assert close(endpoint["logrank_stratified"]["chisq"], s[("", "chisq")])


def test_reference_three_arms_give_cox_by_arm(adam_case, analyze):
    doc = analyze(adam_case("three_arm_noevents"), "--reference", "A")
    endpoint = doc["endpoints"]["OS"]
    r = long_values(COXPH, dataset="three_arm_noevents", strata="", ties="efron")
    by_arm = {c["arm"]: c for c in endpoint["cox_by_arm"]}
    assert endpoint["cox"] == by_arm["B"]
    assert close(by_arm["B"]["hazard_ratio"], r[("B", "hr")])
    assert close(by_arm["B"]["p_value_score"], r[("", "score_p")]) and by_arm["B"]["df"] == 2
    assert by_arm["C"]["hazard_ratio"] is None
    assert "monotone likelihood" in by_arm["C"]["not_estimable_reason"]
    s = long_values(SURVDIFF, dataset="three_arm_noevents", strata="")
    assert close(endpoint["logrank"]["chisq"], s[("", "chisq")])
    assert endpoint["logrank"]["df"] == 2
