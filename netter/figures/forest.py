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

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextPath
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

from netter.figures.theme import BASE_SIZE, FONT, GREY, SINGLE, TABLE_SIZE, journal_theme
from netter.results import SubgroupResult, SubgroupsDocument
from netter.tables import fmt
from netter.tables.labels import arm_label, level_label, variable_label

#: Height of one row, of the space around the panel, of the column headers above it (in).
ROW_HEIGHT, EXTRA_HEIGHT, HEADER_OFFSET = 0.15, 0.95, 0.2
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
    """Log-axis limits: powers of 2 around every CI and 1, within ``AXIS_RANGE``.

    Examples
    --------
    >>> axis_limits([{"lo": 0.04, "hi": 1.2, "hr": 0.2}])
    (0.03125, 2.0)
    """
    values = [v for r in rows for v in (r["lo"], r["hi"], r["hr"]) if v is not None] + [1.0]
    lo = max(min(values), AXIS_RANGE[0])
    hi = min(max(values), AXIS_RANGE[1])
    return 2.0 ** math.floor(math.log2(lo)), 2.0 ** math.ceil(math.log2(hi))


#: Tick sets from dense to sparse; the densest that fits the panel is used.
TICK_TIERS = ((0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0),
              (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0),
              (0.01, 0.1, 1.0, 10.0, 100.0))


def axis_breaks(limits: tuple[float, float], panel_inches: float) -> list[float]:
    """Ticks inside ``limits``: the densest tier with one tick per 0.2 in of panel.

    Examples
    --------
    >>> axis_breaks((0.03125, 2.0), 0.9), axis_breaks((0.03125, 2.0), 3.0)
    ([0.1, 0.3, 1.0], [0.05, 0.1, 0.2, 0.5, 1.0, 2.0])
    """
    room = max(2, int(panel_inches / 0.2))
    for tier in TICK_TIERS:
        ticks = [b for b in tier if limits[0] <= b <= limits[1]]
        if len(ticks) <= room:
            return ticks
    return ticks


def text_inches(text: str, size: float = TABLE_SIZE, **font) -> float:
    """Width of ``text`` in inches when drawn in the theme's font (no renderer needed).

    Examples
    --------
    >>> round(text_inches("Ileum"), 2)
    0.24
    """
    if not text:
        return 0.0
    prop = FontProperties(family=FONT, size=size, **font)
    return float(TextPath((0, 0), text, size=size, prop=prop).get_extents().width) / 72.0


def column_widths(rows: list[dict], width: float) -> tuple[float, float, float]:
    """Fractions of the figure width: subgroup labels, patients (events), HR (CI).

    Measured on the texts; headings may run into the patients column (theirs is empty).
    """
    left = max(text_inches(r["label"], weight="bold" if r["kind"] == "overall" else "normal")
               + (0.0 if r["kind"] == "overall" else 0.08)
               for r in rows if r["kind"] != "heading") + 0.08
    count = max(text_inches(r["n_text"]) for r in rows) + 0.16
    right = max(text_inches(r["hr_text"], style="italic") for r in rows) + 0.08
    return left / width, max(count, 0.5) / width, right / width


def _frames(rows: list[dict], limits) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = pd.DataFrame(rows)
    frame["y"] = np.arange(len(rows), 0, -1, dtype=float)
    shown = frame[frame["hr"].notna()].copy()
    shown["x0"] = shown["lo"].fillna(limits[0]).clip(lower=limits[0])
    shown["x1"] = shown["hi"].fillna(limits[1]).clip(upper=limits[1])
    shown["cut"] = (shown["lo"].isna() | (shown["lo"] < limits[0]) | shown["hi"].isna()
                    | (shown["hi"] > limits[1]))
    return frame, shown


def _plot(rows: list[dict], overall: SubgroupResult, limits, size: tuple[float, float],
          columns: tuple[float, float, float], xlabel: str) -> ggplot:
    frame, shown = _frames(rows, limits)
    levels, top = shown[shown["kind"] == "level"], shown[shown["kind"] == "overall"]
    width, height = size
    largest = max(1, int(levels["events"].max())) if len(levels) else 1
    levels = levels.assign(marker=MARKER_MAX * np.sqrt(levels["events"] / largest).clip(0.2))
    breaks = axis_breaks(limits, width * (1 - sum(columns)) - 0.15)
    plot = (ggplot(shown, aes("hr", "y"))
            + geom_vline(xintercept=1.0, color="black", size=0.4)
            + geom_segment(shown[~shown["cut"]], aes(x="x0", xend="x1", yend="y"), size=0.45)
            + geom_segment(shown[shown["cut"]], aes(x="x0", xend="x1", yend="y"), size=0.45,
                           arrow=arrow(length=0.04, type="open", ends="both", angle=25))
            + geom_point(levels, aes(size="marker"), shape="s", fill="black", color="black")
            + geom_point(top, shape="D", size=MARKER_MAX, fill="black", color="black")
            + scale_size_identity()
            + scale_x_log10(limits=limits, breaks=breaks, labels=[fmt.tick(b) for b in breaks],
                            expand=(0, 0))
            + scale_y_continuous(limits=(0.4, len(frame) + 0.6), expand=(0, 0))
            + labs(x=xlabel, y=None)
            + journal_theme(width, height)
            + theme(axis_line_y=element_blank(), axis_ticks_major_y=element_blank(),
                    axis_text_y=element_blank(), axis_title_y=element_blank(),
                    plot_margin_left=columns[0] + columns[1], plot_margin_right=columns[2],
                    plot_margin_top=0.35 / width))
    if overall.hazard_ratio is not None:
        plot += geom_vline(xintercept=overall.hazard_ratio, color=GREY, linetype="dashed",
                           size=0.4)
    return plot


def _columns(fig: Figure, rows: list[dict], arm_text: str,
             columns: tuple[float, float, float]) -> list[Axes]:
    panel = fig.axes[0]
    pos = panel.get_position()
    ylim = panel.get_ylim()
    head = ylim[1] + HEADER_OFFSET * (ylim[1] - ylim[0]) / (pos.height * fig.get_figheight())
    out, left, count = [], columns[0], columns[1]
    for x0, x1, label in ((0.01, left, "subgroup"), (left, left + count, "patients"),
                          (pos.x1 + 0.01, 0.995, "hazard ratio")):
        ax = fig.add_axes((x0, pos.y0, x1 - x0, pos.height), label=f"forest {label}")
        ax.set_ylim(ylim)
        ax.set_xlim(0, 1)
        ax.set_axis_off()
        out.append(ax)
    left, middle, right = out
    bold = {"weight": "bold", "size": TABLE_SIZE}
    left.text(0, head, "Subgroup", ha="left", va="center", clip_on=False, **bold)
    middle.text(0.5, head, "Patients\n(events)", ha="center", va="center", clip_on=False,
                linespacing=1.0, **bold)
    right.text(0, head, f"HR ({arm_text})", ha="left", va="center", clip_on=False, **bold)
    indent = 0.08 / (columns[0] * fig.get_figwidth())
    for y, row in zip(range(len(rows), 0, -1), rows, strict=True):
        heading = row["kind"] != "level"
        left.text(0 if heading else indent, y, row["label"], ha="left", va="center",
                  size=TABLE_SIZE, weight="bold" if heading else "normal")
        middle.text(0.5, y, row["n_text"], ha="center", va="center", size=TABLE_SIZE)
        right.text(0, y, row["hr_text"], ha="left", va="center", size=TABLE_SIZE,
                   color=GREY if row["kind"] == "heading" else "black",
                   style="italic" if row["kind"] == "heading" else "normal")
    return out


def forest_figure(document: SubgroupsDocument, *, title: str | None = None,
                  width: float = SINGLE) -> Figure:
    """The forest plot of a subgroups document.

    Parameters
    ----------
    document : SubgroupsDocument
        From ``netter subgroups`` (:func:`netter.artefacts.read_document`).
    title : str, optional
    width : float
        Figure width in inches.

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
    height = len(rows) * ROW_HEIGHT + EXTRA_HEIGHT + (0.2 if title else 0.0)
    level = fmt.level(document.methods.conf_level)
    xlabel = f"Hazard ratio (log scale)\n< 1 favours {arm_label(document, document.arm)}"
    columns = column_widths(rows, width)
    plot = _plot(rows, document.overall, limits, (width, height), columns, xlabel)
    if title:
        plot += theme(plot_margin_top=0.55 / width)
    fig = plot.draw()
    fig.draw_without_rendering()
    fig.set_layout_engine("none")
    _columns(fig, rows, f"{level} CI", columns)
    if title:
        fig.text(0.01, 1 - 0.06 / height, title, ha="left", va="top", weight="bold",
                 size=BASE_SIZE + 1)
    return fig
