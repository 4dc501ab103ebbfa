"""The truth a crossover adjustment is judged against.

*Per-trial truth*: the ITT Cox log hazard ratio (experimental vs reference) of the
study's endpoint in the trial's twin without switching, locked at the same cut-off: the
same patients, the switchers dying at their untreated death
(:func:`netter.synthetic.trial.simulate_switching_pair`).  It is what an adjustment tries
to recover from the trial it is given, and it shares that trial's patients and censoring,
so the error of an estimate against it is the error of the method, not the trial's
sampling error.  The Cox model is fitted as ``analyze_crossover`` fits the ITT hazard
ratio: unstratified, with the study profile's ties (Efron under the ``r`` profile).

*Large-sample truth*: the same hazard ratio over many twins pooled into one data set
(one Cox model over all their subjects), i.e. the hazard ratio of the trial design
without switching; its SE shows how close to the limit it is.

Examples
--------
>>> import numpy as np
>>> from netter.simstudy.design import study_design
>>> from netter.study import load_study
>>> design = study_design(load_study("studies/netter1/study.toml"))
>>> pooled = large_sample_truth(design, design.config, seeds=(5, 6), progress=False)
>>> pooled.n_trials, pooled.n_subjects, bool(np.isfinite(pooled.log_hr))
(2, 462, True)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from tqdm import tqdm

from netter.adam.io import AdamData, load_adam_frames


def locked_adam(design, config, trial, source: str) -> AdamData:
    """``trial`` locked at the design's cut-off, validated and typed as the CSV files
    ``netter simulate`` writes would be (:func:`netter.adam.io.load_adam_frames`)."""
    from netter.synthetic.lock import lock_database

    return load_adam_frames(lock_database(config, trial, design.cutoff_date),
                            arm_var=design.arm_var, source=source)


def _tte(design, adam: AdamData):
    from netter.adam.tte import derive_tte

    tte = derive_tte(adam.adsl, adam.adtte, paramcd=design.param, arm_var=design.arm_var,
                     unit=design.time_unit)
    keep = np.isin(tte.arm, [design.reference, design.experimental])
    return tte.time[keep], tte.event[keep], tte.arm[keep]


def _cox(design, time, event, arm) -> tuple[float | None, float | None, str | None]:
    from netter.stats.cox import cox_hazard_ratio

    model = cox_hazard_ratio(time, event, arm, reference=design.reference,
                             profile=design.profile)
    effect = model.effects[0] if model.effects else None
    if effect is None or effect.coef is None:
        return None, None, (effect.not_estimable_reason if effect is not None
                            else "no comparison")
    return float(effect.coef), float(effect.se), None


def twin_truth(design, adam: AdamData) -> tuple[float | None, str | None]:
    """The ITT Cox log hazard ratio of the twin without switching, or why there is none.

    Parameters
    ----------
    design : Design
    adam : AdamData
        The twin locked at the design's cut-off (:func:`locked_adam`).

    Returns
    -------
    (float or None, str or None)
        The log hazard ratio, and the reason it is not estimable (else ``None``).

    Examples
    --------
    >>> from netter.adam.io import load_adam
    >>> from netter.simstudy.design import study_design
    >>> from netter.study import load_study
    >>> design = study_design(load_study("studies/netter1/study.toml"))
    >>> final = load_adam("data/synthetic/netter1/final")  # any locked trial (this one switches)
    >>> log_hr, reason = twin_truth(design, final)
    >>> round(float(np.exp(log_hr)), 3), reason
    (0.715, None)
    """
    log_hr, _, reason = _cox(design, *_tte(design, adam))
    return log_hr, reason


@dataclass(frozen=True)
class LargeSampleTruth:
    """The ITT log hazard ratio without switching over many pooled twins.

    Attributes
    ----------
    log_hr, se : float or None
        Log hazard ratio of one Cox model over every pooled subject, and its model SE.
    n_trials, n_subjects, n_events : int
    seeds : tuple of int
        First and last seed pooled.
    method : str
        How it was computed, in words.
    """

    log_hr: float | None
    se: float | None
    n_trials: int
    n_subjects: int
    n_events: int
    seeds: tuple[int, int]
    method: str


def large_sample_truth(design, config, seeds, *, progress: bool = True,
                       desc: str = "large-sample truth") -> LargeSampleTruth:
    """The no-switching ITT log hazard ratio over the twins of ``seeds`` pooled.

    Each seed's trial is simulated without switching
    (:func:`netter.synthetic.trial.without_switching`), locked at the design's cut-off
    and its subjects pooled with the others' into one unstratified Cox model.

    Parameters
    ----------
    design : Design
    config : TrialConfig
        The scenario's configuration (its switching is turned off here).
    seeds : sequence of int
    progress : bool
        A progress bar on stderr.
    desc : str
        The progress bar's text.
    """
    from netter.synthetic.trial import simulate_trial, without_switching

    seeds = tuple(int(s) for s in seeds)
    off = without_switching(config)
    parts = []
    for seed in tqdm(seeds, desc=desc, unit="trial", disable=not progress):
        adam = locked_adam(design, off, simulate_trial(off, seed=seed), f"seed {seed}")
        parts.append(_tte(design, adam))
    time, event, arm = (np.concatenate([p[i] for p in parts]) for i in range(3))
    log_hr, se, _ = _cox(design, time, event, arm)
    method = (f"one Cox model ({design.profile} profile ties, unstratified) over the "
              f"{len(seeds)} twins without switching of seeds {seeds[0]}-{seeds[-1]} pooled "
              f"({len(time)} subjects), each locked at cut-off {design.cutoff!r}")
    return LargeSampleTruth(log_hr=log_hr, se=se, n_trials=len(seeds), n_subjects=len(time),
                            n_events=int(np.sum(event)), seeds=(seeds[0], seeds[-1]),
                            method=method)
