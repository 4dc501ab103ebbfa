"""Clean digitised points and published numbers at risk, logging every change.

Digitised points are messy: clicks slightly out of order, small upward jumps, duplicate
points, a first point not at (0, 1), points past the last time at risk.  The rules below
are applied in this order, and each change is logged as a :class:`Change` (arm, rule,
row of the file, time, value before and after).  What no click error explains is refused
(:class:`~netter.reconstruct.inputs.ReconstructionInputError`), never cleaned into a
result: reading already refused values far outside [0, 1] and times far left of 0.

1. ``clip``: a negative time becomes 0; a survival above 1 becomes 1, below 0 becomes 0.
2. ``duplicate``: a point repeating an earlier one exactly (same time and survival) is
   removed.  Points at the same time with different survival (both corners of a vertical
   step) are kept.
3. ``order``: points are sorted by time (equal times: higher survival first); each
   point that moves is logged.
4. ``start``: when the curve does not begin at (0, 1), the point (0, 1) is added.
5. ``monotone``: a survival above an earlier one is lowered to the lowest earlier value
   (running minimum).  Nothing is ever removed for being far from its neighbours, so a
   genuine large step is kept whole.  A rise larger than :data:`RISE_LIMIT` that is not
   two clicks at (nearly) the same time is an error: a Kaplan-Meier curve cannot rise,
   and no click error rises that much (a typo, or a fraction among percentages).
6. ``nobody-at-risk``: points at or after a published count of 0 are removed.
7. ``extend``: when the at-risk table has a positive count after the last point, the
   curve is extended flat to that time (with a warning).

The at-risk table is sorted by time and exact repeats are removed; it must start at
time 0 (the arm's size), and a count larger than the one before it is an error (numbers
at risk cannot increase).

Examples
--------
>>> from netter.reconstruct.inputs import CurveSource, AtRiskSource
>>> curve = CurveSource("A", "a.csv", np.array([0.2, 1.0, 0.9, 2.0]),
...                     np.array([0.99, 0.80, 0.90, 0.82]), np.array([1, 2, 3, 4]),
...                     "fraction", "")
>>> risk = AtRiskSource("A", "r.csv", np.array([0.0, 1.5]), np.array([50, 40]),
...                     np.array([2, 3]))
>>> clean = clean_curve(curve, risk)
>>> clean.time.tolist(), clean.survival.tolist()
([0.0, 0.2, 0.9, 1.0, 2.0], [1.0, 0.99, 0.9, 0.8, 0.8])
>>> [c.rule for c in clean.changes]
['order', 'start', 'monotone']
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from netter.reconstruct.inputs import (
    PERCENT_THRESHOLD,
    AtRiskSource,
    CurveSource,
    ReconstructionInputError,
)

#: A rise in survival larger than this between clicks not at the same time is an error.
RISE_LIMIT = 0.05
#: Clicks closer in time than this fraction of the curve's time span count as "the same
#: time" (two corners of one step clicked in the wrong order): their rise is not warned.
SAME_TIME_FRACTION = 0.01

CHANGE_COLUMNS = ("arm", "rule", "row", "time", "before", "after", "detail")


@dataclass(frozen=True)
class Change:
    """One change made to the inputs (``row`` 0 = a point the cleaning added)."""

    arm: str
    rule: str
    row: int
    time: float
    before: float | None
    after: float | None
    detail: str


@dataclass(frozen=True, eq=False)
class CleanCurve:
    """A digitised curve ready for reconstruction: sorted, non-increasing, from (0, 1).

    Attributes
    ----------
    arm, file : str
    time, survival : numpy.ndarray
    row : numpy.ndarray
        File row of each point; 0 for points the cleaning added.
    changes : tuple of Change
    warnings : tuple of str
    """

    arm: str
    file: str
    time: np.ndarray
    survival: np.ndarray
    row: np.ndarray
    changes: tuple
    warnings: tuple


@dataclass(frozen=True, eq=False)
class CleanAtRisk:
    """Published numbers at risk of one arm, sorted by time, starting at time 0."""

    arm: str
    file: str
    time: np.ndarray
    n_risk: np.ndarray
    changes: tuple
    warnings: tuple


def changes_frame(changes) -> pd.DataFrame:
    """The change log as a frame with :data:`CHANGE_COLUMNS`.

    Examples
    --------
    >>> changes_frame([Change("A", "start", 0, 0.0, None, 1.0, "added")]).shape
    (1, 7)
    """
    rows = [(c.arm, c.rule, c.row, c.time, c.before, c.after, c.detail) for c in changes]
    return pd.DataFrame(rows, columns=list(CHANGE_COLUMNS))


def _clip(arm, time, surv, row, changes):
    for k in np.flatnonzero(time < 0):
        changes.append(Change(arm, "clip", int(row[k]), float(time[k]), float(time[k]), 0.0,
                              "negative time set to 0"))
    for k in np.flatnonzero((surv > 1) | (surv < 0)):
        after = 1.0 if surv[k] > 1 else 0.0
        changes.append(Change(arm, "clip", int(row[k]), float(time[k]), float(surv[k]), after,
                              f"survival outside [0, 1] set to {after:g}"))
    return np.maximum(time, 0.0), np.clip(surv, 0.0, 1.0)


def _dedupe(arm, time, surv, row, changes):
    seen: set[tuple[float, float]] = set()
    keep = np.ones(time.size, dtype=bool)
    for k in range(time.size):
        key = (float(time[k]), float(surv[k]))
        if key in seen:
            keep[k] = False
            changes.append(Change(arm, "duplicate", int(row[k]), key[0], key[1], None,
                                  "exact repeat of an earlier point removed"))
        seen.add(key)
    return time[keep], surv[keep], row[keep]


def _sort(arm, time, surv, row, changes):
    """Sort by (time, -survival); log each point clicked after one that belongs later."""
    latest: tuple[float, float] | None = None
    for k in range(time.size):
        key = (float(time[k]), -float(surv[k]))
        if latest is not None and key < latest:
            changes.append(Change(arm, "order", int(row[k]), key[0], float(surv[k]),
                                  float(surv[k]), f"clicked after the point at time "
                                  f"{latest[0]:g}; moved to its place in time order"))
        latest = key if latest is None else max(latest, key)
    order = np.lexsort((-surv, time))
    return time[order], surv[order], row[order]


def _start(arm, time, surv, row, changes):
    if time.size and time[0] == 0 and surv[0] == 1:
        return time, surv, row
    first = f"first point was ({time[0]:g}, {surv[0]:g})" if time.size else "no points"
    changes.append(Change(arm, "start", 0, 0.0, None, 1.0, f"(0, 1) added; {first}"))
    return (np.concatenate(([0.0], time)), np.concatenate(([1.0], surv)),
            np.concatenate(([0], row)))


def _rise_error(curve, time, surv, row, k, low, low_time, low_row):
    column = "survival" if curve.arm_from == "column arm" else "survival (2nd)"
    percent = curve.scale == "percent"
    shown = (lambda v: f"{v * 100:g} %") if percent else (lambda v: f"{v:g}")
    low_where = f"row {low_row}" if low_row > 0 else "added by the cleaning"
    hint = " (a fraction among percentages?)" if percent and low * 100 <= PERCENT_THRESHOLD \
        else ""
    return ReconstructionInputError(
        f"{curve.file}: row {row[k]}, column {column}: arm {curve.arm!r}: value "
        f"{shown(surv[k])} at time {time[k]:g} rises by {surv[k] - low:.3g} above "
        f"{shown(low)} at time {low_time:g} ({low_where}){hint}; a Kaplan-Meier curve cannot "
        f"rise, and a rise of more than {RISE_LIMIT:g} is no click error: check the file")


def _monotone(curve, time, surv, row, changes):
    """Lower every survival above the running minimum to it; refuse large rises."""
    span = max(float(time[-1] - time[0]), np.finfo(float).tiny)
    out = surv.copy()
    low, low_time, low_row = out[0], time[0], row[0]
    for k in range(1, out.size):
        if out[k] > low:
            rise = float(out[k] - low)
            if rise > RISE_LIMIT and time[k] - low_time > SAME_TIME_FRACTION * span:
                raise _rise_error(curve, time, out, row, k, low, low_time, low_row)
            changes.append(Change(curve.arm, "monotone", int(row[k]), float(time[k]),
                                  float(out[k]), float(low), f"rise of {rise:.4g} above the "
                                  f"point at time {low_time:g}; lowered"))
            out[k] = low
        elif out[k] < low:
            low, low_time, low_row = out[k], time[k], row[k]
    return out


def _nobody_at_risk(curve, time, surv, row, risk: CleanAtRisk, changes):
    zero = risk.time[risk.n_risk == 0]
    if zero.size == 0:
        return time, surv, row
    drop = time >= zero[0]
    for k in np.flatnonzero(drop):
        changes.append(Change(curve.arm, "nobody-at-risk", int(row[k]), float(time[k]),
                              float(surv[k]), None, f"removed: the number at risk is 0 from "
                              f"time {zero[0]:g} ({risk.file})"))
    return time[~drop], surv[~drop], row[~drop]


def _extend(curve, time, surv, row, risk: CleanAtRisk, changes, warnings):
    beyond = risk.time[(risk.n_risk > 0) & (risk.time > time[-1])]
    if beyond.size == 0:
        return time, surv, row
    end = float(beyond[-1])
    listing = ", ".join(f"{t:g}" for t in beyond)
    warnings.append(f"{risk.file}: arm {curve.arm!r}: numbers at risk given at time(s) "
                    f"{listing}, beyond the last digitised point (time {time[-1]:g}); the "
                    f"curve is extended flat to {end:g}")
    changes.append(Change(curve.arm, "extend", 0, end, None, float(surv[-1]),
                          f"curve extended flat from time {time[-1]:g} to the at-risk time "
                          f"{end:g}"))
    return (np.append(time, end), np.append(surv, surv[-1]), np.append(row, 0))


def clean_curve(curve: CurveSource, risk: CleanAtRisk) -> CleanCurve:
    """Apply the cleaning rules of the module, in order, to one arm's digitised points.

    Parameters
    ----------
    curve : CurveSource
        The points as read (survival as fractions).
    risk : CleanAtRisk
        The arm's published numbers at risk (for the last two rules).

    Returns
    -------
    CleanCurve
        With the change log and the warnings.

    Examples
    --------
    >>> from netter.reconstruct.inputs import CurveSource
    >>> curve = CurveSource("A", "a.csv", np.array([0.0, 1.0, 1.0, 3.0]),
    ...                     np.array([1.02, 0.9, 0.9, 0.92]), np.array([1, 2, 3, 4]),
    ...                     "fraction", "")
    >>> risk = CleanAtRisk("A", "r.csv", np.array([0.0, 4.0]), np.array([20, 5]), (), ())
    >>> clean = clean_curve(curve, risk)
    >>> clean.time.tolist(), clean.survival.tolist(), [c.rule for c in clean.changes]
    ([0.0, 1.0, 3.0, 4.0], [1.0, 0.9, 0.9, 0.9], ['clip', 'duplicate', 'monotone', 'extend'])
    """
    changes: list[Change] = []
    warnings: list[str] = []
    arm = curve.arm
    if curve.scale == "percent":
        changes.append(Change(arm, "scale", 0, 0.0, None, None, curve.scale_note))
    time, surv = _clip(arm, curve.time.astype(float), curve.survival.astype(float),
                       curve.row, changes)
    time, surv, row = _dedupe(arm, time, surv, curve.row.astype(np.int64), changes)
    time, surv, row = _sort(arm, time, surv, row, changes)
    time, surv, row = _start(arm, time, surv, row, changes)
    surv = _monotone(curve, time, surv, row, changes)
    time, surv, row = _nobody_at_risk(curve, time, surv, row, risk, changes)
    time, surv, row = _extend(curve, time, surv, row, risk, changes, warnings)
    return CleanCurve(arm, curve.file, time, surv, row, tuple(changes), tuple(warnings))


def clean_at_risk(source: AtRiskSource) -> CleanAtRisk:
    """Sort one arm's numbers at risk by time, drop exact repeats, check the table.

    Raises
    ------
    ReconstructionInputError
        Two different counts at one time, no count at time 0, 0 at time 0, or a count
        larger than the one before it.

    Examples
    --------
    >>> src = AtRiskSource("A", "r.csv", np.array([0.0, 6.0, 3.0]), np.array([9, 5, 6]),
    ...                    np.array([2, 3, 4]))
    >>> clean_at_risk(src).n_risk.tolist()
    [9, 6, 5]
    >>> src = AtRiskSource("A", "r.csv", np.array([0.0, 3.0]), np.array([9, 10]),
    ...                    np.array([2, 3]))
    >>> clean_at_risk(src)
    Traceback (most recent call last):
    ...
    netter.reconstruct.inputs.ReconstructionInputError: r.csv: row 3, column n_risk: arm \
'A': value 10 at time 3 is more than 9 at time 0 (row 2); numbers at risk cannot increase
    """
    arm, file, changes = source.arm, source.file, []
    latest = -np.inf
    for time, row in zip(source.time, source.row, strict=True):
        if time < latest:
            changes.append(Change(arm, "order", int(row), float(time), None, None,
                                  f"listed after the row at time {latest:g}; moved to its "
                                  "place in time order"))
        latest = max(latest, time)
    order = np.argsort(source.time, kind="stable")
    time, count, row = source.time[order], source.n_risk[order], source.row[order]
    keep = np.ones(time.size, dtype=bool)
    for k in range(1, time.size):
        if time[k] == time[k - 1]:
            if count[k] != count[k - 1]:
                raise ReconstructionInputError(
                    f"{file}: rows {row[k - 1]} and {row[k]}, column n_risk: arm {arm!r} has "
                    f"two numbers at risk ({count[k - 1]} and {count[k]}) at time {time[k]:g}")
            keep[k] = False
            changes.append(Change(arm, "duplicate", int(row[k]), float(time[k]), None, None,
                                  "exact repeat of an at-risk row removed"))
    time, count, row = time[keep], count[keep], row[keep]
    if time[0] != 0:
        raise ReconstructionInputError(
            f"{file}: arm {arm!r}: no number at risk at time 0 (first row {row[0]}, time "
            f"{time[0]:g}); the count at time 0 is the arm's size")
    if count[0] == 0:
        raise ReconstructionInputError(
            f"{file}: row {row[0]}, column n_risk: arm {arm!r} has 0 at risk at time 0")
    for k in range(1, time.size):
        if count[k] > count[k - 1]:
            raise ReconstructionInputError(
                f"{file}: row {row[k]}, column n_risk: arm {arm!r}: value {count[k]} at time "
                f"{time[k]:g} is more than {count[k - 1]} at time {time[k - 1]:g} (row "
                f"{row[k - 1]}); numbers at risk cannot increase")
    return CleanAtRisk(arm, file, time, count, tuple(changes), ())


def largest_drop(curve: CleanCurve) -> tuple[float, float, float]:
    """The largest fall of a cleaned curve between two consecutive points.

    Returns ``(drop, time_before, time_after)``; cleaning never removes such a step.

    Examples
    --------
    >>> import numpy as np
    >>> c = CleanCurve("a", "f.csv", np.array([0.0, 2.0, 5.0]), np.array([1.0, 0.9, 0.5]),
    ...                np.array([0, 1, 2]), (), ())
    >>> largest_drop(c)
    (0.4, 2.0, 5.0)
    """
    drops = -np.diff(curve.survival)
    k = int(np.argmax(drops))
    return float(round(drops[k], 12)), float(curve.time[k]), float(curve.time[k + 1])

