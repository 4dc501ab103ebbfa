"""`netter analyze` adds the response block whenever ADRS is present, with recorded options."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from netter.adam.io import load_adam
from netter.cli import main
from netter.endpoints.response import response_endpoint
from netter.endpoints.trial import ResponseOptions, analyze_trial
from netter.results import ResultsDocument, from_json_dict, to_json_dict

PRIMARY = Path(__file__).resolve().parents[1] / "data" / "synthetic" / "netter1" / "primary"
CONTRACT = {"confirmed", "arms", "difference", "odds_ratio", "fisher_p_value", "cmh"}
ARM_KEYS = {"arm", "n", "responders", "rate", "ci", "ci_method", "bor_counts", "dcr"}


@pytest.fixture(scope="module")
def primary():
    return load_adam(PRIMARY)


def _run(tmp_path, *extra, data=PRIMARY):
    out = tmp_path / "r.json"
    assert main(["analyze", "--data", str(data), "--out", str(out), "--quiet",
                 "--study", "netter1", "--params", "PFS", *extra]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


def test_response_block_has_the_contract_shape(tmp_path):
    doc = _run(tmp_path, "--strata", "STRAT1R,STRAT2R")
    response = doc["response"]
    assert CONTRACT <= set(response)
    assert response["confirmed"] is True
    for arm in response["arms"]:
        assert ARM_KEYS <= set(arm) and arm["ci_method"] == "clopper-pearson"
        assert set(arm["bor_counts"]) == {"CR", "PR", "SD", "PD", "NE"}
        assert sum(arm["bor_counts"].values()) == arm["n"]
    assert response["cmh"]["correct"] is False
    assert response["cmh"]["strata"] == ["STRAT1R", "STRAT2R"]
    assert response["difference"]["method"] == "newcombe"
    assert response["confirm_days"] == 28 and response["sd_min_days"] == 42


def test_response_equals_the_endpoint_function(primary):
    doc = analyze_trial(primary, params=["PFS"], strata=["STRAT1R", "STRAT2R"],
                        reference="Octreotide LAR 60 mg")
    direct = response_endpoint(primary.adsl, primary.adrs, reference="Octreotide LAR 60 mg",
                               arm_var="TRT01P", strata=("STRAT1R", "STRAT2R"))
    assert to_json_dict(doc.response) == to_json_dict(direct)
    # published NEJM 2017: 18% vs 3% (P<0.001)
    lu, control = doc.response.arms
    assert lu.ci[0] <= 0.18 <= lu.ci[1] and control.ci[0] <= 0.03 <= control.ci[1]
    assert doc.response.fisher_p_value < 0.001


def test_options_are_applied_and_recorded(tmp_path):
    doc = _run(tmp_path, "--unconfirmed", "--response-ci", "wilson", "--difference-method",
               "miettinen-nurminen", "--cmh-correct", "--strata", "STRAT1R")
    response = doc["response"]
    assert response["confirmed"] is False
    assert {a["ci_method"] for a in response["arms"]} == {"wilson"}
    assert response["difference"]["method"] == "miettinen-nurminen"
    assert response["cmh"]["correct"] is True
    confirmed = _run(tmp_path)["response"]
    # unconfirmed responders include every confirmed one
    for loose, strict in zip(response["arms"], confirmed["arms"], strict=True):
        assert loose["responders"] >= strict["responders"]
    assert confirmed["cmh"] is None  # no strata named: no CMH test


def test_no_adrs_no_response_block(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    for name in ("adsl.csv", "adtte.csv"):
        shutil.copy(PRIMARY / name, folder / name)
    doc = _run(tmp_path, data=folder)
    assert "response" not in doc
    assert from_json_dict(ResultsDocument, doc).response is None


def test_bor_audit_is_written(tmp_path):
    audit = tmp_path / "bor.csv"
    _run(tmp_path, "--bor-audit", str(audit))
    table = pd.read_csv(audit, dtype=str, keep_default_na=False)
    assert len(table) == 229 and {"USUBJID", "BOR_DERIVED", "ASSESSMENTS"} <= set(table)


def test_round_trip_with_response(primary):
    doc = analyze_trial(primary, params=["OS"], response_options=ResponseOptions(confirm=False),
                        reference="Octreotide LAR 60 mg")
    assert from_json_dict(ResultsDocument, to_json_dict(doc)) == doc
