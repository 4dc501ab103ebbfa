"""Calibration: published numbers against their distribution over simulated trials.

The calibration computes nothing itself: each seed's trial is locked at the study's
cut-offs, validated as the written CSV files would be, analysed by the study's own
analyses, and read through the scorecard rows.  The tests check exactly that: the
values of a seed equal those of the committed data analysed by ``netter run``, and the
summary follows the documented range rule.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from netter.endpoints.study import run_analyses
from netter.published import PublishedRecord, published_number
from netter.scorecard.build import reproduce
from netter.scorecard.calibration import (
    CalibrationRow,
    load_plan,
    run_calibration,
    seed_values,
    summarize_row,
    write_calibration,
)
from netter.scorecard.mapping import Spec
from netter.study.toml import StudyError
from netter.synthetic.config import load_config
from tests.netter1 import DATA, study


@pytest.fixture(scope="module")
def plan():
    return load_plan(study())


def test_every_target_is_a_verified_scorecard_row(plan):
    assert len(plan.specs) == 28 and plan.roles.count("calibration") == 14
    for spec in plan.specs:
        record = plan.records[spec.record]
        assert record.flag in ("V", "V2") and spec.value is not None
        assert published_number(record.value) > 0


@pytest.mark.parametrize(("value", "number"), [
    ("41/114 (36%)", 41.0), ("26 (22.2%)", 26.0), (0.406, 0.406), (142, 142.0)])
def test_published_number(value, number):
    assert published_number(value) == number


def test_seed_2012_equals_the_committed_data_analysed_by_the_study(plan):
    """The values of seed 2012 are those of data/synthetic/netter1 (seed 2012) analysed
    by the study's analyses and read by the scorecard rows: one path, not two."""
    config = load_config(study().simulation)
    values = seed_values(study(), config, plan, 2012)
    from netter.results import to_json_dict

    docs = {name: to_json_dict(doc) for name, doc in
            run_analyses(study(), sorted({s.analysis for s in plan.specs}), DATA).items()}
    for spec, value in zip(plan.specs, values, strict=True):
        got = reproduce(spec, docs[spec.analysis], spec.analysis)
        expected = float("inf") if got.not_reached else got.value
        assert value == expected, spec.record


def test_range_rule_medians_not_reached_count_as_infinite():
    spec = Spec("m", "Median", "OS", "final", "os", "x", kind="quantile")
    record = PublishedRecord("m", 10.0, None, "paper", "", "V")
    row = summarize_row(spec, "check", record, [9.0, 11.0, float("inf"), None])
    assert (row.mean, row.high, row.n_not_estimable, row.inside) == (10.0, None, 2, True)
    count = Spec("e", "Events", "OS", "final", "os", "x", kind="count")
    row = summarize_row(count, "check", PublishedRecord("e", 3, None, "p", "", "V"),
                        [1.0, 2.0, None, 2.0])
    assert (row.mean, row.low, row.high, row.n_not_estimable) == (5 / 3, 1.0, 2.0, 1)
    assert not row.inside


def test_row_inside_logic():
    row = CalibrationRow(record="r", label="l", role="calibration", flag="V", source="s",
                         published=48.0, mean=50.0, low=40.0, high=None, n_seeds=10,
                         n_not_estimable=1)
    assert row.inside
    assert not CalibrationRow(**{**row.__dict__, "low": 49.0}).inside


def test_small_run_is_deterministic_whatever_the_workers(tmp_path):
    first = run_calibration(study(), seeds=range(1, 4), progress=False, engine=False)
    second = run_calibration(study(), seeds=range(1, 4), progress=False, workers=2,
                             engine=False)
    a, b = write_calibration(first, tmp_path / "a"), write_calibration(second, tmp_path / "b")
    for x, y in zip(a, b, strict=True):
        assert x.read_bytes() == y.read_bytes()
    table = pd.read_csv(a[0])
    assert len(table) == 28 and (table["n_seeds"] == 3).all()
    document = json.loads(a[1].read_text(encoding="utf-8"))
    assert document["seeds"] == [1, 2, 3] and document["study"] == "netter1"
    assert "| PFS hazard ratio (NEJM) | calibration | 0.21 | V2 |" in a[2].read_text("utf-8")


def test_targets_must_be_verified_rows(tmp_path):
    from dataclasses import replace

    bad = tmp_path / "calibration.toml"
    bad.write_text('seeds = 3\ncalibration = ["orr.label.lu"]\n', encoding="utf-8")
    with pytest.raises(StudyError, match="'orr.label.lu' is not a verified published number"):
        load_plan(replace(study(), calibration=bad))
    bad.write_text('calibration = ["no.such.record"]\n', encoding="utf-8")
    with pytest.raises(StudyError, match="'no.such.record' is not a row of"):
        load_plan(replace(study(), calibration=bad))
    bad.write_text('calibrate = ["os.final.hr"]\n', encoding="utf-8")
    with pytest.raises(StudyError, match="unknown key 'calibrate'"):
        load_plan(replace(study(), calibration=bad))


def test_the_engine_runs_trials_of_the_configs_seed_and_says_so(tmp_path):
    summary = run_calibration(study(), seeds=range(1, 4), progress=False)
    assert summary.trial_seed == 2012 and summary.seeds == (0, 1, 2)
    paths = write_calibration(summary, tmp_path)
    document = json.loads(paths[1].read_text(encoding="utf-8"))
    assert document["seeds"] == [0, 1, 2] and document["trial_seed"] == 2012
    assert "trials 0-2 of seed 2012" in paths[2].read_text("utf-8")
    from netter.errors import NetterError
    from netter.scorecard.calibration import use_engine

    plan = load_plan(study())
    from dataclasses import replace

    from netter.synthetic.config import load_config

    odd = replace(plan, specs=(replace(plan.specs[0], value="endpoints.PFS.ph_test.p_value"),
                               *plan.specs[1:]))
    config = load_config(study().simulation)
    assert use_engine(study(), config, plan, None) and not use_engine(study(), config, odd, None)
    with pytest.raises(NetterError, match="cannot compute the calibration rows"):
        use_engine(study(), config, odd, True)
