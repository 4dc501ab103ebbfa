"""A study's analyses, run as the study declares them: the one way results are composed.

:func:`run_analysis` takes a :class:`~netter.study.model.Study` and the name of one of
its analyses, loads the ADaM folder of the analysis's cut-off, and runs it through
the endpoint composers of this package with the study's settings: profile, reference
arm, strata, population flag, time unit, risk-table step, labels.  Time-to-event
analyses (and response) give a :class:`~netter.results.ResultsDocument`, subgroup
analyses a :class:`~netter.results.SubgroupsDocument`, descriptions a
:class:`~netter.results.BaselineDocument`; each records the study, the analysis, the
cut-off, the data folder and the arms' labels.

What the study asks for and the data cannot give is never a traceback: an endpoint the
cut-off's ADTTE lacks, the response without ADRS, a stratification or subgroup variable
ADSL lacks, a subgroup analysis of more than two arms, a cut-off without its data
folder.  The rest of the analysis runs, and the document records each such item under
``not_computable`` with the reason (figures and tables then say so in its place).
Invalid data, an undeclared arm or a missing data folder remain errors.

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

from netter import __version__
from netter.adam import columns as col
from netter.adam.io import AdamData, load_adam
from netter.endpoints.baseline import describe_baseline
from netter.endpoints.methods import MethodSettings
from netter.endpoints.subgroups import analyze_subgroups
from netter.endpoints.trial import (
    RULE_STUDY,
    analyze_trial,
    input_files,
    methods_record,
    shown_path,
)
from netter.errors import NetterError
from netter.profiles import get_profile
from netter.results import (
    SCHEMA,
    ArmLabel,
    BaselineDocument,
    CutoffRecord,
    ResultsDocument,
    StudyRecord,
    SubgroupResult,
    SubgroupsDocument,
)
from netter.results.baseline import SCHEMA as BASELINE_SCHEMA
from netter.results.subgroups import ALL_PATIENTS
from netter.results.subgroups import SCHEMA as SUBGROUPS_SCHEMA
from netter.study.layout import cutoff_folder, data_root
from netter.study.model import (
    CROSSOVER,
    DESCRIBE,
    EXTRAPOLATION,
    SUBGROUPS,
    AnalysisDef,
    Study,
)
from netter.study.toml import StudyError


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


def load_cutoff(study: Study, cutoff: str, data: str | os.PathLike | None = None, *,
                strict: bool = False) -> tuple[AdamData, Path]:
    """The validated ADaM data of one cut-off, and its folder (``strict``: data with
    warnings are refused, see :func:`netter.adam.io.load_adam`).

    Raises
    ------
    StudyError
        The data folder does not exist, or has no folder for this cut-off.
    """
    folder = cutoff_folder(study, data, cutoff)
    adam = load_adam(folder, arm_var=study.arm_var, strict=strict)
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


def _feasible(study: Study, analysis: AnalysisDef, data: AdamData
              ) -> tuple[AnalysisDef, dict[str, str]]:
    """The part of ``analysis`` the data can give, and what they cannot (item -> reason)."""
    missing: dict[str, str] = {}
    where = f"cut-off {analysis.cutoff}"
    params = set(data.adtte[col.PARAMCD].dropna().astype(str))
    for paramcd in analysis.endpoints:
        if paramcd not in params:
            missing[paramcd] = (f"the ADTTE of {where} has no PARAMCD {paramcd} (it has "
                                f"{', '.join(sorted(params)) or 'none'})")
    if analysis.response and data.adrs is None:
        missing["response"] = f"no ADRS in the data of {where}"
    absent = [v for v in study.analysis_strata(analysis) if v not in data.adsl.columns]
    if absent:
        missing["strata"] = (f"ADSL has no variable {', '.join(absent)}: the other "
                             "stratification variables are used")
    for var in (*analysis.subgroups, *analysis.describe):
        if var not in data.adsl.columns:
            missing[var] = f"ADSL has no variable {var}"
    if analysis.kind == EXTRAPOLATION:
        psm = analysis.extrapolation.psm
        if psm is not None and (psm[0] not in params or psm[1] not in params):
            missing["psm"] = (f"partitioned survival needs {psm[0]} and {psm[1]}; the ADTTE "
                              f"of {where} has {', '.join(sorted(params)) or 'none'}")
        if analysis.endpoints and all(p in missing for p in analysis.endpoints):
            missing["analysis"] = "; ".join(missing[p] for p in analysis.endpoints)
    if analysis.kind == CROSSOVER:
        absent_xo = [v for v in ("XOVERFL", "XOVERDT") if v not in data.adsl.columns]
        if absent_xo:
            missing["analysis"] = (f"ADSL has no variable {', '.join(absent_xo)}: crossover "
                                   "adjustment needs XOVERFL and XOVERDT")
        elif analysis.endpoints and analysis.endpoints[0] in missing:
            missing["analysis"] = missing[analysis.endpoints[0]]
    arms = data.adsl[data.arm_var].dropna().astype(str).nunique()
    if analysis.kind == SUBGROUPS and arms != 2:
        missing["analysis"] = f"subgroup analyses compare two arms; the data have {arms}"
    strata = tuple(v for v in study.analysis_strata(analysis) if v not in absent)
    kept = replace(
        analysis, endpoints=tuple(p for p in analysis.endpoints if p not in missing),
        response=analysis.response and "response" not in missing, strata=strata,
        subgroups=tuple(v for v in analysis.subgroups if v not in missing),
        describe=tuple(v for v in analysis.describe if v not in missing))
    return kept, missing


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
    kept, missing = _feasible(study, analysis, data)
    if analysis.kind == CROSSOVER:
        if "analysis" in missing:
            return empty_document(study, analysis, missing["analysis"])
        return _crossover(study, analysis, data)
    if analysis.kind == EXTRAPOLATION:
        if "analysis" in missing:
            return empty_document(study, analysis, missing["analysis"])
        document = _extrapolation(study, kept, data, psm_ok="psm" not in missing)
        return replace(document, not_computable=missing or None)
    nothing = ((analysis.kind == SUBGROUPS and not (kept.endpoints and kept.subgroups))
               or (analysis.kind == DESCRIBE and not kept.describe))
    if "analysis" in missing or nothing:
        reason = missing.get("analysis") or "; ".join(missing.values())
        return empty_document(study, analysis, reason)
    document = _computable(study, kept, data)
    return replace(document, not_computable=missing or None)


def _crossover(study: Study, analysis: AnalysisDef, data: AdamData):
    """The crossover analysis as declared (``[analyses.crossover]``), in the study's unit,
    profile and labels; a missing ``DCUTDT`` takes the cut-off's date."""
    from netter.endpoints.crossover import CrossoverOptions, analyze_crossover
    from netter.results.crossover import DEFAULT_METHODS

    xo = analysis.crossover
    options = CrossoverOptions(
        methods=xo.methods or DEFAULT_METHODS,
        covariates=study.strata if xo.covariates is None else xo.covariates,
        strata=xo.strata, rpsftm_test=xo.rpsftm_test, recensor=xo.recensor,
        rpsftm_interval=xo.psi_interval, exposure_experimental=xo.exposure_experimental,
        exposure_switch=xo.exposure_switch,
        ipcw_interval_days=xo.ipcw_interval_days, ipcw_truncation=xo.ipcw_truncation,
        tse_distribution=xo.tse_distribution, progression_param=xo.progression,
        bootstrap=xo.bootstrap, seed=xo.seed)
    param = analysis.endpoints[0]
    endpoint = study.endpoints.get(param)
    document = analyze_crossover(
        data, param=param, reference=study.reference, arm_var=data.arm_var,
        profile=study.profile, time_unit=study.time_unit, options=options,
        population_flag=study.population_flag,
        cutoff_date=study.cutoff(analysis.cutoff).date, progress=False)  # reports: no timings
    return replace(document, param_label=endpoint.label if endpoint else None)


def _horizon(study: Study, years: float) -> float:
    """``years`` in the study's time unit."""
    return float(col.from_days([years * 365.25], study.time_unit)[0])


def _extrapolation(study: Study, analysis: AnalysisDef, data: AdamData, *, psm_ok: bool):
    """The extrapolation analysis as declared (``[analyses.extrapolation]``)."""
    from netter.endpoints.extrapolation import analyze_extrapolation
    from netter.stats.parametric import DISTRIBUTIONS

    ex = analysis.extrapolation
    return analyze_extrapolation(
        data, params=analysis.endpoints, reference=study.reference, arm_var=data.arm_var,
        distributions=ex.distributions or DISTRIBUTIONS,
        horizon=_horizon(study, ex.horizon_years), joint=ex.joint, profile=study.profile,
        time_unit=study.time_unit, knots=ex.knots, psm=ex.psm if psm_ok else None,
        population_flag=study.population_flag)


def _computable(study: Study, analysis: AnalysisDef, data: AdamData):
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
        methods=analysis.comparisons, reference_rule=RULE_STUDY,
        method_settings=MethodSettings(
            weighted_logrank=analysis.weighted_logrank, maxcombo_on=analysis.maxcombo,
            piecewise=analysis.piecewise, rmst_grid=analysis.rmst_grid), **common)


def empty_document(study: Study, analysis: AnalysisDef, reason: str):
    """The document of an analysis the data cannot give at all: every item it asks for
    is not computable, for ``reason`` (the figures and tables then say so)."""
    profile = get_profile(study.profile)
    methods = methods_record(profile, RULE_STUDY)
    if analysis.kind == EXTRAPOLATION:
        from netter.endpoints.extrapolation import empty_extrapolation

        return empty_extrapolation(study.arm_var, study.reference or "", profile,
                                   study.time_unit,
                                   _horizon(study, analysis.extrapolation.horizon_years),
                                   reason)
    if analysis.kind == CROSSOVER:
        from netter.endpoints.crossover import empty_crossover

        return empty_crossover(analysis.endpoints[0], study.arm_var, study.reference or "",
                               profile, study.time_unit, reason)
    if analysis.kind == DESCRIBE:
        return BaselineDocument(
            schema=BASELINE_SCHEMA, generator=f"netter {__version__}", arm_var=study.arm_var,
            population_flag=study.population_flag, groups=(), variables=(), inputs={},
            not_computable={"analysis": reason})
    if analysis.kind == SUBGROUPS:
        overall = SubgroupResult(None, ALL_PATIENTS, 0, 0, (), None, (None, None), None,
                                 reason)
        return SubgroupsDocument(
            schema=SUBGROUPS_SCHEMA, generator=f"netter {__version__}", profile=profile.name,
            methods=methods, time_unit=study.time_unit, paramcd=analysis.endpoints[0],
            label=None, arm_var=study.arm_var, arm="", reference_arm=study.reference or "",
            population_flag=study.population_flag, inputs={}, overall=overall, variables=(),
            not_computable={"analysis": reason})
    items = {p: reason for p in analysis.endpoints}
    if analysis.response:
        items["response"] = reason
    return ResultsDocument(
        schema=SCHEMA, generator=f"netter {__version__}", profile=profile.name,
        methods=methods, time_unit=study.time_unit, reference_arm=study.reference or "",
        arm_var=study.arm_var, strata=(), population_flag=study.population_flag, params=(),
        landmarks=analysis.landmarks, rmst_tau=analysis.rmst_tau, inputs={}, endpoints={},
        not_computable=items)


def study_record(study: Study, analysis: AnalysisDef) -> StudyRecord:
    """The :class:`~netter.results.StudyRecord` of one analysis of ``study``."""
    cut = study.cutoff(analysis.cutoff)
    return StudyRecord(id=study.id, title=study.title, analysis=analysis.name,
                       cutoff=CutoffRecord(cut.name, cut.date),
                       analysis_title=analysis.title)


def run_analysis(study: Study, name: str, data: str | os.PathLike | None = None, *,
                 adam: AdamData | None = None, folder: str | os.PathLike | None = None,
                 strict: bool = False):
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
    strict : bool
        Refuse data with warnings.

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
        try:
            adam, folder = load_cutoff(study, analysis.cutoff, data, strict=strict)
        except StudyError as err:
            if not data_root(study, data).is_dir():
                raise
            document = empty_document(study, analysis, str(err))
            return replace(document, study=study_record(study, analysis),
                           arm_labels=_arm_labels(study))
    try:
        document = _compute(study, analysis, adam)
    except NetterError as err:
        raise NetterError(f"{study.path}: analysis {name!r} (data {folder}): {err}") from err
    return replace(document, study=study_record(study, analysis), data=shown_path(folder),
                   arm_labels=_arm_labels(study))


def _arm_labels(study: Study) -> tuple[ArmLabel, ...]:
    return tuple(ArmLabel(a.value, a.label) for a in study.arms)


def run_analyses(study: Study, names=None, data: str | os.PathLike | None = None, *,
                 strict: bool = False) -> dict:
    """Run several analyses (default: all, in the study's order), loading each cut-off's
    data once (``strict``: refuse data with warnings).  Returns ``{name: document}`` in
    the order run."""
    chosen = [a.name for a in study.analyses] if names is None else list(names)
    loaded: dict[str, tuple[AdamData, Path]] = {}
    out = {}
    for name in chosen:
        cutoff = _analysis(study, name).cutoff
        if cutoff not in loaded:
            try:
                loaded[cutoff] = load_cutoff(study, cutoff, data, strict=strict)
            except StudyError:
                if not data_root(study, data).is_dir():
                    raise
                loaded[cutoff] = None
        if loaded[cutoff] is None:
            out[name] = run_analysis(study, name, data)  # not computable: no folder
            continue
        adam, folder = loaded[cutoff]
        out[name] = run_analysis(study, name, data, adam=adam, folder=folder)
    return out
