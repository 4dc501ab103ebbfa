"""The simulator config: readable errors, and one-mechanic what-if changes."""

from __future__ import annotations

import re

import numpy as np
import pytest

from netter.cli import main
from netter.errors import ConfigError
from netter.synthetic.config import default_config_text, load_config
from netter.synthetic.lock import lock_database
from netter.synthetic.trial import simulate_trial


def _variant(tmp_path, old: str, new: str, name: str = "variant.toml"):
    text = default_config_text()
    assert len(re.findall(old, text, flags=re.M)) == 1, old
    path = tmp_path / name
    path.write_text(re.sub(old, new, text, flags=re.M), encoding="utf-8")
    return path


def test_default_config_loads_with_published_design():
    config = load_config()
    assert config.n_subjects == 231
    assert config.arms.labels == ("177Lu-DOTATATE", "Octreotide LAR 60 mg")
    assert [str(d) for d in config.cutoffs.dates] == ["2015-07-24", "2016-06-30", "2021-01-14"]


@pytest.mark.parametrize(("old", "new", "message"), [
    (r"^block_size = 4$", "block_size = 4\nblock_sise = 4",
     r"\[randomisation\] unknown key\(s\) block_sise"),
    (r"^block_size = 4$", "", r"\[randomisation\] missing key 'block_size'"),
    (r"^block_size = 4$", 'block_size = "four"', r"block_size = 'four' must be of type int"),
    (r"^alp_elevated_prob = 0.35", "alp_elevated_prob = 1.35", r"alp_elevated_prob.*\[0, 1\]"),
    (r"^grade_probs = \[0.66, 0.34\]", "grade_probs = [0.66, 0.44]", r"sum to 1.1"),
    (r"^block_size = 4$", "block_size = 3", r"multiple of sum"),
    (r"^interval_weeks = 12", "interval_weeks = 2\nwindow_days_x = 1", r"unknown key"),
    (r"^dates = \[2015-07-24, 2016-06-30, 2021-01-14\]",
     "dates = [2016-06-30, 2015-07-24, 2021-01-14]", r"increasing order"),
])
def test_bad_config_is_refused_with_file_section_and_key(tmp_path, old, new, message):
    path = _variant(tmp_path, old, new)
    with pytest.raises(ConfigError, match=message) as err:
        load_config(path)
    assert str(path) in str(err.value)


def test_invalid_toml_and_missing_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[trial\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(bad)
    with pytest.raises(ConfigError, match="cannot read config"):
        load_config(tmp_path / "absent.toml")


def test_cli_reports_config_error_and_exits_1(tmp_path, capsys):
    path = _variant(tmp_path, r"^block_size = 4$", "block_size = 5")
    assert main(["simulate", "--config", str(path), "--out", str(tmp_path / "o"),
                 "--quiet"]) == 1
    assert "block_size" in capsys.readouterr().err


def test_eight_weekly_scans_change_only_the_scans(tmp_path):
    default = load_config()
    eight = load_config(_variant(tmp_path, r"^interval_weeks = 12", "interval_weeks = 8"))
    a, b = simulate_trial(default, seed=5), simulate_trial(eight, seed=5)
    # same patients, same arms, same true outcomes (independent random streams)
    for column in ("usubjid", "arm", "randdt", "progression_day", "death_day"):
        assert (a.subjects[column] == b.subjects[column]).all()
    assert set(b.visits["week"] % 8) == {0} and len(b.visits) > len(a.visits)


def test_no_crossover(tmp_path):
    config = load_config(_variant(tmp_path, r"^probability = 0.46", "probability = 0.0"))
    final = lock_database(config, simulate_trial(config, seed=3), config.cutoffs.dates[-1])
    assert (final["adsl"]["XOVERFL"] == "N").all()


def test_two_to_one_randomisation(tmp_path):
    path = _variant(tmp_path, r"^ratio = \[1, 1\]\nblock_size = 4",
                    "ratio = [2, 1]\nblock_size = 6")
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^condition_counts_primary = .*$", "condition_counts_primary = []", text,
                  flags=re.M)
    text = re.sub(r"^condition_counts_total = .*$", "condition_counts_total = []", text,
                  flags=re.M)
    path.write_text(text, encoding="utf-8")
    trial = simulate_trial(load_config(path), seed=11)
    n_lu = int((trial.subjects["arm_index"] == 0).sum())
    # six strata, blocks of six: at most 4 subjects away from exactly 2:1 per stratum
    assert abs(n_lu - 231 * 2 / 3) <= 6 * 4


def test_stronger_treatment_effect_delays_progression(tmp_path):
    weak = load_config(_variant(tmp_path, r"^hazard_ratio = \[0.165, 0.145, 0.12, 0.30\]",
                                "hazard_ratio = [1.0, 1.0, 1.0, 1.0]"))
    a, b = simulate_trial(load_config(), seed=9), simulate_trial(weak, seed=9)
    lu = a.subjects["arm_index"].to_numpy() == 0
    later = a.subjects["progression_day"].to_numpy() >= b.subjects["progression_day"].to_numpy()
    assert later[lu].all()
    assert np.array_equal(a.subjects["progression_day"][~lu], b.subjects["progression_day"][~lu])
