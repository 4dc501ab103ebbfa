"""Validation rules for ADaM frames: pure functions that return :class:`Problem` lists.

Every rule takes raw frames as :func:`netter.adam.io` reads them (upper-case variable
names, strings stripped, empty strings missing, nothing converted yet) and returns the
problems it finds; none raises.  :func:`check_adam` runs them all, and
:class:`AdamValidationError` turns a list of problems into one readable message.

Examples
--------
>>> import pandas as pd
>>> adtte = pd.DataFrame({"USUBJID": ["TRIAL-0042"], "PARAMCD": ["PFS"],
...                       "AVAL": ["-3"], "CNSR": ["0"]})
>>> for problem in check_dataset(adtte, "adtte", "adtte.csv"):
...     print(problem)
adtte.csv: AVAL = -3 is negative (USUBJID TRIAL-0042)
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from netter.adam import columns as col
from netter.adam.columns import NUMERIC_VARS  # noqa: F401  (re-exported)
from netter.adam.parsing import (  # noqa: F401  (re-exported)
    FIRST_DATE,
    LAST_DATE,
    out_of_range_dates,
    to_dates,
    to_numbers,
)
from netter.adam.problems import (  # noqa: F401  (re-exported)
    MAX_ITEMS,
    MAX_SUBJECTS,
    AdamValidationError,
    Problem,
    format_value,
    group_lines,
    render_problems,
)

# --- helpers ----------------------------------------------------------------------------


def _subject_ids(frame: pd.DataFrame) -> list[str | None]:
    if col.USUBJID not in frame:
        return [None] * len(frame)
    return [None if pd.isna(v) else str(v) for v in frame[col.USUBJID]]


def per_record(
    frame: pd.DataFrame, file: str, variable: str, mask, message: str, *, value: bool = True
) -> list[Problem]:
    """One problem per record where ``mask`` is true, naming the value and the subject.

    Examples
    --------
    >>> frame = pd.DataFrame({"USUBJID": ["A", None], "AVAL": ["1", None]})
    >>> [str(p) for p in per_record(frame, "f.csv", "AVAL", frame["AVAL"].isna(),
    ...                             "is missing", value=False)]
    ['f.csv: AVAL is missing (record 2)']
    """
    ids = _subject_ids(frame)
    column = frame[variable]
    out = []
    for pos in np.flatnonzero(np.asarray(mask, dtype=bool)):
        subject = ids[pos]
        out.append(
            Problem(
                file=file,
                variable=variable,
                value=column.iloc[pos] if value else None,
                subjects=(subject,) if subject is not None else (),
                message=message,
                rows=() if subject is not None else (int(pos) + 1,),
            )
        )
    return out


# --- rules on one dataset --------------------------------------------------------------


def check_required(
    frame: pd.DataFrame, dataset: str, file: str, arm_var: str | None = None
) -> list[Problem]:
    """Required variables (``columns.REQUIRED``, and the arm variable for ADSL) that are absent.

    Examples
    --------
    >>> frame = pd.DataFrame({"USUBJID": ["A"], "TRT01A": ["x"]})
    >>> print(check_required(frame, "adsl", "adsl.csv", "TRT01P")[0])
    adsl.csv: TRT01P is absent from ADSL (the arm variable; ADSL has TRT01A)
    """
    out = [
        Problem(file, var, None, (), f"is required in {dataset.upper()} but absent")
        for var in col.REQUIRED.get(dataset, ())
        if var not in frame
    ]
    if dataset == col.ADSL and arm_var is not None and arm_var not in frame:
        options = [c for c in frame.columns if c.startswith("TRT") or c in ("ARM", "ACTARM")]
        has = f"; ADSL has {', '.join(options)}" if options else ""
        out.append(Problem(file, arm_var, None, (), f"is absent from ADSL (the arm variable{has})"))
    return out


def check_missing_values(frame: pd.DataFrame, dataset: str, file: str) -> list[Problem]:
    """Missing values in required variables (``CNSR`` is left to :func:`check_cnsr`).

    Examples
    --------
    >>> frame = pd.DataFrame({"USUBJID": ["A", None]})
    >>> print(check_missing_values(frame, "adsl", "adsl.csv")[0])
    adsl.csv: USUBJID is missing (record 2)
    """
    out = []
    for var in col.REQUIRED.get(dataset, ()):
        if var in frame and var != col.CNSR:
            out += per_record(frame, file, var, frame[var].isna(), "is missing", value=False)
    return out


def check_types(frame: pd.DataFrame, file: str) -> list[Problem]:
    """Values that cannot become their type: numbers (``NUMERIC_VARS``), dates, ``CNSR``.

    Examples
    --------
    >>> frame = pd.DataFrame({"USUBJID": ["A"], "AGE": ["sixty"], "RANDDT": ["2016-02-30"]})
    >>> for problem in check_types(frame, "adsl.csv"):
    ...     print(problem)
    adsl.csv: AGE = sixty is not a number (USUBJID A)
    adsl.csv: RANDDT = 2016-02-30 is not a valid YYYY-MM-DD date (USUBJID A)
    """
    out = []
    span = f"{FIRST_DATE.date()} to {LAST_DATE.date()}"
    for var in frame.columns:
        if var in col.DATE_VARS:
            bad = to_dates(frame[var])[1]
            outside = bad & out_of_range_dates(frame[var])
            out += per_record(frame, file, var, bad & ~outside, "is not a valid YYYY-MM-DD date")
            out += per_record(frame, file, var, outside,
                              f"is outside the dates netter handles ({span}); leave a date "
                              "that is not known empty instead of a placeholder")
        elif var in NUMERIC_VARS and var != col.CNSR:
            out += per_record(frame, file, var, to_numbers(frame[var])[1], "is not a number")
    if col.CNSR in frame:
        out += check_cnsr(frame, file)
    return out


def check_cnsr(frame: pd.DataFrame, file: str) -> list[Problem]:
    """``CNSR`` must be a non-negative integer (0 = event, positive = censored), never missing.

    Examples
    --------
    >>> frame = pd.DataFrame({"USUBJID": ["A", "B", "C", "D"],
    ...                       "CNSR": ["1.5", "Y", None, "1e20"]})
    >>> for problem in check_cnsr(frame, "adtte.csv"):
    ...     print(problem)
    adtte.csv: CNSR = 1.5 is not a non-negative integer (USUBJID A)
    adtte.csv: CNSR = Y is not a non-negative integer (USUBJID B)
    adtte.csv: CNSR = 1e20 is too large for an integer code (at most 2147483647) (USUBJID D)
    adtte.csv: CNSR is missing (USUBJID C)
    """
    raw = frame[col.CNSR]
    values, bad = to_numbers(raw)
    numbers = values.to_numpy()
    with np.errstate(invalid="ignore"):
        whole = np.isfinite(numbers) & (np.floor(numbers) == numbers) & (numbers >= 0)
        huge = whole & (numbers > col.MAX_CNSR)
    invalid = bad.to_numpy() | (raw.notna().to_numpy() & ~whole)
    message = "is not a non-negative integer"
    return (per_record(frame, file, col.CNSR, invalid, message)
            + per_record(frame, file, col.CNSR, huge,
                         f"is too large for an integer code (at most {col.MAX_CNSR})")
            + per_record(frame, file, col.CNSR, raw.isna(), "is missing", value=False))


def check_aval(frame: pd.DataFrame, file: str) -> list[Problem]:
    """Time-to-event ``AVAL`` must be finite, non-negative and, in days (``AVALU``), at
    most 100 years (``columns.MAX_TIME_DAYS``); text and missing values: elsewhere.

    Examples
    --------
    >>> frame = pd.DataFrame({"USUBJID": ["A", "B", "C", "D"],
    ...                       "AVAL": ["inf", "-3", "1e8", "1.7e308"],
    ...                       "AVALU": ["DAYS", "DAYS", "DAYS", "YEARS"]})
    >>> for problem in check_aval(frame, "adtte.csv"):
    ...     print(problem)
    adtte.csv: AVAL = inf is infinite (USUBJID A)
    adtte.csv: AVAL = -3 is negative (USUBJID B)
    adtte.csv: AVAL = 1e8 is beyond 100 years (DAYS) (USUBJID C)
    adtte.csv: AVAL = 1.7e308 is beyond 100 years (YEARS) (USUBJID D)
    """
    if col.AVAL not in frame:
        return []
    numbers = to_numbers(frame[col.AVAL])[0].to_numpy()
    infinite = np.isinf(numbers)
    with np.errstate(invalid="ignore"):
        negative = (numbers < 0) & ~infinite
    out = per_record(frame, file, col.AVAL, infinite, "is infinite") + per_record(
        frame, file, col.AVAL, negative, "is negative")
    units = (frame[col.AVALU].map(lambda v: col.DEFAULT_UNIT if pd.isna(v)
                                  else str(v).strip().upper())
             if col.AVALU in frame else pd.Series(col.DEFAULT_UNIT, index=frame.index))
    factor = units.map(col.UNIT_TO_DAYS).to_numpy(dtype=float)  # unknown units: NaN
    with np.errstate(over="ignore", invalid="ignore"):
        long = np.isfinite(numbers) & (numbers * factor > col.MAX_TIME_DAYS)
    years = col.MAX_TIME_DAYS / col.UNIT_TO_DAYS["YEARS"]
    for unit in sorted(set(units[long])):
        out += per_record(frame, file, col.AVAL, long & (units == unit).to_numpy(),
                          f"is beyond {years:g} years ({unit})")
    return out


def check_avalu(frame: pd.DataFrame, file: str) -> list[Problem]:
    """``AVALU`` must be a unit of ``columns.UNIT_TO_DAYS`` (any case); absent means DAYS.

    Examples
    --------
    >>> frame = pd.DataFrame({"USUBJID": ["A", "B"], "AVALU": ["weeks", "HOURS"]})
    >>> print(check_avalu(frame, "adtte.csv")[0])
    adtte.csv: AVALU = HOURS is not an accepted unit (DAYS, WEEKS, MONTHS, YEARS) (USUBJID B)
    """
    if col.AVALU not in frame:
        return []
    raw = frame[col.AVALU]
    known = raw.map(lambda v: pd.isna(v) or str(v).strip().upper() in col.UNIT_TO_DAYS)
    accepted = ", ".join(col.UNIT_TO_DAYS)
    message = f"is not an accepted unit ({accepted})"
    missing = "is missing (leave AVALU out entirely to mean DAYS)"
    return per_record(frame, file, col.AVALU, ~known.astype(bool), message) + per_record(
        frame, file, col.AVALU, raw.isna(), missing, value=False
    )


def check_date_order(frame: pd.DataFrame, file: str) -> list[Problem]:
    """``ADT`` (analysis date) must not precede ``STARTDT`` (time origin).

    Examples
    --------
    >>> frame = pd.DataFrame({"USUBJID": ["A"], "STARTDT": ["2016-01-20"],
    ...                       "ADT": ["2016-01-10"]})
    >>> print(check_date_order(frame, "adtte.csv")[0])
    adtte.csv: ADT = 2016-01-10 is before STARTDT (USUBJID A)
    """
    if col.ADT not in frame or col.STARTDT not in frame:
        return []
    adt = to_dates(frame[col.ADT])[0]
    start = to_dates(frame[col.STARTDT])[0]
    early = (adt < start).to_numpy()  # NaT compares False
    return per_record(frame, file, col.ADT, early, f"is before {col.STARTDT}")


def check_unique_subjects(adsl: pd.DataFrame, file: str) -> list[Problem]:
    """ADSL has one record per subject.

    Examples
    --------
    >>> frame = pd.DataFrame({"USUBJID": ["A", "B", "A"]})
    >>> print(check_unique_subjects(frame, "adsl.csv")[0])
    adsl.csv: USUBJID = A appears more than once (ADSL needs one record per subject)
    """
    if col.USUBJID not in adsl:
        return []
    ids = adsl[col.USUBJID].dropna().astype(str)
    repeated = ids[ids.duplicated()].unique()
    message = "appears more than once (ADSL needs one record per subject)"
    return [Problem(file, col.USUBJID, s, (), message) for s in repeated]


def check_unique_parameters(adtte: pd.DataFrame, file: str) -> list[Problem]:
    """ADTTE has at most one record per subject and ``PARAMCD``.

    Examples
    --------
    >>> frame = pd.DataFrame({"USUBJID": ["A", "A"], "PARAMCD": ["PFS", "PFS"]})
    >>> print(check_unique_parameters(frame, "adtte.csv")[0])
    adtte.csv: PARAMCD = PFS has more than one record for the subject (USUBJID A)
    """
    if col.USUBJID not in adtte or col.PARAMCD not in adtte:
        return []
    keys = adtte[[col.USUBJID, col.PARAMCD]].dropna().astype(str)
    keys[col.PARAMCD] = keys[col.PARAMCD].str.upper()
    repeated = keys[keys.duplicated()].drop_duplicates()
    message = "has more than one record for the subject"
    return [
        Problem(file, col.PARAMCD, param, (subject,), message)
        for subject, param in repeated.itertuples(index=False)
    ]


def check_responses(adrs: pd.DataFrame, file: str) -> list[Problem]:
    """``AVALC`` of ``PARAMCD`` OVR and BOR must be a RECIST category (CR, PR, SD, PD, NE),
    and ADRS must have OVR or BOR records (codes in any case).

    Examples
    --------
    >>> frame = pd.DataFrame({"USUBJID": ["A"], "PARAMCD": ["bor"], "AVALC": ["MR"]})
    >>> print(check_responses(frame, "adrs.csv")[0])
    adrs.csv: AVALC = MR is not a RECIST response (CR, PR, SD, PD, NE) for PARAMCD BOR (USUBJID A)
    >>> other = pd.DataFrame({"USUBJID": ["A"], "PARAMCD": ["OVRL"], "AVALC": ["PR"]})
    >>> print(check_responses(other, "f.csv")[0])
    f.csv: PARAMCD has no OVR or BOR records to derive a response from (it has OVRL: 1 record)
    """
    if col.PARAMCD not in adrs or col.AVALC not in adrs:
        return []
    categories = ", ".join(col.RESPONSE_CATEGORIES)
    avalc = adrs[col.AVALC]
    wrong = avalc.notna() & ~avalc.astype(str).str.upper().isin(col.RESPONSE_CATEGORIES)
    codes = _codes(adrs[col.PARAMCD])
    out = []
    for param in (col.PARAM_OVR, col.PARAM_BOR):
        mask = wrong & (codes == param)
        message = f"is not a RECIST response ({categories}) for {col.PARAMCD} {param}"
        out += per_record(adrs, file, col.AVALC, mask, message)
    if not codes.isin((col.PARAM_OVR, col.PARAM_BOR)).any():
        found = codes.dropna().value_counts().sort_index()
        has = ", ".join(f"{code}: {n} record{'s' if n != 1 else ''}"
                        for code, n in found.items()) or "no records"
        out.append(Problem(file, col.PARAMCD, None, (),
                           f"has no {col.PARAM_OVR} or {col.PARAM_BOR} records to derive a "
                           f"response from (it has {has})"))
    return out


def _codes(series: pd.Series) -> pd.Series:
    """Code values (``PARAMCD``, ``AVALC``) in upper case, missing values kept missing."""
    return series.where(series.isna(), series.astype(str).str.upper())


def check_arm(adsl: pd.DataFrame, file: str, arm_var: str) -> list[Problem]:
    """The arm variable has a value for every subject and at least two distinct arms.

    Examples
    --------
    >>> frame = pd.DataFrame({"USUBJID": ["A", "B"], "TRT01P": ["Drug A", None]})
    >>> for problem in check_arm(frame, "adsl.csv", "TRT01P"):
    ...     print(problem)
    adsl.csv: TRT01P is missing (USUBJID B)
    adsl.csv: TRT01P = "Drug A" is the only arm (at least two are needed to compare)
    """
    if arm_var not in adsl:
        return []
    arm = adsl[arm_var]
    out = per_record(adsl, file, arm_var, arm.isna(), "is missing", value=False)
    arms = arm.dropna().unique()
    if len(arms) == 1:
        message = "is the only arm (at least two are needed to compare)"
        out.append(Problem(file, arm_var, arms[0], (), message))
    return out


def check_scalar_values(frame: pd.DataFrame, file: str) -> list[Problem]:
    """Every value is one value: lists, arrays, mappings (Parquet list or struct columns)
    are refused, one problem per variable naming the first subjects.

    Examples
    --------
    >>> frame = pd.DataFrame({"USUBJID": ["A", "B"], "AGE": [[60, 61], 70]})
    >>> print(check_scalar_values(frame, "adsl.parquet")[0])
    adsl.parquet: AGE holds lists or other non-scalar values, not one value per record (USUBJID A)
    """
    out = []
    for var in frame.columns:
        if frame[var].dtype != object:
            continue
        mask = frame[var].map(lambda v: isinstance(v, list | tuple | dict | set | np.ndarray))
        if mask.any():
            ids = list(dict.fromkeys(
                s for s in np.asarray(_subject_ids(frame), dtype=object)[mask.to_numpy()]
                if s is not None))
            rows = tuple(int(i) + 1 for i in np.flatnonzero(mask.to_numpy())) if not ids else ()
            out.append(Problem(file, var, None, tuple(ids), "holds lists or other non-scalar "
                               "values, not one value per record", rows=rows))
    return out


def scalar_columns(frame: pd.DataFrame, problems: list[Problem]) -> pd.DataFrame:
    """``frame`` without the variables :func:`check_scalar_values` refused (so that the
    other rules can run on the rest).

    Examples
    --------
    >>> frame = pd.DataFrame({"USUBJID": ["A"], "X": [[1]]})
    >>> list(scalar_columns(frame, check_scalar_values(frame, "f")).columns)
    ['USUBJID']
    """
    refused = {p.variable for p in problems}
    return frame[[c for c in frame.columns if c not in refused]]


def check_dataset(
    frame: pd.DataFrame, dataset: str, file: str, arm_var: str = col.DEFAULT_ARM_VAR
) -> list[Problem]:
    """All single-dataset rules for ``dataset`` ("adsl", "adtte" or "adrs").

    Examples
    --------
    >>> frame = pd.DataFrame({"USUBJID": ["A", "A"], "TRT01P": ["x", "x"]})
    >>> len(check_dataset(frame, "adsl", "adsl.csv"))
    2
    """
    out = check_scalar_values(frame, file)
    frame = scalar_columns(frame, out)
    out += check_required(frame, dataset, file, arm_var)
    out += check_missing_values(frame, dataset, file)
    out += check_types(frame, file)
    if dataset == col.ADSL:
        out += check_unique_subjects(frame, file) + check_arm(frame, file, arm_var)
    elif dataset == col.ADTTE:
        out += check_aval(frame, file) + check_avalu(frame, file)
        out += check_date_order(frame, file) + check_unique_parameters(frame, file)
    elif dataset == col.ADRS:
        out += check_date_order(frame, file) + check_responses(frame, file)
    return out


# --- rules across datasets ---------------------------------------------------------------


def check_known_subjects(
    frame: pd.DataFrame, file: str, adsl: pd.DataFrame, adsl_file: str
) -> list[Problem]:
    """Every subject of ``frame`` (ADTTE or ADRS) has an ADSL record.

    Examples
    --------
    >>> adsl = pd.DataFrame({"USUBJID": ["A"]})
    >>> adtte = pd.DataFrame({"USUBJID": ["A", "Z"]})
    >>> print(check_known_subjects(adtte, "adtte.csv", adsl, "adsl.csv")[0])
    adtte.csv: USUBJID = Z is not in adsl.csv
    """
    if col.USUBJID not in frame or col.USUBJID not in adsl:
        return []
    known = set(adsl[col.USUBJID].dropna().astype(str))
    ids = frame[col.USUBJID].dropna().astype(str).unique()
    return [Problem(file, col.USUBJID, s, (), f"is not in {adsl_file}") for s in ids
            if s not in known]


def check_randomisation_dates(adsl: pd.DataFrame, adsl_file: str, adrs: pd.DataFrame,
                              adrs_file: str) -> list[Problem]:
    """Response needs ``RANDDT`` (study days count from it) for every subject with ADRS
    records: a missing one would drop the subject's assessments and make them ``NE``.

    Examples
    --------
    >>> adsl = pd.DataFrame({"USUBJID": ["A", "B"], "RANDDT": ["2015-01-01", None]})
    >>> adrs = pd.DataFrame({"USUBJID": ["A", "B"], "PARAMCD": ["OVR", "OVR"]})
    >>> print(check_randomisation_dates(adsl, "adsl.csv", adrs, "adrs.csv")[0])
    adsl.csv: RANDDT is missing for a subject with assessments in adrs.csv (USUBJID B)
    """
    if col.USUBJID not in adrs or col.USUBJID not in adsl:
        return []
    if "RANDDT" not in adsl:
        return [Problem(adsl_file, "RANDDT", None, (), f"is required in ADSL with "
                        f"{adrs_file}: response study days count from randomisation")]
    assessed = set(adrs[col.USUBJID].dropna().astype(str))
    mask = adsl["RANDDT"].isna() & adsl[col.USUBJID].astype(str).isin(assessed)
    return per_record(adsl, adsl_file, "RANDDT", mask,
                      f"is missing for a subject with assessments in {adrs_file}", value=False)


def check_adam(
    frames: Mapping[str, pd.DataFrame | None],
    files: Mapping[str, str],
    arm_var: str = col.DEFAULT_ARM_VAR,
) -> list[Problem]:
    """Run every rule on every dataset, then the cross-dataset ones; return all problems.

    Parameters
    ----------
    frames : mapping
        Dataset name ("adsl", "adtte", "adrs") to raw frame; missing or None ones are skipped.
    files : mapping
        Dataset name to the file label used in messages.
    arm_var : str
        The ADSL arm variable.

    Examples
    --------
    >>> adsl = pd.DataFrame({"USUBJID": ["A", "B"], "TRT01P": ["x", "y"]})
    >>> adtte = pd.DataFrame({"USUBJID": ["C"], "PARAMCD": ["OS"], "AVAL": [1.0],
    ...                       "CNSR": [0]})
    >>> [str(p) for p in check_adam({"adsl": adsl, "adtte": adtte},
    ...                             {"adsl": "adsl.csv", "adtte": "adtte.csv"})]
    ['adtte.csv: USUBJID = C is not in adsl.csv']
    """
    out: list[Problem] = []
    for dataset in col.DATASETS:
        frame = frames.get(dataset)
        if frame is not None:
            out += check_dataset(frame, dataset, files[dataset], arm_var)
    adsl = frames.get(col.ADSL)
    if adsl is not None:
        for dataset in (col.ADTTE, col.ADRS):
            frame = frames.get(dataset)
            if frame is not None:
                out += check_known_subjects(frame, files[dataset], adsl, files[col.ADSL])
        adrs = frames.get(col.ADRS)
        if adrs is not None:
            out += check_randomisation_dates(adsl, files[col.ADSL], adrs, files[col.ADRS])
    return out
