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

from netter.figures.forest import (
    LABEL_LINES,
    PANEL_MIN,
    axis_breaks,
    axis_limits,
    forest_figure,
    forest_layout,
    forest_rows,
)
from netter.figures.theme import DOUBLE, ELLIPSIS, MISSING_GLYPH, save_figure
from netter.tables.specimen import specimen_subgroups

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
        FigureCanvasAgg(fig)
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
