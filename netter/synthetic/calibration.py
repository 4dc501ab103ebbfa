"""Calibration of the simulator: published NETTER-1 numbers vs their distribution over seeds.

For each target the published value (V or V2 only) stands beside the mean and the
2.5-97.5% range of the same quantity measured on many simulated trials
(:func:`netter.synthetic.metrics.trial_metrics`).  ``calibration`` targets are the ones
the default config was tuned to; ``check`` targets were not tuned and show how far the
model carries.

Examples
--------
>>> from netter.synthetic.config import load_config
>>> summary = run_calibration(load_config(), seeds=range(1, 4), profile="r", progress=False)
>>> row = summary.rows[0]
>>> row.metric, row.published, row.n_seeds
('pfs.primary.rate_month20.lu', 0.652, 3)
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from netter.published import published_number, published_record
from netter.synthetic.metrics import trial_metrics


@dataclass(frozen=True)
class Target:
    """A simulated metric and the published record it is compared with."""

    metric: str
    record: str
    label: str
    role: str = "calibration"
    scale: float = 1.0  # published value / scale = metric's unit (100 for percentages)

    @property
    def none_is_infinite(self) -> bool:
        """A median that is ``None`` was not reached (+inf); other ``None`` are not estimable."""
        return ".median." in self.metric


TARGETS: tuple[Target, ...] = (
    Target("pfs.primary.rate_month20.lu", "pfs.primary.rate_month20.lu",
           "PFS rate at month 20, 177Lu (primary)", scale=100.0),
    Target("pfs.primary.rate_month20.control", "pfs.primary.rate_month20.control",
           "PFS rate at month 20, control (primary)", scale=100.0),
    Target("pfs.primary.hr", "pfs.primary.hr_nejm", "PFS hazard ratio (primary)"),
    Target("pfs.primary.median.control", "pfs.primary.median.control",
           "Median PFS, control, months (primary)"),
    Target("orr.primary.lu", "orr.nejm.lu", "Objective response rate, 177Lu", scale=100.0),
    Target("orr.primary.control", "orr.nejm.control", "Objective response rate, control",
           scale=100.0),
    Target("os.primary.events.lu", "os.interim_nejm.deaths.lu", "Interim deaths, 177Lu"),
    Target("os.primary.events.control", "os.interim_nejm.deaths.control",
           "Interim deaths, control"),
    Target("os.final.median.lu", "os.final.median.lu", "Median OS, 177Lu, months (final)"),
    Target("os.final.median.control", "os.final.median.control",
           "Median OS, control, months (final)"),
    Target("os.final.hr", "os.final.hr", "OS hazard ratio (final)"),
    Target("os.final.deaths", "os.final.deaths_total", "Deaths, both arms (final)"),
    Target("os.final.crossovers.control", "os.final.crossover_control_to_rlt",
           "Control patients crossed over to PRRT (final)"),
    Target("qol.update.hr", "qol.ttd.global_health_status.hr",
           "QoL (GHS) time to deterioration HR (update)"),
    Target("pfs.primary.events.lu", "pfs.primary.events_snmmi2016.lu",
           "PFS events, 177Lu (primary, SNMMI 2016)", role="check"),
    Target("pfs.primary.events.control", "pfs.primary.events_snmmi2016.control",
           "PFS events, control (primary, SNMMI 2016)", role="check"),
    Target("pfs.update.events.lu", "pfs.update_2016_06_30.events.lu",
           "PFS events, 177Lu (update)", role="check"),
    Target("pfs.update.events.control", "pfs.update_2016_06_30.events.control",
           "PFS events, control (update)", role="check"),
    Target("pfs.update.hr", "pfs.update_2016_06_30.hr", "PFS hazard ratio (update)",
           role="check"),
    Target("os.update.median.control", "os.update_2016_06_30.median.control",
           "Median OS, control, months (update)", role="check"),
    Target("os.final.events_by_24.lu", "os.final.deaths_by_2y.lu",
           "Deaths by 2 years, 177Lu (final)", role="check"),
    Target("os.final.events_by_24.control", "os.final.deaths_by_2y.control",
           "Deaths by 2 years, control (final)", role="check"),
    Target("os.final.rmst_24.lu", "os.final.rmst_2y.lu", "OS RMST at 24 months, 177Lu",
           role="check"),
    Target("os.final.rmst_24.control", "os.final.rmst_2y.control",
           "OS RMST at 24 months, control", role="check"),
    Target("os.final.median_followup.lu", "os.final.median_followup.lu",
           "Median follow-up, 177Lu, months (final)", role="check"),
    Target("os.final.median_followup.control", "os.final.median_followup.control",
           "Median follow-up, control, months (final)", role="check"),
    Target("qol.update.median.lu", "qol.ttd.global_health_status.median.lu",
           "Median QoL TTD, 177Lu, months (update)", role="check"),
    Target("qol.update.median.control", "qol.ttd.global_health_status.median.control",
           "Median QoL TTD, control, months (update)", role="check"),
)


@dataclass(frozen=True)
class CalibrationRow:
    """One target: published value and the simulated distribution over seeds.

    ``mean`` is over the seeds where the quantity was finite; ``low``/``high`` are
    empirical 2.5% / 97.5% quantiles in which a median not reached counts as +inf
    (``None`` in the output) while other non-estimable values (e.g. a landmark past the
    last observation) are left out; ``n_not_estimable`` counts both kinds of seeds.
    """

    metric: str
    label: str
    role: str
    record: str
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
    """All targets, the seeds used and the profile of the analyses."""

    rows: tuple[CalibrationRow, ...]
    seeds: tuple[int, ...]
    profile: str
    config: str


def _row(target: Target, values: list) -> CalibrationRow:
    record = published_record(target.record)
    missing = sum(v is None for v in values)
    if target.none_is_infinite:
        arr = np.array([np.inf if v is None else float(v) for v in values])
    else:
        arr = np.array([float(v) for v in values if v is not None])
    finite = arr[np.isfinite(arr)]
    low, high = (float(np.quantile(arr, q, method="inverted_cdf")) if len(arr) else np.inf
                 for q in (0.025, 0.975))
    return CalibrationRow(
        metric=target.metric, label=target.label, role=target.role, record=target.record,
        flag=record.flag, source=record.source,
        published=published_number(record.value) / target.scale,
        mean=float(finite.mean()) if len(finite) else None,
        low=low if np.isfinite(low) else None, high=high if np.isfinite(high) else None,
        n_seeds=len(values), n_not_estimable=missing)


def run_calibration(config, *, seeds, profile: str, progress: bool = True
                    ) -> CalibrationSummary:
    """Simulate and analyse one trial per seed; summarise every target.

    Parameters
    ----------
    config : TrialConfig
    seeds : iterable of int
    profile : str
        Method profile of the analyses (``"r"`` or ``"sas"``).
    progress : bool
        Show a progress bar over seeds on stderr.
    """
    seeds = tuple(int(s) for s in seeds)
    runs = [trial_metrics(config, seed=seed, profile=profile)
            for seed in tqdm(seeds, desc="simulated trials", disable=not progress)]
    for target in TARGETS:
        if not published_record(target.record).is_target:
            raise ValueError(f"{target.record} is not a verified published number")
    rows = tuple(_row(t, [run[t.metric] for run in runs]) for t in TARGETS)
    return CalibrationSummary(rows=rows, seeds=seeds, profile=profile,
                              config=Path(config.source).name)


def calibration_frame(summary: CalibrationSummary) -> pd.DataFrame:
    """The summary as a table (unrounded), one row per target, in target order."""
    frame = pd.DataFrame([asdict(r) for r in summary.rows])
    frame["inside_95_range"] = [r.inside for r in summary.rows]
    return frame


def _fmt(value: float | None, digits: int = 3) -> str:
    return "NR" if value is None else f"{value:.{digits}g}" if abs(value) < 1 else f"{value:.1f}"


def calibration_markdown(summary: CalibrationSummary) -> str:
    """A readable report of the summary (the only place its numbers are rounded)."""
    lines = [
        "# Calibration of the synthetic NETTER-1 trial",
        "",
        f"{len(summary.seeds)} simulated trials (seeds {summary.seeds[0]}-{summary.seeds[-1]}), "
        f"config `{summary.config}`, analyses with profile `{summary.profile}` "
        "(unstratified Cox HRs, Kaplan-Meier medians and rates, confirmed ORR over all "
        "randomised). Range = empirical 2.5%-97.5% over seeds; NR = median not reached "
        "(counted as +inf in the range, left out of the mean); NE = not estimable (left "
        "out).",
        "",
        "| target | role | published | flag | simulated mean | 95% range | NR/NE seeds | inside |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in summary.rows:
        lines.append(
            f"| {r.label} | {r.role} | {_fmt(r.published)} | {r.flag} | {_fmt(r.mean)} | "
            f"{_fmt(r.low)} – {_fmt(r.high)} | {r.n_not_estimable} | "
            f"{'yes' if r.inside else '**no**'} |")
    inside = [r.inside for r in summary.rows if r.role == "calibration"]
    checks = [r.inside for r in summary.rows if r.role == "check"]
    lines += ["", "Calibration targets inside the simulated 95% range: "
              f"{sum(inside)}/{len(inside)}; checks: {sum(checks)}/{len(checks)}.", "",
              "Sources: see `netter/published/netter1.json` (record keys in calibration.csv).", ""]
    return "\n".join(lines)


def write_calibration(summary: CalibrationSummary, out: Path) -> list[Path]:
    """Write ``calibration.csv``, ``calibration.json`` and ``calibration.md`` under ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    frame = calibration_frame(summary)
    paths = [out / "calibration.csv", out / "calibration.json", out / "calibration.md"]
    frame.to_csv(paths[0], index=False, lineterminator="\n", float_format="%.10g")
    rows = [asdict(r) | {"inside_95_range": r.inside} for r in summary.rows]
    document = {"profile": summary.profile, "config": summary.config,
                "seeds": list(summary.seeds), "rows": rows}
    paths[1].write_text(json.dumps(document, indent=1, sort_keys=True, allow_nan=False) + "\n",
                        encoding="utf-8")
    paths[2].write_text(calibration_markdown(summary), encoding="utf-8")
    return paths
