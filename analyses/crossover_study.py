"""Crossover adjustment against the simulator's truth (``make crossover-study``).

How well do the crossover adjustments of ``netter crossover`` recover the effect the
experimental treatment would have shown had nobody switched?  A real trial cannot say;
the simulator can, because it can simulate every trial twice from the same seed: once
with reference-arm patients switching after progression, once without (the same
patients; the would-be switchers die at their untreated death).  The twin's ITT hazard
ratio is the trial's truth, and each method, run on the trial with switching, is judged
against it.

Two ways for switching to act on survival (``[crossover] mechanic``, docs/simulation.md):

* ``common_effect`` with an acceleration factor A (1.5 here, a time ratio: the treatment
  multiplies the survival time left when it starts by A, on the experimental arm from
  randomisation and for a switcher from the switch). RPSFTM's assumption holds by
  construction, with a true psi of -log A: RPSFTM should be unbiased here.
* ``hazard_ratio``, the study's own configuration: a switch multiplies the
  post-progression death hazard by ``death_hazard_ratio``, which is not the
  experimental arm's effect; RPSFTM's common treatment effect fails.

Everything about the trial (arms, reference, strata, profile, the simulator
configuration and the last cut-off, where every trial is analysed) comes from the
study; the script names no trial. It writes ``results.json``, ``summary.csv``,
``trials.csv``, ``summary.md`` and ``bias.png``/``bias.svg`` under ``--out``; the same
arguments give the same bytes (the number of worker processes does not matter).  The
runtime is printed, not saved (it would make the files differ).

Usage::

    .venv/bin/python analyses/crossover_study.py [--study ID] [--trials 200] [--seed 1]
        [--truth-trials 200] [--acceleration-factor 1.5] [--workers 2]
        [--out reports/crossover-study]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from netter.simstudy import Scenario, run_study, study_design
from netter.simstudy.figure import save_bias_figure
from netter.simstudy.oracle import ORACLE_KEYS
from netter.simstudy.output import signed, write_outputs
from netter.study import load_study


def scenarios(config, acceleration_factor: float) -> list[Scenario]:
    """The common-effect mechanic with ``acceleration_factor``, then the study's own config."""
    own = config.crossover.mechanic
    return [
        Scenario(f"common_effect, A = {acceleration_factor:g}",
                 {"crossover.mechanic": "common_effect",
                  "crossover.acceleration_factor": float(acceleration_factor)}),
        Scenario(f"{own} (study config)"),
    ]


def findings(run) -> str:
    """What was measured, in words (the Markdown section ending summary.md)."""
    lines = ["## What we measured", ""]
    for s in run.scenarios:
        by = {m.method: m for m in s.methods}
        rp = by.get("rpsftm")
        parts = []
        if rp is not None and rp.psi is not None and rp.psi.mean_estimate is not None:
            psi = rp.psi
            if s.true_psi is not None:
                parts.append(
                    f"RPSFTM's mean psi is {psi.mean_estimate:.3f} against a true "
                    f"{s.true_psi:.3f} (bias {signed(psi.bias)}, Monte Carlo SE "
                    f"{psi.bias_mcse:.3f}; {'within' if abs(psi.bias) <= 0.03 else 'outside'}"
                    f" 0.03 of the truth), its psi interval holds the truth in "
                    f"{100 * psi.coverage:.1f}% of trials")
            else:
                parts.append(f"RPSFTM's mean psi is {psi.mean_estimate:.3f} (no true psi "
                             "under this mechanic)")
        if rp is not None and rp.log_hr.bias is not None:
            parts.append(f"its log hazard ratio has a bias of {signed(rp.log_hr.bias)} "
                         f"(Monte Carlo SE {rp.log_hr.bias_mcse:.3f}) against the per-trial "
                         f"truth, and its interval covers the large-sample truth in "
                         f"{100 * rp.large_sample.coverage:.1f}% of trials")
        oracle = by.get("rpsftm_true_psi")
        if oracle is not None and oracle.log_hr.bias is not None:
            parts.append(f"at the true psi the same re-censored counterfactual data give a "
                         f"bias of {signed(oracle.log_hr.bias)} (Monte Carlo SE "
                         f"{oracle.log_hr.bias_mcse:.3f}), and "
                         f"{signed(by['rpsftm_true_psi_no_recensor'].log_hr.bias)} without "
                         "re-censoring (what the counterfactual data set itself costs); "
                         "estimating psi adds "
                         f"{signed(rp.log_hr.bias - oracle.log_hr.bias)}")
        covered = [f"{m.label} {100 * m.large_sample.coverage:.1f}%" for m in s.methods
                   if m.large_sample.coverage is not None and m.method not in ORACLE_KEYS]
        if covered:
            parts.append("coverage of the large-sample truth: " + ", ".join(covered))
        switchers = sum(t.n_switchers for t in s.trials)
        if switchers:
            unrecorded = sum(t.n_switchers_unprogressed for t in s.trials) / switchers
            parts.append(f"{100 * unrecorded:.0f}% of the switchers have no recorded "
                         "progression on or before their switch (what IPCW and two-stage "
                         "estimation condition on)")
        ranked = sorted((m for m in s.methods
                         if m.log_hr.rmse is not None and m.method not in ORACLE_KEYS),
                        key=lambda m: m.log_hr.rmse)
        if ranked:
            parts.append("by RMSE the methods rank " + ", ".join(
                f"{m.label} ({m.log_hr.rmse:.3f})" for m in ranked))
        lines.append(f"* **{s.scenario.name}**: " + "; ".join(parts) + ".")
    lines += ["", "Differences within two Monte Carlo SEs are not distinguishable with this "
              "number of trials."]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--study", default=None, help="study id or study.toml (default: the "
                        "project's default study)")
    parser.add_argument("--trials", type=int, default=200, help="trials per scenario")
    parser.add_argument("--seed", type=int, default=1, help="base seed: trial k has seed+k")
    parser.add_argument("--truth-trials", type=int, default=200,
                        help="twins pooled for the large-sample truth")
    parser.add_argument("--acceleration-factor", type=float, default=1.5,
                        help="A of the common_effect scenario")
    parser.add_argument("--workers", type=int, default=1, help="processes")
    parser.add_argument("--out", default="reports/crossover-study")
    parser.add_argument("--quiet", action="store_true", help="no progress bars, no summary")
    args = parser.parse_args(argv)

    study = load_study(args.study)
    design = study_design(study)
    start = time.perf_counter()
    run = run_study(design, scenarios(design.config, args.acceleration_factor), args.trials,
                    args.seed, truth_trials=args.truth_trials, workers=args.workers,
                    progress=not args.quiet)
    elapsed = time.perf_counter() - start
    out = Path(args.out)
    written = write_outputs(run, out, extra=findings(run))
    written += save_bias_figure(run, out)
    if not args.quiet:
        print(findings(run))
        print(f"\n{len(run.scenarios)} scenarios x {args.trials} trials simulated and analysed "
              f"in {elapsed:.0f} s on {args.workers} process(es); wrote "
              f"{', '.join(p.name for p in written)} to {out}/", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
