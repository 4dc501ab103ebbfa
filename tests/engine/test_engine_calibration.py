"""Calibration on the engine equals the per-trial path (every row, both studies), and the
batched best response equals the ADRS derivation subject by subject."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from netter.adam.response import derive_best_response
from netter.engine.calibration import engine_values, requests, unsupported
from netter.engine.response import BOR_CODES, best_response, mantel_haenszel_odds_ratio
from netter.engine.simulate import simulate_batch
from netter.scorecard.calibration import load_plan, seed_values
from netter.stats.contingency import mantel_haenszel
from netter.study import load_study
from netter.synthetic.config import load_config, override_config
from netter.synthetic.lock import lock_database
from netter.synthetic.outcomes import trial_seed
from netter.synthetic.trial import simulate_trial


def _same(engine, per_trial) -> bool:
    if per_trial is None or engine is None:
        return engine is None and per_trial is None
    if math.isinf(per_trial) or math.isinf(engine):
        return engine == per_trial
    return math.isclose(engine, per_trial, rel_tol=1e-9, abs_tol=1e-9)


@pytest.mark.parametrize("study_id", ["netter1", "netter2"])
def test_engine_calibration_values_equal_the_per_trial_results(study_id):
    study = load_study(study_id)
    plan = load_plan(study)
    config = load_config(study.simulation)
    assert unsupported(study, plan, config) == []
    trials = range(5, 13)
    batched = engine_values(study, config, plan, seed=99, trials=trials)
    checked = 0
    for row, k in zip(batched, trials, strict=True):
        expected = seed_values(study, config, plan, trial_seed(99, k))
        for spec, got, want in zip(plan.specs, row, expected, strict=True):
            assert _same(got, want), (study_id, k, spec.record, got, want)
            checked += 1
    assert checked == len(plan.specs) * len(trials)


def test_rows_the_engine_cannot_compute_are_named():
    from dataclasses import replace

    study = load_study("netter1")
    plan = load_plan(study)
    odd = replace(plan, specs=(replace(plan.specs[0], value="endpoints.PFS.ph_test.p_value"),
                               *plan.specs[1:]))
    assert unsupported(study, odd) == [plan.specs[0].record]
    assert requests(study, odd, load_config(study.simulation))[0] is None
    with pytest.raises(ValueError, match="cannot compute"):
        engine_values(study, load_config(study.simulation), odd, seed=1, trials=range(1))


@pytest.mark.parametrize("changes", [None, {"assessment.interval_weeks": 4,
                                             "assessment.window_days": 10,
                                             "assessment.not_evaluable_prob": 0.3}])
def test_batched_best_response_equals_the_adrs_derivation(changes):
    config = load_config("studies/netter1/simulation.toml")
    if changes:
        config = override_config(config, changes)
    draw = simulate_batch(config, seed=4, trials=range(6))
    for cutoff in config.cutoffs.dates[:2]:
        for confirm in (True, False):
            codes = best_response(draw, cutoff, confirm=confirm)
            for row, k in enumerate(draw.trials.tolist()):
                trial = simulate_trial(config, seed=trial_seed(4, k))
                adam = lock_database(config, trial, cutoff)
                adsl = adam["adsl"].assign(RANDDT=pd.to_datetime(adam["adsl"]["RANDDT"]))
                adrs = adam["adrs"].assign(ADT=pd.to_datetime(adam["adrs"]["ADT"]))
                want = derive_best_response(adsl, adrs, confirm=confirm).set_index("USUBJID")
                ids = trial.subjects["usubjid"].to_numpy()
                valid = np.isin(ids, want.index)
                got = np.asarray(BOR_CODES, dtype=object)[codes[row][valid]]
                assert got.tolist() == want.loc[ids[valid], "BOR"].tolist()


def test_mantel_haenszel_odds_ratio_equals_netter_stats():
    rng = np.random.default_rng(3)
    b, n = 60, 40
    responder = rng.random((b, n)) < 0.3
    arm = rng.integers(0, 2, (b, n))
    stratum = rng.integers(0, 3, (b, n))
    valid = rng.random((b, n)) < 0.9
    valid[0, 1:] = False                      # one subject: every stratum dropped
    got = mantel_haenszel_odds_ratio(responder, arm, stratum, valid)
    for i in range(b):
        tables = []
        for s in range(3):
            m = valid[i] & (stratum[i] == s)
            a = int((m & responder[i] & (arm[i] == 0)).sum())
            n1 = int((m & (arm[i] == 0)).sum())
            c = int((m & responder[i] & (arm[i] == 1)).sum())
            n2 = int((m & (arm[i] == 1)).sum())
            tables.append([[a, n1 - a], [c, n2 - c]])
        want = mantel_haenszel(np.array(tables)).odds_ratio if valid[i].sum() > 1 else None
        if want is None:
            assert np.isnan(got[i])
        else:
            assert got[i] == pytest.approx(want, rel=1e-12)
