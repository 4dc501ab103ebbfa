"""Derive the data of a crossover adjustment from ADSL and ADTTE: who switched, when,
progression, administrative censoring, covariates.

This is where the ADaM names of switching become Python names: ``XOVERFL``/``XOVERDT``
(ADSL) become ``switched``/``switch_time``; the progression time comes from the ADTTE
progression parameter (``PFS`` by default); ``DCUTDT - RANDDT`` becomes the
administrative censoring time.  Times are in the analysis unit, counted as ``AVAL`` is:
when ``AVAL = ADT - STARTDT + 1`` (both ends counted), the censoring time is
``DCUTDT - RANDDT + 1``; a switch on ``XOVERDT`` leaves ``XOVERDT - STARTDT`` time off
treatment.

Bad data stop with an :class:`~netter.errors.AdamError` naming the variable, the value and
the subject: no ``XOVERFL``; ``XOVERFL = Y`` without ``XOVERDT``; ``XOVERDT`` without
``XOVERFL = Y``; a switch before randomisation or after death or the last contact; a
switcher in the experimental arm; an endpoint time after the data cut-off.

Examples
--------
>>> import pandas as pd
>>> adsl = pd.DataFrame({"USUBJID": ["A", "B"], "TRT01P": ["Drug", "Ctl"],
...     "RANDDT": pd.to_datetime(["2020-01-01"] * 2), "XOVERFL": ["N", "Y"],
...     "XOVERDT": pd.to_datetime([None, "2020-03-01"]), "DCUTDT": ["2021-01-01"] * 2})
>>> adtte = pd.DataFrame({"USUBJID": ["A", "B"], "PARAMCD": ["OS", "OS"],
...     "STARTDT": pd.to_datetime(["2020-01-01"] * 2),
...     "ADT": pd.to_datetime(["2020-06-01", "2020-05-01"]), "AVAL": [152.0, 121.0],
...     "AVALU": ["DAYS", "DAYS"], "CNSR": [0, 0]})
>>> d = crossover_data(adsl, adtte, param="OS", arm_var="TRT01P", reference="Ctl",
...                    experimental="Drug", unit="days")
>>> d.switched.tolist(), d.switch_time.tolist()[1], d.censor_time.tolist()
([False, True], 60.0, [366.0, 366.0])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from netter.adam import columns as col
from netter.adam.tte import derive_tte
from netter.errors import AdamError

XOVERFL, XOVERDT, DCUTDT, RANDDT, DTHDT = "XOVERFL", "XOVERDT", "DCUTDT", "RANDDT", "DTHDT"


@dataclass(frozen=True, eq=False)
class CrossoverData:
    """One row per subject of the analysis set (both arms), times in ``unit``.

    Attributes
    ----------
    usubjid, arm : ndarray of str
    experimental : ndarray of bool
    time, event : ndarray
        The endpoint (``event`` as int 0/1).
    switched : ndarray of bool
        ``XOVERFL = Y``.
    switch_time : ndarray of float
        Time from the endpoint's origin to the switch (``nan`` when none).
    progression_time : ndarray of float
        Time to progression (``nan`` when none was observed, or no progression
        parameter).
    censor_time : ndarray of float or None
        Administrative censoring time (``None`` when ``DCUTDT`` is unknown).
    strata : dict
        Stratification variables -> labels.
    covariates : ndarray, shape (n, p)
        Baseline covariates coded as numbers; ``covariate_names`` name the columns.
    notes : tuple of str
        What the derivation assumed (progression rule, day-count convention, ...).
    """

    usubjid: np.ndarray
    arm: np.ndarray
    experimental: np.ndarray
    time: np.ndarray
    event: np.ndarray
    switched: np.ndarray
    switch_time: np.ndarray
    progression_time: np.ndarray
    censor_time: np.ndarray | None
    strata: dict
    covariates: np.ndarray
    covariate_names: tuple[str, ...]
    unit: str
    notes: tuple[str, ...]

    @property
    def n(self) -> int:
        """Subjects."""
        return int(self.time.size)


def _subject_error(message: str, adsl: pd.DataFrame, mask) -> AdamError:
    ids = adsl.loc[np.asarray(mask), col.USUBJID].astype(str).tolist()
    shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
    return AdamError(f"ADSL: {message} (USUBJID {shown})")


def _dates(adsl: pd.DataFrame, name: str) -> pd.Series:
    values = adsl[name]
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    text = values.astype("string").str.strip()
    parsed = pd.to_datetime(text.where(text != ""), format="%Y-%m-%d", errors="coerce")
    bad = text.notna() & (text != "") & parsed.isna()
    if bad.any():
        first = text[bad].iloc[0]
        raise _subject_error(f"{name} = {first!r} is not a YYYY-MM-DD date", adsl, bad)
    return parsed


def check_switching(adsl: pd.DataFrame, *, arm_var: str, experimental: str) -> None:
    """Refuse switching data that cannot be right (see the module notes).

    Examples
    --------
    >>> adsl = pd.DataFrame({"USUBJID": ["A"], "TRT01P": ["Drug"], "XOVERFL": ["Y"],
    ...     "XOVERDT": pd.to_datetime(["2020-02-01"]),
    ...     "RANDDT": pd.to_datetime(["2020-01-01"])})
    >>> try:
    ...     check_switching(adsl, arm_var="TRT01P", experimental="Drug")
    ... except AdamError as err:
    ...     print(str(err)[:52])
    ADSL: XOVERFL = Y in the experimental arm 'Drug': on
    """
    for name in (XOVERFL, XOVERDT):
        if name not in adsl.columns:
            have = ", ".join(adsl.columns)
            raise AdamError(f"ADSL has no variable {name}: crossover adjustment needs "
                            f"XOVERFL (Y/N) and XOVERDT (the switch date); ADSL has {have}")
    flag = adsl[XOVERFL].astype("string").str.strip().str.upper().fillna("")
    odd = ~flag.isin(["Y", "N", ""])
    if odd.any():
        raise _subject_error(f"XOVERFL = {adsl.loc[odd, XOVERFL].iloc[0]!r} is not Y, N or "
                             "empty", adsl, odd)
    when = _dates(adsl, XOVERDT)
    yes = flag == "Y"
    if (yes & when.isna()).any():
        raise _subject_error("XOVERFL = Y without an XOVERDT", adsl, yes & when.isna())
    if (~yes & when.notna()).any():
        raise _subject_error("XOVERDT is given but XOVERFL is not Y", adsl, ~yes & when.notna())
    in_exp = yes & (adsl[arm_var].astype(str) == experimental)
    if in_exp.any():
        raise _subject_error(f"XOVERFL = Y in the experimental arm {experimental!r}: only "
                             "patients of the reference arm can switch to the experimental "
                             "treatment", adsl, in_exp)
    if RANDDT in adsl.columns:
        rand = _dates(adsl, RANDDT)
        early = yes & rand.notna() & (when < rand)
        if early.any():
            i = int(np.flatnonzero(early.to_numpy())[0])
            raise _subject_error(f"XOVERDT = {when.iloc[i].date()} is before RANDDT = "
                                 f"{rand.iloc[i].date()}", adsl, early)
    if DTHDT in adsl.columns:
        death = _dates(adsl, DTHDT)
        late = yes & death.notna() & (when > death)
        if late.any():
            i = int(np.flatnonzero(late.to_numpy())[0])
            raise _subject_error(f"XOVERDT = {when.iloc[i].date()} is after death (DTHDT = "
                                 f"{death.iloc[i].date()})", adsl, late)


def _day_offset(records: pd.DataFrame) -> tuple[int, str]:
    """1 when AVAL counts both ends (ADT - STARTDT + 1), else 0, by the majority."""
    if not {col.STARTDT, col.ADT}.issubset(records.columns):
        return 0, "AVAL has no STARTDT/ADT to tell its day count; DCUTDT - RANDDT is used"
    units = records[col.AVALU] if col.AVALU in records.columns else col.DEFAULT_UNIT
    if isinstance(units, pd.Series):
        units = units.fillna(col.DEFAULT_UNIT).astype(str).str.upper()
        days_unit = (units == "DAYS").to_numpy()
    else:
        days_unit = np.full(len(records), str(units).upper() == "DAYS")
    span = (records[col.ADT] - records[col.STARTDT]).dt.days.to_numpy(dtype=float)
    aval = records[col.AVAL].to_numpy(dtype=float)
    ok = days_unit & np.isfinite(span)
    if not ok.any():
        return 0, "AVAL is not in days; DCUTDT - RANDDT is used"
    plus_one = float(np.mean(aval[ok] == span[ok] + 1))
    if plus_one > 0.5:
        return 1, ("AVAL counts both ends (ADT - STARTDT + 1), so the administrative "
                   "censoring time is DCUTDT - RANDDT + 1")
    return 0, "the administrative censoring time is DCUTDT - RANDDT"


def _progression(adsl, adtte, tte, param, progression_param, unit) -> tuple[np.ndarray, str]:
    """Progression times from the progression parameter: an event that is not a death."""
    out = np.full(tte.time.size, np.nan)
    if progression_param is None or not (adtte[col.PARAMCD] == progression_param).any():
        return out, (f"no {progression_param} records: progression is unknown"
                     if progression_param else "no progression parameter")
    prog = derive_tte(adsl, adtte, paramcd=progression_param, arm_var=col.USUBJID,
                      unit=unit)
    records = adtte.loc[adtte[col.PARAMCD] == progression_param].set_index(col.USUBJID)
    by_id = dict(zip(prog.usubjid, zip(prog.time, prog.event, strict=True), strict=True))
    has_desc = "EVNTDESC" in records.columns
    rule = (f"progression: a {progression_param} event whose EVNTDESC does not mention death"
            if has_desc else
            f"progression: a {progression_param} event before the {param} time, or with "
            f"{param} censored (no EVNTDESC to tell progression from death)")
    for i, (u, t_end, e_end) in enumerate(zip(tte.usubjid, tte.time, tte.event, strict=True)):
        if u not in by_id:
            continue
        t_p, e_p = by_id[u]
        if not e_p:
            continue
        if has_desc:
            desc = str(records.at[u, "EVNTDESC"]) if u in records.index else ""
            if "death" in desc.casefold():
                continue
        elif e_end and t_p >= t_end:
            continue
        out[i] = t_p
    return out, rule


def _covariates(adsl: pd.DataFrame, ids: np.ndarray, names) -> tuple[np.ndarray, tuple]:
    """Numeric columns as they are; categories as dummies (first sorted level left out)."""
    frame = adsl.set_index(col.USUBJID).loc[ids]
    columns, labels = [], []
    for name in names:
        if name not in frame.columns:
            raise AdamError(f"ADSL has no variable {name} (a covariate of the crossover "
                            f"adjustment); ADSL has {', '.join(adsl.columns)}")
        values = frame[name]
        missing = values.isna() | values.astype(str).str.strip().eq("")
        if missing.any():
            who = ", ".join(map(str, values.index[missing][:5]))
            raise AdamError(f"ADSL: {name} is missing (USUBJID {who}); a covariate of the "
                            "crossover adjustment must be known for every subject: drop it "
                            "from the covariates or complete it")
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            columns.append(values.to_numpy(dtype=float))
            labels.append(name)
            continue
        text = values.astype(str).to_numpy()
        for level in sorted(set(text))[1:]:
            columns.append((text == level).astype(float))
            labels.append(f"{name}={level}")
    matrix = np.column_stack(columns) if columns else np.zeros((len(ids), 0))
    return matrix, tuple(labels)


def crossover_data(adsl: pd.DataFrame, adtte: pd.DataFrame, *, param: str, arm_var: str,
                   reference: str, experimental: str, unit: str = "months",
                   strata: tuple[str, ...] = (), covariates: tuple[str, ...] = (),
                   population_flag: str | None = None, progression_param: str | None = "PFS",
                   cutoff_date: str | None = None) -> CrossoverData:
    """The per-subject data of a crossover adjustment of ``param`` (validated ADaM assumed).

    Parameters
    ----------
    adsl, adtte : DataFrame
        Validated ADaM datasets.
    param : str
        The endpoint (``PARAMCD``), usually ``OS``.
    arm_var, reference, experimental : str
        The arm variable and the two arms compared (subjects of other arms are left out).
    unit : str
        Analysis time unit.
    strata, covariates : tuple of str
        ADSL stratification variables and baseline covariates (switching and AFT models).
    population_flag : str, optional
        ADSL flag of the analysis population.
    progression_param : str, optional
        The ADTTE parameter whose events are progressions (deaths among them are told
        apart by ``EVNTDESC``).
    cutoff_date : str, optional
        The cut-off date (ISO) used where ``DCUTDT`` is missing.

    Returns
    -------
    CrossoverData
    """
    check_switching(adsl, arm_var=arm_var, experimental=experimental)
    tte = derive_tte(adsl, adtte, paramcd=param, arm_var=arm_var, strata=strata,
                     population_flag=population_flag, unit=unit)
    keep = np.isin(tte.arm, [reference, experimental])
    ids = tte.usubjid[keep]
    sub = adsl.set_index(adsl[col.USUBJID].astype(str)).loc[ids]
    records = adtte.loc[adtte[col.PARAMCD] == param].copy()
    records = records.set_index(records[col.USUBJID].astype(str)).loc[ids]
    notes = []
    offset, note = _day_offset(records)
    notes.append(note)
    start = records[col.STARTDT] if col.STARTDT in records.columns else sub[RANDDT]
    flag = sub[XOVERFL].astype("string").str.strip().str.upper().fillna("") == "Y"
    switch_dt = _dates(sub.reset_index(drop=True), XOVERDT).to_numpy()
    days_to_switch = (pd.Series(switch_dt, index=sub.index) - start).dt.days.to_numpy(float)
    switch_time = np.where(flag.to_numpy(), col.from_days(days_to_switch, unit), np.nan)
    time = tte.time[keep]
    event = tte.event[keep].astype(int)
    late = flag.to_numpy() & (switch_time > time * (1 + 1e-12) + 1e-12)
    if late.any():
        who = ", ".join(ids[late][:5])
        raise AdamError(f"ADSL: XOVERDT is after the {param} date (death or last contact) "
                        f"in ADTTE (USUBJID {who})")
    censor_time = None
    if DCUTDT in sub.columns or cutoff_date is not None:
        cut = (_dates(sub.reset_index(drop=True), DCUTDT) if DCUTDT in sub.columns
               else pd.Series(pd.NaT, index=range(len(ids))))
        if cutoff_date is not None:
            cut = cut.fillna(pd.Timestamp(cutoff_date))
        if cut.isna().any():
            who = ", ".join(ids[cut.isna().to_numpy()][:5])
            raise AdamError(f"ADSL: DCUTDT is missing (USUBJID {who}) and no cut-off date is "
                            "known: re-censoring needs each subject's data cut-off")
        rand = _dates(sub.reset_index(drop=True), RANDDT) if RANDDT in sub.columns else (
            start.reset_index(drop=True))
        days = (cut - rand).dt.days.to_numpy(float) + offset
        censor_time = col.from_days(days, unit)
        beyond = time > censor_time * (1 + 1e-9) + 1e-9
        if beyond.any():
            who = ", ".join(ids[beyond][:5])
            raise AdamError(f"ADTTE: {param} time is after the data cut-off DCUTDT (USUBJID "
                            f"{who})")
    else:
        notes.append("no DCUTDT and no cut-off date: nothing can be re-censored")
    sub_adsl = adsl.loc[adsl[col.USUBJID].astype(str).isin(ids)]
    progression, rule = _progression(sub_adsl, adtte, _Subset(tte, keep), param,
                                     progression_param, unit)
    notes.append(rule)
    cov, names = _covariates(adsl.assign(**{col.USUBJID: adsl[col.USUBJID].astype(str)}),
                             ids, covariates)
    return CrossoverData(
        usubjid=ids, arm=tte.arm[keep], experimental=tte.arm[keep] == experimental,
        time=time, event=event, switched=flag.to_numpy(), switch_time=switch_time,
        progression_time=progression, censor_time=censor_time,
        strata={k: v[keep] for k, v in tte.strata.items()}, covariates=cov,
        covariate_names=names, unit=unit, notes=tuple(notes))


@dataclass(frozen=True)
class _Subset:
    """The endpoint's ids, times and events for the kept subjects."""

    usubjid: np.ndarray
    time: np.ndarray
    event: np.ndarray

    def __init__(self, tte, keep):
        object.__setattr__(self, "usubjid", tte.usubjid[keep])
        object.__setattr__(self, "time", tte.time[keep])
        object.__setattr__(self, "event", tte.event[keep])
