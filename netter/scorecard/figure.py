"""The scorecard figure: every compared row on one ratio axis, published CI vs reproduced.

Each row is normalised by its published point: the published point sits at 1, its CI
is a thick grey bar, the reproduced estimate is a black mark (filled circle: inside;
open triangle: outside) with its CI as a thin black line.  The axis is log2 from 1/4
to 4, so a ratio of 2 and of 1/2 are equally far from 1.  Nothing beyond the axis is
drawn as if it were on it: a reproduced value beyond it (a reproduced 0%, a median
not reached, a ratio of 6) sits at the axis' edge with its ratio written beside it
("ratio 0.00", "not reached"), a reproduced CI cut by the axis ends in an arrow and a
cut published CI in a grey triangle pointing out.  Rows without a published point (or
a published 0, which no ratio can be taken of), not computable or not compared are left
out (they are in the table).  Shapes and grey levels, not colours, carry the meaning,
so it prints in greyscale; it is a double column (7 in) wide and no text is smaller
than 7 pt at that size.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import pandas as pd

from netter.figures.theme import DOUBLE, FONT, plain, wrap
from netter.scorecard.build import INSIDE, OUTSIDE, ScorecardDocument
from netter.scorecard.statistics import QUANTILE
from netter.tables import fmt

#: Axis limits of the ratio reproduced / published.
LIMITS = (0.25, 4.0)
#: Smallest text (points) at print size (the saved size, a double column wide).
MIN_TEXT = 7.0
#: Row height, room around the rows (inches), widest row label and panel label (in).
ROW, FRAME, LABEL_WIDTH, PANEL_WIDTH = 0.19, 1.35, 3.4, 0.9
#: Title of the x axis: what is drawn.
X_TITLE = ("reproduced / published (log scale)\n"
           "grey bar: published CI; black line: reproduced CI\n"
           "beyond the axis: drawn at its edge, ratio written; cut CIs: arrows "
           "(grey: published)")

COLUMNS = ["label", "panel", "ratio", "pub_lo", "pub_hi", "rep_lo", "rep_hi", "status",
           "value", "off", "off_text", "pub_lo_cut", "pub_hi_cut", "rep_lo_cut",
           "rep_hi_cut"]


def _clip(value: float | None, default: float) -> tuple[float, bool]:
    """The value on the axis and whether it lies beyond it (not positive counts too)."""
    value = default if value is None else value
    if math.isnan(value) or value <= 0:
        return LIMITS[0], True
    return min(max(value, LIMITS[0]), LIMITS[1]), not LIMITS[0] <= value <= LIMITS[1]


def _ratio_text(value: float, not_reached: bool) -> str:
    """The ratio of a value beyond the axis, as written beside it."""
    if not_reached:
        return "not reached"
    if math.isinf(value):
        return f"ratio {fmt.INFINITY}"
    return f"ratio {fmt.number(value, 2)}"


def figure_frame(document: ScorecardDocument) -> pd.DataFrame:
    """One line per plotted row: label, panel, ratios (clipped to :data:`LIMITS`), status.

    Also the unclipped ratio (``value``), where it lies beyond the axis (``off``:
    ``"low"``, ``"high"`` or ``""``) with the text written there (``off_text``), and which
    CI ends the axis cuts (``pub_lo_cut`` ... ``rep_hi_cut``).  Two rows of one label
    and cut-off are told apart by their records (each its own line).
    """
    lines = []
    for row in document.rows:
        if row.status not in (INSIDE, OUTSIDE) or not row.published:
            continue  # no published point, or a published 0: no ratio
        p = row.published
        point = math.inf if row.reproduced_not_reached else row.reproduced
        if point is None:
            continue
        pub_lo, pub_hi = row.published_ci or (None, None)
        rep_lo, rep_hi = row.reproduced_ci or (None, None)
        open_end = math.inf if row.kind == QUANTILE else None
        label = row.label + ("" if row.flag in ("V", "V2") else " [unverified]")
        value = point / p
        ratio, off = _clip(value, 1.0)
        ends = {
            "pub_lo": _clip(None if pub_lo is None else pub_lo / p, 1.0),
            "pub_hi": _clip(open_end if pub_hi is None and pub_lo is not None
                            else None if pub_hi is None else pub_hi / p, 1.0),
            "rep_lo": _clip(open_end if rep_lo is None else rep_lo / p, value),
            "rep_hi": _clip(open_end if rep_hi is None else rep_hi / p, value),
        }
        lines.append({
            "label": f"{label} · {row.cutoff}",
            "panel": row.endpoint,
            "ratio": ratio,
            **{k: v for k, (v, _) in ends.items()},
            "status": "inside" if row.status == INSIDE else "outside",
            "value": value,
            "off": ("low" if ratio == LIMITS[0] else "high") if off else "",
            "off_text": _ratio_text(value, row.reproduced_not_reached) if off else "",
            **{f"{k}_cut": cut for k, (_, cut) in ends.items()},
            "record": row.record,
        })
    frame = pd.DataFrame(lines, columns=[*COLUMNS, "record"])
    repeated = frame["label"].duplicated(keep=False)
    frame.loc[repeated, "label"] = [f"{label} [{record}]" for label, record in zip(
        frame.loc[repeated, "label"], frame.loc[repeated, "record"], strict=True)]
    frame = frame.drop(columns="record")
    order = list(dict.fromkeys(frame["label"]))[::-1]
    frame["label"] = pd.Categorical(frame["label"], categories=order)
    panels = list(dict.fromkeys(frame["panel"]))
    frame["panel"] = pd.Categorical(frame["panel"], categories=panels)
    frame["status"] = pd.Categorical(frame["status"], categories=["inside", "outside"])
    return frame


def _segments(frame: pd.DataFrame, prefix: str) -> dict[str, pd.DataFrame]:
    """The CI segments by which of their ends the axis cuts: none, first, last, both."""
    lo, hi = frame[f"{prefix}_lo_cut"], frame[f"{prefix}_hi_cut"]
    return {"none": frame[~lo & ~hi], "first": frame[lo & ~hi], "last": frame[~lo & hi],
            "both": frame[lo & hi]}


def _cut_ends(frame: pd.DataFrame) -> pd.DataFrame:
    """Published CI ends the axis cuts: where (``x``) and which way (``side``)."""
    rows = []
    for end in ("pub_lo", "pub_hi"):
        for _, r in frame[frame[f"{end}_cut"]].iterrows():
            rows.append({"label": r["label"], "panel": r["panel"], "x": r[end],
                         "side": "low" if r[end] == LIMITS[0] else "high"})
    out = pd.DataFrame(rows, columns=["label", "panel", "x", "side"])
    out["label"] = pd.Categorical(out["label"], categories=frame["label"].cat.categories)
    out["panel"] = pd.Categorical(out["panel"], categories=frame["panel"].cat.categories)
    return out


def _shown(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str], dict[str, str]]:
    """The frame with labels as drawn: escaped, cut to :data:`LABEL_WIDTH` (and panels
    wrapped); two rows never share a label."""
    labels, seen = {}, set()
    for label in frame["label"].cat.categories[::-1]:
        shown = wrap(label, LABEL_WIDTH, MIN_TEXT, max_lines=1)
        while shown in seen:
            shown += " "
        seen.add(shown)
        labels[label] = shown
    panels = {p: wrap(p, PANEL_WIDTH, MIN_TEXT) for p in frame["panel"].cat.categories}
    return frame, labels, panels


def scorecard_plot(document: ScorecardDocument):
    """The plotnine figure of :func:`figure_frame`."""
    from plotnine import (
        aes,
        annotate,
        arrow,
        element_blank,
        element_text,
        facet_grid,
        geom_point,
        geom_segment,
        geom_text,
        geom_vline,
        ggplot,
        labeller,
        labs,
        scale_fill_manual,
        scale_shape_manual,
        scale_x_continuous,
        scale_y_discrete,
        theme,
        theme_bw,
    )

    frame = figure_frame(document)
    title = plain(f"{document.study_name}: published numbers vs this reproduction")
    breaks = [0.25, 0.5, 1.0, 2.0, 4.0]
    size = theme(
        figure_size=(DOUBLE, round(FRAME + ROW * max(len(frame), 1), 4)),
        text=element_text(family=FONT, size=MIN_TEXT + 1),
        axis_text=element_text(size=MIN_TEXT, color="black"),
        strip_text_y=element_text(angle=0, size=MIN_TEXT),
        legend_text=element_text(size=MIN_TEXT), legend_title=element_text(size=MIN_TEXT + 1),
        axis_title_x=element_text(size=MIN_TEXT, linespacing=1.3),
        plot_title=element_text(size=MIN_TEXT + 2), legend_position="bottom")
    if frame.empty:
        return (ggplot() + annotate("text", x=1.0, y=0.5, size=MIN_TEXT + 1,
                                    label="No published number is compared (see the table).")
                + scale_x_continuous(trans="log2", limits=LIMITS, breaks=breaks,
                                     labels=["1/4", "1/2", "1", "2", "4"])
                + labs(x=X_TITLE, y="", title=title) + theme_bw(base_size=MIN_TEXT + 1)
                + size + theme(axis_text_y=element_blank(), axis_ticks_major_y=element_blank(),
                               figure_size=(DOUBLE, FRAME + 2 * ROW)))
    frame, labels, panels = _shown(frame)
    plot = (ggplot(frame, aes(y="label"))
            + geom_vline(xintercept=1.0, linetype="dashed", color="#555555", size=0.4)
            + geom_segment(aes(x="pub_lo", xend="pub_hi", yend="label"), color="#bbbbbb",
                           size=3.2))
    cut = _cut_ends(frame)
    for side, shape in (("low", "<"), ("high", ">")):
        part = cut[cut["side"] == side]
        if len(part):
            plot += geom_point(part, aes(x="x", y="label"), shape=shape, color="#888888",
                               fill="#888888", size=3.0, inherit_aes=False)
    for ends, part in _segments(frame, "rep").items():
        if len(part):
            plot += geom_segment(part, aes(x="rep_lo", xend="rep_hi", yend="label"),
                                 color="black", size=0.6,
                                 **({} if ends == "none" else {"arrow": arrow(
                                     length=0.06, type="open", angle=30, ends=ends)}))
    off = frame[frame["off"] != ""]
    for side, nudge, ha in (("low", 1.14, "left"), ("high", 1 / 1.14, "right")):
        part = off[off["off"] == side].assign(at=lambda f, k=nudge: f["ratio"] * k)
        if len(part):
            plot += geom_text(part, aes(x="at", y="label", label="off_text"), ha=ha,
                              va="bottom", nudge_y=0.12, size=MIN_TEXT, inherit_aes=False)
    return (plot
            + geom_point(aes(x="ratio", shape="status", fill="status"), color="black",
                         size=2.4, stroke=0.6)
            + scale_shape_manual(values={"inside": "o", "outside": "^"}, drop=False,
                                 name="reproduced")
            + scale_fill_manual(values={"inside": "black", "outside": "white"}, drop=False,
                                name="reproduced")
            + scale_y_discrete(labels=lambda values: [labels[v] for v in values])
            + scale_x_continuous(trans="log2", limits=LIMITS, breaks=breaks,
                                 labels=["1/4", "1/2", "1", "2", "4"])
            + facet_grid("panel ~ .", scales="free_y", space="free_y",
                         labeller=labeller(rows=lambda p: panels.get(p, plain(p))))
            + labs(x=X_TITLE, y="", title=title)
            + theme_bw(base_size=MIN_TEXT + 1)
            + size)


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
