"""Kaplan-Meier figure: built from the results alone, at-risk numbers aligned and exact."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from netter.figures.km import (
    annotation_text,
    axis_ticks,
    km_figure,
    risk_axes,
    step_band,
    step_curve,
)
from netter.figures.theme import save_figure
from netter.tables.specimen import specimen_results

PRIMARY = Path(__file__).parents[2] / "data" / "synthetic" / "netter1" / "primary"


@pytest.fixture
def results():
    return specimen_results()


@pytest.fixture(scope="module")
def synthetic_results():
    """``netter analyze`` of the committed synthetic primary cut-off, with strata."""
    from netter.adam.io import load_adam
    from netter.endpoints import analyze_trial

    return analyze_trial(load_adam(PRIMARY), strata=("STRAT1R", "STRAT2R"),
                         reference="Octreotide LAR 60 mg",
                         landmarks=(12.0,))


def displayed_risk(fig, k: int) -> dict[float, int]:
    """Time -> number printed in arm ``k``'s row of the numbers-at-risk axes."""
    out = {}
    for text in risk_axes(fig).texts:
        gid = text.get_gid() or ""
        if gid.startswith(f"at-risk-{k}-"):
            x, _ = text.get_position()
            assert gid == f"at-risk-{k}-{x:g}"
            out[float(x)] = int(text.get_text())
    return out


def check_alignment(fig, endpoint) -> None:
    panel, rax = fig.axes[0], risk_axes(fig)
    assert rax.get_xlim() == panel.get_xlim()
    p, r = panel.get_position(), rax.get_position()
    assert (r.x0, r.width) == pytest.approx((p.x0, p.width), abs=1e-12)
    ticks = [float(t) for t in panel.get_xticks() if panel.get_xlim()[0] <= t
             <= panel.get_xlim()[1]]
    for k, arm in enumerate(endpoint.arms):
        shown = displayed_risk(fig, k)
        assert sorted(shown) == ticks
        expected = {row.time: row.n_risk for row in arm.risk_table}
        assert shown == {t: expected[t] for t in shown}


def test_specimen_figure_builds_and_numbers_at_risk_are_the_results(results):
    endpoint = results.endpoints["PFS"]
    fig = km_figure(endpoint, title=None)
    check_alignment(fig, endpoint)
    assert displayed_risk(fig, 1) == {0.0: 10, 4.0: 6, 8.0: 1, 12.0: 0}
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "Stratified analysis\nHR 0.20 (95% CI 0.04–0.97)\nLog-rank p=0.028" in texts


@pytest.mark.parametrize("param", ["PFS", "OS", "TTDGHS"])
def test_synthetic_trial_numbers_at_risk_equal_the_results(synthetic_results, param):
    endpoint = synthetic_results.endpoints[param]
    fig = km_figure(endpoint, title=param, document=synthetic_results)
    check_alignment(fig, endpoint)
    assert displayed_risk(fig, 0)[0.0] == endpoint.arms[0].n


def test_double_width_keeps_every_4_month_tick_and_long_follow_up_thins(results):
    endpoint = results.endpoints["PFS"]
    wide = km_figure(endpoint, title=None, width=7.0)
    check_alignment(wide, endpoint)
    assert axis_ticks([4.0 * k for k in range(26)]) == [0.0, 12.0, 24.0, 36.0, 48.0, 60.0,
                                                         72.0, 84.0, 96.0]
    assert axis_ticks([4.0 * k for k in range(26)], 7.0)[:3] == [0.0, 8.0, 16.0]


def test_curve_is_a_right_continuous_step_from_one(results):
    arm = results.endpoints["PFS"].arms[1]
    frame = step_curve(arm)
    assert frame.x.tolist() == [0.0, *arm.curve.time]
    assert frame.y.tolist() == [1.0, *arm.curve.survival]


def test_band_is_a_true_step_never_interpolated(results):
    for arm in results.endpoints["PFS"].arms:
        band = step_band(arm)
        for _, poly in band.groupby("group"):
            xy = poly[["x", "y"]].to_numpy()
            edges = np.diff(np.vstack([xy, xy[:1]]), axis=0)
            assert np.all((edges[:, 0] == 0) | (edges[:, 1] == 0)), "diagonal edge"
        c = arm.curve
        upper = band.iloc[: 2 * len(c.time)]
        assert upper.y.tolist()[::2] == list(c.ci_upper)
        assert upper.x.tolist()[::2] == list(c.time)


def test_band_skips_rows_without_limits(results):
    arm = results.endpoints["PFS"].arms[0]
    curve = dataclasses.replace(arm.curve, ci_lower=(*arm.curve.ci_lower[:-2], None, None),
                                ci_upper=(*arm.curve.ci_upper[:-2], None, None))
    band = step_band(dataclasses.replace(arm, curve=curve))
    assert band.x.max() == arm.curve.time[-2]  # the run ends where the limits stop


def test_annotation_without_strata_and_with_a_hazard_ratio_not_estimable(results):
    endpoint = results.endpoints["OS"]
    assert annotation_text(endpoint) == "HR 0.44 (95% CI 0.08–2.40)\nLog-rank p=0.330"
    cox = dataclasses.replace(endpoint.cox, hazard_ratio=None, ci=(None, None),
                              not_estimable_reason="monotone likelihood: ... tends to 0")
    assert annotation_text(dataclasses.replace(endpoint, cox=cox)).startswith("HR 0.00\n")


def test_results_without_curves_are_refused(results):
    endpoint = results.endpoints["PFS"]
    arms = tuple(dataclasses.replace(a, curve=None) for a in endpoint.arms)
    with pytest.raises(ValueError, match="no Kaplan-Meier curve"):
        km_figure(dataclasses.replace(endpoint, arms=arms), title=None)


def test_saved_png_and_svg_are_deterministic(results, tmp_path):
    paths = [save_figure(km_figure(results.endpoints["PFS"], title=None), tmp_path / d, "x--km")
             for d in ("a", "b")]
    for first, second in zip(*paths, strict=True):
        assert first.read_bytes() == second.read_bytes()
    png, svg = paths[0]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and b"Software" not in png.read_bytes()
    root = ET.fromstring(svg.read_bytes())
    assert root.tag.endswith("svg")
    assert b"<dc:date>" not in svg.read_bytes() and b"Matplotlib v" not in svg.read_bytes()
