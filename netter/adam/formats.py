"""The file formats of ADaM datasets: CSV, Parquet and SAS XPORT, read once from their bytes.

Each file is read in one go; its SHA-256 is computed from those bytes and the frame is
parsed from them, so what is hashed is exactly what is analysed.  Frames come out *raw*:
variable names upper-cased, byte strings decoded, strings stripped, empty strings made
missing, CSV kept as text (typing happens after validation, in :mod:`netter.adam.io`).
Variable labels come along where the format has them (XPORT; Parquet field metadata
``label``).

Examples
--------
>>> raw = parse_bytes(b"usubjid, trt01p\\nS1 , Drug\\nS2,\\n", "csv")
>>> raw.frame.to_dict("list"), raw.sha256[:12]
({'USUBJID': ['S1', 'S2'], 'TRT01P': ['Drug', nan]}, '8aafdbeb5cc7')
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from netter.adam.problems import Problem

#: Suffixes read (compared in lower case) and the format each one means.
FORMATS: dict[str, str] = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".xpt": "xpt"}
SUFFIX_LIST = ", ".join(FORMATS)


@dataclass(frozen=True)
class RawFile:
    """One file as read: the raw frame, the SHA-256 of its bytes, its variable labels."""

    frame: pd.DataFrame
    sha256: str
    labels: dict[str, str]


class Unreadable(Exception):
    """A file that cannot be read; the message says why."""


def read_raw(path: str | os.PathLike) -> tuple[RawFile | None, list[Problem]]:
    """The raw file, or None and the problem that prevented reading it."""
    try:
        return _read_file(Path(path)), []
    except Unreadable as err:
        return None, [Problem(os.fspath(path), None, None, (), str(err))]


def _read_file(path: Path) -> RawFile:
    """Read the file's bytes once; hash them and parse them (never read twice)."""
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise Unreadable(f"unknown suffix {path.suffix!r} (netter reads {SUFFIX_LIST})")
    if not path.exists():
        raise Unreadable("file not found")
    if not path.is_file():
        raise Unreadable("not a file")
    try:
        content = path.read_bytes()
    except OSError as err:
        raise Unreadable(f"cannot be read ({err.strerror or err})") from err
    return parse_bytes(content, kind)


def parse_bytes(content: bytes, kind: str) -> RawFile:
    """The raw frame of a file's bytes, the SHA-256 of those bytes, its variable labels."""
    if not content:
        raise Unreadable("empty file (0 bytes)")
    reader = {"csv": _read_csv, "parquet": _read_parquet, "xpt": _read_xpt}[kind]
    frame, labels = reader(content)
    return RawFile(_normalise(frame), hashlib.sha256(content).hexdigest(),
                    {str(k).strip().upper(): v for k, v in labels.items() if v})


def _read_csv(content: bytes) -> tuple[pd.DataFrame, dict[str, str]]:
    """All cells as text; the header is read as a row so duplicate names are not mangled.

    A NUL byte is refused: pandas' parser would cut the cell there, silently.

    Examples
    --------
    >>> try:
    ...     _read_csv(b"A,B\\nx\\x00y,1\\n")
    ... except Unreadable as err:
    ...     print(err)
    a NUL byte (\\x00) at line 2, byte 6: not a text file, or a damaged one
    """
    if b"\x00" in content:
        at = content.index(b"\x00")
        line = content.count(b"\n", 0, at) + 1
        raise Unreadable(f"a NUL byte (\\x00) at line {line}, byte {at + 1}: not a text "
                         "file, or a damaged one")
    try:
        cells = pd.read_csv(
            io.BytesIO(content), dtype=str, header=None, keep_default_na=False,
            encoding="utf-8-sig"
        )
    except UnicodeDecodeError as err:
        raise Unreadable(f"not UTF-8 text (byte {err.start}: {err.reason})") from err
    except pd.errors.EmptyDataError as err:
        raise Unreadable("no header and no records") from err
    except (pd.errors.ParserError, ValueError, OSError) as err:
        raise Unreadable(f"cannot be read as CSV: {err}") from err
    body = cells.iloc[1:].reset_index(drop=True)
    body.columns = list(cells.iloc[0])
    _check_field_counts(content, len(body.columns))
    return body, {}


def _check_field_counts(content: bytes, width: int) -> None:
    """Every record has the header's number of fields: pandas pads a short one with empty
    cells, silently (a missing comma, a cut line).  Blank lines are skipped, as pandas
    skips them.

    Examples
    --------
    >>> _check_field_counts(b"A,B\\nx,y\\n\\n", 2)
    >>> try:
    ...     _check_field_counts(b"A,B,C\\nx,y\\n", 3)
    ... except Unreadable as err:
    ...     print(err)
    record 1 (line 2) has 2 fields, the header 3: a missing comma or a cut line
    """
    import csv

    text = content.decode("utf-8-sig", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    # The csv module refuses cells over 128 KiB, which pandas reads: lift its limit to
    # the file's size for this pass and put it back.
    previous = csv.field_size_limit()
    csv.field_size_limit(max(previous, min(len(text) + 1, 2**31 - 1)))
    try:
        next(reader, None)
        record = 0
        for fields in reader:
            if not fields:
                continue
            record += 1
            if len(fields) < width:
                raise Unreadable(
                    f"record {record} (line {reader.line_num}) has {len(fields)} "
                    f"field{'s' if len(fields) != 1 else ''}, the header {width}: "
                    "a missing comma or a cut line")
    except csv.Error as err:
        raise Unreadable(f"cannot be read as CSV: line {reader.line_num}: {err}") from err
    finally:
        csv.field_size_limit(previous)


def _read_parquet(content: bytes) -> tuple[pd.DataFrame, dict[str, str]]:
    """The table and the ``label`` of each field's metadata, where present."""
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(io.BytesIO(content))
        frame = table.to_pandas()
    except Exception as err:  # pyarrow raises many kinds; all mean "cannot read"
        detail = " ".join(str(err).split()) or type(err).__name__  # one line
        raise Unreadable(f"cannot be read as Parquet: {detail}") from err
    labels = {}
    for item in table.schema:
        raw = (item.metadata or {}).get(b"label")
        if raw:
            labels[item.name] = raw.decode("utf-8", errors="replace").strip()
    return frame, labels


#: What pandas makes of an IBM-float zero (all bytes 0) in XPORT files: 16**-65.
_XPT_ZERO = 16.0**-65


def _read_xpt(content: bytes) -> tuple[pd.DataFrame, dict[str, str]]:
    """Read SAS XPORT v5 and its variable labels; zeros that pandas decodes as 16**-65
    are put back to 0.

    pandas (up to at least 2.3) misreads the IBM-float 0 as 5.397605e-79
    (pandas-dev/pandas#50670), which would turn every ``CNSR = 0`` into a non-integer.
    """
    import warnings

    try:
        with warnings.catch_warnings():
            # pandas warns "xport file may be corrupted" and reads on: refuse instead
            warnings.simplefilter("error")
            with pd.read_sas(io.BytesIO(content), format="xport", iterator=True) as reader:
                labels = {_text(f["name"]): _text(f["label"]) for f in reader.fields}
                # our count of the records, not pandas' (which, for records of at most
                # 80 bytes, counts blank words inside the data as padding)
                reader.nobs = _xpt_records(content, reader.record_start,
                                           reader.record_length)
                frame = reader.read() if reader.nobs else None
    except StopIteration as err:  # raised by the reader when the member has no records
        raise Unreadable("no records") from err
    except Warning as err:
        raise Unreadable(f"truncated or corrupted SAS XPORT file ({err})") from err
    except Exception as err:  # the XPORT reader raises ValueError, struct.error, ...
        detail = str(err) or type(err).__name__
        raise Unreadable(f"cannot be read as SAS XPORT: {detail}") from err
    if frame is None or len(frame.columns) == 0:
        raise Unreadable("no records")
    for name in frame.columns:
        if frame[name].dtype == np.float64:
            frame[name] = frame[name].mask(frame[name].abs() == _XPT_ZERO, 0.0)
    return frame, labels


def _xpt_records(content: bytes, start: int, length: int) -> int:
    """The number of records of an XPORT v5 member whose records start at ``start``.

    After the last record the file holds only blank padding, to the end of its 80-byte
    card: whole records of blanks within that last card are padding, not data (a record
    of blanks is all-missing text, which netter refuses anyway).  Anything else after
    the last whole record is part of a record: the file was cut, even on an 80-byte
    boundary.  (A cut exactly between records on an 80-byte boundary leaves no trace in a
    v5 file, which does not store its number of records.)

    Examples
    --------
    >>> _xpt_records(b"H" * 80 + b"AAAA" * 3 + b" " * 68, 80, 4)
    3
    >>> _xpt_records(b"H" * 80 + b"AA  " * 3 + b" " * 68, 80, 4)  # blanks inside data
    3
    >>> try:
    ...     _xpt_records(b"H" * 80 + b"AAAA" * 3 + b"AA", 80, 4)
    ... except Unreadable as err:
    ...     print(str(err)[:60])
    truncated SAS XPORT file: 3 complete records of 4 bytes, the
    """
    data = content[start:]
    count = len(data) // length
    while (count > 0 and len(data) - (count - 1) * length < 80
           and not data[(count - 1) * length:count * length].strip(b" ")):
        count -= 1
    tail = data[count * length:]
    if tail.strip(b" ") or len(tail) >= 80:
        raise Unreadable(f"truncated SAS XPORT file: {count} complete records of "
                         f"{length} bytes, then {len(tail)} bytes that are not padding "
                         "(a partial record, or a second dataset netter does not read)")
    return count


def _text(value) -> str:
    """A header field of an XPORT file as text (bytes decoded, stripped)."""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return str(value).strip()


def _normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """Upper-case unique names, cleaned text columns; refuse frames with no records."""
    names = [str(name).strip().upper() for name in frame.columns]
    if len(names) == 1 and any(sep in names[0] for sep in ";\t|"):
        sep = next(s for s in ";\t|" if s in names[0])
        raise Unreadable(f"looks separated by {sep!r}; netter reads comma-separated CSV")
    blank = [str(i + 1) for i, name in enumerate(names) if not name]
    if blank:
        raise Unreadable(f"empty variable name in column {', '.join(blank)}")
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise Unreadable(f"variable named more than once (any case): {', '.join(repeated)}")
    if len(frame) == 0:
        raise Unreadable("no records")
    cleaned = {name: _clean_column(frame.iloc[:, i], name) for i, name in enumerate(names)}
    return pd.DataFrame(cleaned, index=pd.RangeIndex(len(frame)))


def _clean_column(series: pd.Series, name: str = "") -> pd.Series:
    """Decode bytes, strip strings, empty strings to NaN; numbers and datetimes untouched,
    except subject ids (``USUBJID``), which are text: whole numbers as integers (an XPORT
    file stores 1001 as 1001.0)."""
    dtype = series.dtype
    if name == "USUBJID" and pd.api.types.is_numeric_dtype(dtype):
        values = series.reset_index(drop=True)
        return pd.Series([_id_text(v) for v in values], dtype=object)
    if pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_datetime64_any_dtype(dtype):
        return series.reset_index(drop=True)
    if pd.api.types.infer_dtype(series, skipna=True) in ("string", "empty"):
        text = series.reset_index(drop=True).astype(object).str.strip()
        return text.where(text.notna() & text.ne(""), np.nan).astype(object)
    values = series.to_numpy(dtype=object, na_value=np.nan)
    return pd.Series([_clean_value(v) for v in values], dtype=object)


def _id_text(value) -> object:
    """A numeric subject id as text (``1001.0`` -> ``"1001"``), missing kept missing.

    Examples
    --------
    >>> _id_text(1001.0), _id_text(12.5), _id_text(float("nan")) is np.nan
    ('1001', '12.5', True)
    """
    if pd.isna(value):
        return np.nan
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


def _clean_value(value: object) -> object:
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            value = value.decode("latin-1")  # XPORT files carry no encoding; SAS default
    if isinstance(value, str):
        value = value.strip()
        return value if value else np.nan
    return value
