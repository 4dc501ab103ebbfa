"""Forest plot of hazard ratios by subgroup, from a ``netter subgroups`` document.

One row per level of each variable (and "All patients" on top): a square sized by
the number of events at the hazard ratio, a bar for its CI, on a log axis with a
solid line at 1 and a dashed line at the overall hazard ratio.  Text columns on
either side give the subgroup, the number of patients (events) and the hazard
ratio (95% CI) written by :mod:`netter.tables.fmt`; a variable's heading row
carries its interaction p-value.  The columns are axes sharing the panel's y
limits, so every text sits on its row.

Examples
--------
>>> from netter.tables.specimen import specimen_subgroups
>>> rows = forest_rows(specimen_subgroups())
>>> [(r["label"], r["hr_text"]) for r in rows][:2]
[('All patients', '0.18 (0.04–0.90)'), ('Sex', 'Interaction p=0.520')]
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from plotnine import (
    aes,
    arrow,
    element_blank,
    geom_point,
    geom_segment,
    geom_vline,
    ggplot,
    labs,
    scale_size_identity,
    scale_x_log10,
    scale_y_continuous,
    theme,
)

from netter.figures.theme import (
    BASE_SIZE,
    DOUBLE,
    GREY,
    SINGLE,
    TABLE_SIZE,
    journal_theme,
    plain,
    text_inches,
    wrap,
    wrap_lines,
)
from netter.results import SubgroupResult, SubgroupsDocument
from netter.tables import fmt
from netter.tables.labels import arm_label, level_label, variable_label

#: Height of one row, of the space around the panel, of the column headers above it (in).
ROW_HEIGHT, EXTRA_HEIGHT, HEADER_OFFSET = 0.15, 0.95, 0.2
#: Height of each further line of a wrapped label (in rows), most lines of a label.
LINE_ROWS, LABEL_LINES = 0.65, 3
#: Narrowest panel and subgroup column, space beside the panel, label indent, padding (in).
PANEL_MIN, LABEL_MIN, PANEL_PAD, INDENT, PAD = 1.0, 0.6, 0.15, 0.08, 0.08
#: Step by which a figure widens for its labels (in).
WIDEN = 0.25
#: Height of each line of the x-axis title beyond two (in).
XLABEL_LINE = 0.14
#: Column headers.
SUBGROUP_HEADER, COUNT_HEADER = "Subgroup", "Patients\n(events)"
#: Size of the largest square (area proportional to events; "All patients" is a diamond).
MARKER_MAX = 3.2
#: Hazard-ratio axis limits: CIs beyond are cut and end in an arrow.
AXIS_RANGE = (0.01, 100.0)


def _row(result: SubgroupResult, label: str, kind: str) -> dict:
    hr, (lo, hi) = result.hazard_ratio, result.ci
    return {"label": label, "kind": kind, "n_text": f"{result.n} ({result.events})",
            "hr": hr, "lo": lo, "hi": hi, "events": result.events,
            "hr_text": fmt.ratio_ci(hr, result.ci) if hr is not None else fmt.NE}


def forest_rows(document: SubgroupsDocument) -> list[dict]:
    """Rows top to bottom: "All patients", then per variable a heading and its levels.

    Each row: ``label``, ``kind`` (``overall``, ``heading``, ``level``), ``n_text``,
    ``hr``, ``lo``, ``hi``, ``events`` and ``hr_text`` (the interaction p-value on
    a heading).
    """
    rows = [_row(document.overall, "All patients", "overall")]
    for var in document.variables:
        test = var.interaction
        rows.append({"label": variable_label(var), "kind": "heading", "n_text": "",
                     "hr": None, "lo": None, "hi": None, "events": 0,
                     "hr_text": f"Interaction {fmt.p_equation(test.p_value)}"})
        rows += [_row(lv, level_label(var, lv.level), "level") for lv in var.levels]
    return rows


def axis_limits(rows: list[dict]) -> tuple[float, float]:
    """Log-axis limits: powers of 2 around every CI, within ``AXIS_RANGE``, and at least
    one power of 2 on either side of 1 (both sides of "no difference" show).

    Examples
    --------
    >>> axis_limits([{"lo": 0.04, "hi": 1.2, "hr": 0.2}])
    (0.03125, 2.0)
    >>> axis_limits([{"lo": 0.1, "hi": 0.6, "hr": 0.2}]), axis_limits([])
    ((0.0625, 2.0), (0.5, 2.0))
    """
    values = [v for r in rows for v in (r["lo"], r["hi"], r["hr"])
              if v is not None and math.isfinite(v) and v > 0] + [1.0]
    lo = max(min(values), AXIS_RANGE[0])
    hi = min(max(values), AXIS_RANGE[1])
    return (min(2.0 ** math.floor(math.log2(lo)), 0.5),
            max(2.0 ** math.ceil(math.log2(hi)), 2.0))


#: Tick sets from dense to sparse; the densest that fits the panel is used.
TICK_TIERS = ((0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0),
              (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0),
              (0.01, 0.1, 1.0, 10.0, 100.0))


def axis_breaks(limits: tuple[float, float], panel_inches: float) -> list[float]:
    """Ticks inside ``limits``: the densest tier with one tick per 0.2 in of panel, and a
    tick on either side of 1 (the limit itself when the tier has none there).

    Examples
    --------
    >>> axis_breaks((0.03125, 2.0), 0.9), axis_breaks((0.03125, 2.0), 3.0)
    ([0.1, 0.3, 1.0, 2.0], [0.05, 0.1, 0.2, 0.5, 1.0, 2.0])
    """
    room = max(2, int(panel_inches / 0.2))
    for tier in TICK_TIERS:
        ticks = [b for b in tier if limits[0] <= b <= limits[1]]
        if len(ticks) <= room:
            break
    if limits[0] < 1.0 and not any(t < 1.0 for t in ticks):
        ticks.insert(0, limits[0])
    if limits[1] > 1.0 and not any(t > 1.0 for t in ticks):
        ticks.append(limits[1])
    return ticks


@dataclass(frozen=True)
class ForestLayout:
    """Where everything of a forest plot goes, measured on its texts.

    ``width`` is the figure's width (the one asked for, wider only when the columns
    and the narrowest panel cannot fit in it); ``columns`` the fractions of it taken by
    the subgroup labels, the patients (events) and the HR (CI) columns; ``labels`` the
    subgroup labels as drawn (wrapped to their column, at most :data:`LABEL_LINES`
    lines); ``y`` each row's centre and ``top`` the top of the table, in rows (the
    bottom row is centred at 1 and a one-line row is 1 high); ``height`` the figure's
    height in inches.
    """

    width: float
    columns: tuple[float, float, float]
    labels: tuple[str, ...]
    y: tuple[float, ...]
    top: float
    height: float


def _label_font(row: dict) -> dict:
    return {"weight": "normal" if row["kind"] == "level" else "bold"}


def forest_layout(rows: list[dict], width: float = SINGLE, *, hr_header: str = "HR (95% CI)",
                  title: str | None = None, xlabel_lines: int = 2) -> ForestLayout:
    """Column widths, wrapped labels, row positions and figure size of a forest plot.

    The patients and HR columns are as wide as their texts (and headers); the panel
    keeps at least :data:`PANEL_MIN` inches; the subgroup column gets what is left, up
    to what its labels need.  A label wider than its column is wrapped (a variable's
    heading may use the empty patients column too) and its row grows by a line; the
    figure's height is the sum of the rows.  The figure gets wider when even
    :data:`LABEL_MIN` inches of labels do not fit, and (up to a double column,
    :data:`netter.figures.theme.DOUBLE`) while a label would need more than
    :data:`LABEL_LINES` lines; beyond that it is cut short with an ellipsis.

    Examples
    --------
    >>> from netter.tables.specimen import specimen_subgroups
    >>> layout = forest_layout(forest_rows(specimen_subgroups()))
    >>> layout.width, layout.labels[:2], layout.y[:2], layout.top
    (3.5, ('All patients', 'Sex'), (7.0, 6.0), 7.5)
    """
    bold = {"weight": "bold"}
    count = max([text_inches(r["n_text"]) for r in rows]
                + [text_inches(h, **bold) for h in COUNT_HEADER.split("\n")]) + 0.16
    count = max(count, 0.5)
    right = max([text_inches(r["hr_text"], style="italic") for r in rows]
                + [text_inches(hr_header, **bold)]) + 0.08
    budget = width - count - right - PANEL_MIN - PANEL_PAD
    if budget < LABEL_MIN:
        width, budget = width + LABEL_MIN - budget, LABEL_MIN
    needed = max([text_inches(plain(r["label"]), **_label_font(r))
                  + (INDENT if r["kind"] == "level" else 0.0) for r in rows
                  if r["kind"] != "heading"]
                 + [text_inches(plain(r["label"]), **bold) - count + PAD for r in rows
                    if r["kind"] == "heading"]
                 + [text_inches(SUBGROUP_HEADER, **bold)]) + PAD

    def lines_at(left: float, max_lines: int | None) -> list[list[str]]:
        return [wrap_lines(r["label"], {"level": left - PAD - INDENT, "overall": left - PAD,
                                        "heading": left + count - 2 * PAD}[r["kind"]],
                           TABLE_SIZE, max_lines=max_lines, **_label_font(r))
                for r in rows]

    # wider, up to a double column, while a label needs more than LABEL_LINES lines
    while needed > budget and width + WIDEN <= max(width, DOUBLE) and max(
            len(lines) for lines in lines_at(budget, None)) > LABEL_LINES:
        width, budget = width + WIDEN, budget + WIDEN
    left = min(needed, budget)
    wrapped = lines_at(left, LABEL_LINES)
    labels = ["\n".join(plain(line) for line in lines) for lines in wrapped]
    heights = [1.0 + (len(lines) - 1) * LINE_ROWS for lines in wrapped]
    y, bottom = [], 0.5
    for h in reversed(heights):
        y.append(bottom + h / 2.0)
        bottom += h
    title_lines = len(wrap_lines(title, width - 0.1, BASE_SIZE + 1, max_lines=2,
                                 weight="bold")) if title else 0
    height = (bottom - 0.5) * ROW_HEIGHT + EXTRA_HEIGHT + 0.2 * title_lines + (
        XLABEL_LINE * (xlabel_lines - 2))
    return ForestLayout(width, (left / width, count / width, right / width), tuple(labels),
                        tuple(reversed(y)), bottom, round(height, 4))


def column_widths(rows: list[dict], width: float) -> tuple[float, float, float]:
    """Fractions of the figure width: subgroup labels, patients (events), HR (CI).

    See :func:`forest_layout` (the figure may need to be wider than ``width``).

    Examples
    --------
    >>> from netter.tables.specimen import specimen_subgroups
    >>> sum(column_widths(forest_rows(specimen_subgroups()), 3.5)) < 1
    True
    """
    return forest_layout(rows, width).columns


def _frames(rows: list[dict], limits, y) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All rows, and those with a hazard ratio: CI ends cut to the axis (``cut``), the
    marker at the axis edge when the estimate lies beyond it (``off``)."""
    frame = pd.DataFrame(rows)
    frame["y"] = np.asarray(y, dtype=float)
    shown = frame[frame["hr"].notna()].copy()
    hr = shown["hr"].astype(float)
    lo, hi = shown["lo"].astype(float), shown["hi"].astype(float)
    shown["x"] = hr.clip(lower=limits[0], upper=limits[1])
    shown["off"] = (hr < limits[0]) | (hr > limits[1])
    shown["x0"] = lo.fillna(limits[0]).clip(lower=limits[0], upper=limits[1])
    shown["x1"] = hi.fillna(limits[1]).clip(lower=limits[0], upper=limits[1])
    shown["cut"] = lo.isna() | (lo < limits[0]) | hi.isna() | (hi > limits[1])
    return frame, shown


def _plot(rows: list[dict], overall: SubgroupResult, limits, layout: ForestLayout,
          xlabel: str, margin_top: float) -> ggplot:
    frame, shown = _frames(rows, limits, layout.y)
    levels = shown[(shown["kind"] == "level") & ~shown["off"]]
    top = shown[(shown["kind"] == "overall") & ~shown["off"]]
    off = shown[shown["off"]].assign(side=lambda f: np.where(f["hr"] < limits[0], "<", ">"))
    width, height, columns = layout.width, layout.height, layout.columns
    largest = max([1, *shown.loc[shown["kind"] == "level", "events"].astype(int)])
    levels = levels.assign(marker=MARKER_MAX * np.sqrt(levels["events"] / largest).clip(0.2))
    breaks = axis_breaks(limits, width * (1 - sum(columns)) - PANEL_PAD)
    plot = (ggplot(shown, aes("x", "y"))
            + geom_vline(xintercept=1.0, color="black", size=0.4)
            + geom_segment(shown[~shown["cut"]], aes(x="x0", xend="x1", yend="y"), size=0.45)
            + geom_segment(shown[shown["cut"]], aes(x="x0", xend="x1", yend="y"), size=0.45,
                           arrow=arrow(length=0.04, type="open", ends="both", angle=25))
            + geom_point(levels, aes(size="marker"), shape="s", fill="black", color="black")
            + geom_point(top, shape="D", size=MARKER_MAX, fill="black", color="black")
            + geom_point(off[off["side"] == "<"], shape="<", size=MARKER_MAX * 0.7,
                         fill="white", color="black", stroke=0.6)
            + geom_point(off[off["side"] == ">"], shape=">", size=MARKER_MAX * 0.7,
                         fill="white", color="black", stroke=0.6)
            + scale_size_identity()
            + scale_x_log10(limits=limits, breaks=breaks, labels=[fmt.tick(b) for b in breaks],
                            expand=(0, 0))
            + scale_y_continuous(limits=(0.4, layout.top + 0.1), expand=(0, 0))
            + labs(x=xlabel, y=None)
            + journal_theme(width, height)
            + theme(axis_line_y=element_blank(), axis_ticks_major_y=element_blank(),
                    axis_text_y=element_blank(), axis_title_y=element_blank(),
                    plot_margin_left=columns[0] + columns[1], plot_margin_right=columns[2],
                    plot_margin_top=margin_top / width))
    hr = overall.hazard_ratio
    if hr is not None and limits[0] <= hr <= limits[1]:
        plot += geom_vline(xintercept=hr, color=GREY, linetype="dashed", size=0.4)
    return plot


def _columns(fig: Figure, rows: list[dict], hr_header: str, layout: ForestLayout
             ) -> list[Axes]:
    panel = fig.axes[0]
    pos = panel.get_position()
    ylim = panel.get_ylim()
    head = ylim[1] + HEADER_OFFSET * (ylim[1] - ylim[0]) / (pos.height * fig.get_figheight())
    out, (left, count, _) = [], layout.columns
    for x0, x1, label in ((0.01, left, "subgroup"), (left, left + count, "patients"),
                          (pos.x1 + 0.01, 0.995, "hazard ratio")):
        ax = fig.add_axes((x0, pos.y0, x1 - x0, pos.height), label=f"forest {label}")
        ax.set_ylim(ylim)
        ax.set_xlim(0, 1)
        ax.set_axis_off()
        out.append(ax)
    left, middle, right = out
    bold = {"weight": "bold", "size": TABLE_SIZE}
    left.text(0, head, SUBGROUP_HEADER, ha="left", va="center", clip_on=False, **bold)
    middle.text(0.5, head, COUNT_HEADER, ha="center", va="center", clip_on=False,
                linespacing=1.0, **bold)
    right.text(0, head, hr_header, ha="left", va="center", clip_on=False, **bold)
    indent = INDENT / (layout.columns[0] * fig.get_figwidth())
    for y, label, row in zip(layout.y, layout.labels, rows, strict=True):
        heading = row["kind"] != "level"
        left.text(0 if heading else indent, y, label, ha="left", va="center",
                  size=TABLE_SIZE, weight="bold" if heading else "normal",
                  **({"linespacing": 1.05} if "\n" in label else {}))
        middle.text(0.5, y, row["n_text"], ha="center", va="center", size=TABLE_SIZE)
        right.text(0, y, row["hr_text"], ha="left", va="center", size=TABLE_SIZE,
                   color=GREY if row["kind"] == "heading" else "black",
                   style="italic" if row["kind"] == "heading" else "normal")
    return out


def forest_figure(document: SubgroupsDocument, *, title: str | None = None,
                  width: float = SINGLE) -> Figure:
    """The forest plot of a subgroups document.

    Labels wider than their column are wrapped and their rows grow (see
    :func:`forest_layout`); a hazard ratio beyond the axis is an open triangle at its
    edge, pointing out, and a CI cut by the axis ends in arrows.

    Parameters
    ----------
    document : SubgroupsDocument
        From ``netter subgroups`` (:func:`netter.artefacts.read_document`).
    title : str, optional
    width : float
        Figure width in inches (wider only when the columns leave no room for the panel).

    Returns
    -------
    matplotlib.figure.Figure
        Drawn, with a fixed layout.

    Examples
    --------
    >>> from netter.tables.specimen import specimen_subgroups
    >>> fig = forest_figure(specimen_subgroups())
    >>> [ax.get_label() for ax in fig.axes][1:]
    ['forest subgroup', 'forest patients', 'forest hazard ratio']
    """
    rows = forest_rows(document)
    limits = axis_limits(rows)
    hr_header = f"HR ({fmt.level(document.methods.conf_level)} CI)"
    favours = f"< 1 favours {arm_label(document, document.arm)}"
    lines = wrap_lines(favours, width - 0.2, BASE_SIZE, max_lines=3)
    layout = forest_layout(rows, width, hr_header=hr_header, title=title,
                           xlabel_lines=1 + len(lines))
    xlabel = "\n".join(["Hazard ratio (log scale)", *(plain(line) for line in lines)])
    heading = wrap(title, layout.width - 0.1, BASE_SIZE + 1, max_lines=2,
                   weight="bold") if title else ""
    margin_top = 0.35 + 0.2 * (heading.count("\n") + 1 if title else 0)
    plot = _plot(rows, document.overall, limits, layout, xlabel, margin_top)
    fig = plot.draw()
    fig.draw_without_rendering()
    fig.set_layout_engine("none")
    _columns(fig, rows, hr_header, layout)
    if title:
        fig.text(0.01, 1 - 0.06 / layout.height, heading, ha="left", va="top",
                 weight="bold", size=BASE_SIZE + 1)
    return fig
