"""The figure of a crossover simulation study: each method's bias, by mechanic.

One panel per scenario, one row per method: the bias of the log hazard ratio against
the per-trial truth (a black point) with its 95% Monte Carlo interval (bias +/- 1.96
Monte Carlo SE, a black bar), and the middle 50% and 90% of the per-trial errors
(estimate - truth) as a thick and a thin grey bar, so that a bias can be read against
the spread of single trials (coverage is in the summary table).
House theme (:func:`netter.figures.theme.journal_theme`), a double column wide, saved
deterministically as PNG and SVG (:func:`netter.figures.theme.save_figure`).

Examples
--------
>>> import numpy as np
>>> from netter.simstudy.design import Scenario
>>> from netter.simstudy.performance import performance
>>> from netter.simstudy.run import MethodSummary, ScenarioResult
>>> p = performance([0.1, 0.2, 0.3], [0.0, 0.1, 0.1], lower=[0, 0, 0], upper=[1, 1, 1])
>>> s = ScenarioResult(Scenario("A"), {"mechanic": "x"}, None, "", None, p, (),
...                    (MethodSummary("censor", "Censored", p, p),))
>>> frame = figure_frame([s], errors={("A", "censor"): np.array([0.1, 0.1, 0.2])})
>>> frame["coverage"].tolist()
['100% / 100%']
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from netter.figures.theme import DOUBLE, GREY, journal_theme, plain, save_figure, wrap

#: File stem of the figure.
STEM = "bias"
#: Normal quantile of the Monte Carlo intervals.
Z = 1.959963984540054
#: Row height and room around the rows (inches).
ROW, FRAME = 0.26, 1.25


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def _errors(result) -> dict[tuple[str, str], np.ndarray]:
    out = {}
    for m in result.methods:
        e = [(t.estimates[m.method].log_hr - t.truth) for t in result.trials
             if t.estimates[m.method].log_hr is not None and t.truth is not None]
        out[(result.scenario.name, m.method)] = np.array(e, dtype=float)
    return out


def figure_frame(scenarios, errors=None) -> pd.DataFrame:
    """One line per scenario and method: bias, its Monte Carlo interval, the per-trial
    error quantiles (5, 25, 75, 95%) and the coverage of the per-trial / large-sample
    truth (as text).

    ``errors`` maps ``(scenario, method)`` to the per-trial errors (default: from the
    scenarios' trials).
    """
    if errors is None:
        errors = {}
        for s in scenarios:
            errors.update(_errors(s))
    rows = []
    for s in scenarios:
        for m in s.methods:
            p = m.log_hr
            e = errors.get((s.scenario.name, m.method), np.array([]))
            q = np.quantile(e, [0.05, 0.25, 0.75, 0.95]) if e.size else [np.nan] * 4
            mcse = p.bias_mcse if p.bias_mcse is not None else np.nan
            rows.append({
                "scenario": s.scenario.name, "method": m.method, "label": plain(m.label),
                "bias": np.nan if p.bias is None else p.bias,
                "lo": np.nan if p.bias is None else p.bias - Z * mcse,
                "hi": np.nan if p.bias is None else p.bias + Z * mcse,
                "q05": q[0], "q25": q[1], "q75": q[2], "q95": q[3],
                "coverage": f"{_pct(p.coverage)} / {_pct(m.large_sample.coverage)}",
                "ne": p.n_not_estimable})
    frame = pd.DataFrame(rows)
    labels = list(dict.fromkeys(frame["label"]))
    frame["label"] = pd.Categorical(frame["label"], categories=labels[::-1], ordered=True)
    frame["scenario"] = pd.Categorical(frame["scenario"],
                                       categories=list(dict.fromkeys(frame["scenario"])),
                                       ordered=True)
    return frame


def bias_plot(run):
    """The plotnine figure of :func:`figure_frame` for a :class:`~netter.simstudy.run.
    StudyRun`."""
    from plotnine import (
        aes,
        element_text,
        facet_wrap,
        geom_point,
        geom_segment,
        geom_vline,
        ggplot,
        labs,
        scale_x_continuous,
        theme,
    )

    frame = figure_frame(run.scenarios)
    finite = frame[["q05", "q95", "lo", "hi"]].to_numpy(dtype=float)
    left = float(np.nanmin(finite)) if np.isfinite(finite).any() else -0.5
    right = float(np.nanmax(finite)) if np.isfinite(finite).any() else 0.5
    span = right - left
    n_methods = frame["label"].nunique()
    height = round(FRAME + ROW * n_methods, 4)
    title = wrap(f"{run.design.study_name}: crossover adjustments against the twin without "
                 f"switching, {run.n_trials} trials per scenario", DOUBLE - 3.0, size=8,
                 max_lines=2, weight="bold")
    x_title = ("estimate - truth (log hazard ratio)\n"
               "point: bias; black bar: its 95% Monte Carlo interval; grey bars: middle 50% "
               "and 90% of trials")
    return (ggplot(frame, aes(y="label"))
            + geom_vline(xintercept=0.0, linetype="dashed", color=GREY, size=0.4)
            + geom_segment(aes(x="q05", xend="q95", yend="label"), color="#c8c8c8", size=0.6)
            + geom_segment(aes(x="q25", xend="q75", yend="label"), color="#a0a0a0", size=2.6)
            + geom_segment(aes(x="lo", xend="hi", yend="label"), color="black", size=0.9)
            + geom_point(aes(x="bias"), color="black", fill="black", size=1.8)
            + scale_x_continuous(limits=(left - 0.02 * span, right + 0.02 * span))
            + facet_wrap("scenario", nrow=1)
            + labs(x=x_title, y="", title=title)
            + journal_theme(DOUBLE, height)
            + theme(axis_title_x=element_text(size=7, linespacing=1.3),
                    strip_text=element_text(size=8, weight="bold"),
                    plot_title=element_text(size=8, weight="bold", ha="left")))


def save_bias_figure(run, out: str | os.PathLike) -> list[Path]:
    """Draw :func:`bias_plot` and save ``bias.png`` and ``bias.svg`` under ``out``."""
    figure = bias_plot(run).draw()
    try:
        return save_figure(figure, out, STEM)
    finally:
        import matplotlib.pyplot as plt

        plt.close(figure)
