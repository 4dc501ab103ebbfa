"""What ``netter reconstruct`` writes: all or nothing, umask permissions, CSV cells safe in a
spreadsheet, user text escaped in ``reconstruction.md``, the figure in the house style
(hardening items 9, 18 and the overlay figure)."""

from __future__ import annotations

import csv
import io
import os
import stat

import numpy as np
import pandas as pd
import pytest
from matplotlib.text import Text

from netter.errors import NetterError
from netter.figures.theme import FONT, arm_styles
from netter.reconstruct import diagnostics, write
from netter.reconstruct.diagnostics import overlay_frames, overlay_plot
from netter.reconstruct.pipeline import reconstruct, write_reconstruction
from netter.reconstruct.report import md_code, md_text
from netter.reconstruct.write import spreadsheet_safe
from netter.spreadsheet import FORMULA_STARTS
from tests.reconstruct.reconstruct_helpers import run_reconstruct

#: Arm labels a spreadsheet would run as formulas, and Markdown/HTML would interpret.
FORMULA = '=HYPERLINK("http://evil.example","click")'
HOSTILE = "<script>alert(1)</script> | `x` *y* [a](b)"


@pytest.fixture
def hostile_inputs(write):
    """Curves and counts of three arms with hostile labels (quoted CSV cells)."""
    def q(text):
        return '"' + text.replace('"', '""') + '"'

    arms = [FORMULA, HOSTILE, "@SUM(1+1)"]
    curve = "arm,time,survival\n" + "".join(
        f"{q(a)},0,1\n{q(a)},2,0.8\n{q(a)},5,0.6\n" for a in arms)
    risk = "arm,time,n_risk\n" + "".join(f"{q(a)},0,10\n{q(a)},3,8\n" for a in arms)
    return write("c.csv", curve), write("r.csv", risk), arms


def test_outputs_respect_the_umask(simple_inputs, tmp_path):
    curve, risk = simple_inputs
    old = os.umask(0o022)
    try:
        first = write_reconstruction(reconstruct([curve], risk), tmp_path / "a")
        os.umask(0o027)
        second = write_reconstruction(reconstruct([curve], risk), tmp_path / "b")
    finally:
        os.umask(old)
    assert {stat.S_IMODE(p.stat().st_mode) for p in first} == {0o644}
    assert {stat.S_IMODE(p.stat().st_mode) for p in second} == {0o640}


def test_failed_write_leaves_the_output_folder_as_it_was(simple_inputs, tmp_path,
                                                         monkeypatch):
    curve, risk = simple_inputs
    rec = reconstruct([curve], risk)
    out = tmp_path / "out"
    write_reconstruction(rec, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real, calls = write._create, []

    def failing(path):  # the disk fills up at the fifth file
        calls.append(path)
        if len(calls) == 5:
            raise OSError(28, "No space left on device")
        return real(path)

    monkeypatch.setattr(write, "_create", failing)
    with pytest.raises(NetterError, match=r"out: cannot write the outputs \(No space left"):
        write_reconstruction(rec, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # no temp file left
    calls.clear()
    with pytest.raises(NetterError):
        write_reconstruction(rec, tmp_path / "new" / "deeper")
    assert not (tmp_path / "new").exists()  # folders it created are removed


def test_figure_failure_writes_nothing(simple_inputs, tmp_path, monkeypatch):
    curve, risk = simple_inputs
    rec = reconstruct([curve], risk)

    def broken(plot):
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(diagnostics, "figure_png", broken)
    with pytest.raises(RuntimeError, match="drawing failed"):
        write_reconstruction(rec, tmp_path / "out")
    assert not (tmp_path / "out").exists()  # adsl/adtte are not written before the figure


def test_output_path_that_is_a_file_is_a_netter_error(simple_inputs, write, tmp_path,
                                                      capsys):
    curve, risk = simple_inputs
    taken = write("taken", "")
    assert run_reconstruct(["--curve", str(curve), "--at-risk", str(risk), "--out",
                            str(taken)]) == 1
    assert "taken: exists and is not a folder" in capsys.readouterr().err


def test_formula_labels_never_reach_a_csv_cell_verbatim(hostile_inputs, tmp_path):
    curve, risk, arms = hostile_inputs
    out = tmp_path / "out"
    assert run_reconstruct(["--curve", str(curve), "--at-risk", str(risk), "--studyid=-CMD",
                            "--quiet", "--out", str(out)]) == 0
    for path in out.glob("*.csv"):
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"))):
            for cell in row:
                try:
                    float(cell)
                except ValueError:
                    assert not cell.startswith(FORMULA_STARTS), (path.name, cell)
    adsl = pd.read_csv(out / "adsl.csv")
    assert list(dict.fromkeys(adsl["TRT01P"])) == ["'" + FORMULA, HOSTILE, "'@SUM(1+1)"]
    assert set(adsl["STUDYID"]) == {"'-CMD"} and adsl["USUBJID"].str.startswith("'-CMD-").all()
    fit = pd.read_csv(out / diagnostics.FIT_FILE)
    assert fit["arm"].tolist() == ["'" + FORMULA, HOSTILE, "'@SUM(1+1)"]
    risk_table = pd.read_csv(out / diagnostics.AT_RISK_FILE)
    assert (risk_table["difference"] <= 0).all()  # numbers keep their sign


def test_spreadsheet_safe_prefixes_every_formula_start():
    for start in ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20"):
        assert spreadsheet_safe(start + "1+1") == "'" + start + "1+1"
    assert spreadsheet_safe("177Lu-DOTATATE") == "177Lu-DOTATATE"
    assert spreadsheet_safe("") == ""


def test_arm_labels_are_escaped_in_reconstruction_md(hostile_inputs, tmp_path):
    markdown_it = pytest.importorskip("markdown_it")
    curve, risk, arms = hostile_inputs
    out = tmp_path / "out"
    assert run_reconstruct(["--curve", str(curve), "--at-risk", str(risk), "--quiet",
                            "--out", str(out)]) == 0
    text = (out / diagnostics.REPORT_FILE).read_text(encoding="utf-8")
    assert "<script>" not in text
    html = markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table").render(text)
    assert "<script>" not in html and "<a href" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; | `x` *y* [a](b)" in html  # shown as text
    for table in html.split("<table>")[1:]:  # every row keeps its number of cells
        body = table.split("</table>")[0]
        widths = {row.count("<td>") + row.count("<th>") for row in body.split("<tr>")[1:]}
        assert len(widths) == 1, body
    assert html.count('=HYPERLINK("http://evil.example","click")'.replace('"', "&quot;")) >= 3


def test_markdown_helpers():
    assert md_text("# heading") == "\\# heading" and md_text("- item") == "\\- item"
    assert md_text("2. x") == "2\\. x" and md_text("> quote") == "\\> quote"
    assert md_text("a\nb") == "a\\\\nb"  # a line break is shown, never breaks the line
    assert md_text("$x$ & ~y~") == "\\$x\\$ &amp; \\~y\\~"
    assert md_code("a``b") == "```a``b```" and md_code("`") == "`` ` ``"


def test_overlay_uses_the_house_style(simple_inputs):
    curve, risk = simple_inputs
    rec = reconstruct([curve], risk)
    steps, points = overlay_frames(rec)
    plot = overlay_plot(steps, points, time_unit="MONTHS", paramcd="PFS", ticks=[0, 2, 4, 2])
    figure = plot.draw()
    try:
        panel = figure.axes[0]
        styles = arm_styles(["A", "B"])  # the arms in study (input) order
        lines = {round(float(np.max(line.get_xdata())), 6): line for line in panel.lines}
        ends = steps.groupby("arm")["time"].max()
        for arm in ("A", "B"):
            line = lines[round(float(ends[arm]), 6)]
            assert line.get_color().upper().startswith(styles[arm].color.upper())
            assert line.get_linestyle() == {"solid": "-", "dashed": "--"}[styles[arm].linetype]
        assert [t.get_text() for t in panel.get_yticklabels()] == ["0", "25", "50", "75",
                                                                  "100"]
        assert panel.get_ylim()[0] == 0
        texts = {t.get_text() for t in figure.findobj(Text)}
        assert {"Progression-free survival (%)", "Time (months)", "A", "B"} <= texts
        # the at-risk times, continued at their step to the end of the curves (6)
        assert [t.get_text() for t in panel.get_xticklabels()] == ["0", "2", "4", "6"]
        assert {t.get_fontfamily()[0] for t in panel.get_yticklabels()} == {FONT}
    finally:
        import matplotlib.pyplot as plt

        plt.close(figure)


def test_overlay_draws_dollar_labels_literally(write, tmp_path):
    curve = write("c.csv", "arm,time,survival\n$\\frac$,0,1\n$\\frac$,2,0.5\n")
    risk = write("r.csv", "arm,time,n_risk\n$\\frac$,0,10\n")
    written = write_reconstruction(reconstruct([curve], risk), tmp_path / "out")
    assert (tmp_path / "out" / diagnostics.FIGURE_FILE) in written
