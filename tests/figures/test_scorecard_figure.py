"""The scorecard figure on hand-written rows: nothing beyond the axis is drawn as if on it,
text is at least 7 pt at print size, and labels stay text (escaped) in the SVG."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET

import pytest
from matplotlib import cbook
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from netter.figures.theme import DOUBLE, ELLIPSIS
from netter.scorecard.build import (
    INSIDE,
    NOT_COMPUTABLE,
    OUTSIDE,
    ScorecardDocument,
    ScorecardRow,
    ScorecardSummary,
)
from netter.scorecard.figure import (
    LIMITS,
    MIN_TEXT,
    figure_frame,
    save_scorecard_figure,
    scorecard_plot,
)

LONG = ("Objective response rate by central review in patients with measurable disease "
        "at baseline, control arm, as in the United States prescribing information (%)")


def row(label: str, published, reproduced, *, published_ci=None, reproduced_ci=None,
        status=INSIDE, kind="estimate", endpoint="ORR", not_reached=False) -> ScorecardRow:
    return ScorecardRow(
        record=label.lower().replace(" ", "."), label=label, endpoint=endpoint,
        cutoff="primary", cutoff_date=None, kind=kind, flag="V", verification="verified",
        counted=True, unit="", published=published, published_text=str(published),
        published_ci=published_ci, published_not_reached=False, reproduced=reproduced,
        reproduced_ci=reproduced_ci, reproduced_not_reached=not_reached, method="",
        results="", rule=None, status=status, note=None, source="", source_url="")


def card(*rows: ScorecardRow, name: str = "Specimen") -> ScorecardDocument:
    return ScorecardDocument(
        schema="netter.scorecard/1", generator="netter", study="specimen", study_name=name,
        cutoffs={"primary": None}, results={}, rows=tuple(rows),
        summary=ScorecardSummary(len(rows), len(rows), 0, len(rows), 0, 0, 0))


ZERO = row("ORR, control (%)", 3.0, 0.0, reproduced_ci=(0.0, 3.2), status=OUTSIDE)
SIX = row("Events, control", 10.0, 60.0, reproduced_ci=(50.0, 70.0), status=OUTSIDE,
          endpoint="PFS")
NOT_REACHED = row("Median OS, 177Lu (months)", 20.0, None, reproduced_ci=(30.0, None),
                  kind="quantile", not_reached=True, endpoint="OS", status=OUTSIDE)
WIDE = row("OS RMST difference (months)", 1.9, 2.15, published_ci=(0.1, 3.6),
           reproduced_ci=(0.54, 3.77), endpoint="OS")
PLAIN = row("PFS hazard ratio", 0.21, 0.18, published_ci=(0.13, 0.33),
            reproduced_ci=(0.11, 0.29), endpoint="PFS")


def drawn(document):
    fig = scorecard_plot(document).draw()
    FigureCanvasAgg(fig).draw()
    return fig


def texts(fig) -> list[Text]:
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def test_scorecard_reproduced_zero_is_written_off_scale_not_drawn_as_a_quarter():
    """Issue: a reproduced 0% sat at the 1/4 edge as if it were 0.25."""
    frame = figure_frame(card(ZERO, PLAIN)).set_index("label")
    zero = frame.loc["ORR, control (%) · primary"]
    assert zero["ratio"] == LIMITS[0] and zero["value"] == 0.0
    assert (zero["off"], zero["off_text"]) == ("low", "ratio 0.00")
    assert zero["rep_lo_cut"] and not zero["rep_hi_cut"]
    assert frame.loc["PFS hazard ratio · primary", "off"] == ""
    assert "ratio 0.00" in [t.get_text() for t in texts(drawn(card(ZERO, PLAIN)))]


def test_scorecard_ratio_beyond_4_and_a_median_not_reached_are_written_at_the_right_edge():
    frame = figure_frame(card(SIX, NOT_REACHED)).set_index("label")
    six = frame.loc["Events, control · primary"]
    assert (six["ratio"], six["off"], six["off_text"]) == (4.0, "high", "ratio 6.00")
    nr = frame.loc["Median OS, 177Lu (months) · primary"]
    assert (nr["ratio"], nr["off"], nr["off_text"]) == (4.0, "high", "not reached")
    shown = [t.get_text() for t in texts(drawn(card(SIX, NOT_REACHED)))]
    assert "ratio 6.00" in shown and "not reached" in shown


def test_scorecard_negative_ratio_is_off_scale_low_not_clipped_silently():
    negative = row("RMST difference (months)", -1.0, 0.5, reproduced_ci=(-0.2, 1.2))
    got = figure_frame(card(negative)).iloc[0]
    assert (got["ratio"], got["off"], got["off_text"]) == (0.25, "low", "ratio -0.50")
    assert got["rep_lo_cut"] and got["rep_hi_cut"]


def test_scorecard_cut_ci_ends_get_arrows_and_cut_published_ends_grey_triangles():
    """Issue: CIs were clipped at 4 with no arrow."""
    cut = row("Median QoL TTD (months)", 28.8, 16.8, reproduced_ci=(8.4, None),
              kind="quantile", endpoint="QoL")
    published = row("RMST difference (months)", 1.9, 2.2, published_ci=(0.1, 3.6),
                    reproduced_ci=(0.5, 3.8))
    frame = figure_frame(card(cut, published, PLAIN)).set_index("label")
    assert frame.loc["Median QoL TTD (months) · primary", "rep_hi_cut"]
    assert frame.loc["RMST difference (months) · primary", "pub_lo_cut"]
    plot = scorecard_plot(card(cut, published, PLAIN))
    arrows = [layer for layer in plot.layers
              if layer.geom.params.get("arrow") is not None]
    assert [a.geom.params["arrow"].ends for a in arrows] == ["last"]
    assert arrows[0].geom.data["label"].tolist() == ["Median QoL TTD (months) · primary"]
    triangles = [layer for layer in plot.layers if layer.geom.aes_params.get("shape") == "<"]
    assert len(triangles) == 1
    assert triangles[0].geom.data["label"].tolist() == ["RMST difference (months) · primary"]


def test_scorecard_text_is_at_least_7_pt_at_print_size_a_double_column_wide():
    """Issue: row labels were 6.4 pt."""
    fig = drawn(card(ZERO, SIX, NOT_REACHED, WIDE, PLAIN))
    assert fig.get_figwidth() == DOUBLE
    sizes = {t.get_text(): t.get_fontsize() for t in texts(fig)}
    assert min(sizes.values()) >= MIN_TEXT, {k: v for k, v in sizes.items() if v < 7}
    assert sizes["PFS hazard ratio · primary"] == MIN_TEXT


def test_scorecard_long_labels_are_cut_and_nothing_is_drawn_outside_the_figure():
    long = dataclasses.replace(PLAIN, label=LONG, endpoint="A panel name far too long " * 3)
    fig = drawn(card(long, ZERO))
    box = fig.bbox
    for text in texts(fig):
        e = text.get_window_extent()
        assert box.x0 - 1 <= e.x0 and e.x1 <= box.x1 + 1, text.get_text()
    shown = [t.get_text() for t in texts(fig)]
    assert any(t.startswith("Objective response rate by") and t.endswith(ELLIPSIS)
               for t in shown)


def test_scorecard_script_and_dollar_labels_stay_escaped_text_in_the_svg(tmp_path):
    hostile = dataclasses.replace(PLAIN, label="<script>alert(1)</script> & $x^$ 药")
    paths = save_scorecard_figure(card(hostile, name="Study <b>"), tmp_path / "s--summary")
    data = paths[1].read_bytes()
    ET.fromstring(data)
    assert b"<script" not in data and b"&lt;script&gt;" in data
    assert b"$x^$" in data  # drawn literally, not as mathematics
    assert b"Study &lt;b&gt;" in data
    fig = drawn(card(hostile))
    assert not any(cbook.is_math_text(t.get_text()) for t in texts(fig))


def test_scorecard_published_zero_and_not_computable_rows_are_left_out():
    zero = row("Complete responses, control", 0.0, 1.0, reproduced_ci=(0.0, 3.0))
    missing = dataclasses.replace(PLAIN, label="Missing", status=NOT_COMPUTABLE,
                                  reproduced=None)
    frame = figure_frame(card(zero, missing, PLAIN))
    assert frame["label"].tolist() == ["PFS hazard ratio · primary"]


def test_scorecard_two_rows_of_one_label_get_a_line_each():
    twin = dataclasses.replace(PLAIN, record="pfs.hr.other", reproduced=0.3)
    frame = figure_frame(card(PLAIN, twin))
    assert frame["label"].tolist() == ["PFS hazard ratio · primary [pfs.hazard.ratio]",
                                       "PFS hazard ratio · primary [pfs.hr.other]"]
    assert frame["ratio"].tolist() == pytest.approx([0.18 / 0.21, 0.3 / 0.21])


@pytest.mark.parametrize("rows", [(), (dataclasses.replace(PLAIN, status=NOT_COMPUTABLE),)])
def test_scorecard_with_nothing_compared_saves_a_figure_saying_so(rows, tmp_path):
    fig = drawn(card(*rows))
    assert "No published number is compared (see the table)." in [
        t.get_text() for t in texts(fig)]
    paths = save_scorecard_figure(card(*rows), tmp_path / "s--summary")
    assert [p.suffix for p in paths] == [".png", ".svg"]


def test_scorecard_figure_files_are_byte_identical_when_drawn_twice(tmp_path):
    document = card(ZERO, SIX, NOT_REACHED, WIDE, PLAIN)
    first = save_scorecard_figure(document, tmp_path / "a" / "s--summary")
    second = save_scorecard_figure(document, tmp_path / "b" / "s--summary")
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()
