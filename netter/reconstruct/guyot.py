"""The Guyot algorithm for one arm: digitised curve + numbers at risk -> one row per patient.

Guyot P, Ades AE, Ouwens MJNM, Welton NJ. *BMC Med Res Methodol* 2012;12:9, implemented
from the paper's description.  Notation: digitised points (T_k, S_k), published numbers
at risk n_i at times t_i (t_0 = 0).  Interval i is [t_i, t_{i+1}).

Each interval with a closing count (all but the last):

1. Guess the number censored: c_i = round(n_i S(t_{i+1}) / S(t_i) - n_{i+1}), at least 0.
2. Spread the c_i censorings evenly: times t_i + j (t_{i+1} - t_i) / (c_i + 1), j = 1..c_i.
3. Walk the points of the interval, inverting the Kaplan-Meier formula at each: with
   n(T_k) at risk and KM the reconstructed survival at the last point with an event,
   d_k = round(n(T_k) (1 - S_k / KM)) events at T_k, then
   n(T_{k+1}) = n(T_k) - d_k - (censorings in [T_k, T_{k+1})).
4. If the reconstructed number at risk at t_{i+1} differs from n_{i+1} by D, change c_i
   by D and repeat from 2, until they agree (or no further change helps: then the closest
   is kept and a warning given).  The reconstructed number, not the published one,
   starts the next interval, so every patient is accounted for exactly once.

The last interval has no closing count.  Without total events its censorings are placed
at the average rate (per unit time) of the earlier intervals; with the total events of
the arm, its censorings are changed until the total agrees (if the earlier intervals
already reach the total, the last interval gets no events and no censorings).  Patients
still at risk after the last point are censored at the last point's time.

Decisions beyond the paper's text, all deterministic: ``round`` is half up
(``floor(x + 0.5)``); a point is added at every at-risk time that has none, carrying
the curve's value there, so intervals start exactly at t_i; censoring times are the
evenly spread times themselves (Guyot's R code moves them to midpoints between points);
when even no censoring leaves fewer at risk at t_{i+1} than published (the curve falls
more than the counts allow), the events of the interval's last points are held back so
that the count is met (with a warning): the curve then lies below the reconstruction
until the next interval, whose first point takes the held-back events.

Examples
--------
>>> fit = guyot([0, 1, 2, 3], [1.0, 0.9, 0.72, 0.55], [0, 1.5, 2.5], [10, 8, 5])
>>> fit.time.tolist()  # points at the at-risk times 1.5 and 2.5 added
[0.0, 1.0, 1.5, 2.0, 2.5, 3.0]
>>> fit.events.tolist(), fit.censored.tolist()
([0, 1, 0, 2, 0, 1], [1, 0, 0, 1, 0, 0])
>>> [(i.n_start, i.n_censored, i.n_events, i.n_end) for i in fit.intervals]
[(10, 1, 1, 8), (8, 1, 2, 5), (5, 0, 1, 4)]
>>> fit.patient_time.tolist()
[0.75, 1.0, 2.0, 2.0, 2.0, 3.0, 3.0, 3.0, 3.0, 3.0]
>>> fit.patient_event.tolist()
[0, 1, 1, 1, 0, 1, 0, 0, 0, 0]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class IntervalFit:
    """How one interval was reconstructed.

    Attributes
    ----------
    start, end : float
        The interval [start, end): at-risk times, or for the last interval its at-risk
        time and the last point's time.
    closed : bool
        Whether a published count closes the interval (False for the last one).
    n_start : int
        Reconstructed number at risk at ``start``.
    n_censored, n_events : int
    n_end_published : int or None
        Published count at ``end`` (None for the last interval).
    n_end : int
        Reconstructed number at risk at ``end`` (last interval: still at risk after the
        last point, censored there).
    iterations : int
        Censoring counts tried.
    """

    start: float
    end: float
    closed: bool
    n_start: int
    n_censored: int
    n_events: int
    n_end_published: int | None
    n_end: int
    iterations: int


@dataclass(frozen=True, eq=False)
class GuyotFit:
    """The reconstruction of one arm.

    Attributes
    ----------
    time, survival : numpy.ndarray
        Points used: the digitised ones plus one at each at-risk time without a point.
    inserted : numpy.ndarray of bool
        Points added at at-risk times.
    events, censored, n_risk : numpy.ndarray of int
        Per point: events at T_k, censorings in [T_k, T_{k+1}), number at risk at T_k.
    km : numpy.ndarray
        Reconstructed Kaplan-Meier survival at each point.
    censor_times : numpy.ndarray
        Times of the spread censorings (without those censored at the end).
    patient_time, patient_event : numpy.ndarray
        One entry per patient, sorted by time (events first at equal times).
    intervals : tuple of IntervalFit
    last_rule : str
        How the last interval's censorings were decided.
    warnings : tuple of str
    """

    time: np.ndarray
    survival: np.ndarray
    inserted: np.ndarray
    events: np.ndarray
    censored: np.ndarray
    n_risk: np.ndarray
    km: np.ndarray
    censor_times: np.ndarray
    patient_time: np.ndarray
    patient_event: np.ndarray
    intervals: tuple
    last_rule: str
    warnings: tuple


@dataclass(frozen=True, eq=False)
class _Run:
    """Step 3 over one interval for one censoring count."""

    events: np.ndarray
    censored: np.ndarray
    n_risk: np.ndarray
    km: np.ndarray
    km_last: float
    n_end: int
    censor_times: np.ndarray


def round_half_up(x: float) -> int:
    """Round to the nearest integer, halves up (not Python's half-to-even).

    Examples
    --------
    >>> round_half_up(2.5), round_half_up(0.49), round(2.5)
    (3, 0, 2)
    """
    return int(np.floor(x + 0.5))


def spread(start: float, end: float, count: int) -> np.ndarray:
    """``count`` times spread evenly strictly inside (start, end).

    Examples
    --------
    >>> spread(0.0, 3.0, 2).tolist()
    [1.0, 2.0]
    """
    return start + np.arange(1, count + 1) * (end - start) / (count + 1)


def _run(t, s, lo, hi, n_start, censor_times, km_last, *, events=True, floor=0) -> _Run:
    """Walk points lo..hi-1 (step 3); censorings counted in [T_k, T_{k+1}).

    Events never take the number at risk below ``floor`` (used without censorings only).
    """
    edges = t[lo:hi]
    bins = np.searchsorted(edges, censor_times, side="right") - 1
    planned = np.bincount(bins, minlength=edges.size)
    d, c, n_at, km = (np.zeros(edges.size, np.int64), np.zeros(edges.size, np.int64),
                      np.zeros(edges.size, np.int64), np.zeros(edges.size))
    kept, n = [], int(n_start)
    for j in range(edges.size):
        k = lo + j
        wanted = round_half_up(n * (1.0 - s[k] / km_last)) if events and km_last > 0 else 0
        d[j] = min(max(wanted, 0), max(n - floor, 0))  # wanted <= n as S_k >= 0
        km[j] = km_last * (1.0 - d[j] / n) if n > 0 else km_last
        c[j] = min(int(planned[j]), n - d[j])
        kept.append(censor_times[bins == j][: c[j]])
        n_at[j], n = n, n - int(d[j]) - int(c[j])
        if d[j] > 0:
            km_last = float(km[j])
    times = np.concatenate(kept) if kept else np.zeros(0)
    return _Run(d, c, n_at, km, km_last, n, times)


def _search(evaluate, first: int, top: int) -> tuple[int, object, int]:
    """Adjust the censoring count by the miss until it is 0 (step 4).

    ``evaluate(count)`` returns ``(run, miss)``; the miss is added to the count.  Stops
    at a miss of 0, at a count already tried, or at the bounds [0, top]; returns the
    count with the smallest absolute miss (the smaller count on ties), its run and the
    number of counts tried.
    """
    tried: dict[int, tuple[object, int]] = {}
    count = min(max(first, 0), top)
    while count not in tried:
        tried[count] = evaluate(count)
        miss = tried[count][1]
        if miss == 0:
            break
        count = min(max(count + miss, 0), top)
    best = min(tried, key=lambda c: (abs(tried[c][1]), c))
    return best, tried[best][0], len(tried)


def _with_boundaries(time, survival, risk_time):
    """Add a point at each at-risk time that has none, with the curve's value there."""
    t, s = np.asarray(time, float), np.asarray(survival, float)
    inserted = np.zeros(t.size, dtype=bool)
    for r in risk_time:
        pos = int(np.searchsorted(t, r, side="left"))
        if pos < t.size and t[pos] == r:
            continue
        t, s = np.insert(t, pos, r), np.insert(s, pos, s[pos - 1])
        inserted = np.insert(inserted, pos, True)
    return t, s, inserted


def _check(time, survival, risk_time, n_risk):
    t, s = np.asarray(time, float), np.asarray(survival, float)
    r, n = np.asarray(risk_time, float), np.asarray(n_risk, np.int64)
    if t.size == 0 or t[0] != 0 or s[0] != 1:
        raise ValueError("the curve must start at (0, 1)")
    if np.any(np.diff(t) < 0) or np.any(np.diff(s) > 0):
        raise ValueError("the curve must be sorted by time with non-increasing survival")
    if r.size == 0 or r[0] != 0 or np.any(np.diff(r) <= 0) or n.size != r.size:
        raise ValueError("at-risk times must start at 0 and increase, one count each")
    if np.any(n[r > t[-1]] > 0):
        raise ValueError("positive numbers at risk after the last point: extend the curve")
    return t, s, r[r <= t[-1]], n[r <= t[-1]]


class _Walk:
    """The arrays being filled, interval by interval."""

    def __init__(self, size: int):
        self.events = np.zeros(size, np.int64)
        self.censored = np.zeros(size, np.int64)
        self.n_risk = np.zeros(size, np.int64)
        self.km = np.ones(size)
        self.censor_times: list[np.ndarray] = []
        self.warnings: list[str] = []
        self.km_last = 1.0

    def store(self, lo: int, run: _Run) -> None:
        hi = lo + run.events.size
        self.events[lo:hi], self.censored[lo:hi] = run.events, run.censored
        self.n_risk[lo:hi], self.km[lo:hi] = run.n_risk, run.km
        self.censor_times.append(run.censor_times)
        self.km_last = run.km_last


def _closed(t, s, lo, hi, n_start, target, walk: _Walk, label: str) -> IntervalFit:
    """Steps 1-4 for the interval between points lo and hi (both at at-risk times)."""
    a, b = float(t[lo]), float(t[hi])

    def evaluate(count):
        run = _run(t, s, lo, hi, n_start, spread(a, b, count), walk.km_last)
        return run, run.n_end - target

    guess = round_half_up(n_start * s[hi] / s[lo] - target) if s[lo] > 0 else n_start - target
    count, run, tries = _search(evaluate, guess, n_start)
    if run.n_end < target <= n_start:
        capped = _run(t, s, lo, hi, n_start, spread(a, b, 0), walk.km_last, floor=target)
        held = int(run.events.sum() - capped.events.sum())
        run = capped
        walk.warnings.append(
            f"{label}: over [{a:g}, {b:g}) the curve falls by more than the numbers at risk "
            f"allow ({n_start} to {target} with no censoring): {held} event(s) held back "
            f"past time {b:g}")
    walk.store(lo, run)
    if run.n_end != target:
        walk.warnings.append(
            f"{label}: at time {b:g} the reconstructed number at risk is {run.n_end}, the "
            f"published {target}")
    return IntervalFit(a, b, True, int(n_start), int(run.censored.sum()),
                       int(run.events.sum()), int(target), int(run.n_end), tries)


def _last_guess(walk: _Walk, intervals, t, lo) -> tuple[int, str]:
    """Censorings in the last interval at the average rate of the earlier ones."""
    before = sum(i.n_censored for i in intervals)
    if not intervals or t[lo] <= 0:
        return 0, "no earlier interval: no censoring before the last point"
    rate = before / float(t[lo])
    count = round_half_up(rate * float(t[-1] - t[lo]))
    return count, (f"censoring at the average rate of the earlier intervals ({before} over "
                   f"[0, {t[lo]:g}))")


def _last(t, s, lo, n_start, total_events, intervals, walk: _Walk, label: str):
    """The last interval: no closing count; the stated rule, or the total events."""
    a, b = float(t[lo]), float(t[-1])
    guess, rule = _last_guess(walk, intervals, t, lo)
    before = sum(i.n_events for i in intervals)
    events = total_events is None or before < total_events

    def evaluate(count):
        run = _run(t, s, lo, t.size, n_start, spread(a, b, count), walk.km_last, events=events)
        miss = 0 if total_events is None else before + int(run.events.sum()) - total_events
        return run, miss

    if total_events is not None and not events:
        rule = (f"no events and no censoring: the {before} events before time {a:g} already "
                f"reach the total given ({total_events})")
        guess = 0
    elif total_events is not None:
        rule = f"censorings chosen so that the arm's events equal the total given ({total_events})"
    count, run, tries = _search(evaluate, guess, n_start) if events else (0, evaluate(0)[0], 1)
    walk.store(lo, run)
    reached = before + int(run.events.sum())
    if total_events is not None and reached != total_events:
        walk.warnings.append(f"{label}: reconstructed events {reached}, total given "
                             f"{total_events}")
    fit = IntervalFit(a, b, False, int(n_start), int(run.censored.sum()),
                      int(run.events.sum()), None, int(run.n_end), tries)
    return fit, rule


def guyot(time, survival, risk_time, n_risk, *, total_events: int | None = None,
          label: str = "curve") -> GuyotFit:
    """Reconstruct one arm's patients from its digitised curve and numbers at risk.

    Parameters
    ----------
    time, survival : array_like
        Cleaned digitised points: sorted by time, survival non-increasing, starting at
        (0, 1) (see :func:`netter.reconstruct.cleaning.clean_curve`).
    risk_time, n_risk : array_like
        Published numbers at risk, times increasing from 0.  Rows after the last point
        must have a count of 0 and are not used.
    total_events : int, optional
        The arm's published total events (used in the last interval).
    label : str
        Names the arm in warnings.

    Returns
    -------
    GuyotFit

    Examples
    --------
    >>> fit = guyot([0, 2, 4], [1.0, 0.75, 0.5], [0, 3], [8, 6])
    >>> fit.patient_time.tolist(), fit.patient_event.tolist()
    ([2.0, 2.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0], [1, 1, 1, 1, 0, 0, 0, 0])
    >>> guyot([0, 2, 4], [1.0, 0.75, 0.5], [0, 3], [8, 6], total_events=2).last_rule
    'no events and no censoring: the 2 events before time 3 already reach the total given (2)'
    """
    t, s, r, n = _check(time, survival, risk_time, n_risk)
    t, s, inserted = _with_boundaries(t, s, r)
    lower = np.searchsorted(t, r, side="left")
    walk, intervals, n_now = _Walk(t.size), [], int(n[0])
    for i in range(r.size - 1):
        fit = _closed(t, s, lower[i], lower[i + 1], n_now, int(n[i + 1]), walk, label)
        intervals.append(fit)
        n_now = fit.n_end
    last, rule = _last(t, s, lower[-1], n_now, total_events, intervals, walk, label)
    censor_times = np.concatenate(walk.censor_times)
    p_time = np.concatenate([np.repeat(t, walk.events), censor_times,
                             np.full(last.n_end, t[-1])])
    p_event = np.concatenate([np.ones(int(walk.events.sum()), np.int64),
                              np.zeros(censor_times.size + last.n_end, np.int64)])
    order = np.lexsort((-p_event, p_time))
    return GuyotFit(t, s, inserted, walk.events, walk.censored, walk.n_risk, walk.km,
                    censor_times, p_time[order], p_event[order], (*intervals, last), rule,
                    tuple(walk.warnings))
