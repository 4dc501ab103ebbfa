"""Kaplan-Meier figure of one endpoint, with the numbers at risk under the x axis.

Everything drawn comes from the endpoint's results (``netter analyze``): the
curves and their pointwise CIs (``ArmResult.curve``), the numbers at risk
(``ArmResult.risk_table``), medians, hazard ratio and log-rank p-value.  Nothing
is estimated here.

* Curves are right-continuous steps from (0, 1); the CI is a step band (a polygon
  through the same corners as the curve, never interpolated); censorings are
  ticks; dashed lines mark the medians.
* The x axis ticks are the risk table's times (its step, chosen from the follow-up
  or set by the study; every 2nd, 3rd ... when they would crowd), and the numbers
  at risk are printed in a second axes that shares the panel's x limits and
  horizontal extent, so each count sits exactly under its tick.
* Arms are drawn in the study's order under their labels, the axis titles come
  from the endpoint (its axis title, or its name) and the document's time unit and
  the endpoint's time origin (e.g. "Months since randomisation").

Examples
--------
>>> from netter.tables.specimen import specimen_results
>>> doc = specimen_results()
>>> fig = km_figure(doc.endpoints["PFS"], title=None, document=doc)
>>> [t.get_text() for t in risk_axes(fig).texts if t.get_gid() == "at-risk-0-4"]
['8']
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.transforms import blended_transform_factory
from plotnine import (
    aes,
    annotate,
    geom_point,
    geom_polygon,
    geom_segment,
    geom_step,
    ggplot,
    guide_legend,
    guides,
    labs,
    scale_color_manual,
    scale_fill_manual,
    scale_linetype_manual,
    scale_x_continuous,
    scale_y_continuous,
    theme,
)

from netter.figures.display import display_endpoint
from netter.figures.theme import (
    BASE_SIZE,
    CURVE_WIDTH,
    GREY,
    SINGLE,
    TABLE_SIZE,
    TICK_SIZE,
    arm_styles,
    journal_theme,
    text_inches,
    wrap,
)
from netter.results import ArmResult, EndpointResult
from netter.tables import fmt
from netter.tables.labels import endpoint_axis, time_axis

#: Label of the axes holding the numbers at risk (found by :func:`risk_axes`).
RISK_AXES = "numbers at risk"
#: Most x ticks per 3.5 in of width (about 0.25 in per column of numbers at risk).
MAX_TICKS = 12
#: Height of the curve panel area and of one risk-table line, inches.
PLOT_HEIGHT, LINE_HEIGHT = 2.55, 0.125
#: Figure width beside the panel (axis title, tick labels, margins) and least space
#: between two tick labels and between two numbers at risk, inches.
PANEL_SIDES, TICK_GAP, COUNT_GAP = 0.6, 0.1, 0.05
#: Width of a legend key and its spacing, inches.
LEGEND_KEY = 0.45


def plot_height(width: float) -> float:
    """Height of the curve area (inches): 2.55 at single width, taller when wider.

    Examples
    --------
    >>> plot_height(3.5), plot_height(7.0)
    (2.55, 3.4)
    """
    return round(PLOT_HEIGHT * (1 + (width - SINGLE) / (3 * SINGLE)), 2)


def step_curve(arm: ArmResult) -> pd.DataFrame:
    """The curve's corners from (0, 1): ``x``, ``y`` for ``geom_step(direction="hv")``.

    Examples
    --------
    >>> from netter.tables.specimen import specimen_results
    >>> step_curve(specimen_results().endpoints["OS"].arms[0]).y.tolist()
    [1.0, 0.9, 0.788, 0.788, 0.788]
    """
    c = arm.curve
    return pd.DataFrame({"x": [0.0, *c.time], "y": [1.0, *c.survival], "arm": arm.arm})


def step_band(arm: ArmResult) -> pd.DataFrame:
    """The pointwise CI as step polygons (one per run of rows with both limits).

    Row ``i`` holds from ``time[i]`` to ``time[i + 1]`` (the last row is a point), as
    the curve; the polygon goes right along the upper limits and back along the lower.

    Examples
    --------
    >>> from netter.tables.specimen import specimen_results
    >>> band = step_band(specimen_results().endpoints["PFS"].arms[1])
    >>> band.iloc[:4][["x", "y"]].values.tolist()
    [[0.8, 1.0], [1.6, 1.0], [1.6, 1.0], [2.4, 1.0]]
    """
    c = arm.curve
    ends = [*c.time[1:], c.time[-1]] if c.time else []
    ok = [lo is not None and hi is not None for lo, hi in zip(c.ci_lower, c.ci_upper,
                                                              strict=True)]
    frames, run = [], []
    for i in range(len(c.time) + 1):
        if i < len(c.time) and ok[i]:
            run.append(i)
            continue
        if run:
            upper = [(x, c.ci_upper[j]) for j in run for x in (c.time[j], ends[j])]
            lower = [(x, c.ci_lower[j]) for j in reversed(run) for x in (ends[j], c.time[j])]
            xy = np.array(upper + lower, dtype=float)
            frames.append(pd.DataFrame({"x": xy[:, 0], "y": xy[:, 1], "arm": arm.arm,
                                        "group": f"{arm.arm}#{len(frames)}"}))
        run = []
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        {"x": [], "y": [], "arm": [], "group": []})


def censor_marks(arm: ArmResult) -> pd.DataFrame:
    """Where the curve has censorings: ``x`` (time) and ``y`` (the curve there)."""
    c = arm.curve
    rows = [(t, s) for t, s, k in zip(c.time, c.survival, c.n_censor, strict=True) if k > 0]
    return pd.DataFrame(rows or None, columns=["x", "y"]).assign(arm=arm.arm)


def axis_ticks(times, width: float = SINGLE, counts=()) -> list[float]:
    """The risk table's times, thinned to every k-th so at most ``MAX_TICKS`` per 3.5 in
    show, and fewer when their labels (``fmt.tick``) or the numbers at risk printed under
    them (``counts``) would touch.

    Examples
    --------
    >>> axis_ticks([4.0 * k for k in range(9)]), axis_ticks([4.0 * k for k in range(26)])[:3]
    ([0.0, 4.0, 8.0, 12.0, 16.0, 20.0, 24.0, 28.0, 32.0], [0.0, 12.0, 24.0])
    >>> axis_ticks([2e8 * k for k in range(9)])
    [0.0, 400000000.0, 800000000.0, 1200000000.0, 1600000000.0]
    >>> len(axis_ticks(range(9), counts=[1234567]))
    5
    """
    times = list(times)
    room = max([text_inches(fmt.tick(t), TICK_SIZE) + TICK_GAP for t in times]
               + [text_inches(str(n), TABLE_SIZE) + COUNT_GAP for n in counts], default=1.0)
    fit = int((width - PANEL_SIDES) / room) + 1
    limit = max(2, min(round(MAX_TICKS * width / SINGLE), fit))
    every = max(1, math.ceil(len(times) / limit))
    return times[::every]


def annotation_text(ep: EndpointResult, name=str) -> str:
    """Hazard ratio with CI and log-rank p (stratified when the results have them).

    ``name`` writes an arm's name (the figure shortens long names with it).

    Examples
    --------
    >>> from netter.tables.specimen import specimen_results
    >>> print(annotation_text(specimen_results().endpoints["PFS"]))
    Stratified analysis
    HR 0.20 (95% CI 0.04–0.97)
    Log-rank p=0.028
    """
    stratified = ep.cox_stratified is not None
    models = (ep.cox_stratified_by_arm or (ep.cox_stratified,)) if stratified else (
        ep.cox_by_arm or (ep.cox,))
    logrank = ep.logrank_stratified if ep.logrank_stratified is not None else ep.logrank
    # with three arms or more, a heading names the reference and each line its arm
    lines = [] if len(models) == 1 else [f"HR vs {name(models[0].reference)}"]
    for cox in models:
        hr = fmt.ratio(cox.hazard_ratio, cox.not_estimable_reason)
        if cox.hazard_ratio is not None:
            ci = fmt.interval(cox.ci, fmt.DIGITS["ratio"], upper=fmt.INFINITY)
            hr += f" ({fmt.level(cox.conf_level)} CI {ci})"
        lines.append(f"HR {hr}" if len(models) == 1 else f"{name(cox.arm)}: {hr}")
    lines.append(f"Log-rank {fmt.p_equation(logrank.p_value)}")
    return "\n".join((["Stratified analysis"] if stratified else []) + lines)


def _step_values(times, values, x: np.ndarray, start: float | None) -> np.ndarray:
    """A right-continuous step function (``start`` before the first time) at ``x``."""
    idx = np.searchsorted(np.asarray(times), x, side="right") - 1
    vals = np.array([np.nan if v is None else v for v in values], dtype=float)
    out = np.where(idx >= 0, vals[np.maximum(idx, 0)], np.nan if start is None else start)
    return np.where(x <= times[-1], out, np.nan)


def _crowding(arms: list[ArmResult], box, xmax: float) -> float:
    """How much of the curves (weight 1), CI bands (0.3) and median lines (0.5 each)
    fall in ``box`` (x, y fractions)."""
    x0, x1, y0, y1 = box
    x = np.linspace(x0, x1, 60) * xmax
    medians = [a.median.estimate / xmax for a in arms if a.median.estimate is not None]
    score = 0.5 * sum(x0 <= m <= x1 and y0 <= 0.5 for m in medians)
    if medians and y0 <= 0.5 <= y1 and x0 <= max(medians):
        score += 0.5
    for arm in arms:
        c = arm.curve
        s = _step_values(c.time, c.survival, x, 1.0)
        score += float(np.mean((s >= y0) & (s <= y1)))
        lo, hi = _step_values(c.time, c.ci_lower, x, 1.0), _step_values(c.time, c.ci_upper,
                                                                            x, 1.0)
        cover = np.clip(np.minimum(hi, y1) - np.maximum(lo, y0), 0, None) / (y1 - y0)
        score += 0.3 * float(np.nanmean(np.where(np.isnan(cover), 0.0, cover)))
    return score


def annotation_spot(arms: list[ArmResult], text: str, xmax: float,
                    width: float = SINGLE) -> tuple[float, float, str, str]:
    """Where the annotation crowds the curves least: ``(x, y, ha, va)`` in data units.

    Candidates: bottom-left, bottom-right, top-right, middle-right (first wins ties).
    """
    lines = text.split("\n")
    w = max(text_inches(line, TICK_SIZE) for line in lines) / (width - PANEL_SIDES)
    h = len(lines) * 1.35 * TICK_SIZE / 72 / (plot_height(width) - 0.9)
    spots = [(0.02, 0.03, "left", "bottom"), (0.98, 0.03, "right", "bottom"),
             (0.98, 0.97, "right", "top"), (0.98, 0.60, "right", "top")]

    def box(spot):
        x, y, ha, va = spot
        bx = (x, x + w) if ha == "left" else (x - w, x)
        by = (y, y + h) if va == "bottom" else (y - h, y)
        return (*bx, *by)

    best = min(spots, key=lambda spot: round(_crowding(arms, box(spot), xmax), 6))
    return best[0] * xmax, best[1], best[2], best[3]


def _medians(ep: EndpointResult) -> pd.DataFrame:
    rows = []
    for arm in ep.arms:
        m = arm.median.estimate
        if m is not None:
            rows += [(0.0, 0.5, m, 0.5), (m, 0.5, m, 0.0)]
    return pd.DataFrame(rows or None, columns=["x", "y", "xend", "yend"])


def _arm_name(width: float):
    """Writes an arm's name inside the panel: escaped, cut short to a third of it."""
    return lambda name: wrap(name, (width - PANEL_SIDES) / 3.0, TICK_SIZE, max_lines=1)


def _plot(ep: EndpointResult, arms: list[ArmResult], styles: dict, ticks: list[float],
          xmax: float, labels: tuple[str | None, str, str], width: float) -> ggplot:
    steps = pd.concat([step_curve(a) for a in arms], ignore_index=True)
    band = pd.concat([step_band(a) for a in arms], ignore_index=True)
    marks = pd.concat([censor_marks(a) for a in arms], ignore_index=True)
    names = [a.arm for a in arms]
    colors = {a: s.color for a, s in styles.items()}
    text = annotation_text(ep, _arm_name(width))
    spot = annotation_spot(arms, text, xmax, width)
    keys = legend_labels(names, width)
    rows = len(names) if any("\n" in k for k in keys) else legend_rows(names, width)
    plot = (ggplot(steps, aes("x", "y", color="arm", linetype="arm"))
            + geom_polygon(band, aes("x", "y", group="group", fill="arm"), inherit_aes=False,
                           alpha=0.14, color=None, show_legend=False)
            + geom_segment(_medians(ep), aes("x", "y", xend="xend", yend="yend"),
                           inherit_aes=False, color=GREY, linetype="dashed", size=0.35)
            + geom_step(direction="hv", size=CURVE_WIDTH / 2.0 * 1.4)
            + geom_point(marks, aes("x", "y", color="arm"), inherit_aes=False, shape="|",
                         size=2.2, stroke=0.5, show_legend=False)
            + annotate("text", x=spot[0], y=spot[1], label=text, ha=spot[2], va=spot[3],
                       size=TICK_SIZE, lineheight=1.35)
            + scale_color_manual(values=colors, breaks=names, limits=names, labels=keys)
            + scale_fill_manual(values=colors, breaks=names, limits=names, labels=keys)
            + scale_linetype_manual(values={a: s.linetype for a, s in styles.items()},
                                    breaks=names, limits=names, labels=keys)
            + scale_x_continuous(breaks=ticks, labels=[fmt.tick(t) for t in ticks],
                                 limits=(0, xmax), expand=(0, 0, 0.02, 0))
            + scale_y_continuous(breaks=[0, 0.25, 0.5, 0.75, 1.0],
                                 labels=["0", "25", "50", "75", "100"], limits=(0, 1),
                                 expand=(0, 0, 0.02, 0))
            + guides(color=guide_legend(nrow=rows), linetype=guide_legend(nrow=rows))
            + labs(title=labels[0], y=labels[1], x=labels[2]))
    return plot


def legend_labels(names, width: float = SINGLE) -> list[str]:
    r"""The legend's labels as drawn: escaped, wrapped to the figure's width (a key
    beside each), at most 3 lines.

    Examples
    --------
    >>> legend_labels(["Drug $A$", "Placebo"])
    ['Drug \\$A\\$', 'Placebo']
    """
    return [wrap(name, width - LEGEND_KEY - 0.4, TICK_SIZE) for name in names]


#: Characters of legend text (labels plus keys) that fit on one line per inch of width.
LEGEND_CHARS_PER_INCH = 13


def legend_rows(labels, width: float = SINGLE) -> int:
    """Rows of the legend: one when the labels fit on a line, else one label per row.

    Examples
    --------
    >>> legend_rows(["Drug", "Placebo"]), legend_rows(["A very long arm label"] * 3)
    (1, 3)
    """
    labels = list(labels)
    needed = sum(len(str(label)) + 4 for label in labels)
    return 1 if needed <= LEGEND_CHARS_PER_INCH * width else len(labels)


def _right_margin(last: float, counts, width: float) -> float:
    """The figure's right margin (fraction of its width): the theme's, or wide enough for
    half the last tick's label or widest number at risk (``counts``), centred on it."""
    margin = 0.01
    half = max([text_inches(fmt.tick(last), TICK_SIZE)]
               + [text_inches(str(n), TABLE_SIZE) for n in counts]) / 2.0
    room = margin * width + 0.02 * (width - PANEL_SIDES)  # and the x scale's expansion
    return margin + max(0.0, half + 0.02 - room) / width


def risk_axes(figure: Figure) -> Axes:
    """The axes of a :func:`km_figure` that holds the numbers at risk."""
    return next(ax for ax in figure.axes if ax.get_label() == RISK_AXES)


def _risk_table(fig: Figure, arms: list[ArmResult], styles: dict,
                ticks: list[float]) -> Axes:
    panel = fig.axes[0]
    pos = panel.get_position()
    height = fig.get_figheight()
    lines = 1 + 2 * len(arms)
    rax = fig.add_axes((pos.x0, 0.04 / height, pos.width, lines * LINE_HEIGHT / height),
                       label=RISK_AXES)
    rax.set_xlim(panel.get_xlim())
    rax.set_ylim(lines, 0)
    rax.set_axis_off()
    left = blended_transform_factory(fig.transFigure, rax.transData)
    rax.text(0.02, 0.5, "No. at risk", transform=left, ha="left", va="center",
             size=TABLE_SIZE, weight="bold")
    shown = set(ticks)
    room = 0.96 * fig.get_figwidth()
    for k, arm in enumerate(arms):
        style = styles[arm.arm]
        rax.text(0.02, 1.5 + 2 * k, wrap(arm.arm, room, TABLE_SIZE, max_lines=1),
                 transform=left, ha="left", va="center", size=TABLE_SIZE, color=style.color)
        for row in arm.risk_table or ():
            if row.time in shown:
                rax.text(row.time, 2.5 + 2 * k, str(row.n_risk), ha="center", va="center",
                         size=TABLE_SIZE, color=style.color,
                         gid=f"at-risk-{k}-{fmt.tick(row.time)}")
    return rax


def km_figure(endpoint_result: EndpointResult, *, title: str | None, document=None,
              width: float = SINGLE, ylabel: str | None = None, xlabel: str | None = None,
              time_unit: str | None = None) -> Figure:
    """The Kaplan-Meier figure of one endpoint, with its numbers-at-risk table.

    Words are drawn literally (:func:`netter.figures.theme.plain`); long ones are
    wrapped (title, axis titles, legend) or cut short with an ellipsis (an arm's name in
    the numbers at risk, where the legend has it whole, and in the annotation).  An arm
    without a curve (no one analysed) is left out; when every time is 0 the axis spans
    one time unit.

    Parameters
    ----------
    endpoint_result : EndpointResult
        One endpoint of a results document, with ``curve`` and ``risk_table`` per arm.
    title : str or None
        Plot title (``None``: none, as journals print the caption apart).
    document : ResultsDocument, optional
        The document holding the endpoint: arm order and labels, time unit.
    width : float
        Figure width in inches (3.5 single column, 7 double).
    ylabel, xlabel : str, optional
        Axis titles (default y: the endpoint's axis title or name, e.g. "Overall survival
        (%)"; x: the time unit and origin, e.g. "Months since randomisation").
    time_unit : str, optional
        Unit of the times (default: the document's, else months).

    Returns
    -------
    matplotlib.figure.Figure
        Drawn, with a fixed layout; save it with :func:`netter.figures.theme.save_figure`.
    """
    ep = display_endpoint(endpoint_result, document)
    unit = time_unit or getattr(document, "time_unit", None) or "months"
    with_curve = [a for a in ep.arms if a.curve is not None]
    arms = [a for a in with_curve if a.curve.time]
    if not arms:
        raise ValueError(f"{ep.paramcd}: no Kaplan-Meier curve in the results "
                         "(rerun netter analyze)")
    styles = arm_styles([a.arm for a in with_curve])  # colours by the arms' order
    times = [r.time for r in (arms[0].risk_table or ())]
    xmax = max([max(a.curve.time) for a in arms] + times)
    if not xmax > 0:  # every time is 0: the axis spans one unit
        xmax = 1.0
    counts = {r.n_risk for a in arms for r in (a.risk_table or ())}
    ticks = axis_ticks(times or [0.0], width, counts=sorted(counts))
    table_in = (1 + 2 * len(arms)) * LINE_HEIGHT + 0.06
    heading = None
    if title:
        heading = wrap(title, width - PANEL_SIDES - 0.1, BASE_SIZE + 1, max_lines=2,
                       weight="bold")
    height = plot_height(width) + table_in + (0.2 * (heading.count("\n") + 1) if title
                                              else 0.0)
    labels = (heading,
              wrap(ylabel or endpoint_axis(ep), plot_height(width) - 0.9, BASE_SIZE,
                   max_lines=2),
              wrap(xlabel or time_axis(unit, ep.origin), width - PANEL_SIDES, BASE_SIZE,
                   max_lines=2))
    plot = _plot(ep, arms, styles, ticks, xmax, labels, width)
    plot += journal_theme(width, height) + theme(
        legend_position="top", legend_direction="horizontal",
        plot_margin_bottom=table_in / width, legend_box_spacing=0.02,  # fraction of width
        plot_margin_right=_right_margin(ticks[-1], [r.n_risk for a in arms
                                                    for r in (a.risk_table or ())
                                                    if r.time == ticks[-1]], width))
    fig = plot.draw()
    fig.draw_without_rendering()
    fig.set_layout_engine("none")
    _risk_table(fig, arms, styles, ticks)
    return fig
