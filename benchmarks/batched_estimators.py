"""Time the batched estimators of :mod:`netter.engine.estimators` on a NETTER-sized batch.

10,000 trials of 231 subjects (2 arms 1:1, 6 strata, about 70% events, times in whole
days divided by 30.4375 as the engine produces them), built from a fixed seed.  Each
estimator is timed best of 3 (wall clock); the target is stratified log-rank +
stratified Efron Cox in 1 s or less on the project's 2-core machine.

Usage::

    .venv/bin/python benchmarks/batched_estimators.py [--trials 10000] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import time

import numpy as np

from netter.engine.estimators import (
    SurvivalBatch,
    batched_clopper_pearson,
    batched_cox,
    batched_km,
    batched_logrank,
    event_table,
)

SEED = 20170112
N_SUBJECTS = 231
N_STRATA = 6


def make_batch(trials: int, seed: int = SEED) -> SurvivalBatch:
    """``trials`` NETTER-sized trials: hazard ratio 0.6, about 70% events."""
    rng = np.random.default_rng(seed)
    shape = (trials, N_SUBJECTS)
    arm = (rng.random(shape) < 0.5).astype(np.int8)
    stratum = rng.integers(0, N_STRATA, shape).astype(np.int32)
    hazard = 0.05 * np.where(arm == 0, 0.6, 1.0) * (1.0 + 0.15 * stratum)
    event_time = rng.exponential(1.0, shape) / hazard
    entry = rng.uniform(0.0, 24.0, shape)  # staggered accrual, analysis at month 40
    censor = np.minimum(40.0 - entry, rng.exponential(120.0, shape))
    days = np.ceil(np.minimum(event_time, censor) * 30.4375)
    return SurvivalBatch.from_arrays(days / 30.4375, event_time <= censor, arm, stratum)


def best_of(fn, repeat: int = 3) -> float:
    """Smallest wall-clock time of ``repeat`` calls, in seconds."""
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return float(best)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=10_000)
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    args = parser.parse_args(argv)

    batch = make_batch(args.trials)
    events = float(batch.event.mean())
    table = event_table(batch, stratified=True)
    figures = {
        "event_table_stratified": best_of(lambda: event_table(batch, stratified=True)),
        "logrank_stratified": best_of(lambda: batched_logrank(batch, stratified=True)),
        "cox_efron_stratified": best_of(
            lambda: batched_cox(batch, profile="r", stratified=True)),
        "cox_breslow_stratified": best_of(
            lambda: batched_cox(batch, profile="sas", stratified=True)),
        "logrank_plus_cox_shared_table": best_of(lambda: (
            lambda t: (batched_logrank(batch, stratified=True, table=t),
                       batched_cox(batch, profile="r", stratified=True, table=t)))(
            event_table(batch, stratified=True))),
        "logrank_unstratified": best_of(lambda: batched_logrank(batch, stratified=False)),
        "cox_efron_unstratified": best_of(
            lambda: batched_cox(batch, profile="r", stratified=False)),
        "km_median_landmarks_rmst": best_of(lambda: batched_km(
            batch, profile="r", times=(12.0, 24.0), tau=30.0)),
        "clopper_pearson": best_of(lambda: batched_clopper_pearson(
            batch.event.sum(axis=1), batch.valid.sum(axis=1), 0.95)),
    }
    figures["logrank_plus_cox_separate"] = (figures["logrank_stratified"]
                                           + figures["cox_efron_stratified"])
    cox = batched_cox(batch, profile="r", stratified=True, table=table)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    report = {
        "trials": args.trials,
        "subjects": N_SUBJECTS,
        "strata": N_STRATA,
        "event_fraction": round(events, 4),
        "cox_iterations_mean": float(cox.iterations.mean()),
        "seconds_best_of_3": {k: round(v, 4) for k, v in figures.items()},
        "peak_rss_mb": round(peak_mb, 1),
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "machine": platform.machine(),
    }
    print(f"{args.trials} trials x {N_SUBJECTS} subjects, {N_STRATA} strata, "
          f"{100 * events:.1f}% events, mean Cox iterations {report['cox_iterations_mean']:.2f}")
    for name, seconds in figures.items():
        print(f"  {name:32s} {seconds:8.3f} s")
    print(f"  peak RSS {peak_mb:.0f} MB")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(report, fh, indent=2)
            fh.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
