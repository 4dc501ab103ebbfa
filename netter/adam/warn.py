"""Data that pass validation but look wrong: each finding names file, variable and subjects.

These are warnings, not errors: the data can be analysed, but probably not as intended.
:func:`netter.adam.io.load_adam` issues them as :class:`netter.errors.DataWarning` (the
CLI prints them) or, with ``strict=True``, refuses the data.

* an arm value that differs from another only in case or spacing: a separate arm;
* ``AVAL`` that disagrees with ``ADT - STARTDT + 1`` (or ``ADT - STARTDT``) in its
  ``AVALU`` beyond rounding;
* exact duplicate records in ADRS.

Examples
--------
>>> import pandas as pd
>>> adsl = pd.DataFrame({"USUBJID": ["A", "B", "C"], "ARM": ["Dr", "dr", "Placebo"]})
>>> for finding in check_warnings({"adsl": adsl}, {"adsl": "f.csv"}, "ARM"):
...     print(finding)
f.csv: ARM = dr differs from 'Dr' only in case or spacing: a separate arm of 1 subject (USUBJID B)
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from netter.adam import columns as col
from netter.adam.parsing import day_numbers, to_numbers
from netter.adam.problems import Problem

#: Rounding tolerated between ``AVAL`` and its dates: half a day plus 0.05 of the unit.
TOLERANCE_DAYS, TOLERANCE_UNITS = 0.5, 0.05


def _ids(frame: pd.DataFrame, mask) -> tuple[str, ...]:
    if col.USUBJID not in frame:
        return ()
    values = frame.loc[np.asarray(mask, dtype=bool), col.USUBJID].dropna().astype(str)
    return tuple(dict.fromkeys(values))


def check_arm_case(adsl: pd.DataFrame, file: str, arm_var: str) -> list[Problem]:
    """Arm values equal but for case or spacing; the smaller ones are named.

    Examples
    --------
    >>> adsl = pd.DataFrame({"USUBJID": list("ABC"), "ARM": ["X  1", "x 1", "X  1"]})
    >>> print(check_arm_case(adsl, "adsl.csv", "ARM")[0].value)
    x 1
    """
    if arm_var not in adsl:
        return []
    arm = adsl[arm_var].dropna().astype(str)
    out = []
    keys = arm.map(lambda v: " ".join(v.split()).casefold())
    for _, values in arm.groupby(keys, sort=True):
        counts = values.value_counts()
        if len(counts) < 2:
            continue
        main = counts.index[0]
        for value, n in counts.iloc[1:].items():
            out.append(Problem(file, arm_var, value, _ids(adsl, adsl[arm_var] == value),
                               f"differs from {main!r} only in case or spacing: a separate "
                               f"arm of {n} subject{'s' if n != 1 else ''}"))
    return out


def check_aval_dates(adtte: pd.DataFrame, file: str) -> list[Problem]:
    """``AVAL`` (in ``AVALU``) against ``ADT - STARTDT + 1`` days, or ``ADT - STARTDT``.

    Examples
    --------
    >>> adtte = pd.DataFrame({"USUBJID": ["A", "B"], "AVAL": ["31", "90"],
    ...                       "STARTDT": ["2015-01-01"] * 2, "ADT": ["2015-01-31"] * 2})
    >>> print(check_aval_dates(adtte, "adtte.csv")[0])
    adtte.csv: AVAL = "90 vs 31 days" disagrees with ADT - STARTDT + 1 (USUBJID B)
    """
    if not {col.AVAL, col.ADT, col.STARTDT} <= set(adtte.columns):
        return []
    aval = to_numbers(adtte[col.AVAL])[0].to_numpy()
    days = day_numbers(adtte[col.ADT]) - day_numbers(adtte[col.STARTDT]) + 1
    units = (adtte[col.AVALU].map(lambda v: col.DEFAULT_UNIT if pd.isna(v)
                                  else str(v).strip().upper())
             if col.AVALU in adtte else pd.Series(col.DEFAULT_UNIT, index=adtte.index))
    factor = units.map(col.UNIT_TO_DAYS).to_numpy(dtype=float)
    with np.errstate(invalid="ignore", over="ignore"):
        in_days = aval * factor
        tolerance = TOLERANCE_DAYS + TOLERANCE_UNITS * factor
        off = ((np.abs(in_days - days) > tolerance) & (np.abs(in_days - (days - 1)) > tolerance)
               & np.isfinite(in_days) & np.isfinite(days))
    out = []
    for pos in np.flatnonzero(off):
        subject = _ids(adtte.iloc[[pos]], [True])
        unit = "" if units.iloc[pos] == col.DEFAULT_UNIT else f" {units.iloc[pos]}"
        shown = f"{adtte[col.AVAL].iloc[pos]}{unit} vs {days[pos]:g} days"
        out.append(Problem(file, col.AVAL, shown, subject,
                           f"disagrees with {col.ADT} - {col.STARTDT} + 1",
                           rows=() if subject else (int(pos) + 1,)))
    return out


def check_duplicate_records(frame: pd.DataFrame, file: str) -> list[Problem]:
    """Records repeated exactly (every variable equal).

    Examples
    --------
    >>> adrs = pd.DataFrame({"USUBJID": ["A", "A"], "PARAMCD": ["OVR"] * 2,
    ...                      "AVALC": ["PR"] * 2, "ADT": ["2015-03-01"] * 2})
    >>> print(check_duplicate_records(adrs, "adrs.csv")[0])
    adrs.csv: 1 record repeats another exactly (USUBJID A)
    """
    try:
        repeated = frame.astype(str).duplicated(keep="first").to_numpy()
    except TypeError:  # unhashable values are refused by validation
        return []
    n = int(repeated.sum())
    if not n:
        return []
    rows = () if col.USUBJID in frame else tuple(int(i) + 1 for i in np.flatnonzero(repeated))
    return [Problem(file, None, None, _ids(frame, repeated),
                    f"{n} record{'s' if n != 1 else ''} repeat{'s' if n == 1 else ''} "
                    "another exactly", rows=rows)]


def check_warnings(frames: Mapping[str, pd.DataFrame | None], files: Mapping[str, str],
                   arm_var: str = col.DEFAULT_ARM_VAR) -> list[Problem]:
    """Every warning rule on raw frames (as :func:`netter.adam.checks.check_adam` takes).

    Examples
    --------
    >>> check_warnings({}, {})
    []
    """
    out: list[Problem] = []
    if frames.get(col.ADSL) is not None:
        out += check_arm_case(frames[col.ADSL], files[col.ADSL], arm_var)
    if frames.get(col.ADTTE) is not None:
        out += check_aval_dates(frames[col.ADTTE], files[col.ADTTE])
    if frames.get(col.ADRS) is not None:
        out += check_duplicate_records(frames[col.ADRS], files[col.ADRS])
    return out
