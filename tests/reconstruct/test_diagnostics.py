"""Diagnostics: numbers at risk, events, the true maximum distance, the figure, the summary."""

from __future__ import annotations

import numpy as np
import pytest

from netter.reconstruct import diagnostics
from netter.reconstruct.diagnostics import (
    at_risk_table,
    curve_distance,
    fit_table,
    overlay_frames,
    overlay_plot,
    points_table,
    step_value,
)
from netter.reconstruct.pipeline import reconstruct, write_reconstruction


@pytest.fixture
def rec(simple_inputs):
    curve, risk = simple_inputs
    return reconstruct([curve], risk)


def test_step_value_is_right_continuous_and_starts_at_one():
    knots, values = np.array([0.0, 1.0, 1.0, 3.0]), np.array([1.0, 0.9, 0.7, 0.5])
    assert step_value(knots, values, [0.5, 1.0, 2.0, 3.0, 9.0]).tolist() == [
        1.0, 0.7, 0.7, 0.5, 0.5]
    assert step_value(np.array([2.0]), np.array([0.5]), [1.0]).tolist() == [1.0]


def test_maximum_is_the_true_supremum_not_a_value_at_the_points():
    # the curves disagree only on [1, 2): no digitised point lies there
    digit_t, digit_s = np.array([0.0, 2.0, 4.0]), np.array([1.0, 0.5, 0.5])
    km_t, km_s = np.array([0.0, 1.0, 4.0]), np.array([1.0, 0.5, 0.5])
    dist = curve_distance(digit_t, digit_s, km_t, km_s)
    assert dist.max_abs == 0.5 and dist.time_of_max == 1.0 and dist.rmse == 0.0


def test_rmse_over_distinct_digitised_times():
    digit_t, digit_s = np.array([0.0, 1.0, 1.0, 2.0]), np.array([1.0, 1.0, 0.8, 0.8])
    km_t, km_s = np.array([0.0, 1.0]), np.array([1.0, 0.7])
    dist = curve_distance(digit_t, digit_s, km_t, km_s)
    assert dist.rmse == pytest.approx(np.sqrt((0 + 0.01 + 0.01) / 3))
    assert dist.max_abs == pytest.approx(0.1)


def test_fit_table(rec):
    fit = fit_table(rec)
    assert fit["arm"].tolist() == ["A", "B"] and fit["n"].tolist() == [20, 20]
    assert fit["events_published"].isna().all()
    assert (fit["events_reconstructed"] + fit["censored"]).tolist() == [20, 20]
    assert (fit["max_abs_diff"] >= fit["rmse"]).all()


def test_at_risk_table_compares_at_every_published_time(rec):
    table = at_risk_table(rec)
    assert table[["arm", "time", "published"]].values.tolist() == [
        ["A", 0.0, 20], ["A", 2.0, 18], ["A", 4.0, 12], ["B", 0.0, 20], ["B", 3.0, 15]]
    assert (table["difference"] == table["reconstructed"] - table["published"]).all()
    assert table["difference"].abs().max() == 0


def test_points_and_overlay_frames(rec):
    points = points_table(rec)
    assert points.groupby("arm")["events"].sum().tolist() == [
        int(a.fit.patient_event.sum()) for a in rec.arms]
    steps, clicked = overlay_frames(rec)
    assert set(steps["arm"]) == {"A", "B"} and steps["time"].min() == 0
    assert set(clicked["status"]) <= {"as clicked", "changed by cleaning", "added by cleaning"}


def test_figure_is_drawn_from_prepared_frames(rec, tmp_path):
    steps, points = overlay_frames(rec)
    figure = overlay_plot(steps, points, time_unit="MONTHS", paramcd="PFS")
    first, second = tmp_path / "a.png", tmp_path / "b.png"
    figure.save(first, width=4, height=3, dpi=60, verbose=False)
    overlay_plot(steps, points, time_unit="MONTHS", paramcd="PFS").save(
        second, width=4, height=3, dpi=60, verbose=False)
    assert first.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert first.read_bytes() == second.read_bytes()


def test_written_diagnostics_and_summary(rec, tmp_path):
    written = write_reconstruction(rec, tmp_path / "out")
    names = [p.name for p in written]
    assert names == ["adsl.csv", "adtte.csv", diagnostics.FIT_FILE, diagnostics.AT_RISK_FILE,
                     diagnostics.CHANGES_FILE, diagnostics.POINTS_FILE,
                     diagnostics.WARNINGS_FILE, diagnostics.FIGURE_FILE,
                     diagnostics.REPORT_FILE]
    text = (tmp_path / "out" / diagnostics.REPORT_FILE).read_text()
    for heading in ("## Inputs", "## Fit by arm", "## Numbers at risk", "## Last interval",
                    "## Cleaning of the digitised points", "## Warnings",
                    "## What reconstructed data cannot give"):
        assert heading in text
    assert "- total events: not given" in text and "Largest difference: 0." in text
    assert f"]({diagnostics.FIGURE_FILE})" in text
    assert "stratif" in text and "covariates" in text.lower()
