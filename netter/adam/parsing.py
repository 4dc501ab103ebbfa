"""Parsing raw ADaM values (text from CSV, numbers and dates from Parquet/XPT), flagging failures.

Shared by the validation rules (:mod:`netter.adam.checks`) and the typing step of
:mod:`netter.adam.io`, so a value is judged and converted by the same code.

Examples
--------
>>> values, bad = to_numbers(pd.Series(["2", "two"]))
>>> values.tolist()[0], bad.tolist()
(2.0, [False, True])
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

_SAS_EPOCH = pd.Timestamp("1960-01-01")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits only


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
    >>> [str(d.date()) if not pd.isna(d) else 'NaT' for d in dates], bad.tolist()
    (['2016-01-20', 'NaT', 'NaT', '2016-01-20'], [False, True, False, False])
    """
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        values = series.dt.tz_localize(None) if series.dt.tz is not None else series
        values = values.dt.normalize()
        outside = values.notna() & ((values < FIRST_DATE) | (values > LAST_DATE))
        values = values.where(~outside)
        return values.astype("datetime64[ns]"), outside.astype(bool)
    if pd.api.types.infer_dtype(series, skipna=True) in ("string", "empty"):
        return _iso_dates(series)
    parsed = [_one_date(value) for value in series]
    bad = pd.Series([p is None for p in parsed], index=series.index, dtype=bool)
    stamps = [pd.NaT if p is None else p for p in parsed]
    return pd.Series(stamps, index=series.index, dtype="datetime64[ns]"), bad


#: The dates netter can represent (pandas nanosecond timestamps).
FIRST_DATE, LAST_DATE = pd.Timestamp.min.ceil("D"), pd.Timestamp.max.floor("D")


def out_of_range_dates(series: pd.Series) -> pd.Series:
    """Mask of values that are real calendar dates outside :data:`FIRST_DATE` ..
    :data:`LAST_DATE` (such as the placeholders 9999-12-31 and 0001-01-01).

    Examples
    --------
    >>> import datetime
    >>> out_of_range_dates(pd.Series(["9999-12-31", "2016-01-20", "2016-02-30",
    ...                               datetime.date(1, 1, 1), None, pd.NaT])).tolist()
    [True, False, False, True, False, False]
    """
    def outside(value) -> bool:
        if value is None or (not isinstance(value, str) and _is_missing(value)):
            return False
        if isinstance(value, str):
            if not _ISO_DATE.fullmatch(value):
                return False
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                return False
        if isinstance(value, np.datetime64):
            value = value.astype("datetime64[D]").astype(object)
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return not FIRST_DATE.date() <= value <= LAST_DATE.date()
        return False

    return pd.Series([outside(v) for v in series], index=series.index, dtype=bool)


def day_numbers(values: pd.Series) -> np.ndarray:
    """Dates (anything :func:`to_dates` reads) as day numbers since 1970-01-01, float,
    NaN where missing or invalid: differences of them never overflow, whatever the
    dates (1677 and 2262 included), as differences of timestamps can.

    Examples
    --------
    >>> day_numbers(pd.Series(["1970-01-02", None, "x", "1677-09-22", "2262-04-10"])).tolist()
    [1.0, nan, nan, -106751.0, 106750.0]
    """
    dates = to_dates(values)[0]
    nanoseconds = dates.to_numpy(dtype="datetime64[ns]").view("int64")
    numbers = np.floor_divide(nanoseconds, 86_400 * 10**9).astype(float)
    numbers[dates.isna().to_numpy()] = np.nan
    return numbers


def _iso_dates(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """:func:`to_dates` of text (and missing values), vectorised: the same dates and flags
    as :func:`_one_date` value by value (``YYYY-MM-DD`` only; impossible dates flagged)."""
    present = series.notna()
    text = series.where(present, None).astype(object)
    iso = text.str.fullmatch(_ISO_DATE.pattern).eq(True)
    parsed = pd.to_datetime(text.where(iso, None), format="%Y-%m-%d", errors="coerce")
    bad = present & parsed.isna()
    return parsed.astype("datetime64[ns]"), bad.astype(bool)


def _one_date(value: object) -> pd.Timestamp | None:
    """A Timestamp, NaT for a missing value, or None for a value that is not a date."""
    if not isinstance(value, str) and _is_missing(value):
        return pd.NaT
    try:
        if isinstance(value, str):
            return pd.Timestamp(value) if _ISO_DATE.fullmatch(value) else None
        if isinstance(value, dt.date | np.datetime64):
            stamp = pd.Timestamp(value)
            stamp = (stamp.tz_localize(None) if stamp.tz is not None else stamp).normalize()
            return stamp if FIRST_DATE <= stamp <= LAST_DATE else None
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
