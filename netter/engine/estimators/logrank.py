"""The (stratified) two-arm log-rank test of B trials at once, as R ``survdiff``.

Trial by trial equal to :func:`netter.stats.logrank.logrank_test` with the two
arms as groups (and the strata): observed and expected events per arm, the
variance of observed - expected and the chi-square on 1 df.  Computed from the
:class:`~netter.engine.estimators.risk_sets.EventTable` with weighted bincounts.

Examples
--------
>>> from netter.engine.estimators.batch import SurvivalBatch
>>> batch = SurvivalBatch.from_trials([[1, 2, 3, 4], [1, 2]], [[1, 1, 0, 1], [0, 0]],
...                                   [[1, 0, 1, 0], [0, 1]])
>>> res = batched_logrank(batch, stratified=False)
>>> res.expected.round(4).tolist()[0], res.chisq.round(6).tolist()
([2.1667, 0.8333], [0.058824, nan])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from netter.engine.estimators.batch import SurvivalBatch
from netter.engine.estimators.risk_sets import EventTable, event_table
from netter.stats.distributions import chi2_sf


@dataclass(frozen=True, eq=False)
class BatchedLogRank:
    """Log-rank tests of B trials (NaN where netter.stats gives ``None``).

    Attributes
    ----------
    chisq, p_value : numpy.ndarray
        (B,) statistic on 1 df and its p-value; NaN without events in both arms'
        risk sets, with an arm missing, or with zero variance.
    observed, expected : numpy.ndarray
        (B, 2) events and expected events per arm (0 = compared, 1 = reference).
    variance : numpy.ndarray
        (B,) variance of observed - expected (either arm; R ``survdiff()$var[2, 2]``).
    """

    chisq: np.ndarray
    p_value: np.ndarray
    observed: np.ndarray
    expected: np.ndarray
    variance: np.ndarray


def logrank_from_table(table: EventTable) -> BatchedLogRank:
    """The log-rank tests of the trials of an :class:`EventTable`.

    Examples
    --------
    >>> from netter.engine.estimators.batch import SurvivalBatch
    >>> b = SurvivalBatch.from_trials([[1, 2, 3]], [[1, 1, 1]], [[0, 1, 0]])
    >>> logrank_from_table(event_table(b, stratified=False)).variance.round(4).tolist()
    [0.4722]
    """
    b = table.n_trials
    n0, n1 = (table.at_risk[g].astype(np.float64) for g in (0, 1))
    d = (table.deaths[0] + table.deaths[1]).astype(np.float64)
    total = n0 + n1
    share0, share1 = n0 / total, n1 / total
    expected = np.stack([np.bincount(table.row, weights=d * s, minlength=b)
                         for s in (share0, share1)], axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(total > 1, d * (total - d) / (total - 1), 0.0)
    variance = (np.bincount(table.row, weights=w * share1, minlength=b)
                - np.bincount(table.row, weights=w * share1 * share1, minlength=b))
    observed = table.events.astype(np.float64)
    diff = observed[:, 1] - expected[:, 1]
    ok = (expected > 0).all(axis=1) & (variance > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        chisq = np.where(ok, diff * (diff / variance), np.nan)
    chisq = np.where(ok, np.maximum(chisq, 0.0), np.nan)
    return BatchedLogRank(chisq=chisq, p_value=np.where(ok, chi2_sf(chisq, 1), np.nan),
                          observed=observed, expected=expected, variance=variance)


def batched_logrank(batch: SurvivalBatch, *, stratified: bool,
                    table: EventTable | None = None) -> BatchedLogRank:
    """Log-rank test, arm 0 vs arm 1, of every trial of a batch.

    Equal, trial by trial, to ``netter.stats.logrank.logrank_test(time, event, arm,
    strata=stratum if stratified else None)`` (R ``survdiff``).

    Parameters
    ----------
    batch : SurvivalBatch
    stratified : bool
        Stratify by ``batch.stratum``.
    table : EventTable, optional
        ``event_table(batch, stratified=stratified)`` if already computed (e.g. for
        :func:`~netter.engine.estimators.cox.batched_cox` too); computed otherwise.

    Returns
    -------
    BatchedLogRank

    Examples
    --------
    >>> from netter.engine.estimators.batch import SurvivalBatch
    >>> b = SurvivalBatch.from_trials([[1, 2, 3, 3, 4, 5, 6, 7]], [[1, 1, 1, 1, 0, 1, 1, 0]],
    ...                               [[0, 1, 0, 1, 0, 1, 0, 1]])
    >>> res = batched_logrank(b, stratified=False)
    >>> round(float(res.chisq[0]), 6), res.observed.tolist()
    (0.041466, [[3.0, 3.0]])
    """
    if table is None:
        table = event_table(batch, stratified=stratified)
    return logrank_from_table(table)
