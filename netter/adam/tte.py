"""Derive a time-to-event analysis set from ADSL + ADTTE: times, event flags, arms, strata.

This is where ADaM names become Python names for time-to-event analyses: ``AVAL`` in
``AVALU`` becomes the analysis unit, months by default (through
:mod:`netter.adam.columns`), ``CNSR`` becomes a boolean
event, the arm variable becomes ``arm``.  Nothing is dropped silently: every ADSL subject
left out of the analysis set is listed in ``excluded`` with the reason.

Examples
--------
>>> import pandas as pd
>>> adsl = pd.DataFrame({"USUBJID": ["A", "B", "C"], "TRT01P": ["x", "y", "y"]})
>>> adtte = pd.DataFrame({"USUBJID": ["A", "B"], "PARAMCD": ["OS", "OS"],
...                       "AVAL": [30.4375, 60.875], "CNSR": [0, 1]})
>>> tte = derive_tte(adsl, adtte, paramcd="OS")
>>> tte.time.tolist(), tte.event.tolist(), [e.reason for e in tte.excluded]
([1.0, 2.0], [True, False], ['no OS record in ADTTE'])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from netter.adam import columns as col
from netter.errors import AdamError


@dataclass(frozen=True)
class Exclusion:
    """A subject left out of an analysis, and why."""

    usubjid: str
    reason: str


@dataclass(frozen=True)
class TteData:
    """One time-to-event parameter ready for analysis (times in the analysis unit).

    Attributes
    ----------
    paramcd : str
    usubjid, arm : ndarray of str
    time : ndarray of float
        Times in the unit asked of :func:`derive_tte` (months = days / 30.4375).
    event : ndarray of bool
        ``CNSR == 0``.
    strata : dict
        ADSL variable name -> ndarray of str, for each requested stratification variable.
    arms : tuple of str
        Arm labels present, sorted.
    excluded : tuple of Exclusion
    """

    paramcd: str
    usubjid: np.ndarray
    arm: np.ndarray
    time: np.ndarray
    event: np.ndarray
    strata: dict
    arms: tuple
    excluded: tuple


def _population(adsl: pd.DataFrame, flag: str | None) -> tuple[pd.DataFrame, list[Exclusion]]:
    if flag is None:
        return adsl, []
    if flag not in adsl.columns:
        raise AdamError(f"ADSL: population flag {flag} is not a variable of ADSL")
    inside = adsl[flag].astype(str).str.upper().eq("Y")
    dropped = [Exclusion(str(u), f"{flag} is not 'Y'") for u in adsl.loc[~inside, col.USUBJID]]
    return adsl.loc[inside], dropped


def derive_tte(
    adsl: pd.DataFrame,
    adtte: pd.DataFrame,
    *,
    paramcd: str,
    arm_var: str = col.DEFAULT_ARM_VAR,
    strata: tuple[str, ...] = (),
    population_flag: str | None = None,
    unit: str = "months",
) -> TteData:
    """Join ADSL and one ADTTE parameter into a :class:`TteData` (validated input assumed).

    Parameters
    ----------
    adsl, adtte : DataFrame
        Validated ADaM datasets (see :func:`netter.adam.io.load_adam`).
    paramcd : str
        The ADTTE ``PARAMCD`` to analyse.
    arm_var : str
        ADSL arm variable.
    strata : tuple of str
        ADSL variables to carry as stratification factors; subjects with a missing value
        are excluded (and listed).
    population_flag : str, optional
        ADSL flag (e.g. ``ITTFL``); only subjects with ``'Y'`` are analysed.
    unit : str
        Time unit of the analysis set (``days``, ``weeks``, ``months``, ``years``).

    Returns
    -------
    TteData
    """
    missing = [v for v in (arm_var, *strata) if v not in adsl.columns]
    if missing:
        raise AdamError(f"ADSL: variable(s) {', '.join(missing)} not found")
    population, excluded = _population(adsl, population_flag)
    records = adtte.loc[adtte[col.PARAMCD] == paramcd]
    if records.empty:
        raise AdamError(f"ADTTE: no records with PARAMCD = {paramcd}")
    keep = [col.USUBJID, arm_var, *strata]
    merged = population[list(dict.fromkeys(keep))].merge(
        records, on=col.USUBJID, how="left", indicator=True, validate="one_to_one")
    absent = merged["_merge"] == "left_only"
    excluded += [Exclusion(str(u), f"no {paramcd} record in ADTTE")
                 for u in merged.loc[absent, col.USUBJID]]
    merged = merged.loc[~absent]
    for var in strata:
        blank = merged[var].isna() | merged[var].astype(str).str.strip().eq("")
        excluded += [Exclusion(str(u), f"{var} missing") for u in merged.loc[blank, col.USUBJID]]
        merged = merged.loc[~blank]
    units = merged[col.AVALU] if col.AVALU in merged.columns else col.DEFAULT_UNIT
    days = _to_days(merged[col.AVAL].to_numpy(float), units)
    return TteData(
        paramcd=paramcd,
        usubjid=merged[col.USUBJID].astype(str).to_numpy(),
        arm=labels(merged[arm_var]),
        time=col.from_days(days, unit),
        event=col.cnsr_to_event(merged[col.CNSR].to_numpy()),
        strata={var: labels(merged[var]) for var in strata},
        arms=tuple(sorted(set(labels(merged[arm_var])))),
        excluded=tuple(sorted(excluded, key=lambda e: (e.usubjid, e.reason))),
    )


def labels(values: pd.Series) -> np.ndarray:
    """Category labels as text; whole numbers print without a decimal point (1.0 -> "1").

    Examples
    --------
    >>> labels(pd.Series([1.0, 2.0])).tolist(), labels(pd.Series(["a", 2.5])).tolist()
    (['1', '2'], ['a', '2.5'])
    """
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        numbers = values.to_numpy(dtype=float)
        if np.all(np.isfinite(numbers) & (numbers == np.round(numbers))):
            return np.array([str(int(v)) for v in numbers], dtype=object)
    return values.astype(str).to_numpy(dtype=object)


def _to_days(values: np.ndarray, units) -> np.ndarray:
    if isinstance(units, str):
        return col.to_days(values, units)
    units = units.fillna(col.DEFAULT_UNIT).astype(str).str.upper().to_numpy()
    out = np.empty(len(values))
    for unit in np.unique(units):
        out[units == unit] = col.to_days(values[units == unit], unit)
    return out
