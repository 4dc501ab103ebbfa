"""The scorecard figure: every compared row on one ratio axis, published CI vs reproduced.

Each row is normalised by its published point: the published point sits at 1, its CI
is a thick grey bar, the reproduced estimate is a black mark (filled circle: inside;
open triangle: outside) with its CI as a thin black line.  The axis is log2, so a
ratio of 2 and of 1/2 are equally far from 1; values beyond the axis are drawn at its
edge (a median not reached sits at the right edge).  Rows without a published point,
not computable or not compared are left out (they are in the table).  Shapes and grey
levels, not colours, carry the meaning, so it prints in greyscale.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import pandas as pd

from netter.scorecard.build import INSIDE, OUTSIDE, ScorecardDocument
from netter.scorecard.statistics import QUANTILE

#: Axis limits of the ratio reproduced / published.
LIMITS = (0.25, 4.0)


def _clip(value: float | None, default: float) -> float:
    value = default if value is None else value
    return min(max(value, LIMITS[0]), LIMITS[1])


def figure_frame(document: ScorecardDocument) -> pd.DataFrame:
    """One line per plotted row: label, panel, ratios (clipped to :data:`LIMITS`), status."""
    lines = []
    for row in document.rows:
        if row.status not in (INSIDE, OUTSIDE) or not row.published:
            continue
        p = row.published
        point = math.inf if row.reproduced_not_reached else row.reproduced
        if point is None:
            continue
        pub_lo, pub_hi = row.published_ci or (None, None)
        rep_lo, rep_hi = row.reproduced_ci or (None, None)
        open_end = math.inf if row.kind == QUANTILE else None
        label = row.label + ("" if row.flag in ("V", "V2") else " [unverified]")
        lines.append({
            "label": f"{label} · {row.cutoff}",
            "panel": row.endpoint,
            "ratio": _clip(point / p, 1.0),
            "pub_lo": _clip(None if pub_lo is None else pub_lo / p, 1.0),
            "pub_hi": _clip(open_end if pub_hi is None and pub_lo is not None
                            else None if pub_hi is None else pub_hi / p, 1.0),
            "rep_lo": _clip(open_end if rep_lo is None else rep_lo / p, point / p),
            "rep_hi": _clip(open_end if rep_hi is None else rep_hi / p, point / p),
            "status": "inside" if row.status == INSIDE else "outside",
        })
    frame = pd.DataFrame(lines, columns=["label", "panel", "ratio", "pub_lo", "pub_hi",
                                         "rep_lo", "rep_hi", "status"])
    order = list(dict.fromkeys(frame["label"]))[::-1]
    frame["label"] = pd.Categorical(frame["label"], categories=order)
    panels = list(dict.fromkeys(frame["panel"]))
    frame["panel"] = pd.Categorical(frame["panel"], categories=panels)
    frame["status"] = pd.Categorical(frame["status"], categories=["inside", "outside"])
    return frame


def scorecard_plot(document: ScorecardDocument):
    """The plotnine figure of :func:`figure_frame`."""
    from plotnine import (
        aes,
        element_text,
        facet_grid,
        geom_point,
        geom_segment,
        geom_vline,
        ggplot,
        labs,
        scale_fill_manual,
        scale_shape_manual,
        scale_x_continuous,
        theme,
        theme_bw,
    )

    frame = figure_frame(document)
    breaks = [0.25, 0.5, 1.0, 2.0, 4.0]
    return (
        ggplot(frame, aes(y="label"))
        + geom_vline(xintercept=1.0, linetype="dashed", color="#555555", size=0.4)
        + geom_segment(aes(x="pub_lo", xend="pub_hi", yend="label"), color="#bbbbbb",
                       size=3.2)
        + geom_segment(aes(x="rep_lo", xend="rep_hi", yend="label"), color="black",
                       size=0.6)
        + geom_point(aes(x="ratio", shape="status", fill="status"), color="black", size=2.4,
                     stroke=0.6)
        + scale_shape_manual(values={"inside": "o", "outside": "^"}, drop=False,
                             name="reproduced")
        + scale_fill_manual(values={"inside": "black", "outside": "white"}, drop=False,
                            name="reproduced")
        + scale_x_continuous(trans="log2", limits=LIMITS, breaks=breaks,
                             labels=["1/4", "1/2", "1", "2", "4"])
        + facet_grid("panel ~ .", scales="free_y", space="free_y")
        + labs(x="reproduced / published (log scale); grey bar: published CI, "
                 "black line: reproduced CI", y="",
               title=f"{document.study_name}: published numbers vs this reproduction")
        + theme_bw(base_size=8)
        + theme(figure_size=(7.5, 0.9 + 0.2 * max(len(frame), 1)),
                strip_text_y=element_text(angle=0), legend_position="bottom",
                plot_title=element_text(size=9))
    )


def save_scorecard_figure(document: ScorecardDocument, stem: str | os.PathLike
                          ) -> list[Path]:
    """Save the figure as ``<stem>.png`` (150 dpi) and ``<stem>.svg`` (deterministic)."""
    import matplotlib

    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    plot = scorecard_plot(document)
    written = []
    with matplotlib.rc_context({"svg.hashsalt": "netter-scorecard", "svg.fonttype": "none"}):
        for suffix, extra in ((".png", {"dpi": 150, "metadata": {"Software": None}}),
                              (".svg", {"metadata": {"Date": None, "Creator": None}})):
            path = stem.with_suffix(suffix)
            plot.save(path, verbose=False, **extra)
            written.append(path)
    return written
