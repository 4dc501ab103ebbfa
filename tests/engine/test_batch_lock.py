"""The batched simulation and lock equal the per-trial simulator and its ADaM lock."""

from __future__ import annotations

import numpy as np
import pytest

from netter.engine.derive import lock_batch
from netter.engine.simulate import simulate_batch, stratum_codes
from netter.synthetic.config import load_config, override_config
from netter.synthetic.lock import lock_database
from netter.synthetic.outcomes import random_streams, trial_seed
from netter.synthetic.trial import simulate_trial

CONFIGS = {
    "netter1": "studies/netter1/simulation.toml",
    "netter2": "studies/netter2/simulation.toml",
}


def _config(name: str, changes=None):
    config = load_config(CONFIGS[name])
    return override_config(config, changes) if changes else config


@pytest.mark.parametrize(("name", "changes"), [
    ("netter1", None),
    ("netter2", None),
    ("netter1", {"assessment.interval_weeks": 8, "assessment.missed_prob": 0.3,
                 "dropout.hazard": 0.05}),
])
def test_batched_lock_equals_the_adam_lock_subject_by_subject(name, changes):
    config = _config(name, changes)
    strata = tuple(s.variable for s in config.strata)
    draw = simulate_batch(config, seed=11, trials=range(3, 15), strata=strata)
    checked = 0
    for cutoff in config.cutoffs.dates:
        locked = lock_batch(config, draw, cutoff)
        for row, k in enumerate(draw.trials.tolist()):
            trial = simulate_trial(config, seed=trial_seed(11, k))
            adam = lock_database(config, trial, cutoff)
            ids = trial.subjects["usubjid"].to_numpy()
            assert sorted(locked) == sorted(adam["adtte"]["PARAMCD"].unique())
            for param, endpoint in locked.items():
                records = adam["adtte"].loc[adam["adtte"]["PARAMCD"] == param]
                records = records.set_index("USUBJID").loc[ids[endpoint.valid[row]]]
                np.testing.assert_array_equal(endpoint.aval[row][endpoint.valid[row]],
                                              records["AVAL"].to_numpy())
                np.testing.assert_array_equal(endpoint.cnsr[row][endpoint.valid[row]],
                                              records["CNSR"].to_numpy())
                checked += len(records)
            arm = trial.subjects["arm_index"].to_numpy()
            np.testing.assert_array_equal(draw.arm[row], arm)
    assert checked > len(config.cutoffs.dates) * 12 * 2 * 100   # every subject was compared


def test_trial_k_does_not_depend_on_the_batch():
    config = _config("netter1")
    alone = simulate_batch(config, seed=3, trials=[7])
    among = simulate_batch(config, seed=3, trials=range(5, 9))
    for field in ("entry", "arm", "death_day", "grid_day", "grid_performed"):
        np.testing.assert_array_equal(getattr(alone, field)[0], getattr(among, field)[2])


def test_trial_seed_is_the_spawned_child_and_streams_differ_by_trial():
    children = np.random.SeedSequence(2017).spawn(4)
    for k, child in enumerate(children):
        assert (trial_seed(2017, k).generate_state(4) == child.generate_state(4)).all()
    first = random_streams(trial_seed(2017, 0))["progression"].random(3)
    second = random_streams(trial_seed(2017, 1))["progression"].random(3)
    assert not np.allclose(first, second)
    with pytest.raises(ValueError, match="must be >= 0"):
        trial_seed(2017, -1)


def test_stratum_codes_combine_levels_and_name_a_missing_variable():
    import pandas as pd

    from netter.errors import ConfigError

    frame = pd.DataFrame({"site": [1, 2, 3, 4], "A": ["x", "y", "x", "y"],
                          "B": ["1", "1", "2", "2"]})
    assert stratum_codes(frame, ("A", "B"), "cfg").tolist() == [0, 2, 1, 3]
    assert stratum_codes(frame, (), "cfg").tolist() == [0, 0, 0, 0]
    with pytest.raises(ConfigError, match="cfg: stratification variable C is not simulated"):
        stratum_codes(frame, ("C",), "cfg")
