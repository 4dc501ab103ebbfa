"""Simulate one trial as its config describes it: who enters, which arm, what truly happens.

Examples
--------
>>> from netter.synthetic.config import load_config
>>> trial = simulate_trial(load_config("studies/netter1/simulation.toml"), seed=2012)
>>> len(trial.subjects), sorted(trial.subjects["arm"].value_counts())
(231, [114, 117])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from netter.synthetic import population
from netter.synthetic.config import override_config
from netter.synthetic.outcomes import LatentOutcomes, draw_outcomes, random_streams
from netter.synthetic.visits import NEVER, VisitGrid, months_to_day, visit_grid, visits_frame


@dataclass(frozen=True)
class SimulatedTrial:
    """The complete truth of one simulated trial, before any data cut-off.

    Attributes
    ----------
    subjects : DataFrame
        One row per randomised subject in randomisation order: identifiers, randomisation
        date, arm, strata, baseline covariates, the true study day (0 = randomisation) of
        progression, and the study days of death, crossover and loss to follow-up as far as
        they can be known (an event after loss to follow-up is never recorded; 1e9 = never).
    visits : DataFrame
        One row per performed scan (see :func:`netter.synthetic.visits.schedule_visits`).
    seed : int or numpy.random.SeedSequence
    latent : LatentOutcomes
        The true times in months, in the order of ``subjects`` (including what no
        sponsor sees: events after loss to follow-up, each subject's untreated death).
    grid : VisitGrid
        Every scheduled scan as arrays (``visits`` lists the performed ones).
    """

    subjects: pd.DataFrame
    visits: pd.DataFrame
    seed: int
    latent: LatentOutcomes | None = None
    grid: VisitGrid | None = None


@dataclass(frozen=True)
class SwitchingPair:
    """One simulated trial and its twin without switching: same seed, same patients.

    ``no_switching`` is simulated from the same config with ``[crossover] probability =
    0``: every subject has the same baseline, arm, progression and untreated death, and
    everything else is the same too for the subjects who do not switch.  The control
    patients who switch in ``trial`` die in ``no_switching`` at their untreated death
    (``no_switching.latent.death == trial.latent.untreated_death`` on the control arm;
    their scans after that death are not done), which is what a switching adjustment
    tries to estimate.
    """

    trial: SimulatedTrial
    no_switching: SimulatedTrial


def knowable_days(latent) -> dict[str, np.ndarray]:
    """Study days of death, crossover and loss to follow-up as the sponsor can know them.

    A death or crossover after a subject is lost to follow-up is never recorded (1e9).
    """
    dropout = months_to_day(latent.dropout)
    death, crossover = months_to_day(latent.death), months_to_day(latent.crossover)
    return {
        "death_day": np.where(death <= dropout, death, NEVER),
        "crossover_day": np.where(crossover <= dropout, crossover, NEVER),
        "dropout_day": np.where(death <= dropout, NEVER, dropout),
    }


def _imaging_end_days(config, rng: np.random.Generator, dates: np.ndarray) -> np.ndarray:
    """Study day after the first cut-off from which central imaging stops (or NEVER)."""
    first_cut_day = (np.datetime64(config.cutoffs.dates[0], "D") - dates).astype(np.int64)
    stops = rng.random(len(dates)) < config.dropout.imaging_stop_at_first_cutoff
    return np.where(stops & (first_cut_day >= 0), first_cut_day + 1, NEVER)


@dataclass(frozen=True)
class TrialDraw:
    """What one trial's random streams give, as arrays (no data frames of subjects yet).

    Attributes
    ----------
    dates : ndarray of datetime64[D]
        Randomisation dates, in randomisation order.
    baseline : dict of str to ndarray
        Site, strata and covariates by column
        (:func:`netter.synthetic.population.baseline_columns`).
    arm : ndarray of int
        0 = experimental, 1 = reference.
    latent : LatentOutcomes
    grid : VisitGrid
        Every scheduled scan up to the last cut-off.
    """

    dates: np.ndarray
    baseline: dict
    arm: np.ndarray
    latent: LatentOutcomes
    grid: VisitGrid


def draw_trial(config, streams: dict) -> TrialDraw:
    """Draw one trial from its random streams (:func:`~netter.synthetic.outcomes.random_streams`).

    Examples
    --------
    >>> from netter.synthetic.config import load_config
    >>> config = load_config("studies/netter1/simulation.toml")
    >>> draw = draw_trial(config, random_streams(2012))
    >>> len(draw.dates), draw.grid.day.shape == draw.grid.performed.shape
    (231, True)
    """
    dates = population.accrual_dates(config, streams["accrual"])
    frame, arm = population.strata_and_allocation(config, streams, dates)
    latent = draw_outcomes(config, streams, frame, arm)
    last_cut = np.datetime64(config.cutoffs.dates[-1], "D")
    horizon = (last_cut - dates).astype(np.int64)
    grid = visit_grid(config, streams["assessment"], latent, horizon,
                      _imaging_end_days(config, streams["imaging"], dates))
    return TrialDraw(dates=dates, baseline=frame, arm=arm, latent=latent, grid=grid)


def simulate_trial(config, *, seed=None) -> SimulatedTrial:
    """Simulate the trial described by ``config`` with ``seed`` (default: the config's).

    Parameters
    ----------
    config : TrialConfig
    seed : int or numpy.random.SeedSequence, optional
        An integer seed (``netter simulate``), or the seed of one trial of a Monte Carlo
        run (:func:`netter.synthetic.outcomes.trial_seed`).

    Returns
    -------
    SimulatedTrial

    Examples
    --------
    >>> from netter.synthetic.config import load_config
    >>> config = load_config("studies/netter1/simulation.toml")
    >>> trial = simulate_trial(config, seed=1)
    >>> trial.seed, trial.subjects["usubjid"].iloc[0].startswith(config.trial.studyid)
    (1, True)
    """
    if seed is None:
        seed = config.trial.seed
    elif not isinstance(seed, np.random.SeedSequence):
        seed = int(seed)
    draw = draw_trial(config, random_streams(seed))
    frame, arm, latent = pd.DataFrame(draw.baseline), draw.arm, draw.latent
    n = len(draw.dates)
    arms = config.arms
    seq = np.arange(1, n + 1)
    subjects = frame.assign(
        usubjid=[f"{config.trial.studyid}-{site:03d}-{i:04d}"
                 for site, i in zip(frame["site"], seq, strict=True)],
        subjid=[f"{i:04d}" for i in seq],
        randdt=draw.dates,
        arm_index=arm,
        arm=np.asarray(arms.labels, dtype=object)[arm],
        armcd=np.asarray(arms.codes, dtype=object)[arm],
        progression_day=months_to_day(latent.progression),
        **knowable_days(latent),
    )
    return SimulatedTrial(subjects=subjects, visits=visits_frame(draw.grid), seed=seed,
                          latent=latent, grid=draw.grid)


def without_switching(config):
    """``config`` with ``[crossover] probability = 0`` (no control patient switches).

    Examples
    --------
    >>> from netter.synthetic.config import load_config
    >>> config = load_config("studies/netter1/simulation.toml")
    >>> without_switching(config).crossover.probability, config.crossover.probability
    (0.0, 0.46)
    """
    return override_config(config, {"crossover.probability": 0.0})


def simulate_switching_pair(config, *, seed: int | None = None) -> SwitchingPair:
    """Simulate ``config`` with ``seed`` and the same trial without switching.

    Parameters
    ----------
    config : TrialConfig
        Change the crossover mechanic first if needed, e.g. ``override_config(config,
        {"crossover.mechanic": "common_effect", "crossover.acceleration_factor": 1.5})``
        (:func:`netter.synthetic.config.override_config`).
    seed : int, optional
        Default: the config's.

    Returns
    -------
    SwitchingPair

    Examples
    --------
    >>> from netter.synthetic.config import load_config, override_config
    >>> config = override_config(load_config("studies/netter1/simulation.toml"), {
    ...     "crossover.mechanic": "common_effect", "crossover.acceleration_factor": 1.5})
    >>> pair = simulate_switching_pair(config, seed=2012)
    >>> on, off = pair.trial.latent, pair.no_switching.latent
    >>> switched = np.isfinite(on.crossover)
    >>> int(switched.sum()) > 0, bool(np.isinf(off.crossover).all())
    (True, True)
    >>> bool((off.death == on.untreated_death)[(on.death != off.death)].all())
    True
    """
    return SwitchingPair(trial=simulate_trial(config, seed=seed),
                         no_switching=simulate_trial(without_switching(config), seed=seed))
