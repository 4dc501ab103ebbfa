"""How well a reconstruction fits its inputs: numbers at risk, events, distance of the curves.

* numbers at risk: at every published time, the published count beside the reconstructed
  one, ``#{time >= t}`` among the reconstructed patients;
* events: the reconstructed total beside the published one (when given);
* curves: the reconstructed Kaplan-Meier curve against the step function through the
  cleaned digitised points (the value of the last point at or before t).  Both are step
  functions, so their largest absolute difference is attained at a jump of one of them:
  evaluating both at every jump time of either gives the true maximum, not an
  approximation.  The RMSE is taken over the distinct digitised times.

Every number is computed here (and in :mod:`netter.stats`); :func:`overlay_plot` only
draws frames prepared by :func:`overlay_frames`.

Examples
--------
>>> import numpy as np
>>> curve_distance(np.array([0.0, 2.0]), np.array([1.0, 0.5]),
...                np.array([0.0, 1.0]), np.array([1.0, 0.5]))
CurveDistance(rmse=0.0, max_abs=0.5, time_of_max=1.0)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from netter.reconstruct.cleaning import changes_frame
from netter.stats.km import kaplan_meier
from netter.tables.labels import time_axis

#: Files written beside ``adsl.csv`` and ``adtte.csv``.
FIT_FILE = "reconstruction_fit.csv"
AT_RISK_FILE = "reconstruction_at_risk.csv"
CHANGES_FILE = "reconstruction_changes.csv"
POINTS_FILE = "reconstruction_points.csv"
WARNINGS_FILE = "reconstruction_warnings.txt"
FIGURE_FILE = "reconstruction_overlay.png"
REPORT_FILE = "reconstruction.md"
#: Height of the overlay figure, inches (its width is the double column of netter.figures).
OVERLAY_HEIGHT = 4.2
#: How each kind of digitised point is named in the legend, and its marker.
POINT_LABELS = {"as clicked": "digitised point", "changed by cleaning": "changed by cleaning",
                "added by cleaning": "added by cleaning"}
POINT_SHAPES = {"as clicked": "o", "changed by cleaning": "x", "added by cleaning": "s"}


@dataclass(frozen=True)
class CurveDistance:
    """RMSE over the digitised times and maximum absolute difference (and where)."""

    rmse: float
    max_abs: float
    time_of_max: float


def step_value(knots: np.ndarray, values: np.ndarray, at) -> np.ndarray:
    """Right-continuous step function through (knots, values), 1 before the first knot.

    Examples
    --------
    >>> step_value(np.array([1.0, 3.0]), np.array([0.8, 0.5]), [0.5, 1.0, 2.9, 3.0]).tolist()
    [1.0, 0.8, 0.8, 0.5]
    """
    idx = np.searchsorted(knots, np.asarray(at, float), side="right") - 1
    padded = np.concatenate(([1.0], values))
    return padded[idx + 1]


def km_steps(time, event) -> tuple[np.ndarray, np.ndarray]:
    """Knots and values of the Kaplan-Meier curve of patient-level data, from (0, 1).

    Examples
    --------
    >>> km_steps([1.0, 2.0], [1, 0])
    (array([0., 1., 2.]), array([1. , 0.5, 0.5]))
    """
    km = kaplan_meier(time, event, profile="r")
    return np.concatenate(([0.0], km.time)), np.concatenate(([1.0], km.survival))


def curve_distance(digit_time, digit_surv, km_time, km_surv) -> CurveDistance:
    """Distance between the digitised step function and a reconstructed KM curve.

    Parameters
    ----------
    digit_time, digit_surv : numpy.ndarray
        Cleaned digitised points (sorted; at equal times the last value counts).
    km_time, km_surv : numpy.ndarray
        Knots and values of the reconstructed curve (see :func:`km_steps`).

    Returns
    -------
    CurveDistance
    """
    end = float(digit_time[-1])
    grid = np.unique(np.concatenate((digit_time, km_time[km_time <= end])))
    diff = np.abs(step_value(digit_time, digit_surv, grid) - step_value(km_time, km_surv, grid))
    at = np.unique(digit_time)
    rmse = float(np.sqrt(np.mean((step_value(digit_time, digit_surv, at)
                                  - step_value(km_time, km_surv, at)) ** 2)))
    k = int(np.argmax(diff))
    return CurveDistance(rmse=rmse, max_abs=float(diff[k]), time_of_max=float(grid[k]))


def fit_table(rec) -> pd.DataFrame:
    """One row per arm: patients, events (published, reconstructed), censored, distance.

    Columns: ``arm``, ``n``, ``events_published``, ``events_reconstructed``,
    ``censored``, ``points_read``, ``points_used``, ``changes``, ``rmse``,
    ``max_abs_diff``, ``time_of_max_diff``, ``last_interval_rule``.
    """
    rows = []
    for arm in rec.arms:
        fit = arm.fit
        knots, values = km_steps(fit.patient_time, fit.patient_event)
        dist = curve_distance(arm.clean.time, arm.clean.survival, knots, values)
        rows.append({
            "arm": arm.arm, "n": int(fit.patient_time.size),
            "events_published": arm.total_events,
            "events_reconstructed": int(fit.patient_event.sum()),
            "censored": int(fit.patient_time.size - fit.patient_event.sum()),
            "points_read": int(arm.curve.time.size), "points_used": int(arm.clean.time.size),
            "changes": len(arm.clean.changes) + len(arm.at_risk.changes),
            "rmse": round(dist.rmse, 6), "max_abs_diff": round(dist.max_abs, 6),
            "time_of_max_diff": round(dist.time_of_max, 6), "last_interval_rule": fit.last_rule,
        })
    frame = pd.DataFrame(rows)
    frame["events_published"] = frame["events_published"].astype("Int64")
    return frame


def at_risk_table(rec) -> pd.DataFrame:
    """Published vs reconstructed numbers at risk at every published time.

    Columns: ``arm``, ``time``, ``published``, ``reconstructed``, ``difference``
    (reconstructed - published).
    """
    rows = []
    for arm in rec.arms:
        patients = arm.fit.patient_time
        for time, count in zip(arm.at_risk.time, arm.at_risk.n_risk, strict=True):
            got = int(np.sum(patients >= time))
            rows.append((arm.arm, float(time), int(count), got, got - int(count)))
    return pd.DataFrame(rows, columns=["arm", "time", "published", "reconstructed",
                                       "difference"])


def points_table(rec) -> pd.DataFrame:
    """Per point used by the algorithm: time, survival, events, censored, at risk, KM."""
    parts = []
    for arm in rec.arms:
        fit = arm.fit
        parts.append(pd.DataFrame({
            "arm": arm.arm, "time": fit.time, "survival": fit.survival,
            "added_at_risk_time": fit.inserted, "events": fit.events,
            "censored": fit.censored, "n_risk": fit.n_risk, "km": np.round(fit.km, 6)}))
    return pd.concat(parts, ignore_index=True)


def overlay_frames(rec) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What the overlay figure draws: reconstructed curves and digitised points.

    Returns
    -------
    tuple of pandas.DataFrame
        ``steps`` (``arm``, ``time``, ``survival``: knots of each reconstructed KM
        curve) and ``points`` (``arm``, ``time``, ``survival``, ``status``: each cleaned
        digitised point, ``"as clicked"``, ``"changed by cleaning"`` or ``"added by
        cleaning"``).
    """
    steps, points = [], []
    for arm in rec.arms:
        knots, values = km_steps(arm.fit.patient_time, arm.fit.patient_event)
        steps.append(pd.DataFrame({"arm": arm.arm, "time": knots, "survival": values}))
        changed = {c.row for c in arm.clean.changes if c.row > 0}
        status = ["added by cleaning" if r == 0 else
                  "changed by cleaning" if r in changed else "as clicked" for r in arm.clean.row]
        points.append(pd.DataFrame({"arm": arm.arm, "time": arm.clean.time,
                                    "survival": arm.clean.survival, "status": status}))
    return pd.concat(steps, ignore_index=True), pd.concat(points, ignore_index=True)


def overlay_plot(steps: pd.DataFrame, points: pd.DataFrame, *, time_unit: str,
                 paramcd: str, ticks=None, width: float | None = None,
                 height: float = OVERLAY_HEIGHT):
    """The reconstructed Kaplan-Meier curves over the digitised points (plotnine).

    Draws the frames of :func:`overlay_frames`; computes nothing.  In the house style of
    :mod:`netter.figures`: the journal theme and fonts, each arm's colour and linetype in
    the arms' order (first blue solid, second orange dashed, ...), survival in percent,
    x ticks at the published at-risk times (``ticks``, thinned as the Kaplan-Meier figure
    does).  The points' shape says whether the cleaning kept, changed or added them.

    Examples
    --------
    >>> steps = pd.DataFrame({"arm": ["B", "B", "A", "A"], "time": [0.0, 2, 0, 3],
    ...                       "survival": [1.0, 0.5, 1, 0.8]})
    >>> points = steps.assign(status="as clicked")
    >>> plot = overlay_plot(steps, points, time_unit="MONTHS", paramcd="PFS")
    >>> plot.labels.y, plot.labels.x
    ('Progression-free survival (%)', 'Time (months)')
    """
    from plotnine import (
        aes,
        geom_point,
        geom_step,
        ggplot,
        guide_legend,
        guides,
        labs,
        scale_color_manual,
        scale_linetype_manual,
        scale_shape_manual,
        scale_x_continuous,
        scale_y_continuous,
        theme,
    )

    from netter.figures.km import axis_ticks, legend_rows
    from netter.figures.theme import CURVE_WIDTH, DOUBLE, arm_styles, journal_theme
    from netter.reconstruct.write import PARAM_LABELS
    from netter.tables.fmt import tick

    width = DOUBLE if width is None else width
    x_scale = scale_x_continuous(expand=(0, 0, 0.02, 0))
    if ticks is not None and len(ticks):
        end = float(max(steps["time"].max(), points["time"].max()))
        shown_ticks = axis_ticks(regular_ticks(ticks, end), width)
        x_scale = scale_x_continuous(breaks=shown_ticks,
                                     labels=[tick(t) for t in shown_ticks],
                                     expand=(0, 0, 0.02, 0))

    arms = list(dict.fromkeys(steps["arm"]))
    shown = {arm: plain_text(arm) for arm in arms}  # no mathtext in labels
    names = [shown[arm] for arm in arms]
    styles = {shown[arm]: style for arm, style in arm_styles(arms).items()}
    steps = steps.assign(arm=steps["arm"].map(shown))
    points = points.assign(arm=points["arm"].map(shown),
                           status=points["status"].map(POINT_LABELS))
    shapes = {POINT_LABELS[status]: shape for status, shape in POINT_SHAPES.items()}
    rows = legend_rows(names, width)
    return (ggplot()
            + geom_step(steps, aes("time", "survival", color="arm", linetype="arm"),
                        direction="hv", size=CURVE_WIDTH / 2.0 * 1.4)
            + geom_point(points, aes("time", "survival", color="arm", shape="status"),
                         size=1.0, stroke=0.4, alpha=0.8, show_legend={"color": False})
            + scale_color_manual(values={a: s.color for a, s in styles.items()},
                                 breaks=names, limits=names)
            + scale_linetype_manual(values={a: s.linetype for a, s in styles.items()},
                                    breaks=names, limits=names)
            + scale_shape_manual(values=shapes, breaks=list(shapes), limits=list(shapes))
            + x_scale
            + scale_y_continuous(breaks=[0, 0.25, 0.5, 0.75, 1.0],
                                 labels=["0", "25", "50", "75", "100"], limits=(0, 1),
                                 expand=(0, 0, 0.02, 0))
            + guides(color=guide_legend(nrow=rows, order=1),
                     linetype=guide_legend(nrow=rows, order=1),
                     shape=guide_legend(nrow=1, order=2))
            + labs(x=time_axis(time_unit.lower(), None),
                   y=f"{PARAM_LABELS.get(paramcd, paramcd)} (%)",
                   title="Reconstructed Kaplan-Meier curves (lines) over the digitised "
                         "points")
            + journal_theme(width, height)
            + theme(legend_position="top", legend_direction="horizontal",
                    legend_box="vertical", legend_box_spacing=0.02))


def regular_ticks(times, end: float) -> list[float]:
    """The distinct ``times``, continued at their common step up to ``end`` when they are
    evenly spaced (the at-risk table may stop before the curves do).

    Examples
    --------
    >>> regular_ticks([0, 3, 6, 3], 13.5), regular_ticks([0, 1, 5], 9)
    ([0.0, 3.0, 6.0, 9.0, 12.0], [0.0, 1.0, 5.0])
    """
    out = sorted({float(t) for t in times})
    steps = np.diff(out)
    if len(out) >= 2 and np.allclose(steps, steps[0]) and steps[0] > 0:
        while out[-1] + steps[0] <= end * (1 + 1e-9):
            out.append(round(out[-1] + float(steps[0]), 9))
    return out


def plain_text(label: str) -> str:
    """A label as matplotlib draws it literally (:func:`netter.figures.theme.plain`:
    ``$`` escaped, control characters as spaces, glyphs the font lacks as a square).

    Examples
    --------
    >>> plain_text("US$ 5 vs $10")
    'US\\\\$ 5 vs \\\\$10'
    """
    from netter.figures.theme import plain

    return plain(label)


def figure_png(plot) -> bytes:
    """The PNG bytes of a plotnine figure, saved the netter way
    (:func:`netter.figures.theme.save_figure`: fixed DPI, no date or software string)."""
    import tempfile

    import matplotlib.pyplot as plt

    from netter.figures.theme import save_figure

    figure = plot.draw()
    try:
        with tempfile.TemporaryDirectory() as scratch:
            png, _svg = save_figure(figure, scratch, "overlay")
            return png.read_bytes()
    finally:
        plt.close(figure)


def render_diagnostics(rec) -> dict[str, bytes]:
    """The diagnostics files and the Markdown summary, as bytes by file name (in the order
    they are listed); nothing is written."""
    from netter.reconstruct.report import summary_markdown
    from netter.reconstruct.write import csv_bytes

    fit, risk = fit_table(rec), at_risk_table(rec)
    steps, points = overlay_frames(rec)
    figure = overlay_plot(steps, points, time_unit=rec.time_unit, paramcd=rec.paramcd,
                          ticks=[float(t) for a in rec.arms for t in a.at_risk.time])
    return {FIT_FILE: csv_bytes(fit), AT_RISK_FILE: csv_bytes(risk),
            CHANGES_FILE: csv_bytes(changes_frame(rec.changes)),
            POINTS_FILE: csv_bytes(points_table(rec)),
            WARNINGS_FILE: "".join(f"{w}\n" for w in rec.warnings).encode("utf-8"),
            FIGURE_FILE: figure_png(figure),
            REPORT_FILE: summary_markdown(rec, fit, risk).encode("utf-8")}


def write_diagnostics(rec, folder) -> list:
    """Write the diagnostics files and the Markdown summary into ``folder`` (all or
    nothing, :func:`~netter.reconstruct.write.write_files`)."""
    from netter.reconstruct.write import write_files

    return write_files(folder, render_diagnostics(rec))
