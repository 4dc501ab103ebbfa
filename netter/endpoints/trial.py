"""All time-to-event endpoints of a trial, from validated ADaM data to a results document.

:func:`analyze_trial` is what ``netter analyze`` runs: it fixes the defaults,
derives one analysis set per ``PARAMCD`` (:func:`netter.adam.tte.derive_tte`),
analyses each with :func:`~netter.endpoints.endpoint.analyze_tte` and records
every choice in the :class:`~netter.results.ResultsDocument`.

Defaults
--------
* profile ``"r"`` (:data:`netter.profiles.DEFAULT_PROFILE`);
* reference arm: the one named; otherwise the NETTER-1 control arm
  (``"Octreotide LAR 60 mg"``) when the arm variable has it; otherwise an error
  asking for one.  netter never guesses a reference among other labels: a guess
  would silently invert every hazard ratio;
* every ``PARAMCD`` of ADTTE (sorted), no landmarks, no RMST, no strata, no
  population flag.

Examples
--------
>>> import tempfile, pathlib
>>> from netter.adam.io import load_adam
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "adsl.csv").write_text("USUBJID,TRT01P\\nS1,177Lu-DOTATATE\\n"
...     "S2,Octreotide LAR 60 mg\\nS3,177Lu-DOTATATE\\nS4,Octreotide LAR 60 mg\\n")
>>> _ = (folder / "adtte.csv").write_text("USUBJID,PARAMCD,AVAL,CNSR\\nS1,PFS,300,0\\n"
...     "S2,PFS,100,0\\nS3,PFS,250,1\\nS4,PFS,200,0\\n")
>>> doc = analyze_trial(load_adam(folder))
>>> doc.reference_arm, doc.params, doc.methods.reference_rule
('Octreotide LAR 60 mg', ('PFS',), 'default: the NETTER-1 control arm')
>>> round(doc.endpoints["PFS"].arms[1].median.estimate, 4)  # 150 days in months
4.9281
"""

from __future__ import annotations

import hashlib
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
from netter.endpoints.response import response_endpoint
from netter.errors import NetterError
from netter.profiles import DEFAULT_PROFILE, Profile, get_profile
from netter.results import SCHEMA, InputFile, Methods, ResponseResult, ResultsDocument

#: ``reference_rule`` values recorded in the results.
RULE_GIVEN = "named by the user"
RULE_DEFAULT = "default: the NETTER-1 control arm"


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
        The named arm is not an arm, or none is named and the NETTER-1 control
        arm is absent.

    Examples
    --------
    >>> choose_reference(["177Lu-DOTATATE", "Octreotide LAR 60 mg"])
    ('Octreotide LAR 60 mg', 'default: the NETTER-1 control arm')
    >>> choose_reference(["a", "b"], "b")
    ('b', 'named by the user')
    """
    arms = sorted({str(a) for a in arms})
    listing = ", ".join(repr(a) for a in arms)
    if reference is not None:
        if str(reference) not in arms:
            raise NetterError(f"reference arm {reference!r} is not an arm; arms are {listing}")
        return str(reference), RULE_GIVEN
    if col.REFERENCE_ARM in arms:
        return col.REFERENCE_ARM, RULE_DEFAULT
    raise NetterError(f"no reference arm given and the NETTER-1 control arm "
                      f"{col.REFERENCE_ARM!r} is not among the arms ({listing}); "
                      "name the reference arm (--reference)")


def input_file(path: str) -> InputFile:
    """The path as given when relative, the file name alone when absolute; SHA-256.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "adsl.csv"
    >>> _ = path.write_text("")
    >>> input_file(str(path)).path, input_file(str(path)).sha256[:8]
    ('adsl.csv', 'e3b0c442')
    """
    pure = PurePath(path)
    shown = pure.name if pure.is_absolute() else pure.as_posix()
    return InputFile(path=shown, sha256=hashlib.sha256(Path(path).read_bytes()).hexdigest())


def _params(adtte: pd.DataFrame, params) -> tuple[str, ...]:
    available = sorted(adtte[col.PARAMCD].dropna().astype(str).unique())
    if params is None:
        return tuple(available)
    chosen = tuple(dict.fromkeys(str(p).strip() for p in params))
    unknown = [p for p in chosen if p not in available]
    if unknown or not chosen:
        raise NetterError(f"ADTTE has no PARAMCD {', '.join(unknown) or '(none given)'}; "
                          f"it has {', '.join(available)}")
    return chosen


def _label(adtte: pd.DataFrame, paramcd: str) -> str | None:
    if col.PARAM not in adtte.columns:
        return None
    labels = adtte.loc[adtte[col.PARAMCD] == paramcd, col.PARAM].dropna().astype(str)
    return None if labels.empty else sorted(labels.unique())[0]


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
                   ph_transform=PH_TRANSFORM, reference_rule=rule)


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
        CR/PR need confirmation (RECIST 1.1; NETTER-1's rule). Default True.
    confirm_days : int
        Minimum days between a response and its confirmation (28).
    sd_min_days : int
        Minimum study day for stable disease to count (42, i.e. 6 weeks).
    ci_method : str
        ``"clopper-pearson"`` (exact, R ``binom.test``; default) or ``"wilson"``.
    difference_method : str
        ``"newcombe"`` (hybrid score, default) or ``"miettinen-nurminen"``.
    cmh_correct : bool
        Continuity correction in the CMH test (R ``mantelhaen.test(correct=)``); False.
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
    cmh_correct: bool = False
    use_recorded: bool = True


def _response(data: AdamData, options: ResponseOptions, *, reference: str, arms, strata,
              flag, conf_level: float) -> ResponseResult | None:
    """The response endpoint when ADRS is present (CMH stratified by ``strata``)."""
    if data.adrs is None:
        return None
    return response_endpoint(
        data.adsl, data.adrs, reference=reference, arm_var=data.arm_var, arms=arms,
        strata=strata, population_flag=flag, conf_level=conf_level,
        use_recorded=options.use_recorded, confirm=options.confirm,
        confirm_days=options.confirm_days, sd_min_days=options.sd_min_days,
        ci_method=options.ci_method, difference_method=options.difference_method,
        cmh_correct=options.cmh_correct)


def analyze_trial(data: AdamData, *, profile: Profile | str = DEFAULT_PROFILE,
                  conf_level: float | None = None, reference: str | None = None,
                  strata=(), params=None, landmarks=(), rmst_tau: float | None = None,
                  population_flag: str | None = None,
                  response_options: ResponseOptions | None = None) -> ResultsDocument:
    """Analyse every requested time-to-event parameter of validated ADaM data.

    Parameters
    ----------
    data : AdamData
        From :func:`netter.adam.io.load_adam` (validated).
    profile : Profile or str
        ``"r"`` (default) or ``"sas"``.
    conf_level : float, optional
        Overrides the profile's confidence level (0.95).
    reference : str, optional
        Reference arm; see :func:`choose_reference` for the default.
    strata : sequence of str
        ADSL stratification variables (any case); adds the stratified analyses.
    params : sequence of str, optional
        ADTTE ``PARAMCD`` values to analyse (default: all, sorted).
    landmarks : sequence of float
        Months at which the curves are read.
    rmst_tau : float, optional
        RMST restriction time in months; no RMST when ``None``.
    population_flag : str, optional
        ADSL flag (e.g. ``ITTFL``); only subjects with ``"Y"`` are analysed.
    response_options : ResponseOptions, optional
        Method choices of the response endpoint, analysed whenever ADRS is present
        (``response`` block; its CMH test is stratified by ``strata``, and absent
        without them).  Default: :class:`ResponseOptions` ().

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
        raise NetterError(f"ADSL has no variable {', '.join(missing)}")
    arms = tuple(sorted(data.adsl[data.arm_var].dropna().astype(str).unique()))
    ref, rule = choose_reference(arms, reference)
    landmarks, rmst_tau = check_landmarks(landmarks), check_tau(rmst_tau)
    chosen = _params(data.adtte, params)
    endpoints = {}
    for paramcd in chosen:
        tte = derive_tte(data.adsl, data.adtte, paramcd=paramcd, arm_var=data.arm_var,
                         strata=strata, population_flag=flag[0] if flag else None)
        endpoints[paramcd] = analyze_tte(
            tte, profile=prof, reference=ref, landmarks=landmarks, rmst_tau=rmst_tau,
            strata_names=strata, arms=arms, label=_label(data.adtte, paramcd),
            **_descriptions(data.adtte, paramcd, tte.usubjid))
    return ResultsDocument(
        schema=SCHEMA, generator=f"netter {__version__}", profile=prof.name,
        methods=methods_record(prof, rule), time_unit="months", reference_arm=ref,
        arm_var=data.arm_var, strata=strata, population_flag=flag[0] if flag else None,
        params=chosen, landmarks=landmarks, rmst_tau=rmst_tau,
        inputs={name: input_file(path) for name, path in sorted(data.files.items())},
        endpoints=endpoints,
        response=_response(data, response_options or ResponseOptions(), reference=ref,
                           arms=arms, strata=strata, flag=flag[0] if flag else None,
                           conf_level=prof.conf_level))
