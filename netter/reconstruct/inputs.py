"""Read the inputs of a reconstruction: digitised curves, numbers at risk, total events.

Formats (UTF-8 CSV, comma-separated; names of columns in any case, blank lines skipped):

* **curve**, long form: header ``arm,time,survival``, one row per digitised point, any
  number of arms.  Or the two-column, header-less ``time,survival`` file that digitising
  tools (WebPlotDigitizer, Engauge) export, one file per arm; its arm is given as
  ``ARM=PATH`` or, failing that, is the file name without its suffix.
* **at risk**: header ``arm,time,n_risk``; the published numbers at risk.
* **events** (optional): header ``arm,events``; the published total events per arm.

Survival may be a fraction or a percentage, decided per arm: with ``scale="auto"`` an
arm whose largest survival value is at most 1.5 is read as fractions, one whose largest
value is at least 50 (the top of a curve in percent) as percentages, and anything in
between is refused as a typo (one 5.0 among fractions must not turn the arm, let alone
the file, into percentages).  The choice is stated.  Read as fractions, a survival value
more than :data:`SURVIVAL_TOLERANCE` outside [0, 1] is an error (closer, the cleaning
clips it); a negative time is an error unless it is a click near the origin (within
:data:`NEGATIVE_TIME_FRACTION` of the arm's last time); an arm needs a point after time
0.  Times are in the unit the user declares (the same for the curve and the at-risk
table); :func:`check_times` refuses times beyond :data:`MAX_YEARS` years.  Arm labels may
not hold control characters (line breaks, escapes); counts are whole numbers from 0 to
:data:`MAX_COUNT`.

Every input problem raises :class:`ReconstructionInputError` (a ``NetterError``) naming
the file, the column, the value and the row (or the arm); rows are numbered as lines of
the file (a header is row 1).

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "lu.csv"
>>> _ = path.write_text("0,100\\n2.5,90\\n6.1,80\\n")
>>> curve = read_curves([f"Drug A={path}"])[0]
>>> curve.arm, curve.survival.tolist(), curve.scale
('Drug A', [1.0, 0.9, 0.8], 'percent')
"""

from __future__ import annotations

import csv
import io
import math
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePath

import numpy as np

from netter.adam import columns as col
from netter.errors import NetterError

#: Largest survival value of an arm still read as a fraction when ``scale="auto"``.
PERCENT_THRESHOLD = 1.5
#: Smallest largest value of an arm read as percentages when ``scale="auto"``: a curve in
#: percent starts near 100; an arm whose largest value lies between the two is refused.
PERCENT_MIN = 50.0
#: Survival (as a fraction) further than this outside [0, 1] is an error, not a click
#: slightly off the axis (which the cleaning clips).
SURVIVAL_TOLERANCE = 0.05
#: A negative time is a click left of the origin (set to 0 by the cleaning) when it lies
#: within this fraction of the arm's last time of 0; further left it is an error.
NEGATIVE_TIME_FRACTION = 0.01
#: Longest time accepted, in years of the declared unit (no follow-up is longer).
MAX_YEARS = 100.0
#: Largest count accepted (numbers at risk, events).
MAX_COUNT = 10_000_000
#: Line and paragraph separators and bidirectional overrides, refused in labels with the
#: control characters: they break lines or make a label display as another text.
_REFUSED_FORMAT = frozenset("\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
SCALES = ("auto", "fraction", "percent")
CURVE_COLUMNS = ("arm", "time", "survival")
AT_RISK_COLUMNS = ("arm", "time", "n_risk")
EVENTS_COLUMNS = ("arm", "events")


class ReconstructionInputError(NetterError):
    """A reconstruction input that cannot be used; the message names file, column, value, row."""


@dataclass(frozen=True, eq=False)
class CurveSource:
    """The digitised points of one arm as read (survival already scaled to a fraction).

    Attributes
    ----------
    arm : str
    file : str
        The file as named by the user (for messages and the change log).
    time, survival : numpy.ndarray
        In file order.
    row : numpy.ndarray
        Row (line) of each point in the file.
    scale : str
        ``"fraction"`` or ``"percent"`` (what the file held).
    scale_note : str
        How the scale was decided.
    arm_from : str
        Where the arm label came from: ``"column arm"``, ``"ARM="`` or ``"file name"``.
    """

    arm: str
    file: str
    time: np.ndarray
    survival: np.ndarray
    row: np.ndarray
    scale: str
    scale_note: str
    arm_from: str = "column arm"


@dataclass(frozen=True, eq=False)
class AtRiskSource:
    """The published numbers at risk of one arm, in file order."""

    arm: str
    file: str
    time: np.ndarray
    n_risk: np.ndarray
    row: np.ndarray


def display_name(path: str | os.PathLike) -> str:
    """The path as given when relative, the file name alone when absolute (no absolute paths
    end up in output files).

    Examples
    --------
    >>> display_name("/home/me/curve.csv"), display_name("data/curve.csv")
    ('curve.csv', 'data/curve.csv')
    """
    pure = PurePath(os.fspath(path))
    return pure.name if pure.is_absolute() else pure.as_posix()


def normalise_unit(unit: str) -> str:
    """The declared time unit as an ``AVALU`` value (upper case; singular accepted).

    Examples
    --------
    >>> normalise_unit("months"), normalise_unit("Week")
    ('MONTHS', 'WEEKS')
    """
    key = str(unit).strip().upper()
    if key + "S" in col.UNIT_TO_DAYS:
        key += "S"
    if key not in col.UNIT_TO_DAYS:
        accepted = ", ".join(u.lower() for u in col.UNIT_TO_DAYS)
        raise ReconstructionInputError(f"time unit {unit!r} is not known; accepted: {accepted}")
    return key


def _rows(path: str | os.PathLike) -> list[tuple[int, list[str]]]:
    """Non-blank rows of a CSV file as (line number, stripped cells)."""
    label, file = display_name(path), Path(path)
    if not file.is_file():
        raise ReconstructionInputError(f"{label}: file not found")
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise ReconstructionInputError(f"{label}: not UTF-8 text (byte {err.start})") from err
    except OSError as err:
        raise ReconstructionInputError(f"{label}: cannot be read ({err.strerror})") from err
    reader = csv.reader(io.StringIO(text))
    rows, first = [], 1
    try:
        for cells in reader:
            cells = [cell.strip() for cell in cells]
            if any(cells):
                rows.append((first, cells))  # a quoted cell may span lines: the first one
            first = reader.line_num + 1
    except csv.Error as err:
        raise ReconstructionInputError(
            f"{label}: row {first}: not readable as CSV ({err})") from err
    if not rows:
        raise ReconstructionInputError(f"{label}: empty file")
    return rows


def _number(text: str, file: str, column: str, row: int) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ReconstructionInputError(
            f"{file}: row {row}, column {column}: value {text!r} is not a finite number")
    return value


def _count(text: str, file: str, column: str, row: int) -> int:
    value = _number(text, file, column, row)
    if value < 0 or value != int(value):
        raise ReconstructionInputError(
            f"{file}: row {row}, column {column}: value {text!r} is not a whole number >= 0")
    if value > MAX_COUNT:
        raise ReconstructionInputError(
            f"{file}: row {row}, column {column}: value {text!r} is more than {MAX_COUNT:,}")
    return int(value)


def check_label(text: str, where: str) -> str:
    """An arm label as given, refused when empty or holding a control character.

    ``where`` names the file, row and column for the message.

    Examples
    --------
    >>> check_label("Drug A", "c.csv: row 2, column arm")
    'Drug A'
    >>> check_label("A\\nB", "c.csv: row 2, column arm")
    Traceback (most recent call last):
    ...
    netter.reconstruct.inputs.ReconstructionInputError: c.csv: row 2, column arm: value \
'A\\nB' holds a control character (line break, tab or escape)
    """
    if not text:
        raise ReconstructionInputError(f"{where}: value is empty")
    if any(unicodedata.category(char) in ("Cc", "Cs") or char in _REFUSED_FORMAT
           for char in text):
        raise ReconstructionInputError(
            f"{where}: value {text!r} holds a control character (line break, tab or escape)")
    return text


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def _header(rows, file: str, required: tuple[str, ...]) -> tuple[dict[str, int], list]:
    """Column positions of ``required`` in the header row, and the data rows."""
    names = [cell.lower() for cell in rows[0][1]]
    missing = [name for name in required if name not in names]
    if missing:
        found = ", ".join(rows[0][1]) or "(nothing)"
        raise ReconstructionInputError(
            f"{file}: row {rows[0][0]}: column(s) {', '.join(missing)} missing; header is "
            f"{found} (expected {','.join(required)})")
    twice = [name for name in required if names.count(name) > 1]
    if twice:
        raise ReconstructionInputError(
            f"{file}: row {rows[0][0]}: column {twice[0]} appears {names.count(twice[0])} "
            "times in the header; which one is meant?")
    if len(rows) == 1:
        raise ReconstructionInputError(f"{file}: a header and no data rows")
    return {name: names.index(name) for name in required}, rows[1:]


def _cells(rows, file: str, positions: dict[str, int]):
    """Yield (row, {column: text}) checking every row has the header's columns."""
    width = max(positions.values()) + 1
    for row, cells in rows:
        if len(cells) < width:
            raise ReconstructionInputError(
                f"{file}: row {row}: {len(cells)} value(s), expected at least {width}")
        yield row, {name: cells[i] for name, i in positions.items()}


def check_times(curves, at_risk: dict, unit: str) -> None:
    """Refuse a time beyond :data:`MAX_YEARS` years of ``unit`` in the curves or the at-risk
    table (a typo such as 1e300: no follow-up is that long, and it would overflow).

    Parameters
    ----------
    curves : list of CurveSource
    at_risk : dict
        Arm to :class:`AtRiskSource`.
    unit : str
        The declared unit as ``AVALU`` (see :func:`normalise_unit`).

    Examples
    --------
    >>> src = AtRiskSource("A", "r.csv", np.array([0.0, 1e300]), np.array([9, 8]),
    ...                    np.array([2, 3]))
    >>> check_times([], {"A": src}, "MONTHS")
    Traceback (most recent call last):
    ...
    netter.reconstruct.inputs.ReconstructionInputError: r.csv: row 3, column time: arm 'A': \
value 1e+300 is beyond 100 years (1200 months): a typo?
    """
    limit = MAX_YEARS * col.UNIT_TO_DAYS["YEARS"] / col.UNIT_TO_DAYS[unit]
    sources = [(c, "time" if c.arm_from == "column arm" else "time (1st)") for c in curves]
    for source, column in [*sources, *((t, "time") for t in at_risk.values())]:
        beyond = np.flatnonzero(source.time > limit)
        if beyond.size:
            k = int(beyond[0])
            raise ReconstructionInputError(
                f"{source.file}: row {source.row[k]}, column {column}: arm {source.arm!r}: "
                f"value {source.time[k]:g} is beyond {MAX_YEARS:g} years ({limit:g} "
                f"{unit.lower()}): a typo?")


# --- curves ------------------------------------------------------------------------------


def parse_curve_spec(spec: str) -> tuple[str | None, str]:
    """Split ``ARM=PATH`` (arm given) from ``PATH`` (arm from the file or its name).

    Examples
    --------
    >>> parse_curve_spec("Placebo 10 mg=pbo.csv"), parse_curve_spec("curve.csv")
    (('Placebo 10 mg', 'pbo.csv'), (None, 'curve.csv'))
    """
    text = str(spec)
    if "=" in text and not Path(text).exists():
        arm, path = text.split("=", 1)
        if not arm.strip() or not path.strip():
            raise ReconstructionInputError(f"curve {text!r}: expected ARM=PATH or PATH")
        return arm.strip(), path.strip()
    return None, text


def _scaled(values: np.ndarray, rows: np.ndarray, scale: str, file: str, arm: str,
            column: str = "survival") -> tuple[np.ndarray, str, str]:
    """One arm's survival as fractions, the scale it used and how that was decided."""
    if scale not in SCALES:
        raise ReconstructionInputError(f"survival scale {scale!r}: choose {', '.join(SCALES)}")
    top = int(np.argmax(values))
    largest = float(values[top])
    where = f"{file}: row {rows[top]}, column {column}: arm {arm!r}"
    if scale == "auto":
        if largest <= PERCENT_THRESHOLD:
            scale, rule = "fraction", f"<= {PERCENT_THRESHOLD:g}"
        elif largest >= PERCENT_MIN:
            scale, rule = "percent", f">= {PERCENT_MIN:g}"
        else:
            raise ReconstructionInputError(
                f"{where}: largest value {largest:g} is neither a fraction (at most "
                f"{PERCENT_THRESHOLD:g}) nor the top of a curve in percent (at least "
                f"{PERCENT_MIN:g}): a typo? (if the values are right, declare "
                "--survival-scale)")
        note = (f"{file}: arm {arm!r}: survival read as {scale}s (detected: largest value "
                f"{largest:g} {rule})")
    else:
        if scale == "percent" and largest <= PERCENT_THRESHOLD:
            raise ReconstructionInputError(
                f"{where}: survival declared in percent, but the largest value is "
                f"{largest:g}: these are fractions")
        note = f"{file}: arm {arm!r}: survival read as {scale}s (declared)"
    if scale == "percent":
        values, note = np.round(values / 100.0, 12), note + "; divided by 100"
    outside = np.flatnonzero((values < -SURVIVAL_TOLERANCE) | (values > 1 + SURVIVAL_TOLERANCE))
    if outside.size:
        k = int(outside[0])
        shown = values[k] * (100.0 if scale == "percent" else 1.0)
        hint = " (a percentage among fractions?)" if scale == "fraction" and shown > 1 else ""
        raise ReconstructionInputError(
            f"{file}: row {rows[k]}, column {column}: arm {arm!r}: value {shown:g} is not a "
            f"survival {'percentage' if scale == 'percent' else 'probability'} (read as "
            f"{scale}s, it lies more than {SURVIVAL_TOLERANCE:g} outside [0, 1]){hint}")
    return values, scale, note


def _check_times(time: np.ndarray, rows: np.ndarray, file: str, arm: str, column: str):
    """An arm needs a point after time 0; negative times only as clicks near the origin."""
    last = float(time.max())
    if last <= 0:
        raise ReconstructionInputError(
            f"{file}: arm {arm!r}, column {column}: no point after time 0 (largest time "
            f"{last:g}, row {rows[int(np.argmax(time))]}): a curve needs its steps")
    low = int(np.argmin(time))
    if time[low] < -NEGATIVE_TIME_FRACTION * last:
        raise ReconstructionInputError(
            f"{file}: row {rows[low]}, column {column}: arm {arm!r}: value {time[low]:g} is "
            f"negative, further left of 0 than a click near the origin (at most "
            f"{NEGATIVE_TIME_FRACTION:.0%} of the last time, {last:g})")


def _curve_source(arm: str, file: str, times, values, lines, scale: str,
                  arm_from: str = "column arm") -> CurveSource:
    time, row = np.array(times, dtype=float), np.array(lines, dtype=np.int64)
    long_form = arm_from == "column arm"
    _check_times(time, row, file, arm, "time" if long_form else "time (1st)")
    surv, used, note = _scaled(np.array(values, dtype=float), row, scale, file, arm,
                               "survival" if long_form else "survival (2nd)")
    return CurveSource(arm, file, time, surv, row, used, note, arm_from)


def _long_curve(rows, file: str, scale: str) -> list[CurveSource]:
    positions, data = _header(rows, file, CURVE_COLUMNS)
    points: dict[str, tuple[list, list, list]] = {}
    for row, cells in _cells(data, file, positions):
        arm = check_label(cells["arm"], f"{file}: row {row}, column arm")
        times, values, lines = points.setdefault(arm, ([], [], []))
        times.append(_number(cells["time"], file, "time", row))
        values.append(_number(cells["survival"], file, "survival", row))
        lines.append(row)
    return [_curve_source(arm, file, *columns, scale) for arm, columns in points.items()]


def _two_column_curve(rows, file: str, arm: str, scale: str, arm_from: str) -> CurveSource:
    if not all(_is_number(cell) for cell in rows[0][1]):
        rows = rows[1:]  # a header such as "x,y" or "time,survival"
        if not rows:
            raise ReconstructionInputError(f"{file}: a header and no data rows")
    times, values, lines = [], [], []
    for row, cells in rows:
        if len(cells) != 2:
            raise ReconstructionInputError(
                f"{file}: row {row}: {len(cells)} value(s), expected 2 (time, survival)")
        times.append(_number(cells[0], file, "time (1st)", row))
        values.append(_number(cells[1], file, "survival (2nd)", row))
        lines.append(row)
    return _curve_source(arm, file, times, values, lines, scale, arm_from)


def read_curve_file(spec: str, *, scale: str = "auto") -> list[CurveSource]:
    """Read one curve file given as ``PATH`` or ``ARM=PATH``.

    A header naming ``arm``, ``time`` and ``survival`` means the long form (every arm in
    the file); otherwise the file must have two columns, time then survival, with or
    without a header, and holds one arm.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "km.csv"
    >>> _ = path.write_text("Arm,Time,Survival\\nA,0,1\\nA,3,0.9\\nB,0,1\\nB,2,0.5\\n")
    >>> [(c.arm, c.time.tolist()) for c in read_curve_file(str(path))]
    [('A', [0.0, 3.0]), ('B', [0.0, 2.0])]
    """
    arm, path = parse_curve_spec(spec)
    rows, file = _rows(path), display_name(path)
    header = [cell.lower() for cell in rows[0][1]]
    if all(name in header for name in CURVE_COLUMNS):
        if arm is not None:
            raise ReconstructionInputError(
                f"{file}: has an arm column, so ARM= ({arm!r}) cannot be given for it")
        return _long_curve(rows, file, scale)
    if len(rows[0][1]) != 2:
        if not all(_is_number(cell) for cell in rows[0][1]):
            _header(rows, file, CURVE_COLUMNS)  # a header without arm,time,survival
        raise ReconstructionInputError(
            f"{file}: row {rows[0][0]}: expected a header arm,time,survival or two "
            f"columns time,survival; found {len(rows[0][1])} column(s): {', '.join(rows[0][1])}")
    arm_from = "ARM=" if arm is not None else "file name"
    label = check_label(arm or Path(path).stem, f"{file}: arm from the {arm_from}")
    return [_two_column_curve(rows, file, label, scale, arm_from)]


def read_curves(specs, *, scale: str = "auto") -> list[CurveSource]:
    """Read every curve file; each arm must come from one file only.

    Examples
    --------
    >>> read_curves([])
    Traceback (most recent call last):
    ...
    netter.reconstruct.inputs.ReconstructionInputError: no curve file given
    """
    curves: list[CurveSource] = []
    for spec in specs:
        for curve in read_curve_file(spec, scale=scale):
            twin = next((c for c in curves if c.arm == curve.arm), None)
            if twin is not None:
                raise ReconstructionInputError(
                    f"{curve.file}: arm {curve.arm!r} is also in {twin.file}")
            curves.append(curve)
    if not curves:
        raise ReconstructionInputError("no curve file given")
    return curves


# --- numbers at risk and events -----------------------------------------------------------


def read_at_risk(path: str | os.PathLike) -> dict[str, AtRiskSource]:
    """Read the published numbers at risk (``arm,time,n_risk``), per arm in file order.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "risk.csv"
    >>> _ = path.write_text("arm,time,n_risk\\nA,0,116\\nA,3,97\\n")
    >>> read_at_risk(path)["A"].n_risk.tolist()
    [116, 97]
    """
    file = display_name(path)
    positions, data = _header(_rows(path), file, AT_RISK_COLUMNS)
    table: dict[str, list] = {}
    for row, cells in _cells(data, file, positions):
        arm = check_label(cells["arm"], f"{file}: row {row}, column arm")
        time = _number(cells["time"], file, "time", row)
        if time < 0:
            raise ReconstructionInputError(
                f"{file}: row {row}, column time: value {cells['time']!r} is negative")
        count = _count(cells["n_risk"], file, "n_risk", row)
        table.setdefault(arm, []).append((time, count, row))
    return {arm: AtRiskSource(arm, file, np.array([r[0] for r in rows]),
                              np.array([r[1] for r in rows], dtype=np.int64),
                              np.array([r[2] for r in rows], dtype=np.int64))
            for arm, rows in table.items()}


def read_events(path: str | os.PathLike) -> dict[str, int]:
    """Read the published total events per arm (``arm,events``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "events.csv"
    >>> _ = path.write_text("arm,events\\nA,21\\nB,x\\n")
    >>> read_events(path)
    Traceback (most recent call last):
    ...
    netter.reconstruct.inputs.ReconstructionInputError: events.csv: row 3, column events: \
value 'x' is not a finite number
    """
    file = display_name(path)
    positions, data = _header(_rows(path), file, EVENTS_COLUMNS)
    events: dict[str, int] = {}
    for row, cells in _cells(data, file, positions):
        arm = check_label(cells["arm"], f"{file}: row {row}, column arm")
        if arm in events:
            raise ReconstructionInputError(f"{file}: row {row}, column arm: {arm!r} repeated")
        events[arm] = _count(cells["events"], file, "events", row)
    return events
