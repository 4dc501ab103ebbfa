"""Figures of an extrapolation document (``netter extrapolate``, schema
``netter.extrapolation/1``).

* :func:`extrapolation_figure` (kind ``extrapolation``, one per endpoint): small
  multiples, one panel per distribution, each with the Kaplan-Meier curves of every arm
  (thin steps) and the arm's fitted curve: solid within the arm's follow-up, dashed
  beyond it to the horizon; a dotted vertical line at the end of follow-up; the model's
  AIC and rank in each arm in the panel title.
* :func:`hazard_figure` (kind ``hazard``, one per endpoint): one panel per arm, the
  kernel-smoothed empirical hazard (thick black) against every model's hazard, over
  the arm's follow-up.
* :func:`psm_figure` (kind ``psm``, a document with partitioned survival): one panel
  per arm, the state occupancy stacked (progression-free, progressed, dead) to the
  horizon.

Arms keep the study's order and house colours (:func:`netter.figures.theme.arm_styles`);
what the document lacks (a model not fitted, no joint fits) is said in a note under the
figure.  Everything drawn is read from the document; words are drawn literally
(:func:`netter.figures.theme.plain`, :func:`~netter.figures.theme.wrap`).  The figures
are at least :data:`~netter.figures.theme.DOUBLE` (7 in) wide: small multiples need it.

Examples
--------
>>> from netter.tables.specimen import specimen_extrapolation
>>> fig = extrapolation_figure(specimen_extrapolation(), "OS")
>>> [ax.get_title(loc="left") for ax in fig.axes][:2]
['Exponential\\nAIC 61.5 [2] · 66.0 [1]', 'Weibull\\nAIC 60.2 [1] · 67.4 [2]']
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from netter.figures.theme import (
    AXIS_WIDTH,
    BASE_SIZE,
    CURVE_WIDTH,
    DOUBLE,
    FONT,
    GREY,
    TICK_SIZE,
    arm_styles,
    plain,
    wrap,
)
from netter.tables import fmt
from netter.tables.extrapolation import arm_order, dist_label, endpoint_title
from netter.tables.labels import arm_label, time_axis

#: Heights in inches: one panel, the gap above a panel (its title), legend band, margin.
PANEL_HEIGHT, TITLE_ROOM, LEGEND_ROOM, MARGIN = 1.45, 0.42, 0.45, 0.1
#: Left and right margins and the gap between panels, inches.
LEFT, RIGHT, GAP = 0.55, 0.15, 0.3
#: Height of one line of the note, inches.
NOTE_LINE = 0.13
#: Colours and line styles of the distributions in the hazard figure, by position.
DIST_COLORS = ("#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7",
               "#8C6D31", "#7F7F7F", "#BCBD22")
DIST_LINES = ("solid", "dashed", "dashdot", (0, (1, 1)), (0, (5, 1, 1, 1, 1, 1)))
#: Fill colours of the states (luminances far apart, for grayscale printing).
STATE_COLORS = {"progression_free": "#2C6FAC", "progressed": "#F2A541", "dead": "#D9D9D9"}
STATE_NAMES = {"progression_free": "Progression-free", "progressed": "Progressed",
               "dead": "Dead"}


#: Tick steps of a months axis (multiples of a year past 12).
MONTH_STEPS = (1.0, 2.0, 3.0, 6.0, 12.0, 24.0, 36.0, 48.0, 60.0, 120.0, 240.0, 480.0)


def nice_step(span: float, most: int = 6, unit: str = "") -> float:
    """A tick step giving at most ``most`` intervals over ``span``: in months one of
    :data:`MONTH_STEPS`, else 1, 2, 2.5, 3, 4, 5 ... times a power of ten.

    Examples
    --------
    >>> nice_step(240, unit="months"), nice_step(100, unit="months"), nice_step(100)
    (48.0, 24.0, 20.0)
    >>> nice_step(12), nice_step(0)
    (2.0, 1.0)
    """
    if not span > 0:
        return 1.0
    if unit == "months" and span <= most * MONTH_STEPS[-1]:
        return next(step for step in MONTH_STEPS if span / step <= most + 1e-9)
    raw = span / most
    power = 10.0 ** math.floor(math.log10(raw))
    for m in (1, 1.2, 2, 2.4, 2.5, 3, 4, 4.8, 5, 6, 10):
        if m * power >= raw - 1e-12:
            return float(m * power)
    return float(10 * power)


def _ticks(limit: float, unit: str = "") -> list[float]:
    step = nice_step(limit, unit=unit)
    return [step * k for k in range(int(limit / step + 1e-9) + 1)]


def _values(values) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def _style_axes(ax, xmax: float, unit: str, ymax: float | None = None) -> None:
    ax.set_xlim(0, xmax)
    ticks = _ticks(xmax, unit)
    ax.set_xticks(ticks, [fmt.tick(t) for t in ticks])
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_linewidth(AXIS_WIDTH)
    ax.tick_params(labelsize=TICK_SIZE, width=AXIS_WIDTH, length=2.5, pad=1.5)
    if ymax is None:
        ax.set_ylim(0, 1.02)
        ax.set_yticks([0, 0.5, 1.0], ["0", "50", "100"])


def _layout(n: int, columns: int, width: float, note_lines: int, gap: float = GAP):
    """Figure height and the axes' rectangles (figure fractions), row by row."""
    rows = math.ceil(n / columns)
    height = (LEGEND_ROOM + rows * (PANEL_HEIGHT + TITLE_ROOM) + 0.5
              + NOTE_LINE * note_lines + MARGIN)
    panel_w = (width - LEFT - RIGHT - gap * (columns - 1)) / columns
    rects = []
    for k in range(n):
        r, c = divmod(k, columns)
        top = LEGEND_ROOM + TITLE_ROOM + r * (PANEL_HEIGHT + TITLE_ROOM)
        rects.append(((LEFT + c * (panel_w + gap)) / width,
                      1 - (top + PANEL_HEIGHT) / height, panel_w / width,
                      PANEL_HEIGHT / height))
    return height, rects, rows


def _note(fig: Figure, lines: list[str], width: float) -> None:
    if lines:
        fig.text(LEFT / fig.get_figwidth(), (MARGIN + NOTE_LINE * len(lines)) /
                 fig.get_figheight(), "\n".join(lines), fontsize=TICK_SIZE - 0.5,
                 color=GREY, family=FONT, ha="left", va="top", linespacing=1.25)


def _note_lines(notes: list[str], width: float) -> list[str]:
    out: list[str] = []
    for note in notes:
        out += wrap(note, width - LEFT - RIGHT, TICK_SIZE - 0.5, max_lines=4).split("\n")
    return out


def _axis_titles(fig: Figure, rects, rows: int, ylabel: str, xlabel: str,
                 width: float, height: float) -> None:
    top = rects[0][1] + rects[0][3]
    bottom = rects[-1][1] if rects else 0.0
    fig.text(0.12 / width, (top + bottom) / 2, wrap(ylabel, height * 0.6, BASE_SIZE,
                                                     max_lines=1),
             rotation=90, fontsize=BASE_SIZE, family=FONT, ha="center", va="center")
    lowest = min(r[1] for r in rects)
    fig.text((LEFT + (width - LEFT - RIGHT) / 2) / width, lowest - 0.2 / height,
             wrap(xlabel, width - LEFT, BASE_SIZE, max_lines=1), fontsize=BASE_SIZE,
             family=FONT, ha="center", va="top")


def _arm_names(document, arms, width: float, columns: int) -> dict[str, str]:
    room = (width - LEFT - RIGHT) / max(2, columns + 1)
    return {a: wrap(arm_label(document, a), room, TICK_SIZE, max_lines=2) for a in arms}


def shown_distributions(document, param: str) -> list[str]:
    """Distributions with a fit in at least one arm: the document's order
    (``settings.distributions``), then any other (a partitioned-survival model).

    Examples
    --------
    >>> from netter.tables.specimen import specimen_extrapolation
    >>> doc = specimen_extrapolation()
    >>> shown_distributions(doc, "OS"), shown_distributions(doc, "PFS")
    (['exponential', 'weibull'], ['weibull'])
    """
    ep = document.endpoints[param]
    fitted = {d for a in ep.arms.values() for d in a.models}
    order = [d for d in document.settings.distributions if d in fitted]
    return order + sorted(fitted - set(order))


def _missing_models(document, param: str, dists) -> list[str]:
    ep = document.endpoints[param]
    notes = []
    asked = [d for d in document.settings.distributions if d not in dists]
    if asked:
        notes.append("Not fitted in any arm (not in the results): "
                     + ", ".join(dist_label(document, param, d) for d in asked) + ".")
    for arm in arm_order(document):
        a = ep.arms.get(arm)
        if a is None:
            notes.append(f"{arm_label(document, arm)}: no fits in the results.")
            continue
        absent = [d for d in dists if d not in a.models]
        if absent:
            notes.append(f"{arm_label(document, arm)}: not fitted: "
                         + ", ".join(dist_label(document, param, d) for d in absent) + ".")
        bad = [m.fit.label for m in a.models.values() if not m.fit.converged]
        if bad:
            notes.append(f"{arm_label(document, arm)}: did not converge: {', '.join(bad)}.")
    return notes


def _ordinal_rank(fit) -> str:
    return f"{fmt.number(fit.aic, 1)} [{fit.rank_aic}]"


def extrapolation_figure(document, param: str, *, width: float = DOUBLE) -> Figure:
    """Small multiples of one endpoint: a panel per distribution with the Kaplan-Meier
    curves and each arm's fitted curve to the horizon.

    Examples
    --------
    >>> from netter.tables.specimen import specimen_extrapolation
    >>> fig = extrapolation_figure(specimen_extrapolation(), "PFS")
    >>> len(fig.axes), float(fig.get_figwidth())
    (1, 7.0)
    """
    width = max(width, DOUBLE)
    ep = document.endpoints[param]
    s = document.settings
    arms = [a for a in arm_order(document) if a in ep.arms]
    styles = arm_styles(arm_order(document))
    dists = shown_distributions(document, param)
    columns = min(3, max(1, len(dists)))
    follow = max((ep.arms[a].follow_up for a in arms), default=0.0)
    notes = [f"Steps: Kaplan-Meier. Smooth curves: each arm's own model, solid within the "
             f"arm's follow-up and dashed beyond it, to the horizon ({fmt.tick(s.horizon)} "
             f"{s.time_unit}); dotted line: end of follow-up ({fmt.number(follow, 1)} "
             f"{s.time_unit}). Panel titles: AIC [rank by AIC within the arm] of each arm, "
             "in the legend's order.",
             *(["Joint models (arm as covariate) are in the extrapolation table."]
               if ep.joint else [])]
    notes += _missing_models(document, param, dists)
    note = _note_lines(notes, width)
    height, rects, rows = _layout(max(1, len(dists)), columns, width, len(note))
    fig = Figure(figsize=(width, height), dpi=100)
    for dist, rect in zip(dists, rects, strict=False):
        ax = fig.add_axes(rect)
        ax.axvline(follow, color=GREY, linestyle=(0, (1, 1.5)), linewidth=0.6)
        aics = []
        for arm in arms:
            a = ep.arms[arm]
            st = styles[arm]
            km = a.km
            ax.step([0.0, *km.time], [1.0, *km.survival], where="post", color=st.color,
                    linewidth=0.6, alpha=0.85)
            model = a.models.get(dist)
            if model is None:
                aics.append("not fitted")
                continue
            aics.append(_ordinal_rank(model.fit))
            c = model.prediction.curve
            t, sv = np.asarray(c.time, dtype=float), _values(c.survival)
            inside = t <= a.follow_up
            cut = int(np.sum(inside))
            ax.plot(t[:cut], sv[:cut], color=st.color, linewidth=CURVE_WIDTH * 1.3,
                    solid_capstyle="butt")
            ax.plot(t[max(cut - 1, 0):], sv[max(cut - 1, 0):], color=st.color,
                    linewidth=CURVE_WIDTH, linestyle=(0, (3, 1.6)))
        label = dist_label(document, param, dist)
        ax.set_title(f"{plain(label)}\nAIC {' · '.join(aics)}", fontsize=TICK_SIZE,
                     family=FONT, loc="left", pad=3, linespacing=1.2)
        _style_axes(ax, s.horizon, s.time_unit)
    if not dists:
        ax = fig.add_axes(rects[0])
        ax.set_axis_off()
        ax.text(0.5, 0.5, "No model in the results", ha="center", va="center",
                fontsize=BASE_SIZE, color=GREY, family=FONT)
    names = _arm_names(document, arms, width, columns)
    handles = [Line2D([], [], color=styles[a].color, linewidth=CURVE_WIDTH * 1.3)
               for a in arms]
    handles += [Line2D([], [], color=GREY, linewidth=0.6, drawstyle="steps-post"),
                Line2D([], [], color=GREY, linewidth=CURVE_WIDTH * 1.3),
                Line2D([], [], color=GREY, linewidth=CURVE_WIDTH, linestyle=(0, (3, 1.6))),
                Line2D([], [], color=GREY, linewidth=0.6, linestyle=(0, (1, 1.5)))]
    labels = [names[a] for a in arms] + ["Kaplan-Meier", "Model, within follow-up",
                                         "Model, extrapolated", "End of follow-up"]
    fig.legend(handles, labels, loc="upper left", bbox_to_anchor=(LEFT / width, 1 - 0.04 /
                                                                   height),
               ncol=math.ceil(len(labels) / 2), frameon=False,
               prop={"family": FONT, "size": TICK_SIZE},
               handlelength=2.4, columnspacing=1.2, borderaxespad=0)
    title = endpoint_title(document, param)
    _axis_titles(fig, rects[:max(1, len(dists))], rows, f"{title} (%)",
                 time_axis(s.time_unit, None), width, height)
    _note(fig, note, width)
    return fig


def _hazard_limit(ep, arms, dists) -> float:
    """The y limit: the highest smoothed hazard, or a model's within the smoothed hazard's
    span, plus 10%; at most three times the highest smoothed hazard."""
    emp = [h for a in arms for h in ep.arms[a].empirical_hazard.hazard]
    top = max(emp, default=0.0)
    model_top = 0.0
    for arm in arms:
        a = ep.arms[arm]
        eh = a.empirical_hazard
        lo, hi = (min(eh.time), max(eh.time)) if eh.time else (0.0, a.follow_up)
        for d in dists:
            m = a.models.get(d)
            if m is None:
                continue
            c = m.prediction.curve
            vals = [h for t, h in zip(c.time, c.hazard, strict=True)
                    if h is not None and lo <= t <= hi]
            model_top = max([model_top, *vals])
    limit = max(top, model_top) * 1.1
    if top > 0:
        limit = min(limit, 3 * top)
    return limit if limit > 0 else 1.0


def hazard_figure(document, param: str, *, width: float = DOUBLE) -> Figure:
    """One panel per arm: the smoothed empirical hazard against the models' hazards over
    the arm's follow-up.

    Examples
    --------
    >>> from netter.tables.specimen import specimen_extrapolation
    >>> fig = hazard_figure(specimen_extrapolation(), "OS")
    >>> [ax.get_title(loc="left") for ax in fig.axes]
    ['Drug A', 'Control']
    """
    width = max(width, DOUBLE)
    ep = document.endpoints[param]
    s = document.settings
    arms = [a for a in arm_order(document) if a in ep.arms]
    dists = shown_distributions(document, param)
    columns = max(1, min(len(arms), 3))
    limit = _hazard_limit(ep, arms, dists)
    bands = ", ".join(f"{arm_label(document, a)} "
                      f"{fmt.number(ep.arms[a].empirical_hazard.bandwidth, 1)}" for a in arms)
    notes = [f"Thick black: kernel-smoothed Nelson-Aalen hazard (Epanechnikov kernel; "
             f"bandwidth in {s.time_unit}: {bands}), drawn from one bandwidth after 0 to one "
             f"before the end of follow-up (no boundary correction). Coloured: each arm's "
             f"own models. Hazards per {s.time_unit.removesuffix('s')}; the axis stops at "
             f"{fmt.number(limit, 3)} and a model's hazard above it is cut off."]
    notes += _missing_models(document, param, dists)
    note = _note_lines(notes, width)
    height, rects, rows = _layout(max(1, len(arms)), columns, width, len(note), gap=0.7)
    fig = Figure(figsize=(width, height), dpi=100)
    for arm, rect in zip(arms, rects, strict=False):
        a = ep.arms[arm]
        ax = fig.add_axes(rect)
        for k, d in enumerate(dists):
            m = a.models.get(d)
            if m is None:
                continue
            c = m.prediction.curve
            t, h = np.asarray(c.time, dtype=float), _values(c.hazard)
            keep = t <= a.follow_up
            ax.plot(t[keep], np.minimum(h[keep], limit * 1.5), color=DIST_COLORS[
                k % len(DIST_COLORS)], linestyle=DIST_LINES[k % len(DIST_LINES)],
                linewidth=CURVE_WIDTH)
        eh = a.empirical_hazard
        ax.plot(eh.time, eh.hazard, color="black", linewidth=CURVE_WIDTH * 2.2)
        ax.set_ylim(0, limit)
        _style_axes(ax, a.follow_up, s.time_unit, ymax=limit)
        ax.set_title(plain(arm_label(document, arm)), fontsize=TICK_SIZE + 0.5,
                     family=FONT, loc="left", pad=3)
    handles = [Line2D([], [], color="black", linewidth=CURVE_WIDTH * 2.2)]
    handles += [Line2D([], [], color=DIST_COLORS[k % len(DIST_COLORS)],
                       linestyle=DIST_LINES[k % len(DIST_LINES)], linewidth=CURVE_WIDTH)
                for k in range(len(dists))]
    labels = ["Smoothed empirical"] + [plain(dist_label(document, param, d)) for d in dists]
    fig.legend(handles, labels, loc="upper left",
               bbox_to_anchor=(LEFT / width, 1 - 0.02 / height),
               ncol=min(len(labels), 5), frameon=False,
               prop={"family": FONT, "size": TICK_SIZE}, handlelength=2.4,
               columnspacing=1.0, borderaxespad=0)
    if not arms:
        rects = rects[:1]
    _axis_titles(fig, rects[:max(1, len(arms))], rows,
                 f"{endpoint_title(document, param)}: hazard per "
                 f"{s.time_unit.removesuffix('s')}",
                 time_axis(s.time_unit, None), width, height)
    _note(fig, note, width)
    return fig


def psm_figure(document, *, width: float = DOUBLE) -> Figure:
    """One panel per arm: the partitioned-survival state occupancy, stacked.

    Examples
    --------
    >>> from netter.tables.specimen import specimen_extrapolation
    >>> fig = psm_figure(specimen_extrapolation())
    >>> fig.axes[0].get_title(loc="left")
    'Drug A'
    """
    width = max(width, DOUBLE)
    psm = document.partitioned_survival
    s = document.settings
    unit = s.time_unit
    arms = [a for a in arm_order(document) if a in psm.arms]
    missing = [a for a in arm_order(document) if a not in psm.arms]
    d = fmt.time_digits(unit)
    notes = [f"Progression-free = S_PFS(t) ({plain(psm.pfs_param)}); progressed = S_OS(t) − "
             f"S_PFS(t); dead = 1 − S_OS(t) ({plain(psm.os_param)}); each arm's own models, "
             f"to the horizon ({fmt.tick(s.horizon)} {unit}). Under each panel's title: mean "
             f"time in each state. Dotted line: end of OS follow-up."]
    for arm in arms:
        occ = psm.arms[arm]
        if occ.clipped_times:
            notes.append(f"{arm_label(document, arm)}: PFS exceeded OS and was clipped to it "
                         f"at {len(occ.clipped_times)} grid times (largest excess "
                         f"{fmt.number(occ.clipped_max, 3)}).")
    if missing:
        notes.append("No partitioned survival for "
                     + ", ".join(arm_label(document, a) for a in missing) + ".")
    note = _note_lines(notes, width)
    columns = max(1, min(len(arms), 3))
    height, rects, rows = _layout(max(1, len(arms)), columns, width, len(note), gap=0.55)
    fig = Figure(figsize=(width, height), dpi=100)
    os_ep = document.endpoints.get(psm.os_param)
    for arm, rect in zip(arms, rects, strict=False):
        occ = psm.arms[arm]
        ax = fig.add_axes(rect)
        t = np.asarray(occ.time, dtype=float)
        ax.stackplot(t, _values(occ.progression_free), _values(occ.progressed),
                     _values(occ.dead), colors=[STATE_COLORS[k] for k in STATE_COLORS],
                     linewidth=0)
        if os_ep is not None and arm in os_ep.arms:
            ax.axvline(os_ep.arms[arm].follow_up, color="black", linestyle=(0, (1, 1.5)),
                       linewidth=0.6)
        means = (f"progression-free {fmt.number(occ.mean_progression_free, d)} · "
                 f"progressed {fmt.number(occ.mean_progressed, d)} · dead "
                 f"{fmt.number(occ.mean_dead, d)} {unit}")
        ax.set_title(plain(arm_label(document, arm)), fontsize=TICK_SIZE + 0.5,
                     family=FONT, loc="left", pad=12)
        ax.text(0, 1.02, means, transform=ax.transAxes, fontsize=TICK_SIZE - 0.5,
                color=GREY, family=FONT, ha="left", va="bottom")
        _style_axes(ax, s.horizon, s.time_unit)
    handles = [Patch(facecolor=STATE_COLORS[k], edgecolor="none") for k in STATE_COLORS]
    fig.legend(handles, [STATE_NAMES[k] for k in STATE_COLORS], loc="upper left",
               bbox_to_anchor=(LEFT / width, 1 - 0.04 / height), ncol=3, frameon=False,
               prop={"family": FONT, "size": TICK_SIZE}, borderaxespad=0)
    _axis_titles(fig, rects[:max(1, len(arms))], rows, "Patients in each state (%)",
                 time_axis(unit, None), width, height)
    _note(fig, note, width)
    return fig
