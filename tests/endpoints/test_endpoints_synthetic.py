"""``netter analyze`` on the synthetic NETTER-1 primary cut-off (seed 2012)."""

from __future__ import annotations

import pandas as pd
import pytest

from netter.adam import columns as col
from netter.cli import main
from netter.profiles import get_profile
from tests.netter1 import ARM, REF, published_record
from tests.netter1 import STRATA as STRATA_VARS

STRATA = ",".join(STRATA_VARS)


@pytest.fixture(scope="module")
def primary(synthetic_trial, tmp_path_factory) -> tuple[dict, str]:
    """Results JSON (parsed) and summary printed for PFS with NETTER-1's strata."""
    import json
    from contextlib import redirect_stdout
    from io import StringIO

    out = tmp_path_factory.mktemp("primary") / "results.json"
    printed = StringIO()
    with redirect_stdout(printed):
        code = main(["analyze", "--data", str(synthetic_trial / "primary"), "--out", str(out),
                     "--study", "netter1", "--strata", STRATA, "--landmarks", "12,20",
                     "--rmst-tau", "24"])
    assert code == 0
    return json.loads(out.read_text(encoding="utf-8")), printed.getvalue()


def test_published_pfs_hazard_ratio_inside_the_stratified_ci(primary):
    doc, _ = primary
    published = published_record("pfs.primary.hr_nejm")
    assert published.is_target and published.value == 0.21
    cox = doc["endpoints"]["PFS"]["cox_stratified"]
    assert cox["arm"] == ARM and cox["reference"] == REF
    assert cox["strata"] == list(STRATA_VARS)
    low, high = cox["ci"]
    assert low < published.value < high, (cox["hazard_ratio"], cox["ci"])


def test_document_records_every_choice(primary, synthetic_trial):
    doc, printed = primary
    assert doc["schema"] == "netter.results/1" and doc["profile"] == "r"
    assert doc["methods"] == {
        "conf_level": 0.95, "conf_type": "log", "median_rule": "midpoint", "ph_transform": "km",
        "profile": "r", "reference_rule": "named by the study", "ties": "efron",
        "variance": "greenwood", "options": get_profile("r").options()}
    assert doc["methods"]["options"]["landmark_rule"] == "carry"
    assert (doc["time_unit"], doc["reference_arm"], doc["arm_var"]) == (
        "months", REF, "TRT01P")
    assert doc["strata"] == list(STRATA_VARS) and doc["population_flag"] is None
    assert doc["params"] == ["OS", "PFS", "TTDGHS"] and doc["landmarks"] == [12.0, 20.0]
    assert doc["rmst_tau"] == 24.0
    assert {name: f["path"] for name, f in doc["inputs"].items()} == {
        "adrs": "adrs.csv", "adsl": "adsl.csv", "adtte": "adtte.csv"}  # absolute -> name
    assert str(synthetic_trial) not in str(doc)
    assert "stratified Cox: HR 177Lu-DOTATATE vs Octreotide LAR 60 mg" in printed


def test_contract_keys_present(primary, synthetic_trial):
    pfs = primary[0]["endpoints"]["PFS"]
    for key in ("arms", "logrank", "logrank_stratified", "cox", "cox_stratified",
                "rmst_difference", "ph_test", "excluded"):
        assert key in pfs, key
    arm = pfs["arms"][0]
    assert set(arm) >= {"arm", "n", "events", "median", "landmarks", "rmst", "median_followup"}
    assert set(arm["median"]) >= {"estimate", "ci"}
    assert set(arm["landmarks"][0]) >= {"time", "survival", "ci", "n_risk"}
    assert set(arm["rmst"]) >= {"tau", "estimate", "se"}
    assert set(pfs["cox"]) >= {"arm", "hazard_ratio", "ci", "p_value_wald", "p_value_lr",
                               "p_value_score", "ties"}
    assert set(pfs["rmst_difference"]) >= {"tau", "estimate", "ci", "p_value"}
    assert pfs["logrank_stratified"]["strata"] == list(STRATA_VARS)
    subjects = len(pd.read_csv(synthetic_trial / "primary" / "adsl.csv"))
    assert sum(a["n"] for a in pfs["arms"]) + len(pfs["excluded"]) == subjects


def _arm_data(synthetic_trial, paramcd: str, arm: str) -> pd.DataFrame:
    folder = synthetic_trial / "primary"
    adsl = pd.read_csv(folder / "adsl.csv")
    adtte = pd.read_csv(folder / "adtte.csv")
    merged = adtte[adtte["PARAMCD"] == paramcd].merge(adsl[["USUBJID", "TRT01P"]])
    return merged[merged["TRT01P"] == arm]


@pytest.mark.parametrize("paramcd", ["PFS", "OS", "TTDGHS"])
def test_curve_is_the_kaplan_meier_of_the_arm(primary, synthetic_trial, paramcd):
    from netter.stats.km import kaplan_meier

    for arm in primary[0]["endpoints"][paramcd]["arms"]:
        rows = _arm_data(synthetic_trial, paramcd, arm["arm"])
        km = kaplan_meier(col.days_to_months(rows["AVAL"].to_numpy(float)),
                          rows["CNSR"].to_numpy() == 0, profile="r")
        curve = arm["curve"]
        assert curve["time"] == km.time.tolist() and curve["n_risk"] == km.n_risk.tolist()
        assert curve["survival"] == km.survival.tolist()
        assert curve["n_event"] == km.n_event.tolist()
        assert curve["n_censor"] == km.n_censor.tolist()
        assert curve["ci_lower"] == [None if v != v else v for v in km.ci_lower.tolist()]
        assert (curve["conf_type"], curve["conf_level"]) == ("log", 0.95)
        assert sum(curve["n_event"]) == arm["events"]


@pytest.mark.parametrize("paramcd", ["PFS", "OS", "TTDGHS"])
def test_risk_table_counts_time_at_or_after_every_4_months(primary, synthetic_trial, paramcd):
    endpoint = primary[0]["endpoints"][paramcd]
    last = max(a["last_time"] for a in endpoint["arms"])
    for arm in endpoint["arms"]:
        months = col.days_to_months(
            _arm_data(synthetic_trial, paramcd, arm["arm"])["AVAL"].to_numpy(float))
        times = [row["time"] for row in arm["risk_table"]]
        assert times == [4.0 * k for k in range(len(times))]
        assert times[-1] <= last < times[-1] + 4.0
        assert [row["n_risk"] for row in arm["risk_table"]] == [
            int((months >= t).sum()) for t in times]


def test_event_and_censoring_types_come_from_adtte(primary, synthetic_trial):
    for arm in primary[0]["endpoints"]["PFS"]["arms"]:
        rows = _arm_data(synthetic_trial, "PFS", arm["arm"])
        events = rows.loc[rows["CNSR"] == 0, "EVNTDESC"].value_counts().sort_index()
        assert [(e["description"], e["count"]) for e in arm["event_types"]] == list(
            events.items())
        assert {e["description"] for e in arm["event_types"]} == {
            "Death", "Disease progression"}
        assert sum(c["count"] for c in arm["censor_types"]) == arm["censored"]
