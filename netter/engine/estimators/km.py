"""Kaplan-Meier curves of both arms of B trials at once, as padded (B, 2, K) arrays.

Trial by trial and arm by arm equal to :func:`netter.stats.km.kaplan_meier` (R
``survfit``): one entry per distinct observed time, ``n_risk = #{time >= t}``, the
product-limit S (the same factors multiplied in the same order, so S is bitwise
equal), Greenwood standard errors and the profile's pointwise CI
(:func:`netter.stats.km.pointwise_ci`, applied to the whole array).  Each row is
sorted once by (arm, time); the curve of (trial b, arm g) occupies
``[b, g, :length[b, g]]``, the rest is padding.  Times are not merged (netter.stats
does not merge them for Kaplan-Meier either).

Examples
--------
>>> from netter.engine.estimators.batch import SurvivalBatch
>>> b = SurvivalBatch.from_trials([[1, 2, 2, 3, 5]], [[1, 1, 0, 1, 1]], [[0, 0, 0, 0, 1]])
>>> c = km_curves(b, profile="r")
>>> c.length.tolist(), c.survival[0, 0, :3].round(4).tolist()
([[3, 1]], [0.75, 0.5, 0.0])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from netter.engine.estimators.batch import SurvivalBatch
from netter.profiles import Profile
from netter.stats.km import greenwood_terms, pointwise_ci, resolve_profile


@dataclass(frozen=True, eq=False)
class KMCurves:
    """Kaplan-Meier curves per trial and arm (arm 0 = compared, arm 1 = reference).

    Attributes
    ----------
    profile : Profile
        The profile the curves were made with (its options decide how they are read).
    n, events : numpy.ndarray
        (B, 2) subjects and events.
    length : numpy.ndarray
        (B, 2) number of distinct times of the curve (0 for an empty arm).
    time : numpy.ndarray
        (B, 2, K) distinct times, ascending; ``inf`` in the padding.
    n_risk, n_event : numpy.ndarray
        (B, 2, K) int: ``#{time >= t}`` and events at ``t``; 0 in the padding.
    survival : numpy.ndarray
        (B, 2, K) S(t); carried on (constant) in the padding.
    std_err_log_surv, std_err : numpy.ndarray
        (B, 2, K) Greenwood SE of -log S (``inf`` where S = 0) and of S (NaN there).
    ci_lower, ci_upper : numpy.ndarray
        (B, 2, K) the profile's pointwise CI (NaN where netter.stats gives NaN).
    """

    profile: Profile
    n: np.ndarray
    events: np.ndarray
    length: np.ndarray
    time: np.ndarray
    n_risk: np.ndarray
    n_event: np.ndarray
    survival: np.ndarray
    std_err_log_surv: np.ndarray
    std_err: np.ndarray
    ci_lower: np.ndarray
    ci_upper: np.ndarray

    @property
    def inside(self) -> np.ndarray:
        """(B, 2, K) bool: which entries belong to a curve (not padding)."""
        return np.arange(self.time.shape[-1]) < self.length[..., None]


def _ci(surv, se_log, prof: Profile):
    edges = getattr(prof, "ci_edges", "na")
    kwargs = {} if edges == "na" else {"edges": edges}
    return pointwise_ci(surv, se_log, conf_type=prof.conf_type, conf_level=prof.conf_level,
                        **kwargs)


def km_curves(batch: SurvivalBatch, *, profile: Profile | str) -> KMCurves:
    """The Kaplan-Meier curve of each arm of each trial.

    Parameters
    ----------
    batch : SurvivalBatch
    profile : Profile or str
        CI transform, level and edges (``ci_transform``, ``conf_level``, ``ci_edges``),
        and the reading rules kept for :mod:`~netter.engine.estimators.quantiles`,
        :mod:`~netter.engine.estimators.landmarks` and
        :mod:`~netter.engine.estimators.rmst`.

    Returns
    -------
    KMCurves

    Examples
    --------
    >>> from netter.engine.estimators.batch import SurvivalBatch
    >>> b = SurvivalBatch.from_trials([[1, 2, 2, 3, 4]], [[1, 1, 0, 1, 0]], [[1] * 5])
    >>> c = km_curves(b, profile="sas")
    >>> c.n_risk[0, 1].tolist(), round(float(c.ci_lower[0, 1, 0]), 6), c.n.tolist()
    ([5, 4, 2, 1], 0.203809, [[0, 5]])
    """
    prof = resolve_profile(profile)
    b, n = batch.shape
    valid = batch.valid
    key = np.where(valid, batch.time, np.inf)
    order = np.argsort(key, axis=1)
    akey = np.take_along_axis(np.where(valid, batch.arm, 2).astype(np.int8), order, axis=1)
    second = np.argsort(akey, axis=1, kind="stable")
    order = np.take_along_axis(order, second, axis=1)
    akey = np.take_along_axis(akey, second, axis=1).ravel()
    time = np.take_along_axis(key, order, axis=1).ravel()
    ev = np.take_along_axis(batch.event & valid, order, axis=1).ravel()
    size = b * n

    seg_start = np.empty(size, dtype=bool)
    seg_start[0] = True
    np.not_equal(akey[1:], akey[:-1], out=seg_start[1:])
    seg_start[::n] = True
    blk_start = np.empty(size, dtype=bool)
    blk_start[0] = True
    np.not_equal(time[1:], time[:-1], out=blk_start[1:])
    blk_start |= seg_start
    blk_start &= akey < 2  # padding forms no blocks
    p_ev = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(ev, out=p_ev[1:])

    seg_starts = np.flatnonzero(seg_start)
    seg_ends = np.append(seg_starts[1:], size)
    seg_of = np.cumsum(seg_start) - 1
    bs = np.flatnonzero(blk_start)
    be = np.append(bs[1:], size)
    sid = seg_of[bs]
    be = np.minimum(be, seg_ends[sid])
    row, arm = bs // n, akey[bs].astype(np.intp)
    j = np.arange(bs.size) - np.searchsorted(bs, seg_starts)[sid]  # block within its curve
    k = int(j.max()) + 1 if j.size else 1
    length = np.bincount(2 * row + arm, minlength=2 * b).reshape(b, 2)
    t = np.full((b, 2, k), np.inf)
    n_risk = np.zeros((b, 2, k), dtype=np.int64)
    n_event = np.zeros((b, 2, k), dtype=np.int64)
    t[row, arm, j] = time[bs]
    n_risk[row, arm, j] = seg_ends[sid] - bs
    n_event[row, arm, j] = p_ev[be] - p_ev[bs]

    inside = np.arange(k) < length[..., None]
    factor = np.where(inside, (n_risk - n_event) / np.maximum(n_risk, 1), 1.0)
    surv = np.cumprod(factor, axis=-1)
    se_log = np.sqrt(np.cumsum(greenwood_terms(n_risk, n_event), axis=-1))
    se = np.full(surv.shape, np.nan)
    np.multiply(surv, se_log, out=se, where=np.isfinite(se_log))
    lower, upper = _ci(surv, se_log, prof)

    arm1 = (batch.arm == 1) & valid
    n1, e1 = arm1.sum(axis=1), (arm1 & batch.event).sum(axis=1)
    return KMCurves(
        profile=prof,
        n=np.stack((valid.sum(axis=1) - n1, n1), axis=1),
        events=np.stack(((batch.event & valid).sum(axis=1) - e1, e1), axis=1),
        length=length, time=t, n_risk=n_risk, n_event=n_event, survival=surv,
        std_err_log_surv=se_log, std_err=se, ci_lower=lower, ci_upper=upper)
