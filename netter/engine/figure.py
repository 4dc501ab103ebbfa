"""Figures of a design document (``netter.design/1``): power and hazard-ratio distributions.

Both are drawn from ``design.json`` alone, a panel per endpoint (rows) and cut-off
(columns):

* ``power``: share of trials whose stratified log-rank test rejects at ``alpha``, against
  the scenario (the varied value when one key is varied), with its 95% Monte Carlo
  interval; a dashed line at ``alpha``;
* ``hazard-ratios``: per scenario, the median hazard ratio over trials (point), the middle
  50% (thick) and 95% (thin) of the trials' estimates, on a log axis.

Examples
--------
>>> frame = figure_frame({"alpha": 0.05, "scenarios": [{"name": "base", "results": [
...     {"cutoff": "primary", "param": "PFS", "power": 0.9, "power_ci": [0.88, 0.92],
...      "log_hr": {"q025": -1.0, "q25": -0.8, "q50": -0.7, "q75": -0.6, "q975": -0.4}}]}]})
>>> frame[["scenario", "power", "hr50"]].round(3).values.tolist()
[['base', 0.9, 0.497]]
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pandas as pd

from netter.figures.theme import DOUBLE, journal_theme, plain, save_figure, wrap


def _exp(value) -> float:
    return math.exp(value) if value is not None else math.nan


def _axis_value(name: str) -> str:
    """The varied value of a one-key scenario name (``key=value``), else the name."""
    key, sep, value = name.partition("=")
    return value if sep and "=" not in value else name


def axis_title(document: dict) -> str:
    """The varied key when the scenarios vary one key (``key=value`` names), else
    ``"scenario"``.

    Examples
    --------
    >>> axis_title({"scenarios": [{"name": "a.b=1"}, {"name": "a.b=2"}]})
    'a.b'
    >>> axis_title({"scenarios": [{"name": "base"}]})
    'scenario'
    """
    keys = {s["name"].partition("=")[0] if s["name"].count("=") == 1 else None
            for s in document["scenarios"]}
    key = keys.pop() if len(keys) == 1 else None
    return plain(key) if key else "scenario"


def figure_frame(document: dict) -> pd.DataFrame:
    """One row per scenario, cut-off and endpoint: power and hazard-ratio quantiles."""
    rows = []
    for scenario in document["scenarios"]:
        for result in scenario["results"]:
            q = result["log_hr"]
            rows.append({
                "scenario": plain(_axis_value(scenario["name"])),
                "panel_cut": plain(result["cutoff"]), "panel_param": plain(result["param"]),
                "power": result["power"],
                "lo": result["power_ci"][0], "hi": result["power_ci"][1],
                "hr025": _exp(q["q025"]), "hr25": _exp(q["q25"]), "hr50": _exp(q["q50"]),
                "hr75": _exp(q["q75"]), "hr975": _exp(q["q975"])})
    frame = pd.DataFrame(rows)
    for column in ("scenario", "panel_cut", "panel_param"):
        frame[column] = pd.Categorical(frame[column],
                                       categories=list(dict.fromkeys(frame[column])),
                                       ordered=True)
    return frame


def _size(frame: pd.DataFrame) -> tuple[float, float]:
    n_rows = frame["panel_param"].nunique()
    return DOUBLE, round(1.2 + 1.6 * n_rows, 3)


def power_plot(document: dict):
    """The power figure (plotnine) of a design document."""
    from plotnine import (
        aes,
        element_text,
        facet_grid,
        geom_hline,
        geom_line,
        geom_point,
        geom_segment,
        ggplot,
        labs,
        scale_y_continuous,
        theme,
    )

    frame = figure_frame(document)
    width, height = _size(frame)
    title = wrap(f"{document['study']['name']}: power of the stratified log-rank test, "
                 f"{document['trials']:,} trials per scenario", width - 0.5, size=8,
                 max_lines=2, weight="bold")
    return (ggplot(frame, aes(x="scenario", y="power", group=1))
            + geom_hline(yintercept=document["alpha"], linetype="dashed", color="#808080",
                         size=0.4)
            + geom_line(color="black", size=0.5)
            + geom_segment(aes(xend="scenario", y="lo", yend="hi"), color="black", size=0.6)
            + geom_point(color="black", size=1.5)
            + scale_y_continuous(limits=(0, 1), labels=lambda v: [f"{x:.0%}" for x in v])
            + facet_grid("panel_param ~ panel_cut")
            + labs(x=axis_title(document),
                   y=f"trials rejecting at alpha = {document['alpha']:g}", title=title)
            + journal_theme(width, height)
            + theme(strip_text=element_text(size=8, weight="bold"),
                    axis_text_x=element_text(rotation=30, ha="right"),
                    plot_title=element_text(size=8, weight="bold", ha="left")))


def hazard_ratio_plot(document: dict):
    """The hazard-ratio distribution figure (plotnine) of a design document."""
    from plotnine import (
        aes,
        coord_flip,
        element_text,
        facet_grid,
        geom_hline,
        geom_point,
        geom_segment,
        ggplot,
        labs,
        scale_y_log10,
        theme,
    )

    frame = figure_frame(document)
    frame = frame[np.isfinite(frame["hr50"])]
    width, height = _size(frame) if len(frame) else (DOUBLE, 2.0)
    title = wrap(f"{document['study']['name']}: stratified Cox hazard ratios over "
                 f"{document['trials']:,} trials (point: median; bars: middle 50% and 95%)",
                 width - 0.5, size=8, max_lines=2, weight="bold")
    return (ggplot(frame, aes(x="scenario"))
            + geom_hline(yintercept=1.0, linetype="dashed", color="#808080", size=0.4)
            + geom_segment(aes(xend="scenario", y="hr025", yend="hr975"), color="#909090",
                           size=0.6)
            + geom_segment(aes(xend="scenario", y="hr25", yend="hr75"), color="black", size=2.2)
            + geom_point(aes(y="hr50"), color="white", fill="white", size=1.0)
            + scale_y_log10()
            + coord_flip()
            + facet_grid("panel_param ~ panel_cut")
            + labs(x=axis_title(document),
                   y="hazard ratio (experimental vs reference, log scale)", title=title)
            + journal_theme(width, height)
            + theme(strip_text=element_text(size=8, weight="bold"),
                    plot_title=element_text(size=8, weight="bold", ha="left")))


def save_design_figures(document: dict, out: str | os.PathLike) -> list[Path]:
    """Draw and save ``power.{png,svg}`` and ``hazard-ratios.{png,svg}`` under ``out``."""
    import matplotlib.pyplot as plt

    written = []
    for stem, plot in (("power", power_plot), ("hazard-ratios", hazard_ratio_plot)):
        figure = plot(document).draw()
        try:
            written += save_figure(figure, out, stem)
        finally:
            plt.close(figure)
    return written
