"""The files of a crossover simulation study: results, summary table, trials and words.

:func:`write_outputs` writes, under one folder:

* ``results.json``: the design, the settings (trials, seeds, scenarios with their
  mechanic and parameters), the truths, and per scenario and method the performance of
  the log hazard ratio (and RPSFTM's psi), with the reasons of not-estimable trials;
* ``summary.csv``: one row per scenario and method (unrounded);
* ``trials.csv``: one row per scenario, trial and method: truth, estimate, interval;
* ``summary.md``: the tables rounded, what each method assumes and why each bias
  appears (:mod:`netter.simstudy.notes`), with the measured direction.

The same run gives the same bytes: nothing depends on the clock, the machine, the
folder or the number of worker processes.

Examples
--------
>>> signed(0.01234), signed(-0.5, 2), signed(None)
('+0.012', '-0.50', '–')
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import asdict
from pathlib import Path

from netter import __version__
from netter.simstudy import notes
from netter.simstudy.run import ScenarioResult, StudyRun

#: Layout of ``results.json``; bump on any incompatible change.
SCHEMA = "netter.crossover-study/1"
#: The files :func:`write_outputs` writes (the figure is :mod:`netter.simstudy.figure`'s).
FILES = ("results.json", "summary.csv", "trials.csv", "summary.md")
#: Monte Carlo SEs beyond which a bias is called a bias (about a two-sided 5% test).
DETECTABLE = 2.0

TRUTH_DEFINITION = (
    "per-trial truth: the ITT Cox log hazard ratio (experimental vs reference; unstratified, "
    "the profile's ties) of the trial's twin without switching (same seed, same patients, "
    "switchers dying at their untreated death) locked at the same cut-off; every method's "
    "bias, RMSE and coverage are against it")
COVERAGE_NOTE = (
    "The per-trial truth shares its trial's patients, so an estimate's error against it "
    "is much smaller than its sampling error, which a 95% interval is built for: coverage "
    "of the per-trial truth is near 100% for any method with a small bias, and only a "
    "large bias shows. Coverage of the large-sample truth (a fixed parameter) is the usual "
    "check of an interval: near 95% for a valid method.")
SEEDS = "trial k (k = 0 .. N-1) is simulated with seed base_seed + k in every scenario"


def signed(value: float | None, digits: int = 3) -> str:
    """A number with its sign (``"–"`` for ``None``)."""
    return "–" if value is None else f"{value:+.{digits}f}"


def _num(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def _bias(p) -> str:
    return "–" if p.bias is None else f"{signed(p.bias)} ({_num(p.bias_mcse)})"


def _coverage(p) -> str:
    return "–" if p.coverage is None else f"{_pct(p.coverage)} ({_pct(p.coverage_mcse)})"


def _reasons(result: ScenarioResult, key: str) -> dict[str, int]:
    counts = Counter(t.estimates[key].not_estimable_reason for t in result.trials
                     if t.estimates[key].not_estimable_reason is not None)
    return dict(sorted(counts.items()))


def _unprogressed(result: ScenarioResult) -> float | None:
    """Share of all switchers without a recorded progression on or before the switch."""
    total = sum(t.n_switchers for t in result.trials)
    return sum(t.n_switchers_unprogressed for t in result.trials) / total if total else None


def _scenario_document(result: ScenarioResult) -> dict:
    methods = []
    for m in result.methods:
        entry = {"method": m.method, "label": m.label, "log_hr": asdict(m.log_hr),
                 "log_hr_against_large_sample_truth": asdict(m.large_sample),
                 "not_estimable_reasons": _reasons(result, m.method)}
        if m.psi is not None:
            entry["psi"] = asdict(m.psi)
        methods.append(entry)
    truth = result.truth
    return {
        "name": result.scenario.name,
        "overrides": {k: v for k, v in result.scenario.overrides},
        "crossover": result.settings,
        "true_psi": result.true_psi,
        "true_psi_note": result.true_psi_note,
        "per_trial_truth": {"mean_log_hr": truth.mean_estimate, "sd_log_hr": truth.empirical_se,
                            "n_trials": truth.n_trials, "n_not_estimable": truth.n_not_estimable,
                            "reasons": dict(sorted(Counter(
                                t.truth_reason for t in result.trials
                                if t.truth_reason is not None).items()))},
        "large_sample_truth": asdict(result.large_sample),
        "switchers": {"mean": sum(t.n_switchers for t in result.trials) / len(result.trials),
                      "min": min(t.n_switchers for t in result.trials),
                      "max": max(t.n_switchers for t in result.trials),
                      "share_without_recorded_progression": _unprogressed(result)},
        "methods": methods,
    }


def results_document(run: StudyRun) -> dict:
    """The whole run as plain JSON values (``results.json``)."""
    from netter.profiles import get_profile

    d = run.design
    profile = get_profile(d.profile)
    return {
        "schema": SCHEMA,
        "generator": f"netter {__version__}",
        "study": {"id": d.study_id, "name": d.study_name},
        "design": {
            "param": d.param, "cutoff": d.cutoff, "cutoff_date": str(d.cutoff_date),
            "arm_var": d.arm_var, "reference": d.reference, "experimental": d.experimental,
            "profile": d.profile, "ties": profile.ties, "conf_level": profile.conf_level,
            "time_unit": d.time_unit, "covariates": list(d.covariates), "strata": [],
            "methods": list(d.methods), "bootstrap": 0,
            "simulation_config": Path(d.config.source).name,
        },
        "settings": {"n_trials": run.n_trials, "base_seed": run.base_seed, "seeds": SEEDS,
                     "truth_trials": run.truth_trials},
        "truth": TRUTH_DEFINITION,
        "scenarios": [_scenario_document(s) for s in run.scenarios],
    }


def summary_frame(run: StudyRun):
    """One row per scenario and method, unrounded: the performance of the log hazard
    ratio (and RPSFTM's psi)."""
    import pandas as pd

    rows = []
    for s in run.scenarios:
        for m in s.methods:
            p = m.log_hr
            row = {"scenario": s.scenario.name, "mechanic": s.settings["mechanic"],
                   "method": m.method, "label": m.label, "n_trials": p.n_trials,
                   "n_estimable": p.n_estimable, "n_not_estimable": p.n_not_estimable,
                   "mean_log_hr": p.mean_estimate, "mean_truth": p.mean_truth,
                   "bias": p.bias, "bias_mcse": p.bias_mcse,
                   "empirical_se": p.empirical_se, "empirical_se_mcse": p.empirical_se_mcse,
                   "rmse": p.rmse, "coverage": p.coverage, "coverage_mcse": p.coverage_mcse,
                   "n_with_ci": p.n_with_ci, "large_sample_truth": s.large_sample.log_hr,
                   "bias_large_sample": m.large_sample.bias,
                   "bias_large_sample_mcse": m.large_sample.bias_mcse,
                   "rmse_large_sample": m.large_sample.rmse,
                   "coverage_large_sample": m.large_sample.coverage,
                   "mean_psi": None, "true_psi": None, "psi_bias": None, "psi_bias_mcse": None,
                   "psi_empirical_se": None, "psi_coverage": None, "psi_n_not_estimable": None}
            if m.psi is not None:
                row.update(mean_psi=m.psi.mean_estimate, true_psi=s.true_psi,
                           psi_bias=m.psi.bias, psi_bias_mcse=m.psi.bias_mcse,
                           psi_empirical_se=m.psi.empirical_se, psi_coverage=m.psi.coverage,
                           psi_n_not_estimable=m.psi.n_not_estimable)
            rows.append(row)
    return pd.DataFrame(rows)


def trials_frame(run: StudyRun):
    """One row per scenario, trial and method (log scale; empty = not estimable)."""
    import pandas as pd

    rows = []
    for s in run.scenarios:
        for t in s.trials:
            for key, e in t.estimates.items():
                rows.append({"scenario": s.scenario.name, "trial": t.index, "seed": t.seed,
                             "n_subjects": t.n_subjects, "n_switchers": t.n_switchers,
                             "n_switchers_unprogressed": t.n_switchers_unprogressed,
                             "truth": t.truth, "method": key, "log_hr": e.log_hr,
                             "lower": e.lower, "upper": e.upper, "psi": e.psi,
                             "psi_lower": e.psi_lower, "psi_upper": e.psi_upper,
                             "not_estimable_reason": e.not_estimable_reason})
    return pd.DataFrame(rows)


def measured(p, truth_label: str = "the truth") -> str:
    """The measured bias in words: its size, its Monte Carlo SE, and its direction.

    Examples
    --------
    >>> from netter.simstudy.performance import performance
    >>> measured(performance([0.1, 0.3, 0.2, 0.2], 0.0))
    'measured bias +0.200 (Monte Carlo SE 0.041): estimates above the truth'
    >>> measured(performance([0.1, -0.1], 0.0))
    'measured bias +0.000 (Monte Carlo SE 0.100): no bias detectable with 2 trials'
    """
    if p.bias is None:
        return "not estimable in any trial"
    text = f"measured bias {signed(p.bias)} (Monte Carlo SE {_num(p.bias_mcse)})"
    if p.bias_mcse is None or abs(p.bias) <= DETECTABLE * p.bias_mcse:
        return f"{text}: no bias detectable with {p.n_estimable} trials"
    return f"{text}: estimates {'above' if p.bias > 0 else 'below'} {truth_label}"


def _settings_text(result: ScenarioResult) -> str:
    return ", ".join(f"{k} = {v}" for k, v in result.settings.items())


def summary_markdown(run: StudyRun, extra: str = "") -> str:
    """The summary in Markdown: settings, truths, tables, assumptions, explanations.

    ``extra`` (Markdown) is added at the end.
    """
    d = run.design
    lines = [
        f"# Crossover adjustment against the simulator's truth: {d.study_name}", "",
        f"{run.n_trials} simulated trials per scenario (base seed {run.base_seed}: {SEEDS}), "
        f"each locked at the study's last cut-off ({d.cutoff}, {d.cutoff_date}) and analysed "
        f"by `netter.endpoints.crossover.analyze_crossover` ({d.param}; profile `{d.profile}`; "
        f"covariates of the switching and AFT models: {', '.join(d.covariates) or 'none'}; "
        "Cox models and tests unstratified; no bootstrap).", "",
        f"* Truth: {TRUTH_DEFINITION}.",
        "* Large-sample truth: the same hazard ratio over "
        f"{run.truth_trials} pooled twins without switching (one Cox model).",
        "* Bias = mean(estimate - truth) of the log hazard ratio, with its Monte Carlo SE; "
        "empirical SE = SD of the estimates; RMSE against the truth; coverage = share of the "
        "method's 95% intervals holding the per-trial truth; NE = trials where the method was "
        "not estimable (left out of the other columns).",
        f"* {COVERAGE_NOTE}", "",
        "## Scenarios", "",
        "| scenario | crossover settings | switchers per trial (range) | switchers without a "
        "recorded progression before the switch | per-trial truth, mean HR (SD of log HR) | "
        "large-sample truth HR (SE of log HR) | true psi |",
        "|---|---|---|---|---|---|---|",
    ]
    import math

    def hr(log_hr):
        return "–" if log_hr is None else f"{math.exp(log_hr):.3f}"

    for s in run.scenarios:
        sw = [t.n_switchers for t in s.trials]
        lines.append(
            f"| {s.scenario.name} | {_settings_text(s)} | {sum(sw) / len(sw):.1f} "
            f"({min(sw)}-{max(sw)}) | {_pct(_unprogressed(s))} | "
            f"{hr(s.truth.mean_estimate)} ({_num(s.truth.empirical_se)})"
            f" | {hr(s.large_sample.log_hr)} ({_num(s.large_sample.se)}) | "
            f"{_num(s.true_psi) if s.true_psi is not None else 'none'} |")
    lines += ["", "## Log hazard ratio against the per-trial truth", ""]
    for s in run.scenarios:
        lines += [f"### {s.scenario.name}", "",
                  "| method | mean HR | bias (MC SE) | empirical SE | RMSE | coverage (MC SE) "
                  "| NE | bias against the large-sample truth (MC SE) | coverage of the "
                  "large-sample truth (MC SE) |", "|---|---|---|---|---|---|---|---|---|"]
        for m in s.methods:
            p, q = m.log_hr, m.large_sample
            lines.append(f"| {m.label} | {hr(p.mean_estimate)} | {_bias(p)} | "
                         f"{_num(p.empirical_se)} | {_num(p.rmse)} | {_coverage(p)} | "
                         f"{p.n_not_estimable} | {_bias(q)} | {_coverage(q)} |")
        lines.append("")
    lines += ["## RPSFTM's psi", "",
              "| scenario | method | mean psi | true psi | bias (MC SE) | empirical SE | "
              "coverage of the true psi | NE |", "|---|---|---|---|---|---|---|---|"]
    for s in run.scenarios:
        for m in s.methods:
            if m.psi is None:
                continue
            p = m.psi
            lines.append(f"| {s.scenario.name} | {m.label} | {_num(p.mean_estimate)} | "
                         f"{_num(s.true_psi) if s.true_psi is not None else 'none'} | {_bias(p)} | "
                         f"{_num(p.empirical_se)} | {_pct(p.coverage)} | {p.n_not_estimable} |")
    for s in run.scenarios:
        if s.true_psi is None:
            lines += ["", f"{s.scenario.name}: {s.true_psi_note}."]
    lines += ["", "## What each method assumes", ""]
    labels = {m.method: m.label for s in run.scenarios for m in s.methods}
    for key, label in labels.items():
        lines.append(f"* **{label}.** {notes.ASSUMPTIONS[key]}")
    lines += ["", "## Why each bias appears", ""]
    for s in run.scenarios:
        lines += [f"### {s.scenario.name}", ""]
        for m in s.methods:
            reasons = _reasons(s, m.method)
            ne = ("" if not reasons else " Not estimable: " + "; ".join(
                f"{r} ({n} trial{'' if n == 1 else 's'})" for r, n in reasons.items()) + ".")
            lines.append(f"* **{m.label}.** {notes.why(s.settings['mechanic'], m.method)} "
                         f"({measured(m.log_hr)}.){ne}".replace("  ", " "))
        lines.append("")
    if extra:
        lines += [extra.rstrip(), ""]
    return "\n".join(lines).rstrip() + "\n"


def write_outputs(run: StudyRun, out: str | os.PathLike, extra: str = "") -> list[Path]:
    """Write :data:`FILES` under ``out`` (created if needed); return their paths."""
    from netter.spreadsheet import safe_frame

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / name for name in FILES]
    paths[0].write_text(json.dumps(results_document(run), indent=1, allow_nan=False,
                                   ensure_ascii=False) + "\n", encoding="utf-8")
    for path, frame in ((paths[1], summary_frame(run)), (paths[2], trials_frame(run))):
        safe_frame(frame).to_csv(path, index=False, lineterminator="\n", float_format="%.10g")
    paths[3].write_text(summary_markdown(run, extra), encoding="utf-8")
    return paths
