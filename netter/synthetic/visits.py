"""Scheduled tumour assessments and QoL questionnaires, and what each one shows.

Imaging is scheduled every ``interval_weeks`` from randomisation, each visit falling
uniformly within +/- ``window_days`` of its target day.  A scan may be missed (no record)
or not evaluable (``NE``).  An evaluable scan on or after the true progression day reads
``PD`` (assessments stop there); otherwise ``CR``/``PR`` from the response onset on, else
``SD``.  Assessments stop at death, loss to follow-up or withdrawal from imaging.  A QoL
questionnaire accompanies each performed scan (it may be missed) and shows deterioration
from the latent deterioration day on; without a ``[qol]`` section in the config no
questionnaire is done (``qol_done`` is False everywhere).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from netter.adam.columns import DAYS_PER_MONTH

#: Study day standing for "never" (an event that does not happen or is never recorded).
NEVER = 10**9


def months_to_day(months: np.ndarray) -> np.ndarray:
    """Whole study day (0 = randomisation) on which a latent time in months falls.

    ``inf`` becomes :data:`NEVER`, so comparisons keep working.

    Examples
    --------
    >>> months_to_day(np.array([0.0, 1.0, np.inf])).tolist()
    [0, 30, 1000000000]
    """
    days = np.asarray(months, float) * DAYS_PER_MONTH
    return np.where(np.isfinite(days), np.minimum(np.floor(days), NEVER), NEVER).astype(np.int64)


#: Overall response a scan shows, as the small integers of :class:`VisitGrid` (index = code).
RESPONSES = ("SD", "PR", "CR", "PD", "NE")
SD, PR, CR, PD, NE = range(len(RESPONSES))


@dataclass(frozen=True)
class VisitGrid:
    """Every scheduled scan of every subject, as ``(n subjects, n visits)`` arrays.

    Attributes
    ----------
    day : ndarray of int64
        Study day of the scan (0 = randomisation).
    response : ndarray of int8
        Code into :data:`RESPONSES` of what the scan shows.
    performed : ndarray of bool
        The scan was done (not missed, before death, loss to follow-up, withdrawal from
        imaging and the horizon, and not after the first ``PD`` seen).
    qol_done, qol_deteriorated : ndarray of bool
        The questionnaire of the visit was completed / shows the deterioration.
    weeks : int
        Weeks between scheduled scans (visit ``j`` counted from 0 is week ``(j + 1) * weeks``).
    """

    day: np.ndarray
    response: np.ndarray
    performed: np.ndarray
    qol_done: np.ndarray
    qol_deteriorated: np.ndarray
    weeks: int


def visit_grid(config, rng: np.random.Generator, latent, horizon_days: np.ndarray,
               imaging_end_days: np.ndarray, n_visits: int | None = None) -> VisitGrid:
    """Draw and read every scheduled scan (see :func:`schedule_visits`).

    ``n_visits`` (default: enough for the longest horizon) fixes the number of scheduled
    visits; a larger one draws more random numbers, so keep the default to keep a seed's
    scans.

    Examples
    --------
    >>> from netter.synthetic.config import load_config
    >>> from netter.synthetic.trial import simulate_trial
    >>> config = load_config("studies/netter1/simulation.toml")
    >>> grid = simulate_trial(config, seed=1).grid
    >>> grid.day.shape[0], int(grid.performed.sum()) == len(simulate_trial(config, seed=1).visits)
    (231, True)
    """
    asm = config.assessment
    interval = 7 * asm.interval_weeks
    n = len(horizon_days)
    if n_visits is None:
        n_visits = int(horizon_days.max() // interval) + 2 if n else 1
    target = interval * np.arange(1, n_visits + 1)[None, :]
    day = target + rng.integers(-asm.window_days, asm.window_days + 1, size=(n, n_visits))
    missed = rng.random((n, n_visits)) < asm.missed_prob
    not_evaluable = rng.random((n, n_visits)) < asm.not_evaluable_prob
    qol_missed = (np.ones((n, n_visits), bool) if config.qol is None
                  else rng.random((n, n_visits)) < config.qol.missed_prob)

    end = np.minimum.reduce([months_to_day(latent.death), months_to_day(latent.dropout),
                             months_to_day(latent.assessment_stop), imaging_end_days])
    performed = ~missed & (day < end[:, None]) & (day <= horizon_days[:, None])
    progressed = day >= months_to_day(latent.progression)[:, None]
    responding = day >= months_to_day(latent.response_onset)[:, None]
    status = np.where(responding, np.where(latent.response_complete[:, None], CR, PR), SD)
    status = np.where(progressed, PD, status)
    status = np.where(not_evaluable, NE, status).astype(np.int8)
    pd_seen = performed & (status == PD)
    first_pd = np.where(pd_seen.any(axis=1), pd_seen.argmax(axis=1), n_visits)
    performed &= np.arange(n_visits)[None, :] <= first_pd[:, None]
    deteriorated = day >= months_to_day(latent.qol_deterioration)[:, None]
    return VisitGrid(day=day, response=status, performed=performed, qol_done=~qol_missed,
                     qol_deteriorated=deteriorated, weeks=asm.interval_weeks)


def visits_frame(grid: VisitGrid) -> pd.DataFrame:
    """One row per performed scan of ``grid`` (the layout of :func:`schedule_visits`)."""
    subject, visit = np.nonzero(grid.performed)
    return pd.DataFrame({
        "subject": subject,
        "visit": visit + 1,
        "week": (visit + 1) * grid.weeks,
        "day": grid.day[subject, visit],
        "response": np.asarray(RESPONSES, dtype=object)[grid.response[subject, visit]],
        "qol_done": grid.qol_done[subject, visit],
        "qol_deteriorated": grid.qol_deteriorated[subject, visit],
    })


def schedule_visits(config, rng: np.random.Generator, latent, horizon_days: np.ndarray,
                    imaging_end_days: np.ndarray) -> pd.DataFrame:
    """One row per performed scan: subject index, visit number, study day, response, QoL.

    Parameters
    ----------
    config : TrialConfig
    rng : numpy.random.Generator
        The ``assessment`` stream.
    latent : LatentOutcomes
    horizon_days : ndarray
        Last study day of interest per subject (the last cut-off).
    imaging_end_days : ndarray
        Study day from which a subject's central imaging stops for administrative reasons
        (1e9 = never).
    """
    return visits_frame(visit_grid(config, rng, latent, horizon_days, imaging_end_days))
