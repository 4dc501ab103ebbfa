"""Lock a batch of trials at a cut-off: the ADTTE rules as array operations.

The event and censoring rules are those of :mod:`netter.synthetic.cutoffs` (the ADaM
lock of ``netter simulate``), applied to every trial of a :class:`BatchDraw` at once:
only subjects randomised by the cut-off enter, scans and deaths after it are unknown,
``AVAL = ADT - STARTDT + 1`` days and ``CNSR`` 0 = event.  The analysis time is ``AVAL``
in the study's unit, converted as :func:`netter.adam.tte.derive_tte` converts it, so the
arrays equal what ``netter analyze`` reads from the locked ADaM files.

Examples
--------
>>> import datetime as dt
>>> from netter.synthetic.config import load_config
>>> from netter.engine.simulate import simulate_batch
>>> config = load_config("studies/netter1/simulation.toml")
>>> draw = simulate_batch(config, seed=1, trials=range(2))
>>> locked = lock_batch(config, draw, dt.date(2015, 7, 24))
>>> sorted(locked), locked["PFS"].aval.shape
(['OS', 'PFS', 'TTDGHS'], (2, 231))
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from netter.adam import columns as col
from netter.synthetic.visits import CR, NEVER, PD, PR, SD

#: The adequate responses have the smallest codes: ``response <= CR`` selects them.
assert (SD, PR, CR) == (0, 1, 2) and PD > CR


@dataclass(frozen=True)
class LockedEndpoint:
    """One endpoint of B trials at one cut-off, as ADTTE would hold it.

    Attributes
    ----------
    aval : ndarray of int64
        ``AVAL`` in days, shape ``(B, n)``.
    cnsr : ndarray of int64
        ``CNSR`` (0 = event).
    valid : ndarray of bool
        The subject was randomised by the cut-off (is in ADSL).
    """

    aval: np.ndarray
    cnsr: np.ndarray
    valid: np.ndarray

    def time(self, unit: str = "months") -> np.ndarray:
        """``AVAL`` in ``unit``, as :func:`netter.adam.tte.derive_tte` converts it."""
        return col.from_days(self.aval.astype(float), unit)

    @property
    def event(self) -> np.ndarray:
        """True where ``CNSR == 0``."""
        return self.cnsr == 0


def _masked_min(day: np.ndarray, mask: np.ndarray) -> np.ndarray:
    return np.where(mask, day, NEVER).min(axis=-1, initial=NEVER)


def _masked_max(day: np.ndarray, mask: np.ndarray) -> np.ndarray:
    return np.where(mask, day, -1).max(axis=-1, initial=-1)


def lock_batch(config, draw, cutoff: dt.date) -> dict[str, LockedEndpoint]:
    """ADTTE of every trial of ``draw`` at ``cutoff``: ``{"PFS", "OS"[, "TTDGHS"]}``.

    Parameters
    ----------
    config : TrialConfig
    draw : BatchDraw
    cutoff : datetime.date

    Returns
    -------
    dict of str to LockedEndpoint
    """
    valid, cut_day = draw.at_cutoff(cutoff)
    day = draw.grid_day                                   # int32: days fit, copies halve
    seen = draw.grid_performed & (day <= cut_day.astype(np.int32)[..., None])
    response = draw.grid_response

    # PFS: first PD scan or death, censored at the last adequate scan (CR, PR or SD)
    pd_day = _masked_min(day, seen & (response == PD)).astype(np.int64)
    death = np.where(draw.death_day <= cut_day, draw.death_day, NEVER)
    adequate = _masked_max(day, seen & (response <= CR)).astype(np.int64)
    event_day = np.minimum(pd_day, death)
    has_event = event_day < NEVER
    asm = config.assessment
    allowed_gap = asm.max_missed_before_censoring * 7 * asm.interval_weeks + asm.window_days
    last_adequate = np.maximum(adequate, 0)
    late = has_event & (event_day - last_adequate > allowed_gap)
    cnsr = np.where(has_event & ~late, 0, np.where(late, 3, np.where(adequate >= 0, 1, 2)))
    pfs_day = np.where(cnsr == 0, event_day, last_adequate)
    locked = {col.PARAM_PFS: LockedEndpoint(pfs_day + 1, cnsr, valid)}

    # OS: death, censored at the last date known alive
    died = draw.death_day <= cut_day
    os_day = np.where(died, draw.death_day, np.minimum(draw.dropout_day, cut_day))
    locked[col.PARAM_OS] = LockedEndpoint(os_day + 1, np.where(died, 0, 1), valid)

    if config.qol is not None:
        done = seen & draw.grid_qol_done
        worse = _masked_min(day, done & draw.grid_qol_deteriorated).astype(np.int64)
        last = _masked_max(day, done).astype(np.int64)
        has = worse < NEVER
        qol_cnsr = np.where(has, 0, np.where(last >= 0, 1, 2))
        locked[col.PARAM_TTDGHS] = LockedEndpoint(
            np.where(has, worse, np.maximum(last, 0)) + 1, qol_cnsr, valid)
    return locked
