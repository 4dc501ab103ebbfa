"""Figures of hostile documents: long, odd or unsafe labels and degenerate results.

Each test is named after its case and asserts what the figure now does (not only that
it draws).  Warnings are errors in this suite, so "draws" also means "without a
warning" (plotnine dropping rows, matplotlib missing a glyph, pandas deprecations).
"""

from __future__ import annotations

import dataclasses
import math
import xml.etree.ElementTree as ET

import pytest
from matplotlib import cbook
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from netter.figures.forest import (
    LABEL_LINES,
    PANEL_MIN,
    axis_breaks,
    axis_limits,
    forest_figure,
    forest_layout,
    forest_rows,
)
from netter.figures.km import km_figure, risk_axes
from netter.figures.placeholder import not_computable_figure
from netter.figures.response import ARM_LINES, BOR_AXIS, bor_frame, response_figure
from netter.figures.theme import DOUBLE, ELLIPSIS, MISSING_GLYPH, save_figure
from netter.results import ArmLabel, AtRisk
from netter.tables.specimen import specimen_response, specimen_results, specimen_subgroups

LABEL_62 = "Time on constant-dose somatostatin analogue before randomisation"
LABEL_150 = ("Patients whose largest target lesion measured more than thirty millimetres "
             "at baseline by central review, in either the liver or elsewhere, per RECIST")
SCRIPT = "<script>alert('x')</script> & --> \"q\""


def _with_labels(heading: str | None = None, level: str | None = None,
                 document=None):
    """The specimen subgroups with the first variable's heading and first level relabelled."""
    document = document or specimen_subgroups()
    var = document.variables[0]
    var = dataclasses.replace(
        var, label=heading if heading is not None else var.label,
        level_labels={**var.level_labels, "F": level} if level is not None
        else var.level_labels)
    return dataclasses.replace(document, variables=(var, *document.variables[1:]))


def _axes(fig, label: str):
    return next(a for a in fig.axes if a.get_label() == f"forest {label}")


def _row_texts(fig, label: str):
    ax = _axes(fig, label)
    return [t for t in ax.texts if t.get_position()[1] <= ax.get_ylim()[1]]


def _extent(fig, artist):
    """Where ``artist`` is drawn, in pixels."""
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig).draw()  # as saved: the layout engine runs on drawing
    return artist.get_window_extent(fig.canvas.get_renderer())


# --- forest ---------------------------------------------------------------------------------


def test_forest_62_character_level_label_wraps_and_the_figure_grows():
    """Issue item 7: ``ValueError: Width and height ... non-negative``.  The label is
    wrapped whole; its row grows by its lines and the figure widens (within a double
    column) until it fits in LABEL_LINES lines."""
    plain = forest_figure(specimen_subgroups())
    fig = forest_figure(_with_labels(level=LABEL_62))
    texts = [t.get_text() for t in _row_texts(fig, "subgroup")]
    wrapped = next(t for t in texts if t.startswith("Time on"))
    assert wrapped.replace("\n", " ") == LABEL_62  # every word kept
    assert 2 <= wrapped.count("\n") + 1 <= LABEL_LINES
    assert fig.get_figheight() > plain.get_figheight()  # the row grew by its lines
    assert plain.get_figwidth() == 3.5 < fig.get_figwidth() <= DOUBLE
    panel = fig.axes[0].get_position()
    assert panel.width * fig.get_figwidth() >= PANEL_MIN - 1e-9
    panel_left = _extent(fig, fig.axes[0]).x0
    column = _extent(fig, _axes(fig, "subgroup"))
    for text in _row_texts(fig, "subgroup"):
        assert _extent(fig, text).x1 <= min(column.x1 + 0.5, panel_left)
    layout = forest_layout(forest_rows(_with_labels(level=LABEL_62)))
    assert layout.width == fig.get_figwidth()
    assert max(a - b for a, b in zip(layout.y, layout.y[1:], strict=False)) > 1.0


def test_forest_62_character_heading_wraps_left_of_the_panel():
    """Headings may use the empty patients column, never the panel."""
    fig = forest_figure(_with_labels(heading=LABEL_62))
    heading = next(t for t in _row_texts(fig, "subgroup") if t.get_text().startswith("Time"))
    assert "\n" in heading.get_text()
    assert _extent(fig, heading).x1 < _extent(fig, fig.axes[0]).x0


def test_forest_header_no_longer_runs_into_the_overall_line():
    """Issue: a heading such as "Time on constant-dose octreotide LAR" ran into the dashed
    overall-HR line; every subgroup text now ends left of the panel."""
    fig = forest_figure(_with_labels(heading="Time on constant-dose octreotide LAR"))
    panel_left = _extent(fig, fig.axes[0]).x0
    for text in _axes(fig, "subgroup").texts:
        assert _extent(fig, text).x1 < panel_left, text.get_text()


def test_forest_150_character_labels_are_wrapped_whole_in_a_wider_figure():
    fig = forest_figure(_with_labels(heading=LABEL_150, level=LABEL_150))
    assert 3.5 < fig.get_figwidth() <= DOUBLE
    texts = [t.get_text() for t in _row_texts(fig, "subgroup")]
    long = [t for t in texts if t.replace("\n", " ") == LABEL_150]
    assert len(long) == 2 and all(t.count("\n") + 1 <= LABEL_LINES for t in long)
    panel_left = _extent(fig, fig.axes[0]).x0
    for text in _axes(fig, "subgroup").texts:
        assert _extent(fig, text).x1 < panel_left


def test_forest_300_character_label_is_abbreviated_with_an_ellipsis_at_double_width():
    label = f"{LABEL_150}; {LABEL_150}"
    fig = forest_figure(_with_labels(heading=label, level=label))
    assert fig.get_figwidth() == DOUBLE  # as wide as a double column, then cut short
    texts = [t.get_text() for t in _row_texts(fig, "subgroup")]
    long = [t for t in texts if t.startswith("Patients whose")]
    assert len(long) == 2
    for text in long:
        assert text.count("\n") + 1 == LABEL_LINES and text.endswith(ELLIPSIS)
        assert label.startswith(text[:-1].replace("\n", " "))
    panel_left = _extent(fig, fig.axes[0]).x0
    for text in _axes(fig, "subgroup").texts:
        assert _extent(fig, text).x1 < panel_left


def test_forest_unbroken_120_character_word_is_cut_into_lines():
    fig = forest_figure(_with_labels(level="X" * 120))
    text = next(t for t in _row_texts(fig, "subgroup") if t.get_text().startswith("XX"))
    assert text.get_text().count("\n") + 1 == LABEL_LINES
    assert _extent(fig, text).x1 < _extent(fig, fig.axes[0]).x0


def test_forest_narrow_width_widens_the_figure_instead_of_failing():
    fig = forest_figure(specimen_subgroups(), width=2.0)
    assert fig.get_figwidth() > 2.0
    assert fig.axes[0].get_position().width * fig.get_figwidth() >= PANEL_MIN - 1e-9


def test_forest_axis_extends_past_1_when_every_ci_is_below_1():
    """Issue: the x-axis stopped at 1 when every CI lay below it."""
    rows = [{"lo": 0.04, "hi": 0.6, "hr": 0.2}]
    assert axis_limits(rows) == (0.03125, 2.0)
    assert axis_breaks((0.03125, 2.0), 0.9) == [0.1, 0.3, 1.0, 2.0]
    assert axis_breaks((0.5, 16.0), 0.9)[0] == 0.5  # and below 1 when all lie above
    sub = specimen_subgroups()
    below = [dataclasses.replace(lv, ci=(lv.ci[0], min(lv.ci[1], 0.95)))
             if lv.hazard_ratio is not None else lv for lv in sub.variables[0].levels]
    doc = dataclasses.replace(sub, variables=(
        dataclasses.replace(sub.variables[0], levels=tuple(below)), sub.variables[1]))
    panel = forest_figure(doc).axes[0]
    assert panel.get_xlim()[1] == pytest.approx(math.log10(2.0))
    labels = [t.get_text() for t in panel.get_xticklabels()]
    assert labels[-1] == "2" and "1" in labels


def test_forest_hazard_ratio_beyond_the_axis_is_a_triangle_at_its_edge():
    sub = specimen_subgroups()
    tiny = dataclasses.replace(sub.variables[0].levels[0], hazard_ratio=1e-4, ci=(1e-6, 1e-3))
    doc = dataclasses.replace(sub, variables=(dataclasses.replace(
        sub.variables[0], levels=(tiny, *sub.variables[0].levels[1:])), sub.variables[1]))
    fig = forest_figure(doc)
    panel = fig.axes[0]
    assert panel.get_xlim()[0] == pytest.approx(math.log10(2.0 ** -7))  # 0.01 -> 2^-7
    edge = [c for c in panel.collections if hasattr(c, "get_offsets")
            and len(c.get_offsets()) and c.get_offsets()[0][0] == pytest.approx(
                panel.get_xlim()[0])]
    assert edge, "no marker at the left edge"
    hr_texts = [t.get_text() for t in _row_texts(fig, "hazard ratio")]
    assert "0.00 (0.00–0.00)" in hr_texts  # the column still says what it is


def test_forest_with_nothing_estimable_draws_the_table_and_an_axis_around_1():
    sub = specimen_subgroups()

    def ne(result):
        return dataclasses.replace(result, hazard_ratio=None, ci=(None, None),
                                   not_estimable_reason="no events")

    doc = dataclasses.replace(sub, overall=ne(sub.overall), variables=tuple(
        dataclasses.replace(v, levels=tuple(ne(lv) for lv in v.levels))
        for v in sub.variables))
    fig = forest_figure(doc)
    assert fig.axes[0].get_xlim() == pytest.approx((math.log10(0.5), math.log10(2.0)))
    assert [t.get_text() for t in _row_texts(fig, "hazard ratio")].count("NE") == 5


def test_forest_script_and_unicode_labels_stay_escaped_text_in_the_svg(tmp_path):
    label = f"{SCRIPT} Ölçek ≥65 µg β"
    fig = forest_figure(_with_labels(heading=label, level="药物 😀"), title=SCRIPT)
    texts = [t.get_text() for t in fig.texts] + [
        t.get_text() for ax in fig.axes for t in ax.texts]
    assert any(MISSING_GLYPH in t for t in texts)  # no glyph: a square, not a warning
    png, svg = save_figure(fig, tmp_path, "x--forest")
    data = svg.read_bytes()
    ET.fromstring(data)  # still well-formed XML
    assert b"<script" not in data and b"-->\"" not in data
    assert png.stat().st_size > 0


def test_forest_dollar_signs_are_drawn_literally_not_as_mathematics():
    fig = forest_figure(_with_labels(heading="Cost $5 vs $10", level="$x^$"))
    texts = [t.get_text() for t in _row_texts(fig, "subgroup")]
    assert r"Cost \$5 vs \$10" in texts and r"\$x^\$" in texts
    assert not any(cbook.is_math_text(t) for t in texts)


# --- Kaplan-Meier ---------------------------------------------------------------------------


def _texts_outside(fig) -> list[str]:
    """Texts drawn (partly) outside the figure."""
    box = _extent(fig, fig)
    out = []
    for text in fig.findobj(Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        e = _extent(fig, text)
        if e.x0 < box.x0 - 1 or e.x1 > box.x1 + 1 or e.y0 < box.y0 - 1 or e.y1 > box.y1 + 1:
            out.append(text.get_text())
    return out


def _pfs_with_arms(*arms):
    return dataclasses.replace(specimen_results().endpoints["PFS"], arms=tuple(arms))


def _at_zero(arm, survival: float, median):
    curve = dataclasses.replace(arm.curve, time=(0.0,), n_risk=(arm.n,),
                                n_event=(round(arm.n * (1 - survival)),),
                                n_censor=(arm.n - round(arm.n * (1 - survival)),),
                                survival=(survival,), ci_lower=(survival / 2,),
                                ci_upper=(1.0,))
    return dataclasses.replace(arm, curve=curve, risk_table=(AtRisk(0.0, arm.n),),
                               median=dataclasses.replace(arm.median, estimate=median),
                               last_time=0.0)


def test_km_every_time_zero_draws_on_an_axis_of_one_unit():
    """Issue item 8: ZeroDivisionError when every time is 0 (analyze succeeds)."""
    lu, oct_ = specimen_results().endpoints["PFS"].arms
    endpoint = _pfs_with_arms(_at_zero(lu, 0.85, None), _at_zero(oct_, 0.3, 0.0))
    fig = km_figure(endpoint, title=None)
    panel = fig.axes[0]
    assert panel.get_xlim()[0] == 0.0 and panel.get_xlim()[1] == pytest.approx(1.02)
    assert [t.get_text() for t in panel.get_xticklabels()] == ["0"]
    counts = {t.get_gid(): t.get_text() for t in risk_axes(fig).texts if t.get_gid()}
    assert counts == {"at-risk-0-0": "10", "at-risk-1-0": "10"}
    assert _texts_outside(fig) == []


def test_km_arm_without_events_is_flat_at_100_percent_without_a_median_line():
    lu, oct_ = specimen_results().endpoints["PFS"].arms
    curve = dataclasses.replace(lu.curve, n_event=(0,) * 10, survival=(1.0,) * 10,
                                ci_lower=(None,) * 10, ci_upper=(None,) * 10)
    flat = dataclasses.replace(lu, curve=curve, events=0,
                               median=dataclasses.replace(lu.median, estimate=None))
    fig = km_figure(_pfs_with_arms(flat, oct_), title=None)
    lines = [line for line in fig.axes[0].get_lines() if len(line.get_xdata()) > 2]
    assert any(set(line.get_ydata()) == {1.0} for line in lines)  # the flat arm
    medians = [seg for coll in fig.axes[0].collections if hasattr(coll, "get_segments")
               for seg in coll.get_segments() if seg[0][1] == 0.5 and seg[-1][1] == 0.0]
    assert [seg[0][0] for seg in medians] == [oct_.median.estimate]


def test_km_single_point_curve_draws_its_one_step():
    lu, oct_ = specimen_results().endpoints["PFS"].arms
    one = dataclasses.replace(lu.curve, time=(5.0,), n_risk=(10,), n_event=(1,),
                              n_censor=(9,), survival=(0.9,), ci_lower=(0.7,),
                              ci_upper=(1.0,))
    arm = dataclasses.replace(lu, curve=one, median=dataclasses.replace(lu.median,
                                                                       estimate=None))
    fig = km_figure(_pfs_with_arms(arm, oct_), title=None)
    assert fig.axes[0].get_xlim()[1] == pytest.approx(12.0 * 1.02)  # the risk table's end
    assert km_figure(_pfs_with_arms(arm, dataclasses.replace(oct_, curve=dataclasses.replace(
        one, time=(2.0,)), median=dataclasses.replace(oct_.median, estimate=None),
        risk_table=(AtRisk(0.0, 10),))), title=None) is not None


def test_km_arm_without_curve_times_is_left_out_and_the_others_keep_their_colours():
    lu, oct_ = specimen_results().endpoints["PFS"].arms
    empty = dataclasses.replace(lu.curve, time=(), n_risk=(), n_event=(), n_censor=(),
                                survival=(), ci_lower=(), ci_upper=())
    arm = dataclasses.replace(lu, curve=empty, median=dataclasses.replace(lu.median,
                                                                         estimate=None))
    fig = km_figure(_pfs_with_arms(arm, oct_), title=None)
    labels = [t.get_text() for t in risk_axes(fig).texts if not t.get_gid()]
    assert labels == ["No. at risk", "Control"]
    control = next(t for t in risk_axes(fig).texts if t.get_text() == "Control")
    assert control.get_color() == "#D95F02"  # still the second arm's orange


def test_km_times_of_1e8_thin_the_ticks_until_their_labels_do_not_touch():
    endpoint = specimen_results().endpoints["PFS"]

    def scaled(arm, factor):
        return dataclasses.replace(
            arm, curve=dataclasses.replace(arm.curve, time=tuple(
                t * factor for t in arm.curve.time)),
            risk_table=tuple(AtRisk(r.time * factor, r.n_risk) for r in arm.risk_table),
            median=dataclasses.replace(arm.median, estimate=arm.median.estimate * factor))

    risk = tuple(AtRisk(2e8 * k, 10 - k) for k in range(9))
    arms = [dataclasses.replace(scaled(a, 1e8), risk_table=risk) for a in endpoint.arms]
    fig = km_figure(dataclasses.replace(endpoint, arms=tuple(arms)), title=None)
    ticks = [t for t in fig.axes[0].get_xticklabels() if t.get_text()]
    assert 2 <= len(ticks) < 9
    boxes = sorted((_extent(fig, t) for t in ticks), key=lambda b: b.x0)
    assert all(a.x1 < b.x0 for a, b in zip(boxes, boxes[1:], strict=False))
    assert _texts_outside(fig) == []


def test_km_numbers_at_risk_in_millions_thin_the_ticks_until_they_do_not_touch():
    endpoint = specimen_results().endpoints["PFS"]
    risk = tuple(AtRisk(float(2 * k), 1_234_567 - k) for k in range(9))
    arms = [dataclasses.replace(a, risk_table=risk, n=1_234_567) for a in endpoint.arms]
    fig = km_figure(dataclasses.replace(endpoint, arms=tuple(arms)), title=None)
    for k in range(2):
        row = sorted((_extent(fig, t) for t in risk_axes(fig).texts
                      if (t.get_gid() or "").startswith(f"at-risk-{k}-")), key=lambda b: b.x0)
        assert 2 <= len(row) < 9
        assert all(a.x1 < b.x0 for a, b in zip(row, row[1:], strict=False))
    assert _texts_outside(fig) == []


def test_km_long_arm_label_wraps_in_the_legend_and_is_cut_in_the_numbers_at_risk():
    doc = dataclasses.replace(specimen_results(), arm_labels=(
        ArmLabel("Drug A", LABEL_150), ArmLabel("Control", "Control")))
    fig = km_figure(doc.endpoints["PFS"], title=None, document=doc)
    assert _texts_outside(fig) == []
    texts = [t.get_text() for t in fig.findobj(Text)]
    legend = [t for t in texts if t.replace("\n", " ") == LABEL_150]
    assert legend and "\n" in legend[0]  # the legend has it whole, wrapped
    row = next(t for t in risk_axes(fig).texts if t.get_text().startswith("Patients"))
    assert row.get_text().endswith(ELLIPSIS) and "\n" not in row.get_text()


def test_km_long_endpoint_label_and_title_wrap_inside_the_figure():
    endpoint = dataclasses.replace(specimen_results().endpoints["PFS"], label=LABEL_150)
    fig = km_figure(endpoint, title=LABEL_150, width=3.5)
    assert _texts_outside(fig) == []
    ytitle = next(t for t in fig.findobj(Text) if t.get_rotation() == 90
                  and t.get_text().startswith("Patients"))
    assert "\n" in ytitle.get_text()


def test_km_three_arms_with_long_labels_keep_the_annotation_inside_the_panel():
    os_ = specimen_results().endpoints["OS"]
    lu, oct_ = os_.arms
    other = dataclasses.replace(lu, arm=LABEL_62)
    cox = (dataclasses.replace(os_.cox, arm=lu.arm), dataclasses.replace(os_.cox, arm=LABEL_62))
    endpoint = dataclasses.replace(os_, arms=(lu, other, oct_), cox_by_arm=cox)
    fig = km_figure(endpoint, title=None)
    panel = _extent(fig, fig.axes[0])
    note = next(t for t in fig.axes[0].texts if "Log-rank" in t.get_text())
    assert ELLIPSIS in note.get_text()
    box = _extent(fig, note)
    assert panel.x0 <= box.x0 and box.x1 <= panel.x1 + 1
    assert _texts_outside(fig) == []


def test_km_dollar_signs_are_drawn_literally_not_as_mathematics():
    doc = dataclasses.replace(specimen_results(), arm_labels=(
        ArmLabel("Drug A", "Drug $x^$"), ArmLabel("Control", "Cost $5 vs $10")))
    fig = km_figure(dataclasses.replace(doc.endpoints["PFS"], label="PFS $ $"),
                    title="$x^$", document=doc)
    texts = [t.get_text() for t in fig.findobj(Text) if "$" in t.get_text()]
    assert r"Cost \$5 vs \$10" in texts and r"Drug \$x^\$" in texts
    assert not any(cbook.is_math_text(t) for t in texts)


def test_km_script_and_unicode_labels_stay_escaped_text_in_the_svg(tmp_path):
    doc = dataclasses.replace(specimen_results(), arm_labels=(
        ArmLabel("Drug A", f"{SCRIPT} 药物"), ArmLabel("Control", "Ölçek ≥65 µg β")))
    fig = km_figure(doc.endpoints["PFS"], title=SCRIPT, document=doc)
    assert any(MISSING_GLYPH in t.get_text() for t in fig.findobj(Text))
    _, svg = save_figure(fig, tmp_path, "x--km")
    data = svg.read_bytes()
    ET.fromstring(data)
    assert b"<script" not in data


# --- response -------------------------------------------------------------------------------


def _response(counts=None, n=None, names=None):
    block = specimen_response()
    for k, arm in enumerate(block["arms"]):
        if counts is not None:
            arm["bor_counts"] = counts[k]
        if n is not None:
            arm["n"] = n[k]
        if names is not None:
            arm["arm"] = names[k]
    return block


def _bor_texts(fig):
    return [t for t in fig.axes[1].texts if t.get_text()]


def test_response_axis_says_the_bar_numbers_are_patients_and_each_arm_has_its_n():
    """Issue: counts inside the bars on a "% of patients" axis, unexplained."""
    fig = response_figure(specimen_response())
    texts = [t.get_text() for t in fig.findobj(Text)]
    assert BOR_AXIS in texts and "numbers: patients" in BOR_AXIS
    ticks = [t.get_text() for t in fig.axes[1].get_yticklabels()]
    assert ticks == ["Control\n(N=10)", "Drug A\n(N=10)"]


def test_response_small_segments_are_labelled_above_the_bar():
    """Issue: segments under 7% of an arm had no number."""
    block = _response(counts=[{"CR": 1, "PR": 19, "SD": 75, "PD": 2, "NE": 19},
                              {"SD": 76, "PD": 20, "NE": 17}], n=[116, 113])
    fig = response_figure(block)
    numbers = sorted(t.get_text() for t in _bor_texts(fig))
    assert numbers == sorted(["1", "19", "75", "2", "19", "76", "20", "17"])
    frame = bor_frame(block)
    small = frame[frame["above"] != ""]
    assert small[["bor", "above"]].values.tolist() == [["CR", "1"], ["PD", "2"]]
    assert fig.axes[1].get_xlim()[0] <= small["above_at"].min()
    assert small["above_at"].max() <= 1.0


def test_response_adjacent_small_segments_are_pushed_apart_inside_the_bar():
    block = _response(counts=[{"CR": 1, "PR": 1, "SD": 100, "PD": 1, "NE": 13},
                              {"CR": 1, "PR": 2, "SD": 3, "PD": 104, "NE": 3}],
                      n=[116, 113])
    fig = response_figure(block)
    above = [t for t in _bor_texts(fig) if t.get_va() == "bottom"]
    assert len(above) == 3 + 4
    panel = _extent(fig, fig.axes[1])
    for row in ({t.get_position()[0] for t in above},):
        assert len(row) == len(above)  # no two at one place
    by_bar = {}
    for t in above:
        by_bar.setdefault(round(t.get_position()[1], 6), []).append(_extent(fig, t))
    for boxes in by_bar.values():
        boxes.sort(key=lambda b: b.x0)
        assert all(a.x1 < b.x0 for a, b in zip(boxes, boxes[1:], strict=False))
        assert panel.x0 - 1 <= boxes[0].x0 and boxes[-1].x1 <= panel.x1 + 1


def test_response_arm_without_patients_writes_ne_and_draws_no_point():
    block = _response()
    empty = block["arms"][1]
    empty.update(n=0, responders=0, rate=None, ci=[None, None],
                 bor_counts={}, not_estimable_reason="no patients")
    empty["dcr"] = {"rate": None, "ci": [None, None], "not_estimable_reason": "no patients"}
    fig = response_figure(block)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts.count("NE") == 2 and "40.0%" in texts
    assert "Control\n(N=0)" in [t.get_text() for t in fig.axes[1].get_yticklabels()]


def test_response_long_unicode_and_script_arm_names_stay_inside_the_figure(tmp_path):
    block = _response(names=[LABEL_150, f"{SCRIPT} 药物 $x^$"])
    fig = response_figure(block, title=LABEL_150)
    assert _texts_outside(fig) == []
    ticks = [t.get_text() for t in fig.axes[1].get_yticklabels()]
    assert all(t.count("\n") <= ARM_LINES for t in ticks)  # the name's lines and the N
    assert ticks[0].endswith(f"{ELLIPSIS}\n(N=10)")
    legend = [t.get_text() for t in fig.findobj(Text) if MISSING_GLYPH in t.get_text()]
    assert legend and r"\$x^\$" in legend[0]
    assert not any(cbook.is_math_text(t.get_text()) for t in fig.findobj(Text))
    _, svg = save_figure(fig, tmp_path, "x--response")
    data = svg.read_bytes()
    ET.fromstring(data)
    assert b"<script" not in data


# --- not computable -------------------------------------------------------------------------


def test_not_computable_long_reason_is_wrapped_inside_a_taller_figure():
    reason = "the subgroup variable LIVBURD has one level only; " * 12
    fig = not_computable_figure("PFS by " + "X" * 80, reason)
    assert _texts_outside(fig) == []
    title, text = (t.get_text() for t in fig.texts)
    assert title.endswith(ELLIPSIS) and title.count("\n") == 1
    assert text.count("\n") + 1 > 3 and fig.get_figheight() > 1.4
    short = not_computable_figure("PFS", "the ADTTE of cut-off final has no PARAMCD PFS")
    assert short.get_figheight() == 1.4 and _texts_outside(short) == []


def test_not_computable_reason_with_script_dollar_and_cjk_is_drawn_literally(tmp_path):
    fig = not_computable_figure("Subgroups", f"variable {SCRIPT} $x^$ 药 has no level")
    text = fig.texts[1].get_text()
    assert r"\$x^\$" in text and MISSING_GLYPH in text and not cbook.is_math_text(text)
    _, svg = save_figure(fig, tmp_path, "x--forest")
    data = svg.read_bytes()
    ET.fromstring(data)
    assert b"<script" not in data


# --- determinism ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["forest", "response", "km"])
def test_hostile_figures_are_byte_identical_when_drawn_twice(kind, tmp_path):
    def draw():
        if kind == "forest":
            return forest_figure(_with_labels(heading=LABEL_150, level=f"{SCRIPT} 药"),
                                 title=LABEL_62)
        if kind == "response":
            return response_figure(_response(names=[LABEL_150, f"{SCRIPT} $x^$"]),
                                   title=LABEL_62)
        doc = dataclasses.replace(specimen_results(), arm_labels=(
            ArmLabel("Drug A", LABEL_150), ArmLabel("Control", f"{SCRIPT} 药")))
        return km_figure(doc.endpoints["PFS"], title=LABEL_62, document=doc)

    first = save_figure(draw(), tmp_path / "a", f"x--{kind}")
    second = save_figure(draw(), tmp_path / "b", f"x--{kind}")
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()
