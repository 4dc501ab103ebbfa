"""All time-to-event endpoints of a trial, from validated ADaM data to a results document.

:func:`analyze_trial` is what ``netter analyze`` runs: it fixes the defaults,
derives one analysis set per ``PARAMCD`` (:func:`netter.adam.tte.derive_tte`),
analyses each with :func:`~netter.endpoints.endpoint.analyze_tte` and records
every choice in the :class:`~netter.results.ResultsDocument`.

Defaults
--------
* profile ``"r"`` (:data:`netter.profiles.DEFAULT_PROFILE`);
* reference arm: none.  It is named by the user or by the study
  (:mod:`netter.endpoints.study`); netter never guesses a reference among the arms:
  a guess would silently invert every hazard ratio;
* every ``PARAMCD`` of ADTTE (sorted), no landmarks, no RMST, no strata, no
  population flag, times in months, the response endpoint whenever ADRS is present.

Examples
--------
>>> import tempfile, pathlib
>>> from netter.adam.io import load_adam
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "adsl.csv").write_text("USUBJID,TRT01P\\nS1,Drug\\n"
...     "S2,Placebo\\nS3,Drug\\nS4,Placebo\\n")
>>> _ = (folder / "adtte.csv").write_text("USUBJID,PARAMCD,AVAL,CNSR\\nS1,PFS,300,0\\n"
...     "S2,PFS,100,0\\nS3,PFS,250,1\\nS4,PFS,200,0\\n")
>>> doc = analyze_trial(load_adam(folder), reference="Placebo")
>>> doc.reference_arm, doc.params, doc.methods.reference_rule
('Placebo', ('PFS',), 'named by the user')
>>> round(doc.endpoints["PFS"].arms[0].median.estimate, 4)  # 300 days in months
9.8563
>>> analyze_trial(load_adam(folder), params=["PFS"], time_unit="weeks",
...               reference="Placebo").endpoints["PFS"].arms[1].median.estimate
21.42857142857143
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path, PurePath

import numpy as np
import pandas as pd

from netter import __version__
from netter.adam import columns as col
from netter.adam.io import AdamData
from netter.adam.tte import derive_tte
from netter.endpoints.comparisons import PH_TRANSFORM
from netter.endpoints.endpoint import analyze_tte, check_landmarks, check_tau
from netter.endpoints.methods import MethodSettings
from netter.endpoints.response import response_endpoint
from netter.errors import NetterError
from netter.profiles import DEFAULT_PROFILE, Profile, get_profile
from netter.results import SCHEMA, InputFile, Methods, ResponseResult, ResultsDocument
from netter.study.load import project_root
from netter.study.model import EndpointDef

#: ``reference_rule`` values recorded in the results.
RULE_GIVEN = "named by the user"
RULE_STUDY = "named by the study"


def choose_reference(arms, reference: str | None = None) -> tuple[str, str]:
    """The reference arm and the rule that chose it.

    Parameters
    ----------
    arms : iterable of str
        Arm labels of the trial.
    reference : str, optional
        The arm the user named.

    Returns
    -------
    tuple of str
        ``(reference, rule)``.

    Raises
    ------
    NetterError
        The named arm is not an arm, or none is named.

    Examples
    --------
    >>> choose_reference(["a", "b"], "b")
    ('b', 'named by the user')
    >>> choose_reference(["a", "b"])
    Traceback (most recent call last):
    ...
    netter.errors.NetterError: no reference arm given; arms are 'a', 'b': name the reference ...
    """
    arms = sorted({str(a) for a in arms})
    listing = ", ".join(repr(a) for a in arms)
    if reference is not None:
        if str(reference) not in arms:
            near = [a for a in arms if a.casefold() == str(reference).casefold()]
            hint = f" (did you mean {near[0]!r}? arm values are case-sensitive)" if near else ""
            raise NetterError(f"reference arm {reference!r} is not an arm of the data; arms "
                              f"are {listing}{hint}")
        return str(reference), RULE_GIVEN
    raise NetterError(f"no reference arm given; arms are {listing}: name the reference arm "
                      "(--reference, or a study with --study)")


def shown_path(path) -> str:
    """A path as results record it: relative to the project when it lies in it (so the
    same file is recorded the same from any working directory), else as given when
    relative, else its last part (no absolute path ever enters a results file).

    Examples
    --------
    >>> shown_path("data/x/adsl.csv"), shown_path("/elsewhere/trial/adsl.csv")
    ('data/x/adsl.csv', 'adsl.csv')
    """
    pure = PurePath(path)
    root = project_root()
    if root is not None:
        full = Path(path).resolve()
        if full.is_relative_to(root.resolve()):
            return full.relative_to(root.resolve()).as_posix()
    return pure.name if pure.is_absolute() else pure.as_posix()


def input_files(data: AdamData, datasets=None) -> dict[str, InputFile]:
    """The input files of ``data`` (all, or ``datasets``) with the SHA-256 of the bytes
    that were read (:attr:`~netter.adam.io.AdamData.sha256`; a file is never re-read).

    Examples
    --------
    >>> import pandas as pd
    >>> data = AdamData(pd.DataFrame(), pd.DataFrame(), None, {"adsl": "/x/adsl.csv"},
    ...                 "TRT01P", sha256={"adsl": "e3b0c442"})
    >>> input_files(data)
    {'adsl': InputFile(path='adsl.csv', sha256='e3b0c442')}
    """
    names = sorted(data.files) if datasets is None else [d for d in datasets if d in data.files]
    return {name: InputFile(path=shown_path(data.files[name]), sha256=data.sha256[name])
            for name in names}


def _params(adtte: pd.DataFrame, params) -> tuple[str, ...]:
    available = sorted(adtte[col.PARAMCD].dropna().astype(str).unique())
    if params is None:
        return tuple(available)
    chosen = tuple(dict.fromkeys(str(p).strip() for p in params))
    unknown = [p for p in chosen if p not in available]
    if unknown:
        raise NetterError(f"ADTTE has no PARAMCD {', '.join(unknown)}; "
                          f"it has {', '.join(available)}")
    return chosen


def param_label(adtte: pd.DataFrame, paramcd: str) -> str | None:
    """The ADTTE ``PARAM`` of ``paramcd`` (the first in sort order), else ``None``.

    Examples
    --------
    >>> frame = pd.DataFrame({"PARAMCD": ["OS"], "PARAM": ["Overall survival"]})
    >>> param_label(frame, "OS"), param_label(frame[["PARAMCD"]], "OS")
    ('Overall survival', None)
    """
    if col.PARAM not in adtte.columns:
        return None
    labels = adtte.loc[adtte[col.PARAMCD] == paramcd, col.PARAM].dropna().astype(str)
    return None if labels.empty else sorted(labels.unique())[0]


def _endpoint_words(adtte: pd.DataFrame, paramcd: str, defs) -> dict:
    """Label (the study's, else ``PARAM``), axis title and time origin of an endpoint."""
    found = (defs or {}).get(paramcd) or EndpointDef(paramcd)
    return {"label": found.label or param_label(adtte, paramcd), "axis": found.axis,
            "origin": found.origin}


def _descriptions(adtte: pd.DataFrame, paramcd: str, usubjid) -> dict:
    """``EVNTDESC`` / ``CNSDTDSC`` of each analysed subject (for those ADTTE carries)."""
    records = adtte.loc[adtte[col.PARAMCD] == paramcd].set_index(col.USUBJID)
    out = {}
    for key, var in (("event_types", col.EVNTDESC), ("censor_types", col.CNSDTDSC)):
        if var in records.columns:
            values = records[var].reindex(list(usubjid))
            out[key] = np.array([v if isinstance(v, str) else None for v in values], dtype=object)
    return out


def methods_record(prof: Profile, rule: str) -> Methods:
    """The :class:`~netter.results.Methods` of a profile and a reference rule.

    Examples
    --------
    >>> methods_record(get_profile("sas"), RULE_GIVEN).ties
    'breslow'
    """
    return Methods(profile=prof.name, conf_type=prof.conf_type, conf_level=prof.conf_level,
                   ties=prof.ties, median_rule=prof.median_rule, variance=prof.variance,
                   ph_transform=PH_TRANSFORM, reference_rule=rule, options=prof.options())


def variable_names(values) -> tuple[str, ...]:
    """ADaM variable names as netter reads them (stripped, upper case), in order.

    Examples
    --------
    >>> variable_names([" strat1r", "STRAT1R", "sex"])
    ('STRAT1R', 'SEX')
    """
    return tuple(dict.fromkeys(str(v).strip().upper() for v in values if str(v).strip()))


def profile_with_level(profile: Profile | str, conf_level: float | None) -> Profile:
    """The profile (or named profile), with ``conf_level`` when one is given.

    Examples
    --------
    >>> profile_with_level("r", 0.9).conf_level, profile_with_level(get_profile("sas"), None).ties
    (0.9, 'breslow')
    """
    if isinstance(profile, str):
        return get_profile(profile, conf_level=conf_level)
    return profile if conf_level is None else replace(profile, conf_level=float(conf_level))


@dataclass(frozen=True)
class ResponseOptions:
    """Method choices of the tumour-response endpoint (a control bundle; all recorded).

    Attributes
    ----------
    confirm : bool
        CR/PR need confirmation (RECIST 1.1). Default True.
    confirm_days : int
        Minimum days between a response and its confirmation (28).
    sd_min_days : int
        Minimum study day for stable disease to count (42, i.e. 6 weeks).
    ci_method : str
        ``"clopper-pearson"`` (exact, R ``binom.test``; default) or ``"wilson"``.
    difference_method : str
        ``"newcombe"`` (hybrid score, default) or ``"miettinen-nurminen"``.
    cmh_correct : bool or None
        Continuity correction in the CMH test (R ``mantelhaen.test(correct=)``);
        ``None`` (default): the profile's option ``continuity`` (``"yates"``: True).
    use_recorded : bool
        Use ADRS ``PARAMCD = "BOR"`` when present instead of deriving it (True).

    Examples
    --------
    >>> ResponseOptions().ci_method, ResponseOptions(confirm=False).confirm
    ('clopper-pearson', False)
    """

    confirm: bool = True
    confirm_days: int = 28
    sd_min_days: int = 42
    ci_method: str = "clopper-pearson"
    difference_method: str = "newcombe"
    cmh_correct: bool | None = None
    use_recorded: bool = True


def _response(data: AdamData, options: ResponseOptions, *, reference: str, arms, strata,
              flag, profile: Profile, wanted: bool | None) -> ResponseResult | None:
    """The response endpoint when asked for, or by default when ADRS is present (CMH
    stratified by ``strata``)."""
    if wanted is False or (wanted is None and data.adrs is None):
        return None
    if data.adrs is None:
        raise NetterError("the response endpoint needs ADRS, and the data have no ADRS "
                          f"file ({', '.join(sorted(data.files.values()))})")
    return response_endpoint(
        data.adsl, data.adrs, reference=reference, arm_var=data.arm_var, arms=arms,
        strata=strata, population_flag=flag, conf_level=profile.conf_level,
        use_recorded=options.use_recorded, confirm=options.confirm,
        confirm_days=options.confirm_days, sd_min_days=options.sd_min_days,
        ci_method=options.ci_method, difference_method=options.difference_method,
        cmh_correct=(profile.continuity == "yates" if options.cmh_correct is None
                     else options.cmh_correct),
        odds_ratio=profile.odds_ratio)


def analyze_trial(data: AdamData, *, profile: Profile | str = DEFAULT_PROFILE,
                  conf_level: float | None = None, reference: str | None = None,
                  strata=(), params=None, landmarks=(), rmst_tau: float | None = None,
                  population_flag: str | None = None,
                  response_options: ResponseOptions | None = None,
                  response: bool | None = None, time_unit: str = "months",
                  risk_step: float | None = None, endpoint_defs=None, methods=(),
                  reference_rule: str = RULE_GIVEN,
                  method_settings: MethodSettings | None = None) -> ResultsDocument:
    """Analyse every requested time-to-event parameter of validated ADaM data.

    Parameters
    ----------
    data : AdamData
        From :func:`netter.adam.io.load_adam` (validated).
    profile : Profile or str
        ``"r"`` (default) or ``"sas"``.
    conf_level : float, optional
        Overrides the profile's confidence level (0.95).
    reference : str
        Reference arm (required; see :func:`choose_reference`).
    strata : sequence of str
        ADSL stratification variables (any case); adds the stratified analyses.
    params : sequence of str, optional
        ADTTE ``PARAMCD`` values to analyse (default: all, sorted; empty: none, for a
        response-only analysis).
    landmarks : sequence of float
        Times (``time_unit``) at which the curves are read.
    rmst_tau : float, optional
        RMST restriction time (``time_unit``); no RMST when ``None``.
    population_flag : str, optional
        ADSL flag (e.g. ``ITTFL``); only subjects with ``"Y"`` are analysed.
    response_options : ResponseOptions, optional
        Method choices of the response endpoint, analysed whenever ADRS is present
        (``response`` block; its CMH test is stratified by ``strata``, and absent
        without them).  Default: :class:`ResponseOptions` ().
    response : bool, optional
        Analyse response: ``True`` (ADRS required), ``False``, or ``None`` (when ADRS
        is present).
    time_unit : str
        Unit of every time in the results (``days``, ``weeks``, ``months``, ``years``).
    risk_step : float, optional
        Step of the numbers-at-risk tables (default: chosen from the follow-up).
    endpoint_defs : mapping of str to EndpointDef, optional
        The study's endpoint names, axis titles and time origins, by ``PARAMCD``.
    methods : sequence of str
        Comparison methods beyond the standard ones.
    reference_rule : str
        Who named the reference arm (recorded): :data:`RULE_GIVEN` or :data:`RULE_STUDY`.
    method_settings : MethodSettings, optional
        Parameters of the non-proportional-hazards comparisons (see
        :func:`netter.endpoints.endpoint.analyze_tte`).

    Returns
    -------
    ResultsDocument

    Raises
    ------
    NetterError
        Unknown reference arm, ``PARAMCD``, stratification variable or flag, or
        invalid landmarks / restriction time.
    """
    prof = profile_with_level(profile, conf_level)
    strata = variable_names(strata)
    flag = variable_names([population_flag] if population_flag else [])
    missing = [v for v in (*strata, *flag) if v not in data.adsl.columns]
    if missing:
        raise NetterError(f"ADSL has no variable {', '.join(missing)} "
                          f"(it has {', '.join(map(str, data.adsl.columns))})")
    arms = tuple(sorted(data.adsl[data.arm_var].dropna().astype(str).unique()))
    ref, _ = choose_reference(arms, reference)
    landmarks = check_landmarks(landmarks, time_unit)
    rmst_tau = check_tau(rmst_tau, time_unit)
    chosen = _params(data.adtte, params)
    endpoints = {}
    for paramcd in chosen:
        tte = derive_tte(data.adsl, data.adtte, paramcd=paramcd, arm_var=data.arm_var,
                         strata=strata, population_flag=flag[0] if flag else None,
                         unit=time_unit)
        endpoints[paramcd] = analyze_tte(
            tte, profile=prof, reference=ref, landmarks=landmarks, rmst_tau=rmst_tau,
            strata_names=strata, arms=arms, risk_step=risk_step, time_unit=time_unit,
            methods=methods, method_settings=method_settings,
            **_endpoint_words(data.adtte, paramcd, endpoint_defs),
            **_descriptions(data.adtte, paramcd, tte.usubjid))
    return ResultsDocument(
        schema=SCHEMA, generator=f"netter {__version__}", profile=prof.name,
        methods=methods_record(prof, reference_rule), time_unit=time_unit, reference_arm=ref,
        arm_var=data.arm_var, strata=strata, population_flag=flag[0] if flag else None,
        params=chosen, landmarks=landmarks, rmst_tau=rmst_tau,
        inputs=input_files(data), endpoints=endpoints,
        response=_response(data, response_options or ResponseOptions(), reference=ref,
                           arms=arms, strata=strata, flag=flag[0] if flag else None,
                           profile=prof, wanted=response))
