"""Benchmark of the Monte Carlo engine (``netter design``), with R and lifelines side by side.

    .venv/bin/python benchmarks/engine.py [--trials 10000] [--out reports/benchmarks]

Measures, on the study's own simulator (default: studies/netter1):

1. the analysis of N pre-simulated trials (PFS at the first cut-off: stratified log-rank
   and stratified Efron Cox HR), batched, best of 3;
2. the same trials looped in R ``survival`` (``benchmarks/engine.R``: survdiff + coxph per
   trial) and in lifelines (``CoxPHFitter(strata=...)`` + ``logrank_test`` per trial, on a
   subset, scaled to N), with the agreement of the hazard ratios;
3. simulation plus analysis end to end, N trials at every cut-off and endpoint
   (``run_design``), in this process and on a 2-worker Dask LocalCluster;
4. the study's calibration (every target) over 1,000 trials on the engine;
5. peak resident memory, and the machine's load average at each step.

Writes ``OUT/engine.json`` and ``OUT/engine.md``; prints the table.  Not a test: the
figures depend on the machine, which is why they are committed with its load.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from netter.engine.derive import lock_batch  # noqa: E402
from netter.engine.design import build_scenarios, design_spec  # noqa: E402
from netter.engine.estimators import SurvivalBatch, batched_cox, batched_logrank  # noqa: E402
from netter.engine.run import run_design  # noqa: E402
from netter.engine.simulate import simulate_batch  # noqa: E402
from netter.study import load_study  # noqa: E402


def _seconds(value) -> str:
    return "-" if value is None else f"{value:.3f} s"


def _load() -> float:
    return os.getloadavg()[0]


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _timed(fn, repeat: int = 1):
    best, value = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - start)
    return best, value


def pfs_batch(spec, trials: int, seed: int) -> SurvivalBatch:
    """PFS at the first cut-off of ``trials`` trials of the study's design."""
    parts = []
    for start in range(0, trials, 500):
        draw = simulate_batch(spec.config, seed=seed, trials=range(start, min(start + 500,
                                                                             trials)),
                              strata=spec.strata)
        locked = lock_batch(spec.config, draw, spec.cutoffs[0][1])["PFS"]
        arm = 1 - draw.arm if spec.swap_arms else draw.arm
        parts.append((locked.time(spec.time_unit), locked.event, arm, draw.stratum,
                      locked.valid))
    return SurvivalBatch(*(np.concatenate([p[i] for p in parts]) for i in range(5)))


def _long_rows(batch: SurvivalBatch, trials) -> list[str]:
    lines = ["trial,time,event,arm,stratum"]
    for b in trials:
        keep = batch.valid[b]
        for t, e, a, s in zip(batch.time[b][keep], batch.event[b][keep], batch.arm[b][keep],
                              batch.stratum[b][keep], strict=True):
            lines.append(f"{b},{float(t)!r},{int(e)},{int(a)},{int(s)}")
    return lines


def r_loop(batch: SurvivalBatch, n: int, work: Path):
    """Seconds of R's loop over the first ``n`` trials, and its hazard ratios."""
    data, out = work / "trials.csv", work / "r.csv"
    data.write_text("\n".join(_long_rows(batch, range(n))) + "\n")
    result = subprocess.run(["Rscript", str(ROOT / "benchmarks" / "engine.R"), str(data),
                             str(out)], capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"Rscript failed:\n{result.stderr}")
    import pandas as pd

    return float(result.stdout.strip().splitlines()[-1]), pd.read_csv(out)["hr"].to_numpy()


def lifelines_loop(batch: SurvivalBatch, n: int):
    """Seconds of lifelines' loop over the first ``n`` trials, and its hazard ratios."""
    import warnings

    import pandas as pd
    from lifelines import CoxPHFitter
    from lifelines.statistics import logrank_test

    hrs = []
    start = time.perf_counter()
    for b in range(n):
        keep = batch.valid[b]
        frame = pd.DataFrame({"time": batch.time[b][keep], "event": batch.event[b][keep],
                              "arm": (batch.arm[b][keep] == 0).astype(float),
                              "stratum": batch.stratum[b][keep]})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            logrank_test(frame.time[frame.arm == 1], frame.time[frame.arm == 0],
                         frame.event[frame.arm == 1], frame.event[frame.arm == 0])
            fit = CoxPHFitter().fit(frame, "time", "event", strata=["stratum"])
        hrs.append(float(np.exp(fit.params_["arm"])))
    return time.perf_counter() - start, np.array(hrs)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--study", default="netter1")
    parser.add_argument("--trials", type=int, default=10_000)
    parser.add_argument("--r-trials", type=int, default=None, help="default: all")
    parser.add_argument("--lifelines-trials", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", default=str(ROOT / "reports" / "benchmarks"))
    args = parser.parse_args(argv)
    spec = design_spec(load_study(args.study))
    n = args.trials
    figures: dict = {"study": spec.study_id, "trials": n, "cpus": os.cpu_count(),
                     "subjects_per_trial": None}
    rows = []

    def row(label, seconds, load, note=""):
        rows.append((label, seconds, load, note))
        print(f"| {label} | {_seconds(seconds)} | {load:.2f} | {note} |", flush=True)

    load = _load()
    seconds, batch = _timed(lambda: pfs_batch(spec, n, args.seed))
    figures["subjects_per_trial"] = int(batch.valid.sum(axis=1).max())
    row(f"simulate and lock {n} trials (PFS, first cut-off)", seconds, load)

    load = _load()
    t_lr, _ = _timed(lambda: batched_logrank(batch, stratified=True), repeat=3)
    t_cox, cox = _timed(lambda: batched_cox(batch, profile=spec.profile, stratified=True),
                        repeat=3)
    figures["batched_logrank_s"], figures["batched_cox_s"] = t_lr, t_cox
    row(f"batched stratified log-rank, {n} trials", t_lr, load)
    row(f"batched stratified Cox (Efron), {n} trials", t_cox, load)
    row(f"batched analysis total, {n} trials", t_lr + t_cox, load,
        f"{(t_lr + t_cox) / n * 1e6:.1f} us per trial")

    with tempfile.TemporaryDirectory() as tmp:
        r_n = args.r_trials or n
        load = _load()
        t_r, r_hr = r_loop(batch, r_n, Path(tmp))
        per_trial_r = t_r / r_n
        figures["r_loop_s"], figures["r_trials"] = t_r, r_n
        agree = float(np.nanmax(np.abs(r_hr - cox.hazard_ratio[:r_n]) /
                                np.abs(cox.hazard_ratio[:r_n])))
        figures["r_max_rel_diff_hr"] = agree
        ratio = per_trial_r * n / (t_lr + t_cox)
        figures["speedup_vs_r"] = ratio
        row(f"R survival loop (survdiff + coxph), {r_n} trials", t_r, load,
            f"{per_trial_r * 1e3:.2f} ms per trial; batched is {ratio:.0f}x faster; HR max "
            f"rel. diff {agree:.1e}")

    load = _load()
    l_n = args.lifelines_trials
    t_l, l_hr = lifelines_loop(batch, l_n)
    per_trial_l = t_l / l_n
    figures["lifelines_loop_s"], figures["lifelines_trials"] = t_l, l_n
    figures["lifelines_max_rel_diff_hr"] = float(np.max(np.abs(l_hr - cox.hazard_ratio[:l_n]) /
                                                        cox.hazard_ratio[:l_n]))
    figures["speedup_vs_lifelines"] = per_trial_l * n / (t_lr + t_cox)
    row(f"lifelines loop (logrank_test + CoxPHFitter), {l_n} trials", t_l, load,
        f"{per_trial_l * 1e3:.1f} ms per trial; batched is "
        f"{figures['speedup_vs_lifelines']:.0f}x faster; HR max rel. diff "
        f"{figures['lifelines_max_rel_diff_hr']:.1e}")

    batch = cox = None   # free the batch before the end-to-end runs
    scenarios = build_scenarios()
    load = _load()
    t_e2e, _ = _timed(lambda: run_design(spec, scenarios, trials=n, seed=args.seed,
                                         progress=False))
    figures["end_to_end_s"] = t_e2e
    row(f"end to end in process: {n} trials x {len(spec.cutoffs)} cut-offs x "
        f"{len(spec.params)} endpoints", t_e2e, load, f"{t_e2e / n * 1e3:.2f} ms per trial")

    from distributed import Client, LocalCluster

    load = _load()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        t_dask, _ = _timed(lambda: run_design(spec, scenarios, trials=n, seed=args.seed,
                                              client=client, progress=False))
    figures["end_to_end_dask2_s"] = t_dask
    row(f"end to end on a 2-worker Dask LocalCluster, {n} trials", t_dask, load)
    from netter.scorecard.calibration import run_calibration

    study = load_study(args.study)
    load = _load()
    t_cal, summary = _timed(lambda: run_calibration(study, seeds=range(1, 1001),
                                                    progress=False))
    figures["calibration_1000_s"] = t_cal
    row("calibration, 1000 trials, every target of the study (engine)", t_cal, load,
        f"{len(summary.rows)} targets")
    figures["peak_rss_mib"] = _rss_mib()
    row("peak resident memory of this process", None, _load(),
        f"{figures['peak_rss_mib']:.0f} MiB")

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "engine.json").write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
    lines = ["# Monte Carlo engine: measured", "",
             f"`benchmarks/engine.py --trials {n}` on {os.cpu_count()} cores; study "
             f"{spec.study_id}, {figures['subjects_per_trial']} subjects per trial; "
             "the load column is the 1-minute load average before each step.", "",
             "| step | time | load | note |", "|---|---|---|---|"]
    lines += [f"| {label} | {_seconds(seconds)} | {load:.2f} | {note} |"
              for label, seconds, load, note in rows]
    (out / "engine.md").write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
