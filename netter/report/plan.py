"""The plan of a study's report: which notebooks run, which results, figures and tables
each analysis gives; and the same as Make variables (``netter study make``).

Every output name follows from the study alone (its analyses' kinds, endpoints and
response flag), so ``make`` knows every file before anything runs:

* an analysis of time-to-event endpoints: a Kaplan-Meier figure and a summary table per
  endpoint (``<name>--km``, ``<name>--summary``; ``<name>-<paramcd>--...`` with several),
  and with ``response = true`` the response figure and table (``<name>--response``);
* a subgroup analysis: the forest plot (``<name>--forest``);
* a description: the characteristics table (``<name>--characteristics``).

Analyses that none of the study's notebooks saves get the generic notebook, one each.

Examples
--------
>>> from netter.study.model import AnalysisDef, ArmDef, CutoffDef, Study
>>> study = Study(id="demo", title="Demo", path=None, arm_var="TRT01P",
...               arms=(ArmDef("B", "B"), ArmDef("A", "A")), reference="A",
...               cutoffs=(CutoffDef("final", None),),
...               analyses=(AnalysisDef("main", "final", ("OS", "PFS"), response=True),))
>>> outputs = analysis_outputs(study.analyses[0])
>>> outputs.figures
('main-os--km', 'main-os--schoenfeld', 'main-pfs--km', 'main-pfs--schoenfeld', 'main--response')
>>> outputs.tables
('main-os--summary', 'main-pfs--summary', 'main--response')
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from netter.artefacts import output_stem
from netter.study.model import (
    CROSSOVER,
    DESCRIBE,
    EXTRAPOLATION,
    SUBGROUPS,
    AnalysisDef,
    Study,
)


@dataclass(frozen=True)
class Outputs:
    """File stems of an analysis's figures (``.png``, ``.svg``) and tables (``.csv``, ``.html``)."""

    figures: tuple[str, ...]
    tables: tuple[str, ...]


def analysis_outputs(analysis: AnalysisDef) -> Outputs:
    """The figures and tables an analysis gives (see the module docstring)."""
    name = analysis.name
    if analysis.kind == SUBGROUPS:
        return Outputs((output_stem(name, "forest"),), ())
    if analysis.kind == DESCRIBE:
        return Outputs((), (output_stem(name, "characteristics"),))
    if analysis.kind == CROSSOVER:
        return Outputs((output_stem(name, "crossover"), output_stem(name, "crossover-km")),
                       (output_stem(name, "crossover"),))
    if analysis.kind == EXTRAPOLATION:
        several = len(analysis.endpoints) > 1
        figures = [output_stem(name, kind, p, several=several)
                   for p in analysis.endpoints for kind in ("extrapolation", "hazard")]
        tables = [output_stem(name, "extrapolation")]
        if analysis.extrapolation.psm is not None:
            figures.append(output_stem(name, "psm"))
            tables.append(output_stem(name, "psm"))
        return Outputs(tuple(figures), tuple(tables))
    several = len(analysis.endpoints) > 1
    figures = [output_stem(name, kind, p, several=several)
               for p in sorted(analysis.endpoints) for kind in ("km", "schoenfeld")]
    tables = [output_stem(name, "summary", p, several=several)
              for p in sorted(analysis.endpoints)]
    if analysis.response:
        figures.append(output_stem(name, "response"))
        tables.append(output_stem(name, "response"))
    return Outputs(tuple(figures), tuple(tables))


@dataclass(frozen=True)
class NotebookRun:
    """One notebook execution: its HTML name, script, the analyses it saves, and whether it
    is the generic notebook (run once per analysis, ``NETTER_ANALYSIS`` set)."""

    name: str
    script: str | None
    analyses: tuple[str, ...]
    generic: bool


def notebook_runs(study: Study) -> tuple[NotebookRun, ...]:
    """The study's own notebooks, then one generic notebook per analysis none of them saves.

    A generic run's HTML is named after its analysis (an analysis named like a study
    notebook is refused by the notebook's name taking precedence: the names must differ).
    """
    runs = [NotebookRun(n.name, _posix(n.script), n.analyses, False) for n in study.notebooks]
    saved = {a for n in study.notebooks for a in n.analyses}
    taken = {n.name for n in study.notebooks}
    for analysis in study.analyses:
        if analysis.name not in saved:
            name = analysis.name if analysis.name not in taken else f"{analysis.name}-analysis"
            runs.append(NotebookRun(name, None, (analysis.name,), True))
    return tuple(runs)


def _posix(path) -> str:
    return Path(os.path.relpath(path)).as_posix() if Path(path).is_absolute() else Path(
        path).as_posix()


def _words(values) -> str:
    return " ".join(values)


def make_variables(study: Study, data: str | os.PathLike | None = None) -> str:
    """The study as Make variables (``netter study make``): what the Makefile needs to know.

    Variables: ``S_ID``, ``S_NAME``, ``S_FILES`` (the study's own files), ``S_DATA`` (the
    default data folder), ``S_SIMULATION``, ``S_PUBLISHED``, ``S_CALIBRATION`` (empty when
    absent), ``S_CUTOFFS``, ``S_ANALYSES``, ``S_NOTEBOOKS`` and per notebook
    ``S_NB_<name>_SCRIPT`` (empty: the generic one), ``S_NB_<name>_RESULTS``,
    ``S_NB_<name>_ANALYSIS``; per analysis ``S_FIG_<name>`` and ``S_TAB_<name>`` (stems).
    """
    files = [study.path, *(n.script for n in study.notebooks),
             *(p for p in (study.simulation, study.published, study.scorecard,
                           study.calibration) if p is not None)]
    lines = [
        "# Generated by `netter study make`: the study's report plan as Make variables.",
        f"S_ID := {study.id}",
        f"S_FILES := {_words(_posix(f) for f in files)}",
        f"S_DATA := {_posix(study.data) if study.data else ''}",
        f"S_SIMULATION := {_posix(study.simulation) if study.simulation else ''}",
        f"S_PUBLISHED := {_posix(study.published) if study.published else ''}",
        f"S_CALIBRATION := {_posix(study.calibration) if study.calibration else ''}",
        f"S_CUTOFFS := {_words(c.name for c in study.cutoffs)}",
        f"S_ANALYSES := {_words(a.name for a in study.analyses)}",
    ]
    runs = notebook_runs(study)
    lines.append(f"S_NOTEBOOKS := {_words(r.name for r in runs)}")
    for run in runs:
        lines += [f"S_NB_{run.name}_SCRIPT := {run.script or ''}",
                  f"S_NB_{run.name}_RESULTS := {_words(run.analyses)}",
                  f"S_NB_{run.name}_ANALYSIS := {run.analyses[0] if run.generic else ''}"]
    for analysis in study.analyses:
        outputs = analysis_outputs(analysis)
        lines += [f"S_FIG_{analysis.name} := {_words(outputs.figures)}",
                  f"S_TAB_{analysis.name} := {_words(outputs.tables)}"]
    return "\n".join(lines) + "\n"
