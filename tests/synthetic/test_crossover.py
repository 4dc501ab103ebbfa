"""Crossover mechanics: the hazard-ratio default and the RPSFTM-exact common effect."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest

from netter.errors import ConfigError
from netter.synthetic.config import load_config, override_config
from netter.synthetic.lock import lock_database
from netter.synthetic.trial import simulate_switching_pair, simulate_trial, without_switching
from netter.synthetic.write import write_trial
from tests.synthetic.helpers import variant

DHR_LINE = r"^death_hazard_ratio = 0.8 .*$"
COMMON = {"crossover.mechanic": "common_effect", "crossover.acceleration_factor": 1.5}
#: Latent times that switching must leave alone.
UNCHANGED = ("progression", "dropout", "assessment_stop", "response_onset",
             "response_complete", "qol_deterioration", "untreated_death")


def _mechanic(config, mechanic: str, factor: float = 1.5):
    if mechanic == "hazard_ratio":
        return config
    return override_config(config, {"crossover.mechanic": mechanic,
                                    "crossover.acceleration_factor": factor})


def _same(a, b) -> bool:
    return np.array_equal(a, b, equal_nan=True)


def test_default_mechanic_is_hazard_ratio(netter1_config, tmp_path):
    assert netter1_config.crossover.mechanic == "hazard_ratio"
    assert netter1_config.crossover.acceleration_factor is None
    assert netter1_config.overrides == ()
    explicit = load_config(variant(tmp_path, DHR_LINE,
                                   'death_hazard_ratio = 0.8\nmechanic = "hazard_ratio"'))
    a, b = simulate_trial(netter1_config, seed=4), simulate_trial(explicit, seed=4)
    pd.testing.assert_frame_equal(a.subjects, b.subjects)
    pd.testing.assert_frame_equal(a.visits, b.visits)


@pytest.mark.parametrize(("new", "message"), [
    ('death_hazard_ratio = 0.8\nmechanic = "common"',
     r"\[crossover\] mechanic: 'common' must be one of hazard_ratio, common_effect"),
    ('death_hazard_ratio = 0.8\nmechanic = "common_effect"',
     r'\[crossover\] acceleration_factor: needed with mechanic = "common_effect"'),
    ("death_hazard_ratio = 0.8\nacceleration_factor = 1.5",
     r'\[crossover\] acceleration_factor: only used with mechanic = "common_effect" '
     r'\(mechanic is "hazard_ratio"\); remove the key'),
    ('death_hazard_ratio = 0.8\nmechanic = "common_effect"\nacceleration_factor = 0.0',
     r"\[crossover\] acceleration_factor: 0.0 must be a finite number > 0"),
    ('death_hazard_ratio = 0.8\nmechanic = "common_effect"\nacceleration_factor = inf',
     r"\[crossover\] acceleration_factor: inf must be a finite number > 0"),
    ('death_hazard_ratio = 0.8\nmechanic = "common_effect"\nacceleration_factor = "1.5"',
     r"\[crossover\] acceleration_factor = '1.5' must be of type float"),
    ('death_hazard_ratio = 0.8\nmechanic = 1', r"\[crossover\] mechanic = 1 must be of type str"),
])
def test_bad_crossover_keys_are_refused_naming_file_table_and_key(tmp_path, new, message):
    path = variant(tmp_path, DHR_LINE, new)
    with pytest.raises(ConfigError, match=message) as err:
        load_config(path)
    assert str(err.value).startswith(f"{path}: ")


def test_common_effect_from_the_file_equals_the_override(tmp_path, netter1_config):
    path = variant(tmp_path, DHR_LINE, 'death_hazard_ratio = 0.8\nmechanic = "common_effect"\n'
                                       "acceleration_factor = 1.5")
    from_file = load_config(path)
    by_text = override_config(netter1_config, ["crossover.mechanic=common_effect",
                                               "crossover.acceleration_factor = 1.5"])
    assert from_file.crossover == by_text.crossover == override_config(
        netter1_config, COMMON).crossover
    assert by_text.overrides == tuple(COMMON.items()) and from_file.overrides == ()
    a, b = simulate_trial(from_file, seed=8), simulate_trial(by_text, seed=8)
    pd.testing.assert_frame_equal(a.subjects, b.subjects)


@pytest.mark.parametrize(("changes", "message"), [
    (["crossover.acceleration_factor=1.5"],
     r'acceleration_factor: only used with mechanic = "common_effect".* \(after overriding '
     r"crossover.acceleration_factor=1.5\)"),
    (["crossover.mechanik=common_effect"], r"\[crossover\] unknown key\(s\) mechanik"),
    (["crossover.mechanic=common_effect", "crossover.acceleration_factor=fast"],
     r"\[crossover\] acceleration_factor = 'fast' must be of type float \(after overriding "
     r"crossover.mechanic=common_effect, crossover.acceleration_factor=fast\)"),
    (["crossover=common_effect"], r"override 'crossover' must be section.key"),
    (["crossover.mechanic"], r"override 'crossover.mechanic' must be section.key=value"),
    (["strata.variable=X"], r"override 'strata.variable': no \[strata\] table to change"),
    ({"crossover.probability": None}, r"\[crossover\] missing key 'probability'"),
])
def test_bad_overrides_are_refused(netter1_config, changes, message):
    with pytest.raises(ConfigError, match=message) as err:
        override_config(netter1_config, changes)
    assert str(err.value).startswith(f"{netter1_config.source}: ")


def test_override_of_an_absent_section_is_refused(netter1_config):
    without_qol = dataclasses.replace(netter1_config, qol=None)
    with pytest.raises(ConfigError, match=r"the config has no \[qol\] section"):
        override_config(without_qol, {"qol.missed_prob": 0.2})


def test_manifest_records_the_overrides(tmp_path, netter1_config):
    config = override_config(netter1_config, COMMON)
    write_trial(config, seed=3, out=tmp_path, progress=False)
    manifest = json.loads((tmp_path / "MANIFEST.json").read_text(encoding="utf-8"))
    assert manifest["overrides"] == COMMON
    assert manifest["config"] == "simulation.toml"


@pytest.mark.parametrize("mechanic", ["hazard_ratio", "common_effect"])
@pytest.mark.parametrize("seed", [2012, 5])
def test_switching_off_gives_the_same_patients(netter1_config, mechanic, seed):
    config = _mechanic(netter1_config, mechanic)
    pair = simulate_switching_pair(config, seed=seed)
    on, off = pair.trial, pair.no_switching
    assert off.seed == on.seed == seed and off.latent is not None and on.latent is not None
    assert _same(off.latent.crossover, np.full(len(on.subjects), np.inf))
    switched = np.isfinite(on.latent.crossover)
    control = on.subjects["arm_index"].to_numpy() == 1
    assert switched.sum() > 20 and not (switched & ~control).any()
    # every latent time but death is the same for everyone ...
    for name in UNCHANGED:
        assert _same(getattr(on.latent, name), getattr(off.latent, name)), name
    # ... death too for all but the switchers, who die at their untreated death instead
    assert _same(on.latent.death[~switched], off.latent.death[~switched])
    assert _same(off.latent.death[control], on.latent.untreated_death[control])
    assert (on.latent.death[switched] != off.latent.death[switched]).all()
    # the subject-level truth and the scans: same baseline, arms and progression
    same_columns = [c for c in on.subjects.columns if c not in ("death_day", "crossover_day",
                                                                 "dropout_day")]
    pd.testing.assert_frame_equal(on.subjects[same_columns], off.subjects[same_columns])
    stayed = on.visits["subject"].isin(np.flatnonzero(~switched))
    pd.testing.assert_frame_equal(on.visits[stayed], off.visits[off.visits["subject"].isin(
        np.flatnonzero(~switched))])

    # the locked datasets: identical for those who did not switch
    cut = config.cutoffs.dates[-1]
    locked_on, locked_off = lock_database(config, on, cut), lock_database(config, off, cut)
    ids = set(on.subjects["usubjid"][switched])
    for dataset in ("adsl", "adtte", "adrs"):
        a, b = (frame[~frame["USUBJID"].isin(ids)].reset_index(drop=True)
                for frame in (locked_on[dataset], locked_off[dataset]))
        pd.testing.assert_frame_equal(a, b, obj=dataset)
    # switchers: crossover and death change; PFS only where no progression scan decides it
    adsl_on, adsl_off = (locked["adsl"].set_index("USUBJID").loc[sorted(ids)]
                         for locked in (locked_on, locked_off))
    assert (adsl_off["XOVERFL"] == "N").all() and (adsl_on["XOVERFL"] == "Y").mean() > 0.5
    fixed = [c for c in adsl_on.columns if c not in ("DTHFL", "DTHDT", "LSTALVDT", "XOVERFL",
                                                     "XOVERDT")]
    pd.testing.assert_frame_equal(adsl_on[fixed], adsl_off[fixed])
    pfs_on, pfs_off = (locked["adtte"].query("PARAMCD == 'PFS'").set_index("USUBJID")
                       .loc[sorted(ids)] for locked in (locked_on, locked_off))
    changed = (pfs_on != pfs_off).any(axis=1)
    pd_scan = off.visits.loc[off.visits["response"] == "PD", "subject"]
    decided_by_scan = set(on.subjects["usubjid"].iloc[pd_scan])
    assert not set(changed[changed].index) & decided_by_scan
    assert changed.mean() < 0.2


@pytest.mark.parametrize("factor", [1.5, 0.7, 3.0])
@pytest.mark.parametrize("seed", [2012, 17])
def test_common_effect_counterfactual_is_recovered(netter1_config, factor, seed):
    config = _mechanic(netter1_config, "common_effect", factor)
    trial = simulate_trial(config, seed=seed)
    latent = trial.latent
    death, untreated = latent.death, latent.untreated_death
    experimental = trial.subjects["arm_index"].to_numpy() == 0
    assert np.isfinite(death).all() and np.isfinite(untreated).all()
    # treatment starts at randomisation (experimental), at the switch, or never
    start = np.where(experimental, 0.0, np.minimum(latent.crossover, death))
    t_off, t_on = start, death - start
    psi = -np.log(factor)
    counterfactual = t_off + np.exp(psi) * t_on
    np.testing.assert_allclose(counterfactual, untreated, rtol=0, atol=1e-9)
    assert np.isfinite(latent.crossover[~experimental]).sum() > 20
    np.testing.assert_array_equal(death[experimental], factor * untreated[experimental])


def test_common_effect_keeps_the_control_arm_and_the_experimental_progression(netter1_config):
    hazard_ratio = simulate_trial(netter1_config, seed=21)
    common = simulate_trial(_mechanic(netter1_config, "common_effect", 1.5), seed=21)
    a, b = hazard_ratio.latent, common.latent
    control = hazard_ratio.subjects["arm_index"].to_numpy() == 1
    # the control arm: the same progression, switches and untreated deaths under both
    for name in ("progression", "crossover", "untreated_death"):
        assert _same(getattr(a, name)[control], getattr(b, name)[control]), name
    stayed = control & np.isinf(a.crossover)
    assert _same(a.death[stayed], b.death[stayed])
    # the experimental arm: the same progression draw and hazards, counted before death
    lu = ~control
    both = lu & np.isfinite(a.progression) & np.isfinite(b.progression)
    assert both.sum() > 20 and _same(a.progression[both], b.progression[both])
    assert (b.progression[lu & np.isfinite(b.progression)]
            < b.death[lu & np.isfinite(b.progression)]).all()
    # the untreated history of the experimental arm exists only under common_effect
    assert np.isnan(a.untreated_death[lu]).all() and np.isfinite(b.untreated_death[lu]).all()


def test_an_acceleration_factor_of_one_makes_switching_harmless(netter1_config):
    config = _mechanic(netter1_config, "common_effect", 1.0)
    pair = simulate_switching_pair(config, seed=6)
    assert np.isfinite(pair.trial.latent.crossover).any()
    # x + 1 * (D0 - x) is D0 up to rounding
    np.testing.assert_allclose(pair.trial.latent.death, pair.no_switching.latent.death,
                               rtol=0, atol=1e-9)
    assert _same(pair.no_switching.latent.death, pair.trial.latent.untreated_death)


def test_without_switching_keeps_the_mechanic(netter1_config):
    config = without_switching(_mechanic(netter1_config, "common_effect"))
    assert config.crossover.probability == 0.0
    assert (config.crossover.mechanic, config.crossover.acceleration_factor) == (
        "common_effect", 1.5)
    assert [name for name, _ in config.overrides][-1] == "crossover.probability"
