"""``netter analyze``: options, defaults, byte-identical reruns, errors with exit codes.

The trial is R's ``aml`` written as ADaM (with NETTER-1 arm labels, a stratum, a
population flag and an ADRS file); its numbers are checked against the committed R
references of tests/reference.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from netter.artefacts import dumps, read_results
from netter.cli import main

REFERENCE = Path(__file__).parent / "reference"
LU, OCT = "177Lu-DOTATATE", "Octreotide LAR 60 mg"
#: aml's reference arm in the R references is "Maintained": it plays the control here.
ARMS = {"Maintained": OCT, "Nonmaintained": LU}


def r_value(table: str, **where) -> float:
    frame = pd.read_csv(REFERENCE / "comparisons" / f"{table}.csv", keep_default_na=False,
                        dtype={"value": str})
    for key, value in where.items():
        frame = frame[frame[key] == value]
    assert len(frame) == 1
    return float(frame["value"].iloc[0])


@pytest.fixture
def trial(tmp_path: Path) -> Path:
    """aml as ADSL + ADTTE (OS in days, PFS = OS) + ADRS in ``tmp_path / "aml"``."""
    aml = pd.read_csv(REFERENCE / "data" / "aml.csv")
    ids = [f"AML-{i:03d}" for i in range(1, len(aml) + 1)]
    folder = tmp_path / "aml"
    folder.mkdir()
    pd.DataFrame({"USUBJID": ids, "TRT01P": aml["group"].map(ARMS),
                  "STRAT1R": ["a", "b"] * (len(aml) // 2) + ["a"] * (len(aml) % 2),
                  "ITTFL": ["Y"] * (len(aml) - 1) + ["N"],
                  "RANDDT": "2013-01-01"}).to_csv(folder / "adsl.csv", index=False)
    tte = pd.DataFrame({"USUBJID": ids, "AVAL": aml["time"], "AVALU": "DAYS",
                        "CNSR": 1 - aml["event"]})
    pd.concat([tte.assign(PARAMCD="OS"), tte.assign(PARAMCD="PFS")]).to_csv(
        folder / "adtte.csv", index=False)
    pd.DataFrame({"USUBJID": ids, "PARAMCD": "OVR", "AVALC": "SD",
                  "ADT": "2014-01-01"}).to_csv(folder / "adrs.csv", index=False)
    return folder


def _refuse(token: str):
    raise AssertionError(f"non-finite number {token} in the JSON")


def analyze(*argv: str) -> int:
    """``netter analyze --quiet`` with the control arm as reference unless one is given."""
    reference = [] if "--reference" in argv or "--study" in argv else ["--reference", OCT]
    return main(["analyze", "--quiet", *argv, *reference])


def test_values_match_r_and_defaults_are_recorded(trial, tmp_path):
    out = tmp_path / "r.json"
    assert analyze("--data", str(trial), "--out", str(out)) == 0
    doc = json.loads(out.read_text())
    assert doc["profile"] == "r" and doc["reference_arm"] == OCT
    assert doc["params"] == ["OS", "PFS"] and doc["strata"] == [] and doc["landmarks"] == []
    assert doc["rmst_tau"] is None and doc["population_flag"] is None
    assert sorted(doc["inputs"]) == ["adrs", "adsl", "adtte"]
    os_ = doc["endpoints"]["OS"]
    assert os_["cox"]["hazard_ratio"] == pytest.approx(
        r_value("coxph", dataset="aml", strata="", ties="efron", term="Nonmaintained",
                stat="hr"), rel=1e-9)
    assert os_["logrank"]["chisq"] == pytest.approx(
        r_value("survdiff", dataset="aml", strata="", term="", stat="chisq"), rel=1e-9)
    control = next(a for a in os_["arms"] if a["arm"] == OCT)
    assert control["median"]["estimate"] == pytest.approx(31 / 30.4375, rel=1e-12)
    assert control["median"]["ci"] == [pytest.approx(18 / 30.4375, rel=1e-12), None]
    for key in ("logrank_stratified", "cox_stratified", "ph_test_stratified",
                "rmst_difference", "cox_by_arm"):
        assert key not in os_
    assert "rmst" not in control and os_["excluded"] == []


def test_strata_add_the_stratified_results(trial, tmp_path):
    out = tmp_path / "s.json"
    assert analyze("--data", str(trial), "--out", str(out), "--strata", "strat1r") == 0
    os_ = json.loads(out.read_text())["endpoints"]["OS"]
    for key in ("logrank_stratified", "cox_stratified", "ph_test_stratified"):
        assert os_[key]["strata"] == ["STRAT1R"]
    assert os_["cox_stratified"]["strata_levels"] == ["a", "b"]
    assert os_["cox_stratified"]["hazard_ratio"] != os_["cox"]["hazard_ratio"]


def test_all_options(trial, tmp_path):
    out = tmp_path / "sub" / "dir" / "all.json"  # folders are created
    assert analyze("--data", str(trial), "--out", str(out), "--profile", "sas",
                   "--conf-level", "0.9", "--reference", OCT, "--params", "PFS",
                   "--landmarks", "2,1", "--rmst-tau", "1.5", "--population-flag", "ittfl") == 0
    doc = read_results(out)
    assert doc.methods.conf_type == "log-log" and doc.methods.ties == "breslow"
    assert doc.methods.conf_level == 0.9 and doc.methods.reference_rule == "named by the user"
    assert doc.params == ("PFS",) and list(doc.endpoints) == ["PFS"]
    assert doc.landmarks == (1.0, 2.0) and doc.rmst_tau == 1.5
    pfs = doc.endpoints["PFS"]
    assert pfs.cox.ties == "breslow" and pfs.cox.conf_level == 0.9
    assert [(e.usubjid, e.reason) for e in pfs.excluded] == [("AML-023", "ITTFL is not 'Y'")]
    assert pfs.n == 22 and pfs.rmst_difference.tau == 1.5
    assert [lm.time for lm in pfs.arms[0].landmarks] == [1.0, 2.0]


def test_reruns_are_byte_identical_and_paths_relative(trial, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    options = ("--data", "aml", "--strata", "STRAT1R", "--landmarks", "1,3", "--rmst-tau", "2")
    assert analyze(*options, "--out", "one.json") == 0
    assert analyze(*options, "--out", "two.json") == 0
    first = Path("one.json").read_bytes()
    assert first == Path("two.json").read_bytes()
    text = first.decode("utf-8")
    assert text.endswith("}\n") and str(tmp_path) not in text
    json.loads(text, parse_constant=_refuse)  # no NaN / Infinity anywhere
    assert dumps(read_results("one.json")) == text  # JSON -> dataclasses -> JSON
    inputs = json.loads(text)["inputs"]
    assert inputs["adsl"]["path"] == "aml/adsl.csv" and len(inputs["adsl"]["sha256"]) == 64


def test_summary_printed_through_the_entry_point(trial, tmp_path):
    out = tmp_path / "cli.json"
    done = subprocess.run([sys.executable, "-m", "netter", "analyze", "--data", str(trial),
                           "--out", str(out), "--strata", "STRAT1R", "--reference", OCT],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "stratified Cox: HR 177Lu-DOTATATE vs Octreotide LAR 60 mg" in done.stdout
    assert out.exists()


@pytest.mark.parametrize(("options", "message"), [
    (("--reference", "Placebo"), "reference arm 'Placebo' is not an arm"),
    (("--params", "PFS,DOR"), "ADTTE has no PARAMCD DOR"),
    (("--strata", "STRAT9R"), "ADSL has no variable STRAT9R"),
    (("--population-flag", "SAFFL"), "ADSL has no variable SAFFL"),
    (("--arm-var", "TRT01A"), "TRT01A is absent from ADSL"),
    (("--rmst-tau", "0"), "restriction time must be finite and > 0"),
    (("--landmarks", "-1"), "landmark times must be finite and >= 0"),
    (("--conf-level", "1.5"), "conf_level must lie in (0, 1)"),
])
def test_bad_options_exit_1_with_a_message(trial, tmp_path, capsys, options, message):
    out = tmp_path / "bad.json"
    assert analyze("--data", str(trial), "--out", str(out), *options) == 1
    err = capsys.readouterr().err
    assert err.startswith("netter analyze: ") and message in err
    assert not out.exists()


def test_bad_data_exit_1_with_the_loader_message(trial, tmp_path, capsys):
    adtte = pd.read_csv(trial / "adtte.csv")
    adtte.loc[0, "AVAL"] = -3
    adtte.to_csv(trial / "adtte.csv", index=False)
    assert analyze("--data", str(trial), "--out", str(tmp_path / "x.json")) == 1
    err = capsys.readouterr().err
    assert "ADaM data failed validation" in err
    assert "adtte.csv: AVAL = -3 is negative (USUBJID AML-001)" in err


def test_no_reference_is_guessed(trial, tmp_path, capsys):
    """Without --reference or --study netter refuses, whatever the arms are called."""
    out = tmp_path / "x.json"
    assert main(["analyze", "--quiet", "--data", str(trial), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "no reference arm given; arms are '177Lu-DOTATATE', 'Octreotide LAR 60 mg'" in err
    assert "name the reference arm (--reference, or a study with --study)" in err
    assert not out.exists()


def test_the_study_names_the_reference_and_the_settings(trial, tmp_path):
    """``--study`` gives the reference arm (recorded as the study's choice), the time unit,
    the risk-table step and the endpoint labels; options given still win."""
    out = tmp_path / "s.json"
    assert analyze("--data", str(trial), "--out", str(out), "--study", "netter1") == 0
    doc = read_results(out)
    assert doc.reference_arm == OCT and doc.methods.reference_rule == "named by the study"
    os_ = doc.endpoints["OS"]
    assert os_.label == "Overall survival" and os_.axis == "Overall survival (%)"
    assert [r.time for r in os_.arms[0].risk_table] == [0.0, 4.0]  # aml: 5.4 months
    assert analyze("--data", str(trial), "--out", str(out), "--study", "netter1",
                   "--time-unit", "weeks", "--reference", LU) == 0
    doc = read_results(out)
    assert doc.time_unit == "weeks" and doc.reference_arm == LU
    assert doc.methods.reference_rule == "named by the user"


@pytest.mark.parametrize("options", [("--landmarks", "12,x"), ("--strata", "A,,B"),
                                     ("--profile", "stata"), ("--option", "ties=exact"),
                                     ("--option", "colour=red"), ("--option", "ties"), ()])
def test_usage_errors_exit_2(trial, options, capsys):
    argv = ["analyze", "--data", str(trial), *options]
    if options:
        argv += ["--out", "never.json"]
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    capsys.readouterr()


def test_option_overrides_the_profile_and_is_recorded(trial, tmp_path, capsys):
    out = tmp_path / "opt.json"
    assert analyze("--data", str(trial), "--out", str(out), "--profile", "sas",
                   "--option", "quantile_rule=midpoint", "--option", "convergence=strict",
                   "--strata", "STRAT1R") == 0
    raw = json.loads(out.read_text())
    assert raw["profile"] == "sas+quantile_rule=midpoint+convergence=strict"
    assert raw["methods"]["profile"] == raw["profile"]
    assert raw["methods"]["options"]["quantile_rule"] == "midpoint"
    assert raw["methods"]["options"]["landmark_rule"] == "ne"
    os_ = raw["endpoints"]["OS"]
    assert os_["cox"]["ties"] == "breslow"
    assert os_["cox"]["hazard_ratio"] == pytest.approx(
        r_value("coxph", dataset="aml", strata="", ties="breslow", term="Nonmaintained",
                stat="hr"), rel=1e-9)  # strict convergence: R's converged fit
    assert os_["wilcoxon"]["test"] == "wilcoxon" and os_["wilcoxon"]["df"] == 1
    assert os_["lr_exponential"]["test"] == "-2log(lr)"
    assert os_["wilcoxon_stratified"]["strata"] == ["STRAT1R"]
    with pytest.raises(SystemExit) as info:
        main(["analyze", "--data", str(trial), "--out", str(out), "--option", "ties=exact"])
    assert info.value.code == 2
    assert "option ties: unknown value 'exact'; allowed: efron, breslow" in (
        capsys.readouterr().err)
