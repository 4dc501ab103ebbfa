"""Forest plot and response figure: built from hand-written documents, texts are the results."""

from __future__ import annotations

import dataclasses
import math

import pytest
from matplotlib.collections import LineCollection

from netter.figures.forest import axis_breaks, axis_limits, forest_figure, forest_rows
from netter.figures.response import bor_frame, rate_frame, response_figure
from netter.tables.specimen import specimen_response, specimen_subgroups


@pytest.fixture
def subgroups():
    return specimen_subgroups()


@pytest.fixture
def response():
    return specimen_response()


def column_texts(fig, label: str) -> list[str]:
    ax = next(a for a in fig.axes if a.get_label() == f"forest {label}")
    rows = sorted((t for t in ax.texts if t.get_position()[1] <= ax.get_ylim()[1]),
                  key=lambda t: -t.get_position()[1])
    return [t.get_text() for t in rows]


def test_forest_rows_and_side_table(subgroups):
    fig = forest_figure(subgroups, title="PFS by subgroup")
    assert column_texts(fig, "subgroup") == ["All patients", "Sex", "Female", "Male",
                                             "Liver burden", "<25%", ">50%"]
    assert column_texts(fig, "patients") == ["20 (12)", "", "9 (6)", "11 (6)", "",
                                             "14 (9)", "6 (3)"]
    assert column_texts(fig, "hazard ratio") == [
        "0.18 (0.04–0.90)", "Interaction p=0.520", "0.25 (0.05–1.30)", "0.14 (0.02–0.95)",
        "Interaction p NE", "0.21 (0.05–0.86)", "NE"]


def test_forest_markers_only_where_estimable_and_lines_at_1_and_overall(subgroups):
    rows = forest_rows(subgroups)
    assert [r["hr"] is not None for r in rows] == [True, False, True, True, False, True,
                                                   False]
    panel = forest_figure(subgroups).axes[0]
    assert panel.get_xscale() == "linear"  # plotnine draws log10 values
    assert panel.get_xlim() == pytest.approx((math.log10(2 ** -6), math.log10(2)), abs=1e-12)
    vertical = [(seg[0, 0], coll.get_linestyle()[0][1] is not None)
                for coll in panel.collections if isinstance(coll, LineCollection)
                for seg in coll.get_segments() if seg[0, 0] == seg[-1, 0]]
    assert (0.0, False) in vertical  # solid line at HR 1
    assert (pytest.approx(math.log10(0.18)), True) in vertical  # dashed at the overall HR


def test_forest_axis_limits_and_ticks():
    assert axis_limits([{"lo": 0.001, "hi": 500.0, "hr": 2.0}]) == (2.0 ** -7, 2.0 ** 7)
    assert axis_breaks((0.25, 4.0), 3.0) == [0.5, 1.0, 2.0]
    assert axis_breaks((0.01, 100.0), 0.5) == [0.01, 0.1, 1.0, 10.0, 100.0][:5]


def test_forest_overall_not_estimable_still_draws(subgroups):
    overall = dataclasses.replace(subgroups.overall, hazard_ratio=None, ci=(None, None),
                                  not_estimable_reason="no events")
    fig = forest_figure(dataclasses.replace(subgroups, overall=overall))
    assert column_texts(fig, "hazard ratio")[0] == "NE"


def test_response_frames_come_from_the_block(response):
    rates = rate_frame(response)
    assert rates.rate.tolist() == [40.0, 0.0, 80.0, 50.0]
    assert rates.hi.tolist() == pytest.approx([73.76, 30.85, 97.48, 81.29])
    bor = bor_frame(response)
    assert bor.groupby("arm").share.sum().tolist() == pytest.approx([1.0, 1.0])
    lu = bor[bor.arm == "Drug A"]
    assert lu["count"].tolist() == [1, 3, 4, 1, 1]
    assert lu.middle.tolist() == pytest.approx([0.05, 0.25, 0.6, 0.85, 0.95])


def test_response_figure_from_the_minimal_block(response):
    minimal = {"confirmed": True, "arms": [
        {k: a[k] for k in ("arm", "n", "responders", "rate", "ci", "ci_method",
                           "bor_counts", "dcr")} for a in response["arms"]]}
    minimal["arms"][1]["bor_counts"] = {"SD": 10}  # categories may be left out
    fig = response_figure(minimal, title="Response")
    assert len(fig.axes) == 2
    labels = [t.get_text() for t in fig.axes[1].texts]
    assert "10" in labels
