"""What ``netter design`` writes: ``design.json`` (``netter.design/1``), ``trials.csv``, figures.

``trials.csv`` has one row per scenario x trial x cut-off x endpoint, in that order, with
the columns ``scenario, trial, cutoff, param, n, events, logrank_chisq, logrank_p,
hazard_ratio, hr_lower, hr_upper`` and one ``median_<arm code>`` per arm (experimental
first); not-estimable values are empty.  Numbers are written in full precision (Python's
shortest round-trip form), so a row can be compared with ``netter analyze`` to 1e-8.
Nothing depends on the machine, the time, the chunk size or the workers: the same study,
scenarios, trials and seed give byte-identical files.

Examples
--------
>>> import json, tempfile
>>> from netter.study import load_study
>>> from netter.engine.design import build_scenarios, design_spec
>>> from netter.engine.run import run_design
>>> run = run_design(design_spec(load_study("studies/netter2/study.toml")), build_scenarios(),
...                  trials=3, seed=1, progress=False)
>>> paths = write_design(run, tempfile.mkdtemp(), alpha=0.05, figures=False)
>>> [p.name for p in paths]
['design.json', 'trials.csv']
>>> json.loads(paths[0].read_text())["schema"]
'netter.design/1'
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import numpy as np

from netter import __version__
from netter.engine.summary import summarize

#: Schema of ``design.json``.
SCHEMA = "netter.design/1"
#: The fixed columns of ``trials.csv`` (then ``median_<arm code>`` per arm).
TRIAL_COLUMNS = ("scenario", "trial", "cutoff", "param", "n", "events", "logrank_chisq",
                 "logrank_p", "hazard_ratio", "hr_lower", "hr_upper")


def _clean(value):
    """JSON-safe: NaN and infinities become null, numpy scalars plain numbers."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def methods_text(spec) -> dict:
    """The methods of every statistic, as printed in ``design.json``."""
    from netter.profiles import get_profile

    profile = get_profile(spec.profile)
    strata = " x ".join(spec.strata) if spec.strata else "none"
    return {
        "profile": profile.name,
        "logrank": f"log-rank test stratified by {strata}, two-sided",
        "cox": (f"Cox model of the arm stratified by {strata}, {profile.ties} ties, Wald "
                f"{profile.conf_level:.0%} CI"),
        "median": ("Kaplan-Meier median; where S(t) = 0.5 on a flat segment, the midpoint "
                   f"of the segment (profile {profile.name})"),
        "landmark": "Kaplan-Meier survival at the landmark",
        "truth": ("latent times of every subject of the scenario's trials, before censoring "
                  "and scans; no truth is given for the hazard ratio"),
        "seeds": ("trial k is simulated from numpy SeedSequence(seed).spawn(trials)[k]; "
                  "every scenario simulates trial k from the same seed"),
    }


def design_document(run, *, alpha: float, inputs_sha256: str | None = None) -> dict:
    """The ``netter.design/1`` document of ``run`` (``inputs_sha256``: see
    :func:`netter.engine.study.inputs_digest`)."""
    spec = run.spec
    return _clean({
        "schema": SCHEMA,
        "generator": f"netter {__version__}",
        "inputs_sha256": inputs_sha256,
        "study": {"id": spec.study_id, "name": spec.study_name},
        "seed": run.seed, "trials": run.n_trials, "alpha": alpha,
        "time_unit": spec.time_unit, "strata": list(spec.strata),
        "arms": [{"code": code, "label": label, "role": role} for code, label, role in zip(
            spec.arm_codes, spec.arm_labels, ("experimental", "reference"), strict=True)],
        "cutoffs": [{"name": name, "date": date.isoformat()} for name, date in spec.cutoffs],
        "params": list(spec.params),
        "methods": methods_text(spec),
        "scenarios": summarize(run, alpha=alpha),
    })


def _cell(value: float) -> str:
    value = float(value)
    return repr(value) if math.isfinite(value) else ""


def trials_csv(run) -> str:
    """``trials.csv`` as text (see the module docstring)."""
    from netter.spreadsheet import safe_cell

    spec = run.spec
    header = [*TRIAL_COLUMNS, *(f"median_{code}" for code in spec.arm_codes)]
    lines = [",".join(header)]
    keys = [(name, param) for name, _ in spec.cutoffs for param in spec.params]
    rows = run.rows
    row = 0
    for scenario in run.scenarios:
        label = _quoted(safe_cell(scenario.name))
        for trial in range(run.n_trials):
            for cut, param in keys:
                values = [label, str(trial), _quoted(safe_cell(cut)), _quoted(safe_cell(param)),
                          str(int(rows["n"][row])), str(int(rows["events"][row])),
                          *(_cell(rows[k][row]) for k in TRIAL_COLUMNS[6:]),
                          *(_cell(v) for v in rows["median"][row])]
                lines.append(",".join(values))
                row += 1
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    text = str(text)
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def write_design(run, out: str | os.PathLike, *, alpha: float = 0.05, figures: bool = True,
                 inputs_sha256: str | None = None, trials: bool = True) -> list[Path]:
    """Write ``design.json``, ``trials.csv`` (unless ``trials`` is false: a report keeps
    the summary, not 100,000s of rows) and (``figures``) the figures under ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    document = design_document(run, alpha=alpha, inputs_sha256=inputs_sha256)
    json_path, csv_path = out / "design.json", out / "trials.csv"
    json_path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    written = [json_path]
    if trials:
        csv_path.write_text(trials_csv(run), encoding="utf-8")
        written.append(csv_path)
    if figures:
        from netter.engine.figure import save_design_figures

        written += save_design_figures(document, out)
    return written
