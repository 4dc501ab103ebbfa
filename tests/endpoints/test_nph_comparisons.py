"""Non-proportional-hazards comparisons of an endpoint: entries, RMST grid against R,
``netter analyze`` options (parsing errors included) and the study keys."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from netter.artefacts import read_results
from netter.cli import main
from netter.endpoints.comparisons import Comparison
from netter.endpoints.methods import MethodSettings, run_method
from netter.endpoints.nph import rmst_grid_entries
from netter.errors import NetterError
from netter.profiles import get_profile

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "tests" / "reference"
FINAL = ROOT / "data" / "synthetic" / "netter1" / "final"
OCT = "Octreotide LAR 60 mg"


def _base(dataset: str, reference: str) -> Comparison:
    df = pd.read_csv(REFERENCE / "data" / f"{dataset}.csv")
    arm = df["group"].to_numpy(str)
    return Comparison(df["time"].to_numpy(float), df["event"].to_numpy(bool), arm, reference,
                      tuple(sorted(set(arm) - {reference})), get_profile("r"))


RMST = pd.read_csv(REFERENCE / "nph" / "rmst.csv", dtype={"value": str, "key": str})


def _r_rmst(dataset: str, arm: str, tau: float) -> tuple[float, float]:
    rows = RMST[(RMST.dataset == dataset) & (RMST.key == f"{arm}|{tau:g}")]
    get = dict(zip(rows.stat, rows.value.astype(float), strict=True))
    return get["rmean"], get["se"]


@pytest.mark.parametrize(("dataset", "reference", "taus"), [
    ("lung", "male", (180, 365, 730)), ("veteran", "standard", (30, 90, 180, 365)),
    ("netter1_final_os", OCT, (12, 24, 36, 48))])
def test_rmst_grid_matches_r(dataset, reference, taus):
    base = _base(dataset, reference)
    entries = rmst_grid_entries(base, taus, "days")
    assert len(entries) == 2 * len(taus)
    (arm,) = base.others
    for e in entries:
        a, sa = _r_rmst(dataset, arm, e.tau)
        r, sr = _r_rmst(dataset, reference, e.tau)
        if e.estimand.startswith("RMST difference"):
            assert e.estimate == pytest.approx(a - r, rel=1e-9, abs=1e-9)
            half = 1.959963984540054 * np.hypot(sa, sr)
            assert e.ci[1] - e.estimate == pytest.approx(half, rel=1e-8)
        else:
            assert e.estimate == pytest.approx(a / r, rel=1e-9)
            se = np.hypot(sa / a, sr / r)
            assert np.log(e.ci[1] / e.estimate) == pytest.approx(1.959963984540054 * se,
                                                                 rel=1e-8)


def test_rmst_grid_tau_beyond_follow_up_is_not_estimable():
    base = _base("veteran", "standard")
    (diff, ratio) = rmst_grid_entries(base, [2000], "days")
    assert diff.estimate is None and ratio.estimate is None
    assert "after the last follow-up of arm" in diff.not_estimable_reason


def test_no_comparison_and_absent_arm_give_reasons():
    base = Comparison(np.array([1.0, 2.0]), np.array([True, True]), np.array(["a", "a"]),
                      "a", ("b",), get_profile("r"), reason="no arm other than the reference")
    settings = MethodSettings(piecewise=(1.5,), rmst_grid=(1.0,))
    for name in ("weighted_logrank", "maxcombo", "piecewise_hr", "rmst_grid"):
        out = run_method(name, base, settings)
        assert out.comparisons and all(c.not_estimable_reason == base.reason
                                       for c in out.comparisons)


def test_methods_without_their_parameters_are_refused():
    base = _base("veteran", "standard")
    for name in ("piecewise_hr", "rmst_grid"):
        with pytest.raises(NetterError, match="needs"):
            run_method(name, base, MethodSettings())


def _analyze(tmp_path: Path, *extra: str) -> dict:
    out = tmp_path / "r.json"
    assert main(["analyze", "--data", str(FINAL), "--out", str(out), "--reference", OCT,
                 "--params", "OS", "--quiet", *extra]) == 0
    return json.loads(out.read_text())


def test_analyze_options(tmp_path):
    doc = _analyze(tmp_path, "--weighted-logrank", "0,1;1,0", "--maxcombo",
                   "--piecewise", "6,12,24", "--rmst-grid", "12,24,36")
    entries = doc["endpoints"]["OS"]["comparisons"]
    by = {}
    for e in entries:
        by.setdefault(e["method"], []).append(e)
    assert [e["weights"] for e in by["weighted_logrank"]] == [[[0.0, 1.0]], [[1.0, 0.0]]]
    assert by["maxcombo"][0]["weights"] == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert [e["interval"] for e in by["piecewise_hr"]] == [[0, 6], [6, 12], [12, 24],
                                                           [24, None]]
    assert [e["tau"] for e in by["rmst_grid"]] == [12, 12, 24, 24, 36, 36]
    # the values of the R references (tests/reference/nph)
    fh10 = by["weighted_logrank"][1]["statistic"]
    assert fh10 == pytest.approx(-2.2691298618948115, abs=1e-9)
    residuals = doc["endpoints"]["OS"]["ph_test"]["residuals"]
    assert len(residuals["time"]) == len(residuals["y"][0]) == doc["endpoints"]["OS"]["events"]
    # the document reads back
    assert read_results(tmp_path / "r.json").endpoints["OS"].comparisons[-1].tau == 36.0


def test_analyze_is_deterministic(tmp_path):
    a = tmp_path / "a"
    b = tmp_path / "b"
    a.mkdir()
    b.mkdir()
    assert _analyze(a, "--maxcombo") == _analyze(b, "--maxcombo")


@pytest.mark.parametrize(("option", "value"), [
    ("--weighted-logrank", "0;1"), ("--weighted-logrank", "1,-1"), ("--weighted-logrank", "x,1"),
    ("--piecewise", "0,6"), ("--piecewise", "six"), ("--rmst-grid", "-12")])
def test_analyze_option_errors(tmp_path, capsys, option, value):
    with pytest.raises(SystemExit) as exit_info:
        main(["analyze", "--data", str(FINAL), "--out", str(tmp_path / "x.json"),
              "--reference", OCT, option, value])
    assert exit_info.value.code == 2
    assert option in capsys.readouterr().err


STUDY = """
id = "nphx"
name = "NPHX"
title = "NPH keys"
arm_var = "TRT01P"
reference = "{ref}"
time_unit = "months"
data = "{data}"

[[arms]]
value = "{ref}"
label = "control"

[[arms]]
value = "177Lu-DOTATATE"
label = "experimental"

[[cutoffs]]
name = "final"
date = 2021-01-18

[[analyses]]
name = "os_nph"
cutoff = "final"
endpoints = ["OS"]
strata = []
weighted_logrank = [[0, 1], [1, 1]]
maxcombo = true
piecewise = [6, 12, 24]
rmst_grid = [12, 24]
"""


def test_study_keys(tmp_path):
    from netter.endpoints.study import run_analysis
    from netter.study.load import load_study

    path = tmp_path / "study.toml"
    path.write_text(STUDY.format(ref=OCT, data=FINAL.parent))
    study = load_study(path)
    analysis = next(a for a in study.analyses if a.name == "os_nph")
    assert analysis.weighted_logrank == ((0.0, 1.0), (1.0, 1.0))
    assert analysis.maxcombo and analysis.piecewise == (6.0, 12.0, 24.0)
    assert analysis.rmst_grid == (12.0, 24.0)
    doc = run_analysis(study, "os_nph", FINAL)
    methods = [c.method for c in doc.endpoints["OS"].comparisons]
    for name in ("weighted_logrank", "maxcombo", "piecewise_hr", "rmst_grid"):
        assert name in methods


def test_study_key_errors(tmp_path):
    from netter.study.load import load_study

    good = STUDY.format(ref=OCT, data=FINAL.parent)
    for old, bad in (("weighted_logrank = [[0, 1], [1, 1]]", "weighted_logrank = [[0, 1, 2]]"),
                     ("weighted_logrank = [[0, 1], [1, 1]]", "weighted_logrank = [[0, -1]]"),
                     ("piecewise = [6, 12, 24]", "piecewise = [0, 6]"),
                     ("rmst_grid = [12, 24]", "rmst_grid = [-1]"),
                     ("maxcombo = true", "maxcombo = 1")):
        path = tmp_path / "study.toml"
        path.write_text(good.replace(old, bad))
        with pytest.raises(NetterError, match=bad.split(" ")[0]):
            load_study(path)


def test_summary_table_rows_and_footnotes():
    from netter.adam.io import load_adam
    from netter.endpoints.trial import analyze_trial
    from netter.tables.tte import tte_summary_table

    doc = analyze_trial(load_adam(FINAL), reference=OCT, params=["OS"],
                        method_settings=MethodSettings(weighted_logrank=((1.0, 0.0),),
                                                       maxcombo_on=True, piecewise=(6.0, 500.0),
                                                       rmst_grid=(12.0, 500.0)))
    table = tte_summary_table(doc, "OS")
    cells = {r.label: r.cells[0] for r in table.rows}
    assert cells["Weighted log-rank FH(1,0)"] == "Z = -2.27; p=0.023"
    assert cells["MaxCombo test"].startswith("max |Z| = 2.27; p=0.04")
    assert cells["Hazard ratio (95% CI), 0–6 months"] == "0.17 (0.04–0.76)"
    assert cells["Hazard ratio (95% CI), >500 months"] == "NE"
    assert cells["RMST ratio to 12 months (95% CI)"] == "1.08 (1.03–1.14)"
    assert cells["RMST difference to 500 months, months (95% CI)"] == "NE"
    text = " ".join(table.footnotes)
    assert "S(t−)^ρ (1 − S(t−))^γ" in text and "FH(0,0), FH(0,1), FH(1,0), FH(1,1)" in text


def test_schoenfeld_figure_draws_from_results(tmp_path):
    from netter.adam.io import load_adam
    from netter.endpoints.trial import analyze_trial
    from netter.figures.schoenfeld import schoenfeld_figure, zph_caption

    doc = analyze_trial(load_adam(FINAL), reference=OCT, params=["OS"])
    ep = doc.endpoints["OS"]
    figure = schoenfeld_figure(ep)
    figure.savefig(tmp_path / "s.png")
    assert (tmp_path / "s.png").stat().st_size > 0
    assert zph_caption(ep.ph_test).endswith("p=0.258")
