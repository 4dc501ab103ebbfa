"""The crossover simulation study (netter.simstudy, make crossover-study) on a few trials.

Three trials of the common-effect mechanic are simulated once for the module; the
tests check the truth (the twin's ITT hazard ratio), that a trial does not depend on the
number of trials or of worker processes, that the files are byte-identical from one run
to the next, and the performance measures on hand-made numbers.
"""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pandas as pd
import pytest

from netter.errors import NetterError
from netter.simstudy import Scenario, performance, run_scenario, study_design, trial_seed
from netter.simstudy.design import true_psi, truth_seeds
from netter.simstudy.figure import save_bias_figure
from netter.simstudy.oracle import ORACLE_KEYS
from netter.simstudy.output import FILES, write_outputs
from netter.simstudy.run import NO_TRUE_PSI, StudyRun, summarise_method
from netter.simstudy.trial import ITT, MethodEstimate, TrialRecord, estimate_methods, run_trial
from netter.simstudy.truth import locked_adam, twin_truth
from tests.netter1 import REF, STRATA, study

A = 1.5
COMMON = Scenario(f"common_effect, A = {A}", {"crossover.mechanic": "common_effect",
                                               "crossover.acceleration_factor": A})
BASE_SEED = 11
N = 3


@pytest.fixture(scope="module")
def design():
    return study_design(study())


@pytest.fixture(scope="module")
def config(design):
    return COMMON.config(design.config)


@pytest.fixture(scope="module")
def three(design):
    """Three trials of the common-effect scenario, in this process."""
    return run_scenario(design, COMMON, N, BASE_SEED, truth_trials=2, progress=False)


def _run(design, result) -> StudyRun:
    return StudyRun(design=design, n_trials=N, base_seed=BASE_SEED, truth_trials=2,
                    scenarios=(result,))


# --- the design comes from the study --------------------------------------------------


def test_the_design_is_the_study_s(design):
    s = study()
    assert design.reference == s.reference == REF
    assert design.experimental in s.arm_values and design.experimental != REF
    assert design.cutoff == s.cutoffs[-1].name
    assert str(design.cutoff_date) == s.cutoffs[-1].date
    assert design.covariates == STRATA == s.strata
    assert design.profile == s.profile and design.time_unit == s.time_unit


def test_a_last_cut_off_the_simulator_does_not_lock_is_refused():
    s = study()
    other = dataclasses.replace(s, cutoffs=(*s.cutoffs[:-1], dataclasses.replace(
        s.cutoffs[-1], date="2030-01-01")))
    with pytest.raises(NetterError, match="the study says 2030-01-01"):
        study_design(other)


def test_seeds_of_the_trials_and_of_the_pooled_twins():
    assert [trial_seed(7, k) for k in range(3)] == [7, 8, 9]
    assert truth_seeds(7, 2) == (1_000_007, 1_000_008)
    with pytest.raises(ValueError):
        trial_seed(7, -1)


def test_true_psi_only_under_the_common_effect(design, config):
    assert true_psi(config) == pytest.approx(-math.log(A))
    assert true_psi(design.config) is None  # the study's own config: hazard_ratio


# --- the truth ----------------------------------------------------------------------


def test_truth_is_the_twin_s_itt_hazard_ratio(design, config, three):
    from netter.endpoints.crossover import analyze_crossover
    from netter.synthetic.trial import simulate_switching_pair, without_switching

    record = three.trials[1]
    pair = simulate_switching_pair(config, seed=record.seed)
    twin = locked_adam(design, without_switching(config), pair.no_switching, "twin")
    assert twin.adsl["XOVERFL"].eq("N").all()
    document = analyze_crossover(twin, param="OS", reference=REF, methods=("censor",))
    itt = document.itt.hazard_ratio.estimate
    assert record.truth == pytest.approx(math.log(itt), abs=1e-12)
    assert twin_truth(design, twin) == (record.truth, None)
    # the truth differs from the ITT of the trial with switching, which it is not
    assert record.estimates[ITT].log_hr != pytest.approx(record.truth, abs=1e-6)


def test_oracle_rows_only_with_a_true_psi(design, three):
    record = three.trials[0]
    assert list(record.estimates) == [ITT, *design.methods, *ORACLE_KEYS]
    oracle = record.estimates["rpsftm_true_psi_no_recensor"]
    assert oracle.log_hr is not None and oracle.lower is None
    # without re-censoring, at the true psi, U is the twin's time for every subject but
    # the censored switchers: the hazard ratio is close to the truth
    assert oracle.log_hr == pytest.approx(record.truth, abs=0.05)
    hr_mechanic = run_trial(design, design.config, 0, BASE_SEED)
    assert list(hr_mechanic.estimates) == [ITT, *design.methods]


def test_large_sample_truth_pools_the_twins(three):
    pooled = three.large_sample
    assert pooled.n_trials == 2 and pooled.seeds == truth_seeds(BASE_SEED, 2)
    assert pooled.n_subjects == 2 * three.trials[0].n_subjects
    assert pooled.log_hr < 0 and 0 < pooled.se < 0.2


def test_non_switchers_are_the_same_patients_in_the_twin(design, config):
    from netter.synthetic.lock import lock_database
    from netter.synthetic.trial import simulate_switching_pair, without_switching

    pair = simulate_switching_pair(config, seed=BASE_SEED)
    on, off = pair.trial.latent, pair.no_switching.latent
    switched = np.isfinite(on.crossover)
    assert switched.sum() > 10 and np.isinf(off.crossover).all()
    for name in ("progression", "death", "dropout", "untreated_death"):
        assert np.array_equal(getattr(on, name)[~switched], getattr(off, name)[~switched],
                              equal_nan=True), name
    assert np.array_equal(off.death[switched], on.untreated_death[switched])
    # and so are their locked data: ADSL rows and every ADTTE record
    with_sw = lock_database(config, pair.trial, design.cutoff_date)
    twin = lock_database(without_switching(config), pair.no_switching, design.cutoff_date)
    keep = set(pair.trial.subjects["usubjid"][~switched])
    for dataset in ("adsl", "adtte"):
        a, b = (f[f["USUBJID"].isin(keep)].reset_index(drop=True)
                for f in (with_sw[dataset], twin[dataset]))
        assert len(a) > 0
        pd.testing.assert_frame_equal(a, b)


# --- trials: independent of N and of the workers, reproducible ---------------------------


def test_trial_k_is_the_same_whatever_the_number_of_trials(design, config, three):
    two = run_scenario(design, COMMON, 2, BASE_SEED, truth_trials=2, progress=False)
    assert two.trials == three.trials[:2]
    assert [t.seed for t in three.trials] == [BASE_SEED + k for k in range(N)]
    assert run_trial(design, config, 2, BASE_SEED) == three.trials[2]


def test_files_are_byte_identical_and_do_not_depend_on_the_workers(design, three, tmp_path):
    again = run_scenario(design, COMMON, N, BASE_SEED, truth_trials=2, progress=False,
                         workers=2)
    assert again.trials == three.trials
    written = []
    for name, result in (("a", three), ("b", again)):
        run = _run(design, result)
        written.append(write_outputs(run, tmp_path / name) + save_bias_figure(run,
                                                                              tmp_path / name))
    assert [p.name for p in written[0]] == [*FILES, "bias.png", "bias.svg"]
    for a, b in zip(*written, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_results_record_settings_truths_and_statistics(design, three, tmp_path):
    write_outputs(_run(design, three), tmp_path)
    doc = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert doc["settings"]["n_trials"] == N and doc["settings"]["base_seed"] == BASE_SEED
    assert doc["design"]["covariates"] == list(STRATA) and doc["design"]["ties"] == "efron"
    scenario = doc["scenarios"][0]
    assert scenario["crossover"] == {"mechanic": "common_effect", "probability": 0.46,
                                     "delay_mean_months": 5.0, "acceleration_factor": A}
    assert scenario["true_psi"] == pytest.approx(-math.log(A))
    keys = [ITT, *design.methods, *ORACLE_KEYS]
    assert [m["method"] for m in scenario["methods"]] == keys
    rpsftm = scenario["methods"][1]
    assert rpsftm["psi"]["mean_truth"] == pytest.approx(-math.log(A))
    assert rpsftm["log_hr"]["n_trials"] == N
    truths = [t.truth for t in three.trials]
    assert scenario["per_trial_truth"]["mean_log_hr"] == pytest.approx(np.mean(truths))
    summary = pd.read_csv(tmp_path / "summary.csv")
    assert len(summary) == len(keys)
    assert summary["bias"].iloc[0] == pytest.approx(three.methods[0].log_hr.bias)
    trials = pd.read_csv(tmp_path / "trials.csv")
    assert len(trials) == N * len(keys)
    text = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "| RPSFTM, re-censored |" in text and "## Why each bias appears" in text


def test_method_summaries_are_the_performance_of_the_records(three):
    for summary in three.methods:
        rows = [t.estimates[summary.method] for t in three.trials]
        expected = performance([r.log_hr for r in rows], [t.truth for t in three.trials],
                               lower=[r.lower for r in rows], upper=[r.upper for r in rows])
        assert summary.log_hr == expected
        large = three.large_sample.log_hr
        assert summary.large_sample.bias == pytest.approx(expected.mean_estimate - large)
        assert summary.large_sample.n_estimable == expected.n_estimable
    psi = three.methods[1].psi
    assert psi.mean_truth == pytest.approx(-math.log(A)) and psi.n_trials == N


def test_no_true_psi_leaves_psi_without_bias():
    records = [TrialRecord(k, k, 10, 2, 1, -0.3, None, {
        "rpsftm": MethodEstimate(-0.2 + 0.1 * k, -0.5, 0.1, psi=-0.4 + 0.1 * k)})
        for k in range(3)]
    summary = summarise_method("rpsftm", records, -0.25, None)
    assert summary.psi.mean_estimate == pytest.approx(-0.3)
    assert summary.psi.bias is None and summary.psi.coverage is None
    assert summary.log_hr.bias == pytest.approx(0.2) and summary.log_hr.coverage == 1.0
    assert summary.large_sample.bias == pytest.approx(0.15)
    assert summary.large_sample.coverage == 1.0
    assert "no single true psi" in NO_TRUE_PSI


def test_a_method_that_raises_is_recorded_not_raised(design, config, monkeypatch):
    import netter.endpoints.crossover as crossover
    from netter.synthetic.trial import simulate_trial

    adam = locked_adam(design, config, simulate_trial(config, seed=BASE_SEED), "trial")
    real = crossover.analyze_crossover

    def failing(data, **kwargs):
        if "ipcw" in kwargs["options"].methods:
            raise np.linalg.LinAlgError("Singular matrix")
        return real(data, **kwargs)

    monkeypatch.setattr(crossover, "analyze_crossover", failing)
    estimates, n_switchers = estimate_methods(design, adam)
    assert list(estimates) == [ITT, *design.methods]
    assert estimates["ipcw"].log_hr is None
    assert estimates["ipcw"].not_estimable_reason == "error: LinAlgError: Singular matrix"
    assert estimates["rpsftm"].log_hr is not None and estimates[ITT].log_hr is not None
    assert n_switchers > 0


# --- the performance measures on hand-made numbers -------------------------------------


def test_performance_on_hand_made_numbers():
    p = performance([0.1, 0.4, None, -0.2], [0.0, 0.2, 0.5, 0.1],
                    lower=[0.0, 0.3, None, None], upper=[0.2, 0.5, None, None])
    # errors 0.1, 0.2, -0.3 over the three estimable trials
    assert (p.n_trials, p.n_estimable, p.n_not_estimable) == (4, 3, 1)
    assert p.bias == pytest.approx(0.0, abs=1e-15)
    assert p.error_sd == pytest.approx(math.sqrt(0.07))
    assert p.bias_mcse == pytest.approx(math.sqrt(0.07) / math.sqrt(3))
    assert p.mean_estimate == pytest.approx(0.1)
    assert p.empirical_se == pytest.approx(0.3)
    assert p.empirical_se_mcse == pytest.approx(0.3 / 2)
    assert p.rmse == pytest.approx(math.sqrt(0.14 / 3))
    assert p.mean_truth == pytest.approx(0.1)
    # [0, 0.2] holds 0; [0.3, 0.5] misses 0.2; the third estimate has no interval
    assert (p.n_with_ci, p.coverage) == (2, 0.5)
    assert p.coverage_mcse == pytest.approx(math.sqrt(0.25 / 2))


def test_performance_with_one_truth_none_or_missing_truths():
    p = performance([1.0, 2.0, 3.0], 2.5, lower=[0, 2, 3], upper=[3, 3, 4])
    assert p.bias == pytest.approx(-0.5) and p.coverage == pytest.approx(2 / 3)
    assert p.rmse == pytest.approx(math.sqrt((2.25 + 0.25 + 0.25) / 3))
    none = performance([1.0, float("nan"), 3.0])
    assert (none.n_trials, none.n_not_estimable, none.mean_estimate) == (3, 1, 2.0)
    assert none.bias is none.rmse is none.coverage is None
    dropped = performance([1.0, 2.0], [None, 1.0])
    assert (dropped.n_trials, dropped.bias) == (1, 1.0)
    assert dropped.empirical_se is None and dropped.bias_mcse is None
    empty = performance([None, None], [0.0, 0.0])
    assert (empty.n_not_estimable, empty.bias, empty.coverage) == (2, None, None)
    with pytest.raises(ValueError, match="one value per trial"):
        performance([1.0, 2.0], [1.0])
