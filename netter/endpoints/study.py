"""A study's analyses, run as the study declares them: the one way results are composed.

:func:`run_analysis` takes a :class:`~netter.study.model.Study` and the name of one of
its analyses, loads the ADaM folder of the analysis's cut-off, and runs it through
the endpoint composers of this package with the study's settings: profile, reference
arm, strata, population flag, time unit, risk-table step, labels.  Time-to-event
analyses (and response) give a :class:`~netter.results.ResultsDocument`, subgroup
analyses a :class:`~netter.results.SubgroupsDocument`, descriptions a
:class:`~netter.results.BaselineDocument`; each records the study, the analysis, the
cut-off, the data folder and the arms' labels.

The notebooks, ``netter run``, the calibration of the simulator and the scorecard all
get their numbers from here.

Examples
--------
>>> import tempfile
>>> from netter.study.load import parse_study
>>> root = Path(tempfile.mkdtemp())
>>> _ = (root / "adsl.csv").write_text("USUBJID,ARM\\nS1,Drug\\nS2,Placebo\\n"
...                                    "S3,Drug\\nS4,Placebo\\n")
>>> _ = (root / "adtte.csv").write_text("USUBJID,PARAMCD,AVAL,CNSR,AVALU\\n"
...     "S1,OS,30,0,WEEKS\\nS2,OS,10,0,WEEKS\\nS3,OS,25,1,WEEKS\\nS4,OS,20,0,WEEKS\\n")
>>> study = parse_study({"id": "demo", "title": "Demo", "arm_var": "ARM",
...     "reference": "Placebo", "time_unit": "weeks",
...     "arms": [{"value": "Drug"}, {"value": "Placebo", "label": "Placebo (control)"}],
...     "cutoffs": [{"name": "final"}],
...     "analyses": [{"name": "os", "cutoff": "final", "endpoints": ["OS"]}]},
...     root / "study.toml")
>>> doc = run_analysis(study, "os", data=root)
>>> doc.study.analysis, doc.time_unit, doc.endpoints["OS"].arms[1].median.estimate
('os', 'weeks', 15.0)
>>> [(a.value, a.label) for a in doc.arm_labels][1], doc.methods.reference_rule
(('Placebo', 'Placebo (control)'), 'named by the study')
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path

from netter.adam.io import AdamData, load_adam
from netter.endpoints.baseline import describe_baseline
from netter.endpoints.subgroups import analyze_subgroups
from netter.endpoints.trial import RULE_STUDY, analyze_trial, input_files, shown_path
from netter.errors import NetterError
from netter.results import ArmLabel, CutoffRecord, StudyRecord
from netter.study.layout import cutoff_folder
from netter.study.model import DESCRIBE, SUBGROUPS, AnalysisDef, Study


def _analysis(study: Study, name: str) -> AnalysisDef:
    try:
        return study.analysis(name)
    except KeyError:
        names = ", ".join(a.name for a in study.analyses) or "none"
        raise NetterError(f"{study.path}: no analysis {name!r} (analyses: {names})") from None


def check_arms(study: Study, data: AdamData, folder: Path) -> None:
    """Every arm in the data must be declared by the study (a typo would be a new arm).

    Raises
    ------
    NetterError
        Naming the folder, the arm variable, the undeclared values and the declared arms.
    """
    values = sorted(set(data.adsl[data.arm_var].dropna().astype(str)))
    unknown = [v for v in values if v not in study.arm_values]
    if unknown:
        declared = ", ".join(repr(v) for v in study.arm_values)
        raise NetterError(f"{folder}: ADSL {data.arm_var} has arm(s) "
                          f"{', '.join(repr(v) for v in unknown)} that study {study.id!r} "
                          f"does not declare ({declared})")


def load_cutoff(study: Study, cutoff: str, data: str | os.PathLike | None = None
                ) -> tuple[AdamData, Path]:
    """The validated ADaM data of one cut-off, and its folder."""
    folder = cutoff_folder(study, data, cutoff)
    adam = load_adam(folder, arm_var=study.arm_var)
    check_arms(study, adam, folder)
    return adam, folder


def _labels(study: Study, variables) -> tuple[dict, dict]:
    names = {v: study.variables[v].label for v in variables
             if v in study.variables and study.variables[v].label}
    levels = {v: study.variables[v].levels for v in variables
              if v in study.variables and study.variables[v].levels}
    return names, levels


def used_abbreviations(study: Study, texts) -> dict[str, str] | None:
    """The study's abbreviations that occur as words in ``texts`` (study order).

    Examples
    --------
    >>> from netter.study.model import Study
    >>> s = Study(id="s", title="S", path=None, arm_var="A", arms=(), reference=None,
    ...           cutoffs=(), abbreviations={"ECOG": "Eastern Cooperative Oncology Group"})
    >>> used_abbreviations(s, ["ECOG performance status"]), used_abbreviations(s, ["Age"])
    ({'ECOG': 'Eastern Cooperative Oncology Group'}, None)
    """
    words = {w for text in texts if text for w in re.findall(r"[A-Za-z0-9]+", text)}
    found = {k: v for k, v in study.abbreviations.items() if k in words}
    return found or None


def _describe(study: Study, analysis: AnalysisDef, data: AdamData):
    names, levels = _labels(study, analysis.describe)
    names = {v: names.get(v) or data.variable_label(v) for v in analysis.describe}
    names = {k: v for k, v in names.items() if v}
    texts = [*names.values(), *(t for lv in levels.values() for t in lv.values())]
    document = describe_baseline(data.adsl, variables=analysis.describe,
                                 arm_var=data.arm_var, inputs=input_files(data, ["adsl"]),
                                 variable_labels=names, level_labels=levels,
                                 population_flag=study.population_flag)
    return replace(document, abbreviations=used_abbreviations(study, texts))


def _compute(study: Study, analysis: AnalysisDef, data: AdamData):
    common = {"population_flag": study.population_flag}
    if analysis.kind == DESCRIBE:
        return _describe(study, analysis, data)
    if analysis.kind == SUBGROUPS:
        names, levels = _labels(study, analysis.subgroups)
        paramcd = analysis.endpoints[0]
        endpoint = study.endpoints.get(paramcd)
        return analyze_subgroups(
            data, paramcd=paramcd, variables=analysis.subgroups, profile=study.profile,
            reference=study.reference, time_unit=study.time_unit,
            endpoint_label=endpoint.label if endpoint else None, variable_labels=names,
            level_labels=levels, reference_rule=RULE_STUDY, **common)
    return analyze_trial(
        data, profile=study.profile, reference=study.reference,
        strata=study.analysis_strata(analysis), params=analysis.endpoints,
        landmarks=analysis.landmarks, rmst_tau=analysis.rmst_tau, response=analysis.response,
        time_unit=study.time_unit, risk_step=study.risk_step, endpoint_defs=study.endpoints,
        methods=analysis.comparisons, reference_rule=RULE_STUDY, **common)


def study_record(study: Study, analysis: AnalysisDef) -> StudyRecord:
    """The :class:`~netter.results.StudyRecord` of one analysis of ``study``."""
    cut = study.cutoff(analysis.cutoff)
    return StudyRecord(id=study.id, title=study.title, analysis=analysis.name,
                       cutoff=CutoffRecord(cut.name, cut.date),
                       analysis_title=analysis.title)


def run_analysis(study: Study, name: str, data: str | os.PathLike | None = None, *,
                 adam: AdamData | None = None, folder: str | os.PathLike | None = None):
    """Run the analysis ``name`` of ``study`` on the data of its cut-off.

    Parameters
    ----------
    study : Study
    name : str
        A declared analysis.
    data : path-like, optional
        Data folder (one subfolder per cut-off); default: the study's ``data``.
    adam, folder : optional
        Already loaded data of the analysis's cut-off and the folder it came from
        (``run_analyses`` loads each cut-off once).

    Returns
    -------
    ResultsDocument, SubgroupsDocument or BaselineDocument
        With ``study``, ``data`` and ``arm_labels`` recorded.

    Raises
    ------
    NetterError
        Unknown analysis, missing data folder, invalid data, an undeclared arm, or a
        variable or endpoint the data do not have.
    """
    analysis = _analysis(study, name)
    if adam is None:
        adam, folder = load_cutoff(study, analysis.cutoff, data)
    try:
        document = _compute(study, analysis, adam)
    except NetterError as err:
        raise NetterError(f"{study.path}: analysis {name!r} (data {folder}): {err}") from err
    return replace(document, study=study_record(study, analysis), data=shown_path(folder),
                   arm_labels=tuple(ArmLabel(a.value, a.label) for a in study.arms))


def run_analyses(study: Study, names=None, data: str | os.PathLike | None = None) -> dict:
    """Run several analyses (default: all, in the study's order), loading each cut-off's
    data once.  Returns ``{name: document}`` in the order run."""
    chosen = [a.name for a in study.analyses] if names is None else list(names)
    loaded: dict[str, tuple[AdamData, Path]] = {}
    out = {}
    for name in chosen:
        cutoff = _analysis(study, name).cutoff
        if cutoff not in loaded:
            loaded[cutoff] = load_cutoff(study, cutoff, data)
        adam, folder = loaded[cutoff]
        out[name] = run_analysis(study, name, data, adam=adam, folder=folder)
    return out
