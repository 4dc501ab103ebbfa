"""Crossover figures: the methods' forest plot and the Kaplan-Meier figure with the
reference arm's RPSFTM counterfactual, drawn from the crossover document alone.

Documents come from :func:`netter.endpoints.crossover.analyze_crossover` on the committed
synthetic NETTER-1 final cut-off and on rpsftm's ``immdef`` trial (times in years).
"""

from __future__ import annotations

import dataclasses
import math
import xml.etree.ElementTree as ET

import pytest
from matplotlib import cbook
from matplotlib.text import Text

from netter.adam.io import load_adam
from netter.artefacts import write_results
from netter.cli import main
from netter.endpoints.crossover import analyze_crossover, empty_crossover
from netter.figures.crossover import (
    NOT_ESTIMABLE,
    crossover_forest_figure,
    crossover_forest_rows,
    crossover_km_figure,
    number_at_risk,
)
from netter.figures.km import risk_axes
from netter.figures.outputs import document_figures, write_figures
from netter.figures.theme import arm_styles, save_figure
from netter.results import ArmLabel
from netter.results.crossover import METHODS
from netter.tables import fmt
from netter.tables.crossover import hr_text, method_rows
from tests.netter1 import ARM, FINAL, REF, ROOT

IMMDEF = ROOT / "tests" / "reference" / "data" / "immdef"
SCRIPT = "<script>alert('x')</script> & --> \"q\""


@pytest.fixture(scope="module")
def final():
    return load_adam(FINAL)


@pytest.fixture(scope="module")
def every_method(final):
    return analyze_crossover(final, param="OS", reference=REF, methods=METHODS,
                             covariates=("STRAT1R", "STRAT2R"))


@pytest.fixture(scope="module")
def no_root(final):
    """RPSFTM not estimable (no root in [1, 3]): no counterfactual curve."""
    return analyze_crossover(final, param="OS", reference=REF, methods=("rpsftm", "ipcw"),
                             rpsftm_interval=(1.0, 3.0))


@pytest.fixture(scope="module")
def immdef():
    return analyze_crossover(load_adam(IMMDEF), param="OS", reference="Deferred",
                             time_unit="years")


def _axes(fig, label: str):
    return next(ax for ax in fig.axes if ax.get_label() == label)


def _texts(fig, label: str) -> list[str]:
    ax = _axes(fig, label)
    return [t.get_text() for t in ax.texts if t.get_position()[1] <= ax.get_ylim()[1]]


def _note(fig, gid: str) -> str:
    return next(t.get_text() for t in fig.texts if t.get_gid() == gid).replace("\n", " ")


def _legend(fig) -> list[str]:
    """The legend's texts (plotnine draws it as an anchored offset box of the figure)."""
    box = next(c for c in fig.get_children() if type(c).__name__.endswith("Offsetbox"))
    return [t.get_text() for t in box.findobj(Text) if t.get_text()]


def _titles(fig) -> list[str]:
    """The axis titles (plotnine draws them as texts of the figure)."""
    return [t.get_text() for t in fig.texts if t.get_gid() is None]


# --- forest -------------------------------------------------------------------------------


def test_forest_rows_itt_first_then_adjusted_then_the_biased_naive_group(every_method):
    rows = crossover_forest_rows(every_method)
    assert [(r["label"], r["kind"]) for r in rows] == [
        ("ITT (as randomised)", "itt"),
        ("Adjusted for switching", "heading"),
        ("RPSFTM, re-censored", "adjusted"), ("RPSFTM, not re-censored", "adjusted"),
        ("IPCW", "adjusted"), ("Two-stage estimation", "adjusted"),
        ("Naive comparators (biased)", "heading"),
        ("Switchers censored at switch (naive)", "naive"),
        ("Switchers excluded (naive)", "naive")]
    table = {r.label: hr_text(r) for r in method_rows(every_method)}
    assert all(r["hr_text"] == table[r["label"]] for r in rows if r["kind"] != "heading")
    rpsftm = every_method.methods.rpsftm.hazard_ratio
    assert rows[2]["hr"] == rpsftm.estimate and (rows[2]["lo"], rows[2]["hi"]) == rpsftm.ci


def test_forest_figure_writes_each_hr_and_rules_off_the_groups(every_method):
    fig = crossover_forest_figure(every_method)
    labels = _texts(fig, "crossover methods")
    values = _texts(fig, "crossover hazard ratio")
    rows = crossover_forest_rows(every_method)
    assert [t.replace("\n", " ") for t in labels] == [r["label"] for r in rows]
    assert values == [r["hr_text"] for r in rows]
    assert values[0] == "0.72 (0.52–0.99)" and values[2] == "0.66 (0.45–0.98)"
    # ITT and the naive group are ruled off: one rule above each group heading
    rules = [a for a in fig.artists if a.get_gid() == "crossover-rule"]
    assert len(rules) == 2
    panel = fig.axes[0]
    assert [t.get_text() for t in panel.get_xticklabels()] == ["0.5", "1", "2"]
    assert f"Hazard ratio (log scale)\n< 1 favours {ARM}" in _titles(fig)
    # reference line at 1 and dashed line at the ITT hazard ratio
    vertical = {round(10 ** seg[0][0], 6): c.get_linestyle()[0][1] is not None
                for c in panel.collections if hasattr(c, "get_segments")
                for seg in c.get_segments() if seg[0][0] == seg[1][0]}
    assert vertical == {1.0: False, round(every_method.itt.hazard_ratio.estimate, 6): True}


def test_forest_not_estimable_rows_are_text_with_their_reason_under_the_panel(no_root):
    fig = crossover_forest_figure(no_root)
    values = dict(zip(_texts(fig, "crossover methods"), _texts(fig, "crossover hazard ratio"),
                      strict=True))
    assert values["RPSFTM, re-censored"] == NOT_ESTIMABLE
    assert values["IPCW"] == fmt.ratio_ci(no_root.methods.ipcw.hazard_ratio.estimate,
                                          no_root.methods.ipcw.hazard_ratio.ci)
    assert _note(fig, "crossover-notes") == (
        "RPSFTM, re-censored: not estimable: no root of the logrank statistic in the search "
        "interval [1, 3].")


def test_forest_ci_beyond_the_axis_ends_in_arrows_and_an_estimate_beyond_is_a_triangle(
        every_method):
    ipcw = every_method.methods.ipcw
    wide = dataclasses.replace(ipcw, hazard_ratio=dataclasses.replace(
        ipcw.hazard_ratio, estimate=1e-4, ci=(1e-6, 500.0)))
    doc = dataclasses.replace(every_method, methods=dataclasses.replace(
        every_method.methods, ipcw=wide))
    rows = crossover_forest_rows(doc)
    fig = crossover_forest_figure(doc)
    panel = fig.axes[0]
    lo, hi = (10 ** v for v in panel.get_xlim())
    assert lo == pytest.approx(2.0 ** -7) and hi == pytest.approx(128.0)  # 0.01..100
    edge = [c for c in panel.collections if hasattr(c, "get_offsets")
            and len(c.get_offsets()) and c.get_offsets()[0][0] == pytest.approx(
                panel.get_xlim()[0])]
    assert edge, "no triangle at the left edge"
    assert "0.00 (0.00–500.00)" in [r["hr_text"] for r in rows]


def test_forest_hostile_labels_wrap_and_stay_literal(every_method, tmp_path):
    long = "Rank-preserving structural failure time model with $re$-censoring " * 3
    rpsftm = dataclasses.replace(every_method.methods.rpsftm, label=long + SCRIPT)
    doc = dataclasses.replace(
        every_method, methods=dataclasses.replace(every_method.methods, rpsftm=rpsftm),
        arm_labels=(ArmLabel(ARM, "=cmd|' /C calc'!A0 $x$"), ArmLabel(REF, SCRIPT)))
    fig = crossover_forest_figure(doc)
    label = next(t for t in _texts(fig, "crossover methods") if t.startswith("Rank"))
    assert 1 < label.count("\n") + 1 <= 3 and r"\$re\$" in label
    assert any(r"favours =cmd|' /C calc'!A0 \$x\$" in t for t in _titles(fig))
    assert not any(cbook.is_math_text(t.get_text()) for t in fig.findobj(Text))
    _, svg = save_figure(fig, tmp_path, "x--crossover")
    ET.fromstring(svg.read_bytes())
    assert b"<script" not in svg.read_bytes()


# --- Kaplan-Meier ---------------------------------------------------------------------------


def test_km_draws_both_arms_and_the_dashed_counterfactual_in_the_reference_colour(
        every_method):
    fig = crossover_km_figure(every_method)
    assert _legend(fig) == [ARM, REF, f"{REF}, counterfactual (RPSFTM)"]
    styles = arm_styles([ARM, REF])
    rax = risk_axes(fig)
    names = [t for t in rax.texts if not (t.get_gid() or "").startswith("at-risk")][1:]
    assert [t.get_text() for t in names] == [ARM, REF, f"{REF}, counterfactual (RPSFTM)"]
    assert [t.get_color() for t in names] == [styles[ARM].color, styles[REF].color,
                                              styles[REF].color]
    note = _note(fig, "crossover-km-note")
    assert note.startswith(f"Counterfactual (RPSFTM): survival of the {REF} arm had no "
                           "patient switched, at psi -0.48 (re-censored)")
    annotation = [t.get_text() for t in fig.axes[0].texts]
    assert annotation == ["ITT HR 0.72 (95% CI 0.52–0.99)\nLog-rank p=0.042\n"
                          "RPSFTM HR 0.66 (95% CI 0.45–0.98)"]
    assert _titles(fig) == ["Time (months)", "OS: event-free (%)"]


def test_km_counterfactual_linetype_differs_from_both_arms(every_method):
    from netter.figures.crossover import shown_curves

    shown = shown_curves(every_method)
    assert [c.arm for c in shown] == ["experimental", "reference", "reference_rpsftm"]
    assert shown[2].style.color == shown[1].style.color
    assert shown[2].style.linetype not in {shown[0].style.linetype, shown[1].style.linetype}
    assert [c.band for c in shown] == [True, True, False]


def test_km_numbers_at_risk_are_the_curves_and_the_analysis_risk_table(every_method, final):
    from netter.endpoints import analyze_trial

    fig = crossover_km_figure(every_method)
    printed: dict[int, dict[float, int]] = {}
    for text in risk_axes(fig).texts:
        gid = text.get_gid() or ""
        if gid.startswith("at-risk-"):
            k = int(gid.split("-")[2])
            printed.setdefault(k, {})[float(text.get_position()[0])] = int(text.get_text())
    curves = every_method.curves
    for k, key in enumerate(("experimental", "reference", "reference_rpsftm")):
        assert printed[k] == {t: number_at_risk(curves[key], t) for t in printed[k]}
    assert printed[0][0.0] == 117 and printed[1][0.0] == 114
    # the observed arms' numbers are those of netter analyze at the same times
    os_ = analyze_trial(final, reference=REF, params=("OS",)).endpoints["OS"]
    for k, arm in enumerate((ARM, REF)):
        table = {r.time: r.n_risk for a in os_.arms if a.arm == arm for r in a.risk_table}
        common = set(table) & set(printed[k])
        assert len(common) >= 4
        assert {t: printed[k][t] for t in common} == {t: table[t] for t in common}


def test_km_without_a_counterfactual_draws_the_observed_curves_and_says_why(no_root, final):
    fig = crossover_km_figure(no_root)
    assert _legend(fig) == [ARM, REF]
    assert _note(fig, "crossover-km-note") == (
        "No counterfactual curve (RPSFTM): RPSFTM, re-censored is not estimable: no root of "
        "the logrank statistic in the search interval [1, 3].")
    assert "RPSFTM" not in fig.axes[0].texts[0].get_text()
    ipcw_only = analyze_crossover(final, param="OS", reference=REF, methods=("ipcw",))
    assert _note(crossover_km_figure(ipcw_only), "crossover-km-note") == (
        "No counterfactual curve (RPSFTM): RPSFTM was not run.")


def test_km_time_axis_in_the_document_unit(immdef):
    fig = crossover_km_figure(immdef)
    panel = fig.axes[0]
    assert _titles(fig)[0] == "Time (years)"
    ticks = [t.get_text() for t in panel.get_xticklabels()]
    assert ticks[:3] == ["0", "0.5", "1"]
    assert _legend(fig) == ["Immediate", "Deferred", "Deferred, counterfactual (RPSFTM)"]


def test_km_hostile_arm_labels_are_drawn_literally_and_escaped_in_the_svg(every_method,
                                                                          tmp_path):
    doc = dataclasses.replace(every_method, arm_labels=(
        ArmLabel(REF, f"{SCRIPT} $5 vs $10"), ArmLabel(ARM, "=HYPERLINK(1)")))
    fig = crossover_km_figure(doc)
    texts = [t.get_text() for t in fig.findobj(Text)]
    assert not any(cbook.is_math_text(t) for t in texts)
    assert any(r"\$5 vs \$10" in t for t in texts)
    # the study's order: the reference arm first, in the first colour
    rax = risk_axes(fig)
    first = next(t for t in rax.texts[1:] if not (t.get_gid() or "").startswith("at-risk"))
    assert first.get_color() == arm_styles(["a"])["a"].color
    _, svg = save_figure(fig, tmp_path, "x--crossover-km")
    data = svg.read_bytes()
    ET.fromstring(data)
    assert b"<script" not in data


# --- outputs --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["crossover", "crossover-km"])
def test_figures_are_byte_identical_when_drawn_twice(every_method, kind, tmp_path):
    paths = []
    for folder in ("a", "b"):
        [(stem, fig)] = list(document_figures(every_method, "os", kinds=[kind]))
        assert stem == f"os--{kind}"
        paths.append(save_figure(fig, tmp_path / folder, stem))
    for first, second in zip(*paths, strict=True):
        assert first.read_bytes() == second.read_bytes()
    png, svg = paths[0]
    assert b"Software" not in png.read_bytes() and b"<dc:date>" not in svg.read_bytes()


def test_netter_figures_writes_both_crossover_figures(every_method, tmp_path):
    path = write_results(every_method, tmp_path / "os_crossover.json")
    out = tmp_path / "figures"
    assert main(["figures", "--quiet", "--results", str(path), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "os_crossover--crossover-km.png", "os_crossover--crossover-km.svg",
        "os_crossover--crossover.png", "os_crossover--crossover.svg"]
    only = tmp_path / "only"
    assert main(["figures", "--quiet", "--results", str(path), "--out", str(only),
                 "--name", "xo", "--kinds", "crossover-km", "--param", "PFS"]) == 0
    assert sorted(p.name for p in only.iterdir()) == ["xo--crossover-km.png",
                                                      "xo--crossover-km.svg"]


def test_not_computable_crossover_analysis_draws_placeholders(tmp_path):
    doc = empty_crossover("OS", "TRT01P", REF, "r", "months", "ADSL has no variable XOVERFL")
    figures = list(document_figures(doc, "xo"))
    assert [stem for stem, _ in figures] == ["xo--crossover", "xo--crossover-km"]
    for _, fig in figures:
        assert [t.get_text() for t in fig.texts] == [
            "Crossover adjustment: not computable", "ADSL has no variable XOVERFL"]


def test_document_without_curves_draws_a_placeholder_km(every_method, tmp_path):
    doc = dataclasses.replace(every_method, curves=None)
    names = [p.name for p in write_figures(tmp_path, "x", doc, kinds=["crossover-km"])]
    assert names == ["x--crossover-km.png", "x--crossover-km.svg"]
    with pytest.raises(ValueError, match="no Kaplan-Meier curve"):
        crossover_km_figure(doc)
    assert math.isfinite(crossover_forest_figure(doc).get_figheight())
