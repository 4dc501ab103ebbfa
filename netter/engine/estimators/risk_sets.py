"""Risk sets of B trials at once: per (trial, stratum, event time) counts by arm.

The log-rank test and the Cox model of two arms depend on the data only through,
at each distinct event time of each stratum, the numbers at risk and the events
of each arm.  :func:`event_table` computes them for every trial in one pass:
each row is sorted once by (stratum, time) with padding last (a float argsort
along the rows, then a stable radix sort of the small stratum codes), near-equal
times are merged as R's ``timefix`` (:mod:`netter.engine.estimators.ties`),
segments and tie groups are found from boundaries, and all counts are
differences of cumulative sums.  No Python loop runs over trials.

Examples
--------
>>> from netter.engine.estimators.batch import SurvivalBatch
>>> batch = SurvivalBatch.from_trials([[1, 2, 2, 3]], [[1, 1, 1, 0]], [[0, 1, 0, 1]])
>>> table = event_table(batch, stratified=False)
>>> table.time.tolist(), table.at_risk.tolist(), table.deaths.tolist()
([1.0, 2.0], [[2, 1], [2, 2]], [[1, 1], [0, 1]])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from netter.engine.estimators.batch import SurvivalBatch
from netter.engine.estimators.ties import merge_sorted_rows


@dataclass(frozen=True, eq=False)
class EventTable:
    """Counts at every (trial, stratum, distinct event time) of a batch.

    The E event times of all trials are stacked, trial by trial, stratum by
    stratum, in increasing time.  Per-arm arrays have shape (2, E): index 0 is
    arm 0 (the compared arm), 1 is arm 1 (the reference arm).

    Attributes
    ----------
    n_trials : int
        B.
    row : numpy.ndarray
        (E,) trial of each event time.
    time : numpy.ndarray
        (E,) the event time (after merging near ties).
    at_risk : numpy.ndarray
        (2, E) int: subjects of the arm and stratum with time >= the event time.
    deaths : numpy.ndarray
        (2, E) int: events of the arm at that time and stratum.
    present : numpy.ndarray
        (2, E) bool: the stratum has subjects of the arm (at any time).
    n : numpy.ndarray
        (B, 2) int: subjects per trial and arm.
    events : numpy.ndarray
        (B, 2) int: events per trial and arm.
    """

    n_trials: int
    row: np.ndarray
    time: np.ndarray
    at_risk: np.ndarray
    deaths: np.ndarray
    present: np.ndarray
    n: np.ndarray
    events: np.ndarray


def _prefix(flags: np.ndarray) -> np.ndarray:
    """Counts of ``True`` before each position (length size + 1, leading 0)."""
    out = np.zeros(flags.size + 1, dtype=np.int32)
    np.cumsum(flags, dtype=np.int32, out=out[1:])
    return out


def sort_rows(batch: SurvivalBatch, *, stratified: bool, timefix: bool = True):
    """Each row ordered by (stratum, time), padding last.

    Returns
    -------
    tuple of numpy.ndarray
        ``(order, time, stratum_key)``, each (B, n): the column order, the sorted
        times (near ties merged if ``timefix``; ``inf`` for padding) and a sort key
        of the stratum (padding gets the largest key).

    Examples
    --------
    >>> b = SurvivalBatch.from_trials([[3, 1, 2]], [[1, 1, 1]], [[0, 0, 1]], [[0, 1, 0]])
    >>> order, time, key = sort_rows(b, stratified=True)
    >>> order.tolist(), time.tolist()
    ([[2, 0, 1]], [[2.0, 3.0, 1.0]])
    """
    valid = batch.valid
    key = np.where(valid, batch.time, np.inf)
    order = np.argsort(key, axis=1)
    time = np.take_along_axis(key, order, axis=1)
    if timefix:
        time = merge_sorted_rows(time, valid.sum(axis=1))
    if not stratified:
        return order, time, np.where(np.isfinite(time), 0, 1).astype(np.int8)
    top = int(batch.stratum[valid].max(initial=0)) + 1
    dtype = np.int8 if top < 127 else np.int16 if top < 32767 else np.int64
    skey = np.where(valid, batch.stratum, top).astype(dtype)
    skey = np.take_along_axis(skey, order, axis=1)
    second = np.argsort(skey, axis=1, kind="stable")
    return (np.take_along_axis(order, second, axis=1),
            np.take_along_axis(time, second, axis=1),
            np.take_along_axis(skey, second, axis=1))


def event_table(batch: SurvivalBatch, *, stratified: bool) -> EventTable:
    """Numbers at risk and events by arm at each event time of each trial (and stratum).

    Parameters
    ----------
    batch : SurvivalBatch
    stratified : bool
        Risk sets within strata (``True``) or over the whole trial.

    Returns
    -------
    EventTable

    Examples
    --------
    >>> b = SurvivalBatch.from_trials([[1, 2, 3, 4]], [[1, 1, 1, 1]], [[0, 1, 0, 1]],
    ...                               strata=[[0, 0, 1, 1]])
    >>> t = event_table(b, stratified=True)
    >>> t.time.tolist(), t.at_risk[1].tolist(), t.present.all()
    ([1.0, 2.0, 3.0, 4.0], [1, 1, 1, 1], np.True_)
    """
    b, n = batch.shape
    order, time, skey = sort_rows(batch, stratified=stratified)
    valid = batch.valid
    arm1 = (batch.arm == 1) & valid
    # one gather of a 3-bit code instead of three: bit 1 event, bit 2 arm 1
    code = (batch.event & valid).view(np.int8) << 1
    code |= arm1.view(np.int8) << 2
    code = np.take_along_axis(code, order, axis=1).ravel()
    ev = (code & 2) != 0
    ev1 = code == 6
    time, skey = time.ravel(), skey.ravel()
    size = b * n

    # segments: runs of one stratum in a row (the padding is a segment of its own);
    # blocks: runs of one time within a segment.  Both tile the flattened array.
    seg_start = np.empty(size, dtype=bool)
    seg_start[0] = True
    np.not_equal(skey[1:], skey[:-1], out=seg_start[1:])
    seg_start[::n] = True
    blk_start = np.empty(size, dtype=bool)
    blk_start[0] = True
    np.not_equal(time[1:], time[:-1], out=blk_start[1:])
    blk_start |= seg_start

    p_arm1 = _prefix((code & 4) != 0)
    p_ev, p_ev1 = _prefix(ev), _prefix(ev1)

    seg_starts = np.flatnonzero(seg_start)
    seg_ends = np.append(seg_starts[1:], size)
    blk_starts = np.flatnonzero(blk_start)
    blk_ends = np.append(blk_starts[1:], size)
    d_all = p_ev[blk_ends] - p_ev[blk_starts]
    keep = d_all > 0
    bs, be, d_all = blk_starts[keep], blk_ends[keep], d_all[keep]
    sid = np.cumsum(seg_start, dtype=np.int32)[bs] - 1
    se = seg_ends[sid]
    n_all = se - bs  # segments with events hold subjects only
    n1 = p_arm1[se] - p_arm1[bs]
    d1 = p_ev1[be] - p_ev1[bs]
    seg_arm1 = p_arm1[seg_ends] - p_arm1[seg_starts]
    seg_arm0 = seg_ends - seg_starts - seg_arm1

    n_arm1 = ((batch.arm == 1) & valid).sum(axis=1)
    ev_arm1 = (batch.event & valid & (batch.arm == 1)).sum(axis=1)
    return EventTable(
        n_trials=b,
        row=bs // n,
        time=time[bs],
        at_risk=np.stack((n_all - n1, n1)),
        deaths=np.stack((d_all - d1, d1)),
        present=np.stack((seg_arm0[sid] > 0, seg_arm1[sid] > 0)),
        n=np.stack((valid.sum(axis=1) - n_arm1, n_arm1), axis=1),
        events=np.stack(((batch.event & valid).sum(axis=1) - ev_arm1, ev_arm1), axis=1),
    )
