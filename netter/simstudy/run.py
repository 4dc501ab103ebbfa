"""Many trials of each scenario, and every method's performance over them.

:func:`run_scenario` simulates and analyses trials ``0 .. N-1`` of one scenario
(:func:`netter.simstudy.trial.run_trial`), pools twins for the large-sample truth
(:func:`netter.simstudy.truth.large_sample_truth`) and summarises each method
(:func:`netter.simstudy.performance.performance`): its log hazard ratio against each
trial's truth, and for RPSFTM its psi against the true psi (common-effect mechanic
only).  :func:`run_study` does so for several scenarios.

Trials may be spread over worker processes: each trial is its own seed and the records
are gathered in trial order, so the results do not depend on the number of workers.

Examples
--------
>>> summary = summarise_method("censor", [], None, None)
>>> summary.label, summary.log_hr.n_trials
('Switchers censored at switch (naive)', 0)
"""

from __future__ import annotations

from dataclasses import dataclass

from tqdm import tqdm

from netter.simstudy.design import Design, Scenario, mechanic_settings, true_psi, truth_seeds
from netter.simstudy.oracle import ORACLE_KEYS
from netter.simstudy.performance import Performance, performance
from netter.simstudy.trial import ITT, TrialRecord, run_trial
from netter.simstudy.truth import LargeSampleTruth, large_sample_truth

#: The methods with a psi.
RPSFTM_KEYS = ("rpsftm", "rpsftm_no_recensor")
#: Most trials per task given to a worker process.
CHUNK = 5
#: Twins pooled for the large-sample truth, by default.
TRUTH_TRIALS = 100
#: What is said of psi under a mechanic without a common treatment effect.
NO_TRUE_PSI = ("no single true psi: under this mechanic the switch does not stretch survival "
               "by the experimental arm's time ratio, so RPSFTM's common treatment effect "
               "does not hold for any psi")


def method_label(key: str) -> str:
    """The words for a method key (``"itt"``: the unadjusted ITT of the trial).

    Examples
    --------
    >>> method_label("itt"), method_label("rpsftm")
    ('ITT with switching (unadjusted)', 'RPSFTM, re-censored')
    """
    from netter.endpoints.crossover import LABELS
    from netter.simstudy.oracle import ORACLE_LABELS

    if key == ITT:
        return "ITT with switching (unadjusted)"
    return ORACLE_LABELS[key] if key in ORACLE_LABELS else LABELS[key]


@dataclass(frozen=True)
class MethodSummary:
    """One method over the trials of a scenario.

    ``log_hr`` is its log hazard ratio against each trial's truth; ``large_sample`` the
    same estimates against the large-sample truth (the usual coverage of a fixed
    parameter); ``psi`` (RPSFTM only) is psi against the true psi (``None`` truth: bias
    and coverage are ``None``).
    """

    method: str
    label: str
    log_hr: Performance
    large_sample: Performance
    psi: Performance | None = None


@dataclass(frozen=True)
class ScenarioResult:
    """A scenario's trials, truths and method summaries.

    Attributes
    ----------
    scenario : Scenario
    settings : dict
        The mechanic and its settings (:func:`netter.simstudy.design.mechanic_settings`).
    true_psi : float or None
    true_psi_note : str
    large_sample : LargeSampleTruth
    truth : Performance
        The per-trial truths summarised (their mean and spread; ``n_not_estimable``:
        trials without a truth).
    trials : tuple of TrialRecord
    methods : tuple of MethodSummary
        ``"itt"`` first, then the design's methods, then (common-effect mechanic only)
        RPSFTM at the true psi (:mod:`netter.simstudy.oracle`).
    """

    scenario: Scenario
    settings: dict
    true_psi: float | None
    true_psi_note: str
    large_sample: LargeSampleTruth
    truth: Performance
    trials: tuple[TrialRecord, ...]
    methods: tuple[MethodSummary, ...]


@dataclass(frozen=True)
class StudyRun:
    """Every scenario of one run: the design, the number of trials and the base seed."""

    design: Design
    n_trials: int
    base_seed: int
    truth_trials: int
    scenarios: tuple[ScenarioResult, ...]


def summarise_method(key: str, trials, large: float | None, psi_truth: float | None,
                     ) -> MethodSummary:
    """The performance of method ``key`` over ``trials`` (:class:`TrialRecord`)."""
    rows = [t.estimates[key] for t in trials]
    truths = [t.truth for t in trials]
    estimates, lower, upper = ([getattr(r, f) for r in rows] for f in ("log_hr", "lower", "upper"))
    log_hr = performance(estimates, truths, lower=lower, upper=upper)
    against_large = performance(estimates, large, lower=lower, upper=upper)
    psi = None
    if key in RPSFTM_KEYS:
        psi = performance([r.psi for r in rows], psi_truth, lower=[r.psi_lower for r in rows],
                          upper=[r.psi_upper for r in rows])
    return MethodSummary(method=key, label=method_label(key), log_hr=log_hr,
                         large_sample=against_large, psi=psi)


def _chunk(args) -> list[TrialRecord]:
    """Worker: the records of a chunk of trial indices (one process)."""
    design, config, indices, base_seed = args
    return [run_trial(design, config, k, base_seed) for k in indices]


def _trials(design: Design, config, n_trials: int, base_seed: int, workers: int,
            progress: bool, desc: str) -> list[TrialRecord]:
    indices = list(range(n_trials))
    bar = tqdm(total=n_trials, desc=desc, unit="trial", disable=not progress)
    with bar:
        if workers <= 1 or n_trials < 2:
            out = []
            for k in indices:
                out.append(run_trial(design, config, k, base_seed))
                bar.update()
            return out
        from concurrent.futures import ProcessPoolExecutor

        size = max(1, min(CHUNK, n_trials // (2 * workers)))
        chunks = [indices[i:i + size] for i in range(0, n_trials, size)]
        out = []
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for records in pool.map(_chunk, [(design, config, c, base_seed) for c in chunks]):
                out += records
                bar.update(len(records))
        return out


def run_scenario(design: Design, scenario: Scenario, n_trials: int, base_seed: int, *,
                 truth_trials: int = TRUTH_TRIALS, workers: int = 1,
                 progress: bool = True) -> ScenarioResult:
    """Simulate and analyse ``n_trials`` trials of ``scenario``; summarise every method.

    Parameters
    ----------
    design : Design
    scenario : Scenario
    n_trials : int
        Trials ``0 .. n_trials - 1``, with seeds ``base_seed + k``.
    base_seed : int
    truth_trials : int
        Twins pooled for the large-sample truth (seeds
        :func:`netter.simstudy.design.truth_seeds`).
    workers : int
        Processes to spread the trials over (1: this one); results do not depend on it.
    progress : bool
        Progress bars on stderr.

    Returns
    -------
    ScenarioResult
    """
    if n_trials < 1 or truth_trials < 1:
        raise ValueError("a scenario needs at least one trial and one twin for the truth")
    config = scenario.config(design.config)
    trials = tuple(_trials(design, config, n_trials, base_seed, workers, progress,
                           f"{scenario.name}: trials"))
    large = large_sample_truth(design, config, truth_seeds(base_seed, truth_trials),
                               progress=progress, desc=f"{scenario.name}: pooled twins")
    psi = true_psi(config)
    keys = (ITT, *design.methods, *(ORACLE_KEYS if psi is not None else ()))
    methods = tuple(summarise_method(key, trials, large.log_hr, psi) for key in keys)
    return ScenarioResult(
        scenario=scenario, settings=mechanic_settings(config), true_psi=psi,
        true_psi_note=("-log(acceleration_factor): the common treatment effect holds by "
                       "construction" if psi is not None else NO_TRUE_PSI),
        large_sample=large, truth=performance([t.truth for t in trials]), trials=trials,
        methods=methods)


def run_study(design: Design, scenarios, n_trials: int, base_seed: int, *,
              truth_trials: int = TRUTH_TRIALS, workers: int = 1,
              progress: bool = True) -> StudyRun:
    """:func:`run_scenario` for each of ``scenarios`` (same trials, same seeds).

    Returns
    -------
    StudyRun
    """
    scenarios = tuple(scenarios)
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise ValueError(f"scenario names must differ: {names}")
    results = tuple(run_scenario(design, s, n_trials, base_seed, truth_trials=truth_trials,
                                 workers=workers, progress=progress) for s in scenarios)
    return StudyRun(design=design, n_trials=int(n_trials), base_seed=int(base_seed),
                    truth_trials=int(truth_trials), scenarios=results)
