"""Batched survival estimators: B simulated trials at once, equal to :mod:`netter.stats`.

Every function takes a :class:`SurvivalBatch` (B trials as padded (B, n) arrays)
and returns a frozen dataclass of arrays with one entry per trial (per trial and
arm for the Kaplan-Meier summaries), NaN where :mod:`netter.stats` says "not
estimable" (``None``).  Trial by trial the numbers equal netter.stats (and so R
``survival``) to rounding; no Python loop runs over trials.

Modules
-------
batch
    :class:`SurvivalBatch`, the input (arm 0 = compared arm, arm 1 = reference arm).
ties
    R's ``timefix`` merge of near-equal times, row by row.
risk_sets
    One sort per row; numbers at risk and events by arm at every event time.
logrank
    :func:`batched_logrank` (R ``survdiff``).
cox
    :func:`batched_cox` (R ``coxph``, Efron or Breslow ties, vectorised Newton-Raphson).
km
    :func:`km_curves`: Kaplan-Meier curves of both arms as padded (B, 2, K) arrays.
quantiles
    :func:`km_quantile_batch`: median (any quantile) with the Brookmeyer-Crowley CI.
landmarks
    :func:`survival_at_batch`: S(t), SE and pointwise CI at landmark times.
rmst
    :func:`rmst_batch`: restricted mean survival time and R's SE.
summary
    :func:`batched_km`: median, landmarks and RMST in one call.
binomial
    :func:`batched_clopper_pearson`: exact binomial CIs for arrays of counts.

Examples
--------
>>> batch = SurvivalBatch.from_trials([[1, 2, 3, 3, 4, 5, 6, 7]], [[1, 1, 1, 1, 0, 1, 1, 0]],
...                                   [[1, 0, 1, 0, 1, 0, 1, 0]])
>>> round(float(batched_cox(batch, profile="r", stratified=False).hazard_ratio[0]), 6)
0.850739
"""

from netter.engine.estimators.batch import SurvivalBatch
from netter.engine.estimators.binomial import BatchedProportion, batched_clopper_pearson
from netter.engine.estimators.cox import BatchedCox, batched_cox
from netter.engine.estimators.km import KMCurves, km_curves
from netter.engine.estimators.landmarks import BatchedLandmarks, survival_at_batch
from netter.engine.estimators.logrank import BatchedLogRank, batched_logrank
from netter.engine.estimators.quantiles import BatchedQuantile, km_quantile_batch
from netter.engine.estimators.risk_sets import EventTable, event_table
from netter.engine.estimators.rmst import BatchedRmst, rmst_batch
from netter.engine.estimators.summary import BatchedKM, batched_km

__all__ = [
    "BatchedCox",
    "BatchedKM",
    "BatchedLandmarks",
    "BatchedLogRank",
    "BatchedProportion",
    "BatchedQuantile",
    "BatchedRmst",
    "EventTable",
    "KMCurves",
    "SurvivalBatch",
    "batched_clopper_pearson",
    "batched_cox",
    "batched_km",
    "batched_logrank",
    "event_table",
    "km_curves",
    "km_quantile_batch",
    "rmst_batch",
    "survival_at_batch",
]
