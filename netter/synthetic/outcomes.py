"""Latent (true) outcome times of each subject, in months since randomisation.

A semi-Markov illness-death model: from randomisation a subject either progresses
(cause-specific piecewise-exponential hazard, changed on the experimental arm by the
treatment hazard ratios) or dies without progression; after progression, death follows a
hazard on the time-since-randomisation scale.  A progressed control patient may cross over
to the experimental treatment (``[crossover] probability``, after an exponential delay),
and ``[crossover] mechanic`` says what treatment does to death:

* ``"hazard_ratio"`` (the default): the experimental arm's death hazards are the control's
  times ``[death] preprogression_hazard_ratio`` / ``postprogression_hazard_ratio``, and a
  switcher's post-progression death hazard is multiplied by ``[crossover]
  death_hazard_ratio`` from the switch on.
* ``"common_effect"``: every subject has an untreated illness-death history drawn as a
  control patient's (same draws, the control hazards times the subject's covariate
  multipliers), with death ``D0``; the experimental treatment multiplies the survival time
  left when it starts by ``A = acceleration_factor``.  An experimental subject dies at
  ``A * D0`` (its progression keeps the experimental hazards, and counts only before that
  death), a control patient at ``D0``, or at ``x + A * (D0 - x)`` after switching at
  ``x < D0``.  So ``U = T_off + exp(psi) * T_on`` with ``psi = -log(A)`` gives back
  ``D0`` for everyone: the RPSFTM model (common treatment effect) holds exactly.  The
  treatment hazard ratios of ``[death]`` and ``death_hazard_ratio`` are not used.

Loss to follow-up, stopping tumour assessments, objective response onset and (when the
config has a ``[qol]`` section) QoL deterioration are drawn alongside.  Baseline strata
and covariates multiply the progression and death hazards of each subject
(:func:`covariate_multipliers`).  All draws come from named random streams, so changing
one mechanic leaves the other draws of each patient unchanged.  Both crossover mechanics
take the same draws in the same order, and the switching draws are taken whatever the
switching probability: with ``[crossover] probability = 0`` the same seed gives the same
patients with the same outcomes, except that those who would have switched die at their
untreated death (:attr:`LatentOutcomes.untreated_death`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from netter.synthetic.model import cumulative_hazard, invert_cumulative_hazard, time_after

#: Named random streams, in a fixed order (the index seeds each stream).
STREAMS = (
    "accrual", "baseline", "randomisation", "progression", "death", "postprogression",
    "crossover", "dropout", "response", "assessment", "qol", "imaging",
)


def random_streams(seed) -> dict[str, np.random.Generator]:
    """One independent generator per stream name, all derived from ``seed``.

    ``seed`` is an integer (the streams of ``netter simulate --seed``) or a
    :class:`numpy.random.SeedSequence` (the streams of one trial of a Monte Carlo run,
    :func:`trial_streams`), whose children, one per stream, seed the generators.

    Examples
    --------
    >>> streams = random_streams(2012)
    >>> float(streams["death"].random()) == float(random_streams(2012)["death"].random())
    True
    """
    if isinstance(seed, np.random.SeedSequence):
        children = [np.random.SeedSequence(seed.entropy, spawn_key=(*seed.spawn_key, i),
                                           pool_size=seed.pool_size)
                    for i in range(len(STREAMS))]
        return {name: np.random.default_rng(child) for name, child in zip(STREAMS, children,
                                                                           strict=True)}
    return {name: np.random.default_rng([seed, i]) for i, name in enumerate(STREAMS)}


def trial_seed(seed: int, trial: int) -> np.random.SeedSequence:
    """The seed of trial ``trial`` (counted from 0) of a Monte Carlo run seeded ``seed``.

    It is ``SeedSequence(seed).spawn(n)[trial]`` for any ``n > trial``: trial ``K`` of a run
    is the same trial whatever the number of trials, the batch size or the worker.

    Examples
    --------
    >>> spawned = np.random.SeedSequence(7).spawn(5)[3]
    >>> trial_seed(7, 3).generate_state(2).tolist() == spawned.generate_state(2).tolist()
    True
    """
    if int(seed) < 0 or int(trial) < 0:
        raise ValueError(f"seed and trial must be >= 0, got {seed}, {trial}")
    return np.random.SeedSequence(int(seed), spawn_key=(int(trial),))


@dataclass(frozen=True)
class LatentOutcomes:
    """True times in months (``inf`` = never), one array entry per subject.

    ``crossover`` is the switch time of the control patients who switch before they die
    (``inf`` otherwise); ``untreated_death`` is the death the subject would have had
    without ever taking the experimental treatment: ``D0`` for everyone under the
    common-effect mechanic; under the hazard-ratio mechanic the death without switching
    for the control arm, and ``nan`` on the experimental arm (no untreated history is
    drawn for it).
    """

    progression: np.ndarray
    death: np.ndarray
    crossover: np.ndarray
    dropout: np.ndarray
    assessment_stop: np.ndarray
    response_onset: np.ndarray
    response_complete: np.ndarray
    qol_deterioration: np.ndarray
    untreated_death: np.ndarray


def _rates(values, n: int, multiplier) -> np.ndarray:
    return np.outer(np.ones(n), np.asarray(values, float)) * np.asarray(multiplier)[..., None]


def covariate_multipliers(config, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per-subject hazard multipliers (progression, death) from strata and covariates.

    Each multiplier is the product of the hazard ratios of the ``[[strata]]`` and of the
    categorical and binary ``[[covariates]]`` in config order, times the per-10-unit
    hazard ratios of the normal covariates in config order.  The death multiplier acts on
    death before and after progression.

    Examples
    --------
    >>> from netter.synthetic.config import load_config
    >>> config = load_config("studies/netter1/simulation.toml")
    >>> frame = pd.DataFrame({"STRAT1R": ["2"], "STRAT2R": [">6 months"], "AGE": [73],
    ...                       "SEX": ["F"], "PRIMSITE": ["Ileum"], "LIVBURD": [">50%"],
    ...                       "ALPELFL": ["N"], "LGLESFL": ["Y"], "TUMGRD": ["G1"]})
    >>> progression, death = covariate_multipliers(config, frame)
    >>> round(float(progression[0]), 4), round(float(death[0]), 4)
    (1.74, 2.125)
    """
    from netter.synthetic.population import n_rows

    factors = (*config.strata, *config.covariates)
    progression, death = np.ones(n_rows(frame)), np.ones(n_rows(frame))
    for factor in sorted(factors, key=lambda factor: factor.continuous):  # stable sort
        progression_hr, death_hr = factor.hazard_ratios(frame)
        progression = progression * progression_hr
        death = death * death_hr
    return progression, death


def draw_outcomes(config, streams: dict, frame: pd.DataFrame, arm: np.ndarray) -> LatentOutcomes:
    """Draw every latent time for subjects with baseline ``frame`` and arm index ``arm``.

    ``arm`` is 0 for the experimental arm and 1 for the reference arm.  Without a
    ``[qol]`` section the QoL deterioration time is ``inf`` (nothing is drawn).  The
    ``[crossover] mechanic`` decides how death depends on treatment (see the module
    docstring); both mechanics take the same number of draws from the same streams, so
    the other times of every subject do not depend on it, and ``[crossover] probability``
    changes only the death and crossover times.

    Examples
    --------
    >>> from netter.synthetic.config import load_config
    >>> from netter.synthetic.trial import simulate_trial
    >>> config = load_config("studies/netter1/simulation.toml")
    >>> trial = simulate_trial(config, seed=2012)
    >>> latent, control = trial.latent, trial.subjects["arm_index"].to_numpy() == 1
    >>> bool(np.isnan(latent.untreated_death[~control]).all())
    True
    >>> stayed = control & np.isinf(latent.crossover)
    >>> bool((latent.untreated_death[stayed] == latent.death[stayed]).all())
    True
    """
    n = len(arm)
    experimental = arm == 0
    prog_mult, death_mult = covariate_multipliers(config, frame)
    pr, de = config.progression, config.death
    breaks = np.asarray(pr.breaks)

    prog_hr = np.where(experimental[:, None], np.asarray(pr.hazard_ratio)[None, :], 1.0)
    control_prog_rates = _rates(pr.control_hazard, n, prog_mult)
    prog_draw = streams["progression"].exponential(size=n)
    progression = invert_cumulative_hazard(prog_draw, breaks, control_prog_rates * prog_hr)
    death_draw = streams["death"].exponential(size=n)
    if config.crossover.mechanic == "common_effect":
        progression, death, crossover, untreated = _common_effect(
            config, streams, experimental, progression,
            invert_cumulative_hazard(prog_draw, breaks, control_prog_rates),
            invert_cumulative_hazard(death_draw, breaks,
                                     _rates(de.preprogression_hazard, n, death_mult)),
            death_mult)
    else:
        pre_mult = death_mult * np.where(experimental, de.preprogression_hazard_ratio, 1.0)
        pre_death = invert_cumulative_hazard(death_draw, breaks,
                                             _rates(de.preprogression_hazard, n, pre_mult))
        progressed = progression < pre_death
        progression = np.where(progressed, progression, np.inf)

        crossover = _crossover_times(config, streams["crossover"], progression, ~experimental)
        after, before = _post_progression_death(
            config, streams["postprogression"], progression, crossover,
            death_mult * np.where(experimental, de.postprogression_hazard_ratio, 1.0))
        death = np.where(progressed, after, pre_death)
        crossover = np.where(crossover < death, crossover, np.inf)
        untreated = np.where(experimental, np.nan, np.where(progressed, before, pre_death))

    drop = config.dropout
    dropout = streams["dropout"].exponential(size=n) / drop.hazard if drop.hazard > 0 else (
        np.full(n, np.inf))
    stop = (streams["dropout"].exponential(size=n) / drop.assessment_stop_hazard
            if drop.assessment_stop_hazard > 0 else np.full(n, np.inf))
    onset, complete = _response(config, streams["response"], arm)
    qol = config.qol
    if qol is None:
        deterioration = np.full(n, np.inf)
    else:
        qol_rates = _rates(qol.control_hazard, n, 1.0) * np.where(
            experimental[:, None], np.asarray(qol.hazard_ratio)[None, :], 1.0)
        deterioration = invert_cumulative_hazard(streams["qol"].exponential(size=n),
                                                 np.asarray(qol.breaks), qol_rates)
    return LatentOutcomes(progression, death, crossover, dropout, stop, onset, complete,
                          deterioration, untreated)


def _common_effect(config, streams, experimental, treated_progression, untreated_progression,
                   untreated_pre_death, death_mult):
    """Progression, death, crossover and untreated death under the common-effect mechanic.

    Every subject's untreated history is the reference arm's illness-death model (the
    same draws as the hazard-ratio mechanic, without any treatment hazard ratio); taking
    the experimental treatment multiplies the survival time left from then on by the
    acceleration factor ``A``: ``D = A * D0`` on the experimental arm, ``D = x + A * (D0 -
    x)`` for a reference patient who switches at ``x < D0``.
    """
    factor = config.crossover.acceleration_factor
    progressed = untreated_progression < untreated_pre_death
    untreated_progression = np.where(progressed, untreated_progression, np.inf)
    crossover = _crossover_times(config, streams["crossover"], untreated_progression,
                                 ~experimental)
    untreated_after, _ = _post_progression_death(
        config, streams["postprogression"], untreated_progression,
        np.full(len(experimental), np.inf), death_mult)
    untreated = np.where(progressed, untreated_after, untreated_pre_death)
    switches = ~experimental & (crossover < untreated)
    start = np.where(switches, crossover, 0.0)   # finite, as inf - inf is nan
    death = np.where(experimental, factor * untreated,
                     np.where(switches, start + factor * (untreated - start), untreated))
    progression = np.where(experimental, np.where(treated_progression < death,
                                                  treated_progression, np.inf),
                           untreated_progression)
    return progression, death, np.where(switches, crossover, np.inf), untreated


def _crossover_times(config, rng, progression, is_control) -> np.ndarray:
    xo = config.crossover
    n = len(progression)
    takes = rng.random(n) < xo.probability
    delay = rng.exponential(xo.delay_mean_months, size=n) if xo.delay_mean_months > 0 else (
        np.zeros(n))
    return np.where(is_control & takes & np.isfinite(progression), progression + delay, np.inf)


def _post_progression_death(config, rng, progression, crossover, multiplier
                            ) -> tuple[np.ndarray, np.ndarray]:
    """Death after progression, with and without crossover (``after``, ``before``).

    Under the hazard-ratio mechanic the hazard drops by the crossover HR from crossover
    on; ``before`` is the death of the same draw had the subject not crossed over.
    """
    de = config.death
    n = len(progression)
    breaks = np.asarray(de.postprogression_breaks)
    rates = _rates(de.postprogression_hazard, n, multiplier)
    draw = rng.exponential(size=n)
    start = np.where(np.isfinite(progression), progression, 0.0)
    before = time_after(start, draw, breaks, rates)
    crosses = np.isfinite(crossover) & (crossover < before)
    if not crosses.any():
        return before, before
    xo_start = np.where(crosses, crossover, 0.0)
    used = _segment_hazard(start, xo_start, breaks, rates)
    after = time_after(xo_start, np.maximum(draw - used, 0.0), breaks,
                       rates * config.crossover.death_hazard_ratio)
    return np.where(crosses, after, before), before


def _segment_hazard(start, end, breaks, rates) -> np.ndarray:
    return cumulative_hazard(np.maximum(end, start), breaks, rates) - cumulative_hazard(
        start, breaks, rates)


def _response(config, rng, arm) -> tuple[np.ndarray, np.ndarray]:
    res = config.response
    n = len(arm)
    responder = rng.random(n) < np.asarray(res.probability)[arm]
    onset = rng.exponential(res.onset_mean_months, size=n)
    complete = rng.random(n) < res.complete_prob
    return np.where(responder, onset, np.inf), responder & complete
