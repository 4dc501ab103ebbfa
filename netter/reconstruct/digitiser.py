"""A simulated person digitising a Kaplan-Meier figure, for round trips and examples.

Given patient-level data, :func:`digitise_arm` produces what a careful person clicking a
printed Kaplan-Meier curve with a digitiser (WebPlotDigitizer, Engauge) would export:

* both corners of every visible step (the top corner at the step's time at the survival
  before it, the bottom corner at the survival after it), the start (0, 1) and the end
  of the curve;
* steps spanning less than the figure's resolution look like one drop: its top corner
  is clicked at the first step's time and its bottom corner at the last step's time;
* every click carries small normal noise in time and survival, then is rounded as
  digitisers print it; clicks stay in the order made (time order of the true curve), so
  noise can put neighbouring clicks slightly out of order;
* some clicks of small steps are missed at random; the corners of drops larger than
  ``salient`` (what the eye follows) and the end of the curve never are.

:func:`at_risk_table` gives the numbers at risk a figure prints below its curves, and
:func:`events_table` the total events per arm.

Examples
--------
>>> rng = np.random.default_rng(1)
>>> points = digitise_arm([1, 2, 3, 4], [1, 1, 0, 1], rng=rng, x_max=5.0, miss=0.0)
>>> points.shape[1], bool(points["survival"].min() < 0.3)
(2, True)
>>> at_risk_table([1, 2, 3, 4], [1, 1, 0, 1], ["a", "a", "b", "b"], [0, 2, 5])
  arm  time  n_risk
0   a   0.0       2
1   a   2.0       1
2   a   5.0       0
3   b   0.0       2
4   b   2.0       2
5   b   5.0       0
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from netter.stats.km import kaplan_meier


@dataclass(frozen=True)
class Digitiser:
    """How the simulated person works, relative to the figure's time axis [0, x_max].

    Attributes
    ----------
    resolution : float
        Steps spanning less than ``resolution * x_max`` look like one drop.
    time_sd : float
        Standard deviation of a click's time error, as a fraction of ``x_max``.
    survival_sd : float
        Standard deviation of a click's survival error (survival as a fraction).
    miss : float
        Probability that a click on a small step (or the start) is missed.
    salient : float
        Drops at least this large (survival as a fraction) are never missed.
    decimals : int
        Decimals of the exported values.
    """

    resolution: float = 0.003
    time_sd: float = 0.0015
    survival_sd: float = 0.0015
    miss: float = 0.05
    salient: float = 0.02
    decimals: int = 4


def step_corners(time, event, resolution: float = 0.0) -> pd.DataFrame:
    """The corners of the Kaplan-Meier curve's visible steps, its start and its end.

    Parameters
    ----------
    time, event : array_like
        Patient-level data of one arm.
    resolution : float
        Steps less than this time after the first step of a drop merge into that drop.

    Returns
    -------
    pandas.DataFrame
        ``time``, ``survival`` in curve order, and ``drop``: the size of the drop a corner
        belongs to (0 for the start and the end).

    Examples
    --------
    >>> step_corners([1, 2, 2.1, 4], [1, 1, 1, 0], resolution=0.5)[["time", "survival"]]
       time  survival
    0   0.0      1.00
    1   1.0      1.00
    2   1.0      0.75
    3   2.0      0.75
    4   2.1      0.25
    5   4.0      0.25
    """
    km = kaplan_meier(time, event, profile="r")
    steps = np.flatnonzero(km.n_event > 0)
    before = np.concatenate(([1.0], km.survival))[steps]
    rows = [(0.0, 1.0, 0.0)]
    k = 0
    while k < steps.size:
        j = k
        while j + 1 < steps.size and km.time[steps[j + 1]] - km.time[steps[k]] < resolution:
            j += 1
        drop = before[k] - km.survival[steps[j]]
        rows += [(km.time[steps[k]], before[k], drop),
                 (km.time[steps[j]], km.survival[steps[j]], drop)]
        k = j + 1
    rows.append((km.time[-1], km.survival[-1], 0.0))
    return pd.DataFrame(rows, columns=["time", "survival", "drop"]).astype(float)


def digitise_arm(time, event, *, rng: np.random.Generator, x_max: float,
                 how: Digitiser | None = None, miss: float | None = None) -> pd.DataFrame:
    """What a person digitising one arm's curve would export (``time``, ``survival``).

    Parameters
    ----------
    time, event : array_like
        Patient-level data of the arm.
    rng : numpy.random.Generator
        Source of the noise and the misses.
    x_max : float
        Length of the figure's time axis.
    how : Digitiser, optional
        The person's habits (default :class:`Digitiser`).
    miss : float, optional
        Overrides ``how.miss``.

    Returns
    -------
    pandas.DataFrame
        Clicks in the order made; survival as a fraction.
    """
    how = how or Digitiser()
    corners = step_corners(time, event, how.resolution * x_max)
    n = len(corners)
    t = corners["time"].to_numpy() + rng.normal(0.0, how.time_sd * x_max, n)
    s = corners["survival"].to_numpy() + rng.normal(0.0, how.survival_sd, n)
    keep = rng.random(n) >= (how.miss if miss is None else miss)
    keep |= corners["drop"].to_numpy() >= how.salient
    keep[-1] = True
    return pd.DataFrame({"time": np.round(t[keep], how.decimals),
                         "survival": np.round(s[keep], how.decimals)})


def _labels(group) -> np.ndarray:
    """Arm labels as Python strings (object array)."""
    return np.array([str(x) for x in group], dtype=object)


def digitise_trial(time, event, group, *, seed: int, x_max: float,
                   how: Digitiser | None = None) -> pd.DataFrame:
    """Digitise every arm (in sorted order) with one seeded generator: ``arm,time,survival``.

    Examples
    --------
    >>> curve = digitise_trial([1, 2, 3, 4], [1, 1, 1, 0], ["a", "b", "a", "b"], seed=3,
    ...                        x_max=5.0)
    >>> list(curve.columns), sorted(curve["arm"].unique())
    (['arm', 'time', 'survival'], ['a', 'b'])
    """
    rng = np.random.default_rng(seed)
    t, e, g = np.asarray(time, float), np.asarray(event), _labels(group)
    parts = []
    for arm in sorted(set(g)):
        points = digitise_arm(t[g == arm], e[g == arm], rng=rng, x_max=x_max, how=how)
        parts.append(points.assign(arm=arm)[["arm", "time", "survival"]])
    return pd.concat(parts, ignore_index=True)


def at_risk_table(time, event, group, times) -> pd.DataFrame:
    """Numbers at risk ``#{time >= t}`` per arm (sorted) at the given times.

    ``event`` is not needed for the counts; it is accepted so that the three
    patient-level arrays travel together.
    """
    t, g = np.asarray(time, float), _labels(group)
    if np.asarray(event).shape != t.shape:
        raise ValueError("time and event must have the same length")
    rows = [(arm, float(x), int(np.sum(t[g == arm] >= x)))
            for arm in sorted(set(g)) for x in times]
    return pd.DataFrame(rows, columns=["arm", "time", "n_risk"])


def events_table(event, group) -> pd.DataFrame:
    """Total events per arm (sorted): ``arm,events``.

    Examples
    --------
    >>> events_table([1, 0, 1], ["b", "a", "b"]).values.tolist()
    [['a', 0], ['b', 2]]
    """
    e, g = np.asarray(event).astype(int), _labels(group)
    return pd.DataFrame([(arm, int(e[g == arm].sum())) for arm in sorted(set(g))],
                        columns=["arm", "events"])
