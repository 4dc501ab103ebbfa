"""Read the inputs of a reconstruction: digitised curves, numbers at risk, total events.

Formats (UTF-8 CSV, comma-separated; names of columns in any case, blank lines skipped):

* **curve**, long form: header ``arm,time,survival``, one row per digitised point, any
  number of arms.  Or the two-column, header-less ``time,survival`` file that digitising
  tools (WebPlotDigitizer, Engauge) export, one file per arm; its arm is given as
  ``ARM=PATH`` or, failing that, is the file name without its suffix.
* **at risk**: header ``arm,time,n_risk``; the published numbers at risk.
* **events** (optional): header ``arm,events``; the published total events per arm.

Survival may be a fraction or a percentage: with ``scale="auto"`` a file whose largest
survival value exceeds 1.5 is read as percentages, and the choice is stated.  Times are
in the unit the user declares (the same for the curve and the at-risk table).

Every input problem raises :class:`ReconstructionInputError` (a ``NetterError``) naming
the file, the column, the value and the row; rows are numbered as lines of the file
(a header is row 1).

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "lu.csv"
>>> _ = path.write_text("0,100\\n2.5,90\\n6.1,80\\n")
>>> curve = read_curves([f"177Lu-DOTATATE={path}"])[0]
>>> curve.arm, curve.survival.tolist(), curve.scale
('177Lu-DOTATATE', [1.0, 0.9, 0.8], 'percent')
"""

from __future__ import annotations

import csv
import io
import math
import os
from dataclasses import dataclass
from pathlib import Path, PurePath

import numpy as np

from netter.adam import columns as col
from netter.errors import NetterError

#: Largest survival value still read as a fraction when ``scale="auto"``.
PERCENT_THRESHOLD = 1.5
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
    reader = csv.reader(io.StringIO(text))
    rows = []
    for cells in reader:
        cells = [cell.strip() for cell in cells]
        if any(cells):
            rows.append((reader.line_num, cells))
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
    return int(value)


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


# --- curves ------------------------------------------------------------------------------


def parse_curve_spec(spec: str) -> tuple[str | None, str]:
    """Split ``ARM=PATH`` (arm given) from ``PATH`` (arm from the file or its name).

    Examples
    --------
    >>> parse_curve_spec("Octreotide LAR 60 mg=oct.csv"), parse_curve_spec("curve.csv")
    (('Octreotide LAR 60 mg', 'oct.csv'), (None, 'curve.csv'))
    """
    text = str(spec)
    if "=" in text and not Path(text).exists():
        arm, path = text.split("=", 1)
        if not arm.strip() or not path.strip():
            raise ReconstructionInputError(f"curve {text!r}: expected ARM=PATH or PATH")
        return arm.strip(), path.strip()
    return None, text


def _scaled(values: np.ndarray, scale: str, file: str) -> tuple[np.ndarray, str, str]:
    """Survival as fractions, the scale the file used and how that was decided."""
    if scale not in SCALES:
        raise ReconstructionInputError(f"survival scale {scale!r}: choose {', '.join(SCALES)}")
    largest = float(values.max())
    if scale == "auto":
        scale = "percent" if largest > PERCENT_THRESHOLD else "fraction"
        rule = ">" if scale == "percent" else "<="
        note = (f"{file}: survival read as {scale}s (detected: largest value {largest:g} "
                f"{rule} {PERCENT_THRESHOLD:g})")
    else:
        note = f"{file}: survival read as {scale}s (declared)"
    if scale == "percent":
        return np.round(values / 100.0, 12), scale, note + "; divided by 100"
    return values, scale, note


def _long_curve(rows, file: str, scale: str) -> list[CurveSource]:
    positions, data = _header(rows, file, CURVE_COLUMNS)
    arms, times, values, lines = [], [], [], []
    for row, cells in _cells(data, file, positions):
        if not cells["arm"]:
            raise ReconstructionInputError(f"{file}: row {row}, column arm: value is empty")
        arms.append(cells["arm"])
        times.append(_number(cells["time"], file, "time", row))
        values.append(_number(cells["survival"], file, "survival", row))
        lines.append(row)
    surv, used, note = _scaled(np.array(values), scale, file)
    arm_of = np.array(arms, dtype=object)
    out = []
    for arm in dict.fromkeys(arms):
        keep = arm_of == arm
        out.append(CurveSource(arm, file, np.array(times)[keep], surv[keep],
                               np.array(lines)[keep], used, note))
    return out


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
    surv, used, note = _scaled(np.array(values), scale, file)
    return CurveSource(arm, file, np.array(times), surv, np.array(lines), used, note, arm_from)


def read_curve_file(spec: str, *, scale: str = "auto") -> list[CurveSource]:
    """Read one curve file given as ``PATH`` or ``ARM=PATH``.

    A header naming ``arm``, ``time`` and ``survival`` means the long form (every arm in
    the file); otherwise the file must have two columns, time then survival, with or
    without a header, and holds one arm.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "km.csv"
    >>> _ = path.write_text("Arm,Time,Survival\\nA,0,1\\nA,3,0.9\\nB,0,1\\n")
    >>> [(c.arm, c.time.tolist()) for c in read_curve_file(str(path))]
    [('A', [0.0, 3.0]), ('B', [0.0])]
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
    return [_two_column_curve(rows, file, arm or Path(path).stem, scale, arm_from)]


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
        if not cells["arm"]:
            raise ReconstructionInputError(f"{file}: row {row}, column arm: value is empty")
        time = _number(cells["time"], file, "time", row)
        if time < 0:
            raise ReconstructionInputError(
                f"{file}: row {row}, column time: value {cells['time']!r} is negative")
        count = _count(cells["n_risk"], file, "n_risk", row)
        table.setdefault(cells["arm"], []).append((time, count, row))
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
        arm = cells["arm"]
        if not arm:
            raise ReconstructionInputError(f"{file}: row {row}, column arm: value is empty")
        if arm in events:
            raise ReconstructionInputError(f"{file}: row {row}, column arm: {arm!r} repeated")
        events[arm] = _count(cells["events"], file, "events", row)
    return events
