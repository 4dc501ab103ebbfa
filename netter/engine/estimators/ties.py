"""R's ``timefix``, row by row: merge near-equal times of each trial.

The batched equivalent of :func:`netter.stats.logrank.merge_near_ties`, which
:func:`netter.stats.logrank.comparison_data` applies before every log-rank test and
Cox model: within a trial, successive distinct times no more than
``sqrt(machine epsilon)`` apart (absolutely, or relative to the mean absolute
distinct time) are merged into the smallest time of their run.  The scale is summed
in another order than netter.stats does, so a gap within a few ulps of the relative
tolerance could in principle be decided differently; exactly equal times (e.g. whole
days divided by 30.4375) are unaffected.

Examples
--------
>>> t = np.array([[1.0, 1.0 + 1e-12, 2.0, np.inf]])
>>> merge_sorted_rows(t, np.array([3])).tolist()
[[1.0, 1.0, 2.0, inf]]
"""

from __future__ import annotations

import numpy as np

from netter.stats.logrank import TIMEFIX_TOLERANCE


def merge_sorted_rows(sorted_time: np.ndarray, counts: np.ndarray,
                      tolerance: float = TIMEFIX_TOLERANCE) -> np.ndarray:
    """Merge near ties in rows sorted ascending (the first ``counts[b]`` entries of row b).

    Parameters
    ----------
    sorted_time : numpy.ndarray
        (B, n) times, each row sorted ascending over its first ``counts[b]`` entries
        (the rest, e.g. ``inf`` padding, is left as it is).
    counts : numpy.ndarray
        (B,) number of real entries per row.
    tolerance : float
        Absolute tolerance, and tolerance relative to the mean absolute distinct time.

    Returns
    -------
    numpy.ndarray
        ``sorted_time`` itself when nothing merges, else a merged copy.

    Examples
    --------
    >>> t = np.array([[0.0, 5.0, 5.0 + 1e-9, 5.0 + 1e-9, 7.0], [1.0, 2.0, 3.0, 4.0, 5.0]])
    >>> merge_sorted_rows(t, np.array([5, 5]))[0].tolist()
    [0.0, 5.0, 5.0, 5.0, 7.0]
    """
    b, n = sorted_time.shape
    if n < 2:
        return sorted_time
    with np.errstate(invalid="ignore"):  # inf - inf in the padding
        dy = np.diff(sorted_time, axis=1)
        # fast path: every gap exceeds tolerance * max(1, largest time) >= both criteria
        last = np.take_along_axis(sorted_time, np.maximum(counts - 1, 0)[:, None], axis=1)
        bound = tolerance * np.maximum(1.0, np.abs(last))
        if not ((dy > 0) & (dy <= bound)).any():
            return sorted_time
    inside = np.arange(n)[None, :] < counts[:, None]
    with np.errstate(invalid="ignore"):
        new = inside[:, 1:] & (dy > 0)  # a new distinct value at position k + 1
        near = new & (dy <= tolerance)
    distinct = np.concatenate((inside[:, :1], new), axis=1)
    k = distinct.sum(axis=1)
    # mean absolute distinct value (netter.stats: np.sum(np.abs(y) / y.size))
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(distinct, np.abs(sorted_time) / np.maximum(k, 1)[:, None], 0.0)
    scale = share.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        relative = np.where(scale[:, None] > 0, dy / scale[:, None], np.inf)
    near |= new & (relative <= tolerance)
    near &= (k >= 2)[:, None]
    if not near.any():
        return sorted_time
    cut = np.concatenate((np.ones((b, 1), dtype=bool), new & ~near), axis=1)
    idx = np.maximum.accumulate(np.where(cut, np.arange(n)[None, :], 0), axis=1)
    return np.where(inside, np.take_along_axis(sorted_time, idx, axis=1), sorted_time)
