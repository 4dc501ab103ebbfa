"""``netter study init``: a commented starter ``study.toml`` inferred from ADaM data.

From an ADaM folder (or a folder of cut-off subfolders) it infers the arms of the arm
variable, the time-to-event parameters (``PARAMCD`` with their ``PARAM``), the time
unit (``AVALU``), the data cut-offs (subfolders, dated by ``DCUTDT`` when ADSL has it),
candidate stratification factors (ADSL ``STRAT...`` variables) and baseline variables
(other subject-level variables with few levels, and ``AGE``), and writes a study that
runs as it is: one analysis per endpoint and cut-off (landmarks at round times within
the follow-up), the response analysis when ADRS is present, and a baseline table.
Everything it guessed is marked ``CHECK`` in the file.

Examples
--------
>>> import tempfile
>>> root = Path(tempfile.mkdtemp())
>>> _ = (root / "adsl.csv").write_text("USUBJID,TRT01P,SEX\\nA,Drug,F\\nB,Placebo,M\\n"
...                                    "C,Drug,M\\nD,Placebo,F\\n")
>>> _ = (root / "adtte.csv").write_text("USUBJID,PARAMCD,PARAM,AVAL,CNSR,AVALU\\n"
...     "A,OS,Overall survival,300,0,DAYS\\nB,OS,Overall survival,200,0,DAYS\\n"
...     "C,OS,Overall survival,400,1,DAYS\\nD,OS,Overall survival,350,0,DAYS\\n")
>>> text = starter_toml(root, reference="Placebo")
>>> from netter.study.load import parse_study
>>> import tomllib
>>> study = parse_study(tomllib.loads(text), root / "study.toml")
>>> study.reference, study.time_unit, [a.name for a in study.analyses]
('Placebo', 'days', ['os', 'baseline'])
>>> study.analysis("os").landmarks, study.baseline
((90.0, 180.0, 270.0), ('SEX',))
"""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

from netter.adam import columns as col
from netter.adam.io import AdamData, find_datasets, load_adam
from netter.study.toml import StudyError

#: Words that often name a control arm (used only to propose a reference, marked CHECK).
CONTROL_WORDS = ("placebo", "control", "standard", "observation", "usual care", "best "
                 "supportive", "soc")
#: Subject-level variables never proposed as baseline variables.
NOT_BASELINE = {"STUDYID", "USUBJID", "SUBJID", "SITEID", "ARM", "ARMCD", "ACTARM",
                "ACTARMCD", "TRT01P", "TRT01A", "TRT01PN", "TRT01AN", "DCUTDT", "AGEU"}
#: Most levels of a variable proposed as a baseline or stratification variable.
MAX_LEVELS = 12
#: Round landmark steps (the time unit's own round numbers).
LANDMARK_STEPS = {"days": (30, 90, 180, 365), "weeks": (4, 12, 26, 52),
                  "months": (3, 6, 12, 24), "years": (0.5, 1, 2, 5)}


def _folders(data: Path) -> list[tuple[str, Path]]:
    """``(cut-off name, folder)``: the folder itself, or each subfolder with ADaM files."""
    if not data.is_dir():
        raise StudyError(f"{data}: no such folder")
    if find_datasets(data):
        return [("final", data)]
    subs = [(_name(p.name), p) for p in sorted(data.iterdir()) if p.is_dir() and
            find_datasets(p)]
    if not subs:
        raise StudyError(f"{data}: no ADaM files (adsl, adtte, ...) in it or in a subfolder")
    return subs


def _name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text).strip("_.-")


def _cutoff_date(adam: AdamData) -> str | None:
    if "DCUTDT" not in adam.adsl.columns:
        return None
    dates = adam.adsl["DCUTDT"].dropna().unique()
    return str(pd.Timestamp(dates[0]).date()) if len(dates) == 1 else None


def _unit(adtte: pd.DataFrame) -> str:
    if col.AVALU not in adtte.columns:
        return col.DEFAULT_UNIT.lower()
    units = {str(u).strip().upper() for u in adtte[col.AVALU].dropna()}
    return units.pop().lower() if len(units) == 1 else col.DEFAULT_UNIT.lower()


def _reference(arms: list[str], given: str | None) -> tuple[str, str]:
    if given is not None:
        if given not in arms:
            raise StudyError(f"--reference {given!r} is not an arm; arms are "
                             f"{', '.join(repr(a) for a in arms)}")
        return given, "named with --reference"
    for arm in arms:
        if any(word in arm.lower() for word in CONTROL_WORDS):
            return arm, f"CHECK: proposed because the label says {arm!r}"
    return arms[-1], "CHECK: no --reference given; the last arm in sort order was taken"


def _candidates(adsl: pd.DataFrame, arm_var: str) -> tuple[list[str], list[str]]:
    """(strata, baseline variables) proposed from ADSL."""
    strata, baseline = [], []
    for var in adsl.columns:
        values = adsl[var].dropna()
        if var in NOT_BASELINE or var == arm_var or values.empty:
            continue
        if pd.api.types.is_datetime64_any_dtype(values) or var.endswith(("DT", "DTM", "DY")):
            continue
        levels = values.astype(str).nunique()
        if re.match(r"^STRAT\w*$", var) and 2 <= levels <= MAX_LEVELS:
            strata.append(var)
        elif var == "AGE" or (not pd.api.types.is_numeric_dtype(values)
                              and 2 <= levels <= MAX_LEVELS and not var.startswith("DTH")):
            baseline.append(var)
    return strata, baseline


def _landmarks(times: np.ndarray, unit: str) -> list[float]:
    """Three multiples of the largest round step of the unit that fit in 90% of the
    follow-up (fewer when even the smallest step does not fit three times)."""
    last = float(np.max(times)) if times.size else 0.0
    steps = LANDMARK_STEPS.get(unit, LANDMARK_STEPS["months"])
    step = next((s for s in reversed(steps) if 3 * s <= 0.9 * last), steps[0])
    return [float(step * k) for k in range(1, 4) if step * k <= 0.9 * last]


def _q(text: str) -> str:
    return json.dumps(str(text), ensure_ascii=False)


def _qlist(items) -> str:
    return "[" + ", ".join(_q(i) for i in items) + "]"


def starter_toml(data: str | os.PathLike, *, arm_var: str = col.DEFAULT_ARM_VAR,
                 reference: str | None = None, study_id: str | None = None) -> str:
    """The text of a starter ``study.toml`` for the ADaM data under ``data``.

    Raises
    ------
    StudyError, AdamError
        No ADaM files, invalid data, or a ``reference`` that is not an arm.
    """
    data = Path(data)
    folders = _folders(data)
    loaded = [(name, load_adam(folder, arm_var=arm_var)) for name, folder in folders]
    last = loaded[-1][1]
    arms = sorted(last.adsl[last.arm_var].dropna().astype(str).unique())
    ref, why = _reference(arms, reference)
    unit = _unit(last.adtte)
    strata, baseline = _candidates(last.adsl, last.arm_var)
    ident = _name(study_id or data.resolve().name).lower() or "study"
    out = [f"# Starter study definition written by `netter study init --data {data}`.",
           "# Edit it: every line marked CHECK is a guess. `netter study show` prints it back.",
           "", f"id = {_q(ident)}", f"title = {_q('Study ' + ident + ' (CHECK: give a title)')}",
           f"arm_var = {_q(last.arm_var)}", f"reference = {_q(ref)}   # {why}",
           'profile = "r"', f"time_unit = {_q(unit)}   # from AVALU",
           f"strata = {_qlist(strata)}   # CHECK: randomisation strata (STRAT... variables)",
           f"baseline = {_qlist(baseline)}   # CHECK: variables of the baseline table", ""]
    for arm in arms:
        out += ["[[arms]]", f"value = {_q(arm)}", f"label = {_q(arm)}", ""]
    for var in [*strata, *baseline]:
        label = last.variable_label(var)
        if label:
            out += [f"[variables.{var}]", f"label = {_q(label)}", ""]
    params = sorted(last.adtte[col.PARAMCD].dropna().astype(str).unique())
    for paramcd in params:
        rows = last.adtte[last.adtte[col.PARAMCD] == paramcd]
        label = (sorted(rows[col.PARAM].dropna().astype(str).unique())[:1]
                 if col.PARAM in rows.columns else [])
        out += [f"[endpoints.{_bare(paramcd)}]"]
        out += [f"label = {_q(label[0])}"] if label else []
        out += ['origin = "randomisation"   # CHECK: the event the times start from', ""]
    for name, adam in loaded:
        date = _cutoff_date(adam)
        out += ["[[cutoffs]]", f"name = {_q(name)}"]
        out += [f"date = {date}"] if date else ["# date = YYYY-MM-DD"]
        out.append("")
    out += _analyses(loaded, params, unit)
    if baseline:
        out += ["[[analyses]]", 'name = "baseline"', 'title = "Baseline characteristics"',
                f"cutoff = {_q(loaded[0][0])}", f"describe = {_qlist(baseline)}", ""]
    out += ["# Subgroup analysis (forest plot): uncomment and choose the variables.",
            "# [[analyses]]", '# name = "subgroups"', f"# cutoff = {_q(loaded[-1][0])}",
            f"# endpoints = {_qlist(params[:1])}", f"# subgroups = {_qlist(baseline[:4])}", ""]
    return "\n".join(out) + "\n"


def _bare(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _q(key)


def _analyses(loaded, params, unit: str) -> list[str]:
    out = []
    several = len(loaded) > 1
    for name, adam in loaded:
        for paramcd in params:
            rows = adam.adtte[adam.adtte[col.PARAMCD] == paramcd]
            if rows.empty:
                continue
            days = col.to_days(rows[col.AVAL].to_numpy(float), "DAYS") * np.array(
                [col.UNIT_TO_DAYS.get(str(u).upper(), 1.0) for u in
                 (rows[col.AVALU] if col.AVALU in rows.columns else ["DAYS"] * len(rows))])
            times = col.from_days(days, unit)
            analysis = _name(paramcd.lower() + (f"_{name}" if several else ""))
            out += ["[[analyses]]", f"name = {_q(analysis)}", f"cutoff = {_q(name)}",
                    f"endpoints = [{_q(paramcd)}]",
                    f"landmarks = [{', '.join(f'{t:g}' for t in _landmarks(times, unit))}]"
                    "   # CHECK", f"# rmst_tau = {_restriction(times)}   # RMST up to ...", ""]
        if adam.adrs is not None:
            out += ["[[analyses]]", f"name = {_q('response' + (f'_{name}' if several else ''))}",
                    f"cutoff = {_q(name)}", "response = true", ""]
    return out


def _restriction(times: np.ndarray) -> str:
    value = float(np.max(times)) * 0.75 if times.size else 1.0
    digits = max(0, -int(math.floor(math.log10(value)))) if value > 0 else 0
    return f"{round(value, digits):g}"


def write_starter(data: str | os.PathLike, out: str | os.PathLike, **options) -> Path:
    """Write :func:`starter_toml` to ``out`` (refusing to overwrite an existing file)."""
    out = Path(out)
    if out.exists():
        raise StudyError(f"{out}: exists; netter study init does not overwrite a study")
    text = starter_toml(data, **options)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return out
