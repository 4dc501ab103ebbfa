"""The simulator config: readable errors, and one-mechanic what-if changes."""

from __future__ import annotations

import re

import numpy as np
import pytest

from netter.cli import main
from netter.errors import ConfigError
from netter.synthetic.config import load_config
from netter.synthetic.lock import lock_database
from netter.synthetic.trial import simulate_trial
from tests.synthetic.helpers import NETTER1_CONFIG, variant


def test_netter1_config_loads_with_published_design(netter1_config):
    config = netter1_config
    assert config.n_subjects == 231
    assert config.arms.labels == ("177Lu-DOTATATE", "Octreotide LAR 60 mg")
    assert [str(d) for d in config.cutoffs.dates] == ["2015-07-24", "2016-06-30", "2021-01-14"]
    assert [f.variable for f in config.strata] == ["STRAT1R", "STRAT2R"]
    assert [f.kind for f in config.covariates] == [
        "normal", "binary", "categorical", "categorical", "binary", "binary", "categorical"]
    assert config.baseline_variables == (
        "STRAT1R", "STRAT2R", "AGE", "AGEU", "AGEGR1", "SEX", "PRIMSITE", "LIVBURD", "ALPELFL",
        "LGLESFL", "TUMGRD")
    assert config.qol is not None and config.source == str(NETTER1_CONFIG)


def test_a_path_is_required():
    with pytest.raises(ConfigError, match="no simulation config given"):
        load_config(None)


@pytest.mark.parametrize(("old", "new", "message"), [
    (r"^block_size = 4$", "block_size = 4\nblock_sise = 4",
     r"\[randomisation\] unknown key\(s\) block_sise"),
    (r"^block_size = 4$", "", r"\[randomisation\] missing key 'block_size'"),
    (r"^block_size = 4$", 'block_size = "four"', r"block_size = 'four' must be of type int"),
    (r"^block_size = 4$", "block_size = 3", r"multiple of sum"),
    (r"^interval_weeks = 12", "interval_weeks = 2\nwindow_days_x = 1", r"unknown key"),
    (r"^dates = \[2015-07-24, 2016-06-30, 2021-01-14\]",
     "dates = [2016-06-30, 2015-07-24, 2021-01-14]", r"increasing order"),
    (r"^condition_counts_first_cutoff = ", "condition_counts_primary = ",
     r"\[randomisation\] unknown key\(s\) condition_counts_primary"),
    (r"^\[progression\]$", "[prognosis]\ndeath_hr_per_10y_age = 1.25\n[progression]",
     r"unknown section\(s\) prognosis"),
])
def test_bad_section_is_refused_with_file_section_and_key(tmp_path, old, new, message):
    path = variant(tmp_path, old, new)
    with pytest.raises(ConfigError, match=message) as err:
        load_config(path)
    assert str(path) in str(err.value)


AGE, SEX, LIVBURD = (r"\[\[covariates\]\] #1 \(AGE\)", r"\[\[covariates\]\] #2 \(SEX\)",
                     r"\[\[covariates\]\] #4 \(LIVBURD\)")
ALPELFL, TUMGRD = r"\[\[covariates\]\] #5 \(ALPELFL\)", r"\[\[covariates\]\] #7 \(TUMGRD\)"
STRAT1R, STRAT2R = r"\[\[strata\]\] #1 \(STRAT1R\)", r"\[\[strata\]\] #2 \(STRAT2R\)"


@pytest.mark.parametrize(("old", "new", "message"), [
    # keys and types, table by table
    (r"^prob = 0.35$", "prob = 0.35\nprb = 0.1", ALPELFL + r" unknown key\(s\) prb"),
    (r"^sd = 9.0$", "", AGE + r" missing key 'sd'"),
    (r"^min = 28$", "min = 28.5", AGE + r" min = 28.5 must be of type int"),
    (r"^prob = 0.53 ", 'prob = "0.53" ', SEX + r" prob = '0.53' must be of type float"),
    (r'^kind = "binary"\nvariable = "SEX"', 'kind = "bernoulli"\nvariable = "SEX"',
     SEX + r" kind = 'bernoulli' must be one of categorical, binary, normal"),
    (r'^kind = "binary"\nvariable = "SEX"', 'variable = "SEX"', SEX + r" missing key 'kind'"),
    (r'^variable = "STRAT1R"', 'kind = "categorical"\nvariable = "STRAT1R"',
     STRAT1R + r" unknown key\(s\) kind"),
    (r'^levels = \["2", "3", "4"\]', 'levels = "2, 3, 4"',
     STRAT1R + r" levels = .* must be a list"),
    # values within a table
    (r"^prob = 0.35$", "prob = 1.35", ALPELFL + r" prob: \[1.35\] must lie in \[0, 1\]"),
    (r"^probs = \[0.66, 0.34\]", "probs = [0.66, 0.44]", TUMGRD + r" probs: .* sum to 1.1"),
    (r"^probs = \[0.10, 0.35, 0.55\]", "probs = [0.45, 0.55]",
     STRAT1R + r" probs: 2 values for 3 levels"),
    (r"^progression_hr = \[1.0, 1.15, 1.45\]", "progression_hr = [1.0, 1.15]",
     LIVBURD + r" progression_hr: 2 hazard ratios for 3 levels"),
    (r"^death_hr = \[1.0, 1.25, 1.70\]", "death_hr = [1.0, 1.25, 1.70, 2.0]",
     LIVBURD + r" death_hr: 4 hazard ratios for 3 levels"),
    (r"^death_hr = 1.30", "death_hr = 0.0", ALPELFL + r" death_hr: 0.0 must be > 0"),
    (r'^levels = \["M", "F"\]', 'levels = ["M", "F", "U"]', SEX + r" levels: .* two levels"),
    (r'^levels = \["G1", "G2"\]', 'levels = ["G1", "G1"]', TUMGRD + r" levels: .* distinct"),
    (r'^group_labels = \["<65", ">=65"\]', 'group_labels = ["<65"]',
     AGE + r" group_labels: 1 labels for 1 cuts"),
    (r"^group_cuts = \[65\]", "", AGE + r" group_variable: .* go together"),
    (r'^unit = "YEARS"', "", AGE + r" unit: unit_variable and unit go together"),
    (r"^hr_centre = 63.0", "", AGE + r" hr_centre: needed with"),
    (r"^sd = 9.0$", "sd = 0.0", AGE + r" sd: 0.0 must be > 0"),
    # variables across tables
    (r'^variable = "TUMGRD"', 'variable = "SEX"',
     r"\[\[covariates\]\] #7 \(SEX\) variable: 'SEX' is also written by " + SEX),
    (r'^group_variable = "AGEGR1"', 'group_variable = "STRAT2R"',
     AGE + r" group_variable: 'STRAT2R' is also written by " + STRAT2R),
    (r'^variable = "STRAT2R"', 'variable = "TRT01P"',
     r"\[\[strata\]\] #2 \(TRT01P\) variable: 'TRT01P' is written by the simulator itself"),
    (r'^unit_variable = "AGEU"', 'unit_variable = "USUBJID"',
     AGE + r" unit_variable: 'USUBJID' is written by the simulator itself"),
    (r'^variable = "PRIMSITE"', 'variable = "primsite"',
     r"\[\[covariates\]\] #3 \(primsite\) variable: 'primsite' is not an ADSL variable name"),
])
def test_bad_strata_or_covariate_is_refused_naming_the_table(tmp_path, old, new, message):
    path = variant(tmp_path, old, new)
    with pytest.raises(ConfigError, match=message) as err:
        load_config(path)
    assert str(err.value).startswith(f"{path}: ")


def test_strata_must_be_an_array_of_tables(tmp_path):
    text = NETTER1_CONFIG.read_text(encoding="utf-8")
    text = re.sub(r"^\[\[strata\]\]\n(.+\n)+?\n", "", text, flags=re.M)
    assert not re.search(r"^\[\[strata\]\]", text, flags=re.M)
    path = tmp_path / "old_style.toml"
    path.write_text(text + '\n[strata]\nsrs_uptake_levels = ["2", "3", "4"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[strata\] must be an array of tables"):
        load_config(path)


def test_invalid_toml_and_missing_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[trial\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(bad)
    with pytest.raises(ConfigError, match="cannot read config"):
        load_config(tmp_path / "absent.toml")


def test_cli_reports_config_error_and_exits_1(tmp_path, capsys):
    path = variant(tmp_path, r"^block_size = 4$", "block_size = 5")
    assert main(["simulate", "--config", str(path), "--out", str(tmp_path / "o"),
                 "--quiet"]) == 1
    assert "block_size" in capsys.readouterr().err


def test_eight_weekly_scans_change_only_the_scans(tmp_path, netter1_config):
    eight = load_config(variant(tmp_path, r"^interval_weeks = 12", "interval_weeks = 8"))
    a, b = simulate_trial(netter1_config, seed=5), simulate_trial(eight, seed=5)
    # same patients, same arms, same true outcomes (independent random streams)
    for column in ("usubjid", "arm", "randdt", "progression_day", "death_day"):
        assert (a.subjects[column] == b.subjects[column]).all()
    assert set(b.visits["week"] % 8) == {0} and len(b.visits) > len(a.visits)


def test_no_crossover(tmp_path):
    config = load_config(variant(tmp_path, r"^probability = 0.46", "probability = 0.0"))
    final = lock_database(config, simulate_trial(config, seed=3), config.cutoffs.dates[-1])
    assert (final["adsl"]["XOVERFL"] == "N").all()


def test_two_to_one_randomisation(tmp_path):
    path = variant(tmp_path, r"^ratio = \[1, 1\]\nblock_size = 4",
                   "ratio = [2, 1]\nblock_size = 6")
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^condition_counts_first_cutoff = .*$", "condition_counts_first_cutoff = []",
                  text, flags=re.M)
    text = re.sub(r"^condition_counts_total = .*$", "condition_counts_total = []", text,
                  flags=re.M)
    path.write_text(text, encoding="utf-8")
    trial = simulate_trial(load_config(path), seed=11)
    n_lu = int((trial.subjects["arm_index"] == 0).sum())
    # six strata, blocks of six: at most 4 subjects away from exactly 2:1 per stratum
    assert abs(n_lu - 231 * 2 / 3) <= 6 * 4


def test_stronger_treatment_effect_delays_progression(tmp_path, netter1_config):
    weak = load_config(variant(tmp_path, r"^hazard_ratio = \[0.165, 0.145, 0.12, 0.30\]",
                               "hazard_ratio = [1.0, 1.0, 1.0, 1.0]"))
    a, b = simulate_trial(netter1_config, seed=9), simulate_trial(weak, seed=9)
    lu = a.subjects["arm_index"].to_numpy() == 0
    later = a.subjects["progression_day"].to_numpy() >= b.subjects["progression_day"].to_numpy()
    assert later[lu].all()
    assert np.array_equal(a.subjects["progression_day"][~lu], b.subjects["progression_day"][~lu])
