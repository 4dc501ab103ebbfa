"""Simulate a batch of trials as stacked arrays: trials x subjects (x scheduled scans).

Each trial is drawn from its own random streams, seeded by
:func:`netter.synthetic.outcomes.trial_seed` (``SeedSequence(seed).spawn(n)[k]``), with the
simulator's own draws (:func:`netter.synthetic.trial.draw_trial`): trial ``k`` of a run is
exactly the trial ``netter design --save-trial k`` writes as ADaM, whatever the batch it is
drawn in.  Drawing is the only step taken trial by trial (each trial has its own
generators); everything after it, up to the estimators, works on the stacked arrays.

Examples
--------
>>> from netter.synthetic.config import load_config
>>> config = load_config("studies/netter1/simulation.toml")
>>> batch = simulate_batch(config, seed=1, trials=range(3), strata=("STRAT1R", "STRAT2R"))
>>> batch.arm.shape, batch.grid_day.shape[:2], batch.trials.tolist()
((3, 231), (3, 231), [0, 1, 2])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from netter.errors import ConfigError
from netter.synthetic.outcomes import random_streams, trial_seed
from netter.synthetic.trial import draw_trial, knowable_days

#: The epoch day numbers count from.
_EPOCH = np.datetime64("1970-01-01", "D")


def day_number(date) -> int:
    """Days from 1970-01-01 to ``date`` (the scale of :attr:`BatchDraw.entry`).

    Examples
    --------
    >>> import datetime as dt
    >>> day_number(dt.date(1970, 1, 11))
    10
    """
    return int((np.datetime64(date, "D") - _EPOCH).astype(np.int64))


@dataclass(frozen=True)
class BatchDraw:
    """B simulated trials before any cut-off, stacked.

    Subject arrays are ``(B, n)``, scan arrays ``(B, n, V)``; trials with fewer subjects
    or scans are padded (``present`` / ``grid_performed`` False).

    Attributes
    ----------
    trials : ndarray of int64
        Trial numbers (counted from 0).
    present : ndarray of bool
        Which entries are subjects.
    entry : ndarray of int64
        Randomisation date as a day number (days since 1970-01-01).
    arm : ndarray of int8
        0 = experimental, 1 = reference.
    stratum : ndarray of int32
        Code of the combination of the strata levels (within a trial).
    death_day, dropout_day, crossover_day : ndarray of int64
        Study days as the sponsor can know them (``NEVER`` = never recorded).
    true_pfs, true_os, true_qol : ndarray of float
        Latent times in months before any censoring: progression or death, death,
        QoL deterioration (``inf`` = never).
    grid_day, grid_response, grid_performed, grid_qol_done, grid_qol_deteriorated
        Every scheduled scan (:class:`netter.synthetic.visits.VisitGrid`).
    """

    trials: np.ndarray
    present: np.ndarray
    entry: np.ndarray
    arm: np.ndarray
    stratum: np.ndarray
    death_day: np.ndarray
    dropout_day: np.ndarray
    crossover_day: np.ndarray
    true_pfs: np.ndarray
    true_os: np.ndarray
    true_qol: np.ndarray
    grid_day: np.ndarray
    grid_response: np.ndarray
    grid_performed: np.ndarray
    grid_qol_done: np.ndarray
    grid_qol_deteriorated: np.ndarray
    factors: dict | None = None

    def at_cutoff(self, cutoff) -> tuple[np.ndarray, np.ndarray]:
        """``(valid, cut_day)``: who is randomised by ``cutoff`` (in ADSL then) and the
        cut-off's study day for each subject (-1 for those not randomised yet).

        Examples
        --------
        >>> import datetime as dt
        >>> from netter.synthetic.config import load_config
        >>> draw = simulate_batch(load_config("studies/netter1/simulation.toml"), seed=1,
        ...                       trials=range(1))
        >>> valid, cut_day = draw.at_cutoff(dt.date(2012, 9, 6))
        >>> int(valid.sum()), int(cut_day[valid].max())
        (1, 0)
        """
        cut = day_number(cutoff)
        valid = self.present & (self.entry <= cut)
        return valid, np.where(valid, cut - self.entry, -1)

    def strata_codes(self, variables: tuple[str, ...]) -> np.ndarray:
        """Code of each subject's combination of ``variables`` (kept in ``factors``).

        Examples
        --------
        >>> from netter.synthetic.config import load_config
        >>> draw = simulate_batch(load_config("studies/netter1/simulation.toml"), seed=1,
        ...                       trials=range(2), factors=("STRAT1R", "STRAT2R"))
        >>> int(draw.strata_codes(("STRAT1R", "STRAT2R")).max()) <= 5
        True
        """
        code = np.zeros(self.arm.shape, dtype=np.int64)
        for variable in variables:
            values = self.factors[variable]
            code = code * (int(values.max()) + 1 if values.size else 1) + values
        return code.astype(np.int32)


def stratum_codes(baseline, strata: tuple[str, ...], source: str) -> np.ndarray:
    """Code of each subject's combination of the ``strata`` variables (0 without strata).

    Examples
    --------
    >>> columns = {"A": np.array(["x", "y", "x"]), "B": np.array(["1", "1", "2"])}
    >>> stratum_codes(columns, ("A", "B"), "config").tolist()
    [0, 2, 1]
    """
    from netter.synthetic.population import n_rows

    code = np.zeros(n_rows(baseline), dtype=np.int64)
    for variable in strata:
        if variable not in baseline:
            raise ConfigError(
                f"{source}: stratification variable {variable} is not simulated (the "
                f"simulator writes {', '.join(map(str, list(baseline)[1:]))})")
        levels, inverse = np.unique(np.asarray(baseline[variable]).astype(str),
                                    return_inverse=True)
        code = code * len(levels) + inverse
    return code.astype(np.int32)


def _stack(parts: list[np.ndarray], fill) -> np.ndarray:
    """Stack arrays of possibly different shapes, padding with ``fill``."""
    shape = tuple(max(p.shape[d] for p in parts) for d in range(parts[0].ndim))
    if all(p.shape == shape for p in parts):
        return np.stack(parts)
    out = np.full((len(parts), *shape), fill, dtype=parts[0].dtype)
    for i, p in enumerate(parts):
        out[(i, *(slice(0, s) for s in p.shape))] = p
    return out


def simulate_batch(config, *, seed: int, trials, strata: tuple[str, ...] = (),
                   factors: tuple[str, ...] = ()) -> BatchDraw:
    """Draw the trials numbered ``trials`` of the run seeded ``seed``.

    Parameters
    ----------
    config : TrialConfig
    seed : int
        The run's seed.
    trials : iterable of int
        Trial numbers (counted from 0), e.g. ``range(1000, 2000)``.
    strata : tuple of str
        ADSL variables whose combination is the analysis stratum.
    factors : tuple of str
        ADSL variables whose codes are kept one by one (:meth:`BatchDraw.strata_codes`).

    Returns
    -------
    BatchDraw
    """
    from netter.synthetic.visits import NEVER

    numbers = np.asarray(list(trials), dtype=np.int64)
    parts: dict[str, list[np.ndarray]] = {name: [] for name in (
        "entry", "arm", "stratum", "death_day", "dropout_day", "crossover_day", "true_pfs",
        "true_os", "true_qol", "day", "response", "performed", "qol_done", "deteriorated",
        *(f"factor:{v}" for v in factors))}
    for k in numbers.tolist():
        draw = draw_trial(config, random_streams(trial_seed(seed, k)))
        latent, grid = draw.latent, draw.grid
        days = knowable_days(latent)
        for name, value in (
                ("entry", (draw.dates - _EPOCH).astype(np.int64)),
                ("arm", draw.arm.astype(np.int8)),
                ("stratum", stratum_codes(draw.baseline, strata, str(config.source))),
                ("death_day", days["death_day"]), ("dropout_day", days["dropout_day"]),
                ("crossover_day", days["crossover_day"]),
                ("true_pfs", np.minimum(latent.progression, latent.death)),
                ("true_os", latent.death), ("true_qol", latent.qol_deterioration),
                ("day", grid.day.astype(np.int32)), ("response", grid.response),
                ("performed", grid.performed), ("qol_done", grid.qol_done),
                ("deteriorated", grid.qol_deteriorated),
                *((f"factor:{v}", stratum_codes(draw.baseline, (v,), str(config.source)))
                  for v in factors)):
            parts[name].append(value)
    present = _stack([np.ones(len(e), bool) for e in parts["entry"]], False)
    big = np.iinfo(np.int64).max // 4
    return BatchDraw(
        trials=numbers, present=present,
        entry=_stack(parts["entry"], big), arm=_stack(parts["arm"], 1),
        stratum=_stack(parts["stratum"], 0),
        death_day=_stack(parts["death_day"], NEVER),
        dropout_day=_stack(parts["dropout_day"], NEVER),
        crossover_day=_stack(parts["crossover_day"], NEVER),
        true_pfs=_stack(parts["true_pfs"], np.inf), true_os=_stack(parts["true_os"], np.inf),
        true_qol=_stack(parts["true_qol"], np.inf),
        grid_day=_stack(parts["day"], 0), grid_response=_stack(parts["response"], 0),
        grid_performed=_stack(parts["performed"], False),
        grid_qol_done=_stack(parts["qol_done"], False),
        grid_qol_deteriorated=_stack(parts["deteriorated"], False),
        factors={v: _stack(parts[f"factor:{v}"], 0) for v in factors},
    )
