"""Tumour response figure: ORR and DCR per arm with exact CIs, and the BOR breakdown.

Built from the ``"response"`` block of a results JSON (its dict form, as
:mod:`netter.tables.response`): the upper panel shows the objective response and
disease control rates of each arm as points with their confidence intervals
(colour and shape by arm, value labels written by :mod:`netter.tables.fmt`); the
lower panel one 100% stacked bar per arm of the best overall response (CR, PR, SD,
PD, NE), dark to light in that order with black outlines, so it reads in
grayscale.  The bars' length is the percentage of the arm's patients (N under each
arm's name); the numbers are patients, as the axis title says: inside a segment wide
enough to hold them, else just above the bar (pushed apart so they never touch).
A rate that is not estimable (an arm without patients) is written "NE" at 0.

Examples
--------
>>> from netter.tables.specimen import specimen_response
>>> rates = rate_frame(specimen_response())
>>> rates[["measure", "arm", "label"]].values.tolist()[1]
['Objective response', 'Control', '0.0%']
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from plotnine import (
    aes,
    coord_flip,
    element_blank,
    element_text,
    geom_col,
    geom_errorbar,
    geom_point,
    geom_text,
    ggplot,
    guide_legend,
    guides,
    labs,
    position_fill,
    scale_color_manual,
    scale_fill_manual,
    scale_shape_manual,
    scale_x_continuous,
    scale_x_discrete,
    scale_y_continuous,
    theme,
)

from netter.figures.theme import (
    SINGLE,
    TABLE_SIZE,
    TICK_SIZE,
    arm_styles,
    journal_theme,
    text_inches,
    wrap,
)
from netter.tables import fmt

#: Fill of each best-overall-response category: dark (CR) to light (NE).
BOR_FILLS = {"CR": "#0B3C5D", "PR": "#3A7CA5", "SD": "#A9CCE3", "PD": "#E67E22",
             "NE": "#FFFFFF"}
#: Text colour on each fill.
BOR_TEXT = {"CR": "white", "PR": "white", "SD": "black", "PD": "black", "NE": "black"}
#: Measures of the upper panel and their axis labels.
MEASURES = {"Objective response": "Objective response\n(CR + PR)",
            "Disease control": "Disease control\n(CR + PR + SD)"}
#: Smallest share of an arm a BOR segment needs to carry its count inside.
MIN_LABELLED = 0.07
#: Title of the BOR axis: what the bars' length and the numbers are.
BOR_AXIS = "Best overall response, % of patients\n(numbers: patients)"
#: Width beside the BOR panel (arm names, margins) and the least gap between two
#: numbers written above a bar, inches.
BOR_SIDES, LABEL_GAP = 1.2, 0.05
#: Width of an arm's name on the BOR axis and its most lines; width beside a legend
#: label (key, centring over the panel), inches.
ARM_NAME, ARM_LINES, LEGEND_SIDES = 0.85, 2, 1.6


def _arms(response: dict) -> list[dict]:
    """Arms in display order (:func:`netter.figures.display.display_response` orders them)."""
    return list(response["arms"])


def rate_frame(response: dict) -> pd.DataFrame:
    """ORR and DCR per arm in percent, with CI limits and the value label."""
    rows = []
    for measure, key in (("Objective response", None), ("Disease control", "dcr")):
        for arm in _arms(response):
            block = arm if key is None else arm[key]
            lo, hi = block["ci"]
            rows.append({"measure": measure, "arm": arm["arm"],
                         "rate": None if block["rate"] is None else 100 * block["rate"],
                         "lo": None if lo is None else 100 * lo,
                         "hi": None if hi is None else 100 * hi,
                         "label": fmt.percent(block["rate"])})
    return pd.DataFrame(rows)


def bor_frame(response: dict, width: float = SINGLE) -> pd.DataFrame:
    """One row per arm and BOR category: count, share of the arm, label, label position.

    ``label`` is the count written inside the segment (segments of at least
    :data:`MIN_LABELLED` of the arm), ``above`` the count of a smaller, non-empty one,
    written above the bar at ``above_at`` (its middle, pushed right, or left at the end
    of the bar, until the numbers are at least their width apart at ``width`` inches,
    and inside the bar's extent).

    Examples
    --------
    >>> from netter.tables.specimen import specimen_response
    >>> block = specimen_response()
    >>> block["arms"][0]["bor_counts"] = {"CR": 1, "PR": 1, "SD": 100, "PD": 14}
    >>> block["arms"][0]["n"] = 116
    >>> frame = bor_frame(block)
    >>> frame.loc[frame.arm == "Drug A", ["bor", "label", "above"]].values.tolist()[:3]
    [['CR', '', '1'], ['PR', '', '1'], ['SD', '100', '']]
    """
    rows = []
    panel = max(width - BOR_SIDES, 0.5)
    for arm in _arms(response):
        n = arm["n"]
        start = 0.0
        arm_rows = []
        for code in BOR_FILLS:
            count = int(arm["bor_counts"].get(code, 0))
            share = count / n if n else 0.0
            small = 0 < share < MIN_LABELLED
            arm_rows.append({"arm": arm["arm"], "bor": code, "count": count, "share": share,
                             "label": str(count) if share >= MIN_LABELLED else "",
                             "above": str(count) if small else "",
                             "middle": start + share / 2.0, "above_at": start + share / 2.0})
            start += share
        outside = [r for r in arm_rows if r["above"]]
        for k, r in enumerate(outside):  # left to right, then back from the bar's end
            start = text_inches(r["above"]) / 2.0 / panel
            if k:
                start = outside[k - 1]["above_at"] + _label_gap(outside[k - 1], r, panel)
            r["above_at"] = max(r["above_at"], start)
        for k in range(len(outside) - 1, -1, -1):
            r = outside[k]
            end = 1.0 - text_inches(r["above"]) / 2.0 / panel
            if k + 1 < len(outside):
                end = min(end, outside[k + 1]["above_at"] - _label_gap(r, outside[k + 1],
                                                                       panel))
            r["above_at"] = min(r["above_at"], end)
        rows += arm_rows
    frame = pd.DataFrame(rows)
    frame["bor"] = pd.Categorical(frame["bor"], categories=list(BOR_FILLS))
    return frame


def _label_gap(left: dict, right: dict, panel: float) -> float:
    """Least distance between the centres of two numbers, in shares of the bar."""
    return (text_inches(left["above"]) + text_inches(right["above"])) / 2.0 / panel + (
        LABEL_GAP / panel)


def arm_axis_label(arm: dict) -> str:
    """An arm's name on the BOR axis, wrapped (at most :data:`ARM_LINES` lines), with its N.

    Examples
    --------
    >>> print(arm_axis_label({"arm": "Comparator LAR 60 mg", "n": 113}))
    Comparator LAR
    60 mg
    (N=113)
    """
    return f"{wrap(arm['arm'], ARM_NAME, TICK_SIZE, max_lines=ARM_LINES)}\n(N={arm['n']})"


def _rates_plot(response: dict, styles: dict, width: float) -> ggplot:
    frame = rate_frame(response)
    names = list(styles)
    offsets = {a: (k - (len(names) - 1) / 2) * 0.32 for k, a in enumerate(names)}
    frame["x"] = [list(MEASURES).index(m) + 1 + offsets[a]
                  for m, a in zip(frame["measure"], frame["arm"], strict=True)]
    frame["arm"] = pd.Categorical(frame["arm"], categories=names)
    frame["at"] = frame["rate"].fillna(0.0)  # "NE" is written at 0
    estimated = frame[frame["rate"].notna()]
    with_ci = estimated[estimated["lo"].notna() & estimated["hi"].notna()]
    level = fmt.level(response.get("conf_level", 0.95))
    keys = [wrap(a, width - LEGEND_SIDES, TICK_SIZE) for a in names]
    return (ggplot(frame, aes("x", "rate", color="arm", shape="arm"))
            + geom_errorbar(with_ci, aes(ymin="lo", ymax="hi"), width=0.1, size=0.5)
            + geom_point(estimated, size=2.2, fill="white", stroke=0.8)
            + geom_text(aes(x="x + 0.06", y="at", label="label"), ha="left", size=TABLE_SIZE,
                        show_legend=False)
            + scale_color_manual(values={a: s.color for a, s in styles.items()},
                                 breaks=names, limits=names, labels=keys)
            + scale_shape_manual(values={a: s.shape for a, s in styles.items()},
                                 breaks=names, limits=names, labels=keys)
            + scale_x_continuous(breaks=[1, 2], labels=list(MEASURES.values()),
                                 limits=(0.5, 2.6), expand=(0, 0))
            + scale_y_continuous(limits=(0, 100), breaks=[0, 25, 50, 75, 100],
                                 expand=(0, 4, 0, 3))
            + guides(color=guide_legend(ncol=1), shape=guide_legend(ncol=1))
            + labs(x=None, y=f"Patients, % ({level} CI)")
            + journal_theme(width, 2.4)
            + theme(legend_position="top", axis_title_x=element_blank(),
                    axis_text_x=element_text(size=TABLE_SIZE + 0.5)))


def _bor_plot(response: dict, styles: dict, width: float) -> ggplot:
    frame = bor_frame(response, width)
    arms = _arms(response)
    names = [a["arm"] for a in arms]
    frame["arm"] = pd.Categorical(frame["arm"], categories=list(reversed(names)))
    above = frame[frame["above"] != ""].assign(
        pos=lambda f: f["arm"].cat.codes.astype(float) + 1.0 + 0.33)
    labels = {a["arm"]: arm_axis_label(a) for a in arms}
    bars = frame[frame["arm"].isin([a["arm"] for a in arms if a["n"]])]  # none for N=0
    return (ggplot(frame, aes("arm", "share", fill="bor"))
            + geom_col(bars, position=position_fill(reverse=True), color="black", size=0.25,
                       width=0.6)
            + geom_text(aes(y="middle", label="label", color="bor"), size=TABLE_SIZE,
                        show_legend=False)
            + geom_text(above, aes(x="pos", y="above_at", label="above"), inherit_aes=False,
                        size=TABLE_SIZE, va="bottom", color="black")
            + scale_fill_manual(values=BOR_FILLS, breaks=list(BOR_FILLS))
            + scale_color_manual(values=BOR_TEXT, guide=None)
            + scale_x_discrete(limits=list(reversed(names)),
                               labels=[labels[a] for a in reversed(names)])
            + scale_y_continuous(breaks=[0, 0.25, 0.5, 0.75, 1.0],
                                 labels=["0", "25", "50", "75", "100"], expand=(0, 0))
            + coord_flip()
            + guides(fill=guide_legend(nrow=1))
            + labs(x=None, y=BOR_AXIS)
            + journal_theme(width, 1.6)
            + theme(legend_position="bottom", axis_title_y=element_blank(),
                    legend_key_width=9, legend_key_height=9,
                    axis_text_y=element_text(size=TABLE_SIZE + 0.5)))


def response_figure(response: dict, *, title: str | None = None,
                    width: float = SINGLE) -> Figure:
    """ORR and DCR with CIs per arm above, the BOR breakdown per arm below.

    Parameters
    ----------
    response : dict
        The ``"response"`` block of a results JSON, arms in display order (see
        :func:`netter.figures.display.display_response`).
    title : str, optional
    width : float
        Figure width in inches.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from netter.tables.specimen import specimen_response
    >>> fig = response_figure(specimen_response())
    >>> len(fig.axes)
    2
    """
    styles = arm_styles([a["arm"] for a in _arms(response)])
    top = _rates_plot(response, styles, width)
    if title:
        top += labs(title=wrap(title, width - 0.2, TABLE_SIZE + 2.5, max_lines=2,
                               weight="bold"))
        top += theme(plot_title_position="plot")
    composed = top / _bor_plot(response, styles, width)
    arms = _arms(response)
    lines = max(len(wrap(a["arm"], ARM_NAME, TICK_SIZE, max_lines=ARM_LINES).split("\n"))
                for a in arms) + 1
    keys = sum(len(wrap(a["arm"], width - LEGEND_SIDES, TICK_SIZE).split("\n")) - 1
               for a in arms)
    height = 4.0 + 0.4 * max(0, len(arms) - 2) + 0.1 * len(arms) * max(0, lines - 2) + (
        0.15 * keys)
    composed += theme(figure_size=(width, round(height, 4)))
    return composed.draw()
