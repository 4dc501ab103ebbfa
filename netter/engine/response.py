"""Best overall response of B trials at a cut-off, from the scans as arrays (RECIST 1.1).

The rules of :func:`netter.adam.response.derive_best_response` (the ``OVR`` records of
ADRS), applied to every subject of every trial at once: scans after randomisation and
on or before the cut-off count, up to and including the first ``PD`` (in date order); a
confirmed ``CR`` needs two ``CR`` at least ``confirm_days`` apart, a confirmed ``PR``
two ``CR``/``PR``; ``SD`` needs a ``CR``/``PR``/``SD`` on study day ``>= sd_min_days``
(study day = ``ADT - RANDDT + 1``); then ``PD``, else ``NE``.  Within a subject's scans
sorted by date, some pair ``i < j`` is ``confirm_days`` apart exactly when the first and
the last are, which is what makes the rule an array operation.

Examples
--------
>>> import datetime as dt
>>> from netter.synthetic.config import load_config
>>> from netter.engine.simulate import simulate_batch
>>> config = load_config("studies/netter1/simulation.toml")
>>> draw = simulate_batch(config, seed=1, trials=range(2))
>>> bor = best_response(draw, dt.date(2015, 7, 24))
>>> bor.shape, sorted(set(np.unique(bor).tolist()) - set(range(len(BOR_CODES))))
((2, 231), [])
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from netter.synthetic.visits import CR, NE, PD, PR, SD

#: Best overall responses, by code.
BOR_CODES = ("CR", "PR", "SD", "PD", "NE")
BOR_CR, BOR_PR, BOR_SD, BOR_PD, BOR_NE = range(len(BOR_CODES))


def _span(day: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per subject: number of masked scans and (last - first) day among them."""
    count = mask.sum(axis=-1)
    first = np.where(mask, day, np.iinfo(np.int32).max).min(axis=-1)
    last = np.where(mask, day, np.iinfo(np.int32).min).max(axis=-1)
    return count, np.where(count > 0, last.astype(np.int64) - first, -1)


def best_response(draw, cutoff: dt.date, *, confirm: bool = True, confirm_days: int = 28,
                  sd_min_days: int = 42) -> np.ndarray:
    """BOR code (index into :data:`BOR_CODES`) of every subject of ``draw`` at ``cutoff``.

    Subjects randomised after the cut-off get ``NE`` (they are not in ADSL; leave them
    out with the lock's ``valid``).
    """
    _, cut_day = draw.at_cutoff(cutoff)
    day = draw.grid_day
    seen = draw.grid_performed & (day >= 1) & (day <= cut_day.astype(np.int32)[..., None])
    response = draw.grid_response
    # scans are in date order when visit windows do not overlap (the simulator's config
    # checks require it); sort them otherwise
    if (day[..., 1:] < day[..., :-1]).any():
        order = np.argsort(np.where(seen, day, np.iinfo(np.int32).max), axis=-1,
                           kind="stable")
        day = np.take_along_axis(day, order, axis=-1)
        seen = np.take_along_axis(seen, order, axis=-1)
        response = np.take_along_axis(response, order, axis=-1)
    is_pd = seen & (response == PD)
    counted = seen & ((np.cumsum(is_pd, axis=-1) - is_pd) == 0)   # up to the first PD

    cr = counted & (response == CR)
    responding = counted & ((response == CR) | (response == PR))
    if confirm:
        n_cr, span_cr = _span(day, cr)
        n_resp, span_resp = _span(day, responding)
        is_cr = (n_cr >= 2) & (span_cr >= confirm_days)
        is_pr = (n_resp >= 2) & (span_resp >= confirm_days)
    else:
        is_cr = cr.any(axis=-1)
        is_pr = (counted & (response == PR)).any(axis=-1)
    adequate = counted & (response != PD) & (response != NE)
    assert (SD, PR, CR) == (0, 1, 2)   # adequate = CR, PR or SD
    is_sd = (adequate & (day + 1 >= sd_min_days)).any(axis=-1)
    is_pd_any = (counted & (response == PD)).any(axis=-1)
    return np.select([is_cr, is_pr, is_sd, is_pd_any], [BOR_CR, BOR_PR, BOR_SD, BOR_PD],
                     BOR_NE).astype(np.int8)


def mantel_haenszel_odds_ratio(responder: np.ndarray, arm: np.ndarray, stratum: np.ndarray,
                               valid: np.ndarray) -> np.ndarray:
    """Mantel-Haenszel common odds ratio (arm 0 vs arm 1) of every trial; NaN where
    :func:`netter.stats.contingency.mantel_haenszel` gives ``None`` (0/0 or infinite).

    Strata with fewer than 2 subjects are left out, as R ``mantelhaen.test`` requires.

    Examples
    --------
    >>> r = np.array([[1, 0, 1, 1, 0, 0]], bool)
    >>> a = np.array([[0, 0, 0, 1, 1, 1]])
    >>> s = np.zeros((1, 6), int)
    >>> mantel_haenszel_odds_ratio(r, a, s, np.ones((1, 6), bool)).round(6).tolist()
    [4.0]
    """
    b_trials, _ = arm.shape
    n_strata = int(stratum.max()) + 1 if stratum.size else 1
    key = (np.arange(b_trials)[:, None] * n_strata + stratum)[valid]
    size = b_trials * n_strata

    def count(mask):
        return np.bincount(key, weights=mask[valid].astype(float), minlength=size).reshape(
            b_trials, n_strata)

    a = count(responder & (arm == 0))
    n1 = count(arm == 0)
    c = count(responder & (arm == 1))
    n2 = count(arm == 1)
    n = n1 + n2
    keep = n >= 2
    with np.errstate(divide="ignore", invalid="ignore"):
        top = np.where(keep, a * (n2 - c) / np.where(keep, n, 1.0), 0.0).sum(axis=1)
        bottom = np.where(keep, (n1 - a) * c / np.where(keep, n, 1.0), 0.0).sum(axis=1)
        ratio = top / bottom
    return np.where(np.isfinite(ratio), ratio, np.nan)
