"""Figures of a crossover document (``netter crossover``, schema ``netter.crossover/1``).

* :func:`crossover_forest_figure` (kind ``crossover``): one row per method, the hazard
  ratio and its CI on a log axis with a solid line at 1 and a dashed one at the ITT
  hazard ratio, the HR (CI) written to the right.  The randomised (ITT) comparison comes
  first (a diamond) and is ruled off; the methods adjusting for switching follow (filled
  squares), then the naive comparators under a heading that marks them biased (open
  grey squares).  A method that is not estimable keeps its row, with "Not estimable" in
  place of its HR and its reason under the panel.  As in the subgroup forest plot
  (:mod:`netter.figures.forest`), labels wrap, an off-scale CI ends in arrows and an
  off-scale estimate is a triangle at the axis edge.
* :func:`crossover_km_figure` (kind ``crossover-km``): the observed Kaplan-Meier curves
  of both arms (pointwise CI bands) and the reference arm's counterfactual curve under
  the RPSFTM estimate (no band), with the numbers at risk of each curve under the axis,
  in the house style of :mod:`netter.figures.km`.  Without a counterfactual curve the
  observed ones are drawn and a note under the figure says why.

Every number comes from the document (the numbers at risk are the curves' own
``n_risk``); words are drawn literally (:func:`netter.figures.theme.plain`).

Examples
--------
>>> from netter.tables.specimen import specimen_crossover
>>> rows = crossover_forest_rows(specimen_crossover())
>>> [(r["label"], r["kind"], r["hr_text"]) for r in rows][:3]  # doctest: +NORMALIZE_WHITESPACE
[('ITT (as randomised)', 'itt', '0.44 (0.08–2.40)'), ('Adjusted for switching', 'heading', ''),
 ('RPSFTM, re-censored', 'adjusted', '0.38 (0.05–2.71)')]
"""

from __future__ import annotations

import math
from bisect import bisect_left
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.transforms import blended_transform_factory
from plotnine import (
    aes,
    annotate,
    arrow,
    element_blank,
    geom_point,
    geom_polygon,
    geom_segment,
    geom_step,
    geom_vline,
    ggplot,
    guide_legend,
    guides,
    labs,
    scale_color_manual,
    scale_fill_manual,
    scale_linetype_manual,
    scale_x_continuous,
    scale_x_log10,
    scale_y_continuous,
    theme,
)

from netter.figures.forest import (
    INDENT,
    LABEL_LINES,
    LABEL_MIN,
    LINE_ROWS,
    PAD,
    PANEL_MIN,
    PANEL_PAD,
    ROW_HEIGHT,
    _frames,
    axis_breaks,
    axis_limits,
)
from netter.figures.km import (
    LEGEND_KEY,
    LINE_HEIGHT,
    PANEL_SIDES,
    RISK_AXES,
    _right_margin,
    annotation_spot,
    axis_ticks,
    censor_marks,
    legend_labels,
    legend_rows,
    plot_height,
    step_band,
    step_curve,
)
from netter.figures.theme import (
    BASE_SIZE,
    CURVE_WIDTH,
    ELLIPSIS,
    GREY,
    SINGLE,
    TABLE_SIZE,
    TICK_SIZE,
    ArmStyle,
    arm_styles,
    journal_theme,
    plain,
    text_inches,
    wrap,
    wrap_lines,
)
from netter.results import CrossoverDocument, CurveResult, QuantileResult
from netter.tables import fmt
from netter.tables.crossover import (
    ADJUSTED_HEADING,
    NAIVE_HEADING,
    compared_arms,
    hr_text,
    method_rows,
)
from netter.tables.labels import arm_display, arm_label, time_axis

#: Text of a row whose hazard ratio is not estimable.
NOT_ESTIMABLE = "Not estimable"
#: Space above the rows (column headers), below them (x axis and its title) and between
#: the groups of rows (in rows), in inches where not said.
TOP_SPACE, BOTTOM_SPACE, GROUP_GAP = 0.35, 0.6, 0.6
#: Height of one line of the notes under a figure (in), most lines of each note.
NOTE_LINE, NOTE_LINES = 0.13, 4
#: Marker size of the methods and of the ITT diamond.
MARKER, ITT_MARKER = 2.4, 3.2
#: Column header of the method labels.
METHOD_HEADER = "Method"


# --- forest -------------------------------------------------------------------------------


def crossover_forest_rows(document: CrossoverDocument) -> list[dict]:
    """Rows top to bottom: ITT, then a heading and the rows of each group of methods.

    Each row: ``label``, ``kind`` (``itt``, ``heading``, ``adjusted``, ``naive``),
    ``hr``, ``lo``, ``hi`` (``None`` when not estimable or a heading), ``hr_text`` and
    ``reason`` (why it is not estimable).
    """
    rows: list[dict] = []
    group = "itt"
    for row in method_rows(document):
        if row.group != group:
            group = row.group
            rows.append({"label": ADJUSTED_HEADING if group == "adjusted" else NAIVE_HEADING,
                         "kind": "heading", "hr": None, "lo": None, "hi": None,
                         "hr_text": "", "reason": None})
        hr = row.hazard_ratio if row.estimable else None
        rows.append({"label": row.label, "kind": row.group, "hr": hr and hr.estimate,
                     "lo": hr and hr.ci[0], "hi": hr and hr.ci[1],
                     "hr_text": hr_text(row) if row.estimable else NOT_ESTIMABLE,
                     "reason": None if row.estimable else row.reason})
    return rows


def _bold(row: dict) -> dict:
    return {"weight": "bold" if row["kind"] in ("itt", "heading") else "normal"}


def _indent(row: dict) -> float:
    return INDENT if row["kind"] in ("adjusted", "naive") else 0.0


@dataclass(frozen=True)
class CrossoverLayout:
    """Where everything of the crossover forest plot goes, measured on its texts.

    ``width``: the figure's (wider than asked only when the HR column and the narrowest
    panel leave less than :data:`~netter.figures.forest.LABEL_MIN` for the labels);
    ``columns``: fractions of it taken by the labels and by the HR (CI) column;
    ``labels``: as drawn (wrapped, at most :data:`~netter.figures.forest.LABEL_LINES`
    lines); ``y``: each row's centre, ``top``: the top of the rows, in rows (the bottom
    row is centred at 1); ``rules``: where the groups are ruled off, in rows;
    ``notes``: the notes under the figure as drawn and ``notes_height`` their height;
    ``height``: the figure's height (in).
    """

    width: float
    columns: tuple[float, float]
    labels: tuple[str, ...]
    y: tuple[float, ...]
    top: float
    rules: tuple[float, ...]
    notes: str
    notes_height: float
    height: float


def crossover_layout(rows: list[dict], width: float = SINGLE, *, hr_header: str,
                     notes: list[str], xlabel_lines: int = 2) -> CrossoverLayout:
    """Column widths, wrapped labels, row positions and the figure's size.

    Examples
    --------
    >>> from netter.tables.specimen import specimen_crossover
    >>> layout = crossover_layout(crossover_forest_rows(specimen_crossover()),
    ...                           hr_header="HR (95% CI)", notes=[])
    >>> layout.width, layout.labels[0], layout.y[:2], layout.rules
    (3.5, 'ITT (as randomised)', (10.85, 9.25), (10.05, 4.45))
    """
    bold = {"weight": "bold"}
    right = max([text_inches(r["hr_text"]) for r in rows]
                + [text_inches(hr_header, **bold)]) + 0.08
    budget = width - right - PANEL_MIN - PANEL_PAD
    if budget < LABEL_MIN:
        width, budget = width + LABEL_MIN - budget, LABEL_MIN
    needed = max([text_inches(plain(r["label"]), **_bold(r)) + _indent(r) for r in rows]
                 + [text_inches(METHOD_HEADER, **bold)]) + PAD
    left = min(needed, budget)
    wrapped = [wrap_lines(r["label"], left - PAD - _indent(r), TABLE_SIZE,
                          max_lines=LABEL_LINES, **_bold(r)) for r in rows]
    heights = [1.0 + (len(lines) - 1) * LINE_ROWS for lines in wrapped]
    y, rules, bottom = [], [], 0.5
    for k in reversed(range(len(rows))):
        y.append(bottom + heights[k] / 2.0)
        bottom += heights[k]
        # a gap (and a rule) above the first heading and above the naive heading
        if k > 0 and rows[k]["kind"] == "heading":
            rules.append(bottom + GROUP_GAP / 2.0)
            bottom += GROUP_GAP
    note_text = "\n".join(wrap(n, width - 0.1, TICK_SIZE, max_lines=NOTE_LINES)
                          for n in notes)
    note_in = (note_text.count("\n") + 1) * NOTE_LINE + 0.08 if notes else 0.0
    height = ((bottom - 0.5) * ROW_HEIGHT + TOP_SPACE + BOTTOM_SPACE
              + 0.14 * (xlabel_lines - 1) + note_in)
    labels = tuple("\n".join(plain(line) for line in lines) for lines in wrapped)
    return CrossoverLayout(width, (left / width, right / width), labels,
                           tuple(round(v, 6) for v in reversed(y)), bottom,
                           tuple(round(v, 6) for v in reversed(rules)), note_text,
                           round(note_in, 4), round(height, 4))


def _forest_plot(rows: list[dict], itt_hr: float | None, limits, layout: CrossoverLayout,
                 xlabel: str, bottom_in: float) -> ggplot:
    frame, shown = _frames(rows, limits, layout.y)
    shown["color"] = np.where(shown["kind"] == "naive", GREY, "black")
    inside = shown[~shown["off"]]
    off = shown[shown["off"]].assign(side=lambda f: np.where(f["hr"] < limits[0], "<", ">"))
    width, (left, right) = layout.width, layout.columns
    breaks = axis_breaks(limits, width * (1 - left - right) - PANEL_PAD)
    plot = (ggplot(shown, aes("x", "y"))
            + geom_vline(xintercept=1.0, color="black", size=0.4))
    if itt_hr is not None and limits[0] <= itt_hr <= limits[1]:
        plot += geom_vline(xintercept=itt_hr, color=GREY, linetype="dashed", size=0.4)
    for color in ("black", GREY):
        part = shown[shown["color"] == color]
        plot += geom_segment(part[~part["cut"]], aes(x="x0", xend="x1", yend="y"),
                             size=0.45, color=color)
        plot += geom_segment(part[part["cut"]], aes(x="x0", xend="x1", yend="y"), size=0.45,
                             color=color,
                             arrow=arrow(length=0.04, type="open", ends="both", angle=25))
    plot += geom_point(inside[inside["kind"] == "itt"], shape="D", size=ITT_MARKER,
                       fill="black", color="black")
    plot += geom_point(inside[inside["kind"] == "adjusted"], shape="s", size=MARKER,
                       fill="black", color="black")
    plot += geom_point(inside[inside["kind"] == "naive"], shape="s", size=MARKER,
                       fill="white", color=GREY, stroke=0.7)
    for side in ("<", ">"):
        plot += geom_point(off[off["side"] == side], shape=side, size=ITT_MARKER * 0.7,
                           fill="white", color="black", stroke=0.6)
    return (plot
            + scale_x_log10(limits=limits, breaks=breaks, labels=[fmt.tick(b) for b in breaks],
                            expand=(0, 0))
            + scale_y_continuous(limits=(0.4, layout.top + 0.1), expand=(0, 0))
            + labs(x=xlabel, y=None)
            + journal_theme(width, layout.height)
            + theme(axis_line_y=element_blank(), axis_ticks_major_y=element_blank(),
                    axis_text_y=element_blank(), axis_title_y=element_blank(),
                    plot_margin_left=left, plot_margin_right=right,
                    plot_margin_top=TOP_SPACE / width, plot_margin_bottom=bottom_in / width))


def _forest_columns(fig: Figure, rows: list[dict], hr_header: str,
                    layout: CrossoverLayout) -> list[Axes]:
    panel = fig.axes[0]
    pos = panel.get_position()
    ylim = panel.get_ylim()
    head = ylim[1] + 0.2 * (ylim[1] - ylim[0]) / (pos.height * fig.get_figheight())
    labels = fig.add_axes((0.01, pos.y0, layout.columns[0] - 0.01, pos.height),
                          label="crossover methods")
    values = fig.add_axes((pos.x1 + 0.01, pos.y0, 0.995 - pos.x1 - 0.01, pos.height),
                          label="crossover hazard ratio")
    for ax in (labels, values):
        ax.set_ylim(ylim)
        ax.set_xlim(0, 1)
        ax.set_axis_off()
    bold = {"weight": "bold", "size": TABLE_SIZE}
    labels.text(0, head, METHOD_HEADER, ha="left", va="center", clip_on=False, **bold)
    values.text(0, head, plain(hr_header), ha="left", va="center", clip_on=False, **bold)
    indent = INDENT / (layout.columns[0] * fig.get_figwidth())
    for y, label, row in zip(layout.y, layout.labels, rows, strict=True):
        labels.text(indent if _indent(row) else 0, y, label, ha="left", va="center",
                    size=TABLE_SIZE, color=GREY if row["kind"] == "naive" else "black",
                    **_bold(row), **({"linespacing": 1.05} if "\n" in label else {}))
        missing = row["hr_text"] == NOT_ESTIMABLE
        values.text(0, y, row["hr_text"], ha="left", va="center", size=TABLE_SIZE,
                    color=GREY if missing or row["kind"] == "naive" else "black",
                    style="italic" if missing else "normal")
    across = blended_transform_factory(fig.transFigure, panel.transData)
    for y in layout.rules:
        fig.add_artist(Line2D([0.01, 0.99], [y, y], transform=across, color=GREY,
                              linewidth=0.4, gid="crossover-rule"))
    return [labels, values]


def _reason_notes(rows: list[dict]) -> list[str]:
    return [f"{r['label']}: not estimable: {r['reason']}." for r in rows if r["reason"]]


def crossover_forest_figure(document: CrossoverDocument, *, width: float = SINGLE) -> Figure:
    """The forest plot of the methods of a crossover document.

    Parameters
    ----------
    document : CrossoverDocument
    width : float
        Figure width in inches (wider only when the columns leave no room for the panel).

    Returns
    -------
    matplotlib.figure.Figure
        Drawn, with a fixed layout.

    Examples
    --------
    >>> from netter.tables.specimen import specimen_crossover
    >>> fig = crossover_forest_figure(specimen_crossover())
    >>> [ax.get_label() for ax in fig.axes][1:]
    ['crossover methods', 'crossover hazard ratio']
    >>> [t.get_text() for t in fig.axes[2].texts][6]
    'Not estimable'
    """
    rows = crossover_forest_rows(document)
    limits = axis_limits(rows)
    hr_header = f"HR ({fmt.level(document.settings.conf_level)} CI)"
    favours = f"< 1 favours {arm_label(document, document.experimental)}"
    notes = _reason_notes(rows)
    layout = crossover_layout(rows, width, hr_header=hr_header, notes=notes)
    # the x title is centred on the panel: its lines fit on the panel's narrower side
    middle = (layout.columns[0] + 1.0 - layout.columns[1]) / 2.0
    room = 2.0 * min(middle, 1.0 - middle) * layout.width - 0.1
    lines = wrap_lines(favours, room, BASE_SIZE, max_lines=3)
    layout = crossover_layout(rows, width, hr_header=hr_header, notes=notes,
                              xlabel_lines=1 + len(lines))
    xlabel = "\n".join(["Hazard ratio (log scale)", *(plain(line) for line in lines)])
    itt = document.itt.hazard_ratio.estimate
    fig = _forest_plot(rows, itt, limits, layout, xlabel, layout.notes_height).draw()
    fig.draw_without_rendering()
    fig.set_layout_engine("none")
    _forest_columns(fig, rows, hr_header, layout)
    if layout.notes:
        fig.text(0.02, 0.04 / layout.height, layout.notes, ha="left", va="bottom",
                 size=TICK_SIZE, color=GREY, linespacing=1.2, gid="crossover-notes")
    return fig


# --- Kaplan-Meier ---------------------------------------------------------------------------


#: Keys of the curves in the document, in the order drawn.
CURVES = ("experimental", "reference", "reference_rpsftm")
#: Candidate steps of the time axis by unit (round numbers of the unit), at most
#: :data:`MAX_STEPS` steps.
AXIS_STEPS = {
    "days": (1, 2, 5, 7, 14, 28, 30, 60, 90, 180, 365, 730, 1826),
    "weeks": (1, 2, 4, 8, 12, 26, 52, 104, 260),
    "months": (1, 2, 3, 4, 6, 12, 24, 36, 60, 120),
    "years": (0.25, 0.5, 1, 2, 5, 10, 20),
}
MAX_STEPS = 10
#: Linetypes the counterfactual curve may take, the first one the arms leave free.
COUNTERFACTUAL_LINETYPES = ("dashed", "dashdot", "dotted")
#: What follows the reference arm's label in the name of its counterfactual curve.
COUNTERFACTUAL_SUFFIX = ", counterfactual (RPSFTM)"
_NO_MEDIAN = QuantileResult(0.5, None, (None, None), "not drawn")


@dataclass(frozen=True)
class ShownCurve:
    """A curve of the Kaplan-Meier figure: ``arm`` its key (the legend shows ``label``,
    which ends in ``suffix``, a part never cut short), with its style and whether its
    pointwise CI band is drawn."""

    arm: str
    label: str
    curve: CurveResult
    style: ArmStyle
    band: bool
    median: QuantileResult = _NO_MEDIAN
    suffix: str = ""


def axis_times(last: float, unit: str = "months") -> list[float]:
    """Times of the x ticks and the numbers at risk: multiples of the smallest round step
    of ``unit`` giving at most :data:`MAX_STEPS` steps up to ``last``.

    Examples
    --------
    >>> axis_times(40.0), axis_times(100.0)[:3]
    ([0.0, 4.0, 8.0, 12.0, 16.0, 20.0, 24.0, 28.0, 32.0, 36.0, 40.0], [0.0, 12.0, 24.0])
    >>> axis_times(3.1, "years"), axis_times(0.0)
    ([0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0], [0.0, 1.0])
    """
    steps = AXIS_STEPS.get(unit, AXIS_STEPS["months"])
    last = float(last) if math.isfinite(last) and last > 0 else 0.0
    step = next((float(s) for s in steps if last / s <= MAX_STEPS + 1e-9),
                float(math.ceil(last / MAX_STEPS / steps[-1]) * steps[-1]))
    count = max(1, int(math.floor(last / step + 1e-9)))
    return [round(k * step, 9) for k in range(count + 1)]


def number_at_risk(curve: CurveResult, time: float) -> int:
    """Subjects with a time at or after ``time``: the curve's ``n_risk`` at its first
    row at or after ``time`` (0 after its last row).

    Examples
    --------
    >>> from netter.tables.specimen import specimen_crossover
    >>> curve = specimen_crossover().curves["reference"]
    >>> [number_at_risk(curve, t) for t in (0.0, 2.0, 2.5, 14.0, 15.0)]
    [10, 10, 8, 2, 0]
    """
    i = bisect_left(curve.time, time)
    return curve.n_risk[i] if i < len(curve.time) else 0


def _rpsftm_source(document: CrossoverDocument):
    """The RPSFTM result the counterfactual curve comes from (the re-censored one when
    both were run), or ``None`` when RPSFTM was not run."""
    methods = document.methods
    return methods.rpsftm if methods.rpsftm is not None else methods.rpsftm_no_recensor


def counterfactual_note(document: CrossoverDocument) -> str:
    """What the counterfactual curve is, or why there is none.

    Examples
    --------
    >>> from dataclasses import replace
    >>> from netter.tables.specimen import specimen_crossover
    >>> doc = specimen_crossover()
    >>> print(counterfactual_note(doc)[:80])
    Counterfactual (RPSFTM): survival of the Control arm had no patient switched, at
    >>> counterfactual_note(replace(doc, curves={}))
    'No counterfactual curve (RPSFTM): the results hold none.'
    """
    ref = arm_label(document, document.reference)
    source = _rpsftm_source(document)
    curve = (document.curves or {}).get("reference_rpsftm")
    if curve is not None and source is not None:
        psi = source.psi.estimate if source.psi is not None else None
        how = "re-censored" if source.recensor else "not re-censored"
        return (f"Counterfactual (RPSFTM): survival of the {ref} arm had no patient "
                f"switched, at psi {fmt.number(psi, 2)} ({how}); its pointwise CIs, "
                "which ignore the uncertainty of psi, are not drawn. Shaded: pointwise "
                f"{fmt.level(document.settings.conf_level)} CIs of the observed curves.")
    if source is None:
        why = "RPSFTM was not run"
    elif source.hazard_ratio is None or source.not_estimable_reason:
        why = f"{source.label} is not estimable: {source.not_estimable_reason or 'no HR'}"
    else:
        why = "the results hold none"
    return f"No counterfactual curve (RPSFTM): {why}."


def km_annotation(document: CrossoverDocument, *, compact: bool = False) -> str:
    """The ITT hazard ratio and log-rank p, and the RPSFTM hazard ratio when there is one
    (``compact``: the CIs without their level, for a narrow panel).

    Examples
    --------
    >>> from netter.tables.specimen import specimen_crossover
    >>> print(km_annotation(specimen_crossover()))
    ITT HR 0.44 (95% CI 0.08–2.40)
    Log-rank p=0.330
    RPSFTM HR 0.38 (95% CI 0.05–2.71)
    >>> km_annotation(specimen_crossover(), compact=True).splitlines()[0]
    'ITT HR 0.44 (0.08–2.40)'
    """
    level = "" if compact else f"{fmt.level(document.settings.conf_level)} CI "

    def hr(h) -> str:
        if h is None or h.estimate is None:
            return fmt.NE
        if h.ci[0] is None and h.ci[1] is None:
            return fmt.ratio(h.estimate)
        ci = fmt.interval(h.ci, fmt.DIGITS["ratio"], upper=fmt.INFINITY)
        return f"{fmt.ratio(h.estimate)} ({level}{ci})"

    lines = [f"ITT HR {hr(document.itt.hazard_ratio)}",
             f"Log-rank {fmt.p_equation(document.itt.p_value_logrank)}"]
    source = _rpsftm_source(document)
    if (document.curves or {}).get("reference_rpsftm") is not None and source is not None:
        lines.append(f"RPSFTM HR {hr(source.hazard_ratio)}")
    return "\n".join(lines)


def shown_curves(document: CrossoverDocument) -> list[ShownCurve]:
    """The curves drawn: experimental and reference arm (study order, their styles by
    their place in the study) and the reference arm's counterfactual in the reference
    colour with the first linetype of :data:`COUNTERFACTUAL_LINETYPES` the arms leave
    free.  A curve without rows is left out.

    Examples
    --------
    >>> from netter.tables.specimen import specimen_crossover
    >>> [(c.label, c.style.linetype, c.band) for c in shown_curves(specimen_crossover())]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('Drug A', 'solid', True), ('Control', 'dashed', True),
     ('Control, counterfactual (RPSFTM)', 'dashdot', False)]
    """
    curves = document.curves or {}
    order, _ = arm_display(document)
    arms = compared_arms(document)
    styles = arm_styles(order if set(arms) <= set(order) else arms)
    key = {document.experimental: "experimental", document.reference: "reference"}
    out = [ShownCurve(key[a], arm_label(document, a), curves[key[a]], styles[a], True)
           for a in arms if key[a] in curves and curves[key[a]].time]
    counterfactual = curves.get("reference_rpsftm")
    if counterfactual is not None and counterfactual.time:
        ref = styles[document.reference]
        used = {ref.linetype, styles[document.experimental].linetype}
        linetype = next((t for t in COUNTERFACTUAL_LINETYPES if t not in used), "dotted")
        out.append(ShownCurve("reference_rpsftm",
                              arm_label(document, document.reference) + COUNTERFACTUAL_SUFFIX,
                              counterfactual, ArmStyle(ref.color, linetype, ref.shape), False,
                              suffix=COUNTERFACTUAL_SUFFIX))
    return out


def curve_keys(shown: list[ShownCurve], width: float = SINGLE) -> list[str]:
    """The legend's labels as drawn (:func:`netter.figures.km.legend_labels`), except
    that a label cut short keeps its ``suffix``: its arm's label is cut instead, so the
    counterfactual never reads as its arm.

    Examples
    --------
    >>> from dataclasses import replace
    >>> from netter.results import ArmLabel
    >>> from netter.tables.specimen import specimen_crossover
    >>> doc = replace(specimen_crossover(), arm_labels=(
    ...     ArmLabel("Drug A", "A"), ArmLabel("Control", "Comparator " * 12)))
    >>> curve_keys(shown_curves(doc))[2].splitlines()[-1]
    'counterfactual (RPSFTM)'
    """
    keys = legend_labels([c.label for c in shown], width)
    inches = width - LEGEND_KEY - 0.4
    for i, c in enumerate(shown):
        if c.suffix and (keys[i].endswith(ELLIPSIS) or keys.count(keys[i]) > 1):
            keys[i] = "\n".join([wrap(c.label.removesuffix(c.suffix), inches, TICK_SIZE,
                                      max_lines=2),
                                 wrap(c.suffix.lstrip(", "), inches, TICK_SIZE, max_lines=1)])
    return keys


def _risk_name(curve: ShownCurve, room: float) -> str:
    """A curve's name in the numbers at risk, on one line; a suffix is never cut."""
    name = wrap(curve.label, room, TABLE_SIZE, max_lines=1)
    if not curve.suffix or not name.endswith(ELLIPSIS):
        return name
    tail = plain(curve.suffix)
    head = wrap(curve.label.removesuffix(curve.suffix),
                max(room - text_inches(tail, TABLE_SIZE), 0.3), TABLE_SIZE, max_lines=1)
    return head + tail


def _km_plot(shown: list[ShownCurve], ticks: list[float], xmax: float, text: str,
             labels: tuple[str, str], width: float) -> ggplot:
    steps = pd.concat([step_curve(c) for c in shown], ignore_index=True)
    bands = [step_band(c) for c in shown if c.band]
    band = (pd.concat(bands, ignore_index=True) if bands
            else pd.DataFrame({"x": [], "y": [], "arm": [], "group": []}))
    marks = pd.concat([censor_marks(c) for c in shown], ignore_index=True)
    names = [c.arm for c in shown]
    colors = {c.arm: c.style.color for c in shown}
    keys = curve_keys(shown, width)
    rows = len(names) if any("\n" in k for k in keys) else legend_rows(
        [c.label for c in shown], width)
    spot = annotation_spot(shown, text, xmax, width)
    return (ggplot(steps, aes("x", "y", color="arm", linetype="arm"))
            + geom_polygon(band, aes("x", "y", group="group", fill="arm"), inherit_aes=False,
                           alpha=0.14, color=None, show_legend=False)
            + geom_step(direction="hv", size=CURVE_WIDTH / 2.0 * 1.4)
            + geom_point(marks, aes("x", "y", color="arm"), inherit_aes=False, shape="|",
                         size=2.2, stroke=0.5, show_legend=False)
            + annotate("text", x=spot[0], y=spot[1], label=text, ha=spot[2], va=spot[3],
                       size=TICK_SIZE, lineheight=1.35)
            + scale_color_manual(values=colors, breaks=names, limits=names, labels=keys)
            + scale_fill_manual(values=colors, breaks=names, limits=names, labels=keys)
            + scale_linetype_manual(values={c.arm: c.style.linetype for c in shown},
                                    breaks=names, limits=names, labels=keys)
            + scale_x_continuous(breaks=ticks, labels=[fmt.tick(t) for t in ticks],
                                 limits=(0, xmax), expand=(0, 0, 0.02, 0))
            + scale_y_continuous(breaks=[0, 0.25, 0.5, 0.75, 1.0],
                                 labels=["0", "25", "50", "75", "100"], limits=(0, 1),
                                 expand=(0, 0, 0.02, 0))
            + guides(color=guide_legend(nrow=rows), linetype=guide_legend(nrow=rows))
            + labs(y=labels[0], x=labels[1]))


def _km_risk_table(fig: Figure, shown: list[ShownCurve], ticks: list[float],
                   bottom_in: float) -> Axes:
    panel = fig.axes[0]
    pos = panel.get_position()
    height = fig.get_figheight()
    lines = 1 + 2 * len(shown)
    rax = fig.add_axes((pos.x0, (bottom_in + 0.04) / height, pos.width,
                        lines * LINE_HEIGHT / height), label=RISK_AXES)
    rax.set_xlim(panel.get_xlim())
    rax.set_ylim(lines, 0)
    rax.set_axis_off()
    left = blended_transform_factory(fig.transFigure, rax.transData)
    rax.text(0.02, 0.5, "No. at risk", transform=left, ha="left", va="center",
             size=TABLE_SIZE, weight="bold")
    room = 0.96 * fig.get_figwidth()
    for k, c in enumerate(shown):
        rax.text(0.02, 1.5 + 2 * k, _risk_name(c, room),
                 transform=left, ha="left", va="center", size=TABLE_SIZE, color=c.style.color)
        for t in ticks:
            rax.text(t, 2.5 + 2 * k, str(number_at_risk(c.curve, t)), ha="center",
                     va="center", size=TABLE_SIZE, color=c.style.color,
                     gid=f"at-risk-{k}-{fmt.tick(t)}")
    return rax


def has_observed_curves(document: CrossoverDocument) -> bool:
    """Whether the document holds a Kaplan-Meier curve of either arm (with rows).

    Examples
    --------
    >>> from dataclasses import replace
    >>> from netter.tables.specimen import specimen_crossover
    >>> has_observed_curves(specimen_crossover()), has_observed_curves(
    ...     replace(specimen_crossover(), curves=None))
    (True, False)
    """
    curves = document.curves or {}
    return any(curves.get(k) is not None and curves[k].time
               for k in ("experimental", "reference"))


def crossover_km_figure(document: CrossoverDocument, *, width: float = SINGLE) -> Figure:
    """Kaplan-Meier curves of both arms and the reference arm's RPSFTM counterfactual.

    Parameters
    ----------
    document : CrossoverDocument
        With ``curves`` (``"experimental"``, ``"reference"``, and
        ``"reference_rpsftm"`` when RPSFTM gave one).
    width : float
        Figure width in inches.

    Returns
    -------
    matplotlib.figure.Figure
        Drawn, with a fixed layout; the numbers at risk in the axes labelled
        :data:`netter.figures.km.RISK_AXES`, the note in the text with gid
        ``crossover-km-note``.

    Raises
    ------
    ValueError
        The document holds no curve of either arm.

    Examples
    --------
    >>> from netter.tables.specimen import specimen_crossover
    >>> fig = crossover_km_figure(specimen_crossover())
    >>> note = next(t.get_text() for t in fig.texts if t.get_gid() == "crossover-km-note")
    >>> note.startswith("Counterfactual (RPSFTM): survival of the Control arm")
    True
    """
    shown = shown_curves(document)
    if not has_observed_curves(document):
        raise ValueError(f"{document.param}: no Kaplan-Meier curve in the crossover results "
                         "(rerun netter crossover)")
    unit = document.settings.time_unit
    xmax = max(c.curve.time[-1] for c in shown)
    times = axis_times(xmax, unit)
    xmax = max(xmax, times[-1]) if xmax > 0 else 1.0
    counts = sorted({number_at_risk(c.curve, t) for c in shown for t in times})
    ticks = axis_ticks(times, width, counts=counts)
    note = wrap(counterfactual_note(document), width - 0.15, TICK_SIZE, max_lines=NOTE_LINES * 2)
    note_in = (note.count("\n") + 1) * NOTE_LINE + 0.06
    table_in = (1 + 2 * len(shown)) * LINE_HEIGHT + 0.06
    height = plot_height(width) + table_in + note_in
    endpoint = (f"{document.param_label} (%)" if document.param_label
                else f"{document.param}: event-free (%)")
    labels = (wrap(endpoint, plot_height(width) - 0.9, BASE_SIZE, max_lines=2),
              wrap(time_axis(unit, None), width - PANEL_SIDES, BASE_SIZE, max_lines=2))
    lines = km_annotation(document).split("\n")
    if max(text_inches(plain(line), TICK_SIZE) for line in lines) > 0.9 * (width - PANEL_SIDES):
        lines = km_annotation(document, compact=True).split("\n")
    text = "\n".join(plain(line) for line in lines)
    plot = _km_plot(shown, ticks, xmax, text, labels, width)
    plot += journal_theme(width, height) + theme(
        legend_position="top", legend_direction="horizontal",
        plot_margin_bottom=(table_in + note_in) / width, legend_box_spacing=0.02,
        plot_margin_right=_right_margin(ticks[-1], [number_at_risk(c.curve, ticks[-1])
                                                    for c in shown], width))
    fig = plot.draw()
    fig.draw_without_rendering()
    fig.set_layout_engine("none")
    _km_risk_table(fig, shown, ticks, note_in)
    fig.text(0.02, 0.04 / height, note, ha="left", va="bottom", size=TICK_SIZE, color=GREY,
             linespacing=1.2, gid="crossover-km-note")
    return fig
