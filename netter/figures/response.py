"""Tumour response figure: ORR and DCR per arm with exact CIs, and the BOR breakdown.

Built from the ``"response"`` block of a results JSON (its dict form, as
:mod:`netter.tables.response`): the upper panel shows the objective response and
disease control rates of each arm as points with their confidence intervals
(colour and shape by arm, value labels written by :mod:`netter.tables.fmt`); the
lower panel one 100% stacked bar per arm of the best overall response (CR, PR, SD,
PD, NE), dark to light in that order with black outlines, so it reads in
grayscale, and the counts inside the segments wide enough to hold them.

Examples
--------
>>> from netter.tables.specimen import specimen_response
>>> rates = rate_frame(specimen_response())
>>> rates[["measure", "arm", "label"]].values.tolist()[1]
['Objective response', 'Control', '0.0%']
"""

from __future__ import annotations

import textwrap

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
    scale_y_continuous,
    theme,
)

from netter.figures.theme import SINGLE, TABLE_SIZE, arm_styles, journal_theme
from netter.tables import fmt

#: Fill of each best-overall-response category: dark (CR) to light (NE).
BOR_FILLS = {"CR": "#0B3C5D", "PR": "#3A7CA5", "SD": "#A9CCE3", "PD": "#E67E22",
             "NE": "#FFFFFF"}
#: Text colour on each fill.
BOR_TEXT = {"CR": "white", "PR": "white", "SD": "black", "PD": "black", "NE": "black"}
#: Measures of the upper panel and their axis labels.
MEASURES = {"Objective response": "Objective response\n(CR + PR)",
            "Disease control": "Disease control\n(CR + PR + SD)"}
#: Smallest share of an arm a BOR segment needs to carry its count.
MIN_LABELLED = 0.07


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


def bor_frame(response: dict) -> pd.DataFrame:
    """One row per arm and BOR category: count, share of the arm, label, label position."""
    rows = []
    for arm in _arms(response):
        n = arm["n"]
        start = 0.0
        for code in BOR_FILLS:
            count = int(arm["bor_counts"].get(code, 0))
            share = count / n if n else 0.0
            rows.append({"arm": arm["arm"], "bor": code, "count": count, "share": share,
                         "label": str(count) if share >= MIN_LABELLED else "",
                         "middle": start + share / 2.0})
            start += share
    frame = pd.DataFrame(rows)
    frame["bor"] = pd.Categorical(frame["bor"], categories=list(BOR_FILLS))
    return frame


def _rates_plot(response: dict, styles: dict, width: float) -> ggplot:
    frame = rate_frame(response)
    names = list(styles)
    offsets = {a: (k - (len(names) - 1) / 2) * 0.32 for k, a in enumerate(names)}
    frame["x"] = [list(MEASURES).index(m) + 1 + offsets[a]
                  for m, a in zip(frame["measure"], frame["arm"], strict=True)]
    frame["arm"] = pd.Categorical(frame["arm"], categories=names)
    level = fmt.level(response.get("conf_level", 0.95))
    return (ggplot(frame, aes("x", "rate", color="arm", shape="arm"))
            + geom_errorbar(aes(ymin="lo", ymax="hi"), width=0.1, size=0.5)
            + geom_point(size=2.2, fill="white", stroke=0.8)
            + geom_text(aes(x="x + 0.06", label="label"), ha="left", size=TABLE_SIZE,
                        show_legend=False)
            + scale_color_manual(values={a: s.color for a, s in styles.items()},
                                 breaks=names, limits=names)
            + scale_shape_manual(values={a: s.shape for a, s in styles.items()},
                                 breaks=names, limits=names)
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
    frame = bor_frame(response)
    names = list(styles)
    wrapped = {a: textwrap.fill(a, 12) for a in names}
    frame["arm"] = pd.Categorical(frame["arm"].map(wrapped),
                                  categories=[wrapped[a] for a in reversed(names)])
    return (ggplot(frame, aes("arm", "share", fill="bor"))
            + geom_col(position=position_fill(reverse=True), color="black", size=0.25,
                       width=0.6)
            + geom_text(aes(y="middle", label="label", color="bor"), size=TABLE_SIZE,
                        show_legend=False)
            + scale_fill_manual(values=BOR_FILLS, breaks=list(BOR_FILLS))
            + scale_color_manual(values=BOR_TEXT, guide=None)
            + scale_y_continuous(breaks=[0, 0.25, 0.5, 0.75, 1.0],
                                 labels=["0", "25", "50", "75", "100"], expand=(0, 0))
            + coord_flip()
            + guides(fill=guide_legend(nrow=1))
            + labs(x=None, y="Best overall response, % of patients")
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
        top += labs(title=title)
    composed = top / _bor_plot(response, styles, width)
    composed += theme(figure_size=(width, 4.0))
    return composed.draw()
