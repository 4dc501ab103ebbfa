"""Calibration of a study's simulator: each published number against its distribution
over many simulated trials.

The same scorecard rows (:mod:`netter.scorecard.mapping`) that put a published
number beside its reproduction put it here beside the distribution of the same
statistic over simulated trials: each seed's trial is simulated, locked at the
study's cut-offs, validated and typed as the CSV files ``netter simulate`` writes
would be (:func:`netter.adam.io.load_adam_frames`), and analysed by the study's own
analyses (:func:`netter.endpoints.study.run_analysis`).  Nothing here computes a
statistic.

By default the values are computed on the batched engine
(:mod:`netter.engine.calibration`, equal to this path trial by trial) whenever it
computes every target: trials ``0 .. N - 1`` of the config's seed.

A study's ``calibration.toml`` names the records the simulator was tuned to
(``calibration``) and those it was not (``check``), and the number of seeds::

    seeds = 1000
    calibration = ["pfs.primary.hr", ...]
    check = ["os.final.rmst.a", ...]

Only verified records (V, V2) may be targets.  The range is the empirical 2.5-97.5%
over seeds; a median not reached counts as +infinity, other non-estimable values are
left out (and counted).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from netter.adam.io import load_adam_frames
from netter.endpoints.study import check_arms, run_analysis
from netter.errors import NetterError
from netter.published import published_number
from netter.results import to_json_dict
from netter.scorecard.build import reproduce
from netter.scorecard.mapping import Spec, load_mapping
from netter.scorecard.statistics import QUANTILE
from netter.spreadsheet import safe_frame
from netter.study.model import Study
from netter.study.toml import StudyError, Table, read_toml

#: Roles of a target.
CALIBRATION, CHECK = "calibration", "check"


@dataclass(frozen=True)
class CalibrationPlan:
    """Rows to calibrate against (with their role) and the number of seeds."""

    specs: tuple[Spec, ...]
    roles: tuple[str, ...]
    seeds: int
    records: dict


def load_plan(study: Study) -> CalibrationPlan:
    """The study's calibration targets as scorecard rows.

    Raises
    ------
    StudyError
        No simulator, published numbers or calibration file; a target that is not a
        scorecard row, is computed from no result, or is unverified.
    """
    for key in ("simulation", "published", "calibration"):
        if getattr(study, key) is None:
            raise StudyError(f"{study.path}: calibration needs `{key}` in the study")
    mapping = load_mapping(study)
    top = Table(read_toml(study.calibration), str(study.calibration))
    seeds = int(top.number("seeds", 500, positive=True))
    by_record = {s.record: s for s in mapping.specs}
    specs, roles = [], []
    for role in (CALIBRATION, CHECK):
        for record in top.texts(role):
            if record not in by_record:
                raise top.error(f"{record!r} is not a row of {study.scorecard}", role)
            spec = by_record[record]
            if spec.value is None:
                raise top.error(f"{record!r} is not computed from results", role)
            if not mapping.published[record].is_target:
                raise top.error(f"{record!r} is not a verified published number", role)
            specs.append(spec)
            roles.append(role)
    top.done()
    return CalibrationPlan(tuple(specs), tuple(roles), seeds, mapping.published)


#: Optional comparisons no published number is read from, left out of the simulated
#: analyses (MaxCombo's multivariate normal integral alone costs about 1 s per trial).
NOT_CALIBRATED = ("weighted_logrank", "maxcombo", "piecewise_hr", "rmst_grid")


def lean_study(study: Study) -> Study:
    """``study`` with its analyses stripped of the comparisons in :data:`NOT_CALIBRATED`
    (the statistics the scorecard reads are computed as in the study's own analyses).

    Examples
    --------
    >>> from netter.study import load_study
    >>> lean = lean_study(load_study("netter1"))
    >>> any(a.maxcombo or a.piecewise for a in lean.analyses)
    False
    """
    from dataclasses import replace

    analyses = tuple(
        replace(a, weighted_logrank=(), maxcombo=False, piecewise=(), rmst_grid=(),
                comparisons=tuple(c for c in a.comparisons if c not in NOT_CALIBRATED))
        for a in study.analyses)
    return replace(study, analyses=analyses)


def simulate_results(study: Study, config, seed: int, analyses) -> dict[str, dict]:
    """The JSON form of the results of ``analyses`` on the trial simulated with ``seed``
    (without the comparisons in :data:`NOT_CALIBRATED`)."""
    from netter.synthetic.lock import lock_database
    from netter.synthetic.trial import simulate_trial

    study = lean_study(study)

    trial = simulate_trial(config, seed=seed)
    dates = dict(zip(config.cutoffs.names, config.cutoffs.dates, strict=True))
    data = {}
    out = {}
    for name in analyses:
        cutoff = study.analysis(name).cutoff
        if cutoff not in data:
            source = f"seed {seed}/{cutoff}"
            adam = load_adam_frames(lock_database(config, trial, dates[cutoff]),
                                    arm_var=study.arm_var, source=source)
            check_arms(study, adam, Path(source))
            data[cutoff] = adam, source
        adam, source = data[cutoff]
        out[name] = to_json_dict(run_analysis(study, name, adam=adam, folder=source))
    return out


def _check_cutoffs(study: Study, config, analyses) -> None:
    dates = dict(zip(config.cutoffs.names, config.cutoffs.dates, strict=True))
    for name in analyses:
        cut = study.cutoff(study.analysis(name).cutoff)
        if cut.name not in dates:
            raise NetterError(f"{config.source}: no cut-off {cut.name!r} for analysis {name!r} "
                              f"(the simulator locks {', '.join(dates)})")
        if cut.date is not None and str(dates[cut.name]) != cut.date:
            raise NetterError(f"{config.source}: cut-off {cut.name!r} is {dates[cut.name]}, "
                              f"the study says {cut.date}")


def seed_values(study: Study, config, plan: CalibrationPlan, seed: int) -> list:
    """Each target's reproduced value on one simulated trial (published unit; +inf for a
    median not reached; ``None`` when not estimable)."""
    analyses = sorted({s.analysis for s in plan.specs})
    docs = simulate_results(study, config, seed, analyses)
    values = []
    for spec in plan.specs:
        got = reproduce(spec, docs.get(spec.analysis), f"{spec.analysis}.json")
        if got.not_reached:
            values.append(float("inf"))
        else:
            values.append(got.value)
    return values


@dataclass(frozen=True)
class CalibrationRow:
    """One target: the published value and the simulated distribution over seeds.

    ``mean`` is over the seeds with a finite value; ``low``/``high`` are the empirical
    2.5% / 97.5% quantiles (``None`` = +infinity: medians not reached);
    ``n_not_estimable`` counts the seeds without a finite value.
    """

    record: str
    label: str
    role: str
    flag: str
    source: str
    published: float
    mean: float | None
    low: float | None
    high: float | None
    n_seeds: int
    n_not_estimable: int

    @property
    def inside(self) -> bool:
        """Published value inside the simulated 95% range (an unbounded end counts)."""
        low = -np.inf if self.low is None else self.low
        high = np.inf if self.high is None else self.high
        return bool(low <= self.published <= high)


@dataclass(frozen=True)
class CalibrationSummary:
    """All targets, the seeds used, the profile and the simulator configuration.

    ``trial_seed`` is ``None`` when each trial was simulated with an integer seed of
    ``seeds`` (the per-trial path); otherwise ``seeds`` are trial numbers of a Monte Carlo
    run seeded ``trial_seed`` (:func:`netter.synthetic.outcomes.trial_seed`), computed on
    the batched engine (:mod:`netter.engine.calibration`).
    """

    study: str
    study_name: str
    rows: tuple[CalibrationRow, ...]
    seeds: tuple[int, ...]
    profile: str
    config: str
    trial_seed: int | None = None


def summarize_row(spec: Spec, role: str, record, values: list) -> CalibrationRow:
    """The distribution of one target's values over seeds.

    Examples
    --------
    >>> from netter.published import PublishedRecord
    >>> spec = Spec("m", "Median", "OS", "final", "os", "x", kind="quantile")
    >>> record = PublishedRecord("m", 10.0, None, "paper", "", "V")
    >>> row = summarize_row(spec, "check", record, [9.0, 11.0, float("inf"), None])
    >>> row.mean, row.high, row.n_not_estimable, row.inside
    (10.0, None, 2, True)
    """
    if spec.kind == QUANTILE:
        arr = np.array([np.inf if v is None else float(v) for v in values])
    else:
        arr = np.array([float(v) for v in values if v is not None])
    finite = arr[np.isfinite(arr)]
    low, high = (float(np.quantile(arr, q, method="inverted_cdf")) if len(arr) else np.inf
                 for q in (0.025, 0.975))
    return CalibrationRow(
        record=spec.record, label=spec.label, role=role, flag=record.flag,
        source=record.source, published=published_number(record.value),
        mean=float(finite.mean()) if len(finite) else None,
        low=low if np.isfinite(low) else None, high=high if np.isfinite(high) else None,
        n_seeds=len(values), n_not_estimable=int(len(values) - len(finite)))


def _seed_chunk(args) -> list:
    """Worker: the values of a chunk of seeds (one process; arguments pickled once)."""
    study, config, plan, seeds = args
    return [seed_values(study, config, plan, seed) for seed in seeds]


def _runs(study: Study, config, plan: CalibrationPlan, seeds: tuple[int, ...], workers: int,
          progress: bool) -> list:
    """Every seed's values, in seed order, on ``workers`` processes (1: in this one)."""
    bar = tqdm(total=len(seeds), desc="simulated trials", unit="trial", disable=not progress)
    with bar:
        if workers <= 1 or len(seeds) < 2:
            out = []
            for seed in seeds:
                out.append(seed_values(study, config, plan, seed))
                bar.update()
            return out
        from concurrent.futures import ProcessPoolExecutor

        size = max(1, min(CHUNK, len(seeds) // (2 * workers)))
        chunks = [seeds[i:i + size] for i in range(0, len(seeds), size)]
        out = []
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for values in pool.map(_seed_chunk, [(study, config, plan, c) for c in chunks]):
                out += values
                bar.update(len(values))
        return out


#: Most seeds per task given to a worker process.
CHUNK = 10


#: Trials per batch of the engine path (memory ~60 kB per trial).
ENGINE_CHUNK = 250


def _engine_runs(study: Study, config, plan: CalibrationPlan, trials: range, seed: int,
                 progress: bool) -> list:
    from netter.engine.calibration import engine_values

    out = []
    with tqdm(total=len(trials), desc="simulated trials", unit="trial",
              disable=not progress) as bar:
        for start in range(trials.start, trials.stop, ENGINE_CHUNK):
            chunk = range(start, min(start + ENGINE_CHUNK, trials.stop))
            out += engine_values(study, config, plan, seed=seed, trials=chunk)
            bar.update(len(chunk))
    return out


def use_engine(study: Study, config, plan: CalibrationPlan, engine: bool | None) -> bool:
    """Whether a calibration runs on the batched engine: ``engine`` if given (``True``
    with rows the engine cannot compute is an error), else whenever it can."""
    from netter.engine.calibration import unsupported

    missing = unsupported(study, plan, config)
    if engine and missing:
        raise NetterError(f"the engine cannot compute the calibration rows "
                          f"{', '.join(missing)}; calibrate per trial")
    return not missing if engine is None else bool(engine)


def run_calibration(study: Study, *, seeds=None, config_path: str | os.PathLike | None = None,
                    progress: bool = True, workers: int = 1,
                    engine: bool | None = None) -> CalibrationSummary:
    """Simulate and analyse many trials; summarise every target.

    Parameters
    ----------
    study : Study
    seeds : iterable of int, optional
        Per trial: the integer seeds (default ``1 .. seeds`` of the study's
        ``calibration.toml``).  On the engine only their number counts: trials ``0 ..
        n - 1`` of the config's seed.
    config_path : path-like, optional
        Another simulator configuration (default: the study's ``simulation``).
    progress : bool
        Show a progress bar over trials on stderr.
    workers : int
        Processes of the per-trial path; results do not depend on it (each seed is its
        own random stream, and results are gathered in seed order).
    engine : bool, optional
        Run on the batched engine (default: whenever it computes every row).
    """
    from netter.synthetic.config import load_config

    plan = load_plan(study)
    config = load_config(config_path or study.simulation)
    _check_cutoffs(study, config, {s.analysis for s in plan.specs})
    seeds = tuple(range(1, plan.seeds + 1)) if seeds is None else tuple(int(s) for s in seeds)
    trial_seed = None
    if use_engine(study, config, plan, engine):
        trial_seed = config.trial.seed
        seeds = tuple(range(len(seeds)))
        runs = _engine_runs(study, config, plan, range(len(seeds)), trial_seed, progress)
    else:
        runs = _runs(study, config, plan, seeds, workers, progress)
    rows = tuple(summarize_row(spec, role, plan.records[spec.record], [r[i] for r in runs])
                 for i, (spec, role) in enumerate(zip(plan.specs, plan.roles, strict=True)))
    return CalibrationSummary(study=study.id, study_name=study.display_name, rows=rows,
                              seeds=seeds, profile=study.profile,
                              config=Path(config.source).name, trial_seed=trial_seed)


def _fmt(value: float | None) -> str:
    return "NR" if value is None else f"{value:.3g}" if abs(value) < 1 else f"{value:.1f}"


def _which(summary: CalibrationSummary) -> str:
    first, last = summary.seeds[0], summary.seeds[-1]
    if summary.trial_seed is None:
        return f"seeds {first}-{last}"
    return (f"trials {first}-{last} of seed {summary.trial_seed}, numpy SeedSequence "
            "streams, on the batched engine")


def calibration_markdown(summary: CalibrationSummary) -> str:
    """A readable report of the summary (the only place its numbers are rounded)."""
    lines = [
        f"# Calibration of the synthetic {summary.study_name} trial",
        "",
        f"{len(summary.seeds)} simulated trials ({_which(summary)}), "
        f"config `{summary.config}`, analysed by the study's own analyses with profile "
        f"`{summary.profile}`; each number computed as its scorecard row says. Range = "
        "empirical 2.5%-97.5% over seeds; NR = median not reached (counted as +inf in the "
        "range, left out of the mean); NE = not estimable (left out).",
        "",
        "| target | role | published | flag | simulated mean | 95% range | NR/NE seeds | inside |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in summary.rows:
        lines.append(
            f"| {r.label} | {r.role} | {_fmt(r.published)} | {r.flag} | {_fmt(r.mean)} | "
            f"{_fmt(r.low)} – {_fmt(r.high)} | {r.n_not_estimable} | "
            f"{'yes' if r.inside else '**no**'} |")
    inside = [r.inside for r in summary.rows if r.role == CALIBRATION]
    checks = [r.inside for r in summary.rows if r.role == CHECK]
    lines += ["", "Calibration targets inside the simulated 95% range: "
              f"{sum(inside)}/{len(inside)}; checks: {sum(checks)}/{len(checks)}.", "",
              "Sources: the study's published numbers (record keys in calibration.csv).", ""]
    return "\n".join(lines)


def calibration_frame(summary: CalibrationSummary):
    """The summary as a table (unrounded), one row per target, in target order."""
    import pandas as pd

    frame = pd.DataFrame([asdict(r) for r in summary.rows])
    frame["inside_95_range"] = [r.inside for r in summary.rows]
    return frame


#: The files :func:`write_calibration` writes.
FILES = ("calibration.csv", "calibration.json", "calibration.md")


def write_calibration(summary: CalibrationSummary, out: str | os.PathLike,
                      inputs_sha256: str | None = None) -> list[Path]:
    """Write ``calibration.csv``, ``calibration.json`` and ``calibration.md`` under ``out``.

    ``inputs_sha256`` (:func:`netter.scorecard.calibration_inputs.inputs_digest`) is
    saved in the JSON, so that the calibration is rerun only when an input changes.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / name for name in FILES]
    safe_frame(calibration_frame(summary)).to_csv(paths[0], index=False, lineterminator="\n",
                                                  float_format="%.10g")
    rows = [asdict(r) | {"inside_95_range": r.inside} for r in summary.rows]
    document = {"study": summary.study, "profile": summary.profile, "config": summary.config,
                "seeds": list(summary.seeds), "rows": rows}
    if summary.trial_seed is not None:
        document["trial_seed"] = summary.trial_seed
    if inputs_sha256 is not None:
        document["inputs_sha256"] = inputs_sha256
    paths[1].write_text(json.dumps(document, indent=1, sort_keys=True, allow_nan=False) + "\n",
                        encoding="utf-8")
    paths[2].write_text(calibration_markdown(summary), encoding="utf-8")
    return paths
