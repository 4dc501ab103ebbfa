"""``netter design``: the trials.csv contract, the --save-trial round trip, determinism
whatever the chunks or workers, and power under the null."""

from __future__ import annotations

import csv
import json
import math

import numpy as np
import pytest

from netter.cli import main
from netter.engine.design import build_scenarios, design_spec
from netter.engine.output import TRIAL_COLUMNS
from netter.engine.run import run_design
from netter.study import load_study

NETTER1 = "studies/netter1/study.toml"


def _rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _design(tmp_path, name, *extra):
    out = tmp_path / name
    assert main(["design", "--study", NETTER1, "--seed", "2024", "--out", str(out),
                 "--quiet", "--no-figures", *extra]) == 0
    return out


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("design")
    return _design(tmp, "run", "--trials", "4", "--save-trial", "3")


def test_trials_csv_has_the_contract_columns_and_order(saved):
    rows = _rows(saved / "trials.csv")
    assert list(rows[0]) == [*TRIAL_COLUMNS, "median_LU177", "median_OCT60"]
    keys = [(r["scenario"], int(r["trial"]), r["cutoff"], r["param"]) for r in rows]
    expected = [("base", k, cut, param) for k in range(4)
                for cut in ("primary", "update", "final") for param in ("PFS", "OS", "TTDGHS")]
    assert keys == expected
    document = json.loads((saved / "design.json").read_text())
    assert document["schema"] == "netter.design/1"
    assert document["trials"] == 4 and document["seed"] == 2024
    assert [a["code"] for a in document["arms"]] == ["LU177", "OCT60"]


@pytest.mark.parametrize("cutoff", ["primary", "final"])
def test_saved_trial_analysed_by_netter_analyze_equals_its_row(saved, tmp_path, cutoff):
    """The contract: analyze on DIR/trial-K/<cutoff> gives the row of trials.csv to 1e-8."""
    out = tmp_path / "analysis.json"
    assert main(["analyze", "--data", str(saved / "trial-3" / cutoff), "--study", NETTER1,
                 "--strata", "STRAT1R,STRAT2R", "--out", str(out), "--quiet"]) == 0
    document = json.loads(out.read_text())
    rows = {r["param"]: r for r in _rows(saved / "trials.csv")
            if r["trial"] == "3" and r["cutoff"] == cutoff}
    for param in ("PFS", "OS", "TTDGHS"):
        endpoint = document["endpoints"][param]
        row = rows[param]
        assert int(row["n"]) == endpoint["n"] and int(row["events"]) == endpoint["events"]
        logrank = endpoint["logrank_stratified"]
        cox = endpoint["cox_stratified"]
        assert float(row["logrank_chisq"]) == pytest.approx(logrank["chisq"], rel=1e-8, abs=1e-8)
        assert float(row["logrank_p"]) == pytest.approx(logrank["p_value"], rel=1e-8)
        assert float(row["hazard_ratio"]) == pytest.approx(cox["hazard_ratio"], rel=1e-8)
        assert float(row["hr_lower"]) == pytest.approx(cox["ci"][0], rel=1e-8)
        assert float(row["hr_upper"]) == pytest.approx(cox["ci"][1], rel=1e-8)
        medians = {a["arm"]: a["median"]["estimate"] for a in endpoint["arms"]}
        for code, label in (("LU177", "177Lu-DOTATATE"), ("OCT60", "Octreotide LAR 60 mg")):
            got = row[f"median_{code}"]
            if medians[label] is None:
                assert got == ""
            else:
                assert float(got) == pytest.approx(medians[label], rel=1e-8)


def test_trial_k_is_the_same_whatever_the_number_of_trials_and_the_chunks(tmp_path, saved):
    small = _design(tmp_path, "small", "--trials", "2", "--chunk-size", "1")
    few, many = _rows(small / "trials.csv"), _rows(saved / "trials.csv")
    assert few == many[:len(few)]


def test_in_process_and_dask_runs_are_byte_identical(tmp_path):
    pytest.importorskip("distributed")
    local = _design(tmp_path, "local", "--trials", "6", "--chunk-size", "2",
                    "--vary", "assessment.interval_weeks=8,12")
    dask = _design(tmp_path, "dask", "--trials", "6", "--chunk-size", "3",
                   "--vary", "assessment.interval_weeks=8,12", "--workers", "2")
    for name in ("design.json", "trials.csv"):
        assert (local / name).read_bytes() == (dask / name).read_bytes()


def test_type_one_error_under_no_treatment_effect_is_alpha():
    """With no effect on progression or death before it, PFS rejects in ~5% of trials."""
    spec = design_spec(load_study(NETTER1))
    null = build_scenarios(["progression.hazard_ratio=[1.0, 1.0, 1.0, 1.0]",
                            "death.preprogression_hazard_ratio=1.0"])
    run = run_design(spec, null, trials=600, seed=7, progress=False)
    from netter.engine.summary import summarize

    results = {(r["cutoff"], r["param"]): r for r in summarize(run)[0]["results"]}
    rate = results[("update", "PFS")]["power"]
    assert abs(rate - 0.05) < 3 * math.sqrt(0.05 * 0.95 / 600)
    low, high = results[("update", "PFS")]["power_ci"]   # normal 95% Monte Carlo interval
    half = 1.959963984540054 * math.sqrt(rate * (1 - rate) / 600)
    assert low == pytest.approx(max(0.0, rate - half)) and high == pytest.approx(rate + half)
    assert abs(results[("update", "PFS")]["log_hr"]["mean"]) < 0.03
    effect = summarize(run_design(spec, build_scenarios(), trials=40, seed=7,
                                  progress=False))[0]["results"]
    assert {(r["cutoff"], r["param"]): r for r in effect}[("primary", "PFS")]["power"] == 1.0


def test_median_bias_grows_with_the_scan_interval():
    """Interval censoring: PFS is only seen at scans, so the KM median overestimates the
    latent median, more with 24-weekly than with 8-weekly scans."""
    spec = design_spec(load_study(NETTER1))
    scenarios = build_scenarios([], ["assessment.interval_weeks=8,24"])
    run = run_design(spec, scenarios, trials=60, seed=3, progress=False)
    from netter.engine.summary import summarize

    bias = []
    for scenario in summarize(run):
        result = next(r for r in scenario["results"]
                      if r["cutoff"] == "update" and r["param"] == "PFS")
        bias.append(result["median"]["OCT60"]["bias"])
        assert result["median"]["OCT60"]["truth"] > 0
    assert 0 < bias[0] < bias[1]


def test_bad_design_options_are_errors(tmp_path, capsys):
    out = str(tmp_path / "x")
    assert main(["design", "--study", NETTER1, "--trials", "2", "--out", out, "--quiet",
                 "--set", "assessment.no_such_key=1"]) == 1
    assert "no_such_key" in capsys.readouterr().err
    assert main(["design", "--study", NETTER1, "--trials", "2", "--out", out, "--quiet",
                 "--save-trial", "2"]) == 1
    assert "trials 0 to 1" in capsys.readouterr().err
    assert main(["design", "--study", NETTER1, "--trials", "2", "--out", out, "--quiet",
                 "--vary", "assessment.interval_weeks="]) == 1
    with pytest.raises(SystemExit) as stop:
        main(["design", "--study", NETTER1, "--trials", "0", "--out", out])
    assert stop.value.code == 2


def test_summary_distribution_handles_not_estimable_values():
    from netter.engine.summary import distribution

    stats = distribution(np.array([np.nan, np.nan]))
    assert stats["not_estimable"] == 2 and stats["mean"] is None and stats["q50"] is None


def test_a_report_run_keeps_the_summary_without_trials_csv_and_is_reused(tmp_path):
    from netter.engine.study import design_study

    study = load_study("studies/netter2/study.toml")
    first = design_study(study, tmp_path, trials=2, seed=5, progress=False, figures=False,
                         trials_csv=False)
    assert [p.name for p in first.paths] == ["design.json"] and not first.reused
    assert not (tmp_path / "trials.csv").exists()
    again = design_study(study, tmp_path, trials=2, seed=5, progress=False, figures=False,
                         trials_csv=False, reuse=True)
    assert again.reused and again.document == first.document
    other = design_study(study, tmp_path, trials=3, seed=5, progress=False, figures=False,
                         trials_csv=False, reuse=True)
    assert not other.reused and other.document["trials"] == 3


def test_response_rates_of_a_run_equal_netter_analyze_on_the_saved_trial(tmp_path):
    from netter.cli.design import save_trials

    spec = design_spec(load_study(NETTER1))
    scenarios = build_scenarios()
    run = run_design(spec, scenarios, trials=3, seed=11, progress=False)
    save_trials(spec, scenarios, seed=11, trials=[2], out=tmp_path)
    for c, (cutoff, _) in enumerate(spec.cutoffs[:2]):
        out = tmp_path / f"{cutoff}.json"
        assert main(["analyze", "--data", str(tmp_path / "trial-2" / cutoff), "--study",
                     NETTER1, "--params", "PFS", "--out", str(out), "--quiet"]) == 0
        arms = {a["arm"]: a["rate"] for a in json.loads(out.read_text())["response"]["arms"]}
        for a, label in enumerate(spec.arm_labels):
            assert run.responses[0][c][2, a] == pytest.approx(arms[label], rel=1e-12)
    summary = __import__("netter.engine.summary", fromlist=["summarize"]).summarize(run)
    assert [r["cutoff"] for r in summary[0]["response"]] == ["primary", "update", "final"]
    assert summary[0]["response"][0]["LU177"]["mean"] == pytest.approx(
        float(np.mean(run.responses[0][0][:, 0])))
