"""Run a design: chunks of trials simulated, locked and analysed as arrays; in process or on Dask.

A run is cut into chunks of consecutive trial numbers per scenario.  A chunk is a pure
function of its task (:func:`run_chunk`): the scenario's configuration, the run's seed and
its trial numbers, so it gives the same arrays wherever it runs.  Chunks are gathered and
concatenated in task order, so the results are byte-identical whatever the chunk size, the
number of workers, or whether Dask is used.

Examples
--------
>>> from netter.study import load_study
>>> from netter.engine.design import build_scenarios, design_spec
>>> spec = design_spec(load_study("studies/netter2/study.toml"))
>>> run = run_design(spec, build_scenarios(), trials=4, seed=1, chunk_size=3, progress=False)
>>> run.rows["hazard_ratio"].shape, run.n_trials
((8,), 4)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from netter.engine.derive import lock_batch
from netter.engine.estimators import (
    SurvivalBatch,
    batched_cox,
    batched_km,
    batched_logrank,
)
from netter.engine.response import BOR_CR, BOR_PR, best_response
from netter.engine.simulate import simulate_batch
from netter.profiles import get_profile

#: Trials per chunk (the unit of work of a worker, and of memory: ~60 kB per trial).
CHUNK_SIZE = 500


@dataclass(frozen=True)
class ChunkTask:
    """One chunk of work: trials ``start <= k < stop`` of one scenario."""

    scenario: int
    config: object
    seed: int
    start: int
    stop: int
    strata: tuple[str, ...]
    params: tuple[str, ...]
    cutoffs: tuple[tuple[str, dt.date], ...]
    landmarks: dict
    rmst_tau: dict
    profile: str
    time_unit: str
    swap_arms: bool


@dataclass(frozen=True)
class ChunkResult:
    """Per-trial estimates of one chunk: ``rows`` arrays in trial x cut-off x endpoint order
    (see :data:`ROW_FIELDS`), landmark survival ``(trials, 2, times)`` per (cut-off index,
    endpoint), each endpoint's latent times by arm (for the truth), and the objective
    response rate ``(trials, 2)`` per cut-off index (confirmed BOR CR or PR, RECIST 1.1
    rules of :mod:`netter.engine.response`)."""

    scenario: int
    start: int
    rows: dict
    landmarks: dict
    latent: dict
    responses: dict


#: The per-row arrays of a run (one row per trial x cut-off x endpoint).
ROW_FIELDS = ("n", "events", "logrank_chisq", "logrank_p", "hazard_ratio", "hr_lower",
              "hr_upper", "median", "rmst")


def _analysis_batch(endpoint, draw, spec_arms: np.ndarray, unit: str) -> SurvivalBatch:
    return SurvivalBatch(time=endpoint.time(unit), event=endpoint.event, arm=spec_arms,
                         stratum=draw.stratum, valid=endpoint.valid)


def run_chunk(task: ChunkTask) -> ChunkResult:
    """Simulate, lock and analyse the trials of ``task`` (a pure function of ``task``)."""
    from netter.adam import columns as col

    profile = get_profile(task.profile)
    draw = simulate_batch(task.config, seed=task.seed, trials=range(task.start, task.stop),
                          strata=task.strata)
    arm = (1 - draw.arm if task.swap_arms else draw.arm).astype(np.int8)
    b = len(draw.trials)
    per_cut = []
    for _, date in task.cutoffs:
        locked = lock_batch(task.config, draw, date)
        for param in task.params:
            batch = _analysis_batch(locked[param], draw, arm, task.time_unit)
            logrank = batched_logrank(batch, stratified=bool(task.strata))
            cox = batched_cox(batch, profile=profile, stratified=bool(task.strata))
            tau = task.rmst_tau.get(param)
            km = batched_km(batch, profile=profile, times=task.landmarks[param], tau=tau)
            rmst = km.rmst if tau is not None else np.full((b, 2), np.nan)
            per_cut.append({
                "n": batch.valid.sum(axis=1), "events": (batch.event & batch.valid).sum(axis=1),
                "logrank_chisq": logrank.chisq, "logrank_p": logrank.p_value,
                "hazard_ratio": cox.hazard_ratio, "hr_lower": cox.ci_lower,
                "hr_upper": cox.ci_upper, "median": km.median, "rmst": rmst,
                "landmark": km.survival})
    responses = {}
    for c, (_, date) in enumerate(task.cutoffs):
        codes = best_response(draw, date)
        valid, _ = draw.at_cutoff(date)
        responder = valid & ((codes == BOR_CR) | (codes == BOR_PR))
        with np.errstate(invalid="ignore", divide="ignore"):
            responses[c] = np.stack([(responder & (arm == a)).sum(axis=1)
                                     / (valid & (arm == a)).sum(axis=1) for a in (0, 1)], axis=1)
    # rows in trial x (cut-off x endpoint) order
    rows = {name: np.stack([part[name] for part in per_cut], axis=1).reshape(
        (b * len(per_cut), *np.shape(per_cut[0][name])[1:])) for name in ROW_FIELDS}
    landmarks = {(c, param): per_cut[c * len(task.params) + j]["landmark"]
                 for c in range(len(task.cutoffs)) for j, param in enumerate(task.params)}
    truths = {col.PARAM_PFS: draw.true_pfs, col.PARAM_OS: draw.true_os,
              col.PARAM_TTDGHS: draw.true_qol}
    latent = {param: tuple(truths[param][draw.present & (arm == a)] for a in (0, 1))
              for param in task.params}
    return ChunkResult(scenario=task.scenario, start=task.start, rows=rows,
                       landmarks=landmarks, latent=latent, responses=responses)


@dataclass(frozen=True)
class DesignRun:
    """Every per-trial estimate of a run: ``rows`` concatenated in scenario x trial x
    cut-off x endpoint order; ``landmarks[scenario][(cut-off index, endpoint)]`` of shape
    ``(trials, 2, times)``; the pooled latent times per scenario, endpoint and arm;
    ``responses[scenario][cut-off index]``: objective response rates ``(trials, 2)``."""

    spec: object
    scenarios: tuple
    n_trials: int
    seed: int
    rows: dict
    landmarks: dict
    latent: dict
    responses: dict


def tasks_of(spec, scenarios, configs, *, trials: int, seed: int,
             chunk_size: int = CHUNK_SIZE) -> list[ChunkTask]:
    """The chunk tasks of a run, in output order."""
    return [ChunkTask(scenario=i, config=config, seed=seed, start=start,
                      stop=min(start + chunk_size, trials), strata=spec.strata,
                      params=spec.params, cutoffs=spec.cutoffs, landmarks=spec.landmarks,
                      rmst_tau=spec.rmst_tau, profile=spec.profile, time_unit=spec.time_unit,
                      swap_arms=spec.swap_arms)
            for i, config in enumerate(configs) for start in range(0, trials, chunk_size)]


def _in_process(tasks, bar):
    for task in tasks:
        result = run_chunk(task)
        bar.update(task.stop - task.start)
        yield result


def _on_dask(tasks, bar, client):
    from distributed import as_completed

    futures = client.map(run_chunk, tasks, pure=False)
    for future in as_completed(futures):
        task = tasks[futures.index(future)]
        bar.update(task.stop - task.start)
    return client.gather(futures)


def run_design(spec, scenarios, *, trials: int, seed: int, chunk_size: int = CHUNK_SIZE,
               client=None, progress: bool = True) -> DesignRun:
    """Run ``trials`` trials of every scenario (``client``: a ``distributed.Client``).

    Parameters
    ----------
    spec : DesignSpec
    scenarios : list of Scenario
    trials : int
        Trials per scenario (numbered 0 .. trials - 1).
    seed : int
    chunk_size : int
        Trials per chunk; does not change the results.
    client : distributed.Client, optional
        Run the chunks on this Dask cluster instead of in this process.
    progress : bool
        Show a progress bar of trials done (on standard error).

    Returns
    -------
    DesignRun
    """
    from tqdm import tqdm

    from netter.engine.design import check_scenarios

    if trials < 1:
        raise ValueError(f"--trials must be at least 1, got {trials}")
    configs = check_scenarios(spec, scenarios)
    tasks = tasks_of(spec, scenarios, configs, trials=trials, seed=seed, chunk_size=chunk_size)
    with tqdm(total=trials * len(scenarios), desc="trials", unit="trial", disable=not progress,
              leave=False) as bar:
        results = list(_in_process(tasks, bar) if client is None
                       else _on_dask(tasks, bar, client))
    rows = {name: np.concatenate([r.rows[name] for r in results]) for name in ROW_FIELDS}
    latent, landmarks, responses = {}, {}, {}
    for i in range(len(scenarios)):
        mine = [r for r in results if r.scenario == i]
        latent[i] = {param: tuple(np.concatenate([r.latent[param][a] for r in mine])
                                  for a in (0, 1)) for param in spec.params}
        landmarks[i] = {key: np.concatenate([r.landmarks[key] for r in mine])
                        for key in mine[0].landmarks}
        responses[i] = {key: np.concatenate([r.responses[key] for r in mine])
                        for key in mine[0].responses}
    return DesignRun(spec=spec, scenarios=tuple(scenarios), n_trials=trials, seed=seed,
                     rows=rows, landmarks=landmarks, latent=latent, responses=responses)
