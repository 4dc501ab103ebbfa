"""Validation rules for ADaM frames: pure functions that return :class:`Problem` lists.

Every rule takes raw frames as :func:`netter.adam.io` reads them (upper-case variable
names, strings stripped, empty strings missing, nothing converted yet) and returns the
problems it finds; none raises.  :func:`check_adam` runs them all, and
:class:`AdamValidationError` turns a list of problems into one readable message.

Examples
--------
>>> import pandas as pd
>>> adtte = pd.DataFrame({"USUBJID": ["NETTER1-0042"], "PARAMCD": ["PFS"],
...                       "AVAL": ["-3"], "CNSR": ["0"]})
>>> for problem in check_dataset(adtte, "adtte", "adtte.csv"):
...     print(problem)
adtte.csv: AVAL = -3 is negative (USUBJID NETTER1-0042)
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from netter.adam import columns as col
from netter.errors import AdamError

#: Variables converted to numbers when present (``CNSR`` further to an integer).
NUMERIC_VARS = frozenset(
    {col.AVAL, col.CNSR, "AGE", "ADY", "ASEQ", "AVISITN", "PARAMN", "BASE", "CHG", "PCHG",
     "TRT01PN", "TRT01AN", "TRTDURD"}
)

#: Grouped report lines list at most this many value/subject items, then "and N more".
MAX_ITEMS = 20
#: One item lists at most this many subjects, then "and N more".
MAX_SUBJECTS = 10

_SAS_EPOCH = pd.Timestamp("1960-01-01")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_PLAIN = re.compile(r"[^\s,;()\"']+")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data: where (file, variable), what (value), whose (subjects).

    ``rows`` (1-based record numbers) stand in for ``subjects`` when ``USUBJID`` is missing.

    Examples
    --------
    >>> print(Problem("adtte.csv", "AVAL", "-3", ("NETTER1-0042",), "is negative"))
    adtte.csv: AVAL = -3 is negative (USUBJID NETTER1-0042)
    >>> print(Problem("adtte.csv", "CNSR", None, (), "is required in ADTTE but absent"))
    adtte.csv: CNSR is required in ADTTE but absent
    """

    file: str
    variable: str | None
    value: object
    subjects: tuple[str, ...]
    message: str
    rows: tuple[int, ...] = ()

    def __str__(self) -> str:
        lead = _lead(self.variable, format_value(self.value) if self.value is not None else None)
        where = _where(self.subjects, self.rows)
        text = f"{self.file}: {lead}{self.message}"
        return f"{text} ({where})" if where else text


class AdamValidationError(AdamError):
    """ADaM data with problems; ``problems`` holds them all, the message lists them grouped.

    Examples
    --------
    >>> err = AdamValidationError([Problem("adsl.csv", "USUBJID", None, (), "is absent")])
    >>> print(err)
    ADaM data failed validation (1 problem):
      - adsl.csv: USUBJID is absent
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(render_problems(self.problems))


def format_value(value: object) -> str:
    """Show a value the way problem messages do: numbers plain, odd strings quoted.

    Examples
    --------
    >>> format_value(-3.0), format_value("1.5"), format_value("Octreotide LAR 60 mg")
    ('-3', '1.5', '"Octreotide LAR 60 mg"')
    >>> format_value(float("nan")), format_value(pd.Timestamp("2016-01-20"))
    ('NaN', '2016-01-20')
    """
    if value is pd.NaT:
        return "NaT"
    if isinstance(value, str):
        return value if _PLAIN.fullmatch(value) else f'"{value}"'
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        number = float(value)
        if math.isnan(number):
            return "NaN"
        return str(int(number)) if number.is_integer() else repr(number)
    if isinstance(value, pd.Timestamp | dt.datetime):
        stamp = pd.Timestamp(value)
        return stamp.date().isoformat() if stamp == stamp.normalize() else stamp.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def render_problems(problems: Sequence[Problem], limit: int = MAX_ITEMS) -> str:
    """The message of an :class:`AdamValidationError`: a header, then one line per group.

    Examples
    --------
    >>> problems = [Problem("adtte.csv", "AVAL", v, (s,), "is negative")
    ...             for v, s in [("-3", "NETTER1-1"), ("-5", "NETTER1-2")]]
    >>> print(render_problems(problems))
    ADaM data failed validation (2 problems):
      - adtte.csv: AVAL is negative [2 cases]: -3 (USUBJID NETTER1-1); -5 (USUBJID NETTER1-2)
    """
    count = len(problems)
    header = f"ADaM data failed validation ({count} problem{'s' if count != 1 else ''}):"
    return "\n".join([header, *(f"  - {line}" for line in group_lines(problems, limit))])


def group_lines(problems: Sequence[Problem], limit: int = MAX_ITEMS) -> list[str]:
    """One line per file x variable x kind of problem, in order of first appearance.

    Items with the same value are merged (their subjects listed together); beyond
    ``limit`` items the line ends with "and N more", so nothing goes unmentioned.

    Examples
    --------
    >>> problems = [Problem("adtte.csv", "AVALU", "HOURS", (s,), "is not an accepted unit")
    ...             for s in ("A", "B", "C")]
    >>> group_lines(problems)
    ['adtte.csv: AVALU is not an accepted unit [3 cases]: HOURS (USUBJID A, B, C)']
    """
    groups: dict[tuple[str, str | None, str], list[Problem]] = {}
    for problem in problems:
        groups.setdefault((problem.file, problem.variable, problem.message), []).append(problem)
    return [_group_line(group, limit) for group in groups.values()]


def _group_line(group: list[Problem], limit: int) -> str:
    if len(group) == 1:
        return str(group[0])
    merged: dict[str, tuple[list[str], list[int]]] = {}
    for problem in group:
        key = "" if problem.value is None else format_value(problem.value)
        subjects, rows = merged.setdefault(key, ([], []))
        subjects.extend(s for s in problem.subjects if s not in subjects)
        rows.extend(problem.rows)
    items = []
    for value, (subjects, rows) in merged.items():
        where = _where(tuple(subjects), tuple(rows))
        items.append(f"{value} ({where})" if value and where else value or where)
    more = f"; and {len(items) - limit} more" if len(items) > limit else ""
    first = group[0]
    head = f"{first.file}: {_lead(first.variable, None)}{first.message} [{len(group)} cases]"
    return f"{head}: {'; '.join(items[:limit])}{more}"


def _lead(variable: str | None, shown: str | None) -> str:
    if variable is None:
        return ""
    return f"{variable} = {shown} " if shown is not None else f"{variable} "


def _where(subjects: tuple[str, ...], rows: tuple[int, ...]) -> str:
    parts = []
    if subjects:
        parts.append(f"{col.USUBJID} {_truncate(list(subjects))}")
    if rows:
        label = "record" if len(rows) == 1 else "records"
        parts.append(f"{label} {_truncate([str(r) for r in rows])}")
    return "; ".join(parts)


def _truncate(names: list[str]) -> str:
    shown = ", ".join(names[:MAX_SUBJECTS])
    extra = len(names) - MAX_SUBJECTS
    return f"{shown} and {extra} more" if extra > 0 else shown


# --- parsing shared with netter.adam.io ---------------------------------------------


def to_numbers(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse values as floats; return the floats and a mask of present-but-unparseable values.

    Missing values stay NaN and are *not* flagged; text that is not a number (including
    the literal ``"NaN"``) is NaN in the result *and* flagged, so nothing is lost silently.

    Examples
    --------
    >>> values, bad = to_numbers(pd.Series(["1.5", "x", None, "NaN"], dtype=object))
    >>> values.tolist(), bad.tolist()
    ([1.5, nan, nan, nan], [False, True, False, True])
    """
    if pd.api.types.is_numeric_dtype(series.dtype):
        values = series.astype("float64")
    else:
        values = pd.to_numeric(series, errors="coerce").astype("float64")
    return values, values.isna() & series.notna()


def to_dates(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse ISO ``YYYY-MM-DD`` dates (or SAS day numbers, or datetimes) to ``datetime64[ns]``.

    Returns the dates and a mask of present-but-unparseable values.  Numbers are SAS dates
    (days since 1960-01-01), as SAS XPORT files carry them.

    Examples
    --------
    >>> dates, bad = to_dates(pd.Series(["2016-01-20", "20/01/2016", None, 20473.0]))
    >>> [format_value(d) for d in dates], bad.tolist()
    (['2016-01-20', 'NaT', 'NaT', '2016-01-20'], [False, True, False, False])
    """
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        values = series.dt.tz_localize(None) if series.dt.tz is not None else series
        return values.dt.normalize().astype("datetime64[ns]"), pd.Series(False, series.index)
    parsed = [_one_date(value) for value in series]
    bad = pd.Series([p is None for p in parsed], index=series.index, dtype=bool)
    stamps = [pd.NaT if p is None else p for p in parsed]
    return pd.Series(stamps, index=series.index, dtype="datetime64[ns]"), bad


def _one_date(value: object) -> pd.Timestamp | None:
    """A Timestamp, NaT for a missing value, or None for a value that is not a date."""
    if not isinstance(value, str) and _is_missing(value):
        return pd.NaT
    try:
        if isinstance(value, str):
            return pd.Timestamp(value) if _ISO_DATE.fullmatch(value) else None
        if isinstance(value, dt.date):
            stamp = pd.Timestamp(value)
            return (stamp.tz_localize(None) if stamp.tz is not None else stamp).normalize()
        if isinstance(value, int | float | np.integer | np.floating) and not isinstance(
            value, bool
        ):
            days = float(value)
            return _SAS_EPOCH + pd.Timedelta(days=int(days)) if days.is_integer() else None
    except (ValueError, OverflowError, pd.errors.OutOfBoundsDatetime):
        return None
    return None


def _is_missing(value: object) -> bool:
    """True for scalar missing markers (None, NaN, NaT, pd.NA); False for anything else."""
    missing = pd.isna(value)
    return isinstance(missing, bool | np.bool_) and bool(missing)


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
    for var in frame.columns:
        if var in col.DATE_VARS:
            bad = to_dates(frame[var])[1]
            out += per_record(frame, file, var, bad, "is not a valid YYYY-MM-DD date")
        elif var in NUMERIC_VARS and var != col.CNSR:
            out += per_record(frame, file, var, to_numbers(frame[var])[1], "is not a number")
    if col.CNSR in frame:
        out += check_cnsr(frame, file)
    return out


def check_cnsr(frame: pd.DataFrame, file: str) -> list[Problem]:
    """``CNSR`` must be a non-negative integer (0 = event, positive = censored), never missing.

    Examples
    --------
    >>> frame = pd.DataFrame({"USUBJID": ["A", "B", "C"], "CNSR": ["1.5", "Y", None]})
    >>> for problem in check_cnsr(frame, "adtte.csv"):
    ...     print(problem)
    adtte.csv: CNSR = 1.5 is not a non-negative integer (USUBJID A)
    adtte.csv: CNSR = Y is not a non-negative integer (USUBJID B)
    adtte.csv: CNSR is missing (USUBJID C)
    """
    raw = frame[col.CNSR]
    values, bad = to_numbers(raw)
    numbers = values.to_numpy()
    with np.errstate(invalid="ignore"):
        whole = np.isfinite(numbers) & (np.floor(numbers) == numbers) & (numbers >= 0)
    invalid = bad.to_numpy() | (raw.notna().to_numpy() & ~whole)
    message = "is not a non-negative integer"
    return per_record(frame, file, col.CNSR, invalid, message) + per_record(
        frame, file, col.CNSR, raw.isna(), "is missing", value=False
    )


def check_aval(frame: pd.DataFrame, file: str) -> list[Problem]:
    """Time-to-event ``AVAL`` must be finite and non-negative (text and missing: elsewhere).

    Examples
    --------
    >>> frame = pd.DataFrame({"USUBJID": ["A", "B"], "AVAL": ["inf", "-3"]})
    >>> for problem in check_aval(frame, "adtte.csv"):
    ...     print(problem)
    adtte.csv: AVAL = inf is infinite (USUBJID A)
    adtte.csv: AVAL = -3 is negative (USUBJID B)
    """
    if col.AVAL not in frame:
        return []
    numbers = to_numbers(frame[col.AVAL])[0].to_numpy()
    infinite = np.isinf(numbers)
    with np.errstate(invalid="ignore"):
        negative = (numbers < 0) & ~infinite
    return per_record(frame, file, col.AVAL, infinite, "is infinite") + per_record(
        frame, file, col.AVAL, negative, "is negative"
    )


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
    repeated = keys[keys.duplicated()].drop_duplicates()
    message = "has more than one record for the subject"
    return [
        Problem(file, col.PARAMCD, param, (subject,), message)
        for subject, param in repeated.itertuples(index=False)
    ]


def check_responses(adrs: pd.DataFrame, file: str) -> list[Problem]:
    """``AVALC`` of ``PARAMCD`` OVR and BOR must be a RECIST category (CR, PR, SD, PD, NE).

    Examples
    --------
    >>> frame = pd.DataFrame({"USUBJID": ["A"], "PARAMCD": ["BOR"], "AVALC": ["MR"]})
    >>> print(check_responses(frame, "adrs.csv")[0])
    adrs.csv: AVALC = MR is not a RECIST response (CR, PR, SD, PD, NE) for PARAMCD BOR (USUBJID A)
    """
    if col.PARAMCD not in adrs or col.AVALC not in adrs:
        return []
    categories = ", ".join(col.RESPONSE_CATEGORIES)
    avalc = adrs[col.AVALC]
    wrong = avalc.notna() & ~avalc.isin(col.RESPONSE_CATEGORIES)
    out = []
    for param in (col.PARAM_OVR, col.PARAM_BOR):
        mask = wrong & (adrs[col.PARAMCD] == param)
        message = f"is not a RECIST response ({categories}) for {col.PARAMCD} {param}"
        out += per_record(adrs, file, col.AVALC, mask, message)
    return out


def check_arm(adsl: pd.DataFrame, file: str, arm_var: str) -> list[Problem]:
    """The arm variable has a value for every subject and at least two distinct arms.

    Examples
    --------
    >>> frame = pd.DataFrame({"USUBJID": ["A", "B"], "TRT01P": ["177Lu-DOTATATE", None]})
    >>> for problem in check_arm(frame, "adsl.csv", "TRT01P"):
    ...     print(problem)
    adsl.csv: TRT01P is missing (USUBJID B)
    adsl.csv: TRT01P = 177Lu-DOTATATE is the only arm (at least two are needed to compare)
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
    out = check_required(frame, dataset, file, arm_var)
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
    return out
