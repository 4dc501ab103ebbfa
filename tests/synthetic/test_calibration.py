"""Calibration machinery: targets come from verified published records; metrics match the data."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from netter.published import published_number, published_record
from netter.synthetic.calibration import (
    TARGETS,
    CalibrationRow,
    run_calibration,
    write_calibration,
)
from netter.synthetic.config import load_config
from netter.synthetic.metrics import trial_metrics
from tests.synthetic.helpers import NETTER1_CONFIG


@pytest.fixture(scope="module")
def metrics_2012():
    return trial_metrics(load_config(NETTER1_CONFIG), seed=2012, profile="r")


def test_every_target_is_a_verified_published_number():
    for target in TARGETS:
        record = published_record(target.record)
        assert record.flag in ("V", "V2"), target.record
        assert published_number(record.value) > 0


@pytest.mark.parametrize(("value", "number"), [
    ("41/114 (36%)", 41.0), ("26 (22.2%)", 26.0), (0.406, 0.406), (142, 142.0)])
def test_published_number(value, number):
    assert published_number(value) == number


def test_metrics_agree_with_the_committed_datasets(metrics_2012, locks):
    final = locks["final"]
    os_final = final["adtte"][final["adtte"]["PARAMCD"] == "OS"]
    assert metrics_2012["os.final.deaths"] == int((os_final["CNSR"] == "0").sum())
    assert metrics_2012["os.final.crossovers.control"] == int(
        (final["adsl"]["XOVERFL"] == "Y").sum())
    primary = locks["primary"]
    pfs = primary["adtte"][primary["adtte"]["PARAMCD"] == "PFS"].merge(
        primary["adsl"][["USUBJID", "TRT01P"]], on="USUBJID")
    lu_events = ((pfs["CNSR"] == "0") & (pfs["TRT01P"] == "177Lu-DOTATATE")).sum()
    assert metrics_2012["pfs.primary.events.lu"] == int(lu_events)
    assert metrics_2012["design.primary.n"] == 229


def test_default_trial_is_near_the_published_primary_results(metrics_2012):
    assert 0.1 < metrics_2012["pfs.primary.hr"] < 0.33  # published 0.21 (0.13-0.33)
    assert 0.10 < metrics_2012["orr.primary.lu"] < 0.26  # published 18%


def test_row_inside_logic():
    row = CalibrationRow(metric="m", label="l", role="calibration", record="r", flag="V",
                         source="s", published=48.0, mean=50.0, low=40.0, high=None,
                         n_seeds=10, n_not_estimable=1)
    assert row.inside
    assert not CalibrationRow(**{**row.__dict__, "low": 49.0}).inside


def test_small_run_writes_deterministic_outputs(tmp_path):
    config = load_config(NETTER1_CONFIG)
    first = run_calibration(config, seeds=range(1, 4), profile="r", progress=False)
    second = run_calibration(config, seeds=range(1, 4), profile="r", progress=False)
    a, b = write_calibration(first, tmp_path / "a"), write_calibration(second, tmp_path / "b")
    for x, y in zip(a, b, strict=True):
        assert x.read_bytes() == y.read_bytes()
    table = pd.read_csv(a[0])
    assert len(table) == len(TARGETS) and (table["n_seeds"] == 3).all()
    document = json.loads(a[1].read_text(encoding="utf-8"))
    assert document["seeds"] == [1, 2, 3] and document["profile"] == "r"
    assert "| PFS hazard ratio (primary) | calibration | 0.21 | V2 |" in a[2].read_text("utf-8")
